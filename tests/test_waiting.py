"""Issue 14: the other side's deadlines. Each letter the contact log records as sent
starts the recipient's clock; check, the findings, the timeline, the calendar and the
plan read the same list (lettergen.analysis.waiting).

Every case is a real case file with ``[case] date`` fixing today; the dates are worked
out by hand in the comments, so that a change in how lettergen counts shows here.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import tomllib

import pytest
from icalendar import Calendar

from conftest import EXAMPLES, case_file
from lettergen.analysis.facts import Facts
from lettergen.analysis.plan import case_plan
from lettergen.analysis.waiting import DEFAULT_REPLY_RULE, REPLY_RULES, collection_after_dispute
from lettergen.case.casefile import load_case
from lettergen.cli import main
from lettergen.letters.templates import list_templates
from lettergen.packs.folder import open_packs

D = dt.date
LONE_STAR = "Lone Star Benefits Administrators"


def appeal_case(tmp_path, today, plan_type="employer", contacts=None, name=None, **changes):
    """The lumbar MRI denial (a post-service claim: the MRI was on May 2, 2026) with the
    internal appeal sent by certified mail on Monday June 15, 2026. By mail it should
    reach the plan five business days later, Juneteenth (Friday June 19) skipped: June 23.
    """
    appeal = {"date": D(2026, 6, 15), "party": "insurer", "kind": "letter",
              "letter": "internal-appeal", "reference": "USPS 9407 1118 9876 5400 1111 22"}
    return case_file(tmp_path, "mri-medical-necessity", {
        "case.date": today, "insurer.plan_type": plan_type,
        "contacts": [appeal, *(contacts or [])], **changes}, name=name)


def awaited(path):
    return Facts(load_case(path)).awaited


def plan(path) -> list[str]:
    return [step.letter for step in case_plan(load_case(path))]


def check_text(capsys, path) -> str:
    assert main(["check", str(path)]) == 0
    return capsys.readouterr().out


def check_json(capsys, path) -> dict:
    assert main(["check", str(path), "--json"]) == 0
    return json.loads(capsys.readouterr().out)


def section(text: str, title: str) -> str:
    """One section of check's text report, up to the blank line after it."""
    assert title in text, f"no {title!r} in:\n{text}"
    return text.split(title, 1)[1].split("\n\n", 1)[0]


def one_line(text: str) -> str:
    return re.sub(r"\s+", " ", text)


# --- done when: a post-service ERISA appeal with no decision after 60 days -----------------


def test_erisa_appeal_undecided_after_60_days(tmp_path, capsys):
    # received June 23 (assumed, by mail); 60 days after receipt: August 22, 2026;
    # today August 31: 9 days overdue
    path = appeal_case(tmp_path, D(2026, 8, 31))
    (late,) = Facts(load_case(path)).overdue_answers
    assert (late.number, late.letter, late.party) == (1, "internal-appeal", "insurer")
    assert late.rule.id == "erisa-decision-post-service" and late.legal
    assert (late.sent, late.received, late.received_assumed) == \
        (D(2026, 6, 15), D(2026, 6, 23), True)
    assert late.due == D(2026, 8, 22) and late.overdue and not late.answered
    assert late.next_letter == "deemed-exhaustion-notice"

    facts = Facts(load_case(path))
    (finding,) = [f for f in facts.findings if f.id.startswith("answer-overdue")]
    assert finding.letter == "deemed-exhaustion-notice" and finding.severity == "high"
    assert "decision on your internal appeal from " + LONE_STAR in finding.title
    detail = one_line(finding.detail)
    assert "it should have reached Lone Star Benefits Administrators by June 23, 2026" in detail
    assert "due August 22, 2026 (29 CFR 2560.503-1(i)(2)(iii)(A))" in detail

    # the plan: the notice first, then external review (a non-grandfathered plan)
    steps = plan(path)
    assert steps[0] == "deemed-exhaustion-notice"
    assert steps.index("external-review-request") > 0
    assert "internal-appeal" not in steps and "claim-file-request" not in steps  # sent

    text = check_text(capsys, path)
    assert "Send deemed-exhaustion-notice now." in one_line(section(text, "What to do next"))
    waiting = one_line(section(text, "Waiting on them"))
    assert "August 22, 2026: a decision on your internal appeal from Lone Star Benefits " \
           "Administrators (your internal-appeal of June 15, 2026, [[contacts]] entry 1): " \
           "OVERDUE by 9 days (29 CFR 2560.503-1(i)(2)(iii)(A)); next: " \
           "deemed-exhaustion-notice" in waiting
    assert "the day it should have arrived by mail" in waiting
    assert "Stage: the internal appeal filed on June 15, 2026 is pending; a decision is due " \
           "by August 22, 2026" in one_line(text)
    assert "internal appeal deadline" not in text  # the appeal is in: no deadline to meet

    report = check_json(capsys, path)
    (item,) = report["waiting"]
    assert item == {
        "contact": 1, "letter": "internal-appeal", "party": "insurer", "from": LONE_STAR,
        "what": "a decision on your internal appeal", "sent": "2026-06-15",
        "received": "2026-06-23", "received_assumed": True, "due": "2026-08-22",
        "late_after": "2026-08-22", "rule": "erisa-decision-post-service",
        "citation": "29 CFR 2560.503-1(i)(2)(iii)(A)", "basis": "law", "overdue": True,
        "next_letter": "deemed-exhaustion-notice", "next_why": late.next_why}
    assert report["plan"][0]["letter"] == "deemed-exhaustion-notice"
    assert any(f["letter"] == "deemed-exhaustion-notice" for f in report["findings"])


def test_erisa_appeal_decision_on_the_timeline_and_calendar_once(tmp_path, capsys):
    path = appeal_case(tmp_path, D(2026, 8, 31))
    assert main(["timeline", str(path)]) == 0
    out = capsys.readouterr().out
    overdue = out.split("Overdue")[1].split("\n\n")[0]
    assert "August 22, 2026  decision on your internal appeal due (9 days overdue)" in overdue
    assert out.count("August 22, 2026") == 1  # the clock and the answer are one event
    assert "answer due from the insurer" not in out
    target = tmp_path / "c.ics"
    assert main(["timeline", str(path), "--ics", str(target)]) == 0
    events = Calendar.from_ical(target.read_bytes()).walk("VEVENT")
    on_day = [str(e["summary"]) for e in events if e.decoded("dtstart") == D(2026, 8, 22)]
    assert on_day == ["M.C.: decision on your internal appeal due"]
    (event,) = [e for e in events if e.decoded("dtstart") == D(2026, 8, 22)]
    assert "29 CFR 2560.503-1(i)(2)(iii)(A)" in str(event["description"])


def test_appeal_filed_without_a_contact_is_the_same_computation(tmp_path, capsys):
    # [denial] appeal_filed alone: the appeal is the sent letter, counted the same way
    path = case_file(tmp_path, "mri-medical-necessity", {
        "case.date": D(2026, 8, 31), "denial.appeal_filed": D(2026, 6, 15)})
    (late,) = awaited(path)
    assert late.number == 0 and late.due == D(2026, 8, 22) and late.overdue
    assert plan(path)[0] == "deemed-exhaustion-notice"
    waiting = one_line(section(check_text(capsys, path), "Waiting on them"))
    assert "[denial] appeal_filed): OVERDUE by 9 days" in waiting


def test_after_the_deemed_exhaustion_notice_the_case_goes_to_external_review(tmp_path):
    notice = {"date": D(2026, 9, 1), "party": "insurer", "kind": "fax",
              "letter": "deemed-exhaustion-notice"}
    path = appeal_case(tmp_path, D(2026, 9, 3), contacts=[notice])
    appeal = awaited(path)[0]
    assert appeal.next_letter == "external-review-request"
    steps = plan(path)
    assert steps[0] == "external-review-request"
    assert "deemed-exhaustion-notice" not in steps
    review = {"date": D(2026, 9, 4), "party": "insurer", "kind": "fax",
              "letter": "external-review-request"}
    path = appeal_case(tmp_path, D(2026, 9, 8), contacts=[notice, review], name="asked")
    assert "external-review-request" not in plan(path)  # sent: its decision is awaited


def test_the_deemed_exhaustion_letter_names_the_missed_date(tmp_path):
    from conftest import clean_letter_text

    path = appeal_case(tmp_path, D(2026, 8, 31))
    assert "August 22, 2026" in clean_letter_text(path, "deemed-exhaustion-notice")


# --- done when: a collector dunning after a timely dispute ---------------------------------


def collector_case(tmp_path, dispute: dict, *received: dict, name=None, **changes):
    """The uninsured surgery in collections: the collector's first notice arrived
    September 2, 2026, so the validation period ends October 2, 2026."""
    entry = {"party": "collector", "kind": "letter", "letter": "debt-validation", **dispute}
    calls = [{"party": "collector", "direction": "received", **r} for r in received]
    return case_file(tmp_path, "collections-uninsured", {
        "case.date": D(2026, 10, 20), "case.letters": ["debt-validation"],
        "contacts": [entry, *calls], **changes}, name=name)


def test_collector_dunning_after_a_timely_dispute(tmp_path, capsys):
    # dispute mailed Thursday September 10, 2026: should arrive September 17 (5 business
    # days); the collector called on September 25 and wrote on October 9
    path = collector_case(tmp_path, {"date": D(2026, 9, 10)},
                          {"date": D(2026, 9, 25), "kind": "call", "representative": "Mark",
                           "summary": "asked for payment today"},
                          {"date": D(2026, 10, 9), "kind": "letter", "summary": "Final notice"})
    case = load_case(path)
    kept = collection_after_dispute(case)
    assert kept is not None and kept.timely and kept.period_end == D(2026, 10, 2)
    assert kept.dispute.received == D(2026, 9, 17)
    assert [c.date for c in kept.collections] == [D(2026, 9, 25), D(2026, 10, 9)]
    (finding,) = [f for f in Facts(case).findings if f.id == "collection-after-dispute"]
    assert finding.letter == "collector-complaint" and finding.severity == "high"
    detail = one_line(finding.detail)
    assert "reached Southern Credit Recovery LLC on September 17, 2026" in detail
    assert "within the validation period that ended October 2, 2026" in detail
    assert "15 U.S.C. 1692g(b)" in detail
    assert "September 25, 2026, a call (asked for payment today)" in detail
    assert plan(path)[0] == "collector-complaint"
    # the dispute itself is waiting for verification: the law sets no date, never late
    (dispute,) = awaited(path)
    assert dispute.due is None and not dispute.overdue and dispute.rule.id == \
        "fdcpa-dispute-freeze"
    waiting = one_line(section(check_text(capsys, path), "Waiting on them"))
    assert "no deadline: verification of the debt from Southern Credit Recovery LLC" in waiting


def test_no_collection_finding_once_verified_or_for_a_late_dispute(tmp_path):
    call = {"date": D(2026, 9, 25), "kind": "call"}
    # verification arrived on September 22, before the call: collecting may resume
    path = collector_case(tmp_path, {"date": D(2026, 9, 10)}, call,
                          **{"collector.verified": D(2026, 9, 22)})
    assert collection_after_dispute(load_case(path)) is None
    assert "collector-complaint" not in plan(path)
    # a dispute that reached the collector on October 5, after the period: no freeze
    path = collector_case(tmp_path, {"date": D(2026, 9, 28), "received": D(2026, 10, 5)},
                          {"date": D(2026, 10, 8), "kind": "call"}, name="late-dispute")
    kept = collection_after_dispute(load_case(path))
    assert kept is not None and not kept.timely
    ids = {f.id: f for f in Facts(load_case(path)).findings}
    assert "collection-after-dispute" not in ids
    assert ids["collection-after-late-dispute"].kind == "question"
    assert "collector-complaint" not in plan(path)
    # a contact the patient made is no collection by the collector
    path = collector_case(tmp_path, {"date": D(2026, 9, 10)}, name="own-call")
    assert collection_after_dispute(load_case(path)) is None


# --- done when: a bureau past 30 days --------------------------------------------------------


REPORT = {"bureau": "equifax", "reported_by": "Southern Credit Recovery LLC",
          "reported_balance": "18000.00", "first_reported": D(2026, 8, 20)}


def bureau_case(tmp_path, today, name=None, **dispute):
    entry = {"date": D(2026, 9, 1), "party": "bureau", "kind": "letter",
             "letter": "credit-report-dispute", "received": D(2026, 9, 4), **dispute}
    return case_file(tmp_path, "collections-uninsured", {
        "case.date": today, "case.letters": ["credit-report-dispute"],
        "credit_report": REPORT, "contacts": [entry]}, name=name)


def test_bureau_past_30_days(tmp_path, capsys):
    # received September 4 (the return receipt): 30 days, October 4, 2026; its written
    # results may follow within 5 business days (October 5-9): late from October 10
    path = bureau_case(tmp_path, D(2026, 10, 14))
    (late,) = awaited(path)
    assert late.rule.id == "fcra-reinvestigation" and not late.received_assumed
    assert (late.due, late.late_after) == (D(2026, 10, 4), D(2026, 10, 9))
    assert late.overdue and late.next_letter == "follow-up"
    assert plan(path)[0] == "follow-up"
    (finding,) = [f for f in Facts(load_case(path)).findings
                  if f.id.startswith("answer-overdue")]
    assert finding.letter == "follow-up" and "Equifax" in finding.title
    assert "it reached Equifax on September 4, 2026" in one_line(finding.detail)
    text = one_line(section(check_text(capsys, path), "Waiting on them"))
    assert "October 4, 2026: the results of the credit bureau's reinvestigation from Equifax" \
           in text and "OVERDUE by 10 days (15 U.S.C. 1681i)" in text
    assert "should have arrived" not in text  # the receipt is given


def test_bureau_not_late_while_its_results_may_still_be_mailed(tmp_path, capsys):
    path = bureau_case(tmp_path, D(2026, 10, 5))  # day 31
    (item,) = awaited(path)
    assert not item.overdue and item.waiting and item.next_letter == ""
    text = one_line(section(check_text(capsys, path), "Waiting on them"))
    assert "waiting: may still be mailed until October 9, 2026" in text


def test_bureau_more_information_within_30_days_adds_15(tmp_path):
    # more information sent September 20, within the 30 days: October 4 + 15 = October 19,
    # results by October 26 (5 business days)
    path = bureau_case(tmp_path, D(2026, 10, 14), added_information=D(2026, 9, 20))
    (item,) = awaited(path)
    assert (item.due, item.late_after) == (D(2026, 10, 19), D(2026, 10, 26))
    assert not item.overdue and plan(path)[0] != "follow-up"
    # information sent after the 30 days extends nothing
    path = bureau_case(tmp_path, D(2026, 10, 14), name="after",
                       added_information=D(2026, 10, 6))
    assert awaited(path)[0].due == D(2026, 10, 4) and awaited(path)[0].overdue


# --- done when: a hospital that has not sent records -----------------------------------------


def records_case(tmp_path, today, *more, name=None):
    # asked April 27, 2026; the return receipt says it arrived April 30; 30 days: May 30
    request = {"date": D(2026, 4, 27), "party": "provider", "kind": "letter",
               "letter": "records-request", "received": D(2026, 4, 30)}
    return case_file(tmp_path, "er-out-of-network", {
        "case.date": today, "contacts": [request, *more]}, name=name)


def test_hospital_that_has_not_sent_records(tmp_path, capsys):
    path = records_case(tmp_path, D(2026, 6, 2))
    (late,) = awaited(path)
    assert late.rule.id == "hipaa-access" and late.due == D(2026, 5, 30) and late.overdue
    assert late.next_letter == "follow-up" and plan(path)[0] == "follow-up"
    case = load_case(path)
    (finding,) = [f for f in Facts(case).findings if f.id.startswith("answer-overdue")]
    assert case.provider.name in finding.title and "45 CFR 164.524" in finding.detail
    assert "records due from" not in check_text(capsys, path)  # no second, older clock


def test_records_still_missing_after_the_follow_up_go_to_hhs(tmp_path):
    # the follow-up went by fax on June 3 (received the same day) and asked for an
    # answer in 14 days: June 17; on June 22 that is late too
    follow = {"date": D(2026, 6, 3), "party": "provider", "kind": "fax", "letter": "follow-up"}
    path = records_case(tmp_path, D(2026, 6, 22), follow)
    request, follow_up = awaited(path)
    assert follow_up.received == D(2026, 6, 3) and follow_up.due == D(2026, 6, 17)
    assert request.follow_ups == (2,) and request.next_letter == "records-access-complaint"
    facts = Facts(load_case(path))
    late = [f for f in facts.findings if f.id.startswith("answer-overdue")]
    assert [f.letter for f in late] == ["records-access-complaint"]  # one per request
    assert plan(path)[0] == "records-access-complaint"
    # before the follow-up's date, the request waits for it
    path = records_case(tmp_path, D(2026, 6, 10), follow, name="waiting")
    assert awaited(path)[0].next_letter == ""
    assert not [f for f in Facts(load_case(path)).findings if f.id.startswith("answer")]


# --- done when: a plan administrator past 30 days --------------------------------------------


def test_plan_administrator_past_30_days(tmp_path, capsys):
    # mailed Monday August 3, 2026: should arrive August 10 (5 business days); 30 days
    # after the request reached the administrator: September 9, 2026
    request = {"date": D(2026, 8, 3), "party": "administrator", "kind": "letter",
               "letter": "plan-documents-request"}
    path = case_file(tmp_path, "erisa-plan-documents", {
        "case.date": D(2026, 9, 14), "contacts": [request]})
    (late,) = awaited(path)
    assert late.rule.id == "erisa-document-penalty" and late.received == D(2026, 8, 10)
    assert late.due == D(2026, 9, 9) and late.overdue and late.next_letter == "follow-up"
    assert plan(path)[0] == "follow-up"
    text = one_line(section(check_text(capsys, path), "Waiting on them"))
    assert "September 9, 2026: copies of the plan documents from Prairie State Freight, " \
           "Inc., Employee Benefits Committee" in text
    assert "OVERDUE by 5 days (29 U.S.C. 1132(c)(1)(B))" in text
    # after an unanswered follow-up: a court, not a letter, and never a certain penalty
    follow = {"date": D(2026, 9, 15), "party": "administrator", "kind": "fax",
              "letter": "follow-up"}
    path = case_file(tmp_path, "erisa-plan-documents", {
        "case.date": D(2026, 10, 5), "contacts": [request, follow]}, name="again")
    first = awaited(path)[0]
    assert first.next_letter == "" and "may, in its discretion, award up to $110.00 a day" in \
        first.next_why


# --- receipt, answers, waiting -----------------------------------------------------------


@pytest.mark.parametrize("kind, received, assumed", [
    ("letter", D(2026, 6, 23), True),  # by mail: 5 business days, Juneteenth skipped
    ("fax", D(2026, 6, 15), True),     # the same day
    ("portal", D(2026, 6, 15), True),
])
def test_receipt_assumed_by_how_it_was_sent(tmp_path, kind, received, assumed):
    path = case_file(tmp_path, "mri-medical-necessity", {"case.date": D(2026, 7, 1), "contacts": [
        {"date": D(2026, 6, 15), "party": "insurer", "kind": kind,
         "letter": "internal-appeal"}]})
    (item,) = awaited(path)
    assert (item.received, item.received_assumed) == (received, assumed)
    assert item.due == received + dt.timedelta(days=60)


def test_receipt_given_wins(tmp_path, capsys):
    path = case_file(tmp_path, "mri-medical-necessity", {"case.date": D(2026, 7, 1), "contacts": [
        {"date": D(2026, 6, 15), "party": "insurer", "kind": "letter",
         "letter": "internal-appeal", "received": D(2026, 6, 18)}]})
    (item,) = awaited(path)
    assert (item.received, item.received_assumed, item.due) == \
        (D(2026, 6, 18), False, D(2026, 8, 17))
    report = check_json(capsys, path)
    assert report["waiting"][0]["received_assumed"] is False
    assert report["waiting"][0]["overdue"] is False


def test_an_answered_letter_is_not_overdue(tmp_path, capsys):
    path = records_case(tmp_path, D(2026, 6, 2))
    data = load_case(path)
    assert data.contacts[0].answered is None
    answered = case_file(tmp_path, "er-out-of-network", {"case.date": D(2026, 6, 2), "contacts": [
        {"date": D(2026, 4, 27), "party": "provider", "kind": "letter",
         "letter": "records-request", "answered": True}]}, name="answered")
    (item,) = awaited(answered)
    assert item.answered and not item.overdue
    assert not Facts(load_case(answered)).overdue_answers
    assert "Waiting on them" not in check_text(capsys, answered)
    assert "follow-up" not in plan(answered)


def test_an_appeal_answered_by_a_later_denial(tmp_path):
    # the plan decided on August 10 (the [denial] of the case is its decision)
    path = appeal_case(tmp_path, D(2026, 8, 31), **{"denial.date": D(2026, 8, 10),
                                                    "denial.level": 2})
    (item,) = awaited(path)
    assert item.answered and not item.overdue
    assert "deemed-exhaustion-notice" not in plan(path)


def test_not_yet_due_is_waiting(tmp_path, capsys):
    path = appeal_case(tmp_path, D(2026, 8, 12))  # 10 days before August 22
    (item,) = awaited(path)
    assert item.waiting and not item.overdue and item.next_letter == ""
    assert not [f for f in Facts(load_case(path)).findings if f.id.startswith("answer")]
    text = one_line(section(check_text(capsys, path), "Waiting on them"))
    assert "August 22, 2026: a decision on your internal appeal" in text
    assert "waiting, 10 days left" in text and "OVERDUE" not in text
    assert plan(path)[:1] != ["deemed-exhaustion-notice"]


def test_a_practice_reply_date_is_the_date_the_letter_asked_for(tmp_path, capsys):
    # a billing hold asked for a reply in 14 days from its own date (reply-short):
    # June 1 + 14 = June 15, 2026
    path = case_file(tmp_path, "er-out-of-network", {"case.date": D(2026, 6, 20), "contacts": [
        {"date": D(2026, 6, 1), "party": "provider", "kind": "letter",
         "letter": "billing-hold-request"}]})
    (item,) = awaited(path)
    assert item.rule.id == "reply-short" and not item.legal and item.due == D(2026, 6, 15)
    text = one_line(section(check_text(capsys, path), "Waiting on them"))
    assert "OVERDUE by 5 days (the date your letter asked for); next: follow-up" in text
    (finding,) = [f for f in Facts(load_case(path)).findings if f.id.startswith("answer")]
    assert finding.severity == "medium" and "the date your letter asked for" in finding.detail


# --- each plan type its own next step ------------------------------------------------------


def test_medicare_advantage_appeal_late_asks_for_the_forwarding(tmp_path):
    # payment reconsideration mailed Monday October 5, 2026: arrives October 13 (Columbus
    # Day skipped); 60 days: December 12, 2026
    path = case_file(tmp_path, "medicare-advantage-prior-auth", {
        "case.date": D(2026, 12, 20), "contacts": [
            {"date": D(2026, 10, 5), "party": "insurer", "kind": "letter",
             "letter": "internal-appeal"}]})
    (late,) = awaited(path)
    assert late.rule.id == "ma-decision-payment" and late.due == D(2026, 12, 12)
    assert late.overdue and late.next_letter == "deemed-exhaustion-notice"
    assert "Independent Review Entity" in late.next_why
    steps = plan(path)
    assert steps[0] == "deemed-exhaustion-notice"
    assert "external-review-request" not in steps  # the plan forwards it; nothing to file


def test_medicaid_managed_care_appeal_late_goes_to_the_fair_hearing(tmp_path):
    # 30 days from June 23: July 23, 2026
    path = appeal_case(tmp_path, D(2026, 8, 1), "medicaid-managed-care")
    (late,) = awaited(path)
    assert late.rule.id == "medicaid-mc-decision" and late.due == D(2026, 7, 23)
    assert late.next_letter == "deemed-exhaustion-notice" and "fair hearing" in late.next_why
    steps = plan(path)
    assert steps[0] == "deemed-exhaustion-notice" and "external-review-request" not in steps


def test_original_medicare_gets_no_deemed_exhaustion(tmp_path):
    # redetermination: 60 days from June 23, August 22, 2026 (42 CFR 405.950)
    path = appeal_case(tmp_path, D(2026, 8, 31), "medicare")
    (late,) = awaited(path)
    assert late.rule.id == "medicare-redetermination-decision" and late.overdue
    assert late.next_letter == "follow-up"
    steps = plan(path)
    assert steps[0] == "follow-up" and "deemed-exhaustion-notice" not in steps


def test_grandfathered_public_employer_plan_gets_a_follow_up(tmp_path):
    path = appeal_case(tmp_path, D(2026, 8, 31), "public-employer",
                       **{"insurer.grandfathered": True})
    assert awaited(path)[0].next_letter == "follow-up"


# --- the declaration stays in step with the letters --------------------------------------


def test_reply_rules_match_the_templates_front_matter():
    infos = list_templates(open_packs([]))
    assert len(infos) > 20
    for info in infos:
        assert REPLY_RULES.get(info.id, DEFAULT_REPLY_RULE) == info.reply_rule, info.id



def test_after_the_notice_an_aca_plan_goes_to_external_review_a_grandfathered_one_to_court(
        tmp_path):
    example = tomllib.loads((EXAMPLES / "erisa-appeal-no-decision.toml").read_text("utf-8"))
    notice = {"date": dt.date(2026, 9, 16), "party": "insurer", "kind": "letter",
              "letter": "deemed-exhaustion-notice", "received": dt.date(2026, 9, 18)}
    changes = {"contacts": [*example["contacts"], notice], "case.date": dt.date(2026, 9, 25)}

    def appeal(name, **more):
        facts = Facts(load_case(case_file(tmp_path, "erisa-appeal-no-decision",
                                          {**changes, **more}, name=name)))
        return next(a for a in facts.awaited if a.letter == "internal-appeal")

    assert appeal("aca").next_letter == "external-review-request"
    old = appeal("old", **{"insurer.grandfathered": True})
    assert old.next_letter == "" and "civil action under ERISA §502(a)" in old.next_why
