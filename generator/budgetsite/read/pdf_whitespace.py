"""Tables without ruling lines: columns recovered from whitespace alignment of consecutive lines.

Some portals print tables with no borders at all; their rows are lines whose text runs sit in the same
x-ranges line after line. A run of at least three such lines with at least three columns is a table.
"""

from __future__ import annotations

from budgetsite.read.pdf_tables import NUMBER_TEXT, TablePiece
from budgetsite.read.pdf_text import Line

_MIN_ROWS = 3
_MIN_COLUMNS = 3


def whitespace_tables(lines: list[Line], page_number: int) -> tuple[list[TablePiece], list[Line]]:
    """Split a page's lines into unruled tables and the remaining text lines."""
    pieces: list[TablePiece] = []
    rest: list[Line] = []
    run: list[Line] = []

    def close_run() -> None:
        piece = _table_from_run(run, page_number) if len(run) >= _MIN_ROWS else None
        if piece is None:
            rest.extend(run)
        else:
            pieces.append(piece)
        run.clear()

    for line in lines:
        if len(line.segments) >= 2:
            run.append(line)
        else:
            close_run()
            rest.append(line)
    close_run()
    rest.sort(key=lambda line: line.top)
    return pieces, rest


def _table_from_run(run: list[Line], page_number: int) -> TablePiece | None:
    spans = _column_spans([segment for line in run for segment in line.segments])
    if len(spans) < _MIN_COLUMNS:
        return None
    rows = []
    for line in run:
        cells = [""] * len(spans)
        for x0, x1, text in line.segments:
            column = next(i for i, (left, right) in enumerate(spans) if x0 < right and x1 > left)
            cells[column] = f"{cells[column]} {text}".strip()
        rows.append(cells)
    # Prose set in justified lines can look like columns; a table has figures in it.
    if not any(NUMBER_TEXT.match(cell) for row in rows for cell in row):
        return None
    bbox = (spans[0][0], run[0].top, spans[-1][1], run[-1].bottom)
    edges = [left for left, _ in spans] + [spans[-1][1]]
    return TablePiece(rows=rows, page=page_number, bbox=bbox, column_edges=edges)


def _column_spans(segments: list[tuple[float, float, str]]) -> list[tuple[float, float]]:
    spans: list[tuple[float, float]] = []
    for x0, x1, _ in sorted(segments):
        if spans and x0 <= spans[-1][1]:
            spans[-1] = (spans[-1][0], max(spans[-1][1], x1))
        else:
            spans.append((x0, x1))
    return spans
