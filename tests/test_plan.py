"""The decision table behind `check`'s plan, row by row, and the plans of the samples."""

from __future__ import annotations

import pytest

from conftest import EXAMPLES, case_file
from lettergen.analysis.facts import Facts
from lettergen.analysis.plan import CONDITIONS, case_plan, decision_table, row_matches
from lettergen.case.casefile import load_case
from lettergen.letters.templates import list_templates
from lettergen.packs.folder import open_packs

ROWS = decision_table()


def stub_facts(plan_type: str = "employer", reason: str | None = None):
    class Denial:
        pass

    class Case:
        pass

    case = Case()
    case.denial = Denial()
    case.denial.reason = reason
    facts = Facts.__new__(Facts)
    facts._case = case
    type(facts)  # Facts.plan_type reads case.insurer
    return facts


@pytest.mark.parametrize("row", ROWS, ids=[f"{r['letter']}-{i}" for i, r in enumerate(ROWS)])
def test_each_row_fires_on_its_conditions_and_not_without_each(row, monkeypatch):
    wanted = {c.lstrip("!"): not c.startswith("!") for c in row.get("if", [])}
    plan_type = (row.get("plan_types") or ["employer"])[0]
    reason = (row.get("reasons") or [None])[0]
    monkeypatch.setattr(Facts, "plan_type", property(lambda self: plan_type))
    facts = stub_facts(plan_type, reason)
    for name, value in wanted.items():
        monkeypatch.setitem(CONDITIONS, name, lambda f, c, v=value: v)
    assert row_matches(row, facts, facts._case)
    for name, value in wanted.items():
        monkeypatch.setitem(CONDITIONS, name, lambda f, c, v=value: not v)
        assert not row_matches(row, facts, facts._case), f"{row['letter']} fires without {name}"
        monkeypatch.setitem(CONDITIONS, name, lambda f, c, v=value: v)
    if row.get("plan_types"):
        monkeypatch.setattr(Facts, "plan_type", property(lambda self: "uninsured"))
        assert not row_matches(row, facts, facts._case)


def test_every_row_names_a_real_letter_and_a_known_timing():
    ids = {t.id for t in list_templates(open_packs([]))}
    for row in ROWS:
        assert row["why"].endswith(".")
        assert row["when"] in ("now", "parallel", "after") or "deadline" in row["when"] \
            or "closes" in row["when"] or "ends" in row["when"], row
        if ids and len(ids) >= 23:
            assert row["letter"] in ids


def letters(path) -> list[str]:
    return [s.letter for s in case_plan(load_case(path))]


def test_emergency_case_plan_order():
    plan = letters(EXAMPLES / "er-out-of-network.toml")
    assert plan.index("billing-hold-request") < plan.index("internal-appeal")
    assert "financial-assistance-request" in plan and "coding-review-request" in plan
    when = {s.letter: s.when for s in case_plan(load_case(EXAMPLES / "er-out-of-network.toml"))}
    assert when["internal-appeal"] == "by September 30, 2026 (mail-by date)"


def test_collections_case_plan():
    plan = letters(EXAMPLES / "collections-uninsured.toml")
    assert plan[:2] == ["billing-hold-request", "debt-validation"]
    assert "internal-appeal" not in plan and "settlement-offer" in plan


def test_medical_necessity_asks_the_clinician_before_the_appeal():
    plan = letters(EXAMPLES / "mri-medical-necessity.toml")
    assert plan.index("medical-necessity-request") < plan.index("internal-appeal")


def test_final_denial_points_to_external_review(tmp_path):
    path = case_file(tmp_path, "mri-medical-necessity", {"denial.final_internal": True,
                                                         "denial.level": 2})
    plan = letters(path)
    assert "external-review-request" in plan and "internal-appeal" not in plan


def test_medicare_advantage_second_level_has_no_appeal_letter(tmp_path):
    path = case_file(tmp_path, "medicare-advantage-prior-auth", {"denial.level": 2})
    assert "internal-appeal" not in letters(path)


def test_agreed_settlement_is_confirmed(tmp_path):
    import datetime as dt

    path = case_file(tmp_path, "collections-uninsured", {"offer.agreed": {
        "date": dt.date(2026, 9, 20), "amount": "4500.00", "representative": "Lee",
        "reference": "S-1"}, "offer.previous": [{"date": dt.date(2026, 9, 12),
                                                 "amount": "4000.00"}]})
    plan = letters(path)
    assert "settlement-confirmation" in plan and "final-offer" not in plan
