"""Time serve's incremental rebuild after a one-page edit (not run by pytest).

    python tests/benchmarks/bench_rebuild.py            # the shipped content/ and a synthetic N = 1000 site
    python tests/benchmarks/bench_rebuild.py --count 200 --skip-shipped

For each site: one full build into a preview folder (what `budgetsite serve` does at start), then
REPEAT times: append a paragraph to one department-year's index.md and time `PreviewBuilder.rebuild`
(exactly the function serve's watcher calls), plus one change-detection scan of the watcher over the
whole tree (livereload polls every 0.8 s; a save is seen after at most one poll). The synthetic tree
comes from tests/benchmarks/bench_build.py's generator.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

from bench_build import generate
from livereload.watcher import Watcher

from budgetsite.config import load_config
from budgetsite.preview import PreviewBuilder
from budgetsite.serve import watched_paths

REPO = Path(__file__).resolve().parents[2]


def measure(label: str, site: Path, content: Path, repeat: int) -> None:
    """Full build, then `repeat` single-page edits; print the timings."""
    config = load_config(site, content=content)
    builder = PreviewBuilder(config, site / ".budgetsite-cache" / "preview", {"content": content})
    started = time.perf_counter()
    summary = builder.full_build()
    full = time.perf_counter() - started
    folders = sorted(p.parent for p in content.glob("*/*/data.json"))
    folder = folders[len(folders) // 2]
    index_md = folder / "index.md"
    timings, pages = [], []
    for number in range(repeat):
        with index_md.open("a", encoding="utf-8") as handle:
            handle.write(f"\n基准测试第 {number + 1} 次修改：追加一段文字。\n")
        started = time.perf_counter()
        line = builder.rebuild([index_md])
        timings.append(time.perf_counter() - started)
        pages.append(int(line.split()[1]))
        page = builder.preview_dir / "departments" / folder.parent.name / folder.name / "index.html"
        assert f"基准测试第 {number + 1} 次修改" in page.read_text(encoding="utf-8"), "edit not rendered"
    watcher = Watcher()
    for pattern in watched_paths(builder.config):
        watcher.watch(pattern, lambda changed=None: None)
    watcher.examine()  # first scan records every file
    started = time.perf_counter()
    watcher.examine()
    scan = time.perf_counter() - started
    print(
        f"{label}: {len(folders)} department-years; start-up full build {full:.1f} s ({summary}); "
        f"single-page edit rebuild: median {statistics.median(timings):.3f} s, max {max(timings):.3f} s "
        f"({pages[-1]} pages re-rendered, n={repeat}); watcher scan {scan:.3f} s"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=1000, help="department-years of the synthetic site")
    parser.add_argument("--repeat", type=int, default=5, help="edits to time per site")
    parser.add_argument("--skip-shipped", action="store_true", help="only the synthetic site")
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="budgetsite-bench-rebuild-"))
    try:
        if not args.skip_shipped:
            shutil.copytree(REPO / "content", work / "shipped" / "content")
            measure("shipped content/", work / "shipped", work / "shipped" / "content", args.repeat)
        (work / "synthetic").mkdir()
        generate(work / "synthetic" / "content", args.count)
        measure(f"synthetic N={args.count}", work / "synthetic", work / "synthetic" / "content", args.repeat)
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
