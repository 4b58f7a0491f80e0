"""Typed site settings: `budgetsite.toml` at the site root, overridden by command-line options."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, fields
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from budgetsite.errors import ConfigError

CONFIG_FILE = "budgetsite.toml"


@dataclass(frozen=True)
class Setting:
    name: str
    default: Any
    help: str


# Every key budgetsite.toml accepts; anything else is a ConfigError (a misspelled key must not be silent).
SETTINGS: tuple[Setting, ...] = (
    Setting("content", "content", "Content tree folder, relative to the site root."),
    Setting("output", "output", "Folder the built site is written to, relative to the site root."),
    Setting(
        "base_url",
        "/",
        "Where the site is served: a path such as /budget/ or a full URL such as https://example.org/budget/.",
    ),
    Setting(
        "site_url",
        "",
        "Scheme and host the site is published at, such as https://budget.example.gov.cn; needed for "
        "sitemap.xml, canonical links and Open Graph tags (without it the build warns and leaves them out).",
    ),
    Setting("theme", "default", "Theme name: themes/<name>/ in the site root, else the built-in default."),
    Setting("title", "部门预算公开", "Site title shown in the header and the browser tab."),
    Setting("description", "", "One-sentence description for the home page and search engines."),
    Setting(
        "language",
        "zh-CN",
        "Page language (html lang) and the UI strings file themes/*/strings/<language>.toml.",
    ),
    Setting(
        "search_projects",
        True,
        "Index project pages for search (true); false keeps them out of the index, which roughly halves "
        "Pagefind's time on a site with thousands of projects (their names stay searchable on the "
        "department-year pages).",
    ),
)


@dataclass(frozen=True)
class Config:
    """Resolved settings for one build."""

    site_dir: Path
    content: Path
    output: Path
    base_url: str = "/"
    site_url: str = ""
    theme: str = "default"
    title: str = "部门预算公开"
    description: str = ""
    language: str = "zh-CN"
    search_projects: bool = True

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
    """Read `budgetsite.toml` in `site_dir` (if present) and apply non-None `overrides`."""
    site_dir = Path(site_dir).resolve()
    known = {s.name: s for s in SETTINGS}
    values: dict[str, Any] = {s.name: s.default for s in SETTINGS}
    path = site_dir / CONFIG_FILE
    if path.is_file():
        for key, value in _read_toml(path).items():
            if key not in known:
                raise ConfigError(
                    f"unknown setting {key!r}", path=path, hint=f"use one of: {', '.join(sorted(known))}"
                )
            kind = "true or false" if isinstance(known[key].default, bool) else "a string"
            if isinstance(value, bool) != isinstance(known[key].default, bool) or not isinstance(
                value, (bool, str)
            ):
                raise ConfigError(f"setting {key!r} must be {kind}", path=path)
            values[key] = value
    for key, value in overrides.items():
        if key not in known:
            raise ConfigError(f"unknown setting {key!r}")
        if value is not None:
            values[key] = value if isinstance(known[key].default, bool) else str(value)
    base_url = values["base_url"].strip() or "/"
    if not urlsplit(base_url).scheme and not base_url.startswith("/"):
        base_url = "/" + base_url
    if not base_url.endswith("/"):
        base_url += "/"
    site_url = _site_url(values["site_url"], path)
    theme = values["theme"]
    if not theme or "/" in theme or "\\" in theme or theme.startswith("."):
        raise ConfigError(
            f"theme name {theme!r} is not a plain folder name", path=path, hint='e.g. theme = "default"'
        )
    return Config(
        site_dir=site_dir,
        content=(site_dir / values["content"]).resolve(),
        output=(site_dir / values["output"]).resolve(),
        base_url=base_url,
        site_url=site_url,
        theme=theme,
        title=values["title"],
        description=values["description"],
        language=values["language"],
        search_projects=bool(values["search_projects"]),
    )


def setting_names() -> list[str]:
    """Names of all settings (for docs tests)."""
    return [f.name for f in fields(Config) if f.name != "site_dir"]
