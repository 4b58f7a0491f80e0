"""Audit variant: a county bureau's 2022 部门决算 in the PDF-to-text layout.

tests/fixtures/variant_final_county_2022.txt differs from every sample the way real county files do: a
决算 (final accounts) title and table set, amounts in 元 with thousands separators, a "公开NN表" tag line
under each table title, a table continued on the next page with its title, tag, unit and header printed
again, cells wrapped with a stray space ("其他商品和服务 支出", "隆尧县科技创新服务中 心") or onto a line of
their own ("对个人和家庭的" / "补助"), three units in 机构设置, an empty 决算 table with its note, and the
document organized in 第X部分 parts. Comments quote the fixture lines.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from budgetsite.blocks import Heading, Paragraph, RawTable
from budgetsite.check import run_checks
from budgetsite.model import Disclosure, Table
from budgetsite.read.text import TextReader
from budgetsite.recognize import recognize
from budgetsite.recognize.metadata import recognize_metadata
from budgetsite.recognize.sections import recognize_sections
from budgetsite.recognize.tables import recognize_tables

FIXTURE = Path(__file__).parent.parent / "fixtures" / "variant_final_county_2022.txt"
D = Decimal


@pytest.fixture(scope="module")
def disclosure() -> Disclosure:
    return recognize(TextReader().read(FIXTURE).blocks, source_name=FIXTURE.name)


@pytest.fixture(scope="module")
def tables(disclosure: Disclosure) -> dict[str, Table]:
    return {t.id: t for t in disclosure.tables}


def value(table: Table, match_key: str, match: str, key: str):
    keys = [c.key for c in table.columns]
    row = next(r for r in table.rows if r[keys.index(match_key)] == match)
    return row[keys.index(key)]


def test_metadata_of_a_final_accounts_file(disclosure):
    # "隆尧县科学技术和工业信息化局" / "2022 年度部门决算公开情况说明"
    assert disclosure.department == "隆尧县科学技术和工业信息化局"
    assert disclosure.year == 2022
    assert disclosure.kind == "final-accounts"


def test_every_table_found_under_its_final_accounts_id(tables):
    assert {tid: len(t.rows) for tid, t in tables.items()} == {
        "institutions": 3,
        "income-expenditure-final": 7,
        "general-public-budget-basic-expenditure-final": 9,  # 5 rows on the first page, 4 on the next
        "government-fund-final": 0,
    }


def test_tag_line_under_the_title_does_not_replace_it(tables):
    # "收入支出决算总表" / "公开01表" / "编制单位：隆尧县科学技术和工业信息化局" / "单位：元"
    summary = tables["income-expenditure-final"]
    assert summary.title == "收入支出决算总表"
    assert summary.unit == "元"
    assert summary.unit_name == "隆尧县科学技术和工业信息化局"
    assert [c.key for c in summary.columns] == [
        "income_item",
        "income_amount",
        "expenditure_item",
        "expenditure_amount",
    ]
    # "一、一般公共预算财政拨款收入	2,345,678.90	一、一般公共服务支出	"
    assert value(summary, "income_item", "一、一般公共预算财政拨款收入", "income_amount") == D("2345678.90")
    # "四、上级补助收入		四、资源勘探工业信息等支出	1,245,678.90"
    assert value(summary, "expenditure_item", "四、资源勘探工业信息等支出", "expenditure_amount") == D(
        "1245678.90"
    )
    # "总计	2,345,678.90	总计	2,345,678.90"
    assert value(summary, "income_item", "总计", "expenditure_amount") == D("2345678.90")


def test_table_whose_title_is_printed_again_on_the_next_page_is_one_table(tables):
    basic = tables["general-public-budget-basic-expenditure-final"]
    assert basic.title == "一般公共预算财政拨款基本支出决算表"
    assert [c.key for c in basic.columns] == ["economic_code", "name", "total", "personnel", "public"]
    codes = [row[0] for row in basic.rows]
    assert codes == [None, "301", "30101", "30102", "302", "30201", "30299", "303", "30302"]
    # "	合计	1,345,678.90	1,200,000.00	145,678.90"
    assert basic.rows[0][1:] == ["合计", D("1345678.90"), D("1200000.00"), D("145678.90")]
    # second page: "30299	其他商品和服务 支出	100,000.00		100,000.00" — the wrap's space removed
    assert value(basic, "economic_code", "30299", "name") == "其他商品和服务支出"
    assert value(basic, "economic_code", "30299", "personnel") is None
    assert value(basic, "economic_code", "30299", "public") == D("100000.00")
    # "303	对个人和家庭的	100,000.00	100,000.00	" / "	补助			": the wrap printed as a row of its own
    assert value(basic, "economic_code", "303", "name") == "对个人和家庭的补助"
    # "30302	退休费	100,000.00	100,000.00	"
    assert value(basic, "economic_code", "30302", "personnel") == D("100000.00")


def test_empty_final_accounts_table_keeps_its_note(tables):
    fund = tables["government-fund-final"]
    assert fund.title == "政府性基金预算财政拨款收入支出决算表"
    assert fund.rows == []
    assert fund.note == "注：本单位2022年度无政府性基金预算财政拨款收入、支出，故本表为空表。"


def test_three_institutions_with_a_wrapped_name(tables):
    institutions = tables["institutions"]
    # "隆尧县科技创新服务中 心	事业	股级	财政拨款"
    assert [row[0] for row in institutions.rows] == [
        "隆尧县科学技术和工业信息化局本级",
        "隆尧县科技创新服务中心",
        "隆尧县中小企业服务中心",
    ]
    assert value(institutions, "name", "隆尧县中小企业服务中心", "funding_form") == "财政性资金基本保证"


def test_checks_find_no_false_failure(disclosure):
    # The fixture's tables balance: 合计 1,345,678.90 = 301 1,100,000.00 + 302 145,678.90 + 303 100,000.00.
    failed = [c.message for c in run_checks(disclosure) if c.status == "fail"]
    assert failed == []


def test_parts_do_not_leak_into_the_section_before_them(disclosure):
    by_title = {s.title: s for s in disclosure.sections}
    duties = by_title["部门职责及机构设置情况"]
    # "第二部分 2022年度部门决算表" / "第三部分 2022年度部门决算情况说明" are not sub-headings of 一、
    assert "部分" not in duties.markdown
    tables_part = by_title["2022年度部门决算表"]
    # the title printed again on the table's second page is one reference, not two
    assert tables_part.markdown.split("\n\n") == [
        "（见表：收入支出决算总表）",
        "（见表：一般公共预算财政拨款基本支出决算表）",
        "（见表：政府性基金预算财政拨款收入支出决算表）",
    ]
    # "2022年度收入总计2,345,678.90元，支出总计2,345,678.90元。…"
    overview = by_title["收入支出决算总体情况说明"]
    assert overview.markdown.startswith("2022年度收入总计2,345,678.90元")


def test_tag_line_above_the_title_is_a_caption_too():
    # Other files print the tag first: "公开02表" / "收入决算表" / "单位：元".
    blocks = [
        Paragraph("公开02表"),
        Paragraph("收入决算表"),
        Paragraph("单位：元"),
        RawTable(
            [
                ["科目编码", "科目名称", "合计"],
                ["", "合计", "1,000.00"],
                ["215", "资源勘探工业信息等支出", "1,000.00"],
            ]
        ),
    ]
    result = recognize_tables(blocks)
    assert [(t.id, t.title, t.unit) for t in result.tables] == [("income-final", "收入决算表", "元")]
    assert result.used == {0, 1, 2, 3}


def test_table_of_contents_after_a_title_that_names_a_section():
    # 11_SH (决算): the title "…2024年度部门决算" reads like a section heading; the 目录 after it is no body.
    blocks = [
        Heading("上海市某区某局2024年度部门决算"),
        Heading("目录"),
        Heading("第一部分某局概况"),
        Paragraph("一、主要职能"),
        Paragraph("二、部门决算单位构成"),
        Heading("第二部分某局2024年度部门决算情况说明"),
        Paragraph("一、收入支出决算总体情况说明"),
        Heading("第一部分某局概况"),
        Heading("一、主要职能"),
        Paragraph("某局是主管全区某项工作的区政府工作部门。"),
        Heading("二、部门决算单位构成"),
        Paragraph("本部门决算包括本级决算。"),
    ]
    sections = recognize_sections(blocks, set(), title="上海市某区某局2024年度部门决算")
    assert [(s.number, s.title) for s in sections] == [("一", "主要职能"), ("二", "部门决算单位构成")]
    assert "目录" not in "".join(s.markdown for s in sections)


def test_first_body_row_without_amounts_is_not_taken_for_a_header_row():
    # A 收支决算总表 whose first line has no amount on either side: its labels are data, not column labels.
    grid = [
        ["收入", "", "支出", ""],
        ["项目", "决算数", "项目", "决算数"],
        ["一、一般公共预算财政拨款收入", "", "一、一般公共服务支出", ""],
        ["二、上级补助收入", "", "二、科学技术支出", "100.00"],
        ["本年收入合计", "100.00", "本年支出合计", "100.00"],
    ]
    (table,) = recognize_tables([Paragraph("收入支出决算总表"), Paragraph("单位：元"), RawTable(grid)]).tables
    assert [c.label for c in table.columns] == [
        "收入 / 项目",
        "收入 / 决算数",
        "支出 / 项目",
        "支出 / 决算数",
    ]
    assert [row[0] for row in table.rows] == [
        "一、一般公共预算财政拨款收入",
        "二、上级补助收入",
        "本年收入合计",
    ]


def test_line_numbers_of_the_final_accounts_template_stay_text():
    # MoF 公开01表: "项目 | 行次 | 金额" on each side; 行次 numbers the lines, it is no amount.
    grid = [
        ["收入", "", "", "支出", "", ""],
        ["项目", "行次", "金额", "项目", "行次", "金额"],
        ["栏次", "", "1", "栏次", "", "2"],
        ["一、一般公共预算财政拨款收入", "1", "2,345,678.90", "一、一般公共服务支出", "32", ""],
        ["本年收入合计", "6", "2,345,678.90", "本年支出合计", "61", "2,345,678.90"],
    ]
    (table,) = recognize_tables([Paragraph("收入支出决算总表"), RawTable(grid)]).tables
    assert [c.key for c in table.columns] == [
        "income_item",
        "income_line_no",
        "income_amount",
        "expenditure_item",
        "expenditure_line_no",
        "expenditure_amount",
    ]
    assert table.rows[1] == ["本年收入合计", "6", D("2345678.90"), "本年支出合计", "61", D("2345678.90")]


@pytest.mark.parametrize(
    ("lines", "department", "title"),
    [
        # a title phrased as "关于…的说明": the preposition is not part of the department's name
        (
            ["关于隆尧县科学技术和工业信息化局2022年度部门决算的说明"],
            "隆尧县科学技术和工业信息化局",
            "隆尧县科学技术和工业信息化局2022年度部门决算的说明",
        ),
        # a cover page printing the department on the line after the year title
        (
            ["2022年度部门决算", "隆尧县科学技术和工业信息化局"],
            "隆尧县科学技术和工业信息化局",
            "隆尧县科学技术和工业信息化局2022年度部门决算",
        ),
    ],
)
def test_department_of_other_title_phrasings(lines, department, title):
    meta = recognize_metadata([Heading(line) for line in lines] + [Paragraph("一、部门职责：负责全县工作。")])
    assert (meta.department, meta.year, meta.kind, meta.title) == (department, 2022, "final-accounts", title)
    assert meta.region == ["隆尧县"]
