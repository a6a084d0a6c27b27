"""How a pack's letters look: the ``[style]`` table of its ``pack.toml``.

A style is plain data read once when the pack is opened (``pack_manifest``) and handed
to the writers on the ``Document``; the writers never open a pack's files themselves.
Every field has the built-in look as its default, so ``Style()`` is the letter as
lettergen prints it without a pack. The logo and the reference document are bytes
already read from inside the pack (size-limited, checked by their first bytes).
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Letterhead:
    """An organisation's letterhead, printed at the top of the first page above the
    sender block: its name, address lines, phone, email and website, and a logo."""

    organization: str = ""
    address: tuple[str, ...] = ()
    phone: str = ""
    email: str = ""
    website: str = ""
    logo: bytes | None = field(default=None, repr=False)  # PNG or JPEG bytes
    logo_type: str = ""  # "png" or "jpeg"
    logo_width_in: float = 1.5


@dataclass(frozen=True)
class Style:
    """Fonts, size, margins, footer and letterhead; ``reference_docx`` the bytes of a
    Word document whose styles, header and footer the DOCX writer starts from."""

    font: str = "serif"  # a bundled family ("serif", "sans"); see the writers
    font_size_pt: float = 11.0
    margins_in: tuple[float, float, float, float] | None = None  # top, right, bottom, left
    footer: str = ""
    letterhead: Letterhead | None = None
    reference_docx: bytes | None = field(default=None, repr=False)
    pack_name: str = ""  # recorded in the files' properties with the version
    pack_version: str = ""


DEFAULT_STYLE = Style()
