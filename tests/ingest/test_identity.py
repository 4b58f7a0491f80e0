"""Every disclosure of a department keeps its own folder: 预算 beside 决算, 部门 beside 单位 (issue 11).

The pairs are real files: tests/fixtures/real/11 (普陀区财政局 2024 决算) with ../shared/disclosures/corpus/
sh-putuo-caizhengju-2025-dept-budget, and the corpus' sh-putuo-zhengfu-bangongshi-2025 部门 and 单位
budgets. Each pair is ingested in one run and in two runs in both orders; nothing is replaced without
--force, and a disclosure never replaces ANOTHER one, even with --force.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner
from ingest_helpers import FIXTURES

from budgetsite.cli import main
from budgetsite.content.tree import DATA_HASH_FIELD, data_fingerprint
from samples import CORPUS

FINAL_2024 = FIXTURES / "real" / "11_SH_putuo_caizhengju_2024_dept_final.pdf"
BUDGET_2025 = CORPUS / "sh-putuo-caizhengju-2025-dept-budget.pdf"
DEPT_BUDGET = CORPUS / "sh-putuo-zhengfu-bangongshi-2025-dept-budget.pdf"
UNIT_BUDGET = CORPUS / "sh-putuo-zhengfu-bangongshi-2025-unit-budget.pdf"

CAIZHENGJU = "shanghaishi-putuoqu-caizhengju"
BANGONGSHI = "shanghaishi-putuoqu-renminzhengfubangongshi"
# (file, folder below content/, kind, level) — the covers read "上海市普陀区2025年区级部门预算 / 预算主管部门：
# 上海市普陀区人民政府办公室" and "上海市普陀区2025年区级单位预算 / 预算单位：上海市普陀区人民政府办公室".
PAIRS = {
    "budget-and-final": [
        (FINAL_2024, f"{CAIZHENGJU}/2024-final-accounts", "final-accounts", {"kind": "department"}),
        (BUDGET_2025, f"{CAIZHENGJU}/2025", "budget", {"kind": "department"}),
    ],
    "department-and-unit": [
        (DEPT_BUDGET, f"{BANGONGSHI}/2025", "budget", {"kind": "department"}),
        (
            UNIT_BUDGET,
            f"{BANGONGSHI}/2025-unit-renminzhengfubangongshi",
            "budget",
            {"kind": "unit", "unit": "上海市普陀区人民政府办公室", "slug": "renminzhengfubangongshi"},
        ),
    ],
}


def ingest(content: Path, *args: str | Path) -> tuple[int, str]:
    result = CliRunner().invoke(main, ["ingest", *map(str, args), "--content", str(content)])
    return result.exit_code, result.output


def snapshot(folder: Path) -> dict[str, bytes]:
    """Every file of a folder, by relative path, to prove a later run left it alone."""
    return {
        p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()
    }


def assert_pair_in_tree(content: Path, pair: str) -> None:
    """Each disclosure of the pair in its own folder with its own kind, level and original."""
    folders = sorted(p.parent.relative_to(content).as_posix() for p in content.glob("*/*/data.json"))
    assert folders == sorted(folder for _, folder, _, _ in PAIRS[pair])
    for source, folder, kind, level in PAIRS[pair]:
        data = json.loads((content / folder / "data.json").read_text(encoding="utf-8"))
        assert (data["schema_version"], data["kind"], data["level"]) == (2, kind, level)
        assert (content / folder / "source.pdf").read_bytes() == source.read_bytes()


@pytest.mark.parametrize("order", ["as-listed", "reversed"])
@pytest.mark.parametrize("pair", PAIRS)
def test_pair_in_one_run_gets_two_folders(tmp_path: Path, pair: str, order: str) -> None:
    sources = [source for source, *_ in PAIRS[pair]]
    code, output = ingest(tmp_path, *(sources if order == "as-listed" else sources[::-1]))
    assert code == 0, output
    assert_pair_in_tree(tmp_path, pair)


@pytest.mark.parametrize("order", ["as-listed", "reversed"])
@pytest.mark.parametrize("pair", PAIRS)
def test_pair_in_two_runs_either_order_replaces_nothing(tmp_path: Path, pair: str, order: str) -> None:
    (first, first_folder, *_), (second, second_folder, *_) = (
        PAIRS[pair] if order == "as-listed" else PAIRS[pair][::-1]
    )
    code, output = ingest(tmp_path, first)
    assert code == 0, output
    before = snapshot(tmp_path / first_folder)
    code, output = ingest(tmp_path, second)
    assert code == 0, output
    assert f"{second_folder} (new)" in output
    assert snapshot(tmp_path / first_folder) == before
    assert_pair_in_tree(tmp_path, pair)
    # Ingesting either again changes nothing; neither needs --force.
    code, output = ingest(tmp_path, first, second)
    assert code == 0, output
    assert output.count("(unchanged)") == 2, output


def test_other_source_for_the_same_disclosure_still_needs_force(tmp_path: Path) -> None:
    """A different file for the unit budget is refused without --force; the department budget stays."""
    ingest(tmp_path, DEPT_BUDGET, UNIT_BUDGET)
    department = snapshot(tmp_path / BANGONGSHI / "2025")
    unit_folder = tmp_path / BANGONGSHI / "2025-unit-renminzhengfubangongshi"
    unit = snapshot(unit_folder)
    edited = tmp_path / "other" / UNIT_BUDGET.name
    edited.parent.mkdir()
    edited.write_bytes(UNIT_BUDGET.read_bytes() + b"\n%another version\n")
    code, output = ingest(tmp_path, edited)
    assert code == 1 and "already ingested from a different source" in output and "--force" in output
    assert snapshot(unit_folder) == unit
    code, output = ingest(tmp_path, edited, "--force")
    assert code == 0 and "(replaced)" in output, output
    assert snapshot(tmp_path / BANGONGSHI / "2025") == department


def old_tree_with_final_accounts_in_year_folder(content: Path, year: int = 2024) -> Path:
    """A tree as the previous release wrote it: the 2024 决算 in content/<slug>/2024/, no level.

    `year` relabels it (folder and data.json) so that a real budget of that year meets it: --year only fills
    in a year a document does not print, so the budget cannot be moved to 2024 instead."""
    code, output = ingest(content, FINAL_2024)
    assert code == 0, output
    new = content / CAIZHENGJU / "2024-final-accounts"
    old = content / CAIZHENGJU / str(year)
    shutil.move(new, old)
    data = json.loads((old / "data.json").read_text(encoding="utf-8"))
    data["schema_version"] = 1
    data["year"] = year
    del data["level"]
    data[DATA_HASH_FIELD] = data_fingerprint(data)  # as the old release wrote it: no hand edit
    (old / "data.json").write_text(json.dumps(data, ensure_ascii=False, indent=1), encoding="utf-8")
    return old


def test_budget_never_replaces_final_accounts_of_an_old_tree_even_forced(tmp_path: Path) -> None:
    relabelled = old_tree_with_final_accounts_in_year_folder(tmp_path / "relabelled", year=2025)
    before = snapshot(relabelled)
    for extra in ((), ("--force",)):
        code, output = ingest(tmp_path / "relabelled", BUDGET_2025, *extra)
        assert code == 1, output
        assert "budgetsite migrate" in output and "Traceback" not in output
        assert snapshot(relabelled) == before
    # Re-ingesting the 决算 itself would put a second copy beside the old folder: refused as well.
    old_tree_with_final_accounts_in_year_folder(tmp_path)
    code, output = ingest(tmp_path, FINAL_2024)
    assert code == 1 and "budgetsite migrate" in output, output
    assert not (tmp_path / CAIZHENGJU / "2024-final-accounts").exists()


def test_migrate_moves_old_folders_then_both_coexist(tmp_path: Path) -> None:
    old = old_tree_with_final_accounts_in_year_folder(tmp_path)
    before = snapshot(old)
    result = CliRunner().invoke(main, ["migrate", "--content", str(tmp_path)])
    assert result.exit_code == 0, result.output
    new = tmp_path / CAIZHENGJU / "2024-final-accounts"
    assert f"moved {old} → {new}" in result.output
    assert snapshot(new) == before and not old.exists()
    again = CliRunner().invoke(main, ["migrate", "--content", str(tmp_path)])
    assert again.exit_code == 0 and "nothing to move" in again.output
    code, output = ingest(tmp_path, FINAL_2024)
    assert code == 0 and f"{new} (updated)" in output, output  # schema 2 rewrites the migrated folder


@pytest.mark.parametrize(
    ("lines", "level"),
    [
        # sh-putuo-shangwuwei-2025-unit-budget.pdf, page 1
        (
            ["上海市普陀区2025年区级单位预算", "预算单位：上海市普陀区商务委员会"],
            ("unit", "上海市普陀区商务委员会"),
        ),
        # a unit budget that prints no 预算单位 line: the unit is the publisher named by the document
        (["2024年度单位预算公开"], ("unit", "上海市普陀区司法局")),
        # sh-putuo-caizhengju-2025-dept-budget.pdf, page 1 (its table of contents lists "预算单位…表" titles)
        (
            [
                "上海市普陀区2025年区级部门预算",
                "预算主管部门：上海市普陀区财政局",
                "1. 2025年预算单位收入预算总表",
            ],
            ("department", None),
        ),
        # a sentence about unit budgets is no title
        (["本部门预算包括本级单位预算和所属单位预算，共计2个单位。"], ("department", None)),
    ],
)
def test_level_read_from_the_cover(lines: list[str], level: tuple[str, str | None]) -> None:
    from budgetsite.blocks import Paragraph
    from budgetsite.recognize.level import recognize_level

    found = recognize_level([Paragraph(line) for line in lines], "上海市普陀区司法局")
    assert (found.kind, found.unit) == level
