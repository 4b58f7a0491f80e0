"""Every review-grade rule on a real sample: the Xushui 2024 disclosure (001) with the error introduced is
flagged at the right place; the sample as published (or with the correct wording) is not.

Text errors are introduced into the sample text itself (the document a reviewer reads); table errors
(a deleted, duplicated, emptied table) into the recognized disclosure, as a hand edit of data.json would.
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path

import pytest
from ingest_helpers import XUSHUI_2024

from budgetsite.check import RULES, family_of, run_checks
from budgetsite.content.ingest import read_blocks, recognize_file
from budgetsite.model import Check, Disclosure

SAMPLE = XUSHUI_2024.read_text(encoding="utf-8")


def recognize_text(tmp_path: Path, text: str) -> Disclosure:
    source = tmp_path / "001.txt"
    source.write_text(text, encoding="utf-8")
    return recognize_file(read_blocks(source), department=None, year=None, region=None).disclosure


@pytest.fixture(scope="module")
def published(tmp_path_factory: pytest.TempPathFactory) -> Disclosure:
    return recognize_text(tmp_path_factory.mktemp("published"), SAMPLE)


def findings(checks: list[Check], rule_id: str) -> list[Check]:
    return [c for c in checks if c.status != "pass" and c.id.split(":")[0].split("#")[0] == rule_id]


def mutate(old: str, new: str) -> str:
    assert SAMPLE.count(old) == 1, old  # the error goes in exactly one place
    return SAMPLE.replace(old, new)


# (rule, the sample's text, the erroneous text, the correct text, where the finding must point)
TEXT_CASES = [
    (
        "text-placeholder",
        "保定市徐水区工业和信息化局的主要职责是：",
        "XX局的主要职责是：",
        None,
        "部门职责及机构设置情况",
    ),
    (
        "text-template-wording",
        "较上年减少1878.32万元",
        "较上年增加（减少）1878.32万元",
        None,
        "部门预算安排的总体情况",
    ),
    ("text-truncated", "主要原因是人员经费减少；", "主要原因是；", None, "部门预算安排的总体情况"),
    ("text-punctuation", "上年结转结余0万元。", "上年结转结余0万元。。", None, "部门预算安排的总体情况"),
    (
        "text-brackets",
        "内设机构和人员编制规定》，",
        "内设机构和人员编制规定，",
        None,
        "部门职责及机构设置情况",
    ),
    ("text-final-stop", "其他支出13.11万元。", "其他支出13.11万元", None, "机关运行经费安排情况"),
    ("text-wording", "与2023年相比减少2.43万元", "比2023年预算持平", "与2023年预算持平", "三公"),
    ("year-heading", "五、部门整体绩效目标", "五、2023年部门整体绩效目标", None, "第6节标题"),
    ("year-comparison", "与2023年相比减少2.43万元", "与2024年相比减少2.43万元", None, "三公"),
    (
        "year-period",
        "我部门无主管专项资金预算安排。",
        "我部门无主管专项资金预算安排。实施周期：2022年1月1日至2023年12月31日。",
        "我部门无主管专项资金预算安排。实施周期：2024年1月1日至2024年12月31日。",
        "部门主管专项资金预算安排情况及绩效目标",
    ),
    (
        "name-department",
        "2024年，我部门财政拨款",
        "保定市徐水区发展和改革局2024年财政拨款",
        "保定市徐水区工业和信息化局2024年财政拨款",
        "三公",
    ),
    ("name-level", "五、部门整体绩效目标", "五、单位整体绩效目标", None, "单位整体绩效目标"),
    (
        "name-class",
        "项目支出650.00万元，主要为",
        "项目支出650.00万元，主要为工业和信息产业支出（206类）",
        "项目支出650.00万元，主要为科学技术支出（206类）",
        "部门预算安排的总体情况",
    ),
    (
        "narrative-change",
        "我部门无主管专项资金预算安排。",
        "我部门无主管专项资金预算安排。2023年预算数为100.00万元，2024年预算安排110.00万元，比2023年增加12.00%。",
        "我部门无主管专项资金预算安排。2023年预算数为100.00万元，2024年预算安排110.00万元，比2023年增加10.00%。",
        "部门主管专项资金",
    ),
    (
        # 1878.32 / (1673.35 + 1878.32) = 52.886%
        "narrative-change-amount",
        "较上年减少1878.32万元。",
        "较上年减少1878.32万元，下降60.00%。",
        "较上年减少1878.32万元，下降52.89%。",
        "部门预算安排的总体情况",
    ),
    (
        "narrative-share",
        "一般公共预算收入1673.35万元，",
        "一般公共预算收入1673.35万元，占90.00%，",
        "一般公共预算收入1673.35万元，占100.00%，",
        "部门预算安排的总体情况",
    ),
    (
        "narrative-direction",
        "我部门无主管专项资金预算安排。",
        "我部门无主管专项资金预算安排。年初预算为100.00万元，支出决算为90.00万元，决算数大于预算数。",
        "我部门无主管专项资金预算安排。年初预算为100.00万元，支出决算为90.00万元，决算数小于预算数。",
        "部门主管专项资金",
    ),
    (
        "narrative-flat",
        "与2023年相比减少2.43万元，减少的主要原因是：",
        "与2023年相比持平。主要原因是：运维费减少，",
        None,
        "三公",
    ),
    (
        # 部门预算收支总表 "收入总计 | 1673.35"
        "narrative-total",
        "我部门无主管专项资金预算安排。",
        "我部门无主管专项资金预算安排。2024年收入支出总计0.3万元。",
        "我部门无主管专项资金预算安排。2024年收入支出总计1673.35万元。",
        "部门主管专项资金",
    ),
    (
        # 部门预算一般公共预算财政拨款支出表 "2060101 | 行政运行 | 186.70"
        "narrative-item",
        "我部门无主管专项资金预算安排。",
        "我部门无主管专项资金预算安排。科学技术支出（206类）科学技术管理事务（01款）行政运行（01项）190.00万元。",
        "我部门无主管专项资金预算安排。科学技术支出（206类）科学技术管理事务（01款）行政运行（01项）186.70万元。",
        "部门主管专项资金",
    ),
    (
        "narrative-item-twice",
        "我部门无主管专项资金预算安排。",
        "我部门无主管专项资金预算安排。科学技术支出（206类）科学技术管理事务（01款）行政运行（01项）186.70万元。"
        "2024年预算安排180.00万元。",
        "我部门无主管专项资金预算安排。科学技术支出（206类）科学技术管理事务（01款）行政运行（01项）186.70万元。"
        "2024年预算安排186.70万元。",
        "部门主管专项资金",
    ),
    (
        # the city's bureau in a 徐水区 document: the lowest region differs
        "name-department",
        "2024年，我部门财政拨款",
        "保定市工业和信息化局2024年财政拨款",
        "徐水区工业和信息化局2024年财政拨款",
        "三公",
    ),
    (
        "text-repeated-word",
        "较上年减少1878.32万元",
        "较上年减少减少1878.32万元",
        None,
        "部门预算安排的总体情况",
    ),
    ("plausible-unit", "其他支出13.11万元。", "其他支出13.11元。", None, "机关运行经费安排情况"),
    (
        "narrative-completion",
        "我部门无主管专项资金预算安排。",
        "我部门无主管专项资金预算安排。年初预算为0万元，支出决算为307.82万元，完成年初预算的95.89%。",
        "我部门无主管专项资金预算安排。年初预算为0万元，支出决算为307.82万元，完成全年预算的95.89%。",
        "部门主管专项资金",
    ),
    (
        # 基本支出表 "合计 | 1023.35 | 971.52 | 51.84": 公用经费 51.84, the 机关运行经费 of an administrative bureau
        "narrative-operating-costs",
        "机关运行经费安排51.84万元",
        "机关运行经费安排61.84万元",
        None,
        "机关运行经费安排情况",
    ),
    (
        "narrative-reason",
        "我部门无主管专项资金预算安排。",
        "我部门无主管专项资金预算安排。2024年专项资金0万元，与上年相比减少50.00万元。",
        "我部门无主管专项资金预算安排。2024年专项资金0万元，与上年相比减少50.00万元，主要原因是项目已完成。",
        "部门主管专项资金",
    ),
    # the last paragraph before the heading "（二）、支出说明" ending on a semicolon
    ("text-final-stop", "上年结转结余0万元。", "上年结转结余0万元；", None, "部门预算安排的总体情况"),
    (
        "plausible-percent",
        "较上年减少1878.32万元。",
        "较上年减少1878.32万元，下降120%。",
        None,
        "部门预算安排的总体情况",
    ),
    (
        "plausible-zero-total",
        "本年度预算收支安排1673.35万元",
        "本年度预算收支总计0万元",
        None,
        "部门预算安排的总体情况",
    ),
]


@pytest.mark.parametrize(
    ("rule_id", "old", "wrong", "right", "where"), TEXT_CASES, ids=[c[0] for c in TEXT_CASES]
)
def test_text_error_is_flagged_where_it_is(
    tmp_path: Path, published: Disclosure, rule_id: str, old: str, wrong: str, right: str | None, where: str
) -> None:
    flagged = findings(run_checks(recognize_text(tmp_path, mutate(old, wrong))), rule_id)
    assert flagged, f"{rule_id} missed: {wrong}"
    assert any(where in c.message for c in flagged), [c.message for c in flagged]
    clean = published if right is None else recognize_text(tmp_path, mutate(old, right))
    assert [c for c in findings(run_checks(clean), rule_id) if where in c.message] == []


def _drop(d: Disclosure, table_id: str) -> None:
    d.tables = [t for t in d.tables if t.id != table_id]


def _duplicate(d: Disclosure, table_id: str) -> None:
    d.tables.append(copy.deepcopy(d.table(table_id)))


def _swap(d: Disclosure, first: str, second: str) -> None:
    i, j = (d.tables.index(d.table(first)), d.tables.index(d.table(second)))
    d.tables[i], d.tables[j] = d.tables[j], d.tables[i]


def _empty(d: Disclosure, table_id: str) -> None:
    table = d.table(table_id)
    table.rows = [[None if isinstance(c, Decimal) else c for c in row] for row in table.rows]


def _set_cell(d: Disclosure, table_id: str, label: str, column: int, value: str) -> None:
    table = d.table(table_id)
    row = next(r for r in table.rows if label in [c for c in r if isinstance(c, str)])
    row[column] = value if table.columns[column].key.endswith("code") else Decimal(value)  # codes are strings


# (rule, mutation of the recognized sample, where the finding must point). Figures from 001's tables:
# 部门预算收支总表 "六、科学技术支出 | 864.57"; 部门预算收入总表 "合计 | 1673.35"; 基本支出表 "合计 | 1023.35".
TABLE_CASES: list[tuple[str, Callable[[Disclosure], None], str]] = [
    ("structure-tables", lambda d: _drop(d, "income-summary"), "部门预算收入总表"),
    ("structure-duplicate", lambda d: _duplicate(d, "expenditure-summary"), "部门预算支出总表"),
    ("structure-order", lambda d: _swap(d, "income-summary", "expenditure-summary"), "部门预算收入总表"),
    (
        "structure-empty",
        lambda d: setattr(d.table("government-fund-expenditure"), "note", None),
        "政府性基金",
    ),
    (
        "structure-empty-note",
        lambda d: setattr(d.table("three-public-expenses"), "note", "注：本表无数据。"),
        "三公",
    ),
    ("narrative-empty-table", lambda d: _empty(d, "three-public-expenses"), "7.35"),
    (
        "cross-class",
        lambda d: _set_cell(d, "income-expenditure-summary", "六、科学技术支出", 4, "860.57"),
        "科学技术支出",
    ),
    ("cross-total", lambda d: _set_cell(d, "income-summary", "合计", 3, "1600.00"), "部门预算收入总表"),
    (
        "cross-basic",
        lambda d: _set_cell(d, "general-public-budget-basic-expenditure", "合计", 3, "1000.00"),
        "基本支出",
    ),
    # 部门预算收支总表 and 部门预算财政拨款收支总表 both "收入总计 | 1673.35", every income being 财政拨款.
    (
        "cross-fiscal",
        lambda d: _set_cell(d, "fiscal-appropriation-summary", "收入总计", 2, "1600.00"),
        "收入总计",
    ),
    ("plausible-code", lambda d: _set_cell(d, "expenditure-summary", "行政运行", 1, "2960101"), "2960101"),
]


@pytest.mark.parametrize(("rule_id", "change", "where"), TABLE_CASES, ids=[c[0] for c in TABLE_CASES])
def test_table_error_is_flagged_where_it_is(
    published: Disclosure, rule_id: str, change: Callable[[Disclosure], None], where: str
) -> None:
    broken = copy.deepcopy(published)
    change(broken)
    flagged = findings(run_checks(broken), rule_id)
    assert flagged, rule_id
    assert any(where in c.message for c in flagged), [c.message for c in flagged]
    assert [c for c in findings(run_checks(published), rule_id) if where in c.message] == []


def test_every_review_rule_has_a_fixture() -> None:
    covered = {c[0] for c in TEXT_CASES} | {c[0] for c in TABLE_CASES} | {"text-repeated", "narrative-listed"}
    # on the real 06a, whose 三公 table prints 机关运行经费 and whose text breaks down 政府采购 and 车辆:
    covered |= {"narrative-procurement", "narrative-vehicles", "narrative-three-public"}  # test_review_real
    covered |= {"narrative-unexplained", "name-class-path"}  # the item-by-item tests below
    covered |= {
        "fact-sum"
    }  # test_facts.py: test_sangong_total_is_checked_against_parts_read_elsewhere (real 06a)
    review = {r.id for r in RULES if r.family != "arithmetic" and r.id not in ("narrative", "narrative-sum")}
    assert review - covered == set()


def test_repeated_paragraph_is_flagged(tmp_path: Path, published: Disclosure) -> None:
    paragraph = "强化内部监督。开展绩效运行监控管理，强化财政预算执行的刚性约束。"
    line = next(line for line in SAMPLE.splitlines() if line.startswith(paragraph))
    flagged = findings(
        run_checks(recognize_text(tmp_path, mutate(line, line + "\n" + line))), "text-repeated"
    )
    assert flagged and "部门整体绩效目标" in flagged[0].message
    assert findings(run_checks(published), "text-repeated") == []


def test_every_rule_has_a_family_and_severity() -> None:
    for rule in RULES:
        assert family_of(rule.id + ":x") == rule.family
        assert rule.severity in ("fail", "warn")


def test_listed_item_without_figure_is_flagged(tmp_path: Path) -> None:
    # 基本支出表 "30103 | 奖金 | 33.73 | 33.73": listed with its figure it is fine; with the figure deleted it is not.
    listing = "我部门无主管专项资金预算安排。人员经费971.52万元，主要包括：基本工资、奖金。"
    listed = recognize_text(tmp_path, mutate("我部门无主管专项资金预算安排。", listing))
    assert findings(run_checks(listed), "narrative-listed") == []
    table = listed.table("general-public-budget-basic-expenditure")
    row = next(r for r in table.rows if "奖金" in r)
    row[3:5] = [None, None]
    flagged = findings(run_checks(listed), "narrative-listed")
    assert [c.id for c in flagged] == ["narrative-listed:奖金"]
    assert "部门主管专项资金" in flagged[0].message and "奖金" in flagged[0].message


# 001 部门预算一般公共预算财政拨款支出表: its eight 项 with their 类 and 款, as a 说明 lists them one by one.
XUSHUI_ITEMS = [
    "科学技术支出（类）科学技术管理事务（款）行政运行（项）186.70万元。",
    "科学技术支出（类）科学技术管理事务（款）其他科学技术管理事务支出（项）577.87万元。",
    "科学技术支出（类）其他科学技术支出（款）其他科学技术支出（项）100.00万元。",
    "社会保障和就业支出（类）行政事业单位养老支出（款）行政单位离退休（项）200.13万元。",
    "社会保障和就业支出（类）行政事业单位养老支出（款）事业单位离退休（项）106.31万元。",
    "社会保障和就业支出（类）其他社会保障和就业支出（款）其他社会保障和就业支出（项）21.46万元。",
    "资源勘探工业信息等支出（类）工业和信息产业监管（款）产业发展（项）478.98万元。",
    "资源勘探工业信息等支出（类）支持中小企业发展和管理支出（款）中小企业发展专项（项）1.90万元。",
]


def _with_items(items: list[str]) -> str:
    return mutate("我部门无主管专项资金预算安排。", "我部门无主管专项资金预算安排。\n" + "\n".join(items))


def test_item_left_out_of_an_item_by_item_explanation_is_flagged(tmp_path: Path) -> None:
    complete = run_checks(recognize_text(tmp_path, _with_items(XUSHUI_ITEMS)))
    assert findings(complete, "narrative-unexplained") == []
    assert [c.status for c in complete if c.id.startswith("narrative-item:")] == ["pass"] * 8
    missing = run_checks(recognize_text(tmp_path, _with_items(XUSHUI_ITEMS[:4] + XUSHUI_ITEMS[5:])))
    (finding,) = findings(missing, "narrative-unexplained")
    assert finding.id == "narrative-unexplained:2080502" and "事业单位离退休 106.31" in finding.message


def test_a_kuan_name_not_in_the_table_is_flagged(tmp_path: Path) -> None:
    assert findings(run_checks(recognize_text(tmp_path, _with_items(XUSHUI_ITEMS))), "name-class-path") == []
    wrong = [XUSHUI_ITEMS[0].replace("科学技术管理事务（款）", "科技管理事务（款）"), *XUSHUI_ITEMS[1:]]
    (finding,) = findings(run_checks(recognize_text(tmp_path, _with_items(wrong))), "name-class-path")
    assert "科技管理事务（款）" in finding.message and "科学技术管理事务" in finding.message
    assert "部门主管专项资金" in finding.message
