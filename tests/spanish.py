"""Helpers for the Spanish letters' tests: a full case asked in Spanish, and a reader
that finds English left in a Spanish letter.

The case files are written in English by their authors (names, addresses, summaries
of calls, enclosure titles), and a Spanish letter quotes them as typed; so the reader
takes every text value of the case out of the letter first, and the names of US laws
and programs, which stay in English with a Spanish gloss. What is left must not hold
an English sentence: a line with three or more English function words, or one of the
English phrases a template would write.
"""

from __future__ import annotations

import atexit
import re
import shutil
import tempfile
import tomllib
from decimal import Decimal
from pathlib import Path
from typing import Any

import tomli_w

from conftest import _to_toml, document_text
from lettergen.case.casefile import load_case
from lettergen.errors import LetterDoesNotFitError
from lettergen.letters.render import render_letter
from lettergen.packs.folder import builtin_pack

FULL = Path(__file__).resolve().parent / "fixtures" / "full-cases"
FULL_CASES = sorted(FULL.glob("*.toml"))
PACKS = (builtin_pack(),)

# Names that stay English in a Spanish letter (each glossed in Spanish where it first
# appears), and English words of the trade a Spanish letter keeps beside its Spanish.
KEPT_ENGLISH = (
    "No Surprises Act", "Fair Debt Collection Practices Act", "Fair Credit Reporting Act",
    "Affordable Care Act", "Employee Retirement Income Security Act", "Public Health Service Act",
    "Social Security Act", "Internal Revenue Code", "Federal Employees Health Benefits",
    "Consumer Financial Protection Bureau", "Explanation of Benefits", "Good Faith Estimate",
    "Qualified Medicare Beneficiary", "Medicare Summary Notice", "Notice of Medicare Non-Coverage",
    "Advance Beneficiary Notice", "Patient Financial Services", "Billing Office",
    "Appeals Unit", "designated record set", "revenue code", "Regulation F",
)
ENGLISH_WORDS = {
    "the", "and", "of", "to", "for", "with", "your", "you", "please", "this", "that", "is",
    "are", "was", "were", "will", "have", "has", "from", "by", "on", "my", "i", "we", "our",
    "not", "which", "under", "within", "days", "bill", "claim", "denial", "appeal", "review",
    "request", "account", "owe", "paid", "payment", "dear", "sincerely", "enclosures",
}
ENGLISH_PHRASES = ("Dear ", "Sincerely", "Enclosures:", "RE:", " due ", "I am writing",
                   "I write", "Thank you", "Please ", " the ")


def case_copy(source: Path, tmp_path: Path, language: str,
              changes: dict[str, Any] | None = None, drop: tuple[str, ...] = ()) -> Path:
    """A copy of a case file asked in ``language`` ([case] language), with changes
    (dotted keys, None deletes; a change of [case] language wins) and tables dropped,
    written as ``<stem>-<language>.toml``."""
    data = tomllib.loads(source.read_text("utf-8"), parse_float=Decimal)
    for table in drop:
        data.pop(table, None)
    for dotted, value in {"case.language": language, **(changes or {})}.items():
        table, _, key = dotted.partition(".")
        if value is None:
            data.get(table, {}).pop(key, None)
        else:
            data.setdefault(table, {})[key] = value
    tmp_path.mkdir(parents=True, exist_ok=True)
    path = tmp_path / f"{source.stem}-{language}.toml"
    path.write_text(tomli_w.dumps(_to_toml(data)), "utf-8")
    return path


def spanish_copy(source: Path, tmp_path: Path, changes: dict[str, Any] | None = None,
                 drop: tuple[str, ...] = ()) -> Path:
    """A copy of a case file asked in Spanish ([case] language = "es")."""
    return case_copy(source, tmp_path, "es", changes, drop)


def build_pair(source: Path, tmp_path: Path, letter_id: str, drop: tuple[str, ...] = (),
               changes: dict[str, Any] | None = None) -> tuple[Any, Any]:
    """The English and the Spanish letter of one case (with ``changes`` and ``drop``
    as ``case_copy`` takes them) as (english, spanish) Letters; each is the refusal's
    reasons (a list of text) when it does not fit. The Spanish case file is
    ``tmp_path / f"{source.stem}-es.toml"``."""
    out = []
    for language in ("en", "es"):
        case = load_case(case_copy(source, tmp_path, language, changes, drop))
        try:
            out.append(render_letter(case, letter_id, PACKS))
        except LetterDoesNotFitError as exc:
            out.append(list(exc.reasons))
    return out[0], out[1]


_PAIRS: dict[tuple[str, str], tuple[Any, Any]] = {}
_PAIR_DIR = Path(tempfile.mkdtemp(prefix="lettergen-spanish-"))
atexit.register(shutil.rmtree, _PAIR_DIR, True)


def full_pair(case: str, letter_id: str) -> tuple[Any, Any]:
    """``build_pair`` of a full case as it stands, built once per test run (several
    test files read the same pairs)."""
    key = (case, letter_id)
    if key not in _PAIRS:
        _PAIRS[key] = build_pair(FULL / f"{case}.toml", _PAIR_DIR / f"{case}-{letter_id}",
                                 letter_id)
    return _PAIRS[key]


def full_texts(case: str, letter_id: str) -> tuple[str, str]:
    """The English and the Spanish text of a full case's letter, both built."""
    english, spanish = full_pair(case, letter_id)
    assert not isinstance(english, list), english
    assert not isinstance(spanish, list), spanish
    return document_text(english.document), document_text(spanish.document)


def built_from(letter_id: str) -> list[str]:
    """The full cases whose Spanish letter builds."""
    return [s.stem for s in FULL_CASES if not isinstance(full_pair(s.stem, letter_id)[1], list)]


def assert_matches_english(english: Any, spanish: Any, source: Path) -> None:
    """The Spanish letter fits exactly when the English one does: refused with the
    same reasons, word for word (they are for the person running lettergen, whose
    terminal speaks English), or built, tagged es-US, with no English left and the
    same notes. ``source`` is the case file the Spanish letter was built from."""
    if isinstance(english, list):
        assert spanish == english
        return
    assert not isinstance(spanish, list), f"Spanish refused where English built: {spanish}"
    assert spanish.document.language == "es-US"
    assert english_left(spanish, source) == []
    assert spanish.notes == english.notes


def case_texts(path: Path) -> list[str]:
    """Every text value of a case file (and of the file it extends), longest first."""
    data = tomllib.loads(path.read_text("utf-8"), parse_float=Decimal)
    found: list[str] = []

    def walk(value: Any) -> None:
        if isinstance(value, str):
            found.append(value)
        elif isinstance(value, dict):
            for item in value.values():
                walk(item)
        elif isinstance(value, list):
            for item in value:
                walk(item)

    walk(data)
    base = data.get("case", {}).get("extends")
    if base:
        found += case_texts((path.parent / base).resolve())
    return sorted({t for t in found if len(t) > 2}, key=len, reverse=True)


def english_left(letter: Any, source: Path) -> list[str]:
    """The lines of a Spanish letter that still read as English, once the case's own
    text and the kept English names are taken out."""
    text = document_text(letter.document)
    for value in case_texts(source):
        text = text.replace(value, " ")
    for name in KEPT_ENGLISH:
        text = text.replace(name, " ")
    found = []
    for line in text.splitlines():
        words = re.findall(r"[A-Za-z]+", line)
        english = [w for w in words if w.lower() in ENGLISH_WORDS]
        if len(english) >= 3 or any(p in line for p in ENGLISH_PHRASES):
            found.append(line.strip())
    return found
