"""What an edit of one department-year changes on other pages: the one answer serve and build share.

A page depends on the department-years its PageSpec.deps name; `Impact.affects` says whether a given
edit (its listing, its tables, its title, or only its text) reaches that page. The *_key functions
reduce a DeptYear to what a kind of page shows of it, so an edit is compared, not guessed.
"""

from __future__ import annotations

from dataclasses import dataclass

from budgetsite.identity import folder_year
from budgetsite.recognize.sections import glossary_entries
from budgetsite.site.load import DeptYear, Site
from budgetsite.site.pages import dept_year_key
from budgetsite.site.urls import Urls


def year_path_of(key: str) -> str:
    """departments/<slug>/<year>/ for a key '<slug>/<folder>' (2024, 2024-final-accounts, 2024-unit-…)."""
    slug, folder = key.split("/", 1)
    return Urls.dept_year(slug, folder_year(folder) or folder)


@dataclass(frozen=True)
class Impact:
    """How an edit of one department-year reaches the pages that depend on it."""

    key: str  # "<slug>/<folder>", as in PageSpec.deps
    own_path: str  # its page; its project pages live below it
    listing: bool  # what other pages show of it changed: name, year, totals, 三公
    tables: bool  # its table rows changed: the code pages that list them
    title: bool = False  # its title changed: shown on its own pages and its department's page only
    in_place: bool = False  # only index.md text or title changed: swapped into the loaded model

    @property
    def department_path(self) -> str:
        """The page of its department (the key is '<slug>/<year>')."""
        return Urls.department(self.key.split("/", 1)[0])

    @property
    def year_path(self) -> str:
        """The page of its department-year: every disclosure of that year has its page below it."""
        return year_path_of(self.key)

    def affects(self, path: str, code_pages: set[str] | None) -> bool:
        """Whether the page at `path`, which depends on this department-year, must be re-rendered.

        `code_pages`: the code pages whose rows changed (None: unknown, take every one it appears on).
        """
        if path == self.own_path:
            return True
        if path.startswith(Urls.projects_of(self.own_path)):  # its project pages
            return not self.in_place or self.title
        if path == self.department_path:  # the department page lists its disclosures by title
            return self.listing or self.title
        if path.startswith(self.year_path):  # departments/<slug>/<year>/…: the same year's other disclosures
            if path.endswith(Urls.BUDGET_VS_ACTUAL):  # its code lines against the other disclosure's
                return self.listing or self.tables or self.title
            return self.listing or self.title  # other disclosures link to it by title
        if Urls.is_code_page(path):
            return self.listing or (self.tables and (code_pages is None or path in code_pages))
        # Neighbouring dept-year pages, the department and the year page show only its listing.
        return self.listing


def listing_key(dy: DeptYear) -> tuple[object, ...]:
    # Everything about a department-year that the default theme shows on *other* pages. A body-text
    # edit of index.md changes none of it, so the hundreds of same-year pages that link to it stay.
    d = dy.disclosure
    return (
        dy.slug,
        dy.year,
        d.department,
        tuple(d.region),
        d.kind,
        len(dy.project_headlines),
        repr((dy.total, dy.basic, dy.project, dy.three_public)),
        repr(d.level),
        # Headline facts: the department page compares them over the years (code lines are tables).
        repr(sorted((name, fact.value_wan) for name, fact in dy.facts.items() if ":" not in name)),
    )


def all_but_text_key(dy: DeptYear) -> str:
    # Everything but the narrative and the title; the glossary comes from the narrative, so it is here.
    d = dy.disclosure
    front_matter = {k: v for k, v in dy.front_matter.items() if k != "title"}
    return repr(
        (
            listing_key(dy),
            tables_key(dy),
            d.projects,
            d.checks,
            d.source,
            d.department_code,
            front_matter,
            glossary_entries(d),
        )
    )


def tables_key(dy: DeptYear) -> str:
    # repr keeps the printed digits: Decimal("1.0") == Decimal("1.00") but they print differently.
    return repr([(t.id, t.title, t.columns, t.rows) for t in dy.disclosure.tables])


def code_lines_shown(site: Site, keys: set[str]) -> dict[str, str]:
    """Page path → what the code page shows, for the code lines with a row of one of `keys`."""
    # Rows of other department-years are the same objects before and after: compare only the edited ones.
    shown = {}
    for line in site.codes.values():
        rows = [
            (key, e.table_title, e.name, repr(e.amount), e.anchor, e.amount_label)
            for e in line.entries
            if (key := dept_year_key(e.dept_year)) in keys
        ]
        if rows:
            shown[line.path] = repr((line.name, rows))
    return shown


def navigation_key(site: Site) -> list[tuple[str, str]]:
    return [(page.path, page.title) for page in site.pages]


def terms_key(site: Site) -> list[str]:
    return [term.term for term in site.glossary]
