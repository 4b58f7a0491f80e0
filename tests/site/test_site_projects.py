"""/projects/: every project by name with department, year and budget; one department's project linked
across years; in the link check."""

from __future__ import annotations

import json
from decimal import Decimal

from site_links import broken_links, soup, target_file

from budgetsite.site.projects import project_key

XINGTAI = "xingtaishi-gongyehexinxihuaju"


def _rows(output):
    page = soup(output / "projects" / "index.html")
    return {
        (row.th.get_text(strip=True), row.find("td").get_text(strip=True)): row
        for row in page.select("table.project-index tbody tr")
    }


def test_projects_page_lists_every_project_of_the_content(fixture_site):
    expected = set()
    for data in fixture_site.content.glob("*/*/data.json"):
        disclosure = json.loads(data.read_text(encoding="utf-8"))
        expected |= {(p["name"], disclosure["department"]) for p in disclosure["projects"]}
    assert set(_rows(fixture_site.output)) == expected


def test_same_project_is_one_line_linking_each_year(fixture_site):
    row = _rows(fixture_site.output)[("中小企业发展专项", "邢台市工业和信息化局")]
    links = [(a.get_text(), a["href"]) for a in row.select("ul a")]
    assert links == [
        ("2022年", f"/departments/{XINGTAI}/2022/projects/1/"),
        ("2023年", f"/departments/{XINGTAI}/2023/projects/1/"),
    ]
    budgets = [span.get_text() for span in row.select("ul .num")]
    # 2023: 002 line 103, 2150805 中小企业发展专项 95.89; 2022: the fixture's own figure (data.json).
    data_2022 = json.loads(
        (fixture_site.content / XINGTAI / "2022" / "data.json").read_text(encoding="utf-8"),
        parse_float=Decimal,
    )
    assert budgets == [str(data_2022["projects"][0]["budget"]), "95.89"]
    for _, href in links:
        assert target_file(fixture_site.output, href, "/") is not None
        assert soup(target_file(fixture_site.output, href, "/")).h1.get_text() == "中小企业发展专项"


def test_projects_page_is_linked_from_every_page_and_has_no_broken_links(fixture_site):
    assert broken_links(fixture_site.output) == []  # /projects/ included: it is an HTML page of output/
    home = soup(fixture_site.output / "index.html")
    assert home.select_one('.site-nav a[href="/projects/"]') is not None
    page = soup(fixture_site.output / "projects" / "index.html")
    assert page.select_one('.site-nav a[aria-current="page"]')["href"] == "/projects/"


def test_project_key_ignores_a_leading_year_and_spaces():
    assert project_key("2022年中国国际数字经济博览会经费") == project_key("2023年 中国国际数字经济博览会经费")
    assert project_key("2022年度法律顾问费") == "法律顾问费"
    assert project_key("中小企业发展专项") != project_key("中小企业发展专项资金")
