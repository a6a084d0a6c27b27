"""What the writers keep from one letter to the next in a process (the DOCX template,
its styles and their zip bytes; a paragraph's line breaks; compiled templates on disk)
never changes a letter: the same case gives the same bytes first thing in a fresh
process and after letters in other languages and styles, as in a batch worker."""

from __future__ import annotations

import dataclasses
import io
import subprocess
import sys
import zipfile
from pathlib import Path

import docx
import pytest

from conftest import case_file, document_text, docx_text
from lettergen.case.casefile import load_case
from lettergen.letters import templates
from lettergen.letters.render import render_letter
from lettergen.packs.folder import open_packs
from lettergen.packs.style import Style
from lettergen.writers import pdf_writer, render

ROOT = Path(__file__).resolve().parent.parent


def _document(path: Path, letter: str = "itemized-bill-request", style: Style | None = None):
    document = render_letter(load_case(path), letter, open_packs([])).document
    return document if style is None else dataclasses.replace(document, style=style)


def _default_language(data: bytes) -> str:
    """The language of the DOCX's document defaults (what Word spell-checks in)."""
    styles = docx.Document(io.BytesIO(data)).styles.element
    lang = styles.find(".//{*}docDefaults//{*}lang")
    return lang.get("{http://schemas.openxmlformats.org/wordprocessingml/2006/main}val")


def test_docx_and_pdf_are_the_same_in_a_fresh_process_and_after_other_letters(tmp_path):
    english = case_file(tmp_path, "er-out-of-network")
    spanish = case_file(tmp_path, "er-out-of-network", {"case.language": "es"}, name="es")
    out = tmp_path / "fresh"
    subprocess.run([sys.executable, "-m", "lettergen", "build", str(english), "-l",
                    "itemized-bill-request", "-o", str(out)], check=True, cwd=ROOT,
                   capture_output=True)
    fresh = {fmt: (out / "er-out-of-network" / f"itemized-bill-request.{fmt}").read_bytes()
             for fmt in ("docx", "pdf")}

    # Other letters first in this process: another language, another font and footer.
    render(_document(spanish), "docx")
    sans = Style(font="sans", footer="Acme Advocates · (555) 010-0000")
    render(_document(english, "internal-appeal", sans), "docx")
    render(_document(english, "internal-appeal", sans), "pdf")
    for fmt in ("docx", "pdf"):
        assert render(_document(english), fmt) == fresh[fmt], fmt


def test_docx_of_each_language_keeps_its_own_language_and_a_sound_zip(tmp_path):
    english = case_file(tmp_path, "er-out-of-network")
    spanish = case_file(tmp_path, "er-out-of-network", {"case.language": "es"}, name="es")
    first_english = render(_document(english), "docx")
    spanish_docx = render(_document(spanish), "docx")
    second_english = render(_document(english), "docx")
    assert _default_language(first_english) == _default_language(second_english) == "en-US"
    assert _default_language(spanish_docx) == "es-US"
    assert "Jordan A. Rivera" in docx_text(second_english)
    for data in (first_english, spanish_docx, second_english):
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            assert archive.testzip() is None  # every member's CRC matches its bytes
            assert "word/stylesWithEffects.xml" not in archive.namelist()


def test_a_paragraph_broken_once_per_width_prints_as_breaking_it_every_time(
        tmp_path, monkeypatch: pytest.MonkeyPatch):
    document = _document(case_file(tmp_path, "er-out-of-network"), "internal-appeal")
    once = render(document, "pdf")
    monkeypatch.setattr(pdf_writer, "_Paragraph", pdf_writer.RLParagraph)
    assert render(document, "pdf") == once


@pytest.fixture
def cache_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A fresh cache folder for compiled templates, and environments that use it."""
    folder = tmp_path / "cache"
    monkeypatch.setenv(templates.CACHE_ENV, str(folder))
    templates.environment.cache_clear()
    yield folder
    templates.environment.cache_clear()


def _cached_files(folder: Path) -> set[str]:
    return {p.name for p in folder.glob("templates/*/*.cache")}


def test_compiled_built_in_templates_are_cached_and_give_the_same_letter(tmp_path,
                                                                         cache_folder):
    path = case_file(tmp_path, "er-out-of-network")
    compiled = render_letter(load_case(path), "internal-appeal", open_packs([])).markdown
    cached = _cached_files(cache_folder)
    assert cached  # the letter and its partials
    templates.environment.cache_clear()  # a new process: the code comes from the folder
    assert render_letter(load_case(path), "internal-appeal", open_packs([])).markdown \
        == compiled
    assert _cached_files(cache_folder) == cached


def test_a_packs_own_templates_are_never_cached(tmp_path, cache_folder):
    pack = tmp_path / "acme"
    (pack / "_partials").mkdir(parents=True)
    (pack / "_partials" / "letterhead.md").write_text("**ACME ADVOCATES**\n", "utf-8")
    path = case_file(tmp_path, "er-out-of-network")
    text = render_letter(load_case(path), "itemized-bill-request",
                         open_packs([str(pack)])).markdown
    assert "ACME ADVOCATES" in text
    cache = templates._bytecode_cache(cache_folder)
    assert cache is not None
    names = _cached_files(cache_folder)
    pack_key = cache.get_cache_key("_partials/letterhead.md",
                                   str(pack / "_partials" / "letterhead.md"))
    letter_key = cache.get_cache_key(
        "itemized-bill-request.md",
        str(templates.builtin_pack().root / "itemized-bill-request.md"))
    assert f"__jinja2_{letter_key}.cache" in names
    assert f"__jinja2_{pack_key}.cache" not in names


def test_a_cache_folder_that_cannot_be_made_leaves_letters_as_they_are(tmp_path,
                                                                      cache_folder):
    cache_folder.write_text("a file where the folder would go", "utf-8")
    path = case_file(tmp_path, "er-out-of-network")
    letter = render_letter(load_case(path), "itemized-bill-request", open_packs([]))
    assert "Jordan A. Rivera" in document_text(letter.document)
    assert cache_folder.is_file()
