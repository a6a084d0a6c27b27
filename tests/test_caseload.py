"""lettergen import / export: a caseload spreadsheet (CSV or .xlsx) to case files and back.

The sheets are made the way an advocate makes them: exported from the sample cases, then
edited cell by cell, or written with openpyxl as Excel would save them. Every assertion
reads back what the user gets: the case files (loaded as ``lettergen check`` loads them),
the sheet, and the message on stderr.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
import tomllib
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest

from conftest import EXAMPLES, ROOT
from lettergen.case import spreadsheet
from lettergen.case.casefields import TABLES
from lettergen.case.casefile import Record, load_case
from lettergen.case.columns import FILE_COLUMN, case_toml, parse_column, template_columns
from lettergen.cli import main
from lettergen.output.caseload import export_caseload, import_caseload, template_bytes

EXAMPLE_FILES = sorted(EXAMPLES.glob("*.toml"))


# ---- helpers ---------------------------------------------------------------------------

def read_csv(path: Path) -> list[list[str]]:
    return list(csv.reader(io.StringIO(path.read_bytes().decode("utf-8-sig"), newline="")))


def write_csv(path: Path, rows: list[list[str]]) -> Path:
    with path.open("w", newline="", encoding="utf-8") as handle:
        csv.writer(handle).writerows(rows)
    return path


def write_xlsx(path: Path, rows: list[list[object]]) -> Path:
    book = openpyxl.Workbook()
    for row in rows:
        book.active.append(row)
    book.save(path)
    return path


def set_cell(rows: list[list[str]], file: str, column: str, value: str) -> None:
    header = rows[0]
    if column not in header:
        header.append(column)
        for row in rows[1:]:
            row.append("")
    row = next(r for r in rows[1:] if r[0] == file)
    row[header.index(column)] = value


def plain(value: object) -> object:
    """A loaded case's value as plain data, to compare two cases."""
    if isinstance(value, Record):
        return {k: plain(v) for k, v in vars(value).items()} if value else None
    if isinstance(value, list):
        return [plain(v) for v in value]
    return value


def case_data(path: Path) -> dict[str, object]:
    tables = {name: plain(value) for name, value in load_case(path).tables().items()}
    tables["case"].pop("extends")  # type: ignore[union-attr]  # the export merges bases
    return tables


@pytest.fixture(scope="module")
def exported(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The sample cases exported to CSV once for the module (copy it before editing)."""
    target = tmp_path_factory.mktemp("export") / "cases.csv"
    export_caseload([EXAMPLES], target)
    return target


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    status = main(list(argv))
    out, err = capsys.readouterr()
    return status, out, err


# ---- the round trips -------------------------------------------------------------------

def test_export_of_the_examples_imports_back_to_the_same_cases(exported: Path,
                                                               tmp_path: Path) -> None:
    result = import_caseload(exported, tmp_path / "cases")
    assert result.error() is None
    assert sorted(p.name for p in result.written) == [p.name for p in EXAMPLE_FILES]
    for original in EXAMPLE_FILES:  # bases (extends) merged in: the same case as loaded
        assert case_data(tmp_path / "cases" / original.name) == case_data(original), original


@pytest.mark.parametrize("suffix", [".csv", ".xlsx"])
def test_import_export_import_gives_the_same_files_byte_for_byte(
        exported: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str],
        suffix: str) -> None:
    assert run(capsys, "import", str(exported), "-o", str(tmp_path / "one"))[0] == 0
    sheet = tmp_path / f"again{suffix}"
    status, out, _ = run(capsys, "export", str(tmp_path / "one"), "-o", str(sheet))
    assert status == 0 and out.strip() == str(sheet)
    assert run(capsys, "import", str(sheet), "-o", str(tmp_path / "two"))[0] == 0
    first = sorted((tmp_path / "one").glob("*.toml"))
    assert len(first) == len(EXAMPLE_FILES)
    for path in first:
        assert (tmp_path / "two" / path.name).read_bytes() == path.read_bytes(), path.name


def test_the_written_case_file_is_canonical_and_readable(exported: Path, tmp_path: Path
                                                         ) -> None:
    import_caseload(exported, tmp_path)
    text = (tmp_path / "er-out-of-network.toml").read_text(encoding="utf-8")
    assert text.startswith("# A lettergen case file, written by lettergen import")
    assert "lettergen check er-out-of-network.toml" in text
    headers = [line for line in text.splitlines() if line.startswith("[")]
    order = [t.header for t in TABLES]
    assert [order.index(h) for h in headers] == sorted(order.index(h) for h in headers)
    assert "extends" not in text  # the base is merged into the row and the file
    patient = text.split("[patient]\n", 1)[1].split("\n\n", 1)[0].splitlines()
    keys = [line.split(" = ")[0] for line in patient]
    declared = [f.name for f in TABLES[1].fields]
    assert keys == [k for k in declared if k in keys] and "name" in keys
    assert "billed = 27000.00" in text  # money as a plain number with cents


# ---- bad rows: the good ones are written, every bad one named --------------------------

def _sheet_with_bad_rows(exported: Path, tmp_path: Path, suffix: str) -> Path:
    rows = read_csv(exported)
    set_cell(rows, "er-anesthesia", "claim.service_date", "3/2/2026")
    set_cell(rows, "mri-medical-necessity", "denial.reason", "medical-neccessity")
    if suffix == ".csv":
        return write_csv(tmp_path / "cases.csv", rows)
    return write_xlsx(tmp_path / "cases.xlsx", rows)


@pytest.mark.parametrize("suffix", [".csv", ".xlsx"])
def test_a_bad_row_is_named_and_the_good_rows_are_written(
        exported: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str],
        suffix: str) -> None:
    sheet = _sheet_with_bad_rows(exported, tmp_path, suffix)
    names = [r[0] for r in read_csv(exported)]
    status, out, err = run(capsys, "import", str(sheet), "-o", str(tmp_path / "cases"))
    assert status == 1
    written = sorted(Path(line).name for line in out.splitlines())
    good = sorted(f"{n}.toml" for n in names[1:]
                  if n not in ("er-anesthesia", "mri-medical-necessity"))
    assert written == good == sorted(p.name for p in (tmp_path / "cases").iterdir())
    row = names.index("er-anesthesia") + 1  # the header is row 1
    assert (f"row {row} (er-anesthesia), column claim.service_date: expected a date "
            "year-month-day, such as 2026-03-02, got '3/2/2026'; did you mean 2026-03-02 "
            "(month/day/year)?") in err
    row = names.index("mri-medical-necessity") + 1
    assert f"row {row} (mri-medical-necessity), column denial.reason: expected one of" in err
    assert "did you mean 'medical-necessity'?" in err
    assert f"2 of {len(names) - 1} row(s) not imported; the other {len(good)} case file(s) " \
           f"are in {tmp_path / 'cases'}" in err
    assert "Traceback" not in err
    for name in good:  # each written file is a whole, valid case
        load_case(tmp_path / "cases" / name)


def test_every_problem_of_every_row_is_reported_at_once(tmp_path: Path) -> None:
    header = ["file", "patient.name", "patient.address", "provider.name", "provider.address",
              "insurer.name", "charges.1.code", "charges.3.code", "charges.3.billed",
              "charges.3.units", "offer.previous.2.date", "offer.previous.2.amount"]
    rows = [header,
            ["a", "Ann", "1 Elm St; Town, IL 62701", "Clinic", "PO Box 1; Town, IL 62701",
             "Acme", "99213", "99214", "$12.345", "two", "2026-06-01", ""],
            ["b", "Bo", "1 Elm St", "", "", "", "", "", "", "", "", ""]]
    result = import_caseload(write_csv(tmp_path / "s.csv", rows), tmp_path / "out")
    shown = [str(p) for p in result.problems]
    assert shown == [
        "row 2 (a), column charges.3.billed: an amount of money has at most two decimals "
        '(cents), got "$12.345"',
        "row 2 (a), column charges.3.units: expected a whole number such as 3, got 'two'",
        # the second charge is the sheet's charges.3: "required" for its billed is not
        # repeated, and an entry's column is named by the sheet's number, not "#2"
        "row 2 (a), column charges.1.billed: required",
        "row 2 (a), column offer.previous.2.amount: required",
        "row 2 (a), column insurer.plan_type: " + next(
            p.message for p in result.problems if p.column == "insurer.plan_type"),
        "row 3 (b), column provider.name: required (the whole [provider] table is missing)",
        "row 3 (b), column provider.address: required (the whole [provider] table is "
        "missing)",
    ]
    assert result.written == [] and not (tmp_path / "out").exists()


def test_an_unknown_column_gets_a_did_you_mean_and_holds_only_rows_that_use_it(
        tmp_path: Path) -> None:
    rows = read_csv_minimal()
    rows[0].append("claim.numbr")
    rows[1].append("CLM-1")
    rows[2].append("")
    result = import_caseload(write_csv(tmp_path / "s.csv", rows), tmp_path / "out")
    assert [str(p) for p in result.problems] == [
        "row 1, column claim.numbr: unknown column; did you mean 'claim.number'? (row(s) 2 "
        "have a value in it and were not imported)"]
    assert [p.name for p in result.written] == ["bo.toml"]
    assert result.failed_rows == [2]
    message = str(result.error())
    assert "1 of 2 row(s) not imported; the other 1 case file(s) are in" in message


def read_csv_minimal() -> list[list[str]]:
    return [["file", "patient.name", "patient.address", "provider.name", "provider.address"],
            ["ann", "Ann Lee", "1 Elm St; Town, IL 62701", "Clinic", "PO Box 1; Town, IL"],
            ["bo", "Bo Diaz", "2 Oak St; Town, IL 62701", "Clinic", "PO Box 1; Town, IL"]]


@pytest.mark.parametrize(("column", "hint"), [
    ("charges.2.biled", "did you mean 'charges.2.billed'?"),
    ("Patient.Name", "did you mean 'patient.name'?"),
    ("charges.code", "[[charges]] takes one numbered set of columns per entry, counted from "
                     "1: charges.1.code, charges.2.code..."),
    ("offer.agreed", "names a group of columns, not one; use its keys, such as "
                     "offer.agreed.date"),
    ("offer.previous.date", "offer.previous takes one numbered set of columns per entry"),
])
def test_column_names_that_are_not_columns(column: str, hint: str) -> None:
    assert hint in str(parse_column(column))


# ---- cells ----------------------------------------------------------------------------

def test_lists_money_dates_and_yes_no_cells(tmp_path: Path) -> None:
    rows = read_csv_minimal()[:2]
    extra = {"case.letters": "itemized-bill-request; billing-hold-request",
             "patient.address": "1 Elm St\nTown, IL 62701",  # a cell with a line break
             "claim.service_date": "2026-03-02", "claim.billed": "$1,234.50",
             "claim.emergency": "Yes", "charges.1.billed": "1234.5",
             "charges.1.modifiers": "25;59", "enclosures.1.title": "EOB",
             "enclosures.1.for": "insurer; regulator"}
    for column, value in extra.items():
        set_cell(rows, "ann", column, value)
    import_caseload(write_csv(tmp_path / "s.csv", rows), tmp_path)
    case = load_case(tmp_path / "ann.toml")
    assert case.case.letters == ["itemized-bill-request", "billing-hold-request"]
    assert case.patient.address == ["1 Elm St", "Town, IL 62701"]
    assert case.claim.service_date == dt.date(2026, 3, 2)
    assert case.claim.billed == Decimal("1234.50") and case.claim.emergency is True
    assert case.charges[0].billed == Decimal("1234.50")
    assert case.charges[0].modifiers == ["25", "59"]
    assert getattr(case.enclosures[0], "for") == ["insurer", "regulator"]


def test_xlsx_cells_as_excel_keeps_them(tmp_path: Path) -> None:
    header, row = zip(*[("file", "ann"), ("patient.name", "Ann Lee"),
                        ("patient.address", "1 Elm St; Town, IL 62701"),
                        ("provider.name", "Clinic"), ("provider.address", "PO Box 1"),
                        ("provider.npi", 1234567893), ("claim.service_date",
                                                       dt.datetime(2026, 3, 2)),
                        ("claim.billed", 27000), ("claim.plan_paid", 10.1),
                        ("claim.emergency", True), ("charges.1.billed", 612.4),
                        ("charges.1.units", 3.0)], strict=True)
    import_caseload(write_xlsx(tmp_path / "s.xlsx", [list(header), list(row)]), tmp_path)
    case = load_case(tmp_path / "ann.toml")
    assert case.provider.npi == "1234567893"
    assert case.claim.service_date == dt.date(2026, 3, 2)
    assert (case.claim.billed, case.claim.plan_paid) == (Decimal("27000.00"), Decimal("10.10"))
    assert case.claim.emergency is True
    assert (case.charges[0].billed, case.charges[0].units) == (Decimal("612.40"), 3)


def test_a_date_with_a_time_or_a_plain_number_is_refused(tmp_path: Path) -> None:
    rows = [["file", "claim.service_date", "claim.eob_date"],
            ["a", dt.datetime(2026, 3, 2, 14, 30), 46083]]
    result = import_caseload(write_xlsx(tmp_path / "s.xlsx", rows), tmp_path / "out")
    messages = {p.column: p.message for p in result.problems}
    assert messages["claim.service_date"].startswith("expected a date without a time of day")
    assert messages["claim.eob_date"].startswith("got the number 46083: format the cell as "
                                                 "a date")


def test_the_toml_writer_escapes_what_toml_must_escape() -> None:
    text = case_toml({"case": {"title": 'a "quote" \\ and\nline\x7f'}}, "x")
    assert tomllib.loads(text)["case"]["title"] == 'a "quote" \\ and\nline\x7f'


def test_a_row_is_checked_exactly_as_check_checks_a_file(tmp_path: Path) -> None:
    rows = read_csv_minimal()[:2]
    set_cell(rows, "ann", "insurer.name", "Acme")  # an insurer without its plan type
    set_cell(rows, "ann", "patient.email", "a\x1bb@example.org")
    result = import_caseload(write_csv(tmp_path / "s.csv", rows), tmp_path / "out")
    (tmp_path / "same.toml").write_text(case_toml(
        {"patient": {"name": "Ann Lee", "address": ["1 Elm St", "Town, IL 62701"],
                     "email": "a\x1bb@example.org"},
         "insurer": {"name": "Acme"},
         "provider": {"name": "Clinic", "address": ["PO Box 1", "Town, IL"]}}, "same"))
    with pytest.raises(Exception) as check:
        load_case(tmp_path / "same.toml")
    assert [p.message for p in result.problems] == [p.message for p in
                                                    check.value.problems]  # type: ignore
    assert [p.column for p in result.problems] == ["patient.email", "insurer.plan_type"]


def test_extends_in_a_row_is_relative_to_the_output_folder(tmp_path: Path) -> None:
    out = tmp_path / "out"
    (out / "base").mkdir(parents=True)
    (out / "base" / "common.toml").write_text((EXAMPLES / "base" / "er-visit-common.toml")
                                              .read_text(encoding="utf-8"))
    rows = [["file", "case.extends", "provider.name", "provider.address"],
            ["ok", "base/common.toml", "Clinic", "PO Box 1"],
            ["lost", "base/nowhere.toml", "Clinic", "PO Box 1"]]
    result = import_caseload(write_csv(tmp_path / "s.csv", rows), out)
    assert [p.name for p in result.written] == ["ok.toml"]
    assert load_case(out / "ok.toml").patient.name == "Jordan A. Rivera"
    assert [p.column for p in result.problems] == ["case.extends"]
    assert "the base file \"base/nowhere.toml\" was not found" in result.problems[0].message


# ---- file names -----------------------------------------------------------------------

def test_a_name_is_made_from_the_patient_and_the_claim_when_there_is_no_file_column(
        tmp_path: Path) -> None:
    rows = [r[1:] for r in read_csv_minimal()]
    rows[0] += ["claim.number", "claim.service_date"]
    rows[1] += ["CLM 2026/0001", "2026-03-02"]
    rows[2] += ["", ""]
    result = import_caseload(write_csv(tmp_path / "s.csv", rows), tmp_path)
    assert sorted(p.name for p in result.written) == ["ann-lee-clm-2026-0001.toml",
                                                      "bo-diaz-clinic.toml"]


@pytest.mark.parametrize("name", ["../escape", "sub/dir", "CON", "a:b", ".hidden", "x" * 120,
                                  "trailing."])
def test_an_unsafe_file_name_is_refused_and_nothing_leaves_the_folder(
        tmp_path: Path, name: str) -> None:
    rows = read_csv_minimal()[:2]
    rows[1][0] = name
    out = tmp_path / "deep" / "out"
    result = import_caseload(write_csv(tmp_path / "s.csv", rows), out)
    assert result.written == [] and list(tmp_path.rglob("*.toml")) == []
    assert result.problems[0].column == FILE_COLUMN
    assert "is not a safe file name on every computer" in result.problems[0].message


def test_two_rows_with_one_file_name_are_both_named(tmp_path: Path) -> None:
    rows = read_csv_minimal()
    rows[1][0], rows[2][0] = "Rivera.toml", "rivera"  # the same file on Windows and macOS
    result = import_caseload(write_csv(tmp_path / "s.csv", rows), tmp_path / "out")
    assert [str(p) for p in result.problems] == [
        "row 2 (Rivera), column file: row 3 makes the same file rivera.toml; give one of "
        "them another name in the file column",
        "row 3 (rivera), column file: row 2 makes the same file rivera.toml; give one of "
        "them another name in the file column"]
    assert result.written == []


def test_existing_files_are_kept_unless_forced(tmp_path: Path,
                                               capsys: pytest.CaptureFixture[str]) -> None:
    sheet = write_csv(tmp_path / "s.csv", read_csv_minimal())
    out = tmp_path / "out"
    assert run(capsys, "import", str(sheet), "-o", str(out))[0] == 0
    (out / "bo.toml").write_text("# my own edits\n" + (out / "bo.toml").read_text())
    status, stdout, err = run(capsys, "import", str(sheet), "-o", str(out))
    assert status == 1 and stdout == ""
    assert "1 case file(s) already matched their row; left as they are" in err
    assert "row 3 (bo), column file:" in err and "exists already (add --force" in err
    assert (out / "bo.toml").read_text().startswith("# my own edits")
    status, stdout, _ = run(capsys, "import", str(sheet), "-o", str(out), "--force")
    assert status == 0 and stdout.split() == [str(out / "bo.toml")]
    assert not (out / "bo.toml").read_text().startswith("# my own edits")


# ---- hostile and foreign sheets -------------------------------------------------------

def test_formula_like_text_is_escaped_in_csv_and_comes_back_as_typed(
        tmp_path: Path) -> None:
    rows = read_csv_minimal()[:2]
    texts = {"case.title": "=HYPERLINK(\"http://x\")", "patient.phone": "+1 217 555 0142",
             "patient.email": "@home", "claim.number": "-5", "provider.phone": "'quoted"}
    for column, value in {**texts, "claim.service_date": "2026-03-02"}.items():
        set_cell(rows, "ann", column, value)
    assert import_caseload(write_csv(tmp_path / "s.csv", rows), tmp_path / "one").error() \
        is None
    export_caseload([tmp_path / "one"], tmp_path / "out.csv")
    back = dict(zip(*read_csv(tmp_path / "out.csv"), strict=True))
    for column, value in texts.items():
        assert back[column] == "'" + value  # Excel shows text, never runs a formula
    export_caseload([tmp_path / "one"], tmp_path / "out.xlsx")
    sheet = openpyxl.load_workbook(tmp_path / "out.xlsx").worksheets[0]
    cell = sheet.cell(2, [c.value for c in sheet[1]].index("case.title") + 1)
    assert (cell.value, cell.data_type) == (texts["case.title"], "s")  # text, not formula
    for again in ("out.csv", "out.xlsx"):
        import_caseload(tmp_path / again, tmp_path / again.replace(".", "-"))
        case = load_case(tmp_path / again.replace(".", "-") / "ann.toml")
        assert (case.case.title, case.patient.phone, case.patient.email, case.claim.number,
                case.provider.phone) == tuple(texts.values())


def test_a_formula_in_a_workbook_is_never_evaluated(tmp_path: Path) -> None:
    rows = read_csv_minimal()[:2]
    set_cell(rows, "ann", "case.title", "=1+1")  # openpyxl saves it as a formula
    result = import_caseload(write_xlsx(tmp_path / "s.xlsx", rows), tmp_path)
    assert result.error() is None
    assert "1+1" not in (tmp_path / "ann.toml").read_text() and "title" not in \
        (tmp_path / "ann.toml").read_text()  # no value saved with it: the cell is empty


def test_csv_encodings(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    rows = read_csv_minimal()[:2]
    rows[1][1] = "Ana Muñoz"
    text = "\r\n".join(",".join(f'"{c}"' for c in row) for row in rows) + "\r\n"
    for name, data in [("bom.csv", "\ufeff" + text), ("plain.csv", text)]:
        (tmp_path / name).write_text(data, encoding="utf-8")
        assert import_caseload(tmp_path / name, tmp_path / name[:-4]).error() is None
        assert load_case(tmp_path / name[:-4] / "ann.toml").patient.name == "Ana Muñoz"
    (tmp_path / "excel.csv").write_bytes(text.encode("cp1252"))
    status, _, err = run(capsys, "import", str(tmp_path / "excel.csv"), "-o", str(tmp_path))
    assert status == 1
    assert 'line 2 is not UTF-8 text (Excel\'s plain "CSV" format writes Windows-1252); in ' \
           'Excel choose Save As > "CSV UTF-8 (Comma delimited)"' in err
    (tmp_path / "utf16.csv").write_bytes(text.encode("utf-16"))
    assert "UTF-16" in run(capsys, "import", str(tmp_path / "utf16.csv"), "-o",
                           str(tmp_path))[2]


def test_semicolon_separated_csv_as_excel_writes_it_in_europe(tmp_path: Path) -> None:
    rows = read_csv_minimal()[:2]
    (tmp_path / "s.csv").write_text("\n".join(";".join(f'"{c}"' for c in r) for r in rows),
                                    encoding="utf-8")
    import_caseload(tmp_path / "s.csv", tmp_path)
    assert load_case(tmp_path / "ann.toml").patient.address == ["1 Elm St", "Town, IL 62701"]


def test_sheets_over_the_limits_are_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                            capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setattr(spreadsheet, "MAX_ROWS", 3)
    rows = read_csv_minimal() + [[f"c{i}", "C", "1 St", "P", "Box"] for i in range(3)]
    for sheet in (write_csv(tmp_path / "s.csv", rows), write_xlsx(tmp_path / "s.xlsx", rows)):
        status, _, err = run(capsys, "import", str(sheet), "-o", str(tmp_path / "out"))
        assert status == 1 and "more than 3 rows of cases; split the caseload" in err
    monkeypatch.setattr(spreadsheet, "MAX_COLUMNS", 4)
    status, _, err = run(capsys, "import", str(tmp_path / "s.csv"), "-o", str(tmp_path))
    assert "row 1 has more than 4 columns" in err
    monkeypatch.setattr(spreadsheet, "MAX_UNZIPPED", 1000)
    assert "the workbook unpacks to" in run(capsys, "import", str(tmp_path / "s.xlsx"), "-o",
                                            str(tmp_path))[2]
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize(("name", "data", "says"), [
    ("old.xls", b"\xd0\xcf\x11\xe0", "a caseload is a .csv or .xlsx file"),
    ("fake.xlsx", b"not a zip", "not an Excel workbook (.xlsx)"),
    ("empty.csv", b"", "the sheet is empty; row 1 must name the columns"),
])
def test_files_that_are_not_caseloads(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                      name: str, data: bytes, says: str) -> None:
    (tmp_path / name).write_bytes(data)
    status, _, err = run(capsys, "import", str(tmp_path / name), "-o", str(tmp_path))
    assert status == 1 and says in err and "Traceback" not in err


def test_a_broken_workbook_is_a_message(tmp_path: Path,
                                        capsys: pytest.CaptureFixture[str]) -> None:
    import zipfile

    with zipfile.ZipFile(tmp_path / "broken.xlsx", "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types")
    status, _, err = run(capsys, "import", str(tmp_path / "broken.xlsx"), "-o", str(tmp_path))
    assert status == 1 and "cannot read the workbook" in err and "Traceback" not in err


# ---- export ---------------------------------------------------------------------------

def test_export_refuses_an_invalid_case_and_writes_nothing(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "bad.toml").write_text('[patient]\nname = "A"\n')
    status, _, err = run(capsys, "export", str(EXAMPLE_FILES[0]), str(tmp_path / "bad.toml"),
                         "-o", str(tmp_path / "out.csv"))
    assert status == 1 and "nothing was written" in err and "bad.toml" in err
    assert not (tmp_path / "out.csv").exists()


def test_export_never_overwrites_without_force(tmp_path: Path,
                                               capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "out.csv").write_text("mine")
    status, _, err = run(capsys, "export", str(EXAMPLE_FILES[0]), "-o",
                         str(tmp_path / "out.csv"))
    assert status == 1 and "exists already (add --force" in err
    assert (tmp_path / "out.csv").read_text() == "mine"


def test_export_makes_room_for_every_charge(tmp_path: Path) -> None:
    rows = read_csv_minimal()[:2]
    for i in range(1, 8):
        set_cell(rows, "ann", f"charges.{i}.billed", str(i))
    import_caseload(write_csv(tmp_path / "s.csv", rows), tmp_path / "one")
    export_caseload([tmp_path / "one"], tmp_path / "out.csv")
    header = read_csv(tmp_path / "out.csv")[0]
    assert "charges.7.billed" in header and "charges.8.billed" not in header
    assert len(load_case(tmp_path / "one" / "ann.toml").charges) == 7


# ---- the template ---------------------------------------------------------------------

def test_the_template_has_every_declared_key_as_a_column() -> None:
    columns = template_columns()
    assert columns[0] == FILE_COLUMN and len(columns) == len(set(columns))
    for table in TABLES:
        for field in table.fields:
            if field.kind in ("table", "tables"):
                continue
            prefix = f"{table.name}.1" if table.array else table.name
            assert f"{prefix}.{field.name}" in columns
    assert "charges.5.billed" in columns and "charges.6.billed" not in columns
    assert "offer.previous.2.amount" in columns and "offer.agreed.reference" in columns


def test_the_checked_in_csv_template_matches_the_declaration() -> None:
    shipped = ROOT / "lettergen" / "data" / "caseload-template.csv"
    assert shipped.read_bytes() == template_bytes(".csv"), (
        "regenerate it: python -c \"from lettergen.output.caseload import template_bytes; "
        "open('lettergen/data/caseload-template.csv','wb').write(template_bytes('.csv'))\"")


def test_the_xlsx_template_explains_every_column(tmp_path: Path,
                                                 capsys: pytest.CaptureFixture[str]) -> None:
    target = tmp_path / "cases.xlsx"
    status, out, err = run(capsys, "import", "--template", str(target))
    assert status == 0 and out.strip() == str(target)
    book = openpyxl.load_workbook(target)
    cases, guide = book.worksheets
    header = [c.value for c in cases[1]]
    assert header == template_columns()
    reason = cases.cell(1, header.index("denial.reason") + 1)
    assert "out-of-network" in reason.comment.text and "Why the claim was denied" in \
        reason.comment.text
    lists = {str(v.sqref).split(":")[0]: v.formula1 for v in cases.data_validations.dataValidation}
    letter = reason.column_letter
    assert "out-of-network" in lists[f"{letter}2"]
    assert [c.value for c in guide[1]] == ["Column", "Type", "Required", "Meaning",
                                           "Allowed values"]
    assert ["charges.N.billed", "amount of money", "per entry"] in [
        [c.value for c in row][:3] for row in guide.iter_rows()]
    assert run(capsys, "import", "--template", str(target))[0] == 1  # no overwrite
    status, _, err = run(capsys, "import", str(target), "-o", str(tmp_path / "out"))
    assert status == 1 and "the sheet has a header but no rows of cases below it" in err


def test_import_needs_a_sheet_and_a_folder(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_:
        main(["import", "cases.csv"])
    assert exit_.value.code == 2
    assert "name the sheet and the folder" in capsys.readouterr().err


def test_the_guide_lists_every_column_from_the_declaration() -> None:
    from lettergen.output.caseload import column_reference

    page = (ROOT / "site" / "spreadsheets.md").read_text(encoding="utf-8")
    assert "<!-- lettergen:caseload-columns -->" in page  # the plugin fills it in
    table = column_reference()
    shapes = {re.sub(r"\.\d+\.", ".N.", name) for name in template_columns()}
    listed = {line.split("`")[1] for line in table.splitlines()[2:]}
    assert listed == shapes
    assert "| `charges.N.billed` | amount of money | per entry |" in table
    assert "| `patient.name` | text | yes |" in table


def test_an_output_folder_that_is_a_file_is_one_message(tmp_path: Path,
                                                        capsys: pytest.CaptureFixture[str]
                                                        ) -> None:
    (tmp_path / "cases").write_text("a file")
    sheet = write_csv(tmp_path / "s.csv", read_csv_minimal())
    status, _, err = run(capsys, "import", str(sheet), "-o", str(tmp_path / "cases"))
    assert status == 1 and err.strip() == (f"lettergen: {tmp_path / 'cases'} is a file; name "
                                           "a folder for the case files with -o")
