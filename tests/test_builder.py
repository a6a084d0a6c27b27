"""The case-file builder (site/builder.md, site/assets/builder.js) driven in Chromium as a
patient would use it: each sample case typed into the real form, the download read back
and checked by `lettergen check`; a wrong value refused with the loader's own message.

Skipped where Chromium is not installed, like tests/test_site.py, whose site build,
server and browser this reuses.
"""

from __future__ import annotations

import datetime as _dt
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import pytest
from test_site import built, open_page, server  # noqa: F401 (fixtures; browser is in conftest)

from conftest import ROOT
from lettergen.case.casefields import TABLES
from lettergen.case.casefile import Record, load_case
from lettergen.errors import CaseFileError

EXAMPLES = sorted(p for p in (ROOT / "examples").glob("*.toml"))
FULL_CASES = sorted((ROOT / "tests" / "fixtures" / "full-cases").glob("*.toml"))
"""Fully filled cases: a representative, enclosures with kind and for, a credit report,
contacts with several parties, so every kind of key goes through the form."""


def open_builder(browser, server):  # noqa: F811
    page, errors = open_page(browser, f"{server}/builder.html")
    page.wait_for_selector("#builder-fields[data-ready='true']")
    return page, errors


def fill(scope, fields, path, record) -> None:
    """Type one table's values into the form, key by key, as a person would."""
    for field in fields:
        value = getattr(record, field.name)
        sub = f"{path}.{field.name}"
        if value is None or value == [] or sub == "case.extends":
            continue  # the download holds the merged values: no base file to extend
        control = scope.locator(f"[data-path='{sub}']").first
        if field.kind == "table":
            if value:
                fill(control, field.fields, sub, value)
        elif field.kind == "tables":
            for i, entry in enumerate(value):
                scope.locator(f"button[data-add='{sub}']").click()
                fill(scope.locator(f".builder-entry[data-path='{sub}']").nth(i), field.fields,
                     sub, entry)
        elif field.kind == "bool":
            control.locator(f"input[value='{'true' if value else 'false'}']").check()
        elif field.kind in ("enum", "state"):
            control.select_option(value)
        elif field.kind in ("lines", "list"):
            control.fill("\n".join(value))
        elif isinstance(value, _dt.date):
            control.fill(value.isoformat())
        else:
            control.fill(str(value))


def fill_case(page, case) -> None:
    for table in TABLES:
        record = getattr(case, table.name)
        if table.array:
            for i, entry in enumerate(record):
                page.click(f"button[data-add='{table.name}']")
                fill(page.locator(f".builder-entry[data-path='{table.name}']").nth(i),
                     table.fields, table.name, entry)
        elif record:
            fill(page, table.fields, table.name, record)


def plain(value):
    """A case's values as plain data, to compare two cases."""
    if isinstance(value, Record):
        return {k: plain(v) for k, v in vars(value).items()} if value else None
    if isinstance(value, list):
        return [plain(v) for v in value]
    return value


def download(page, target: Path) -> Path:
    with page.expect_download() as info:
        page.click("#download-toml")
    info.value.save_as(target)
    return target


@pytest.mark.parametrize("example", EXAMPLES + FULL_CASES,
                         ids=[p.stem for p in EXAMPLES] + [f"full-{p.stem}" for p in FULL_CASES])
def test_each_sample_case_typed_in_downloads_a_file_check_accepts(browser, server,  # noqa: F811
                                                                   tmp_path, example):
    case = load_case(example)
    page, errors = open_builder(browser, server)
    fill_case(page, case)
    target = download(page, tmp_path / "my-case.toml")
    assert target.name == "my-case.toml"
    status = page.locator("#builder-status").inner_text()
    assert "valid as far as the builder can tell" in status
    assert "lettergen check my-case.toml" in status
    again = load_case(target)
    for table in TABLES:
        before, after = plain(getattr(case, table.name)), plain(getattr(again, table.name))
        if table.name == "case":
            before.pop("extends"), after.pop("extends")
        assert after == before, table.name
    assert page.locator("#toml-output").inner_text() == target.read_text("utf-8")
    result = subprocess.run([sys.executable, "-m", "lettergen", "check", str(target)],
                            capture_output=True, text=True, cwd=ROOT, timeout=120)
    assert result.returncode == 0, result.stdout + result.stderr
    assert not errors, errors
    page.close()


def loader_message(tmp_path: Path, text: str) -> str:
    """The problems the loader reports for a case file, one line each."""
    path = tmp_path / "probe.toml"
    path.write_text(text, "utf-8")
    with pytest.raises(CaseFileError) as raised:
        load_case(path)
    return str(raised.value)


MINIMAL = ('[patient]\nname = "Ana Lee"\naddress = ["1 Main St", "Springfield, IL 62701"]\n'
           '[provider]\nname = "General Hospital"\naddress = ["PO Box 1", "Springfield, IL"]\n')


def fill_minimal(page) -> None:
    page.fill("[data-path='patient.name']", "Ana Lee")
    page.fill("[data-path='patient.address']", "1 Main St\nSpringfield, IL 62701")
    page.fill("[data-path='provider.name']", "General Hospital")
    page.fill("[data-path='provider.address']", "PO Box 1\nSpringfield, IL")


def refused(page) -> str:
    """Clicks download; asserts nothing was downloaded and returns the status shown."""
    downloads: list[object] = []
    page.on("download", lambda d: downloads.append(d))
    page.click("#download-toml")
    page.wait_for_timeout(300)
    assert downloads == []
    assert page.locator("#toml-output").inner_text() == ""
    return page.locator("#builder-status").inner_text()


@pytest.mark.parametrize("path, typed, toml_line", [
    ("claim.billed", "$1,234.567", 'billed = "$1,234.567"'),
    ("claim.billed", "twelve dollars", 'billed = "twelve dollars"'),
    ("balance.amount_due", "-50", 'amount_due = "-50"'),
    ("patient.name", "FILL IN: the patient's full name",
     "name = \"FILL IN: the patient's full name\""),
    ("provider.npi", "12345", 'npi = "12345"'),
    ("denial.level", "0", "level = 0"),
])
def test_an_invalid_value_shows_the_loaders_message_and_is_not_downloaded(
        browser, server, tmp_path, path, typed, toml_line):  # noqa: F811
    page, errors = open_builder(browser, server)
    fill_minimal(page)
    page.fill(f"[data-path='{path}']", typed)
    table, key = path.split(".")
    shown = page.locator(f"[data-path='{path}']").get_attribute("aria-describedby").split()[1]
    message = page.locator(f"#{shown}").inner_text()
    assert message, f"no problem shown beside {path}"
    text = MINIMAL if table in ("patient", "provider") else MINIMAL + f"[{table}]\n"
    if table == "claim":
        text += "service_date = 2026-03-02\n"
    if table == "patient":
        text = text.replace('name = "Ana Lee"', toml_line)
    else:
        text += toml_line + "\n"
    assert message in loader_message(tmp_path, text)
    assert page.locator(f"[data-path='{path}']").input_value() == typed  # kept, not dropped
    status = refused(page)
    assert "Nothing was downloaded" in status
    problems = page.locator("#builder-problems").inner_text()
    assert f"[{table}] {key}: {message}" in problems
    assert not errors, errors


def test_an_insurer_without_plan_type_is_refused_with_the_loaders_message(
        browser, server, tmp_path):  # noqa: F811
    page, _ = open_builder(browser, server)
    fill_minimal(page)
    page.fill("[data-path='insurer.name']", "Acme Health Plan")
    status = refused(page)
    assert "Nothing was downloaded" in status
    problems = page.locator("#builder-problems").inner_text()
    expected = loader_message(tmp_path, MINIMAL + '[insurer]\nname = "Acme Health Plan"\n')
    line = next(li for li in problems.splitlines() if li.startswith("[insurer] plan_type"))
    assert line in expected
    assert '"employer" (private employer or union group plan (ERISA))' in line
    page.select_option("[data-path='insurer.plan_type']", "employer")
    target = download(page, tmp_path / "my-case.toml")
    assert load_case(target).insurer.plan_type == "employer"


def test_a_case_date_before_the_denial_and_a_missing_required_key_are_refused(
        browser, server, tmp_path):  # noqa: F811
    page, _ = open_builder(browser, server)
    fill_minimal(page)
    page.fill("[data-path='denial.date']", "2026-04-10")
    page.fill("[data-path='case.date']", "2025-05-01")
    page.fill("[data-path='claim.billed']", "500")  # [claim] without its service_date
    refused(page)
    problems = page.locator("#builder-problems").inner_text()
    expected = loader_message(tmp_path, MINIMAL.replace(
        "[patient]", "[case]\ndate = 2025-05-01\n[patient]")
        + '[denial]\ndate = 2026-04-10\n[claim]\nbilled = "500"\n')
    for line in problems.splitlines():
        assert line in expected, line
    assert "[case] date: 2025-05-01 is before [denial] date 2026-04-10" in problems
    assert "[claim] service_date: required" in problems


def test_a_patient_left_empty_is_refused(browser, server):  # noqa: F811
    page, _ = open_builder(browser, server)
    refused(page)
    problems = page.locator("#builder-problems").inner_text()
    assert "[patient] name: required" in problems and "[provider] address: required" in problems


def declared_paths(fields, path):
    for field in fields:
        sub = f"{path}.{field.name}"
        if field.kind in ("table", "tables"):
            yield from declared_paths(field.fields, sub)
        else:
            yield sub


def test_every_declared_key_is_asked_with_its_description(browser, server):  # noqa: F811
    page, errors = open_builder(browser, server)
    for table in TABLES:
        if table.array:
            page.click(f"button[data-add='{table.name}']")
    page.click("button[data-add='offer.previous']")
    asked = page.eval_on_selector_all(
        "input[data-path], select[data-path], textarea[data-path], fieldset.builder-bool",
        "nodes => nodes.map(n => [n.dataset.path, "
        "document.getElementById(n.getAttribute('aria-describedby').split(' ')[0])"
        ".textContent])")
    by_path = dict(asked)
    assert len(by_path) == len(asked), "a key is asked twice"
    expected = {p for t in TABLES for p in declared_paths(t.fields, t.name)}
    assert set(by_path) == expected
    for table in TABLES:
        for field in table.fields:
            if field.kind not in ("table", "tables"):
                assert by_path[f"{table.name}.{field.name}"].startswith(field.description)
    # the keys that change the letters come first, state and plan type at the top
    order = [p for p, _ in asked]
    assert order[:2] == ["case.state", "insurer.plan_type"]
    assert order.index("denial.reason_text") < order.index("patient.name")
    assert page.locator("button[data-add='charges']").inner_text() == "Add a [[charges]] entry"
    plan_types = page.locator("[data-path='insurer.plan_type'] option").all_inner_texts()
    assert "medicare-advantage: Medicare Advantage (Part C) plan" in plan_types
    assert not errors, errors


def test_money_is_written_as_the_loader_reads_it(browser, server, tmp_path):  # noqa: F811
    page, _ = open_builder(browser, server)
    fill_minimal(page)
    page.fill("[data-path='claim.service_date']", "2026-03-02")
    page.fill("[data-path='claim.billed']", "$27,000")
    page.fill("[data-path='claim.patient_responsibility']", "0")
    page.fill("[data-path='claim.plan_paid']", "007.50")
    page.locator("[data-path='provider.in_network'] input[value='false']").check()
    page.click("button[data-add='charges']")
    entry = page.locator(".builder-entry[data-path='charges']").first
    entry.locator("[data-path='charges.billed']").fill("6,200.00")
    target = download(page, tmp_path / "my-case.toml")
    text = target.read_text("utf-8")
    assert 'billed = "$27,000"' in text and "patient_responsibility = 0\n" in text
    case = load_case(target)
    assert case.claim.billed == Decimal("27000.00")
    assert case.claim.patient_responsibility == Decimal("0.00")
    assert case.claim.plan_paid == Decimal("7.50")
    assert case.provider.in_network is False
    assert case.charges[0].billed == Decimal("6200.00")


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_the_builder_with_entries_and_problems_passes_axe(browser, server, scheme):  # noqa: F811
    """The page as a patient sees it mid-way: entries added, problems shown beside their
    fields and listed; axe-core finds no WCAG 2.1 AA violation in either scheme."""
    from test_site import AXE

    if not AXE.is_file():
        pytest.skip("axe-core is not installed: run npm ci --prefix tests/a11y")
    context = browser.new_context(color_scheme=scheme, viewport={"width": 390, "height": 900})
    page = context.new_page()
    page.goto(f"{server}/builder.html", wait_until="networkidle")
    page.wait_for_selector("#builder-fields[data-ready='true']")
    page.click("button[data-add='charges']")
    page.click("button[data-add='offer.previous']")
    page.fill("[data-path='claim.billed']", "twelve")
    page.click("#download-toml")
    assert page.locator("[aria-invalid='true']").count() >= 1
    page.add_script_tag(path=str(AXE))
    violations = page.evaluate(
        "async () => (await axe.run(document, {runOnly: ['wcag2a', 'wcag2aa', 'wcag21a', "
        "'wcag21aa']})).violations.map(v => `${v.impact} ${v.id}: ${v.nodes[0].target}`)")
    context.close()
    assert not violations, violations
