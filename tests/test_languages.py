"""Letters in the language the case asks for, whole, and tagged as what they are.

A Spanish case gets the Spanish letter where the pack that holds the letter has one; a
pack letter in English only is built in English, said so, and tagged English; a Spanish
letter takes its partials from the Spanish layer only, so a pack's English partial
never lands in it; a reading copy is written beside the English letter and marked as
not to send.
"""

from __future__ import annotations

import io
import os
import zipfile
from pathlib import Path

import pytest

from conftest import document_text, docx_text, pdf_text
from lettergen.case.casefile import load_case
from lettergen.cli import main
from lettergen.errors import CaseFileError, TemplateError
from lettergen.letters.render import render_letter
from lettergen.packs.folder import open_packs
from spanish import FULL, english_left, spanish_copy

CASE = FULL / "er-anesthesia.toml"


def _pack(tmp_path: Path, files: dict[str, str]) -> Path:
    root = tmp_path / "pack"
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, "utf-8")
    return root


ENGLISH_ITEMIZED = """+++
title = "Request for an itemized bill"
to = "provider"
purpose = "Our own wording."
when = "First."
needs = ["provider.name"]
+++
{% import "_partials/macros.md" as m with context %}
{% include "_partials/head.md" %}

Our advocates ask for the itemized bill of {{ patient.name }}.

{% include "_partials/close.md" %}
"""


def test_a_spanish_case_gets_the_spanish_letter_tagged_spanish(tmp_path):
    out = tmp_path / "out"
    source = spanish_copy(CASE, tmp_path)
    assert main(["build", str(source), "-l", "itemized-bill-request", "-o", str(out)]) == 0
    folder = out / source.stem
    docx = (folder / "itemized-bill-request.docx").read_bytes()
    pdf = (folder / "itemized-bill-request.pdf").read_bytes()
    for text in (" ".join(docx_text(docx).split()), " ".join(pdf_text(pdf).split())):
        assert "Solicito una factura detallada y completa de esta cuenta" in text
        assert "2 de mayo de 2026" in text and "May 2, 2026" not in text
        assert "Atentamente," in text and "Sincerely" not in text
    with zipfile.ZipFile(io.BytesIO(docx)) as z:
        assert "<dc:language>es-US</dc:language>" in z.read("docProps/core.xml").decode()
    assert b"/Lang (es-US)" in pdf
    assert "Página" in pdf_text(pdf) and "Page 1" not in pdf_text(pdf)


def test_the_spanish_letter_reads_as_spanish_from_every_full_case(tmp_path):
    built = 0
    for source in sorted(FULL.glob("*.toml")):
        case = load_case(spanish_copy(source, tmp_path))
        letter = render_letter(case, "itemized-bill-request", open_packs([]))
        assert letter.document.language == "es-US"
        assert english_left(letter, source) == [], source.name
        built += 1
    assert built >= 19


def test_a_pack_letter_in_english_only_is_built_in_english_and_said_so(tmp_path, capsys):
    pack = _pack(tmp_path, {"itemized-bill-request.md": ENGLISH_ITEMIZED})
    out = tmp_path / "out"
    source = spanish_copy(CASE, tmp_path)
    assert main(["build", str(source), "-l", "itemized-bill-request", "--pack", str(pack),
                 "-f", "docx", "-o", str(out)]) == 0
    err = capsys.readouterr().err
    assert ("itemized-bill-request: pack pack has no Spanish version of this letter (no "
            "es/itemized-bill-request.md), so it is built in English from "
            "itemized-bill-request.md and marked as English") in err
    docx = (out / source.stem / "itemized-bill-request.docx").read_bytes()
    text = docx_text(docx)
    # English throughout: the pack's body and the English partials, never Spanish ones.
    assert "Our advocates ask for the itemized bill" in text
    assert "Sincerely," in text and "Atentamente" not in text and "Asunto" not in text
    assert "May 2, 2026" in text and "de mayo" not in text
    with zipfile.ZipFile(io.BytesIO(docx)) as z:
        assert "<dc:language>en-US</dc:language>" in z.read("docProps/core.xml").decode()


def test_a_pack_spanish_letter_stands_in_front_of_the_built_in_one(tmp_path):
    spanish = ENGLISH_ITEMIZED.replace("Our advocates ask for the itemized bill of",
                                       "Nuestro equipo pide la factura detallada de")
    pack = _pack(tmp_path, {"itemized-bill-request.md": ENGLISH_ITEMIZED,
                            "es/itemized-bill-request.md": spanish})
    letter = render_letter(load_case(spanish_copy(CASE, tmp_path)), "itemized-bill-request",
                           open_packs([str(pack)]))
    text = document_text(letter.document)
    assert "Nuestro equipo pide la factura detallada de Jordan A. Rivera" in text
    assert "Atentamente," in text and letter.notes == ()


def test_an_english_partial_of_a_pack_never_lands_in_a_spanish_letter(tmp_path):
    close = "::: signature\nYours truly,\n\n{{ signer.name }}\n:::\n"
    pack = _pack(tmp_path, {"_partials/close.md": close})
    packs = open_packs([str(pack)])
    spanish = render_letter(load_case(spanish_copy(CASE, tmp_path)), "itemized-bill-request",
                            packs)
    english = render_letter(load_case(CASE), "itemized-bill-request", packs)
    assert "Yours truly," in document_text(english.document)
    assert "Yours truly" not in document_text(spanish.document)
    assert "Atentamente," in document_text(spanish.document)


@pytest.mark.parametrize("name", ["../itemized-bill-request.md", "es/../../x.md"])
def test_the_spanish_layer_cannot_be_left_by_an_include(tmp_path, name):
    body = ENGLISH_ITEMIZED.replace('{% include "_partials/close.md" %}',
                                    '{% include "' + name + '" %}')
    pack = _pack(tmp_path, {"es/itemized-bill-request.md": body, "x.md": "secret"})
    with pytest.raises(TemplateError) as caught:
        render_letter(load_case(spanish_copy(CASE, tmp_path)), "itemized-bill-request",
                      open_packs([str(pack)]))
    assert "es/itemized-bill-request.md" in str(caught.value)
    assert "which no pack has" in str(caught.value)


@pytest.mark.skipif(os.name == "nt", reason="symlinks need privileges on Windows")
def test_a_spanish_template_linked_outside_the_pack_is_refused(tmp_path):
    outside = tmp_path / "outside.md"
    outside.write_text(ENGLISH_ITEMIZED, "utf-8")
    pack = _pack(tmp_path, {"README.md": "a pack"})
    (pack / "es").mkdir()
    (pack / "es" / "itemized-bill-request.md").symlink_to(outside)
    with pytest.raises(TemplateError) as caught:
        render_letter(load_case(spanish_copy(CASE, tmp_path)), "itemized-bill-request",
                      open_packs([str(pack)]))
    assert "points outside the pack" in str(caught.value)


def test_a_reading_copy_is_written_beside_the_english_letter(tmp_path, capsys):
    out = tmp_path / "out"
    source = tmp_path / "case.toml"
    source.write_text(CASE.read_text("utf-8").replace("[case]\n", '[case]\nreading_copy = "es"\n',
                                                      1), "utf-8")
    assert main(["build", str(source), "-l", "itemized-bill-request", "-l", "refund-request",
                 "-f", "pdf", "-o", str(out)]) in (0, 1)
    capsys.readouterr()
    assert main(["build", str(source), "-l", "itemized-bill-request", "-f", "pdf",
                 "-o", str(out), "--force"]) == 0
    written = capsys.readouterr().out.split()
    folder = out / "case"
    assert written == [str(folder / "itemized-bill-request.pdf"),
                       str(folder / "itemized-bill-request.es.pdf")]
    sent = " ".join(pdf_text((folder / "itemized-bill-request.pdf").read_bytes()).split())
    copy = " ".join(pdf_text((folder / "itemized-bill-request.es.pdf").read_bytes()).split())
    assert "I ask for a complete itemized bill" in sent and "Copia para leer" not in sent
    assert copy.startswith("Copia para leer: no la envíe.")
    assert "Firme y envíe la carta en inglés." in copy
    assert "Solicito una factura detallada y completa" in copy


def test_a_reading_copy_in_the_letters_own_language_is_refused(tmp_path):
    source = tmp_path / "case.toml"
    source.write_text(CASE.read_text("utf-8").replace("[case]\n", '[case]\nreading_copy = "en"\n',
                                                      1), "utf-8")
    with pytest.raises(CaseFileError) as caught:
        load_case(source)
    assert "[case] reading_copy" in str(caught.value)
    assert "is the letters' own language" in str(caught.value)
