"""Standard tables: find them among the blocks, merge page pieces, flatten headers, parse cells.

Works on neutral blocks, so every reader (text, PDF, DOCX, XLSX) feeds it. A table is a RawTable plus
the short lines printed just above it — title, unit name ("304保定市徐水区工业和信息化局"), 预算年度, 单位 —
and a "注：…" line just below. Pieces of one table split over pages (002 repeats the caption and header on
every page) are merged into one Table.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from budgetsite.blocks import Block, Heading, PageBreak, Paragraph, RawTable
from budgetsite.model import Cell, Column, Table
from budgetsite.recognize import catalog
from budgetsite.recognize.cells import clean_cell_text, flatten_label, is_blank, parse_cell, parse_number

_LOOKBACK = 8
_UNIT = re.compile(r"单位[:：]\s*(万元|千元|亿元|元)")
_YEAR_LINE = re.compile(r"^(?:预算年度[:：]?\s*(?:\d{4}\s*年?度?)?|\d{4}\s*年?度?)$")
_UNIT_NAME = re.compile(r"^(\d{3,6})\s*([^\d\s，。：:；;,、（）()]{2,40})$")
_PREPARED_BY = re.compile(r"^编制(?:部门|单位)[:：]\s*(.+)$")
_AS_OF = re.compile(r"^截[止至](?:时间|日期)[:：]")
_NOTE = re.compile(r"^\s*注[:：]")
_COLUMN_NUMBER_WORDS = {"栏次", "档次", "栏号"}
_CODE_NAME = re.compile(r"^\[?(\d{3}(?:\d{2}){0,2})\]?\s*([^\d\s].*)$")
_PAIRED = frozenset({"income-expenditure-summary", "fiscal-appropriation-summary"})
_TEXT_KEYS = frozenset(
    {
        "seq",
        "name",
        "function_code",
        "economic_code",
        "code",
        "item",
        "project_name",
        "catalog_code",
        "measure_unit",
        "unit_type",
        "unit_grade",
        "funding_form",
    }
)


@dataclass
class TablesResult:
    """Tables found, and the indices of the blocks they consumed."""

    tables: list[Table]
    used: set[int]


@dataclass
class _Caption:
    """What the short lines around a RawTable say about it."""

    title: str | None = None
    table_id: str | None = None
    unit: str | None = None
    unit_name: str | None = None
    as_of: str | None = None
    indices: list[int] = field(default_factory=list)
    previous_table: int | None = None  # a RawTable reached through caption lines only
    other_title: str | None = None
    other_index: int | None = None


@dataclass
class _Piece:
    """One RawTable split into flattened column labels and body rows (raw strings)."""

    labels: list[str]
    body: list[list[str]]
    header_rows: list[list[str]]


@dataclass
class _Building:
    """A table being assembled from one or more pieces."""

    table_id: str
    title: str
    labels: list[str]
    body: list[list[str]]
    header_rows: list[list[str]]
    unit: str | None
    unit_name: str | None
    note: str | None
    page: int | None
    last_index: int
    indices: set[int]


def _block_text(block: Block) -> str | None:
    if isinstance(block, Heading | Paragraph):
        return clean_cell_text(block.text.replace("*", ""))
    return None


def _read_caption(blocks: Sequence[Block], index: int, stop: set[int]) -> _Caption:
    """Walk back from a RawTable over caption lines until the title, a narrative line or another table."""
    caption = _Caption()
    for j in range(index - 1, max(-1, index - 1 - _LOOKBACK), -1):
        block = blocks[j]
        if isinstance(block, RawTable):
            caption.previous_table = j
            break
        if j in stop:
            break
        if isinstance(block, PageBreak):
            continue
        text = _block_text(block)
        if not text or len(text) > 60:
            break
        assert isinstance(block, Heading | Paragraph)
        if _absorb_caption_line(caption, text, block.text.strip()):
            caption.indices.append(j)
            continue
        table_id = catalog.match_title(text)
        if table_id is not None:
            caption.title, caption.table_id = text, table_id
            caption.indices.append(j)
        elif text.endswith("表") and len(text) <= 40:
            caption.other_title, caption.other_index = text, j  # an unknown table's own title
        break
    return caption


def _absorb_caption_line(caption: _Caption, text: str, printed: str) -> bool:
    """Record a unit / year / unit-name / 截止时间 line; False if `text` is none of these."""
    unit = _UNIT.search(text)
    if unit and len(text) <= 30:
        caption.unit = caption.unit or unit.group(1)
        return True
    if _YEAR_LINE.match(text):
        return True
    prepared = _PREPARED_BY.match(text)
    if prepared:
        caption.unit_name = caption.unit_name or prepared.group(1).strip()
        return True
    if _AS_OF.match(text):
        caption.as_of = caption.as_of or text
        return True
    name = _UNIT_NAME.match(text)
    if name and not name.group(2).startswith(("年", "月", "日", "万", "元", "个", "项", "人")):
        caption.unit_name = caption.unit_name or printed
        return True
    return False


def _is_column_number_row(row: list[str]) -> bool:
    """The 栏次 (once 档次) row: "栏次 | 1 | 2 | 3 …", column numbers only."""
    cells = [re.sub(r"\s+", "", cell) for cell in row if cell.strip()]
    if not cells:
        return False
    if cells[0] in _COLUMN_NUMBER_WORDS:
        return True
    return len(cells) >= 3 and cells == [str(n) for n in range(1, len(cells) + 1)]


def _is_data_row(row: list[str]) -> bool:
    return any(parse_number(cell) is not None for cell in row if cell.strip())


def _expand_collapsed(labels: list[str], below: list[str], width: int) -> list[str]:
    """Spread a Word header row whose merged cells collapsed (001: "序号 | 收入 | 支出" over 5 columns).

    A label over an empty cell of the row below is a vertical merge (one column); a label over a run
    of filled cells spans that run. When one run must hold several labels (收入 and 支出 over
    "项目 | 预算数 | 项目 | 预算数"), it is split where its first sub-label repeats, else evenly.
    """
    out = [""] * width
    position, li = 0, 0
    while li < len(labels) and position < width:
        if not below[position]:
            out[position] = labels[li]
            li, position = li + 1, position + 1
            continue
        end = position
        while end < width and below[end]:
            end += 1
        rest = below[end:]
        runs_after = sum(1 for k, cell in enumerate(rest) if cell and (k == 0 or not rest[k - 1]))
        needed_after = sum(1 for cell in rest if not cell) + runs_after
        count = max(1, min(end - position, len(labels) - li - needed_after))
        starts = [k for k in range(position, end) if below[k] == below[position]]
        if len(starts) != count:
            step = (end - position) / count
            starts = [position + round(step * k) for k in range(count)]
        for k, start in enumerate(starts):
            stop = starts[k + 1] if k + 1 < len(starts) else end
            for column in range(start, stop):
                out[column] = labels[li]
            li += 1
        position = end
    return out


def _flatten_header(header: list[list[str]], width: int) -> list[str]:
    """One label per column from 0–3 header rows ("本年收入 / 财政拨款收入")."""
    if not header:
        return [""] * width
    grid: list[list[str]] = [[] for _ in header]
    grid[-1] = (header[-1] + [""] * width)[:width]
    for r in range(len(header) - 2, -1, -1):
        row = header[r]
        interior_blank = any(not cell for cell in row[1:-1]) if len(row) > 2 else False
        if len(row) >= width or interior_blank:
            grid[r] = (row + [""] * width)[:width]
        else:
            grid[r] = _expand_collapsed(row, grid[r + 1], width)
    # Grid layouts (PDF, Markdown) leave a horizontally merged label in its first column only.
    for r in range(len(grid) - 1):
        for c in range(1, width):
            below_here = any(grid[k][c] for k in range(r + 1, len(grid)))
            below_left = any(grid[k][c - 1] for k in range(r + 1, len(grid)))
            if not grid[r][c] and grid[r][c - 1] and below_here and below_left:
                grid[r][c] = grid[r][c - 1]
    return [flatten_label([grid[r][c] for r in range(len(grid))]) for c in range(width)]


def _split_piece(rows: list[list[str]]) -> _Piece:
    """Separate header rows (up to the 栏次 row, or up to the first row with a number) from the body."""
    column_row = next((k for k, row in enumerate(rows[:6]) if _is_column_number_row(row)), None)
    if column_row is not None:
        header, body = rows[:column_row], rows[column_row + 1 :]
    else:
        first_data = next((k for k, row in enumerate(rows) if _is_data_row(row)), None)
        if first_data is None or first_data > 3:
            first_data = 1
        header, body = rows[:first_data], rows[first_data:]
    width = max((len(row) for row in body), default=0) or max((len(row) for row in header), default=0)
    labels = _flatten_header(header, width)
    normalized_header = [[re.sub(r"\s+", "", c) for c in row] for row in header]
    kept: list[list[str]] = []
    for row in body:
        squeezed = [re.sub(r"\s+", "", c) for c in row]
        if all(is_blank(c) for c in row) or _is_column_number_row(row) or squeezed in normalized_header:
            continue  # blank rows, repeated page headers and 栏次 rows are not data
        kept.append((row + [""] * width)[:width])
    return _Piece(labels=labels, body=kept, header_rows=header)


def _column_map(piece_labels: list[str], table_labels: list[str]) -> list[int] | None:
    """Where each column of a continuation piece goes in the table, by label; None if they differ."""
    mapping: list[int] = []
    taken: set[int] = set()
    for label in piece_labels:
        target = next((k for k, t in enumerate(table_labels) if t == label and k not in taken), None)
        if target is None:
            if label:
                return None
            target = next(
                (k for k in range(len(table_labels)) if k not in taken and not table_labels[k]), None
            )
            if target is None:
                return None
        mapping.append(target)
        taken.add(target)
    return mapping


def _accepts(building: _Building, piece: _Piece) -> list[int] | None:
    """Column mapping if `piece` continues `building` (same header, or no header and same width)."""
    if not piece.header_rows:
        if len(piece.labels) == len(building.labels):
            return list(range(len(piece.labels)))
        return None
    if not any(piece.labels):
        return None
    return _column_map(piece.labels, building.labels)


def _note_after(blocks: Sequence[Block], index: int, stop: set[int]) -> tuple[str | None, int | None]:
    """A "注：…" paragraph right after a table (page breaks skipped)."""
    for j in range(index + 1, min(len(blocks), index + 3)):
        if j in stop:
            return None, None
        block = blocks[j]
        if isinstance(block, PageBreak):
            continue
        text = _block_text(block)
        if text and _NOTE.match(text):
            return text, j
        return None, None
    return None, None


def _unit_from_labels(labels: list[str]) -> str | None:
    for label in labels:
        unit = _UNIT.search(label)
        if unit:
            return unit.group(1)
    return None


def _column_key(label: str, table_id: str) -> str | None:
    parts = label.split(" / ")
    leaf, top = parts[-1], parts[0]
    if table_id in _PAIRED and top in catalog.SIDE_PREFIXES and len(parts) > 1:
        side = catalog.SIDE_PREFIXES[top]
        leaf_key = catalog.SIDE_LEAF_KEYS.get(leaf) or catalog.COLUMN_KEYS.get(leaf)
        return f"{side}_{leaf_key}" if leaf_key else None
    key = catalog.COLUMN_KEYS.get(leaf) or catalog.COLUMN_KEYS.get(label)
    if key == "code":
        return "economic_code" if table_id in catalog.ECONOMIC_CODE_TABLES else "function_code"
    if key is None and "中小" in label and "份额" in label:
        return "sme_share"
    return key


def _columns(labels: list[str], table_id: str) -> list[Column]:
    columns: list[Column] = []
    used: set[str] = set()
    for index, label in enumerate(labels):
        key = _column_key(label, table_id) or f"col_{index + 1}"
        base, n = key, 2
        while key in used:
            key, n = f"{base}_{n}", n + 1
        used.add(key)
        columns.append(Column(key=key, label=label))
    return columns


def _split_code_names(
    labels: list[str], body: list[list[str]], table_id: str
) -> tuple[list[str], list[list[str]]]:
    """Give classification codes their own column where a template prints "2150805 中小企业发展专项"."""
    if table_id in {"procurement", "fixed-assets", "institutions", "three-public-expenses"} | _PAIRED:
        return labels, body
    if any("编码" in label or "代码" in label for label in labels):
        return labels, body
    for c in range(len(labels)):
        cells = [row[c].strip() for row in body if row[c].strip()]
        hits = [cell for cell in cells if _CODE_NAME.match(re.sub(r"\s+", " ", cell))]
        if cells and len(hits) * 2 >= len(cells) and parse_number(cells[0]) is None:
            parent = labels[c] or "科目"
            new_labels = [*labels[:c], f"{parent} / 科目编码", f"{parent} / 科目名称", *labels[c + 1 :]]
            new_body = []
            for row in body:
                match = _CODE_NAME.match(re.sub(r"\s+", " ", row[c].strip()))
                code, name = (match.group(1), match.group(2)) if match else ("", row[c])
                new_body.append([*row[:c], code, name, *row[c + 1 :]])
            return new_labels, new_body
    return labels, body


def _join_code_parts(labels: list[str], body: list[list[str]]) -> tuple[list[str], list[list[str]]]:
    """Join codes printed over 类 / 款 / 项 columns ("215" "05" "01") into one "2150501" column."""
    leaves = [label.split(" / ")[-1] for label in labels]
    for c in range(len(labels) - 1):
        if leaves[c] != "类" or leaves[c + 1] != "款":
            continue
        end = c + 3 if c + 2 < len(labels) and leaves[c + 2] == "项" else c + 2
        parent = labels[c].rsplit(" / ", 1)[0] if " / " in labels[c] else "科目"
        label = parent if "编码" in parent else "科目编码"
        new_body = []
        for row in body:
            code = ""
            for part in (re.sub(r"\s+", "", cell) for cell in row[c:end]):
                if is_blank(part):
                    continue
                code = part if part.startswith(code) and code else code + part
            new_body.append([*row[:c], code, *row[end:]])
        return [*labels[:c], label, *labels[end:]], new_body
    return labels, body


def _finish(building: _Building, other_number: int | None) -> Table:
    labels, body = _join_code_parts(building.labels, building.body)
    labels, body = _split_code_names(labels, body, building.table_id)
    # Drop columns with neither a header nor any value (002's procurement ends in an unnamed empty column).
    keep = [c for c in range(len(labels)) if labels[c] or any(not is_blank(row[c]) for row in body)]
    labels = [labels[c] for c in keep]
    body = [[row[c] for c in keep] for row in body]
    table_id = building.table_id if other_number is None else f"other-{other_number}"
    columns = _columns(labels, building.table_id)
    text_only = [
        column.key in _TEXT_KEYS
        or column.key.endswith("_item")
        or any(word in column.label.split(" / ")[-1] for word in catalog.TEXT_COLUMN_WORDS)
        for column in columns
    ]
    rows: list[list[Cell]] = [
        [parse_cell(cell, text_only=text_only[c]) for c, cell in enumerate(row)] for row in body
    ]
    return Table(
        id=table_id,
        title=building.title,
        unit=building.unit or _unit_from_labels(labels),
        columns=columns,
        rows=rows,
        unit_name=building.unit_name,
        note=building.note,
        source_page=building.page,
    )


def recognize_tables(blocks: Sequence[Block], skip: set[int] | frozenset[int] = frozenset()) -> TablesResult:
    """Find the standard tables (and other data tables) in `blocks`, never touching indices in `skip`."""
    finished: list[tuple[_Building, bool]] = []
    used: set[int] = set()
    current: _Building | None = None
    for index, block in enumerate(blocks):
        if not isinstance(block, RawTable) or index in skip:
            continue
        rows = [[cell if isinstance(cell, str) else str(cell) for cell in row] for row in block.rows]
        if not any(any(cell.strip() for cell in row) for row in rows):
            continue
        stop = set(skip) | used
        caption = _read_caption(blocks, index, stop)
        piece = _split_piece(rows)
        if current is not None and caption.table_id is None and caption.previous_table == current.last_index:
            mapping = _accepts(current, piece)
            if mapping is not None:
                for row in piece.body:
                    merged = [""] * len(current.labels)
                    for source, target in enumerate(mapping):
                        merged[target] = row[source]
                    current.body.append(merged)
                current.last_index = index
                current.indices |= {index, *caption.indices}
                used |= current.indices
                note, note_index = _note_after(blocks, index, set(skip) | used)
                if note_index is not None:
                    current.note, current.indices = note, current.indices | {note_index}
                    used.add(note_index)
                continue
        first_column = [row[0] for row in piece.body if row]
        table_id = caption.table_id or catalog.match_header(piece.labels + first_column)
        known = table_id is not None
        if not known and (not piece.body or len(piece.labels) < 2):
            current = None
            continue
        note, note_index = _note_after(blocks, index, stop | {index})
        if note is None and caption.as_of:
            note = caption.as_of  # 固定资产占用情况表: keep its 截止时间 with the table
        indices = {index, *caption.indices} | ({note_index} if note_index is not None else set())
        title = caption.title or (catalog.DEFAULT_TITLES[table_id] if table_id else "")
        if not known and caption.other_title and caption.other_index is not None:
            title = caption.other_title
            indices.add(caption.other_index)
        current = _Building(
            table_id=table_id or "other",
            title=title,
            labels=piece.labels,
            body=list(piece.body),
            header_rows=piece.header_rows,
            unit=caption.unit,
            unit_name=caption.unit_name,
            note=note,
            page=block.page,
            last_index=index,
            indices=indices,
        )
        used |= indices
        finished.append((current, known))
    tables: list[Table] = []
    other = 0
    for building, known in finished:
        if known:
            tables.append(_finish(building, None))
        else:
            other += 1
            tables.append(_finish(building, other))
    return TablesResult(tables=tables, used=used)


def unit_subtotals(table: Table) -> dict[str, Decimal | None]:
    """Procurement: each unit's "…小计" row → its printed amount (the 合计 column)."""
    total = next((k for k, c in enumerate(table.columns) if c.key == "total"), None)
    result: dict[str, Decimal | None] = {}
    for row in table.rows:
        label = next((cell for cell in row if isinstance(cell, str)), None)
        if label and label.endswith("小计") and total is not None:
            value = row[total]
            result[label[: -len("小计")]] = value if isinstance(value, Decimal) else None
    return result
