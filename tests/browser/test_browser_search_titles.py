"""Search result titles tell same-named pages apart: department, year, 预算/决算 and a project's amount."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from budgetsite.config import Config

pytestmark = pytest.mark.browser


def _result_titles(page: Page, server: str, query: str) -> list[str]:
    page.goto(server + "/search/?year=all&q=" + query)  # every year: the titles of several disclosures
    results = page.locator("#search-results > li h3 a")
    expect(results.first).to_be_visible(timeout=10000)
    expect(page.locator("#search-status")).not_to_have_text("正在搜索…")
    return results.all_inner_texts()


def test_project_result_title_has_department_year_kind_and_amount(
    page: Page, server: str, browser_site: Config
):
    titles = _result_titles(page, server, "法律顾问费")
    # 001 (保定市徐水区工业和信息化局 2024 部门预算), 3、法律顾问费绩效目标表: 单位：万元, 预算数 2.00.
    assert "法律顾问费 · 保定市徐水区工业和信息化局 · 2024年 · 预算 · 2.00 万元" in titles, titles


def test_every_disclosure_result_title_names_department_year_and_kind(
    page: Page, server: str, browser_site: Config
):
    titles = _result_titles(page, server, "公务接待")
    hrefs = page.locator("#search-results > li h3 a").evaluate_all(
        "links => links.map(a => new URL(a.href).pathname)"
    )
    disclosure_titles = [
        t for t, h in zip(titles, hrefs, strict=True) if re.fullmatch(r"/departments/[^/]+/\d{4}/", h)
    ]
    assert len(disclosure_titles) >= 2
    for title in disclosure_titles:
        assert re.search(r" · \S+局 · 20\d\d年 · (预算|决算)$", title), title
