"""Money units as printed (元, 千元, 万元, 亿元) and exact conversion between them.

Tables keep the unit printed above them (06a prints its tables in 元, its 三公 table in 万元; the Hebei
samples print 万元). Pages that put departments side by side convert to one unit, exactly: Decimal
scaling by a power of ten, never a float.
"""

from __future__ import annotations

from decimal import Decimal

# Each unit as a power of ten of 元: converting shifts the decimal point, so it is exact and keeps the
# printed precision (the half-unit rounding bounds of the checks stay right after conversion).
YUAN_EXPONENT: dict[str, int] = {
    "元": 0,
    "千元": 3,
    "万元": 4,
    "百万元": 6,
    "亿元": 8,
}
DEFAULT_UNIT = "万元"


def convert(amount: Decimal, unit: str | None, to: str = DEFAULT_UNIT) -> Decimal:
    """`amount` printed in `unit` expressed in `to` (default 万元); an unknown or missing unit is taken as `to`.

    96,282,213.44 元 → 9628.221344 万元: every digit kept, the decimal point moved.
    """
    source = YUAN_EXPONENT.get((unit or to).strip(), YUAN_EXPONENT[to])
    return amount.scaleb(source - YUAN_EXPONENT[to]) if source != YUAN_EXPONENT[to] else amount


def to_wan_yuan(amount: Decimal | None, unit: str | None) -> Decimal | None:
    """`amount` printed in `unit`, in 万元 (None stays None): for figures compared across tables."""
    return None if amount is None else convert(amount, unit)
