"""The tactics table (lettergen/data/tactics.toml), tested row by row and both ways.

Every row names a tactic, the letter that carries it, a phrase of that letter and a
recipe on an example case: with the ``on`` changes the letter is built and has the
phrase; with the ``off`` changes the letter is built without it, or, for rows marked
``off_refused``, the letter is refused (the tactic then cannot appear either). Rows marked
``status = "missing"`` are tactics no letter carries yet: they are skipped with the reason,
so that the table stays honest about them.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from conftest import EXAMPLES, case_file, letter_text, refusal
from lettergen.errors import LetterDoesNotFitError
from lettergen.letters.templates import list_templates
from lettergen.packs.folder import open_packs
from lettergen.rules.tactics import tactics, tactics_page

ROWS = tactics()

# The tactics the guides rely on (the list), each found in some row's tactic.
REQUIRED = {
    "pay the undisputed part": "undisputed part",
    "network provider's missing prior authorization": "missing prior authorization",
    "a clinician never chosen, without notice-and-consent": "never chose or met",
    "self-pay reclassification and repricing": "as self-pay and reprice",
    "rate alignment with a benchmark": "Medicare or another published benchmark",
    "upcoding": "Upcoding",
    "unbundling": "Unbundling",
    "modifier misuse": "Modifier misuse",
    "diagnosis mismatch": "diagnosis code that does not support",
    "refund if insurance later pays, no waiver": "refund if insurance later pays",
    "interest-free payment plan after a reduction": "only interest-free",
    "prompt-pay discount": "prompt-pay discount",
    "out-of-pocket maximum met": "out-of-pocket maximum",
    "case management for ongoing treatment": "case manager for ongoing treatment",
    "peer-to-peer review": "peer-to-peer",
    "criteria behind a denial in writing": "criteria behind a denial",
    "Medicare limitation on liability": "Advance Beneficiary Notice",
    "QMB billing ban": "QMB",
    "Medicaid payment in full": "Medicaid payment is payment in full",
}


def _id(row: dict[str, Any]) -> str:
    return row["id"] + ("-missing" if row.get("status") == "missing" else "")


def _off_id(row: dict[str, Any]) -> str:
    return _id(row) + ("-refused" if row.get("off_refused") else "")


def _skip_missing(row: dict[str, Any]) -> None:
    if row.get("status") == "missing":
        pytest.skip(f"not yet in {row['letter']}: {row['tactic']} "
                    f"(switch: {row['switch']})")


def _build(tmp_path: Path, row: dict[str, Any], side: str) -> str:
    path = case_file(tmp_path, row["example"], row[side], row.get(f"drop_{side}", ()))
    try:
        return letter_text(path, row["letter"])
    except LetterDoesNotFitError as exc:
        pytest.fail(f"{row['id']}: with the '{side}' changes {row['letter']} was refused, "
                    f"but the row expects it to build: {'; '.join(exc.reasons)}")


@pytest.mark.parametrize("row", ROWS, ids=_id)
def test_tactic_on(tmp_path: Path, row: dict[str, Any]) -> None:
    """With the facts that switch it on, the tactic's phrase is in the letter."""
    _skip_missing(row)
    text = _build(tmp_path, row, "on")
    assert row["phrase"] in text, (
        f"{row['id']}: '{row['phrase']}' is not in {row['letter']} built from "
        f"{row['example']} with {row['on']}:\n{text}")


@pytest.mark.parametrize("row", ROWS, ids=_off_id)
def test_tactic_off(tmp_path: Path, row: dict[str, Any]) -> None:
    """Without those facts the phrase is absent: the letter is built without it, or,
    for rows marked off_refused, the letter is refused (so the tactic is absent too)."""
    _skip_missing(row)
    if row.get("off_refused"):
        path = case_file(tmp_path, row["example"], row["off"], row.get("drop_off", ()))
        reasons = refusal(path, row["letter"])  # fails the test if the letter builds
        assert reasons, f"{row['id']}: absent because refused, but no reason was given"
        return
    text = _build(tmp_path, row, "off")
    assert row["phrase"] not in text, (
        f"{row['id']}: '{row['phrase']}' is still in {row['letter']} built from "
        f"{row['example']} with {row['off']} (the tactic should be off):\n{text}")


# ---- the table itself ------------------------------------------------------------------

@pytest.mark.parametrize("row", ROWS, ids=_id)
def test_row_is_well_formed(row: dict[str, Any]) -> None:
    """The example exists, the phrase is plain text as a reader sees it,
    and the on and off recipes differ, so that the row tests a switch."""
    assert (EXAMPLES / f"{row['example']}.toml").is_file(), row["example"]
    assert row["phrase"].strip() and "\\" not in row["phrase"] and "**" not in row["phrase"]
    on = (row["on"], sorted(row.get("drop_on", [])))
    off = (row["off"], sorted(row.get("drop_off", [])))
    assert on != off, f"{row['id']}: on and off are the same recipe"
    if row.get("status") == "missing":
        assert row["proposal"].strip()


def test_every_letter_is_a_builtin_template() -> None:
    known = {info.id for info in list_templates(open_packs([]))}
    assert {row["letter"] for row in ROWS} <= known


@pytest.mark.parametrize("name", REQUIRED)
def test_the_guides_tactics_are_all_in_the_table(name: str) -> None:
    words = REQUIRED[name]
    assert any(words in row["tactic"] for row in ROWS), f"no row for: {name}"


def test_qmb_is_in_a_letter_and_switched_by_its_field() -> None:
    rows = [r for r in ROWS if "QMB" in r["tactic"]]
    assert rows and all(r.get("status") != "missing" for r in rows)
    assert all("insurer.qmb" in r["switch"] and "insurer.qmb" in r["on"] for r in rows)


def test_tactics_page() -> None:
    page = tactics_page()
    assert page.startswith("# ")
    table, _, missing = page.partition("## Not yet in the letters")
    if any(row.get("status") == "missing" for row in ROWS):
        assert missing, "the page has no section for the tactics not yet in the letters"
    else:
        assert not missing, "a section for missing tactics, but every tactic is in a letter"
    for row in ROWS:
        link = f"[`{row['letter']}`](../letters/{row['letter']}.md)"
        part = missing if row.get("status") == "missing" else table
        assert link in part, f"{row['id']}: {link} not in its section"
        assert " ".join(row["switch"].split()).replace("|", "\\|") in part
    header = "| Tactic | Letter | Switched on by |"
    assert header in table
    for line in table.splitlines():
        if line.startswith("| ") and line != header:
            assert line.count(" | ") == 2, f"a table row with a stray cell: {line}"


def test_tactics_returns_copies() -> None:
    first = tactics()
    first[0]["on"]["x.y"] = 1
    assert "x.y" not in tactics()[0]["on"]
