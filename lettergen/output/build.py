"""``build``: render every requested letter, then write them all, or write nothing.

The order matters to the people who use this: every letter is checked and rendered
in memory first, every output path is checked against existing files, and only
then is anything written, each file atomically (a temporary file in the same
folder, then a rename), so a failure never leaves half a letter or a lost file.
"""

from __future__ import annotations

import errno
import os
import re
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from lettergen.errors import (
    LetterDoesNotFitError,
    LettergenError,
    OutputError,
    OutputExistsError,
    TemplateError,
)
from lettergen.letters.render import (
    Letter,
    language_note,
    no_copy_note,
    render_letter,
    render_reading_copy,
)
from lettergen.letters.sandbox import LimitExceeded, time_limit
from lettergen.letters.templates import TemplateNotFoundError
from lettergen.packs.folder import Pack
from lettergen.writers import render

FORMATS = ("docx", "pdf", "md", "html")
DEFAULT_FORMATS = ("docx", "pdf")


class BuildRefusedError(LettergenError):
    """Raised when one or more requested letters cannot be built; lists them all."""


@dataclass(frozen=True)
class OutputFile:
    path: Path
    data: bytes


def requested_ids(case: Any, ids: list[str]) -> list[str]:
    chosen = list(dict.fromkeys(ids or case.case.letters or []))
    if not chosen:
        raise LettergenError(f"{case.source_path}: no letters requested: name them with "
                             "-l ID (see `lettergen list`) or set [case] letters")
    return chosen


def render_all(case: Any, ids: list[str], packs: tuple[Pack, ...],
               contact_index: int | None = None) -> list[Letter]:
    """Every requested letter, rendered; or one error that gives every reason."""
    letters, problems = [], []
    for template_id in ids:
        try:
            letter = render_letter(case, template_id, packs, contact_index)
            copy = render_reading_copy(case, template_id, packs, contact_index) \
                if case.case.reading_copy else None
            if case.case.reading_copy and copy is None:
                letter = replace(letter, notes=(*letter.notes, no_copy_note(letter, case)))
            letters += [letter, copy] if copy else [letter]
        except LetterDoesNotFitError as exc:
            problems.append(str(exc))
        except (TemplateNotFoundError, TemplateError) as exc:
            problems.append(f"  {template_id}: {exc}")
    if problems:
        raise BuildRefusedError(f"{case.source_path}: nothing was written; "
                                f"{len(problems)} of {len(ids)} letter(s) cannot be built:\n"
                                + "\n".join(problems))
    return letters


CASE_MARKER = ".lettergen-case"  # in each case's folder: which case file it belongs to
_WINDOWS_RESERVED = {"CON", "PRN", "AUX", "NUL", *(f"COM{i}" for i in range(10)),
                     *(f"LPT{i}" for i in range(10))}


def case_folder_name(stem: str) -> str:
    """The output folder's name for a case file's name: letters and digits of any
    script, ``.``, ``_`` and ``-`` are kept; anything else becomes ``-``. When that
    changed the name (``my case`` and ``my-case`` would meet), a short hash of the
    exact name is added, so two names never share a folder. Safe on Windows too
    (no reserved names, no trailing dot, at most about 100 characters)."""
    import hashlib
    import unicodedata

    stem = unicodedata.normalize("NFC", stem)
    kept = "".join(ch if unicodedata.category(ch)[0] in "LMN" or ch in "._-" else "-"
                   for ch in stem)
    name = re.sub(r"-{2,}", "-", kept).strip(".-") or "case"
    changed = name != stem or name.split(".")[0].upper() in _WINDOWS_RESERVED
    if len(name) > 100:
        name, changed = name[:100].rstrip(".-"), True
    if changed:
        name += "-" + hashlib.sha256(stem.encode("utf-8", "surrogatepass")).hexdigest()[:8]
    return name


def output_files(case: Any, letters: list[Letter], formats: list[str],
                 out_dir: Path) -> list[OutputFile]:
    """The bytes of every output file and its path ``DIR/<case folder>/<id>.<format>``,
    kept inside ``out_dir`` whatever the case file is called, and the folder's marker
    naming the case file. Each writer runs under the letter time limit."""
    folder = out_dir / case_folder_name(case.stem)
    files = []
    for letter in letters:
        for fmt in formats:
            try:
                with time_limit():
                    data = render(letter.document, fmt)
            except LimitExceeded as exc:
                raise BuildRefusedError(f"{case.source_path}: nothing was written; "
                                        f"{letter.info.id}.{fmt}: {exc}") from None
            files.append(OutputFile(folder / f"{letter.file_stem}.{fmt}", data))
    owner = str(Path(case.source_path).resolve())
    files.append(OutputFile(folder / CASE_MARKER, (owner + "\n").encode("utf-8",
                                                                         "surrogatepass")))
    return files


def _check_owner(marker: OutputFile) -> None:
    """Refuse to write one case's letters into a folder that holds another's."""
    try:
        held = marker.path.read_bytes().decode("utf-8", "replace").strip()
    except OSError:
        return  # no marker yet; or unreadable, which the write step reports
    if held and held != marker.data.decode("utf-8", "replace").strip():
        raise OutputError(f"nothing was written: {marker.path.parent} holds the letters of "
                          f"another case file ({held}); build into another folder with "
                          "-o, or remove that folder first")


def describe_os_error(exc: OSError) -> str:
    reasons = {errno.ENOSPC: "the disk is full", errno.EROFS: "the file system is read-only",
               errno.EACCES: "permission denied", errno.EPERM: "permission denied",
               errno.ENOTDIR: "a file is in the way where a folder should be",
               errno.EISDIR: "a folder is in the way where the file should be",
               errno.ENAMETOOLONG: "the name is too long for this file system",
               errno.EDQUOT: "the disk quota is used up"}
    return reasons.get(exc.errno or 0) or exc.strerror or str(exc)


def _preflight(files: list[OutputFile], force: bool) -> None:
    """Everything that can be known before writing: files in the way, folders in
    the way, another case's folder."""
    for file in files:
        for parent in file.path.parents:
            if parent.exists() and not parent.is_dir():
                raise OutputError(f"nothing was written: {parent} is a file, not a folder; "
                                  "choose another output folder with -o")
            if parent.exists():
                break
        if file.path.is_dir():
            raise OutputError(f"nothing was written: {file.path} is a folder, where the "
                              "letter should go; move or remove it")
    _check_owner(files[-1])
    existing = [f.path for f in files[:-1] if f.path.exists()]
    if existing and not force:
        names = "\n".join(f"  {p}" for p in existing)
        raise OutputExistsError(f"nothing was written; these files exist already "
                                f"(add --force to replace them):\n{names}")


def write_files(files: list[OutputFile], force: bool) -> list[Path]:
    """Write a case's letters and its folder's marker (the last file), or nothing."""
    _preflight(files, force)
    _write_all(files, lambda f: force or f.path.name == CASE_MARKER, "nothing was written: ")
    return [f.path for f in files if f.path.name != CASE_MARKER]


def atomic_write(path: Path, data: bytes, overwrite: bool) -> None:
    """Write one file outside a case folder (``new``, the calendar file), all or
    nothing; never replace an existing file without ``overwrite``."""
    if path.is_dir():
        raise OutputError(f"{path} is a folder; name a file")
    if path.exists() and not overwrite:
        raise OutputExistsError(f"{path} exists already (add --force to replace it)")
    _write_all([OutputFile(path, data)], lambda f: overwrite, "")


def write_named_files(files: list[OutputFile], force: bool) -> list[Path]:
    """Write files the user named (``packet -o OUT.pdf`` and its parts), all or nothing
    and with no case marker, since the folder is the user's; nothing existing is replaced
    without ``force``."""
    for file in files:
        if file.path.is_dir():
            raise OutputError(f"nothing was written: {file.path} is a folder; name a file")
    existing = [f.path for f in files if f.path.exists()]
    if existing and not force:
        names = "\n".join(f"  {p}" for p in existing)
        raise OutputExistsError(f"nothing was written; these files exist already "
                                f"(add --force to replace them):\n{names}")
    _write_all(files, lambda f: force, "nothing was written: ")
    return [f.path for f in files]


def _write_all(files: list[OutputFile], replaces: Callable[[OutputFile], bool],
               prefix: str) -> None:
    """Each file is written to a temporary name beside it first; only when all are
    written are they moved into place. On any failure what this run wrote is removed
    and any file it replaced is put back."""
    made: list[Path] = []  # folders this run created
    temps: dict[Path, str] = {}
    placed: list[tuple[Path, str | None]] = []  # (final path, backup of the old file)
    current = files[0].path if files else Path()
    try:
        for file in files:
            current = file.path
            made += _make_folder(file.path.parent)
            temps[file.path] = _write_temp(file.path, file.data)
        for file in files:
            current = file.path
            backup = _move_into_place(temps[file.path], file.path, replaces(file))
            del temps[file.path]
            placed.append((file.path, backup))
    except OSError as exc:
        _undo(temps, placed, made)
        raise OutputError(f"{prefix}cannot write {current}: {describe_os_error(exc)}") from None
    except BaseException:
        _undo(temps, placed, made)
        raise
    for _, backup in placed:
        if backup:
            _remove(backup)


def _make_folder(folder: Path) -> list[Path]:
    missing = [p for p in (folder, *folder.parents) if not p.exists()]
    folder.mkdir(parents=True, exist_ok=True)
    return missing  # deepest first: the order to remove them in


def _write_temp(path: Path, data: bytes) -> str:
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
    except BaseException:
        _remove(tmp)
        raise
    return tmp


def _move_into_place(tmp: str, path: Path, replace: bool) -> str | None:
    """Rename ``tmp`` to ``path``; returns the backup name of a file it replaced.
    Without ``replace`` an existing file is never replaced, even one that appeared a
    moment ago (the final step is a hard link, which fails when the name is taken)."""
    if replace:
        backup = None
        if path.exists():
            backup = f"{tmp}.old"
            os.replace(path, backup)
        try:
            os.replace(tmp, path)
        except BaseException:
            if backup:
                os.replace(backup, path)
            raise
        return backup
    try:
        os.link(tmp, path)
    except FileExistsError:
        _remove(tmp)
        raise OutputExistsError(f"nothing was written: {path} exists already (add --force "
                                "to replace it)") from None
    except OSError as exc:  # a file system without hard links
        if exc.errno in (errno.ENOSPC, errno.EROFS, errno.EACCES, errno.EDQUOT):
            raise
        if path.exists():
            _remove(tmp)
            raise OutputExistsError(f"nothing was written: {path} exists already (add "
                                    "--force to replace it)") from None
        os.replace(tmp, path)
        return None
    _remove(tmp)
    return None


def _undo(temps: dict[Path, str], placed: list[tuple[Path, str | None]],
          made: list[Path]) -> None:
    """Put everything back as it was before this run."""
    for tmp in temps.values():
        _remove(tmp)
    for path, backup in reversed(placed):
        _remove(path)
        if backup:
            try:
                os.replace(backup, path)
            except OSError:
                pass
    for folder in made:
        try:
            folder.rmdir()
        except OSError:
            pass


def _remove(path: str | Path) -> None:
    try:
        os.unlink(path)
    except OSError:
        pass


def build(case: Any, ids: list[str], formats: list[str], out_dir: Path,
          packs: tuple[Pack, ...], force: bool = False,
          contact_index: int | None = None,
          on_note: Callable[[str], None] | None = None) -> list[Path]:
    """Render, check and write the letters; returns the written paths. ``on_note``
    receives what a template wants the person building it to know."""
    letters = render_all(case, requested_ids(case, ids), packs, contact_index)
    if on_note and language_note(case):
        on_note(language_note(case))
    for letter in letters:
        for text in letter.notes:
            if on_note:
                on_note(f"{letter.info.id}: {text}")
    files = output_files(case, letters, list(dict.fromkeys(formats or DEFAULT_FORMATS)),
                         out_dir)
    return write_files(files, force)
