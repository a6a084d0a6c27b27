"""Template packs and the sandboxed Jinja environment that renders them.

A pack is a folder of letter files (``<id>.md``: TOML front matter between ``+++``
lines, then a Markdown + Jinja body) and shared parts whose names start with ``_``
(``_layout.md``, ``_partials/*.md``). Packs named with ``--pack`` stand in front of
the built-in pack file by file, so a pack can replace one letter or only the
letterhead partial.

Every template, built-in or not, runs in a ``SandboxedEnvironment`` with
``StrictUndefined`` and a time limit. Every value printed with ``{{ }}`` is escaped
for Markdown on its way into the page (``finalize`` + autoescape, see
``_markdown_value``): a name such as ``*Bob* <b>{{x}}</b>`` comes out as typed.
"""

from __future__ import annotations

import datetime as dt
import difflib
import hashlib
import os
import re
import shutil
import sys
import tomllib
import traceback
from collections.abc import Callable, Mapping
from dataclasses import dataclass, fields
from decimal import Decimal
from functools import lru_cache
from pathlib import Path
from types import MappingProxyType
from typing import Any

from jinja2 import BaseLoader, StrictUndefined, TemplateNotFound, TemplateSyntaxError
from jinja2.bccache import Bucket, FileSystemBytecodeCache
from jinja2.exceptions import SecurityError, UndefinedError
from markupsafe import Markup

from lettergen.case.money import format_date, format_money
from lettergen.errors import TemplateError, TemplateNotFoundError
from lettergen.letters.document import LINE_SEPARATOR
from lettergen.letters.sandbox import LimitExceeded, PackSandbox, checkpoint
from lettergen.packs.folder import Pack, builtin_pack, pack_file
from lettergen.safe_read import UnreadableFile, read_limited
from lettergen.template_types import template_value

FRONT_MATTER = "+++"
MAX_TEMPLATE_BYTES = 256_000  # one template file; the longest built-in one is 20 KB
MAX_LETTER_CHARS = 400_000  # a rendered letter's Markdown (about 100 pages)
_ID = re.compile(r"[a-z0-9][a-z0-9-]*")  # a template id: also a safe file name
_MD_SPECIAL = re.compile(r"([!-/:-@\[-`{-~])")  # every ASCII punctuation character


# --- packs and template files -----------------------------------------------------------


@dataclass(frozen=True)
class FrontMatter:
    """A letter template's front matter, as plain values."""

    id: str
    title: str
    to: str
    purpose: str
    when: str
    needs: tuple[str, ...]
    plan_types: tuple[str, ...]
    stage: str
    reply_rule: str


@template_value
@dataclass(frozen=True)
class LetterView(FrontMatter):
    """What a template sees of its own letter (``letter``): its front matter and the
    name of its pack; no path."""

    pack: str
    meta: Mapping[str, Any]


def frozen(value: Any) -> Any:
    """A read-only copy of TOML data: lists become tuples, tables read-only mappings."""
    if isinstance(value, dict):
        return MappingProxyType({k: frozen(v) for k, v in value.items()})
    if isinstance(value, (list, tuple)):
        return tuple(frozen(v) for v in value)
    return value


@dataclass(frozen=True)
class TemplateInfo(FrontMatter):
    """A letter template's metadata (its front matter) and where it came from;
    ``language`` the language its text is in ("en", or "es" for a file of a pack's
    ``es/`` layer)."""

    pack: Pack
    path: Path
    meta: dict[str, Any]
    language: str = "en"

    def view(self, to: str | None = None) -> LetterView:
        """The letter as a template sees it; ``to`` the addressee chosen for the case."""
        front = {f.name: getattr(self, f.name) for f in fields(FrontMatter)}
        return LetterView(**{**front, "to": to or self.to}, pack=self.pack.name,
                          meta=frozen(self.meta))


def read_pack_text(pack: Pack, path: Path) -> str:
    """The text of a pack file already resolved inside the pack: a regular file of
    at most ``MAX_TEMPLATE_BYTES``, in UTF-8."""
    shown = _shown_name(pack, path)
    try:
        data = read_limited(path, MAX_TEMPLATE_BYTES)
    except UnreadableFile as exc:
        raise TemplateError(f"pack {pack.name}, {shown}: {exc}") from None
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise TemplateError(f"pack {pack.name}, {shown}, line {line}: the file is not UTF-8 "
                            "text; save it as UTF-8") from None


def _shown_name(pack: Pack, path: Path) -> str:
    try:
        return str(path.relative_to(pack.root))
    except ValueError:
        return path.name


def split_front_matter(text: str, path: Path) -> tuple[dict[str, Any], str]:
    """(metadata, body); the body keeps its line numbers (the front matter becomes
    blank lines) so Jinja's errors point at the right line of the file."""
    if not text.startswith(FRONT_MATTER):
        return {}, text
    end = text.find("\n" + FRONT_MATTER, len(FRONT_MATTER))
    if end < 0:
        raise TemplateError(f"{path}: front matter opened with +++ is never closed")
    head = text[len(FRONT_MATTER):end]
    try:
        meta = tomllib.loads(head)
    except tomllib.TOMLDecodeError as exc:
        raise TemplateError(f"{path}: front matter: {exc}") from None
    rest = text[end + 1 + len(FRONT_MATTER):]
    newlines = text[: end + 1 + len(FRONT_MATTER)].count("\n")
    return meta, "\n" * newlines + rest


_REQUIRED_META = ("title", "to", "purpose", "when")
# Front matter keys: True for text, False for a list of text.
_META_KEYS = {"title": True, "to": True, "purpose": True, "when": True, "stage": True,
              "reply_rule": True, "salutation": True, "enclosures_as": True, "needs": False,
              "plan_types": False, "blank_variants": False}


def _meta_problems(meta: dict[str, Any]) -> list[str]:
    """Everything wrong with a template's front matter, at once."""
    from lettergen.case.casefields import ENCLOSURE_RECIPIENTS, field_at
    from lettergen.rules.table import all_rules

    problems = [f"lacks `{k}`" for k in _REQUIRED_META if k not in meta]
    for key, value in meta.items():
        text = _META_KEYS.get(key)
        if text is None:
            close = difflib.get_close_matches(key, list(_META_KEYS), n=1)
            hint = f"; did you mean `{close[0]}`?" if close else \
                f"; the keys are {', '.join(_META_KEYS)}"
            problems.append(f"unknown key `{key}`{hint}")
        elif text and not (isinstance(value, str) and value.strip()):
            problems.append(f"`{key}` must be text in quotes, such as {key} = \"...\"")
        elif not text and not (isinstance(value, list)
                               and all(isinstance(v, str) for v in value)):
            problems.append(f"`{key}` must be a list of text, such as {key} = [\"...\"]")
    if problems:
        return problems
    unknown = [p for p in meta.get("needs", ()) if field_at(p) is None]
    if unknown:
        problems.append(f"`needs` names fields the case file does not have: "
                        f"{', '.join(unknown)}")
    plans = field_at("insurer.plan_type").values
    odd = [p for p in meta.get("plan_types", ()) if p not in plans]
    if odd:
        problems.append(f"`plan_types` names unknown plan types: {', '.join(odd)} (the "
                        f"plan types are {', '.join(plans)})")
    odd = [p for p in meta.get("blank_variants", ())
           if getattr(field_at(p), "kind", None) not in ("enum", "bool")]
    if odd:  # one blank fill-in letter per value of each (lettergen.letters.blank)
        problems.append(f"`blank_variants` names no choice or yes/no field of the case "
                        f"file: {', '.join(odd)}")
    like = meta.get("enclosures_as")
    if like is not None and like not in ENCLOSURE_RECIPIENTS:
        problems.append(f"`enclosures_as` names no recipient of enclosures: {like} (they are "
                        f"{', '.join(ENCLOSURE_RECIPIENTS)})")
    reply = meta.get("reply_rule", "reply-standard")
    if reply not in all_rules():
        problems.append(f"`reply_rule` names no rule of the rules table: {reply}")
    return problems


def _template_info(template_id: str, pack: Pack, path: Path, language: str = "en"
                   ) -> TemplateInfo:
    meta, _ = split_front_matter(read_pack_text(pack, path), path)
    problems = _meta_problems(meta)
    if problems:
        shown = _shown_name(pack, path)
        raise TemplateError(f"pack {pack.name}, {shown}: front matter: "
                            + (problems[0] if len(problems) == 1
                               else "\n" + "\n".join(f"    - {p}" for p in problems)))
    return TemplateInfo(
        id=template_id,
        title=meta["title"],
        to=meta["to"],
        purpose=meta["purpose"],
        when=meta["when"],
        needs=tuple(meta.get("needs", ())),
        plan_types=tuple(meta.get("plan_types", ())),
        stage=meta.get("stage", ""),
        reply_rule=meta.get("reply_rule", "reply-standard"),
        pack=pack,
        path=path,
        meta=meta,
        language=language,
    )


def list_templates(packs: tuple[Pack, ...]) -> list[TemplateInfo]:
    """Every letter id across the packs; the first pack that has an id wins."""
    seen: dict[str, TemplateInfo] = {}
    for pack in packs:
        for path in sorted(pack.root.glob("*.md")):
            if not _ID.fullmatch(path.stem) or path.stem in seen:
                continue  # shared parts (_layout.md), READMEs, and ids taken by a pack ahead
            resolved = pack_file(pack, path.name)
            if resolved is not None:
                seen[path.stem] = _template_info(path.stem, pack, resolved)
    return sorted(seen.values(), key=lambda t: t.id)


def find_template(template_id: str, packs: tuple[Pack, ...], language: str = "en"
                  ) -> TemplateInfo:
    """The template of a letter id: the first pack that has it decides. With another
    language than English, that pack's file in the language's layer (``es/<id>.md``)
    when it has one, else its English file (``info.language`` then says "en", and the
    caller says so: a letter never mixes languages silently)."""
    layer = language_layer(language)
    for pack in packs:
        if not _ID.fullmatch(template_id):
            break
        if layer:
            path = pack_file(pack, f"{layer}{template_id}.md")
            if path is not None:
                return _template_info(template_id, pack, path, base_language(language))
        path = pack_file(pack, f"{template_id}.md")
        if path is not None:
            return _template_info(template_id, pack, path)
    known = [t.id for t in list_templates(packs)]
    close = difflib.get_close_matches(template_id, known, n=1)
    hint = f"; did you mean '{close[0]}'?" if close else "; `lettergen list` shows them all"
    raise TemplateNotFoundError(f"unknown template id '{template_id}'{hint}")


# --- the environment ---------------------------------------------------------------------


def base_language(code: str | None) -> str:
    """"es-US" -> "es"; empty -> "en"."""
    return (code or "en").split("-")[0].split("_")[0].lower() or "en"


def language_layer(language: str | None) -> str:
    """The folder of a pack that holds a language's templates: "" for English (the
    pack's root), "es/" for Spanish."""
    code = base_language(language)
    return "" if code == "en" else f"{code}/"


class PackLoader(BaseLoader):
    """Looks a template name up in each pack in turn (user packs first), inside one
    language's layer of each pack: a Spanish letter's includes come from the packs'
    ``es/`` folders only, so an English partial never lands in a Spanish letter."""

    def __init__(self, packs: tuple[Pack, ...], layer: str = ""):
        self.packs = packs
        self.layer = layer

    def get_source(self, environment: Any, template: str) -> tuple[str, str, Callable[[], bool]]:
        if ".." in template.split("/") or template.startswith("/") or "\\" in template:
            raise TemplateNotFound(template)
        template = self.layer + template
        for pack in self.packs:
            path = pack_file(pack, template)
            if path is not None:
                text = read_pack_text(pack, path)
                _, body = split_front_matter(text, path)
                # The name Jinja reports in errors: inside the pack's folder even when
                # the file is a link within the pack.
                shown = str(pack.root / template)
                mtime = path.stat().st_mtime
                return body, shown, lambda p=path, m=mtime: _unchanged(p, m)
        raise TemplateNotFound(template)


def _unchanged(path: Path, mtime: float) -> bool:
    try:
        return path.stat().st_mtime == mtime
    except OSError:
        return False


class LetterRefused(Exception):
    """Raised by a template's ``refuse()``: this letter does not fit the case."""


class EmptyValuePrinted(TemplateError):
    """Raised when a template prints a value the case leaves empty. ``render_markdown``
    turns it into a refusal naming the case-file key when the template line shows one
    (``{{ denial.date }}`` with no ``[denial] date``): the case lacks a fact the letter
    needs, which the patient can fix. Only when no key can be named does it stay a
    template error, for the pack's author."""


_DOTTED = re.compile(r"\b([a-z_]+)\.([a-z_]+)\b")
_PRINTED = re.compile(r"\{\{(.*?)\}\}")


def _empty_keys(exc: BaseException, packs: tuple[Pack, ...], context: dict[str, Any]
                ) -> list[str]:
    """The case-file keys printed on the template line where ``exc`` was raised whose
    value the case leaves empty, as "[denial] date"."""
    from lettergen.case.casefields import TABLES_BY_NAME  # the one declaration of the case file

    roots = [str(p.root) for p in packs]
    for frame in reversed(traceback.extract_tb(exc.__traceback__)):
        if not any(frame.filename.startswith(root) for root in roots):
            continue
        found = []
        printed = " ".join(_PRINTED.findall(frame.line or ""))  # {{ }} only, not {% if %}
        for table, key in _DOTTED.findall(printed):
            declared = TABLES_BY_NAME.get(table)
            record = context.get(table)
            if declared is None or declared.field(key) is None or record is None:
                continue
            if getattr(record, key, None) is None and f"[{table}] {key}" not in found:
                found.append(f"[{table}] {key}")
        return found
    return []


def markdown_escape(text: str) -> str:
    """Backslash every ASCII punctuation character (CommonMark treats any escaped
    punctuation as a literal) and turn each line break into U+2028 LINE SEPARATOR,
    which the Markdown reader turns back into a line break. A Markdown hard break
    would end a table row; U+2028 stays inside its cell, list item or paragraph."""
    escaped = _MD_SPECIAL.sub(r"\\\1", text)
    return escaped.replace("\r\n", "\n").replace("\r", "\n").replace("\n", LINE_SEPARATOR)


def _markdown_value(value: Any, language: str = "en") -> Any:
    """``finalize`` for every ``{{ }}``: format dates and money, escape text, and
    refuse to print nothing (an empty case field must never read "None")."""
    checkpoint()
    if isinstance(value, Markup):
        return value
    if value is None:
        raise EmptyValuePrinted("the template printed an empty case value")
    blank = getattr(value, "blank_label", None)  # a blank fill-in letter's placeholder
    if blank:
        return Markup(markdown_escape(f"[{blank}]"))
    if isinstance(value, bool):
        text = ("sí" if language == "es" else "yes") if value else "no"
    elif isinstance(value, Decimal):
        text = format_money(value)
    elif isinstance(value, dt.date):
        text = format_date(value, language)
    else:
        text = str(value)
    return Markup(markdown_escape(text))


def _money(value: Any) -> str:
    if value is None:
        raise TemplateError("the money filter got an empty value")
    if getattr(value, "blank_label", None):
        return f"[{value.blank_label}]"
    return format_money(Decimal(value))


def _date(value: Any, language: str = "en") -> str:
    if value is None:
        raise TemplateError("the date filter got an empty value")
    if getattr(value, "blank_label", None):
        return f"[{value.blank_label}]"
    return format_date(value, language)


def _lower_first(value: str) -> str:
    """"Authorized representative" → "authorized representative" inside a sentence;
    a word in capitals (an acronym) is left alone."""
    text = str(value)
    first = text.split(" ", 1)[0]
    return text if first.isupper() else text[:1].lower() + text[1:]


# The months in English and in Spanish, January first: the long dates of enclosure
# titles in either language ("April 10, 2026", "10 de abril de 2026").
_MONTH_NAMES = (("january", "enero"), ("february", "febrero"), ("march", "marzo"),
                ("april", "abril"), ("may", "mayo"), ("june", "junio"), ("july", "julio"),
                ("august", "agosto"), ("september", "septiembre"), ("october", "octubre"),
                ("november", "noviembre"), ("december", "diciembre"))
_MONTHS = {name: number for number, names in enumerate(_MONTH_NAMES, start=1)
           for name in names}
_LONG_DATE = re.compile(
    rf"(?:{'|'.join(en.capitalize() for en, _ in _MONTH_NAMES)}) \d{{1,2}}, \d{{4}}"
    rf"|\d{{1,2}} de (?:{'|'.join(es for _, es in _MONTH_NAMES)}) de \d{{4}}")


def _new_enclosures(extra: list[str], listed: list[str]) -> list[str]:
    """The letter's own enclosures that the case's list does not already hold: one
    naming the same dated document (the denial of August 20, 2026) is dropped."""
    seen = {date for title in listed for date in _title_dates(title)}
    lowered = {str(t).strip().lower() for t in listed}
    return [t for t in extra if str(t).strip().lower() not in lowered
            and not (_title_dates(t) & seen)]


def _title_dates(title: Any) -> set[tuple[int, int, int]]:
    """The long dates in an enclosure's title as (year, month, day), in either language:
    a Spanish letter's "EOB del 10 de abril de 2026" is the case's "EOB dated April 10,
    2026"."""
    found = set()
    for text in _LONG_DATE.findall(str(title)):
        words = re.findall(r"[A-Za-záéíóú]+|\d+", text)
        numbers = [int(w) for w in words if w.isdigit()]
        month = next(_MONTHS[w.lower()] for w in words if w.lower() in _MONTHS)
        found.add((numbers[-1], month, numbers[0]))
    return found


def _lines(value: list[str] | tuple[str, ...] | None) -> Markup:
    """An address (a list of lines) as Markdown lines with hard breaks."""
    return Markup("\\\n".join(markdown_escape(str(line)) for line in value or ()))


class _BuiltInBytecodeCache(FileSystemBytecodeCache):
    """Jinja's on-disk cache of compiled templates, for the built-in pack's files only.

    Compiling the templates of one letter takes 80 to 150 ms, the largest part of a
    cold ``lettergen build`` once the libraries are imported; with the cache, a
    process after the first loads the compiled code instead. Jinja keys each file by
    its name and path and checks its text's checksum, so an edited template is
    compiled again. A pack's own files are never cached (a pack comes and goes, and
    its folder may be a temporary one), and the folder's name changes with Jinja,
    Python and the sandbox's compiler, so that code compiled by an older sandbox is
    never run. The cache is only a speed-up: a folder that cannot be written leaves
    every template compiled as before."""

    def __init__(self, folder: Path, root: Path) -> None:
        super().__init__(str(folder))
        self.root = str(root) + os.sep

    def get_bucket(self, environment: Any, name: str, filename: str | None,
                   source: str) -> Bucket:
        if filename is None or not filename.startswith(self.root):
            return _Uncached(environment, self.get_cache_key(name, filename), "")
        return super().get_bucket(environment, name, filename, source)

    def set_bucket(self, bucket: Bucket) -> None:
        if not isinstance(bucket, _Uncached):
            super().set_bucket(bucket)


class _Uncached(Bucket):
    """A bucket for a pack's own file: never read from nor written to the disk."""


CACHE_ENV = "LETTERGEN_CACHE_DIR"


def cache_dir() -> Path:
    """Where lettergen keeps what it can always make again: ``$LETTERGEN_CACHE_DIR``,
    else the platform's per-user cache folder (``~/.cache/lettergen`` on Linux)."""
    chosen = os.environ.get(CACHE_ENV)
    if chosen:
        return Path(chosen).expanduser()
    import platformdirs

    return Path(platformdirs.user_cache_dir("lettergen", appauthor=False))


@lru_cache(maxsize=4)
def _bytecode_cache(folder: Path) -> _BuiltInBytecodeCache | None:
    """The cache of the built-in pack's compiled templates under ``folder``
    (``cache_dir()``), or None when it cannot be made."""
    import jinja2
    import jinja2.compiler

    from lettergen.letters import sandbox
    compiler = hashlib.sha256(sys.version.encode())
    base = folder / "templates"
    try:  # what compiles a template: Jinja's compiler, our sandbox's, our options
        for module in (jinja2, jinja2.compiler, sandbox, sys.modules[__name__]):
            compiler.update(Path(module.__file__ or "").read_bytes())
        folder = base / compiler.hexdigest()[:16]
        if not folder.is_dir():
            if base.is_dir():  # compiled by another version: of no more use
                for old in base.iterdir():
                    shutil.rmtree(old, ignore_errors=True)
            folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    except OSError:
        return None
    return _BuiltInBytecodeCache(folder, builtin_pack().root)


@lru_cache(maxsize=8)
def environment(packs: tuple[Pack, ...], language: str = "en") -> PackSandbox:
    """The sandboxed environment of one language's layer of the packs: its loader reads
    only that layer, and dates print in that language."""
    code = base_language(language)
    env = PackSandbox(
        loader=PackLoader(packs, language_layer(code)),
        bytecode_cache=_bytecode_cache(cache_dir()),
        undefined=StrictUndefined,
        autoescape=True,
        finalize=lambda value: _markdown_value(value, code),
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    # date("en"): a Spanish letter's refuse() and note() messages stay English, dates too.
    env.add_filters(money=_money, date=lambda value, language=code: _date(value, language),
                    lines=_lines,
                    lowerfirst=_lower_first,
                    new_enclosures=_new_enclosures)
    return env


# --- rendering ---------------------------------------------------------------------------


def _template_line(exc: BaseException, packs: tuple[Pack, ...]) -> str:
    """'pack, file, line N' for the deepest template frame of a traceback."""
    roots = [str(p.root) for p in packs]
    for frame in reversed(traceback.extract_tb(exc.__traceback__)):
        for pack, root in zip(packs, roots, strict=True):
            if frame.filename.startswith(root):
                rel = Path(frame.filename).relative_to(pack.root)
                return f"pack {pack.name}, {rel}, line {frame.lineno}"
    return ""


def _collect(chunks: Any) -> str:
    """Join the rendered pieces, stopping once the letter passes its size limit. The
    error is thrown into the template where it stands, so it names the line."""
    out, size = [], 0
    for chunk in chunks:
        size += len(chunk)
        if size > MAX_LETTER_CHARS:
            chunks.throw(LimitExceeded(f"the letter grew past {MAX_LETTER_CHARS:,} "
                                       "characters and was stopped"))
        out.append(chunk)
    return "".join(out)


def render_markdown(info: TemplateInfo, packs: tuple[Pack, ...], context: dict[str, Any]) -> str:
    """Render one letter template to Markdown. Raises ``LetterRefused`` when the
    template refuses the case, ``TemplateError`` (with pack, file and line) when the
    template itself is broken or runs away. Call it inside ``sandbox.time_limit``."""
    env = environment(packs, info.language)
    here = f"pack {info.pack.name}, {_shown_name(info.pack, info.path)}"
    try:
        template = env.get_template(f"{info.id}.md")
        return _collect(template.generate(context))
    except LetterRefused:
        raise
    except TemplateSyntaxError as exc:
        name = exc.filename or str(info.path)
        where = here
        for pack in packs:
            if name.startswith(str(pack.root)):
                where = f"pack {pack.name}, {Path(name).relative_to(pack.root)}"
        raise TemplateError(f"{where}, line {exc.lineno}: template syntax error: "
                            f"{exc.message}") from None
    except EmptyValuePrinted as exc:
        keys = _empty_keys(exc, packs, context)
        if keys:
            raise LetterRefused(f"the letter prints {' and '.join(keys)}, which the case "
                                "file does not give. Next step: add "
                                f"{'them' if len(keys) > 1 else 'it'} to the case file "
                                "(lettergen new shows every key with what to copy from "
                                "which paper) and build the letter again") from None
        where = _template_line(exc, packs)
        raise TemplateError(f"{where or here}: {exc}") from None
    except TemplateError as exc:
        where = _template_line(exc, packs)
        if str(exc).startswith("pack "):
            raise
        raise TemplateError(f"{where}: {exc}" if where else f"{here}: {exc}") from None
    except TemplateNotFound as exc:
        where = _template_line(exc, packs) or here
        raise TemplateError(f"{where}: includes '{exc.name}', which no pack has") from None
    except (UndefinedError, SecurityError, TypeError, ValueError, ArithmeticError,
            AttributeError, LookupError) as exc:
        where = _template_line(exc, packs) or here
        raise TemplateError(f"{where}: {type(exc).__name__}: {exc}") from None
    except RecursionError as exc:
        where = _template_line(exc, packs) or here
        raise TemplateError(f"{where}: the template calls itself without end (a macro or "
                            "include that never stops)") from None
    except MemoryError:
        raise TemplateError(f"{here}: the template needed more memory than this computer "
                            "has and was stopped") from None
