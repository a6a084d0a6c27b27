"""The case file: money, loading, extends, validation messages, schema and starter file.

Error tests assert on the text a patient reads, not on internals.
"""

from __future__ import annotations

import datetime as dt
import json
import textwrap
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from conftest import MINIMAL_CASE
from lettergen.case.casefields import TABLES, TABLES_BY_NAME, json_schema, starter_case_text
from lettergen.case.casefile import Case, Record, load_case
from lettergen.case.money import format_date, format_money, parse_money
from lettergen.errors import CaseFileError

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = sorted((ROOT / "examples").glob("*.toml"))
BAD = Path(__file__).resolve().parent / "fixtures" / "bad"

MINIMAL = MINIMAL_CASE


def write(folder: Path, text: str, name: str = "case.toml") -> Path:
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


def problems(path: Path) -> list[str]:
    """The problem lines a user reads, in order."""
    with pytest.raises(CaseFileError) as info:
        load_case(path)
    return [str(p) for p in info.value.problems]


def only_problem(folder: Path, text: str) -> str:
    found = problems(write(folder, MINIMAL + textwrap.dedent(text)))
    assert len(found) == 1, found
    return found[0]


# ---- money and dates -----------------------------------------------------------------

@pytest.mark.parametrize(("value", "expected"), [
    (Decimal("1234.56"), "1234.56"), (27000, "27000.00"), ("$1,234.56", "1234.56"),
    ("1234.5", "1234.50"), ("$27,000", "27000.00"), (Decimal("1.500"), "1.50"),
])
def test_parse_money_accepts_numbers_and_dollar_text(value: object, expected: str) -> None:
    amount = parse_money(value)
    assert amount == Decimal(expected) and str(amount) == expected


@pytest.mark.parametrize(("value", "message"), [
    (Decimal("-5"), "cannot be negative, got -5"),
    ("-$5.00", 'cannot be negative, got "-$5.00"'),
    (Decimal("12.345"), "at most two decimals (cents), got 12.345"),
    ("$12.345", 'at most two decimals (cents), got "$12.345"'),
    ("twelve", 'expected an amount of money such as 1234.56 or "$1,234.56", got "twelve"'),
    ("1,23", 'got "1,23"'),
    (True, "got true"),
    (12.5, "got 12.5"),
])
def test_parse_money_rejects_with_a_plain_message(value: object, message: str) -> None:
    with pytest.raises(ValueError) as info:
        parse_money(value)
    assert message in str(info.value)


def test_format_money_and_date() -> None:
    assert format_money(Decimal("27000")) == "$27,000.00"
    assert format_money(Decimal("0.5")) == "$0.50"
    assert format_date(dt.date(2026, 4, 10)) == "April 10, 2026"
    assert format_date(dt.date(2026, 3, 2)) == "March 2, 2026"


@given(st.decimals(min_value=0, max_value=Decimal("999999999999.99"), places=2,
                   allow_nan=False, allow_infinity=False))
def test_money_round_trips_through_its_printed_form(amount: Decimal) -> None:
    assert parse_money(format_money(amount)) == amount


def test_toml_number_and_dollar_text_both_load_as_decimal(tmp_path: Path) -> None:
    case = load_case(write(tmp_path, MINIMAL + """
        [claim]
        service_date = 2026-03-02
        billed = 1234.56
        allowed = "$1,234.56"
        plan_paid = 0
    """))
    assert case.claim.billed == case.claim.allowed == Decimal("1234.56")
    assert type(case.claim.billed) is Decimal and type(case.claim.plan_paid) is Decimal


def _walk(value: object) -> list[object]:
    if isinstance(value, Record):
        return [x for v in vars(value).values() for x in _walk(v)]
    if isinstance(value, list):
        return [x for v in value for x in _walk(v)]
    return [value]


# ---- the sample cases ----------------------------------------------------------------

def test_examples_are_there() -> None:
    assert len(EXAMPLES) >= 7
    assert (ROOT / "examples" / "base" / "er-visit-common.toml").is_file()


@pytest.mark.parametrize("path", EXAMPLES, ids=[p.stem for p in EXAMPLES])
def test_every_example_loads_with_typed_values_and_no_float(path: Path) -> None:
    case = load_case(path)
    assert case.stem == path.stem and case.source_path == path
    assert case.patient and case.provider and case.patient.name
    assert isinstance(case.today, dt.date) and case.today == case.case.date
    values = [v for t in case.tables().values() for v in _walk(t)]
    assert not [v for v in values if isinstance(v, float)]
    assert all(type(v) is str for v in values if isinstance(v, str))


def test_an_example_reads_as_written() -> None:
    case = load_case(ROOT / "examples" / "er-out-of-network.toml")
    assert case.claim.billed == Decimal("27000.00")
    assert case.claim.service_date == dt.date(2026, 3, 2)
    assert case.denial.codes == ["CO-242"] and case.denial.level == 1
    assert [c.code for c in case.charges] == ["99285", "44970", "0360", "0250", "0250"]
    assert case.charges[0].units == 1  # the default
    assert case.charges[4].dispute == "duplicate"
    assert case.patient.name == "Jordan A. Rivera"  # from the base file
    assert case.insurer.plan_type == "employer"
    # no delivery given: certified mail, unless an urgent appeal can go by fax
    assert case.case.language == "en" and case.case.delivery is None
    assert case.files[1].name == "er-visit-common.toml"


# ---- Record and Case -----------------------------------------------------------------

def test_absent_tables_are_falsy_records_with_every_key_none(tmp_path: Path) -> None:
    case = load_case(write(tmp_path, MINIMAL))
    assert not case.denial and case.denial.reason is None and case.denial.level is None
    assert not case.claim and case.claim.number is None
    assert case.charges == [] and case.contacts == [] and case.enclosures == []
    assert case.offer.previous == [] and not case.offer.agreed
    assert case.offer.agreed.amount is None
    assert case.patient and case.patient.phone is None
    assert case.case and case.case.date == dt.date.today() == case.today
    assert repr(case.denial) == "Record[denial](absent)"
    assert "name='Jordan A. Rivera'" in repr(case.patient)


def test_record_is_read_only_and_knows_only_declared_keys(tmp_path: Path) -> None:
    case = load_case(write(tmp_path, MINIMAL))
    with pytest.raises(AttributeError):
        case.patient.name = "Someone else"
    with pytest.raises(AttributeError):
        _ = case.patient.nickname
    assert set(vars(case.patient)) == {f.name for f in TABLES_BY_NAME["patient"].fields}


def test_a_case_can_be_copied_and_pickled_for_batch_builds() -> None:
    import copy
    import pickle

    case = load_case(ROOT / "examples" / "er-anesthesia.toml")
    for clone in (copy.deepcopy(case), pickle.loads(pickle.dumps(case))):
        assert clone.provider.name == case.provider.name and clone.provider
        assert not clone.collector and clone.charges[0].billed == Decimal("6200.00")


def test_a_byte_order_mark_is_not_an_error(tmp_path: Path) -> None:
    path = tmp_path / "case.toml"
    path.write_bytes(b"\xef\xbb\xbf" + textwrap.dedent(MINIMAL).encode())
    assert load_case(path).patient.name == "Jordan A. Rivera"


def test_case_has_an_attribute_per_declared_table() -> None:
    assert set(Case.__annotations__) == set(TABLES_BY_NAME)


def test_records_work_in_a_jinja_sandbox(tmp_path: Path) -> None:
    from jinja2 import StrictUndefined
    from jinja2.exceptions import SecurityError
    from jinja2.sandbox import SandboxedEnvironment

    case = load_case(ROOT / "examples" / "er-out-of-network.toml")
    env = SandboxedEnvironment(undefined=StrictUndefined)
    text = ("{% if claim.number %}{{ claim.number }}{% endif %}"
            "{% if offer %}offer{% else %}no offer{% endif %}"
            "{% for c in charges %}|{{ c.code }}{% endfor %}")
    assert env.from_string(text).render(case.tables()) == (
        "CLM-2026-000123no offer|99285|44970|0360|0250|0250")
    with pytest.raises(SecurityError):
        env.from_string("{{ claim.__class__.__init__.__globals__ }}").render(case.tables())


def test_value_and_missing_by_dotted_path(tmp_path: Path) -> None:
    case = load_case(ROOT / "examples" / "er-out-of-network.toml")
    assert case.value("claim.number") == "CLM-2026-000123"
    assert case.value("charges.billed")[0] == Decimal("3200.00")
    assert case.missing(["claim.number", "charges", "patient.member_id"]) == []
    assert case.missing(["charges.benchmark", "offer.amount", "collector",
                         "offer.previous", "offer.agreed.amount", "claim.service_date"]) == [
        "charges.benchmark", "offer.amount", "collector", "offer.previous",
        "offer.agreed.amount"]
    with pytest.raises(KeyError):
        case.value("claim.numbr")


# ---- validation messages -------------------------------------------------------------

def test_unknown_key_says_did_you_mean(tmp_path: Path) -> None:
    assert only_problem(tmp_path, """
        [balance]
        amount_du = 6200.00
    """) == "[balance] amount_du: unknown key; did you mean 'amount_due'?"


def test_key_in_the_wrong_table_names_the_right_one(tmp_path: Path) -> None:
    assert only_problem(tmp_path, """
        [claim]
        service_date = 2026-03-02
        amount_due = 6200.00
    """) == "[claim] amount_due: unknown key here; 'amount_due' belongs in [balance]"


def test_unknown_table_says_did_you_mean(tmp_path: Path) -> None:
    assert only_problem(tmp_path, """
        [[charge]]
        code = "99285"
    """) == "[[charge]]: unknown table; did you mean [[charges]]?"


def test_wrong_type_names_the_key_and_the_value(tmp_path: Path) -> None:
    assert only_problem(tmp_path, """
        [claim]
        service_date = 2026-03-02
        billed = true
    """) == ('[claim] billed: expected an amount of money such as 1234.56 or "$1,234.56", '
             "got true")


def test_bad_money_in_the_file(tmp_path: Path) -> None:
    found = problems(write(tmp_path, MINIMAL + """
        [balance]
        amount_due = -5
        paid = 12.345
    """))
    assert found == ["[balance] amount_due: an amount of money cannot be negative, got -5",
                     "[balance] paid: an amount of money has at most two decimals (cents), "
                     "got 12.345"]


def test_bad_enum_lists_the_allowed_values(tmp_path: Path) -> None:
    message = only_problem(tmp_path, """
        [insurer]
        plan_type = "medicare advantage"
    """)
    assert message.startswith('[insurer] plan_type: expected one of employer, public-employer,')
    assert 'got "medicare advantage"' in message
    assert message.endswith("did you mean 'medicare-advantage'?")


def test_bad_state_suggests_the_code(tmp_path: Path) -> None:
    assert only_problem(tmp_path, """
        [case]
        state = "Illinois"
    """) == ('[case] state: expected the two-letter code of a US state, DC or PR, such as '
             '"IL", got "Illinois"; did you mean \'IL\'?')


@pytest.mark.parametrize(("value", "message"), [
    ('"2026-03-02"', "write the date without quotes: 2026-03-02"),
    ('"03/02/2026"', 'expected a date written year-month-day without quotes, such as '
                     '2026-03-02, got "03/02/2026"'),
    ("2026-03-02T10:00:00", "expected a date without a time"),
])
def test_bad_date(tmp_path: Path, value: str, message: str) -> None:
    found = only_problem(tmp_path, f"[claim]\nservice_date = {value}\n")
    assert found.startswith(f"[claim] service_date: {message}")


def test_impossible_date_is_a_toml_error_with_line_and_column(tmp_path: Path) -> None:
    found = problems(write(tmp_path, "[claim]\nservice_date = 2026-02-30\n"))
    assert found[0].startswith("line 2, column ")


def test_broken_toml_gives_line_and_column() -> None:
    with pytest.raises(CaseFileError) as info:
        load_case(BAD / "broken-toml.toml")
    assert str(info.value.problems[0]).splitlines() == [
        "line 5, column 9: not valid TOML: a table line needs its closing bracket: [patient] "
        "(the TOML reader says: Expected ']' at the end of a table declaration)",
        "      [patient",
        "              ^"]
    assert str(BAD / "broken-toml.toml") in str(info.value)


def test_every_problem_is_reported_at_once() -> None:
    with pytest.raises(CaseFileError) as info:
        load_case(BAD / "many-problems.toml")
    found = [str(p) for p in info.value.problems]
    assert len(found) >= 3
    assert "[patient] name: required" in found
    assert "[balance] amount_du: unknown key; did you mean 'amount_due'?" in found
    assert "[case] date: write the date without quotes: 2026-05-01" in found
    assert any(f.startswith("[case] state:") and "did you mean 'IL'?" in f for f in found)
    assert any(f.startswith("[provider] kind:") and "'hospital'" in f for f in found)
    assert any(f.startswith("[claim] billed:") and f.endswith("got true") for f in found)
    assert f"{len(found)} problem(s)" in str(info.value)


def test_missing_required_tables_name_their_keys(tmp_path: Path) -> None:
    found = problems(write(tmp_path, '[case]\nstate = "IL"\n'))
    assert found == [
        "[patient] name: required (the whole [patient] table is missing)",
        "[patient] address: required (the whole [patient] table is missing)",
        "[provider] name: required (the whole [provider] table is missing)",
        "[provider] address: required (the whole [provider] table is missing)",
    ]


def test_array_entries_are_named_by_position(tmp_path: Path) -> None:
    found = problems(write(tmp_path, MINIMAL + """
        [[charges]]
        code = "99285"
        billed = 3850.00

        [[charges]]
        code = "0250"
        units = 0
        code_type = "cpt"
    """))
    assert found == [
        "[[charges]] #2 units: must be 1 or more, got 0",
        "[[charges]] #2 code_type: expected one of CPT, HCPCS, REV, NDC, DRG, other; "
        "got \"cpt\"; did you mean 'CPT'?",
        "[[charges]] #2 billed: required",
    ]


def test_single_bracket_for_an_array_table_is_explained(tmp_path: Path) -> None:
    assert only_problem(tmp_path, '[charges]\ncode = "99285"\n').startswith(
        "[[charges]]: write each entry under its own [[charges]] line (two brackets)")


def test_nested_offer_tables_are_checked(tmp_path: Path) -> None:
    found = problems(write(tmp_path, MINIMAL + """
        [offer]
        previous = [{ date = 2026-06-01, amont = 1000 }, { amount = -1 }]
        agreed = { amount = "$1,500.00", reference = 7 }
    """))
    assert found == [
        "[offer] previous #1 amont: unknown key; did you mean 'amount'?",
        "[offer] previous #1 amount: required",
        "[offer] previous #2 amount: an amount of money cannot be negative, got -1",
        "[offer] previous #2 date: required",
        "[offer] agreed reference: expected text in quotes, got 7",
    ]


def test_plain_contradictions_are_errors(tmp_path: Path) -> None:
    found = problems(write(tmp_path, MINIMAL + """
        [claim]
        service_date = 2026-03-04
        service_end_date = 2026-03-02

        [offer]
        monthly = 150
    """))
    assert found == [
        "[claim] service_end_date: 2026-03-02 is before service_date 2026-03-04: "
        "the last day of care cannot come before the first",
        '[offer] monthly: a monthly amount needs payment = "payment-plan"; add it, or '
        "remove monthly for a lump sum",
    ]


def test_a_missing_file_is_named(tmp_path: Path) -> None:
    with pytest.raises(CaseFileError) as info:
        load_case(tmp_path / "nope.toml")
    assert "nope.toml" in str(info.value) and "does not exist" in str(info.value)


# ---- extends -------------------------------------------------------------------------

def test_extends_merges_table_by_table_and_the_child_wins(tmp_path: Path) -> None:
    write(tmp_path, """
        [case]
        state = "TX"
        title = "from the root"

        [insurer]
        name = "Root Plan"
        plan_type = "medicaid"
    """, "shared/root.toml")
    write(tmp_path, """
        [case]
        extends = "root.toml"
        state = "IL"

        [patient]
        name = "Jordan A. Rivera"
        address = ["1200 Elm Street", "Springfield, IL 62701"]

        [insurer]
        name = "Acme Health Plan"
        plan_type = "employer"
        group_number = "G-44021"

        [[charges]]
        code = "BASE"
        billed = 10.00
    """, "shared/base.toml")
    child = write(tmp_path, """
        [case]
        extends = "shared/base.toml"

        [insurer]
        name = "Acme Health Plan of Illinois"

        [provider]
        name = "Prairie Anesthesia Associates"
        address = ["PO Box 450", "Springfield, IL 62705"]

        [[charges]]
        code = "00840"
        billed = 1200.00

        [[charges]]
        code = "00841"
        billed = 900.00
    """)
    case = load_case(child)
    assert case.insurer.name == "Acme Health Plan of Illinois"  # the child wins
    assert case.insurer.group_number == "G-44021"  # the base fills
    assert case.insurer.plan_type == "employer"  # the nearer base wins over the root
    assert case.case.state == "IL" and case.case.title == "from the root"
    assert case.patient.name == "Jordan A. Rivera"
    assert [c.code for c in case.charges] == ["00840", "00841"]  # replaced, not appended
    assert [p.name for p in case.files] == ["case.toml", "base.toml", "root.toml"]


def test_required_fields_are_checked_after_the_merge(tmp_path: Path) -> None:
    write(tmp_path, '[case]\nstate = "IL"\n', "base.toml")  # not a whole case, and fine
    child = write(tmp_path, '[case]\nextends = "base.toml"\n[patient]\nname = "J"\n')
    assert problems(child) == [
        "[patient] address: required",
        "[provider] name: required (the whole [provider] table is missing)",
        "[provider] address: required (the whole [provider] table is missing)",
    ]


def test_a_problem_in_the_base_names_the_base(tmp_path: Path) -> None:
    write(tmp_path, '[insurer]\nplan_typ = "employer"\n', "base.toml")
    child = write(tmp_path, '[case]\nextends = "base.toml"\n' + MINIMAL)
    assert problems(child) == [
        f"[insurer] plan_typ: unknown key; did you mean 'plan_type'? (in {tmp_path}/base.toml)"]


def test_a_missing_base_is_named() -> None:
    with pytest.raises(CaseFileError) as info:
        load_case(BAD / "missing-base.toml")
    assert str(info.value.problems[0]).startswith(
        '[case] extends: the base file "base/no-such-file.toml" was not found')
    assert str(BAD / "missing-base.toml") in str(info.value)


def test_an_extends_cycle_names_the_files() -> None:
    with pytest.raises(CaseFileError) as info:
        load_case(BAD / "cycle-a.toml")
    message = str(info.value)
    assert "extend each other in a circle" in message
    assert "cycle-a.toml -> " in message and "cycle-b.toml -> " in message


def test_a_file_extending_itself_is_a_cycle(tmp_path: Path) -> None:
    path = write(tmp_path, '[case]\nextends = "case.toml"\n')
    assert "extend each other in a circle" in problems(path)[0]


# ---- schema and starter file ---------------------------------------------------------

def test_the_starter_file_loads_and_documents_every_key(tmp_path: Path) -> None:
    text = starter_case_text()
    fix = ("the starter file's placeholder; write the real value in its place (or delete the "
           "line if the key is not required)")
    assert problems(write(tmp_path, text)) == [  # every placeholder left is named
        f'[patient] name: still reads "FILL IN: the patient\'s full name", {fix}',
        f'[patient] address: item 1 of the list still reads "FILL IN: street address", {fix}',
        f'[provider] name: still reads "FILL IN: the name on the bill", {fix}',
        f'[provider] address: item 1 of the list still reads "FILL IN: street or PO box", {fix}']
    case = load_case(write(tmp_path, text.replace("FILL IN", "Filled")))
    assert case.patient.name == "Filled: the patient's full name"
    assert not case.claim and not case.denial  # optional tables stay commented out
    for table in TABLES:
        assert table.header in text
        for field in table.fields:
            assert f"{field.name} = " in text, f"{table.name}.{field.name}"
            assert field.description.split()[0] in text


def _objects(schema: object) -> list[dict[str, object]]:
    if isinstance(schema, dict):
        found = [schema] if schema.get("type") == "object" else []
        return found + [o for v in schema.values() for o in _objects(v)]
    if isinstance(schema, list):
        return [o for v in schema for o in _objects(v)]
    return []


def test_json_schema_declares_every_key_strictly() -> None:
    schema = json_schema()
    json.dumps(schema)  # plain JSON, no Decimal or date left in it
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert set(schema["required"]) == {"patient", "provider"}
    assert all(o["additionalProperties"] is False for o in _objects(schema))
    props = schema["properties"]
    for table in TABLES:
        obj = props[table.name]["items"] if table.array else props[table.name]
        assert set(obj["properties"]) == {f.name for f in table.fields}
        for field in table.fields:
            assert obj["properties"][field.name]["description"] == field.description
    assert props["patient"]["required"] == ["name", "address"]
    assert props["claim"]["properties"]["service_date"]["format"] == "date"
    assert props["claim"]["properties"]["billed"]["$ref"] == "#/$defs/money"
    money = schema["$defs"]["money"]["oneOf"]
    assert money[0] == {"type": "number", "minimum": 0} and money[1]["type"] == "string"
    assert len(props["insurer"]["properties"]["plan_type"]["enum"]) == 13
    assert len(props["denial"]["properties"]["reason"]["enum"]) == 13
    assert props["case"]["properties"]["language"]["default"] == "en"
    agreed = props["offer"]["properties"]["agreed"]["properties"]
    assert set(agreed) == {"date", "amount", "representative", "reference"}
