"""Benchmark `budgetsite check` on N department-years of real disclosures (not run by pytest).

    python tests/benchmarks/bench_check.py          # N = 100 (default)
    python tests/benchmarks/bench_check.py 300

The three Hebei samples and the five real PDFs of tests/fixtures/real/ (seven department-years) are
ingested once; their folders are copied under new slugs until the tree holds N department-years. Then the
real command runs in a child process, `budgetsite check --content TREE --format json`, which loads every
data.json and re-runs every rule; its wall time is the figure (target: under 5 s for N = 100), with its CPU
time beside it (the machine is shared: under load the wall time grows, the CPU time does not). The CPU
time of the rules alone (run_checks on the loaded disclosures, in this process) is printed too.
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from budgetsite.check import run_checks
from budgetsite.content.ingest import ingest_sources
from budgetsite.content.tree import iter_disclosure_folders, load_disclosure

REPO = Path(__file__).resolve().parents[2]
FIXTURES = REPO / "tests" / "fixtures"
REAL = FIXTURES / "real"


def make_tree(root: Path, count: int) -> Path:
    """A content tree of `count` department-years copied from the ingested real disclosures."""
    seed = root / "seed"
    ingest_sources(sorted((FIXTURES / "samples").glob("*.txt")), content_dir=seed, quiet=True)
    for pdf in sorted(REAL.glob("0[16]*.pdf")) + sorted(REAL.glob("11*.pdf")):
        ingest_sources([pdf], content_dir=seed, quiet=True)
    ingest_sources(sorted(REAL.glob("03*.pdf")), content_dir=seed, quiet=True)
    originals = iter_disclosure_folders(seed)
    tree = root / "content"
    for n in range(count):
        source = originals[n % len(originals)]
        target = tree / f"{source.parent.name}-{n // len(originals)}" / source.name
        shutil.copytree(source, target)
    return tree


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("count", type=int, nargs="?", default=100, help="department-years to check")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="budgetsite-bench-check-") as tmp:
        tree = make_tree(Path(tmp), args.count)
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        started = time.perf_counter()
        result = subprocess.run(
            [sys.executable, "-m", "budgetsite", "check", "--content", str(tree), "--format", "json"],
            capture_output=True,
            check=False,
        )
        wall = time.perf_counter() - started
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
        if result.returncode not in (0, 1):
            sys.exit(result.stderr.decode())
        disclosures = [load_disclosure(folder) for folder in iter_disclosure_folders(tree)]
        started = time.process_time()
        for disclosure in disclosures:
            run_checks(disclosure)
        rules = time.process_time() - started
    load = os.getloadavg()[0]  # the machine is shared: a figure means little without the load beside it
    print(
        f"budgetsite check on {args.count} department-years: {wall:.2f} s wall, {cpu:.2f} s CPU "
        f"(the rules alone: {rules:.2f} s CPU; load average {load:.1f} on {os.cpu_count()} cores)"
    )


if __name__ == "__main__":
    main()
