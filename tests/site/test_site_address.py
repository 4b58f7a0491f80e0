"""site_url: sitemap.xml, robots.txt, canonical links and Open Graph/Twitter cards need the site's address.

With only a path (the default base_url "/") a sitemap would list `<loc>/</loc>`, which is invalid: the build
warns and leaves sitemap, canonical links and cards out. With site_url set every page has them.
"""

from __future__ import annotations

import logging
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from site_links import html_files, soup

from budgetsite.config import Config, load_config
from budgetsite.errors import ConfigError
from budgetsite.site.build import build

FIXTURE_CONTENT = Path(__file__).resolve().parents[1] / "fixtures" / "site_content"
XINGTAI = "xingtaishi-gongyehexinxihuaju"
SITEMAP_NS = "{http://www.sitemaps.org/schemas/sitemap/0.9}"


@pytest.fixture(scope="module")
def addressed_site(tmp_path_factory: pytest.TempPathFactory) -> Config:
    """The fixture tree published at https://budget.example.gov.cn/budget/ (site_url + base_url)."""
    tmp = tmp_path_factory.mktemp("addressed-site")
    (tmp / "budgetsite.toml").write_text(
        'site_url = "https://budget.example.gov.cn/"\nbase_url = "/budget/"\n'
        'description = "河北省各部门预算公开"\n',
        encoding="utf-8",
    )
    config = load_config(tmp, content=str(FIXTURE_CONTENT), output=str(tmp / "output"))
    build(config, quiet=True)
    return config


def test_without_site_url_no_sitemap_and_robots_without_sitemap_line(fixture_site):
    assert fixture_site.config.absolute_base is None
    assert not (fixture_site.output / "sitemap.xml").exists()
    robots = (fixture_site.output / "robots.txt").read_text(encoding="utf-8")
    assert robots == "User-agent: *\nAllow: /\n"


def test_without_site_url_no_canonical_or_cards(fixture_site):
    page = soup(fixture_site.output / "departments" / XINGTAI / "2023" / "index.html")
    assert page.find("link", rel="canonical") is None
    assert page.find("meta", property="og:title") is None


def test_without_site_url_the_build_warns(tmp_path, caplog):
    config = load_config(tmp_path, content=str(FIXTURE_CONTENT), output=str(tmp_path / "out"))
    with caplog.at_level(logging.WARNING):
        build(config, quiet=True)
    warnings = [r.getMessage() for r in caplog.records if r.levelno == logging.WARNING]
    assert any("no site_url set" in w and "sitemap.xml" in w for w in warnings), warnings


def test_sitemap_lists_absolute_urls_with_site_url(addressed_site):
    tree = ET.parse(addressed_site.output / "sitemap.xml")
    locs = [loc.text for loc in tree.getroot().iter(f"{SITEMAP_NS}loc")]
    assert "https://budget.example.gov.cn/budget/" in locs
    assert f"https://budget.example.gov.cn/budget/departments/{XINGTAI}/2023/" in locs
    assert all(loc.startswith("https://budget.example.gov.cn/budget/") for loc in locs)
    assert not any("404" in loc for loc in locs)
    robots = (addressed_site.output / "robots.txt").read_text(encoding="utf-8")
    assert "Sitemap: https://budget.example.gov.cn/budget/sitemap.xml" in robots.splitlines()


def test_every_page_has_canonical_and_cards_with_site_url(addressed_site):
    pages = [p for p in html_files(addressed_site.output) if p.name != "404.html"]
    assert len(pages) > 10
    for path in pages:
        page = soup(path)
        relative = path.parent.relative_to(addressed_site.output).as_posix()
        expected = "https://budget.example.gov.cn/budget/" + ("" if relative == "." else relative + "/")
        assert page.find("link", rel="canonical")["href"] == expected, path
        assert page.find("meta", property="og:url")["content"] == expected, path
        title = page.find("meta", property="og:title")["content"]
        assert title and title == page.find("meta", attrs={"name": "twitter:title"})["content"], path
        assert page.find("meta", property="og:description")["content"], path
        assert page.find("meta", attrs={"name": "twitter:card"})["content"] == "summary", path
    dept_year = soup(addressed_site.output / "departments" / XINGTAI / "2023" / "index.html")
    assert "2023" in dept_year.find("meta", property="og:title")["content"]
    home = soup(addressed_site.output / "index.html")
    assert home.find("meta", property="og:description")["content"] == "河北省各部门预算公开"
    assert soup(addressed_site.output / "404.html").find("link", rel="canonical") is None


@pytest.mark.parametrize(
    "value, problem",
    [("budget.example.gov.cn", "is not an address"), ("https://example.org/budget", "has a path")],
)
def test_bad_site_url_is_one_line_error(tmp_path, value, problem):
    (tmp_path / "budgetsite.toml").write_text(f'site_url = "{value}"\n', encoding="utf-8")
    with pytest.raises(ConfigError) as error:
        load_config(tmp_path)
    assert problem in error.value.line() and "\n" not in error.value.line()
