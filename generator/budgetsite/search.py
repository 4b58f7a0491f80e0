"""Full-text search: index the written site with Pagefind's extended build (it segments Chinese words)."""

from __future__ import annotations

import logging
import re
import subprocess
import sys
from pathlib import Path

from budgetsite.errors import BudgetsiteError

log = logging.getLogger(__name__)


class SearchIndexError(BudgetsiteError):
    """Pagefind could not build the search index."""


def build_search_index(site_dir: Path) -> int:
    """Run Pagefind over `site_dir` (pages marked data-pagefind-body); returns the number of pages indexed."""
    command = [sys.executable, "-m", "pagefind", "--site", str(site_dir)]
    try:
        result = subprocess.run(command, capture_output=True, text=True, check=False, timeout=900)
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
    pages = int(match.group(1)) if match else 0
    log.debug("pagefind: %s", output.strip().replace("\n", " | "))
    return pages


def count_files(folder: Path) -> int:
    """Number of files Pagefind wrote (for the build summary)."""
    return sum(1 for p in folder.rglob("*") if p.is_file())
