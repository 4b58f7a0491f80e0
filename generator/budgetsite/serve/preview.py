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
from budgetsite.recognize.sections import glossary_entries
from budgetsite.site.build import SiteRenderer, build, copy_static, load_site
from budgetsite.site.downloads import write_dept_year_files
from budgetsite.site.load import DeptYear, Site, build_site, load_dept_year
from budgetsite.site.pages import ALL, PageSpec, dept_year_key
from budgetsite.site.render import make_environment
from budgetsite.site.urls import Urls


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
            elif len(parts) >= 3 and parts[1].isdigit():
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
        self._adopt(load_site(self.config))
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
        if _navigation(old_site) != _navigation(new_site) or _terms(old_site) != _terms(new_site):
            return set(self.specs)
        targets = set(self.specs) - set(old_specs)  # new pages: a project, code or year
        # Code pages whose rows of the edited department-years differ (amount, name, table title, anchor).
        if old_site.codes.keys() == new_site.codes.keys():
            old_lines, new_lines = _code_lines(old_site, set(impacts)), _code_lines(new_site, set(impacts))
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
            new: DeptYear | None = load_dept_year(folder)
            assert new is not None
            write_dept_year_files(new, self.preview_dir)
            if old is not None and _all_but_text(old) == _all_but_text(new):
                # An index.md edit (text or title): swap it into the DeptYear every index already points
                # at, so no cross-page index needs recomputing and only the pages showing it change.
                retitled = old.disclosure.title != new.disclosure.title
                old.disclosure.sections, old.disclosure.title = new.disclosure.sections, new.disclosure.title
                old.front_matter = new.front_matter
                return Impact(key, new.path, listing=False, tables=False, title=retitled, in_place=True)
            self.dept_years[folder] = new
        else:
            # The folder was removed (or lost its data.json): its page folder goes too.
            self.dept_years.pop(folder, None)
            new = None
            shutil.rmtree(
                self.preview_dir / Urls.dept_year(folder.parent.name, folder.name), ignore_errors=True
            )
        whole = old is None or new is None
        return Impact(
            key=key,
            own_path=Urls.dept_year(folder.parent.name, folder.name),
            listing=whole or _listing(old) != _listing(new),  # type: ignore[arg-type]
            tables=whole or _tables(old) != _tables(new),  # type: ignore[arg-type]
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


@dataclass(frozen=True)
class Impact:
    """How an edit of one department-year reaches the pages that depend on it."""

    key: str  # "<slug>/<year>", as in PageSpec.deps
    own_path: str  # its page; its project pages live below it
    listing: bool  # what other pages show of it changed: name, year, totals, 三公
    tables: bool  # its table rows changed: the code pages that list them
    title: bool = False  # its title changed: shown on its own pages and its department's page only
    in_place: bool = False  # only index.md text or title changed: swapped into the loaded model

    @property
    def department_path(self) -> str:
        """The page of its department (the key is '<slug>/<year>')."""
        return Urls.department(self.key.split("/", 1)[0])

    def affects(self, path: str, code_pages: set[str] | None) -> bool:
        """Whether the page at `path`, which depends on this department-year, must be re-rendered.

        `code_pages`: the code pages whose rows changed (None: unknown, take every one it appears on).
        """
        if path == self.own_path:
            return True
        if path.startswith(self.own_path):  # its project pages
            return not self.in_place or self.title
        if path == self.department_path:  # the department page lists its years by title
            return self.listing or self.title
        if Urls.is_code_page(path):
            return self.listing or (self.tables and (code_pages is None or path in code_pages))
        # Neighbouring dept-year pages, the department and the year page show only its listing.
        return self.listing


def _listing(dy: DeptYear) -> tuple[object, ...]:
    # Everything about a department-year that the default theme shows on *other* pages. A body-text
    # edit of index.md changes none of it, so the hundreds of same-year pages that link to it stay.
    d = dy.disclosure
    return (
        dy.slug,
        dy.year,
        d.department,
        tuple(d.region),
        d.kind,
        len(d.projects),
        repr((dy.total, dy.basic, dy.project, dy.three_public)),
    )


def _all_but_text(dy: DeptYear) -> str:
    # Everything but the narrative and the title; the glossary comes from the narrative, so it is here.
    d = dy.disclosure
    front_matter = {k: v for k, v in dy.front_matter.items() if k != "title"}
    return repr(
        (
            _listing(dy),
            _tables(dy),
            d.projects,
            d.checks,
            d.source,
            d.department_code,
            front_matter,
            glossary_entries(d),
        )
    )


def _tables(dy: DeptYear) -> str:
    # repr keeps the printed digits: Decimal("1.0") == Decimal("1.00") but they print differently.
    return repr([(t.id, t.title, t.columns, t.rows) for t in dy.disclosure.tables])


def _code_lines(site: Site, keys: set[str]) -> dict[str, str]:
    """Page path → what the code page shows, for the code lines with a row of one of `keys`."""
    # Rows of other department-years are the same objects before and after: compare only the edited ones.
    shown = {}
    for line in site.codes.values():
        rows = [
            (key, e.table.title, e.name, repr(e.amount), e.anchor, e.amount_label)
            for e in line.entries
            if (key := dept_year_key(e.dept_year)) in keys
        ]
        if rows:
            shown[line.path] = repr((line.name, rows))
    return shown


def _navigation(site: Site) -> list[tuple[str, str]]:
    return [(page.path, page.title) for page in site.pages]


def _terms(site: Site) -> list[str]:
    return [term.term for term in site.glossary]
