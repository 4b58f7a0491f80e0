"""Data downloads: data/index.json, per department-year data.json + CSVs + original file, one SQLite file."""

from __future__ import annotations

import csv
import io
import json
import shutil
import sqlite3
from collections.abc import Callable, Iterator
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
    shutil.copyfile(dy.folder / "data.json", folder / "data.json")
    count = 1
    for name, table in zip(dy.table_files, dy.disclosure.tables, strict=True):
        # Names from table_file_names (ids checked on load); inside() still refuses anything that escapes.
        target = inside(folder, name)
        target.parent.mkdir(exist_ok=True)
        target.write_bytes(render_table_csv(table))
        count += 1
    source = dy.source_file
    if source is not None:
        # Only the file name: a data.json naming ../../x must not write outside the page folder.
        shutil.copyfile(source, folder / Path(source.name).name)
        count += 1
    return count


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


def _fact_rows(site: Site) -> Iterator[tuple[object, ...]]:
    for dy in site.dept_years:
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


def write_sqlite(site: Site, path: Path, url: Callable[[str], str]) -> None:
    """All tables of all disclosures in one SQLite file (shape: SQLITE_SCHEMA)."""
    path.unlink(missing_ok=True)
    connection = sqlite3.connect(path)
    try:
        connection.execute("PRAGMA journal_mode = OFF")
        connection.execute("PRAGMA synchronous = OFF")
        connection.executescript(SQLITE_SCHEMA.split("CREATE INDEX")[0])
        connection.executemany(
            "INSERT INTO disclosures VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [
                (
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
                for dy in site.dept_years
            ],
        )
        for dy in site.dept_years:
            # Its tables are read from the folder once for both (site.load.StoredDisclosure).
            connection.executemany(
                "INSERT INTO tables VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", _table_rows(dy)
            )
            connection.executemany(
                "INSERT INTO cells VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", _cell_rows(dy)
            )
        connection.executemany(
            "INSERT INTO facts VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", _fact_rows(site)
        )
        for statement in SQLITE_SCHEMA.split(";"):
            if statement.strip().startswith("CREATE INDEX"):
                connection.execute(statement)
        connection.commit()
    finally:
        connection.close()


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


def write_downloads(site: Site, out_dir: Path, url: Callable[[str], str]) -> int:
    """Write every download file; returns how many files were written."""
    (out_dir / Urls.data).mkdir(parents=True, exist_ok=True)
    entries = index_entries(site, url)
    (out_dir / (Urls.data + INDEX_NAME)).write_text(
        json.dumps(entries, ensure_ascii=False, indent=1) + "\n", encoding="utf-8"
    )
    (out_dir / (Urls.data + INDEX_CSV_NAME)).write_bytes(index_csv(entries))
    write_sqlite(site, out_dir / (Urls.data + SQLITE_NAME), url)
    sangong = out_dir / SANGONG_CSV
    sangong.parent.mkdir(parents=True, exist_ok=True)
    sangong.write_bytes(three_public_csv(site))
    return 4 + sum(write_dept_year_files(dy, out_dir) for dy in site.dept_years)
