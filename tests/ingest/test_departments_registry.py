"""departments.toml: spellings of one department merge into one, counties resolve to city and province,
`check` reports unlisted departments, and a bad file is one clear line."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from budgetsite.content.divisions import complete_region
from budgetsite.content.registry import load_registry
from budgetsite.errors import ConfigError

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
REAL = FIXTURES / "real"
# Real 2019 pair of the 江苏省委办公厅: both print "江苏省委办公厅"; its 2017 documents print the long form
# "中共江苏省委办公厅" (../shared/disclosures/corpus/README.md).
JS_2019 = [
    REAL / "03a_JS_shengwei_bangongting_2019_budget_narrative.pdf",
    REAL / "03b_JS_shengwei_bangongting_2019_budget_tables.pdf",
]
# Prints "隆尧县科学技术和工业信息化局" and "2022 年度部门决算公开情况说明".
LONGYAO = FIXTURES / "variant_final_county_2022.txt"

JIANGSU_REGISTRY = """\
[[department]]
name = "中共江苏省委办公厅"
aliases = ["江苏省委办公厅"]
slug = "jiangsu-shengwei-bangongting"
region = "江苏省"
code = "101001"
kind = "党委"
order = 1
"""


def budgetsite(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "budgetsite", *args], cwd=cwd, capture_output=True, text=True, timeout=300
    )


def data_of(folder: Path) -> dict:
    return json.loads((folder / "data.json").read_text(encoding="utf-8"))


def test_aliases_merge_two_spellings_into_one_department(tmp_path: Path) -> None:
    (tmp_path / "departments.toml").write_text(JIANGSU_REGISTRY, encoding="utf-8")
    first = budgetsite("ingest", *map(str, JS_2019), cwd=tmp_path)
    assert first.returncode == 0, first.stderr
    # The long spelling, as the 2017 documents print it, given as --department for a 2018 file that
    # prints neither department nor year (--department/--year only fill in what a document leaves out).
    unnamed = tmp_path / "2018.txt"
    unnamed.write_text(
        "部门预算公开\n\n一、部门主要职责\n\n负责省委日常工作的协调和服务。\n\n二、部门预算单位构成\n\n"
        "本部门预算仅含本级。\n\n三、收支预算总体情况说明\n\n收入预算总计100.00万元。\n",
        encoding="utf-8",
    )
    second = budgetsite(
        "ingest", str(unnamed), "--department", "中共江苏省委办公厅", "--year", "2018", cwd=tmp_path
    )
    assert second.returncode == 0, second.stderr
    content = tmp_path / "content"
    assert sorted(p.relative_to(content).as_posix() for p in content.glob("*/*")) == [
        "jiangsu-shengwei-bangongting/2018",
        "jiangsu-shengwei-bangongting/2019",
    ]
    for year in ("2018", "2019"):
        data = data_of(content / "jiangsu-shengwei-bangongting" / year)
        assert data["department"] == "中共江苏省委办公厅" and data["slug"] == "jiangsu-shengwei-bangongting"
        assert data["region"] == ["江苏省"] and data["department_code"] == "101001"
    build = budgetsite("build", "-q", cwd=tmp_path)
    assert build.returncode == 0, build.stderr
    department_page = (
        tmp_path / "output" / "departments" / "jiangsu-shengwei-bangongting" / "index.html"
    ).read_text(encoding="utf-8")
    assert "/departments/jiangsu-shengwei-bangongting/2018/" in department_page
    assert "/departments/jiangsu-shengwei-bangongting/2019/" in department_page


def test_two_spellings_in_one_run_of_one_year_are_one_folder(tmp_path: Path) -> None:
    (tmp_path / "departments.toml").write_text(JIANGSU_REGISTRY, encoding="utf-8")
    result = budgetsite("ingest", *map(str, JS_2019), "--department", "江苏省委办公厅", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert [p.name for p in (tmp_path / "content").iterdir()] == ["jiangsu-shengwei-bangongting"]


def test_county_resolves_to_city_and_province(tmp_path: Path) -> None:
    # From the name the document prints, through the national division list (no registry needed).
    result = budgetsite("ingest", str(LONGYAO), cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    (folder,) = (tmp_path / "content").glob("*/2022-final-accounts")  # a 决算: beside the budget's folder
    assert data_of(folder)["region"] == ["河北省", "邢台市", "隆尧县"]


def test_county_region_of_the_registry_is_completed(tmp_path: Path) -> None:
    # A name without its place ("科学技术和工业信息化局"), placed by the registry's region "隆尧县"; the
    # document's own spelling is an alias (--department no longer overrides a printed name).
    (tmp_path / "departments.toml").write_text(
        '[[department]]\nname = "科学技术和工业信息化局"\naliases = ["隆尧县科学技术和工业信息化局"]\n'
        'slug = "longyao-kegongxinju"\nregion = "隆尧县"\n',
        encoding="utf-8",
    )
    result = budgetsite("ingest", str(LONGYAO), cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    data = data_of(tmp_path / "content" / "longyao-kegongxinju" / "2022-final-accounts")
    assert data["region"] == ["河北省", "邢台市", "隆尧县"]


def test_complete_region_uses_the_broader_parts_to_choose_among_same_names() -> None:
    assert complete_region(["隆尧县"]) == ["河北省", "邢台市", "隆尧县"]
    assert complete_region(["徐水区"]) == ["河北省", "保定市", "徐水区"]
    assert complete_region(["上海市", "普陀区"]) == ["上海市", "普陀区"]  # a district of a municipality
    assert complete_region(["舟山市", "普陀区"]) == ["浙江省", "舟山市", "普陀区"]
    assert complete_region(["普陀区"]) == ["普陀区"]  # two 普陀区: left as given, never guessed
    assert complete_region(["某某县"]) == ["某某县"]


def test_check_reports_a_department_the_registry_does_not_list(tmp_path: Path) -> None:
    result = budgetsite("ingest", str(LONGYAO), cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    (tmp_path / "departments.toml").write_text(JIANGSU_REGISTRY, encoding="utf-8")
    report = budgetsite("check", cwd=tmp_path)
    assert report.returncode == 0, report.stderr
    assert "WARN department-listed" in report.stdout
    assert "隆尧县科学技术和工业信息化局 不在 departments.toml 中" in report.stdout
    (tmp_path / "departments.toml").write_text(
        '[[department]]\nname = "隆尧县科学技术和工业信息化局"\n', encoding="utf-8"
    )
    assert "department-listed" not in budgetsite("check", cwd=tmp_path).stdout


@pytest.mark.parametrize(
    "text, problem",
    [
        (
            '[[department]]\nname = "甲局"\naliases = ["乙局"]\n[[department]]\nname = "乙局"\n',
            "listed for both",
        ),
        ('[[department]]\nname = "甲局"\ncode = 101001\n', "code must be a string"),
        ('[[department]]\nname = "甲局"\nkind = "部门"\n', "kind '部门' is not one of"),
        ('[[department]]\nname = "甲局"\nslug = "甲"\n', "is not lower-case ASCII"),
        ('[[department]]\nnmae = "甲局"\n', "unknown key 'nmae'"),
    ],
)
def test_bad_registry_is_one_line_and_ingest_writes_nothing(tmp_path: Path, text: str, problem: str) -> None:
    (tmp_path / "departments.toml").write_text(text, encoding="utf-8")
    with pytest.raises(ConfigError) as error:
        load_registry(tmp_path)
    assert problem in error.value.line() and "departments.toml" in error.value.line()
    result = budgetsite("ingest", str(LONGYAO), cwd=tmp_path)
    assert result.returncode != 0 and "Traceback" not in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1 and problem in result.stderr
    assert not (tmp_path / "content").exists()


def test_init_example_is_valid_and_lists_no_department(tmp_path: Path) -> None:
    assert budgetsite("init", "site", cwd=tmp_path).returncode == 0
    registry = load_registry(tmp_path / "site")
    assert registry is not None and registry.entries == ()
    text = (tmp_path / "site" / "departments.toml").read_text(encoding="utf-8")
    for key in ("name", "aliases", "slug", "region", "code", "kind", "order"):
        assert f"# {key} = " in text
    shutil.rmtree(tmp_path / "site")


def test_registry_order_sets_the_display_order_of_departments(tmp_path: Path) -> None:
    # Two real departments of one region (上海市/普陀区): by slug 财政局 (caizhengju) would come first.
    putuo = [
        REAL / "06a_SH_putuo_sifaju_2026_dept_budget.pdf",
        REAL / "11_SH_putuo_caizhengju_2024_dept_final.pdf",
    ]
    assert budgetsite("ingest", *map(str, putuo), cwd=tmp_path).returncode == 0
    (tmp_path / "departments.toml").write_text(
        '[[department]]\nname = "上海市普陀区司法局"\norder = 1\n'
        '[[department]]\nname = "上海市普陀区财政局"\norder = 2\n',
        encoding="utf-8",
    )
    assert budgetsite("build", "-q", cwd=tmp_path).returncode == 0
    page = (tmp_path / "output" / "departments" / "index.html").read_text(encoding="utf-8")
    assert page.index(">上海市普陀区司法局<") < page.index(">上海市普陀区财政局<")
