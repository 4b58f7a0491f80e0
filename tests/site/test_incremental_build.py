"""Incremental `budgetsite build` (issue 16 §1): after each kind of change the output equals a --clean
build's byte for byte, every file (Pagefind's hash-ordered filter files compared decoded: see
pagefind_output), while only the pages the change reaches were rendered and only changed search bundles
indexed. Real Pagefind, on a tree of 30 department-years made by the benchmark's generator, in search
bundles by year and region (site.search.plan_bundles), so that most bundles can be reused.
"""

from __future__ import annotations

import json
import logging
import os
import shutil
import sqlite3
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from pagefind_output import canonical_bundle

from budgetsite.config import load_config
from budgetsite.site import incremental
from budgetsite.site.build import BuildResult, build
from budgetsite.site.downloads import DownloadRows
from budgetsite.site.impact import site_before
from budgetsite.site.load import Site, build_site, load_content_site, load_dept_year
from budgetsite.site.pages import dept_year_key
from budgetsite.site.urls import Urls

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO / "tests" / "benchmarks"))
from bench_build import edit_one_figure, generate  # noqa: E402

SQLITE = Path("data") / "budgetsite.sqlite"
FIXTURE = REPO / "tests" / "fixtures" / "site_content"


@pytest.fixture(scope="module")
def tree(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """31 department-years: the site has the first 30; the 31st (dept-00007/2023) is the one added."""
    content = tmp_path_factory.mktemp("tree") / "content"
    generate(content, 31)
    return content


@pytest.fixture
def site(tree: Path, tmp_path: Path) -> Path:
    shutil.copytree(tree, tmp_path / "content", ignore=shutil.ignore_patterns("2023"))
    for folder in tree.glob("*/2023"):
        if folder.parent.name != "dept-00007":
            shutil.copytree(folder, tmp_path / "content" / folder.parent.name / "2023")
    (tmp_path / "budgetsite.toml").write_text('title = "预算公开"\n', encoding="utf-8")
    return tmp_path


def rebuild(site: Path) -> BuildResult:
    return build(load_config(site), quiet=True)


def clean_build(site: Path) -> Path:
    config = load_config(site, output=site / "clean")
    build(config, quiet=True, clean=True)
    return config.output


def tree_files(folder: Path) -> dict[str, object]:
    """Every file below `folder`: its bytes, but a Pagefind bundle's as canonical_bundle reads them."""
    files: dict[str, object] = {}
    for bundle in sorted(folder.glob("pagefind*/")):
        files[bundle.name + "/"] = canonical_bundle(bundle)
    for root, _, names in os.walk(folder):
        for name in names:
            relative = Path(root, name).relative_to(folder)
            if not relative.parts[0].startswith("pagefind"):
                files[relative.as_posix()] = Path(root, name).read_bytes()
    return files


def assert_same_as_clean(site: Path) -> None:
    incremental, clean = tree_files(site / "output"), tree_files(clean_build(site))
    assert sorted(incremental) == sorted(clean)
    different = [name for name in clean if incremental[name] != clean[name]]
    assert different == []


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def edit_text(site: Path) -> None:
    edit(site / "content" / "dept-00002" / "2022" / "index.md", "。", "。（已更正）")


def edit_figure(site: Path) -> None:
    # One figure of one disclosure, as a person correcting data.json would.
    edit_one_figure(site / "content" / "dept-00002" / "2022")


def add(site: Path, tree: Path) -> None:
    shutil.copytree(tree / "dept-00007" / "2023", site / "content" / "dept-00007" / "2023")


def remove(site: Path) -> None:
    shutil.rmtree(site / "content" / "dept-00003" / "2022")


def edit_template(site: Path) -> None:
    # The year pages only: in the primary bundle; the department bundles stay as they were.
    theme = site / "themes" / "default" / "templates"
    theme.mkdir(parents=True)
    shutil.copy(REPO / "themes" / "default" / "templates" / "year.html", theme / "year.html")
    edit(theme / "year.html", "</h1>", "</h1>\n<p>本页按部门列出。</p>")
    edit(site / "budgetsite.toml", 'title = "预算公开"\n', 'title = "预算公开"\ntheme = "default"\n')


def edit_settings(site: Path) -> None:
    edit(site / "budgetsite.toml", "预算公开", "部门预算公开")


def edit_hand_page(site: Path) -> None:
    edit(site / "content" / "pages" / "about.md", "\n\n", "\n\n补充说明。\n\n")


# change → (make it, most pages it may re-render, search bundles to index). A disclosure's listing
# (name, totals) shows on its region's pages of that year (its own bundle) and on site-wide pages (the
# primary bundle); its text on its own page only. Added or removed, it also changes the previous/next
# links of its department's neighbouring years (their bundles).
CHANGES: dict[str, tuple[Callable[[Path, Path], None], int, int]] = {
    "index.md text": (lambda site, tree: edit_text(site), 1, 1),
    "data.json figure": (lambda site, tree: edit_figure(site), 80, 2),
    "add a disclosure": (add, 120, 4),
    "remove a disclosure": (lambda site, tree: remove(site), 120, 4),
    "hand page": (lambda site, tree: edit_hand_page(site), 1, 1),
}


@pytest.mark.parametrize("change", list(CHANGES))
def test_rebuild_after_a_content_change_equals_a_clean_build(site: Path, tree: Path, change: str) -> None:
    cold = rebuild(site)
    assert cold.rendered == cold.pages
    make_change, most, bundles = CHANGES[change]
    make_change(site, tree)
    again = rebuild(site)
    assert 0 < again.rendered <= most < again.pages / 4, again
    assert again.indexed_bundles <= bundles < cold.indexed_bundles, again
    # Counted as the files were linked and written, not by walking the output.
    assert again.files == sum(len(names) for _, _, names in os.walk(site / "output")), again
    assert_same_as_clean(site)


def test_a_figure_edit_leaves_the_site_wide_lists_that_show_no_figures(site: Path) -> None:
    # The findings, project, glossary, search and data pages name and link every disclosure but show none
    # of its figures (megabytes of HTML at 1,000 department-years): taken from the previous output.
    rebuild(site)
    output = site / "output"
    lists = [Urls.findings, Urls.projects, Urls.glossary, Urls.search, Urls.data]
    figures = [Urls.three_public, Urls.home]
    inodes = {path: (output / path / "index.html").stat().st_ino for path in lists + figures}
    edit_figure(site)
    rebuild(site)
    again = {path: (output / path / "index.html").stat().st_ino for path in lists + figures}
    assert [path for path in lists if again[path] != inodes[path]] == []
    assert [path for path in figures if again[path] == inodes[path]] == []
    assert_same_as_clean(site)


def code_lines_shown(site: Site) -> dict[tuple[str, str], object]:
    return {
        line_key: (
            line.name,
            [
                (
                    dept_year_key(e.dept_year),
                    e.table_title,
                    e.row_index,
                    e.anchor,
                    e.name,
                    e.amount,
                    repr(e.fact),
                )
                for e in line.entries
            ],
        )
        for line_key, line in site.codes.items()
    }


def test_the_code_lines_before_an_edit_are_those_of_the_previous_site(tree: Path, tmp_path: Path) -> None:
    # The incremental build compares code pages with site_before (the code lines remade from the edited
    # department-years' previous versions) instead of indexing the previous site whole: both must agree.
    folders = {f"{f.parent.name}/{f.name}": f for f in tree.glob("*/20*") if f.is_dir()}
    added, removed, edited = "dept-00007/2023", "dept-00003/2022", "dept-00002/2022"
    before = {key: load_dept_year(folder) for key, folder in folders.items() if key != added}
    # The edit: one code figure changed, one code row (fact) gone, as a person correcting data.json.
    shutil.copytree(folders[edited], tmp_path / edited)
    data = tmp_path / edited / "data.json"
    document = json.loads(data.read_text(encoding="utf-8"))
    codes = [fact for fact in document["facts"] if fact["name"].startswith("function:")]
    codes[0]["value_wan"] = codes[0]["printed"] = "1.00"
    document["facts"].remove(codes[-1])
    data.write_text(json.dumps(document, ensure_ascii=False), encoding="utf-8")
    after = {key: dy for key, dy in before.items() if key not in (removed, edited)}
    after[edited], after[added] = load_dept_year(tmp_path / edited), load_dept_year(folders[added])
    old_site, new_site = build_site(tree, list(before.values())), build_site(tree, list(after.values()))
    assert code_lines_shown(old_site) != code_lines_shown(new_site)
    remade = site_before(new_site, {added, removed, edited}, [before[removed], before[edited]])
    assert code_lines_shown(remade) == code_lines_shown(old_site)
    assert [dept_year_key(dy) for dy in remade.dept_years] == [
        dept_year_key(dy) for dy in old_site.dept_years
    ]


def test_nothing_changed_renders_nothing(site: Path) -> None:
    cold = rebuild(site)
    assert cold.files == sum(len(names) for _, _, names in os.walk(site / "output")), cold
    before = (site / "output").stat().st_ino
    again = rebuild(site)
    assert (again.rendered, again.indexed_bundles, again.pages) == (0, 0, cold.pages)
    assert (site / "output").stat().st_ino == before  # not even swapped


@pytest.mark.parametrize("change", ["template", "budgetsite.toml"])
def test_a_template_or_settings_change_renders_every_page_but_reuses_search_and_downloads(
    site: Path, change: str
) -> None:
    cold = rebuild(site)
    sqlite_inode = (site / "output" / SQLITE).stat().st_ino
    (edit_template if change == "template" else edit_settings)(site)
    again = rebuild(site)
    assert again.rendered == cold.pages
    # The downloads are the previous build's files, hard-linked.
    assert (site / "output" / SQLITE).stat().st_ino == sqlite_inode
    if change == "template":
        assert again.indexed_bundles == 1  # the primary bundle (year pages); the others reused
    assert_same_as_clean(site)


def test_files_touched_but_unchanged_are_read_again_without_complaint(site: Path) -> None:
    # A checkout or a copy gives every file a new time: the cached models (same content, by hash) are used,
    # and the pages that read their tables (the edited one's region) must not take them for edited ones.
    rebuild(site)
    later = (site / "budgetsite.toml").stat().st_mtime_ns + 5_000_000_000
    for path in (site / "content").rglob("*"):
        if path.is_file():
            os.utime(path, ns=(later, later))
    edit_figure(site)
    again = rebuild(site)
    assert again.rendered < again.pages / 4
    assert_same_as_clean(site)


def test_files_deleted_from_the_output_are_written_again(site: Path) -> None:
    # A page and a download the rebuild would link from the previous output (linked early, in the stager's
    # thread) are gone: the page is rendered and the department-year's downloads written after all.
    rebuild(site)
    other = site / "output" / "departments" / "dept-00005" / "2021"
    (other / "index.html").unlink()
    (other / "data.json").unlink()
    edit_figure(site)
    again = rebuild(site)
    assert again.rendered < again.pages / 4
    assert again.files == sum(len(names) for _, _, names in os.walk(site / "output")), again
    assert_same_as_clean(site)


def test_several_changes_over_several_rebuilds(site: Path, tree: Path) -> None:
    rebuild(site)
    edit_figure(site)
    rebuild(site)
    remove(site)
    add(site, tree)
    again = rebuild(site)
    assert again.rendered < again.pages / 4
    assert_same_as_clean(site)


def add_final_accounts(site: Path) -> Path:
    """A 决算 beside dept-00002's 2022 budget (the generator makes budgets only): a budget-vs-actual page."""
    budget = site / "content" / "dept-00002" / "2022"
    final = budget.with_name("2022-final-accounts")
    shutil.copytree(budget, final)
    edit(final / "data.json", '"kind": "budget"', '"kind": "final-accounts"')
    return final


def test_an_edit_of_a_code_fact_only_reaches_the_pages_that_compare_code_lines(site: Path) -> None:
    # A function-code fact (function:206) edited in data.json, its table left as it was: the budget-vs-actual
    # page compares the budget's and the 决算's code lines from these facts. Once taken for a text edit.
    final = add_final_accounts(site)
    rebuild(site)
    budget_vs_actual = site / "output" / "departments" / "dept-00002" / "2022" / Urls.BUDGET_VS_ACTUAL
    before = (budget_vs_actual / "index.html").read_bytes()
    edit_one_figure(final, "function:206")
    again = rebuild(site)
    assert again.rendered < again.pages / 4
    assert (budget_vs_actual / "index.html").read_bytes() != before
    assert_same_as_clean(site)


def test_a_damaged_or_foreign_cache_is_ignored(site: Path) -> None:
    rebuild(site)
    for manifest in (site / ".budgetsite-cache" / "build").glob("manifest-*.pickle"):
        manifest.write_bytes(b"not a pickle")
    for model in (site / ".budgetsite-cache" / "build" / "models").rglob("*.pickle"):
        model.write_bytes(b"\x80\x05garbage")
    for rows in (site / ".budgetsite-cache" / "build").glob("downloads-*.sqlite"):
        rows.write_bytes(b"not a database" * 100)
    edit_figure(site)
    again = rebuild(site)
    assert again.rendered == again.pages  # no usable cache: everything, and right
    assert_same_as_clean(site)


def test_a_cache_of_another_budgetsite_version_is_ignored(
    site: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    rebuild(site)
    monkeypatch.setattr(incremental, "__version__", "0.0.0-other")
    caplog.set_level(logging.DEBUG, logger="budgetsite")
    again = rebuild(site)
    assert again.rendered == again.pages
    assert "build cache: made by another budgetsite version, building everything" in caplog.text


def test_the_sqlite_download_does_not_depend_on_the_rows_cached_before(tmp_path: Path) -> None:
    # The cache database has rows deleted and inserted in another order than a clean build's; SQLite
    # files are not byte-stable under such updates, the exported download must be: same pages, same
    # header (file change counter at offset 24, schema cookie at 40, SQLite version at 96).
    site = load_content_site(FIXTURE)
    url = Urls("/").href
    current = [(f"fingerprint-{i}", dy) for i, dy in enumerate(site.dept_years)]
    assert len(current) >= 3
    fresh = DownloadRows(tmp_path / "fresh.sqlite")
    assert fresh.update(current, url) == len(current)
    fresh.export(tmp_path / "clean.sqlite")
    cached = DownloadRows(tmp_path / "cached.sqlite")
    cached.update([("an older edit", current[0][1]), *current[2:]], url)  # then the first edited, one added
    assert cached.update(current, url) == 2
    cached.export(tmp_path / "incremental.sqlite")
    clean, incremental_ = (
        (tmp_path / "clean.sqlite").read_bytes(),
        (tmp_path / "incremental.sqlite").read_bytes(),
    )
    assert clean[:100] == incremental_[:100]
    assert clean == incremental_
    assert (tmp_path / "cached.sqlite").read_bytes() != (tmp_path / "fresh.sqlite").read_bytes()
    with sqlite3.connect(tmp_path / "incremental.sqlite") as download:
        assert download.execute("SELECT count(*) FROM disclosures").fetchone() == (len(current),)
