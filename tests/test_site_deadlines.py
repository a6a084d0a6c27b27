"""The guide's page on the other side's deadlines (site/their-deadlines.md, and
site/es/their-deadlines.md), read in headless Chromium from the sites built once a run:
it is in the nav of both sites, each of its rule tables lists the rules of its section
with the rules table's title, citation, length, status and date checked, the rule
lettergen waits on for each letter sent (analysis.waiting) is on the page, every link
leads to a page of the site, and it opens without console errors or accessibility
violations. A screenshot is saved under test-artifacts/."""

from __future__ import annotations

import datetime as dt
import html
import posixpath
import re
import tomllib
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from site_languages import open_page

from conftest import EXAMPLES, ROOT, case_file
from lettergen.analysis.waiting import awaited_answers
from lettergen.case.casefile import load_case
from lettergen.guide.sitegen import PLAN_TYPES
from lettergen.guide.their_deadlines import SECTIONS, fill, section_rules
from lettergen.letters.templates import list_templates
from lettergen.packs.folder import open_packs
from lettergen.rules.table import all_rules

ARTIFACTS = ROOT / "test-artifacts"
AXE = ROOT / "tests" / "a11y" / "node_modules" / "axe-core" / "axe.min.js"
PAGE = "their-deadlines.html"
LATER = dt.date(2026, 12, 1)  # care not yet given when the appeal was sent
STATUS = {"en": {"V": "verified", "C": "corroborated", "practice": "lettergen's convention"},
          "es": {"V": "verificada", "C": "corroborada", "practice": "convención de lettergen"}}


@pytest.mark.parametrize(("site", "link", "heading"), [
    ("", "When they don't answer", "When they don't answer: the other side's deadlines"),
    ("es/", "Cuando no le contestan", "Cuando no le contestan: los plazos de la otra parte"),
])
def test_the_guide_nav_of_each_site_leads_to_the_page(browser, server, site, link, heading):
    """From a guide page, the Guide section of the nav lists the page and leads to it."""
    page, errors = open_page(browser, f"{server}/{site}guide/appeals.html")
    page.locator("a.md-nav__link:visible", has_text=link).first.click()
    page.wait_for_load_state("networkidle")
    assert page.url == f"{server}/{site}{PAGE}"
    assert page.locator("h1").inner_text().rstrip("¶") == heading
    assert not errors, errors
    page.close()


def table_rows(page, section: str) -> list[list[str]]:
    """The cells of each row of one section's rule table, as the reader sees them."""
    block = page.locator(f".their-deadlines[data-section='{section}']")
    assert block.count() == 1, section
    return [[" ".join(cell.inner_text().split()) for cell in row.locator("td").all()]
            for row in block.locator("tbody tr").all()]


@pytest.mark.parametrize("language", ["en", "es"])
def test_each_table_lists_its_rules_as_the_rules_table_has_them(browser, server, language):
    prefix = "" if language == "en" else "es/"
    page, errors = open_page(browser, f"{server}/{prefix}{PAGE}")
    tables = page.locator(".their-deadlines")
    assert tables.count() == len(SECTIONS)  # every section's marker was filled
    checked = "checked" if language == "en" else "revisada el"
    shown = 0
    for section, ids in SECTIONS.items():
        rows = table_rows(page, section)
        assert len(rows) == len(ids), section
        for (title, _scope, length, citation, source), rule_id in zip(rows, ids, strict=True):
            rule = all_rules()[rule_id]
            assert title == rule.title, rule_id
            assert rule.law_grade or rule.status == "practice", rule_id  # never U or policy
            if rule.law_grade:
                assert citation.startswith(rule.citation), rule_id
            else:
                assert "not cited" in citation or "no se cita" in citation, rule_id
            assert citation.endswith(f"({STATUS[language][rule.status]})"), rule_id
            assert source.endswith(f"{checked} {rule.checked.isoformat()}"), rule_id
            clock = rule.clock
            if clock and clock.days:
                assert length.startswith(f"{clock.days} d"), (rule_id, length)  # days/días
            elif clock and clock.hours:
                assert length.startswith(f"{clock.hours} h"), (rule_id, length)
            elif clock is None and not rule.extra.get("business_days"):
                assert length == "—", rule_id
            shown += 1
    assert shown >= 40
    assert not errors, errors
    page.close()


def test_a_section_the_page_names_must_exist():
    with pytest.raises(ValueError, match="unknown section 'nope'.*internal-appeal"):
        fill("<!-- lettergen:their-deadlines nope -->")
    assert "Decision on a post-service appeal (ERISA)" in fill(
        "<!-- lettergen:their-deadlines internal-appeal -->")


def appeal_variants(tmp_path: Path) -> list[tuple[str, Path]]:
    """The ERISA appeal with no decision under every plan type, and for each: an appeal
    of care not yet given, an urgent one, and a second level."""
    variants = []
    for plan_type in PLAN_TYPES:
        for name, changes in [
            ("post-service", {}),
            ("pre-service", {"claim.service_date": LATER}),
            ("urgent", {"claim.service_date": LATER, "denial.urgent": True}),
            ("level-2", {"denial.level": 2}),
        ]:
            label = f"{plan_type}-{name}"
            path = case_file(tmp_path, "erisa-appeal-no-decision",
                             {"insurer.plan_type": plan_type, **changes}, name=label)
            variants.append((label, path))
    return variants


def test_the_rule_lettergen_waits_on_for_an_appeal_is_on_the_page(tmp_path):
    """Plan type by plan type, urgent, before or after the care, first or second level:
    the decision rule `check` counts the plan's answer by is in the appeal section (or,
    for a plan no rule times, the reply date of the letter itself)."""
    on_page = set(SECTIONS["internal-appeal"]) | set(SECTIONS["reply"])
    seen = set()
    for label, path in appeal_variants(tmp_path):
        appeals = [a for a in awaited_answers(load_case(path)) if a.letter == "internal-appeal"]
        assert len(appeals) == 1, label
        assert appeals[0].rule.id in on_page, (label, appeals[0].rule.id)
        seen.add(appeals[0].rule.id)
    # the variants reach the urgent, pre- and post-service rules of several routes
    assert {"erisa-decision-urgent", "erisa-decision-pre-service", "erisa-decision-post-service",
            "aca-decision-post-service", "ma-decision-payment",
            "medicare-reconsideration-decision"} <= seen


def test_every_answer_the_examples_wait_for_rests_on_a_rule_of_the_page():
    on_page = {rule_id for ids in SECTIONS.values() for rule_id in ids}
    letters = set()
    for path in sorted(EXAMPLES.glob("*.toml")):
        for awaited in awaited_answers(load_case(path)):
            assert awaited.rule.id in on_page, (path.name, awaited.letter, awaited.rule.id)
            letters.add(awaited.letter)
    # the examples of issue 14 each send one of these letters
    assert {"internal-appeal", "records-request", "credit-report-dispute", "debt-validation",
            "financial-assistance-request"} <= letters


def test_the_answer_to_every_letter_sent_rests_on_a_rule_of_the_page(tmp_path):
    """Each built-in letter logged as sent: the rule its answer is counted by (the law's
    where there is one, else the letter's own reply date) is on the page."""
    on_page = {rule_id for ids in SECTIONS.values() for rule_id in ids}
    base = tomllib.loads((EXAMPLES / "erisa-appeal-no-decision.toml").read_text("utf-8"))
    for info in list_templates(open_packs([])):
        sent = {"date": dt.date(2026, 7, 1), "party": "provider", "kind": "letter",
                "letter": info.id}
        path = case_file(tmp_path, "erisa-appeal-no-decision",
                         {"contacts": [*base["contacts"], sent]}, name=info.id)
        found = [a for a in awaited_answers(load_case(path)) if a.letter == info.id
                 and a.sent == sent["date"]]
        assert len(found) == 1, info.id
        assert found[0].rule.id in on_page, (info.id, found[0].rule.id)


@pytest.mark.parametrize("language", ["en", "es"])
def test_the_page_shows_what_check_prints_for_the_sample_case(sites, capsys, language):
    """The "Waiting on them" block of the page is `lettergen check`'s own, word for word
    (rewrapped), for the sample case it names."""
    from lettergen.cli import main

    assert main(["check", str(EXAMPLES / "erisa-appeal-no-decision.toml")]) == 0
    printed = capsys.readouterr().out.splitlines()
    start = printed.index("Waiting on them")
    waiting = " ".join(" ".join(printed[start:printed.index("", start)]).split())
    assert "OVERDUE" in waiting and "next: deemed-exhaustion-notice" in waiting
    page = (sites / ("" if language == "en" else "es") / PAGE).read_text("utf-8")
    blocks = [" ".join(html.unescape(re.sub(r"<[^>]+>", "", b)).split())
              for b in re.findall(r"<pre[^>]*>(.*?)</pre>", page, re.S)]
    assert any(waiting in b for b in blocks), waiting


def test_no_section_shows_a_rule_that_may_not_be_cited_or_followed():
    for section in SECTIONS:
        for rule in section_rules(section):
            assert rule.status in ("V", "C", "practice"), (section, rule.id)


@pytest.mark.parametrize("language", ["en", "es"])
def test_every_link_of_the_page_leads_to_a_file_of_the_sites(sites, language):
    from test_site_spanish import links_of

    path = sites / ("" if language == "en" else "es") / PAGE
    targets = []
    for href in links_of(path):
        parts = urlsplit(href)
        if parts.scheme or parts.netloc or href.startswith(("#", "/")) or not parts.path:
            continue
        target = Path(posixpath.normpath(posixpath.join(path.parent.as_posix(), parts.path)))
        assert target.is_file(), f"{language}: {href}"
        targets.append(target.relative_to(sites).as_posix())
    for letter in ("follow-up", "deemed-exhaustion-notice", "plan-documents-request"):
        assert any(t.endswith(f"letters/{letter}.html") for t in targets), (language, letter)
    assert "reference/case-file.html" in targets  # the [[contacts]] keys, in English


@pytest.mark.parametrize(("scheme", "width"), [("light", 1280), ("dark", 390)])
def test_the_page_passes_axe_and_is_photographed(browser, server, scheme, width):
    if not AXE.is_file():
        pytest.skip("axe-core is not installed: run npm ci --prefix tests/a11y")
    context = browser.new_context(color_scheme=scheme, viewport={"width": width, "height": 900})
    found = []
    for url in (PAGE, f"es/{PAGE}"):
        page = context.new_page()
        errors: list[str] = []
        page.on("console", lambda m, errors=errors: errors.append(m.text)
                if m.type == "error" else None)
        page.goto(f"{server}/{url}", wait_until="networkidle")
        if scheme == "light" and url == PAGE:
            ARTIFACTS.mkdir(exist_ok=True)
            page.screenshot(path=str(ARTIFACTS / "their-deadlines.png"), full_page=True)
        page.add_script_tag(path=str(AXE))
        violations = page.evaluate(
            "async () => (await axe.run(document, {runOnly: ['wcag2a', 'wcag2aa', "
            "'wcag21a', 'wcag21aa']})).violations.map(v => `${v.impact} ${v.id}: "
            "${v.nodes.length} element(s), first ${v.nodes[0].target}`)")
        found += [f"{url}: {v}" for v in violations] + [f"{url}: {e}" for e in errors]
        page.close()
    context.close()
    assert not found, "\n".join(found)
