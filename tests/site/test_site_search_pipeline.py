"""The search index is built bundle by bundle while pages render; a failed build leaves no Pagefind behind."""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest

from budgetsite.config import load_config
from budgetsite.errors import ContentError
from budgetsite.site import search
from budgetsite.site.build import SiteRenderer, build, load_site

FIXTURE = Path(__file__).resolve().parents[1] / "fixtures" / "site_content"


def _processes_running(text: str) -> list[str]:
    """Command lines of running processes that contain `text`."""
    found = []
    for pid in filter(str.isdigit, os.listdir("/proc")):
        try:
            command = Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode()
        except OSError:
            continue
        if text in command:
            found.append(command)
    return found


def test_a_bundle_is_indexed_as_soon_as_its_last_page_is_written(tmp_path):
    config = load_config(tmp_path, content=str(FIXTURE))
    renderer = SiteRenderer(load_site(config), config)
    assert len(renderer.bundles) == 5  # the primary one, a year-and-region one per department-year
    out = tmp_path / "out"
    indexer = search.SearchIndexer(out, renderer.bundles, [s.path for s in renderer.plan])
    first = [s for s in renderer.plan if indexer.bundle_of(s.path) == 1]
    for spec in first[:-1]:
        renderer.write(spec, out)
        indexer.pages_written([spec.path])
    assert not indexer._futures  # one page of the bundle is still missing
    renderer.write(first[-1], out)
    indexer.pages_written([first[-1].path])
    assert list(indexer._futures) == [1]
    assert indexer._futures[1].result() > 0  # indexed before any other page exists
    first_folder, *other_folders = (b.folder for b in renderer.bundles[1:])
    assert (out / first_folder / "pagefind-entry.json").is_file()
    assert not any((out / folder).exists() for folder in ["pagefind", *other_folders])

    rest = [s for s in renderer.plan if indexer.bundle_of(s.path) != 1]
    for spec in rest:
        renderer.write(spec, out)
    indexer.pages_written([s.path for s in rest])
    counts = list(indexer.finished())
    assert len(counts) == 5 and all(count > 0 for count in counts)
    assert all((out / b.folder / "pagefind-entry.json").is_file() for b in renderer.bundles)


def test_a_build_failing_while_pagefind_runs_stops_it_and_keeps_the_old_site(tmp_path, monkeypatch):
    config = load_config(tmp_path, content=str(FIXTURE))
    build(config, quiet=True)
    before = sorted(p.relative_to(config.output).as_posix() for p in config.output.rglob("*"))

    # A Pagefind that would run for a minute: the failed build must kill it, not wait for it.
    slow = tmp_path / "slow-pagefind"
    slow.write_text("#!/bin/sh\nexec sleep 60\n", encoding="utf-8")
    slow.chmod(0o755)
    monkeypatch.setattr(search, "pagefind_executable", lambda: str(slow))
    started: list[int] = []
    write = SiteRenderer.write

    def write_then_fail(self, spec, out_dir):
        # Pages go a bundle at a time: fail on the first page after a department bundle was started.
        if started and started[-1] > 0:
            raise ContentError("template error: broken", path="dept_year.html")
        write(self, spec, out_dir)

    start = search.SearchIndexer._start

    def note_start(self, index):
        started.append(index)
        start(self, index)

    monkeypatch.setattr(SiteRenderer, "write", write_then_fail)
    monkeypatch.setattr(search.SearchIndexer, "_start", note_start)
    began = time.monotonic()
    with pytest.raises(ContentError):
        build(config, quiet=True, clean=True)  # a cold build: Pagefind runs while pages render
    assert time.monotonic() - began < 30
    assert started and started[-1] > 0
    after = sorted(p.relative_to(config.output).as_posix() for p in config.output.rglob("*"))
    assert after == before
    assert not [p for p in config.output.parent.iterdir() if p.name.startswith(f".{config.output.name}.")]
    assert not _processes_running("sleep 60")
