"""The review-grade checks on the two real Putuo disclosures, read as a reviewer reads them.

Every `fail` below is a real error of the published document, checked by reading the PDF
(`pdftotext -layout -f N -l N FILE -`); the page and the printed text are quoted with each. The warnings
are listed too, with what makes each one a real flaw (a rounding difference is a warn by design).
"""

from __future__ import annotations

import copy
from decimal import Decimal

import pytest
from ingest_helpers import FIXTURES

from budgetsite.check import run_checks
from budgetsite.content.ingest import ingest_sources, read_blocks, recognize_file
from budgetsite.content.tree import iter_disclosure_folders, load_disclosure
from budgetsite.model import Check, Disclosure

REAL = FIXTURES / "real"


def checks_of(name: str) -> dict[str, Check]:
    read = read_blocks(REAL / name)
    disclosure = recognize_file(read, department=None, year=None, region=None).disclosure
    return {c.id: c for c in run_checks(disclosure) if c.status != "pass"}


@pytest.fixture(scope="module")
def sifaju_2026() -> dict[str, Check]:
    return checks_of("06a_SH_putuo_sifaju_2026_dept_budget.pdf")


@pytest.fixture(scope="module")
def caizhengju_2024() -> dict[str, Check]:
    return checks_of("11_SH_putuo_caizhengju_2024_dept_final.pdf")


def statuses(found: dict[str, Check], status: str) -> set[str]:
    return {check_id for check_id, check in found.items() if check.status == status}


# 06a 上海市普陀区司法局 2026年部门预算 (page numbers of the PDF):
SIFAJU_FAILS = {
    # p.6 "比2026年预算增加793.14万元" (three times) and "与2026年预算持平" (twice): a 2026 budget compared
    # with 2026 instead of 2025.
    "year-comparison:4.1",
    "year-comparison:4.2",
    "year-comparison:4.2#2",
    "year-comparison:4.2#3",
    "year-comparison:4.2#4",
    # p.7 "2025年当年预算执行数为43269.3万元，2026年预算安排3845.49万元，比2025年预算执行数增加17.62%"
    # — 3845.49 / 3269.3 = +17.62%: the 执行数 lost a digit's worth (43269.3).
    "narrative-change:4.10",
    # p.7 "执行数为77.99万元，…安排91.97万元，比2025年预算执行数增加17.66%" — 91.97 / 77.99 = +17.93%.
    "narrative-change:4.13",
    # p.8 "住房公积金（01项）208.8万元 … 2026年预算安排201.50万元，比2025年预算执行数增加5.27%" — the table
    # prints 2,087,959.00 元 (208.80万元) and 198.34 → 208.8 is +5.27%: 201.50 is the wrong figure.
    "narrative-change:4.16",
    "narrative-item-twice:2210201",
    # p.8 "11、医疗卫生与计划生育支出（210类）" — the tables name 210 "卫生健康支出".
    "name-class:4.15:210",
}
SIFAJU_WARNS = {
    # p.4 duties (七)–(十) printed twice.
    "text-repeated:1.12",
    "text-repeated:1.13",
    "text-repeated:1.14",
    # p.5 "本部门中，行政单位1家，参公单位1家，" ends on a comma; p.6 "财政拨款收入支出增加的主要原因是工作量增加"
    # has no final stop.
    "text-final-stop:2.1",
    "text-final-stop:4.3",
    # p.7 "…运行维护等方面的支出。。2025年…"
    "text-punctuation:4.9",
    # p.22 "开展“人民调解协议书检查”、优秀调解案例”活动。" — one “ for two ”.
    "text-brackets:9.13",
    # p.22 a 2026 project whose "实施周期 2025年1月1日-2025年12月31日" ended before the budget year.
    "year-period:国有资产占有使用情况",
    # p.21 "2026年“三公”经费预算数为10.81万元，比2025年预算持平" — 与…持平.
    "text-wording:5.1",
}


def test_sifaju_2026_fails_are_the_documents_errors(sifaju_2026: dict[str, Check]) -> None:
    assert statuses(sifaju_2026, "fail") == SIFAJU_FAILS


def test_sifaju_2026_warnings(sifaju_2026: dict[str, Check]) -> None:
    assert statuses(sifaju_2026, "warn") == SIFAJU_WARNS
    assert "43269.3" in sifaju_2026["narrative-change:4.10"].message


# 11 上海市普陀区财政局 2024年度部门决算:
CAIZHENGJU_FAILS = {
    # p.21 "财政拨款收入支出总计0.3万元" — 财政拨款收入支出决算总表 (p.12) 总计 2,961.68.
    "narrative-total:财政拨款收入支出总计",
    # p.22 "一般公共服务支出（类）2106.66万元，占71.73%" — 2106.66 / 2940.05 = 71.65%.
    "narrative-share:8.4",
}
CAIZHENGJU_WARNS = {
    # p.21 "…其他收入6.2万元，占0.21%；" and "…项目支出603.14万元，占20.51%；", p.22 "…住房保障支出（类）445.69万元，
    # 占15.16%；": each paragraph ends its part on a semicolon.
    "text-final-stop:5.1",
    "text-final-stop:6.1",
    "text-final-stop:8.4",
    # p.24 "政府采购金额（以合同签订为准）为251.25万元，其中：货物采购金额4.79万元、工程采购金额0万元、服务采购金额
    # 246.47万元" — 4.79 + 0 + 246.47 = 251.26, a rounding difference.
    "narrative-procurement:14.4",
    # p.21 "与2023年度相比，财政拨款收入支出总计持平。主要原因：…减少支付。" — 持平 with a reason for a decrease.
    "narrative-flat:7.1",
    # p.24 人员经费 "主要包括：…退休费、个人农业生产补贴" — 基本支出决算表 (p.16) prints no 个人农业生产补贴
    # (303 10 blank) but 奖励金 0.31.
    "narrative-listed:个人农业生产补贴",
    # p.6 收入支出决算总表 "八、社会保障和就业支出 326.71" against 326.72 in 支出决算表 (p.10) and in
    # 财政拨款收入支出决算总表 vs 一般公共预算财政拨款支出决算表: a rounding difference of 0.01.
    "cross-class:income-expenditure-final:社会保障和就业支出",
    "cross-class:fiscal-appropriation-final:社会保障和就业支出",
}


def test_caizhengju_2024_fails_are_the_documents_errors(caizhengju_2024: dict[str, Check]) -> None:
    assert statuses(caizhengju_2024, "fail") == CAIZHENGJU_FAILS
    assert "2961.68" in caizhengju_2024["narrative-total:财政拨款收入支出总计"].message


def test_caizhengju_2024_review_warnings(caizhengju_2024: dict[str, Check]) -> None:
    # Besides these, the arithmetic rules warn on seven 0.01 rounding differences of the 决算 tables.
    review = {i for i in statuses(caizhengju_2024, "warn") if not i.startswith(("total-sum", "code-sum"))}
    assert review == CAIZHENGJU_WARNS


# The experiment: errors seeded into a copy of a real 决算 (11), each of which a reviewer catches.
def _replace_in_section(disclosure: Disclosure, title: str, old: str, new: str) -> None:
    section = next(s for s in disclosure.sections if s.title == title)
    assert old in section.markdown, old
    section.markdown = section.markdown.replace(old, new, 1)


def _seed_errors(disclosure: Disclosure) -> None:
    _replace_in_section(
        disclosure,
        "收入支出决算总体情况说明",
        "上海市普陀区财政局2024年度收入支出总计2995.39万元",
        "XX局2024年度收入支出总计0万元",
    )
    heading = next(s for s in disclosure.sections if s.title == "上海市普陀区财政局2024年度部门决算表")
    heading.title = "上海市普陀区财政局2023年度部门决算表"
    disclosure.tables = [t for t in disclosure.tables if t.id != "expenditure-final"]
    three_public = disclosure.table("three-public-expenses-final")
    assert three_public is not None
    three_public.rows = [[None if isinstance(c, Decimal) else c for c in row] for row in three_public.rows]
    _replace_in_section(
        disclosure,
        "一般公共预算财政拨款支出决算情况说明",
        "支出决算为1511.89万元。决算数小于预算数",
        "支出决算为1511.89万元。决算数大于预算数",
    )
    _replace_in_section(
        disclosure,
        "政府性基金预算财政拨款收入支出决算情况说明",
        "上海市普陀区财政局2024年度无",
        "上海市规划和自然资源局2024年度无",
    )
    _replace_in_section(
        disclosure, "其他重要事项的情况说明", "比2023年度增加2.55万元", "比2023年度增加（减少）2.55万元"
    )


SEEDED = {
    "text-placeholder": "XX局",
    "narrative-total": "收入支出总计0万元",
    "plausible-zero-total": "56.95",
    "year-heading": "2023年度部门决算表",
    "structure-tables": "《支出决算表》",
    "narrative-empty-table": "0.95",
    "narrative-direction": "决算数大于",
    "name-department": "上海市规划和自然资源局",
    "text-template-wording": "增加（减少）",
}


def test_errors_seeded_into_a_real_final_account_are_all_found() -> None:
    disclosure = recognize_file(
        read_blocks(REAL / "11_SH_putuo_caizhengju_2024_dept_final.pdf"),
        department=None,
        year=None,
        region=None,
    ).disclosure
    _seed_errors(disclosure)
    found = [c for c in run_checks(disclosure) if c.status == "fail"]
    for rule_id, quote in SEEDED.items():
        hits = [c for c in found if c.id.split(":")[0].split("#")[0] == rule_id]
        assert any(quote in c.message for c in hits), (rule_id, [c.message for c in hits])


@pytest.fixture(scope="module")
def sifaju_disclosure() -> Disclosure:
    read = read_blocks(REAL / "06a_SH_putuo_sifaju_2026_dept_budget.pdf")
    return recognize_file(read, department=None, year=None, region=None).disclosure


# (rule, section, printed text, the text with the error): 06a p.21–22 as published, then with one figure changed.
SIFAJU_BREAKDOWNS = [
    # 三公 table (p.21) "机关运行经费预算数 217.83"
    (
        "narrative-operating-costs",
        "机关运行经费预算",
        "机关运行经费预算为217.83万元",
        "机关运行经费预算为218.83万元",
    ),
    # 3.66 + 36.44 + 1446.32 = 1486.42
    ("narrative-procurement", "政府采购预算情况", "政府采购货物预算3.66万元", "政府采购货物预算4.66万元"),
    # 部门财务收支预算总表 (p.10) "收入总计 96,282,213.44" 元
    ("narrative-total", "2026年部门预算编制说明", "司法局收入预算9628.22万元", "司法局收入预算9682.22万元"),
    # 三公 table (p.21) "公务接待费 0.83"
    ("narrative-three-public", "2026年“三公”经费预算情况说明", "公务接待费0.83万元", "公务接待费0.93万元"),
    # 共有车辆3辆 = 执法执勤用车3辆 (every other kind 0)
    ("narrative-vehicles", "国有资产占有使用情况", "执法执勤用车3辆", "执法执勤用车2辆"),
]


@pytest.mark.parametrize(
    ("rule_id", "title", "printed", "wrong"), SIFAJU_BREAKDOWNS, ids=[c[0] for c in SIFAJU_BREAKDOWNS]
)
def test_breakdown_errors_in_the_real_06a(
    sifaju_disclosure: Disclosure, rule_id: str, title: str, printed: str, wrong: str
) -> None:
    def rule_findings(disclosure: Disclosure) -> list[Check]:
        return [c for c in run_checks(disclosure) if c.status != "pass" and c.id.split(":")[0] == rule_id]

    assert rule_findings(sifaju_disclosure) == []
    broken = copy.deepcopy(sifaju_disclosure)
    _replace_in_section(broken, title, printed, wrong)
    (finding,) = rule_findings(broken)
    assert finding.status == "fail" and title in finding.message


def test_the_jiangsu_real_files_have_no_false_failure(tmp_path_factory: pytest.TempPathFactory) -> None:
    # 01 (江苏省人大常委会办公厅 2017) and the 03a/03b pair (江苏省委办公厅 2019): read through, no error of
    # the kinds checked here; their warnings are an unbalanced "(无政府性基金支出）" (01 p.10, a half-width
    # "(" closed by a full-width "）") and a change without its reason (01 p.9 "与上年相比增加844.15万元，
    # 增长6.59%。"), and for 03 a growth printed "增长30%" for 878.93 / 3015.16 = 29.15%.
    content = tmp_path_factory.mktemp("jiangsu")
    ingest_sources([REAL / "01_JS_renda_bangongting_2017_budget.pdf"], content_dir=content, quiet=True)
    ingest_sources(sorted(REAL.glob("03*.pdf")), content_dir=content, quiet=True)
    folders = iter_disclosure_folders(content)
    assert len(folders) == 2
    for folder in folders:
        assert [c.id for c in run_checks(load_disclosure(folder)) if c.status == "fail"] == [], folder
