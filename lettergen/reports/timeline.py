"""``timeline``: the clocks and the contact log in date order, for one case or many.

For one case it is that case's calendar; for many it is an advocate's caseload view:
what is overdue, what is due this week, and what comes later, across every file.
``--ics`` writes the same events as an iCalendar file with a reminder each. Events
carry the patient's initials, the kind of deadline, the rule and the mail-by date only:
calendars sync to other people's servers, so no name, file name, diagnosis, code or
amount goes into them.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass
from typing import Any

from lettergen.analysis.clocks import case_clocks, send_advice
from lettergen.case.money import format_date, format_days
from lettergen.errors import LettergenError

WEEK = 7


@dataclass(frozen=True)
class Event:
    """One dated item of a timeline."""

    date: dt.date
    case: Any
    what: str
    mail_by: dt.date | None = None
    citation: str = ""
    kind: str = "deadline"  # deadline | decision | event | contact | runs-out | answer-due
    calendar_what: str = ""  # the words for a calendar title, when `what` has details
    clock: Any = None  # the clock of a deadline, for how to meet it

    @property
    def label(self) -> str:
        """A calendar title: initials and the kind of deadline, nothing more."""
        return f"{initials(self.case.patient.name)}: {self.calendar_what or self.what}"


def initials(name: str) -> str:
    parts = [p for p in name.replace(".", " ").split() if p[:1].isalpha()]
    return ".".join(p[0].upper() for p in parts) + "." if parts else "Case"


def case_events(case: Any) -> list[Event]:
    events = [Event(c.due, case, name, c.mail_by if c.by_mail else None,
                    c.rule.citation if c.rule.law_grade else "",
                    "deadline" if c.acts else c.kind, clock=c)
              for name, c in case_clocks(case)]
    for contact in case.contacts:
        if contact.date:
            ref = f" ({contact.reference})" if contact.reference else ""
            if contact.kind == "letter":
                what = f"letter to the {contact.party or 'recipient'}" + (
                    f": {contact.letter}" if contact.letter else "")
            else:
                who = contact.representative or contact.party or "contact"
                what = (f"{contact.kind or 'contact'} with {contact.party or 'someone'}: "
                        f"{who}")
            events.append(Event(contact.date, case, what + ref, kind="contact"))
        if contact.until:
            party = contact.party or "contact"
            agreed = f" on {format_date(contact.date)}" if contact.date else ""
            events.append(Event(contact.until, case, f"what the {party} agreed{agreed} runs out",
                                kind="runs-out", calendar_what=f"what the {party} agreed "
                                "runs out"))
    return events + _answers_due(case)


def _answers_due(case: Any) -> list[Event]:
    """An "answer due" event for each letter the contact log says was sent and not yet
    answered, on the date its answer is due (lettergen.analysis.waiting: the rule's
    deadline counted from the day the letter reached them, or the date the letter asked
    for). The appeal of this denial is left out when its decision is already a clock
    (``clocks.decision_clock``), and a debt dispute has no date."""
    from lettergen.analysis.waiting import awaited_answers, filed_appeal

    filed = filed_appeal(case)
    events = []
    for a in awaited_answers(case):
        if a.answered or a.due is None or (filed is not None and a.number == filed.number
                                           and _decision_clock_shown(case)):
            continue
        party = a.party or "recipient"
        events.append(Event(
            a.due, case, f"answer due from the {party} to the {_title(a.letter)} sent "
            f"{format_date(a.sent)}", citation=a.rule.citation if a.legal else "",
            kind="answer-due", calendar_what=f"answer due from the {party}"))
    return events


def _decision_clock_shown(case: Any) -> bool:
    return any(name.startswith("decision on your") for name, _ in case_clocks(case))


def _title(letter: str) -> str:
    """A built-in letter's title in lower case ("itemized bill request"), else its id."""
    from lettergen.letters.templates import find_template
    from lettergen.packs.folder import builtin_pack

    try:
        return find_template(letter, (builtin_pack(),)).title.lower()
    except LettergenError:
        return letter.replace("-", " ")


def timeline(cases: list[Any]) -> list[Event]:
    return sorted((e for case in cases for e in case_events(case)),
                  key=lambda e: (e.date, e.kind != "deadline", e.case.stem))


def timeline_text(cases: list[Any], today: dt.date) -> str:
    events = timeline(cases)
    if not events:
        return "No deadlines or contacts in these case files."
    many = len(cases) > 1
    groups: dict[str, list[Event]] = {"Overdue": [], "Due this week": [], "Later": [],
                                      "Past contacts": []}
    for e in events:
        if e.kind == "contact":
            groups["Past contacts" if e.date <= today else "Later"].append(e)
        elif e.kind == "answer-due" and e.date < today:
            groups["Overdue"].append(e)  # no answer came: time to follow up
        elif e.date < today and e.kind == "event":
            continue  # a date that has passed and asked nothing of the patient
        elif e.date < today:
            groups["Overdue"].append(e)
        elif (e.date - today).days <= WEEK:
            groups["Due this week"].append(e)
        else:
            groups["Later"].append(e)
    out = [f"Today: {format_date(today)}"]
    upcoming = [e for e in events if e.date >= today and e.kind != "contact"]
    if upcoming:
        nxt = upcoming[0]
        out.append(f"Next: {format_date(nxt.date)}, {nxt.what}"
                   + (f" ({nxt.case.stem})" if many else ""))
    for heading, items in groups.items():
        if not items:
            continue
        out += ["", heading]
        for e in items:
            left = (e.date - today).days
            when = "" if e.kind in ("contact", "event") else (
                f"{format_days(left)} left" if left >= 0 else f"{format_days(-left)} overdue")
            where = f"{e.case.stem}: " if many else ""
            acts = e.clock is not None and e.clock.acts
            mail = f"; {send_advice(e.clock, today)}" if acts and left >= 0 else ""
            out.append(f"  {format_date(e.date):>18}  {where}{e.what}"
                       + (f" ({when}{mail})" if when else ""))
    return "\n".join(out)


MORNING = dt.timedelta(hours=9)
"""When a reminder fires on its day: 9 in the morning, not midnight."""


def _alarm(label: str, days_before: int) -> Any:
    """A reminder at 9:00, ``days_before`` days before an all-day event's date."""
    from icalendar import Alarm

    alarm = Alarm()
    alarm.add("action", "DISPLAY")
    alarm.add("description", f"Reminder: {label}")
    alarm.add("trigger", MORNING - dt.timedelta(days=days_before))
    return alarm


def _reminder_days(e: Event) -> int:
    """How many days before its date an event's reminder fires: a week before a mail-by
    date or a deadline, so there is time to build, sign and post the letter; the day
    before a hold runs out or an answer is due, which ask for a call, not a letter."""
    if e.kind in ("runs-out", "answer-due"):
        return 1
    if e.clock is not None and e.clock.acts and not e.clock.by_mail:
        return 1  # a fast-track appeal is a phone call, due within a day or two
    return WEEK


def ics_bytes(cases: list[Any], stamp: dt.date) -> bytes:
    """An iCalendar file: one all-day event per deadline, per hold that runs out and
    per answer due, and for a deadline met by mail, an event on its mail-by date too.
    Each has a reminder at 9:00: a week before a deadline or a mail-by date, the day
    before the rest."""
    from icalendar import Calendar

    calendar = Calendar()
    calendar.add("prodid", "-//lettergen//deadlines//EN")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    for e in timeline(cases):
        if e.kind == "contact":
            continue
        if e.mail_by and e.mail_by < e.date:
            mail = Event(e.mail_by, e.case, f"mail by: {e.calendar_what or e.what}",
                         citation=e.citation, kind="mail-by")
            calendar.add_component(_ics_event(mail, stamp, f"Mail by {format_date(e.mail_by)} "
                                              f"for the deadline of {format_date(e.date)}."))
        description = " ".join(
            ([f"Mail by {format_date(e.mail_by)}."] if e.mail_by else [])
            + ([f"Call or fax the QIO{' by ' + e.clock.time if e.clock.time else ''}: "
                "mail is too slow."] if e.clock is not None and e.clock.acts
               and not e.clock.by_mail else []))
        calendar.add_component(_ics_event(e, stamp, description))
    return calendar.to_ical()


def _ics_event(e: Event, stamp: dt.date, description: str) -> Any:
    """One all-day calendar event with its reminder. Only the rule and dates go in:
    the case file's name often is the patient's name or the care ("rivera-mri.toml"),
    and calendars sync to other servers."""
    from icalendar import Event as IcsEvent

    event = IcsEvent()
    uid = hashlib.sha256(f"{e.case.source_path}|{e.what}|{e.date}".encode()).hexdigest()
    event.add("uid", f"{uid[:32]}@lettergen")
    event.add("dtstamp", dt.datetime.combine(stamp, dt.time(0, 0), tzinfo=dt.UTC))
    event.add("dtstart", e.date)
    event.add("dtend", e.date + dt.timedelta(days=1))
    event.add("summary", e.label)
    text = " ".join(([f"Rule: {e.citation}."] if e.citation else [])
                    + ([description] if description else []))
    if text:
        event.add("description", text)
    event.add("transp", "TRANSPARENT")
    event.add_component(_alarm(e.label, _reminder_days(e)))
    return event
