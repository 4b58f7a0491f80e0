"""What keeps a large build's peak memory down: Pagefind never runs beside the render workers (but does beside
the site-wide pages rendered after them), runs go side by side only while their estimated memory fits, and
the downloads read each data.json once."""

from __future__ import annotations

import os
import threading
import time
from collections import Counter
from pathlib import Path

from budgetsite.config import load_config
from budgetsite.site import build as build_module
from budgetsite.site import load, search
from budgetsite.site.build import build
from budgetsite.site.urls import Urls

FIXTURE = Path(__file__).resolve().parents[1] / "fixtures" / "site_content"


def _forked_children() -> list[int]:
    """Children of this process running its own program: the forked render workers (not Pagefind)."""
    own = Path("/proc/self/cmdline").read_bytes()
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            parent = int(stat.read_text().rsplit(")", 1)[1].split()[1])
            command = (stat.parent / "cmdline").read_bytes()
        except OSError:
            continue
        if parent == os.getpid() and command == own:
            found.append(int(stat.parent.name))
    return found


def _record_runs(monkeypatch, seconds: float = 0.0) -> list[tuple[str, list[int], int]]:
    """(bundle folder, render workers alive, Pagefind runs going on) at the start of each Pagefind run."""
    runs: list[tuple[str, list[int], int]] = []
    going = [0]
    lock = threading.Lock()
    real = search.SearchIndexer._run_pagefind

    def run_pagefind(self, bundle):
        with lock:
            going[0] += 1
            runs.append((bundle.folder, _forked_children(), going[0]))
        try:
            time.sleep(seconds)  # a slower Pagefind, so that runs allowed side by side do overlap
            return real(self, bundle)
        finally:
            with lock:
                going[0] -= 1

    monkeypatch.setattr(search.SearchIndexer, "_run_pagefind", run_pagefind)
    return runs


def test_pagefind_never_runs_while_render_workers_are_alive(tmp_path, monkeypatch):
    monkeypatch.setattr(build_module, "PARALLEL_MIN_PAGES", 1)  # the fixture's pages in a worker pool
    monkeypatch.setattr(build_module, "_CHUNK", 3)  # many chunks: bundles complete while workers run
    runs = _record_runs(monkeypatch)
    config = load_config(tmp_path, content=str(FIXTURE))
    build(config, quiet=True)
    assert len(runs) == 5  # the primary bundle and one per department-year, all indexed
    assert [(folder, workers) for folder, workers, _ in runs if workers] == []


def test_department_bundles_are_indexed_while_the_site_wide_pages_render(tmp_path, monkeypatch):
    monkeypatch.setattr(build_module, "PARALLEL_MIN_PAGES", 1)  # the fixture's pages in a worker pool
    events: list[str] = []
    run_started = threading.Event()
    real_run, real_write = search.SearchIndexer._run_pagefind, build_module.SiteRenderer.write

    def run_pagefind(self, bundle):
        events.append(f"run {bundle.folder}")
        run_started.set()
        return real_run(self, bundle)

    def write(self, spec, out_dir):
        if Urls.department_of(spec.path) is None:  # a site-wide page: rendered by the build process
            if not events:
                run_started.wait(timeout=10)  # a department bundle's run may start meanwhile
            events.append("site-wide page")
        return real_write(self, spec, out_dir)

    monkeypatch.setattr(search.SearchIndexer, "_run_pagefind", run_pagefind)
    monkeypatch.setattr(build_module.SiteRenderer, "write", write)
    build(load_config(tmp_path, content=str(FIXTURE)), quiet=True)
    runs = [index for index, event in enumerate(events) if event.startswith("run ")]
    assert len(runs) == 5 and events[0] != "site-wide page"  # a department bundle, before any of them
    last_site_wide = max(index for index, event in enumerate(events) if event == "site-wide page")
    assert events.index(f"run {search.PRIMARY_BUNDLE}") > last_site_wide  # their bundle: once all written


def test_pagefind_runs_side_by_side_only_while_their_memory_fits(tmp_path, monkeypatch):
    # Any bundle of the fixture (1 to 33 pages) estimated above the budget: one run at a time.
    monkeypatch.setattr(search, "PAGEFIND_MB_PER_PAGE", 1e6, raising=False)
    runs = _record_runs(monkeypatch, seconds=0.3)
    build(load_config(tmp_path / "large", content=str(FIXTURE)), quiet=True)
    assert len(runs) == 5 and max(going for _, _, going in runs) == 1

    # Estimated small: a run per core at once (this machine has two or more, as _can_fork requires).
    monkeypatch.setattr(search, "PAGEFIND_MB_PER_PAGE", 0.001, raising=False)
    runs.clear()
    build(load_config(tmp_path / "small", content=str(FIXTURE)), quiet=True)
    assert len(runs) == 5 and max(going for _, _, going in runs) == min(os.cpu_count() or 1, 5) > 1


def test_the_downloads_read_each_data_json_once(tmp_path, monkeypatch):
    # One disclosure's parts in memory at a time: a second reading would show as a second load.
    monkeypatch.setattr(load, "RESIDENT_DISCLOSURES", 1)
    reads: Counter[str] = Counter()
    in_downloads = [False]
    real_load, real_downloads = load.load_disclosure, build_module._write_downloads

    def load_disclosure(folder, *args, **kwargs):
        if in_downloads[0]:
            reads[Path(folder).relative_to(FIXTURE).as_posix()] += 1
        return real_load(folder, *args, **kwargs)

    def write_downloads(*args, **kwargs):
        load.drop_stored_parts()  # what rendering read last is not counted as read by the downloads
        in_downloads[0] = True
        try:
            return real_downloads(*args, **kwargs)
        finally:
            in_downloads[0] = False

    monkeypatch.setattr(load, "load_disclosure", load_disclosure)
    monkeypatch.setattr(build_module, "_write_downloads", write_downloads)
    config = load_config(tmp_path, content=str(FIXTURE))
    build(config, quiet=True)
    folders = sorted(p.parent.relative_to(FIXTURE).as_posix() for p in FIXTURE.glob("*/*/data.json"))
    assert reads == Counter(folders)  # every department-year's rows and own files, from one reading
    assert all((config.output / "departments" / folder / "data.json").is_file() for folder in folders)
