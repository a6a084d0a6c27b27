"""``batch``: the letters of a whole caseload, in parallel, one bad case never
stopping the others.

An advocate runs hundreds of case files at once, and one of them is always broken.
So every case is built exactly as ``lettergen build`` builds it (``build.build``:
all or nothing per case, never overwriting without ``force``), each in its own
worker process, and a case that fails (bad TOML, a letter that does not fit, files
in the way, even a bug) is reported with its file and reason while the rest go on.

The pieces, in the order the command line uses them:

- ``find_cases``: paths, globs and folders to case files. A folder means the
  ``*.toml`` files directly in it; its subfolders hold the bases other cases
  ``extends`` (``examples/base/``), which are not cases on their own.
- ``check_output_folders``: two case files whose letters would share a folder
  (``a/x.toml`` and ``b/x.toml``) are refused before anything is built.
- ``select_shard``: a stable slice of the caseload, chosen by a hash of each file's
  path relative to a root, so N machines given the same caseload build it once,
  between them, whatever order their shells list the files in.
- ``run_batch``: the builds, in a process pool; ``Ctrl-C`` lets the running cases
  finish (each is written atomically) and starts no more.
- ``Progress``, ``summary_text``, ``summary_json``: what the person running it sees.
"""

from __future__ import annotations

import glob
import hashlib
import multiprocessing
import os
import signal
import time
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor, as_completed
from concurrent.futures.process import BrokenProcessPool
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path, PurePath
from typing import IO, Any

from lettergen.errors import LettergenError
from lettergen.terminal import visible


@dataclass(frozen=True)
class BatchOptions:
    """What ``lettergen build`` would be told, once for every case."""

    letters: tuple[str, ...] = ()  # empty: each case's [case] letters
    formats: tuple[str, ...] = ()  # empty: docx and pdf
    out_dir: Path = Path("letters")
    packs: tuple[str, ...] = ()  # pack folders, opened again in each worker
    force: bool = False


@dataclass(frozen=True)
class CaseResult:
    file: str  # as found: what the user typed or the folder walk produced
    ok: bool
    written: tuple[str, ...] = ()
    error: str = ""
    notes: tuple[str, ...] = ()

    @property
    def letters(self) -> int:
        """How many letters were written: one per file name, whatever the formats
        (a Spanish reading copy counts as a letter of its own)."""
        return len({str(PurePath(p).with_suffix("")) for p in self.written})


@dataclass
class BatchSummary:
    results: list[CaseResult]  # in the order of the cases, for those that ran
    seconds: float
    not_run: list[str] = field(default_factory=list)  # left out by Ctrl-C

    @property
    def failed(self) -> list[CaseResult]:
        return [r for r in self.results if not r.ok]

    @property
    def interrupted(self) -> bool:
        return bool(self.not_run)


# --- finding the cases -------------------------------------------------------------------


def find_cases(patterns: Iterable[str]) -> list[Path]:
    """The case files that ``patterns`` name, in order, each once. A pattern is a
    file, a folder (the ``*.toml`` files directly in it) or a glob (expanded here,
    since Windows shells do not; ``**`` recurses). Folders and globs are sorted.
    A pattern that names nothing is an error, before anything is built: a typo must
    not silently shrink a caseload."""
    found: dict[str, Path] = {}
    problems = []
    for pattern in patterns:
        named = _expand(pattern)
        if not named:
            problems.append(f"  {visible(pattern)}: " + (
                "no file matches this pattern" if glob.has_magic(pattern) else
                "no case files (*.toml) in this folder" if os.path.isdir(pattern) else
                "no such file or folder"))
        for path in named:
            found.setdefault(os.path.normcase(os.path.abspath(path)), path)
    if problems:
        raise LettergenError("nothing was built; these case files were not found:\n"
                             + "\n".join(problems))
    if not found:
        raise LettergenError("no case files found: name case files (.toml), folders of "
                             "them, or patterns such as 'cases/*.toml'")
    return list(found.values())


def _expand(pattern: str) -> list[Path]:
    if glob.has_magic(pattern) and not os.path.lexists(pattern):  # "a[1].toml" is a name
        matches = sorted(glob.glob(pattern, recursive=True))
        return [c for m in matches
                for c in (_folder_cases(Path(m)) if os.path.isdir(m) else [Path(m)])]
    if os.path.isdir(pattern):
        return _folder_cases(Path(pattern))
    return [Path(pattern)] if os.path.lexists(pattern) else []


def _folder_cases(folder: Path) -> list[Path]:
    """The ``*.toml`` files directly in ``folder``. Not its subfolders: that is where
    the bases of ``extends`` live (``examples/base/``), which are not cases on their
    own; a caseload in subfolders is named with ``'cases/**/*.toml'``."""
    return sorted(p for p in folder.glob("*.toml") if not p.name.startswith(".")
                  and not p.is_dir())


def check_output_folders(cases: list[Path], out_dir: Path) -> None:
    """Refuse, before anything is built, two case files whose letters would go to
    the same folder: ``DIR/<file name>/`` is the one layout ``build`` has, and
    ``a/x.toml`` and ``b/x.toml`` would meet there (or ``X.toml`` and ``x.toml`` on
    a disk that ignores case)."""
    from lettergen.output.build import case_folder_name

    folders: dict[str, list[Path]] = {}
    for path in cases:
        folders.setdefault(case_folder_name(path.stem).casefold(), []).append(path)
    clashes = [paths for paths in folders.values() if len(paths) > 1]
    if clashes:
        lines = [f"  {out_dir / case_folder_name(paths[0].stem)}: "
                 + ", ".join(visible(str(p)) for p in paths) for paths in clashes]
        raise LettergenError("nothing was built; some case files have the same name, and "
                             "their letters would go to the same folder:\n" + "\n".join(lines)
                             + "\nrename one of each (the file name is the folder name), or "
                             "build them in separate batches with different -o folders")


# --- shards ------------------------------------------------------------------------------


def parse_shard(text: str) -> tuple[int, int]:
    """``"2/5"`` -> ``(2, 5)``; ``ValueError`` with a plain message otherwise."""
    part, sep, whole = text.partition("/")
    if not (sep and part.strip().isdigit() and whole.strip().isdigit()):
        raise ValueError(f"{visible(text)!r} is not K/N (for example 2/5: the second of "
                         "five shards)")
    k, n = int(part), int(whole)
    if not 1 <= k <= n:
        raise ValueError(f"{text}: K must be from 1 to N (1/{max(n, 1)} to "
                         f"{max(n, 1)}/{max(n, 1)})")
    return k, n


def shard_of(path: Path, root: Path, count: int) -> int:
    """The shard (1 to ``count``) a case file belongs to: a hash of its path relative
    to ``root``, written with ``/``, so every machine computes the same answer
    whatever its order of files or its operating system."""
    relative = Path(os.path.abspath(path)).relative_to(os.path.abspath(root))
    digest = hashlib.sha256(relative.as_posix().encode("utf-8", "surrogatepass")).hexdigest()
    return 1 + int(digest, 16) % count


def select_shard(cases: list[Path], root: Path, k: int, n: int) -> list[Path]:
    """The cases of shard ``k`` of ``n``. Every case must be inside ``root``: a path
    relative to the root is what makes the slice the same on every machine."""
    outside = [p for p in cases
               if not Path(os.path.abspath(p)).is_relative_to(os.path.abspath(root))]
    if outside:
        raise LettergenError(f"--shard needs every case file inside --root {root} (the "
                             "shard is chosen by the path relative to it); outside it:\n"
                             + "\n".join(f"  {visible(str(p))}" for p in outside[:10]))
    return [p for p in cases if shard_of(p, root, n) == k]


# --- building ----------------------------------------------------------------------------

_packs_cache: dict[tuple[str, ...], Any] = {}


def build_case(path: str, options: BatchOptions) -> CaseResult:
    """One case, built as ``lettergen build`` builds it; never raises an Exception:
    a user's mistake and a bug alike become a failed result naming the reason."""
    from lettergen.case.casefile import load_case
    from lettergen.output.build import build
    from lettergen.packs.folder import open_packs

    notes: list[str] = []
    try:
        if options.packs not in _packs_cache:  # once per worker process
            _packs_cache[options.packs] = open_packs(list(options.packs), user_config=True)
        written = build(load_case(path), list(options.letters), list(options.formats),
                        options.out_dir, _packs_cache[options.packs], force=options.force,
                        on_note=notes.append)
    except LettergenError as exc:
        return CaseResult(path, False, error=str(exc), notes=tuple(notes))
    except Exception as exc:  # a bug: this case fails, the batch goes on
        return CaseResult(path, False, error=_unexpected(exc), notes=tuple(notes))
    return CaseResult(path, True, tuple(str(p) for p in written), notes=tuple(notes))


def _unexpected(exc: BaseException) -> str:
    return (f"unexpected error, a bug in lettergen ({type(exc).__name__}: {exc}); nothing "
            "of this case was written; please report it, without the case file's contents")


def _ignore_sigint() -> None:
    """Workers leave Ctrl-C to the main process, which lets each running case finish
    its atomic write and starts no more: no case is ever left half-written."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)


def default_jobs() -> int:
    """The processors this process may use (fewer than the machine has in a container
    or under ``taskset``), at least 1."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # Windows, macOS
        return max(1, os.cpu_count() or 1)


@contextmanager
def sigterm_as_interrupt() -> Iterator[None]:
    """SIGTERM (Kubernetes stopping a pod, ``kill``, systemd) does what Ctrl-C does:
    the running cases finish, no more start. Without this, Python dies at once on
    SIGTERM, between two files of a case; as PID 1 in a container it ignores it."""
    def interrupt(signum: int, frame: object) -> None:
        raise KeyboardInterrupt

    try:
        previous = signal.signal(signal.SIGTERM, interrupt)
    except ValueError:  # not the main thread: leave signals alone
        yield
        return
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


Work = Callable[[str, BatchOptions], CaseResult]


def run_batch(cases: list[Path], options: BatchOptions, jobs: int,
              on_result: Callable[[CaseResult], None] = lambda result: None,
              work: Work = build_case) -> BatchSummary:
    """Build every case, ``jobs`` at a time (1: in this process), calling
    ``on_result`` as each finishes. ``work`` is ``build_case``, or a stand-in with
    its signature (a top-level function, so worker processes can find it)."""
    start = time.perf_counter()
    names = [str(p) for p in cases]
    results: dict[int, CaseResult] = {}

    def record(index: int, result: CaseResult) -> None:
        results[index] = result
        on_result(result)

    try:
        if jobs <= 1 or len(names) <= 1:
            for index, name in enumerate(names):
                record(index, work(name, options))
        else:
            _run_pool(names, options, min(jobs, len(names)), work, record)
    except KeyboardInterrupt:
        pass  # the cases that finished are kept; the rest are listed as not run
    return BatchSummary([results[i] for i in sorted(results)], time.perf_counter() - start,
                        [n for i, n in enumerate(names) if i not in results])


def _run_pool(names: list[str], options: BatchOptions, jobs: int, work: Work,
              record: Callable[[int, CaseResult], None]) -> None:
    # spawn on every system: the same behaviour as Windows and macOS, and no fork of
    # a process that holds threads (a progress bar's, the test runner's)
    context = multiprocessing.get_context("spawn")
    pool = ProcessPoolExecutor(jobs, mp_context=context, initializer=_ignore_sigint)
    futures: dict[Future[CaseResult], int] = {}
    recorded: set[int] = set()
    try:
        for index, name in enumerate(names):
            futures[pool.submit(work, name, options)] = index
        for future in as_completed(futures):
            recorded.add(futures[future])
            record(futures[future], _result_of(future, names[futures[future]]))
    except KeyboardInterrupt:
        pool.shutdown(wait=True, cancel_futures=True)  # running cases finish their write
        for future, index in futures.items():
            if index not in recorded and future.done() and not future.cancelled():
                record(index, _result_of(future, names[index]))
        raise
    finally:
        pool.shutdown(wait=True, cancel_futures=True)


def _result_of(future: Future[CaseResult], name: str) -> CaseResult:
    exc = future.exception()
    if exc is None:
        return future.result()
    if isinstance(exc, BrokenProcessPool):
        return CaseResult(name, False, error=(
            "the worker process stopped before this case was done (out of memory, or "
            "killed); build it again, with --force if some of its files were written"))
    return CaseResult(name, False, error=_unexpected(exc))


# --- what the person running it sees -----------------------------------------------------


class Progress:
    """``on_result`` for ``run_batch``: a progress bar (tqdm) on a terminal, a line
    per case elsewhere (``[12/200] ok cases/x.toml: 2 letters``), so a log file or a
    CI job keeps a readable record. Failures are always a line of their own."""

    def __init__(self, total: int, stream: IO[str]) -> None:
        self.total, self.done, self.stream = total, 0, stream
        self.bar = None
        if stream.isatty():
            from tqdm import tqdm

            self.bar = tqdm(total=total, file=stream, unit="case", dynamic_ncols=True,
                            leave=False)

    def __call__(self, result: CaseResult) -> None:
        self.done += 1
        if result.ok:
            line = f"ok {result.file}: {result.letters} letter(s)"
        else:
            reason = _reason(result).splitlines()
            more = " (all of it at the end)" if len(reason) > 1 else ""
            line = f"FAILED {result.file}: {reason[0].rstrip(':')}{more}"
        lines = [f"[{self.done}/{self.total}] {line}"]
        if result.ok:  # a failed case's notes are about letters that were not written
            lines += [f"  note: {note}" for note in result.notes]
        if self.bar is None:
            for text in lines:
                print(visible(text), file=self.stream, flush=True)
            return
        if len(lines) > 1 or not result.ok:
            for text in lines:
                self.bar.write(visible(text), file=self.stream)
        self.bar.update(1)

    def close(self) -> None:
        if self.bar is not None:
            self.bar.close()


def _reason(result: CaseResult) -> str:
    """The error without the file name it starts with, which is said before it."""
    error = result.error.strip() or "failed"
    return error.removeprefix(f"{result.file}: ") or error


def totals(summary: BatchSummary) -> dict[str, Any]:
    return {"cases": len(summary.results) + len(summary.not_run),
            "built": len(summary.results) - len(summary.failed),
            "failed": len(summary.failed),
            "letters": sum(r.letters for r in summary.results),
            "files": sum(len(r.written) for r in summary.results),
            "seconds": round(summary.seconds, 2)}


def summary_text(summary: BatchSummary) -> str:
    """Built, failed and time, then every failed case with its whole reason."""
    t = totals(summary)
    lines = [f"Built {t['built']} of {t['cases']} case(s): {t['letters']} letter(s), "
             f"{t['files']} file(s), in {t['seconds']:.1f} s."]
    if summary.failed:
        lines.append(f"{t['failed']} case(s) failed; nothing was written for them:")
        for result in summary.failed:
            lines.append(f"  {result.file}:")
            lines += [f"    {line}" for line in _reason(result).splitlines()]
    if summary.not_run:
        lines.append(f"Interrupted: {len(summary.not_run)} case(s) not built. Run the "
                     "command again with these (the cases already built would fail as "
                     "existing, or be rebuilt with --force):")
        lines += [f"  {name}" for name in summary.not_run[:10]]
        if len(summary.not_run) > 10:
            lines.append(f"  and {len(summary.not_run) - 10} more (--json lists them all)")
    return "\n".join(lines)


def summary_json(summary: BatchSummary) -> dict[str, Any]:
    """The ``--json`` document: every case that ran, and the totals."""
    return {
        "cases": [{"file": r.file, "status": "ok" if r.ok else "failed",
                   "written": list(r.written), "error": r.error or None,
                   "notes": list(r.notes)} for r in summary.results],
        "not_run": list(summary.not_run),
        "totals": totals(summary),
    }
