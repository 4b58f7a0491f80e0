"""Identity of a disclosure: department + year + kind + level, and the folder that follows from it (its page: site.urls.Urls.disclosure).

A department-year may hold several disclosures (DESIGN §5, schema 2): the budget (预算), the final
accounts (决算, published a year later), a budget-performance text, and the budgets of its units (单位预算).
Each gets its own content folder and page. Folders are SIBLINGS under content/<slug>/, never nested: a
folder is rewritten by building a temporary folder and renaming it over the old one, and that swap
would destroy any disclosure folder inside it.

| disclosure                         | content folder                          | page (below the base URL)                           |
|------------------------------------|-----------------------------------------|-----------------------------------------------------|
| department budget                  | `<slug>/<year>/`                        | `departments/<slug>/<year>/` (unchanged since v1)   |
| department final accounts          | `<slug>/<year>-final-accounts/`         | `departments/<slug>/<year>/final-accounts/`         |
| department budget-performance text | `<slug>/<year>-budget-performance/`     | `departments/<slug>/<year>/budget-performance/`     |
| unit budget                        | `<slug>/<year>-unit-<unit>/`            | `departments/<slug>/<year>/units/<unit>/`           |
| unit final accounts                | `<slug>/<year>-final-accounts-unit-<unit>/` | `departments/<slug>/<year>/units/<unit>/final-accounts/` |

Pages may nest (the output folder is written whole), folders may not. `units/` keeps a unit's slug from
ever meeting a kind's name (`final-accounts`) or `projects/`.
"""

from __future__ import annotations

import re
from typing import NamedTuple

from budgetsite.model import Disclosure, Kind, LevelKind

# Folder and URL word per kind; the budget has none (its folder and URL are those of schema 1).
KIND_SUFFIX: dict[str, str] = {
    "budget": "",
    "final-accounts": "final-accounts",
    "budget-performance": "budget-performance",
}
# For command-line messages (site UI strings live in the theme's strings file).
KIND_NAMES: dict[str, str] = {"budget": "预算", "final-accounts": "决算", "budget-performance": "预算绩效"}

_FOLDER = re.compile(
    r"^(?P<year>\d{4})(?:-(?P<kind>final-accounts|budget-performance))?(?:-unit-(?P<unit>[a-z0-9][a-z0-9-]*))?$"
)


class Identity(NamedTuple):
    """What makes two disclosures the same one: a re-ingest of it replaces it, anything else sits beside it."""

    department: str
    year: int
    kind: Kind
    level: LevelKind
    unit: str | None


def identity_of(disclosure: Disclosure) -> Identity:
    """The identity of `disclosure` (the department's name as printed: slugs come later)."""
    level = disclosure.level
    return Identity(
        disclosure.department,
        int(disclosure.year),
        disclosure.kind,
        level.kind,
        level.unit if level.is_unit else None,
    )


def merge_key(disclosure: Disclosure) -> Identity:
    """Files of one run with the same key are parts of ONE disclosure (narrative + tables …).

    A budget-performance text given with the budget of its department-year is part of that budget
    (as before identities existed); given alone it is a disclosure of its own.
    """
    identity = identity_of(disclosure)
    return identity._replace(kind="budget") if identity.kind == "budget-performance" else identity


def folder_name(disclosure: Disclosure) -> str:
    """Name of the disclosure's folder under content/<slug>/: 2024, 2024-final-accounts, 2025-unit-<u> …"""
    name = str(int(disclosure.year))
    if KIND_SUFFIX[disclosure.kind]:
        name += "-" + KIND_SUFFIX[disclosure.kind]
    if disclosure.level.is_unit:
        name += f"-unit-{disclosure.level.slug}"
    return name


def folder_year(name: str) -> int | None:
    """The year a disclosure folder name starts with, None if it is no disclosure folder name."""
    match = _FOLDER.match(name)
    return int(match["year"]) if match else None


def describe(disclosure: Disclosure) -> str:
    """'上海市普陀区财政局 2024 决算' or '… 2025 单位预算（上海市普陀区人民政府办公室）' for messages."""
    kind = KIND_NAMES[disclosure.kind]
    if disclosure.level.is_unit:
        return f"{disclosure.department} {disclosure.year} 单位{kind}（{disclosure.level.unit}）"
    return f"{disclosure.department} {disclosure.year} {kind}"
