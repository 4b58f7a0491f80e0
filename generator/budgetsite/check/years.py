"""Years: every heading names the report year, and every comparison is with the year before.

The report year is the one ingest read from the cover (`disclosure.year`). Other years are legitimate
where the text says what they are: 截至上年12月31日, 上年预算执行数, 与2023年度相比 in a 2024 决算 — so the
rules look only at headings (which name the year of the document) and at comparisons (比/与/较 … 年).
"""

from __future__ import annotations

import re

from budgetsite.check.base import CheckCollector
from budgetsite.check.findings import excerpt, headings, paragraphs, report
from budgetsite.model import Disclosure

YEAR = re.compile(r"(?<!\d)(20\d{2}|19\d{2})\s*年")
# A heading may name another year where it says so: 上年/执行/截至 (上年预算执行情况, 截至2023年12月31日).
_OTHER_YEAR_CONTEXT = re.compile(r"上年|执行|截至|截止|以前|历年|\d{4}\s*年\s*[-—~至到]")


def heading_year_rule(disclosure: Disclosure, checks: CheckCollector) -> None:
    """A heading or table title naming a year other than the report year (a 2024 决算 titled “2023年度…”)."""
    for where, text in headings(disclosure):
        if _OTHER_YEAR_CONTEXT.search(text):
            continue
        for match in YEAR.finditer(text):
            year = int(match.group(1))
            if year == disclosure.year:
                continue
            report(
                checks,
                f"year-heading:{where}",
                "fail",
                where,
                text,
                f"标题写的是{year}年，本文件是{disclosure.year}年度的{_kind_word(disclosure)}",
                f"请改为{disclosure.year}年",
                expected=disclosure.year,
                actual=year,
            )
            break


# 比2026年预算增加 / 与2026年预算持平 / 较2025年度减少: the year compared with.
COMPARISON = re.compile(r"(比|与|较|同比)\s*(20\d{2})\s*年(?:度)?(?!\d{1,2}月)")


def comparison_year_rule(disclosure: Disclosure, checks: CheckCollector) -> None:
    """A comparison with the report year itself or a later year (比2026年预算增加 in a 2026 budget)."""
    for paragraph in paragraphs(disclosure):
        for match in COMPARISON.finditer(paragraph.text):
            year = int(match.group(2))
            if year < disclosure.year:
                continue
            report(
                checks,
                f"year-comparison:{paragraph.section_number}.{paragraph.index}",
                "fail",
                paragraph.where,
                excerpt(paragraph.text, match.start(), match.end(), 20),
                f"与{year}年比较，但本文件就是{disclosure.year}年度的{_kind_word(disclosure)}，应与上年（{disclosure.year - 1}年）比较",
                f"请把“{year}年”改为“{disclosure.year - 1}年”",
                expected=disclosure.year - 1,
                actual=year,
            )


# 实施周期 2025年1月1日-2025年12月31日: a project period of a budget that ends before the budget year.
PERIOD = re.compile(
    r"(?:实施周期|实施期限|执行期限|项目周期|执行周期)[^\d]{0,12}(20\d{2})\s*年[^-—~至到]{0,10}[-—~至到]\s*(20\d{2})\s*年"
)


def project_period_rule(disclosure: Disclosure, checks: CheckCollector) -> None:
    """A project of a budget whose 实施周期 ends before the budget year."""
    if disclosure.kind != "budget":
        return
    for section in disclosure.sections:
        body = re.sub(r"\s+", "", section.markdown.replace("#", ""))
        for match in PERIOD.finditer(body):
            end = int(match.group(2))
            if end >= disclosure.year:
                continue
            report(
                checks,
                f"year-period:{section.title}",
                "warn",
                f"“{section.title}”",
                excerpt(body, match.start(), match.end(), 10),
                f"{disclosure.year}年预算项目的实施周期在{end}年就已结束",
                "请核对实施周期的年份",
                expected=disclosure.year,
                actual=end,
            )


def _kind_word(disclosure: Disclosure) -> str:
    return "决算" if disclosure.kind == "final-accounts" else "预算"
