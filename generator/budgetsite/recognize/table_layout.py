"""What a recognized table's columns and rows mean: code column, name column, amounts, total rows.

The one answer for every stage after recognition: the checks add up what this module calls amounts and
totals, the site shows and links what it calls codes, names and totals, the downloads label rows with it.
Columns are found by the content model's keys (function_code / economic_code, name, total …) first and
by printed labels second, so hand-made or unusual tables in the content tree are read the same way.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field
from decimal import Decimal

from budgetsite.model import Cell, Table

CODE_KEYS = ("function_code", "economic_code", "code")
# Which classification a code column holds; a code column of another key ("code") links nowhere.
CODE_KINDS = {"function_code": "function", "economic_code": "economic"}
SERIAL_KEYS = ("seq", "no", "number")
# The whole label of a table's grand-total row (whitespace removed, no code in the row).
TOTAL_LABELS = frozenset({"合计", "总计", "总合计"})
# A row that adds up others ends with one of these: the grand total, 收入总计, "…中心小计" of procurement.
SUM_ENDINGS = ("合计", "总计", "小计")


def text(cell: Cell) -> str:
    """Cell text without any whitespace (a wrapped cell may keep a stray space: 合  计)."""
    # str.split() splits at what re's \s matches, and a site build calls this for every coded row
    return "".join(cell.split()) if isinstance(cell, str) else ""


def number(cell: Cell) -> Decimal | None:
    """The cell's Decimal when it is a finite number, else None."""
    return cell if isinstance(cell, Decimal) and cell.is_finite() else None


def last_part(label: str) -> str:
    """The lowest header of a flattened multi-row label ('本年收入 / 小计' → '小计')."""
    return re.sub(r"\s+", "", label.split(" / ")[-1])


@dataclass
class Layout:
    """Which columns of a table hold the code, the row name and the amounts (see `Layout.of`).

    The amount columns are found when first asked for (the checks ask; a site build, which reads the
    code and name of every table of every department-year, does not).
    """

    table: Table = field(repr=False, compare=False)
    code: int | None
    name: int | None
    serial: frozenset[int] = frozenset()  # 序号 columns
    code_kind: str | None = None  # "function" / "economic" when the code column's key says so

    @classmethod
    def of(cls, table: Table) -> Layout:
        """Find code and name columns by key, falling back to printed labels."""
        keys = [c.key for c in table.columns]
        labels = [re.sub(r"\s+", "", c.label) for c in table.columns]
        code = next((i for i, k in enumerate(keys) if k in CODE_KEYS), None)
        if code is None:
            code = next((i for i, label in enumerate(labels) if "编码" in label or "代码" in label), None)
        serial = frozenset(
            i
            for i, (k, label) in enumerate(zip(keys, labels, strict=True))
            if k in SERIAL_KEYS or label == "序号"
        )

        def textual(index: int) -> bool:
            return any(
                isinstance(row[index], str) and text(row[index]) for row in table.rows if index < len(row)
            )

        name = next((i for i, k in enumerate(keys) if k == "name"), None)
        if name is None:
            candidates = [i for i in range(len(keys)) if i != code and i not in serial and textual(i)]
            name = next((i for i in candidates if "名称" in labels[i] or "项目" in labels[i]), None)
            if name is None and candidates:
                name = candidates[0]
        kind = CODE_KINDS.get(keys[code]) if code is not None else None
        return cls(table, code, name, serial, kind)

    @functools.cached_property
    def amounts(self) -> list[int]:
        """The money/number columns (not the code, name or 序号 columns)."""
        return [
            i
            for i in range(len(self.table.columns))
            if i not in (self.code, self.name) and i not in self.serial and _holds_amounts(self.table, i)
        ]

    @functools.cached_property
    def code_amounts(self) -> list[int]:
        """The amounts that belong to the code column: up to the next code or label column. A 基本支出决算表
        printed in two halves (人员经费 codes left, 公用经费 codes right, 上海 11) has two code columns."""
        return _code_amounts(self.table, self.code, self.name, self.amounts)

    def code_of(self, row: list[Cell]) -> str:
        """The row's classification code (digits, wrap spaces removed), or ''."""
        value = text(row[self.code]) if self.code is not None and self.code < len(row) else ""
        return value if value.isdigit() else ""

    def name_of(self, row: list[Cell]) -> str:
        """The row's name as printed: its name cell, else (none, or blank there) its first text cell that
        is not a number. A 合计 or group row may print its label in another column than the items' names
        (江苏 2017 采购表: 合计 / 一、货物A under 采购品目大类, items under 专项名称)."""
        if self.name is not None and self.name < len(row):
            value = row[self.name]
            if isinstance(value, str) and text(value):
                return value
        return next((c for c in row if isinstance(c, str) and text(c) and not text(c).isdigit()), "")

    def label_of(self, row: list[Cell]) -> str:
        """The row's name without whitespace, for comparing with printed labels."""
        return text(self.name_of(row))

    def is_total_row(self, row: list[Cell]) -> bool:
        """The table's grand-total row: no code, and its name is 合计, 总计 or 总合计."""
        return not self.code_of(row) and self.label_of(row) in TOTAL_LABELS

    def sums_others(self, row: list[Cell]) -> bool:
        """A row that adds up others (grand total, 收入总计, …小计): no code, name ending so."""
        return not self.code_of(row) and self.label_of(row).endswith(SUM_ENDINGS)

    def total_row(self, rows: list[list[Cell]]) -> list[Cell] | None:
        """The first grand-total row among `rows`, if any."""
        return next((row for row in rows if self.is_total_row(row)), None)


def _code_amounts(table: Table, code: int | None, name: int | None, amounts: list[int]) -> list[int]:
    if code is None:
        return []
    owned = []
    for index in range(code + 1, len(table.columns)):
        if index in amounts:
            owned.append(index)
        elif owned and index != name and _looks_like_label(table, index):
            break  # codes split over 类/款/项 columns come before the first amount; a later code column does not
    return owned


def _looks_like_label(table: Table, index: int) -> bool:
    """A code or name column (by key or header), or one holding text."""
    column = table.columns[index]
    label = re.sub(r"\s+", "", column.label)
    if column.key in CODE_KEYS or column.key.startswith("name") or "编码" in label or "名称" in label:
        return True
    return last_part(column.label) in ("类", "款", "项") or any(
        isinstance(row[index], str) and text(row[index]) for row in table.rows if index < len(row)
    )


def _holds_amounts(table: Table, index: int) -> bool:
    """A money/number column: mostly numbers, and not a code column split into 类/款/项 parts.

    A source that prints codes over 类/款/项 columns may reach us with those parts parsed as numbers
    (201 / 6 / 1); adding them up would be nonsense, so code-like headers never count as amounts.
    """
    column = table.columns[index]
    label = re.sub(r"\s+", "", column.label)
    if column.key in CODE_KEYS or column.key.startswith("name") or column.key in SERIAL_KEYS:
        return False
    if "编码" in label or "代码" in label or last_part(column.label) in ("类", "款", "项"):
        return False
    numbers = sum(1 for row in table.rows if index < len(row) and isinstance(row[index], Decimal))
    texts = sum(
        1 for row in table.rows if index < len(row) and isinstance(row[index], str) and text(row[index])
    )
    return numbers > 0 and numbers >= texts
