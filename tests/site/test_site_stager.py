"""The staging folder is filled from the previous output by hard links, in two threads beside the build."""

from __future__ import annotations

import os
import threading
import time

from budgetsite.site import build as build_module


def test_the_previous_output_is_linked_in_two_threads(tmp_path, monkeypatch):
    source, staging = tmp_path / "output", tmp_path / "staging"
    files = [f"departments/d{i}/2024/projects/{i}/index.html" for i in range(40)]
    for name in files:
        (source / name).parent.mkdir(parents=True, exist_ok=True)
        (source / name).write_text(name, encoding="utf-8")
    staging.mkdir()
    threads: set[str] = set()
    real_link = os.link

    def link(source_file, target_file):
        threads.add(threading.current_thread().name)
        time.sleep(0.005)  # a file system call that waits, as on a busy disk
        return real_link(source_file, target_file)

    monkeypatch.setattr(build_module.os, "link", link)
    stager = build_module._Stager(source, staging)
    try:
        stager.link_later([*files, "departments/gone/index.html"])
        assert stager.wait() == ["departments/gone/index.html"]  # what the previous output lacked
    finally:
        stager.close()
    assert stager.count == len(files)
    assert all((staging / name).read_text(encoding="utf-8") == name for name in files)
    assert len(threads) == 2 and all(name.startswith("stager") for name in threads)
