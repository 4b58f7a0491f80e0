"""Downloads: data/index.json, per dept-year data.json and CSVs (UTF-8 with BOM), one SQLite file."""

from __future__ import annotations

import csv
import io
import json
import sqlite3

from site_links import soup

XINGTAI = "xingtaishi-gongyehexinxihuaju"


def test_index_json_lists_every_dept_year(built_site):
    entries = json.loads((built_site.output / "data" / "index.json").read_text(encoding="utf-8"))
    expected = {(p.parent.parent.name, int(p.parent.name)) for p in built_site.content.glob("*/*/data.json")}
    assert {(e["slug"], e["year"]) for e in entries} == expected
    for entry in entries:
        assert {"department", "year", "region", "url", "data_url"} <= set(entry)
        assert (built_site.output / entry["data_url"].lstrip("/")).is_file()
        assert (built_site.output / entry["url"].lstrip("/") / "index.html").is_file()


def test_data_json_is_copied_byte_for_byte(built_site):
    for source in built_site.content.glob("*/*/data.json"):
        copy = (
            built_site.output / "departments" / source.parent.parent.name / source.parent.name / "data.json"
        )
        assert copy.read_bytes() == source.read_bytes()


def test_table_csv_has_bom_header_and_printed_digits(fixture_site):
    raw = (
        fixture_site.output / "departments" / XINGTAI / "2023" / "tables" / "expenditure-summary.csv"
    ).read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"))))
    assert rows[0] == ["功能分类科目 / 科目编码", "功能分类科目 / 科目名称", "合计", "基本支出", "项目支出"]
    # Fixture from 002 line 103: 2150805 中小企业发展专项 95.89 (project) — code stays a string, digits exact.
    assert ["2150805", "中小企业发展专项", "95.89", "", "95.89"] in rows


def test_sqlite_has_documented_shape_and_exact_values(built_site):
    connection = sqlite3.connect(built_site.output / "data" / "budgetsite.sqlite")
    try:
        tables = {r[0] for r in connection.execute("SELECT name FROM sqlite_master WHERE type='table'")}
        assert tables == {"disclosures", "tables", "cells", "facts"}
        count = connection.execute("SELECT COUNT(*) FROM disclosures").fetchone()[0]
        assert count == len(list(built_site.content.glob("*/*/data.json")))
        rows = dict(
            connection.execute(
                "SELECT d.department || ' ' || d.year, c.value FROM cells c JOIN disclosures d USING (slug, year) "
                "WHERE c.code = '2150805' AND c.table_id = 'expenditure-summary' AND c.column_key = 'total'"
            ).fetchall()
        )
    finally:
        connection.close()
    # 001 支出总表 row 18: 2150805 … 1.90; 002 line 103: 2150805 … 95.89
    assert rows["保定市徐水区工业和信息化局 2024"] == "1.90"
    assert rows["邢台市工业和信息化局 2023"] == "95.89"


def test_sqlite_facts_compare_everyone_by_name(built_site):
    """`SELECT … FROM facts WHERE name = '公务接待费'` gives every department's figure, exact, with its row."""
    connection = sqlite3.connect(built_site.output / "data" / "budgetsite.sqlite")
    try:
        rows = {
            (department, year): (kind, value, table, row)
            for department, year, kind, value, table, row in connection.execute(
                'SELECT department, year, kind, value_wan, "table", "row" FROM facts WHERE name = ?',
                ("公务接待费",),
            )
        }
    finally:
        connection.close()
    # 001 三公表 row 9 "三、公务接待费 0.06"; 000 (no 三公 table) "公务接待费2.95万元" in its narrative.
    assert rows[("保定市徐水区工业和信息化局", 2024)] == (
        "budget",
        "0.06",
        "three-public-expenses",
        "三、公务接待费",
    )
    assert rows[("衡水市工业和信息化局", 2020)][:3] == ("budget", "2.95", None)


def test_data_page_links_every_download(built_site):
    page = soup(built_site.output / "data" / "index.html")
    hrefs = {a["href"] for a in page.find_all("a")}
    assert {"/data/index.json", "/data/budgetsite.sqlite"} <= hrefs
    assert "CREATE TABLE cells" in page.find("pre").get_text()
