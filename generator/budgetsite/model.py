"""The normalized disclosure: what ingest produces and build consumes (data.json, schema v2).

Money stays `Decimal` with the printed digits from source to page; codes and 序号 stay `str`.
`to_json`/`from_json` are the only way a Disclosure crosses the content-tree boundary.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, Literal

import simplejson

# 2 adds `level` (department or unit) and `facts` (named comparable figures with provenance); a data.json
# of schema 1 still loads: level = department, facts derived from its tables at load time
# (content.tree.load_disclosure).
SCHEMA_VERSION = 2

Cell = Decimal | str | None
Kind = Literal["budget", "final-accounts", "budget-performance"]
Status = Literal["pass", "warn", "fail"]
SourceFormat = Literal["pdf", "docx", "xlsx", "text", "markdown"]
LevelKind = Literal["department", "unit"]


@dataclass
class Column:
    key: str
    label: str


@dataclass
class Table:
    id: str
    title: str
    unit: str | None
    columns: list[Column]
    rows: list[list[Cell]]
    unit_name: str | None = None
    note: str | None = None
    source_page: int | None = None

    def column_index(self, label_part: str) -> int | None:
        """Index of the first column whose label contains `label_part`."""
        for index, column in enumerate(self.columns):
            if label_part in column.label:
                return index
        return None


@dataclass
class Section:
    title: str
    markdown: str
    id: str | None = None
    number: str | None = None


@dataclass
class Indicator:
    level1: str
    level2: str
    level3: str
    description: str
    target: str
    basis: str


@dataclass
class Project:
    name: str
    indicators: list[Indicator]
    code: str | None = None
    unit: str | None = None
    budget: Decimal | None = None
    fiscal_funds: Decimal | None = None
    other_funds: Decimal | None = None
    purpose: str | None = None
    spending_plan: dict[str, str] | None = None
    goals: list[str] = field(default_factory=list)


@dataclass
class Check:
    id: str
    status: Status
    message: str
    expected: Any = None
    actual: Any = None


@dataclass(slots=True)  # slots: a 10,000 department-year site holds half a million facts
class FactSource:
    """Where a fact was read: a table cell (table id, row and column labels, page) or a narrative sentence.

    `table_index`/`row_index` locate the cell in `Disclosure.tables` so pages can link to the row.
    """

    table: str | None = None
    row: str | None = None
    column: str | None = None
    page: int | None = None
    section: str | None = None
    text: str | None = None
    table_index: int | None = None
    row_index: int | None = None


@dataclass(slots=True)
class Fact:
    """One named, comparable figure (recognize.facts.FACTS lists the names).

    `printed` keeps the digits as printed and `unit` the printed unit (元 or 万元); `value_wan` is the
    exact value in 万元 (Decimal, the decimal point moved, nothing rounded).
    """

    name: str
    printed: str
    unit: str
    value_wan: Decimal
    source: FactSource


@dataclass
class Source:
    file: str
    sha256: str
    format: SourceFormat
    # Extra originals when one department-year is published as several files (narrative + tables).
    extra_files: list[str] = field(default_factory=list)


@dataclass
class Level:
    """Whose disclosure (schema 2): the department itself (部门), or one named unit (单位) of it.

    `slug` is the unit's ASCII URL name (made at ingest, stored so a build never needs pinyin).
    """

    kind: LevelKind = "department"
    unit: str | None = None
    slug: str | None = None

    @property
    def is_unit(self) -> bool:
        return self.kind == "unit"


@dataclass
class Disclosure:
    department: str
    year: int
    kind: Kind
    title: str
    source: Source
    department_code: str | None = None
    region: list[str] = field(default_factory=list)
    slug: str | None = None
    sections: list[Section] = field(default_factory=list)
    tables: list[Table] = field(default_factory=list)
    projects: list[Project] = field(default_factory=list)
    checks: list[Check] = field(default_factory=list)
    level: Level = field(default_factory=Level)
    facts: list[Fact] = field(default_factory=list)

    def table(self, table_id: str) -> Table | None:
        """The table with canonical id `table_id`, if the disclosure has it."""
        return next((t for t in self.tables if t.id == table_id), None)

    def section(self, section_id: str) -> Section | None:
        return next((s for s in self.sections if s.id == section_id), None)

    def fact(self, name: str) -> Fact | None:
        """The fact called `name`, if the disclosure prints it."""
        return next((f for f in self.facts if f.name == name), None)


# --- JSON boundary -------------------------------------------------------------------------------

_OPTIONAL_PROJECT_FIELDS = (
    "code",
    "unit",
    "budget",
    "fiscal_funds",
    "other_funds",
    "purpose",
    "spending_plan",
)


def _table_to_dict(table: Table) -> dict[str, Any]:
    return {
        "id": table.id,
        "title": table.title,
        "unit": table.unit,
        "unit_name": table.unit_name,
        "columns": [{"key": c.key, "label": c.label} for c in table.columns],
        "rows": table.rows,
        "note": table.note,
        "source_page": table.source_page,
    }


def _project_to_dict(project: Project) -> dict[str, Any]:
    data: dict[str, Any] = {"name": project.name}
    for name in _OPTIONAL_PROJECT_FIELDS:
        data[name] = getattr(project, name)
    data["goals"] = project.goals
    data["indicators"] = [vars(i).copy() for i in project.indicators]
    return data


def _level_to_dict(level: Level) -> dict[str, str]:
    data: dict[str, str] = {"kind": level.kind}
    if level.is_unit:
        data["unit"] = level.unit or ""
        data["slug"] = level.slug or ""
    return data


def _level_from_dict(data: Any) -> Level:
    """The level of a data.json object; schema 1 (no level) and anything but 'unit' mean the department."""
    if not isinstance(data, dict) or data.get("kind") != "unit":
        return Level()
    return Level(kind="unit", unit=data.get("unit") or None, slug=data.get("slug") or None)


def _fact_to_dict(fact: Fact) -> dict[str, Any]:
    # value_wan is a decimal string (the schema's pattern): a JSON number would invite float readers.
    source = {k: v for k in FactSource.__dataclass_fields__ if (v := getattr(fact.source, k)) is not None}
    return {
        "name": fact.name,
        "printed": fact.printed,
        "unit": fact.unit,
        "value_wan": format(fact.value_wan, "f"),
        "source": source,
    }


def fact_from_dict(data: dict[str, Any]) -> Fact:
    """A Fact from its data.json object."""
    source = data.get("source") or {}
    return Fact(
        name=data["name"],
        printed=str(data["printed"]),
        unit=data["unit"],
        value_wan=Decimal(str(data["value_wan"])),
        source=FactSource(**{k: source.get(k) for k in FactSource.__dataclass_fields__}),
    )


def disclosure_to_dict(disclosure: Disclosure) -> dict[str, Any]:
    """The data.json object (schema v2) for `disclosure`; Decimals stay Decimals."""
    source: dict[str, Any] = {
        "file": disclosure.source.file,
        "sha256": disclosure.source.sha256,
        "format": disclosure.source.format,
    }
    if disclosure.source.extra_files:
        source["extra_files"] = disclosure.source.extra_files
    return {
        "schema_version": SCHEMA_VERSION,
        "department": disclosure.department,
        "department_code": disclosure.department_code,
        "region": disclosure.region,
        "year": disclosure.year,
        "kind": disclosure.kind,
        "level": _level_to_dict(disclosure.level),
        "title": disclosure.title,
        "slug": disclosure.slug,
        "sections": [
            # The schema allows no null id: a section without a canonical id simply has none.
            {
                **({"id": s.id} if s.id is not None else {}),
                "number": s.number,
                "title": s.title,
                "markdown": s.markdown,
            }
            for s in disclosure.sections
        ],
        "tables": [_table_to_dict(t) for t in disclosure.tables],
        "projects": [_project_to_dict(p) for p in disclosure.projects],
        "checks": [
            {"id": c.id, "status": c.status, "message": c.message, "expected": c.expected, "actual": c.actual}
            for c in disclosure.checks
        ],
        "source": source,
        "facts": [_fact_to_dict(f) for f in disclosure.facts],
    }


def to_json(disclosure: Disclosure) -> str:
    """Serialize to data.json text; Decimals are written with exactly their printed digits."""
    if disclosure.slug is None:
        raise ValueError("a disclosure needs a slug before it is written")
    return (
        simplejson.dumps(disclosure_to_dict(disclosure), use_decimal=True, ensure_ascii=False, indent=1)
        + "\n"
    )


def load_json_text(text: str) -> Any:
    """Parse JSON keeping every non-integer number as an exact Decimal."""
    return json.loads(text, parse_float=Decimal)


def _money(value: Any) -> Decimal | None:
    if value is None:
        return None
    return value if isinstance(value, Decimal) else Decimal(value)


def _cell(value: Any) -> Cell:
    # JSON integers (e.g. 12) come back as int; money cells are Decimal everywhere in memory.
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, int):
        return Decimal(value)
    return value


def disclosure_from_dict(data: dict[str, Any]) -> Disclosure:
    """Rebuild a Disclosure from a data.json object."""
    source = data["source"]
    return Disclosure(
        department=data["department"],
        department_code=data.get("department_code"),
        region=list(data.get("region") or []),
        year=int(data["year"]),
        kind=data["kind"],
        level=_level_from_dict(data.get("level")),
        title=data["title"],
        slug=data.get("slug"),
        sections=[
            Section(title=s["title"], markdown=s["markdown"], id=s.get("id"), number=s.get("number"))
            for s in data["sections"]
        ],
        tables=[
            Table(
                id=t["id"],
                title=t["title"],
                unit=t.get("unit"),
                unit_name=t.get("unit_name"),
                columns=[Column(key=c["key"], label=c["label"]) for c in t["columns"]],
                rows=[[_cell(v) for v in row] for row in t["rows"]],
                note=t.get("note"),
                source_page=t.get("source_page"),
            )
            for t in data["tables"]
        ],
        projects=[
            Project(
                name=p["name"],
                code=p.get("code"),
                unit=p.get("unit"),
                budget=_money(p.get("budget")),
                fiscal_funds=_money(p.get("fiscal_funds")),
                other_funds=_money(p.get("other_funds")),
                purpose=p.get("purpose"),
                spending_plan=p.get("spending_plan"),
                goals=list(p.get("goals") or []),
                indicators=[Indicator(**i) for i in p["indicators"]],
            )
            for p in data["projects"]
        ],
        checks=[
            Check(
                id=c["id"],
                status=c["status"],
                message=c["message"],
                expected=c.get("expected"),
                actual=c.get("actual"),
            )
            for c in data["checks"]
        ],
        source=Source(
            file=source["file"],
            sha256=source["sha256"],
            format=source["format"],
            extra_files=list(source.get("extra_files") or []),
        ),
        facts=[fact_from_dict(f) for f in data.get("facts") or []],
    )


def from_json(text: str) -> Disclosure:
    """Parse data.json text into a Disclosure (numbers as Decimal)."""
    return disclosure_from_dict(load_json_text(text))
