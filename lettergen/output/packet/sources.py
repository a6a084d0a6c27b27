"""The documents of a packet: every enclosure's file read, checked and opened as PDF pages.

Everything is read and checked before anything is written, and every bad file is
reported at once, each by its ``[[enclosures]]`` number, its title and its path, with
what to do. A file is accepted when it really is a PDF (not password-protected, readable
by pypdf, with pages), a PNG or a JPEG; the file name's extension is not trusted.

Paths: ``file`` is relative to the case file's folder (an absolute path is used as it
is). ``..`` and symbolic links are allowed: the documents are the user's own, often in a
folder beside the case file, and lettergen only reads them. Only regular files are read
(no devices or pipes), and never more than ``MAX_FILE_BYTES``.
"""

from __future__ import annotations

import io
import logging
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from lettergen.safe_read import UnreadableFile, read_limited
from lettergen.terminal import visible

MAX_FILE_BYTES = 50_000_000  # one enclosure's file
MAX_FILE_PAGES = 500  # one enclosure's pages
MAX_IMAGE_PIXELS = 50_000_000  # about a 600 dpi scan of a letter page, twice over

PNG_MAGIC = b"\x89PNG\r\n\x1a\n"
JPEG_MAGIC = b"\xff\xd8\xff"


@dataclass(frozen=True)
class Exhibit:
    """One attached enclosure: its label in the packet ("A"), its title, its
    ``[[enclosures]]`` number, and its pages as a PDF (an image is already placed on a
    letter-size page)."""

    label: str
    title: str
    number: int
    reader: Any  # pypdf.PdfReader

    @property
    def page_count(self) -> int:
        return len(self.reader.pages)


def exhibit_label(position: int) -> str:
    """A, B, ... Z, AA, AB, ...: the label of the ``position``-th exhibit (0-based)."""
    label = ""
    position += 1
    while position:
        position, rest = divmod(position - 1, 26)
        label = chr(ord("A") + rest) + label
    return label


def enclosure_number(case: Any, enclosure: Any) -> int:
    """The 1-based position of ``enclosure`` among the case's ``[[enclosures]]``."""
    return next(i for i, e in enumerate(case.enclosures, 1) if e is enclosure)


def load_exhibits(case: Any, enclosures: tuple[Any, ...]
                  ) -> tuple[list[Exhibit], list[str], list[str]]:
    """The exhibits (the enclosures that have a file, in order, labelled A, B, ...), the
    titles of those without a file, and every problem found (empty when all is well)."""
    folder = Path(case.source_path).parent
    exhibits: list[Exhibit] = []
    unattached: list[str] = []
    problems: list[str] = []
    for enclosure in enclosures:
        title = str(enclosure.title)
        if not enclosure.file:
            unattached.append(title)
            continue
        number = enclosure_number(case, enclosure)
        path = folder / str(enclosure.file)
        try:
            reader = open_document(path)
        except UnreadableFile as exc:
            problems.append(f"  [[enclosures]] #{number} ({visible(title)!r}): "
                            f"{visible(str(path))}: {exc}")
            continue
        exhibits.append(Exhibit(exhibit_label(len(exhibits)), title, number, reader))
    return exhibits, unattached, problems


def open_document(path: Path) -> Any:
    """``path`` as a pypdf reader: a PDF as it is, a PNG or JPEG placed on a page.
    Raises ``UnreadableFile`` with the reason and the fix."""
    data = read_limited(path, MAX_FILE_BYTES)
    if data.lstrip()[:5] == b"%PDF-" or b"%PDF-" in data[:1024]:
        return _open_pdf(data)
    if data.startswith(PNG_MAGIC) or data.startswith(JPEG_MAGIC):
        from lettergen.output.packet.sheets import image_page

        return _open_pdf(image_page(*_open_image(data)))
    raise UnreadableFile("it is not a PDF, PNG or JPEG file; save or scan it as PDF "
                         "(or PNG or JPEG) and name that file")


@contextmanager
def quiet_pypdf() -> Iterator[None]:
    """pypdf tells of small defects it repairs through logging and warnings; a
    packet reports only what stops it."""
    log = logging.getLogger("pypdf")
    level = log.level
    log.setLevel(logging.CRITICAL)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            yield
    finally:
        log.setLevel(level)


def _open_pdf(data: bytes) -> Any:
    from pypdf import PdfReader

    with quiet_pypdf():
        try:
            reader = PdfReader(io.BytesIO(data), strict=False)
            encrypted = reader.is_encrypted
            if not encrypted:
                count = len(reader.pages)
                for page in reader.pages:  # reads every page now: damage shows here
                    _ = page.mediabox, page.get_contents()
        except Exception:  # pypdf raises many kinds for a damaged file
            raise UnreadableFile("it is damaged or not a PDF that can be read; open it "
                                 "and save (or print) it as a new PDF") from None
    if encrypted:
        raise UnreadableFile("it is password-protected (encrypted); open it, print it to "
                             "a new PDF (Print > Save as PDF), and name that file")
    if count == 0:
        raise UnreadableFile("the PDF has no pages")
    if count > MAX_FILE_PAGES:
        raise UnreadableFile(f"it has {count:,} pages; the limit is {MAX_FILE_PAGES} for "
                             "one document: attach only the pages that matter")
    return reader


def _open_image(data: bytes) -> tuple[Any, bytes | None]:
    """A PNG or JPEG as a Pillow image, upright (a phone photo's EXIF orientation
    applied), in RGB or grey; and the file's bytes when they can be embedded as they are
    (an upright RGB or grey JPEG: a photo stays its size, not ten times it)."""
    from PIL import Image, ImageOps

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image = Image.open(io.BytesIO(data))
            if image.format not in ("PNG", "JPEG"):
                raise UnreadableFile("it is not a PNG or JPEG image")
            width, height = image.size
            if width * height > MAX_IMAGE_PIXELS:
                raise UnreadableFile(f"the image is {width} × {height} pixels; the limit "
                                     f"is {MAX_IMAGE_PIXELS:,} pixels: save it smaller")
            image.load()
            upright = image.getexif().get(0x0112, 1) == 1
            if image.format == "JPEG" and upright and image.mode in ("RGB", "L"):
                return image, data
            image = ImageOps.exif_transpose(image)
    except UnreadableFile:
        raise
    except Exception:  # Pillow's kinds for a cut-off or damaged image
        raise UnreadableFile("the image is damaged or cut off; save it again") from None
    if image.mode in ("RGBA", "LA", "P", "PA"):  # transparency onto white paper
        image = image.convert("RGBA")
        paper = Image.new("RGB", image.size, "white")
        paper.paste(image, mask=image.getchannel("A"))
        return paper, None
    return (image if image.mode in ("RGB", "L") else image.convert("RGB")), None
