"""项目绩效目标表 of 001 (保定市徐水区工业和信息化局 2024, Word one-cell-per-line): 12 projects with header blocks."""

from __future__ import annotations

from decimal import Decimal
from functools import cache

import pytest

from budgetsite.model import Project
from budgetsite.read.text import TextReader
from budgetsite.recognize.projects import recognize_projects
from samples import SAMPLES

SAMPLE = SAMPLES / "001_8bf267248edeb530.txt"


@cache
def projects() -> list[Project]:
    return recognize_projects(TextReader().read(SAMPLE).blocks).projects


# (项目名称, 项目编码, 预算数, indicator rows) — each read from the header block lines
# "\t项目编码" / "\t13062524P000015104046" / "\t项目名称" / "\t办公设备购置" / … "\t预算数" / "\t4.63"
EXPECTED = [
    ("办公设备购置", "13062524P000015104046", "4.63", 9),
    ("保洁费", "13062524P00001510413E", "3.00", 7),
    ("法律顾问费", "13062524P000015104117", "2.00", 6),
    ("改制国企留守人员专项资金", "13062524P00001510418G", "5.20", 8),
    ("工信系统原改制企业（化工厂和刘伶醉酒厂）退休职工医疗保险", "13062524P00001510417W", "11.00", 8),
    ("劳务派遣人员费用", "13062524P00001510415M", "32.82", 8),
    ("提前下达2024年技术创新引导专项资金预算", "13062524P00001710170A", "100.00", 7),
    ("提前下达2024年省级中小企业发展专项资金预算（中小企业运行监测）", "13062524P000017101374", "1.90", 6),
    (
        "提前下达2024年县域特色产业群“领跑者”企业培育等项目资金预算（“领跑者”企业培育项目）",
        "13062524P00001710143H",
        "41.70",
        6,
    ),
    (
        "提前下达2024年县域特色产业群“领跑者”企业培育等项目资金预算（支持工业设计成果转化）",
        "13062524P00001710145Q",
        "137.28",
        6,
    ),
    (
        "提前下达2024年县域特色产业群“领跑者”企业培育等项目资金预算（支持国家级、省级工业设计中心）",
        "13062524P000017101445",
        "300.00",
        6,
    ),
    ("原化工厂、饮食服务公司补助资金", "13062524P00001510420F", "10.46", 14),
]


def test_twelve_projects_in_document_order() -> None:
    assert [p.name for p in projects()] == [e[0] for e in EXPECTED]


@pytest.mark.parametrize(("name", "code", "budget", "count"), EXPECTED, ids=[e[1] for e in EXPECTED])
def test_header_block_and_indicator_count(name: str, code: str, budget: str, count: int) -> None:
    project = next(p for p in projects() if p.name == name)
    assert project.code == code
    assert project.budget == Decimal(budget)
    # "\t其中：财政    资金" / "\t4.63": every project here is fully fiscally funded
    assert project.fiscal_funds == Decimal(budget)
    # "\t其他资金" / "\t " — printed blank
    assert project.other_funds is None
    assert len(project.indicators) == count


def test_budget_keeps_printed_digits() -> None:
    # "\t3.00" stays 3.00, never 3
    assert str(projects()[1].budget) == "3.00"


def test_purpose_and_spending_plan() -> None:
    first = projects()[0]
    # "\t" / "\t用于支付办公设备购置费用。" under "预算规模及资金用途"
    assert first.purpose == "用于支付办公设备购置费用。"
    # "\t3月底 6月底 10月底 12月底" over "\t63%" "\t82%" "\t " "\t "
    assert first.spending_plan == {"3月底": "63%", "6月底": "82%", "10月底": "", "12月底": ""}
    # 保洁费: "25%" "50%" "75%" "100%"
    assert projects()[1].spending_plan == {"3月底": "25%", "6月底": "50%", "10月底": "75%", "12月底": "100%"}


def test_goals_continued_on_untabbed_lines() -> None:
    # "\t绩效目标" / "\t1.购买部分办公设备，…" then "2.购买A3多功能数码一体机1台；" … "5.购买活动板房1间。"
    goals = projects()[0].goals
    assert len(goals) == 5
    assert goals[0] == "1.购买部分办公设备，满足正常工作开展需要，完成各项工作任务。"
    assert goals[4] == "5.购买活动板房1间。"


def test_level1_filled_down_and_level2_printed() -> None:
    # "\t产出指标" "\t数量指标" "\tA3多功能数码一体机" …; next row "\t" "\t数量指标" "\t电脑" "\t反映购买电脑数量" "\t1台"
    indicators = projects()[0].indicators
    assert (indicators[1].level1, indicators[1].level2, indicators[1].level3, indicators[1].target) == (
        "产出指标",
        "数量指标",
        "电脑",
        "1台",
    )
    # last row: "\t满意度指标" "\t服务对象满意度指标" "\t服务对象满意度" … "\t≥90%"
    last = indicators[-1]
    assert (last.level1, last.level2, last.target, last.basis) == (
        "满意度指标",
        "服务对象满意度指标",
        "≥90%",
        "办公设备购置项目实施计划",
    )


def test_project_budgets_sum_to_project_expenditure() -> None:
    # 说明: "项目支出650.00万元" — the 12 budgets add up to 649.99 (a rounding difference of 0.01)
    assert sum(p.budget for p in projects() if p.budget is not None) == Decimal("649.99")
