"""Small text repairs shared by the narrative and project recognizers (converter debris, wrap spaces)."""

from __future__ import annotations

import re
from decimal import Decimal

from budgetsite.blocks import Block, Heading, Paragraph
from budgetsite.recognize.cells import parse_number

# CJK ideographs plus CJK and fullwidth punctuation: a space between two of these is never meaningful.
_CJK = r"\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uff00-\uffef\u2018-\u201d\u2026"
_SPACE_BETWEEN_CJK = re.compile(rf"(?<=[{_CJK}])[ \t\u00a0\u3000]+(?=[{_CJK}])")
# PDF conversions print "2022 年", "≥10 个": a single space between a digit and an ideograph is a wrap
# or kerning artefact, not a word boundary.
_SPACE_DIGIT_CJK = re.compile(
    r"(?<=[0-9%])[ \u00a0](?=[\u4e00-\u9fff])|(?<=[\u4e00-\u9fff])[ \u00a0](?=[0-9])"
)
_BOOKMARK = re.compile(r"\[bookmark:[^\]]*\]")
# Word/PDF conversion debris between pages: "page number", "3", "- 3 -", "第 3 页", "第3页 共52页".
_PAGE_DEBRIS = re.compile(
    r"^(?:page\s*number|[-—–\s]*\d{1,3}[-—–\s]*|第\s*\d+\s*页(?:\s*[，,/]?\s*共\s*\d+\s*页)?)$", re.IGNORECASE
)
# Markdown-ish markup some text converters add ("- 1、**一般公共预算拨款收入**：…" in 002).
_LEADING_BULLET = re.compile(r"^[-*•·]\s+")


def clean_text(text: str) -> str:
    """Drop bookmarks and stray wrap spaces inside CJK text; collapse other whitespace runs."""
    text = _BOOKMARK.sub("", text)
    text = _SPACE_BETWEEN_CJK.sub("", text)
    text = _SPACE_DIGIT_CJK.sub("", text)
    text = re.sub(r"[ \t\u00a0\u3000]+", " ", text)
    return text.strip()


def strip_markup(text: str) -> str:
    """Remove converter-added Markdown bullets and bold markers from a paragraph."""
    text = _LEADING_BULLET.sub("", text.strip())
    return text.replace("**", "")


def squeeze(text: str) -> str:
    """Text with every whitespace removed (labels like '其中：财政    资金', codes like 'G1U W')."""
    return re.sub(r"\s+", "", _BOOKMARK.sub("", text))


def is_page_debris(text: str) -> bool:
    """True for page numbers and 'page number' placeholders left by converters."""
    return bool(_PAGE_DEBRIS.match(text.strip())) if text.strip() else True


def block_text(block: Block) -> str | None:
    """The cleaned text of a heading or paragraph block; None for other blocks."""
    if isinstance(block, Heading | Paragraph):
        return clean_text(strip_markup(block.text))
    return None


def parse_amount(text: str | None) -> Decimal | None:
    """A printed amount ("1,234.50万元") as Decimal with its printed digits; blanks and dashes are None."""
    if text is None:
        return None
    return parse_number(re.sub(r"万?元$", "", squeeze(text)))
