"""``lettergen report``: the one-page case summary, read back as its reader sees it.

The PDF is read with pypdf and compared with what ``check --json`` says of the same
case: the same deadline and mail-by dates, the findings' titles, the plan's letters.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path

import pytest
from pypdf import PdfReader

from conftest import EXAMPLES, ROOT, case_file, pdf_text
from lettergen.case.money import format_date, format_money
from lettergen.cli import main

FULL = ROOT / "tests" / "fixtures" / "full-cases"
CASES = [FULL / "er-out-of-network.toml", FULL / "medicare-snf-discharge.toml",
         FULL / "collections-bought-debt.toml", FULL / "mri-external-review.toml",
         EXAMPLES / "overpaid-clinic-visit.toml", EXAMPLES / "nonprofit-financial-assistance.toml"]


def _run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    status = main(list(argv))
    out, err = capsys.readouterr()
    return status, out, err


def _report(tmp_path: Path, capsys: pytest.CaptureFixture[str], case: Path,
            *extra: str) -> dict[str, Path]:
    status, out, err = _run(capsys, "report", str(case), "-o", str(tmp_path), *extra)
    assert status == 0, err
    return {Path(line).suffix[1:]: Path(line) for line in out.splitlines()}


def _flat(text: str) -> str:
    return " ".join(text.split())


def _check(capsys: pytest.CaptureFixture[str], case: Path, *extra: str) -> dict:
    status, out, err = _run(capsys, "check", str(case), "--json", *extra)
    assert status == 0, err
    return json.loads(out)


@pytest.mark.parametrize("case", CASES, ids=lambda p: p.stem)
def test_report_says_what_check_says(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                     case: Path) -> None:
    checked = _check(capsys, case)
    paths = _report(tmp_path, capsys, case)
    assert set(paths) == {"pdf", "html"}
    assert paths["pdf"] == tmp_path / case.stem / "case-summary.pdf"
    data = paths["pdf"].read_bytes()
    assert len(PdfReader(paths["pdf"]).pages) <= 2
    text = _flat(pdf_text(data))
    if not checked["deadlines"]:  # said, not drawn as an empty line
        assert "starts no deadline lettergen can count" in text
        assert "<title>Timeline" not in paths["html"].read_text("utf-8")
    assert checked["deadlines"] or case.parent == EXAMPLES
    for d in checked["deadlines"]:
        due = format_date(dt.date.fromisoformat(d["date"]))
        assert f"{due}: {_flat(d['name'])}" in text
        if d["mail_by"] and d["mail_by"] != d["date"]:
            mail = dt.date.fromisoformat(d["mail_by"])
            assert f"mail by {format_date(mail)}" in text or d["date"] < checked["today"]
    for f in checked["findings"]:
        assert _flat(f["title"]) in text
    first = next((s for s in checked["plan"] if not s["refused"]), None)
    if first:
        assert "Next: " in text and f"({first['letter']})" in text.split("Next: ", 1)[1][:200]
    html = paths["html"].read_text("utf-8")
    assert ("<title>Timeline" in html) == bool(checked["deadlines"])
    if checked["deadlines"]:
        assert "<circle" in html and "Today " in html


def test_each_benchmarked_charge_is_drawn(tmp_path: Path,
                                         capsys: pytest.CaptureFixture[str]) -> None:
    from lettergen.case.casefile import load_case

    case = FULL / "er-out-of-network.toml"
    charges = [c for c in load_case(case).charges if c.benchmark]
    assert len(charges) >= 2
    text = _flat(pdf_text(_report(tmp_path, capsys, case)["pdf"].read_bytes()))
    section = text.split("Charges against benchmarks", 1)[1]
    for charge in charges:
        assert f"{charge.code_type} {charge.code}, {format_date(charge.date)}" in section
        assert format_money(charge.billed) in section
        assert format_money(charge.benchmark) in section
    # the charges without figures are counted, never drawn as if they had some
    assert re.search(r"\d+ of \d+ charges give no benchmark or allowed amount", section)


def test_no_benchmark_says_so(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    case = case_file(tmp_path, "collections-uninsured")
    text = _flat(pdf_text(_report(tmp_path / "out", capsys, case)["pdf"].read_bytes()))
    section = text.split("Charges against benchmarks", 1)[1]
    assert "billed" not in section.split("lettergen gives")[0]
    assert ("No charge in the case file gives a benchmark" in section
            or "lists no itemized charges" in section)


def test_same_bytes_twice_and_no_overwrite(tmp_path: Path,
                                           capsys: pytest.CaptureFixture[str]) -> None:
    case = FULL / "er-out-of-network.toml"
    first = _report(tmp_path / "a", capsys, case)
    second = _report(tmp_path / "b", capsys, case)
    for fmt in ("pdf", "html"):
        assert first[fmt].read_bytes() == second[fmt].read_bytes()
    before = first["pdf"].read_bytes()
    status, _, err = _run(capsys, "report", str(case), "-o", str(tmp_path / "a"))
    assert status == 1 and "add --force" in err and "case-summary.pdf" in err
    assert first["pdf"].read_bytes() == before
    assert _report(tmp_path / "a", capsys, case, "--force", "-f", "pdf")["pdf"] == first["pdf"]


def test_today_moves_the_days_left(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    case = FULL / "er-out-of-network.toml"
    checked = _check(capsys, case)
    later = _report(tmp_path, capsys, case, "--today", "2026-09-01", "-f", "pdf")
    text = _flat(pdf_text(later["pdf"].read_bytes()))
    assert "As of September 1, 2026" in text and "Today Sep 1" in text
    for d in checked["deadlines"]:  # the dates stay; only the days left move
        due = dt.date.fromisoformat(d["date"])
        assert f"{format_date(due)}: {_flat(d['name'])}" in text


def test_bad_input_is_a_message(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    status, _, err = _run(capsys, "report", str(tmp_path / "missing.toml"), "-o",
                          str(tmp_path))
    assert status == 1 and "missing.toml" in err and "Traceback" not in err
    with pytest.raises(SystemExit) as exit_:
        main(["report", str(FULL / "er-out-of-network.toml"), "-f", "docx"])
    assert exit_.value.code == 2


def test_timeline_labels_never_overlap() -> None:
    from lettergen.case.casefile import load_case
    from lettergen.reports.report import _width, build_report

    for case in CASES[:4]:  # the full cases, whose deadlines crowd (4 in 14 days)
        data = build_report(load_case(case))
        _, shapes = data.shapes["timeline"]
        boxes = [(s[1], s[2], s[1] + _width(s[3], s[4], s[7])) for s in shapes
                 if s[0] == "text"]
        assert len(boxes) >= 2
        for i, (x1, y1, e1) in enumerate(boxes):
            for x2, y2, e2 in boxes[i + 1:]:
                assert y1 != y2 or e1 <= x2 or e2 <= x1, (case.stem, x1, x2)
