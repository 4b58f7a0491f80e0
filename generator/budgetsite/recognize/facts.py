"""Facts: the named, comparable figures of a disclosure, each with the cell or sentence it was read from.

Comparison pages (三公, years, codes, trends, home) read facts, never column labels. Which printed label
feeds which fact is data, below: one table per template family (`FAMILY_LABELS`), read by a reviewer
and documented in the README (section Facts). A figure a template does not print is absent, never guessed.

The narrative figures ("“三公”经费预算安排7.35万元") are read here too, by one extractor
(`NARRATIVE_FIGURES`, `find_narrative_figure`) that the checks and the site share.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal

from budgetsite.model import Disclosure, Fact, FactSource, Table
from budgetsite.units import convert

# --- the fact names -------------------------------------------------------------------------------------

SANGONG_TOTAL = "三公经费合计"
ABROAD = "因公出国（境）费"
VEHICLES = "公务用车购置及运行维护费"
VEHICLE_PURCHASE = "公务用车购置费"
VEHICLE_RUNNING = "公务用车运行维护费"
RECEPTION = "公务接待费"

# name → what it means. Code lines are facts too: "function:2150805", "economic:30101".
FACTS: dict[str, str] = {
    "收入总计": "收支总表 income side grand total (本年收入 + 上年结转)",
    "本年收入合计": "收支总表 this year's income (without carry-over)",
    "支出总计": "收支总表 expenditure side grand total (本年支出 + 结转下年)",
    "本年支出合计": "收支总表 this year's expenditure",
    "支出合计": "部门支出总表 (or 支出决算表) 合计 row, 合计 column",
    "基本支出": "部门支出总表 合计 row, 基本支出 column",
    "项目支出": "部门支出总表 合计 row, 项目支出 column",
    "人员经费": "一般公共预算基本支出表 合计 row, 人员经费 column",
    "公用经费": "一般公共预算基本支出表 合计 row, 公用经费 column",
    "财政拨款收入": "财政拨款收支总表 本年收入合计 (else its 收入总计 where no carry-over is printed)",
    "财政拨款支出": "财政拨款收支总表 本年支出合计 (else its 支出总计)",
    "一般公共预算支出": "一般公共预算(财政拨款)支出表 合计",
    "政府性基金支出": "政府性基金预算(财政拨款)支出表 合计",
    "国有资本经营支出": "国有资本经营预算(财政拨款)支出表 合计",
    SANGONG_TOTAL: "“三公”经费 合计 / 小计 (never including 会议费 or 培训费)",
    ABROAD: "因公出国（境）费",
    VEHICLES: "公务用车购置及运行(维护)费 (运维费) 小计",
    VEHICLE_PURCHASE: "公务用车购置费",
    VEHICLE_RUNNING: "公务用车运行(维护)费",
    RECEPTION: "公务接待费",
    "会议费": "会议费 (Jiangsu prints it beside 三公)",
    "培训费": "培训费 (Jiangsu prints it beside 三公)",
    "机关运行经费": "机关运行经费 (its table, the 三公 table's column, or the narrative)",
    "政府采购合计": "政府采购预算表 合计",
}
CODE_FACT_PREFIXES = {"function": "function:", "economic": "economic:"}

# A total and the facts that make it up: checked as `fact-sum:<total>` (check.facts).
FACT_SUMS: dict[str, tuple[str, ...]] = {
    SANGONG_TOTAL: (ABROAD, VEHICLES, RECEPTION),
    VEHICLES: (VEHICLE_PURCHASE, VEHICLE_RUNNING),
}

# --- printed label → fact, per template family ----------------------------------------------------------
#
# Keys are printed labels as they appear (normalized by `normalize_label`: spaces, quotes, ordinals
# 一、/1./（一）, 其中：, a leading 2024年 and half-width brackets do not matter). Groups: the two sides
# of 收支总表 and 财政拨款收支总表 (order = priority: the first label found wins), and the items of the
# 三公 table (a row label, or the column header path with 小计/合计 and 预算数/决算数 taken off).

FAMILY_LABELS: dict[str, dict[str, dict[str, str]]] = {
    "河北 (Hebei: 部门预算收支总表 …, 三公 as rows)": {
        "summary-income": {"收入总计": "收入总计", "本年收入合计": "本年收入合计"},
        "summary-expenditure": {"支出总计": "支出总计", "本年支出合计": "本年支出合计"},
        "fiscal-income": {"本年收入合计": "财政拨款收入", "收入总计": "财政拨款收入"},
        "fiscal-expenditure": {"本年支出合计": "财政拨款支出", "支出总计": "财政拨款支出"},
        "three-public": {
            "“三公”经费小计": SANGONG_TOTAL,
            "合计": SANGONG_TOTAL,
            "因公出国（境）费": ABROAD,
            "公务用车购置及运维费": VEHICLES,
            "公务用车购置费": VEHICLE_PURCHASE,
            "公务用车运行维护费": VEHICLE_RUNNING,
            "公务接待费": RECEPTION,
        },
    },
    "江苏 (Jiangsu: 收支预算总表 …, “三公”经费、会议费、培训费支出预算表 as columns)": {
        "summary-income": {
            "收入合计": "收入总计",
            "当年收入小计": "本年收入合计",
            "一、财政拨款": "财政拨款收入",
        },
        "summary-expenditure": {"支出合计": "支出总计", "当年支出小计": "本年支出合计"},
        "fiscal-income": {"收入合计": "财政拨款收入"},
        "fiscal-expenditure": {"支出合计": "财政拨款支出"},
        # The table's first column 合计 is 三公 + 会议费 + 培训费: no fact (see `_bare_total_is_sangong`).
        "three-public": {
            "“三公”经费 / 小计": SANGONG_TOTAL,
            "因公出国（境）费": ABROAD,
            "公务用车购置及运行维护费 / 小计": VEHICLES,
            "公务用车购置费": VEHICLE_PURCHASE,
            "公务用车运行维护费": VEHICLE_RUNNING,
            "公务接待费": RECEPTION,
            "会议费": "会议费",
            "培训费": "培训费",
        },
    },
    "上海区级 (Shanghai district: 部门财务收支预算总表 …, 部门“三公”经费和机关运行经费预算表)": {
        "summary-income": {"收入总计": "收入总计", "一、财政拨款收入": "财政拨款收入"},
        "summary-expenditure": {"支出总计": "支出总计"},
        "fiscal-income": {"收入总计": "财政拨款收入"},
        "fiscal-expenditure": {"支出总计": "财政拨款支出"},
        "three-public": {
            "“三公”经费预算数 / 合计": SANGONG_TOTAL,
            "因公出国(境)费": ABROAD,
            "公务用车购置及运行费 / 小计": VEHICLES,
            "购置费": VEHICLE_PURCHASE,
            "运行费": VEHICLE_RUNNING,
            "公务接待费": RECEPTION,
            "机关运行经费预算数": "机关运行经费",
        },
    },
    "上海市级 (Shanghai municipal: 财政拨款“三公”经费预算表)": {
        "summary-income": {"收入总计": "收入总计"},
        "summary-expenditure": {"支出总计": "支出总计"},
        "fiscal-income": {"收入总计": "财政拨款收入"},
        "fiscal-expenditure": {"支出总计": "财政拨款支出"},
        "three-public": {
            "“三公”经费合计": SANGONG_TOTAL,
            "因公出国（境）费": ABROAD,
            "公务用车购置及运行费": VEHICLES,
            "公务用车购置费": VEHICLE_PURCHASE,
            "公务用车运行费": VEHICLE_RUNNING,
            "公务接待费": RECEPTION,
        },
    },
    "决算 (final accounts: 收入支出决算总表 …, 财政拨款“三公”经费支出决算表, 决算数 columns)": {
        "summary-income": {"总计": "收入总计", "本年收入合计": "本年收入合计"},
        "summary-expenditure": {"总计": "支出总计", "本年支出合计": "本年支出合计"},
        "fiscal-income": {"本年收入合计": "财政拨款收入", "总计": "财政拨款收入"},
        "fiscal-expenditure": {"本年支出合计": "财政拨款支出", "总计": "财政拨款支出"},
        "three-public": {
            "财政拨款“三公”经费 / 合计": SANGONG_TOTAL,
            "因公出国（境）费": ABROAD,
            "公务用车购置及运行费 / 小计": VEHICLES,
            "公务用车购置费": VEHICLE_PURCHASE,
            "公务用车运行费": VEHICLE_RUNNING,
            "公务接待费": RECEPTION,
        },
    },
}

# 三公 items in spellings no family table lists (a template not seen yet): the first pattern found in the
# item decides. Order matters: 机关运行经费 before 运行, 购置及/和/与运… before 购置, the parts before 三公.
THREE_PUBLIC_KEYWORDS: tuple[tuple[str, str], ...] = (
    ("机关运行经费", "机关运行经费"),
    ("会议", "会议费"),
    ("培训", "培训费"),
    ("因公出国", ABROAD),
    ("接待", RECEPTION),
    ("购置.{0,2}运", VEHICLES),
    ("购置", VEHICLE_PURCHASE),
    ("运行|运维", VEHICLE_RUNNING),
    ("三公", SANGONG_TOTAL),
)
# Sub-items that are no fact: 其中：教学科研人员因公出国（境）费, 其他因公出国（境）费 (Hebei rows 4 and 5).
_NOT_AN_ITEM = ("教学科研", "其他")

# 合计 rows of other tables: table ids (budget, 决算) → column key → fact.
TOTAL_ROW_FACTS: dict[tuple[str, ...], dict[str, str]] = {
    ("expenditure-summary", "expenditure-final"): {
        "total": "支出合计",
        "basic": "基本支出",
        "project": "项目支出",
    },
    ("general-public-budget-expenditure", "general-public-budget-expenditure-final"): {
        "total": "一般公共预算支出"
    },
    ("government-fund-expenditure", "government-fund-final"): {
        "total": "政府性基金支出",
        "subtotal": "政府性基金支出",
    },
    ("state-capital-expenditure", "state-capital-final"): {
        "total": "国有资本经营支出",
        "subtotal": "国有资本经营支出",
    },
    ("general-public-budget-basic-expenditure", "general-public-budget-basic-expenditure-final"): {
        "personnel": "人员经费",
        "public": "公用经费",
    },
    ("procurement",): {"total": "政府采购合计"},
}
SUMMARY_TABLES = ("income-expenditure-summary", "income-expenditure-final")
FISCAL_TABLES = ("fiscal-appropriation-summary", "fiscal-appropriation-final")
THREE_PUBLIC_TABLES = ("three-public-expenses", "three-public-expenses-final")
# Where code lines are read: the first of these tables the disclosure has.
CODE_TABLES = {
    "function": (
        "expenditure-summary",
        "expenditure-final",
        "general-public-budget-expenditure",
        "general-public-budget-expenditure-final",
    ),
    "economic": ("general-public-budget-basic-expenditure", "general-public-budget-basic-expenditure-final"),
}
# A table of its own for 机关运行经费 (Jiangsu: 一般公共预算机关运行经费支出预算表): its 合计 row.
OPERATING_COSTS_TITLE = "机关运行经费"
_TOTAL_WORDS = ("合计", "总计")
_MEASURES = {"budget": "预算数", "final-accounts": "决算数"}


# --- labels ---------------------------------------------------------------------------------------------

_ORDINAL = re.compile(
    r"^(?:其中[:：]?|[一二三四五六七八九十]+[、.．]|\d+[、.．]|[（(][一二三四五六七八九十\d]+[)）])+"
)
_LEADING_YEAR = re.compile(r"^\d{4}年")


def normalize_label(label: str) -> str:
    """A printed label without what varies between printings: spaces, quotes, ordinals, a leading year.

    "二、公务用车购置及运维费" → "公务用车购置及运维费"; "2024年“三公”经费预算数" → "三公经费预算数";
    "因公出国(境)费" → "因公出国（境）费".
    """
    label = re.sub(r"\s+", "", label).replace("(", "（").replace(")", "）")
    label = re.sub('[“”"‘’]', "", label)
    label = _LEADING_YEAR.sub("", _ORDINAL.sub("", label))
    return label


def _label_map(group: str) -> dict[str, str]:
    """One group's labels of every family, normalized; the first family to name a label decides."""
    merged: dict[str, str] = {}
    for groups in FAMILY_LABELS.values():
        for label, fact in groups.get(group, {}).items():
            key = " / ".join(normalize_label(part) for part in label.split(" / "))
            merged.setdefault(key, fact)
    return merged


_SUMMARY_INCOME = _label_map("summary-income")
_SUMMARY_EXPENDITURE = _label_map("summary-expenditure")
_FISCAL_INCOME = _label_map("fiscal-income")
_FISCAL_EXPENDITURE = _label_map("fiscal-expenditure")
_THREE_PUBLIC = _label_map("three-public")


# --- reading facts --------------------------------------------------------------------------------------


@dataclass
class _Found:
    """Facts found so far; the first of a name wins (tables before the narrative)."""

    facts: dict[str, Fact]

    def add(self, name: str, value: Decimal, unit: str | None, source: FactSource) -> None:
        printed_unit = (unit or "万元").strip()
        if name in self.facts or printed_unit not in ("元", "万元"):
            return  # another unit (千元 …) is not one the facts schema carries: absent, not guessed
        self.facts[name] = Fact(
            name=name,
            printed=format(value, "f"),
            unit=printed_unit,
            value_wan=convert(value, printed_unit),
            source=source,
        )


def _tables(disclosure: Disclosure, ids: tuple[str, ...]) -> Iterator[tuple[int, Table]]:
    for index, table in enumerate(disclosure.tables):
        if table.id in ids:
            yield index, table


def _cell_source(table: Table, t_index: int, r_index: int, row_label: str, column: int) -> FactSource:
    return FactSource(
        table=table.id,
        row=row_label,
        column=table.columns[column].label if column < len(table.columns) else "",
        page=table.source_page,
        table_index=t_index,
        row_index=r_index,
    )


def _name_column(table: Table) -> int | None:
    return next((i for i, c in enumerate(table.columns) if c.key == "name"), None)


def _row_label(table: Table, row: list) -> str:
    name = _name_column(table)
    if name is not None and name < len(row) and isinstance(row[name], str):
        return row[name]
    return next((c for c in row if isinstance(c, str) and c.strip() and not c.strip().isdigit()), "")


def _total_row(table: Table) -> int | None:
    """The 合计 row; a table of one row of figures without labels (Jiangsu 支出预算总表) is its own total."""
    for r_index, row in enumerate(table.rows):
        if normalize_label(_row_label(table, row)) in _TOTAL_WORDS:
            return r_index
    if len(table.rows) == 1 and not any(isinstance(c, str) and c.strip() for c in table.rows[0]):
        return 0
    return None


def _pair_side_facts(found: _Found, t_index: int, table: Table, side: str, labels: dict[str, str]) -> None:
    """Facts of one side ('income' or 'expenditure') of a two-sided total table (收支总表): the amount
    right of a label in that side's item column, before the next label."""
    sides = {i for i, c in enumerate(table.columns) if c.key.startswith(side + "_item")}
    located: dict[str, tuple[int, int, str, Decimal]] = {}
    for r_index, row in enumerate(table.rows):
        for c_index, cell in enumerate(row):
            if sides and c_index not in sides:
                continue  # 决算 prints 总计 on both sides: read each side's own column
            if not isinstance(cell, str) or normalize_label(cell) not in labels:
                continue
            for v_index in range(c_index + 1, len(row)):
                value = row[v_index]
                if isinstance(value, Decimal):
                    located.setdefault(normalize_label(cell), (r_index, v_index, cell, value))
                    break
                if isinstance(value, str) and value.strip():
                    break  # the next label: this one printed no amount
    for label, name in labels.items():  # mapping order is priority
        if label in located and name not in found.facts:
            r_index, v_index, printed_label, value = located[label]
            found.add(name, value, table.unit, _cell_source(table, t_index, r_index, printed_label, v_index))


def three_public_fact(item: str) -> str | None:
    """The fact a normalized 三公 item names: the family tables first, then THREE_PUBLIC_KEYWORDS."""
    if item in _THREE_PUBLIC:
        return _THREE_PUBLIC[item]
    last = item.split(" / ")[-1]
    if not last or any(word in last for word in _NOT_AN_ITEM):
        return None
    return next((fact for pattern, fact in THREE_PUBLIC_KEYWORDS if re.search(pattern, last)), None)


def _three_public_item(path: str, kind: str) -> str | None:
    """The 三公 item a column header path names, normalized, or None: "…/公务用车购置费/决算数" →
    "公务用车购置费"; "“三公”经费 / 公务用车购置及运行维护费 / 小计" → "公务用车购置及运行维护费 / 小计"."""
    parts = [normalize_label(p) for p in path.split(" / ") if p.strip()]
    if parts and parts[-1] in _MEASURES.values():
        if parts[-1] != _MEASURES.get(kind, "预算数"):
            return None  # a 决算 table's 预算数 column is not the figure of this disclosure
        parts.pop()
    if not parts:
        return None
    # The deepest segment, then it with its parent (小计/合计 columns are named by their parent).
    for depth in (1, 2):
        key = " / ".join(parts[-depth:])
        if key in _THREE_PUBLIC:
            return key
    if parts[-1] in ("小计", "合计") and len(parts) > 1:
        return parts[-2]  # "<some item> / 小计": the item, for the keywords to name
    return parts[-1]


def _bare_total_is_sangong(facts: list[str | None]) -> bool:
    """A bare 合计 is the 三公 total only where the table holds nothing but 三公 (Jiangsu adds 会议费, 培训费)."""
    return not any(fact in ("会议费", "培训费") for fact in facts)


def _is_three_public_table(table: Table) -> bool:
    # An unrecognized table titled like one (other-N "“三公”经费支出预算表") still prints the 三公 figures.
    return table.id in THREE_PUBLIC_TABLES or (table.id.startswith("other") and "三公" in table.title)


def _three_public_facts(found: _Found, disclosure: Disclosure) -> None:
    for t_index, table in enumerate(disclosure.tables):
        if not _is_three_public_table(table):
            continue
        amount = _amount_column(table)
        labelled = [(r, label, three_public_fact(normalize_label(label))) for r, label in _row_labels(table)]
        row_items = [(r, label, fact) for r, label, fact in labelled if fact is not None]
        if len(row_items) >= 2 and amount is not None:
            # Hebei: one row per item, the amount under 合计.
            bare_ok = _bare_total_is_sangong([fact for _, _, fact in row_items])
            for r_index, label, fact in row_items:
                value = table.rows[r_index][amount] if amount < len(table.rows[r_index]) else None
                if isinstance(value, Decimal) and (normalize_label(label) != "合计" or bare_ok):
                    found.add(fact, value, table.unit, _cell_source(table, t_index, r_index, label, amount))
            continue
        # Jiangsu, Shanghai, 决算: one column per item, one row of figures.
        items = [(c, _three_public_item(col.label, disclosure.kind)) for c, col in enumerate(table.columns)]
        facts = [(c, item, three_public_fact(item) if item else None) for c, item in items]
        bare_ok = _bare_total_is_sangong([fact for _, _, fact in facts])
        figures = next(
            (r for r, row in enumerate(table.rows) if any(isinstance(v, Decimal) for v in row)), None
        )
        if figures is None:
            continue
        row = table.rows[figures]
        for c_index, item, name in facts:
            if name is None or (item == "合计" and not bare_ok) or c_index >= len(row):
                continue
            value = row[c_index]
            if isinstance(value, Decimal):
                source = _cell_source(table, t_index, figures, _row_label(table, row), c_index)
                found.add(name, value, table.unit, source)


def _row_labels(table: Table) -> list[tuple[int, str]]:
    return [(r, _row_label(table, row)) for r, row in enumerate(table.rows)]


def _amount_column(table: Table) -> int | None:
    """The main amount column: key 'total', else a label ending in 合计/总计/金额/预算数/决算数."""
    for index, column in enumerate(table.columns):
        if column.key == "total":
            return index
    for index, column in enumerate(table.columns):
        last = normalize_label(column.label.split(" / ")[-1])
        if last in ("合计", "总计", "金额", "预算数", "决算数"):
            return index
    return None


def _total_row_facts(found: _Found, disclosure: Disclosure) -> None:
    for ids, columns in TOTAL_ROW_FACTS.items():
        for t_index, table in _tables(disclosure, ids):
            r_index = _total_row(table)
            if r_index is None:
                continue
            row = table.rows[r_index]
            for c_index, column in enumerate(table.columns):
                name = columns.get(column.key)
                if name is None and column.key.startswith("col_") and c_index == _amount_column(table):
                    name = columns.get("total")  # a 总计 column the recognizer did not key (Jiangsu 采购)
                value = row[c_index] if c_index < len(row) else None
                if name is not None and isinstance(value, Decimal):
                    source = _cell_source(table, t_index, r_index, _row_label(table, row), c_index)
                    found.add(name, value, table.unit, source)


def _operating_costs_fact(found: _Found, disclosure: Disclosure) -> None:
    for t_index, table in enumerate(disclosure.tables):
        if OPERATING_COSTS_TITLE not in table.title or table.id in THREE_PUBLIC_TABLES:
            continue
        r_index = _total_row(table)
        amount = next((i for i, c in enumerate(table.columns) if "机关运行经费" in c.label), None)
        amount = amount if amount is not None else _amount_column(table)
        if r_index is not None and amount is not None and amount < len(table.rows[r_index]):
            value = table.rows[r_index][amount]
            if isinstance(value, Decimal):
                row_label = _row_label(table, table.rows[r_index])
                found.add(
                    "机关运行经费",
                    value,
                    table.unit,
                    _cell_source(table, t_index, r_index, row_label, amount),
                )


def _code_facts(found: _Found, disclosure: Disclosure) -> None:
    for kind, ids in CODE_TABLES.items():
        key = f"{kind}_code"
        for t_index, table in _tables(disclosure, ids):
            code_index = next((i for i, c in enumerate(table.columns) if c.key == key), None)
            amount = _amount_column(table)
            if code_index is None or amount is None:
                continue
            for r_index, row in enumerate(table.rows):
                code = row[code_index] if code_index < len(row) else None
                if not isinstance(code, str) or not code.strip().isdigit() or amount >= len(row):
                    continue
                value = row[amount]
                if isinstance(value, Decimal):
                    label = f"{code.strip()} {_row_label(table, row)}".strip()
                    source = _cell_source(table, t_index, r_index, label, amount)
                    found.add(CODE_FACT_PREFIXES[kind] + code.strip(), value, table.unit, source)
            break  # one table per kind: the first the disclosure has


def extract_facts(disclosure: Disclosure) -> list[Fact]:
    """Every fact the disclosure prints: tables first, then the narrative for what no table gives."""
    found = _Found({})
    for t_index, table in _tables(disclosure, SUMMARY_TABLES):
        _pair_side_facts(found, t_index, table, "income", _SUMMARY_INCOME)
        _pair_side_facts(found, t_index, table, "expenditure", _SUMMARY_EXPENDITURE)
    for t_index, table in _tables(disclosure, FISCAL_TABLES):
        _pair_side_facts(found, t_index, table, "income", _FISCAL_INCOME)
        _pair_side_facts(found, t_index, table, "expenditure", _FISCAL_EXPENDITURE)
    _total_row_facts(found, disclosure)
    _three_public_facts(found, disclosure)
    _operating_costs_fact(found, disclosure)
    _code_facts(found, disclosure)
    for figure in narrative_figures(disclosure):
        if figure.fact is not None:
            source = FactSource(section=figure.section, text=figure.sentence)
            found.add(figure.fact, figure.value, "万元", source)
    return list(found.facts.values())


# --- the narrative: one extractor for checks and site ---------------------------------------------------

NUMBER = r"(\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?)"
# A change, not a level: "增加基本支出844.15万元" (江苏 01), "较上年减少…" — never the figure itself.
_NOT_AFTER_CHANGE = "".join(
    f"(?<!{verb})" for verb in ("增加", "减少", "增长", "下降", "压减", "节约", "调减", "调增")
)
# "公务车购置及运行费", "公务车用车运行费" (普陀 2025 财政局) are printed slips of 公务用车: same figure.
_VEHICLES = r"公务(?:用)?车购置及运(?:行)?(?:维(?:护)?)?费"


@dataclass(frozen=True)
class NarrativeFigureRule:
    """How the text names a figure: `before` the number, in 万元. `fact` is the fact it feeds, if any.

    `section` names the section to read first (三公 parts are read in the 三公 section, so "公务用车运行
    维护费7.29万元" of the 机关运行经费 section is not taken for the 三公 one).
    """

    name: str
    before: str
    fact: str | None = None
    section: str | None = None

    @property
    def pattern(self) -> re.Pattern[str]:
        return _compiled(self.before)

    def patterns_for(self, kind: str) -> list[re.Pattern[str]]:
        """The patterns to try for a disclosure of `kind`, in order: a 决算 states most figures as
        "…决算为X万元", and some plainly ("其中：人员经费2152.26万元")."""
        if kind == "final-accounts":
            return [_compiled(self.before, final=True), self.pattern]
        return [self.pattern]


_PATTERNS: dict[tuple[str, bool], re.Pattern[str]] = {}
# 普陀 2024 决算 p.23: "“三公”经费财政拨款支出年初预算为0.95万元，支出决算为0.00万元": the figure of a
# 决算 is the one after 决算为, within the same clause group (the 年初预算 before it is the budget).
_FINAL_LEVEL = r"[^。；]{0,30}?(?:支出)?决算(?:数)?(?:为|是)"


def _compiled(before: str, final: bool = False) -> re.Pattern[str]:
    # Only a figure written right after its name counts: "基本支出1023.35万元", not "基本支出减少124.92万元".
    key = (before, final)
    if key not in _PATTERNS:
        # "因公出国（境）费预算支出222.5万元" (江苏): 预算/支出 may stand between the name and its figure.
        level = _FINAL_LEVEL if final else r"(?:预算)?(?:支出)?(?:为|是|共计|合计|安排)?"
        _PATTERNS[key] = re.compile(_NOT_AFTER_CHANGE + before + level + r"\s*" + NUMBER + r"\s*万元")
    return _PATTERNS[key]


SANGONG_SECTION = "three-public-expenses"
NARRATIVE_FIGURES: list[NarrativeFigureRule] = [
    NarrativeFigureRule("预算收入", r"\d{4}年(?:部门)?(?:预算收入|收入预算)(?:总计|总额)?", "收入总计"),
    NarrativeFigureRule("一般公共预算收入", r"一般公共预算(?:拨款)?收入"),
    NarrativeFigureRule("上年结转结余", r"上年结转(?:结余)?"),
    NarrativeFigureRule("支出预算", r"\d{4}年(?:部门)?(?:支出预算|预算支出)(?:总计|总额)?", "支出总计"),
    NarrativeFigureRule("基本支出", r"基本支出", "基本支出"),
    NarrativeFigureRule("人员经费", r"人员经费", "人员经费"),
    NarrativeFigureRule("公用经费", r"(?:日常)?公用经费", "公用经费"),
    NarrativeFigureRule("项目支出", r"项目支出", "项目支出"),
    NarrativeFigureRule(
        "三公经费", r"“?三公”?经费(?:预算)?(?:安排|合计|支出)?", SANGONG_TOTAL, SANGONG_SECTION
    ),
    NarrativeFigureRule("因公出国（境）费", r"因公出国[（(]境[)）]费", ABROAD, SANGONG_SECTION),
    NarrativeFigureRule("公务用车购置及运维费", _VEHICLES, VEHICLES, SANGONG_SECTION),
    NarrativeFigureRule("公务用车购置费", r"公务用车购置费", VEHICLE_PURCHASE, SANGONG_SECTION),
    NarrativeFigureRule(
        "公务用车运行维护费",
        r"公务(?:用)?车(?:用车)?运(?:行)?(?:维(?:护)?)?费",
        VEHICLE_RUNNING,
        SANGONG_SECTION,
    ),
    NarrativeFigureRule("公务接待费", r"公务接待费", RECEPTION, SANGONG_SECTION),
    NarrativeFigureRule("机关运行经费", r"机关运行经费(?:预算)?", "机关运行经费", "operating-costs"),
    NarrativeFigureRule("政府采购预算", r"政府采购预算(?:总额)?", "政府采购合计"),
]
_BY_NAME = {rule.name: rule for rule in NARRATIVE_FIGURES}


def narrative_rule(name: str) -> NarrativeFigureRule:
    """The rule called `name` (KeyError for an unknown name: a bug in the caller)."""
    return _BY_NAME[name]


def find_narrative_figure(name: str, text: str, start: int = 0, kind: str = "budget") -> re.Match[str] | None:
    """The first figure `name` in `text` from `start` for a disclosure of `kind`; group 1 is the printed
    number (maybe with commas)."""
    text = text.replace("**", "")
    for pattern in narrative_rule(name).patterns_for(kind):
        match = pattern.search(text, start)
        if match is not None:
            return match
    return None


def figure_value(match: re.Match[str]) -> Decimal:
    """The exact value of a matched narrative figure ("1,234.50" → Decimal('1234.50'))."""
    return Decimal(match.group(1).replace(",", ""))


@dataclass(frozen=True)
class NarrativeFigure:
    """A figure read from the text: its rule's name and fact, value in 万元, sentence and section title."""

    name: str
    fact: str | None
    value: Decimal
    sentence: str
    section: str


def _section_order(disclosure: Disclosure, rule: NarrativeFigureRule) -> list[tuple[str, str]]:
    """(title, text) of the sections to search: the rule's own section first, then the whole text."""
    whole = ("", "\n".join(s.markdown for s in disclosure.sections))
    if rule.section is None:
        return [whole]
    own = [
        (s.title, s.markdown)
        for s in disclosure.sections
        if s.id == rule.section or (rule.section == SANGONG_SECTION and "三公" in s.title)
    ]
    return [*own, whole]


def narrative_figure(disclosure: Disclosure, name: str) -> NarrativeFigure | None:
    """The figure `name` as the text first states it (its own section first), or None."""
    rule = narrative_rule(name)
    for title, text in _section_order(disclosure, rule):
        match = find_narrative_figure(name, text, kind=disclosure.kind)
        if match is not None:
            section = title or next(
                (s.title for s in disclosure.sections if match.group(0) in s.markdown.replace("**", "")), ""
            )
            return NarrativeFigure(name, rule.fact, figure_value(match), match.group(0), section)
    return None


def narrative_figures(disclosure: Disclosure) -> list[NarrativeFigure]:
    """Every figure of NARRATIVE_FIGURES the text states."""
    found = (narrative_figure(disclosure, rule.name) for rule in NARRATIVE_FIGURES)
    return [figure for figure in found if figure is not None]
