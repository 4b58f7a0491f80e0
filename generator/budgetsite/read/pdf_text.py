"""Text outside tables on a PDF page → printed lines → paragraphs and headings, in reading order.

Lines are built from characters by vertical overlap, not by equal baselines: 11 (ONLYOFFICE) sets the
digits of a sentence in Times New Roman 5 pt lower than the Chinese around them ("基本支出 2336.91 万元"),
and baseline grouping tears every such number out of its sentence.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

from budgetsite.read.cjk import is_cjk, join_wrapped

# A new paragraph starts at these prefixes even when the line before ran to the right margin.
_PARAGRAPH_START = re.compile(
    r"^(第[一二三四五六七八九十]+部分|[一二三四五六七八九十]+、|（[一二三四五六七八九十]+）|\([一二三四五六七八九十\d]+\)"
    r"|\d+[.．、](?!\d)|注[:：]|附件|目\s*录)"
)
_PAGE_NUMBER = re.compile(
    r"^([-—–－]\s*\d+\s*[-—–－]|\d+|第\s*\d+\s*页(\s*[,，]?\s*共\s*\d+\s*页)?|\d+\s*/\s*\d+|page\s*\d+(\s*of\s*\d+)?)$",
    re.IGNORECASE,
)
# A gap wider than this many character sizes separates two cells of an unruled table.
_SEGMENT_GAP = 1.5
_BOLD = re.compile(r"bold|black|heavy|hei|黑体|medium", re.IGNORECASE)


@dataclass
class Line:
    """One printed line outside any table."""

    text: str
    top: float
    bottom: float
    x0: float
    x1: float
    size: float
    bold: bool
    page: int
    # (x0, x1, text) runs separated by wide gaps: the cells when the line is a row of an unruled table.
    segments: list[tuple[float, float, str]]


def page_lines(chars: list[dict], page_number: int) -> list[Line]:
    """Group a page's characters into lines by vertical overlap, each read left to right."""
    bands: list[list[dict]] = []
    band_top = band_bottom = 0.0
    for char in sorted(chars, key=lambda c: (round(c["top"], 1), c["x0"])):
        if not char["text"].strip() and not bands:
            continue
        middle = (char["top"] + char["bottom"]) / 2
        if bands and band_top <= middle <= band_bottom:
            bands[-1].append(char)
        else:
            bands.append([char])
            band_top, band_bottom = char["top"], char["bottom"]
    lines = []
    for band in bands:
        band.sort(key=lambda c: c["x0"])
        text, segments = _band_text(band)
        if not text:
            continue
        sizes = Counter(round(c["size"], 1) for c in band if c["text"].strip())
        size = sizes.most_common(1)[0][0] if sizes else 0.0
        bold = sum(1 for c in band if _BOLD.search(c.get("fontname", ""))) > len(band) / 2
        lines.append(
            Line(
                text,
                band[0]["top"],
                max(c["bottom"] for c in band),
                band[0]["x0"],
                band[-1]["x1"],
                size,
                bold,
                page_number,
                segments,
            )
        )
    return lines


def _band_text(band: list[dict]) -> tuple[str, list[tuple[float, float, str]]]:
    parts: list[str] = []
    segments: list[tuple[float, float, str]] = []
    start = 0
    segment_x0 = band[0]["x0"]
    previous: dict | None = None
    for char in band:
        if previous is not None:
            gap = char["x0"] - previous["x1"]
            size = max(previous["size"], 1.0)
            if gap > _SEGMENT_GAP * size:
                segments.append((segment_x0, previous["x1"], "".join(parts[start:]).strip()))
                start, segment_x0 = len(parts), char["x0"]
                parts.append(" ")
            elif gap > 0.25 * size and not (is_cjk(previous["text"][-1:]) or is_cjk(char["text"][:1])):
                # A gap is a space only between Latin/digits; WPS letter-spaces Chinese ("当 年 收 入")
                # and pads digits next to it ("2017 年度"). Spaces the PDF really holds are kept.
                parts.append(" ")
        parts.append(char["text"])
        previous = char
    if previous is not None:
        segments.append((segment_x0, previous["x1"], "".join(parts[start:]).strip()))
    segments = [s for s in segments if s[2]]
    return " ".join(s[2] for s in segments), segments


def is_page_number(text: str) -> bool:
    """Whether a line is page-number debris ("3", "- 3 -", "第3页 共25页", "3/25")."""
    return bool(_PAGE_NUMBER.match(text.strip()))


def running_lines(pages: list[list[Line]], heights: list[float]) -> set[str]:
    """Texts printed in the top or bottom margin of several pages: running headers and footers."""
    counts: Counter[str] = Counter()
    for lines, height in zip(pages, heights, strict=True):
        seen = {
            _digits_blind(line.text)
            for line in lines
            if line.bottom < height * 0.09 or line.top > height * 0.91
        }
        counts.update(seen)
    minimum = max(2, len(pages) // 3)
    return {text for text, count in counts.items() if count >= minimum}


def _digits_blind(text: str) -> str:
    return re.sub(r"\d+", "#", text)


def drop_headers_and_footers(lines: list[Line], height: float, running: set[str]) -> list[Line]:
    """Remove page numbers and running headers/footers from the margins of one page."""
    kept = []
    for index, line in enumerate(lines):
        in_margin = line.bottom < height * 0.09 or line.top > height * 0.91
        first_or_last = index == 0 or index == len(lines) - 1
        if (first_or_last or in_margin) and is_page_number(line.text):
            continue
        if in_margin and _digits_blind(line.text) in running:
            continue
        kept.append(line)
    return kept


@dataclass
class TextRun:
    """A paragraph or heading assembled from lines."""

    text: str
    page: int
    heading_level: int | None
    top: float
    # The last line ran to the right margin: the paragraph may go on at the top of the next page.
    open_end: bool = False
    # The first line starts indented (a first-line indent) and the paragraph has more lines.
    indented: bool = False
    flush_left: bool = False  # the first line starts at the left margin

    def continued_by(self, other: TextRun, indents: bool) -> bool:
        """Whether `other`, first on the next page, is the rest of this paragraph (01 p2/p3 "…的工" / "作，…").

        Only in documents that indent first lines: there a flush-left line at the top of a page can only
        continue a paragraph; without indents a full last line says nothing.
        """
        return (
            indents
            and self.open_end
            and other.flush_left
            and self.heading_level is None
            and other.heading_level is None
            and not _PARAGRAPH_START.match(other.text)
        )


def paragraphs(lines: list[Line], body_size: float, right_edge: float) -> list[TextRun]:
    """Join lines into paragraphs: a line that stops short of the right margin ends its paragraph."""
    starts = Counter(round(line.x0) for line in lines)
    left_edge = min((x for x, count in starts.items() if count >= 2), default=min(starts, default=0))
    runs: list[TextRun] = []
    current: list[Line] = []

    def flush() -> None:
        if current:
            text = join_wrapped([line.text for line in current])
            level = _heading_level(current, body_size)
            open_end = _is_full(current[-1], right_edge)
            indent = current[0].x0 - left_edge
            runs.append(
                TextRun(
                    text,
                    current[0].page,
                    level,
                    current[0].top,
                    open_end,
                    indent > 0.8 * current[0].size,
                    abs(indent) < 0.5 * current[0].size,
                )
            )
            current.clear()

    for line in lines:
        if current:
            previous = current[-1]
            full = _is_full(previous, right_edge)
            gap = line.top - previous.bottom
            same_look = abs(line.size - previous.size) < 0.6 and line.bold == previous.bold
            if not (full and same_look and gap < 1.2 * line.size and not _PARAGRAPH_START.match(line.text)):
                flush()
        current.append(line)
    flush()
    return runs


def uses_first_line_indent(runs: list[TextRun]) -> bool:
    """Whether most paragraphs of several lines start indented (Chinese official documents do)."""
    long_runs = [run for run in runs if run.heading_level is None and len(run.text) > 60]
    return bool(long_runs) and sum(run.indented for run in long_runs) * 2 >= len(long_runs)


def _is_full(line: Line, right_edge: float) -> bool:
    return line.x1 >= right_edge - 2.5 * max(line.size, 1.0)


def _heading_level(lines: list[Line], body_size: float) -> int | None:
    if len(lines) > 2:
        return None
    text = "".join(line.text for line in lines)
    if len(text) > 60 or text.endswith(("。", "；", ";", "，")):
        return None
    size = lines[0].size
    if size >= body_size + 3.5:
        return 1
    if size >= body_size + 1 or (lines[0].bold and len(text) < 40):
        return 2
    return None
