"""serve's incremental rebuild with several disclosures per department-year (issue 11), and with the
bounded pages of issue 16 (same-region lists, code pages split into pages of rows).

The identity fixture (示范市财政局: 2023 预算 in 2023/, its 决算 in 2023-final-accounts/, …): an edit of the
决算's code line re-renders the budget-vs-actual page, and removing the 决算 folder removes its page but
not the budget's page its URL is nested in. The sample with two more departments (one of its region, one
of another) and one row per code page: after each kind of edit the preview equals a full build, and a
figure edit re-renders only the code page holding that row.
"""

from __future__ import annotations

import dataclasses
import shutil
from pathlib import Path

import pytest
from test_preview_incremental import _mtimes, _retitle, _rewrite_data, _rewritten

from budgetsite.config import load_config
from budgetsite.serve.preview import PreviewBuilder
from budgetsite.site import pages
from budgetsite.site.build import build
from budgetsite.site.urls import Urls

REPO = Path(__file__).resolve().parents[2]
DEPT = "departments/shifanshi-caizhengju/"


def _builder(tmp_path: Path) -> PreviewBuilder:
    shutil.copytree(REPO / "tests" / "fixtures" / "identity_content", tmp_path / "content")
    preview = PreviewBuilder(load_config(tmp_path), tmp_path / "preview")
    preview.full_build()
    return preview


def test_final_accounts_edit_reaches_the_budget_vs_actual_page(tmp_path: Path) -> None:
    builder = _builder(tmp_path)
    final = builder.config.content / "shifanshi-caizhengju" / "2023-final-accounts"

    def change_208(data: dict) -> None:
        # A hand correction of the 决算数 of 208 and 20805 (148.20 → 149.20): table cell and fact.
        for row in data["tables"][0]["rows"]:
            if row[0] in ("208", "20805"):
                row[3] = row[3] + 1
        for fact in data["facts"]:
            if fact["name"] in ("function:208", "function:20805"):
                fact["value_wan"], fact["printed"] = "149.20", "149.20"

    _rewrite_data(final, change_208)
    builder.rebuild([final / "data.json"])
    page = (builder.preview_dir / DEPT / "2023" / "budget-vs-actual" / "index.html").read_text(
        encoding="utf-8"
    )
    assert "149.20" in page and "148.20" not in page


def test_removing_the_final_accounts_keeps_the_budget_page(tmp_path: Path) -> None:
    builder = _builder(tmp_path)
    final = builder.config.content / "shifanshi-caizhengju" / "2023-final-accounts"
    shutil.rmtree(final)
    builder.rebuild([final / "data.json"])
    assert not (builder.preview_dir / DEPT / "2023" / "final-accounts" / "index.html").exists()
    assert (builder.preview_dir / DEPT / "2023" / "index.html").is_file()
    assert (builder.preview_dir / DEPT / "2023" / "data.json").is_file()


# --- bounded pages (issue 16) ------------------------------------------------------------------------------

NEAR = ("near-department", "保定市徐水区同地区局", None)  # the sample's region: 河北省 / 保定市 / 徐水区
FAR = ("far-department", "衡水市另一地区局", ["河北省", "衡水市"])


def _add_department(content: Path, sample: Path, slug: str, name: str, region: list[str] | None) -> Path:
    folder = content / slug / sample.name
    shutil.copytree(sample, folder)

    def rename(data: dict) -> None:
        data.update(department=name, slug=slug)
        if region is not None:
            data["region"] = region

    _rewrite_data(folder, rename)
    index_md = folder / "index.md"
    index_md.write_text(
        index_md.read_text(encoding="utf-8").replace(f"slug: {sample.parent.name}", f"slug: {slug}"),
        encoding="utf-8",
    )
    return folder


@pytest.fixture
def paged(sample_site: Path, monkeypatch: pytest.MonkeyPatch) -> PreviewBuilder:
    """The sample, a department of its region and one of another, with one row per code page."""
    monkeypatch.setattr(pages, "CODE_PAGE_ROWS", 1)
    content = sample_site / "content"
    (sample,) = (p.parent for p in content.glob("*/*/data.json"))
    for slug, name, region in (NEAR, FAR):
        _add_department(content, sample, slug, name, region)
    preview = PreviewBuilder(load_config(sample_site), sample_site / ".budgetsite-cache" / "preview")
    preview.full_build()
    return preview


def _sample(builder: PreviewBuilder) -> Path:
    return next(
        p.parent
        for p in builder.config.content.glob("*/*/data.json")
        if p.parent.parent.name not in (NEAR[0], FAR[0])
    )


def _assert_same_as_full_build(builder: PreviewBuilder, out: Path, step: str) -> None:
    full = dataclasses.replace(builder.config, output=out)
    build(full, quiet=True)
    incremental, rebuilt = _mtimes(builder.preview_dir), _mtimes(full.output)
    assert set(incremental) == set(rebuilt), step
    different = [
        p for p in rebuilt if (builder.preview_dir / p).read_bytes() != (full.output / p).read_bytes()
    ]
    assert different == [], step


def _change_code_figure(folder: Path) -> str:
    """Add 1 to the first 功能分类 code fact of `folder`: its value and the table cell it was read from (a
    hand correction of one printed figure); return the code."""
    changed: list[str] = []

    def change(data: dict) -> None:
        fact = next(f for f in data["facts"] if f["name"].startswith("function:"))
        source = fact["source"]
        table = data["tables"][source["table_index"]]
        column = next(i for i, c in enumerate(table["columns"]) if c["label"] == source["column"])
        row = table["rows"][source["row_index"]]
        row[column] = row[column] + 1
        fact["value_wan"] = fact["printed"] = str(row[column])
        changed.append(fact["name"].partition(":")[2])

    _rewrite_data(folder, change)
    return changed[0]


def _append_paragraph(folder: Path) -> Path:
    with (folder / "index.md").open("a", encoding="utf-8") as handle:
        handle.write("\n分页与全量一致。\n")
    return folder / "index.md"


def test_each_kind_of_edit_gives_the_pages_of_a_full_build(paged: PreviewBuilder, tmp_path: Path) -> None:
    content, sample = paged.config.content, _sample(paged)
    near, far = content / NEAR[0] / sample.name, content / FAR[0] / sample.name
    assert any(f"/{Urls.CODE_PAGE}/2/" in path for path in paged.specs)  # code lines do split into pages

    def figure() -> Path:
        _change_code_figure(near)
        return near / "data.json"

    def table_title() -> Path:
        _rewrite_data(
            near, lambda data: data["tables"][0].update(title=data["tables"][0]["title"] + "（修订）")
        )
        return near / "data.json"

    def project_name() -> Path:
        _rewrite_data(
            near, lambda data: data["projects"][0].update(name=data["projects"][0]["name"] + "（调整）")
        )
        return near / "data.json"

    def title() -> Path:
        _retitle(sample, "徐水区工信局2024年预算（分页测试）")
        return sample / "index.md"

    def rename_far() -> Path:
        _rewrite_data(far, lambda data: data.update(department="衡水市改名后的局"))
        return far / "data.json"

    def move_far_into_the_region() -> Path:
        _rewrite_data(far, lambda data: data.update(region=["河北省", "保定市", "徐水区"]))
        return far / "data.json"

    def add() -> Path:
        return _add_department(content, sample, "added-department", "保定市徐水区新增局", None) / "data.json"

    def remove() -> Path:
        shutil.rmtree(near)
        return near / "data.json"

    edits = [
        lambda: _append_paragraph(sample),
        figure,
        table_title,
        project_name,
        title,
        rename_far,
        move_far_into_the_region,
        add,
        remove,
    ]
    for number, edit in enumerate(edits):
        paged.rebuild([edit()])
        _assert_same_as_full_build(paged, tmp_path / f"full-{number}", getattr(edit, "__name__", "paragraph"))


def test_an_edit_in_another_region_leaves_the_page_alone_and_one_in_the_region_reaches_it(
    paged: PreviewBuilder,
) -> None:
    content, sample = paged.config.content, _sample(paged)
    far = content / FAR[0] / sample.name
    page = f"{Urls.dept_year(sample.parent.name, sample.name)}index.html"
    before = _mtimes(paged.preview_dir)
    _rewrite_data(far, lambda data: data.update(department="衡水市改名后的局"))
    paged.rebuild([far / "data.json"])
    assert page not in _rewritten(before, _mtimes(paged.preview_dir))
    before = _mtimes(paged.preview_dir)
    _rewrite_data(far, lambda data: data.update(region=["河北省", "保定市", "徐水区"]))
    paged.rebuild([far / "data.json"])
    assert page in _rewritten(before, _mtimes(paged.preview_dir))
    assert "衡水市改名后的局" in (paged.preview_dir / page).read_text(encoding="utf-8")


def test_a_figure_edit_re_renders_only_the_code_page_holding_its_row(paged: PreviewBuilder) -> None:
    content, sample = paged.config.content, _sample(paged)
    near = content / NEAR[0] / sample.name
    before = _mtimes(paged.preview_dir)
    code = _change_code_figure(near)
    paged.rebuild([near / "data.json"])
    rewritten = _rewritten(before, _mtimes(paged.preview_dir))
    # Copied into the loaded model, not re-indexed: the same code rows, the same listing.
    assert paged.swapped.keys == {f"{NEAR[0]}/{sample.name}"}
    line = paged.renderer.site.code_line("function", code) if paged.renderer else None
    assert line is not None
    # One row a page, in department order: baodingshi-… (the sample), far-department, near-department.
    position = next(i for i, e in enumerate(line.entries) if e.dept_year.slug == NEAR[0])
    holding = Urls.code("function", code, position + 1) + "index.html"
    assert holding in rewritten
    code_pages = {path for path in rewritten if Urls.is_code_page(path)}
    assert code_pages == {holding}, code_pages
    # Nor the site-wide lists that show nothing of that row, nor the other departments' pages.
    assert not rewritten & {
        "three-public-expenses/index.html",
        "projects/index.html",
        "index.html",
        "data/index.html",
        f"{Urls.dept_year(sample.parent.name, sample.name)}index.html",
    }
