"""Data downloads: data/index.json, per department-year data.json + CSVs + original file, one SQLite file."""

from __future__ import annotations

import csv
import io
import json
import shutil
import sqlite3
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path

from budgetsite.content.slugs import inside
from budgetsite.content.tree import render_table_csv
from budgetsite.site.load import SANGONG_FACTS, DeptYear, Site
from budgetsite.site.render import format_cell
from budgetsite.site.urls import Urls

INDEX_NAME = "index.json"
INDEX_CSV_NAME = "index.csv"
SQLITE_NAME = "budgetsite.sqlite"
# Every 三公 fact of the site, beside its page.
SANGONG_CSV = Urls.three_public + "three-public-expenses.csv"

# Documented on /data/ and in the README: one row per non-empty table cell, values as printed text.
SQLITE_SCHEMA = f"""\
CREATE TABLE disclosures (
  slug TEXT NOT NULL,          -- department slug, as in /{Urls.department("<slug>")}
  year INTEGER NOT NULL,
  department TEXT NOT NULL,    -- printed name, e.g. 邢台市工业和信息化局
  region TEXT NOT NULL,        -- administrative path joined with '/', e.g. 河北省/邢台市
  kind TEXT NOT NULL,          -- budget | final-accounts | budget-performance
  title TEXT NOT NULL,
  url TEXT NOT NULL,           -- page of the disclosure on this site
  level TEXT NOT NULL,         -- department | unit
  unit_slug TEXT NOT NULL,     -- the unit's slug when level = unit, else ''
  level_unit TEXT NOT NULL,    -- the unit's printed name when level = unit, else ''
  PRIMARY KEY (slug, year, kind, unit_slug)
);
CREATE TABLE tables (
  slug TEXT NOT NULL, year INTEGER NOT NULL,
  table_index INTEGER NOT NULL, -- position in the disclosure
  table_id TEXT NOT NULL,       -- canonical id, e.g. expenditure-summary
  title TEXT NOT NULL, unit TEXT, unit_name TEXT, note TEXT,
  kind TEXT NOT NULL, unit_slug TEXT NOT NULL, -- with slug and year: which disclosure
  PRIMARY KEY (slug, year, kind, unit_slug, table_index)
);
CREATE TABLE cells (
  slug TEXT NOT NULL, year INTEGER NOT NULL,
  table_index INTEGER NOT NULL, table_id TEXT NOT NULL,
  row_index INTEGER NOT NULL,   -- 0-based body row (header rows are columns)
  code TEXT,                    -- function/economic classification code of the row, if any
  name TEXT,                    -- row label (科目名称 / 项目 …)
  column_key TEXT NOT NULL,     -- stable key, e.g. total, basic, project
  column_label TEXT NOT NULL,   -- printed header, levels joined with ' / '
  value TEXT NOT NULL,          -- exactly as printed: CAST(value AS NUMERIC) to compute
  kind TEXT NOT NULL, unit_slug TEXT NOT NULL
);
CREATE TABLE facts (
  slug TEXT NOT NULL, year INTEGER NOT NULL,
  department TEXT NOT NULL,
  kind TEXT NOT NULL,           -- budget (预算) | final-accounts (决算) | budget-performance
  level TEXT NOT NULL,          -- department (部门) | unit (单位)
  name TEXT NOT NULL,           -- fact name (README, Facts): 三公经费合计, 公务接待费, function:2150805 …
  value_wan TEXT NOT NULL,      -- exact value in 万元, a decimal string: CAST(value_wan AS NUMERIC)
  printed TEXT NOT NULL,        -- the digits as printed
  unit TEXT NOT NULL,           -- the printed unit: 元 or 万元
  "table" TEXT, "row" TEXT, "column" TEXT, page INTEGER,  -- where it was read (a table cell) …
  section TEXT, text TEXT,      -- … or the narrative sentence
  unit_slug TEXT NOT NULL       -- the unit's slug when level = unit, else ''
);
CREATE INDEX cells_code ON cells (code);
CREATE INDEX cells_table ON cells (slug, year, table_id);
CREATE INDEX facts_name ON facts (name);
-- e.g. SELECT department, year, kind, value_wan FROM facts WHERE name = '公务接待费';
-- e.g. SELECT slug, year, value FROM cells
--      WHERE code = '2150805' AND table_id = 'expenditure-summary' AND column_key = 'total';
-- (slug, year, kind, unit_slug) names one disclosure: a 预算 and its 决算, or a department's and a
-- unit's budget, share slug and year. Join on all four.
"""
INDEX_CSV_COLUMNS = (
    "department",
    "slug",
    "year",
    "kind",
    "level",
    "unit",
    "region",
    "title",
    "url",
    "data_url",
)


def write_dept_year_files(dy: DeptYear, out_dir: Path) -> int:
    """data.json (byte for byte), tables/*.csv and the original file beside the disclosure page.

    The CSVs are written again from data.json (a person may have corrected a figure there), under the
    names and by the writer of the content tree.
    """
    folder = inside(out_dir, dy.path)
    folder.mkdir(parents=True, exist_ok=True)
    # Every file is replaced, never written into: an incremental build's staging folder hard-links the
    # unchanged files of the previous site, and writing into one would change that site too.
    _copy(dy.folder / "data.json", folder / "data.json")
    count = 1
    for name, table in zip(dy.table_files, dy.disclosure.tables, strict=True):
        # Names from table_file_names (ids checked on load); inside() still refuses anything that escapes.
        target = inside(folder, name)
        target.parent.mkdir(exist_ok=True)
        target.unlink(missing_ok=True)
        target.write_bytes(render_table_csv(table))
        count += 1
    source = dy.source_file
    if source is not None:
        # Only the file name: a data.json naming ../../x must not write outside the page folder.
        _copy(source, folder / Path(source.name).name)
        count += 1
    return count


def _copy(source: Path, target: Path) -> None:
    target.unlink(missing_ok=True)
    shutil.copyfile(source, target)


def _unit_slug(dy: DeptYear) -> str:
    level = dy.disclosure.level
    return (level.slug or "") if level.is_unit else ""


def index_entries(site: Site, url: Callable[[str], str]) -> list[dict[str, object]]:
    """data/index.json: one object per disclosure (kind and level say which of a department-year's)."""
    return [
        {
            "department": dy.department,
            "slug": dy.slug,
            "year": dy.year,
            "region": dy.region,
            "kind": dy.disclosure.kind,
            "level": dy.disclosure.level.kind,
            "unit": dy.disclosure.level.unit if dy.disclosure.level.is_unit else None,
            "unit_slug": _unit_slug(dy) or None,
            "title": dy.disclosure.title,
            "url": url(dy.path),
            "data_url": url(dy.file_path("data.json")),
            "tables": [url(dy.file_path(name)) for name in dy.table_files],
        }
        for dy in site.dept_years
    ]


def index_csv(entries: list[dict[str, object]]) -> bytes:
    """data/index.csv: the index.json entries as a spreadsheet (UTF-8 with BOM), one row per disclosure."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(INDEX_CSV_COLUMNS)
    for entry in entries:
        row = {**entry, "region": "/".join(entry["region"]), "unit": entry["unit"] or ""}  # type: ignore[arg-type]
        writer.writerow([row[column] for column in INDEX_CSV_COLUMNS])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def _disclosure_row(dy: DeptYear, url: Callable[[str], str]) -> tuple[object, ...]:
    return (
        dy.slug,
        dy.year,
        dy.department,
        "/".join(dy.region),
        dy.disclosure.kind,
        dy.disclosure.title,
        url(dy.path),
        dy.disclosure.level.kind,
        _unit_slug(dy),
        (dy.disclosure.level.unit or "") if dy.disclosure.level.is_unit else "",
    )


def _table_rows(dy: DeptYear) -> Iterator[tuple[object, ...]]:
    for i, t in enumerate(dy.disclosure.tables):
        yield (dy.slug, dy.year, i, t.id, t.title, t.unit, t.unit_name, t.note, dy.kind, _unit_slug(dy))


def _cell_rows(dy: DeptYear) -> Iterator[tuple[object, ...]]:
    which = (dy.disclosure.kind, _unit_slug(dy))
    for t_index, (table, layout) in enumerate(zip(dy.disclosure.tables, dy.layouts, strict=True)):
        coded = layout.code_kind is not None  # a function or economic code, as on the code pages
        columns = [(column.key, column.label) for column in table.columns]
        for r_index, row in enumerate(table.rows):
            code = (layout.code_of(row) or None) if coded else None
            name = layout.name_of(row)
            for (key, label), value in zip(columns, row, strict=False):
                if value is None or value == "":
                    continue
                yield (
                    dy.slug,
                    dy.year,
                    t_index,
                    table.id,
                    r_index,
                    code,
                    name,
                    key,
                    label,
                    format_cell(value),
                    *which,
                )


def _fact_rows(dy: DeptYear) -> Iterator[tuple[object, ...]]:
    for fact in dy.disclosure.facts:
        source = fact.source
        yield (
            dy.slug,
            dy.year,
            dy.department,
            dy.disclosure.kind,
            dy.disclosure.level.kind,
            fact.name,
            format(fact.value_wan, "f"),
            fact.printed,
            fact.unit,
            source.table,
            source.row,
            source.column,
            source.page,
            source.section,
            source.text,
            _unit_slug(dy),
        )


# The download's tables with the rows each department-year gives them, in the order of SQLITE_SCHEMA.
_ROWS_OF: dict[str, Callable[[DeptYear, Callable[[str], str]], Iterable[tuple[object, ...]]]] = {
    "disclosures": lambda dy, url: [_disclosure_row(dy, url)],
    "tables": lambda dy, url: _table_rows(dy),
    "cells": lambda dy, url: _cell_rows(dy),
    "facts": lambda dy, url: _fact_rows(dy),
}
_CREATE_TABLES, _, _ = SQLITE_SCHEMA.partition("CREATE INDEX")
_CREATE_INDEXES = [s.strip() for s in SQLITE_SCHEMA.split(";") if s.strip().startswith("CREATE INDEX")]


def _columns(table: str) -> list[str]:
    with sqlite3.connect(":memory:") as probe:
        probe.executescript(_CREATE_TABLES)
        return [row[1] for row in probe.execute(f"PRAGMA table_info({table})")]


def dept_year_order(dy: DeptYear) -> str:
    """A text that sorts department-years as the Site lists them: by slug, then DeptYear.order."""
    year, unit, unit_slug, kind = dy.order
    return "\x1f".join((dy.slug, f"{year:06d}", str(int(unit)), unit_slug, f"{kind:02d}"))


class DownloadRows:
    """The SQLite download's rows, kept per department-year (in the build cache, or in memory).

    A rebuild replaces only the rows of department-years whose content changed (`update`); `export`
    then writes a new download file from them in one fixed order — the order of the Site, each
    department-year's rows as it yields them — by one fixed sequence of statements into a fresh file.
    The file's bytes (pages, header counters, schema cookie) then depend on its rows alone, never on
    which builds came before: an incremental build's download is byte-identical to a clean build's.
    """

    def __init__(self, path: Path | str):
        self.connection = sqlite3.connect(path)
        self.connection.execute("PRAGMA synchronous = OFF")
        for table in _ROWS_OF:
            columns = ", ".join(f'"{c}"' for c in _columns(table))
            # Keyed by (order, position): stored, and so exported without a sort, in the download's order.
            self.connection.execute(
                f"CREATE TABLE IF NOT EXISTS {table} (dy_order TEXT NOT NULL, position INTEGER NOT NULL, "
                f"{columns}, PRIMARY KEY (dy_order, position)) WITHOUT ROWID"
            )
        self.connection.execute(
            "CREATE TABLE IF NOT EXISTS sources (dy_order TEXT PRIMARY KEY, fingerprint TEXT NOT NULL)"
        )
        self.connection.commit()

    def close(self) -> None:
        self.connection.close()

    def update(
        self,
        dept_years: list[tuple[str, DeptYear]],
        url: Callable[[str], str],
        also: Callable[[DeptYear], None] | None = None,
    ) -> int:
        """Make the rows those of `dept_years` ((fingerprint, DeptYear)); returns how many were replaced.

        The fingerprint names a department-year's content (and the base URL its rows link to): rows
        stored under another fingerprint, or of a department-year no longer there, are deleted. `also` is
        called with each department-year whose rows were made, while its tables are still in memory.
        """
        wanted = {dept_year_order(dy): fingerprint for fingerprint, dy in dept_years}
        stored = dict(self.connection.execute("SELECT dy_order, fingerprint FROM sources"))
        stale = [order for order, fingerprint in stored.items() if wanted.get(order) != fingerprint]
        new = [(fp, dy) for fp, dy in dept_years if stored.get(dept_year_order(dy)) != fp]
        with self.connection:
            for order in stale:
                for table in (*_ROWS_OF, "sources"):
                    self.connection.execute(f"DELETE FROM {table} WHERE dy_order = ?", (order,))
            for fingerprint, dy in new:
                order = dept_year_order(dy)
                for table, rows_of in _ROWS_OF.items():
                    rows = [(order, i, *row) for i, row in enumerate(rows_of(dy, url))]
                    if rows:
                        marks = ", ".join("?" * len(rows[0]))
                        self.connection.executemany(f"INSERT INTO {table} VALUES ({marks})", rows)
                self.connection.execute("INSERT INTO sources VALUES (?, ?)", (order, fingerprint))
                if also is not None:
                    also(dy)
        return len(new)

    def export(self, target: Path) -> None:
        """Write the download file `target` (replaced, never updated in place: it may be hard-linked)."""
        target.unlink(missing_ok=True)
        connection = self.connection
        connection.execute("ATTACH DATABASE ? AS download", (str(target),))
        try:
            connection.execute("PRAGMA download.journal_mode = OFF")
            with connection:
                for statement in _CREATE_TABLES.split(";"):
                    if statement.strip():
                        connection.execute(statement.replace("CREATE TABLE ", "CREATE TABLE download.", 1))
                for table in _ROWS_OF:
                    columns = ", ".join(f'"{c}"' for c in _columns(table))
                    connection.execute(
                        f"INSERT INTO download.{table} SELECT {columns} FROM main.{table} "
                        "ORDER BY dy_order, position"
                    )
                for statement in _CREATE_INDEXES:
                    connection.execute(statement.replace("CREATE INDEX ", "CREATE INDEX download.", 1))
        finally:
            connection.execute("DETACH DATABASE download")


def write_sqlite(site: Site, path: Path, url: Callable[[str], str], rows: DownloadRows | None = None) -> None:
    """All tables of all disclosures in one SQLite file (shape: SQLITE_SCHEMA).

    `rows`: the build cache's rows, already brought up to date (DownloadRows.update); None: made in memory.
    """
    if rows is not None:
        rows.export(path)
        return
    rows = DownloadRows(":memory:")
    try:
        rows.update([("", dy) for dy in site.dept_years], url)
        rows.export(path)
    finally:
        rows.close()


SANGONG_CSV_COLUMNS = (
    "department",
    "slug",
    "year",
    "kind",
    "level",
    "unit_slug",
    "fact",
    "value_wan",
    "printed",
    "unit",
    "table",
    "row",
    "column",
    "page",
    "section",
    "text",
)


def three_public_csv(site: Site) -> bytes:
    """Every 三公 fact (合计, parts, 会议费, 培训费) of every disclosure, one per line, exact values."""
    names = (*SANGONG_FACTS.values(), "会议费", "培训费")
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(SANGONG_CSV_COLUMNS)
    for dy in site.dept_years:
        for name in names:
            fact = dy.fact(name)
            if fact is None:
                continue
            s = fact.source
            writer.writerow(
                [
                    dy.department,
                    dy.slug,
                    dy.year,
                    dy.kind,
                    dy.disclosure.level.kind,
                    _unit_slug(dy),
                    name,
                    format(fact.value_wan, "f"),
                    fact.printed,
                    fact.unit,
                    s.table,
                    s.row,
                    s.column,
                    s.page,
                    s.section,
                    s.text,
                ]
            )
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def write_downloads(
    site: Site,
    out_dir: Path,
    url: Callable[[str], str],
    rows: DownloadRows | None = None,
    dept_years: Iterable[DeptYear] | None = None,
) -> int:
    """Write the download files; returns how many were written.

    `rows`: the SQLite download's rows, up to date (DownloadRows.update), None: made here. `dept_years`:
    the department-years whose own files (data.json, CSVs, original) to write, None: every one.
    """
    (out_dir / Urls.data).mkdir(parents=True, exist_ok=True)
    entries = index_entries(site, url)
    (out_dir / (Urls.data + INDEX_NAME)).write_text(
        json.dumps(entries, ensure_ascii=False, indent=1) + "\n", encoding="utf-8"
    )
    (out_dir / (Urls.data + INDEX_CSV_NAME)).write_bytes(index_csv(entries))
    write_sqlite(site, out_dir / (Urls.data + SQLITE_NAME), url, rows)
    sangong = out_dir / SANGONG_CSV
    sangong.parent.mkdir(parents=True, exist_ok=True)
    sangong.write_bytes(three_public_csv(site))
    own_files = site.dept_years if dept_years is None else dept_years
    return 4 + sum(write_dept_year_files(dy, out_dir) for dy in own_files)
