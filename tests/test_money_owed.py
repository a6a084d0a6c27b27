"""The money the patient really owes (issue 10, items 1 and 2).

A billing hold never offers to pay more than the Explanation of Benefits makes the
patient's responsibility, and a billing correction computes the overbilling from what
was charged in all, with the arithmetic shown. Read from the built letters.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from conftest import case_file, clean_letter_text
from lettergen.analysis.facts import Facts
from lettergen.case.casefile import load_case

LINE = {"date": dt.date(2026, 3, 3), "code": "0250", "code_type": "REV",
        "description": "Pharmacy, general", "billed": Decimal("412.00")}


def in_network_bill(tmp_path, **changes):
    """An in-network hospital's bill of $12,345.67 with one disputed line of $412.00;
    the EOB makes the patient responsible for $1,234.50."""
    return case_file(tmp_path, "er-out-of-network", drop=("denial",), changes={
        "provider.in_network": True, "claim.emergency": False,
        "claim.patient_responsibility": Decimal("1234.50"),
        "claim.plan_paid": Decimal("9000.00"), "balance.amount_due": Decimal("12345.67"),
        "charges": [{**LINE, "billed": Decimal("11933.67")}, {**LINE, "dispute": "duplicate"}],
        **changes})


def test_billing_hold_never_offers_more_than_the_eob_responsibility(tmp_path):
    path = in_network_bill(tmp_path)
    facts = Facts(load_case(path))
    assert facts.undisputed_amount == Decimal("1234.50")
    text = clean_letter_text(path, "billing-hold-request")
    assert "$11,933.67" not in text
    assert "I will pay the part of the balance I do not dispute, $1,234.50" in text
    assert "sets the patient responsibility at $1,234.50" in text
    assert "The rest of the balance of $12,345.67, $11,111.17, is disputed" in text
    assert "Amount in dispute: $11,111.17" in text  # $12,345.67 less $1,234.50


def test_billing_hold_takes_earlier_payments_off_the_eob_responsibility(tmp_path):
    path = in_network_bill(tmp_path, **{"balance.paid": Decimal("234.50")})
    assert Facts(load_case(path)).undisputed_amount == Decimal("1000.00")
    text = clean_letter_text(path, "billing-hold-request")
    assert "$1,000.00" in text and "less $234.50 already paid" in text


def test_billing_hold_without_an_eob_keeps_the_balance_less_the_disputed_lines(tmp_path):
    path = in_network_bill(tmp_path, **{"claim.patient_responsibility": None,
                                        "claim.plan_paid": None, "claim.allowed": None})
    text = clean_letter_text(path, "billing-hold-request")
    assert "I will pay the part of the balance I do not dispute, $11,933.67 (the balance of " \
        "$12,345.67 less the disputed charges of $412.00)" in text


def test_billing_correction_counts_what_was_charged_in_all(tmp_path):
    """Patient responsibility $612.00; $700.00 paid and $780.00 due: $1,480.00 charged,
    $868.00 above the responsibility; write off the $780.00 and refund $88.00."""
    path = case_file(tmp_path, "overpaid-clinic-visit", {
        "provider.in_network": True, "claim.patient_responsibility": Decimal("612.00"),
        "balance.paid": Decimal("700.00"), "balance.amount_due": Decimal("780.00")})
    facts = Facts(load_case(path))
    assert facts.bill_above_eob == Decimal("868.00")
    text = clean_letter_text(path, "billing-correction-request")
    assert "$168.00" not in text
    assert "$700.00 plus $780.00 is $1,480.00 charged in all" in text
    assert "$1,480.00 less $612.00 is $868.00 more than the patient responsibility" in text
    assert "please write off the balance of $780.00" in text
    assert "$700.00 less $612.00, which is $88.00" in text


# --- item 3: each recipient sees only the papers meant for it -----------------------------

PAPERS = [
    {"title": "Letter of medical necessity from Dr. Samuel Ortiz dated May 30, 2026"},
    {"title": "Chart notes, March 20 to May 1, 2026", "kind": "medical-records"},
    {"title": "Denial letter dated May 28, 2026"},
    {"title": "Explanation of Benefits dated June 10, 2026"},
    {"title": "Hospital statement dated July 1, 2026"},
]
CLINICAL = ("Letter of medical necessity", "Chart notes", "Denial letter")


def test_clinical_papers_never_reach_a_collector_or_a_bureau(tmp_path):
    path = case_file(tmp_path, "collections-final-offer", {"enclosures": PAPERS})
    for letter_id in ("final-offer", "credit-report-dispute", "debt-validation",
                      "settlement-offer"):
        text = clean_letter_text(path, letter_id)  # all four fit this case
        for paper in CLINICAL:
            assert paper not in text, (letter_id, paper)
        assert "Explanation of Benefits dated June 10, 2026" in text or \
            letter_id == "credit-report-dispute", letter_id


def test_the_insurer_gets_the_clinical_papers_and_for_overrides_the_default(tmp_path):
    path = case_file(tmp_path, "mri-medical-necessity", {"enclosures": PAPERS})
    appeal = clean_letter_text(path, "internal-appeal")
    for paper in CLINICAL:
        assert paper in appeal, paper
    shared = [{**PAPERS[0], "for": ["collector", "insurer"]}, *PAPERS[1:]]
    case = load_case(case_file(tmp_path, "collections-final-offer", {"enclosures": shared},
                               name="shared"))
    titles = [e.title for e in Facts(case).enclosures_for("collector")]
    assert titles[0].startswith("Letter of medical necessity")
    assert not any(t.startswith(("Chart notes", "Denial letter")) for t in titles)


def test_an_unknown_recipient_in_for_is_named(tmp_path):
    import pytest

    from lettergen.errors import CaseFileError

    path = case_file(tmp_path, "collections-final-offer",
                     {"enclosures": [{**PAPERS[0], "for": ["colector"]}]})
    with pytest.raises(CaseFileError, match="did you mean 'collector'"):
        load_case(path)
