"""Blank fill-in letters argue nothing they cannot know (issue 11, item 1): one blank per
situation that changes the argument, each saying which situation it fits, with
placeholders for the facts and no fact of the sample case. Read back from the built
site's DOCX and PDF files, and in headless Chromium from the letter page."""

from __future__ import annotations

import functools
import http.server
import shutil
import threading
from pathlib import Path

import pytest
from site_languages import CHROMIUM, CHROMIUM_FLAGS, built_sites

from conftest import ROOT, docx_text, pdf_text
from lettergen.case.casefields import field_at
from lettergen.case.casefile import load_case
from lettergen.case.money import format_money
from lettergen.errors import TemplateError
from lettergen.letters.blank import blank_variants
from lettergen.letters.templates import find_template
from lettergen.packs.folder import open_packs

FULL = ROOT / "tests" / "fixtures" / "full-cases"
REASONS = dict(field_at("denial.reason").choices)


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    return built_sites(tmp_path_factory) / "letters"


def blank_text(letters: Path, name: str) -> str:
    docx = docx_text((letters / f"{name}.docx").read_bytes())
    pdf = " ".join(pdf_text((letters / f"{name}.pdf").read_bytes()).split())
    assert "Blank fill-in letter" in pdf, name
    return docx


def sample_facts(case_name: str) -> list[str]:
    """What a blank must never print of the sample it is built from."""
    case = load_case(ROOT / "examples" / f"{case_name}.toml")
    facts = [case.patient.name, case.provider.name, case.claim.number,
             case.insurer.name, case.patient.member_id]
    facts += [format_money(v) for v in (case.claim.billed, case.balance.amount_due) if v]
    return [f for f in facts if f]


def test_internal_appeal_has_one_blank_per_denial_reason(built):
    page = (built / "internal-appeal.html").read_text()
    for reason, meaning in REASONS.items():
        text = blank_text(built, f"internal-appeal-blank-{reason}")
        assert f"Use this one if the denial gives this reason: {meaning}." in text
        assert "[Claim number]" in text and "[Date of the denial]" in text
        for fact in sample_facts("er-out-of-network"):
            assert fact not in text, (reason, fact)
        assert f"internal-appeal-blank-{reason}.pdf" in page
    necessity = blank_text(built, "internal-appeal-blank-medical-necessity")
    assert "medically necessary" in necessity
    assert "in-network provider" not in necessity and "emergency" not in necessity.lower()
    network = blank_text(built, "internal-appeal-blank-out-of-network")
    assert "in-network" in network and "medically necessary" not in network
    assert not (built / "internal-appeal-blank.docx").exists()


def test_reprocessing_blanks_name_one_error_each(built):
    cob = blank_text(built, "reprocessing-request-blank-coordination-of-benefits")
    assert "another plan should pay first" in cob
    assert "coordination of benefits" in cob and "Network status" not in cob
    assert "Emergency care." not in cob
    network = blank_text(built, "reprocessing-request-blank-out-of-network-in-network")
    assert "the provider is in the plan's network" in network
    assert "Network status." in network and "Coordination of benefits." not in network
    assert "Emergency care." not in network  # the sample's second error stays out


def test_financial_assistance_claims_nonprofit_status_only_in_its_own_blank(built):
    nonprofit = blank_text(built, "financial-assistance-request-blank-nonprofit-hospital")
    assert "is a nonprofit (501(c)(3)) organization" in nonprofit
    assert "As a nonprofit hospital organization" in nonprofit
    for name in ("financial-assistance-request-blank-other",
                 "financial-assistance-request-blank-not-nonprofit-hospital"):
        text = blank_text(built, name)
        assert "nonprofit hospital organization" not in text and "501(r)" not in text, name


def test_a_blank_from_a_full_case_drops_its_collector_and_representative():
    """From a fully filled case (a daughter writing, a collection agency, offers), the
    financial-assistance blank keeps none of those facts: they are the sample's."""
    packs = open_packs()
    case = load_case(FULL / "layout-collections-settled.toml")
    info = find_template("financial-assistance-request", packs)
    variants = blank_variants(case, info, packs)
    assert len(variants) > 1
    for variant in variants:
        text = variant.letter.markdown
        assert "[Collector name]" not in text and "[Sender name]" not in text, variant.fits
        assert case.patient.name not in text and case.provider.name not in text


def test_blank_variants_front_matter_is_checked(tmp_path):
    pack = tmp_path / "pack"
    pack.mkdir()
    source = (ROOT / "letter_templates" / "internal-appeal.md").read_text()
    (pack / "internal-appeal.md").write_text(
        source.replace('blank_variants = ["denial.reason"]',
                       'blank_variants = ["denial.reason_text"]'))
    with pytest.raises(TemplateError, match="blank_variants.*denial.reason_text"):
        find_template("internal-appeal", open_packs([str(pack)]))


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


def test_letter_page_lists_the_blanks_and_serves_them(built):
    if CHROMIUM is None or shutil.which(CHROMIUM) is None:
        pytest.skip("Chromium is not installed")
    playwright = pytest.importorskip("playwright.sync_api")
    handler = functools.partial(_Quiet, directory=str(built.parent))
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    server = f"http://127.0.0.1:{httpd.server_address[1]}"
    try:
        with playwright.sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS)
            page = browser.new_page()
            page.goto(f"{server}/letters/internal-appeal.html", wait_until="networkidle")
            rows = page.locator("table:has(th:text('Your situation')) tbody tr")
            assert rows.count() == len(REASONS)
            first = rows.nth(0)
            assert "not medically necessary" in first.inner_text()
            for link in first.locator("a").all():
                href = link.get_attribute("href")
                response = page.request.get(f"{server}/letters/{href}")
                assert response.ok, href
                assert response.body()[:4] in (b"PK\x03\x04", b"%PDF")
            assert page.get_by_text("Use this one if the denial gives this reason: a coding "
                                    "error.").is_visible()
            browser.close()
    finally:
        httpd.shutdown()
        httpd.server_close()
