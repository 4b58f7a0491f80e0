"""Fixtures for the serve/init/deploy tests: a site with one ingested sample and a running server."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from serve_helpers import SAMPLE, Served, run_cli, start_server, stop_server

from budgetsite.site.scaffold import init_site


@pytest.fixture(scope="session")
def ingested_sample(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A content tree holding the 001 sample, made by the real `budgetsite ingest` once per session."""
    root = tmp_path_factory.mktemp("ingested")
    result = run_cli("ingest", str(SAMPLE), "--content", str(root / "content"), cwd=root)
    assert result.returncode == 0, result.stdout + result.stderr
    return root / "content"


@pytest.fixture
def sample_site(tmp_path: Path, ingested_sample: Path) -> Path:
    """A fresh `budgetsite init` site with the ingested sample copied into its content/."""
    site = tmp_path / "site"
    init_site(site)
    for child in ingested_sample.iterdir():
        if child.name != "pages":
            shutil.copytree(child, site / "content" / child.name)
    return site


@pytest.fixture
def served_sample(sample_site: Path) -> Iterator[Served]:
    """`budgetsite serve` running on the sample site; always stopped afterwards."""
    served = start_server(sample_site)
    try:
        yield served
    finally:
        stop_server(served)
