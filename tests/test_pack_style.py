"""A pack's style in the DOCX and PDF: font, size, margins, footer, letterhead with a
logo, a reference Word document, and the pack recorded in the files' properties.

The letters are real ones (the internal appeal of examples/er-out-of-network) with a
``Style`` set on the ``Document``, read back with python-docx and pypdf."""

from __future__ import annotations

import io
import shutil
import subprocess
import zipfile
from dataclasses import replace

import docx as python_docx
import pypdf
import pytest
from docx.shared import Pt
from PIL import Image as PILImage
from PIL import ImageDraw

from conftest import EXAMPLES, pdf_text
from lettergen.case.casefile import load_case
from lettergen.errors import PackError
from lettergen.letters.render import render_letter
from lettergen.packs.folder import open_packs
from lettergen.packs.style import Letterhead, Style
from lettergen.writers.docx_writer import write_docx
from lettergen.writers.pdf_writer import write_pdf

ORG = "Central Texas Health Advocates"
ADDRESS = ("500 Congress Avenue, Suite 200", "Austin, TX 78701")
FOOTER = "Central Texas Health Advocates · (512) 555-0100"
HEADER_TEXT = "CTHA reference header: keep this"
SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")


def png(width: int = 300, height: int = 120) -> bytes:
    image = PILImage.new("RGB", (width, height), "white")
    draw = ImageDraw.Draw(image)
    draw.rectangle([4, 4, width - 5, height - 5], outline="navy", width=6)
    draw.ellipse([16, 16, height - 16, height - 16], fill="teal")
    out = io.BytesIO()
    image.save(out, "PNG")
    return out.getvalue()


def letterhead(**changes) -> Letterhead:
    values = dict(organization=ORG, address=ADDRESS, phone="(512) 555-0100",
                  email="help@ctha.example.org", website="https://ctha.example.org",
                  logo=png(), logo_type="png", logo_width_in=1.5)
    values.update(changes)
    return Letterhead(**values)


def style(**changes) -> Style:
    values = dict(font="sans", font_size_pt=12.0, margins_in=(1.0, 0.8, 1.25, 0.8),
                  footer=FOOTER, letterhead=letterhead(), pack_name=ORG, pack_version="1.2.0")
    values.update(changes)
    return Style(**values)


@pytest.fixture(scope="module")
def appeal():
    case = load_case(EXAMPLES / "er-out-of-network.toml")
    return render_letter(case, "internal-appeal", open_packs([])).document


def reference_docx(drop_styles: tuple[str, ...] = ()) -> bytes:
    """A Word document as an advocate would keep one: a distinctive style, Georgia
    10 pt, its own header, some body text (which the letter replaces)."""
    ref = python_docx.Document()
    ref.styles.add_style("CTHA Signature Block", 1).font.italic = True
    normal = ref.styles["Normal"]
    normal.font.name = "Georgia"
    normal.font.size = Pt(10)
    ref.sections[0].header.paragraphs[0].text = HEADER_TEXT
    ref.add_paragraph("REFERENCE BODY TEXT to be replaced")
    for name in drop_styles:
        element = ref.styles[name].element
        element.getparent().remove(element)
    out = io.BytesIO()
    ref.save(out)
    return out.getvalue()


def read_docx(data: bytes):
    return python_docx.Document(io.BytesIO(data))


def body_text(document) -> str:
    parts = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            parts += [cell.text for cell in row.cells]
    return "\n".join(parts)


def footer_texts(document) -> list[str]:
    section = document.sections[0]
    return ["\n".join(p.text for p in part.paragraphs)
            for part in (section.first_page_footer, section.footer)]


# --- DOCX --------------------------------------------------------------------------------


def test_docx_letterhead_font_margins_footer_properties(appeal):
    data = write_docx(replace(appeal, style=style()))
    document = read_docx(data)
    table = document.tables[0]  # the letterhead, first in the body
    assert document.element.body[0].tag.endswith("}tbl")
    logo_cell, text_cell = table.rows[0].cells
    assert text_cell.paragraphs[0].text == ORG and text_cell.paragraphs[0].runs[0].bold
    lines = [p.text for p in text_cell.paragraphs[1:]]
    assert lines == [*ADDRESS, "(512) 555-0100 · help@ctha.example.org · https://ctha.example.org"]
    assert len(document.inline_shapes) == 1
    shape = document.inline_shapes[0]
    assert round(shape.width.inches, 2) == 1.5
    assert round(shape.height.inches, 2) == round(1.5 * 120 / 300, 2)  # aspect kept
    assert shape._inline.docPr.get("descr") == f"Logo of {ORG}"
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        images = [n for n in z.namelist() if n.startswith("word/media/")]
        assert len(images) == 1 and z.read(images[0]) == png()
    # the rule under the letterhead, and no other border
    borders = table._tbl.tblPr.find(python_docx.oxml.ns.qn("w:tblBorders"))
    values = {el.tag.split("}")[1]: el.get(python_docx.oxml.ns.qn("w:val")) for el in borders}
    assert values["bottom"] == "single" and values["top"] == values["left"] == "nil"
    # the letter follows: the sender block right after the letterhead
    assert document.paragraphs[0].text.startswith("Jordan A. Rivera")
    assert "$27,000.00" in body_text(document)

    normal = document.styles["Normal"]
    assert normal.font.name == "Arial" and normal.font.size == Pt(12)
    assert document.styles["Heading 1"].font.size == Pt(14)
    section = document.sections[0]
    assert (section.top_margin.inches, section.right_margin.inches,
            section.bottom_margin.inches, section.left_margin.inches) == (1.0, 0.8, 1.25, 0.8)
    first, later = footer_texts(document)
    assert first == f"{FOOTER}\nPage 1 of 1" and later == FOOTER  # fields cached as 1
    core = document.core_properties
    assert (core.category, core.version) == (ORG, "1.2.0")
    assert core.author == "Jordan A. Rivera"
    assert core.comments == "" and core.keywords == ""


def test_docx_serif_default_size_and_no_logo(appeal):
    head = letterhead(logo=None, logo_type="")
    document = read_docx(write_docx(replace(appeal, style=Style(letterhead=head))))
    assert document.styles["Normal"].font.name == "Times New Roman"
    assert len(document.inline_shapes) == 0
    (cell,) = document.tables[0].rows[0].cells
    assert cell.paragraphs[0].text == ORG
    assert footer_texts(document) == ["Page 1 of 1", ""]  # no footer line: as before


def test_docx_reference_keeps_its_styles_header_and_fonts(appeal):
    chosen = Style(reference_docx=reference_docx(), letterhead=letterhead(),
                   pack_name=ORG, pack_version="1.2.0")
    data = write_docx(replace(appeal, style=chosen))
    document = read_docx(data)
    assert "CTHA Signature Block" in [s.name for s in document.styles]
    assert document.sections[0].header.paragraphs[0].text == HEADER_TEXT
    text = body_text(document)
    assert "REFERENCE BODY TEXT" not in text
    assert ORG in text and "Jordan A. Rivera" in text and "$27,000.00" in text
    normal = document.styles["Normal"]
    assert normal.font.name == "Georgia" and normal.font.size == Pt(10)  # not ours
    assert "Page 1 of 1" in footer_texts(document)[0]  # it had no footer: ours
    assert document.core_properties.category == ORG
    assert data == write_docx(replace(appeal, style=chosen))  # still byte-identical


def test_docx_reference_with_the_packs_font_and_size(appeal):
    chosen = Style(font="sans", font_size_pt=13.0, reference_docx=reference_docx())
    normal = read_docx(write_docx(replace(appeal, style=chosen))).styles["Normal"]
    assert normal.font.name == "Arial" and normal.font.size == Pt(13)


def test_docx_reference_without_the_list_and_heading_styles(appeal):
    lacking = ("List Bullet", "List Bullet 2", "List Number", "List Number 2",
               "Table Grid", "Heading 1", "Heading 2")
    chosen = Style(reference_docx=reference_docx(drop_styles=lacking))
    document = read_docx(write_docx(replace(appeal, style=chosen)))
    names = {s.name for s in document.styles}
    assert set(lacking) <= names
    bullets = [p for p in document.paragraphs if p.style.name == "List Bullet"]
    assert bullets, "the appeal's lists lost their style"
    numbering = document.part.numbering_part.element
    num_id = document.styles["List Bullet"].element.pPr.numPr.numId.val
    assert numbering.num_having_numId(num_id) is not None  # a bullet Word can draw


def test_docx_reference_that_cannot_be_opened_is_a_pack_error(appeal):
    broken = io.BytesIO()
    with zipfile.ZipFile(broken, "w") as z:
        z.writestr("word/document.xml", "<not a word document")
    with pytest.raises(PackError) as error:
        write_docx(replace(appeal, style=Style(reference_docx=broken.getvalue(),
                                               pack_name=ORG)))
    message = str(error.value)
    assert ORG in message and "reference_docx" in message and "save it again" in message


def test_a_damaged_logo_is_a_pack_error(appeal):
    damaged = letterhead(logo=png()[:40] + b"\0" * 40)  # a PNG header, no image
    for write in (write_docx, write_pdf):
        with pytest.raises(PackError, match=r"logo"):
            write(replace(appeal, style=style(letterhead=damaged)))


# --- PDF ---------------------------------------------------------------------------------


def read_pdf(data: bytes) -> pypdf.PdfReader:
    return pypdf.PdfReader(io.BytesIO(data))


def text_positions(page) -> list[tuple[float, float, str]]:
    found = []

    def visit(text, cm, tm, font, size):
        if text.strip():
            found.append((tm[4] * cm[0] + cm[4], tm[5] * cm[3] + cm[5], text))

    page.extract_text(visitor_text=visit)
    return found


@pytest.mark.parametrize("font, face", [("sans", "LiberationSans"),
                                        ("serif", "LiberationSerif")])
def test_pdf_letterhead_font_margins_footer_creator(appeal, font, face):
    data = write_pdf(replace(appeal, style=style(font=font)))
    reader = read_pdf(data)
    first = reader.pages[0]
    text = first.extract_text()
    for line in (ORG, *ADDRESS, "help@ctha.example.org", "Jordan A. Rivera"):
        assert line in text, line
    assert text.index(ORG) < text.index("Jordan A. Rivera")  # above the sender block
    xobjects = first["/Resources"]["/XObject"]
    images = [xobjects[name] for name in xobjects if xobjects[name]["/Subtype"] == "/Image"]
    assert len(images) == 1 and images[0]["/Width"] == 300 and images[0]["/Height"] == 120
    fonts = {str(f["/BaseFont"]).split("+")[-1] for f in first["/Resources"]["/Font"].values()}
    assert fonts == {face, f"{face}-Bold"}
    assert reader.metadata["/Creator"] == f"lettergen; pack {ORG} 1.2.0"
    for number, page in enumerate(reader.pages, 1):
        page_text = page.extract_text()
        assert FOOTER in page_text, number
        positions = text_positions(page)
        assert min(x for x, _, _ in positions) == pytest.approx(0.8 * 72, abs=0.5)
        marks = (FOOTER, "Page", appeal.running_head)  # the footer, the running head
        body = [y for _, y, t in positions if not any(m in t for m in marks)]
        assert min(body) >= 1.25 * 72 - 1  # the bottom margin
        assert max(body) <= 11 * 72 - 1.0 * 72  # the top margin
    assert data == write_pdf(replace(appeal, style=style(font=font)))  # byte-identical


def test_pdf_body_size_follows_the_style(appeal):
    def body_sizes(data: bytes) -> set[float]:
        sizes = set()
        page = read_pdf(data).pages[0]
        page.extract_text(visitor_text=lambda t, cm, tm, f, size:
                          sizes.add(round(size * tm[0], 1)) if "Rivera" in t else None)
        return sizes
    assert body_sizes(write_pdf(appeal)) == {11.0}
    assert body_sizes(write_pdf(replace(appeal, style=Style(font_size_pt=13.0)))) == {13.0}


def test_default_style_records_no_pack(appeal):
    plain = replace(appeal, style=Style())
    assert read_pdf(write_pdf(plain)).metadata["/Creator"] == "lettergen"
    document = read_docx(write_docx(plain))
    assert document.core_properties.category == "" and document.core_properties.version == ""
    assert ORG not in body_text(document) and len(document.inline_shapes) == 0


# --- LibreOffice --------------------------------------------------------------------------


@pytest.mark.skipif(SOFFICE is None, reason="LibreOffice is not installed")
def test_styled_docx_opens_in_libreoffice(appeal, tmp_path):
    files = {"letterhead.docx": write_docx(replace(appeal, style=style())),
             "reference.docx": write_docx(replace(appeal, style=Style(
                 reference_docx=reference_docx(), letterhead=letterhead())))}
    for name, data in files.items():
        (tmp_path / name).write_bytes(data)
    result = subprocess.run(
        [SOFFICE, f"-env:UserInstallation=file://{tmp_path}/profile", "--headless",
         "--convert-to", "pdf", "--outdir", str(tmp_path / "out"),
         *(str(tmp_path / name) for name in files)],
        capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    for name in files:
        text = pdf_text((tmp_path / "out" / name.replace(".docx", ".pdf")).read_bytes())
        assert ORG in text and "Jordan A. Rivera" in text, name
    reference = pdf_text((tmp_path / "out" / "reference.pdf").read_bytes())
    assert HEADER_TEXT in reference


# --- a pack on disk, through the command line ----------------------------------------------


def test_a_packs_style_reaches_the_built_files(tmp_path):
    from lettergen.cli import main

    pack = EXAMPLES.parent / "tests" / "fixtures" / "packs" / "advocate"
    out = tmp_path / "out"
    assert main(["build", str(EXAMPLES / "er-out-of-network.toml"), "-l", "internal-appeal",
                 "--pack", str(pack), "-o", str(out)]) == 0
    folder = out / "er-out-of-network"
    document = read_docx((folder / "internal-appeal.docx").read_bytes())
    assert document.tables[0].rows[0].cells[-1].paragraphs[0].text == ORG
    assert len(document.inline_shapes) == 1
    assert document.styles["Normal"].font.name == "Arial"
    assert document.core_properties.category == ORG
    reader = pypdf.PdfReader(folder / "internal-appeal.pdf")
    assert ORG in reader.pages[0].extract_text()
    assert reader.metadata["/Creator"] == f"lettergen; pack {ORG} 1.2.0"
    assert all(FOOTER in page.extract_text() for page in reader.pages)
