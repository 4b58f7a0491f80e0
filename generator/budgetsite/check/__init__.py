"""Check stage: Disclosure → findings (DESIGN §7). The rule registry is the two lists below.

Checks report; they never change a number. `base` holds what every rule shares (the collector, the
rounding tolerance); `tables` the arithmetic of one table and the projects; `narrative` the figures the
text repeats against the tables; `facts` each total fact against its parts.
"""

from __future__ import annotations

from budgetsite.check.base import CheckCollector
from budgetsite.check.facts import fact_sums
from budgetsite.check.narrative import NARRATIVE_RULES, narrative_sums
from budgetsite.check.tables import TABLE_RULES, project_checks
from budgetsite.model import Check, Disclosure, Table


def table_key(table: Table, disclosure: Disclosure) -> str:
    """The table's id, made unique when a merged disclosure holds two tables with one id."""
    same = [t for t in disclosure.tables if t.id == table.id]
    if len(same) == 1:
        return table.id
    return f"{table.id}-{next(i for i, t in enumerate(same) if t is table) + 1}"


def run_checks(disclosure: Disclosure) -> list[Check]:
    """Run every check of DESIGN §7 on `disclosure`; numbers are read, never changed."""
    collector = CheckCollector()
    for table in disclosure.tables:
        key = table_key(table, disclosure)
        for rule in TABLE_RULES:
            rule(table, key, collector)
    project_checks(disclosure, collector)
    for narrative_rule in NARRATIVE_RULES:
        narrative_rule(disclosure, collector)
    narrative_sums(disclosure, collector)
    fact_sums(disclosure, collector)
    return collector.result()
