"""Pages that compare departments convert every figure to 万元 exactly; a disclosure's own tables keep their unit.

上海市普陀区司法局 2026 (tests/fixtures/real/06a_…pdf) prints its tables in 元: 部门财务收支预算总表
"收入总计 96,282,213.44"; 部门支出预算表 合计 96,282,213.44 = 基本支出 25,741,666.44 + 项目支出 70,540,547.00.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from click.testing import CliRunner

from budgetsite.cli import main
from budgetsite.config import load_config
from budgetsite.site.build import build

REAL = Path(__file__).resolve().parents[1] / "fixtures" / "real"
SLUG = "shanghaishi-putuoqu-sifaju"


@pytest.fixture(scope="module")
def yuan_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    tmp = tmp_path_factory.mktemp("yuan-site")
    content = tmp / "content"
    pdf = REAL / "06a_SH_putuo_sifaju_2026_dept_budget.pdf"
    result = CliRunner().invoke(main, ["ingest", str(pdf), "--content", str(content), "-q"])
    assert result.exit_code == 0, result.output
    config = load_config(tmp, content=str(content), output=str(tmp / "output"))
    build(config, quiet=True)
    return tmp / "output"


def cells(page: Path, caption_id: str) -> list[list[str]]:
    soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
    table = soup.find("caption", id=caption_id).find_parent("table")
    return [[c.get_text(strip=True) for c in tr.select("th, td")] for tr in table.select("tbody tr")]


def test_year_page_shows_yuan_tables_in_wan_yuan_exactly(yuan_site: Path) -> None:
    (row,) = cells(yuan_site / "years" / "2026" / "index.html", "year-caption")
    # 96,282,213.44 元 = 9628.221344 万元; 25,741,666.44 元 = 2574.166644 万元; 70,540,547.00 元 = 7054.054700 万元
    # shown with 2 decimals and separators; the exact printed 元 value one hover away (title).
    assert row[2:6] == ["预算", "9,628.22", "2,574.17", "7,054.05"]
    soup = BeautifulSoup(
        (yuan_site / "years" / "2026" / "index.html").read_text(encoding="utf-8"), "html.parser"
    )
    links = soup.find("caption", id="year-caption").find_parent("table").select("tbody td.num a")
    assert [a["data-exact"] for a in links] == ["96,282,213.44 元", "25,741,666.44 元", "70,540,547.00 元"]
    assert all(a["title"].endswith(a["data-exact"]) for a in links)


def test_dept_year_page_keeps_the_printed_unit(yuan_site: Path) -> None:
    page = yuan_site / "departments" / SLUG / "2026" / "index.html"
    soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
    captions = [c.get_text() for c in soup.find_all("caption")]
    assert any("元" in c and "万元" not in c for c in captions), captions
    assert "96282213.44" in page.read_text(encoding="utf-8").replace(",", "")
