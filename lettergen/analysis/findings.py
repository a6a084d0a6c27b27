"""Findings: what a careful advocate sees when reading the bill against the EOB.

Each rule below reads the case and returns findings (proven from the case's own
figures) or questions (what the case cannot prove, for the patient to check). A
finding names the amounts involved and the letter that acts on it. Rules are plain
functions in ``FINDING_RULES`` so that the documentation and the tests can walk them.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from lettergen.analysis.facts import Facts
from lettergen.case.money import format_date, format_money
from lettergen.rules.table import get_rule
from lettergen.template_types import template_value

COLLECTOR_COMPLAINT = "collector-complaint"
BENCHMARK_MULTIPLE = Decimal("3")  # billed at 3× its benchmark or more is "far above"
SEVERITIES = ("high", "medium", "low")


@template_value
@dataclass(frozen=True)
class Finding:
    """One thing the case shows (``kind = "finding"``) or asks (``"question"``)."""

    id: str
    severity: str
    title: str
    detail: str
    letter: str = ""
    amount: Decimal | None = None
    kind: str = "finding"

    def as_json(self) -> dict[str, Any]:
        return {"id": self.id, "kind": self.kind, "severity": self.severity,
                "title": self.title, "detail": self.detail, "letter": self.letter or None,
                "amount": str(self.amount) if self.amount is not None else None}


Rule = Callable[[Any, Facts], Iterator[Finding]]
FINDING_RULES: list[Rule] = []


def finding_rule(func: Rule) -> Rule:
    FINDING_RULES.append(func)
    return func


def _money(value: Decimal | None) -> str:
    return format_money(value) if value is not None else "an unknown amount"


@finding_rule
def balance_billing(case: Any, facts: Facts) -> Iterator[Finding]:
    """An in-network provider billing more than the EOB's patient responsibility."""
    due, share = case.balance.amount_due, case.claim.patient_responsibility
    if case.provider.in_network and due is not None and share is not None and due > share:
        yield Finding("balance-billing", "high", "In-network provider bills more than your "
                      "share on the EOB",
                      f"{case.provider.name} is in network and bills {format_money(due)}, but "
                      f"the EOB makes you responsible for {format_money(share)}. An in-network "
                      "provider generally may not bill the difference.",
                      "billing-correction-request", due - share)


@finding_rule
def surprise_bill(case: Any, facts: Facts) -> Iterator[Finding]:
    """A balance bill the No Surprises Act bars, and the plan's side of it."""
    if not facts.nsa_protected:
        return
    why = ("emergency care" if facts.nsa_emergency else
           "an out-of-network clinician at an in-network facility, without valid "
           "notice-and-consent")
    if facts.out_of_network and facts.amount_due:
        yield Finding("nsa-balance-bill", "high", "Surprise bill barred by the No Surprises Act",
                      f"This bill is for {why}. You owe only in-network cost-sharing; "
                      f"{case.provider.name} bills {format_money(facts.amount_due)}.",
                      "surprise-bill-dispute", facts.amount_due)
    claim = case.claim
    processed_oon = (case.denial.reason == "out-of-network"
                     or (claim.allowed == 0 and claim.billed and claim.patient_responsibility
                         == claim.billed))
    if processed_oon:
        yield Finding("nsa-plan-processing", "high", "The plan processed protected care as "
                      "out-of-network",
                      f"The plan must cover {why} at in-network cost-sharing, but the EOB shows "
                      f"{format_money(claim.allowed or Decimal(0))} allowed and "
                      f"{_money(claim.patient_responsibility)} as your share.",
                      "reprocessing-request" if not case.denial else "internal-appeal",
                      claim.patient_responsibility)


@finding_rule
def bill_and_eob_mismatch(case: Any, facts: Facts) -> Iterator[Finding]:
    claim = case.claim
    if case.charges and claim.billed is not None and facts.charges_total != claim.billed:
        yield Finding("charges-total-mismatch", "medium", "The itemized lines do not add up to "
                      "the bill",
                      f"The [[charges]] add up to {format_money(facts.charges_total)}; the claim "
                      f"shows {format_money(claim.billed)} billed.",
                      "itemized-bill-request", abs(facts.charges_total - claim.billed))
    if claim.eob_date and any(c.allowed is not None for c in case.charges):
        missing = [c for c in case.charges if c.allowed is None]
        if missing:
            total = sum((c.billed or Decimal(0) for c in missing), Decimal("0.00"))
            yield Finding("not-on-eob", "medium", "Charges on the bill that are not on the EOB",
                          f"{len(missing)} line(s) worth {format_money(total)} have no EOB "
                          "figures: they may never have been sent to the plan.",
                          "billing-correction-request", total)


@finding_rule
def denied_service_billed(case: Any, facts: Facts) -> Iterator[Finding]:
    if case.denial and facts.insured and case.provider.in_network and facts.amount_due:
        responsible = case.denial.reason in ("prior-authorization", "timely-filing", "coding",
                                             "bundling")
        yield Finding("denied-service-billed", "high" if responsible else "medium",
                      "The provider bills you for a service the plan denied",
                      f"The plan denied the claim ({case.denial.reason}) and "
                      f"{case.provider.name} bills you {format_money(facts.amount_due)}."
                      + (" For an in-network provider this denial reason is usually the "
                         "provider's responsibility under its contract." if responsible else ""),
                      "billing-hold-request", facts.amount_due)


@finding_rule
def medicare_protections(case: Any, facts: Facts) -> Iterator[Finding]:
    """Medicare's own billing limits: the QMB billing ban, and no liability for care
    Medicare found not necessary when no Advance Beneficiary Notice was given."""
    if facts.qmb_billed:
        yield Finding("qmb-billed", "high", "A Qualified Medicare Beneficiary billed for "
                      "Medicare cost-sharing",
                      f"{case.provider.name} bills {_money(facts.amount_due)}; providers may not "
                      "bill Qualified Medicare Beneficiaries for Medicare deductibles, "
                      "coinsurance or copays.", "billing-correction-request", facts.amount_due)
    if facts.no_abn_billed:
        yield Finding("no-abn", "high", "Billed for care Medicare found not necessary, without "
                      "an Advance Beneficiary Notice",
                      "Without a valid ABN signed before the service, a Medicare beneficiary is "
                      "generally not liable for care Medicare denies as not reasonable and "
                      "necessary.", "billing-correction-request", facts.amount_due)


@finding_rule
def duplicates_and_disputes(case: Any, facts: Facts) -> Iterator[Finding]:
    for charge in facts.duplicate_charges:
        yield Finding("duplicate-line", "high", "Duplicate line",
                      f"{charge.code_type or 'Code'} {charge.code} "
                      f"({charge.description or 'no description'}) on "
                      f"{format_date(charge.date)} for {_money(charge.billed)} appears twice.",
                      "coding-review-request", charge.billed)
    for charge in case.charges:
        if charge.dispute and charge.dispute != "duplicate":
            yield Finding(f"disputed-{charge.dispute}", "medium", f"You marked a line: "
                          f"{charge.dispute}",
                          f"{charge.code or ''} {charge.description or ''} on "
                          f"{format_date(charge.date) if charge.date else 'an unknown date'}, "
                          f"{_money(charge.billed)}.".strip(),
                          "repricing-request" if charge.dispute == "price"
                          else "coding-review-request", charge.billed)


@finding_rule
def above_benchmark(case: Any, facts: Facts) -> Iterator[Finding]:
    for row in facts.benchmark_rows:
        charge = row["charge"]
        if charge.billed >= BENCHMARK_MULTIPLE * charge.benchmark:
            yield Finding("above-benchmark", "medium", f"{charge.code} billed at "
                          f"{row['multiple']} its benchmark",
                          f"{charge.code} ({charge.description or ''}) is billed at "
                          f"{format_money(charge.billed)}; the benchmark "
                          f"({charge.benchmark_source or 'your reference price'}) is "
                          f"{format_money(charge.benchmark)}: {row['multiple']}.",
                          "repricing-request", charge.billed - charge.benchmark)
    if len(facts.benchmark_rows) > 1:
        excess = facts.benchmarked_billed_total - facts.benchmark_total
        yield Finding("above-benchmark-total", "low", "Total above benchmark",
                      f"The lines with a benchmark are billed at "
                      f"{format_money(facts.benchmarked_billed_total)} against "
                      f"{format_money(facts.benchmark_total)}.", "repricing-request", excess)


@finding_rule
def benchmark_sources(case: Any, facts: Facts) -> Iterator[Finding]:
    """Benchmarks a billing office may set aside: one with no source, and a hospital's
    facility charge measured against the physician fee schedule."""
    for charge in facts.unsourced_benchmarks:
        yield Finding("benchmark-no-source", "low", f"No source for the benchmark of "
                      f"{charge.code or 'a line'}",
                      f"The {format_money(charge.benchmark)} benchmark of {charge.code or ''} "
                      f"on {format_date(charge.date or case.claim.service_date)} has no "
                      "benchmark_source, so the repricing letter calls it a reference price "
                      "and claims no source. Add where it comes from.",
                      "repricing-request", kind="question")
    for charge in facts.facility_on_physician_schedule:
        yield Finding("facility-physician-benchmark", "medium", f"{charge.code or 'A line'}: "
                      "a facility charge benchmarked against the physician fee schedule",
                      f"{case.provider.name}'s charge for {charge.code or 'this line'} is a "
                      "facility charge, but its benchmark is from the physician fee "
                      "schedule, which pays the clinician's own service. The hospital can "
                      "dismiss that comparison; Medicare's hospital outpatient (OPPS) or "
                      "inpatient rate for the service is the fairer benchmark.",
                      "repricing-request", kind="question")


@finding_rule
def preventive_cost_sharing(case: Any, facts: Facts) -> Iterator[Finding]:
    preventive = case.denial.reason == "preventive-as-diagnostic" or facts.preventive_modifier
    share = case.claim.patient_responsibility
    if preventive and facts.aca and share:
        yield Finding("preventive-cost-sharing", "high", "Cost-sharing on preventive care",
                      f"The plan charged you {format_money(share)} for care billed as "
                      "preventive. Non-grandfathered plans cover preventive services in network "
                      "with no deductible, copay or coinsurance.",
                      "reprocessing-request", share)


@finding_rule
def limits_met(case: Any, facts: Facts) -> Iterator[Finding]:
    insurer, share = case.insurer, case.claim.patient_responsibility
    if not share:
        return
    if facts.out_of_pocket_reached:
        yield Finding("out-of-pocket-met", "high", "Out-of-pocket maximum already met",
                      f"You have met the {format_money(insurer.out_of_pocket_max)} "
                      f"out-of-pocket maximum, yet the EOB charges you {format_money(share)}.",
                      "reprocessing-request", share)
    elif facts.deductible_reached and case.denial.reason in ("preventive-as-diagnostic", None):
        yield Finding("deductible-met", "low", "Deductible already met",
                      f"You have met the {format_money(insurer.deductible)} deductible. Check "
                      f"that the {format_money(share)} on the EOB is coinsurance or a copay, not "
                      "deductible.", "reprocessing-request", None, "question")


@finding_rule
def good_faith_estimate(case: Any, facts: Facts) -> Iterator[Finding]:
    estimate, billed = case.claim.good_faith_estimate, facts.billed_total
    if estimate is not None and billed is not None and facts.self_pay:
        over = billed - estimate
        if over >= Decimal(get_rule("nsa-ppdr-threshold").extra["amount"]):
            yield Finding("gfe-exceeded", "high", "Bill $400 or more above the good faith "
                          "estimate",
                          f"Billed {format_money(billed)} against an estimate of "
                          f"{format_money(estimate)}: {format_money(over)} over.",
                          "surprise-bill-dispute", over)


@finding_rule
def collections(case: Any, facts: Facts) -> Iterator[Finding]:
    if case.collector:
        same = facts.collector_is_provider
        yield Finding("in-collections", "high", "The account is in collections",
                      f"{case.collector.name} is collecting "
                      f"{_money(case.collector.amount_claimed or facts.amount_due)}."
                      + ("" if same else " Dispute it in writing inside the validation period "
                         "and collection must stop until the collector verifies the debt."),
                      "billing-hold-request" if same else "debt-validation",
                      case.collector.amount_claimed)
    start = case.balance.first_statement_date
    if facts.nonprofit_hospital and start:
        eca = start + dt.timedelta(days=get_rule("irs-501r-eca-wait").days)
        if case.today <= eca + dt.timedelta(days=30):
            yield Finding("eca-approaching", "medium", "Collection actions may start soon",
                          f"A nonprofit hospital may start extraordinary collection actions "
                          f"(credit reporting, lawsuits) no earlier than {format_date(eca)}, "
                          "120 days after the first statement and after a 30-day written notice. "
                          "A financial assistance application suspends them.",
                          "financial-assistance-request")


@finding_rule
def collector_leverage(case: Any, facts: Facts) -> Iterator[Finding]:
    """What the order of letters should respect with a collector: no offer against an
    open dispute, financial assistance before any settlement, no collection action while
    a nonprofit hospital's application is pending, and a report made too early."""
    offering = bool(case.offer) or any(
        x in (case.case.letters or ()) for x in ("settlement-offer", "final-offer"))
    if offering and facts.offer_undercuts_dispute and not facts.settlement_agreed:
        yield Finding("offer-during-dispute", "high", "Dispute the debt before you offer",
                      f"Hold the offer: {facts.offer_undercuts_dispute}.", "debt-validation")
    if facts.nonprofit_hospital and facts.amount_due and (case.collector or offering) \
            and not case.hardship.application_date and not facts.settlement_agreed:
        yield Finding("assistance-before-settlement", "high", "Apply for financial assistance "
                      "before you offer a settlement",
                      f"{case.provider.name} is a nonprofit hospital: its financial assistance "
                      "policy may reduce or erase the balance, and collection actions, credit "
                      "reporting included, must stop while an application is pending. Apply "
                      "first; offer only what the decision leaves. Set [hardship] "
                      "application_date once you have sent it.",
                      "financial-assistance-request", facts.amount_due)
    if facts.nonprofit_hospital and facts.assistance_pending and (case.collector
                                                                   or case.credit_report):
        yield Finding("eca-while-pending", "high", "Collection actions must stop while your "
                      "application is pending",
                      f"You applied for financial assistance on "
                      f"{format_date(case.hardship.application_date)}. Until "
                      f"{case.provider.name} decides, it and its collection agencies may not "
                      "report the debt to a credit bureau, sell it or sue; the letters to the "
                      "collector say so.", "financial-assistance-request")
    early = facts.reported_early
    if early:
        days = early["days"]
        when = (f"{-days} days before" if days < 0 else "the day" if days == 0 else
                f"{days} days after")
        yield Finding("reported-early", "medium", "Reported to a credit bureau soon after "
                      "the first notice",
                      f"The report shows {case.collector.name} first reported the debt on "
                      f"{format_date(early['reported'])}, {when} its first notice reached you. "
                      "A collector may not report a debt before it has spoken to you or mailed "
                      "a notice and waited a reasonable time (about 14 days); the dispute asks "
                      "when the notice was mailed.", "debt-validation", kind="question")


@finding_rule
def old_debt(case: Any, facts: Facts) -> Iterator[Finding]:
    service = case.claim.service_date
    if facts.old_debt and (case.collector or case.offer):
        yield Finding("old-debt", "high", "Old debt: careful before paying or offering",
                      f"The care was on {format_date(service)}. Your state's limitation period "
                      "may have run, and in some states a payment or a written acknowledgment "
                      "restarts it. Ask for validation first and get local legal advice before "
                      "any payment or offer.", "debt-validation", kind="finding")


@finding_rule
def questions(case: Any, facts: Facts) -> Iterator[Finding]:
    """What the case cannot prove: asked, never asserted."""
    provider = case.provider
    if provider.kind == "hospital" and provider.nonprofit is None:
        yield Finding("ask-nonprofit", "low", "Is the hospital a nonprofit?",
                      "Nonprofit hospitals must offer financial assistance under IRS rules. "
                      "Set [provider] nonprofit once you know (the hospital's website or "
                      "its IRS Form 990).", "financial-assistance-request", kind="question")
    if facts.insured and facts.out_of_network and provider.consent_signed is None \
            and not facts.emergency and facts.nsa_facility:
        yield Finding("ask-consent", "low", "Did you sign a notice-and-consent form?",
                      "An out-of-network clinician at an in-network facility may bill more only "
                      "with your valid written consent. Set [provider] consent_signed.",
                      "surprise-bill-dispute", kind="question")
    if facts.insured and not case.claim.number and not case.claim.eob_date \
            and not facts.care_ending:  # care ending: no claim has been billed yet
        yield Finding("ask-submitted", "low", "Was the claim sent to your plan?",
                      "The case has no claim number or EOB. Ask the plan whether it received "
                      "a claim; a provider that never billed your plan should do so.",
                      "billing-correction-request", kind="question")


@finding_rule
def care_ending_without_notice(case: Any, facts: Facts) -> Iterator[Finding]:
    if facts.care_ending_unnamed:
        denial = case.denial
        hospital = denial.service_kind == "hospital"
        notice, value = (("an Important Message from Medicare", "important-message") if hospital
                         else ("a Notice of Medicare Non-Coverage", "nomnc"))
        due = ("the day of discharge, before you leave" if hospital
               else "noon of the day after the notice arrived")
        yield Finding(
            "care-ending-no-notice", "high", "Covered care is ending: a fast-track appeal may be "
            "due within a day",
            f"[denial] says the care ends on {format_date(denial.services_end)}, but names no "
            f"notice. If {case.provider.name or 'the provider'} gave you {notice}, you can ask "
            "the Quality Improvement Organization (QIO) on the notice to review the decision "
            f"before the care stops; the deadline is {due}. "
            "Call the QIO now, then set [denial] notice = "
            f'"{value}" and received, and [qio] name and fax from the notice.',
            "medicare-fast-track-appeal")


@finding_rule
def representative_authority(case: Any, facts: Facts) -> Iterator[Finding]:
    """A representative who signs with no written authorization shown: the letters
    cannot claim the authority (a plan or provider may refuse to deal with them, and a
    records request is the patient's to sign), so say how to fix it. Medicare appeals
    take their own form."""
    sender = case.sender
    if not (sender and sender.name):
        return
    medicare = facts.plan_type in ("medicare", "medicare-advantage")
    form = (" For Medicare appeals the authorization is form CMS-1696, Appointment of "
            "Representative, signed by both of you; it is valid for one year from the "
            "later signature and a copy goes with each appeal.") if medicare else ""
    if not sender.authorization:
        yield Finding("no-authorization", "high", f"{sender.name} signs without written "
                      "authorization",
                      f"[sender] has no authorization, so the letters {sender.name} signs "
                      f"do not claim to be from an authorized representative, and the "
                      f"records request is written for {case.patient.name} to sign. Have "
                      f"{case.patient.name} sign an authorization (build "
                      "representative-authorization), then set [sender] authorization = "
                      "\"enclosed\" (a copy goes with each letter) or \"on-file\" (the "
                      f"recipient already has it).{form}", "representative-authorization")
    elif medicare:
        yield Finding("medicare-representative-form", "low", "Medicare: the appointment "
                      "form", f"{form.strip()} The letters to the plan name it as the "
                      "authorization.", "representative-authorization", kind="question")


@finding_rule
def late_answers(case: Any, facts: Facts) -> Iterator[Finding]:
    """An answer the other side owes and has not sent by its deadline
    (lettergen.analysis.waiting), with the letter that follows."""
    from lettergen.analysis.waiting import party_name, reported_overdue

    for a in reported_overdue(facts.awaited):
        who = party_name(case, a.party)
        arrived = (f"it should have reached {who} by {format_date(a.received)}"
                   + (" (by mail; set received in that [[contacts]] entry if you know the "
                      "day)" if a.received != a.sent else "")
                   if a.received_assumed else f"it reached {who} on {format_date(a.received)}")
        basis = a.rule.citation if a.legal else "the date your letter asked for"
        yield Finding(
            f"answer-overdue-{a.number}", "high" if a.legal else "medium",
            f"Still no {a.what.removeprefix('a ').removeprefix('an ')} from {who}: it was "
            f"due {format_date(a.due)}",
            f"You sent the {a.letter} on {format_date(a.sent)} ([[contacts]] entry "
            f"{a.number or 'of [denial] appeal_filed'}); {arrived}. The answer was due "
            f"{format_date(a.due)} ({basis}), and the case records none. {_sentence(a.next_why)}",
            a.next_letter)


@finding_rule
def collection_after_dispute(case: Any, facts: Facts) -> Iterator[Finding]:
    """The collector kept collecting after a timely written dispute, before it mailed
    verification (15 U.S.C. 1692g(b))."""
    from lettergen.analysis.waiting import collection_after_dispute as found

    kept = found(case)
    if kept is None:
        return
    who = case.collector.name or "The collection agency"
    dispute = kept.dispute
    steps = "; ".join(f"{format_date(c.date)}, a {c.kind or 'contact'}"
                      + (f" ({c.summary})" if c.summary else "") for c in kept.collections)
    if not kept.timely:
        yield Finding(
            "collection-after-late-dispute", "low", f"{who} kept collecting after your dispute",
            f"Your dispute of {format_date(dispute.sent)} reached {who} on "
            f"{format_date(dispute.received)}, after the validation period "
            + (f"ended on {format_date(kept.period_end)}" if kept.period_end else
               "(the case gives no [collector] notice_date or validation_end)")
            + ", so the law's pause on collection may not apply. It still must report the "
            f"debt as disputed. Since then: {steps}.", "", kind="question")
        return
    yield Finding(
        "collection-after-dispute", "high", f"{who} kept collecting after your timely dispute",
        f"You disputed the debt in writing on {format_date(dispute.sent)}; it reached {who} "
        f"on {format_date(dispute.received)}"
        + (" (assumed: set received in that [[contacts]] entry if you know the day)"
           if dispute.received_assumed else "")
        + f", within the validation period that ended {format_date(kept.period_end)}. Until "
        "it mails verification it must stop collecting "
        f"({get_rule('fdcpa-dispute-freeze').citation}), and no verification is recorded, "
        f"yet it went on: {steps}. Complain to the "
        "Consumer Financial Protection Bureau and your state attorney general.",
        COLLECTOR_COMPLAINT)


def _sentence(text: str) -> str:
    return f"Next: {text}." if text else ""


def case_findings(case: Any) -> list[Finding]:
    """Every finding and question, most severe first, in rule order within a severity."""
    facts = Facts(case)
    found = [f for rule in FINDING_RULES for f in rule(case, facts)]
    return sorted(found, key=lambda f: (f.kind != "finding", SEVERITIES.index(f.severity)))
