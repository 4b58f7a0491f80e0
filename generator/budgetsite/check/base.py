"""What every check rule shares: the printed figures compared (Term), the rounding tolerance and the collector.

Checks report; they never change a number. Every comparison is `printed figure` against `sum of printed
figures`, in exact Decimal arithmetic.

Tolerance, stated once: a printed figure is the true value rounded to its printed precision, so it is off
by at most half a unit of its last printed digit (0.005 for 1023.35, 0.5 for 8). When the true values
satisfy `total = a + b + …` exactly, the printed ones can differ by at most the sum of those half-units
over every figure in the comparison (the total and each term). A difference within that bound is a
rounding difference (`warn`); anything larger cannot come from rounding (`fail`). So 基本支出 合计 1023.35
against 971.52 + 51.84 = 1023.36 (bound 3 × 0.005 = 0.015) is a warn; a 0.02 gap between two 2-decimal
figures (bound 0.01) is a fail. Blank cells count as 0 and add no rounding.

To keep data.json readable, comparisons that agree exactly are folded into one `pass` check per rule and
table ("code-sum:expenditure-summary: 27 comparisons agree"); every warn and fail is its own check with
an id naming rule, table, row and column (`basic-expenditure-sum:合计`, `code-sum:income-summary:20601:total`).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Literal

from budgetsite.model import Check, Disclosure, Status


@dataclass
class Term:
    """One printed figure taking part in a comparison."""

    label: str
    value: Decimal | None


def half_unit(value: Decimal) -> Decimal:
    """Half a unit of the last printed digit: the most rounding can have moved this figure."""
    exponent = value.as_tuple().exponent
    if not isinstance(exponent, int):
        return Decimal(0)  # NaN/Infinity are never printed figures; rules skip them
    return Decimal(5).scaleb(exponent - 1)


def fmt(value: Decimal | None) -> str:
    """A figure as printed (no exponent notation); blank as 空."""
    return "空" if value is None else format(value, "f")


@dataclass
class CheckCollector:
    """Accumulate comparisons; fold exact agreements into one pass check per group."""

    checks: list[Check | str] = field(default_factory=list)
    passes: dict[str, tuple[str, int]] = field(default_factory=dict)
    _ids: set[str] = field(default_factory=set)

    def compare(
        self,
        check_id: str,
        where: str,
        total: Term,
        terms: list[Term],
        *,
        group: str | None = None,
        group_label: str = "",
    ) -> None:
        """Compare a printed total with the sum of printed terms (see module docstring for the rule)."""
        if total.value is None and all(t.value is None for t in terms):
            return  # nothing printed: nothing to check
        printed = total.value if total.value is not None else Decimal(0)
        expected = sum((t.value for t in terms if t.value is not None), Decimal(0))
        bound = sum((half_unit(t.value) for t in terms if t.value is not None), Decimal(0))
        if total.value is not None:
            bound += half_unit(total.value)
        difference = printed - expected
        if len(terms) <= 6:
            parts = " + ".join(f"{t.label} {fmt(t.value)}" for t in terms)
        else:
            parts = f"{len(terms)} 项（{'、'.join(t.label for t in terms[:3])}……）之和"
        sentence = f"{where}：{total.label} {fmt(total.value)}，{parts} = {fmt(expected)}"
        status: Status
        if difference == 0:
            status = "pass"
            message = sentence
        elif abs(difference) <= bound:
            status = "warn"
            message = f"{sentence}，相差 {fmt(abs(difference))}（在印刷精度的舍入误差 ±{fmt(bound)} 以内）"
        else:
            status = "fail"
            message = f"{sentence}，相差 {fmt(abs(difference))}（超出印刷精度的舍入误差 ±{fmt(bound)}）"
        self.add(Check(check_id, status, message, expected=expected, actual=total.value), group, group_label)

    def add(self, check: Check, group: str | None = None, group_label: str = "") -> None:
        """Record a check; a pass with a group is folded into that group's summary."""
        if check.status == "pass" and group is not None:
            if group not in self.passes:
                self.checks.append(group)
                self.passes[group] = (group_label, 0)
            label, count = self.passes[group]
            self.passes[group] = (label, count + 1)
            return
        check.id = self._unique(check.id)
        self.checks.append(check)

    def _unique(self, check_id: str) -> str:
        candidate, n = check_id, 1
        while candidate in self._ids:
            n += 1
            candidate = f"{check_id}#{n}"
        self._ids.add(candidate)
        return candidate

    def result(self) -> list[Check]:
        """The checks in the order first seen, pass groups summarized."""
        out: list[Check] = []
        for item in self.checks:
            if isinstance(item, Check):
                out.append(item)
                continue
            label, count = self.passes[item]
            out.append(Check(self._unique(item), "pass", f"{label}：{count} 项核对全部相符"))
        return out


# --- the rule registry's row ---------------------------------------------------------------------

Family = Literal[
    "structure", "arithmetic", "between-tables", "narrative", "years", "names", "text", "plausibility"
]
Severity = Literal["fail", "warn"]


@dataclass(frozen=True)
class Rule:
    """One named check rule: its id (the prefix of every check id it reports), family and worst severity.

    `run` reads the disclosure and reports into the collector; it never changes a number. The severity is
    the status the rule gives a real discrepancy (a rounding difference inside the tolerance is always a
    warn, see `CheckCollector.compare`).
    """

    id: str
    family: Family
    severity: Severity
    summary: str
    run: Callable[[Disclosure, CheckCollector], None]
