"""`make bench`: how fast lettergen builds a letter, and how much memory it takes.

Measured, never asserted: timings go in the closing notes, not in the tests.

- cold build: `lettergen build` of one letter to DOCX + PDF in a fresh process
  (median of several runs): what a patient waits for.
- warm rate: letters per second in one process, DOCX and PDF separately: what an
  advocate producing letters for many cases gets.
- peak memory of a cold build (max RSS of the child process).
- pandoc (Markdown → DOCX) on the same letter, as a ratio, when pandoc is installed.
- time to stop a runaway pack: the slowest of the hostile packs in
  tests/fixtures/hostile-packs, and a pack whose letter is one huge paragraph (the
  watchdog stops the PDF writer), each as a whole `lettergen build` run.
"""

from __future__ import annotations

import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CASE = ROOT / "examples" / "er-out-of-network.toml"
LETTER = "itemized-bill-request"
RUNS = 7


# A user's installed package has its bytecode compiled (pip does it at install); this
# machine may set PYTHONDONTWRITEBYTECODE, which would make every "cold" run compile
# lettergen's modules from source. Measure what a user gets.
CHILD_ENV = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}


def cold_build(out: Path) -> tuple[float, int]:
    """Seconds and peak RSS (KiB) of one `lettergen build` in a new process."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    start = time.perf_counter()
    subprocess.run([sys.executable, "-m", "lettergen", "build", str(CASE), "-l", LETTER,
                    "-o", str(out), "--force"], check=True, capture_output=True,
                   cwd=ROOT, env=CHILD_ENV)
    elapsed = time.perf_counter() - start
    return elapsed, max(before, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)


def import_cost() -> float:
    start = time.perf_counter()
    subprocess.run([sys.executable, "-c", "import lettergen.cli"], check=True, cwd=ROOT,
                   env=CHILD_ENV)
    return time.perf_counter() - start


def warm_rate(fmt: str, seconds: float = 2.0) -> float:
    from lettergen.casefile import load_case
    from lettergen.letters import render_letter
    from lettergen.templates import open_packs
    from lettergen.writers import render

    packs = open_packs([])
    render(render_letter(load_case(CASE), LETTER, packs).document, fmt)  # warm up
    count, start = 0, time.perf_counter()
    while time.perf_counter() - start < seconds:
        letter = render_letter(load_case(CASE), LETTER, packs)
        render(letter.document, fmt)
        count += 1
    return count / (time.perf_counter() - start)


def pandoc_time(markdown: Path, out: Path) -> float | None:
    if not shutil.which("pandoc"):
        return None
    times = []
    for _ in range(RUNS):
        start = time.perf_counter()
        subprocess.run(["pandoc", str(markdown), "-o", str(out / "pandoc.docx")], check=True)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


HOSTILE = ROOT / "tests" / "fixtures" / "hostile-packs"
HUGE_PARAGRAPH = ('+++\ntitle = "Huge"\nto = "provider"\npurpose = "x"\nwhen = "x"\n+++\n'
                  "{% for i in range(70000) %}word {% endfor %}\n")


def stop_time(pack: Path, out: Path) -> float:
    """Seconds until `lettergen build` with a runaway pack exits (it must exit 1)."""
    start = time.perf_counter()
    run = subprocess.run([sys.executable, "-m", "lettergen", "build", str(CASE), "-l", LETTER,
                          "-f", "pdf", "-o", str(out / "runaway"), "--pack", str(pack)],
                         capture_output=True, cwd=ROOT, env=CHILD_ENV, timeout=300)
    elapsed = time.perf_counter() - start
    if run.returncode != 1:
        raise SystemExit(f"{pack.name}: expected exit 1, got {run.returncode}")
    return elapsed


def runaway_times(out: Path) -> dict[str, float]:
    times = {p.name: stop_time(p, out) for p in sorted(HOSTILE.iterdir()) if p.is_dir()}
    huge = out / "huge-paragraph"
    huge.mkdir()
    (huge / f"{LETTER}.md").write_text(HUGE_PARAGRAPH, "utf-8")
    times["huge-paragraph (PDF writer)"] = stop_time(huge, out)
    return times


def main() -> None:
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("NO_COLOR", "1")
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp)
        cold_build(out)  # the first run writes the bytecode a pip install would have
        runs = [cold_build(out) for _ in range(RUNS)]
        cold = statistics.median(t for t, _ in runs)
        peak_mib = max(rss for _, rss in runs) / 1024
        imports = statistics.median(import_cost() for _ in range(RUNS))
        docx_rate = warm_rate("docx")
        pdf_rate = warm_rate("pdf")
        subprocess.run([sys.executable, "-m", "lettergen", "build", str(CASE), "-l", LETTER,
                        "-f", "md", "-o", str(out), "--force"], check=True,
                       capture_output=True, cwd=ROOT)
        markdown = out / CASE.stem / f"{LETTER}.md"
        pandoc = pandoc_time(markdown, out)
        runaways = runaway_times(out)

    rows = [
        (f"cold build, 1 letter → DOCX + PDF (median of {RUNS})", f"{cold * 1000:.0f} ms"),
        ("  of which: python -c 'import lettergen.cli'", f"{imports * 1000:.0f} ms"),
        ("peak memory of a cold build (max RSS)", f"{peak_mib:.1f} MiB"),
        ("warm rate, DOCX (render + write)", f"{docx_rate:.1f} letters/s"),
        ("warm rate, PDF (render + write)", f"{pdf_rate:.1f} letters/s"),
    ]
    if pandoc is not None:
        rows.append(("pandoc, same letter Markdown → DOCX (median)", f"{pandoc * 1000:.0f} ms"))
        rows.append(("pandoc time ÷ lettergen warm DOCX time",
                     f"{pandoc * docx_rate:.1f}×"))
    else:
        rows.append(("pandoc", "not installed: no comparison"))
    slowest = max(runaways, key=runaways.get)
    rows.append((f"runaway packs stopped ({len(runaways)}): slowest, {slowest}",
                 f"{runaways[slowest]:.1f} s"))
    rows.append(("runaway packs stopped: median", f"{statistics.median(runaways.values()):.1f} s"))
    width = max(len(name) for name, _ in rows)
    print(f"{'measure'.ljust(width)}  value")
    print(f"{'-' * width}  -----")
    for name, value in rows:
        print(f"{name.ljust(width)}  {value}")


if __name__ == "__main__":
    main()
