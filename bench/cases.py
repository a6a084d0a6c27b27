"""Case files the bench makes from an example: a caseload for ``lettergen batch`` and a
case with three enclosure files for ``lettergen packet``.

Each is the example's text with a few values changed (its ``extends`` made absolute,
so the copies can live in a temporary folder), never a second copy of the case-file
format to keep in step.
"""

from __future__ import annotations

import io
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "examples" / "er-out-of-network.toml"

_FIRST = ("Jordan", "Casey", "Avery", "Riley", "Morgan", "Quinn", "Skyler", "Dana",
          "Jamie", "Parker", "Rowan", "Emerson")
_LAST = ("Rivera", "Nguyen", "Okafor", "Schmidt", "Haddad", "Kowalski", "Tanaka",
         "Alvarez", "Bennett", "Fischer", "Moreau", "Singh", "Larsen")
_ENCLOSURE = re.compile(r"^\[\[enclosures\]\]\ntitle = \"[^\"\n]*\"\n*", re.M)


def _example_text() -> str:
    """The example with its ``extends`` pointing at the example's base file."""
    text = EXAMPLE.read_text("utf-8")

    def absolute(match: re.Match[str]) -> str:
        return f'extends = "{(EXAMPLE.parent / match.group(1)).as_posix()}"'

    return re.sub(r'^extends = "([^"]+)"', absolute, text, count=1, flags=re.M)


def _varied(text: str, number: int) -> str:
    """Case ``number``: its own patient name, claim and account numbers and amount."""
    name = f"{_FIRST[number % len(_FIRST)]} {chr(65 + number % 26)}. " \
           f"{_LAST[number % len(_LAST)]}"
    text = text.replace('number = "CLM-2026-000123"', f'number = "CLM-2026-{number:06d}"')
    text = text.replace('account_number = "ACCT-889900"',
                        f'account_number = "ACCT-{889900 + number}"')
    text = text.replace("patient_responsibility = 27000.00",
                        f"patient_responsibility = {27000 + number}.00")
    return text.replace("[provider]", f'[patient]\nname = "{name}"\n\n[provider]', 1)


def write_caseload(folder: Path, count: int) -> list[Path]:
    """``count`` case files in ``folder``, each a variation of the example."""
    folder.mkdir(parents=True, exist_ok=True)
    text = _example_text()
    paths = []
    for number in range(1, count + 1):
        path = folder / f"case-{number:03d}.toml"
        path.write_text(_varied(text, number), "utf-8")
        paths.append(path)
    return paths


def write_packet_case(folder: Path) -> Path:
    """The example in ``folder`` with three enclosures to attach: a one-page and a
    two-page PDF (ReportLab) and a PNG photo of a receipt (Pillow)."""
    from PIL import Image, ImageDraw
    from reportlab.lib.pagesizes import letter
    from reportlab.pdfgen.canvas import Canvas

    documents = folder / "documents"
    documents.mkdir(parents=True, exist_ok=True)
    for name, pages in (("eob.pdf", 1), ("statement.pdf", 2)):
        canvas = Canvas(str(documents / name), pagesize=letter, invariant=1)
        for page in range(1, pages + 1):
            canvas.setFont("Helvetica", 12)
            canvas.drawString(72, 700, f"{name}: page {page} of {pages}")
            canvas.showPage()
        canvas.save()
    image = Image.new("RGB", (850, 1100), "white")
    ImageDraw.Draw(image).text((60, 60), "Pharmacy receipt, March 3, 2026", fill="black")
    buffer = io.BytesIO()
    image.save(buffer, "PNG")
    (documents / "receipt.png").write_bytes(buffer.getvalue())

    text = _ENCLOSURE.sub("", _example_text()).rstrip() + "\n"
    for title, name in (("Explanation of Benefits dated April 10, 2026", "eob.pdf"),
                        ("Hospital statement dated April 20, 2026", "statement.pdf"),
                        ("Pharmacy receipt dated March 3, 2026", "receipt.png")):
        text += f'\n[[enclosures]]\ntitle = "{title}"\nfile = "documents/{name}"\n'
    path = folder / "packet-case.toml"
    path.write_text(text, "utf-8")
    return path
