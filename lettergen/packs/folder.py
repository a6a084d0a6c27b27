"""A template pack as a folder: the built-in one, the packs a user names, and the one
rule every read from a pack obeys (a file must resolve inside the pack's own folder).

This is the packs layer's ground floor: the letters layer finds and reads templates
through it, and a pack's manifest (``manifest.py``) opens the packs it extends with it.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING

from lettergen.errors import TemplateError

if TYPE_CHECKING:
    from lettergen.packs.manifest import Manifest


@dataclass(frozen=True)
class Pack:
    """A folder of templates; ``name`` is shown by ``list`` (the manifest's name, else
    the folder name, or "built-in"); ``manifest`` its ``pack.toml``, when it has one."""

    name: str
    root: Path
    manifest: Manifest | None = field(default=None, compare=False, repr=False)


def builtin_pack() -> Pack:
    """The pack shipped in the wheel (``lettergen/letter_templates``), or, in a source
    checkout, the repository's ``letter_templates/`` folder."""
    installed = resources.files("lettergen").joinpath("letter_templates")
    if installed.is_dir():
        return Pack("built-in", Path(str(installed)))
    return Pack("built-in", Path(__file__).resolve().parents[2] / "letter_templates")


def open_packs(pack_dirs: list[str] | tuple[str, ...] = (), *, user_config: bool = False
               ) -> tuple[Pack, ...]:
    """User packs in the order given (each followed by the packs its ``pack.toml``
    extends), then, with ``user_config``, the packs of the per-user ``config.toml``,
    then the built-in one. A bad manifest raises ``PackError`` with every problem."""
    from lettergen.packs.manifest import user_packs

    return (*user_packs(pack_dirs, user_config=user_config), builtin_pack())


def pack_file(pack: Pack, name: str) -> Path | None:
    """``name`` inside ``pack``, resolved, or None when the pack has no such file.
    A file that resolves outside the pack's folder (a symlink to ``/etc/passwd``, a
    name with ``..``) is refused: a pack may read only its own files."""
    candidate = pack.root / name
    try:
        if not os.path.lexists(candidate):
            return None
        if not candidate.exists():
            raise TemplateError(f"pack {pack.name}, {name}: the file is a link that leads "
                                "nowhere (a missing file, or links in a circle)")
        resolved = candidate.resolve(strict=True)
    except (OSError, RuntimeError) as exc:  # a symlink loop, a name too long
        raise TemplateError(f"pack {pack.name}, {name}: cannot open it ({os_reason(exc)})") \
            from None
    if not resolved.is_relative_to(pack.root):
        raise TemplateError(f"pack {pack.name}, {name}: the file points outside the pack "
                            f"(to {resolved}); a pack may only use files inside its "
                            "own folder")
    return resolved


def os_reason(exc: BaseException) -> str:
    """The operating system's words for a failure ("Permission denied"), else its text."""
    return getattr(exc, "strerror", None) or str(exc) or type(exc).__name__
