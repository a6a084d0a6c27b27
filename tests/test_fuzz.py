"""Fuzzing the case loader and the letters: whatever the file holds, lettergen answers
with a ``LettergenError`` (a message and exit status 1) or with letters, never with a
traceback.

The documents are built from the real declaration (``casefields.TABLES``): the example
cases with values swapped for odd ones, and documents made from declared and made-up
table and key names, with values of every TOML type (odd text, huge and negative
numbers, dates at the ends of the calendar, nested tables and arrays). Runs are
derandomized, so CI sees the same examples every time; together they take well under
a minute.
"""

from __future__ import annotations

import copy
import datetime as dt
import tomllib
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
import tomli_w
from hypothesis import HealthCheck, Phase, event, given, settings
from hypothesis import strategies as st

from conftest import EXAMPLES, case_file
from lettergen.case.casefields import TABLES, Field
from lettergen.case.casefile import _text_problem, load_case
from lettergen.errors import CaseFileError, LettergenError, TemplateError
from lettergen.letters.render import render_letter
from lettergen.letters.templates import list_templates
from lettergen.packs.folder import open_packs
from lettergen.reports.check import check_case
from lettergen.reports.timeline import ics_bytes, timeline_text
from lettergen.writers import render

FUZZ = settings(deadline=None, derandomize=True, database=None,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large,
                                       HealthCheck.filter_too_much])

PACKS = open_packs([])
TEMPLATE_IDS = sorted(t.id for t in list_templates(PACKS))


def _example(path: Path) -> dict[str, Any]:
    data = tomllib.loads(path.read_text("utf-8"), parse_float=Decimal)
    if "extends" in data.get("case", {}):
        data["case"]["extends"] = str((path.parent / data["case"]["extends"]).resolve())
    return data


EXAMPLE_DATA = [_example(p) for p in sorted(EXAMPLES.glob("*.toml"))]
EXAMPLE_TEXTS = [p.read_text("utf-8") for p in sorted(EXAMPLES.glob("*.toml"))]

# ---- values --------------------------------------------------------------------------------

ODD_TEXT = [
    "", " ", "\n", "\t", "\r\n", "  padded  ", "{{ patient.name }}", "{% if x %}", "{#", "}}",
    "**bold**", "_it_", "<b>html</b>", "<script>alert(1)</script>", "&amp;", "\\", "\\n",
    "[[charges]]", "[x](http://e.org)", "| a | b |", "# heading", "- item", "1. item", "---",
    "+++", ":::", "```", "$", "$-1", "-$5.00", "$1,234.56", "1e400", "NaN", "None", "null",
    "true", "0", "-1", "9999-12-31", "2026-02-30", "2026-03-02", "FILL IN: name",
    "\u202eRTL override", "\u200b", "\ufeff", "😀" * 20, "A" * 300, "word " * 2_100,
    "x" * 10_001, "\x1b[31mred", "\x00", "\x07", "\x85", "\x9b2J", "\ufffe", "\U0010ffff",
    "CO-242", "99285", "IL", "en", "es", "xx-Latn", "hospital", "medicare", "internal-appeal",
    "Ŝpëçïål çhåråçtërs", "中文名字", "ا", "\u0301", "@" * 80, "%s %d {0}", "'", '"', "''' \"\"\"",
]

odd_text = st.one_of(st.sampled_from(ODD_TEXT), st.text(max_size=30),
                     st.text(st.characters(codec="utf-8"), max_size=120))
# text the loader accepts, to reach the letters: odd, but no control characters
mild_text = st.one_of(
    st.sampled_from([t for t in ODD_TEXT if not _text_problem(t)]),
    st.text(st.characters(codec="utf-8", exclude_categories=("Cc", "Cs", "Cn")), max_size=80))
odd_date = st.one_of(
    st.sampled_from([dt.date(1, 1, 1), dt.date(9999, 12, 31), dt.date(1899, 12, 31),
                     dt.date(1900, 1, 1), dt.date(2099, 12, 31), dt.date(2100, 1, 1),
                     dt.date(2024, 2, 29), dt.date(2026, 4, 25)]),
    st.dates(), st.dates(dt.date(1900, 1, 1), dt.date(2099, 12, 31)),
    st.dates(dt.date(2025, 1, 1), dt.date(2027, 12, 31)))
odd_int = st.one_of(st.sampled_from([0, -1, 1, 2, 3, 10, 365, 366, 100_000, 2**31, 2**63 - 1,
                                     -(2**63), 10**30]), st.integers(),
                    st.integers(-10, 400))
odd_money = st.one_of(
    st.decimals(min_value=0, max_value=10**7, places=2, allow_nan=False),
    st.sampled_from([Decimal("0"), Decimal("-0"), Decimal("0.01"), Decimal("-5"),
                     Decimal("12.345"), Decimal("1E+2"), Decimal("1E+20"),
                     Decimal("999999999999.99"),
                     Decimal("NaN"), Decimal("Infinity"), "$1,234.56", "1234.5", "$27,000",
                     "twelve", "-$5", "$", "1,23", "$0.00"]),
    st.integers(-10, 10**13), st.floats())
scalars = st.one_of(odd_text, odd_int, st.booleans(), st.floats(), odd_date,
                    st.datetimes(timezones=st.sampled_from([None, dt.UTC,
                                                            dt.timezone(dt.timedelta(hours=-5))])),
                    st.times(), odd_money)
keys = st.one_of(st.text(max_size=12), st.sampled_from(
    sorted({f.name for t in TABLES for f in t.fields} | {t.name for t in TABLES})))
any_value = st.recursive(scalars, lambda inner: st.one_of(
    st.lists(inner, max_size=4), st.dictionaries(keys, inner, max_size=4)), max_leaves=12)


def plausible(field: Field, mild: bool = False) -> st.SearchStrategy[Any]:
    """A value of the field's own kind, odd but of the right type most of the time;
    ``mild``: one the loader is likely to accept."""
    kind = field.kind
    odd_text_ = mild_text if mild else odd_text
    if kind == "str":
        text = odd_text_
        if field.pattern:
            text = st.one_of(text, st.from_regex(field.pattern, fullmatch=True))
        return text
    if kind == "int":
        if mild:
            return st.integers(field.minimum or 0, field.maximum or 10**6)
        return odd_int
    if kind == "bool":
        return st.booleans()
    if kind == "date":
        return st.dates(dt.date(1990, 1, 1), dt.date(2099, 12, 31)) if mild else odd_date
    if kind == "money":
        return st.decimals(0, 10**9, places=2) if mild else odd_money
    if kind in ("lines", "list"):
        item = st.sampled_from(TEMPLATE_IDS) if field.name == "letters" else odd_text_
        return st.lists(item, min_size=1 if mild else 0, max_size=5)
    if kind in ("enum", "state"):
        return st.sampled_from(field.values) if mild else st.one_of(
            st.sampled_from(field.values), odd_text)
    if kind == "table":
        return record(field.fields, mild)
    return st.lists(record(field.fields, mild), max_size=3)


def record(fields: tuple[Field, ...], mild: bool = False) -> st.SearchStrategy[dict[str, Any]]:
    """A table: some declared keys with plausible or arbitrary values, some made up."""
    if mild:
        return st.fixed_dictionaries({}, optional={f.name: plausible(f, True) for f in fields})
    declared = st.fixed_dictionaries({}, optional={
        f.name: st.one_of(plausible(f), plausible(f), plausible(f), any_value) for f in fields})
    extra = st.dictionaries(keys, any_value, max_size=2)
    return st.builds(lambda a, b: {**b, **a}, declared, extra)


@st.composite
def mild_documents(draw: st.DrawFn) -> dict[str, Any]:
    """An example case with a few values swapped for odd ones the loader accepts."""
    data = copy.deepcopy(draw(st.sampled_from(EXAMPLE_DATA)))
    for _ in range(draw(st.integers(1, 8))):
        table = draw(st.sampled_from(TABLES))
        if table.array:
            entries = data.setdefault(table.name, [])
            if not entries or draw(st.booleans()):
                entries.append(draw(record(table.fields, True)))
                continue
            entry = entries[draw(st.integers(0, len(entries) - 1))]
        else:
            entry = data.setdefault(table.name, {})
        field = draw(st.sampled_from(table.fields))
        if draw(st.integers(0, 4)):
            entry[field.name] = draw(plausible(field, True))
        else:
            entry.pop(field.name, None)
    return data


@st.composite
def documents(draw: st.DrawFn) -> dict[str, Any]:
    """A case document: an example with edits, or one made from the declaration."""
    if draw(st.integers(0, 3)):
        data = copy.deepcopy(draw(st.sampled_from(EXAMPLE_DATA)))
        for _ in range(draw(st.integers(1, 6))):
            table = draw(st.sampled_from(TABLES))
            if table.array:
                entries = data.setdefault(table.name, [])
                if not isinstance(entries, list):
                    continue
                if not entries or draw(st.booleans()):
                    entries.append(draw(record(table.fields)))
                    continue
                entry = entries[draw(st.integers(0, len(entries) - 1))]
            else:
                entry = data.setdefault(table.name, {})
            if not isinstance(entry, dict):
                continue
            field = draw(st.sampled_from(table.fields))
            action = draw(st.integers(0, 9))
            if action == 0:
                entry.pop(field.name, None)
            elif action == 1:
                entry[draw(keys)] = draw(any_value)
            elif action == 2:
                entry[field.name] = draw(any_value)
            else:
                entry[field.name] = draw(plausible(field))
        if draw(st.integers(0, 9)) == 0:
            data[draw(keys)] = draw(any_value)
        if draw(st.integers(0, 19)) == 0:
            data.pop(draw(st.sampled_from(sorted(data))), None)
        return data
    data = {}
    for table in draw(st.lists(st.sampled_from(TABLES), max_size=8, unique_by=lambda t: t.name)):
        rec = record(table.fields)
        data[table.name] = draw(st.lists(rec, max_size=3) if table.array else rec)
    for name in ("patient", "provider"):
        if name not in data and draw(st.booleans()):
            data[name] = {"name": "Jordan A. Rivera", "address": ["1 Elm St", "Springfield"]}
    data.update(draw(st.dictionaries(keys, any_value, max_size=2)))
    return data


def toml_of(data: dict[str, Any]) -> str:
    def clean(value: Any) -> Any:  # tomli_w writes no None
        if isinstance(value, dict):
            return {k: clean(v) for k, v in value.items() if v is not None}
        if isinstance(value, list):
            return [clean(v) for v in value if v is not None]
        return value

    return tomli_w.dumps(clean(data))


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("fuzz")


def _load(folder: Path, text: str | bytes) -> Any:
    """The loaded case, or None when the loader refused it with a LettergenError."""
    path = folder / "case.toml"
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_bytes(text.encode("utf-8", "surrogatepass"))
    try:
        case = load_case(path)
    except LettergenError:
        event("refused by the loader")
        return None
    event("loaded")
    return case


# ---- the loader ----------------------------------------------------------------------------

@settings(FUZZ, max_examples=400)
@given(documents())
def test_any_document_loads_or_is_refused_with_a_message(folder, data):
    _load(folder, toml_of(data))


@settings(FUZZ, max_examples=300)
@given(st.one_of(st.binary(max_size=600), st.text(max_size=600),
                 st.builds(lambda text, at, cut, insert: text[:at] + insert + text[at + cut:],
                           st.sampled_from(EXAMPLE_TEXTS), st.integers(0, 3000),
                           st.integers(0, 40), st.one_of(st.text(max_size=30),
                                                         st.sampled_from(ODD_TEXT)))))
def test_any_bytes_load_or_are_refused_with_a_message(folder, content):
    _load(folder, content)


# ---- the letters ---------------------------------------------------------------------------

def _letters(case: Any, draw: st.DataObject) -> list[str]:
    """The case's own letters and up to three more, each once."""
    chosen = draw.draw(st.lists(st.sampled_from(TEMPLATE_IDS), max_size=3, unique=True))
    own = [i for i in (case.case.letters or []) if i in TEMPLATE_IDS][:4]
    return list(dict.fromkeys(own + chosen))


def _write(case: Any, letter_id: str) -> None:
    letter = render_letter(case, letter_id, PACKS)
    for fmt in ("md", "html", "docx"):
        render(letter.document, fmt)


@settings(FUZZ, max_examples=200)
@given(st.one_of(mild_documents(), mild_documents(), mild_documents(), documents()), st.data())
def test_every_letter_of_a_loaded_case_renders_or_is_refused(folder, data, draw):
    case = _load(folder, toml_of(data))
    if case is None:
        return
    for letter_id in _letters(case, draw):
        try:
            _write(case, letter_id)
            event("letter written")
        except LettergenError as exc:
            event(f"letter refused: {type(exc).__name__}")


@settings(FUZZ, max_examples=150)
@given(st.one_of(mild_documents(), documents()))
def test_check_and_timeline_of_a_loaded_case(folder, data):
    case = _load(folder, toml_of(data))
    if case is None:
        return
    try:
        report = check_case(case, PACKS)
        report.as_text()
        report.as_json()
    except LettergenError:
        pass
    timeline_text([case], case.today)
    ics_bytes([case], case.today)


# ---- what the fuzzer found in the built-in templates -------------------------------------------
#
# The built-in templates turned these case shapes into a TemplateError ("pack built-in,
# _partials/macros.md, line 28: the template printed an empty case value"), which names
# no case field. Fixed: a [[contacts]] entry needs its date and party and a [[charges]]
# line its amount (the loader says so, naming the field), and the billing hold reads a
# [denial] without a date. Each case must now build, or be refused naming the field.


def _contact(**values: object) -> list[dict[str, object]]:
    return [values]


@pytest.mark.parametrize(("example", "changes", "letter_id"), [
    pytest.param("er-out-of-network", {"denial": {"reason": "out-of-network"}},
                 "billing-hold-request", id="denial-without-date"),
    pytest.param("er-out-of-network", {"contacts": _contact(party="provider", summary="x")},
                 "itemized-bill-request", id="contact-without-date-in-contact-table"),
    pytest.param("er-out-of-network", {"contacts": _contact(date=dt.date(2026, 4, 21),
                                                            summary="x")},
                 "internal-appeal", id="contact-without-party-in-contact-table"),
    pytest.param("er-out-of-network", {"contacts": _contact(party="provider", kind="call")},
                 "call-confirmation", id="call-without-date-or-summary"),
    pytest.param("er-out-of-network", {"contacts": _contact(party="provider", kind="call",
                                                            summary="Agreed a hold")},
                 "call-confirmation", id="call-without-date"),
    pytest.param("collections-final-offer", {"charges": [
        {"code": "99285", "description": "ED visit", "dispute": "upcoding"}]},
                 "settlement-offer", id="disputed-line-without-billed-settlement"),
    pytest.param("collections-final-offer", {"charges": [
        {"code": "99285", "description": "ED visit", "dispute": "upcoding"}]},
                 "final-offer", id="disputed-line-without-billed-final"),
])
def test_found_template_error(tmp_path, example, changes, letter_id):
    try:
        case = load_case(case_file(tmp_path, example, changes))
    except CaseFileError as exc:
        assert "required" in str(exc)
        return
    try:
        _write(case, letter_id)
    except TemplateError:
        raise
    except LettergenError:
        pass  # refused naming what is missing: what the fix should give


@settings(FUZZ, max_examples=150, phases=[Phase.explicit, Phase.generate])  # no shrinking
@given(mild_documents(), st.data())
def test_built_in_templates_never_fail_on_a_loaded_case(folder, data, draw):
    """Stricter than the test above: a TemplateError from the built-in pack is a bug in
    the pack (its templates do not handle a case the loader accepts)."""
    case = _load(folder, toml_of(data))
    if case is None:
        return
    for letter_id in _letters(case, draw):
        try:
            _write(case, letter_id)
        except TemplateError:
            raise
        except LettergenError:
            pass
