"""pack.toml: read as strictly as a case file, every problem with its line; paths kept
inside the pack; the style of several packs merged front to back; letters carry it."""

from __future__ import annotations

import io
import shutil
from pathlib import Path

import pytest

from conftest import EXAMPLES, ROOT, docx_text, letter_text, pdf_text
from lettergen import __version__
from lettergen.case.casefile import load_case
from lettergen.cli import main
from lettergen.errors import PackError
from lettergen.letters.render import render_letter
from lettergen.letters.templates import find_template, list_templates
from lettergen.packs.folder import open_packs
from lettergen.packs.manifest import MAX_LOGO_BYTES, effective_style, read_manifest

PACKS = ROOT / "tests" / "fixtures" / "packs"
ADVOCATE = PACKS / "advocate"
HEAD = '[pack]\nname = "Test Pack"\nversion = "0.1.0"\n'


def _pack(tmp_path: Path, manifest: str, name: str = "pack") -> Path:
    folder = tmp_path / name
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "pack.toml").write_text(manifest, "utf-8")
    return folder


def _problem(folder: Path) -> str:
    with pytest.raises(PackError) as caught:
        open_packs([str(folder)])
    return str(caught.value)


def test_the_advocate_manifest_is_read_whole():
    manifest = read_manifest(ADVOCATE)
    assert manifest is not None
    assert (manifest.name, manifest.version) == ("Central Texas Health Advocates", "1.2.0")
    assert manifest.authors == ("Ana Ruiz <ana@example.org>",)
    assert manifest.languages == ("en",) and manifest.extends == "built-in"
    style = manifest.style
    assert style.font == "sans" and style.font_size_pt == 11 and style.margins_in == (1.0,) * 4
    assert style.footer == "Central Texas Health Advocates · (512) 555-0100"
    head = style.letterhead
    assert head.organization == "Central Texas Health Advocates"
    assert head.address == ("500 Congress Avenue, Suite 200", "Austin, TX 78701")
    assert head.logo == (ADVOCATE / "logo.png").read_bytes() and head.logo_type == "png"
    assert head.logo_width_in == 1.5


def test_a_pack_is_named_by_its_manifest_and_a_folder_without_one_by_its_folder(tmp_path):
    plain = tmp_path / "plain-pack"
    plain.mkdir()
    packs = open_packs([str(ADVOCATE), str(plain)])
    assert [p.name for p in packs] == ["Central Texas Health Advocates", "plain-pack",
                                       "built-in"]
    assert packs[1].manifest is None


def test_only_the_built_in_pack_is_recorded_as_lettergen_built_in():
    style = effective_style(open_packs([]))
    assert (style.pack_name, style.pack_version) == ("lettergen built-in", __version__)
    assert style.letterhead is None and style.footer == ""


def test_the_front_most_pack_that_sets_a_key_wins(tmp_path):
    front = _pack(tmp_path, HEAD.replace("Test Pack", "Front") + '[style]\nfooter = "Front '
                  'footer"\n', "front")
    back = _pack(tmp_path, HEAD.replace("Test Pack", "Back") + '[style]\nfooter = "Back"\n'
                 'font = "sans"\nfont_size = 12\n[style.letterhead]\norganization = "Back Org"\n',
                 "back")
    style = effective_style(open_packs([str(front), str(back)]))
    assert style.footer == "Front footer"  # both set it: the front one wins
    assert style.font == "sans" and style.font_size_pt == 12  # only the back sets them
    assert style.letterhead.organization == "Back Org"
    assert (style.pack_name, style.pack_version) == ("Front", "0.1.0")


def test_letters_carry_the_pack_style(tmp_path):
    case = load_case(EXAMPLES / "er-out-of-network.toml")
    letter = render_letter(case, "itemized-bill-request", open_packs([str(ADVOCATE)]))
    style = letter.document.style
    assert style.pack_name == "Central Texas Health Advocates" and style.pack_version == "1.2.0"
    assert style.letterhead.organization == "Central Texas Health Advocates"
    assert style.letterhead.logo.startswith(b"\x89PNG")
    plain = render_letter(case, "itemized-bill-request", open_packs([]))
    assert plain.document.style.pack_name == "lettergen built-in"


def test_the_packs_wording_reaches_the_docx_and_the_pdf(tmp_path):
    out = tmp_path / "out"
    case = EXAMPLES / "er-out-of-network.toml"
    assert main(["build", str(case), "-l", "itemized-bill-request", "-l", "intake-summary",
                 "--pack", str(ADVOCATE), "-o", str(out)]) == 0
    folder = out / "er-out-of-network"
    for reader, ext in ((docx_text, "docx"), (pdf_text, "pdf")):
        bill = " ".join(reader((folder / f"itemized-bill-request.{ext}").read_bytes()).split())
        assert "Thank you for working with our advocates on this account." in bill
        assert "helps patients read their hospital bills line by line" in bill
        assert "Thank you for your help." not in bill  # the built-in wording is replaced
        intake = " ".join(reader((folder / f"intake-summary.{ext}").read_bytes()).split())
        assert "summarizes what our intake found" in intake
        assert "under review by our advocates" in intake


def test_the_packs_letterhead_logo_and_footer_are_on_the_built_files(tmp_path):
    """The advocate pack's [style] reaches both files built through the command line:
    its letterhead (with the logo image) heads page 1, its footer is on the page, and
    the files name the pack and its version."""
    import zipfile

    from docx import Document as read_docx
    from pypdf import PdfReader

    out = tmp_path / "out"
    case = EXAMPLES / "er-out-of-network.toml"
    assert main(["build", str(case), "-l", "itemized-bill-request", "--pack", str(ADVOCATE),
                 "-o", str(out)]) == 0
    folder = out / "er-out-of-network"
    docx_bytes = (folder / "itemized-bill-request.docx").read_bytes()
    text = " ".join(docx_text(docx_bytes).split())
    # the letterhead is the body's first element: a table Word users can edit
    first = read_docx(io.BytesIO(docx_bytes)).element.body[0]
    assert first.tag.endswith("}tbl") and "Central Texas Health Advocates" in first.xml
    assert "500 Congress Avenue, Suite 200" in text and "help@ctha.example.org" in text
    with zipfile.ZipFile(io.BytesIO(docx_bytes)) as z:
        assert any(name.startswith("word/media/") for name in z.namelist())  # the logo
        footers = " ".join(z.read(n).decode() for n in z.namelist() if "footer" in n)
    assert "Central Texas Health Advocates · (512) 555-0100" in footers
    props = read_docx(io.BytesIO(docx_bytes)).core_properties
    assert (props.category, props.version) == ("Central Texas Health Advocates", "1.2.0")
    reader = PdfReader(io.BytesIO((folder / "itemized-bill-request.pdf").read_bytes()))
    first = " ".join(reader.pages[0].extract_text().split())
    assert first.startswith("Central Texas Health Advocates")
    assert "Central Texas Health Advocates · (512) 555-0100" in first
    images = reader.pages[0]["/Resources"]["/XObject"].values()
    assert any(x.get_object()["/Subtype"] == "/Image" for x in images)
    assert "Central Texas Health Advocates 1.2.0" in reader.metadata["/Creator"]


def test_the_pack_letter_is_listed_with_the_pack_and_without_it_is_unknown(capsys):
    packs = open_packs([str(ADVOCATE)])
    ids = {t.id: t.pack.name for t in list_templates(packs)}
    assert ids["intake-summary"] == "Central Texas Health Advocates"
    assert ids["itemized-bill-request"] == "Central Texas Health Advocates"
    assert ids["records-request"] == "built-in"
    assert main(["show", "intake-summary"]) == 1
    assert "unknown template id 'intake-summary'" in capsys.readouterr().err
    assert "summarizes what our intake found" in letter_text(
        EXAMPLES / "er-bill-review.toml", "intake-summary", (str(ADVOCATE),))


BROKEN = {  # fixture: (line, words the message holds)
    "broken-unknown-key": (4, "[pack] descripton: unknown key; did you mean 'description'?"),
    "broken-bad-type": (6, '[style] font_size: expected a number of points from 9 to 14'),
    "broken-logo-outside": (7, "[style.letterhead] logo: \"../advocate/logo.png\" leads out "
                               "of the pack"),
    "broken-missing-key": (2, "[pack]: lacks version, which is required"),
}


@pytest.mark.parametrize("fixture", sorted(BROKEN))
def test_a_broken_manifest_is_refused_naming_the_file_and_line(fixture, capsys):
    line, words = BROKEN[fixture]
    message = _problem(PACKS / fixture)
    assert f"{PACKS / fixture / 'pack.toml'}" in message
    assert f"pack.toml, line {line}: {words}" in message
    assert main(["list", "--pack", str(PACKS / fixture)]) == 1
    err = capsys.readouterr().err
    assert f"pack.toml, line {line}: " in err and "Traceback" not in err


def test_every_problem_is_reported_at_once(tmp_path):
    folder = _pack(tmp_path, '[pack]\nname = ""\nversion = 2\nlanguage = ["en"]\n\n'
                   '[style]\nfont = "comic"\nmargins = {top = 1.0, left = 9}\n\n[extras]\n')
    message = _problem(folder)
    expected = [
        'pack.toml, line 2: [pack] name: is empty',
        'pack.toml, line 3: [pack] version: expected text in quotes, such as version = '
        '"1.0.0", got 2',
        "pack.toml, line 4: [pack] language: unknown key; did you mean 'languages'?",
        "pack.toml, line 7: [style] font: expected one of serif, sans",
        "pack.toml, line 8: [style] margins: gives no right, bottom: give all four sides",
        "pack.toml, line 8: [style.margins] left: 9 inches is outside 0.5 to 2",
        "pack.toml, line 10: [extras]: unknown table",
    ]
    for words in expected:
        assert words in message, message
    assert f"has {len(expected)} problems" in message
    positions = [message.index(words) for words in expected]
    assert positions == sorted(positions)  # in the order of the file


def test_broken_toml_names_the_line_and_column(tmp_path):
    folder = _pack(tmp_path, HEAD + 'description = Letters\n')
    message = _problem(folder)
    assert "pack.toml, line 4, column 15: not valid TOML" in message
    assert 'put text in straight quotes: description = "Letters"' in message


def test_a_logo_linked_outside_the_pack_is_refused(tmp_path):
    folder = tmp_path / "advocate"
    shutil.copytree(ADVOCATE, folder)
    outside = tmp_path / "secret.png"
    outside.write_bytes((ADVOCATE / "logo.png").read_bytes())
    (folder / "logo.png").unlink()
    (folder / "logo.png").symlink_to(outside)
    message = _problem(folder)
    assert "pack.toml, line 24: [style.letterhead] logo: \"logo.png\": the file points " \
           "outside the pack" in message


@pytest.mark.parametrize("logo, words", [
    ("/etc/hostname", "is an absolute path"),
    ("missing.png", "is not in the pack"),
    ("logo.gif", "is not a PNG or JPEG image"),
    ("big.png", f"the limit is {MAX_LOGO_BYTES:,} bytes"),
])
def test_a_bad_logo_is_refused(tmp_path, logo, words):
    folder = _pack(tmp_path, HEAD + f'[style.letterhead]\norganization = "Org"\nlogo = "{logo}"\n')
    (folder / "logo.gif").write_bytes(b"GIF89a" + b"\0" * 40)
    (folder / "big.png").write_bytes(b"\x89PNG\r\n\x1a\n" + b"\0" * MAX_LOGO_BYTES)
    message = _problem(folder)
    assert "pack.toml, line 6: [style.letterhead] logo: " in message and words in message


def test_a_jpeg_logo_and_a_word_reference_document_are_read(tmp_path):
    import docx

    folder = _pack(tmp_path, HEAD + '[style]\nreference_docx = "word/reference.docx"\n'
                   '[style.letterhead]\nlogo = "logo.jpg"\nlogo_width = 2\n')
    (folder / "word").mkdir()
    buffer = io.BytesIO()
    docx.Document().save(buffer)
    (folder / "word" / "reference.docx").write_bytes(buffer.getvalue())
    from PIL import Image

    Image.new("RGB", (30, 10), (200, 0, 0)).save(folder / "logo.jpg", format="JPEG")
    style = read_manifest(folder).style
    assert style.reference_docx == buffer.getvalue()
    assert style.letterhead.logo_type == "jpeg" and style.letterhead.logo_width_in == 2.0


def test_a_reference_document_that_is_no_word_file_is_refused(tmp_path):
    folder = _pack(tmp_path, HEAD + '[style]\nreference_docx = "reference.docx"\n')
    (folder / "reference.docx").write_text("not a zip", "utf-8")
    assert 'pack.toml, line 5: [style] reference_docx: "reference.docx" is not a Word ' \
           "document" in _problem(folder)


def test_a_pack_extends_a_pack_inside_it(tmp_path):
    front = _pack(tmp_path, HEAD + 'extends = "vendor/base"\n', "front")
    base = _pack(front / "vendor", HEAD.replace("Test Pack", "Base Pack"), "base")
    source = (ADVOCATE / "intake-summary.md").read_text("utf-8")
    (base / "intake-summary.md").write_text(source, "utf-8")
    packs = open_packs([str(front)])
    assert [p.name for p in packs] == ["Test Pack", "Base Pack", "built-in"]
    assert find_template("intake-summary", packs).pack.name == "Base Pack"
    style = effective_style(packs)
    assert style.pack_name == "Test Pack"


def test_a_pack_that_extends_itself_is_refused(tmp_path):
    folder = _pack(tmp_path, HEAD + 'extends = "."\n')
    message = _problem(folder)
    assert "pack.toml, line 4: [pack] extends: the packs extend each other in a circle" \
        in message


def test_extends_may_not_leave_the_pack(tmp_path):
    _pack(tmp_path, HEAD, "other")
    folder = _pack(tmp_path, HEAD + 'extends = "../other"\n')
    assert 'pack.toml, line 4: [pack] extends: "../other" leads out of the pack' in \
        _problem(folder)
