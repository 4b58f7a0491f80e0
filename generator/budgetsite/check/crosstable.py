"""Between tables: the same figure printed in two tables must agree (with the rounding tolerance of base).

- the 类 lines of the 收支总表 expenditure side against the 类 rows of the 支出总表 (合计 column), and the
  一般公共预算 column of the 财政拨款收支总表 against the 一般公共预算支出表;
- 本年收入合计 (收入总计 where the income table includes 结转) against the 收入总表 合计, and likewise for
  支出;
- the 基本支出 of the 一般公共预算支出表 against the 合计 of the 一般公共预算基本支出表 (the same scope);
- 收支总表 收入总计 against 财政拨款收支总表 收入总计 where every income is 财政拨款 (the template's rule for a
  department without 事业收入, 其他收入 or 结转).
"""

from __future__ import annotations

import re
from decimal import Decimal

from budgetsite.check.base import CheckCollector, Term
from budgetsite.check.tables import (
    CHINESE_ORDINAL,
    cell,
    coded_rows,
    total_column,
    total_row_value,
    value_right_of,
)
from budgetsite.model import Disclosure, Table
from budgetsite.recognize.catalog import find_table
from budgetsite.recognize.table_layout import Layout, text
from budgetsite.units import to_wan_yuan

# (summary table, its amount column key) ↔ (coded table): the same 类 lines, the same scope.
CLASS_LINE_PAIRS = [
    ("income-expenditure-summary", "expenditure_amount", "expenditure-summary"),
    ("fiscal-appropriation-summary", "expenditure_general_public", "general-public-budget-expenditure"),
]


def summary_class_lines(table: Table, amount_key: str) -> dict[str, Decimal | None]:
    """类 name → amount (万元) of the expenditure side of a paired summary table ('一、公共安全支出')."""
    keys = [c.key for c in table.columns]
    if "expenditure_item" not in keys or amount_key not in keys:
        return {}
    item, value = keys.index("expenditure_item"), keys.index(amount_key)
    lines: dict[str, Decimal | None] = {}
    for row in table.rows:
        label = text(row[item]) if item < len(row) else ""
        if CHINESE_ORDINAL.match(label):
            lines[CHINESE_ORDINAL.sub("", label)] = to_wan_yuan(cell(row, value), table.unit)
    return lines


def coded_class_lines(table: Table) -> dict[str, Decimal | None]:
    """类 name → 合计 (万元) of the 3-digit function codes of a coded table."""
    layout = Layout.of(table)
    column = total_column(table, layout)
    if column is None:
        return {}
    return {
        layout.label_of(row): to_wan_yuan(cell(row, column), table.unit)
        for code, row in coded_rows(layout, table).items()
        if len(code) == 3
    }


def class_lines_rule(disclosure: Disclosure, checks: CheckCollector) -> None:
    """A 类 line of the 收支总表 against the same 类 of the 支出总表 (and 财政拨款收支总表 ↔ 一般公共预算支出表)."""
    for summary_id, amount_key, coded_id in CLASS_LINE_PAIRS:
        summary, coded = find_table(disclosure, summary_id), find_table(disclosure, coded_id)
        if summary is None or coded is None:
            continue
        left, right = summary_class_lines(summary, amount_key), coded_class_lines(coded)
        if not left or not right:
            continue
        for name, value in right.items():
            if name not in left or (value in (None, 0) and left[name] in (None, 0)):
                continue
            checks.compare(
                f"cross-class:{summary.id}:{name}",
                f"{summary.title}支出栏“{name}”与{coded.title}“{name}”合计",
                Term(f"{summary.title} {name}", left[name]),
                [Term(f"{coded.title} {name}", value)],
                group=f"cross-class:{summary.id}",
                group_label=f"{summary.title}与{coded.title}的类级科目",
            )


def _has_carryover_column(table: Table) -> bool:
    return any("结转" in re.sub(r"\s+", "", c.label) for c in table.columns)


def side_total(summary: Table, side: str, whole_total: bool) -> tuple[str, Decimal | None] | None:
    """本年收入合计 (or 收入总计 when `whole_total` or the table prints no 本年 line) of a summary, in 万元."""
    patterns = [rf"^{side}总计$"] if whole_total else [rf"^本年{side}合计$", rf"^{side}总计$"]
    for pattern in patterns:
        found = value_right_of(summary, re.compile(pattern))
        if found is not None and found[1] is not None:
            return found[0], to_wan_yuan(found[1], summary.unit)
    return None


def side_totals_rule(disclosure: Disclosure, checks: CheckCollector) -> None:
    """收支总表 本年收入合计 = 收入总表 合计; 本年支出合计 = 支出总表 合计."""
    summary = find_table(disclosure, "income-expenditure-summary")
    if summary is None:
        return
    for side, table_id in (("收入", "income-summary"), ("支出", "expenditure-summary")):
        table = find_table(disclosure, table_id)
        if table is None:
            continue
        total = total_row_value(disclosure, table_id, "total", "合计")
        found = side_total(summary, side, _has_carryover_column(table))
        if total is None or found is None:
            continue
        checks.compare(
            f"cross-total:{table.id}",
            f"{summary.title}“{found[0]}”与{table.title}合计",
            Term(f"{summary.title} {found[0]}", found[1]),
            [Term(f"{table.title} 合计", total)],
        )


def basic_expenditure_rule(disclosure: Disclosure, checks: CheckCollector) -> None:
    """一般公共预算支出表 合计 基本支出 = 一般公共预算基本支出表 合计 (both cover 一般公共预算 only)."""
    spending = total_row_value(disclosure, "general-public-budget-expenditure", "basic", "基本支出")
    basic = total_row_value(disclosure, "general-public-budget-basic-expenditure", "total", "合计")
    table = find_table(disclosure, "general-public-budget-basic-expenditure")
    source = find_table(disclosure, "general-public-budget-expenditure")
    if spending is None or basic is None or table is None or source is None:
        return
    checks.compare(
        "cross-basic",
        f"{source.title}合计行“基本支出”与{table.title}合计",
        Term(f"{source.title} 基本支出", spending),
        [Term(f"{table.title} 合计", basic)],
    )


_FISCAL_INCOME = re.compile(r"财政拨款|一般公共预算|政府性基金|国有资本经营")
_GRAND_TOTAL = re.compile(r"^(?:收入)?总计$")
_SIDE_TOTALS = re.compile(r"^(?:本年收入合计|收入总计|总计|合计)$")


def _only_fiscal_income(summary: Table) -> bool:
    """Whether every income line of the 收支总表 that holds an amount is 财政拨款 (no 事业收入, 结转 …)."""
    keys = [c.key for c in summary.columns]
    if "income_item" not in keys or "income_amount" not in keys:
        return False
    item, value = keys.index("income_item"), keys.index("income_amount")
    for row in summary.rows:
        label = text(row[item]) if item < len(row) else ""
        amount = cell(row, value)
        if not label or _SIDE_TOTALS.match(label) or amount in (None, 0):
            continue
        if not _FISCAL_INCOME.search(label) or "财政专户" in label:
            return False
    return True


def fiscal_total_rule(disclosure: Disclosure, checks: CheckCollector) -> None:
    """收支总表 收入总计 = 财政拨款收支总表 收入总计 when the department has no income but 财政拨款."""
    summary = find_table(disclosure, "income-expenditure-summary")
    fiscal = find_table(disclosure, "fiscal-appropriation-summary")
    if summary is None or fiscal is None or not _only_fiscal_income(summary):
        return
    whole, fiscal_total = value_right_of(summary, _GRAND_TOTAL), value_right_of(fiscal, _GRAND_TOTAL)
    if whole is None or fiscal_total is None or whole[1] is None or fiscal_total[1] is None:
        return
    checks.compare(
        "cross-fiscal",
        f"{summary.title}只有财政拨款收入，其“{whole[0]}”与{fiscal.title}“{fiscal_total[0]}”",
        Term(f"{summary.title} {whole[0]}", to_wan_yuan(whole[1], summary.unit)),
        [Term(f"{fiscal.title} {fiscal_total[0]}", to_wan_yuan(fiscal_total[1], fiscal.unit))],
    )
