"""The letters to a provider about its bill: billing-correction-request,
financial-assistance-request, surprise-bill-dispute and refund-request.

Each is built from a real sample case (changed with ``case_file``) and read back as the
recipient reads it: the names, numbers, amounts and dates of the case; the rules that
apply to the case and none that do not; and, where the letter does not fit, the reason.
"""

from __future__ import annotations

import datetime as dt

import pytest

from conftest import (
    case_file,
    clean_letter_text,
    cli_letter_texts,
    refusal,
)

BC, FA, SBD, RF = ("billing-correction-request", "financial-assistance-request",
                   "surprise-bill-dispute", "refund-request")
ERISA_OR_ACA = ("2560.503-1", "ERISA", "147.136", "2590.715")
WORDS_501R = ("501(r)", "extraordinary collection", "amounts generally billed")
NSA_CITES = ("149.410", "149.420", "149.620")


def built(path, letter_id: str) -> str:
    return clean_letter_text(path, letter_id)


# --- billing-correction-request -------------------------------------------------------------


def test_billing_correction_bill_above_the_eob(tmp_path):
    path = case_file(tmp_path, "nonprofit-financial-assistance",
                     {"balance.amount_due": "7500.00", "balance.paid": "200.00"})
    text = built(path, BC)
    for fact in ("Tanisha Brooks", "Riverside Community Hospital", "RCH-2026-08812",
                 "BCP-26-4471201", "Buckeye Care Plan", "May 9, 2026", "June 10, 2026",
                 "July 1, 2026"):
        assert fact in text, fact
    # the arithmetic: 200 paid + 7,500 due = 7,700 charged, less 7,000 responsibility;
    # 7,000 less 200 paid is what the balance may be
    assert "$200.00 plus $7,500.00 is $7,700.00 charged in all" in text
    assert "$7,700.00 less $7,000.00 is $700.00" in text
    assert "$7,000.00 less $200.00, which is $6,800.00" in text
    assert "Amount billed above the patient responsibility: $700.00" in text
    assert "network" in text and "write off" in text
    assert "August 19, 2026" in text  # July 20 + 30 days
    assert "447.15" not in text and "Medicaid" not in text
    assert "QMB" not in text and "Qualified Medicare" not in text


def test_billing_correction_claim_never_sent_to_the_plan(tmp_path):
    path = case_file(tmp_path, "er-out-of-network", drop=[
        "denial", "claim.allowed", "claim.plan_paid", "claim.patient_responsibility",
        "claim.eob_date"])
    text = built(path, BC)
    assert "has not been billed to the plan" in text
    assert "Acme Health Plan" in text and "XJH123456789" in text and "G-44021" in text
    assert "CLM-2026-000123" in text and "$27,000.00" in text
    assert "Copy of Jordan A. Rivera's insurance card, front and back" in text


def test_billing_correction_never_sent_needs_the_member_id(tmp_path):
    path = case_file(tmp_path, "nonprofit-financial-assistance", drop=[
        "claim.allowed", "claim.plan_paid", "claim.patient_responsibility",
        "claim.eob_date", "patient.member_id"])
    assert "[patient] member_id" in refusal(path, BC)


def test_billing_correction_self_pay_is_not_a_claim_never_sent(tmp_path):
    path = case_file(tmp_path, "er-out-of-network", {"claim.self_pay": True}, drop=[
        "denial", "claim.allowed", "claim.plan_paid", "claim.patient_responsibility",
        "claim.eob_date"])
    assert "no billing error can be named" in refusal(path, BC)


def test_billing_correction_wrong_code_is_corrected_and_rebilled(tmp_path):
    charges = [{"date": dt.date(2026, 3, 2), "code": "99285", "code_type": "CPT",
                "description": "Emergency department visit, high complexity",
                "billed": "3200.00", "dispute": "wrong-code",
                "note": "Record shows a moderate-complexity visit (99284)"},
               {"date": dt.date(2026, 3, 2), "code": "44970", "code_type": "CPT",
                "description": "Laparoscopic appendectomy", "billed": "14800.00"}]
    path = case_file(tmp_path, "er-out-of-network", {"charges": charges}, drop=["denial"])
    text = built(path, BC)
    assert "99285" in text and "$3,200.00" in text
    assert "Record shows a moderate-complexity visit (99284)" in text
    assert "corrected claim that replaces the original" in text
    assert "44970" not in text  # only the disputed line is named


def test_billing_correction_late_filing_by_an_in_network_provider(tmp_path):
    denial = {"date": dt.date(2026, 4, 10), "reason": "timely-filing",
              "reason_text": "Claim received after the filing limit", "level": 1}
    path = case_file(tmp_path, "er-out-of-network", {"denial": denial})
    text = built(path, BC)
    assert "denied the claim because it was filed late" in text
    assert "Claim received after the filing limit" in text
    assert "contract usually bars it from billing the patient" in text
    assert "write off the $27,000.00 balance" in text
    assert "CFR" not in text and "U.S.C." not in text  # a contract term, not a rule

    out_of_network = case_file(tmp_path, "er-out-of-network",
                               {"denial": denial, "provider.in_network": False}, name="oon")
    assert "no billing error can be named" in refusal(out_of_network, BC)


@pytest.mark.parametrize("plan_type, citation, absent_citation, words", [
    ("medicaid", "42 CFR 447.15", "438.106", "payment in full"),
    ("medicaid-managed-care", "42 CFR 438.106", "447.15", "may not be held liable")])
def test_billing_correction_medicaid_payment_in_full(tmp_path, plan_type, citation,
                                                    absent_citation, words):
    path = case_file(tmp_path, "nonprofit-financial-assistance",
                     {"insurer.plan_type": plan_type})
    text = built(path, BC)
    assert citation in text and absent_citation not in text
    assert words in text
    assert "$7,000.00" in text and "Riverside Community Hospital" in text
    for word in ERISA_OR_ACA + WORDS_501R:
        assert word not in text, word


def test_billing_correction_447_15_only_for_medicaid(tmp_path):
    for plan_type in ("employer", "individual", "medicare", "medicare-advantage"):
        path = case_file(tmp_path, "nonprofit-financial-assistance",
                         {"insurer.plan_type": plan_type, "balance.amount_due": "7500.00"},
                         name=plan_type)
        text = built(path, BC)
        assert "447.15" not in text, plan_type
        assert "Medicaid" not in text, plan_type


def test_billing_correction_medicare_speaks_of_the_summary_notice(tmp_path):
    path = case_file(tmp_path, "nonprofit-financial-assistance",
                     {"insurer.plan_type": "medicare", "balance.amount_due": "7500.00"})
    text = built(path, BC)
    assert "Medicare Summary Notice" in text and "accepts assignment" in text
    for word in ERISA_OR_ACA:
        assert word not in text


def test_billing_correction_prior_auth_by_an_in_network_provider(tmp_path):
    path = case_file(tmp_path, "medicare-advantage-prior-auth", {"insurer.plan_type": "employer"})
    text = built(path, BC)
    assert "Sunshine Senior Advantage denied the claim for lack of prior authorization" in text
    assert "did not obtain the prior authorization" in text
    assert "write off the $48,200.00 balance" in text and "retroactive authorization" in text
    assert "CFR" not in text and "U.S.C." not in text  # a contract term, not a rule
    text = built(case_file(tmp_path, "medicare-advantage-prior-auth", name="ma"), BC)
    assert "42 CFR 422.504(g)(1)" in text  # the general hold-harmless only
    assert "did not obtain the prior authorization" in text


def test_billing_correction_no_abn_on_original_medicare_only(tmp_path):
    no_abn = {"insurer.plan_type": "medicare", "provider.abn_signed": False}
    text = built(case_file(tmp_path, "mri-medical-necessity", no_abn), BC)
    assert "no valid Advance Beneficiary Notice (form CMS-R-131)" in text
    assert "Under 42 U.S.C. 1395pp" in text and "refund anything paid toward it" in text
    for changes, name in (({**no_abn, "provider.abn_signed": True}, "signed"),
                          ({**no_abn, "insurer.plan_type": "medicare-advantage"}, "ma"),
                          ({**no_abn, "denial.reason": "coding"}, "coding")):
        path = case_file(tmp_path, "mri-medical-necessity", changes, name=name)
        assert "no billing error can be named" in refusal(path, BC), name


@pytest.mark.parametrize("plan_type", ["medicare", "medicare-advantage"])
def test_billing_correction_qmb_removes_the_cost_sharing(tmp_path, plan_type):
    path = case_file(tmp_path, "overpaid-clinic-visit",
                     {"insurer.plan_type": plan_type, "insurer.qmb": True})
    text = built(path, BC)
    assert "I am a Qualified Medicare Beneficiary" in text
    assert "42 U.S.C. 1396a(n)(3)(B)" in text
    assert "refund anything paid toward them" in text
    assert "Proof of Priya Natarajan's Qualified Medicare Beneficiary enrollment" in text
    assert "reduce the balance to" not in text  # removed, not cut to the notice's figure
    assert "447.15" not in text


def test_billing_correction_qmb_only_for_medicare(tmp_path):
    path = case_file(tmp_path, "overpaid-clinic-visit", {"insurer.qmb": True})
    text = built(path, BC)  # the marketplace plan's bill above the EOB
    assert "Qualified Medicare Beneficiary" not in text and "1396a" not in text


def test_billing_correction_refuses_when_no_error_shows(tmp_path):
    path = case_file(tmp_path, "nonprofit-financial-assistance")
    reasons = refusal(path, BC)
    assert "no billing error can be named" in reasons
    assert "repricing-request" in reasons


# --- financial-assistance-request ------------------------------------------------------------


def test_financial_assistance_nonprofit_hospital_501r(tmp_path):
    path = case_file(tmp_path, "nonprofit-financial-assistance")
    text = built(path, FA)
    for fact in ("Tanisha Brooks", "Riverside Community Hospital", "RCH-2026-08812",
                 "BCP-26-4471201", "$7,000.00", "$52,000.00", "4 people",
                 "Two children; one income while on unpaid leave."):
        assert fact in text, fact
    assert "26 U.S.C. 501(r)" in text
    assert "26 CFR 1.501(r)-1(b)(3)" in text
    assert "26 CFR 1.501(r)-6(c)" in text and "26 CFR 1.501(r)-5" in text
    # first statement June 15, 2026 + 240 days
    assert "June 15, 2026" in text and "until at least February 10, 2027" in text
    assert "240 days" in text
    assert "plain-language summary" in text
    assert "suspend extraordinary collection actions" in text
    assert "amounts generally billed" in text
    assert "refund any payment above the amount owed" in text
    assert "State law may also" in text
    assert "August 3, 2026" in text  # July 20 + 14 days
    assert "Collection agency" not in text  # no collector in the case


@pytest.mark.parametrize("changes", [
    {"provider.nonprofit": False},                                    # for-profit hospital
    {"provider.kind": "clinic"},                                      # nonprofit clinic
    {"provider.kind": "physician-group", "provider.nonprofit": False},
])
def test_financial_assistance_without_501r_for_other_providers(tmp_path, changes):
    path = case_file(tmp_path, "nonprofit-financial-assistance", changes)
    text = built(path, FA)
    for word in WORDS_501R + ("1.501", "240 days"):
        assert word not in text, word
    assert "hardship" in text
    assert "$52,000.00" in text and "4 people" in text
    assert "Riverside Community Hospital" in text and "$7,000.00" in text


def test_financial_assistance_nonprofit_with_a_collector_names_the_eca_wait(tmp_path):
    path = case_file(tmp_path, "nonprofit-financial-assistance", {
        "collector": {"name": "Buckeye Recovery", "address": ["PO Box 5", "Dayton, OH 45401"],
                      "notice_date": dt.date(2026, 7, 1)},
        "credit_report": {"bureau": "equifax", "reported_by": "Buckeye Recovery",
                          "first_reported": dt.date(2026, 9, 1)},
        "case.date": dt.date(2026, 9, 15)})
    text = built(path, FA)
    assert "Buckeye Recovery is collecting this account" in text
    assert "October 13, 2026" in text and "120 days" in text  # June 15 + 120
    assert "reported to a credit bureau on September 1, 2026, before that date" in text
    assert "recall the account from Buckeye Recovery" in text


def test_financial_assistance_after_the_window_does_not_claim_the_suspension(tmp_path):
    path = case_file(tmp_path, "nonprofit-financial-assistance",
                     {"case.date": dt.date(2027, 3, 1)})
    text = built(path, FA)
    assert "ran until February 10, 2027" in text
    assert "accept this application under your policy all the same" in text
    assert "must suspend" not in text


def test_financial_assistance_uninsured_self_pay_discount(tmp_path):
    path = case_file(tmp_path, "collections-uninsured")
    text = built(path, FA)
    assert "self-pay discount" in text and "uninsured" in text
    assert "Peachtree Surgical Center" in text and "PSC-7719" in text
    assert "$18,000.00" in text and "$31,000.00" in text and "2 people" in text
    assert "Southern Credit Recovery LLC is collecting this account" in text
    for word in WORDS_501R:
        assert word not in text, word


def test_financial_assistance_needs_household_size_and_income(tmp_path):
    path = case_file(tmp_path, "nonprofit-financial-assistance",
                     drop=["hardship.household_size", "hardship.annual_income"])
    reasons = refusal(path, FA)
    assert "[hardship] household_size" in reasons and "[hardship] annual_income" in reasons


# --- surprise-bill-dispute --------------------------------------------------------------------


def test_surprise_bill_emergency_anesthesia(tmp_path):
    path = case_file(tmp_path, "er-anesthesia")
    text = built(path, SBD)
    for fact in ("Jordan A. Rivera", "Prairie Anesthesia Associates", "PAA-20260302-77",
                 "CLM-2026-000124", "March 2, 2026", "$6,200.00", "Acme Health Plan",
                 "Springfield General Hospital", "April 10, 2026"):
        assert fact in text, fact
    assert "45 CFR 149.410" in text and "45 CFR 149.420" in text
    assert "did not choose Prairie Anesthesia Associates" in text
    assert "anesthesia services" in text
    assert "copy of any notice-and-consent form" in text
    assert "in-network cost-sharing Acme Health Plan determines" in text
    assert "No Surprises Help Desk, 1-800-985-3059" in text
    assert "withdraw the balance bill" in text
    assert "June 1, 2026" in text  # May 2 + 30 days
    assert "149.620" not in text and "good faith estimate" not in text


def test_surprise_bill_non_emergency_cites_149_420_only(tmp_path):
    path = case_file(tmp_path, "er-anesthesia", {"claim.emergency": False})
    text = built(path, SBD)
    assert "45 CFR 149.420" in text and "149.410" not in text
    assert "received emergency care" not in text


def test_surprise_bill_emergency_at_out_of_network_facility_cites_149_410_only(tmp_path):
    path = case_file(tmp_path, "er-anesthesia", {"provider.facility_in_network": False})
    text = built(path, SBD)
    assert "45 CFR 149.410" in text and "149.420" not in text


def test_surprise_bill_consent_honoured_for_non_ancillary_non_emergency_care(tmp_path):
    charges = [{"date": dt.date(2026, 3, 2), "code": "44970", "code_type": "CPT",
                "description": "Laparoscopic appendectomy", "billed": "6200.00"}]
    path = case_file(tmp_path, "er-anesthesia", {
        "claim.emergency": False, "provider.consent_signed": True, "charges": charges})
    reasons = refusal(path, SBD)
    assert "notice-and-consent" in reasons and "consent_signed = true" in reasons


def test_surprise_bill_consent_ignored_for_anesthesia(tmp_path):
    path = case_file(tmp_path, "er-anesthesia",
                     {"claim.emergency": False, "provider.consent_signed": True})
    text = built(path, SBD)
    assert "45 CFR 149.420" in text
    assert "cannot give up these protections for ancillary services" in text


def test_surprise_bill_consent_ignored_for_emergency_care(tmp_path):
    charges = [{"date": dt.date(2026, 3, 2), "code": "44970", "code_type": "CPT",
                "description": "Laparoscopic appendectomy", "billed": "6200.00"}]
    path = case_file(tmp_path, "er-anesthesia",
                     {"provider.consent_signed": True, "charges": charges})
    text = built(path, SBD)
    assert "45 CFR 149.410" in text
    assert "cannot give up these protections for emergency care" in text


def test_surprise_bill_uses_the_eob_cost_sharing_when_the_plan_applied_it(tmp_path):
    path = case_file(tmp_path, "er-anesthesia", {
        "claim.allowed": "1100.00", "claim.plan_paid": "600.00",
        "claim.patient_responsibility": "500.00"}, drop=["denial"])
    text = built(path, SBD)
    assert "Acme Health Plan has set at $500.00" in text
    assert "$6,200.00 less $500.00 is $5,700.00" in text
    assert "Amount billed above the plan's cost-sharing: $5,700.00" in text

    paid_it = case_file(tmp_path, "er-anesthesia", {
        "claim.allowed": "1100.00", "claim.plan_paid": "600.00",
        "claim.patient_responsibility": "500.00", "balance.amount_due": "500.00"},
        drop=["denial"], name="not-balance-billing")
    assert "no balance bill to dispute" in refusal(paid_it, SBD)


@pytest.mark.parametrize("plan_type, words", [
    ("medicare", "do not cover Original Medicare"),
    ("medicare-advantage", "do not cover Medicare Advantage"),
    ("medicaid", "do not cover Medicaid"),
    ("medicaid-managed-care", "do not cover Medicaid"),
    ("short-term", "does not cover short-term health plans"),
])
def test_surprise_bill_refused_for_plans_the_act_does_not_cover(tmp_path, plan_type, words):
    path = case_file(tmp_path, "er-anesthesia", {"insurer.plan_type": plan_type})
    reasons = refusal(path, SBD)
    assert words in reasons
    assert "Next step" in reasons


def test_surprise_bill_medicaid_refusal_points_to_payment_in_full(tmp_path):
    path = case_file(tmp_path, "er-anesthesia", {"insurer.plan_type": "medicaid"})
    assert "payment in full" in refusal(path, SBD)
    assert "billing-correction-request" in refusal(path, SBD)


@pytest.mark.parametrize("changes, words", [
    ({"provider.facility_kind": "office"}, "not care in an office"),
    ({"provider.facility_kind": "other"}, "another kind of setting"),
    ({"provider.in_network": True}, "is not balance billing"),
    ({"provider.kind": "ambulance"}, "ground ambulance"),
    ({"claim.emergency": False, "provider.facility_in_network": False},
     "nothing in the case switches this letter on"),
])
def test_surprise_bill_refused_when_the_act_does_not_reach_the_bill(tmp_path, changes, words):
    path = case_file(tmp_path, "er-anesthesia", changes)
    assert words in refusal(path, SBD)


def _self_pay(tmp_path, estimate: str, **more):
    changes = {"claim.good_faith_estimate": estimate,
               "claim.first_bill_date": dt.date(2026, 6, 1)}
    changes.update(more)
    return case_file(tmp_path, "collections-uninsured", changes, name=f"gfe-{estimate}")


def test_surprise_bill_ppdr_for_an_uninsured_patient(tmp_path):
    path = _self_pay(tmp_path, "9500.00")
    text = built(path, SBD)
    for fact in ("Alicia Marquez", "Peachtree Surgical Center", "PSC-7719", "$18,000.00",
                 "$9,500.00", "February 11, 2026"):
        assert fact in text, fact
    assert "$18,000.00 less $9,500.00 is $8,500.00" in text
    assert "45 CFR 149.620" in text
    assert "120 days" in text and "June 1, 2026" in text
    assert "September 29, 2026" in text  # June 1 + 120 days, counted from the bill date
    assert "to be safe" in text
    assert "$25.00 fee" in text
    assert "may not send the bill to collections" in text
    assert "adjust the bill to the estimate" in text
    # the answer is due before the window closes, with time to mail the dispute
    assert "September 22, 2026" in text and "October 13, 2026" not in text
    assert "149.410" not in text and "149.420" not in text
    for word in ERISA_OR_ACA:
        assert word not in text


def test_surprise_bill_ppdr_threshold_exactly(tmp_path):
    # billed $18,000.00: an estimate of $17,600.01 leaves $399.99, of $17,600.00 leaves $400.00
    below = _self_pay(tmp_path, "17600.01")
    reasons = refusal(below, SBD)
    assert "$399.99" in reasons and "$400.00" in reasons
    text = built(_self_pay(tmp_path, "17600.00"), SBD)
    assert "$18,000.00 less $17,600.00 is $400.00" in text
    assert "45 CFR 149.620" in text


def test_surprise_bill_ppdr_for_an_insured_patient_paying_self_pay(tmp_path):
    path = case_file(tmp_path, "er-anesthesia", {
        "claim.self_pay": True, "claim.good_faith_estimate": "1800.00"}, drop=[
        "denial", "claim.allowed", "claim.plan_paid", "claim.patient_responsibility",
        "claim.eob_date"])
    text = built(path, SBD)
    assert "billed as self-pay" in text and "45 CFR 149.620" in text
    assert "$6,200.00 less $1,800.00 is $4,400.00" in text
    assert "August 16, 2026" in text  # first bill April 18 + 120 days
    assert "149.410" not in text and "149.420" not in text


def test_surprise_bill_no_ppdr_for_an_insured_patient_who_used_the_plan(tmp_path):
    path = case_file(tmp_path, "er-anesthesia", {"claim.good_faith_estimate": "1800.00"})
    text = built(path, SBD)
    assert "149.620" not in text and "good faith estimate" not in text


def test_surprise_bill_ppdr_refused_without_an_estimate_or_after_the_window(tmp_path):
    no_estimate = case_file(tmp_path, "collections-uninsured")
    assert "good_faith_estimate" in refusal(no_estimate, SBD)
    late = _self_pay(tmp_path, "9500.00", **{"case.date": dt.date(2026, 10, 1)})
    reasons = refusal(late, SBD)
    assert "ended on September 29, 2026" in reasons


# --- refund-request -------------------------------------------------------------------------


def test_refund_after_the_plan_set_a_lower_share(tmp_path):
    path = case_file(tmp_path, "nonprofit-financial-assistance",
                     {"balance.paid": "9000.00", "balance.amount_due": "0.00"})
    text = built(path, RF)
    for fact in ("Tanisha Brooks", "Riverside Community Hospital", "RCH-2026-08812",
                 "BCP-26-4471201", "Buckeye Care Plan", "$2,800.00", "June 10, 2026"):
        assert fact in text, fact
    assert "$9,000.00 paid, less $7,000.00 owed: $2,000.00" in text
    assert "Refund due: $2,000.00" in text
    assert "refund $2,000.00 by August 19, 2026" in text
    assert "zero balance" in text


def test_refund_after_a_settlement(tmp_path):
    path = case_file(tmp_path, "collections-uninsured", {
        "balance.paid": "5000.00",
        "offer.agreed": {"date": dt.date(2026, 8, 1), "amount": "4500.00",
                         "representative": "Dana", "reference": "SET-1"}})
    text = built(path, RF)
    assert "August 1, 2026" in text and "Dana" in text and "SET-1" in text
    assert "$5,000.00 paid, less $4,500.00 owed: $500.00" in text
    assert "October 13, 2026" in text  # Sept 10 + 30 = Oct 10, a Saturday; Oct 12 a holiday


def test_refund_from_an_out_of_network_provider_counts_the_whole_bill(tmp_path):
    path = case_file(tmp_path, "mri-medical-necessity", {
        "provider.in_network": False, "claim.allowed": "2000.00", "claim.plan_paid": "2000.00",
        "claim.patient_responsibility": "0.00", "balance.paid": "1000.00"}, drop=["denial"])
    text = built(path, RF)
    # billed 2,850 less the plan's 2,000 leaves 850; 1,000 paid
    assert "you have received $3,000.00 for a bill of $2,850.00" in text
    assert "$1,000.00 paid, less $850.00 owed: $150.00" in text


def test_refund_out_of_pocket_maximum_met(tmp_path):
    path = case_file(tmp_path, "nonprofit-financial-assistance", {
        "claim.patient_responsibility": "0.00", "claim.plan_paid": "9800.00",
        "insurer.out_of_pocket_max": "8000.00", "insurer.out_of_pocket_met": "8000.00",
        "balance.paid": "1500.00"})
    text = built(path, RF)
    assert "out-of-pocket maximum of $8,000.00 had been met" in text
    assert "$1,500.00 paid, less $0.00 owed: $1,500.00" in text


@pytest.mark.parametrize("changes, drop, words", [
    ({}, [], "[balance] paid"),
    ({"balance.paid": "100.00"}, ["claim.patient_responsibility"],
     "[claim] patient_responsibility"),
    ({"balance.paid": "7000.00"}, [], "is not above the patient responsibility of $7,000.00"),
])
def test_refund_refused_when_no_overpayment_can_be_computed(tmp_path, changes, drop, words):
    path = case_file(tmp_path, "nonprofit-financial-assistance", changes, drop=drop)
    reasons = refusal(path, RF)
    assert "no overpayment can be computed" in reasons and words in reasons
    if not changes:
        assert "[claim] patient_responsibility" in reasons


# --- real files through the command line ----------------------------------------------------


@pytest.mark.parametrize("example, changes, letter_id, facts", [
    ("er-anesthesia", {}, SBD, ("Prairie Anesthesia Associates", "PAA-20260302-77",
                                "$6,200.00", "45 CFR 149.410", "1-800-985-3059")),
    ("nonprofit-financial-assistance", {}, FA, ("Riverside Community Hospital",
                                                "February 10, 2027", "26 U.S.C. 501(r)")),
    ("nonprofit-financial-assistance", {"balance.amount_due": "7500.00"}, BC,
     ("RCH-2026-08812", "$500.00", "August 19, 2026")),
    ("nonprofit-financial-assistance", {"balance.paid": "9000.00"}, RF,
     ("RCH-2026-08812", "$2,000.00", "August 19, 2026")),
])
def test_docx_and_pdf_through_the_cli(tmp_path, example, changes, letter_id, facts):
    path = case_file(tmp_path, example, changes)
    for text in cli_letter_texts(tmp_path, path, letter_id):
        for fact in facts:
            assert fact in text, (letter_id, fact)
        assert "not legal advice" not in text
