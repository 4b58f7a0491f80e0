"""`departments.toml`: the site's registry of departments (canonical name, aliases, slug, region, code …).

Real documents spell one body several ways (中共江苏省委办公厅 / 江苏省委办公厅, 上海市普陀区人民政府万里街道办事处
/ 万里街道办事处). Ingest maps every spelling listed here to one canonical name, folder and region;
`budgetsite check` reports department-years of a department the file does not list. The file is
optional: without it names are used as printed.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Any

from budgetsite.content.divisions import complete_region
from budgetsite.content.slugs import department_slug
from budgetsite.errors import ConfigError
from budgetsite.model import Disclosure

REGISTRY_FILE = "departments.toml"

# Kinds of body as budget documents classify them (单位性质 and the party / congress organs).
KINDS = ("党委", "人大", "政府", "政协", "行政", "事业", "群团", "国有企业", "其他")
_KEYS = {"name", "aliases", "slug", "region", "code", "kind", "order"}
_SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
_SPACES = re.compile(r"\s+")


@dataclass(frozen=True)
class DepartmentEntry:
    """One [[department]] of departments.toml."""

    name: str  # canonical name, shown on the site
    aliases: tuple[str, ...] = ()
    slug: str | None = None  # folder and URL name; None: made from the name
    region: tuple[str, ...] = ()  # broadest first; () = from the name
    code: str | None = None  # 部门编码, a string
    kind: str | None = None  # one of KINDS
    order: int | None = None  # display order, lower first


def name_key(name: str) -> str:
    """Spellings that differ only in spaces are one name."""
    return _SPACES.sub("", name)


@dataclass(frozen=True)
class Registry:
    """The entries of one departments.toml, with every spelling looked up in one dict."""

    path: Path
    entries: tuple[DepartmentEntry, ...]

    @cached_property
    def _by_name(self) -> dict[str, DepartmentEntry]:
        return {name_key(n): e for e in self.entries for n in (e.name, *e.aliases)}

    def find(self, name: str) -> DepartmentEntry | None:
        """The entry whose name or alias is `name` (spaces ignored), else None."""
        return self._by_name.get(name_key(name))


def _entry(raw: Any, index: int, path: Path) -> DepartmentEntry:
    where = f"[[department]] number {index}"
    if not isinstance(raw, dict):
        raise ConfigError(f"{where} is not a table", path=path)
    unknown = set(raw) - _KEYS
    if unknown:
        raise ConfigError(
            f"{where}: unknown key {sorted(unknown)[0]!r}", path=path, hint=f"use {', '.join(sorted(_KEYS))}"
        )
    name = raw.get("name")
    if not isinstance(name, str) or not name.strip():
        raise ConfigError(f"{where} has no name", path=path, hint='add name = "…" (the canonical name)')
    where = f"department {name!r}"
    aliases = raw.get("aliases", [])
    if not isinstance(aliases, list) or not all(isinstance(a, str) and a.strip() for a in aliases):
        raise ConfigError(f"{where}: aliases must be a list of names", path=path)
    slug = raw.get("slug")
    if slug is not None and (not isinstance(slug, str) or not _SLUG.match(slug)):
        raise ConfigError(
            f"{where}: slug {slug!r} is not lower-case ASCII words joined by -",
            path=path,
            hint="e.g. jiangsu-shengwei",
        )
    region = raw.get("region", "")
    if not isinstance(region, str):
        raise ConfigError(f"{where}: region must be a string such as 河北省/邢台市/隆尧县", path=path)
    code = raw.get("code")
    if code is not None and not isinstance(code, str):
        # Codes are strings: 001 as a TOML number would lose its leading zeros.
        raise ConfigError(f"{where}: code must be a string (in quotes)", path=path, hint=f'code = "{code}"')
    kind = raw.get("kind")
    if kind is not None and kind not in KINDS:
        raise ConfigError(f"{where}: kind {kind!r} is not one of {'/'.join(KINDS)}", path=path)
    order = raw.get("order")
    if order is not None and (isinstance(order, bool) or not isinstance(order, int)):
        raise ConfigError(f"{where}: order must be a whole number", path=path)
    return DepartmentEntry(
        name=name.strip(),
        aliases=tuple(a.strip() for a in aliases),
        slug=slug,
        region=tuple(part.strip() for part in region.split("/") if part.strip()),
        code=code,
        kind=kind,
        order=order,
    )


def load_registry(site_dir: Path) -> Registry | None:
    """departments.toml of the site in `site_dir`, or None when there is none; errors are ConfigErrors."""
    path = site_dir / REGISTRY_FILE
    if not path.is_file():
        return None
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as error:
        raise ConfigError(f"not valid TOML ({error})", path=path, hint="fix the syntax") from None
    except (OSError, UnicodeDecodeError) as error:
        raise ConfigError(f"cannot read ({error})", path=path) from None
    unknown = set(data) - {"department"}
    if unknown:
        raise ConfigError(
            f"unknown table {sorted(unknown)[0]!r}",
            path=path,
            hint="list departments as [[department]] tables",
        )
    raw_entries = data.get("department", [])
    if not isinstance(raw_entries, list):
        raise ConfigError("department must be written [[department]]", path=path)
    entries = tuple(_entry(raw, i, path) for i, raw in enumerate(raw_entries, start=1))
    seen: dict[str, str] = {}
    slugs: dict[str, str] = {}
    for entry in entries:
        for spelling in (entry.name, *entry.aliases):
            other = seen.setdefault(name_key(spelling), entry.name)
            if other != entry.name:
                raise ConfigError(
                    f"{spelling!r} is listed for both {other!r} and {entry.name!r}",
                    path=path,
                    hint="a name or alias may belong to one department only",
                )
        if entry.slug is not None and slugs.setdefault(entry.slug, entry.name) != entry.name:
            raise ConfigError(
                f"slug {entry.slug!r} is used twice", path=path, hint="give each department its own"
            )
    return Registry(path, entries)


def canonical_name(name: str, registry: Registry | None) -> str:
    """The registry's name for `name` (one of its spellings), else `name` as printed."""
    entry = registry.find(name) if registry is not None else None
    return entry.name if entry is not None else name


def identify(disclosure: Disclosure, registry: Registry | None, region_given: bool = False) -> None:
    """Set the disclosure's name, slug, region and code from its registry entry (if any).

    The region is completed with the national division list (隆尧县 → 河北省/邢台市/隆尧县); a region given
    with --region for this run wins over the registry's. A code the document prints is kept (the
    registry's fills a missing one): codes are the document's.
    """
    entry = registry.find(disclosure.department) if registry is not None else None
    if entry is not None:
        disclosure.department = entry.name
        if entry.region and not region_given:
            disclosure.region = list(entry.region)
        disclosure.department_code = disclosure.department_code or entry.code
    disclosure.slug = (
        entry.slug if entry is not None and entry.slug else department_slug(disclosure.department)
    )
    disclosure.region = complete_region(disclosure.region)


EXAMPLE = """\
# departments.toml: the departments of this site (optional). Ingest maps every spelling listed here to
# one department (one folder, one page); `budgetsite check` reports department-years of a department
# not listed. Only `name` is required. See the budgetsite README, section "Departments".
#
# [[department]]
# name = "中共江苏省委办公厅"         # canonical name, shown on the site
# aliases = ["江苏省委办公厅"]         # other spellings printed in documents
# slug = "jiangsusheng-shengwei-bangongting"  # folder/URL name (default: pinyin of the name)
# region = "江苏省"                   # 省/市/县 path; default: from the name, completed with the national list
# code = "101001"                    # 部门编码 (a string)
# kind = "党委"                       # 党委 / 人大 / 政府 / 政协 / 行政 / 事业 / 群团 / 国有企业 / 其他
# order = 10                         # display order, lower first
#
# [[department]]
# name = "隆尧县科学技术和工业信息化局"  # region comes out as 河北省/邢台市/隆尧县
"""
