"""lettergen pack check and pack new: every problem of a pack with its file and line,
exit 1 on an error; a new pack passes as written."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from conftest import EXAMPLES, ROOT
from lettergen.cli import main
from lettergen.errors import LettergenError
from lettergen.output.pack_scaffold import OVERRIDDEN, OWN_LETTER
from lettergen.packs.folder import open_packs
from lettergen.reports.pack_check import check_pack, sample_case_paths

PACKS = ROOT / "tests" / "fixtures" / "packs"
ADVOCATE = PACKS / "advocate"
HEAD = '[pack]\nname = "Test Pack"\nversion = "0.1.0"\n'
FRONT = ('+++\ntitle = "A test letter"\nto = "provider"\npurpose = "Tests."\n'
         'when = "Never."\n+++\n{% include "_partials/head.md" %}\n\n')


def _check(folder: Path, capsys: pytest.CaptureFixture[str]) -> tuple[int, str]:
    status = main(["pack", "check", str(folder)])
    captured = capsys.readouterr()
    assert "Traceback" not in captured.err
    return status, captured.out + captured.err


def _letter_pack(tmp_path: Path, body: str, manifest: str = HEAD, name: str = "test-letter"
                 ) -> Path:
    folder = tmp_path / "pack"
    folder.mkdir(exist_ok=True)
    (folder / "pack.toml").write_text(manifest, "utf-8")
    (folder / f"{name}.md").write_text(FRONT + body + '\n{% include "_partials/close.md" %}\n',
                                       "utf-8")
    return folder


def test_the_sample_cases_are_the_examples():
    names = [p.name for p in sample_case_paths()]
    assert names == sorted(p.name for p in EXAMPLES.glob("*.toml"))


def test_the_advocate_pack_passes(capsys):
    report = check_pack(ADVOCATE)
    assert report.ok, report.errors
    letters = {s.id: s for s in report.letters}
    assert set(letters) == {"intake-summary", "itemized-bill-request"}
    cases = len(sample_case_paths())
    assert report.cases == cases
    assert letters["intake-summary"].built == cases  # it fits every sample case
    assert "denial.date" in letters["intake-summary"].uses
    status, out = _check(ADVOCATE, capsys)
    assert status == 0
    assert "pack Central Texas Health Advocates 1.2.0" in out and "no errors" in out
    assert "intake-summary.md: built for" in out
    assert "needs: provider.name, provider.address, claim.service_date" in out


BROKEN = {  # fixture: what the message says, file and line first
    "broken-unknown-key": "pack.toml, line 4: [pack] descripton: unknown key; did you mean "
                          "'description'?",
    "broken-bad-type": "pack.toml, line 6: [style] font_size: expected a number",
    "broken-logo-outside": "pack.toml, line 7: [style.letterhead] logo: \"../advocate/logo.png\""
                           " leads out of the pack",
    "broken-missing-key": "pack.toml, line 2: [pack]: lacks version, which is required",
    "broken-template-syntax": "broken-letter.md, line 13: template syntax error: Unexpected "
                              "end of template",
    "broken-unknown-field": "broken-letter.md, line 11: claim.numbr: the case file has no key "
                            "'numbr' in [claim]; did you mean 'number'?",
    "broken-unknown-rule": "broken-letter.md, line 11: cite(\"hipaa-acess\"): the rules table "
                           "has no rule 'hipaa-acess'; did you mean 'hipaa-access'?",
}


@pytest.mark.parametrize("fixture", sorted(BROKEN))
def test_a_broken_pack_fails_naming_the_file_and_line(fixture, capsys):
    status, out = _check(PACKS / fixture, capsys)
    assert status == 1
    assert f"  - {BROKEN[fixture]}" in out
    assert "1 error(s)" in out


def test_every_fixture_pack_has_a_test():
    broken = {p.name for p in PACKS.iterdir() if p.name.startswith("broken-")}
    assert broken == set(BROKEN)


def test_a_logo_linked_out_of_the_pack_fails_the_check(tmp_path, capsys):
    folder = tmp_path / "advocate"
    shutil.copytree(ADVOCATE, folder)
    (folder / "logo.png").unlink()
    (folder / "logo.png").symlink_to(ADVOCATE / "logo.png")
    status, out = _check(folder, capsys)
    assert status == 1
    assert 'pack.toml, line 24: [style.letterhead] logo: "logo.png": the file points outside ' \
           "the pack" in out


def test_a_broken_manifest_still_has_its_templates_checked(tmp_path):
    folder = _letter_pack(tmp_path, "{{ patient.nme }}", manifest=HEAD + "colour = 1\n")
    errors = check_pack(folder).errors
    assert errors[0].startswith("pack.toml, line 4: [pack] colour: unknown key")
    assert errors[1].startswith("test-letter.md, line 9: patient.nme: the case file has no "
                                "key 'nme' in [patient]; did you mean 'name'?")


def test_a_pack_without_a_manifest_fails(tmp_path):
    folder = _letter_pack(tmp_path, "Hello.")
    (folder / "pack.toml").unlink()
    report = check_pack(folder)
    assert report.errors == ["pack.toml: the pack has no manifest; write one (lettergen pack new "
                             "shows how) with [pack] name and version"]


def test_fields_of_a_loop_over_a_table_are_checked(tmp_path):
    body = ("{% for c in charges %}{{ c.code }} {{ c.amount }}{% endfor %}\n"
            "{% for c in contacts %}{{ c.summary }}{% endfor %}\n"
            "{{ offer.agreed.amout }}\n")
    errors = check_pack(_letter_pack(tmp_path, body)).errors
    assert errors == [
        "test-letter.md, line 9: c.amount: the case file has no key 'amount' in [charges]; the "
        "keys of charges are " + ", ".join(_keys("charges")),
        "test-letter.md, line 11: offer.amout: the case file has no key 'amout' in "
        "offer.agreed; did you mean 'amount'?",
    ]


def _keys(path: str) -> list[str]:
    from lettergen.case.casefields import field_at

    return [f.name for f in field_at(path).fields]


def test_every_rule_function_is_checked(tmp_path):
    body = ('{{ rule("no-such-rule").days }} {% if applies("nope") %}x{% endif %}\n'
            '{{ first_rule(["hipaa-access", "made-up"]) }} {{ cite("hipaa-access") }}\n')
    errors = check_pack(_letter_pack(tmp_path, body)).errors
    assert [e.split(": the rules")[0] for e in errors] == [
        'test-letter.md, line 9: rule("no-such-rule")',
        'test-letter.md, line 9: applies("nope")',
        'test-letter.md, line 10: first_rule("made-up")',
    ]


def test_an_unknown_reply_rule_names_its_front_matter_line(tmp_path):
    folder = _letter_pack(tmp_path, "Hello.")
    letter = folder / "test-letter.md"
    letter.write_text(letter.read_text("utf-8").replace('when = "Never."\n', 'when = "Never."\n'
                                                        'reply_rule = "reply-fast"\n'), "utf-8")
    assert check_pack(folder).errors == [
        "test-letter.md, line 6: front matter: `reply_rule` names no rule of the rules table: "
        "reply-fast"]


def test_a_template_error_while_rendering_fails_naming_the_line(tmp_path, capsys):
    folder = _letter_pack(tmp_path, "Text.\n\n{{ facts.no_such_fact }}\n")
    status, out = _check(folder, capsys)
    assert status == 1
    first_sample = sorted(p.stem for p in EXAMPLES.glob("*.toml"))[0]
    assert f"  - test-letter with sample case {first_sample}: test-letter.md, line 11: " \
           "UndefinedError: " in out and "no attribute 'no_such_fact'" in out
    assert "1 error(s)" in out  # once, not once per sample case


def test_a_letter_that_refuses_cases_it_does_not_fit_passes(tmp_path, capsys):
    body = ('{% if not denial %}{{ refuse("no denial", "add [denial]") }}{% endif %}\n'
            "The denial of {{ denial.date }}.\n")
    folder = _letter_pack(tmp_path, body)
    report = check_pack(folder)
    assert report.ok, report.errors
    summary = report.letters[0]
    assert summary.built > 0 and summary.refused > 0
    assert summary.built + summary.refused == report.cases


def test_a_letter_no_sample_case_builds_gets_a_warning(tmp_path):
    folder = _letter_pack(tmp_path, '{{ refuse("never", "") }}\n')
    report = check_pack(folder)
    assert report.ok
    assert report.warnings == ["test-letter.md: no sample case builds this letter; check it "
                               "with a case of your own (lettergen build CASE --pack ...)"]


def test_an_english_only_partial_in_a_spanish_pack_gets_a_warning(tmp_path):
    folder = _letter_pack(tmp_path, "Hello.", manifest=HEAD + 'languages = ["en", "es"]\n')
    (folder / "_partials").mkdir()
    (folder / "_partials" / "letterhead.md").write_text("**Our Org**\n\n", "utf-8")
    report = check_pack(folder)
    assert report.ok, report.errors
    assert report.warnings == [
        '_partials/letterhead.md overrides a shared part in English only, while [pack] '
        'languages lists "es": Spanish letters still get the part behind this pack; add '
        'es/_partials/letterhead.md with the same change in Spanish']
    assert report.others_rendered >= 20  # the built-in letters, with the pack's letterhead
    (folder / "es" / "_partials").mkdir(parents=True)
    (folder / "es" / "_partials" / "letterhead.md").write_text("**Nuestra Org**\n\n", "utf-8")
    assert check_pack(folder).warnings == []


def test_a_broken_partial_breaks_the_built_in_letters_it_is_used_by(tmp_path):
    folder = _letter_pack(tmp_path, "Hello.")
    (folder / "_partials").mkdir()
    (folder / "_partials" / "letterhead.md").write_text("{{ letter.path }}\n", "utf-8")
    errors = check_pack(folder).errors
    assert errors and all("_partials/letterhead.md, line 1" in e for e in errors)


def test_pack_new_writes_a_pack_that_passes_the_check(tmp_path, capsys):
    folder = tmp_path / "ctha-letters"
    assert main(["pack", "new", str(folder), "--name", "Central Texas Letters"]) == 0
    written = capsys.readouterr().out.split()
    assert sorted(Path(p).name for p in written) == sorted(
        ["pack.toml", f"{OVERRIDDEN}.md", f"{OWN_LETTER}.md", "README.md"])
    packs = open_packs([str(folder)])
    assert packs[0].name == "Central Texas Letters" and packs[0].manifest.version == "0.1.0"
    text = (folder / f"{OVERRIDDEN}.md").read_text("utf-8")
    assert 'This file replaces the built-in letter "itemized-bill-request"' in text
    assert "# logo = \"logo.png\"" in (folder / "pack.toml").read_text("utf-8")
    status, out = _check(folder, capsys)
    assert status == 0, out
    report = check_pack(folder)
    own = next(s for s in report.letters if s.id == OWN_LETTER)
    assert own.built > 0  # the sample cases with a [sender]
    # every commented example of the manifest is valid once its # is removed
    manifest = (folder / "pack.toml").read_text("utf-8")
    uncommented = "\n".join(line[2:] if line.startswith("# ") and "=" in line or
                            line.startswith("# [") else line for line in manifest.splitlines())
    (folder / "logo.png").write_bytes((ADVOCATE / "logo.png").read_bytes())
    (folder / "word").mkdir()
    import docx

    docx.Document().save(folder / "word" / "reference.docx")
    (folder / "pack.toml").write_text(uncommented, "utf-8")
    style = open_packs([str(folder)])[0].manifest.style
    assert style.letterhead.organization == "Central Texas Letters" and style.footer


def test_pack_new_refuses_a_folder_with_files_unless_forced(tmp_path, capsys):
    folder = tmp_path / "pack"
    folder.mkdir()
    (folder / "notes.txt").write_text("mine", "utf-8")
    assert main(["pack", "new", str(folder)]) == 1
    assert "exists and is not empty" in capsys.readouterr().err
    assert [p.name for p in folder.iterdir()] == ["notes.txt"]
    assert main(["pack", "new", str(folder), "--force"]) == 0
    assert (folder / "pack.toml").is_file() and (folder / "notes.txt").read_text() == "mine"


def test_pack_new_refuses_a_folder_where_a_file_goes(tmp_path, capsys):
    folder = tmp_path / "pack"
    (folder / "README.md" / "inside").mkdir(parents=True)
    assert main(["pack", "new", str(folder), "--force"]) == 1
    assert "is a folder or a link, where the pack's file should go" in capsys.readouterr().err
    assert [p.name for p in folder.iterdir()] == ["README.md"]
    assert (folder / "README.md" / "inside").is_dir()


def test_pack_new_writes_all_files_or_none(tmp_path, capsys, monkeypatch):
    import errno

    import lettergen.output.build as build

    real, calls = build._write_temp, []

    def disk_full_at_the_third(path, data):  # the disk fills up while the pack is written
        calls.append(path)
        if len(calls) == 3:
            raise OSError(errno.ENOSPC, "No space left on device")
        return real(path, data)

    monkeypatch.setattr(build, "_write_temp", disk_full_at_the_third)
    folder = tmp_path / "pack"
    assert main(["pack", "new", str(folder)]) == 1
    assert "nothing was written" in capsys.readouterr().err
    assert len(calls) == 3
    assert not folder.exists() or not any(folder.iterdir())


def test_pack_check_of_a_missing_folder_says_so():
    with pytest.raises(LettergenError, match="no such folder"):
        check_pack("/no/such/pack")


def test_the_built_in_pack_with_a_manifest_passes(tmp_path):
    """The checker's reading of fields, loops and rules on every built-in template, and
    of its Spanish layer: a false alarm here would fail every pack built on it."""
    from lettergen.packs.folder import builtin_pack

    folder = tmp_path / "copy"
    shutil.copytree(builtin_pack().root, folder)
    (folder / "pack.toml").write_text(HEAD + 'languages = ["en", "es"]\n', "utf-8")
    report = check_pack(folder)
    assert report.errors == []
    built = {s.file: s.built for s in report.letters}
    assert built["itemized-bill-request.md"] == built["es/itemized-bill-request.md"] > 0
    assert all(count > 0 for count in built.values()), built
