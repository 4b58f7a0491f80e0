"""项目绩效目标表 of 002 (邢台市工业和信息化局 2023, PDF→tab text): 17 projects, several split over pages."""

from __future__ import annotations

from functools import cache

import pytest

from budgetsite.model import Project
from budgetsite.read.text import TextReader
from budgetsite.recognize.projects import recognize_projects
from samples import SAMPLES

SAMPLE = SAMPLES / "002_ae784f8ae38a492c.txt"


@cache
def projects() -> list[Project]:
    return recognize_projects(TextReader().read(SAMPLE).blocks).projects


# (name from the heading "N、<name>绩效目标表", indicator rows; rows continued under a repeated
# "一级指标…" page header count once)
EXPECTED = [
    ("2022年中国国际数字经济博览会经费", 9),  # "1、2022 年中国国际数字经济博览会经费绩效目标表"
    ("安全生产办公室工作经费", 10),  # split: 8 rows + header + 2 rows
    ("高级职业经理人培训", 8),
    ("工业转型（技改）工作经费", 17),  # split twice, one wrapped cell continued on the next page
    ("公益服务活动", 9),
    ("基层统计监测人员能力提升", 9),
    ("基层统计监测人员业务能力提升", 8),
    ("机关网络维护经费", 10),
    ("禁化武办公室工作经费", 9),
    ("亩均论英雄专项工作经费", 14),
    ("企业上市及职业经理人培训、市场推介活动", 10),
    ("数字化档案室建设经费", 9),
    ("数字化转型专项经费", 11),  # page 2 starts with a continuation row "\t\t\t\t\t工业转型升级…"
    ("邢台市工业企业服务平台建设经费", 9),
    ("中小企业运行监测", 9),
    ("中小企业运行监测补助", 8),
    ("重点产业链专项工作经费", 12),
]


def test_seventeen_projects_in_document_order() -> None:
    assert [p.name for p in projects()] == [name for name, _ in EXPECTED]


@pytest.mark.parametrize(("name", "count"), EXPECTED, ids=[e[0] for e in EXPECTED])
def test_indicator_count_per_project(name: str, count: int) -> None:
    project = next(p for p in projects() if p.name == name)
    assert len(project.indicators) == count


def test_no_header_block_printed() -> None:
    assert all(p.code is None and p.budget is None for p in projects())


def test_single_goal() -> None:
    # "绩效目标\t1.主要用于平台研发、维护费用。\t\t\t\t"
    assert projects()[13].goals == ["1.主要用于平台研发、维护费用。"]


def test_fill_down_across_page_break() -> None:
    # page 1 ends "\t生态效益指标\t不涉及…" under 效益指标; page 2 repeats the header, then
    # "\t可持续影响指标\t不涉及\t不涉及\t不涉及\t不涉及" — still 效益指标
    safety = projects()[1]
    assert (safety.indicators[8].level1, safety.indicators[8].level2) == ("效益指标", "可持续影响指标")
    # "满意度指标\t服务对象满意度指标\t服务对象满意度\t抽查企业数/企业数*100%\t≥90%\t抽查"
    assert (safety.indicators[9].level1, safety.indicators[9].description, safety.indicators[9].target) == (
        "满意度指标",
        "抽查企业数/企业数*100%",
        "≥90%",
    )


def test_cell_wrapped_over_page_break_is_joined() -> None:
    # "…\t组织企业参加省召开互联网+制造业相关培训次数\t动员企业积极参加了互联网+制造业、两化融合相关培\t3 次\t…"
    # next page, under the repeated header: "\t\t\t训。企业通过培训，提高了认识，普及信息化知识。\t\t现代化…"
    row = next(
        i for i in projects()[3].indicators if i.level3 == "组织企业参加省召开互联网+制造业相关培训次数"
    )
    assert (
        row.description
        == "动员企业积极参加了互联网+制造业、两化融合相关培训。企业通过培训，提高了认识，普及信息化知识。"
    )
    assert row.target == "3次"
    assert row.basis.endswith("的落实方案的通知邢制强市办[2018]5号；")
