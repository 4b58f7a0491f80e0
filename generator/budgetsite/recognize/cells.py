"""Table cell normalization: printed text → Decimal | str | None.

Numbers keep their printed digits ("1,234.50" → Decimal("1234.50")); dashes and blanks are null;
classification codes and 序号 stay strings; spaces that a line wrap left inside Chinese text or inside a
code ("衡水市信息产业中 心小计", "471-0602-YBN-G1U W") are removed.
"""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

from budgetsite.model import Cell

# Ideographs, CJK punctuation, full-width forms and the quotes/dashes Chinese typesetting uses.
_CJK = r"\u2e80-\u2fff\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\ufe30-\ufe4f\uff00-\uffef\u201c\u201d\u2018\u2019\u2026"
_SPACE = r"[ \t\u00a0\u3000]"
_SPACE_BETWEEN_CJK = re.compile(rf"(?<=[{_CJK}]){_SPACE}+(?=[{_CJK}])")
# PDF conversions set "单价在 20 万元以上" and "2023 年": a space between a digit and an ideograph is
# kerning, not a word boundary. Not before an enumerator ("支付 2、足额支付"), which starts a new item.
_SPACE_CJK_DIGIT = re.compile(rf"(?<=[\u4e00-\u9fff]){_SPACE}+(?=\d)(?!\d+[、.．）)])")
_SPACE_DIGIT_CJK = re.compile(rf"(?<=[\d%]){_SPACE}+(?=[\u4e00-\u9fff])")
_SPACE_RUN = re.compile(rf"{_SPACE}+")
# Codes: 功能/经济分类 (2150805), 采购目录 (A02010105, C0808), 项目编码 (13062524P00001510413E),
# 471-0602-YBN-G1UW. Letters, digits and hyphens only, at least one digit.
_CODE_CHARS = re.compile(r"^[A-Za-z0-9\-_.]+$")
# An upper-case code broken by a wrap: "471-0602-YBN-G1U W", "13062524P0000 15104046".
_WRAPPED_CODE = re.compile(r"^(?=.*\d)[A-Z0-9\-]+(?:\s+[A-Z0-9\-]+)+$")
_DASHES = {"-", "—", "－", "–", "\u2212", "--", "——", "―", "─", "━", "/", "／", "\\"}
_NUMBER = re.compile(r"^[-+]?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?$")
_COLUMN_NUMBER_WORDS = {"栏次", "档次", "栏号"}
# Full-width digits, and U+2212 MINUS SIGN, which PDF text layers use for a negative change.
_FULLWIDTH_DIGITS = str.maketrans("０１２３４５６７８９．，－＋\u2212", "0123456789.,-+-")


def clean_cell_text(text: str) -> str:
    """Strip a cell and remove wrap spaces inside CJK text; other space runs become one space."""
    text = text.replace("\n", " ").strip(" \t\u00a0\u3000")
    text = _SPACE_BETWEEN_CJK.sub("", text)
    text = _SPACE_CJK_DIGIT.sub("", text)
    text = _SPACE_DIGIT_CJK.sub("", text)
    return _SPACE_RUN.sub(" ", text)


def squeeze_code(text: str) -> str | None:
    """The code in `text` with wrap spaces removed, or None if `text` is not code-like."""
    squeezed = re.sub(r"\s+", "", text)
    if squeezed and _CODE_CHARS.match(squeezed) and any(c.isdigit() for c in squeezed):
        return squeezed
    return None


def is_blank(text: str | None) -> bool:
    """True for an empty cell or a dash placeholder (—, -, －)."""
    if text is None:
        return True
    squeezed = re.sub(r"\s+", "", text)
    return not squeezed or squeezed in _DASHES


def parse_number(text: str) -> Decimal | None:
    """A printed number as Decimal with its printed digits ("1,234.50" → 1234.50); None otherwise."""
    squeezed = re.sub(r"\s+", "", text).translate(_FULLWIDTH_DIGITS)
    if not _NUMBER.match(squeezed):
        return None
    try:
        return Decimal(squeezed.replace(",", ""))
    except InvalidOperation:
        return None


def parse_cell(text: str | None, *, text_only: bool = False) -> Cell:
    """Normalize one cell: None for blanks/dashes, Decimal for numbers, cleaned str otherwise.

    `text_only` keeps digits as text: classification codes, 序号 and catalog codes are identifiers.
    """
    if is_blank(text):
        return None
    assert text is not None
    if text_only:
        code = squeeze_code(text)
        return code if code is not None else clean_cell_text(text)
    number = parse_number(text)
    if number is not None:
        return number
    if _WRAPPED_CODE.match(text.strip()):
        return squeeze_code(text)
    return clean_cell_text(text)


def clean_label(text: str) -> str:
    """A header label without any inner whitespace ("项  目" → "项目", "计量 单位" → "计量单位").

    Header cells are short Chinese phrases that converters letter-space or wrap; Latin words do not
    occur in them, so every space is debris.
    """
    return re.sub(r"\s+", "", text)


def flatten_label(parts: list[str]) -> str:
    """Join the header cells stacked above one column, top first, skipping repeats ("上 / 下")."""
    seen: list[str] = []
    for part in parts:
        label = clean_label(part)
        if label and (not seen or seen[-1] != label):
            seen.append(label)
    return " / ".join(seen)


def is_column_number_row(row: list[str]) -> bool:
    """The 栏次 (once 档次) row: "栏次 | 1 | 2 | 3 …", column numbers only."""
    cells = [re.sub(r"\s+", "", cell) for cell in row if cell.strip()]
    if not cells:
        return False
    if cells[0] in _COLUMN_NUMBER_WORDS:
        return True
    return len(cells) >= 3 and cells == [str(n) for n in range(1, len(cells) + 1)]


def spread_collapsed_labels(labels: list[str], below: list[str], width: int) -> list[str]:
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


def flatten_header(header: list[list[str]], width: int) -> list[str]:
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
            grid[r] = spread_collapsed_labels(row, grid[r + 1], width)
    # Grid layouts (PDF, Markdown) leave a horizontally merged label in its first column only.
    for r in range(len(grid) - 1):
        for c in range(1, width):
            below_here = any(grid[k][c] for k in range(r + 1, len(grid)))
            below_left = any(grid[k][c - 1] for k in range(r + 1, len(grid)))
            if not grid[r][c] and grid[r][c - 1] and below_here and below_left:
                grid[r][c] = grid[r][c - 1]
    return [flatten_label([grid[r][c] for r in range(len(grid))]) for c in range(width)]
