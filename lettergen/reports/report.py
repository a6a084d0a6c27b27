"""``report``: a one-page case summary to bring to a financial counselor or an advocate.

Nothing here computes a deadline, an amount or a stage: ``build_report`` reads them
from ``check_case`` (the same clocks, findings, plan and stage ``check`` prints) and
``Facts.benchmark_rows``. The two figures (a timeline of today, each mail-by date and
deadline; each charge billed against its benchmark and what the plan allowed) are laid
out once as a list of shapes, then drawn by ReportLab for the PDF and as inline SVG for
the HTML, so both show the same picture. The summary holds health details: it is
written only where the user asks, and nothing leaves the machine.
"""

from __future__ import annotations

import copy
import datetime as dt
import io
from dataclasses import dataclass, field
from decimal import Decimal
from html import escape
from typing import Any

from lettergen.analysis.facts import Facts
from lettergen.analysis.findings import Finding
from lettergen.case.money import format_date, format_money

WIDTH = 468.0  # the text width of a US letter page with 1-inch margins, in points
INK, MUTED, ACCENT, MAIL, TODAY = "#1a1a1a", "#8a8a8a", "#00695c", "#b35900", "#c62828"
_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
MAX_CHARGES = 10  # charges drawn; more are counted, so that the summary stays short


@dataclass(frozen=True)
class Deadline:
    number: int
    name: str
    clock: Any  # facts.Clock

    def words(self, today: dt.date) -> str:
        """The deadline as ``check`` says it: days left or ago, and how to send."""
        from lettergen.reports.check import deadline_words

        return deadline_words(self.name, self.clock, today)


@dataclass(frozen=True)
class PlanLine:
    letter: str
    title: str
    when: str
    why: str
    missing: str = ""  # why the letter cannot be built yet, when it cannot
    next: bool = False  # the first letter that builds: what to do next


@dataclass(frozen=True)
class ChargeBars:
    label: str  # "CPT 99285, March 3, 2026"
    description: str
    bars: tuple[tuple[str, Decimal], ...]  # ("billed", amount), ("benchmark", ...), ...
    multiple: str = ""  # "10.1×" billed over benchmark, from Facts.benchmark_rows


@dataclass
class ReportData:
    file_name: str
    today: dt.date
    people: list[tuple[str, str]]  # ("Patient", "Mei-Ling Chen"), ...
    stage: str
    deadlines: list[Deadline]
    plan: list[PlanLine]
    findings: list[Finding]
    charges: list[ChargeBars]
    charges_note: str  # why some or all charges have no bars
    extra_charges: int = 0
    shapes: dict[str, tuple[float, list[tuple]]] = field(default_factory=dict)


def as_of(case: Any, today: dt.date) -> Any:
    """The case counted from ``today`` instead of its ``[case] date`` (``--today``)."""
    from lettergen.case.casefile import Record

    moved = copy.copy(case)
    moved.case = Record("case", {**vars(case.case), "date": today}, True)
    return moved


def build_report(case: Any, packs: tuple = ()) -> ReportData:
    """The summary's content, from ``check_case`` and nothing else."""
    from lettergen.letters.templates import list_templates
    from lettergen.packs.folder import open_packs
    from lettergen.reports.check import _when, check_case

    packs = packs or open_packs([])
    checked = check_case(case, packs)
    titles = {info.id: info.title for info in list_templates(packs)}
    ready = [s.letter for s in checked.plan if s.letter not in checked.refused]
    plan = [PlanLine(s.letter, titles.get(s.letter, s.letter), _when(s.when), s.why,
                     checked.refused.get(s.letter, ""), bool(ready) and s.letter == ready[0])
            for s in checked.plan]
    deadlines = [Deadline(n, name, clock) for n, (name, clock) in enumerate(checked.clocks, 1)]
    charges, without = _charges(case)
    people = [(role, name) for role, name in (
        ("Patient", case.patient.name), ("Written by", case.sender.name),
        ("Insurer", case.insurer.plan_name or case.insurer.name),
        ("Provider", case.provider.name), ("Collector", case.collector.name)) if name]
    data = ReportData(case.stem, case.today, people,
                      checked.stage.text if checked.stage else "", deadlines, plan,
                      checked.findings, charges[:MAX_CHARGES], without,
                      max(0, len(charges) - MAX_CHARGES))
    _register()
    data.shapes = {"timeline": timeline_shapes(data), "charges": charge_shapes(data)}
    return data


def _charges(case: Any) -> tuple[list[ChargeBars], str]:
    multiples = {id(r["charge"]): r["multiple"] for r in Facts(case).benchmark_rows}
    out = []
    for charge in case.charges:
        bars = tuple((name, value) for name, value in (
            ("billed", charge.billed), ("benchmark", charge.benchmark),
            ("allowed", charge.allowed)) if value is not None)
        if len(bars) < 2:
            continue  # billed alone: nothing to compare it with
        label = ", ".join(p for p in (" ".join(p for p in (charge.code_type, charge.code)
                                                if p), _date(charge.date)) if p)
        out.append(ChargeBars(label or "charge", charge.description or "", bars,
                              multiples.get(id(charge), "")))
    if not case.charges:
        note = ("The case file lists no itemized charges ([[charges]]), so there is no "
                "chart: ask the provider for an itemized bill.")
    elif not out:
        note = ("No charge in the case file gives a benchmark or an allowed amount, so there "
                "is nothing to compare the billed amounts with: add [[charges]] benchmark (a "
                "fair price such as Medicare's rate) or allowed (from the EOB).")
    elif len(out) < len(case.charges):
        note = (f"{len(case.charges) - len(out)} of {len(case.charges)} charges give no "
                "benchmark or allowed amount and are not drawn.")
    else:
        note = ""
    return out, note


def _date(day: dt.date | None) -> str:
    return format_date(day) if day else ""


# --- the figures, as shapes -----------------------------------------------------------
# A shape is ("line", x1, y1, x2, y2, colour, width), ("rect", x, y, w, h, colour),
# ("circle", x, y, r, fill, stroke) or ("text", x, y, text, size, anchor, colour, bold);
# y runs upwards from the foot of the figure, as in PDF.

def _register() -> None:
    from lettergen.writers.pdf_writer import _register_fonts

    _register_fonts()


def _width(text: str, size: float, bold: bool = False) -> float:
    from reportlab.pdfbase.pdfmetrics import stringWidth

    from lettergen.writers.pdf_writer import BOLD, FONT

    return stringWidth(text, BOLD if bold else FONT, size)


def _printable(text: str) -> str:
    """``text`` when Liberation Serif draws all of it, else "" (a figure label is drawn
    as a plain string, without the letters' fallback fonts)."""
    from lettergen.writers import clean
    from lettergen.writers.pdf_fonts import needs_layout

    text = " ".join(clean(text).split())
    return "" if needs_layout(text) else text


def _short(day: dt.date, with_year: bool) -> str:
    return f"{_MONTHS[day.month - 1]} {day.day}" + (f", {day.year}" if with_year else "")


def timeline_shapes(data: ReportData) -> tuple[float, list[tuple]]:
    """Today, each deadline (numbered as in the list below it) and each mail-by date on
    one horizontal line; labels stacked in lanes above and below so that none overlap."""
    today = data.today
    marks = [(today, "Today " + _short(today, False), "today", 0)]
    for d in data.deadlines:
        c = d.clock
        marks.append((c.due, "", "deadline" if c.acts else "other", d.number))
        if c.by_mail and c.mail_by != c.due:
            marks.append((c.mail_by, "", "mail", d.number))
    days = [m[0] for m in marks]
    lo, hi = min(days), max(days)
    if (hi - lo).days < 14:
        lo, hi = lo - dt.timedelta(days=7), hi + dt.timedelta(days=7)
    years = len({day.year for day in days}) > 1 or today.year != days[-1].year
    left, right = 24.0, WIDTH - 24.0

    def x_of(day: dt.date) -> float:
        return left + (right - left) * (day - lo).days / (hi - lo).days

    labels = []
    for day, text, kind, number in marks:
        if kind == "mail":
            text = f"mail {number} by {_short(day, years)}"
        elif kind != "today":
            text = f"{number}: {_short(day, years)}"
        labels.append((x_of(day), text, kind, day < today and kind != "today"))
    # Lanes alternate above (0, 2, ...) and below (1, 3, ...) the line; each label takes
    # the first lane where it clears the one before it by 6 points.
    ends: list[float] = []
    placed = []
    for x, text, kind, past in sorted(labels, key=lambda item: item[0]):
        w = _width(text, 8, kind == "today")
        lx = min(max(x - w / 2, 0.0), WIDTH - w)
        lane = next((i for i, end in enumerate(ends) if end + 6 <= lx), len(ends))
        if lane == len(ends):
            ends.append(0.0)
        ends[lane] = lx + w
        placed.append((x, lx, w, text, kind, past, lane))
    above = (len(ends) + 1) // 2
    below = len(ends) // 2
    axis = 14.0 + below * 12.0 + 8
    height = axis + above * 12.0 + 14
    shapes: list[tuple] = [("line", left, axis, right, axis, MUTED, 1.2)]
    for x, lx, _w, text, kind, past, lane in placed:
        colour = MUTED if past else {"today": TODAY, "mail": MAIL}.get(kind, INK)
        up = lane % 2 == 0
        row = lane // 2
        base = axis + 10 + row * 12 if up else axis - 16 - row * 12
        shapes.append(("line", x, axis, x, base - 1 if up else base + 8, colour, 0.5))
        if kind == "today":
            shapes.append(("line", x, axis - 6, x, axis + 6, TODAY, 2))
        elif kind == "mail":
            shapes.append(("rect", x - 2.5, axis - 2.5, 5, 5, colour))
        else:
            shapes.append(("circle", x, axis, 3.5, colour if kind == "deadline" else "#ffffff",
                           colour))
        shapes.append(("text", lx, base, text, 8, "start", colour, kind == "today"))
    return height, shapes


def charge_shapes(data: ReportData) -> tuple[float, list[tuple]]:
    """For each charge that gives a benchmark or an allowed amount: a bar for what was
    billed, the benchmark and the allowed amount, each charge on its own scale."""
    colours = {"billed": INK, "benchmark": ACCENT, "allowed": MUTED}
    rows = sum(1 + len(c.bars) for c in data.charges)
    height = rows * 11.0 + len(data.charges) * 6.0 + 4
    y = height - 9
    shapes: list[tuple] = []
    bar_left, bar_right = 64.0, WIDTH - 150
    for charge in data.charges:
        title = charge.label
        description = _printable(charge.description)
        while description and _width(f"{title}: {description}", 8.5, True) > WIDTH:
            description = description[:-2].rstrip() + "…" if len(description) > 2 else ""
        title = _printable(f"{title}: {description}" if description else title) or "charge"
        shapes.append(("text", 0, y, title, 8.5, "start", INK, True))
        y -= 11
        top = max(value for _, value in charge.bars) or Decimal(1)
        for name, value in charge.bars:
            w = float(value / top) * (bar_right - bar_left)
            shapes.append(("text", bar_left - 4, y + 1, name, 8, "end", INK, False))
            shapes.append(("rect", bar_left, y, max(w, 0.8), 8, colours[name]))
            text = format_money(value)
            if name == "billed" and charge.multiple:
                text += f" ({charge.multiple} the benchmark)"
            shapes.append(("text", bar_left + max(w, 0.8) + 4, y + 1, text, 8, "start", INK,
                           False))
            y -= 11
        y -= 6
    return height, shapes


# --- the PDF ----------------------------------------------------------------------------

def _drawing(figure: tuple[float, list[tuple]]) -> Any:
    from reportlab.graphics.shapes import Circle, Drawing, Line, Rect, String
    from reportlab.lib.colors import HexColor

    from lettergen.writers.pdf_writer import BOLD, FONT

    height, shapes = figure
    drawing = Drawing(WIDTH, height)
    for shape in shapes:
        kind, *a = shape
        if kind == "line":
            drawing.add(Line(a[0], a[1], a[2], a[3], strokeColor=HexColor(a[4]),
                             strokeWidth=a[5]))
        elif kind == "rect":
            drawing.add(Rect(a[0], a[1], a[2], a[3], fillColor=HexColor(a[4]),
                             strokeColor=None))
        elif kind == "circle":
            drawing.add(Circle(a[0], a[1], a[2], fillColor=HexColor(a[3]),
                               strokeColor=HexColor(a[4]), strokeWidth=1))
        else:
            drawing.add(String(a[0], a[1], a[2], fontName=BOLD if a[6] else FONT,
                               fontSize=a[3], textAnchor=a[4], fillColor=HexColor(a[5])))
    return drawing


def _finding_words(f: Finding) -> tuple[str, str]:
    mark = {"high": "!! ", "medium": "! "}.get(f.severity, "")
    amount = f"{format_money(f.amount)}: " if f.amount is not None else ""
    return f"{mark}{amount}{f.title}", f.detail + (f" Letter: {f.letter}." if f.letter else "")


SEVERITY_KEY = "!! costs money or a right if left alone; ! worth raising."
DISCLAIMER = ("lettergen gives information, not legal advice. Check every date and "
              "amount against your own papers.")


def _sections(data: ReportData) -> list[tuple[str, list[tuple[str, str]]]]:
    """The text of the summary, section by section, as (style, text) lines; the
    figures go where a line reads ("figure", name)."""
    out: list[tuple[str, list[tuple[str, str]]]] = []
    lines = [("body", " · ".join(f"{role}: {name}" for role, name in data.people)),
             ("body", f"As of {format_date(data.today)}"
              + (f". Stage: {data.stage}." if data.stage else "."))]
    out.append(("", lines))
    if data.deadlines:
        lines = [("figure", "timeline")]
        lines += [("item", f"{d.number}. {d.words(data.today)}") for d in data.deadlines]
        lines.append(("note", "On the line: ● a deadline you must meet, ○ a date the other "
                      "side must answer by or an event, ■ the last day to post a letter "
                      "for it; grey dates have passed."))
    else:
        lines = [("body", "The case file starts no deadline lettergen can count.")]
    out.append(("Deadlines", lines))
    if data.plan:
        lines = []
        for n, step in enumerate(data.plan, 1):
            lead = "Next: " if step.next else ""
            lines.append(("item", f"{n}. {lead}{step.title} ({step.letter}), {step.when}: "
                          f"{step.why}"))
            if step.missing:
                lines.append(("note", f"Not ready yet: {step.missing}"))
        out.append(("The plan of letters", lines))
    for kind, heading in (("finding", "Findings"), ("question", "Questions to check")):
        items = [f for f in data.findings if f.kind == kind]
        if items:
            lines = [("note", SEVERITY_KEY)] if any(f.severity != "low" for f in items) else []
            for f in items:
                title, detail = _finding_words(f)
                lines += [("strong", title), ("detail", detail)]
            out.append((heading, lines))
    lines = [("figure", "charges")] if data.charges else []
    if data.charges:
        lines.append(("note", "Each charge is drawn to its own scale: billed (black), the "
                      "benchmark (green) and what the plan allowed (grey)."))
    if data.extra_charges:
        lines.append(("note", f"{data.extra_charges} more charges with figures are in the "
                      "case file."))
    if data.charges_note:
        lines.append(("note", data.charges_note))
    out.append(("Charges against benchmarks", lines))
    return out


def report_pdf(data: ReportData) -> bytes:
    """The summary as PDF bytes: the same bytes for the same case and day."""
    from reportlab.lib.pagesizes import letter
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.lib.units import inch
    from reportlab.platypus import KeepTogether, SimpleDocTemplate, Spacer

    from lettergen.letters.document import Run
    from lettergen.writers.pdf_fonts import Layout, unprintable_error
    from lettergen.writers.pdf_writer import BOLD, FONT, _invariant_stamp, _para

    _register()
    base = ParagraphStyle("b", fontName=FONT, fontSize=9.5, leading=11.5, spaceAfter=2)
    styles = {
        "title": ParagraphStyle("t", parent=base, fontName=BOLD, fontSize=15, leading=18),
        "h": ParagraphStyle("h", parent=base, fontName=BOLD, fontSize=11.5, leading=14,
                            spaceBefore=6, spaceAfter=2, keepWithNext=1),
        "body": base,
        "item": ParagraphStyle("i", parent=base, leftIndent=12, firstLineIndent=-12),
        "note": ParagraphStyle("n", parent=base, fontSize=8.5, leading=10, leftIndent=12,
                               textColor=MUTED),
        "strong": ParagraphStyle("s", parent=base, fontName=BOLD, spaceAfter=0,
                                 keepWithNext=1),
        "detail": ParagraphStyle("d", parent=base, fontSize=9, leading=10.5, leftIndent=12),
    }
    layout = Layout()

    def para(text: str, style: str) -> Any:
        return _para((Run(text, bold=style in ("title", "strong")),), styles[style], layout)

    story: list[Any] = [para("Case summary", "title")]
    for heading, lines in _sections(data):
        block = [para(heading, "h")] if heading else []
        for style, text in lines:
            if style == "figure":
                block += [Spacer(1, 3), _drawing(data.shapes[text]), Spacer(1, 3)]
            else:
                block.append(para(text, style))
        story += [KeepTogether(block[:4]), *block[4:]] if heading else block
    if layout.missing:
        raise unprintable_error(layout.missing, "case summary")
    pdf_date = f"D:{data.today:%Y%m%d}000000+00'00'"

    def foot(canvas: Any, doc: Any) -> None:
        canvas.saveState()
        canvas.setFont(FONT, 8)
        canvas.drawString(0.75 * inch, 0.45 * inch, f"{DISCLAIMER} From {data.file_name}, "
                          f"page {doc.page}.")
        canvas.restoreState()

    class Stamped:  # the canvas maker: ReportLab's canvas with fixed stamps
        def __new__(cls, *args: Any, **kwargs: Any) -> Any:
            from reportlab.pdfgen.canvas import Canvas

            canvas = Canvas(*args, **kwargs)
            _invariant_stamp(canvas._doc)
            canvas.setDateFormatter(lambda *_: pdf_date)
            return canvas

    buf = io.BytesIO()
    margin = 0.75 * inch
    doc = SimpleDocTemplate(buf, pagesize=letter, leftMargin=(letter[0] - WIDTH) / 2,
                            rightMargin=(letter[0] - WIDTH) / 2, topMargin=margin,
                            bottomMargin=margin, title="Case summary", author="",
                            subject="", creator="lettergen", producer="lettergen",
                            invariant=1, pageCompression=1, initialFontName=FONT)
    doc.build(story, onFirstPage=foot, onLaterPages=foot, canvasmaker=Stamped)
    return buf.getvalue()


# --- the HTML ---------------------------------------------------------------------------

def svg(figure: tuple[float, list[tuple]], label: str) -> str:
    """A figure as inline SVG, on one line (Markdown keeps a one-line HTML block)."""
    height, shapes = figure
    # width and height give the figure a size of its own: without them a page that
    # centres figures (the guide site's) shrinks it to nothing. 1.5 times the PDF's
    # points reads at body-text size on screen; max-width lets a phone scale it down.
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH:g} {height:g}" '
             f'width="{WIDTH * 1.5:g}" height="{height * 1.5:g}" '
             f'role="img" aria-label="{escape(label)}" class="lettergen-figure" '
             f'style="max-width:100%;height:auto;background:#fff;font-family:\'Liberation Serif\','
             f'\'Times New Roman\',serif"><title>{escape(label)}</title>']
    for shape in shapes:
        kind, *a = shape
        if kind == "line":
            parts.append(f'<line x1="{a[0]:.1f}" y1="{height - a[1]:.1f}" x2="{a[2]:.1f}" '
                         f'y2="{height - a[3]:.1f}" stroke="{a[4]}" stroke-width="{a[5]}"/>')
        elif kind == "rect":
            parts.append(f'<rect x="{a[0]:.1f}" y="{height - a[1] - a[3]:.1f}" '
                         f'width="{a[2]:.1f}" height="{a[3]:.1f}" fill="{a[4]}"/>')
        elif kind == "circle":
            parts.append(f'<circle cx="{a[0]:.1f}" cy="{height - a[1]:.1f}" r="{a[2]}" '
                         f'fill="{a[3]}" stroke="{a[4]}"/>')
        else:
            weight = ' font-weight="bold"' if a[6] else ""
            parts.append(f'<text x="{a[0]:.1f}" y="{height - a[1]:.1f}" font-size="{a[3]}" '
                         f'text-anchor="{a[4]}" fill="{a[5]}"{weight}>{escape(a[2])}</text>')
    return "".join(parts) + "</svg>"


def report_html(data: ReportData, fragment: bool = False) -> str:
    """The summary as a standalone HTML page, or (``fragment``) a block for a web page
    without blank lines, so that Markdown passes it through untouched."""
    labels = {"timeline": "Timeline of today, the deadlines and the mail-by dates",
              "charges": "Each charge billed against its benchmark and the allowed amount"}
    tags = {"body": "p", "item": "p", "note": "p", "strong": "p", "detail": "p"}
    out = ['<div class="lettergen-summary">'] + ([] if fragment else ["<h1>Case summary</h1>"])
    for heading, lines in _sections(data):
        if heading:
            out.append(f"<h{3 if fragment else 2}>{escape(heading)}</h{3 if fragment else 2}>")
        for style, text in lines:
            if style == "figure":
                out.append(f"<figure>{svg(data.shapes[text], labels[text])}</figure>")
                continue
            body = " ".join(escape(text).split())
            if style == "strong":
                body = f"<strong>{body}</strong>"
            out.append(f'<{tags[style]} class="{style}">{body}</{tags[style]}>')
    out.append(f'<p class="note">{escape(DISCLAIMER)}</p></div>')
    html = "\n".join(out)
    if fragment:
        return html
    return ('<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
            '<title>Case summary</title>\n<style>\nbody { font-family: "Liberation Serif", '
            '"Times New Roman", serif; max-width: 6.5in; margin: 0.75in auto; padding: 0 1em; '
            'font-size: 11pt; }\n.note { color: #555; font-size: 10pt; }'
            '\n.detail { margin: 0 0 6pt 12pt; }\nfigure { margin: 6pt 0; }\n</style>\n'
            f"</head>\n<body>\n{html}\n</body>\n</html>\n")


def summaries_page(examples: Any) -> str:
    """The site's "Case summaries" page: the summary of every example case, with the
    same figures as the PDF, so that a reader sees what ``lettergen report`` writes."""
    from pathlib import Path

    from lettergen.case.casefile import load_case
    from lettergen.errors import LettergenError

    out = ["# Case summaries", "",
           "`lettergen report FILE` writes a one-page summary of a case to bring to a "
           "financial counselor or an advocate: the deadlines on a timeline, each charge "
           "against its benchmark and what the plan allowed, the findings and the plan of "
           "letters. These are the summaries of the example cases, as of each case's date.",
           ""]
    for path in sorted(Path(examples).glob("*.toml")):
        try:
            data = build_report(load_case(path))
        except LettergenError as exc:  # an example that does not load is the guide's bug
            out += [f"## {path.stem}", "", f"(no summary: {escape(str(exc))})", ""]
            continue
        out += [f"## {path.stem}", "", f"`lettergen report examples/{path.name}`", "",
                report_html(data, fragment=True), ""]
    return "\n".join(out)
