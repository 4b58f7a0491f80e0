"""Page costs that stay bounded as a site grows (issue 16, item 2).

A department-year page lists the same region's other departments of its year (at most
pages.REGION_LINKS, then a count) and links the year page for all of them; a code page shows
pages.CODE_PAGE_ROWS rows and links its other pages. Both are tested on the fixture tree with small
copies of 邢台 2023 under other slugs and regions, and with the bounds lowered so a few rows already split.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
import simplejson
from bs4 import BeautifulSoup

from budgetsite.config import load_config
from budgetsite.model import load_json_text
from budgetsite.site import pages
from budgetsite.site.build import SiteRenderer, load_site
from budgetsite.site.urls import Urls

FIXTURE_CONTENT = Path(__file__).resolve().parents[1] / "fixtures" / "site_content"
XINGTAI = "xingtaishi-gongyehexinxihuaju"  # region 河北省 / 邢台市
# Copies of 邢台 2023: two more departments of 邢台市, one of 衡水市.
SAME_REGION = {"xingtaishi-copy-a": "邢台市甲局", "xingtaishi-copy-b": "邢台市乙局"}
OTHER_REGION = ("hengshuishi-copy", "衡水市丙局", ["河北省", "衡水市"])


def _copy(content: Path, slug: str, name: str, region: list[str] | None = None) -> None:
    folder = content / slug / "2023"
    shutil.copytree(content / XINGTAI / "2023", folder)
    data = load_json_text((folder / "data.json").read_text(encoding="utf-8"))
    data["department"] = name
    data["region"] = region or data["region"]
    text = simplejson.dumps(data, use_decimal=True, ensure_ascii=False, indent=1)
    (folder / "data.json").write_text(text + "\n", encoding="utf-8")


@pytest.fixture(scope="module")
def content(tmp_path_factory: pytest.TempPathFactory) -> Path:
    content = tmp_path_factory.mktemp("bounded") / "content"
    shutil.copytree(FIXTURE_CONTENT, content)
    for slug, name in SAME_REGION.items():
        _copy(content, slug, name)
    _copy(content, *OTHER_REGION)
    return content


def _renderer(content: Path) -> SiteRenderer:
    config = load_config(content.parent, content=str(content))
    return SiteRenderer(load_site(config), config)


def _page(renderer: SiteRenderer, path: str) -> BeautifulSoup:
    spec = next(s for s in renderer.plan if s.path == path)
    return BeautifulSoup(renderer.render(spec), "html.parser")


def _region_list(page: BeautifulSoup) -> list[tuple[str, str]]:
    heading = page.find("nav", class_="neighbours").find("h2")
    return [(a["href"], a.get_text()) for a in heading.find_next_sibling("ul").find_all("a")]


def test_dept_year_page_lists_its_regions_departments_and_links_the_year_page(content: Path) -> None:
    renderer = _renderer(content)
    page = _page(renderer, Urls.dept_year(XINGTAI, 2023))
    nav = page.find("nav", class_="neighbours")
    assert nav.find("h2").get_text() == "同地区其他部门（河北省 / 邢台市）"
    # Display order (by slug here), the 衡水市 copy and 邢台's own page left out.
    assert _region_list(page) == [
        (f"/{Urls.dept_year(slug, 2023)}", name) for slug, name in SAME_REGION.items()
    ]
    year_link = nav.find("a", href=f"/{Urls.year(2023)}")
    assert year_link.get_text() == "2023年全部部门"
    assert "未列出" not in nav.get_text()
    # The 衡水市 copy lists no 邢台 department: it is alone in its region that year.
    other = _page(renderer, Urls.dept_year(OTHER_REGION[0], 2023)).find("nav", class_="neighbours")
    assert other.find("h2") is None and other.find("a", href=f"/{Urls.year(2023)}") is not None


def test_dept_year_page_depends_on_its_region_only(content: Path) -> None:
    renderer = _renderer(content)
    spec = next(s for s in renderer.plan if s.path == Urls.dept_year(XINGTAI, 2023))
    # Its department's years, and the same region's departments of 2023: not the 衡水市 copy, not 徐水.
    assert spec.deps == {f"{XINGTAI}/2022", f"{XINGTAI}/2023"} | {f"{slug}/2023" for slug in SAME_REGION}


def test_a_large_region_is_listed_up_to_the_bound_and_counts_the_rest(
    content: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(pages, "REGION_LINKS", 1)
    page = _page(_renderer(content), Urls.dept_year(XINGTAI, 2023))
    first_slug, first_name = next(iter(SAME_REGION.items()))
    assert _region_list(page) == [(f"/{Urls.dept_year(first_slug, 2023)}", first_name)]
    paragraph = page.find("nav", class_="neighbours").find("p")
    assert paragraph.get_text() == "另有 1 个同地区部门未列出，见2023年全部部门"
    assert paragraph.a["href"] == f"/{Urls.year(2023)}"


# --- code pages ------------------------------------------------------------------------------------------


def _code_table_rows(page: BeautifulSoup) -> list[tuple[str, str, str]]:
    rows = []
    for tr in page.select("main table tbody tr"):
        cells = tr.find_all(["th", "td"], recursive=False)
        rows.append((cells[0].get_text(), cells[1].get_text(), cells[6].a["href"]))
    return rows


def test_a_code_line_longer_than_a_page_is_split_and_every_row_shows_once(
    content: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(pages, "CODE_PAGE_ROWS", 2)
    renderer = _renderer(content)
    line = renderer.site.code_line("function", "2150805")
    assert line is not None and len(line.entries) == 6  # 徐水 2024, 邢台 2022, 2023 and three copies of 2023
    paths = [s.path for s in renderer.plan if s.path.startswith(line.path)]
    assert paths == [line.path, f"{line.path}page/2/", f"{line.path}page/3/"]
    assert paths == [Urls.code("function", "2150805", n) for n in (1, 2, 3)]
    shown = []
    for number, path in enumerate(paths, start=1):
        page = _page(renderer, path)
        shown += _code_table_rows(page)
        title = page.title.get_text()
        assert title.startswith(f"2150805 {line.name}（第 {number} 页）"), title
        navs = page.find_all("nav", class_="pager")
        assert [nav["aria-label"] for nav in navs] == ["分页（表格上方）", "分页（表格下方）"]
        for nav in navs:
            links = [a["href"] for a in nav.find_all("a") if not a.get("rel")]
            assert links == [f"/{p}" for p in paths]
            current = nav.find_all("a", attrs={"aria-current": "page"})
            assert [a["href"] for a in current] == [f"/{path}"]
            assert current[0].get_text() == f"第 {number} 页"
            previous, following = nav.find("a", rel="prev"), nav.find("a", rel="next")
            assert (previous["href"] if previous else None) == (
                f"/{paths[number - 2]}" if number > 1 else None
            )
            assert (following["href"] if following else None) == (f"/{paths[number]}" if number < 3 else None)
        head_links = {
            link["rel"][0]: link["href"] for link in page.head.find_all("link", rel=["prev", "next"])
        }
        assert head_links == {
            **({"prev": f"/{paths[number - 2]}"} if number > 1 else {}),
            **({"next": f"/{paths[number]}"} if number < 3 else {}),
        }
        first, last = 2 * number - 1, 2 * number
        assert re.search(rf"共 6 条，本页第 {first}–{last} 条。", page.get_text())
    # Every entry exactly once, in the order of line.entries, each row linking to its own row.
    expected = [
        (e.dept_year.department, str(e.dept_year.year), f"/{e.dept_year.path}#{e.anchor}")
        for e in line.entries
    ]
    assert shown == expected
    assert len(set(shown)) == 6


def test_a_code_page_deps_are_its_line_and_the_lines_it_names(
    content: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(pages, "CODE_PAGE_ROWS", 2)
    renderer = _renderer(content)
    site = renderer.site
    line, parent = site.code_line("function", "2150805"), site.code_line("function", "21508")
    assert line is not None and parent is not None
    keys = {pages.dept_year_key(e.dept_year) for near in (line, parent) for e in near.entries}
    for spec in renderer.plan:
        if spec.path.startswith(line.path):
            assert spec.deps == keys, spec.path


def test_a_short_code_line_keeps_one_page_without_a_pager(content: Path) -> None:
    renderer = _renderer(content)
    line = renderer.site.code_line("function", "2150805")
    assert line is not None and len(line.entries) <= pages.CODE_PAGE_ROWS
    assert [s.path for s in renderer.plan if s.path.startswith(line.path)] == [line.path]
    page = _page(renderer, line.path)
    assert page.find("nav", class_="pager") is None and "（第 " not in page.title.get_text()
    assert len(_code_table_rows(page)) == len(line.entries)
