"""What one search costs a reader: requests, bytes and time to results, measured in Chromium.

Shared by the browser tests (request counts under the target) and tests/benchmarks/bench_search.py.
"""

from __future__ import annotations

import re
import time
from dataclasses import dataclass
from urllib.parse import urlencode

from playwright.sync_api import Browser, Request, expect

# The status line once results are shown: "<n> 条结果" or "没有找到结果。" (themes/default strings).
RESULTS_SHOWN = re.compile(r"^\d+ 条结果$|^没有找到结果。$")
# Notes in the page (wall clock, ms) when the status line first shows results: Playwright's expect polls
# every 500 ms after its first few tries, so the moment it sees them is up to half a second late. The
# status line is watched from when the page is parsed (before its scripts run), not while it is parsed:
# watching the whole document would note every one of the thousands of elements the parser adds.
_STAMP_RESULTS_SHOWN = """
document.addEventListener("readystatechange", () => {
  if (document.readyState !== "interactive") return;
  const status = document.getElementById("search-status");
  new MutationObserver((changes, observer) => {
    if (/^\\d+ 条结果$|^没有找到结果。$/.test(status.textContent)) {
      window.__resultsShownAt = Date.now();
      observer.disconnect();
    }
  }).observe(status, { childList: true, characterData: true, subtree: true });
});
"""


@dataclass(frozen=True)
class QueryCost:
    """One query from opening the search page to its results shown, with a cold browser cache."""

    requests: int
    bytes: int  # response bodies as sent (localhost: not compressed)
    seconds: float  # from opening the page to the status line showing results, as noted by the page
    status: str  # the status line: how many results
    urls: tuple[str, ...]


def query_cost(browser: Browser, server: str, query: str, **scope: str) -> QueryCost:
    """Open /search/?q=`query` (and year=…, region=… from `scope`) in a fresh context; measure it all."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    try:
        page = context.new_page()
        page.add_init_script(_STAMP_RESULTS_SHOWN)
        requests: list[Request] = []
        finished: list[Request] = []
        page.on("request", lambda request: requests.append(request))
        page.on("requestfinished", lambda request: finished.append(request))
        errors: list[str] = []
        page.on("pageerror", lambda error: errors.append(str(error)))
        started = time.time()
        page.goto(f"{server}/search/?{urlencode({'q': query, **scope})}")
        status = page.locator("#search-status")
        expect(status).to_have_text(RESULTS_SHOWN, timeout=60000)
        seconds = page.evaluate("window.__resultsShownAt") / 1000 - started
        assert not errors, errors
        page.wait_for_load_state("networkidle")  # excerpts of the first results may still be arriving
        size = sum(request.sizes()["responseBodySize"] for request in finished)
        return QueryCost(len(requests), size, seconds, status.inner_text(), tuple(r.url for r in requests))
    finally:
        context.close()
