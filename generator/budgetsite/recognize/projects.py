"""Project performance-target tables (项目绩效目标表): one Project per table, header block and indicators.

A project is a heading "N、<name>绩效目标表" (optional) followed by one or more raw tables: the optional
header block (项目编码, 项目名称, 预算数 …, 资金支出计划), the 绩效目标 row, then indicator rows under the
一级指标 … 指标值确定依据 header. Tables split over pages come as several raw tables whose later pieces
start with the repeated indicator header (002), the header block and the indicators are two tables
separated by a blank line (001), or a Word conversion carries the rows past a page break into a table
without a header. Shanghai's 财政项目支出绩效目标填报表 puts a side label 绩效指标 left of the grid, its
amounts past the blank columns of a merged label (年度资金总额： | | 1,234.56) and 年度总体目标 as the goal
row; a line-based conversion may give a merged 一级/二级 label a row of its own above its group.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from budgetsite.blocks import Block, Heading, PageBreak, Paragraph, RawTable
from budgetsite.model import Indicator, Project
from budgetsite.recognize.textclean import block_text, clean_text, is_page_debris, parse_amount, squeeze
from budgetsite.units import to_wan_yuan

# "1、办公楼租赁费绩效目标表", "20、中小企业发展专项(…) 绩效目标表", "项目支出绩效目标表",
# Shanghai's "财政项目支出绩效目标填报表（2026年度）" (the year line joined on when the reader merges it)
_PROJECT_HEADING = re.compile(
    r"^(?:[0-9一二三四五六七八九十]+[、.．]\s*|[（(][0-9一二三四五六七八九十]+[)）]\s*)?"
    r"(?P<name>.*?)\s*(?:项目)?(?:支出)?绩效目标(?:申报|填报)?表\s*(?:[（(]\d{4}年度?[)）])?$"
)
# The department-wide target table ("部门整体支出绩效目标表") has the same indicator grid but is no project.
_OVERALL_HEADING = re.compile(r"部门整体|整体支出|单位整体|部门绩效目标表$")
# Generic table titles that name no project ("项目支出绩效目标表", "预算项目绩效目标表").
_GENERIC_NAMES = {
    "",
    "项目",
    "项目支出",
    "预算项目",
    "部门项目",
    "部门预算项目",
    "专项资金",
    "部门",
    "财政项目",
}
# Captions printed between a heading and its table, or on a continuation page.
# "（2026年度）" under a Shanghai form's title.
_CAPTION = re.compile(r"^(?:单位[：:]|金额单位|预算年度|填报单位|（?单位[：:]|[（(]\d{4}年度?[)）]$)")
# The goal row's label: 绩效目标…, 年度绩效目标…, or the whole label 年度目标 / 总体目标 / Shanghai's
# 年度总体目标 (a level-3 name like "目标完成率" is no goal label).
_GOAL_LABEL = re.compile(r"^(?:年度)?绩效目标|^(?:年度|项目)?(?:总体)?目标$|^年度目标|^总体目标")

# 一级/二级 indicator categories all end so: 产出指标, 数量指标, 社会效益指标, 服务对象满意度指标.
_CATEGORY = re.compile(r"指标$")
_INDICATOR_FIELDS = ("level1", "level2", "level3", "description", "target", "basis")
# Numbered goals: "1、及时支付 2、足额支付", "1.购买…\n2.购买…" (never the "4.63" of an amount).
_GOAL_MARK = re.compile(
    r"(?:^|(?<=[\s。；;，,！!]))(?:\d{1,2}|[一二三四五六七八九十]{1,2})[、.．](?!\d)|(?:^|(?<=\s))[（(]\d{1,2}[)）]"
)
# The money unit a header-block label prints: "项目资金（万元）", "预算数（元）".
_MONEY_UNIT = re.compile(r"[（(]((?:千|万|百万|亿)?元)[)）]")
_PLAN_KEY = re.compile(r"^(?:\d{1,2}月(?:底|末)?|第?[一二三四1-4]季度(?:末)?|全年|上半年|下半年)$")


@dataclass
class ProjectsResult:
    """Recognized projects and the block indices they consumed (headings, captions, table pieces)."""

    projects: list[Project]
    used: set[int] = field(default_factory=set)


def _label(text: str) -> str:
    """A header label with spaces, colons and unit notes removed: '其中：财政    资金' → '其中财政资金'."""
    return re.sub(r"[（(][^）)]*[）)]|[：:]", "", squeeze(text)).replace("其中", "", 1) if text else ""


_HEADER_LABELS: dict[str, str] = {
    "项目编码": "code",
    "项目代码": "code",
    "项目编号": "code",
    "项目名称": "name",
    "实施单位": "unit",
    "预算单位": "unit",
    "单位名称": "unit",
    "项目单位": "unit",
    "申报单位": "unit",
    "预算数": "budget",
    "预算金额": "budget",
    "项目预算数": "budget",
    "年度预算数": "budget",
    "资金总额": "budget",
    "年度资金总额": "budget",
    "预算总额": "budget",
    "财政资金": "fiscal_funds",
    "财政拨款": "fiscal_funds",
    "财政拨款资金": "fiscal_funds",
    "其他资金": "other_funds",
    "其他来源资金": "other_funds",
    "资金用途": "purpose",
    "项目用途": "purpose",
}


_MONEY_FIELDS = {"budget", "fiscal_funds", "other_funds"}


def _is_label_row(cells: list[str]) -> bool:
    """Whether the row's only text is one or two indicator category labels (效益指标, 社会效益指标)."""
    texts = [c for c in cells if c]
    return 0 < len(texts) <= 2 and all(_CATEGORY.search(squeeze(t)) for t in texts)


def _is_goal_label(label: str) -> bool:
    return bool(_GOAL_LABEL.search(label))


def _header_field(cell: str) -> str | None:
    return _HEADER_LABELS.get(_label(cell))


def _is_indicator_header(cells: list[str]) -> bool:
    labels = [squeeze(c) for c in cells]
    return "一级指标" in labels and "二级指标" in labels


def _indicator_field(label: str) -> str | None:
    """The indicator field a grid header label names ('指标值（含计量单位）' → target), else None."""
    label = _label(label)
    if label in {"一级指标", "二级指标", "三级指标"}:
        return {"一": "level1", "二": "level2", "三": "level3"}[label[0]]
    if "依据" in label:
        return "basis"
    if "描述" in label or "指标内容" in label or "说明" in label or label == "绩效指标":
        return "description"
    if "指标值" in label or "目标值" in label:
        return "target"
    return None


def _indicator_columns(cells: list[str]) -> dict[str, range]:
    """The columns of each indicator field, by the printed header labels.

    A field's columns run from its label to the next printed label: a label merged over two grid
    columns (Shanghai's 指标值 under the header block's finer grid) may hold its value in either. The
    side label "绩效指标" left of 一级指标 (merged down the whole grid) names no column, and neither do
    labels of no field (备注, 权重): their columns end the field before them.
    """
    starts: list[tuple[int, str | None]] = []
    for index, cell in enumerate(cells):
        label = squeeze(cell)
        if not label or (starts and label == squeeze(cells[starts[-1][0]])):
            continue  # a blank or a repeated copy of a merged header cell belongs to the label before
        starts.append((index, _indicator_field(cell)))
    level1 = next((i for i, name in starts if name == "level1"), 0)
    columns: dict[str, range] = {}
    for (index, name), (end, _) in zip(starts, [*starts[1:], (len(cells), None)], strict=True):
        if name is not None and name not in columns and (name != "description" or index > level1):
            columns[name] = range(index, end)
    return columns


def split_goals(text: str) -> list[str]:
    """One string per numbered goal ('1、及时支付 2、足额支付' → ['1、及时支付', '2、足额支付'])."""
    text = text.strip()
    if not text:
        return []
    starts = [m.start() for m in _GOAL_MARK.finditer(text)]
    if not starts or starts[0] != 0:
        starts = [0, *starts]
    pieces = [text[a:b] for a, b in zip(starts, [*starts[1:], len(text)], strict=True)]
    return [clean_text(p) for p in pieces if clean_text(p)]


class _ProjectBuilder:
    """Feeds the rows of one project's table pieces into a Project."""

    def __init__(self, name: str | None):
        self.heading_name = name
        self.fields: dict[str, str] = {}
        self.goals: list[str] = []
        self.plan: dict[str, str] = {}
        self.indicators: list[Indicator] = []
        self.columns: dict[str, range] | None = None
        self.header_width = 6
        self.in_goals = False
        self._pending_plan: list[tuple[int, str]] = []
        self._pending_labels: list[tuple[int, str]] = []
        self._previous_first = ""
        self.money_unit: str | None = None  # as printed in the header block; amounts are stored in 万元
        self.group = ("", "")  # the 一级/二级 labels in force, filled down over their merged cells

    @property
    def has_header_block(self) -> bool:
        return bool(self.fields) or bool(self.goals)

    def starts_new_project(self, cells: list[str]) -> bool:
        """A row that begins another project's table inside the same raw table."""
        if not self.indicators:
            return False
        first = _label(next((c for c in cells if c), ""))
        return _header_field(first) in {"code", "name"} or _is_goal_label(first)

    def continued_by(self, table: RawTable) -> bool:
        """Whether `table` holds only more indicator rows of this grid, on its width and with no header of
        its own: a Word conversion starts a new table where the page breaks."""
        return (
            self.columns is not None
            and bool(self.indicators)
            and all(
                len(row) <= self.header_width
                and not _is_indicator_header(row)
                and not self.starts_new_project([clean_text(c) for c in row])
                for row in table.rows
            )
        )

    def feed(self, row: list[str]) -> None:
        cells = [clean_text(c) for c in row]
        if not any(cells):
            return
        if _is_indicator_header(cells):
            self.columns = _indicator_columns(cells)
            self.header_width = len(cells)
            self.in_goals = False
            return
        if self.columns is not None:
            self._feed_indicator(cells)
        else:
            self._feed_header(cells, [c.strip() for c in row])
        self._previous_first = cells[0]

    def _feed_indicator(self, cells: list[str]) -> None:
        assert self.columns is not None
        if len(cells) < self.header_width:
            if _is_label_row(cells):
                # A converter that drops a row's trailing empty cells (Word's text conversion of a row
                # holding only "" | 社会效益指标): the labels stay in their columns, counted from the left.
                cells = cells + [""] * (self.header_width - len(cells))
            else:
                # A reader that drops leading empty (merged) cells: align on the right.
                cells = [""] * (self.header_width - len(cells)) + cells
        values = {
            # dict.fromkeys: a merged cell a reader repeats across its columns counts once
            name: "".join(dict.fromkeys(cells[i] for i in self.columns.get(name, ()) if i < len(cells)))
            for name in _INDICATOR_FIELDS
        }
        if _is_label_row([values["level1"], values["level2"]]) and not any(
            values[name] for name in ("level3", "description", "target", "basis")
        ):
            # Only 一级/二级 labels: a converter gave the merged label cell a row of its own above the
            # group it heads. It starts that group; it is no indicator, nor part of the one before.
            self.group = (values["level1"] or self.group[0], values["level2"])
            return
        if self.indicators and not (values["level1"] or values["level2"] or values["level3"]):
            # No indicator name at all: the rest of a wrapped cell, which 002 prints under the repeated
            # page header ("…相关培" / "训。企业通过培训…"). Join it to the row it belongs to.
            last = self.indicators[-1]
            for name in ("description", "target", "basis"):
                if values[name]:
                    setattr(last, name, getattr(last, name) + values[name])
            return
        # Merged 一级指标/二级指标 cells are blank on the rows they span: fill them down.
        if not values["level1"]:
            values["level1"] = self.group[0]
            if not values["level2"]:
                values["level2"] = self.group[1]
        self.group = (values["level1"], values["level2"])
        self.indicators.append(Indicator(**values))

    def _feed_header(self, cells: list[str], raw: list[str]) -> None:
        for cell in cells:
            unit = _MONEY_UNIT.search(cell)
            if unit and (_header_field(cell) or "资金" in cell):
                self.money_unit = unit[1]
        # Goals are split on the raw text: the space in "1、及时支付 2、足额支付" separates two goals.
        first = _label(cells[0])
        if _is_goal_label(first):
            self.goals.extend(split_goals("\n".join(c for c in raw[1:] if c)))
            self.in_goals = True
            return
        if self.in_goals and not cells[0]:
            self.goals.extend(split_goals("\n".join(c for c in raw if c)))
            return
        self.in_goals = False
        if self._pending_plan:
            for index, key in self._pending_plan:
                self.plan[key] = cells[index] if index < len(cells) else ""
            self._pending_plan = []
            return
        plan_keys = [(i, c) for i, c in enumerate(cells) if _PLAN_KEY.match(squeeze(c))]
        if plan_keys:
            self._feed_plan_keys(cells, plan_keys)
            return
        if self._pending_labels:
            # labels on the previous row, their values under them on this one
            for index, name in self._pending_labels:
                if index < len(cells) and cells[index] and _header_field(cells[index]) is None:
                    self.fields.setdefault(name, cells[index])
            self._pending_labels = []
            return
        labelled = [(i, _header_field(c)) for i, c in enumerate(cells) if c]
        if len(labelled) >= 2 and all(name for _, name in labelled):
            self._pending_labels = [(i, name) for i, name in labelled if name]
            return
        if "资金用途" in _label(self._previous_first) and (not cells[0] or cells[0] == self._previous_first):
            # 001: "预算规模及资金用途" spans two rows; the second row holds the purpose text.
            text = " ".join(c for c in cells[1:] if c and not _header_field(c))
            if text:
                self.fields.setdefault("purpose", text)
                return
        self._feed_labels(cells)

    def _feed_plan_keys(self, cells: list[str], keys: list[tuple[int, str]]) -> None:
        def value_after(i: int) -> str:
            value = cells[i + 1] if i + 1 < len(cells) else ""
            return "" if _PLAN_KEY.match(squeeze(value)) else value

        if any(value_after(i) for i, _ in keys):  # "3月底 | 25% | 6月底 | 50% …" on one row
            for i, key in keys:
                self.plan[squeeze(key)] = value_after(i)
        else:  # keys on this row, values under them on the next (001)
            self._pending_plan = [(i, squeeze(key)) for i, key in keys]

    def _feed_labels(self, cells: list[str]) -> None:
        index = 0
        while index < len(cells):
            name = _header_field(cells[index])
            if name is None:
                index += 1
                continue
            value_index = index + 1
            # Readers that expand merged cells repeat the label: skip the copies.
            while value_index < len(cells) and cells[value_index] == cells[index]:
                value_index += 1
            if name in _MONEY_FIELDS:
                # An amount may stand past the blank columns its merged label leaves (Shanghai:
                # 年度资金总额： | (merged) | 1,234.56); a text past blanks would be another label's.
                while value_index < len(cells) and not cells[value_index]:
                    value_index += 1
            value = cells[value_index] if value_index < len(cells) else ""
            if name in _MONEY_FIELDS and parse_amount(value) is None:
                value = ""
            if value and _header_field(value) is None:
                self.fields.setdefault(name, value)
                index = value_index + 1
            else:
                index = value_index

    def build(self) -> Project:
        # A table with neither a heading nor a 项目名称 row still is a project; say so rather than invent.
        name = self.fields.get("name") or self.heading_name or "（未命名项目）"
        code = squeeze(self.fields["code"]) if self.fields.get("code") else None
        return Project(
            name=clean_text(name),
            code=code,
            unit=self.fields.get("unit"),
            budget=self._amount("budget"),
            fiscal_funds=self._amount("fiscal_funds"),
            other_funds=self._amount("other_funds"),
            purpose=self.fields.get("purpose"),
            spending_plan=self.plan or None,
            goals=self.goals,
            indicators=self.indicators,
        )

    def _amount(self, name: str) -> Decimal | None:
        """A header-block amount in 万元: a form printing 元 (项目资金（元）) is converted exactly."""
        return to_wan_yuan(parse_amount(self.fields.get(name)), self.money_unit)


def project_heading_name(text: str) -> str | None:
    """The project name of a heading like '1、办公楼租赁费绩效目标表' ('' for a generic title), else None."""
    match = _PROJECT_HEADING.match(text)
    if not match or _OVERALL_HEADING.search(text):
        return None
    name = match["name"].strip()
    return "" if name in _GENERIC_NAMES else name


def _is_project_table(table: RawTable) -> bool:
    has_indicators = any(_is_indicator_header(row) for row in table.rows)
    has_header = any(_header_field(c) in {"code", "name"} for row in table.rows for c in row[:3])
    has_goals = any(row and _is_goal_label(_label(row[0])) for row in table.rows)
    return has_indicators or (has_header and has_goals)


def _starts_with_indicator_header(table: RawTable) -> bool:
    first = next((row for row in table.rows if any(c.strip() for c in row)), [])
    return _is_indicator_header(first)


def recognize_projects(blocks: Sequence[Block]) -> ProjectsResult:
    """Find every project performance-target table, in document order."""
    result = ProjectsResult(projects=[])
    current: _ProjectBuilder | None = None
    heading: tuple[int, str] | None = None  # the latest project heading not yet given a table
    gap: list[int] = []  # captions / page debris since the last project block
    overall = False  # inside a 部门整体绩效目标表: its grid is left to the tables and the narrative

    def finish() -> None:
        nonlocal current
        if current is not None and (current.indicators or current.has_header_block):
            result.projects.append(current.build())
        current = None

    for index, block in enumerate(blocks):
        if isinstance(block, PageBreak):
            gap.append(index)
            continue
        if isinstance(block, Heading | Paragraph):
            text = block_text(block) or ""
            name = project_heading_name(text)
            if name is not None:
                finish()
                heading, gap, overall = (index, name), [], False
                continue
            if is_page_debris(text) or _CAPTION.match(text):
                gap.append(index)
                continue
            overall = bool(_OVERALL_HEADING.search(text) and text.endswith("表"))
            if overall:
                finish()
                heading, gap = None, []
                continue
            if current is not None and current.in_goals and re.match(r"^\d{1,2}[、.．]", text):
                # A goal list continued outside the table grid: keep it with the goals.
                current.goals.extend(split_goals(block.text))
                result.used.update([*gap, index])
                gap = []
                continue
            finish()
            heading, gap = None, []
            continue
        carried_over = (
            isinstance(block, RawTable) and not overall and heading is None and current is not None
        ) and current.continued_by(block)
        if not carried_over and (not isinstance(block, RawTable) or overall or not _is_project_table(block)):
            finish()
            heading, gap = None, []
            if not isinstance(block, RawTable):
                overall = False
            continue
        continuation = carried_over or (
            current is not None
            and heading is None
            and _starts_with_indicator_header(block)
            and (current.indicators or current.has_header_block)
        )
        if not continuation:
            finish()
            current = _ProjectBuilder(heading[1] if heading else None)
            if heading:
                result.used.add(heading[0])
            heading = None
        assert current is not None
        result.used.update([*gap, index])
        gap = []
        for row in block.rows:
            if current.starts_new_project([clean_text(c) for c in row]):
                finish()
                current = _ProjectBuilder(None)
            current.feed(row)
    finish()
    return result
