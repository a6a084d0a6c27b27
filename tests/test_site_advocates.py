"""The guide's page for advocates (site/advocates.md, and site/es/advocates.md), read in
headless Chromium: it is in the nav, documents every key of the pack manifest, and its
list of template variables, generated from the case-file declaration, names every table
of it with its keys, each linked to its section of the case-file reference."""

from __future__ import annotations

from site_languages import open_page

from lettergen.case.casefields import TABLES
from lettergen.packs.manifest import KEYS


def variable_rows(page) -> list[tuple[str, str, str]]:
    """(variable, link, keys) for each row of the template-variables table."""
    table = page.locator("table").filter(has=page.locator("th", has_text="Variable"))
    assert table.count() == 1
    rows = []
    for row in table.locator("tbody tr").all():
        cells = row.locator("td").all()
        link = cells[1].locator("a").get_attribute("href")
        rows.append((cells[0].inner_text(), link, cells[3].inner_text()))
    return rows


def test_the_nav_leads_to_the_advocates_page(browser, server):
    page, errors = open_page(browser, f"{server}/index.html")
    page.get_by_role("link", name="For advocates").first.click()
    page.wait_for_load_state("networkidle")
    assert page.url == f"{server}/advocates.html"
    assert page.locator("h1").inner_text().rstrip("¶") == "For advocates: your own template pack"
    assert not errors, errors
    page.close()


def test_the_advocates_page_lists_every_case_file_table_with_its_keys(browser, server):
    page, _ = open_page(browser, f"{server}/advocates.html")
    rows = variable_rows(page)
    assert [r[0] for r in rows] == [t.name for t in TABLES]
    for (name, link, keys), table in zip(rows, TABLES, strict=True):
        assert keys == ", ".join(f.name for f in table.fields), name
        assert link == f"reference/case-file.html#{name.replace('_', '-')}"
    # each link lands on its table's section of the reference
    reference, _ = open_page(browser, f"{server}/reference/case-file.html")
    for _, link, _ in rows:
        anchor = link.split("#")[1]
        assert reference.locator(f"[id='{anchor}']").count() == 1, anchor
    reference.close()
    page.close()


def test_the_advocates_page_documents_the_manifest_and_the_commands(browser, server):
    page, _ = open_page(browser, f"{server}/advocates.html")
    code = "\n".join(page.locator("pre").all_inner_texts())
    for table, keys in KEYS.items():
        assert f"[{table}]" in code, table
        for key in keys:
            assert f"\n{key} = " in code or (key == "letterhead"
                                              and "[style.letterhead]" in code), (table, key)
    for command in ("lettergen pack new", "lettergen pack check", "--pack", "packs: ["):
        assert command in code, command
    text = page.locator("article").inner_text()
    assert "exits with status 0 when the pack is sound and 1" in text
    page.close()


def test_the_spanish_advocates_page_lists_every_table_and_links_to_the_reference(
        browser, server):
    page, errors = open_page(browser, f"{server}/es/advocates.html")
    assert page.locator("html").get_attribute("lang") == "es"
    rows = variable_rows(page)
    assert [r[0] for r in rows] == [t.name for t in TABLES]
    response = page.request.get(f"{server}/es/{rows[0][1].split('#')[0]}")
    assert response.ok and "The case file" in response.text()
    assert not errors, errors
    page.close()
