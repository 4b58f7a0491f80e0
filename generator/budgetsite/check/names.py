"""Names and level: the document names its own department, at its own level, and the tables' class names.

- a heading or 编制部门 that names another department ("上海市规划和自然资源局" in a 普陀区司法局 document);
- 部门 wording in a 单位预算 and vice versa (the level is what most titles of the document say);
- a function class written in the text ("医疗卫生与计划生育支出（210类）") whose name differs from the table's
  name for that code ("卫生健康支出").
"""

from __future__ import annotations

import re

from budgetsite.check.base import CheckCollector
from budgetsite.check.findings import excerpt, headings, paragraphs, report, table_where
from budgetsite.check.tables import coded_rows
from budgetsite.model import Disclosure
from budgetsite.recognize.table_layout import Layout, text

# An organization named with its administrative region: 上海市普陀区司法局, 普陀区人民政府办公室, 江苏省人民检察院.
ORGANIZATION = re.compile(
    r"((?:[\u4e00-\u9fa5]{2,6}(?:省|自治区|市|区|县|旗|州|盟))+"
    r"[\u4e00-\u9fa5]{1,16}?(?:局|委员会|委|办公室|办公厅|厅|院|中心|办事处|政府))"
)
REGION_PART = re.compile(r"[\u4e00-\u9fa5]{2,6}?(?:省|自治区|市|区|县|旗|州|盟)")


def _split_regions(name: str) -> tuple[list[str], str]:
    """(leading administrative regions, the rest): 上海市普陀区司法局 → (['上海市', '普陀区'], '司法局')."""
    regions: list[str] = []
    while len(regions) < 3 and (match := REGION_PART.match(name)) and len(name) > match.end():
        regions.append(match.group(0))
        name = name[match.end() :]
    return regions, name


def is_own_name(found: str, department: str) -> bool:
    """Whether `found` names the document's department, perhaps without its broader regions (普陀区司法局).

    The lowest region must be the department's: 上海市规划和自然资源局 is the city's bureau, not
    上海市普陀区规划和自然资源局.
    """
    if found in department or department in found:
        return True
    found_regions, found_core = _split_regions(found)
    own_regions, own_core = _split_regions(department)
    if found_core != own_core:
        return False
    return not found_regions or (bool(own_regions) and found_regions[-1] == own_regions[-1])


# A sentence whose subject is a department's report: "上海市普陀区财政局2024年度收入支出总计…".
REPORT_SUBJECT = re.compile(r"^(\S{4,30}?)(?=20\d{2}年)")


def other_department_rule(disclosure: Disclosure, checks: CheckCollector) -> None:
    """A heading, a table's 编制部门 or a report sentence's subject that names another department."""
    places = list(headings(disclosure))
    places += [(f"{table_where(t)}编制部门", t.unit_name) for t in disclosure.tables if t.unit_name]
    places += [
        (p.where, subject.group(1))
        for p in paragraphs(disclosure)
        if not p.heading and (subject := REPORT_SUBJECT.match(p.text))
    ]
    for where, place_text in places:
        match = ORGANIZATION.match(re.sub(r"^[\d\s]+|^编制(?:部门|单位)[：:]\s*", "", place_text))
        if match is None or is_own_name(match.group(1), disclosure.department):
            continue
        report(
            checks,
            f"name-department:{where}",
            "fail",
            where,
            place_text,
            f"写的是“{match.group(1)}”，本文件是{disclosure.department}的{'决算' if disclosure.kind == 'final-accounts' else '预算'}",
            f"请改为“{disclosure.department}”",
        )


UNIT_WORDS = re.compile(r"预算单位|单位预算|单位决算|^\d*[.、．]?\s*(?:\d{4}年)?单位")
DEPARTMENT_WORDS = re.compile(
    r"部门(?!预算经济分类)(?:预算|决算|财务|收入|支出|主要职能|机构|一般公共|政府性|国有|“三公”|财政)"
)


def level_wording_rule(disclosure: Disclosure, checks: CheckCollector) -> None:
    """部门 wording in a 单位预算 (or 单位 wording in a 部门预算): the level is what most titles say."""
    titled = list(headings(disclosure))
    unit = [(w, t) for w, t in titled if UNIT_WORDS.search(t)]
    department = [(w, t) for w, t in titled if DEPARTMENT_WORDS.search(t) and not UNIT_WORDS.search(t)]
    if not unit or not department or len(unit) == len(department):
        return
    level, odd = ("单位", department) if len(unit) > len(department) else ("部门", unit)
    other = "部门" if level == "单位" else "单位"
    for where, heading in odd:
        report(
            checks,
            f"name-level:{where}",
            "warn",
            where,
            heading,
            f"本文件是{level}{'决算' if disclosure.kind == 'final-accounts' else '预算'}（多数标题如此），此处却写“{other}”",
            f"请统一为“{level}”",
        )


# "医疗卫生与计划生育支出（210类）", "司法（06款）", "行政运行（01项）": names the text gives with codes.
CLASS_WITH_CODE = re.compile(r"([\u4e00-\u9fa5][\u4e00-\u9fa5、]{1,29}?)[（(](\d{2,3})\s*(类|款|项)[)）]")
FUNCTION_TABLES = ("expenditure-summary", "general-public-budget-expenditure", "income-summary")


def function_names(disclosure: Disclosure) -> dict[str, str]:
    """Function code → name, from the coded tables that print them."""
    names: dict[str, str] = {}
    for table in disclosure.tables:
        if not any(table.id.startswith(prefix) for prefix in FUNCTION_TABLES):
            continue
        layout = Layout.of(table)
        if layout.code is None or table.columns[layout.code].key != "function_code":
            continue
        for code, row in coded_rows(layout, table).items():
            names.setdefault(code, layout.label_of(row))
    return names


def class_name_rule(disclosure: Disclosure, checks: CheckCollector) -> None:
    """A function class named in the text with its code, whose name is not the table's for that code."""
    names = function_names(disclosure)
    if not names:
        return
    for paragraph in paragraphs(disclosure):
        code = ""
        for match in CLASS_WITH_CODE.finditer(paragraph.text):
            level, digits, name = match.group(3), match.group(2), match.group(1)
            code = digits if level == "类" else code + digits.zfill(2)
            if level == "类" and len(digits) != 3:
                break
            expected = names.get(code)
            if expected is None or name in expected or expected in name or not text(expected):
                continue
            report(
                checks,
                f"name-class:{paragraph.section_number}.{paragraph.index}:{code}",
                "fail" if level == "类" else "warn",
                paragraph.where,
                excerpt(paragraph.text, match.start(), match.end(), 0),
                f"科目 {code} 在表中名为“{expected}”，正文写作“{name}”",
                f"请改为“{expected}”",
                expected=expected,
                actual=name,
            )
