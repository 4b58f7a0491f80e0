"""Narrative Markdown: raw HTML stays text, headings get unique ids, pipe tables are accessible."""

from __future__ import annotations

from bs4 import BeautifulSoup

from budgetsite.site.render import link_terms, render_markdown


def test_raw_html_and_script_are_escaped():
    html = render_markdown("说明<script>alert(1)</script>\n\n<img src=x onerror=alert(2)>", "s")
    document = BeautifulSoup(html, "html.parser")
    assert document.find("script") is None and document.find("img") is None
    assert "<script>alert(1)</script>" in document.get_text()


def test_javascript_links_are_not_rendered_as_links():
    document = BeautifulSoup(render_markdown("[点我](javascript:alert(1))", "s"), "html.parser")
    assert all(not a.get("href", "").startswith("javascript:") for a in document.find_all("a"))


def test_headings_get_ids_with_the_section_prefix():
    document = BeautifulSoup(
        render_markdown("### （一）收入说明\n\n文字\n\n### （二）支出说明", "section-overview"), "html.parser"
    )
    assert [h["id"] for h in document.find_all("h3")] == ["section-overview-1", "section-overview-2"]


def test_pipe_tables_get_a_caption_and_scoped_headers():
    text = "6、政府采购预算明细表\n\n| 项目 | 金额 |\n|---|---|\n| 中小企业发展专项 | 1970.00 |"
    table = BeautifulSoup(render_markdown(text, "s", "政府采购"), "html.parser").find("table")
    assert table.caption.get_text() == "6、政府采购预算明细表"
    assert [th["scope"] for th in table.find_all("th")] == ["col", "col"]
    untitled = BeautifulSoup(render_markdown("| a |\n|---|\n| 1 |", "s", "政府采购"), "html.parser")
    assert untitled.find("caption").get_text() == "政府采购"


def test_glossary_terms_link_once_and_never_inside_links_or_headings():
    html = '<h2>基本支出</h2><p>基本支出和基本支出</p><p><a href="/x/">基本支出</a></p>'
    document = BeautifulSoup(link_terms(html, {"基本支出": "/glossary/#t"}), "html.parser")
    links = document.find_all("a", class_="term")
    assert len(links) == 1 and links[0].parent.name == "p" and document.h2.find("a") is None
