"""The facts layer (recognize/facts.py): each template family's printed labels feed the right named fact,
a fact keeps its printed digits, unit, exact 万元 value and provenance, and the narrative is read by one
extractor that the site and the checks share (issue 17, item 2).

Column labels below are copied from what the recognizer makes of the real files (tests/fixtures/real/ and
../shared/disclosures/corpus/); the figures are the ones printed there.
"""

from __future__ import annotations

from decimal import Decimal

import pytest
from ingest_helpers import disclosure, table

from budgetsite.check import run_checks
from budgetsite.model import Section
from budgetsite.recognize.facts import (
    FAMILY_LABELS,
    SANGONG_TOTAL,
    extract_facts,
    normalize_label,
)
from budgetsite.site.load import three_public_facts

SANGONG_PARTS = (
    "因公出国（境）费",
    "公务用车购置及运行维护费",
    "公务用车购置费",
    "公务用车运行维护费",
    "公务接待费",
)


def facts_of(d) -> dict[str, Decimal]:
    return {f.name: f.value_wan for f in extract_facts(d)}


def columns_table(table_id: str, title: str, labels: list[str], figures: list[str], unit: str = "万元"):
    t = table(table_id, title, [(f"col_{i}", label) for i, label in enumerate(labels)], [figures])
    t.unit = unit
    return t


# real/01 江苏省人大常委会办公厅 2017, p.20: “三公”经费、会议费、培训费支出预算表
# "2542.60 833.60 222.50 183.60 0 183.60 427.50 1305.25 403.75" (the recognizer's column labels).
JIANGSU_LABELS = [
    "合计",
    "“三公”经费 / 小计",
    "“三公”经费 / 因公出国（境）费",
    "“三公”经费 / 公务用车购置及运行维护费 / 小计",
    "“三公”经费 / 公务用车购置及运行维护费 / 公务用车购置费",
    "“三公”经费 / 公务用车购置及运行维护费 / 公务用车运行维护费",
    "“三公”经费 / 公务接待费",
    "会议费",
    "培训费",
]
JIANGSU_FIGURES = ["2542.60", "833.60", "222.50", "183.60", "0", "183.60", "427.50", "1305.25", "403.75"]


def test_jiangsu_meetings_and_training_are_own_facts_never_in_the_sangong_total() -> None:
    """The Jiangsu table's first 合计 (2542.60) is 三公 + 会议费 + 培训费: 三公经费合计 is its 小计 833.60."""
    t = columns_table(
        "three-public-expenses", "“三公”经费、会议费、培训费支出预算表", JIANGSU_LABELS, JIANGSU_FIGURES
    )
    found = facts_of(disclosure([t]))
    assert found[SANGONG_TOTAL] == Decimal("833.60")
    assert found["会议费"] == Decimal("1305.25") and found["培训费"] == Decimal("403.75")
    assert found["公务用车购置及运行维护费"] == Decimal("183.60")
    assert Decimal("2542.60") not in found.values()


# Each family's 三公 table as recognized, and the facts it must give (read from the PDF page named).
FAMILY_CASES = {
    # 002 邢台 2023 lines 308-316: one row per item, the amount under 资金性质 / 合计.
    "hebei": (
        "budget",
        table(
            "three-public-expenses",
            "部门预算财政拨款“三公”经费支出表",
            [("seq", "序号"), ("name", "项目"), ("total", "资金性质 / 合计")],
            [
                ["1", "合计", "8.00"],
                ["2", "“三公”经费小计", "8.00"],
                ["3", "一、因公出国（境）费", ""],
                ["4", "其中：教学科研人员因公出国（境）费", ""],
                ["6", "二、公务用车购置及运维费", "6.00"],
                ["7", "其中：公务用车购置费", ""],
                ["8", "公务用车运行维护费", "6.00"],
                ["9", "三、公务接待费", "2.00"],
            ],
        ),
        {
            SANGONG_TOTAL: "8.00",
            "公务用车购置及运行维护费": "6.00",
            "公务用车运行维护费": "6.00",
            "公务接待费": "2.00",
        },
    ),
    "jiangsu": (
        "budget",
        columns_table(
            "three-public-expenses", "“三公”经费、会议费、培训费支出预算表", JIANGSU_LABELS, JIANGSU_FIGURES
        ),
        {
            SANGONG_TOTAL: "833.60",
            "因公出国（境）费": "222.50",
            "公务用车购置及运行维护费": "183.60",
            "公务用车购置费": "0",
            "公务用车运行维护费": "183.60",
            "公务接待费": "427.50",
            "会议费": "1305.25",
            "培训费": "403.75",
        },
    ),
    # real/06a 上海市普陀区司法局 2026, p.21: "10.81 0 0.83 9.98 0 9.98 217.83" (运行费, not 运维费).
    "shanghai-district": (
        "budget",
        columns_table(
            "three-public-expenses",
            "2026年部门“三公”经费和机关运行经费预算表",
            [
                "“三公”经费预算数 / 合计",
                "“三公”经费预算数 / 因公出国(境)费",
                "“三公”经费预算数 / 公务接待费",
                "“三公”经费预算数 / 公务用车购置及运行费 / 小计",
                "“三公”经费预算数 / 公务用车购置及运行费 / 购置费",
                "“三公”经费预算数 / 公务用车购置及运行费 / 运行费",
                "机关运行经费预算数",
            ],
            ["10.81", "0", "0.83", "9.98", "0", "9.98", "217.83"],
        ),
        {
            SANGONG_TOTAL: "10.81",
            "因公出国（境）费": "0",
            "公务接待费": "0.83",
            "公务用车购置及运行维护费": "9.98",
            "公务用车购置费": "0",
            "公务用车运行维护费": "9.98",
            "机关运行经费": "217.83",
        },
    ),
    # The 普陀 2024 template (万里街道 p.31) puts the year in the group header.
    "shanghai-district-year-header": (
        "budget",
        columns_table(
            "three-public-expenses",
            "部门“三公”经费和机关运行经费预算表",
            [
                "2024年“三公”经费预算数 / 合计",
                "2024年“三公”经费预算数 / 因公出国(境)费",
                "2024年“三公”经费预算数 / 公务接待费",
                "2024年“三公”经费预算数 / 公务用车购置及运行费 / 小计",
                "2024年“三公”经费预算数 / 公务用车购置及运行费 / 购置费",
                "2024年“三公”经费预算数 / 公务用车购置及运行费 / 运行费",
                "2024年机关运行经费预算数",
            ],
            ["47.91", "0", "1.35", "46.56", "25", "21.56", "443.18"],
        ),
        {
            SANGONG_TOTAL: "47.91",
            "因公出国（境）费": "0",
            "公务接待费": "1.35",
            "公务用车购置及运行维护费": "46.56",
            "公务用车购置费": "25",
            "公务用车运行维护费": "21.56",
            "机关运行经费": "443.18",
        },
    ),
    # A Shanghai municipal 三公 table: items as row labels with a 合计 column.
    "shanghai-municipal": (
        "budget",
        table(
            "three-public-expenses",
            "财政拨款“三公”经费预算表",
            [("name", "项目"), ("total", "合计")],
            [
                ["“三公”经费合计", "12.50"],
                ["因公出国(境)费", "2.00"],
                ["公务用车购置及运行费", "8.00"],
                ["公务用车购置费", "0"],
                ["公务用车运行费", "8.00"],
                ["公务接待费", "2.50"],
            ],
        ),
        {
            SANGONG_TOTAL: "12.50",
            "因公出国（境）费": "2.00",
            "公务用车购置及运行维护费": "8.00",
            "公务用车购置费": "0",
            "公务用车运行维护费": "8.00",
            "公务接待费": "2.50",
        },
    ),
    # real/11 普陀区财政局 2024 决算, p.18 layout: each item has 预算数 and 决算数; a 决算 reads 决算数 only.
    "final-accounts": (
        "final-accounts",
        columns_table(
            "three-public-expenses-final",
            "财政拨款“三公”经费支出决算表",
            [
                "财政拨款“三公”经费 / 合计 / 预算数",
                "财政拨款“三公”经费 / 合计 / 决算数",
                "财政拨款“三公”经费 / 因公出国（境）费 / 预算数",
                "财政拨款“三公”经费 / 因公出国（境）费 / 决算数",
                "财政拨款“三公”经费 / 公务用车购置及运行费 / 小计 / 预算数",
                "财政拨款“三公”经费 / 公务用车购置及运行费 / 小计 / 决算数",
                "财政拨款“三公”经费 / 公务接待费 / 预算数",
                "财政拨款“三公”经费 / 公务接待费 / 决算数",
            ],
            ["0.95", "0.40", "", "0", "", "0", "0.95", "0.40"],
        ),
        {
            SANGONG_TOTAL: "0.40",
            "因公出国（境）费": "0",
            "公务用车购置及运行维护费": "0",
            "公务接待费": "0.40",
        },
    ),
}


@pytest.mark.parametrize("family", sorted(FAMILY_CASES))
def test_each_family_maps_its_printed_labels_to_facts(family: str) -> None:
    kind, t, expected = FAMILY_CASES[family]
    found = facts_of(disclosure([t], kind=kind))
    got = {
        name: found[name]
        for name in found
        if name in {SANGONG_TOTAL, *SANGONG_PARTS, "会议费", "培训费", "机关运行经费"}
    }
    assert got == {name: Decimal(value) for name, value in expected.items()}


def test_an_unseen_spelling_of_a_sangong_item_still_names_its_fact() -> None:
    """A template not in FAMILY_LABELS: rows spelled 购置和运行维护费, 公务车运维费, 接待费; sub-items stay out."""
    t = table(
        "three-public-expenses",
        "“三公”经费预算表",
        [("name", "项目"), ("total", "金额")],
        [
            ["“三公”经费总额", "12.50"],
            ["（一）因公出国(境)经费", "2.00"],
            ["其中：教学科研人员因公出国（境）费", "1.00"],
            ["（二）公务用车购置和运行维护费", "8.00"],
            ["其中：车辆购置费", "0"],
            ["公务车运维费", "8.00"],
            ["（三）接待费", "2.50"],
        ],
    )
    assert facts_of(disclosure([t])) == {
        SANGONG_TOTAL: Decimal("12.50"),
        "因公出国（境）费": Decimal("2.00"),
        "公务用车购置及运行维护费": Decimal("8.00"),
        "公务用车购置费": Decimal("0"),
        "公务用车运行维护费": Decimal("8.00"),
        "公务接待费": Decimal("2.50"),
    }


def test_every_family_label_is_documented_with_a_known_fact() -> None:
    from budgetsite.recognize.facts import FACTS

    for family, groups in FAMILY_LABELS.items():
        for group, labels in groups.items():
            for label, name in labels.items():
                assert name in FACTS, (family, group, label)
                assert normalize_label(label), (family, label)


def test_fact_keeps_printed_digits_unit_exact_value_and_provenance() -> None:
    # real/06a p.12 部门支出预算总表 合计 row: 96,282,213.44 元 = 9628.221344 万元, every digit kept.
    t = table(
        "expenditure-summary",
        "2026年部门支出预算总表",
        [
            ("function_code", "项目 / 功能分类科目编码"),
            ("name", "项目 / 功能分类科目名称"),
            ("total", "支出预算 / 合计"),
        ],
        [["", "合计", "96282213.44"], ["204", "公共安全支出", "87267272.44"]],
    )
    t.unit, t.source_page = "元", 12
    facts = {f.name: f for f in extract_facts(disclosure([t]))}
    total = facts["支出合计"]
    assert (total.printed, total.unit, total.value_wan) == ("96282213.44", "元", Decimal("9628.221344"))
    assert (total.source.table, total.source.row, total.source.column, total.source.page) == (
        "expenditure-summary",
        "合计",
        "支出预算 / 合计",
        12,
    )
    assert facts["function:204"].value_wan == Decimal("8726.727244")


def test_a_figure_not_printed_is_absent_not_zero() -> None:
    t = columns_table(
        "three-public-expenses",
        "2025年部门“三公”经费和机关运行经费预算表",
        ["“三公”经费预算数 / 合计", "“三公”经费预算数 / 因公出国(境)费", "“三公”经费预算数 / 公务接待费"],
        ["0.95", "", "0.95"],
    )
    found = facts_of(disclosure([t]))
    assert found[SANGONG_TOTAL] == Decimal("0.95") and "因公出国（境）费" not in found


# --- one narrative extractor for site and checks (issue 17, item 2) ---------------------------------


def sangong_section(text: str) -> Section:
    return Section(title="“三公”经费预算情况说明", markdown=text, id="three-public-expenses")


def hebei_sangong_table(total: str):
    return table(
        "three-public-expenses",
        "部门预算财政拨款“三公”经费支出表",
        [("name", "项目"), ("total", "合计")],
        [
            ["合计", total],
            ["一、因公出国（境）费", "0"],
            ["二、公务用车购置及运维费", "0"],
            ["三、公务接待费", total],
        ],
    )


@pytest.mark.parametrize(
    ("sentence", "value"),
    [
        ("2024年，“三公”经费预算为12.50万元。", "12.50"),  # the old site pattern found nothing here
        ("2024年，“三公”经费支出12.50万元。", "12.50"),  # the old check pattern found nothing here
        ("2024年，“三公”经费预算安排1,234.50万元。", "1234.50"),  # the old site pattern stopped at the comma
    ],
)
def test_site_and_check_read_the_same_narrative_figure(sentence: str, value: str) -> None:
    # The site: a disclosure without a 三公 table shows the narrative figure.
    text_only = disclosure([], sections=[sangong_section(sentence)])
    shown = three_public_facts({f.name: f for f in extract_facts(text_only)})
    assert shown is not None and shown.total is not None and shown.total.value_wan == Decimal(value)
    # The check: the same sentence is compared with the table, and agrees.
    with_table = disclosure([hebei_sangong_table(value)], sections=[sangong_section(sentence)])
    check = {c.id: c for c in run_checks(with_table)}["narrative:三公经费"]
    assert check.status == "pass" and check.actual == Decimal(value)


def test_site_and_check_read_the_same_summary_cell() -> None:
    """Jiangsu 收支预算总表 prints 支出合计 with the 功能分类 amount blank and the 支出用途 amount filled:
    the figure right of the label, before the next label, for the site and the check alike."""
    summary = table(
        "income-expenditure-summary",
        "收支预算总表",
        [
            ("income_item", "收入 / 项目名称"),
            ("income_amount", "收入 / 金额"),
            ("expenditure_item", "支出 / 功能分类 / 功能科目名称"),
            ("expenditure_amount", "支出 / 功能分类 / 金额"),
            ("expenditure_item_2", "支出 / 支出用途 / 项目名称"),
            ("expenditure_amount_2", "支出 / 支出用途 / 金额"),
        ],
        [["收入合计", "13649.07", "支出合计", "", "", "13649.07"]],
    )
    text = "2017年部门支出预算为13649.07万元。"
    d = disclosure([summary], sections=[Section(title="支出说明", markdown=text)])
    assert facts_of(d)["支出总计"] == Decimal("13649.07")
    check = {c.id: c for c in run_checks(d)}["narrative:支出预算"]
    assert check.status == "pass" and check.expected == Decimal("13649.07")


@pytest.mark.parametrize(("vehicles", "status"), [("9.98", "pass"), ("19.98", "fail")])
def test_sangong_total_is_checked_against_parts_read_elsewhere(vehicles: str, status: str) -> None:
    """三公经费合计 against its parts where a part comes from the text: 普陀 tables leave a blank the text fills.

    real/06a p.21-22: 合计 10.81 = 因公出国 0 + 公务用车购置及运行费 9.98 + 公务接待费 0.83.
    """
    t = columns_table(
        "three-public-expenses",
        "2026年部门“三公”经费和机关运行经费预算表",
        ["“三公”经费预算数 / 合计", "“三公”经费预算数 / 因公出国(境)费", "“三公”经费预算数 / 公务接待费"],
        ["10.81", "0", "0.83"],
    )
    text = f"2026年“三公”经费预算数为10.81万元。其中：（二）公务用车购置及运行费{vehicles}万元，与2025年预算持平。"
    checks = {c.id: c for c in run_checks(disclosure([t], sections=[sangong_section(text)]))}
    assert checks[f"fact-sum:{SANGONG_TOTAL}"].status == status


def test_readme_documents_every_fact_and_every_family_label() -> None:
    from pathlib import Path

    from budgetsite.recognize.facts import FACTS

    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Facts", 1)[1].split("\n## ", 1)[0]
    for name in FACTS:
        assert f"`{name}`" in section, name
    for groups in FAMILY_LABELS.values():
        for labels in groups.values():
            for label in labels:
                assert f"`{label}`" in section, label


def test_jiangsu_narrative_puts_yusuan_zhichu_between_name_and_figure() -> None:
    """real/01 p.28: "因公出国（境）费预算支出 222.5 万元 … 公务接待费预算支出 427.5 万元": read, and checked
    against the table's 222.50 / 427.50."""
    text = "“三公”经费预算支出中，因公出国（境）费预算支出 222.5 万元，公务接待费预算支出 427.5 万元。"
    found = facts_of(disclosure([], sections=[sangong_section(text)]))
    assert found["因公出国（境）费"] == Decimal("222.5") and found["公务接待费"] == Decimal("427.5")
    t = columns_table(
        "three-public-expenses", "“三公”经费、会议费、培训费支出预算表", JIANGSU_LABELS, JIANGSU_FIGURES
    )
    checks = {c.id: c for c in run_checks(disclosure([t], sections=[sangong_section(text)]))}
    assert checks["narrative:因公出国（境）费"].status == "pass"
    assert checks["narrative:公务接待费"].status == "pass"
