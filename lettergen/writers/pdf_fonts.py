"""Text in any script the PDF can show: a font per stretch of text, right-to-left
order, and shaping.

Liberation Serif draws what it covers: Latin, Greek, Cyrillic, Hebrew and the usual
punctuation and symbols. Every other character takes the first shipped face that has it
(``FACES``: Arabic, Devanagari, Thai, Chinese/Japanese/Korean, symbols such as
check marks and ballot boxes, emoji), chosen from
``lettergen/fonts/coverage.txt`` so that no font file is opened until a letter uses
it. A character no face has stops the PDF with ``UnprintableTextError``, which names
it: nothing typed disappears from a PDF.

A paragraph that holds only characters Liberation Serif covers and no right-to-left
text goes to ReportLab as markup, exactly as before (same bytes). Any other paragraph
is laid out here, one line (between line breaks) at a time:

1. each character gets a face; combining marks, joiners and variation selectors stay
   with the face of the character before them when it has them, and a character
   followed by the emoji variation selector or a keycap takes the emoji face;
2. the Unicode bidirectional algorithm (``_levels``, for a left-to-right paragraph, as
   the DOCX is) gives each character its level, and the line becomes *items* (one
   face, one level, one run style);
3. ReportLab makes words of the items, and every item that needs it (a face other
   than Liberation Serif, or a right-to-left item) is shaped with HarfBuzz
   (uharfbuzz) in its direction: Arabic letters join, Devanagari and Thai marks and
   conjuncts form, Hebrew and Arabic read right to left, emoji sequences become one
   glyph. ReportLab draws the shaped glyphs with their HarfBuzz offsets (its
   ``ShapedStr``);
4. ``BidiParagraph`` lets ReportLab break the words into lines in logical order, then
   draws each line with its stretches in visual order (rule L2, per line), so that a
   right-to-left name that wraps goes on at the right of the next line.

ReportLab's own paragraph shaping is not used: in ReportLab 5.1 it shapes a whole
word with the font of its first fragment ("(محمد)," breaks), its right-to-left
support needs ``rlbidi``, which is not on PyPI, and its glyph codes depend on what
the process shaped before. Here a glyph that no character maps to (a joined form,
a conjunct, an emoji sequence) gets a private code per glyph and text that never
reaches the file, and the PDF's ToUnicode map gives it the characters it stands
for, so that text extraction and search find them.
"""

from __future__ import annotations

import bisect
import copy
import unicodedata
from dataclasses import dataclass, field
from importlib.resources import as_file, files

from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase import ttfonts as _ttfonts
from reportlab.pdfbase.ttfonts import ShapeData, ShapedStr
from reportlab.platypus import Paragraph as RLParagraph
from reportlab.platypus.paragraph import (  # ReportLab's own word lists (5.1)
    _FK_BREAK,
    _FK_TEXT,
    _getFragWords,
    _HSFrag,
    _processed_frags,
    _wsc,
)

from lettergen.errors import UnprintableTextError

LATIN = "LiberationSerif"


def latin_faces(family: str = LATIN) -> dict[tuple[bool, bool], str]:
    """(bold, italic) -> the face of a Liberation family ("LiberationSerif", or
    "LiberationSans" for a pack's sans-serif letters, which maps every character
    Liberation Serif maps: the choice of faces reads Liberation Serif's map for both)."""
    return {(False, False): family, (True, False): f"{family}-Bold",
            (False, True): f"{family}-Italic", (True, True): f"{family}-BoldItalic"}


# (bold, italic) -> the Liberation Serif face
LATIN_FACES = latin_faces()


@dataclass(frozen=True)
class Face:
    """A shipped face for characters Liberation Serif lacks; no italic (these scripts
    have none), and a bold only where the font family has one."""

    key: str
    regular: str
    bold: str | None = None

    def font_name(self, bold: bool) -> str:
        return (self.bold if bold and self.bold else self.regular).removesuffix(".ttf")


FACES = (
    Face("arabic", "NotoNaskhArabic-Regular.ttf", "NotoNaskhArabic-Bold.ttf"),
    Face("devanagari", "NotoSerifDevanagari-Regular.ttf", "NotoSerifDevanagari-Bold.ttf"),
    Face("thai", "NotoSerifThai-Regular.ttf", "NotoSerifThai-Bold.ttf"),
    Face("cjk", "DroidSansFallback.ttf"),
    Face("symbols", "NotoSansSymbols2-Regular.ttf"),
    Face("emoji", "NotoEmoji-Regular.ttf"),
)
_BY_KEY = {face.key: face for face in FACES}
EMOJI = _BY_KEY["emoji"]

PUA_BASE = 0xF0000  # first of the private codes of shaped glyphs (planes 15 and 16)
_RTL_TYPES = frozenset({"R", "AL", "AN", "RLE", "RLO", "RLI"})
_WHITESPACE = frozenset(_wsc)  # what ReportLab breaks lines at and draws as one space
_NBSP = "\u00a0"
# Invisible characters (Unicode Default_Ignorable_Code_Point, less the Cf characters
# that are visible): drawn by HarfBuzz as nothing, dropped if no font has them.
_IGNORABLE_RANGES = ((0x034F, 0x034F), (0x115F, 0x1160), (0x17B4, 0x17B5), (0x180B, 0x180F),
                     (0x3164, 0x3164), (0xFE00, 0xFE0F), (0xFFA0, 0xFFA0),
                     (0x1BCA0, 0x1BCA3), (0xE0000, 0xE0FFF))
_VISIBLE_FORMAT = frozenset({*range(0x0600, 0x0606), 0x06DD, 0x070F, 0x0890, 0x0891,
                             0x08E2, 0x110BD, 0x110CD})


class TTFont(_ttfonts.TTFont):
    """ReportLab's TrueType font, with codes for shaped glyphs and a ToUnicode map
    that gives them the characters they stand for (and characters outside the Basic
    Multilingual Plane as UTF-16, which ReportLab 5.1 writes wrongly).

    A glyph that HarfBuzz chose for some characters (a joined Arabic form, a Devanagari
    conjunct, an emoji sequence) gets a private code, one per glyph and text, mapped to
    the glyph in the font's character map. The code itself never reaches the PDF (the
    subset maps its own one-byte codes to glyphs, and the ToUnicode map gives the
    text), so the bytes do not depend on what the process shaped before."""

    def __init__(self, name: str, filename: str, **kwargs) -> None:
        kwargs.setdefault("asciiReadable", 1)  # ReportLab's default, not RL_ttfAsciiReadable
        super().__init__(name, filename, **kwargs)
        self.glyph_codes: dict[tuple[int, str], int] = {}
        self.glyph_texts: dict[int, str] = {}

    def glyph_code(self, gid: int, text: str) -> int:
        """The code that draws glyph ``gid`` and stands for ``text``."""
        code = self.glyph_codes.get((gid, text))
        if code is None:
            face = self.face
            code = PUA_BASE + len(self.glyph_codes)
            self.glyph_codes[(gid, text)] = code
            self.glyph_texts[code] = text
            face.charToGlyph[code] = gid
            face.charWidths[code] = face._pdfScale(face.hmetrics[gid][0])
        return code

    def addObjects(self, doc) -> None:
        state = self.state.get(doc)
        subsets = [list(subset) for subset in state.subsets] if state else []
        super().addObjects(doc)
        for n, subset in enumerate(subsets):
            if not any(code > 0xFFFF for code in subset):
                continue  # ReportLab's map is right
            base = b"".join((_ttfonts.SUBSETN(n), b"+", self.face.name,
                             self.face.subfontNameX)).decode("pdfdoc")
            stream = doc.idToObject["toUnicodeCMap:" + base]
            stream.content = _to_unicode_cmap(base, subset, self.glyph_texts)


def _to_unicode_cmap(base: str, subset: list[int], texts: dict[int, str]) -> str:
    """ReportLab's ToUnicode CMap for a subset, with UTF-16 targets, and for a shaped
    glyph's code the characters it stands for (``<>`` for none: the other glyphs of
    its cluster stand for them)."""
    entries = [f"<{index:02X}> <{texts.get(code, chr(code)).encode('utf-16-be').hex().upper()}>"
               for index, code in enumerate(subset)]
    return "\n".join([
        "/CIDInit /ProcSet findresource begin", "12 dict begin", "begincmap",
        "/CIDSystemInfo", f"<< /Registry ({base})", f"/Ordering ({base})",
        "/Supplement 0", ">> def", f"/CMapName /{base} def", "/CMapType 2 def",
        "1 begincodespacerange", f"<00> <{len(subset) - 1:02X}>", "endcodespacerange",
        f"{len(entries)} beginbfchar", *entries, "endbfchar", "endcmap",
        "CMapName currentdict /CMap defineresource pop", "end", "end"])


def _font_file(name: str) -> object:
    return files("lettergen") / "fonts" / name


def register(font_name: str, file_name: str) -> None:
    """Register a font once per process (reading its file: only when it is used)."""
    if font_name in pdfmetrics.getRegisteredFontNames():
        return
    with as_file(_font_file(file_name)) as path:
        pdfmetrics.registerFont(TTFont(font_name, str(path)))


# ---------------------------------------------------------------- coverage


class _Coverage:
    """Which face covers a code point: Liberation Serif from its loaded cmap, the
    others from coverage.txt, read on first need."""

    def __init__(self) -> None:
        self._latin: frozenset[int] | None = None
        self._ranges: dict[str, tuple[list[int], list[int]]] | None = None

    @property
    def latin(self) -> frozenset[int]:
        if self._latin is None:
            register(LATIN, f"{LATIN}-Regular.ttf")  # a sans letter: its map only
            cmap = pdfmetrics.getFont(LATIN).face.charToGlyph
            self._latin = frozenset(c for c in cmap if c < PUA_BASE
                                    and unicodedata.category(chr(c)) not in ("Cc", "Co"))
        return self._latin

    def _load(self) -> dict[str, tuple[list[int], list[int]]]:
        if self._ranges is None:
            ranges = {}
            for line in _font_file("coverage.txt").read_text("utf-8").splitlines():
                if not line.strip() or line.startswith("#"):
                    continue
                key, _, spans = line.partition(":")
                starts, ends = [], []
                for span in spans.split():
                    first, _, last = span.partition("-")
                    starts.append(int(first, 16))
                    ends.append(int(last or first, 16))
                ranges[key.strip()] = (starts, ends)
            self._ranges = ranges
        return self._ranges

    def covers(self, face: Face | None, code: int) -> bool:
        if face is None:
            return code in self.latin
        starts, ends = self._load()[face.key]
        i = bisect.bisect_right(starts, code) - 1
        return i >= 0 and code <= ends[i]

    def first(self, code: int) -> Face | None | bool:
        """Liberation Serif (None), the first face that has ``code``, or False."""
        if code in self.latin:
            return None
        for face in FACES:
            if self.covers(face, code):
                return face
        return False


COVERAGE = _Coverage()


def _ignorable(ch: str) -> bool:
    code = ord(ch)
    if unicodedata.category(ch) == "Cf" and code not in _VISIBLE_FORMAT:
        return True
    return any(lo <= code <= hi for lo, hi in _IGNORABLE_RANGES)


def _sticky(ch: str) -> bool:
    """Characters that belong to the character before them: marks, joiners,
    variation selectors, emoji modifiers and tags."""
    return (unicodedata.category(ch)[0] == "M" or _ignorable(ch)
            or 0x1F3FB <= ord(ch) <= 0x1F3FF)


def needs_layout(text: str) -> bool:
    """Whether ``text`` holds anything ReportLab's plain markup would draw wrongly:
    a character Liberation Serif lacks, or right-to-left text."""
    if text.isascii():
        return False
    latin = COVERAGE.latin
    return any((ord(ch) not in latin and ch not in _WHITESPACE)
               or unicodedata.bidirectional(ch) in _RTL_TYPES for ch in text)


def describe(ch: str) -> str:
    """"王" (U+738B CJK UNIFIED IDEOGRAPH-738B)"""
    name = unicodedata.name(ch, "")
    if not name:
        name = (", a private-use character, which has no agreed look"
                if unicodedata.category(ch) == "Co" else ", not an assigned character")
    else:
        name = " " + name
    return f'"{ch}" (U+{ord(ch):04X}{name})'


def faces_of(line: str) -> list[Face | None | bool]:
    """The face of each character of a line: None for Liberation Serif, a ``Face``,
    or False where no font has it (True: an invisible character no font has, left out)."""
    out: list[Face | None | bool] = []
    for i, ch in enumerate(line):
        code = ord(ch)
        nxt = line[i + 1] if i + 1 < len(line) else ""
        face: Face | None | bool
        if ch in _WHITESPACE:
            face = None
        elif _sticky(ch) and out and out[-1] not in (True, False) \
                and COVERAGE.covers(out[-1], code):
            face = out[-1]
        elif nxt in ("\ufe0f", "\u20e3") and COVERAGE.covers(EMOJI, code):
            face = EMOJI
        else:
            face = COVERAGE.first(code)
            if face is False and _ignorable(ch):
                face = True
        out.append(face)
    return out


# ---------------------------------------------------------------- bidi

_STRONG = ("L", "R", "AL")
_NEUTRAL = frozenset({"B", "S", "WS", "ON"})


def _levels(text: str) -> list[int]:
    """Embedding levels of ``text`` as a left-to-right paragraph, by the Unicode
    bidirectional algorithm (UAX #9: W1-W7, N1-N2, I1-I2, L1) without explicit
    embeddings: embedding and override controls count as marks, isolates as neutrals."""
    original = [unicodedata.bidirectional(ch) or "L" for ch in text]
    types = []
    for t in original:
        if t in ("LRE", "RLE", "LRO", "RLO", "PDF", "BN"):
            t = "NSM"
        elif t in ("LRI", "RLI", "FSI", "PDI"):
            t = "ON"
        types.append(t)
    n = len(types)
    prev = "L"  # W1: a mark takes the type of what it follows (sos is L)
    for i, t in enumerate(types):
        if t == "NSM":
            types[i] = prev
        else:
            prev = t
    strong = "L"  # W2: European digits after Arabic letters are Arabic digits
    for i, t in enumerate(types):
        if t in _STRONG:
            strong = t
        elif t == "EN" and strong == "AL":
            types[i] = "AN"
    types = ["R" if t == "AL" else t for t in types]  # W3
    for i in range(1, n - 1):  # W4
        before, t, after = types[i - 1], types[i], types[i + 1]
        if t == "ES" and before == after == "EN":
            types[i] = "EN"
        elif t == "CS" and before == after and before in ("EN", "AN"):
            types[i] = before
    i = 0
    while i < n:  # W5: terminators next to European digits
        if types[i] != "ET":
            i += 1
            continue
        j = i
        while j < n and types[j] == "ET":
            j += 1
        if (i > 0 and types[i - 1] == "EN") or (j < n and types[j] == "EN"):
            types[i:j] = ["EN"] * (j - i)
        i = j
    types = ["ON" if t in ("ES", "ET", "CS") else t for t in types]  # W6
    strong = "L"  # W7
    for i, t in enumerate(types):
        if t in ("L", "R"):
            strong = t
        elif t == "EN" and strong == "L":
            types[i] = "L"
    i = 0
    while i < n:  # N1, N2: neutrals take the direction around them, else the paragraph's
        if types[i] not in _NEUTRAL:
            i += 1
            continue
        j = i
        while j < n and types[j] in _NEUTRAL:
            j += 1
        before = "L" if i == 0 or types[i - 1] == "L" else "R"
        after = "L" if j == n or types[j] == "L" else "R"
        types[i:j] = [before if before == after else "L"] * (j - i)
        i = j
    levels = [0 if t == "L" else 1 if t == "R" else 2 for t in types]  # I1
    # L1: trailing white space, and white space before a tab, at paragraph level (a
    # joiner or other BN keeps the level of what it follows: it belongs to it)
    i = n
    while i > 0 and original[i - 1] in ("WS", "LRI", "RLI", "FSI", "PDI"):
        i -= 1
        levels[i] = 0
    for k, t in enumerate(original):
        if t in ("S", "B"):
            levels[k] = 0
            m = k
            while m > 0 and original[m - 1] == "WS":
                m -= 1
                levels[m] = 0
    return levels


def _visual_order(levels: list[int]) -> list[int]:
    """Rule L2: the order in which items of these levels are drawn, left to right."""
    order = list(range(len(levels)))
    if not levels:
        return order
    top = max(levels)
    lowest_odd = min((lv for lv in levels if lv % 2), default=top + 1)
    for level in range(top, lowest_odd - 1, -1):
        i = 0
        while i < len(order):
            if levels[order[i]] >= level:
                j = i
                while j < len(order) and levels[order[j]] >= level:
                    j += 1
                order[i:j] = reversed(order[i:j])
                i = j
            else:
                i += 1
    return order


# ---------------------------------------------------------------- lines


class BidiParagraph(RLParagraph):
    """A paragraph whose words ReportLab breaks into lines in logical order, each line
    then drawn in visual order (rule L2 applies per line): a right-to-left name that
    wraps reads on from the right of the next line, as it should.

    ``breakLines`` breaks the logical words once, then builds for each line one word
    of its stretches in visual order (the spaces between them as no-break spaces, of
    the widths ReportLab gave them) and a line break after it, and lets ReportLab lay
    those out: the same lines, now in drawing order. A part split off onto the next
    page is a plain paragraph of such lines."""

    def __init__(self, text, style=None, bulletText=None, frags=None, caseSensitive=1,
                 encoding="utf8", levels=None, line_break=None, space=None):
        if levels is None and frags and _processed_frags(frags) and _is_break(frags[0]):
            frags = frags[1:]  # the rest of a split paragraph starts on a new page
        if levels is not None and getattr(style, "spaceShrinkage", 0):
            # a line must fit as laid out: ReportLab may squeeze the spaces of a line of
            # words, but not the no-break spaces of the one word it becomes
            style = ParagraphStyle(f"{style.name}-bidi", parent=style, spaceShrinkage=0)
        super().__init__(text, style, bulletText, frags, caseSensitive, encoding)
        self._logical = list(frags) if levels is not None else None
        self._levels = levels or {}
        self._line_break = line_break
        self._space = space

    def breakLines(self, width):
        if self._logical is None:
            return super().breakLines(width)
        widths = list(width) if isinstance(width, (list, tuple)) else width
        self.frags = [copy.copy(word) for word in self._logical]
        laid = super().breakLines(copy.copy(widths))
        lines = getattr(laid, "lines", None)
        if getattr(laid, "kind", 0) != 1 or not lines:
            return laid
        words = self.frags  # as ReportLab laid them out: line k starts at lines[k].sFW
        visual = []
        for k, line in enumerate(lines):
            if k:
                visual.append([0, (self._line_break.clone(), "")])
            stop = lines[k + 1].sFW if k + 1 < len(lines) else len(words)
            drawn = self._visual_line(words[line.sFW:stop], line.maxWidth - line.extraSpace)
            if drawn:
                visual.append(drawn)
        self.frags = visual
        return super().breakLines(copy.copy(widths))

    def _visual_line(self, words: list, width: float) -> list | None:
        units: list[tuple[object, str, int]] = []
        space_after = False
        for word in words:
            parts = [(f, t) for f, t in word[1:] if t and not _is_break(word)]
            if parts:
                if units and space_after:
                    units.append((self._space, _NBSP, -1))
                units += [(f, t, self._levels.get(id(f), 0)) for f, t in parts]
                space_after = isinstance(word, _HSFrag)
            else:
                space_after = space_after or isinstance(word, _HSFrag)
        if not units:
            return None
        levels = [u[2] for u in units]
        for i, level in enumerate(levels):  # a space between two right-to-left stretches
            if level < 0:
                levels[i] = 1 if levels[i - 1] >= 1 and levels[i + 1] >= 1 else 0
        return [width] + [units[i][:2] for i in _visual_order(levels)]


def _is_break(word) -> bool:
    return any(getattr(f, "_fkind", None) == _FK_BREAK for f, _ in word[1:])


# ---------------------------------------------------------------- items and shaping


@dataclass
class Item:
    """A stretch of one line in one font, one level: the unit drawn in one direction."""

    text: str
    font: str
    level: int
    shaped: bool


@dataclass
class Layout:
    """The text work of one PDF; collects every character no font has."""

    missing: dict[str, str] = field(default_factory=dict)  # character -> where
    latin: dict[tuple[bool, bool], str] = field(default_factory=latin_faces)  # the family

    def items(self, line: list[tuple[str, bool, bool]]) -> list[Item]:
        """The items of one line (its runs as (text, bold, italic)), in logical order."""
        text = "".join(t for t, _, _ in line)
        styles = [(b, it) for t, b, it in line for _ in t]
        faces = faces_of(text)
        for ch, face in zip(text, faces, strict=True):
            if face is False and ch not in self.missing:
                self.missing[ch] = text
        levels = _levels(text)
        items: list[Item] = []
        key = None
        for ch, face, level, (bold, italic) in zip(text, faces, levels, styles, strict=True):
            if face is True or face is False:
                continue
            if ch == "\u00ad" and (face is not None or level % 2):
                continue  # a soft hyphen: ReportLab's hyphenation is for Latin text
            if face is None:
                font = self.latin[(bold, italic)]  # registered by the PDF writer
            else:
                font = face.font_name(bold)
                register(font, f"{font}.ttf")
            if (font, level) == key:
                items[-1].text += ch
                continue
            key = (font, level)
            items.append(Item(ch, font, level, face is not None or level % 2 == 1))
        return items

    def paragraph(self, lines: list[list[tuple[str, bool, bool]]], style,
                  bullet: str | None = None) -> RLParagraph:
        """A ReportLab paragraph of these lines, laid out and shaped here."""
        base = RLParagraph("x<br/>x", style).frags
        template, line_break = base[0], base[1]
        latin = self.latin
        space = template.clone(fontName=latin[(style.fontName == latin[(True, False)], False)],
                               text="", _fkind=_FK_TEXT)
        frags, levels, rtl = [], {}, {}
        for number, line in enumerate(lines):
            if number:
                frags.append(line_break.clone())
            for item in self.items(line):
                frag = template.clone(fontName=item.font, text=item.text)
                frags.append(frag)
                levels[id(frag)] = item.level
                if item.shaped:
                    rtl[id(frag)] = item.level % 2 == 1
        words = _getFragWords(frags) if frags else []
        for word in words:
            if any(id(f) in rtl and t for f, t in word[1:]):
                width = 0.0
                for i, (f, t) in enumerate(word[1:], 1):
                    if id(f) in rtl and t:
                        shaped = self.shape(t, f.fontName, rtl=rtl[id(f)])
                        word[i] = (f, shaped)
                        width += sum(sd.x_advance for sd in shaped.__shapeData__) \
                            * f.fontSize / 1000
                    else:
                        width += pdfmetrics.stringWidth(t, f.fontName, f.fontSize)
                word[0] = width
            if word[-1][0].fontName not in latin.values() and word[-1][1]:
                # ReportLab sets the space after a word in the word's last font: make
                # that Liberation Serif's space, not a script or emoji font's
                word.append((space, ""))
        return BidiParagraph("", style, bulletText=bullet, frags=words, levels=levels,
                             line_break=line_break.clone(_fkind=_FK_BREAK), space=space)

    def shape(self, text: str, font_name: str, rtl: bool) -> ShapedStr:
        """``text`` shaped by HarfBuzz in ``font_name``: a string of glyph codes, in
        drawing order, with the HarfBuzz advances and offsets."""
        import uharfbuzz

        font = pdfmetrics.getFont(font_name)
        face = font.face
        hb_font = _HB_FONTS.get(font_name)
        if hb_font is None:
            hb_font = _HB_FONTS[font_name] = uharfbuzz.Font(font.hbFace)
        buf = uharfbuzz.Buffer()
        buf.cluster_level = uharfbuzz.BufferClusterLevel.MONOTONE_CHARACTERS
        buf.add_str(str(text))  # not ReportLab's str subclasses
        buf.guess_segment_properties()
        buf.direction = "rtl" if rtl else "ltr"
        uharfbuzz.shape(hb_font, buf, {})
        infos, positions = buf.glyph_infos, buf.glyph_positions
        starts = sorted({info.cluster for info in infos})
        ends = dict(zip(starts, starts[1:] + [len(text)]))  # noqa: B905 (no glyph: no cluster)
        cmap = face.charToGlyph
        codes: list[int] = [0] * len(infos)
        by_cluster: dict[int, list[int]] = {}
        for index, info in enumerate(infos):
            by_cluster.setdefault(info.cluster, []).append(index)
        for cluster, indexes in by_cluster.items():
            chars = text[cluster:ends[cluster]]
            gids = [infos[index].codepoint for index in indexes]
            logical = gids[::-1] if rtl else gids
            if len(logical) == len(chars) and all(
                    cmap.get(ord(ch)) == gid for ch, gid in zip(chars, logical, strict=True)):
                for index, gid in zip(indexes, gids, strict=True):  # one glyph a character
                    codes[index] = next(ord(ch) for ch in chars if cmap.get(ord(ch)) == gid)
                continue
            # A ligature, a conjunct, a reordered vowel sign: one glyph stands for the
            # whole cluster, the others for nothing, so that text extraction, which
            # reads glyphs in drawing order, gets the characters in logical order.
            speaker = indexes[-1] if rtl else indexes[0]
            for index in indexes:
                codes[index] = font.glyph_code(infos[index].codepoint,
                                               chars if index == speaker else "")
        scale = face._pdfScale
        data = [ShapeData(info.cluster, scale(pos.x_advance), scale(pos.y_advance),
                          scale(pos.x_offset), scale(pos.y_offset), face.charWidths[code])
                for info, pos, code in zip(infos, positions, codes, strict=True)]
        return ShapedStr("".join(map(chr, codes)), shapeData=data)


_HB_FONTS: dict[str, object] = {}


def unprintable_error(missing: dict[str, str], title: str) -> UnprintableTextError:
    """The error for characters no shipped font has, each with the text it is in."""
    count = len(missing)
    lines = [f'the PDF of "{title}" cannot show {count} character{"s" if count > 1 else ""} '
             f'that no font lettergen ships has:']
    for ch, where in missing.items():
        context = where if len(where) <= 60 else where[:57] + "..."
        lines.append(f'  - {describe(ch)} in "{context}"')
    them = "them" if count > 1 else "it"
    lines.append(f"The DOCX has {them} as typed and shows {them} with the fonts of the computer "
                 "that opens it: build it alone with -f docx, or change "
                 f"{'these characters' if count > 1 else 'the character'} in the case file.")
    return UnprintableTextError("\n".join(lines))
