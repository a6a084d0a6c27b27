"""Names in every script a US patient may write them in, read back from real PDFs.

The PDF must draw them (in the right font, shaped, right-to-left where the script is),
give them back to text extraction and search where it can, and refuse, naming the
character, what no shipped font can draw. A letter in Latin script only must not pay
for any of it, and the bytes must depend on the Document alone.
"""

from __future__ import annotations

import ast
import datetime as dt
import io
import os
import shutil
import subprocess
import sys
import unicodedata
from pathlib import Path

import pypdf
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import ROOT, case_file, cli_letter_texts
from lettergen.cli import main
from lettergen.errors import UnprintableTextError
from lettergen.letters.document import (
    LINE_BREAK,
    Document,
    Heading,
    Paragraph,
    Run,
    Signature,
    Table,
)
from lettergen.writers import pdf_fonts
from lettergen.writers.pdf_writer import write_pdf

LETTER = "itemized-bill-request"
CASE = "er-out-of-network"

# (script, name, words that must come back from the PDF, font that must be embedded)
NAMES = [
    ("arabic", "محمد حسن", ["محمد", "حسن"], "NotoNaskhArabic"),
    ("chinese", "王小明", ["王小明"], "DroidSansFallback"),
    ("japanese", "山田さくら", ["山田さくら"], "DroidSansFallback"),
    ("korean", "김민준", ["김민준"], "DroidSansFallback"),
    ("devanagari", "अर्जुन शर्मा", ["अर्जुन", "शर्मा"], "NotoSerifDevanagari"),
    ("thai", "สมชาย ใจดี", ["สมชาย", "ใจดี"], "NotoSerifThai"),
    ("hebrew", "דוד כהן", ["דוד", "כהן"], "LiberationSerif"),
    ("emoji", "Dana Ruiz 🙂", ["Dana Ruiz 🙂"], "NotoEmoji"),
    ("symbols", "Dana ✓ Ruiz", ["Dana ✓ Ruiz"], "NotoSansSymbols2"),
]


def pdf_fonts_of(data: bytes) -> set[str]:
    """The base font names of every font the PDF's pages use, without subset tags."""
    names = set()
    for page in pypdf.PdfReader(io.BytesIO(data)).pages:
        for font in page["/Resources"]["/Font"].values():
            names.add(str(font.get_object()["/BaseFont"]).lstrip("/").split("+", 1)[-1])
    return names


def build_pdf(tmp_path: Path, name: str, letter: str = LETTER) -> bytes:
    path = case_file(tmp_path, CASE, {"patient.name": name})
    assert main(["build", str(path), "-l", letter, "-f", "pdf", "-o", str(tmp_path / "out")]) == 0
    return (tmp_path / "out" / CASE / f"{letter}.pdf").read_bytes()


def plain(text: str) -> str:
    """Extracted text with no-break spaces as spaces and bidi marks gone."""
    return "".join(" " if ch == "\u00a0" else ch for ch in text
                   if ch not in "\u202a\u202b\u202c\u202d\u202e\u200e\u200f")


@pytest.mark.parametrize(("script", "name", "words", "font"), NAMES,
                         ids=[n[0] for n in NAMES])
def test_a_name_in_any_script_comes_back_from_the_pdf(tmp_path, script, name, words, font):
    docx_text, pdf_text = cli_letter_texts(tmp_path, case_file(tmp_path, CASE,
                                                               {"patient.name": name}), LETTER)
    assert name in docx_text
    for word in words:
        assert word in plain(pdf_text), (script, word, pdf_text[:300])
    data = (tmp_path / "out" / CASE / f"{LETTER}.pdf").read_bytes()
    assert any(f.startswith(font) for f in pdf_fonts_of(data)), pdf_fonts_of(data)


def test_chinese_and_arabic_together_on_the_name_line(tmp_path):
    """The bug report: 王小明 محمد printed a blank name line."""
    _, pdf_text = cli_letter_texts(tmp_path, case_file(tmp_path, CASE,
                                                       {"patient.name": "王小明 محمد"}), LETTER)
    first = plain(pdf_text).splitlines()[0]
    assert "王小明" in first and "محمد" in first


def test_hebrew_reads_right_to_left(tmp_path):
    """One Hebrew word: pypdf reads right-to-left glyphs back in logical order, so a
    word drawn left to right (the old bug) comes back reversed."""
    text = plain(write_and_extract(tmp_path, "שלום"))
    assert "שלום" in text and "םולש" not in text


@pytest.mark.skipif(not shutil.which("pdftotext"), reason="needs poppler's pdftotext")
def test_right_to_left_words_are_in_reading_order(tmp_path):
    """Several words: the first word of a right-to-left name is drawn rightmost.
    pdftotext (poppler) orders the glyphs by position and reads them back."""
    data = build_pdf(tmp_path, "Dana דוד כהן 12 Ruiz")
    (tmp_path / "x.pdf").write_bytes(data)
    out = subprocess.run(["pdftotext", "-l", "1", str(tmp_path / "x.pdf"), "-"],
                         capture_output=True, text=True, check=True).stdout
    first = " ".join(plain(out).split("\n")[0].split())
    assert "דוד כהן" in first and "כהן דוד" not in first, first


def test_right_to_left_text_wraps_in_reading_order():
    """A right-to-left stretch longer than a line goes on at the next line where it
    left off: each line holds the next words, whole, in logical order."""
    alphabet = "אבגדהוזחטיכלמנסעפצקרשת"
    text = " ".join(letter * 4 for letter in alphabet)  # words that read the same both ways
    doc = Document("T", "A", dt.date(2026, 1, 2), (Paragraph((Run(text),)),))
    page = pypdf.PdfReader(io.BytesIO(write_pdf(doc))).pages[0].extract_text()
    lines = [line for line in page.splitlines() if any(ch in alphabet for ch in line)]
    assert len(lines) >= 2
    seen = "".join(ch for line in lines for ch in alphabet if ch * 4 in line)
    assert seen == alphabet  # every word whole, each line's words after the line before


def write_and_extract(tmp_path: Path, name: str) -> str:
    data = build_pdf(tmp_path, name)
    return "\n".join(p.extract_text() for p in pypdf.PdfReader(io.BytesIO(data)).pages)


def test_arabic_letters_take_their_joined_forms_and_run_right_to_left():
    pdf_fonts.register("NotoNaskhArabic-Regular", "NotoNaskhArabic-Regular.ttf")
    shaped = pdf_fonts.Layout().shape("محمد", "NotoNaskhArabic-Regular", rtl=True)
    data = shaped.__shapeData__
    assert len(data) == 4
    # drawn left to right: the last letter (dal) first, the first (meem) last
    assert [d.cluster for d in data] == [3, 2, 1, 0]
    # no letter in its isolated form: every glyph is a joined one, with its own code
    assert all(ord(code) >= pdf_fonts.PUA_BASE for code in shaped)


def test_devanagari_forms_conjuncts_and_thai_stacks_its_marks():
    layout = pdf_fonts.Layout()
    pdf_fonts.register("NotoSerifDevanagari-Regular", "NotoSerifDevanagari-Regular.ttf")
    conjunct = layout.shape("क्ष", "NotoSerifDevanagari-Regular", rtl=False)
    assert len(conjunct) == 1  # three characters, one glyph
    pdf_fonts.register("NotoSerifThai-Regular", "NotoSerifThai-Regular.ttf")
    stacked = layout.shape("ปี่", "NotoSerifThai-Regular", rtl=False)
    assert any(d.y_offset or d.x_offset for d in stacked.__shapeData__)  # the tone mark moves


def test_emoji_sequences_are_one_glyph():
    pdf_fonts.register("NotoEmoji-Regular", "NotoEmoji-Regular.ttf")
    layout = pdf_fonts.Layout()
    assert len(layout.shape("👨\u200d👩\u200d👧", "NotoEmoji-Regular", rtl=False)) == 1
    assert len(layout.shape("🇺🇸", "NotoEmoji-Regular", rtl=False)) == 1


def test_faces_follow_the_script_and_marks_stay_with_their_letter():
    faces = pdf_fonts.faces_of("Ana محمد 王 ✓ 👍🏽 1\ufe0f\u20e3 e\u0301")
    keys = [f.key if isinstance(f, pdf_fonts.Face) else f for f in faces]
    assert keys[:4] == [None, None, None, None]  # "Ana " in Liberation Serif
    assert keys[4:8] == ["arabic"] * 4
    assert keys[9] == "cjk" and keys[11] == "symbols"
    assert keys[13:15] == ["emoji", "emoji"]  # the skin tone with its thumb
    assert keys[16:19] == ["emoji"] * 3  # a keycap: digit, variation selector, enclosure
    assert keys[20:] == [None, None]  # e and its combining accent


@pytest.mark.parametrize(("text", "levels"), [
    ("abc", [0, 0, 0]),
    ("ab שלום cd", [0, 0, 0, 1, 1, 1, 1, 0, 0, 0]),
    ("א ב 12 x", [1, 1, 1, 1, 2, 2, 0, 0]),  # digits after Hebrew: left to right inside
    ("محمد 12", [1, 1, 1, 1, 1, 2, 2]),
    ("x (א) y", [0, 0, 0, 1, 0, 0, 0]),  # brackets between Latin stay Latin
])
def test_bidi_levels(text, levels):
    assert pdf_fonts._levels(text) == levels


def test_bidi_visual_order_reverses_right_to_left_runs():
    assert pdf_fonts._visual_order([0, 1, 1, 1, 0]) == [0, 3, 2, 1, 4]
    assert pdf_fonts._visual_order([1, 2, 2, 1]) == [3, 1, 2, 0]


@pytest.mark.parametrize("bad", ["\ue000", "\U00013000"])
def test_a_character_no_font_has_stops_the_build_and_is_named(tmp_path, capsys, bad):
    path = case_file(tmp_path, CASE, {"patient.name": f"Dana {bad} Ruiz"})
    out = tmp_path / "out"
    assert main(["build", str(path), "-l", LETTER, "-o", str(out)]) == 1
    err = capsys.readouterr().err
    assert bad in err and f"U+{ord(bad):04X}" in err and "DOCX" in err
    if unicodedata.name(bad, ""):
        assert unicodedata.name(bad) in err
    else:
        assert "private-use" in err
    assert not out.exists() or not any(out.rglob("*.*"))  # nothing written, not even the DOCX


def test_unprintable_error_lists_every_character_once():
    doc = Document(title="T", author="A", date=dt.date(2026, 1, 2), blocks=(
        Paragraph((Run("a \ue000 b \ue000"),)), Heading(1, (Run("\U00013000"),))))
    with pytest.raises(UnprintableTextError) as caught:
        write_pdf(doc)
    message = str(caught.value)
    assert message.count("U+E000") == 1 and "U+13000 EGYPTIAN HIEROGLYPH A001" in message


def test_invisible_characters_no_font_has_are_left_out():
    doc = Document(title="T", author="A", date=dt.date(2026, 1, 2), blocks=(
        Paragraph((Run("Dana\u2060 Ruiz 王"),)),))  # WORD JOINER: nothing to see
    assert "Ruiz" in pypdf.PdfReader(io.BytesIO(write_pdf(doc))).pages[0].extract_text()


def mixed_doc() -> Document:
    r = Run
    return Document(title="Letter for 王小明", author="王小明 محمد", date=dt.date(2026, 4, 1),
                    blocks=(
        Paragraph((r("王小明 محمد"), LINE_BREAK, r("שלום כהן, 12 Elm St."))),
        Heading(1, (r("Re: (محمد), "), r("सिंह", italic=True), r(" ✓ 👍🏽"))),
        Table(header=((r("Name"),), (r("שם"),)),
              rows=(((r("สมชาย"),), (r("김민준", bold=True),)),), align=("left", "right")),
        Signature(closing=(r("Sincerely,"),), lines=((r("王小明"),), (r("محمد"),))),
    ))


def test_the_same_document_gives_the_same_bytes():
    assert write_pdf(mixed_doc()) == write_pdf(mixed_doc())


def test_the_bytes_do_not_depend_on_what_the_process_shaped_before(tmp_path):
    """Shaped glyphs get their codes as they are first met in a process; the file must
    not show it. A fresh process, and one that first wrote other letters, agree."""
    script = ("import sys, datetime as dt\n"
              "sys.path.insert(0, 'tests')\n"
              "from test_pdf_scripts import mixed_doc\n"
              "from lettergen.letters.document import Document, Paragraph, Run\n"
              "from lettergen.writers.pdf_writer import write_pdf\n"
              "if sys.argv[1] == 'busy':\n"
              "    write_pdf(Document('x', 'y', dt.date(2026, 1, 1), (Paragraph((Run("
              "'ﻻ محمود مرحبا क्षत्रिय สวัสดี 👨\u200d👩\u200d👧 שָׁלוֹם 🇺🇸'),)),)))\n"
              "sys.stdout.buffer.write(write_pdf(mixed_doc()))\n")
    outs = [subprocess.run([sys.executable, "-c", script, mode], cwd=ROOT, check=True,
                           capture_output=True).stdout for mode in ("fresh", "busy")]
    assert outs[0] == outs[1] == write_pdf(mixed_doc())


def test_metadata_keeps_the_name(tmp_path):
    meta = pypdf.PdfReader(io.BytesIO(write_pdf(mixed_doc()))).metadata
    assert meta.author == "王小明 محمد" and meta.title == "Letter for 王小明"


def test_a_latin_letter_reads_no_new_font_file():
    """In a fresh process, as a patient's command runs: a letter in Latin script only
    registers and embeds Liberation Serif alone and does not read the coverage table."""
    script = (
        "import io, pypdf\n"
        "from reportlab.pdfbase import pdfmetrics\n"
        "from lettergen.case.casefile import load_case\n"
        "from lettergen.letters.render import render_letter\n"
        "from lettergen.packs.folder import open_packs\n"
        "from lettergen.writers import pdf_fonts\n"
        "from lettergen.writers.pdf_writer import write_pdf\n"
        f"case = load_case('examples/{CASE}.toml')\n"
        f"data = write_pdf(render_letter(case, '{LETTER}', open_packs([])).document)\n"
        "print(sorted(n for n in pdfmetrics.getRegisteredFontNames()))\n"
        "print(pdf_fonts.COVERAGE._ranges is None)\n"
    )
    out = subprocess.run([sys.executable, "-c", script], cwd=ROOT, check=True,
                         capture_output=True, text=True).stdout.splitlines()
    standard = ("Helvetica", "Times", "Courier", "Symbol", "ZapfDingbats")
    registered = [n for n in ast.literal_eval(out[0]) if not n.startswith(standard)]
    assert registered == ["LiberationSerif", "LiberationSerif-Bold"], registered
    assert out[1] == "True"


def test_a_latin_letter_embeds_only_liberation_serif(tmp_path):
    fonts = pdf_fonts_of(build_pdf(tmp_path, "José Ñúñez"))
    assert fonts and all(f.startswith("LiberationSerif") for f in fonts), fonts


def test_a_chinese_name_loads_only_the_chinese_face(tmp_path):
    fonts = pdf_fonts_of(build_pdf(tmp_path, "王小明"))
    assert {f.split("-")[0] for f in fonts} == {"LiberationSerif", "DroidSansFallback"}, fonts


@pytest.mark.parametrize("value", ["0", "1700000000"])
def test_source_date_epoch_does_not_change_the_bytes(monkeypatch, value):
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    unset = write_pdf(mixed_doc())
    latin = write_pdf(Document("T", "A", dt.date(2026, 1, 2), (Paragraph((Run("x"),)),)))
    monkeypatch.setenv("SOURCE_DATE_EPOCH", value)
    assert write_pdf(mixed_doc()) == unset
    assert write_pdf(Document("T", "A", dt.date(2026, 1, 2), (Paragraph((Run("x"),)),))) == latin
    assert os.environ["SOURCE_DATE_EPOCH"] == value  # and the environment is left alone


def test_reportlab_settings_from_the_environment_do_not_change_the_bytes():
    """ReportLab reads RL_* variables at import; those that would change a letter's
    bytes are fixed by the writer."""
    script = ("import sys\n"
              "sys.path.insert(0, 'tests')\n"
              "from test_pdf_scripts import mixed_doc\n"
              "from lettergen.writers.pdf_writer import write_pdf\n"
              "sys.stdout.buffer.write(write_pdf(mixed_doc()))\n")
    env = {**os.environ, "RL_pageCompression": "0", "RL_ttfAsciiReadable": "0",
           "SOURCE_DATE_EPOCH": "1700000000"}
    out = subprocess.run([sys.executable, "-c", script], cwd=ROOT, check=True, env=env,
                         capture_output=True).stdout
    assert out == write_pdf(mixed_doc())


def test_coverage_table_matches_the_font_files():
    """coverage.txt is what each face's files map (every file of the face)."""
    for face in pdf_fonts.FACES:
        names = [face.regular] + ([face.bold] if face.bold else [])
        for file_name in names:
            font_name = file_name.removesuffix(".ttf")
            pdf_fonts.register(font_name, file_name)
            cmap = pdf_fonts.pdfmetrics.getFont(font_name).face.charToGlyph
            assert all(code in cmap for code in sample_codes(face)), (face.key, file_name)


def sample_codes(face: pdf_fonts.Face) -> list[int]:
    starts, ends = pdf_fonts.COVERAGE._load()[face.key]
    return [code for a, b in zip(starts, ends, strict=True) for code in range(a, b + 1)]


MARKS = "\u200c\u200d\u200f\u202b\u202c\ufe0f\u0301\u00ad"  # joiners, bidi marks, accent, SHY
SCRIPTS = "abc ABC 123 .,()-  שלום عربي ١٢ हिन्दी ไทย 漢字 かな 한글 ✓ 😀👍🏽 é"


@settings(max_examples=40, deadline=None)
@given(st.text(alphabet=st.sampled_from(SCRIPTS + MARKS), max_size=40))
def test_any_mix_of_scripts_is_drawn_or_refused_never_crashes(text):
    doc = Document("T", "A", dt.date(2026, 1, 2), (Paragraph((Run(text),)),
                                                   Table(((Run(text),),), (), ("right",))))
    data = write_pdf(doc)
    assert data.startswith(b"%PDF")
