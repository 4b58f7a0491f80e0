"""Load the content tree into a Site: every disclosure plus the indices pages need (phase one of build).

Nothing here renders or writes; templates only read what this module computes, so every page of the
same build sees the same totals, code lines, glossary and 三公 figures.
"""

from __future__ import annotations

import gc
import hashlib
import re
from collections import Counter, defaultdict
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from budgetsite.content.registry import load_registry
from budgetsite.content.slugs import SLUG_PATTERN
from budgetsite.content.tree import (
    iter_disclosure_folders,
    load_disclosure,
    split_front_matter,
    table_file_names,
)
from budgetsite.errors import ContentError
from budgetsite.model import Disclosure, Table
from budgetsite.recognize.catalog import code_kind, find_table
from budgetsite.recognize.sections import glossary_entries
from budgetsite.recognize.table_layout import Layout
from budgetsite.site.urls import RESERVED_NAMES, Urls
from budgetsite.units import to_wan_yuan


@dataclass
class ThreePublic:
    """三公经费 of one department-year, from the table where present, else from the narrative."""

    total: Decimal | None
    abroad: Decimal | None
    vehicles: Decimal | None
    vehicle_purchase: Decimal | None
    vehicle_running: Decimal | None
    reception: Decimal | None
    origin: str  # "table" or "narrative"


@dataclass
class DeptYear:
    """One department-year folder of the content tree."""

    disclosure: Disclosure
    folder: Path
    slug: str
    year: int
    front_matter: dict[str, Any]
    row_anchors: dict[tuple[int, int], str] = field(default_factory=dict)
    # "tables/<name>.csv" per table, named as the content tree names them (a repeated id gets -2, -3 …)
    table_files: list[str] = field(default_factory=list)
    layouts: list[Layout] = field(default_factory=list)  # per table: code, name, amount columns, totals
    total: Decimal | None = None
    basic: Decimal | None = None
    project: Decimal | None = None
    three_public: ThreePublic | None = None

    @property
    def department(self) -> str:
        return self.disclosure.department

    @property
    def region(self) -> list[str]:
        return self.disclosure.region

    @property
    def path(self) -> str:
        """Site path of the disclosure page, relative to the base URL."""
        return Urls.dept_year(self.slug, self.year)

    def file_path(self, name: str) -> str:
        """Site path of a file beside the disclosure page: 'data.json', a table's CSV, the original file."""
        return self.path + name

    @property
    def source_file(self) -> Path | None:
        name = self.disclosure.source.file
        # A bare file name only: data.json must not point the build outside its own folder.
        if not name or Path(name).name != name or name in {"data.json", "index.md"}:
            return None
        path = self.folder / name
        return path if path.is_file() else None


@dataclass
class Department:
    slug: str
    name: str
    region: list[str]
    years: list[DeptYear] = field(default_factory=list)

    @property
    def path(self) -> str:
        return Urls.department(self.slug)


@dataclass
class CodeEntry:
    """One table row carrying a classification code, with where it lives."""

    dept_year: DeptYear
    table: Table
    row_index: int
    anchor: str
    name: str
    amount: Decimal | None
    amount_label: str


@dataclass
class CodeLine:
    """A function or economic classification code across all department-years."""

    kind: str  # "function" or "economic"
    code: str
    name: str
    entries: list[CodeEntry] = field(default_factory=list)

    @property
    def path(self) -> str:
        return Urls.code(self.kind, self.code)


@dataclass
class GlossaryTerm:
    """A 名词解释 term merged over all disclosures."""

    term: str
    anchor: str
    definitions: list[tuple[str, DeptYear]] = field(default_factory=list)


@dataclass
class HandPage:
    """A hand-written page from content/pages/<name>.md."""

    name: str
    title: str
    markdown: str
    file: Path

    @property
    def path(self) -> str:
        return Urls.page(self.name)


@dataclass
class Site:
    """The whole content tree with its indices."""

    content_dir: Path
    departments: dict[str, Department]
    dept_years: list[DeptYear]
    years: dict[int, list[DeptYear]]
    codes: dict[tuple[str, str], CodeLine]
    glossary: list[GlossaryTerm]
    pages: list[HandPage]

    def code_lines(self, kind: str) -> list[CodeLine]:
        """All code lines of one kind, sorted by code."""
        return sorted((c for c in self.codes.values() if c.kind == kind), key=lambda c: c.code)

    def code_line(self, kind: str, code: str) -> CodeLine | None:
        return self.codes.get((kind, code))

    def regions(self) -> dict[str, list[Department]]:
        """Departments grouped by their region path ('河北省/保定市')."""
        groups: dict[str, list[Department]] = defaultdict(list)
        for department in self.departments.values():
            groups["/".join(department.region)].append(department)
        return dict(sorted(groups.items()))


# --- reading one folder ------------------------------------------------------------------------------


def load_dept_year(folder: Path) -> DeptYear:
    """Load one department-year folder and compute its own figures (totals, 三公, row anchors)."""
    disclosure = load_disclosure(folder)
    if not folder.name.isdigit() or int(folder.name) != disclosure.year:
        raise ContentError(
            f"folder name does not match year {disclosure.year} in data.json",
            path=folder,
            hint="name the folder after the year",
        )
    if not SLUG_PATTERN.match(folder.parent.name):
        # The folder name becomes a URL and a path under output/: nothing that could escape it.
        raise ContentError(
            "department folder name is not a lower-case ASCII slug",
            path=folder.parent,
            hint="rename it like baodingshi-xushuiqu-gongyehexinxihuaju",
        )
    index_path = folder / "index.md"
    front_matter: dict[str, Any] = {}
    if index_path.is_file():
        front_matter, _ = split_front_matter(index_path.read_text(encoding="utf-8"), index_path)
    dept_year = DeptYear(
        disclosure=disclosure,
        folder=folder,
        slug=folder.parent.name,
        year=disclosure.year,
        front_matter=front_matter,
    )
    dept_year.table_files = table_file_names(disclosure.tables)
    dept_year.layouts = [Layout.of(table) for table in disclosure.tables]
    dept_year.row_anchors = _row_anchors(disclosure, dept_year.layouts)
    dept_year.total = total_expenditure(disclosure)
    dept_year.basic, dept_year.project = basic_and_project(disclosure)
    dept_year.three_public = three_public_expenses(disclosure)
    return dept_year


# --- figures -------------------------------------------------------------------------------------------


def column_index(table: Table, key: str) -> int | None:
    """Index of the column with `key`, if any."""
    return next((i for i, c in enumerate(table.columns) if c.key == key), None)


def amount_column(table: Table) -> int | None:
    """The main amount column: key 'total', else a 合计 label, else the first column holding a Decimal."""
    index = column_index(table, "total")
    if index is not None:
        return index
    index = table.column_index("合计")
    if index is not None:
        return index
    for row in table.rows:
        for i, cell in enumerate(row):
            if isinstance(cell, Decimal):
                return i
    return None


def _cell_decimal(row: list[Any], index: int | None) -> Decimal | None:
    if index is None or index >= len(row):
        return None
    value = row[index]
    if isinstance(value, Decimal):
        return value
    if isinstance(value, str) and value.strip():
        try:
            return Decimal(value.replace(",", "").strip())
        except InvalidOperation:
            return None
    return None


def total_expenditure(disclosure: Disclosure) -> Decimal | None:
    """支出合计 in 万元: expenditure table total row, else 支出总计, else the narrative figure."""
    table = find_table(disclosure, "expenditure-summary")
    if table is not None:
        row = Layout.of(table).total_row(table.rows)
        if row is not None:
            value = _cell_decimal(row, amount_column(table))
            if value is not None:
                return to_wan_yuan(value, table.unit)
    table = find_table(disclosure, "income-expenditure-summary")
    if table is not None:
        for row in table.rows:
            for i, cell in enumerate(row):
                if isinstance(cell, str) and "支出总计" in cell.replace(" ", ""):
                    value = next((v for v in row[i + 1 :] if isinstance(v, Decimal)), None)
                    if value is not None:
                        return to_wan_yuan(value, table.unit)
    # 000 (衡水 2020) has no standard tables; its narrative says "2020年部门支出预算为6467.35万元".
    text = "\n".join(s.markdown for s in disclosure.sections)
    match = re.search(r"支出预算(?:为|是)?\s*(\d+(?:\.\d+)?)\s*万元", text)
    return Decimal(match.group(1)) if match else None


def basic_and_project(disclosure: Disclosure) -> tuple[Decimal | None, Decimal | None]:
    """基本支出 and 项目支出 totals in 万元 from the expenditure table's total row."""
    table = find_table(disclosure, "expenditure-summary") or find_table(
        disclosure, "general-public-budget-expenditure"
    )
    if table is None:
        return None, None
    row = Layout.of(table).total_row(table.rows)
    if row is None:
        return None, None
    basic = column_index(table, "basic")
    if basic is None:
        basic = table.column_index("基本支出")
    project = column_index(table, "project")
    if project is None:
        project = table.column_index("项目支出")
    return to_wan_yuan(_cell_decimal(row, basic), table.unit), to_wan_yuan(
        _cell_decimal(row, project), table.unit
    )


# Order matters: 公务用车购置及运行维护费 also contains 运行维护费, so the whole name is tried first.
_SANGONG_PARTS = (
    ("vehicles", ("公务用车购置及运行维护费", "公务用车购置及运维费")),
    ("vehicle_purchase", ("公务用车购置费", "购置费")),
    ("vehicle_running", ("公务用车运行维护费", "公务用车运维费", "运行维护费")),
    ("abroad", ("因公出国（境）费", "因公出国(境)费")),
    ("reception", ("公务接待费",)),
    ("total", ("合计", "三公”经费小计", "小计")),
)


def _part_of(label: str) -> str | None:
    label = label.replace(" ", "")
    if label.startswith("其中") and "教学科研" in label:
        return None
    for part, words in _SANGONG_PARTS:
        if any(word in label for word in words):
            return part
    return None


def three_public_expenses(disclosure: Disclosure) -> ThreePublic | None:
    """三公经费 in 万元 from the three-public-expenses table, else from the narrative sentence."""
    table = find_table(disclosure, "three-public-expenses")
    found: dict[str, Decimal | None] = {}
    if table is not None and table.rows:
        amount = amount_column(table)
        layout = Layout.of(table)
        # 002 (邢台 2023) prints one row per part (一、因公出国（境）费 …) with the amount under 合计.
        for row in table.rows:
            part = _part_of(layout.name_of(row))
            if part is not None and part not in found:
                found[part] = to_wan_yuan(_cell_decimal(row, amount), table.unit)
        if not found:
            # Other layouts print the parts as columns with one row of figures.
            for index, column in enumerate(table.columns):
                part = _part_of(column.label.split(" / ")[-1])
                if part is not None and part not in found and table.rows:
                    found[part] = to_wan_yuan(_cell_decimal(table.rows[0], index), table.unit)
        if any(v is not None for v in found.values()):
            return ThreePublic(origin="table", **{p: found.get(p) for p, _ in _SANGONG_PARTS})
    return _three_public_from_narrative(disclosure)


_NARRATIVE_PATTERNS = {
    "total": r"“?三公”?经费(?:预算)?(?:安排|合计|支出)?\s*(\d+(?:\.\d+)?)\s*万元",
    "abroad": r"因公出国[（(]境[)）]费\s*(\d+(?:\.\d+)?)\s*万元",
    "vehicles": r"公务用车购置及运(?:行)?维(?:护)?费\s*(\d+(?:\.\d+)?)\s*万元",
    "vehicle_purchase": r"公务用车购置费(?:为)?\s*(\d+(?:\.\d+)?)\s*万元",
    "vehicle_running": r"公务用车运(?:行)?维(?:护)?费(?:为)?\s*(\d+(?:\.\d+)?)\s*万元",
    "reception": r"公务接待费\s*(\d+(?:\.\d+)?)\s*万元",
}


def _three_public_from_narrative(disclosure: Disclosure) -> ThreePublic | None:
    section = disclosure.section("three-public-expenses") or next(
        (s for s in disclosure.sections if "三公" in s.title), None
    )
    if section is None:
        return None
    # 000: "财政拨款“三公”经费预算安排10.45万元，其中：…公务接待费2.95万元，较上年减少0.10万元" — the first
    # figure after each name is this year's; later ones are the change against last year.
    found = {}
    for part, pattern in _NARRATIVE_PATTERNS.items():
        match = re.search(pattern, section.markdown)
        found[part] = Decimal(match.group(1)) if match else None
    if all(v is None for v in found.values()):
        return None
    return ThreePublic(origin="narrative", **found)


def _row_anchors(disclosure: Disclosure, layouts: list[Layout]) -> dict[tuple[int, int], str]:
    """Stable id per row with a function or economic code: '<table-id>-<code>' (suffix -2, -3 … when a
    code repeats in a table)."""
    anchors: dict[tuple[int, int], str] = {}
    for t_index, (table, layout) in enumerate(zip(disclosure.tables, layouts, strict=True)):
        if layout.code_kind is None:
            continue
        seen: Counter[str] = Counter()
        for r_index, row in enumerate(table.rows):
            code = layout.code_of(row)
            # A misprinted code ("7") is reported by the plausible-code check; it gets no code page.
            if code and code_kind(code) == f"{layout.code_kind}_code":
                seen[code] += 1
                suffix = f"-{seen[code]}" if seen[code] > 1 else ""
                anchors[(t_index, r_index)] = f"{table.id}-{code}{suffix}"
    return anchors


# --- glossary ------------------------------------------------------------------------------------------


def term_anchor(term: str) -> str:
    """ASCII id for a glossary term (Chinese ids survive, but ASCII fragments are safer in every tool)."""
    return "term-" + hashlib.sha1(term.encode("utf-8")).hexdigest()[:10]


# --- the site ---------------------------------------------------------------------------------------


def load_pages(content_dir: Path) -> list[HandPage]:
    """Hand-written pages content/pages/*.md."""
    pages = []
    for path in sorted((content_dir / "pages").glob("*.md")):
        name = path.stem
        if not SLUG_PATTERN.match(name) or name in RESERVED_NAMES:
            raise ContentError(
                f"page name {name!r} is reserved or not a lower-case ASCII slug",
                path=path,
                hint="rename the file, e.g. about.md",
            )
        meta, body = split_front_matter(path.read_text(encoding="utf-8"), path)
        title = str(meta.get("title") or name)
        pages.append(HandPage(name=name, title=title, markdown=body, file=path))
    return pages


def build_site(content_dir: Path, dept_years: list[DeptYear]) -> Site:
    """Compute every cross-page index over already loaded department-years."""
    with gc_paused():
        return _index_site(content_dir, dept_years)


def _index_site(content_dir: Path, dept_years: list[DeptYear]) -> Site:
    departments: dict[str, Department] = {}
    years: dict[int, list[DeptYear]] = defaultdict(list)
    codes: dict[tuple[str, str], CodeLine] = {}
    names: dict[tuple[str, str], Counter[str]] = defaultdict(Counter)
    terms: dict[str, GlossaryTerm] = {}
    dept_years = sorted(dept_years, key=lambda d: (d.slug, d.year))
    for dy in dept_years:
        department = departments.setdefault(dy.slug, Department(dy.slug, dy.department, dy.region))
        # The newest year names the department (names change after reorganisations).
        department.name, department.region = dy.department, dy.region or department.region
        department.years.append(dy)
        years[dy.year].append(dy)
        for t_index, (table, layout) in enumerate(zip(dy.disclosure.tables, dy.layouts, strict=True)):
            if layout.code_kind is None:
                continue
            amount = amount_column(table)
            label = table.columns[amount].label if amount is not None else ""
            for r_index, row in enumerate(table.rows):
                anchor = dy.row_anchors.get((t_index, r_index))
                if anchor is None:
                    continue
                key = (layout.code_kind, layout.code_of(row))
                line = codes.setdefault(key, CodeLine(kind=key[0], code=key[1], name=""))
                name = layout.name_of(row)
                names[key][name] += 1
                line.entries.append(
                    CodeEntry(
                        dy,
                        table,
                        r_index,
                        anchor,
                        name,
                        to_wan_yuan(_cell_decimal(row, amount), table.unit),
                        label,
                    )
                )
        for term, definition in glossary_entries(dy.disclosure):
            entry = terms.setdefault(term, GlossaryTerm(term=term, anchor=term_anchor(term)))
            if all(d != definition for d, _ in entry.definitions):
                entry.definitions.append((definition, dy))
    for key, line in codes.items():
        line.name = names[key].most_common(1)[0][0] if names[key] else ""
    for department in departments.values():
        department.years.sort(key=lambda d: d.year)
    return Site(
        content_dir=content_dir,
        departments=dict(sorted(departments.items(), key=display_order(content_dir))),
        dept_years=dept_years,
        years=dict(sorted(years.items())),
        codes=dict(sorted(codes.items())),
        glossary=sorted(terms.values(), key=lambda t: t.term),
        pages=load_pages(content_dir),
    )


def display_order(content_dir: Path) -> Callable[[tuple[str, Department]], tuple[int, int, str]]:
    """Sort key of (slug, Department): departments.toml's `order` first (lower first), then by slug."""
    registry = load_registry(content_dir.resolve().parent)

    def key(item: tuple[str, Department]) -> tuple[int, int, str]:
        entry = registry.find(item[1].name) if registry is not None else None
        if entry is None or entry.order is None:
            return (1, 0, item[0])
        return (0, entry.order, item[0])

    return key


@contextmanager
def gc_paused() -> Iterator[None]:
    """Pause Python's cyclic garbage collector while a large object graph is being built.

    Loading 1,000 department-years allocates millions of objects (every table cell is a Decimal) and
    makes no reference cycles worth collecting; the collector would otherwise walk the ever-growing heap
    again and again (loading took 6.4 s with it, 4.4 s without; planning the pages 1.0 s vs 0.4 s).
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def load_content_site(content_dir: Path) -> Site:
    """Load every department-year of `content_dir` and build the indices."""
    if not content_dir.is_dir():
        raise ContentError(
            "content folder does not exist",
            path=content_dir,
            hint="run budgetsite ingest first or pass --content",
        )
    with gc_paused():
        # The content stage's own list: it skips the hidden folders an interrupted ingest leaves behind.
        folders = iter_disclosure_folders(content_dir)
        return build_site(content_dir, [load_dept_year(folder) for folder in folders])
