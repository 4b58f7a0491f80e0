"""The shipped example theme changes the site through blocks and CSS custom properties only."""

from __future__ import annotations

import re
from pathlib import Path

from jinja2 import Environment, nodes

REPO = Path(__file__).resolve().parents[2]
THEME = REPO / "themes" / "example-city"
DEFAULT_BASE = REPO / "themes" / "default" / "templates" / "base.html"


def _blocks(path: Path) -> tuple[nodes.Template, set[str]]:
    tree = Environment().parse(path.read_text(encoding="utf-8"))
    return tree, {block.name for block in tree.find_all(nodes.Block)}


def test_example_theme_template_only_extends_and_overrides_blocks():
    tree, overridden = _blocks(THEME / "templates" / "base.html")
    extends = [n for n in tree.body if isinstance(n, nodes.Extends)]
    assert len(extends) == 1 and extends[0].template.value == "default/base.html"

    # Nothing but {% extends %} and {% block %}s at the top level: no copied markup.
    def is_blank(node: nodes.Node) -> bool:
        return isinstance(node, nodes.Output) and all(
            isinstance(n, nodes.TemplateData) and not n.data.strip() for n in node.nodes
        )

    assert all(isinstance(n, nodes.Extends | nodes.Block) or is_blank(n) for n in tree.body), tree.body
    _, default_blocks = _blocks(DEFAULT_BASE)
    assert overridden <= default_blocks
    assert {"stylesheets", "logo", "nav_extra", "footer"} <= overridden


def test_example_theme_colours_are_custom_properties_only():
    css = re.sub(r"/\*.*?\*/", "", (THEME / "static" / "city.css").read_text(encoding="utf-8"), flags=re.S)
    root = re.search(r":root\s*\{(.*?)\}", css, re.S)
    assert root and re.findall(r"--accent\s*:", root.group(1))
    outside = css[: root.start()] + css[root.end() :]
    assert not re.search(r"#[0-9a-fA-F]{3,8}\b|rgb|hsl|color|background", outside), outside
    default_css = (REPO / "themes" / "default" / "static" / "site.css").read_text(encoding="utf-8")
    for name in re.findall(r"(--[\w-]+)\s*:", root.group(1)):
        assert re.search(rf"{name}\s*:", default_css), f"{name} is not a property of the default theme"
