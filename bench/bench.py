"""`make bench`: how fast lettergen builds letters, against what a technical user would
script instead, and how much memory it takes. One run on one machine; a Markdown table.

Measured, never asserted: timings go in the closing notes, not in the tests.

- cold build: `lettergen build` of one letter to DOCX + PDF in a fresh process
  (median of several runs): what a patient waits for; its peak memory (max RSS).
- pandoc (Markdown → DOCX) + LibreOffice headless (DOCX → PDF) on the same letter,
  each a fresh process as a script would run them, and lettergen's time as a ratio of
  theirs. Installed from Debian when missing (as root, with apt-get), else skipped.
- batch: `lettergen batch` of 200 generated cases × 2 letters × DOCX and PDF with
  `--jobs 1` and `--jobs 2`, in letters per second (a letter in both formats counts
  once), and the peak memory of its processes (main and workers).
- warm rate: letters per second in one process, DOCX and PDF separately.
- site: `mkdocs build --strict` of the guide into a temporary folder.
- packet: `lettergen packet` of a letter with three enclosures (two PDFs, a PNG).
- time to stop a runaway pack: the slowest of the hostile packs in
  tests/fixtures/hostile-packs, and a pack whose letter is one huge paragraph (the
  watchdog stops the PDF writer), each as a whole `lettergen build` run.

The targets on a 2-core machine close the table: a cold letter in at most a quarter
of pandoc + LibreOffice's time, a batch of at least 100 letters a second, less than
150 MB per worker.
"""

from __future__ import annotations

import shutil
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from cases import EXAMPLE, write_caseload, write_packet_case  # noqa: E402
from measure import ROOT, Run, checked, lettergen, median_of, run  # noqa: E402
from tools import debian_tool  # noqa: E402

LETTER = "itemized-bill-request"
BATCH_LETTERS = ("itemized-bill-request", "internal-appeal")
BATCH_CASES = 200
RUNS = 7  # cold builds
TOOL_RUNS = 5  # pandoc and LibreOffice runs
TARGET_RATIO, TARGET_RATE, TARGET_MB = 0.25, 100.0, 150.0

Rows = list[tuple[str, str]]


def cold_builds(out: Path) -> list[Run]:
    """``RUNS`` fresh `lettergen build` runs of one letter to DOCX + PDF."""
    command = lettergen("build", EXAMPLE, "-l", LETTER, "-f", "docx", "-f", "pdf",
                        "-o", out, "--force")
    checked(command)  # the first run writes the bytecode a pip install would have
    return [checked(command) for _ in range(RUNS)]


def import_cost() -> float:
    return statistics.median(
        checked([sys.executable, "-c", "import lettergen.cli"]).seconds for _ in range(RUNS))


def warm_rate(fmt: str, seconds: float = 1.0, rounds: int = 3) -> float:
    """Letters per second (load, render, write ``fmt``) in this process: the best of a
    few short rounds, so that another program's burst on a shared machine does not
    decide the figure."""
    from lettergen.case.casefile import load_case
    from lettergen.letters.render import render_letter
    from lettergen.packs.folder import open_packs
    from lettergen.writers import render

    packs = open_packs([])
    render(render_letter(load_case(EXAMPLE), LETTER, packs).document, fmt)  # warm up
    rates = []
    for _ in range(rounds):
        count, start = 0, time.perf_counter()
        while time.perf_counter() - start < seconds:
            letter = render_letter(load_case(EXAMPLE), LETTER, packs)
            render(letter.document, fmt)
            count += 1
        rates.append(count / (time.perf_counter() - start))
    return max(rates)


def other_tools(tmp: Path) -> tuple[float | None, float | None, list[str]]:
    """Median seconds of pandoc (Markdown → DOCX) and of LibreOffice (DOCX → PDF) on
    the letter, and notes on what could not be run."""
    checked(lettergen("build", EXAMPLE, "-l", LETTER, "-f", "md", "-o", tmp, "--force"))
    markdown = tmp / EXAMPLE.stem / f"{LETTER}.md"
    pandoc, pandoc_note = debian_tool("pandoc")
    soffice, soffice_note = debian_tool("soffice")
    notes = [n for n in (pandoc_note, soffice_note) if n]
    pandoc_s = soffice_s = None
    docx = tmp / "pandoc" / "letter.docx"
    docx.parent.mkdir()
    if pandoc:
        pandoc_s = median_of([checked([pandoc, str(markdown), "-o", str(docx)])
                              for _ in range(TOOL_RUNS)])
    if soffice:
        if not docx.exists():  # no pandoc: convert lettergen's own DOCX instead
            checked(lettergen("build", EXAMPLE, "-l", LETTER, "-f", "docx", "-o", tmp,
                              "--force"))
            shutil.copy(tmp / EXAMPLE.stem / f"{LETTER}.docx", docx)
        # Its own profile folder: another LibreOffice running on the machine would
        # otherwise take the conversion over (or refuse it).
        profile = (tmp / "lo-profile").as_uri()
        command = [soffice, f"-env:UserInstallation={profile}", "--headless",
                   "--convert-to", "pdf", "--outdir", str(docx.parent), str(docx)]
        checked(command, timeout=180)  # the first run creates the profile
        soffice_s = median_of([checked(command, timeout=180) for _ in range(TOOL_RUNS)])
    return pandoc_s, soffice_s, notes


def batch_runs(tmp: Path) -> dict[int, Run] | str:
    """`lettergen batch` of the caseload with --jobs 1 and 2; or why it was skipped."""
    probe = run(lettergen("batch", "--help"))
    if probe.returncode != 0:
        return "`lettergen batch` does not exist yet: skipped"
    cases = tmp / "caseload"
    write_caseload(cases, BATCH_CASES)
    letters = [arg for letter in BATCH_LETTERS for arg in ("-l", letter)]
    runs = {}
    for jobs in (1, 2):
        out = tmp / f"batch-{jobs}"
        runs[jobs] = checked(lettergen("batch", cases, *letters, "-f", "docx", "-f", "pdf",
                                       "-o", out, "--jobs", str(jobs)), timeout=600)
        made = sum(1 for _ in out.rglob("*.pdf")) + sum(1 for _ in out.rglob("*.docx"))
        expected = BATCH_CASES * len(BATCH_LETTERS) * 2
        if made != expected:
            raise SystemExit(f"batch --jobs {jobs} wrote {made} files, not {expected}")
    return runs


def site_build(tmp: Path) -> float:
    mkdocs = Path(sys.executable).with_name("mkdocs")
    return checked([str(mkdocs), "build", "--strict", "--quiet", "-d", str(tmp / "site")],
                   timeout=600).seconds


def packet_build(tmp: Path) -> Run | str:
    probe = run(lettergen("packet", "--help"))
    if probe.returncode != 0:
        return "`lettergen packet` does not exist yet: skipped"
    case = write_packet_case(tmp / "packet")
    out = tmp / "packet" / "appeal.packet.pdf"
    command = lettergen("packet", case, "-l", "internal-appeal", "-o", out, "--force")
    checked(command)
    runs = sorted((checked(command) for _ in range(3)), key=lambda r: r.seconds)
    return runs[1]  # the median run


HOSTILE = ROOT / "tests" / "fixtures" / "hostile-packs"
HUGE_PARAGRAPH = ('+++\ntitle = "Huge"\nto = "provider"\npurpose = "x"\nwhen = "x"\n+++\n'
                  "{% for i in range(70000) %}word {% endfor %}\n")


def stop_time(pack: Path, out: Path) -> float:
    """Seconds until `lettergen build` with a runaway pack exits (it must exit 1)."""
    result = run(lettergen("build", EXAMPLE, "-l", LETTER, "-f", "pdf", "-o",
                           out / "runaway", "--pack", pack))
    if result.returncode != 1:
        raise SystemExit(f"{pack.name}: expected exit 1, got {result.returncode}")
    return result.seconds


def runaway_times(out: Path) -> dict[str, float]:
    times = {p.name: stop_time(p, out) for p in sorted(HOSTILE.iterdir()) if p.is_dir()}
    huge = out / "huge-paragraph"
    huge.mkdir()
    (huge / f"{LETTER}.md").write_text(HUGE_PARAGRAPH, "utf-8")
    times["huge-paragraph (PDF writer)"] = stop_time(huge, out)
    return times


def _step(name: str, func: Callable[[], object]) -> object:
    start = time.perf_counter()
    print(f"… {name}", file=sys.stderr, flush=True)
    result = func()
    print(f"  done in {time.perf_counter() - start:.0f} s", file=sys.stderr, flush=True)
    return result


def main() -> None:
    rows: Rows = []
    targets: Rows = []
    notes: list[str] = []
    with tempfile.TemporaryDirectory(prefix="lettergen-bench-") as name:
        tmp = Path(name)
        colds = _step("cold builds", lambda: cold_builds(tmp / "cold"))
        notes.append("cold builds follow one unmeasured build, which writes what a user's "
                     "first build writes: Python's bytecode and the built-in templates' "
                     "compiled code (in lettergen's cache folder); the first build of all "
                     "takes about 0.1 s longer")
        cold = median_of(colds)
        cold_mb = max(r.peak_mb for r in colds)
        fastest = min(r.seconds for r in colds)
        rows += [(f"cold `lettergen build`, 1 letter → DOCX + PDF (median of {RUNS})",
                  f"{cold * 1000:.0f} ms (fastest {fastest * 1000:.0f} ms)"),
                 ("  of which `python -c 'import lettergen.cli'`",
                  f"{_step('import', import_cost) * 1000:.0f} ms"),
                 ("  peak memory (max RSS)", f"{cold_mb:.0f} MB")]

        pandoc, soffice, tool_notes = _step("pandoc and LibreOffice", lambda: other_tools(tmp))
        notes += tool_notes
        if pandoc is not None:
            rows.append((f"pandoc, Markdown → DOCX (median of {TOOL_RUNS})",
                         f"{pandoc * 1000:.0f} ms"))
        if soffice is not None:
            rows.append((f"LibreOffice headless, DOCX → PDF (median of {TOOL_RUNS})",
                         f"{soffice * 1000:.0f} ms"))
        if pandoc is not None and soffice is not None:
            ratio = cold / (pandoc + soffice)
            rows.append(("lettergen ÷ (pandoc + LibreOffice)", f"{ratio:.2f}"))
            targets.append((f"cold letter ≤ {TARGET_RATIO} × pandoc + LibreOffice",
                            _met(ratio <= TARGET_RATIO, f"{ratio:.2f}")))
        else:
            targets.append(("cold letter vs pandoc + LibreOffice", "not measured"))

        batch = _step("batch", lambda: batch_runs(tmp))
        peaks = [cold_mb]
        if isinstance(batch, str):
            notes.append(batch)
            targets.append(("batch rate", "not measured"))
        else:
            letters = BATCH_CASES * len(BATCH_LETTERS)
            for jobs, result in batch.items():
                rows.append((f"`lettergen batch`, {BATCH_CASES} cases × "
                             f"{len(BATCH_LETTERS)} letters × DOCX + PDF, --jobs {jobs}",
                             f"{letters / result.seconds:.1f} letters/s "
                             f"({result.seconds:.1f} s)"))
                rows.append((f"  peak memory of its processes, --jobs {jobs} (max RSS)",
                             f"{result.peak_mb:.0f} MB"))
                peaks.append(result.peak_mb)
            rate = letters / batch[2].seconds
            targets.append((f"batch ≥ {TARGET_RATE:g} letters/s (--jobs 2)",
                            _met(rate >= TARGET_RATE, f"{rate:.1f}")))
        peak = max(peaks)
        targets.append((f"peak memory < {TARGET_MB:g} MB per process",
                        _met(peak < TARGET_MB, f"{peak:.0f} MB")))

        rows.append(("warm rate in one process, DOCX (render + write; best of 3 s)",
                     f"{_step('warm DOCX', lambda: warm_rate('docx')):.1f} letters/s"))
        rows.append(("warm rate in one process, PDF (render + write; best of 3 s)",
                     f"{_step('warm PDF', lambda: warm_rate('pdf')):.1f} letters/s"))
        rows.append(("site: `mkdocs build --strict`",
                     f"{_step('site', lambda: site_build(tmp)):.1f} s"))

        packet = _step("packet", lambda: packet_build(tmp))
        if isinstance(packet, str):
            notes.append(packet)
        else:
            rows.append(("`lettergen packet`, a letter + 3 enclosures (median of 3)",
                         f"{packet.seconds * 1000:.0f} ms, {packet.peak_mb:.0f} MB"))

        runaways = _step("runaway packs", lambda: runaway_times(tmp))
        slowest = max(runaways, key=runaways.get)
        rows.append((f"runaway packs stopped ({len(runaways)}): slowest, {slowest}",
                     f"{runaways[slowest]:.1f} s"))
        rows.append(("runaway packs stopped: median",
                     f"{statistics.median(runaways.values()):.1f} s"))

    print(_table(("measure", "value"), rows))
    print()
    print(_table(("target (2-core machine)", "result"), targets))
    for note in notes:
        print(f"\nNote: {note}")


def _met(ok: bool, value: str) -> str:
    return f"{value}: {'met' if ok else 'not met'}"


def _table(header: tuple[str, str], rows: Rows) -> str:
    """A Markdown table, its columns padded so that it reads as text too."""
    width = max(len(header[0]), *(len(name) for name, _ in rows))
    value_width = max(len(header[1]), *(len(value) for _, value in rows))
    lines = [f"| {header[0].ljust(width)} | {header[1].ljust(value_width)} |",
             f"| {'-' * width} | {'-' * value_width} |"]
    lines += [f"| {name.ljust(width)} | {value.ljust(value_width)} |" for name, value in rows]
    return "\n".join(lines)


if __name__ == "__main__":
    main()
