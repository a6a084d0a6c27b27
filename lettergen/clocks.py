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

from .facts import Clock, Facts
from .money import format_date
from .rules import get_rule

URGENT_DECISION = {"erisa-aca": "erisa-decision-urgent", "erisa": "erisa-decision-urgent",
                   "aca": "aca-decision-urgent", "ma-reconsideration": "ma-decision-expedited"}


def mail_advice(mail_by: dt.date, today: dt.date) -> str:
    """What to do about posting a letter due soon: the mail-by date, or, once it has
    passed, a faster way to send it."""
    if mail_by >= today:
        return f"mail by {format_date(mail_by)}"
    return "too late to post: send today by fax, email or overnight delivery"


def _noted(clock: Clock | None, note: str, kind: str = "deadline") -> Clock | None:
    return dataclasses.replace(clock, note=note, kind=kind) if clock else None


def case_clocks(case: Any) -> list[tuple[str, Clock]]:
    """(name, clock) pairs in date order."""
    facts = Facts(case)
    clocks: list[tuple[str, Clock | None]] = []
    denial, route = case.denial, facts.appeal_route
    if denial and not denial.appeal_filed:
        clocks.append((f"{route.name} deadline", facts.appeal_deadline))
    if denial and denial.appeal_filed and route.decision_rules:
        rule_id = URGENT_DECISION.get(route.kind) if denial.urgent else None
        rule_id = rule_id or route.decision_rules[0]
        clocks.append((f"decision on your {route.name} due",
                       _noted(facts.clock(rule_id, denial.appeal_filed),
                              "counted from the day the appeal was filed; the rule counts from "
                              "the day the plan received it", "decision")))
    if denial and denial.final_internal and (facts.aca or facts.nsa_protected):
        start, printed = facts.denial_start
        # One decision of the process for check, the timeline and the letter.
        rule_id = "external-review-federal" if facts.external_review_process == "federal" \
            else "external-review-state"
        note = "" if rule_id == "external-review-federal" else \
            "your state's process may allow longer: check the final denial notice"
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
    for contact in case.contacts:
        if contact.letter == "records-request" and contact.date:
            clocks.append((f"records due from the {contact.party or 'provider'}",
                           _noted(facts.clock("hipaa-access", contact.date),
                                  "counted from the day the request was sent; one 30-day "
                                  "extension is allowed with a written reason", "decision")))
    present = [(name, clock) for name, clock in clocks if clock is not None]
    return sorted(present, key=lambda item: item[1].due)
