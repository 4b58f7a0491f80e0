"""Plausibility: figures that cannot be right whatever the other figures say.

- a share over 100% ("占123%") or a fall of more than 100% ("下降120%");
- a total of 0 in the text while the same paragraph gives it non-zero parts or a change;
- a function code that is no valid 类/款/项 (3, 5 or 7 digits under a known 类), an economic code that is
  no valid 类/款 (3 or 5 digits under a known 类).
"""

from __future__ import annotations

import re

from budgetsite.check.base import CheckCollector
from budgetsite.check.findings import AMOUNT, amount, excerpt, paragraphs, report, table_where
from budgetsite.model import Disclosure
from budgetsite.recognize.table_layout import Layout, text

IMPOSSIBLE_PERCENT = re.compile(r"(占[^，。；%\d]{0,15}?|下降|减少|降低)\s*" + AMOUNT + "%")


def percent_rule(disclosure: Disclosure, checks: CheckCollector) -> None:
    """A share or a fall of more than 100%."""
    for paragraph in paragraphs(disclosure):
        for match in IMPOSSIBLE_PERCENT.finditer(paragraph.text):
            if amount(match.group(2)) <= 100:
                continue
            what = "占比" if match.group(1).startswith("占") else "降幅"
            report(
                checks,
                f"plausible-percent:{paragraph.section_number}.{paragraph.index}",
                "fail",
                paragraph.where,
                excerpt(paragraph.text, match.start(), match.end(), 10),
                f"{what}不可能超过100%",
                "请核对百分比及其计算所用的金额",
            )


ZERO_TOTAL = re.compile(r"(总计|合计|总额|共计)(?:为|是)?\s*0(?:\.0+)?\s*万元")
NONZERO_AFTER = re.compile(r"(?:其中|增加|减少|包括)[^。]{0,30}?" + AMOUNT + r"\s*万元")


def zero_total_rule(disclosure: Disclosure, checks: CheckCollector) -> None:
    """ "收入支出总计0万元" followed by non-zero parts or a non-zero change in the same paragraph."""
    for paragraph in paragraphs(disclosure):
        for match in ZERO_TOTAL.finditer(paragraph.text):
            later = next(
                (m for m in NONZERO_AFTER.finditer(paragraph.text, match.end()) if amount(m.group(1)) != 0),
                None,
            )
            if later is None:
                continue
            report(
                checks,
                f"plausible-zero-total:{paragraph.section_number}.{paragraph.index}",
                "fail",
                paragraph.where,
                excerpt(paragraph.text, match.start(), later.end(), 0),
                f"{match.group(1)}为0，后文却有 {later.group(1)}万元",
                "请核对总计金额",
            )


# 类 of the 政府收支分类科目: function classes 201–234, economic classes 301–399 (部门) and 501–599 (政府).
FUNCTION_CLASSES = range(201, 235)
ECONOMIC_CLASSES = (*range(301, 400), *range(501, 600))


def code_problem(code: str) -> str | None:
    """Why a code is no valid 类/款/项 code, or None. The classification is read from the code's 类, not from
    the column key, since a table whose title was not recognized may carry economic codes under any key."""
    head = int(code[:3]) if len(code) >= 3 else 0
    if head in FUNCTION_CLASSES:
        return None if len(code) in (3, 5, 7) else "功能分类编码应为3、5或7位"
    if head in ECONOMIC_CLASSES:
        return None if len(code) in (3, 5) else "经济分类编码应为3或5位"
    return "类级编码应在201–234（功能分类）或301–399、501–599（经济分类）之间"


def code_rule(disclosure: Disclosure, checks: CheckCollector) -> None:
    """A code that is no valid 类/款/项, in a code column whose other codes are valid (a typo among codes).

    A column where most "codes" are invalid is not a code column but a recognition slip (amounts split
    into "603" | ".14" cells); it is left alone rather than reported as the document's error.
    """
    for table in disclosure.tables:
        layout = Layout.of(table)
        if layout.code is None or layout.code_kind is None:  # no function or economic code column
            continue
        coded = [(text(row[layout.code]), row) for row in table.rows if layout.code < len(row)]
        coded = [(code, row) for code, row in coded if code.isdigit()]
        problems = [(code, row, code_problem(code)) for code, row in coded]
        invalid = [(code, row, problem) for code, row, problem in problems if problem is not None]
        if not invalid or 5 * len(invalid) > len(coded):
            continue
        for code, row, problem in invalid:
            report(
                checks,
                f"plausible-code:{table.id}:{code}",
                "fail",
                table_where(table),
                f"{code} {layout.label_of(row)}",
                f"“{code}”不是有效的科目编码：{problem}",
                "请核对科目编码",
            )


# "住房公积金3.58元" in a text that counts in 万元: a unit slip (the figure is 3.58万元). Only amounts written
# with decimals like a 万元 figure (3.58, not "人均定额1000元"), in a document whose text uses 万元, are suspected.
YUAN_AMOUNT = re.compile(r"(?<![\d.,])(\d{1,4}\.\d{1,2})\s*元(?![\u4e00-\u9fa5]{0,2}[/／])")
WAN_YUAN = re.compile(r"\d\s*万元")


def unit_slip_rule(disclosure: Disclosure, checks: CheckCollector) -> None:
    """An amount in 元 that reads as the 万元 figure it should be (3.58元 for 3.58万元)."""
    found = list(paragraphs(disclosure))
    if sum(1 for p in found if WAN_YUAN.search(p.text)) < 3:
        return  # a text that does not count in 万元 may well write 元
    for paragraph in found:
        for match in YUAN_AMOUNT.finditer(paragraph.text):
            if paragraph.text[max(0, match.start() - 1) : match.start()] in ("万", "亿", "千"):
                continue
            if (
                paragraph.text[match.end(1) : match.end()].strip() != "元"
                or "万元" in paragraph.text[match.end(1) : match.end() + 1]
            ):
                continue
            report(
                checks,
                f"plausible-unit:{paragraph.section_number}.{paragraph.index}",
                "warn",
                paragraph.where,
                excerpt(paragraph.text, match.start(), match.end(), 15),
                f"“{match.group(0)}”以元为单位，全文金额以万元计，此处疑为“{match.group(1)}万元”",
                "请核对金额单位",
            )
