"""Search on a site of many bundles: one query stays within ≤ 30 requests and ≤ 1 MB; a department
filter follows the department to its region; results come eight at a time."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Browser, Page, Route, expect
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
    # The first department listed whose region is not the default one (options are grouped by region).
    group = page.locator(f'#filter-department optgroup:not([data-region="{default_region}"])').first
    name, its_region = group.locator("option").first.inner_text(), group.get_attribute("data-region")
    page.get_by_label("部门").select_option(name)
    expect(region).to_have_value(its_region)
    expect(page.locator("#search-status")).to_have_text(RESULTS_SHOWN, timeout=30000)
    titles = page.locator("#search-results > li h3 a").all_inner_texts()
    assert titles and all(name in title for title in titles)


def test_more_results_come_eight_at_a_time_and_take_the_focus(page: Page, many_bundles_server: str):
    # Every year and region: more than sixteen results.
    page.goto(many_bundles_server + "/search/?q=公务接待&year=all&region=all")
    expect(page.locator("#search-status")).to_have_text(RESULTS_SHOWN, timeout=30000)
    assert int(page.locator("#search-status").inner_text().split()[0]) > 16
    results = page.locator("#search-results > li")
    expect(results).to_have_count(8)
    page.get_by_role("button", name="显示更多结果").click()
    expect(results).to_have_count(16)
    ninth = results.nth(8).locator("h3 a")
    expect(ninth).to_be_focused()


def test_pagefind_runs_on_the_page_with_its_wasm_preloaded(browser: Browser, many_bundles_server: str):
    cost = query_cost(browser, many_bundles_server, "公务接待")
    # No web worker: it would be one more script to fetch and start before the first index file.
    assert not any(url.endswith("pagefind-worker.js") for url in cost.urls), cost.urls
    wasm = [i for i, url in enumerate(cost.urls) if url.endswith("/wasm.unknown.pagefind")]
    entries = [i for i, url in enumerate(cost.urls) if "/pagefind-entry.json" in url]
    # Asked for once, by the page's <link rel=preload> before Pagefind read its first index file: a preload
    # Pagefind's own fetch did not match would show as a second request.
    assert len(wasm) == 1 and wasm[0] < min(entries), cost.urls


def test_the_bundles_of_a_wide_scope_load_side_by_side(browser: Browser, many_bundles_server: str):
    cost = query_cost(browser, many_bundles_server, "公务接待", year="all")
    bundle_entries = [
        i for i, url in enumerate(cost.urls) if re.search(r"/pagefind-[^/]+/pagefind-entry", url)
    ]
    bundle_metas = [
        i for i, url in enumerate(cost.urls) if re.search(r"/pagefind-[^/]+/pagefind\..*pf_meta", url)
    ]
    assert len(bundle_entries) == len(bundle_metas) >= 4, cost.urls
    # Several bundles were asked for before any of them had been read: one after another, the second
    # bundle's entry would follow the first one's meta. (Not necessarily all of them: on a busy machine
    # the browser has issued the last entry request after the first bundles' metas.)
    assert sum(1 for i in bundle_entries if i < min(bundle_metas)) >= 2, "\n".join(cost.urls)


def test_the_index_of_the_default_scope_loads_before_the_reader_types(page: Page, many_bundles_server: str):
    requested: list[str] = []
    page.on("request", lambda request: requested.append(request.url))
    page.goto(many_bundles_server + "/search/")
    page.wait_for_load_state("networkidle")
    metas = {
        match.group(1)
        for url in requested
        if (match := re.search(r"/(pagefind[^/]*)/pagefind\..*pf_meta", url))
    }
    # The primary bundle and the default year's largest region, nothing searched yet.
    assert len(metas) == 2 and "pagefind" in metas, requested
    assert not any(".pf_index" in url or ".pf_fragment" in url for url in requested)
    page.locator("#search-q").fill("公务接待")
    page.locator("#search-q").press("Enter")
    expect(page.locator("#search-status")).to_have_text(RESULTS_SHOWN, timeout=30000)
    expect(page.locator("#search-results > li")).to_have_count(8)


def _count_searches(page: Page) -> None:
    """Serve the real pagefind.js with a probe noting each query it is asked (window.searchedFor)."""
    entry = "async search(term,options2={}){let search2="

    def probe(route: Route) -> None:
        script = route.fetch().text()
        assert script.count(entry) == 1, "Pagefind's search() changed: update the probe"
        route.fulfill(
            body=script.replace(entry, entry.replace("{let", "{(window.searchedFor ||= []).push(term);let")),
            content_type="text/javascript",
        )

    page.route("**/pagefind/pagefind.js", probe)


@pytest.mark.parametrize(
    ("query", "searched"),
    [
        # ICU cuts it 中小企业|发展|专|项, the index holds 中小 + 企业: its pieces are searched too.
        ("中小企业发展专项", ["中小企业发展专项", "中小 企业 发展 专 项"]),
        # ICU's words are the pieces already (法律|顾问|费): one search finds them.
        ("法律顾问费", ["法律顾问费"]),
        ("公务接待", ["公务接待"]),
    ],
)
def test_a_query_is_searched_in_pieces_only_when_they_differ_from_its_words(
    page: Page, many_bundles_server: str, query: str, searched: list[str]
):
    _count_searches(page)
    page.goto(f"{many_bundles_server}/search/?q={query}")
    expect(page.locator("#search-status")).to_have_text(re.compile(r"^[1-9]\d* 条结果$"), timeout=30000)
    assert sorted(page.evaluate("window.searchedFor")) == sorted(searched)
