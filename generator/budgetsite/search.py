"""Full-text search: index the written site with Pagefind's extended build (it segments Chinese words).

Large sites are indexed in bundles (groups of departments, each its own Pagefind index) run side by side:
one Pagefind process over 1,000 department-years needs more than 2 GB of memory and a single core, while
bundles of ~50 department-years stay near 200 MB each (two of them beside the ~340 MB build process keep a
1,000 department-year build under 1 GB) and use every core. The search page merges the bundles
(`pagefind.mergeIndex`).
"""

from __future__ import annotations

import logging
import os
import re
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from budgetsite.errors import BudgetsiteError
from budgetsite.site import Site

log = logging.getLogger(__name__)

# Department-years per search bundle; a site this small or smaller gets one index.
BUNDLE_DEPT_YEARS = 50
PRIMARY_BUNDLE = "pagefind"


class SearchIndexError(BudgetsiteError):
    """Pagefind could not build the search index."""


@dataclass(frozen=True)
class Bundle:
    """One Pagefind index: the folder it is written to and the glob of pages it covers (None = all)."""

    folder: str
    glob: str | None


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
    top = [
        "index.html",
        "departments/index.html",
        "years/**/*.html",
        "functions/**/*.html",
        "economic/**/*.html",
        "three-public-expenses/*.html",
        "glossary/*.html",
        "data/*.html",
    ]
    top += [f"{page.name}/*.html" for page in site.pages]
    bundles = [Bundle(PRIMARY_BUNDLE, "{" + ",".join(top) + "}")]
    bundles += [
        Bundle(f"{PRIMARY_BUNDLE}-{number}", "departments/{" + ",".join(slugs) + "}/" + pages)
        for number, slugs in enumerate(groups, start=1)
    ]
    return bundles


def _run_pagefind(site_dir: Path, bundle: Bundle) -> int:
    command = [sys.executable, "-m", "pagefind", "--site", str(site_dir), "--output-subdir", bundle.folder]
    if bundle.glob is not None:
        command += ["--glob", bundle.glob]
    try:
        result = subprocess.run(command, capture_output=True, text=True, check=False, timeout=1800)
    except (OSError, subprocess.TimeoutExpired) as error:
        raise SearchIndexError(
            f"cannot run pagefind ({error})", hint='pip install "pagefind[extended]"'
        ) from None
    output = result.stdout + result.stderr
    if result.returncode != 0:
        last = next((line for line in reversed(output.splitlines()) if line.strip()), "no output")
        raise SearchIndexError(
            f"pagefind failed: {last}", path=site_dir, hint='pip install "pagefind[extended]"'
        )
    # Only the extended binary segments Chinese; the plain one indexes whole runs of characters as one
    # word, so searching 公务接待 would miss pages that print 公务接待费.
    if "(Extended)" not in output:
        raise SearchIndexError(
            "pagefind is not the extended build, Chinese search would not work",
            hint='pip install "pagefind[extended]"',
        )
    match = re.search(r"Indexed (\d+) page", output)
    log.debug("pagefind %s: %s", bundle.folder, output.strip().replace("\n", " | "))
    return int(match.group(1)) if match else 0


def build_search_index(site_dir: Path, bundles: list[Bundle] | None = None) -> int:
    """Run Pagefind over `site_dir` (pages marked data-pagefind-body); returns the number of pages indexed."""
    bundles = bundles or [Bundle(PRIMARY_BUNDLE, None)]
    if len(bundles) == 1:
        return _run_pagefind(site_dir, bundles[0])
    with ThreadPoolExecutor(max_workers=os.cpu_count() or 1) as pool:
        return sum(pool.map(lambda bundle: _run_pagefind(site_dir, bundle), bundles))
