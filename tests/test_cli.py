"""The command line as SPEC describes it: outputs, exit codes, messages, no tracebacks."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import EXAMPLES, ROOT, case_file, docx_text, pdf_text


def run(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    """The real command, in a subprocess, as a user runs it."""
    env = {**os.environ, "PYTHONPATH": str(ROOT), "NO_COLOR": "1"}
    return subprocess.run([sys.executable, "-m", "lettergen", *args], capture_output=True,
                          text=True, cwd=cwd, env=env, timeout=120)


def test_build_writes_docx_and_pdf_named_by_case_and_id(tmp_path):
    out = tmp_path / "out"
    result = run("build", str(EXAMPLES / "er-out-of-network.toml"), "-l",
                 "itemized-bill-request", "-o", str(out))
    assert result.returncode == 0, result.stderr
    expected = [out / "er-out-of-network" / f"itemized-bill-request.{f}" for f in ("docx", "pdf")]
    assert result.stdout.split() == [str(p) for p in expected]
    assert "not legal advice" in result.stderr
    docx = docx_text(expected[0].read_bytes())
    pdf = pdf_text(expected[1].read_bytes())
    for text in (docx, pdf):
        assert "Springfield General Hospital" in text
        assert "CLM-2026-000123" in text and "ACCT-889900" in text
        assert "$27,000.00" in text and "April 25, 2026" in text
        assert "45 CFR 164.524" in text
        assert "not legal advice" not in text


def test_build_defaults_to_case_letters_and_letters_folder(tmp_path):
    path = case_file(tmp_path, "er-out-of-network", {"case.letters": ["itemized-bill-request"]})
    result = run("build", str(path), "-f", "md", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "letters" / "er-out-of-network" / "itemized-bill-request.md").is_file()


def test_build_without_letters_names_dash_l(tmp_path):
    path = case_file(tmp_path, "er-out-of-network", drop=["case.letters"])
    result = run("build", str(path), "-o", str(tmp_path))
    assert result.returncode == 1
    assert "-l" in result.stderr
    assert "Traceback" not in result.stderr


def test_existing_output_is_never_overwritten_without_force(tmp_path):
    path = case_file(tmp_path, "er-out-of-network")
    args = ["build", str(path), "-l", "itemized-bill-request", "-f", "md", "-o", str(tmp_path)]
    assert run(*args).returncode == 0
    target = tmp_path / "er-out-of-network" / "itemized-bill-request.md"
    target.write_text("the patient's own edits", "utf-8")
    again = run(*args)
    assert again.returncode == 1
    assert "--force" in again.stderr and str(target) in again.stderr
    assert target.read_text("utf-8") == "the patient's own edits"
    assert run(*args, "--force").returncode == 0
    assert "itemized" in target.read_text("utf-8")
    assert not list(target.parent.glob(".*.tmp"))  # no temporary files left behind


def test_unknown_template_gets_did_you_mean_and_nothing_is_written(tmp_path):
    result = run("build", str(EXAMPLES / "er-out-of-network.toml"), "-l",
                 "itemized-bill-request", "-l", "itemised-bill-request", "-o", str(tmp_path))
    assert result.returncode == 1
    assert "did you mean 'itemized-bill-request'" in result.stderr
    assert "nothing was written" in result.stderr
    assert not any(tmp_path.iterdir())


def test_a_letter_that_lacks_fields_names_them_all(tmp_path):
    path = case_file(tmp_path, "er-out-of-network", drop=["provider.address"])
    result = run("build", str(path), "-l", "itemized-bill-request", "-o", str(tmp_path / "o"))
    assert result.returncode == 1
    assert "[provider] address" in result.stderr
    assert not (tmp_path / "o").exists()


@pytest.mark.parametrize("args, words", [
    (["frobnicate"], "invalid choice"),
    (["build"], "the following arguments are required"),
    (["build", "x.toml", "-f", "odt"], "invalid choice"),
    (["build", "x.toml", "--bogus"], "unrecognized arguments"),
])
def test_wrong_usage_exits_2(args, words):
    result = run(*args)
    assert result.returncode == 2
    assert words in result.stderr
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize("content, words", [
    ("[case\ntitle = 1", "line 1"),
    ('[patient]\nname = "A"\naddress = ["x"]\nnmae = "B"\n[provider]\nname = "P"\n'
     'address = ["y"]\n', "did you mean 'name'"),
    ('[patient]\nname = "A"\naddress = ["x"]\n[provider]\nname = "P"\naddress = ["y"]\n'
     '[claim]\nservice_date = 2026-01-01\nbilled = "-5"\n', "[claim] billed"),
])
def test_bad_case_files_get_a_plain_message(tmp_path, content, words):
    path = tmp_path / "bad.toml"
    path.write_text(content, "utf-8")
    for command in (["check", str(path)], ["build", str(path), "-l", "itemized-bill-request"]):
        result = run(*command, cwd=tmp_path)
        assert result.returncode == 1
        assert words in result.stderr
        assert str(path) in result.stderr or "bad.toml" in result.stderr
        assert "Traceback" not in result.stderr


def test_missing_case_file(tmp_path):
    result = run("check", str(tmp_path / "nope.toml"))
    assert result.returncode == 1
    assert "nope.toml" in result.stderr and "Traceback" not in result.stderr


def test_list_shows_every_template_with_its_pack():
    result = run("list")
    assert result.returncode == 0
    assert "itemized-bill-request" in result.stdout and "built-in" in result.stdout


def test_list_fits_a_terminal_and_keeps_every_purpose_whole():
    result = run("list")
    lines = result.stdout.splitlines()
    assert lines[0].split() == ["ID", "TO", "STAGE", "PACK"]
    assert max(len(line) for line in lines) <= 100  # was 486 characters
    from lettergen.letters.templates import list_templates
    from lettergen.packs.folder import builtin_pack

    words = " ".join(result.stdout.split())
    for info in list_templates((builtin_pack(),)):
        assert " ".join(info.purpose.split()) in words  # wrapped, never cut
    assert "collector or provider" in result.stdout


def test_list_works_from_another_folder(tmp_path):
    assert run("list", cwd=tmp_path).returncode == 0


def test_show_describes_a_template_and_suggests_on_typo():
    shown = run("show", "itemized-bill-request")
    assert shown.returncode == 0 and "When:" in shown.stdout
    typo = run("show", "itemized-bill")
    assert typo.returncode == 1 and "did you mean" in typo.stderr


def test_new_writes_a_starter_that_checks_and_refuses_to_overwrite(tmp_path):
    target = tmp_path / "case.toml"
    assert run("new", str(target)).returncode == 0
    unfilled = run("check", str(target))  # the placeholders must be replaced first
    assert unfilled.returncode == 1 and "[patient] name: still reads" in unfilled.stderr
    target.write_text(target.read_text().replace("FILL IN: ", ""))
    assert run("check", str(target)).returncode == 0
    again = run("new", str(target))
    assert again.returncode == 1 and "exists" in again.stderr


def test_schema_is_json_with_every_table():
    result = run("schema")
    schema = json.loads(result.stdout)
    assert {"patient", "provider", "claim", "denial", "charges"} <= set(schema["properties"])
    assert schema["additionalProperties"] is False


def test_check_json_shape(tmp_path):
    result = run("check", str(EXAMPLES / "er-out-of-network.toml"), "--json")
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    assert report["valid"] is True
    assert "itemized-bill-request" in report["letters"]["fit"]


def test_check_prints_the_appeal_deadline():
    result = run("check", str(EXAMPLES / "er-out-of-network.toml"))
    assert result.returncode == 0
    assert "October 7, 2026" in result.stdout


def test_output_stays_inside_the_output_folder(tmp_path):
    path = case_file(tmp_path, "er-out-of-network", name="..")
    weird = tmp_path / "...toml"
    path.rename(weird)
    out = tmp_path / "out"
    result = run("build", str(weird), "-l", "itemized-bill-request", "-f", "md", "-o", str(out))
    assert result.returncode == 0, result.stderr
    written = Path(result.stdout.strip())
    assert out.resolve() in written.resolve().parents


def test_python_dash_m_and_version():
    result = run("--version")
    assert result.returncode == 0 and "lettergen" in result.stdout


def test_every_command_is_in_the_readme():
    import argparse

    from lettergen.cli import parser

    readme = (ROOT / "README.md").read_text("utf-8")
    commands = next(a for a in parser()._actions if isinstance(a, argparse._SubParsersAction))
    for name, sub in commands.choices.items():
        assert f"`lettergen {name}" in readme, f"README does not document `lettergen {name}`"
        for action in sub._actions:
            flags = [f for f in action.option_strings if f not in ("-h", "--help")]
            if flags:
                assert any(f"{f} " in readme or f"{f}]" in readme for f in flags), \
                    f"README does not mention {name} {flags}"
