"""One table-layout model (recognize.table_layout.Layout): pages, site figures, checks and downloads ask
it which column holds the code and the row name and which row is the total, so they cannot disagree."""

from __future__ import annotations

import sqlite3
from decimal import Decimal

from site_builds import build_with, xingtai_2023
from site_links import soup

from budgetsite.model import Column, Table
from budgetsite.recognize.table_layout import Layout

XUSHUI = "baodingshi-xushuiqu-gongyehexinxihuaju"


def test_sqlite_names_a_row_as_the_checks_do(built_site):
    # 001 部门预算收支总表, first row: 序号 1 | 一、一般公共预算拨款收入 1673.35 | 一、一般公共服务支出. The row's
    # name is its first item, not the 序号 "1" (the first text cell, which the downloads used to take).
    connection = sqlite3.connect(built_site.output / "data" / "budgetsite.sqlite")
    try:
        names = {
            name
            for (name,) in connection.execute(
                "SELECT DISTINCT name FROM cells WHERE slug = ? AND table_id = 'income-expenditure-summary' "
                "AND row_index = 0",
                (XUSHUI,),
            )
        }
    finally:
        connection.close()
    assert names == {"一、一般公共预算拨款收入"}


# 江苏省人大常委会办公厅 2017 年政府采购预算表 (disclosures/real/01, page 20): 合计 and the group rows print
# their label under 采购品目大类, the items their name under 专项名称.
JIANGSU_PROCUREMENT = Table(
    id="procurement",
    title="2017年政府采购预算表",
    unit="万元",
    columns=[
        Column("col_1", "采购品目大类"),
        Column("col_2", "专项名称"),
        Column("col_3", "经济科目"),
        Column("item", "采购物品名称"),
        Column("col_5", "采购组织形式"),
        Column("col_6", "总计"),
    ],
    rows=[
        ["合计", None, None, None, None, Decimal("2247.85")],
        ["一、货物A", None, None, None, None, Decimal("59.00")],
        [None, "办公设备购置费", "办公设备购置", None, None, Decimal("59.00")],
        [None, None, None, "台式计算机（20万以下）", "分散自行组织", Decimal("10.00")],
    ],
)


def test_a_total_printed_outside_the_name_column_is_the_total_row():
    layout = Layout.of(JIANGSU_PROCUREMENT)
    rows = JIANGSU_PROCUREMENT.rows
    assert layout.name == 1  # 专项名称
    assert [layout.is_total_row(row) for row in rows] == [True, False, False, False]
    assert layout.total_row(rows) is rows[0]
    assert [layout.name_of(row) for row in rows] == [
        "合计",
        "一、货物A",
        "办公设备购置费",
        "台式计算机（20万以下）",
    ]


def test_the_page_marks_the_rows_the_model_calls_sums(tmp_path):
    disclosure = xingtai_2023()
    disclosure.tables.append(JIANGSU_PROCUREMENT)
    _, published = build_with(disclosure, tmp_path)
    table = soup(published / "index.html").find(id="table-procurement")
    marked = ["total" in (tr.get("class") or []) for tr in table.find("tbody").find_all("tr")]
    assert marked == [True, False, False, False]
