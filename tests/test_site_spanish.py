"""The Spanish guide site (mkdocs.es.yml, built into the English site's es/ folder), read
as a reader would in headless Chromium: Spanish pages tagged lang="es", a language
switch on every page that leads to the same page in the other language and back, and a
Spanish page for every letter, from the letter's Spanish front matter where its pack has
one, else in English with a note that says so."""

from __future__ import annotations

import html.parser
import posixpath
import re
import textwrap
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from site_languages import ROOT, mkdocs_build, open_page

from lettergen.letters.templates import find_template, list_templates
from lettergen.packs.folder import open_packs

TEMPLATES = list_templates(open_packs([]))
ENGLISH_NOTE = "Esta carta está en inglés"


class _Links(html.parser.HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.hrefs: list[str] = []

    def handle_starttag(self, tag, attrs):
        for name, value in attrs:
            if name in ("href", "src") and value:
                self.hrefs.append(value)


def links_of(path: Path) -> list[str]:
    parser = _Links()
    parser.feed(path.read_text("utf-8"))
    return parser.hrefs


def test_the_spanish_home_page_is_in_spanish(browser, server):
    page, errors = open_page(browser, f"{server}/es/index.html")
    assert page.locator("html").get_attribute("lang") == "es"
    assert page.locator("h1").first.inner_text().rstrip("¶") == \
        "Pelee una factura médica o una denegación del seguro"
    text = page.locator("article").inner_text()
    assert "fecha límite" in text and "Información, no asesoría legal" in text
    # Material's own words follow the site's language
    assert page.locator(".md-search__input").get_attribute("placeholder") == "Búsqueda"
    assert not errors, errors
    page.close()


def _switch(page, lang: str) -> None:
    """Open the header's language menu and pick a language, as a reader does."""
    page.locator(".md-header__option .md-select").hover()
    with page.expect_navigation(wait_until="networkidle"):
        page.locator(f"a.md-select__link[hreflang={lang}]").click()


@pytest.mark.parametrize("path", ["index.html", "guide/appeals.html",
                                  "guide/collections.html", "letters/internal-appeal.html",
                                  "advocates.html"])
def test_the_switch_leads_to_the_same_page_in_spanish_and_back(browser, server, path):
    page, errors = open_page(browser, f"{server}/{path}")
    assert page.locator("html").get_attribute("lang") == "en"
    english_heading = page.locator("h1").first.inner_text()
    _switch(page, "es")
    assert page.url == f"{server}/es/{path}"
    assert page.locator("html").get_attribute("lang") == "es"
    # the Spanish page, not a copy of the English one
    assert page.locator("h1").first.inner_text() != english_heading
    _switch(page, "en")
    assert page.url == f"{server}/{path}"
    assert page.locator("h1").first.inner_text() == english_heading
    assert not errors, errors
    page.close()


def test_a_page_without_a_translation_switches_to_the_spanish_home(browser, server, sites):
    assert not (ROOT / "site" / "es" / "guide" / "deadlines.md").exists()
    page, _ = open_page(browser, f"{server}/guide/deadlines.html")
    _switch(page, "es")
    assert page.url == f"{server}/es/index.html"
    page.close()


def test_every_page_of_both_sites_has_the_switch(sites):
    pages = sorted(sites.rglob("*.html"))
    assert len(pages) > 2 * len(TEMPLATES)
    for path in pages:
        if path.name == "404.html":
            continue
        text = path.read_text("utf-8")
        assert re.search(r'hreflang="es" class="md-select__link"', text), path
        assert re.search(r'hreflang="en" class="md-select__link"', text), path


def test_every_letter_has_a_spanish_page_from_its_spanish_front_matter(sites):
    packs = open_packs([])
    for info in TEMPLATES:
        spanish = find_template(info.id, packs, "es")
        page = (sites / "es" / "letters" / f"{info.id}.html").read_text("utf-8")
        assert "<h1 id=" in page and spanish.title in page, info.id
        assert (ENGLISH_NOTE in page) == (spanish.language != "es"), info.id
        assert "Cuándo usarla." in page and "Se envía a:" in page, info.id
    gallery = (sites / "es" / "letters" / "index.html").read_text("utf-8")
    for info in TEMPLATES:
        assert f'href="{info.id}.html"' in gallery, info.id


def test_spanish_pages_link_only_to_files_that_exist(sites):
    """The `en:` links of the Spanish pages (the reference, the English letter pages,
    their samples) and every other relative link lead to a file of the built sites."""
    checked = 0
    for path in sorted((sites / "es").rglob("*.html")):
        for href in links_of(path):
            parts = urlsplit(href)
            if parts.scheme or parts.netloc or href.startswith(("#", "/")) or not parts.path:
                continue
            target = posixpath.normpath(posixpath.join(path.parent.as_posix(), parts.path))
            assert Path(target).is_file(), f"{path.relative_to(sites)} links to {href}"
            checked += 1
    assert checked > 500  # the nav, the letters and their downloads were all checked
    appeal = links_of(sites / "es" / "letters" / "internal-appeal.html")
    assert "../../letters/internal-appeal-sample.pdf" in appeal
    assert "../../reference/case-file.html#denial" in appeal


def test_a_packs_spanish_front_matter_makes_the_spanish_letter_page(tmp_path):
    """A pack with es/<id>.md: that letter's Spanish page is in Spanish, with no note;
    a letter the pack leaves alone keeps its own language."""
    pack = tmp_path / "pack-es"
    (pack / "es").mkdir(parents=True)
    english = (ROOT / "letter_templates" / "itemized-bill-request.md").read_text("utf-8")
    spanish = re.sub(r'(?m)^title = ".*"$', 'title = "Pedido de factura detallada (paquete)"',
                     english)
    spanish = re.sub(r'(?m)^purpose = ".*"$',
                     'purpose = "Consigue cada línea de la factura, con sus códigos."', spanish)
    (pack / "es" / "itemized-bill-request.md").write_text(spanish, "utf-8")
    config = tmp_path / "mkdocs.es.yml"
    config.write_text(textwrap.dedent(f"""\
        INHERIT: {ROOT / 'mkdocs.es.yml'}
        docs_dir: {ROOT / 'site' / 'es'}
        plugins:
          - search
          - lettergen:
              examples: {ROOT / 'examples'}
              packs: [{pack}]
              language: es
              alternate_docs:
                en: {ROOT / 'site'}
        """), "utf-8")
    out = tmp_path / "es"
    mkdocs_build(config, out)
    page = (out / "letters" / "itemized-bill-request.html").read_text("utf-8")
    assert "Pedido de factura detallada (paquete)" in page
    assert "Consigue cada línea de la factura" in page and ENGLISH_NOTE not in page
    assert "paquete: pack-es" in page
    other = find_template("debt-validation", open_packs([]), "es")
    debt = (out / "letters" / "debt-validation.html").read_text("utf-8")
    assert other.title in debt and (ENGLISH_NOTE in debt) == (other.language != "es")
    gallery = (out / "letters" / "index.html").read_text("utf-8")
    row = next(line for line in gallery.splitlines() if "itemized-bill-request.html" in line)
    assert "(en inglés)" not in row
