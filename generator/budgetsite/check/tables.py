"""The rules behind `run_checks`: which printed figures must add up to which (DESIGN §7).

Rules find rows and columns by the column keys of the content model (function_code / economic_code,
name, total, basic, project, personnel, public) and fall back to printed labels, so they work for any
template that the recognizers map to the canonical table ids.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal

from budgetsite.check.base import CheckCollector, Term, fmt, half_unit
from budgetsite.model import Cell, Check, Disclosure, Status, Table
from budgetsite.recognize.catalog import budget_table_id, code_kind, find_table
from budgetsite.recognize.table_layout import TOTAL_LABELS, Layout, last_part, number, text
from budgetsite.units import to_wan_yuan

# 一、 二、 … ordinal items of the 收支总表 sides and the 三公 table; 1、 2、 … of 固定资产占用情况表.
CHINESE_ORDINAL = re.compile(r"^[一二三四五六七八九十]+、")
ARABIC_ORDINAL = re.compile(r"^\d+[、.．]")


def kind_of(table: Table) -> str:
    """The budget table id a table answers to: a 决算 twin (three-public-expenses-final) checks like its budget table."""
    return budget_table_id(table.id)


def cell(row: list[Cell], index: int) -> Decimal | None:
    return number(row[index]) if index < len(row) else None


def row_key(layout: Layout, row: list[Cell], index: int) -> tuple[str, str]:
    """(id part, readable name) of a row: its code, else its label, else its position."""
    code, label = layout.code_of(row), layout.label_of(row)
    if code:
        return code, f"{code} {label}".strip()
    if label:
        return label, label
    return f"row{index + 1}", f"第 {index + 1} 行"


# --- table rules ---------------------------------------------------------------------------------


def value_right_of(table: Table, pattern: re.Pattern[str]) -> tuple[str, Decimal | None] | None:
    """(label, amount) of the first cell matching `pattern`; the amount is the cell just right of it."""
    for row in table.rows:
        for index, value in enumerate(row):
            label = text(value)
            if label and pattern.match(label):
                return label, cell(row, index + 1)
    return None


INCOME_TOTAL = re.compile(r"^收入总计$")
EXPENDITURE_TOTAL = re.compile(r"^支出总计$")


def balance_rule(table: Table, key: str, checks: CheckCollector) -> None:
    """收入总计 = 支出总计 in the paired summary tables."""
    income = value_right_of(table, INCOME_TOTAL)
    expenditure = value_right_of(table, EXPENDITURE_TOTAL)
    if income is None or expenditure is None:
        return
    checks.compare(
        f"balance:{key}", table.title, Term("收入总计", income[1]), [Term("支出总计", expenditure[1])]
    )


SIDE_TOTAL = re.compile(r"^本年(收入|支出)合计$")
SIDE_GRAND_TOTAL = re.compile(r"^(收入|支出)总计$")


def side_sum_rule(table: Table, key: str, checks: CheckCollector) -> None:
    """Each side of a paired summary: 本年收入合计 = Σ 一、二、… items; 收入总计 = 合计 + 结转 rows."""
    width = max((len(r) for r in table.rows), default=0)
    for column in range(width):
        labels = [text(r[column]) if column < len(r) else "" for r in table.rows]
        subtotal = next((i for i, label in enumerate(labels) if SIDE_TOTAL.match(label)), None)
        if subtotal is None:
            continue
        grand = next(
            (i for i, label in enumerate(labels) if i > subtotal and SIDE_GRAND_TOTAL.match(label)), None
        )
        amount_columns = []
        for k in range(column + 1, width):
            if any(isinstance(r[k], str) and text(r[k]) for r in table.rows if k < len(r)):
                break  # the other side's label column
            amount_columns.append(k)
        items = [i for i in range(subtotal) if CHINESE_ORDINAL.match(labels[i])]
        # Between 合计 and 总计 sit the carry-over rows (上年结转结余, 年初财政拨款结转和结余); their
        # 一、二、 sub-rows break the carry-over down by fund and must not be added twice (002 财政拨款收支总表).
        carry = [
            i
            for i in range(subtotal + 1, grand if grand is not None else subtotal + 1)
            if labels[i] and not CHINESE_ORDINAL.match(labels[i]) and not labels[i].startswith("其中")
        ]
        for k in amount_columns:
            column_key = table.columns[k].key if k < len(table.columns) else str(k)
            group = f"side-sum:{key}"
            if items:
                checks.compare(
                    f"{group}:{labels[subtotal]}:{column_key}",
                    table.title,
                    Term(labels[subtotal], cell(table.rows[subtotal], k)),
                    [Term(labels[i], cell(table.rows[i], k)) for i in items],
                    group=group,
                    group_label=f"{table.title} 各栏合计",
                )
            if grand is not None:
                checks.compare(
                    f"{group}:{labels[grand]}:{column_key}",
                    table.title,
                    Term(labels[grand], cell(table.rows[grand], k)),
                    [Term(labels[subtotal], cell(table.rows[subtotal], k))]
                    + [Term(labels[i], cell(table.rows[i], k)) for i in carry],
                    group=group,
                    group_label=f"{table.title} 各栏合计",
                )


def coded_rows(layout: Layout, table: Table) -> dict[str, list[Cell]]:
    rows: dict[str, list[Cell]] = {}
    for row in table.rows:
        code = layout.code_of(row)
        # A code without a valid 类 ("7" printed for 210) has no place in the hierarchy; plausible-code
        # reports it. One with a valid 类 ("3012", 款 printed without its zero) still adds up under it.
        if code and code not in rows and code_kind(code[:3]) is not None:
            rows[code] = row
    return rows


def nearest_parent(code: str, codes: dict[str, list[Cell]]) -> str | None:
    """The longest other code printed in the table that `code` starts with (215 for 21505 …)."""
    for length in range(len(code) - 1, 0, -1):
        if code[:length] in codes:
            return code[:length]
    return None


def code_sum_rule(table: Table, key: str, checks: CheckCollector) -> None:
    """Parent code = Σ children (功能 3/5/7 digits, 经济 3/5), and the 合计 row = Σ top-level codes."""
    layout = Layout.of(table)
    rows = coded_rows(layout, table)
    if not rows:
        return
    children: dict[str | None, list[str]] = {}
    for code in rows:
        children.setdefault(nearest_parent(code, rows), []).append(code)
    total_row = layout.total_row(table.rows)
    for k in layout.code_amounts:
        column = table.columns[k]
        for parent, kids in children.items():
            if parent is None:
                continue
            checks.compare(
                f"code-sum:{key}:{parent}:{column.key}",
                f"{table.title}，{parent} {layout.label_of(rows[parent])}行",
                Term(column.label, cell(rows[parent], k)),
                [Term(kid, cell(rows[kid], k)) for kid in kids],
                group=f"code-sum:{key}",
                group_label=f"{table.title} 上级科目 = 下级科目之和",
            )
        if total_row is not None and children.get(None):
            checks.compare(
                f"total-sum:{key}:{column.key}",
                f"{table.title}，{layout.label_of(total_row)}行",
                Term(column.label, cell(total_row, k)),
                [Term(code, cell(rows[code], k)) for code in children[None]],
                group=f"total-sum:{key}",
                group_label=f"{table.title} 合计 = 各类科目之和",
            )


def subtotal_rule(table: Table, key: str, checks: CheckCollector) -> None:
    """Tables grouped by unit (政府采购): 合计 = Σ …小计, each 小计 = Σ its item rows."""
    if kind_of(table) == "three-public-expenses":
        return  # its “三公”经费小计 is checked by three_public_rule
    layout = Layout.of(table)
    if layout.code is not None and coded_rows(layout, table):
        return
    labels = [layout.label_of(r) for r in table.rows]
    subtotals = [i for i, label in enumerate(labels) if label.endswith("小计")]
    if not subtotals:
        return
    total = next((i for i, label in enumerate(labels) if label in TOTAL_LABELS), None)
    group = f"subtotal-sum:{key}"
    group_label = f"{table.title} 合计 = 各单位小计之和"
    for k in layout.amounts:
        column = table.columns[k]
        if total is not None and cell(table.rows[total], k) is not None:
            checks.compare(
                f"{group}:{labels[total]}:{column.key}",
                f"{table.title}，{labels[total]}行",
                Term(column.label, cell(table.rows[total], k)),
                [Term(labels[i], cell(table.rows[i], k)) for i in subtotals],
                group=group,
                group_label=group_label,
            )
        for n, start in enumerate(subtotals):
            end = subtotals[n + 1] if n + 1 < len(subtotals) else len(table.rows)
            items = [i for i in range(start + 1, end) if labels[i] not in TOTAL_LABELS]
            if cell(table.rows[start], k) is None or not items:
                continue  # a blank 小计 cell (单价, 数量 columns) sums nothing
            checks.compare(
                f"{group}:{labels[start]}:{column.key}",
                f"{table.title}，{labels[start]}行",
                Term(column.label, cell(table.rows[start], k)),
                [Term(labels[i] or f"第 {i + 1} 行", cell(table.rows[i], k)) for i in items],
                group=group,
                group_label=group_label,
            )


def total_column(table: Table, layout: Layout) -> int | None:
    """The 合计 column (key total, or a label whose lowest header is 合计) among the amount columns."""
    for k in layout.amounts:
        if table.columns[k].key == "total" or last_part(table.columns[k].label) == "合计":
            return k
    return None


@dataclass
class HeaderNode:
    """One header cell of a multi-row header: its own column (a leaf) or the columns under it."""

    column: int | None = None
    children: dict[str, HeaderNode] = field(default_factory=dict)

    def value_columns(self) -> list[int]:
        """The columns whose sum is this header's value: its 小计 when it has one, else its leaves."""
        if self.column is not None:
            return [self.column]
        subtotal = self.children.get("小计")
        if subtotal is not None and subtotal.column is not None:
            return [subtotal.column]
        return [k for child in self.children.values() for k in child.value_columns()]

    def subtotals(self) -> list[tuple[int, list[int]]]:
        """(小计 column, the columns it must equal the sum of) for this header and every header below."""
        found: list[tuple[int, list[int]]] = []
        subtotal = self.children.get("小计")
        others = [child for name, child in self.children.items() if name != "小计"]
        if subtotal is not None and subtotal.column is not None and others:
            found.append((subtotal.column, [k for child in others for k in child.value_columns()]))
        for child in self.children.values():
            found.extend(child.subtotals())
        return found


NUMERIC_TEXT = re.compile(r"^[-+]?[\d,]*\.?\d+$")


def row_components(table: Table, layout: Layout, total: int) -> HeaderNode | None:
    """The header tree of the columns right of 合计 that add up to it.

    A header with a 小计 (本年收入 / 小计, 本年收入 / 财政拨款收入 …) counts once, through its 小计, at any
    depth (“三公”经费 / 公务用车购置及运行维护费 / 小计). When 合计 sits under a header (政府采购金额 / 合计)
    only the columns under the same header count, so a neighbouring 预留中小微企业份额 is not added in.
    """
    label = table.columns[total].label
    prefix = label.rsplit(" / ", 1)[0] + " / " if " / " in label else ""
    root = HeaderNode()
    for k in range(total + 1, len(table.columns)):
        if not table.columns[k].label.startswith(prefix):
            continue
        if k not in layout.amounts:
            if any(NUMERIC_TEXT.match(text(row[k])) for row in table.rows if k < len(row)):
                return None  # figures left as text ("603" | ".14"): the columns are not understood
            continue
        node = root
        for part in table.columns[k].label[len(prefix) :].split(" / "):
            node = node.children.setdefault(re.sub(r"\s+", "", part), HeaderNode())
        node.column = k
    return root


def row_sum_rule(table: Table, key: str, checks: CheckCollector) -> None:
    """合计 column = Σ the columns that make it up (基本支出 = 人员经费 + 公用经费, 合计 = 基本 + 项目 …)."""
    if kind_of(table) in ("institutions", "fixed-assets"):
        return
    layout = Layout.of(table)
    total = total_column(table, layout)
    if total is None:
        return
    header = row_components(table, layout, total)
    if header is None:
        return
    components = [k for child in header.children.values() for k in child.value_columns()]
    if not components:
        return
    if kind_of(table) == "general-public-budget-basic-expenditure":
        group, group_label = "basic-expenditure-sum", f"{table.title} 合计 = 人员经费 + 公用经费"
    else:
        group, group_label = f"row-sum:{key}", f"{table.title} 合计栏 = 各栏之和"
    seen: set[str] = set()
    for index, row in enumerate(table.rows):
        part, name = row_key(layout, row, index)
        if part in seen:
            part = f"{part}@{index + 1}"
        seen.add(part)
        where = f"{table.title}，{name}行"
        checks.compare(
            f"{group}:{part}",
            where,
            Term(table.columns[total].label, cell(row, total)),
            [Term(last_part(table.columns[k].label), cell(row, k)) for k in components],
            group=group,
            group_label=group_label,
        )
        for subtotal, parts in header.subtotals():
            if parts:
                checks.compare(
                    f"{group}:{part}:{table.columns[subtotal].key}",
                    where,
                    Term(table.columns[subtotal].label, cell(row, subtotal)),
                    [Term(last_part(table.columns[k].label), cell(row, k)) for k in parts],
                    group=group,
                    group_label=group_label,
                )


def three_public_rule(table: Table, key: str, checks: CheckCollector) -> None:
    """三公 total = Σ its three parts; 公务用车购置及运维费 = 购置费 + 运行维护费 (its 其中 rows)."""
    if kind_of(table) != "three-public-expenses":
        return
    layout = Layout.of(table)
    labels = [layout.label_of(r) for r in table.rows]
    ordinals = [i for i, label in enumerate(labels) if CHINESE_ORDINAL.match(label)]
    if not ordinals:
        return
    subtotal = next((i for i, label in enumerate(labels) if "小计" in label), None)
    if subtotal is None:
        subtotal = next((i for i, label in enumerate(labels) if label in TOTAL_LABELS), None)
    group, group_label = "three-public-sum", f"{table.title} 合计 = 各项之和"
    for k in layout.amounts:
        column = table.columns[k]
        if subtotal is not None:
            checks.compare(
                f"{group}:{labels[subtotal]}:{column.key}",
                f"{table.title}，{labels[subtotal]}行",
                Term(column.label, cell(table.rows[subtotal], k)),
                [Term(labels[i], cell(table.rows[i], k)) for i in ordinals],
                group=group,
                group_label=group_label,
            )
        for n, start in enumerate(ordinals):
            end = ordinals[n + 1] if n + 1 < len(ordinals) else len(table.rows)
            parts = list(range(start + 1, end))
            # Only a complete breakdown adds up: it starts with 其中 and has at least two parts.
            if len(parts) < 2 or not labels[parts[0]].startswith("其中"):
                continue
            checks.compare(
                f"{group}:{labels[start]}:{column.key}",
                f"{table.title}，{labels[start]}行",
                Term(column.label, cell(table.rows[start], k)),
                [Term(re.sub(r"^其中[：:]", "", labels[i]), cell(table.rows[i], k)) for i in parts],
                group=group,
                group_label=group_label,
            )


def assets_rule(table: Table, key: str, checks: CheckCollector) -> None:
    """固定资产占用情况表: 资产总额 = Σ the numbered classes (1、房屋 2、车辆 …), 其中 rows not added."""
    if kind_of(table) != "fixed-assets":
        return
    layout = Layout.of(table)
    labels = [layout.label_of(r) for r in table.rows]
    total = next((i for i, label in enumerate(labels) if label.startswith("资产总额")), None)
    classes = [i for i, label in enumerate(labels) if ARABIC_ORDINAL.match(label)]
    if total is None or not classes:
        return
    for k in layout.amounts:
        if cell(table.rows[total], k) is None:
            continue  # 数量 has no total: 平方米 and 辆 do not add up
        column = table.columns[k]
        checks.compare(
            f"assets-sum:{column.key}",
            f"{table.title}，{labels[total]}行",
            Term(column.label, cell(table.rows[total], k)),
            [Term(labels[i], cell(table.rows[i], k)) for i in classes],
            group="assets-sum",
            group_label=f"{table.title} 资产总额 = 各类之和",
        )


TableRule = Callable[[Table, str, CheckCollector], None]


TABLE_RULES: list[TableRule] = [
    balance_rule,
    side_sum_rule,
    code_sum_rule,
    subtotal_rule,
    row_sum_rule,
    three_public_rule,
    assets_rule,
]


# --- lookups shared by the project and narrative rules ----------------------------------------------


def find_total_cell(
    disclosure: Disclosure, table_id: str, column_key: str, label: str
) -> tuple[Table, list[Cell], int] | None:
    """(table, 合计 row, column) of the column with `column_key` (or lowest header `label`); None if absent."""
    table = find_table(disclosure, table_id)
    if table is None:
        return None
    layout = Layout.of(table)
    column = next((i for i, c in enumerate(table.columns) if c.key == column_key), None)
    if column is None:
        column = next((i for i, c in enumerate(table.columns) if last_part(c.label) == label), None)
    row = total_row(layout, table)
    if column is None or row is None:
        return None
    return table, row, column


def total_row_value(disclosure: Disclosure, table_id: str, column_key: str, label: str) -> Decimal | None:
    """The 合计 row's figure in the column with `column_key` (or lowest header `label`), in 万元."""
    found = find_total_cell(disclosure, table_id, column_key, label)
    if found is None:
        return None
    table, row, column = found
    return to_wan_yuan(cell(row, column), table.unit)


def total_row(layout: Layout, table: Table) -> list[Cell] | None:
    """The 合计 row; a table of one unlabelled row (江苏 支出预算总表 prints only the totals) is its own."""
    row = layout.total_row(table.rows)
    if row is None and len(table.rows) == 1 and not layout.label_of(table.rows[0]):
        row = table.rows[0]
    return row


def project_checks(disclosure: Disclosure, checks: CheckCollector) -> None:
    """Each project's 预算数 = 财政资金 + 其他资金; Σ project budgets against 项目支出."""
    for n, project in enumerate(disclosure.projects, start=1):
        if project.budget is None or (project.fiscal_funds is None and project.other_funds is None):
            continue
        checks.compare(
            f"project-funds:{n}",
            f"项目 {n}（{project.name}）",
            Term("预算数", project.budget),
            [Term("其中财政资金", project.fiscal_funds), Term("其他资金", project.other_funds)],
            group="project-funds",
            group_label="项目绩效目标表 预算数 = 财政资金 + 其他资金",
        )
    budgets = [p.budget for p in disclosure.projects]
    spending = total_row_value(disclosure, "expenditure-summary", "project", "项目支出")
    if not budgets or any(b is None for b in budgets) or spending is None:
        return  # a project without a printed budget makes the sum meaningless
    total = sum((b for b in budgets if b is not None), Decimal(0))
    bound = half_unit(spending) + sum((half_unit(b) for b in budgets if b is not None), Decimal(0))
    difference = total - spending
    summary = (
        f"{len(budgets)} 个项目绩效目标表的预算数之和 {fmt(total)}，部门预算支出总表 项目支出 {fmt(spending)}"
    )
    status: Status
    if difference == 0:
        status, message = "pass", summary
    elif abs(difference) <= bound:
        status, message = (
            "warn",
            f"{summary}，相差 {fmt(abs(difference))}（在印刷精度的舍入误差 ±{fmt(bound)} 以内）",
        )
    elif difference < 0:
        # Not every project needs a published target table; listing fewer is worth a look, not an error.
        status = "warn"
        message = f"{summary}，项目表少 {fmt(-difference)}（可能并非所有项目都公开了绩效目标表）"
    else:
        status, message = "fail", f"{summary}，项目表多出 {fmt(difference)}（项目预算之和不应超过项目支出）"
    checks.add(Check("projects-vs-project-expenditure", status, message, expected=spending, actual=total))
