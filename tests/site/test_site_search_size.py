"""Search-index size controls for large sites: numbers and row links are not indexed, project pages optional."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from budgetsite.config import load_config
from budgetsite.errors import ConfigError
from budgetsite.site.build import load_site, render_pages

FIXTURE = Path(__file__).resolve().parents[1] / "fixtures" / "site_content"
DEPT_YEAR = re.compile(r"departments/[^/]+/\d{4}/index\.html")


def _pages(tmp: Path, toml: str = "") -> dict[str, BeautifulSoup]:
    tmp.mkdir(exist_ok=True)
    (tmp / "budgetsite.toml").write_text(toml, encoding="utf-8")
    config = load_config(tmp, content=str(FIXTURE))
    out = tmp / "out"
    render_pages(load_site(config), config, out)
    return {
        p.relative_to(out).as_posix(): BeautifulSoup(p.read_text(encoding="utf-8"), "html.parser")
        for p in out.rglob("*.html")
    }


def _indexed(page: BeautifulSoup) -> bool:
    main = page.find("main")
    return main is not None and main.has_attr("data-pagefind-body")


def test_project_pages_are_indexed_by_default_and_can_be_left_out(tmp_path):
    default = _pages(tmp_path / "a")
    projects = [path for path in default if "/projects/" in path]
    dept_years = [path for path in default if DEPT_YEAR.fullmatch(path)]
    assert projects and dept_years
    assert all(_indexed(default[path]) for path in projects + dept_years)

    lean = _pages(tmp_path / "b", "search_projects = false\n")
    assert not any(_indexed(lean[path]) for path in projects)
    # The department-year pages stay indexed, with the project names in their #projects section.
    for path in dept_years:
        assert _indexed(lean[path])
        section = lean[path].find(id="projects")
        if section is not None:
            assert section.find_parent("section").find("ol", class_="project-list").find("a")


def test_numbers_and_row_links_are_not_indexed_but_codes_and_names_are(tmp_path):
    pages = _pages(tmp_path)
    dept_year = pages["departments/baodingshi-xushuiqu-gongyehexinxihuaju/2024/index.html"]
    table = dept_year.find("section", class_="table-block").find("table")
    assert table.find("td", class_="num").has_attr("data-pagefind-ignore")
    code = table.find("td", class_="code")
    assert code is not None and not code.has_attr("data-pagefind-ignore")
    assert not table.find("th", scope="row").has_attr("data-pagefind-ignore")
    code_page = pages["functions/2150805/index.html"]
    row = code_page.find("tbody").find("tr")
    ignored = [cell for cell in row.find_all("td") if cell.has_attr("data-pagefind-ignore")]
    # amount and the "view row" link are skipped; department, year, table and name stay searchable
    assert [cell.get("class") for cell in ignored] == [["num"], None]
    assert not row.find("th").has_attr("data-pagefind-ignore")


def test_project_pages_index_words_not_figures_or_fixed_categories(tmp_path):
    pages = _pages(tmp_path)
    project = next(
        page
        for path, page in pages.items()
        if "/projects/" in path and page.find("h2", id="indicators") is not None
    )
    assert project.find("p", class_="meta").has_attr("data-pagefind-ignore")  # the dept title, on every one
    row = project.find("tbody").find("tr")
    cells = row.find_all(["td", "th"])
    # 一级指标, 二级指标 and 指标值 are skipped; 三级指标, its description and the basis stay searchable
    assert [cell.has_attr("data-pagefind-ignore") for cell in cells] == [
        True,
        True,
        False,
        False,
        True,
        False,
    ]
    budget = project.find("dl", class_="facts").find_all("dd")
    assert any(dd.has_attr("data-pagefind-ignore") for dd in budget)


def test_search_projects_must_be_a_boolean(tmp_path):
    (tmp_path / "budgetsite.toml").write_text('search_projects = "no"\n', encoding="utf-8")
    with pytest.raises(ConfigError, match=r"search_projects.*true or false"):
        load_config(tmp_path)


def test_bundles_without_projects_index_every_page_with_a_body(tmp_path):
    from budgetsite.site import search
    from budgetsite.site.build import build

    (tmp_path / "budgetsite.toml").write_text("search_projects = false\n", encoding="utf-8")
    config = load_config(tmp_path, content=str(FIXTURE))
    build(config, quiet=True)
    bundles = search.plan_bundles(load_site(config), projects=False)
    # department-year bundles cover their disclosures' pages only (projects/<n>/ is not read)
    pages = "/{*.html,*/*.html,units/*/*.html,units/*/*/*.html}"
    assert len(bundles) == 5 and all(b.glob is not None and b.glob.endswith(pages) for b in bundles[1:])
    with_body = [
        p for p in config.output.rglob("*.html") if "data-pagefind-body" in p.read_text(encoding="utf-8")
    ]
    assert with_body and not any("/projects/" in p.as_posix() for p in with_body)
    assert search.build_search_index(config.output, bundles) == len(with_body)


def test_the_data_page_is_found_by_its_text_not_by_its_row_per_department_year(tmp_path):
    data = _pages(tmp_path)["data/index.html"]
    assert _indexed(data)
    table = data.find("table")
    assert table.find("a", href=re.compile(r"data\.json$"))
    # The table of every department-year's files is left out of the index, the page's own words are not.
    assert table.find_parent(attrs={"data-pagefind-ignore": True}) is not None
    assert data.find("h1").find_parent(attrs={"data-pagefind-ignore": True}) is None


def test_the_search_page_names_each_department_once_in_its_regions_group(tmp_path):
    config = load_config(tmp_path, content=str(FIXTURE))
    site = load_site(config)
    search = _pages(tmp_path)["search/index.html"]
    groups = search.find("select", id="filter-department").find_all("optgroup")
    listed = {
        option.get_text(): group["data-region"] for group in groups for option in group.find_all("option")
    }
    assert listed == {d.name: "/".join(d.region) or "unknown" for d in site.departments.values()}
    # The option's text is its value: a name written once, the region once per group (2,500 departments
    # at 10,000 department-years made 330 KB of the page with a value and a region on every option).
    assert not any(option.attrs for group in groups for option in group.find_all("option"))


def test_a_department_page_is_found_by_its_name_and_disclosures_not_by_headline_names(tmp_path):
    from benchmarks.bench_build import generate

    generate(tmp_path / "content", 4)  # one department, four years: its page compares them
    config = load_config(tmp_path, content=str(tmp_path / "content"))
    out = tmp_path / "out"
    render_pages(load_site(config), config, out)
    department = BeautifulSoup(
        (out / "departments/dept-00000/index.html").read_text(encoding="utf-8"), "html.parser"
    )
    assert _indexed(department)
    yoy = department.find("table", class_="year-over-year")
    assert yoy is not None and "公务接待费" in yoy.get_text()
    # The year-over-year rows (the same headline names on every department's page) are left out …
    assert yoy.find_parent(attrs={"data-pagefind-ignore": True}) is not None
    # … its name and its disclosures' titles are not.
    for kept in (department.find("h1"), department.find("a", href=re.compile(r"/2024/$"))):
        assert kept is not None and kept.find_parent(attrs={"data-pagefind-ignore": True}) is None
