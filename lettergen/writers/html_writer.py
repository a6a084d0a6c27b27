"""Write a ``Document`` as HTML: a standalone page, or a fragment for a web page.

The page carries a small print-friendly stylesheet (serif type, a letter-width
column, 1-inch print margins), so it can be opened in a browser and printed as is.
Every piece of text goes through ``html.escape``: what a case file says is shown,
never interpreted.
"""

from __future__ import annotations

from html import escape

from lettergen.letters.document import (
    Document,
    Heading,
    Inline,
    ListBlock,
    ListItem,
    PageBreak,
    Paragraph,
    Signature,
    Table,
)
from lettergen.writers import clean

STYLESHEET = """\
body { font-family: "Times New Roman", "Liberation Serif", Times, serif; font-size: 12pt;
  line-height: 1.2; max-width: 6.5in; margin: 1in auto; padding: 0 1em; color: #000; }
p { margin: 0 0 10pt; }
h1, h2, h3 { margin: 12pt 0 6pt; break-after: avoid; }
h1 { font-size: 14pt; } h2 { font-size: 13pt; } h3 { font-size: 12pt; }
ul, ol { margin: 0 0 10pt; padding-left: 18pt; }
li { margin-bottom: 3pt; }
table { border-collapse: collapse; width: 100%; margin: 0 0 10pt; font-size: 11pt; }
th, td { border: 0.5pt solid #000; padding: 2pt 5.4pt; vertical-align: top; }
thead { display: table-header-group; }
tr { break-inside: avoid; }
.signature { break-inside: avoid; }
.signature .closing { margin-bottom: 36pt; }
p, li { orphans: 2; widows: 2; }
@page { size: letter; margin: 0.75in 1in; }
@media print { body { margin: 0; padding: 0; max-width: none; font-size: 11pt; }
  p { margin-bottom: 6pt; } li { margin-bottom: 2pt; } }
"""


def _inline(runs: Inline) -> str:
    parts = []
    for run in runs:
        if run.text == "\n":
            parts.append("<br>")
            continue
        text = escape(clean(run.text)).replace("\n", "<br>")
        if run.italic:
            text = f"<em>{text}</em>"
        if run.bold:
            text = f"<strong>{text}</strong>"
        parts.append(text)
    return "".join(parts)


def _list(items: tuple[ListItem, ...], ordered: bool) -> str:
    """Nested HTML lists: a level-1 item goes into a list inside the item before it."""
    tag = "ol" if ordered else "ul"
    groups: list[tuple[ListItem, list[ListItem]]] = []
    for item in items:
        if item.level >= 1 and groups:
            groups[-1][1].append(item)
        else:
            groups.append((item, []))
    out = [f"<{tag}>"]
    for item, subs in groups:
        nested = "".join(f"\n<li>{_inline(sub.runs)}</li>" for sub in subs)
        nested = f"\n<{tag}>{nested}\n</{tag}>\n" if subs else ""
        out.append(f"<li>{_inline(item.runs)}{nested}</li>")
    out.append(f"</{tag}>")
    return "\n".join(out)


def _table(block: Table) -> str:
    def row(cells, tag: str) -> str:
        tds = []
        for c in range(len(block.header)):
            align = block.align[c] if c < len(block.align) else "left"
            style = f' style="text-align: {align}"' if align in ("right", "center") else ""
            tds.append(f"<{tag}{style}>{_inline(cells[c] if c < len(cells) else ())}</{tag}>")
        return "<tr>" + "".join(tds) + "</tr>"

    body = "\n".join(row(cells, "td") for cells in block.rows)
    head = row(block.header, "th")
    return f"<table>\n<thead>\n{head}\n</thead>\n<tbody>\n{body}\n</tbody>\n</table>"


def _block(block) -> str:
    if isinstance(block, Paragraph):
        return f"<p>{_inline(block.runs)}</p>"
    if isinstance(block, Heading):
        level = min(max(block.level, 1), 3)
        return f"<h{level}>{_inline(block.runs)}</h{level}>"
    if isinstance(block, ListBlock):
        return _list(block.items, block.ordered)
    if isinstance(block, Table):
        return _table(block)
    if isinstance(block, Signature):
        lines = "<br>".join(_inline(line) for line in block.lines)
        return (f'<div class="signature">\n<p class="closing">{_inline(block.closing)}</p>\n'
                f"<p>{lines}</p>\n</div>")
    if isinstance(block, PageBreak):
        return '<div class="page-break" style="break-after: page"></div>'
    raise TypeError(f"unknown block {type(block).__name__}")


def html_fragment(doc: Document) -> str:
    """The letter's body content only, for embedding in a web page."""
    return "\n".join(_block(block) for block in doc.blocks) + "\n"


def write_html(doc: Document) -> bytes:
    """A complete HTML5 page, UTF-8."""
    head = [
        "<!DOCTYPE html>",
        f'<html lang="{escape(doc.language)}">',
        "<head>",
        '<meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{escape(clean(doc.title))}</title>",
        f'<meta name="author" content="{escape(clean(doc.author))}">',
        '<meta name="generator" content="lettergen">',
        f"<style>\n{STYLESHEET}</style>",
        "</head>",
        "<body>",
    ]
    page = "\n".join(head) + "\n" + html_fragment(doc) + "</body>\n</html>\n"
    return page.encode("utf-8")
