"""The case file as spreadsheet columns, both ways, generated from ``casefields.TABLES``.

A column is named by its key path: ``patient.name``, ``claim.number``, ``offer.agreed.date``.
An array of tables has one numbered set of columns per entry, counted from 1:
``charges.1.code``, ``charges.1.billed``, ``charges.2.code``...; a list of inline tables
inside a table likewise (``offer.previous.1.date``). Any number of entries is accepted, the
numbers need not follow each other (an empty set of columns is no entry), and the entries
keep the order of their numbers.

A cell holds one value; an empty cell is a key left out. A list (``case.letters``, an
address, ``denial.codes``, an enclosure's ``for``) is one cell, its items separated by
``;`` or, when the cell has line breaks, one item per line. Text has the spaces around it
removed. Dates are ``YYYY-MM-DD`` text or real spreadsheet dates; money is a number or
text such as ``$1,234.50``; true/false cells also take yes/no.
"""

from __future__ import annotations

import datetime as _dt
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal

from lettergen.case.casefields import TABLES, TABLES_BY_NAME, Field, type_label
from lettergen.case.money import parse_money
from lettergen.case.toml_hints import suggest
from lettergen.terminal import visible

__all__ = ["FILE_COLUMN", "TEMPLATE_SLOTS", "Column", "case_cells", "case_toml",
           "cell_value", "column_guide", "parse_column", "template_columns"]

FILE_COLUMN = "file"
"""The first column: the case file's name without ``.toml``. No case key is called that."""

TEMPLATE_SLOTS = {"charges": 5, "contacts": 3, "enclosures": 3, "offer.previous": 2}
"""How many numbered sets of columns the template has per array; import takes any number."""


@dataclass(frozen=True)
class Column:
    """A column the import understands: its key path (numbers are the entry's number in
    the sheet) and the declared field it fills."""

    path: tuple[str | int, ...]  # ("charges", 2, "billed")
    field: Field

    @property
    def group(self) -> str:
        """The array the entry number belongs to, by name: "charges", "offer.previous"."""
        return ".".join(str(p) for p in self.path[: _last_number(self.path)])


def _last_number(path: tuple[str | int, ...]) -> int:
    return max((i for i, p in enumerate(path) if isinstance(p, int)), default=0)


# ---- the column names -----------------------------------------------------------------

def _field_columns(prefix: str, field: Field, slots: dict[str, int]) -> Iterator[str]:
    name = f"{prefix}.{field.name}"
    if field.kind == "table":
        for sub in field.fields:
            yield from _field_columns(name, sub, slots)
    elif field.kind == "tables":
        group = re.sub(r"\.\d+", "", name)
        for i in range(1, slots.get(group, 1) + 1):
            for sub in field.fields:
                yield from _field_columns(f"{name}.{i}", sub, slots)
    else:
        yield name


def template_columns(slots: dict[str, int] | None = None) -> list[str]:
    """Every column, in declaration order, after ``file``: ``slots`` numbered sets per
    array (default ``TEMPLATE_SLOTS``)."""
    slots = TEMPLATE_SLOTS if slots is None else slots
    names = [FILE_COLUMN]
    for table in TABLES:
        entries = range(1, slots.get(table.name, 1) + 1) if table.array else [None]
        for i in entries:
            prefix = table.name if i is None else f"{table.name}.{i}"
            for field in table.fields:
                names += _field_columns(prefix, field, slots)
    return names


def parse_column(name: str) -> Column | str:
    """The column a header names, or what is wrong with the name and how to fix it."""
    parts = name.split(".")
    table = TABLES_BY_NAME.get(parts[0])
    if table is None:
        return _unknown(name)
    path: list[str | int] = [table.name]
    rest = parts[1:]
    fields = table.fields
    if table.array:
        if not rest or not re.fullmatch(r"[1-9]\d{0,3}", rest[0]):
            return (f"{table.header} takes one numbered set of columns per entry, counted "
                    f"from 1: {table.name}.1.{_tail(rest, fields)}, {table.name}.2."
                    f"{_tail(rest, fields)}...")
        path.append(int(rest.pop(0)))
    while rest:
        part = rest.pop(0)
        field = next((f for f in fields if f.name == part), None)
        if field is None:
            return _unknown(name)
        path.append(part)
        if field.kind == "table":
            fields = field.fields
        elif field.kind == "tables":
            if not rest or not re.fullmatch(r"[1-9]\d{0,3}", rest[0]):
                here = ".".join(str(p) for p in path)
                return (f"{here} takes one numbered set of columns per entry, counted from "
                        f"1: {here}.1.{_tail(rest, field.fields)}, {here}.2...")
            path.append(int(rest.pop(0)))
            fields = field.fields
        elif rest:
            return _unknown(name)
        else:
            return Column(tuple(path), field)
    keys = ", ".join(f"{name}.{f.name}" for f in fields[:3])
    return f"names a group of columns, not one; use its keys, such as {keys}"


def _tail(rest: list[str], fields: tuple[Field, ...]) -> str:
    return ".".join(rest) if rest else fields[0].name


def _unknown(name: str) -> str:
    numbers = re.findall(r"(?<=\.)\d+(?=\.)", name)
    shape = re.sub(r"(?<=\.)\d+(?=\.)", "N", name)
    known = {re.sub(r"(?<=\.)\d+(?=\.)", "N", c) for c in template_columns()[1:]}
    close = suggest(shape, known)
    if close and numbers and close.count(".N.") == len(numbers):
        for number in numbers:
            close = close.replace(".N.", f".{number}.", 1)
    elif close:
        close = close.replace(".N.", ".1.")
    hint = f"; did you mean '{close}'?" if close else (
        "; columns are named by case-file keys such as patient.name or charges.1.billed "
        "(lettergen import --template FILE writes them all)")
    return "unknown column" + hint


# ---- cells in: a spreadsheet's value as a case-file value -----------------------------

def _shown(cell: object) -> str:
    text = visible(cell.isoformat() if isinstance(cell, (_dt.date, _dt.time)) else str(cell))
    return repr(text if len(text) <= 60 else text[:57] + "...")


def _text(cell: object) -> str:
    if isinstance(cell, bool):
        return "true" if cell else "false"
    if isinstance(cell, float) and cell.is_integer():
        return str(int(cell))
    if isinstance(cell, _dt.datetime) and cell.time() == _dt.time():
        return cell.date().isoformat()
    if isinstance(cell, (_dt.date, _dt.time)):
        return cell.isoformat()
    return str(cell).strip()


_US_DATE = re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{4})$")


def _date(cell: object) -> tuple[object, str]:
    if isinstance(cell, _dt.datetime):
        if cell.time() != _dt.time():
            return None, f"expected a date without a time of day, got {_shown(cell)}"
        return cell.date(), ""
    if isinstance(cell, _dt.date):
        return cell, ""
    if isinstance(cell, (int, float)) and not isinstance(cell, bool):
        return None, (f"got the number {visible(str(cell))}: format the cell as a date, or write "
                      "the date as text year-month-day, such as 2026-03-02")
    text = _text(cell)
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
        try:
            return _dt.date.fromisoformat(text), ""
        except ValueError:
            return None, f"{_shown(text)} is not a day of the calendar; check it"
    us = _US_DATE.match(text)
    hint = (f"; did you mean {us[3]}-{int(us[1]):02d}-{int(us[2]):02d} (month/day/year)?"
            if us else "")
    return None, f"expected a date year-month-day, such as 2026-03-02, got {_shown(text)}{hint}"


def _money(cell: object) -> tuple[object, str]:
    if isinstance(cell, float):
        cell = Decimal(repr(cell))  # the shortest form: 1234.56, never 1234.5599999
    try:
        return parse_money(cell if isinstance(cell, (int, Decimal)) else _text(cell)), ""
    except ValueError as exc:
        return None, visible(str(exc))


def _split(cell: object) -> list[str]:
    text = _text(cell)
    items = text.splitlines() if "\n" in text or "\r" in text else text.split(";")
    return [item.strip() for item in items if item.strip()]


def cell_value(field: Field, cell: object) -> tuple[object, str]:
    """(the case-file value, "") for a filled cell, or (None, what is wrong and the fix).
    What this does not check (text length, patterns, allowed values, required keys)
    ``load_case`` checks afterwards, exactly as for a case file."""
    kind = field.kind
    if kind in ("str", "enum", "state"):
        return _text(cell), ""
    if kind in ("lines", "list"):
        return _split(cell), ""
    if kind == "date":
        return _date(cell)
    if kind == "money":
        return _money(cell)
    if kind == "bool":
        if isinstance(cell, bool):
            return cell, ""
        word = _text(cell).lower()
        if word in ("true", "yes", "false", "no"):
            return word in ("true", "yes"), ""
        return None, f"expected true or false (or yes or no), got {_shown(cell)}"
    # "int"
    if isinstance(cell, float) and cell.is_integer():
        cell = int(cell)
    if isinstance(cell, int) and not isinstance(cell, bool):
        return cell, ""
    text = _text(cell)
    if re.fullmatch(r"\d{1,9}", text):
        return int(text), ""
    return None, f"expected a whole number such as 3, got {_shown(cell)}"


# ---- cells out: a case-file value as a spreadsheet's value ----------------------------

def _cell_out(field: Field, value: object) -> object:
    if field.kind == "money":
        return parse_money(value)  # a case may write "$27,000.00"; the sheet 27000.00
    if field.kind in ("lines", "list"):
        items = [str(v) for v in value]  # type: ignore[attr-defined]
        return ("\n" if any(";" in v for v in items) else "; ").join(items)
    return value


def _put(cells: dict[str, object], prefix: str, field: Field, value: object) -> None:
    name = f"{prefix}.{field.name}"
    if field.kind == "table" and isinstance(value, dict):
        for sub in field.fields:
            if sub.name in value:
                _put(cells, name, sub, value[sub.name])
    elif field.kind == "tables" and isinstance(value, list):
        for i, entry in enumerate(value, 1):
            for sub in field.fields:
                if sub.name in entry:
                    _put(cells, f"{name}.{i}", sub, entry[sub.name])
    else:
        cells[name] = _cell_out(field, value)


def case_cells(data: dict[str, object]) -> tuple[dict[str, object], dict[str, int]]:
    """The cells of a case (its merged TOML data, validated), by column name, and the
    number of entries of each array (to size the header). ``case.extends`` is left out:
    the row holds the merged case, whole."""
    cells: dict[str, object] = {}
    counts: dict[str, int] = {}
    for table in TABLES:
        raw = data.get(table.name)
        if raw is None:
            continue
        entries = list(enumerate(raw, 1)) if table.array else [(None, raw)]
        if table.array:
            counts[table.name] = len(entries)
        for i, entry in entries:
            prefix = table.name if i is None else f"{table.name}.{i}"
            for field in table.fields:
                if field.name not in entry or (table.name, field.name) == ("case", "extends"):
                    continue
                if field.kind == "tables":
                    group = f"{table.name}.{field.name}"
                    counts[group] = max(counts.get(group, 0), len(entry[field.name]))
                _put(cells, prefix, field, entry[field.name])
    return cells, counts


# ---- the canonical TOML of a case -----------------------------------------------------

def _toml(field: Field, value: object) -> str:
    if field.kind == "table":
        return _inline(field, value)  # type: ignore[arg-type]
    if field.kind == "tables":
        return "[" + ", ".join(_inline(field, v) for v in value) + "]"  # type: ignore
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        # JSON's escapes are TOML's; DEL is the one control character JSON leaves bare
        return json.dumps(value, ensure_ascii=False).replace("\x7f", "\\u007f")
    if isinstance(value, list):
        return "[" + ", ".join(_toml(field, v) for v in value) + "]"
    if isinstance(value, _dt.date):
        return value.isoformat()
    return str(value)  # int, Decimal


def _inline(field: Field, value: dict[str, object]) -> str:
    inner = ", ".join(f"{f.name} = {_toml(f, value[f.name])}" for f in field.fields
                      if f.name in value)
    return "{ " + inner + " }" if inner else "{}"


def case_toml(data: dict[str, object], name: str) -> str:
    """A case as TOML text the same way every time: a header comment, the tables in
    declaration order, each table's keys in declaration order, one key a line."""
    lines = ["# A lettergen case file, written by lettergen import from a row of a caseload",
             f"# spreadsheet. Check it with: lettergen check {name}.toml", ""]
    for table in TABLES:
        raw = data.get(table.name)
        if raw is None:
            continue
        for entry in (raw if table.array else [raw]):
            lines.append(table.header)
            lines += [f"{f.name} = {_toml(f, entry[f.name])}" for f in table.fields
                      if f.name in entry]
            lines.append("")
    return "\n".join(lines)


# ---- what each column means: the template's notes and the guide's table ---------------

def column_guide() -> list[tuple[str, str, str, str, tuple[str, ...]]]:
    """(column, type, required, meaning, allowed values) per kind of column, the entry
    number written N (``charges.N.billed``): the template's notes and the site's table."""
    rows = [(FILE_COLUMN, "text", "", "The case file's name, without .toml: letters, digits, "
             "'-', '_' and '.'. Left empty: made from patient.name and claim.number.", ())]
    slots = dict.fromkeys(TEMPLATE_SLOTS, 1)
    for name in template_columns(slots)[1:]:
        column = parse_column(name)
        assert isinstance(column, Column)
        table = TABLES_BY_NAME[str(column.path[0])]
        field = column.field
        required = ""
        if field.required:
            required = "yes" if table.required and len(column.path) == 2 else "per entry"
        kind = type_label(field) if field.kind in ("enum", "state") else {
            "lines": "list of lines (; between them)", "list": "list (; between items)",
            "date": "date (YYYY-MM-DD)"}.get(field.kind, type_label(field))
        if field.kind == "enum":
            kind = "one of the listed values"
        values = field.values if field.kind == "enum" else ()
        rows.append((re.sub(r"\.1(?=\.)", ".N", name), kind, required, field.description,
                     values))
    return rows
