"""The `budgetsite check` report: content tree → every disclosure re-checked → one summary per folder."""

from __future__ import annotations

from pathlib import Path

import click

from budgetsite.check import run_checks
from budgetsite.check.previous_year import previous_year_checks
from budgetsite.content.registry import REGISTRY_FILE, load_registry
from budgetsite.content.tree import iter_disclosure_folders, load_disclosure
from budgetsite.errors import ContentError
from budgetsite.model import Check, Disclosure


def _series_key(folder: Path, disclosure: Disclosure, year: int) -> tuple[str, str, str | None, int]:
    """(department folder, kind, unit, year): a disclosure and its previous year's share all but the year."""
    level = disclosure.level
    return folder.parent.name, disclosure.kind, level.slug if level.is_unit else None, year


def report_checks(content_dir: Path, *, quiet: bool = False) -> int:
    """Print a check report per department-year of the content tree; return the number of failures."""
    if not content_dir.is_dir():
        raise ContentError(
            "no content tree here",
            path=content_dir,
            hint="run `budgetsite ingest FILES` first or give --content DIR",
        )
    folders = iter_disclosure_folders(content_dir)
    if not folders:
        if not quiet:
            click.echo(f"{content_dir}: no department-years yet (nothing to check)")
        return 0
    total_failures = 0
    totals = {"pass": 0, "warn": 0, "fail": 0}
    registry = load_registry(content_dir.resolve().parent)
    loaded = {folder: load_disclosure(folder) for folder in folders}
    # Cross-disclosure: 比上年 claims against the previous year's disclosure of the same series.
    by_series = {_series_key(f, d, d.year): d for f, d in loaded.items()}
    for folder, disclosure in loaded.items():
        # Re-run rather than trust the stored list, so a hand correction to data.json is re-checked.
        checks = run_checks(disclosure)
        previous = by_series.get(_series_key(folder, disclosure, disclosure.year - 1))
        if previous is not None:
            checks += previous_year_checks(disclosure, previous)
        if registry is not None and registry.find(disclosure.department) is None:
            # A warning, not a failure: the figures may be fine, the registry is incomplete (or the
            # name is a new spelling of a listed department).
            checks.append(
                Check(
                    id="department-listed",
                    status="warn",
                    message=f"{disclosure.department} 不在 {REGISTRY_FILE} 中：请把它（或它的另一种写法，作为 aliases）加入该文件",
                )
            )
        counts = {status: sum(1 for c in checks if c.status == status) for status in totals}
        for status, count in counts.items():
            totals[status] += count
        total_failures += counts["fail"]
        if quiet and not counts["fail"]:
            continue
        where = folder.relative_to(content_dir).as_posix()
        click.echo(
            f"{disclosure.department} {disclosure.year} ({where}): "
            f"{counts['pass']} pass, {counts['warn']} warn, {counts['fail']} fail"
        )
        for check in checks:
            if check.status == "fail" or (check.status == "warn" and not quiet):
                click.echo(f"  {check.status.upper():4} {check.id}\n       {check.message}")
    if not quiet:
        click.echo(
            f"{len(folders)} department-year(s): {totals['pass']} pass, {totals['warn']} warn, {totals['fail']} fail"
        )
    return total_failures
