"""lettergen: letters that fight US medical bills and insurance denials.

The library's public entry points; the CLI (``lettergen.cli``) only parses arguments
and calls these. Imports are lazy so that ``import lettergen`` stays cheap.
"""

from __future__ import annotations

from typing import Any

__version__ = "0.1.0"
__all__ = ["build", "load_case", "open_packs", "render_letter"]


def __getattr__(name: str) -> Any:
    if name == "load_case":
        from lettergen.case.casefile import load_case

        return load_case
    if name == "render_letter":
        from lettergen.letters.render import render_letter

        return render_letter
    if name == "open_packs":
        from lettergen.packs.folder import open_packs

        return open_packs
    if name == "build":
        from lettergen.output.build import build

        return build
    raise AttributeError(f"module 'lettergen' has no attribute {name!r}")
