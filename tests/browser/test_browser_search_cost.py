"""One query on a site of many search bundles stays within the targets: ≤ 30 requests and ≤ 1 MB."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Browser
from search_cost import query_cost

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
