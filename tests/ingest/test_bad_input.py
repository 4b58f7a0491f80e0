"""Bad input (DESIGN §8): one clear line naming the file, a non-zero exit, no traceback, tree untouched."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from ingest_helpers import FIXTURES, HENGSHUI_2020, HENGSHUI_SLUG, XUSHUI_2024, XUSHUI_SLUG

from budgetsite.cli import main


def snapshot(root: Path) -> dict[str, bytes]:
    if not root.exists():
        return {}
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def refuse(source: Path, expected: str) -> None:
    """Ingest `source` beside an existing tree: exit 1, one line naming the file, the tree unchanged."""
    runner = CliRunner()
    with runner.isolated_filesystem():
        first = runner.invoke(main, ["ingest", str(XUSHUI_2024), "-q"])
        assert first.exit_code == 0, first.output
        before = snapshot(Path("content"))
        result = runner.invoke(main, ["ingest", str(source), "-q"])
        assert result.exit_code == 1, result.output
        lines = result.output.strip().splitlines()
        assert len(lines) == 1, result.output
        assert lines[0].startswith(f"error: {source}") or lines[0].startswith(f"error: {source.name}")
        assert expected in lines[0]
        assert "Traceback" not in result.output
        assert snapshot(Path("content")) == before
        # A batch (issue 9): a good file of another department-year given with the bad one is
        # ingested, the bad one listed with the same line, exit 1.
        result = runner.invoke(main, ["ingest", str(HENGSHUI_2020), str(source), "--content", "fresh", "-q"])
        assert result.exit_code == 1
        assert [line for line in result.output.splitlines() if line.startswith("error:")] == lines
        assert [p.relative_to("fresh").as_posix() for p in Path("fresh").glob("*/*")] == [
            f"{HENGSHUI_SLUG}/2020"
        ]


def test_empty_file() -> None:
    refuse(FIXTURES / "empty.txt", "empty")


def test_binary_garbage() -> None:
    # The first 2 KB of the gzip-compressed 000 sample (gzip -9 -c 000_….txt | head -c 2048).
    refuse(FIXTURES / "binary_garbage.txt", "not a text file")


def test_text_that_is_no_disclosure() -> None:
    # Meeting minutes with 一、二、三、 headings: Chinese, numbered, but no budget tables or sections.
    refuse(FIXTURES / "not_a_disclosure.txt", "not a budget disclosure")


def test_missing_year() -> None:
    # 001's 部门预算收支总表 alone with its only year line "预算年度：2024" blanked (sed).
    refuse(FIXTURES / "missing_year.txt", "--year")


def test_missing_year_given_on_the_command_line_ingests() -> None:
    runner = CliRunner()
    with runner.isolated_filesystem():
        result = runner.invoke(main, ["ingest", str(FIXTURES / "missing_year.txt"), "--year", "2024", "-q"])
        assert result.exit_code == 0, result.output
        assert (Path("content") / XUSHUI_SLUG / "2024" / "data.json").is_file()


def test_nonexistent_path() -> None:
    runner = CliRunner()
    with runner.isolated_filesystem():
        result = runner.invoke(main, ["ingest", "no/such/file.txt"])
        assert result.exit_code == 1
        assert result.output.strip() == "error: no/such/file.txt: no such file or folder — check the path"
        assert not Path("content").exists()


def test_unsupported_file_type(tmp_path: Path) -> None:
    path = tmp_path / "budget.png"
    path.write_bytes(b"\x89PNG\r\n\x1a\n")
    refuse(path, "unsupported file type")


def data_without_source(folder: Path) -> dict[str, object]:
    data = json.loads((folder / "data.json").read_text(encoding="utf-8"))
    data.pop("source")
    data.pop("generated_files")  # provenance too: it holds the hash of the source file as kept
    return data


@pytest.mark.parametrize("encoding", ["gbk", "utf-16"])
def test_other_encodings_ingest_identically(encoding: str) -> None:
    text = XUSHUI_2024.read_text(encoding="utf-8")
    runner = CliRunner()
    with runner.isolated_filesystem():
        Path("copy.txt").write_bytes(text.encode(encoding))
        assert runner.invoke(main, ["ingest", str(XUSHUI_2024), "--content", "utf8", "-q"]).exit_code == 0
        result = runner.invoke(main, ["ingest", "copy.txt", "--content", "other", "-q"])
        assert result.exit_code == 0, result.output
        utf8 = Path("utf8") / XUSHUI_SLUG / "2024"
        other = Path("other") / XUSHUI_SLUG / "2024"
        assert data_without_source(other) == data_without_source(utf8)
        assert (other / "source.txt").read_bytes() == text.encode(encoding)  # the original, byte for byte
        assert (other / "index.md").read_bytes() == (utf8 / "index.md").read_bytes()
