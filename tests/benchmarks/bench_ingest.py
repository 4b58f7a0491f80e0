"""Ingest of many real-PDF copies: serially, with `--workers 2`, and on a two-worker Dask LocalCluster.

Not collected by pytest. Run from the repository root:

    python tests/benchmarks/bench_ingest.py [COUNT]      # default 100 copies

The copies are of one real 24-page PDF (上海市普陀区财政局 2025, tests/fixtures/corpus/). Copies of one
disclosure would be one department-year (identical bytes are read once, different bytes refuse as two
versions), so each copy names another department: the PDF's text-to-Unicode map (ToUnicode) of the
glyph 陀 points at another character, and 上海市普陀区财政局 becomes 上海市普甲区财政局, 上海市普乙区… — the same
pages, fonts, tables and reading work, a different department with a slug of its own. Each of the three
runs writes its own content tree; the script checks that every copy became a department-year folder,
that the three trees are identical file for file, and prints wall time, CPU time of every process
involved (the ingest process, its readers, and the cluster's workers) and the speed-up over serial.
The LocalCluster is started before its run (its start-up time is printed apart); its workers import
budgetsite on their first task, inside the timed run, as a real cluster's would.
"""

from __future__ import annotations

import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import psutil
import pypdf
from distributed import Client, LocalCluster
from pypinyin import lazy_pinyin

ROOT = Path(__file__).resolve().parents[2]
SOURCE = ROOT / "tests" / "fixtures" / "corpus" / "sh-putuo-caizhengju-2025-dept-budget.pdf"
GLYPH = "陀"  # only in 普陀 (the department's district) in this PDF


def replacements(count: int) -> list[str]:
    """`count` characters to stand in for 陀, each with its own pinyin (so each copy has its own slug)."""
    chosen: list[str] = []
    sounds: set[str] = set()
    for code in range(0x4E00, 0x9FA6):
        char = chr(code)
        sound = lazy_pinyin(char)[0]
        if sound in sounds or not sound.isascii() or char in "省市区县旗州盟镇乡街道":
            continue
        sounds.add(sound)
        chosen.append(char)
        if len(chosen) == count:
            return chosen
    raise SystemExit(f"only {len(chosen)} characters with distinct pinyin; ask for fewer copies")


def make_copies(folder: Path, count: int) -> list[Path]:
    """`count` copies of SOURCE, copy i with 陀 read as the i-th replacement character."""
    old = f"<{ord(GLYPH):04X}>".encode()
    copies = []
    for index, char in enumerate(replacements(count)):
        writer = pypdf.PdfWriter(clone_from=SOURCE)
        changed = 0
        for page in writer.pages:
            fonts = page["/Resources"].get_object().get("/Font")
            for font in fonts.get_object().values() if fonts else []:
                to_unicode = font.get_object()["/ToUnicode"].get_object()
                data = to_unicode.get_data()
                if old in data:
                    to_unicode.set_data(data.replace(old, f"<{ord(char):04X}>".encode()))
                    changed += 1
        if not changed:
            raise SystemExit(f"{SOURCE.name} no longer maps {GLYPH}: pick another glyph")
        path = folder / f"copy-{index:03d}.pdf"
        writer.write(path)
        copies.append(path)
    return copies


def cpu_of(processes: list[psutil.Process]) -> float:
    """User + system CPU seconds of these processes and their waited-for children."""
    total = 0.0
    for process in processes:
        with process.oneshot():
            times = process.cpu_times()
        total += times.user + times.system + times.children_user + times.children_system
    return total


def ingest(
    copies: list[Path], content: Path, *options: str, cluster: list[psutil.Process]
) -> tuple[float, float]:
    """Run `budgetsite ingest` as a user would; (wall seconds, CPU seconds of every process involved)."""
    before_children = resource.getrusage(resource.RUSAGE_CHILDREN)
    before_cluster = cpu_of(cluster)
    started = time.perf_counter()
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "budgetsite",
            "ingest",
            "-q",
            "--content",
            str(content),
            *options,
            *map(str, copies),
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    wall = time.perf_counter() - started
    after_children = resource.getrusage(resource.RUSAGE_CHILDREN)
    if result.returncode != 0:
        raise SystemExit(f"ingest {' '.join(options)} failed:\n{result.stderr}")
    cpu = (after_children.ru_utime - before_children.ru_utime) + (
        after_children.ru_stime - before_children.ru_stime
    )
    return wall, cpu + cpu_of(cluster) - before_cluster


def tree(content: Path) -> dict[str, bytes]:
    return {str(p.relative_to(content)): p.read_bytes() for p in sorted(content.rglob("*")) if p.is_file()}


def main(count: int) -> None:
    with tempfile.TemporaryDirectory(prefix="bench-ingest-") as scratch:
        folder = Path(scratch)
        (folder / "sources").mkdir()
        copies = make_copies(folder / "sources", count)
        print(f"{count} copies of {SOURCE.name} (24 pages each), {os.cpu_count()} cores on this machine")
        runs: dict[str, tuple[float, float]] = {}
        runs["serial"] = ingest(copies, folder / "serial", cluster=[])
        runs["--workers 2"] = ingest(copies, folder / "workers", "--workers", "2", cluster=[])
        started = time.perf_counter()
        with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=":0") as local:
            print(f"LocalCluster of 2 workers started in {time.perf_counter() - started:.1f} s (not counted)")
            with Client(local) as client:
                workers = [psutil.Process(pid) for pid in client.run(os.getpid).values()]
            runs["Dask LocalCluster, 2 workers"] = ingest(
                copies, folder / "dask", "--scheduler", local.scheduler_address, cluster=workers
            )
        trees = {
            name: tree(folder / sub) for name, sub in zip(runs, ("serial", "workers", "dask"), strict=True)
        }
        serial = trees["serial"]
        folders = {name.split("/")[0] for name in serial}
        if len(folders) != count:
            raise SystemExit(f"{len(folders)} department folders for {count} copies: copies collided")
        for name, other in trees.items():
            if other != serial:
                raise SystemExit(f"{name}: content tree differs from the serial run")
        print(f"all {count} copies ingested ({len(serial)} files); the three trees are identical")
        serial_wall = runs["serial"][0]
        for name, (wall, cpu) in runs.items():
            print(
                f"{name:<30} wall {wall:7.1f} s  CPU {cpu:7.1f} s  "
                f"{count / wall:5.2f} files/s  speed-up {serial_wall / wall:4.2f}×"
            )


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 100)
