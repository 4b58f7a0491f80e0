"""Every path of the built site, spelled in this module only (Datasette's `Urls` is the model).

A *site path* is relative to the base URL: "" (home), "departments/<slug>/<year>/", "data/index.json".
Page plans, the output folder, the search bundles, serve's preview and the templates all ask `Urls`;
`Urls(base_path).href(path)` turns a site path into a link. A test fails when another module or a
template spells one of these paths by hand.
"""

from __future__ import annotations

from budgetsite.identity import KIND_SUFFIX
from budgetsite.model import Disclosure

# Top-level folders of the site; a hand-written page (content/pages/<name>.md → "<name>/") may not take one.
DEPARTMENTS = "departments"
YEARS = "years"
CODE_FOLDERS = {"function": "functions", "economic": "economic"}
THREE_PUBLIC = "three-public-expenses"
PROJECTS = "projects"
FINDINGS = "findings"
GLOSSARY = "glossary"
SEARCH = "search"
DATA = "data"
STATIC = "static"
PAGEFIND = "pagefind"
NOT_FOUND = "404.html"
SITEMAP = "sitemap.xml"
ROBOTS = "robots.txt"

RESERVED_NAMES = frozenset(
    {DEPARTMENTS, YEARS, *CODE_FOLDERS.values(), THREE_PUBLIC, PROJECTS, FINDINGS, GLOSSARY, SEARCH, DATA}
    | {STATIC, PAGEFIND}
    | {"404", "sitemap", "robots", "index"}
)


class Urls:
    """Site paths (attributes and static methods, no base needed) and links under one base path (`href`)."""

    def __init__(self, base_path: str = "/"):
        self.base_path = base_path

    def href(self, path: str = "") -> str:
        """The link to site path `path` under the base path ('/budget/' + 'years/' → '/budget/years/')."""
        return self.base_path + path.lstrip("/")

    # --- pages ---------------------------------------------------------------------------------------------

    # The pages of fixed address; those of a department, year, code or project are the methods below.
    home = ""
    departments = f"{DEPARTMENTS}/"
    years = f"{YEARS}/"
    three_public = f"{THREE_PUBLIC}/"
    projects = f"{PROJECTS}/"  # the project index; a project's own page is project() below
    findings = f"{FINDINGS}/"  # every open finding of the checks, by department
    glossary = f"{GLOSSARY}/"
    search = f"{SEARCH}/"
    data = f"{DATA}/"
    not_found = NOT_FOUND
    sitemap = SITEMAP
    robots = ROBOTS
    # Pagefind's script, in the primary index folder; it finds the other bundles by their folders.
    pagefind_script = f"{PAGEFIND}/pagefind.js"
    # Pagefind's search engine: one file for every language without a stemmer (Chinese among them).
    pagefind_wasm = f"{PAGEFIND}/wasm.unknown.pagefind"

    @staticmethod
    def department(slug: str) -> str:
        return f"{DEPARTMENTS}/{slug}/"

    @staticmethod
    def dept_year(slug: str, year: int | str) -> str:
        return f"{DEPARTMENTS}/{slug}/{year}/"

    # The page beside a department-year's budget that sets it against its final accounts.
    BUDGET_VS_ACTUAL = "budget-vs-actual/"
    UNITS = "units"

    @staticmethod
    def disclosure(slug: str, disclosure: Disclosure) -> str:
        """A disclosure's page: the budget's is dept_year(); a 决算 adds final-accounts/, a unit units/<u>/
        (budgetsite.identity: one folder per disclosure, side by side, its page below the year's)."""
        path = Urls.dept_year(slug, int(disclosure.year))
        if disclosure.level.is_unit:
            path += f"{Urls.UNITS}/{disclosure.level.slug}/"
        kind_word = KIND_SUFFIX[disclosure.kind]
        return path + (kind_word + "/" if kind_word else "")

    @staticmethod
    def budget_vs_actual(budget_path: str) -> str:
        """The budget-vs-actual page beside the budget page `budget_path`."""
        return budget_path + Urls.BUDGET_VS_ACTUAL

    @staticmethod
    def project(disclosure_path: str, number: int) -> str:
        """Project `number` (from 1) of the disclosure whose page is `disclosure_path` (a 决算's beside its budget's)."""
        return f"{Urls.projects_of(disclosure_path)}{number}/"

    @staticmethod
    def projects_of(disclosure_path: str) -> str:
        """The folder of a disclosure's project pages."""
        return f"{disclosure_path}{PROJECTS}/"

    @staticmethod
    def year(year: int) -> str:
        return f"{YEARS}/{year}/"

    @staticmethod
    def codes(kind: str) -> str:
        """Listing of the classification codes of `kind` ('function' or 'economic')."""
        return f"{CODE_FOLDERS[kind]}/"

    CODE_PAGE = "page"

    @staticmethod
    def code(kind: str, code: str, number: int = 1) -> str:
        """Page `number` of a code's rows: the first at '<folder>/<code>/', the others below it."""
        first = f"{CODE_FOLDERS[kind]}/{code}/"
        return first if number == 1 else f"{first}{Urls.CODE_PAGE}/{number}/"

    @staticmethod
    def page(name: str) -> str:
        """A hand-written page content/pages/<name>.md."""
        return f"{name}/"

    # --- files --------------------------------------------------------------------------------------------
    # A file beside the department-year page is its path + the name (data.json, tables/<name>.csv, the
    # original file); site-wide downloads are data + the name (index.json, budgetsite.sqlite).

    static = f"{STATIC}/"  # + a theme file's name: static/site.css

    @staticmethod
    def search_bundle(name: str = "") -> str:
        """Folder (no slash) of a Pagefind index: 'pagefind' for the primary one, 'pagefind-<name>' for others."""
        return f"{PAGEFIND}-{name}" if name else PAGEFIND

    # --- reading paths back -------------------------------------------------------------------------------

    @staticmethod
    def department_of(path: str) -> str | None:
        """The slug of the department whose pages hold `path` ('departments/<slug>/…'), else None."""
        parts = path.split("/", 2)
        return parts[1] if parts[0] == DEPARTMENTS and len(parts) > 2 and parts[1] else None

    @staticmethod
    def dept_year_of(path: str) -> tuple[str, str] | None:
        """(slug, year) of the department-year folder holding `path` ('departments/<slug>/<year>/…'), else None."""
        parts = path.split("/", 3)
        if len(parts) > 3 and parts[0] == DEPARTMENTS and parts[1] and parts[2].isdigit():
            return parts[1], parts[2]
        return None

    @staticmethod
    def is_code_page(path: str) -> bool:
        """Whether `path` is a classification-code listing or code page."""
        return path.split("/", 1)[0] in CODE_FOLDERS.values()

    @staticmethod
    def nav() -> list[tuple[str, str]]:
        """The main navigation: (key of the UI string, site path), in order."""
        return [
            ("home", Urls.home),
            ("departments", Urls.departments),
            ("years", Urls.years),
            ("functions", Urls.codes("function")),
            ("economic", Urls.codes("economic")),
            ("project_index", Urls.projects),
            ("three_public", Urls.three_public),
            ("glossary", Urls.glossary),
            ("data", Urls.data),
        ]
