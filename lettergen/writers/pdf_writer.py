"""Write a ``Document`` as a PDF with ReportLab Platypus.

The text is set in Liberation Serif (shipped in ``lettergen/fonts``), embedded as a
TrueType subset with a Unicode map, so every glyph prints as on screen and the text
stays selectable and searchable (names, "$27,000.00", "§", "José Ñúñez", “quotes”).
Liberation Serif has the metrics of Times New Roman, the DOCX font, and the layout
numbers come from ``lettergen.writers``, so the PDF and the DOCX break lines alike.

Text Liberation Serif cannot draw (Arabic, Devanagari, Thai, Chinese, Japanese,
Korean, symbols, emoji), and right-to-left text, go through ``pdf_fonts``: a shipped
font per stretch, read only when a letter uses it, the bidirectional algorithm and
HarfBuzz shaping. A character no shipped font has stops the PDF with
``UnprintableTextError``, naming it.

A pack's style (``Document.style``) sets the family (Liberation Serif, or Liberation
Sans for ``font = "sans"``), the body size, the four margins, a footer line printed
small on every page (above "Page 1 of M" on the first), and a letterhead at the top
of the first page: the logo at its width beside the organisation's name in bold, the
address lines and one line of phone, email and website, and a rule under them, as in
the DOCX. The pack's name and version go into the file's /Creator
("lettergen; pack NAME VERSION"); nothing else of the pack, and nothing of the case
but the title, author and subject.

The output is byte-identical for the same ``Document``, whatever the environment:
ReportLab's invariant mode fixes the file ID (its seed is reset when
SOURCE_DATE_EPOCH is set), and the creation date is the letter date.
"""

from __future__ import annotations

import datetime as _dt
import hashlib
import io
import time
from importlib.resources import as_file, files

from reportlab.lib.enums import TA_CENTER, TA_LEFT, TA_RIGHT
from reportlab.lib.pagesizes import letter
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import inch
from reportlab.lib.utils import ImageReader, TimeStamp
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    BaseDocTemplate,
    Flowable,
    Frame,
    Image,
    KeepTogether,
    PageTemplate,
    TableStyle,
)
from reportlab.platypus import PageBreak as RLPageBreak
from reportlab.platypus import Paragraph as RLParagraph
from reportlab.platypus import (
    Table as RLTable,
)

from lettergen import writers as L
from lettergen.errors import PackError
from lettergen.letters.document import (
    LINE_BREAK,
    Document,
    Heading,
    Inline,
    ListBlock,
    PageBreak,
    Paragraph,
    Run,
    Signature,
    Table,
)
from lettergen.packs.style import Letterhead
from lettergen.writers import pdf_fonts
from lettergen.writers.pdf_fonts import TTFont

FONT = pdf_fonts.LATIN
BOLD = pdf_fonts.LATIN_FACES[(True, False)]
_STYLE_OF = {(False, False): "Regular", (True, False): "Bold", (False, True): "Italic",
             (True, True): "BoldItalic"}
_registered: set[str] = set()
_ALIGN = {"left": TA_LEFT, "right": TA_RIGHT, "center": TA_CENTER}


def _register_fonts(italic: bool = False, family: str = FONT) -> None:
    """Register a Liberation family's faces as one family, once per process, so that
    ``<b>`` and ``<i>`` in Paragraph markup pick the bold and italic faces. Reading a
    TrueType file costs about 20 ms, so the italic faces are read only when a document
    uses italics."""
    faces = pdf_fonts.latin_faces(family)
    wanted = [key for key in faces if italic or not key[1]]
    missing = [key for key in wanted if faces[key] not in _registered]
    if not missing:
        return
    folder = files("lettergen") / "fonts"
    for key in missing:
        name = faces[key]
        if name not in pdfmetrics.getRegisteredFontNames():  # pdf_fonts may have read it
            with as_file(folder / f"{family}-{_STYLE_OF[key]}.ttf") as path:
                pdfmetrics.registerFont(TTFont(name, str(path)))
        _registered.add(name)
    pdfmetrics.registerFontFamily(family, normal=faces[(False, False)],
                                  bold=faces[(True, False)], italic=faces[(False, True)],
                                  boldItalic=faces[(True, True)])


def _uses_italic(doc: Document) -> bool:
    def runs(block: object) -> list:
        if isinstance(block, (Paragraph, Heading)):
            return list(block.runs)
        if isinstance(block, ListBlock):
            return [r for item in block.items for r in item.runs]
        if isinstance(block, Table):
            return [r for row in (block.header, *block.rows) for cell in row for r in cell]
        if isinstance(block, Signature):
            return list(block.closing) + [r for line in block.lines for r in line]
        return []

    return any(run.italic for block in doc.blocks for run in runs(block))


def _styles(page: L.Layout) -> dict[str, ParagraphStyle]:
    # No line of a paragraph alone at the foot or the head of a page (Word's widow and
    # orphan control, which the DOCX sets too).
    font, bold = page.pdf_font, pdf_fonts.latin_faces(page.pdf_font)[(True, False)]
    body = ParagraphStyle("body", fontName=font, fontSize=page.body_pt, leading=page.leading_pt,
                          spaceAfter=L.PARAGRAPH_AFTER_PT, allowWidows=0, allowOrphans=0)
    styles = {"body": body, "lead": ParagraphStyle("lead", parent=body, keepWithNext=1),
              "head": ParagraphStyle("head", parent=body, fontSize=L.HEADER_PT,
                                     leading=L.HEADER_PT * 1.15, spaceAfter=0),
              "foot": ParagraphStyle("foot", parent=body, fontSize=L.FOOTER_PT,
                                     leading=L.FOOTER_PT * L.LINE_HEIGHT, spaceAfter=0,
                                     alignment=TA_CENTER)}
    for level, size in page.heading_pt.items():
        styles[f"h{level}"] = ParagraphStyle(
            f"h{level}", parent=body, fontName=bold, fontSize=size, leading=size * 1.2,
            spaceBefore=L.HEADING_BEFORE_PT, spaceAfter=L.HEADING_AFTER_PT, keepWithNext=1)
    for level in (0, 1):
        styles[f"li{level}"] = ParagraphStyle(
            f"li{level}", parent=body, spaceAfter=L.LIST_ITEM_AFTER_PT,
            leftIndent=L.LIST_INDENT_PT * (level + 1), bulletIndent=L.LIST_INDENT_PT * level,
            bulletFontName=font, bulletFontSize=page.body_pt)
    for align, value in _ALIGN.items():
        styles[f"td-{align}"] = ParagraphStyle(
            f"td-{align}", parent=body, fontSize=page.table_pt, leading=page.table_leading_pt,
            spaceAfter=0, alignment=value)
        styles[f"th-{align}"] = ParagraphStyle(f"th-{align}", parent=styles[f"td-{align}"],
                                               fontName=bold)
    name_pt = page.body_pt + L.LETTERHEAD_NAME_PLUS_PT
    styles["lh-name"] = ParagraphStyle("lh-name", parent=body, fontName=bold, fontSize=name_pt,
                                       leading=round(name_pt * L.LINE_HEIGHT, 2), spaceAfter=2)
    line_pt = page.body_pt - 1
    styles["lh-line"] = ParagraphStyle("lh-line", parent=body, fontSize=line_pt,
                                       leading=round(line_pt * L.LINE_HEIGHT, 2), spaceAfter=0)
    return styles


class _Paragraph(RLParagraph):
    """ReportLab's Paragraph, breaking its lines once for each width it is given.

    Platypus wraps most paragraphs twice at the same width: once to measure what
    must stay together (a lead-in and its list, widow control, a signature) and again
    when the frame places it. Line breaking is a third of the PDF writer's time and
    depends on the width only, so a second wrap at the same width returns the first
    one's result, as long as nothing has touched it since (``split`` drops the lines
    when the paragraph must move on whole)."""

    _last_wrap: tuple[float, object, tuple[float, float]] | None = None

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        last = self._last_wrap
        if last is not None and last[0] == availWidth \
                and self.__dict__.get("blPara") is last[1] \
                and (self.width, self.height) == last[2]:
            return last[2]
        size = super().wrap(availWidth, availHeight)
        lines = self.__dict__.get("blPara")
        self._last_wrap = (availWidth, lines, size) if lines is not None else None
        return size


def _para(runs: Inline, style: ParagraphStyle, layout: pdf_fonts.Layout,
          bullet: str | None = None) -> RLParagraph:
    """A paragraph of ``runs``: as markup when Liberation Serif draws all of it left
    to right (the common case, unchanged), else laid out and shaped by ``pdf_fonts``."""
    lines: list[list[tuple[str, bool, bool]]] = [[]]
    for run in runs:
        bold = run.bold or style.fontName == layout.latin[(True, False)]
        for k, part in enumerate(L.clean(run.text).split("\n")):
            if k:
                lines.append([])
            if part:
                lines[-1].append((part, bold, run.italic))
    if not any(pdf_fonts.needs_layout(text) for line in lines for text, _, _ in line):
        return _Paragraph(_markup(runs), style, bulletText=bullet)
    return layout.paragraph(lines, style, bullet)


def _escape(text: str) -> str:
    """``xml.sax.saxutils.escape``, whose module imports urllib.request, http.client
    and email (35 ms of a cold build) for nothing a letter needs."""
    return text.replace("&", "&amp;").replace(">", "&gt;").replace("<", "&lt;")


def _markup(runs: Inline) -> str:
    """ReportLab's mini-markup for some runs: the text escaped, so that "<b>", "&"
    and the like typed in a case file come out exactly as typed."""
    parts = []
    for run in runs:
        if run.text == "\n":
            parts.append("<br/>")
            continue
        text = _escape(L.clean(run.text)).replace("\n", "<br/>")
        if run.italic:
            text = f"<i>{text}</i>"
        if run.bold:
            text = f"<b>{text}</b>"
        parts.append(text)
    return "".join(parts)


def _flowables(doc: Document, styles: dict[str, ParagraphStyle],
               layout: pdf_fonts.Layout, page: L.Layout) -> list[Flowable]:
    story: list[Flowable] = []
    if doc.style.letterhead is not None:
        story.append(_letterhead(doc.style.letterhead, doc.style.pack_name, styles, layout,
                                 page))
    for before, block in zip((None, *doc.blocks), doc.blocks, strict=False):
        if isinstance(block, Paragraph):
            style = styles["lead" if block.keep_with_next else "body"]
            story.append(_para(block.runs, style, layout))
        elif isinstance(block, Heading):
            level = min(max(block.level, 1), 3)
            story.append(_para(block.runs, styles[f"h{level}"], layout))
        elif isinstance(block, ListBlock):
            items = _list(block, styles, layout)
            lead = isinstance(before, Paragraph) and before.keep_with_next
            # Chained with keepWithNext, which Platypus joins to the lead-in (it would
            # not join a KeepTogether): all the items, or the lead-in's first two.
            chained = items[:-1] if block.keep_together else items[:1] if lead else []
            for item in chained if len(items) > 1 else []:
                item.keepWithNext = 1
            story.extend(items)
        elif isinstance(block, Table):
            if block.header:
                story.append(_table(block, styles, layout, page))
        elif isinstance(block, Signature):
            closing = ParagraphStyle("closing", parent=styles["body"], spaceAfter=L.SIGN_SPACE_PT)
            lines: Inline = ()
            for number, line in enumerate(block.lines):
                lines += ((LINE_BREAK,) if number else ()) + tuple(line)
            story.append(_Signed([_para(block.closing, closing, layout),
                                  _para(lines, styles["body"], layout)]))
        elif isinstance(block, PageBreak):
            story.append(RLPageBreak())
        else:
            raise TypeError(f"unknown block {type(block).__name__}")
    return _keep_signatures(story)


class _Signed(Flowable):
    """Where the signature goes, until ``_keep_signatures`` puts it together."""

    def __init__(self, flowables: list[Flowable]):
        super().__init__()
        self.flowables = flowables


def _keep_signatures(story: list[Flowable]) -> list[Flowable]:
    """Each signature kept on one page with what follows it up to a page break (the
    enclosures and cc lines, which must not stand alone on a last page) and with the
    end of the body before it (``_WithTail``)."""
    out: list[Flowable] = []
    i = 0
    while i < len(story):
        if not isinstance(story[i], _Signed):
            out.append(story[i])
            i += 1
            continue
        end = next((j for j in range(i + 1, len(story))
                    if isinstance(story[j], (RLPageBreak, _Signed))), len(story))
        group = story[i].flowables + story[i + 1:end]
        if out and isinstance(out[-1], RLParagraph):
            out.append(_WithTail(out.pop(), group))
        else:
            out.append(KeepTogether(group))
        i = end
    return out


class _WithTail(KeepTogether):
    """A body paragraph and the signature after it (with the enclosures and copies):
    the signature never starts a page alone. At a page end the paragraph is split so
    that its last two lines go over with the closing, or all of it goes when fewer than
    two lines would stay behind."""

    def __init__(self, paragraph: RLParagraph, signature: list[Flowable]):
        super().__init__([paragraph, *signature])
        self.paragraph, self.signature = paragraph, signature

    def split(self, aw: float, ah: float) -> list[Flowable]:
        para = self.paragraph
        _, height = para.wrapOn(self.canv, aw, ah)
        leading = para.style.leading
        lines = round((height - para.style.spaceAfter) / leading)
        keep = min(int(ah // leading), lines - 2)  # the lines that stay on this page
        parts = para.splitOn(self.canv, aw, keep * leading + 1e-3) if keep >= 2 else []
        if len(parts) != 2:
            return super().split(aw, ah)
        return [parts[0], KeepTogether([parts[1], *self.signature])]


def _list(block: ListBlock, styles: dict[str, ParagraphStyle],
          layout: pdf_fonts.Layout) -> list[Flowable]:
    """Indented paragraphs with a hanging bullet or number, numbered like Word's
    List Number: 1, 2, 3 at each level, a nested run starting again at 1."""
    out: list[Flowable] = []
    counters = [0, 0]
    for i, item in enumerate(block.items):
        level = 1 if item.level >= 1 and i > 0 else 0
        counters[level] += 1
        if level == 0:
            counters[1] = 0
        style = styles[f"li{level}"]
        if i == len(block.items) - 1:
            style = ParagraphStyle("li-last", parent=style, spaceAfter=L.PARAGRAPH_AFTER_PT)
        bullet = f"{counters[level]}." if block.ordered else "\u2022"
        out.append(_para(item.runs, style, layout, bullet))
    return out


def _letterhead(head: Letterhead, pack_name: str, styles: dict[str, ParagraphStyle],
                layout: pdf_fonts.Layout, page: L.Layout) -> Flowable:
    """The letterhead, as in the DOCX: a table of one row, the logo (when there is
    one) beside the organisation's name and the lines under it, ruled off below."""
    text: list[Flowable] = []
    if head.organization.strip():
        text.append(_para((Run(head.organization.strip(), bold=True),), styles["lh-name"],
                          layout))
    text += [_para((Run(line),), styles["lh-line"], layout)
             for line in L.letterhead_lines(head)]
    cells: list[object] = []
    widths: list[float] = []
    if head.logo:
        width, height = L.logo_size(head, pack_name)
        try:  # ReportLab reads the image only when it draws it: read it here once
            ImageReader(io.BytesIO(head.logo)).getRGBData()
        except Exception as exc:  # a damaged image: Pillow's many errors
            raise PackError(f"pack {pack_name or '(unnamed)'}: [style.letterhead] logo cannot "
                            f"be read as an image ({exc}); save it again as PNG or JPEG, or "
                            "remove logo from pack.toml") from None
        cells.append(Image(io.BytesIO(head.logo), width=width, height=height))
        widths.append(width + (L.LETTERHEAD_GAP_PT if text else 0))
    if text:
        cells.append(text)
        widths.append(page.text_width_pt - sum(widths))
    table = RLTable([cells], colWidths=widths, hAlign="LEFT", spaceAfter=L.LETTERHEAD_GAP_PT)
    table.setStyle(TableStyle([
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("FONT", (0, 0), (-1, -1), page.pdf_font, page.body_pt, page.leading_pt),
        ("LEFTPADDING", (0, 0), (-1, -1), 0),
        ("RIGHTPADDING", (0, 0), (-1, -1), 0),
        ("TOPPADDING", (0, 0), (-1, -1), 0),
        ("BOTTOMPADDING", (0, 0), (-1, -1), L.LETTERHEAD_PAD_PT),
        ("LINEBELOW", (0, 0), (-1, -1), L.LETTERHEAD_RULE_PT, "black"),
    ]))
    return table


def _table(block: Table, styles: dict[str, ParagraphStyle],
           layout: pdf_fonts.Layout, page: L.Layout) -> RLTable:
    ncols = len(block.header)
    align = [block.align[c] if c < len(block.align) else "left" for c in range(ncols)]
    data = []
    for r, cells in enumerate((block.header,) + tuple(block.rows)):
        kind = "th" if r == 0 else "td"
        data.append([_para(cells[c] if c < len(cells) else (),
                           styles[f"{kind}-{align[c] if align[c] in _ALIGN else 'left'}"], layout)
                     for c in range(ncols)])
    table = RLTable(data, colWidths=L.column_widths(block, page.text_width_pt, page.table_pt),
                    repeatRows=1, hAlign="LEFT", spaceAfter=L.PARAGRAPH_AFTER_PT)
    table.setStyle(TableStyle([
        ("GRID", (0, 0), (-1, -1), 0.5, "black"),
        ("FONT", (0, 0), (-1, -1), page.pdf_font, page.table_pt,  # not Helvetica
         page.table_leading_pt),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LEFTPADDING", (0, 0), (-1, -1), L.TABLE_CELL_MARGIN_PT),
        ("RIGHTPADDING", (0, 0), (-1, -1), L.TABLE_CELL_MARGIN_PT),
        ("TOPPADDING", (0, 0), (-1, -1), L.TABLE_PAD_PT),
        ("BOTTOMPADDING", (0, 0), (-1, -1), L.TABLE_PAD_PT + 1),
    ]))
    return table


# ReportLab seeds the file /ID with a time stamp (reportlab.lib.utils.TimeStamp): in
# invariant mode 2000-01-01 (946684800.0), unless SOURCE_DATE_EPOCH is set, which it
# then reads. The stamp of an unset variable is put back, so the bytes do not depend on
# the environment (and are those of before).
_INVARIANT_TIME = 946684800.0


def _invariant_stamp(pdf: object) -> None:
    """Give a new ReportLab ``PDFDocument`` the time stamp and /ID seed it has in
    invariant mode without SOURCE_DATE_EPOCH. Nothing has been added to the seed yet:
    ReportLab adds the document information only when the file is written."""
    stamp = TimeStamp.__new__(TimeStamp)
    stamp.t = _INVARIANT_TIME
    stamp.lt = time.gmtime(_INVARIANT_TIME)
    stamp.YMDhms = tuple(stamp.lt)[:6]
    stamp.dhh = stamp.dmm = 0
    stamp.tzname = "UTC"
    pdf._timeStamp = stamp
    seed = hashlib.md5(usedforsecurity=False)
    seed.update(b"a reportlab document")
    seed.update(ascii(_INVARIANT_TIME).encode("ascii"))
    pdf.signature = seed


def _canvas_class(date: _dt.date, head: Flowable | None, page: L.Layout,
                  foot: Flowable | None = None, language: str = "en") -> type[Canvas]:
    """A canvas that holds pages back until the end so it can print "Page N of M":
    at the foot of the first page, and on every later page at the head, after the
    running head (``head``, the patient and the claim or account). A pack's footer
    (``foot``) is printed at the foot of every page, above "Page 1 of M" on the first,
    as Word prints the DOCX's footers. It dates the file with the letter date whatever
    the environment."""
    pdf_date = f"D:{date:%Y%m%d}000000+00'00'"
    width = page.text_width_pt
    top = (L.PAGE_HEIGHT_IN - page.header_distance_in) * inch
    left = page.left_in * inch
    base = page.footer_distance_in * inch
    font = page.pdf_font
    page_word, of_word = L.page_words(language)

    class NumberedCanvas(Canvas):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            _invariant_stamp(self._doc)
            self.setDateFormatter(lambda *_: pdf_date)
            self._pages: list[dict] = []

        def showPage(self) -> None:
            self._pages.append(dict(self.__dict__))
            self._startPage()

        def save(self) -> None:
            total = len(self._pages)
            for number, state in enumerate(self._pages, 1):
                self.__dict__.update(state)
                label = f"{page_word} {number} {of_word} {total}"
                if foot is not None:  # the pack's line; on the first page above the label
                    _, height = foot.wrap(width, L.FOOTER_PT * 6)
                    lift = L.FOOTER_PT * L.LINE_HEIGHT if number == 1 else 0
                    foot.drawOn(self, left, base + lift - L.FOOTER_PT * 0.22)
                if number == 1:
                    self.setFont(font, L.FOOTER_PT)
                    self.drawCentredString(left + width / 2, base, label)
                else:  # drawn before the page's text, so that it is read first
                    body, self._code = self._code, []
                    self.saveState()
                    if head is not None:
                        room = width - self.stringWidth(label, font, L.HEADER_PT) - 18
                        _, height = head.wrap(room, L.HEADER_PT * 3)
                        head.drawOn(self, left, top - height)
                    self.setFont(font, L.HEADER_PT)
                    right = left + width
                    self.drawRightString(right, top - L.HEADER_PT, label)
                    self.restoreState()
                    self._code += body
                Canvas.showPage(self)
            Canvas.save(self)

    return NumberedCanvas


def _creator(pack_name: str, pack_version: str) -> str:
    """/Creator: "lettergen", and the pack whose style the letter has."""
    pack = " ".join(" ".join(L.clean(part).split()) for part in (pack_name, pack_version)
                    if part.strip())
    return f"lettergen; pack {pack}" if pack_name.strip() else "lettergen"


def write_pdf(doc: Document) -> bytes:
    """The PDF bytes of ``doc``."""
    page = L.layout_of(doc.style)
    _register_fonts(italic=_uses_italic(doc), family=page.pdf_font)
    layout = pdf_fonts.Layout(latin=pdf_fonts.latin_faces(page.pdf_font))
    styles = _styles(page)
    foot = _para((Run(page.footer),), styles["foot"], layout) if page.footer else None
    bottom = page.bottom_in * inch
    if foot is not None:  # the body stops above a footer of several lines, as in Word
        _, height = foot.wrap(page.text_width_pt, L.FOOTER_PT * 6)
        bottom = max(bottom, page.footer_distance_in * inch + height
                     + L.FOOTER_PT * L.LINE_HEIGHT + 4)
    buf = io.BytesIO()
    template = BaseDocTemplate(
        buf, pagesize=letter, leftMargin=page.left_in * inch, rightMargin=page.right_in * inch,
        topMargin=page.top_in * inch, bottomMargin=bottom, title=L.clean(doc.title),
        author=L.clean(doc.author), subject=L.clean(doc.subject),
        creator=_creator(doc.style.pack_name, doc.style.pack_version), producer="lettergen",
        lang=doc.language, invariant=1, pageCompression=1, initialFontName=page.pdf_font,
        initialFontSize=page.body_pt, initialLeading=page.leading_pt)  # not RL_pageCompression
    # A frame without Platypus's default 6 pt padding: text starts at the margin, as in Word.
    body = Frame(page.left_in * inch, bottom, template.width, template.height, id="body",
                 leftPadding=0, rightPadding=0, topPadding=0, bottomPadding=0)
    template.addPageTemplates([PageTemplate(id="letter", frames=[body])])
    story = _flowables(doc, styles, layout, page)
    head = _para((Run(doc.running_head),), styles["head"], layout) if doc.running_head else None
    if layout.missing:
        raise pdf_fonts.unprintable_error(layout.missing, L.clean(doc.title))
    template.build(story, canvasmaker=_canvas_class(doc.date, head, page, foot,
                                                              doc.language))
    return buf.getvalue()
