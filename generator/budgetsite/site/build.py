"""`budgetsite build`: content tree → Site → pages → downloads → search index → swap into output/."""

from __future__ import annotations

import dataclasses
import gc
import hashlib
import logging
import multiprocessing as mp
import os
import re
import shutil
import subprocess
import threading
import time
from collections.abc import Callable, Iterable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from xml.sax.saxutils import escape as xml_escape

import click
from jinja2 import Environment

from budgetsite.config import CONFIG_FILE, Config
from budgetsite.content.slugs import inside
from budgetsite.content.tree import iter_disclosure_folders, recover_tree
from budgetsite.errors import BudgetsiteError, ConfigError, crash_point, process_alive
from budgetsite.site.downloads import (
    INDEX_CSV_NAME,
    INDEX_NAME,
    SANGONG_CSV,
    SQLITE_NAME,
    SQLITE_SCHEMA,
    write_dept_year_files,
    write_downloads,
)
from budgetsite.site.impact import (
    affected_pages,
    changed_code_pages,
    impact_of,
    navigation_key,
    site_before,
    terms_key,
)
from budgetsite.site.incremental import BuildCache, Fingerprint, Manifest, fingerprint, pagefind_fingerprint
from budgetsite.site.load import (
    DeptYear,
    Site,
    build_site,
    drop_stored_parts,
    gc_paused,
    load_content_site,
    require_content_dir,
)
from budgetsite.site.pages import ALL, PageSpec, dept_year_key, page_file, plan_pages
from budgetsite.site.render import make_environment, render_template, theme_dirs
from budgetsite.site.search import (
    Bundle,
    SearchIndexer,
    bundle_finder,
    pagefind_executable,
    plan_bundles,
    search_scope,
)
from budgetsite.site.urls import Urls

log = logging.getLogger(__name__)


@dataclass
class BuildResult:
    pages: int
    files: int
    seconds: float
    rendered: int  # pages rendered (the others were unchanged, taken from the previous output)
    indexed_bundles: int  # search bundles Pagefind ran for (the others' pages did not change)


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
        # The search page must know every search bundle before Pagefind writes them.
        self.bundles = plan_bundles(site, projects=config.search_projects)
        self.search_scope = search_scope(self.bundles, self.url)

    def render(self, spec: PageSpec) -> str:
        """HTML of one page."""
        context = {
            "site": self.site,
            "page_path": spec.path,
            "sqlite_schema": SQLITE_SCHEMA,
            "search_scope": self.search_scope,
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
# Threads that hard-link the previous output's unchanged files into the staging folder: the links and the
# folders they need are file-system calls, mostly waiting; two halve a one-figure rebuild's wait for them
# (17,700 files of a 1,000 department-year site: 1.0–2.2 s against 2.0–6.6 s with one).
STAGER_THREADS = 2
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
    """Write `specs` into `out_dir` (in a worker pool when there are many); `written` hears of each page.

    With a pool, the workers' pages are reported once the workers are gone, so what `written` starts (a
    search bundle's Pagefind run, ~600 MB for 3,900 pages) never runs beside them. It does run beside the
    site-wide pages, which this process renders next on one core (~20 s at 10,000 department-years, the
    other core idle until then; their passing peak plus one run stays under 1.8 GB there).
    """
    with click.progressbar(
        length=len(specs), label="rendering pages", show_pos=True, hidden=not progress
    ) as bar:
        if not (_can_fork() and len(specs) >= PARALLEL_MIN_PAGES):
            for spec in specs:
                renderer.write(spec, out_dir)
                bar.update(1)
                if written is not None:
                    written([spec.path])
            return
        # The site-wide pages (code lines, years, lists) read department-years of the whole site: a worker
        # rendering them would touch, and so copy, the whole inherited model (the code pages of a 2,000
        # department-year site made a worker copy 183 MB of its 164 MB), so this process renders them once
        # the workers are gone.
        departments = [spec for spec in specs if Urls.department_of(spec.path) is not None]
        site_wide = [spec for spec in specs if Urls.department_of(spec.path) is None]
        done = _render_in_workers(renderer, departments, out_dir, bar.update)
        if written is not None:
            written(done)
        for spec in site_wide:
            renderer.write(spec, out_dir)
            bar.update(1)
        if written is not None:
            written([spec.path for spec in site_wide])


def _render_in_workers(
    renderer: SiteRenderer, specs: list[PageSpec], out_dir: Path, progress: Callable[[int], None]
) -> list[str]:
    """Write `specs` in a pool of forked workers, one per core, a department at a time; returns their paths
    once every worker has ended."""
    global _worker_job
    chunks = department_chunks(specs, _CHUNK)
    _worker_job = (renderer, specs, chunks, out_dir)
    drop_stored_parts()  # planning read a few disclosures' tables: the workers need not inherit them
    done: list[str] = []
    try:
        # A worker is replaced after WORKER_CHUNKS chunks: touching the inherited model copies the
        # pages it lies on into the worker (reference counts), a fresh fork shares them again.
        with mp.get_context("fork").Pool(os.cpu_count() or 1, maxtasksperchild=WORKER_CHUNKS) as pool:
            for number in pool.imap_unordered(_render_chunk, range(len(chunks))):
                chunk = specs[slice(*chunks[number])]
                progress(len(chunk))
                done += (spec.path for spec in chunk)
    finally:  # leaving the pool ends (and waits for) its workers
        _worker_job = None
    return done


def copy_static(config: Config, out_dir: Path) -> int:
    """Theme static files, default first so a site theme's files override them."""
    copied: set[Path] = set()
    for folder in reversed(theme_dirs(config)):
        static = folder / "static"
        if static.is_dir():
            shutil.copytree(static, out_dir / Urls.static, dirs_exist_ok=True)
            copied.update(p.relative_to(static) for p in static.rglob("*") if p.is_file())
    return len(copied)


def write_sitemap(paths: Iterable[str], config: Config, out_dir: Path) -> int:
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
        return 1
    entries = "".join(f"<url><loc>{xml_escape(base + p)}</loc></url>\n" for p in paths)
    (out_dir / Urls.sitemap).write_text(
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        f'<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n{entries}</urlset>\n',
        encoding="utf-8",
    )
    (out_dir / Urls.robots).write_text(
        f"User-agent: *\nAllow: /\nSitemap: {base}{Urls.sitemap}\n", encoding="utf-8"
    )
    return 2


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
    if old.exists():
        trash = old.with_name(f".{output.name}.trash-{os.getpid()}")
        old.rename(trash)
        _delete_later(trash)


def _delete_later(folder: Path) -> None:
    """Remove `folder` in a process of its own that outlives the build: unlinking a previous site's
    tens of thousands of files can take longer than a whole rebuild on a busy disk (47,000 files, 51 s
    while other builds loaded the disk). A removal killed half-way is finished by recover_output."""
    try:
        subprocess.run(
            ["sh", "-c", 'rm -rf -- "$1" >/dev/null 2>&1 &', "sh", str(folder)],
            check=True,
            start_new_session=True,
        )
    except (OSError, subprocess.CalledProcessError):
        shutil.rmtree(folder, ignore_errors=True)


def recover_output(output: Path, quiet: bool = False) -> list[str]:
    """Undo what an interrupted build left beside `output`; one line per leftover, said on stderr.

    `.output.building-<pid>` (a staging folder) is removed; `.output.old-<pid>` (the previous site, moved
    aside for the swap) is put back when output/ is missing — the kill came between the two renames —
    and removed otherwise. Folders of a build still running (its pid alive) are left alone. A
    `.output.trash-<pid>` (a replaced site whose removal did not finish) is removed without a word.
    """
    messages: list[str] = []
    if not output.parent.is_dir():
        return messages
    pattern = re.compile(rf"^\.{re.escape(output.name)}\.(?P<state>building|old|trash)-(?P<pid>\d+)$")
    leftovers = sorted(output.parent.iterdir(), key=lambda p: "0" if ".old-" in p.name else "1")
    for leftover in leftovers:
        match = pattern.match(leftover.name)
        if match is None or not leftover.is_dir() or process_alive(int(match.group("pid"))):
            continue
        if match.group("state") == "trash":
            _delete_later(leftover)
        elif match.group("state") == "old" and not output.exists():
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


def build(config: Config, quiet: bool = False, clean: bool = False) -> BuildResult:
    """Build the site into config.output: via a staging folder swapped in at the end, redoing only what
    changed since the last build (the build cache, site.incremental); `clean` ignores the cache."""
    started = time.perf_counter()
    timer = _StageTimer()
    _check_output(config)
    # An ingest killed mid-swap may have moved a department-year aside: put it back before reading.
    recover_tree(config.content, quiet=quiet)
    require_content_dir(config.content)
    config.output.parent.mkdir(parents=True, exist_ok=True)
    recover_output(config.output, quiet)
    cache = BuildCache(config)
    if clean:
        log.debug("build cache: --clean, building everything")
    state = _BuildState.scan(config, cache, None if clean else cache.previous())
    timer.done(f"fingerprint {len(state.folders)} content folders")
    if state.unchanged():
        assert state.reusable is not None
        state.remember_stats()
        result = BuildResult(
            len(state.reusable.pages), state.reusable.files, time.perf_counter() - started, 0, 0
        )
        if not quiet:
            click.echo(
                f"nothing changed: {result.pages} pages, {result.files} files in {result.seconds:.1f} s "
                f"→ {config.output}"
            )
        return result
    staging = config.output.with_name(f".{config.output.name}.building-{os.getpid()}")
    shutil.rmtree(staging, ignore_errors=True)
    staging.mkdir()
    stager = _Stager(config.output, staging)
    try:
        # The pages no change can reach are linked while the site loads (see _BuildState.untouched_pages).
        untouched = state.untouched_pages()
        stager.link_later(page_file(path) for path in untouched)
        with gc_paused():
            dept_years = [
                cache.load_dept_year(folder, key, state.folders[key].digest)
                for key, folder in state.dept_year_folders
            ]
            site = build_site(config.content, dept_years)
        renderer = SiteRenderer(site, config)  # 2. theme + page plan
        timer.done(f"load {len(site.dept_years)} department-years")
        # The site and the plan live until the build ends: out of the collector's sight, the millions of
        # loaded objects are not walked again and again while rendering (a quarter of render time), nor are
        # the forked workers' copy-on-write pages dirtied by it.
        gc.freeze()
        try:
            return _render_into_place(
                config, cache, state, site, renderer, stager, untouched, timer, started, quiet
            )
        finally:
            gc.unfreeze()
    except BaseException:
        stager.close()  # its thread may be linking into the staging folder
        shutil.rmtree(staging, ignore_errors=True)
        raise
    finally:
        stager.close()


@dataclass
class _BuildState:
    """This build's fingerprints beside the previous build's manifest."""

    config: Config
    cache: BuildCache
    previous: Manifest | None  # None: no usable cache (or --clean)
    reusable: Manifest | None  # the previous manifest when output/ is still the folder it describes
    settings: str
    setting_files: dict[str, Fingerprint]
    folders: dict[str, Fingerprint]  # '<slug>/<folder>' per department-year, 'pages' for hand pages
    dept_year_folders: list[tuple[str, Path]]

    @classmethod
    def scan(cls, config: Config, cache: BuildCache, previous: Manifest | None) -> _BuildState:
        settings, setting_files = cache.settings(previous, pagefind_fingerprint(pagefind_executable()))
        old = previous.folders if previous is not None else {}
        dept_year_folders = [
            (f"{folder.parent.name}/{folder.name}", folder)
            for folder in iter_disclosure_folders(config.content)
        ]
        folders = {key: fingerprint(folder, old.get(key)) for key, folder in dept_year_folders}
        folders["pages"] = fingerprint(config.content / "pages", old.get("pages"), "*.md")
        reusable = previous
        if previous is not None and previous.output != _folder_id(config.output):
            log.debug(
                "build cache: %s is not the folder the last build wrote, rendering everything", config.output
            )
            reusable = None
        return cls(config, cache, previous, reusable, settings, setting_files, folders, dept_year_folders)

    def unchanged(self) -> bool:
        """Nothing the site is made of changed since the build that wrote output/."""
        return (
            self.reusable is not None
            and self.reusable.settings == self.settings
            and _digests(self.reusable.folders) == _digests(self.folders)
        )

    def remember_stats(self) -> None:
        """Nothing changed, but files were touched (or were too recent to trust their stat): keep their
        new stat, so the next build need not read them again."""
        assert self.reusable is not None
        if (self.reusable.folders, self.reusable.setting_files) != (self.folders, self.setting_files):
            refreshed = dataclasses.replace(
                self.reusable, folders=self.folders, setting_files=self.setting_files
            )
            self.cache.save(refreshed)

    def changed_folders(self) -> set[str]:
        old = _digests(self.previous.folders) if self.previous is not None else {}
        new = _digests(self.folders)
        return {key for key in old.keys() | new.keys() if old.get(key) != new.get(key)}

    def untouched_pages(self) -> set[str]:
        """Paths of the previous build's pages that no change since can reach, as far as the fingerprints
        tell before loading: same settings, no dependency on a changed folder, not a code page or a
        site-wide page. (What every page shows, known after loading, may still change: see
        _render_into_place.)"""
        previous = self.reusable
        if previous is None or previous.settings != self.settings:
            return set()
        changed = self.changed_folders()
        hand_pages = "pages" in changed
        untouched = [
            ALL not in deps
            and changed.isdisjoint(deps)
            and not (hand_pages and any(key.startswith("pages/") for key in deps))
            for deps in previous.dep_sets
        ]
        return {
            path
            for path, (deps, _) in previous.pages.items()
            if untouched[deps] and not Urls.is_code_page(path)
        }

    def downloads_key(self) -> str:
        """What the site-wide downloads are made of: every department-year's content, budgetsite, base URL."""
        parts = (
            self.config.base_path,
            self.setting_files["budgetsite"].digest,
            sorted(_digests(self.folders).items()),
        )
        return hashlib.sha256(repr(parts).encode()).hexdigest()


def _digests(folders: dict[str, Fingerprint]) -> dict[str, str]:
    return {key: print_.digest for key, print_ in folders.items()}


def _folder_id(folder: Path) -> tuple[int, int]:
    try:
        info = folder.stat()
    except FileNotFoundError:
        return (0, 0)
    return (info.st_dev, info.st_ino)


def _site_key(site: Site, renderer: SiteRenderer) -> str:
    """What every page shows of the whole site: a change re-renders every page. (The search scope shows on
    the search page only, which re-renders when a disclosure is named otherwise: impact.SITE_WIDE_ASPECTS.)"""
    shown = (navigation_key(site), terms_key(site))
    return hashlib.sha256(repr(shown).encode()).hexdigest()


def _pages_to_render(state: _BuildState, site: Site, renderer: SiteRenderer, site_key: str) -> set[str]:
    """The pages the changes since the previous build reach (site.impact, as serve asks it); every page
    when there is no previous output to take the others from, or settings or theme changed."""
    plan = {spec.path: spec for spec in renderer.plan}
    previous = state.reusable
    if previous is None:
        return set(plan)
    if previous.settings != state.settings or previous.site_key != site_key:
        log.debug("build cache: settings, theme or what every page shows changed, rendering every page")
        return set(plan)
    changed = state.changed_folders()
    hand_keys = {f"pages/{page.name}" for page in site.pages} if "pages" in changed else set()
    new = {dept_year_key(dy): dy for dy in site.dept_years}
    impacts = {}
    old_changed = []
    for key in changed - {"pages"}:
        old = None
        if key in previous.folders:
            old = state.cache.old_dept_year(key, previous.folders[key].digest)
            if old is None:
                log.debug("build cache: the previous %s is not cached, rendering every page", key)
                return set(plan)
            old_changed.append(old)
        impacts[key] = impact_of(key, old, new.get(key))
    # Code pages that show something else of the changed department-years: a row, a name, or a position
    # (which of a long line's pages holds a row), compared with the code lines before the edits. Only hand
    # pages changed: no code page can differ.
    code_pages: set[str] | None = set()
    if impacts:
        code_pages = changed_code_pages(site_before(site, set(impacts), old_changed), site, set(impacts))
    pages = [(path, spec.deps) for path, spec in plan.items()]
    pages += [(path, previous.deps(path)) for path in previous.pages]
    targets = affected_pages(impacts, hand_keys, pages, code_pages) | (set(plan) - set(previous.pages))
    return targets & set(plan)


class _Stager:
    """Fills the staging folder from the previous output by hard links (never written into afterwards:
    every writer replaces a file), so unchanged files cost no copy and output/ stays as it was.

    Tens of thousands of links and folders are system calls, not Python work (1,000 department-years:
    48,000 files in 20,000 folders): `link_later` makes them in STAGER_THREADS threads of their own, beside
    the loading and rendering in this one; `wait` returns the files the previous output lacked.
    """

    def __init__(self, source: Path, staging: Path):
        self.source, self.staging = source, staging
        self._source, self._staging = str(source), str(staging)  # joined with '/' per file, not by pathlib
        self.folders: set[str] = set()
        self.count = 0
        self._count_lock = threading.Lock()  # the main thread links a few files while the stager's runs
        self._thread = ThreadPoolExecutor(STAGER_THREADS, thread_name_prefix="stager")
        self._jobs: list[Future[list[str]]] = []

    def link(self, relative: str) -> bool:
        """Hard-link one file now; False when the previous output lacks it."""
        target = f"{self._staging}/{relative}"
        folder = target.rpartition("/")[0]
        if folder not in self.folders:
            os.makedirs(folder, exist_ok=True)
            self.folders.add(folder)
        try:
            os.link(f"{self._source}/{relative}", target)
        except FileNotFoundError:
            return False
        with self._count_lock:
            self.count += 1
        return True

    def unlink(self, relative: str) -> None:
        """Take back a file linked before (it is to be written after all)."""
        os.unlink(f"{self._staging}/{relative}")
        with self._count_lock:
            self.count -= 1

    def link_later(self, files: Iterable[str]) -> None:
        """Hard-link `files` in the stager's threads (a FileExistsError: the file was written meanwhile)."""
        files = list(files)
        # One consecutive run per thread: mostly different folders for each.
        size = max(1, -(-len(files) // STAGER_THREADS))
        for start in range(0, len(files), size):
            self._jobs.append(self._thread.submit(self._link_all, files[start : start + size]))

    def link_trees_later(self, folders: Iterable[str]) -> None:
        """Hard-link every file below each of `folders` in a stager thread."""
        self._jobs.append(self._thread.submit(self._link_trees, list(folders)))

    def wait(self) -> list[str]:
        """Wait for the links asked so far; the files (or folders) the previous output lacked."""
        missing = [name for job in self._jobs for name in job.result()]
        self._jobs = []
        return missing

    def close(self) -> None:
        for job in self._jobs:
            job.cancel()
        self._thread.shutdown(wait=True)

    def _link_all(self, files: list[str]) -> list[str]:
        return [name for name in files if not self.link(name)]

    def _link_trees(self, folders: list[str]) -> list[str]:
        missing = []
        for folder in folders:
            top = f"{self._source}/{folder}"
            if not os.path.isdir(top):
                missing.append(folder)
                continue
            for root, _, names in os.walk(top):
                relative = root[len(self._source) + 1 :]
                for name in names:
                    self.link(f"{relative}/{name}")
        return missing


def _dept_year_files(dy: DeptYear) -> list[str]:
    """The download files beside a disclosure page (write_dept_year_files writes them)."""
    names = ["data.json", *dy.table_files]
    source = dy.source_file
    if source is not None:
        names.append(Path(source.name).name)
    return [dy.file_path(name) for name in names]


def _page_digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _render_into_place(
    config: Config,
    cache: BuildCache,
    state: _BuildState,
    site: Site,
    renderer: SiteRenderer,
    stager: _Stager,
    untouched: set[str],
    timer: _StageTimer,
    started: float,
    quiet: bool,
) -> BuildResult:
    staging = stager.staging
    previous = state.reusable
    site_key = _site_key(site, renderer)
    bundle_of = bundle_finder(renderer.bundles)
    search = None
    try:
        targets = _pages_to_render(state, site, renderer, site_key)
        digests = _stage_unchanged_pages(stager, renderer.plan, targets, untouched, previous)
        specs = [spec for spec in renderer.plan if spec.path not in digests]
        timer.done(f"plan: {len(specs)} of {len(renderer.plan)} pages to render, {stager.count} linked")
        # 5. search index: a cold build indexes each bundle as soon as its pages are written, beside the
        # rendering and then beside the downloads (Pagefind runs are separate processes; the downloads are
        # not parallel, so they run in this process while Pagefind uses the other core). A rebuild first
        # learns from the pages which bundles changed.
        if previous is None:
            search = SearchIndexer(staging, renderer.bundles, (s.path for s in renderer.plan))
        indexer = search
        specs.sort(key=lambda spec: bundle_of(spec.path))  # a bundle at a time
        _render_specs(renderer, specs, staging, not quiet, indexer.pages_written if indexer else None)  # 3.
        digests.update((spec.path, _page_digest(staging / spec.file)) for spec in specs)
        timer.done(f"render {len(specs)} pages")
        bundle_hashes = _bundle_hashes(renderer.bundles, bundle_of, digests)
        rerun = list(range(len(renderer.bundles)))
        if search is None:
            rerun = [
                index
                for index, bundle in enumerate(renderer.bundles)
                if previous is None
                or previous.bundles.get(bundle.folder) != bundle_hashes[bundle.folder]
                or not (config.output / bundle.folder).is_dir()
            ]
            reindexed = set(rerun)
            stager.link_trees_later(
                bundle.folder for index, bundle in enumerate(renderer.bundles) if index not in reindexed
            )
            # Every page is written: the paths only size each bundle's run (SearchIndexer).
            search = SearchIndexer(staging, renderer.bundles, (s.path for s in renderer.plan), run=rerun)
            timer.done(f"search: {len(rerun)} of {len(renderer.bundles)} bundles to index")
        search.all_pages_written()
        written = len(specs) + copy_static(config, staging)
        downloads_key = state.downloads_key()
        written += _write_downloads(config, cache, state, site, renderer, stager, previous, downloads_key)
        written += write_sitemap([s.path for s in renderer.plan if s.indexed], config, staging)
        timer.done("downloads, sitemap")
        with click.progressbar(
            search.finished(), length=len(search.bundles), label="search index", hidden=quiet
        ) as runs:
            for _ in runs:
                pass
        search = None
        # Counted, not walked: walking 20,000 folders costs as many system calls as linking them.
        files = stager.count + written
        files += sum(
            len(names) for i in rerun for _, _, names in os.walk(staging / renderer.bundles[i].folder)
        )
        timer.done(f"search index ({len(renderer.bundles)} bundles, rest)")
        crash_point("build-staged")  # the whole site in the staging folder, not yet swapped in
        _swap_into_place(staging, config.output)  # 6. swap
    except BaseException:
        if search is not None:
            search.cancel()
        raise
    # The cache is saved after the swap: a kill in between leaves a manifest that describes another output
    # folder (its inode), which the next build then does not take pages from.
    _save_manifest(cache, state, site, renderer, site_key, digests, bundle_hashes, downloads_key, files)
    timer.done("swap, build cache saved")
    result = BuildResult(len(renderer.plan), files, time.perf_counter() - started, len(specs), len(rerun))
    log.debug(
        "rendered %d of %d pages, indexed %d of %d search bundles",
        result.rendered,
        result.pages,
        result.indexed_bundles,
        len(renderer.bundles),
    )
    if not quiet:
        click.echo(
            f"built {result.pages} pages, {result.files} files in {result.seconds:.1f} s → {config.output}"
        )
    return result


def _stage_unchanged_pages(
    stager: _Stager,
    plan: list[PageSpec],
    targets: set[str],
    untouched: set[str],
    previous: Manifest | None,
) -> dict[str, str]:
    """Link the planned pages not in `targets` from the previous output; their paths → HTML digests.

    The `untouched` pages were linked early, before the site was loaded: those the plan renders after all
    (what every page shows changed) or no longer has are unlinked again.
    """
    missing = set(stager.wait())
    planned = {spec.path for spec in plan}
    for path in untouched:
        if (path in targets or path not in planned) and page_file(path) not in missing:
            stager.unlink(page_file(path))
    digests: dict[str, str] = {}
    if previous is None:
        return digests
    for spec in plan:
        if spec.path in targets:
            continue
        linked = spec.file not in missing if spec.path in untouched else stager.link(spec.file)
        if linked:
            digests[spec.path] = previous.pages[spec.path][1]
    return digests


def _bundle_hashes(
    bundles: list[Bundle], bundle_of: Callable[[str], int], digests: dict[str, str]
) -> dict[str, str]:
    """Per bundle folder, a hash of what Pagefind reads for it: its glob and its pages' HTML."""
    hashes = [hashlib.sha256(f"{b.folder}\0{b.glob}\0".encode()) for b in bundles]
    for path in sorted(digests):
        hashes[bundle_of(path)].update(f"{path}\0{digests[path]}\0".encode())
    return {bundle.folder: digest.hexdigest() for bundle, digest in zip(bundles, hashes, strict=True)}


def _write_downloads(
    config: Config,
    cache: BuildCache,
    state: _BuildState,
    site: Site,
    renderer: SiteRenderer,
    stager: _Stager,
    previous: Manifest | None,
    downloads_key: str,
) -> int:
    """4. downloads: each department-year's own files written when its folder changed (else linked); the
    site-wide ones (index, 三公 CSV, SQLite) made again when any changed, the SQLite from cached rows.
    Returns how many files were written."""
    changed = state.changed_folders() if previous is not None else None
    write = [dy for dy in site.dept_years if changed is None or dept_year_key(dy) in changed]
    kept: dict[str, DeptYear] = {}  # the others' files, linked in the stager's threads meanwhile
    if changed is not None:
        kept = {
            name: dy
            for dy in site.dept_years
            if dept_year_key(dy) not in changed
            for name in _dept_year_files(dy)
        }
        stager.link_later(kept)
    site_wide = [Urls.data + name for name in (INDEX_NAME, INDEX_CSV_NAME, SQLITE_NAME)] + [SANGONG_CSV]
    written = 0
    reuse = previous is not None and previous.downloads == downloads_key
    if reuse and all((config.output / name).is_file() for name in site_wide):
        for name in site_wide:
            stager.link(name)
        for dy in write:
            written += write_dept_year_files(dy, stager.staging)
    else:
        rows = cache.download_rows()
        try:
            fingerprints = [
                (state.folders[dept_year_key(dy)].digest + config.base_path, dy) for dy in site.dept_years
            ]
            # A department-year's own files are written as its rows are made, while its tables are read
            # (parsing data.json again for them took a third of a cold build's downloads).
            to_write = {id(dy) for dy in write}

            def write_own_files(dy: DeptYear) -> None:
                nonlocal written
                if id(dy) in to_write:
                    written += write_dept_year_files(dy, stager.staging)
                    to_write.discard(id(dy))

            replaced = rows.update(fingerprints, renderer.url, write_own_files)
            write = [dy for dy in write if id(dy) in to_write]
            log.debug("downloads: rows of %d department-years replaced", replaced)
            # SQLite writes its file without holding the GIL: in a thread, beside the other downloads.
            sqlite_file = stager.staging / (Urls.data + SQLITE_NAME)
            sqlite_file.parent.mkdir(parents=True, exist_ok=True)
            with ThreadPoolExecutor(1, thread_name_prefix="sqlite") as export_thread:
                exported = export_thread.submit(rows.export, sqlite_file)
                written += write_downloads(site, stager.staging, renderer.url, rows, write, sqlite=False)
                exported.result()
            written += 1
        finally:
            rows.close()
    # A file the previous output lacks (deleted by hand): its department-year's files are written after all.
    lacking_files = set(stager.wait())
    lacking = {id(kept[name]): kept[name] for name in lacking_files if name in kept}
    for dy in lacking.values():
        for name in _dept_year_files(dy):
            if name not in lacking_files:
                stager.unlink(name)
        written += write_dept_year_files(dy, stager.staging)
    return written


def _save_manifest(
    cache: BuildCache,
    state: _BuildState,
    site: Site,
    renderer: SiteRenderer,
    site_key: str,
    digests: dict[str, str],
    bundle_hashes: dict[str, str],
    downloads_key: str,
    files: int,
) -> None:
    dep_sets: dict[frozenset[str], int] = {}
    pages = {
        spec.path: (dep_sets.setdefault(spec.deps, len(dep_sets)), digests[spec.path])
        for spec in renderer.plan
    }
    manifest = Manifest(
        settings=state.settings,
        output=_folder_id(state.config.output),
        setting_files=state.setting_files,
        folders=state.folders,
        site_key=site_key,
        code_pages=frozenset(line.path for line in site.codes.values()),
        pages=pages,
        dep_sets=list(dep_sets),
        bundles=bundle_hashes,
        downloads=downloads_key,
        files=files,
    )
    cache.save(manifest)
    # Keep each department-year's current model only (the next build compares a changed one with it).
    previous = state.previous.folders if state.previous is not None else {}
    for key in previous.keys() - {"pages"}:
        if key not in state.folders or previous[key].digest != state.folders[key].digest:
            cache.forget_models(key, state.folders[key].digest if key in state.folders else None)
    cache.forget_other_code()


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
