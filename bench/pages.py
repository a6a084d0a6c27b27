"""How many pages each example letter runs to, and how full its last page is.

    .venv/bin/python bench/pages.py [CASE.toml ...]

Measured, never asserted (the tests in tests/test_layout.py assert the rules: a call
confirmation fits one page, the signature never stands alone). Use it to see what a
change of the layout numbers in ``lettergen/writers/__init__.py`` does to the demo.
"""

from __future__ import annotations

import io
import sys
from pathlib import Path

import pypdf

from lettergen.case.casefile import load_case
from lettergen.output.build import render_all, requested_ids
from lettergen.packs.folder import open_packs
from lettergen.writers import PAGE_HEIGHT_IN
from lettergen.writers.pdf_writer import write_pdf

ROOT = Path(__file__).resolve().parent.parent


def last_page_fill(data: bytes) -> float:
    """How far down the last page the text reaches, as a share of the page height."""
    page = pypdf.PdfReader(io.BytesIO(data)).pages[-1]
    lows: list[float] = []

    def visit(text, cm, tm, font, size):  # pypdf's visitor: note each text's height
        if text.strip():
            lows.append(cm[5] + tm[5])

    page.extract_text(visitor_text=visit)
    body = [y for y in lows if 0.75 * 72 < y < (PAGE_HEIGHT_IN - 0.75) * 72]  # no head, foot
    return 1 - min(body, default=PAGE_HEIGHT_IN * 72) / (PAGE_HEIGHT_IN * 72)


def main(paths: list[str]) -> None:
    packs = open_packs([])
    cases = [Path(p) for p in paths] or sorted((ROOT / "examples").glob("*.toml"))
    counts: dict[int, int] = {}
    for path in cases:
        case = load_case(path)
        try:
            letters = render_all(case, requested_ids(case, []), packs)
        except Exception as exc:  # noqa: BLE001 - measure the other cases
            print(f"-  {path.stem}: not built: {str(exc).splitlines()[-1]}")
            continue
        for letter in letters:
            data = write_pdf(letter.document)
            pages = len(pypdf.PdfReader(io.BytesIO(data)).pages)
            counts[pages] = counts.get(pages, 0) + 1
            print(f"{pages}  {last_page_fill(data):4.0%}  {path.stem}/{letter.info.id}")
    print("total:", ", ".join(f"{n} letter(s) of {p} page(s)" for p, n in sorted(counts.items())))


if __name__ == "__main__":
    main(sys.argv[1:])
