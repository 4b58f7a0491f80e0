"""Indicator labels in Word conversions (issue 9 item 8).

A line-based PDF-to-Word conversion gives each merged 一级/二级 label cell a row of its own above the
group it heads ("" | 社会效益指标 | "" | ""), the indicator rows leaving those cells blank; Word's
plain-text conversion of that table (the samples' 001 layout) drops a row's trailing empty cells, so
the label row arrives as the short row "" | 社会效益指标. Today the short row is aligned on the right
and its label is appended to the previous indicator's 指标值 ("≥5200.00(平方米)质量指标"); in the
.docx the label row became an indicator with no name and no value. The conversion also starts a new
table, without the grid's header, where the page broke: those rows were dropped. Fixtures:
tests/fixtures/performance_targets/make_performance_fixtures.py (write_word).
"""

from __future__ import annotations

from ingest_helpers import FIXTURES

from budgetsite.blocks import RawTable
from budgetsite.model import Project
from budgetsite.read.docx import DocxReader
from budgetsite.read.text import TextReader
from budgetsite.recognize.projects import recognize_projects

WORD_DOCX = FIXTURES / "performance_targets" / "word_indicator_labels.docx"
WORD_TEXT = FIXTURES / "performance_targets" / "word_indicator_labels.txt"

# The printed grid (一级 | 二级 | 三级 | 指标值): the document's rows, labels filled down over their groups.
PRINTED = [
    ("产出指标", "数量指标", "道路保洁面积", "≥13459.00(平方米)"),
    ("产出指标", "数量指标", "公共绿地养护面积", "≥5200.00(平方米)"),
    ("产出指标", "质量指标", "保洁作业达标率", "=100%"),
    ("产出指标", "质量指标", "投诉处理率", "≥95%"),
    ("产出指标", "时效指标", "问题处置及时率", "≥98%"),
    ("成本指标", "经济成本指标", "单位面积保洁成本", "≤12.50(元/平方米)"),
    ("效益指标", "社会效益指标", "市容环境改善", "明显改善"),
    ("效益指标", "生态效益指标", "绿化覆盖率", "≥35%"),
    ("满意度指标", "服务对象满意度指标", "居民满意度", "≥90%"),
]


def grid(project: Project) -> list[tuple[str, str, str, str]]:
    return [(i.level1, i.level2, i.level3, i.target) for i in project.indicators]


def test_text_conversion_label_row_starts_a_group_not_part_of_the_value() -> None:
    blocks = TextReader().read(WORD_TEXT).blocks
    first, second = (b.rows for b in blocks if isinstance(b, RawTable))
    assert ["", "质量指标"] in first  # the short label row, as the conversion prints it
    assert second[0] == ["效益指标", "社会效益指标"]
    (project,) = recognize_projects(blocks).projects
    assert project.name == "道路保洁及绿化养护"
    assert grid(project) == PRINTED
    assert not any(i.target.endswith("指标") for i in project.indicators)


def test_docx_label_row_is_no_indicator() -> None:
    blocks = DocxReader().read(WORD_DOCX).blocks
    first, second = (b.rows for b in blocks if isinstance(b, RawTable))
    assert ["", "质量指标", "", ""] in first
    # the rows after the page break: a table of their own, without the grid's header
    assert second[0] == ["效益指标", "社会效益指标", "", ""]
    (project,) = recognize_projects(blocks).projects
    assert grid(project) == PRINTED


def test_a_label_row_of_only_a_level1_label_keeps_the_level2_its_rows_print() -> None:
    table = RawTable(
        rows=[
            ["一级指标", "二级指标", "三级指标", "指标值"],
            ["产出指标"],
            ["", "数量指标", "受理窗口数", "=24(个)"],
            ["", "", "设备维护台数", "≥120(台)"],
            ["效益指标"],
            ["", "社会效益指标", "一网通办事项覆盖率", "≥95%"],
        ]
    )
    (project,) = recognize_projects([table]).projects
    assert grid(project) == [
        ("产出指标", "数量指标", "受理窗口数", "=24(个)"),
        ("产出指标", "数量指标", "设备维护台数", "≥120(台)"),
        ("效益指标", "社会效益指标", "一网通办事项覆盖率", "≥95%"),
    ]
