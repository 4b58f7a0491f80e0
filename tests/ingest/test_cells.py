"""Cell normalization, title catalog and header flattening on small hand-made inputs."""

from __future__ import annotations

from decimal import Decimal

import pytest

from budgetsite.blocks import Paragraph, RawTable
from budgetsite.recognize.catalog import match_title
from budgetsite.recognize.cells import clean_cell_text, flatten_label, parse_cell, parse_number
from budgetsite.recognize.tables import recognize_tables


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1,234.50", "1234.50"),
        ("96,282,213.44", "96282213.44"),
        ("1023.35", "1023.35"),
        ("0.06", "0.06"),
        ("100.00", "100.00"),
        ("-5.00", "-5.00"),
        (" 17.03 ", "17.03"),
        ("１２.５０", "12.50"),
        # PDF text layers spell a negative change with U+2212 MINUS SIGN or a full-width plus/minus
        ("\u2212140.06", "-140.06"),
        ("＋5.00", "5.00"),
    ],
)
def test_numbers_keep_printed_digits(text, expected):
    value = parse_cell(text)
    assert isinstance(value, Decimal)
    assert str(value) == expected


@pytest.mark.parametrize("text", ["", " ", "—", "-", "－", "——", "\u3000", "\u2212"])
def test_dashes_and_blanks_are_null(text):
    assert parse_cell(text) is None


def test_not_numbers():
    assert parse_number("1,23.4") is None
    assert parse_number("63%") is None
    assert parse_cell("63%") == "63%"
    assert parse_cell("≥90%") == "≥90%"


def test_codes_and_seq_stay_strings():
    assert parse_cell("2150805", text_only=True) == "2150805"
    assert parse_cell("30217", text_only=True) == "30217"
    assert parse_cell("1", text_only=True) == "1"
    assert parse_cell("A0201 0105", text_only=True) == "A02010105"
    assert parse_cell("2150805") == Decimal("2150805")  # only the column decides


def test_wrap_spaces_removed():
    # 000 line 385: "衡水市信息产业中 心小计"; 000 line 386: "中小企业发展专项 （促进中小企业发 展）"
    assert parse_cell("衡水市信息产业中 心小计") == "衡水市信息产业中心小计"
    assert parse_cell("中小企业发展专项 （促进中小企业发 展）") == "中小企业发展专项（促进中小企业发展）"
    assert parse_cell("471-0602-YBN-G1U W") == "471-0602-YBN-G1UW"
    # 002 line 746: PDF kerning around digits
    assert clean_cell_text("3、单价在 20 万元以上的设备") == "3、单价在20万元以上的设备"
    # but an enumerator keeps its separating space, and Latin words keep theirs
    assert clean_cell_text("1、及时支付 2、足额支付") == "1、及时支付 2、足额支付"
    assert clean_cell_text("Wi-Fi router") == "Wi-Fi router"


def test_flatten_label():
    assert flatten_label(["本年收入", "财政拨款 收入"]) == "本年收入 / 财政拨款收入"
    assert flatten_label(["合计", ""]) == "合计"
    assert flatten_label(["资 金 性 质", "资 金 性 质"]) == "资金性质"


@pytest.mark.parametrize(
    ("title", "table_id"),
    [
        ("部门预算收支总表", "income-expenditure-summary"),
        ("收支预算总表", "income-expenditure-summary"),
        ("1. 2026年部门财务收支预算总表", "income-expenditure-summary"),
        ("公开01表 部门收支总表", "income-expenditure-summary"),
        ("2024年部门收支总表（公开01表）", "income-expenditure-summary"),
        ("部门预算收入总表", "income-summary"),
        ("部门预算支出总表", "expenditure-summary"),
        ("四、财政拨款收支预算总表", "fiscal-appropriation-summary"),
        ("部门预算一般公共预算财政拨款支出表", "general-public-budget-expenditure"),
        ("部门预算一般公共预算财政拨款基本支出表", "general-public-budget-basic-expenditure"),
        ("一般公共预算基本支出预算表（经济科目）", "general-public-budget-basic-expenditure"),
        ("部门预算政府基金预算财政拨款支出表", "government-fund-expenditure"),
        ("部门预算政府性基金预算财政拨款支出表", "government-fund-expenditure"),
        ("部门预算国有资本经营预算财政拨款支出表", "state-capital-expenditure"),
        ("部门预算财政拨款“三公”经费支出表", "three-public-expenses"),
        ('财政拨款"三公"经费支出表', "three-public-expenses"),
        ("部门政府采购预算", "procurement"),
        ("2019年政府采购预算表", "procurement"),
        ("衡水市市直部门固定资产占用情况表", "fixed-assets"),
        ("部门机构设置情况", "institutions"),
    ],
)
def test_title_variants(title, table_id):
    assert match_title(title) == table_id


@pytest.mark.parametrize(
    "text",
    [
        "一、收支预算总表情况说明",
        "六、政府采购预算情况",
        "1、办公楼租赁费绩效目标表",
        "二、部门预算安排的总体情况",
    ],
)
def test_narrative_lines_are_not_table_titles(text):
    assert match_title(text) is None


def test_collapsed_word_header_is_spread_over_its_columns():
    # 001 lines 744-756: Word collapses merged cells, "收入" spans 项目/金额 and "支出" spans five columns
    blocks = [
        Paragraph("部门预算财政拨款收支总表"),
        RawTable(
            [
                ["序号", "收入", "支出"],
                ["", "项  目", "金额", "项  目", "合计", "一般公共预算财政拨款", "政府性基金", "国有资本"],
                ["栏次", "1", "2", "3", "4", "5", "6", "7"],
                ["1", "一、一般公共预算拨款", "10.00", "一、一般公共服务支出", "10.00", "10.00", "", ""],
            ]
        ),
    ]
    table = recognize_tables(blocks).tables[0]
    assert [c.label for c in table.columns] == [
        "序号",
        "收入 / 项目",
        "收入 / 金额",
        "支出 / 项目",
        "支出 / 合计",
        "支出 / 一般公共预算财政拨款",
        "支出 / 政府性基金",
        "支出 / 国有资本",
    ]
    assert [c.key for c in table.columns][:5] == [
        "seq",
        "income_item",
        "income_amount",
        "expenditure_item",
        "expenditure_total",
    ]
    assert table.rows == [
        [
            "1",
            "一、一般公共预算拨款",
            Decimal("10.00"),
            "一、一般公共服务支出",
            Decimal("10.00"),
            Decimal("10.00"),
            None,
            None,
        ]
    ]


def test_grid_header_labels_fill_right_only_over_sub_labels():
    # 002 lines 94-96: a PDF grid leaves "本年收入" in its first column only
    blocks = [
        Paragraph("部门预算收入总表"),
        RawTable(
            [
                ["序号", "功能分类科目", "", "合计", "本年收入", "", "上年结转"],
                ["", "科目编码", "科目名称", "", "小计", "财政拨款收入", ""],
                ["栏次", "1", "2", "3", "4", "5", "6"],
                ["1", "", "合计", "5.00", "4.00", "4.00", "1.00"],
                ["2", "2150805", "中小企业发展专项", "5.00", "4.00", "4.00", "1.00"],
            ]
        ),
    ]
    table = recognize_tables(blocks).tables[0]
    assert [c.label for c in table.columns] == [
        "序号",
        "功能分类科目 / 科目编码",
        "功能分类科目 / 科目名称",
        "合计",
        "本年收入 / 小计",
        "本年收入 / 财政拨款收入",
        "上年结转",
    ]
    assert table.columns[1].key == "function_code"
    assert table.rows[1][:3] == ["2", "2150805", "中小企业发展专项"]


def test_code_and_name_in_one_cell_get_their_own_columns():
    # Some templates print "2150805 中小企业发展专项" in one 科目 column: the code still gets its own column.
    blocks = [
        Paragraph("一般公共预算支出表"),
        RawTable(
            [
                ["功能分类科目", "合计", "基本支出", "项目支出"],
                ["合计", "8.00", "3.00", "5.00"],
                ["215 资源勘探工业信息等支出", "8.00", "3.00", "5.00"],
                ["2150805 中小企业发展专项", "5.00", "", "5.00"],
            ]
        ),
    ]
    table = recognize_tables(blocks).tables[0]
    assert table.id == "general-public-budget-expenditure"
    assert [c.key for c in table.columns] == ["function_code", "name", "total", "basic", "project"]
    assert table.rows[0] == [None, "合计", Decimal("8.00"), Decimal("3.00"), Decimal("5.00")]
    assert table.rows[2] == ["2150805", "中小企业发展专项", Decimal("5.00"), None, Decimal("5.00")]


def test_codes_split_over_lei_kuan_xiang_are_joined():
    blocks = [
        Paragraph("一般公共预算支出表"),
        RawTable(
            [
                ["科目编码", "", "", "科目名称", "合计"],
                ["类", "款", "项", "", ""],
                ["215", "", "", "资源勘探工业信息等支出", "8.00"],
                ["215", "05", "", "工业和信息产业监管", "8.00"],
                ["215", "05", "01", "行政运行", "8.00"],
            ]
        ),
    ]
    table = recognize_tables(blocks).tables[0]
    assert table.columns[0].key == "function_code"
    assert [row[0] for row in table.rows] == ["215", "21505", "2150501"]


def test_pdf_style_expanded_merged_cells_and_one_line_caption():
    # The PDF reader repeats a merged cell's text in every cell it covers (Jiangsu 03b, page 5):
    # "部门：中共江苏省委办公厅 单位：万元" above, "合计" spread over 编码 and 名称.
    blocks = [
        Paragraph("一般公共预算支出预算表（功能科目）"),
        Paragraph("部门：中共江苏省委办公厅 单位：万元"),
        RawTable(
            [
                ["功能科目编码", "功能科目名称", "金额"],
                ["合计", "合计", "27,664.22"],
                ["201", "一般公共服务支出", "22,395.50"],
                ["20131", "党委办公厅（室）及相关机构事务", "22,395.50"],
            ]
        ),
    ]
    result = recognize_tables(blocks)
    table = result.tables[0]
    assert table.id == "general-public-budget-expenditure"
    assert (table.unit, table.unit_name) == ("万元", "中共江苏省委办公厅")
    assert table.columns[0].key == "function_code"
    assert table.rows[0] == [None, "合计", Decimal("27664.22")]
    assert table.rows[2] == ["20131", "党委办公厅（室）及相关机构事务", Decimal("22395.50")]
    assert result.used == {0, 1, 2}


def test_a_second_table_under_a_known_title_gets_a_numbered_id():
    # It keeps its title; "other-N" is only for a table that prints none (issue 9).
    grid = [["科目名称", "合计"], ["合计", "1.00"]]
    blocks = [
        Paragraph("部门预算支出总表"),
        RawTable(grid),
        Paragraph("说明文字。"),
        Paragraph("支出预算总表"),
        RawTable(grid),
    ]
    tables = recognize_tables(blocks).tables
    assert [t.id for t in tables] == ["expenditure-summary", "expenditure-summary-2"]
    assert tables[1].title == "支出预算总表"


def test_title_caption_and_note_rows_inside_the_grid():
    # DOCX/XLSX sources keep the title, the caption and the 注 line inside the table grid.
    blocks = [
        RawTable(
            [
                ["部门预算政府性基金预算财政拨款支出表", "", ""],
                ["304保定市徐水区工业和信息化局", "预算年度：2024", "单位：万元"],
                ["科目编码", "科目名称", "合计"],
                ["", "", ""],
                ["注：无政府性基金预算财政拨款预算，空表列示。", "", ""],
            ]
        )
    ]
    table = recognize_tables(blocks).tables[0]
    assert table.id == "government-fund-expenditure"
    assert table.title == "部门预算政府性基金预算财政拨款支出表"
    assert (table.unit, table.unit_name) == ("万元", "304保定市徐水区工业和信息化局")
    assert [c.key for c in table.columns] == ["function_code", "name", "total"]
    assert table.rows == []
    assert table.note == "注：无政府性基金预算财政拨款预算，空表列示。"


def test_title_on_the_unit_line():
    blocks = [
        Paragraph("部门预算收支总表 单位：万元"),
        RawTable([["项目", "预算数"], ["收入总计", "5.00"]]),
    ]
    result = recognize_tables(blocks)
    assert [(t.id, t.title, t.unit) for t in result.tables] == [
        ("income-expenditure-summary", "部门预算收支总表", "万元")
    ]
    assert result.used == {0, 1}
