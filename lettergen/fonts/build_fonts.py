"""Make the script fonts in this folder and ``coverage.txt`` from their sources.

Run by hand (not at run time, not shipped in the wheel), with fontTools installed,
after fetching the sources with the ordinary package clients:

    apt-get download fonts-noto-core fonts-droid-fallback   # Debian 12 (bookworm)
    dpkg-deb -x fonts-noto-core_*.deb src; dpkg-deb -x fonts-droid-fallback_*.deb src
    pip download --no-deps -d src manimgx-fonts==2026.9.26.post1   # Noto Emoji, OFL
    (cd src && unzip -o manimgx_fonts-*.whl 'manimgx_fonts/NotoEmoji*')
    .venv/bin/python lettergen/fonts/build_fonts.py src

What it does to each font (see README.md in this folder):

- Noto Naskh Arabic, Noto Serif Devanagari, Noto Serif Thai (Regular and Bold) and
  Noto Sans Symbols 2 (Regular), from Debian's fonts-noto-core 20201225: subset to the
  characters of their script (all of its Unicode blocks, the zero-width joiners and the
  dotted circle a shaper inserts; for the symbols, the blocks listed in ``SUBSETS``),
  keeping every OpenType feature, so shaping is as in the full font; TrueType hinting
  dropped (a quarter of each file; it only tunes outlines for low-resolution screens).
- Droid Sans Fallback (fonts-droid-fallback): copied unchanged (Chinese, Japanese
  kana, Korean Hangul; it has no hinting to drop and nothing else to cut).
- Noto Emoji (monochrome, variable): the Regular (wght=400) instance, as a static
  TrueType font, since ReportLab reads only static outlines.

``coverage.txt`` lists, for each face, the code points that every one of its files
maps, so that the PDF writer can choose a font for a character without opening any
font file.
"""

from __future__ import annotations

import shutil
import sys
import unicodedata
from pathlib import Path

HERE = Path(__file__).resolve().parent
NOTO = "usr/share/fonts/truetype/noto"

JOINERS = "U+200C-200F,U+25CC"
# family: (styles, characters kept)
SUBSETS = {
    "NotoNaskhArabic": (("Regular", "Bold"),
                        "U+0600-06FF,U+0750-077F,U+0870-089F,U+08A0-08FF,U+FB50-FDFF,"
                        "U+FE70-FEFF,U+10E60-10E7F,U+204F,U+2E41," + JOINERS),
    "NotoSerifDevanagari": (("Regular", "Bold"),
                            "U+0900-097F,U+A8E0-A8FF,U+1CD0-1CFF,U+20B9," + JOINERS),
    "NotoSerifThai": (("Regular", "Bold"), "U+0E00-0E7F," + JOINERS),
    # arrows, technical and geometric symbols, dingbats (check marks, ballot boxes,
    # stars), Braille, game symbols; not the pictographs, which Noto Emoji draws
    "NotoSansSymbols2": (("Regular",),
                         "U+2190-21FF,U+2300-23FF,U+2400-243F,U+25A0-25FF,U+2600-26FF,"
                         "U+2700-27BF,U+27F0-27FF,U+2800-28FF,U+2900-297F,U+2B00-2BFF,"
                         "U+1F000-1F0FF,U+1F780-1F8FF,U+1FA00-1FA6F,U+1FB00-1FBFF"),
}
# face key, files: the order in which a character not in Liberation Serif looks for a font
FACES = {
    "arabic": ["NotoNaskhArabic-Regular.ttf", "NotoNaskhArabic-Bold.ttf"],
    "devanagari": ["NotoSerifDevanagari-Regular.ttf", "NotoSerifDevanagari-Bold.ttf"],
    "thai": ["NotoSerifThai-Regular.ttf", "NotoSerifThai-Bold.ttf"],
    "cjk": ["DroidSansFallback.ttf"],
    "symbols": ["NotoSansSymbols2-Regular.ttf"],
    "emoji": ["NotoEmoji-Regular.ttf"],
}


def subset(source: Path, target: Path, unicodes: str) -> None:
    from fontTools import subset as ftsubset

    ftsubset.main([str(source), f"--unicodes={unicodes}", "--layout-features=*",
                   "--name-IDs=*", "--name-languages=*", "--name-legacy", "--notdef-outline",
                   "--recommended-glyphs", "--glyph-names", "--legacy-kern", "--no-hinting",
                   "--drop-tables+=DSIG", f"--output-file={target}"])


def emoji(source: Path, target: Path) -> None:
    from fontTools.ttLib import TTFont
    from fontTools.varLib import instancer

    font = instancer.instantiateVariableFont(TTFont(source, recalcTimestamp=False),
                                             {"wght": 400})
    for table in ("STAT", "DSIG"):
        if table in font:
            del font[table]
    font.save(target)


def ranges(codes: list[int]) -> list[str]:
    out: list[str] = []
    start = prev = None
    for code in codes:
        if prev is not None and code == prev + 1:
            prev = code
            continue
        if start is not None:
            out.append(f"{start:X}" if start == prev else f"{start:X}-{prev:X}")
        start = prev = code
    if start is not None:
        out.append(f"{start:X}" if start == prev else f"{start:X}-{prev:X}")
    return out


def coverage() -> str:
    from fontTools.ttLib import TTFont

    lines = ["# Code points each face maps in all of its files (written by build_fonts.py).",
             "# face: ranges of hexadecimal code points"]
    for key, names in FACES.items():
        common = None
        for name in names:
            cmap = set(TTFont(HERE / name).getBestCmap())
            common = cmap if common is None else common & cmap
        codes = sorted(c for c in common if unicodedata.category(chr(c)) not in ("Cc", "Co"))
        lines.append(f"{key}: " + " ".join(ranges(codes)))
    return "\n".join(lines) + "\n"


def main(src: str) -> None:
    root = Path(src)
    for family, (styles, unicodes) in SUBSETS.items():
        for style in styles:
            subset(root / NOTO / f"{family}-{style}.ttf", HERE / f"{family}-{style}.ttf",
                   unicodes)
    shutil.copyfile(root / "usr/share/fonts-droid-fallback/truetype/DroidSansFallback.ttf",
                    HERE / "DroidSansFallback.ttf")
    emoji(root / "manimgx_fonts/NotoEmoji[wght].ttf", HERE / "NotoEmoji-Regular.ttf")
    (HERE / "coverage.txt").write_text(coverage(), "utf-8")


if __name__ == "__main__":
    main(sys.argv[1])
