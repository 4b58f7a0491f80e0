"""Pages of every disclosure of a department: 决算 and unit pages, budget against actual, year over year.

The tree is tests/fixtures/identity_content/ (made by tests/fixtures/make_identity_content.py, figures
chosen there): 示范市财政局 2023 预算, 2023 决算, 2024 预算 and the 2023 单位预算 of 示范市财政局信息中心.
Every number on the budget-vs-actual page is compared with the two data.json files it comes from.
"""

from __future__ import annotations

import csv
import io
import json
import shutil
import sqlite3
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

import simplejson
from site_links import broken_links, soup

from budgetsite.config import load_config
from budgetsite.content.tree import DATA_HASH_FIELD, data_fingerprint
from budgetsite.site.build import build
from budgetsite.site.compare import execution_rate

CONTENT = Path(__file__).resolve().parents[1] / "fixtures" / "identity_content"
SLUG = "shifanshi-caizhengju"
DEPT = f"departments/{SLUG}/"
PAGES = {
    "budget": f"{DEPT}2023/",
    "final": f"{DEPT}2023/final-accounts/",
    "unit": f"{DEPT}2023/units/caizhengjuxinxizhongxin/",
    "next": f"{DEPT}2024/",
    "bva": f"{DEPT}2023/budget-vs-actual/",
}


def data(folder: str) -> dict:
    text = (CONTENT / SLUG / folder / "data.json").read_text(encoding="utf-8")
    return json.loads(text, parse_float=Decimal)


def page(site, key: str):
    return soup(site.output / PAGES[key] / "index.html")


def cells(row) -> list[str]:
    return [c.get_text(" ", strip=True) for c in row.find_all(["th", "td"])]


def number(text: str) -> Decimal | None:
    """A page figure (万元 with thousands separators, — for none) as a Decimal."""
    # "—" to the eye (a screen reader hears 原文件未列示 after it): nothing printed.
    return None if text.startswith("—") else Decimal(text.replace(",", ""))


def test_every_disclosure_has_its_page_and_no_link_is_broken(identity_site) -> None:
    for key, path in PAGES.items():
        assert (identity_site.output / path / "index.html").is_file(), key
    assert broken_links(identity_site.output) == []


def test_budget_and_final_link_each_other_and_the_comparison(identity_site) -> None:
    for key, others in (("budget", ("final", "unit", "bva")), ("final", ("budget", "unit", "bva"))):
        hrefs = {a["href"] for a in page(identity_site, key).select("nav.siblings a")}
        assert {"/" + PAGES[o] for o in others} <= hrefs, key
    department = {a["href"] for a in soup(identity_site.output / DEPT / "index.html").select("main a")}
    assert "/" + PAGES["bva"] in department
    # 决算 pages name their kind; the unit page its unit (the kind is in every search result title).
    assert "决算" in page(identity_site, "final").h1.get_text()
    assert "示范市财政局信息中心" in page(identity_site, "unit").h1.get_text()


def _final_column(table: dict, label: str) -> int:
    return next(i for i, c in enumerate(table["columns"]) if c["label"] == label)


def test_budget_vs_actual_code_lines_equal_the_two_data_json(identity_site) -> None:
    budget = {r[0]: r for r in data("2023")["tables"][0]["rows"] if r[0]}
    final_table = data("2023-final-accounts")["tables"][0]
    initial, spent = _final_column(final_table, "年初预算数"), _final_column(final_table, "本年支出合计")
    final = {r[0]: r for r in final_table["rows"] if r[0]}
    rows = page(identity_site, "bva").select("#bva-codes-table tbody tr")
    assert [cells(r)[0] for r in rows] == sorted(budget.keys() | final.keys())
    for row in rows:
        code, _, plan, actual, diff, rate, source = cells(row)
        # The 决算 prints its own 年初预算数: that is the 预算数, and the page says so.
        expected_plan = final[code][initial] if code in final else budget[code][2]
        assert number(plan) == expected_plan, code
        assert "年初预算数" in source if expected_plan is not None else "预算数" not in source
        assert number(actual) == (final[code][spent] if code in final else None), code
        if expected_plan is None:
            assert number(diff) is None and number(rate) is None, code
            continue
        assert number(diff) == number(actual) - number(plan), code  # type: ignore[operator]
        expected_rate = (number(actual) / number(plan) * 100).quantize(Decimal("0.1"), ROUND_HALF_UP)  # type: ignore[operator]
        assert number(rate) == expected_rate, code
    # 208: 年初预算数 160.00 in the 决算 (the budget said 150.00); 148.20 / 160.00 = 92.625 % → 92.6
    assert cells(rows[-2])[2:6] == ["160.00", "148.20", "-11.80", "92.6"]


def test_budget_vs_actual_facts_equal_the_two_data_json(identity_site) -> None:
    budget_total = data("2023")["tables"][0]["rows"][0]
    final_data = data("2023-final-accounts")
    final_total = final_data["tables"][0]["rows"][0]
    sangong = final_data["tables"][1]
    printed = dict(zip((c["label"] for c in sangong["columns"]), sangong["rows"][0], strict=True))
    rows = {cells(r)[0]: cells(r) for r in page(identity_site, "bva").select("#bva-facts-table tbody tr")}
    # 支出合计, 基本支出, 项目支出: the 合计 rows of 部门预算支出总表 and 支出决算表
    for name, budget_index, final_index in (("支出合计", 2, 3), ("基本支出", 3, 4), ("项目支出", 4, 5)):
        assert [number(v) for v in rows[name][1:3]] == [budget_total[budget_index], final_total[final_index]]
    # 三公: the 决算 table prints 预算数 and 决算数 per part; both come from it, and the page says so.
    for name, header in (
        ("三公经费合计", "合计"),
        ("因公出国（境）费", "因公出国（境）费"),
        ("公务用车购置及运行维护费", "公务用车购置及运行费 / 小计"),
        ("公务接待费", "公务接待费"),
    ):
        plan = printed[f"财政拨款“三公”经费 / {header} / 预算数"]
        actual = printed[f"财政拨款“三公”经费 / {header} / 决算数"]
        assert [number(v) for v in rows[name][1:3]] == [plan, actual], name
        assert rows[name][5].count("财政拨款“三公”经费支出决算表") == 2, name
    # 1098.70 / 1150.00 = 95.539… % ; 3.75 / 4.00 = 93.75 % → 93.8 (half-up)
    assert rows["支出合计"][3:5] == ["-51.30", "95.5"]
    assert rows["公务接待费"][3:5] == ["-0.25", "93.8"]


def test_execution_rate_is_decimal_and_rounds_half_up() -> None:
    # 7.54 / 8.00 = 94.25 %: half-up gives 94.3 (banker's rounding would give 94.2)
    assert execution_rate(Decimal("8.00"), Decimal("7.54")) == Decimal("94.3")
    assert execution_rate(Decimal("0.00"), Decimal("1.00")) is None
    assert execution_rate(None, Decimal("1.00")) is None


def test_department_page_compares_years(identity_site) -> None:
    document = soup(identity_site.output / DEPT / "index.html")
    table = document.select_one("table.year-over-year")
    rows = {cells(r)[0]: cells(r)[1:] for r in table.select("tbody tr")}
    # 2023 → 2024 budgets: 支出合计 1150.00 → 1200.00, +50.00, 50 / 1150 = 4.347… % → 4.3
    assert rows["支出合计"] == ["1,150.00", "1,200.00", "50.00", "4.3"]
    assert rows["因公出国（境）费"] == ["2.00", "0.00", "-2.00", "-100.0"]
    assert document.select("figure[id^=chart-yoy-]")


def test_downloads_know_kind_and_level(identity_site) -> None:
    out = identity_site.output / "data"
    index = json.loads((out / "index.json").read_text(encoding="utf-8"))
    which = sorted((e["year"], e["kind"], e["level"], e["unit"]) for e in index)
    assert which == [
        (2023, "budget", "department", None),
        (2023, "budget", "unit", "示范市财政局信息中心"),
        (2023, "final-accounts", "department", None),
        (2024, "budget", "department", None),
    ]
    rows = list(csv.DictReader(io.StringIO((out / "index.csv").read_bytes().decode("utf-8-sig"))))
    assert sorted((r["year"], r["kind"], r["level"]) for r in rows) == [
        ("2023", "budget", "department"),
        ("2023", "budget", "unit"),
        ("2023", "final-accounts", "department"),
        ("2024", "budget", "department"),
    ]
    connection = sqlite3.connect(out / "budgetsite.sqlite")
    try:
        found = connection.execute(
            "SELECT d.kind, d.level, d.unit_slug, c.value FROM cells c "
            "JOIN disclosures d USING (slug, year, kind, unit_slug) "
            "WHERE c.year = 2023 AND c.code = '208' AND c.column_key = 'total' ORDER BY d.kind"
        ).fetchall()
    finally:
        connection.close()
    assert found == [("budget", "department", "", "150.00"), ("final-accounts", "department", "", "148.20")]


def test_old_tree_with_final_accounts_in_the_year_folder_still_builds(tmp_path: Path) -> None:
    """A schema-1 tree: the 决算 in content/<slug>/2023/, no level. Its page follows data.json."""
    content = tmp_path / "content"
    shutil.copytree(CONTENT / SLUG / "2023-final-accounts", content / SLUG / "2023")
    path = content / SLUG / "2023" / "data.json"
    old = json.loads(path.read_text(encoding="utf-8"), parse_float=Decimal)
    old["schema_version"] = 1
    del old["level"]
    old[DATA_HASH_FIELD] = data_fingerprint(old)
    path.write_text(simplejson.dumps(old, ensure_ascii=False, use_decimal=True), encoding="utf-8")
    config = load_config(tmp_path, content=str(content), output=str(tmp_path / "output"))
    build(config, quiet=True)
    assert (config.output / PAGES["final"] / "index.html").is_file()
    assert broken_links(config.output) == []
