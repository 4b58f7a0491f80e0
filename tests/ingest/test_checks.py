"""Checks (DESIGN §7) on hand-built disclosures: sums, tolerance, ids, messages; numbers never change."""

from __future__ import annotations

import copy
from decimal import Decimal

from ingest_helpers import basic_table, disclosure, table

from budgetsite.check import run_checks
from budgetsite.check.base import half_unit
from budgetsite.model import Check, Project, Section


def by_id(checks: list[Check]) -> dict[str, Check]:
    return {c.id: c for c in checks}


def test_half_unit_is_half_the_last_printed_digit() -> None:
    assert half_unit(Decimal("1023.35")) == Decimal("0.005")
    assert half_unit(Decimal("8")) == Decimal("0.5")
    assert half_unit(Decimal("0.060")) == Decimal("0.0005")


def test_basic_expenditure_rounding_difference_is_warn() -> None:
    # 001: 合计 1023.35 / 人员经费 971.52 / 公用经费 51.84 — 971.52 + 51.84 = 1023.36, bound 3 × 0.005.
    checks = by_id(run_checks(disclosure([basic_table()])))
    check = checks["basic-expenditure-sum:合计"]
    assert check.status == "warn"
    assert check.expected == Decimal("1023.36") and check.actual == Decimal("1023.35")
    for figure in ("一般公共预算财政拨款基本支出表", "合计", "1023.35", "971.52", "51.84", "1023.36", "0.01"):
        assert figure in check.message


def test_basic_expenditure_beyond_rounding_is_fail() -> None:
    # 0.02 off with a bound of 0.015 cannot come from rounding.
    checks = by_id(run_checks(disclosure([basic_table(total="1023.38")])))
    assert checks["basic-expenditure-sum:合计"].status == "fail"


def test_exact_agreements_fold_into_one_pass_check() -> None:
    checks = by_id(run_checks(disclosure([basic_table(total="1023.36")])))
    assert "basic-expenditure-sum:合计" not in checks
    passed = checks["basic-expenditure-sum"]
    assert passed.status == "pass"
    assert "9 项核对全部相符" in passed.message  # the 合计 row and 8 coded rows


def test_parent_code_equals_sum_of_children() -> None:
    columns = [
        ("function_code", "科目编码"),
        ("name", "科目名称"),
        ("total", "合计"),
        ("basic", "基本支出"),
        ("project", "项目支出"),
    ]
    expenditure = table(
        "expenditure-summary",
        "部门预算支出总表",
        columns,
        [
            ["", "合计", "480.88", "", "480.88"],
            ["215", "资源勘探工业信息等支出", "480.88", "", "480.88"],
            ["21505", "工业和信息产业监管", "478.98", "", "478.98"],
            ["2150517", "产业发展", "478.98", "", "478.98"],
            # 21508 printed 2.90 while its only 项 is 1.90: a real 1.00 gap.
            ["21508", "支持中小企业发展和管理支出", "2.90", "", "2.90"],
            ["2150805", "中小企业发展专项", "1.90", "", "1.90"],
        ],
    )
    checks = by_id(run_checks(disclosure([expenditure])))
    assert checks["code-sum:expenditure-summary:21508:total"].status == "fail"
    assert checks["code-sum:expenditure-summary:215:total"].status == "fail"  # 478.98 + 2.90 = 481.88
    assert "21505 478.98" in checks["code-sum:expenditure-summary:215:total"].message
    assert checks["code-sum:expenditure-summary"].status == "pass"  # 21505 = 2150517 in both columns
    assert checks["total-sum:expenditure-summary"].status == "pass"  # 合计 = 215
    assert checks["row-sum:expenditure-summary"].status == "pass"  # 合计 = 基本 + 项目 on every row


def test_income_total_must_equal_expenditure_total() -> None:
    columns = [
        ("income_item", "收入 / 项目"),
        ("income_amount", "收入 / 预算数"),
        ("expenditure_item", "支出 / 项目"),
        ("expenditure_amount", "支出 / 预算数"),
    ]
    rows = [
        ["一、一般公共预算拨款收入", "1263.84", "一、一般公共服务支出", ""],
        ["", "", "二、资源勘探工业信息等支出", "1336.23"],
        ["本年收入合计", "1263.84", "本年支出合计", "1336.23"],
        ["上年结转结余", "72.39", "年终结转结余", ""],
        ["收入总计", "1336.23", "支出总计", "1336.23"],
    ]
    good = by_id(
        run_checks(disclosure([table("income-expenditure-summary", "部门预算收支总表", columns, rows)]))
    )
    assert good["balance:income-expenditure-summary"].status == "pass"
    assert good["side-sum:income-expenditure-summary"].status == "pass"
    rows[4][3] = "1346.23"
    bad = by_id(
        run_checks(disclosure([table("income-expenditure-summary", "部门预算收支总表", columns, rows)]))
    )
    assert bad["balance:income-expenditure-summary"].status == "fail"
    assert "1336.23" in bad["balance:income-expenditure-summary"].message
    assert bad["side-sum:income-expenditure-summary:支出总计:expenditure_amount"].status == "fail"


def test_carry_over_breakdown_is_not_added_twice() -> None:
    # 002 财政拨款收支总表: 年初财政拨款结转和结余 72.39 is followed by its breakdown 一、一般公共预算拨款 72.39.
    columns = [
        ("income_item", "收入 / 项目"),
        ("income_amount", "收入 / 金额"),
        ("expenditure_item", "支出 / 项目"),
        ("expenditure_total", "支出 / 合计"),
    ]
    rows = [
        ["一、一般公共预算拨款", "1263.84", "一、资源勘探工业信息等支出", "1336.23"],
        ["本年收入合计", "1263.84", "本年支出合计", "1336.23"],
        ["年初财政拨款结转和结余", "72.39", "年末财政拨款结转和结余", ""],
        ["一、一般公共预算拨款", "72.39", "", ""],
        ["收入总计", "1336.23", "支出总计", "1336.23"],
    ]
    checks = by_id(
        run_checks(
            disclosure([table("fiscal-appropriation-summary", "部门预算财政拨款收支总表", columns, rows)])
        )
    )
    assert checks["side-sum:fiscal-appropriation-summary"].status == "pass"
    assert not [c for c in checks.values() if c.status != "pass"]


def test_sangong_total_equals_parts() -> None:
    # 三公 (three public expenses): 小计 = 一 + 二 + 三; 公务用车购置及运维费 = 购置费 + 运行维护费.
    columns = [("name", "项目"), ("total", "合计"), ("general_public", "一般公共预算财政拨款")]
    rows = [
        ["合计", "7.35", "7.35"],
        ["“三公”经费小计", "7.35", "7.35"],
        ["一、因公出国（境）费", "", ""],
        ["二、公务用车购置及运维费", "7.29", "7.29"],
        ["其中：公务用车购置费", "", ""],
        ["公务用车运行维护费", "7.19", "7.19"],
        ["三、公务接待费", "0.06", "0.06"],
    ]
    checks = by_id(
        run_checks(disclosure([table("three-public-expenses", "财政拨款“三公”经费支出表", columns, rows)]))
    )
    vehicle = checks["three-public-sum:二、公务用车购置及运维费:total"]
    assert vehicle.status == "fail"
    assert "7.29" in vehicle.message and "7.19" in vehicle.message
    assert checks["three-public-sum"].status == "pass"  # the 小计 row adds up


def test_project_budgets_against_project_expenditure() -> None:
    columns = [
        ("function_code", "科目编码"),
        ("name", "科目名称"),
        ("total", "合计"),
        ("basic", "基本支出"),
        ("project", "项目支出"),
    ]
    expenditure = table(
        "expenditure-summary", "部门预算支出总表", columns, [["", "合计", "1673.35", "1023.35", "650.00"]]
    )
    projects = [
        Project(name="甲", indicators=[], budget=Decimal("649.99")),
        Project(name="乙", indicators=[], budget=Decimal("0.00")),
    ]
    warned = by_id(run_checks(disclosure([expenditure], projects=projects)))[
        "projects-vs-project-expenditure"
    ]
    assert warned.status == "warn"  # 649.99 vs 650.00 within 3 × 0.005
    projects[1].budget = Decimal("10.00")
    assert (
        by_id(run_checks(disclosure([expenditure], projects=projects)))[
            "projects-vs-project-expenditure"
        ].status
        == "fail"
    )
    projects[0].budget = Decimal("300.00")
    short = by_id(run_checks(disclosure([expenditure], projects=projects)))["projects-vs-project-expenditure"]
    assert short.status == "warn" and "少" in short.message


def test_project_budget_equals_fiscal_plus_other_funds() -> None:
    project = Project(
        name="办公设备购置", indicators=[], budget=Decimal("4.63"), fiscal_funds=Decimal("4.36")
    )
    check = by_id(run_checks(disclosure(projects=[project])))["project-funds:1"]
    assert check.status == "fail" and "办公设备购置" in check.message


def test_narrative_figures_against_tables() -> None:
    columns = [
        ("income_item", "收入 / 项目"),
        ("income_amount", "收入 / 预算数"),
        ("expenditure_item", "支出 / 项目"),
        ("expenditure_amount", "支出 / 预算数"),
    ]
    summary = table(
        "income-expenditure-summary",
        "部门预算收支总表",
        columns,
        [
            ["本年收入合计", "1673.35", "本年支出合计", "1673.35"],
            ["收入总计", "1673.35", "支出总计", "1673.35"],
        ],
    )
    # 001 二、(一) 收入说明: "2024年预算收入1673.35万元，其中：一般公共预算收入1673.35万元"
    text = "反映本部门当年全部收入。2024年预算收入1673.35万元，其中：…。2024年支出预算1673.30万元。"
    checks = by_id(run_checks(disclosure([summary], sections=[Section(title="收入说明", markdown=text)])))
    assert checks["narrative:预算收入"].status == "pass"
    assert checks["narrative:支出预算"].status == "fail"
    assert "1673.30" in checks["narrative:支出预算"].message


def test_narrative_rounded_figure_is_warn_and_yuan_tables_convert_exactly() -> None:
    columns = [
        ("income_item", "收入 / 项目"),
        ("income_amount", "收入 / 金额"),
        ("expenditure_item", "支出 / 项目"),
        ("expenditure_amount", "支出 / 金额"),
    ]
    summary = table(
        "income-expenditure-summary",
        "部门财务收支预算总表",
        columns,
        [["收入总计", "96282213.44", "支出总计", "96282213.44"]],
    )
    summary.unit = "元"
    text = "2026年预算收入9628.22万元。"  # 96,282,213.44 元 = 9628.221344 万元
    check = by_id(run_checks(disclosure([summary], sections=[Section(title="概况", markdown=text)])))[
        "narrative:预算收入"
    ]
    assert check.status == "warn"
    assert check.actual == Decimal("9628.22")


def test_checks_never_change_a_number() -> None:
    subject = disclosure([basic_table(total="1000.00")])
    before = copy.deepcopy(subject)
    run_checks(subject)
    assert subject == before


def test_check_ids_are_unique_and_stable() -> None:
    first = [c.id for c in run_checks(disclosure([basic_table(), basic_table()]))]
    second = [c.id for c in run_checks(disclosure([basic_table(), basic_table()]))]
    assert first == second
    assert len(first) == len(set(first))


def test_narrative_breakdowns_add_up() -> None:
    # 002 二、(二) 支出说明 and 四、三公 wording, with the 三公 total changed from 8 to 11 to break it.
    spending = (
        "2023年支出预算1336.23万元，其中基本支出1023.34万元，包括人员经费911.22万元和日常公用经费112.12万元；"
        "项目支出312.89万元，主要为工业转型（技改）工作经费。"
    )
    sangong = (
        "2023年，我部门财政拨款“三公”经费预算安排11万元，其中因公出国(境)费0万元；公务用车购置及运维费6万元"
        "(其中:公务用车购置费为0万元，公务用车运维费6万元)；公务接待费2万元。"
    )
    sections = [Section(title="总体情况", markdown=spending), Section(title="三公", markdown=sangong)]
    checks = by_id(run_checks(disclosure(sections=sections)))
    assert checks["narrative-sum:支出预算"].status == "pass"  # 1023.34 + 312.89 = 1336.23
    assert checks["narrative-sum:基本支出"].status == "pass"  # 911.22 + 112.12 = 1023.34
    assert checks["narrative-sum:公务用车购置及运维费"].status == "pass"
    wrong = checks["narrative-sum:三公经费"]
    # 0 + 6 + 2 = 8 against 11: whole-number figures may each be off by 0.5, bound 4 × 0.5 = 2 < 3.
    assert wrong.status == "fail"
    assert wrong.expected == Decimal("8")


def test_narrative_income_clause_adds_up() -> None:
    # 000 二、1 收入说明, verbatim.
    text = (
        "反映本部门当年全部收入。2020年预算收入6467.35万元，其中：一般公共预算收入4107.52万元，基金预算收入0万元，"
        "财政专户核拨收入0万元，其他来源收入0万元，国有资本经营预算拨款收入2359.83万元。"
    )
    check = by_id(run_checks(disclosure(sections=[Section(title="收入说明", markdown=text)])))
    assert check["narrative-sum:预算收入"].status == "pass"
    assert check["narrative-sum:预算收入"].expected == Decimal("6467.35")


# --- other templates (江苏 / 上海 PDFs of disclosures/real): the rules generalize, no false failures -----


def test_nested_subtotal_headers_count_once() -> None:
    # 江苏 01 “三公”经费、会议费、培训费支出预算表: 合计 2542.60 = 三公 小计 833.60 + 会议费 1305.25 + 培训费 403.75;
    # 三公 小计 = 222.50 + 公务用车 小计 183.60 + 427.50; 公务用车 小计 = 0 + 183.60.
    prefix, car = "“三公”经费 / ", "“三公”经费 / 公务用车购置及运行维护费 / "
    columns = [
        ("total", "合计"),
        ("subtotal", prefix + "小计"),
        ("col_3", prefix + "因公出国（境）费"),
        ("subtotal_2", car + "小计"),
        ("col_5", car + "公务用车购置费"),
        ("col_6", car + "公务用车运行维护费"),
        ("col_7", prefix + "公务接待费"),
        ("col_8", "会议费"),
        ("col_9", "培训费"),
    ]
    row = ["2542.60", "833.60", "222.50", "183.60", "0", "183.60", "427.50", "1305.25", "403.75"]
    checks = run_checks(
        disclosure([table("three-public-expenses", "“三公”经费、会议费、培训费支出预算表", columns, [row])])
    )
    assert [(c.id, c.status) for c in checks] == [("row-sum:three-public-expenses", "pass")]
    assert "3 项核对全部相符" in checks[0].message


def test_two_halves_basic_table_checks_each_code_column_with_its_own_amounts() -> None:
    # 上海 11 基本支出决算表: 人员经费 codes and 决算数 on the left, 公用经费 类/款 and 决算数 on the right.
    columns = [
        ("economic_code", "科目编码"),
        ("name", "科目名称"),
        ("col_3", "决算数"),
        ("col_4", "经济分类 / 科目编码 / 类"),
        ("col_5", "经济分类 / 科目编码 / 款"),
        ("name_2", "科目名称"),
        ("col_7", "决算数"),
    ]
    rows = [
        ["301", "工资福利支出", "1500.91", "302", "", "商品和服务支出", "171.07"],
        ["30101", "基本工资", "262.33", "302", "1", "办公费", "21.21"],
        ["30102", "津贴补贴", "1238.58", "302", "2", "印刷费", "7.61"],
    ]
    checks = run_checks(disclosure([table("other-7", "一般公共预算财政拨款基本支出决算表", columns, rows)]))
    assert [(c.id, c.status) for c in checks] == [("code-sum:other-7", "pass")]  # 262.33 + 1238.58 only


def test_codes_split_over_class_columns_are_not_amounts_and_single_total_row_counts() -> None:
    # 上海 11 支出决算表 with 类/款/项 parsed as numbers; 江苏 01 支出预算总表 prints one unlabelled totals row.
    columns = [
        ("function_code", "科目编码 / 类"),
        ("col_2", "科目编码 / 款"),
        ("name", "科目名称"),
        ("total", "合计"),
        ("basic", "基本支出"),
        ("project", "项目支出"),
    ]
    rows = [
        ["", "", "合计", "2940.05", "2336.91", "603.14"],
        ["201", "6", "一般公共服务支出", "2940.05", "2336.91", "603.14"],
    ]
    checks = run_checks(disclosure([table("expenditure-summary", "支出决算表", columns, rows)]))
    assert all(c.status == "pass" for c in checks)
    totals = table(
        "expenditure-summary",
        "支出预算总表",
        [("total", "合计"), ("basic", "基本支出"), ("project", "项目支出")],
        [["13649.07", "7666.68", "5853.96"]],
    )
    text = "江苏省人大常委会办公厅2017年度…增加基本支出844.15万元。本年基本支出7666.68万元，项目支出5853.96万元。"
    found = by_id(run_checks(disclosure([totals], sections=[Section(title="说明", markdown=text)])))
    # "增加基本支出844.15万元" is a change, not the figure; the next mention is compared.
    assert found["narrative:基本支出"].status == "pass" and found["narrative:基本支出"].actual == Decimal(
        "7666.68"
    )
    assert found["narrative:项目支出"].status == "pass"


def test_row_sum_skipped_when_a_part_column_holds_unparsed_figures() -> None:
    # 上海 11 一般公共预算财政拨款支出决算表 came out with 项目支出 split into "603" | ".14" text cells.
    columns = [
        ("name", "科目名称"),
        ("total", "合计"),
        ("basic", "基本支出"),
        ("function_code", "项目支出 / 科目编码"),
        ("name_5", "项目支出 / 科目名称"),
    ]
    rows = [["合计", "2940.05", "2336.91", "603", ".14"]]
    assert run_checks(disclosure([table("other-6", "一般公共预算财政拨款支出决算表", columns, rows)])) == []


def test_final_accounts_tables_check_like_their_budget_twins() -> None:
    # 决算 (final accounts) tables have their own ids (recognize.catalog.FINAL_ACCOUNTS_OF) but the same sums.
    final = basic_table()
    final.id = "general-public-budget-basic-expenditure-final"
    final.title = "一般公共预算财政拨款基本支出决算表"
    check = by_id(run_checks(disclosure([final])))["basic-expenditure-sum:合计"]
    assert check.status == "warn" and "决算表" in check.message
