"""Money units as printed (元, 千元, 万元, 亿元) and exact conversion between them.

Tables keep the unit printed above them (06a prints its tables in 元, its 三公 table in 万元; the Hebei
samples print 万元). Pages that put departments side by side convert to one unit, exactly: Decimal
scaling by a power of ten, never a float.
"""

from __future__ import annotations

from decimal import Decimal

YUAN_PER_UNIT: dict[str, int] = {
    "元": 1,
    "千元": 1_000,
    "万元": 10_000,
    "百万元": 1_000_000,
    "亿元": 100_000_000,
}
DEFAULT_UNIT = "万元"


def convert(amount: Decimal, unit: str | None, to: str = DEFAULT_UNIT) -> Decimal:
    """`amount` printed in `unit` expressed in `to` (default 万元); an unknown or missing unit is taken as `to`.

    96,282,213.44 元 → 9628.221344 万元: every digit kept (the quotient of two powers of ten is exact).
    """
    source = YUAN_PER_UNIT.get((unit or to).strip(), YUAN_PER_UNIT[to])
    return amount * source / YUAN_PER_UNIT[to] if source != YUAN_PER_UNIT[to] else amount
