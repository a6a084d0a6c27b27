"""The examples: every letter has a sample case, and every sample builds cleanly."""

from __future__ import annotations

import pytest

from conftest import EXAMPLES, assert_clean, docx_text, pdf_text
from lettergen.case.casefile import load_case
from lettergen.letters.templates import list_templates
from lettergen.output.build import build
from lettergen.packs.folder import open_packs

CASES = sorted(EXAMPLES.glob("*.toml"))


def test_every_letter_has_an_example_that_asks_for_it():
    asked = {letter for path in CASES for letter in load_case(path).case.letters}
    ids = {t.id for t in list_templates(open_packs([]))}
    assert len(ids) >= 23
    assert ids <= asked, f"no example builds {sorted(ids - asked)}"


@pytest.mark.parametrize("path", CASES, ids=[p.stem for p in CASES])
def test_each_example_builds_its_letters(path, tmp_path):
    case = load_case(path)
    written = build(case, [], ["docx", "pdf"], tmp_path, open_packs([]))
    assert len(written) == 2 * len(case.case.letters)
    for file in written:
        data = file.read_bytes()
        text = docx_text(data) if file.suffix == ".docx" else pdf_text(data)
        assert case.patient.name in text
        if file.suffix == ".docx":
            assert_clean(text)
