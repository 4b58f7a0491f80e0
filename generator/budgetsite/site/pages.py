"""Plan every page of the site (DESIGN §6) with its template, context and the content it depends on."""

from __future__ import annotations

import functools
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any, NamedTuple

from markupsafe import Markup

from budgetsite.check import family_of
from budgetsite.model import Fact, Table
from budgetsite.site.charts import Chart, bar_chart
from budgetsite.site.compare import BudgetActual, budget_actual_pairs, year_over_year
from budgetsite.site.downloads import SANGONG_CSV
from budgetsite.site.load import CodeEntry, CodeLine, Department, DeptYear, HandPage, Site
from budgetsite.site.projects import project_lines
from budgetsite.site.render import LONG_TABLE_ROWS, format_cell, glossary_linker, render_markdown
from budgetsite.site.urls import Urls

ALL = "*"

# At most this many of the same region's other departments are listed on a department-year page; the
# year page, which it links to, lists them all.
REGION_LINKS = 40


@dataclass(slots=True)  # 176,000 of them at 10,000 department-years, for the whole build
class PageSpec:
    """One output page: where it goes, how to render it, and which content keys it reads."""

    path: str  # site path (see site.urls), relative to the base URL
    template: str
    make_context: Callable[[], dict[str, Any]]
    deps: frozenset[str] = field(default_factory=frozenset)
    indexed: bool = True  # in sitemap.xml (search indexing is decided by data-pagefind-body in the template)

    @property
    def file(self) -> str:
        """Output file path relative to the output folder."""
        return page_file(self.path)


def page_file(path: str) -> str:
    """Output file of the page at site path `path`, relative to the output folder."""
    return path if path.endswith((".html", ".xml", ".txt")) else path + "index.html"


def dept_year_key(dy: DeptYear) -> str:
    """Dependency key of a disclosure: '<slug>/<folder>' (its content folder: 2024, 2024-final-accounts …)."""
    return dy.key


# --- table views: computed here so templates stay simple and fast ----------------------------------------
#
# A 1,000 department-year site renders some 900,000 table cells. Cells and rows are named tuples so the
# `data_table` macro can unpack them into local names (`{% for text, numeric, href, header in cells %}`)
# instead of one Jinja attribute lookup per field, while a theme's own macro can still say `cell.text`.


class CellView(NamedTuple):
    text: str
    numeric: bool = False
    href: str | None = None
    header: bool = False


class RowView(NamedTuple):
    anchor: str | None
    cells: list[CellView]
    total: bool = False
    level: int = 0  # 1, 2, 3 for a 类 / 款 / 项 code row (3, 5, 7 digits): indented on the page


@dataclass
class TableView:
    table: Table
    id: str
    columns: list[tuple[str, bool]]  # (label, numeric)
    rows: list[RowView]
    long: bool
    csv_path: str


def table_view(
    dy: DeptYear, t_index: int, table: Table, code_hrefs: dict[tuple[str, str], str], table_id: str
) -> TableView:
    """Rows of `table` as cells: codes linked to their code page, the name cell as row header.

    `code_hrefs` maps (kind, code) to the code page's URL (made once per build); `table_id` is the
    element id of the table on its page.
    """
    width = len(table.columns)
    layout = dy.layouts[t_index]
    # Codes link to their code page when the column says which classification they are.
    code_index = layout.code if layout.code_kind is not None else None
    header_index: int | None = layout.name if layout.name is not None else 0
    if header_index is not None and header_index >= width:
        header_index = None  # a table without columns
    rows = []
    for r_index, row in enumerate(table.rows):
        if len(row) != width:
            row = (list(row) + [None] * width)[:width]
        cells = [CellView(format_cell(value), isinstance(value, Decimal)) for value in row]
        if code_index is not None:
            href = code_hrefs.get((layout.code_kind or "", layout.code_of(row)))
            if href is not None:
                cells[code_index] = cells[code_index]._replace(href=href)
        code = layout.code_of(row)
        level = {3: 1, 5: 2, 7: 3}.get(len(code), 0) if code else 0  # 类/款/项, indented on the page
        if header_index is not None:
            cells[header_index] = cells[header_index]._replace(header=True)
        rows.append(RowView(dy.row_anchors.get((t_index, r_index)), cells, layout.sums_others(row), level))
    if rows:
        numeric_columns = [
            any(cell.numeric for cell in column) for column in zip(*(r.cells for r in rows), strict=True)
        ]
    else:
        numeric_columns = [False] * width
    return TableView(
        table=table,
        id=table_id,
        columns=[(c.label, numeric_columns[i]) for i, c in enumerate(table.columns)],
        rows=rows,
        long=len(rows) > LONG_TABLE_ROWS,
        csv_path=dy.file_path(dy.table_files[t_index]),
    )


def table_views(dy: DeptYear, code_hrefs: dict[tuple[str, str], str]) -> list[TableView]:
    """Every table of a department-year as a view."""
    tables = dy.disclosure.tables
    counts = Counter(t.id for t in tables)
    # A table id repeats only for unrecognized 'other-N' mistakes; the index keeps page ids unique.
    return [
        table_view(dy, i, t, code_hrefs, f"table-{t.id}" if counts[t.id] == 1 else f"table-{i}")
        for i, t in enumerate(tables)
    ]


# --- charts ---------------------------------------------------------------------------------------------


def dept_year_charts(dy: DeptYear, t: dict[str, str]) -> list[Chart]:
    """Expenditure by function class (类), 基本 vs 项目, 三公 parts."""
    charts: list[Chart] = []
    # 功能分类 类 (3-digit codes) from the code facts: "function:204", its row "204 公共安全支出".
    classes: list[tuple[str, Decimal | None]] = [
        (fact.source.row or fact.name.partition(":")[2], fact.value_wan)
        for fact in dy.disclosure.facts
        if fact.name.startswith("function:") and len(fact.name.partition(":")[2]) == 3
    ]
    chart = bar_chart("chart-function", t["chart_by_function"], classes, t["unit_wan"])
    if chart:
        charts.append(chart)
    chart = bar_chart(
        "chart-basic-project",
        t["chart_basic_project"],
        [(t["basic_expenditure"], dy.basic), (t["project_expenditure"], dy.project)],
        t["unit_wan"],
    )
    if chart:
        charts.append(chart)
    if dy.three_public is not None:
        tp = dy.three_public
        chart = bar_chart(
            "chart-three-public",
            t["chart_three_public"],
            [
                (t["sangong_abroad"], _value(tp.abroad)),
                (t["sangong_vehicles"], _value(tp.vehicles)),
                (t["sangong_reception"], _value(tp.reception)),
            ],
            t["unit_wan"],
        )
        if chart:
            charts.append(chart)
    return charts


def _value(fact: Fact | None) -> Decimal | None:
    return fact.value_wan if fact is not None else None


# --- comparison pages: facts only ------------------------------------------------------------------------


class FactRef(NamedTuple):
    """A fact with the link to where it was read on its department-year page."""

    fact: Fact | None
    href: str


def fact_ref(dy: DeptYear, fact: Fact | None, url: Callable[[str], str]) -> FactRef:
    """`fact` of `dy` with the URL of its source row (or sentence) on the department-year page."""
    if fact is None:
        return FactRef(None, "")
    anchor = dy.fact_anchor(fact)
    return FactRef(fact, url(dy.path) + (f"#{anchor}" if anchor else ""))


def totals_refs(dy: DeptYear, url: Callable[[str], str]) -> list[FactRef]:
    """支出 (支出合计, else 支出总计), 基本支出, 项目支出 of `dy` as linked facts."""
    total = dy.fact("支出合计") or dy.fact("支出总计")
    return [fact_ref(dy, fact, url) for fact in (total, dy.fact("基本支出"), dy.fact("项目支出"))]


class SangongRow(NamedTuple):
    """One disclosure on the 三公 page: its facts in column order and the change of 合计 on last year."""

    dy: DeptYear
    cells: list[FactRef]
    change: Decimal | None


def _previous_same_kind(site: Site, dy: DeptYear) -> DeptYear | None:
    earlier = [d for d in site.departments[dy.slug].years if d.year < dy.year and d.kind == dy.kind]
    return earlier[-1] if earlier else None


def three_public_context(site: Site, url: Callable[[str], str], t: dict[str, str]) -> dict[str, Any]:
    """The 三公 page: per year (newest first) one row per disclosure, largest 合计 first, and a chart."""
    years = []
    for year in sorted(site.years, reverse=True):
        rows = []
        for dy in site.years[year]:
            tp = dy.three_public
            if tp is None:
                continue
            previous = _previous_same_kind(site, dy)
            before = previous.three_public.total if previous and previous.three_public else None
            change = tp.total.value_wan - before.value_wan if tp.total and before else None
            rows.append(SangongRow(dy, [fact_ref(dy, fact, url) for _, fact in tp.facts()], change))
        if not rows:
            continue
        rows.sort(key=lambda r: (r.cells[0].fact is None, -(_value(r.cells[0].fact) or 0), r.dy.slug))
        chart = bar_chart(
            f"chart-sangong-{year}",
            f"{year}{t['year_suffix']}{t['three_public']}{t['sangong_total']}",
            [
                (f"{r.dy.department}（{t['kind_' + r.dy.kind.replace('-', '_')]}）", _value(r.cells[0].fact))
                for r in rows
            ],
            t["unit_wan"],
        )
        years.append({"year": year, "rows": rows, "chart": chart})
    missing = [dy for dy in site.dept_years if dy.three_public is None]
    return {"years": years, "missing": missing, "csv_path": SANGONG_CSV}


class Headline(NamedTuple):
    """The latest year's figures of one kind (预算 or 决算) across the site's departments."""

    year: int
    kind: str
    disclosures: int
    expenditure: Decimal | None  # Σ 支出 of those that print it
    expenditure_count: int
    sangong: Decimal | None  # Σ 三公经费合计 of those that print it
    sangong_count: int
    changes: list[tuple[DeptYear, Decimal, FactRef]]  # biggest changes of 支出 on the year before


def _expenditure(dy: DeptYear) -> Fact | None:
    return dy.fact("支出合计") or dy.fact("支出总计")


def headline_figures(site: Site, url: Callable[[str], str], changes: int = 3) -> list[Headline]:
    """Per kind, the latest year's 支出 and 三公 totals, the number of disclosures and the biggest changes."""
    if not site.years:
        return []
    year = max(site.years)
    headlines = []
    for kind in ("budget", "final-accounts"):
        dys = [dy for dy in site.years[year] if dy.kind == kind]
        if not dys:
            continue
        spent = [f for f in map(_expenditure, dys) if f is not None]
        sangong = [dy.three_public.total for dy in dys if dy.three_public and dy.three_public.total]
        moved = []
        for dy in dys:
            previous, now = _previous_same_kind(site, dy), _expenditure(dy)
            before = _expenditure(previous) if previous is not None else None
            if now is not None and before is not None:
                moved.append((dy, now.value_wan - before.value_wan, fact_ref(dy, now, url)))
        moved.sort(key=lambda m: (-abs(m[1]), m[0].slug))
        headlines.append(
            Headline(
                year,
                kind,
                len(dys),
                sum((f.value_wan for f in spent), Decimal(0)) if spent else None,
                len(spent),
                sum((f.value_wan for f in sangong), Decimal(0)) if sangong else None,
                len(sangong),
                moved[:changes],
            )
        )
    return headlines


# --- the plan -------------------------------------------------------------------------------------------


class NarrativeRenderer:
    """Markdown with glossary links of narrative sections, memoised for one build.

    Boilerplate repeats across departments and years (名词解释, "我部门无…", whole sections of one
    city's template), and markdown-it is the slowest step of a department-year page. The result depends
    only on the text, the heading-id prefix, the fallback table caption and this build's glossary.
    """

    def __init__(self, terms: dict[str, str], size: int = 4096):
        self._link = glossary_linker(terms)
        self.section = functools.lru_cache(maxsize=size)(self._render)

    def _render(self, markdown: str, anchor: str, title: str) -> Markup:
        return self._link(render_markdown(markdown, anchor, title))

    def sections(self, dy: DeptYear) -> list[dict[str, Any]]:
        """Anchor, printed title and HTML of each narrative section of `dy`."""
        sections: list[dict[str, Any]] = []
        anchors = set()
        for index, section in enumerate(dy.disclosure.sections, start=1):
            anchor = f"section-{section.id}" if section.id else f"section-{index}"
            if anchor in anchors:
                anchor = f"section-{index}"
            anchors.add(anchor)
            title = f"{section.number}、{section.title}" if section.number else section.title
            sections.append(
                {"anchor": anchor, "title": title, "html": self.section(section.markdown, anchor, title)}
            )
        return sections


def _source_name(dy: DeptYear) -> str | None:
    source = dy.source_file
    return Path(source.name).name if source is not None else None


def _context(**values: Any) -> Callable[[], dict[str, Any]]:
    """A page's context made when the page is rendered (a worker renders only its share of the pages)."""
    return lambda: values


def _project_context(dy: DeptYear, number: int) -> Callable[[], dict[str, Any]]:
    # The project is read with its disclosure's stored parts when the page is rendered.
    return lambda: {"dy": dy, "number": number, "project": dy.disclosure.projects[number - 1]}


class PagePlanner:
    """Plans the pages of one Site: one method per page kind (PAGE_KINDS says which, in what order).

    Holds what many pages share and is made once a build: the narrative renderer with this build's
    glossary links, every code page's link, and each year's disclosures by region.
    """

    def __init__(self, site: Site, url: Callable[[str], str], t: dict[str, str]):
        self.site, self.url, self.t = site, url, t
        self.every = frozenset({ALL})
        terms = {term.term: url(Urls.glossary) + "#" + term.anchor for term in site.glossary}
        self.narrative = NarrativeRenderer(terms)
        self.code_hrefs = {key: url(line.path) for key, line in site.codes.items()}
        self._keys = {id(dy): dept_year_key(dy) for dy in site.dept_years}
        self._code_keys: dict[str, frozenset[str]] = {}
        # Each department's main disclosure of a year (its budget, else its 决算) by (year, region), in
        # display order: a department-year page links to its region's, not to all of the year's (250
        # links a page on a 1,000 department-year site, and every page re-rendered on one listing edit).
        self.region_years: dict[tuple[int, tuple[str, ...]], list[DeptYear]] = defaultdict(list)
        for department in site.departments.values():
            for main in department.main_years():
                self.region_years[(main.year, tuple(main.region))].append(main)

    def home(self) -> Iterator[PageSpec]:
        latest = sorted(self.site.dept_years, key=lambda d: (-d.year, d.slug))[:12]
        site, url = self.site, self.url
        yield PageSpec(
            Urls.home,
            "home.html",
            lambda: {"latest": latest, "headline": headline_figures(site, url)},
            self.every,
        )

    def departments(self) -> Iterator[PageSpec]:
        yield PageSpec(Urls.departments, "departments.html", dict, self.every)

    def department_pages(self) -> Iterator[PageSpec]:
        """Each department's page, then each of its years' pages with their project pages."""
        for department in self.site.departments.values():
            yield from self.pages_of(department)

    def pages_of(self, department: Department) -> Iterator[PageSpec]:
        """A department's page, its budget-vs-actual pages, its disclosures' pages and their projects'."""
        yield self.department(department)
        pairs = budget_actual_pairs(department.years)
        for pair in pairs:
            yield _budget_actual_spec(department, pair)
        for dy in department.years:
            yield self.dept_year(department, dy, pairs)
            yield from self.projects(dy)

    def department(self, department: Department) -> PageSpec:
        def context() -> dict[str, Any]:
            chart = bar_chart(
                "chart-trend",
                f"{department.name} {self.t['totals_trend']}",
                [(f"{dy.year}{self.t['year_suffix']}", dy.total) for dy in department.main_years()],
                self.t["unit_wan"],
            )
            return {
                "department": department,
                "chart": chart,
                "rows": [(dy, totals_refs(dy, self.url)) for dy in department.years],
                "comparisons": _year_comparisons(department, self.t),
                "budget_actual": budget_actual_pairs(department.years),
            }

        deps = frozenset(dept_year_key(d) for d in department.years)
        return PageSpec(department.path, "department.html", context, deps)

    def dept_year(self, department: Department, dy: DeptYear, pairs: list[BudgetActual]) -> PageSpec:
        """The page of disclosure `dy`, linked to its neighbours in time, its year's other disclosures, the
        same region's other departments that year, the year page, and its budget-vs-actual page."""
        # Previous/next year within the same series: a 决算 links to the 决算 of the year before.
        series = department.series(dy.series)
        position = series.index(dy)
        previous = series[position - 1] if position > 0 else None
        following = series[position + 1] if position + 1 < len(series) else None
        same_region = [d for d in self.region_years.get((dy.year, tuple(dy.region)), []) if d.slug != dy.slug]
        siblings = department.siblings(dy)
        budget_actual = next((p for p in pairs if dy in (p.budget, p.final)), None)

        def others() -> list[DeptYear]:
            # Made when the page is rendered: kept for every page of the plan, these lists would grow with
            # the square of the site (2,500 a page at 10,000 department-years).
            return [d for d in self.site.years.get(dy.year, []) if d.slug != dy.slug]

        def context() -> dict[str, Any]:
            return {
                "dy": dy,
                "department": department,
                "previous": previous,
                "following": following,
                # (href, name) of the same region's other departments that year, at most REGION_LINKS;
                # the page links to the year page for the rest.
                "region_links": [(self.url(d.path), d.department) for d in same_region[:REGION_LINKS]],
                "region_unlisted": max(len(same_region) - REGION_LINKS, 0),
                "siblings": siblings,
                "budget_actual": budget_actual,
                "sections": self.narrative.sections(dy),
                "tables": table_views(dy, self.code_hrefs),
                "charts": dept_year_charts(dy, self.t),
                "source_name": _source_name(dy),
            }

        # The whole same-region group, listed or not: one moving in or out changes which are listed.
        deps = {dept_year_key(d) for d in department.years} | {dept_year_key(d) for d in same_region}
        return PageSpec(dy.path, "dept_year.html", context, frozenset(deps))

    def projects(self, dy: DeptYear) -> Iterator[PageSpec]:
        path, deps = dy.path, frozenset({dept_year_key(dy)})  # 17,000 project pages on a 1,000 site
        for number in range(1, len(dy.project_headlines) + 1):
            yield PageSpec(
                Urls.project(path, number),
                "project.html",
                _project_context(dy, number),
                deps,
            )

    def years(self) -> Iterator[PageSpec]:
        yield PageSpec(Urls.years, "years.html", dict, self.every)

    def year_pages(self) -> Iterator[PageSpec]:
        for year, dys in self.site.years.items():
            yield self.year(year, dys)

    def year(self, year: int, dys: list[DeptYear]) -> PageSpec:
        def context() -> dict[str, Any]:
            chart = bar_chart(
                "chart-year-totals",
                f"{year}{self.t['year_suffix']}{self.t['total_expenditure']}",
                [(dy.department, dy.total) for dy in dys],
                self.t["unit_wan"],
            )
            rows = [(dy, totals_refs(dy, self.url)) for dy in dys]
            return {"year": year, "dept_years": dys, "rows": rows, "chart": chart}

        return PageSpec(Urls.year(year), "year.html", context, frozenset(dept_year_key(d) for d in dys))

    def code_pages(self) -> Iterator[PageSpec]:
        """The listing of each classification (功能, 经济), then a page per code."""
        for kind in ("function", "economic"):
            lines = self.site.code_lines(kind)
            yield PageSpec(Urls.codes(kind), "codes.html", _context(kind=kind, lines=lines), self.every)
            by_code = {line.code: line for line in lines}
            children: dict[str, list[CodeLine]] = defaultdict(list)  # 类 → its 款, 款 → its 项
            for line in lines:
                if len(line.code) > 3:
                    children[line.code[:-2]].append(line)
            for line in lines:
                # The nearest ancestor that has a page: a 项's 款, else its 类.
                parent = next(
                    (by_code[c] for c in (line.code[:5], line.code[:3]) if c in by_code and c != line.code),
                    None,
                )
                yield from self.code(line, parent, children.get(line.code, []))

    def code(self, line: CodeLine, parent: CodeLine | None, children: list[CodeLine]) -> Iterator[PageSpec]:
        """The pages of one code line (CODE_PAGE_ROWS rows each, in the stable order of line.entries),
        linked to the code one level up and those one level down."""
        # Every page shows the line's name, its parent's and its children's: each is the commonest row
        # name of its own entries, so an edit of any of them can change every page of this line.
        deps = frozenset().union(*(self._line_keys(near) for near in (line, parent, *children) if near))
        count = code_page_count(line)
        hrefs = [self.url(Urls.code(line.kind, line.code, number)) for number in range(1, count + 1)]
        for number in range(1, count + 1):
            first = (number - 1) * CODE_PAGE_ROWS
            entries = line.entries[first : first + CODE_PAGE_ROWS]
            pager = Pager(number, hrefs, first + 1, first + len(entries), len(line.entries))
            yield PageSpec(
                Urls.code(line.kind, line.code, number),
                "code.html",
                self._code_context(line, parent, children, entries, pager),
                deps,
            )

    def _line_keys(self, line: CodeLine) -> frozenset[str]:
        """The dependency keys of the department-years with a row of `line` (made once a line)."""
        if line.path not in self._code_keys:
            self._code_keys[line.path] = frozenset(self._keys[id(e.dept_year)] for e in line.entries)
        return self._code_keys[line.path]

    def _code_context(
        self,
        line: CodeLine,
        parent: CodeLine | None,
        children: list[CodeLine],
        entries: list[CodeEntry],
        pager: Pager,
    ) -> Callable[[], dict[str, Any]]:
        def context() -> dict[str, Any]:
            rows = code_rows(self.site, entries, self.url)
            return {"line": line, "parent": parent, "children": children, "rows": rows, "pager": pager}

        return context

    def three_public(self) -> Iterator[PageSpec]:
        site, url, t = self.site, self.url, self.t
        yield PageSpec(
            Urls.three_public, "three_public.html", lambda: three_public_context(site, url, t), self.every
        )

    def findings(self) -> Iterator[PageSpec]:
        """Every open finding of the checks, by department."""
        yield PageSpec(Urls.findings, "findings.html", lambda: findings_context(self.site), self.every)

    def project_index(self) -> Iterator[PageSpec]:
        """Every project by name across departments and years (site.projects)."""

        def context() -> dict[str, Any]:
            return {"lines": project_lines(self.site, self.url)}

        yield PageSpec(Urls.projects, "projects.html", context, self.every)

    def glossary(self) -> Iterator[PageSpec]:
        yield PageSpec(Urls.glossary, "glossary.html", dict, self.every)

    def search(self) -> Iterator[PageSpec]:
        yield PageSpec(Urls.search, "search.html", dict, self.every)

    def data(self) -> Iterator[PageSpec]:
        yield PageSpec(Urls.data, "data.html", dict, self.every)

    def hand_pages(self) -> Iterator[PageSpec]:
        """content/pages/<name>.md."""
        for page in self.site.pages:
            yield self.hand_page(page)

    def hand_page(self, page: HandPage) -> PageSpec:
        def context() -> dict[str, Any]:
            return {"page": page, "html": render_markdown(page.markdown, "h", page.title)}

        return PageSpec(page.path, "page.html", context, frozenset({f"pages/{page.name}"}))

    def not_found(self) -> Iterator[PageSpec]:
        yield PageSpec(Urls.not_found, "404.html", dict, self.every, indexed=False)


def _year_comparisons(department: Department, t: dict[str, str]) -> list[dict[str, Any]]:
    """Year-over-year tables of the department's budgets and of its 决算 (series with two years or more).

    Each: caption key, the disclosures (columns), one row per headline fact, one chart per fact.
    """
    comparisons = []
    for number, (series, caption) in enumerate(
        ((("budget", None), "yoy_budget"), (("final-accounts", None), "yoy_final_accounts"))
    ):
        years = department.series(series)
        if len(years) < 2:
            continue
        rows = year_over_year(years)
        charts = [
            bar_chart(
                f"chart-yoy-{number}-{index}",
                f"{row.name} · {t[caption]}",
                [
                    (f"{dy.year}{t['year_suffix']}", cell.value)
                    for dy, cell in zip(years, row.cells, strict=True)
                ],
                t["unit_wan"],
            )
            for index, row in enumerate(rows)
        ]
        comparisons.append(
            {"caption": t[caption], "id": f"yoy-{number}", "years": years, "rows": rows, "charts": charts}
        )
    return comparisons


def _budget_actual_spec(department: Department, pair: BudgetActual) -> PageSpec:
    return PageSpec(
        pair.path,
        "budget_vs_actual.html",
        lambda: {"department": department, "pair": pair},
        frozenset({dept_year_key(pair.budget), dept_year_key(pair.final)}),
    )


# The page kinds of the site in the order they are planned (and listed in sitemap.xml): the one table
# to read for "which pages exist" and the one place a new kind of page is added.
PAGE_KINDS: tuple[Callable[[PagePlanner], Iterable[PageSpec]], ...] = (
    PagePlanner.home,
    PagePlanner.departments,
    PagePlanner.department_pages,
    PagePlanner.years,
    PagePlanner.year_pages,
    PagePlanner.code_pages,
    PagePlanner.three_public,
    PagePlanner.findings,
    PagePlanner.project_index,
    PagePlanner.glossary,
    PagePlanner.search,
    PagePlanner.data,
    PagePlanner.hand_pages,
    PagePlanner.not_found,
)


def plan_pages(site: Site, url: Callable[[str], str], t: dict[str, str]) -> list[PageSpec]:
    """Every page of the site, in a stable order (PAGE_KINDS)."""
    planner = PagePlanner(site, url, t)
    return [spec for kind in PAGE_KINDS for spec in kind(planner)]


def findings_context(site: Site) -> dict[str, Any]:
    """Every open finding (warn or fail) of every department-year, by department, with its rule family."""
    groups = []
    for dy in sorted(site.dept_years, key=lambda d: (d.department, -d.year)):
        open_checks = [(family_of(c.id) or "other", c) for c in dy.open_checks]
        if open_checks:
            # Failures first: they must be corrected before publishing.
            groups.append((dy, sorted(open_checks, key=lambda item: item[1].status != "fail")))
    statuses = [c.status for _, checks in groups for _, c in checks]
    return {"groups": groups, "fail_count": statuses.count("fail"), "warn_count": statuses.count("warn")}


# Rows on one page of a code line. A code listed by every department-year has 1,000 rows on a 1,000
# department-year site: one page took 1.9 s to render, and every figure edit re-rendered it. Split, an
# edit re-renders the page(s) holding its rows; a row moves to another page only when rows come or go.
CODE_PAGE_ROWS = 200


def code_page_count(line: CodeLine) -> int:
    """How many pages the rows of `line` take (one at least, even without rows)."""
    return max(1, -(-len(line.entries) // CODE_PAGE_ROWS))


def code_page_number(position: int) -> int:
    """The page (from 1) that shows the row at `position` (from 0) of a code line."""
    return position // CODE_PAGE_ROWS + 1


class Pager(NamedTuple):
    """Where a page stands among the pages of one listing: its number, every page's link, its rows."""

    number: int  # from 1
    hrefs: list[str]  # the link of every page, in order: hrefs[number - 1] is this one
    first_row: int  # from 1
    last_row: int
    total_rows: int

    @property
    def previous(self) -> str | None:
        return self.hrefs[self.number - 2] if self.number > 1 else None

    @property
    def following(self) -> str | None:
        return self.hrefs[self.number] if self.number < len(self.hrefs) else None


class CodeRow(NamedTuple):
    """One department-year row on a code page, its links made in Python (a code page lists thousands)."""

    department: str
    department_href: str
    year: int
    page_href: str  # the department-year page; the row is at page_href + "#" + anchor
    anchor: str
    table_title: str
    name: str
    amount: Decimal | None
    kind: str  # budget | final-accounts: shown as 预算 / 决算
    fact: Fact | None


def code_rows(site: Site, entries: list[CodeEntry], url: Callable[[str], str]) -> list[CodeRow]:
    """Entries of a code line as rows of its page."""
    return [
        CodeRow(
            e.dept_year.department,
            url(site.departments[e.dept_year.slug].path),
            e.dept_year.year,
            url(e.dept_year.path),
            e.anchor,
            e.table_title,
            e.name,
            e.amount,
            e.dept_year.kind,
            e.fact,
        )
        for e in entries
    ]
