"""项目绩效目标表 of 000 (衡水市工业和信息化局 2020, pipe tables, no header block): 20 projects."""

from __future__ import annotations

from functools import cache

import pytest

from budgetsite.model import Project
from budgetsite.read.text import TextReader
from budgetsite.recognize.projects import recognize_projects
from samples import SAMPLES

SAMPLE = SAMPLES / "000_8f224ed89935fe50.txt"


@cache
def projects() -> list[Project]:
    return recognize_projects(TextReader().read(SAMPLE).blocks).projects


# (heading as printed, name, indicator rows under the 一级指标 header), counted in the source file.
EXPECTED = [
    ("1、办公楼租赁费绩效目标表", "办公楼租赁费", 6),
    ("2、工业设计发展绩效目标表", "工业设计发展", 6),
    ("3、固定资产购置绩效目标表", "固定资产购置", 6),
    ("4、机械工业供销公司破产工作经费绩效目标表", "机械工业供销公司破产工作经费", 6),
    ("5、机械工业供销公司破产职工安置费绩效目标表", "机械工业供销公司破产职工安置费", 6),
    ("6、刘同瑞同志遗属补助绩效目标表", "刘同瑞同志遗属补助", 3),
    ("7、聘请法律顾问经费绩效目标表", "聘请法律顾问经费", 4),
    ("8、全市企业项目观摩拉练绩效目标表", "全市企业项目观摩拉练", 6),
    ("9、食盐储备绩效目标表", "食盐储备", 5),
    ("10、市企业咨询服务中心工资及社保及公积金绩效目标表", "市企业咨询服务中心工资及社保及公积金", 6),
    ("11、市属国有改制企业离休干部统筹外费用绩效目标表", "市属国有改制企业离休干部统筹外费用", 5),
    ("12、市属国有企业职教幼教补助绩效目标表", "市属国有企业职教幼教补助", 6),
    ("13、物业服务费绩效目标表", "物业服务费", 6),
    ("14、信访维稳经费绩效目标表", "信访维稳经费", 6),
    ("15、原地区印刷厂职工经济补偿金绩效目标表", "原地区印刷厂职工经济补偿金", 6),
    ("16、中小企业发展专项绩效目标表", "中小企业发展专项", 6),
    ("17、租赁视频会议系统设备经费绩效目标表", "租赁视频会议系统设备经费", 6),
    ("18、单位办公场所维修绩效目标表", "单位办公场所维修", 6),
    ("19、中小企业发展专项（促进中小企业发展）绩效目标表", "中小企业发展专项（促进中小企业发展）", 6),
    # "20、中小企业发展专项(中小企业公共服务平台网络窗口平台) 绩效目标表" — the space before 绩效 is dropped
    ("20、…绩效目标表", "中小企业发展专项(中小企业公共服务平台网络窗口平台)", 5),
]


def test_all_twenty_project_tables_found_in_document_order() -> None:
    assert [p.name for p in projects()] == [name for _, name, _ in EXPECTED]


@pytest.mark.parametrize(("heading", "name", "count"), EXPECTED, ids=[e[1] for e in EXPECTED])
def test_indicator_count_per_project(heading: str, name: str, count: int) -> None:
    project = next(p for p in projects() if p.name == name)
    assert len(project.indicators) == count


def test_no_header_block_means_no_code_or_budget() -> None:
    # 000's tables start with "| 绩效目标 | …" — no 项目编码 / 预算数 printed anywhere in them.
    assert all(p.code is None and p.budget is None and p.spending_plan is None for p in projects())


def test_goals_split_per_number() -> None:
    # "| 绩效目标 | 1、及时支付 2、足额支付 | | | | |"
    assert projects()[0].goals == ["1、及时支付", "2、足额支付"]
    # "| 绩效目标 | 1、保证食盐市场供应。 2、保证食盐价格平稳。 | | | | |"
    assert projects()[8].goals == ["1、保证食盐市场供应。", "2、保证食盐价格平稳。"]


def test_merged_level1_cells_filled_down() -> None:
    # "| 产出指标 | 数量指标 | 支付时效 | 按合同及时支付 | 及时支付 | 工作计划 |"
    # "| | 数量指标 | 支付比例 | 按合同足额支付 | 足额支付 | 工作计划 |"
    first, second = projects()[0].indicators[:2]
    assert (first.level1, first.level2, first.level3, first.target) == (
        "产出指标",
        "数量指标",
        "支付时效",
        "及时支付",
    )
    assert (second.level1, second.level3, second.description, second.basis) == (
        "产出指标",
        "支付比例",
        "按合同足额支付",
        "工作计划",
    )


def test_blank_cells_stay_blank() -> None:
    # "| 效果指标 | 社会效益指标 | | 树立窗口单位形象 | | 工作计划 |": no 三级指标, no 指标值 printed
    third = projects()[0].indicators[2]
    assert (third.level1, third.level2, third.level3, third.description, third.target) == (
        "效果指标",
        "社会效益指标",
        "",
        "树立窗口单位形象",
        "",
    )


def test_targets_as_printed() -> None:
    # "| 产出指标 | 数量指标 | 食盐保库存数 | 保库存数 | ≥500 吨 | 工作计划 |" (the wrap space is dropped)
    assert projects()[8].indicators[0].target == "≥500吨"
