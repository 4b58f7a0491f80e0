"""Session fixtures for the build tests: the sample site is built once and read by many tests."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pytest

from budgetsite.config import Config, load_config
from budgetsite.site.build import BuildResult, build

REPO = Path(__file__).resolve().parents[2]
FIXTURE_CONTENT = REPO / "tests" / "fixtures" / "site_content"
# One department with a 预算, a 决算 and a unit's 预算 (tests/fixtures/make_identity_content.py).
IDENTITY_CONTENT = REPO / "tests" / "fixtures" / "identity_content"
SHIPPED_CONTENT = REPO / "content"


def shipped_or_fixture_content() -> Path:
    """The shipped content/ once ingest has generated department folders, else the hand-written fixture."""
    if any(SHIPPED_CONTENT.glob("*/*/data.json")):
        return SHIPPED_CONTENT
    return FIXTURE_CONTENT


@dataclass
class BuiltSite:
    config: Config
    result: BuildResult

    @property
    def output(self) -> Path:
        return self.config.output

    @property
    def content(self) -> Path:
        return self.config.content


def _build(tmp: Path, content: Path, **overrides: str) -> BuiltSite:
    config = load_config(tmp, content=str(content), output=str(tmp / "output"), **overrides)
    return BuiltSite(config, build(config, quiet=True))


@pytest.fixture(scope="session")
def built_site(tmp_path_factory: pytest.TempPathFactory) -> BuiltSite:
    """The shipped content (or the fixture before ingest has run) built once at base URL /."""
    return _build(tmp_path_factory.mktemp("site"), shipped_or_fixture_content())


@pytest.fixture(scope="session")
def fixture_site(tmp_path_factory: pytest.TempPathFactory) -> BuiltSite:
    """The hand-written fixture tree (has <script> in narrative, a 三公 table, glossary) built once."""
    return _build(tmp_path_factory.mktemp("fixture-site"), FIXTURE_CONTENT)


@pytest.fixture(scope="session")
def subpath_site(tmp_path_factory: pytest.TempPathFactory) -> BuiltSite:
    """The fixture tree built for serving under /budget/."""
    return _build(
        tmp_path_factory.mktemp("subpath-site"), FIXTURE_CONTENT, base_url="https://example.org/budget/"
    )


@pytest.fixture(scope="session")
def identity_site(tmp_path_factory: pytest.TempPathFactory) -> BuiltSite:
    """The identity fixture tree (several disclosures per department-year) built once."""
    return _build(tmp_path_factory.mktemp("identity-site"), IDENTITY_CONTENT)
