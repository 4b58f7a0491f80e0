"""三公 figures of the text against a 三公 table printed as one row of labelled columns (上海 预算 and 决算).

"2026年“三公”经费预算数为10.81万元 … 公务接待费0.83万元" against "“三公”经费预算数 / 合计 10.81 … 公务接待费 0.83";
a 决算 compares "年初预算为0.95万元，支出决算为0.00万元" with the 预算数 and 决算数 columns. Tables printed as
rows (the Hebei layout) are checked by `narrative` instead. Tolerance: `statements.compare_with_table`; a
blank cell is 0.
"""

from __future__ import annotations

import re
from decimal import Decimal

from budgetsite.check.base import CheckCollector
from budgetsite.check.findings import AMOUNT, amount, excerpt, paragraphs
from budgetsite.check.statements import compare_with_table
from budgetsite.model import Disclosure, Table
from budgetsite.recognize.catalog import find_table
from budgetsite.recognize.table_layout import number

# (name, the words before the amount in the text, the words of its column label)
ITEMS = [
    ("三公经费", r"“?三公”?经费(?:财政拨款)?(?:支出)?", ("合计",)),
    ("因公出国（境）费", r"因公出国[（(]境[)）]费(?:支出)?", ("因公出国",)),
    ("公务用车购置及运行费", r"公务用车购置及运行(?:维护)?费(?:支出)?", ("公务用车购置及运行", "小计")),
    ("公务用车购置费", r"公务用车购置费(?:支出)?", ("购置费",)),
    ("公务用车运行费", r"公务用车运行(?:维护)?费(?:支出)?", ("运行费",)),
    ("公务接待费", r"公务接待费(?:支出)?", ("公务接待费",)),
]
# What the amount is: a budget ("预算数为", "预算安排", or nothing) or a 决算 ("决算为", "支出决算数为").
STATED = r"(?:(?P<kind>年初预算|预算|决算)(?:数)?(?:安排)?(?:为|是)?)?\s*" + AMOUNT + r"\s*万元"


def _column(table: Table, words: tuple[str, ...], kind: str | None) -> int | None:
    """The column whose label has all `words` (and 预算数/决算数 for a 决算 table).

    运行费 is in "公务用车购置及运行费 / 小计" too: a column whose own (lowest) header has the last word is the
    item's own column; among those, the shortest label.
    """
    found = []
    for index, column in enumerate(table.columns):
        label = re.sub(r"\s+", "", column.label)
        if "机关运行经费" in label or not all(word in label for word in words):
            continue
        if kind is not None and kind not in label:
            continue
        parts = [p for p in label.split("/") if p not in ("预算数", "决算数")]
        own = bool(parts) and words[-1] in parts[-1]
        found.append((not own, len(label), index))
    return min(found)[2] if found else None


def _one_row_table(disclosure: Disclosure) -> tuple[Table, list] | None:
    table = find_table(disclosure, "three-public-expenses")
    if table is None:
        return None
    rows = [r for r in table.rows if any(isinstance(c, Decimal) for c in r)]
    if len(rows) > 1 or not any("合计" in c.label for c in table.columns):
        return None  # the Hebei layout (one row per item) is the narrative rules' matter
    return table, (rows[0] if rows else [None] * len(table.columns))


def three_public_rule(disclosure: Disclosure, checks: CheckCollector) -> None:
    """Every 三公 figure the text gives against its column of the 三公 table."""
    found = _one_row_table(disclosure)
    if found is None:
        return
    table, row = found
    final = disclosure.kind == "final-accounts"
    for paragraph in paragraphs(disclosure):
        for name, words, label_words in ITEMS:
            for match in re.finditer(words + STATED, paragraph.text):
                stated_kind = match.group("kind") or ""
                kind = ("决算数" if "决算" in stated_kind else "预算数") if final else None
                column = _column(table, label_words, kind)
                if column is None or (final and not stated_kind):
                    continue
                printed = number(row[column]) if column < len(row) else None
                compare_with_table(
                    checks,
                    f"narrative-three-public:{name}" + (f":{kind}" if kind else ""),
                    paragraph,
                    excerpt(paragraph.text, match.start(), match.end(), 0),
                    amount(match.group(2)),
                    table,
                    re.sub(r"\s+", "", table.columns[column].label),
                    printed if printed is not None else Decimal(0),
                )
