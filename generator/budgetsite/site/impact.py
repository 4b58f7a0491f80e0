"""What an edit of one department-year changes on other pages: the one answer serve and build share.

A page depends on the department-years its PageSpec.deps name; `Impact.affects` says whether a given
edit (its listing, its tables, its title, or only its text) reaches that page. The *_key functions
reduce a DeptYear to what a kind of page shows of it, so an edit is compared, not guessed.
"""

from __future__ import annotations

import dataclasses
import functools
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from budgetsite.identity import folder_year
from budgetsite.site.load import CodeEntry, CodeLine, DeptYear, Site, code_entries, commonest_name, site_order
from budgetsite.site.pages import ALL, code_page_count, code_page_number, dept_year_key
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
    named: bool = False  # how site-wide lists name and link it changed (naming_key): not its figures
    title: bool = False  # its title changed: shown on its own pages and its department's page only
    in_place: bool = False  # only index.md text or title changed: swapped into the loaded model
    checks: bool = False  # its check results changed: the findings page lists them
    projects: bool = False  # its projects changed: the project index lists them
    glossary: bool = False  # its 名词解释 changed: the glossary page quotes it

    @functools.cached_property  # asked once per planned page: 17,000 times on a 1,000 department-year site
    def department_path(self) -> str:
        """The page of its department (the key is '<slug>/<year>')."""
        return Urls.department(self.key.split("/", 1)[0])

    @functools.cached_property
    def year_path(self) -> str:
        """The page of its department-year: every disclosure of that year has its page below it."""
        return year_path_of(self.key)

    @functools.cached_property
    def projects_path(self) -> str:
        """The folder of its project pages."""
        return Urls.projects_of(self.own_path)

    def affects(self, path: str, code_pages: set[str] | None) -> bool:
        """Whether the page at `path`, which depends on this department-year, must be re-rendered.

        `code_pages`: the code pages (and code listings) that show something else after the edit, from
        changed_code_pages (None: unknown, take every one it appears on). Call it for the site-wide pages
        too (PageSpec.deps {ALL}): each shows one aspect of every department-year (SITE_WIDE_ASPECTS).
        """
        if path in SITE_WIDE_ASPECTS:
            return any(getattr(self, aspect) for aspect in SITE_WIDE_ASPECTS[path])
        if path == self.own_path:
            return True
        if path.startswith(self.projects_path):  # its project pages
            return not self.in_place or self.title
        if path == self.department_path:  # the department page lists its disclosures by title
            return self.listing or self.title
        if path.startswith(self.year_path):  # departments/<slug>/<year>/…: the same year's other disclosures
            if path.endswith(Urls.BUDGET_VS_ACTUAL):  # its code lines against the other disclosure's
                return self.listing or self.tables or self.title
            return self.listing or self.title  # other disclosures link to it by title
        if Urls.is_code_page(path):
            if code_pages is None:
                return self.listing or self.tables
            return path in code_pages
        # Neighbouring dept-year pages, the department and the year page show only its listing.
        return self.listing


# What the site-wide pages (PageSpec.deps {ALL}) show of every department-year, as Impact fields: one
# edit re-renders only those that show what changed. The code listings are code pages (changed_code_pages).
SITE_WIDE_ASPECTS: dict[str, tuple[str, ...]] = {
    Urls.home: ("listing",),  # counts, regions, latest, headline 支出 and 三公 with their rows
    Urls.departments: ("listing",),
    Urls.years: ("listing",),
    Urls.three_public: ("listing",),
    # These lists name and link every department-year but show none of its figures: a corrected figure
    # leaves them (megabytes of HTML at 1,000 department-years) as they were.
    Urls.findings: ("named", "checks"),
    Urls.projects: ("named", "projects"),
    Urls.glossary: ("named", "glossary"),
    Urls.search: ("named",),  # the filters: years, departments, regions
    Urls.data: ("named",),  # every disclosure's data.json and table files
    Urls.not_found: (),
}


def edit_impact(key: str, old: DeptYear | None, new: DeptYear | None) -> Impact:
    """How the edit of department-year `key` from `old` to `new` (None: not there) reaches other pages."""
    if old is None or new is None:  # added or removed: every page that shows it
        own = new or old
        everything = {
            aspect: True
            for aspect in ("listing", "named", "tables", "title", "checks", "projects", "glossary")
        }
        return Impact(key, own.path if own is not None else year_path_of(key), **everything)
    return Impact(
        key=key,
        own_path=new.path,
        listing=listing_key(old) != listing_key(new),
        named=naming_key(old) != naming_key(new),
        tables=tables_key(old) != tables_key(new),
        title=old.disclosure.title != new.disclosure.title,
        checks=old.part_keys["checks"] != new.part_keys["checks"],
        projects=old.part_keys["projects"] != new.part_keys["projects"],
        glossary=old.glossary != new.glossary,
    )


def impact_of(key: str, old: DeptYear | None, new: DeptYear | None) -> Impact:
    """edit_impact, and an edit of index.md only (text or title) marked in place: serve swaps it into the
    loaded model and no cross-page index changes."""
    if old is not None and new is not None and all_but_text_key(old) == all_but_text_key(new):
        retitled = old.disclosure.title != new.disclosure.title
        return Impact(key, new.path, listing=False, tables=False, title=retitled, in_place=True)
    return edit_impact(key, old, new)


def affected_pages(
    impacts: dict[str, Impact],
    hand_keys: set[str],
    pages: Iterable[tuple[str, frozenset[str]]],
    code_pages: set[str] | None,
) -> set[str]:
    """Paths of the `pages` ((path, PageSpec.deps)) that the department-year edits `impacts` (by key) and
    the edits of hand pages `hand_keys` ('pages/<name>') reach: the answer serve and build share.

    `code_pages`: from changed_code_pages (None: unknown, take every code page an edit appears on).
    """
    edited = impacts.keys()
    # isdisjoint walks the few edits, not the hundreds of department-years a page may depend on.
    return {
        path
        for path, deps in pages
        if not hand_keys.isdisjoint(deps)
        or any(
            impacts[key].affects(path, code_pages)
            for key in (edited if ALL in deps else edited & deps)  # site-wide pages show every one
        )
    }


def naming_key(dy: DeptYear) -> tuple[object, ...]:
    # How lists of every department-year name and link it (findings, projects, glossary, search, data):
    # its department, year, kind, level and region (its path), and its files.
    d = dy.disclosure
    return (dy.slug, dy.year, d.department, tuple(d.region), d.kind, repr(d.level), tuple(dy.table_files))


def listing_key(dy: DeptYear) -> tuple[object, ...]:
    # Everything about a department-year that the default theme shows on *other* pages. A body-text
    # edit of index.md changes none of it, so the hundreds of same-year pages that link to it stay.
    return (
        naming_key(dy),
        len(dy.project_headlines),
        repr((dy.total, dy.basic, dy.project, dy.three_public)),
        # Headline facts: the department page compares them over the years (code lines are tables); the
        # year, 三公 and home pages link each to its row, whose anchor moves when rows come or go.
        repr(
            sorted(
                (name, fact.value_wan, dy.fact_anchor(fact))
                for name, fact in dy.facts.items()
                if ":" not in name
            )
        ),
    )


def all_but_text_key(dy: DeptYear) -> str:
    # Everything but the narrative and the title; the glossary comes from the narrative, so it is here.
    d = dy.disclosure
    front_matter = {k: v for k, v in dy.front_matter.items() if k != "title"}
    return repr(
        (
            listing_key(dy),
            tables_key(dy),
            dy.part_keys["projects"],
            dy.part_keys["checks"],
            d.source,
            d.department_code,
            front_matter,
            dy.glossary,
        )
    )


def tables_key(dy: DeptYear) -> str:
    """Its tables (a digest read at load: the folder may hold an edited version now) and its code facts
    (function:2150805 …), which code pages and budget-vs-actual lines show: data.json may change a code
    fact's figure without its table."""
    code_facts = [fact for fact in dy.disclosure.facts if ":" in fact.name]
    return repr((dy.part_keys["tables"], code_facts))


def changed_code_pages(old: Site, new: Site, keys: set[str]) -> set[str] | None:
    """The code pages and code listings that an edit of the department-years `keys` changes, comparing
    what they show of them before (`old`) and after (`new`); None when a code came or went."""
    if old.codes.keys() != new.codes.keys():
        return None  # parents list their children and listings every code: take every page it is on
    before, after = code_pages_shown(old, keys), code_pages_shown(new, keys)
    return {path for path in before.keys() | after.keys() if before.get(path) != after.get(path)}


def site_before(site: Site, keys: set[str], old: list[DeptYear]) -> Site:
    """`site` as it was before the department-years `keys` were edited (added, changed or removed), `old`
    being their previous versions: its department-years and code lines, what changed_code_pages compares
    (the other indices are this site's). Only the code lines holding a row of `keys` before or after are
    made again; as build_site makes them: a line's rows in the order of the department-years, each one's
    in the order of its code facts, and the commonest row name."""
    dept_years = sorted([dy for dy in site.dept_years if dept_year_key(dy) not in keys] + old, key=site_order)
    rank = {id(dy): position for position, dy in enumerate(dept_years)}
    # The lines the edited department-years have a row on now, with the rows they had before.
    rows: dict[tuple[str, str], list[CodeEntry]] = {
        line_key: []
        for dy in site.dept_years
        if dept_year_key(dy) in keys
        for line_key, _ in code_entries(dy)
    }
    for dy in old:
        for line_key, entry in code_entries(dy):
            rows.setdefault(line_key, []).append(entry)
    codes = dict(site.codes)
    for line_key, old_rows in rows.items():
        now = site.codes.get(line_key)
        kept = [e for e in now.entries if dept_year_key(e.dept_year) not in keys] if now is not None else []
        # A stable sort: the rows of one department-year stay in the order of its code facts.
        entries = sorted(kept + old_rows, key=lambda e: rank[id(e.dept_year)])
        if entries:
            codes[line_key] = CodeLine(line_key[0], line_key[1], commonest_name(entries), entries)
        else:
            codes.pop(line_key, None)
    return dataclasses.replace(site, dept_years=dept_years, codes=dict(sorted(codes.items())))


def code_pages_shown(
    site: Site, keys: set[str], lines: Iterable[CodeLine] | None = None
) -> dict[str, list[object]]:
    """Page path → what it shows that an edit of `keys` could change, for every code page and listing
    on which the code lines holding a row of `keys` appear (`lines`: those lines, when known)."""
    # Rows of other department-years are the same objects before and after: read only the edited ones.
    shown: dict[str, list[object]] = defaultdict(list)
    edited = {id(dy) for dy in site.dept_years if dept_year_key(dy) in keys}
    for line in site.codes.values() if lines is None else lines:
        positions = [i for i, e in enumerate(line.entries) if id(e.dept_year) in edited]
        if not positions:
            continue
        pages = [Urls.code(line.kind, line.code, n) for n in range(1, code_page_count(line) + 1)]
        # Its name is the commonest row name: on every page of the line, its parent's and its children's,
        # and in the listing. Where its rows stand decides which page shows which rows.
        near = [Urls.code(line.kind, code) for code in _codes_naming(site, line)]
        for path in [*pages, *near, Urls.codes(line.kind)]:
            shown[path].append((line.code, line.name))
        for path in pages:
            shown[path].append((len(line.entries), positions))
        for i in positions:
            e = line.entries[i]
            dy = e.dept_year
            shown[pages[code_page_number(i) - 1]].append(
                (dy.department, dy.path, dy.year, dy.kind, e.table_title, e.name, e.anchor, repr(e.fact))
            )
    return shown


def _codes_naming(site: Site, line: CodeLine) -> list[str]:
    """The other codes whose pages name `line`: its parent (one level up) lists it as a child, and the
    codes below whose nearest code with a page it is (a 项 whose 款 has none names its 类)."""
    codes = {code for kind, code in site.codes if kind == line.kind}
    naming = [line.code[:-2]] if line.code[:-2] in codes else []
    for code in codes:
        if code != line.code and code.startswith(line.code):
            between = code[: len(line.code) + 2]
            if len(code) == len(line.code) + 2 or between not in codes:
                naming.append(code)
    return sorted(naming)


def navigation_key(site: Site) -> list[tuple[str, str]]:
    return [(page.path, page.title) for page in site.pages]


def terms_key(site: Site) -> list[str]:
    return [term.term for term in site.glossary]
