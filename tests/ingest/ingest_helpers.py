"""Shared helpers for the ingest/checks/content-tree tests: sample paths and hand-built disclosures."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

from budgetsite.model import Cell, Column, Disclosure, Section, Source, Table
from samples import SAMPLES
from samples import SCHEMA as SCHEMA_COPY

HENGSHUI_2020 = SAMPLES / "000_8f224ed89935fe50.txt"
XUSHUI_2024 = SAMPLES / "001_8bf267248edeb530.txt"
XINGTAI_2023 = SAMPLES / "002_ae784f8ae38a492c.txt"
ALL_SAMPLES = [HENGSHUI_2020, XUSHUI_2024, XINGTAI_2023]
FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"
SCHEMA = SCHEMA_COPY

XUSHUI_SLUG = "baodingshi-xushuiqu-gongyehexinxihuaju"
HENGSHUI_SLUG = "hengshuishi-gongyehexinxihuaju"
XINGTAI_SLUG = "xingtaishi-gongyehexinxihuaju"


def d(text: str | None) -> Decimal | None:
    return None if text is None else Decimal(text)


def table(table_id: str, title: str, columns: list[tuple[str, str]], rows: list[list[Cell | str]]) -> Table:
    """A Table from (key, label) pairs; numeric strings in rows become Decimals, '' becomes None."""

    def cell(value: Cell | str, key: str) -> Cell:
        if value is None or value == "":
            return None
        if isinstance(value, str) and key not in ("function_code", "economic_code", "seq", "name"):
            try:
                return Decimal(value)
            except ArithmeticError:
                return value
        return value

    keys = [k for k, _ in columns]
    return Table(
        id=table_id,
        title=title,
        unit="万元",
        columns=[Column(k, label) for k, label in columns],
        rows=[[cell(v, keys[i]) for i, v in enumerate(row)] for row in rows],
    )


def disclosure(
    tables: list[Table] | None = None, sections: list[Section] | None = None, **fields: object
) -> Disclosure:
    """A minimal Disclosure (保定市徐水区工业和信息化局 2024) around the given tables and sections."""
    result = Disclosure(
        department="保定市徐水区工业和信息化局",
        year=2024,
        kind="budget",
        title="保定市徐水区工业和信息化局2024年部门预算",
        source=Source(file="placeholder.txt", sha256="0" * 64, format="text"),
        region=["河北省", "保定市", "徐水区"],
        slug="baodingshi-xushuiqu-gongyehexinxihuaju",
        tables=tables or [],
        sections=sections or [],
    )
    for name, value in fields.items():
        setattr(result, name, value)
    return result


# 001's 一般公共预算财政拨款基本支出表, abridged to the 合计 row and the three 类 with two 款 each.
BASIC_COLUMNS = [
    ("economic_code", "科目编码"),
    ("name", "科目名称"),
    ("total", "合计"),
    ("personnel", "人员经费"),
    ("public", "公用经费"),
]


def basic_table(total: str = "1023.35", personnel: str = "971.52", public: str = "51.84") -> Table:
    """The 基本支出表 with the real 0.01 discrepancy of 001 in its 合计 row (unless told otherwise)."""
    return table(
        "general-public-budget-basic-expenditure",
        "一般公共预算财政拨款基本支出表",
        BASIC_COLUMNS,
        [
            ["", "合计", total, personnel, public],
            ["301", "工资福利支出", "654.08", "654.08", ""],
            ["30101", "基本工资", "170.30", "170.30", ""],
            ["30199", "其他工资福利支出", "483.78", "483.78", ""],
            ["302", "商品和服务支出", "51.84", "", "51.84"],
            ["30201", "办公费", "51.78", "", "51.78"],
            ["30217", "公务接待费", "0.06", "", "0.06"],
            ["303", "对个人和家庭的补助", "317.44", "317.44", ""],
            ["30302", "退休费", "317.44", "317.44", ""],
        ],
    )
