"""Chart text stays readable on a 360 px phone: every label and value renders at 12 px or more."""

from __future__ import annotations

import pytest
from playwright.sync_api import Browser

from budgetsite.config import Config

pytestmark = pytest.mark.browser

RENDERED_SIZES = """() => Array.from(document.querySelectorAll('svg.chart')).flatMap((svg) => {
  const scale = svg.getBoundingClientRect().width / svg.viewBox.baseVal.width;
  return Array.from(svg.querySelectorAll('text')).map((text) => ({
    text: text.textContent,
    px: parseFloat(getComputedStyle(text).fontSize) * scale,
    box: text.getBoundingClientRect().height,
  }));
})"""


def test_chart_labels_are_at_least_12px_at_360px(browser: Browser, server: str, browser_site: Config):
    out = browser_site.output
    dept_year = sorted(out.glob("departments/*/*/index.html"))[0].parent.relative_to(out).as_posix()
    year = sorted(out.glob("years/*/index.html"))[0].parent.relative_to(out).as_posix()
    context = browser.new_context(viewport={"width": 360, "height": 740})
    page = context.new_page()
    try:
        sizes = []
        for path in (dept_year, year):
            page.goto(f"{server}/{path}/")
            sizes += page.evaluate(RENDERED_SIZES)
    finally:
        context.close()
    assert len(sizes) >= 6  # labels and values of at least three bars
    small = [s for s in sizes if s["px"] < 12 or s["box"] < 12]
    assert small == [], small[:5]
