"""The content tree (DESIGN §5): files, formats, no-op re-ingest, hand-edit protection, atomic writes."""

from __future__ import annotations

import json
import shutil
from decimal import Decimal
from pathlib import Path

import pytest
import simplejson
from ingest_helpers import basic_table, disclosure

from budgetsite.content.tree import (
    Original,
    iter_disclosure_folders,
    load_disclosure,
    plan_disclosure,
    sha256_file,
    write_disclosure,
)
from budgetsite.errors import ContentError
from budgetsite.model import Disclosure, Section, from_json

SECTIONS = [
    Section(
        title="部门职责及机构设置情况",
        markdown="部门职责：\n\n- （一）提出全区新型工业化发展战略。",
        id="duties",
        number="一",
    ),
    Section(
        title="部门预算安排的总体情况",
        markdown="### （一）、收入说明\n\n2024年预算收入1673.35万元。",
        id="overview",
        number="二",
    ),
]


def sample_disclosure() -> Disclosure:
    return disclosure(
        [basic_table()], sections=[Section(s.title, s.markdown, s.id, s.number) for s in SECTIONS]
    )


def original(tmp_path: Path, text: str = "原始文件\n", name: str = "budget.txt") -> Original:
    path = tmp_path / "in" / name
    path.parent.mkdir(exist_ok=True)
    path.write_bytes(text.encode("utf-8"))
    return Original(path, sha256_file(path), "text")


def folder_of(content: Path) -> Path:
    return content / "baodingshi-xushuiqu-gongyehexinxihuaju" / "2024"


def snapshot(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def test_writes_data_json_index_md_tables_and_source(tmp_path: Path) -> None:
    content = tmp_path / "content"
    source = original(tmp_path)
    assert write_disclosure(sample_disclosure(), [source], content) == "new"
    folder = folder_of(content)
    assert sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file()) == [
        "data.json",
        "index.md",
        "source.txt",
        "tables/general-public-budget-basic-expenditure.csv",
    ]
    assert (folder / "source.txt").read_bytes() == source.path.read_bytes()
    data = json.loads((folder / "data.json").read_text(encoding="utf-8"))
    assert data["source"] == {"file": "source.txt", "sha256": source.sha256, "format": "text"}
    assert data["slug"] == "baodingshi-xushuiqu-gongyehexinxihuaju"
    written = from_json((folder / "data.json").read_text(encoding="utf-8"))
    assert written.tables[0].rows[0][2] == Decimal("1023.35")


def test_table_csv_has_bom_labels_and_printed_digits(tmp_path: Path) -> None:
    content = tmp_path / "content"
    write_disclosure(sample_disclosure(), [original(tmp_path)], content)
    raw = (folder_of(content) / "tables/general-public-budget-basic-expenditure.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # UTF-8 BOM so Excel opens it as UTF-8
    lines = raw.decode("utf-8-sig").splitlines()
    assert lines[0] == "科目编码,科目名称,合计,人员经费,公用经费"
    assert lines[1] == ",合计,1023.35,971.52,51.84"
    assert lines[2] == "301,工资福利支出,654.08,654.08,"
    assert lines[3] == "30101,基本工资,170.30,170.30,"  # trailing zero kept as printed


def test_index_md_front_matter_and_sections_round_trip(tmp_path: Path) -> None:
    content = tmp_path / "content"
    write_disclosure(sample_disclosure(), [original(tmp_path)], content)
    text = (folder_of(content) / "index.md").read_text(encoding="utf-8")
    assert text.startswith("---\n")
    for line in (
        "title: 保定市徐水区工业和信息化局2024年部门预算",
        "year: 2024",
        "kind: budget",
        "source: source.txt",
    ):
        assert line in text
    assert "## 一、部门职责及机构设置情况" in text and "## 二、部门预算安排的总体情况" in text
    loaded = load_disclosure(folder_of(content))
    assert [(s.id, s.number, s.title, s.markdown) for s in loaded.sections] == [
        (s.id, s.number, s.title, s.markdown) for s in SECTIONS
    ]


def test_hand_edited_index_md_is_what_readers_get(tmp_path: Path) -> None:
    content = tmp_path / "content"
    write_disclosure(sample_disclosure(), [original(tmp_path)], content)
    index = folder_of(content) / "index.md"
    text = index.read_text(encoding="utf-8")
    text = text.replace("title: 保定市徐水区工业和信息化局2024年部门预算", "title: 徐水区工信局 2024 年预算")
    text = text.replace("2024年预算收入1673.35万元。", "2024年预算收入1673.35万元（已校对）。")
    index.write_text(text + "\n## 编者注\n\n本页由编辑补充。\n", encoding="utf-8")
    loaded = load_disclosure(folder_of(content))
    assert loaded.title == "徐水区工信局 2024 年预算"
    assert loaded.sections[1].id == "overview"
    assert "（已校对）" in loaded.sections[1].markdown
    assert (loaded.sections[2].title, loaded.sections[2].markdown) == ("编者注", "本页由编辑补充。")


def test_reingesting_unchanged_source_is_a_noop(tmp_path: Path) -> None:
    content = tmp_path / "content"
    source = original(tmp_path)
    write_disclosure(sample_disclosure(), [source], content)
    before = {p: p.stat().st_mtime_ns for p in folder_of(content).rglob("*")}
    assert write_disclosure(sample_disclosure(), [source], content) == "unchanged"
    assert {p: p.stat().st_mtime_ns for p in folder_of(content).rglob("*")} == before


def test_same_source_new_output_updates_and_keeps_user_files(tmp_path: Path) -> None:
    content = tmp_path / "content"
    source = original(tmp_path)
    write_disclosure(sample_disclosure(), [source], content)
    (folder_of(content) / "notes.txt").write_text("编辑笔记", encoding="utf-8")
    changed = sample_disclosure()
    changed.tables[0].title = "一般公共预算财政拨款基本支出表（修订）"
    assert write_disclosure(changed, [source], content) == "updated"
    assert (folder_of(content) / "notes.txt").read_text(encoding="utf-8") == "编辑笔记"
    assert "（修订）" in (folder_of(content) / "data.json").read_text(encoding="utf-8")


def test_hand_edited_index_md_refuses_unless_forced(tmp_path: Path) -> None:
    content = tmp_path / "content"
    source = original(tmp_path)
    write_disclosure(sample_disclosure(), [source], content)
    index = folder_of(content) / "index.md"
    index.write_text(index.read_text(encoding="utf-8") + "\n手工补充的说明。\n", encoding="utf-8")
    changed = sample_disclosure()
    changed.sections[0].markdown += "\n\n新版识别结果。"
    before = snapshot(content)
    with pytest.raises(ContentError, match="edited by hand") as error:
        write_disclosure(changed, [source], content)
    assert "--force" in error.value.line()
    assert snapshot(content) == before
    assert write_disclosure(changed, [source], content, force=True) == "updated"
    assert "新版识别结果" in index.read_text(encoding="utf-8")


def test_unchanged_source_keeps_hand_edits_without_force(tmp_path: Path) -> None:
    content = tmp_path / "content"
    source = original(tmp_path)
    write_disclosure(sample_disclosure(), [source], content)
    index = folder_of(content) / "index.md"
    index.write_text(index.read_text(encoding="utf-8") + "\n手工补充的说明。\n", encoding="utf-8")
    assert write_disclosure(sample_disclosure(), [source], content) == "unchanged"
    assert "手工补充的说明" in index.read_text(encoding="utf-8")


def test_different_source_for_same_department_year_is_an_error_unless_forced(tmp_path: Path) -> None:
    content = tmp_path / "content"
    write_disclosure(sample_disclosure(), [original(tmp_path)], content)
    other = original(tmp_path, "另一份文件\n", name="other.txt")
    before = snapshot(content)
    with pytest.raises(ContentError, match="different source"):
        write_disclosure(sample_disclosure(), [other], content)
    assert snapshot(content) == before
    assert write_disclosure(sample_disclosure(), [other], content, force=True) == "replaced"
    assert (folder_of(content) / "source.txt").read_bytes() == other.path.read_bytes()


def test_several_originals_are_all_kept(tmp_path: Path) -> None:
    content = tmp_path / "content"
    first = original(tmp_path, "narrative\n", name="03a.txt")
    second = original(tmp_path, "tables\n", name="03b.PDF")
    write_disclosure(sample_disclosure(), [first, second], content)
    folder = folder_of(content)
    assert (folder / "source.txt").read_bytes() == b"narrative\n"
    assert (folder / "source-2.pdf").read_bytes() == b"tables\n"
    data = json.loads((folder / "data.json").read_text(encoding="utf-8"))
    assert data["source"]["file"] == "source.txt" and data["source"]["extra_files"] == ["source-2.pdf"]
    assert "extra_sources:\n- source-2.pdf" in (folder / "index.md").read_text(encoding="utf-8")


def test_failed_write_leaves_nothing_half_written(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    content = tmp_path / "content"
    source = original(tmp_path)
    write_disclosure(sample_disclosure(), [source], content)
    before = snapshot(content)
    changed = sample_disclosure()
    changed.title = "新标题"

    def broken_copy(*args: object, **kwargs: object) -> None:
        raise OSError("disk full")

    monkeypatch.setattr(shutil, "copyfile", broken_copy)
    with pytest.raises(OSError, match="disk full"):
        write_disclosure(changed, [source], content)
    assert snapshot(content) == before  # old folder intact, no temp folders left behind
    fresh = tmp_path / "fresh"
    with pytest.raises(OSError):
        write_disclosure(sample_disclosure(), [source], fresh)
    assert not fresh.exists()


def test_plan_writes_nothing(tmp_path: Path) -> None:
    content = tmp_path / "content"
    plan = plan_disclosure(sample_disclosure(), [original(tmp_path)], content)
    assert plan.outcome == "new" and not content.exists()


def test_iter_disclosure_folders_skips_pages(tmp_path: Path) -> None:
    content = tmp_path / "content"
    write_disclosure(sample_disclosure(), [original(tmp_path)], content)
    (content / "pages").mkdir()
    (content / "pages" / "about.md").write_text("---\ntitle: 关于\n---\n", encoding="utf-8")
    assert iter_disclosure_folders(content) == [folder_of(content)]


def test_broken_data_json_is_one_clear_error(tmp_path: Path) -> None:
    content = tmp_path / "content"
    write_disclosure(sample_disclosure(), [original(tmp_path)], content)
    (folder_of(content) / "data.json").write_text("{not json", encoding="utf-8")
    with pytest.raises(ContentError, match=r"not a valid data\.json"):
        load_disclosure(folder_of(content))


def test_hand_corrected_data_json_refuses_unless_forced(tmp_path: Path) -> None:
    content = tmp_path / "content"
    source = original(tmp_path)
    write_disclosure(sample_disclosure(), [source], content)
    data_path = folder_of(content) / "data.json"
    data = simplejson.loads(data_path.read_text(encoding="utf-8"), use_decimal=True)
    # Re-indenting is no edit: the hash covers the content, not the layout.
    data_path.write_text(simplejson.dumps(data, use_decimal=True, indent=4), encoding="utf-8")
    changed = sample_disclosure()
    changed.title = "新版标题"
    assert write_disclosure(changed, [source], content) == "updated"
    # A corrected figure is an edit.
    text = data_path.read_text(encoding="utf-8").replace("1023.35", "1023.36", 1)
    data_path.write_text(text, encoding="utf-8")
    with pytest.raises(ContentError, match=r"data\.json .* edited by hand"):
        write_disclosure(sample_disclosure(), [source], content)
    assert data_path.read_text(encoding="utf-8") == text
    assert write_disclosure(sample_disclosure(), [source], content, force=True) == "updated"


def test_broken_front_matter_names_the_line(tmp_path: Path) -> None:
    content = tmp_path / "content"
    write_disclosure(sample_disclosure(), [original(tmp_path)], content)
    index = folder_of(content) / "index.md"
    lines = index.read_text(encoding="utf-8").splitlines()
    lines[6] = "year: [2024"  # line 7 of the file
    index.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with pytest.raises(ContentError, match=r"not valid YAML at line 7 "):
        load_disclosure(folder_of(content))
