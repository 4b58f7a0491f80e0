"""A table's CSV file name is decided once, by the content tree, and the site reads it everywhere.

Two merged files of one department-year that each hold an unrecognised table give two tables with the
id "other-1" (see merge_disclosures); ingest writes them as tables/other-1.csv and tables/other-1-2.csv.
The site must publish both under the same names, and every link must reach its own table.
"""

from __future__ import annotations

import csv
import io
import json
from decimal import Decimal
from pathlib import Path

import pytest
from site_builds import build_with, xingtai_2023
from site_links import soup

from budgetsite.model import Column, Table


def _other_table(title: str, name: str, amount: str) -> Table:
    return Table(
        id="other-1",
        title=title,
        unit="万元",
        columns=[Column("name", "项目"), Column("total", "金额")],
        rows=[[name, Decimal(amount)]],
    )


@pytest.fixture(scope="module")
def merged_site(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """(content folder of the department-year, its folder in the built site)."""
    disclosure = xingtai_2023()
    disclosure.tables += [
        _other_table("附表一 其他说明表", "甲项", "1.10"),
        _other_table("附表二 其他说明表", "乙项", "2.20"),
    ]
    return build_with(disclosure, tmp_path_factory.mktemp("merged"))


def _first_row(path: Path) -> list[str]:
    return list(csv.reader(io.StringIO(path.read_bytes().decode("utf-8-sig"))))[1]


def test_each_repeated_table_is_published_under_its_content_tree_name(merged_site):
    content, published = merged_site
    names = sorted(p.name for p in (content / "tables").glob("other-1*.csv"))
    assert names == ["other-1-2.csv", "other-1.csv"]
    for name in names:
        assert (published / "tables" / name).read_bytes() == (content / "tables" / name).read_bytes()
    assert _first_row(published / "tables" / "other-1.csv") == ["甲项", "1.10"]
    assert _first_row(published / "tables" / "other-1-2.csv") == ["乙项", "2.20"]


def test_the_page_links_each_table_to_its_own_csv(merged_site):
    _, published = merged_site
    page = soup(published / "index.html")
    links = {}
    for block in page.select("section.table-block"):
        caption = block.find("caption").get_text()
        if "其他说明表" in caption:
            links[caption.split("（")[0]] = block.select_one("p.table-download a")["href"]
    base = "/departments/xingtaishi-gongyehexinxihuaju/2023/tables/"
    assert links == {"附表一 其他说明表": base + "other-1.csv", "附表二 其他说明表": base + "other-1-2.csv"}


def test_index_json_and_data_page_list_both_csvs(merged_site):
    _, published = merged_site
    output = published.parents[2]
    entries = json.loads((output / "data" / "index.json").read_text(encoding="utf-8"))
    tables = next(e["tables"] for e in entries if e["year"] == 2023 and "xingtai" in e["slug"])
    assert [t.rsplit("/", 1)[1] for t in tables if "other-1" in t] == ["other-1.csv", "other-1-2.csv"]
    hrefs = [a["href"] for a in soup(output / "data" / "index.html").find_all("a") if "other-1" in a["href"]]
    assert [h.rsplit("/", 1)[1] for h in hrefs] == ["other-1.csv", "other-1-2.csv"]
