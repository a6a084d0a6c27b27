"""The insurer-side letters: records-request, claim-file-request, reprocessing-request,
network-gap-exception and medical-necessity-request.

Every test builds a letter from a real sample case (changed with ``case_file``) and
asserts on what the recipient reads: names, numbers, amounts, dates, the rights of the
plan type and the absence of the rights of other plan types, and refusals with their
reasons.
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

D = dt.date
ERISA_MARKS = ("2560.503-1", "ERISA")
ACA_MARKS = ("147.136", "2590.715")


def build(tmp_path, example, letter_id, changes=None, drop=(), name=None):
    """The text of one letter for a changed copy of a sample case, checked clean."""
    return clean_letter_text(case_file(tmp_path, example, changes, drop, name=name), letter_id)


def refused(tmp_path, example, letter_id, changes=None, drop=(), name=None):
    return refusal(case_file(tmp_path, example, changes, drop, name=name), letter_id)


def absent(text, *marks):
    for mark in marks:
        assert mark not in text, f"{mark!r} should not be in the letter:\n{text}"


# --- records-request -------------------------------------------------------------------


def test_records_request_names_the_records_the_hospital_charges_show(tmp_path):
    text = build(tmp_path, "er-out-of-network", "records-request")
    for fact in ("Springfield General Hospital", "ACCT-889900", "March 2, 2026 to March 4, 2026",
                 "Dear Privacy Officer", "privacy office"):
        assert fact in text
    # named records: itemized bill, claim data with codes, and what the charges point to
    for record in ("itemized bill", "UB-04 or CMS-1500", "modifiers, units and NDC numbers",
                   "emergency department record",
                   "medication administration record",  # revenue code 0250, pharmacy
                   "operative report and the operating-room record",  # revenue code 0360
                   "anesthesia record"):
        assert record in text, record
    # the rights: access, billing records, electronic copy, cost-based fee, 30 + 30 days
    for cite in ("45 CFR 164.524", "45 CFR 164.501", "45 CFR 164.524(c)(2)",
                 "45 CFR 164.524(c)(4)", "45 CFR 164.524(b)(2)"):
        assert cite in text, cite
    assert "electronic copy" in text and "cost-based fee" in text
    assert "within 30 days of receiving it" in text and "up to 30 more days" in text
    # 30 days from May 1, 2026, the day the letter of April 25 should arrive by mail: Sunday
    # May 31, so the next business day
    assert "by June 1, 2026, 30 days from May 1, 2026, the day this request should reach " \
           "you (moved to the next business day, since day 30 falls on a weekend" in text
    absent(text, "60 days", "90 days", "60-day", "90-day", "1395b-7")
    assert "October 7, 2026" in text  # the appeal the records are needed for


def test_records_request_asks_only_for_records_the_charges_show(tmp_path):
    text = build(tmp_path, "er-out-of-network", "records-request", drop=["charges"])
    assert "itemized bill" in text
    absent(text, "medication administration record", "operative report", "anesthesia record")


def test_records_request_to_an_anesthesia_group(tmp_path):
    text = build(tmp_path, "er-anesthesia", "records-request")
    assert "Prairie Anesthesia Associates" in text and "PAA-20260302-77" in text
    assert "anesthesia record" in text  # CPT 00840
    absent(text, "emergency department record", "operative report",
           "medication administration record")


def test_records_request_adds_the_medicare_itemized_statement_only_for_medicare(tmp_path):
    text = build(tmp_path, "er-out-of-network", "records-request",
                 {"insurer.plan_type": "medicare"})
    assert "42 U.S.C. 1395b-7" in text
    absent(text, *ERISA_MARKS, *ACA_MARKS)


def test_records_request_for_an_uninsured_patient(tmp_path):
    text = build(tmp_path, "collections-uninsured", "records-request")
    assert "Peachtree Surgical Center" in text and "PSC-7719" in text
    assert "45 CFR 164.524" in text and "remittance advice" not in text


# --- claim-file-request ------------------------------------------------------------------


def test_claim_file_request_erisa_plan(tmp_path):
    text = build(tmp_path, "mri-medical-necessity", "claim-file-request")
    for fact in ("Mei-Ling Chen", "BCX-99812-01", "NWL-1200", "TX26-7781204",
                 "Lone Star Benefits Administrators", "Capitol Orthopedic Associates",
                 "May 28, 2026", "May 2, 2026", "$2,850.00", "LS-RAD-12",
                 "Imaging not medically necessary"):
        assert fact in text, fact
    assert "29 CFR 2560.503-1(h)(2)(iii) and (m)(8)" in text
    assert "29 CFR 2560.503-1(h)(3)(iv)" in text  # the reviewers' names
    assert "29 CFR 2560.503-1(g)(1)" in text  # the reason and plan provision in writing
    assert "29 CFR 2590.715-2719" in text  # codes and meanings: non-grandfathered
    assert "free of charge" in text
    assert "name, specialty and credentials" in text
    assert "diagnosis and treatment codes" in text
    assert "summary plan description" in text
    assert "45 CFR 164.524" in text and "45 CFR 164.501" in text
    assert "November 24, 2026" in text  # the 180-day appeal deadline still runs
    assert "July 23, 2026" in text  # 30 days from June 23, when the June 15 letter arrives
    absent(text, "147.136", "438.404", "cost-based fee")


def test_claim_file_request_grandfathered_erisa_plan_has_no_aca_rule(tmp_path):
    text = build(tmp_path, "mri-medical-necessity", "claim-file-request",
                 {"insurer.grandfathered": True})
    assert "2560.503-1(h)(2)(iii)" in text
    absent(text, *ACA_MARKS)


@pytest.mark.parametrize("plan_type", ["marketplace", "individual", "public-employer"])
def test_claim_file_request_aca_plans_cite_147_136_never_erisa(tmp_path, plan_type):
    text = build(tmp_path, "mri-medical-necessity", "claim-file-request",
                 {"insurer.plan_type": plan_type})
    assert "45 CFR 147.136" in text
    assert "diagnosis and treatment codes on the claim and their meanings" in text
    assert "free of charge" in text
    absent(text, *ERISA_MARKS, "2590.715", "summary plan description", "438.404")


def test_claim_file_request_grandfathered_individual_plan_has_neither_regime(tmp_path):
    text = build(tmp_path, "mri-medical-necessity", "claim-file-request",
                 {"insurer.plan_type": "individual", "insurer.grandfathered": True})
    assert "45 CFR 164.524" in text and "45 CFR 164.524(c)(4)" in text
    absent(text, *ERISA_MARKS, *ACA_MARKS)


def test_claim_file_request_medicaid_managed_care(tmp_path):
    text = build(tmp_path, "mri-medical-necessity", "claim-file-request",
                 {"insurer.plan_type": "medicaid-managed-care"})
    assert "42 CFR 438.404(b)(2)" in text
    assert "medical-necessity criteria" in text and "free of charge" in text
    assert "45 CFR 164.524" in text
    absent(text, *ERISA_MARKS, *ACA_MARKS)


def test_claim_file_request_medicaid_fee_for_service(tmp_path):
    text = build(tmp_path, "mri-medical-necessity", "claim-file-request",
                 {"insurer.plan_type": "medicaid"})
    assert "42 CFR 431.244(c)" in text and "hearing record" in text
    assert "fair hearing request" in text
    absent(text, *ERISA_MARKS, *ACA_MARKS, "438.404")


def test_claim_file_request_original_medicare(tmp_path):
    text = build(tmp_path, "mri-medical-necessity", "claim-file-request",
                 {"insurer.plan_type": "medicare"})
    assert "45 CFR 164.524" in text and "45 CFR 164.524(c)(4)" in text
    assert "Medicare Summary Notices" in text and "redetermination request" in text
    assert "September 30, 2026" in text  # 120 days after presumed receipt
    absent(text, *ERISA_MARKS, *ACA_MARKS, "438.404", "431.244", "summary plan description")


def test_claim_file_request_medicare_advantage_sample(tmp_path):
    text = build(tmp_path, "medicare-advantage-prior-auth", "claim-file-request")
    for fact in ("Harold B. Whitfield", "MA-77120034", "SSA-2026-118842",
                 "Sunshine Senior Advantage", "September 12, 2026", "August 19, 2026",
                 "Prior authorization was not obtained", "Susan Whitfield",
                 "authorization is on file"):
        assert fact in text, fact
    assert "organization determination" in text
    assert "45 CFR 164.524" in text
    # 65 days; the file is asked for by the reconsideration's mail-by date, not by
    # November 12 (30 days from October 13, when the letter arrives), which is later
    assert "November 16, 2026" in text and "no later than November 6, 2026" in text
    assert "November 12, 2026" not in text
    absent(text, *ERISA_MARKS, *ACA_MARKS, "438.404")


def test_claim_file_request_refusals(tmp_path):
    assert "uninsured" in refused(tmp_path, "mri-medical-necessity", "claim-file-request",
                                  {"insurer": {"plan_type": "uninsured"}})
    why = refused(tmp_path, "mri-medical-necessity", "claim-file-request",
                  {"claim.self_pay": True}, drop=["denial"], name="selfpay")
    assert "self-pay" in why and "billing-correction-request" in why
    assert "[patient] member_id" in refused(tmp_path, "mri-medical-necessity",
                                            "claim-file-request", drop=["patient.member_id"],
                                            name="nomember")


# --- reprocessing-request ----------------------------------------------------------------


def test_reprocessing_preventive_sample(tmp_path):
    text = build(tmp_path, "preventive-billed-diagnostic", "reprocessing-request")
    for fact in ("Robert Okafor", "MKT-3318842", "FRH-26-0094412",
                 "Front Range Health Insurance Co.", "Denver Digestive Health Center",
                 "June 18, 2026", "July 15, 2026", "$1,620.00", "$3,400.00",
                 "Applied to deductible"):
        assert fact in text, fact
    assert "modifier 33" in text
    assert "42 U.S.C. 300gg-13" in text and "45 CFR 147.130" in text  # marketplace: HHS
    assert "no deductible, copay or coinsurance" in text
    assert "corrected Explanation of Benefits" in text and "September 2, 2026" in text
    assert "January 11, 2027" in text  # the appeal deadline keeps running
    assert "cc: Denver Digestive Health Center" in text
    absent(text, "modifier PT", " PT ", "2590.715-2713", "149.420", "149.110",
           "Deductible already met", "Out-of-pocket maximum", "Network status", *ERISA_MARKS)


def test_reprocessing_preventive_employer_plan_cites_the_dol_rule(tmp_path):
    text = build(tmp_path, "preventive-billed-diagnostic", "reprocessing-request",
                 {"insurer.plan_type": "employer"})
    assert "29 CFR 2590.715-2713" in text and "42 U.S.C. 300gg-13" in text
    absent(text, "147.130")


def test_reprocessing_preventive_without_the_aca_for_grandfathered_and_medicare(tmp_path):
    text = build(tmp_path, "preventive-billed-diagnostic", "reprocessing-request",
                 {"insurer.plan_type": "employer", "insurer.grandfathered": True},
                 name="grandfathered")
    assert "preventive-care benefit" in text
    absent(text, "300gg-13", "2590.715-2713", "147.130")
    text = build(tmp_path, "preventive-billed-diagnostic", "reprocessing-request",
                 {"insurer.plan_type": "medicare"}, name="medicare")
    assert "Medicare Summary Notice" in text and "reopen" in text
    absent(text, "modifier", "PT", "300gg-13", "147.130", *ERISA_MARKS)


def test_reprocessing_preventive_needs_an_in_network_provider(tmp_path):
    why = refused(tmp_path, "preventive-billed-diagnostic", "reprocessing-request",
                  {"provider.in_network": False})
    assert "in-network provider" in why and "provider.in_network" in why


def test_no_preventive_wording_without_the_preventive_facts(tmp_path):
    why = refused(tmp_path, "preventive-billed-diagnostic", "reprocessing-request",
                  {"denial.reason": "benefit-limit"}, drop=["charges"])
    assert "no processing error can be named" in why and "internal-appeal" in why


def test_reprocessing_deductible_met(tmp_path):
    changes = {"denial.reason": "other", "insurer.deductible": "4500.00",
               "insurer.deductible_met": "4500.00"}
    text = build(tmp_path, "preventive-billed-diagnostic", "reprocessing-request", changes,
                 drop=["charges"])
    assert "Deductible already met" in text
    assert "$4,500.00 met toward the $4,500.00 deductible" in text
    assert "plan year that includes June 18, 2026" in text
    absent(text, "modifier 33", "300gg-13", "Out-of-pocket maximum")
    # not met: nothing to correct
    changes["insurer.deductible_met"] = "1200.00"
    why = refused(tmp_path, "preventive-billed-diagnostic", "reprocessing-request", changes,
                  drop=["charges"], name="notmet")
    assert "no processing error can be named" in why


def test_reprocessing_out_of_pocket_maximum_met(tmp_path):
    changes = {"denial.reason": "other", "insurer.deductible": "4500.00",
               "insurer.deductible_met": "4500.00", "insurer.out_of_pocket_max": "9100.00",
               "insurer.out_of_pocket_met": "9100.00"}
    text = build(tmp_path, "preventive-billed-diagnostic", "reprocessing-request", changes,
                 drop=["charges"])
    assert "Out-of-pocket maximum reached" in text
    assert "$9,100.00 counted toward the $9,100.00 out-of-pocket maximum" in text
    assert "42 U.S.C. 300gg-6(b)" in text
    absent(text, "Deductible already met")  # the maximum covers it
    changes["insurer.grandfathered"] = True
    text = build(tmp_path, "preventive-billed-diagnostic", "reprocessing-request", changes,
                 drop=["charges"], name="grandfathered")
    assert "Out-of-pocket maximum reached" in text
    absent(text, "300gg-6")


def test_reprocessing_anesthesia_sample_emergency_and_protected_clinician(tmp_path):
    text = build(tmp_path, "er-anesthesia", "reprocessing-request")
    for fact in ("Jordan A. Rivera", "XJH123456789", "G-44021", "CLM-2026-000124",
                 "Prairie Anesthesia Associates", "Springfield General Hospital",
                 "$6,200.00", "April 10, 2026", "Non-participating provider", "CO-242"):
        assert fact in text, fact
    assert "29 CFR 2590.716-4" in text and "45 CFR 149.420" in text  # ERISA plan: DOL text
    assert "ancillary services" in text and "did not choose" in text
    assert "June 1, 2026" in text and "October 7, 2026" in text
    absent(text, "Network status", "modifier 33", "149.410")


def test_149_420_only_for_the_protected_clinician(tmp_path):
    text = build(tmp_path, "er-anesthesia", "reprocessing-request",
                 {"provider.facility_in_network": False})
    assert "29 CFR 2590.716-4" in text  # still emergency care
    absent(text, "149.420", "Out-of-network clinician")
    text = build(tmp_path, "er-anesthesia", "reprocessing-request", {"claim.emergency": False},
                 name="scheduled")
    assert "45 CFR 149.420" in text
    absent(text, "149.110", "2590.716-4", "Emergency care")


def test_reprocessing_network_status_of_an_in_network_hospital(tmp_path):
    text = build(tmp_path, "er-out-of-network", "reprocessing-request")
    assert "Network status" in text and "NPI 1234567893" in text
    assert "Springfield General Hospital" in text and "$27,000.00" in text
    assert "29 CFR 2590.716-4" in text  # emergency care too
    text = build(tmp_path, "er-out-of-network", "reprocessing-request",
                 {"claim.emergency": False}, name="scheduled")
    assert "Network status" in text
    absent(text, "149.110", "Emergency care")
    why = refused(tmp_path, "er-out-of-network", "reprocessing-request",
                  {"claim.emergency": False, "provider.in_network": False}, name="oon")
    assert "no processing error can be named" in why


def test_reprocessing_coordination_of_benefits(tmp_path):
    text = build(tmp_path, "mri-medical-necessity", "reprocessing-request",
                 {"denial.reason": "coordination-of-benefits"})
    assert "Coordination of benefits" in text
    assert "Statement of other health coverage on May 2, 2026" in text
    absent(text, "Network status", "Preventive care", "149.")


def test_reprocessing_refusals(tmp_path):
    why = refused(tmp_path, "mri-medical-necessity", "reprocessing-request")
    assert "medical-necessity" in why and "internal-appeal" in why
    why = refused(tmp_path, "medicare-advantage-prior-auth", "reprocessing-request")
    assert "no processing error can be named" in why
    why = refused(tmp_path, "er-out-of-network", "reprocessing-request",
                  {"insurer.plan_type": "medicare"})
    assert "no processing error can be named" in why  # Original Medicare has no network
    assert "uninsured" in refused(tmp_path, "er-anesthesia", "reprocessing-request",
                                  {"insurer": {"plan_type": "uninsured"}}, name="uninsured")
    assert "self-pay" in refused(tmp_path, "preventive-billed-diagnostic",
                                 "reprocessing-request", {"claim.self_pay": True},
                                 name="selfpay")
    why = refused(tmp_path, "mri-medical-necessity", "reprocessing-request",
                  {"denial.final_internal": True}, name="final")
    assert "external-review-request" in why


# --- network-gap-exception ----------------------------------------------------------------


def test_network_gap_anesthesia_sample(tmp_path):
    text = build(tmp_path, "er-anesthesia", "network-gap-exception")
    for fact in ("Prairie Anesthesia Associates", "CLM-2026-000124", "XJH123456789",
                 "March 2, 2026", "$6,200.00", "Springfield General Hospital"):
        assert fact in text, fact
    assert "in-network level" in text and "in-network cost-sharing" in text
    assert "held harmless" in text and "harmless from any balance" in text
    assert "This was emergency care" in text
    assert "I did not choose Prairie Anesthesia Associates" in text
    assert "is in your network" in text
    assert "29 CFR 2590.716-4" in text and "45 CFR 149.410" in text and \
        "45 CFR 149.420" in text
    assert "June 1, 2026" in text and "October 7, 2026" in text
    absent(text, "single-case agreement")


def test_network_gap_cites_the_nsa_only_when_it_protects(tmp_path):
    text = build(tmp_path, "er-anesthesia", "network-gap-exception",
                 {"claim.emergency": False, "provider.facility_in_network": False})
    assert "did not choose" in text and "network gap exception" in text
    assert "single-case agreement" in text
    absent(text, "No Surprises", "149.")
    text = build(tmp_path, "er-anesthesia", "network-gap-exception",
                 {"insurer.plan_type": "short-term"}, name="shortterm")
    assert "This was emergency care" in text
    absent(text, "No Surprises", "149.", *ERISA_MARKS, *ACA_MARKS)


def test_network_gap_medicare_advantage_uses_the_plans_own_process(tmp_path):
    text = build(tmp_path, "medicare-advantage-prior-auth", "network-gap-exception",
                 {"provider.in_network": False, "provider.chosen_by_patient": False})
    assert "Harold B. Whitfield did not choose Gulf Coast Joint Institute" in text
    assert "process for covering out-of-network care" in text
    assert "November 16, 2026" in text
    absent(text, "149.", *ERISA_MARKS, *ACA_MARKS)


def test_network_gap_refusals(tmp_path):
    why = refused(tmp_path, "er-anesthesia", "network-gap-exception",
                  {"insurer.plan_type": "medicare"})
    assert "does not fit plan type 'medicare'" in why  # Original Medicare has no networks
    why = refused(tmp_path, "er-anesthesia", "network-gap-exception",
                  {"insurer.plan_type": "medicaid"}, name="medicaid")
    assert "does not fit plan type 'medicaid'" in why
    why = refused(tmp_path, "er-out-of-network", "network-gap-exception")
    assert "provider.in_network = true" in why and "reprocessing-request" in why
    why = refused(tmp_path, "er-anesthesia", "network-gap-exception",
                  drop=["provider.in_network"], name="unknown")
    assert "provider.in_network" in why
    why = refused(tmp_path, "er-anesthesia", "network-gap-exception",
                  {"claim.emergency": False, "provider.chosen_by_patient": True},
                  drop=["provider.facility"], name="noreason")
    assert "no reason why an in-network provider was not used" in why
    assert "uninsured" in refused(tmp_path, "er-anesthesia", "network-gap-exception",
                                  {"insurer": {"plan_type": "uninsured"}}, name="uninsured")


# --- medical-necessity-request -------------------------------------------------------------


def test_medical_necessity_request_sample(tmp_path):
    text = build(tmp_path, "mri-medical-necessity", "medical-necessity-request")
    for fact in ("Dear Dr. Ortiz", "Mei-Ling Chen", "TX26-7781204", "BCX-99812-01",
                 "Lone Star Benefits Administrators", "May 28, 2026", "May 2, 2026",
                 "MRI lumbar spine without contrast (CPT 72148)",
                 "Imaging not medically necessary: conservative therapy of six weeks not "
                 "documented", "LS-RAD-12"):
        assert fact in text, fact
    assert "point by point" in text
    for point in ("diagnosis", "treatments already tried", "medically necessary when it was given"):
        assert point in text
    assert "peer-to-peer review" in text and "medical director" in text
    assert "November 24, 2026" in text and "November 17, 2026" in text  # due, mail by
    assert "July 15, 2026" in text  # asked for by the reply date, well before
    absent(text, "short notice", *ERISA_MARKS, *ACA_MARKS)


def test_medical_necessity_asks_two_weeks_before_the_mail_by_date(tmp_path):
    text = build(tmp_path, "mri-medical-necessity", "medical-necessity-request",
                 {"case.date": D(2026, 10, 20)})
    assert "November 3, 2026" in text  # mail by November 17 less 14 days
    text = build(tmp_path, "mri-medical-necessity", "medical-necessity-request",
                 {"case.date": D(2026, 11, 9)}, name="late")
    assert "November 13, 2026" in text and "short notice" in text
    why = refused(tmp_path, "mri-medical-necessity", "medical-necessity-request",
                  {"case.date": D(2026, 12, 9)}, name="passed")
    assert "November 24, 2026, has passed" in why


def test_medical_necessity_answers_each_criterion(tmp_path):
    text = build(tmp_path, "mri-medical-necessity", "medical-necessity-request",
                 {"denial.criteria": "LS-RAD-12 section 2; six weeks of therapy; red flags"})
    for item in ('"LS-RAD-12 section 2"', '"six weeks of therapy"', '"red flags"'):
        assert item in text
    assert "each of the plan's criteria" in text
    text = build(tmp_path, "mri-medical-necessity", "medical-necessity-request",
                 drop=["denial.criteria"], name="nocriteria")
    assert "not yet known" in text


def test_medical_necessity_for_medicare_advantage_and_medicare(tmp_path):
    clinician = {"name": "Dr. Lena Brooks", "address": ["1 Bay Street", "Sarasota, FL 34236"]}
    text = build(tmp_path, "medicare-advantage-prior-auth", "medical-necessity-request",
                 {"clinician": clinician, "denial.urgent": True,
                  "claim.service_date": dt.date(2026, 12, 28), "claim.service_end_date": None})
    assert "Dear Dr. Brooks:" in text and "SSA-2026-118842" in text
    assert "expedite the reconsideration" in text
    assert "October 23, 2026" in text  # November 6 mail-by less 14 days
    absent(text, *ERISA_MARKS, *ACA_MARKS)
    text = build(tmp_path, "mri-medical-necessity", "medical-necessity-request",
                 {"insurer.plan_type": "medicare"}, name="medicare")
    absent(text, "peer-to-peer", *ERISA_MARKS, *ACA_MARKS)


def test_medical_necessity_refusals(tmp_path):
    assert "[clinician] name" in refused(tmp_path, "medicare-advantage-prior-auth",
                                         "medical-necessity-request")
    why = refused(tmp_path, "mri-medical-necessity", "medical-necessity-request",
                  {"denial.reason": "out-of-network"}, name="oon")
    assert "not a question of medical judgment" in why and "network-gap-exception" in why
    assert "[denial] date" in refused(tmp_path, "mri-medical-necessity",
                                      "medical-necessity-request", drop=["denial"],
                                      name="nodenial")
    assert "uninsured" in refused(tmp_path, "mri-medical-necessity", "medical-necessity-request",
                                  {"insurer": {"plan_type": "uninsured"}}, name="uninsured")


# --- real files through the command line -----------------------------------------------------


@pytest.mark.parametrize("example, letter_id, facts", [
    ("er-out-of-network", "records-request", ["ACCT-889900", "45 CFR 164.524", "June 1, 2026"]),
    ("mri-medical-necessity", "claim-file-request",
     ["TX26-7781204", "2560.503-1(h)(2)(iii)", "July 23, 2026"]),
    ("preventive-billed-diagnostic", "reprocessing-request",
     ["FRH-26-0094412", "modifier 33", "$1,620.00"]),
    ("er-anesthesia", "network-gap-exception", ["CLM-2026-000124", "149.420", "$6,200.00"]),
    ("mri-medical-necessity", "medical-necessity-request",
     ["Dr. Samuel Ortiz", "LS-RAD-12", "July 15, 2026"]),
])
def test_docx_and_pdf_through_the_cli(tmp_path, example, letter_id, facts):
    path = case_file(tmp_path, example)
    docx, pdf = cli_letter_texts(tmp_path, path, letter_id)
    pdf = " ".join(pdf.split())
    for fact in facts:
        assert fact in docx, fact
        assert fact in pdf, fact
