"""The pages a packet adds, drawn with ReportLab: the exhibit index, an exhibit's cover
sheet, the fax cover, an image placed on a page, and the page-number stamps.

Text from the case file goes through the letter writer's ``_para``, so a name in any
script prints as in the letter (or stops with ``UnprintableTextError``, naming the
character). ReportLab runs in invariant mode: the same input gives the same bytes.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from typing import Any

from lettergen.letters.document import Run

MARGIN = 0.75 * 72  # points
STAMP_PT = 8
STAMP_BASE = 20  # points above the page's bottom edge, below the letter's own footer


@dataclass(frozen=True)
class IndexRow:
    label: str
    title: str
    page: str  # "5", or "5 (part 2)"


@dataclass(frozen=True)
class FaxCover:
    to: str
    to_fax: str
    sender: str
    sender_phone: str
    sender_email: str
    date: str
    pages: str
    subject: str


CONFIDENTIAL = ("Confidential: this fax holds protected health information meant only for "
                "the person or office named above. If you received it in error, please call "
                "or write to the sender, and destroy every page without reading, copying or "
                "passing it on.")


def _canvas(*args: Any, **kwargs: Any) -> Any:
    """ReportLab's canvas in invariant mode, with the letter writer's fixed file stamp."""
    from reportlab.pdfgen.canvas import Canvas

    from lettergen.writers.pdf_writer import _invariant_stamp, _register_fonts

    _register_fonts()
    kwargs.update(invariant=1, pageCompression=1)
    canvas = Canvas(*args, **kwargs)
    _invariant_stamp(canvas._doc)
    return canvas


def _styles() -> dict[str, Any]:
    from reportlab.lib.enums import TA_CENTER
    from reportlab.lib.styles import ParagraphStyle

    from lettergen.writers.pdf_writer import BOLD, FONT

    body = ParagraphStyle("body", fontName=FONT, fontSize=11, leading=14, spaceAfter=4)
    return {
        "body": body,
        "small": ParagraphStyle("small", parent=body, fontSize=9.5, leading=12),
        "title": ParagraphStyle("title", parent=body, fontName=BOLD, fontSize=18,
                                leading=22, spaceAfter=10),
        "cell": ParagraphStyle("cell", parent=body, spaceAfter=0),
        "head": ParagraphStyle("head", parent=body, fontName=BOLD, spaceAfter=0),
        "big": ParagraphStyle("big", parent=body, fontName=BOLD, fontSize=32, leading=38,
                              alignment=TA_CENTER, spaceAfter=18),
        "centre": ParagraphStyle("centre", parent=body, fontSize=14, leading=18,
                                 alignment=TA_CENTER, spaceAfter=8),
    }


def _story_pdf(build_story: Any, what: str) -> bytes:
    """A letter-size PDF of the flowables ``build_story(para, styles)`` returns."""
    from reportlab.lib.pagesizes import letter
    from reportlab.platypus import SimpleDocTemplate

    from lettergen.writers.pdf_fonts import Layout, unprintable_error
    from lettergen.writers.pdf_writer import _para

    layout, styles = Layout(), _styles()

    def para(text: str, style: str = "body", bold: bool = False) -> Any:
        return _para((Run(text, bold=bold),), styles[style], layout)

    story = build_story(para, styles)
    if layout.missing:
        raise unprintable_error(layout.missing, what)
    buf = io.BytesIO()
    doc = SimpleDocTemplate(buf, pagesize=letter, leftMargin=MARGIN, rightMargin=MARGIN,
                            topMargin=MARGIN, bottomMargin=MARGIN, invariant=1,
                            pageCompression=1)
    doc.build(story, canvasmaker=_canvas)
    return buf.getvalue()


def _grid(rows: list[list[Any]], widths: list[float], header: bool) -> Any:
    from reportlab.platypus import Table, TableStyle

    table = Table(rows, colWidths=widths, repeatRows=1 if header else 0, hAlign="LEFT")
    style = [("VALIGN", (0, 0), (-1, -1), "TOP"), ("LEFTPADDING", (0, 0), (-1, -1), 0),
             ("RIGHTPADDING", (0, 0), (-1, -1), 8), ("BOTTOMPADDING", (0, 0), (-1, -1), 5)]
    if header:
        style.append(("LINEBELOW", (0, 0), (-1, 0), 0.75, "black"))
    table.setStyle(TableStyle(style))
    return table


def index_pdf(heading: str, reference: str, rows: list[IndexRow],
              unattached: list[str]) -> bytes:
    """The exhibit index: each exhibit's label, title and first page in the packet; then
    the enclosures the letter lists that have no file, marked as not attached."""
    from reportlab.platypus import Spacer

    def story(para: Any, styles: dict[str, Any]) -> list[Any]:
        width = 612 - 2 * MARGIN
        out = [para("Exhibits", "title", bold=True), para(heading), para(reference),
               Spacer(1, 10)]
        if rows:
            cells = [[para("Exhibit", "head"), para("Document", "head"),
                      para("Page", "head")]]
            cells += [[para(r.label, "cell"), para(r.title, "cell"), para(r.page, "cell")]
                      for r in rows]
            out.append(_grid(cells, [0.9 * 72, width - 1.9 * 72, 1.0 * 72], header=True))
        else:
            out.append(para("No documents are attached to this packet."))
        if unattached:
            out += [Spacer(1, 14), para("Listed in the letter, not attached to this packet",
                                        "head"), Spacer(1, 4)]
            out += [para(f"{title}: not attached (no file given)", "cell")
                    for title in unattached]
        return out

    return _story_pdf(story, "exhibit index")


def exhibit_cover_pdf(label: str, title: str, reference: str, pages: int) -> bytes:
    """The sheet in front of an exhibit: "Exhibit A", its title, the patient and the
    number the recipient files the case under, and its length."""
    from reportlab.platypus import Spacer

    def story(para: Any, styles: dict[str, Any]) -> list[Any]:
        length = "1 page" if pages == 1 else f"{pages} pages"
        return [Spacer(1, 2.6 * 72), para(f"Exhibit {label}", "big", bold=True),
                para(title, "centre"), Spacer(1, 12), para(reference, "centre"),
                para(f"{length} follow{'s' if pages == 1 else ''}", "centre")]

    return _story_pdf(story, f"exhibit {label} cover sheet")


def fax_cover_pdf(cover: FaxCover) -> bytes:
    """The fax cover sheet: to, from, date, pages and a subject that names the claim,
    never a diagnosis, code or amount, and the confidentiality notice."""
    from reportlab.platypus import Spacer

    def story(para: Any, styles: dict[str, Any]) -> list[Any]:
        fields = [("To", cover.to), ("Fax", cover.to_fax or "______________________"),
                  ("From", cover.sender), ("Phone", cover.sender_phone),
                  ("Email", cover.sender_email), ("Date", cover.date),
                  ("Pages", cover.pages), ("Subject", cover.subject)]
        cells = [[para(name, "head"), para(value, "cell")] for name, value in fields if value]
        return [para("Fax", "title", bold=True), Spacer(1, 6),
                _grid(cells, [1.1 * 72, 612 - 2 * MARGIN - 1.1 * 72], header=False),
                Spacer(1, 24), para(CONFIDENTIAL, "small")]

    return _story_pdf(story, "fax cover")


def image_page(image: Any, jpeg: bytes | None = None) -> bytes:
    """A letter-size page with ``image`` scaled to fit inside the margins (aspect ratio
    kept), at the top, centred. ``jpeg``: the file's bytes, embedded as they are."""
    from reportlab.lib.pagesizes import letter
    from reportlab.lib.utils import ImageReader

    width, height = image.size
    box_w, box_h = letter[0] - 2 * MARGIN, letter[1] - 2 * MARGIN
    scale = min(box_w / width, box_h / height)
    w, h = width * scale, height * scale
    buf = io.BytesIO()
    canvas = _canvas(buf, pagesize=letter)
    source = ImageReader(io.BytesIO(jpeg)) if jpeg else ImageReader(image)
    canvas.drawImage(source, (letter[0] - w) / 2, letter[1] - MARGIN - h, w, h)
    canvas.showPage()
    canvas.save()
    return buf.getvalue()


def stamps_pdf(pages: list[tuple[float, float, str]]) -> bytes:
    """One page per (width, height, text): the text at the bottom right, on a white
    patch so that it reads over a scan's margin."""
    from lettergen.writers.pdf_writer import FONT

    buf = io.BytesIO()
    canvas = _canvas(buf, pagesize=(612, 792))
    for width, height, text in pages:
        canvas.setPageSize((width, height))
        text_w = canvas.stringWidth(text, FONT, STAMP_PT)
        right = width - MARGIN
        canvas.setFillColorRGB(1, 1, 1)
        canvas.rect(right - text_w - 3, STAMP_BASE - 3, text_w + 6, STAMP_PT + 4,
                    stroke=0, fill=1)
        canvas.setFillColorRGB(0, 0, 0)
        canvas.setFont(FONT, STAMP_PT)
        canvas.drawRightString(right, STAMP_BASE, text)
        canvas.showPage()
    canvas.save()
    return buf.getvalue()
