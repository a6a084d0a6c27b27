"""``build``: render every requested letter, then write them all, or write nothing.

The order matters to the people who use this: every letter is checked and rendered
in memory first, every output path is checked against existing files, and only
then is anything written, each file atomically (a temporary file in the same
folder, then a rename), so a failure never leaves half a letter or a lost file.
"""

from __future__ import annotations

import os
import re
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .errors import LetterDoesNotFitError, LettergenError, OutputExistsError, TemplateError
from .letters import Letter, render_letter
from .templates import Pack, TemplateNotFoundError
from .writers import render

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
            letters.append(render_letter(case, template_id, packs, contact_index))
        except LetterDoesNotFitError as exc:
            problems.append(str(exc))
        except (TemplateNotFoundError, TemplateError) as exc:
            problems.append(f"  {template_id}: {exc}")
    if problems:
        raise BuildRefusedError(f"{case.source_path}: nothing was written; "
                                f"{len(problems)} of {len(ids)} letter(s) cannot be built:\n"
                                + "\n".join(problems))
    return letters


def output_files(case: Any, letters: list[Letter], formats: list[str],
                 out_dir: Path) -> list[OutputFile]:
    """The bytes of every output file and its path ``DIR/<case stem>/<id>.<format>``,
    kept inside ``out_dir`` whatever the case file is called."""
    stem = re.sub(r"[^A-Za-z0-9._-]+", "-", case.stem).strip(".-") or "case"
    folder = (out_dir / stem).resolve()
    if out_dir.resolve() not in (folder, *folder.parents):
        raise LettergenError(f"output folder {folder} would fall outside {out_dir}")
    files = []
    for letter in letters:
        for fmt in formats:
            files.append(OutputFile(folder / f"{letter.info.id}.{fmt}",
                                    render(letter.document, fmt)))
    return files


def write_files(files: list[OutputFile], force: bool) -> list[Path]:
    existing = [f.path for f in files if f.path.exists()]
    if existing and not force:
        names = "\n".join(f"  {p}" for p in existing)
        raise OutputExistsError(f"nothing was written; these files exist already "
                                f"(add --force to replace them):\n{names}")
    written = []
    for file in files:
        atomic_write(file.path, file.data, overwrite=force)
        written.append(file.path)
    return written


def atomic_write(path: Path, data: bytes, overwrite: bool) -> None:
    """Write ``data`` to ``path`` through a temporary file and a rename. Without
    ``overwrite`` an existing file is never replaced, even one that appeared a moment
    ago (the final step is a hard link, which fails when the name is taken)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        if overwrite:
            os.replace(tmp, path)
            return
        try:
            os.link(tmp, path)
        except FileExistsError:
            raise OutputExistsError(f"{path} exists already (add --force to replace it)") \
                from None
        except OSError:  # a file system without hard links
            if path.exists():
                raise OutputExistsError(f"{path} exists already (add --force to replace it)") \
                    from None
            os.replace(tmp, path)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)


def build(case: Any, ids: list[str], formats: list[str], out_dir: Path,
          packs: tuple[Pack, ...], force: bool = False,
          contact_index: int | None = None,
          on_note: Callable[[str], None] | None = None) -> list[Path]:
    """Render, check and write the letters; returns the written paths. ``on_note``
    receives what a template wants the person building it to know."""
    letters = render_all(case, requested_ids(case, ids), packs, contact_index)
    for letter in letters:
        for text in letter.notes:
            if on_note:
                on_note(f"{letter.info.id}: {text}")
    files = output_files(case, letters, list(dict.fromkeys(formats or DEFAULT_FORMATS)),
                         out_dir)
    return write_files(files, force)
