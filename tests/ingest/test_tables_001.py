"""Standard tables of 001 (保定市徐水区工业和信息化局 2024, Word conversion), checked against the source.

Comments quote the source lines (line number: text; "\\t" = the Word layout's cell indent).
"""

from __future__ import annotations

from decimal import Decimal

import pytest

from budgetsite.model import Table
from budgetsite.read.text import TextReader
from budgetsite.recognize.catalog import is_standard
from budgetsite.recognize.tables import recognize_tables, unit_subtotals
from samples import SAMPLES

SOURCE = SAMPLES / "001_8bf267248edeb530.txt"
D = Decimal


@pytest.fixture(scope="module")
def tables() -> dict[str, Table]:
    result = recognize_tables(TextReader().read(SOURCE).blocks)
    return {t.id: t for t in result.tables if is_standard(t.id)}


def value(table: Table, match_key: str, match: str, key: str):
    """The cell in column `key` of the first row whose `match_key` cell equals `match`."""
    keys = [c.key for c in table.columns]
    row = next(r for r in table.rows if r[keys.index(match_key)] == match)
    return row[keys.index(key)]


ROW_COUNTS = {
    "income-expenditure-summary": 34,  # 序号 1 … 34 (lines 22-224)
    "income-summary": 18,  # 序号 1 … 18 (lines 269-518)
    "expenditure-summary": 18,
    "fiscal-appropriation-summary": 37,  # 序号 1 … 37 (lines 766-1099)
    "general-public-budget-expenditure": 18,
    "general-public-budget-basic-expenditure": 25,  # the issue: "25 body rows"
    "government-fund-expenditure": 0,  # line 1479: one blank row, then the 空表列示 note
    "state-capital-expenditure": 0,
    "three-public-expenses": 9,
    "procurement": 10,  # 合计, one unit 小计, 8 items (lines 2918-3077)
    "fixed-assets": 6,
    "institutions": 1,  # line 1648: 保定市徐水区工业和信息化局本级
}


def test_every_standard_table_found_with_its_row_count(tables):
    assert {tid: len(t.rows) for tid, t in tables.items()} == ROW_COUNTS


def test_captions(tables):
    basic = tables["general-public-budget-basic-expenditure"]
    # line 1254: [bookmark: …]部门预算一般公共预算财政拨款基本支出表; line 1255-1257 the caption row
    assert basic.title == "部门预算一般公共预算财政拨款基本支出表"
    assert basic.unit == "万元"
    assert basic.unit_name == "304保定市徐水区工业和信息化局"


def test_income_expenditure_summary(tables):
    t = tables["income-expenditure-summary"]
    assert [c.label for c in t.columns] == [
        "序号",
        "收入 / 项目",
        "收入 / 预算数",
        "支出 / 项目",
        "支出 / 预算数",
    ]
    # lines 22-26: 1 / 一、一般公共预算拨款收入 / 1673.35 / 一、一般公共服务支出 / (empty)
    assert value(t, "seq", "1", "income_amount") == D("1673.35")
    assert value(t, "seq", "1", "expenditure_amount") is None
    # lines 52-56: 6 / (empty) / (empty) / 六、科学技术支出 / 864.57
    assert value(t, "seq", "6", "expenditure_item") == "六、科学技术支出"
    assert value(t, "seq", "6", "expenditure_amount") == D("864.57")
    # lines 64-68: 八、社会保障和就业支出 327.90; lines 106-110: 十五、资源勘探工业信息等支出 480.88
    assert value(t, "seq", "8", "expenditure_amount") == D("327.90")
    assert value(t, "seq", "15", "expenditure_amount") == D("480.88")
    # lines 220-224: 34 / 收入总计 / 1673.35 / 支出总计 / 1673.35
    assert value(t, "income_item", "收入总计", "income_amount") == D("1673.35")
    assert value(t, "expenditure_item", "支出总计", "expenditure_amount") == D("1673.35")


def test_income_summary(tables):
    t = tables["income-summary"]
    assert t.columns[5].label == "本年收入 / 财政拨款收入"  # lines 238 + 246: 本年收入 / 财政拨款 收入
    # lines 269-274: 1 / (no code) / 合计 / 1673.35 ×3
    assert value(t, "name", "合计", "total") == D("1673.35")
    assert value(t, "name", "合计", "function_code") is None
    # lines 325-330: 5 / 2060199 / 其他科学技术管理事务支出 / 577.87 ×3
    assert value(t, "function_code", "2060199", "fiscal_appropriation") == D("577.87")
    # lines 465-470: 21505 工业和信息产业监管 478.98
    assert value(t, "function_code", "21505", "total") == D("478.98")
    # lines 507-512: 2150805 中小企业发展专项 1.90
    assert value(t, "function_code", "2150805", "subtotal") == D("1.90")
    assert value(t, "function_code", "2150805", "carried_over") is None


def test_expenditure_summary(tables):
    t = tables["expenditure-summary"]
    # lines 557-562: 1 / / 合计 / 1673.35 / 1023.35 / 650.00
    assert value(t, "name", "合计", "basic") == D("1023.35")
    assert value(t, "name", "合计", "project") == D("650.00")
    # lines 597-602: 2060199 其他科学技术管理事务支出 577.87 530.22 47.66
    assert value(t, "function_code", "2060199", "basic") == D("530.22")
    assert value(t, "function_code", "2060199", "project") == D("47.66")
    # lines 607-612: 20699 其他科学技术支出 100.00 (no 基本) 100.00
    assert value(t, "function_code", "20699", "basic") is None
    assert value(t, "function_code", "20699", "project") == D("100.00")


def test_fiscal_appropriation_summary(tables):
    t = tables["fiscal-appropriation-summary"]
    # lines 811-816: 6 / / / 六、科学技术支出 / 864.57 / 864.57
    assert value(t, "seq", "6", "expenditure_total") == D("864.57")
    assert value(t, "seq", "6", "expenditure_general_public") == D("864.57")
    # lines 1045-1051: 32 本年收入合计 1673.35 本年支出合计 1673.35 1673.35
    assert value(t, "seq", "32", "income_amount") == D("1673.35")
    assert value(t, "seq", "32", "expenditure_general_public") == D("1673.35")
    # lines 1054-1056: 33 年初财政拨款结转和结余 (empty)
    assert value(t, "seq", "33", "income_item") == "年初财政拨款结转和结余"
    assert value(t, "seq", "33", "income_amount") is None
    # lines 1090-1095: 37 收入总计 1673.35 支出总计 1673.35
    assert value(t, "seq", "37", "expenditure_total") == D("1673.35")


def test_general_public_budget_expenditure(tables):
    t = tables["general-public-budget-expenditure"]
    # lines 1126-1131: 合计 1673.35 1023.35 650.00
    assert value(t, "name", "合计", "total") == D("1673.35")
    # lines 1133-1138: 206 科学技术支出 864.57 716.92 147.66
    assert value(t, "function_code", "206", "basic") == D("716.92")
    assert value(t, "function_code", "206", "project") == D("147.66")
    # lines 1147-1152: 2060101 行政运行 186.70 186.70 (empty)
    assert value(t, "function_code", "2060101", "project") is None
    # lines 1245-1250: 2150805 中小企业发展专项 1.90 / / 1.90
    assert value(t, "function_code", "2150805", "project") == D("1.90")


def test_basic_expenditure_as_in_the_issue(tables):
    t = tables["general-public-budget-basic-expenditure"]
    assert [c.key for c in t.columns] == ["seq", "economic_code", "name", "total", "personnel", "public"]
    assert t.columns[4].label == "一般公共预算基本支出 / 人员经费"
    # lines 1277-1282: 1 / / 合计 / 1023.35 / 971.52 / 51.84
    assert value(t, "name", "合计", "total") == D("1023.35")
    assert value(t, "name", "合计", "personnel") == D("971.52")
    assert value(t, "name", "合计", "public") == D("51.84")
    # lines 1382-1387: 16 / 30217 / 公务接待费 / 0.06 / (empty) / 0.06
    assert value(t, "economic_code", "30217", "name") == "公务接待费"
    assert value(t, "economic_code", "30217", "public") == D("0.06")
    assert value(t, "economic_code", "30217", "personnel") is None
    # lines 1347-1352: 30113 住房公积金 49.40; lines 1445-1450: 30305 生活补助 16.41
    assert value(t, "economic_code", "30113", "personnel") == D("49.40")
    assert value(t, "economic_code", "30305", "total") == D("16.41")
    assert isinstance(value(t, "economic_code", "30305", "seq"), str)


def test_empty_tables_keep_their_note(tables):
    # line 1487: 注：无政府基金预算财政拨款预算，空表列示。
    assert tables["government-fund-expenditure"].note == "注：无政府基金预算财政拨款预算，空表列示。"
    # line 1521: 注：无国有资本经营预算财政拨款预算，空表列示。
    assert tables["state-capital-expenditure"].note == "注：无国有资本经营预算财政拨款预算，空表列示。"
    assert [c.key for c in tables["state-capital-expenditure"].columns][:3] == [
        "seq",
        "function_code",
        "name",
    ]


def test_three_public_expenses(tables):
    t = tables["three-public-expenses"]
    # line 1531: 一般公共预算              财政拨款 (spaces of the Word layout removed)
    assert t.columns[3].label == "资金性质 / 一般公共预算财政拨款"
    # lines 1545-1549: 1 / 合计 / 7.35 / 7.35
    assert value(t, "seq", "1", "total") == D("7.35")
    # lines 1580-1584: 二、公务用车购置及运维费 7.29 7.29
    assert value(t, "name", "二、公务用车购置及运维费", "general_public") == D("7.29")
    # lines 1594-1598: "          公务用车运行维护费" 7.29 (indentation stripped)
    assert value(t, "seq", "8", "name") == "公务用车运行维护费"
    assert value(t, "seq", "8", "total") == D("7.29")
    # lines 1601-1605: 三、公务接待费 0.06
    assert value(t, "name", "三、公务接待费", "total") == D("0.06")
    assert value(t, "name", "一、因公出国（境）费", "total") is None


def test_procurement_with_unit_subtotal(tables):
    t = tables["procurement"]
    assert t.title == "部门政府采购预算"  # line 2889
    # lines 2918-2932: 合  计 … 9.14 9.14 … 9.14
    assert t.rows[0][0] == "合计"
    assert value(t, "project_name", "合计", "total") == D("9.14")
    # lines 2934-2948: 保定市徐水区工业和信息化局本级小计 9.14
    assert unit_subtotals(t) == {"保定市徐水区工业和信息化局本级": D("9.14")}
    # lines 2950-2964: 公用经费项目一（三保） 16.69 财产保险服务 C18040102 项 1 0.86 0.86 0.86
    assert value(t, "catalog_code", "C18040102", "project_budget") == D("16.69")
    assert value(t, "catalog_code", "C18040102", "unit_price") == D("0.86")
    # lines 3046-3060: 办公设备购置 4.63 空调机 A02061804 台 3 0.30 0.90
    assert value(t, "catalog_code", "A02061804", "quantity") == D("3")
    assert value(t, "catalog_code", "A02061804", "total") == D("0.90")
    # line 3079: 注：同一采购目录序号的物品…
    assert t.note is not None and t.note.startswith("注：同一采购目录序号的物品")


def test_fixed_assets_total(tables):
    t = tables["fixed-assets"]
    assert t.unit == "万元"  # line 3090: 价值（金额单位：万元）
    # lines 3091-3094: 资产总额 / (empty) / 112.69
    assert value(t, "name", "资产总额", "value") == D("112.69")
    assert value(t, "name", "资产总额", "quantity") is None
    # lines 3095-3098: 1、房屋（平方米） 405 20.00; lines 3103-3106: 2、车辆（台、辆） 3 33.63
    assert value(t, "name", "1、房屋（平方米）", "quantity") == D("405")
    assert value(t, "name", "2、车辆（台、辆）", "value") == D("33.63")
    # lines 3111-3114: 4、其他固定资产 380 59.06
    assert value(t, "name", "4、其他固定资产", "value") == D("59.06")
    # line 3099: "　　其中：办公用房（平方米）" — ideographic indent stripped
    assert t.rows[2][0] == "其中：办公用房（平方米）"


def test_institutions(tables):
    t = tables["institutions"]
    # lines 1648-1651: 保定市徐水区工业和信息化局本级 / 行政 / 正科级 / 财政拨款
    assert t.rows == [["保定市徐水区工业和信息化局本级", "行政", "正科级", "财政拨款"]]
    assert [c.key for c in t.columns] == ["name", "unit_type", "unit_grade", "funding_form"]
