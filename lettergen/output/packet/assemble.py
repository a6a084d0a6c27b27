"""Pages into files: number and stamp every page, bookmark every part, split into parts.

A packet is a list of *units*, runs of pages that are never split: the front (the fax
cover, the letter and the exhibit index) and each exhibit with its cover sheet. Parts are
made of whole units, in order. Page numbers count through the whole packet, so page 9 is
page 9 in whichever part it is.
"""

from __future__ import annotations

import datetime as _dt
import io
import math
from dataclasses import dataclass, field
from typing import Any

from lettergen.errors import LettergenError
from lettergen.output.packet.sheets import stamps_pdf
from lettergen.output.packet.sources import quiet_pypdf

MAX_PACKET_PAGES = 2000
MB = 1_000_000  # --max-size counts in megabytes as portals and fax services state them


class PacketTooLargeError(LettergenError):
    """Raised when a packet cannot be split within --max-pages or --max-size: the part
    that cannot shrink (the letter, or one exhibit) is named, with the limit it needs."""


@dataclass
class Unit:
    """Pages kept together in one part, their bookmarks (title, page in the unit) and
    the label each page's stamp carries before its number ("Exhibit A", or "")."""

    name: str  # in messages: "the letter and the exhibit index", "Exhibit B (...)"
    pages: list[Any] = field(default_factory=list)  # pypdf page objects
    bookmarks: list[tuple[str, int]] = field(default_factory=list)
    label: str = ""

    def add(self, reader: Any, bookmark: str = "") -> None:
        if bookmark:
            self.bookmarks.append((bookmark, len(self.pages)))
        self.pages += list(reader.pages)


@dataclass(frozen=True)
class Limits:
    max_pages: int | None = None
    max_bytes: int | None = None

    @property
    def any(self) -> bool:
        return bool(self.max_pages or self.max_bytes)


@dataclass(frozen=True)
class Metadata:
    title: str
    author: str
    date: _dt.date


def stamp_text(label: str, number: int, total: int, part: int, parts: int) -> str:
    """What the margin of a page says: "Exhibit A · Packet page 7 of 12 · Part 2 of 3"."""
    words = [label] if label else []
    words.append(f"Packet page {number} of {total}")
    if parts > 1:
        words.append(f"Part {part} of {parts}")
    return " · ".join(words)


def write_part(units: list[Unit], first_page: int, total: int, part: int, parts: int,
               meta: Metadata) -> bytes:
    """One part's PDF: its units' pages, each stamped with its number in the packet,
    a bookmark for each unit's bookmarks, and metadata without case details."""
    from pypdf import PdfReader, PdfWriter
    from pypdf.generic import NameObject

    writer = PdfWriter()
    stamps: list[tuple[float, float, str]] = []
    marks: list[tuple[str, int]] = []
    with quiet_pypdf():
        for unit in units:
            start = len(writer.pages)
            marks += [(title, start + offset) for title, offset in unit.bookmarks]
            for source in unit.pages:
                page = writer.add_page(source)
                if page.get("/Rotate", 0) % 360:
                    page.transfer_rotation_to_content()
                number = first_page + len(stamps)
                stamps.append((float(page.mediabox.width), float(page.mediabox.height),
                               stamp_text(unit.label, number, total, part, parts)))
        overlay = PdfReader(io.BytesIO(stamps_pdf(stamps)))
        for page, stamp in zip(writer.pages, overlay.pages, strict=True):
            box = page.mediabox
            page.merge_translated_page(stamp, float(box.left), float(box.bottom))
        for title, index in marks:
            writer.add_outline_item(title=title, page_number=index)
        writer.page_mode = NameObject("/UseOutlines")
        pdf_date = f"D:{meta.date:%Y%m%d}000000+00'00'"
        writer.add_metadata({"/Title": meta.title, "/Author": meta.author,
                             "/Subject": "Letter with its exhibits",
                             "/Creator": "lettergen", "/Producer": "lettergen",
                             "/CreationDate": pdf_date, "/ModDate": pdf_date})
        writer.compress_identical_objects()
        buf = io.BytesIO()
        writer.write(buf)
    return buf.getvalue()


def page_total(units: list[Unit]) -> int:
    return sum(len(u.pages) for u in units)


def plan_parts(units: list[Unit], limits: Limits, meta: Metadata) -> list[list[Unit]]:
    """Whole units, in order, into as few parts as the limits allow (each part filled
    before the next starts); one part when no limit is given or all fits. Raises
    ``PacketTooLargeError`` naming a unit that alone exceeds a limit."""
    total = page_total(units)
    if total > MAX_PACKET_PAGES:
        raise PacketTooLargeError(f"the packet would have {total:,} pages; the limit is "
                                  f"{MAX_PACKET_PAGES:,}: attach only the pages that matter")
    if not limits.any:
        return [units]
    for unit in units:
        _fits_alone(unit, limits, meta)
    parts: list[list[Unit]] = [[units[0]]]
    for unit in units[1:]:
        if _fits(parts[-1] + [unit], limits, meta):
            parts[-1].append(unit)
        else:
            parts.append([unit])
    return parts


def _size(units: list[Unit], meta: Metadata) -> int:
    """The bytes of a part of these units, stamped with the longest numbers there
    can be, so that the final part is no larger."""
    return len(write_part(units, MAX_PACKET_PAGES, MAX_PACKET_PAGES, 99, 99, meta))


def _fits(units: list[Unit], limits: Limits, meta: Metadata) -> bool:
    if limits.max_pages and page_total(units) > limits.max_pages:
        return False
    return not limits.max_bytes or _size(units, meta) <= limits.max_bytes


def _fits_alone(unit: Unit, limits: Limits, meta: Metadata) -> None:
    front = unit.label == ""
    fix = ("the letter is never split" if front
           else "an exhibit is never split: remove pages from its file")
    pages = len(unit.pages)
    if limits.max_pages and pages > limits.max_pages:
        raise PacketTooLargeError(f"nothing was written: {unit.name}: {pages} pages, more "
                                  f"than --max-pages {limits.max_pages} allows; {fix}, so "
                                  f"allow at least --max-pages {pages}")
    if limits.max_bytes:
        size = _size([unit], meta)
        if size > limits.max_bytes:
            need = math.ceil(size * 100 / MB) / 100
            raise PacketTooLargeError(
                f"nothing was written: {unit.name}: {size / MB:.2f} MB, more than "
                f"--max-size {limits.max_bytes / MB:g} allows; {fix}, so allow at least "
                f"--max-size {need:g}")
