"""An empty site builds (what a change re-renders is tested on serve's PreviewBuilder, tests/serve)."""

from __future__ import annotations

import shutil
from pathlib import Path

from site_links import soup

from budgetsite.config import load_config
from budgetsite.site.build import build

FIXTURE = Path(__file__).resolve().parents[1] / "fixtures" / "site_content"
XINGTAI = "xingtaishi-gongyehexinxihuaju"
BAODING = "baodingshi-xushuiqu-gongyehexinxihuaju"


def test_site_without_disclosures_builds_with_a_helpful_home(tmp_path):
    (tmp_path / "content" / "pages").mkdir(parents=True)
    shutil.copy(FIXTURE / "pages" / "about.md", tmp_path / "content" / "pages" / "about.md")
    config = load_config(tmp_path)
    build(config, quiet=True)
    home = soup(config.output / "index.html")
    assert "budgetsite ingest" in home.find("p", class_="notice").get_text()
    assert soup(config.output / "about" / "index.html").h1.get_text() == "关于本站"


def test_build_skips_the_hidden_folder_an_interrupted_ingest_leaves(tmp_path):
    # Ingest writes a department-year into a hidden sibling (.2023-new-…) and renames it into place; an
    # ingest stopped in between leaves that folder, data.json included. The build reads the folders the
    # content tree lists (content.tree.iter_disclosure_folders), which skips hidden ones.
    content = tmp_path / "content"
    shutil.copytree(FIXTURE, content)
    shutil.copytree(content / XINGTAI / "2023", content / XINGTAI / ".2023-new-x1y2z3")
    config = load_config(tmp_path)
    build(config, quiet=True)
    assert (config.output / "departments" / XINGTAI / "2023" / "index.html").is_file()
    assert not (config.output / "departments" / XINGTAI / ".2023-new-x1y2z3").exists()
