"""Comparisons between the disclosures of one department: budget against actual, and year over year.

Both read named figures in 万元 from the facts layer (`DeptYear.facts`: recognize/facts.py, derived at
load for schema-1 trees) through `headline_figures(dy)` and `code_lines(dy)` (the function:<code> facts).
What the facts layer does not name is read here from the 决算's own columns: its 年初预算数 / 预算数
beside each 决算数 (a code line's row, the 三公 table's 预算数 | 决算数 columns).

All arithmetic is Decimal. 执行率 (execution rate) = 决算数 / 预算数 × 100, rounded half-up to one decimal
place (`RATE_PLACES`); a change in percent likewise. Differences are exact (决算数 − 预算数, this year −
last year), never rounded. Where there is nothing to divide by (a 预算数 of 0 or none), no rate is shown.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from budgetsite.model import FactSource, Table
from budgetsite.recognize.catalog import find_table
from budgetsite.recognize.facts import (
    ABROAD,
    RECEPTION,
    SANGONG_TOTAL,
    VEHICLE_PURCHASE,
    VEHICLE_RUNNING,
    VEHICLES,
)
from budgetsite.site.load import DeptYear
from budgetsite.site.urls import Urls
from budgetsite.units import convert

RATE_PLACES = Decimal("0.1")
HUNDRED = Decimal(100)

# The headline facts, in page order (fact names of recognize/facts.py).
HEADLINE_FACTS = (
    "支出合计",
    "基本支出",
    "项目支出",
    SANGONG_TOTAL,
    ABROAD,
    VEHICLES,
    VEHICLE_PURCHASE,
    VEHICLE_RUNNING,
    RECEPTION,
    "机关运行经费",
)


@dataclass(frozen=True)
class Figure:
    """One figure in 万元 and where it was read (shown beside it)."""

    value: Decimal
    source: str


def headline_figures(dy: DeptYear) -> dict[str, Figure]:
    """Fact name → Figure of the headline facts `dy` prints (its facts; schema-1 trees derive them at load).

    A 决算 三公 table printed as 预算数 | 决算数 columns per part (real/11) gives the 决算数 where the facts
    layer has no 三公 figure of its own.
    """
    found = {
        name: Figure(fact.value_wan, _fact_source(dy, fact.source))
        for name, fact in dy.facts.items()
        if name in HEADLINE_FACTS
    }
    if dy.kind == "final-accounts":
        for name, figure in _sangong_columns(dy, ("决算数",)).items():
            found.setdefault(name, figure)
    return found


def _fact_source(dy: DeptYear, source: FactSource) -> str:
    """'table title · row · column' or the sentence a fact was read from."""
    table = source.table
    if source.table_index is not None and source.table_index < len(dy.disclosure.tables):
        table = dy.disclosure.tables[source.table_index].title
    parts = [table, source.row, source.column]
    if any(parts):
        return " · ".join(str(p) for p in parts if p)
    return source.text or source.section or ""


def execution_rate(budget: Decimal | None, actual: Decimal | None) -> Decimal | None:
    """决算数 / 预算数 × 100, half-up to RATE_PLACES; None without a non-zero budget or an actual."""
    if budget is None or actual is None or budget == 0:
        return None
    return (actual / budget * HUNDRED).quantize(RATE_PLACES, rounding=ROUND_HALF_UP)


def difference(before: Decimal | None, after: Decimal | None) -> Decimal | None:
    """after − before, exact; None when either is missing."""
    return None if before is None or after is None else after - before


# --- budget against actual ------------------------------------------------------------------------------


@dataclass
class BudgetActualRow:
    """One comparable line: a fact or a function code, its 预算数 and 决算数 with their sources."""

    label: str
    code: str | None
    budget: Decimal | None
    actual: Decimal | None
    budget_source: str
    actual_source: str

    @property
    def difference(self) -> Decimal | None:
        return difference(self.budget, self.actual)

    @property
    def rate(self) -> Decimal | None:
        return execution_rate(self.budget, self.actual)


@dataclass
class BudgetActual:
    """The budget-vs-actual page of one department-year (or one unit-year) that has both disclosures."""

    budget: DeptYear
    final: DeptYear
    facts: list[BudgetActualRow] = field(default_factory=list)
    codes: list[BudgetActualRow] = field(default_factory=list)

    @property
    def path(self) -> str:
        """Beside the budget's page: departments/<slug>/<year>/budget-vs-actual/ (or …/units/<u>/…)."""
        return Urls.budget_vs_actual(self.budget.path)


def budget_actual_pairs(years: list[DeptYear]) -> list[BudgetActual]:
    """A BudgetActual for every budget whose 决算 of the same year and level is among `years`."""
    pairs = []
    for budget in years:
        kind, unit = budget.series
        if kind != "budget":
            continue
        final = next(
            (dy for dy in years if dy.year == budget.year and dy.series == ("final-accounts", unit)), None
        )
        if final is not None:
            pairs.append(compare_budget_actual(budget, final))
    return pairs


def compare_budget_actual(budget: DeptYear, final: DeptYear) -> BudgetActual:
    """Every comparable fact and function-code line of a budget and its 决算.

    A 决算 table that prints its own 预算数 (年初预算数) column gives the 预算数 of its lines, named as the
    source; otherwise the budget disclosure's figure is used.
    """
    result = BudgetActual(budget, final)
    planned, spent = headline_figures(budget), headline_figures(final)
    printed = _printed_budget_figures(final)
    for name in HEADLINE_FACTS:
        if name not in planned and name not in spent and name not in printed:
            continue
        plan = printed.get(name) or planned.get(name)
        actual = spent.get(name)
        result.facts.append(
            BudgetActualRow(
                label=name,
                code=None,
                budget=plan.value if plan else None,
                actual=actual.value if actual else None,
                budget_source=_sourced(plan, budget),
                actual_source=_sourced(actual, final),
            )
        )
    budget_lines, final_lines = code_lines(budget), code_lines(final)
    for code in sorted(budget_lines.keys() | final_lines.keys()):
        plan_line, actual_line = budget_lines.get(code), final_lines.get(code)
        plan = plan_line.amount if plan_line else None
        if actual_line is not None and actual_line.budget_printed is not None:
            plan = actual_line.budget_printed  # the 决算's own 年初预算数 wins, and says so
        actual = actual_line.amount if actual_line else None
        result.codes.append(
            BudgetActualRow(
                label=(actual_line or plan_line).name,  # type: ignore[union-attr]
                code=code,
                budget=plan.value if plan else None,
                actual=actual.value if actual else None,
                budget_source=_sourced(plan, budget),
                actual_source=_sourced(actual, final),
            )
        )
    return result


def _sourced(figure: Figure | None, dy: DeptYear) -> str:
    """'预算 · table · column' — which disclosure a figure comes from, unless its source says so already."""
    if figure is None:
        return ""
    return (
        figure.source if figure.source.startswith(("预算", "决算")) else f"{_kind_word(dy)} · {figure.source}"
    )


def _kind_word(dy: DeptYear) -> str:
    return "决算" if dy.kind == "final-accounts" else "预算"


@dataclass
class CodeLineFigures:
    """A function code's line in one disclosure: name, amount and a printed 预算数 (决算 tables only)."""

    name: str
    amount: Figure | None
    budget_printed: Figure | None = None


def code_lines(dy: DeptYear) -> dict[str, CodeLineFigures]:
    """Function code → its line: the disclosure's function-code facts (read from its expenditure table),
    and — in a 决算 — the 年初预算数 its table prints on the same row."""
    lines: dict[str, CodeLineFigures] = {}
    for name, fact in dy.facts.items():
        kind, _, code = name.partition(":")
        if kind != "function" or code in lines:
            continue
        source = fact.source
        table = row = None
        if source.table_index is not None and source.row_index is not None:
            table = dy.disclosure.tables[source.table_index]
            row = table.rows[source.row_index]
        printed = _budget_column(table) if table is not None and dy.kind == "final-accounts" else None
        plan = _decimal_at(row, printed) if row is not None else None
        lines[code] = CodeLineFigures(
            name=dy.layouts[source.table_index].name_of(row)
            if source.table_index is not None and row is not None
            else (source.row or code),
            amount=Figure(fact.value_wan, _fact_source(dy, source)),
            budget_printed=Figure(
                convert(plan, table.unit), f"决算 · {table.title} · {table.columns[printed].label}"
            )
            if plan is not None and table is not None and printed is not None
            else None,
        )
    return lines


def _decimal_at(row: Sequence[object], index: int | None) -> Decimal | None:
    if index is None or index >= len(row):
        return None
    value = row[index]
    return value if isinstance(value, Decimal) else None


def _budget_column(table: Table) -> int | None:
    """The 年初预算数 / 预算数 column a 决算 table prints beside its 决算数, if any."""
    for index, column in enumerate(table.columns):
        last = column.label.split(" / ")[-1]
        if "年初预算" in last or last in ("预算数", "全年预算数"):
            return index
    return None


_SANGONG_WORDS = (
    (VEHICLE_PURCHASE, ("公务用车购置费",)),
    (VEHICLE_RUNNING, ("公务用车运行费", "公务用车运行维护费", "运行维护费")),
    (VEHICLES, ("公务用车购置及运行费", "公务用车购置及运行维护费", "公务用车购置及运维费")),
    (ABROAD, ("因公出国（境）费", "因公出国(境)费")),
    (RECEPTION, ("公务接待费",)),
    (SANGONG_TOTAL, ("合计", "小计")),
)


def _sangong_columns(dy: DeptYear, heading: tuple[str, ...]) -> dict[str, Figure]:
    """三公 figures of a 三公 table that prints one column per part and figure: real/11's 决算 table heads
    each part with 预算数 | 决算数 ("财政拨款“三公”经费 / 因公出国（境）费 / 预算数"). `heading`: the last
    header words to read (("预算数", "年初预算数") or ("决算数",))."""
    table = find_table(dy.disclosure, "three-public-expenses")
    if table is None or not table.rows:
        return {}
    found: dict[str, Figure] = {}
    for index, column in enumerate(table.columns):
        parts = column.label.split(" / ")
        if parts[-1] not in heading:
            continue
        value = _decimal_at(table.rows[0], index)
        name = _sangong_part(parts[:-1])
        if value is not None and name is not None and name not in found:
            found[name] = Figure(convert(value, table.unit), f"{table.title} · {column.label}")
    return found


def _printed_budget_figures(final: DeptYear) -> dict[str, Figure]:
    """The 预算数 a 决算's own 三公 table prints, marked as read from the 决算."""
    return {
        name: Figure(figure.value, f"决算 · {figure.source}")
        for name, figure in _sangong_columns(final, ("预算数", "年初预算数")).items()
    }


def _sangong_part(header: list[str]) -> str | None:
    """The 三公 part a header path names: its most specific part first, 合计/小计 only when none is named."""
    for words_of in (_SANGONG_WORDS[:-1], _SANGONG_WORDS[-1:]):
        for part in reversed(header):
            for name, words in words_of:
                if any(word in part for word in words):
                    return name
    return None


# --- year over year -------------------------------------------------------------------------------------


@dataclass
class YearCell:
    value: Decimal | None
    change: Decimal | None
    percent: Decimal | None


@dataclass
class YearSeries:
    """One headline fact of one series over its years."""

    name: str
    cells: list[YearCell]


def year_over_year(years: list[DeptYear]) -> list[YearSeries]:
    """Each headline fact across `years` (one series, by year) with change and percent against the year before.

    A change needs both years; the percent also needs a non-zero earlier value (half-up, RATE_PLACES).
    Facts no year prints are left out.
    """
    figures = [headline_figures(dy) for dy in years]
    series = []
    for name in HEADLINE_FACTS:
        values = [f[name].value if name in f else None for f in figures]
        if all(v is None for v in values):
            continue
        cells = []
        for index, value in enumerate(values):
            before = values[index - 1] if index > 0 else None
            change = difference(before, value)
            percent = (
                (change / before * HUNDRED).quantize(RATE_PLACES, rounding=ROUND_HALF_UP)
                if change is not None and before
                else None
            )
            cells.append(YearCell(value, change, percent))
        series.append(YearSeries(name, cells))
    return series
