"""The site-wide findings page: every open finding (warn/fail) of every department-year, by department."""

from __future__ import annotations

import json

from bs4 import BeautifulSoup
from conftest import BuiltSite


def test_findings_page_lists_every_open_finding_by_department(built_site: BuiltSite) -> None:
    page = BeautifulSoup(
        (built_site.output / "findings" / "index.html").read_text(encoding="utf-8"), "html.parser"
    )
    listed: dict[str, set[str]] = {}
    for section in page.select("main section"):
        heading = section.select_one("h2").get_text(strip=True)
        listed[heading] = {row.select_one("th").get_text(strip=True) for row in section.select("tbody tr")}
    expected: dict[str, set[str]] = {}
    for data_file in built_site.content.glob("*/*/data.json"):
        data = json.loads(data_file.read_text(encoding="utf-8"))
        open_ids = {c["id"] for c in data["checks"] if c["status"] != "pass"}
        if open_ids:
            expected[f"{data['department']} {data['year']}年"] = open_ids
    assert listed == expected
    assert expected, "the shipped samples have findings (Xushui's rounding warnings)"


def test_findings_rows_quote_and_name_their_family(built_site: BuiltSite) -> None:
    page = BeautifulSoup(
        (built_site.output / "findings" / "index.html").read_text(encoding="utf-8"), "html.parser"
    )
    rows = {r.select_one("th").get_text(strip=True): r.select("td") for r in page.select("tbody tr")}
    family, status, message = rows["basic-expenditure-sum:合计"]
    assert family.get_text(strip=True) == "表内运算" and status.get_text(strip=True) == "提示"
    # 001 基本支出表 "合计 | 1023.35 | 971.52 | 51.84"
    assert "1023.35" in message.get_text() and "971.52" in message.get_text()


def test_disclosure_page_links_to_the_findings_page(built_site: BuiltSite) -> None:
    (page_file,) = built_site.output.glob("departments/baodingshi-*/2024/index.html")
    page = BeautifulSoup(page_file.read_text(encoding="utf-8"), "html.parser")
    assert page.select_one('#checks ~ p a[href$="findings/"]') is not None
