"""The four writers, checked the way a reader sees their output: the DOCX read back
with python-docx, the PDF with pypdf, the HTML with html.parser, the Markdown with
markdown-it. Text typed in a case file must come out exactly as typed in each."""

from __future__ import annotations

import datetime as dt
import io
import shutil
import subprocess
import sys
import zipfile
from html.parser import HTMLParser
from pathlib import Path

import docx
import pypdf
import pytest
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Inches, Pt
from hypothesis import given, settings
from hypothesis import strategies as st
from markdown_it import MarkdownIt

from lettergen.letters.document import (
    LINE_BREAK,
    Document,
    Heading,
    ListBlock,
    ListItem,
    PageBreak,
    Paragraph,
    Run,
    Signature,
    Table,
    plain_text,
)
from lettergen.writers import WRITERS, render
from lettergen.writers.docx_writer import write_docx
from lettergen.writers.html_writer import html_fragment, write_html
from lettergen.writers.markdown_writer import write_markdown
from lettergen.writers.pdf_writer import write_pdf

HOSTILE = "<b>x</b> *y* _z_ # h [a](b) {{ c }} & \\ |"
NAME = "José Ñúñez"
FACT = ("I dispute the charge of $27,000.00 billed on March 3, 2024 under § 2799B-6 of the "
        "“No Surprises Act”.")


def sample(*extra, page_break: bool = True) -> Document:
    """A letter with every block type, non-ASCII text and hostile text."""
    r = Run
    blocks = [
        Paragraph((r(NAME), LINE_BREAK, r("12 Main St."), LINE_BREAK, r("Springfield, IL 62701"))),
        Heading(1, (r("Re: Account 12345"),)),
        Paragraph((r("I dispute the charge of "), r("$27,000.00", bold=True),
                   r(" billed on March 3, 2024 under "), r("§ 2799B-6", italic=True),
                   r(" of the “No Surprises Act”."))),
        Paragraph((r(HOSTILE),)),
        Heading(2, (r("Charges"),)),
        Table(header=((r("Code"),), (r("Description"),), (r("Billed"),)),
              rows=(((r("99285"),), (r("Emergency visit | level 5"),), (r("$27,000.00"),)),
                    ((r("J1100"),), (r(HOSTILE),), (r("$12.50"),))),
              align=("left", "left", "right")),
        ListBlock((ListItem((r("First reason"),)), ListItem((r("Nested point"),), level=1),
                   ListItem((r("Second "), r("bold", bold=True))))),
        ListBlock((ListItem((r("Step one"),)), ListItem((r("Step two"),))), ordered=True),
        Heading(3, (r("Small heading"),)),
        *extra,
        Signature((r("Sincerely,"),), ((r(NAME),), (r("Patient"),))),
    ]
    if page_break:
        blocks += [PageBreak(), Paragraph((r("Enclosure: authorization form"),))]
    return Document(title="Dispute of charges", author=NAME, date=dt.date(2024, 3, 15),
                    subject="Billing dispute", blocks=tuple(blocks))


def long_document() -> Document:
    text = ("This paragraph is filler that makes the letter run to several pages, so the "
            "footer has to count them. ")
    paras = tuple(Paragraph((Run(f"{i}. {text * 2}"),)) for i in range(1, 61))
    return Document(title="Long", author="A", date=dt.date(2024, 1, 2), blocks=paras)


def one_line(text: str) -> str:
    return " ".join(text.split())


# --- dispatch -----------------------------------------------------------------------

def test_render_picks_the_writer_and_rejects_unknown_formats():
    doc = sample()
    assert set(WRITERS) == {"docx", "pdf", "md", "html"}
    assert render(doc, "md") == write_markdown(doc)
    assert render(doc, "html") == write_html(doc)
    with pytest.raises(ValueError, match="unknown format 'odt'"):
        render(doc, "odt")


def test_writing_a_pdf_does_not_import_python_docx():
    code = ("import sys, datetime as d; from lettergen.letters.document import *; "
            "from lettergen.writers import render; "
            "assert 'docx' not in sys.modules and 'reportlab' not in sys.modules; "
            "render(Document('t', 'a', d.date(2024, 1, 1), (Paragraph((Run('x'),)),)), 'pdf'); "
            "assert 'reportlab' in sys.modules; print('docx' in sys.modules)")
    root = Path(__file__).resolve().parents[1]
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                         cwd=root)
    assert out.stdout.strip() == "False"


# --- DOCX ---------------------------------------------------------------------------

def read_docx(doc: Document) -> docx.document.Document:
    return docx.Document(io.BytesIO(write_docx(doc)))


def test_docx_paragraphs_styles_and_text():
    d = read_docx(sample())
    got = [(p.style.name, p.text) for p in d.paragraphs]
    assert got == [
        ("Normal", f"{NAME}\n12 Main St.\nSpringfield, IL 62701"),
        ("Heading 1", "Re: Account 12345"),
        ("Normal", FACT),
        ("Normal", HOSTILE),
        ("Heading 2", "Charges"),
        ("List Bullet", "First reason"),
        ("List Bullet 2", "Nested point"),
        ("List Bullet", "Second bold"),
        ("List Number", "Step one"),
        ("List Number", "Step two"),
        ("Heading 3", "Small heading"),
        ("Normal", "Sincerely,"),
        ("Normal", f"{NAME}\nPatient"),
        ("Normal", "Enclosure: authorization form"),
    ]
    bold = [r.text for p in d.paragraphs for r in p.runs if r.bold]
    assert bold == ["$27,000.00", "bold"]
    italic = [r.text for p in d.paragraphs for r in p.runs if r.italic]
    assert italic == ["§ 2799B-6"]


def test_docx_styles_page_and_footer():
    d = read_docx(sample())
    normal = d.styles["Normal"]
    assert normal.font.name == "Times New Roman"
    assert normal.font.size == Pt(11)
    assert normal.paragraph_format.space_after == Pt(6)
    assert normal.paragraph_format.widow_control
    assert d.styles["Heading 1"].font.size == Pt(13)
    section = d.sections[0]
    assert (section.page_width, section.page_height) == (Inches(8.5), Inches(11))
    assert section.left_margin == section.right_margin == Inches(1)
    assert section.top_margin == section.bottom_margin == Inches(0.75)
    assert section.different_first_page_header_footer
    footer = section.first_page_footer  # "Page 1 of 2" under the first page only
    assert footer.paragraphs[0].alignment == WD_ALIGN_PARAGRAPH.CENTER
    xml = footer._element.xml
    assert "Page " in footer.paragraphs[0].text and " of " in footer.paragraphs[0].text
    assert "> PAGE <" in xml and "> NUMPAGES <" in xml
    assert "> PAGE <" in section.header._element.xml  # later pages: "Page 2 of 2" on top
    assert not section.footer.paragraphs[0].text


def test_docx_table_signature_and_page_break():
    d = read_docx(sample())
    table = d.tables[0]
    assert table.style.name == "Table Grid"
    cells = [[c.text for c in row.cells] for row in table.rows]
    assert cells == [["Code", "Description", "Billed"],
                     ["99285", "Emergency visit | level 5", "$27,000.00"],
                     ["J1100", HOSTILE, "$12.50"]]
    assert all(r.bold for c in table.rows[0].cells for r in c.paragraphs[0].runs)
    assert table.rows[1].cells[2].paragraphs[0].alignment == WD_ALIGN_PARAGRAPH.RIGHT
    assert table.rows[1].cells[1].paragraphs[0].alignment == WD_ALIGN_PARAGRAPH.LEFT
    closing = next(p for p in d.paragraphs if p.text == "Sincerely,")
    assert closing.paragraph_format.keep_with_next
    assert closing.paragraph_format.space_after >= Pt(36)  # room to sign
    enclosure = d.paragraphs[-1]
    assert enclosure.paragraph_format.page_break_before


def test_docx_numbered_lists_restart_at_one():
    second = ListBlock((ListItem((Run("Again one"),)),), ordered=True)
    d = read_docx(sample(second))
    num_ids = [p._p.pPr.numPr.numId.val for p in d.paragraphs if p.style.name == "List Number"]
    assert len(num_ids) == 3 and num_ids[0] == num_ids[1] != num_ids[2]


def test_docx_metadata_has_no_python_docx():
    data = write_docx(sample())
    props = read_docx(sample()).core_properties
    assert (props.title, props.author, props.subject) == ("Dispute of charges", NAME,
                                                          "Billing dispute")
    assert props.last_modified_by == NAME
    assert props.created == props.modified == dt.datetime(2024, 3, 15, tzinfo=dt.UTC)
    assert props.revision == 1 and props.comments == "" and props.keywords == ""
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        assert not any(n.startswith("docProps/thumbnail") for n in z.namelist())
        for name in z.namelist():
            assert b"python-docx" not in z.read(name), name
        assert {i.date_time for i in z.infolist()} == {(2024, 3, 15, 0, 0, 0)}


def test_docx_is_deterministic():
    assert write_docx(sample()) == write_docx(sample())


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice not installed")
def test_docx_opens_in_libreoffice(tmp_path):
    (tmp_path / "letter.docx").write_bytes(write_docx(sample()))
    profile = f"-env:UserInstallation=file://{tmp_path}/profile"  # not the user's profile
    subprocess.run(["soffice", profile, "--headless", "--convert-to", "pdf", "--outdir",
                    str(tmp_path), str(tmp_path / "letter.docx")],
                   check=True, capture_output=True, timeout=120)
    reader = pypdf.PdfReader(tmp_path / "letter.pdf")
    assert len(reader.pages) == 2
    first = reader.pages[0].extract_text()
    assert "$27,000.00" in first and "Page 1 of 2" in first
    assert "Enclosure" in reader.pages[1].extract_text()


# --- PDF ----------------------------------------------------------------------------

def read_pdf(data: bytes) -> pypdf.PdfReader:
    return pypdf.PdfReader(io.BytesIO(data))


def test_pdf_text_is_searchable_and_exact():
    reader = read_pdf(write_pdf(sample()))
    assert len(reader.pages) == 2
    first = one_line(reader.pages[0].extract_text())
    for text in (NAME, "Springfield, IL 62701", FACT, HOSTILE, "Emergency visit | level 5",
                 "$12.50", "Step two", "Sincerely,", "Page 1 of 2"):
        assert text in first, text
    second = reader.pages[1].extract_text()
    assert "Enclosure: authorization form" in second and "Page 2 of 2" in second


def test_pdf_metadata_and_embedded_font():
    data = write_pdf(sample())
    meta = read_pdf(data).metadata
    assert (meta.title, meta.author, meta.subject) == ("Dispute of charges", NAME,
                                                       "Billing dispute")
    assert meta["/Creator"] == "lettergen"
    assert meta["/CreationDate"].startswith("D:20240315")
    assert b"/FontFile2" in data
    assert b"LiberationSerif-Bold" in data and b"Helvetica" not in data


def test_pdf_is_deterministic():
    assert write_pdf(sample()) == write_pdf(sample())


def test_pdf_long_document_numbers_every_page():
    reader = read_pdf(write_pdf(long_document()))
    total = len(reader.pages)
    assert total >= 2
    assert f"Page 1 of {total}" in reader.pages[0].extract_text()
    assert f"Page {total} of {total}" in reader.pages[-1].extract_text()
    assert "60. This paragraph" in reader.pages[-1].extract_text()


# --- HTML ---------------------------------------------------------------------------

class _TextOf(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.text: list[str] = []
        self.tags: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        if tag == "br":
            self.text.append("\n")

    def handle_data(self, data):
        self.text.append(data)


def test_html_is_escaped_and_reads_back():
    page = write_html(sample()).decode("utf-8")
    assert page.startswith("<!DOCTYPE html>") and '<html lang="en">' in page
    assert '<meta charset="utf-8">' in page and "<title>Dispute of charges</title>" in page
    assert "&lt;b&gt;x&lt;/b&gt;" in page and "<b>x" not in page
    assert "<thead>" in page and '<div class="signature">' in page
    assert '<div class="page-break" style="break-after: page"></div>' in page
    assert "<strong>$27,000.00</strong>" in page and "<em>§ 2799B-6</em>" in page
    parser = _TextOf()
    parser.feed(page)
    text = "".join(parser.text)
    assert HOSTILE in text and FACT in text and f"{NAME}\n12 Main St." in text
    assert "b" not in parser.tags and parser.tags.count("table") == 1


def test_html_fragment_is_only_the_body():
    fragment = html_fragment(sample())
    assert fragment.startswith("<p>") and "<html" not in fragment and "<style" not in fragment
    assert fragment in write_html(sample()).decode("utf-8")


# --- Markdown -----------------------------------------------------------------------

MD = MarkdownIt("commonmark").enable("table")


def inline_text(token) -> str:
    parts = []
    for child in token.children:
        assert child.type not in ("html_inline", "link_open", "code_inline", "image"), child.type
        if child.type == "text":
            parts.append(child.content)
        elif child.type in ("hardbreak", "softbreak"):
            parts.append("\n")
    return "".join(parts)


def expected_texts(doc: Document) -> list[str]:
    texts: list[str] = []
    for block in doc.blocks:
        if isinstance(block, (Paragraph, Heading)):
            texts.append(plain_text(block.runs))
        elif isinstance(block, ListBlock):
            texts += [plain_text(item.runs) for item in block.items]
        elif isinstance(block, Table):
            texts += [plain_text(c) for row in (block.header, *block.rows) for c in row]
        elif isinstance(block, Signature):
            texts += [plain_text(block.closing), "\n".join(plain_text(x) for x in block.lines)]
    return texts


def test_markdown_reads_back_to_the_same_text():
    doc = sample()
    tokens = MD.parse(write_markdown(doc).decode("utf-8"))
    assert not any(t.type == "html_block" for t in tokens)
    assert [inline_text(t) for t in tokens if t.type == "inline"] == expected_texts(doc)
    types = [t.type for t in tokens]
    assert types.count("table_open") == 1 and types.count("hr") == 1
    assert types.count("bullet_list_open") == 2 and types.count("ordered_list_open") == 1
    assert [t.tag for t in tokens if t.type == "heading_open"] == ["h1", "h2", "h3"]
    strong = [t.children[i + 1].content for t in tokens if t.type == "inline"
              for i, c in enumerate(t.children) if c.type == "strong_open"]
    assert strong == ["$27,000.00", "bold"]
    aligns = [t.attrGet("style") for t in tokens if t.type == "th_open"]
    assert aligns == ["text-align:left", "text-align:left", "text-align:right"]


def test_markdown_keeps_two_lists_apart():
    doc = Document("t", "a", dt.date(2024, 1, 1), (
        ListBlock((ListItem((Run("a"),)),)), ListBlock((ListItem((Run("b"),)),)),
        ListBlock((ListItem((Run("c"),)),), ordered=True),
        ListBlock((ListItem((Run("d"),)),), ordered=True)))
    types = [t.type for t in MD.parse(write_markdown(doc).decode())]
    assert types.count("bullet_list_open") == 2 and types.count("ordered_list_open") == 2


_TEXT = st.text(alphabet="ab1 $.,*_#<>&\\|[]()`~!-+é“§€\t\xa0", min_size=1, max_size=6)
_RUNS = st.lists(st.one_of(st.just(LINE_BREAK),
                           st.builds(Run, _TEXT, st.booleans(), st.booleans())),
                 min_size=1, max_size=8)


def _styled_chars(runs) -> list[tuple[str, bool, bool]]:
    """Visible characters with their bold and italic; line edges and blank lines cut."""
    lines = [[]]
    for run in runs:
        for ch in run.text:
            if ch == "\n":
                lines.append([])
            else:
                lines[-1].append((ch, run.bold, run.italic))
    out = []
    for line in lines:
        kept = [c for c in line if not c[0].isspace()]
        if kept:
            out += kept + [("\n", False, False)]
    return out


@settings(max_examples=400, deadline=None)
@given(_RUNS)
def test_markdown_inline_round_trip(runs):
    md = write_markdown(Document("t", "a", dt.date(2024, 1, 1), (Paragraph(tuple(runs)),)))
    got = []
    for token in MD.parse(md.decode("utf-8")):
        if token.type != "inline":
            continue
        bold = italic = 0
        for child in token.children:
            bold += {"strong_open": 1, "strong_close": -1}.get(child.type, 0)
            italic += {"em_open": 1, "em_close": -1}.get(child.type, 0)
            if child.type == "text":
                got += [Run(ch, bold > 0, italic > 0) for ch in child.content]
            elif child.type == "hardbreak":
                got.append(LINE_BREAK)
    assert _styled_chars(got) == _styled_chars(runs)


def test_docx_app_properties_name_lettergen():
    data = render(sample(), "docx")
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        app = z.read("docProps/app.xml")
    assert b"<Application>lettergen</Application>" in app
    assert b"Macintosh" not in app
