"""Whose disclosure it is: the department's own (部门预算/决算) or one unit's (单位预算/决算).

A department publishes its consolidated 部门预算; many also publish a 单位预算 per budget unit, with the
same tables titled "预算单位…表". The cover says which: "上海市普陀区2025年区级单位预算" over
"预算单位：上海市普陀区人民政府办公室", against "…区级部门预算" over "预算主管部门：…". Only title-like
lines count (short, no sentence punctuation): narrative sentences mention 单位预算 too.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from budgetsite.blocks import Block, Heading, Paragraph
from budgetsite.model import Level
from budgetsite.recognize.textclean import clean_text, squeeze, strip_markup

# "2025年区级单位预算", "2024年度单位决算", "本级单位预算": a year or a 级 right before 单位 + kind, and
# not "预算单位收入预算总表" (a table title of both levels).
_UNIT_TITLE = re.compile(r"(?:(?:19|20)\d{2}年度?|[省市区县]级|本级)单位(?:预算|决算)(?!表)")
_DEPARTMENT_TITLE = re.compile(r"(?:(?:19|20)\d{2}年度?|[省市区县]级|本级)部门(?:预算|决算)(?!表)")
# "预算单位：上海市普陀区人民政府办公室", "单位名称：…" (with a colon: a bare 单位名称 is a column header)
_UNIT_NAME = re.compile(r"^(?:预算单位|单位名称|决算单位)[：:](?P<name>[^\s，。；;,：:]{2,40})$")
# The cover and the table of contents come first; a unit's name is printed there or nowhere.
_TITLE_LINES = 60
_MAX_TITLE_LENGTH = 60


def _title_lines(blocks: Sequence[Block]) -> list[str]:
    """The first title-like lines of the document, squeezed of spaces."""
    lines: list[str] = []
    for block in blocks:
        if not isinstance(block, Heading | Paragraph):
            continue
        for line in block.text.splitlines():
            text = squeeze(clean_text(strip_markup(line)))
            if text and len(text) <= _MAX_TITLE_LENGTH and "，" not in text and "。" not in text:
                lines.append(text)
        if len(lines) >= _TITLE_LINES:
            break
    return lines[:_TITLE_LINES]


def recognize_level(blocks: Sequence[Block], department: str) -> Level:
    """Level.unit with the unit's name when the title says 单位预算/决算, else the department's level.

    The unit's name is the "预算单位：" line of the cover, else the department name the document gives
    (a unit budget prints its own name where a department budget prints the department's).
    """
    lines = _title_lines(blocks)
    for text in lines:
        if _DEPARTMENT_TITLE.search(text):
            return Level()
        if _UNIT_TITLE.search(text):
            name = next((m["name"] for line in lines if (m := _UNIT_NAME.match(line))), department)
            return Level(kind="unit", unit=name)
    return Level()
