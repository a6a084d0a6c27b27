"""Facts derived from a case: which regime governs, what is disputed, which clocks run.

Templates decide what to say from these facts, never from raw arithmetic of their
own, so that a letter, ``check`` and the tests agree on one reading of the case.
Everything here is computed from the case file alone; what cannot be known from it
is left as None rather than guessed.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace
from decimal import Decimal
from functools import cached_property
from typing import Any

from lettergen.analysis.facts_es import SpanishFacts
from lettergen.case.money import format_date, format_money
from lettergen.letters.letter_facts import LetterFacts
from lettergen.rules import deadlines
from lettergen.rules.table import Rule, get_rule
from lettergen.template_types import template_value

EMPLOYER_LIKE = ("employer", "public-employer", "church", "fehb")
ACA_PLANS = ("employer", "public-employer", "marketplace", "individual")
NSA_PLANS = ("employer", "public-employer", "church", "fehb", "marketplace", "individual")
NSA_FACILITIES = ("hospital", "hospital-outpatient", "critical-access-hospital",
                  "ambulatory-surgery-center")
PLAN_LABELS = {
    "employer": "employer-sponsored group health plan",
    "public-employer": "government employer group health plan",
    "church": "church plan",
    "fehb": "Federal Employees Health Benefits plan",
    "marketplace": "Marketplace health plan",
    "individual": "individual health insurance policy",
    "short-term": "short-term health plan",
    "medicare": "Original Medicare",
    "medicare-advantage": "Medicare Advantage plan",
    "medicaid": "Medicaid",
    "medicaid-managed-care": "Medicaid managed care plan",
    "uninsured": "no insurance",
    "other": "health plan",
}


def _ancillary_code(code: str | None) -> bool:
    """CPT ranges of services for which notice-and-consent is never valid:
    anesthesia (00100-01999), radiology (70010-79999), pathology and lab
    (80047-89398)."""
    if not code or not code.isdigit() or len(code) != 5:
        return False
    n = int(code)
    return n <= 1999 or 70010 <= n <= 89398


@template_value
@dataclass(frozen=True)
class AppealRoute:
    """The written appeal the plan type provides at the denial's level.

    ``kind`` names the process; ``refusal`` is set when there is no letter to write
    at this level, with ``next_step`` saying what happens instead."""

    kind: str
    name: str  # "internal appeal", "redetermination", "reconsideration", "fair hearing"
    deadline_rule: str = ""
    decision_rules: tuple[str, ...] = ()
    refusal: str = ""
    next_step: str = ""

    @property
    def name_es(self) -> str:
        """The process as a Spanish letter names it (every one is feminine: "la
        apelación interna")."""
        return ROUTE_NAMES_ES.get(self.name, self.name)


# The appeal processes in Spanish, as state agencies and CMS's Spanish pages name them.
ROUTE_NAMES_ES = {
    "internal appeal": "apelación interna",
    "redetermination": "redeterminación",
    "reconsideration": "reconsideración",
    "request for reconsideration": "solicitud de reconsideración",
    "fair hearing": "audiencia imparcial",
    "state fair hearing": "audiencia imparcial estatal",
    "appeal": "apelación",
}

# The stages in Spanish, by ``Stage.kind``; "decision" is built from the route's name.
STAGE_WORDS_ES = {
    "fast-track": "se está solicitando una apelación acelerada ante la Organización para "
                  "el Mejoramiento de la Calidad (QIO)",
    "external-review": "se está solicitando una revisión externa",
    "final": "se está impugnando la decisión interna final del plan",
    "next-level": "la decisión se está llevando al siguiente nivel de revisión",
    "appeal": "se está apelando la denegación",
}


@template_value
@dataclass(frozen=True)
class Clock:
    """A deadline computed for this case from one rule of the table."""

    rule: Rule
    start: dt.date
    due: dt.date
    counted_from_printed_date: bool = False
    note: str = ""  # an assumption the patient should know about
    kind: str = "deadline"  # deadline (the patient acts) | decision (they must answer) |
    #                         event (from this date something may happen)
    # A clock counted from a notice's receipt, where the case says when it arrived: the
    # day it arrived, and the deadline on the rule's presumption of receipt alone.
    received: dt.date | None = None
    presumed_due: dt.date | None = None

    @property
    def acts(self) -> bool:
        """The patient must act by this date (so a mail-by date makes sense)."""
        return self.kind == "deadline"

    @property
    def mail_by(self) -> dt.date:
        return deadlines.mail_by(self.due)

    @property
    def by_mail(self) -> bool:
        """The patient acts by posting a letter, so the mail-by date applies; False for a
        request that must reach the recipient by phone or fax (a fast-track appeal)."""
        return self.acts and not (self.rule.clock and self.rule.clock.send)

    @property
    def time(self) -> str:
        """The hour the last day ends at ("noon"), or "" for the end of the day."""
        return self.rule.clock.time if self.rule.clock else ""

    @property
    def adjustments(self) -> tuple[str, ...]:
        """The adjustments that moved this deadline ("month-end", "next-business-day"),
        so that a letter explains only the rule that applied (deadlines.adjustments)."""
        return deadlines.adjustments(self.rule, self.start, self.received)


@template_value
@dataclass(frozen=True)
class Stage:
    """Where the dispute with the plan stands, in the words every letter uses for it
    ("external review is being requested") and the clock it runs on, so that a provider
    hears the same stage and date that ``check`` prints (``Facts.stage``)."""

    kind: str  # appeal (to be filed) | decision (filed, awaited) | external-review |
    #            fast-track | next-level (a level lettergen does not write) | final
    words: str  # "external review is being requested"
    clock: Clock | None = None
    step: str = ""  # the appeal the clock is for ("internal appeal"), for kind appeal
    route_name: str = ""  # the appeal filed, for kind decision
    filed: dt.date | None = None  # the day it was filed, for kind decision

    @property
    def due(self) -> dt.date | None:
        return self.clock.due if self.clock else None

    @property
    def text(self) -> str:
        """The stage with its date: "external review is being requested, due November
        20, 2026"; a decision awaited says when it is due."""
        if self.clock is None:
            return self.words
        due = format_date(self.clock.due)
        if self.kind == "decision":
            return f"{self.words}; a decision is due by {due}"
        if self.kind == "appeal":
            return f"{self.words}; the {self.step} is due {due}"
        return f"{self.words}, due {due}"

    @property
    def text_es(self) -> str:
        """``text`` in Spanish: "se está solicitando una revisión externa, con plazo
        hasta el 20 de noviembre de 2026"."""
        words = self.words_es
        if self.clock is None:
            return words
        due = format_date(self.clock.due, "es")
        if self.kind == "decision":
            return f"{words}; la decisión debe llegar a más tardar el {due}"
        if self.kind == "appeal":
            step = ROUTE_NAMES_ES.get(self.step, self.step)
            return f"{words}; el plazo para la {step} vence el {due}"
        return f"{words}, con plazo hasta el {due}"

    @property
    def words_es(self) -> str:
        """``words`` in Spanish."""
        if self.kind == "decision":
            return f"la {ROUTE_NAMES_ES.get(self.route_name, self.route_name)} presentada " \
                   f"el {format_date(self.filed, 'es') if self.filed else ''} está pendiente"
        return STAGE_WORDS_ES.get(self.kind, self.words)


@template_value
class Facts(LetterFacts, SpanishFacts):
    """Derived facts about one case; cheap properties, computed on first use."""

    def __init__(self, case: Any):
        # Private: a template reaches facts, never the Case behind them (its file paths).
        self._case = case

    @property
    def denial_reason(self) -> str | None:
        return self._case.denial.reason

    # --- the plan ------------------------------------------------------------------

    @property
    def plan_type(self) -> str:
        return self._case.insurer.plan_type or "uninsured"

    @property
    def plan_label(self) -> str:
        return PLAN_LABELS[self.plan_type]

    @property
    def insured(self) -> bool:
        return self.plan_type != "uninsured"

    @property
    def erisa(self) -> bool:
        """Private employer plans are ERISA plans, insured or self-funded."""
        return self.plan_type == "employer"

    @property
    def grandfathered(self) -> bool:
        return bool(self._case.insurer.grandfathered)

    @property
    def aca(self) -> bool:
        """The ACA appeal, external review and preventive-care rules apply."""
        return self.plan_type in ACA_PLANS and not self.grandfathered

    @property
    def medicare(self) -> bool:
        return self.plan_type == "medicare"

    @property
    def medicare_advantage(self) -> bool:
        return self.plan_type == "medicare-advantage"

    @property
    def medicaid_any(self) -> bool:
        return self.plan_type in ("medicaid", "medicaid-managed-care")

    @property
    def nsa_plan(self) -> bool:
        """The No Surprises Act's insured-patient protections reach this plan."""
        return self.plan_type in NSA_PLANS

    @property
    def self_pay(self) -> bool:
        return self.plan_type == "uninsured" or bool(self._case.claim.self_pay)

    # --- the provider and the No Surprises Act ------------------------------------------

    @property
    def nonprofit_hospital(self) -> bool:
        provider = self._case.provider
        return provider.kind == "hospital" and bool(provider.nonprofit)

    @property
    def out_of_network(self) -> bool:
        return self._case.provider.in_network is False

    @property
    def ancillary(self) -> bool:
        """Any billed line is anesthesia, radiology, pathology or lab."""
        return any(_ancillary_code(c.code) for c in self._case.charges)

    @property
    def emergency(self) -> bool:
        return bool(self._case.claim.emergency)

    @property
    def nsa_facility(self) -> bool:
        provider = self._case.provider
        return provider.facility_kind in NSA_FACILITIES and provider.facility_in_network is True

    @property
    def consent_valid(self) -> bool:
        """A signed notice-and-consent counts only outside emergencies and ancillary
        services."""
        return bool(self._case.provider.consent_signed) and not self.emergency \
            and not self.ancillary

    @property
    def nsa_emergency(self) -> bool:
        return self.nsa_plan and self.emergency and not self.ground_ambulance

    @property
    def ground_ambulance(self) -> bool:
        """The No Surprises Act leaves ground ambulances out (air ambulances are in, and
        the case has no kind for them): its protections never reach this bill."""
        return self._case.provider.kind == "ambulance"

    @property
    def nsa_protected_clinician(self) -> bool:
        """An out-of-network clinician at an in-network covered facility, without
        valid notice-and-consent."""
        return (self.nsa_plan and self.out_of_network and self.nsa_facility
                and not self.consent_valid and not self.ground_ambulance)

    @property
    def nsa_protected(self) -> bool:
        return self.nsa_emergency or self.nsa_protected_clinician

    @property
    def not_chosen(self) -> bool:
        return self._case.provider.chosen_by_patient is False

    # --- money -------------------------------------------------------------------------

    @cached_property
    def charges_total(self) -> Decimal:
        return sum((c.billed or Decimal(0) for c in self._case.charges), Decimal("0.00"))

    @property
    def billed_total(self) -> Decimal | None:
        return self._case.claim.billed if self._case.claim.billed is not None else (
            self.charges_total if self._case.charges else None)

    @property
    def amount_due(self) -> Decimal | None:
        """What the provider says is owed now: the balance, else the EOB's patient
        responsibility, else the billed total."""
        for value in (self._case.balance.amount_due, self._case.claim.patient_responsibility,
                      self.billed_total):
            if value is not None:
                return value
        return None

    @cached_property
    def duplicate_charges(self) -> list[Any]:
        """Every repeat of an earlier line with the same date, code and amount."""
        seen: set[tuple[Any, ...]] = set()
        repeats = []
        for charge in self._case.charges:
            key = (charge.date, charge.code, charge.billed)
            if charge.code and key in seen:
                repeats.append(charge)
            seen.add(key)
        return repeats

    @cached_property
    def disputed_charges(self) -> list[Any]:
        """Lines the patient marked, plus repeats the patient did not mark."""
        marked = [c for c in self._case.charges if c.dispute]
        return marked + [c for c in self.duplicate_charges if c not in marked]

    @property
    def disputed_lines_total(self) -> Decimal:
        return sum((c.billed or Decimal(0) for c in self.disputed_charges), Decimal("0.00"))

    @property
    def denial_open(self) -> bool:
        """A denial the patient is still contesting with the plan."""
        return bool(self._case.denial) and self.insured

    @property
    def whole_balance_disputed(self) -> bool:
        """While a denial or a surprise-billing protection is contested, the patient's
        real share is not known, so the whole balance is in dispute."""
        return self.denial_open or self.nsa_protected

    @property
    def amount_in_dispute(self) -> Decimal | None:
        """The whole balance while a denial or a protection is contested; else the
        disputed lines, or, where the EOB caps what is owed, all above that cap."""
        if self.whole_balance_disputed or not self.disputed_charges:
            return self.amount_due
        if self.undisputed_capped:
            return self.amount_due - self.undisputed_cap
        return self.disputed_lines_total

    @property
    def undisputed_amount(self) -> Decimal | None:
        """The part of the balance the patient does not contest and can pay now;
        None when nothing can be named (the whole balance waits on the plan)."""
        rest = self._balance_less_disputed
        if rest is None:
            return None
        if self.undisputed_capped:
            rest = self.undisputed_cap
        return rest if rest > 0 else None

    @property
    def _balance_less_disputed(self) -> Decimal | None:
        """The balance less the disputed lines, when some lines and not the whole
        balance are disputed."""
        due = self.amount_due
        if due is None or self.whole_balance_disputed or not self.disputed_charges:
            return None
        return due - self.disputed_lines_total

    @property
    def undisputed_cap(self) -> Decimal | None:
        """The most the patient can owe on this claim by the Explanation of Benefits:
        its patient responsibility less what was paid, when the provider is in network
        or the No Surprises Act binds it (the rest would be balance billing). None when
        the EOB does not limit it."""
        if self._case.provider.in_network is not True and not self.nsa_protected:
            return None
        return self.eob_balance

    @property
    def undisputed_capped(self) -> bool:
        """The part offered is the EOB's limit, not the balance less the disputed lines."""
        cap, rest = self.undisputed_cap, self._balance_less_disputed
        return cap is not None and rest is not None and cap < rest

    @cached_property
    def benchmark_rows(self) -> list[dict[str, Any]]:
        rows = []
        for charge in self._case.charges:
            if charge.benchmark and charge.billed is not None:
                multiple = (charge.billed / charge.benchmark).quantize(Decimal("0.1"))
                rows.append({"charge": charge, "multiple": f"{multiple}×"})
        return rows

    @property
    def benchmark_total(self) -> Decimal:
        return sum((r["charge"].benchmark for r in self.benchmark_rows), Decimal("0.00"))

    @property
    def benchmarked_billed_total(self) -> Decimal:
        return sum((r["charge"].billed for r in self.benchmark_rows), Decimal("0.00"))

    @cached_property
    def settlement(self) -> Any:
        """The settlement calculator's figures for this case (lettergen.analysis.settlement)."""
        from lettergen.analysis.settlement import calculate

        return calculate(self._case)

    @property
    def paid(self) -> Decimal | None:
        return self._case.balance.paid

    # --- clocks --------------------------------------------------------------------------

    @cached_property
    def findings(self) -> list[Any]:
        """The case's findings (lettergen.analysis.findings), computed once per Facts."""
        from lettergen.analysis.findings import case_findings

        return case_findings(self._case)

    @cached_property
    def awaited(self) -> list[Any]:
        """Each letter sent and the answer it waits for (lettergen.analysis.waiting)."""
        from lettergen.analysis.waiting import awaited_answers

        return awaited_answers(self._case)

    @property
    def overdue_answers(self) -> list[Any]:
        """The answers the other side owes and has not sent by their deadline."""
        return [a for a in self.awaited if a.overdue]

    @property
    def appeal_sent_on(self) -> dt.date | None:
        """The day the appeal of this denial was sent: ``[denial] appeal_filed``, else
        the first internal appeal the contact log records as sent on or after the
        denial's date. Once it is sent, its deadline is behind and its decision ahead."""
        denial = self._case.denial
        if not denial:
            return None
        if denial.appeal_filed:
            return denial.appeal_filed
        from lettergen.analysis.waiting import APPEALS, letters_sent

        return next((c.date for _, c in letters_sent(self._case) if c.letter in APPEALS
                     and (denial.date is None or c.date >= denial.date)), None)

    @property
    def filed_appeal(self) -> Any:
        """The appeal of this denial among the answers awaited (its receipt, given or
        assumed, and its decision date), so every letter counts from the same day."""
        from lettergen.analysis.waiting import filed_appeal

        return filed_appeal(self._case)

    def awaited_for(self, contact: Any) -> Any:
        """The answer a ``[[contacts]]`` entry waits for, or None when it is not a
        letter sent."""
        return next((a for a in self.awaited if a.contact is contact), None)

    @cached_property
    def clocks(self) -> list[tuple[str, Clock]]:
        """The case's clocks (lettergen.analysis.clocks), computed once per Facts."""
        from lettergen.analysis.clocks import case_clocks

        return case_clocks(self._case)

    def clock(self, rule_id: str, start: dt.date | None, printed: bool = False) -> Clock | None:
        if start is None:
            return None
        rule = get_rule(rule_id)
        return Clock(rule, start, deadlines.deadline(rule, start), printed)

    def notice_clock(self, rule_id: str) -> Clock | None:
        """A clock the rule counts from the denial notice's receipt, presumed some days
        after its printed date "unless there is evidence to the contrary" (42 CFR
        405.942(a)(1), 405.962(a)(1), 422.582(b)): from ``[denial] received`` when the
        case gives it, else from the presumed day. The note says which, and the date on
        the presumption alone, since the plan will count that way unless shown."""
        denial = self._case.denial
        if denial.date is None:
            return None
        rule = get_rule(rule_id)
        presumed = deadlines.deadline(rule, denial.date)
        days = rule.clock.presumed_receipt_days if rule.clock else 0
        presumed_day = denial.date + dt.timedelta(days=days)
        received = denial.received
        if received is None or received == presumed_day:
            return Clock(rule, denial.date, presumed,
                         note=f"counted from {format_date(presumed_day)}, the day the notice "
                         f"is presumed to have arrived ({days} days after its date); if it "
                         "came later, set [denial] received")
        due = deadlines.deadline(rule, denial.date, received=received)
        return Clock(rule, denial.date, due, received=received, presumed_due=presumed,
                     note=f"counted from {format_date(received)}, the day the notice arrived; "
                     f"it is presumed to have arrived on {format_date(presumed_day)} unless "
                     "you can show otherwise (keep the envelope or a dated record), and on "
                     f"that presumption alone the deadline is {format_date(presumed)}")

    @property
    def denial_start(self) -> tuple[dt.date | None, bool]:
        """(start date of the denial's clocks, whether it is only the printed date)."""
        denial = self._case.denial
        if denial.received:
            return denial.received, False
        return denial.date, True

    @cached_property
    def appeal_route(self) -> AppealRoute:
        return appeal_route(self)

    @property
    def appeal_deadline(self) -> Clock | None:
        route = self.appeal_route
        if route.refusal or not route.deadline_rule:
            return None
        rule = get_rule(route.deadline_rule)
        if rule.clock and rule.clock.start == "notice-receipt":
            return self.notice_clock(route.deadline_rule)
        start, printed = self.denial_start
        if rule.clock and rule.clock.start == "denial-notice":
            start, printed = self._case.denial.date or start, False
        return self.clock(route.deadline_rule, start, printed)

    @cached_property
    def stage(self) -> Stage | None:
        """The stage of the dispute with the plan, from the clocks ``check`` prints
        (``clocks``): the appeal to file and its deadline; the appeal filed and the
        decision's due date; after the final internal denial, external review and its
        deadline. None when no denial is contested (no denial, or no insurer)."""
        if not self.denial_open:
            return None
        clocks = dict(self.clocks)
        route = self.appeal_route
        if self.care_ending:
            from lettergen.analysis.clocks import FAST_TRACK

            return Stage("fast-track", "a fast-track appeal to the Quality Improvement "
                         "Organization is being requested", clocks.get(FAST_TRACK))
        external = clocks.get("external review request deadline")
        if external is not None:
            return Stage("external-review", "external review is being requested", external)
        if self.final_internal_denial:
            return Stage("final", "the plan's final internal decision is being disputed")
        if route.refusal:
            return Stage("next-level", "the decision is being taken to the next level of "
                         "review")
        filed = self.appeal_sent_on
        if filed:
            return Stage("decision", f"the {route.name} filed on "
                         f"{format_date(filed)} is pending",
                         clocks.get(f"decision on your {route.name} due"),
                         route_name=route.name, filed=filed)
        return Stage("appeal", "the denial is being appealed",
                     clocks.get(f"{route.name} deadline"), route.name)

    @property
    def expedited(self) -> bool:
        """The denial is marked urgent and expedited review can apply: the care is not
        yet given (scheduled after the letter date) or is ongoing treatment. Expedited
        review is for care still to come: Medicare Advantage excludes payment requests
        (42 CFR 422.584(a)) and ERISA's 72-hour clock is for urgent pre-service claims
        (29 CFR 2560.503-1(m)(1)), so a request to pay for care already received is
        decided on the standard timeline."""
        case = self._case
        if not case.denial.urgent:
            return False
        service = case.claim.service_date
        return bool(case.claim.ongoing_treatment) or (service is not None and service > case.today)

    @property
    def expedited_refused(self) -> str:
        """Why an urgent denial does not get expedited review, or ''."""
        if not self._case.denial.urgent or self.expedited:
            return ""
        return ("[denial] urgent is set, but the care was already given (the service date "
                "is not after the letter date), so the appeal asks for payment and is "
                "decided on the standard timeline: expedited review is for care not yet "
                "given or ongoing treatment")

    @property
    def continuation_clock(self) -> Clock | None:
        """Medicaid: the last day to ask for a hearing (fee-for-service) or an appeal
        (managed care) and keep a service that is being ended or reduced until the
        decision, from the notice's date of action (``[denial] action_date``).

        Fee-for-service: before the date of action when the agency gave advance notice
        (431.230(a)); within 10 days of receipt where it acted without one, the date of
        action on or before the notice's own date (431.231(c)); with no date of action,
        the day before the earliest one an advance notice allows (431.211). Managed care:
        the later of 10 days after the notice and the date of action (438.420(a))."""
        denial = self._case.denial
        if not denial or denial.date is None or denial.appeal_filed:
            return None
        action = denial.action_date
        if self.plan_type == "medicaid":
            if action is None:
                clock = self.clock("medicaid-advance-notice", denial.date)
                return replace(clock, note="the notice's date of action is not in the case: "
                               "look on the notice for the date the change takes effect and "
                               "add it as [denial] action_date; until then this counts as if "
                               "it were 10 days after the notice, the earliest an advance "
                               "notice allows") if clock else None
            if action > denial.date:
                rule = get_rule("medicaid-benefits-before-action")
                return Clock(rule, action, deadlines.deadline(rule, action),
                             note=f"the request must reach the agency before "
                             f"{format_date(action)}, the date of action on the notice")
            rule = get_rule("medicaid-continued-benefits")
            return Clock(rule, denial.date,
                         deadlines.deadline(rule, denial.date, received=denial.received),
                         received=denial.received,
                         note="the agency acted without advance notice: 10 days from the "
                         "day the notice arrived, presumed 5 days after its date")
        if self.plan_type == "medicaid-managed-care" and (denial.level or 1) == 1:
            clock = self.clock("medicaid-mc-continued-benefits", denial.date)
            if clock and action and action > clock.due:
                return replace(clock, due=action, note="the later of 10 days after the "
                               "notice and the date the change takes effect")
            return replace(clock, note="the later of 10 days after the notice and the "
                           "date the change takes effect" + ("" if action else
                           "; add the notice's effective date as [denial] action_date "
                           "if it is later")) if clock else None
        return None

    # --- external review (external-review-request) ----------------------------------------

    @property
    def state_name(self) -> str:
        """The case's state written out ("Illinois"), or "" when the case has none."""
        from lettergen.case.casefields import STATES

        return STATES.get(self._case.case.state or "", "")

    @property
    def final_internal_denial(self) -> bool:
        """Internal appeals are used up: the case says so (``denial.final_internal``),
        or an individual or Marketplace policy, which may have only one level of
        internal appeal (45 CFR 147.136(b)(3)(ii)(G)), has denied the appeal."""
        denial = self._case.denial
        if not denial:
            return False
        return bool(denial.final_internal) or (
            self.plan_type in ("marketplace", "individual") and (denial.level or 1) >= 2)

    @property
    def external_review_process(self) -> str:
        """"federal" for self-funded group plans (45 CFR 147.136(d)); "state" for
        insured coverage (the state's process where it meets the federal minimum,
        147.136(c); the final denial notice says which); "" where the ACA's external
        review rules do not reach the plan type. Grandfathered plans are left to the
        letter: for them only No Surprises Act disputes go to external review."""
        if self.plan_type not in ACA_PLANS:
            return ""
        if self.plan_type in ("employer", "public-employer") and self._case.insurer.self_funded:
            return "federal"
        return "state"

    def reply_by(self, rule_id: str, letter_date: dt.date) -> dt.date:
        """The date a letter asks for its answer by: ``rule_id``'s clock from
        ``letter_date``, moved to the next business day when it falls on a weekend or
        a federal holiday, its own date or the weekday it is observed on (offices are
        closed both days; asking for a later day than the rule gives is always safe)."""
        day = deadlines.deadline(get_rule(rule_id), letter_date)
        if getattr(day, "blank_label", None):
            return day
        return deadlines.next_business_day(day)


def _alj_amount(rule_id: str = "medicare-alj") -> str:
    """The amount in controversy for an ALJ hearing, from the rules table."""
    return format_money(Decimal(get_rule(rule_id).extra["amount_in_controversy"]))


def appeal_route(facts: Facts) -> AppealRoute:
    """Which written appeal this plan type provides at this level, or why none."""
    case, plan = facts._case, facts.plan_type
    level = case.denial.level or 1
    if case.denial.final_internal and plan in (*ACA_PLANS, "church", "fehb", "short-term",
                                               "other"):
        return AppealRoute("none", "", refusal="the denial says internal appeals are used up "
                           "(denial.final_internal = true)",
                           next_step="ask for external review: "
                           "lettergen build -l external-review-request")
    if plan in ("marketplace", "individual") and level >= 2 and not facts.grandfathered:
        return AppealRoute("none", "", refusal="individual-market plans have one level of "
                           f"internal appeal, and this denial is at level {level}",
                           next_step="ask for external review: "
                           "lettergen build -l external-review-request")
    if plan == "uninsured":
        return AppealRoute("none", "", refusal="there is no insurer to appeal to "
                           "(insurer.plan_type = \"uninsured\")",
                           next_step="ask the provider for an itemized bill, a repricing or "
                           "financial assistance")
    if plan == "medicare":
        if level == 1:
            return AppealRoute("medicare-redetermination", "redetermination",
                               "medicare-redetermination", ("medicare-redetermination-decision",))
        if level == 2:
            return AppealRoute("medicare-reconsideration", "reconsideration",
                               "medicare-reconsideration",
                               ("medicare-reconsideration-decision",))
        alj = get_rule("medicare-alj")
        return AppealRoute("none", "", refusal=f"at level {level} an Original Medicare appeal "
                           "is a request for a hearing before an Administrative Law Judge, "
                           "which lettergen does not write yet",
                           next_step=f"within {alj.days} days of receiving the "
                           "reconsideration, send the Office of Medicare Hearings and "
                           "Appeals form OMHA-100 or a letter that gives the beneficiary's "
                           "name, address and Medicare number, your name and address and "
                           "any representative's, the QIC's appeal number, the dates of "
                           "service, why you disagree, and any evidence you will still send "
                           f"and when ({get_rule('medicare-alj-request').citation})")
    if plan == "medicare-advantage":
        if level == 1:
            return AppealRoute("ma-reconsideration", "reconsideration", "ma-reconsideration",
                               ("ma-decision-pre-service", "ma-decision-payment",
                                "ma-decision-expedited"))
        return AppealRoute("none", "", refusal="a Medicare Advantage plan that upholds its "
                           "denial on reconsideration sends the case to the Independent Review "
                           f"Entity itself ({get_rule('ma-auto-forward').citation}); there is "
                           "no appeal letter to write at this level",
                           next_step="wait for the Independent Review Entity's decision; if it "
                           f"is unfavorable and at least {_alj_amount('ma-alj')} is in "
                           "dispute, request an ALJ hearing within "
                           f"{get_rule('ma-alj').days} days of receiving it "
                           f"({get_rule('ma-alj').citation})")
    if plan == "medicaid":
        if level == 1:
            return AppealRoute("medicaid-fair-hearing", "fair hearing", "medicaid-fair-hearing",
                               ("medicaid-hearing-decision",))
        return AppealRoute("none", "", refusal="after a Medicaid fair hearing decision the "
                           "next step is the state's own review or a court, not this letter",
                           next_step="read the hearing decision for the state's review "
                           "deadline and contact legal aid")
    if plan == "medicaid-managed-care":
        if level == 1:
            return AppealRoute("medicaid-mc-appeal", "appeal", "medicaid-mc-appeal",
                               ("medicaid-mc-decision",))
        return AppealRoute("medicaid-mc-hearing", "state fair hearing", "",
                           ("medicaid-hearing-decision",))
    if facts.aca:
        return AppealRoute("erisa-aca" if facts.erisa else "aca", "internal appeal",
                           "erisa-appeal-window" if facts.erisa else "aca-appeal-window",
                           ("erisa-decision-post-service",) if facts.erisa else
                           ("aca-decision-post-service",))
    if facts.erisa:  # grandfathered private employer plan: ERISA without the ACA add-ons
        return AppealRoute("erisa", "internal appeal", "erisa-appeal-window",
                           ("erisa-decision-post-service",))
    if plan == "fehb":
        if level == 1:
            return AppealRoute("plan", "request for reconsideration", "fehb-reconsideration",
                               ("fehb-reconsideration-decision",))
        opm = get_rule("fehb-opm-review")
        return AppealRoute("none", "", refusal="after the carrier affirms its denial on "
                           "reconsideration, the next step is a review by the Office of "
                           "Personnel Management, which lettergen does not write yet",
                           next_step=f"write to OPM within {opm.days} days of the date of the "
                           "carrier's reconsideration letter, with a copy of your request, the "
                           f"carrier's decision and your evidence ({opm.citation})")
    return AppealRoute("plan", "appeal")  # church, short-term, grandfathered, other
