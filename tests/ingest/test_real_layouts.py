"""Layouts of real Jiangsu and Shanghai disclosures that once broke ingest (issue 9), one test per class."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

import pytest
from click.testing import CliRunner
from ingest_helpers import FIXTURES, XUSHUI_2024, disclosure

from budgetsite.blocks import Heading, Paragraph, RawTable
from budgetsite.check import run_checks
from budgetsite.cli import main
from budgetsite.read.pdf import PdfReader
from budgetsite.read.pdf_tables import _cell_text
from budgetsite.recognize.metadata import recognize_metadata, region_from_name, same_department
from budgetsite.recognize.table_layout import Layout
from budgetsite.recognize.tables import recognize_tables
from budgetsite.site.load import _row_anchors


def test_cell_holding_only_spaces_reads_as_empty() -> None:
    """js-fayuan-2018 pads empty ruled cells with space characters; such a cell once crashed the reader
    (and was reported as a corrupt PDF)."""
    spaces = [
        {"text": " ", "x0": 10.0 + k * 3, "x1": 13.0 + k * 3, "top": 20.0, "bottom": 30.0, "size": 10.0}
        for k in range(3)
    ]
    assert _cell_text(spaces, (0.0, 15.0, 100.0, 35.0), 1) == ("", False)


CORPUS = FIXTURES / "corpus"


@pytest.fixture(scope="module")
def fayuan_2018() -> list:
    """js-fayuan-2018: table titles as numbered headings, tables running over pages."""
    return PdfReader().read(CORPUS / "js-fayuan-2018-budget.pdf").blocks


def test_first_row_of_a_continued_table_without_top_border_stays_in_the_table(fayuan_2018: list) -> None:
    """p10 opens with "十八、住房保障支出 4,716.51" and p12 with "30108 机关事业单位基本养老保险缴费 1,326.81":
    the column rulings are drawn, the top border is not (it is on the page before)."""
    texts = [b.text for b in fayuan_2018 if isinstance(b, Heading | Paragraph)]
    assert not [t for t in texts if t.startswith(("十八、住房保障支出", "30108"))]
    tables = [b for b in fayuan_2018 if isinstance(b, RawTable)]
    summary = next(t for t in tables if t.page == 9)
    assert ["", "", "十八、住房保障支出", "4,716.51", "", ""] in summary.rows
    assert summary.rows[-1] == ["收入合计", "33,172.15", "支出合计", "", "", "33,172.15"]
    basic = next(t for t in tables if t.page == 11 and t.rows[0][0] == "科目编码")
    assert ["30108", "机关事业单位基本养老保险缴费", "1,326.81"] in basic.rows


def test_header_stranded_at_the_foot_of_a_page_joins_the_columns_below(fayuan_2018: list) -> None:
    """p10 ends the 财政拨款收支预算总表 with its first header row "收入 | 支出"; p11 goes on with four columns."""
    tables = [b for b in fayuan_2018 if isinstance(b, RawTable)]
    fiscal = next(t for t in tables if t.page == 10 and t.rows[0][:1] == ["收入"])
    assert fiscal.rows[0] == ["收入", "收入", "支出", "支出"]
    assert fiscal.rows[3] == ["一、一般公共预算", "33,172.15", "一、基本支出", "18,570.82"]


def _ids(blocks: list) -> list[tuple[str, str]]:
    return [(t.id, t.title) for t in recognize_tables(blocks).tables]


ECONOMIC_GRID = [
    ["科目编码", "科目名称", "金额"],
    ["", "合计", "7,877.76"],
    ["301", "工资福利支出", "5,469.17"],
    ["30101", "基本工资", "1,186.73"],
]


def test_table_the_catalogue_does_not_know_is_named_after_its_title() -> None:
    """An unknown table keeps its printed title and gets an id from it (numbering and year dropped);
    only a table printing no title at all is other-N."""
    blocks = [
        Heading("十三、2018年度省级部门项目支出预算表"),
        Paragraph("单位：万元"),
        RawTable(rows=[["项目名称", "金额"], ["信息化建设", "120.00"]], page=1),
        Paragraph("本部门的说明文字，不是表格标题。"),
        RawTable(rows=[["项目名称", "金额"], ["办公设备", "3.00"]], page=2),
    ]
    assert _ids(blocks) == [
        ("shengjibumenxiangmuzhichuyusuanbiao", "十三、2018年度省级部门项目支出预算表"),
        ("other-1", ""),
    ]


@pytest.mark.parametrize(
    ("title", "table_id"),
    [
        ("公开05表", "fiscal-appropriation-expenditure"),
        ("公开06表", "fiscal-appropriation-basic-expenditure"),
        ("公开11表", "operating-costs"),
    ],
)
def test_jiangsu_fiscal_appropriation_and_operating_cost_tables_are_standard(
    title: str, table_id: str
) -> None:
    """js-renda-2018 p11/p12/p16 print these under a 公开NN表 tag; their codes are 经济分类 for the
    基本支出 and 机关运行经费 tables (301 工资福利支出), not functions."""
    printed = {
        "fiscal-appropriation-expenditure": "财政拨款支出预算表（功能科目）",
        "fiscal-appropriation-basic-expenditure": "财政拨款基本支出预算表（经济科目）",
        "operating-costs": "一般公共预算机关运行经费支出预算表",
    }[table_id]
    blocks = [
        Heading(title),
        Heading(printed),
        Paragraph("部门：江苏省人大常委会办公厅 单位：万元"),
        RawTable(ECONOMIC_GRID, 11),
    ]
    (table,) = recognize_tables(blocks).tables
    assert (table.id, table.title, table.unit) == (table_id, printed, "万元")
    # "科目编码" names no class: the codes' shape (301, 30101) decides, whatever the catalogue expects.
    assert table.columns[0].key == "economic_code"


def test_a_misprinted_code_is_a_failed_check_and_no_code_page() -> None:
    """A printed "7" where 类 210 belongs: the column stays 功能分类 (most codes decide), the plausible-code
    check reports it, code sums leave it out, and the site makes no /functions/7/ page (no row anchor)."""
    rows = [
        ["功能科目代码", "功能科目名称", "金额"],
        ["", "合计", "30.00"],
        ["208", "社会保障和就业支出", "10.00"],
        ["20805", "行政事业单位养老支出", "10.00"],
        ["2080501", "行政单位离退休", "10.00"],
        ["7", "卫生健康支出", "20.00"],
        ["21011", "行政事业单位医疗", "20.00"],
        ["2101101", "行政单位医疗", "20.00"],
    ]
    blocks = [Heading("财政拨款支出预算表"), Paragraph("单位：万元"), RawTable(rows, 5)]
    (table,) = recognize_tables(blocks).tables
    assert table.columns[0].key == "function_code"
    found = disclosure([table])
    failed = [c for c in run_checks(found) if c.status == "fail"]
    assert [c.id for c in failed] == ["plausible-code:fiscal-appropriation-expenditure:7"]
    anchors = _row_anchors(found, [Layout.of(t) for t in found.tables])
    assert "fiscal-appropriation-expenditure-7" not in anchors.values()
    assert "fiscal-appropriation-expenditure-21011" in anchors.values()


def test_title_above_a_gongkai_biao_tag() -> None:
    """js-renda-2019-tables prints the title first, then "公开表一", then the 部门/单位 line."""
    blocks = [
        Heading("收支预算总表"),
        Paragraph("公开表一"),
        Paragraph("部门： 江苏省人大常委会办公厅 单位：万元"),
        RawTable(
            [
                ["收入", "收入", "支出", "支出"],
                ["项目名称", "金额", "项目名称", "金额"],
                ["收入合计", "1.00", "支出合计", "1.00"],
            ],
            1,
        ),
    ]
    assert _ids(blocks) == [("income-expenditure-summary", "收支预算总表")]


def test_year_and_department_options_only_fill_in_what_a_document_does_not_print(tmp_path: Path) -> None:
    """A batch given --year 2018 --department 某某局: 001 prints 保定市徐水区工业和信息化局 and 2024 and keeps
    both; missing_year.txt prints the same department but no year (预算年度： blank) and takes 2018."""
    content = tmp_path / "content"
    options = ["--year", "2018", "--department", "某某局", "--content", str(content), "-q"]
    result = CliRunner().invoke(
        main, ["ingest", str(XUSHUI_2024), str(FIXTURES / "missing_year.txt"), *options]
    )
    assert result.exit_code == 0, result.output
    found = {
        (d["department"], d["year"])
        for d in (json.loads(p.read_text(encoding="utf-8")) for p in content.glob("*/*/data.json"))
    }
    assert found == {("保定市徐水区工业和信息化局", 2024), ("保定市徐水区工业和信息化局", 2018)}
    help_text = " ".join(CliRunner().invoke(main, ["ingest", "--help"]).output.split())
    assert "a printed year wins" in help_text and "a printed name wins" in help_text


def test_year_of_a_tables_only_file_from_its_cover_or_table_titles() -> None:
    """A tables-only file whose cover reads "江苏省2018年度 / 省级部门预算公开报表", and one whose only year
    is in a table title (js-shengwei-2017-tables: "2017年政府采购预算表")."""
    cover = [
        Heading("江苏省2018年度"),
        Heading("省级部门预算公开报表"),
        Paragraph("部门：江苏省某某厅 单位：万元"),
    ]
    assert recognize_metadata(cover).year == 2018
    titles = [
        Paragraph("收支预算总表"),
        Paragraph("部门：中国共产党江苏省委员会办公厅"),
        Heading("2017年政府采购预算表"),
    ]
    assert recognize_metadata(titles).year == 2017


@pytest.mark.parametrize(
    ("full", "short"),
    [
        ("中国共产党江苏省委员会办公厅", "江苏省委办公厅"),
        ("中共江苏省委办公厅", "江苏省委办公厅"),
        ("政协江苏省委员会办公厅", "江苏省政协办公厅"),
    ],
)
def test_a_department_written_in_full_or_short_is_one(full: str, short: str) -> None:
    assert same_department(full, short)
    assert not same_department(full, "江苏省人大常委会办公厅")


@pytest.mark.parametrize(
    "pair",
    [
        # narrative: year, but only "省政协" for the department; tables: "部门：江苏省政协办公厅", no year
        (
            "js-zhengxie-2019-budget-narrative.pdf",
            "js-zhengxie-2019-budget-tables.pdf",
            "江苏省政协办公厅",
            2019,
        ),
        # tables: "部门：中国共产党江苏省委员会办公厅"; narrative: 江苏省委办公厅 2017年度部门预算
        (
            "js-shengwei-2017-budget-narrative.pdf",
            "js-shengwei-2017-budget-tables.pdf",
            "江苏省委办公厅",
            2017,
        ),
    ],
    ids=["zhengxie-2019", "shengwei-2017"],
)
def test_a_pair_that_prints_half_the_metadata_each_is_one_department_year(
    pair: tuple, tmp_path: Path
) -> None:
    narrative, tables, department, year = pair
    content = tmp_path / "content"
    result = CliRunner().invoke(
        main, ["ingest", str(CORPUS / narrative), str(CORPUS / tables), "--content", str(content), "-q"]
    )
    assert result.exit_code == 0, result.output
    (data_file,) = content.glob("*/*/data.json")
    data = json.loads(data_file.read_text(encoding="utf-8"))
    assert (data["department"], data["year"]) == (department, year)
    assert len(data["tables"]) == 12 and len(data["source"]["extra_files"]) == 1


def test_three_header_rows_of_a_unit_level_summary_are_header() -> None:
    """sh-putuo-shangwuwei-2025 p9 预算单位财务收支预算总表: 本年收入 | 本年支出 over 项目 / 预算数, and 预算数
    split into 合计 | 基本支出 (人员经费 | 公用经费) | 项目支出; all three rows are header, every column its own label."""
    rows = [
        ["本年收入", "本年收入", "本年支出", "本年支出", "本年支出", "本年支出", "本年支出"],
        ["项目", "预算数", "项目", "预算数", "预算数", "预算数", "预算数"],
        ["项目", "预算数", "项目", "合计", "基本支出", "基本支出", "项目支出"],
        ["项目", "预算数", "项目", "合计", "人员经费", "公用经费", "项目支出"],
        [
            "一、财政拨款收入",
            "371,514,655.00",
            "一、一般公共服务支出",
            "21,601,733.00",
            "10,823,891.00",
            "1,467,842.00",
            "9,310,000.00",
        ],
    ]
    blocks = [Heading("2025年预算单位财务收支预算总表"), Paragraph("单位：元"), RawTable(rows, 9)]
    (table,) = recognize_tables(blocks).tables
    assert [c.key for c in table.columns] == [
        "income_item",
        "income_amount",
        "expenditure_item",
        "expenditure_total",
        "expenditure_personnel",
        "expenditure_public",
        "expenditure_project",
    ]
    assert len(table.rows) == 1 and table.rows[0][0] == "一、财政拨款收入"


def test_an_empty_tables_total_row_is_no_header_and_its_empty_note_no_row() -> None:
    """js-jianchayuan-2019 p20: 功能科目编码 | 功能科目名称 | 金额, then "合计" spread over code and name, then
    "此表为空" over the whole width: the 合计 row stays a row, "此表为空" becomes the note."""
    rows = [
        ["功能科目编码", "功能科目名称", "金额"],
        ["合计", "合计", ""],
        ["此表为空", "此表为空", "此表为空"],
    ]
    blocks = [Heading("政府性基金预算财政拨款支出预算表"), Paragraph("单位：万元"), RawTable(rows, 20)]
    (table,) = recognize_tables(blocks).tables
    assert table.rows == [[None, "合计", None]]
    assert table.note == "此表为空"


def test_a_blank_template_is_refused_naming_the_placeholder(tmp_path: Path) -> None:
    """The Putuo 决算 template names the department "上海市XX局": a template, not a disclosure."""
    path = CORPUS / "sh-putuo-dept-budget-TEMPLATE.xlsx"
    result = CliRunner().invoke(main, ["ingest", str(path), "--content", str(tmp_path / "c"), "-q"])
    assert result.exit_code == 1
    assert "blank template" in result.output and "上海市普陀区XX局" in result.output
    assert not (tmp_path / "c").exists() or not list((tmp_path / "c").iterdir())


def test_codes_over_lei_kuan_columns_in_both_halves_of_a_final_accounts_table() -> None:
    """11 p16 一般公共预算财政拨款基本支出决算表 prints 人员经费 and 公用经费 side by side, each with 类 | 款:
    "301 | 01 | 基本工资 | 262.33 | 302 | 01 | 办公费 | 21.21" — both halves get joined codes, not "302 | 1"."""
    head = ["经济分类", "经济分类", "科目名称", "决算数"]
    rows = [
        head + head,
        ["科目编码", "科目编码", "科目名称", "决算数"] * 2,
        ["类", "款", "科目名称", "决算数"] * 2,
        ["301", "", "工资福利支出", "2,082.85", "302", "", "商品和服务支出", "171.07"],
        ["301", "01", "基本工资", "262.33", "302", "01", "办公费", "21.21"],
        ["人员经费合计", "", "", "2,152.26", "公用经费合计", "", "", "184.65"],
    ]
    blocks = [Heading("一般公共预算财政拨款基本支出决算表"), Paragraph("单位：万元"), RawTable(rows, 16)]
    (table,) = recognize_tables(blocks).tables
    assert [c.key for c in table.columns][:4] == ["economic_code", "name", "col_3", "economic_code_2"]
    assert table.rows[1] == ["30101", "基本工资", Decimal("262.33"), "30201", "办公费", Decimal("21.21")]
    assert table.rows[2] == [
        None,
        "人员经费合计",
        Decimal("2152.26"),
        None,
        "公用经费合计",
        Decimal("184.65"),
    ]


def test_a_kuan_printed_without_its_leading_zero_is_joined_as_printed() -> None:
    """sh-putuo-wanli-jiedao-2024 p29: "301 | 2 | 津贴补贴" is joined as printed (3012), a misprint the
    plausible-code check reports; recognition does not "fix" it."""
    rows = [
        ["项目", "项目", "项目", "合计"],
        ["经济分类科目编码", "经济分类科目编码", "经济分类科目名称", "合计"],
        ["类", "款", "经济分类科目名称", "合计"],
        ["301", "01", "基本工资", "5,873,551"],
        ["301", "2", "津贴补贴", "16,623,810"],
    ]
    blocks = [
        Heading("2024年部门一般公共预算基本支出部门预算经济分类预算表"),
        Paragraph("单位：元"),
        RawTable(rows, 29),
    ]
    (table,) = recognize_tables(blocks).tables
    assert [row[0] for row in table.rows] == ["30101", "3012"]


def test_a_table_title_is_never_the_disclosures_title() -> None:
    """sh-putuo-shangwuwei-2025 p1 prints "上海市普陀区2025年区级单位预算" and its contents list
    "1. 2025年预算单位财务收支预算总表"; the latter once became the disclosure's title."""
    blocks = [
        Heading("1. 2025年预算单位财务收支预算总表"),
        Paragraph("预算单位：上海市普陀区商务委员会"),
    ]
    meta = recognize_metadata(blocks)
    assert (meta.title, meta.year, meta.department) == (None, 2025, "上海市普陀区商务委员会")
    cover = [
        Heading("上海市普陀区2025年区级单位预算"),
        Paragraph("预算单位：上海市普陀区商务委员会"),
        *blocks,
    ]
    assert recognize_metadata(cover).title == "上海市普陀区2025年区级单位预算"


def test_region_of_a_party_organ_skips_its_zhonggong_prefix() -> None:
    assert region_from_name("中共上海市普陀区委社会工作部") == ["上海市", "普陀区"]


def test_a_title_glued_onto_the_note_above_it_starts_its_table() -> None:
    """A page ending in a table note: "注：本表反映部门本年度各项支出情况。财政拨款收入支出决算总表" — the
    note belongs to the table before, the title to the table after."""
    grid = [["项目", "决算数"], ["合计", "10.00"]]
    blocks = [
        Heading("支出决算表"),
        RawTable(grid, 3),
        Paragraph("注：本表反映部门本年度各项支出情况。财政拨款收入支出决算总表"),
        Paragraph("单位：万元"),
        RawTable(grid, 4),
    ]
    result = recognize_tables(blocks)
    assert [(t.id, t.title) for t in result.tables] == [
        ("expenditure-final", "支出决算表"),
        ("fiscal-appropriation-final", "财政拨款收入支出决算总表"),
    ]
    assert result.tables[0].note == "注：本表反映部门本年度各项支出情况。"
    assert 2 in result.used


def test_a_row_cut_by_a_page_break_is_one_row() -> None:
    """ "十七、国土海洋气象等支" at the foot of a page, "出" alone at the top of the next."""
    rows = [
        ["收入", "收入", "支出", "支出"],
        ["项目", "金额", "项目", "金额"],
        ["一、一般公共预算", "12.00", "十六、资源勘探信息等支出", "2.00"],
        ["", "", "十七、国土海洋气象等支", "10.00"],
        ["", "", "出", ""],
        ["收入合计", "12.00", "支出合计", "12.00"],
    ]
    blocks = [Heading("收支预算总表"), Paragraph("单位：万元"), RawTable(rows, 9)]
    (table,) = recognize_tables(blocks).tables
    assert [row[2] for row in table.rows] == [
        "十六、资源勘探信息等支出",
        "十七、国土海洋气象等支出",
        "支出合计",
    ]


def ingest_corpus_folder(tmp_path: Path, *names: str) -> list[str]:
    """Ingest a folder holding the named corpus files in one run; the <slug>/<folder> of each disclosure."""
    folder = tmp_path / "sources"
    folder.mkdir()
    for name in names:
        (folder / name).write_bytes((CORPUS / name).read_bytes())
    content = tmp_path / "content"
    result = CliRunner().invoke(main, ["ingest", str(folder), "--content", str(content), "-q"])
    assert result.exit_code == 0, result.output
    return sorted(p.parent.relative_to(content).as_posix() for p in content.glob("*/*/data.json"))


def test_a_narrative_without_department_joins_the_one_department_of_its_year(tmp_path: Path) -> None:
    """In a folder with another department's 2018 file, js-zhengxie-2019's narrative (2019, "省政协" only)
    belongs to the one 2019 department-year of the run: its tables file's 江苏省政协办公厅."""
    found = ingest_corpus_folder(
        tmp_path,
        "js-zhengxie-2019-budget-narrative.pdf",
        "js-zhengxie-2019-budget-tables.pdf",
        "js-renda-2018-budget.pdf",
    )
    assert found == ["jiangsusheng-rendachangweihuibangongting/2018", "jiangsusheng-zhengxiebangongting/2019"]


def test_a_narrative_without_department_joins_the_department_its_text_names_most(tmp_path: Path) -> None:
    """With another department's 2019 pair in the run, the year fits two departments: js-zhengxie-2019's
    narrative says 政协 81 times and 人大常委会 never, so it joins 江苏省政协办公厅 (a whole-folder batch of the
    corpus refused it before)."""
    found = ingest_corpus_folder(
        tmp_path,
        "js-zhengxie-2019-budget-narrative.pdf",
        "js-zhengxie-2019-budget-tables.pdf",
        "js-renda-2019-budget-narrative.pdf",
        "js-renda-2019-budget-tables.pdf",
    )
    assert found == ["jiangsusheng-rendachangweihuibangongting/2019", "jiangsusheng-zhengxiebangongting/2019"]
    data_file = tmp_path / "content" / "jiangsusheng-zhengxiebangongting/2019/data.json"
    data = json.loads(data_file.read_text(encoding="utf-8"))
    assert data["source"]["extra_files"], "the narrative and the tables file make one disclosure"
