"""Standard tables of 000 (衡水市工业和信息化局 2020, pipe tables), checked against the source.

000 has no budget tables, only 机构设置, the procurement table over three pages (no title, a column
missing on the second page) and the fixed-assets table. Comments quote source lines.
"""

from __future__ import annotations

from decimal import Decimal

import pytest

from budgetsite.model import Table
from budgetsite.read.text import TextReader
from budgetsite.recognize.catalog import is_standard
from budgetsite.recognize.tables import recognize_tables, unit_subtotals
from samples import SAMPLES

SOURCE = SAMPLES / "000_8f224ed89935fe50.txt"
D = Decimal


@pytest.fixture(scope="module")
def tables() -> dict[str, Table]:
    result = recognize_tables(TextReader().read(SOURCE).blocks)
    return {t.id: t for t in result.tables if is_standard(t.id)}


def value(table: Table, match_key: str, match: str, key: str, nth: int = 0):
    keys = [c.key for c in table.columns]
    rows = [r for r in table.rows if r[keys.index(match_key)] == match]
    return rows[nth][keys.index(key)]


def test_standard_tables_found_with_row_counts(tables):
    # 23 procurement rows: 合计 + 3 unit 小计 rows + 19 items over lines 365-375, 384-394, 403
    assert {tid: len(t.rows) for tid, t in tables.items()} == {
        "institutions": 4,
        "procurement": 23,
        "fixed-assets": 6,
    }


def test_institutions_four_units(tables):
    t = tables["institutions"]
    assert t.title == "部门机构设置情况"  # line 21
    # line 25: | 衡水市工业和信息化局 | 行政 | 县处级 | 财政拨款 |
    assert t.rows[0] == ["衡水市工业和信息化局", "行政", "县处级", "财政拨款"]
    # line 27: | 衡水市信息资源管理中心 | 事业 | 科级 | 财政性资金定额或定项补助 |
    assert t.rows[2][3] == "财政性资金定额或定项补助"
    # line 28: | 衡水市企业咨询服务中心 | 事业 | 科级 | |
    assert t.rows[3] == ["衡水市企业咨询服务中心", "事业", "科级", None]


def test_procurement_three_pages_merged(tables):
    t = tables["procurement"]
    assert t.title == "政府采购预算表"  # no title printed: the canonical one
    assert t.unit == "万元"  # line 360
    assert t.unit_name == "350 衡水市工业和信息化局"  # line 358
    labels = [c.label for c in t.columns]
    # lines 362+364: 政府采购目录 序号 / 一般公共预算 拨款 — wrap spaces removed from labels
    assert "政府采购目录序号" in labels
    assert "政府采购金额（当年部门预算安排资金） / 一般公共预算拨款" in labels
    assert labels[-1] == "政府采购金额（当年部门预算安排资金） / 其他来源收入"
    # line 365: | 合 计 | … | 628.54 | 628.54 |
    assert value(t, "project_name", "合计", "total") == D("628.54")
    # line 367: | 工业设计发展 | 240.00 | 其他制造业服务 | C220299 | 个 | 12.00 | 15.00 | 180.00 | 180.00 |
    assert value(t, "catalog_code", "C220299", "project_budget") == D("240.00")
    assert value(t, "catalog_code", "C220299", "quantity") == D("12.00")
    # line 369: second C0808 row: 场次 2.00 25.75 51.50
    assert value(t, "catalog_code", "C0808", "unit_price", nth=1) == D("25.75")
    # line 384 (page 2, 12 columns): | 办公楼租赁费 | 60.00 | 其他租赁服务 | C0499 | 套 | 1.00 | 60.00 | 60.00 | |
    assert value(t, "catalog_code", "C0499", "total") == D("60.00")
    assert value(t, "catalog_code", "C0499", "general_public") is None
    assert value(t, "catalog_code", "C0499", "other_income") is None
    # line 392: | 日常公用经费 | 19.66 | 木骨架为主的 椅凳类 | A060302 | 张 | 3.00 | 0.03 | 0.09 | 0.09 |
    assert value(t, "catalog_code", "A060302", "item") == "木骨架为主的椅凳类"
    assert value(t, "catalog_code", "A060302", "total") == D("0.09")
    # line 403 (page 3): | 中小企业发展专项 （中小企业公共服 务平台网络窗口平 台） | 20.00 | 其他计算机软 件 | A02010899 | … | 6.00 |
    last = t.rows[-1]
    assert last[:4] == [
        "中小企业发展专项（中小企业公共服务平台网络窗口平台）",
        D("20.00"),
        "其他计算机软件",
        "A02010899",
    ]
    assert last[7] == D("6.00")


def test_procurement_unit_subtotals_exact(tables):
    # line 366: 衡水市工业和信息 化局小计 610.00; line 385: 衡水市信息产业中 心小计 12.54;
    # line 394: 衡水市信息资源管 理中心小计 6.00
    assert unit_subtotals(tables["procurement"]) == {
        "衡水市工业和信息化局": D("610.00"),
        "衡水市信息产业中心": D("12.54"),
        "衡水市信息资源管理中心": D("6.00"),
    }


def test_fixed_assets_total_exact(tables):
    t = tables["fixed-assets"]
    assert t.title == "衡水市市直部门固定资产占用情况表"  # line 409
    assert t.unit_name == "衡水市工业和信息化局"  # line 411: 编制部门：衡水市工业和信息化局
    assert t.note == "截止时间：2019年12月31日"  # line 413
    assert t.unit == "万元"  # line 415: 价值（金额单位：万元）
    # line 417: | 资产总额 | — | 221.08 |
    assert value(t, "name", "资产总额", "value") == D("221.08")
    assert value(t, "name", "资产总额", "quantity") is None
    # line 418: | 1、房屋（平方米） | 993 | 17.03 |
    assert value(t, "name", "1、房屋（平方米）", "quantity") == D("993")
    # line 420: | 2、车辆（台、辆） | 5 | 75.14 |
    assert value(t, "name", "2、车辆（台、辆）", "value") == D("75.14")
    # line 422: | 4、其他固定资产 | — | 128.91 |
    assert value(t, "name", "4、其他固定资产", "value") == D("128.91")
