"""Shanghai district project performance-target forms (财政项目支出绩效目标填报表, issue 9 item 7).

The fixtures are PDFs of the published layout (tests/fixtures/performance_targets/make_performance_fixtures.py
draws them; every expected value below is printed in the PDF, as `pdfplumber` shows): a header block
(项目名称; 主管部门 | 实施单位; 项目资金（万元） over 年度资金总额： / 其中：财政资金 / 其他资金 with the amount
two merged columns to the right; 年度总体目标), then the indicator grid under a side label "绩效指标"
merged down the whole grid, and 指标值 merged over two of the header block's finer columns.
"""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

from bs4 import BeautifulSoup
from click.testing import CliRunner
from ingest_helpers import FIXTURES, SCHEMA
from jsonschema import Draft202012Validator

from budgetsite.blocks import Paragraph, RawTable
from budgetsite.cli import main
from budgetsite.config import load_config
from budgetsite.model import Project
from budgetsite.read.pdf import PdfReader
from budgetsite.recognize.projects import recognize_projects
from budgetsite.site.build import build

PUTUO = FIXTURES / "performance_targets" / "putuo_2026_performance.pdf"
VARIANT = FIXTURES / "performance_targets" / "district_variant_2026_performance.pdf"
SLUG = "shanghaishi-putuoqu-lvhuaheshi-rongguanliju"

# 一级指标 | 二级指标 | 三级指标 | 指标值, as printed (merged 一级/二级 cells filled down), per project.
PRINTED_INDICATORS = {
    "道路保洁及绿化养护": """
        产出指标|数量指标|道路保洁面积|≥13459.00(平方米)
        产出指标|数量指标|公共绿地养护面积|≥5200.00(平方米)
        产出指标|质量指标|保洁作业达标率|=100%
        产出指标|质量指标|投诉处理率|≥95%
        产出指标|时效指标|问题处置及时率|≥98%
        成本指标|经济成本指标|单位面积保洁成本|≤12.50(元/平方米)
        效益指标|社会效益指标|市容环境改善|明显改善
        效益指标|生态效益指标|绿化覆盖率|≥35%
        满意度指标|服务对象满意度指标|居民满意度|≥90%""",
    # pages 2–3: the grid runs over the page break without repeating its header
    "街镇社区事务受理服务中心运行维护": """
        产出指标|数量指标|受理窗口数|=24(个)
        产出指标|数量指标|设备维护台数|≥120(台)
        产出指标|数量指标|年度受理事项数|≥36000(件)
        产出指标|质量指标|设备完好率|≥98%
        产出指标|质量指标|系统故障率|≤5%
        产出指标|质量指标|办件差错率|≤0.5%
        产出指标|时效指标|故障响应时间|≤2(小时)
        产出指标|时效指标|维护工作完成时间|按时完成
        成本指标|经济成本指标|运行维护成本|≤86.40(万元)
        效益指标|社会效益指标|一网通办事项覆盖率|≥95%
        效益指标|社会效益指标|群众平均等候时间|≤15(分钟)
        效益指标|可持续影响指标|服务规范化水平|持续提升
        满意度指标|服务对象满意度指标|办事群众满意度|≥95%
        满意度指标|服务对象满意度指标|窗口工作人员满意度|≥90%""",
    "援滇干部工作经费": """
        产出指标|数量指标|保障援滇干部人数|=2(人)
        产出指标|时效指标|经费发放及时性|按时完成
        成本指标|经济成本指标|人均经费|≤1.50(万元/人)
        效益指标|社会效益指标|对口帮扶任务完成率|=100%
        满意度指标|服务对象满意度指标|援滇干部满意度|≥90%""",
}


def printed(name: str) -> list[tuple[str, ...]]:
    return [tuple(line.strip().split("|")) for line in PRINTED_INDICATORS[name].strip().splitlines()]


def indicators(project: Project) -> list[tuple[str, ...]]:
    return [(i.level1, i.level2, i.level3, i.target) for i in project.indicators]


def putuo_projects() -> list[Project]:
    return recognize_projects(PdfReader().read(PUTUO).blocks).projects


def test_putuo_header_block_budget_and_goals() -> None:
    first, second, third = putuo_projects()
    assert (first.name, first.unit) == ("道路保洁及绿化养护", "上海市普陀区市容环境卫生管理所")
    # "年度资金总额： | 1,234.56", "其中：财政资金 | 1,200.00", "其他资金 | 34.56": Decimal, printed digits
    assert (first.budget, first.fiscal_funds, first.other_funds) == (
        Decimal("1234.56"),
        Decimal("1200.00"),
        Decimal("34.56"),
    )
    assert [str(a) for a in (second.budget, second.fiscal_funds, second.other_funds)] == ["86.40"] * 2 + [
        "0.00"
    ]
    assert [str(a) for a in (third.budget, third.fiscal_funds, third.other_funds)] == ["3.00", "3.00", "0"]
    # 年度总体目标 (printed on two lines in its label cell: "年度" / "总体目标")
    assert first.goals == [
        "1、完成全区主次干道13459.00平方米保洁作业；",
        "2、完成公共绿地养护，绿化覆盖率不低于35%。",
    ]
    assert second.goals == ["保障社区事务受理服务中心全年正常运行，提升群众办事便利度。"]
    assert (third.name, third.unit) == ("援滇干部工作经费", "上海市普陀区绿化和市容管理局")


def test_putuo_every_indicator_value_as_printed() -> None:
    projects = putuo_projects()
    assert [p.name for p in projects] == list(PRINTED_INDICATORS)
    for project in projects:
        assert indicators(project) == printed(project.name), project.name
        # the side label "绩效指标" is no column: nothing of it lands in 绩效指标描述
        assert {(i.description, i.basis) for i in project.indicators} == {("", "")}
    assert sum(len(p.indicators) for p in projects) == 28


def test_putuo_form_title_and_year_line_are_consumed() -> None:
    """ "财政项目支出绩效目标填报表" + "（2026年度）" head each project; neither stays behind as narrative."""
    blocks = PdfReader().read(PUTUO).blocks
    used = recognize_projects(blocks).used
    titles = [i for i, b in enumerate(blocks) if isinstance(b, Paragraph) and "填报表" in b.text]
    year_lines = [i for i, b in enumerate(blocks) if isinstance(b, Paragraph) and b.text == "（2026年度）"]
    assert len(titles) == 3 and year_lines
    assert set(titles + year_lines) <= used


def test_other_district_column_order_and_extra_columns() -> None:
    """No side label; 指标值说明 between 三级指标 and 指标值; a 备注 column; the amounts side by side."""
    blocks = PdfReader().read(VARIANT).blocks
    header = next(r for b in blocks if isinstance(b, RawTable) for r in b.rows if "一级指标" in r)
    assert header == ["一级指标", "二级指标", "三级指标", "指标值说明", "指标值", "备注"]
    first, second = recognize_projects(blocks).projects
    assert (first.name, first.budget, first.fiscal_funds, first.other_funds) == (
        "道路保洁及绿化养护",
        Decimal("1234.56"),
        Decimal("1200.00"),
        Decimal("34.56"),
    )
    assert len(first.goals) == 2 and second.goals == ["保障援滇干部在滇工作期间的工作经费，按时足额发放。"]
    assert indicators(first) == printed(first.name)
    assert indicators(second) == printed(second.name)
    # 指标值说明 is the indicator's description: "抽查达标次数/抽查次数" (wrapped over two lines in the PDF)
    assert [i.description for i in first.indicators][:3] == [
        "全年累计保洁面积",
        "年度养护面积",
        "抽查达标次数/抽查次数",
    ]


def test_ingested_data_json_and_project_page(tmp_path: Path) -> None:
    runner = CliRunner()
    content = tmp_path / "content"
    result = runner.invoke(main, ["ingest", "--content", str(content), str(PUTUO)], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    data_file = content / SLUG / "2026-budget-performance" / "data.json"
    text = data_file.read_text(encoding="utf-8")
    data = json.loads(text, parse_float=Decimal)
    assert list(Draft202012Validator(json.loads(SCHEMA.read_text(encoding="utf-8"))).iter_errors(data)) == []
    second = data["projects"][1]
    assert (second["budget"], second["fiscal_funds"], second["other_funds"]) == (
        Decimal("86.40"),
        Decimal("86.40"),
        Decimal("0.00"),
    )
    assert '"budget": 86.40' in text  # the printed digits, not 86.4
    targets = [i["target"] for p in data["projects"] for i in p["indicators"]]
    assert len(targets) == 28 and all(targets) and targets[0] == "≥13459.00(平方米)"

    build(load_config(tmp_path, content=str(content), output=str(tmp_path / "output")), quiet=True)
    page = (
        tmp_path
        / "output"
        / "departments"
        / SLUG
        / "2026"
        / "budget-performance"
        / "projects"
        / "2"
        / "index.html"
    )
    html = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
    facts = [dd.get_text(" ", strip=True) for dd in html.select("dl.facts dd")]
    assert facts == ["上海市普陀区绿化和市容管理局", "86.40 万元", "86.40 万元", "0.00 万元"]
    goals = html.find("h2", string="绩效目标").find_next("ol")
    assert [li.get_text() for li in goals.find_all("li")] == [
        "保障社区事务受理服务中心全年正常运行，提升群众办事便利度。"
    ]
    rows = [[c.get_text() for c in tr.find_all(["th", "td"])] for tr in html.select("tbody tr")]
    assert [(r[0], r[1], r[2], r[4]) for r in rows] == printed("街镇社区事务受理服务中心运行维护")


def test_header_block_printed_in_yuan_is_stored_in_wan_yuan() -> None:
    """Some district forms print 项目资金（元）: data.json keeps 万元, converted exactly (every digit kept)."""
    table = RawTable(
        rows=[
            ["项目名称", "普陀体育中心委托运营结算", "", ""],
            ["项目资金（元）", "年度资金总额：", "", "250,000.00"],
            ["项目资金（元）", "其中：财政资金", "", "250,000.00"],
            ["项目资金（元）", "其他资金", "", "0"],
            ["一级指标", "二级指标", "三级指标", "指标值"],
            ["产出指标", "数量指标", "合同结算条款完成率", "=100%"],
        ]
    )
    (project,) = recognize_projects([table]).projects
    assert [str(a) for a in (project.budget, project.fiscal_funds, project.other_funds)] == [
        "25.000000",
        "25.000000",
        "0.0000",
    ]


def test_a_blank_text_field_does_not_take_the_next_label() -> None:
    """Only an amount is looked for past blank columns: an empty 实施单位 is no "项目负责人"."""
    table = RawTable(
        rows=[
            ["项目名称", "援滇干部工作经费", "实施单位", "", "项目负责人", "张三"],
            ["年度资金总额：", "", "3.00", "其他资金", "", "0"],
            ["一级指标", "二级指标", "三级指标", "指标值", "", ""],
            ["产出指标", "数量指标", "保障援滇干部人数", "=2(人)", "", ""],
        ]
    )
    (project,) = recognize_projects([table]).projects
    assert (project.unit, project.budget, project.other_funds) == (None, Decimal("3.00"), Decimal("0"))
