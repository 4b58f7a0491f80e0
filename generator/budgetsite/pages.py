"""Plan every page of the site (DESIGN §6) with its template, context and the content it depends on."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

from budgetsite.charts import Chart, bar_chart
from budgetsite.model import Table
from budgetsite.recognize.catalog import find_table
from budgetsite.render import format_cell, link_terms, render_markdown
from budgetsite.site import (
    CodeLine,
    Department,
    DeptYear,
    Site,
    code_column,
    column_index,
)
from budgetsite.units import to_wan_yuan

LONG_TABLE_ROWS = 20
ALL = "*"


@dataclass
class PageSpec:
    """One output page: where it goes, how to render it, and which content keys it reads."""

    path: str  # relative to the base URL: "" (home), "departments/x/2024/", "404.html"
    template: str
    make_context: Callable[[], dict[str, Any]]
    deps: frozenset[str] = field(default_factory=frozenset)
    indexed: bool = True  # in sitemap.xml (search indexing is decided by data-pagefind-body in the template)

    @property
    def file(self) -> str:
        """Output file path relative to the output folder."""
        return self.path if self.path.endswith((".html", ".xml", ".txt")) else self.path + "index.html"


def dept_year_key(dy: DeptYear) -> str:
    """Dependency key of a department-year: '<slug>/<year>' (its content folder)."""
    return f"{dy.slug}/{dy.year}"


# --- table views: computed here so templates stay simple and fast ----------------------------------------


@dataclass
class CellView:
    text: str
    numeric: bool = False
    href: str | None = None
    header: bool = False


@dataclass
class RowView:
    anchor: str | None
    cells: list[CellView]
    total: bool = False


@dataclass
class TableView:
    table: Table
    id: str
    columns: list[tuple[str, bool]]  # (label, numeric)
    rows: list[RowView]
    long: bool
    csv_path: str


def _row_header_index(table: Table, code_index: int | None) -> int:
    """The column that names a row: 'name', else the first text column that is not 序号 or the code."""
    index = column_index(table, "name")
    if index is not None:
        return index
    for i, column in enumerate(table.columns):
        if column.key in ("seq", "number") or i == code_index:
            continue
        if any(isinstance(row[i], str) and row[i].strip() for row in table.rows if i < len(row)):
            return i
    return 0


def table_view(dy: DeptYear, t_index: int, table: Table, url: Callable[[str], str], site: Site) -> TableView:
    """Rows of `table` as cells: codes linked to their code page, the name cell as row header."""
    found = code_column(table)
    header_index = _row_header_index(table, found[0] if found is not None else None)
    numeric_columns = [
        any(isinstance(row[i], Decimal) for row in table.rows if i < len(row))
        for i in range(len(table.columns))
    ]
    rows = []
    for r_index, row in enumerate(table.rows):
        cells = []
        for c_index in range(len(table.columns)):
            value = row[c_index] if c_index < len(row) else None
            cell = CellView(
                text=format_cell(value), numeric=isinstance(value, Decimal), header=c_index == header_index
            )
            if found is not None and c_index == found[0] and isinstance(value, str) and value.strip():
                line = site.code_line(found[1], value.strip())
                if line is not None:
                    cell.href = url(line.path)
            cells.append(cell)
        label = cells[header_index].text.replace(" ", "") if header_index < len(cells) else ""
        rows.append(
            RowView(
                anchor=dy.row_anchors.get((t_index, r_index)),
                cells=cells,
                total=any(w in label for w in ("合计", "总计", "小计")),
            )
        )
    # A table id repeats only for unrecognized 'other-N' mistakes; the index keeps page ids unique.
    return TableView(
        table=table,
        id=f"table-{table.id}"
        if sum(t.id == table.id for t in dy.disclosure.tables) == 1
        else f"table-{t_index}",
        columns=[(c.label, numeric_columns[i]) for i, c in enumerate(table.columns)],
        rows=rows,
        long=len(rows) > LONG_TABLE_ROWS,
        csv_path=f"{dy.path}tables/{table.id}.csv",
    )


# --- charts ---------------------------------------------------------------------------------------------


def dept_year_charts(dy: DeptYear, t: dict[str, str]) -> list[Chart]:
    """Expenditure by function class (类), 基本 vs 项目, 三公 parts."""
    charts: list[Chart] = []
    table = find_table(dy.disclosure, "expenditure-summary") or find_table(
        dy.disclosure, "general-public-budget-expenditure"
    )
    if table is not None:
        found = code_column(table)
        amount = column_index(table, "total")
        if found is not None and amount is not None:
            items = []
            name_index = column_index(table, "name")
            for row in table.rows:
                code = row[found[0]]
                if isinstance(code, str) and len(code.strip()) == 3 and isinstance(row[amount], Decimal):
                    label = row[name_index] if name_index is not None else code
                    items.append((f"{code} {label}", to_wan_yuan(row[amount], table.unit)))
            chart = bar_chart("chart-function", t["chart_by_function"], items, t["unit_wan"])
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
                (t["sangong_abroad"], tp.abroad),
                (t["sangong_vehicles"], tp.vehicles),
                (t["sangong_reception"], tp.reception),
            ],
            t["unit_wan"],
        )
        if chart:
            charts.append(chart)
    return charts


# --- the plan -------------------------------------------------------------------------------------------


def _sections(dy: DeptYear, terms: dict[str, str]) -> list[dict[str, Any]]:
    sections = []
    for index, section in enumerate(dy.disclosure.sections, start=1):
        anchor = f"section-{section.id}" if section.id else f"section-{index}"
        if any(s["anchor"] == anchor for s in sections):
            anchor = f"section-{index}"
        title = f"{section.number}、{section.title}" if section.number else section.title
        html = render_markdown(section.markdown, anchor, title)
        sections.append({"anchor": anchor, "title": title, "html": link_terms(html, terms)})
    return sections


def _source_name(dy: DeptYear) -> str | None:
    source = dy.source_file
    return Path(source.name).name if source is not None else None


def plan_pages(site: Site, url: Callable[[str], str], t: dict[str, str]) -> list[PageSpec]:
    """Every page of the site, in a stable order."""
    specs: list[PageSpec] = []
    every = frozenset({ALL})
    terms = {term.term: url("glossary/") + "#" + term.anchor for term in site.glossary}

    specs.append(
        PageSpec(
            "",
            "home.html",
            lambda: {"latest": sorted(site.dept_years, key=lambda d: (-d.year, d.slug))[:12]},
            every,
        )
    )
    specs.append(PageSpec("departments/", "departments.html", dict, every))
    for department in site.departments.values():
        specs.append(_department_spec(department, t))
        for position, dy in enumerate(department.years):
            specs.append(_dept_year_spec(site, department, position, dy, terms, t, url))
            for number, project in enumerate(dy.disclosure.projects, start=1):
                specs.append(
                    PageSpec(
                        f"{dy.path}projects/{number}/",
                        "project.html",
                        lambda dy=dy, number=number, project=project: {
                            "dy": dy,
                            "number": number,
                            "project": project,
                        },
                        frozenset({dept_year_key(dy)}),
                    )
                )
    specs.append(PageSpec("years/", "years.html", dict, every))
    for year, dys in site.years.items():
        specs.append(
            PageSpec(
                f"years/{year}/",
                "year.html",
                lambda year=year, dys=dys: {
                    "year": year,
                    "dept_years": dys,
                    "chart": bar_chart(
                        "chart-year-totals",
                        f"{year}{t['year_suffix']}{t['total_expenditure']}",
                        [(dy.department, dy.total) for dy in dys],
                        t["unit_wan"],
                    ),
                },
                frozenset(dept_year_key(d) for d in dys),
            )
        )
    for kind, listing in (("function", "functions/"), ("economic", "economic/")):
        lines = site.code_lines(kind)
        specs.append(
            PageSpec(
                listing, "codes.html", lambda kind=kind, lines=lines: {"kind": kind, "lines": lines}, every
            )
        )
        for line in lines:
            specs.append(_code_spec(site, line))
    specs.append(
        PageSpec(
            "three-public-expenses/",
            "three_public.html",
            lambda: {
                "rows": [dy for dy in site.dept_years if dy.three_public is not None],
                "missing": [dy for dy in site.dept_years if dy.three_public is None],
            },
            every,
        )
    )
    specs.append(PageSpec("glossary/", "glossary.html", dict, every))
    specs.append(PageSpec("search/", "search.html", dict, every))
    specs.append(PageSpec("data/", "data.html", dict, every))
    for page in site.pages:
        specs.append(
            PageSpec(
                page.path,
                "page.html",
                lambda page=page: {"page": page, "html": render_markdown(page.markdown, "h", page.title)},
                frozenset({f"pages/{page.name}"}),
            )
        )
    specs.append(PageSpec("404.html", "404.html", dict, every, indexed=False))
    return specs


def _department_spec(department: Department, t: dict[str, str]) -> PageSpec:
    def context() -> dict[str, Any]:
        chart = bar_chart(
            "chart-trend",
            f"{department.name} {t['totals_trend']}",
            [(f"{dy.year}{t['year_suffix']}", dy.total) for dy in department.years],
            t["unit_wan"],
        )
        return {"department": department, "chart": chart}

    return PageSpec(
        department.path, "department.html", context, frozenset(dept_year_key(d) for d in department.years)
    )


def _dept_year_spec(
    site: Site,
    department: Department,
    position: int,
    dy: DeptYear,
    terms: dict[str, str],
    t: dict[str, str],
    url: Callable[[str], str],
) -> PageSpec:
    previous = department.years[position - 1] if position > 0 else None
    following = department.years[position + 1] if position + 1 < len(department.years) else None
    others = [d for d in site.years[dy.year] if d.slug != dy.slug]

    def context() -> dict[str, Any]:
        return {
            "dy": dy,
            "department": department,
            "previous": previous,
            "following": following,
            "others": others,
            "sections": _sections(dy, terms),
            "tables": [table_view(dy, i, table, url, site) for i, table in enumerate(dy.disclosure.tables)],
            "charts": dept_year_charts(dy, t),
            "source_name": _source_name(dy),
        }

    deps = {dept_year_key(d) for d in department.years} | {dept_year_key(d) for d in others}
    return PageSpec(dy.path, "dept_year.html", context, frozenset(deps))


def _code_spec(site: Site, line: CodeLine) -> PageSpec:
    def context() -> dict[str, Any]:
        parent = None
        for length in (5, 3):
            if len(line.code) > length:
                parent = site.code_line(line.kind, line.code[:length])
                if parent is not None:
                    break
        children = [
            c
            for c in site.code_lines(line.kind)
            if c.code != line.code and c.code.startswith(line.code) and len(c.code) == len(line.code) + 2
        ]
        return {"line": line, "parent": parent, "children": children}

    return PageSpec(
        line.path, "code.html", context, frozenset(dept_year_key(e.dept_year) for e in line.entries)
    )
