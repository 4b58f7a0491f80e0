"""Word's automatic numbering ("一、" "（一）" "1." put in front of a paragraph by a numbering definition).

Word does not store these numbers in the text, yet the section recognizer needs "一、部门职责" as printed.
This renders the label of each numbered paragraph from numbering.xml (numFmt + lvlText), counting per
list like Word does; bullets render nothing.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from lxml import etree

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_DIGITS = "零一二三四五六七八九"


def chinese_number(n: int) -> str:
    """1 → 一, 10 → 十, 12 → 十二, 20 → 二十, 105 → 一百零五 (counting style used in headings)."""
    if n < 10:
        return _DIGITS[n]
    if n < 20:
        return "十" + (_DIGITS[n % 10] if n % 10 else "")
    if n < 100:
        return _DIGITS[n // 10] + "十" + (_DIGITS[n % 10] if n % 10 else "")
    rest = n % 100
    tail = "" if rest == 0 else ("零" + _DIGITS[rest] if rest < 10 else chinese_number(rest))
    if 10 <= rest < 20:
        tail = "一" + tail
    return _DIGITS[n // 100] + "百" + tail


def _roman(n: int) -> str:
    values = [(1000, "M"), (900, "CM"), (500, "D"), (400, "CD"), (100, "C"), (90, "XC"), (50, "L"),
              (40, "XL"), (10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I")]  # fmt: skip
    out = ""
    for value, letters in values:
        while n >= value:
            out, n = out + letters, n - value
    return out


def format_number(n: int, num_fmt: str) -> str:
    """One counter in a Word number format (decimal, chineseCounting, upperLetter …)."""
    if num_fmt in {"chineseCounting", "chineseCountingThousand", "taiwaneseCounting", "ideographTraditional"}:
        return chinese_number(n)
    if num_fmt == "decimalFullWidth":
        return "".join(chr(ord(d) + 0xFEE0) for d in str(n))
    if num_fmt == "decimalEnclosedCircle" and 1 <= n <= 20:
        return chr(0x2460 + n - 1)
    if num_fmt in {"upperLetter", "lowerLetter"}:
        letter = chr(ord("A") + (n - 1) % 26)
        return letter if num_fmt == "upperLetter" else letter.lower()
    if num_fmt in {"upperRoman", "lowerRoman"}:
        return _roman(n) if num_fmt == "upperRoman" else _roman(n).lower()
    return str(n)


class Numbering:
    """Labels for numbered paragraphs of one document, counted in document order."""

    def __init__(self, numbering: etree._Element | None):
        self._levels: dict[str, dict[int, tuple[int, str, str]]] = {}
        self._abstract_of: dict[str, str] = {}
        self._counters: dict[str, list[int]] = {}
        if numbering is None:
            return
        for abstract in numbering.iter(f"{_W}abstractNum"):
            levels = {}
            for lvl in abstract.iter(f"{_W}lvl"):
                start = _val(lvl.find(f"{_W}start")) or "1"
                fmt = _val(lvl.find(f"{_W}numFmt")) or "decimal"
                text = _val(lvl.find(f"{_W}lvlText")) or ""
                level = _whole(_val(lvl, "ilvl"), 0)
                if level < 9:  # Word has nine list levels; a damaged file may claim others
                    levels[level] = (_whole(start, 1), fmt, text)
            self._levels[_val(abstract, "abstractNumId") or ""] = levels
        for num in numbering.iter(f"{_W}num"):
            self._abstract_of[_val(num, "numId") or ""] = _val(num.find(f"{_W}abstractNumId")) or ""

    def label(self, num_id: str, level: int) -> str:
        """The next label of list `num_id` at `level` ("一、", "（二）", "3."), "" for bullets/unknown lists."""
        abstract = self._abstract_of.get(num_id)
        levels = self._levels.get(abstract or "")
        if not levels or level not in levels:
            return ""
        counters = self._counters.setdefault(abstract or "", [0] * 9)
        counters[level] += 1
        for deeper in range(level + 1, 9):
            counters[deeper] = 0
        text = levels[level][2]
        if levels[level][1] in {"bullet", "none"}:
            return ""
        for k in range(level, -1, -1):
            if k in levels:
                start, fmt, _ = levels[k]
                value = start - 1 + max(counters[k], 1)
                text = text.replace(f"%{k + 1}", format_number(value, fmt))
        return text


def paragraph_numbering(ppr: etree._Element | None) -> tuple[str, int] | None:
    """(numId, level) of a paragraph's own numPr, if it has one (numId 0 switches numbering off)."""
    if ppr is None:
        return None
    num_pr = ppr.find(f"{_W}numPr")
    if num_pr is None:
        return None
    num_id = _val(num_pr.find(f"{_W}numId"))
    if not num_id or num_id == "0":
        return None
    level = _whole(_val(num_pr.find(f"{_W}ilvl")), 0)
    return (num_id, level) if level < 9 else None


def _whole(text: str | None, default: int) -> int:
    """A non-negative whole number attribute; `default` when missing or malformed (damaged files)."""
    return int(text) if text is not None and text.isdigit() and len(text) < 6 else default


def _val(element: etree._Element | None, name: str = "val") -> str | None:
    return None if element is None else element.get(f"{_W}{name}")
