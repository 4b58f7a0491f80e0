"""Search bundles by year and region: a department-year's bundle never moves when others come or go."""

from __future__ import annotations

import shutil
from pathlib import Path

from benchmarks.bench_build import generate
from budgetsite.site.load import Site, load_content_site
from budgetsite.site.search import (
    ALL,
    DEFAULT_SCOPE_BUNDLES,
    build_search_index,
    bundle_folder,
    default_scope,
    plan_bundles,
)
from budgetsite.site.urls import Urls


def _bundle_of_each_dept_year(site: Site) -> dict[tuple[str, str], str]:
    """(slug, year) → folder of the search bundle that indexes its pages."""
    return {key: bundle.folder for bundle in plan_bundles(site) for key in bundle.dept_years}


def test_a_department_year_keeps_its_bundle_when_departments_are_added_or_removed(tmp_path: Path):
    content = tmp_path / "content"
    generate(content, 80)  # 20 departments × 4 years in 11 regions
    before = _bundle_of_each_dept_year(load_content_site(content))
    assert len(before) == 80 and len(set(before.values())) == 44
    # A department whose slug sorts first (bundles cut by department order would all shift) in a region
    # that has bundles already …
    shutil.copytree(content / "dept-00005", content / "aaa-new-department")
    added = _bundle_of_each_dept_year(load_content_site(content))
    assert {key: added[key] for key in before} == before
    # … its years join the bundles of their year and region …
    for year in ("2021", "2022", "2023", "2024"):
        assert added[("aaa-new-department", year)] == before[("dept-00005", year)]
    # … and one taken away moves nobody else either.
    shutil.rmtree(content / "dept-00010")
    removed = _bundle_of_each_dept_year(load_content_site(content))
    assert removed == {key: folder for key, folder in added.items() if key[0] != "dept-00010"}


def test_each_bundle_holds_one_year_and_region_and_its_folder_depends_on_them_only(tmp_path: Path):
    content = tmp_path / "content"
    generate(content, 12)
    site = load_content_site(content)
    primary, *bundles = plan_bundles(site)
    assert primary.folder == "pagefind" and not primary.dept_years
    for bundle in bundles:
        assert bundle.year is not None
        assert bundle.folder == bundle_folder(bundle.year, bundle.region)
        holders = {
            (dy.year, "/".join(dy.region))
            for dy in site.dept_years
            if (dy.slug, str(dy.year)) in bundle.dept_years
        }
        assert holders == {(bundle.year, bundle.region)}
        assert (
            bundle.glob
            == f"departments/{{{','.join(sorted(s for s, _ in bundle.dept_years))}}}/{bundle.year}/**/*.html"
        )


def test_the_default_scope_is_everything_on_a_small_site_else_the_latest_year_and_its_largest_region(
    tmp_path: Path,
):
    small = tmp_path / "small"
    generate(small, DEFAULT_SCOPE_BUNDLES)  # one department, three years: three bundles
    assert default_scope(plan_bundles(load_content_site(small))) == (ALL, ALL)
    large = tmp_path / "large"
    generate(large, 80)  # 20 departments: the latest year, 2024, in 11 regions
    site = load_content_site(large)
    latest = [dy for dy in site.dept_years if dy.year == 2024]
    by_region: dict[str, int] = {}
    for dy in latest:
        by_region["/".join(dy.region)] = by_region.get("/".join(dy.region), 0) + 1
    largest = min(by_region, key=lambda region: (-by_region[region], region))
    assert default_scope(plan_bundles(site)) == ("2024", largest)


def test_the_primary_bundle_indexes_a_codes_first_page_not_its_later_ones(tmp_path: Path):
    content = tmp_path / "content"
    generate(content, 4)
    primary = plan_bundles(load_content_site(content))[0]
    out = tmp_path / "out"
    pages = {
        Urls.codes("economic"): "经济分类科目",
        Urls.code("economic", "30217"): "30217 公务接待费",
        Urls.code("economic", "30217", 2): "30217 公务接待费（第2页）",
        Urls.code("function", "2010301"): "2010301 行政运行",
        Urls.code("function", "2010301", 3): "2010301 行政运行（第3页）",
    }
    for path, title in pages.items():
        (out / path).mkdir(parents=True)
        (out / path / "index.html").write_text(
            f'<html lang="zh-CN"><body><main data-pagefind-body><h1>{title}</h1></main></body></html>',
            encoding="utf-8",
        )
    # Real Pagefind over the primary bundle's glob: the listing and each code's first page, no later page.
    assert build_search_index(out, [primary]) == 3
