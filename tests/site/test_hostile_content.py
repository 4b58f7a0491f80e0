"""Hostile content trees (issue 13 §1, §5): nothing is written outside output/ or the content tree, and a
broken or schema-invalid data.json / index.md is one line from both `check` and `build`, never a traceback.
"""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner

from budgetsite.cli import main
from budgetsite.content.slugs import inside
from budgetsite.errors import ContentError

REPO = Path(__file__).resolve().parents[2]
XINGTAI = REPO / "tests" / "fixtures" / "samples" / "002_ae784f8ae38a492c.txt"
XINGTAI_SLUG = "xingtaishi-gongyehexinxihuaju"
XINGTAI_LINE_2150502 = (
    101  # "5\t2150502\t一般行政管理事务\t182.00\t…" of 部门预算收入总表 (read in the sample)
)


@pytest.fixture(scope="module")
def ingested(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A content tree holding sample 002 (邢台市工业和信息化局 2023), ingested once for the module."""
    root = tmp_path_factory.mktemp("ingested")
    result = CliRunner().invoke(main, ["ingest", str(XINGTAI), "--content", str(root / "content"), "-q"])
    assert result.exit_code == 0, result.output
    return root / "content"


# Where a build writes: its output and its cache (site.incremental).
BUILD_WRITES = ("site/output/", "site/.budgetsite-cache/")


def files_under(root: Path) -> set[str]:
    return {p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_file()}


def run(args: list[str], cwd: Path) -> tuple[int, list[str]]:
    """`budgetsite ARGS` with `cwd` as the working folder; (exit code, output lines), never a traceback."""
    with pytest.MonkeyPatch.context() as patch:
        patch.chdir(cwd)
        result = CliRunner().invoke(main, args)
    assert "Traceback" not in result.output
    return result.exit_code, result.output.strip().splitlines()


def site_with(ingested: Path, tmp_path: Path, edit: Callable[[dict], None] | None = None) -> Path:
    """tmp_path/site/content: a copy of the ingested tree with edit(data.json) applied (a hand edit)."""
    content = tmp_path / "site" / "content"
    shutil.copytree(ingested, content)
    if edit is not None:
        data_path = content / XINGTAI_SLUG / "2023" / "data.json"
        data = json.loads(data_path.read_text(encoding="utf-8"))
        edit(data)
        data_path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return tmp_path / "site"


def assert_nothing_outside(site: Path, before: set[str]) -> None:
    """Every file under tmp is one that was there, or lies where a build writes (never ../escaped …)."""
    after = files_under(site.parent)
    assert {f for f in after - before if not f.startswith(BUILD_WRITES)} == set()


# --- §1 writes outside output/ ---------------------------------------------------------------------


def test_code_cell_with_dot_dot_from_a_source_document_stays_inside(tmp_path: Path) -> None:
    # The probe's case: a code cell "2150502/../../../escaped" in the source made build write
    # <tmp>/escaped/index.html (verified against main before the fix).
    lines = XINGTAI.read_text(encoding="utf-8").splitlines(keepends=True)
    assert lines[XINGTAI_LINE_2150502 - 1].startswith("5\t2150502\t一般行政管理事务")
    lines[XINGTAI_LINE_2150502 - 1] = lines[XINGTAI_LINE_2150502 - 1].replace(
        "2150502", "2150502/../../../escaped"
    )
    site = tmp_path / "site"
    site.mkdir()
    (site / "src.txt").write_text("".join(lines), encoding="utf-8")
    before = files_under(tmp_path)
    assert run(["ingest", "src.txt", "-q"], site)[0] == 0
    assert "2150502/../../../escaped" in (site / "content" / XINGTAI_SLUG / "2023" / "data.json").read_text(
        encoding="utf-8"
    )
    code, lines_out = run(["build", "-q"], site)
    assert code == 0, lines_out
    assert not (tmp_path / "escaped").exists()
    assert {
        f for f in files_under(tmp_path) - before if not f.startswith(("site/content/", *BUILD_WRITES))
    } == set()
    # The well-formed code keeps its page; the malformed one gets none.
    assert (site / "output" / "functions" / "2150502" / "index.html").is_file()
    assert not any(".." in p.as_posix() for p in (site / "output" / "functions").iterdir())


@pytest.mark.parametrize(
    ("edit", "expected"),
    [
        (lambda d: d["tables"][0].__setitem__("id", "../../x"), "table id '../../x' at $.tables[0].id"),
        (lambda d: d["tables"][0].__setitem__("id", "/tmp/x"), "table id '/tmp/x' at $.tables[0].id"),
        (lambda d: d.__setitem__("slug", "../../x"), "$.slug"),
    ],
    ids=["table-id-dotdot", "table-id-absolute", "slug"],
)
def test_hand_edited_names_that_would_escape_are_refused(
    ingested: Path, tmp_path: Path, edit: Callable[[dict], None], expected: str
) -> None:
    site = site_with(ingested, tmp_path, edit)
    before = files_under(tmp_path)
    for command in (["build", "-q"], ["check", "-q"]):
        code, lines = run(command, site)
        assert code == 1 and len(lines) == 1, lines
        assert expected in lines[0] and "data.json" in lines[0]
    assert files_under(tmp_path) == before
    assert not (site / "output").exists()


def test_hand_edited_code_and_source_file_stay_inside(ingested: Path, tmp_path: Path) -> None:
    def edit(data: dict) -> None:
        table = next(t for t in data["tables"] if any(c["key"] == "function_code" for c in t["columns"]))
        column = next(i for i, c in enumerate(table["columns"]) if c["key"] == "function_code")
        table["rows"][0][column] = "../../../escaped"
        data["source"]["file"] = "../../../escaped.txt"
        data["source"]["extra_files"] = ["../../../escaped-2.txt"]

    site = site_with(ingested, tmp_path, edit)
    (tmp_path / "escaped.txt").write_text("not to be copied", encoding="utf-8")
    before = files_under(tmp_path)
    code, lines = run(["build", "-q"], site)
    assert code == 0, lines
    assert_nothing_outside(site, before)
    assert not list((site / "output").rglob("escaped*"))


@pytest.mark.parametrize("relative", ["../x", "a/../../x", "/tmp/x", "a/../..", "."])
def test_inside_refuses_paths_that_leave_the_root(tmp_path: Path, relative: str) -> None:
    with pytest.raises(ContentError, match="would land outside"):
        inside(tmp_path, relative)


def test_inside_allows_plain_names(tmp_path: Path) -> None:
    assert (
        inside(tmp_path, "functions/2150502/index.html") == tmp_path / "functions" / "2150502" / "index.html"
    )


# --- §5 check and build: one line, the JSON path of the first schema error ----------------------------


def _set(path: list, value: object) -> Callable[[dict], None]:
    def edit(data: dict) -> None:
        target = data
        for key in path[:-1]:
            target = target[key]
        target[path[-1]] = value

    return edit


SCHEMA_CASES = [
    ("kind-foo", _set(["kind"], "foo"), "$.kind: 'foo' is not one of"),
    ("year-fraction", _set(["year"], 2023.5), "$.year: Decimal('2023.5') is not of type 'integer'"),
    ("rows-string", _set(["tables", 0, "rows"], "abc"), "$.tables[0].rows: 'abc' is not of type 'array'"),
    ("department-null", _set(["department"], None), "$.department: None is not of type 'string'"),
    ("department-number", _set(["department"], 123), "$.department: 123 is not of type 'string'"),
    ("region-numbers", _set(["region"], [1, 2]), "$.region[0]: 1 is not of type 'string'"),
    ("table-id-null", _set(["tables", 0, "id"], None), "$.tables[0].id: None is not of type 'string'"),
    (
        "section-title-number",
        _set(["sections", 0, "title"], 1),
        "$.sections[0].title: 1 is not of type 'string'",
    ),
    ("table-unit-number", _set(["tables", 0, "unit"], 10000), "$.tables[0].unit: 10000 is not of type"),
    (
        "project-budget-abc",
        _set(["projects", 0, "budget"], "abc"),
        "$.projects[0].budget: 'abc' is not of type",
    ),
]


@pytest.mark.parametrize(
    ("edit", "expected"), [c[1:] for c in SCHEMA_CASES], ids=[c[0] for c in SCHEMA_CASES]
)
def test_schema_invalid_data_json_is_one_line_with_its_json_path(
    ingested: Path, tmp_path: Path, edit: Callable[[dict], None], expected: str
) -> None:
    site = site_with(ingested, tmp_path, edit)
    for command in (["check"], ["build", "-q"]):
        code, lines = run(command, site)
        assert code == 1 and len(lines) == 1, lines
        assert lines[0].startswith("error: ") and f"content/{XINGTAI_SLUG}/2023/data.json: " in lines[0]
        assert "does not match the schema at" in lines[0] and expected in lines[0], lines[0]
    assert not (site / "output").exists()


@pytest.mark.parametrize(
    ("name", "data", "expected"),
    [
        ("data.json", b'{"department": "\xff\xfe"}', "data.json: not UTF-8 text (byte 16 is b'\\xff')"),
        ("index.md", b"---\ntitle: \xc3\x28\n---\n", "index.md: not UTF-8 text (byte 11 is b'\\xc3')"),
        (
            "data.json",
            b"[" * 100_000 + b"]" * 100_000,
            "data.json: not a valid data.json (nested too deeply)",
        ),
    ],
    ids=["data-json-latin", "index-md-bad-utf8", "deeply-nested"],
)
def test_unreadable_tree_files_are_one_line(
    ingested: Path, tmp_path: Path, name: str, data: bytes, expected: str
) -> None:
    site = site_with(ingested, tmp_path)
    (site / "content" / XINGTAI_SLUG / "2023" / name).write_bytes(data)
    for command in (["check"], ["build", "-q"]):
        code, lines = run(command, site)
        assert code == 1 and len(lines) == 1, lines
        assert expected in lines[0], lines[0]


def test_department_name_with_dot_dot_becomes_a_plain_slug(tmp_path: Path) -> None:
    # The slug (folder and URL) is made from the department name the document prints (or --department
    # gives when it prints none): here the document itself names "../../../escaped/工业和信息化局".
    site = tmp_path / "site"
    site.mkdir()
    text = XINGTAI.read_text(encoding="utf-8").replace(
        "邢台市工业和信息化局", "../../../escaped/工业和信息化局"
    )
    (site / "src.txt").write_text(text, encoding="utf-8")
    before = files_under(tmp_path)
    code, lines = run(["ingest", "src.txt", "-q"], site)
    assert code == 0, lines
    slugs = [p.parent.parent.name for p in (site / "content").glob("*/*/data.json")]
    assert slugs == ["escaped-gongyehexinxihuaju"], slugs
    assert run(["build", "-q"], site)[0] == 0
    assert {
        f for f in files_under(tmp_path) - before if not f.startswith(("site/content/", *BUILD_WRITES))
    } == set()
