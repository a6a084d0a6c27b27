"""Write a ``Document`` as a Word file (DOCX) with python-docx.

The letter uses Word's own named styles (Normal, Heading 1-3, List Bullet, List
Number, Table Grid), so a person who opens it in Word or LibreOffice can restyle it
the usual way. The layout numbers come from ``lettergen.writers`` and match the PDF.

The output is byte-identical for the same ``Document``: the core properties carry the
letter date and the author (never "python-docx"), and the zip is rewritten with fixed
member times (python-docx stamps them with the current time). The template's blank
thumbnail and its Word 2010 copy of the styles (``stylesWithEffects.xml``, which would
still say Calibri) are dropped.
"""

from __future__ import annotations

import datetime as _dt
import io
import zipfile

from docx import Document as new_docx
from docx.document import Document as DocxDocument
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK, WD_TAB_ALIGNMENT
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Inches, Pt, RGBColor
from docx.table import _Cell
from docx.text.paragraph import Paragraph as DocxParagraph

from lettergen import writers as L
from lettergen.document import (
    LINE_BREAK,
    Document,
    Heading,
    Inline,
    ListBlock,
    PageBreak,
    Paragraph,
    Signature,
    Table,
)

_ALIGN = {"left": WD_ALIGN_PARAGRAPH.LEFT, "right": WD_ALIGN_PARAGRAPH.RIGHT,
          "center": WD_ALIGN_PARAGRAPH.CENTER}
_THEME_FONT_ATTRS = ("w:asciiTheme", "w:hAnsiTheme", "w:cstheme")
_STYLES_WITH_EFFECTS = "http://schemas.microsoft.com/office/2007/relationships/stylesWithEffects"
_PROPERTY_LIMIT = 255  # characters: python-docx's limit for a core property


def write_docx(doc: Document) -> bytes:
    """The DOCX bytes of ``doc``."""
    docx = new_docx()
    _setup(docx, doc)
    _Body(docx).write(doc.blocks)
    buf = io.BytesIO()
    docx.save(buf)
    return _fix_zip_times(buf.getvalue(), doc.date)


def _language_tag(language: str) -> str:
    """A Word language tag: a bare "en" or "es" is taken as its US variant."""
    return language if "-" in language else f"{language}-US"


def _set_font(rPr, name: str) -> None:
    """Set the Latin and complex-script font of a ``w:rPr``, dropping theme fonts
    (which would win over the named font)."""
    rFonts = rPr.find(qn("w:rFonts"))
    if rFonts is None:
        rFonts = rPr.get_or_add_rFonts()
    for attr in _THEME_FONT_ATTRS:
        rFonts.attrib.pop(qn(attr), None)
    for attr in ("w:ascii", "w:hAnsi", "w:cs"):
        rFonts.set(qn(attr), name)


def _setup(docx: DocxDocument, doc: Document) -> None:
    """Page, styles, footer and metadata."""
    styles = docx.styles
    defaults = styles.element.find(qn("w:docDefaults"))
    default_rpr = defaults.find(qn("w:rPrDefault")).find(qn("w:rPr"))
    _set_font(default_rpr, L.FONT_NAME)
    lang = default_rpr.find(qn("w:lang"))
    if lang is not None:
        lang.set(qn("w:val"), _language_tag(doc.language))

    normal = styles["Normal"]
    _set_font(normal.element.get_or_add_rPr(), L.FONT_NAME)
    normal.font.size = Pt(L.BODY_PT)
    normal.paragraph_format.space_before = Pt(0)
    normal.paragraph_format.space_after = Pt(L.PARAGRAPH_AFTER_PT)
    normal.paragraph_format.line_spacing = 1.0
    normal.paragraph_format.widow_control = True  # no line alone at a page's foot or head
    for level, size in L.HEADING_PT.items():
        heading = styles[f"Heading {level}"]
        _set_font(heading.element.get_or_add_rPr(), L.FONT_NAME)
        heading.font.size = Pt(size)
        heading.font.bold = True
        heading.font.color.rgb = RGBColor(0, 0, 0)
        heading.paragraph_format.space_before = Pt(L.HEADING_BEFORE_PT)
        heading.paragraph_format.space_after = Pt(L.HEADING_AFTER_PT)
    for name in ("List Bullet", "List Bullet 2", "List Number", "List Number 2"):
        styles[name].paragraph_format.space_after = Pt(L.LIST_ITEM_AFTER_PT)
    styles["Footer"].font.size = Pt(L.FOOTER_PT)
    styles["Header"].font.size = Pt(L.HEADER_PT)
    styles["Header"].paragraph_format.tab_stops.clear_all()  # the template's 6.5 in stops

    section = docx.sections[0]
    section.page_width, section.page_height = Inches(L.PAGE_WIDTH_IN), Inches(L.PAGE_HEIGHT_IN)
    section.top_margin = section.bottom_margin = Inches(L.TOP_BOTTOM_MARGIN_IN)
    section.left_margin = section.right_margin = Inches(L.MARGIN_IN)
    section.footer_distance = Inches(L.FOOTER_DISTANCE_IN)
    section.header_distance = Inches(L.HEADER_DISTANCE_IN)
    _page_marks(section, doc.running_head)

    stamp = _dt.datetime(doc.date.year, doc.date.month, doc.date.day)
    core = docx.core_properties
    core.title, core.subject = _property(doc.title), _property(doc.subject)
    core.author = core.last_modified_by = _property(doc.author)
    core.comments = core.keywords = core.category = ""
    core.language = _language_tag(doc.language)
    core.created = core.modified = stamp
    core.revision = 1
    package = docx.part.package
    for rId, rel in list(package.rels.items()):
        if rel.reltype == RT.THUMBNAIL:  # a blank page's picture, not this letter's
            del package.rels[rId]
    for rId, rel in list(docx.part.rels.items()):
        if rel.reltype == _STYLES_WITH_EFFECTS:  # Word 2010's stale copy of the styles
            docx.part.drop_rel(rId)


def _page_marks(section, running_head: str) -> None:
    """As in the PDF: "Page 1 of M" at the foot of the first page; on the later pages
    a header with the running head (patient, claim or account) and "Page N of M"
    at the right margin, and no footer."""
    section.different_first_page_header_footer = True
    footer = section.first_page_footer.paragraphs[0]
    footer.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _add_page_of(footer)
    head = section.header.paragraphs[0]
    head.paragraph_format.tab_stops.add_tab_stop(Pt(L.TEXT_WIDTH_PT), WD_TAB_ALIGNMENT.RIGHT)
    head.add_run(L.clean(running_head) + "\t")
    _add_page_of(head)


def _add_page_of(paragraph: DocxParagraph) -> None:
    """ "Page N of M" as fields that Word and LibreOffice fill in."""
    paragraph.add_run("Page ")
    _add_field(paragraph, "PAGE", "1")
    paragraph.add_run(" of ")
    _add_field(paragraph, "NUMPAGES", "1")


def _property(text: str) -> str:
    """A core property (title, subject, author): python-docx refuses more than 255
    characters, so a longer one is cut at a word with "...". Only the file's metadata
    is shortened; the letter itself keeps every word."""
    text = L.clean(text)
    if len(text) <= _PROPERTY_LIMIT:
        return text
    cut = text[:_PROPERTY_LIMIT - 3]
    space = cut.rfind(" ")
    return (cut[:space] if space > _PROPERTY_LIMIT // 2 else cut).rstrip() + "..."


def _add_field(paragraph: DocxParagraph, instr: str, placeholder: str) -> None:
    """A complex field (begin, instruction, separate, cached result, end) in runs;
    python-docx has no field API, and Word and LibreOffice update these on open."""
    def fld_char(kind: str) -> None:
        el = OxmlElement("w:fldChar")
        el.set(qn("w:fldCharType"), kind)
        paragraph.add_run()._r.append(el)

    fld_char("begin")
    instr_el = OxmlElement("w:instrText")
    instr_el.set(qn("xml:space"), "preserve")
    instr_el.text = f" {instr} "
    paragraph.add_run()._r.append(instr_el)
    fld_char("separate")
    paragraph.add_run(placeholder)
    fld_char("end")


def _add_runs(paragraph: DocxParagraph, runs: Inline) -> None:
    for run in runs:
        if run.text == "\n":
            paragraph.add_run().add_break()
            continue
        r = paragraph.add_run(L.clean(run.text))  # python-docx turns "\n" into <w:br/>
        if run.bold:
            r.bold = True
        if run.italic:
            r.italic = True


class _Body:
    """Appends blocks to the document body, numbering each ordered list afresh."""

    def __init__(self, docx: DocxDocument):
        self.docx = docx
        self.style_ids: dict[str, str] = {}  # python-docx's name lookup scans every style
        self.space_before = 0.0  # owed by the block after a table
        self.break_before = False  # a PageBreak waits for the next paragraph
        self.last: DocxParagraph | None = None  # the last body paragraph, if last written
        self.signed = False  # after a signature: its enclosures and copies stay with it

    def paragraph(self, runs: Inline, style: str | None = None) -> DocxParagraph:
        if self.signed and self.last is not None:
            self.last.paragraph_format.keep_with_next = True
        p = self.docx.add_paragraph()
        if style is not None:
            if style not in self.style_ids:
                self.style_ids[style] = self.docx.styles[style].style_id
            p._p.style = self.style_ids[style]
        _add_runs(p, runs)
        if self.space_before:
            p.paragraph_format.space_before = Pt(self.space_before)
            self.space_before = 0.0
        if self.break_before:
            p.paragraph_format.page_break_before = True
            self.break_before = False
        self.last = p
        return p

    def flush_page_break(self) -> None:
        """A page break that no paragraph can carry (before a table, at the end)."""
        if self.break_before:
            self.break_before = False
            p = self.docx.add_paragraph()
            p.paragraph_format.space_after = Pt(0)
            p.add_run().add_break(WD_BREAK.PAGE)

    def write(self, blocks) -> None:
        for block in blocks:
            if isinstance(block, Paragraph):
                p = self.paragraph(block.runs)
                if block.keep_with_next:
                    p.paragraph_format.keep_with_next = True
            elif isinstance(block, Heading):
                self.space_before = 0.0
                self.paragraph(block.runs, f"Heading {min(max(block.level, 1), 3)}")
            elif isinstance(block, ListBlock):
                self.list_block(block)
            elif isinstance(block, Table):
                self.table(block)
            elif isinstance(block, Signature):
                self.signature(block)
            elif isinstance(block, PageBreak):
                self.space_before = 0.0
                self.signed = False
                self.flush_page_break()  # two breaks in a row: a blank page
                self.break_before = True
            else:
                raise TypeError(f"unknown block {type(block).__name__}")
        self.flush_page_break()

    def list_block(self, block: ListBlock) -> None:
        kind = "List Number" if block.ordered else "List Bullet"
        lead = self.last is not None and self.last.paragraph_format.keep_with_next
        num_ids: dict[int, int] = {}  # level -> the w:num restarting at 1
        last = None
        for number, item in enumerate(block.items):
            if last is not None and (block.keep_together or (lead and number == 1)):
                # all items on one page; or the lead-in with the first two items
                last.paragraph_format.keep_with_next = True
            level = 1 if item.level >= 1 and last is not None else 0
            style = kind if level == 0 else f"{kind} 2"
            last = self.paragraph(item.runs, style)
            if block.ordered:
                if level not in num_ids:
                    num_ids[level] = self._restart_numbering(style)
                if level == 0:
                    num_ids.pop(1, None)  # a nested list under the next item restarts
                numPr = last._p.get_or_add_pPr().get_or_add_numPr()
                numPr.get_or_add_ilvl().val = 0
                numPr.get_or_add_numId().val = num_ids[level]
        if last is not None:
            last.paragraph_format.space_after = Pt(L.PARAGRAPH_AFTER_PT)

    def _restart_numbering(self, style: str) -> int:
        """A new ``w:num`` on the style's list definition, starting again at 1
        (otherwise every numbered list in the letter would continue the first)."""
        numbering = self.docx.part.numbering_part.element
        style_num = self.docx.styles[style].element.pPr.numPr.numId.val
        abstract_id = numbering.num_having_numId(style_num).abstractNumId.val
        num = numbering.add_num(abstract_id)
        num.add_lvlOverride(ilvl=0).add_startOverride(1)
        return num.numId

    def table(self, block: Table) -> None:
        self.space_before = 0.0
        self.last = None
        self.flush_page_break()
        ncols = len(block.header)
        if not ncols:
            return
        widths = [int(w * 12700) for w in L.column_widths(block)]  # points -> EMU
        table = self.docx.add_table(rows=1 + len(block.rows), cols=ncols)
        table.style = self.docx.styles["Table Grid"]
        table.alignment = WD_TABLE_ALIGNMENT.LEFT
        table.autofit = False
        for col, width in zip(table.columns, widths, strict=True):
            col.width = width
        # Walk the rows once and take each row's own cells: python-docx's table.rows[r]
        # and row.cells each rebuild the whole table's cell list, which made a bill of a
        # thousand lines take seconds (quadratic).
        rows = (block.header,) + tuple(block.rows)
        for r, (row, cells) in enumerate(zip(table.rows, rows, strict=True)):
            tr_pr = row._tr.get_or_add_trPr()
            tr_pr.append(OxmlElement("w:cantSplit"))
            if r == 0:
                tr_pr.append(OxmlElement("w:tblHeader"))  # repeat on each page
            for c, tc in enumerate(row._tr.tc_lst):
                cell = _Cell(tc, table)
                cell.width = widths[c]
                p = cell.paragraphs[0]
                fmt = p.paragraph_format
                fmt.space_before = fmt.space_after = Pt(L.TABLE_PAD_PT)
                fmt.alignment = _ALIGN.get(block.align[c] if c < len(block.align) else "left")
                _add_runs(p, cells[c] if c < len(cells) else ())
                for run in p.runs:
                    run.font.size = Pt(L.TABLE_PT)
                    if r == 0:
                        run.bold = True
        self.space_before = L.PARAGRAPH_AFTER_PT

    def signature(self, block: Signature) -> None:
        self.signed = False  # a second signature: what came after the first stays apart
        if self.last is not None:  # at least its last two lines (widow control) go along
            self.last.paragraph_format.keep_with_next = True
        closing = self.paragraph(block.closing)
        closing.paragraph_format.keep_with_next = True
        closing.paragraph_format.space_after = Pt(L.SIGN_SPACE_PT)
        runs: list = []
        for i, line in enumerate(block.lines):
            if i:
                runs.append(LINE_BREAK)
            runs.extend(line)
        lines = self.paragraph(tuple(runs))
        lines.paragraph_format.keep_together = True
        self.signed = True


def _fix_zip_times(data: bytes, date: _dt.date) -> bytes:
    """The same zip with every member dated ``date`` 00:00, in the same order."""
    stamp = (max(date.year, 1980), date.month, date.day, 0, 0, 0)
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, \
            zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            fixed = zipfile.ZipInfo(info.filename, date_time=stamp)
            fixed.compress_type = zipfile.ZIP_DEFLATED
            fixed.create_system = 0
            fixed.external_attr = 0
            body = src.read(info.filename)
            if info.filename == "docProps/app.xml":  # python-docx's template names a Mac Word
                body = body.replace(b"<Application>Microsoft Macintosh Word</Application>",
                                    b"<Application>lettergen</Application>")
            dst.writestr(fixed, body)
    return out.getvalue()
