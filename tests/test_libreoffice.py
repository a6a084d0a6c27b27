"""Every example case's letters open in LibreOffice (a second, independent reader of
our DOCX files). Skipped where LibreOffice is not installed; `.ci/run` installs it."""

from __future__ import annotations

import shutil
import subprocess

import pytest

from conftest import EXAMPLES, pdf_text
from lettergen.case.casefile import load_case
from lettergen.errors import LettergenError
from lettergen.output.build import build
from lettergen.packs.folder import open_packs

SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")


@pytest.mark.skipif(SOFFICE is None, reason="LibreOffice is not installed")
def test_example_letters_open_in_libreoffice(tmp_path):
    written = []
    for path in sorted(EXAMPLES.glob("*.toml")):
        case = load_case(path)
        for letter_id in case.case.letters:
            try:
                written += build(case, [letter_id], ["docx"], tmp_path / "letters",
                                 open_packs([]))
            except LettergenError:
                continue  # refusals are covered by the audit
    assert written, "no example letter was built"
    flat = tmp_path / "flat"  # LibreOffice names its output by stem: make stems unique
    flat.mkdir()
    copies = {}
    for docx in written:
        copy = flat / f"{docx.parent.name}--{docx.name}"
        shutil.copyfile(docx, copy)
        copies[copy] = docx.parent.name
    out = tmp_path / "converted"
    profile = tmp_path / "profile"
    result = subprocess.run(
        [SOFFICE, f"-env:UserInstallation=file://{profile}", "--headless", "--convert-to",
         "pdf", "--outdir", str(out), *map(str, copies)],
        capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    for copy, example in copies.items():
        converted = out / f"{copy.stem}.pdf"
        assert converted.is_file(), f"LibreOffice could not open {copy.name}"
        text = pdf_text(converted.read_bytes())
        assert load_case(EXAMPLES / f"{example}.toml").patient.name in text, copy.name
