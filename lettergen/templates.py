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

import contextlib
import datetime as dt
import difflib
import re
import signal
import threading
import tomllib
import traceback
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

from jinja2 import BaseLoader, StrictUndefined, TemplateNotFound, TemplateSyntaxError
from jinja2.exceptions import SecurityError, UndefinedError
from jinja2.sandbox import SandboxedEnvironment
from markupsafe import Markup

from .errors import PackError, TemplateError, TemplateNotFoundError
from .money import format_date, format_money

FRONT_MATTER = "+++"
RENDER_SECONDS = 5.0
_ID = re.compile(r"[a-z0-9][a-z0-9-]*")  # a template id: also a safe file name
_MD_SPECIAL = re.compile(r"([!-/:-@\[-`{-~])")  # every ASCII punctuation character


# --- packs and template files -----------------------------------------------------------


@dataclass(frozen=True)
class Pack:
    """A folder of templates; ``name`` is shown by ``list`` (the folder name, or
    "built-in")."""

    name: str
    root: Path


@dataclass(frozen=True)
class TemplateInfo:
    """A letter template's metadata (its front matter) and where it came from."""

    id: str
    title: str
    to: str
    purpose: str
    when: str
    needs: tuple[str, ...]
    plan_types: tuple[str, ...]
    stage: str
    reply_rule: str
    pack: Pack
    path: Path
    meta: dict[str, Any]


def builtin_pack() -> Pack:
    """The pack shipped in the wheel (``lettergen/letter_templates``), or, in a source
    checkout, the repository's ``letter_templates/`` folder."""
    installed = resources.files("lettergen").joinpath("letter_templates")
    if installed.is_dir():
        return Pack("built-in", Path(str(installed)))
    return Pack("built-in", Path(__file__).resolve().parent.parent / "letter_templates")


def open_packs(pack_dirs: list[str] | tuple[str, ...] = ()) -> tuple[Pack, ...]:
    """User packs in the order given, then the built-in one."""
    packs = []
    for raw in pack_dirs:
        root = Path(raw).expanduser()
        if not root.is_dir():
            raise PackError(f"--pack {raw}: no such folder")
        packs.append(Pack(root.resolve().name, root.resolve()))
    return (*packs, builtin_pack())


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


def _template_info(template_id: str, pack: Pack, path: Path) -> TemplateInfo:
    meta, _ = split_front_matter(path.read_text("utf-8"), path)
    missing = [k for k in _REQUIRED_META if not meta.get(k)]
    if missing:
        raise TemplateError(f"pack {pack.name}, {path.name}: front matter lacks "
                            f"{', '.join(missing)}")
    from .casefields import field_at

    unknown = [p for p in meta.get("needs", ()) if field_at(p) is None]
    if unknown:
        raise TemplateError(f"pack {pack.name}, {path.name}: `needs` names fields the case "
                            f"file does not have: {', '.join(unknown)}")
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
    )


def list_templates(packs: tuple[Pack, ...]) -> list[TemplateInfo]:
    """Every letter id across the packs; the first pack that has an id wins."""
    seen: dict[str, TemplateInfo] = {}
    for pack in packs:
        for path in sorted(pack.root.glob("*.md")):
            if not _ID.fullmatch(path.stem) or path.stem in seen:
                continue  # shared parts (_layout.md), READMEs, and ids taken by a pack ahead
            seen[path.stem] = _template_info(path.stem, pack, path)
    return sorted(seen.values(), key=lambda t: t.id)


def find_template(template_id: str, packs: tuple[Pack, ...]) -> TemplateInfo:
    for pack in packs:
        path = pack.root / f"{template_id}.md"
        if _ID.fullmatch(template_id) and path.is_file():
            return _template_info(template_id, pack, path)
    known = [t.id for t in list_templates(packs)]
    close = difflib.get_close_matches(template_id, known, n=1)
    hint = f"; did you mean '{close[0]}'?" if close else "; `lettergen list` shows them all"
    raise TemplateNotFoundError(f"unknown template id '{template_id}'{hint}")


# --- the environment ---------------------------------------------------------------------


class PackLoader(BaseLoader):
    """Looks a template name up in each pack in turn (user packs first)."""

    def __init__(self, packs: tuple[Pack, ...]):
        self.packs = packs

    def get_source(self, environment: Any, template: str) -> tuple[str, str, Callable[[], bool]]:
        if ".." in template.split("/") or template.startswith("/"):
            raise TemplateNotFound(template)
        for pack in self.packs:
            path = pack.root / template
            if path.is_file():
                text = path.read_text("utf-8")
                _, body = split_front_matter(text, path)
                mtime = path.stat().st_mtime
                return body, str(path), lambda p=path, m=mtime: p.stat().st_mtime == m
        raise TemplateNotFound(template)


class LetterRefused(Exception):
    """Raised by a template's ``refuse()``: this letter does not fit the case."""


def markdown_escape(text: str) -> str:
    """Backslash every ASCII punctuation character (CommonMark treats any escaped
    punctuation as a literal) and turn newlines into hard line breaks."""
    escaped = _MD_SPECIAL.sub(r"\\\1", text)
    return escaped.replace("\r\n", "\n").replace("\n", "\\\n")


def _markdown_value(value: Any) -> Any:
    """``finalize`` for every ``{{ }}``: format dates and money, escape text, and
    refuse to print nothing (an empty case field must never read "None")."""
    if isinstance(value, Markup):
        return value
    if value is None:
        raise TemplateError("the template printed an empty case value")
    blank = getattr(value, "blank_label", None)  # a blank fill-in letter's placeholder
    if blank:
        return Markup(markdown_escape(f"[{blank}]"))
    if isinstance(value, bool):
        text = "yes" if value else "no"
    elif isinstance(value, Decimal):
        text = format_money(value)
    elif isinstance(value, dt.date):
        text = format_date(value)
    else:
        text = str(value)
    return Markup(markdown_escape(text))


def _money(value: Any) -> str:
    if value is None:
        raise TemplateError("the money filter got an empty value")
    if getattr(value, "blank_label", None):
        return f"[{value.blank_label}]"
    return format_money(Decimal(value))


def _date(value: Any) -> str:
    if value is None:
        raise TemplateError("the date filter got an empty value")
    if getattr(value, "blank_label", None):
        return f"[{value.blank_label}]"
    return format_date(value)


def _lower_first(value: str) -> str:
    """"Authorized representative" → "authorized representative" inside a sentence;
    a word in capitals (an acronym) is left alone."""
    text = str(value)
    first = text.split(" ", 1)[0]
    return text if first.isupper() else text[:1].lower() + text[1:]


_LONG_DATE = re.compile(r"(?:January|February|March|April|May|June|July|August|September|"
                        r"October|November|December) \d{1,2}, \d{4}")


def _new_enclosures(extra: list[str], listed: list[str]) -> list[str]:
    """The letter's own enclosures that the case's list does not already hold: one
    naming the same dated document (the denial of August 20, 2026) is dropped."""
    seen = {date for title in listed for date in _LONG_DATE.findall(str(title))}
    lowered = {str(t).strip().lower() for t in listed}
    return [t for t in extra if str(t).strip().lower() not in lowered
            and not (set(_LONG_DATE.findall(str(t))) & seen)]


def _lines(value: list[str] | None) -> Markup:
    """An address (a list of lines) as Markdown lines with hard breaks."""
    return Markup("\\\n".join(markdown_escape(str(line)) for line in value or ()))


@lru_cache(maxsize=8)
def environment(packs: tuple[Pack, ...]) -> SandboxedEnvironment:
    env = SandboxedEnvironment(
        loader=PackLoader(packs),
        undefined=StrictUndefined,
        autoescape=True,
        finalize=_markdown_value,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters.update(money=_money, date=_date, lines=_lines, lowerfirst=_lower_first,
                       new_enclosures=_new_enclosures)
    return env


# --- rendering ---------------------------------------------------------------------------


@contextlib.contextmanager
def _time_limit(seconds: float) -> Iterator[None]:
    """Stop a runaway template (SPEC: a template that runs away is stopped).
    Uses SIGALRM where it exists and we are on the main thread; elsewhere the
    sandbox's own limits (range size, no imports) are what protects."""
    usable = hasattr(signal, "setitimer") and threading.current_thread() is threading.main_thread()
    if not usable:
        yield
        return

    def _stop(signum: int, frame: Any) -> None:
        raise TemplateError(f"the template ran longer than {seconds:g} seconds and was stopped")

    previous = signal.signal(signal.SIGALRM, _stop)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def _template_line(exc: BaseException, packs: tuple[Pack, ...]) -> str:
    """'pack, file, line N' for the deepest template frame of a traceback."""
    roots = [str(p.root) for p in packs]
    for frame in reversed(traceback.extract_tb(exc.__traceback__)):
        for pack, root in zip(packs, roots, strict=True):
            if frame.filename.startswith(root):
                rel = Path(frame.filename).relative_to(pack.root)
                return f"pack {pack.name}, {rel}, line {frame.lineno}"
    return ""


def render_markdown(info: TemplateInfo, packs: tuple[Pack, ...], context: dict[str, Any]) -> str:
    """Render one letter template to Markdown. Raises ``LetterRefused`` when the
    template refuses the case, ``TemplateError`` (with pack, file and line) when the
    template itself is broken."""
    env = environment(packs)
    try:
        template = env.get_template(f"{info.id}.md")
        with _time_limit(RENDER_SECONDS):
            return template.render(context)
    except LetterRefused:
        raise
    except TemplateSyntaxError as exc:
        where = f"pack {info.pack.name}, {exc.filename or info.path}, line {exc.lineno}"
        raise TemplateError(f"{where}: template syntax error: {exc.message}") from None
    except TemplateError as exc:
        where = _template_line(exc, packs)
        raise TemplateError(f"{where}: {exc}" if where else str(exc)) from None
    except (UndefinedError, SecurityError, TypeError, ValueError, ArithmeticError) as exc:
        where = _template_line(exc, packs) or f"pack {info.pack.name}, {info.path.name}"
        raise TemplateError(f"{where}: {type(exc).__name__}: {exc}") from None
    except TemplateNotFound as exc:
        raise TemplateError(f"pack {info.pack.name}, {info.path.name}: "
                            f"includes '{exc.name}', which no pack has") from None
