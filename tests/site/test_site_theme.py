"""Themes: a site theme extends the default and overrides a single block; the default ships in the package."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from site_links import broken_links, soup

from budgetsite.config import load_config
from budgetsite.errors import ConfigError
from budgetsite.site.build import build
from budgetsite.site.render import default_theme_dir

EXAMPLE_SITE = Path(__file__).resolve().parents[1] / "fixtures" / "example_theme_site"


@pytest.fixture(scope="module")
def themed(tmp_path_factory):
    site_dir = tmp_path_factory.mktemp("themed") / "example_theme_site"
    shutil.copytree(EXAMPLE_SITE, site_dir)
    config = load_config(site_dir, content=str(EXAMPLE_SITE.parent / "site_content"))
    build(config, quiet=True)
    return config


def test_example_theme_overrides_one_block_and_keeps_the_rest(themed):
    home = soup(themed.output / "index.html")
    assert home.find("p", class_="example-footer").get_text() == "示例主题：示例主题站点"
    # Everything else still comes from the default theme: skip link, nav, search box, tables.
    assert home.find("a", class_="skip-link") is not None
    assert home.find("nav", class_="site-nav") is not None
    page = soup(next(themed.output.glob("departments/*/*/index.html")))
    assert page.find("p", class_="example-footer") is not None and page.find("table") is not None
    assert (themed.output / "static" / "example.css").is_file()
    assert (themed.output / "static" / "site.css").is_file()
    assert broken_links(themed.output) == []


def test_default_theme_is_found_without_a_site_themes_folder(tmp_path):
    assert (default_theme_dir() / "templates" / "base.html").is_file()
    config = load_config(tmp_path, content=str(EXAMPLE_SITE.parent / "site_content"))
    assert not (tmp_path / "themes").exists()
    build(config, quiet=True)
    assert soup(config.output / "index.html").find("footer") is not None


def test_unknown_theme_is_one_line_config_error(tmp_path):
    config = load_config(tmp_path, content=str(EXAMPLE_SITE.parent / "site_content"), theme="nosuch")
    with pytest.raises(ConfigError) as error:
        build(config, quiet=True)
    assert "theme 'nosuch' not found" in error.value.line() and "\n" not in error.value.line()
