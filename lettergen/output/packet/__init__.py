"""``packet``: one letter and its evidence as one PDF, to upload to a portal or fax.

The packet holds, in order: a fax cover (with ``fax_cover``), the letter exactly as
``build`` writes its PDF, an exhibit index, and each enclosure meant for the letter's
recipient that has a ``file``, as exhibit A, B, C..., each behind a cover sheet
("Exhibit A", its title, the patient and the claim or account number). Every page's
bottom margin is stamped "Packet page N of M" (with "Exhibit A" on an exhibit's pages
and "Part k of n" in a split packet); the letter keeps its own "Page 1 of 2" as well.
The PDF's bookmarks lead to the letter, the index and each exhibit. The pages the packet
adds (covers, index, stamps) are in English, whatever the letter's language.

The documents are those the letter itself encloses (``Letter.enclosures``, the same
choice its Enclosures list makes): a collector never gets chart notes. An enclosure
without a file is listed on the index as "not attached (no file given)".

Everything is read, checked and assembled in memory before anything is written; the
files are then written all or nothing, never over an existing file without ``force``.
The same case gives the same bytes (fixed dates, no random file ID). The file's metadata
carries the letter's title and the signer's name only: no diagnosis, code or amount.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from pathlib import Path
from typing import Any

from lettergen.case.money import format_date
from lettergen.errors import LettergenError
from lettergen.letters.render import Letter, language_note
from lettergen.output.build import (
    CASE_MARKER,
    OutputFile,
    case_folder_name,
    render_all,
    write_files,
    write_named_files,
)
from lettergen.output.packet.assemble import (
    MB,
    Limits,
    Metadata,
    PacketTooLargeError,
    Unit,
    page_total,
    plan_parts,
    write_part,
)
from lettergen.output.packet.sheets import (
    FaxCover,
    IndexRow,
    exhibit_cover_pdf,
    fax_cover_pdf,
    index_pdf,
)
from lettergen.output.packet.sources import Exhibit, load_exhibits

__all__ = ["MB", "Limits", "PacketError", "PacketTooLargeError", "make_packet", "packet"]


NO_LIMITS = Limits()


class PacketError(LettergenError):
    """Raised when an enclosure's file cannot be attached: names each one (its
    ``[[enclosures]]`` number and title), its path and the fix."""


def _reader(data: bytes) -> Any:
    from pypdf import PdfReader

    return PdfReader(io.BytesIO(data))


def _letter_pdf(case: Any, letter: Letter) -> bytes:
    from lettergen.letters.sandbox import LimitExceeded, time_limit
    from lettergen.output.build import BuildRefusedError
    from lettergen.writers import render

    try:
        with time_limit():
            return render(letter.document, "pdf")
    except LimitExceeded as exc:
        raise BuildRefusedError(f"{case.source_path}: nothing was written; "
                                f"{letter.info.id}.pdf: {exc}") from None


def _sender(case: Any) -> Any:
    return case.sender if case.sender and case.sender.name else case.patient


def _fax_cover(case: Any, letter: Letter, total: int, parts: list[int]) -> FaxCover:
    """The cover's fields. The subject is the letter's title and the claim or account
    number the recipient files it under: never a diagnosis, code or amount."""
    recipient = letter.recipient
    sender = _sender(case)
    reference = letter.document.running_head.split(" · ")[1:]
    subject = ": ".join([letter.info.title, *reference])
    pages = f"{total}, including this cover"
    if len(parts) > 1:
        pages += f", sent in {len(parts)} parts (this part: {parts[0]} pages)"
    return FaxCover(to=recipient.name if recipient else "",
                    to_fax=recipient.fax if recipient else "",
                    sender=str(sender.name), sender_phone=str(sender.phone or ""),
                    sender_email=str(sender.email or ""), date=format_date(case.today),
                    pages=pages, subject=subject)


def _front(case: Any, letter: Letter, letter_pdf: Any, rows: list[IndexRow],
           unattached: list[str], fax: FaxCover | None) -> Unit:
    front = Unit("the letter and the exhibit index" + (" (with the fax cover)" if fax
                                                          else ""))
    if fax:
        front.add(_reader(fax_cover_pdf(fax)), "Fax cover")
    front.add(letter_pdf, f"Letter: {letter.info.title}")
    heading = f"Enclosed with: {letter.info.title}, {format_date(case.today)}"
    front.add(_reader(index_pdf(heading, letter.document.running_head, rows, unattached)),
              "Exhibit index")
    return front


def _exhibit_unit(exhibit: Exhibit, reference: str) -> Unit:
    unit = Unit(f"Exhibit {exhibit.label} ({exhibit.title!r}, [[enclosures]] "
                f"#{exhibit.number})", label=f"Exhibit {exhibit.label}")
    cover = exhibit_cover_pdf(exhibit.label, exhibit.title, reference, exhibit.page_count)
    unit.add(_reader(cover), f"Exhibit {exhibit.label}: {exhibit.title}")
    unit.add(exhibit.reader)
    return unit


def make_packet(case: Any, template_id: str, packs: tuple[Any, ...],
                contact_index: int | None = None, fax_cover: bool = False,
                limits: Limits = NO_LIMITS) -> tuple[Letter, list[bytes]]:
    """The letter and the packet's parts as PDF bytes (one part unless a limit splits
    it), or an error naming every enclosure that cannot be attached."""
    letter = render_all(case, [template_id], packs, contact_index)[0]
    exhibits, unattached, problems = load_exhibits(case, letter.enclosures)
    if problems:
        raise PacketError(f"{case.source_path}: nothing was written; {len(problems)} "
                          "enclosure file(s) cannot be attached:\n" + "\n".join(problems))
    letter_pdf = _reader(_letter_pdf(case, letter))
    reference = letter.document.running_head
    exhibit_units = [_exhibit_unit(e, reference) for e in exhibits]
    meta = Metadata(f"{letter.info.title}, with exhibits", letter.document.author,
                    case.today)
    # The index names each exhibit's page and part, which depend on the front's length
    # and on the split: render, plan, and again until nothing moves (twice, usually).
    front_pages, part_of, sizes = 0, {}, [0]
    for _ in range(6):
        rows, first = [], front_pages + 1
        for exhibit, unit in zip(exhibits, exhibit_units, strict=True):
            where = f" (part {part_of[unit.label]})" if len(sizes) > 1 else ""
            rows.append(IndexRow(exhibit.label, exhibit.title, f"{first}{where}"))
            first += len(unit.pages)
        total = front_pages + sum(len(u.pages) for u in exhibit_units)
        fax = _fax_cover(case, letter, total, sizes) if fax_cover else None
        front = _front(case, letter, letter_pdf, rows, unattached, fax)
        parts = plan_parts([front, *exhibit_units], limits, meta)
        planned = ({u.label: k for k, part in enumerate(parts, 1) for u in part},
                   [page_total(part) for part in parts])
        settled = (len(front.pages), *planned) == (front_pages, part_of, sizes)
        front_pages, (part_of, sizes) = len(front.pages), planned
        if settled:
            break
    else:  # the index's numbers would not match the pages: a bug, never the user's input
        raise RuntimeError("the packet's page numbers did not settle")
    total, first, out = sum(sizes), 1, []
    for k, part in enumerate(parts, 1):
        out.append(write_part(part, first, total, k, len(parts), meta))
        first += page_total(part)
    if limits.max_bytes and any(len(data) > limits.max_bytes for data in out):
        raise PacketTooLargeError("nothing was written: a part came out larger than "
                                  "--max-size; allow a little more")
    return letter, out


def packet_paths(case: Any, letter: Letter, parts: int, output: Path | None,
                 out_dir: Path) -> list[Path]:
    """``OUT.pdf`` (``OUT.part1.pdf``, ...), or ``DIR/<case folder>/<id>.packet.pdf``."""
    if output is None:
        output = out_dir / case_folder_name(case.stem) / f"{letter.file_stem}.packet.pdf"
    if parts == 1:
        return [output]
    suffix = output.suffix or ".pdf"
    stem = output.name[: -len(output.suffix)] if output.suffix else output.name
    return [output.with_name(f"{stem}.part{k}{suffix}") for k in range(1, parts + 1)]


def packet(case: Any, template_id: str, packs: tuple[Any, ...], *, output: Path | None = None,
           out_dir: Path = Path("letters"), contact_index: int | None = None,
           fax_cover: bool = False, limits: Limits = NO_LIMITS, force: bool = False,
           on_note: Callable[[str], None] | None = None) -> list[Path]:
    """Make the packet and write it: to ``output`` when given, else into the case's
    folder under ``out_dir`` as ``build`` does. Returns the written paths."""
    letter, parts = make_packet(case, template_id, packs, contact_index, fax_cover, limits)
    if on_note:
        for text in ([language_note(case)] if language_note(case) else []) + [
                f"{letter.info.id}: {n}" for n in letter.notes]:
            on_note(text)
    paths = packet_paths(case, letter, len(parts), output, out_dir)
    files = [OutputFile(path, data) for path, data in zip(paths, parts, strict=True)]
    if output is not None:
        return write_named_files(files, force)
    owner = str(Path(case.source_path).resolve()) + "\n"
    marker = OutputFile(paths[0].parent / CASE_MARKER, owner.encode("utf-8", "surrogatepass"))
    return write_files([*files, marker], force)
