"""Re-ingest never deletes a user's files (issue 13 §4): budgetsite replaces or drops only the files it
wrote itself (data.json's generated_files, with hashes); what --force overwrites is named in its output.
"""

from __future__ import annotations

import json
from pathlib import Path

import simplejson
from click.testing import CliRunner
from ingest_helpers import XUSHUI_2024, XUSHUI_SLUG

from budgetsite.cli import main

FOLDER = Path("content") / XUSHUI_SLUG / "2024"


def ingest(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, ["ingest", *args])
    assert "Traceback" not in result.output
    return result.exit_code, result.output


def add_user_files() -> dict[str, bytes]:
    """A person's additions to the department-year folder, by relative name."""
    files = {
        "NOTES.md": "核对记录".encode(),
        "img/chart.png": b"\x89PNG\r\n\x1a\n fake",
        "tables/my-analysis.csv": "\ufeff科目,差额\r\n201,0.01\r\n".encode(),
        "source-7.txt": "我自己的摘录".encode(),
    }
    for name, data in files.items():
        (FOLDER / name).parent.mkdir(parents=True, exist_ok=True)
        (FOLDER / name).write_bytes(data)
    return files


def assert_kept(files: dict[str, bytes]) -> None:
    for name, data in files.items():
        assert (FOLDER / name).read_bytes() == data, name


def test_generated_files_are_recorded_with_hashes() -> None:
    with CliRunner().isolated_filesystem():
        assert ingest(str(XUSHUI_2024), "-q")[0] == 0
        data = json.loads((FOLDER / "data.json").read_text(encoding="utf-8"))
        written = data["generated_files"]
        on_disk = sorted(p.relative_to(FOLDER).as_posix() for p in FOLDER.rglob("*") if p.is_file())
        assert sorted(written) == [name for name in on_disk if name != "data.json"]
        import hashlib

        for name, digest in written.items():
            assert hashlib.sha256((FOLDER / name).read_bytes()).hexdigest() == digest


def test_user_files_survive_the_updated_path_after_an_upgrade() -> None:
    with CliRunner().isolated_filesystem():
        assert ingest(str(XUSHUI_2024), "-q")[0] == 0
        # A tree from before generated_files existed: the next ingest rewrites data.json ("updated").
        data_path = FOLDER / "data.json"
        data = simplejson.loads(data_path.read_text(encoding="utf-8"), use_decimal=True)  # digits as printed
        del data["generated_files"]
        text = simplejson.dumps(data, use_decimal=True, ensure_ascii=False, indent=1)
        data_path.write_text(text + "\n", encoding="utf-8")
        files = add_user_files()
        code, output = ingest(str(XUSHUI_2024))
        assert code == 0, output
        assert "(updated)" in output
        assert_kept(files)  # tables/my-analysis.csv was deleted here before


def test_user_files_named_like_sources_do_not_break_reingest() -> None:
    with CliRunner().isolated_filesystem():
        assert ingest(str(XUSHUI_2024), "-q")[0] == 0
        files = add_user_files()
        code, output = ingest(str(XUSHUI_2024))
        assert code == 0, output  # "already ingested from a different source" before: source-7.txt counted
        assert "(unchanged)" in output
        code, output = ingest(str(XUSHUI_2024), "--force")
        assert code == 0, output
        assert_kept(files)


def test_force_with_another_source_keeps_user_files_and_names_what_it_replaced() -> None:
    with CliRunner().isolated_filesystem():
        assert ingest(str(XUSHUI_2024), "-q")[0] == 0
        files = add_user_files()
        other = Path("other.txt")
        other.write_text(XUSHUI_2024.read_text(encoding="utf-8") + "\n附注。\n", encoding="utf-8")
        code, output = ingest(str(other), "--force")
        assert code == 0, output
        assert "(replaced)" in output and "replaced source.txt" in output
        assert_kept(files)
        assert (FOLDER / "source.txt").read_bytes() == other.read_bytes()


def test_force_after_unreadable_data_json_keeps_user_files() -> None:
    with CliRunner().isolated_filesystem():
        assert ingest(str(XUSHUI_2024), "-q")[0] == 0
        files = add_user_files()
        (FOLDER / "data.json").write_text("{broken", encoding="utf-8")
        code, output = ingest(str(XUSHUI_2024))
        assert code == 1 and "has no readable data.json — move it away, or use --force" in output
        code, output = ingest(str(XUSHUI_2024), "--force")
        assert code == 0, output
        assert_kept(files)  # NOTES.md, img/ … were all deleted here before
        summary = next(line for line in output.splitlines() if "(replaced)" in line)
        assert "replaced data.json, index.md, source.txt, tables/" in summary


def test_force_over_a_hand_edited_index_md_replaces_it_and_says_so() -> None:
    with CliRunner().isolated_filesystem():
        assert ingest(str(XUSHUI_2024), "-q")[0] == 0
        index = FOLDER / "index.md"
        generated = index.read_text(encoding="utf-8")
        index.write_text(generated + "\n手工补充的段落。\n", encoding="utf-8")
        code, output = ingest(str(XUSHUI_2024))
        assert code == 0 and "(unchanged)" in output  # without --force the edit stays
        assert "手工补充的段落" in index.read_text(encoding="utf-8")
        code, output = ingest(str(XUSHUI_2024), "--force")
        assert code == 0, output
        assert "(updated)" in output and "replaced index.md (edited by hand)" in output  # "unchanged" before
        assert index.read_text(encoding="utf-8") == generated
