"""Issue 9, items 10-14, 16 and 17: citations that say what the rule says.

Each test builds the letter from a case written for it and asserts on what the
recipient reads; the dates are worked out by hand in the comments, so that a change in
how lettergen counts shows here.
"""

from __future__ import annotations

import datetime as dt
import re

import pytest

from conftest import case_file, clean_letter_text, cli_letter_texts
from lettergen.analysis.facts import Facts
from lettergen.case.casefile import load_case
from lettergen.rules import deadlines
from lettergen.rules.table import all_rules, get_rule

D = dt.date
IA = "internal-appeal"
ER = "external-review-request"
CF = "claim-file-request"
BC = "billing-correction-request"


def paragraph(text: str, needle: str) -> str:
    """The line (paragraph or list item) of ``text`` that holds ``needle``."""
    lines = [line for line in text.splitlines() if needle in line]
    assert lines, f"{needle!r} not in the letter"
    return lines[0]


# --- 10. decision dates count from receipt ----------------------------------------------


@pytest.mark.parametrize("changes, days, citation", [
    # ERISA post-service appeal, letter of June 15, 2026 (a Monday): by certified mail it
    # should arrive five business days later, Juneteenth (Friday June 19) skipped: June 23.
    ({}, 60, "29 CFR 2560.503-1(i)(2)(iii)(A)"),
    ({"insurer.plan_type": "marketplace"}, 60, "45 CFR 147.136(b)"),
    ({"insurer.plan_type": "medicaid-managed-care"}, 30, "42 CFR 438.408(b)"),
    ({"insurer.plan_type": "medicaid"}, 90, "42 CFR 431.244(f)"),
])
def test_decision_date_is_asked_for_from_arrival_not_required_from_the_letter_date(
        tmp_path, changes, days, citation):
    path = case_file(tmp_path, "mri-medical-necessity", changes)
    text = clean_letter_text(path, IA)
    item = paragraph(text, "send me a written decision within")
    arrives = D(2026, 6, 23)
    asked = arrives + dt.timedelta(days=days)
    assert f"within {days} days after you receive this" in item
    assert f"as {citation} requires." in item
    assert f"I ask for it by {asked:%B} {asked.day}, {asked.year}, {days} days from June 23, " \
           "2026, the day this letter should reach you" in item
    # the law is never said to require a date counted from the letter's own date
    assert "this letter's date" not in text and "requires: by" not in text
    assert "days of receipt" not in item


def test_decision_date_for_a_faxed_appeal_counts_from_the_letter_date(tmp_path):
    path = case_file(tmp_path, "mri-medical-necessity", {"case.delivery": "fax"})
    item = paragraph(clean_letter_text(path, IA), "send me a written decision within")
    # sent and received the same day: 60 days from June 15, 2026 is August 14, 2026
    assert "I ask for it by August 14, 2026, 60 days from June 15, 2026, the day this letter " \
           "should reach you" in item


def test_medicare_and_medicare_advantage_decisions_count_from_arrival(tmp_path):
    # Original Medicare: the letter of April 25, 2026 (a Saturday) arrives May 1; the
    # contractor has 60 days from receipt (42 CFR 405.950): June 30, 2026.
    text = clean_letter_text(case_file(tmp_path, "er-out-of-network",
                                       {"insurer.plan_type": "medicare"}), IA)
    item = paragraph(text, "send me a written decision within")
    assert "within 60 days after you receive this request for redetermination, as 42 CFR " \
           "405.950 requires. I ask for it by June 30, 2026, 60 days from May 1, 2026" in item
    # Medicare Advantage payment request, letter of October 5, 2026: Columbus Day
    # (October 12) is skipped, so it arrives October 13; 60 days: December 12, 2026.
    text = clean_letter_text(case_file(tmp_path, "medicare-advantage-prior-auth"), IA)
    item = paragraph(text, "send me a written decision within")
    assert "as 42 CFR 422.590 requires. I ask for it by December 12, 2026, 60 days from " \
           "October 13, 2026" in item


def test_a_filed_appeal_counts_from_when_it_should_have_arrived(tmp_path):
    path = case_file(tmp_path, "mri-medical-necessity", {"denial.appeal_filed": D(2026, 6, 10)})
    item = paragraph(clean_letter_text(path, IA), "send me a written decision within")
    # sent Wednesday June 10, 2026: arrives June 17; 60 days: August 16, 2026
    assert "I ask for it by August 16, 2026, 60 days from June 17, 2026, the day the internal " \
           "appeal filed on June 10, 2026 should have reached you" in item
    assert "August 9, 2026" not in item  # 60 days from the day it was sent


def test_records_and_credit_reply_dates_count_from_arrival(tmp_path):
    text = clean_letter_text(case_file(tmp_path, "er-out-of-network"), "records-request")
    assert "within 30 days of receiving it" in text
    # April 25, 2026 + five business days = May 1; + 30 days = Sunday May 31: June 1, 2026
    assert "Please send the records by June 1, 2026, 30 days from May 1, 2026, the day this " \
           "request should reach you" in text
    assert "from the date of this letter" not in text
    text = clean_letter_text(case_file(tmp_path, "mri-medical-necessity"), CF)
    assert "within 30 days of receiving it" in text
    assert "no later than July 23, 2026" in text  # 30 days from June 23
    assert "July 15, 2026" not in text            # 30 days from the letter's own date


def test_regulator_complaint_counts_the_overdue_decision_from_receipt(tmp_path):
    regulator = {"name": "U.S. Department of Labor, Employee Benefits Security Administration",
                 "address": ["525 S. Griffin Street", "Dallas, TX 75202"]}
    path = case_file(tmp_path, "mri-medical-necessity", {
        "regulator": regulator, "case.date": D(2026, 8, 10),
        "denial.appeal_filed": D(2026, 7, 1)})
    text = clean_letter_text(path, "regulator-complaint")
    # sent July 1, 2026: arrives July 9 (July 3, the observed Independence Day, skipped);
    # 60 days: September 7, 2026, after the letter date: not yet overdue
    assert "I have received no decision" not in text
    path = case_file(tmp_path, "mri-medical-necessity", {
        "regulator": regulator, "case.date": D(2026, 9, 8),
        "denial.appeal_filed": D(2026, 7, 1)}, name="overdue")
    text = clean_letter_text(path, "regulator-complaint")
    assert "29 CFR 2560.503-1(i)(2)(iii)(A) requires a decision within 60 days after the plan " \
           "receives an appeal. Counted from July 9, 2026, the day the appeal should have " \
           "reached Lone Star Benefits Administrators, that time ended on September 7, 2026" \
           in text
    assert "August 30, 2026" not in text  # 60 days from the day it was sent


def test_decision_wording_through_the_cli(tmp_path):
    path = case_file(tmp_path, "mri-medical-necessity")
    for text in cli_letter_texts(tmp_path, path, IA):
        flat = " ".join(text.split())
        assert "within 60 days after you receive this internal appeal" in flat
        assert "I ask for it by August 22, 2026" in flat
        assert "this letter's date" not in flat


# --- 11. Medicare Advantage: the provider's missing approval and 422.504(g)(1) apart ------


def test_ma_hold_harmless_is_not_cited_for_the_providers_missing_approval(tmp_path):
    text = clean_letter_text(case_file(tmp_path, "medicare-advantage-prior-auth"), IA)
    provider_point = paragraph(text, "is a contracted provider of")
    assert "Please confirm in your decision" in provider_point  # a request, not a rule
    assert "422.504" not in provider_point and "CFR" not in provider_point
    assert "obligation of" not in provider_point
    hold_harmless = paragraph(text, "42 CFR 422.504(g)(1)")
    assert "fees that are your obligation" in hold_harmless
    assert "approval" not in hold_harmless and "contracted provider" not in hold_harmless
    assert text.index(provider_point) < text.index(hold_harmless)
    assert "Amounts that are your obligation may not be charged" not in text


def test_billing_correction_keeps_the_ma_hold_harmless_apart(tmp_path):
    denial = {"date": D(2026, 9, 12), "reason": "prior-authorization",
              "reason_text": "Prior authorization was not obtained"}
    path = case_file(tmp_path, "medicare-advantage-prior-auth",
                     {"denial": denial, "balance.amount_due": "4200.00"})
    text = clean_letter_text(path, BC)
    item = paragraph(text, "denied the claim for lack of prior authorization.")
    failure = item.index("did not obtain the prior authorization.")
    hold = item.index("42 CFR 422.504(g)(1)")
    write_off = item.index("Please write off")
    assert failure < write_off < hold  # the request comes between the two
    assert "If Sunshine Senior Advantage then covers the service" in item[write_off:]


# --- 12. an expedited MA reconsideration: 422.584(c)(2)(ii) and its condition --------------


def test_physician_expedite_rule_is_422_584_with_its_condition(tmp_path):
    path = case_file(tmp_path, "medicare-advantage-prior-auth", {
        "claim.service_date": D(2026, 12, 28), "claim.service_end_date": None,
        "denial.urgent": True})
    text = clean_letter_text(path, IA)
    passage = paragraph(text, "Expedited review.")
    assert "physician's request for expedited review must be granted" not in text
    assert "when a physician makes or supports the request and indicates that applying the " \
           "standard timeframe could seriously jeopardize Harold B. Whitfield's life or " \
           "health or ability to regain maximum function, you must expedite it (42 CFR " \
           "422.584(c)(2)(ii))" in passage
    assert re.search(r"must expedite it \(42 CFR 422\.590", passage) is None


def test_rules_table_puts_the_physician_clause_in_422_584():
    expedited = get_rule("ma-decision-expedited")
    assert "must be granted" not in expedited.summary
    assert "physician's request" not in expedited.summary
    physician = get_rule("ma-expedited-physician")
    assert physician.citation == "42 CFR 422.584(c)(2)(ii)" and physician.law_grade
    assert "seriously jeopardize" in physician.summary
    assert physician.plan_types == ("medicare-advantage",)
    assert physician.checked == D(2026, 12, 1) and "422.584" in physician.source


# --- 13. Medicaid managed care: 438.106, not 447.15 ---------------------------------------


@pytest.mark.parametrize("plan_type, cited, not_cited", [
    ("medicaid-managed-care", "42 CFR 438.106", "447.15"),
    ("medicaid", "42 CFR 447.15", "438.106"),
])
def test_medicaid_payment_protection_follows_the_program(tmp_path, plan_type, cited, not_cited):
    path = case_file(tmp_path, "nonprofit-financial-assistance", {"insurer.plan_type": plan_type})
    text = clean_letter_text(path, BC)
    assert cited in text and not_cited not in text
    if plan_type == "medicaid-managed-care":
        assert "may not be held liable for covered services" in text
        assert "accept the Medicaid payment as payment in full" not in text


def test_rules_table_scopes_447_15_and_438_106():
    assert get_rule("medicaid-payment-in-full").plan_types == ("medicaid",)
    liability = get_rule("medicaid-mc-liability")
    assert liability.citation == "42 CFR 438.106" and liability.law_grade
    assert liability.plan_types == ("medicaid-managed-care",)


# --- 14. requests, not assertions the case does not support --------------------------------


def test_prior_authorization_argument_asks_rather_than_asserts(tmp_path):
    text = clean_letter_text(case_file(tmp_path, "medicare-advantage-prior-auth"), IA)
    assert "met your coverage criteria, so it would have been authorized" not in text
    assert "Please review the care on its merits, against your coverage criteria. If it " \
           "meets them, it would have been authorized" in text
    assert "showing that the care was medically necessary and met your criteria" not in text


def test_benefit_limit_argument_asks_rather_than_asserts(tmp_path):
    path = case_file(tmp_path, "mri-medical-necessity", {"denial.reason": "benefit-limit"})
    text = clean_letter_text(path, IA)
    assert ": the count includes services that should not be counted" not in text
    assert "if the count includes services that should not be counted toward the limit" in text


# --- 16. citation hygiene ------------------------------------------------------------------


def test_ma_forwarding_duty_is_422_590(tmp_path):
    text = clean_letter_text(case_file(tmp_path, "medicare-advantage-prior-auth"), IA)
    assert "you must send the case file to the Independent Review Entity yourself (42 CFR " \
           "422.590(a)(2) and (b)(2))" in text
    assert "422.592" not in text


def test_qic_reconsideration_deadline_cites_405_962(tmp_path):
    path = case_file(tmp_path, "er-out-of-network",
                     {"insurer.plan_type": "medicare", "denial.level": 2})
    text = clean_letter_text(path, IA)
    assert "Under 42 CFR 405.962, it may be made within 180 days" in text
    assert "Under 42 CFR part 405, subpart I, it may be made" not in text
    # the decision: 405.970, counted from receipt
    assert "as 42 CFR 405.970 requires" in text


def test_rules_table_citations_are_rules_not_notices_or_phone_numbers():
    rules = all_rules()
    alj = rules["medicare-alj"]
    assert "405.1006" in alj.citation and not re.search(r"\d+ FR \d+", alj.citation)
    assert alj.plan_types == ("medicare",)
    assert rules["ma-alj"].citation == "42 CFR 422.600"
    assert rules["ma-alj"].plan_types == ("medicare-advantage",)
    assert rules["medicare-redetermination-decision"].citation == "42 CFR 405.950"
    assert rules["medicare-reconsideration-decision"].citation == "42 CFR 405.970"
    assert rules["medicare-reconsideration"].citation == "42 CFR 405.962"
    assert rules["nsa-ppdr-fee"].citation == "45 CFR 149.620(g)"
    help_desk = rules["nsa-help-desk"]
    assert help_desk.citation == "" and not help_desk.law_grade
    assert help_desk.extra["phone"] == "1-800-985-3059"
    assert help_desk.extra["complaint_page"].startswith("cms.gov/medical-bill-rights")
    assert "nosurprises" not in help_desk.summary
    for rule in rules.values():
        if rule.status in ("V", "C") and rule.id != "nsa-help-desk":
            assert rule.citation, f"{rule.id}: a {rule.status} rule with no citation"
        assert not re.fullmatch(r"[\d-]+", rule.citation), f"{rule.id}: {rule.citation}"


def test_help_desk_phone_and_complaint_page_in_the_letter(tmp_path):
    text = clean_letter_text(case_file(tmp_path, "er-anesthesia"), "surprise-bill-dispute")
    assert "No Surprises Help Desk, 1-800-985-3059 or " \
           "cms.gov/medical-bill-rights/help/submit-a-complaint" in text
    assert "cms.gov/nosurprises" not in text


@pytest.mark.parametrize("plan_type, citation", [
    ("employer", "29 CFR 2590.716-4"),
    ("church", "26 CFR 54.9816-4T"),
    ("fehb", "5 CFR 890.114(a)"),
    ("public-employer", "45 CFR 149.110"),
    ("individual", "45 CFR 149.110"),
])
def test_emergency_rule_is_the_plan_types_own_agencys(tmp_path, plan_type, citation):
    path = case_file(tmp_path, "er-out-of-network",
                     {"insurer.plan_type": plan_type, "denial.reason": "prior-authorization"})
    text = clean_letter_text(path, IA)
    emergency = paragraph(text, "Emergency care.")
    assert f"Under {citation}, a plan must cover emergency services" in emergency
    if citation != "45 CFR 149.110":
        assert "149.110" not in text
    text = clean_letter_text(path, "reprocessing-request")
    assert citation in text
    if citation != "45 CFR 149.110":
        assert "149.110" not in text


def test_self_funded_private_plan_gets_the_labor_departments_external_review_rules(tmp_path):
    path = case_file(tmp_path, "mri-medical-necessity", {"denial.final_internal": True})
    text = clean_letter_text(path, ER)
    assert "147.136" not in text and "45 CFR" not in text
    assert "the federal external review process applies (29 CFR 2590.715-2719)" in text
    assert "ask for external review (29 CFR 2590.715-2719(d))" in text
    assert "within 45 days after it receives the request (29 CFR 2590.715-2719(d))" in text
    # a government employer's self-funded plan keeps the HHS text
    path = case_file(tmp_path, "mri-medical-necessity",
                     {"denial.final_internal": True, "insurer.plan_type": "public-employer"},
                     name="public")
    text = clean_letter_text(path, ER)
    assert "45 CFR 147.136(d)(2)(i)" in text and "2590.715" not in text


def test_rescission_rule_follows_the_plan_type(tmp_path):
    path = case_file(tmp_path, "mri-medical-necessity",
                     {"denial.final_internal": True, "denial.reason": "rescission"})
    text = clean_letter_text(path, ER)
    assert "adverse benefit determination (29 CFR 2590.715-2719(a)(2)(i))" in text
    path = case_file(tmp_path, "mri-medical-necessity",
                     {"denial.final_internal": True, "denial.reason": "rescission",
                      "insurer.plan_type": "individual"}, name="individual")
    assert "adverse benefit determination (45 CFR 147.136(a)(2)(i))" in \
        clean_letter_text(path, ER)


def test_hhs_external_review_rules_no_longer_reach_private_employer_plans():
    for rule_id in ("aca-appeals", "aca-concurrent-expedited-external", "external-review-federal",
                    "external-review-state", "external-review-decision",
                    "external-review-expedited", "external-review-nsa-grandfathered",
                    "aca-rescission-appealable", "nsa-emergency-plan"):
        rule = get_rule(rule_id)
        assert "employer" not in rule.plan_types, rule_id
        assert rule.checked == D(2026, 12, 1), rule_id
        twin = {"aca-appeals": "aca-appeals-employer",
                "nsa-emergency-plan": "nsa-emergency-plan-dol"}.get(rule_id, rule_id + "-dol")
        assert get_rule(twin).plan_types == ("employer",), twin
        assert get_rule(twin).citation.startswith("29 CFR 2590.71"), twin
        if rule.clock:
            assert get_rule(twin).clock == rule.clock, twin


EXPLAIN_MONTH = "a date missing from the month becomes the first day of the next month"
EXPLAIN_WEEKEND = "a deadline that falls on a weekend or federal holiday moves to the next " \
    "business day"


@pytest.mark.parametrize("received, due, month_end, weekend", [
    (D(2026, 7, 7), "November 9, 2026", False, True),    # Nov 7 is a Saturday: weekend only
    (D(2026, 10, 30), "March 1, 2027", True, False),     # Feb 30 → Mar 1, a Monday
    (D(2025, 10, 30), "March 2, 2026", True, True),      # Feb 30 → Mar 1, a Sunday → Monday
    (D(2026, 3, 16), "July 16, 2026", False, False),     # a Thursday: nothing moved it
])
def test_external_review_explains_only_the_adjustment_that_applied(
        tmp_path, received, due, month_end, weekend):
    path = case_file(tmp_path, "mri-medical-necessity", {
        "denial.final_internal": True, "denial.received": received,
        "denial.date": received - dt.timedelta(days=3),
        "claim.service_date": received - dt.timedelta(days=60),
        "case.date": received + dt.timedelta(days=10)})
    text = clean_letter_text(path, ER)
    assert f"the last day is {due}" in text
    assert (EXPLAIN_MONTH in text) is month_end
    assert (EXPLAIN_WEEKEND in text) is weekend
    if not (month_end or weekend):
        assert f"the last day is {due}. This request" in text


def test_deadline_adjustments_helper():
    federal = get_rule("external-review-federal")
    state = get_rule("external-review-state")
    assert deadlines.adjustments(federal, D(2026, 7, 7)) == ("next-business-day",)
    assert deadlines.adjustments(federal, D(2026, 10, 30)) == ("month-end",)
    assert deadlines.adjustments(federal, D(2025, 10, 30)) == ("month-end", "next-business-day")
    assert deadlines.adjustments(federal, D(2026, 3, 16)) == ()
    # the state minimum ends on the month's last day and is never rolled
    assert deadlines.adjustments(state, D(2026, 10, 31)) == ("month-end",)
    assert deadlines.adjustments(state, D(2026, 7, 7)) == ()
    # a days clock has no month-end
    assert deadlines.adjustments(get_rule("hipaa-access"), D(2026, 1, 31)) == ()


# --- 17. the claim file is asked for by the appeal's mail-by date at the latest -------------


def test_claim_file_is_asked_for_by_the_appeals_mail_by_date(tmp_path):
    # Medicaid managed care: 60 days from the notice of March 1, 2026 is April 30; mail by
    # April 23. The file, asked for 30 days from when the letter of April 10 arrives
    # (April 17), would be due May 17: after the appeal itself.
    path = case_file(tmp_path, "er-out-of-network", {
        "insurer.plan_type": "medicaid-managed-care", "denial.date": D(2026, 3, 1),
        "denial.received": None, "case.date": D(2026, 4, 10)})
    case = load_case(path)
    deadline = Facts(case).appeal_deadline
    assert deadline.due == D(2026, 4, 30) and deadline.mail_by == D(2026, 4, 23)
    text = clean_letter_text(path, CF)
    assert "which must be filed by April 30, 2026" in text
    assert "no later than April 23, 2026: that is the last day to mail the appeal request so " \
           "that it arrives by April 30, 2026, sooner than the 30 days the rule above allows" \
           in text
    assert "May 17, 2026" not in text and "May 1, 2026" not in text


def test_claim_file_date_is_not_capped_when_it_comes_first(tmp_path):
    text = clean_letter_text(case_file(tmp_path, "er-out-of-network"), CF)
    # the internal appeal is due October 7, 2026; the file by Sunday May 31, 30 days from
    # May 1, moved to the next business day
    assert "no later than June 1, 2026. If it has not arrived in time" in text
    assert "last day to mail" not in text


def test_claim_file_asked_for_at_once_when_the_mail_by_date_has_passed(tmp_path):
    path = case_file(tmp_path, "er-out-of-network", {
        "insurer.plan_type": "medicaid-managed-care", "denial.date": D(2026, 3, 1),
        "denial.received": None, "case.date": D(2026, 4, 28)})
    text = clean_letter_text(path, CF)
    assert "Please send it at once" in text and "no later than" not in text
    assert "which must be filed by April 30, 2026" in text


def test_claim_file_cap_through_the_cli(tmp_path):
    path = case_file(tmp_path, "er-out-of-network", {
        "insurer.plan_type": "medicaid-managed-care", "denial.date": D(2026, 3, 1),
        "denial.received": None, "case.date": D(2026, 4, 10)})
    for text in cli_letter_texts(tmp_path, path, CF):
        flat = " ".join(text.split())
        assert "no later than April 23, 2026: that is the last day to mail" in flat


def test_arrival_date_keeps_a_blank_letters_placeholder(tmp_path):
    """The arrival date keeps a blank letter's placeholder (BlankDate arithmetic)."""
    from lettergen.letters.blank import blank_case

    case = blank_case(load_case(case_file(tmp_path, "mri-medical-necessity")))
    assert getattr(Facts(case).delivered_on, "blank_label", None) == "Date"
