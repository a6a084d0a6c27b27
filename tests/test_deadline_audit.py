"""Every clock from the right start and under the right rule (issue 9, the wrong dates).

Each case is written for one finding of the audit, and every date is read the way the
patient meets it: in `check --json`, in the timeline, in the calendar file and in the
letter, which must all agree.
"""

from __future__ import annotations

import datetime as dt
import json

import icalendar
import pytest

from conftest import case_file, clean_letter_text, refusal
from lettergen.analysis.facts import Facts
from lettergen.case.casefile import load_case
from lettergen.cli import main
from lettergen.reports.timeline import ics_bytes, timeline_text
from lettergen.rules import deadlines
from lettergen.rules.table import get_rule

D = dt.date


def fresh_denial(plan: str, notice: D, today: D, **more) -> dict:
    """An open first-level denial of care already given, as of ``today``."""
    return {"insurer.plan_type": plan, "denial.date": notice, "case.date": today,
            "claim.service_date": D(2026, 1, 5), "claim.service_end_date": None,
            "denial.appeal_filed": None, "denial.final_internal": None,
            "denial.received": None, "denial.level": None, "denial.urgent": None, **more}


def everywhere(tmp_path, path, name: str, capsys) -> set[D]:
    """The date of the clock ``name`` as check --json, the timeline and the calendar
    file give it; a set of one when they agree."""
    assert main(["check", str(path), "--json"]) == 0
    report = json.loads(capsys.readouterr().out)
    found = {D.fromisoformat(d["date"]) for d in report["deadlines"] if d["name"] == name}
    case = load_case(path)
    text = timeline_text([case], case.today)
    for day in list(found):
        assert f"{day:%B} {day.day}, {day.year}" in text
    calendar = icalendar.Calendar.from_ical(ics_bytes([case], case.today))
    starts = {e.decoded("dtstart") for e in calendar.walk("VEVENT")}
    for day in found:
        if day >= case.today:  # the calendar holds what is still ahead
            assert day in starts or any(s == day for s in starts), (day, sorted(starts))
    return found


# --- 1. Medicare Advantage: 60 days from receipt ----------------------------------------


def test_ma_reconsideration_counts_from_the_day_the_notice_arrived(tmp_path, capsys):
    path = case_file(tmp_path, "medicare-advantage-prior-auth", fresh_denial(
        "medicare-advantage", D(2026, 9, 12), D(2026, 11, 13),
        **{"denial.received": D(2026, 9, 25)}))
    assert everywhere(tmp_path, path, "reconsideration deadline", capsys) == {D(2026, 11, 24)}
    text = clean_letter_text(path, "internal-appeal")  # built, not refused as late
    assert "arrived on September 25, 2026, so the deadline is November 24, 2026" in text
    clock = Facts(load_case(path)).appeal_deadline
    assert clock.presumed_due == D(2026, 11, 16)
    assert "November 16, 2026" in clock.note


def test_ma_reconsideration_on_the_presumption_alone(tmp_path):
    path = case_file(tmp_path, "medicare-advantage-prior-auth", fresh_denial(
        "medicare-advantage", D(2026, 9, 12), D(2026, 11, 13)))
    assert Facts(load_case(path)).appeal_deadline.due == D(2026, 11, 16)  # 65 days


# --- 2. Original Medicare: proven late receipt ------------------------------------------


@pytest.mark.parametrize("level, rule_name, due", [
    (1, "redetermination deadline", D(2026, 7, 8)),    # 120 days from March 10
    (2, "reconsideration deadline", D(2026, 9, 6)),    # 180 days from March 10
])
def test_original_medicare_counts_from_proven_receipt(tmp_path, capsys, level, rule_name, due):
    path = case_file(tmp_path, "er-out-of-network", fresh_denial(
        "medicare", D(2026, 2, 20), D(2026, 6, 30),
        **{"denial.received": D(2026, 3, 10), "denial.level": level}))
    assert everywhere(tmp_path, path, rule_name, capsys) == {due}
    text = clean_letter_text(path, "internal-appeal")
    assert f"so the deadline is {due:%B} {due.day}, {due.year}" in text


def test_original_medicare_redetermination_presumed(tmp_path):
    path = case_file(tmp_path, "er-out-of-network", fresh_denial(
        "medicare", D(2026, 2, 20), D(2026, 3, 1)))
    assert Facts(load_case(path)).appeal_deadline.due == D(2026, 6, 25)


# --- 3 and 4. Medicaid: keeping benefits during the hearing or appeal ---------------------

KEEP = "ask for the {} by this date to keep a service that is being ended or reduced"


@pytest.mark.parametrize("action, due, rule_id", [
    (D(2026, 11, 14), D(2026, 11, 13), "medicaid-benefits-before-action"),  # before action
    (None, D(2026, 11, 11), "medicaid-advance-notice"),  # the earliest action allowed
    (D(2026, 11, 1), D(2026, 11, 17), "medicaid-continued-benefits"),  # no advance notice
])
def test_medicaid_continuation_follows_the_date_of_action(tmp_path, capsys, action, due,
                                                          rule_id):
    path = case_file(tmp_path, "er-out-of-network", fresh_denial(
        "medicaid", D(2026, 11, 2), D(2026, 11, 5), **{"denial.action_date": action}))
    assert everywhere(tmp_path, path, KEEP.format("hearing"), capsys) == {due}
    clock = Facts(load_case(path)).continuation_clock
    assert clock.rule.id == rule_id
    assert get_rule(rule_id).citation in clean_letter_text(path, "internal-appeal")


@pytest.mark.parametrize("action, due", [
    (D(2026, 11, 20), D(2026, 11, 20)),  # the effective date is later
    (D(2026, 11, 6), D(2026, 11, 12)),   # 10 days after the notice is later
    (None, D(2026, 11, 12)),
])
def test_medicaid_managed_care_continuation_is_the_later_date(tmp_path, capsys, action, due):
    path = case_file(tmp_path, "er-out-of-network", fresh_denial(
        "medicaid-managed-care", D(2026, 11, 2), D(2026, 11, 5),
        **{"denial.action_date": action}))
    assert everywhere(tmp_path, path, KEEP.format("appeal"), capsys) == {due}
    text = clean_letter_text(path, "internal-appeal")
    assert "continue it while this appeal is pending (42 CFR 438.420)" in text
    assert f"made by {due:%B} {due.day}, {due.year}" in text


# --- 7. the federal external review date is not rolled off an observed holiday ------------


@pytest.mark.parametrize("received, due", [
    (D(2026, 3, 3), D(2026, 7, 3)),     # July 4, 2026 is a Saturday, observed Friday July 3
    (D(2027, 8, 24), D(2027, 12, 24)),  # Christmas 2027 is a Saturday, observed December 24
    (D(2026, 7, 7), D(2026, 11, 9)),    # November 7, 2026 is a Saturday: Monday November 9
])
def test_federal_external_review_rolls_only_off_real_holidays(received, due):
    assert deadlines.deadline(get_rule("external-review-federal"), received) == due


def test_mailing_still_avoids_observed_holidays():
    assert not deadlines.is_business_day(D(2026, 7, 3))
    assert deadlines.is_business_day(D(2026, 7, 3), observed=False)


# --- 8. one decision of the external review process -------------------------------------


def test_self_funded_public_employer_plan_check_and_letter_agree(tmp_path, capsys):
    path = case_file(tmp_path, "mri-external-review", {
        "insurer.plan_type": "public-employer", "insurer.self_funded": True,
        "denial.date": D(2026, 7, 2), "denial.received": D(2026, 7, 7),
        "case.date": D(2026, 8, 1)})
    dates = everywhere(tmp_path, path, "external review request deadline", capsys)
    text = clean_letter_text(path, "external-review-request")
    assert len(dates) == 1
    (due,) = dates
    assert f"the last day is {due:%B} {due.day}, {due.year}" in text


# --- 9. the state minimum: the earliest date any reading allows ---------------------------


def test_state_external_review_from_october_31_ends_february_28(tmp_path, capsys):
    path = case_file(tmp_path, "mri-external-review", {
        "insurer.self_funded": False, "denial.received": D(2026, 10, 31),
        "case.date": D(2026, 11, 20)})
    facts = Facts(load_case(path))
    assert facts.external_review_process == "state"
    assert everywhere(tmp_path, path, "external review request deadline", capsys) == \
        {D(2027, 2, 28)}
    text = clean_letter_text(path, "external-review-request")
    assert "February 28, 2027" in text and "March 1, 2027" not in text
    assert "that month's last day" in text


# --- 6. expedited review only for care not yet given -------------------------------------


@pytest.mark.parametrize("example, plan", [("mri-medical-necessity", "employer"),
                                           ("medicare-advantage-prior-auth",
                                            "medicare-advantage")])
def test_no_72_hour_promise_for_care_already_given(tmp_path, capsys, example, plan):
    path = case_file(tmp_path, example, {"denial.urgent": True, "insurer.plan_type": plan})
    case = load_case(path)
    assert case.claim.service_date <= case.today  # the care was given
    assert not Facts(case).expedited
    assert main(["build", str(path), "-l", "internal-appeal", "-f", "md", "-o",
                 str(tmp_path / "out")]) == 0
    err = capsys.readouterr().err
    assert "no expedited review asked for" in err and "already given" in err
    text = (tmp_path / "out" / path.stem / "internal-appeal.md").read_text("utf-8")
    assert "72 hours" not in text and "URGENT" not in text
    assert "expedited" not in text.lower()
    due = {c.rule.id for _, c in Facts(case).clocks}
    assert not due & {"erisa-decision-urgent", "ma-decision-expedited"}


# --- 5. an urgent pre-service denial: the expedited appeal first, at once ------------------


def test_urgent_pre_service_plan_puts_the_expedited_appeal_first(tmp_path):
    from lettergen.analysis.plan import case_plan

    path = case_file(tmp_path, "mri-medical-necessity", {
        "denial.urgent": True, "claim.service_date": D(2026, 7, 10),
        "claim.service_end_date": None, "insurer.fax": "(512) 555-0100"})
    case = load_case(path)
    assert Facts(case).expedited
    steps = case_plan(case)
    assert steps[0].letter == "internal-appeal" and steps[0].when == "now"
    assert "expedited" in steps[0].why
    letters = [s.letter for s in steps]
    assert "claim-file-request" not in letters  # no 30-day wait before a 72-hour decision
    assert "external-review-request" in letters[:3]  # asked for at the same time (ACA plan)
    assert "send the expedited appeal first" in refusal(path, "claim-file-request")
    text = clean_letter_text(path, "internal-appeal")
    assert "Sent by fax" in text  # the fastest delivery the case has


# --- 15. the ALJ hearing: a written request, and what it must say -------------------------


def test_level_three_original_medicare_says_what_the_written_request_must_contain(tmp_path):
    path = case_file(tmp_path, "er-out-of-network", fresh_denial(
        "medicare", D(2026, 2, 20), D(2026, 3, 1), **{"denial.level": 3}))
    why = refusal(path, "internal-appeal")
    assert "not by letter" not in why
    assert "form OMHA-100 or a letter" in why and "42 CFR 405.1014(a)" in why
    for element in ("Medicare number", "appeal number", "dates of service", "why you disagree"):
        assert element in why


# --- 18. FEHB: six months to ask the carrier to reconsider, then OPM ----------------------


def test_fehb_reconsideration_deadline_and_opm_review(tmp_path, capsys):
    path = case_file(tmp_path, "mri-medical-necessity", {"insurer.plan_type": "fehb"})
    assert everywhere(tmp_path, path, "request for reconsideration deadline", capsys) == \
        {D(2026, 11, 28)}  # six months from the May 28, 2026 notice
    text = clean_letter_text(path, "internal-appeal")
    assert "Under 5 CFR 890.105(b)(1), it may be made within 6 months" in text
    assert "29 CFR 2560.503-1" not in text and "147.136" not in text
    second = case_file(tmp_path, "mri-medical-necessity",
                       {"insurer.plan_type": "fehb", "denial.level": 2}, name="fehb-2")
    why = refusal(second, "internal-appeal")
    assert "Office of Personnel Management" in why and "5 CFR 890.105(e)" in why


def test_the_notices_own_review_date_is_shown_beside_the_earliest(tmp_path):
    path = case_file(tmp_path, "mri-external-review", {
        "insurer.self_funded": False, "denial.received": D(2026, 10, 31),
        "denial.review_by": D(2027, 3, 1), "case.date": D(2026, 11, 20)})
    clock = dict(Facts(load_case(path)).clocks)["external review request deadline"]
    assert clock.due == D(2027, 2, 28) and "March 1, 2027" in clock.note
    text = clean_letter_text(path, "external-review-request")
    assert "the last day is February 28, 2027" in text
    assert "The final denial itself gives March 1, 2027 as the last day." in text
