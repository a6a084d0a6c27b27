"""Write a ``Document`` as CommonMark (with GFM pipe tables).

The Markdown must read back to the same text: every ASCII punctuation character in
a run is backslash-escaped, so "*", "_", "#", "[x](y)", "<b>" and "{{ }}" typed in a
case file are shown, never taken as markup or HTML. No raw HTML is written: a page
break is a thematic break (``* * *``).

Bold is ``**..**`` and italic ``*..*``. CommonMark opens and closes emphasis only by
the characters beside a delimiter ("left-flanking" rules), so where a delimiter would
not work as meant (``a**\\$5**``) the character beside it is written as a numeric
character reference (``&#97;``), and an italic span that touches a ``**`` uses ``_``
(``***`` would be read as one run). Ordinary letters need neither.
"""

from __future__ import annotations

import string
import unicodedata
from dataclasses import dataclass

from lettergen.letters.document import (
    LINE_BREAK,
    Document,
    Heading,
    Inline,
    ListBlock,
    PageBreak,
    Paragraph,
    Run,
    Signature,
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
    is not either). Breaks and blanks at the start and end are dropped: a backslash
    ending a paragraph would show as a backslash."""
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
            if core:
                pieces += [Run(lead), Run(core, run.bold, run.italic), Run(trail)]
            else:
                pieces.append(Run(part))
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
    while merged and not merged[0].text.strip():  # breaks and blanks at the ends
        merged.pop(0)
    while merged and not merged[-1].text.strip():
        merged.pop()
    return merged


# Character classes for CommonMark's emphasis rules ("left-flanking" and so on).
_WS, _PUNCT, _OTHER, _AMBIGUOUS = range(4)


def _char_class(ch: str) -> int:
    if ch in " \t\n":
        return _WS
    if ch.isascii():
        return _PUNCT if ch in string.punctuation else _OTHER
    category = unicodedata.category(ch)
    if category.startswith("P"):
        return _PUNCT
    # Symbols and odd spaces are punctuation or space in some CommonMark versions and
    # not in others: next to a delimiter they are written as character references.
    return _AMBIGUOUS if category[0] in "SZC" else _OTHER


@dataclass
class _Item:
    """One piece of a paragraph's Markdown: a character, a line break or a delimiter."""

    src: str
    left: int  # class of the first source character
    right: int  # class of the last source character
    char: str = ""  # the character shown, when it may be re-encoded
    delim: str = ""  # "**", "*" or "_"
    opener: bool = False

    def encode(self) -> None:
        """Write the character as a numeric reference, which reads as punctuation."""
        self.src, self.left, self.right = f"&#{ord(self.char)};", _PUNCT, _PUNCT


def _events(segments: list[Run]) -> list[tuple[str, object]]:
    """("open"|"close", "b"|"i") and ("text", Run) events, properly nested; the format
    that lasts longer opens first, so fewer delimiters touch."""
    targets = [set() if run.text == "\n" else {f for f, on in (("b", run.bold), ("i", run.italic))
                                               if on} for run in segments]

    def lasts(fmt: str, k: int) -> int:
        n = 0
        while k + n < len(targets) and fmt in targets[k + n]:
            n += 1
        return n

    events: list[tuple[str, object]] = []
    stack: list[str] = []
    for k, run in enumerate(segments):
        cut = next((i for i, fmt in enumerate(stack) if fmt not in targets[k]), len(stack))
        events += [("close", fmt) for fmt in reversed(stack[cut:])]
        del stack[cut:]
        for fmt in sorted(targets[k] - set(stack), key=lambda f: (-lasts(f, k), f)):
            events.append(("open", fmt))
            stack.append(fmt)
        events.append(("text", run))
    events += [("close", fmt) for fmt in reversed(stack)]
    return events


def _italic_marks(events: list[tuple[str, object]]) -> dict[int, str]:
    """The delimiter of each italic open/close event: ``*``, or ``_`` when an end of
    the span touches a ``**`` (``***`` would be read as one run of delimiters)."""
    marks: dict[int, str] = {}
    start = 0
    for i, (kind, value) in enumerate(events):
        if value != "i":
            continue
        if kind == "open":
            start = i
            continue
        near = [events[j] for j in (start - 1, start + 1, i - 1, i + 1) if 0 <= j < len(events)]
        marks[start] = marks[i] = "_" if any(e[1] == "b" for e in near) else "*"
    return marks


def _items(segments: list[Run], breaks: str) -> list[_Item]:
    events = _events(segments)
    marks = _italic_marks(events)
    items: list[_Item] = []
    for i, (kind, value) in enumerate(events):
        if kind == "text":
            text = value.text  # type: ignore[union-attr]
            if text == "\n":
                items.append(_Item(breaks, _char_class(breaks[0]), _char_class(breaks[-1])))
            else:
                items += [_Item(_escape(ch), _char_class(_escape(ch)[0]), _char_class(ch), ch)
                          for ch in text]
        else:
            mark = "**" if value == "b" else marks[i]
            items.append(_Item(mark, _PUNCT, _PUNCT, delim=mark, opener=kind == "open"))
    return items


def _fix_flanking(items: list[_Item]) -> None:
    """Make every delimiter open or close as meant, by writing the character beside it
    as a character reference (``&#97;``) where CommonMark would not (``a**\\$5**``)."""
    changed = True
    while changed:
        changed = False
        for j, item in enumerate(items):
            if not item.delim:
                continue
            before = items[j - 1] if j > 0 else None
            after = items[j + 1] if j + 1 < len(items) else None
            prev = before.right if before else _WS
            nxt = after.left if after else _WS
            fix = None
            if before is not None and prev == _AMBIGUOUS:
                fix = before
            elif after is not None and nxt == _AMBIGUOUS:
                fix = after
            elif item.delim == "_":
                fix = before if item.opener and prev == _OTHER else \
                    after if not item.opener and nxt == _OTHER else None
            elif item.opener and nxt == _PUNCT and prev == _OTHER:
                fix = before
            elif not item.opener and prev == _PUNCT and nxt == _OTHER:
                fix = after
            if fix is not None and fix.char:
                fix.encode()
                changed = True


def _inline(runs: Inline, breaks: str = _HARD_BREAK) -> str:
    """Markdown for some runs; ``breaks`` replaces a line break (a space where a
    break cannot be, in headings; ``<br>`` in table cells)."""
    items = _items(_normalize(runs), breaks)
    _fix_flanking(items)
    return "".join(item.src for item in items).lstrip(" \t")  # 4 spaces: a code block


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
        # A line break in a cell: <br>, the way GitHub-flavoured Markdown keeps it in
        # the cell (a newline would end the row).
        texts = [_inline(cells[c], "<br>") if c < len(cells) else "" for c in range(ncols)]
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
