"""The page types of issue 11 in headless Chromium: 决算 page, unit page, budget-vs-actual page, the
department page with its year-over-year table, and the search page's 预算/决算 filter.

The site is tests/fixtures/identity_content/ (示范市财政局: 2023 预算, 2023 决算, 2024 预算, a unit's 2023
预算), built once and served over HTTP; the link checker crawls it, axe-core checks every new page type,
and none scrolls sideways at 360 px.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import REPO, _serve
from playwright.sync_api import Browser, Page, expect
from test_browser_site import run_axe

from budgetsite.config import load_config
from budgetsite.site.build import build
from linkcheck import crawl

pytestmark = pytest.mark.browser

DEPT = "/departments/shifanshi-caizhengju/"
NEW_PAGE_TYPES = [
    f"{DEPT}",  # year-over-year table and charts, links to the comparison
    f"{DEPT}2023/",  # the budget, with its sibling disclosures
    f"{DEPT}2023/final-accounts/",
    f"{DEPT}2023/units/caizhengjuxinxizhongxin/",
    f"{DEPT}2023/budget-vs-actual/",
    "/search/?q=财政事务",  # with the 预算/决算 filter
    "/data/",  # index.csv
]


@pytest.fixture(scope="module")
def identity_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    tmp = tmp_path_factory.mktemp("identity-browser-site")
    content = REPO / "tests" / "fixtures" / "identity_content"
    config = load_config(tmp, content=str(content), output=str(tmp / "out"))
    build(config, quiet=True)
    yield from _serve(config.output)


def test_link_checker_finds_every_new_page_and_no_broken_link(identity_server: str) -> None:
    problems, fetched = crawl(identity_server + "/")
    assert problems == []
    assert fetched > len(NEW_PAGE_TYPES)


def test_axe_zero_violations_on_the_new_page_types(page: Page, identity_server: str, axe_source: str) -> None:
    failures = {}
    for url in NEW_PAGE_TYPES:
        page.goto(identity_server + url)
        if url.startswith("/search/"):
            expect(page.locator("#search-results li").first).to_be_visible(timeout=10000)
        violations = run_axe(page, axe_source)
        if violations:
            failures[url] = violations
    assert failures == {}


def test_new_page_types_do_not_scroll_sideways_at_360px(browser: Browser, identity_server: str) -> None:
    context = browser.new_context(viewport={"width": 360, "height": 740})
    page = context.new_page()
    try:
        wide = {}
        for url in NEW_PAGE_TYPES:
            page.goto(identity_server + url)
            width = page.evaluate("document.documentElement.scrollWidth")
            if width > 360:
                wide[url] = width
        assert wide == {}
    finally:
        context.close()


def test_search_filter_by_kind_finds_only_final_accounts(page: Page, identity_server: str) -> None:
    page.goto(identity_server + "/search/")
    page.get_by_label("预算/决算").select_option("决算")
    page.get_by_label("搜索预算公开内容").fill("财政事务")
    page.get_by_role("button", name="搜索").click()
    results = page.locator("#search-results > li h3 a")
    expect(results.first).to_be_visible(timeout=10000)
    hrefs = results.evaluate_all("links => links.map(a => new URL(a.href).pathname)")
    assert hrefs and all(Path(h).name == "final-accounts" or "/final-accounts/" in h for h in hrefs), hrefs
    # The kind is in every result's title.
    titles = results.all_inner_texts()
    assert titles and all("决算" in title for title in titles), titles
