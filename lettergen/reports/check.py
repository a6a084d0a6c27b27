"""``check`` and ``timeline``: what the case file says, read back to the patient.

For now (the foundation) this validates the case, shows the clocks the rules table
can compute from it, and tries every letter to say which fit and why the others do
not. Findings and the settlement calculator come with the case-analysis work.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from lettergen.analysis.clocks import send_advice
from lettergen.analysis.directory import recommended_regulator
from lettergen.analysis.facts import Clock, Facts, Stage
from lettergen.analysis.findings import Finding
from lettergen.analysis.plan import Step, case_plan
from lettergen.analysis.settlement import Settlement
from lettergen.analysis.waiting import Awaited, party_name
from lettergen.case.money import format_date, format_days, format_money
from lettergen.errors import (
    CaseFileError,
    LetterDoesNotFitError,
    Problem,
    TemplateError,
    TemplateNotFoundError,
)
from lettergen.letters.templates import find_template, list_templates
from lettergen.packs.folder import Pack
from lettergen.terminal import visible


@dataclass
class CheckReport:
    case: Any
    findings: list[Finding] = field(default_factory=list)
    clocks: list[tuple[str, Clock]] = field(default_factory=list)
    waiting: list[Awaited] = field(default_factory=list)  # answers the other side owes
    stage: Stage | None = None  # where the dispute with the plan stands (Facts.stage)
    settlement: Settlement | None = None
    plan: list[Step] = field(default_factory=list)
    regulator: Any = None  # directory.RegulatorFit when the case has no [regulator]
    fits: list[str] = field(default_factory=list)
    refused: dict[str, str] = field(default_factory=dict)
    broken: dict[str, str] = field(default_factory=dict)  # template errors of a pack

    def as_json(self) -> dict[str, Any]:
        today = self.case.today
        return {
            "version": 1,
            "file": str(self.case.source_path),
            "valid": True,
            "today": today.isoformat(),
            "stage": ({"kind": self.stage.kind, "text": self.stage.text,
                       "due": self.stage.due.isoformat() if self.stage.due else None}
                      if self.stage else None),
            "findings": [f.as_json() for f in self.findings],
            "deadlines": [
                {"name": name, "kind": c.kind, "date": c.due.isoformat(),
                 "days_left": (c.due - today).days,
                 "mail_by": c.mail_by.isoformat() if c.by_mail else None,
                 "by_time": c.time or None,
                 "advice": send_advice(c, today) if c.acts and c.due >= today else None,
                 "rule": c.rule.id,
                 "citation": c.rule.citation,
                 "counted_from_printed_date": c.counted_from_printed_date,
                 "note": c.note or None}
                for name, c in self.clocks
            ],
            "waiting": [_awaited_json(a, self.case) for a in self.waiting],
            "settlement": self.settlement.as_json() if self.settlement else None,
            "regulator": ({"agency": self.regulator.agency, "why": self.regulator.reason,
                           "also": [a.agency for a in self.regulator.also]}
                          if self.regulator else None),
            "plan": [{"letter": s.letter, "why": s.why, "when": s.when,
                      "ready": s.letter in self.fits, "refused": self.refused.get(s.letter)}
                     for s in self.plan],
            "letters": {"fit": self.fits, "refused": self.refused},
            "template_errors": self.broken,
        }

    def as_text(self, colour: Callable[[str, str], str] = lambda t, c: t,
                width: int = 100, every_letter: bool = False) -> str:
        """The report a patient reads: what to do next first (the next letter, by when
        and why), then the deadlines, then the findings, each line wrapped to ``width``.
        The letters that do not fit are listed only with ``every_letter`` (``--all``)."""
        today = self.case.today
        out = [colour(f"{self.case.source_path}: the case file is valid", "32"),
               f"Today (case date): {format_date(today)}"]
        if self.stage is not None:  # the same words the letters use for the stage
            out += _wrap(f"Stage: {self.stage.text}", "", "  ", width)
        out.append("")

        def section(title: str) -> None:
            out.append(colour(title, "1"))

        def para(text: str, indent: str = "  ", then: str = "") -> None:
            out.extend(_wrap(text, indent, then or indent, width))

        if self.plan:
            # The next letter is the first one that builds; a step before it that
            # cannot be built yet stays in the list below, with what it lacks.
            ready = [step for step in self.plan if step.letter not in self.refused]
            first = self.plan[0] if self.plan[0].urgent or not ready else ready[0]
            section("What to do next")
            para(f"Send {colour(first.letter, '1')} {_when(first.when)}.", "  ")
            para(f"Why: {first.why}", "  ", "       ")
            if first.letter in self.refused:
                para(f"Not ready yet: {self.refused[first.letter]}", "  ", "    ")
            para(f"Build it with: lettergen build {self.case.source_path} -l {first.letter}")
            rest = [step for step in self.plan if step is not first]
            if rest:
                out.append("")
                section("Then, in order")
                for number, step in enumerate(rest, 2):
                    para(f"{number}. {colour(step.letter, '1')}, {_when(step.when)}: "
                         f"{step.why}", "  ", "     ")
                    if step.letter in self.refused:
                        para(f"Not ready yet: {self.refused[step.letter]}", "     ")
            out.append("")
        # An answer they owe is listed once, under "Waiting on them", not also here.
        owed = {(a.rule.id, a.due) for a in self.waiting}
        deadlines = [(name, c) for name, c in self.clocks
                     if not (c.kind == "decision" and (c.rule.id, c.due) in owed)]
        if deadlines:
            section("Deadlines")
            for name, c in deadlines:
                para(deadline_words(name, c, today), "  ", "      ")
                if c.counted_from_printed_date:
                    para("counted from the date printed on the notice (the date it arrived "
                         "is not in the case file)", "      ")
                if c.note:
                    para(c.note, "      ")
            out.append("")
        if self.waiting:
            section("Waiting on them")
            for a in self.waiting:
                para(waiting_words(a, self.case), "  ", "      ")
                if a.received_assumed and a.start == a.received != a.sent:
                    para(f"counted from {format_date(a.received)}, the day it should have "
                         "arrived by mail; set received in that [[contacts]] entry if you "
                         "know the day", "      ")
            out.append("")
        marks = {"high": ("!!", "31"), "medium": ("! ", "33"), "low": ("  ", "2")}
        for kind, heading in (("finding", "Findings"), ("question", "Questions to check")):
            items = [f for f in self.findings if f.kind == kind]
            if not items:
                continue
            section(heading)
            if any(f.severity != "low" for f in items):
                para("!! costs money or a right if left alone; ! worth raising", "  ")
            for f in items:
                mark, code = marks[f.severity]
                amount = f" {format_money(f.amount)}:" if f.amount is not None else ""
                out.append(f"  {colour(mark, code)}{amount} {colour(f.title, '1')}")
                para(f.detail, "      ")
                if f.letter:
                    para(f"letter: {f.letter}", "      ")
            out.append("")
        if self.settlement is not None:
            section("Settlement calculator")
            s = self.settlement
            if s.ready:
                for name, value in (("opening offer", s.opening), ("target", s.target),
                                    ("walk-away", s.walk_away)):
                    out.append(f"  {name:<14}{format_money(value):>12}")
                for step in s.steps:
                    para(step, "    ")
            else:
                para("No figures: the case lacks " + "; ".join(s.missing) + ".")
            out.append("")
        if self.regulator is not None:
            r = self.regulator
            section("If you need to complain")
            para(f"{r.agency}: {r.reason}.")
            for a in r.also:
                para(f"Also: {a.agency}: {a.reason}.")
            para("Add it as [regulator] (name, address) to build regulator-complaint.")
            out.append("")
        section("Letters that fit this case")
        para(", ".join(self.fits) if self.fits else "(none)")
        if self.refused and every_letter:
            out.append("")
            section("Letters that do not fit, and why")
            for tid, why in self.refused.items():
                para(f"{tid}: {why}", "  ", "      ")
        elif self.refused:
            para(f"{len(self.refused)} other letters do not fit this case; "
                 f"lettergen check {self.case.source_path} --all says why.")
        return "\n".join(out)


def _when(when: str) -> str:
    """A plan step's timing in words: "now", "alongside the others", "by ..."."""
    return {"parallel": "alongside the others", "after": "after the steps above"}.get(
        when, when)


def deadline_words(name: str, c: Clock, today: dt.date) -> str:
    """One deadline as check and the case summary say it: its date, its name, the days
    left (or ago, or overdue when it asks something of the patient), how to send, and
    the rule."""
    left = (c.due - today).days
    when = f"{format_days(left)} left" if left >= 0 else f"{format_days(-left)} ago"
    if c.acts and left >= 0:
        when += f"; {send_advice(c, today)}"
    elif c.acts:
        when = f"{format_days(-left)} overdue"
    cite = f" ({c.rule.citation})" if c.rule.law_grade else ""
    return f"{format_date(c.due)}: {name}: {when}{cite}"


def waiting_words(a: Awaited, case: Any) -> str:
    """One answer awaited as check says it: due date, what, from whom, the letter and
    when it was sent, where the date comes from, and whether it is late."""
    who = party_name(case, a.party)
    entry = f"[[contacts]] entry {a.number}" if a.number else "[denial] appeal_filed"
    sent = f"your {a.letter} of {format_date(a.sent)}, {entry}"
    if a.due is None:
        return f"no deadline: {a.what} from {who} ({sent}); {a.next_why}"
    basis = a.rule.citation if a.legal else "the date your letter asked for"
    left = (a.due - case.today).days
    if a.overdue:
        state = f"OVERDUE by {format_days((case.today - a.due).days)}"
    elif left == 0:
        state = "waiting, due today"
    elif left > 0:
        state = f"waiting, {format_days(left)} left"
    else:  # past its day, still within the time the answer may take to be sent
        state = f"waiting: may still be mailed until {format_date(a.late_after)}"
    then = f"; next: {a.next_letter}" if a.overdue and a.next_letter else ""
    return f"{format_date(a.due)}: {a.what} from {who} ({sent}): {state} ({basis}){then}"


def _awaited_json(a: Awaited, case: Any) -> dict[str, Any]:
    return {"contact": a.number or None, "letter": a.letter, "party": a.party,
            "from": party_name(case, a.party), "what": a.what,
            "sent": a.sent.isoformat(), "received": a.received.isoformat(),
            "received_assumed": a.received_assumed,
            "due": a.due.isoformat() if a.due else None,
            "late_after": a.late_after.isoformat() if a.late_after else None,
            "rule": a.rule.id, "citation": a.rule.citation if a.legal else None,
            "basis": "law" if a.legal else "the date your letter asked for",
            "overdue": a.overdue, "next_letter": a.next_letter or None,
            "next_why": a.next_why or None}


def _wrap(text: str, indent: str, then: str, width: int) -> list[str]:
    """``text`` wrapped to ``width`` columns, the first line after ``indent`` and the
    rest after ``then``; never breaking a word or a path."""
    import textwrap

    return textwrap.wrap(text, width, initial_indent=indent, subsequent_indent=then,
                         break_long_words=False, break_on_hyphens=False) or [indent.rstrip()]


def check_case(case: Any, packs: tuple[Pack, ...]) -> CheckReport:
    from lettergen.letters.render import render_info

    facts = Facts(case)
    wants_settlement = bool(case.collector or case.offer or not facts.insured)
    report = CheckReport(case, findings=facts.findings, clocks=facts.clocks, stage=facts.stage,
                         waiting=[a for a in facts.awaited if not a.answered],
                         settlement=facts.settlement if wants_settlement else None,
                         plan=case_plan(case, facts),
                         regulator=None if case.regulator else recommended_regulator(case))
    infos = list_templates(packs)
    _check_listed_letters(case, {info.id for info in infos}, packs)
    for info in infos:
        try:
            render_info(case, info, packs)
        except LetterDoesNotFitError as exc:
            report.refused[info.id] = "; ".join(exc.reasons)
        except TemplateError as exc:
            report.refused[info.id] = f"template error: {exc}"
            report.broken[info.id] = str(exc)
        else:
            report.fits.append(info.id)
    return report


def _check_listed_letters(case: Any, known: set[str], packs: tuple[Pack, ...]) -> None:
    """``[case] letters`` names only letters the packs have: ``build`` would stop on
    the first unknown one, so ``check`` says so first, with the closest id."""
    problems = []
    for wanted in case.case.letters or []:
        if wanted not in known:
            try:
                find_template(wanted, packs)
            except TemplateNotFoundError as exc:
                problems.append(Problem("[case] letters", str(exc)))
    if problems:
        raise CaseFileError(visible(str(case.source_path)), problems)
