"""The `budgetsite` command: a thin click layer; each command calls one function of its stage."""

from __future__ import annotations

import logging
import sys
import traceback
from collections.abc import Callable
from functools import wraps
from pathlib import Path
from typing import Any, TypeVar

import click

from budgetsite import __version__
from budgetsite.config import default, load_config
from budgetsite.errors import BudgetsiteError, InternalError, write_crash_log

F = TypeVar("F", bound=Callable[..., Any])


def user_errors_as_one_line(func: F) -> F:
    """Turn a BudgetsiteError into one clear line on stderr and exit status 1 (never a traceback).

    Any other exception is a bug in budgetsite: one line saying so, the traceback in a log file.
    """

    @wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except BudgetsiteError as error:
            click.echo(f"error: {error.line()}", err=True)
            sys.exit(1)
        except Exception as error:
            bug = InternalError(error, write_crash_log(traceback.format_exc()))
            click.echo(f"error: {bug.line()}", err=True)
            sys.exit(1)

    return wrapper  # type: ignore[return-value]


def verbosity_options(func: F) -> F:
    """-v / -q shared by every command."""
    func = click.option("-q", "--quiet", is_flag=True, help="Print only errors.")(func)
    func = click.option("-v", "--verbose", is_flag=True, help="Print debugging details.")(func)
    return func


def configure_logging(verbose: bool, quiet: bool) -> None:
    level = logging.DEBUG if verbose else logging.ERROR if quiet else logging.INFO
    logging.basicConfig(level=level, format="%(message)s")


def worker_count(value: str | None) -> int | None:
    """--workers N: a count, 0 or `auto` for one per core (0), None when not given."""
    if value is None:
        return None
    if value.strip().lower() == "auto":
        return 0
    if not value.strip().isdigit():
        raise click.BadParameter(f"{value!r} is not a number of processes: give N ≥ 0, or auto")
    return int(value)


def relative_to_here(path: Path) -> Path:
    """`path` relative to the working folder when inside it, so messages name it as the user would."""
    try:
        return path.relative_to(Path.cwd().resolve())
    except ValueError:
        return path


content_option = click.option(
    "--content",
    "content_dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="Content tree folder (default: `content` from budgetsite.toml, else ./content).",
)


def output_option(help_text: str) -> Callable[[F], F]:
    """--output for the commands that write a site (build, serve), each with its own help."""
    return click.option(
        "--output",
        "output_dir",
        type=click.Path(file_okay=False, path_type=Path),
        default=None,
        help=help_text,
    )


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="budgetsite")
def main() -> None:
    """budgetsite: turn Chinese government budget disclosures (部门预算/决算公开) into a searchable website.

    \b
    Typical use:
      budgetsite init mysite && cd mysite   # a new site (optional: this folder is one)
      budgetsite ingest sources/            # PDF/DOCX/XLSX/text → content/<dept>/<year>/
      budgetsite check                      # arithmetic and consistency report
      budgetsite build                      # content/ → output/ (static site)
      budgetsite serve                      # preview with live reload
    """


@main.command()
@click.argument("sources", nargs=-1, required=True, type=click.Path(path_type=Path))
@content_option
@click.option(
    "--department",
    help="Department name for documents that do not print one; a printed name wins (e.g. 衡水市工业和信息化局).",
)
@click.option(
    "--year",
    type=click.IntRange(1990, 2100),
    help="Budget year for documents that do not print one; a printed year wins.",
)
@click.option(
    "--region",
    help="Administrative path, broadest first, separated by '/' (e.g. 河北省/保定市/徐水区).",
)
@click.option(
    "--force",
    is_flag=True,
    help="Overwrite an existing department-year even if it came from another source or index.md was edited by hand.",
)
@click.option(
    "--limit",
    "limits",
    multiple=True,
    metavar="NAME=N",
    help="Raise a reader limit for genuine huge files, e.g. --limit seconds=900. Names and defaults: "
    "file_mb=50, unpacked_mb=256 and ratio=200 (DOCX/XLSX zip), cells=2000000 (rows × columns of a "
    "table), span=1000 (DOCX merged columns), pages=2000, seconds=300 and memory_mb=2048 per file.",
)
@click.option(
    "--workers",
    metavar="N",
    callback=lambda ctx, param, value: worker_count(value),
    help="Read and recognize N files at once, each in its own process (default 1; 0 or auto: one per "
    "CPU core). Grouping and writing stay in this process: the content tree is the same as with 1.",
)
@click.option(
    "--scheduler",
    metavar="ADDRESS",
    help="Read and recognize the files on a running Dask cluster, e.g. tcp://10.0.0.5:8786 (start one "
    "with `dask scheduler` and `dask worker ADDRESS`; see the README). Each file's bytes go with its "
    "task, so workers need no shared disk; the content tree is written here. Not with --workers.",
)
@verbosity_options
@user_errors_as_one_line
def ingest(
    sources: tuple[Path, ...],
    content_dir: Path | None,
    department: str | None,
    year: int | None,
    region: str | None,
    force: bool,
    limits: tuple[str, ...],
    workers: int | None,
    scheduler: str | None,
    verbose: bool,
    quiet: bool,
) -> None:
    """Read disclosure files into the content tree.

    SOURCES are files or folders (searched recursively) of PDF, DOCX, XLSX or text disclosures. Files given
    together that belong to the same department-year (e.g. a narrative PDF and a tables PDF) are merged
    into one content folder. Each department-year becomes content/<department-slug>/<year>/ with data.json,
    index.md, tables/*.csv and the original file.
    """
    from budgetsite.content.ingest import ingest_sources
    from budgetsite.read.limits import DEFAULT_LIMITS

    configure_logging(verbose, quiet)
    config = load_config(Path("."), content=content_dir)
    regions = [part.strip() for part in region.split("/") if part.strip()] if region else None
    report = ingest_sources(
        list(sources),
        content_dir=relative_to_here(config.content),
        department=department,
        year=year,
        region=regions,
        force=force,
        quiet=quiet,
        limits=DEFAULT_LIMITS.with_overrides(list(limits)),
        workers=workers,
        scheduler=scheduler,
    )
    # Every good file was ingested; the failures are listed last, one line each, and fail the run.
    for error in report.failures:
        click.echo(f"error: {error.line()}", err=True)
    if report.failures:
        if not quiet and report.files > 1:
            click.echo(
                f"{len(report.failures)} failed, {len(report.results)} department-year(s) ingested "
                f"from {report.files} files",
                err=True,
            )
        sys.exit(1)


@main.command()
@content_option
@click.option(
    "--strict",
    is_flag=True,
    help="Publishing gate: exit with status 1 when any check fails (warnings do not count).",
)
@click.option(
    "--format",
    "output_format",
    type=click.Choice(["text", "json"]),
    default="text",
    show_default=True,
    help="text for people; json (every finding with id, family, status, message) for CI and trackers.",
)
@verbosity_options
@user_errors_as_one_line
def check(content_dir: Path | None, strict: bool, output_format: str, verbose: bool, quiet: bool) -> None:
    """Report the review-grade checks of every department-year in the content tree, with a summary per family.

    Families: structure (required tables, empty tables), arithmetic (totals = parts), between tables,
    narrative vs tables (amounts, recomputed percentages, 增加/减少/持平), years, names and level, text
    quality, plausibility. A difference within rounding of the printed precision is a warning, a larger
    one a failure. Checks never change a number.
    """
    from budgetsite.content.review import report_checks

    configure_logging(verbose, quiet)
    content = load_config(Path("."), content=content_dir).content
    failures = report_checks(relative_to_here(content), quiet=quiet, output_format=output_format)
    if strict and failures:
        sys.exit(1)


@main.command()
@content_option
@verbosity_options
@user_errors_as_one_line
def migrate(content_dir: Path | None, verbose: bool, quiet: bool) -> None:
    """Move disclosure folders of an older content tree to the names their identity gives them.

    A 决算 in content/<slug>/<year>/ moves to <year>-final-accounts/, so the 预算 of that year can be
    ingested beside it. Prints every move; moves nothing when a new name is already taken.
    """
    from budgetsite.content.migrate import migrate_tree

    configure_logging(verbose, quiet)
    moves = migrate_tree(content_dir or Path("content"))
    if not quiet:
        for old, new in moves:
            click.echo(f"moved {old} → {new}")
        click.echo(f"{len(moves)} folder(s) moved" if moves else "nothing to move: every folder has its name")


@main.command()
@content_option
@output_option("Preview folder to render into (default: .budgetsite-cache/preview, never your output/).")
@click.option("--base-url", help="Serve under this path, as the published site will be (e.g. /budget/).")
@click.option(
    "--host", default="127.0.0.1", show_default=True, help="Address to listen on (0.0.0.0: every interface)."
)
@click.option(
    "--port", type=click.IntRange(1, 65535), default=8000, show_default=True, help="Port to listen on."
)
@click.option("--open", "open_browser", is_flag=True, help="Open the site in the default web browser.")
@verbosity_options
@user_errors_as_one_line
def serve(
    content_dir: Path | None,
    output_dir: Path | None,
    base_url: str | None,
    host: str,
    port: int,
    open_browser: bool,
    verbose: bool,
    quiet: bool,
) -> None:
    """Preview the site with live reload: build, serve, rebuild and reload the browser on every change.

    Watches the content tree, themes/ and budgetsite.toml. A single edited page rebuilds only the pages that
    show it. A broken edit prints one line here and an error page in the browser; the next good save recovers.
    """
    from budgetsite.serve.server import serve as serve_site

    configure_logging(verbose, quiet)
    overrides = {"content": content_dir, "base_url": base_url}
    config = load_config(Path("."), **overrides)
    serve_site(
        config, host=host, port=port, open_browser=open_browser, preview_dir=output_dir, overrides=overrides
    )


@main.command()
@click.argument("directory", type=click.Path(path_type=Path))
@click.option(
    "--title", default=default("title"), show_default=True, help="Site title written to budgetsite.toml."
)
@click.option(
    "--install",
    "install",
    metavar="SPEC",
    help="Where the deploy (netlify.toml) installs this budgetsite version from: a wheel file (copied into "
    "vendor/), a wheel URL, git+URL@tag-or-commit, or a package index URL. Default: the source this "
    "budgetsite was installed from.",
)
@user_errors_as_one_line
def init(directory: Path, title: str, install: str | None) -> None:
    """Create a new site in DIRECTORY (new or empty): budgetsite.toml, departments.toml, content/pages/about.md,
    sources/, netlify.toml (installing this budgetsite version: see --install)."""
    from budgetsite.site.install_spec import resolve_install_spec
    from budgetsite.site.scaffold import init_site

    spec = resolve_install_spec(install)
    for path in init_site(directory, title=title, spec=spec):
        click.echo(f"created {path}")
    if not spec.pip_args:
        click.echo(
            "warning: this budgetsite runs from a local folder, so netlify.toml cannot install it on a build "
            "host yet — run init with --install WHEEL|GIT-URL|INDEX-URL (README, Publish)",
            err=True,
        )
    click.echo(
        f"Next: put disclosure files in {directory / 'sources'}/, then run `budgetsite ingest sources/` there."
    )


@main.group()
def theme() -> None:
    """Theme commands: `budgetsite theme new NAME` starts a theme that extends the default."""


@theme.command("new")
@click.argument("name")
@user_errors_as_one_line
def theme_new(name: str) -> None:
    """Create themes/NAME/ in this site: base.html with every override block commented, NAME.css with every
    CSS custom property of the default theme, and a README."""
    from budgetsite.site.scaffold import new_theme

    for path in new_theme(Path("."), name):
        click.echo(f"created {path}")
    click.echo(f'Next: set theme = "{name}" in budgetsite.toml (or build --theme {name}).')


@main.command()
@content_option
@output_option("Folder to write the site to (default: `output` from budgetsite.toml, else ./output).")
@click.option("--base-url", help="Where the site will be served, a path (/budget/) or a full URL.")
@click.option("--theme", help="Theme name: themes/<name>/ of the site, else the built-in default.")
@click.option(
    "--clean",
    is_flag=True,
    help="Ignore the build cache (.budgetsite-cache/build/) and redo everything; the cache is written anew.",
)
@verbosity_options
@user_errors_as_one_line
def build(
    content_dir: Path | None,
    output_dir: Path | None,
    base_url: str | None,
    theme: str | None,
    clean: bool,
    verbose: bool,
    quiet: bool,
) -> None:
    """Build the static site from the content tree into output/ (search index and downloads included).

    Writes to a temporary folder and swaps it in at the end, so a failed build leaves the previous output/.
    A rebuild redoes only what changed since the last build (cache: .budgetsite-cache/build/): it
    re-renders the pages a change reaches, re-runs Pagefind for the search bundles whose pages changed,
    updates the downloads of changed disclosures, and takes every other file from the previous output/
    (the result is the same, byte for byte, as with --clean). With nothing changed it stops at once.
    -v says what was redone. Ends with one line: pages, files, seconds.
    """
    from budgetsite.site.build import build as build_site

    configure_logging(verbose, quiet)
    config = load_config(Path("."), content=content_dir, output=output_dir, base_url=base_url, theme=theme)
    build_site(config, quiet=quiet, clean=clean)


def run() -> None:
    """Entry point used by `python -m budgetsite`."""
    main()
