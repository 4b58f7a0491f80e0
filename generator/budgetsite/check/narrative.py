"""Figures the narrative repeats, checked against the tables and against each other (DESIGN §7).

"2024年预算收入1673.35万元" must match 收入总计 of 部门预算收支总表; "基本支出1023.35万元，包括人员经费971.52万元和
日常公用经费51.84万元" must add up in itself. Only a figure written right after its name counts
("基本支出1023.35万元", not "基本支出减少124.92万元"), and only the first such mention.

The sentences are read by the facts layer's one extractor (`recognize.facts.NARRATIVE_FIGURES`), the
same the site shows; where the tables give the figure as a fact (收入总计, 三公 and its parts …), the
text is checked against that fact: what the site shows is what was checked.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

from budgetsite.check.base import CheckCollector, Term
from budgetsite.check.tables import cell, find_total_cell, total_column, total_row_value, value_right_of
from budgetsite.model import Disclosure, Fact
from budgetsite.recognize import facts
from budgetsite.recognize.catalog import find_table
from budgetsite.recognize.table_layout import TOTAL_LABELS, Layout
from budgetsite.units import to_wan_yuan

TableFigure = tuple[str, Decimal | None]
SANGONG_TABLES = facts.THREE_PUBLIC_TABLES


def table_fact(disclosure: Disclosure, name: str) -> Fact | None:
    """The fact `name` as read from a table (a narrative-sourced fact is no second opinion on the text)."""
    # Disclosures straight from recognition (tests, `budgetsite check` on schema 1) have no facts yet.
    found = disclosure.facts or facts.extract_facts(disclosure)
    return next((f for f in found if f.name == name and f.source.table is not None), None)


def fact_figure(name: str, blank_in: tuple[str, ...] = ()) -> Callable[[Disclosure], TableFigure | None]:
    """Locate the table fact `name`, described by its table title, row and column.

    Where the disclosure has a table of `blank_in` but no fact `name`, that table left the item blank
    (001: 一、因公出国（境）费 with no amount): the text is compared with the blank, which counts as 0.
    """

    def locate(disclosure: Disclosure) -> TableFigure | None:
        fact = table_fact(disclosure, name)
        if fact is None:
            table = next((t for t in disclosure.tables if t.id in blank_in), None)
            return (f"{table.title} {name}", None) if table is not None else None
        index = fact.source.table_index
        title = disclosure.tables[index].title if index is not None else fact.source.table
        return f"{title} {fact.source.row or ''} {fact.source.column or ''}".replace(
            "  ", " "
        ), fact.value_wan

    return locate


def summary_figure(pattern: str) -> Callable[[Disclosure], TableFigure | None]:
    """Locate the figure right of a label in 部门预算收支总表."""
    regex = re.compile(pattern)

    def locate(disclosure: Disclosure) -> TableFigure | None:
        table = find_table(disclosure, "income-expenditure-summary")
        found = value_right_of(table, regex) if table is not None else None
        if table is None or found is None:
            return None
        return f"{table.title} {found[0]}", to_wan_yuan(found[1], table.unit)

    return locate


def total_figure(table_id: str, column_key: str, label: str) -> Callable[[Disclosure], TableFigure | None]:
    """Locate a 合计-row figure of a table."""

    def locate(disclosure: Disclosure) -> TableFigure | None:
        found = find_total_cell(disclosure, table_id, column_key, label)
        if found is None:
            return None  # no such table, column or 合计 row: nothing to compare with
        table, row, column = found
        return f"{table.title} 合计 {label}", to_wan_yuan(cell(row, column), table.unit)

    return locate


def basic_table_figure(column_key: str, label: str) -> Callable[[Disclosure], TableFigure | None]:
    """人员经费 / 公用经费 of 基本支出表 — only when that table covers the whole 基本支出.

    The narrative speaks of the department's whole 基本支出; the 基本支出表 covers 一般公共预算 only.
    When the two 基本支出 totals differ the scopes differ and the figures are not comparable.
    """
    inner = total_figure("general-public-budget-basic-expenditure", column_key, label)

    def locate(disclosure: Disclosure) -> TableFigure | None:
        whole = total_row_value(disclosure, "expenditure-summary", "basic", "基本支出")
        basic = total_row_value(disclosure, "general-public-budget-basic-expenditure", "total", "合计")
        if whole is not None and basic is not None and whole != basic:
            return None
        return inner(disclosure)

    return locate


def _total_column_figure(
    disclosure: Disclosure, table_id: str, pick_row: Callable[[str], bool], name: str | None = None
) -> TableFigure | None:
    """The 合计-column figure of the first row of table `table_id` whose label `pick_row` accepts,
    described as '<table title> <name, else the row's label>'."""
    table = find_table(disclosure, table_id)
    if table is None:
        return None
    layout = Layout.of(table)
    column = total_column(table, layout)
    row = next((r for r in table.rows if pick_row(layout.label_of(r))), None)
    if column is None or row is None:
        return None
    return f"{table.title} {name or layout.label_of(row)}", to_wan_yuan(cell(row, column), table.unit)


def procurement_figure(disclosure: Disclosure) -> TableFigure | None:
    """The 合计 of 政府采购预算表 in its 合计 column."""
    return _total_column_figure(disclosure, "procurement", lambda label: label in TOTAL_LABELS, "合计")


@dataclass
class NarrativeRule:
    """A figure the narrative repeats ("2024年预算收入1673.35万元") and where the tables print it.

    `name` is a rule of `recognize.facts.NARRATIVE_FIGURES`: that is how the sentence is read.
    """

    name: str
    locate: Callable[[Disclosure], TableFigure | None]

    @property
    def pattern(self) -> re.Pattern[str]:
        return facts.narrative_rule(self.name).pattern

    def __call__(self, disclosure: Disclosure, checks: CheckCollector) -> None:
        figure = facts.narrative_figure(disclosure, self.name)
        if figure is None:
            return
        found = self.locate(disclosure)
        if found is None:
            return
        where, value = found
        checks.compare(
            f"narrative:{self.name}",
            f"正文“{figure.sentence}”",
            Term(f"正文 {self.name}", figure.value),
            [Term(where, value)],
        )


NARRATIVE_RULES: list[NarrativeRule] = [
    NarrativeRule("预算收入", fact_figure("收入总计")),
    NarrativeRule("一般公共预算收入", summary_figure(r"^一、一般公共预算")),
    NarrativeRule("上年结转结余", summary_figure(r"^上年结转")),
    NarrativeRule("支出预算", fact_figure("支出总计")),
    NarrativeRule("基本支出", total_figure("expenditure-summary", "basic", "基本支出")),
    NarrativeRule("人员经费", basic_table_figure("personnel", "人员经费")),
    NarrativeRule("公用经费", basic_table_figure("public", "公用经费")),
    NarrativeRule("项目支出", total_figure("expenditure-summary", "project", "项目支出")),
    NarrativeRule("三公经费", fact_figure(facts.SANGONG_TOTAL, SANGONG_TABLES)),
    NarrativeRule("因公出国（境）费", fact_figure(facts.ABROAD, SANGONG_TABLES)),
    NarrativeRule("公务用车购置及运维费", fact_figure(facts.VEHICLES, SANGONG_TABLES)),
    NarrativeRule("公务用车购置费", fact_figure(facts.VEHICLE_PURCHASE, SANGONG_TABLES)),
    NarrativeRule("公务用车运行维护费", fact_figure(facts.VEHICLE_RUNNING, SANGONG_TABLES)),
    NarrativeRule("公务接待费", fact_figure(facts.RECEPTION, SANGONG_TABLES)),
    NarrativeRule("机关运行经费", fact_figure("机关运行经费")),
    NarrativeRule("政府采购预算", procurement_figure),
]


# --- the narrative against itself ----------------------------------------------------------------


def _figure(name: str) -> re.Pattern[str]:
    return facts.narrative_rule(name).pattern


@dataclass
class NarrativeSum:
    """A total the text breaks down ("…7.35万元，其中因公出国（境）费0万元；…公务接待费0.06万元"): parts must add up.

    The parts are looked for after the total, in the same section, so "公务用车运行维护费7.29万元" of the
    机关运行经费 section is not taken for the one in the 三公 section.
    """

    name: str
    total: re.Pattern[str]
    parts: list[tuple[str, re.Pattern[str]]]

    def __call__(self, disclosure: Disclosure, checks: CheckCollector) -> None:
        for section in disclosure.sections:
            body = section.markdown.replace("**", "")
            match = self.total.search(body)
            if match is None:
                continue
            terms = []
            for label, pattern in self.parts:
                part = pattern.search(body, match.end())
                if part is None:
                    return  # the text does not give the whole breakdown
                terms.append(Term(label, facts.figure_value(part)))
            checks.compare(
                f"narrative-sum:{self.name}",
                f"正文（{section.title}）",
                Term(self.name, facts.figure_value(match)),
                terms,
            )
            return


def _income_breakdown(disclosure: Disclosure, checks: CheckCollector) -> None:
    """预算收入X万元，其中：一般公共预算收入…万元，基金预算收入…万元，…上年结转结余…万元。 — all of the clause."""
    total = _figure("预算收入")
    for section in disclosure.sections:
        body = section.markdown.replace("**", "")
        match = total.search(body)
        if match is None:
            continue
        clause = re.match(r"[，,]其中[：:]?([^。；;]*)", body[match.end() :])
        if clause is None:
            return
        items = re.findall(r"([^，,、：:]+?)" + facts.NUMBER + "万元", clause.group(1))
        if len(items) < 2:
            return
        checks.compare(
            "narrative-sum:预算收入",
            f"正文（{section.title}）",
            Term("预算收入", facts.figure_value(match)),
            [Term(label, Decimal(value.replace(",", ""))) for label, value in items],
        )
        return


NARRATIVE_SUMS: list[Callable[[Disclosure, CheckCollector], None]] = [
    _income_breakdown,
    NarrativeSum(
        "支出预算",
        _figure("支出预算"),
        [("基本支出", _figure("基本支出")), ("项目支出", _figure("项目支出"))],
    ),
    NarrativeSum(
        "基本支出",
        _figure("基本支出"),
        [("人员经费", _figure("人员经费")), ("公用经费", _figure("公用经费"))],
    ),
    NarrativeSum(
        "三公经费",
        _figure("三公经费"),
        [
            ("因公出国（境）费", _figure("因公出国（境）费")),
            ("公务用车购置及运维费", _figure("公务用车购置及运维费")),
            ("公务接待费", _figure("公务接待费")),
        ],
    ),
    NarrativeSum(
        "公务用车购置及运维费",
        _figure("公务用车购置及运维费"),
        [
            ("公务用车购置费", _figure("公务用车购置费")),
            ("公务用车运行维护费", _figure("公务用车运行维护费")),
        ],
    ),
]


def narrative_sums(disclosure: Disclosure, checks: CheckCollector) -> None:
    """Run every NARRATIVE_SUMS rule."""
    for rule in NARRATIVE_SUMS:
        rule(disclosure, checks)
