"""Standard tables of 002 (邢台市工业和信息化局 2023, PDF conversion), checked against the source.

002 splits tables over pages, repeating the caption (501 邢台市工业和信息化局 / 预算年度 / 单位) and the
header on each page; the pieces must come back as one table. Comments quote source lines ("|" = tab).
"""

from __future__ import annotations

from decimal import Decimal

import pytest

from budgetsite.blocks import RawTable
from budgetsite.model import Table
from budgetsite.read.text import TextReader
from budgetsite.recognize.catalog import is_standard
from budgetsite.recognize.tables import recognize_tables, unit_subtotals
from samples import SAMPLES

SOURCE = SAMPLES / "002_ae784f8ae38a492c.txt"
D = Decimal


@pytest.fixture(scope="module")
def blocks():
    return TextReader().read(SOURCE).blocks


@pytest.fixture(scope="module")
def result(blocks):
    return recognize_tables(blocks)


@pytest.fixture(scope="module")
def tables(result) -> dict[str, Table]:
    return {t.id: t for t in result.tables if is_standard(t.id)}


def value(table: Table, match_key: str, match: str, key: str):
    keys = [c.key for c in table.columns]
    row = next(r for r in table.rows if r[keys.index(match_key)] == match)
    return row[keys.index(key)]


ROW_COUNTS = {
    "income-expenditure-summary": 34,  # lines 41-58 (1-18) + lines 69-84 (19-34, second page)
    "income-summary": 9,
    "expenditure-summary": 9,
    "fiscal-appropriation-summary": 37,  # three pages: lines 139-153, 164-180, 191-195
    "general-public-budget-expenditure": 9,
    "general-public-budget-basic-expenditure": 25,  # lines 229-246 + 257-263
    "government-fund-expenditure": 0,
    "state-capital-expenditure": 0,
    "three-public-expenses": 9,
    "procurement": 3,
    "fixed-assets": 6,
    "institutions": 1,
}


def test_every_standard_table_found_with_its_row_count(tables):
    assert {tid: len(t.rows) for tid, t in tables.items()} == ROW_COUNTS


def test_continuation_pages_and_their_captions_are_consumed(blocks, result):
    # every RawTable piece of the 收支总表 (two pages) is used, with the repeated caption lines
    pieces = [
        i for i, b in enumerate(blocks) if isinstance(b, RawTable) and b.rows[0][:2] == ["序号", "收入"]
    ]
    assert len(pieces) == 5  # 收支总表 ×2, 财政拨款收支总表 ×3
    assert all(i in result.used for i in pieces)
    assert all(i - 1 in result.used for i in pieces)  # "单位：万元" line before each piece


def test_income_expenditure_summary_second_page(tables):
    t = tables["income-expenditure-summary"]
    assert t.title == "部门预算收支总表"  # line 30
    assert t.unit_name == "501 邢台市工业和信息化局"  # line 32
    # line 41: 1|一、一般公共预算拨款收入|1263.84|一、一般公共服务支出|
    assert value(t, "seq", "1", "income_amount") == D("1263.84")
    # line 55: 15|||十五、资源勘探工业信息等支出|1336.23
    assert value(t, "seq", "15", "expenditure_amount") == D("1336.23")
    # line 69 (second page): 19|||十九、自然资源海洋气象等支出|
    assert value(t, "seq", "19", "expenditure_item") == "十九、自然资源海洋气象等支出"
    # line 82: 32|本年收入合计|1263.84|本年支出合计|1336.23
    assert value(t, "seq", "32", "expenditure_amount") == D("1336.23")
    # line 83: 33|上年结转结余|72.39|年终结转结余|
    assert value(t, "seq", "33", "income_amount") == D("72.39")
    # line 84: 34|收入总计|1336.23|支出总计|1336.23
    assert value(t, "seq", "34", "income_amount") == D("1336.23")
    assert [r[0] for r in t.rows] == [str(n) for n in range(1, 35)]  # no repeated header or 栏次 row


def test_income_summary(tables):
    t = tables["income-summary"]
    # line 97: 1||合计|1336.23|1263.84|1263.84|||||||72.39
    assert value(t, "name", "合计", "total") == D("1336.23")
    assert value(t, "name", "合计", "carried_over") == D("72.39")
    # line 101: 5|2150502|一般行政管理事务|182.00|182.00|182.00
    assert value(t, "function_code", "2150502", "fiscal_appropriation") == D("182.00")
    # line 102: 6|21508|支持中小企业发展和管理支出|95.89|23.50|23.50|…|72.39
    assert value(t, "function_code", "21508", "subtotal") == D("23.50")
    assert value(t, "function_code", "21508", "carried_over") == D("72.39")
    assert value(t, "function_code", "21508", "institution_income") is None


def test_expenditure_summary(tables):
    t = tables["expenditure-summary"]
    # line 120: 3|21505|工业和信息化产业监管|1210.34|1023.34|187.00 (spelled 信息化 here, 信息 elsewhere)
    assert value(t, "function_code", "21505", "name") == "工业和信息化产业监管"
    assert value(t, "function_code", "21505", "project") == D("187.00")
    # line 121: 4|2150501|行政运行|1028.34|1023.34|5.00
    assert value(t, "function_code", "2150501", "basic") == D("1023.34")
    assert value(t, "function_code", "2150501", "project") == D("5.00")
    # line 126: 9|2159999|其他资源勘探工业信息等支出|30.00||30.00
    assert value(t, "function_code", "2159999", "basic") is None
    assert value(t, "function_code", "2159999", "total") == D("30.00")


def test_fiscal_appropriation_summary_three_pages(tables):
    t = tables["fiscal-appropriation-summary"]
    # line 153: 15|||十五、资源勘探工业信息等支出|1336.23|1336.23||
    assert value(t, "seq", "15", "expenditure_general_public") == D("1336.23")
    # line 180 (second page): 32|本年收入合计|1263.84|本年支出合计|1336.23|1336.23||
    assert value(t, "seq", "32", "income_amount") == D("1263.84")
    assert value(t, "seq", "32", "expenditure_total") == D("1336.23")
    # line 191 (third page): 33|年初财政拨款结转和结余|72.39|年末财政拨款结转和结余|
    assert value(t, "seq", "33", "income_amount") == D("72.39")
    # line 192: 34|一、一般公共预算拨款|72.39
    assert value(t, "seq", "34", "income_amount") == D("72.39")
    # line 195: 37|收入总计|1336.23|支出总计|1336.23|1336.23||
    assert value(t, "seq", "37", "expenditure_general_public") == D("1336.23")


def test_general_public_budget_expenditure(tables):
    t = tables["general-public-budget-expenditure"]
    # line 208: 1||合计|1336.23|1023.34|312.89
    assert value(t, "name", "合计", "project") == D("312.89")
    # line 210: 3|21505|工业和信息产业监管|1210.34|1023.34|187.00
    assert value(t, "function_code", "21505", "total") == D("1210.34")
    # line 212: 5|2150502|一般行政管理事务|182.00||182.00
    assert value(t, "function_code", "2150502", "basic") is None
    # line 214: 7|2150805|中小企业发展专项|95.89||95.89
    assert value(t, "function_code", "2150805", "project") == D("95.89")
    assert value(t, "function_code", "2150805", "seq") == "7"


def test_basic_expenditure_with_continuation_page(tables):
    t = tables["general-public-budget-basic-expenditure"]
    # line 229: 1||合计|1023.34|911.22|112.12
    assert value(t, "name", "合计", "total") == D("1023.34")
    assert value(t, "name", "合计", "personnel") == D("911.22")
    assert value(t, "name", "合计", "public") == D("112.12")
    # line 244: 16|30217|公务接待费|0.50||0.50
    assert value(t, "economic_code", "30217", "public") == D("0.50")
    # line 257 (continuation page): 19|30231|公务用车运行维护费|6.00||6.00
    assert value(t, "economic_code", "30231", "public") == D("6.00")
    # line 260: 22|303|对个人和家庭的补助|296.62|296.62|
    assert value(t, "economic_code", "303", "personnel") == D("296.62")
    # line 263: 25|30305|生活补助|2.16|2.16|
    assert value(t, "economic_code", "30305", "total") == D("2.16")


def test_empty_tables_keep_their_note(tables):
    # line 265: 部门预算政府基金预算财政拨款支出表 (政府基金, not 政府性基金); line 278: the note
    fund = tables["government-fund-expenditure"]
    assert fund.title == "部门预算政府基金预算财政拨款支出表"
    assert fund.note == "注：无政府基金预算财政拨款预算，空表列示。"
    assert [c.label for c in fund.columns][3:] == ["合计", "基本支出", "项目支出"]
    # line 293
    assert tables["state-capital-expenditure"].note == "注：无国有资本经营预算财政拨款预算，空表列示。"


def test_three_public_expenses_with_dangci_row(tables):
    t = tables["three-public-expenses"]
    # line 306: 档次|1|2|3|4|5 — the column-number row spelled 档次 is not a body row
    assert "档次" not in [r[0] for r in t.rows]
    # line 307: 1|合计|8.00|8.00||
    assert value(t, "name", "合计", "total") == D("8.00")
    # line 312: 6|二、公务用车购置及运维费|6.00|6.00
    assert value(t, "seq", "6", "general_public") == D("6.00")
    # line 314: 8|公务用车运行维护费|6.00|6.00
    assert value(t, "seq", "8", "total") == D("6.00")
    # line 315: 9|三、公务接待费|2.00|2.00||
    assert value(t, "seq", "9", "total") == D("2.00")
    assert value(t, "seq", "9", "government_fund") is None


def test_procurement(tables):
    t = tables["procurement"]
    # line 724 ends with 非财政拨款结转结余 and an unnamed empty column, which is dropped
    assert t.columns[-1].label == "2023年预留中小微企业份额"
    assert all(c.label for c in t.columns)
    # line 725: 合计|||||||40.00|40.00
    assert value(t, "project_name", "合计", "total") == D("40.00")
    # line 726: 邢台市工业和信息化局本级小计 … 40.00
    assert unit_subtotals(t) == {"邢台市工业和信息化局本级": D("40.00")}
    # line 727: 邢台市工业企业服务平台建设经费|40.00|其他信息技术服务|C16990000|项|1|40.00|40.00|40.00
    assert value(t, "catalog_code", "C16990000", "project_budget") == D("40.00")
    assert value(t, "catalog_code", "C16990000", "quantity") == D("1")
    assert value(t, "catalog_code", "C16990000", "general_public") == D("40.00")


def test_fixed_assets_total(tables):
    t = tables["fixed-assets"]
    assert t.note == "截止时间：2022-12-31"  # line 739
    # line 742: 资产总额||398.48
    assert value(t, "name", "资产总额", "value") == D("398.48")
    # line 743: 1、房屋（平方米）|1225|174.00
    assert value(t, "name", "1、房屋（平方米）", "quantity") == D("1225")
    # line 745: 2、车辆（台、辆）|3|53.60
    assert value(t, "name", "2、车辆（台、辆）", "value") == D("53.60")
    # line 746: "3、单价在 20 万元以上的设备" with two empty cells
    assert value(t, "name", "3、单价在20万元以上的设备", "value") is None
    # line 747: 4、其他固定资产||170.88
    assert value(t, "name", "4、其他固定资产", "value") == D("170.88")


def test_institutions(tables):
    # line 354: 邢台市工业和信息化局本级|行政|正处（县）级|财政拨款
    assert tables["institutions"].rows == [["邢台市工业和信息化局本级", "行政", "正处（县）级", "财政拨款"]]


def test_skip_indices_are_never_claimed(blocks):
    # B claims project tables first: a skipped block is neither a table nor in `used`
    procurement_index = next(
        i for i, b in enumerate(blocks) if isinstance(b, RawTable) and b.rows[0][0] == "政府采购项目来源"
    )
    result = recognize_tables(blocks, skip={procurement_index})
    assert procurement_index not in result.used
    assert "procurement" not in [t.id for t in result.tables]
