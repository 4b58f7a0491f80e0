"""Metadata (department, code, region, year, kind, title) of the three samples and two variants."""

from __future__ import annotations

from pathlib import Path

import pytest

from budgetsite.blocks import Paragraph
from budgetsite.read.text import TextReader
from budgetsite.recognize.metadata import recognize_metadata, region_from_name
from samples import SAMPLES

FIXTURES = Path(__file__).parent.parent / "fixtures"

CASES = [
    # 000 line 3 "衡水市工业和信息化局", line 5 "2020 年部门预算信息公开情况说明", line 358 "350 衡水市工业和信息化局"
    (
        SAMPLES / "000_8f224ed89935fe50.txt",
        "衡水市工业和信息化局",
        "350",
        ["河北省", "衡水市"],
        2020,
        "budget",
        "衡水市工业和信息化局2020年部门预算信息公开情况说明",
    ),
    # 001 line 2 "\t304保定市徐水区工业和信息化局", line 1610 "保定市徐水区工业和信息化局2024年部门预算信息公开情况说明"
    (
        SAMPLES / "001_8bf267248edeb530.txt",
        "保定市徐水区工业和信息化局",
        "304",
        ["河北省", "保定市", "徐水区"],
        2024,
        "budget",
        "保定市徐水区工业和信息化局2024年部门预算信息公开情况说明",
    ),
    # 002 line 32 "501 邢台市工业和信息化局", line 316 "邢台市工业和信息化局 2023 年部门预算信息公开情况说明"
    (
        SAMPLES / "002_ae784f8ae38a492c.txt",
        "邢台市工业和信息化局",
        "501",
        ["河北省", "邢台市"],
        2023,
        "budget",
        "邢台市工业和信息化局2023年部门预算信息公开情况说明",
    ),
    # a county department of another prefecture, code in a table caption "412 沧州市献县科学技术局"
    (
        FIXTURES / "variant_projects_county_pipe.txt",
        "沧州市献县科学技术局",
        "412",
        ["河北省", "沧州市", "献县"],
        2022,
        "budget",
        "沧州市献县科学技术局2022年部门预算信息公开情况说明",
    ),
    # a 预算绩效文本 holding only project performance targets
    (
        FIXTURES / "variant_projects_performance_tsv.txt",
        "张家口市怀来县数字经济局",
        None,
        ["河北省", "张家口市", "怀来县"],
        2025,
        "budget-performance",
        "张家口市怀来县数字经济局2025年部门预算绩效文本",
    ),
]


@pytest.mark.parametrize(
    ("path", "department", "code", "region", "year", "kind", "title"), CASES, ids=[c[0].stem for c in CASES]
)
def test_metadata(
    path: Path, department: str, code: str | None, region: list[str], year: int, kind: str, title: str
) -> None:
    meta = recognize_metadata(TextReader().read(path).blocks)
    assert meta.department == department
    assert meta.department_code == code
    assert meta.region == region
    assert meta.year == year
    assert meta.kind == kind
    assert meta.title == title


def test_final_accounts_and_year_first_title() -> None:
    blocks = [Paragraph("2023年唐山市路北区教育局部门决算公开"), Paragraph("一、部门职责及机构设置情况")]
    meta = recognize_metadata(blocks)
    assert (meta.department, meta.year, meta.kind) == ("唐山市路北区教育局", 2023, "final-accounts")
    assert meta.region == ["河北省", "唐山市", "路北区"]


def test_year_from_budget_year_caption_when_title_has_none() -> None:
    # 001's tables print "预算年度：2024" under the caption "304保定市徐水区工业和信息化局"
    blocks = [
        Paragraph("部门预算收支总表"),
        Paragraph("304保定市徐水区工业和信息化局"),
        Paragraph("预算年度：2024"),
    ]
    meta = recognize_metadata(blocks)
    assert (meta.department, meta.department_code, meta.year) == ("保定市徐水区工业和信息化局", "304", 2024)


@pytest.mark.parametrize(
    ("name", "region"),
    [
        ("怀来县数字经济局", ["怀来县"]),  # no prefecture printed: partial
        ("河北省工业和信息化厅", ["河北省"]),
        ("衡水市城市管理综合行政执法局", ["河北省", "衡水市"]),  # 城市 is no county
        ("山西省太原市小店区财政局", ["山西省", "太原市", "小店区"]),
        ("郑州市金水区教育局", ["郑州市", "金水区"]),  # outside Hebei and not said: no province guessed
        ("怀来县市场监督管理局", ["怀来县"]),  # 市场 is the agency, not a city
        ("衡水市深州市教育局", ["河北省", "衡水市", "深州市"]),  # a county-level city
    ],
)
def test_region_from_department_name(name: str, region: list[str]) -> None:
    assert region_from_name(name) == region


def test_province_from_document_text() -> None:
    assert region_from_name("郑州市金水区教育局", "河南省郑州市金水区教育局2024年部门预算") == [
        "河南省",
        "郑州市",
        "金水区",
    ]
