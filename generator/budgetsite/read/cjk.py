"""Joining text that a page layout broke apart, the way Chinese needs it.

PDF extraction breaks a cell or paragraph at the end of every printed line and pads letter-spaced
labels ("当 年 收 入" in 01's 收支预算总表). Chinese has no spaces between words, so such breaks and
pads must vanish; between two Latin words a space is kept.
"""

from __future__ import annotations

import re

_CJK = (
    "\u2e80-\u2fff"  # radicals
    "\u3000-\u303f"  # CJK punctuation (、。「」)
    "\u3040-\u30ff"  # kana (rare, harmless)
    "\u3400-\u4dbf\u4e00-\u9fff"  # ideographs
    "\uf900-\ufaff"  # compatibility ideographs
    "\ufe30-\ufe4f"  # compatibility forms (︰)
    "\uff00-\uffef"  # full-width forms （），：；
    "\u2014\u2026\u201c\u201d\u2018\u2019"  # —— … “ ” ‘ ’ as set in Chinese text
)
_SPACE_NEXT_TO_CJK = re.compile(rf"(?<=[{_CJK}])[ \t\u3000]+|[ \t\u3000]+(?=[{_CJK}])")
_CJK_CHAR = re.compile(rf"[{_CJK}]")


def is_cjk(char: str) -> bool:
    """Whether `char` is a Chinese character or full-width punctuation."""
    return bool(_CJK_CHAR.fullmatch(char))


def squeeze_cjk_spaces(text: str) -> str:
    """Drop spaces that touch a Chinese character ("当 年 收 入" → "当年收入", "2017 年度" → "2017年度")."""
    return _SPACE_NEXT_TO_CJK.sub("", text)


def join_wrapped(lines: list[str]) -> str:
    """Join the printed lines of one cell or paragraph: no separator where either side is Chinese.

    Lines come with their spaces already squeezed (`squeeze_cjk_spaces`); a wide gap inside a line
    ("部门：中共江苏省委办公厅   单位：万元") stays one space.

    Codes broken at a line end ("471-0602-YBN-G1U" / "W") are rejoined too: a break between two ASCII
    letters/digits inside a table cell is a wrap, not a word boundary, in these documents.
    """
    text = ""
    for raw in lines:
        line = raw.strip()
        if not line:
            continue
        if not text:
            text = line
            continue
        left, right = text[-1], line[0]
        if is_cjk(left) or is_cjk(right) or (left.isalnum() and right.isalnum()) or left in "-/":
            text += line
        else:
            text += " " + line
    return text
