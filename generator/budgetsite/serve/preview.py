"""serve's preview folder: one full build, then incremental rebuilds of only the pages a change touches.

The loaded site stays in memory between saves. An edit inside content/<slug>/<year>/ reloads that one
folder and compares it with what was loaded before:

- only index.md changed (the usual hand edit): its narrative and title are swapped into the loaded
  model and only the disclosure page is re-rendered (with a new title also its project pages and its
  department's page), whatever the size of the site;
- a data.json edit that leaves the cross-page indices as they are (the same listing, the same code
  rows, the same 名词解释: a figure, a table title, a project) is copied into the loaded DeptYear and its
  code rows; only its department's pages are planned again;
- otherwise the cross-page indices are recomputed in memory and the pages whose planned dependencies
  (pages.PageSpec.deps) name that department-year are re-rendered: its own pages always, the code
  pages that show something else of it, the site-wide lists that show what changed, and the
  neighbours (same department; same year and region) only when what they show of it (name, year,
  totals, 三公) changed (site.impact decides, for build too).

Templates re-render every page; budgetsite.toml triggers a full build. The search index and the
SQLite download stay as the last full build made them (at start, on budgetsite.toml changes).
"""

from __future__ import annotations

import contextlib
import dataclasses
import gc
import shutil
import time
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from jinja2 import Environment, TemplateError

from budgetsite.config import CONFIG_FILE, Config, load_config
from budgetsite.identity import folder_year
from budgetsite.site.build import SiteRenderer, build, copy_static, load_site
from budgetsite.site.downloads import write_dept_year_files
from budgetsite.site.impact import (
    Impact,
    affected_pages,
    changed_code_pages,
    code_pages_shown,
    edit_impact,
    impact_of,
    listing_key,
    navigation_key,
    terms_key,
)
from budgetsite.site.load import (
    CodeEntry,
    DeptYear,
    Site,
    build_site,
    code_entries,
    commonest_name,
    load_dept_year,
)
from budgetsite.site.pages import PagePlanner, PageSpec, dept_year_key
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
class Swapped:
    """The edits of one rebuild that were copied into the loaded model (PreviewBuilder._swap_into_model)."""

    keys: set[str] = dataclasses.field(default_factory=set)  # their department-years
    departments: set[str] = dataclasses.field(default_factory=set)  # slugs whose pages are planned again
    code_pages: set[str] = dataclasses.field(default_factory=set)  # code pages that show them otherwise


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
        self.swapped = Swapped()

    # --- full build -----------------------------------------------------------------------------------

    def full_build(self) -> str:
        """Reload budgetsite.toml, build everything into the preview folder and load the site model."""
        started = time.perf_counter()
        config = load_config(self.config.site_dir, **self.overrides)
        self.config = dataclasses.replace(config, output=self.preview_dir)
        # serve edits its preview folder in place, so the build cache never describes it: a clean build.
        result = build(self.config, quiet=True, clean=True)
        # The build keeps its Site to itself; loading the tree again costs one more read at start only.
        self._adopt(load_site(self.config, keep_parts=True))
        self._compile_templates()
        return f"built {result.pages} pages, {result.files} files in {time.perf_counter() - started:.2f} s"

    def _compile_templates(self) -> None:
        """Compile every template of the theme chain now, not on the first save: the build rendered in
        worker processes, and Jinja's parsing would add half a second to the first edit."""
        assert self.renderer is not None
        env = self.renderer.env
        for name in env.list_templates(extensions=["html"]):
            # A broken template no page uses stays quiet; one that is used reports itself when rendered.
            with contextlib.suppress(TemplateError):
                env.get_template(name)

    def _adopt(self, site: Site, env: Environment | None = None) -> None:
        self.renderer = SiteRenderer(site, self.config, env)
        self.specs = {spec.path: spec for spec in self.renderer.plan}
        self.dept_years = {dy.folder.resolve(): dy for dy in site.dept_years}
        # The loaded site (millions of objects on a 1,000 department-year site) makes no cycles worth
        # collecting: out of the collector's sight, a save no longer pays now and then for a full
        # collection walking all of it (a 2.5 s rebuild among 0.2 s ones). What is later replaced is
        # still freed by reference counting.
        gc.freeze()

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
        self.swapped = Swapped()
        impacts = {impact.key: impact for impact in map(self._reload_dept_year, change.dept_years)}
        hand_keys = {f"pages/{name}" for name in change.hand_pages}
        if (
            impacts
            and not hand_keys
            and all(i.in_place or i.key in self.swapped.keys for i in impacts.values())
        ):
            # The same indices: re-plan only the swapped disclosures' departments (their pages hold what
            # was planned from their data: budget-vs-actual figures, projects) and render what shows them.
            self._replan_departments(self.swapped.departments)
            specs = ((path, spec.deps) for path, spec in self.specs.items())
            return affected_pages(impacts, set(), specs, self.swapped.code_pages)
        self._adopt(build_site(self.config.content, list(self.dept_years.values())), self.renderer.env)
        new_site = self.renderer.site
        # Every page's navigation lists the hand-written pages, and every page links glossary terms:
        # a page added, removed or renamed, or a term added or removed, touches them all.
        if navigation_key(old_site) != navigation_key(new_site) or terms_key(old_site) != terms_key(new_site):
            return set(self.specs)
        targets = set(self.specs) - set(old_specs)  # new pages: a project, code or year
        # Code pages that show something else of the edited department-years (a row, a name, a position);
        # the old site already holds what was swapped into it, so those edits bring their own.
        code_pages = changed_code_pages(old_site, new_site, set(impacts))
        if code_pages is not None:
            code_pages |= self.swapped.code_pages
        pages = [(path, spec.deps) for path, spec in [*old_specs.items(), *self.specs.items()]]
        targets |= affected_pages(impacts, hand_keys, pages, code_pages)
        self._remove(set(old_specs) - set(self.specs))
        return targets & set(self.specs)

    def _reload_dept_year(self, folder: Path) -> Impact:
        key = f"{folder.parent.name}/{folder.name}"
        old = self.dept_years.get(folder)
        if (folder / "data.json").is_file():
            new: DeptYear | None = load_dept_year(folder, keep_parts=True)
            assert new is not None
            write_dept_year_files(new, self.preview_dir)
            impact = impact_of(key, old, new)
            if old is not None and impact.in_place:
                # An index.md edit (text or title): swap it into the DeptYear every index already points
                # at, so no cross-page index needs recomputing and only the pages showing it change.
                old.take_text_of(new)
                return impact
            if old is not None and self._swap_into_model(old, new):
                return impact  # computed before `old` took the new data
            self.dept_years[folder] = new
        else:
            # The folder was removed (or lost its data.json): its page folder goes too.
            self.dept_years.pop(folder, None)
            new = None
            if old is not None:
                _remove_page_folder(self.preview_dir / old.path)
        return edit_impact(key, old, new)

    def _swap_into_model(self, old: DeptYear, new: DeptYear) -> bool:
        """Copy `new` into `old`, the DeptYear the loaded indices point at, when the edit leaves their
        shape alone: the same listing, the same code rows (by code, in order) and the same 名词解释 (a
        figure, a table title, a check, a project's text). Re-indexing 1,000 department-years and
        re-planning 17,000 pages took 2–3 s; this takes milliseconds. Returns whether it did."""
        assert self.renderer is not None
        site = self.renderer.site
        if listing_key(old) != listing_key(new) or old.glossary != new.glossary:
            return False
        rows_before: dict[tuple[str, str], list[CodeEntry]] = defaultdict(list)
        for line_key, line in site.codes.items():
            rows_before[line_key] += [e for e in line.entries if e.dept_year is old]
        rows_after: dict[tuple[str, str], list[CodeEntry]] = defaultdict(list)
        for line_key, entry in code_entries(new):
            rows_after[line_key].append(entry)
        rows_before = {k: v for k, v in rows_before.items() if v}
        if {k: len(v) for k, v in rows_before.items()} != {k: len(v) for k, v in rows_after.items()}:
            return False
        key, lines = dept_year_key(old), [site.codes[line_key] for line_key in rows_before]
        shown = code_pages_shown(site, {key}, lines)
        for field in dataclasses.fields(old):
            setattr(old, field.name, getattr(new, field.name))
        for line_key, entries in rows_before.items():
            for entry, replacement in zip(entries, rows_after[line_key], strict=True):
                for field in dataclasses.fields(entry):
                    setattr(entry, field.name, getattr(replacement, field.name))
                entry.dept_year = old
            site.codes[line_key].name = commonest_name(site.codes[line_key].entries)
        now = code_pages_shown(site, {key}, lines)
        self.swapped.keys.add(key)
        self.swapped.departments.add(old.slug)
        self.swapped.code_pages |= {p for p in shown.keys() | now.keys() if shown.get(p) != now.get(p)}
        return True

    def _replan_departments(self, slugs: set[str]) -> None:
        """Plan again the pages of departments `slugs` (the rest of the plan stays as it is)."""
        assert self.renderer is not None
        if not slugs:
            return
        planner = PagePlanner(self.renderer.site, self.renderer.url, self.renderer.env.globals["t"])  # type: ignore[arg-type]
        for slug in slugs:
            for spec in planner.pages_of(self.renderer.site.departments[slug]):
                self.specs[spec.path] = spec

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
