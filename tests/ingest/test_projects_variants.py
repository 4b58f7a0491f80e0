"""Project tables beyond the samples: other departments/years, header block or not, extra/missing columns."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

from budgetsite.blocks import Heading, PageBreak, Paragraph, RawTable
from budgetsite.read.text import TextReader
from budgetsite.recognize import recognize
from budgetsite.recognize.projects import recognize_projects, split_goals

FIXTURES = Path(__file__).parent.parent / "fixtures"
HEADER = ["一级指标", "二级指标", "三级指标", "绩效指标描述", "指标值", "指标值确定依据"]


def test_county_pipe_project_with_header_block() -> None:
    blocks = TextReader().read(FIXTURES / "variant_projects_county_pipe.txt").blocks
    first, second = recognize_projects(blocks).projects
    # "| 项目名称 | 科技特派员工作经费 | | | 项目编码 | 130929-22-KJ 0001 | …" (a wrap space in the code)
    assert (first.name, first.code, first.unit) == (
        "科技特派员工作经费",
        "130929-22-KJ0001",
        "献县科技情报研究所",
    )
    # "| 预算数（万元） | 12.50 | 其中：财政资金 | 10.00 | 其他资金 | 2.50 | …"
    assert (first.budget, first.fiscal_funds, first.other_funds) == (
        Decimal("12.50"),
        Decimal("10.00"),
        Decimal("2.50"),
    )
    assert first.purpose == "用于科技特派员下乡服务补助。"
    # "| 资金支出计划 | 3月底 | 25% | 6月底 | 50% | 10月底 | 75% | 12月底 | 100% |" — values beside the keys
    assert first.spending_plan == {"3月底": "25%", "6月底": "50%", "10月底": "75%", "12月底": "100%"}
    assert first.goals == ["1、选派科技特派员20名；", "2、服务农户500户次。"]
    # indicator table with only four columns (no 绩效指标描述 / 指标值确定依据) and 二级指标 merged too:
    # "| | | 服务农户户次 | ≥500户次 |"
    assert len(first.indicators) == 4
    second_row = first.indicators[1]
    assert (second_row.level1, second_row.level2, second_row.level3, second_row.target) == (
        "产出指标",
        "数量指标",
        "服务农户户次",
        "≥500户次",
    )
    assert second_row.description == "" and second_row.basis == ""
    # the second project has no header block: name from "2、科普宣传活动经费绩效目标表"
    assert (second.name, second.code, second.budget) == ("科普宣传活动经费", None, None)
    assert len(second.goals) == 3 and len(second.indicators) == 3


def test_performance_document_with_split_project() -> None:
    path = FIXTURES / "variant_projects_performance_tsv.txt"
    d = recognize(TextReader().read(path).blocks, source_name=path.name)
    assert (d.kind, d.department, d.year) == ("budget-performance", "张家口市怀来县数字经济局", 2025)
    first, second = d.projects
    assert (first.name, first.code, first.unit, first.budget) == (
        "数字乡村平台运维",
        "130730-25-SZ-0001",
        "怀来县数字经济局",
        Decimal("36.00"),
    )
    # "资金支出计划（%）\t3月底\t6月底\t10月底\t12月底" over "\t20%\t50%\t80%\t100%"
    assert first.spending_plan == {"3月底": "20%", "6月底": "50%", "10月底": "80%", "12月底": "100%"}
    # 3 rows, page break with a repeated header, a wrapped basis cell, 3 more rows
    assert len(first.indicators) == 6
    cost = first.indicators[3]
    assert (cost.level1, cost.level2, cost.basis) == (
        "产出指标",
        "成本指标",
        "运维合同约定的服务费及运维费用测算",
    )
    assert (second.name, len(second.indicators), second.budget) == ("5G基站建设协调工作经费", 2, None)
    # nothing of the project tables leaks into the narrative
    assert "一级指标" not in "".join(s.markdown for s in d.sections)


def test_two_projects_in_one_grid_and_goals_outside_the_grid() -> None:
    blocks = [
        Heading("七、部门项目预算安排情况及绩效目标"),
        Paragraph("项目支出绩效目标表"),  # a generic title: names come from the header blocks
        RawTable(
            [
                ["项目名称", "甲项目", "项目编码", "A-1"],
                ["预算数", "1.50", "其中：财政资金", "1.50"],
                ["绩效目标", "1.完成甲。"],
            ]
        ),
        Paragraph("2.完成乙。"),  # a goal line the reader left outside the grid (001-style wrap)
        RawTable(
            [
                HEADER,
                ["产出指标", "数量指标", "件数", "完成件数", "≥1件", "计划"],
                ["项目名称", "丙项目", "项目编码", "B-2"],
                ["绩效目标", "1、完成丙 2、完成丁"],
                HEADER,
                ["效益指标", "社会效益指标", "影响", "社会影响", "良好", "计划"],
            ]
        ),
        PageBreak(3),
        Paragraph("八、政府采购预算情况"),
    ]
    result = recognize_projects(blocks)
    first, second = result.projects
    assert (first.name, first.code, first.budget, first.goals) == (
        "甲项目",
        "A-1",
        Decimal("1.50"),
        ["1.完成甲。", "2.完成乙。"],
    )
    assert len(first.indicators) == 1
    assert (second.name, second.code, second.goals, len(second.indicators)) == (
        "丙项目",
        "B-2",
        ["1、完成丙", "2、完成丁"],
        1,
    )
    assert result.used == {1, 2, 3, 4}


def test_split_goals_never_splits_amounts() -> None:
    assert split_goals("1.购买电脑4.63万元以内；2.按期完成。") == ["1.购买电脑4.63万元以内；", "2.按期完成。"]
    assert split_goals("确保全年安全无事故") == ["确保全年安全无事故"]
    assert split_goals("") == []


def test_department_wide_target_table_is_no_project() -> None:
    indicator_rows = [HEADER, ["产出指标", "数量指标", "任务数", "完成任务数", "≥5项", "计划"]]
    blocks = [
        Paragraph("部门整体支出绩效目标表"),
        RawTable([["年度总体目标", "完成全年工作任务"], *indicator_rows]),
        Paragraph("1、信息化运维绩效目标表"),
        RawTable([["绩效目标", "1.系统稳定运行。"], *indicator_rows]),
        RawTable(indicator_rows),  # the next page of the same project (002-style repeated header)
        Paragraph("另有一张未注明项目的表："),
        RawTable(indicator_rows),
    ]
    result = recognize_projects(blocks)
    assert [(p.name, len(p.indicators)) for p in result.projects] == [
        ("信息化运维", 2),
        ("（未命名项目）", 1),
    ]
    assert result.used == {2, 3, 4, 6}


def test_header_labels_above_their_values() -> None:
    # Some converters put the header block labels on one row and the values on the next.
    blocks = [
        Paragraph("1、档案数字化绩效目标表"),
        RawTable(
            [
                ["项目名称", "项目编码", "预算数", "其中：财政资金", "其他资金"],
                ["档案数字化", "1301-24-0007", "8.00", "8.00", "0"],
                ["绩效目标", "1.完成档案数字化2万页。"],
                HEADER,
                ["产出指标", "数量指标", "数字化页数", "完成档案数字化页数", "≥2万页", "工作计划"],
            ]
        ),
    ]
    (project,) = recognize_projects(blocks).projects
    assert (project.name, project.code, project.budget, project.fiscal_funds, project.other_funds) == (
        "档案数字化",
        "1301-24-0007",
        Decimal("8.00"),
        Decimal("8.00"),
        Decimal("0"),
    )
    assert len(project.indicators) == 1


def test_document_of_only_performance_targets_is_budget_performance() -> None:
    # The title says 部门预算, but the document holds nothing but project performance targets.
    blocks = [
        Paragraph("怀来县数字经济局2025年部门预算"),
        Paragraph("一、项目绩效目标"),
        Paragraph("1、数字乡村平台运维绩效目标表"),
        RawTable(
            [
                ["绩效目标", "1.平台稳定运行。"],
                HEADER,
                ["产出指标", "数量指标", "村数", "接入村数", "≥20个", "计划"],
            ]
        ),
    ]
    d = recognize(blocks, source_name="perf.txt")
    assert (d.kind, d.department, d.year, d.region) == (
        "budget-performance",
        "怀来县数字经济局",
        2025,
        ["怀来县"],
    )
    assert [p.name for p in d.projects] == ["数字乡村平台运维"]
