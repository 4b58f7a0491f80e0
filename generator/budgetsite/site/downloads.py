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
from budgetsite.model import Table
from budgetsite.site.load import DeptYear, Site, code_column, row_label
from budgetsite.site.render import format_cell

SQLITE_NAME = "budgetsite.sqlite"

# Documented on /data/ and in the README: one row per non-empty table cell, values as printed text.
SQLITE_SCHEMA = """\
CREATE TABLE disclosures (
  slug TEXT NOT NULL,          -- department slug, as in /departments/<slug>/
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


def table_csv(table: Table) -> bytes:
    """One table as CSV, UTF-8 with BOM (Excel opens it), header row = column labels."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow([c.label for c in table.columns])
    for row in table.rows:
        writer.writerow([format_cell(v) for v in row])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def write_dept_year_files(dy: DeptYear, out_dir: Path) -> int:
    """data.json (byte for byte), tables/*.csv and the original file beside the disclosure page."""
    folder = inside(out_dir, dy.path)
    (folder / "tables").mkdir(parents=True, exist_ok=True)
    shutil.copyfile(dy.folder / "data.json", folder / "data.json")
    count = 1
    for table in dy.disclosure.tables:
        # Table ids were checked on load (ID_PATTERN); inside() still refuses anything that escapes.
        inside(folder / "tables", f"{table.id}.csv").write_bytes(table_csv(table))
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
            "data_url": url(dy.path + "data.json"),
            "tables": [url(f"{dy.path}tables/{t.id}.csv") for t in dy.disclosure.tables],
        }
        for dy in site.dept_years
    ]


def _cell_rows(site: Site) -> Iterator[tuple[object, ...]]:
    for dy in site.dept_years:
        for t_index, table in enumerate(dy.disclosure.tables):
            found = code_column(table)
            columns = [(column.key, column.label) for column in table.columns]
            for r_index, row in enumerate(table.rows):
                code = row[found[0]] if found is not None and found[0] < len(row) else None
                name = row_label(table, row)
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
    data_dir = out_dir / "data"
    data_dir.mkdir(parents=True, exist_ok=True)
    (data_dir / "index.json").write_text(
        json.dumps(index_entries(site, url), ensure_ascii=False, indent=1) + "\n", encoding="utf-8"
    )
    write_sqlite(site, data_dir / SQLITE_NAME, url)
    return 2 + sum(write_dept_year_files(dy, out_dir) for dy in site.dept_years)
