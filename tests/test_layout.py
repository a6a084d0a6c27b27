"""Page layout (issue 10 item 17), read from the pages the recipient holds: a simple
request fits on one page; the closing never leaves the signature nor starts a page
without the end of the body; "Enclosures:" never ends a page without its list; no
paragraph leaves a single line behind or carries one over; later pages say whose
letter they are. The PDF is read with pypdf; the DOCX through its headers and, where
LibreOffice is installed, as LibreOffice paginates it."""

from __future__ import annotations

import datetime as dt
import io
import os
import re
import shutil
import subprocess
import textwrap
from pathlib import Path

import docx
import pypdf
import pytest

from conftest import ROOT
from lettergen.case.casefile import load_case
from lettergen.letters.document import Document
from lettergen.letters.markdown_reader import read_markdown
from lettergen.letters.render import render_letter
from lettergen.packs.folder import open_packs
from lettergen.writers.docx_writer import write_docx
from lettergen.writers.pdf_writer import write_pdf

FULL = ROOT / "tests" / "fixtures" / "full-cases" / "layout-collections-settled.toml"
LETTERS = ("call-confirmation", "settlement-confirmation", "external-review-request",
           "itemized-bill-request", "credit-report-dispute")
HEAD = "Alicia Marquez · Claim PSC-7719-01"  # the external review request's running head
SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")

# A simple request: a patient without insurance asks for the itemized bill.
SIMPLE_CASE = """
[case]
state = "IL"
date = 2026-04-25

[patient]
name = "Jordan A. Rivera"
address = ["1200 Elm Street", "Springfield, IL 62701"]
phone = "(217) 555-0142"
date_of_birth = 1985-04-12

[insurer]
plan_type = "uninsured"

[provider]
name = "Springfield General Hospital"
address = ["Patient Financial Services", "500 Main Street", "Springfield, IL 62701"]
account_number = "ACCT-889900"

[claim]
service_date = 2026-03-02
billed = 4200.00

[balance]
amount_due = 4200.00
statement_date = 2026-04-20
"""


def letter(path: Path, letter_id: str) -> Document:
    return render_letter(load_case(path), letter_id, open_packs([])).document


def pages(data: bytes) -> list[list[str]]:
    """Each page's text lines, as pypdf reads them."""
    reader = pypdf.PdfReader(io.BytesIO(data))
    return [[line.strip() for line in page.extract_text().splitlines() if line.strip()]
            for page in reader.pages]


def body_lines(page: list[str]) -> list[str]:
    """A page's lines without the running head ("Name · Claim ...") and "Page N of M"."""
    return [line for line in page
            if not re.search(r"Page \d+ of \d+$| · (Claim|Account|Report) ", line)]


def synthetic(filler: int, ending: str, line: str = "Filler line {n} of the letter.") -> Document:
    """A letter of ``filler`` one-line paragraphs and then ``ending`` (Markdown), read
    as the templates' Markdown is read, with a running head."""
    body = "\n\n".join(line.format(n=n) for n in range(1, filler + 1))
    return Document(title="t", author="a", date=dt.date(2026, 10, 9),
                    blocks=read_markdown(body + "\n\n" + textwrap.dedent(ending)),
                    running_head="Pat Example · Claim C-1")


CLOSING = """
This is the last paragraph of the body. It runs over several lines so that a page end
can fall inside it: the writers must then carry at least two of its lines over to the
next page with the closing, and leave at least two behind, so that the signature is
never alone on a page and no line is alone either. Here are a few more words that
make it four lines long at the letter's measure, to be sure of it.

::: signature
Sincerely,

Renata Marquez\\
Daughter and authorized representative for Alicia Marquez
:::

**Enclosures:**

- Explanation of Benefits dated March 20, 2026
- Final internal denial dated August 28, 2026
- Letter of medical necessity from Dr. Samuel Okafor
- Written authorization signed by Alicia Marquez

cc: Peachtree Surgical Center
"""
ENCLOSED = ("Explanation of Benefits dated March 20, 2026",
            "Final internal denial dated August 28, 2026",
            "Letter of medical necessity from Dr. Samuel Okafor",
            "Written authorization signed by Alicia Marquez")
LAST_PARAGRAPH = ("last paragraph of the body", "can fall inside", "next page with",
                  "never alone", "make it four")


def assert_closing_kept(doc_pages: list[list[str]], signer: str) -> None:
    """The closing is on one page with the signer's name, and at least two lines of
    the body stand above it there."""
    where = [i for i, page in enumerate(doc_pages) if "Sincerely," in page]
    assert len(where) == 1, doc_pages
    page = body_lines(doc_pages[where[0]])
    at = page.index("Sincerely,")
    assert at >= 2, f"the closing starts page {where[0] + 1}: {page}"
    assert any(signer in line for line in page[at + 1:]), f"signature left behind: {page}"


def assert_enclosures_kept(doc_pages: list[list[str]], titles: tuple[str, ...]) -> None:
    """ "Enclosures:" is on the page of every enclosure it lists, of the signature, and
    of the copies line (no last page holds only "cc: ...")."""
    where = [i for i, page in enumerate(doc_pages) if "Enclosures:" in page]
    assert len(where) == 1, doc_pages
    page = doc_pages[where[0]]
    text = " ".join(page)
    for title in titles:
        assert title in text, f"{title!r} is not on the page of 'Enclosures:'"
    assert "Sincerely," in page, f"the enclosures are apart from the signature: {page}"
    copies = [line for p in doc_pages for line in p if line.startswith("cc: ")]
    assert all(line in page for line in copies), f"the cc line is apart: {doc_pages}"


# --- the letters a patient sends -----------------------------------------------------

def test_a_call_confirmation_from_a_fully_filled_case_fits_on_one_page():
    doc_pages = pages(write_pdf(letter(FULL, "call-confirmation")))
    assert len(doc_pages) == 1, doc_pages
    text = " ".join(doc_pages[0])
    assert "SET-5531" in text and "Renata Marquez" in text and "Page 1 of 1" in text
    assert "Written authorization signed by Alicia Marquez" in text  # the list is there too


def test_an_itemized_bill_request_on_a_simple_case_fits_on_one_page(tmp_path):
    path = tmp_path / "simple.toml"
    path.write_text(SIMPLE_CASE, "utf-8")
    doc_pages = pages(write_pdf(letter(path, "itemized-bill-request")))
    assert len(doc_pages) == 1, doc_pages
    assert "ACCT-889900" in " ".join(doc_pages[0])


@pytest.mark.parametrize("letter_id", LETTERS)
def test_each_letter_keeps_its_closing_signature_and_enclosures_together(letter_id):
    doc = letter(FULL, letter_id)
    doc_pages = pages(write_pdf(doc))
    assert_closing_kept(doc_pages, "Renata Marquez")
    text = " ".join(" ".join(page) for page in doc_pages)
    titles = tuple(t for t in ("Explanation of Benefits dated March 20, 2026",
                               "Written authorization signed by Alicia Marquez") if t in text)
    assert titles, "the fully filled case encloses these in every letter"
    assert_enclosures_kept(doc_pages, titles)


def test_later_pages_say_whose_letter_they_are_and_the_first_does_not():
    doc = letter(FULL, "external-review-request")
    assert doc.running_head == HEAD
    doc_pages = pages(write_pdf(doc))
    assert len(doc_pages) >= 2
    assert not any(HEAD in line for line in doc_pages[0])
    assert f"Page 1 of {len(doc_pages)}" in doc_pages[0][-1]  # at the foot
    for number, page in enumerate(doc_pages[1:], 2):
        assert page[:2] == [HEAD, f"Page {number} of {len(doc_pages)}"], page


def test_the_running_head_names_the_number_the_recipient_files_under():
    heads = {letter_id: letter(FULL, letter_id).running_head for letter_id in LETTERS}
    assert heads == {
        "call-confirmation": "Alicia Marquez · Account SCR-2026-55120",  # the collector's
        "settlement-confirmation": "Alicia Marquez · Account SCR-2026-55120",
        "external-review-request": HEAD,
        "itemized-bill-request": "Alicia Marquez · Account PSC-7719",  # the provider's
        "credit-report-dispute": "Alicia Marquez · Account SCR-2026-55120",  # no report no.
    }


def test_the_docx_heads_later_pages_only():
    d = docx.Document(io.BytesIO(write_docx(letter(FULL, "external-review-request"))))
    section = d.sections[0]
    assert section.different_first_page_header_footer
    assert section.header.paragraphs[0].text.startswith(HEAD + "\tPage ")
    assert "> PAGE <" in section.header._element.xml
    assert not "".join(p.text for p in section.first_page_header.paragraphs)
    assert section.first_page_footer.paragraphs[0].text.startswith("Page ")


def test_the_docx_keeps_the_closing_and_the_enclosures_with_what_they_belong_to():
    d = docx.Document(io.BytesIO(write_docx(letter(FULL, "external-review-request"))))
    paras = d.paragraphs
    texts = [p.text for p in paras]
    closing = texts.index("Sincerely,")
    assert paras[closing - 1].paragraph_format.keep_with_next  # the body's end goes along
    assert paras[closing].paragraph_format.keep_with_next
    label = texts.index("Enclosures:")
    items = paras[label + 1:]
    assert paras[label].paragraph_format.keep_with_next
    assert all(p.paragraph_format.keep_with_next for p in items[:-1])
    assert d.styles["Normal"].paragraph_format.widow_control


# --- page ends at every position ----------------------------------------------------

@pytest.mark.parametrize("filler", range(22, 40))
def test_wherever_the_page_ends_the_closing_keeps_the_body_and_the_signature(filler):
    doc_pages = pages(write_pdf(synthetic(filler, CLOSING)))
    assert_closing_kept(doc_pages, "Renata Marquez")
    assert_enclosures_kept(doc_pages, ENCLOSED)
    for page in doc_pages:  # the last paragraph is split 2 + 2 or not at all
        held = [line for line in page if any(part in line for part in LAST_PARAGRAPH)]
        assert len(held) in (0, 2, 4), page


@pytest.mark.parametrize("filler", range(28, 36))
def test_wherever_the_page_ends_no_paragraph_leaves_or_carries_one_line(filler):
    words = " ".join(f"w{n:02d}" for n in range(90))  # five lines of tagged words
    ending = "\n\n".join(f"Para{k} " + words.replace("w", f"p{k}x") for k in range(3))
    doc_pages = pages(write_pdf(synthetic(filler, ending)))
    for k in range(3):
        counts = [sum(f"p{k}x" in line for line in page) for page in doc_pages]
        parts = [c for c in counts if c]
        assert sum(parts) >= 5 and all(c >= 2 for c in parts), (k, counts)


@pytest.mark.parametrize("filler", range(30, 36))
@pytest.mark.parametrize("shift", range(4))
def test_wherever_the_page_ends_a_lead_in_keeps_the_first_two_items(filler, shift):
    steps = "".join(f"- Step {n}\n" for n in range(shift))  # shorter than a paragraph
    ending = steps + textwrap.dedent("""
        Some words between the two lists.

        My record of what was agreed:

        - First item of the record
        - Second item of the record
        - Third item of the record
        - Fourth item of the record
        """)
    doc_pages = pages(write_pdf(synthetic(filler, ending)))
    page = " ".join(next(p for p in doc_pages if "My record of what was agreed:" in p))
    assert "First item of the record" in page and "Second item of the record" in page


# --- LibreOffice paginates the DOCX as the PDF ----------------------------------------

@pytest.mark.skipif(SOFFICE is None, reason="LibreOffice is not installed")
def test_libreoffice_paginates_the_docx_like_the_pdf(tmp_path):
    docs = {letter_id: letter(FULL, letter_id) for letter_id in LETTERS}
    docs["synthetic-30"] = synthetic(30, CLOSING)
    docs["synthetic-34"] = synthetic(34, CLOSING)
    for name, doc in docs.items():
        (tmp_path / f"{name}.docx").write_bytes(write_docx(doc))
    # The fonts Word users have: LibreOffice is given Liberation Serif (Times New
    # Roman's metrics, shipped with lettergen), as a Linux install has it.
    fonts = tmp_path / "fonts.conf"
    fonts.write_text(f"""<?xml version="1.0"?>
<fontconfig>
  <include ignore_missing="yes">/etc/fonts/fonts.conf</include>
  <dir>{ROOT / "lettergen" / "fonts"}</dir>
  <cachedir>{tmp_path / "fontcache"}</cachedir>
</fontconfig>
""", "utf-8")
    out = tmp_path / "converted"
    subprocess.run([SOFFICE, f"-env:UserInstallation=file://{tmp_path}/profile", "--headless",
                    "--convert-to", "pdf", "--outdir", str(out),
                    *(str(tmp_path / f"{name}.docx") for name in docs)],
                   check=True, capture_output=True, timeout=300,
                   env={**os.environ, "FONTCONFIG_FILE": str(fonts)})
    for name, doc in docs.items():
        ours = pages(write_pdf(doc))
        theirs = pages((out / f"{name}.pdf").read_bytes())
        assert len(theirs) == len(ours), name
        signer = "Renata Marquez"
        assert_closing_kept(theirs, signer)
        if doc.running_head and len(theirs) > 1:
            assert not any(doc.running_head in line for line in theirs[0]), name
            assert any(doc.running_head in line for line in theirs[1]), name
