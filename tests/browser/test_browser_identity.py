"""The page types of issue 11 in headless Chromium: 决算 page, unit page, budget-vs-actual page, the
department page with its year-over-year table, and the search page's 预算/决算 filter.

The site is tests/fixtures/identity_content/ (示范市财政局: 2023 预算, 2023 决算, 2024 预算, a unit's 2023
预算), built once and served over HTTP; the link checker crawls it, axe-core checks every new page type,
and none scrolls sideways at 360 px.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page
from test_browser_site import axe_failures, filtered_search, wider_than_360px

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


def test_link_checker_finds_every_new_page_and_no_broken_link(identity_server: str) -> None:
    problems, fetched = crawl(identity_server + "/")
    assert problems == []
    assert fetched > len(NEW_PAGE_TYPES)


def test_axe_zero_violations_on_the_new_page_types(page: Page, identity_server: str, axe_source: str) -> None:
    assert axe_failures(page, identity_server, NEW_PAGE_TYPES, axe_source) == {}


def test_new_page_types_do_not_scroll_sideways_at_360px(browser: Browser, identity_server: str) -> None:
    assert wider_than_360px(browser, identity_server, NEW_PAGE_TYPES) == {}


def test_search_filter_by_kind_finds_only_final_accounts(page: Page, identity_server: str) -> None:
    results = filtered_search(page, identity_server, "预算/决算", "决算", "财政事务")
    hrefs = results.evaluate_all("links => links.map(a => new URL(a.href).pathname)")
    assert hrefs and all(Path(h).name == "final-accounts" or "/final-accounts/" in h for h in hrefs), hrefs
    # The kind is in every result's title.
    titles = results.all_inner_texts()
    assert titles and all("决算" in title for title in titles), titles
