"""Every URL of the scheme (DESIGN §6) exists for every department, year and code of the content tree."""

from __future__ import annotations

import json
from pathlib import Path

from site_links import broken_links, html_files, soup


def content_facts(content: Path) -> dict[str, set]:
    """Departments, years, dept-years, codes and project counts read straight from the data.json files."""
    facts: dict[str, set] = {
        "departments": set(),
        "years": set(),
        "dept_years": set(),
        "functions": set(),
        "economic": set(),
        "projects": set(),
        "pages": set(),
    }
    for data_path in content.glob("*/*/data.json"):
        data = json.loads(data_path.read_text(encoding="utf-8"))
        slug, year = data_path.parent.parent.name, data_path.parent.name
        facts["departments"].add(slug)
        facts["years"].add(year)
        facts["dept_years"].add(f"{slug}/{year}")
        for number in range(1, len(data["projects"]) + 1):
            facts["projects"].add(f"{slug}/{year}/projects/{number}")
        for table in data["tables"]:
            keys = [c["key"] for c in table["columns"]]
            for key, kind in (("function_code", "functions"), ("economic_code", "economic")):
                if key in keys:
                    index = keys.index(key)
                    facts[kind].update(
                        str(row[index]).strip()
                        for row in table["rows"]
                        if index < len(row) and row[index] not in (None, "")
                    )
    facts["pages"] = {p.stem for p in (content / "pages").glob("*.md")}
    return facts


def test_every_scheme_url_exists(built_site):
    facts = content_facts(built_site.content)
    out = built_site.output
    assert facts["dept_years"], "the content tree has no department-years"
    expected = [
        "index.html",
        "three-public-expenses/index.html",
        "projects/index.html",
        "glossary/index.html",
        "search/index.html",
        "data/index.html",
        "data/index.json",
        "data/budgetsite.sqlite",
        "404.html",
        "robots.txt",  # sitemap.xml only with site_url: tests/site/test_site_address.py
        "pagefind/pagefind.js",
    ]
    expected += [f"departments/{slug}/index.html" for slug in facts["departments"]]
    expected += [f"departments/{dy}/index.html" for dy in facts["dept_years"]]
    expected += [f"departments/{dy}/data.json" for dy in facts["dept_years"]]
    expected += [f"departments/{p}/index.html" for p in facts["projects"]]
    expected += [f"years/{year}/index.html" for year in facts["years"]]
    expected += [f"functions/{code}/index.html" for code in facts["functions"]]
    expected += [f"economic/{code}/index.html" for code in facts["economic"]]
    expected += [f"{name}/index.html" for name in facts["pages"]]
    missing = [path for path in expected if not (out / path).is_file()]
    assert not missing, missing


def test_no_broken_internal_links_or_anchors(built_site):
    assert len(html_files(built_site.output)) > 10
    assert broken_links(built_site.output) == []


def test_no_broken_links_under_a_sub_path(subpath_site):
    # base_url https://example.org/budget/: every link must start with /budget/ and resolve inside output/.
    assert broken_links(subpath_site.output, base_path="/budget/") == []
    home = soup(subpath_site.output / "index.html")
    hrefs = [a["href"] for a in home.find_all("a")]
    assert hrefs and all(h.startswith("/budget/") or h.startswith("#") for h in hrefs)
    sitemap = (subpath_site.output / "sitemap.xml").read_text(encoding="utf-8")
    assert "<loc>https://example.org/budget/departments/" in sitemap


def test_every_table_has_caption_and_every_th_scope(built_site):
    tables = 0
    for page in html_files(built_site.output):
        for table in soup(page).find_all("table"):
            tables += 1
            assert table.find("caption") is not None and table.caption.get_text(strip=True), page
            assert table.find("thead") is not None, page
            for th in table.find_all("th"):
                assert th.get("scope") in ("col", "row"), (page, str(th)[:80])
    assert tables > 0


def test_every_page_has_language_skip_link_and_labelled_search(built_site):
    for page in html_files(built_site.output):
        document = soup(page)
        assert document.html["lang"] == "zh-CN", page
        skip = document.find("a", class_="skip-link")
        assert skip is not None and skip["href"] == "#main" and document.find(id="main") is not None, page
        for field in document.find_all("input", attrs={"type": "search"}):
            assert document.find("label", attrs={"for": field["id"]}) is not None, page


def test_only_the_search_page_has_javascript(built_site):
    for page in html_files(built_site.output):
        scripts = soup(page).find_all("script")
        if page.parent.name == "search":
            assert [s["src"] for s in scripts] == ["/static/search.js"]
        else:
            assert scripts == [], page


def test_search_body_only_on_content_pages(built_site):
    out = built_site.output
    assert soup(out / "search" / "index.html").find(attrs={"data-pagefind-body": True}) is None
    assert soup(out / "404.html").find(attrs={"data-pagefind-body": True}) is None
    for page in out.glob("departments/*/*/index.html"):
        body = soup(page).find(attrs={"data-pagefind-body": True})
        assert body is not None and body.name == "main", page
        # Filters for the search page: year, department and region.
        filters = {
            m["data-pagefind-filter"]
            for m in soup(page).find_all("meta", attrs={"data-pagefind-filter": True})
        }
        assert filters == {"year[content]", "department[content]", "region[content]"}, page
