"""Reading a case file: TOML, ``extends``, strict validation, and the typed ``Case``.

``load_case`` is the one way in. It reads the file and its bases, merges them, checks
every table and key against ``casefields.TABLES`` and raises one ``CaseFileError``
listing every problem, so a patient fixes the whole file in one pass instead of one
typo per run. What it returns is plain data for templates: every declared key is an
attribute (``None`` when absent), so ``{% if claim.number %}`` never fails.
"""

from __future__ import annotations

import datetime as _dt
import os
import re
import tomllib
from collections.abc import Iterable
from decimal import Decimal
from pathlib import Path
from typing import NoReturn, cast

from lettergen.case.casefields import (
    PLACEHOLDER,
    STATES,
    TABLES,
    TABLES_BY_NAME,
    Field,
    Table,
    field_at,
    toml_value,
)
from lettergen.case.money import parse_money
from lettergen.case.toml_hints import explain, suggest
from lettergen.errors import CaseFileError, Problem
from lettergen.safe_read import UnreadableFile, read_limited
from lettergen.terminal import NONCHARACTERS, describe, visible

__all__ = ["EARLIEST_DATE", "LATEST_DATE", "MAX_FILE_BYTES", "MAX_TEXT", "Case", "Record",
           "load_case", "merged_data"]

EARLIEST_DATE = _dt.date(1900, 1, 1)
LATEST_DATE = _dt.date(2099, 12, 31)
"""The dates a case file may hold. No real bill, birth or deadline is outside them, and
deadlines computed from a date near 9999 would overflow Python's dates."""

MAX_FILE_BYTES = 2 * 1024 * 1024
"""The largest case file (or base) read: a real one is a few kilobytes. Reading stops
there, so ``/dev/zero`` or a huge file cannot fill the memory."""

MAX_PROBLEMS = 100
"""The most problems described in one message; the rest are counted. A real file with
typos has a handful; a generated one can have 100,000, and listing them all helps no one."""

MAX_TEXT = 10_000
"""The most characters a text value may hold, and the items of one list together: a
long call note is a few thousand. The PDF's time to lay out a paragraph grows with the
square of its length (a call summary of 50,000 characters took about 1 s, 100,000 about
4 s, 200,000 about 15 s), so this keeps a letter's build within a second or so, even
with every text of the case at the limit."""


class Record:
    """One table of a case (``[claim]``, one ``[[charges]]`` entry, ``offer.agreed``).

    Every declared key is a plain attribute; nothing else is public, which keeps it safe
    in a Jinja sandbox. An absent table is a Record whose values are all ``None`` and
    whose ``bool()`` is False, so ``{% if denial %}`` reads naturally. Read-only.
    """

    __slots__ = ("_name", "_present", "__dict__")

    def __init__(self, name: str, values: dict[str, object], present: bool = True) -> None:
        object.__setattr__(self, "_name", name)
        object.__setattr__(self, "_present", present)
        self.__dict__.update(values)

    def __bool__(self) -> bool:
        return self._present

    def __setattr__(self, key: str, value: object) -> None:
        raise AttributeError(f"the case is read-only: cannot set {self._name}.{key}")

    def __reduce__(self) -> tuple[object, ...]:
        # pickle and copy would restore the slots through the read-only __setattr__
        return (Record, (self._name, dict(vars(self)), self._present))

    def __repr__(self) -> str:
        if not self._present:
            return f"Record[{self._name}](absent)"
        shown = ", ".join(f"{k}={v!r}" for k, v in vars(self).items()
                          if v is not None and v != [] and not (isinstance(v, Record) and not v))
        return f"Record[{self._name}]({shown})"


class Case:
    """A loaded, valid case: one attribute per table, named as in the file.

    Tables are ``Record``; arrays of tables (``charges``, ``contacts``, ``enclosures``) are
    lists of ``Record``, empty when absent.
    """

    case: Record
    patient: Record
    sender: Record
    insurer: Record
    administrator: Record
    provider: Record
    clinician: Record
    claim: Record
    denial: Record
    charges: list[Record]
    balance: Record
    collector: Record
    credit_report: Record
    qio: Record
    regulator: Record
    offer: Record
    hardship: Record
    contacts: list[Record]
    enclosures: list[Record]

    def __init__(self, source_path: Path, tables: dict[str, Record | list[Record]],
                 files: tuple[Path, ...] = ()) -> None:
        self.source_path = source_path
        self.files = files or (source_path,)  # this file, then its bases in order
        for name, value in tables.items():
            setattr(self, name, value)

    @property
    def stem(self) -> str:
        """The case file's name without ``.toml``: the output folder's name."""
        return self.source_path.stem

    @property
    def today(self) -> _dt.date:
        """``case.date``, or the real date when the file gives none: "today" for clocks."""
        date = self.case.date
        return date if isinstance(date, _dt.date) else _dt.date.today()

    def tables(self) -> dict[str, Record | list[Record]]:
        """Table name -> Record (or list of Records): the context a template sees."""
        return {t.name: getattr(self, t.name) for t in TABLES}

    def value(self, path: str) -> object:
        """The value at a dotted path ("claim.number"). Through an array of tables the
        result is a list, one value per entry ("charges.benchmark")."""
        if field_at(path) is None:
            raise KeyError(f"{path!r} is not a key of the case file")
        first, *rest = path.split(".")
        current: object = getattr(self, first)
        for part in rest:
            if isinstance(current, list):
                current = [getattr(r, part) for r in current]
            else:
                current = getattr(current, part)
        return current

    def missing(self, paths: Iterable[str]) -> list[str]:
        """The paths whose value is absent or empty. A list counts as missing when it is
        empty or any of its items is: "charges.benchmark" needs a benchmark on every charge."""
        return [p for p in paths if _empty(self.value(p))]

    def __repr__(self) -> str:
        return f"Case({str(self.source_path)!r})"


def _empty(value: object) -> bool:
    if isinstance(value, list):
        return not value or any(_empty(v) for v in value)
    if isinstance(value, str):
        return not value.strip()
    return value is None or (isinstance(value, Record) and not value)


def load_case(path: str | os.PathLike[str], text: str | None = None) -> Case:
    """Read, merge (``case.extends``) and validate a case file.

    ``text``: the file's contents when they are not on disk yet, read as if they were at
    ``path`` (``lettergen import`` checks each row's case before it writes the file).
    Raises ``CaseFileError`` naming the file and every problem found.
    """
    top = Path(path)
    chain = _read_chain(top, text)
    data, origins = _merge(chain)
    checker = _Checker(origins, top)
    tables = checker.tables(data)
    checker.consistency(tables)
    if checker.problems:
        problems = checker.problems
        if checker.unlisted:
            problems = problems + [Problem("", f"and {checker.unlisted:,} more problem(s) not "
                                           "listed; fix these and check the file again")]
        raise CaseFileError(visible(str(top)), problems)
    return Case(top, tables, tuple(p for p, _ in chain))


def merged_data(path: str | os.PathLike[str]) -> dict[str, object]:
    """A case file and its bases merged, as TOML gives them, without defaults: what
    ``lettergen export`` writes (a default such as today's date is not frozen into the
    row). Validate with ``load_case`` first; this does not."""
    return _merge(_read_chain(Path(path)))[0]


# ---- reading and extends -------------------------------------------------------------

_AT = re.compile(r"\s*\(at line (\d+), column (\d+)\)$")


def _read(path: Path, text: str | None = None) -> dict[str, object]:
    if text is None:
        try:
            data = read_limited(path, MAX_FILE_BYTES)
        except UnreadableFile as e:
            _raise(path, "", visible(str(e)))
        try:
            text = data.decode("utf-8-sig")  # -sig: Notepad's byte-order mark
        except UnicodeDecodeError:
            _raise(path, "", "the file is not UTF-8 text; save it as plain text (UTF-8)")
    try:
        return tomllib.loads(text, parse_float=Decimal)
    except tomllib.TOMLDecodeError as e:
        at = _AT.search(str(e))
        where = f"line {at[1]}, column {at[2]}" if at else ""
        if "(at end of document)" in str(e):
            where = "end of file"
        message = _AT.sub("", str(e)).replace(" (at end of document)", "")
        line, column = (int(at[1]), int(at[2])) if at else (None, None)
        _raise(path, where, "not valid TOML: " + explain(text, line, column, message))
    except RecursionError:
        _raise(path, "", "not valid for lettergen: brackets or braces are nested too deeply "
               "(a case file nests a table at most a few levels); remove the extra [ or {")


def _raise(path: Path, where: str, message: str) -> NoReturn:
    raise CaseFileError(visible(str(path)), [Problem(where, message)])


def _resolved(path: Path, referrer: Path) -> Path:
    """``path.resolve()``, or an error naming the file when its symbolic links form a
    loop (``resolve`` raises then) or cannot be followed."""
    try:
        return path.resolve()
    except (RuntimeError, OSError):
        _raise(referrer, "[case] extends", f"{visible(str(path))} is a symbolic link that "
               "leads back to itself (a loop), or cannot be followed; point extends at the "
               "real file")


def _read_chain(top: Path, text: str | None = None) -> list[tuple[Path, dict[str, object]]]:
    """The file (``text``, when given) and every base it extends, nearest first. Stops at
    a missing base or a cycle with an error naming the files involved."""
    chain: list[tuple[Path, dict[str, object]]] = []
    seen: list[Path] = []
    current = top
    while True:
        data = _read(current, text if current is top else None)
        chain.append((current, data))
        seen.append(_resolved(current, current))
        case = data.get("case")
        extends = case.get("extends") if isinstance(case, dict) else None
        if extends is None:
            return chain
        problem = (_text_problem(extends) if isinstance(extends, str) and extends.strip()
                   else "expected the path of another case file in quotes, such as "
                        f'"base.toml", got {_shown(extends)}')
        if problem:
            _raise(current, "[case] extends", problem)
        base = Path(os.path.normpath(current.parent / str(extends)))
        if _resolved(base, current) in seen:
            names = " -> ".join([str(p) for p, _ in chain] + [str(base)])
            _raise(current, "[case] extends", f"the files extend each other in a circle: "
                   f"{visible(names)}; remove extends from one of them")
        if not os.path.lexists(base):
            _raise(current, "[case] extends", f"the base file {_shown(extends)} was not found "
                   f"(looked for {visible(str(base))})")
        current = base


def _merge(chain: list[tuple[Path, dict[str, object]]]
           ) -> tuple[dict[str, object], dict[tuple[str, ...], Path]]:
    """Merge bases table by table, this file winning key by key; an array of tables in a
    later file replaces the base's. Also returns which file each table/key came from."""
    merged: dict[str, object] = {}
    origins: dict[tuple[str, ...], Path] = {}
    for path, data in reversed(chain):
        for name, value in data.items():
            before = merged.get(name)
            if isinstance(value, dict) and isinstance(before, dict):
                merged[name] = {**before, **value}
            else:
                merged[name] = value
            origins[(name,)] = path
            if isinstance(value, dict):
                for key in value:
                    origins[(name, key)] = path
    return merged, origins


# ---- validation ----------------------------------------------------------------------

def _shown(value: object) -> str:
    """A value for "got ..." in a message: as TOML, at most 80 characters, and with any
    control character shown as an escape, never sent raw to the terminal."""
    if isinstance(value, str) and len(value) > 80:
        value = value[:80]  # toml_value of 2 MB of text only to cut it: no
    elif isinstance(value, list) and len(value) > 20:
        value = value[:20]
    try:
        text = toml_value(value)
    except RecursionError:  # a list nested hundreds deep
        text = "a list nested too deeply"
    text = visible(text)
    return text if len(text) <= 80 else text[:77] + "..."


def _key(name: str) -> str:
    """A key or table name the file gives, as a message quotes it (it may hold anything)."""
    text = visible(name)
    return text if len(text) <= 60 else text[:57] + "..."


_UNSAFE_TEXT = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff"
                          + NONCHARACTERS + "]")
"""What no text value may hold: control characters but tab, newline and carriage return
(C0, DEL, C1: ESC starts a terminal control sequence), lone surrogates, and the 66
noncharacters (U+FFFE, U+FDD0...), which XML, and so DOCX, cannot hold."""


def _text_problem(text: str) -> str:
    """What is wrong with a text value, or "" when it is fine."""
    if len(text) > MAX_TEXT:
        return (f"is {len(text):,} characters long; the limit is {MAX_TEXT:,}: shorten it "
                "(keep the details in your own notes; the letter needs the gist)")
    found = _UNSAFE_TEXT.search(text)
    if found is None:
        return ""
    at, ch = found.start(), found[0]
    code = ord(ch)
    what = ("a control character" if code < 0xA0
            else "half of a character (a lone surrogate)" if 0xD800 <= code <= 0xDFFF
            else "not a character (a Unicode noncharacter)")
    return (f"contains {describe(ch)}, {what}, at character {at + 1}; remove it (it is "
            "invisible, often pasted in by accident, and no letter can print it)")


def _placeholder_problem(text: str) -> str:
    """A value the starter file filled with "FILL IN: ..." and nobody replaced: it would
    print in the letter as it stands."""
    if not text.lstrip().startswith(PLACEHOLDER):
        return ""
    return (f"still reads {_shown(text)}, the starter file's placeholder; write the real "
            "value in its place (or delete the line if the key is not required)")


def _absent(name: str, fields: tuple[Field, ...]) -> Record:
    """A table not in the file: every key None, but lists of tables are empty lists and
    inline tables are absent Records, so templates can loop and test without guards."""
    values: dict[str, object] = {}
    for f in fields:
        if f.kind == "tables":
            values[f.name] = []
        elif f.kind == "table":
            values[f.name] = _absent(f"{name}.{f.name}", f.fields)
        else:
            values[f.name] = None
    return Record(name, values, present=False)


def _tables_with_key(key: str) -> list[Table]:
    return [t for t in TABLES if t.field(key) is not None]


class _Checker:
    """Walks the merged data once, collecting every problem and building the Records."""

    def __init__(self, origins: dict[tuple[str, ...], Path], top: Path) -> None:
        self.problems: list[Problem] = []
        self.unlisted = 0  # problems past MAX_PROBLEMS, counted but not described
        self.origins = origins
        self.top = top
        self.today = _dt.date.today()

    @property
    def full(self) -> bool:
        return len(self.problems) >= MAX_PROBLEMS

    def add(self, where: str, message: str, origin: tuple[str, ...] = ()) -> None:
        if self.full:
            self.unlisted += 1
            return
        path = (self.origins.get(origin) or self.origins.get(origin[:1])) if origin else None
        if path is not None and path != self.top:
            message += f" (in {visible(str(path))})"
        self.problems.append(Problem(where, message))

    def tables(self, data: dict[str, object]) -> dict[str, Record | list[Record]]:
        for name, value in data.items():
            if name not in TABLES_BY_NAME:
                self.unknown_table(name, value)
        result: dict[str, Record | list[Record]] = {}
        for table in TABLES:
            result[table.name] = self.table(table, data.get(table.name))
        return result

    def unknown_table(self, name: str, value: object) -> None:
        if self.full:  # a file of 100,000 made-up tables: no suggestion for each
            self.unlisted += 1
            return
        if not isinstance(value, (dict, list)):
            owners = _tables_with_key(name)
            hint = (f"put it below the {owners[0].header} line" if len(owners) == 1
                    else "every key belongs below a table line such as [patient]")
            self.add(_key(name), f"a key outside any table; {hint}", (name,))
            return
        close = suggest(name, TABLES_BY_NAME)
        where = f"[[{_key(name)}]]" if isinstance(value, list) else f"[{_key(name)}]"
        hint = f"; did you mean {TABLES_BY_NAME[close].header}?" if close else ""
        self.add(where, f"unknown table{hint}", (name,))

    def table(self, table: Table, raw: object) -> Record | list[Record]:
        origin = (table.name,)
        if table.array:
            if raw is None:
                return []
            if not isinstance(raw, list) or not all(isinstance(e, dict) for e in raw):
                self.add(table.header, f"write each entry under its own {table.header} line "
                         f"(two brackets), not [{table.name}]", origin)
                return []
            return [self.record(table.name, table.fields, entry, f"{table.header} #{i}",
                                origin) for i, entry in enumerate(raw, 1)]
        if raw is None and not table.implicit:
            if table.required:
                for f in table.fields:
                    if f.required:
                        self.add(f"{table.header} {f.name}", "required (the whole "
                                 f"{table.header} table is missing)")
            return _absent(table.name, table.fields)
        if raw is not None and not isinstance(raw, dict):
            self.add(table.header, f"{table.header} is one table: write it once as "
                     f"{table.header} with one bracket, followed by its keys", origin)
            raw = {}
        return self.record(table.name, table.fields, raw or {}, table.header, origin)

    def record(self, name: str, fields: tuple[Field, ...], raw: dict[str, object],
               prefix: str, origin: tuple[str, ...]) -> Record:
        declared = {f.name: f for f in fields}
        values: dict[str, object] = {}
        for key, value in raw.items():
            where = f"{prefix} {_key(key)}"
            key_origin = origin + (key,) if len(origin) == 1 else origin
            field = declared.get(key)
            if field is None:
                if self.full:
                    self.unlisted += 1
                else:
                    self.add(where, self.unknown_key(key, declared, name), key_origin)
                continue
            message, typed = self.convert(field, value, where, key_origin, f"{name}.{key}")
            if message:
                self.add(where, message, key_origin)
            else:
                values[key] = typed
        for field in fields:
            if field.required and field.name not in raw:
                self.add(f"{prefix} {field.name}", "required", origin)
            if values.get(field.name) is None:
                values[field.name] = self.default(field, name)
        return Record(name, {f.name: values[f.name] for f in fields})

    @staticmethod
    def unknown_key(key: str, declared: dict[str, Field], table: str) -> str:
        close = suggest(key, declared)
        if close:
            return f"unknown key; did you mean '{close}'?"
        owners = [t for t in _tables_with_key(key) if t.name != table]
        if len(owners) == 1:
            return f"unknown key here; '{key}' belongs in {owners[0].header}"
        return "unknown key; the known keys are " + ", ".join(declared)

    def default(self, field: Field, name: str) -> object:
        if field.default_is_today:
            return self.today
        if field.kind in ("table", "tables"):
            return vars(_absent(name, (field,)))[field.name]
        return field.default

    def convert(self, field: Field, value: object, where: str, origin: tuple[str, ...],
                name: str) -> tuple[str, object]:
        """(message, typed value): the message is empty when the value is fine."""
        got = f"got {_shown(value)}"
        kind = field.kind
        if kind == "str":
            if not isinstance(value, str):
                return f"expected text in quotes, {got}", None
            problem = _text_problem(value) or _placeholder_problem(value)
            if problem:
                return problem, None
            if field.pattern and not re.match(field.pattern, value):
                return f"{field.pattern_hint}, {got}", None
            if field.required and not value.strip():
                return "required; it must not be empty", None
            return "", value
        if kind == "int":
            if isinstance(value, bool) or not isinstance(value, int):
                return f"expected a whole number such as 3, {got}", None
            if field.minimum is not None and value < field.minimum:
                return f"must be {field.minimum} or more, {got}", None
            if field.maximum is not None and value > field.maximum:
                return f"must be {field.maximum:,} or less, {got}", None
            return "", value
        if kind == "bool":
            if not isinstance(value, bool):
                return f"expected true or false (without quotes), {got}", None
            return "", value
        if kind == "date":
            return self.date(value, got)
        if kind == "money":
            if isinstance(value, str) and len(value) > 40:  # no amount is that long
                return f'expected an amount of money such as 1234.56 or "$1,234.56", {got}', None
            try:
                return "", parse_money(value)
            except ValueError as e:
                return visible(str(e)), None
        if kind in ("lines", "list"):
            example = toml_value(field.example)
            if not isinstance(value, list):
                return f"expected a list in square brackets, such as {example}, {got}", None
            for i, item in enumerate(value, 1):
                if not isinstance(item, str):
                    return f"item {i} of the list is not text in quotes, got {_shown(item)}", None
                problem = _text_problem(item) or _placeholder_problem(item)
                if problem:
                    return f"item {i} of the list {problem}", None
            total = sum(len(item) for item in value)
            if total > MAX_TEXT:
                return (f"the items of the list are {total:,} characters long together; the "
                        f"limit is {MAX_TEXT:,}: shorten them"), None
            if field.required and not any(item.strip() for item in value):
                return "required; it must not be empty", None
            return "", list(value)
        if kind in ("enum", "state"):
            return self.choice(field, value, got)
        if kind == "table":
            if not isinstance(value, dict):
                return f"expected an inline table such as {_shown(field.example)}, {got}", None
            return "", self.record(name, field.fields, value, where, origin)
        # "tables": a list of inline tables
        if not isinstance(value, list) or not all(isinstance(v, dict) for v in value):
            return f"expected a list of inline tables such as {_shown(field.example)}, {got}", None
        return "", [self.record(name, field.fields, v, f"{where} #{i}", origin)
                    for i, v in enumerate(value, 1)]

    @staticmethod
    def date(value: object, got: str) -> tuple[str, object]:
        if isinstance(value, _dt.datetime):
            return f"expected a date without a time, such as 2026-03-02, {got}", None
        if isinstance(value, _dt.date):
            if not EARLIEST_DATE <= value <= LATEST_DATE:
                return (f"{value.isoformat()} is not a plausible date: lettergen accepts dates "
                        f"from {EARLIEST_DATE.isoformat()} to {LATEST_DATE.isoformat()}; "
                        "check the year"), None
            return "", value
        if isinstance(value, str) and len(value) < 40:
            try:
                _dt.date.fromisoformat(value.strip())
                return f"write the date without quotes: {visible(value.strip())}", None
            except ValueError:
                pass
        return ("expected a date written year-month-day without quotes, such as 2026-03-02, "
                f"{got}", None)

    @staticmethod
    def choice(field: Field, value: object, got: str) -> tuple[str, object]:
        if isinstance(value, str) and value in field.values:
            return "", value
        if field.kind == "state":
            message = f'expected the two-letter code of a US state, DC or PR, such as "IL", {got}'
            if isinstance(value, str) and len(value) <= 100:
                name = suggest(value.strip(), STATES.values())  # "Ilinois" -> Illinois
                by_name = {n: c for c, n in STATES.items()}
                close = by_name[name] if name else suggest(value, STATES)
                if close:
                    message += f"; did you mean '{close}'?"
            return message, None
        message = f"expected one of {', '.join(field.values)}; {got}"
        close = (suggest(value, field.values) if isinstance(value, str) and len(value) <= 100
                 else None)
        if close:
            message += f"; did you mean '{close}'?"
        return message, None

    def consistency(self, tables: dict[str, Record | list[Record]]) -> None:
        """Values that are each fine but plainly contradict each other."""
        from lettergen.case.casefields import ENCLOSURE_RECIPIENTS

        for i, enclosure in enumerate(cast(list, tables["enclosures"]), 1):
            for who in getattr(enclosure, "for") or ():
                if who not in ENCLOSURE_RECIPIENTS:
                    close = suggest(who, ENCLOSURE_RECIPIENTS)
                    self.add(f"[[enclosures]] #{i} for", f"{visible(who)!r} is not a "
                             f"recipient; use {', '.join(ENCLOSURE_RECIPIENTS)}"
                             + (f"; did you mean '{close}'?" if close else ""),
                             ("enclosures",))
        claim, offer, balance, denial = (cast(Record, tables[n]) for n in (
            "claim", "offer", "balance", "denial"))
        pairs = [
            (claim, "service_date", "service_end_date", "[claim]",
             "the last day of care cannot come before the first"),
            (balance, "first_statement_date", "statement_date", "[balance]",
             "the first statement cannot come after the latest one"),
            (denial, "date", "appeal_filed", "[denial]",
             "an appeal cannot be filed before the denial it answers"),
        ]
        for record, early, late, header, why in pairs:
            first, last = getattr(record, early), getattr(record, late)
            if first is not None and last is not None and last < first:
                self.add(f"{header} {late}", f"{toml_value(last)} is before {early} "
                         f"{toml_value(first)}: {why}", (header.strip("[]"), late))
        insurer = cast(Record, tables["insurer"])
        if insurer and ("insurer", "plan_type") not in self.origins and not any(
                p.where.startswith("[insurer]") for p in self.problems):  # a typo'd key
            plan_type = TABLES_BY_NAME["insurer"].field("plan_type")
            assert plan_type is not None
            kinds = "; ".join(f'"{value}" ({meaning})' for value, meaning in plan_type.choices)
            self.add("[insurer] plan_type", "required when [insurer] is given: the kind of "
                     "plan decides which rules, deadlines and letters apply. Write the one "
                     f"that fits, such as plan_type = \"employer\". The choices: {kinds}",
                     ("insurer",))
        self.case_date_after_denial(tables)
        case = cast(Record, tables["case"])
        if case.reading_copy and case.reading_copy == (case.language or "en").split("-")[0]:
            self.add("[case] reading_copy", f"{toml_value(case.reading_copy)} is the "
                     "letters' own language ([case] language); a reading copy is in the "
                     "other language. Remove reading_copy, or change it",
                     ("case", "reading_copy"))
        if offer.monthly is not None and offer.payment != "payment-plan":
            self.add("[offer] monthly", 'a monthly amount needs payment = "payment-plan"; '
                     "add it, or remove monthly for a lump sum", ("offer", "monthly"))

    def case_date_after_denial(self, tables: dict[str, Record | list[Record]]) -> None:
        """A case date (the letters' date) before the denial the case describes is a
        typo in a year or a date: letters would be dated before the decision they
        answer, and every deadline counted from the wrong day."""
        if ("case", "date") not in self.origins:
            return  # no date given: today
        letters_date = cast(Record, tables["case"]).date
        event = cast(Record, tables["denial"]).date  # not the care: a prior-authorization
        # or urgent denial comes before the care it answers
        if isinstance(event, _dt.date) and isinstance(letters_date, _dt.date) \
                and letters_date < event:
            self.add("[case] date", f"{toml_value(letters_date)} is before [denial] date "
                     f"{toml_value(event)}: the letters would be dated before the denial "
                     "they answer. Correct the date that is wrong, or remove [case] date "
                     "to date the letters today", ("case", "date"))
