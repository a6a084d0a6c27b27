"""Complaints about the other side's silence: a collector that kept collecting after a
timely dispute, a credit bureau that did not finish its reinvestigation, a covered
entity that did not answer a records request.

Each complaint rests on facts the case must establish (the letter sent, the day it
arrived, the rule's time, what came or did not come); ``silence_complaint`` reads them
once, for the English and the Spanish letter alike, and says in plain words why the
complaint does not fit when it does not. The subject picks the agency, never the health
plan: the CFPB for a collector or a bureau, the HHS Office for Civil Rights for records.
No rule of the table sets these venues (``cfpb-complaint`` is unverified), so nothing
here is cited; the letters cite the rules that were broken.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from lettergen.analysis.directory import RegulatorFit, _fit, find_bureau
from lettergen.analysis.waiting import collection_after_dispute
from lettergen.case.money import format_date
from lettergen.rules.deadlines import deadline
from lettergen.rules.table import get_rule
from lettergen.template_types import template_value

# The letter that makes each complaint (the plan and `check` name these ids).
COMPLAINT_LETTERS = {"collector": "collector-complaint", "bureau": "credit-dispute-complaint",
                     "records": "records-access-complaint"}
RECORDS_LETTERS = ("records-request", "itemized-bill-request", "claim-file-request")
WRITTEN = ("letter", "fax", "email", "portal")  # how a written extension can come


def complaint_fit(case: Any, subject: str) -> RegulatorFit:
    """The agency for a complaint about ``subject`` ("collector", "bureau", "records"),
    with what it oversees as the reason."""
    if subject == "records":
        return _fit("hhs-ocr", "the HHS Office for Civil Rights enforces the HIPAA Privacy "
                    "Rule, which gives patients access to their records, whatever the health "
                    "plan")
    if subject == "bureau":
        return _fit("cfpb", "the CFPB oversees how credit bureaus handle disputes, whatever "
                    "the health plan")
    attorney_general = _fit("consumer-protection", "the state attorney general enforces the "
                            "state's consumer protection laws against collection agencies",
                            state=case.case.state)
    return _fit("cfpb", "the CFPB oversees debt collectors, whatever the health plan",
                (attorney_general,))


def regulator_role(name: str | None) -> str:
    """What ``[regulator] name`` names, judged from the name only: "cfpb",
    "attorney-general" (the attorney general or its consumer protection office),
    "hhs-ocr", "other", or "" without a name."""
    if not name:
        return ""
    words = " ".join(name.casefold().replace(".", "").split())
    if "consumer financial protection" in words or "cfpb" in words.split():
        return "cfpb"
    if "civil rights" in words or "ocr" in words.replace("(", " ").replace(")", " ").split():
        return "hhs-ocr"
    if "attorney general" in words or "consumer protection" in words:
        return "attorney-general"
    return "other"


@template_value
@dataclass(frozen=True)
class SilenceComplaint:
    """A complaint about the other side's silence, as the case establishes it. When
    ``problem`` is not empty the case does not establish it, and the letter refuses
    with ``problem`` and ``next_step``."""

    subject: str                # "collector" | "bureau" | "records"
    fit: RegulatorFit           # the agency
    mailed: bool                # a letter to [regulator]; else the text for an online form
    problem: str = ""
    next_step: str = ""
    awaited: Any = None         # the letter sent (an Awaited) whose rule was broken
    log: tuple[Any, ...] = ()   # the [[contacts]] entries with that party, in date order
    collections: tuple[Any, ...] = ()  # collector: contacts received after the dispute
    period_end: dt.date | None = None  # collector: the validation period's last day
    last_day: dt.date | None = None    # bureau, records: the last day to answer
    extension: Any = None       # records: the written message that extended the time
    window_end: dt.date | None = None  # records: the last day to complain to OCR
    notes: tuple[str, ...] = ()  # for the person building the letter

    @property
    def online(self) -> bool:
        return not self.mailed


def silence_complaint(case: Any, subject: str, contact: Any = None) -> SilenceComplaint:
    """The complaint about ``subject`` for this case; ``contact`` is the [[contacts]]
    entry a letter was built for (``--contact N``, else the newest), used when it is
    the request the complaint is about."""
    if subject == "collector":
        return _collector(case)
    if subject == "bureau":
        return _bureau(case, contact)
    if subject == "records":
        return _records(case, contact)
    raise ValueError(f"unknown complaint subject {subject!r}")


def _awaited(case: Any) -> list[Any]:
    from lettergen.analysis.facts import Facts

    return Facts(case).awaited


def _party_name(case: Any, party: str) -> str:
    table = {"provider": case.provider, "insurer": case.insurer}.get(party)
    return (table.name if table is not None else "") or f"the {party or 'other party'}"


def _log(case: Any, party: str) -> tuple[Any, ...]:
    return tuple(sorted((c for c in case.contacts if c.party == party and c.date),
                        key=lambda c: c.date))


def _received(item: Any, who: str) -> str:
    """"reached <who> on <day>", or, with no delivery record, "should have reached"."""
    word = "should have reached" if item.received_assumed else "reached"
    return f"{word} {who} {'by' if item.received_assumed else 'on'} {format_date(item.received)}"


# --- a collector that kept collecting -----------------------------------------------------


def _collector(case: Any) -> SilenceComplaint:
    fit = complaint_fit(case, "collector")
    role = regulator_role(case.regulator.name)
    mailed = role == "attorney-general"
    base = {"subject": "collector", "fit": fit, "mailed": mailed,
            "log": _log(case, "collector")}
    collector = case.collector
    disputes = [a for a in _awaited(case) if a.letter == "debt-validation"]
    if not disputes:
        return SilenceComplaint(**base, problem=(
            f"the case logs no written dispute to {collector.name}: no [[contacts]] entry "
            "with letter = \"debt-validation\""), next_step=(
            "dispute the debt first (lettergen build -l debt-validation); log it in "
            "[[contacts]] with the day it reached the agency (received), and log each "
            "collection letter or call that came after it with direction = \"received\""))
    found = collection_after_dispute(case)
    dispute = found.dispute if found else disputes[0]
    base["awaited"] = dispute
    if found is None:
        later = [c for c in case.contacts if c.party == "collector"
                 and c.direction == "received" and c.date and c.date > dispute.received]
        if later and collector.verified:
            return SilenceComplaint(**base, problem=(
                f"{collector.name}'s verification arrived on {format_date(collector.verified)} "
                "([collector] verified), before the collection contacts logged after the "
                f"dispute (the first on {format_date(later[0].date)}): once a collector has "
                "mailed verification it may collect again"), next_step=(
                "read the verification against the itemized bill; if it does not prove the "
                "debt, dispute the credit report entry (lettergen build -l "
                "credit-report-dispute) or offer a settlement"))
        return SilenceComplaint(**base, problem=(
            f"the case logs no collection letter or call from {collector.name} after the "
            f"dispute {_received(dispute, collector.name)}"), next_step=(
            "log each letter, call or credit report entry from the agency after that day "
            "in [[contacts]] with party = \"collector\" and direction = \"received\" (its "
            "date, kind and what it asked for)"))
    base.update(collections=found.collections, period_end=found.period_end)
    if not found.timely:
        if found.period_end is None:
            return SilenceComplaint(**base, problem=(
                "the end of the validation period is not known, so the case does not show "
                "that the dispute was in time"), next_step=(
                "add [collector] validation_end (the date printed on the agency's notice) "
                "or notice_date (the day the notice arrived)"))
        return SilenceComplaint(**base, problem=(
            f"the dispute {_received(dispute, collector.name)}, after the validation period "
            f"ended on {format_date(found.period_end)}: the collection freeze of "
            f"{get_rule('fdcpa-dispute-freeze').citation} covers only a dispute received "
            "within the period"), next_step=(
            "if the dispute arrived earlier, give the day in its [[contacts]] entry "
            "(received); otherwise the debt is still disputed: ask the agency to report it "
            "as disputed and to verify it (lettergen build -l debt-validation)"))
    if mailed and not case.regulator.address:
        return SilenceComplaint(**base, problem=(
            f"[regulator] names {case.regulator.name} but gives no address"), next_step=(
            "add [regulator] address: the complaint address of the attorney general's "
            "consumer protection office"))
    notes = ()
    if not mailed:
        unused = (f"[regulator] ({case.regulator.name}) is not used: a collector's conduct "
                  "goes to the CFPB and the state attorney general. ") if role == "other" else ""
        notes = (f"{unused}This is the text to paste into the CFPB's "
                 "online complaint form, not a letter to mail. To send the same complaint "
                 f"to {fit.also[0].agency}, put its name and complaint address in "
                 "[regulator] and build this letter again.",)
    return SilenceComplaint(**base, notes=notes)


# --- a bureau that did not finish its reinvestigation ---------------------------------------


def _chosen(found: list[Any], contact: Any) -> Any:
    """The request the letter is about: the one built for (--contact N) when it is one
    of ``found``, else the newest that is late, else the newest."""
    for item in found:
        if item.contact is contact:
            return item
    late = [a for a in found if a.overdue]
    return (late or found)[-1]


def _bureau(case: Any, contact: Any) -> SilenceComplaint:
    fit = complaint_fit(case, "bureau")
    role = regulator_role(case.regulator.name)
    base = {"subject": "bureau", "fit": fit, "mailed": False, "log": _log(case, "bureau")}
    found = [a for a in _awaited(case) if a.letter == "credit-report-dispute"]
    if not found:
        return SilenceComplaint(**base, problem=(
            "the case logs no credit-report dispute sent to the bureau: no [[contacts]] "
            "entry with letter = \"credit-report-dispute\""), next_step=(
            "dispute the entry first (lettergen build -l credit-report-dispute) and log it "
            "in [[contacts]] with party = \"bureau\" and the day it arrived (received)"))
    item = _chosen(found, contact)
    base.update(awaited=item, last_day=item.due)
    found_bureau = find_bureau(case.credit_report.bureau)
    bureau = found_bureau.name if found_bureau else "the bureau"
    if item.answered:
        return SilenceComplaint(**base, problem=(
            f"the dispute sent on {format_date(item.sent)} was answered ([[contacts]] "
            f"entry {item.number}: answered = true)"), next_step=(
            "read the bureau's results; if the entry is still wrong, dispute it again with "
            "what is new, or dispute it with the company that reported it"))
    if not item.overdue:
        return SilenceComplaint(**base, problem=(
            f"the bureau's time is not over: the dispute {_received(item, bureau)}, its "
            f"reinvestigation may run until {format_date(item.due)} and its results may be "
            f"mailed until {format_date(item.late_after)}"), next_step=(
            f"wait for the results; if none have come by {format_date(item.late_after)}, "
            "build this complaint then"))
    unused = (f"[regulator] ({case.regulator.name}) is not used: a credit bureau's "
              "reinvestigation goes to the CFPB. ") if role not in ("", "cfpb") else ""
    notes = (f"{unused}This is the text to paste into the CFPB's "
             "online complaint form, not a letter to mail.",)
    return SilenceComplaint(**base, notes=notes)


# --- a covered entity that did not answer a records request ----------------------------------


def _records(case: Any, contact: Any) -> SilenceComplaint:
    fit = complaint_fit(case, "records")
    role = regulator_role(case.regulator.name)
    mailed = role == "hhs-ocr" and bool(case.regulator.address)
    found = [a for a in _awaited(case) if a.letter in RECORDS_LETTERS]
    base = {"subject": "records", "fit": fit, "mailed": mailed}
    if not found:
        return SilenceComplaint(**base, problem=(
            "the case logs no records request: no [[contacts]] entry with letter = "
            "\"records-request\" (or itemized-bill-request, claim-file-request)"), next_step=(
            "ask for the records first (lettergen build -l records-request) and log the "
            "letter in [[contacts]] with the day it arrived (received)"))
    item = _chosen(found, contact)
    base.update(awaited=item, log=_log(case, item.party))
    if item.answered:
        return SilenceComplaint(**base, problem=(
            f"the request sent on {format_date(item.sent)} was answered ([[contacts]] entry "
            f"{item.number}: answered = true)"), next_step=(
            "if what came is incomplete, ask again in writing for what is missing"))
    extension = next((c for c in case.contacts
                      if c.party == item.party and c.direction == "received"
                      and (c.kind or "call") in WRITTEN and c.date
                      and item.received <= c.date <= item.due), None)
    last = item.due
    if extension is not None:
        # One extension, of up to 30 days, told in writing within the first 30: any
        # written message in that time counts, so lettergen never calls it late early.
        longest = deadline(get_rule("hipaa-access-extension"), item.due)
        until = extension.until
        last = min(until, longest) if until and until > item.due else longest
    window_end = deadline(get_rule("hipaa-ocr-complaint"), last)
    base.update(last_day=last, extension=extension, window_end=window_end)
    if last >= case.today:
        who = _party_name(case, item.party)
        return SilenceComplaint(**base, problem=(
            f"the time to answer is not over: the request {_received(item, who)}, and the "
            f"answer is due by {format_date(last)}"
            + (" (with the extension written on " + format_date(extension.date) + ")"
               if extension is not None else "")), next_step=(
            f"wait; if nothing has come by {format_date(last)}, follow up in writing "
            "(lettergen build -l follow-up), then complain"))
    if case.today > window_end:
        return SilenceComplaint(**base, problem=(
            f"the 180 days to complain to the HHS Office for Civil Rights ended on "
            f"{format_date(window_end)}, counted from {format_date(last)}, when the time to "
            f"answer ran out ({get_rule('hipaa-ocr-complaint').citation})"), next_step=(
            "send a new records request (lettergen build -l records-request), which starts "
            "a new 30 days and, if it too goes unanswered, a new 180 days to complain; OCR "
            "may still accept a late complaint for good cause, if you explain why it is "
            "late"))
    notes: tuple[str, ...] = ()
    if not mailed:
        if role == "hhs-ocr":
            lead = "[regulator] gives no address: "
        elif role:
            lead = (f"[regulator] ({case.regulator.name}) is not used: a records request "
                    "goes to the HHS Office for Civil Rights. ")
        else:
            lead = ""
        notes = (f"{lead}This is the text to paste into OCR's "
                 "Complaint Portal. OCR also takes complaints on paper: to mail it, put the "
                 "Office for Civil Rights' name and address in [regulator] and build this "
                 "letter again.",)
    return SilenceComplaint(**base, notes=notes)
