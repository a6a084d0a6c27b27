"""The rules table: every deadline and citation, with its status, source and scope.

Letters never type a citation or a number of days: they ask this module, which
refuses to cite a rule that is unverified, a company policy, or outside the case's
plan type, provider kind or state. That refusal is what keeps an ERISA citation out
of a Medicare letter even when a template author slips.
"""

from __future__ import annotations

import datetime as dt
import tomllib
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from typing import Any

from lettergen.errors import TemplateError
from lettergen.template_types import template_value

LAW_GRADE = ("V", "C")
STATUS_WORDS = {
    "V": "verified",
    "C": "corroborated",
    "U": "unverified",
    "policy": "a company's own policy",
    "practice": "lettergen's convention",
}


@template_value
@dataclass(frozen=True)
class Clock:
    """How a deadline is counted: a length from a starting event."""

    start: str
    days: int = 0
    months: int = 0
    hours: int = 0
    presumed_receipt_days: int = 0
    roll: str = ""  # "next-business-day" or ""
    month_end: str = ""  # "last": a month end that does not exist is the month's last day
    upper_bound: bool = False  # the rule is a maximum that a notice may shorten
    time: str = ""  # the hour the last day ends at ("noon"); "" = the end of that day
    send: str = ""  # "phone-or-fax": the request must reach the recipient that day, so
    #                 no mail-by date applies (a Medicare fast-track appeal)


@template_value
@dataclass(frozen=True)
class Rule:
    """One rule of the table (see the header of data/rules.toml)."""

    id: str
    title: str
    citation: str
    status: str
    summary: str
    source: str
    checked: dt.date
    plan_types: tuple[str, ...] = ()
    provider_kinds: tuple[str, ...] = ()
    states: tuple[str, ...] = ()
    grandfathered: bool | None = None
    nonprofit: bool | None = None
    self_pay: bool | None = None  # uninsured, or insured and paying as self-pay
    clock: Clock | None = None
    extra: dict[str, Any] = field(default_factory=dict, compare=False)

    @property
    def law_grade(self) -> bool:
        return self.status in LAW_GRADE and bool(self.citation)

    @property
    def days(self) -> int:
        return self.clock.days if self.clock else 0

    @property
    def months(self) -> int:
        return self.clock.months if self.clock else 0

    @property
    def hours(self) -> int:
        return self.clock.hours if self.clock else 0

    def scope_reason(self, case: Any) -> str | None:
        """Why this rule does not apply to ``case``, or None when it does."""
        insurer, provider = case.insurer, case.provider
        plan_type = insurer.plan_type or "uninsured"
        if self.self_pay and not (plan_type == "uninsured" or case.claim.self_pay):
            return "it applies to uninsured or self-pay patients only"
        if self.plan_types and plan_type not in self.plan_types:
            return f"it applies to {', '.join(self.plan_types)} plans, not {plan_type}"
        if self.grandfathered is not None and bool(insurer.grandfathered) != self.grandfathered:
            return "it does not apply to grandfathered plans" if not self.grandfathered \
                else "it applies to grandfathered plans only"
        if self.provider_kinds and provider.kind not in self.provider_kinds:
            return f"it applies to providers of kind {', '.join(self.provider_kinds)}"
        if self.nonprofit is not None and bool(provider.nonprofit) != self.nonprofit:
            return "it applies to nonprofit providers only" if self.nonprofit \
                else "it applies to for-profit providers only"
        if self.states and case.case.state not in self.states:
            return f"it applies in {', '.join(self.states)} only"
        return None

    def applies_to(self, case: Any) -> bool:
        return self.scope_reason(case) is None


@lru_cache(maxsize=1)
def all_rules() -> dict[str, Rule]:
    """The table, read once per process from the package's data file."""
    text = resources.files("lettergen").joinpath("data/rules.toml").read_text("utf-8")
    table: dict[str, Rule] = {}
    for raw in tomllib.loads(text)["rule"]:
        scope = raw.get("applies_to", {})
        clock = raw.get("clock")
        known = {"id", "title", "citation", "status", "summary", "source", "checked",
                 "applies_to", "clock"}
        table[raw["id"]] = Rule(
            id=raw["id"],
            title=raw["title"],
            citation=raw["citation"],
            status=raw["status"],
            summary=raw["summary"],
            source=raw["source"],
            checked=raw["checked"],
            plan_types=tuple(scope.get("plan_types", ())),
            provider_kinds=tuple(scope.get("provider_kinds", ())),
            states=tuple(scope.get("states", ())),
            grandfathered=scope.get("grandfathered"),
            nonprofit=scope.get("nonprofit"),
            self_pay=scope.get("self_pay"),
            clock=Clock(start=clock.pop("from"), **clock) if clock else None,
            extra={k: v for k, v in raw.items() if k not in known},
        )
    return table


def get_rule(rule_id: str) -> Rule:
    try:
        return all_rules()[rule_id]
    except KeyError:
        raise TemplateError(f"unknown rule '{rule_id}' (not in the rules table)") from None


def rule_for_case(rule_id: str, case: Any) -> Rule:
    """The rule, provided it applies to this case; a template that asks for a rule
    outside its scope is a template bug, reported as such."""
    rule = get_rule(rule_id)
    reason = rule.scope_reason(case)
    if reason:
        raise TemplateError(f"rule '{rule_id}' ({rule.citation or rule.title}) does not apply "
                            f"to this case: {reason}")
    return rule


def first_rule(rule_ids: Any, case: Any) -> str:
    """The first of ``rule_ids`` that applies to the case and may be cited as law, or ""
    when none does: for a rule each agency writes for its own plans (HHS for insurers and
    government plans, Labor for private employer plans, Treasury for church plans, OPM
    for FEHB), so that the citation follows the plan type."""
    for rule_id in rule_ids:
        rule = get_rule(str(rule_id))
        if rule.law_grade and rule.applies_to(case):
            return rule.id
    return ""


def cite(rule_id: str, case: Any) -> str:
    """The citation text of a law-grade rule that applies to the case."""
    rule = rule_for_case(rule_id, case)
    if not rule.law_grade:
        raise TemplateError(f"rule '{rule_id}' may not be cited as law: its status is "
                            f"{STATUS_WORDS.get(rule.status, rule.status)}")
    return rule.citation


def citable_citations() -> dict[str, list[Rule]]:
    """Every law-grade citation text → the rules that carry it (for the audit)."""
    out: dict[str, list[Rule]] = {}
    for rule in all_rules().values():
        if rule.law_grade:
            out.setdefault(rule.citation, []).append(rule)
    return out
