"""Data downloads: data/index.json, per department-year data.json + CSVs + original file, one SQLite file."""

from __future__ import annotations

import json
import shutil
import sqlite3
from collections.abc import Callable, Iterator
from pathlib import Path

from budgetsite.content.tree import render_table_csv
from budgetsite.site.load import DeptYear, Site
from budgetsite.site.render import format_cell
from budgetsite.site.urls import Urls

INDEX_NAME = "index.json"
SQLITE_NAME = "budgetsite.sqlite"

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
  PRIMARY KEY (slug, year)
);
CREATE TABLE tables (
  slug TEXT NOT NULL, year INTEGER NOT NULL,
  table_index INTEGER NOT NULL, -- position in the disclosure
  table_id TEXT NOT NULL,       -- canonical id, e.g. expenditure-summary
  title TEXT NOT NULL, unit TEXT, unit_name TEXT, note TEXT,
  PRIMARY KEY (slug, year, table_index)
);
CREATE TABLE cells (
  slug TEXT NOT NULL, year INTEGER NOT NULL,
  table_index INTEGER NOT NULL, table_id TEXT NOT NULL,
  row_index INTEGER NOT NULL,   -- 0-based body row (header rows are columns)
  code TEXT,                    -- function/economic classification code of the row, if any
  name TEXT,                    -- row label (科目名称 / 项目 …)
  column_key TEXT NOT NULL,     -- stable key, e.g. total, basic, project
  column_label TEXT NOT NULL,   -- printed header, levels joined with ' / '
  value TEXT NOT NULL           -- exactly as printed: CAST(value AS NUMERIC) to compute
);
CREATE INDEX cells_code ON cells (code);
CREATE INDEX cells_table ON cells (slug, year, table_id);
-- e.g. SELECT slug, year, value FROM cells
--      WHERE code = '2150805' AND table_id = 'expenditure-summary' AND column_key = 'total';
"""


def write_dept_year_files(dy: DeptYear, out_dir: Path) -> int:
    """data.json (byte for byte), tables/*.csv and the original file beside the disclosure page.

    The CSVs are written again from data.json (a person may have corrected a figure there), under the
    names and by the writer of the content tree.
    """
    folder = out_dir / dy.path
    folder.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(dy.folder / "data.json", folder / "data.json")
    count = 1
    for name, table in zip(dy.table_files, dy.disclosure.tables, strict=True):
        (folder / name).parent.mkdir(exist_ok=True)
        (folder / name).write_bytes(render_table_csv(table))
        count += 1
    source = dy.source_file
    if source is not None:
        # Only the file name: a data.json naming ../../x must not write outside the page folder.
        shutil.copyfile(source, folder / Path(source.name).name)
        count += 1
    return count


def index_entries(site: Site, url: Callable[[str], str]) -> list[dict[str, object]]:
    """data/index.json: one object per department-year."""
    return [
        {
            "department": dy.department,
            "slug": dy.slug,
            "year": dy.year,
            "region": dy.region,
            "kind": dy.disclosure.kind,
            "title": dy.disclosure.title,
            "url": url(dy.path),
            "data_url": url(dy.file_path("data.json")),
            "tables": [url(dy.file_path(name)) for name in dy.table_files],
        }
        for dy in site.dept_years
    ]


def _cell_rows(site: Site) -> Iterator[tuple[object, ...]]:
    for dy in site.dept_years:
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
            "INSERT INTO disclosures VALUES (?, ?, ?, ?, ?, ?, ?)",
            [
                (
                    dy.slug,
                    dy.year,
                    dy.department,
                    "/".join(dy.region),
                    dy.disclosure.kind,
                    dy.disclosure.title,
                    url(dy.path),
                )
                for dy in site.dept_years
            ],
        )
        connection.executemany(
            "INSERT INTO tables VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            [
                (dy.slug, dy.year, i, t.id, t.title, t.unit, t.unit_name, t.note)
                for dy in site.dept_years
                for i, t in enumerate(dy.disclosure.tables)
            ],
        )
        connection.executemany("INSERT INTO cells VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", _cell_rows(site))
        connection.execute("CREATE INDEX cells_code ON cells (code)")
        connection.execute("CREATE INDEX cells_table ON cells (slug, year, table_id)")
        connection.commit()
    finally:
        connection.close()


def write_downloads(site: Site, out_dir: Path, url: Callable[[str], str]) -> int:
    """Write every download file; returns how many files were written."""
    (out_dir / Urls.data).mkdir(parents=True, exist_ok=True)
    (out_dir / (Urls.data + INDEX_NAME)).write_text(
        json.dumps(index_entries(site, url), ensure_ascii=False, indent=1) + "\n", encoding="utf-8"
    )
    write_sqlite(site, out_dir / (Urls.data + SQLITE_NAME), url)
    return 2 + sum(write_dept_year_files(dy, out_dir) for dy in site.dept_years)
