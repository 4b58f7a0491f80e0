"""Full-text search: index the written site with Pagefind's extended build (it segments Chinese words).

The index is split into bundles (each its own Pagefind index) by what a reader narrows a search by: one
bundle per year and region ('2024', '河北省/保定市') holds that region's department-year pages of that
year (disclosures, 决算, units, projects); the primary bundle (folder 'pagefind') holds every other page
(home, department overviews, years, codes, glossary …). A department-year's bundle depends on its own
year and region only, so adding or removing others never moves it (the incremental build re-runs
Pagefind for changed bundles only), and a bundle stays the size of one government's year (~110 MB of
Pagefind for 23 department-years, where one run over 1,000 needs 2.4 GB).

The search page merges the primary bundle with the bundles of the year and region the reader chose
(default: `default_scope`), so one query costs the same few requests at any site size.
A bundle is indexed as soon as its last page is written, so Pagefind works while the rest of the site is
still rendering (`SearchIndexer`); with a run per core once the pages are written.
"""

from __future__ import annotations

import hashlib
import logging
import os
import re
import subprocess
import threading
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor, as_completed
from dataclasses import dataclass
from pathlib import Path

from budgetsite.errors import BudgetsiteError
from budgetsite.site.load import DeptYear, Site
from budgetsite.site.urls import Urls

log = logging.getLogger(__name__)

PRIMARY_BUNDLE = Urls.search_bundle()
INSTALL_HINT = 'pip install "pagefind[extended]"'
# Bundles a search loads by default besides the primary one. Measured in Chromium: the page, its CSS and
# scripts, Pagefind's script, wasm and the primary bundle cost ~10 requests, each merged bundle 3–7
# (entry, meta, an index chunk per few query words), the first 8 result excerpts 8: the primary and one
# bundle stay under 30 requests at 10,000 department-years, two on smaller sites. A site of this many
# bundles or fewer searches everything by default.
DEFAULT_SCOPE_BUNDLES = 2
# The scope selects' value for "every year" / "every region", and the region of a department without one.
ALL = "all"
UNKNOWN_REGION = "unknown"


class SearchIndexError(BudgetsiteError):
    """Pagefind could not build the search index."""


@dataclass(frozen=True)
class Bundle:
    """One Pagefind index: its folder, the glob of pages it covers (None = all) and what it holds.

    A department bundle holds the department-year folders `dept_years` ((slug, year) pairs: every page
    below departments/<slug>/<year>/) of one `year` and `region` ('河北省/保定市', UNKNOWN_REGION when
    the disclosure names none); the primary bundle has none and covers every page outside them.
    """

    folder: str
    glob: str | None
    dept_years: frozenset[tuple[str, str]] = frozenset()
    year: int | None = None
    region: str = ""


def bundle_folder(year: int, region: str) -> str:
    """The folder of the bundle of `year` and `region`: a function of those two only, stable across builds.

    The region is hashed (its name is Chinese and unbounded in length); eight hex digits keep a collision
    among a site's regions improbable, and plan_bundles refuses one.
    """
    digest = hashlib.sha256(region.encode("utf-8")).hexdigest()[:8]
    return Urls.search_bundle(f"{year}-{digest}")


def plan_bundles(site: Site, projects: bool = True) -> list[Bundle]:
    """Split the site into search bundles by year and region; the first one ('pagefind') holds the rest.

    projects=False (search_projects = false) keeps project pages out of the department globs: Pagefind
    would otherwise still read and parse every one of them only to find no data-pagefind-body.
    """
    members: dict[tuple[int, str], set[str]] = {}
    for department in site.departments.values():
        for year, region in _year_regions(department.years):
            members.setdefault((year, region), set()).add(department.slug)
    # Below a department-year folder: its pages, and without projects those of its 决算 and units only.
    units = Urls.UNITS
    pages = "**/*.html" if projects else f"{{*.html,*/*.html,{units}/*/*.html,{units}/*/*/*.html}}"
    bundles = [Bundle(PRIMARY_BUNDLE, _primary_glob(site))]
    folders: dict[str, tuple[int, str]] = {}
    for (year, region), slugs in sorted(members.items()):
        folder = bundle_folder(year, region)
        if folders.setdefault(folder, (year, region)) != (year, region):
            raise SearchIndexError(
                f"search bundles of {folders[folder]} and {(year, region)} share the folder {folder}; "
                "this is a bug in budgetsite"
            )
        ordered = sorted(slugs)
        glob = Urls.dept_year("{" + ",".join(ordered) + "}", year) + pages
        dept_years = frozenset((slug, str(year)) for slug in ordered)
        bundles.append(Bundle(folder, glob, dept_years, year, region))
    return bundles


def _year_regions(disclosures: list[DeptYear]) -> list[tuple[int, str]]:
    """(year, region) of each department-year folder of one department, by its first disclosure.

    Every disclosure of a folder (budget, 决算, units) is indexed together; the first one in
    DeptYear.order (the department's budget when there is one) names the folder's region.
    """
    first: dict[int, DeptYear] = {}
    for dy in disclosures:
        first.setdefault(dy.year, dy)
    return [(year, "/".join(dy.region) or UNKNOWN_REGION) for year, dy in first.items()]


def _primary_glob(site: Site) -> str:
    """Every page outside the department-year folders: home, department overviews, years, codes, …

    Of a code, its first page only: the later ones (200 rows each, every department-year's rows of
    that code) repeat its title and were most of the primary bundle's pages and words at 10,000
    department-years, each a result for any project name in its rows. Every row is on the
    department-year page it links, in the reader's scope.
    """
    top = ["index.html", Urls.departments + "index.html", Urls.department("*") + "index.html"]
    top += [Urls.years + "**/*.html"]
    for kind in ("function", "economic"):
        top += [Urls.codes(kind) + "index.html", Urls.code(kind, "*") + "index.html"]
    top += [folder + "*.html" for folder in (Urls.three_public, Urls.glossary, Urls.data)]
    top += [Urls.page(page.name) + "*.html" for page in site.pages]
    return "{" + ",".join(top) + "}"


def default_scope(bundles: list[Bundle]) -> tuple[str, str]:
    """(year, region) the search page searches before the reader picks: everything on a small site;
    else the latest year, and of it, when it has too many bundles, the region with most department-years.
    """
    department_bundles = bundles[1:]
    if len(department_bundles) <= DEFAULT_SCOPE_BUNDLES:
        return ALL, ALL
    latest = max(b.year or 0 for b in department_bundles)
    of_latest = [b for b in department_bundles if b.year == latest]
    if len(of_latest) <= DEFAULT_SCOPE_BUNDLES:
        return str(latest), ALL
    largest = min(of_latest, key=lambda b: (-len(b.dept_years), b.region))
    return str(latest), largest.region


@dataclass(frozen=True)
class SearchScope:
    """What the search page needs to pick bundles: each bundle's [url, year, region], the regions and
    years that have one, and the default (year, region) — ALL for every one."""

    bundles: list[list[str]]
    years: list[str]
    regions: list[str]
    default: tuple[str, str]


def search_scope(bundles: list[Bundle], href: Callable[[str], str]) -> SearchScope:
    """The search page's view of `bundles`, their folders linked with `href`."""
    department_bundles = bundles[1:]
    return SearchScope(
        bundles=[[href(b.folder + "/"), str(b.year), b.region] for b in department_bundles],
        years=sorted({str(b.year) for b in department_bundles}, reverse=True),
        regions=sorted({b.region for b in department_bundles}),
        default=default_scope(bundles),
    )


def bundle_finder(bundles: list[Bundle]) -> Callable[[str], int]:
    """bundle_of(page path): the index of the bundle covering it (0, the primary one, for no department)."""
    of_folder = {key: i for i, b in enumerate(bundles) for key in b.dept_years}

    def bundle_of(page_path: str) -> int:
        folder = Urls.dept_year_of(page_path)
        return 0 if folder is None else of_folder.get(folder, 0)

    return bundle_of


def pagefind_executable() -> str:
    """The extended Pagefind binary, run directly (the `python -m pagefind` wrapper costs ~0.2 s a run)."""
    logging.getLogger("pagefind_bin_extended").setLevel(logging.WARNING)  # it logs its lookups at DEBUG
    try:
        from pagefind_bin_extended import get_executable
    except ImportError:
        raise SearchIndexError(
            "the extended Pagefind build is not installed, Chinese search would not work", hint=INSTALL_HINT
        ) from None
    try:
        return str(get_executable())
    except FileNotFoundError as error:
        raise SearchIndexError(f"cannot find pagefind ({error})", hint=INSTALL_HINT) from None


# Pagefind's memory grows with the pages of its bundle: 525 MB for the 3,466 pages of one year and region of a
# 10,000 department-year site. Runs go side by side (one per core) while their sum stays under
# PAGEFIND_MEMORY_MB; a bundle that large runs alone, so the build's peak stays that of its largest run.
PAGEFIND_MB_PER_PAGE = 0.16
PAGEFIND_MEMORY_MB = 600


class SearchIndexer:
    """Runs Pagefind over each bundle once all of its pages are written, up to one run per core at a time
    and, beyond the first, only while the runs' memory (PAGEFIND_MB_PER_PAGE) stays under PAGEFIND_MEMORY_MB.

    The build reports pages as it writes them (`pages_written`) and then that all are written
    (`all_pages_written`); `finished` yields each bundle's page count as its run ends. `cancel` stops
    queued and running Pagefind processes (the build failed). `run`: the indices of the bundles to index
    (an incremental build keeps the others' previous index); None: every one.
    """

    def __init__(
        self,
        site_dir: Path,
        bundles: list[Bundle],
        page_paths: Iterable[str],
        run: Iterable[int] | None = None,
    ):
        self.site_dir = site_dir
        self.bundles = bundles
        self.executable = pagefind_executable()
        self.bundle_of = bundle_finder(bundles)
        self._unwritten = Counter(self.bundle_of(path) for path in page_paths)
        self._pages = self._unwritten.copy()  # per bundle, what its run's memory is estimated from
        self._room = threading.Condition()
        self._estimates: dict[int, float] = {}  # of the runs going on, by bundle
        self._pool = ThreadPoolExecutor(max_workers=os.cpu_count() or 1)
        self._futures: dict[int, Future[int]] = {}
        self._running: set[subprocess.Popen[str]] = set()
        self._lock = threading.Lock()
        self._cancelled = False
        self._to_run = sorted(range(len(bundles)) if run is None else set(run))
        for index in self._to_run:
            if self._unwritten[index] == 0:
                self._start(index)

    def _start(self, index: int) -> None:
        if index not in self._futures and index in self._to_run:
            self._futures[index] = self._pool.submit(self._run, index)

    def pages_written(self, page_paths: Iterable[str]) -> None:
        """Note pages as written; a bundle whose last page this was starts indexing now."""
        for path in page_paths:
            index = self.bundle_of(path)
            self._unwritten[index] -= 1
            if self._unwritten[index] == 0:
                self._start(index)

    def all_pages_written(self) -> None:
        """Every page is written (reported or not): start the bundles left."""
        for index in self._to_run:
            self._start(index)

    def finished(self) -> Iterator[int]:
        """Pages indexed by each bundle, as the runs end."""
        self.all_pages_written()
        try:
            for future in as_completed(self._futures.values()):
                yield future.result()
        except BaseException:
            self.cancel()
            raise
        finally:
            self._pool.shutdown(wait=True)

    def cancel(self) -> None:
        """Drop queued runs and kill running ones."""
        with self._lock:
            self._cancelled = True
            for process in self._running:
                process.kill()
        with self._room:
            self._room.notify_all()  # runs waiting for memory give up
        self._pool.shutdown(wait=True, cancel_futures=True)

    def _run(self, index: int) -> int:
        need = self._pages[index] * PAGEFIND_MB_PER_PAGE
        with self._room:
            self._room.wait_for(
                lambda: (
                    self._cancelled
                    or not self._estimates
                    or sum(self._estimates.values()) + need <= PAGEFIND_MEMORY_MB
                )
            )
            self._estimates[index] = need
        try:
            return self._run_pagefind(self.bundles[index])
        finally:
            with self._room:
                del self._estimates[index]
                self._room.notify_all()

    def _run_pagefind(self, bundle: Bundle) -> int:
        command = [self.executable, "--site", str(self.site_dir), "--output-subdir", bundle.folder]
        if bundle.glob is not None:
            command += ["--glob", bundle.glob]
        with self._lock:
            if self._cancelled:
                return 0
            try:
                process = subprocess.Popen(
                    command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
                )
            except OSError as error:
                raise SearchIndexError(f"cannot run pagefind ({error})", hint=INSTALL_HINT) from None
            self._running.add(process)
        try:
            output, _ = process.communicate(timeout=1800)
        except subprocess.TimeoutExpired:
            process.kill()
            raise SearchIndexError("pagefind ran for more than 30 minutes", path=self.site_dir) from None
        finally:
            with self._lock:
                self._running.discard(process)
        if self._cancelled:
            return 0
        return _indexed_pages(output, process.returncode, self.site_dir, bundle)


def _indexed_pages(output: str, returncode: int, site_dir: Path, bundle: Bundle) -> int:
    """Pages a Pagefind run indexed, from its report; a failed or non-extended run is an error."""
    if returncode != 0:
        last = next((line for line in reversed(output.splitlines()) if line.strip()), "no output")
        raise SearchIndexError(f"pagefind failed: {last}", path=site_dir, hint=INSTALL_HINT)
    # Only the extended binary segments Chinese; the plain one indexes whole runs of characters as one
    # word, so searching 公务接待 would miss pages that print 公务接待费.
    if "(Extended)" not in output:
        raise SearchIndexError(
            "pagefind is not the extended build, Chinese search would not work", hint=INSTALL_HINT
        )
    match = re.search(r"Indexed (\d+) page", output)
    log.debug("pagefind %s: %s", bundle.folder, output.strip().replace("\n", " | "))
    return int(match.group(1)) if match else 0


def build_search_index(site_dir: Path, bundles: list[Bundle] | None = None) -> int:
    """Run Pagefind over the written site `site_dir`; returns the number of pages indexed."""
    indexer = SearchIndexer(site_dir, bundles or [Bundle(PRIMARY_BUNDLE, None)], [])
    return sum(indexer.finished())
