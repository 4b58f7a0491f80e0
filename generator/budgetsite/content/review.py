"""The `budgetsite check` report: content tree → every disclosure re-checked → text or JSON, summary per family."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path
from typing import Any

import click

from budgetsite.check import FAMILIES, family_of, run_checks
from budgetsite.check.previous_year import previous_year_checks
from budgetsite.content.registry import REGISTRY_FILE, Registry, load_registry
from budgetsite.content.tree import iter_disclosure_folders, load_disclosure
from budgetsite.errors import ContentError
from budgetsite.model import Check, Disclosure

STATUSES = ("pass", "warn", "fail")


def _series_key(folder: Path, disclosure: Disclosure, year: int) -> tuple[str, str, str | None, int]:
    """(department folder, kind, unit, year): a disclosure and its previous year's share all but the year."""
    level = disclosure.level
    return folder.parent.name, disclosure.kind, level.slug if level.is_unit else None, year


def finding_dict(check: Check) -> dict[str, Any]:
    """One check as the JSON report writes it (figures as printed strings, never floats)."""
    return {
        "id": check.id,
        "family": family_of(check.id) or "other",
        "status": check.status,
        "message": check.message,
        "expected": None if check.expected is None else str(check.expected),
        "actual": None if check.actual is None else str(check.actual),
    }


def registry_checks(disclosure: Disclosure, registry: Registry | None) -> list[Check]:
    """A warning when the site keeps a departments.toml that does not list this department."""
    if registry is None or registry.find(disclosure.department) is not None:
        return []
    # A warning, not a failure: the figures may be fine, the registry is incomplete (or the name is a new
    # spelling of a listed department).
    message = (
        f"{disclosure.department} 不在 {REGISTRY_FILE} 中：请把它（或它的另一种写法，作为 aliases）加入该文件"
    )
    return [Check(id="department-listed", status="warn", message=message)]


def collect_report(content_dir: Path) -> dict[str, Any]:
    """Re-run every check of every department-year of `content_dir`; the report as one JSON-ready dict."""
    if not content_dir.is_dir():
        raise ContentError(
            "no content tree here",
            path=content_dir,
            hint="run `budgetsite ingest FILES` first or give --content DIR",
        )
    disclosures: list[dict[str, Any]] = []
    families: dict[str, Counter[str]] = {family: Counter() for family in FAMILIES}
    registry = load_registry(content_dir.resolve().parent)
    # The full schema pass on every data.json, whatever its hash says.
    loaded = {
        folder: load_disclosure(folder, validate=True) for folder in iter_disclosure_folders(content_dir)
    }
    # Cross-disclosure: 比上年 claims against the previous year's disclosure of the same series.
    by_series = {_series_key(f, d, d.year): d for f, d in loaded.items()}
    for folder, disclosure in loaded.items():
        # Re-run rather than trust the stored list, so a hand correction to data.json is re-checked.
        checks = run_checks(disclosure) + registry_checks(disclosure, registry)
        previous = by_series.get(_series_key(folder, disclosure, disclosure.year - 1))
        if previous is not None:
            checks += previous_year_checks(disclosure, previous)
        for check in checks:
            families.setdefault(family_of(check.id) or "other", Counter())[check.status] += 1
        disclosures.append(
            {
                "department": disclosure.department,
                "year": disclosure.year,
                "folder": folder.relative_to(content_dir).as_posix(),
                "counts": {s: sum(1 for c in checks if c.status == s) for s in STATUSES},
                "findings": [finding_dict(c) for c in checks],
            }
        )
    totals = {s: sum(d["counts"][s] for d in disclosures) for s in STATUSES}
    return {
        "disclosures": disclosures,
        "families": {name: {s: counts[s] for s in STATUSES} for name, counts in families.items()},
        "totals": totals,
    }


def report_checks(content_dir: Path, *, quiet: bool = False, output_format: str = "text") -> int:
    """Print the check report (text or JSON) for the content tree; return the number of failures."""
    report = collect_report(content_dir)
    if output_format == "json":
        click.echo(json.dumps(report, ensure_ascii=False, indent=1))
        return int(report["totals"]["fail"])
    if not report["disclosures"]:
        if not quiet:
            click.echo(f"{content_dir}: no department-years yet (nothing to check)")
        return 0
    for item in report["disclosures"]:
        counts = item["counts"]
        if quiet and not counts["fail"]:
            continue
        click.echo(
            f"{item['department']} {item['year']} ({item['folder']}): "
            f"{counts['pass']} pass, {counts['warn']} warn, {counts['fail']} fail"
        )
        for finding in item["findings"]:
            if finding["status"] == "fail" or (finding["status"] == "warn" and not quiet):
                click.echo(f"  {finding['status'].upper():4} {finding['id']}\n       {finding['message']}")
    if not quiet:
        click.echo("by family:")
        for family, counts in report["families"].items():
            label = FAMILIES.get(family, family)
            click.echo(
                f"  {family:15} {label:6} {counts['pass']} pass, {counts['warn']} warn, {counts['fail']} fail"
            )
        totals = report["totals"]
        click.echo(
            f"{len(report['disclosures'])} department-year(s): "
            f"{totals['pass']} pass, {totals['warn']} warn, {totals['fail']} fail"
        )
    return int(report["totals"]["fail"])
