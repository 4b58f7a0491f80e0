"""What the review-grade rules share: the narrative as located paragraphs, quotes, and one message shape.

A reviewer's note says where, quotes what it compares and says what to fix; every finding of the
structure, between-tables, years, names, text and plausibility rules is written by `report` in that shape:

    第二部分“部门预算编制说明”第1段：“比2026年预算增加793.14万元”——比较的年份不是上年（2025年）。请改为与上年比较。

Amounts in the text are read as exact Decimals with their printed digits, like the tables.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal

from budgetsite.check.base import CheckCollector
from budgetsite.model import Check, Disclosure, Section, Status, Table

AMOUNT = r"(\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?)"
# Markdown the recognizers write around paragraphs: list bullets, heading hashes, escaped dots, bold.
_MARKUP = re.compile(r"^(?:-\s+|#{1,6}\s+)")
QUOTE_WIDTH = 40


@dataclass(frozen=True)
class Paragraph:
    """One paragraph of the narrative and where it stands."""

    section: Section
    section_number: int  # 1-based position of the section in the document
    index: int  # 1-based position of the paragraph in its section
    text: str
    heading: bool  # a `### …` line inside the section

    @property
    def where(self) -> str:
        """Human location: 第N节“标题”第K段."""
        return f"第{self.section_number}节“{self.section.title}”第{self.index}段"


def amount(text: str) -> Decimal:
    """A printed amount ('9,628.22' or '9628.22') as an exact Decimal."""
    return Decimal(text.replace(",", ""))


def paragraphs(disclosure: Disclosure) -> list[Paragraph]:
    """Every non-empty paragraph of every section, markup stripped, with its location.

    Some twenty rules read the paragraphs of one disclosure in turn; they are split once and the list is
    reused while the section texts are the same (a one-entry memo keyed by the section titles and texts).
    """
    key = tuple((s.title, s.markdown) for s in disclosure.sections)
    if _memo and _memo[0] == key:
        return _memo[1]
    found = list(_split_paragraphs(disclosure))
    _memo[:] = [key, found]
    return found


_memo: list = []


def _split_paragraphs(disclosure: Disclosure) -> Iterator[Paragraph]:
    for number, section in enumerate(disclosure.sections, start=1):
        index = 0
        for block in re.split(r"\n\s*\n|\n(?=-\s|#)", section.markdown):
            line = block.strip()
            if not line:
                continue
            heading = line.startswith("#")
            line = _MARKUP.sub("", line).replace("**", "").replace("\\.", ".").strip()
            line = re.sub(r"\s*\n\s*", "", line)
            if line:
                index += 1
                yield Paragraph(section, number, index, line, heading)


def headings(disclosure: Disclosure) -> Iterator[tuple[str, str]]:
    """(location, text) of every heading a reader sees: section titles, headings inside them, table titles."""
    for number, section in enumerate(disclosure.sections, start=1):
        yield f"第{number}节标题", section.title
    for paragraph in paragraphs(disclosure):
        if paragraph.heading:
            yield f"{paragraph.where}（小标题）", paragraph.text
    for table in disclosure.tables:
        if table.title:
            yield f"{table_where(table)}标题", table.title


def table_where(table: Table) -> str:
    """Human location of a table: 《title》(第N页)."""
    page = f"（第{table.source_page}页）" if table.source_page else ""
    return f"表《{table.title or table.id}》{page}"


def excerpt(text: str, start: int, end: int, width: int = QUOTE_WIDTH) -> str:
    """The matched text with up to `width` characters around it, cut at sentence ends where possible."""
    left = max(0, start - width)
    cut = max(text.rfind("。", left, start), text.rfind("；", left, start))
    left = cut + 1 if cut >= 0 else left
    right = min(len(text), end + width)
    stop = next((i for i in range(end, right) if text[i] in "。；"), None)
    right = stop + 1 if stop is not None else right
    prefix = "…" if left > 0 else ""
    suffix = "…" if right < len(text) else ""
    return f"{prefix}{text[left:right]}{suffix}"


def report(
    checks: CheckCollector,
    check_id: str,
    status: Status,
    where: str,
    quote: str,
    problem: str,
    fix: str,
    *,
    expected: object = None,
    actual: object = None,
) -> None:
    """Record one finding as `where：“quote”——problem。fix`."""
    message = f"{where}：“{quote}”——{problem}。{fix}"
    checks.add(Check(check_id, status, message, expected=expected, actual=actual))
