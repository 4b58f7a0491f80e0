"""Narrative statements against their own figures and the tables: what a reviewer recomputes by hand.

- a percentage recomputed from the figures its sentence gives (43269.3 → 3845.49 is not "增加17.62%");
- a share "A万元，占p%" recomputed against the total the sentence breaks down;
- 大于 / 小于 / 持平 against the two figures compared;
- a 持平 whose stated reason says 增加 or 减少;
- the 决算 totals (收入支出总计, 财政拨款收入支出总计, 本年收入合计, 本年支出合计) against the summary tables;
- an amount the text quotes while its table is empty.

Tolerance, stated once for every recomputation here: each printed figure stands for an interval of half a
unit of its last digit (3845.49 → [3845.485, 3845.495]; 17.62% → [17.615, 17.625]). A statement is wrong only
when no values inside those intervals make it true — so rounding never raises a finding. A text figure
against a table figure: equal after rounding the table figure to the text's printed precision is agreement
("6.2万元" for 6.20; "9628.22万元" for 96,282,213.44 元); within one unit of the text's last digit (plus the
table's half-unit) is a warn — the text truncated instead of rounding (2,049,197.00 元 written "204.91万元");
beyond it a fail. So 元↔万元 differences up to 0.01万元 (0.1万元 for a text with one decimal) never fail.
"""

from __future__ import annotations

import re
from decimal import ROUND_HALF_UP, Decimal

from budgetsite.check.base import CheckCollector, fmt, half_unit
from budgetsite.check.findings import AMOUNT, Paragraph, amount, excerpt, paragraphs, report, table_where
from budgetsite.check.tables import find_total_cell, value_right_of
from budgetsite.model import Check, Disclosure, Status, Table
from budgetsite.recognize.catalog import find_table
from budgetsite.recognize.table_layout import Layout, number
from budgetsite.units import to_wan_yuan

HUNDRED = Decimal(100)
UP = ("增加", "增长", "上升", "提高", "调增")
DOWN = ("减少", "下降", "降低", "压减", "调减")
VERB = "|".join(UP + DOWN)


def interval(value: Decimal) -> tuple[Decimal, Decimal]:
    """The values a printed figure may stand for: ± half a unit of its last digit."""
    half = half_unit(value)
    return value - half, value + half


def overlaps(a: tuple[Decimal, Decimal], b: tuple[Decimal, Decimal]) -> bool:
    return a[0] <= b[1] and b[0] <= a[1]


def verdict(possible: tuple[Decimal, Decimal], stated: Decimal) -> Status | None:
    """None when rounding explains the stated percentage; warn when it is one unit of its last digit off
    (truncated instead of rounded: 16.0776% printed 16.07%); fail beyond that."""
    if overlaps(possible, interval(stated)):
        return None
    unit = half_unit(stated) * 2
    return "warn" if overlaps(possible, (stated - unit, stated + unit)) else "fail"


def percent_text(value: Decimal) -> str:
    return fmt(value.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP))


# --- a percentage change recomputed ------------------------------------------------------------------

# "2025年当年预算执行数为43269.3万元，2026年预算安排3845.49万元，比2025年预算执行数增加17.62%"
_TAGGED_AMOUNT = re.compile(r"(上年|本年|(20\d{2})\s*年)[^，,。；;%]*?" + AMOUNT + r"\s*万元")
_CHANGE_PERCENT = re.compile(
    r"(?:比|较|与)\s*(上年|(20\d{2})\s*年)[^，,。；;%\d]*?(" + VERB + r")\s*" + AMOUNT + "%"
)


def _year_of(token: str, digits: str | None, report_year: int) -> int:
    return int(digits) if digits else report_year - 1 if token == "上年" else report_year


def two_levels_rule(disclosure: Disclosure, checks: CheckCollector) -> None:
    """A change between two figures the sentence gives, recomputed: (new − old) / old."""
    for paragraph in paragraphs(disclosure):
        for sentence_start, sentence in _sentences(paragraph.text):
            change = _CHANGE_PERCENT.search(sentence)
            if change is None:
                continue
            base_year = _year_of(change.group(1), change.group(2), disclosure.year)
            levels = {
                _year_of(m.group(1), m.group(2), disclosure.year): amount(m.group(3))
                for m in _TAGGED_AMOUNT.finditer(sentence[: change.start()])
            }
            old = levels.get(base_year)
            new = next((v for y, v in levels.items() if y != base_year), None)
            if old is None or new is None or len(levels) != 2 or old == 0:
                continue
            _judge_change(
                checks,
                paragraph,
                sentence,
                change.group(3),
                amount(change.group(4)),
                old,
                new,
                sentence_start,
            )


def _judge_change(
    checks: CheckCollector,
    paragraph: Paragraph,
    sentence: str,
    verb: str,
    stated: Decimal,
    old: Decimal,
    new: Decimal,
    offset: int,
) -> None:
    low_old, high_old = interval(old)
    low_new, high_new = interval(new)
    possible = ((low_new / high_old - 1) * HUNDRED, (high_new / low_old - 1) * HUNDRED)
    signed = stated if verb in UP else -stated
    status = verdict(possible, signed)
    if status is None:
        return
    actual = (new / old - 1) * HUNDRED
    direction = "增加" if actual > 0 else "减少"
    report(
        checks,
        f"narrative-change:{paragraph.section_number}.{paragraph.index}",
        status,
        paragraph.where,
        sentence,
        f"由 {fmt(old)} 到 {fmt(new)} 是{direction}{percent_text(abs(actual))}%，不是{verb}{fmt(stated)}%",
        "请核对两个金额和百分比，改正错误的一处",
        expected=percent_text(actual),
        actual=fmt(signed),
    )


# "收入支出总计2995.39万元。与2023年度相比，收入支出总计减少56.95万元，下降1.87%": the change against the old
# level (2995.39 + 56.95). The level is the nearest amount before the change, with no other amount between.
_LEVEL_CHANGE_PERCENT = re.compile(
    AMOUNT
    + r"\s*万元(?P<between>(?:(?!万元).){0,80}?)(?P<verb>"
    + VERB
    + r")\s*(?P<change>"
    + AMOUNT[1:-1]
    + r")\s*万元[，,、]?\s*(?:"
    + VERB
    + r")?\s*(?P<pct>"
    + AMOUNT[1:-1]
    + r")\s*%"
)


# "（2016年度部门支出预算安排为8,648.07万元），增加498.72万元": the level is the old one when a year before
# the report year (or 上年) labels it.
_OLD_LABEL = re.compile(r"(上年|(20\d{2})\s*年)[^，,。；;]{0,20}$")


def _level_is_old(paragraph_text: str, level_start: int, report_year: int) -> bool:
    label = _OLD_LABEL.search(paragraph_text[max(0, level_start - 30) : level_start])
    return label is not None and (label.group(1) == "上年" or int(label.group(2)) < report_year)


def _change_range(
    level: Decimal, change: Decimal, rising: bool, level_is_old: bool
) -> tuple[Decimal, Decimal]:
    """The percentages D / old that the printed level X and change D allow (old = X, or X ∓ D)."""
    low_d, high_d = interval(change)
    low_x, high_x = interval(level)
    if level_is_old:
        return low_d / high_x * HUNDRED, high_d / low_x * HUNDRED
    if rising:
        return low_d / (high_x - low_d) * HUNDRED, high_d / (low_x - high_d) * HUNDRED
    return low_d / (high_x + low_d) * HUNDRED, high_d / (low_x + high_d) * HUNDRED


def level_and_change_rule(disclosure: Disclosure, checks: CheckCollector) -> None:
    """ "X万元…减少D万元，下降p%": p recomputed as D / old, old = X ± D (or X when X is labelled 上年)."""
    for paragraph in paragraphs(disclosure):
        for match in _LEVEL_CHANGE_PERCENT.finditer(paragraph.text):
            level, change = amount(match.group(1)), amount(match.group("change"))
            stated = amount(match.group("pct"))
            rising = match.group("verb") in UP
            level_is_old = _level_is_old(paragraph.text, match.start(), disclosure.year)
            old = level if level_is_old else level - change if rising else level + change
            if old <= 0 or (change >= level and rising and not level_is_old):
                continue
            status = verdict(_change_range(level, change, rising, level_is_old), stated)
            if status is None:
                continue
            problem = ""
            if not level_is_old and verdict(_change_range(level, change, rising, True), stated) is None:
                # 101.48 / 6106.99 = 1.66%: the percentage was taken of this year's figure, not last year's.
                status, problem = "warn", "（文中百分比是以本年数为基数算的，应以上年数为基数）"
            actual = change / old * HUNDRED
            report(
                checks,
                f"narrative-change-amount:{paragraph.section_number}.{paragraph.index}",
                status,
                paragraph.where,
                excerpt(paragraph.text, match.start(), match.end(), 0),
                f"{match.group('verb')}{fmt(change)}万元，上年是 {fmt(old)}万元，"
                f"变动 {percent_text(actual)}%，不是 {fmt(stated)}%{problem}",
                "请核对金额、增减额和百分比，改正错误的一处",
                expected=percent_text(actual),
                actual=fmt(stated),
            )


# --- shares --------------------------------------------------------------------------------------

_BREAKDOWN = re.compile(AMOUNT + r"\s*万元[，,。：:]?\s*(?:其中|主要用于|包括|具体)")
_SHARE = re.compile(AMOUNT + r"\s*万元[，,]\s*占\s*" + AMOUNT + "%")
_COMPLETION = re.compile(
    r"预算(?:数)?(?:为|是)?\s*"
    + AMOUNT
    + r"\s*万元[，,]\s*(?:支出)?决算(?:数)?(?:为|是)?\s*"
    + AMOUNT
    + r"\s*万元[，,]\s*完成(?:年初)?预算的\s*"
    + AMOUNT
    + "%"
)


def share_rule(disclosure: Disclosure, checks: CheckCollector) -> None:
    """ "总额T万元，其中：A万元，占p%" — p recomputed as A / T; "完成年初预算的p%" as 决算 / 预算."""
    for paragraph in paragraphs(disclosure):
        breakdown = _BREAKDOWN.search(paragraph.text)
        if breakdown is not None:
            total = amount(breakdown.group(1))
            for share in _SHARE.finditer(paragraph.text, breakdown.end()):
                _judge_share(
                    checks,
                    paragraph,
                    share.start(),
                    share.end(),
                    amount(share.group(1)),
                    total,
                    amount(share.group(2)),
                    "占",
                )
        for done in _COMPLETION.finditer(paragraph.text):
            _judge_share(
                checks,
                paragraph,
                done.start(),
                done.end(),
                amount(done.group(2)),
                amount(done.group(1)),
                amount(done.group(3)),
                "完成预算",
            )


def _judge_share(
    checks: CheckCollector,
    paragraph: Paragraph,
    start: int,
    end: int,
    part: Decimal,
    total: Decimal,
    stated: Decimal,
    what: str,
) -> None:
    if total == 0:
        return
    low_p, high_p = interval(part)
    low_t, high_t = interval(total)
    possible = (low_p / high_t * HUNDRED, high_p / low_t * HUNDRED)
    status = verdict(possible, stated)
    if status is None:
        return
    actual = part / total * HUNDRED
    report(
        checks,
        f"narrative-share:{paragraph.section_number}.{paragraph.index}",
        status,
        paragraph.where,
        excerpt(paragraph.text, start, end, 0),
        f"{fmt(part)} ÷ {fmt(total)} = {percent_text(actual)}%，不是{what} {fmt(stated)}%",
        "请核对金额和百分比",
        expected=percent_text(actual),
        actual=fmt(stated),
    )


# "年初预算为0万元，支出决算为307.82万元，完成年初预算的95.89%": no rate can be taken of a budget of 0.
_COMPLETION_OF_ZERO = re.compile(
    r"年初预算(?:数)?(?:为|是)?\s*0(?:\.0+)?\s*万元[^。]{0,40}?完成年初预算的\s*" + AMOUNT + "%"
)


def completion_of_zero_rule(disclosure: Disclosure, checks: CheckCollector) -> None:
    """ "完成年初预算的X%" when the 年初预算 is 0 (the rate is of the full-year budget, or none)."""
    for paragraph in paragraphs(disclosure):
        for match in _COMPLETION_OF_ZERO.finditer(paragraph.text):
            if amount(match.group(1)) == 0:
                continue
            report(
                checks,
                f"narrative-completion:{paragraph.section_number}.{paragraph.index}",
                "fail",
                paragraph.where,
                excerpt(paragraph.text, match.start(), match.end(), 0),
                "年初预算为0，不能算出“完成年初预算”的百分比",
                "请改为“完成全年预算的X%”并说明年初预算为0的原因",
            )


# --- 大于 / 小于 / 持平 -----------------------------------------------------------------------------

_BUDGET_VS_FINAL = re.compile(
    r"预算(?:数)?(?:为|是)?\s*"
    + AMOUNT
    + r"\s*万元[，,]\s*(?:支出)?决算(?:数)?(?:为|是)?\s*"
    + AMOUNT
    + r"\s*万元[。；，,]?\s*(?:决算数)?(大于|高于|超过|小于|低于|少于|与预算数(?:基本)?持平|等于)"
)


def comparison_word_rule(disclosure: Disclosure, checks: CheckCollector) -> None:
    """ "年初预算为A万元，支出决算为B万元。决算数小于预算数": the word must fit A and B."""
    for paragraph in paragraphs(disclosure):
        for match in _BUDGET_VS_FINAL.finditer(paragraph.text):
            budget, final, word = amount(match.group(1)), amount(match.group(2)), match.group(3)
            if word in ("大于", "高于", "超过"):
                wrong = final <= budget
            elif word in ("小于", "低于", "少于"):
                wrong = final >= budget
            elif "基本" in word:
                wrong = budget != 0 and abs(final - budget) / budget > Decimal("0.05")
            else:
                wrong = final != budget
            if not wrong:
                continue
            truth = "大于" if final > budget else "小于" if final < budget else "等于"
            report(
                checks,
                f"narrative-direction:{paragraph.section_number}.{paragraph.index}",
                "fail" if "持平" not in word else "warn",
                paragraph.where,
                excerpt(paragraph.text, match.start(), match.end(), 0),
                f"决算数 {fmt(final)} {truth}预算数 {fmt(budget)}，文字却说“{word}”",
                "请按两个数的实际大小改正用词",
            )


_CHANGE_WORDS = re.compile("|".join(UP + DOWN + ("减少支付", "增支", "减支")))
_FLAT_REASON = re.compile(r"持平[。，,；]?\s*(?:主要)?原因[是为：:]?")


def flat_with_reason_rule(disclosure: Disclosure, checks: CheckCollector) -> None:
    """ "…总计持平。主要原因：…减少支付" — the stated reason explains a change the sentence denies."""
    items = list(paragraphs(disclosure))
    for position, paragraph in enumerate(items):
        match = _FLAT_REASON.search(paragraph.text)
        if match is None:
            continue
        reason = paragraph.text[match.end() :]
        if not reason.strip("。 ") and position + 1 < len(items):
            reason = items[position + 1].text  # the reason continues after a page break
        change = _CHANGE_WORDS.search(reason)
        if change is None:
            continue
        report(
            checks,
            f"narrative-flat:{paragraph.section_number}.{paragraph.index}",
            "warn",
            paragraph.where,
            excerpt(paragraph.text, match.start(), match.end(), 30) + f"……{change.group(0)}",
            f"说“持平”，所述原因却是“{change.group(0)}”：两者矛盾",
            "请核对与上年相比的增减情况，改正“持平”或原因",
        )


def _sentences(text: str) -> list[tuple[int, str]]:
    """(offset, sentence) pieces of a paragraph, split after 。"""
    found, start = [], 0
    for match in re.finditer(r"[^。]+。?", text):
        found.append((match.start(), match.group(0)))
        start = match.end()
    return found if found else [(start, text)]


# --- 决算 totals in the text against the summary tables -------------------------------------------

TotalLookup = tuple[str, str, re.Pattern[str]]


def _text_total(
    name: str, words: str, table_id: str, label: str, cell_pattern: str
) -> tuple[str, re.Pattern[str], TotalLookup]:
    """A total the text states ("收入支出总计2995.39万元") and the summary-table cell it must equal."""
    stated = re.compile(words + r"(?:为|是)?\s*" + AMOUNT + r"\s*万元")
    return name, stated, (table_id, label, re.compile(cell_pattern))


_AFTER_NAME_OR_START = r"(?:^|(?<=[，,。：:；\s])|(?<=[局委会处室院厅办]))"
TEXT_TOTALS = [
    _text_total(
        "收入支出总计",
        r"(?<!拨款)收入支出(?:决算)?总计",
        "income-expenditure-summary",
        "总计",
        r"^(?:收入)?总计$",
    ),
    _text_total(
        "财政拨款收入支出总计",
        r"财政拨款收入支出(?:决算)?总计",
        "fiscal-appropriation-summary",
        "总计",
        r"^(?:收入)?总计$",
    ),
    # "上海市普陀区司法局收入预算9628.22万元", "支出预算9628.22万元，其中：…": the department's whole budget, said
    # after its name or at a sentence start (not 项目支出预算, 财政拨款支出预算: parts; not "2024年收入预算",
    # which `narrative` checks).
    _text_total(
        "收入预算",
        _AFTER_NAME_OR_START + r"收入预算(?:总计|总额)?",
        "income-expenditure-summary",
        "收入总计",
        r"^收入总计$",
    ),
    _text_total(
        "支出预算",
        _AFTER_NAME_OR_START + r"支出预算(?:总计|总额)?",
        "income-expenditure-summary",
        "支出总计",
        r"^支出总计$",
    ),
    _text_total(
        "本年收入合计",
        r"本年收入(?:决算)?合计",
        "income-expenditure-summary",
        "本年收入合计",
        r"^本年收入合计$",
    ),
    _text_total(
        "本年支出合计",
        r"本年支出(?:决算)?合计",
        "income-expenditure-summary",
        "本年支出合计",
        r"^本年支出合计$",
    ),
]


def totals_rule(disclosure: Disclosure, checks: CheckCollector) -> None:
    """ "财政拨款收入支出总计0.3万元" against 财政拨款收入支出决算总表 总计 2,961.68."""
    for name, pattern, (table_id, label, cell_pattern) in TEXT_TOTALS:
        table = find_table(disclosure, table_id)
        if table is None:
            continue
        found = value_right_of(table, cell_pattern)
        if found is None or found[1] is None:
            continue
        for paragraph in paragraphs(disclosure):
            match = pattern.search(paragraph.text)
            if match is None:
                continue
            compare_with_table(
                checks,
                f"narrative-total:{name}",
                paragraph,
                excerpt(paragraph.text, match.start(), match.end(), 0),
                amount(match.group(1)),
                table,
                label,
                found[1],
            )
            break


def compare_with_table(
    checks: CheckCollector,
    check_id: str,
    paragraph: Paragraph,
    quote: str,
    stated: Decimal,
    table: Table,
    label: str,
    printed: Decimal,
) -> None:
    """A text figure in 万元 against a table cell as printed (any unit); see the module's tolerance."""
    value = to_wan_yuan(printed, table.unit)
    assert value is not None
    exponent = stated.as_tuple().exponent
    precision = Decimal(1).scaleb(exponent if isinstance(exponent, int) else 0)  # the text's last digit
    rounded = value.quantize(precision, rounding=ROUND_HALF_UP)
    converted = "" if table.unit in (None, "万元") else f"（{fmt(value)}万元）"
    where_table = f"{table_where(table)} {label} {fmt(printed)}{table.unit or ''}{converted}"
    if rounded == stated:
        checks.add(
            Check(f"{check_id}", "pass", f"{paragraph.where}“{quote}”与{where_table}一致"),
            group=check_id,
            group_label=f"正文与表格 {check_id.partition(':')[2] or check_id}",
        )
        return
    # One unit of the text's last digit: the text may truncate (204.9197 → 204.91) instead of rounding.
    bound = 2 * half_unit(stated) + (to_wan_yuan(half_unit(printed), table.unit) or Decimal(0))
    status: Status = "warn" if abs(value - stated) <= bound else "fail"
    report(
        checks,
        check_id,
        status,
        paragraph.where,
        quote,
        f"正文 {fmt(stated)}万元，{where_table}，相差 {fmt(abs(value - stated))}万元"
        + ("，在末位一个单位以内（舍入或截尾差异）" if status == "warn" else ""),
        "请以表格为准改正正文，或改正表格",
        expected=value,
        actual=stated,
    )


# --- an amount quoted for an empty table ---------------------------------------------------------

EMPTY_TABLE_FIGURES: list[tuple[str, re.Pattern[str]]] = [
    (
        "three-public-expenses",
        re.compile(
            r"“?三公”?经费[^。；%]{0,20}?(?:预算|决算|支出)[^。；%]{0,8}?(?:为|是)?" + AMOUNT + r"\s*万元"
        ),
    ),
    (
        "government-fund-expenditure",
        re.compile(r"政府性基金预算(?:财政)?拨款(?:收入|支出)[^。；%\d]{0,10}?" + AMOUNT + r"\s*万元"),
    ),
    (
        "state-capital-expenditure",
        re.compile(r"国有资本经营预算(?:财政)?拨款(?:收入|支出)[^。；%\d]{0,10}?" + AMOUNT + r"\s*万元"),
    ),
]


def has_figures(table: Table) -> bool:
    """Whether any cell of the table holds a non-zero amount (codes are text, so they do not count)."""
    layout = Layout.of(table)
    return any(
        (value := number(row[index])) is not None and value != 0
        for row in table.rows
        for index in layout.amounts
        if index < len(row)
    )


def quoted_for_empty_table_rule(disclosure: Disclosure, checks: CheckCollector) -> None:
    """The text quotes a non-zero amount (三公 0.95万元) for a table that prints no figure at all."""
    for table_id, pattern in EMPTY_TABLE_FIGURES:
        table = find_table(disclosure, table_id)
        if table is None or has_figures(table):
            continue
        for paragraph in paragraphs(disclosure):
            match = next((m for m in pattern.finditer(paragraph.text) if amount(m.group(1)) != 0), None)
            if match is None:
                continue
            report(
                checks,
                f"narrative-empty-table:{table.id}",
                "fail",
                paragraph.where,
                excerpt(paragraph.text, match.start(), match.end(), 0),
                f"正文写有 {match.group(1)}万元，{table_where(table)}却没有任何数字",
                "请补齐表格数字，或改正正文",
            )
            break


# --- 机关运行经费 against the table that prints it ---------------------------------------------------

OPERATING_COSTS = re.compile(r"机关运行经费(?:预算|支出)?(?:数)?(?:安排)?(?:为|是)?\s*" + AMOUNT + r"\s*万元")


def operating_costs_rule(disclosure: Disclosure, checks: CheckCollector) -> None:
    """ "机关运行经费预算为217.83万元" against the 机关运行经费 column of the 三公 table (上海 prints it there),
    else against the 公用经费 of the 基本支出表."""
    table = find_table(disclosure, "three-public-expenses")
    column = None
    if table is not None:
        column = next((i for i, c in enumerate(table.columns) if "机关运行经费" in c.label), None)
    printed = None
    if table is not None and column is not None:
        printed = next((number(r[column]) for r in table.rows if column < len(r)), None)
    if table is None or column is None or printed is None:
        _operating_costs_against_public(disclosure, checks)
        return
    for paragraph in paragraphs(disclosure):
        match = OPERATING_COSTS.search(paragraph.text)
        if match is None:
            continue
        quote = excerpt(paragraph.text, match.start(), match.end(), 0)
        label = re.sub(r"\s+", "", table.columns[column].label)
        compare_with_table(
            checks,
            "narrative-operating-costs:机关运行经费",
            paragraph,
            quote,
            amount(match.group(1)),
            table,
            label,
            printed,
        )
        return


def _operating_costs_against_public(disclosure: Disclosure, checks: CheckCollector) -> None:
    """Without a 机关运行经费 column: against 公用经费 of the 基本支出表, which it equals for an administrative
    department — a warn only, since a department with 事业单位 may differ legitimately."""
    found = find_total_cell(disclosure, "general-public-budget-basic-expenditure", "public", "公用经费")
    if found is None or number(found[1][found[2]]) is None:
        return
    table, row, column = found
    for paragraph in paragraphs(disclosure):
        match = OPERATING_COSTS.search(paragraph.text)
        if match is None:
            continue
        stated, printed = amount(match.group(1)), number(row[column])
        assert printed is not None
        value = to_wan_yuan(printed, table.unit)
        if value is None or abs(value - stated) <= 2 * half_unit(stated):
            return
        report(
            checks,
            "narrative-operating-costs:公用经费",
            "warn",
            paragraph.where,
            excerpt(paragraph.text, match.start(), match.end(), 0),
            f"机关运行经费 {fmt(stated)}万元，{table_where(table)}公用经费合计 {fmt(printed)}{table.unit or ''}"
            "（行政单位的机关运行经费即其公用经费）",
            "请核对机关运行经费，或说明两者口径的差别",
            expected=value,
            actual=stated,
        )
        return


# --- a change without its reason ------------------------------------------------------------------

_CHANGE_STATED = re.compile(
    r"(?:比|较|与)\s*(?:上年|20\d{2}\s*年)[^，。；]{0,12}?(?:相比)?[^，。；]{0,6}?("
    + VERB
    + r")\s*"
    + AMOUNT
    + r"\s*(?:万元|%)"
)
_REASON = re.compile(r"原因|由于|因为|主要是|主要为|主要用于|系|为了|用于|所致")


def change_reason_rule(disclosure: Disclosure, checks: CheckCollector) -> None:
    """A change from last year ("与上年相比增加80.00万元。") with no reason after it in its section.

    The template asks for the reason; 上海 documents give it paragraphs later ("财政拨款收入支出增加的主要原因是…").
    """
    found = list(paragraphs(disclosure))
    for position, paragraph in enumerate(found):
        match = next((m for m in _CHANGE_STATED.finditer(paragraph.text) if amount(m.group(2)) != 0), None)
        if match is None or _REASON.search(paragraph.text):
            continue
        rest = (p for p in found[position + 1 :] if p.section_number == paragraph.section_number)
        if any(_REASON.search(p.text) for p in rest):
            continue
        report(
            checks,
            f"narrative-reason:{paragraph.section_number}.{paragraph.index}",
            "warn",
            paragraph.where,
            excerpt(paragraph.text, match.start(), match.end(), 20),
            "说明了与上年相比的增减，没有说明原因",
            "请补充增减变化的主要原因",
        )
