"""The real published PDFs of other provinces (tests/fixtures/real/, see /work/shared/disclosures/real/README.md).

Each ingests through the CLI with the right department, year and kind; its summary table (收支总表 or
收入支出决算总表) is found with the printed total exact; at least three further standard tables are found
and their totals pass the checks. Figures below are quoted from the documents.
"""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

import pytest
from click.testing import CliRunner
from ingest_helpers import FIXTURES

from budgetsite.cli import main
from budgetsite.recognize.catalog import TABLE_TITLES

REAL = FIXTURES / "real"
JS_2017 = REAL / "01_JS_renda_bangongting_2017_budget.pdf"
JS_2019_NARRATIVE = REAL / "03a_JS_shengwei_bangongting_2019_budget_narrative.pdf"
JS_2019_TABLES = REAL / "03b_JS_shengwei_bangongting_2019_budget_tables.pdf"
SH_2026 = REAL / "06a_SH_putuo_sifaju_2026_dept_budget.pdf"
SH_2024_FINAL = REAL / "11_SH_putuo_caizhengju_2024_dept_final.pdf"

SUMMARY_IDS = ("income-expenditure-summary", "income-expenditure-final")


def ingest(sources: list[Path], content: Path) -> dict:
    """Ingest with the real CLI; the one department-year's data.json."""
    result = CliRunner().invoke(main, ["ingest", *map(str, sources), "--content", str(content), "-q"])
    assert result.exit_code == 0, result.output
    (data_file,) = content.glob("*/*/data.json")
    return json.loads(data_file.read_text(encoding="utf-8"), parse_float=Decimal)


def income_total(data: dict, label: str) -> tuple[Decimal, str | None]:
    """The amount printed beside `label` on the income side of the summary table, and the table's unit."""
    table = next(t for t in data["tables"] if t["id"] in SUMMARY_IDS)
    keys = [c["key"] for c in table["columns"]]
    item, amount = keys.index("income_item"), keys.index("income_amount")
    (row,) = [r for r in table["rows"] if r[item] == label]
    return row[amount], table["unit"]


def assert_standard_tables_pass(data: dict, minimum: int = 3) -> list[str]:
    """At least `minimum` standard tables besides the summary whose total checks ran and none failed."""
    checks = data["checks"]
    passing = []
    for table in data["tables"]:
        if table["id"] not in TABLE_TITLES or table["id"] in SUMMARY_IDS:
            continue
        mine = [c for c in checks if c["id"].split(":")[1:2] == [table["id"]]]
        if mine and all(c["status"] != "fail" for c in mine):
            passing.append(table["id"])
    assert len(passing) >= minimum, (passing, [c for c in checks if c["status"] == "fail"])
    return passing


@pytest.fixture(scope="module")
def ingested(tmp_path_factory: pytest.TempPathFactory) -> dict[Path, dict]:
    """Each single-file disclosure ingested once for the whole module."""
    root = tmp_path_factory.mktemp("real")
    return {pdf: ingest([pdf], root / pdf.stem) for pdf in (JS_2017, SH_2026, SH_2024_FINAL)}


def test_jiangsu_2017_budget_booklet(ingested: dict[Path, dict]) -> None:
    data = ingested[JS_2017]
    assert (data["department"], data["year"], data["kind"]) == ("江苏省人大常委会办公厅", 2017, "budget")
    # p9: "收入合计 13,649.07 支出合计 13,649.07" (the table runs over pp. 7–9)
    assert income_total(data, "收入合计") == (Decimal("13649.07"), "万元")
    passing = assert_standard_tables_pass(data)
    assert "general-public-budget-basic-expenditure" in passing


def test_jiangsu_2019_narrative_and_tables_merge_into_one(tmp_path: Path) -> None:
    content = tmp_path / "content"
    data = ingest([JS_2019_NARRATIVE, JS_2019_TABLES], content)
    assert "江苏省委办公厅" in data["department"]
    assert (data["year"], data["kind"]) == (2019, "budget")
    # 03b p1: "收入合计 27,664.22 支出合计 27,664.22"
    assert income_total(data, "收入合计") == (Decimal("27664.22"), "万元")
    assert_standard_tables_pass(data)
    # Both originals are kept in the one department-year folder.
    (folder,) = {p.parent for p in content.glob("*/*/data.json")}
    originals = sorted(p.name for p in folder.iterdir() if p.name.startswith("source"))
    assert len(originals) == 2, originals
    assert len(data["source"]["extra_files"]) == 1


def test_shanghai_2026_budget_in_yuan(ingested: dict[Path, dict]) -> None:
    data = ingested[SH_2026]
    assert (data["department"], data["year"], data["kind"]) == ("上海市普陀区司法局", 2026, "budget")
    # p10 部门财务收支预算总表 (单位：元): "收入总计 96,282,213.44 支出总计 96,282,213.44"
    assert income_total(data, "收入总计") == (Decimal("96282213.44"), "元")
    passing = assert_standard_tables_pass(data)
    # p12 支出预算总表 prints codes over 类 | 款 | 项 columns ("204 | 06 | 01 | 行政运行"): joined into one code.
    expenditure = next(t for t in data["tables"] if t["id"] == "expenditure-summary")
    keys = [c["key"] for c in expenditure["columns"]]
    codes = [row[keys.index("function_code")] for row in expenditure["rows"]]
    assert "2040601" in codes and "20406" in codes and "204" in codes
    assert "expenditure-summary" in passing
    # p17 政府性基金预算支出功能分类预算表 is empty ("无"; 注:本部门2026年无政府性基金预算财政拨款安排的预算…) and still
    # gets its three header rows (项目 / 功能分类科目编码 / 类 款 项) as columns.
    fund = next(t for t in data["tables"] if t["id"] == "government-fund-expenditure")
    assert [c["key"] for c in fund["columns"]] == ["function_code", "name", "total", "basic", "project"]
    assert fund["note"].startswith("注:本部门2026年无政府性基金预算")


def test_shanghai_2024_final_accounts(ingested: dict[Path, dict]) -> None:
    data = ingested[SH_2024_FINAL]
    assert (data["department"], data["year"], data["kind"]) == ("上海市普陀区财政局", 2024, "final-accounts")
    # p6 收入支出决算总表 (单位：万元): "本年收入合计 2,946.25 本年支出合计 2,940.05";
    # p7: "年初结转和结余 49.14 … 总计 2,995.39 总计 2,995.39"
    assert income_total(data, "本年收入合计") == (Decimal("2946.25"), "万元")
    assert income_total(data, "总计") == (Decimal("2995.39"), "万元")
    ids = {t["id"] for t in data["tables"]}
    assert {"income-final", "expenditure-final", "fiscal-appropriation-final"} <= ids
    passing = assert_standard_tables_pass(data)
    assert {"income-final", "general-public-budget-expenditure-final"} <= set(passing)
    # p8 收入决算表: four header rows ending "类 | 款 | 项", which share a row with "合计 2,946.25 2,940.05 … 6.20";
    # "201 | 06 | 01 | 行政运行 | 1,511.90 | 1,511.89 | … | 0.01" — the code parts joined into 2010601.
    income = next(t for t in data["tables"] if t["id"] == "income-final")
    keys = [c["key"] for c in income["columns"]]
    assert keys[:4] == ["function_code", "name", "total", "fiscal_appropriation"]
    rows = {row[1]: row for row in income["rows"]}
    assert rows["合计"][0] is None and rows["合计"][2:4] == [Decimal("2946.25"), Decimal("2940.05")]
    assert rows["行政运行"][:4] == ["2010601", "行政运行", Decimal("1511.90"), Decimal("1511.89")]
    assert rows["行政运行"][-1] == Decimal("0.01")


@pytest.mark.parametrize("pdf", [JS_2017, SH_2026, SH_2024_FINAL], ids=lambda p: p.name[:3])
def test_summary_table_balances(pdf: Path, ingested: dict[Path, dict]) -> None:
    data = ingested[pdf]
    summary = [c for c in data["checks"] if c["id"].split(":")[1:2] and c["id"].split(":")[1] in SUMMARY_IDS]
    assert summary and all(c["status"] != "fail" for c in summary), summary


def test_a_whole_folder_of_several_departments_ingests(tmp_path: Path) -> None:
    """A province folder: 03b (tables only, no year printed; "部门：中共江苏省委办公厅") finds its year among
    several department-years by its own department, spelled with the leading 中共 that 03a leaves out."""
    content = tmp_path / "content"
    result = CliRunner().invoke(main, ["ingest", str(REAL), "--content", str(content), "-q"])
    assert result.exit_code == 0, result.output
    found = {
        (d["department"], d["year"])
        for d in (json.loads(p.read_text(encoding="utf-8")) for p in content.glob("*/*/data.json"))
    }
    assert found == {
        ("江苏省人大常委会办公厅", 2017),
        ("江苏省委办公厅", 2019),
        ("上海市普陀区司法局", 2026),
        ("上海市普陀区财政局", 2024),
    }
    (folder,) = content.glob("*/2019")
    assert sorted(p.name for p in folder.glob("source*")) == ["source-2.pdf", "source.pdf"]
