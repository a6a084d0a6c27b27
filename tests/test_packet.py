"""`lettergen packet`: the letter, an exhibit index and the enclosures' files in one PDF.

Every test builds a real case (a copy of an example with ``[[enclosures]]`` that name
files made here with ReportLab and Pillow), runs the command line, and reads the packet
back with pypdf: its pages, their text, the page stamps and the bookmarks.
"""

from __future__ import annotations

import io
import random
import re
from pathlib import Path

import pytest
from PIL import Image
from pypdf import PdfReader, PdfWriter
from reportlab.pdfgen.canvas import Canvas

from conftest import case_file
from lettergen.case.casefile import load_case
from lettergen.cli import main
from lettergen.letters.render import render_letter
from lettergen.packs.folder import open_packs
from lettergen.writers import render

DENIAL = "Denial letter dated May 28, 2026"
NOTES = "Physical therapy notes, March 20 to May 1, 2026"
CARD = "Member ID card"


def make_pdf(path: Path, pages: int, text: str, noise: int = 0) -> Path:
    """A small PDF whose pages read "<text> page N"; ``noise``: an incompressible
    image of that many pixels a side on each page (to make the file large)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    canvas = Canvas(str(path), invariant=1)
    for n in range(1, pages + 1):
        canvas.drawString(72, 700, f"{text} page {n}")
        if noise:
            rng = random.Random(f"{text}{n}")
            image = Image.frombytes("RGB", (noise, noise), rng.randbytes(noise * noise * 3))
            from reportlab.lib.utils import ImageReader

            canvas.drawImage(ImageReader(image), 72, 300, 200, 200)
        canvas.showPage()
    canvas.save()
    return path


def make_image(path: Path, size: tuple[int, int] = (400, 300), mode: str = "RGB") -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    Image.new(mode, size, "red").save(path)
    return path


def appeal_case(tmp_path: Path, enclosures: list[dict] | None = None) -> Path:
    """The MRI appeal with a denial PDF (2 pages), therapy notes (3 pages), an ID card
    image, and an itemized bill with no file."""
    docs = tmp_path / "docs"
    make_pdf(docs / "denial.pdf", 2, "DENIAL")
    make_pdf(docs / "notes.pdf", 3, "THERAPY NOTES")
    make_image(docs / "card.png")
    if enclosures is None:
        enclosures = [{"title": DENIAL, "file": "docs/denial.pdf"},
                      {"title": NOTES, "file": "docs/notes.pdf", "kind": "medical-records"},
                      {"title": CARD, "file": "docs/card.png"},
                      {"title": "Itemized bill"}]
    return case_file(tmp_path, "mri-medical-necessity", {"enclosures": enclosures})


def run(capsys: pytest.CaptureFixture, *args: str) -> tuple[int, str, str]:
    status = main(["packet", *map(str, args)])
    out, err = capsys.readouterr()
    return status, out, err


def pages_text(path: Path) -> list[str]:
    return [page.extract_text() for page in PdfReader(path).pages]


def outline(path: Path) -> list[tuple[str, int]]:
    reader = PdfReader(path)
    return [(item.title, reader.get_destination_page_number(item) + 1)
            for item in reader.outline]


def index_rows(text: str) -> list[tuple[str, str, str]]:
    """The exhibit index's rows (exhibit, document, page), as pypdf reads the table:
    one cell a line after the header."""
    lines = text.splitlines()
    start = lines.index("Page") + 1
    end = next(i for i, line in enumerate(lines) if i >= start and (
        line.startswith(("Listed in", "Packet page"))))
    cells = lines[start:end]
    return [tuple(cells[i:i + 3]) for i in range(0, len(cells), 3)]


def letter_pages(case: Path, letter_id: str) -> int:
    letter = render_letter(load_case(case), letter_id, open_packs([]))
    return len(PdfReader(io.BytesIO(render(letter.document, "pdf"))).pages)


def test_packet_has_letter_index_exhibits_numbers_and_bookmarks(tmp_path, capsys,
                                                                monkeypatch):
    case = appeal_case(tmp_path)
    monkeypatch.chdir(tmp_path)
    status, out, err = run(capsys, case, "-l", "internal-appeal")
    assert status == 0, err
    path = Path("letters", "mri-medical-necessity", "internal-appeal.packet.pdf")
    assert out.strip() == str(path)
    assert (path.parent / ".lettergen-case").read_text().strip() == str(case.resolve())
    assert "not legal advice" in err
    texts = pages_text(path)
    n = letter_pages(case, "internal-appeal")
    index, a, b, c = n + 1, n + 2, n + 5, n + 9  # each exhibit behind its cover sheet
    assert len(texts) == n + 1 + (1 + 2) + (1 + 3) + (1 + 1)
    total = len(texts)
    for number, text in enumerate(texts, 1):
        assert f"Packet page {number} of {total}" in text
    assert "Internal appeal" in texts[0] and "Page 1 of" in texts[0]  # the letter as built
    lines = texts[index - 1].splitlines()
    assert lines[0] == "Exhibits"
    assert index_rows(texts[index - 1]) == [("A", DENIAL, str(a)), ("B", NOTES, str(b)),
                                            ("C", CARD, str(c))]
    assert "Itemized bill: not attached (no file given)" in lines
    for label, title, first in (("A", DENIAL, a), ("B", NOTES, b), ("C", CARD, c)):
        cover = texts[first - 1]
        assert f"Exhibit {label}" in cover and title in cover
        assert "Mei-Ling Chen" in cover and "TX26-7781204" in cover
        assert f"Exhibit {label} · Packet page {first} of {total}" in cover
    assert "DENIAL page 1" in texts[a] and "DENIAL page 2" in texts[a + 1]
    assert "THERAPY NOTES page 3" in texts[b + 2]
    assert "Exhibit C · Packet page" in texts[c]
    assert len(PdfReader(path).pages[c].images) == 1  # the card, on a page of its own
    assert outline(path) == [("Letter: Appeal of a denied claim", 1), ("Exhibit index", index),
                             (f"Exhibit A: {DENIAL}", a), (f"Exhibit B: {NOTES}", b),
                             (f"Exhibit C: {CARD}", c)]


def test_same_case_same_bytes_and_no_case_details_in_metadata(tmp_path, capsys):
    case = appeal_case(tmp_path)
    for name in ("one.pdf", "two.pdf"):
        assert run(capsys, case, "-l", "internal-appeal", "-o", tmp_path / name)[0] == 0
    data = (tmp_path / "one.pdf").read_bytes()
    assert data == (tmp_path / "two.pdf").read_bytes()
    meta = " ".join(str(v) for v in PdfReader(tmp_path / "one.pdf").metadata.values())
    assert "Appeal of a denied claim" in meta and "Mei-Ling Chen" in meta
    for detail in ("72148", "MRI", "medically", "$", "2,850", "TX26", "therapy"):
        assert detail not in meta


def test_image_pages_keep_their_shape_inside_the_margins(tmp_path, capsys):
    docs = tmp_path / "docs"
    wide = docs / "wide.jpg"
    make_image(wide, (1600, 400))
    make_image(docs / "clear.png", (300, 600), mode="RGBA")
    case = case_file(tmp_path, "mri-medical-necessity", {"enclosures": [
        {"title": "Wide photo", "file": "docs/wide.jpg"},
        {"title": "Tall scan", "file": "docs/clear.png"}]})
    assert run(capsys, case, "-l", "internal-appeal", "-o", tmp_path / "p.pdf")[0] == 0
    reader = PdfReader(tmp_path / "p.pdf")
    n = letter_pages(case, "internal-appeal")
    for page_index, ratio in ((n + 2, 4.0), (n + 4, 0.5)):
        page = reader.pages[page_index]
        assert float(page.mediabox.width) == 612 and float(page.mediabox.height) == 792
        found: list[tuple[float, float]] = []

        def visit(op, args, cm, tm, found=found):
            if op == b"Do":
                found.append((cm[0], cm[3]))  # the drawn width and height

        page.extract_text(visitor_operand_before=visit)
        (width, height), = found
        assert width / height == pytest.approx(ratio, rel=0.01)
        assert width <= 612 - 2 * 54 + 0.01 and height <= 792 - 2 * 54 + 0.01


def _encrypted(path: Path) -> None:
    make_pdf(path, 1, "SECRET")
    writer = PdfWriter(clone_from=PdfReader(path))
    writer.encrypt("secret", algorithm="RC4-128")
    with path.open("wb") as handle:
        writer.write(handle)


@pytest.mark.parametrize("make, reason", [
    (lambda p: None, "does not exist"),
    (_encrypted, "password-protected"),
    (lambda p: p.write_bytes(b"%PDF-1.7\n1 0 obj garbage and no trailer"), "damaged"),
    (lambda p: p.write_text("just some notes, not a PDF"), "not a PDF, PNG or JPEG"),
    (lambda p: p.write_bytes(b"\x89PNG\r\n\x1a\n" + b"\0" * 40), "damaged"),
    (lambda p: p.mkdir(), "folder"),
])
def test_a_bad_file_names_the_enclosure_and_nothing_is_written(tmp_path, capsys, make, reason):
    case = appeal_case(tmp_path)
    bad = tmp_path / "docs" / "notes.pdf"
    bad.unlink()
    make(bad)
    out = tmp_path / "out"
    status, stdout, err = run(capsys, case, "-l", "internal-appeal", "-o", out)
    assert status == 1 and stdout == ""
    assert f"[[enclosures]] #2 ('{NOTES}')" in err and str(bad) in err and reason in err
    assert "nothing was written" in err and "Traceback" not in err
    assert not out.exists()


def test_every_bad_file_is_reported_at_once(tmp_path, capsys):
    case = appeal_case(tmp_path)
    (tmp_path / "docs" / "denial.pdf").unlink()
    (tmp_path / "docs" / "card.png").write_text("not an image")
    status, _, err = run(capsys, case, "-l", "internal-appeal", "-o", tmp_path / "p.pdf")
    assert status == 1 and "2 enclosure file(s)" in err
    assert "#1" in err and "#3" in err and "#2" not in err


def test_paths_beside_the_case_absolute_and_linked_are_read(tmp_path, capsys):
    folder = tmp_path / "cases"
    folder.mkdir()
    beside = make_pdf(tmp_path / "papers" / "denial.pdf", 1, "BESIDE")
    absolute = make_pdf(tmp_path / "elsewhere" / "eob.pdf", 1, "ABSOLUTE")
    (folder / "linked.pdf").symlink_to(absolute)
    case = case_file(folder, "mri-medical-necessity", {"enclosures": [
        {"title": "Denial", "file": "../papers/denial.pdf"},
        {"title": "EOB", "file": str(absolute)},
        {"title": "EOB again", "file": "linked.pdf"}]})
    assert run(capsys, case, "-l", "internal-appeal", "-o", tmp_path / "p.pdf")[0] == 0
    text = "\n".join(pages_text(tmp_path / "p.pdf"))
    assert "BESIDE page 1" in text and text.count("ABSOLUTE page 1") == 2
    assert beside.exists()


def test_an_existing_packet_is_kept_without_force(tmp_path, capsys):
    case = appeal_case(tmp_path)
    target = tmp_path / "p.pdf"
    target.write_bytes(b"my own file")
    status, _, err = run(capsys, case, "-l", "internal-appeal", "-o", target)
    assert status == 1 and "exist already" in err and "--force" in err
    assert target.read_bytes() == b"my own file"
    assert run(capsys, case, "-l", "internal-appeal", "-o", target, "--force")[0] == 0
    assert target.read_bytes().startswith(b"%PDF-")


def test_a_letter_that_does_not_fit_writes_nothing(tmp_path, capsys):
    case = appeal_case(tmp_path)
    status, _, err = run(capsys, case, "-l", "debt-validation", "-o", tmp_path / "p.pdf")
    assert status == 1 and "debt-validation" in err and "[collector]" in err
    assert not (tmp_path / "p.pdf").exists()


def test_chart_notes_go_to_the_insurer_never_to_a_collector(tmp_path, capsys):
    docs = tmp_path / "docs"
    make_pdf(docs / "chart.pdf", 2, "CHART NOTES")
    make_pdf(docs / "bill.pdf", 1, "ITEMIZED BILL")
    enclosures = [{"title": "Office visit chart notes", "file": "docs/chart.pdf"},
                  {"title": "Itemized bill", "file": "docs/bill.pdf"}]
    collections = case_file(tmp_path, "collections-uninsured", {"enclosures": enclosures})
    letter = render_letter(load_case(collections), "debt-validation", open_packs([]))
    assert [e.title for e in letter.enclosures] == ["Itemized bill"]
    assert run(capsys, collections, "-l", "debt-validation", "-o", tmp_path / "dv.pdf")[0] == 0
    text = "\n".join(pages_text(tmp_path / "dv.pdf"))
    assert "ITEMIZED BILL page 1" in text and "Exhibit A" in text
    assert "CHART NOTES" not in text and "chart notes" not in text and "Exhibit B" not in text

    appeal = case_file(tmp_path, "mri-medical-necessity", {"enclosures": enclosures})
    assert run(capsys, appeal, "-l", "internal-appeal", "-o", tmp_path / "ia.pdf")[0] == 0
    text = "\n".join(pages_text(tmp_path / "ia.pdf"))
    assert "CHART NOTES page 2" in text and "Exhibit B" in text


def test_a_complaint_about_a_collector_carries_what_the_collector_may_see(tmp_path, capsys):
    """The CFPB gets a collector complaint's packet: the bill, but no chart notes, though
    chart notes may go to a regulator (the template's enclosures_as)."""
    docs = tmp_path / "docs"
    make_pdf(docs / "chart.pdf", 2, "CHART NOTES")
    make_pdf(docs / "bill.pdf", 1, "ITEMIZED BILL")
    make_pdf(docs / "note.pdf", 1, "FOR THE AGENCY")
    enclosures = [{"title": "Office visit chart notes", "file": "docs/chart.pdf"},
                  {"title": "Itemized bill", "file": "docs/bill.pdf"},
                  {"title": "Timeline of the calls", "file": "docs/note.pdf",
                   "for": ["regulator"]}]
    case = case_file(tmp_path, "collector-ignored-dispute", {"enclosures": enclosures})
    letter = render_letter(load_case(case), "collector-complaint", open_packs([]))
    assert [e.title for e in letter.enclosures] == ["Itemized bill", "Timeline of the calls"]
    assert run(capsys, case, "-l", "collector-complaint", "-o", tmp_path / "c.pdf")[0] == 0
    text = "\n".join(pages_text(tmp_path / "c.pdf"))
    assert "ITEMIZED BILL page 1" in text and "FOR THE AGENCY page 1" in text
    assert "CHART NOTES" not in text and "chart notes" not in text


def test_fax_cover_names_both_parties_and_no_diagnosis(tmp_path, capsys):
    case = appeal_case(tmp_path)
    status, _, err = run(capsys, case, "-l", "internal-appeal", "-o", tmp_path / "p.pdf",
                         "--fax-cover")
    assert status == 0, err
    texts = pages_text(tmp_path / "p.pdf")
    cover = texts[0]
    for seen in ("Fax", "Lone Star Benefits Administrators", "(214) 555-0160", "Mei-Ling Chen",
                 "(512) 555-0187", "June 15, 2026", f"{len(texts)}, including this cover",
                 "Appeal of a denied claim: Claim TX26-7781204", "Confidential",
                 f"Packet page 1 of {len(texts)}"):
        assert seen in cover, seen
    data = load_case(case)
    for hidden in (data.denial.reason_text, data.denial.criteria, "medical", "72148", "MRI",
                   "lumbar", "$", "2,850", "therapy", DENIAL):
        assert hidden.lower() not in cover.lower(), hidden
    assert outline(tmp_path / "p.pdf")[:2] == [("Fax cover", 1),
                                               ("Letter: Appeal of a denied claim", 2)]


def test_max_pages_splits_between_exhibits_with_running_numbers(tmp_path, capsys):
    case = appeal_case(tmp_path)
    n = letter_pages(case, "internal-appeal")
    status, out, err = run(capsys, case, "-l", "internal-appeal", "-o", tmp_path / "p.pdf",
                           "--max-pages", n + 4)
    assert status == 0, err
    paths = [tmp_path / f"p.part{k}.pdf" for k in (1, 2)]
    assert out.split() == [str(p) for p in paths] and not (tmp_path / "p.pdf").exists()
    first, second = pages_text(paths[0]), pages_text(paths[1])
    total = n + 1 + 3 + 4 + 2
    assert len(first) == n + 1 + 3 and len(second) == 4 + 2  # front and A; then B and C
    for number, text in enumerate(first + second, 1):
        part = 1 if number <= len(first) else 2
        assert f"Packet page {number} of {total} · Part {part} of 2" in text
    assert index_rows(first[n]) == [("A", DENIAL, f"{n + 2} (part 1)"),
                                    ("B", NOTES, f"{n + 5} (part 2)"),
                                    ("C", CARD, f"{n + 9} (part 2)")]
    assert outline(paths[1]) == [(f"Exhibit B: {NOTES}", 1), (f"Exhibit C: {CARD}", 5)]
    assert "THERAPY NOTES page 1" in second[1]


def test_max_pages_refuses_what_cannot_be_split(tmp_path, capsys):
    case = appeal_case(tmp_path)
    n = letter_pages(case, "internal-appeal")
    status, _, err = run(capsys, case, "-l", "internal-appeal", "-o", tmp_path / "p.pdf",
                         "--max-pages", n)
    assert status == 1 and "the letter is never split" in err
    assert f"--max-pages {n + 1}" in err  # the letter and its index
    make_pdf(tmp_path / "docs" / "notes.pdf", n + 5, "THERAPY NOTES")
    status, _, err = run(capsys, case, "-l", "internal-appeal", "-o", tmp_path / "p.pdf",
                         "--max-pages", n + 2)
    assert status == 1 and f"Exhibit B ('{NOTES}', [[enclosures]] #2): {n + 6} pages" in err
    assert "an exhibit is never split" in err and f"--max-pages {n + 6}" in err
    assert not list(tmp_path.glob("p*.pdf"))


def test_max_size_splits_into_parts_below_the_limit_or_refuses(tmp_path, capsys):
    docs = tmp_path / "docs"
    make_pdf(docs / "a.pdf", 1, "SCAN A", noise=200)
    make_pdf(docs / "b.pdf", 1, "SCAN B", noise=200)
    case = case_file(tmp_path, "mri-medical-necessity", {"enclosures": [
        {"title": "Scan A", "file": "docs/a.pdf"}, {"title": "Scan B", "file": "docs/b.pdf"}]})
    assert run(capsys, case, "-l", "internal-appeal", "-o", tmp_path / "whole.pdf")[0] == 0
    whole = (tmp_path / "whole.pdf").stat().st_size
    limit = whole - 60_000  # one scan is about 120 kB: the second must move
    status, out, err = run(capsys, case, "-l", "internal-appeal", "-o", tmp_path / "p.pdf",
                           "--max-size", limit / 1_000_000)
    assert status == 0, err
    parts = [Path(line) for line in out.split()]
    assert len(parts) == 2 and all(p.stat().st_size <= limit for p in parts)
    assert "SCAN B page 1" in "\n".join(pages_text(parts[1]))
    status, _, err = run(capsys, case, "-l", "internal-appeal", "-o", tmp_path / "q.pdf",
                         "--max-size", "0.01")
    assert status == 1 and "the letter is never split" in err and "--max-size 0." in err
    assert not list(tmp_path.glob("q*.pdf"))


@pytest.mark.parametrize("bad", ["0", "-3", "many", "nan"])
def test_limits_must_be_positive_numbers(capsys, bad):
    with pytest.raises(SystemExit) as exit_info:
        main(["packet", "case.toml", "-l", "internal-appeal", "--max-pages", bad])
    assert exit_info.value.code == 2
    assert re.search("not a number above 0", capsys.readouterr().err)


def test_pages_of_other_sizes_and_turned_pages_are_stamped_upright(tmp_path, capsys):
    docs = tmp_path / "docs"
    docs.mkdir()
    canvas = Canvas(str(docs / "a4.pdf"), pagesize=(842, 595))
    canvas.drawString(72, 500, "A4 LANDSCAPE")
    canvas.showPage()
    canvas.save()
    turned = PdfWriter(clone_from=PdfReader(make_pdf(docs / "turned.pdf", 1, "TURNED")))
    turned.pages[0].rotate(90)
    turned.write(docs / "turned.pdf")
    case = case_file(tmp_path, "mri-medical-necessity", {"enclosures": [
        {"title": "A4", "file": "docs/a4.pdf"}, {"title": "Turned", "file": "docs/turned.pdf"}]})
    assert run(capsys, case, "-l", "internal-appeal", "-o", tmp_path / "p.pdf")[0] == 0
    reader = PdfReader(tmp_path / "p.pdf")
    n = letter_pages(case, "internal-appeal")
    a4, turned_page = reader.pages[n + 2], reader.pages[n + 4]
    assert (float(a4.mediabox.width), float(a4.mediabox.height)) == (842, 595)
    assert turned_page.rotation == 0 and turned_page.mediabox.width > turned_page.mediabox.height
    for page, number in ((a4, n + 3), (turned_page, n + 5)):
        stamps: list[tuple[float, float]] = []

        def visit(text, cm, tm, font, size, stamps=stamps):
            if "Packet page" in text:
                stamps.append((cm[4] + tm[4], cm[5] + tm[5]))

        assert f"Packet page {number} of {n + 5}" in page.extract_text(visitor_text=visit)
        (x, y), = stamps  # in the bottom margin of the page as it is seen, inside it
        assert 0 < x < float(page.mediabox.width) and 0 < y < 40
