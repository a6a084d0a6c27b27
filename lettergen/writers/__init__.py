"""The four writers of a ``Document``: DOCX, PDF, HTML and Markdown.

``WRITERS`` maps a format name to a function ``(Document) -> bytes``; ``render`` picks
one. Each writer module is imported only inside the function that needs it:
python-docx costs about 70 ms to import and ReportLab about 80 ms, and a command
that writes only a PDF (or only Markdown) must not pay for the other libraries.

The layout numbers the DOCX and PDF writers share live here, so that the two
outputs keep the same page, font sizes and spacing.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from lettergen.document import Document, Table, plain_text

# --- Layout shared by the DOCX and PDF writers (points unless said otherwise) ---
FONT_NAME = "Times New Roman"  # DOCX; the PDF embeds metric-compatible Liberation Serif
# A compact business letter that stays easy to read: 11 pt body (never smaller),
# single-spaced, half a line between paragraphs, 0.75 in above and below the text and
# 1 in at the sides (a shorter line is easier to follow). A call confirmation or an
# itemized-bill request then fits on one page (tests/test_layout.py; bench/pages.py
# shows the demo's page counts).
BODY_PT = 11.0
LEADING_PT = 12.65  # PDF line height: Word's and LibreOffice's "single" for 11 pt Times
HEADING_PT = {1: 13.0, 2: 12.0, 3: 11.0}
HEADING_BEFORE_PT = 10.0
HEADING_AFTER_PT = 4.0
PARAGRAPH_AFTER_PT = 6.0  # space after a body paragraph, a list and a table
LIST_ITEM_AFTER_PT = 2.0  # space between list items
LIST_INDENT_PT = 18.0  # per level; the bullet hangs in the first 18 pt
TABLE_PT = 11.0
TABLE_LEADING_PT = 12.65  # single spacing for 11 pt Times, as for the body
TABLE_PAD_PT = 2.0  # above and below a cell's text
TABLE_CELL_MARGIN_PT = 5.4  # left and right, Word's Table Grid default
SIGN_SPACE_PT = 36.0  # room to sign: half an inch after the closing
FOOTER_PT = 9.0  # "Page 1 of 2" at the foot of the first page
HEADER_PT = 10.0  # the running head of the later pages: patient, claim, "Page 2 of 2"
PAGE_WIDTH_IN, PAGE_HEIGHT_IN, MARGIN_IN = 8.5, 11.0, 1.0
TOP_BOTTOM_MARGIN_IN = 0.75  # above and below the text; MARGIN_IN left and right
FOOTER_DISTANCE_IN = 0.45  # from the bottom edge to the foot of "Page 1 of 2"
HEADER_DISTANCE_IN = 0.45  # from the top edge to the top of the running head
TEXT_WIDTH_PT = (PAGE_WIDTH_IN - 2 * MARGIN_IN) * 72

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def clean(text: str) -> str:
    """Text without control characters, which XML (DOCX, HTML) cannot hold; a
    carriage return becomes a newline."""
    return _CONTROL.sub("", text.replace("\r\n", "\n").replace("\r", "\n"))


def _width_pt(text: str, size: float) -> float:
    """A generous estimate of the width of ``text`` in a Times-like bold face."""
    return sum(0.75 if ch.isupper() else 0.56 for ch in text) * size


def column_widths(table: Table, total: float = TEXT_WIDTH_PT) -> list[float]:
    """Column widths summing to ``total``: each at least as wide as its longest word
    (so "Representative" or "$27,000.00" never breaks), the rest shared by how much
    text each column holds (a long "What was said" column gets most)."""
    ncols = len(table.header)
    pad = 2 * TABLE_CELL_MARGIN_PT + 2
    least, want = [], []
    for col in range(ncols):
        cells = [table.header[col]] + [row[col] for row in table.rows if col < len(row)]
        texts = [plain_text(cell) for cell in cells]
        words = [w for text in texts for w in text.split()] or [""]
        lines = [line for text in texts for line in text.split("\n")] or [""]
        least.append(min(max(_width_pt(w, TABLE_PT) for w in words) + pad, total * 0.45))
        want.append(max(least[-1], _width_pt(max(lines, key=len)[:60], TABLE_PT) + pad))
    if not ncols:
        return []
    if sum(want) <= total:  # all fits: widen every column alike, as Word would
        return [w * total / sum(want) for w in want]
    if sum(least) >= total:  # even the longest words do not fit: shrink alike
        return [w * total / sum(least) for w in least]
    share = (total - sum(least)) / (sum(want) - sum(least))
    return [lo + (hi - lo) * share for lo, hi in zip(least, want, strict=True)]


def _docx(doc: Document) -> bytes:
    from lettergen.writers.docx_writer import write_docx

    return write_docx(doc)


def _pdf(doc: Document) -> bytes:
    from lettergen.writers.pdf_writer import write_pdf

    return write_pdf(doc)


def _md(doc: Document) -> bytes:
    from lettergen.writers.markdown_writer import write_markdown

    return write_markdown(doc)


def _html(doc: Document) -> bytes:
    from lettergen.writers.html_writer import write_html

    return write_html(doc)


WRITERS: dict[str, Callable[[Document], bytes]] = {
    "docx": _docx,
    "pdf": _pdf,
    "md": _md,
    "html": _html,
}


def render(doc: Document, fmt: str) -> bytes:
    """The bytes of ``doc`` in format ``fmt`` (a key of ``WRITERS``)."""
    try:
        writer = WRITERS[fmt]
    except KeyError:
        raise ValueError(f"unknown format {fmt!r}; expected one of {', '.join(WRITERS)}") from None
    return writer(doc)
