"""`budgetsite ingest` and `budgetsite check` run for real on the three Hebei samples (CliRunner)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import simplejson
from click.testing import CliRunner
from ingest_helpers import ALL_SAMPLES, FIXTURES, HENGSHUI_SLUG, XINGTAI_SLUG, XUSHUI_2024, XUSHUI_SLUG

from budgetsite.cli import main
from budgetsite.content.tree import data_fingerprint


def ingest(runner: CliRunner, *args: str) -> tuple[int, str]:
    result = runner.invoke(main, ["ingest", *args], catch_exceptions=False)
    return result.exit_code, result.output


def test_ingest_three_samples_writes_tree_and_summary() -> None:
    runner = CliRunner()
    with runner.isolated_filesystem():
        code, output = ingest(runner, *map(str, ALL_SAMPLES))
        assert code == 0, output
        for slug, year in ((HENGSHUI_SLUG, 2020), (XUSHUI_SLUG, 2024), (XINGTAI_SLUG, 2023)):
            folder = Path("content") / slug / str(year)
            assert (folder / "data.json").is_file() and (folder / "index.md").is_file()
            assert (folder / "source.txt").is_file()
        # Summary: one line per department-year with tables, projects and checks.
        # 001 has the 9 standard tables + 机构设置, 政府采购, 固定资产 and 12 项目绩效目标表.
        assert "保定市徐水区工业和信息化局 2024" in output
        line = next(x for x in output.splitlines() if "保定市徐水区工业和信息化局 2024" in x)
        assert "(new)" in line and "12 tables" in line and "12 projects" in line and "0 failed" in line
        assert "衡水市工业和信息化局 2020" in output and "邢台市工业和信息化局 2023" in output


def test_folder_source_is_searched_recursively() -> None:
    runner = CliRunner()
    with runner.isolated_filesystem():
        Path("sources/hebei/baoding").mkdir(parents=True)
        shutil.copy(XUSHUI_2024, "sources/hebei/baoding/xushui.txt")
        Path("sources/.hidden").mkdir()
        Path("sources/.hidden/ignored.txt").write_text("not read", encoding="utf-8")
        # `budgetsite init` puts a README.md into sources/: a note, not a disclosure.
        Path("sources/README.md").write_text("# Sources\n\nPut the PDF files here.\n", encoding="utf-8")
        code, output = ingest(runner, "sources", "--content", "site/content")
        assert code == 0, output
        assert (Path("site/content") / XUSHUI_SLUG / "2024" / "data.json").is_file()


def test_reingest_unchanged_says_unchanged() -> None:
    runner = CliRunner()
    with runner.isolated_filesystem():
        assert ingest(runner, str(XUSHUI_2024))[0] == 0
        data = (Path("content") / XUSHUI_SLUG / "2024" / "data.json").read_bytes()
        code, output = ingest(runner, str(XUSHUI_2024))
        assert code == 0, output
        assert "(unchanged)" in output
        assert (Path("content") / XUSHUI_SLUG / "2024" / "data.json").read_bytes() == data


def test_two_sources_for_one_department_year_refuse_then_force() -> None:
    runner = CliRunner()
    with runner.isolated_filesystem():
        assert ingest(runner, str(XUSHUI_2024))[0] == 0
        # The same disclosure saved again with Windows line ends is another source file.
        Path("xushui-crlf.txt").write_bytes(XUSHUI_2024.read_bytes().replace(b"\n", b"\r\n"))
        result = runner.invoke(main, ["ingest", "xushui-crlf.txt"])
        assert result.exit_code == 1
        assert "different source" in result.output and "--force" in result.output
        assert "Traceback" not in result.output
        code, output = ingest(runner, "xushui-crlf.txt", "--force")
        assert code == 0 and "(replaced)" in output


def test_hand_edited_index_md_refuses_unless_forced() -> None:
    runner = CliRunner()
    with runner.isolated_filesystem():
        assert ingest(runner, str(XUSHUI_2024))[0] == 0
        folder = Path("content") / XUSHUI_SLUG / "2024"
        index = folder / "index.md"
        index.write_text(index.read_text(encoding="utf-8") + "\n编辑补充。\n", encoding="utf-8")
        # Pretend an older budgetsite wrote the tree: its data differs from what ingest makes now.
        data = simplejson.loads((folder / "data.json").read_text(encoding="utf-8"), use_decimal=True)
        data["title"] = "旧标题"
        data["data_sha256"] = data_fingerprint(data)
        (folder / "data.json").write_text(simplejson.dumps(data, use_decimal=True), encoding="utf-8")
        result = runner.invoke(main, ["ingest", str(XUSHUI_2024)])
        assert result.exit_code == 1
        assert "edited by hand" in result.output and "--force" in result.output
        assert "编辑补充" in index.read_text(encoding="utf-8")
        code, output = ingest(runner, str(XUSHUI_2024), "--force")
        assert code == 0, output
        assert "编辑补充" not in index.read_text(encoding="utf-8")


def test_narrative_and_tables_files_merge_into_one_department_year() -> None:
    # 001 split where its narrative begins ("第一部分  保定市徐水区工业和信息化局2024年部门预算信息公开情况说明"),
    # like 03a/03b of the real PDFs: tables in one file, narrative and projects in the other.
    lines = XUSHUI_2024.read_text(encoding="utf-8").splitlines(keepends=True)
    cut = next(i for i, line in enumerate(lines) if line.startswith("第一部分"))
    runner = CliRunner()
    with runner.isolated_filesystem():
        Path("a_tables.txt").write_text("".join(lines[:cut]), encoding="utf-8")
        Path("b_narrative.txt").write_text("".join(lines[cut:]), encoding="utf-8")
        code, output = ingest(runner, "a_tables.txt", "b_narrative.txt")
        assert code == 0, output
        folder = Path("content") / XUSHUI_SLUG / "2024"
        assert len(list(Path("content").glob("*/*/data.json"))) == 1
        data = json.loads((folder / "data.json").read_text(encoding="utf-8"))
        assert data["source"]["file"] == "source.txt" and data["source"]["extra_files"] == ["source-2.txt"]
        assert (folder / "source.txt").read_text(encoding="utf-8") == "".join(lines[:cut])
        assert (folder / "source-2.txt").read_text(encoding="utf-8") == "".join(lines[cut:])
        ids = [t["id"] for t in data["tables"]]
        assert ids[0] == "income-expenditure-summary" and "general-public-budget-basic-expenditure" in ids
        assert len(data["projects"]) == 12
        assert any(s.get("id") == "duties" for s in data["sections"])


def test_check_command_reports_and_strict_exit() -> None:
    runner = CliRunner()
    with runner.isolated_filesystem():
        assert ingest(runner, *map(str, ALL_SAMPLES), "-q")[0] == 0
        result = runner.invoke(main, ["check"], catch_exceptions=False)
        assert result.exit_code == 0, result.output
        assert "保定市徐水区工业和信息化局 2024" in result.output
        assert "WARN basic-expenditure-sum:合计" in result.output
        # 000 has real failures (see test_checks_samples.py), so --strict exits 1.
        strict = runner.invoke(main, ["check", "--strict"])
        assert strict.exit_code == 1
        quiet = runner.invoke(main, ["check", "--quiet"])
        assert "WARN" not in quiet.output and "FAIL" in quiet.output


def test_check_strict_passes_on_a_tree_without_failures() -> None:
    runner = CliRunner()
    with runner.isolated_filesystem():
        assert ingest(runner, str(XUSHUI_2024), "--content", "c", "-q")[0] == 0
        result = runner.invoke(main, ["check", "--content", "c", "--strict"])
        assert result.exit_code == 0, result.output
        assert "0 fail" in result.output


def test_check_without_content_tree_is_one_clear_line() -> None:
    runner = CliRunner()
    with runner.isolated_filesystem():
        result = runner.invoke(main, ["check", "--content", "nowhere"])
        assert result.exit_code == 1
        assert result.output.strip().startswith("error: nowhere: no content tree")
        assert len(result.output.strip().splitlines()) == 1


def test_quiet_ingest_prints_nothing() -> None:
    runner = CliRunner()
    with runner.isolated_filesystem():
        code, output = ingest(runner, str(XUSHUI_2024), "-q")
        assert code == 0 and output == ""


def test_two_versions_in_one_run_are_refused_unless_forced() -> None:
    runner = CliRunner()
    with runner.isolated_filesystem():
        # The same disclosure twice, once with Windows line ends: both print 部门预算收支总表 — two versions.
        Path("xushui-crlf.txt").write_bytes(XUSHUI_2024.read_bytes().replace(b"\n", b"\r\n"))
        result = runner.invoke(main, ["ingest", str(XUSHUI_2024), "xushui-crlf.txt", "-q"])
        assert result.exit_code == 1
        assert "two versions of one disclosure" in result.output and "--force" in result.output
        assert not Path("content").exists()


def test_identical_copies_are_read_once() -> None:
    runner = CliRunner()
    with runner.isolated_filesystem():
        Path("a").mkdir()
        shutil.copy(XUSHUI_2024, "a/copy.txt")
        code, output = ingest(runner, str(XUSHUI_2024), "a")
        assert code == 0, output
        folder = Path("content") / XUSHUI_SLUG / "2024"
        assert sorted(p.name for p in folder.glob("source*")) == ["source.txt"]
        assert "12 tables" in output


def test_check_with_broken_data_json_is_one_clear_line() -> None:
    runner = CliRunner()
    with runner.isolated_filesystem():
        assert ingest(runner, str(XUSHUI_2024), "-q")[0] == 0
        (Path("content") / XUSHUI_SLUG / "2024" / "data.json").write_text("{", encoding="utf-8")
        result = runner.invoke(main, ["check"])
        assert result.exit_code == 1
        assert len(result.output.strip().splitlines()) == 1
        assert "data.json: not a valid data.json" in result.output and "Traceback" not in result.output


def test_file_without_year_borrows_it_from_the_files_given_with_it() -> None:
    # Like 03a/03b of the real PDFs: the tables file prints no year, the narrative file does.
    lines = XUSHUI_2024.read_text(encoding="utf-8").splitlines(keepends=True)
    cut = next(i for i, line in enumerate(lines) if line.startswith("第一部分"))
    missing_year = FIXTURES / "missing_year.txt"  # 001's 收支总表 with "预算年度：2024" blanked
    runner = CliRunner()
    with runner.isolated_filesystem():
        Path("narrative.txt").write_text("".join(lines[cut:]), encoding="utf-8")
        code, output = ingest(runner, str(missing_year), "narrative.txt")
        assert code == 0, output
        data = json.loads((Path("content") / XUSHUI_SLUG / "2024" / "data.json").read_text(encoding="utf-8"))
        assert data["tables"][0]["id"] == "income-expenditure-summary"
        assert data["source"]["extra_files"] == ["source-2.txt"]
        # With two different department-years beside it, the year is not guessed.
        result = runner.invoke(
            main, ["ingest", str(missing_year), *map(str, ALL_SAMPLES[::2]), "--content", "c2"]
        )
        assert result.exit_code == 1
        assert "no budget year found" in result.output and "--year" in result.output
        # The two dated files are ingested all the same (issue 9: a batch goes on past a bad file).
        assert sorted(p.name for p in Path("c2").glob("*/*")) == ["2020", "2023"]


def test_yearless_file_of_another_department_does_not_borrow() -> None:
    lines = XUSHUI_2024.read_text(encoding="utf-8").splitlines(keepends=True)
    cut = next(i for i, line in enumerate(lines) if line.startswith("第一部分"))
    other = (FIXTURES / "missing_year.txt").read_text(encoding="utf-8")
    other = other.replace("304保定市徐水区工业和信息化局", "305保定市徐水区科学技术局")
    runner = CliRunner()
    with runner.isolated_filesystem():
        Path("narrative.txt").write_text("".join(lines[cut:]), encoding="utf-8")
        Path("other.txt").write_text(other, encoding="utf-8")
        result = runner.invoke(main, ["ingest", "other.txt", "narrative.txt"])
        assert result.exit_code == 1
        assert "other.txt: no budget year found" in result.output
        assert [p.name for p in Path("content").glob("*/*")] == ["2024"]  # narrative.txt on its own
