"""Search on a site of many bundles: one query stays within ≤ 30 requests and ≤ 1 MB; a department
filter follows the department to its region; results come eight at a time."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Browser, Page, expect
from search_cost import RESULTS_SHOWN, query_cost

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("query", ["公务接待", "中小企业发展专项", "法律顾问费"])
def test_one_query_on_a_site_of_many_bundles_stays_under_30_requests(
    browser: Browser, many_bundles_server: str, query: str
):
    cost = query_cost(browser, many_bundles_server, query)
    assert re.fullmatch(r"\d+ 条结果", cost.status) and not cost.status.startswith("0 ")
    # The page merged the primary bundle and at most DEFAULT_SCOPE_BUNDLES of the 44 others.
    bundles = {match.group(1) for url in cost.urls if (match := re.search(r"/(pagefind[^/]*)/", url))}
    assert 2 <= len(bundles) <= 3, bundles
    assert cost.requests <= 30, "\n".join(cost.urls)
    assert cost.bytes <= 1_000_000


def test_choosing_a_department_searches_its_own_region(page: Page, many_bundles_server: str):
    page.goto(many_bundles_server + "/search/?q=公务接待")
    expect(page.locator("#search-status")).to_have_text(RESULTS_SHOWN, timeout=30000)
    region = page.get_by_label("地区")
    default_region = region.input_value()
    # The first department listed whose region is not the default one.
    other = page.locator(
        f'#filter-department option[data-region]:not([data-region="{default_region}"])'
    ).first
    name, its_region = other.get_attribute("value"), other.get_attribute("data-region")
    page.get_by_label("部门").select_option(name)
    expect(region).to_have_value(its_region)
    expect(page.locator("#search-status")).to_have_text(RESULTS_SHOWN, timeout=30000)
    titles = page.locator("#search-results > li h3 a").all_inner_texts()
    assert titles and all(name in title for title in titles)


def test_more_results_come_eight_at_a_time_and_take_the_focus(page: Page, many_bundles_server: str):
    page.goto(many_bundles_server + "/search/?q=公务接待")
    expect(page.locator("#search-status")).to_have_text(RESULTS_SHOWN, timeout=30000)
    results = page.locator("#search-results > li")
    expect(results).to_have_count(8)
    page.get_by_role("button", name="显示更多结果").click()
    expect(results).to_have_count(16)
    ninth = results.nth(8).locator("h3 a")
    expect(ninth).to_be_focused()
