"""Shared test helpers: sample cases with changes, letters rendered and read back.

Tests assert on what a recipient would read: the text of the DOCX (python-docx) and
of the PDF (pypdf), or, for the many wording tests, the text of the document model
that both writers read.
"""

from __future__ import annotations

import io
import os
import tempfile
import tomllib
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
import tomli_w

from lettergen.case.casefile import load_case
from lettergen.errors import LetterDoesNotFitError
from lettergen.letters.document import ListBlock, Paragraph, Signature, Table, plain_text
from lettergen.letters.render import render_letter
from lettergen.packs.folder import open_packs

# The built-in templates' compiled code goes to a cache folder of this run, set before
# lettergen is first used (its template environment is made once a process), so that no
# test writes into this machine's own cache and no earlier run's cache decides a result.
os.environ["LETTERGEN_CACHE_DIR"] = tempfile.mkdtemp(prefix="lettergen-test-cache-")
ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"
# The smallest case file the loader accepts: a patient and a provider.
MINIMAL_CASE = """
[patient]
name = "Jordan A. Rivera"
address = ["1200 Elm Street", "Springfield, IL 62701"]

[provider]
name = "Springfield General Hospital"
address = ["500 Main Street", "Springfield, IL 62701"]
"""
LEFTOVER_MARKUP = ("{{", "}}", "{%", "**", "\\*", "\\", "None", "[[", "]]", ":::")


# The guide site, built once a run (site_languages.built_sites), served on a local port,
# and a headless Chromium: shared by every test file that opens the site.
@pytest.fixture(scope="module")
def sites(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from site_languages import built_sites

    return built_sites(tmp_path_factory)


@pytest.fixture(scope="module")
def server(sites: Path) -> Any:
    from site_languages import serve

    with serve(sites) as url:
        yield url


@pytest.fixture(scope="module")
def browser() -> Any:
    from site_languages import chromium

    with chromium() as instance:
        yield instance


@pytest.fixture(autouse=True)
def user_config_dir(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
                    ) -> Path:
    """Every test sees an empty per-user config folder: the packs listed in this
    machine's own ``config.toml`` never change a result."""
    folder = tmp_path_factory.mktemp("user-config")
    monkeypatch.setenv("LETTERGEN_CONFIG_DIR", str(folder))
    return folder


def _to_toml(value: Any) -> Any:
    if isinstance(value, Decimal):
        return str(value)  # money strings are accepted by the case loader
    if isinstance(value, dict):
        return {k: _to_toml(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_to_toml(v) for v in value]
    return value


def case_file(tmp_path: Path, example: str, changes: dict[str, Any] | None = None,
              drop: list[str] | tuple[str, ...] = (), name: str | None = None) -> Path:
    """Write a copy of ``examples/<example>.toml`` into ``tmp_path`` with
    ``changes`` (dotted keys: ``{"insurer.plan_type": "medicare"}``; a whole table as
    a dict; ``None`` deletes) and ``drop`` (tables or dotted keys removed).
    ``case.extends`` is made absolute so the copy still finds its base."""
    source = EXAMPLES / f"{example}.toml"
    data = tomllib.loads(source.read_text("utf-8"), parse_float=Decimal)
    if "extends" in data.get("case", {}):
        data["case"]["extends"] = str((source.parent / data["case"]["extends"]).resolve())
    for dotted in drop:
        table, _, key = dotted.partition(".")
        if key:
            data.get(table, {}).pop(key, None)
        else:
            data.pop(table, None)
    for dotted, value in (changes or {}).items():
        table, _, key = dotted.partition(".")
        if not key:
            data[table] = value
        elif value is None:
            data.setdefault(table, {}).pop(key, None)
        else:
            data.setdefault(table, {})[key] = value
    path = tmp_path / f"{name or example}.toml"
    path.write_text(tomli_w.dumps(_to_toml(data)), "utf-8")
    return path


def document_text(document: Any) -> str:
    """The words of a document model, one block a line, as a reader would see them."""
    out = []
    for block in document.blocks:
        if isinstance(block, Paragraph):
            out.append(plain_text(block.runs))
        elif isinstance(block, ListBlock):
            out += [plain_text(item.runs) for item in block.items]
        elif isinstance(block, Table):
            for row in (block.header, *block.rows):
                out.append(" | ".join(plain_text(cell) for cell in row))
        elif isinstance(block, Signature):
            out.append(plain_text(block.closing))
            out += [plain_text(line) for line in block.lines]
        elif hasattr(block, "runs"):
            out.append(plain_text(block.runs))
    return "\n".join(out)


def letter_text(path: Path | str, letter_id: str, packs: tuple[str, ...] = ()) -> str:
    """Render one letter for a case file in memory and return its text."""
    case = load_case(path)
    letter = render_letter(case, letter_id, open_packs(list(packs)))
    return document_text(letter.document)


def clean_letter_text(path: Path | str, letter_id: str) -> str:
    """``letter_text``, checked for leftover template or Markdown syntax."""
    text = letter_text(path, letter_id)
    assert_clean(text)
    return text


def cli_letter_texts(tmp_path: Path, path: Path | str, letter_id: str) -> tuple[str, str]:
    """Build one letter through the command line, as DOCX and PDF into
    ``tmp_path/out``, and return the text of each as read back."""
    from lettergen.cli import main

    out = tmp_path / "out"
    assert main(["build", str(path), "-l", letter_id, "-o", str(out)]) == 0
    folder = out / Path(path).stem
    return (docx_text((folder / f"{letter_id}.docx").read_bytes()),
            pdf_text((folder / f"{letter_id}.pdf").read_bytes()))


def refusal(path: Path | str, letter_id: str) -> str:
    """The reasons a letter is refused; fails the test if it builds."""
    case = load_case(path)
    with pytest.raises(LetterDoesNotFitError) as caught:
        render_letter(case, letter_id, open_packs([]))
    return " ".join(caught.value.reasons)


def docx_text(data: bytes) -> str:
    import docx

    document = docx.Document(io.BytesIO(data))
    parts = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            parts.append(" | ".join(cell.text for cell in row.cells))
    return "\n".join(parts)


def pdf_text(data: bytes) -> str:
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(data))
    return "\n".join(page.extract_text() for page in reader.pages)


def assert_clean(text: str) -> None:
    """No template or Markdown syntax leaked into what the recipient reads."""
    for mark in LEFTOVER_MARKUP:
        assert mark not in text, f"leftover {mark!r} in the letter:\n{text}"
