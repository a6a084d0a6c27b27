"""The DOCX writer's starting document and its zip: python-docx's work done once.

python-docx's default template carries a 438 KB ``styles.xml`` (and a Word 2010 copy
of it that the letter drops). Opening the template for every letter parsed both, and
saving serialised and compressed the styles again, then ``_fix_zip_times`` unpacked and
recompressed the whole zip to date its members: about half of the time of a DOCX.

Here the template is opened once a process for each page layout and language, with
its styles made ready (``styles_ready``); every letter starts from a copy of it that
shares the parts no letter changes (the styles, the theme, the font table...), and the
zip is written once, its members already dated. The bytes are those python-docx's
``Document()`` + ``save`` + the old re-dating gave: the same parts in the same order,
the same XML, the same zip settings.
"""

from __future__ import annotations

import copy
import datetime as _dt
import io
import zipfile
import zlib
from collections.abc import Callable

from docx import Document as new_docx
from docx.document import Document as DocxDocument
from docx.opc.part import Part
from docx.opc.pkgwriter import PackageWriter

# The parts of python-docx's template that a letter reads but never changes. A letter's
# copy shares them with the template instead of copying them (the styles are read to
# look names up; the letter's own settings go in the styles before sharing).
_SHARED_PARTS = frozenset({
    "/word/styles.xml", "/word/stylesWithEffects.xml", "/word/theme/theme1.xml",
    "/word/fontTable.xml", "/word/webSettings.xml", "/docProps/thumbnail.jpeg",
    "/customXml/item1.xml", "/customXml/itemProps1.xml",
})
_MAC_WORD = b"<Application>Microsoft Macintosh Word</Application>"


class SharedBlob:
    """A shared part's bytes, and those bytes deflated as ``zipfile`` deflates them
    (zlib's default level, raw deflate): compressing the styles alone took 3.5 ms.
    Both are made when first written (the Word 2010 styles the letter drops never are)."""

    def __init__(self, part: Part):
        self._part = part
        self._data: bytes | None = None
        self._deflated: bytes | None = None

    @property
    def data(self) -> bytes:
        if self._data is None:
            self._data = self._part.blob
        return self._data

    @property
    def deflated(self) -> bytes:
        if self._deflated is None:
            compressor = zlib.compressobj(zlib.Z_DEFAULT_COMPRESSION, zlib.DEFLATED, -15)
            self._deflated = compressor.compress(self.data) + compressor.flush()
        return self._deflated


class _Deflated:
    """Stands for the zlib compressor of a zip member whose deflated bytes are known."""

    def __init__(self, deflated: bytes):
        self.deflated = deflated

    def compress(self, data: bytes) -> bytes:
        deflated, self.deflated = self.deflated, b""
        return deflated

    def flush(self) -> bytes:
        return b""


_ZLIB_COMPRESSOR = type(zlib.compressobj())


class _Template:
    """A ready starting document and the blobs of its shared parts, serialised once."""

    def __init__(self, docx: DocxDocument):
        self.docx = docx
        self.shared = [p for p in docx.part.package.iter_parts()
                       if str(p.partname) in _SHARED_PARTS]
        self.blobs = {id(p): SharedBlob(p) for p in self.shared}
        self.lookups: dict[object, object] = {}  # answers read from the shared styles

    def copy(self) -> DocxDocument:
        """A new document, sharing the template's unchanging parts."""
        memo = {id(part): part for part in self.shared}
        return copy.deepcopy(self.docx, memo)


_TEMPLATES: dict[object, _Template] = {}
_MAX_TEMPLATES = 8  # page layouts x languages kept; packs rarely bring more than one


def starting_document(key: object, styles_ready: Callable[[DocxDocument], None]
                      ) -> tuple[DocxDocument, dict[int, SharedBlob], dict[object, object]]:
    """A copy of python-docx's template with ``styles_ready`` applied to it (made once
    for each ``key``: hashable, whatever ``styles_ready`` depends on); the blobs of the
    parts it shares, for ``save``; and a dict kept with the template, for what a writer
    looks up in the shared styles. ``styles_ready`` may change only the styles part,
    and the letter must not change the styles of its copy."""
    template = _TEMPLATES.get(key)
    if template is None:
        docx = new_docx()
        styles_ready(docx)
        template = _Template(docx)
        if len(_TEMPLATES) >= _MAX_TEMPLATES:
            _TEMPLATES.pop(next(iter(_TEMPLATES)))
        _TEMPLATES[key] = template
    return template.copy(), template.blobs, template.lookups


class _DatedZip:
    """python-docx's physical writer, with every member dated ``date`` 00:00, the
    template's "Microsoft Macintosh Word" renamed."""

    def __init__(self, date: _dt.date):
        self.stamp = (max(date.year, 1980), date.month, date.day, 0, 0, 0)
        self.out = io.BytesIO()
        self.zip = zipfile.ZipFile(self.out, "w", zipfile.ZIP_DEFLATED)

    def write(self, pack_uri, blob: bytes | SharedBlob) -> None:
        info = zipfile.ZipInfo(pack_uri.membername, date_time=self.stamp)
        info.compress_type = zipfile.ZIP_DEFLATED
        info.create_system = 0
        info.external_attr = 0
        if isinstance(blob, bytes):
            if pack_uri.membername == "docProps/app.xml":
                blob = blob.replace(_MAC_WORD, b"<Application>lettergen</Application>")
            self.zip.writestr(info, blob)
            return
        # As writestr, with the deflated bytes already made. zipfile still computes the
        # CRC and the sizes from the data; if its member writer ever lacks the zlib
        # compressor this expects, it simply compresses the data again.
        info.file_size = len(blob.data)
        with self.zip.open(info, mode="w") as member:
            if isinstance(getattr(member, "_compressor", None), _ZLIB_COMPRESSOR):
                member._compressor = _Deflated(blob.deflated)
            member.write(blob.data)

    def close(self) -> None:
        self.zip.close()


def save(docx: DocxDocument, date: _dt.date, blobs: dict[int, SharedBlob] | None = None
         ) -> bytes:
    """The DOCX bytes of ``docx``, as python-docx's ``save`` writes them, with every
    zip member dated ``date`` (python-docx stamps the current time, which would make
    two builds of the same letter differ). ``blobs``: parts' bytes already serialised
    and deflated, by ``id`` of the part (``starting_document`` gives them)."""
    package = docx.part.package
    parts = package.parts
    for part in parts:
        part.before_marshal()
    blobs = blobs or {}
    writer = _DatedZip(date)
    PackageWriter._write_content_types_stream(writer, parts)
    PackageWriter._write_pkg_rels(writer, package.rels)
    for part in parts:
        writer.write(part.partname, blobs.get(id(part)) or part.blob)
        if len(part.rels):
            writer.write(part.partname.rels_uri, part.rels.xml)
    writer.close()
    return writer.out.getvalue()
