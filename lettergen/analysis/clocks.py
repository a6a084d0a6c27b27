"""Every clock a case starts, computed from the rules table only.

Each clock says when it runs out, from what it was counted, the rule and its
citation, and any assumption made (a clock that runs from receipt counted from the
printed date, a clock that runs from when a letter arrived counted from when it was
sent). ``check`` prints them; ``timeline`` merges them across cases.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from typing import Any

from lettergen.analysis.facts import Clock, Facts
from lettergen.case.money import format_date
from lettergen.rules.deadlines import deadline
from lettergen.rules.table import get_rule


def mail_advice(mail_by: dt.date, today: dt.date) -> str:
    """What to do about posting a letter due soon: the mail-by date, or, once it has
    passed, a faster way to send it."""
    if mail_by >= today:
        return f"mail by {format_date(mail_by)}"
    return "too late to post: send today by fax, email or overnight delivery"


FAST_TRACK = "fast-track appeal deadline"
"""The name of the fast-track appeal's clock in check, the timeline and the plan."""
FAST_TRACK_RULES = {  # (notice, plan type) -> (request rule, notice-delivery rule)
    ("nomnc", "medicare"): ("qio-nomnc-request", "qio-nomnc-delivery"),
    ("nomnc", "medicare-advantage"): ("ma-fast-track-request", "ma-nomnc-delivery"),
    ("important-message", "medicare"): ("qio-hospital-request", ""),
    ("important-message", "medicare-advantage"): ("ma-hospital-request", ""),
}


def send_advice(clock: Clock, today: dt.date) -> str:
    """How to meet a deadline that is still ahead: the mail-by date for a letter; for a
    request that must arrive by phone or fax (a fast-track appeal), fax it, and call as
    well when it is due today or tomorrow."""
    if clock.by_mail:
        return mail_advice(clock.mail_by, today)
    left = (clock.due - today).days
    at = f" by {clock.time}" if clock.time else ""
    if left <= 0:
        return f"due today{at}: CALL the QIO now and fax the letter too; mail is too slow"
    if left == 1:
        return (f"due tomorrow{at}: CALL the QIO today or first thing tomorrow, and fax "
                "the letter; mail is too slow")
    return f"fax the letter or call the QIO before then{at}; mail is too slow"


def fast_track_clock(case: Any) -> Clock | None:
    """The deadline to ask the QIO for a fast-track appeal, when the case has the
    notice: noon of the day after a Notice of Medicare Non-Coverage arrived (from
    ``[denial] received``, else its printed date, which is earlier and so safe, else
    the latest day the notice may arrive before services end); the day of discharge
    for the Important Message from Medicare. One computation for check, the timeline,
    the calendar and the letter."""
    denial = case.denial
    plan = case.insurer.plan_type or "uninsured"
    rules = FAST_TRACK_RULES.get((denial.notice or "", plan)) if denial else None
    if rules is None:
        return None
    rule_id, delivery_id = rules
    rule = get_rule(rule_id)
    if denial.notice == "important-message":
        end = denial.services_end
        if end is None:
            return None
        return Clock(rule, end, deadline(rule, end),
                     note="the planned discharge date on the notice: ask before you leave "
                     "the hospital")
    if denial.received:
        start, printed, note = denial.received, False, "noon of the day after the notice " \
            "arrived"
    elif denial.date:
        start, printed, note = denial.date, True, "noon of the day after the date printed " \
            "on the notice; set [denial] received if it arrived later"
    elif denial.services_end:
        lead = int(get_rule(delivery_id).extra.get("days_before", 0))
        start, printed = denial.services_end - dt.timedelta(days=lead), False
        note = (f"counted as if the notice came {lead} days before services end, the "
                "latest it may come; if it came earlier the deadline is earlier: set "
                "[denial] received")
    else:
        return None
    return Clock(rule, start, deadline(rule, start), printed, note=note)


def decision_clock(case: Any) -> Clock | None:
    """The plan's decision on the appeal sent (``Facts.appeal_sent_on``), as a clock: the
    same date as the awaited answer (lettergen.analysis.waiting), counted from the day
    the appeal reached the plan. None once the decision came."""
    from lettergen.analysis.waiting import filed_appeal

    appeal = filed_appeal(case)
    if appeal is None or appeal.due is None or appeal.answered:
        return None
    how = "the day it should have arrived" if appeal.received_assumed else "the day it arrived"
    note = f"counted from {format_date(appeal.received)}, {how}" + (
        " by mail; set received in its [[contacts]] entry if you know the day"
        if appeal.received_assumed and appeal.received != appeal.sent else "")
    return Clock(appeal.rule, appeal.received, appeal.due, note=note, kind="decision")


def _noted(clock: Clock | None, note: str, kind: str = "deadline") -> Clock | None:
    return dataclasses.replace(clock, note=note, kind=kind) if clock else None


def case_clocks(case: Any) -> list[tuple[str, Clock]]:
    """(name, clock) pairs in date order."""
    facts = Facts(case)
    clocks: list[tuple[str, Clock | None]] = []
    denial, route = case.denial, facts.appeal_route
    if facts.care_ending:  # care is ending: the QIO's fast-track appeal comes first
        clocks.append((FAST_TRACK, None if denial.appeal_filed else fast_track_clock(case)))
    elif denial and not facts.appeal_sent_on:
        clocks.append((f"{route.name} deadline", facts.appeal_deadline))
    if denial and facts.appeal_sent_on and route.decision_rules and not facts.care_ending:
        clocks.append((f"decision on your {route.name} due", decision_clock(case)))
    if denial and denial.final_internal and (facts.aca or facts.nsa_protected):
        start, printed = facts.denial_start
        # One decision of the process for check, the timeline and the letter.
        rule_id = "external-review-federal" if facts.external_review_process == "federal" \
            else "external-review-state"
        if facts.erisa:  # the Labor Department's text binds a private employer plan
            rule_id += "-dol"
        note = "" if rule_id.startswith("external-review-federal") else \
            "your state's process may allow longer: check the final denial notice"
        if denial.review_by:
            note = (f"the notice itself gives {format_date(denial.review_by)}; this is the "
                    "earliest date the rules allow, so sending by it is safe either way")
        clocks.append(("external review request deadline",
                       _noted(facts.clock(rule_id, start, printed), note)))
    continuation = facts.continuation_clock
    if continuation is not None:
        step = "hearing" if facts.plan_type == "medicaid" else "appeal"
        clocks.append((f"ask for the {step} by this date to keep a service that is being "
                       "ended or reduced", continuation))
    collector = case.collector
    if collector.validation_end:
        end = collector.validation_end
        clocks.append(("debt validation period ends",
                       Clock(get_rule("regf-validation-period"), end, end,
                             note="the end date printed on the collector's notice")))
    elif collector.notice_date:
        clocks.append(("debt validation period ends",
                       _noted(facts.clock("regf-validation-period", collector.notice_date),
                              "30 days from the day the notice arrived; use the end date "
                              "printed on the notice when it has one")))
    first = case.balance.first_statement_date
    if facts.nonprofit_hospital and first:
        clocks.append(("financial assistance application window closes",
                       facts.clock("irs-501r-application-period", first)))
        clocks.append(("earliest extraordinary collection action",
                       _noted(facts.clock("irs-501r-eca-wait", first),
                              "and only after 30 days' written notice", "event")))
    if facts.self_pay and case.claim.first_bill_date and case.claim.good_faith_estimate:
        clocks.append(("good faith estimate dispute window closes",
                       _noted(facts.clock("nsa-ppdr", case.claim.first_bill_date),
                              "counted from the bill's date; the rule counts from receipt")))
    # The answers the other side owes for the letters sent (records, documents, a
    # credit reinvestigation) are not the patient's deadlines: they are the awaited
    # answers (lettergen.analysis.waiting), which check and the timeline list apart.
    present = [(name, clock) for name, clock in clocks if clock is not None]
    return sorted(present, key=lambda item: item[1].due)
