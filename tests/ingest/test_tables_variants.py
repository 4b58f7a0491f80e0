"""Variants of the three sample layouts (other departments, years, counties, columns and units).

The fixtures vary what the samples do: tests/fixtures/variant_tsv_county_2025.txt (002's PDF layout:
献县, 2025, thousands separators, code and name in one column, no 序号 column, a procurement unit more,
a column missing on the second procurement page, a wrapped catalog code), variant_word_district_2025.txt
(001's Word layout: 满城区, 2025, 收入总表 with an extra 单位资金 column and without 经营收入 …,
支出总表 without its last three columns, three institutions, two procurement units) and
variant_pipe_city_2021.md (Markdown: 沧州市, 2021, 公开06表 numbering, an extra 机关运行经费 column, a table
continued after a blank line without its header). Comments quote the fixture lines.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from budgetsite.model import Table
from budgetsite.read.text import TextReader
from budgetsite.recognize.catalog import is_standard
from budgetsite.recognize.tables import recognize_tables, unit_subtotals
from samples import SAMPLES

FIXTURES = Path(__file__).parent.parent / "fixtures"
D = Decimal


def _tables(name: str) -> dict[str, Table]:
    result = recognize_tables(TextReader().read(FIXTURES / name).blocks)
    return {t.id: t for t in result.tables if is_standard(t.id)}


def value(table: Table, match_key: str, match: str, key: str):
    keys = [c.key for c in table.columns]
    row = next(r for r in table.rows if r[keys.index(match_key)] == match)
    return row[keys.index(key)]


@pytest.fixture(scope="module")
def county() -> dict[str, Table]:
    return _tables("variant_tsv_county_2025.txt")


@pytest.fixture(scope="module")
def district() -> dict[str, Table]:
    return _tables("variant_word_district_2025.txt")


def test_county_tables_found(county):
    assert {tid: len(t.rows) for tid, t in county.items()} == {
        "income-expenditure-summary": 4,
        "general-public-budget-expenditure": 7,
        "general-public-budget-basic-expenditure": 10,  # 6 rows + 4 on the continuation page
        "government-fund-expenditure": 0,
        "institutions": 2,
        "procurement": 6,
        "fixed-assets": 5,
    }
    assert county["income-expenditure-summary"].unit_name == "612 献县工业和信息化局"


def test_county_thousands_separators(county):
    # "1|一、一般公共预算拨款收入|1,205.60|一、一般公共服务支出|"
    assert value(county["income-expenditure-summary"], "seq", "1", "income_amount") == D("1205.60")
    # "资产总额|—|1,234.50" and "1、房屋（平方米）|2,100|1,000.00"
    assets = county["fixed-assets"]
    assert value(assets, "name", "资产总额", "value") == D("1234.50")
    assert value(assets, "name", "资产总额", "quantity") is None
    assert value(assets, "name", "1、房屋（平方米）", "quantity") == D("2100")


def test_county_code_and_name_in_one_column(county):
    t = county["general-public-budget-expenditure"]
    assert [c.key for c in t.columns] == ["function_code", "name", "total", "basic", "project"]
    # "2150599 其他工业和信息产业监管支出|200.00||200.00"
    assert value(t, "function_code", "2150599", "name") == "其他工业和信息产业监管支出"
    assert value(t, "function_code", "2150599", "basic") is None
    assert value(t, "function_code", "2150599", "project") == D("200.00")
    # "合计|1,205.60|905.60|300.00" — the total row has no code
    assert value(t, "name", "合计", "function_code") is None
    assert value(t, "name", "合计", "total") == D("1205.60")


def test_county_basic_expenditure_without_seq_column_over_two_pages(county):
    t = county["general-public-budget-basic-expenditure"]
    assert [c.key for c in t.columns] == ["economic_code", "name", "total", "personnel", "public"]
    # "|合计|905.60|850.10|55.50"
    assert value(t, "name", "合计", "personnel") == D("850.10")
    # second page: "30217|公务接待费|1.50||1.50", "30302|退休费|150.10|150.10|"
    assert value(t, "economic_code", "30217", "public") == D("1.50")
    assert value(t, "economic_code", "30302", "personnel") == D("150.10")


def test_county_extra_unit_in_procurement_and_institutions(county):
    t = county["procurement"]
    # "献县工业和信息化局本级小计 … 4.30", "献县中小企业服务中 心小计 … 8.00" (second page, wrap space)
    assert unit_subtotals(t) == {"献县工业和信息化局本级": D("4.30"), "献县中小企业服务中心": D("8.00")}
    # "办公设备购置|4.30|台式计算机|A0201 0105|台|2|1.00|2.00|2.00" — the wrapped code is rejoined
    assert value(t, "item", "台式计算机", "catalog_code") == "A02010105"
    # the second page has no 单位资金 column: its cells are null, not shifted
    assert value(t, "catalog_code", "C16990000", "total") == D("8.00")
    assert value(t, "catalog_code", "C16990000", "unit_funds") is None
    assert [r[0] for r in county["institutions"].rows] == ["献县工业和信息化局本级", "献县中小企业服务中心"]


def test_county_empty_table_note(county):
    # "注：无政府性基金预算财政拨款预算，空表列示。"
    assert county["government-fund-expenditure"].note == "注：无政府性基金预算财政拨款预算，空表列示。"


def test_district_tables_found(district):
    assert {tid: len(t.rows) for tid, t in district.items()} == {
        "income-summary": 5,
        "expenditure-summary": 5,
        "three-public-expenses": 7,
        "institutions": 3,
        "procurement": 6,
        "fixed-assets": 6,
    }


def test_district_income_summary_other_columns(district):
    t = district["income-summary"]
    assert [c.key for c in t.columns] == [
        "seq", "function_code", "name", "total", "subtotal", "fiscal_appropriation",
        "institution_income", "unit_funds", "carried_over",
    ]  # fmt: skip
    # "4|2150501|行政运行|612.40|600.00|590.00||10.00|12.40"
    assert value(t, "function_code", "2150501", "unit_funds") == D("10.00")
    assert value(t, "function_code", "2150501", "carried_over") == D("12.40")
    assert value(t, "function_code", "2150501", "institution_income") is None


def test_district_expenditure_summary_missing_columns(district):
    t = district["expenditure-summary"]
    assert [c.key for c in t.columns] == ["seq", "function_code", "name", "total", "basic", "project"]
    # "5|2150599|其他工业和信息产业监管支出|200.00||200.00"
    assert value(t, "function_code", "2150599", "project") == D("200.00")


def test_district_three_institutions_and_two_procurement_units(district):
    assert district["institutions"].rows[2] == [
        "保定市满城区工业信息化发展研究中心",
        "事业",
        "股级",
        "财政补助",
    ]
    t = district["procurement"]
    # "保定市满城区中小企业服务中 心小计 … 2.50"
    assert unit_subtotals(t) == {
        "保定市满城区工业和信息化局本级": D("3.10"),
        "保定市满城区中小企业服务中心": D("2.50"),
    }
    assert t.columns[-1].label == "2025年预留中小微企业份额"
    assert value(t, "catalog_code", "A02010105", "sme_share") == D("1.10")


def test_district_fixed_assets_and_three_public(district):
    # "资产总额||88.20"; "4、其他固定资产|150|40.00"
    assert value(district["fixed-assets"], "name", "资产总额", "value") == D("88.20")
    assert value(district["fixed-assets"], "name", "4、其他固定资产", "quantity") == D("150")
    # "7|三、公务接待费|0.50|0.50||"
    assert value(district["three-public-expenses"], "seq", "7", "total") == D("0.50")


def test_markdown_variant_extra_column_and_headerless_continuation():
    tables = _tables("variant_pipe_city_2021.md")
    assert len(tables["institutions"].rows) == 5
    t = tables["general-public-budget-basic-expenditure"]
    assert [c.key for c in t.columns][-1] == "operating_costs"  # "其中：机关运行经费"
    assert len(t.rows) == 7  # 3 rows, a blank line, 4 more rows without a header
    # "| 30217 | 公务接待费 | 3.21 | — | 3.21 | 3.21 |"
    assert value(t, "economic_code", "30217", "operating_costs") == D("3.21")
    assert value(t, "economic_code", "30217", "personnel") is None
    # "| | 合计 | 2,345.67 | 2,100.00 | 245.67 | 120.00 |"
    assert value(t, "name", "合计", "total") == D("2345.67")


def test_word_conversion_without_row_breaks_recovers_rows_from_the_lanci_row():
    # DESIGN §3: some Word conversions do not separate rows. Remove 001's blank lines inside cell runs;
    # the 栏次 row (栏次 1 2 … n) still tells the width, so every standard budget table comes back the same.
    source = (SAMPLES / "001_8bf267248edeb530.txt").read_text(encoding="utf-8")
    lines = source.split("\n")
    flat = [
        line
        for i, line in enumerate(lines)
        if line
        or not (0 < i < len(lines) - 1 and lines[i - 1].startswith("\t") and lines[i + 1].startswith("\t"))
    ]
    expected = {t.id: t for t in recognize_tables(TextReader.read_text(source)).tables}
    got = {t.id: t for t in recognize_tables(TextReader.read_text("\n".join(flat))).tables}
    budget_tables = [
        "income-expenditure-summary",
        "income-summary",
        "expenditure-summary",
        "fiscal-appropriation-summary",
        "general-public-budget-expenditure",
        "general-public-budget-basic-expenditure",
        "government-fund-expenditure",
        "state-capital-expenditure",
        "three-public-expenses",
    ]
    for table_id in budget_tables:
        assert got[table_id] == expected[table_id], table_id
    # the example survives: 30217 公务接待费 0.06 under 公用经费
    assert value(got["general-public-budget-basic-expenditure"], "economic_code", "30217", "public") == D(
        "0.06"
    )
