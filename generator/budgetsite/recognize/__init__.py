"""Recognizers: neutral blocks → a Disclosure (metadata, projects, standard tables, narrative sections).

`recognize` runs them in the order that lets each claim its blocks: project tables first (they look like
tables), then the standard tables, then the narrative from whatever is left.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from budgetsite.blocks import Block
from budgetsite.errors import InputError
from budgetsite.model import Disclosure, Source, Table
from budgetsite.recognize import catalog
from budgetsite.recognize.level import recognize_level
from budgetsite.recognize.metadata import recognize_metadata, region_from_name
from budgetsite.recognize.projects import recognize_projects
from budgetsite.recognize.sections import recognize_sections
from budgetsite.recognize.tables import recognize_tables

# Blank templates name the department "上海市XX局" / "××区××局" until someone fills them in.
_PLACEHOLDER = re.compile(r"[XＸ×xｘ]{2,}")

# Two recognized section ids are needed before narrative alone counts as a disclosure (a README with
# "一、安装" is not one).
_MIN_KNOWN_SECTIONS = 2


class NotADisclosureError(InputError):
    """The document holds no budget tables, project tables or disclosure sections (a README, a novel)."""


def _standard_tables(blocks: Sequence[Block], skip: set[int]) -> tuple[list[Table], set[int]]:
    result = recognize_tables(blocks, frozenset(skip))
    return list(result.tables), set(result.used)


def recognize(
    blocks: Sequence[Block],
    *,
    source_name: str,
    department: str | None = None,
    year: int | None = None,
    region: list[str] | None = None,
) -> Disclosure:
    """Recognize one disclosure in `blocks`.

    `department` and `year` only fill in what the document does not print (a batch given --year 2018
    must not store a document that says 2020 as 2018); `region` replaces the region read from the name.
    """
    meta = recognize_metadata(blocks)
    projects = recognize_projects(blocks)
    tables, table_blocks = _standard_tables(blocks, projects.used)
    used = projects.used | table_blocks
    sections = recognize_sections(
        blocks,
        used,
        title=meta.title,
        skip_texts=[t for t in (meta.department,) if t],
        table_titles=[t.title for t in tables],
    )

    known_sections = {s.id for s in sections if s.id}
    # Tables the catalogue does not know are no evidence: a README has tables too.
    known_tables = [t for t in tables if catalog.is_standard(t.id)]
    if not known_tables and not projects.projects and len(known_sections) < _MIN_KNOWN_SECTIONS:
        raise NotADisclosureError(
            "not a budget disclosure (no budget tables, project performance tables or disclosure sections found)",
            path=source_name,
            hint="give a 部门预算/决算公开 document",
        )

    department = meta.department or department
    year = meta.year or year
    if year is None:
        raise InputError(
            "no budget year found in the document",
            path=source_name,
            hint="give it with --year (e.g. --year 2024)",
        )
    if department is None:
        raise InputError(
            "no department name found in the document",
            path=source_name,
            hint="give it with --department (e.g. --department 衡水市工业和信息化局)",
        )

    if _PLACEHOLDER.search(department):
        raise InputError(
            f"a blank template, not a disclosure (placeholder department name {department})",
            path=source_name,
            hint="ingest the published disclosure, or fill in the template first",
        )

    kind = meta.kind
    if (
        kind == "budget"
        and projects.projects
        and not known_tables
        and known_sections <= {"performance", "projects"}
    ):
        # A 预算绩效文本: only performance targets, no money tables and no other narrative.
        kind = "budget-performance"
    title = meta.title or f"{department}{year}年{'部门决算' if kind == 'final-accounts' else '部门预算'}"
    if region is None:
        region = meta.region if department == meta.department else region_from_name(department)
    return Disclosure(
        department=department,
        department_code=meta.department_code if department == meta.department else None,
        region=list(region),
        year=year,
        kind=kind,
        title=title,
        source=Source(file=source_name, sha256="0" * 64, format="text"),
        slug=None,
        sections=sections,
        tables=tables,
        projects=projects.projects,
        checks=[],
        level=recognize_level(blocks, department),
    )
