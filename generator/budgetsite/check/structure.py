"""Structure: the tables a template requires are all there, once each, in order; empty tables say so.

A template is recognized by the words of its printed table titles (a class of documents, never one file):
the Putuo 部门预算 prints "…财务收支预算总表 / …功能分类预算表 / …经济分类预算表", the Hebei one "部门预算收支总表 /
部门预算财政拨款… / 部门预算一般公共预算…"; every 决算 has the nine 决算 tables. A document of no known template
(the Jiangsu 公开01–12表, whose set varies by year) is not judged on its table set.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from itertools import pairwise

from budgetsite.check.base import CheckCollector
from budgetsite.check.findings import paragraphs, report, table_where
from budgetsite.check.statements import has_figures
from budgetsite.model import Check, Disclosure, Table
from budgetsite.recognize.catalog import DEFAULT_TITLES


@dataclass(frozen=True)
class Template:
    """A disclosure template: its name, the words that identify its tables, and its required tables in order."""

    name: str
    title_words: tuple[str, ...]
    tables: tuple[str, ...]


PUTUO_BUDGET = Template(
    "上海区级部门预算（九张表）",
    ("财务收支预算总表", "功能分类预算表", "经济分类预算表"),
    (
        "income-expenditure-summary",
        "income-summary",
        "expenditure-summary",
        "fiscal-appropriation-summary",
        "general-public-budget-expenditure",
        "government-fund-expenditure",
        "state-capital-expenditure",
        "general-public-budget-basic-expenditure",
        "three-public-expenses",
    ),
)
HEBEI_BUDGET = Template(
    "河北部门预算（十二张表）",
    ("部门预算收支总表", "部门预算财政拨款", "部门预算一般公共预算"),
    (
        "income-expenditure-summary",
        "income-summary",
        "expenditure-summary",
        "fiscal-appropriation-summary",
        "general-public-budget-expenditure",
        "general-public-budget-basic-expenditure",
        "government-fund-expenditure",
        "state-capital-expenditure",
        "three-public-expenses",
        "institutions",
        "procurement",
        "fixed-assets",
    ),
)
FINAL_ACCOUNTS = Template(
    "部门决算（九张表）",
    ("决算总表", "决算表"),
    (
        "income-expenditure-final",
        "income-final",
        "expenditure-final",
        "fiscal-appropriation-final",
        "general-public-budget-expenditure-final",
        "general-public-budget-basic-expenditure-final",
        "three-public-expenses-final",
        "government-fund-final",
        "state-capital-final",
    ),
)
TEMPLATES = (PUTUO_BUDGET, HEBEI_BUDGET, FINAL_ACCOUNTS)
# The template tables that print amounts (every one but the list of institutions).
FIGURE_TABLES = frozenset(t for template in TEMPLATES for t in template.tables) - {"institutions"}


def template_of(disclosure: Disclosure) -> Template | None:
    """The template whose title words at least two of the document's table titles carry, and of which the
    document prints at least two thirds of the tables (an excerpt of a few tables is not judged)."""
    present = {t.id for t in disclosure.tables}
    titles = [re.sub(r"\s+", "", t.title) for t in disclosure.tables]
    candidates = (FINAL_ACCOUNTS,) if disclosure.kind == "final-accounts" else (PUTUO_BUDGET, HEBEI_BUDGET)
    for template in candidates:
        carried = sum(1 for title in titles if any(word in title for word in template.title_words))
        if carried >= 2 and 3 * len(present & set(template.tables)) >= 2 * len(template.tables):
            return template
    return None


def required_tables_rule(disclosure: Disclosure, checks: CheckCollector) -> None:
    """Every table of the template is there (a deleted table is a failure)."""
    template = template_of(disclosure)
    if template is None:
        return
    present = {t.id for t in disclosure.tables}
    missing = [table_id for table_id in template.tables if table_id not in present]
    if not missing:
        checks.add(Check("structure-tables", "pass", f"{template.name}的 {len(template.tables)} 张表齐全"))
        return
    names = "、".join(f"《{DEFAULT_TITLES.get(t, t)}》" for t in missing)
    report(
        checks,
        "structure-tables",
        "fail",
        f"全文（按{template.name}）",
        names,
        f"缺少 {len(missing)} 张必须公开的表",
        "请补上缺少的表；某表无数据时也要公开空表并注明“本表无数据”",
        expected=list(template.tables),
        actual=[t.id for t in disclosure.tables],
    )


def duplicate_tables_rule(disclosure: Disclosure, checks: CheckCollector) -> None:
    """A template table printed twice."""
    template = template_of(disclosure)
    if template is None:
        return
    seen: dict[str, Table] = {}
    for table in disclosure.tables:
        if table.id not in template.tables:
            continue
        if table.id in seen:
            report(
                checks,
                f"structure-duplicate:{table.id}",
                "warn",
                table_where(table),
                table.title,
                f"与{table_where(seen[table.id])}是同一张表，重复出现",
                "请删去重复的表",
            )
        seen.setdefault(table.id, table)


def table_order_rule(disclosure: Disclosure, checks: CheckCollector) -> None:
    """The template's tables in the template's order."""
    template = template_of(disclosure)
    if template is None:
        return
    order = {table_id: n for n, table_id in enumerate(template.tables)}
    placed = [t for t in disclosure.tables if t.id in order]
    for before, after in pairwise(placed):
        if order[after.id] < order[before.id]:
            report(
                checks,
                f"structure-order:{after.id}",
                "warn",
                table_where(after),
                after.title,
                f"排在{table_where(before)}之后，{template.name}的顺序应在其前",
                "请按模板顺序排列各表",
            )
            return


# "本表无数据", "故本表为空表", "无政府性基金预算财政拨款安排的预算", "空表列示": the statement an empty table needs.
EMPTY_STATEMENT = re.compile(
    r"无数据|空表|本表为空|本表无|无[^，。；]{0,30}(?:预算|支出|收入|安排|经费)|未安排|不涉及|没有"
)
# The words by which the narrative names the subject of a table, for a statement made in the text instead.
SUBJECT_WORDS = {
    "government-fund-expenditure": "政府性基金",
    "state-capital-expenditure": "国有资本经营",
    "three-public-expenses": "三公",
    "government-fund-final": "政府性基金",
    "state-capital-final": "国有资本经营",
    "three-public-expenses-final": "三公",
    "procurement": "政府采购",
}


def _table_statement(table: Table) -> str | None:
    texts = [table.note or "", table.title] + [c for row in table.rows for c in row if isinstance(c, str)]
    return next((t for t in texts if EMPTY_STATEMENT.search(re.sub(r"\s+", "", t))), None)


def _narrative_statement(disclosure: Disclosure, table: Table) -> bool:
    subject = SUBJECT_WORDS.get(table.id)
    if subject is None:
        return False
    # "政府性基金支出预算支出0万元" says as much as "本表无数据".
    return any(
        subject in p.text and (EMPTY_STATEMENT.search(p.text) or ZERO_AMOUNT.search(p.text))
        for p in paragraphs(disclosure)
    )


ZERO_AMOUNT = re.compile(r"(?<![\d.])0(?:\.0+)?\s*万元")


def empty_table_statement_rule(disclosure: Disclosure, checks: CheckCollector) -> None:
    """An empty table says "本表无数据"; a table with figures does not."""
    for table in disclosure.tables:
        if table.id not in FIGURE_TABLES:
            continue  # a list of institutions or an unrecognized table holds no figures by nature
        statement = _table_statement(table)
        figures = has_figures(table)
        if not figures and statement is None and not _narrative_statement(disclosure, table):
            report(
                checks,
                f"structure-empty:{table.id}",
                "warn",
                table_where(table),
                table.title,
                "表中没有任何数字，也没有“本表无数据”之类的说明",
                "请填上数字，或在表下注明为何无数据",
            )
        elif figures and statement is not None and table.note and statement == table.note:
            report(
                checks,
                f"structure-empty-note:{table.id}",
                "fail",
                table_where(table),
                statement,
                "表下注明无数据，表中却有数字",
                "请删去说明，或核对表中数字",
            )
