"""Every letter built from every fully filled case, read for what no recipient should meet.

The full cases in ``tests/fixtures/full-cases/`` are what a real advocate's file looks
like: a representative, a collector, a credit report, earlier offers, a final denial,
contacts with several parties. Each is built as it stands and again with the patient
signing ([sender] removed), and every letter that fits is read as its recipient would:
no template markup or empty value left, straight quotes only, the representative's
authority said once, clinical papers never listed to a collector or a credit bureau, the
patient's own letter in the first person, and the contact log shown only to the party it
was with (a regulator or the QIO sees all). The letters are read in English, the
Spanish case's too; its Spanish letters are read in tests/test_spanish_*.py.
"""

from __future__ import annotations

import re
import tomllib
from decimal import Decimal
from pathlib import Path

import pytest
import tomli_w

from conftest import _to_toml, document_text
from lettergen.case.casefile import load_case
from lettergen.errors import LetterDoesNotFitError
from lettergen.letters.render import render_letter
from lettergen.letters.templates import list_templates
from lettergen.packs.folder import open_packs

FULL = Path(__file__).resolve().parent / "fixtures" / "full-cases"
CASES = sorted(FULL.glob("*.toml"))
PACKS = open_packs([])
IDS = [t.id for t in list_templates(PACKS)]
MEDICAL_KINDS = ("medical-records", "medical-necessity-letter")


def _variants(tmp_path: Path, source: Path) -> list[tuple[str, Path]]:
    data = tomllib.loads(source.read_text("utf-8"), parse_float=Decimal)
    out = [("as written", source)]
    if "sender" in data:
        data.pop("sender")
        mine = tmp_path / f"{source.stem}-patient-signs.toml"
        mine.write_text(tomli_w.dumps(_to_toml(data)), "utf-8")
        out.append(("patient signs", mine))
    return out


def _body(text: str) -> str:
    """From the salutation to the closing: what the letter says, without the sender
    block, the RE lines, the signature and the enclosures."""
    lines = text.splitlines()
    start = next((i for i, line in enumerate(lines) if line.startswith("Dear ")), 0)
    end = next((i for i, line in enumerate(lines) if line.startswith("Sincerely")), len(lines))
    return "\n".join(lines[start + 1:end])


def _enclosure_lines(text: str) -> list[str]:
    if "\nEnclosures:\n" not in text:
        return []
    tail = text.split("\nEnclosures:\n", 1)[1]
    return [line for line in tail.splitlines() if line and not line.startswith("cc:")]


@pytest.mark.parametrize("source", CASES, ids=[p.stem for p in CASES])
def test_every_letter_of_a_full_case_reads_right_to_its_recipient(tmp_path: Path,
                                                                   source: Path) -> None:
    problems: list[str] = []
    built = 0
    for voice, path in _variants(tmp_path, source):
        case = load_case(path)
        name = case.patient.name
        medical_titles = [e.title for e in case.enclosures if e.kind in MEDICAL_KINDS]
        for letter_id in IDS:
            try:
                letter = render_letter(case, letter_id, PACKS, language="en")
            except LetterDoesNotFitError:
                continue
            built += 1
            where = f"{source.stem} ({voice}) {letter_id}"
            text = document_text(letter.document)
            body = _body(text)
            for leftover in ("{{", "}}", "{%", "None", "FILL IN", " ,", " .", ",,", "..."):
                if leftover in body:
                    problems.append(f"{where}: {leftover!r} in the body")
            if set(text) & set("\u201c\u201d\u2018\u2019") and not any(
                    set(v) & set("\u201c\u201d\u2018\u2019") for v in _case_text(path)):
                problems.append(f"{where}: curly quotes the case does not hold")
            if len(re.findall(r"\bI write (?:as|on behalf of)\b", text)) > 1:
                problems.append(f"{where}: the authority said twice")
            if letter.info.to in ("collector", "bureau") or (
                    letter.info.to == "collector-or-provider" and case.collector.name):
                for title in medical_titles:
                    if any(title in line for line in _enclosure_lines(text)):
                        problems.append(f"{where}: clinical paper {title!r} to a collector")
            if voice == "patient signs" and letter_id != "credit-report-dispute":
                third = [m.group(0) for m in re.finditer(
                    re.escape(name) + r"(?:'s)? (?:is|was|has|had|owes|received|did|will)\b",
                    body)]
                if third:
                    problems.append(f"{where}: the patient's own letter says {third[0]!r}")
    assert built, f"no letter builds from {source.name}"
    assert not problems, "\n".join(problems)


def _case_text(path: Path) -> list[str]:
    """Every text value of a case file, to tell a quote the patient typed from one the
    template printed."""
    def walk(value: object) -> list[str]:
        if isinstance(value, str):
            return [value]
        if isinstance(value, dict):
            return [t for v in value.values() for t in walk(v)]
        if isinstance(value, list):
            return [t for v in value for t in walk(v)]
        return []

    return walk(tomllib.loads(path.read_text("utf-8")))


def test_every_scenario_of_the_examples_has_a_full_case() -> None:
    """Each sample scenario has a fully filled counterpart (a case of its own name or
    one standing for it), so no letter is read only on a simple case."""
    stems = {p.stem for p in CASES}
    examples = sorted(p.stem for p in (FULL.parent.parent.parent / "examples").glob("*.toml"))
    stand_ins = {"collections-settled": "layout-collections-settled"}
    missing = [e for e in examples if e not in stems and stand_ins.get(e) not in stems]
    assert not missing, missing


def test_financial_assistance_asks_the_agency_holding_the_account_to_stop() -> None:
    """An account already with a collection agency: the request does not ask the
    hospital not to send it to one; it asks the hospital to recall it from the agency
    (the "Collection agency" paragraph, said once)."""
    case = load_case(FULL / "nonprofit-financial-assistance.toml")
    assert case.collector.name
    text = document_text(render_letter(case, "financial-assistance-request", PACKS).document)
    flat = " ".join(text.split())
    assert f"Please recall the account from {case.collector.name} while the application is " \
        "pending" in flat
    assert flat.count(case.collector.name) == flat.count(f"{case.collector.name} is collecting") \
        + flat.count(f"recall the account from {case.collector.name}")  # no second request
    assert "will not be sent to a collection agency" not in text
    assert "no transfer to a collection agency" not in text
