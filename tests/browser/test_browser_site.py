"""The built site in headless Chromium: axe-core, search, 360 px layout, keyboard-only use."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect
from search_cost import RESULTS_SHOWN

from budgetsite.config import Config
from budgetsite.site.search import bundle_folder

pytestmark = pytest.mark.browser


def page_of_every_type(config: Config) -> list[str]:
    """One URL per page type of DESIGN §6 (plus listings, hand-written page and 404)."""
    out = config.output
    dept_year = sorted(out.glob("departments/*/*/index.html"))[0].parent
    slug, year = dept_year.parent.name, dept_year.name
    project = next(iter(sorted(out.glob("departments/*/*/projects/1/index.html"))))
    function = sorted(out.glob("functions/*/index.html"))[0].parent.name
    economic = sorted(out.glob("economic/*/index.html"))[0].parent.name
    hand = sorted(
        p.parent.name
        for p in out.glob("*/index.html")
        if (config.content / "pages" / f"{p.parent.name}.md").is_file()
    )
    urls = [
        "/",
        "/departments/",
        f"/departments/{slug}/",
        f"/departments/{slug}/{year}/",
        "/" + project.parent.relative_to(out).as_posix() + "/",
        "/years/",
        f"/years/{year}/",
        "/functions/",
        f"/functions/{function}/",
        "/economic/",
        f"/economic/{economic}/",
        "/three-public-expenses/",
        "/projects/",
        "/glossary/",
        "/search/?q=公务接待",
        "/data/",
        "/404.html",
    ]
    return urls + [f"/{name}/" for name in hand[:1]]


def run_axe(page: Page, axe_source: str) -> list[dict]:
    page.add_script_tag(content=axe_source)
    result = page.evaluate(
        "async () => await axe.run(document, {runOnly: {type: 'tag', values: "
        "['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']}})"
    )
    return [{"id": v["id"], "nodes": [n["target"] for n in v["nodes"][:3]]} for v in result["violations"]]


def axe_failures(page: Page, server: str, urls: list[str], axe_source: str) -> dict[str, list[dict]]:
    """URL → its axe violations, for every URL that has any (search pages wait for their results)."""
    failures = {}
    for url in urls:
        page.goto(server + url)
        if url.startswith("/search/"):
            expect(page.locator("#search-results li").first).to_be_visible(timeout=10000)
        violations = run_axe(page, axe_source)
        if violations:
            failures[url] = violations
    return failures


def test_axe_zero_violations_on_every_page_type(
    page: Page, server: str, browser_site: Config, axe_source: str
):
    urls = page_of_every_type(browser_site)
    assert len(urls) >= 16
    assert axe_failures(page, server, urls, axe_source) == {}


def expected_dept_years(config: Config, phrase: str) -> set[str]:
    """Department-year pages whose data.json mentions `phrase` (what the search must find)."""
    found = set()
    for data_path in config.content.glob("*/*/data.json"):
        if phrase in json.dumps(json.loads(data_path.read_text(encoding="utf-8")), ensure_ascii=False):
            found.add(f"/departments/{data_path.parent.parent.name}/{data_path.parent.name}/")
    return found


def search_from_header(page: Page, server: str, phrase: str) -> set[str]:
    page.goto(server + "/")
    page.get_by_label("搜索预算公开内容").fill(phrase)
    page.get_by_label("搜索预算公开内容").press("Enter")
    page.wait_for_url("**/search/?q=*")
    return result_paths(page)


def result_paths(page: Page) -> set[str]:
    """Paths of the result titles, once the search has ended."""
    expect(page.locator("#search-status")).to_have_text(RESULTS_SHOWN, timeout=10000)
    links = page.locator("#search-results > li h3 a")
    return set(links.evaluate_all("links => links.map(a => new URL(a.href).pathname)"))


@pytest.mark.parametrize("phrase", ["公务接待", "中小企业发展专项"])
def test_search_box_finds_the_right_department_years(
    page: Page, server: str, browser_site: Config, phrase: str
):
    expected = expected_dept_years(browser_site, phrase)
    assert len(expected) >= 2
    # The header box searches the default scope, the latest year (three bundles are more than two) …
    found = search_from_header(page, server, phrase)
    assert expected_of_year(expected, "2024") <= found
    assert all(re.fullmatch(r"/departments/[^/]+/2024/.*", path) for path in found if path.count("/") > 3)
    # … and every year once the reader chooses 全部.
    page.get_by_label("年度").select_option(label="全部")
    expect(page).to_have_url(re.compile(r"[?&]year=all\b"))
    found = result_paths(page)
    assert expected <= found
    # Sub-results land on the section that matched (#anchor on the disclosure page).
    anchors = page.locator("#search-results ul a").evaluate_all(
        "links => links.map(a => a.getAttribute('href'))"
    )
    assert any("#" in href for href in anchors)


def expected_of_year(paths: set[str], year: str) -> set[str]:
    return {path for path in paths if f"/{year}/" in path}


def test_a_term_of_a_year_outside_the_default_scope_is_found_once_its_year_is_chosen(
    page: Page, fixture_server: str
):
    # 工业转型（技改）工作经费 is a project of 邢台 2022 and 2023 only; the fixture's latest year is 2024,
    # its default scope.
    bundle_of_2023 = "/" + bundle_folder(2023, "河北省/邢台市") + "/"
    fetched: list[str] = []
    page.on("request", lambda request: fetched.append(request.url))
    page.goto(fixture_server + "/search/?q=工业转型")
    page_of_2023 = "/departments/xingtaishi-gongyehexinxihuaju/2023/"
    assert page_of_2023 not in result_paths(page)
    expect(page.get_by_label("年度")).to_have_value("2024")
    expect(page.locator("#search-scope-note")).to_contain_text("默认范围：2024年 · 全部地区")
    assert not any(bundle_of_2023 in url for url in fetched)

    page.get_by_label("年度").select_option("2023")
    assert page_of_2023 in result_paths(page)
    assert any(bundle_of_2023 in url for url in fetched)
    expect(page).to_have_url(re.compile(r"[?&]year=2023\b"))


def test_search_filters_by_year(page: Page, server: str, browser_site: Config):
    results = filtered_search(page, server, "年度", "2024", "公务接待")
    hrefs = results.evaluate_all("links => links.map(a => new URL(a.href).pathname)")
    # Department-year results are of 2024 only; site-wide pages (glossary, codes) are of no year.
    disclosures = [href for href in hrefs if re.match(r"/departments/[^/]+/\d{4}/", href)]
    assert disclosures and all("/2024/" in href for href in disclosures)


def filtered_search(page: Page, server: str, filter_label: str, option: str, query: str):
    """Search `query` on the search page with one filter set; the result title links, once shown."""
    page.goto(server + "/search/")
    page.get_by_label(filter_label).select_option(option)
    page.get_by_label("搜索预算公开内容").fill(query)
    page.get_by_role("button", name="搜索").click()
    results = page.locator("#search-results > li h3 a")
    expect(results.first).to_be_visible(timeout=10000)
    return results


def test_no_horizontal_page_scroll_at_360px(browser, server: str, browser_site: Config):
    assert wider_than_360px(browser, server, page_of_every_type(browser_site)) == {}


def wider_than_360px(browser, server: str, urls: list[str]) -> dict[str, int]:
    """URL → page width, for every URL that scrolls sideways in a 360 px wide window."""
    context = browser.new_context(viewport={"width": 360, "height": 740})
    page = context.new_page()
    try:
        wide = {}
        for url in urls:
            page.goto(server + url)
            width = page.evaluate("document.documentElement.scrollWidth")
            if width > 360:
                wide[url] = width
        return wide
    finally:
        context.close()


def test_keyboard_only_skip_link_nav_and_search(page: Page, server: str, browser_site: Config):
    page.goto(server + "/")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.className") == "skip-link"
    expect(page.locator(".skip-link")).to_be_in_viewport()
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"
    # From the top again: skip link, site title, search box.
    page.goto(server + "/")
    for _ in range(3):
        page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.id") == "header-q"
    page.keyboard.type("公务接待")
    page.keyboard.press("Enter")
    page.wait_for_url("**/search/?q=*")
    expect(page.locator("#search-results > li h3 a").first).to_be_visible(timeout=10000)
    # Tab through the search page until the first result link has focus, then follow it with Enter.
    first = page.locator("#search-results > li h3 a").first.get_attribute("href")
    for _ in range(60):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.getAttribute('href')") == first:
            break
    else:
        pytest.fail("the first search result cannot be reached with Tab")
    page.keyboard.press("Enter")
    page.wait_for_url(f"**{first.split('#')[0]}*")
    # Main navigation reachable by keyboard: Tab to the 名词解释 link and follow it.
    page.goto(server + "/")
    for _ in range(40):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.textContent") == "名词解释":
            break
    page.keyboard.press("Enter")
    page.wait_for_url("**/glossary/")
    assert Path(page.url).name == "glossary"


def test_focus_is_visible(page: Page, server: str):
    page.goto(server + "/")
    page.keyboard.press("Tab")
    page.keyboard.press("Tab")
    outline = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
    assert outline != "none"


def test_search_excerpts_show_source_html_as_text(page: Page, fixture_server: str):
    # Fixture 邢台 2023 narrative contains "<script>alert(1)</script>": the excerpt must show it as text.
    dialogs = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    page.goto(fixture_server + "/search/?q=alert&year=2023")
    results = page.locator("#search-results")
    expect(results.locator("li").first).to_be_visible(timeout=10000)
    assert "<script>alert(1)</script>" in results.inner_text()
    assert results.locator("script").count() == 0 and dialogs == []
