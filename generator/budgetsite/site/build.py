"""`budgetsite build`: content tree → Site → pages → downloads → search index → swap into output/."""

from __future__ import annotations

import gc
import logging
import multiprocessing as mp
import os
import re
import shutil
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from xml.sax.saxutils import escape as xml_escape

import click
from jinja2 import Environment

from budgetsite.config import CONFIG_FILE, Config
from budgetsite.content.slugs import inside
from budgetsite.content.tree import recover_tree
from budgetsite.errors import BudgetsiteError, ConfigError, crash_point, process_alive
from budgetsite.site.downloads import SQLITE_SCHEMA, write_dept_year_files, write_downloads
from budgetsite.site.load import Site, drop_stored_parts, gc_paused, load_content_site
from budgetsite.site.pages import PageSpec, plan_pages
from budgetsite.site.render import make_environment, render_template, theme_dirs
from budgetsite.site.search import SearchIndexer, plan_bundles
from budgetsite.site.urls import Urls

log = logging.getLogger(__name__)


@dataclass
class BuildResult:
    pages: int
    files: int
    seconds: float


def load_site(config: Config, keep_parts: bool = False) -> Site:
    """Read the content tree into the Site model (no writing; `keep_parts`: see StoredDisclosure)."""
    return load_content_site(config.content, keep_parts)


class SiteRenderer:
    """Render pages of one Site with one theme environment."""

    def __init__(self, site: Site, config: Config, env: Environment | None = None):
        self.site = site
        self.config = config
        self.env = env or make_environment(config)
        self.url = Urls(config.base_path).href
        with gc_paused():  # 17,000 page specs on a 1,000 department-year site
            self.plan = plan_pages(site, self.url, self.env.globals["t"])  # type: ignore[arg-type]
        self.regions = sorted({part for dy in site.dept_years for part in dy.region})
        # The search page must know every search bundle before Pagefind writes them.
        self.bundles = plan_bundles(site, projects=config.search_projects)
        self.search_bundles = [self.url(b.folder + "/") for b in self.bundles[1:]]

    def render(self, spec: PageSpec) -> str:
        """HTML of one page."""
        context = {
            "site": self.site,
            "page_path": spec.path,
            "regions": self.regions,
            "sqlite_schema": SQLITE_SCHEMA,
            "search_bundles": self.search_bundles,
        }
        context.update(spec.make_context())
        return render_template(self.env, spec.template, context)

    def write(self, spec: PageSpec, out_dir: Path) -> None:
        """Render one page into `out_dir`."""
        target = inside(out_dir, spec.file)
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(self.render(spec), encoding="utf-8")


def render_pages(
    site: Site, config: Config, out_dir: Path, urls: set[str] | None = None, progress: bool = False
) -> int:
    """Write the pages whose path is in `urls` (None = all) straight into `out_dir`; returns the count."""
    renderer = SiteRenderer(site, config)
    specs = [s for s in renderer.plan if urls is None or s.path in urls]
    _render_specs(renderer, specs, out_dir, progress)
    return len(specs)


# Below this many pages a worker pool costs more than it saves (and tests stay in one process).
PARALLEL_MIN_PAGES = 1500
_CHUNK = 100
# Chunks a render worker renders before a fresh fork replaces it (see _render_specs): at 10,000
# department-years a worker had copied 111 MB of the model after 1 minute, 541 MB after 4 (100 chunks).
WORKER_CHUNKS = 25
_worker_job: tuple[SiteRenderer, list[PageSpec], list[tuple[int, int]], Path] | None = None


def _render_chunk(number: int) -> int:
    # Runs in a forked worker: the renderer and the plan are inherited, nothing is pickled but the number.
    assert _worker_job is not None
    renderer, specs, chunks, out_dir = _worker_job
    start, end = chunks[number]
    for spec in specs[start:end]:
        renderer.write(spec, out_dir)
    return number


def department_chunks(specs: list[PageSpec], size: int) -> list[tuple[int, int]]:
    """(start, end) of runs of about `size` pages that never split a department's pages.

    A worker then reads a department-year's tables once for all of its pages (its own, its projects, its
    department's comparisons) and drops them after (StoredDisclosure).
    """
    chunks: list[tuple[int, int]] = []
    start = 0
    for index in range(1, len(specs) + 1):
        if index == len(specs) or (
            index - start >= size
            and Urls.department_of(specs[index].path) != Urls.department_of(specs[index - 1].path)
        ):
            chunks.append((start, index))
            start = index
    return chunks


def _can_fork() -> bool:
    return (os.cpu_count() or 1) > 1 and "fork" in mp.get_all_start_methods()


def _render_specs(
    renderer: SiteRenderer,
    specs: list[PageSpec],
    out_dir: Path,
    progress: bool,
    written: Callable[[list[str]], None] | None = None,
) -> None:
    """Write `specs` into `out_dir` (in a worker pool when there are many); `written` hears of each page."""
    global _worker_job
    workers = os.cpu_count() or 1
    parallel = _can_fork() and len(specs) >= PARALLEL_MIN_PAGES
    with click.progressbar(
        length=len(specs), label="rendering pages", show_pos=True, hidden=not progress
    ) as bar:
        if not parallel:
            for spec in specs:
                renderer.write(spec, out_dir)
                bar.update(1)
                if written is not None:
                    written([spec.path])
            return
        chunks = department_chunks(specs, _CHUNK)
        _worker_job = (renderer, specs, chunks, out_dir)
        drop_stored_parts()  # planning read a few disclosures' tables: the workers need not inherit them
        try:
            # A worker is replaced after WORKER_CHUNKS chunks: touching the inherited model copies the
            # pages it lies on into the worker (reference counts), a fresh fork shares them again.
            with mp.get_context("fork").Pool(workers, maxtasksperchild=WORKER_CHUNKS) as pool:
                for number in pool.imap_unordered(_render_chunk, range(len(chunks))):
                    chunk = specs[slice(*chunks[number])]
                    bar.update(len(chunk))
                    if written is not None:
                        written([spec.path for spec in chunk])
        finally:
            _worker_job = None


def copy_static(config: Config, out_dir: Path) -> int:
    """Theme static files, default first so a site theme's files override them."""
    count = 0
    for folder in reversed(theme_dirs(config)):
        static = folder / "static"
        if static.is_dir():
            shutil.copytree(static, out_dir / Urls.static, dirs_exist_ok=True)
            count += sum(1 for p in static.rglob("*") if p.is_file())
    return count


def write_sitemap(paths: Iterable[str], config: Config, out_dir: Path) -> None:
    """robots.txt, and sitemap.xml when the site's absolute address is known (site_url).

    A sitemap must list absolute URLs; with only a path (base_url "/") it would be invalid, so the
    build warns and writes robots.txt without a Sitemap line instead.
    """
    base = config.absolute_base
    if base is None:
        log.warning(
            "warning: %s: no site_url set, so sitemap.xml, canonical links and Open Graph tags are left out — "
            'set site_url = "https://your.host" to add them',
            CONFIG_FILE,
        )
        (out_dir / "robots.txt").write_text("User-agent: *\nAllow: /\n", encoding="utf-8")
        return
    entries = "".join(f"<url><loc>{xml_escape(base + p)}</loc></url>\n" for p in paths)
    (out_dir / Urls.sitemap).write_text(
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        f'<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n{entries}</urlset>\n',
        encoding="utf-8",
    )
    (out_dir / Urls.robots).write_text(
        f"User-agent: *\nAllow: /\nSitemap: {base}{Urls.sitemap}\n", encoding="utf-8"
    )


def _check_output(config: Config) -> None:
    output, content, site_dir = config.output, config.content, config.site_dir
    if output in (content, site_dir) or content.is_relative_to(output) or site_dir.is_relative_to(output):
        raise ConfigError(
            f"output folder {output} would replace the content or site folder",
            hint="set output to a separate folder such as output/",
        )


def _swap_into_place(staging: Path, output: Path) -> None:
    """Replace `output` by `staging` with two renames, so readers never see a half-written site.

    A kill between the renames leaves no output/ but `.output.old-<pid>`: recover_output restores it.
    """
    old = output.with_name(f".{output.name}.old-{os.getpid()}")
    if output.exists():
        output.rename(old)
    crash_point("build-swap")  # between the two renames
    staging.rename(output)
    crash_point("build-cleanup")  # swapped in, the previous site not yet removed
    shutil.rmtree(old, ignore_errors=True)


def recover_output(output: Path, quiet: bool = False) -> list[str]:
    """Undo what an interrupted build left beside `output`; one line per leftover, said on stderr.

    `.output.building-<pid>` (a staging folder) is removed; `.output.old-<pid>` (the previous site, moved
    aside for the swap) is put back when output/ is missing — the kill came between the two renames —
    and removed otherwise. Folders of a build still running (its pid alive) are left alone.
    """
    messages: list[str] = []
    if not output.parent.is_dir():
        return messages
    pattern = re.compile(rf"^\.{re.escape(output.name)}\.(?P<state>building|old)-(?P<pid>\d+)$")
    leftovers = sorted(output.parent.iterdir(), key=lambda p: "0" if ".old-" in p.name else "1")
    for leftover in leftovers:
        match = pattern.match(leftover.name)
        if match is None or not leftover.is_dir() or process_alive(int(match.group("pid"))):
            continue
        if match.group("state") == "old" and not output.exists():
            leftover.rename(output)
            messages.append(f"recovered {output}: the previous site, moved aside by an interrupted build")
        else:
            shutil.rmtree(leftover, ignore_errors=True)
            messages.append(f"recovered {output}: removed {leftover.name} left by an interrupted build")
    if not quiet:
        for message in messages:
            click.echo(message, err=True)
    return messages


class _StageTimer:
    """Log how long each build stage took, wall and CPU (this process + finished children; shown with -v)."""

    def __init__(self) -> None:
        self.last = time.perf_counter()
        self.last_cpu = _cpu_seconds()

    def done(self, stage: str) -> None:
        now, cpu = time.perf_counter(), _cpu_seconds()
        log.debug("%s: %.1f s (CPU %.1f s)", stage, now - self.last, cpu - self.last_cpu)
        self.last, self.last_cpu = now, cpu


def _cpu_seconds() -> float:
    times = os.times()
    return times.user + times.system + times.children_user + times.children_system


def build(config: Config, quiet: bool = False) -> BuildResult:
    """Build the whole site into config.output (via a staging folder swapped in at the end)."""
    started = time.perf_counter()
    timer = _StageTimer()
    _check_output(config)
    # An ingest killed mid-swap may have moved a department-year aside: put it back before reading.
    recover_tree(config.content, quiet=quiet)
    site = load_site(config)  # 1. content tree → Site model
    renderer = SiteRenderer(site, config)  # 2. theme + page plan
    timer.done(f"load {len(site.dept_years)} department-years")
    # The site and the plan live until the build ends: out of the collector's sight, the millions of loaded
    # objects are not walked again and again while rendering (a quarter of render time), nor are the forked
    # workers' copy-on-write pages dirtied by it.
    gc.freeze()
    try:
        return _render_into_place(config, site, renderer, timer, started, quiet)
    finally:
        gc.unfreeze()


def _render_into_place(
    config: Config, site: Site, renderer: SiteRenderer, timer: _StageTimer, started: float, quiet: bool
) -> BuildResult:
    config.output.parent.mkdir(parents=True, exist_ok=True)
    recover_output(config.output, quiet)
    staging = config.output.with_name(f".{config.output.name}.building-{os.getpid()}")
    shutil.rmtree(staging, ignore_errors=True)
    staging.mkdir()
    search = None
    try:
        # 5. search index: each bundle is indexed as soon as its pages are written, beside the rendering
        # and then beside the downloads (Pagefind runs are separate processes; the downloads are not
        # parallel, so they run in this process while Pagefind uses the other core).
        search = indexer = SearchIndexer(staging, renderer.bundles, (s.path for s in renderer.plan))
        pages = sorted(renderer.plan, key=lambda spec: indexer.bundle_of(spec.path))  # a bundle at a time
        _render_specs(renderer, pages, staging, not quiet, indexer.pages_written)  # 3. pages
        indexer.all_pages_written()
        timer.done(f"render {len(pages)} pages")
        files = len(pages) + copy_static(config, staging)
        files += write_downloads(site, staging, renderer.url)  # 4. downloads
        write_sitemap([s.path for s in renderer.plan if s.indexed], config, staging)
        files += 2
        timer.done("downloads, sitemap")
        with click.progressbar(
            indexer.finished(), length=len(renderer.bundles), label="search index", hidden=quiet
        ) as runs:
            for _ in runs:
                pass
        search = None
        files += sum(
            1 for bundle in renderer.bundles for p in (staging / bundle.folder).rglob("*") if p.is_file()
        )
        timer.done(f"search index ({len(renderer.bundles)} bundles, rest)")
        crash_point("build-staged")  # the whole site in the staging folder, not yet swapped in
        _swap_into_place(staging, config.output)  # 6. swap
    except BaseException:
        if search is not None:
            search.cancel()
        shutil.rmtree(staging, ignore_errors=True)
        raise
    result = BuildResult(pages=len(renderer.plan), files=files, seconds=time.perf_counter() - started)
    if not quiet:
        click.echo(
            f"built {result.pages} pages, {result.files} files in {result.seconds:.1f} s → {config.output}"
        )
    return result


__all__ = [
    "BudgetsiteError",
    "BuildResult",
    "SiteRenderer",
    "build",
    "copy_static",
    "load_site",
    "render_pages",
    "write_dept_year_files",
    "write_sitemap",
]
