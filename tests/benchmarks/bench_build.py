"""Benchmark `budgetsite build` on a synthetic content tree of N department-years (not run by pytest).

    python tests/benchmarks/bench_build.py 1000          # N = 1000 (default)
    python tests/benchmarks/bench_build.py 200 --keep    # keep the generated tree and site in /tmp
    python tests/benchmarks/bench_build.py --reuse /tmp/budgetsite-bench-XXXX   # build a kept tree again
    python tests/benchmarks/bench_build.py 1000 --incremental   # cold, no-change, one-disclosure rebuilds

The tree is generated from the shipped samples (content/*/*/): department names, slugs, regions, years
and every figure are varied (figures scaled by a per-department factor, keeping their printed decimals),
then written with ingest's own writers (content.render_index_md / render_data_json). The build runs in a
child process: `budgetsite build -q`, search index included; wall time, CPU (user+sys of the build and all
its children), per-stage wall/CPU, peak RSS (largest single process) and the peak of the summed PSS of all
build processes at once (workers and Pagefind runs side by side) are reported.

--incremental times three builds of one tree: a cold one (no build cache, no output/), a rebuild with
nothing changed, and a rebuild after one figure of one data.json was edited (pages, search bundles and
downloads redone as needed); each with wall time, CPU of all its processes and peak summed PSS.
"""

from __future__ import annotations

import argparse
import copy
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from budgetsite.content.tree import (
    load_disclosure,
    render_data_json,
    render_index_md,
    render_table_csv,
    table_file_names,
)
from budgetsite.model import Disclosure
from budgetsite.recognize.metadata import PREFECTURE_PROVINCE

REPO = Path(__file__).resolve().parents[2]
# The Hebei prefectures the recognizer already knows (region lookup), so synthetic names stay realistic.
CITIES = list(PREFECTURE_PROVINCE)[:11]
BUREAUS = [
    "工业和信息化局",
    "财政局",
    "教育局",
    "民政局",
    "司法局",
    "商务局",
    "水利局",
    "农业农村局",
    "卫生健康委员会",
    "文化广电和旅游局",
    "审计局",
    "统计局",
    "生态环境局",
    "自然资源和规划局",
    "交通运输局",
    "应急管理局",
]
YEARS_PER_DEPARTMENT = 4


def _scale(value: object, factor: Decimal) -> object:
    if isinstance(value, Decimal):
        exponent = value.as_tuple().exponent
        quantum = Decimal(1).scaleb(exponent if isinstance(exponent, int) else 0)
        return (value * factor).quantize(quantum)
    return value


def _vary(sample: Disclosure, index: int, year: int, factor: Decimal) -> Disclosure:
    disclosure = copy.deepcopy(sample)
    city, bureau = CITIES[index % len(CITIES)], BUREAUS[(index // len(CITIES)) % len(BUREAUS)]
    name = f"{city}{bureau}" + (
        f"（第{index // (len(CITIES) * len(BUREAUS)) + 1}组）" if index >= 176 else ""
    )
    old_name = disclosure.department
    disclosure.department = name
    disclosure.slug = f"dept-{index:05d}"
    disclosure.region = ["河北省", city]
    disclosure.year = year
    disclosure.title = disclosure.title.replace(old_name, name).replace(str(sample.year), str(year))
    for section in disclosure.sections:
        section.title = section.title.replace(old_name, name)
        section.markdown = section.markdown.replace(old_name, name).replace(str(sample.year), str(year))
    for table in disclosure.tables:
        table.rows = [[_scale(cell, factor) for cell in row] for row in table.rows]
    for project in disclosure.projects:
        project.budget = _scale(project.budget, factor)  # type: ignore[assignment]
    return disclosure


def generate(content: Path, count: int) -> None:
    """Write `count` department-years derived from the shipped samples into `content`."""
    samples = [
        load_disclosure(folder)
        for folder in sorted(REPO.glob("content/*/*/"))
        if (folder / "data.json").is_file()
    ]
    if not samples:
        sys.exit("no samples in content/: run budgetsite ingest first")
    for number in range(count):
        department, offset = divmod(number, YEARS_PER_DEPARTMENT)
        sample = samples[number % len(samples)]
        factor = Decimal(100 + department % 97) / Decimal(100) + Decimal(offset) / Decimal(50)
        disclosure = _vary(sample, department, 2021 + offset, factor)
        folder = content / disclosure.slug / str(disclosure.year)
        (folder / "tables").mkdir(parents=True)
        index_md = render_index_md(disclosure)
        (folder / "index.md").write_text(index_md, encoding="utf-8")
        (folder / "data.json").write_text(render_data_json(disclosure, index_md), encoding="utf-8")
        for table, name in zip(disclosure.tables, table_file_names(disclosure.tables), strict=True):
            (folder / name).write_bytes(render_table_csv(table))
        (folder / disclosure.source.file).write_text(f"synthetic source {number}\n", encoding="utf-8")
    pages = content / "pages"
    pages.mkdir()
    shutil.copy(REPO / "content" / "pages" / "about.md", pages / "about.md")


class RssSampler(threading.Thread):
    """Sample the summed memory (PSS) of a process and all its descendants (workers, Pagefind) every 0.2 s."""

    def __init__(self, root: int):
        super().__init__(daemon=True)
        self.root = root
        self.peak_kb = 0
        self.peak_parts: list[tuple[str, int]] = []
        self.stop = False

    def _tree(self) -> list[int]:
        parents: dict[int, int] = {}
        for status in Path("/proc").glob("[0-9]*/stat"):
            try:
                fields = status.read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            parents[int(status.parent.name)] = int(fields[1])
        tree, frontier = [self.root], [self.root]
        while frontier:
            frontier = [pid for pid, parent in parents.items() if parent in frontier]
            tree += frontier
        return tree

    def run(self) -> None:
        while not self.stop:
            parts: list[tuple[str, int]] = []
            for pid in self._tree():
                # Pss, not Rss: forked render workers share the parent's pages, Rss would count them twice.
                try:
                    name = Path(f"/proc/{pid}/comm").read_text().strip()
                    for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
                        if line.startswith("Pss:"):
                            parts.append((name, int(line.split()[1])))
                except OSError:
                    continue
            total = sum(kb for _, kb in parts)
            if total > self.peak_kb:
                self.peak_kb = total
                self.peak_parts = sorted(parts, key=lambda part: -part[1])
            time.sleep(0.2)

    def peak_made_of(self) -> str:
        """The processes at the peak, largest first: 'python 318, pagefind_extended 190, …' (MB)."""
        return ", ".join(f"{name} {kb // 1024}" for name, kb in self.peak_parts if kb >= 1024)


def edit_one_figure(folder: Path, fact: str = "三公经费合计") -> str:
    """Change the last digit of one fact's value in `folder`/data.json (a person correcting a figure: the
    三公 total shows on its page, its department's, the year's and the site-wide 三公 page); returns it."""
    data = folder / "data.json"
    text = data.read_text(encoding="utf-8")
    start = text.index(f'"name": "{fact}"')
    for key in ("printed", "value_wan"):
        head, _, rest = text[start:].partition(f'"{key}": "')
        value, _, tail = rest.partition('"')
        changed = value[:-1] + str((int(value[-1]) + 1) % 10)
        text = text[:start] + f'{head}"{key}": "{changed}"{tail}'
    data.write_text(text, encoding="utf-8")
    return changed


@dataclass
class Run:
    seconds: float
    cpu: float  # user + sys of the build and every process it started
    peak_pss_kb: int  # summed over all its processes at once, sampled
    peak_made_of: str
    stderr: str

    def __str__(self) -> str:
        return (
            f"{self.seconds:.1f} s wall, CPU {self.cpu:.1f} s, peak total PSS {self.peak_pss_kb / 1024:.0f} MB "
            f"({self.peak_made_of})"
        )


def run_build(work: Path, *options: str) -> Run:
    """`budgetsite build -q -v` of the tree in `work` in a child process, measured."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    command = [sys.executable, "-m", "budgetsite", "build", "-q", "-v", *options]
    command += ["--content", str(work / "content"), "--output", str(work / "output")]
    with subprocess.Popen(
        command, cwd=work, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    ) as process:
        sampler = RssSampler(process.pid)
        sampler.start()
        _, stderr = process.communicate()
        sampler.stop = True
        sampler.join()
    seconds = time.perf_counter() - started
    if process.returncode != 0:
        sys.exit(f"build failed: {stderr.strip()}")
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime + after.ru_stime) - (before.ru_utime + before.ru_stime)
    return Run(seconds, cpu, sampler.peak_kb, sampler.peak_made_of(), stderr)


def incremental(work: Path) -> None:
    """Cold build, no-change rebuild, one-disclosure rebuild of the tree in `work`."""
    shutil.rmtree(work / ".budgetsite-cache", ignore_errors=True)
    cold = run_build(work)
    same = run_build(work)
    data_files = sorted((work / "content").glob("*/*/data.json"))
    edit_one_figure(data_files[len(data_files) // 2].parent)
    one = run_build(work)
    count = len(data_files)
    for name, run in (("cold build", cold), ("no-change rebuild", same), ("one data.json figure", one)):
        print(f"N={count} {name}: {run}")
        for line in run.stderr.splitlines():
            if line.startswith(("rendered ", "plan:", "search:", "downloads:")):
                print(f"    {line}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("count", type=int, nargs="?", default=1000, help="department-years to generate")
    parser.add_argument("--keep", action="store_true", help="keep the generated tree and built site")
    parser.add_argument(
        "--no-search-projects",
        action="store_true",
        help="build with search_projects = false (project pages left out of the search index)",
    )
    parser.add_argument(
        "--incremental",
        action="store_true",
        help="time a cold build, a rebuild with nothing changed and one after a data.json edit",
    )
    parser.add_argument(
        "--reuse",
        type=Path,
        metavar="DIR",
        help="build the tree a --keep run left in DIR again instead of generating one (count is ignored)",
    )
    args = parser.parse_args()
    work = args.reuse or Path(tempfile.mkdtemp(prefix="budgetsite-bench-"))
    try:
        # A fresh build: replacing an old output/ would add the time it takes to delete it. It is deleted
        # after the build: ext4 skips inodes freed in the last ~30 s when it allocates new ones, so tens of
        # thousands of files deleted just before would slow the build's own file creation several-fold.
        stale = work / f"output.old-{os.getpid()}"
        if (work / "output").exists():
            (work / "output").rename(stale)
        if args.reuse is None:
            started = time.perf_counter()
            generate(work / "content", args.count)
            print(
                f"generated {args.count} department-years in {time.perf_counter() - started:.1f} s ({work})"
            )
        if args.incremental:
            incremental(work)
            return
        if args.no_search_projects:
            (work / "budgetsite.toml").write_text("search_projects = false\n", encoding="utf-8")
        run = run_build(work)
        seconds = run.seconds
        for line in run.stderr.splitlines():  # stage timings (-v), without Pagefind's own log
            if not line.startswith("pagefind "):
                print(line)
        usage = resource.getrusage(resource.RUSAGE_CHILDREN)
        peak_mb = usage.ru_maxrss / 1024
        cpu = usage.ru_utime + usage.ru_stime
        pages = sum(1 for _ in (work / "output").rglob("*.html")) - sum(
            1 for _ in (work / "output" / "pagefind").rglob("*.html")
        )
        files = sum(1 for p in (work / "output").rglob("*") if p.is_file())
        print(
            f"N={len(list((work / 'content').glob('*/*/data.json')))}: {pages} pages, {files} files in {seconds:.1f} s "
            f"= {pages / seconds:.0f} pages/s; peak RSS {peak_mb:.0f} MB (largest of build and Pagefind); "
            f"CPU {cpu:.0f} s (user {usage.ru_utime:.0f} + sys {usage.ru_stime:.0f} of build + Pagefind; "
            f"{os.cpu_count()} cores); "
            f"peak total PSS {run.peak_pss_kb / 1024:.0f} MB (all build processes at once, sampled)"
        )
        print(f"peak PSS made of (MB): {run.peak_made_of}")
        shutil.rmtree(stale, ignore_errors=True)
    finally:
        if not args.keep and args.reuse is None:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
