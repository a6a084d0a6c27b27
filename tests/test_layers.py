"""The package's folders are its layers, and each imports only from the layers before it
(the README's table). A module that reaches forward (the rules table importing a
letter, a case reader importing the build) is how a flat package grows its knots."""

from __future__ import annotations

import re
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "lettergen"
# In order: a layer may import from itself and from those before it. "base" is the
# package's own top-level modules (errors, terminal, safe_read, template_types).
LAYERS = ("base", "case", "rules", "analysis", "packs", "letters", "writers", "output",
          "reports", "cli", "guide")
# The one known exception (README): a letter's facts are part of the case's facts.
ALLOWED = {("lettergen.analysis.facts", "lettergen.letters.letter_facts")}
# The package's front door re-exports the library and the command line.
FRONT = {"lettergen", "lettergen.__main__"}
IMPORT = re.compile(r"^\s*(?:from|import) (lettergen(?:\.\w+)*)", re.M)


def layer_of(module: str) -> str:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 and parts[1] in LAYERS else "base"


def module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def test_every_module_is_in_a_layer_folder_or_the_base():
    top = {p.stem for p in PACKAGE.glob("*.py")}
    assert top <= {"__init__", "__main__", "cli", "errors", "terminal", "safe_read",
                   "template_types"}, f"a module outside the layer folders: {sorted(top)}"


def test_no_module_imports_from_a_later_layer():
    backwards = []
    for path in sorted(PACKAGE.rglob("*.py")):
        here = module_name(path)
        if here in FRONT:
            continue
        for match in IMPORT.finditer(path.read_text("utf-8")):
            there = match.group(1)
            if (here, there) in ALLOWED:
                continue
            if LAYERS.index(layer_of(there)) > LAYERS.index(layer_of(here)):
                backwards.append(f"{here} ({layer_of(here)}) imports {there}")
    assert not backwards, "imports from a later layer:\n" + "\n".join(backwards)


def test_the_checker_sees_a_forward_import():
    assert LAYERS.index(layer_of("lettergen.output.build")) > \
        LAYERS.index(layer_of("lettergen.case.casefile"))
    assert layer_of("lettergen.errors") == "base"
