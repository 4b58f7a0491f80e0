"""Plain-text and Markdown disclosures: detect which converter made the text, emit neutral blocks.

Three layouts reach us (see DESIGN §3):

* pipe  — Markdown-like tables, `| a | b |` with a `|---|` rule under the first row (000);
* word  — a Word conversion: one table cell per line, each indented by a tab, a blank line after each
          row, a lone tab for an empty cell, `[bookmark: _Toc…]` before heading text (001);
* tsv   — a PDF conversion: one table row per line, cells separated by tabs (002);
* plain — none of the above: paragraphs only.

The reader knows layouts, not budgets: recognizers turn the blocks into tables.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

from budgetsite.blocks import Block, Heading, PageBreak, Paragraph, RawTable
from budgetsite.errors import InputError
from budgetsite.model import SourceFormat
from budgetsite.read import ReadResult
from budgetsite.read.encoding import decode_bytes
from budgetsite.read.limits import DEFAULT_LIMITS, Limits

_PIPE_ROW = re.compile(r"^\s*\|.*\|\s*$")
_PIPE_RULE = re.compile(r"^\s*\|?(\s*:?-+:?\s*\|)+\s*:?-*:?\s*$")
_MD_HEADING = re.compile(r"^(#{1,6})\s+(.*?)\s*#*\s*$")
# 002's table of contents: "部门预算收支总表..... \t 3" — a title, dotted leader, page number.
_TOC_LINE = re.compile(r"^\s*\S.*?(?:\.{3,}|…{2,}|·{3,}|\u2026+|-{4,})\s*\t?\s*\d{1,4}\s*$")
_BOOKMARK = re.compile(r"\[bookmark:\s*([^\]]*)\]")
_TOC_BOOKMARK = re.compile(r"_Toc_(\d+)_")
# Word conversions leave a "page number" field placeholder where the footer was.
_PAGE_DEBRIS = re.compile(r"^\s*page\s*number\s*$", re.IGNORECASE)
# In Word files the caption line above a table (unit, year, unit name) is often the table's first row.
_CAPTION_CELL = re.compile(
    r"^(?:(?:金额)?单位[:：]|预算年度[:：]|截[止至](?:时间|日期)[:：]|编制(?:部门|单位)[:：]|\d{3,6}\s*[\u4e00-\u9fff]{4,}$)"
)


def _layout(lines: list[str]) -> str:
    """The converter layout of a text: pipe, word, tsv or plain."""
    pipe = sum(1 for line in lines if _PIPE_ROW.match(line))
    word = sum(1 for line in lines if line.startswith("\t") and "\t" not in line[1:])
    tsv = sum(1 for line in lines if "\t" in line.strip("\t\n "))
    best = max(pipe, word, tsv)
    if best < 2:
        return "plain"
    if best == pipe:
        return "pipe"
    return "word" if word >= tsv else "tsv"


def _heading_or_paragraph(text: str, page: int | None) -> Block | None:
    """A Markdown heading, a bookmarked 001 heading, or a paragraph; None for debris."""
    match = _MD_HEADING.match(text)
    if match and len(text.splitlines()) == 1:
        return Heading(match.group(2), level=len(match.group(1)), page=page)
    bookmark = _BOOKMARK.search(text)
    if bookmark:
        toc = _TOC_BOOKMARK.search(bookmark.group(1))
        text = _BOOKMARK.sub("", text).strip()
        if not text:
            return None
        if toc:
            # 001 marks every table title and section heading with a _Toc_N_ bookmark (N = outline level + 1).
            return Heading(text, level=max(1, int(toc.group(1)) - 1), page=page)
    text = text.strip()
    if not text or _PAGE_DEBRIS.match(text) or _TOC_LINE.match(text):
        return None
    return Paragraph(text, page=page)


class _Pages:
    """Page counter driven by form feeds (pdftotext output); None when the text has none."""

    def __init__(self, text: str) -> None:
        self.paged = "\f" in text
        self.number = 1

    @property
    def current(self) -> int | None:
        return self.number if self.paged else None


def _split_pages(lines: list[str], pages: _Pages) -> Iterator[tuple[str, list[Block]]]:
    """Yield each line with the PageBreak blocks that a form feed inside it produces."""
    for line in lines:
        breaks: list[Block] = []
        while "\f" in line:
            before, line = line.split("\f", 1)
            if before.strip():
                yield before, []
            pages.number += 1
            breaks.append(PageBreak(pages.number))
        yield line, breaks


def _paragraph_blocks(run: list[str], page: int | None) -> list[Block]:
    """Blocks for a run of consecutive non-table lines (000/002: one paragraph, lines joined)."""
    kept = [line.strip() for line in run if not _TOC_LINE.match(line) and not _PAGE_DEBRIS.match(line)]
    kept = [line for line in kept if line]
    if not kept:
        return []
    if any(_MD_HEADING.match(line) or _BOOKMARK.search(line) for line in kept):
        blocks = [_heading_or_paragraph(line, page) for line in kept]
        return [b for b in blocks if b is not None]
    block = _heading_or_paragraph("\n".join(kept), page)
    return [block] if block is not None else []


def _read_delimited(lines: list[str], layout: str, pages: _Pages) -> list[Block]:
    """Pipe (000), tsv (002) and plain layouts: tables are runs of table-looking lines."""
    blocks: list[Block] = []
    run: list[str] = []
    table: list[list[str]] = []
    table_page: int | None = None

    def flush_run() -> None:
        blocks.extend(_paragraph_blocks(run, pages.current))
        run.clear()

    def flush_table() -> None:
        if table:
            blocks.append(RawTable([row[:] for row in table], page=table_page))
            table.clear()

    for line, breaks in _split_pages(lines, pages):
        if breaks:
            flush_run()
            flush_table()
            blocks.extend(breaks)
        is_row = False
        row: list[str] | None = None
        if layout == "pipe" and _PIPE_ROW.match(line):
            is_row = True  # the |---| rule under the first row is a row of the layout, not of the table
            if not _PIPE_RULE.match(line):
                row = [cell.strip() for cell in line.strip()[1:-1].split("|")]
        elif layout == "tsv" and "\t" in line and line.strip() and not _TOC_LINE.match(line):
            # Leading and trailing tabs are empty cells: "3、单价在 20 万元以上的设备\t\t" (002 line 746) and
            # "\t\t\t\t\t工业转型升级…" (line 646, a wrapped cell continued under a repeated header).
            is_row = True
            row = [cell.strip() for cell in line.split("\t")]
        if is_row:
            flush_run()
            if not table:
                table_page = pages.current
            if row is not None:
                table.append(row)
            continue
        flush_table()
        if line.strip():
            run.append(line)
        else:
            flush_run()
    flush_run()
    flush_table()
    return blocks


def _caption_split(rows: list[list[str]]) -> tuple[list[str], list[list[str]]]:
    """Split a leading caption row (unit, year, unit name) off a 001 cell run."""
    if len(rows) > 1:
        cells = [cell for cell in rows[0] if cell]
        if cells and len(cells) <= 4 and all(_CAPTION_CELL.match(cell) and len(cell) <= 40 for cell in cells):
            return cells, rows[1:]
    return [], rows


def _rows_from_flat_run(cells: list[str]) -> list[list[str]] | None:
    """Rebuild the rows of a Word cell run printed without blank lines between rows.

    The column-number row ("栏次 1 2 … m") gives the width: the m+1 cells before it are the lowest header
    row, earlier cells the row above it (leading caption cells excepted), later cells the body rows.
    """
    squeezed = [re.sub(r"\s+", "", cell) for cell in cells]
    for k, cell in enumerate(squeezed):
        if cell not in ("栏次", "档次"):
            continue
        count = 0
        while k + 1 + count < len(cells) and squeezed[k + 1 + count] == str(count + 1):
            count += 1
        width = count + 1
        if count < 2 or k < width:
            continue
        start = 0
        while start < k - width and _CAPTION_CELL.match(cells[start]):
            start += 1
        top, bottom = cells[start : k - width], cells[k - width : k]
        body = cells[k + width :]
        rows = [cells[:start]] if start else []
        rows += ([top] if top else []) + [bottom, cells[k : k + width]]
        return rows + [body[i : i + width] for i in range(0, len(body), width)]
    return None


def _read_word(lines: list[str], pages: _Pages) -> list[Block]:
    """Word layout (001): tab-indented cell lines, blank line after each row."""
    blocks: list[Block] = []
    rows: list[list[str]] = []
    row: list[str] = []
    table_page: int | None = None
    blank_before = False

    def end_row() -> None:
        if row:
            rows.append(row[:])
            row.clear()

    def end_table() -> None:
        end_row()
        if len(rows) == 1 and len(rows[0]) > 8:
            # some converters drop the blank line between rows: recover them from the 栏次 row
            rows[:] = _rows_from_flat_run(rows[0]) or rows
        if rows:
            captions, body = _caption_split(rows)
            blocks.extend(Paragraph(cell, page=table_page) for cell in captions)
            if body:
                blocks.append(RawTable([r[:] for r in body], page=table_page))
            rows.clear()

    for line, breaks in _split_pages(lines, pages):
        if breaks:
            end_table()
            blocks.extend(breaks)
        if _PAGE_DEBRIS.match(line):
            continue  # a footer placeholder, also where a table runs over a page break
        if line.startswith("\t"):
            if not rows and not row:
                table_page = pages.current
            row.append(line[1:].strip())
            blank_before = False
        elif not line.strip():
            end_row()
            if line:
                end_table()  # a lone-space line separates two Word tables (001: goal row / indicator table)
            blank_before = True
        elif row and not blank_before:
            # A cell with several paragraphs: the later ones lose their tab (001's numbered goals).
            row[-1] = f"{row[-1]}\n{line.strip()}" if row[-1] else line.strip()
        else:
            end_table()
            block = _heading_or_paragraph(line, pages.current)
            if block is not None:
                blocks.append(block)
            blank_before = False
    end_table()
    return blocks


class TextReader:
    """Reader for .txt/.md text conversions of disclosures."""

    extensions: tuple[str, ...] = (".txt", ".md", ".text")

    def read(self, path: Path, limits: Limits = DEFAULT_LIMITS) -> ReadResult:
        """Read `path` into neutral blocks (its size was checked against `limits` by the caller)."""
        try:
            data = Path(path).read_bytes()
        except FileNotFoundError:
            raise InputError("no such file", path=path, hint="check the path") from None
        except OSError as error:
            raise InputError(f"cannot read the file ({error.strerror})", path=path) from None
        return ReadResult(self.read_text(decode_bytes(data, path)), self.format_of(Path(path)))

    @staticmethod
    def format_of(path: Path) -> SourceFormat:
        return "markdown" if path.suffix.lower() == ".md" else "text"

    @staticmethod
    def read_text(text: str) -> list[Block]:
        """Blocks of an already decoded text."""
        lines = text.split("\n")
        pages = _Pages(text)
        layout = _layout(lines)
        if layout == "word":
            return _read_word(lines, pages)
        return _read_delimited(lines, layout, pages)
