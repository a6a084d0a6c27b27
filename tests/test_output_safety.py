"""Writing letters: all or nothing, one clear line for every output failure, one case
per folder, and line breaks kept inside table cells.

Failures a test cannot cause for real everywhere (a full disk, a read-only file
system) are made by making the operating system call fail at the n-th file; one test
also fills a real 1 MB file system where the machine lets us mount one.
"""

from __future__ import annotations

import errno
import io
import os
import subprocess
import sys
import tomllib
import zipfile
from pathlib import Path

import pytest
import tomli_w
from docx import Document as DocxDocument

import lettergen.output.build as build_module
from conftest import EXAMPLES, case_file, docx_text, pdf_text
from lettergen.cli import main
from lettergen.output.build import CASE_MARKER, case_folder_name

CASE = EXAMPLES / "er-out-of-network.toml"  # three letters in [case] letters


def files_under(folder: Path) -> list[str]:
    return sorted(str(p.relative_to(folder)) for p in folder.rglob("*")) if folder.exists() \
        else []


# --- 4. all or nothing -------------------------------------------------------------------


def test_a_folder_where_a_letter_goes_stops_everything_before_writing(tmp_path, capsys):
    blocked = tmp_path / "out" / "er-out-of-network" / "itemized-bill-request.pdf"
    blocked.mkdir(parents=True)
    status = main(["build", str(CASE), "-f", "md", "-f", "pdf", "-o", str(tmp_path / "out"),
                   "--force"])
    err = capsys.readouterr().err
    assert status == 1
    assert f"{blocked} is a folder" in err and "nothing was written" in err
    assert files_under(tmp_path / "out") == ["er-out-of-network",
                                             "er-out-of-network/itemized-bill-request.pdf"]


@pytest.mark.parametrize("fail_at", [1, 4, 7])
@pytest.mark.parametrize("code, words", [(errno.ENOSPC, "the disk is full"),
                                         (errno.EROFS, "read-only"),
                                         (errno.EACCES, "permission denied")])
def test_a_write_failure_leaves_nothing_behind(tmp_path, monkeypatch, capsys, fail_at, code,
                                               words):
    real = build_module._write_temp
    calls = {"n": 0}

    def failing(path, data):
        calls["n"] += 1
        if calls["n"] == fail_at:
            raise OSError(code, os.strerror(code))
        return real(path, data)

    monkeypatch.setattr(build_module, "_write_temp", failing)
    out = tmp_path / "out"
    status = main(["build", str(CASE), "-f", "md", "-f", "pdf", "-f", "docx", "-o", str(out)])
    err = capsys.readouterr().err
    assert status == 1
    assert words in err and "nothing was written" in err and "Traceback" not in err
    assert len(err.strip().splitlines()) == 1
    assert files_under(out) == []  # not even the folder, nor a temporary file


def test_a_failure_while_replacing_puts_the_old_letters_back(tmp_path, monkeypatch, capsys):
    out = tmp_path / "out"
    assert main(["build", str(CASE), "-f", "md", "-o", str(out)]) == 0
    folder = out / "er-out-of-network"
    before = {p.name: p.read_bytes() for p in folder.iterdir()}
    for path in folder.glob("*.md"):  # mark the old ones, to see them come back
        path.write_bytes(b"OLD " + path.read_bytes())
    marked = {p.name: p.read_bytes() for p in folder.iterdir()}
    real = os.replace
    calls = {"n": 0}

    def failing(src, dst):
        calls["n"] += 1
        if calls["n"] == 5:  # after two letters were already moved into place
            raise OSError(errno.ENOSPC, "No space left on device")
        return real(src, dst)

    monkeypatch.setattr(build_module.os, "replace", failing)
    status = main(["build", str(CASE), "-f", "md", "-o", str(out), "--force"])
    monkeypatch.undo()
    assert status == 1 and "the disk is full" in capsys.readouterr().err
    assert {p.name: p.read_bytes() for p in folder.iterdir()} == marked
    assert set(before) == set(marked)


def test_a_real_full_file_system_leaves_every_case_whole_or_absent(tmp_path):
    mount = tmp_path / "tiny"
    mount.mkdir()
    made = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=1m", "tmpfs", str(mount)],
                          capture_output=True)
    if made.returncode != 0:
        pytest.skip("cannot mount a small file system here")
    try:
        results = {}
        for case in sorted(EXAMPLES.glob("*.toml")):
            if case.stem == "base":
                continue
            run = subprocess.run([sys.executable, "-m", "lettergen", "build", str(case), "-o",
                                  str(mount), "-f", "pdf", "-f", "docx", "-f", "md"],
                                 capture_output=True, text=True, timeout=120)
            results[case.stem] = run
        full = [stem for stem, run in results.items() if run.returncode == 1]
        assert full, "the file system never filled up"
        for stem, run in results.items():
            folder = mount / case_folder_name(stem)
            if run.returncode == 0:
                written = [Path(line) for line in run.stdout.split()]
                assert all(p.stat().st_size > 0 for p in written)
            else:
                assert "the disk is full" in run.stderr and "Traceback" not in run.stderr
                assert not folder.exists() or files_under(folder) == []
        assert not [p for p in mount.rglob("*.tmp")]
    finally:
        subprocess.run(["umount", str(mount)], capture_output=True)


# --- 5. one line for every output failure -------------------------------------------------


def test_output_naming_a_file(tmp_path, capsys):
    target = tmp_path / "notes.txt"
    target.write_text("mine", "utf-8")
    assert main(["build", str(CASE), "-o", str(target)]) == 1
    err = capsys.readouterr().err
    assert f"{target} is a file, not a folder" in err
    assert target.read_text("utf-8") == "mine"


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="no /dev/full")
@pytest.mark.parametrize("command", [["check", str(CASE)], ["schema"], ["list"],
                                     ["timeline", str(CASE)]])
def test_standard_output_on_a_full_device(command):
    with open("/dev/full", "w") as full:
        run = subprocess.run([sys.executable, "-m", "lettergen", *command], stdout=full,
                             stderr=subprocess.PIPE, text=True, timeout=60)
    assert run.returncode == 1
    assert run.stderr.strip().splitlines()[-1] == \
        "lettergen: cannot write the output: the disk is full"
    assert "Traceback" not in run.stderr and "Exception ignored" not in run.stderr


@pytest.mark.skipif(os.name == "nt" or os.geteuid() == 0,
                    reason="permissions do not stop root or Windows this way")
def test_an_unwritable_folder(tmp_path, capsys):
    locked = tmp_path / "locked"
    locked.mkdir()
    locked.chmod(0o500)
    try:
        assert main(["build", str(CASE), "-o", str(locked)]) == 1
        assert "permission denied" in capsys.readouterr().err
    finally:
        locked.chmod(0o700)


def test_the_calendar_file_is_written_all_or_nothing(tmp_path, capsys):
    folder = tmp_path / "cal.ics"
    folder.mkdir()
    assert main(["timeline", str(CASE), "--ics", str(folder)]) == 1
    assert "is a folder" in capsys.readouterr().err


# --- 10. one case, one folder --------------------------------------------------------------


@pytest.mark.parametrize("stem, kept", [
    ("王小明", "王小明"),
    ("محمد-bill", "محمد-bill"),
    ("José Ñúñez", "José-Ñúñez"),
    ("किरण", "किरण"),
    ("er-out-of-network", "er-out-of-network"),
])
def test_folder_names_keep_letters_of_any_script(stem, kept):
    assert case_folder_name(stem).startswith(kept)


def test_names_that_differ_never_share_a_folder():
    names = ["my case", "my-case", "my_case", "my  case", "王小明", "王小明 ", "李小明", "CON",
             "con", "a" * 300, "a" * 301, "x.", "x"]
    folders = [case_folder_name(n) for n in names]
    assert len(set(folders)) == len(names), folders
    assert all(len(f) <= 110 and not f.endswith(".") for f in folders)
    assert case_folder_name("CON").upper() != "CON"


def test_two_case_files_with_one_name_do_not_replace_each_other(tmp_path, capsys):
    (tmp_path / "alice").mkdir()
    (tmp_path / "bob").mkdir()
    alice = case_file(tmp_path / "alice", "er-out-of-network", {"patient.name": "Alice Ames"},
                      name="case")
    bob = case_file(tmp_path / "bob", "er-out-of-network", {"patient.name": "Bob Brown"},
                    name="case")
    out = tmp_path / "letters"
    assert main(["build", str(alice), "-l", "itemized-bill-request", "-f", "md", "-o",
                 str(out)]) == 0
    status = main(["build", str(bob), "-l", "itemized-bill-request", "-f", "md", "-o", str(out),
                   "--force"])
    err = capsys.readouterr().err
    assert status == 1 and "holds the letters of another case file" in err
    text = (out / "case" / "itemized-bill-request.md").read_text("utf-8")
    assert "Alice Ames" in text and "Bob Brown" not in text
    # the same file again is fine, with --force
    assert main(["build", str(alice), "-l", "itemized-bill-request", "-f", "md", "-o",
                 str(out), "--force"]) == 0


def test_non_latin_case_names_get_their_own_folders(tmp_path):
    out = tmp_path / "letters"
    for stem in ("王小明", "李小明"):
        path = case_file(tmp_path, "er-out-of-network", name=stem)
        assert main(["build", str(path), "-l", "itemized-bill-request", "-f", "md", "-o",
                     str(out)]) == 0
    assert sorted(p.name for p in out.iterdir()) == ["李小明", "王小明"]
    for folder in out.iterdir():
        assert (folder / CASE_MARKER).exists()


# --- 11. a line break inside a table value ------------------------------------------------


def test_a_newline_in_a_table_value_stays_in_its_cell(tmp_path):
    summary = "Said the claim was denied.\nPromised a call back within 5 days."
    path = case_file(tmp_path, "mri-external-review")
    data = tomllib.loads(path.read_text("utf-8"))
    data["contacts"][0]["summary"] = summary
    path.write_text(tomli_w.dumps(data), "utf-8")
    out = tmp_path / "out"
    assert main(["build", str(path), "-l", "regulator-complaint", "-f", "docx", "-f", "pdf",
                 "-f", "md", "-f", "html", "-o", str(out)]) == 0
    folder = out / path.stem
    doc = DocxDocument(io.BytesIO((folder / "regulator-complaint.docx").read_bytes()))
    table = next(t for t in doc.tables if "What happened" in t.rows[0].cells[2].text)
    width = len(table.rows[0].cells)
    assert all(len(row.cells) == width for row in table.rows)
    cell = next(c for row in table.rows for c in row.cells if "denied" in c.text)
    assert "Said the claim was denied.\nPromised a call back within 5 days." in cell.text
    assert "\\" not in docx_text((folder / "regulator-complaint.docx").read_bytes())
    pdf = pdf_text((folder / "regulator-complaint.pdf").read_bytes())
    assert "Said the claim was denied." in pdf and "Promised a call back" in pdf
    assert "\\" not in pdf
    md = (folder / "regulator-complaint.md").read_text("utf-8")
    row = next(line for line in md.splitlines() if "<br>Promised" in line)
    assert row.startswith("|") and row.rstrip().endswith("|")
    assert "denied\\.<br>Promised" in row
    html = (folder / "regulator-complaint.html").read_text("utf-8")
    assert "denied.<br>Promised" in html
    with zipfile.ZipFile(folder / "regulator-complaint.docx") as z:
        assert "<w:br/>" in z.read("word/document.xml").decode()


def test_nothing_written_leaves_no_stray_folder(tmp_path, capsys):
    out = tmp_path / "out"
    assert main(["build", str(CASE), "-l", "no-such-letter", "-o", str(out)]) == 1
    assert not out.exists()


# --- 14. control characters never reach the terminal -----------------------------------


@pytest.mark.skipif(os.name == "nt", reason="Windows file names cannot hold ESC")
def test_a_file_name_with_control_characters_is_shown_visibly(tmp_path):
    evil = tmp_path / "case\x1b]0;pwned\x07\x1b[2J.toml"
    evil.write_bytes(case_file(tmp_path, "er-out-of-network").read_bytes())
    commands = {"check": ["check", str(evil)],
                "missing": ["check", str(tmp_path / "no\x1b.toml")],
                "build": ["build", str(evil), "-o", str(tmp_path / "o"), "-f", "md"]}
    for name, command in commands.items():
        run = subprocess.run([sys.executable, "-m", "lettergen", *command], capture_output=True,
                             text=True, timeout=60)
        shown = run.stdout + run.stderr
        assert "\x1b" not in shown and "\x07" not in shown, shown
        if name != "build":  # build names the output folder, which has no ESC
            assert "\\x1b" in shown, shown
