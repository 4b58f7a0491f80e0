"""Check stage: Disclosure → findings (DESIGN §7). The rule registry is the one table `RULES` below.

Checks report; they never change a number. `base` holds what every rule shares (the collector, the
rounding tolerance, the `Rule` row); `tables` the arithmetic of one table and the projects; `narrative`
the figures the text repeats against the tables; the review-grade families each have their module:
`structure`, `crosstable` (between tables), `statements` (narrative recomputed), `items`, `breakdowns`, `years`, `names`, `text`,
`plausibility`. Adding a rule is one row here and one function in its module; no other rule changes.
"""

from __future__ import annotations

from collections.abc import Callable

from budgetsite.check import (
    breakdowns,
    crosstable,
    items,
    names,
    plausibility,
    sangong,
    statements,
    structure,
    text,
    years,
)
from budgetsite.check.base import CheckCollector, Family, Rule
from budgetsite.check.narrative import NARRATIVE_RULES, narrative_sums
from budgetsite.check.tables import TABLE_RULES, project_checks
from budgetsite.model import Check, Disclosure, Table

FAMILIES: dict[Family, str] = {
    "structure": "结构",
    "arithmetic": "表内运算",
    "between-tables": "表间关系",
    "narrative": "文字与表格",
    "years": "年份",
    "names": "名称与层级",
    "text": "文字质量",
    "plausibility": "合理性",
}


def table_key(table: Table, disclosure: Disclosure) -> str:
    """The table's id, made unique when a merged disclosure holds two tables with one id."""
    same = [t for t in disclosure.tables if t.id == table.id]
    if len(same) == 1:
        return table.id
    return f"{table.id}-{next(i for i, t in enumerate(same) if t is table) + 1}"


def table_arithmetic(disclosure: Disclosure, checks: CheckCollector) -> None:
    """Every one-table rule of `tables.TABLE_RULES` over every table, table by table."""
    for table in disclosure.tables:
        key = table_key(table, disclosure)
        for rule in TABLE_RULES:
            rule(table, key, checks)


def narrative_figures(disclosure: Disclosure, checks: CheckCollector) -> None:
    """Every figure of `narrative.NARRATIVE_RULES` against its table."""
    for rule in NARRATIVE_RULES:
        rule(disclosure, checks)


# id (the prefix of every check id the rule reports), family, worst severity, what it compares, the function.
# Arithmetic and the narrative figures first, as before the registry (data.json keeps its order).
RULES: list[Rule] = [
    Rule("balance", "arithmetic", "fail", "收入总计 = 支出总计", table_arithmetic),
    Rule("side-sum", "arithmetic", "fail", "收支总表各方合计 = 各项之和", table_arithmetic),
    Rule("code-sum", "arithmetic", "fail", "上级科目 = 下级科目之和", table_arithmetic),
    Rule("total-sum", "arithmetic", "fail", "合计行 = 类级科目之和", table_arithmetic),
    Rule("subtotal-sum", "arithmetic", "fail", "政府采购 合计 = 小计之和", table_arithmetic),
    Rule("row-sum", "arithmetic", "fail", "合计栏 = 各栏之和", table_arithmetic),
    Rule("basic-expenditure-sum", "arithmetic", "fail", "基本支出 = 人员经费 + 公用经费", table_arithmetic),
    Rule("three-public-sum", "arithmetic", "fail", "三公 小计 = 各项之和", table_arithmetic),
    Rule("assets-sum", "arithmetic", "fail", "资产总额 = 各项之和", table_arithmetic),
    Rule("project-funds", "arithmetic", "fail", "项目预算数 = 财政资金 + 其他资金", project_checks),
    Rule("projects-vs-project-expenditure", "arithmetic", "fail", "项目预算数之和与项目支出", project_checks),
    Rule("narrative", "narrative", "fail", "正文金额 = 表格金额", narrative_figures),
    Rule("narrative-sum", "narrative", "fail", "正文各分项之和 = 正文总额", narrative_sums),
    Rule("structure-tables", "structure", "fail", "模板要求的表齐全", structure.required_tables_rule),
    Rule("structure-duplicate", "structure", "warn", "模板的表不重复", structure.duplicate_tables_rule),
    Rule("structure-order", "structure", "warn", "各表按模板顺序", structure.table_order_rule),
    Rule(
        "structure-empty", "structure", "warn", "空表注明“本表无数据”", structure.empty_table_statement_rule
    ),
    Rule(
        "structure-empty-note",
        "structure",
        "fail",
        "有数字的表不注明无数据",
        structure.empty_table_statement_rule,
    ),
    Rule(
        "cross-class",
        "between-tables",
        "fail",
        "收支总表类级科目 = 支出表类级科目",
        crosstable.class_lines_rule,
    ),
    Rule(
        "cross-total",
        "between-tables",
        "fail",
        "收支总表本年合计 = 收入/支出总表合计",
        crosstable.side_totals_rule,
    ),
    Rule(
        "cross-fiscal",
        "between-tables",
        "fail",
        "只有财政拨款收入时 收支总表收入总计 = 财政拨款收支总表收入总计",
        crosstable.fiscal_total_rule,
    ),
    Rule(
        "cross-basic",
        "between-tables",
        "fail",
        "支出表基本支出 = 基本支出表合计",
        crosstable.basic_expenditure_rule,
    ),
    Rule("narrative-total", "narrative", "fail", "正文总计/合计 = 收支总表", statements.totals_rule),
    Rule("narrative-change", "narrative", "fail", "增减百分比按两个金额重算", statements.two_levels_rule),
    Rule(
        "narrative-change-amount",
        "narrative",
        "fail",
        "增减百分比按金额和增减额重算",
        statements.level_and_change_rule,
    ),
    Rule("narrative-share", "narrative", "fail", "占比按分项和总额重算", statements.share_rule),
    Rule(
        "narrative-completion",
        "narrative",
        "fail",
        "年初预算为0时不写“完成年初预算的X%”",
        statements.completion_of_zero_rule,
    ),
    Rule(
        "narrative-direction",
        "narrative",
        "fail",
        "大于/小于/持平与两个金额相符",
        statements.comparison_word_rule,
    ),
    Rule("narrative-reason", "narrative", "warn", "增减变化写明原因", statements.change_reason_rule),
    Rule("narrative-flat", "narrative", "warn", "“持平”与所述原因不矛盾", statements.flat_with_reason_rule),
    Rule(
        "narrative-empty-table",
        "narrative",
        "fail",
        "正文金额所在的表不是空表",
        statements.quoted_for_empty_table_rule,
    ),
    Rule(
        "narrative-operating-costs",
        "narrative",
        "fail",
        "正文机关运行经费 = 表中机关运行经费",
        statements.operating_costs_rule,
    ),
    Rule(
        "narrative-procurement",
        "narrative",
        "fail",
        "正文政府采购 = 货物 + 工程 + 服务",
        breakdowns.procurement_rule,
    ),
    Rule("narrative-vehicles", "narrative", "fail", "正文车辆总数 = 各类用车之和", breakdowns.vehicles_rule),
    Rule(
        "narrative-three-public",
        "narrative",
        "fail",
        "正文三公经费各项 = 三公表各栏",
        sangong.three_public_rule,
    ),
    Rule("narrative-item", "narrative", "fail", "正文各项金额 = 表中该科目金额", items.class_item_rule),
    Rule("narrative-item-twice", "narrative", "fail", "正文同一科目前后金额一致", items.class_item_rule),
    Rule(
        "narrative-unexplained",
        "narrative",
        "warn",
        "逐项说明时表中每个“项”都有说明",
        items.unexplained_items_rule,
    ),
    Rule(
        "narrative-listed",
        "narrative",
        "warn",
        "正文列出的经费项目在基本支出表中有金额",
        items.listed_items_rule,
    ),
    Rule("year-heading", "years", "fail", "标题年份 = 报告年度", years.heading_year_rule),
    Rule(
        "year-comparison", "years", "fail", "与上年比较，不与本年或以后年度比较", years.comparison_year_rule
    ),
    Rule("year-period", "years", "warn", "预算项目的实施周期不早于预算年度", years.project_period_rule),
    Rule("name-department", "names", "fail", "标题和编制部门是本部门", names.other_department_rule),
    Rule("name-level", "names", "warn", "部门/单位用语与文件层级一致", names.level_wording_rule),
    Rule("name-class-path", "names", "warn", "正文“类/款/项”名称路径 = 表中科目", items.named_path_rule),
    Rule("name-class", "names", "fail", "正文科目名称 = 表中名称", names.class_name_rule),
    Rule("text-placeholder", "text", "fail", "无模板占位符（XX、待填写）", text.placeholder_rule),
    Rule(
        "text-template-wording",
        "text",
        "fail",
        "无未选定的模板用语（增加（减少））",
        text.template_wording_rule,
    ),
    Rule("text-truncated", "text", "fail", "无残句（主要原因是。）", text.truncated_rule),
    Rule("text-punctuation", "text", "warn", "无重复或混用的标点", text.punctuation_rule),
    Rule("text-brackets", "text", "warn", "括号和引号成对", text.brackets_rule),
    Rule("text-final-stop", "text", "warn", "段落以句号结束", text.final_stop_rule),
    Rule("text-repeated", "text", "warn", "无重复段落", text.repeated_paragraph_rule),
    Rule("text-repeated-word", "text", "warn", "无连写两次的词（增加增加）", text.repeated_word_rule),
    Rule("text-wording", "text", "warn", "“与……持平”而非“比……持平”", text.flat_wording_rule),
    Rule("plausible-percent", "plausibility", "fail", "占比和降幅不超过100%", plausibility.percent_rule),
    Rule("plausible-zero-total", "plausibility", "fail", "总计为0时无非零分项", plausibility.zero_total_rule),
    Rule("plausible-unit", "plausibility", "warn", "金额单位与全文一致（万元）", plausibility.unit_slip_rule),
    Rule("plausible-code", "plausibility", "fail", "科目编码是有效的类/款/项", plausibility.code_rule),
]


def rule_of(check_id: str) -> Rule | None:
    """The rule that reported a check, from the check id's prefix (`code-sum:…` → code-sum)."""
    prefix = check_id.split(":", 1)[0].split("#", 1)[0]
    return _BY_ID.get(prefix)


def family_of(check_id: str) -> Family | None:
    """The family of the rule that reported a check (None for an id no rule of this version reports)."""
    rule = rule_of(check_id)
    return rule.family if rule is not None else None


_BY_ID = {rule.id: rule for rule in RULES}


def run_checks(disclosure: Disclosure) -> list[Check]:
    """Run every rule of `RULES` on `disclosure`; numbers are read, never changed."""
    collector = CheckCollector()
    done: set[Callable[[Disclosure, CheckCollector], None]] = set()
    for rule in RULES:
        # Some functions report under several ids (code-sum and total-sum): run each function once.
        if rule.run in done:
            continue
        done.add(rule.run)
        rule.run(disclosure, collector)
    return collector.result()
