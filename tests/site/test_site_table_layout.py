"""One table-layout model (recognize.table_layout.Layout): pages, site figures, checks and downloads ask
it which column holds the code and the row name and which row is the total, so they cannot disagree."""

from __future__ import annotations

import sqlite3

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
