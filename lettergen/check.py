"""``check`` and ``timeline``: what the case file says, read back to the patient.

For now (the foundation) this validates the case, shows the clocks the rules table
can compute from it, and tries every letter to say which fit and why the others do
not. Findings and the settlement calculator come with the case-analysis work.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from .clocks import send_advice
from .directory import recommended_regulator
from .errors import (
    CaseFileError,
    LetterDoesNotFitError,
    Problem,
    TemplateError,
    TemplateNotFoundError,
)
from .facts import Clock, Facts, Stage
from .findings import Finding
from .money import format_date, format_money
from .plan import Step, case_plan
from .settlement import Settlement
from .templates import Pack, find_template, list_templates
from .terminal import visible


@dataclass
class CheckReport:
    case: Any
    findings: list[Finding] = field(default_factory=list)
    clocks: list[tuple[str, Clock]] = field(default_factory=list)
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

    def as_text(self, colour: Callable[[str, str], str] = lambda t, c: t) -> str:
        today = self.case.today
        out = [colour(f"{self.case.source_path}: the case file is valid", "32"),
               f"Today (case date): {format_date(today)}"]
        if self.stage is not None:  # the same words the letters use for the stage
            out.append(f"Stage: {self.stage.text}")
        out.append("")
        marks = {"high": ("!!", "31"), "medium": ("! ", "33"), "low": ("  ", "2")}
        for kind, heading in (("finding", "Findings"), ("question", "Questions to check")):
            items = [f for f in self.findings if f.kind == kind]
            if not items:
                continue
            out.append(colour(heading, "1"))
            for f in items:
                mark, code = marks[f.severity]
                amount = f"{format_money(f.amount):>12}" if f.amount is not None else " " * 12
                out.append(f"  {colour(mark, code)} {amount}  {colour(f.title, '1')}")
                out.append(f"  {' ' * 16}{f.detail}")
                if f.letter:
                    out.append(f"  {' ' * 16}letter: {f.letter}")
            out.append("")
        if self.clocks:
            out.append(colour("Deadlines", "1"))
            for name, c in self.clocks:
                left = (c.due - today).days
                when = f"{left} days left" if left >= 0 else f"{-left} days ago"
                if c.acts and left >= 0:
                    when += f"; {send_advice(c, today)}"
                elif c.acts:
                    when = f"{-left} days overdue"
                cite = f" ({c.rule.citation})" if c.rule.law_grade else ""
                out.append(f"  {format_date(c.due):>20}  {name}: {when}{cite}")
                if c.counted_from_printed_date:
                    out.append("  " + " " * 20 + "  counted from the date printed on the "
                               "notice (the date it arrived is not in the case file)")
                if c.note:
                    out.append("  " + " " * 20 + "  " + c.note)
            out.append("")
        if self.settlement is not None:
            out.append(colour("Settlement calculator", "1"))
            s = self.settlement
            if s.ready:
                for name, value in (("opening offer", s.opening), ("target", s.target),
                                    ("walk-away", s.walk_away)):
                    out.append(f"  {name:<14}{format_money(value):>12}")
                out += [f"    {step}" for step in s.steps]
            else:
                out.append("  No figures: the case lacks " + "; ".join(s.missing) + ".")
            out.append("")
        out.append(colour("Letters that fit this case", "1"))
        out += [f"  {tid}" for tid in self.fits] or ["  (none)"]
        if self.refused:
            out.append(colour("Letters that do not fit, and why", "1"))
            for tid, why in self.refused.items():
                out.append(f"  {tid}: {why}")
        if self.regulator is not None:
            r = self.regulator
            out += ["", colour("If you need to complain", "1"),
                    f"  {r.agency}: {r.reason}."]
            out += [f"  Also: {a.agency}: {a.reason}." for a in r.also]
            out.append("  Add it as [regulator] (name, address) to build regulator-complaint.")
        if self.plan:
            out += ["", colour("Plan: the letters to send, in order", "1")]
            for number, step in enumerate(self.plan, 1):
                out.append(f"  {number}. {colour(step.letter, '1')}  ({step.when})")
                out.append(f"     {step.why}")
                if step.letter in self.refused:
                    out.append(f"     Not ready: {self.refused[step.letter]}")
            first = self.plan[0].letter
            out.append(f"  Build one with: lettergen build {self.case.source_path} -l {first}")
        return "\n".join(out)


def check_case(case: Any, packs: tuple[Pack, ...]) -> CheckReport:
    from .letters import render_info

    facts = Facts(case)
    wants_settlement = bool(case.collector or case.offer or not facts.insured)
    report = CheckReport(case, findings=facts.findings, clocks=facts.clocks, stage=facts.stage,
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
