"""`budgetsite ingest`: source files → recognized disclosures → checks → content tree.

The pipeline reads in one place (`ingest_sources`): expand the sources, read and recognize every file,
group the files of one department-year, check, plan every folder, and only then write. Any bad input
stops the run before the first write, so the content tree is never left half-updated.
"""

from __future__ import annotations

import logging
import re
import sys
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

import click

from budgetsite.blocks import Block
from budgetsite.check import run_checks
from budgetsite.content.registry import canonical_name, identify, load_registry
from budgetsite.content.tree import Original, WritePlan, plan_disclosure, sha256_file
from budgetsite.errors import InputError
from budgetsite.model import Disclosure
from budgetsite.read import reader_for, supported_extensions
from budgetsite.recognize import catalog
from budgetsite.recognize.metadata import recognize_metadata, same_department

logger = logging.getLogger(__name__)


@dataclass
class IngestResult:
    """What ingest did for one department-year."""

    department: str
    year: int
    slug: str
    folder: Path
    outcome: str
    tables: int
    projects: int
    failed: int
    warned: int
    sources: list[Path] = field(default_factory=list)

    def summary_line(self) -> str:
        """One line for the end-of-run summary."""
        merged = f" from {', '.join(p.name for p in self.sources)}" if len(self.sources) > 1 else ""
        return (
            f"{self.department} {self.year} → {self.folder} ({self.outcome}){merged}: "
            f"{self.tables} tables, {self.projects} projects, "
            f"checks {self.failed} failed, {self.warned} warned"
        )


@dataclass
class _Read:
    path: Path
    original: Original
    disclosure: Disclosure


# A sources folder often explains itself (`budgetsite init` writes sources/README.md); such notes are
# not disclosures. Files named on the command line are always read.
_NOT_SOURCES = re.compile(r"^(readme|license|licence|changelog|notes?)([._-].*)?$", re.IGNORECASE)


def expand_sources(sources: list[Path]) -> list[Path]:
    """Files to ingest, in the order given; folders are searched recursively for supported types.

    In folders, hidden files and notes named README/LICENSE/CHANGELOG/NOTES are skipped.
    """
    if not sources:
        raise InputError(
            "no source files given", hint="name files or folders: budgetsite ingest FILE|DIR ..."
        )
    extensions = supported_extensions()
    files: list[Path] = []
    for source in sources:
        if not source.exists():
            raise InputError("no such file or folder", path=source, hint="check the path")
        if source.is_dir():
            found = sorted(
                p
                for p in source.rglob("*")
                if p.is_file()
                and p.suffix.lower() in extensions
                and not any(part.startswith(".") for part in p.relative_to(source).parts)
                and not _NOT_SOURCES.match(p.name)
            )
            if not found:
                raise InputError(
                    "no disclosure files in this folder",
                    path=source,
                    hint=f"it should hold files of type {', '.join(sorted(extensions))}",
                )
            files.extend(found)
        else:
            files.append(source)
    unique: dict[Path, Path] = {}
    for path in files:
        unique.setdefault(path.resolve(), path)
    return list(unique.values())


@dataclass
class _Blocks:
    """One file read into blocks, before recognition."""

    path: Path
    original: Original
    blocks: list[Block]


def read_blocks(path: Path) -> _Blocks:
    """Read one file into neutral blocks (InputError with one clear line on a bad file)."""
    reader = reader_for(path)
    try:
        size = path.stat().st_size
    except OSError as error:
        raise InputError(f"cannot read the file ({error.strerror})", path=path) from None
    if size == 0:
        raise InputError("the file is empty", path=path, hint="give the disclosure file itself")
    result = reader.read(path)
    logger.debug("%s: read as %s, %d blocks", path, result.format, len(result.blocks))
    return _Blocks(path, Original(path, sha256_file(path), result.format), result.blocks)


def recognize_file(
    read: _Blocks, *, department: str | None, year: int | None, region: list[str] | None
) -> _Read:
    """Recognize the disclosure in one file's blocks."""
    from budgetsite.recognize import recognize

    try:
        disclosure = recognize(
            read.blocks, source_name=read.path.name, department=department, year=year, region=region
        )
    except InputError as error:
        # The recognizer knows only the file name; name the file as the user gave it.
        if error.path is None or error.path.name == read.path.name:
            error.path = read.path
        raise
    return _Read(read.path, read.original, disclosure)


def read_all(
    paths: Iterable[Path], *, department: str | None, year: int | None, region: list[str] | None
) -> list[_Read]:
    """Read and recognize every file; a file that lacks its department or year may borrow them.

    03b of the real PDFs (江苏省委办公厅 2019, tables only) prints no year: given together with 03a (the
    narrative, which does), it belongs to 03a's department-year. A file that prints its department borrows
    the year of the one department-year of the run with that department (so a whole province folder
    works); a file that prints neither borrows only when every other file of the run agrees on one
    department-year. Otherwise its own error stands. A file that cannot be read at all (empty, binary,
    encrypted …) stops the run at once.
    """
    files: list[_Blocks] = []
    results: list[_Read | None] = []
    failures: list[tuple[int, InputError]] = []
    for path in paths:
        files.append(read_blocks(path))
        try:
            results.append(recognize_file(files[-1], department=department, year=year, region=region))
        except InputError as error:
            results.append(None)
            failures.append((len(files) - 1, error))
    if failures:
        siblings = sorted({(r.disclosure.department, r.disclosure.year) for r in results if r is not None})
        if not siblings:
            siblings = _pooled_metadata([files[index] for index, _ in failures])
        for index, failure in failures:
            results[index] = _borrow(
                files[index], failure, siblings, department=department, year=year, region=region
            )
            logger.info("%s: department or year taken from the files given with it", files[index].path)
    return [r for r in results if r is not None]


def _pooled_metadata(files: list[_Blocks]) -> list[tuple[str, int]]:
    """One department-year from files that each print only half of it, or none.

    js-zhengxie-2019: the narrative prints the year but only "省政协" for the department, the tables file
    prints "部门：江苏省政协办公厅" but no year. Together, and only when they agree, they name one.
    """
    found = [recognize_metadata(read.blocks) for read in files]
    departments = [meta.department for meta in found if meta.department]
    years = {meta.year for meta in found if meta.year}
    if not departments or len(years) != 1:
        return []
    if not all(same_department(name, departments[0]) for name in departments):
        return []
    return [(departments[0], years.pop())]


def _borrow(
    read: _Blocks,
    error: InputError,
    siblings: list[tuple[str, int]],
    *,
    department: str | None,
    year: int | None,
    region: list[str] | None,
) -> _Read:
    """Recognize again with a sibling's year (and department, if the file prints none); else `error`.

    Exactly one sibling may fit: a yearless file of a department that is not in the run, or that is in
    it with several years, and a file without department whose year several departments of the run
    share, keep their own error rather than a guess.
    """
    fits: list[_Read] = []
    for sibling in siblings:
        try:
            # The file's own department first: a yearless file of another department must not move.
            result = recognize_file(read, department=department, year=year or sibling[1], region=region)
        except InputError:
            # No department printed: it joins the one department-year of the run with its own year
            # (a file that prints no year either fits every sibling, so only a lone sibling takes it).
            try:
                result = recognize_file(
                    read, department=department or sibling[0], year=year or sibling[1], region=region
                )
            except InputError:
                continue
        found = result.disclosure
        if found.year == sibling[1] and same_department(found.department, sibling[0]):
            # One department-year, one spelling: the sibling's (03a 江苏省委办公厅 vs 03b 中共江苏省委办公厅).
            found.department = sibling[0]
            fits.append(result)
    if len(fits) != 1:
        raise error
    return fits[0]


def refuse_two_versions(reads: list[_Read]) -> None:
    """Files of one department-year are parts (narrative + tables), not two versions of the whole.

    Two files that both print the same standard table are two versions: merging them would double
    every figure, so that is an error unless forced.
    """
    seen: dict[str, Path] = {}
    for read in reads:
        for table in read.disclosure.tables:
            if not catalog.is_standard(table.id):
                continue
            first = seen.setdefault(table.id, read.path)
            if first != read.path:
                d = read.disclosure
                raise InputError(
                    f"{first} and {read.path} both hold {table.title} of {d.department} {d.year}: "
                    "two versions of one disclosure?",
                    hint="ingest only one of them, or use --force to merge them anyway",
                )


def merge_disclosures(reads: list[_Read]) -> Disclosure:
    """One Disclosure from several files of one department-year (narrative PDF + tables PDF …).

    Tables, sections and projects are concatenated in file order; metadata comes from the first file
    that prints it.
    """
    first = reads[0].disclosure
    if len(reads) == 1:
        return first
    kinds = {r.disclosure.kind for r in reads}
    if len(kinds) > 1 and kinds != {"budget", "budget-performance"}:
        names = ", ".join(r.path.name for r in reads)
        raise InputError(
            f"{names} are {' and '.join(sorted(kinds))} of the same department-year, which cannot share one folder",
            hint="ingest them separately",
        )
    merged = first
    merged.kind = "budget" if "budget" in kinds else first.kind
    for read in reads[1:]:
        other = read.disclosure
        merged.tables.extend(other.tables)
        merged.sections.extend(other.sections)
        merged.projects.extend(other.projects)
        merged.department_code = merged.department_code or other.department_code
        if len(other.region) > len(merged.region):
            merged.region = other.region
    return merged


def _group_key(groups: dict[tuple[str, int], list[_Read]], disclosure: Disclosure) -> tuple[str, int]:
    """The department-year a disclosure joins: a department written in full in one file and short in
    another (中国共产党江苏省委员会办公厅 / 江苏省委办公厅) is one department-year."""
    own = (disclosure.department, disclosure.year)
    return next((k for k in groups if k[1] == own[1] and same_department(k[0], own[0])), own)


def ingest_sources(
    sources: list[Path],
    *,
    content_dir: Path,
    department: str | None = None,
    year: int | None = None,
    region: list[str] | None = None,
    force: bool = False,
    quiet: bool = False,
) -> list[IngestResult]:
    """Ingest source files and folders into the content tree; one result per department-year."""
    files = expand_sources(sources)
    registry = load_registry(content_dir.resolve().parent)  # before reading: a bad file stops at once
    if quiet:
        reads = read_all(files, department=department, year=year, region=region)
    else:
        with click.progressbar(
            files,
            label="Reading",
            file=sys.stderr,
            item_show_func=lambda p: p.name if p is not None else "",
        ) as bar:
            reads = read_all(bar, department=department, year=year, region=region)

    # departments.toml beside the content tree: every spelling of a listed department becomes its
    # canonical name before grouping, so two spellings of one department-year merge into one folder.
    for read in reads:
        read.disclosure.department = canonical_name(read.disclosure.department, registry)
    groups: dict[tuple[str, int], list[_Read]] = {}
    for read in reads:
        group = groups.setdefault(_group_key(groups, read.disclosure), [])
        twin = next((r for r in group if r.original.sha256 == read.original.sha256), None)
        if twin is not None:
            # The same bytes under two names (a copy in another folder): one original is enough.
            logger.warning("%s: same file as %s, skipped", read.path, twin.path)
            continue
        group.append(read)

    plans: list[tuple[Disclosure, list[_Read], WritePlan]] = []
    for group in groups.values():
        if not force:
            refuse_two_versions(group)
        disclosure = merge_disclosures(group)
        identify(disclosure, registry, region_given=region is not None)
        disclosure.checks = run_checks(disclosure)
        plan = plan_disclosure(disclosure, [r.original for r in group], content_dir, force=force)
        plans.append((disclosure, group, plan))

    results = []
    for disclosure, group, plan in plans:
        outcome = plan.write()
        results.append(
            IngestResult(
                department=disclosure.department,
                year=disclosure.year,
                slug=disclosure.slug or "",
                folder=plan.folder,
                outcome=outcome,
                tables=len(disclosure.tables),
                projects=len(disclosure.projects),
                failed=sum(1 for c in disclosure.checks if c.status == "fail"),
                warned=sum(1 for c in disclosure.checks if c.status == "warn"),
                sources=[r.path for r in group],
            )
        )
    if not quiet:
        for result in results:
            click.echo(result.summary_line())
    return results
