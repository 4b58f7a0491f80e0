"""TextReader: layout detection, blocks per layout, encodings and bad input."""

from __future__ import annotations

import codecs
import time
from pathlib import Path

import pytest

from budgetsite.blocks import Heading, PageBreak, Paragraph, RawTable
from budgetsite.errors import InputError
from budgetsite.read import reader_for
from budgetsite.read.encoding import decode_bytes
from budgetsite.read.text import TextReader
from budgetsite.recognize.tables import recognize_tables
from samples import SAMPLES

S000 = SAMPLES / "000_8f224ed89935fe50.txt"
S001 = SAMPLES / "001_8bf267248edeb530.txt"
S002 = SAMPLES / "002_ae784f8ae38a492c.txt"


def _tables(blocks):
    return [b for b in blocks if isinstance(b, RawTable)]


def _texts(blocks):
    return [b.text for b in blocks if isinstance(b, Heading | Paragraph)]


def test_reader_registered_for_txt_and_md():
    assert isinstance(reader_for(Path("x.txt")), TextReader)
    assert isinstance(reader_for(Path("x.md")), TextReader)
    assert TextReader().read(S000).format == "text"


def test_pipe_layout_000_rows_without_rule_line():
    blocks = TextReader().read(S000).blocks
    institutions = _tables(blocks)[0]
    # 000 lines 23-28: | 单位名称 | 单位性质 | 单位规格 | 经费保障形式 | / |----| / 4 unit rows
    assert institutions.rows[0] == ["单位名称", "单位性质", "单位规格", "经费保障形式"]
    assert len(institutions.rows) == 5
    assert institutions.rows[4] == ["衡水市企业咨询服务中心", "事业", "科级", ""]
    assert not any(cell.startswith("---") for table in _tables(blocks) for row in table.rows for cell in row)
    # the table title is its own paragraph just before the table
    index = blocks.index(institutions)
    assert blocks[index - 1] == Paragraph("部门机构设置情况")


def test_word_layout_001_cells_rows_and_headings():
    blocks = TextReader().read(S001).blocks
    # line 1: " [bookmark: _Toc_2_2_0000000001]部门预算收支总表" → a heading without the bookmark
    assert blocks[0] == Heading("部门预算收支总表", level=1)
    # lines 2-4: the caption row of the Word table becomes paragraphs, like the other layouts
    assert blocks[1:4] == [
        Paragraph("304保定市徐水区工业和信息化局"),
        Paragraph("预算年度：2024"),
        Paragraph("单位：万元"),
    ]
    table = blocks[4]
    assert isinstance(table, RawTable)
    assert table.rows[0] == ["序号", "收入", "支出"]  # merged cells collapsed (lines 6-8)
    assert table.rows[1] == ["", "项  目", "预算数", "项  目", "预算数"]  # line 10: lone tab = empty cell
    assert table.rows[3] == ["1", "一、一般公共预算拨款收入", "1673.35", "一、一般公共服务支出", ""]
    assert len(table.rows) == 3 + 34
    texts = _texts(blocks)
    assert "page number" not in texts  # lines 228-229 are converter debris
    assert "一、部门职责及机构设置情况" in [b.text for b in blocks if isinstance(b, Heading)]
    assert not any("[bookmark" in text for text in texts)


def test_word_layout_001_multi_paragraph_cell_joined():
    blocks = TextReader().read(S001).blocks
    # lines 1726-1731: "\t绩效目标" "\t1.购买部分办公设备…" then "2.购买A3多功能数码一体机1台；" … without tabs
    goal_rows = [row for t in _tables(blocks) for row in t.rows if row and row[0] == "绩效目标"]
    first = goal_rows[0][1]
    assert first.startswith("1.购买部分办公设备")
    assert first.endswith("5.购买活动板房1间。")
    assert first.count("\n") == 4


def test_tsv_layout_002_toc_dropped_and_trailing_empty_cells_kept():
    blocks = TextReader().read(S002).blocks
    texts = _texts(blocks)
    # lines 7-28: "部门预算收支总表..... \t 3" is a table of contents, not a heading or a table
    assert not any("....." in text for text in texts)
    assert texts[0] == "2023 年部门预算信息公开目录"
    tables = _tables(blocks)
    assert tables[0].rows[0] == ["序号", "收入", "", "支出", ""]  # line 38, trailing tab = empty cell
    assets = tables[-1]
    # line 746: "3、单价在 20 万元以上的设备\t\t" — a row with two empty cells, not a paragraph
    assert ["3、单价在 20 万元以上的设备", "", ""] in assets.rows
    # line 646: "\t\t\t\t\t工业转型升级…" — leading tabs are empty cells of a row, not indentation
    assert any(
        row[:5] == [""] * 5 and row[5].startswith("工业转型升级建设") for t in tables for row in t.rows
    )


def test_plain_text_and_form_feeds_give_paragraphs_and_page_breaks():
    blocks = TextReader.read_text("第一页的说明\n\n表\t1\t2\n合计\t3\t4\f第二页\n")
    assert blocks[0] == Paragraph("第一页的说明", page=1)
    assert isinstance(blocks[1], RawTable) and blocks[1].rows == [["表", "1", "2"], ["合计", "3", "4"]]
    assert blocks[2] == PageBreak(2)
    assert blocks[3] == Paragraph("第二页", page=2)


def test_markdown_heading_is_a_heading():
    blocks = TextReader.read_text("# 部门预算\n\n正文一段。\n")
    assert blocks == [Heading("部门预算", level=1), Paragraph("正文一段。")]


@pytest.mark.parametrize("sample", [S000, S001, S002], ids=["000", "001", "002"])
@pytest.mark.parametrize(
    "encode",
    [
        lambda text: text.encode("gbk"),
        lambda text: text.encode("gb18030"),
        lambda text: codecs.BOM_UTF8 + text.encode("utf-8"),
        lambda text: codecs.BOM_UTF16_LE + text.encode("utf-16-le"),
        lambda text: text.encode("utf-16-le"),
        lambda text: text.encode("utf-16-be"),
        lambda text: text.replace("\n", "\r\n").encode("utf-8"),
    ],
    ids=["gbk", "gb18030", "utf8-bom", "utf16le-bom", "utf16le", "utf16be", "crlf"],
)
def test_other_encodings_read_to_identical_blocks(tmp_path, sample, encode):
    original = TextReader().read(sample).blocks
    copy = tmp_path / sample.name
    copy.write_bytes(encode(sample.read_text(encoding="utf-8")))
    assert TextReader().read(copy).blocks == original


def test_empty_file_is_one_clear_error(tmp_path):
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    with pytest.raises(InputError) as error:
        TextReader().read(empty)
    assert "empty" in error.value.line() and "empty.txt" in error.value.line()
    blank = tmp_path / "blank.txt"
    blank.write_bytes(b"  \n\n\t\n")
    with pytest.raises(InputError, match="empty"):
        TextReader().read(blank)


def test_binary_garbage_is_one_clear_error(tmp_path):
    garbage = tmp_path / "garbage.txt"
    garbage.write_bytes(bytes(range(256)) * 8)
    with pytest.raises(InputError) as error:
        TextReader().read(garbage)
    assert "not a text file" in error.value.line()
    assert "\n" not in error.value.line()


def test_undecodable_bytes_without_nuls_are_rejected():
    # bytes that are neither UTF-8 nor GB18030 (0x80 / 0xFF never start a GB18030 character)
    with pytest.raises(InputError, match="not a text file"):
        decode_bytes(b"\x80\xff\xfe\x80" * 50, "x.txt")


def test_missing_file_is_one_clear_error(tmp_path):
    with pytest.raises(InputError, match="no such file"):
        TextReader().read(tmp_path / "nope.txt")


@pytest.mark.parametrize("sample", [S000, S001, S002], ids=["000", "001", "002"])
def test_reading_and_recognizing_a_sample_is_fast(sample):
    start = time.perf_counter()
    recognize_tables(TextReader().read(sample).blocks)
    assert time.perf_counter() - start < 0.5


def test_word_table_over_a_page_break_stays_one_table():
    # 001 leaves "page number" where a page footer was; inside a table it must not end the table
    # or be glued to a cell as a continuation paragraph.
    text = "部门机构设置情况\n\t单位名称\n\t单位性质\n\n\t甲局\n\t行政\npage number\n\n\t乙中心\n\t事业\n\n"
    blocks = TextReader.read_text(text)
    assert blocks == [
        Paragraph("部门机构设置情况"),
        RawTable([["单位名称", "单位性质"], ["甲局", "行政"], ["乙中心", "事业"]]),
    ]
