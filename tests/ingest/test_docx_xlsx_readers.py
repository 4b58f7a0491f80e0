"""DocxReader (headings, gridSpan/vMerge) and XlsxReader (one table per sheet, merges, exact numbers)."""

from __future__ import annotations

from pathlib import Path

import docx
import openpyxl
import pytest
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from ingest_helpers import FIXTURES

from budgetsite.blocks import Heading, Paragraph, RawTable
from budgetsite.errors import InputError
from budgetsite.read.docx import DocxReader
from budgetsite.read.xlsx import XlsxReader, exact_number


def test_docx_headings_and_merged_header_cells() -> None:
    blocks = DocxReader().read(FIXTURES / "hebei_xushui_2024.docx").blocks
    assert blocks[0] == Heading("部门预算收支总表", 1)
    table = next(b for b in blocks if isinstance(b, RawTable))
    # 001 prints "序号 | 收入 | 支出" over "| 项目 | 预算数 | 项目 | 预算数": 收入/支出 span two columns
    # (gridSpan), 序号 two rows (vMerge).
    assert table.rows[0] == ["序号", "收入", "收入", "支出", "支出"]
    assert table.rows[1] == ["序号", "项  目", "预算数", "项  目", "预算数"]


def test_docx_indicator_levels_merged_down_are_expanded() -> None:
    blocks = DocxReader().read(FIXTURES / "hebei_xushui_2024.docx").blocks
    indicators = next(b for b in blocks if isinstance(b, RawTable) and b.rows[0][0] == "一级指标")
    # 办公设备购置: 一级指标 产出指标 is one merged cell over its 数量/质量/时效/成本指标 rows.
    assert [row[0] for row in indicators.rows[1:8]] == ["产出指标"] * 7
    assert indicators.rows[8][0] == "效益指标"


def test_docx_grid_span_and_vmerge_built_by_hand(tmp_path: Path) -> None:
    document = docx.Document()
    document.add_heading("部门预算支出总表", level=2)
    table = document.add_table(rows=3, cols=3)
    top = table.cell(0, 0).merge(table.cell(1, 0))  # vMerge
    top.text = "科目编码"
    wide = table.cell(0, 1).merge(table.cell(0, 2))  # gridSpan
    wide.text = "支出"
    table.cell(1, 1).text, table.cell(1, 2).text = "基本支出", "项目支出"
    for cell, text in zip(table.rows[2].cells, ["201", "1.00", "2.00"], strict=True):
        cell.text = text
    path = tmp_path / "merged.docx"
    document.save(str(path))
    blocks = DocxReader().read(path).blocks
    assert blocks[0] == Heading("部门预算支出总表", 2)
    assert blocks[1] == RawTable(
        rows=[["科目编码", "支出", "支出"], ["科目编码", "基本支出", "项目支出"], ["201", "1.00", "2.00"]]
    )


def test_docx_outline_level_makes_a_heading(tmp_path: Path) -> None:
    document = docx.Document()
    paragraph = document.add_paragraph("二、部门预算安排的总体情况")
    outline = OxmlElement("w:outlineLvl")
    outline.set(qn("w:val"), "1")
    paragraph._p.get_or_add_pPr().append(outline)
    document.add_paragraph("正文。")
    path = tmp_path / "outline.docx"
    document.save(str(path))
    assert DocxReader().read(path).blocks == [Heading("二、部门预算安排的总体情况", 2), Paragraph("正文。")]


def test_docx_not_a_zip_is_one_line(tmp_path: Path) -> None:
    path = tmp_path / "broken.docx"
    path.write_bytes(b"PK\x03\x04 not really a zip")
    with pytest.raises(InputError) as error:
        DocxReader().read(path)
    assert "not a readable .docx" in error.value.line() and "\n" not in error.value.line()


def test_xlsx_one_table_per_sheet_with_title_paragraphs() -> None:
    blocks = XlsxReader().read(FIXTURES / "hebei_xushui_2024_tables.xlsx").blocks
    assert sum(isinstance(b, RawTable) for b in blocks) == 9
    assert blocks[:4] == [
        Paragraph("部门预算收支总表"),
        Paragraph("304保定市徐水区工业和信息化局"),
        Paragraph("预算年度：2024"),
        Paragraph("单位：万元"),
    ]
    table = blocks[4]
    assert isinstance(table, RawTable)
    assert table.rows[0] == ["序号", "收入", "收入", "支出", "支出"]  # merged cells expanded
    # Row "1 | 一、一般公共预算拨款收入 | 1673.35 | …": a numeric cell, read back with its printed digits.
    assert table.rows[3][:3] == ["1", "一、一般公共预算拨款收入", "1673.35"]


def test_xlsx_float_artefacts_never_appear(tmp_path: Path) -> None:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = "表1"
    sheet.append(["项目", "金额", "比例"])
    sheet.append(["合计", 0.1 + 0.2, 0.125])  # stored as 0.30000000000000004
    sheet.append(["其中", 1023.35, 5])
    sheet["B3"].number_format = "#,##0.00"
    sheet["C2"].number_format = "0.00%"
    sheet["C3"].number_format = "0.00"
    path = tmp_path / "floats.xlsx"
    workbook.save(path)
    blocks = XlsxReader().read(path).blocks
    assert blocks[0] == Paragraph("表1")  # no title row: the sheet name stands in
    assert blocks[1] == RawTable(
        rows=[["项目", "金额", "比例"], ["合计", "0.3", "12.50%"], ["其中", "1023.35", "5.00"]]
    )


@pytest.mark.parametrize(
    ("value", "number_format", "printed"),
    [
        (0.1 + 0.2, "General", "0.3"),
        (0.1 + 0.2, "0.00", "0.30"),
        (1023.3499999999999, "General", "1023.35"),
        (96282213.44, "#,##0.00", "96282213.44"),
        (2, "General", "2"),
    ],
)
def test_exact_number(value: float, number_format: str, printed: str) -> None:
    assert exact_number(value, number_format) == printed


def test_xlsx_corrupt_is_one_line(tmp_path: Path) -> None:
    path = tmp_path / "broken.xlsx"
    path.write_bytes(b"\xd0\xcf\x11\xe0 an encrypted OLE container, not a zip")
    with pytest.raises(InputError) as error:
        XlsxReader().read(path)
    assert "not a readable .xlsx workbook" in error.value.line()


def test_docx_automatic_chinese_numbering_is_rendered(tmp_path: Path) -> None:
    from docx.oxml import parse_xml

    w = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
    document = docx.Document()
    numbering = document.part.numbering_part.element
    # Headings numbered by Word itself: "一、" at level 0, "（一）" at level 1 — not part of the text.
    numbering.append(
        parse_xml(
            f'<w:abstractNum {w} w:abstractNumId="90">'
            '<w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="chineseCounting"/><w:lvlText w:val="%1、"/></w:lvl>'
            '<w:lvl w:ilvl="1"><w:start w:val="1"/><w:numFmt w:val="chineseCounting"/><w:lvlText w:val="（%2）"/></w:lvl>'
            "</w:abstractNum>"
        )
    )
    numbering.append(parse_xml(f'<w:num {w} w:numId="90"><w:abstractNumId w:val="90"/></w:num>'))

    def numbered(text: str, level: int) -> None:
        paragraph = document.add_paragraph(text)
        paragraph._p.get_or_add_pPr().append(
            parse_xml(f'<w:numPr {w}><w:ilvl w:val="{level}"/><w:numId w:val="90"/></w:numPr>')
        )

    numbered("部门职责及机构设置情况", 0)
    numbered("部门职责", 1)
    numbered("机构设置", 1)
    numbered("部门预算安排的总体情况", 0)
    numbered("收入说明", 1)
    path = tmp_path / "numbered.docx"
    document.save(str(path))
    assert [b.text for b in DocxReader().read(path).blocks] == [
        "一、部门职责及机构设置情况",
        "（一）部门职责",
        "（二）机构设置",
        "二、部门预算安排的总体情况",
        "（一）收入说明",
    ]


def test_chinese_numbers() -> None:
    from budgetsite.read.docx_numbering import chinese_number

    assert [chinese_number(n) for n in (1, 10, 11, 20, 21, 99, 100, 105, 110)] == [
        "一", "十", "十一", "二十", "二十一", "九十九", "一百", "一百零五", "一百一十",
    ]  # fmt: skip
