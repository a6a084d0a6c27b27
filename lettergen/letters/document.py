"""The one intermediate document every writer reads.

A rendered letter is Markdown; ``markdown_reader.read_markdown`` turns it into a
``Document`` made of the blocks below, and the DOCX, PDF, HTML and Markdown writers
read only this model. Keeping the model small is what keeps the four outputs alike:
a feature a writer cannot show does not belong here.

Inline text is a tuple of ``Run``; a run whose text is ``"\\n"`` is a line break
(address blocks, signature lines).
"""

from __future__ import annotations

import datetime as _dt
from dataclasses import dataclass, field

from lettergen.packs.style import DEFAULT_STYLE, Style


@dataclass(frozen=True)
class Run:
    """A stretch of text with one formatting. ``text == "\\n"`` is a line break."""

    text: str
    bold: bool = False
    italic: bool = False


LINE_BREAK = Run("\n")
# How a line break inside a case value travels through the rendered Markdown (see
# ``templates.markdown_escape``): a hard break would end a table row.
LINE_SEPARATOR = "\u2028"

Inline = tuple[Run, ...]


@dataclass(frozen=True)
class Paragraph:
    """A paragraph of body text. Line breaks inside it keep lines tight (addresses).
    ``keep_with_next``: a lead-in ("My record of what was agreed:", "Enclosures:")
    that must not end a page without the start of the list or table it introduces."""

    runs: Inline
    keep_with_next: bool = False


@dataclass(frozen=True)
class Heading:
    """A heading, level 1 to 3."""

    level: int
    runs: Inline


@dataclass(frozen=True)
class ListItem:
    """One item of a list; ``level`` 0 is the outer list, 1 a nested one."""

    runs: Inline
    level: int = 0


@dataclass(frozen=True)
class ListBlock:
    """A bulleted (``ordered=False``) or numbered list."""

    items: tuple[ListItem, ...]
    ordered: bool = False
    keep_together: bool = False  # one page for all items (the list of enclosures)


@dataclass(frozen=True)
class Table:
    """A table with one header row. ``align`` holds "left", "right" or "center" per
    column (money columns are right-aligned)."""

    header: tuple[Inline, ...]
    rows: tuple[tuple[Inline, ...], ...]
    align: tuple[str, ...]


@dataclass(frozen=True)
class Signature:
    """The closing and signature lines, kept together on one page, with room to sign
    left above the first line after the closing. The writers keep at least the last
    two lines of the body with it, so that no page holds only "Sincerely" and a name."""

    closing: Inline
    lines: tuple[Inline, ...]


@dataclass(frozen=True)
class PageBreak:
    """Start a new page (an enclosure such as an authorization form)."""


Block = Paragraph | Heading | ListBlock | Table | Signature | PageBreak


@dataclass(frozen=True)
class Document:
    """A whole letter. ``title``, ``author`` and ``subject`` go into the file metadata
    (DOCX core properties, PDF info); they never carry diagnoses, codes or amounts.
    ``date`` is the letter date, also used as the files' fixed timestamp so that the
    same case gives byte-identical files. ``running_head`` heads every page after
    the first ("Jordan A. Rivera · Claim 12345"), with the page number, so that a page
    that comes loose still says whose letter it is. ``style`` is how the DOCX and PDF
    look (font, size, margins, footer, letterhead: ``pack_style.Style``)."""

    title: str
    author: str
    date: _dt.date
    blocks: tuple[Block, ...]
    subject: str = ""
    language: str = "en"
    running_head: str = ""
    meta: dict[str, str] = field(default_factory=dict, compare=False)
    style: Style = field(default=DEFAULT_STYLE, compare=False)  # the pack's look (writers)


def plain_text(runs: Inline) -> str:
    """The text of some runs, with line breaks as newlines."""
    return "".join(run.text for run in runs)
