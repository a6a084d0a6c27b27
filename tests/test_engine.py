"""The template engine: escaping, the sandbox, packs, template errors, determinism."""

from __future__ import annotations

import re
import textwrap
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import case_file, docx_text, letter_text, pdf_text
from lettergen.case.casefile import load_case
from lettergen.errors import LetterDoesNotFitError, TemplateError
from lettergen.letters.render import render_letter
from lettergen.letters.templates import markdown_escape
from lettergen.packs.folder import open_packs
from lettergen.writers import render

HOSTILE = "*Bob* _x_ # <b>bold</b> [x](http://e.org) {{ 7*7 }} {% if %} & \\ | `c` ~~s~~"


def write_pack(root: Path, files: dict[str, str]) -> Path:
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text).lstrip(), "utf-8")
    return root


MINI = """\
    +++
    title = "Mini"
    to = "provider"
    purpose = "A test letter."
    when = "In tests."
    +++
    {body}
    """


def mini_pack(tmp_path: Path, body: str, name: str = "mini") -> Path:
    text = textwrap.dedent(MINI).format(body=body)
    path = tmp_path / "pack" / f"{name}.md"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, "utf-8")
    return path.parent


def test_markup_in_case_values_comes_out_as_typed(tmp_path):
    path = case_file(tmp_path, "er-out-of-network",
                     {"patient.name": HOSTILE, "provider.name": "A_B *C* <i>D</i>"})
    text = letter_text(path, "itemized-bill-request")
    assert HOSTILE in text
    assert "A_B *C* <i>D</i>" in text
    assert "49" not in text.split("{{ 7*7 }}")[0][-5:]  # template syntax was not run


@settings(max_examples=40, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.text(alphabet=st.characters(min_codepoint=32, max_codepoint=0x2FFF,
                                      blacklist_categories=("Cs", "Cc", "Zl", "Zp")),
               min_size=1, max_size=40).map(str.strip).filter(bool))
def test_any_string_in_a_name_comes_out_exactly(tmp_path, name):
    """Property: whatever a patient types as a name, every writer shows it as typed."""
    name = re.sub(r"\s+", " ", name)
    path = case_file(tmp_path, "er-out-of-network", {"patient.name": name})
    letter = render_letter(load_case(path), "itemized-bill-request", open_packs([]))
    from conftest import document_text

    assert name in document_text(letter.document)
    assert name.encode("utf-8") in render(letter.document, "html") or \
        __import__("html").escape(name).encode() in render(letter.document, "html")


def test_markdown_escape_round_trip():
    from lettergen.letters.markdown_reader import read_markdown

    for text in [HOSTILE, "1. not a list", "- not a bullet", "> not a quote", "---", "&amp;"]:
        blocks = read_markdown(markdown_escape(text))
        assert "".join(r.text for r in blocks[0].runs) == text


def test_hostile_values_survive_docx_and_pdf(tmp_path):
    path = case_file(tmp_path, "er-out-of-network", {"patient.name": "José <b>Ñúñez</b> *x*"})
    letter = render_letter(load_case(path), "itemized-bill-request", open_packs([]))
    assert "José <b>Ñúñez</b> *x*" in docx_text(render(letter.document, "docx"))
    assert "José <b>Ñúñez</b> *x*" in pdf_text(render(letter.document, "pdf"))


def test_same_case_gives_byte_identical_files(tmp_path):
    case = load_case(case_file(tmp_path, "er-out-of-network"))
    first = render_letter(case, "itemized-bill-request", open_packs([]))
    second = render_letter(load_case(case.source_path), "itemized-bill-request", open_packs([]))
    for fmt in ("docx", "pdf", "md", "html"):
        assert render(first.document, fmt) == render(second.document, fmt), fmt


def test_a_pack_overrides_one_template_and_keeps_the_rest(tmp_path):
    pack = write_pack(tmp_path / "acme", {
        "_partials/letterhead.md": "**ACME PATIENT ADVOCATES**\\\n{{ signer.name }}\n",
    })
    path = case_file(tmp_path, "er-out-of-network")
    text = letter_text(path, "itemized-bill-request", packs=(str(pack),))
    assert text.startswith("ACME PATIENT ADVOCATES\nJordan A. Rivera")
    assert "itemized statement" in text  # the letter itself still comes from the built-in pack


def test_a_pack_letter_is_listed_with_its_pack(tmp_path):
    from lettergen.letters.templates import list_templates

    pack = mini_pack(tmp_path, "Hello {{ patient.name }}.")
    listed = {t.id: t.pack.name for t in list_templates(open_packs([str(pack)]))}
    assert listed["mini"] == "pack"
    assert listed["itemized-bill-request"] == "built-in"


def test_template_syntax_error_names_pack_file_and_line(tmp_path):
    pack = mini_pack(tmp_path, "line one\n\n{% if patient.name %}unclosed")
    case = load_case(case_file(tmp_path, "er-out-of-network"))
    with pytest.raises(TemplateError) as caught:
        render_letter(case, "mini", open_packs([str(pack)]))
    message = str(caught.value)
    assert "pack pack" in message and "mini.md" in message and "line" in message


def test_unknown_variable_names_the_line(tmp_path):
    pack = mini_pack(tmp_path, "one\n\n{{ patient.nmae }}")
    case = load_case(case_file(tmp_path, "er-out-of-network"))
    with pytest.raises(TemplateError) as caught:
        render_letter(case, "mini", open_packs([str(pack)]))
    assert "mini.md, line 9" in str(caught.value)
    assert "nmae" in str(caught.value)


@pytest.mark.parametrize("body", [
    "{{ ''.__class__.__mro__ }}",
    "{{ cycler.__init__.__globals__ }}",
    "{% include '../../../etc/passwd' %}",
    "{% import 'os' as os %}",
])
def test_sandbox_blocks_escapes(tmp_path, body):
    pack = mini_pack(tmp_path, body)
    case = load_case(case_file(tmp_path, "er-out-of-network"))
    with pytest.raises(TemplateError):
        render_letter(case, "mini", open_packs([str(pack)]))


def test_runaway_template_is_stopped(tmp_path, monkeypatch):
    import lettergen.letters.sandbox as sandbox

    monkeypatch.setattr(sandbox, "LETTER_SECONDS", 0.5)
    pack = mini_pack(tmp_path, "{% for i in range(99999) %}{% for j in range(99999) %}"
                               "{% endfor %}{% endfor %}")
    case = load_case(case_file(tmp_path, "er-out-of-network"))
    with pytest.raises(TemplateError, match="stopped"):
        render_letter(case, "mini", open_packs([str(pack)]))


def test_a_template_cannot_cite_a_rule_outside_the_plan(tmp_path):
    pack = mini_pack(tmp_path, "Under {{ cite('erisa-appeal-window') }}.")
    case = load_case(case_file(tmp_path, "er-out-of-network", {"insurer.plan_type": "medicare"}))
    with pytest.raises(TemplateError, match="does not apply"):
        render_letter(case, "mini", open_packs([str(pack)]))


def test_a_template_cannot_cite_an_unverified_rule(tmp_path):
    pack = mini_pack(tmp_path, "Under {{ cite('aca-new-evidence') }}.")
    case = load_case(case_file(tmp_path, "er-out-of-network"))
    with pytest.raises(TemplateError, match="unverified"):
        render_letter(case, "mini", open_packs([str(pack)]))


def test_an_empty_value_never_prints_none(tmp_path):
    pack = mini_pack(tmp_path, "Doctor: {{ clinician.name }}")
    case = load_case(case_file(tmp_path, "er-out-of-network"))
    with pytest.raises(LetterDoesNotFitError, match=r"prints \[clinician\] name, which the "
                       "case file does not give"):  # never "None", and the key is named
        render_letter(case, "mini", open_packs([str(pack)]))


def test_needs_lists_every_missing_field(tmp_path):
    pack = write_pack(tmp_path / "p", {"needy.md": MINI.replace(
        'when = "In tests."', 'when = "In tests."\n    needs = ["claim.number", "provider.npi",'
        ' "collector.name"]').format(body="x")})
    case = load_case(case_file(tmp_path, "er-out-of-network", drop=["claim.number"]))
    with pytest.raises(LetterDoesNotFitError) as caught:
        render_letter(case, "needy", open_packs([str(pack)]))
    reason = " ".join(caught.value.reasons)
    assert "[claim] number" in reason and "[collector] name" in reason
    assert "npi" not in reason
