"""Facts that particular letters need: offers and collections, billing corrections,
refunds and surprise bills, records, reprocessing, network gaps and clinicians.

``Facts`` (lettergen.analysis.facts) inherits these, so templates read them all as ``facts.x``;
they live here to keep each module about one thing. Each property reads the case and
the rules table only.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from functools import cached_property
from typing import Any

from lettergen.case.money import format_date
from lettergen.rules import deadlines
from lettergen.rules.table import first_rule, get_rule

NSA_EMERGENCY_PLAN_RULES = ("nsa-emergency-plan", "nsa-emergency-plan-dol",
                            "nsa-emergency-plan-irs", "nsa-emergency-plan-fehb")
# How a benchmark_source names Medicare's physician fee schedule, which prices a
# clinician's professional service, not a hospital's facility charge.
PHYSICIAN_SCHEDULE_WORDS = ("physician fee schedule", "mpfs", "pfs ")
FACILITY_CODE_TYPES = ("REV", "DRG")  # a hospital revenue code or a DRG is a facility charge


class LetterFacts:
    """Mixin of ``Facts``: everything here may use the core facts through ``self``."""

    case: Any
    # --- repricing, coding review, collection and offers ---------------------------------

    @property
    def benchmark_multiple(self) -> str | None:
        """The benchmarked lines' billed total over their benchmark total ("19.6×")."""
        if not self.benchmark_rows or not self.benchmark_total:
            return None
        multiple = (self.benchmarked_billed_total / self.benchmark_total).quantize(
            Decimal("0.1"))
        return f"{multiple}×"

    @property
    def unsourced_benchmarks(self) -> list[Any]:
        """Benchmarked lines with no ``benchmark_source``: a letter calls their figure
        a reference price and claims no source for it, and ``build`` names them."""
        return [r["charge"] for r in self.benchmark_rows if not r["charge"].benchmark_source]

    @property
    def facility_on_physician_schedule(self) -> list[Any]:
        """Facility charges benchmarked against Medicare's physician fee schedule, which
        pays the clinician, not the hospital: the billing office can dismiss such a
        comparison (the fair benchmark for a facility is Medicare's hospital outpatient
        or inpatient rate). A line is a facility charge when a hospital sent the bill
        (``[provider] kind = "hospital"``) or its code is a revenue code or a DRG; the
        schedule is recognised from the words of ``benchmark_source``."""
        hospital = self._case.provider.kind == "hospital"
        return [r["charge"] for r in self.benchmark_rows
                if (hospital or r["charge"].code_type in FACILITY_CODE_TYPES)
                and any(w in f"{r['charge'].benchmark_source or ''} ".casefold()
                        for w in PHYSICIAN_SCHEDULE_WORDS)]

    @cached_property
    def coding_disputes(self) -> list[Any]:
        """Disputed lines that raise a coding question: every disputed line except
        those disputed on price alone (a price is a repricing question)."""
        return [c for c in self.disputed_charges
                if c.dispute != "price" or c in self.duplicate_charges]

    @property
    def coding_disputes_total(self) -> Decimal:
        return sum((c.billed or Decimal(0) for c in self.coding_disputes), Decimal("0.00"))

    @property
    def collector_is_provider(self) -> bool:
        """The "collector" is the provider collecting its own bill under its own name,
        which the FDCPA generally does not reach (15 U.S.C. 1692a(6))."""
        collector, provider = self._case.collector.name, self._case.provider.name
        if not collector or not provider:
            return False
        return " ".join(collector.casefold().split()) == " ".join(provider.casefold().split())

    @property
    def validation_end(self) -> dt.date | None:
        """The last day of the FDCPA validation period: the date printed on the
        collector's notice, else 30 days (the rules table) from the day it arrived."""
        collector = self._case.collector
        if collector.validation_end:
            return collector.validation_end
        clock = self.clock("regf-validation-period", collector.notice_date)
        return clock.due if clock else None

    @property
    def validation_open(self) -> bool | None:
        """The letter date falls within the validation period; None when unknown."""
        end = self.validation_end
        return None if end is None else self._case.today <= end

    @property
    def offer_deadline(self) -> dt.date:
        """The day an offer lapses: ``offer.respond_within_days`` after the letter
        date, else the ``reply-offer`` rule; moved off weekends and holidays."""
        days = self._case.offer.respond_within_days
        if days:
            return deadlines.next_business_day(self._case.today + dt.timedelta(days=days))
        return self.reply_by("reply-offer", self._case.today)

    @property
    def old_debt(self) -> bool:
        """Care more than three years before the letter date (``old-debt-warning``):
        a payment or an acknowledgment may restart a state limitation period."""
        clock = self.clock("old-debt-warning", self._case.claim.service_date)
        return bool(clock) and clock.due <= self._case.today

    @property
    def offer_installments(self) -> dict[str, Any] | None:
        """A payment-plan offer (``offer.payment = "payment-plan"``) as monthly payments:
        {"payments": how many, "monthly": each, "last": the last one, which may be
        smaller}; None for a lump sum or when the amount or the monthly payment is
        missing."""
        from decimal import ROUND_CEILING

        offer = self._case.offer
        if offer.payment != "payment-plan" or not offer.amount or not offer.monthly:
            return None
        payments = int((offer.amount / offer.monthly).to_integral_value(ROUND_CEILING))
        return {"payments": payments, "monthly": offer.monthly,
                "last": offer.amount - offer.monthly * (payments - 1)}

    # --- leverage with a collector: what could erase or stop the debt -------------------

    @property
    def settlement_agreed(self) -> bool:
        """A settlement was reached (``[offer] agreed`` with its amount): no more offers,
        only its confirmation."""
        agreed = self._case.offer.agreed
        return bool(agreed) and agreed.amount is not None

    @property
    def assistance_pending(self) -> bool:
        """A financial-assistance application went to the provider (``[hardship]
        application_date``) and no decision has come (``decision_date``)."""
        hardship = self._case.hardship
        return bool(hardship.application_date) and not hardship.decision_date

    @property
    def poverty_share(self) -> dict[str, Any] | None:
        """The household's income as a percentage of the HHS poverty guideline for its
        size (the rules table's figures for the case's year and region): {"percent" (a
        whole number, rounded down, as hospitals' policies compare it), "guideline",
        "year", "rule"}. None without household size and income, or where the table's
        figures for the state are not verified (Alaska, Hawaii)."""
        hardship = self._case.hardship
        if not hardship.household_size or hardship.annual_income is None:
            return None
        if getattr(hardship.annual_income, "blank_label", None):
            return None  # a blank fill-in letter: no sample household's figures
        if (self._case.case.state or "") in ("AK", "HI"):
            return None  # their figures are unverified (hhs-poverty-guidelines-ak-hi)
        rule = get_rule("hhs-poverty-guidelines")
        guideline = Decimal(rule.extra["first_person"]) + Decimal(
            rule.extra["additional_person"]) * (hardship.household_size - 1)
        percent = int(hardship.annual_income * 100 / guideline)
        return {"percent": percent, "guideline": guideline.quantize(Decimal("0.01")),
                "year": rule.extra["year"], "rule": rule.id}

    @property
    def social_security_only(self) -> bool:
        """The household lives on Social Security benefits alone, which no private
        creditor may garnish (42 U.S.C. 407(a), the rules table's ``ssa-benefits-exempt``)."""
        return self._case.hardship.income_source == "social-security"

    @property
    def income_proof(self) -> str:
        """The proof of income that fits the household's source of income, as an
        enclosure title."""
        return {
            "social-security": "Social Security benefit statement for this year (the SSA "
                               "benefit letter)",
            "ssi": "Supplemental Security Income award letter for this year",
            "pension": "Pension statement for this year",
            "unemployment": "Unemployment benefit statement",
            "self-employment": "Latest tax return with its self-employment schedule",
            "wages": "Recent pay stubs (the last three months)",
        }.get(self._case.hardship.income_source or "",
              "Proof of household income (recent pay stubs, benefit statements or the "
              "latest tax return)")

    @property
    def application_enclosed(self) -> bool:
        """A completed financial-assistance application goes to the provider with the
        letter (an enclosure for it whose title names an application), so the letter says
        it is enclosed instead of asking for the form."""
        return any("application" in (e.title or "").lower()
                   for e in self.enclosures_for("provider"))

    @property
    def income_proof_enclosed(self) -> bool:
        """The provider's enclosures already hold proof of income (a benefit statement,
        pay stubs, a tax return), so the letter adds none of its own."""
        words = ("benefit statement", "benefit letter", "award letter", "pay stub",
                 "tax return", "income", "pension statement")
        return any(any(w in (e.title or "").lower() for w in words)
                   for e in self.enclosures_for("provider"))

    @property
    def reported_early(self) -> dict[str, Any] | None:
        """The collector's credit report shows a first-reported date earlier than, or
        within the reasonable period (the rules table's ``regf-furnishing``: 14 days)
        after, the day its first notice arrived: {"days" after the notice (negative:
        before it), "reported", "notice"}. The notice was mailed before it arrived, so
        this is a question to ask, not a proven violation. None when it does not apply
        (no report by this collector, or a collector that is the provider)."""
        collector, report = self._case.collector, self._case.credit_report
        if not (collector.name and collector.notice_date and report.first_reported) \
                or self.collector_is_provider:
            return None
        if report.reported_by and " ".join(report.reported_by.casefold().split()) != \
                " ".join(collector.name.casefold().split()):
            return None
        days = (report.first_reported - collector.notice_date).days
        if days >= int(get_rule("regf-furnishing").extra["reasonable_days"]):
            return None
        return {"days": days, "reported": report.first_reported,
                "notice": collector.notice_date}

    @property
    def validation_dispute(self) -> dict[str, Any] | None:
        """The written dispute sent to the collector: the newest ``[[contacts]]`` letter
        logged as ``debt-validation``, {"date", "open"}: open until ``[collector]
        verified`` shows verification arrived after it. None when none is logged."""
        sent = [c.date for c in self._case.contacts if c.letter == "debt-validation"]
        if not sent:
            return None
        verified = self._case.collector.verified
        return {"date": max(sent), "open": not (verified and verified >= max(sent))}

    @property
    def offer_undercuts_dispute(self) -> str:
        """Why an offer to the collector now would work against the debt's dispute, or
        "": a validation dispute still waiting for verification, the validation period
        still running, or a dispute built alongside the offer ([case] letters)."""
        case = self._case
        if not case.collector.name or self.collector_is_provider:
            return ""
        dispute = self.validation_dispute
        if dispute and dispute["open"]:
            return (f"the debt-validation dispute sent on {format_date(dispute['date'])} "
                    "has had no answer ([collector] verified is not set): an offer now "
                    "treats as owed the debt the dispute asks the collector to prove")
        if dispute is None and "debt-validation" in (case.case.letters or ()):
            return ("[case] letters makes the debt-validation dispute together with this "
                    "offer: send the dispute first and make the offer only after the "
                    "collector's verification arrives")
        if self.validation_open:
            return (f"the validation period runs until {format_date(self.validation_end)}: "
                    "dispute the debt first (lettergen build -l debt-validation) and offer "
                    "only once the collector has verified it; an offer made first can read "
                    "as accepting a debt you could make it prove")
        return ""

    @cached_property
    def chronology(self) -> list[dict[str, Any]]:
        """What happened, oldest first: the care, the bills, the plan's decisions, the
        appeal, collection and credit reporting (from the case's tables), and every
        ``[[contacts]]`` entry. Each event: {"date", "who", "what" (lettergen's words),
        "detail" (the case's own words), "amount", "until", "representative",
        "reference"}; on the same day the case's own dates come before the contacts.
        Amounts and dates stay values, so that templates print them."""
        case = self._case
        provider, insurer = case.provider.name, case.insurer.name or "the health plan"
        events: list[dict[str, Any]] = []

        def add(day: dt.date | None, who: str, what: str, detail: str | None = None,
                amount: Decimal | None = None, contact: Any = None, event: str = "") -> None:
            if day is None:
                return
            events.append({"date": day, "who": who, "what": what, "detail": detail or "",
                           "event": event,  # what happened, as a code (chronology_es)
                           "amount": amount,
                           "until": contact.until if contact is not None else None,
                           "representative": (contact.representative or "") if contact
                           is not None else "",
                           "reference": (contact.reference or "") if contact is not None
                           else ""})

        claim, denial, balance = case.claim, case.denial, case.balance
        add(claim.service_date, provider, "Care received", event="care")
        first_bill = claim.first_bill_date or balance.first_statement_date
        add(first_bill, provider, "First bill sent", event="first-bill")
        if self.insured:
            add(claim.eob_date, insurer, "Explanation of Benefits issued, patient "
                "responsibility" if claim.patient_responsibility is not None else
                "Explanation of Benefits issued", amount=claim.patient_responsibility,
                event="eob-responsibility" if claim.patient_responsibility is not None
                else "eob")
            # a second-level decision upholds the first: "Claim denied" again misreads
            add(denial.date, insurer, "Denial upheld on appeal" if (denial.level or 1) >= 2
                else "Claim denied", denial.reason_text,
                event="denial-upheld" if (denial.level or 1) >= 2 else "denial")
            add(denial.appeal_filed, insurer, "Appeal filed", event="appeal-filed")
        if balance.statement_date and balance.statement_date != first_bill:
            add(balance.statement_date, provider, "Statement sent, amount due"
                if balance.amount_due is not None else "Statement sent",
                amount=balance.amount_due,
                event="statement-due" if balance.amount_due is not None else "statement")
        collector = case.collector
        if collector.name:
            add(collector.notice_date, collector.name, "First collection notice received",
                event="collection-notice")
        report = case.credit_report
        if report:
            add(report.first_reported, report.reported_by or "a collection agency",
                "Collection first reported to a credit bureau", event="credit-reported")
        names = {"provider": provider, "insurer": insurer, "collector": collector.name,
                 "regulator": case.regulator.name, "clinician": case.clinician.name,
                 "administrator": case.administrator.name}
        kinds = {"call": "Call", "letter": "Letter", "fax": "Fax", "portal": "Portal message",
                 "email": "Email", "visit": "Visit"}
        for contact in case.contacts:
            add(contact.date, names.get(contact.party or "") or "other",
                kinds.get(contact.kind or "call", "Contact"), contact.summary,
                contact=contact, event=contact.kind or "call")
        return sorted(events, key=lambda e: e["date"])

    @property
    def unmet_requests(self) -> list[dict[str, Any]]:
        """What was asked for or promised and never came, as a complaint names it: a
        ``[[contacts]]`` entry with ``answered = false`` that is either a records or
        claim-file letter whose HIPAA access time has run (counted from the day it
        should have arrived), or a call with an ``until`` date now past. Each:
        {"contact", "who" (the party), "what" ("claim-file", "records", "promise", or
        "claim-file-promise": a promise to the insurer's caller whose summary names the
        claim file),
        "due", "rule" (the rules-table id the request rests on, or "")}. Only
        ``answered = false`` counts: a letter never claims silence the case does not
        record."""
        names = {"provider": self._case.provider.name, "insurer": self._case.insurer.name
                 or "the health plan", "collector": self._case.collector.name,
                 "clinician": self._case.clinician.name}
        today, found = self._case.today, []
        for contact in self._case.contacts:
            if contact.answered is not False:
                continue
            who = names.get(contact.party or "") or "the other party"
            if contact.letter in ("claim-file-request", "records-request",
                                  "itemized-bill-request"):
                # the same date as check's "Waiting on them" (analysis.waiting): counted
                # from the day it arrived, given or assumed by how it was sent
                awaited = self.awaited_for(contact)  # type: ignore[attr-defined]
                if awaited is not None and awaited.due and awaited.due < today:
                    what = "claim-file" if contact.letter == "claim-file-request" else "records"
                    found.append({"contact": contact, "who": who, "what": what,
                                  "due": awaited.due, "rule": awaited.rule.id})
            elif contact.until and contact.until < today:
                # a claim file promised on a call is still a claim file asked for
                what = "claim-file-promise" if "claim file" in (contact.summary or "").casefold() \
                    and contact.party == "insurer" else "promise"
                found.append({"contact": contact, "who": who, "what": what,
                              "due": contact.until, "rule": ""})
        return found

    # --- when a letter reaches its recipient ----------------------------------------------

    def delivered(self, sent: dt.date, delivery: str | None = None) -> dt.date:
        """The day a letter sent on ``sent`` is expected to reach its recipient, by
        ``delivery`` (else the case's ``[case] delivery``): the same day by fax, email,
        portal or hand; by mail, the mailing-time convention's business days later (the
        rules table; lettergen posts by that many business days before a deadline, and
        counts the same the other way). Rules that give the recipient time "after
        receipt" count from it."""
        if (delivery or self._case.case.delivery or "certified-mail") != "certified-mail":
            return sent
        return deadlines.shift_business_days(sent, get_rule("mailing-time").days)

    @property
    def delivered_on(self) -> dt.date:
        """The day this letter, dated ``[case] date``, is expected to arrive."""
        return self.delivered(self._case.today)

    def enclosures_for(self, recipient: str, like: str | None = None) -> list[Any]:
        """The case's ``[[enclosures]]`` meant for ``recipient`` (a template's ``to``):
        those whose ``for`` names it, or, without ``for``, by kind: medical documents
        only to the insurer, the regulator, the clinician and the QIO; the plan's denial
        (which names the diagnosis) to anyone but a collector, a credit bureau or the
        plan administrator; the rest to everyone, except that the plan administrator (the
        employer's benefits office) gets no paper about the care: no denial, EOB or bill.
        Nobody gets a chart note or a clinician's letter, and no collector a denial,
        unless the case says so.

        ``like`` (a template's ``enclosures_as``): a letter that tells an agency about a
        collector or a bureau carries only what that collector or bureau may see, and
        what the case names for ``recipient`` itself; no chart notes reach the CFPB
        because a complaint about a collection went there."""
        from lettergen.case.casefields import MEDICAL_RECIPIENTS

        if like and like != recipient:
            shown = self.enclosures_for(like)
            return shown + [e for e in self.enclosures_for(recipient)
                            if getattr(e, "for") and e not in shown]

        chosen = []
        for enclosure in self._case.enclosures:
            meant = getattr(enclosure, "for")
            if meant:
                if recipient in meant:
                    chosen.append(enclosure)
            elif _medical(enclosure):
                if recipient in MEDICAL_RECIPIENTS:
                    chosen.append(enclosure)
            elif recipient == "administrator":
                if enclosure_kind(enclosure) not in ("denial", "eob", "bill"):
                    chosen.append(enclosure)
            elif not (_denial(enclosure) and recipient in ("collector", "bureau")):
                chosen.append(enclosure)
        return chosen

    def enclosed(self, recipient: str, *kinds: str) -> list[Any]:
        """The enclosures meant for ``recipient`` whose kind is one of ``kinds`` (their
        ``kind``, else as their title reads: ``enclosure_kind``), so that a letter names a
        clinician's letter or the records as evidence only when they go with it."""
        return [e for e in self.enclosures_for(recipient) if enclosure_kind(e) in kinds]

    # --- the rule in the plan type's own agency's text -------------------------------------

    @property
    def nsa_emergency_rule(self) -> str:
        """The No Surprises Act's emergency-services rule for plans, in the version that
        binds this plan (45 CFR 149.110, 29 CFR 2590.716-4, 26 CFR 54.9816-4T or 5 CFR
        890.114(a)), or "" where the Act does not reach the plan."""
        return first_rule(NSA_EMERGENCY_PLAN_RULES, self._case)

    # --- billing corrections, refunds and surprise bills (provider letters) --------------

    @property
    def eob_figures(self) -> bool:
        """The plan has processed the claim: the case has an EOB figure (allowed, plan
        paid, patient responsibility or EOB date) on the claim or on any line."""
        claim = self._case.claim
        return any(v is not None for v in (claim.allowed, claim.plan_paid,
                                           claim.patient_responsibility, claim.eob_date)) \
            or any(c.allowed is not None for c in self._case.charges)

    @property
    def never_submitted(self) -> bool:
        """Insured care, not paid as self-pay, with no sign that the plan processed it:
        no EOB figure and no denial."""
        return self.insured and not self.self_pay and not self._case.denial \
            and not self.eob_figures

    @property
    def bill_above_eob(self) -> Decimal | None:
        """How much an in-network provider has charged the patient above the EOB's
        patient responsibility: what was charged in all (``balance.paid`` + ``balance.
        amount_due``) less ``claim.patient_responsibility``. None when it is not above it
        or a figure is missing."""
        charged, share = self.charged_to_patient, self._case.claim.patient_responsibility
        if self._case.provider.in_network is not True or charged is None or share is None:
            return None
        return charged - share if charged > share else None

    @property
    def charged_to_patient(self) -> Decimal | None:
        """What the provider has charged the patient in all: paid so far plus the
        balance due (None without a balance)."""
        due = self._case.balance.amount_due
        if due is None:
            return None
        return due + (self.paid or due - due)

    @property
    def eob_balance(self) -> Decimal | None:
        """The EOB's patient responsibility less what the patient has paid, not below
        zero: the most the balance can correctly be."""
        share = self._case.claim.patient_responsibility
        if share is None:
            return None
        rest = share - (self.paid or Decimal("0.00"))
        return rest if rest > 0 else rest - rest  # zero, of the same kind (a blank stays blank)

    @cached_property
    def wrong_code_charges(self) -> list[Any]:
        return [c for c in self.disputed_charges if c.dispute == "wrong-code"]

    @property
    def late_filing_billed(self) -> bool:
        """An in-network provider bills the patient for a claim the plan denied because
        the provider filed it late."""
        return self.insured and self._case.denial.reason == "timely-filing" \
            and self._case.provider.in_network is True

    @property
    def prior_auth_billed(self) -> bool:
        """An in-network provider bills the patient for a claim the plan denied because
        no prior authorization was obtained: obtaining it was the provider's task."""
        due = self.amount_due
        return self.insured and self._case.denial.reason == "prior-authorization" \
            and self._case.provider.in_network is True and due is not None and due > 0

    @property
    def no_abn_billed(self) -> bool:
        """Original Medicare denied the care as not reasonable and necessary, the provider
        gave no Advance Beneficiary Notice (``provider.abn_signed = false``), and it bills
        the patient: Medicare's limitation on liability."""
        due = self.amount_due
        return self.medicare and self._case.denial.reason == "medical-necessity" \
            and self._case.provider.abn_signed is False and due is not None and due > 0

    @property
    def qmb_billed(self) -> bool:
        """A Qualified Medicare Beneficiary (``insurer.qmb``) on Original Medicare or
        Medicare Advantage is billed a balance."""
        due = self.amount_due
        return (self.medicare or self.medicare_advantage) and self._case.insurer.qmb is True \
            and due is not None and due > 0

    @property
    def medicaid_balance_billed(self) -> bool:
        """A provider that takes part in Medicaid (``provider.in_network``) bills a
        Medicaid patient."""
        due = self.amount_due
        return self.medicaid_any and self._case.provider.in_network is True \
            and due is not None and due > 0

    @property
    def billing_errors(self) -> list[str]:
        """The billing errors this case shows, in the order a letter names them:
        never-submitted, above-eob, wrong-code, late-filing, prior-auth, no-abn, qmb,
        medicaid. When the balance must go (no-abn, qmb), cutting it to the EOB's patient
        responsibility (above-eob) is not the fix, so above-eob is left out."""
        remove = self.no_abn_billed or self.qmb_billed
        found = [("never-submitted", self.never_submitted),
                 ("above-eob", self.bill_above_eob is not None and not remove),
                 ("wrong-code", bool(self.wrong_code_charges)),
                 ("late-filing", self.late_filing_billed),
                 ("prior-auth", self.prior_auth_billed),
                 ("no-abn", self.no_abn_billed),
                 ("qmb", self.qmb_billed),
                 ("medicaid", self.medicaid_balance_billed)]
        return [name for name, present in found if present]

    @property
    def refund(self) -> dict[str, Any] | None:
        """The overpayment the case shows, or None: ``reason`` ("settlement", "eob" or
        "total"), ``paid``, ``owed`` (what the patient owed), ``amount`` (paid -
        owed) and, for "total", ``received`` (the patient's and the plan's payments).
        A settlement governs unless the EOB is dated after it. The EOB's patient
        responsibility is what is owed to an in-network provider or one the
        No Surprises Act binds; an out-of-network provider may bill the rest of its
        charge, so there the patient owed the billed total less the plan's payment."""
        paid, claim, agreed = self.paid, self._case.claim, self._case.offer.agreed
        if not paid:
            return None
        settled = bool(agreed) and agreed.amount is not None
        if settled and paid > agreed.amount:
            return {"reason": "settlement", "paid": paid, "owed": agreed.amount,
                    "amount": paid - agreed.amount}
        if settled and not (claim.eob_date and agreed.date and claim.eob_date > agreed.date):
            return None
        share = claim.patient_responsibility
        if share is not None and (self._case.provider.in_network is True or self.nsa_protected):
            if paid > share:
                return {"reason": "eob", "paid": paid, "owed": share, "amount": paid - share}
            return None
        billed = self.billed_total
        if claim.plan_paid and billed is not None and paid + claim.plan_paid > billed:
            owed = billed - claim.plan_paid
            return {"reason": "total", "paid": paid, "owed": owed, "amount": paid - owed,
                    "received": paid + claim.plan_paid}
        return None

    @property
    def nsa_cost_sharing(self) -> Decimal | None:
        """The EOB's patient responsibility when the plan processed the claim with a
        payment and no denial: the cost-sharing the plan determined. None when the
        plan has not (or not yet) set it."""
        claim = self._case.claim
        if claim.patient_responsibility is None or not claim.plan_paid or self._case.denial:
            return None
        return claim.patient_responsibility

    @property
    def balance_billed(self) -> Decimal | None:
        """The balance above the plan's cost-sharing determination; None when that
        determination or the balance is unknown."""
        share, due = self.nsa_cost_sharing, self.amount_due
        if share is None or due is None:
            return None
        return due - share

    @property
    def gfe_excess(self) -> Decimal | None:
        """This provider's billed total less its good faith estimate."""
        estimate, billed = self._case.claim.good_faith_estimate, self.billed_total
        if estimate is None or billed is None:
            return None
        return billed - estimate

    @property
    def ppdr_threshold(self) -> Decimal:
        """How far above the estimate a bill must be for PPDR (the rules table)."""
        return Decimal(str(get_rule("nsa-ppdr-threshold").extra["amount"]))

    @property
    def ppdr_fee(self) -> Decimal:
        """The PPDR administrative fee (the rules table)."""
        return Decimal(str(get_rule("nsa-ppdr-fee").extra["amount"]))

    @property
    def ppdr_rule_id(self) -> str:
        """The PPDR rule: one rule, scoped to uninsured and self-pay patients alike."""
        return "nsa-ppdr"

    @property
    def ppdr_start(self) -> dt.date | None:
        """The first bill's date (``claim.first_bill_date``, else the first statement):
        the PPDR window counts from receiving it, so its printed date is the safe start."""
        return self._case.claim.first_bill_date or self._case.balance.first_statement_date

    # --- insurer letters: records, reprocessing, network gaps, clinicians -----------------

    @cached_property
    def charge_record_kinds(self) -> frozenset[str]:
        """What the billed lines show, to name the records behind them: "pharmacy"
        (revenue codes 025x, 063x; NDC lines; HCPCS J codes), "operating-room" (revenue
        code 036x; surgery CPT 10004-69990), "anesthesia" (revenue code 037x; anesthesia
        CPT 00100-01999), "imaging" (revenue codes 032x-035x, 040x, 061x; radiology CPT
        70010-79999) and "lab" (revenue codes 030x-031x; CPT 80047-89398)."""
        kinds: set[str] = set()
        for charge in self._case.charges:
            code = (charge.code or "").strip().upper()
            kind = charge.code_type
            if kind == "NDC" or (kind == "HCPCS" and code.startswith("J")):
                kinds.add("pharmacy")
            elif kind == "REV" and code.isdigit():
                group = code.zfill(4)[:3]
                kinds |= {k for k, groups in (
                    ("pharmacy", ("025", "063")), ("operating-room", ("036",)),
                    ("anesthesia", ("037",)), ("imaging", ("032", "033", "034", "035", "040",
                                                           "061")),
                    ("lab", ("030", "031"))) if group in groups}
            elif kind == "CPT" and code.isdigit() and len(code) == 5:
                n = int(code)
                if 100 <= n <= 1999:
                    kinds.add("anesthesia")
                elif 10004 <= n <= 69990:
                    kinds.add("operating-room")
                elif 70010 <= n <= 79999:
                    kinds.add("imaging")
                elif 80047 <= n <= 89398:
                    kinds.add("lab")
        return frozenset(kinds)

    @property
    def preventive_modifier(self) -> bool:
        """A billed line carries CPT modifier 33 (a preventive service)."""
        return any("33" in (c.modifiers or ()) for c in self._case.charges)

    @property
    def preventive_charged(self) -> bool:
        """Preventive care processed as diagnostic: the denial says so, or a line billed
        with modifier 33 left the patient a share to pay."""
        share = self._case.claim.patient_responsibility
        return self._case.denial.reason == "preventive-as-diagnostic" or (
            self.preventive_modifier and share is not None and share > 0)

    @property
    def deductible_reached(self) -> bool:
        """The plan year's deductible is met (``insurer.deductible_met`` at least
        ``insurer.deductible``, a deductible above zero)."""
        insurer = self._case.insurer
        return bool(insurer.deductible) and insurer.deductible_met is not None \
            and insurer.deductible_met >= insurer.deductible

    @property
    def out_of_pocket_reached(self) -> bool:
        """The plan year's out-of-pocket maximum is met (``out_of_pocket_met`` at least
        ``out_of_pocket_max``, a maximum above zero)."""
        insurer = self._case.insurer
        return bool(insurer.out_of_pocket_max) and insurer.out_of_pocket_met is not None \
            and insurer.out_of_pocket_met >= insurer.out_of_pocket_max

    @property
    def reprocessing_errors(self) -> list[str]:
        """The processing errors a reprocessing request can name from the case, in the
        order the letter names them: "network" (an in-network provider processed as
        out-of-network), "emergency" (emergency care the No Surprises Act covers, denied
        as out-of-network or for lack of prior authorization), "protected-clinician" (an
        out-of-network clinician at an in-network facility, without valid consent,
        processed as out-of-network), "preventive" (preventive care from an in-network
        provider charged as diagnostic), "out-of-pocket" (a share charged after the
        out-of-pocket maximum was met, for in-network or protected care), "deductible"
        (a share charged after the deductible was met; left out when the out-of-pocket
        maximum is), "coordination-of-benefits" (denied because another plan may pay
        first). Nothing for the uninsured or care paid as self-pay."""
        if not self.insured or self.self_pay:
            return []
        reason = self._case.denial.reason
        in_network = self._case.provider.in_network is True
        share = self._case.claim.patient_responsibility
        charged = share is not None and share > 0
        oop = charged and self.out_of_pocket_reached and self.plan_type != "medicare" \
            and (in_network or self.nsa_protected)
        found = [
            ("network", in_network and reason == "out-of-network"
             and self.plan_type != "medicare"),
            ("emergency", self.nsa_emergency
             and reason in ("out-of-network", "prior-authorization")),
            ("protected-clinician", self.nsa_protected_clinician and reason == "out-of-network"),
            ("preventive", self.preventive_charged and in_network),
            ("out-of-pocket", oop),
            ("deductible", charged and self.deductible_reached and not oop),
            ("coordination-of-benefits", reason == "coordination-of-benefits"),
        ]
        return [name for name, present in found if present]

    @property
    def network_gap_reasons(self) -> list[str]:
        """Why no in-network provider was used, as far as the case says: "emergency",
        "not-chosen" (``provider.chosen_by_patient = false``), "facility-in-network"
        (the care was given at an in-network facility named in the case)."""
        provider = self._case.provider
        found = [("emergency", self.emergency),
                 ("not-chosen", self.not_chosen),
                 ("facility-in-network", bool(provider.facility)
                  and provider.facility_in_network is True)]
        return [name for name, present in found if present]

    @property
    def review_deadline(self) -> Any:
        """The deadline of the next review the patient asks for: the appeal's, or, after
        the final internal denial, the external review request's (the stage's clock), so
        that a clinician's letter is asked for in time for whichever goes next; None
        while a filed appeal awaits its decision."""
        stage = self.stage
        if stage is not None and stage.kind == "external-review":
            return stage.clock
        if stage is not None and stage.kind == "decision":  # the appeal is in: no deadline
            return None
        return self.appeal_deadline

    @property
    def clinician_letter_by(self) -> dt.date:
        """The date to ask the treating clinician for a letter of medical necessity:
        ``clinician-lead-time`` before the appeal's mail-by date (on a business day),
        or the ``reply-standard`` date when that is earlier or there is no appeal clock.
        When the lead time no longer fits (``clinician_letter_rushed``): the business
        day halfway to the mail-by date, or the deadline itself once the mail-by date
        has passed."""
        today = self._case.today
        standard = self.reply_by("reply-standard", today)
        clock = self.review_deadline
        if clock is None or clock.due < today:
            return standard
        early = deadlines.previous_business_day(
            clock.mail_by - dt.timedelta(days=get_rule("clinician-lead-time").days))
        if early > today:
            return min(standard, early)
        if clock.mail_by <= today:
            return clock.due
        halfway = today + dt.timedelta(days=max(1, (clock.mail_by - today).days // 2))
        return min(deadlines.next_business_day(halfway), clock.mail_by)

    @property
    def clinician_letter_rushed(self) -> bool:
        """The appeal must be mailed so soon that the usual lead time for the
        clinician's letter no longer fits."""
        clock = self.review_deadline
        if clock is None or clock.due < self._case.today:
            return False
        early = clock.mail_by - dt.timedelta(days=get_rule("clinician-lead-time").days)
        return deadlines.previous_business_day(early) <= self._case.today

    # --- Medicare fast-track appeals (medicare-fast-track-appeal) ------------------------

    @cached_property
    def fast_track_deadline(self) -> Any:
        """The deadline to ask the QIO for a fast-track appeal (a ``Clock``), or None
        when the case has no Medicare notice that care is ending: the same computation
        as check's and the timeline's (lettergen.analysis.clocks.fast_track_clock)."""
        from lettergen.analysis.clocks import fast_track_clock

        return fast_track_clock(self._case)

    @property
    def fast_track_rules(self) -> dict[str, str]:
        """The rules-table ids a fast-track appeal letter cites for this case's notice and
        plan: ``request``, ``coverage``, ``detailed_notice`` and ``late`` ("" when no rule
        of that kind is verified or corroborated)."""
        denial, plan = self._case.denial, self.plan_type
        hospital = denial.notice == "important-message"
        ma = plan == "medicare-advantage"
        ids = {
            "request": ("ma-hospital-request" if ma else "qio-hospital-request") if hospital
            else ("ma-fast-track-request" if ma else "qio-nomnc-request"),
            "coverage": ("ma-hospital-liability" if ma else "qio-hospital-liability")
            if hospital else ("ma-fast-track-coverage" if ma else "qio-nomnc-coverage"),
            "detailed_notice": ("ma-hospital-detailed-notice" if ma else
                                "qio-hospital-liability") if hospital
            else ("ma-fast-track-detailed-notice" if ma else "qio-nomnc-detailed-notice"),
            "late": ("ma-hospital-late" if ma else "qio-hospital-late") if hospital
            else ("ma-fast-track-late" if ma else "qio-nomnc-late"),
        }
        return {k: v if get_rule(v).law_grade else "" for k, v in ids.items()}

    @property
    def fast_track_urgent(self) -> bool:
        """The fast-track deadline is today or tomorrow: call the QIO as well as fax."""
        clock = self.fast_track_deadline
        return clock is not None and 0 <= (clock.due - self._case.today).days <= 1

    @property
    def care_ending(self) -> bool:
        """A Medicare notice says covered care is ending ([denial] notice, Original
        Medicare or Medicare Advantage): the QIO's fast-track appeal, not an ordinary
        appeal of a claim, is the next step."""
        return bool(self._case.denial.notice) and self.plan_type in (
            "medicare", "medicare-advantage")

    @property
    def care_ending_unnamed(self) -> bool:
        """Medicare care that [denial] says ends (services_end) with no notice named: the
        patient may hold a Notice of Medicare Non-Coverage, or an Important Message from
        Medicare, without knowing that it opens a fast-track appeal due within a day. The
        case cannot say which notice, so nothing is counted; check says what to look for."""
        denial = self._case.denial
        return (not denial.notice and denial.services_end is not None
                and self.plan_type in ("medicare", "medicare-advantage")
                and not denial.appeal_filed)


_MEDICAL_WORDS = ("medical record", "records", "chart", "notes", "medical necessity",
                  "test result", "lab result", "imaging", "mri", "x-ray", "operative report",
                  "discharge summary", "letter from dr", "physician's letter",
                  "doctor's letter", "clinician's letter", "therapy")


def _medical(enclosure: Any) -> bool:
    """A medical document: its ``kind`` says so, or, without one, its title names
    records, notes, results or medical necessity."""
    if enclosure.kind:
        return enclosure.kind in ("medical-records", "medical-necessity-letter")
    title = (enclosure.title or "").lower()
    return any(word in title for word in _MEDICAL_WORDS)


_LETTER_WORDS = ("medical necessity", "letter from dr", "physician's letter", "doctor's letter",
                 "clinician's letter")


def enclosure_kind(enclosure: Any) -> str:
    """The enclosure's ``kind``, or, without one, the kind its title names: a
    clinician's letter, medical records, a denial, an Explanation of Benefits, or
    "other"."""
    if enclosure.kind:
        return str(enclosure.kind)
    title = (enclosure.title or "").lower()
    if any(word in title for word in _LETTER_WORDS):
        return "medical-necessity-letter"
    if _medical(enclosure):
        return "medical-records"
    if _denial(enclosure):
        return "denial"
    if "explanation of benefits" in title:
        return "eob"
    return "other"


def _denial(enclosure: Any) -> bool:
    if enclosure.kind:
        return enclosure.kind == "denial"
    title = (enclosure.title or "").lower()
    return "denial" in title or "adverse benefit determination" in title
