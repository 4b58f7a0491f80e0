"""Jinja2 theme chain, Markdown (source HTML always escaped), glossary links and number formatting."""

from __future__ import annotations

import logging
import re
import tomllib
from collections.abc import Callable
from decimal import Decimal
from html import escape
from pathlib import Path
from typing import Any

from jinja2 import (
    ChoiceLoader,
    Environment,
    FileSystemLoader,
    PrefixLoader,
    StrictUndefined,
    TemplateError,
    TemplateSyntaxError,
)
from markdown_it import MarkdownIt
from markdown_it.token import Token
from markupsafe import Markup

from budgetsite.config import Config
from budgetsite.errors import ConfigError, ContentError
from budgetsite.site.urls import Urls


def default_theme_dir() -> Path:
    """The built-in theme: inside the installed package, else the repository's themes/default."""
    package = Path(__file__).resolve().parents[1]  # budgetsite/, this file being budgetsite/site/render.py
    packaged = package / "themes" / "default"
    if packaged.is_dir():
        return packaged
    return package.parents[1] / "themes" / "default"


def theme_dirs(config: Config) -> list[Path]:
    """The theme chain, most specific first: site themes/<name>/ then the built-in default."""
    chain = []
    site_theme = config.site_dir / "themes" / config.theme
    if site_theme.is_dir():
        chain.append(site_theme)
    elif config.theme != "default":
        raise ConfigError(
            f"theme {config.theme!r} not found",
            path=site_theme,
            hint='create the folder or set theme = "default"',
        )
    default = default_theme_dir()
    if default not in chain:
        chain.append(default)
    return chain


class Strings(dict[str, str]):
    """UI strings that templates read as `t.key` (or `t['key']`) without Jinja's slow path.

    Jinja resolves `t.key` by trying the attribute first; on a plain dict that raises and catches an
    AttributeError before falling back to `t['key']` (about 1.5 µs, some 60 times a page). Here the
    strings are the instance's attributes as well as its items.
    """

    def __init__(self, strings: dict[str, str]):
        super().__init__(strings)
        self.__dict__ = self

    def __reduce__(self) -> tuple[type[Strings], tuple[dict[str, str]]]:
        # copy and pickle would otherwise restore __dict__ as a separate, empty dict
        return Strings, (dict(self),)


def load_strings(config: Config) -> Strings:
    """UI strings for config.language, merged along the theme chain (site theme wins)."""
    strings: dict[str, str] = {}
    found = False
    for folder in reversed(theme_dirs(config)):
        path = folder / "strings" / f"{config.language}.toml"
        if path.is_file():
            found = True
            try:
                strings.update(tomllib.loads(path.read_text(encoding="utf-8")))
            except tomllib.TOMLDecodeError as error:
                raise ConfigError(f"not valid TOML ({error})", path=path) from None
    if not found:
        raise ConfigError(
            f"no UI strings for language {config.language!r}",
            path=default_theme_dir() / "strings",
            hint=f'add strings/{config.language}.toml to the theme or set language = "zh-CN"',
        )
    return Strings(strings)


# --- Markdown -------------------------------------------------------------------------------------------

# markdown-it logs every block rule at DEBUG; with `-v` that alone would slow a large build several-fold.
logging.getLogger("markdown_it").setLevel(logging.WARNING)
_MARKDOWN = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False}).enable("table")


def render_markdown(text: str, id_prefix: str, table_caption: str = "") -> Markup:
    """Markdown → HTML with raw HTML disabled (source `<script>` shows as text) and unique heading ids."""
    tokens = _MARKDOWN.parse(text)
    count = 0
    label = ""
    output: list[Token] = []
    for token in tokens:
        output.append(token)
        if token.type == "heading_open":
            count += 1
            token.attrSet("id", f"{id_prefix}-{count}")
        elif token.type == "inline" and token.content.strip():
            label = token.content.strip()
        elif token.type == "table_open":
            # A pipe table in narrative text gets a caption (the text just above it, usually its printed
            # title) and scoped headers, like the data tables.
            token.attrSet("class", "md-table")
            caption = Token("html_block", "", 0)
            caption.content = f"<caption>{escape(label[:80] or table_caption)}</caption>"
            output.append(caption)
        elif token.type == "th_open":
            token.attrSet("scope", "col")
    return Markup(_MARKDOWN.renderer.render(output, _MARKDOWN.options, {}))


_SPLIT_TAGS = re.compile(r"(<[^>]+>)")
_NO_LINK_INSIDE = re.compile(r"^</?(a|h[1-6]|caption|th|title|svg)\b", re.I)


def glossary_linker(terms: dict[str, str]) -> Callable[[str], Markup]:
    """link_terms for one glossary, its pattern compiled once (a site links ten sections a page)."""
    if not terms:
        return Markup
    pattern = re.compile("|".join(re.escape(escape(t)) for t in sorted(terms, key=len, reverse=True)))
    by_escaped = {escape(t): href for t, href in terms.items()}

    def link(html: str) -> Markup:
        used: set[str] = set()

        def replace(match: re.Match[str]) -> str:
            word = match.group(0)
            if word in used:
                return word
            used.add(word)
            return f'<a class="term" href="{by_escaped[word]}">{word}</a>'

        depth = 0
        out = []
        for part in _SPLIT_TAGS.split(html):
            if part.startswith("<"):
                if _NO_LINK_INSIDE.match(part) and not part.endswith("/>"):
                    depth += -1 if part.startswith("</") else 1
                out.append(part)
            elif depth > 0 or not part:
                out.append(part)
            else:
                out.append(pattern.sub(replace, part))
        return Markup("".join(out))

    return link


def link_terms(html: str, terms: dict[str, str]) -> Markup:
    """Link the first occurrence of each glossary term in `html` text (never inside links or headings)."""
    return glossary_linker(terms)(html)


# --- numbers --------------------------------------------------------------------------------------------


# A table longer than this scrolls inside a box of limited height (class "long"), on every page.
LONG_TABLE_ROWS = 20


def format_cell(value: Any) -> str:
    """A table cell exactly as printed: Decimals keep their digits (str, never a float), None is empty."""
    return "" if value is None else str(value)


def is_number(value: Any) -> bool:
    return isinstance(value, Decimal)


# --- environment ----------------------------------------------------------------------------------------


def make_environment(config: Config) -> Environment:
    """Jinja2 environment over the theme chain; globals: `url` (site path → link), `urls` (site paths),
    `t` (UI strings), `config`, `is_number` and `long_table_rows`."""
    chain = theme_dirs(config)
    default = default_theme_dir()
    loader = ChoiceLoader(
        [
            FileSystemLoader([str(p / "templates") for p in chain]),
            # {% extends "default/base.html" %} lets a theme override single blocks of the default templates.
            PrefixLoader({"default": FileSystemLoader(str(default / "templates"))}),
        ]
    )
    # auto_reload=False: a build renders thousands of pages and Jinja would otherwise stat every template
    # file on every get_template (about 6 % of render time); serve makes a fresh environment when a
    # template changes.
    env = Environment(
        loader=loader,
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        auto_reload=False,
    )
    urls = Urls(config.base_path)

    # A plain function, not the bound method: Jinja probes a callable object for pass_context markers
    # on every call (about 1 µs each, some 20 calls a page).
    def url(path: str = "") -> str:
        return urls.href(path)

    env.globals.update(
        url=url,
        urls=urls,
        t=load_strings(config),
        config=config,
        is_number=is_number,
        long_table_rows=LONG_TABLE_ROWS,
    )
    env.filters["cell"] = format_cell
    return env


def render_template(env: Environment, name: str, context: dict[str, Any]) -> str:
    """Render one template; template mistakes become a one-line ContentError naming file and line."""
    try:
        return env.get_template(name).render(context)
    except TemplateSyntaxError as error:
        raise ContentError(
            f"template error at line {error.lineno}: {error.message}", path=error.filename or name
        ) from None
    except TemplateError as error:
        raise ContentError(f"template error: {error}", path=name) from None
