"""Comparison pages show facts only: every figure on /three-public-expenses/, a year page and a code page is
the fact in that disclosure's data.json, says 预算 or 决算, and links to the row (or sentence) it was read
from on the department-year page.

The site is built from the real PDFs (../shared/disclosures/real/, committed copies in tests/fixtures/real/)
plus, where ../shared is present, every corpus file that ingests today (departments with two years: change
on last year).
"""

from __future__ import annotations

import csv
import io
import json
import shutil
from collections import Counter
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

import pytest
import simplejson
from bs4 import BeautifulSoup, Tag
from click.testing import CliRunner

from budgetsite.cli import main
from budgetsite.config import load_config
from budgetsite.model import from_json
from budgetsite.site.build import build
from budgetsite.site.load import SANGONG_FACTS
from budgetsite.site.urls import Urls

REPO = Path(__file__).resolve().parents[2]
SHARED = REPO.parent / "shared" / "disclosures"
REAL = REPO / "tests" / "fixtures" / "real"
GROUPS = [
    ["01_JS_renda_bangongting_2017_budget.pdf"],
    [
        "03a_JS_shengwei_bangongting_2019_budget_narrative.pdf",
        "03b_JS_shengwei_bangongting_2019_budget_tables.pdf",
    ],
    ["06a_SH_putuo_sifaju_2026_dept_budget.pdf"],
    ["11_SH_putuo_caizhengju_2024_dept_final.pdf"],
]
# Every corpus disclosure that ingests today (the 单位 budget of 区政府办公室 shares its department-year
# with the 部门 budget, so one of the two).
CORPUS_GROUPS = [
    ["js-jianchayuan-2017-budget.pdf"],
    ["js-renda-2018-budget.pdf"],
    ["js-zhengxie-2017-budget-narrative.pdf", "js-zhengxie-2017-budget-tables.pdf"],
    ["js-zhengxie-2018-budget-narrative.pdf", "js-zhengxie-2018-budget-tables.pdf"],
    ["sh-putuo-caizhengju-2025-dept-budget.pdf"],
    ["sh-putuo-shangwuwei-2025-unit-budget.pdf"],
    ["sh-putuo-wanli-jiedao-2024-dept-budget.pdf"],
    ["sh-putuo-wanli-jiedao-2025-dept-budget.pdf"],
    ["sh-putuo-zhengfu-bangongshi-2025-dept-budget.pdf"],
]
SANGONG = list(SANGONG_FACTS.values())  # 合计, 因公出国, 公务用车, 购置, 运行, 接待: the page's column order
KIND_LABELS = {"budget": "预算", "final-accounts": "决算"}


class Site:
    """The built site, and each disclosure's facts and kind by the path of its page (a department-year
    may have several: its 预算, its 决算, a unit's 预算)."""

    def __init__(self, output: Path, content: Path):
        self.output = output
        self.facts: dict[str, dict[str, dict]] = {}
        self.kinds: dict[str, str] = {}
        for data_file in content.glob("*/*/data.json"):
            text = data_file.read_text(encoding="utf-8")
            data = json.loads(text)
            key = "/" + Urls.disclosure(data_file.parent.parent.name, from_json(text))
            self.facts[key] = {f["name"]: f for f in data["facts"]}
            self.kinds[key] = data["kind"]

    def page(self, path: str) -> BeautifulSoup:
        return BeautifulSoup((self.output / path / "index.html").read_text(encoding="utf-8"), "html.parser")


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Site:
    tmp = tmp_path_factory.mktemp("facts-site")
    content = tmp / "content"
    groups = [[REAL / f for f in g] for g in GROUPS]
    if (SHARED / "corpus").is_dir():
        groups += [[SHARED / "corpus" / f for f in g] for g in CORPUS_GROUPS]
    for group in groups:
        result = CliRunner().invoke(main, ["ingest", *map(str, group), "--content", str(content), "-q"])
        assert result.exit_code == 0, result.output
    config = load_config(tmp, content=str(content), output=str(tmp / "output"))
    build(config, quiet=True)
    return Site(tmp / "output", content)


def shown(value_wan: str) -> Decimal:
    """The figure a page shows for a fact: 2 decimals where a conversion from 元 made more."""
    value = Decimal(value_wan)
    exponent = value.as_tuple().exponent
    return (
        value.quantize(Decimal("0.01"), ROUND_HALF_UP)
        if isinstance(exponent, int) and exponent < -2
        else value
    )


def assert_fact_cell(site: Site, cell: Tag, page: str, fact: dict | None) -> None:
    """`cell` shows `fact` (or "—"), its exact value in the title, and links to where it was read."""
    if fact is None:
        # "—" to the eye, "原文件未列示" to a screen reader; no link: there is nothing to point at.
        assert cell.find("span", attrs={"aria-hidden": "true"}).get_text() == "—" and cell.a is None
        assert cell.find("span", class_="visually-hidden").get_text() == "原文件未列示"
        return
    link = cell.a
    assert Decimal(link.get_text().replace(",", "")) == shown(fact["value_wan"]), (page, fact["name"])
    assert link["data-exact"].replace(",", "") == f"{fact['printed']} {fact['unit']}"
    href_path, _, anchor = link["href"].partition("#")
    assert href_path == page and anchor, link["href"]
    target = site.page(page.strip("/")).find(id=anchor)
    assert target is not None, link["href"]
    if target.name == "h2":
        target = target.find_parent("section")  # a narrative section's id is on its heading
    text = target.get_text(" ", strip=True).replace(",", "")
    if fact["source"].get("table"):
        # The row it links to prints the fact's digits.
        assert target.name == "tr" and fact["printed"] in text.split(), (link["href"], fact)
    else:
        assert "".join(fact["source"]["text"].split()) in "".join(text.split()), (link["href"], fact)


def test_three_public_page_figures_are_the_facts_labelled_and_linked(site: Site) -> None:
    page = site.page("three-public-expenses")
    seen = set()
    for section in page.select("main section"):
        for tr in section.select("table.sangong tbody tr"):
            key = tr.th.a["href"]
            cells = tr.find_all("td", recursive=False)
            assert cells[0].get_text(strip=True) == KIND_LABELS[site.kinds[key]]
            for cell, name in zip(cells[1:7], SANGONG, strict=True):
                assert_fact_cell(site, cell, key, site.facts[key].get(name))
            seen.add(key)
    with_sangong = {key for key, facts in site.facts.items() if any(n in facts for n in SANGONG)}
    assert seen == with_sangong
    # real/01 p.20: 三公 小计 833.60 (not the 2,542.60 that adds 会议费 and 培训费); 公务用车 183.60.
    renda = page.find(
        "tr", attrs={"data-slug": "jiangsusheng-rendachangweihuibangongting", "data-kind": "budget"}
    )
    assert renda is not None
    figures = [td.get_text(strip=True) for td in renda.find_all("td")]
    assert "833.60" in figures[1] and figures[3] == "183.60" and "2,542.60" not in figures


def test_year_page_figures_are_the_facts_labelled_and_linked(site: Site) -> None:
    year = 2024  # 普陀区财政局 决算 (万元) and, with the corpus, 万里街道 预算 (元)
    page = site.page(f"years/{year}")
    rows = page.find("caption", id="year-caption").find_parent("table").select("tbody tr")
    assert rows
    for tr in rows:
        key = tr.th.a["href"]
        facts = site.facts[key]
        cells = tr.find_all("td", recursive=False)
        assert cells[1].get_text(strip=True) == KIND_LABELS[site.kinds[key]]
        total = facts.get("支出合计") or facts.get("支出总计")
        for cell, fact in zip(cells[2:5], [total, facts.get("基本支出"), facts.get("项目支出")], strict=True):
            assert_fact_cell(site, cell, key, fact)


def test_code_page_figures_are_the_facts_labelled_and_linked(site: Site) -> None:
    counts = Counter(name for facts in site.facts.values() for name in facts if name.startswith("function:"))
    name, _ = counts.most_common(1)[0]
    code = name.partition(":")[2]
    rows = site.page(f"functions/{code}").select("main table tbody tr")
    assert len(rows) == counts[name]
    for tr in rows:
        cells = tr.find_all("td", recursive=False)
        key = cells[0].a["href"]  # the year links to the disclosure page
        assert cells[1].get_text(strip=True) == KIND_LABELS[site.kinds[key]]
        assert_fact_cell(site, cells[4], key, site.facts[key][name])


def test_figures_legend_explains_dash_zero_and_rounding(site: Site) -> None:
    for path in ("three-public-expenses", "years/2024"):
        legend = site.page(path).find("dl", class_="figures-legend")
        terms = [dt.get_text(strip=True) for dt in legend.find_all("dt")]
        assert terms[:2] == ["—", "0 / 0.00"], path
        assert "两位小数" in legend.get_text()


def test_home_headline_totals_the_latest_year_with_links(site: Site) -> None:
    """Latest year 2026: only 上海市普陀区司法局 (06a): 支出 96,282,213.44 元 → 9,628.22 万元, 三公 10.81 (p.21)."""
    section = site.page("").find("section", class_="headline")
    assert section.h2.get_text(strip=True) == "2026年预算概览"
    values = {
        dd.find_previous_sibling("dt").get_text(strip=True): (dd.a.get_text(strip=True), dd.a["href"])
        for dd in section.find_all("dd")
    }
    assert values["公开文件数"] == ("1", "/years/2026/")
    assert values["支出合计（万元）"] == ("9,628.22", "/years/2026/")
    assert values["“三公”经费合计（万元）"] == ("10.81", "/three-public-expenses/#year-2026")


@pytest.mark.skipif(
    not (SHARED / "corpus").is_dir(), reason="no ../shared/disclosures/corpus beside this clone"
)
def test_home_headline_biggest_change_links_to_its_source(site: Site, tmp_path: Path) -> None:
    """万里街道 支出 2024 156,211,123 元 → 2025 189,767,551 元 (部门支出预算表 合计): +3,355.64 万元."""
    from budgetsite.site.load import load_content_site
    from budgetsite.site.pages import headline_figures

    slug = "shanghaishi-putuoqu-renminzhengfuwanlijiedaobanshichu"
    content = site.output.parent / "content"
    only = tmp_path / "content"
    (only / slug).mkdir(parents=True)
    for year in ("2024", "2025"):
        (only / slug / year).symlink_to(content / slug / year, target_is_directory=True)
    (headline,) = headline_figures(load_content_site(only), lambda path: "/" + path)
    ((dy, change, (fact, href)),) = headline.changes
    assert (dy.year, change) == (2025, Decimal("3355.6428"))
    assert (fact.printed, fact.unit, fact.source.table, fact.source.row) == (
        "189767551",
        "元",
        "expenditure-summary",
        "合计",
    )
    assert href == f"/departments/{slug}/2025/#expenditure-summary-row-{fact.source.row_index + 1}"


def test_schema_1_content_tree_still_loads_with_facts_derived(tmp_path: Path) -> None:
    """A copy of the shipped content/ as the release before facts wrote it (schema_version 1, no `facts`)
    loads, derives the same facts the schema 2 data.json carries, and builds a 三公 page from them."""
    from budgetsite.site.load import load_content_site

    old = tmp_path / "content"
    shutil.copytree(REPO / "content", old)
    for data_file in old.glob("*/*/data.json"):
        data = json.loads(data_file.read_text(encoding="utf-8"), parse_float=Decimal)  # digits kept exactly
        data.pop("facts")
        data["schema_version"] = 1
        text = simplejson.dumps(data, use_decimal=True, ensure_ascii=False, indent=1)
        data_file.write_text(text + "\n", encoding="utf-8")
    shipped = {(dy.slug, dy.year): dy.facts for dy in load_content_site(REPO / "content").dept_years}
    derived = {(dy.slug, dy.year): dy.facts for dy in load_content_site(old).dept_years}
    assert derived == shipped and all(shipped.values())
    config = load_config(tmp_path, content=str(old), output=str(tmp_path / "output"))
    build(config, quiet=True)
    page = BeautifulSoup(
        (tmp_path / "output" / "three-public-expenses" / "index.html").read_text("utf-8"), "html.parser"
    )
    assert len(page.select("table.sangong tbody tr")) == len(shipped)


def test_final_accounts_page_heads_its_tables_as_juesuan(site: Site) -> None:
    """real/11 is a 决算: its tables are 决算表格, a budget's 预算表格."""
    final = site.page("departments/shanghaishi-putuoqu-caizhengju/2024/final-accounts")
    assert final.find("h2", id="tables").get_text(strip=True) == "决算表格"
    budget = site.page("departments/shanghaishi-putuoqu-sifaju/2026")
    assert budget.find("h2", id="tables").get_text(strip=True) == "预算表格"
    # The function-class chart reads the code facts: real/06a p.12 204 公共安全支出 87,267,272.44 元.
    chart = budget.find(id="chart-function")
    assert "204 公共安全支出" in chart.find("desc").get_text() and "8,726.73" in chart.find("desc").get_text()


def test_sangong_chart_and_csv_read_the_facts(site: Site) -> None:
    """real/06a p.21 公务用车购置及运行费 9.98 (运行费, not 运维费) is in the page's 三公 chart; the CSV keeps
    real/01's 会议费 beside, not inside, its 三公 合计 833.60, with where each was read."""
    chart = site.page("departments/shanghaishi-putuoqu-sifaju/2026").find(id="chart-three-public")
    numbers = [td.get_text() for td in chart.select("table td")]
    assert numbers == ["0", "9.98", "0.83"]
    text = (site.output / "three-public-expenses" / "three-public-expenses.csv").read_text(
        encoding="utf-8-sig"
    )
    rows = list(csv.DictReader(io.StringIO(text)))
    renda = {
        r["fact"]: r
        for r in rows
        if r["slug"] == "jiangsusheng-rendachangweihuibangongting" and r["year"] == "2017"
    }
    assert renda["三公经费合计"]["value_wan"] == "833.60" and renda["会议费"]["value_wan"] == "1305.25"
    assert renda["三公经费合计"]["column"] == "“三公”经费 / 小计" and renda["三公经费合计"]["page"] == "20"


def test_code_rows_indent_by_level_and_wide_tables_say_they_scroll(site: Site) -> None:
    page = site.page("departments/shanghaishi-putuoqu-sifaju/2026")
    table = page.find(id="table-expenditure-summary")
    levels = {
        tr["id"].rsplit("-", 1)[1]: tr.get("class", [])
        for tr in table.select("tbody tr[id]")
        if tr["id"][-1].isdigit()
    }
    # real/06a p.12: 204 公共安全支出 (类), 20406 司法 (款), 2040601 行政运行 (项)
    assert "level-1" in levels["204"] and "level-2" in levels["20406"] and "level-3" in levels["2040601"]
    hint = site.page("three-public-expenses").find("caption").find("span", class_="scroll-hint")
    assert hint.get_text() == "表格较宽，可左右滑动查看"
