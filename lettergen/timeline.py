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

from .clocks import case_clocks, send_advice
from .money import format_date

WEEK = 7


@dataclass(frozen=True)
class Event:
    """One dated item of a timeline."""

    date: dt.date
    case: Any
    what: str
    mail_by: dt.date | None = None
    citation: str = ""
    kind: str = "deadline"  # deadline | decision | event | contact | runs-out
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
            who = contact.representative or contact.party or "contact"
            ref = f" ({contact.reference})" if contact.reference else ""
            events.append(Event(contact.date, case, f"{contact.kind or 'contact'} with "
                                f"{contact.party or 'someone'}: {who}{ref}", kind="contact"))
        if contact.until:
            party = contact.party or "contact"
            agreed = f" on {format_date(contact.date)}" if contact.date else ""
            events.append(Event(contact.until, case, f"what the {party} agreed{agreed} runs out",
                                kind="runs-out", calendar_what=f"what the {party} agreed "
                                "runs out"))
    return events


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
                f"{left} days left" if left >= 0 else f"{-left} days overdue")
            where = f"{e.case.stem}: " if many else ""
            acts = e.clock is not None and e.clock.acts
            mail = f"; {send_advice(e.clock, today)}" if acts and left >= 0 else ""
            out.append(f"  {format_date(e.date):>18}  {where}{e.what}"
                       + (f" ({when}{mail})" if when else ""))
    return "\n".join(out)


def ics_bytes(cases: list[Any], stamp: dt.date) -> bytes:
    """An iCalendar file: one all-day event per deadline and per hold that runs out,
    each with a reminder at its mail-by date (or three days before)."""
    from icalendar import Alarm, Calendar
    from icalendar import Event as IcsEvent

    calendar = Calendar()
    calendar.add("prodid", "-//lettergen//deadlines//EN")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    for e in timeline(cases):
        if e.kind == "contact":
            continue
        event = IcsEvent()
        uid = hashlib.sha256(f"{e.case.source_path}|{e.what}|{e.date}".encode()).hexdigest()
        event.add("uid", f"{uid[:32]}@lettergen")
        event.add("dtstamp", dt.datetime.combine(stamp, dt.time(0, 0), tzinfo=dt.UTC))
        event.add("dtstart", e.date)
        event.add("dtend", e.date + dt.timedelta(days=1))
        event.add("summary", e.label)
        # Only the rule and the mail-by date: the case file's name often is the patient's
        # name or the care ("rivera-mri.toml"), and calendars sync to other servers.
        description = " ".join(
            ([f"Rule: {e.citation}."] if e.citation else [])
            + ([f"Mail by {format_date(e.mail_by)}."] if e.mail_by else [])
            + ([f"Call or fax the QIO{' by ' + e.clock.time if e.clock.time else ''}: "
                "mail is too slow."] if e.clock is not None and e.clock.acts
               and not e.clock.by_mail else []))
        if description:
            event.add("description", description)
        event.add("transp", "TRANSPARENT")
        alarm = Alarm()
        alarm.add("action", "DISPLAY")
        alarm.add("description", f"Reminder: {e.label}")
        lead = (e.date - e.mail_by).days if e.mail_by else (
            1 if e.clock is not None and e.clock.acts else 3)
        alarm.add("trigger", dt.timedelta(days=-max(lead, 1)))
        event.add_component(alarm)
        calendar.add_component(event)
    return calendar.to_ical()
