"""`check`: the findings, deadlines and settlement figures of each sample case."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal

import pytest

from conftest import EXAMPLES, case_file
from lettergen.analysis.clocks import case_clocks
from lettergen.analysis.findings import case_findings
from lettergen.analysis.settlement import calculate
from lettergen.case.casefile import load_case
from lettergen.cli import main


def findings(path):
    return {f.id: f for f in case_findings(load_case(path))}


def clocks(path):
    return {name: clock.due for name, clock in case_clocks(load_case(path))}


def test_emergency_hospital_case():
    found = findings(EXAMPLES / "er-out-of-network.toml")
    dup = found["duplicate-line"]
    assert "0250" in dup.detail and "March 3, 2026" in dup.detail
    assert dup.amount == Decimal("1400.00")
    multiples = [f.title for f in case_findings(load_case(EXAMPLES / "er-out-of-network.toml"))
                 if f.id == "above-benchmark"]
    assert "99285 billed at 17.9× its benchmark" in multiples
    assert "44970 billed at 19.9× its benchmark" in multiples
    assert "nsa-plan-processing" in found  # the emergency claim processed as out-of-network
    due = clocks(EXAMPLES / "er-out-of-network.toml")
    assert due["internal appeal deadline"] == dt.date(2026, 10, 7)
    assert due["financial assistance application window closes"] == dt.date(2026, 11, 15)


def test_anesthesia_case_is_protected_by_the_no_surprises_act():
    found = findings(EXAMPLES / "er-anesthesia.toml")
    assert found["nsa-balance-bill"].letter == "surprise-bill-dispute"
    assert found["nsa-balance-bill"].amount == Decimal("6200.00")


def test_medicare_advantage_reconsideration_due():
    due = clocks(EXAMPLES / "medicare-advantage-prior-auth.toml")
    assert due["reconsideration deadline"] == dt.date(2026, 11, 16)  # from presumed receipt


def test_mri_appeal_due():
    assert clocks(EXAMPLES / "mri-medical-necessity.toml")["internal appeal deadline"] == \
        dt.date(2026, 11, 24)


def test_colonoscopy_cost_sharing_on_preventive_care(tmp_path):
    assert "preventive-cost-sharing" in findings(EXAMPLES / "preventive-billed-diagnostic.toml")
    grandfathered = case_file(tmp_path, "preventive-billed-diagnostic",
                              {"insurer.grandfathered": True})
    assert "preventive-cost-sharing" not in findings(grandfathered)


def test_collections_case_validation_window_and_no_invented_settlement():
    due = clocks(EXAMPLES / "collections-uninsured.toml")
    assert dt.date(2026, 10, 2) in due.values()
    settlement = calculate(load_case(EXAMPLES / "collections-uninsured.toml"))
    assert not settlement.ready and "benchmark" in settlement.missing[0]


def test_settlement_calculator_reproduces_the_guides_worked_example(tmp_path):
    """Billed $18,000; an insurer would have paid about $6,000; Medicare about $4,200; a
    collector recovers about $2,000: a lump sum of $4,500 beats each alternative."""
    path = case_file(tmp_path, "collections-uninsured", {
        "claim.allowed": "6000.00",
        "charges": [{"date": dt.date(2026, 2, 11), "code": "47562", "billed": "12000.00",
                     "benchmark": "3000.00"},
                    {"date": dt.date(2026, 2, 11), "code": "00790", "billed": "6000.00",
                     "benchmark": "1200.00"}],
    })
    s = calculate(load_case(path))
    assert s.references["collections"] == Decimal("1980.00")  # about $2,000
    assert (s.opening, s.target, s.walk_away) == (Decimal("4200.00"), Decimal("4500.00"),
                                                  Decimal("6000.00"))
    assert s.target > s.references["benchmark"] > s.references["collections"]
    assert any("25% of B = $4,500.00" in step for step in s.steps)


@pytest.mark.parametrize("changes, present", [
    ({"provider.in_network": True, "balance.amount_due": "900.00",
      "claim.patient_responsibility": "300.00"}, True),
    ({"provider.in_network": True, "balance.amount_due": "300.00",
      "claim.patient_responsibility": "300.00"}, False),
])
def test_in_network_balance_billing_both_ways(tmp_path, changes, present):
    path = case_file(tmp_path, "mri-medical-necessity", changes, drop=["denial"])
    assert ("balance-billing" in findings(path)) is present


@pytest.mark.parametrize("estimate, present", [("17600.00", True), ("17600.01", False)])
def test_good_faith_estimate_threshold(tmp_path, estimate, present):
    path = case_file(tmp_path, "collections-uninsured", {"claim.good_faith_estimate": estimate})
    assert ("gfe-exceeded" in findings(path)) is present


def test_old_debt_warning(tmp_path):
    path = case_file(tmp_path, "collections-uninsured", {"case.date": dt.date(2029, 6, 1)})
    assert "old-debt" in findings(path)
    assert "old-debt" not in findings(EXAMPLES / "collections-uninsured.toml")


def test_unknown_nonprofit_status_is_a_question_not_a_finding():
    found = findings(EXAMPLES / "medicare-advantage-prior-auth.toml")
    assert found["ask-nonprofit"].kind == "question"


def test_check_json_has_findings_deadlines_and_settlement(capsys):
    assert main(["check", str(EXAMPLES / "collections-uninsured.toml"), "--json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["findings"][0]["id"] == "in-collections"
    assert report["deadlines"][0]["date"] == "2026-10-02"
    assert report["settlement"]["missing"]


def test_medicare_protections_both_ways(tmp_path):
    qmb = case_file(tmp_path, "medicare-advantage-prior-auth", {"insurer.qmb": True,
                                                                "balance.amount_due": "1600.00"})
    assert "qmb-billed" in findings(qmb)
    plain = case_file(tmp_path, "medicare-advantage-prior-auth", {"balance.amount_due": "1600.00"},
                      name="plain")
    assert "qmb-billed" not in findings(plain)
    no_abn = case_file(tmp_path, "mri-medical-necessity", {
        "insurer": {"name": "Medicare", "address": ["PO Box 1"], "plan_type": "medicare"},
        "provider.abn_signed": False}, name="no-abn")
    assert "no-abn" in findings(no_abn)
    signed = case_file(tmp_path, "mri-medical-necessity", {
        "insurer": {"name": "Medicare", "address": ["PO Box 1"], "plan_type": "medicare"},
        "provider.abn_signed": True}, name="signed")
    assert "no-abn" not in findings(signed)
