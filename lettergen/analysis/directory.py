"""Who a letter goes to when the case file does not give the address: the credit
bureaus (``data/bureaus.toml``), and which regulator fits a plan.

The bureau table carries each address's source, the date it was checked and whether
it was read on the bureau's own site; the bureaus' medical-collection policies sit
next to it, because they are the bureaus' own policies and never law. Templates see
all of it as ``directory`` (a ``Directory`` for the case).
"""

from __future__ import annotations

import datetime as dt
import tomllib
from dataclasses import dataclass
from decimal import Decimal
from functools import cached_property, lru_cache
from importlib import resources
from typing import Any

from lettergen.case.casefields import STATES
from lettergen.rules.deadlines import add_months
from lettergen.template_types import template_value

# --- credit bureaus ----------------------------------------------------------------------


@template_value
@dataclass(frozen=True)
class Bureau:
    """A credit bureau's dispute address, with where and when it was read."""

    id: str
    name: str
    brand: str
    address: tuple[str, ...]
    source: str
    checked: dt.date
    status: str  # "verified" (read on the bureau's own site) | "unverified"
    note: str = ""
    report_label: str = "report number"  # the bureau's name for [credit_report] report_number

    @property
    def verified(self) -> bool:
        return self.status == "verified"


@template_value
@dataclass(frozen=True)
class BureauPolicy:
    """The bureaus' voluntary medical-collection policies, and the states with their
    own reporting limits."""

    min_balance: Decimal
    wait_months: int
    paid_left_off: bool
    source: str
    checked: dt.date
    state_laws: tuple[str, ...]
    paid_since: dt.date | None = None         # paid medical collections left off since
    min_balance_since: dt.date | None = None  # under-minimum collections left off since


@lru_cache(maxsize=1)
def _bureau_data() -> dict[str, Any]:
    text = resources.files("lettergen").joinpath("data/bureaus.toml").read_text("utf-8")
    return tomllib.loads(text)


@lru_cache(maxsize=1)
def bureaus() -> dict[str, Bureau]:
    """Every bureau of the table by id ("equifax", "experian", "transunion")."""
    return {raw["id"]: Bureau(raw["id"], raw["name"], raw["brand"], tuple(raw["address"]),
                              raw["source"], raw["checked"], raw["status"], raw.get("note", ""),
                              raw.get("report_label", "report number"))
            for raw in _bureau_data()["bureau"]}


def find_bureau(bureau_id: str | None) -> Bureau | None:
    return bureaus().get(bureau_id) if bureau_id else None


@lru_cache(maxsize=1)
def bureau_policy() -> BureauPolicy:
    data = _bureau_data()
    policy, states = data["policy"], data["state_laws"]
    return BureauPolicy(Decimal(policy["min_balance"]), int(policy["wait_months"]),
                        bool(policy["paid_left_off"]), policy["source"], policy["checked"],
                        tuple(states["states"]), policy.get("paid_since"),
                        policy.get("min_balance_since"))


@template_value
@dataclass(frozen=True)
class CreditItem:
    """What the case says about the collection on the credit report, measured against
    the bureaus' own policies. Each flag is True only when the case shows it.

    ``paid`` decides which of two stories a dispute tells: a paid item is asked off
    under the bureaus' paid-collection policy and its reported balance is wrong
    because nothing is owed; an unpaid one is disputed for what the case shows
    (a dispute, an open denial, a balance above the EOB's), never both."""

    paid: bool            # [credit_report] paid_date, or a zero balance (provider or report)
    under_minimum: bool   # the reported balance is under the policy's minimum
    reported_early: bool  # first reported less than the waiting period after the care
    too_recent: bool      # the care itself is less than the waiting period before today
    wait_ends: dt.date    # the care date plus the waiting period
    state_law: bool       # the case's state has its own medical-debt reporting limits

    @property
    def policy_reasons(self) -> bool:
        return self.paid or self.under_minimum or self.reported_early or self.too_recent


def credit_item(case: Any) -> CreditItem:
    policy = bureau_policy()
    report, balance = case.credit_report, case.balance
    wait_ends = add_months(case.claim.service_date, policy.wait_months)
    paid = report.paid_date is not None or (
        balance.amount_due is not None and balance.amount_due == 0) or (
        report.reported_balance is not None and report.reported_balance == 0)
    under = report.reported_balance is not None and 0 < report.reported_balance \
        < policy.min_balance
    early = report.first_reported is not None and report.first_reported < wait_ends
    recent = report.first_reported is None and case.today < wait_ends
    return CreditItem(paid, under, early, recent, wait_ends,
                      case.case.state in policy.state_laws)


# --- regulators --------------------------------------------------------------------------

AGENCIES = {
    "state-insurance": "the state insurance department",
    "dol-ebsa": "the U.S. Department of Labor, Employee Benefits Security Administration (EBSA)",
    "cms": "the Centers for Medicare & Medicaid Services (CMS)",
    "state-medicaid": "the state Medicaid agency",
    "opm": "the U.S. Office of Personnel Management (OPM)",
    "consumer-protection": "the state attorney general's consumer protection office",
    "cfpb": "the Consumer Financial Protection Bureau (CFPB)",
    "hhs-ocr": "the U.S. Department of Health and Human Services, Office for Civil Rights "
               "(OCR)",
    "unclear": "no single agency",
}


@template_value
@dataclass(frozen=True)
class RegulatorFit:
    """The kind of agency a complaint about this case goes to, and why. ``also`` lists
    agencies that fit as well (an insured ERISA plan: the state and the Department of
    Labor; a surprise bill: CMS's No Surprises complaint line)."""

    kind: str
    agency: str
    reason: str
    also: tuple[RegulatorFit, ...] = ()

    @property
    def kinds(self) -> tuple[str, ...]:
        return (self.kind, *(a.kind for a in self.also))


def _fit(kind: str, reason: str, also: tuple[RegulatorFit, ...] = (),
         state: str | None = None) -> RegulatorFit:
    agency = AGENCIES[kind]
    if state and kind in ("state-insurance", "state-medicaid", "consumer-protection"):
        name = STATES.get(state, state)
        agency = agency.replace("the state", f"the {name}", 1)
    return RegulatorFit(kind, agency, reason, also)


def recommended_regulator(case: Any) -> RegulatorFit:
    """The agency that fits the case's plan (rules-factsheet §0; SPEC `[insurer]`):
    state insurance department for insured plans, the Department of Labor for private
    employer plans (ERISA, insured or self-funded), CMS for Medicare, Medicare Advantage,
    self-funded public-employer plans and No Surprises Act complaints, the state Medicaid
    agency for Medicaid."""
    from lettergen.analysis.facts import Facts

    facts = Facts(case)
    plan, state = facts.plan_type, case.case.state
    funded = case.insurer.self_funded
    dol = _fit("dol-ebsa", "a private employer plan is an ERISA plan, insured or "
               "self-funded, and EBSA enforces ERISA's claims and disclosure rules")
    nsa = (_fit("cms", "the No Surprises Act's billing protections apply to this bill, and "
                "CMS takes No Surprises Act complaints (the No Surprises Help Desk)"),) \
        if facts.nsa_protected else ()

    if plan == "employer":
        if funded is False:
            fit = _fit("state-insurance", "an insured employer plan: the insurer that "
                       "carries it is licensed and regulated by the state", (dol, *nsa),
                       state)
        elif funded:
            fit = _fit("dol-ebsa", "a self-funded private employer plan is an ERISA plan that "
                       "state insurance law does not reach; EBSA enforces ERISA's claims "
                       "rules", nsa)
        else:
            fit = _fit("dol-ebsa", "a private employer plan is an ERISA plan, insured or "
                       "self-funded; if an insurer carries it, the state insurance "
                       "department fits as well (set [insurer] self_funded)", nsa)
        return fit
    if plan == "public-employer":
        if funded:
            return _fit("cms", "a self-funded state or local government plan is outside ERISA "
                        "and state insurance law; CMS enforces the federal health plan rules "
                        "for these plans", nsa)
        cms = _fit("cms", "CMS enforces the federal health plan rules for state and local "
                   "government plans")
        reason = ("an insured government employer plan: the insurer that carries it is "
                  "regulated by the state" if funded is False else
                  "a government employer plan carried by an insurer is regulated by the "
                  "state; if the plan is self-funded, CMS fits instead (set [insurer] "
                  "self_funded)")
        return _fit("state-insurance", reason, (cms, *nsa), state)
    if plan == "church":
        if funded is False:
            return _fit("state-insurance", "an insured church plan: the insurer that "
                        "carries it is regulated by the state", nsa, state)
        return _fit("unclear", "a self-funded church plan is generally outside both ERISA "
                    "and state insurance regulation; ask the plan which agency oversees it",
                    nsa)
    if plan == "fehb":
        return _fit("opm", "Federal Employees Health Benefits plans are overseen by OPM", nsa)
    if plan in ("marketplace", "individual", "short-term"):
        return _fit("state-insurance", "an individual policy is sold by an insurer licensed "
                    "and regulated by the state", nsa, state)
    if plan in ("medicare", "medicare-advantage"):
        return _fit("cms", "Medicare and Medicare Advantage plans are run or overseen by CMS "
                    "(1-800-MEDICARE)")
    if plan in ("medicaid", "medicaid-managed-care"):
        return _fit("state-medicaid", "Medicaid, and the managed care plans that serve it, are "
                    "run and overseen by the state Medicaid agency", state=state)
    if plan == "uninsured":
        if case.claim.good_faith_estimate is not None:
            return _fit("cms", "a bill above a good faith estimate given to an uninsured or "
                        "self-pay patient is a No Surprises Act matter, and CMS takes those "
                        "complaints (the No Surprises Help Desk)")
        return _fit("consumer-protection", "with no health plan involved, a provider's or "
                    "collector's billing practices are a consumer protection matter")
    return _fit("unclear", "for this plan type no single agency fits; ask the plan which "
                "agency oversees it", nsa)


def _is_state_insurance_department(name: str) -> bool:
    words = name.casefold()
    return "insurance" in words and "medicare" not in words


def regulator_mismatch(case: Any) -> str | None:
    """Why ``[regulator]`` clearly does not fit the plan, or None. Judged from the name
    only, so only the clear cases: a state insurance department for a self-funded
    private employer plan, or for Medicare or a Medicare Advantage plan."""
    name = case.regulator.name
    if not name or not _is_state_insurance_department(name):
        return None
    plan = case.insurer.plan_type or "uninsured"
    if plan == "employer" and case.insurer.self_funded:
        return (f"{name} looks like a state insurance department, but a self-funded private "
                "employer plan is an ERISA plan that state insurance law does not reach")
    if plan in ("medicare", "medicare-advantage"):
        return (f"{name} looks like a state insurance department, but Medicare and Medicare "
                "Advantage plans are overseen by the federal Centers for Medicare & Medicaid "
                "Services, not by the state")
    return None


# --- what a template sees ----------------------------------------------------------------


@template_value
class Directory:
    """The ``directory`` a template sees: the bureau of ``[credit_report]``, the
    bureaus' policies and what the case shows against them, and the regulator that
    fits the plan."""

    def __init__(self, case: Any):
        self._case = case

    @property
    def bureau(self) -> Bureau | None:
        return find_bureau(self._case.credit_report.bureau)

    @property
    def policy(self) -> BureauPolicy:
        return bureau_policy()

    @property
    def state_name(self) -> str | None:
        state = self._case.case.state
        return STATES.get(state, state) if state else None

    @cached_property
    def credit_item(self) -> CreditItem | None:
        return credit_item(self._case) if self._case.credit_report else None

    @cached_property
    def regulator_fit(self) -> RegulatorFit:
        return recommended_regulator(self._case)

    @property
    def regulator_mismatch(self) -> str | None:
        return regulator_mismatch(self._case)

    def silence_complaint(self, subject: str, contact: Any = None) -> Any:
        """The complaint about the other side's silence on ``subject`` ("collector",
        "bureau", "records"): lettergen.analysis.complaints."""
        from lettergen.analysis.complaints import silence_complaint

        return silence_complaint(self._case, subject, contact)
