"""external-review-request and billing-hold-request: what the recipient reads.

Every test builds a real sample case (changed with ``case_file``) and asserts on the
letter's words: names, numbers, amounts, dates, the citations the plan type allows and
the absence of those it does not, and refusals with their reason and next step.
"""

from __future__ import annotations

import datetime as dt

import pytest

from conftest import (
    assert_clean,
    case_file,
    cli_letter_texts,
    letter_text,
    refusal,
)

ER = "external-review-request"
HOLD = "billing-hold-request"
D = dt.date
# Expedited review is for care not yet given: the urgent cases schedule the care after
# the letter date (issue 9 item 6).
UPCOMING = {"claim.service_date": dt.date(2026, 12, 28), "claim.service_end_date": None}


def no_erisa(text: str) -> None:
    for wrong in ("ERISA", "2560.503-1", "2590.715"):
        assert wrong not in text, wrong


# ---- external-review-request: the route and the deadline ---------------------------------


def test_self_funded_employer_plan_gets_the_federal_process_and_its_deadline(tmp_path):
    path = case_file(tmp_path, "mri-medical-necessity", {"denial.final_internal": True})
    text = letter_text(path, ER)
    assert_clean(text)
    for fact in ("Mei-Ling Chen", "BCX-99812-01", "NWL-1200", "TX26-7781204", "$2,850.00",
                 "Lone Star Benefits Administrators", "Northwind Logistics Employee Health Plan",
                 "Lone Star Benefits imaging guideline LS-RAD-12"):
        assert fact in text, fact
    assert "RE: Request for external review" in text
    assert "self-funded employer group health plan, so the federal external review process" in text
    # a private employer plan: the Labor Department's text, not HHS's
    assert "29 CFR 2590.715-2719" in text and "29 CFR 2590.715-2719(d)" in text
    assert "147.136" not in text
    # No receipt date in the case: four months from the printed date, said so.
    assert "Counted from May 28, 2026, the date printed on the denial" in text
    assert "the last day is September 28, 2026" in text
    assert "dated June 15, 2026, is made within that time" in text
    assert "rests on medical judgment" in text and "medically necessary" in text
    assert "within 45 days" in text and "29 CFR 2590.715-2719(d))" in text
    assert "2590.715-2719(c)" not in text and "state insurance department" not in text
    assert "expedited" not in text.lower()
    assert "by June 29, 2026" in text  # reply-short: 14 days from June 15
    # only what the case encloses: the therapy notes, never a letter or records it lacks
    assert "Physical therapy notes, March 20 to May 1, 2026" in text
    assert "Letter from Dr. Samuel Ortiz" not in text
    assert "Medical records for the care on May 2, 2026" not in text
    assert "enclosed letter" not in text


@pytest.mark.parametrize("received, due, moved", [
    (D(2025, 10, 30), "March 2, 2026", True),   # Feb 30 → Mar 1, a Sunday → Monday
    (D(2026, 10, 30), "March 1, 2027", False),  # Feb 30 → Mar 1, a Monday: month-end only
    (D(2026, 3, 14), "July 14, 2026", False),
])
def test_federal_deadline_uses_the_month_end_and_weekend_rules(tmp_path, received, due, moved):
    changes = {"denial.final_internal": True, "denial.received": received,
               "denial.date": received - dt.timedelta(days=3),
               "claim.service_date": received - dt.timedelta(days=60),
               "case.date": received + dt.timedelta(days=20)}
    text = letter_text(case_file(tmp_path, "mri-medical-necessity", changes), ER)
    assert f"the day the denial arrived, the last day is {due}" in text
    assert ("a weekend or federal holiday moves to the next business day" in text) is moved
    if received == D(2025, 10, 30):
        assert "March 1, 2026" not in text


def test_insured_employer_plan_gets_the_state_process(tmp_path):
    regulator = {"name": "Illinois Department of Insurance",
                 "address": ["320 West Washington Street", "Springfield, IL 62767"]}
    path = case_file(tmp_path, "er-out-of-network", {
        "denial.final_internal": True, "denial.received": D(2026, 4, 14),
        "regulator": regulator})
    text = letter_text(path, ER)
    assert_clean(text)
    for fact in ("Jordan A. Rivera", "XJH123456789", "G-44021", "Acme Gold PPO",
                 "CLM-2026-000123", "$27,000.00", "April 10, 2026"):
        assert fact in text, fact
    assert "insured employer group health plan, so the Illinois external review process" in text
    assert "29 CFR 2590.715-2719(c)" in text and "147.136" not in text  # an ERISA plan
    assert "The federal process allows" not in text  # its request clock is not this route's
    assert "at least 4 months" in text and "may allow more" in text
    assert "Counted from April 14, 2026, the day the denial arrived, the last day is " \
           "August 14, 2026" in text
    # Emergency care: a No Surprises Act dispute, eligible on that ground.
    assert "29 CFR 2590.716-4" in text and "No Surprises Act" in text
    assert "Springfield General Hospital is in fact in the plan's network" in text
    assert "cover and pay the claim at in-network cost-sharing" in text
    assert "cc: Illinois Department of Insurance" in text


@pytest.mark.parametrize("self_funded, due", [
    (False, "August 15, 2026"),  # state route: the safe date, a Saturday, is not moved later
    (True, "August 17, 2026"),   # federal route: Saturday August 15 moves to Monday
])
def test_only_the_federal_deadline_moves_off_a_weekend(tmp_path, self_funded, due):
    path = case_file(tmp_path, "er-out-of-network", {
        "denial.final_internal": True, "denial.received": D(2026, 4, 15),
        "insurer.self_funded": self_funded})
    text = letter_text(path, ER)
    assert f"Counted from April 15, 2026, the day the denial arrived, the last day is {due}" in text
    assert ("weekend" in text) is self_funded


@pytest.mark.parametrize("plan_type, extra", [
    ("marketplace", {"denial.level": 2}),  # one level of internal appeal: level 2 is final
    ("individual", {"denial.final_internal": True}),
    ("public-employer", {"denial.final_internal": True, "insurer.self_funded": False}),
])
def test_aca_plans_outside_erisa_get_147_136_and_never_erisa(tmp_path, plan_type, extra):
    path = case_file(tmp_path, "mri-medical-necessity",
                     {"insurer.plan_type": plan_type, **extra})
    text = letter_text(path, ER)
    assert_clean(text)
    assert "45 CFR 147.136" in text and "Texas external review process" in text
    no_erisa(text)


def test_self_funded_public_employer_plan_gets_the_federal_process_without_erisa(tmp_path):
    path = case_file(tmp_path, "mri-medical-necessity",
                     {"insurer.plan_type": "public-employer", "denial.final_internal": True})
    text = letter_text(path, ER)
    assert "self-funded government employer group health plan, so the federal" in text
    assert "45 CFR 147.136(d)(2)(i)" in text
    no_erisa(text)


@pytest.mark.parametrize("changes, reason, step", [
    ({"insurer.plan_type": "medicare"}, "Qualified Independent Contractor",
     "ask for the redetermination (lettergen build -l internal-appeal) by September 30, 2026"),
    ({"insurer.plan_type": "medicare", "denial.level": 3}, "Administrative Law Judge",
     "OMHA-100"),
    ({"insurer.plan_type": "medicare-advantage"}, "sends the case to the Independent Review "
     "Entity itself", "ask the plan for a reconsideration (lettergen build -l internal-appeal)"),
    ({"insurer.plan_type": "medicare-advantage", "denial.level": 2},
     "the member files nothing for that level", "wait for the Independent Review Entity"),
    ({"insurer.plan_type": "medicaid"}, "state fair hearing",
     "ask for a state fair hearing (lettergen build -l internal-appeal) by August 26, 2026"),
    ({"insurer.plan_type": "medicaid-managed-care"}, "the next level is the state fair hearing",
     "appeal to the plan first (lettergen build -l internal-appeal) by July 27, 2026"),
    ({"insurer.plan_type": "short-term", "denial.final_internal": True},
     "short-term health plans are not covered", "state insurance department"),
    ({"insurer.plan_type": "fehb", "denial.final_internal": True},
     "Office of Personnel Management", "ask OPM to review"),
    ({"insurer": {"plan_type": "uninsured"}}, "there is no insurer",
     "itemized bill, a repricing or financial assistance"),
])
def test_plans_without_aca_external_review_are_refused_with_their_next_step(
        tmp_path, changes, reason, step):
    why = refusal(case_file(tmp_path, "mri-medical-necessity", changes), ER)
    assert reason in why and "Next step: " in why and step in why
    for wrong in ("147.136", "2560.503-1", "ERISA"):
        assert wrong not in why


def test_grandfathered_plan_is_refused_unless_the_dispute_is_a_no_surprises_act_one(tmp_path):
    why = refusal(case_file(tmp_path, "mri-medical-necessity",
                            {"denial.final_internal": True, "insurer.grandfathered": True}), ER)
    assert "grandfathered plans are exempt" in why and "No Surprises Act" in why
    assert "regulator-complaint" in why

    # Emergency care under a grandfathered plan: external review still applies.
    text = letter_text(case_file(tmp_path, "er-out-of-network",
                                 {"denial.final_internal": True, "insurer.grandfathered": True},
                                 name="grandfathered-er"), ER)
    assert_clean(text)
    assert "for grandfathered plans too (29 CFR 2590.715-2719(a)(1)(ii))" in text
    assert "(29 CFR 2590.715-2719)" not in text and "147.136" not in text


@pytest.mark.parametrize("changes, why", [
    ({}, "this is the plan's first decision (denial.level = 1)"),
    ({"denial.level": 2}, "a group plan may have a second level of internal appeal"),
])
def test_a_denial_that_is_not_final_is_refused_pointing_to_the_internal_appeal(
        tmp_path, changes, why):
    reasons = refusal(case_file(tmp_path, "mri-medical-necessity", changes), ER)
    assert why in reasons
    assert "lettergen build -l internal-appeal) by November 24, 2026" in reasons
    assert "denial.final_internal = true" in reasons


def test_urgent_final_denial_asks_for_expedited_review_in_72_hours(tmp_path):
    path = case_file(tmp_path, "mri-medical-necessity",
                     {**UPCOMING, "denial.final_internal": True, "denial.urgent": True})
    text = letter_text(path, ER)
    assert_clean(text)
    assert "RE: Request for expedited external review" in text
    assert "I request expedited independent external review" in text
    assert "within 72 hours" in text and "29 CFR 2590.715-2719(d)" in text
    assert "at once and no later than June 29, 2026" in text
    assert "within 45 days" not in text


def test_urgent_first_denial_asks_for_expedited_review_alongside_the_internal_appeal(tmp_path):
    text = letter_text(case_file(tmp_path, "mri-medical-necessity",
                                 {**UPCOMING, "denial.urgent": True}), ER)
    assert_clean(text)
    assert "at the same time as this request" in text and "within 72 hours" in text
    assert "final internal denial by" not in text
    assert "Copy of the expedited internal appeal" in text
    assert "the last day is" not in text  # the four-month clock has not started


@pytest.mark.parametrize("reason", ["coverage-terminated", "timely-filing", "benefit-limit"])
def test_contract_and_eligibility_denials_are_refused(tmp_path, reason):
    why = refusal(case_file(tmp_path, "mri-medical-necessity",
                            {"denial.final_internal": True, "denial.reason": reason,
                             "denial.criteria": None}), ER)
    assert "medical judgment" in why and "contract or eligibility question" in why
    assert "regulator-complaint" in why and "Department of Labor" in why


def test_rescission_is_eligible(tmp_path):
    text = letter_text(case_file(tmp_path, "mri-medical-necessity",
                                 {"denial.final_internal": True, "denial.reason": "rescission"}),
                       ER)
    assert "rescinded the coverage" in text and "eligible for external review" in text


def test_a_request_after_the_deadline_is_refused(tmp_path):
    why = refusal(case_file(tmp_path, "mri-medical-necessity",
                            {"denial.final_internal": True, "case.date": D(2026, 10, 1)}), ER)
    assert "ended on September 28, 2026" in why and "set denial.received" in why


def test_missing_fields_are_named_together(tmp_path):
    why = refusal(case_file(tmp_path, "mri-medical-necessity", {"denial.final_internal": True},
                            drop=["patient.member_id", "insurer.address"]), ER)
    assert "[insurer] address, [patient] member_id" in why


def test_external_review_builds_docx_and_pdf_through_the_cli(tmp_path):
    path = case_file(tmp_path, "mri-medical-necessity", {"denial.final_internal": True})
    for text in cli_letter_texts(tmp_path, path, ER):
        assert "Request for external review" in text
        assert "September 28, 2026" in text and "2590.715-2719(d)" in text
        assert "TX26-7781204" in text


# ---- billing-hold-request -----------------------------------------------------------------


def test_hold_for_the_emergency_bill_under_appeal(tmp_path):
    text = letter_text(case_file(tmp_path, "er-out-of-network"), HOLD)
    assert_clean(text)
    for fact in ("Springfield General Hospital", "ACCT-889900", "CLM-2026-000123",
                 "$27,000.00", "Acme Health Plan"):
        assert fact in text, fact
    assert "mark the account as in dispute and place it on hold" in text
    assert "denied claim CLM-2026-000123 on April 10, 2026" in text
    assert "the denial is being appealed; the internal appeal is due October 7, 2026" in text
    # The disputed line, as a table row.
    assert "March 3, 2026 | 0250 | Pharmacy, general | $1,400.00 | Duplicate" in text
    # Nothing undisputed can be named while the plan has not decided.
    assert "once the claim is reprocessed, I will pay the cost-sharing shown on the corrected " \
           "Explanation of Benefits" in text
    assert "$25,600.00" not in text
    assert "asking separately for a complete itemized bill" in text
    # The call with Dana, referred to and in the contact table.
    assert "April 21, 2026 (Dana, reference CALL-5521)" in text
    assert "April 21, 2026 | Dana | CALL-5521 |" in text
    assert "by May 11, 2026" in text and "give the date the hold ends" in text
    # A courtesy here, not a right: no financial-assistance application, no collector.
    assert "501(r)" not in text and "must suspend" not in text
    assert "1692" not in text and "FDCPA" not in text
    assert "financial assistance policy, its plain-language summary" in text
    assert "not a refusal to pay" in text


def test_hold_while_a_nonprofit_hospital_decides_financial_assistance(tmp_path):
    text = letter_text(case_file(tmp_path, "nonprofit-financial-assistance"), HOLD)
    assert_clean(text)
    for fact in ("Tanisha Brooks", "Riverside Community Hospital", "RCH-2026-08812",
                 "Balance: $7,000.00", "May 9, 2026 to May 11, 2026"):
        assert fact in text, fact
    assert "place the account on hold" in text and "in dispute" not in text
    # The case encloses no application: the letter asks for the form, never claims one.
    assert "while the hospital decides my request for financial assistance" in text
    assert "please send the application form" in text
    assert "runs until at least February 10, 2027 (26 CFR 1.501(r)-1(b)(3))" in text
    assert "Once it is submitted, and while it is pending, the hospital must suspend " \
           "extraordinary collection actions" in text
    assert "(26 CFR 1.501(r)-6(c))" in text
    assert "by August 3, 2026" in text
    assert "application is enclosed" not in text
    assert "Financial assistance application" not in text


def test_the_undisputed_part_is_named_with_its_amount(tmp_path):
    path = case_file(tmp_path, "er-out-of-network", {"claim.emergency": False}, drop=["denial"])
    text = letter_text(path, HOLD)
    assert_clean(text)
    assert "Amount in dispute: $1,400.00" in text
    assert "I will pay the part of the balance I do not dispute, $25,600.00 (the balance of " \
           "$27,000.00 less the disputed charges of $1,400.00)" in text
    assert "corrected Explanation of Benefits" not in text


@pytest.mark.parametrize("example, changes", [
    ("nonprofit-financial-assistance", {"provider.nonprofit": False}),       # for-profit hospital
    ("nonprofit-financial-assistance", {"provider.kind": "clinic"}),        # a nonprofit clinic
    ("preventive-billed-diagnostic", {"hardship": {"household_size": 2,
                                                   "annual_income": "30000"}}),
])
def test_501r_is_never_claimed_outside_a_nonprofit_hospital(tmp_path, example, changes):
    text = letter_text(case_file(tmp_path, example, changes), HOLD)
    assert_clean(text)
    assert "501(r)" not in text and "must suspend" not in text
    assert "financial assistance or a hardship discount" in text
    assert "I ask that the account wait while you decide" in text


def test_501r_is_a_courtesy_after_the_application_period(tmp_path):
    path = case_file(tmp_path, "nonprofit-financial-assistance", {"case.date": D(2027, 3, 1)})
    text = letter_text(path, HOLD)
    assert "501(r)" not in text and "I ask that the account wait while you decide" in text


def test_an_application_already_sent_is_dated(tmp_path):
    contacts = [{"date": D(2026, 7, 10), "party": "provider", "kind": "letter",
                 "letter": "financial-assistance-request"}]
    text = letter_text(case_file(tmp_path, "nonprofit-financial-assistance",
                                 {"contacts": contacts}), HOLD)
    assert "I applied for financial assistance under the hospital's financial assistance " \
           "policy on July 10, 2026" in text
    assert "Financial assistance application" not in text


def test_patient_provider_dispute_is_a_right_only_above_the_threshold(tmp_path):
    changes = {"claim.good_faith_estimate": "12000.00", "claim.first_bill_date": D(2026, 6, 1)}
    text = letter_text(case_file(tmp_path, "collections-uninsured", changes), HOLD)
    assert_clean(text)
    assert "Amount above the good faith estimate: $6,000.00" in text
    assert "$6,000.00 more than your good faith estimate of $12,000.00" in text
    assert "(45 CFR 149.620), which can be started until September 29, 2026" in text
    assert "you may not send the bill to collections" in text
    assert "Southern Credit Recovery LLC (account SCR-2026-55120). Please recall it" in text
    assert "1692" not in text

    changes["claim.good_faith_estimate"] = "17700.00"  # $300 over: no dispute right
    text = letter_text(case_file(tmp_path, "collections-uninsured", changes, name="small"),
                       HOLD)
    assert "149.620" not in text


def test_nothing_open_is_refused(tmp_path):
    why = refusal(case_file(tmp_path, "nonprofit-financial-assistance", drop=["hardship"]), HOLD)
    assert "nothing open to hold the account for" in why
    assert "itemized-bill-request" in why


def test_hold_builds_docx_and_pdf_through_the_cli(tmp_path):
    path = case_file(tmp_path, "er-out-of-network")
    for text in cli_letter_texts(tmp_path, path, HOLD):
        assert "Request to place the account on hold" in text
        assert "ACCT-889900" in text and "$1,400.00" in text and "CALL-5521" in text
        assert "May 11, 2026" in text


# ---- Deemed exhaustion: a plan that let its decision deadline pass (issue 14) ----------

def test_an_undecided_appeal_past_its_deadline_opens_external_review(tmp_path):
    """The ACA rule deems internal appeals exhausted when the plan misses its deadline:
    the request says so, with the appeal's dates and both rules, and encloses the appeal."""
    text = letter_text(case_file(tmp_path, "erisa-appeal-no-decision"), ER)
    assert_clean(text)
    assert "The internal appeal was sent on June 22, 2026; it reached the plan on June 26, " \
        "2026, and the plan had until August 25, 2026 to decide it (29 CFR " \
        "2560.503-1(i)(2)(iii)(A)). No decision has come." in text
    assert "the internal appeals are deemed exhausted, and external review may be asked " \
        "for now (29 CFR 2590.715-2719(b)(2)(ii)(F))" in text
    assert "Copy of the internal appeal of June 22, 2026" in text
    assert "final internal denial" not in text


def test_before_the_decision_deadline_external_review_still_waits(tmp_path):
    path = case_file(tmp_path, "erisa-appeal-no-decision", {"case.date": D(2026, 8, 20)})
    assert "external review comes after the plan's final internal denial" in refusal(path, ER)


def test_a_grandfathered_plan_is_not_deemed_into_external_review(tmp_path):
    path = case_file(tmp_path, "erisa-appeal-no-decision", {"insurer.grandfathered": True})
    assert "grandfathered plans are exempt" in refusal(path, ER)


def test_an_individual_plan_cites_the_hhs_deemed_exhaustion_rule(tmp_path):
    path = case_file(tmp_path, "erisa-appeal-no-decision",
                     {"insurer.plan_type": "individual", "insurer.group_number": None})
    text = letter_text(path, ER)
    assert "45 CFR 147.136(b)(2)(ii)(F)" in text and "2590.715" not in text
