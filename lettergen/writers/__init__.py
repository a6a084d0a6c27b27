"""The four writers of a ``Document``: DOCX, PDF, HTML and Markdown.

``WRITERS`` maps a format name to a function ``(Document) -> bytes``; ``render`` picks
one. Each writer module is imported only inside the function that needs it:
python-docx costs about 70 ms to import and ReportLab about 80 ms, and a command
that writes only a PDF (or only Markdown) must not pay for the other libraries.

The layout numbers the DOCX and PDF writers share live here, so that the two
outputs keep the same page, font sizes and spacing. A pack's ``[style]`` (the
``Document``'s ``style``) changes the family, the size and the margins through
``layout_of``; ``Style()`` gives these numbers unchanged.
"""

from __future__ import annotations

import re
import struct
from collections.abc import Callable
from dataclasses import dataclass

from lettergen.errors import PackError
from lettergen.letters.document import Document, Table, plain_text
from lettergen.packs.style import DEFAULT_STYLE, Letterhead, Style

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

# --- A pack's style (``lettergen.packs.style.Style``) turned into these numbers ---
# family: (the DOCX font, the PDF's file stem). Liberation Serif and Liberation Sans
# have the metrics of Times New Roman and Arial, so the DOCX and the PDF break alike.
FAMILIES = {"serif": ("Times New Roman", "LiberationSerif"),
            "sans": ("Arial", "LiberationSans")}
LINE_HEIGHT = 1.15  # "single" line height of both families, times the font size
LETTERHEAD_NAME_PLUS_PT = 3.0  # the organisation's name: the body size + 3, bold
LETTERHEAD_GAP_PT = 12.0  # between the logo and the text; after the rule
LETTERHEAD_RULE_PT = 0.75  # the rule under the letterhead
LETTERHEAD_PAD_PT = 6.0  # between the letterhead's last line and the rule
MIN_HEADER_DISTANCE_IN = 0.25  # narrow margins bring the page marks nearer the edge


@dataclass(frozen=True)
class Layout:
    """The page of one letter: ``Style()`` gives exactly the numbers above."""

    family: str = "serif"
    docx_font: str = FONT_NAME
    pdf_font: str = "LiberationSerif"
    body_pt: float = BODY_PT
    leading_pt: float = LEADING_PT
    table_pt: float = TABLE_PT
    table_leading_pt: float = TABLE_LEADING_PT
    top_in: float = TOP_BOTTOM_MARGIN_IN
    right_in: float = MARGIN_IN
    bottom_in: float = TOP_BOTTOM_MARGIN_IN
    left_in: float = MARGIN_IN
    header_distance_in: float = HEADER_DISTANCE_IN
    footer_distance_in: float = FOOTER_DISTANCE_IN
    footer: str = ""

    @property
    def heading_pt(self) -> dict[int, float]:
        return {level: size - BODY_PT + self.body_pt for level, size in HEADING_PT.items()}

    @property
    def text_width_pt(self) -> float:
        return (PAGE_WIDTH_IN - self.left_in - self.right_in) * 72


def layout_of(style: Style = DEFAULT_STYLE) -> Layout:
    """The page numbers of a pack's style. A font the writers do not ship is a
    ``PackError`` (the manifest reader refuses it first)."""
    if style.font not in FAMILIES:
        raise PackError(f"pack {style.pack_name or '(unnamed)'}: [style] font must be one of "
                        f"{', '.join(FAMILIES)} (the fonts lettergen ships), not {style.font!r}")
    docx_font, pdf_font = FAMILIES[style.font]
    size = float(style.font_size_pt)
    leading = LEADING_PT if size == BODY_PT else round(size * LINE_HEIGHT, 2)
    top, right, bottom, left = style.margins_in or (
        TOP_BOTTOM_MARGIN_IN, MARGIN_IN, TOP_BOTTOM_MARGIN_IN, MARGIN_IN)
    footer_lines = 1 + (1 if clean(style.footer).strip() else 0)
    footer_room = footer_lines * FOOTER_PT * LINE_HEIGHT / 72 + 0.05  # inches
    return Layout(
        family=style.font, docx_font=docx_font, pdf_font=pdf_font, body_pt=size,
        leading_pt=leading, table_pt=size, table_leading_pt=leading,
        top_in=top, right_in=right, bottom_in=bottom, left_in=left,
        header_distance_in=min(HEADER_DISTANCE_IN,
                               max(MIN_HEADER_DISTANCE_IN, top - HEADER_PT * 1.6 / 72)),
        footer_distance_in=min(FOOTER_DISTANCE_IN,
                               max(MIN_HEADER_DISTANCE_IN, bottom - footer_room)),
        footer=" ".join(clean(style.footer).split()))


def letterhead_lines(head: Letterhead) -> list[str]:
    """The letterhead's lines under the organisation's name: the address lines, then
    phone, email and website on one line."""
    lines = [clean(line).strip() for line in head.address]
    contact = [clean(part).strip() for part in (head.phone, head.email, head.website)]
    if any(contact):
        lines.append(" \u00b7 ".join(part for part in contact if part))
    return [line for line in lines if line]


def logo_size(head: Letterhead, pack_name: str) -> tuple[float, float]:
    """The logo's width and height in points: its width from the style, its height
    from the image's own proportions (read from the PNG or JPEG header). Bytes that
    are neither a PNG nor a JPEG with a size are a ``PackError``."""
    data = head.logo or b""
    pixels = _png_size(data) or _jpeg_size(data)
    if not pixels or not all(pixels):
        raise PackError(f"pack {pack_name or '(unnamed)'}: [style.letterhead] logo is not a "
                        "PNG or JPEG image that can be read (its size is missing or damaged); "
                        "save it again as PNG or JPEG, or remove logo from pack.toml")
    width = float(head.logo_width_in) * 72
    return width, width * pixels[1] / pixels[0]


def _png_size(data: bytes) -> tuple[int, int] | None:
    if data[:8] != b"\x89PNG\r\n\x1a\n" or data[12:16] != b"IHDR" or len(data) < 24:
        return None
    return struct.unpack(">II", data[16:24])


def _jpeg_size(data: bytes) -> tuple[int, int] | None:
    """The size in a JPEG's start-of-frame segment (baseline, progressive, ...)."""
    if data[:2] != b"\xff\xd8":
        return None
    i = 2
    while i + 4 <= len(data):
        if data[i] != 0xFF:
            return None
        marker = data[i + 1]
        if marker == 0xFF:  # fill byte
            i += 1
            continue
        if marker in (0xD8, 0x01) or 0xD0 <= marker <= 0xD7:  # no length
            i += 2
            continue
        length = struct.unpack(">H", data[i + 2:i + 4])[0]
        if 0xC0 <= marker <= 0xCF and marker not in (0xC4, 0xC8, 0xCC):
            if i + 9 > len(data):
                return None
            height, width = struct.unpack(">HH", data[i + 5:i + 9])
            return width, height
        i += 2 + length
    return None


_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def clean(text: str) -> str:
    """Text without control characters, which XML (DOCX, HTML) cannot hold; a
    carriage return becomes a newline."""
    return _CONTROL.sub("", text.replace("\r\n", "\n").replace("\r", "\n"))


def _width_pt(text: str, size: float) -> float:
    """A generous estimate of the width of ``text`` in a Times-like bold face."""
    return sum(0.75 if ch.isupper() else 0.56 for ch in text) * size


def column_widths(table: Table, total: float = TEXT_WIDTH_PT,
                  size: float = TABLE_PT) -> list[float]:
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
        least.append(min(max(_width_pt(w, size) for w in words) + pad, total * 0.45))
        want.append(max(least[-1], _width_pt(max(lines, key=len)[:60], size) + pad))
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
    from lettergen.writers.reportlab_import import import_platypus

    import_platypus()
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


# "Page 1 of 2" in the letter's language (its document language tag).
_PAGE_WORDS = {"en": ("Page", "of"), "es": ("Página", "de")}


def page_words(language: str) -> tuple[str, str]:
    """The words around the page numbers: ("Page", "of"), or ("Página", "de")."""
    return _PAGE_WORDS.get(language.split("-")[0], _PAGE_WORDS["en"])
