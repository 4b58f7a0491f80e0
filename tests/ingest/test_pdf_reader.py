"""PdfReader on real layouts: continued tables joined, captions lifted, debris dropped, CJK wraps joined."""

from __future__ import annotations

from pathlib import Path

import pdfplumber
import pytest
from ingest_helpers import FIXTURES

from budgetsite.blocks import Heading, PageBreak, Paragraph, RawTable
from budgetsite.read import reader_for
from budgetsite.read.cjk import join_wrapped
from budgetsite.read.pdf import PdfReader

REAL = FIXTURES / "real"
JS_2017 = REAL / "01_JS_renda_bangongting_2017_budget.pdf"
JS_2019_NARRATIVE = REAL / "03a_JS_shengwei_bangongting_2019_budget_narrative.pdf"
SH_2024_FINAL = REAL / "11_SH_putuo_caizhengju_2024_dept_final.pdf"


@pytest.fixture(scope="module")
def js_2017() -> list:
    return PdfReader().read(JS_2017).blocks


def tables(blocks: list) -> list[RawTable]:
    return [b for b in blocks if isinstance(b, RawTable)]


def texts(blocks: list) -> list[str]:
    return [b.text for b in blocks if isinstance(b, Heading | Paragraph)]


def test_registry_picks_pdf_docx_xlsx_readers() -> None:
    assert type(reader_for(Path("a.PDF"))).__name__ == "PdfReader"
    assert type(reader_for(Path("a.docx"))).__name__ == "DocxReader"
    assert type(reader_for(Path("a.xlsx"))).__name__ == "XlsxReader"


def test_table_continued_over_three_pages_is_one_table(js_2017: list) -> None:
    # 01's 收支预算总表 starts on p7, goes on over p8 and ends on p9 ("收入合计 13,649.07 支出合计 13,649.07").
    summary = tables(js_2017)[0]
    assert summary.page == 7
    labels = [row[0] for row in summary.rows]
    assert labels[-1] == "收入合计"
    assert summary.rows[-1][1] == "13,649.07" and summary.rows[-1][-1] == "13,649.07"
    # The next table is p9's 收入预算总表, not a piece of this one.
    following = tables(js_2017)[1]
    assert (following.page, following.rows[1][0]) == (9, "收入总计")


def test_row_split_by_page_end_is_glued(js_2017: list) -> None:
    # p7 ends with "八、社会保障和就" | 1,608.51 and p8 starts with "业支出"; p8 ends "当 年 收 入", p9 starts "小计".
    cells = [cell for row in tables(js_2017)[0].rows for cell in row]
    assert "八、社会保障和就业支出" in cells
    assert "业支出" not in cells
    assert "当年收入小计" in cells


def test_title_and_unit_rows_inside_the_frame_become_paragraphs(js_2017: list) -> None:
    # 01 p7 draws "收支预算总表" and "部门： 江苏省人大常委会办公厅 单位：万元" inside the table frame.
    index = js_2017.index(tables(js_2017)[0])
    before = texts(js_2017[index - 2 : index])
    assert before[0] == "收支预算总表"
    assert "单位：万元" in before[1] and "江苏省人大常委会办公厅" in before[1]
    assert tables(js_2017)[0].rows[0] == ["收入", "收入", "支出", "支出", "支出", "支出"]


def test_merged_header_cells_are_expanded(js_2017: list) -> None:
    # 项目名称 spans two header rows; 功能分类 spans two columns.
    header = tables(js_2017)[0].rows[1:3]
    assert header[0][:4] == ["项目名称", "金额", "功能分类", "功能分类"]
    assert header[1][:4] == ["项目名称", "金额", "功能科目名称", "金额"]


def test_text_from_other_pages_outside_the_page_box_is_ignored(js_2017: list) -> None:
    # 01 (WPS) stores the text of later pages far below page 11's box; p11 holds one table only.
    page_11 = [b for b in tables(js_2017) if b.page == 11]
    assert len(page_11) == 1
    assert page_11[0].rows[-1][0] == "2210202"  # last row "2210202 提租补贴 1,018.01"


def test_page_numbers_are_dropped() -> None:
    # 03a prints a bare page number ("1" … "12") at the foot of pages 3–14.
    blocks = PdfReader().read(JS_2019_NARRATIVE).blocks
    assert not [t for t in texts(blocks) if t.strip().isdigit()]
    assert sum(isinstance(b, PageBreak) for b in blocks) == 13


def test_paragraph_lines_joined_without_stray_spaces(js_2017: list) -> None:
    # p3: "（一）在本省行政区域内，保证宪法、法律、行政法规" / "和上级人民代表大会及其常务委员会决议的遵守和执行；"
    assert (
        "（一）在本省行政区域内，保证宪法、法律、行政法规和上级人民代表大会及其常务委员会决议的遵守和执行；"
        in texts(js_2017)
    )
    # WPS pads digits beside Chinese: "2017 年度部门预算" is read "2017年度部门预算".
    assert any(t.startswith("江苏省人大常委会办公厅2017年度部门预算") for t in texts(js_2017))


def test_wrapped_cell_text_joined_for_cjk(js_2017: list) -> None:
    # p7 prints "一、财政" / "拨款" and "九、医疗卫生与计" / "划生育支出" on two lines in their cells.
    cells = [cell for row in tables(js_2017)[0].rows for cell in row]
    assert "一、财政拨款" in cells
    assert "九、医疗卫生与计划生育支出" in cells
    assert not [cell for cell in cells if "\n" in cell or " " in cell]


def test_numbers_set_lower_than_their_sentence_stay_in_it() -> None:
    # 11 p23 sets the digits in Times New Roman 5 pt below the FangSong text around them.
    blocks = PdfReader().read(SH_2024_FINAL).blocks
    assert any("基本支出决算情况说明" in t for t in texts(blocks))
    tables_11 = tables(blocks)
    totals = next(t for t in tables_11 if t.page == 6)
    assert totals.rows[-1] == ["总计", "2,995.39", "总计", "2,995.39"]


def test_join_wrapped_keeps_latin_spaces() -> None:
    assert join_wrapped(["衡水市信息产业中", "心小计"]) == "衡水市信息产业中心小计"
    assert join_wrapped(["471-0602-YBN-G1U", "W"]) == "471-0602-YBN-G1UW"
    assert join_wrapped(["Open budget,", "open data"]) == "Open budget, open data"


def test_unruled_table_found_by_whitespace_alignment() -> None:
    pdf = FIXTURES / "unruled_table.pdf"
    with pdfplumber.open(pdf) as document:  # no ruling at all: the table comes from alignment alone
        assert not document.pages[0].lines and not document.pages[0].find_tables()
    blocks = PdfReader().read(pdf).blocks
    (table,) = tables(blocks)
    assert table.rows[0] == ["科目编码", "科目名称", "合计", "基本支出", "项目支出"]
    assert table.rows[-1] == ["2150006", "支出项目6", "6.50", "6.00", "0.50"]
    assert "注：本表无边框，列靠空白对齐。" in texts(blocks)


def test_repeated_header_on_continuation_pages_dropped() -> None:
    pdf = FIXTURES / "table_split_across_pages.pdf"
    with pdfplumber.open(pdf) as document:
        assert len(document.pages) >= 2
        # Every page prints the running header above and "- N -" below the table.
        assert all(
            page.extract_text().startswith("某某县财政局2024年部门预算公开") for page in document.pages
        )
    blocks = PdfReader().read(pdf).blocks
    assert texts(blocks) == ["一般公共预算财政拨款基本支出表", "本表结束。"]  # header and footers gone
    (table,) = tables(blocks)
    assert table.page == 1
    assert len(table.rows) == 91  # 1 header + 90 rows, header printed once
    assert table.rows[0] == ["科目编码", "科目名称", "金额"]
    assert table.rows[-1] == ["30290", "公用经费项目90", "90.00"]
    assert [row[0] for row in table.rows[1:]] == [f"302{n:02d}" for n in range(1, 91)]


def test_paragraph_broken_by_page_end_is_joined(js_2017: list) -> None:
    # p2 ends "（七）监督本级人民政府、人民法院和人民检察院的工"; p3 begins "作，联系本级人民代表大会代表，…".
    joined = next(t for t in texts(js_2017) if t.startswith("（七）监督本级人民政府"))
    assert joined.startswith("（七）监督本级人民政府、人民法院和人民检察院的工作，联系本级人民代表大会代表，")
    assert not [t for t in texts(js_2017) if t.startswith("作，联系本级")]
