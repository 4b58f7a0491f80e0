"""budgetsite.units: exact conversion of printed amounts between 元 and 万元."""

from __future__ import annotations

from decimal import Decimal

from budgetsite.units import convert


def test_yuan_to_wan_yuan_keeps_every_digit() -> None:
    # 06a p10: "收入总计 96,282,213.44" (单位：元) is 9628.221344 万元 — its narrative rounds it to 9628.22万元.
    assert convert(Decimal("96282213.44"), "元") == Decimal("9628.221344")
    assert str(convert(Decimal("96282213.44"), "元")) == "9628.221344"


def test_wan_yuan_to_yuan_and_same_unit() -> None:
    assert convert(Decimal("10.81"), "万元", to="元") == Decimal("108100")
    assert convert(Decimal("1673.35"), "万元") == Decimal("1673.35")
    assert convert(Decimal("1673.35"), None) == Decimal("1673.35")  # unit not printed: taken as 万元


def test_thousand_and_hundred_million() -> None:
    assert convert(Decimal("1.5"), "亿元") == Decimal("15000")
    assert convert(Decimal("2500"), "千元") == Decimal("250")
