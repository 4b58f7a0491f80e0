"""XLSX reader (openpyxl): one table per sheet, its title row first, merged cells expanded, numbers exact."""

from __future__ import annotations

import datetime as dt
import re
import zipfile
from decimal import Context, Decimal, InvalidOperation
from pathlib import Path
from typing import TYPE_CHECKING

from budgetsite.blocks import Block, Paragraph, RawTable
from budgetsite.errors import InputError
from budgetsite.read import ReadResult

if TYPE_CHECKING:  # openpyxl is imported only when a workbook is read (it is slow to import)
    from openpyxl.cell.cell import Cell
    from openpyxl.worksheet.worksheet import Worksheet

# Excel keeps 15 significant digits; anything past them in the stored value is binary noise
# (a formula =0.1+0.2 stores 0.30000000000000004 and shows 0.3).
_EXCEL_DIGITS = Context(prec=15)
_FIXED_DECIMALS = re.compile(r"0\.(0+)")
_NOTE = re.compile(r"^\s*注[:：]")
_META_LABEL = re.compile(r"^(编制|预算主管|预算)?(部门|单位|单位名称)[:：]|^(金额|计量)?单位[:：]")


class XlsxReader:
    """Read an Excel .xlsx workbook: each non-empty sheet becomes one table."""

    extensions: tuple[str, ...] = (".xlsx", ".xlsm")

    def read(self, path: Path) -> ReadResult:
        """Read `path`; InputError for a file that is no readable workbook."""
        import openpyxl

        try:
            workbook = openpyxl.load_workbook(path, data_only=True)
        except (zipfile.BadZipFile, KeyError, ValueError, OSError, TypeError) as error:
            raise InputError(
                f"not a readable .xlsx workbook ({type(error).__name__}; encrypted or corrupt?)",
                path=path,
                hint="open it in Excel or LibreOffice and save an unprotected .xlsx copy",
            ) from None
        blocks: list[Block] = []
        for sheet in workbook.worksheets:
            blocks.extend(sheet_blocks(sheet))
        return ReadResult(blocks=blocks, format="xlsx")


def sheet_blocks(sheet: Worksheet) -> list[Block]:
    """The sheet's title (and 单位 line) as paragraphs, then its grid as one RawTable."""
    grid = [[cell_text(cell) for cell in row] for row in sheet.iter_rows()]
    for merged in sheet.merged_cells.ranges:
        # The text of a merged cell sits in its top-left cell; every position it covers gets it.
        text = grid[merged.min_row - 1][merged.min_col - 1] if merged.min_row <= len(grid) else ""
        for row in range(merged.min_row - 1, min(merged.max_row, len(grid))):
            for column in range(merged.min_col - 1, min(merged.max_col, len(grid[row]))):
                grid[row][column] = text
    grid = _trimmed(grid)
    if not grid:
        return []
    blocks: list[Block] = []
    while grid and _is_title_or_meta(grid[0]):
        blocks.append(Paragraph(" ".join(dict.fromkeys(cell for cell in grid.pop(0) if cell))))
    if not blocks:
        blocks.append(Paragraph(sheet.title.strip()))
    notes: list[str] = []
    # A "注：…" line typed under the table belongs after it, as in print.
    while grid and _NOTE.match(grid[-1][0]) and len(set(filter(None, grid[-1]))) == 1:
        notes.insert(0, grid.pop()[0])
    if grid:
        blocks.append(RawTable(rows=grid))
    blocks.extend(Paragraph(note) for note in notes)
    return blocks


def cell_text(cell: Cell) -> str:
    """A cell as printed: numbers with the digits its number format shows, never a float artefact."""
    value = cell.value
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, int | float):
        return exact_number(value, cell.number_format or "General")
    if isinstance(value, dt.datetime | dt.date):
        return value.date().isoformat() if isinstance(value, dt.datetime) else value.isoformat()
    return str(value).strip()


def exact_number(value: int | float, number_format: str) -> str:
    """The printed digits of a stored number: 15 significant digits, then the format's decimals."""
    if isinstance(value, int):
        number = Decimal(value)
    else:
        try:
            number = _EXCEL_DIGITS.plus(Decimal(repr(value)))
        except InvalidOperation:
            return repr(value)
    percent = "%" in number_format
    if percent:
        number = number * 100
    fixed = _FIXED_DECIMALS.search(number_format.split(";")[0])
    if fixed:
        number = number.quantize(Decimal(1).scaleb(-len(fixed.group(1))))
    text = format(number, "f")
    if "." in text and not fixed:
        text = text.rstrip("0").rstrip(".")
    return text + ("%" if percent else "")


def _trimmed(grid: list[list[str]]) -> list[list[str]]:
    rows = [row for row in grid if any(row)]
    width = max((max((i + 1 for i, cell in enumerate(row) if cell), default=0) for row in rows), default=0)
    return [row[:width] for row in rows]


def _is_title_or_meta(row: list[str]) -> bool:
    cells = [cell for cell in row if cell]
    distinct = list(dict.fromkeys(cells))
    if not distinct:
        return False
    if len(distinct) == 1 and (len(cells) == len(row) or len(row) == 1 or len(cells) == 1):
        return not _looks_numeric(distinct[0])
    return any(_META_LABEL.search(cell) for cell in distinct) and not any(_looks_numeric(c) for c in distinct)


def _looks_numeric(text: str) -> bool:
    try:
        Decimal(text.replace(",", ""))
    except InvalidOperation:
        return False
    return True
