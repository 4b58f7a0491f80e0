"""PDF ingest speed: budgetsite's PdfReader (and full recognition) against pdfplumber alone, pages/s.

Not collected by pytest. Run from the repository root:

    python tests/benchmarks/bench_pdf.py [PDF ...]      # default: tests/fixtures/real/*.pdf

"pdfplumber" is what pdfplumber itself does over the same pages: `extract_text()` + `extract_tables()`.
"reader" is PdfReader.read (tables, merged cells, continuations, lines, paragraphs, headers/footers);
"ingest" adds recognize() (metadata, tables, sections). Best of three runs each.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable
from pathlib import Path

import pdfplumber

from budgetsite.read.pdf import PdfReader
from budgetsite.recognize import recognize

ROOT = Path(__file__).resolve().parents[2]


def plain_pdfplumber(path: Path) -> None:
    """pdfplumber's own text and table extraction over every page."""
    with pdfplumber.open(path) as pdf:
        for page in pdf.pages:
            page.extract_text()
            page.extract_tables()


def reader(path: Path) -> None:
    PdfReader().read(path)


def ingest(path: Path) -> None:
    # department/year given so that 03b (tables only, no year of its own) is timed too.
    recognize(PdfReader().read(path).blocks, source_name=path.name, department="bench", year=2000)


def best_of(func: Callable[[Path], None], path: Path, runs: int = 3) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        func(path)
        times.append(time.perf_counter() - start)
    return min(times)


def main(paths: list[Path]) -> None:
    """Print seconds and pages/s per file and in total for the three ways of reading."""
    totals = {"pdfplumber": 0.0, "reader": 0.0, "ingest": 0.0}
    pages_total = 0
    print(f"{'file':<58} {'pages':>5} {'pdfplumber':>12} {'reader':>12} {'ingest':>12}")
    for path in paths:
        with pdfplumber.open(path) as pdf:
            pages = len(pdf.pages)
        pages_total += pages
        row = []
        for name, func in (("pdfplumber", plain_pdfplumber), ("reader", reader), ("ingest", ingest)):
            seconds = best_of(func, path)
            totals[name] += seconds
            row.append(f"{pages / seconds:7.1f} p/s")
        print(f"{path.name:<58} {pages:>5} {row[0]:>12} {row[1]:>12} {row[2]:>12}")
    summary = "  ".join(
        f"{name} {pages_total / seconds:.1f} pages/s ({seconds:.2f} s)" for name, seconds in totals.items()
    )
    print(f"total {pages_total} pages: {summary}")
    print(
        f"overhead over pdfplumber: reader {totals['reader'] / totals['pdfplumber'] - 1:+.0%}, "
        f"ingest {totals['ingest'] / totals['pdfplumber'] - 1:+.0%}"
    )


if __name__ == "__main__":
    given = [Path(arg) for arg in sys.argv[1:]]
    main(given or sorted((ROOT / "tests" / "fixtures" / "real").glob("*.pdf")))
