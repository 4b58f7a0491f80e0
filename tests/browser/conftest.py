"""Browser-test fixtures: build the site once, serve output/ over HTTP on a free port, one headless Chromium."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from browser_serving import AXE, REPO, content_dir, serve_folder
from playwright.sync_api import Browser, Page, sync_playwright

from budgetsite.config import Config, load_config
from budgetsite.site.build import build
from chromium import CHROMIUM, CHROMIUM_ARGS


@pytest.fixture(scope="session")
def browser_site(tmp_path_factory: pytest.TempPathFactory) -> Config:
    """The shipped content (fixture before ingest has run) built once for the browser tests."""
    tmp = tmp_path_factory.mktemp("browser-site")
    config = load_config(tmp, content=str(content_dir()), output=str(tmp / "output"))
    build(config, quiet=True)
    return config


@pytest.fixture(scope="session")
def server(browser_site: Config) -> Iterator[str]:
    """http://127.0.0.1:<free port> serving output/."""
    yield from serve_folder(browser_site.output)


@pytest.fixture(scope="session")
def fixture_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The hand-written fixture tree (narrative with <script>) built and served."""
    tmp = tmp_path_factory.mktemp("fixture-browser-site")
    config = load_config(
        tmp, content=str(REPO / "tests" / "fixtures" / "site_content"), output=str(tmp / "out")
    )
    build(config, quiet=True)
    yield from serve_folder(config.output)


@pytest.fixture(scope="session")
def identity_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The identity fixture tree (a 预算, its 决算, a unit's 预算 of one department) built and served."""
    tmp = tmp_path_factory.mktemp("identity-browser-site")
    content = REPO / "tests" / "fixtures" / "identity_content"
    config = load_config(tmp, content=str(content), output=str(tmp / "out"))
    build(config, quiet=True)
    yield from serve_folder(config.output)


@pytest.fixture(scope="session")
def many_bundles_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A generated site of 60 department-years in 4 years and 11 regions (44 search bundles), served."""
    from benchmarks.bench_build import generate

    tmp = tmp_path_factory.mktemp("many-bundles-site")
    generate(tmp / "content", 60)
    config = load_config(tmp, content=str(tmp / "content"), output=str(tmp / "out"))
    build(config, quiet=True)
    yield from serve_folder(config.output)


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    tab = context.new_page()
    yield tab
    context.close()


@pytest.fixture(scope="session")
def axe_source() -> str:
    assert AXE.is_file(), f"{AXE} missing: cd tests && npm ci"
    return AXE.read_text(encoding="utf-8")
