"""Load the content tree into a Site: every disclosure plus the indices pages need (phase one of build).

Nothing here renders or writes; templates only read what this module computes, so every page of the
same build sees the same totals, code lines, glossary and 三公 figures.

The Site keeps only what cross-page indices need: facts, totals, 三公, code-line entries with their
anchors, titles, region, kind, project names and open findings. A disclosure's tables, sections, projects
and checks (nine tenths of its memory) stay in its folder until a page reads them: `StoredDisclosure`
reads data.json again then and keeps the last few read (`RESIDENT_DISCLOSURES`), so a 10,000
department-year site loads in a fraction of the memory and render workers fork from a small process.
"""

from __future__ import annotations

import gc
import hashlib
import sys
from collections import Counter, OrderedDict, defaultdict
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field, fields
from decimal import Decimal
from pathlib import Path
from typing import Any, NamedTuple, TypeVar

from budgetsite.content.registry import load_registry
from budgetsite.content.slugs import CODE_PATTERN, SLUG_PATTERN
from budgetsite.content.tree import (
    iter_disclosure_folders,
    load_disclosure,
    read_utf8,
    split_front_matter,
    table_file_names,
)
from budgetsite.errors import ContentError
from budgetsite.identity import KIND_SUFFIX, folder_year
from budgetsite.model import Check, Disclosure, Fact, Project, Section, Table
from budgetsite.recognize import facts
from budgetsite.recognize.catalog import code_kind
from budgetsite.recognize.sections import glossary_entries
from budgetsite.recognize.table_layout import Layout
from budgetsite.site.urls import RESERVED_NAMES, Urls

# The 三公 facts a comparison shows, in column order (recognize.facts names them).
SANGONG_FACTS = {
    "total": facts.SANGONG_TOTAL,
    "abroad": facts.ABROAD,
    "vehicles": facts.VEHICLES,
    "vehicle_purchase": facts.VEHICLE_PURCHASE,
    "vehicle_running": facts.VEHICLE_RUNNING,
    "reception": facts.RECEPTION,
}


@dataclass
class ThreePublic:
    """三公经费 facts of one department-year (None: not printed); values in 万元 via `.value_wan`."""

    total: Fact | None
    abroad: Fact | None
    vehicles: Fact | None
    vehicle_purchase: Fact | None
    vehicle_running: Fact | None
    reception: Fact | None
    origin: str  # "table" or "narrative": where the 合计 (else the first fact) was read

    def facts(self) -> list[tuple[str, Fact | None]]:
        """(key, fact) in column order."""
        return [(key, getattr(self, key)) for key in SANGONG_FACTS]


# Disclosures whose tables, sections, projects and checks one process holds at once: a department's pages
# read its own (years × kinds × units, rarely more than 8), a budget-vs-actual page two more.
RESIDENT_DISCLOSURES = 16

# The parts of a Disclosure a StoredDisclosure reads from its folder when asked (the rest stays loaded).
STORED_PARTS = ("tables", "sections", "projects", "checks")

T = TypeVar("T")


class _Parts(NamedTuple):
    tables: list[Table]
    sections: list[Section]
    projects: list[Project]
    checks: list[Check]


def _stored_part(name: str) -> Any:
    """A property reading one of STORED_PARTS from the folder (read-only: the folder is the truth)."""

    def read(self: StoredDisclosure) -> Any:
        return getattr(self.parts(), name)

    def refuse(self: StoredDisclosure, value: object) -> None:
        raise AttributeError(
            f"{name} of a stored disclosure is read from {self.folder}: replace DeptYear.disclosure "
            "instead (this is a bug in budgetsite)"
        )

    return property(read, refuse, doc=f"The disclosure's {name}, read from its folder when asked.")


class StoredDisclosure(Disclosure):
    """A Disclosure whose tables, sections, projects and checks stay in its folder until read.

    Department, year, kind, title, level, region, source and facts stay in memory. The parts read are
    kept while this disclosure is among the RESIDENT_DISCLOSURES read last in this process, then
    dropped (a worker renders a department's pages together, so each is read about once). Reading
    again refuses a folder changed since the load: a page must show the figures the indices were built
    from. Made with `keep`, it holds its parts for good: serve compares a department-year before and
    after an edit, when the folder holds only the edited one.
    """

    tables = _stored_part("tables")
    sections = _stored_part("sections")
    projects = _stored_part("projects")
    checks = _stored_part("checks")

    folder: Path
    stamp: tuple[int, ...]
    _parts: _Parts | None
    _derived: dict[str, Any]
    _kept: bool

    @classmethod
    def of(
        cls, disclosure: Disclosure, folder: Path, stamp: tuple[int, ...], keep: bool = False
    ) -> StoredDisclosure:
        """`disclosure` (read from `folder` when its files had `stamp`) without its stored parts, unless
        `keep` says to hold them."""
        stored = cls.__new__(cls)
        for item in fields(Disclosure):
            if item.name not in STORED_PARTS:
                stored.__dict__[item.name] = getattr(disclosure, item.name)
        stored.folder, stored.stamp = folder, stamp
        stored._parts, stored._derived, stored._kept = None, {}, keep
        if keep:
            stored._parts = _Parts(
                disclosure.tables, disclosure.sections, disclosure.projects, disclosure.checks
            )
        return stored

    def parts(self) -> _Parts:
        """The stored parts, read from the folder unless they are among the last read."""
        parts = self._parts
        if self._kept and parts is not None:
            return parts
        if parts is None:
            if folder_stamp(self.folder) != self.stamp:
                raise ContentError(
                    "changed while the site was being built",
                    path=self.folder,
                    hint="run budgetsite build again once the content stops changing",
                )
            full = load_disclosure(self.folder)
            parts = self._parts = _Parts(full.tables, full.sections, full.projects, full.checks)
        _recently_read[id(self)] = self
        _recently_read.move_to_end(id(self))
        while len(_recently_read) > RESIDENT_DISCLOSURES:
            _, dropped = _recently_read.popitem(last=False)
            dropped._parts, dropped._derived = None, {}
        return parts

    def derived(self, key: str, compute: Callable[[_Parts], T]) -> T:
        """`compute(parts)`, kept and dropped with the parts (table layouts, row anchors)."""
        parts = self.parts()
        if key not in self._derived:
            self._derived[key] = compute(parts)
        return self._derived[key]

    def __getstate__(self) -> dict[str, Any]:
        # The build cache pickles department-years: parts read for a page are not part of the model.
        state = dict(self.__dict__)
        if not self._kept:
            state["_parts"], state["_derived"] = None, {}
        return state

    def restamp(self) -> None:
        """Take the folder's files as they are now for the ones this was read from: the caller knows their
        content is the same (the build cache compared its hash), only their times changed."""
        self.stamp = folder_stamp(self.folder)

    @property
    def resident(self) -> bool:
        """Whether the stored parts are in memory now."""
        return self._parts is not None


# The StoredDisclosures whose parts this process holds, oldest read first.
_recently_read: OrderedDict[int, StoredDisclosure] = OrderedDict()


def drop_stored_parts() -> None:
    """Forget every stored part read so far (a process about to fork workers keeps none of them)."""
    while _recently_read:
        _, dropped = _recently_read.popitem()
        dropped._parts, dropped._derived = None, {}


def folder_stamp(folder: Path) -> tuple[int, ...]:
    """Modification time and size of a disclosure folder's data.json and index.md (0, 0: no index.md)."""
    stamp: list[int] = []
    for name in ("data.json", "index.md"):
        try:
            status = (folder / name).stat()
            stamp += [status.st_mtime_ns, status.st_size]
        except FileNotFoundError:
            stamp += [0, 0]
    return tuple(stamp)


class CodeFact(NamedTuple):
    """A code fact (function:2150805 …) of a department-year with what its code page shows of its row."""

    kind: str  # "function" or "economic"
    code: str
    row_index: int
    anchor: str
    name: str  # the row's printed name
    table_title: str
    fact: Fact


class ProjectHeadline(NamedTuple):
    """What the project index shows of a project: its name and 预算数 (万元)."""

    name: str
    budget: Decimal | None


@dataclass(eq=False)
class DeptYear:
    """One disclosure folder of the content tree (a department-year's budget, its 决算, a unit's budget …).

    Holds what pages about many department-years need; the tables, sections, projects and checks are
    read from the folder when a page of this department-year asks (StoredDisclosure). Equal only to
    itself: one folder is one DeptYear (comparing contents would read the stored parts).
    """

    disclosure: StoredDisclosure
    folder: Path
    slug: str
    year: int
    front_matter: dict[str, Any]
    key: str  # '<slug>/<folder>': what its pages depend on (one string, shared by every page's deps)
    # "tables/<name>.csv" per table, named as the content tree names them (a repeated id gets -2, -3 …)
    table_files: list[str] = field(default_factory=list)
    facts: dict[str, Fact] = field(default_factory=dict)
    total: Decimal | None = None
    basic: Decimal | None = None
    project: Decimal | None = None
    three_public: ThreePublic | None = None
    # Read at load for pages about many department-years, so they need not read the stored parts:
    fact_row_anchors: dict[tuple[int, int], str] = field(default_factory=dict)  # rows facts were read from
    section_anchors: dict[str, str] = field(default_factory=dict)  # section title → id (the first of a title)
    code_facts: list[CodeFact] = field(default_factory=list)
    glossary: list[tuple[str, str]] = field(default_factory=list)  # (term, definition) of its 名词解释
    project_headlines: list[ProjectHeadline] = field(default_factory=list)
    open_checks: list[Check] = field(default_factory=list)  # warn and fail, for the findings page
    # A digest per stored part ("tables", "projects", "checks"): an edit is compared with the department-year
    # before it (site.impact) without reading parts that, on disk, are already the edited ones.
    part_keys: dict[str, str] = field(default_factory=dict)

    @property
    def department(self) -> str:
        return self.disclosure.department

    @property
    def region(self) -> list[str]:
        return self.disclosure.region

    @property
    def kind(self) -> str:
        return self.disclosure.kind

    @property
    def layouts(self) -> list[Layout]:
        """Per table: code, name, amount columns, totals (read with the tables)."""
        return self.disclosure.derived("layouts", lambda parts: [Layout.of(t) for t in parts.tables])

    @property
    def row_anchors(self) -> dict[tuple[int, int], str]:
        """The id of each coded row, and of each row a fact was read from (see _row_anchors)."""
        return self.disclosure.derived(
            "row_anchors", lambda parts: _row_anchors(self.disclosure, self.layouts)
        )

    def fact(self, name: str) -> Fact | None:
        return self.facts.get(name)

    def fact_anchor(self, fact: Fact) -> str:
        """The id on this department-year page where `fact` was read: its table row, else its section."""
        source = fact.source
        if source.table_index is not None and source.row_index is not None:
            anchor = self.fact_row_anchors.get((source.table_index, source.row_index))
            if anchor is not None:
                return anchor
        if source.section:
            return self.section_anchors.get(source.section, "")
        return ""

    def take_text_of(self, edited: DeptYear) -> None:
        """Show the narrative and title of `edited`, this folder read again after an index.md edit that
        changed nothing else (serve keeps this DeptYear, which every index points at)."""
        self.disclosure, self.front_matter = edited.disclosure, edited.front_matter
        self.section_anchors = edited.section_anchors

    @property
    def path(self) -> str:
        """Site path of the disclosure page, relative to the base URL."""
        return Urls.disclosure(self.slug, self.disclosure)

    def file_path(self, name: str) -> str:
        """Site path of a file beside the disclosure page: 'data.json', a table's CSV, the original file."""
        return self.path + name

    @property
    def series(self) -> tuple[str, str | None]:
        """(kind, unit slug): the disclosures a year-to-year comparison or a previous/next link joins."""
        level = self.disclosure.level
        return self.disclosure.kind, level.slug if level.is_unit else None

    @property
    def order(self) -> tuple[int, int, str, int]:
        """Sort key within a department: year, department before units, budget before 决算."""
        kind, unit = self.series
        return self.year, unit is not None, unit or "", list(KIND_SUFFIX).index(kind)

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
    years: list[DeptYear] = field(default_factory=list)  # every disclosure, in DeptYear.order

    @property
    def path(self) -> str:
        return Urls.department(self.slug)

    def series(self, series: tuple[str, str | None]) -> list[DeptYear]:
        """The disclosures of one series (the department's budgets, its 决算, one unit's budgets) by year."""
        return [dy for dy in self.years if dy.series == series]

    def main_years(self) -> list[DeptYear]:
        """One disclosure per year, the one lists and year pages show: the department's budget, else its
        决算, else whatever the year has."""
        best: dict[int, DeptYear] = {}
        for dy in self.years:
            if dy.year not in best or _main_rank(dy) < _main_rank(best[dy.year]):
                best[dy.year] = dy
        return [best[year] for year in sorted(best)]

    def siblings(self, dy: DeptYear) -> list[DeptYear]:
        """The other disclosures of `dy`'s year (its 决算, its units' budgets …)."""
        return [other for other in self.years if other.year == dy.year and other is not dy]


def _main_rank(dy: DeptYear) -> tuple[bool, int]:
    kind, unit = dy.series
    return unit is not None, list(KIND_SUFFIX).index(kind)


@dataclass(slots=True)
class CodeEntry:
    """One table row carrying a classification code, with where it lives (one per code fact of the site)."""

    dept_year: DeptYear
    table_title: str
    row_index: int
    anchor: str
    name: str
    amount: Decimal | None
    amount_label: str
    fact: Fact | None = None


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


def load_dept_year(folder: Path, keep_parts: bool = False) -> DeptYear:
    """Load one department-year folder and compute its own figures (totals, 三公, anchors, code facts).

    The tables, sections, projects and checks are dropped after unless `keep_parts` (see StoredDisclosure).
    """
    stamp = folder_stamp(folder)
    disclosure = load_disclosure(folder)
    # Any folder of the year builds (an old tree keeps its 决算 in <year>/): the page follows data.json.
    if folder_year(folder.name) != disclosure.year:
        raise ContentError(
            f"folder name does not match year {disclosure.year} in data.json",
            path=folder,
            hint="name the folder after the year (2024, 2024-final-accounts …), or run budgetsite migrate",
        )
    level = disclosure.level
    if level.is_unit and not SLUG_PATTERN.match(level.slug or ""):
        # The unit slug becomes a URL and a path under output/, like the department folder name.
        raise ContentError(
            f"level.slug {level.slug!r} of unit {level.unit!r} is not a lower-case ASCII slug",
            path=folder / "data.json",
            hint="set it like renminzhengfubangongshi, or re-ingest the source",
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
        front_matter, _ = split_front_matter(read_utf8(index_path), index_path)
    _share_fact_strings(disclosure.facts)
    layouts = [Layout.of(table) for table in disclosure.tables]
    row_anchors = _row_anchors(disclosure, layouts)
    dept_year = DeptYear(
        disclosure=StoredDisclosure.of(disclosure, folder, stamp, keep=keep_parts),
        folder=folder,
        slug=folder.parent.name,
        year=disclosure.year,
        front_matter=front_matter,
        key=f"{folder.parent.name}/{folder.name}",
        table_files=table_file_names(disclosure.tables),
        fact_row_anchors={
            key: row_anchors[key]
            for key in ((f.source.table_index, f.source.row_index) for f in disclosure.facts)
            if key in row_anchors
        },
        section_anchors=_section_anchors(disclosure.sections),
        glossary=glossary_entries(disclosure),
        project_headlines=[ProjectHeadline(p.name, p.budget) for p in disclosure.projects],
        open_checks=[check for check in disclosure.checks if check.status != "pass"],
        part_keys={
            # repr keeps the printed digits: Decimal("1.0") == Decimal("1.00") but they print differently.
            "tables": _digest([(t.id, t.title, t.columns, t.rows) for t in disclosure.tables]),
            "projects": _digest(disclosure.projects),
            "checks": _digest(disclosure.checks),
        },
    )
    for fact in disclosure.facts:
        dept_year.facts.setdefault(fact.name, fact)
    dept_year.code_facts = _code_facts(dept_year, disclosure.tables, layouts)
    total = dept_year.fact("支出合计") or dept_year.fact("支出总计")
    dept_year.total = total.value_wan if total is not None else None
    basic, project = dept_year.fact("基本支出"), dept_year.fact("项目支出")
    dept_year.basic = basic.value_wan if basic is not None else None
    dept_year.project = project.value_wan if project is not None else None
    dept_year.three_public = three_public_facts(dept_year.facts)
    return dept_year


def _digest(value: object) -> str:
    return hashlib.sha256(repr(value).encode("utf-8")).hexdigest()


def _share_fact_strings(found: list[Fact]) -> None:
    """One copy of the names, units and source labels every disclosure repeats (a third of a fact's
    memory on a 10,000 department-year site: each data.json read makes its own strings)."""
    for fact in found:
        fact.name, fact.unit = sys.intern(fact.name), sys.intern(fact.unit)
        source = fact.source
        if source.table is not None:
            source.table = sys.intern(source.table)
        if source.row is not None:
            source.row = sys.intern(source.row)
        if source.column is not None:
            source.column = sys.intern(source.column)
        if source.section is not None:
            source.section = sys.intern(source.section)


def _section_anchors(sections: list[Section]) -> dict[str, str]:
    """Section title → its id on the page ('section-<id>', else 'section-<n>'), the first of a title."""
    anchors: dict[str, str] = {}
    for index, section in enumerate(sections, start=1):
        anchors.setdefault(section.title, f"section-{section.id}" if section.id else f"section-{index}")
    return anchors


def _code_facts(dy: DeptYear, tables: list[Table], layouts: list[Layout]) -> list[CodeFact]:
    """The code facts (function:2150805 …) of `dy`, each with its row as the code page shows it."""
    found = []
    for fact in dy.disclosure.facts:
        kind, _, code = fact.name.partition(":")
        if kind not in ("function", "economic") or fact.source.table_index is None:
            continue
        table = tables[fact.source.table_index]
        r_index = fact.source.row_index if fact.source.row_index is not None else 0
        name = (
            layouts[fact.source.table_index].name_of(table.rows[r_index]) if r_index < len(table.rows) else ""
        )
        found.append(
            CodeFact(
                sys.intern(kind),
                sys.intern(code),
                r_index,
                dy.fact_anchor(fact),
                sys.intern(name),
                sys.intern(table.title),
                fact,
            )
        )
    return found


# --- figures -------------------------------------------------------------------------------------------


def column_index(table: Table, key: str) -> int | None:
    """Index of the column with `key`, if any."""
    return next((i for i, c in enumerate(table.columns) if c.key == key), None)


def three_public_facts(found: dict[str, Fact]) -> ThreePublic | None:
    """The 三公 facts of a department-year, or None when it prints none of them."""
    chosen = {key: found.get(name) for key, name in SANGONG_FACTS.items()}
    first = chosen["total"] or next((f for f in chosen.values() if f is not None), None)
    if first is None:
        return None
    return ThreePublic(origin="table" if first.source.table else "narrative", **chosen)


def _row_anchors(disclosure: Disclosure, layouts: list[Layout]) -> dict[tuple[int, int], str]:
    """Stable id per coded row: '<table-id>-<code>' (suffix -2, -3 … when a code repeats in a table);
    a row a fact was read from without a code: '<table-id>-row-<n>' (n counts from 1)."""
    anchors: dict[tuple[int, int], str] = {}
    for fact in disclosure.facts:
        t_index, r_index = fact.source.table_index, fact.source.row_index
        if t_index is not None and r_index is not None and t_index < len(disclosure.tables):
            anchors[(t_index, r_index)] = f"{disclosure.tables[t_index].id}-row-{r_index + 1}"
    for t_index, (table, layout) in enumerate(zip(disclosure.tables, layouts, strict=True)):
        if layout.code_kind is None:
            continue
        seen: Counter[str] = Counter()
        for r_index, row in enumerate(table.rows):
            code = layout.code_of(row)
            # Only a code of a known shape (类 3, 款 5, 项 7 digits) valid for its column gets an anchor and so a
            # code page (a URL path); a misprinted one ("7") is reported by the plausible-code check.
            if code and CODE_PATTERN.match(code) and code_kind(code) == f"{layout.code_kind}_code":
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
        meta, body = split_front_matter(read_utf8(path), path)
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
    terms: dict[str, GlossaryTerm] = {}
    dept_years = sorted(dept_years, key=site_order)
    for dy in dept_years:
        department = departments.setdefault(dy.slug, Department(dy.slug, dy.department, dy.region))
        # The newest year names the department (names change after reorganisations).
        if not dy.disclosure.level.is_unit:
            department.name, department.region = dy.department, dy.region or department.region
        department.years.append(dy)
        for key, code_entry in code_entries(dy):
            codes.setdefault(key, CodeLine(kind=key[0], code=key[1], name="")).entries.append(code_entry)
        for term, definition in dy.glossary:
            entry = terms.setdefault(term, GlossaryTerm(term=term, anchor=term_anchor(term)))
            if all(d != definition for d, _ in entry.definitions):
                entry.definitions.append((definition, dy))
    for line in codes.values():
        line.name = commonest_name(line.entries)
    for department in departments.values():
        department.years.sort(key=lambda d: d.order)
        # Year pages list every disclosure of the year (labelled 预算/决算, units by their own name).
        for dy in department.years:
            years[dy.year].append(dy)
    return Site(
        content_dir=content_dir,
        departments=dict(sorted(departments.items(), key=display_order(content_dir))),
        dept_years=dept_years,
        years=dict(sorted(years.items())),
        codes=dict(sorted(codes.items())),
        glossary=sorted(terms.values(), key=lambda t: t.term),
        pages=load_pages(content_dir),
    )


def site_order(dy: DeptYear) -> tuple[str, tuple[int, int, str, int]]:
    """Where `dy` stands in Site.dept_years, and so its rows in every code line: by department, then year."""
    return dy.slug, dy.order


def code_entries(dy: DeptYear) -> Iterator[tuple[tuple[str, str], CodeEntry]]:
    """(kind, code) and entry of each code line row of `dy`, in the order of its facts."""
    # Code lines read the code facts (function:2150805 …): one figure per disclosure, from its row.
    for row in dy.code_facts:
        fact = row.fact
        entry = CodeEntry(
            dy,
            row.table_title,
            row.row_index,
            row.anchor,
            row.name,
            fact.value_wan,
            fact.source.column or "",
            fact,
        )
        yield (row.kind, row.code), entry


def commonest_name(entries: list[CodeEntry]) -> str:
    """The name a code line goes by: the one its rows print most often (the first seen of a tie)."""
    counts = Counter(e.name for e in entries)
    return counts.most_common(1)[0][0] if counts else ""


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


def require_content_dir(content_dir: Path) -> None:
    """A missing content folder is the user's mistake: say what to do."""
    if not content_dir.is_dir():
        raise ContentError(
            "content folder does not exist",
            path=content_dir,
            hint="run budgetsite ingest first or pass --content",
        )


def load_content_site(content_dir: Path, keep_parts: bool = False) -> Site:
    """Load every department-year of `content_dir` and build the indices (`keep_parts`: see
    StoredDisclosure)."""
    require_content_dir(content_dir)
    with gc_paused():
        # The content stage's own list: it skips the hidden folders an interrupted ingest leaves behind.
        folders = iter_disclosure_folders(content_dir)
        return build_site(content_dir, [load_dept_year(folder, keep_parts) for folder in folders])
