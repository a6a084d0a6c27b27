"""Settlement, credit-report, regulator, call-confirmation and authorization letters.

Each test builds a real sample case (changed with ``case_file``) and asserts on what
the recipient reads: names, numbers, amounts and dates as in the case, the citations
that fit the plan and the absence of wrong ones, and the refusals with their reasons.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from conftest import (
    assert_clean,
    case_file,
    cli_letter_texts,
    document_text,
    letter_text,
    refusal,
)
from lettergen.analysis.directory import bureaus, recommended_regulator
from lettergen.analysis.facts import Facts
from lettergen.case.casefile import load_case
from lettergen.cli import main
from lettergen.letters.document import Signature, plain_text
from lettergen.letters.render import render_letter
from lettergen.packs.folder import open_packs

AGREED = {"date": dt.date(2026, 9, 8), "amount": Decimal("5000.00"),
          "representative": "Dana Pruitt", "reference": "SET-5531"}
EBSA = {"name": "U.S. Department of Labor, Employee Benefits Security Administration",
        "address": ["Dallas Regional Office", "525 S. Griffin Street, Room 900",
                    "Dallas, TX 75202"]}
CREDIT = {"bureau": "equifax", "reported_by": "Southern Credit Recovery LLC",
          "reported_balance": Decimal("18000.00"), "first_reported": dt.date(2026, 9, 5)}
VALIDATION_LETTER = {"date": dt.date(2026, 9, 8), "party": "collector", "kind": "letter",
                     "letter": "debt-validation"}
REPRESENTATIVE = {"name": "Casey Morgan", "role": "Patient advocate",
                  "address": ["40 Advocacy Way", "Austin, TX 78702"],
                  "phone": "(512) 555-0190", "authorization": "enclosed"}


def signature_lines(path, letter_id: str) -> list[str]:
    letter = render_letter(load_case(path), letter_id, open_packs([]))
    blocks = [b for b in letter.document.blocks if isinstance(b, Signature)]
    assert len(blocks) == 1
    return [plain_text(line) for line in blocks[0].lines]


def no_vacated_rule(text: str) -> None:
    for words in ("Regulation V", "CFPB", "1022", "Consumer Financial Protection"):
        assert words not in text


# --- settlement-offer --------------------------------------------------------------------


def test_settlement_offer_to_the_collector_with_the_reasons(tmp_path):
    text = letter_text(case_file(tmp_path, "collections-uninsured"), "settlement-offer")
    assert_clean(text)
    assert "Southern Credit Recovery LLC\nPO Box 1881\nMarietta, GA 30061" in text
    assert "Your account number: SCR-2026-55120" in text
    assert "Original creditor: Peachtree Surgical Center, account PSC-7719" in text
    assert "Balance claimed: $18,000.00" in text
    assert "Without admitting that the balance is owed, I offer $4,500.00 as payment in full" \
        in text
    assert "in one payment" in text
    # respond_within_days = 14 from September 10, 2026
    assert text.count("September 24, 2026") >= 2
    assert "Peachtree Surgical Center billed $18,000.00" in text
    assert "no health insurance" in text
    assert "household of 2 people lives on $31,000.00 a year" in text
    assert "Hourly retail income; no savings beyond one month of rent." in text
    assert "before any payment is made" in text
    assert "the balance will be zero" in text
    assert "will not be reported to any credit bureau" in text and "delete it" in text
    assert "authorized by Peachtree Surgical Center to settle it" in text
    assert "does not waive a refund" in text
    assert "does not admit that the balance or any part of it is owed" in text
    # what a collector typically recovers is not a fact of the case
    for words in ("cents on the dollar", "typically", "recovers", "percent"):
        assert words not in text
    # the one percentage is the household's income against the poverty guideline
    assert "%" not in text.replace("143% of the 2026 federal poverty guideline", "")
    assert "U.S.C." not in text and "CFR" not in text


def test_settlement_offer_goes_to_the_provider_without_a_collector(tmp_path):
    path = case_file(tmp_path, "collections-uninsured", drop=["collector"])
    text = letter_text(path, "settlement-offer")
    assert_clean(text)
    assert "Peachtree Surgical Center\nBilling Office\n2100 Peachtree Road" in text
    assert "Account number: PSC-7719" in text
    assert "Southern Credit" not in text and "Your account number" not in text
    assert "any collection agency or buyer of the account" in text


def test_settlement_offer_payment_plan_with_benchmarks_and_errors(tmp_path):
    path = case_file(tmp_path, "er-out-of-network", {
        "offer": {"amount": Decimal("3000.00"), "payment": "payment-plan",
                  "monthly": Decimal("400.00")},
        "hardship": {"household_size": 3, "annual_income": Decimal("42000.00")},
    })
    text = letter_text(path, "settlement-offer")
    assert_clean(text)
    assert "Springfield General Hospital\nPatient Financial Services" in text
    assert "I offer $3,000.00 as payment in full of this account, paid in 8 monthly payments " \
           "of $400.00 (the last one $200.00), without interest or fees" in text
    assert "Laparoscopic appendectomy | $14,800.00 | $742.10 | 19.9×" in text
    assert "billed at 19.6× the benchmark: $18,000.00 against $920.62" in text
    assert "REV 0250 on March 3, 2026, $1,400.00: a duplicate of another line" in text
    assert "Acme Health Plan denied the claim for this care on April 10, 2026" in text
    assert "if Acme Health Plan later pays for this care" in text
    assert "household of 3 people lives on $42,000.00 a year" in text
    assert "no interest, fees or late charges" in text
    # reply-offer: 14 days from April 25, 2026 is Saturday May 9, moved to Monday May 11
    assert "open until May 11, 2026" in text


def test_settlement_offer_with_one_benchmarked_line_speaks_of_one_line(tmp_path):
    text = letter_text(case_file(tmp_path, "mri-medical-necessity"), "settlement-offer")
    assert "The bill's main line is priced far above published rates for the same " \
        "service:" in text
    assert "This line is billed at 12.9× the benchmark: $2,850.00 against $221.35" in text
    assert "these lines" not in text and "main lines" not in text


def test_settlement_offer_deadline_from_respond_within_days(tmp_path):
    path = case_file(tmp_path, "collections-uninsured", {"offer.respond_within_days": 21})
    assert "open until October 1, 2026" in letter_text(path, "settlement-offer")


def test_settlement_offer_refuses_without_an_amount(tmp_path):
    path = case_file(tmp_path, "collections-uninsured", drop=["offer.amount"])
    assert "[offer] amount" in refusal(path, "settlement-offer")


def test_settlement_offer_refuses_an_old_debt(tmp_path):
    path = case_file(tmp_path, "collections-uninsured", {"claim.service_date": dt.date(2023, 2, 1),
                                                         "balance.first_statement_date":
                                                         dt.date(2023, 3, 1)})
    reason = refusal(path, "settlement-offer")
    assert "February 1, 2023" in reason and "more than 3 years" in reason
    assert "restart" in reason and "debt-validation" in reason and "legal aid" in reason


# --- settlement-confirmation -------------------------------------------------------------


def test_settlement_confirmation_states_the_agreement(tmp_path):
    path = case_file(tmp_path, "collections-uninsured", {"offer.agreed": AGREED})
    text = letter_text(path, "settlement-confirmation")
    assert_clean(text)
    assert "Southern Credit Recovery LLC\nPO Box 1881" in text
    assert "Your account number: SCR-2026-55120" in text
    assert "On September 8, 2026, Dana Pruitt of your office agreed to accept $5,000.00 as " \
           "payment in full (reference SET-5531)" in text
    assert "Settlement amount: $5,000.00" in text
    assert "the balance is zero" in text
    assert "no further bill, statement, interest, fee or collection" in text
    assert "not reported to any credit bureau" in text
    assert "will be refunded to me" in text
    assert "on your letterhead" in text and "signed by a person authorized" in text
    # reply-short: 14 days from September 10, 2026
    assert text.count("September 24, 2026") >= 2


def test_settlement_confirmation_needs_the_agreement(tmp_path):
    path = case_file(tmp_path, "collections-uninsured")
    assert "[offer] agreed.amount" in refusal(path, "settlement-confirmation")


# --- credit-report-dispute ---------------------------------------------------------------


def test_credit_dispute_to_the_bureau_with_its_own_policy(tmp_path):
    path = case_file(tmp_path, "collections-uninsured",
                     {"credit_report": CREDIT, "contacts": [VALIDATION_LETTER]})
    text = letter_text(path, "credit-report-dispute")
    assert_clean(text)
    assert "Equifax Information Services LLC\nP.O. Box 740256\nAtlanta, GA 30374-0256" in text
    assert "the account reported by Southern Credit Recovery LLC (account SCR-2026-55120) " \
           "with a balance of $18,000.00, first reported on September 5, 2026" in text
    assert "care from Peachtree Surgical Center on February 11, 2026" in text
    assert "It was reported too soon." in text
    assert "Your published policy is not to report an unpaid medical collection until a year " \
           "after it becomes delinquent" in text
    assert "I disputed this debt in writing with Southern Credit Recovery LLC on September 8, " \
           "2026" in text
    assert "15 U.S.C. 1681i" in text and "within 30 days" in text
    # 30 days from September 17, 2026, the day the letter of September 10 should arrive:
    # Saturday October 17, moved to Monday
    assert "by October 19, 2026" in text
    assert "cc: Southern Credit Recovery LLC" in text
    no_vacated_rule(text)
    for line in text.splitlines():
        if "policy" in line:
            assert " law" not in line and "U.S.C." not in line and "CFR" not in line, line
    assert "Georgia law" not in text  # Georgia is not among the states with their own limits


@pytest.mark.parametrize("bureau", sorted(bureaus()))
def test_credit_dispute_address_comes_from_the_data_file(tmp_path, bureau):
    data = bureaus()[bureau]
    path = case_file(tmp_path, "collections-uninsured",
                     {"credit_report": {**CREDIT, "bureau": bureau}})
    text = letter_text(path, "credit-report-dispute")
    assert "\n".join((data.name, *data.address)) in text
    assert f"my {data.brand} credit report" in text
    assert data.source.startswith("https://") and data.status in ("verified", "unverified")


def test_credit_dispute_paid_and_under_500_with_state_law(tmp_path):
    path = case_file(tmp_path, "er-anesthesia", {
        "credit_report": {"bureau": "transunion", "reported_by": "Midwest Recovery Services",
                          "reported_balance": Decimal("350.00"),
                          "first_reported": dt.date(2027, 6, 1)},
        "balance.amount_due": Decimal("0.00"), "case.date": dt.date(2027, 7, 1)})
    text = letter_text(path, "credit-report-dispute")
    assert_clean(text)
    assert "TransUnion Consumer Solutions\nP.O. Box 2000\nChester, PA 19016" in text
    assert "It has been paid. Prairie Anesthesia Associates shows a balance of $0.00." in text
    assert "Your published policy, since July 1, 2022, is to leave paid medical collections " \
           "off credit reports" in text
    assert "Its balance is under $500.00. The balance reported is $350.00." in text
    assert "Your published policy, since April 11, 2023, is to leave off medical collections " \
           "whose balance was under $500.00 when first reported" in text
    assert "reported too soon" not in text  # June 2027 is more than a year after March 2026
    assert "Illinois law on the reporting of medical debt may also apply" in text
    assert "15 U.S.C. 1681i" in text
    no_vacated_rule(text)


def test_credit_dispute_refuses_without_a_reason(tmp_path):
    path = case_file(tmp_path, "collections-uninsured", {
        "credit_report": {**CREDIT, "first_reported": dt.date(2027, 3, 1)},
        "case.date": dt.date(2027, 4, 1)})
    reason = refusal(path, "credit-report-dispute")
    assert "no reason" in reason and "debt-validation" in reason


def test_credit_dispute_needs_the_bureau(tmp_path):
    path = case_file(tmp_path, "collections-uninsured",
                     {"credit_report": {"reported_by": "Southern Credit Recovery LLC"}})
    assert "[credit_report] bureau" in refusal(path, "credit-report-dispute")


# --- regulator-complaint -----------------------------------------------------------------


@pytest.mark.parametrize(("example", "changes", "kind", "words"), [
    ("mri-medical-necessity", {}, "dol-ebsa", "Employee Benefits Security Administration"),
    ("er-out-of-network", {}, "state-insurance", "Illinois"),
    ("mri-medical-necessity", {"insurer.plan_type": "public-employer"}, "cms", "Medicare"),
    ("preventive-billed-diagnostic", {}, "state-insurance", "Colorado"),
    ("nonprofit-financial-assistance", {}, "state-insurance", "Ohio"),
    ("medicare-advantage-prior-auth", {}, "cms", "Centers for Medicare & Medicaid Services"),
    ("medicare-advantage-prior-auth", {"insurer.plan_type": "medicare"}, "cms", "CMS"),
    ("preventive-billed-diagnostic", {"insurer.plan_type": "medicaid"}, "state-medicaid",
     "Colorado Medicaid"),
    ("preventive-billed-diagnostic", {"insurer.plan_type": "medicaid-managed-care"},
     "state-medicaid", "Medicaid"),
])
def test_recommended_regulator_by_plan_type(tmp_path, example, changes, kind, words):
    fit = recommended_regulator(load_case(case_file(tmp_path, example, changes)))
    assert fit.kind == kind
    assert words in fit.agency + " " + fit.reason


def test_insured_employer_plan_fits_the_state_and_the_department_of_labor(tmp_path):
    fit = recommended_regulator(load_case(case_file(tmp_path, "er-anesthesia")))
    assert fit.kinds[:2] == ("state-insurance", "dol-ebsa")
    assert "cms" in fit.kinds  # the anesthesia balance bill is a No Surprises Act matter


def test_regulator_complaint_to_the_department_of_labor(tmp_path):
    path = case_file(tmp_path, "mri-medical-necessity", {
        "regulator": EBSA, "case.date": dt.date(2026, 8, 10),
        "denial.appeal_filed": dt.date(2026, 5, 30),
        "contacts": [{"date": dt.date(2026, 7, 1), "party": "insurer", "kind": "call",
                      "representative": "Kim", "reference": "REF-1",
                      "summary": "Said the appeal is still pending."}]})
    text = letter_text(path, "regulator-complaint")
    assert_clean(text)
    assert "U.S. Department of Labor, Employee Benefits Security Administration\n" \
           "Dallas Regional Office" in text
    assert "RE: Complaint about Lone Star Benefits Administrators" in text
    assert "claim TX26-7781204" in text and "$2,850.00 in dispute" in text
    assert "self-funded and governed by ERISA; member ID BCX-99812-01, group NWL-1200" in text
    assert "Imaging not medically necessary" in text
    # the decision time runs from receipt: from June 5, 2026, when the appeal sent on
    # May 30 should have arrived, not from the day it was sent
    assert "The appeal was filed on May 30, 2026. 29 CFR 2560.503-1(i)(2)(iii)(A) requires a " \
           "decision within 60 days after the plan receives an appeal. Counted from June 5, " \
           "2026, the day the appeal should have reached Lone Star Benefits Administrators, " \
           "that time ended on August 4, 2026, and I have received no decision." in text
    assert "Date | With | What happened | Representative, reference" in text
    assert "July 1, 2026 | Lone Star Benefits Administrators | Call: Said the appeal is still " \
           "pending. | Kim, REF-1" in text
    assert "May 28, 2026 | Lone Star Benefits Administrators | Claim denied" in text
    assert "ask Lone Star Benefits Administrators to decide the appeal, which was due by " \
           "August 4, 2026, and review the denial against the plan's terms" in text
    assert "rules that apply" not in text
    assert "by September 9, 2026" in text
    assert "147.136" not in text  # a private employer plan: the ERISA rule is the one cited


def test_regulator_complaint_counts_the_decision_from_the_day_the_appeal_arrived(tmp_path):
    """The contact log's return receipt says when the appeal reached the plan: the
    complaint counts from that day, as check, the timeline and the follow-up do."""
    appeal = {"date": dt.date(2026, 5, 30), "party": "insurer", "kind": "letter",
              "letter": "internal-appeal", "received": dt.date(2026, 6, 2)}
    path = case_file(tmp_path, "mri-medical-necessity", {
        "regulator": EBSA, "case.date": dt.date(2026, 8, 10),
        "denial.appeal_filed": dt.date(2026, 5, 30), "contacts": [appeal]})
    text = letter_text(path, "regulator-complaint")
    assert "Counted from June 2, 2026, the day the appeal reached Lone Star Benefits " \
        "Administrators, that time ended on August 1, 2026" in text
    facts = Facts(load_case(path))
    assert facts.filed_appeal.due == dt.date(2026, 8, 1)


def test_regulator_complaint_for_medicare_advantage_cites_no_erisa(tmp_path):
    path = case_file(tmp_path, "medicare-advantage-prior-auth", {
        "regulator": {"name": "Centers for Medicare & Medicaid Services",
                      "address": ["7500 Security Boulevard", "Baltimore, MD 21244"]},
        "denial.appeal_filed": dt.date(2026, 9, 20), "case.date": dt.date(2026, 12, 1)})
    text = letter_text(path, "regulator-complaint")
    assert_clean(text)
    assert "Centers for Medicare & Medicaid Services\n7500 Security Boulevard" in text
    assert "Sunshine Senior Advantage" in text and "Medicare Advantage plan" in text
    assert "42 CFR 422.590 requires a decision within 60 days after the plan receives an " \
           "appeal. Counted from September 25, 2026" in text
    assert "that time ended on November 24, 2026" in text
    for wrong in ("ERISA", "2560.503-1", "147.136"):
        assert wrong not in text


@pytest.mark.parametrize(("example", "changes", "reason", "fits"), [
    ("mri-medical-necessity", {}, "self-funded private employer plan",
     "Employee Benefits Security Administration"),
    ("medicare-advantage-prior-auth", {}, "Centers for Medicare & Medicaid Services",
     "Centers for Medicare & Medicaid Services"),
    ("medicare-advantage-prior-auth", {"insurer.plan_type": "medicare"}, "not by the state",
     "CMS"),
])
def test_regulator_complaint_refuses_a_clear_mismatch(tmp_path, example, changes, reason, fits):
    path = case_file(tmp_path, example, {**changes, "regulator": {
        "name": "State Department of Insurance", "address": ["1 Capitol Square", "City"]}})
    found = refusal(path, "regulator-complaint")
    assert "State Department of Insurance looks like a state insurance department" in found
    assert reason in found and fits in found.split("Next step:")[1]


def test_regulator_complaint_insured_plan_to_the_state_builds(tmp_path):
    path = case_file(tmp_path, "er-out-of-network", {"regulator": {
        "name": "Illinois Department of Insurance",
        "address": ["320 West Washington Street", "Springfield, IL 62767"]}})
    text = letter_text(path, "regulator-complaint")
    assert_clean(text)
    assert "Illinois Department of Insurance\n320 West Washington Street" in text
    assert "that is insured and governed by ERISA" in text
    assert "April 21, 2026 | Springfield General Hospital | Call: Asked for an itemized bill" \
        in text
    assert "Dana, CALL-5521" in text
    assert "emergency care" in text and "45 CFR 149.410" in text


def test_regulator_complaint_needs_a_history(tmp_path):
    path = case_file(tmp_path, "collections-uninsured", {"regulator": EBSA})
    assert "no history" in refusal(path, "regulator-complaint")
    path = case_file(tmp_path, "collections-uninsured", drop=["regulator"])
    assert "[regulator] name" in refusal(path, "regulator-complaint")


# --- call-confirmation -------------------------------------------------------------------

CALLS = [
    {"date": dt.date(2026, 4, 14), "party": "insurer", "kind": "call", "representative": "Lee",
     "reference": "ACME-778", "summary": "The plan will reprocess the claim as emergency care.",
     "until": dt.date(2026, 5, 14)},
    {"date": dt.date(2026, 4, 21), "party": "provider", "kind": "call", "representative": "Dana",
     "reference": "CALL-5521", "summary": "Account on a billing hold while the denial is "
     "reviewed.", "until": dt.date(2026, 5, 21)},
]


def test_call_confirmation_confirms_the_newest_contact(tmp_path):
    path = case_file(tmp_path, "er-out-of-network", {"contacts": CALLS})
    text = letter_text(path, "call-confirmation")
    assert_clean(text)
    assert "Springfield General Hospital\nPatient Financial Services" in text
    assert "RE: Confirmation of our telephone call of April 21, 2026" in text
    assert "Account number: ACCT-889900" in text
    assert "with Dana, reference CALL-5521" in text
    assert "What was said and agreed: Account on a billing hold while the denial is reviewed." \
        in text
    # until is the date the agreement names, not a promise that it "stays in effect"
    assert "Date named in what was agreed: May 21, 2026" in text \
        and "with the date of May 21, 2026 named above" in text
    assert "stays in effect" not in text
    # reply-short: 14 days from April 25, 2026 is Saturday May 9, moved to Monday May 11
    assert text.count("May 11, 2026") >= 2
    assert "ACME-778" not in text


def test_call_confirmation_with_contact_1_goes_to_the_plan(tmp_path):
    path = case_file(tmp_path, "er-out-of-network", {"contacts": CALLS})
    letter = render_letter(load_case(path), "call-confirmation", open_packs([]),
                           contact_index=1)
    text = document_text(letter.document)
    assert_clean(text)
    assert "Acme Health Plan\nAttn: Appeals Unit" in text
    assert "Member ID: XJH123456789; group G-44021" in text
    assert "about claim CLM-2026-000123" in text
    assert "on April 14, 2026 with Lee, reference ACME-778" in text
    assert "The plan will reprocess the claim as emergency care." in text
    assert "Date named in what was agreed: May 14, 2026" in text
    assert "CALL-5521" not in text


def test_call_confirmation_contact_option_on_the_command_line(tmp_path, capsys):
    path = case_file(tmp_path, "er-out-of-network", {"contacts": CALLS})
    out = tmp_path / "out"
    assert main(["build", str(path), "-l", "call-confirmation", "-f", "md", "-o", str(out),
                 "--contact", "1"]) == 0
    written = (out / "er-out-of-network" / "call-confirmation.md").read_text("utf-8")
    assert "ACME\\-778" in written and "CALL\\-5521" not in written


def test_call_confirmation_refusals(tmp_path):
    letter = {**CALLS[1], "kind": "letter", "letter": "billing-hold-request"}
    path = case_file(tmp_path, "er-out-of-network", {"contacts": [letter]})
    assert "is a letter" in refusal(path, "call-confirmation")
    path = case_file(tmp_path, "er-out-of-network", {"contacts": [{**CALLS[1],
                                                                   "party": "other"}]})
    assert "'other'" in refusal(path, "call-confirmation")
    path = case_file(tmp_path, "er-out-of-network", drop=["contacts"])
    assert "[[contacts]]" in refusal(path, "call-confirmation")


# --- representative-authorization --------------------------------------------------------


def test_authorization_for_medicare_advantage_signed_by_the_patient(tmp_path):
    path = case_file(tmp_path, "medicare-advantage-prior-auth")
    text = letter_text(path, "representative-authorization")
    assert_clean(text)
    assert text.startswith("Harold B. Whitfield\n5120 Gulf Breeze Drive")
    assert "Sunshine Senior Advantage\nAppeals and Grievances" in text
    assert "Member ID: MA-77120034" in text
    assert "I, Harold B. Whitfield, born February 27, 1953, authorize Susan Whitfield " \
           "(Daughter and appointed representative) to act for me about the care I received " \
           "from Gulf Coast Joint Institute on August 19, 2026 (claim SSA-2026-118842)" in text
    assert "To whom: Susan Whitfield, 22 Palm Avenue, Tampa, FL 33602, (813) 555-0172." in text
    assert "Sunshine Senior Advantage, my health plan, member ID MA-77120034" in text
    assert "Who may disclose it: each organization listed above" in text
    assert "What information:" in text and "psychotherapy notes" in text
    assert "Purpose: at my request" in text
    # authorization-expiry: one year from October 5, 2026
    assert "or on October 5, 2027, whichever comes first" in text
    assert "I may revoke this authorization at any time by writing to the organization" in text
    assert "may not be conditioned on my signing" in text
    assert "Redisclosure:" in text
    assert "CMS-1696" in text and "Appointment of Representative" in text
    lines = signature_lines(path, "representative-authorization")
    assert lines[0] == "Harold B. Whitfield" and "Patient" in lines
    assert not any("Susan Whitfield" in line for line in lines)
    assert "cc: Susan Whitfield" in text


def test_authorization_for_an_employer_plan_names_no_medicare_form(tmp_path):
    path = case_file(tmp_path, "mri-medical-necessity", {"sender": REPRESENTATIVE})
    text = letter_text(path, "representative-authorization")
    assert_clean(text)
    assert "Lone Star Benefits Administrators\nAppeals Department" in text
    assert "authorize Casey Morgan (Patient advocate)" in text
    assert "CMS-1696" not in text and "Medicare" not in text
    assert "uses its own authorization or appointment-of-representative form" in text
    assert "revoke" in text
    lines = signature_lines(path, "representative-authorization")
    assert lines[0] == "Mei-Ling Chen" and not any("Casey" in line for line in lines)
    assert "Written authorization signed by" not in text


def test_authorization_for_an_uninsured_patient_goes_to_the_provider(tmp_path):
    path = case_file(tmp_path, "collections-uninsured", {"sender": REPRESENTATIVE})
    text = letter_text(path, "representative-authorization")
    assert_clean(text)
    assert "Peachtree Surgical Center\nBilling Office" in text
    assert "Peachtree Surgical Center, which billed the care (account PSC-7719)" in text
    assert "CMS-1696" not in text


def test_authorization_needs_a_sender(tmp_path):
    path = case_file(tmp_path, "mri-medical-necessity")
    assert "[sender] name" in refusal(path, "representative-authorization")


# --- real files through the command line -------------------------------------------------

BUILDS = [
    ("settlement-offer", "collections-uninsured", {}, "$4,500.00"),
    ("settlement-confirmation", "collections-uninsured", {"offer.agreed": AGREED}, "SET-5531"),
    ("credit-report-dispute", "collections-uninsured", {"credit_report": CREDIT},
     "P.O. Box 740256"),
    ("regulator-complaint", "mri-medical-necessity", {"regulator": EBSA},
     "Employee Benefits Security Administration"),
    ("call-confirmation", "er-out-of-network", {}, "CALL-5521"),
    ("representative-authorization", "medicare-advantage-prior-auth", {}, "CMS-1696"),
]


@pytest.mark.parametrize(("letter_id", "example", "changes", "words"), BUILDS)
def test_docx_and_pdf_through_the_cli(tmp_path, capsys, letter_id, example, changes, words):
    path = case_file(tmp_path, example, changes)
    docx, pdf = cli_letter_texts(tmp_path, path, letter_id)
    assert words in docx
    assert words in pdf.replace("\n", " ")
