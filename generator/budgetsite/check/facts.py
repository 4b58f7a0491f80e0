"""A total fact against the facts it is made of (recognize.facts.FACT_SUMS): 三公经费合计 = 因公出国（境）费 +
公务用车购置及运行维护费 + 公务接待费, and 公务用车 = 购置 + 运行, whatever template printed them.

The comparison is made where the figures come from more than one place — the table prints the 合计 and
leaves a part blank that the narrative states (普陀 2025: "公务用车购置及运行费0万元"). Figures all from
one table are that table's own arithmetic, checked by `row-sum` / `three-public-sum` already (all from
the text: `narrative-sum`). A part
printed nowhere counts as 0, as blank cells do in every check.
"""

from __future__ import annotations

from budgetsite.check.base import CheckCollector, Term
from budgetsite.model import Disclosure, Fact
from budgetsite.recognize.facts import FACT_SUMS, extract_facts


def _where(fact: Fact) -> str:
    source = fact.source
    if source.table is not None:
        return f"{source.table} {source.row or ''} {source.column or ''}".strip()
    return f"正文“{source.text}”"


def fact_sums(disclosure: Disclosure, checks: CheckCollector) -> None:
    """`fact-sum:<total>` for every FACT_SUMS total whose parts come (partly) from elsewhere."""
    # Disclosures straight from recognition (tests, schema 1 trees) have no facts yet.
    found = {f.name: f for f in disclosure.facts or extract_facts(disclosure)}
    for total, parts in FACT_SUMS.items():
        present = [found[part] for part in parts if part in found]
        if total not in found or not present:
            continue
        sources = {(f.source.table, f.source.table_index) for f in [found[total], *present]}
        if len(sources) == 1:
            continue  # one table's own arithmetic (table rules) or the text's own (narrative-sum)
        checks.compare(
            f"fact-sum:{total}",
            "；".join(_where(f) for f in [found[total], *present]),
            Term(total, found[total].value_wan),
            [Term(part, found[part].value_wan if part in found else None) for part in parts],
        )
