"""Narrative sections: canonical ids, printed ordinals, Markdown bodies, glossary terms."""

from __future__ import annotations

from functools import cache
from pathlib import Path

import pytest

from budgetsite.blocks import Heading, Paragraph, RawTable
from budgetsite.model import Disclosure, Section
from budgetsite.read.text import TextReader
from budgetsite.recognize import recognize
from budgetsite.recognize.sections import glossary_terms, recognize_sections
from samples import SAMPLES

FIXTURES = Path(__file__).parent.parent / "fixtures"


@cache
def disclosure(path: Path) -> Disclosure:
    return recognize(TextReader().read(path).blocks, source_name=path.name)


def numbered(d: Disclosure) -> list[tuple[str | None, str | None]]:
    return [(s.number, s.id) for s in d.sections if s.number]


def test_sections_000() -> None:
    # 000: "一、部门职责及机构设置情况" … "九、其他需要说明的事项"
    d = disclosure(SAMPLES / "000_8f224ed89935fe50.txt")
    assert numbered(d) == [
        ("一", "duties"),
        ("二", "overview"),
        ("三", "operating-costs"),
        ("四", "three-public-expenses"),
        ("五", "performance"),
        ("六", "procurement"),
        ("七", "assets"),
        ("八", "glossary"),
        ("九", "other"),
    ]
    assert d.sections[1].title == "部门职责及机构设置情况"


def test_sections_001() -> None:
    # 001: "[bookmark: _Toc_3_3_0000000010]一、部门职责及机构设置情况" … "十一、其他需要说明的事项"
    d = disclosure(SAMPLES / "001_8bf267248edeb530.txt")
    assert numbered(d) == [
        ("一", "duties"),
        ("二", "overview"),
        ("三", "operating-costs"),
        ("四", "three-public-expenses"),
        ("五", "performance"),
        ("六", "special-funds"),
        ("七", "projects"),
        ("八", "procurement"),
        ("九", "assets"),
        ("十", "glossary"),
        ("十一", "other"),
    ]
    # "六、部门主管专项资金预算安排情况及绩效目标" / "我部门无主管专项资金预算安排。"
    assert d.section("special-funds").markdown == "我部门无主管专项资金预算安排。"


def test_sections_002_table_of_contents_is_not_sections() -> None:
    # 002 opens with a TOC "一、部门职责及机构设置情况.....\t16" … "九、其他需要说明的事项.....\t52"
    d = disclosure(SAMPLES / "002_ae784f8ae38a492c.txt")
    assert numbered(d) == [
        ("一", "duties"),
        ("二", "overview"),
        ("三", "operating-costs"),
        ("四", "three-public-expenses"),
        ("五", "performance"),
        ("六", "procurement"),
        ("七", "assets"),
        ("八", "glossary"),
        ("九", "other"),
    ]
    assert not any("....." in s.markdown or "....." in s.title for s in d.sections)


def test_toc_lines_given_as_paragraphs_are_dropped() -> None:
    blocks = [
        Paragraph("一、部门职责及机构设置情况.....16"),
        Paragraph("二、部门预算安排的总体情况……18"),
        RawTable([["部门预算收支总表.....", "3"], ["部门预算收入总表.....", "5"]]),
        Paragraph("一、部门职责及机构设置情况"),
        Paragraph("部门职责：负责全县科技工作。"),
        Paragraph("二、部门预算安排的总体情况"),
        Paragraph("2022年预算收入85.60万元。"),
    ]
    sections = recognize_sections(blocks, set())
    assert [(s.number, s.id, s.markdown) for s in sections] == [
        ("一", "duties", "部门职责：负责全县科技工作。"),
        ("二", "overview", "2022年预算收入85.60万元。"),
    ]


def test_intro_before_first_section_kept_without_title_lines() -> None:
    # 001: "第一部分  保定市…说明" / "保定市…说明" / "按照《中华人民共和国预算法》…公开如下："
    d = disclosure(SAMPLES / "001_8bf267248edeb530.txt")
    intro = d.sections[0]
    assert (intro.id, intro.number) == (None, None)
    assert intro.markdown.startswith("按照《中华人民共和国预算法》")
    assert "第一部分" not in intro.markdown


def test_subheadings_are_level_3_or_deeper_and_lists_keep_printed_ordinals() -> None:
    d = disclosure(SAMPLES / "001_8bf267248edeb530.txt")
    overview = d.section("overview").markdown
    # "（一）、收入说明" heads "反映本部门当年全部收入。2024年预算收入1673.35万元…"
    assert "### （一）、收入说明\n\n反映本部门当年全部收入。2024年预算收入1673.35万元" in overview
    duties = d.section("duties").markdown
    # "（一）提出全区新型工业化发展战略和政策…" … "（二十六）完成区委、区政府交办的其他任务。" — a list
    assert "- （一）提出全区新型工业化发展战略和政策" in duties
    assert "\n- （二十六）完成区委、区政府交办的其他任务。" in duties
    for section in d.sections:
        assert not any(line.startswith(("# ", "## ")) for line in section.markdown.splitlines())


def test_paragraph_broken_by_page_is_joined() -> None:
    # 000 lines 92/94: "…确保按照时间节点" / "点完成支出任务。进一步加快…"
    performance = disclosure(SAMPLES / "000_8f224ed89935fe50.txt").section("performance").markdown
    assert "确保按照时间节点点完成支出任务。" in performance
    # …but "绩效目标：…培育壮大新兴产业" (no full stop) and "绩效指标：…" stay two paragraphs
    assert "培育壮大新兴产业\n\n绩效指标：推动实施省级重点技改项目数量100项。" in performance


def test_bookmarks_and_page_debris_dropped() -> None:
    d = disclosure(SAMPLES / "001_8bf267248edeb530.txt")
    text = "\n".join(s.title + s.markdown for s in d.sections)
    assert "[bookmark" not in text and "bookmark" not in text
    assert "page number" not in text


def test_lifted_tables_not_duplicated() -> None:
    d = disclosure(SAMPLES / "001_8bf267248edeb530.txt")
    text = "\n".join(s.markdown for s in d.sections)
    # 一般公共预算财政拨款基本支出表 row "30217 公务接待费" lives in tables, not in the narrative
    assert "公务接待费 | 0.06" not in text and "| 序号 |" not in text
    # the project tables live in projects
    assert "13062524P000015104046" not in text and "一级指标" not in text


@pytest.mark.parametrize(
    ("path", "count", "first", "last"),
    [
        # 000 "- 1、一般公共预算拨款收入：指市级财政当年拨付的资金。" … "9、上年结转：指以前年度尚未完成、…"
        ("000_8f224ed89935fe50.txt", 9, ("一般公共预算拨款收入", "指市级财政当年拨付的资金。"), "上年结转"),
        # 001 "1、财政拨款收入：指本级财政当年拨付的资金，…" … "10、机关运行经费：是指…"
        ("001_8bf267248edeb530.txt", 10, ("财政拨款收入", None), "机关运行经费"),
        # 002 "- 1、**一般公共预算拨款收入**：指财政当年拨付的资金。" … "10、**事业单位经营支出**：…"
        (
            "002_ae784f8ae38a492c.txt",
            10,
            ("一般公共预算拨款收入", "指财政当年拨付的资金。"),
            "事业单位经营支出",
        ),
    ],
)
def test_glossary_terms(path: str, count: int, first: tuple[str, str | None], last: str) -> None:
    glossary = disclosure(SAMPLES / path).section("glossary")
    terms = glossary_terms(glossary)
    assert len(terms) == count
    assert terms[0][0] == first[0]
    if first[1]:
        assert terms[0][1] == first[1]
    assert terms[-1][0] == last
    assert "**" not in terms[0][0]


def test_glossary_definition_broken_by_page_is_joined() -> None:
    # 000: "- 3、其他收入：…主要是按规定动用" / "的租房收入、存款利息收入等。"
    terms = dict(glossary_terms(disclosure(SAMPLES / "000_8f224ed89935fe50.txt").section("glossary")))
    assert terms["其他收入"].endswith("主要是按规定动用的租房收入、存款利息收入等。")
    # quotes in a term survive: "7、“三公”经费：纳入市级财政预算管理的…"
    assert terms["“三公”经费"].startswith("纳入市级财政预算管理的“三公”经费")


def test_glossary_terms_roundtrip_escaping() -> None:
    section = Section(title="名词解释", markdown="**a\\_b**：x\\*y\n\n### 附注", id="glossary")
    assert glossary_terms(section) == [("a_b", "x*y")]


def test_source_markup_is_escaped() -> None:
    blocks = [
        Heading("一、部门职责及机构设置情况"),
        Paragraph("负责<script>alert(1)</script>工作，见[链接](http://x)与 *重点*。"),
        Paragraph("二、部门预算安排的总体情况"),
        Paragraph("# 不是标题"),
    ]
    sections = recognize_sections(blocks, set())
    assert (
        sections[0].markdown
        == "负责\\<script\\>alert(1)\\</script\\>工作，见\\[链接\\](http://x)与 \\*重点\\*。"
    )
    assert sections[1].markdown == "\\# 不是标题"


def test_variant_county_sections_and_glossary() -> None:
    d = disclosure(FIXTURES / "variant_projects_county_pipe.txt")
    assert numbered(d) == [
        ("一", "duties"),
        ("二", "overview"),
        ("三", "operating-costs"),
        ("四", "three-public-expenses"),
        ("五", "projects"),
        ("六", "glossary"),
        ("七", "other"),
    ]
    assert glossary_terms(d.section("glossary")) == [
        ("基本支出", "指为保障机构正常运转而发生的支出。"),
        ("项目支出", "指在基本支出之外为完成特定任务而发生的支出。"),
    ]


def test_document_in_parts_with_table_of_contents() -> None:
    # The shape of the JS/SH PDFs in disclosures/real: a 目录 listing parts and sections, then 第一部分 …
    # with its own 一、二、 and 第三部分 numbering from 一 again, and a part without numbered sections.
    blocks = [
        Heading("江苏省委办公厅2019年度部门预算公开"),
        Heading("目 录"),
        Paragraph("第一部分部门概况"),
        Paragraph("一、主要职能"),
        Paragraph("二、部门机构设置及预算单位构成情况"),
        Paragraph("第三部分2019年度部门预算情况说明"),
        Paragraph("第四部分名词解释"),
        Heading("第一部分部门概况"),
        Paragraph("一、主要职能"),
        Paragraph("（一）按照省委的要求，抓好中央和省委决策部署的贯彻落实。"),
        Paragraph("二、部门机构设置及预算单位构成情况"),
        Paragraph("本部门内设机构包括秘书处等。"),
        Heading("第三部分2019年度部门预算情况说明"),
        Paragraph("一、收支预算总体情况说明"),
        Paragraph("2019年收入预算合计1000万元。"),
        Heading("第四部分名词解释"),
        Paragraph("一、财政拨款：指一般公共预算财政拨款和政府性基金预算财政拨款。"),
        Paragraph("二、基本支出：指为保障机构正常运转而发生的支出。"),
    ]
    sections = recognize_sections(blocks, set(), title="江苏省委办公厅2019年度部门预算公开")
    assert [(s.number, s.title, s.id) for s in sections] == [
        ("一", "主要职能", "duties"),
        ("二", "部门机构设置及预算单位构成情况", "duties"),
        ("一", "收支预算总体情况说明", "overview"),
        (None, "名词解释", "glossary"),
    ]
    assert sections[0].markdown == "- （一）按照省委的要求，抓好中央和省委决策部署的贯彻落实。"
    assert glossary_terms(sections[3]) == [
        ("财政拨款", "指一般公共预算财政拨款和政府性基金预算财政拨款。"),
        ("基本支出", "指为保障机构正常运转而发生的支出。"),
    ]


def test_bare_headings_start_known_sections() -> None:
    # 06a prints no ordinals in the body: "上海市普陀区司法局主要职能", "名词解释" are headings only
    blocks = [
        Heading("上海市普陀区司法局主要职能"),
        Paragraph("上海市普陀区司法局是主管本区司法和法制工作的区政府工作部门。"),
        Heading("名词解释"),
        Paragraph("（一）事业收入：指事业单位开展专业业务活动及其辅助活动取得的收入。"),
    ]
    sections = recognize_sections(blocks, set())
    assert [(s.number, s.id) for s in sections] == [(None, "duties"), (None, "glossary")]
    assert glossary_terms(sections[1]) == [("事业收入", "指事业单位开展专业业务活动及其辅助活动取得的收入。")]
