"""recognize.layouts: Shanghai 类/款/项 headers and 决算 预算数/决算数 headers (rows as the PDF reader gives them)."""

from __future__ import annotations

from budgetsite.recognize.layouts import header_end, split_code_label_row

# 11 p8 收入决算表: the 类/款/项 labels share a grid row with the 合计 data row.
INCOME_FINAL = [
    ["项目", "项目", "项目", "项目", "本年收入合计", "财政拨款收入", "其他收入"],
    ["支出功能分类", "支出功能分类", "支出功能分类", "科目名称", "本年收入合计", "财政拨款收入", "其他收入"],
    ["科目编码", "科目编码", "科目编码", "科目名称", "本年收入合计", "财政拨款收入", "其他收入"],
    ["类", "款", "项", "合计", "2,946.25", "2,940.05", "6.20"],
    ["201", "", "", "一般公共服务支出", "2,112.86", "2,106.66", "6.20"],
]


def test_code_label_row_with_data_is_split_into_header_and_total_row() -> None:
    rows = split_code_label_row(INCOME_FINAL)
    assert rows[3] == ["类", "款", "项", "科目名称", "本年收入合计", "财政拨款收入", "其他收入"]
    assert rows[4] == ["", "", "", "合计", "2,946.25", "2,940.05", "6.20"]
    assert rows[5] == INCOME_FINAL[4]
    assert header_end(rows) == 4


def test_empty_table_header_ends_at_code_label_row() -> None:
    # 06a p17 政府性基金预算支出功能分类预算表: header only, then "无" and blank rows.
    rows = [
        ["项目", "项目", "项目", "项目", "政府性基金预算支出", "政府性基金预算支出", "政府性基金预算支出"],
        [
            "功能分类科目编码",
            "功能分类科目编码",
            "功能分类科目编码",
            "功能分类科目名称",
            "合计",
            "基本支出",
            "项目支出",
        ],
        ["类", "款", "项", "功能分类科目名称", "合计", "基本支出", "项目支出"],
        ["无", "", "", "", "", "", ""],
    ]
    assert split_code_label_row(rows) == rows
    assert header_end(rows) == 3


def test_measure_row_ends_a_final_accounts_header() -> None:
    # 11 p18 财政拨款“三公”经费支出决算表: four header rows, the last "预算数 | 决算数 | …".
    rows = [
        ["财政拨款“三公”经费"] * 4,
        ["合计", "合计", "公务接待费", "公务接待费"],
        ["", "", "公务接待费", "公务接待费"],
        ["预算数", "决算数", "预算数", "决算数"],
        ["0.95", "", "0.95", ""],
    ]
    assert header_end(rows) == 4


def test_other_layouts_are_left_alone() -> None:
    rows = [["科目编码", "科目名称", "金额"], ["", "合计", "7,666.68"], ["301", "工资福利支出", "2,928.98"]]
    assert split_code_label_row(rows) == rows
    assert header_end(rows) is None
