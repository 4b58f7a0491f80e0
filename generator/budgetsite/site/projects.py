"""The project index (`/projects/`): every project by name, with department, year and budget.

The same project of one department in several years is one line linking each year's project page, so a
reader follows 法律顾问费 from 2023 to 2024. Projects are matched by department and name, with a leading
year ("2022年中国国际数字经济博览会经费") and spaces ignored; project codes are not used because many
templates print a new code every year.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal

from budgetsite.site.load import Site
from budgetsite.site.urls import Urls

_LEADING_YEAR = re.compile(r"^(?:19|20)\d\d年度?")
_SPACES = re.compile(r"\s+")


@dataclass(frozen=True, slots=True)  # one per project page: 130,000 at 10,000 department-years
class ProjectYear:
    """One year of a project line: the year, its project page and its 预算数 (万元, as printed)."""

    year: int
    href: str
    budget: Decimal | None


@dataclass(slots=True)
class ProjectLine:
    """One project of one department across the years it was published (newest name shown)."""

    name: str
    department: str
    department_href: str
    years: list[ProjectYear] = field(default_factory=list)


def project_key(name: str) -> str:
    """The name two years of the same project share: spaces and a leading year dropped."""
    return _LEADING_YEAR.sub("", _SPACES.sub("", name)) or _SPACES.sub("", name)


@functools.cache
def _char_pinyin(char: str) -> str:
    # Imported here: pypinyin's dictionary takes ~0.3 s to load and only this page needs it.
    from pypinyin import Style, lazy_pinyin

    return lazy_pinyin(char, style=Style.NORMAL)[0]


def _pinyin_sort_key(name: str) -> tuple[str, str]:
    # Character by character, each looked up once a build: lazy_pinyin over whole names took 9 s for the
    # 16,300 projects of a 1,000 department-year site, this 0.2 s. Sorting needs no phrase readings.
    return " ".join(_char_pinyin(char) for char in name), name


def project_lines(site: Site, url: Callable[[str], str]) -> list[ProjectLine]:
    """Every project of the site as lines (department × project name), sorted by name in pinyin order."""
    lines: dict[tuple[str, str], ProjectLine] = {}
    for department in site.departments.values():
        for dy in department.years:  # oldest first, so the newest spelling of a name wins
            for number, project in enumerate(dy.project_headlines, start=1):
                key = (department.slug, project_key(project.name))
                line = lines.get(key)
                if line is None:
                    line = lines[key] = ProjectLine(project.name, department.name, url(department.path))
                line.name = project.name
                href = url(Urls.project(dy.path, number))
                line.years.append(ProjectYear(dy.year, href, project.budget))
    return sorted(
        lines.values(), key=lambda line: (_pinyin_sort_key(project_key(line.name)), line.department)
    )
