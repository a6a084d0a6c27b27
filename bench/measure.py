"""Run a command in a fresh process and measure it: wall time and peak memory.

The peak memory is the child's own ``ru_maxrss`` from ``os.wait4``, which Linux and
macOS report as the largest of the process and of every descendant it waited for: for
``lettergen batch`` that is the largest of the main process and its workers.
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

# A user's installed package has its bytecode compiled (pip does it at install); this
# machine may set PYTHONDONTWRITEBYTECODE, which would make every "cold" run compile
# lettergen's modules from source. Measure what a user gets.
CHILD_ENV = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
CHILD_ENV.setdefault("NO_COLOR", "1")
CHILD_ENV.setdefault("NO_MKDOCS_2_WARNING", "1")

# ru_maxrss is in kilobytes on Linux, in bytes on macOS.
_RSS_BYTES = 1 if sys.platform == "darwin" else 1024


@dataclass(frozen=True)
class Run:
    seconds: float
    peak_mb: float  # megabytes (10**6 bytes) of resident memory at the peak
    returncode: int
    output: str  # stdout and stderr, for a failure's message


def run(cmd: list[str], *, cwd: Path = ROOT, timeout: float = 300) -> Run:
    """Run ``cmd`` once in a new process; its output goes to a temporary file (a pipe
    could fill up and stall a long run)."""
    with tempfile.TemporaryFile() as log:
        start = time.perf_counter()
        process = subprocess.Popen(cmd, cwd=cwd, env=CHILD_ENV, stdout=log,
                                   stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)
        try:
            _, status, usage = _wait4(process.pid, start + timeout)
        except TimeoutError:
            process.kill()
            process.wait()
            raise SystemExit(f"timed out after {timeout:.0f} s: {' '.join(cmd)}") from None
        elapsed = time.perf_counter() - start
        process.returncode = os.waitstatus_to_exitcode(status)
        log.seek(0)
        output = log.read().decode("utf-8", "replace")
    return Run(elapsed, usage.ru_maxrss * _RSS_BYTES / 1e6, process.returncode, output)


def _wait4(pid: int, deadline: float):
    while True:
        waited, status, usage = os.wait4(pid, os.WNOHANG)
        if waited:
            return waited, status, usage
        if time.perf_counter() > deadline:
            raise TimeoutError
        time.sleep(0.002)


def checked(cmd: list[str], **options) -> Run:
    """``run``, stopping the bench with the command's output when it fails."""
    result = run(cmd, **options)
    if result.returncode != 0:
        raise SystemExit(f"failed ({result.returncode}): {' '.join(map(str, cmd))}\n"
                         f"{result.output[-2000:]}")
    return result


def median_of(runs: list[Run]) -> float:
    return statistics.median(r.seconds for r in runs)


def lettergen(*args: str | Path) -> list[str]:
    """The command line of ``python -m lettergen ARGS`` with this interpreter."""
    return [sys.executable, "-m", "lettergen", *map(str, args)]
