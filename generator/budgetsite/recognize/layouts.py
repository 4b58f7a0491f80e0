"""Header layouts of other provinces' templates that a generic header split gets wrong.

Shanghai's 预算 and 决算 tables print the classification code over 类 | 款 | 项 columns under two or three
header rows ("项目" / "功能分类科目编码" / "类 款 项"), and 11 (a 决算, ONLYOFFICE) even sets those three labels
in the same grid row as the 合计 data row. The 类/款/项 row is the last header row, however many rows
are above it and whether or not any data follows (empty 政府性基金 tables). 决算 tables that set each
item's 预算数 beside its 决算数 end their header with that row of measures.
"""

from __future__ import annotations

import re

_CODE_PARTS = ("类", "款", "项")
_MEASURES = frozenset({"预算数", "决算数", "年初预算数", "调整预算数", "全年预算数", "执行数"})
_AMOUNT = re.compile(r"^[-−]?\d[\d,]*(\.\d+)?$")


def _code_label_columns(row: list[str]) -> tuple[int, int] | None:
    """Columns (start, end) holding "类 | 款 (| 项)" in `row`, if it has them."""
    cells = [re.sub(r"\s+", "", cell) for cell in row]
    for start in range(len(cells) - 1):
        if cells[start] == "类" and cells[start + 1] == "款":
            end = start + 3 if start + 2 < len(cells) and cells[start + 2] == "项" else start + 2
            return start, end
    return None


def code_label_row(rows: list[list[str]], search: int = 6) -> int | None:
    """Index of the 类/款/项 header row among the first rows, if the table has one."""
    return next((r for r, row in enumerate(rows[:search]) if _code_label_columns(row)), None)


def split_code_label_row(rows: list[list[str]]) -> list[list[str]]:
    """Split a 类/款/项 row that also carries data (11 p8: "类 | 款 | 项 | 合计 | 2,946.25 …") in two.

    The header half keeps 类/款/项 and, elsewhere, the labels of the row above (a merged header cell
    reaching down); the data half keeps the row's other cells with empty code cells.
    """
    index = code_label_row(rows)
    if index is None or index == 0:
        return rows
    start, end = _code_label_columns(rows[index]) or (0, 0)
    row = rows[index]
    others = [cell for c, cell in enumerate(row) if not start <= c < end]
    if not any(_AMOUNT.match(cell.strip()) for cell in others):
        return rows
    above = rows[index - 1]
    header = [row[c] if start <= c < end else (above[c] if c < len(above) else "") for c in range(len(row))]
    data = ["" if start <= c < end else cell for c, cell in enumerate(row)]
    return [*rows[:index], header, data, *rows[index + 1 :]]


def measure_row(rows: list[list[str]], search: int = 6) -> int | None:
    """Index of a header row naming only measures ("预算数 | 决算数 | 预算数 | 决算数", 11's 三公 决算 table)."""
    for r, row in enumerate(rows[:search]):
        cells = {re.sub(r"\s+", "", cell) for cell in row} - {""}
        if len(cells) >= 1 and cells <= _MEASURES and sum(1 for cell in row if cell.strip()) >= 2:
            return r
    return None


def header_end(rows: list[list[str]]) -> int | None:
    """Number of header rows when the last one is a 类/款/项 or a 预算数/决算数 row (None: neither)."""
    index = code_label_row(rows)
    if index is None:
        index = measure_row(rows)
    return None if index is None else index + 1
