"""Write a ``Document`` as CommonMark (with GFM pipe tables).

The Markdown must read back to the same text: every ASCII punctuation character in
a run is backslash-escaped, so "*", "_", "#", "[x](y)", "<b>" and "{{ }}" typed in a
case file are shown, never taken as markup or HTML. Escaping keeps each character's
class (punctuation stays punctuation), so bold and italic open and close where they
did in the Markdown the ``Document`` was read from. No raw HTML is written: a page
break is a thematic break (``* * *``).
"""

from __future__ import annotations

import string

from lettergen.document import (
    LINE_BREAK, Document, Heading, Inline, ListBlock, PageBreak, Paragraph, Run, Signature,
    Table,
)
from lettergen.writers import clean

_ESCAPES = {ord(ch): "\\" + ch for ch in string.punctuation}
_HARD_BREAK = "\\\n"


def _escape(text: str) -> str:
    return text.translate(_ESCAPES)


def _normalize(runs: Inline) -> list[Run]:
    """Runs with newlines as breaks, spaces moved out of bold and italic (``** a**``
    is not bold in CommonMark), and neighbours of the same format merged (``**a****b**``
    is not either). Breaks at the start and end are dropped: a backslash ending a
    paragraph would show as a backslash."""
    pieces: list[Run] = []
    for run in runs:
        for i, part in enumerate(clean(run.text).split("\n")):
            if i:
                pieces.append(LINE_BREAK)
            if not (run.bold or run.italic):
                pieces.append(Run(part))
                continue
            core = part.strip()
            lead, trail = part[: len(part) - len(part.lstrip())], part[len(part.rstrip()):]
            pieces += [Run(lead), Run(core, run.bold, run.italic), Run(trail)] if core else [Run(part)]
    merged: list[Run] = []
    for run in pieces:
        if not run.text:
            continue
        last = merged[-1] if merged else None
        if last and last.text != "\n" and run.text != "\n" and \
                (last.bold, last.italic) == (run.bold, run.italic):
            merged[-1] = Run(last.text + run.text, run.bold, run.italic)
        else:
            merged.append(run)
    while merged and merged[0].text == "\n":
        merged.pop(0)
    while merged and merged[-1].text == "\n":
        merged.pop()
    return merged


def _inline(runs: Inline, breaks: str = _HARD_BREAK) -> str:
    """Markdown for some runs; ``breaks`` replaces a line break (a space where a
    break cannot be: headings, table cells)."""
    out: list[str] = []
    bold = italic = False
    for run in _normalize(runs):
        is_break = run.text == "\n"
        want_bold, want_italic = (False, False) if is_break else (run.bold, run.italic)
        if italic and (not want_italic or bold != want_bold):
            out.append("*")
            italic = False
        if bold and not want_bold:
            out.append("**")
            bold = False
        if want_bold and not bold:
            out.append("**")
            bold = True
        if want_italic and not italic:
            out.append("*")
            italic = True
        out.append(breaks if is_break else _escape(run.text))
    out.append("*" * italic + "**" * bold)
    return "".join(out).lstrip(" \t")  # 4 leading spaces would make a code block


def _indent(text: str, prefix: str) -> str:
    return text.replace("\n", "\n" + prefix)


def _list(block: ListBlock, marker_char: str) -> str:
    lines: list[str] = []
    numbers = [0, 0]
    parent_width = 0
    for i, item in enumerate(block.items):
        level = 1 if item.level >= 1 and i > 0 else 0
        numbers[level] += 1
        if level == 0:
            numbers[1] = 0
        marker = f"{numbers[level]}{marker_char}" if block.ordered else marker_char
        indent = " " * parent_width if level else ""
        width = len(marker) + 1
        lines.append(indent + marker + " " + _indent(_inline(item.runs), indent + " " * width))
        if level == 0:
            parent_width = width
    return "\n".join(lines)


def _table(block: Table) -> str:
    ncols = len(block.header)
    rule = {"left": ":---", "right": "---:", "center": ":---:"}

    def row(cells) -> str:
        texts = [_inline(cells[c], " ") if c < len(cells) else "" for c in range(ncols)]
        return "| " + " | ".join(texts) + " |"

    aligns = [rule.get(block.align[c] if c < len(block.align) else "left", "---")
              for c in range(ncols)]
    return "\n".join([row(block.header), "| " + " | ".join(aligns) + " |"]
                     + [row(cells) for cells in block.rows])


def write_markdown(doc: Document) -> bytes:
    """CommonMark text of ``doc``, UTF-8, blocks separated by blank lines."""
    parts: list[str] = []
    last_list: tuple[bool, str] | None = None  # (ordered, marker) of the list just written
    for block in doc.blocks:
        if isinstance(block, Paragraph):
            parts.append(_inline(block.runs))
        elif isinstance(block, Heading):
            level = min(max(block.level, 1), 3)
            parts.append("#" * level + " " + _inline(block.runs, " ").strip())
        elif isinstance(block, ListBlock):
            # Two lists in a row would merge into one unless the marker changes.
            markers = (".", ")") if block.ordered else ("-", "*")
            marker = markers[1] if last_list == (block.ordered, markers[0]) else markers[0]
            if block.items:
                parts.append(_list(block, marker))
                last_list = (block.ordered, marker)
                continue
        elif isinstance(block, Table):
            if block.header:
                parts.append(_table(block))
        elif isinstance(block, Signature):
            parts.append(_inline(block.closing))
            parts.append(_inline(tuple(run for i, line in enumerate(block.lines)
                                       for run in ((LINE_BREAK,) if i else ()) + tuple(line))))
        elif isinstance(block, PageBreak):
            parts.append("* * *")
        else:
            raise TypeError(f"unknown block {type(block).__name__}")
        last_list = None
    return ("\n\n".join(p for p in parts if p) + "\n").encode("utf-8")
