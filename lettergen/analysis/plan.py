"""The plan: which letters to send, in which order, why and by when.

The order lives in ``data/plan.toml`` (a decision table, documented there); this
module only evaluates its named conditions against the case. Each condition is one
line of logic over ``Facts`` so that the table reads as a patient advocate would
say it.
"""

from __future__ import annotations

import tomllib
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Any

from lettergen.analysis.facts import Facts
from lettergen.case.money import format_date

MEDICAL_JUDGMENT = ("medical-necessity", "experimental")


def _finding(name: str) -> Callable[[Facts, Any], bool]:
    return lambda f, c: any(x.id == name for x in f.findings)


CONDITIONS: dict[str, Callable[[Facts, Any], bool]] = {
    "balance_due": lambda f, c: bool(f.amount_due),
    "disputing": lambda f, c: f.whole_balance_disputed or bool(f.disputed_charges)
    or bool(c.hardship) or not c.charges,
    "third_party_collector": lambda f, c: bool(c.collector.name)
    and not f.collector_is_provider,
    "validation_passed": lambda f, c: any(
        name == "debt validation period ends" and clock.due < c.today
        for name, clock in f.clocks),
    "no_itemized_lines": lambda f, c: not c.charges,
    "nsa_balance_bill": _finding("nsa-balance-bill"),
    "gfe_exceeded": _finding("gfe-exceeded"),
    "denial_open": lambda f, c: f.denial_open,
    "expedited": lambda f, c: f.expedited,
    "aca": lambda f, c: f.aca,
    "medical_judgment": lambda f, c: c.denial.reason in MEDICAL_JUDGMENT,
    "has_clinician": lambda f, c: bool(c.clinician.name),
    "appeal_filed": lambda f, c: bool(f.appeal_sent_on),
    "final_internal": lambda f, c: bool(c.denial.final_internal),
    "appeal_letter_exists": lambda f, c: not f.appeal_route.refusal,
    "processing_error": lambda f, c: any(x.letter == "reprocessing-request"
                                      for x in f.findings if x.kind == "finding"),
    "denial_formal": lambda f, c: c.denial.reason not in (None, "preventive-as-diagnostic",
                                                             "coordination-of-benefits"),
    "disputed_lines": lambda f, c: any(charge.dispute != "price"
                                       for charge in f.disputed_charges),
    "nonprofit_hospital": lambda f, c: f.nonprofit_hospital,
    "hardship": lambda f, c: bool(c.hardship),
    "benchmarks": lambda f, c: bool(f.benchmark_rows),
    "self_pay_or_denied": lambda f, c: f.self_pay or f.denial_open,
    "collections_or_self_pay": lambda f, c: bool(c.collector) or f.self_pay,
    "offer_made": lambda f, c: bool(c.offer.previous),
    "offer_agreed": lambda f, c: bool(c.offer.agreed),
    "old_debt": lambda f, c: f.old_debt,
    "on_credit_report": lambda f, c: bool(c.credit_report),
    "services_ending": lambda f, c: f.care_ending,
    "services_ending_no_notice": lambda f, c: f.care_ending_unnamed,
    "billing_errors": lambda f, c: bool(f.billing_errors),
    "collector_verified": lambda f, c: c.collector.verified is not None,
    "sender_without_authorization": lambda f, c: bool(c.sender.name)
    and not c.sender.authorization,
    # The other side's deadlines (lettergen.analysis.waiting): a late answer's next letter.
    "late_answer_follow_up": lambda f, c: _late_next(f, "follow-up"),
    "decision_late": lambda f, c: _late_next(f, "deemed-exhaustion-notice"),
    "deemed_exhausted": lambda f, c: any(a.next_letter == "external-review-request"
                                         for a in f.awaited if a.letter == "internal-appeal"),
    "external_review_sent": lambda f, c: _sent(f, "external-review-request"),
    "records_complaint_due": lambda f, c: _late_next(f, "records-access-complaint"),
    "credit_complaint_due": lambda f, c: _late_next(f, "credit-dispute-complaint"),
    "late_answer_complaint": lambda f, c: _late_next(f, "regulator-complaint"),
    "collection_after_dispute": lambda f, c: _collected_after_dispute(c),
}


def _late_next(facts: Facts, letter: str) -> bool:
    """A late answer (one per request, lettergen.analysis.waiting) is followed by ``letter``."""
    from lettergen.analysis.waiting import reported_overdue

    return any(a.next_letter == letter for a in reported_overdue(facts.awaited))


def _sent(facts: Facts, letter: str) -> bool:
    return any(a.letter == letter for a in facts.awaited)


def _collected_after_dispute(case: Any) -> bool:
    from lettergen.analysis.waiting import collection_after_dispute

    found = collection_after_dispute(case)
    return found is not None and found.timely


@dataclass(frozen=True)
class Step:
    letter: str
    why: str
    when: str  # "now", "parallel", "after", or a date in words
    urgent: bool = False  # stays the next step even before it can be built


@lru_cache(maxsize=1)
def decision_table() -> tuple[dict[str, Any], ...]:
    text = resources.files("lettergen").joinpath("data/plan.toml").read_text("utf-8")
    rows = tuple(tomllib.loads(text)["step"])
    for row in rows:
        unknown = [c.lstrip("!") for c in row.get("if", []) if c.lstrip("!") not in CONDITIONS]
        if unknown:
            raise ValueError(f"plan.toml: unknown condition(s) {unknown} in {row['letter']}")
    return rows


def row_matches(row: dict[str, Any], facts: Facts, case: Any) -> bool:
    if row.get("plan_types") and facts.plan_type not in row["plan_types"]:
        return False
    if row.get("reasons") and facts.denial_reason not in row["reasons"]:
        return False
    for condition in row.get("if", []):
        negate = condition.startswith("!")
        if CONDITIONS[condition.lstrip("!")](facts, case) == negate:
            return False
    return True


def case_plan(case: Any, facts: Facts | None = None) -> list[Step]:
    """The recommended letters in order, each with why and by when. Pass the case's
    ``Facts`` when the caller has them, so findings and clocks are computed once."""
    facts = facts or Facts(case)
    clocks = dict(facts.clocks)
    appeal = next((c for n, c in clocks.items() if n.endswith(" deadline")
                   and n != "external review request deadline"), None)
    steps: list[Step] = []
    # A letter sent whose answer has not come is not recommended again: its answer is
    # awaited, and when it is late the rows for late answers name what follows.
    # A follow-up is per request, so another late answer still gets its own.
    pending = {a.letter for a in facts.awaited if not a.answered} - {"follow-up"}
    for row in decision_table():
        if any(s.letter == row["letter"] for s in steps) or row["letter"] in pending \
                or not row_matches(row, facts, case):
            continue
        when = row["when"]
        clock = appeal if when == "appeal deadline" else clocks.get(when)
        if clock is not None and clock.acts and not clock.by_mail:  # a fast-track appeal
            at = f" at {clock.time}" if clock.time else ""
            when = f"by {format_date(clock.due)}{at}, by phone or fax"
        elif clock is not None:
            when = f"by {format_date(clock.mail_by if clock.acts else clock.due)}" + (
                " (mail-by date)" if clock.acts else "")
        elif when not in ("now", "parallel", "after"):
            when = "now"
        steps.append(Step(row["letter"], row["why"], when, bool(row.get("urgent"))))
    return steps
