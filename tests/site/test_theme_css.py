"""The default theme's colours and main sizes are CSS custom properties, so one small file recolours it."""

from __future__ import annotations

import re

from budgetsite.site.render import default_theme_dir

SITE_CSS = default_theme_dir() / "static" / "site.css"
COLOUR_LITERAL = re.compile(
    r"#[0-9a-fA-F]{3,8}\b|\b(?:rgb|rgba|hsl|hsla)\(|(?<![\w-])(?:white|black|red|blue)(?![\w-])"
)


def _root_and_rules() -> tuple[str, str]:
    css = re.sub(r"/\*.*?\*/", "", SITE_CSS.read_text(encoding="utf-8"), flags=re.S)
    root = re.search(r":root\s*\{(.*?)\}", css, re.S)
    assert root, "site.css has no :root block"
    return root.group(1), css[: root.start()] + css[root.end() :]


def test_no_colour_literal_outside_the_custom_properties():
    _, rules = _root_and_rules()
    assert COLOUR_LITERAL.findall(rules) == []


def test_every_colour_and_main_size_is_a_custom_property():
    root, rules = _root_and_rules()
    defined = set(re.findall(r"(--[\w-]+)\s*:", root))
    expected = {
        "--text", "--bg", "--link", "--accent", "--accent-dark", "--on-accent", "--button-bg",
        "--search-button-bg", "--focus", "--highlight", "--table-head-bg", "--line",
        "--font-family", "--font-size", "--page-width", "--h1-size", "--h2-size", "--table-font-size",
        "--chart-font-size", "--radius",
    }  # fmt: skip
    assert expected <= defined, expected - defined
    used = set(re.findall(r"var\((--[\w-]+)\)", rules + root))
    assert used <= defined, used - defined  # no typo'd variable
    assert defined - {"--font-size"} <= used, defined - used  # each one is used somewhere
