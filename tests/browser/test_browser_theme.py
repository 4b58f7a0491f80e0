"""The shipped example theme (themes/example-city/) in Chromium: its colours reach the search buttons,
its logo and nav item show, and axe still finds nothing."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from conftest import REPO, _content, _serve
from playwright.sync_api import Page, expect
from test_browser_site import axe_failures, page_of_every_type

from budgetsite.config import Config, load_config
from budgetsite.site.build import build

pytestmark = pytest.mark.browser

CITY_CSS = REPO / "themes" / "example-city" / "static" / "city.css"


def _theme_colour(name: str) -> str:
    """A custom property of city.css as the rgb() string Chromium computes."""
    value = re.search(rf"{name}:\s*#([0-9a-fA-F]{{6}});", CITY_CSS.read_text(encoding="utf-8"))
    assert value, name
    red, green, blue = (int(value.group(1)[i : i + 2], 16) for i in (0, 2, 4))
    return f"rgb({red}, {green}, {blue})"


@pytest.fixture(scope="module")
def city_site(tmp_path_factory: pytest.TempPathFactory) -> Config:
    """The shipped content built with theme = "example-city" from the repository's themes/."""
    tmp = tmp_path_factory.mktemp("city-site")
    config = load_config(REPO, content=str(_content()), output=str(tmp / "output"), theme="example-city")
    build(config, quiet=True)
    return config


@pytest.fixture(scope="module")
def city_server(city_site: Config) -> Iterator[str]:
    yield from _serve(city_site.output)


def test_search_buttons_take_the_theme_colour(page: Page, city_server: str):
    page.goto(city_server + "/")
    header_button = page.locator(".header-search button")
    expect(header_button).to_have_css("background-color", _theme_colour("--accent-dark"))
    expect(page.locator(".site-header")).to_have_css("background-color", _theme_colour("--accent"))
    page.goto(city_server + "/search/")
    expect(page.locator(".search-main button")).to_have_css("background-color", _theme_colour("--accent"))


def test_logo_nav_item_and_footer_come_from_single_blocks(page: Page, city_server: str):
    page.goto(city_server + "/")
    expect(page.locator(".site-title img.city-logo")).to_be_visible()
    expect(page.get_by_role("link", name="示例市人民政府")).to_be_visible()
    expect(page.locator(".city-footer")).to_contain_text("示例市财政局")
    # The default nav items are all still there (nav_extra appends, it does not replace).
    assert page.get_by_role("link", name="经济分类科目").count() == 1


def test_axe_zero_violations_with_the_example_theme(
    page: Page, city_server: str, city_site: Config, axe_source: str
):
    urls = page_of_every_type(city_site)
    assert len(urls) >= 16
    assert axe_failures(page, city_server, urls, axe_source) == {}
