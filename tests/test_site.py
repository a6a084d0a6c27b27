"""The guide site, tested as a reader would: built with `mkdocs build --strict`, served
on localhost, and driven in Debian's headless Chromium.

Skipped where Chromium is not installed (`.ci/run` installs it). Screenshots of the
home page and of one letter page are saved under `test-artifacts/`.
"""

from __future__ import annotations

import re
import textwrap
from pathlib import Path

import pytest
from site_languages import built_sites, mkdocs_build, open_page, serve

from conftest import ROOT, docx_text, pdf_text
from lettergen.case.casefile import load_case
from lettergen.letters.templates import list_templates
from lettergen.packs.folder import open_packs
from lettergen.rules.table import all_rules

ARTIFACTS = ROOT / "test-artifacts"
TEMPLATE_IDS = [t.id for t in list_templates(open_packs([]))]


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    """The guide as `make demo` builds it (its Spanish half in es/), built once a run."""
    return built_sites(tmp_path_factory)


@pytest.fixture(scope="module")
def server(built):
    with serve(built) as url:
        yield url


@pytest.fixture(scope="module")
def samples():
    from lettergen.guide.sitegen import find_samples

    return {e.info.id: e for e in find_samples(open_packs([]), ROOT / "examples")}


def test_site_builds_strict_with_every_letter_page(built):
    for template_id in TEMPLATE_IDS:
        assert (built / "letters" / f"{template_id}.html").is_file(), template_id
    assert (built / "reference" / "case-file.html").is_file()
    assert (built / "reference" / "case-file.schema.json").is_file()


def test_every_letter_page_loads_and_shows_its_letter(browser, server, samples):
    for template_id in TEMPLATE_IDS:
        page, errors = open_page(browser, f"{server}/letters/{template_id}.html")
        sample = page.locator(".letter-sample")
        assert sample.count() == 1, template_id
        text = sample.inner_text()
        case = load_case(samples[template_id].case_path)
        assert case.patient.name in text and "RE:" in text, template_id
        assert not errors, f"{template_id}: {errors}"
        page.close()


def test_download_links_on_each_page_are_served(browser, server):
    """The links a reader clicks: each letter page's downloads (the sample, and a blank
    for each situation, as DOCX and PDF) answer with the right file type, fetched
    through the browser."""
    for template_id in TEMPLATE_IDS:
        page, _ = open_page(browser, f"{server}/letters/{template_id}.html")
        hrefs = [a.get_attribute("href") for a in page.locator("a[href$='.docx'], "
                                                               "a[href$='.pdf']").all()]
        assert f"{template_id}-sample.docx" in hrefs and f"{template_id}-sample.pdf" in hrefs
        blanks = [h for h in hrefs if h.startswith(f"{template_id}-blank")]
        assert blanks and len(blanks) % 2 == 0, (template_id, hrefs)  # DOCX and PDF each
        for href in hrefs:
            response = page.request.get(f"{server}/letters/{href}")
            assert response.ok, (template_id, href)
            body = response.body()
            assert body[:4] == (b"PK\x03\x04" if href.endswith(".docx") else b"%PDF")
        page.close()


def test_downloads_exist_and_open(built):
    for template_id in TEMPLATE_IDS:
        folder = built / "letters"
        blanks = sorted(folder.glob(f"{template_id}-blank*.docx"))
        assert blanks, template_id
        for docx_path in [folder / f"{template_id}-sample.docx", *blanks]:
            pdf = docx_path.with_suffix(".pdf").read_bytes()
            assert docx_text(docx_path.read_bytes()).strip() and pdf_text(pdf).strip(), \
                docx_path.name
        for docx_path in blanks:
            blank = docx_text(docx_path.read_bytes())
            assert "[" in blank and "]" in blank, f"{docx_path.name}: no placeholders"


PLAN_SPECIFIC = {r.citation for r in all_rules().values()
                 if r.law_grade and r.plan_types and len(r.plan_types) < 6}


def test_blanks_cite_nothing_plan_specific_unless_the_letter_is_plan_specific(built, samples):
    for template_id in TEMPLATE_IDS:
        if samples[template_id].blank_plan:
            continue  # a letter that exists only for some plans says which, on its page
        for blank in sorted((built / "letters").glob(f"{template_id}-blank*.docx")):
            text = docx_text(blank.read_bytes())
            for citation in PLAN_SPECIFIC:
                assert citation not in text, f"{blank.name} cites {citation}"


def test_search_finds_external_review(browser, server):
    page, errors = open_page(browser, f"{server}/index.html")
    page.keyboard.press("/")  # Material's shortcut to the search box
    page.keyboard.type("external review")
    page.wait_for_selector(".md-search-result__article", timeout=15000)
    results = page.locator(".md-search-result").inner_text().lower()
    assert "external review" in results
    assert not errors, errors


# The case-file builder is tested in tests/test_builder.py.


def test_screenshots(browser, server):
    ARTIFACTS.mkdir(exist_ok=True)
    page, _ = open_page(browser, f"{server}/index.html")
    page.set_viewport_size({"width": 1280, "height": 900})
    page.screenshot(path=str(ARTIFACTS / "home.png"), full_page=False)
    page, _ = open_page(browser, f"{server}/letters/internal-appeal.html")
    page.set_viewport_size({"width": 1280, "height": 900})
    page.screenshot(path=str(ARTIFACTS / "letter-internal-appeal.png"), full_page=True)
    assert (ARTIFACTS / "home.png").stat().st_size > 10_000


def test_a_pack_publishes_its_own_templates(tmp_path):
    pack = tmp_path / "acme-pack"
    pack.mkdir()
    (pack / "thank-you-note.md").write_text(textwrap.dedent("""\
        +++
        title = "Thank-you note to a billing office"
        to = "provider"
        purpose = "Thank the billing office for fixing the bill."
        when = "After the bill is corrected."
        +++
        {% include "_partials/head.md" %}

        Thank you for correcting the account.

        {% include "_partials/close.md" %}
        """), "utf-8")
    (pack / "itemized-bill-request.md").write_text(
        (ROOT / "letter_templates" / "itemized-bill-request.md").read_text("utf-8")
        .replace("Please send an itemized statement", "ACME PACK: please send an itemized "
                 "statement"), "utf-8")
    config = tmp_path / "mkdocs.yml"
    config.write_text(textwrap.dedent(f"""\
        INHERIT: {ROOT / 'mkdocs.yml'}
        docs_dir: {ROOT / 'site'}
        plugins:
          - search
          - lettergen:
              examples: {ROOT / 'examples'}
              packs: [{pack}]
        """), "utf-8")
    out = tmp_path / "out"
    mkdocs_build(config, out)
    assert (out / "letters" / "thank-you-note.html").is_file()
    page = (out / "letters" / "itemized-bill-request.html").read_text("utf-8")
    assert "ACME PACK: please send an itemized statement" in page
    assert re.search(r"pack: acme-pack", page)


def test_the_install_page_offers_the_tool_and_its_download_installs(browser, server, built):
    """A reader who never saw the README finds how to get the tool: the page is in the
    navigation, its download is served, and the zip holds an installable project."""
    import io
    import zipfile

    page, errors = open_page(browser, f"{server}/index.html")
    page.get_by_role("link", name="Get lettergen").first.click()
    page.wait_for_load_state("networkidle")
    text = page.locator("article").inner_text()
    for words in ("pipx install", "Windows", "macOS", "make demo", "make test",
                  "lettergen check my-case.toml"):
        assert words in text, words
    assert "VERSION" not in text
    href = page.locator("a[href$='-source.zip']").first.get_attribute("href")
    response = page.request.get(f"{server}/{href}")
    assert response.ok and not errors
    names = zipfile.ZipFile(io.BytesIO(response.body())).namelist()
    top = names[0].split("/")[0]
    for needed in ("pyproject.toml", "lettergen/cli.py", "letter_templates/internal-appeal.md",
                   "examples/er-out-of-network.toml", "Makefile", "README.md"):
        assert f"{top}/{needed}" in names, needed
    assert not any("__pycache__" in n or n.endswith(".pyc") for n in names)
    page.close()


AXE = ROOT / "tests" / "a11y" / "node_modules" / "axe-core" / "axe.min.js"
A11Y_PAGES = ["index.html", "install.html", "builder.html", "letters/index.html",
              "letters/internal-appeal.html", "letters/settlement-offer.html",
              "reference/rules.html", "reference/case-file.html", "summaries.html",
              *[f"guide/{p.stem}.html" for p in sorted((ROOT / "site" / "guide").glob("*.md"))]]


@pytest.mark.parametrize(("scheme", "width"), [("light", 1280), ("dark", 390)])
def test_pages_pass_axe_wcag_aa_in_both_schemes(browser, server, scheme, width):
    """axe-core (from npm, installed by make test; tests/a11y) finds no WCAG 2.1 A or
    AA violation, of any impact, on the home page, the install page, the builder, the
    letters, the references and every guide page: light scheme at desktop width, dark
    scheme at phone width."""
    if not AXE.is_file():
        pytest.skip("axe-core is not installed: run npm ci --prefix tests/a11y")
    context = browser.new_context(color_scheme=scheme,
                                  viewport={"width": width, "height": 900})
    found = []
    for url in A11Y_PAGES:
        page = context.new_page()
        page.goto(f"{server}/{url}", wait_until="networkidle")
        page.add_script_tag(path=str(AXE))
        violations = page.evaluate(
            "async () => (await axe.run(document, {runOnly: ['wcag2a', 'wcag2aa', "
            "'wcag21a', 'wcag21aa']})).violations.map(v => `${v.impact} ${v.id}: "
            "${v.nodes.length} element(s), first ${v.nodes[0].target}`)")
        found += [f"{url}: {v}" for v in violations]
        page.close()
    context.close()
    assert not found, "\n".join(found)


def test_the_case_summaries_show_their_figures(browser, server):
    """The timeline and charge charts take room on the page (a figure with only a
    viewBox collapses to nothing inside the theme's centred figures)."""
    page, errors = open_page(browser, f"{server}/summaries.html")
    sizes = page.evaluate("() => [...document.querySelectorAll('svg.lettergen-figure')]"
                          ".map(s => { const r = s.getBoundingClientRect(); "
                          "return [r.width, r.height]; })")
    assert sizes and all(w > 300 and h > 30 for w, h in sizes), sizes
    assert not errors
    page.close()
