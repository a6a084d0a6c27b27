"""What the patient is waiting for: each letter sent, the answer it asked for, by when.

The other side has deadlines too: a plan must decide an appeal, a hospital must send
records, a credit bureau must finish its reinvestigation, a plan administrator must
mail the plan documents. Each letter the ``[[contacts]]`` log records as sent starts
the recipient's clock from the rules table, counted from the day the letter reached
them (``received``, else the day it should have arrived by how it was sent). This
module is the one computation behind ``check``'s "Waiting on them", the findings, the
timeline's "answer due" events, the plan's next step and the follow-up letters.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from lettergen.case.casefields import TABLES_BY_NAME
from lettergen.case.casefile import Record
from lettergen.case.money import format_money
from lettergen.rules import deadlines
from lettergen.rules.table import LAW_GRADE, Rule, get_rule
from lettergen.template_types import template_value

# The reply rule of each built-in letter that names one in its front matter (a
# template without one asks for its answer by "reply-standard"). Declared here because
# the analysis comes before the letters; tests/test_waiting.py keeps it equal to the
# templates' own front matter.
REPLY_RULES = {
    "billing-hold-request": "reply-short", "call-confirmation": "reply-short",
    "claim-file-request": "hipaa-access", "credit-report-dispute": "fcra-reinvestigation",
    "deemed-exhaustion-notice": "reply-short",
    "external-review-request": "reply-short", "final-offer": "reply-offer",
    "financial-assistance-request": "reply-short", "follow-up": "reply-short",
    "internal-appeal": "reply-short", "itemized-bill-request": "hipaa-access",
    "medicare-fast-track-appeal": "reply-short",
    "plan-documents-request": "erisa-document-penalty", "records-request": "hipaa-access",
    "representative-authorization": "reply-short", "settlement-confirmation": "reply-short",
    "settlement-offer": "reply-offer",
}
DEFAULT_REPLY_RULE = "reply-standard"

# Letters whose answer a rule of the law (or lettergen's own convention for a letter
# the law gives no date) sets, whatever the template asks for in its own text.
ANSWER_RULES = {
    "records-request": "hipaa-access",
    "itemized-bill-request": "hipaa-access",
    "claim-file-request": "hipaa-access",
    "plan-documents-request": "erisa-document-penalty",
    "credit-report-dispute": "fcra-reinvestigation",
    "financial-assistance-request": "reply-fap-decision",
}

WHAT = {
    "internal-appeal": "a decision on your {route}",
    "external-review-request": "the external review decision",
    "records-request": "a copy of your records",
    "itemized-bill-request": "the itemized bill",
    "claim-file-request": "a copy of the claim file",
    "plan-documents-request": "copies of the plan documents",
    "credit-report-dispute": "the results of the credit bureau's reinvestigation",
    "debt-validation": "verification of the debt",
    "financial-assistance-request": "a decision on your financial assistance application",
    "follow-up": "an answer to your follow-up",
}

# How each kind of contact travels: the same day unless it went by mail.
SAME_DAY = ("fax", "portal", "email", "visit")
APPEALS = ("internal-appeal",)
FOLLOW_UP = "follow-up"
DEEMED = "deemed-exhaustion-notice"
COMPLAINT = "regulator-complaint"
# The complaint that follows each kind of late answer, after a follow-up went unanswered.
COMPLAINTS = {"records-request": "records-access-complaint",
              "itemized-bill-request": "records-access-complaint",
              "claim-file-request": "records-access-complaint",
              "credit-report-dispute": "credit-dispute-complaint"}


@template_value
@dataclass(frozen=True)
class Awaited:
    """An answer the patient is waiting for: what a letter they sent asked for, by when."""

    number: int            # 1-based index of the letter's [[contacts]] entry (--contact N);
    #                        0 for an appeal known only from [denial] appeal_filed
    contact: Any           # that [[contacts]] entry
    party: str             # contact.party
    letter: str            # contact.letter: the template id of the letter sent
    what: str              # plain words: "a decision on your internal appeal"
    rule: Rule             # the rule that sets the date (law: V/C; or a practice rule)
    sent: dt.date          # contact.date
    received: dt.date      # contact.received, else the day it should have arrived
    received_assumed: bool  # True when `received` was not given
    due: dt.date | None    # None when no law sets a date (a debt-validation dispute)
    answered: bool         # the case records the answer
    overdue: bool          # not answered, and the answer is late on the case's today
    next_letter: str       # the letter that follows a late answer, "" if none
    next_why: str          # one sentence for the patient
    late_after: dt.date | None = None  # the last day before silence is late: `due`, or
    #                        for a credit dispute `due` plus the 5 business days the bureau
    #                        has to mail its results (15 U.S.C. 1681i(a)(6))
    follow_ups: tuple[int, ...] = ()  # numbers of the follow-ups sent about it since

    @property
    def legal(self) -> bool:
        """A deadline of the law, not a date the letter asked for."""
        return self.rule.status in LAW_GRADE and bool(self.rule.citation)

    @property
    def start(self) -> dt.date:
        """The day the clock starts: the day the letter reached them, except for a
        reply window of lettergen's that counts from the letter's own date."""
        return _start(self.rule, self.sent, self.received)

    @property
    def waiting(self) -> bool:
        """Not answered, not late: the answer may still come in time."""
        return not self.answered and not self.overdue


@template_value
@dataclass(frozen=True)
class CollectionAfterDispute:
    """A collector that kept collecting after the patient disputed the debt in writing,
    before it mailed verification (15 U.S.C. 1692g(b))."""

    dispute: Awaited
    timely: bool           # the dispute reached the collector within the validation period
    period_end: dt.date | None
    collections: tuple[Any, ...]  # the [[contacts]] entries received from the collector


def _start(rule: Rule, sent: dt.date, received: dt.date) -> dt.date:
    """As the letters count their own reply date: from the day the letter arrived,
    unless the rule counts from the letter's date (``from = "letter"``)."""
    return sent if rule.clock is not None and rule.clock.start == "letter" else received


def received_on(case: Any, contact: Any) -> tuple[dt.date, bool]:
    """(the day a letter sent reached its recipient, whether that day is assumed): the
    contact's ``received`` when given; else the same day for a fax, a portal message,
    an email or a visit; else, by mail, the mailing-time convention's business days
    (``Facts.delivered``, as the letters count their own reply dates). A contact that
    does not say how it went is counted as the case sends its letters
    (``[case] delivery``)."""
    from lettergen.analysis.facts import Facts

    if contact.received:
        return contact.received, False
    if contact.kind in SAME_DAY:
        return contact.date, True
    delivery = "certified-mail" if contact.kind == "letter" else None
    return Facts(case).delivered(contact.date, delivery), True


def party_name(case: Any, party: str) -> str:
    """The name of a contact's party as the case gives it, else plain words."""
    names = {"provider": case.provider.name, "insurer": case.insurer.name,
             "collector": case.collector.name, "administrator": case.administrator.name,
             "regulator": case.regulator.name, "clinician": case.clinician.name,
             "bureau": (case.credit_report.bureau or "").capitalize()}
    plain = {"provider": "the provider", "insurer": "the health plan",
             "collector": "the collection agency", "bureau": "the credit bureau",
             "administrator": "the plan administrator", "regulator": "the regulator",
             "clinician": "the clinician"}
    return names.get(party) or plain.get(party, "the other party")


def letters_sent(case: Any) -> list[tuple[int, Any]]:
    """(number, contact) for each letter the log records as sent, in date order, with
    the appeal of ``[denial] appeal_filed`` (number 0) when no entry logs it."""
    sent = [(i, c) for i, c in enumerate(case.contacts, 1)
            if c.letter and c.date and (c.direction or "sent") == "sent" and c.kind != "call"]
    filed = case.denial.appeal_filed if case.denial else None
    if filed and not any(_logs_filed_appeal(case, c) for _, c in sent):
        sent.append((0, _filed_appeal(filed)))
    return sorted(sent, key=lambda item: item[1].date)


SAME_APPEAL = dt.timedelta(days=7)
"""A logged internal appeal within a week of ``[denial] appeal_filed`` is that appeal."""


def _logs_filed_appeal(case: Any, contact: Any) -> bool:
    filed = case.denial.appeal_filed if case.denial else None
    return bool(filed and contact.letter in APPEALS and abs(contact.date - filed) <= SAME_APPEAL)


def filed_appeal(case: Any) -> Awaited | None:
    """The appeal of this denial among the answers awaited (``[denial] appeal_filed``,
    logged in the contacts or not, else the first appeal logged after the denial,
    ``Facts.appeal_sent_on``): the decision clock ``check`` shows, counted once."""
    from lettergen.analysis.facts import Facts

    sent_on = Facts(case).appeal_sent_on
    return next((a for a in awaited_answers(case) if a.letter in APPEALS and (
        a.number == 0 or _logs_filed_appeal(case, a.contact) or a.sent == sent_on)), None)


def reported_overdue(awaited: list[Awaited]) -> list[Awaited]:
    """The late answers to report, one per request: a follow-up is reported with the
    letter it follows (which names the step after it), and a request whose follow-up
    is not yet due waits for that."""
    followed = {n for a in awaited for n in a.follow_ups}
    by_number = {a.number: a for a in awaited}
    out = []
    for a in awaited:
        if not a.overdue or a.number in followed:
            continue
        if a.follow_ups and not by_number[a.follow_ups[-1]].overdue:
            continue
        out.append(a)
    return out


def _filed_appeal(filed: dt.date) -> Record:
    values = {f.name: None for f in TABLES_BY_NAME["contacts"].fields}
    values.update(date=filed, party="insurer", letter="internal-appeal",
                  direction="sent", summary="the appeal given as [denial] appeal_filed")
    return Record("contacts", values)


def awaited_answers(case: Any) -> list[Awaited]:
    """Every letter sent and the answer it waits for, in date order."""
    from lettergen.analysis.facts import Facts

    facts = Facts(case)
    sent = letters_sent(case)
    found = []
    for number, contact in sent:
        item = _awaited(case, facts, number, contact, sent)
        if item is not None:
            found.append(item)
    return found


def _awaited(case: Any, facts: Any, number: int, contact: Any,
             sent: list[tuple[int, Any]]) -> Awaited | None:
    received, assumed = received_on(case, contact)
    letter = contact.letter
    rule_id = _rule_id(case, facts, contact)
    rule = get_rule(rule_id)
    due = late = None
    if rule.clock is not None:
        due = deadlines.deadline(rule, _start(rule, contact.date, received))
        if not rule.law_grade:  # a date the letter asked for, moved off a closed day
            due = deadlines.next_business_day(due)
        late = due
        if letter == "credit-report-dispute":
            due, late = _credit_dates(contact, received, due)
    answered = _answered(case, contact)
    overdue = bool(late and not answered and late < case.today)
    later = tuple(n for n, c in sent if c.letter == FOLLOW_UP and c.party == contact.party
                  and c.date > contact.date and n != number)
    next_letter, why = _next_step(case, facts, contact, sent, later, overdue)
    what = WHAT.get(letter, "an answer to your {title}").format(
        route=facts.appeal_route.name or "appeal", title=letter.replace("-", " "))
    return Awaited(number, contact, contact.party or "", letter, what, rule, contact.date,
                   received, assumed, due, answered, overdue, next_letter, why, late, later)


def _rule_id(case: Any, facts: Any, contact: Any) -> str:
    letter = contact.letter
    if letter in APPEALS:
        return decision_rule(facts, case, contact.date) or REPLY_RULES[letter]
    if letter == "external-review-request":
        base = "external-review-expedited" if facts.expedited else "external-review-decision"
        return base + ("-dol" if facts.erisa else "")
    if letter == "debt-validation":
        return "fdcpa-dispute-freeze"
    return ANSWER_RULES.get(letter) or REPLY_RULES.get(letter, DEFAULT_REPLY_RULE)


def decision_rule(facts: Any, case: Any, sent: dt.date) -> str:
    """The rule for the plan's decision on an appeal sent on ``sent``, as the appeal
    letter asks for it: by the appeal route, urgent or pre-service, level."""
    kind = facts.appeal_route.kind
    level = case.denial.level or 1
    urgent = facts.expedited
    service = case.claim.service_date
    pre = service is not None and service > sent
    if kind in ("erisa-aca", "erisa"):
        if urgent:
            return "erisa-decision-urgent"
        base = "erisa-decision-pre-service" if pre else "erisa-decision-post-service"
        return base + ("-two-levels" if level >= 2 else "")
    if kind == "aca":
        return "aca-decision-urgent" if urgent else (
            "aca-decision-pre-service" if pre else "aca-decision-post-service")
    if kind == "ma-reconsideration":
        return "ma-decision-expedited" if urgent else (
            "ma-decision-pre-service" if pre else "ma-decision-payment")
    rules = facts.appeal_route.decision_rules
    return rules[0] if rules else ""


def _credit_dates(contact: Any, received: dt.date, due: dt.date) -> tuple[dt.date, dt.date]:
    """The reinvestigation's last day (15 more days when the patient sent more
    information within the 30, 1681i(a)(1)(B)), and the last day the bureau may mail
    its results (5 business days later, 1681i(a)(6))."""
    added = contact.added_information
    if added and received <= added <= due:
        due = deadlines.deadline(get_rule("fcra-reinvestigation-extension"), due)
    days = int(get_rule("fcra-results-notice").extra.get("business_days", 5))
    return due, deadlines.shift_business_days(due, days)


def _answered(case: Any, contact: Any) -> bool:
    """The case records the answer: ``answered = true``; for an appeal to the plan, a
    ``[denial]`` dated after it was sent (its decision); for a debt dispute, the
    collector's verification."""
    if contact.answered:
        return True
    if contact.letter in APPEALS and contact.party in ("insurer", None):
        return _decided(case, contact)
    if contact.letter == "debt-validation":
        verified = case.collector.verified
        return bool(verified and verified >= contact.date)
    return False


def _decided(case: Any, contact: Any) -> bool:
    """An appeal is answered by a decision: a [denial] dated after the appeal was sent."""
    denial_date = case.denial.date if case.denial else None
    return denial_date is not None and denial_date > contact.date


def _next_step(case: Any, facts: Any, contact: Any, sent: list[tuple[int, Any]],
               follow_ups: tuple[int, ...], overdue: bool) -> tuple[str, str]:
    """The letter that follows a late answer, and why, in one sentence."""
    letter = contact.letter
    if letter == "debt-validation":
        return "", ("the law sets no date for verification, but the collector must stop "
                    "collecting until it mails it")
    if letter in APPEALS:
        return _after_late_decision(facts, contact, sent, overdue)
    if letter == FOLLOW_UP:
        original = _original(contact, sent)
        if not overdue:
            return "", ""
        return _escalation(original.letter if original is not None else "")
    if follow_ups:
        numbers = {n: c for n, c in sent}
        last = numbers[follow_ups[-1]]
        late = _follow_up_late(case, last)
        if not late:
            return "", f"you followed up on {last.date:%B} {last.date.day}, {last.date.year}: " \
                "wait for that answer"
        return _escalation(letter)
    if not overdue:
        return "", ""
    return FOLLOW_UP, "the answer is late: write once more, restating the request and the " \
        "deadline, before you complain"


def _original(follow_up: Any, sent: list[tuple[int, Any]]) -> Any:
    """The letter a follow-up follows: the latest other letter to the same party
    before it."""
    before = [c for _, c in sent if c.party == follow_up.party and c.letter != FOLLOW_UP
              and c.date < follow_up.date]
    return before[-1] if before else None


def _follow_up_late(case: Any, follow_up: Any) -> bool:
    received, _ = received_on(case, follow_up)
    rule = get_rule(REPLY_RULES[FOLLOW_UP])
    due = deadlines.next_business_day(deadlines.deadline(rule, received))
    return not follow_up.answered and due < case.today


def _escalation(letter: str) -> tuple[str, str]:
    if letter in ("records-request", "itemized-bill-request", "claim-file-request"):
        return COMPLAINTS[letter], ("the records are still not sent after your follow-up: complain "
                           "to the HHS Office for Civil Rights, within 180 days of when you "
                           "knew")
    if letter == "credit-report-dispute":
        return COMPLAINTS[letter], ("the bureau has not finished its reinvestigation after your "
                           "follow-up: complain to the Consumer Financial Protection Bureau")
    if letter == "plan-documents-request":
        penalty = get_rule("erisa-document-penalty-amount")
        return "", ("the administrator has not mailed the plan documents after your "
                    "follow-up: a court may, in its discretion, award up to "
                    f"{format_money(Decimal(penalty.extra['amount']))} a day for each day "
                    f"since the 30 days ran out ({penalty.citation}, under 29 U.S.C. "
                    "1132(c)(1)); talk to a lawyer")
    return COMPLAINT, "there is still no answer after your follow-up: complain to the " \
        "regulator"


def _after_late_decision(facts: Any, contact: Any, sent: list[tuple[int, Any]],
                         overdue: bool) -> tuple[str, str]:
    """After an appeal decision is late: deemed exhaustion where the rule reaches the
    plan (ERISA, non-grandfathered ACA plans, Medicare Advantage's forwarding,
    Medicaid managed care's fair hearing), else a follow-up; once the notice is sent,
    external review."""
    noticed = any(c.letter == DEEMED and c.date > contact.date for _, c in sent)
    plan = facts.plan_type
    if noticed:
        if facts.aca:
            return "external-review-request", ("the plan missed its decision deadline and "
                                               "you told it so: ask for external review now")
        if facts.erisa:  # grandfathered: no external review, but ERISA's civil action
            return "", ("the plan missed its decision deadline and you told it so: you may "
                        "bring a civil action under ERISA §502(a); talk to a lawyer")
        if plan == "medicare-advantage":
            return "", ("the plan must forward your case to the Independent Review Entity; "
                        "wait for its decision")
        if plan == "medicaid-managed-care":
            return "", ("ask the state for a fair hearing: set [denial] level = 2 and build "
                        "the internal-appeal letter")
        return "", ""
    if not overdue:
        return "", ""
    if facts.erisa or facts.aca:
        return DEEMED, ("the plan missed its decision deadline: tell it you treat its "
                        "appeals as exhausted and go to external review")
    if plan == "medicare-advantage":
        return DEEMED, ("the plan missed its decision deadline: ask it to confirm it sent "
                        "your case to the Independent Review Entity, as the rules require")
    if plan == "medicaid-managed-care":
        return DEEMED, ("the plan missed its decision deadline: you may ask the state for a "
                        "fair hearing without waiting")
    if plan == "medicare" and (facts._case.denial.level or 1) >= 2:
        return FOLLOW_UP, ("the Qualified Independent Contractor missed its 60 days: you may "
                           "ask it in writing to escalate the appeal to an Administrative Law "
                           "Judge; it then has 5 more days to decide (42 CFR 405.1002(b))")
    return FOLLOW_UP, "the decision is late: write once more and ask for it"


def collection_after_dispute(case: Any) -> CollectionAfterDispute | None:
    """A debt-validation letter sent within the validation period, no verification
    before the collector's later contact, and a collection letter or call received
    from the collector after the dispute reached it."""
    disputes = [a for a in awaited_answers(case) if a.letter == "debt-validation"]
    if not disputes:
        return None
    dispute = disputes[0]
    end = validation_period_end(case)
    timely = end is not None and dispute.received <= end
    verified = case.collector.verified
    collections = tuple(
        c for c in case.contacts
        if c.party == "collector" and c.direction == "received" and c.date
        and c.date > dispute.received and not (verified and verified <= c.date))
    if not collections:
        return None
    return CollectionAfterDispute(dispute, timely, end, collections)


def validation_period_end(case: Any) -> dt.date | None:
    """The validation period's last day: the date printed on the collector's notice,
    else 30 days from the day the notice arrived (12 CFR 1006.34(b)(5))."""
    collector = case.collector
    if collector.validation_end:
        return collector.validation_end
    if collector.notice_date:
        return deadlines.deadline(get_rule("regf-validation-period"), collector.notice_date)
    return None
