"""Write a ``Document`` as a Word file (DOCX) with python-docx.

The letter uses Word's own named styles (Normal, Heading 1-3, List Bullet, List
Number, Table Grid), so a person who opens it in Word or LibreOffice can restyle it
the usual way. The layout numbers come from ``lettergen.writers`` and match the PDF.

The output is byte-identical for the same ``Document``: the core properties carry the
letter date and the author (never "python-docx"), and the zip members are dated the
letter's date (python-docx stamps them with the current time; ``docx_package``). The
template's blank thumbnail and its Word 2010 copy of the styles
(``stylesWithEffects.xml``, which would still say Calibri) are dropped.

A pack's style (``Document.style``) sets the font (Times New Roman, or Arial for
``font = "sans"``: the metrics of the PDF's Liberation faces), the body size, the four
margins, a footer line on every page (above "Page 1 of M" on the first) and a
letterhead: a borderless table at the top of the body, ruled off below, with the logo
beside the organisation's name in bold, the address lines and one line of phone,
email and website, all editable in Word. The pack's name and version are recorded
in the core properties as ``category`` (the name) and ``version``; nothing else of the
pack.

With a ``reference_docx`` the letter starts from that document: its styles, its page
and its headers and footers are kept and its body is replaced by the letter. Its
fonts, sizes and margins stay unless the pack's ``[style]`` gives other ones than the
built-in look (a value equal to the built-in default counts as not given: ``Style``
does not say which keys a pack set). A header or footer of its own (one with text or
a picture) is kept as it is; where it has none, the letter's own page marks go there,
and a ``[style] footer`` replaces its footers. Styles the letter needs and the
reference lacks (lists, headings, Table Grid) are copied in from python-docx's
template with their numbering. A reference python-docx cannot open is a
``PackError``.
"""

from __future__ import annotations

import copy
import datetime as _dt
import io
import re
from collections.abc import Callable
from typing import Any

from docx import Document as new_docx
from docx.document import Document as DocxDocument
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT, WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK, WD_TAB_ALIGNMENT
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Emu, Inches, Pt, RGBColor
from docx.table import _Cell
from docx.text.paragraph import Paragraph as DocxParagraph

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
    Signature,
    Table,
)
from lettergen.packs.style import DEFAULT_STYLE, Letterhead, Style
from lettergen.writers.docx_package import SharedBlob, save, starting_document

_ALIGN = {"left": WD_ALIGN_PARAGRAPH.LEFT, "right": WD_ALIGN_PARAGRAPH.RIGHT,
          "center": WD_ALIGN_PARAGRAPH.CENTER}
_THEME_FONT_ATTRS = ("w:asciiTheme", "w:hAnsiTheme", "w:cstheme")
_STYLES_WITH_EFFECTS = "http://schemas.microsoft.com/office/2007/relationships/stylesWithEffects"
_PROPERTY_LIMIT = 255  # characters: python-docx's limit for a core property
# The styles the body uses, which a reference document must have (copied in if not).
_NEEDED_STYLES = ("Normal", "Heading 1", "Heading 2", "Heading 3", "List Bullet",
                  "List Bullet 2", "List Number", "List Number 2", "Table Grid")
_EMU_PER_PT = 12700
_PLAIN_RUN = re.compile(r"[^\t\n\r]+")  # text python-docx puts in one <w:t> as it is


def write_docx(doc: Document) -> bytes:
    """The DOCX bytes of ``doc``."""
    style = doc.style
    page = L.layout_of(style)
    blobs: dict[int, SharedBlob] = {}  # the template's parts, ready to write
    lookups: dict[object, object] = {}  # what the body looked up in these styles
    if style.reference_docx is None:
        language = _language_tag(doc.language)
        docx, blobs, lookups = starting_document(
            (page, language), lambda template: _set_styles(template, page, language))
        _setup(docx, doc, page)
        width, table_pt = page.text_width_pt, page.table_pt
    else:
        docx = _open_reference(style)
        width = _setup_reference(docx, doc, page)
        table_pt = page.table_pt if _sets(style, "font_size_pt") else None
    body = _Body(docx, width, table_pt, _StyleLookups(docx, lookups))
    if style.letterhead is not None:
        body.letterhead(style.letterhead, style.pack_name, _body_size(docx))
    body.write(doc.blocks)
    return save(docx, doc.date, blobs)


def _sets(style: Style, name: str) -> bool:
    """Whether the style changes ``name`` from the built-in look."""
    return getattr(style, name) != getattr(DEFAULT_STYLE, name)


def _open_reference(style: Style) -> DocxDocument:
    """The pack's reference document, its body emptied; or a ``PackError``."""
    try:
        docx = new_docx(io.BytesIO(style.reference_docx or b""))
        body = docx.element.body
    except Exception as exc:  # python-docx raises many kinds: a bad zip, XML, a template
        raise PackError(
            f"pack {style.pack_name or '(unnamed)'}: its [style] reference_docx cannot be "
            f"opened as a Word document ({type(exc).__name__}: {exc}). Open it in Word or "
            "LibreOffice and save it again as a .docx document (not a template, .dotx), "
            "or remove reference_docx from pack.toml.") from None
    for child in list(body):
        if child.tag != qn("w:sectPr"):
            body.remove(child)
    return docx


def _body_size(docx: DocxDocument) -> float:
    """The body's font size in points: the Normal style's, else the defaults', else 11."""
    size = docx.styles["Normal"].font.size
    if size is not None:
        return size.pt
    sz = _default_rpr(docx).find(qn("w:sz"))
    try:
        return int(sz.get(qn("w:val"))) / 2 if sz is not None else L.BODY_PT
    except (TypeError, ValueError):
        return L.BODY_PT


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


def _default_rpr(docx: DocxDocument):
    """The ``w:rPr`` of the document defaults, made if the document has none."""
    root = docx.styles.element
    defaults = root.find(qn("w:docDefaults"))
    if defaults is None:
        defaults = OxmlElement("w:docDefaults")
        root.insert(0, defaults)
    rpr_default = defaults.find(qn("w:rPrDefault"))
    if rpr_default is None:
        rpr_default = OxmlElement("w:rPrDefault")
        defaults.insert(0, rpr_default)
    rpr = rpr_default.find(qn("w:rPr"))
    if rpr is None:
        rpr = OxmlElement("w:rPr")
        rpr_default.append(rpr)
    return rpr


def _set_margins(section, page: L.Layout) -> None:
    section.top_margin, section.bottom_margin = Inches(page.top_in), Inches(page.bottom_in)
    section.left_margin, section.right_margin = Inches(page.left_in), Inches(page.right_in)
    section.footer_distance = Inches(page.footer_distance_in)
    section.header_distance = Inches(page.header_distance_in)


def _set_styles(docx: DocxDocument, page: L.Layout, language_tag: str) -> None:
    """The template's styles in the letter's font, sizes, spacing and language: done
    once for every letter of that page and language (``starting_document``)."""
    styles = docx.styles
    defaults = styles.element.find(qn("w:docDefaults"))
    default_rpr = defaults.find(qn("w:rPrDefault")).find(qn("w:rPr"))
    _set_font(default_rpr, page.docx_font)
    lang = default_rpr.find(qn("w:lang"))
    if lang is not None:
        lang.set(qn("w:val"), language_tag)

    normal = styles["Normal"]
    _set_font(normal.element.get_or_add_rPr(), page.docx_font)
    normal.font.size = Pt(page.body_pt)
    normal.paragraph_format.space_before = Pt(0)
    normal.paragraph_format.space_after = Pt(L.PARAGRAPH_AFTER_PT)
    normal.paragraph_format.line_spacing = 1.0
    normal.paragraph_format.widow_control = True  # no line alone at a page's foot or head
    for level, size in page.heading_pt.items():
        heading = styles[f"Heading {level}"]
        _set_font(heading.element.get_or_add_rPr(), page.docx_font)
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


def _setup(docx: DocxDocument, doc: Document, page: L.Layout) -> None:
    """Page, footer and metadata of a document whose styles are ready."""
    section = docx.sections[0]
    section.page_width, section.page_height = Inches(L.PAGE_WIDTH_IN), Inches(L.PAGE_HEIGHT_IN)
    _set_margins(section, page)
    _page_marks(section, doc.running_head, doc.language, page.footer, page.text_width_pt)
    _properties(docx, doc)


def _setup_reference(docx: DocxDocument, doc: Document, page: L.Layout) -> float:
    """A reference document made ready for the letter: the styles it lacks copied in,
    the pack's font, size and margins where the pack's style sets them, the page
    marks where it has none of its own, the metadata. The text width in points."""
    style = doc.style
    _copy_missing_styles(docx)
    rpr = _default_rpr(docx)
    lang = rpr.find(qn("w:lang"))
    if lang is None:  # rPr's last children but the East Asian layout and the like
        lang = OxmlElement("w:lang")
        rpr.append(lang)
    lang.set(qn("w:val"), _language_tag(doc.language))
    if _sets(style, "font"):
        _set_font(rpr, page.docx_font)
        for name in ("Normal", "Heading 1", "Heading 2", "Heading 3"):
            _set_font(docx.styles[name].element.get_or_add_rPr(), page.docx_font)
    if _sets(style, "font_size_pt"):
        docx.styles["Normal"].font.size = Pt(page.body_pt)
        for level, size in page.heading_pt.items():
            docx.styles[f"Heading {level}"].font.size = Pt(size)
    section = docx.sections[0]
    if _sets(style, "margins_in"):
        _set_margins(section, page)
    width = ((section.page_width or Inches(L.PAGE_WIDTH_IN)) - (section.left_margin or 0)
             - (section.right_margin or 0)) / _EMU_PER_PT
    width = max(width, 144.0)
    _reference_marks(docx, section, doc, page.footer, width)
    _properties(docx, doc)
    for rId, rel in list(docx.part.package.rels.items()):
        if rel.reltype == RT.THUMBNAIL:  # the reference's picture, not this letter's
            del docx.part.package.rels[rId]
    return width


def _properties(docx: DocxDocument, doc: Document) -> None:
    """The core properties: the letter's title, author and date, the pack's name (as
    ``category``) and version, nothing a reference document carried."""
    stamp = _dt.datetime(doc.date.year, doc.date.month, doc.date.day)
    core = docx.core_properties
    core.title, core.subject = _property(doc.title), _property(doc.subject)
    core.author = core.last_modified_by = _property(doc.author)
    core.comments = core.keywords = core.category = ""
    if doc.style.reference_docx is not None:  # what the reference itself said
        core.identifier = core.content_status = core.version = ""
        core.last_printed = stamp
    if doc.style.pack_name.strip():
        core.category = _property(doc.style.pack_name)
        core.version = _property(doc.style.pack_version)
    core.language = _language_tag(doc.language)
    core.created = core.modified = stamp
    core.revision = 1
    if doc.style.reference_docx is not None:
        return
    package = docx.part.package
    for rId, rel in list(package.rels.items()):
        if rel.reltype == RT.THUMBNAIL:  # a blank page's picture, not this letter's
            del package.rels[rId]
    for rId, rel in list(docx.part.rels.items()):
        if rel.reltype == _STYLES_WITH_EFFECTS:  # Word 2010's stale copy of the styles
            docx.part.drop_rel(rId)


def _page_marks(section, running_head: str, language: str = "en", footer_text: str = "",
                width: float = L.TEXT_WIDTH_PT) -> None:
    """As in the PDF: "Page 1 of M" at the foot of the first page; on the later pages
    a header with the running head (patient, claim or account) and "Page N of M"
    at the right margin, and no footer. A pack's footer line goes at the foot of
    every page, above "Page 1 of M" on the first."""
    section.different_first_page_header_footer = True
    footer = section.first_page_footer.paragraphs[0]
    if footer_text:
        _footer_line(footer, footer_text)
        footer = _paragraph_after(footer)
        _footer_line(section.footer.paragraphs[0], footer_text)
    footer.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _add_page_of(footer, language)
    head = section.header.paragraphs[0]
    _running_head(head, running_head, language, width)


def _running_head(head: DocxParagraph, running_head: str, language: str,
                  width: float) -> None:
    head.paragraph_format.tab_stops.add_tab_stop(Pt(width), WD_TAB_ALIGNMENT.RIGHT)
    head.add_run(L.clean(running_head) + "\t")
    _add_page_of(head, language)


def _footer_line(paragraph: DocxParagraph, text: str) -> None:
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    paragraph.add_run(text)


def _paragraph_after(paragraph: DocxParagraph) -> DocxParagraph:
    """A new empty paragraph after ``paragraph``, with its paragraph properties."""
    new = copy.deepcopy(paragraph._p)
    for child in list(new):
        if child.tag != qn("w:pPr"):
            new.remove(child)
    paragraph._p.addnext(new)
    return DocxParagraph(new, paragraph._parent)


def _has_content(part) -> bool:
    """Whether a header or footer of a reference document shows anything."""
    if part.is_linked_to_previous:
        return False
    element = part._element
    return bool("".join(element.itertext()).strip()) or any(
        element.iter(qn("w:drawing"), qn("w:pict"), qn("w:fldSimple"), qn("w:fldChar")))


def _fresh(part, style: str, docx: DocxDocument) -> DocxParagraph:
    """A header or footer emptied, with one paragraph (of ``style`` if the document
    has it)."""
    part.is_linked_to_previous = False
    element = part._element
    for child in list(element):
        element.remove(child)
    paragraph = part.add_paragraph()
    if style in docx.styles:
        paragraph.style = docx.styles[style]
    paragraph.paragraph_format.space_after = Pt(0)
    return paragraph


def _reference_marks(docx: DocxDocument, section, doc: Document, footer_text: str,
                     width: float) -> None:
    """A reference document's own headers and footers are kept; where it has none,
    the letter's page marks go in, and a pack's footer line replaces its footers."""
    heads = (section.header, section.first_page_header, section.even_page_header)
    feet = (section.footer, section.first_page_footer, section.even_page_footer)
    their_head = any(_has_content(part) for part in heads)
    their_foot = any(_has_content(part) for part in feet)
    first = section.different_first_page_header_footer if their_head or their_foot else True
    section.different_first_page_header_footer = first
    if not their_head:  # the running head; on the later pages only when it can be
        head = _fresh(section.header, "Header", docx)
        for stop in list(head.style.paragraph_format.tab_stops) if head.style else []:
            head.paragraph_format.tab_stops.add_tab_stop(stop.position, WD_TAB_ALIGNMENT.CLEAR)
        _running_head(head, doc.running_head, doc.language, width)
        if first:
            _fresh(section.first_page_header, "Header", docx)
    if footer_text or not their_foot:
        for part, number in ((section.first_page_footer, True), (section.footer, their_head)):
            if part is section.first_page_footer and not first:
                continue
            paragraph = _fresh(part, "Footer", docx)
            if footer_text:
                _footer_line(paragraph, footer_text)
                for run in paragraph.runs:
                    run.font.size = Pt(L.FOOTER_PT)
                if number:
                    paragraph = _paragraph_after(paragraph)
            if number:
                paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
                _add_page_of(paragraph, doc.language)
                for run in paragraph.runs:
                    run.font.size = Pt(L.FOOTER_PT)


def _copy_missing_styles(docx: DocxDocument) -> None:
    """Copy the styles the letter uses that a reference document lacks from
    python-docx's template, with the styles they are based on and, for the lists,
    their numbering definitions."""
    missing = [name for name in _NEEDED_STYLES if name not in docx.styles]
    if not missing:
        return
    template = new_docx()
    ids = {style.style_id for style in docx.styles}
    numbering = None
    for name in missing:
        chain = []
        style = template.styles[name]
        while style is not None and style.name not in docx.styles and style not in chain:
            chain.append(style)
            style = style.base_style
        for source in reversed(chain):
            element = copy.deepcopy(source.element)
            if source.style_id in ids:  # the id is taken by another name: rare
                element.set(qn("w:styleId"), f"{source.style_id}Lettergen")
            ids.add(element.get(qn("w:styleId")))
            num_id = element.find(f"{qn('w:pPr')}/{qn('w:numPr')}/{qn('w:numId')}")
            if num_id is not None:
                if numbering is None:
                    numbering = docx.part.numbering_part.element
                num_id.set(qn("w:val"), str(_copy_numbering(
                    template, numbering, int(num_id.get(qn("w:val"))))))
            docx.styles.element.append(element)


def _copy_numbering(template: DocxDocument, numbering, num_id: int) -> int:
    """Copy a list definition of the template into ``numbering``; its new numId."""
    source = template.part.numbering_part.element
    abstract = source.num_having_numId(num_id).abstractNumId.val
    definition = next(el for el in source.iterchildren(qn("w:abstractNum"))
                      if el.get(qn("w:abstractNumId")) == str(abstract))
    taken = [int(el.get(qn("w:abstractNumId"))) for el in
             numbering.iterchildren(qn("w:abstractNum"))]
    new_abstract = max(taken, default=-1) + 1
    definition = copy.deepcopy(definition)
    definition.set(qn("w:abstractNumId"), str(new_abstract))
    nsid = definition.find(qn("w:nsid"))
    if nsid is not None:  # Word tells list definitions apart by this id
        nsid.set(qn("w:val"), f"{0x4C470000 + new_abstract:08X}")
    nums = list(numbering.iterchildren(qn("w:num")))
    if nums:
        nums[0].addprevious(definition)
    else:
        numbering.append(definition)
    return numbering.add_num(new_abstract).numId


def _add_page_of(paragraph: DocxParagraph, language: str = "en") -> None:
    """ "Page N of M" as fields that Word and LibreOffice fill in."""
    page_word, of_word = L.page_words(language)
    paragraph.add_run(f"{page_word} ")
    _add_field(paragraph, "PAGE", "1")
    paragraph.add_run(f" {of_word} ")
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
        text = L.clean(run.text)
        if _PLAIN_RUN.fullmatch(text):  # what add_run(text) makes, without its
            r = paragraph.add_run()  # character-by-character walk (a third of the
            r._r.add_t(text)  # DOCX writer's time)
        else:
            r = paragraph.add_run(text)  # python-docx turns "\n" into <w:br/>, "\t" a tab
        if run.bold:
            r.bold = True
        if run.italic:
            r.italic = True


class _StyleLookups:
    """What the body needs of the styles, each looked up once: python-docx finds a
    style by scanning every style of the document (the template has 260), and the
    letters made from one template share its styles, so ``answers`` (kept with the
    template) serves them all. A reference document's answers are its own."""

    def __init__(self, docx: DocxDocument, answers: dict[object, object]):
        self.docx = docx
        self.answers = answers

    def _answer(self, key: tuple[str, str], look_up: Callable[[], Any]) -> Any:
        if key not in self.answers:
            self.answers[key] = look_up()
        return self.answers[key]

    def style_id(self, name: str) -> str:
        return self._answer(("id", name), lambda: self.docx.styles[name].style_id)

    def table_style_id(self, name: str) -> str | None:
        """What python-docx's ``table.style = name`` sets (None for the default)."""
        return self._answer(("table", name), lambda: self.docx.part.get_style_id(
            self.docx.styles[name], WD_STYLE_TYPE.TABLE))

    def list_num_id(self, name: str) -> int | None:
        """The numbering (``w:numId``) a list style names, if it names one."""
        def look_up() -> int | None:
            ppr = self.docx.styles[name].element.pPr
            num_pr = ppr.numPr if ppr is not None else None
            return None if num_pr is None or num_pr.numId is None else num_pr.numId.val

        return self._answer(("num", name), look_up)


class _Body:
    """Appends blocks to the document body, numbering each ordered list afresh."""

    def __init__(self, docx: DocxDocument, width: float = L.TEXT_WIDTH_PT,
                 table_pt: float | None = L.TABLE_PT, styles: _StyleLookups | None = None):
        self.docx = docx
        self.width = width  # of the text, in points
        self.table_pt = table_pt  # None: a reference document's own size
        self.styles = styles or _StyleLookups(docx, {})
        self.space_before = 0.0  # owed by the block after a table
        self.break_before = False  # a PageBreak waits for the next paragraph
        self.last: DocxParagraph | None = None  # the last body paragraph, if last written
        self.signed = False  # after a signature: its enclosures and copies stay with it

    def paragraph(self, runs: Inline, style: str | None = None) -> DocxParagraph:
        if self.signed and self.last is not None:
            self.last.paragraph_format.keep_with_next = True
        p = self.docx.add_paragraph()
        if style is not None:
            p._p.style = self.styles.style_id(style)
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
                if num_ids[level] is None:  # a reference's list style without numbering
                    continue
                numPr = last._p.get_or_add_pPr().get_or_add_numPr()
                numPr.get_or_add_ilvl().val = 0
                numPr.get_or_add_numId().val = num_ids[level]
        if last is not None:
            last.paragraph_format.space_after = Pt(L.PARAGRAPH_AFTER_PT)

    def _restart_numbering(self, style: str) -> int | None:
        """A new ``w:num`` on the style's list definition, starting again at 1
        (otherwise every numbered list in the letter would continue the first)."""
        numbering = self.docx.part.numbering_part.element
        style_num = self.styles.list_num_id(style)
        if style_num is None:
            return None
        try:
            abstract_id = numbering.num_having_numId(style_num).abstractNumId.val
        except (KeyError, AttributeError):
            return None
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
        widths = [int(w * _EMU_PER_PT)  # points -> EMU
                  for w in L.column_widths(block, self.width, self.table_pt or L.TABLE_PT)]
        table = self.docx.add_table(rows=1 + len(block.rows), cols=ncols)
        table._tbl.tblStyle_val = self.styles.table_style_id("Table Grid")  # table.style =
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
                    if self.table_pt is not None:
                        run.font.size = Pt(self.table_pt)
                    if r == 0:
                        run.bold = True
        self.space_before = L.PARAGRAPH_AFTER_PT

    def letterhead(self, head: Letterhead, pack_name: str, body_pt: float) -> None:
        """The letterhead at the top of the body: a table of one row, the logo (when
        there is one) beside the organisation's name in bold and the lines under it,
        no borders but the rule below it. Word users edit it like any table."""
        lines = L.letterhead_lines(head)
        text = ([(head.organization.strip(), True, body_pt + L.LETTERHEAD_NAME_PLUS_PT)]
                if head.organization.strip() else [])
        text += [(line, False, body_pt - 1) for line in lines]
        logo = L.logo_size(head, pack_name) if head.logo else None
        ncols = (1 if logo else 0) + (1 if text else 0)
        table = self.docx.add_table(rows=1, cols=ncols)
        table.alignment = WD_TABLE_ALIGNMENT.LEFT
        table.autofit = False
        tbl_pr = table._tbl.tblPr
        borders = OxmlElement("w:tblBorders")
        for side in ("top", "left", "bottom", "right", "insideH", "insideV"):
            edge = OxmlElement(f"w:{side}")
            if side == "bottom":
                edge.set(qn("w:val"), "single")
                edge.set(qn("w:sz"), str(round(L.LETTERHEAD_RULE_PT * 8)))  # eighths of a pt
                edge.set(qn("w:space"), "0")
                edge.set(qn("w:color"), "000000")
            else:
                edge.set(qn("w:val"), "nil")
            borders.append(edge)
        margins = OxmlElement("w:tblCellMar")
        for side, points in (("top", 0), ("left", 0), ("bottom", L.LETTERHEAD_PAD_PT),
                             ("right", 0)):
            edge = OxmlElement(f"w:{side}")
            edge.set(qn("w:w"), str(round(points * 20)))  # twentieths of a point
            edge.set(qn("w:type"), "dxa")
            margins.append(edge)
        tbl_pr.append(borders)
        tbl_pr.append(margins)
        cells = list(table.rows[0].cells)
        widths: list[float] = []
        if logo:
            widths.append(logo[0] + (L.LETTERHEAD_GAP_PT if text else 0))
        if text:
            widths.append(self.width - sum(widths))
        for column, cell, width in zip(table.columns, cells, widths, strict=True):
            column.width = cell.width = Emu(int(width * _EMU_PER_PT))
            cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
        if logo:
            paragraph = cells[0].paragraphs[0]
            paragraph.paragraph_format.space_after = Pt(0)
            try:
                shape = paragraph.add_run().add_picture(
                    io.BytesIO(head.logo or b""), width=Emu(int(logo[0] * _EMU_PER_PT)),
                    height=Emu(int(logo[1] * _EMU_PER_PT)))
            except Exception as exc:  # python-docx's image errors
                raise PackError(f"pack {pack_name or '(unnamed)'}: [style.letterhead] logo "
                                f"cannot be read as an image ({exc}); save it again as PNG "
                                "or JPEG, or remove logo from pack.toml") from None
            name = L.clean(head.organization).strip()
            shape._inline.docPr.set("descr", f"Logo of {name}" if name else "Logo")
        if text:
            cell = cells[-1]
            for number, (line, bold, size) in enumerate(text):
                paragraph = cell.paragraphs[0] if number == 0 else cell.add_paragraph()
                paragraph.paragraph_format.space_before = Pt(0)
                paragraph.paragraph_format.space_after = Pt(2 if bold else 0)
                run = paragraph.add_run(L.clean(line))
                run.font.size = Pt(size)
                if bold:
                    run.bold = True
        self.last = None
        self.space_before = L.LETTERHEAD_GAP_PT

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

