"""Typed site settings: `budgetsite.toml` at the site root, overridden by command-line options."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from budgetsite.errors import ConfigError

CONFIG_FILE = "budgetsite.toml"


@dataclass(frozen=True)
class Setting:
    """One key of budgetsite.toml: its name, value type (str or bool), default and help text."""

    name: str
    kind: type[str] | type[bool]
    default: str | bool
    help: str


# Every key budgetsite.toml accepts, declared once: load_config, `init`'s commented budgetsite.toml and
# the README table read this. Anything else is a ConfigError (a misspelled key must not be silent).
SETTINGS: tuple[Setting, ...] = (
    Setting("content", str, "content", "Content tree folder, relative to the site root."),
    Setting("output", str, "output", "Folder the built site is written to, relative to the site root."),
    Setting(
        "base_url",
        str,
        "/",
        "Where the site is served: a path such as /budget/ or a full URL such as https://example.org/budget/.",
    ),
    Setting(
        "site_url",
        str,
        "",
        "Scheme and host the site is published at, such as https://budget.example.gov.cn; needed for "
        "sitemap.xml, canonical links and Open Graph tags (without it the build warns and leaves them out).",
    ),
    Setting(
        "theme", str, "default", "Theme name: themes/<name>/ in the site root, else the built-in default."
    ),
    Setting("title", str, "部门预算公开", "Site title shown in the header and the browser tab."),
    Setting("description", str, "", "One-sentence description for the home page and search engines."),
    Setting(
        "language",
        str,
        "zh-CN",
        "Page language (html lang) and the UI strings file themes/*/strings/<language>.toml.",
    ),
    Setting(
        "search_projects",
        bool,
        True,
        "Index project pages for search (true); false keeps them out of the index, which roughly halves "
        "Pagefind's time on a site with thousands of projects (their names stay searchable on the "
        "department-year pages).",
    ),
)
SETTINGS_BY_NAME = {setting.name: setting for setting in SETTINGS}


def default(name: str) -> str:
    """The default of a string setting (e.g. the site title `init` writes when given none)."""
    value = SETTINGS_BY_NAME[name].default
    assert isinstance(value, str), f"{name} is not a string setting"
    return value


@dataclass(frozen=True)
class Config:
    """Resolved settings, one field per entry of SETTINGS (content and output as absolute folders).

    Made by load_config only: the defaults live in SETTINGS, not here.
    """

    site_dir: Path
    content: Path
    output: Path
    base_url: str
    site_url: str
    theme: str
    title: str
    description: str
    language: str
    search_projects: bool

    @property
    def base_path(self) -> str:
        """The path part of base_url, always starting and ending with '/' (e.g. '/budget/')."""
        path = urlsplit(self.base_url).path or "/"
        return path if path.endswith("/") else path + "/"

    @property
    def absolute_base(self) -> str | None:
        """scheme://host/path/ of the published site, from site_url (or a full base_url); None if unknown.

        sitemap.xml, robots.txt's Sitemap line and canonical links need absolute addresses; a bare
        path such as "/" is not one, so without a host they are left out rather than written wrong.
        """
        if self.site_url:
            return self.site_url + self.base_path
        parts = urlsplit(self.base_url)
        if not parts.scheme:
            return None
        return f"{parts.scheme}://{parts.netloc}{self.base_path}"


def _read_toml(path: Path) -> dict[str, Any]:
    try:
        with path.open("rb") as handle:
            return tomllib.load(handle)
    except tomllib.TOMLDecodeError as error:
        raise ConfigError(f"not valid TOML ({error})", path=path, hint="fix the syntax") from None
    except OSError as error:
        raise ConfigError(f"cannot read ({error.strerror})", path=path) from None


def _site_url(value: str, path: Path) -> str:
    """site_url without a trailing slash ('' when unset); anything but http(s)://host is a ConfigError."""
    value = value.strip().rstrip("/")
    if not value:
        return ""
    parts = urlsplit(value)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise ConfigError(
            f"site_url {value!r} is not an address such as https://budget.example.gov.cn",
            path=path,
            hint="give the scheme and host only",
        )
    if parts.path or parts.query or parts.fragment:
        raise ConfigError(
            f"site_url {value!r} has a path; it takes the scheme and host only",
            path=path,
            hint=f'set site_url = "{parts.scheme}://{parts.netloc}" and base_url = "{parts.path}/"',
        )
    return value


def load_config(site_dir: Path | str = ".", **overrides: Any) -> Config:
    """Read `budgetsite.toml` in `site_dir` (if present) and apply non-None `overrides`.

    Every command loads its settings here (ingest and check too: they need `content`).
    """
    site_dir = Path(site_dir).resolve()
    values: dict[str, Any] = {s.name: s.default for s in SETTINGS}
    path = site_dir / CONFIG_FILE
    if path.is_file():
        for key, value in _read_toml(path).items():
            setting = SETTINGS_BY_NAME.get(key)
            if setting is None:
                raise ConfigError(
                    f"unknown setting {key!r}",
                    path=path,
                    hint=f"use one of: {', '.join(sorted(SETTINGS_BY_NAME))}",
                )
            # bool is no str and a str no bool: a type check, not a conversion
            if type(value) is not setting.kind:
                kind = "true or false" if setting.kind is bool else "a string"
                raise ConfigError(f"setting {key!r} must be {kind}", path=path)
            values[key] = value
    for key, value in overrides.items():
        setting = SETTINGS_BY_NAME.get(key)
        if setting is None:
            raise ConfigError(f"unknown setting {key!r}")
        if value is not None:
            values[key] = bool(value) if setting.kind is bool else str(value)
    values["base_url"] = _normal_base_url(values["base_url"])
    values["site_url"] = _site_url(values["site_url"], path)
    theme = values["theme"]
    if not theme or "/" in theme or "\\" in theme or theme.startswith("."):
        raise ConfigError(
            f"theme name {theme!r} is not a plain folder name", path=path, hint='e.g. theme = "default"'
        )
    values["content"] = (site_dir / values["content"]).resolve()
    values["output"] = (site_dir / values["output"]).resolve()
    return Config(site_dir=site_dir, **values)


def _normal_base_url(base_url: str) -> str:
    """'budget' → '/budget/'; a full URL keeps its scheme and host; always ends with '/'."""
    base_url = base_url.strip() or "/"
    if not urlsplit(base_url).scheme and not base_url.startswith("/"):
        base_url = "/" + base_url
    return base_url if base_url.endswith("/") else base_url + "/"
