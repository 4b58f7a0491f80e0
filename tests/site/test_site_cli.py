"""`budgetsite build` from the command line: summary line, one-line errors, failed builds keep the old site."""

from __future__ import annotations

import shutil
from pathlib import Path

from click.testing import CliRunner

from budgetsite.cli import main

FIXTURE = Path(__file__).resolve().parents[1] / "fixtures" / "site_content"


def test_build_command_writes_site_and_one_line_summary(tmp_path):
    runner = CliRunner()
    with runner.isolated_filesystem(temp_dir=tmp_path):
        result = runner.invoke(
            main, ["build", "--content", str(FIXTURE), "--output", "site", "--base-url", "/budget/"]
        )
        assert result.exit_code == 0, result.output
        summary = result.output.strip().splitlines()[-1]
        assert summary.startswith("built ") and " pages, " in summary and " files in " in summary
        home = Path("site/index.html").read_text(encoding="utf-8")
        assert 'href="/budget/static/site.css"' in home
        assert not list(Path(".").glob(".site.*")), "staging folder left behind"


def test_quiet_build_prints_nothing(tmp_path):
    runner = CliRunner()
    with runner.isolated_filesystem(temp_dir=tmp_path):
        result = runner.invoke(main, ["build", "-q", "--content", str(FIXTURE), "--output", "site"])
        assert result.exit_code == 0 and result.output == ""


def test_failed_build_leaves_previous_output_and_prints_one_line(tmp_path):
    content = tmp_path / "content"
    shutil.copytree(FIXTURE, content)
    runner = CliRunner()
    with runner.isolated_filesystem(temp_dir=tmp_path):
        ok = runner.invoke(main, ["build", "-q", "--content", str(content), "--output", "site"])
        assert ok.exit_code == 0, ok.output
        before = sorted(p.relative_to("site").as_posix() for p in Path("site").rglob("*"))
        broken = content / "xingtaishi-gongyehexinxihuaju" / "2023" / "data.json"
        broken.write_text('{"department": ', encoding="utf-8")
        failed = runner.invoke(main, ["build", "-q", "--content", str(content), "--output", "site"])
        assert failed.exit_code == 1
        lines = failed.output.strip().splitlines()
        assert len(lines) == 1 and lines[0].startswith("error: ") and "data.json" in lines[0], failed.output
        after = sorted(p.relative_to("site").as_posix() for p in Path("site").rglob("*"))
        assert after == before
        assert not [p for p in Path(".").iterdir() if p.name.startswith(".site.")]


def test_output_inside_content_is_refused(tmp_path):
    runner = CliRunner()
    content = tmp_path / "content"
    shutil.copytree(FIXTURE, content)
    result = runner.invoke(main, ["build", "--content", str(content), "--output", str(tmp_path)])
    assert result.exit_code == 1 and "would replace the content" in result.output
    assert (content / "pages" / "about.md").is_file()


def test_unknown_setting_in_toml_fails_cleanly(tmp_path):
    runner = CliRunner()
    with runner.isolated_filesystem(temp_dir=tmp_path):
        Path("budgetsite.toml").write_text('thme = "x"\n', encoding="utf-8")
        result = runner.invoke(main, ["build", "--content", str(FIXTURE)])
        assert result.exit_code == 1
        assert "unknown setting 'thme'" in result.output and len(result.output.strip().splitlines()) == 1
