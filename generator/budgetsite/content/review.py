"""The `budgetsite check` report: content tree → every disclosure re-checked → one summary per folder."""

from __future__ import annotations

from pathlib import Path

import click

from budgetsite.check import run_checks
from budgetsite.content.tree import iter_disclosure_folders, load_disclosure
from budgetsite.errors import ContentError


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
    for folder in folders:
        disclosure = load_disclosure(folder, validate=True)  # the full schema pass, whatever the hash says
        # Re-run rather than trust the stored list, so a hand correction to data.json is re-checked.
        checks = run_checks(disclosure)
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
