"""The source register: what each tag in a rule's ``source`` stands for, and where it
was read (``data/sources.toml``).

A rule's source reads "C1 (quotes the rule); PLAN-DOCS": the tags are short so the rules
table stays readable, and the register says what each one is, so that a reader of the
guide (or an auditor) can follow a citation back to the text it was checked against.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

KINDS = {"official": "the text of a regulation, statute or agency page, or a copy of one",
         "secondary": "news, a law firm, an advocate or a summary",
         "rule-table": "a public open-source rule table or memo, used as corroboration only"}
# The tags a part of a source ("TAG, TAG (what was read); ...") starts with.
_LEADING_TAGS = re.compile(r"\s*((?:[A-Z][A-Z0-9]*(?:-[A-Za-z0-9.]+)*)"
                           r"(?:\s*,\s*[A-Z][A-Z0-9]*(?:-[A-Za-z0-9.]+)*)*)(?=\s*(?:\(|$))")


@dataclass(frozen=True)
class Source:
    tag: str
    kind: str  # a key of KINDS
    what: str
    where: tuple[str, ...]


@lru_cache(maxsize=1)
def all_sources() -> dict[str, Source]:
    """The register, read once per process."""
    text = resources.files("lettergen").joinpath("data/sources.toml").read_text("utf-8")
    return {raw["tag"]: Source(raw["tag"], raw["kind"], raw["what"], tuple(raw["where"]))
            for raw in tomllib.loads(text)["source"]}


def source_tags(source: str) -> list[str]:
    """The tags a rule's ``source`` text names at the head of each of its parts; the
    free text around them (what was read, a date) is not a tag."""
    tags = []
    for part in source.split(";"):
        match = _LEADING_TAGS.match(part)
        if match:
            tags += re.split(r"\s*,\s*", match.group(1))
    return tags
