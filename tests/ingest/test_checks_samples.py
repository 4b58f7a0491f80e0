"""Checks on the three Hebei samples: the real discrepancies are found, balanced tables raise nothing.

Every expected figure below was read from the sample text (quoted in the comments).
"""

from __future__ import annotations

import time
from decimal import Decimal
from pathlib import Path

import pytest
from click.testing import CliRunner
from ingest_helpers import ALL_SAMPLES, HENGSHUI_SLUG, XINGTAI_SLUG, XUSHUI_SLUG

from budgetsite.cli import main
from budgetsite.content.ingest import ingest_sources
from budgetsite.content.tree import load_disclosure
from budgetsite.model import Check, Disclosure

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def tree(tmp_path_factory: pytest.TempPathFactory) -> Path:
    content = tmp_path_factory.mktemp("content")
    ingest_sources(ALL_SAMPLES, content_dir=content, quiet=True)
    return content


def load(tree: Path, slug: str, year: int) -> Disclosure:
    return load_disclosure(tree / slug / str(year))


def not_passing(disclosure: Disclosure) -> dict[str, Check]:
    return {c.id: c for c in disclosure.checks if c.status != "pass"}


def test_xushui_basic_expenditure_discrepancy_is_warn(tree: Path) -> None:
    # 001 一般公共预算财政拨款基本支出表, row 1: "合计 | 1023.35 | 971.52 | 51.84"; 971.52 + 51.84 = 1023.36.
    check = not_passing(load(tree, XUSHUI_SLUG, 2024))["basic-expenditure-sum:合计"]
    assert check.status == "warn"
    assert (check.actual, check.expected) == (Decimal("1023.35"), Decimal("1023.36"))
    assert "1023.35" in check.message and "971.52" in check.message and "51.84" in check.message


def test_xushui_has_only_rounding_warnings(tree: Path) -> None:
    issues = not_passing(load(tree, XUSHUI_SLUG, 2024))
    assert {c.status for c in issues.values()} == {"warn"}
    # 部门预算支出总表 "206 | 科学技术支出 | 864.57 | 716.92 | 147.66": 716.92 + 147.66 = 864.58.
    assert issues["row-sum:expenditure-summary:206"].expected == Decimal("864.58")
    # The 12 项目绩效目标表 预算数 (4.63 + 3.00 + 2.00 + 5.20 + 11.00 + 32.82 + 100.00 + 1.90 + 41.70 + 137.28
    # + 300.00 + 10.46 = 649.99) against 项目支出 "650.00" in the 合计 row of 部门预算支出总表.
    projects = issues["projects-vs-project-expenditure"]
    assert (projects.actual, projects.expected) == (Decimal("649.99"), Decimal("650.00"))


def test_xushui_balanced_tables_pass(tree: Path) -> None:
    checks = {c.id: c for c in load(tree, XUSHUI_SLUG, 2024).checks}
    # "收入总计 | 1673.35 | 支出总计 | 1673.35"
    assert checks["balance:income-expenditure-summary"].status == "pass"
    # 三公: "“三公”经费小计 7.35" = 二、公务用车购置及运维费 7.29 + 三、公务接待费 0.06
    assert checks["three-public-sum"].status == "pass"
    # 正文 "2024年预算收入1673.35万元" and "“三公”经费预算安排7.35万元" agree with the tables.
    assert checks["narrative:预算收入"].status == "pass"
    assert checks["narrative:三公经费"].status == "pass"


def test_xingtai_is_fully_balanced(tree: Path) -> None:
    disclosure = load(tree, XINGTAI_SLUG, 2023)
    # Its one finding is a typo of the text, not of a figure: "提高资金使用效益的意见意见；" (预算绩效信息).
    assert {i: c.status for i, c in not_passing(disclosure).items()} == {"text-repeated-word:6.24": "warn"}
    checks = {c.id: c for c in disclosure.checks}
    # 财政拨款收支总表 "33 年初财政拨款结转和结余 72.39" then "34 一、一般公共预算拨款 72.39" (its breakdown),
    # "37 收入总计 1336.23 支出总计 1336.23": 1263.84 + 72.39 = 1336.23 without counting 72.39 twice.
    assert checks["side-sum:fiscal-appropriation-summary"].status == "pass"
    assert checks["balance:fiscal-appropriation-summary"].status == "pass"
    # 正文 "包括人员经费911.22万元和日常公用经费112.12万元" = 基本支出表 "合计 1023.34 911.22 112.12"
    assert checks["narrative:人员经费"].status == "pass"
    assert checks["narrative:公用经费"].status == "pass"


def test_hengshui_real_procurement_discrepancies_fail(tree: Path) -> None:
    issues = not_passing(load(tree, HENGSHUI_SLUG, 2020))
    # 000 政府采购预算表 page 2: "| 办公楼租赁费 | 60.00 | 其他租赁服务 | C0499 | 套 | 1.00 | 60.00 | 60.00 | | | | |"
    # — 合计 60.00 with no 一般公共预算拨款 figure, so "衡水市工业和信息 化局小计 | … | 610.00 | 610.00" has only
    # 550.00 under 一般公共预算拨款. And the text says "我局安排政府采购预算2226.49万元" while the table's
    # "合 计" is 628.54. All three are real inconsistencies of the document, nothing else fails.
    # The one warning is real too: "…较上年持平，无增减变化，（其中：公务用车购置费0万元，…" never closes its "（".
    assert set(issues) == {
        "row-sum:procurement:办公楼租赁费",
        "subtotal-sum:procurement:衡水市工业和信息化局小计:general_public",
        "narrative:政府采购预算",
        "text-brackets:5.3",
    }
    assert issues.pop("text-brackets:5.3").status == "warn"
    assert all(c.status == "fail" for c in issues.values())
    assert issues["subtotal-sum:procurement:衡水市工业和信息化局小计:general_public"].expected == Decimal(
        "550.00"
    )
    assert issues["narrative:政府采购预算"].actual == Decimal("2226.49")


def test_check_command_on_shipped_content_reports_the_warn() -> None:
    result = CliRunner().invoke(main, ["check", "--content", str(REPO / "content")])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    at = lines.index("  WARN basic-expenditure-sum:合计")
    assert "1023.35" in lines[at + 1] and "971.52 + " in lines[at + 1] and "1023.36" in lines[at + 1]
    summary = next(x for x in lines if x.startswith("保定市徐水区工业和信息化局 2024"))
    assert summary.endswith("0 fail")


def test_shipped_content_is_current(tree: Path) -> None:
    # content/ is generated by `budgetsite ingest tests/fixtures/samples/*.txt --content content`;
    # re-run that command when ingest changes on purpose, then read the diff.
    for slug, year in ((HENGSHUI_SLUG, 2020), (XUSHUI_SLUG, 2024), (XINGTAI_SLUG, 2023)):
        fresh = (tree / slug / str(year) / "data.json").read_bytes()
        shipped = (REPO / "content" / slug / str(year) / "data.json").read_bytes()
        assert shipped == fresh, f"content/{slug}/{year} is stale: re-run the ingest command above"


def test_ingesting_three_samples_takes_under_three_seconds(tmp_path: Path) -> None:
    best = min(_timed_ingest(tmp_path / f"run{n}") for n in range(2))
    assert best < 3.0, f"ingest of the three samples took {best:.2f} s"


def _timed_ingest(content: Path) -> float:
    start = time.perf_counter()
    ingest_sources(ALL_SAMPLES, content_dir=content, quiet=True)
    return time.perf_counter() - start


def test_hengshui_narrative_adds_up_without_standard_tables(tree: Path) -> None:
    # 000 has no standard tables; its text is checked against itself:
    # "2020年部门支出预算为6467.35万元，其中基本支出1707.62万元，包括人员经费1549.70万元和日常公用经费157.92万元；
    # 项目支出4759.73万元" and "“三公”经费预算安排10.45万元 … 因公出国（境）费0万元 … 公务用车购置及运维费7.50万元
    # … 公务接待费2.95万元".
    checks = {c.id: c for c in load(tree, HENGSHUI_SLUG, 2020).checks}
    for name in ("预算收入", "支出预算", "基本支出", "三公经费", "公务用车购置及运维费"):
        assert checks[f"narrative-sum:{name}"].status == "pass", name
    assert checks["narrative-sum:三公经费"].expected == Decimal("10.45")
