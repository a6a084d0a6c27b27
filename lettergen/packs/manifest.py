"""A pack's manifest (``pack.toml``), the per-user config, and the order of the packs.

``pack.toml`` names the pack and says how its letters look::

    [pack]                 name, version (required); description, authors, license,
                           languages (default ["en"]), extends (default "built-in")
    [style]                font, font_size, margins, footer, reference_docx
    [style.letterhead]     organization, address, phone, email, website, logo, logo_width

It is checked as strictly as a case file: an unknown key gets "did you mean", a wrong
type names the key and the value, and every problem is reported at once, each with
``pack.toml, line N``. A pack is untrusted data: every file it names (logo,
reference_docx) and the folder it extends must resolve inside the pack (no ``..``, no
absolute path, no link out); a file is read once, size-limited, and its first bytes
checked (PNG or JPEG, a zip holding a Word document).

The per-user config (``config.toml`` in ``platformdirs.user_config_dir("lettergen")``,
or in ``$LETTERGEN_CONFIG_DIR``) lists packs to use on every run: ``packs = [...]``.
Packs from ``--pack`` stand in front of the config's packs, which stand in front of the
built-in one.
"""

from __future__ import annotations

import io
import os
import re
import tomllib
import zipfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from typing import Any

from lettergen.case.toml_hints import explain, suggest
from lettergen.errors import PackError, TemplateError
from lettergen.packs.style import DEFAULT_STYLE, Letterhead, Style
from lettergen.safe_read import UnreadableFile, read_limited
from lettergen.terminal import visible

__all__ = ["CONFIG_ENV", "MANIFEST", "Manifest", "ManifestError", "config_path", "effective_style",
           "read_config", "read_manifest", "user_packs"]

MANIFEST = "pack.toml"
CONFIG_ENV = "LETTERGEN_CONFIG_DIR"
CONFIG_FILE = "config.toml"
BUILT_IN = "built-in"
BUILT_IN_NAME = "lettergen built-in"

MAX_MANIFEST_BYTES = 64_000  # a real manifest is under 2 KB
MAX_LOGO_BYTES = 1024 * 1024  # 1 MB
MAX_REFERENCE_BYTES = 5 * 1024 * 1024  # 5 MB
MAX_TEXT = 500  # one text value of the manifest (a footer, a description)
LANGUAGES = ("en", "es")
FONTS = ("serif", "sans")

_PNG = b"\x89PNG\r\n\x1a\n"
_JPEG = b"\xff\xd8\xff"
_ZIP = b"PK\x03\x04"
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")
_VERSION = re.compile(r"[0-9A-Za-z][0-9A-Za-z.+_-]{0,39}")
_AT = re.compile(r"\s*\(at line (\d+), column (\d+)\)$")

class ManifestError(PackError):
    """A ``pack.toml`` (or the per-user ``config.toml``) with problems: ``problems``
    holds each, as "pack.toml, line N: [table] key: what is wrong"."""

    def __init__(self, message: str, problems: list[str]):
        super().__init__(message)
        self.problems = list(problems)


# The keys of each table: a short description of the value, shown with "the keys are".
KEYS: dict[str, tuple[str, ...]] = {
    "pack": ("name", "version", "description", "authors", "license", "languages",
             "extends"),
    "style": ("font", "font_size", "margins", "footer", "reference_docx", "letterhead"),
    "style.letterhead": ("organization", "address", "phone", "email", "website", "logo",
                         "logo_width"),
}
_SIDES = ("top", "right", "bottom", "left")


@dataclass(frozen=True)
class Manifest:
    """What a pack's ``pack.toml`` says: who made it, its languages, the pack it stands
    in front of (``extends``: "built-in", or a folder inside this pack, resolved as
    ``extends_root``), and its ``style`` with the style keys it sets (``style_keys``,
    names of ``Style`` fields: the front-most pack that sets a key wins)."""

    name: str
    version: str
    description: str = ""
    authors: tuple[str, ...] = ()
    license: str = ""
    languages: tuple[str, ...] = ("en",)
    extends: str = BUILT_IN
    style: Style = field(default=DEFAULT_STYLE, compare=False, repr=False)
    style_keys: frozenset[str] = frozenset()
    extends_root: Path | None = field(default=None, compare=False, repr=False)
    extends_line: int = 0

    @property
    def label(self) -> str:
        """"Central Texas Health Advocates 1.2.0": the pack as ``list`` shows it."""
        return f"{self.name} {self.version}"


# --- where a key is in the text -----------------------------------------------------------

_STRINGS = re.compile(r'"(?:[^"\\\n]|\\.)*"|\'[^\'\n]*\'')
_HEADER = re.compile(r"^\s*\[\[?\s*([^\[\]]+?)\s*\]\]?\s*$")
_KEY = re.compile(r"^\s*([A-Za-z0-9_\-.\"' ]+?)\s*=")
_INLINE_KEY = re.compile(r"[{,]\s*([A-Za-z0-9_\-]+)\s*=")


def _parts(dotted: str) -> tuple[str, ...]:
    return tuple(p.strip().strip("\"'") for p in dotted.split("."))


def key_lines(text: str) -> dict[tuple[str, ...], int]:
    """The line (1-based) of each table header and key of a TOML text, by its path
    (``("style", "letterhead", "logo")``). Keys of an inline table on one line get that
    line. Good enough for messages: lines inside a multi-line string or array are skipped."""
    found: dict[tuple[str, ...], int] = {}
    table: tuple[str, ...] = ()
    depth = 0  # open brackets of a value that spans lines
    in_string = False
    for number, raw in enumerate(text.splitlines(), start=1):
        if raw.count('"""') % 2 or raw.count("'''") % 2:
            in_string = not in_string
            if not in_string:
                continue
        if in_string:
            continue
        line = _STRINGS.sub('""', raw).split("#", 1)[0]
        if depth == 0:
            header = _HEADER.match(line)
            if header:
                table = _parts(header[1])
                found.setdefault(table, number)
                continue
            key = _KEY.match(line)
            if key:
                path = table + _parts(key[1])
                found.setdefault(path, number)
                for inner in _INLINE_KEY.findall(line):
                    found.setdefault(path + (inner,), number)
        depth = max(0, depth + line.count("[") + line.count("{") - line.count("]")
                    - line.count("}"))
    return found


class _Problems:
    """Problems of one TOML file, each placed at the line of its key."""

    def __init__(self, file: str, text: str):
        self.file = file
        self.lines = key_lines(text)
        self.items: list[tuple[int, str]] = []

    def line(self, path: tuple[str, ...]) -> int:
        while path:
            if path in self.lines:
                return self.lines[path]
            path = path[:-1]
        return 1

    def add(self, path: tuple[str, ...], message: str, line: int | None = None) -> None:
        where = _where(path)
        at = line or self.line(path)
        self.items.append((at, f"{self.file}, line {at}: {where}{': ' if where else ''}"
                               f"{message}"))

    def messages(self) -> list[str]:
        return [m for _, m in sorted(self.items, key=lambda item: item[0])]


def _where(path: tuple[str, ...]) -> str:
    if not path:
        return ""
    if len(path) == 1:
        return f"[{path[0]}]"
    return f"[{'.'.join(path[:-1])}] {path[-1]}"


def _shown(value: Any) -> str:
    if isinstance(value, str):
        text = '"' + value[:60] + ('..."' if len(value) > 60 else '"')
    elif isinstance(value, bool):
        text = "true" if value else "false"
    elif isinstance(value, dict):
        text = "a table"
    elif isinstance(value, list):
        text = "a list" if value else "[]"
    else:
        text = str(value)
    return visible(text)


def _hint(key: str, known: Iterable[str]) -> str:
    known = list(known)
    close = suggest(key, known)
    if close:
        return f"; did you mean '{close}'?"
    return f"; the keys are {', '.join(known)}"


# --- reading TOML ---------------------------------------------------------------------------


def _read_toml(path: Path, file: str, limit: int) -> tuple[str, dict[str, Any]]:
    """The text and data of a TOML file, or ``PackError`` naming it with the line and
    column where the reader stopped."""
    try:
        data = read_limited(path, limit)
    except UnreadableFile as exc:
        raise PackError(f"{visible(str(path))}: {exc}") from None
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise PackError(f"{visible(str(path))}: {file}, line {line}: the file is not UTF-8 "
                        "text; save it as UTF-8") from None
    try:
        return text, tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        at = _AT.search(str(exc))
        line, column = (int(at[1]), int(at[2])) if at else (None, None)
        where = f"{file}, line {line}, column {column}" if at else file
        if "(at end of document)" in str(exc):
            where = f"{file}, end of file"
        message = _AT.sub("", str(exc)).replace(" (at end of document)", "")
        raise PackError(f"{visible(str(path))}: {where}: not valid TOML: "
                        + explain(text, line, column, message)) from None
    except RecursionError:
        raise PackError(f"{visible(str(path))}: {file}: brackets are nested too deeply") \
            from None


# --- checking values ------------------------------------------------------------------------


def _text(problems: _Problems, path: tuple[str, ...], value: Any, *, required: bool = False,
          example: str = "...") -> str:
    if not isinstance(value, str):
        problems.add(path, f"expected text in quotes, such as {path[-1]} = \"{example}\", "
                           f"got {_shown(value)}")
        return ""
    if required and not value.strip():
        problems.add(path, f"is empty; write it, such as {path[-1]} = \"{example}\"")
    elif len(value) > MAX_TEXT:
        problems.add(path, f"is {len(value):,} characters long; the limit is {MAX_TEXT}")
    elif _CONTROL.search(value):
        problems.add(path, "contains a control character; remove it")
    return value.strip()


def _texts(problems: _Problems, path: tuple[str, ...], value: Any, example: str) -> tuple[str, ...]:
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        problems.add(path, f"expected a list of text, such as {path[-1]} = [\"{example}\"], "
                           f"got {_shown(value)}")
        return ()
    if len(value) > 20:
        problems.add(path, f"has {len(value)} items; the limit is 20")
        return ()
    out = []
    for index, item in enumerate(value, start=1):
        if len(item) > MAX_TEXT or _CONTROL.search(item):
            problems.add(path, f"item {index} is too long or holds a control character")
        out.append(item.strip())
    return tuple(out)


def _number(problems: _Problems, path: tuple[str, ...], value: Any, low: float, high: float,
            unit: str) -> float | None:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        problems.add(path, f"expected a number of {unit} from {low:g} to {high:g}, such as "
                           f"{path[-1]} = {low + (high - low) / 4:g}, got {_shown(value)}")
        return None
    if not low <= value <= high:
        problems.add(path, f"{value:g} {unit} is outside {low:g} to {high:g}")
        return None
    return float(value)


def _unknown(problems: _Problems, table: str, data: dict[str, Any]) -> None:
    path = tuple(table.split("."))
    for key in data:
        if key not in KEYS[table]:
            problems.add(path + (key,), f"unknown key{_hint(key, KEYS[table])}")


def _relative(problems: _Problems, path: tuple[str, ...], value: str) -> bool:
    """Whether a path the manifest names may be looked up inside the pack."""
    if not value:
        problems.add(path, "is empty; name a file inside the pack, such as \"logo.png\"")
        return False
    if value.startswith(("/", "\\", "~")) or re.match(r"^[A-Za-z]:", value):
        problems.add(path, f"{_shown(value)} is an absolute path; name the file relative to "
                           "the pack's folder (a pack may only use its own files)")
        return False
    if "\\" in value:
        problems.add(path, f"{_shown(value)}: write folders with / (word/reference.docx)")
        return False
    if ".." in value.split("/"):
        problems.add(path, f"{_shown(value)} leads out of the pack with ..; a pack may only "
                           "use files inside its own folder: copy the file into the pack")
        return False
    return True


def _pack_path(problems: _Problems, root: Path, path: tuple[str, ...], value: str
               ) -> Path | None:
    """The resolved path of a file or folder the manifest names, inside the pack."""
    from lettergen.packs.folder import Pack, pack_file

    if not _relative(problems, path, value):
        return None
    try:
        found = pack_file(Pack(root.name, root), value)
    except TemplateError as exc:
        reason = str(exc).split(": ", 1)[-1]
        problems.add(path, f"{_shown(value)}: {reason}")
        return None
    if found is None:
        problems.add(path, f"{_shown(value)} is not in the pack (looked for "
                           f"{visible(str(root / value))})")
    return found


def _pack_bytes(problems: _Problems, root: Path, path: tuple[str, ...], value: str,
                limit: int) -> bytes | None:
    found = _pack_path(problems, root, path, value)
    if found is None:
        return None
    try:
        return read_limited(found, limit)
    except UnreadableFile as exc:
        problems.add(path, f"{_shown(value)}: {exc}")
        return None


def _logo(problems: _Problems, root: Path, value: Any) -> tuple[bytes | None, str]:
    path = ("style", "letterhead", "logo")
    value = _text(problems, path, value, example="logo.png")
    data = _pack_bytes(problems, root, path, value, MAX_LOGO_BYTES) if value else None
    if data is None:
        return None, ""
    if data.startswith(_PNG):
        return data, "png"
    if data.startswith(_JPEG):
        return data, "jpeg"
    problems.add(path, f"{_shown(value)} is not a PNG or JPEG image (its first bytes say "
                       "otherwise); save the logo as PNG or JPEG")
    return None, ""


def _reference_docx(problems: _Problems, root: Path, value: Any) -> bytes | None:
    path = ("style", "reference_docx")
    value = _text(problems, path, value, example="word/reference.docx")
    data = _pack_bytes(problems, root, path, value, MAX_REFERENCE_BYTES) if value else None
    if data is None:
        return None
    bad = f"{_shown(value)} is not a Word document (.docx); save it from Word as .docx"
    if not data.startswith(_ZIP):
        problems.add(path, bad)
        return None
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = set(archive.namelist())
    except (zipfile.BadZipFile, ValueError, OSError):
        problems.add(path, bad)
        return None
    if "word/document.xml" not in names:
        problems.add(path, bad)
        return None
    return data


def _margins(problems: _Problems, value: Any) -> tuple[float, float, float, float] | None:
    path = ("style", "margins")
    if isinstance(value, dict):
        for key in value:
            if key not in _SIDES:
                problems.add(path + (key,), f"unknown key{_hint(key, _SIDES)}")
        missing = [s for s in _SIDES if s not in value]
        if missing:
            problems.add(path, f"gives no {', '.join(missing)}: give all four sides, such as "
                               "margins = {top = 1.0, right = 1.0, bottom = 1.0, left = 1.0}")
        sides = [_number(problems, path + (s,), value[s], 0.5, 2, "inches")
                 for s in _SIDES if s in value]
        if missing or None in sides:
            return None
        return (sides[0], sides[1], sides[2], sides[3])  # type: ignore[return-value]
    number = _number(problems, path, value, 0.5, 2, "inches")
    return None if number is None else (number,) * 4


def _style(problems: _Problems, root: Path, data: Any) -> tuple[Style, frozenset[str]]:
    if not isinstance(data, dict):
        problems.add(("style",), "must be a table: a line [style] with its keys below it")
        return DEFAULT_STYLE, frozenset()
    _unknown(problems, "style", data)
    values: dict[str, Any] = {}
    if "font" in data:
        font = data["font"]
        if font in FONTS:
            values["font"] = font
        else:
            problems.add(("style", "font"), f"expected one of {', '.join(FONTS)} (the fonts "
                                            f"lettergen ships), got {_shown(font)}")
    if "font_size" in data:
        size = _number(problems, ("style", "font_size"), data["font_size"], 9, 14, "points")
        if size is not None:
            values["font_size_pt"] = size
    if "margins" in data:
        margins = _margins(problems, data["margins"])
        if margins is not None:
            values["margins_in"] = margins
    if "footer" in data:
        values["footer"] = _text(problems, ("style", "footer"), data["footer"],
                                 example="Our organization · (512) 555-0100")
    if "reference_docx" in data:
        reference = _reference_docx(problems, root, data["reference_docx"])
        if reference is not None:
            values["reference_docx"] = reference
    if "letterhead" in data:
        values["letterhead"] = _letterhead(problems, root, data["letterhead"])
    return replace(DEFAULT_STYLE, **values), frozenset(values)


def _letterhead(problems: _Problems, root: Path, data: Any) -> Letterhead:
    path = ("style", "letterhead")
    if not isinstance(data, dict):
        problems.add(path, "must be a table: a line [style.letterhead] with its keys below it")
        return Letterhead()
    _unknown(problems, "style.letterhead", data)
    values: dict[str, Any] = {}
    for key, example in (("organization", "Central Texas Health Advocates"),
                         ("phone", "(512) 555-0100"), ("email", "help@example.org"),
                         ("website", "https://example.org")):
        if key in data:
            values[key] = _text(problems, path + (key,), data[key], example=example)
    if "address" in data:
        values["address"] = _texts(problems, path + ("address",), data["address"],
                                   "500 Congress Avenue, Suite 200")
    if "logo" in data:
        values["logo"], values["logo_type"] = _logo(problems, root, data["logo"])
    if "logo_width" in data:
        width = _number(problems, path + ("logo_width",), data["logo_width"], 0.5, 3, "inches")
        if width is not None:
            values["logo_width_in"] = width
    if not (values.get("organization") or values.get("logo")):
        problems.add(path, "gives neither organization nor logo: a letterhead needs at least "
                           "one of them")
    return Letterhead(**values)


def _pack_table(problems: _Problems, root: Path, data: Any) -> dict[str, Any]:
    path = ("pack",)
    if not isinstance(data, dict):
        problems.add(path, "must be a table: a line [pack] with name and version below it")
        return {}
    _unknown(problems, "pack", data)
    out: dict[str, Any] = {}
    for key, example in (("name", "Central Texas Health Advocates"), ("version", "1.0.0")):
        if key not in data:
            problems.add(path, f"lacks {key}, which is required: add {key} = \"{example}\" "
                               "below [pack]")
            continue
        out[key] = _text(problems, path + (key,), data[key], required=True, example=example)
    version = out.get("version")
    if version and not _VERSION.fullmatch(version):
        problems.add(path + ("version",), f"{_shown(version)} is not a version; write it such "
                                          "as version = \"1.2.0\"")
    for key, example in (("description", "Letters on our letterhead."),
                         ("license", "CC-BY-4.0")):
        if key in data:
            out[key] = _text(problems, path + (key,), data[key], example=example)
    if "authors" in data:
        out["authors"] = _texts(problems, path + ("authors",), data["authors"],
                                "Ana Ruiz <ana@example.org>")
    if "languages" in data:
        languages = _texts(problems, path + ("languages",), data["languages"], "en")
        odd = [code for code in languages if code not in LANGUAGES]
        if odd:
            problems.add(path + ("languages",), f"{', '.join(map(_shown, odd))}: lettergen has "
                                                f"letters in {', '.join(LANGUAGES)} only")
        elif not languages and isinstance(data["languages"], list):
            problems.add(path + ("languages",), "is empty; list the languages of the pack's "
                                                "templates, such as languages = [\"en\"]")
        elif len(set(languages)) != len(languages):
            problems.add(path + ("languages",), "names a language twice")
        else:
            out["languages"] = languages
    if "extends" in data:
        extends = _text(problems, path + ("extends",), data["extends"], example=BUILT_IN)
        out["extends"] = extends or BUILT_IN
        if extends and extends != BUILT_IN:
            found = _pack_path(problems, root, path + ("extends",), extends)
            if found is not None and not found.is_dir():
                problems.add(path + ("extends",), f"{_shown(extends)} is not a folder; name "
                                                  f"\"{BUILT_IN}\" or a pack folder inside "
                                                  "this pack")
            elif found is not None:
                out["extends_root"] = found
        out["extends_line"] = problems.line(path + ("extends",))
    return out


def read_manifest(root: Path) -> Manifest | None:
    """The manifest of the pack in folder ``root`` (resolved), or None when it has no
    ``pack.toml``. Raises ``PackError`` listing every problem, each with its line."""
    path = root / MANIFEST
    if not os.path.lexists(path):
        return None
    from lettergen.packs.folder import Pack, pack_file

    try:
        resolved = pack_file(Pack(root.name, root), MANIFEST)
    except TemplateError as exc:
        raise PackError(f"{visible(str(path))}: {str(exc).split(': ', 1)[-1]}") from None
    assert resolved is not None
    text, data = _read_toml(resolved, MANIFEST, MAX_MANIFEST_BYTES)
    problems = _Problems(MANIFEST, text)
    for table in data:
        if table not in ("pack", "style"):
            problems.add((table,), f"unknown table{_hint(table, ('pack', 'style'))}")
    if "pack" not in data:
        problems.add((), "has no [pack] table; a manifest starts with [pack] and its required "
                         "name and version")
    pack = _pack_table(problems, root, data["pack"]) if "pack" in data else {}
    style, keys = (_style(problems, root, data["style"]) if "style" in data
                   else (DEFAULT_STYLE, frozenset()))
    if problems.items:
        raise ManifestError(_report(path, problems.messages()), problems.messages())
    return Manifest(style=style, style_keys=keys, **pack)


def _report(path: Path, messages: list[str]) -> str:
    head = (f"{visible(str(path))}: the pack's manifest has {len(messages)} problems"
            if len(messages) > 1 else f"{visible(str(path))}: the pack's manifest has a problem")
    return "\n".join([head, *(f"  - {m}" for m in messages)])


# --- the style of several packs -------------------------------------------------------------


def effective_style(packs: Sequence[Any]) -> Style:
    """The style of letters built with ``packs`` (front first): for each style key the
    front-most pack that sets it wins; the pack recorded in the files is the front-most
    pack with a manifest, else lettergen's built-in pack and version."""
    from lettergen import __version__

    values: dict[str, Any] = {}
    named: Manifest | None = None
    for pack in packs:
        manifest = getattr(pack, "manifest", None)
        if manifest is None:
            continue
        named = named or manifest
        for key in manifest.style_keys:
            values.setdefault(key, getattr(manifest.style, key))
    if named is None:
        values.update(pack_name=BUILT_IN_NAME, pack_version=__version__)
    else:
        values.update(pack_name=named.name, pack_version=named.version)
    known = {f.name for f in fields(Style)}
    return replace(DEFAULT_STYLE, **{k: v for k, v in values.items() if k in known})


# --- the per-user config --------------------------------------------------------------------


def config_dir() -> Path:
    """Where ``config.toml`` lives: ``$LETTERGEN_CONFIG_DIR``, else the platform's
    per-user config folder (``~/.config/lettergen`` on Linux)."""
    chosen = os.environ.get(CONFIG_ENV)
    if chosen:
        return Path(chosen).expanduser()
    import platformdirs

    return Path(platformdirs.user_config_dir("lettergen", appauthor=False))


def config_path() -> Path:
    return config_dir() / CONFIG_FILE


CONFIG_KEYS = ("packs",)


def read_config() -> tuple[Path, ...]:
    """The pack folders the per-user config lists, resolved (a relative path from the
    config's folder; ``~`` is the home folder). No config file: none. A bad one raises
    ``PackError`` naming the file, the line and the fix."""
    path = config_path()
    if not os.path.lexists(path):
        return ()
    text, data = _read_toml(path, CONFIG_FILE, MAX_MANIFEST_BYTES)
    problems = _Problems(visible(str(path)), text)
    for key in data:
        if key not in CONFIG_KEYS:
            problems.add((key,), f"unknown key{_hint(key, CONFIG_KEYS)}")
    folders = []
    raw = data.get("packs", [])
    if not isinstance(raw, list) or not all(isinstance(v, str) for v in raw):
        problems.add(("packs",), "expected a list of pack folders in quotes, such as "
                                 f"packs = [\"~/my-pack\"], got {_shown(raw)}")
        raw = []
    for index, item in enumerate(raw, start=1):
        folder = Path(item).expanduser()
        if not folder.is_absolute():
            folder = path.parent / folder
        if not item.strip() or not folder.is_dir():
            problems.add(("packs",), f"item {index}, {_shown(item)}: no such folder (looked "
                                     f"for {visible(str(folder))}); fix the path or remove it")
        else:
            folders.append(folder.resolve())
    if problems.items:
        messages = problems.messages()
        raise ManifestError("\n".join([f"the per-user config {visible(str(path))} has "
                                   f"{'problems' if len(messages) > 1 else 'a problem'} "
                                   f"(set {CONFIG_ENV} to use another folder):",
                                   *(f"  - {m}" for m in messages)]), messages)
    return tuple(folders)


# --- the order of the packs ------------------------------------------------------------------


def _chain(root: Path, seen: list[Path]) -> list[Any]:
    """The pack in ``root`` followed by the packs its manifest extends, front first;
    a pack already in ``seen`` (in front, from another ``--pack`` or the config) ends it."""
    from lettergen.packs.folder import Pack

    chain: list[Any] = []
    roots: list[Path] = []
    current: Path | None = root
    while current is not None and current not in seen:
        if current in roots:
            names = " -> ".join(visible(str(r)) for r in [*roots, current])
            raise PackError(f"{visible(str(roots[-1] / MANIFEST))}: {MANIFEST}, line "
                            f"{chain[-1].manifest.extends_line}: [pack] extends: the packs "
                            f"extend each other in a circle: {names}; set extends = "
                            f"\"{BUILT_IN}\" in one of them")
        manifest = read_manifest(current)
        roots.append(current)
        chain.append(Pack(manifest.name if manifest else current.name, current, manifest))
        current = manifest.extends_root if manifest else None
    return chain


def user_packs(pack_dirs: Sequence[str] = (), *, user_config: bool = False) -> list[Any]:
    """The packs in front of the built-in one: each ``--pack`` folder in the order given,
    then (with ``user_config``) each folder of the per-user config, every pack followed by
    the packs it extends. A folder named twice is used once, in its front-most place."""
    folders: list[tuple[str, Path]] = []
    for raw in pack_dirs:
        root = Path(raw).expanduser()
        if not root.is_dir():
            raise PackError(f"--pack {visible(str(raw))}: no such folder")
        folders.append((str(raw), root.resolve()))
    if user_config:
        folders += [(str(folder), folder) for folder in read_config()]
    packs: list[Any] = []
    seen: list[Path] = []
    for _, root in folders:
        for pack in _chain(root, seen):
            seen.append(pack.root)
            packs.append(pack)
    return packs
