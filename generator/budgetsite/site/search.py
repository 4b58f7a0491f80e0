"""Full-text search: index the written site with Pagefind's extended build (it segments Chinese words).

Large sites are indexed in bundles (groups of departments, each its own Pagefind index): one Pagefind
process over 1,000 department-years needs more than 2 GB of memory and a single core, while a bundle of
~75 department-years stays near 220 MB. The search page merges the bundles (`pagefind.mergeIndex`).
A bundle is indexed as soon as its last page is written, so Pagefind works while the rest of the site is
still rendering (`SearchIndexer`); with a run per core once the pages are written.
"""

from __future__ import annotations

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
from budgetsite.site.load import Site
from budgetsite.site.urls import Urls

log = logging.getLogger(__name__)

# Department-years per search bundle; a site this small or smaller gets one index. Larger bundles cost
# less CPU (each run loads Pagefind's dictionary and writes its own index) but more memory: on the
# 1,000 department-year benchmark 50 → 22 runs, 100 → 11 runs with ~275 MB each.
BUNDLE_DEPT_YEARS = 75
PRIMARY_BUNDLE = Urls.search_bundle()
INSTALL_HINT = 'pip install "pagefind[extended]"'


class SearchIndexError(BudgetsiteError):
    """Pagefind could not build the search index."""


@dataclass(frozen=True)
class Bundle:
    """One Pagefind index: its folder, the glob of pages it covers (None = all) and their departments.

    `departments` holds the slugs whose pages (departments/<slug>/…) this bundle indexes; the primary
    bundle has none and covers every page outside them.
    """

    folder: str
    glob: str | None
    departments: frozenset[str] = frozenset()


def plan_bundles(site: Site, per_bundle: int | None = None, projects: bool = True) -> list[Bundle]:
    """Split the site into search bundles; the first one (folder 'pagefind') holds every non-department page.

    projects=False (search_projects = false) keeps project pages out of the department globs: Pagefind
    would otherwise still read and parse every one of them only to find no data-pagefind-body.
    """
    per_bundle = per_bundle or BUNDLE_DEPT_YEARS
    pages = "**/*.html" if projects else "{*.html,*/*.html}"
    if len(site.dept_years) <= per_bundle:
        return [Bundle(PRIMARY_BUNDLE, None)]  # small: Pagefind skips pages without a body cheaply
    groups: list[list[str]] = [[]]
    count = 0
    for department in site.departments.values():
        if count + len(department.years) > per_bundle and groups[-1]:
            groups.append([])
            count = 0
        groups[-1].append(department.slug)
        count += len(department.years)
    # Every page outside the department folders: home, the departments listing, and below each top folder.
    top = ["index.html", Urls.departments + "index.html"]
    top += [folder + "**/*.html" for folder in (Urls.years, Urls.codes("function"), Urls.codes("economic"))]
    top += [folder + "*.html" for folder in (Urls.three_public, Urls.glossary, Urls.data)]
    top += [Urls.page(page.name) + "*.html" for page in site.pages]
    bundles = [Bundle(PRIMARY_BUNDLE, "{" + ",".join(top) + "}")]
    bundles += [
        Bundle(
            Urls.search_bundle(number),
            Urls.department("{" + ",".join(slugs) + "}") + pages,
            frozenset(slugs),
        )
        for number, slugs in enumerate(groups, start=1)
    ]
    return bundles


def bundle_finder(bundles: list[Bundle]) -> Callable[[str], int]:
    """bundle_of(page path): the index of the bundle covering it (0, the primary one, for no department)."""
    of_slug = {slug: i for i, b in enumerate(bundles) for slug in b.departments}

    def bundle_of(page_path: str) -> int:
        slug = Urls.department_of(page_path)
        return 0 if slug is None else of_slug.get(slug, 0)

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


class SearchIndexer:
    """Runs Pagefind over each bundle once all of its pages are written, up to one run per core at a time.

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
        # While pages are still rendering (a worker per core), one Pagefind run at a time keeps the build
        # under 1 GB; `all_pages_written` opens a slot per core.
        self._slots = threading.Semaphore(1)
        self._all_written = False
        self.bundle_of = bundle_finder(bundles)
        self._unwritten = Counter(self.bundle_of(path) for path in page_paths)
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
            self._futures[index] = self._pool.submit(self._run, self.bundles[index])

    def pages_written(self, page_paths: Iterable[str]) -> None:
        """Note pages as written; a bundle whose last page this was starts indexing now."""
        for path in page_paths:
            index = self.bundle_of(path)
            self._unwritten[index] -= 1
            if self._unwritten[index] == 0:
                self._start(index)

    def all_pages_written(self) -> None:
        """Every page is written (reported or not): start the bundles left, a run per core from now on."""
        if not self._all_written:
            self._all_written = True
            for _ in range((os.cpu_count() or 1) - 1):
                self._slots.release()
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
        self._pool.shutdown(wait=True, cancel_futures=True)

    def _run(self, bundle: Bundle) -> int:
        with self._slots:
            return self._run_pagefind(bundle)

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
