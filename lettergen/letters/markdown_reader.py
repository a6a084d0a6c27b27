"""Rendered letter Markdown → the intermediate ``Document``.

Templates are written in CommonMark (with pipe tables) so that a pack author needs
no new syntax; two fenced containers add what letters need and Markdown lacks:

    ::: signature          closing line, then the signer's lines, kept together
    Sincerely,

    Jordan A. Rivera\\
    Patient
    :::

    ::: page-break
    :::

Raw HTML is off: ``<b>`` in a template or a case value is text, never markup.
"""

from __future__ import annotations

from dataclasses import replace

from markdown_it import MarkdownIt
from markdown_it.token import Token
from mdit_py_plugins.container import container_plugin

from lettergen.letters.document import (
    LINE_BREAK,
    LINE_SEPARATOR,
    Block,
    Heading,
    Inline,
    ListBlock,
    ListItem,
    PageBreak,
    Paragraph,
    Run,
    Signature,
    Table,
)

_CONTAINERS = ("signature", "page-break")
_parser: MarkdownIt | None = None


def _markdown() -> MarkdownIt:
    global _parser
    if _parser is None:
        md = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False})
        md.enable("table")
        for name in _CONTAINERS:
            md.use(container_plugin, name=name)
        _parser = md
    return _parser


def read_markdown(text: str) -> tuple[Block, ...]:
    """Parse letter Markdown into blocks. Links keep their text only (a letter on
    paper cannot be clicked); images and code are shown as plain text."""
    tokens = _markdown().parse(text)
    blocks, _ = _blocks(tokens, 0, stop=None)
    return tuple(_keeps(blocks))


def _keeps(blocks: list[Block]) -> list[Block]:
    """Mark what must not be parted at a page end: a paragraph ending in ":" stays
    with the list or table it introduces, and a list under a label (a paragraph all
    in bold, such as "**Enclosures:**") stays whole, like a short section."""
    out = list(blocks)
    for i, (block, after) in enumerate(zip(out, out[1:], strict=False)):
        if not isinstance(block, Paragraph) or not isinstance(after, (ListBlock, Table)):
            continue
        if not "".join(run.text for run in block.runs).rstrip().endswith(":"):
            continue
        out[i] = replace(block, keep_with_next=True)
        if isinstance(after, ListBlock) and all(run.bold for run in block.runs):
            out[i + 1] = replace(after, keep_together=True)
    return out


def _blocks(tokens: list[Token], i: int, stop: str | None) -> tuple[list[Block], int]:
    out: list[Block] = []
    while i < len(tokens):
        tok = tokens[i]
        if stop is not None and tok.type == stop:
            return out, i + 1
        if tok.type == "paragraph_open":
            out.append(Paragraph(_inline(tokens[i + 1])))
            i += 3
        elif tok.type == "heading_open":
            out.append(Heading(min(int(tok.tag[1]), 3), _inline(tokens[i + 1])))
            i += 3
        elif tok.type in ("bullet_list_open", "ordered_list_open"):
            items, i = _list(tokens, i, level=0)
            out.append(ListBlock(tuple(items), ordered=tok.type == "ordered_list_open"))
        elif tok.type == "table_open":
            table, i = _table(tokens, i)
            out.append(table)
        elif tok.type == "container_signature_open":
            inner, i = _blocks(tokens, i + 1, stop="container_signature_close")
            out.append(_signature(inner))
        elif tok.type == "container_page-break_open":
            _, i = _blocks(tokens, i + 1, stop="container_page-break_close")
            out.append(PageBreak())
        elif tok.type in ("fence", "code_block"):
            out.append(Paragraph((Run(tok.content.rstrip("\n")),)))
            i += 1
        elif tok.type == "blockquote_open":
            inner, i = _blocks(tokens, i + 1, stop="blockquote_close")
            out.extend(inner)
        else:  # hr, html_block (html is off), closers we do not model
            i += 1
    return out, i


def _list(tokens: list[Token], i: int, level: int) -> tuple[list[ListItem], int]:
    """Flatten a (possibly nested) list into items with levels; a letter's lists
    are at most two deep."""
    close = tokens[i].type.replace("_open", "_close")
    items: list[ListItem] = []
    i += 1
    while tokens[i].type != close:
        tok = tokens[i]
        if tok.type == "inline":
            items.append(ListItem(_inline(tok), level=min(level, 1)))
        elif tok.type in ("bullet_list_open", "ordered_list_open"):
            nested, i = _list(tokens, i, level + 1)
            items.extend(nested)
            continue
        i += 1
    return items, i + 1


def _table(tokens: list[Token], i: int) -> tuple[Table, int]:
    header: list[Inline] = []
    rows: list[tuple[Inline, ...]] = []
    align: list[str] = []
    row: list[Inline] = []
    in_head = False
    while tokens[i].type != "table_close":
        tok = tokens[i]
        if tok.type == "thead_open":
            in_head = True
        elif tok.type == "thead_close":
            in_head = False
        elif tok.type == "th_open":
            style = str(tok.attrGet("style") or "")
            align.append(style.removeprefix("text-align:") or "left")
        elif tok.type == "inline":
            row.append(_inline(tok))
        elif tok.type == "tr_close":
            if in_head:
                header = row
            else:
                rows.append(tuple(row))
            row = []
        i += 1
    return Table(tuple(header), tuple(rows), tuple(align)), i + 1


def _signature(inner: list[Block]) -> Signature:
    paragraphs = [b for b in inner if isinstance(b, Paragraph)]
    if not paragraphs:
        return Signature((), ())
    closing, rest = paragraphs[0].runs, paragraphs[1:]
    lines: list[Inline] = []
    for para in rest:
        current: list[Run] = []
        for run in para.runs:
            if run == LINE_BREAK:
                lines.append(tuple(current))
                current = []
            else:
                current.append(run)
        lines.append(tuple(current))
    return Signature(closing, tuple(lines))


def _inline(tok: Token) -> Inline:
    """Inline tokens → runs, merging neighbours with the same formatting."""
    runs: list[Run] = []
    bold = italic = 0
    for child in tok.children or []:
        kind = child.type
        if kind == "strong_open":
            bold += 1
        elif kind == "strong_close":
            bold -= 1
        elif kind == "em_open":
            italic += 1
        elif kind == "em_close":
            italic -= 1
        elif kind in ("hardbreak",):
            runs.append(LINE_BREAK)
        elif kind == "softbreak":
            _append(runs, Run(" ", bool(bold), bool(italic)))
        elif kind in ("text", "code_inline", "html_inline"):
            _append(runs, Run(child.content, bool(bold), bool(italic)))
        elif kind == "image":
            _append(runs, Run(child.content, bool(bold), bool(italic)))
    return tuple(runs)


def _append(runs: list[Run], run: Run) -> None:
    if LINE_SEPARATOR in run.text:  # a line break inside a case value
        first, *rest = run.text.split(LINE_SEPARATOR)
        _append(runs, Run(first, run.bold, run.italic))
        for part in rest:
            runs.append(LINE_BREAK)
            _append(runs, Run(part, run.bold, run.italic))
        return
    if not run.text:
        return
    if runs and runs[-1] != LINE_BREAK and (runs[-1].bold, runs[-1].italic) == (
        run.bold,
        run.italic,
    ):
        runs[-1] = Run(runs[-1].text + run.text, run.bold, run.italic)
    else:
        runs.append(run)
