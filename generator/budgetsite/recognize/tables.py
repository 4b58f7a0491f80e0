"""Standard tables: find them among the blocks, merge page pieces, flatten headers, parse cells.

Works on neutral blocks, so every reader (text, PDF, DOCX, XLSX) feeds it. A table is a RawTable plus
the short lines printed just above it — title, unit name ("304保定市徐水区工业和信息化局"), 预算年度, 单位 —
and a "注：…" line just below. Pieces of one table split over pages (002 repeats the caption and header on
every page) are merged into one Table.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from decimal import Decimal

from budgetsite.blocks import Block, Heading, PageBreak, Paragraph, RawTable
from budgetsite.model import Cell, Column, Table
from budgetsite.recognize import catalog, layouts
from budgetsite.recognize.cells import (
    clean_cell_text,
    flatten_header,
    is_blank,
    is_column_number_row,
    parse_cell,
    parse_number,
)

_LOOKBACK = 8
_UNIT = re.compile(r"单位[:：]\s*(万元|千元|亿元|元)")
_YEAR_LINE = re.compile(r"^(?:预算年度[:：]?\s*(?:\d{4}\s*年?度?)?|\d{4}\s*年?度?)$")
_UNIT_NAME = re.compile(r"^(\d{3,6})\s*([^\d\s，。：:；;,、（）()]{2,40})$")
_PREPARED_BY = re.compile(r"^(?:编制)?(?:部门|单位)(?:名称)?[:：]\s*(\S+)")
_AS_OF = re.compile(r"^截[止至](?:时间|日期)[:：]")
_NOTE = re.compile(r"^\s*注[:：]")
# A table's number printed on its own line next to the title: "公开01表", "预算02表", "附表3", "表一".
# Hebei 决算 files print it under the title; it is a caption line, never the title itself.
_TABLE_TAG = re.compile(
    r"^[（(]?(?:(?:公开|预算|决算|部门)\s*\d{1,2}(?:-\d{1,2})?\s*表|公开表\s*[\d一二三四五六七八九十]{1,3}|附?表\s*[\d一二三四五六七八九十]{1,3}(?:-\d{1,2})?)[)）]?$"
)
# What a caption line says besides a title: unit, unit name, year.
_CAPTION_WORDS = re.compile(
    r"(?:金额)?单位[:：]\s*(?:万元|千元|亿元|元)|(?:编制)?(?:部门|单位)(?:名称)?[:：]\s*\S+|预算年度[:：]?\s*\d{0,4}\s*年?度?"
)
# Row labels that only a body row carries: "一、…", "（一）…", "1、…", a classification code.
_BODY_LABEL = re.compile(
    r"^(?:[一二三四五六七八九十]{1,3}[、.．]|[（(][一二三四五六七八九十]{1,3}[)）]|\d{1,2}[、.．](?!\d)|\d{3}(?:\d{2}){0,2}$)"
)
_TOTAL_LABELS = frozenset({"合计", "总计", "收入总计", "支出总计"})
# The one cell an empty table prints instead of rows (js-jianchayuan-2019 p20 "此表为空", 06a "无").
_EMPTY_TABLE = re.compile(r"^(?:此表为空|本表为空|本表无数据|此表无数据|无数据|空表|无)[。.]?$")
_CODE_NAME = re.compile(r"^\[?(\d{3}(?:\d{2}){0,2})\]?\s*([^\d\s].*)$")
_PAIRED = frozenset(
    {
        "income-expenditure-summary",
        "fiscal-appropriation-summary",
        "income-expenditure-final",
        "fiscal-appropriation-final",
    }
)
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
        if not isinstance(block, Heading | Paragraph):
            break
        glued = _glued_title(_block_text(block) or "")
        if glued is not None:
            # "注：本表反映部门本年度各项支出情况。财政拨款收入支出决算总表": the previous table's note
            # ran into this table's title.
            caption.title, caption.table_id = glued
            caption.indices.append(j)
            break
        kind = _absorb(caption, block.text)
        if kind is None:
            text = _block_text(block) or ""
            if text.endswith("表") and len(text) <= 40:
                caption.other_title, caption.other_index = text, j  # an unknown table's own title
            break
        caption.indices.append(j)
        if kind == "title":
            _read_above_title(blocks, j, stop, caption)
            break
    return caption


def _glued_title(text: str) -> tuple[str, str] | None:
    """(title, id) of a table title glued after a "注：…。" note, or None."""
    if not _NOTE.match(text):
        return None
    _, stop, tail = text.rpartition("。")
    table_id = catalog.match_title(tail) if stop and tail and len(tail) <= 60 else None
    return (tail, table_id) if table_id else None


def _read_above_title(blocks: Sequence[Block], title_index: int, stop: set[int], caption: _Caption) -> None:
    """Above a title: a "公开01表" tag line is the caption's too; a table reached over page breaks and
    caption lines only is `previous_table` (a title repeated on every page of one table)."""
    for j in range(title_index - 1, max(-1, title_index - 1 - _LOOKBACK), -1):
        block = blocks[j]
        if isinstance(block, RawTable):
            caption.previous_table = j
            return
        if j in stop or not isinstance(block, Heading | Paragraph | PageBreak):
            return
        if isinstance(block, PageBreak):
            continue
        text = _block_text(block) or ""
        if _TABLE_TAG.match(text):
            if j == title_index - 1:
                caption.indices.append(j)
            continue
        if not _absorb_caption_line(_Caption(), text, block.text.strip()):
            return


def _absorb(caption: _Caption, printed: str) -> str | None:
    """Record a title or caption line into `caption`: "title", "caption", or None if it is neither."""
    text = clean_cell_text(printed.replace("*", ""))
    if not text or len(text) > 60:
        return None
    if _absorb_caption_line(caption, text, printed.strip()):
        # "部门预算收支总表 单位：万元": a caption line may carry the title as well
        rest = _CAPTION_WORDS.sub("", text).strip(" ：:")
        table_id = catalog.match_title(rest) if rest and caption.table_id is None else None
        if table_id is not None:
            caption.title, caption.table_id = rest, table_id
            return "title"
        return "caption"
    table_id = catalog.match_title(text)
    if table_id is None:
        return None
    caption.title, caption.table_id = text, table_id
    return "title"


def _caption_rows(rows: list[list[str]], caption: _Caption) -> tuple[list[list[str]], _Caption]:
    """Take title and caption rows off the top of a grid (DOCX/XLSX keep them inside the table)."""
    start = 0
    while start < min(len(rows) - 1, 4):
        cells = [cell for cell in rows[start] if cell.strip()]
        if not cells:
            start += 1
            continue
        trial = replace(caption, indices=list(caption.indices))
        if len(cells) > 4 or not all(_absorb(trial, cell) for cell in cells):
            break
        caption, start = trial, start + 1
    return rows[start:], caption


def _note_row(rows: list[list[str]]) -> tuple[list[list[str]], str | None]:
    """A "注：…" printed as the grid's last row (one filled cell) is the table's note."""
    if len(rows) > 1:
        cells = [cell for cell in rows[-1] if cell.strip()]
        if len(cells) == 1 and _NOTE.match(cells[0]):
            return rows[:-1], clean_cell_text(cells[0])
    return rows, None


def _absorb_caption_line(caption: _Caption, text: str, printed: str) -> bool:
    """Record a unit / year / unit-name / 截止时间 line; False if `text` is none of these."""
    unit = _UNIT.search(text)
    if unit and len(text) <= 40:
        caption.unit = caption.unit or unit.group(1)
        # "部门：中共江苏省委办公厅 单位：万元" (Jiangsu) names the unit on the same line
        prepared = _PREPARED_BY.match(printed)
        name = re.split(r"(?:金额)?单位[:：]", prepared.group(1))[0] if prepared else ""
        if name and not name.startswith(unit.group(1)):
            caption.unit_name = caption.unit_name or name
        return True
    if _YEAR_LINE.match(text) or _TABLE_TAG.match(text):
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


def _is_data_row(row: list[str]) -> bool:
    return any(parse_number(cell) is not None for cell in row if cell.strip())


def _header_rows_by_words(rows: list[list[str]]) -> int:
    """How many rows at the top are header: the first, and each next one that holds only header words
    or repeats the label above it (a merged header cell).

    Shanghai's unit-level 财务收支预算总表 heads its 7 columns with three rows under 本年收入/本年支出
    ("项目 | 预算数 | 项目 | 预算数 …", "… 合计 | 基本支出 | 项目支出", "… 人员经费 | 公用经费 …").
    """
    count = 1
    while count < min(len(rows), 6):
        above = [re.sub(r"\s+", "", cell) for cell in rows[count - 1]]
        cells = [(c, re.sub(r"\s+", "", text)) for c, text in enumerate(rows[count]) if text.strip()]
        if len(cells) < 2 or _is_data_row(rows[count]) or cells[0][1] in _TOTAL_LABELS:
            break  # "合计 | 合计 | (blank)": the total row of an empty table, spread over code and name
        if not all(
            text in catalog.HEADER_WORDS or (c < len(above) and above[c] == text) for c, text in cells
        ):
            break
        count += 1
    return count


def _label_unlabelled_text_columns(labels: list[str], body: list[list[str]]) -> list[str]:
    """A text column without a label of its own sits under the label to its left: one header cell over
    both (js-fayuan-2018 收入预算总表 "项目名称" over 一般公共预算资金 | 小计, ruled as two cells)."""
    labels = list(labels)
    for c in range(1, len(labels)):
        cells = [row[c] for row in body if c < len(row) and row[c].strip()]
        if not labels[c] and labels[c - 1] and cells and not any(parse_number(cell) for cell in cells):
            labels[c] = labels[c - 1]
    return labels


def _split_piece(rows: list[list[str]]) -> _Piece:
    """Separate header rows (up to the 栏次 row, or up to the first row with a number) from the body."""
    rows = layouts.split_code_label_row(rows)  # 11: "类 | 款 | 项 | 合计 | 2,946.25" is header + total row
    column_row = next((k for k, row in enumerate(rows[:6]) if is_column_number_row(row)), None)
    if column_row is not None:
        header, body = rows[:column_row], rows[column_row + 1 :]
    elif (end := layouts.header_end(rows)) is not None:  # Shanghai: header ends at 类/款/项 or 预算数/决算数
        header, body = rows[:end], rows[end:]
    else:
        first_data = next((k for k, row in enumerate(rows) if _is_data_row(row)), None)
        if first_data is None or first_data > 3:
            first_data = _header_rows_by_words(rows)
        # A first body row without any amount ("一、一般公共预算财政拨款收入 | | 一、一般公共服务支出 |")
        # is no header row: an enumerated item label or a classification code ends the header.
        first_data = next(
            (k for k in range(1, first_data) if any(_BODY_LABEL.match(c.strip()) for c in rows[k])),
            first_data,
        )
        header, body = rows[:first_data], rows[first_data:]
    width = max((len(row) for row in body), default=0) or max((len(row) for row in header), default=0)
    labels = _label_unlabelled_text_columns(flatten_header(header, width), body)
    normalized_header = [[re.sub(r"\s+", "", c) for c in row] for row in header]
    kept: list[list[str]] = []
    for row in body:
        squeezed = [re.sub(r"\s+", "", c) for c in row]
        if all(is_blank(c) for c in row) or is_column_number_row(row) or squeezed in normalized_header:
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
            glued = _glued_title(text)
            if glued is not None:
                return text[: -len(glued[0])], None  # the rest is the next table's title: leave it
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
    if key is None and re.search(r"科目(?:编码|代码)$", leaf):
        key = "code"  # 功能科目编码 / 经济分类科目代码 …
    if key is None and leaf.endswith("科目名称"):
        key = "name"
    if key == "code":
        if "功能" in label:
            return "function_code"
        if "经济" in label:
            return "economic_code"
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
    """Join codes printed over 类 / 款 / 项 columns ("215" "05" "01") into one "2150501" column.

    Every such group: 11's 基本支出决算表 prints 人员经费 and 公用经费 side by side, each with its own 类 | 款.
    Parts are joined as printed: a 款 printed without its leading zero (wanli-jiedao-2024 "301 | 2 | 津贴补贴")
    stays "3012", which the plausible-code check reports.
    """
    leaves = [label.split(" / ")[-1] for label in labels]
    for c in range(len(labels) - 1):
        if leaves[c] != "类" or leaves[c + 1] != "款":
            continue
        end = c + 3 if c + 2 < len(labels) and leaves[c + 2] == "项" else c + 2
        parent = labels[c].rsplit(" / ", 1)[0] if " / " in labels[c] else "科目"
        label = parent if "编码" in parent else "科目编码"
        new_body = [[*row[:c], _joined_code(row[c:end]), *row[end:]] for row in body]
        # The joined column shifts the rest left: look for a further group in what follows.
        return _join_code_parts([*labels[:c], label, *labels[end:]], new_body)
    return labels, body


def _joined_code(parts: list[str]) -> str:
    code = ""
    for part in (re.sub(r"\s+", "", cell) for cell in parts):
        if is_blank(part):
            continue
        if code and part.startswith(code):
            code = part  # a row that prints the whole code in the 项 column
        else:
            code += part
    return code


def _move_labels_out_of_code_columns(columns: list[Column], rows: list[list[Cell]]) -> None:
    """Total rows carry no code: "合计" spread over 编码 and 名称 (a merged cell) stays in the name only.

    Each code column pairs with the name column after it (11 prints two 编码 | 名称 pairs side by side).
    """
    keys = [c.key for c in columns]
    for code in (k for k, key in enumerate(keys) if key.split("_code")[0] in ("function", "economic")):
        after = (k for k in range(code + 1, len(keys)) if keys[k].startswith("name"))
        name = next(after, keys.index("name") if "name" in keys else None)
        if name is None:
            continue
        for row in rows:
            cell = row[code]
            if isinstance(cell, str) and not cell[:1].isdigit():
                if row[name] is None:
                    row[name] = cell
                row[code] = None


def _without_empty_repeats(
    columns: list[Column], rows: list[list[Cell]]
) -> tuple[list[Column], list[list[Cell]]]:
    """Drop a column that repeats the label before it and holds nothing: the second half of a merged
    header cell over a ruling that only the text rows needed (js-jianchayuan-2019 p16 功能科目代码 ×2)."""
    keep = [
        k
        for k, column in enumerate(columns)
        if k == 0 or column.label != columns[k - 1].label or any(row[k] is not None for row in rows)
    ]
    if len(keep) == len(columns):
        return columns, rows
    return [columns[k] for k in keep], [[row[k] for k in keep] for row in rows]


def _classify_codes_by_shape(columns: list[Column], rows: list[list[Cell]]) -> None:
    """A code column whose label names neither 功能 nor 经济 takes the class its codes have.

    Jiangsu's 基本支出 and 机关运行经费 tables head their economic codes (301, 30201 …) "科目编码" only;
    stored as function codes they became 30 /functions/ pages. Most codes decide: a misprinted one ("7")
    does not turn the column.
    """
    for index, column in enumerate(columns):
        if column.key not in ("function_code", "economic_code") or re.search("功能|经济", column.label):
            continue
        codes = [cell for row in rows if isinstance(cell := row[index], str)]
        kinds = Counter(kind for code in codes if (kind := catalog.code_kind(code)) is not None)
        if kinds and (most := kinds.most_common(1)[0][0]) not in {c.key for c in columns}:
            column.key = most


def _join_wrapped_names(columns: list[Column], rows: list[list[Cell]]) -> list[list[Cell]]:
    """A PDF text conversion prints the rest of a wrapped 科目名称 as a row of its own ("21599 |
    其他资源勘探工业信息 | 30.00" / " | 等支出 | |"): a row with a name only, under a coded row, joins it."""
    keys = [c.key for c in columns]
    codes = [k for k, key in enumerate(keys) if key in ("function_code", "economic_code")]
    if "name" not in keys or not codes:
        return rows
    name = keys.index("name")
    joined: list[list[Cell]] = []
    for row in rows:
        previous = joined[-1] if joined else None
        others = [cell for k, cell in enumerate(row) if k != name]
        label, above = row[name], previous[name] if previous is not None else None
        if (
            previous is not None
            and isinstance(label, str)
            and all(cell is None for cell in others)
            and any(previous[k] is not None for k in codes)
            and isinstance(above, str)
            and not label.startswith(("合计", "总计", "小计", "其中"))
        ):
            previous[name] = above + label
            continue
        joined.append(row)
    return joined


def _empty_table_rows(body: list[list[str]]) -> tuple[list[list[str]], str | None]:
    """Rows that only say the table is empty ("此表为空", "无") are no data: drop them, keep the words."""
    kept, said = [], None
    for row in body:
        cells = {re.sub(r"\s+", "", cell) for cell in row if cell.strip()}
        if len(cells) == 1 and _EMPTY_TABLE.match(next(iter(cells))):
            said = said or next(iter(cells))
            continue
        kept.append(row)
    return kept, said


def _rejoin_cut_rows(body: list[list[str]]) -> list[list[str]]:
    """Glue back a row that a page break cut off its label's last characters.

    "十七、国土海洋气象等支" at the foot of a page and "出" alone at the top of the next: a row holding only
    one to three characters of text, under a row with text in that column, is the rest of that text.
    The PDF reader joins such rows when the text ran to the cell's edge; this catches the others.
    """
    joined: list[list[str]] = []
    for row in body:
        filled = [(c, cell.strip()) for c, cell in enumerate(row) if cell.strip()]
        previous = joined[-1] if joined else None
        if previous is not None and len(filled) == 1:
            c, text = filled[0]
            above = previous[c].strip()
            if (
                len(text) <= 3
                and above
                and parse_number(text) is None
                and parse_number(above) is None
                and text not in catalog.HEADER_WORDS
                and not _BODY_LABEL.match(text)
                and not above.endswith("计")
            ):
                previous[c] = above + text
                continue
        joined.append(list(row))
    return joined


def _finish(building: _Building, table_id: str) -> Table:
    body, empty_note = _empty_table_rows(_rejoin_cut_rows(building.body))
    labels, body = _join_code_parts(building.labels, body)
    labels, body = _split_code_names(labels, body, building.table_id)
    # Drop columns with neither a header nor any value (002's procurement ends in an unnamed empty column).
    keep = [c for c in range(len(labels)) if labels[c] or any(not is_blank(row[c]) for row in body)]
    labels = [labels[c] for c in keep]
    body = [[row[c] for c in keep] for row in body]
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
    _move_labels_out_of_code_columns(columns, rows)
    columns, rows = _without_empty_repeats(columns, rows)
    _classify_codes_by_shape(columns, rows)
    rows = _join_wrapped_names(columns, rows)
    return Table(
        id=table_id,
        title=building.title,
        unit=building.unit or _unit_from_labels(labels),
        columns=columns,
        rows=rows,
        unit_name=building.unit_name,
        note=building.note or empty_note,
        source_page=building.page,
    )


def _continue(current: _Building, piece: _Piece, index: int, caption: _Caption) -> bool:
    """Append `piece` to `current` when it is the next page of it; False if it is another table."""
    mapping = _accepts(current, piece)
    if mapping is None:
        return False
    for row in piece.body:
        merged = [""] * len(current.labels)
        for source, target in enumerate(mapping):
            merged[target] = row[source]
        current.body.append(merged)
    current.last_index = index
    current.indices |= {index, *caption.indices}
    return True


def _start(piece: _Piece, block: RawTable, index: int, caption: _Caption) -> tuple[_Building, bool] | None:
    """A new table from `piece`, known by its title or header; None for an unknown grid without data."""
    first_column = [row[0] for row in piece.body if row]
    table_id = caption.table_id or catalog.match_header(piece.labels + first_column)
    known = table_id is not None
    if not known and (not piece.body or len(piece.labels) < 2):
        return None
    indices = {index, *caption.indices}
    title = caption.title or (catalog.DEFAULT_TITLES[table_id] if table_id else "")
    if not known and caption.other_title and caption.other_index is not None:
        title = caption.other_title
        indices.add(caption.other_index)
    building = _Building(
        table_id=table_id or "other",
        title=title,
        labels=piece.labels,
        body=list(piece.body),
        unit=caption.unit,
        unit_name=caption.unit_name,
        # 固定资产占用情况表: without a 注 line, keep its 截止时间 with the table
        note=caption.as_of,
        page=block.page,
        last_index=index,
        indices=indices,
    )
    return building, known


def recognize_tables(blocks: Sequence[Block], skip: set[int] | frozenset[int] = frozenset()) -> TablesResult:
    """Find the standard tables (and other data tables) in `blocks`, never touching indices in `skip`."""
    started: list[tuple[_Building, bool]] = []
    used: set[int] = set()
    current: _Building | None = None
    for index, block in enumerate(blocks):
        if not isinstance(block, RawTable) or index in skip:
            continue
        rows = [[str(cell) for cell in row] for row in block.rows]
        if not any(cell.strip() for row in rows for cell in row):
            continue
        caption = _read_caption(blocks, index, set(skip) | used)
        rows, caption = _caption_rows(rows, caption)
        rows, row_note = _note_row(rows)
        piece = _split_piece(rows)
        # The next page of the table being built: right after it, under no title or under its own
        # title repeated (PDFs printed with "print titles" repeat title, 公开NN表 and unit on each page).
        continues = (
            current is not None
            and caption.previous_table == current.last_index
            and (
                caption.table_id is None
                or (caption.table_id == current.table_id and caption.unit_name in (None, current.unit_name))
            )
        )
        if not (continues and current is not None and _continue(current, piece, index, caption)):
            begun = _start(piece, block, index, caption)
            if begun is None:
                current = None
                continue
            current = begun[0]
            started.append(begun)
        note, note_index = _note_after(blocks, index, set(skip) | used | current.indices)
        if row_note or note:
            current.note = row_note or note
        if note_index is not None:
            current.indices.add(note_index)
        used |= current.indices
    tables: list[Table] = []
    other = 0
    seen: set[str] = set()
    for building, known in started:
        # An id names one table per disclosure (its URL and CSV file): a table the catalogue does not
        # know is named after its printed title, a second table under one id gets "-2"; only a table
        # that prints no title at all is "other-N".
        table_id = building.table_id if known else catalog.title_table_id(building.title)
        if table_id is None:
            other += 1
            table_id = f"other-{other}"
        unique, n = table_id, 2
        while unique in seen:
            unique, n = f"{table_id}-{n}", n + 1
        seen.add(unique)
        tables.append(_finish(building, unique))
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
