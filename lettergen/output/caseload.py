"""A caseload in a spreadsheet: ``lettergen import`` (rows to case files), ``lettergen
export`` (case files to rows) and the template sheet, all from ``casefields.TABLES``.

One row is one bill, one case file. ``case_columns`` says how columns and cells map to
keys and values; ``spreadsheet`` reads and writes the CSV or workbook. Every row's case is
checked by ``load_case`` exactly as ``lettergen check`` checks a file, before anything is
written; a row with a problem writes nothing, the good rows are written (each file
atomically), and every problem of every row is reported at once, by row number (the
header is row 1) and column. Export writes each case merged (``extends`` resolved), so an
export imports back to the same cases, and an import exported and imported again gives
the same files byte for byte.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from pathlib import Path

from lettergen.case.columns import (
    FILE_COLUMN,
    TEMPLATE_SLOTS,
    Column,
    case_cells,
    case_toml,
    cell_value,
    column_guide,
    parse_column,
    template_columns,
)
from lettergen.case.spreadsheet import csv_bytes, read_sheet, sheet_format, xlsx_bytes
from lettergen.errors import CaseFileError, LettergenError, OutputError
from lettergen.output.build import atomic_write, case_folder_name
from lettergen.terminal import visible

__all__ = ["ImportResult", "RowProblem", "column_reference", "export_caseload", "import_caseload",
           "template_bytes"]


MAX_LISTED = 200
"""The most problems one message lists: a sheet of 10,000 broken rows helps no one in
full; the first ones show what to fix."""


@dataclass(frozen=True)
class RowProblem:
    """One thing wrong in the sheet: its row (1 is the header), column, and message."""

    row: int
    column: str
    message: str
    name: str = ""  # the case file's name, when the row has one

    def __str__(self) -> str:
        named = f" ({visible(self.name)})" if self.name else ""
        column = f", column {visible(self.column)}" if self.column else ""
        return f"row {self.row}{named}{column}: {self.message}"


@dataclass
class ImportResult:
    """What an import did: the files written, those already as the row says, and every
    problem (rows with one wrote nothing)."""

    sheet: str
    out_dir: Path
    rows: int = 0
    written: list[Path] = field(default_factory=list)
    unchanged: list[Path] = field(default_factory=list)
    problems: list[RowProblem] = field(default_factory=list)
    held: set[int] = field(default_factory=set)  # rows with a value in a bad column

    @property
    def failed_rows(self) -> list[int]:
        return sorted({p.row for p in self.problems if p.row > 1} | self.held)

    def error(self) -> LettergenError | None:
        """The error to report when something failed, saying what was written anyway."""
        if not self.problems:
            return None
        failed = self.failed_rows
        done = len(self.written) + len(self.unchanged)
        head = (f"{self.sheet}: {len(failed)} of {self.rows} row(s) not imported"
                if failed else f"{self.sheet}: the header has a problem")
        head += (f"; the other {done} case file(s) are in {visible(str(self.out_dir))}"
                 if done else "; no case file was written")
        lines = [head + ". Fix these and import the sheet again (files that match their "
                 "row are left as they are):"]
        lines += [f"  {p}" for p in self.problems[:MAX_LISTED]]
        if len(self.problems) > MAX_LISTED:
            lines.append(f"  and {len(self.problems) - MAX_LISTED:,} more problem(s) not "
                         "listed; fix these and import again")
        return LettergenError("\n".join(lines))


# ---- import ---------------------------------------------------------------------------

@dataclass
class _Row:
    number: int
    cells: tuple[object, ...]
    data: dict[str, object] = field(default_factory=dict)
    slots: dict[str, list[int]] = field(default_factory=dict)  # group -> entry numbers
    problems: list[RowProblem] = field(default_factory=list)
    name: str = ""
    safe_name: bool = True

    def filled(self, index: int) -> bool:
        cell = self.cells[index] if index < len(self.cells) else None
        return cell is not None and str(cell).strip() != ""


def import_caseload(sheet_path: str | Path, out_dir: str | Path,
                    force: bool = False) -> ImportResult:
    """Read a caseload sheet and write ``out_dir/<file>.toml`` for every good row."""
    sheet = read_sheet(Path(sheet_path))
    out = Path(out_dir)
    if out.exists() and not out.is_dir():
        raise LettergenError(f"{visible(str(out))} is a file; name a folder for the case "
                             "files with -o")
    result = ImportResult(sheet.name, out, rows=len(sheet.rows))
    rows = [_Row(number, cells) for number, cells in sheet.rows]
    columns, header_problems = _header(sheet.header, rows)
    for index, problem in header_problems:
        hit = [r.number for r in rows if r.filled(index)]
        result.held.update(hit)
        also = (f" (row(s) {', '.join(map(str, hit))} have a value in it and were not "
                "imported)" if hit else "")
        result.problems.append(RowProblem(1, sheet.header[index] or
                                          f"#{index + 1} (no name)", problem + also))
    for row in rows:
        _read_row(row, columns)
    _names(rows)
    for row in rows:
        _validate(row, out)
        if not row.problems and row.number not in result.held:
            _write(row, out, force, result)
        named = row.name if row.safe_name else ""
        result.problems += [replace(p, name=named) for p in row.problems]
    if not rows and not header_problems:
        result.problems.append(RowProblem(1, "", "the sheet has a header but no rows of "
                                          "cases below it"))
    return result


def _header(header: tuple[str, ...], rows: list[_Row]
            ) -> tuple[dict[int, Column | None], list[tuple[int, str]]]:
    """Column index -> Column (None: the file column), and the header's problems."""
    columns: dict[int, Column | None] = {}
    problems: list[tuple[int, str]] = []
    seen: dict[str, int] = {}
    for index, name in enumerate(header):
        if not name:
            if any(r.filled(index) for r in rows):  # else a stray bit of formatting
                problems.append((index, "the column has values but no name in row 1; name "
                                 "it, or delete the column"))
        elif name in seen:
            problems.append((index, f"the column appears twice (also column "
                             f"{seen[name] + 1}); keep one"))
        else:
            seen[name] = index
            parsed = None if name == FILE_COLUMN else parse_column(name)
            if isinstance(parsed, str):
                problems.append((index, parsed))
            else:
                columns[index] = parsed
    return columns, problems


def _read_row(row: _Row, columns: dict[int, Column | None]) -> None:
    """The row's case as TOML data, with a problem for every cell that is not a value of
    its column's type."""
    data: dict[object, object] = {}
    for index, column in columns.items():
        if not row.filled(index):
            continue
        cell = row.cells[index]
        if column is None:
            row.name = str(cell).strip()
            continue
        value, problem = cell_value(column.field, cell)
        if problem:
            name = ".".join(str(p) for p in column.path)
            row.problems.append(RowProblem(row.number, name, problem))
            continue
        node = data
        for part in column.path[:-1]:
            node = node.setdefault(part, {})  # type: ignore[assignment]
        node[column.path[-1]] = value
    row.data = _lists(data, "", row.slots)  # type: ignore[assignment]


def _lists(node: object, group: str, slots: dict[str, list[int]]) -> object:
    """Dicts keyed by entry numbers become lists in number order; ``slots`` records
    which number each entry had, to name a problem's column."""
    if not isinstance(node, dict):
        return node
    if node and all(isinstance(k, int) for k in node):
        slots[group] = sorted(node)
        return [_lists(node[k], f"{group}.{k}", slots) for k in sorted(node)]
    return {k: _lists(v, f"{group}.{k}".lstrip("."), slots) for k, v in node.items()}


_WHERE = [  # load_case's places ("[[charges]] #2 billed") as the sheet's columns
    (re.compile(r"^\[\[(\w+)\]\] #(\d+) (\w+)$"), lambda m, s: f"{m[1]}.{s(m[1], m[2])}.{m[3]}"),
    (re.compile(r"^\[(\w+)\] (\w+) #(\d+) (\w+)$"),
     lambda m, s: f"{m[1]}.{m[2]}.{s(f'{m[1]}.{m[2]}', m[3])}.{m[4]}"),
    (re.compile(r"^\[(\w+)\] (\w+)(?: (\w+))?$"), lambda m, s: ".".join(p for p in m.groups()
                                                                      if p)),
]


def _column_of(where: str, slots: dict[str, list[int]]) -> str:
    def slot(group: str, entry: str) -> str:
        numbers = slots.get(group, [])
        return str(numbers[int(entry) - 1]) if int(entry) <= len(numbers) else entry

    for pattern, column in _WHERE:
        match = pattern.match(where)
        if match:
            return column(match, slot)
    return where


def _validate(row: _Row, out: Path) -> None:
    """Check the row's case as ``lettergen check`` checks a file, as if it were already
    at its place in ``out`` (``case.extends`` is relative to it)."""
    from lettergen.case.casefile import load_case

    text = case_toml(row.data, row.name)
    try:
        load_case(out / f"{row.name}.toml", text=text)
    except CaseFileError as exc:
        told = {p.column for p in row.problems}  # a cell already reported is absent here
        for problem in exc.problems:
            column = _column_of(problem.where, row.slots)
            if column not in told:
                row.problems.append(RowProblem(row.number, column, problem.message))


def _write(row: _Row, out: Path, force: bool, result: ImportResult) -> None:
    path = out / f"{row.name}.toml"
    data = case_toml(row.data, row.name).encode("utf-8")
    try:
        if path.is_file() and path.read_bytes() == data:
            result.unchanged.append(path)
            return
    except OSError:
        pass  # unreadable: the write below says why
    try:
        atomic_write(path, data, overwrite=force)
    except OutputError as exc:
        row.problems.append(RowProblem(row.number, FILE_COLUMN, visible(str(exc)), row.name))
        return
    except LettergenError as exc:  # it exists already and differs from the row
        row.problems.append(RowProblem(row.number, FILE_COLUMN, f"{visible(str(exc))}; or "
                                       "name another file in the file column", row.name))
        return
    result.written.append(path)


# ---- file names -----------------------------------------------------------------------

def _slug(text: str) -> str:
    text = unicodedata.normalize("NFC", text).lower()
    kept = "".join(ch if unicodedata.category(ch)[0] in "LN" else "-" for ch in text)
    return re.sub(r"-{2,}", "-", kept).strip("-")[:80].strip("-")


def _derived_name(row: _Row) -> str:
    patient = row.data.get("patient")
    claim = row.data.get("claim")
    provider = row.data.get("provider")
    parts = [t.get(k) for t, k in ((patient, "name"), (claim, "number"))
             if isinstance(t, dict) and isinstance(t.get(k), str)]
    if len(parts) < 2 and isinstance(provider, dict) and provider.get("name"):
        parts.append(provider["name"])  # no claim number (a self-pay bill): the provider
    return _slug(" ".join(str(p) for p in parts)) or f"row-{row.number}"


def _names(rows: list[_Row]) -> None:
    """Give every row its file name and report unsafe names and names two rows share
    (compared as Windows and macOS do: case and Unicode form ignored)."""
    first: dict[str, _Row] = {}
    for row in rows:
        if row.name:
            row.name = re.sub(r"\.toml$", "", row.name, flags=re.IGNORECASE)
            if case_folder_name(row.name) != row.name or row.name.startswith("."):
                row.safe_name = False
                row.problems.append(RowProblem(
                    row.number, FILE_COLUMN, f"{visible(repr(row.name))} is not a safe file "
                    "name on every computer: use letters, digits, '-', '_' and '.', at most "
                    f"100, such as {_slug(row.name) or 'case-1'!r}"))
                continue
        else:
            row.name = _derived_name(row)
        key = unicodedata.normalize("NFC", row.name).casefold()
        other = first.setdefault(key, row)
        if other is not row:
            for one, two in ((row, other), (other, row)):
                one.problems.append(RowProblem(
                    one.number, FILE_COLUMN, f"row {two.number} makes the same file "
                    f"{visible(row.name)}.toml; give one of them another name in the "
                    "file column"))


# ---- export ---------------------------------------------------------------------------

def _case_paths(sources: Iterable[str | Path]) -> list[Path]:
    paths: list[Path] = []
    for source in map(Path, sources):
        if source.is_dir():
            found = sorted(source.glob("*.toml"))
            if not found:
                raise LettergenError(f"{visible(str(source))}: no case files (*.toml) in "
                                     "this folder")
            paths += found
        else:
            paths.append(source)
    return paths


def export_caseload(sources: Iterable[str | Path], out_path: str | Path,
                    force: bool = False) -> list[Path]:
    """Write the cases of ``sources`` (files, or folders of ``*.toml``) to one sheet,
    a row each, merged with their bases; nothing is written if any case is invalid."""
    from lettergen.case.casefile import load_case, merged_data

    out = Path(out_path)
    fmt = sheet_format(out)
    paths = _case_paths(sources)
    problems: list[str] = []
    rows: list[tuple[str, dict[str, object]]] = []
    slots = dict(TEMPLATE_SLOTS)
    stems: dict[str, Path] = {}
    for path in paths:
        try:
            load_case(path)
        except LettergenError as exc:
            problems.append(str(exc))
            continue
        key = path.stem.casefold()
        if key in stems:
            problems.append(f"{visible(str(path))} and {visible(str(stems[key]))} have the "
                            "same name; a sheet's file column names each case once")
        stems[key] = path
        cells, counts = case_cells(merged_data(path))
        for group, count in counts.items():
            slots[group] = max(slots.get(group, 1), count)
        rows.append((path.stem, cells))
    if problems:
        raise LettergenError("nothing was written; fix these case files first:\n"
                             + "\n".join(problems))
    header = template_columns(slots)
    table = [[stem] + [cells.get(name) for name in header[1:]] for stem, cells in rows]
    data = csv_bytes(header, table) if fmt == ".csv" else xlsx_bytes(header, table)
    atomic_write(out, data, overwrite=force)
    return paths


# ---- the template ---------------------------------------------------------------------

def template_bytes(fmt: str) -> bytes:
    """A blank caseload sheet (".csv" or ".xlsx"): the header; in a workbook also a note
    on every column (type, allowed values, meaning), a drop-down list for the columns with
    fixed values and a second sheet, "Columns", explaining them all."""
    header = template_columns()
    if fmt == ".csv":
        return csv_bytes(header, [])
    guide = column_guide()
    by_shape = {row[0]: row for row in guide}
    notes: dict[str, str] = {}
    choices: dict[str, tuple[str, ...]] = {}
    for name in header:
        shape = re.sub(r"(?<=\.)\d+(?=\.)", "N", name)
        column, kind, required, meaning, values = by_shape[shape]
        notes[name] = "\n".join(filter(None, [
            f"{kind}{'; required' if required else ''}",
            f"One of: {', '.join(values)}" if values else "", meaning]))
        parsed = parse_column(name) if name != FILE_COLUMN else None
        if isinstance(parsed, Column) and parsed.field.kind in ("enum", "state"):
            choices[name] = parsed.field.values
    table = [("Column", "Type", "Required", "Meaning", "Allowed values")] + [
        (c, k, r, m, ", ".join(v)) for c, k, r, m, v in guide]
    return xlsx_bytes(header, [], notes=notes, choices=choices, guide=table)


def column_reference() -> str:
    """The guide's table of every column (``<!-- lettergen:caseload-columns -->``), from
    the same declaration as the template's notes."""
    import html

    def cell(text: str) -> str:
        return html.escape(text, quote=False).replace("|", "\\|").replace("\n", " ")

    lines = ["| Column | Type | Required | Meaning |", "|---|---|---|---|"]
    for column, kind, required, meaning, values in column_guide():
        if values:
            kind = "one of: " + ", ".join(f"`{v}`" for v in values)
        lines.append(f"| `{column}` | {cell(kind)} | {required} | {cell(meaning)} |")
    return "\n".join(lines) + "\n"
