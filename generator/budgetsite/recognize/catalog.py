"""The standard tables: canonical ids, the titles they are printed under, and stable column keys.

Plain data on purpose: a new template (another province, 决算 instead of 预算) is supported by adding
its printed title to TABLE_TITLES, not by writing code. Titles are compared after `normalize_title`
(no spaces, no numbering like "一、" / "1." / "公开01表", no leading year "2026年"/"2026年度").
"""

from __future__ import annotations

import re

from budgetsite.model import Disclosure, Table

# id → printed titles (variants seen in real files; first one is the default title). Jiangsu's
# 财政拨款支出预算表 / 财政拨款基本支出预算表 cover government funds too: they are not the 一般公共预算 tables
# and get ids of their own.
TABLE_TITLES: dict[str, tuple[str, ...]] = {
    "income-expenditure-summary": (
        "部门预算收支总表",
        "收支预算总表",
        "部门收支预算总表",
        "部门收支总表",
        "收支总表",
        "部门财务收支预算总表",
        "财务收支预算总表",
        "部门收支总体情况表",
    ),
    "income-summary": (
        "部门预算收入总表",
        "收入预算总表",
        "部门收入预算总表",
        "部门收入总表",
        "收入总表",
        "部门收入总体情况表",
    ),
    "expenditure-summary": (
        "部门预算支出总表",
        "支出预算总表",
        "部门支出预算总表",
        "部门支出总表",
        "支出总表",
        "部门支出总体情况表",
    ),
    "fiscal-appropriation-summary": (
        "部门预算财政拨款收支总表",
        "财政拨款收支预算总表",
        "部门财政拨款收支预算总表",
        "财政拨款收支总表",
        "部门财政拨款收支总表",
        "财政拨款收支总体情况表",
    ),
    "fiscal-appropriation-expenditure": ("财政拨款支出预算表", "财政拨款支出预算表（功能科目）"),
    "fiscal-appropriation-basic-expenditure": (
        "财政拨款基本支出预算表",
        "财政拨款基本支出预算表（经济科目）",
    ),
    "general-public-budget-expenditure": (
        "部门预算一般公共预算财政拨款支出表",
        "一般公共预算财政拨款支出表",
        "一般公共预算支出表",
        "一般公共预算支出预算表",
        "一般公共预算支出预算表（功能科目）",
        "部门一般公共预算支出功能分类预算表",
        "一般公共预算支出功能分类预算表",
        "一般公共预算财政拨款支出预算表",
    ),
    "general-public-budget-basic-expenditure": (
        "部门预算一般公共预算财政拨款基本支出表",
        "一般公共预算财政拨款基本支出表",
        "一般公共预算基本支出表",
        "一般公共预算基本支出预算表",
        "一般公共预算基本支出预算表（经济科目）",
        "部门一般公共预算基本支出部门预算经济分类预算表",
        "一般公共预算基本支出部门预算经济分类预算表",
        "一般公共预算财政拨款基本支出预算表",
    ),
    "government-fund-expenditure": (
        "部门预算政府性基金预算财政拨款支出表",
        "部门预算政府基金预算财政拨款支出表",
        "政府性基金预算财政拨款支出表",
        "政府基金预算财政拨款支出表",
        "政府性基金预算支出表",
        "政府性基金支出预算表",
        "财政拨款政府性基金支出预算表",
        "部门政府性基金预算支出功能分类预算表",
        "政府性基金预算支出功能分类预算表",
        "政府性基金预算财政拨款支出预算表",
    ),
    "state-capital-expenditure": (
        "部门预算国有资本经营预算财政拨款支出表",
        "国有资本经营预算财政拨款支出表",
        "国有资本经营预算支出表",
        "国有资本经营预算支出预算表",
        "部门国有资本经营预算支出功能分类预算表",
        "国有资本经营预算支出功能分类预算表",
        "国有资本经营预算财政拨款支出预算表",
    ),
    "operating-costs": (
        "一般公共预算机关运行经费支出预算表",
        "机关运行经费支出预算表",
        "一般公共预算机关运行经费预算表",
        "机关运行经费预算表",
    ),
    "three-public-expenses": (
        "部门预算财政拨款“三公”经费支出表",
        "财政拨款“三公”经费支出表",
        "“三公”经费支出表",
        "“三公”经费支出预算表",
        "财政拨款“三公”经费支出预算表",
        "一般公共预算“三公”经费支出表",
        "一般公共预算“三公”经费支出预算表",
        "部门“三公”经费和机关运行经费预算表",
        "“三公”经费和机关运行经费预算表",
        "“三公”经费、会议费、培训费支出预算表",
    ),
    "procurement": (
        "政府采购预算表",
        "部门政府采购预算",
        "政府采购预算",
        "政府采购预算明细表",
        "部门政府采购预算表",
        "政府采购支出预算表",
        "政府采购预算情况表",
    ),
    "fixed-assets": (
        "部门固定资产占用情况表",
        "固定资产占用情况表",
        "市直部门固定资产占用情况表",
        "国有资产占用情况表",
    ),
    # The units a department's budget covers (11 p5: 序号 | 单位名称 | 备注, printed without a title).
    "unit-composition": ("部门单位构成表", "预算单位构成表", "决算单位构成表", "单位构成情况表"),
    "institutions": (
        "部门机构设置情况",
        "机构设置情况",
        "部门机构设置情况表",
        "机构设置情况表",
    ),
}

# 决算 (final accounts) tables: their own ids, "<budget id>-final" where a budget table corresponds
# (helper P, issue 5; 11_SH_putuo_caizhengju_2024_dept_final.pdf prints these titles).
TABLE_TITLES.update(
    {
        "income-expenditure-final": (
            "收入支出决算总表",
            "部门收入支出决算总表",
            "收支决算总表",
            "部门收支决算总表",
        ),
        "income-final": ("收入决算表", "部门收入决算表"),
        "expenditure-final": ("支出决算表", "部门支出决算表"),
        "fiscal-appropriation-final": (
            "财政拨款收入支出决算总表",
            "部门财政拨款收入支出决算总表",
            "财政拨款收支决算总表",
        ),
        "general-public-budget-expenditure-final": (
            "一般公共预算财政拨款支出决算表",
            "一般公共预算财政拨款支出决算明细表",
        ),
        "general-public-budget-basic-expenditure-final": (
            "一般公共预算财政拨款基本支出决算表",
            "一般公共预算财政拨款基本支出决算明细表",
        ),
        "three-public-expenses-final": (
            "财政拨款“三公”经费支出决算表",
            "一般公共预算财政拨款“三公”经费支出决算表",
            "“三公”经费支出决算表",
        ),
        "government-fund-final": (
            "政府性基金预算财政拨款收入支出决算表",
            "政府性基金预算财政拨款支出决算表",
        ),
        "state-capital-final": (
            "国有资本经营预算财政拨款收入支出决算表",
            "国有资本经营预算财政拨款支出决算表",
        ),
    }
)
# Budget id each 决算 id corresponds to (checks and cross-department pages may treat them alike).
FINAL_ACCOUNTS_OF: dict[str, str] = {
    "income-expenditure-final": "income-expenditure-summary",
    "income-final": "income-summary",
    "expenditure-final": "expenditure-summary",
    "fiscal-appropriation-final": "fiscal-appropriation-summary",
    "general-public-budget-expenditure-final": "general-public-budget-expenditure",
    "general-public-budget-basic-expenditure-final": "general-public-budget-basic-expenditure",
    "three-public-expenses-final": "three-public-expenses",
    "government-fund-final": "government-fund-expenditure",
    "state-capital-final": "state-capital-expenditure",
}


def is_standard(table_id: str) -> bool:
    """Whether `table_id` is a catalogue table (not one named after an unknown title, nor "other-N")."""
    return table_id in TABLE_TITLES


def budget_table_id(table_id: str) -> str:
    """The budget table id a table answers to: a 决算 twin (expenditure-final) answers to its budget table."""
    return FINAL_ACCOUNTS_OF.get(table_id, table_id)


def find_table(disclosure: Disclosure, table_id: str) -> Table | None:
    """The disclosure's budget table `table_id`, or its 决算 twin."""
    return next((t for t in disclosure.tables if budget_table_id(t.id) == table_id), None)


DEFAULT_TITLES: dict[str, str] = {table_id: titles[0] for table_id, titles in TABLE_TITLES.items()}

# Tables printed without a title are still known by their header (000's procurement table has none).
# id → groups of words; the table matches when every word of one group occurs in its header labels.
HEADER_SIGNATURES: dict[str, tuple[tuple[str, ...], ...]] = {
    "procurement": (("政府采购项目来源",), ("采购物品名称", "政府采购目录")),
    "fixed-assets": (("资产总额", "房屋"), ("资产总额", "车辆")),
    "institutions": (("单位名称", "单位性质"), ("单位名称", "经费保障形式")),
    "unit-composition": (("序号", "单位名称", "备注"),),
}

# Column keys (the lead's contract in /tmp/team/notes.md): flattened header label → ascii snake key.
# Matched on the last label part first, then the whole label; unknown labels get "col_N".
COLUMN_KEYS: dict[str, str] = {
    "序号": "seq",
    "行次": "line_no",  # 决算 templates number their lines (公开01表 项目 | 行次 | 金额): an identifier
    "科目编码": "code",  # renamed to function_code / economic_code by the table kind
    "功能分类科目编码": "function_code",
    "经济分类科目编码": "economic_code",
    "科目名称": "name",
    "项目": "name",
    "单位名称": "name",
    "合计": "total",
    "小计": "subtotal",
    "基本支出": "basic",
    "项目支出": "project",
    "经营支出": "business",
    "上解上级支出": "remitted_to_superior",
    "对附属单位补助支出": "subsidy_to_affiliates",
    "人员经费": "personnel",
    "公用经费": "public",
    "财政拨款收入": "fiscal_appropriation",
    "财政专户收入": "fiscal_special_account",
    "事业收入": "institution_income",
    "经营收入": "business_income",
    "上级补助收入": "superior_subsidy",
    "附属单位上缴收入": "affiliate_remittance",
    "其他收入": "other_income",
    "上年结转": "carried_over",
    "一般公共预算财政拨款": "general_public",
    "一般公共预算拨款": "general_public",
    "政府性基金预算财政拨款": "government_fund",
    "政府性基金预算拨款": "government_fund",
    "基金预算拨款": "government_fund",
    "国有资本经营预算财政拨款": "state_capital",
    "国有资本经营预算拨款": "state_capital",
    "财政专户核拨": "fiscal_special_account",
    "单位资金": "unit_funds",
    "其他来源收入": "other_income",
    "上年结转结余": "carried_over",
    "财政拨款": "fiscal_appropriation",
    "财政拨款结转": "fiscal_carried_over",
    "非财政拨款结转结余": "non_fiscal_carried_over",
    "机关运行经费": "operating_costs",
    "其中：机关运行经费": "operating_costs",
    "单位性质": "unit_type",
    "单位规格": "unit_grade",
    "经费保障形式": "funding_form",
    "项目名称": "project_name",
    "预算资金": "project_budget",
    "采购物品名称": "item",
    "政府采购目录序号": "catalog_code",
    "计量单位": "measure_unit",
    "数量": "quantity",
    "单价": "unit_price",
    "价值": "value",
    "价值（金额单位：万元）": "value",
    "价值（金额单位：元）": "value",
}

# Jiangsu/Shanghai templates (helper P, issue 5): single amount columns, 决算 totals, fund columns of the
# 财政拨款收支总表, and the 三公 items printed as columns rather than rows.
COLUMN_KEYS.update(
    {
        "金额": "total",
        "本年收入合计": "total",
        "本年支出合计": "total",
        "一般公共预算": "general_public",
        "政府性基金预算": "government_fund",
        "国有资本经营预算": "state_capital",
        "机关运行经费支出": "operating_costs",
        "单位预留机动经费": "reserve",
        "结转下年资金": "carried_forward",
        "因公出国（境）费": "outbound_travel",
        "公务用车购置及运行费": "vehicles",
        "公务用车购置及运行维护费": "vehicles",
        "公务用车购置费": "vehicle_purchase",
        "公务用车运行费": "vehicle_operation",
        "公务用车运行维护费": "vehicle_operation",
        "公务接待费": "reception",
        "会议费": "meetings",
        "培训费": "training",
    }
)

# Paired tables (收支总表, 财政拨款收支总表): the top label names the side.
SIDE_PREFIXES: dict[str, str] = {"收入": "income", "支出": "expenditure"}
# Shanghai's 部门财务收支预算总表 heads its sides 本年收入/本年支出, its 财政拨款收支总表 财政拨款收入/支出 (P).
SIDE_PREFIXES.update(
    {"本年收入": "income", "本年支出": "expenditure", "财政拨款收入": "income", "财政拨款支出": "expenditure"}
)
SIDE_LEAF_KEYS: dict[str, str] = {
    "项目": "item",
    "项目名称": "item",
    "功能科目名称": "item",
    "预算数": "amount",
    "金额": "amount",
    "决算数": "amount",  # 决算 summary tables (P)
}

# Words only a header row prints: column labels, side names, 类/款/项 and measures ("预算数").
HEADER_WORDS = frozenset(
    {*COLUMN_KEYS, *SIDE_LEAF_KEYS, *SIDE_PREFIXES, "类", "款", "项", "栏次", "年初预算数", "调整预算数"}
)

# Columns whose cells are identifiers, never numbers (labels containing one of these words).
TEXT_COLUMN_WORDS: tuple[str, ...] = ("序号", "行次", "编码", "代码", "目录", "科目名称", "项目名称", "名称")

# Tables keyed by 支出经济分类 codes; the others use 支出功能分类 codes.
ECONOMIC_CODE_TABLES = frozenset(
    {
        "general-public-budget-basic-expenditure",
        "general-public-budget-basic-expenditure-final",
        "fiscal-appropriation-basic-expenditure",
        "operating-costs",
    }
)

# The shapes of classification codes: 支出功能分类 类 2xx, 款 +2, 项 +2 digits; 支出经济分类 类 3xx (部门
# 预算) or 5xx (政府预算), 款 +2 digits.
CODE_SHAPES: dict[str, re.Pattern[str]] = {
    "function_code": re.compile(r"^2\d{2}(?:\d{2}){0,2}$"),
    "economic_code": re.compile(r"^[35]\d{2}(?:\d{2})?$"),
}


def code_kind(code: str) -> str | None:
    """ "function_code" or "economic_code" by the shape of `code`; None for a code neither can be ("7")."""
    return next((key for key, shape in CODE_SHAPES.items() if shape.match(code)), None)


_NUMBERING = re.compile(
    r"^(?:公开\s*\d+\s*表|公开表\s*[一二三四五六七八九十\d]+|表\s*[一二三四五六七八九十\d]+|附表\s*\d+|[（(]?[一二三四五六七八九十]+[)）]?[、.．]"
    r"|[（(]?\d{1,2}[)）]?[、.．]|[（(]\d{1,2}[)）])\s*"
)
_YEAR = re.compile(r"^\d{4}\s*年度?")
_TRAILING_NOTE = re.compile(r"^(.*?表)(?:[（(][^）)]*[)）])?$")


def normalize_title(text: str) -> str:
    """A printed title reduced for comparison: no spaces, numbering, leading year or 公开NN表 tag."""
    title = re.sub(r"\s+", "", text)
    title = re.sub(r"[\"'“”‘’＂「」『』]", "", title)  # 三公 is printed with any kind of quotes
    for _ in range(3):
        stripped = _YEAR.sub("", _NUMBERING.sub("", title))
        if stripped == title:
            break
        title = stripped
    # "公开01表" may also trail the title.
    return re.sub(r"[（(]?公开\d+表[)）]?$", "", title)


_NORMALIZED: dict[str, str] = {
    normalize_title(variant): table_id for table_id, titles in TABLE_TITLES.items() for variant in titles
}


def match_title(text: str) -> str | None:
    """The canonical id of a table printed under `text`, or None.

    Exact match after normalization first; otherwise the longest known title that ends the text, so
    "衡水市市直部门固定资产占用情况表" or "邢台市工业和信息化局部门预算收支总表" still match. Narrative headings
    ("一、收支预算总表情况说明", "六、政府采购预算情况") do not end with a title and stay narrative.
    """
    title = normalize_title(text)
    if not title or len(title) > 60:
        return None
    if title in _NORMALIZED:
        return _NORMALIZED[title]
    best: tuple[int, str] | None = None
    for variant, table_id in _NORMALIZED.items():
        if len(variant) >= 5 and title.endswith(variant) and (best is None or len(variant) > best[0]):
            best = (len(variant), table_id)
    if best is None:
        note = _TRAILING_NOTE.match(title)
        if note and note.group(1) != title:
            return match_title(note.group(1))
        return None
    return best[1]


def title_table_id(title: str) -> str | None:
    """An id for a table the catalogue does not know, derived from its printed title; None if untitled.

    The title without numbering and leading year, in toneless pinyin with the syllables of a Chinese run
    joined ("十三、2018年度省级部门项目支出预算表" → "shengjibumenxiangmuzhichuyusuanbiao"), so the same
    table of another year or department gets the same id and URL.
    """
    # Imported here: pypinyin's phrase dictionary takes ~0.3 s to load, and most documents need no id.
    from pypinyin import Style, lazy_pinyin

    spelled = "".join(lazy_pinyin(normalize_title(title), style=Style.NORMAL)).lower()
    words = [word for word in re.split(r"[^a-z0-9]+", spelled) if word]
    return "-".join(words)[:60].strip("-") or None


def match_header(texts: list[str]) -> str | None:
    """The id of a table recognizable by its header words (and row labels) alone.

    `texts` are the flattened header labels plus the first column's cells: fixed assets are known by
    their 资产总额 row, procurement and institutions by their header.
    """
    joined = "|".join(texts)
    for table_id, groups in HEADER_SIGNATURES.items():
        if any(all(word in joined for word in group) for group in groups):
            return table_id
    return None
