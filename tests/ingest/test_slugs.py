"""ASCII department slugs: region parts split off, toneless pinyin per part, '-' between parts."""

from __future__ import annotations

import pytest

from budgetsite.content.slugs import SLUG_PATTERN, department_slug, split_divisions
from budgetsite.errors import InputError


@pytest.mark.parametrize(
    ("name", "slug"),
    [
        ("保定市徐水区工业和信息化局", "baodingshi-xushuiqu-gongyehexinxihuaju"),
        ("衡水市工业和信息化局", "hengshuishi-gongyehexinxihuaju"),
        ("邢台市工业和信息化局", "xingtaishi-gongyehexinxihuaju"),
        ("上海市普陀区司法局", "shanghaishi-putuoqu-sifaju"),
        ("江苏省人大常委会办公厅", "jiangsusheng-rendachangweihuibangongting"),
        ("内蒙古自治区呼和浩特市民政局", "neimengguzizhiqu-huhehaoteshi-minzhengju"),
        # 市 at the start of the remaining name (市场监督管理局) is not a division.
        ("北京市市场监督管理局", "beijingshi-shichangjianduguanliju"),
        # Phrase-aware readings: 重庆 is chongqing, not zhongqing; 银行 is yinhang.
        ("重庆市银行业协会", "chongqingshi-yinhangyexiehui"),
    ],
)
def test_department_slug(name: str, slug: str) -> None:
    assert department_slug(name) == slug
    assert SLUG_PATTERN.match(slug)


def test_split_divisions_keeps_at_least_two_characters_of_name() -> None:
    assert split_divisions("怀来县数字经济局") == ["怀来县", "数字经济局"]
    assert split_divisions("平山县") == ["平山县"]


def test_ascii_and_punctuation() -> None:
    assert department_slug("ABC 局（试点）") == "abc-ju-shidian"


def test_name_without_letters_is_an_input_error() -> None:
    with pytest.raises(InputError, match="--department"):
        department_slug("（）——")
