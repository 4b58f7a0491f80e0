"""Time serve's incremental rebuild after a one-page edit (not run by pytest).

    python tests/benchmarks/bench_rebuild.py            # the shipped content/ and a synthetic N = 1000 site
    python tests/benchmarks/bench_rebuild.py --count 200 --skip-shipped

For each site: one full build into a preview folder (what `budgetsite serve` does at start), then
REPEAT edits of each kind to one department-year (append a paragraph to index.md; change a table title
in data.json; add 1 to a code figure in data.json; change the front-matter title), timing `PreviewBuilder.rebuild` (exactly the function
serve's watcher calls), plus one change-detection poll of the watcher over the whole tree (livereload
polls every 0.8 s; a save is seen after at most one poll). The synthetic tree
comes from tests/benchmarks/bench_build.py's generator.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import sys
import tempfile
import time
from decimal import Decimal
from pathlib import Path

import simplejson
from bench_build import generate
from livereload.watcher import Watcher

from budgetsite.config import load_config
from budgetsite.model import load_json_text
from budgetsite.serve.preview import PreviewBuilder
from budgetsite.serve.server import watched_paths

REPO = Path(__file__).resolve().parents[2]


def _append_paragraph(folder: Path, number: int) -> tuple[Path, str]:
    text = f"基准测试第 {number} 次修改：追加一段文字。"
    with (folder / "index.md").open("a", encoding="utf-8") as handle:
        handle.write(f"\n{text}\n")
    return folder / "index.md", text


def _edit_table_title(folder: Path, number: int) -> tuple[Path, str]:
    # A data.json edit: the first table's title. Its code pages and the site-wide lists re-render.
    data = load_json_text((folder / "data.json").read_text(encoding="utf-8"))
    data["tables"][0]["title"] = f"{data['tables'][0]['title'].split('（')[0]}（第{number}次修订）"
    text = simplejson.dumps(data, use_decimal=True, ensure_ascii=False, indent=1) + "\n"
    (folder / "data.json").write_text(text, encoding="utf-8")
    return folder / "data.json", f"第{number}次修订"


def _edit_figure(folder: Path, number: int) -> tuple[Path, str]:
    # A data.json figure: the first 功能分类 code fact and the cell it was read from (a hand correction).
    data = load_json_text((folder / "data.json").read_text(encoding="utf-8"))
    fact = next(f for f in data["facts"] if f["name"].startswith("function:"))
    source = fact["source"]
    table = data["tables"][source["table_index"]]
    column = next(i for i, c in enumerate(table["columns"]) if c["label"] == source["column"])
    row = table["rows"][source["row_index"]]
    row[column] = Decimal(row[column]) + 1
    fact["value_wan"] = fact["printed"] = str(row[column])
    text = simplejson.dumps(data, use_decimal=True, ensure_ascii=False, indent=1) + "\n"
    (folder / "data.json").write_text(text, encoding="utf-8")
    return folder / "data.json", str(row[column])


def _edit_front_matter_title(folder: Path, number: int) -> tuple[Path, str]:
    # The title shows on the neighbouring pages too: every same-year dept-year page re-renders.
    path = folder / "index.md"
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    index = next(i for i, line in enumerate(lines) if line.startswith("title:"))
    title = f"部门预算（基准第{number}版）"
    lines[index] = f"title: {title}\n"
    path.write_text("".join(lines), encoding="utf-8")
    return path, title


EDITS = {
    "index.md paragraph": _append_paragraph,
    "data.json table title": _edit_table_title,
    "data.json figure": _edit_figure,
    "index.md front-matter title": _edit_front_matter_title,
}


def measure(label: str, site: Path, content: Path, repeat: int) -> None:
    """Full build, then `repeat` edits of each kind; print the timings."""
    config = load_config(site, content=content)
    builder = PreviewBuilder(config, site / ".budgetsite-cache" / "preview", {"content": content})
    started = time.perf_counter()
    summary = builder.full_build()
    print(f"{label}: start-up full build {time.perf_counter() - started:.1f} s ({summary})", flush=True)
    folders = sorted(p.parent for p in content.glob("*/*/data.json"))
    folder = folders[len(folders) // 2]
    page = builder.preview_dir / "departments" / folder.parent.name / folder.name / "index.html"
    for kind, edit in EDITS.items():
        timings, pages = [], []
        for number in range(1, repeat + 1):
            changed, expected = edit(folder, number)
            started = time.perf_counter()
            line = builder.rebuild([changed])
            timings.append(time.perf_counter() - started)
            pages.append(int(line.split()[1]))
            assert expected in page.read_text(encoding="utf-8"), f"{kind}: edit not rendered"
        print(
            f"{label}: {len(folders)} department-years, edit {kind}: rebuild median "
            f"{statistics.median(timings):.3f} s, max {max(timings):.3f} s ({pages[-1]} pages, n={repeat})",
            flush=True,
        )
    watcher = Watcher()
    for pattern in watched_paths(builder.config):
        watcher.watch(pattern, lambda changed=None: None)
    watcher.examine()  # the first scan records every file
    started = time.perf_counter()
    watcher.examine()
    print(f"{label}: one watcher poll over the tree {time.perf_counter() - started:.3f} s", flush=True)


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
