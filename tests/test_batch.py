"""``lettergen batch``: a caseload built in parallel, one bad case never stopping the
others, the same files whatever ``--jobs``, and ``--shard`` slices that together
build the whole caseload exactly once."""

from __future__ import annotations

import io
import json
import os
from pathlib import Path

import docx
import pypdf
import pytest

from conftest import EXAMPLES
from lettergen.cli import main
from lettergen.output import batch
from lettergen.output.batch import BatchOptions, CaseResult, run_batch

SOURCE = (EXAMPLES / "preventive-billed-diagnostic.toml").read_text("utf-8")
LETTER = "reprocessing-request"  # the one letter of that example


def caseload(folder: Path, count: int, broken: dict[int, tuple[str, str]] | None = None
             ) -> list[Path]:
    """``count`` case files ``case-000.toml``... from one example, each with its own
    patient and claim number; ``broken`` replaces a text in the chosen ones."""
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for i in range(count):
        text = (SOURCE.replace('name = "Robert Okafor"', f'name = "Patient Number{i:03d}"')
                .replace("FRH-26-0094412", f"CLM{i:05d}"))
        if broken and i in broken:
            old, new = broken[i]
            assert old in text
            text = text.replace(old, new)
        path = folder / f"case-{i:03d}.toml"
        path.write_text(text, "utf-8")
        paths.append(path)
    return paths


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    status = main(["batch", *args])
    out, err = capsys.readouterr()
    return status, out, err


def tree(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes()
            for p in sorted(folder.rglob("*")) if p.is_file()}


BAD_TOML = ('reason = "preventive-as-diagnostic"', 'reason = "preventive-as-diagnostic')
TYPO = ("patient_responsibility = 1620.00", "patient_responsibilty = 1620.00")


def test_200_cases_with_two_broken_build_the_rest_and_report_both(tmp_path, capsys,
                                                                    monkeypatch):
    monkeypatch.chdir(tmp_path)
    caseload(tmp_path / "cases", 200, {17: BAD_TOML, 150: TYPO})
    status, out, err = run(capsys, "cases", "-f", "md", "--jobs", "2", "-o", "out",
                           "--json")
    assert status == 1
    report = json.loads(out)
    assert report["totals"] | {"seconds": 0} == {"cases": 200, "built": 198, "failed": 2,
                                                 "letters": 198, "files": 198, "seconds": 0}
    failed = {c["file"]: c["error"] for c in report["cases"] if c["status"] == "failed"}
    bad_toml, typo = str(Path("cases/case-017.toml")), str(Path("cases/case-150.toml"))
    assert set(failed) == {bad_toml, typo}
    assert "line 37" in failed[bad_toml] and "quotes are not closed" in failed[bad_toml]
    assert "did you mean 'patient_responsibility'" in failed[typo]
    built = sorted(p.parent.name for p in (tmp_path / "out").glob("*/*.md"))
    assert built == [f"case-{i:03d}" for i in range(200) if i not in (17, 150)]
    letter = (tmp_path / "out" / "case-123" / f"{LETTER}.md").read_text("utf-8")
    assert "Patient Number123" in letter and "CLM00123" in letter
    assert "Patient Number122" not in letter
    ok = next(c for c in report["cases"] if c["file"] == str(Path("cases/case-123.toml")))
    assert ok == {"file": ok["file"], "status": "ok", "written": [
        str(Path("out/case-123") / f"{LETTER}.md")], "error": None, "notes": []}
    # the text on stderr: a line per case, then the summary with each failure's reason
    assert f"ok {Path('cases/case-123.toml')}: 1 letter(s)" in err
    assert f"FAILED {bad_toml}:" in err and f"FAILED {typo}:" in err
    summary = err[err.index("Built 198 of 200 case(s)"):]
    assert "2 case(s) failed" in summary
    assert f"  {typo}:\n" in summary and "did you mean 'patient_responsibility'" in summary
    assert f"  {bad_toml}:\n" in summary and "line 37, column 35" in summary


def test_docx_and_pdf_of_each_case_carry_that_case(tmp_path, capsys):
    caseload(tmp_path / "cases", 3)
    status, out, err = run(capsys, str(tmp_path / "cases"), "-f", "docx", "-f", "pdf",
                           "-o", str(tmp_path / "out"), "--jobs", "2")
    assert status == 0, err
    written = out.split()
    assert len(written) == 6 and all(Path(p).exists() for p in written)
    for i in range(3):
        folder = tmp_path / "out" / f"case-{i:03d}"
        pdf = "".join(page.extract_text() for page in
                      pypdf.PdfReader(folder / f"{LETTER}.pdf").pages)
        words = "\n".join(p.text for p in docx.Document(folder / f"{LETTER}.docx").paragraphs)
        for text in (pdf, words):
            assert f"Patient Number{i:03d}" in text and f"CLM{i:05d}" in text
    assert "Built 3 of 3 case(s): 3 letter(s), 6 file(s)" in err


def test_the_same_files_whatever_jobs(tmp_path, capsys):
    cases = caseload(tmp_path / "cases", 4)
    for jobs in ("1", "2"):
        status, _, err = run(capsys, *map(str, cases), "-f", "docx", "-f", "pdf",
                             "-o", str(tmp_path / f"jobs{jobs}"), "--jobs", jobs)
        assert status == 0, err
    one, two = tree(tmp_path / "jobs1"), tree(tmp_path / "jobs2")
    assert len(one) == 4 * 3  # docx, pdf and the folder's marker of each case
    assert one == two


def test_shards_build_the_whole_caseload_once(tmp_path, capsys, monkeypatch):
    caseload(tmp_path / "cases", 30)
    monkeypatch.chdir(tmp_path / "cases")  # --root, not the current folder, decides
    built = []
    for k in (1, 2, 3):
        status, out, err = run(capsys, str(tmp_path / "cases"), "-f", "md", "--jobs", "1",
                               "-o", str(tmp_path / "out"), "--shard", f"{k}/3",
                               "--root", str(tmp_path))
        assert status == 0, err
        names = [Path(p).parent.name for p in out.split()]
        assert 0 < len(names) < 30
        assert f"shard {k}/3: {len(names)} of 30 case(s)" in err
        built.append(names)
    every = [name for names in built for name in names]
    assert sorted(every) == [f"case-{i:03d}" for i in range(30)]  # each once, none left


def test_a_shard_is_chosen_by_path_not_by_position(tmp_path):
    cases = caseload(tmp_path, 30)
    shard = batch.select_shard(cases, tmp_path, 2, 3)
    assert batch.select_shard(cases[::-1], tmp_path, 2, 3) == shard[::-1]
    assert batch.select_shard(cases[5:], tmp_path, 2, 3) == [p for p in shard
                                                             if p in cases[5:]]
    # the same relative path falls in the same shard wherever the caseload is
    moved = caseload(tmp_path / "elsewhere", 30)
    assert [batch.shard_of(p, tmp_path / "elsewhere", 7) for p in moved] == \
           [batch.shard_of(p, tmp_path, 7) for p in cases]


@pytest.mark.parametrize("shard", ["0/3", "4/3", "a/b", "3", "1/0", "-1/3", "1/3/4"])
def test_a_bad_shard_is_wrong_usage(shard, tmp_path, capsys):
    with pytest.raises(SystemExit) as exit_:
        main(["batch", str(tmp_path), "--shard", shard])
    assert exit_.value.code == 2
    assert "--shard" in capsys.readouterr().err


@pytest.mark.parametrize("jobs", ["0", "-2", "two"])
def test_bad_jobs_is_wrong_usage(jobs, tmp_path, capsys):
    with pytest.raises(SystemExit) as exit_:
        main(["batch", str(tmp_path), "--jobs", jobs])
    assert exit_.value.code == 2
    assert "1 or more" in capsys.readouterr().err


def test_a_case_outside_the_shard_root_is_refused(tmp_path, capsys):
    cases = caseload(tmp_path / "cases", 2)
    status, _, err = run(capsys, *map(str, cases), "--shard", "1/2",
                         "--root", str(tmp_path / "other"), "-o", str(tmp_path / "out"))
    assert status == 1
    assert "inside --root" in err and str(cases[0]) in err
    assert not (tmp_path / "out").exists()


def test_two_cases_with_one_name_are_refused_before_anything_is_built(tmp_path, capsys):
    first, second = tmp_path / "march" / "rivera.toml", tmp_path / "april" / "rivera.toml"
    for path in (first, second):
        path.parent.mkdir()
        path.write_text(SOURCE, "utf-8")
    other = caseload(tmp_path / "more", 1)
    status, out, err = run(capsys, str(tmp_path / "*" / "*.toml"), "-f", "md",
                           "-o", str(tmp_path / "out"))
    assert status == 1 and out == ""
    assert "the same name" in err and str(first) in err and str(second) in err
    assert str(tmp_path / "out" / "rivera") in err and "rename one" in err
    assert str(other[0]) not in err
    assert not (tmp_path / "out").exists()


def test_a_folder_is_its_case_files_and_not_the_bases_below_it(tmp_path, capsys,
                                                                monkeypatch):
    monkeypatch.chdir(tmp_path)
    status, out, err = run(capsys, str(EXAMPLES), "-f", "md", "-o", "out", "--jobs", "2")
    assert status == 0, err
    cases = sorted(p.stem for p in EXAMPLES.glob("*.toml"))
    assert sorted({Path(p).parent.name for p in out.split()}) == cases
    assert not (tmp_path / "out" / "er-visit-common").exists()  # examples/base/
    assert f"Built {len(cases)} of {len(cases)} case(s)" in err


def test_a_glob_is_expanded_without_a_shell(tmp_path, capsys):
    caseload(tmp_path / "cases", 3)
    caseload(tmp_path / "cases" / "older", 1)  # a name that does not clash: not matched
    (tmp_path / "cases" / "notes.txt").write_text("not a case", "utf-8")
    status, out, err = run(capsys, str(tmp_path / "cases" / "case-00[12].toml"), "-f", "md",
                           "-o", str(tmp_path / "out"))
    assert status == 0, err
    assert [Path(p).parent.name for p in out.split()] == ["case-001", "case-002"]


def test_names_that_match_nothing_are_refused(tmp_path, capsys):
    caseload(tmp_path / "cases", 1)
    (tmp_path / "empty").mkdir()
    status, out, err = run(capsys, str(tmp_path / "cases"), str(tmp_path / "typo.toml"),
                           str(tmp_path / "empty"), str(tmp_path / "x*.toml"),
                           "-o", str(tmp_path / "out"))
    assert status == 1 and out == ""
    assert f"{tmp_path / 'typo.toml'}: no such file or folder" in err
    assert f"{tmp_path / 'empty'}: no case files (*.toml) in this folder" in err
    assert f"{tmp_path / 'x*.toml'}: no file matches this pattern" in err
    assert not (tmp_path / "out").exists()


def test_existing_letters_fail_each_case_until_force(tmp_path, capsys):
    cases = [str(p) for p in caseload(tmp_path / "cases", 2)]
    options = ["-f", "md", "-o", str(tmp_path / "out"), "--jobs", "1"]
    assert run(capsys, *cases, *options)[0] == 0
    mine = tmp_path / "out" / "case-000" / f"{LETTER}.md"
    mine.write_text("my own edits", "utf-8")
    status, out, err = run(capsys, *cases, *options)
    assert status == 1 and out == ""
    assert err.count("add --force to replace them") >= 2 and str(mine) in err
    assert mine.read_text("utf-8") == "my own edits"
    status, out, err = run(capsys, *cases, *options, "--force")
    assert status == 0 and len(out.split()) == 2
    assert "Patient Number000" in mine.read_text("utf-8")


def test_letters_from_dash_l_for_every_case(tmp_path, capsys):
    cases = [str(p) for p in caseload(tmp_path / "cases", 2)]
    status, out, err = run(capsys, *cases, "-l", "claim-file-request", "-f", "md",
                           "-o", str(tmp_path / "out"))
    assert status == 0, err
    assert sorted(Path(p).name for p in out.split()) == ["claim-file-request.md"] * 2


def test_a_bug_in_one_case_fails_that_case_only(tmp_path, capsys, monkeypatch):
    import lettergen.output.build

    real = lettergen.output.build.build

    def buggy(case, *args, **kwargs):
        if case.stem == "case-001":
            raise ZeroDivisionError("a bug")
        return real(case, *args, **kwargs)

    monkeypatch.setattr(lettergen.output.build, "build", buggy)
    cases = [str(p) for p in caseload(tmp_path / "cases", 3)]
    status, out, err = run(capsys, *cases, "-f", "md", "-o", str(tmp_path / "out"),
                           "--jobs", "1", "--json")
    assert status == 1
    report = json.loads(out)
    assert [c["status"] for c in report["cases"]] == ["ok", "failed", "ok"]
    assert "unexpected error" in report["cases"][1]["error"]
    assert "ZeroDivisionError: a bug" in report["cases"][1]["error"]
    assert "Traceback" not in err


def raise_for_second(path: str, options: BatchOptions) -> CaseResult:
    """A worker with a bug (not a LettergenError) for case-001."""
    if path.endswith("case-001.toml"):
        raise RuntimeError("worker bug")
    return batch.build_case(path, options)


def die_for_second(path: str, options: BatchOptions) -> CaseResult:
    """A worker process that dies outright for case-001."""
    if path.endswith("case-001.toml"):
        os._exit(3)
    return CaseResult(path, True)


def test_an_exception_in_a_worker_process_fails_that_case_only(tmp_path):
    cases = caseload(tmp_path / "cases", 4)
    summary = run_batch(cases, BatchOptions(formats=("md",), out_dir=tmp_path / "out"), 2,
                        work=raise_for_second)
    assert [r.ok for r in summary.results] == [True, False, True, True]
    assert "RuntimeError: worker bug" in summary.results[1].error
    assert (tmp_path / "out" / "case-003" / f"{LETTER}.md").exists()


def test_a_worker_process_that_dies_is_reported_not_hung(tmp_path):
    cases = caseload(tmp_path / "cases", 4)
    summary = run_batch(cases, BatchOptions(), 2, work=die_for_second)
    assert len(summary.results) == 4 and not summary.not_run
    assert not summary.results[1].ok
    assert "worker process stopped" in summary.results[1].error


def test_ctrl_c_keeps_finished_cases_and_starts_no_more(tmp_path, capsys, monkeypatch):
    import lettergen.output.build

    real, calls = lettergen.output.build.build, []

    def interrupted(case, *args, **kwargs):
        calls.append(case.stem)
        if len(calls) == 3:
            raise KeyboardInterrupt
        return real(case, *args, **kwargs)

    monkeypatch.setattr(lettergen.output.build, "build", interrupted)
    cases = [str(p) for p in caseload(tmp_path / "cases", 5)]
    status, out, err = run(capsys, *cases, "-f", "md", "-o", str(tmp_path / "out"),
                           "--jobs", "1")
    assert status == 130
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == ["case-000", "case-001"]
    assert "Interrupted: 3 case(s) not built." in err and cases[4] in err
    assert len(out.split()) == 2


def test_ctrl_c_in_a_pool_lets_running_cases_finish_whole(tmp_path):
    cases = caseload(tmp_path / "cases", 12)
    seen = []

    def stop_after_first(result: CaseResult) -> None:
        seen.append(result)
        if len(seen) == 1:
            raise KeyboardInterrupt

    out = tmp_path / "out"
    summary = run_batch(cases, BatchOptions(formats=("md", "docx"), out_dir=out), 2,
                        on_result=stop_after_first)
    assert summary.interrupted and summary.results
    assert len(summary.results) + len(summary.not_run) == 12
    assert sorted(r.file for r in seen) == sorted(r.file for r in summary.results)  # once
    for result in summary.results:  # every case that ran is whole
        assert result.ok and all(Path(p).exists() for p in result.written)
    for name in summary.not_run:
        assert not (out / Path(name).stem).exists()
    assert not [p for p in out.rglob("*") if p.name.endswith(".tmp")]


class FakeTerminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_a_terminal_gets_a_bar_and_a_line_per_failure():
    stream = FakeTerminal()
    progress = batch.Progress(3, stream)
    progress(CaseResult("a.toml", True, ("letters/a/x.md",)))
    progress(CaseResult("b.toml", False, error="b.toml: the case file has a problem\n  - x"))
    progress(CaseResult("c.toml", True, ("letters/c/x.md",)))
    progress.close()
    shown = stream.getvalue()
    assert "[2/3] FAILED b.toml: the case file has a problem (all of it at the end)" in shown
    assert "ok a.toml" not in shown  # a case that went well only moves the bar
    assert "case/s]" in shown  # tqdm's bar


def test_a_log_gets_a_plain_line_per_case():
    stream = io.StringIO()
    progress = batch.Progress(2, stream)
    progress(CaseResult("cases/x.toml", True, ("l/x/a.docx", "l/x/a.pdf", "l/x/b.pdf")))
    progress(CaseResult("cases/y.toml", False, error="cases/y.toml: bad\x1b[2J"))
    assert stream.getvalue().splitlines() == ["[1/2] ok cases/x.toml: 2 letter(s)",
                                              "[2/2] FAILED cases/y.toml: bad\\x1b[2J"]


def test_sigterm_stops_a_batch_and_leaves_every_case_whole(tmp_path):
    import signal
    import subprocess
    import sys

    caseload(tmp_path / "cases", 300)
    process = subprocess.Popen(
        [sys.executable, "-m", "lettergen", "batch", "cases", "-f", "md", "-f", "docx",
         "-o", "out", "--jobs", "2"], cwd=tmp_path, stdout=subprocess.PIPE,
        stderr=subprocess.PIPE, text=True)
    assert process.stderr is not None
    first = process.stderr.readline()  # the first case is done: the pool is running
    assert first.startswith("[1/300] ok"), first
    process.send_signal(signal.SIGTERM)
    out, err = process.communicate(timeout=120)
    assert process.returncode == 130, err
    assert "Interrupted:" in err and "Traceback" not in err
    folders = list((tmp_path / "out").iterdir())
    assert 0 < len(folders) < 300
    for folder in folders:  # every case that was started is whole
        assert sorted(p.name for p in folder.iterdir()) == [
            ".lettergen-case", f"{LETTER}.docx", f"{LETTER}.md"]
    assert len(out.split()) == 2 * len(folders)


def test_an_empty_shard_builds_nothing_and_succeeds(tmp_path, capsys):
    case = caseload(tmp_path / "cases", 1)[0]
    empty = 1 if batch.shard_of(case, tmp_path, 2) == 2 else 2
    status, out, err = run(capsys, str(case), "--shard", f"{empty}/2", "--root",
                           str(tmp_path), "-o", str(tmp_path / "out"))
    assert status == 0 and out == ""
    assert f"shard {empty}/2: 0 of 1 case(s)" in err
    assert not (tmp_path / "out").exists()


def test_a_file_name_with_brackets_is_a_name_not_a_pattern(tmp_path, capsys):
    case = tmp_path / "rivera[2].toml"
    case.write_text(SOURCE, "utf-8")
    status, out, err = run(capsys, str(case), "-f", "md", "-o", str(tmp_path / "out"))
    assert status == 0, err
    assert Path(out.strip()).parent.name.startswith("rivera-2")


def test_the_caseloads_page_examples_match_the_program():
    """site/caseloads.md: its JSON report has the keys --json prints, and its
    Kubernetes Job is valid YAML whose shard count is the Job's completions."""
    import re

    import yaml

    page = (EXAMPLES.parent / "site" / "caseloads.md").read_text("utf-8")
    blocks = dict(re.findall(r"```(json|yaml)\n(.*?)```", page, re.S))
    shown = json.loads(blocks["json"])
    real = batch.summary_json(batch.BatchSummary(
        [CaseResult("a.toml", True, ("letters/a/x.pdf",))], 1.0))
    assert shown.keys() == real.keys() and shown["totals"].keys() == real["totals"].keys()
    assert {k for case in shown["cases"] for k in case} == set(real["cases"][0])
    job = yaml.safe_load(blocks["yaml"])
    assert job["kind"] == "Job" and job["spec"]["completionMode"] == "Indexed"
    command = " ".join(job["spec"]["template"]["spec"]["containers"][0]["args"])
    count = job["spec"]["completions"]
    assert f'--shard "$((JOB_COMPLETION_INDEX + 1))/{count}"' in command
    assert "exec lettergen batch" in command
    assert "Caseloads: caseloads.md" in (EXAMPLES.parent / "mkdocs.yml").read_text("utf-8")
