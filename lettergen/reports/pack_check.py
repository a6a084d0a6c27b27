"""``lettergen pack check DIR``: everything wrong with a template pack, before anyone
builds a letter with it.

``check_pack`` reads the manifest (``pack_manifest.read_manifest``), then every
template of the pack and of its ``es/`` layer: the front matter, the Jinja syntax (in
the same sandboxed environment that renders letters), each case field a template reads
(``claim.numbr`` gets "did you mean 'number'?", from ``casefields``, the one
declaration of the case file), and each rule it cites (``cite("id")``, ``rule``,
``applies``, ``clock``, ``first_rule``, front matter ``reply_rule``) against the rules
table. Then it renders every letter of the pack against the sample cases: a letter
that refuses a case it does not fit is fine, a template error is not. Every problem
names the file and the line.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

from jinja2 import TemplateSyntaxError, nodes

from lettergen.case.toml_hints import suggest
from lettergen.errors import LetterDoesNotFitError, LettergenError, PackError
from lettergen.packs.manifest import MANIFEST, Manifest, ManifestError, key_lines
from lettergen.terminal import visible

__all__ = ["LetterSummary", "PackReport", "check_pack", "sample_case_paths"]

_ID = re.compile(r"[a-z0-9][a-z0-9-]*")
_RULE_FUNCTIONS = ("cite", "rule", "applies", "clock")
_FRONT_KEY = re.compile(r"`([a-z_]+)`")
LAYERS = ("", "es/")  # the English root and the Spanish layer


@dataclass
class LetterSummary:
    """One letter of the pack: the case fields it needs (front matter) and reads (its
    own file), and how it fared against the sample cases."""

    id: str
    file: str
    needs: tuple[str, ...] = ()
    uses: list[str] = field(default_factory=list)
    built: int = 0
    refused: int = 0


@dataclass
class PackReport:
    """What ``check_pack`` found. ``errors`` make ``pack check`` exit 1."""

    root: Path
    manifest: Manifest | None = None
    errors: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    letters: list[LetterSummary] = field(default_factory=list)
    parts: list[str] = field(default_factory=list)  # shared parts (partials) the pack holds
    cases: int = 0
    others_rendered: int = 0  # letters of other packs rendered with this pack's parts

    @property
    def ok(self) -> bool:
        return not self.errors

    def as_text(self) -> str:
        """The summary ``pack check`` prints."""
        name = self.manifest.label if self.manifest else self.root.name
        out = [f"pack {name} ({visible(str(self.root))})"]
        if self.manifest:
            out.append(f"  languages: {', '.join(self.manifest.languages)}; stands in front "
                       f"of {self.manifest.extends}")
        rendered = (f"rendered against {self.cases} sample case(s)" if self.cases else
                    "not rendered (fix the errors first)" if self.errors else "not rendered")
        out.append(f"  {len(self.letters)} letter(s), {len(self.parts)} shared part(s); "
                   f"{rendered}")
        for letter in self.letters:
            built = (f"built for {letter.built} case(s), {letter.refused} did not fit"
                     if self.cases else "")
            out.append(f"  {letter.file}{': ' if built else ''}{built}")
            out.append(f"      needs: {', '.join(letter.needs) or 'nothing beyond the required'}")
            if letter.uses:
                out.append(f"      reads: {', '.join(letter.uses)}")
        if self.others_rendered:
            out.append(f"  {self.others_rendered} letter(s) of the packs behind it rendered "
                       "with this pack's shared parts")
        for warning in self.warnings:
            out.append(f"  warning: {warning}")
        if self.errors:
            out.append(f"  {len(self.errors)} error(s):")
            out += [f"  - {e}" for e in self.errors]
        else:
            out.append("  no errors")
        return "\n".join(out)


# --- the sample cases ------------------------------------------------------------------------


def sample_case_paths() -> list[Path]:
    """The sample cases letters are rendered against: the ``examples/`` folder the
    package ships (``lettergen/examples`` when installed), and, in a source checkout,
    the repository's ``examples/*.toml``."""
    found: list[Path] = []
    installed = resources.files("lettergen").joinpath("examples")
    folders = [Path(str(installed)), Path(__file__).resolve().parents[2] / "examples"]
    for folder in folders:
        if folder.is_dir():
            found += [p for p in sorted(folder.glob("*.toml")) if p.resolve() not in
                      {f.resolve() for f in found}]
    return found


# --- the pack's files ------------------------------------------------------------------------


def _pack_files(root: Path) -> Iterator[tuple[str, bool]]:
    """(name inside the pack, is a letter) for every template of the pack: letters
    ``<id>.md`` and shared parts (``_layout.md``, ``_partials/**.md``), in the English
    root and the ``es/`` layer."""
    for layer in LAYERS:
        base = root / layer if layer else root
        if not base.is_dir():
            continue
        for path in sorted(base.glob("*.md")):
            if _ID.fullmatch(path.stem):
                yield f"{layer}{path.name}", True
            elif path.name.startswith("_"):
                yield f"{layer}{path.name}", False
        for folder in sorted(p for p in base.iterdir() if p.name.startswith("_")
                             and p.is_dir()):
            for path in sorted(folder.rglob("*.md")):
                yield f"{layer}{path.relative_to(base).as_posix()}", False


def front_matter(text: str) -> str:
    """The lines of a template up to the end of its front matter (its ``+++`` lines
    and the TOML between them), for finding the line of a front-matter key."""
    lines = text.splitlines()
    end = next((i for i, line in enumerate(lines[1:], start=1) if line.startswith("+++")),
               len(lines))
    return "\n".join(lines[:end])


# --- what a template reads --------------------------------------------------------------------


def _chain(node: Any) -> tuple[str, list[tuple[str, int]]] | None:
    """``claim.number`` as ("claim", [("number", line)]); None for anything else."""
    attrs: list[tuple[str, int]] = []
    while isinstance(node, nodes.Getattr):
        attrs.append((node.attr, node.lineno))
        node = node.node
    if not isinstance(node, nodes.Name):
        return None
    return node.name, list(reversed(attrs))


def _names(node: Any) -> list[Any]:
    return [node] if isinstance(node, nodes.Name) else list(node.find_all(nodes.Name))


def _getattrs(node: Any) -> Iterator[Any]:
    if isinstance(node, nodes.Getattr):
        yield node
    yield from node.find_all(nodes.Getattr)


def _declared(path: str) -> Any:
    from lettergen.case.casefields import field_at

    return field_at(path)


def _children(path: str) -> list[str]:
    found = _declared(path)
    return [f.name for f in getattr(found, "fields", ())]


def _is_container(declared: Any) -> bool:
    """A table, a table of tables or an inline table: something with fields."""
    return bool(getattr(declared, "fields", ()))


class _Reader:
    """Walks one template's syntax tree for the case fields and rules it uses."""

    def __init__(self, tree: nodes.Template):
        from lettergen.case.casefields import TABLES_BY_NAME

        shadowed: set[str] = set()  # a table name the template sets itself
        for node in tree.find_all((nodes.Assign, nodes.AssignBlock, nodes.For)):
            shadowed.update(n.name for n in _names(node.target))
        for macro in tree.find_all((nodes.Macro, nodes.CallBlock)):
            shadowed.update(arg.name for arg in macro.args)
        self.tables = {t: t for t in TABLES_BY_NAME if t not in shadowed}
        self.tree = tree

    def _path(self, node: Any, roots: dict[str, str]) -> str:
        chain = _chain(node)
        if chain is None or chain[0] not in roots:
            return ""
        path = roots[chain[0]]
        for attr, _ in chain[1]:
            if not _is_container(_declared(path)):
                return ""
            path = f"{path}.{attr}"
        return path if _declared(path) is not None else ""

    def _scopes(self) -> Iterator[tuple[dict[str, str], list[Any]]]:
        """(names that stand for a case table, the nodes where they do): the tables
        everywhere, and a loop's variable inside its loop ({% for c in charges %})."""
        yield self.tables, [self.tree]
        for loop in self.tree.find_all(nodes.For):
            if not isinstance(loop.target, nodes.Name):
                continue
            path = self._path(loop.iter, self.tables)
            if path and _is_container(_declared(path)):
                yield {loop.target.name: path}, [*loop.body, *([loop.test] if loop.test
                                                               else [])]

    def fields(self) -> tuple[list[str], list[tuple[int, str]]]:
        """(case fields read, in order; problems as (line, message))."""
        used: list[str] = []
        problems: list[tuple[int, str]] = []
        seen: set[tuple[int, str]] = set()
        for roots, where in self._scopes():
            for node in (g for top in where for g in _getattrs(top)):
                chain = _chain(node)
                if chain is None or chain[0] not in roots:
                    continue
                path = roots[chain[0]]
                for attr, line in chain[1]:
                    if not _is_container(_declared(path)):
                        break  # a method or attribute of a value ("text".upper)
                    known = _children(path)
                    if attr not in known:
                        if (line, f"{path}.{attr}") not in seen:
                            seen.add((line, f"{path}.{attr}"))
                            problems.append((line, _unknown_field(chain[0], path, attr,
                                                                  known)))
                        break
                    path = f"{path}.{attr}"
                    if path not in used and not _is_container(_declared(path)):
                        used.append(path)
        return used, sorted(problems)

    def rules(self) -> list[tuple[int, str, str]]:
        """(line, function, rule id) for every rule the template names."""
        found = []
        for call in self.tree.find_all(nodes.Call):
            if not isinstance(call.node, nodes.Name) or not call.args:
                continue
            first = call.args[0]
            if call.node.name in _RULE_FUNCTIONS and isinstance(first, nodes.Const) \
                    and isinstance(first.value, str):
                found.append((call.lineno, call.node.name, first.value))
            elif call.node.name == "first_rule" and isinstance(first, (nodes.List,
                                                                       nodes.Tuple)):
                found += [(call.lineno, "first_rule", item.value) for item in first.items
                          if isinstance(item, nodes.Const) and isinstance(item.value, str)]
        return found


def _unknown_field(name: str, path: str, attr: str, known: list[str]) -> str:
    shown = f"{name}.{attr}"
    table = path.split(".")[0]
    close = suggest(attr, known)
    hint = f"did you mean '{close}'?" if close else \
        f"the keys of {path} are {', '.join(known)}"
    where = f"[{table}]" if path == table else f"{path}"
    return f"{shown}: the case file has no key '{attr}' in {where}; {hint}"


# --- the check --------------------------------------------------------------------------------


def check_pack(folder: str | Path, cases: Sequence[str | Path] | None = None) -> PackReport:
    """Check the pack in ``folder``; ``cases`` the sample case files to render its
    letters against (default: ``sample_case_paths()``)."""
    from lettergen.case.casefile import load_case
    from lettergen.letters.templates import (
        _meta_problems,
        _template_info,
        environment,
        read_pack_text,
        split_front_matter,
    )
    from lettergen.packs.folder import Pack, builtin_pack, open_packs, pack_file
    from lettergen.rules.table import all_rules

    root = Path(folder).expanduser()
    if not root.is_dir():
        raise PackError(f"{visible(str(folder))}: no such folder (pack check needs the "
                        "folder of a template pack)")
    root = root.resolve()
    report = PackReport(root)
    try:
        packs = open_packs([str(root)])
    except ManifestError as exc:  # the templates are still checked, without the manifest
        report.errors += exc.problems
        packs = (Pack(root.name, root), builtin_pack())
    except PackError as exc:
        report.errors.append(str(exc))
        packs = (Pack(root.name, root), builtin_pack())
    pack = packs[0]
    report.manifest = pack.manifest
    if pack.manifest is None and not report.errors:
        report.errors.append(f"{MANIFEST}: the pack has no manifest; write one (lettergen pack "
                             "new shows how) with [pack] name and version")
    languages = pack.manifest.languages if pack.manifest else ("en",)
    rules = all_rules()
    letters: list[tuple[str, Any]] = []  # (name in the pack, TemplateInfo)
    for name, is_letter in _pack_files(root):
        language = "es" if name.startswith("es/") else "en"
        try:
            path = pack_file(pack, name)
            text = read_pack_text(pack, path) if path else ""
            meta, body = split_front_matter(text, path or root / name)
        except LettergenError as exc:
            report.errors.append(_plain(str(exc), pack))
            continue
        if not is_letter:
            report.parts.append(name)
        else:
            problems = _meta_problems(meta) if meta else ["has no front matter between +++ "
                                                          "lines"]
            for problem in problems:
                key = _FRONT_KEY.search(problem)
                line = key_lines(front_matter(text)).get((key[1],), 1) if key else 1
                report.errors.append(f"{name}, line {line}: front matter: {problem}")
            if not problems:
                stem = Path(name).stem
                letters.append((name, _template_info(stem, pack, path, language)))
        try:
            tree = environment(packs, language).parse(body, name, str(path))
        except TemplateSyntaxError as exc:
            report.errors.append(f"{name}, line {exc.lineno}: template syntax error: "
                                 f"{exc.message}")
            continue
        reader = _Reader(tree)
        used, problems = reader.fields()
        report.errors += [f"{name}, line {line}: {message}" for line, message in problems]
        for line, function, rule_id in reader.rules():
            if rule_id not in rules:
                close = suggest(rule_id, rules)
                hint = f"; did you mean '{close}'?" if close else ""
                report.errors.append(f"{name}, line {line}: {function}(\"{rule_id}\"): the "
                                     f"rules table has no rule '{rule_id}'{hint}")
        if is_letter and letters and letters[-1][0] == name:
            info = letters[-1][1]
            report.letters.append(LetterSummary(info.id, name, info.needs, used))
    _language_warnings(report, root, languages)
    if report.errors:
        return report
    _render(report, packs, letters, [load_case(p) for p in
                                      (cases if cases is not None else sample_case_paths())])
    return report


def _plain(message: str, pack: Any) -> str:
    """A template error without its "pack NAME, " prefix (the report names the pack)."""
    prefix = f"pack {pack.name}, "
    return message[len(prefix):] if message.startswith(prefix) else message


def _language_warnings(report: PackReport, root: Path, languages: Sequence[str]) -> None:
    names = [name for name, _ in _pack_files(root)]
    spanish = [n for n in names if n.startswith("es/")]
    if "es" in languages:
        for name in names:
            if any(part.startswith("_") for part in name.split("/")):
                if not name.startswith("es/") and f"es/{name}" not in names:
                    report.warnings.append(
                        f"{name} overrides a shared part in English only, while [pack] "
                        f"languages lists \"es\": Spanish letters still get the part behind "
                        f"this pack; add es/{name} with the same change in Spanish")
    elif spanish:
        report.warnings.append(f"the pack has an es/ layer ({len(spanish)} file(s)) but [pack] "
                               "languages does not list \"es\"; add it: languages = "
                               "[\"en\", \"es\"]")


def _render(report: PackReport, packs: tuple[Any, ...], letters: list[tuple[str, Any]],
            cases: list[Any]) -> None:
    """Render each letter of the pack against every case; with shared parts of its own,
    also each letter of the packs behind it against the first case it fits."""
    from lettergen.letters.render import render_info
    from lettergen.letters.templates import list_templates

    report.cases = len(cases)
    summaries = {s.file: s for s in report.letters}
    for name, info in letters:
        summary = summaries[name]
        broken = False
        for case in cases:
            outcome = _try(report, packs, info, case, render_info)
            summary.built += outcome == "built"
            summary.refused += outcome == "refused"
            broken = broken or outcome == "error"
        if summary.built == 0 and not broken:
            report.warnings.append(f"{name}: no sample case builds this letter; check it with "
                                   "a case of your own (lettergen build CASE --pack ...)")
    if not report.parts:
        return
    own = {info.id for _, info in letters}
    for info in list_templates(packs):
        if info.id in own or info.pack.root == report.root:
            continue
        for case in cases:
            outcome = _try(report, packs, info, case, render_info)
            if outcome != "refused":
                report.others_rendered += outcome == "built"
                break


def _try(report: PackReport, packs: tuple[Any, ...], info: Any, case: Any, render: Any) -> str:
    try:
        render(case, info, packs)
    except LetterDoesNotFitError:
        return "refused"
    except LettergenError as exc:  # each error once, with the first case that shows it
        error = _plain(str(exc), info.pack)
        if not any(e.endswith(f": {error}") for e in report.errors):
            report.errors.append(f"{info.id} with sample case {case.stem}: {error}")
        return "error"
    return "built"
