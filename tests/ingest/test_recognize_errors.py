"""Bad input at the recognize level: no disclosure, missing year or department."""

from __future__ import annotations

from pathlib import Path

import pytest

from budgetsite.errors import InputError
from budgetsite.read.text import TextReader
from budgetsite.recognize import NotADisclosureError, recognize

NOVEL = """第一章 雨夜

那天夜里雨下得很大，老张撑着伞走过石桥，桥下的河水涨得很高。

他想起三十年前的那个春天，母亲站在门口等他回家。

第二章 归来

天亮的时候，雨停了。村口的槐树上落满了麻雀。
"""

README = """# budget-tools

一、安装

pip install budget-tools

二、使用

运行 budget-tools --help 查看帮助。

| 选项 | 说明 |
|---|---|
| --help | 显示帮助 |
"""

# A disclosure whose title prints no year and whose tables carry no 预算年度 caption.
NO_YEAR = """衡水市工业和信息化局部门预算信息公开情况说明

一、部门职责及机构设置情况

部门职责：负责全市工业和信息化工作。

二、部门预算安排的总体情况

本年度预算收入6467.35万元。

三、机关运行经费安排情况

机关运行经费共计安排157.92万元。
"""

NO_DEPARTMENT = """2021年部门预算信息公开情况说明

一、部门职责及机构设置情况

部门职责：负责全县工业和信息化工作。

二、部门预算安排的总体情况

2021年预算收入100.00万元。
"""


def read(tmp_path: Path, text: str, name: str = "doc.txt"):  # -> list[Block]
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return TextReader().read(path).blocks


@pytest.mark.parametrize("text", [NOVEL, README], ids=["novel", "readme"])
def test_text_that_is_no_disclosure(tmp_path: Path, text: str) -> None:
    with pytest.raises(NotADisclosureError) as caught:
        recognize(read(tmp_path, text), source_name="doc.txt", year=2024, department="某局")
    assert isinstance(caught.value, InputError)
    line = caught.value.line()
    assert "not a budget disclosure" in line
    assert line.startswith("doc.txt: ")
    assert "\n" not in line


def test_missing_year_asks_for_year_option(tmp_path: Path) -> None:
    with pytest.raises(InputError) as caught:
        recognize(read(tmp_path, NO_YEAR), source_name="doc.txt")
    line = caught.value.line()
    assert "--year" in line and "doc.txt" in line and "\n" not in line


def test_given_year_completes_the_document(tmp_path: Path) -> None:
    d = recognize(read(tmp_path, NO_YEAR), source_name="doc.txt", year=2020)
    assert (d.department, d.year, d.kind) == ("衡水市工业和信息化局", 2020, "budget")
    assert d.region == ["河北省", "衡水市"]


def test_missing_department_asks_for_department_option(tmp_path: Path) -> None:
    with pytest.raises(InputError) as caught:
        recognize(read(tmp_path, NO_DEPARTMENT), source_name="doc.txt")
    assert "--department" in caught.value.line()


def test_given_department_and_region_override(tmp_path: Path) -> None:
    d = recognize(
        read(tmp_path, NO_DEPARTMENT),
        source_name="doc.txt",
        department="怀来县工业和信息化局",
        region=["河北省", "张家口市", "怀来县"],
    )
    assert (d.department, d.year, d.region) == (
        "怀来县工业和信息化局",
        2021,
        ["河北省", "张家口市", "怀来县"],
    )
    assert d.title == "怀来县工业和信息化局2021年部门预算"


def test_placeholders_for_helper_t(tmp_path: Path) -> None:
    d = recognize(read(tmp_path, NO_YEAR), source_name="doc.txt", year=2020)
    assert d.slug is None and d.checks == []
    assert (d.source.file, d.source.sha256, d.source.format) == ("doc.txt", "0" * 64, "text")
