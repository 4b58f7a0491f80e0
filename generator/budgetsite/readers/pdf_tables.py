"""Ruled tables on one PDF page → clean grids; pieces of one table on consecutive pages → one grid.

pdfplumber finds the cells from ruling lines; this module turns its cells into a rectangular grid with
merged cells expanded (a spanning cell's text repeated in every position it covers), drops the phantom
columns that only a title row's ruling created, lifts title/unit rows out of the grid, and joins a
table continued on the next page (none of pdfplumber, camelot or tabula does that).
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass, field

from pdfplumber.page import Page
from pdfplumber.table import Table

from budgetsite.readers.cjk import join_wrapped
from budgetsite.readers.pdf_text import page_lines

Bbox = tuple[float, float, float, float]

# Background fills (03b draws a white page-size rect behind every table) are no ruling: keep only lines,
# stroked rects and hairline rects (the thin filled rects WPS/Acrobat use as borders).
_HAIRLINE = 3.0

# Inner right padding of a table cell (LibreOffice 0.19 cm, WPS about the same), in points.
_CELL_PADDING = 6.0
_NUMBER = re.compile(r"^[-−]?[\d,]+(\.\d+)?%?$")
_META_LABEL = re.compile(r"^(编制)?(部门|单位|预算单位|单位名称|编制单位|预算主管部门)[:：]|^单位[:：]|金额单位")
_ENUMERATOR = re.compile(r"^([一二三四五六七八九十]+、|（[一二三四五六七八九十]+）|\(\d+\)|\d+[.．、]|其中)")


@dataclass
class TablePiece:
    """One ruled table as found on one page, already a clean grid."""

    rows: list[list[str]]
    page: int
    bbox: Bbox
    column_edges: list[float]
    lifted_lines: list[str] = field(default_factory=list)


def ruling_settings() -> dict[str, object]:
    """pdfplumber table settings: cells from ruling lines only (our own whitespace pass handles the rest)."""
    return {"vertical_strategy": "lines", "horizontal_strategy": "lines", "intersection_tolerance": 3}


def without_background_fills(page: Page) -> Page:
    """The page minus large unstroked filled rects, which pdfplumber would take for cell borders."""

    def keep(obj: dict) -> bool:
        if obj.get("object_type") != "rect" or obj.get("stroke"):
            return True
        return obj["width"] <= _HAIRLINE or obj["height"] <= _HAIRLINE

    return page.filter(keep)


def piece_from_table(table: Table, chars: list[dict], page_number: int) -> TablePiece | None:
    """Turn one pdfplumber table into a clean grid, or None when it holds no real table (a framed box).

    `chars` are the page's characters; cell text is built from them here (not pdfplumber's extract)
    so that wide gaps stay one space and wraps inside Chinese text leave none.
    """
    cells = table.cells
    row_tops = sorted({round(cell[1], 1) for cell in cells})
    col_lefts = sorted({round(cell[0], 1) for cell in cells})
    if len(col_lefts) < 2:
        return None
    # grid[r][c] = index of the cell covering that grid position; a merged cell covers several.
    grid = [[_covering_cell(cells, left + 0.5, top + 0.5) for left in col_lefts] for top in row_tops]
    cell_chars: dict[int, list[dict]] = {}
    x0, top, x1, bottom = table.bbox
    for char in chars:
        middle_x = (char["x0"] + char["x1"]) / 2
        middle_y = (char["top"] + char["bottom"]) / 2
        if not (x0 <= middle_x <= x1 and top <= middle_y <= bottom):
            continue
        row = max(bisect_right(row_tops, middle_y) - 1, 0)
        column = max(bisect_right(col_lefts, middle_x) - 1, 0)
        index = grid[row][column]
        if index is not None:
            cell_chars.setdefault(index, []).append(char)
    text_of = {index: _cell_text(found, cells[index], page_number) for index, found in cell_chars.items()}

    lifted: list[str] = []
    # 01/03b put the title and the 部门/单位 line inside the table frame; they are no table rows.
    while grid and _is_title_or_meta_row(grid[0], text_of):
        for index in dict.fromkeys(grid[0]):
            if index is not None and index in cell_chars:
                lifted.extend(line.text for line in page_lines(cell_chars[index], page_number))
        grid.pop(0)
    if not grid:
        return None
    keep_cols = [0] + [c for c in range(1, len(col_lefts)) if any(row[c] != row[c - 1] for row in grid)]
    grid = [[row[c] for c in keep_cols] for row in grid]
    rows = [[text_of.get(i, "") if i is not None else "" for i in row] for row in grid]
    edges = [col_lefts[c] for c in keep_cols] + [table.bbox[2]]
    return TablePiece(rows=rows, page=page_number, bbox=table.bbox, column_edges=edges, lifted_lines=lifted)


def _cell_text(chars: list[dict], cell: Bbox, page_number: int) -> str:
    """Lines of one cell: a line ending short of the cell's right edge ended on purpose (a "\\n")."""
    paragraphs: list[list[str]] = [[]]
    for line in page_lines(chars, page_number):
        paragraphs[-1].append(line.text)
        # Room for another character (plus the cell's padding) left on the line: the break was typed.
        if cell[2] - line.x1 > 1.1 * max(line.size, 1.0) + _CELL_PADDING:
            paragraphs.append([])
    return "\n".join(text for text in (join_wrapped(lines) for lines in paragraphs) if text)


def _covering_cell(cells: list[Bbox], x: float, y: float) -> int | None:
    for index, (x0, top, x1, bottom) in enumerate(cells):
        if x0 <= x < x1 and top <= y < bottom:
            return index
    return None


def _is_title_or_meta_row(row: list[int | None], text_of: dict[int, str]) -> bool:
    distinct = [i for i in dict.fromkeys(row) if i is not None and text_of.get(i)]
    if not distinct:
        return False
    texts = [text_of[i] for i in distinct]
    if any(_NUMBER.match(t) for t in texts):
        return False
    if len(distinct) == 1 and row.count(distinct[0]) == len(row) and len(row) > 1:
        return True  # one cell across the whole frame: the table title
    return any(_META_LABEL.search(t) for t in texts)


def continues(previous: TablePiece, piece: TablePiece, tolerance: float = 4.0) -> bool:
    """Whether `piece` (top of a page) continues `previous` (bottom of the page before).

    Same outer frame and every column edge of `piece` on a column edge of `previous`: 01's 收支预算总表
    ends on p9 with rows whose merged cells leave fewer columns than the pages before.
    """
    if piece.page != previous.page + 1 or piece.lifted_lines:
        return False
    return _column_map(previous.column_edges, piece.column_edges, tolerance) is not None


def _column_map(edges: list[float], piece_edges: list[float], tolerance: float) -> list[list[int]] | None:
    """For each column of the piece, the columns of the earlier piece it covers (None if they differ)."""
    if abs(edges[0] - piece_edges[0]) > tolerance or abs(edges[-1] - piece_edges[-1]) > tolerance:
        return None
    positions = []
    for edge in piece_edges:
        match = next((i for i, e in enumerate(edges) if abs(e - edge) <= tolerance), None)
        if match is None:
            return None
        positions.append(match)
    return [list(range(start, end)) for start, end in zip(positions, positions[1:], strict=False)]


def join_continuation(previous: TablePiece, piece: TablePiece, tolerance: float = 4.0) -> None:
    """Append `piece` to `previous`: drop a repeated header; glue a row that the page break split."""
    mapping = _column_map(previous.column_edges, piece.column_edges, tolerance) or []
    width = len(previous.column_edges) - 1
    rows = []
    for row in piece.rows:
        # A piece with fewer columns has merged cells there: expand them like any merged cell.
        expanded = [""] * width
        for text, targets in zip(row, mapping, strict=False):
            for target in targets:
                expanded[target] = text
        rows.append(expanded)
    repeated = _repeated_header_rows(previous.rows, rows)
    rows = rows[repeated:]
    if rows and not repeated and _is_split_row(previous.rows[-1], rows[0]):
        # 01 p7/p8: "八、社会保障和就" | p8: "业支出" — one cell broken by the page end.
        previous.rows[-1] = [
            join_wrapped([upper, lower]) if lower else upper
            for upper, lower in zip(previous.rows[-1], rows[0], strict=True)
        ]
        rows = rows[1:]
    previous.rows.extend(rows)


def _repeated_header_rows(first: list[list[str]], rows: list[list[str]]) -> int:
    count = 0
    while count < len(rows) and count < len(first) and rows[count] == first[count]:
        if any(_NUMBER.match(cell) for cell in rows[count]):
            break  # equal data rows are data, not a repeated header
        count += 1
    return count


def _is_split_row(upper: list[str], lower: list[str]) -> bool:
    filled = [index for index, cell in enumerate(lower) if cell]
    if not filled:
        return False
    for index in filled:
        text = lower[index]
        above = upper[index]
        if _NUMBER.match(text) or _ENUMERATOR.match(text) or not above or _NUMBER.match(above):
            return False
        if above.endswith("计"):
            return False  # 11 p6/p7: "本年收入合计" is a whole label; the next page's row is its own

    return True
