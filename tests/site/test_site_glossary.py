"""The glossary has one parser: the 名词解释 entries ingest writes are the terms the site shows and links.

Ingest escapes Markdown in index.md ("**财政拨款收入\\_一般**：…"); the site must show the printed term,
without the backslash, and link it where the narrative uses it.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from site_builds import build_with, xingtai_2023
from site_links import soup

from budgetsite.blocks import Paragraph
from budgetsite.model import Section
from budgetsite.recognize.sections import glossary_terms, recognize_sections

TERM = "财政拨款收入_一般"


@pytest.fixture(scope="module")
def site_with_escaped_term(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """(index.md ingest wrote, the built site's output folder) for a glossary term holding '_'."""
    disclosure = xingtai_2023()
    # The sections as the recognizer makes them from the printed text.
    disclosure.sections = recognize_sections(
        [
            Paragraph("一、部门预算安排的总体情况"),
            Paragraph(f"本年收入全部为{TERM}，共1336.23万元。"),
            Paragraph("二、名词解释"),
            Paragraph(f"1、{TERM}：指市级财政当年拨付的一般公共预算资金。"),
        ],
        set(),
    )
    assert [s.id for s in disclosure.sections] == ["overview", "glossary"]
    content, published = build_with(disclosure, tmp_path_factory.mktemp("glossary"))
    return content / "index.md", published.parents[2]


def test_ingest_writes_the_term_escaped(site_with_escaped_term):
    index_md, _ = site_with_escaped_term
    assert "**财政拨款收入\\_一般**：" in index_md.read_text(encoding="utf-8")


def test_glossary_page_shows_the_printed_term(site_with_escaped_term):
    _, output = site_with_escaped_term
    glossary = soup(output / "glossary" / "index.html")
    assert TERM in [dt.get_text() for dt in glossary.find_all("dt")]
    assert "\\" not in glossary.find("dl").get_text()


def test_the_narrative_links_the_term(site_with_escaped_term):
    _, output = site_with_escaped_term
    glossary = soup(output / "glossary" / "index.html")
    page = soup(output / "departments" / "xingtaishi-gongyehexinxihuaju" / "2023" / "index.html")
    link = page.find("a", class_="term", string=TERM)
    assert link is not None
    assert link["href"] == "/glossary/#" + glossary.find("dt", string=TERM)["id"]


def test_one_parser_for_ingest_and_hand_written_entries():
    # Ingest's form, a hand-typed numbered entry wrapped over two lines, and a definition that goes on in
    # a paragraph of its own (江苏 2017 检察院: "基本支出：包括…（定额）。" / "其中，人员经费包括…").
    section = Section(
        title="名词解释",
        id="glossary",
        markdown=(
            "**a\\_b**：x\\*y\n\n1、项目支出：指在基本支出之外\n为完成特定任务而发生的支出。\n\n"
            "**基本支出**：包括人员经费、商品和服务支出（定额）。\n\n其中，人员经费包括工资福利支出。"
        ),
    )
    assert glossary_terms(section) == [
        ("a_b", "x*y"),
        ("项目支出", "指在基本支出之外为完成特定任务而发生的支出。"),
        ("基本支出", "包括人员经费、商品和服务支出（定额）。其中，人员经费包括工资福利支出。"),
    ]
