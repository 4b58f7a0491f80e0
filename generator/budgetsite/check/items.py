"""Narrative items against the tables: the per-class lines of the 编制说明 and the items a text lists.

- "公共安全支出（204类）司法（06款）行政运行（01项）1672.67万元 … 2026年预算安排1672.67万元": the amount of
  a 项 the text gives (with codes, or with names as 决算 说明 write "行政运行（项）…支出决算为1511.89万元")
  against the 一般公共预算支出表 (or 支出总表) row of that code; and the two amounts of one item against each
  other;
- "人员经费…主要包括：基本工资、…、个人农业生产补贴": every item listed must have a figure in the 基本支出表.

The comparison with a table figure uses the tolerance of `statements.compare_with_table`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal

from budgetsite.check.base import CheckCollector, fmt
from budgetsite.check.findings import AMOUNT, Paragraph, amount, excerpt, paragraphs, report, table_where
from budgetsite.check.names import CLASS_WITH_CODE
from budgetsite.check.statements import compare_with_table
from budgetsite.check.tables import cell, coded_rows, total_column
from budgetsite.model import Cell, Disclosure, Table
from budgetsite.recognize.catalog import find_table
from budgetsite.recognize.table_layout import Layout, number, text

# The tables whose 合计 column gives a 项's amount, in the order tried (a 编制说明 speaks of 财政拨款).
ITEM_TABLES = ("general-public-budget-expenditure", "expenditure-summary")
# "行政运行（项）" as 决算 说明 write it: names with their level, no code.
CLASS_BY_NAME = re.compile(r"([\u4e00-\u9fa5][\u4e00-\u9fa5、]{1,29}?)[（(](类|款|项)[)）]")
HEADLINE = re.compile(r"\s*[”\"]?\s*" + AMOUNT + r"\s*万元")
FINAL_AMOUNT = re.compile(r"(?:支出)?决算(?:数)?(?:为|是)\s*" + AMOUNT + r"\s*万元")


@dataclass
class ItemTable:
    """A table that prints 项 amounts, with its coded rows and 合计 column found once per disclosure."""

    table: Table
    layout: Layout
    rows: dict[str, list[Cell]]
    column: int | None

    @classmethod
    def all_of(cls, disclosure: Disclosure) -> list[ItemTable]:
        found = []
        for table_id in ITEM_TABLES:
            table = find_table(disclosure, table_id)
            if table is not None:
                layout = Layout.of(table)
                found.append(cls(table, layout, coded_rows(layout, table), total_column(table, layout)))
        return found


def _table_amount(tables: list[ItemTable], code: str) -> tuple[Table, Decimal] | None:
    """(table, 合计 as printed) of the first item table that prints `code`."""
    for item in tables:
        row = item.rows.get(code)
        value = cell(row, item.column) if row is not None and item.column is not None else None
        if value is not None:
            return item.table, value
    return None


def _code_by_names(tables: list[ItemTable], names: list[str]) -> str | None:
    """The code of a 类/款/项 path given by names ("一般公共服务支出 / 财政事务 / 行政运行")."""
    if not tables:
        return None
    rows, layout = tables[0].rows, tables[0].layout
    code = ""
    for depth, name in zip((3, 5, 7), names, strict=False):
        code = next(
            (
                c
                for c, row in rows.items()
                if len(c) == depth and c.startswith(code) and layout.label_of(row) == name
            ),
            "",
        )
        if not code:
            return None
    return code


def _coded_item(paragraph: Paragraph) -> tuple[str, int, int] | None:
    """(7-digit code, start, end) of a "…（204类）…（06款）…（01项）" chain at the paragraph's start."""
    code, start, end = "", None, 0
    for match in CLASS_WITH_CODE.finditer(paragraph.text):
        level, digits = match.group(3), match.group(2)
        if level == "类":
            code, start = digits, match.start()
        elif code:
            code += digits.zfill(2)
        end = match.end()
        if level == "项":
            break
    return (code, start, end) if start is not None and len(code) == 7 else None


def _name_path(paragraph: Paragraph) -> list[re.Match[str]] | None:
    """The "X（类）Y（款）Z（项）" matches of a paragraph, or None."""
    matches = []
    for match in CLASS_BY_NAME.finditer(paragraph.text):
        matches.append(match)
        if match.group(2) == "项":
            break
    if len(matches) != 3 or [m.group(2) for m in matches] != ["类", "款", "项"]:
        return None
    return matches


def _path_names(matches: list[re.Match[str]]) -> list[str]:
    # "其它" and "其他" are one word in the 科目 names; the tables print 其他.
    return [re.sub(r"^[\d、.．\s“”\"]+", "", m.group(1)).replace("其它", "其他") for m in matches]


def _named_item(tables: list[ItemTable], paragraph: Paragraph) -> tuple[str, int, int] | None:
    matches = _name_path(paragraph)
    if matches is None:
        return None
    code = _code_by_names(tables, _path_names(matches))
    return (code, matches[0].start(), matches[-1].end()) if code else None


def named_path_rule(disclosure: Disclosure, checks: CheckCollector) -> None:
    """ "卫生健康支出（类）卫生健康支出（款）计划生育事务（项）": a 款 or 项 name the table does not have there."""
    tables = ItemTable.all_of(disclosure)
    if not tables:
        return
    for paragraph in paragraphs(disclosure):
        matches = _name_path(paragraph) if "项" in paragraph.text else None
        if matches is None:
            continue
        names = _path_names(matches)
        for depth in (1, 2, 3):
            if _code_by_names(tables, names[:depth]) is not None:
                continue
            if depth == 1:
                break  # not even the 类 is the table's: another template or a recognition slip, no judgement
            parent = _code_by_names(tables, names[: depth - 1]) or ""
            rows, layout = tables[0].rows, tables[0].layout
            children = [
                layout.label_of(r)
                for c, r in rows.items()
                if len(c) == 2 * depth + 1 and c.startswith(parent)
            ]
            level = "款" if depth == 2 else "项"
            report(
                checks,
                f"name-class-path:{paragraph.section_number}.{paragraph.index}",
                "warn",
                paragraph.where,
                excerpt(paragraph.text, matches[0].start(), matches[-1].end(), 0),
                f"“{names[depth - 1]}（{level}）”不在表中{parent}之下（表中为：{'、'.join(children) or '无'}）",
                "请按表中的科目名称改正",
                expected="、".join(children),
                actual=names[depth - 1],
            )
            break


def class_item_rule(disclosure: Disclosure, checks: CheckCollector) -> None:
    """The amount the text gives for a 项 against the table row of that 项, and against itself."""
    tables = ItemTable.all_of(disclosure)
    if not tables:
        return
    for paragraph in paragraphs(disclosure):
        if "项" not in paragraph.text:
            continue
        found = _coded_item(paragraph) or _named_item(tables, paragraph)
        if found is None:
            continue
        code, start, end = found
        stated = _stated_amount(disclosure, paragraph, end)
        in_table = _table_amount(tables, code)
        if stated is None or in_table is None:
            continue
        table, printed = in_table
        quote = excerpt(paragraph.text, start, stated[1], 0)
        compare_with_table(
            checks, f"narrative-item:{code}", paragraph, quote, stated[0], table, f"{code} 合计", printed
        )
        _same_item_twice(checks, disclosure, paragraph, code, stated[0])


def _stated_amount(disclosure: Disclosure, paragraph: Paragraph, after: int) -> tuple[Decimal, int] | None:
    """(amount, end) the item line gives: right after its name (预算), else "支出决算为…" (决算)."""
    headline = HEADLINE.match(paragraph.text, after)
    if headline is not None:
        return amount(headline.group(1)), headline.end()
    if disclosure.kind == "final-accounts":
        final = FINAL_AMOUNT.search(paragraph.text, after)
        if final is not None:
            return amount(final.group(1)), final.end()
    return None


def _same_item_twice(
    checks: CheckCollector, disclosure: Disclosure, paragraph: Paragraph, code: str, headline: Decimal
) -> None:
    """ "…住房公积金（01项）208.8万元 … 2026年预算安排201.50万元": one item, two amounts."""
    planned = re.search(rf"{disclosure.year}\s*年(?:预算)?安排\s*" + AMOUNT + r"\s*万元", paragraph.text)
    if planned is None or amount(planned.group(1)) == headline:
        return
    report(
        checks,
        f"narrative-item-twice:{code}",
        "fail",
        paragraph.where,
        excerpt(paragraph.text, planned.start(), planned.end(), 0),
        f"同一科目 {code} 前文写 {fmt(headline)}万元，此处写 {planned.group(1)}万元",
        "请核对并统一该项金额",
        expected=headline,
        actual=amount(planned.group(1)),
    )


# --- items listed as 主要包括 -------------------------------------------------------------------------

LISTED = re.compile(r"(人员经费|公用经费)[^；。]{0,20}?主要包括[：:]([^；。]+)")


def economic_items(table: Table) -> dict[str, Decimal | None]:
    """Item name → amount of a 基本支出表, also one printed in two halves side by side (上海 11)."""
    items: dict[str, Decimal | None] = {}
    for row in table.rows:
        for index, value in enumerate(row):
            name = text(value)
            if not name or not re.fullmatch(r"[\u4e00-\u9fa5（）()、]+", name):
                continue
            following = row[index + 1] if index + 1 < len(row) else None
            if isinstance(following, str):
                continue  # a heading cell followed by text, not an item with its amount
            items.setdefault(name, number(following))
    return items


def listed_items_rule(disclosure: Disclosure, checks: CheckCollector) -> None:
    """Every item the text lists under 人员经费/公用经费 主要包括 has a non-zero figure in the 基本支出表."""
    table = find_table(disclosure, "general-public-budget-basic-expenditure")
    if table is None:
        return
    items = economic_items(table)
    for paragraph in paragraphs(disclosure):
        for match in LISTED.finditer(paragraph.text):
            for name in re.split(r"[、，,]", match.group(2)):
                name = name.strip().rstrip("等")
                if name not in items or items[name] not in (None, Decimal(0)):
                    continue
                position = paragraph.text.find(name, match.start(2))
                report(
                    checks,
                    f"narrative-listed:{name}",
                    "warn",
                    paragraph.where,
                    excerpt(paragraph.text, position, position + len(name), 10),
                    f"{match.group(1)}列出“{name}”，{table_where(table)}中该项没有金额",
                    "请核对所列项目与基本支出表是否一致",
                )


def unexplained_items_rule(disclosure: Disclosure, checks: CheckCollector) -> None:
    """A document that explains its 项 one by one leaves none of the table's out (决算 说明 list every 项)."""
    tables = ItemTable.all_of(disclosure)
    if not tables:
        return
    texts = [p.text for p in paragraphs(disclosure)]
    explained = sum(
        1 for p in paragraphs(disclosure) if "项" in p.text and (_coded_item(p) or _named_item(tables, p))
    )
    if explained < 2:
        return  # the text does not go item by item
    body = "\n".join(texts).replace("其它", "其他")
    item = tables[0]
    for code, row in item.rows.items():
        value = cell(row, item.column) if item.column is not None else None
        name = item.layout.label_of(row)
        if len(code) != 7 or value in (None, Decimal(0)) or not name or name in body:
            continue
        report(
            checks,
            f"narrative-unexplained:{code}",
            "warn",
            table_where(item.table),
            f"{code} {name} {fmt(value)}",
            "说明逐项列出了各“项”级科目，却没有这一项",
            "请在说明中补上该科目的金额和用途",
        )
