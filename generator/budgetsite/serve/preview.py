"""serve's preview folder: one full build, then incremental rebuilds of only the pages a change touches.

The loaded site stays in memory between saves. An edit inside content/<slug>/<year>/ reloads that one
folder and compares it with what was loaded before:

- only index.md changed (the usual hand edit): its narrative and title are swapped into the loaded
  model and only the disclosure page is re-rendered (with a new title also its project pages and its
  department's page), whatever the size of the site;
- otherwise the cross-page indices are recomputed in memory and the pages whose planned dependencies
  (pages.PageSpec.deps) name that department-year are re-rendered: its own pages always, the code
  pages whose rows changed, the site-wide lists, and the neighbours (same department, same year) only
  when what they show of it (name, year, totals, 三公) changed.

Templates re-render every page; budgetsite.toml triggers a full build. The search index and the
SQLite download stay as the last full build made them (at start, on budgetsite.toml changes).
"""

from __future__ import annotations

import dataclasses
import shutil
import time
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from jinja2 import Environment

from budgetsite.config import CONFIG_FILE, Config, load_config
from budgetsite.identity import folder_year
from budgetsite.site.build import SiteRenderer, build, copy_static, load_site
from budgetsite.site.downloads import write_dept_year_files
from budgetsite.site.impact import (
    Impact,
    all_but_text_key,
    code_lines_shown,
    listing_key,
    navigation_key,
    tables_key,
    terms_key,
    year_path_of,
)
from budgetsite.site.load import DeptYear, Site, build_site, load_dept_year
from budgetsite.site.pages import ALL, PageSpec
from budgetsite.site.render import make_environment


@dataclass
class Change:
    """What a set of changed files means for the site."""

    full_build: bool = False  # budgetsite.toml: settings may move every page
    all_pages: bool = False  # a template: every page may look different
    static: bool = False  # a theme's static file: copy, no page changes
    dept_years: set[Path] = dataclasses.field(default_factory=set)  # content/<slug>/<year>/ folders
    hand_pages: set[str] = dataclasses.field(default_factory=set)  # names of content/pages/<name>.md


def classify(paths: Iterable[Path], config: Config) -> Change:
    """Sort changed file paths into what has to be rebuilt."""
    change = Change()
    content = config.content.resolve()
    themes = (config.site_dir / "themes").resolve()
    for path in (p.resolve() for p in paths):
        if path == (config.site_dir / CONFIG_FILE).resolve():
            change.full_build = True
        elif themes in path.parents:
            parts = path.relative_to(themes).parts
            if len(parts) > 1 and parts[1] == "static":
                change.static = True
            else:
                change.all_pages = True
        elif content in path.parents:
            parts = path.relative_to(content).parts
            if parts[0] == "pages":
                change.hand_pages.add(Path(parts[-1]).stem)
            elif len(parts) >= 3 and folder_year(parts[1]) is not None:  # 2024, 2024-final-accounts …
                change.dept_years.add(content / parts[0] / parts[1])
    return change


@dataclass
class RebuildStats:
    pages: int
    seconds: float
    reason: str

    def __str__(self) -> str:
        return f"rebuilt {self.pages} pages in {self.seconds:.2f} s ({self.reason})"


class PreviewBuilder:
    """Owns the preview folder and the in-memory site between rebuilds."""

    def __init__(self, config: Config, preview_dir: Path, overrides: dict[str, Any] | None = None):
        self.overrides = {k: v for k, v in (overrides or {}).items() if v is not None}
        self.preview_dir = preview_dir.resolve()
        self.config = dataclasses.replace(config, output=self.preview_dir)
        self.dept_years: dict[Path, DeptYear] = {}
        self.renderer: SiteRenderer | None = None
        self.specs: dict[str, PageSpec] = {}

    # --- full build -----------------------------------------------------------------------------------

    def full_build(self) -> str:
        """Reload budgetsite.toml, build everything into the preview folder and load the site model."""
        started = time.perf_counter()
        config = load_config(self.config.site_dir, **self.overrides)
        self.config = dataclasses.replace(config, output=self.preview_dir)
        result = build(self.config, quiet=True)
        # The build keeps its Site to itself; loading the tree again costs one more read at start only.
        # Kept whole: an edit is compared with the department-year before it (see site.load.StoredDisclosure).
        self._adopt(load_site(self.config, keep_parts=True))
        return f"built {result.pages} pages, {result.files} files in {time.perf_counter() - started:.2f} s"

    def _adopt(self, site: Site, env: Environment | None = None) -> None:
        self.renderer = SiteRenderer(site, self.config, env)
        self.specs = {spec.path: spec for spec in self.renderer.plan}
        self.dept_years = {dy.folder.resolve(): dy for dy in site.dept_years}

    # --- incremental ----------------------------------------------------------------------------------

    def rebuild(self, changed: list[Path] | None) -> str:
        """Rebuild what `changed` files affect (None: unknown, e.g. a deletion → everything)."""
        if self.renderer is None or changed is None:
            return self.full_build()
        change = classify(changed, self.config)
        if change.full_build:
            return self.full_build()
        started = time.perf_counter()
        if change.static:
            copy_static(self.config, self.preview_dir)
        targets: set[str] = set()
        if change.dept_years or change.hand_pages:
            targets = self._reload_content(change)
        if change.all_pages:
            # A template changed: a fresh environment (Jinja caches templates) and every page.
            self._adopt(self.renderer.site, make_environment(self.config))
            targets = set(self.specs)
        count = self._write(sorted(targets))
        names = sorted({p.name for p in changed})
        reason = ", ".join(names[:3]) + (" …" if len(names) > 3 else "")
        return str(RebuildStats(count, time.perf_counter() - started, reason))

    def _reload_content(self, change: Change) -> set[str]:
        """Reload the changed folders and pages; return the paths of the pages to re-render."""
        assert self.renderer is not None
        old_site, old_specs = self.renderer.site, self.specs
        impacts = {impact.key: impact for impact in map(self._reload_dept_year, change.dept_years)}
        hand_keys = {f"pages/{name}" for name in change.hand_pages}
        if impacts and not hand_keys and all(i.in_place for i in impacts.values()):
            # Same model, same plan: the narrative shows on the disclosure page only; a new title also
            # on its project pages and its department's list of years.
            targets = set()
            for impact in impacts.values():
                targets |= {path for path in self.specs if impact.affects(path, set())}
            return targets
        self._adopt(build_site(self.config.content, list(self.dept_years.values())), self.renderer.env)
        new_site = self.renderer.site
        # Every page's navigation lists the hand-written pages, and every page links glossary terms:
        # a page added, removed or renamed, or a term added or removed, touches them all.
        if navigation_key(old_site) != navigation_key(new_site) or terms_key(old_site) != terms_key(new_site):
            return set(self.specs)
        targets = set(self.specs) - set(old_specs)  # new pages: a project, code or year
        # Code pages whose rows of the edited department-years differ (amount, name, table title, anchor).
        if old_site.codes.keys() == new_site.codes.keys():
            old_lines, new_lines = (
                code_lines_shown(old_site, set(impacts)),
                code_lines_shown(new_site, set(impacts)),
            )
            code_pages = {
                path
                for path in old_lines.keys() | new_lines.keys()
                if old_lines.get(path) != new_lines.get(path)
            }
        else:
            code_pages = None  # a code came or went: parents list their children, so take them all
        for path, spec in [*old_specs.items(), *self.specs.items()]:
            if (
                spec.deps & hand_keys
                or (impacts and ALL in spec.deps)
                or any(
                    impact.affects(path, code_pages) for key, impact in impacts.items() if key in spec.deps
                )
            ):
                targets.add(path)
        self._remove(set(old_specs) - set(self.specs))
        return targets & set(self.specs)

    def _reload_dept_year(self, folder: Path) -> Impact:
        key = f"{folder.parent.name}/{folder.name}"
        old = self.dept_years.get(folder)
        if (folder / "data.json").is_file():
            new: DeptYear | None = load_dept_year(folder, keep_parts=True)
            assert new is not None
            write_dept_year_files(new, self.preview_dir)
            if old is not None and all_but_text_key(old) == all_but_text_key(new):
                # An index.md edit (text or title): swap it into the DeptYear every index already points
                # at, so no cross-page index needs recomputing and only the pages showing it change.
                retitled = old.disclosure.title != new.disclosure.title
                old.take_text_of(new)
                return Impact(key, new.path, listing=False, tables=False, title=retitled, in_place=True)
            self.dept_years[folder] = new
        else:
            # The folder was removed (or lost its data.json): its page folder goes too.
            self.dept_years.pop(folder, None)
            new = None
            if old is not None:
                _remove_page_folder(self.preview_dir / old.path)
        whole = old is None or new is None
        own = new or old
        return Impact(
            key=key,
            own_path=own.path if own is not None else year_path_of(key),
            listing=whole or listing_key(old) != listing_key(new),  # type: ignore[arg-type]
            tables=whole or tables_key(old) != tables_key(new),  # type: ignore[arg-type]
            title=whole or old.disclosure.title != new.disclosure.title,  # type: ignore[union-attr]
        )

    def _write(self, paths: list[str]) -> int:
        assert self.renderer is not None
        for path in paths:
            self.renderer.write(self.specs[path], self.preview_dir)
        return len(paths)

    def _remove(self, paths: set[str]) -> None:
        for path in paths:
            target = self.preview_dir / path
            (target / "index.html" if path.endswith("/") else target).unlink(missing_ok=True)


def _remove_page_folder(page_dir: Path) -> None:
    """Remove a disclosure page with its downloads and project pages, but not the pages nested below it
    (the budget's folder holds its 决算's final-accounts/, its units' units/, budget-vs-actual/)."""
    if not page_dir.is_dir():
        return
    for child in page_dir.iterdir():
        if child.is_file():
            child.unlink()
        elif child.name in ("tables", "projects"):
            shutil.rmtree(child, ignore_errors=True)
    if not any(page_dir.iterdir()):
        page_dir.rmdir()
