"""The tactics table: which letter carries each tactic, and which case facts switch it on.

The table is data (``data/tactics.toml``), one row per (tactic, letter) pair, each with a
test recipe that ``tests/test_tactics.py`` builds both ways: with the facts the tactic's
phrase is in the letter, without them it is not. ``tactics_page`` turns the table into the
guide's reference page, with the tactics no letter carries yet listed apart.
"""

from __future__ import annotations

import copy
import tomllib
from decimal import Decimal
from functools import lru_cache
from importlib import resources
from typing import Any

from lettergen.errors import TemplateError

REQUIRED = ("id", "tactic", "letter", "switch", "phrase", "example", "on", "off")
MISSING = "missing"


@lru_cache(maxsize=1)
def _rows() -> tuple[dict[str, Any], ...]:
    text = resources.files("lettergen").joinpath("data/tactics.toml").read_text("utf-8")
    rows = tomllib.loads(text, parse_float=Decimal)["tactic"]
    seen: set[str] = set()
    for number, row in enumerate(rows, 1):
        where = f"data/tactics.toml, [[tactic]] {row.get('id') or f'number {number}'}"
        absent = [key for key in REQUIRED if key not in row]
        if absent:
            raise TemplateError(f"{where}: missing {', '.join(absent)}")
        if row["id"] in seen:
            raise TemplateError(f"{where}: the id is used twice")
        seen.add(row["id"])
        if not isinstance(row["on"], dict) or not isinstance(row["off"], dict):
            raise TemplateError(f"{where}: on and off must be tables of changes")
        if row.get("status", MISSING) != MISSING:
            raise TemplateError(f"{where}: status may only be \"{MISSING}\"")
        if row.get("status") == MISSING and not row.get("proposal"):
            raise TemplateError(f"{where}: a missing tactic needs a proposal")
    return tuple(rows)


def tactics() -> list[dict[str, Any]]:
    """Every row of the tactics table, in the table's order (copies: safe to change)."""
    return copy.deepcopy(list(_rows()))


def _cell(text: str) -> str:
    """Text for a Markdown table cell: one line, pipes escaped."""
    return " ".join(text.split()).replace("|", "\\|")


def _letter_link(letter_id: str) -> str:
    return f"[`{letter_id}`](../letters/{letter_id}.md)"


def tactics_page() -> str:
    """The reference page: each tactic, the letter that carries it and the case facts
    that switch it on; then the tactics not yet in any letter, with proposed wording."""
    rows = tactics()
    present = [r for r in rows if r.get("status") != MISSING]
    missing = [r for r in rows if r.get("status") == MISSING]
    lines = [
        "# Tactics and the letters that carry them", "",
        "The guides recommend a set of tactics: pay the part of a bill you do not "
        "dispute, ask for self-pay pricing, hold a network provider to its contract, and "
        "so on. You do not switch them on by hand. Each tactic is written into the letter "
        "where it belongs, and appears there only when your case file has the facts that "
        "call for it; without those facts the letter leaves it out, or lettergen refuses "
        "the letter and says why.", "",
        "The table lists each tactic, the letter that carries it and the case facts that "
        "switch it on. Every row is tested both ways on a sample case: with the facts, the "
        "tactic is in the letter; without them, it is not.", "",
        "| Tactic | Letter | Switched on by |",
        "|---|---|---|",
    ]
    for row in present:
        lines.append(f"| {_cell(row['tactic'])} | {_letter_link(row['letter'])} | "
                     f"{_cell(row['switch'])} |")
    lines.append("")
    if missing:
        lines += [
            "## Not yet in the letters", "",
            "These tactics belong in a letter that does not carry them yet. Until it does, "
            "add them yourself when you edit the DOCX, or in your own template pack. Where "
            "the switch names a new case-file field, that field does not exist yet.", "",
            "| Tactic | Letter it belongs in | What should switch it on |",
            "|---|---|---|",
        ]
        for row in missing:
            lines.append(f"| {_cell(row['tactic'])} | {_letter_link(row['letter'])} | "
                         f"{_cell(row['switch'])} |")
        lines.append("")
        for row in missing:
            title = f"Proposed wording: {row['tactic']}, in {row['letter']}".replace('"', "'")
            lines += [f'??? note "{title}"', "", "    ```jinja"]
            lines += [f"    {line}" if line else "" for line in row["proposal"].splitlines()]
            lines += ["    ```", ""]
    return "\n".join(lines)
