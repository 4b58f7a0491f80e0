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
from itertools import pairwise
from typing import TYPE_CHECKING

from budgetsite.read.cjk import join_wrapped
from budgetsite.read.pdf_text import Line, page_lines

if TYPE_CHECKING:  # pdfplumber is imported only when a PDF is read (it is slow to import)
    from pdfplumber.page import Page
    from pdfplumber.table import Table

Bbox = tuple[float, float, float, float]

# Background fills (03b draws a white page-size rect behind every table) are no ruling: keep only lines,
# stroked rects and hairline rects (the thin filled rects WPS/Acrobat use as borders).
_HAIRLINE = 3.0

# Inner right padding of a table cell (LibreOffice 0.19 cm, WPS about the same), in points.
_CELL_PADDING = 6.0
_TITLE_LINE = re.compile(r"表\s*([（(][^）)]*[）)])?$|公开\s*\d+\s*表")
_AMOUNT = re.compile(r"^[-−]?\d[\d,]*\.\d+$|^\d{1,3}(,\d{3})+$")
_FIRST_WORD = re.compile(r"^[\x21-\x7e]+")
# A cell that prints a number, a share (12.5%) or a negative change (−3.00)
NUMBER_TEXT = re.compile(r"^[-−]?[\d,]+(\.\d+)?%?$")
# Caption cells inside a table frame start with these ("部门：…", "编制单位：…", "金额单位：元"); a header
# such as "价值（金额单位：万元）" does not.
_META_LABEL = re.compile(r"^(编制|预算主管|预算)?(部门|单位|单位名称)[:：]|^(金额|计量)?单位[:：]")
_ENUMERATOR = re.compile(r"^([一二三四五六七八九十]+、|（[一二三四五六七八九十]+）|\(\d+\)|\d+[.．、]|其中)")


@dataclass
class TablePiece:
    """One ruled table as found on one page, already a clean grid."""

    rows: list[list[str]]
    page: int
    bbox: Bbox
    column_edges: list[float]
    lifted_lines: list[str] = field(default_factory=list)
    # Per column of the last row: its text ran to the cell's right edge (it may go on on the next page).
    open_ended: list[bool] = field(default_factory=list)


def ruling_settings(page: Page | None = None) -> dict[str, object]:
    """pdfplumber table settings: cells from ruling lines only (our own whitespace pass handles the rest).

    With `page`, a frame left open at a page break is closed (see `open_frame_ends`).
    """
    settings: dict[str, object] = {
        "vertical_strategy": "lines",
        "horizontal_strategy": "lines",
        "intersection_tolerance": 3,
    }
    if page is not None and (ends := open_frame_ends(page)):
        settings["explicit_horizontal_lines"] = ends
    return settings


def open_frame_ends(page: Page, tolerance: float = 1.5) -> list[float]:
    """Heights where several column rulings end with no horizontal ruling to close the row.

    A table continued from the page before may print its first row with the column rulings but
    without the top border, which stayed on the page before (js-fayuan-2018 p10 "十八、住房保障支出 |
    4,716.51", p12 "30108 …"): pdfplumber finds no cell there and the row falls out of the table into
    the text. A line at those heights gives the row back its cells.
    """
    verticals = [e for e in page.edges if e["orientation"] == "v" and e["height"] > 2 * tolerance]
    # The ends of a hairline rect drawn as a column ruling are short horizontals: no ruling.
    horizontals = [e for e in page.edges if e["orientation"] == "h" and e["x1"] - e["x0"] > 2 * tolerance]
    ends: dict[float, list[dict]] = {}
    for edge in verticals:
        for y in (edge["top"], edge["bottom"]):
            ends.setdefault(round(y, 0), []).append(edge)
    missing = []
    for y, edges in ends.items():
        columns = {round(e["x0"], 0) for e in edges}
        if len(columns) < 3:
            continue  # a box or one cell, not the frame of a table
        left, right = min(e["x0"] for e in edges), max(e["x1"] for e in edges)
        # Any horizontal ruling there closes it: a merged cell's rulings end where its neighbour's do.
        touched = any(
            abs(h["top"] - y) <= tolerance and h["x0"] < right and h["x1"] > left for h in horizontals
        )
        if not touched:
            missing.append(y)
    return sorted(missing)


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
    text_of: dict[int, str] = {}
    full_last_line: set[int] = set()
    for index, found in cell_chars.items():
        text_of[index], full = _cell_text(found, cells[index], page_number)
        if full:
            full_last_line.add(index)

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
    blank_body_spans(rows, [[c > 0 and row[c] == row[c - 1] for c in range(len(row))] for row in grid])
    edges = [col_lefts[c] for c in keep_cols] + [table.bbox[2]]
    open_ended = [i in full_last_line for i in grid[-1]]
    return TablePiece(rows, page_number, table.bbox, edges, lifted, open_ended)


def blank_body_spans(rows: list[list[str]], spanned: list[list[bool]]) -> None:
    """Keep a horizontally merged body cell's text in its first column only.

    Header cells are repeated across their span ("功能分类 | 功能分类") so each column gets its label;
    below the header a label spanning columns ("当年支出小计" over 科目名称 | 金额 | 项目名称 in 01/03b)
    must not land in amount columns. The body starts at the first row holding an amount.
    """
    start = next((r for r, row in enumerate(rows) if any(_AMOUNT.search(cell) for cell in row)), len(rows))
    for r in range(start, len(rows)):
        for c, is_spanned in enumerate(spanned[r]):
            if is_spanned:
                rows[r][c] = ""


def _cell_text(chars: list[dict], cell: Bbox, page_number: int) -> tuple[str, bool]:
    """Text of one cell, and whether its last line ran to the right edge.

    A line that stopped with room left for the next word ended on purpose: a "\\n" (绩效目标 "1、…" /
    "2、…"). Latin runs wrap whole ("冀财建" / "[2022]23号"); kinsoku carries one extra CJK char along.
    """
    lines = page_lines(chars, page_number)
    if not lines:
        return "", False  # only spaces in the cell (js-fayuan-2018 pads empty cells with them)
    paragraphs: list[list[str]] = [[]]
    for line, following in zip(lines, [*lines[1:], None], strict=True):
        paragraphs[-1].append(line.text)
        if following is None:
            continue
        word = _FIRST_WORD.match(following.text)
        needed = (0.6 * len(word.group(0)) if word else 2.0) * line.size + 1.2 * line.size
        if _room(line, cell) > needed:
            paragraphs.append([])
    text = "\n".join(text for text in (join_wrapped(lines) for lines in paragraphs) if text)
    full = bool(lines) and _room(lines[-1], cell) <= 2.2 * max(lines[-1].size, 1.0)
    return text, full


def _room(line: Line, cell: Bbox) -> float:
    return cell[2] - line.x1 - _CELL_PADDING


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
    if any(NUMBER_TEXT.match(t) for t in texts):
        return False
    if any(_META_LABEL.search(line) for t in texts for line in t.split("\n")):
        return True
    if len(distinct) == 1 and row.count(distinct[0]) == len(row) and len(row) > 1:
        # One cell across the whole frame is the title when it reads like one ("收支预算总表"); 11's
        # "财政拨款“三公”经费" over the whole 三公 table is a header.
        return bool(_TITLE_LINE.search(texts[0].split("\n")[0]))
    return False


def continues(previous: TablePiece, piece: TablePiece, tolerance: float = 4.0) -> bool:
    """Whether `piece` (top of a page) continues `previous` (bottom of the page before).

    Same outer frame and every column edge of `piece` on a column edge of `previous`: 01's 收支预算总表
    ends on p9 with rows whose merged cells leave fewer columns than the pages before.
    """
    if piece.page != previous.page + 1 or piece.lifted_lines:
        return False
    if _column_map(previous.column_edges, piece.column_edges, tolerance) is not None:
        return True
    return (
        _header_only(previous)
        and _column_map(piece.column_edges, previous.column_edges, tolerance) is not None
    )


def _header_only(piece: TablePiece) -> bool:
    """A piece without any amount: the first header row(s) of a table stranded at the foot of a page
    (js-fayuan-2018 p10 ends the 财政拨款收支预算总表 with "收入 | 支出"; its columns start on p11)."""
    return not any(_AMOUNT.search(cell) for row in piece.rows for cell in row)


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
    return [list(range(start, end)) for start, end in pairwise(positions)]


def join_continuation(previous: TablePiece, piece: TablePiece, tolerance: float = 4.0) -> None:
    """Append `piece` to `previous`: drop a repeated header; glue a row that the page break split."""
    if _column_map(previous.column_edges, piece.column_edges, tolerance) is None:
        _regrid_header(previous, piece, tolerance)
    mapping = _column_map(previous.column_edges, piece.column_edges, tolerance) or []
    width = len(previous.column_edges) - 1
    # A piece with fewer columns has merged cells there: expand them like any merged cell.
    rows = _spread(piece.rows, mapping, width)
    repeated = _repeated_header_rows(previous.rows, rows)
    # Past a repeated header everything is body: a merged cell keeps its text in its first column.
    rows = [
        [text if not any(c in targets[1:] for targets in mapping) else "" for c, text in enumerate(row)]
        for row in rows[repeated:]
    ]
    if rows and not repeated and _is_split_row(previous.rows[-1], rows[0], previous.open_ended):
        # 01 p7/p8: "八、社会保障和就" | p8: "业支出" — one cell broken by the page end.
        previous.rows[-1] = [
            join_wrapped([upper, lower]) if lower else upper
            for upper, lower in zip(previous.rows[-1], rows[0], strict=True)
        ]
        rows = rows[1:]
    previous.rows.extend(rows)
    if rows:
        previous.open_ended = piece.open_ended if len(piece.open_ended) == width else [False] * width


def _regrid_header(previous: TablePiece, piece: TablePiece, tolerance: float) -> None:
    """Give a header-only piece the finer columns of the piece that continues it: each header cell is
    repeated over the columns it spans, as a merged header cell is."""
    spans = _column_map(piece.column_edges, previous.column_edges, tolerance) or []
    # In place: the RawTable block already emitted holds this list.
    width = len(piece.column_edges) - 1
    previous.rows[:] = _spread(previous.rows, spans, width)
    previous.column_edges = list(piece.column_edges)
    previous.open_ended = [False] * width


def _spread(rows: list[list[str]], spans: list[list[int]], width: int) -> list[list[str]]:
    """Rows on `width` columns, each cell repeated over the columns its span covers."""
    spread = []
    for row in rows:
        cells = [""] * width
        for text, targets in zip(row, spans, strict=False):
            for target in targets:
                cells[target] = text
        spread.append(cells)
    return spread


def _repeated_header_rows(first: list[list[str]], rows: list[list[str]]) -> int:
    count = 0
    while count < len(rows) and count < len(first) and rows[count] == first[count]:
        if any(NUMBER_TEXT.match(cell) for cell in rows[count]):
            break  # equal data rows are data, not a repeated header
        count += 1
    return count


def _is_split_row(upper: list[str], lower: list[str], open_ended: list[bool]) -> bool:
    filled = [index for index, cell in enumerate(lower) if cell]
    # One cell carried over ("业支出"); a row with more filled cells is a row of its own whose merged
    # first cells (一级指标 continued from the page before) are simply blank.
    if len(filled) != 1 or not any(above and not below for above, below in zip(upper, lower, strict=True)):
        return False  # the rest of a split row leaves the cells that were finished above empty
    for index in filled:
        text = lower[index]
        above = upper[index]
        if index >= len(open_ended) or not open_ended[index]:
            return False  # "预算数" ended well inside its cell: nothing of it is left for the next page
        if NUMBER_TEXT.match(text) or _ENUMERATOR.match(text) or not above or NUMBER_TEXT.match(above):
            return False
        if above.endswith("计"):
            return False  # 11 p6/p7: "本年收入合计" is a whole label; the next page's row is its own

    return True
