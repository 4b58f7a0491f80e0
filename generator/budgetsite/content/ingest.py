"""`budgetsite ingest`: source files → recognized disclosures → checks → content tree.

The pipeline reads in one place (`ingest_sources`): expand the sources, read and recognize every file,
group the files of one department-year, check, plan every folder, and only then write. Each file is
read in a child process capped in memory and time (read/isolate.py), here or, with --workers or
--scheduler, in other processes or on other machines (content/parallel.py). A bad file or
department-year is listed and the others go on; each department-year folder is swapped in whole, never
half-updated.
"""

from __future__ import annotations

import dataclasses
import functools
import logging
import re
import sys
import traceback
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

import click

from budgetsite.blocks import Block, PageBreak, Paragraph
from budgetsite.check import run_checks
from budgetsite.content.parallel import FilePool, SerialPool, open_pool
from budgetsite.content.registry import Registry, canonical_name, identify, load_registry
from budgetsite.content.slugs import split_divisions
from budgetsite.content.tree import Original, WritePlan, plan_disclosure, recover_tree, sha256_file
from budgetsite.errors import (
    BudgetsiteError,
    ContentError,
    InputError,
    InternalError,
    crash_point,
    write_crash_log,
)
from budgetsite.identity import Identity, merge_key
from budgetsite.model import Disclosure
from budgetsite.read import OLD_BINARY_FORMATS, reader_for, supported_extensions
from budgetsite.read.isolate import Usage, read_isolated
from budgetsite.read.limits import DEFAULT_LIMITS, Limits, check_file_size
from budgetsite.recognize import catalog
from budgetsite.recognize.facts import extract_facts
from budgetsite.recognize.metadata import recognize_metadata, same_department
from budgetsite.recognize.textclean import block_text

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
    replaced: list[str] = field(default_factory=list)

    def summary_line(self) -> str:
        """One line for the end-of-run summary (naming what --force overwrote, if anything)."""
        merged = f" from {', '.join(p.name for p in self.sources)}" if len(self.sources) > 1 else ""
        replaced = f"; replaced {', '.join(self.replaced)}" if self.replaced else ""
        return (
            f"{self.department} {self.year} → {self.folder} ({self.outcome}){merged}: "
            f"{self.tables} tables, {self.projects} projects, "
            f"checks {self.failed} failed, {self.warned} warned{replaced}"
        )


@dataclass
class _Read:
    path: Path
    original: Original
    disclosure: Disclosure


# A sources folder often explains itself (`budgetsite init` writes sources/README.md); such notes are
# not disclosures. Files named on the command line are always read.
_NOT_SOURCES = re.compile(r"^(readme|license|licence|changelog|notes?)([._-].*)?$", re.IGNORECASE)


def _in_folder(source: Path) -> list[Path]:
    """Files under `source` that could be disclosures: hidden files and README/NOTES … left out."""
    return sorted(
        p
        for p in source.rglob("*")
        if p.is_file()
        and not any(part.startswith(".") for part in p.relative_to(source).parts)
        and not _NOT_SOURCES.match(p.name)
    )


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
            found = [p for p in _in_folder(source) if p.suffix.lower() in extensions]
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


def skipped_sources(sources: list[Path]) -> list[tuple[Path, str]]:
    """Files in the source folders that ingest passes over because of their format, with what to do.

    Old binary Office files (.doc, .xls, .wps, .et) are common in disclosure folders; they are named
    in the summary so nobody takes a folder for complete when a .doc in it was never read.
    """
    return [
        (path, f"old binary {path.suffix.lower()} format — {OLD_BINARY_FORMATS[path.suffix.lower()]}")
        for source in sources
        if source.is_dir()
        for path in _in_folder(source)
        if path.suffix.lower() in OLD_BINARY_FORMATS
    ]


@dataclass
class _Blocks:
    """One file read into blocks, before recognition."""

    path: Path
    original: Original
    blocks: list[Block]
    usage: Usage | None = None  # what reading it cost in the child process


def read_blocks(path: Path, limits: Limits = DEFAULT_LIMITS) -> _Blocks:
    """Read one file into neutral blocks in a capped child process (InputError, one line, on a bad file)."""
    reader_for(path)  # an unsupported type fails before anything else
    try:
        size = path.stat().st_size
    except OSError as error:
        raise InputError(f"cannot read the file ({error.strerror})", path=path) from None
    if size == 0:
        raise InputError("the file is empty", path=path, hint="give the disclosure file itself")
    result, usage = read_isolated(path, limits)
    ending = truncated_ending(result.blocks)
    if ending is not None:
        logger.warning(
            "%s: the document looks incomplete: it ends mid-sentence (“…%s”) — check that the file is whole",
            path,
            ending,
        )
    logger.debug(
        "%s: read as %s, %d blocks, %.1f s, peak %.0f MB",
        path,
        result.format,
        len(result.blocks),
        usage.seconds,
        usage.peak_rss_mb,
    )
    return _Blocks(path, Original(path, sha256_file(path), result.format), result.blocks, usage)


# A last paragraph of prose (it has a comma or full stop inside) that ends in an ideograph or a comma
# was cut off: 000 cut at 7,734 bytes ends "2020年，我部门机". Titles, captions and signatures
# (部门预算公开表, 单位：万元, 2020年1月) have no such punctuation inside and are left alone.
_PROSE_MARK = re.compile(r"[，。；]")
_CUT_END = re.compile(r"[\u4e00-\u9fff，、]$")


def truncated_ending(blocks: list[Block]) -> str | None:
    """The last words of a document that stops mid-sentence, or None when its ending looks whole.

    A damaged download or a text cut short still reads and recognizes, as a fraction of a disclosure
    ("1 tables, 0 projects"); this is the sign that survives any layout: the last paragraph breaks off.
    """
    tail = [b for b in blocks if not isinstance(b, PageBreak)]
    if not tail or not isinstance(tail[-1], Paragraph):
        return None  # ends with a table or a heading
    text = tail[-1].text.strip()
    if not _CUT_END.search(text) or not _PROSE_MARK.search(text[:-1]):
        return None
    return text[-12:]


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


@dataclass
class FilePass:
    """One file read and recognized on its own: the part of ingest that may run in another process.

    `read` is None when the file could not be read, `recognized` when it could not be recognized alone;
    `error` says why: a read failure, a budgetsite bug, or an InputError the file may still escape by
    borrowing the department or year of the files given with it (read_all).
    """

    path: Path
    read: _Blocks | None = None
    recognized: _Read | None = None
    error: BudgetsiteError | None = None

    def relocated(self, copy: Path, path: Path) -> FilePass:
        """This pass as if `path` had been read, not a worker's `copy` of it (content/parallel.py)."""
        if self.read is not None:
            self.read.path = path
            self.read.original = dataclasses.replace(self.read.original, path=path)
        if self.recognized is not None:
            self.recognized.path = path
            self.recognized.original = dataclasses.replace(self.recognized.original, path=path)
        if self.error is not None:
            if self.error.path == copy:
                self.error.path = path
            self.error.problem = self.error.problem.replace(str(copy), str(path))
        self.path = path
        return self


def first_pass(
    path: Path, *, department: str | None, year: int | None, region: list[str] | None, limits: Limits
) -> FilePass:
    """Read and recognize one file, keeping a failure in the result rather than raising it."""
    crash_point("first-pass")  # a worker process dying mid-file (tests/ingest/test_ingest_parallel.py)
    try:
        read = read_blocks(path, limits)
    except BudgetsiteError as error:
        return FilePass(path, error=error)
    try:
        return FilePass(path, read, _recognize_guarded(read, department=department, year=year, region=region))
    except (InputError, InternalError) as error:
        return FilePass(path, read, error=error)


def source_bytes(path: Path, limits: Limits) -> bytes:
    """The bytes of a file to send to a worker on another machine, after the checks read_blocks makes first."""
    reader_for(path)  # an unsupported type fails before anything else
    try:
        size = path.stat().st_size
        if size > limits.file_mb << 20:
            check_file_size(path, limits)  # one line naming the limit, as the reading child says it
        return path.read_bytes()
    except OSError as error:
        raise InputError(f"cannot read the file ({error.strerror})", path=path) from None


def read_all(
    paths: Iterable[Path],
    *,
    department: str | None,
    year: int | None,
    region: list[str] | None,
    limits: Limits = DEFAULT_LIMITS,
    failures: list[BudgetsiteError] | None = None,
    usages: list[tuple[Path, Usage]] | None = None,
    pool: FilePool | None = None,
    done: Callable[[Path], None] = lambda path: None,
) -> list[_Read]:
    """Read and recognize every file; a file that lacks its department or year may borrow them.

    03b of the real PDFs (江苏省委办公厅 2019, tables only) prints no year: given together with 03a (the
    narrative, which does), it belongs to 03a's department-year. A file that prints its department borrows
    the year of the one department-year of the run with that department (so a whole province folder
    works); a file that prints neither borrows only when every other file of the run agrees on one
    department-year. Otherwise its own error stands.

    Each file is first read and recognized alone, in `pool` (content/parallel.py: here by default, in
    local processes or on a Dask cluster), which calls `done` as each file finishes; borrowing needs the
    whole run and happens here, on the results in file order, so any pool gives the same outcome.

    A file that fails (unreadable, unrecognizable, or a budgetsite bug while reading it) is added to
    `failures` and the others go on; without `failures` the first failure is raised. `usages` hears
    what reading each readable file cost (the fuzz suite checks it against the limits).
    """
    work = functools.partial(first_pass, department=department, year=year, region=region, limits=limits)
    load = functools.partial(source_bytes, limits=limits)
    passes = (pool or SerialPool()).map(work, list(paths), load, done)
    files: list[_Blocks] = []
    results: list[_Read | None] = []
    unrecognized: list[tuple[int, InputError]] = []
    failed: list[BudgetsiteError] = []
    for found in passes:
        if isinstance(found, BudgetsiteError):  # never handed over, or its worker died
            failed.append(found)
            continue
        if found.read is None:
            assert found.error is not None
            failed.append(found.error)
            continue
        files.append(found.read)
        if usages is not None and found.read.usage is not None:
            usages.append((found.path, found.read.usage))
        results.append(found.recognized)
        if isinstance(found.error, InputError):
            unrecognized.append((len(files) - 1, found.error))
        elif found.error is not None:
            failed.append(found.error)
    if unrecognized:
        siblings = sorted({(r.disclosure.department, r.disclosure.year) for r in results if r is not None})
        if not siblings:
            siblings = _pooled_metadata([files[index] for index, _ in unrecognized])
        for index, failure in unrecognized:
            try:
                results[index] = _borrow(
                    files[index], failure, siblings, department=department, year=year, region=region
                )
            except BudgetsiteError as final:
                failed.append(final)
                continue
            logger.info("%s: department or year taken from the files given with it", files[index].path)
    if failed and failures is None:
        raise failed[0]
    if failures is not None:
        failures.extend(failed)
    return [r for r in results if r is not None]


def _recognize_guarded(
    read: _Blocks, *, department: str | None, year: int | None, region: list[str] | None
) -> _Read:
    """recognize_file, with an unexpected exception reported as a budgetsite bug naming the file."""
    try:
        return recognize_file(read, department=department, year=year, region=region)
    except BudgetsiteError:
        raise
    except Exception as error:
        raise InternalError(error, write_crash_log(traceback.format_exc()), path=read.path) from None


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
            result = _recognize_guarded(read, department=department, year=year or sibling[1], region=region)
        except InputError:
            # No department printed: it joins the one department-year of the run with its own year
            # (a file that prints no year either fits every sibling, so only a lone sibling takes it).
            try:
                result = _recognize_guarded(
                    read, department=department or sibling[0], year=year or sibling[1], region=region
                )
            except InputError:
                continue
        found = result.disclosure
        if found.year == sibling[1] and same_department(found.department, sibling[0]):
            # One department-year, one spelling: the sibling's (03a 江苏省委办公厅 vs 03b 中共江苏省委办公厅).
            found.department = sibling[0]
            fits.append(result)
    if len(fits) > 1:
        fits = _named_most(read, fits)
    if len(fits) != 1:
        raise error
    return fits[0]


def _named_most(read: _Blocks, fits: list[_Read]) -> list[_Read]:
    """Of several departments a file without its own could join, the one its text names far more often.

    js-zhengxie-2019's narrative prints no full department name, only "省政协" (81 times); read in one batch
    with other departments' 2019 files, each of them "fits" by year. The name without its region and its
    office suffix (政协 for 江苏省政协办公厅) must occur at least 3 times and twice as often as any other's,
    else the file keeps its error: a guess would file a document under the wrong department.
    """
    text = "".join(block_text(block) or "" for block in read.blocks)
    counts = [(_mentions(text, fit.disclosure.department), fit) for fit in fits]
    counts.sort(key=lambda item: item[0], reverse=True)
    (best, fit), (second, _) = counts[0], counts[1]
    return [fit] if best >= 3 and best >= 2 * second else fits


def _mentions(text: str, department: str) -> int:
    """How often `text` names `department` by its core: 政协 for 江苏省政协办公厅, 高级人民法院 for 江苏省高级人民法院.

    A core of one character (委 of 江苏省委办公厅) would match everywhere: it counts as never named."""
    core = re.sub(r"(办公厅|办公室)$", "", split_divisions(department)[-1])
    return text.count(core) if len(core) >= 2 else 0


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


@dataclass
class IngestReport:
    """What one ingest run did: a result per department-year written, every failure, every skipped file."""

    results: list[IngestResult] = field(default_factory=list)
    failures: list[BudgetsiteError] = field(default_factory=list)
    skipped: list[tuple[Path, str]] = field(default_factory=list)
    files: int = 0
    usages: list[tuple[Path, Usage]] = field(default_factory=list)


def _group_key(groups: dict[Identity, list[_Read]], disclosure: Disclosure) -> Identity:
    """The disclosure a file joins: one identity, where a department written in full in one file and short
    in another (中国共产党江苏省委员会办公厅 / 江苏省委办公厅) is one department."""
    own = merge_key(disclosure)
    return next(
        (
            key
            for key in groups
            if key._replace(department=own.department) == own
            and same_department(key.department, own.department)
        ),
        own,
    )


def ingest_sources(
    sources: list[Path],
    *,
    content_dir: Path,
    department: str | None = None,
    year: int | None = None,
    region: list[str] | None = None,
    force: bool = False,
    quiet: bool = False,
    limits: Limits = DEFAULT_LIMITS,
    workers: int | None = None,
    scheduler: str | None = None,
) -> IngestReport:
    """Ingest source files and folders into the content tree; one result per department-year.

    Every good file is ingested; a file or department-year that fails is listed in the report's
    failures (the CLI prints them at the end and exits 1). Each department-year is written atomically.
    Files are read in `workers` local processes (None: 1; 0: one per core) or on the Dask cluster whose
    scheduler is at `scheduler` (content/parallel.py); the content tree is the same either way.
    """
    report = IngestReport()
    report.skipped = skipped_sources(sources)
    files = expand_sources(sources)
    registry = load_registry(content_dir.resolve().parent)  # before reading: a bad file stops at once
    report.files = len(files)
    pool = open_pool(workers, scheduler)  # an unreachable scheduler stops here, before any write
    try:
        recover_tree(content_dir, quiet=quiet)
        read_files = functools.partial(
            read_all,
            department=department,
            year=year,
            region=region,
            limits=limits,
            failures=report.failures,
            usages=report.usages,
            pool=pool,
        )
        if quiet:
            reads = read_files(files)
        else:
            # The bar counts files as they finish (bar.update), in whatever order the pool ends them.
            with click.progressbar(
                files,
                label="Reading",
                file=sys.stderr,
                item_show_func=lambda p: p.name if p is not None else "",
            ) as bar:
                reads = read_files(files, done=lambda path: bar.update(1, path))
    finally:
        pool.close()

    # departments.toml beside the content tree: every spelling of a listed department becomes its
    # canonical name before grouping, so two spellings of one department-year merge into one folder.
    for read in reads:
        read.disclosure.department = canonical_name(read.disclosure.department, registry)
    # One group per disclosure identity: a 预算 and a 决算, or a 部门 and a 单位 budget, of one
    # department-year are separate disclosures with folders of their own.
    groups: dict[Identity, list[_Read]] = {}
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
        try:
            plans.append(
                _plan_group(group, content_dir, registry, force=force, region_given=region is not None)
            )
        except BudgetsiteError as error:
            report.failures.append(error)

    for disclosure, group, plan in plans:
        try:
            outcome = plan.write()
        except OSError as error:
            report.failures.append(
                ContentError(f"cannot write the folder ({error.strerror or error})", path=plan.folder)
            )
            continue
        report.results.append(
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
                replaced=plan.replaced,
            )
        )
    if not quiet:
        for result in report.results:
            click.echo(result.summary_line())
        for path, reason in report.skipped:
            click.echo(f"skipped {path}: {reason}")
    return report


def _plan_group(
    group: list[_Read], content_dir: Path, registry: Registry | None, *, force: bool, region_given: bool
) -> tuple[Disclosure, list[_Read], WritePlan]:
    """Merge, identify, check and plan the files of one department-year (BudgetsiteError when it cannot
    be written)."""
    if not force:
        refuse_two_versions(group)
    disclosure = merge_disclosures(group)
    identify(disclosure, registry, region_given=region_given)
    disclosure.facts = extract_facts(disclosure)
    disclosure.checks = run_checks(disclosure)
    plan = plan_disclosure(disclosure, [r.original for r in group], content_dir, force=force)
    return disclosure, group, plan
