"""serve's incremental rebuild: an edit re-renders only the pages that show it, and gets them right."""

from __future__ import annotations

import dataclasses
import shutil
from pathlib import Path

import pytest
import simplejson
from serve_helpers import dept_year_folder

from budgetsite.config import load_config
from budgetsite.model import load_json_text
from budgetsite.serve.preview import PreviewBuilder
from budgetsite.site.build import build

OTHER_SLUG = "other-department"
OTHER_NAME = "保定市徐水区另一个局"


def _rewrite_data(folder: Path, change: object) -> None:
    data = load_json_text((folder / "data.json").read_text(encoding="utf-8"))
    change(data)  # type: ignore[operator]
    text = simplejson.dumps(data, use_decimal=True, ensure_ascii=False, indent=1) + "\n"
    (folder / "data.json").write_text(text, encoding="utf-8")


@pytest.fixture
def builder(sample_site: Path) -> PreviewBuilder:
    """A preview of the sample plus a second department of the same year, fully built."""
    content = sample_site / "content"
    first = dept_year_folder(content)
    second = content / OTHER_SLUG / first.name
    shutil.copytree(first, second)
    _rewrite_data(second, lambda data: data.update(department=OTHER_NAME, slug=OTHER_SLUG))
    index_md = second / "index.md"
    index_md.write_text(
        index_md.read_text(encoding="utf-8").replace(f"slug: {first.parent.name}", f"slug: {OTHER_SLUG}"),
        encoding="utf-8",
    )
    preview = PreviewBuilder(load_config(sample_site), sample_site / ".budgetsite-cache" / "preview")
    preview.full_build()
    return preview


def _mtimes(folder: Path) -> dict[str, int]:
    return {
        str(p.relative_to(folder)): p.stat().st_mtime_ns
        for p in folder.rglob("*.html")
        if "pagefind" not in p.parts
    }


def _rewritten(before: dict[str, int], after: dict[str, int]) -> set[str]:
    return {path for path, mtime in after.items() if before.get(path) != mtime}


def _folders(builder: PreviewBuilder) -> tuple[Path, Path]:
    folders = sorted(p.parent for p in builder.config.content.glob("*/*/data.json"))
    sample = next(f for f in folders if f.parent.name != OTHER_SLUG)
    return sample, builder.config.content / OTHER_SLUG / sample.name


def test_paragraph_edit_re_renders_only_that_disclosure_page(builder: PreviewBuilder) -> None:
    sample, _ = _folders(builder)
    before = _mtimes(builder.preview_dir)
    with (sample / "index.md").open("a", encoding="utf-8") as handle:
        handle.write("\n增量构建：只重写这一页。\n")
    summary = builder.rebuild([sample / "index.md"])
    page = f"departments/{sample.parent.name}/{sample.name}/index.html"
    assert _rewritten(before, _mtimes(builder.preview_dir)) == {page}
    assert summary.startswith("rebuilt 1 pages")
    assert "增量构建：只重写这一页。" in (builder.preview_dir / page).read_text(encoding="utf-8")


def test_renamed_department_reaches_its_neighbours_but_not_their_projects(builder: PreviewBuilder) -> None:
    sample, other = _folders(builder)
    before = _mtimes(builder.preview_dir)
    _rewrite_data(other, lambda data: data.update(department="保定市徐水区改名后的局"))
    builder.rebuild([other / "data.json"])
    rewritten = _rewritten(before, _mtimes(builder.preview_dir))
    neighbour = f"departments/{sample.parent.name}/{sample.name}/index.html"
    assert neighbour in rewritten  # it lists the same year's other departments by name
    assert "保定市徐水区改名后的局" in (builder.preview_dir / neighbour).read_text(encoding="utf-8")
    untouched = [
        p for p in before if p.startswith(f"departments/{sample.parent.name}/{sample.name}/projects/")
    ]
    assert untouched and not rewritten & set(untouched)
    assert len(rewritten) < len(before)


def _retitle(folder: Path, title: str) -> None:
    index_md = folder / "index.md"
    lines = index_md.read_text(encoding="utf-8").splitlines(keepends=True)
    number = next(i for i, line in enumerate(lines) if line.startswith("title:"))
    lines[number] = f"title: {title}\n"
    index_md.write_text("".join(lines), encoding="utf-8")


def test_title_edit_reaches_its_department_page_but_not_the_same_year_neighbours(
    builder: PreviewBuilder,
) -> None:
    sample, other = _folders(builder)
    before = _mtimes(builder.preview_dir)
    _retitle(sample, "徐水区工信局2024年预算（标题修改）")
    builder.rebuild([sample / "index.md"])
    rewritten = _rewritten(before, _mtimes(builder.preview_dir))
    department = f"departments/{sample.parent.name}/index.html"
    assert department in rewritten
    assert "徐水区工信局2024年预算（标题修改）" in (builder.preview_dir / department).read_text(
        encoding="utf-8"
    )
    assert f"departments/{OTHER_SLUG}/{other.name}/index.html" not in rewritten


def test_incremental_edits_give_the_same_pages_as_a_full_build(
    builder: PreviewBuilder, tmp_path: Path
) -> None:
    sample, other = _folders(builder)
    with (sample / "index.md").open("a", encoding="utf-8") as handle:
        handle.write("\n增量与全量一致。\n")
    builder.rebuild([sample / "index.md"])

    def change_first_coded_amount(data: dict) -> None:
        # Change one amount of the first row that has a classification code and a number.
        for table in data["tables"]:
            keys = [c["key"] for c in table["columns"]]
            if "function_code" not in keys:
                continue
            for row in table["rows"]:
                numbers = [i for i, v in enumerate(row) if not isinstance(v, str) and v is not None]
                if row[keys.index("function_code")] and numbers:
                    row[numbers[0]] = row[numbers[0]] + 1
                    return
        raise AssertionError("no coded row with an amount in the sample")

    _retitle(sample, "保定市徐水区工业和信息化局2024年部门预算（修订版）")
    builder.rebuild([sample / "index.md"])
    _rewrite_data(other, change_first_coded_amount)
    builder.rebuild([other / "data.json"])
    _rewrite_data(other, lambda data: data.update(department="保定市徐水区第三个名字"))
    builder.rebuild([other / "data.json"])

    full = dataclasses.replace(builder.config, output=tmp_path / "full")
    build(full, quiet=True)
    incremental, rebuilt = _mtimes(builder.preview_dir), _mtimes(full.output)
    assert set(incremental) == set(rebuilt)
    different = [
        path
        for path in rebuilt
        if (builder.preview_dir / path).read_bytes() != (full.output / path).read_bytes()
    ]
    assert different == []


def test_hand_page_edit_renders_that_page_and_a_new_page_updates_every_navigation(
    builder: PreviewBuilder,
) -> None:
    pages = builder.config.content / "pages"
    before = _mtimes(builder.preview_dir)
    about = pages / "about.md"
    about.write_text(about.read_text(encoding="utf-8") + "\n关于页的新句子。\n", encoding="utf-8")
    builder.rebuild([about])
    assert _rewritten(before, _mtimes(builder.preview_dir)) == {"about/index.html"}

    (pages / "method.md").write_text("---\ntitle: 方法说明\n---\n\n数据如何整理。\n", encoding="utf-8")
    builder.rebuild([pages / "method.md"])
    assert (builder.preview_dir / "method" / "index.html").is_file()
    home = (builder.preview_dir / "index.html").read_text(encoding="utf-8")
    assert "方法说明" in home  # every page's navigation lists hand-written pages


def test_theme_template_change_re_renders_every_page(builder: PreviewBuilder) -> None:
    override = builder.config.site_dir / "themes" / "default" / "templates" / "404.html"
    override.parent.mkdir(parents=True)
    override.write_text(
        '{% extends "default/404.html" %}{% block content %}<p>站点主题覆盖</p>{% endblock %}',
        encoding="utf-8",
    )
    before = _mtimes(builder.preview_dir)
    builder.rebuild([override])
    assert _rewritten(before, _mtimes(builder.preview_dir)) == set(before)
    assert "站点主题覆盖" in (builder.preview_dir / "404.html").read_text(encoding="utf-8")
