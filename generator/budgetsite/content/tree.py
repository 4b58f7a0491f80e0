"""The content tree (DESIGN §5): write one Disclosure as content/<slug>/<folder>/, and read it back.

`<folder>` follows from the disclosure's identity (budgetsite.identity): `<year>` for the department
budget, `<year>-final-accounts`, `<year>-unit-<unit>` … for the others, side by side.

```
content/<slug>/<folder>/
  data.json          model.to_json + "index_md_sha256" (hash of index.md as generated, to detect hand edits)
  index.md           YAML front matter + one "## 一、title" section per narrative section; hand-editable
  tables/<id>.csv    UTF-8 with BOM, header row = column labels, numbers with their printed digits
  source.<ext>       the original, byte for byte (source-2.<ext>, … for further files of one department-year)
```

Writing is all or nothing: files go to a temporary folder beside the target, which is swapped in by
rename. Re-writing identical output is a no-op ("unchanged"); overwriting a hand-edited index.md or
data.json (data.json carries hashes of both as written: "index_md_sha256", "data_sha256") or a
department-year that came from other source files needs `force`.
"""

from __future__ import annotations

import csv
import functools
import hashlib
import io
import os
import re
import secrets
import shutil
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

import click
import simplejson
import yaml

from budgetsite.content.slugs import ID_PATTERN, SLUG_PATTERN, unit_slug
from budgetsite.errors import ContentError, crash_point, process_alive
from budgetsite.identity import describe, folder_name, identity_of
from budgetsite.model import (
    Disclosure,
    Section,
    SourceFormat,
    Table,
    disclosure_from_dict,
    disclosure_to_dict,
    from_json,
    load_json_text,
)
from budgetsite.recognize.facts import extract_facts

Outcome = Literal["new", "unchanged", "updated", "replaced"]
INDEX_HASH_FIELD = "index_md_sha256"
DATA_HASH_FIELD = "data_sha256"
# Every file ingest wrote besides data.json, with its SHA-256: the only files a re-ingest may replace or
# delete. Anything else in the folder (notes, images, a user's CSV in tables/) is the user's and stays.
FILES_FIELD = "generated_files"
# The data.json schema (a copy of ../shared/schema, kept equal by tests/ingest/test_shared_copies.py).
SCHEMA_PATH = Path(__file__).with_name("disclosure.schema.json")
_SOURCE_NAME = re.compile(r"^source(-\d+)?\.[^/]+$")
# Temporary folders of WritePlan.write: .<year>-new-<pid>-<random>, .<year>-old-<pid>-<random>.
_LEFTOVER = re.compile(r"^\.(?P<year>\d{4})-(?P<state>new|old)-(?P<pid>\d+)-")


@dataclass
class Original:
    """One source file of a department-year, to be kept byte for byte."""

    path: Path
    sha256: str
    format: SourceFormat


def sha256_bytes(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def sha256_file(path: Path) -> str:
    """SHA-256 of a file's bytes."""
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def original_names(originals: list[Original], taken: frozenset[str] = frozenset()) -> list[str]:
    """source.<ext> for the first file, source-2.<ext>, source-3.<ext> … for the others.

    Names in `taken` (a user's own files in the folder) are skipped: the next free number is used.
    """
    names: list[str] = []
    n = 0
    for original in originals:
        ext = original.path.suffix.lower() or ".bin"
        while True:
            n += 1
            name = f"source{ext}" if n == 1 else f"source-{n}{ext}"
            if name not in taken:
                break
        names.append(name)
    return names


# --- rendering the files ---------------------------------------------------------------------------


def section_heading(section: Section) -> str:
    """The heading text of a section in index.md: 一、部门职责及机构设置情况."""
    heading = f"{section.number}、{section.title}" if section.number else section.title
    return " ".join(heading.split())  # one line, whatever line breaks the printed title had


def render_index_md(disclosure: Disclosure) -> str:
    """index.md: YAML front matter, then every narrative section under a '## ' heading."""
    front: dict[str, Any] = {
        "title": disclosure.title,
        "department": disclosure.department,
        "department_code": disclosure.department_code,
        "year": disclosure.year,
        "kind": disclosure.kind,
        "region": disclosure.region,
        "slug": disclosure.slug,
        "source": disclosure.source.file,
    }
    if disclosure.source.extra_files:
        front["extra_sources"] = disclosure.source.extra_files
    yaml_text = yaml.safe_dump(front, allow_unicode=True, sort_keys=False, width=1000)
    parts = [
        "---\n",
        "# Written by `budgetsite ingest`. Edit the narrative below freely: each '## ' heading starts a\n",
        "# section. Tables and figures live in data.json and tables/*.csv.\n",
        yaml_text,
        "---\n",
    ]
    for index, section in enumerate(disclosure.sections):
        heading = section_heading(section)
        if heading or index > 0:
            parts.append(f"\n## {heading or '（无标题）'}\n")
        if section.markdown.strip():
            parts.append(f"\n{section.markdown.strip()}\n")
    return "".join(parts)


def render_table_csv(table: Table) -> bytes:
    """One table as CSV: UTF-8 with BOM (Excel), header = column labels, numbers as printed."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow([c.label for c in table.columns])
    for row in table.rows:
        writer.writerow(["" if v is None else v if isinstance(v, str) else format(v, "f") for v in row])
    return buffer.getvalue().encode("utf-8-sig")


def table_file_names(tables: list[Table], taken: frozenset[str] = frozenset()) -> list[str]:
    """tables/<id>.csv per table; a repeated id (merged files) or a user's file in `taken` gets -2, -3 …"""
    names: list[str] = list(taken)
    start = len(names)
    for table in tables:
        base = (
            table.id
            if SLUG_PATTERN.match(table.id)
            else re.sub(r"[^a-z0-9-]+", "-", table.id.lower()).strip("-")
        )
        base = base or "table"
        name, n = f"{base}.csv", 1
        while f"tables/{name}" in names:
            n += 1
            name = f"{base}-{n}.csv"
        names.append(f"tables/{name}")
    return names[start:]


def data_fingerprint(data: dict[str, Any]) -> str:
    """Hash of what a person may correct in data.json: its content, key order and layout ignored.

    Where the data came from (source, source_page, the index.md hash) is left out, so the same
    disclosure read from a .txt and a .pdf has the same fingerprint.
    """
    provenance = ("source", INDEX_HASH_FIELD, DATA_HASH_FIELD, FILES_FIELD)
    content = {k: v for k, v in data.items() if k not in provenance}
    content["tables"] = [
        {k: v for k, v in table.items() if k != "source_page"} for table in content.get("tables") or []
    ]
    canonical = simplejson.dumps(content, use_decimal=True, ensure_ascii=False, sort_keys=True)
    return sha256_bytes(canonical.encode("utf-8"))


def render_data_json(disclosure: Disclosure, index_md: str, written: dict[str, str] | None = None) -> str:
    """data.json text: the schema object plus the hash of the generated index.md, of its own content,
    and of every other file ingest writes into the folder (`written`: relative name → SHA-256)."""
    data = disclosure_to_dict(disclosure)
    data[INDEX_HASH_FIELD] = sha256_bytes(index_md.encode("utf-8"))
    if written is not None:
        data[FILES_FIELD] = dict(sorted(written.items()))
    data[DATA_HASH_FIELD] = data_fingerprint(data)
    return simplejson.dumps(data, use_decimal=True, ensure_ascii=False, indent=1) + "\n"


# --- planning and writing ---------------------------------------------------------------------------


@dataclass
class WritePlan:
    """Everything one department-year folder will hold, and what writing it will do."""

    folder: Path
    files: dict[str, bytes]
    originals: dict[str, Path]
    outcome: Outcome
    keep: list[str] = field(default_factory=list)
    # What --force overwrites that a person changed (index.md edited by hand …), said in the summary.
    replaced: list[str] = field(default_factory=list)

    def write(self) -> Outcome:
        """Write the folder atomically (temp folder + rename); nothing is written when unchanged."""
        if self.outcome == "unchanged":
            return self.outcome
        created = [p for p in (self.folder.parent, *self.folder.parent.parents) if not p.exists()]
        self.folder.parent.mkdir(parents=True, exist_ok=True)
        temp = _sibling(self.folder, "new")
        temp.mkdir()  # not mkdtemp: its 0700 would outlive the swap; the user's umask decides
        backup: Path | None = None
        try:
            for relative, data in self.files.items():
                target = temp / relative
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_bytes(data)
            for relative, source in self.originals.items():
                shutil.copyfile(source, temp / relative)
            for relative in self.keep:
                # Files a person added to the folder (notes, images) survive a re-ingest.
                old = self.folder / relative
                (temp / relative).parent.mkdir(parents=True, exist_ok=True)
                shutil.copy2(old, temp / relative)
            crash_point("ingest-write")  # the new folder written, not yet swapped in
            if self.folder.exists():
                backup = _sibling(self.folder, "old")
                os.replace(self.folder, backup)
            crash_point("ingest-swap")  # between the two renames
            os.replace(temp, self.folder)
        except BaseException:
            shutil.rmtree(temp, ignore_errors=True)
            if backup is not None and backup.exists() and not self.folder.exists():
                os.replace(backup, self.folder)
            for directory in created:  # deepest first: leave no empty content/<slug>/ behind
                if directory.is_dir() and not any(directory.iterdir()):
                    directory.rmdir()
            raise
        crash_point("ingest-cleanup")  # swapped in, the old copy not yet removed
        if backup is not None:
            shutil.rmtree(backup, ignore_errors=True)
        return self.outcome


def _sibling(folder: Path, state: str) -> Path:
    """A fresh hidden name beside `folder` for its new or old copy during a swap (see recover_tree)."""
    return folder.with_name(f".{folder.name}-{state}-{os.getpid()}-{secrets.token_hex(4)}")


def _written_before(folder: Path, old_data: dict[str, Any] | None) -> dict[str, str | None]:
    """Files the last ingest wrote into `folder` (besides data.json): relative name → SHA-256 as written.

    From data.json's generated_files; a tree from before that record existed is reconstructed from its
    data.json (index.md, the table CSV names, the source names; hashes unknown: None, except index.md
    and the first source). Without a readable data.json nothing is known to be budgetsite's.
    """
    if old_data is None:
        return {}
    recorded = old_data.get(FILES_FIELD)
    if isinstance(recorded, dict):
        return {str(k): (v if isinstance(v, str) else None) for k, v in recorded.items()}
    written: dict[str, str | None] = {"index.md": old_data.get(INDEX_HASH_FIELD)}
    try:
        ids = [str(t["id"]) for t in old_data.get("tables") or []]
        names = table_file_names([Table(i, "", None, [], []) for i in ids])
    except (TypeError, KeyError):
        names = []
    written.update(dict.fromkeys(names))
    found = old_data.get("source")
    source: dict[str, Any] = found if isinstance(found, dict) else {}
    if isinstance(source.get("file"), str):
        written[source["file"]] = source.get("sha256") if isinstance(source.get("sha256"), str) else None
    written.update(dict.fromkeys(str(n) for n in source.get("extra_files") or []))
    return written


def _files_in(folder: Path) -> list[str]:
    return sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file())


def _source_hashes(folder: Path, written: dict[str, str | None]) -> list[str]:
    """SHA-256 of each original the last ingest kept, as recorded (or read when not recorded)."""
    hashes = []
    for name, digest in written.items():
        if _SOURCE_NAME.match(name) and (folder / name).is_file():
            hashes.append(digest or sha256_file(folder / name))
    return sorted(hashes)


def _render_files(
    disclosure: Disclosure, originals: list[Original], taken: frozenset[str]
) -> tuple[dict[str, bytes], dict[str, Path]]:
    """The generated files (data.json, index.md, tables/*.csv) and the originals' names, avoiding `taken`."""
    names = original_names(originals, taken)
    disclosure.source.file = names[0]
    disclosure.source.sha256 = originals[0].sha256
    disclosure.source.format = originals[0].format
    disclosure.source.extra_files = names[1:]
    index_md = render_index_md(disclosure)
    files = {"index.md": index_md.encode("utf-8")}
    for name, table in zip(table_file_names(disclosure.tables, taken), disclosure.tables, strict=True):
        files[name] = render_table_csv(table)
    written = {name: sha256_bytes(data) for name, data in files.items()}
    written.update({name: o.sha256 for name, o in zip(names, originals, strict=True)})
    files["data.json"] = render_data_json(disclosure, index_md, written).encode("utf-8")
    return files, dict(zip(names, (o.path for o in originals), strict=True))


def plan_disclosure(
    disclosure: Disclosure, originals: list[Original], content_dir: Path, *, force: bool = False
) -> WritePlan:
    """Decide what writing `disclosure` does, refusing (ContentError) to destroy hand edits or other sources.

    Sets disclosure.source from `originals`. Reads the existing folder but writes nothing. Only files the
    last ingest wrote (data.json's generated_files) are replaced or dropped; every other file in the
    folder is kept, with --force too, and new files take names around them.
    """
    if disclosure.slug is None or not SLUG_PATTERN.match(disclosure.slug):
        raise ContentError(f"unsafe department slug {disclosure.slug!r}", hint="report this as a bug")
    if disclosure.level.is_unit and not disclosure.level.slug:
        disclosure.level.slug = unit_slug(disclosure.level.unit or disclosure.department)
    folder = content_dir / disclosure.slug / folder_name(disclosure)
    _refuse_other_identity(disclosure, folder)
    if not folder.exists():
        files, sources = _render_files(disclosure, originals, frozenset())
        return WritePlan(folder, files, sources, "new")
    label = describe(disclosure)
    try:
        old_data = simplejson.loads((folder / "data.json").read_text(encoding="utf-8"), use_decimal=True)
        if not isinstance(old_data, dict):
            raise ValueError("not an object")
    except (OSError, ValueError, RecursionError):
        if not force:
            raise ContentError(
                f"the folder for {label} exists but has no readable data.json",
                path=folder,
                hint="move it away, or use --force to replace it",
            ) from None
        old_data = None
    present = _files_in(folder)
    if old_data is None:
        # Which files were budgetsite's is unknown: those the new write needs are replaced (and listed),
        # every other file is kept.
        files, sources = _render_files(disclosure, originals, frozenset())
        needed = set(files) | set(sources)
        keep = [f for f in present if f not in needed]
        return WritePlan(
            folder, files, sources, "replaced", keep, replaced=[f for f in present if f in needed]
        )
    before = _written_before(folder, old_data)
    user = frozenset(f for f in present if f != "data.json" and f not in before)
    files, sources = _render_files(disclosure, originals, user)
    keep = sorted(user)
    if _source_hashes(folder, before) != sorted(o.sha256 for o in originals):
        if not force:
            old_file = (old_data.get("source") or {}).get("file", "source")
            raise ContentError(
                f"{label} was already ingested from a different source ({folder / old_file})",
                path=folder,
                hint="use --force to replace it with the new file(s)",
            )
        dropped = [name for name in before if _SOURCE_NAME.match(name) and (folder / name).is_file()]
        return WritePlan(folder, files, sources, "replaced", keep, replaced=sorted(dropped))
    index_path = folder / "index.md"
    # A tree written before the data hash existed has none: only index.md edits can be told there.
    data_edited = DATA_HASH_FIELD in old_data and old_data[DATA_HASH_FIELD] != data_fingerprint(old_data)
    index_edited = index_path.is_file() and sha256_file(index_path) != old_data.get(INDEX_HASH_FIELD)
    ours_now = {f for f in present if f in before or f == "data.json"}
    unchanged = ours_now == set(files) | set(sources) and all(
        (folder / name).read_bytes() == data
        for name, data in files.items()
        # Without --force a hand-edited index.md is kept, so it does not make the folder "changed".
        if name != "index.md" or force
    )
    if unchanged:
        return WritePlan(folder, files, sources, "unchanged")
    if data_edited and not force:
        raise ContentError(
            f"data.json of {label} was edited by hand; re-ingesting would overwrite the corrections",
            path=folder / "data.json",
            hint="keep it as it is, or use --force to overwrite it (copy your corrections first)",
        )
    if index_edited and not force:
        raise ContentError(
            f"index.md of {label} was edited by hand; re-ingesting would overwrite the edits",
            path=index_path,
            hint="keep it as it is, or use --force to overwrite it (copy your edits first)",
        )
    replaced = [name for name, edited in (("data.json", data_edited), ("index.md", index_edited)) if edited]
    return WritePlan(
        folder, files, sources, "updated", keep, replaced=[f"{n} (edited by hand)" for n in replaced]
    )


def _refuse_other_identity(disclosure: Disclosure, folder: Path) -> None:
    """Refuse, even with --force, to let one disclosure replace ANOTHER one (a 预算 over a 决算).

    Folders written before disclosures had identities hold any kind in content/<slug>/<year>/: a budget
    planned there must not replace the final accounts in it, and final accounts planned beside it must
    not duplicate them. `budgetsite migrate` moves such folders to their own names.
    """
    own = identity_of(disclosure)
    legacy = folder.parent / str(int(disclosure.year))
    for candidate in dict.fromkeys((folder, legacy)):
        try:
            other = from_json((candidate / "data.json").read_text(encoding="utf-8"))
        except (OSError, ValueError, KeyError, TypeError):
            continue  # no folder, or an unreadable one: plan_disclosure has its own word for that
        if (candidate == folder) == (identity_of(other) == own):
            continue  # the same disclosure in its own folder, or another one in its own folder
        raise ContentError(
            f"{candidate} holds {describe(other)}, written by an older budgetsite; "
            f"{describe(disclosure)} gets a folder of its own",
            path=candidate,
            hint="run `budgetsite migrate` once to move old folders to their new names, then ingest again",
        )


def write_disclosure(
    disclosure: Disclosure, originals: list[Original], content_dir: Path, *, force: bool = False
) -> Outcome:
    """Write `disclosure` and its originals as content/<slug>/<year>/ (see plan_disclosure for refusals)."""
    return plan_disclosure(disclosure, originals, content_dir, force=force).write()


# --- reading the tree ----------------------------------------------------------------------------------


# libyaml's safe loader when PyYAML has it: same types and error marks, ~7x faster (a 1,000
# department-year build parses 2,000 front matters).
_YAML_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def split_front_matter(text: str, path: Path) -> tuple[dict[str, Any], str]:
    """Split `---` YAML front matter off a Markdown text."""
    text = text.removeprefix("\ufeff")
    if not text.startswith("---"):
        return {}, text
    match = re.match(r"^---[ \t]*\r?\n(.*?)^---[ \t]*(?:\r?\n|\Z)", text, re.S | re.M)
    if match is None:
        raise ContentError(
            "front matter opened with --- but never closed", path=path, hint="add a closing --- line"
        )
    try:
        meta = yaml.load(match.group(1), Loader=_YAML_LOADER) or {}
    except yaml.YAMLError as error:
        # Where the broken construct starts ("year: [2024" opened a list) beats where YAML gave up (the
        # next line). +1 for YAML's 0-based lines, +1 for the opening --- (serve shows the file there).
        mark = getattr(error, "context_mark", None) or getattr(error, "problem_mark", None)
        where = f" at line {mark.line + 2}" if mark is not None else ""
        raise ContentError(
            f"front matter is not valid YAML{where}", path=path, hint="fix the lines between the ---"
        ) from None
    if not isinstance(meta, dict):
        raise ContentError("front matter must be a YAML mapping", path=path)
    return meta, text[match.end() :]


def sections_from_body(body: str, known: list[Section]) -> list[Section]:
    """Split an index.md body at '## ' lines; sections whose heading matches data.json keep id and number."""
    by_heading = {section_heading(s): s for s in known}
    chunks: list[tuple[str | None, list[str]]] = [(None, [])]
    fence = False
    for line in body.splitlines():
        if line.lstrip().startswith(("```", "~~~")):
            fence = not fence
        if not fence and line.startswith("## "):
            chunks.append((line[3:].strip(), []))
        else:
            chunks[-1][1].append(line)
    sections = []
    for heading, lines in chunks:
        markdown = "\n".join(lines).strip()
        if heading is None and not markdown:
            continue
        heading = heading or ""
        match = by_heading.get(heading)
        if match is not None:
            sections.append(Section(title=match.title, markdown=markdown, id=match.id, number=match.number))
        else:
            number = re.match(r"^([一二三四五六七八九十]+)、(.*)$", heading)
            sections.append(
                Section(
                    title=number.group(2) if number else heading,
                    markdown=markdown,
                    number=number.group(1) if number else None,
                )
            )
    return sections


def load_disclosure(folder: Path, *, validate: bool = False) -> Disclosure:
    """Read one department-year folder: data.json, with the narrative (and title) from index.md.

    data.json is checked against the schema (disclosure.schema.json, as shipped) and every name that
    becomes a path (table ids) against its pattern: ContentError with the JSON path of the first
    problem. A data.json exactly as ingest wrote it (its data_sha256 matches) skips the schema pass
    unless `validate` (the check command) asks for it: ingest's output validates by test, and the
    schema pass costs ~15 ms a file (a quarter of a 1,000 department-year build).
    """
    data_path = folder / "data.json"
    data = _parse_data_json(data_path)
    if validate or not _as_ingested(data):
        validate_data(data, data_path)
    for index, table in enumerate(data.get("tables") or []):
        table_id = table.get("id") if isinstance(table, dict) else None
        if not isinstance(table_id, str) or not ID_PATTERN.match(table_id):
            raise ContentError(
                f"table id {table_id!r} at $.tables[{index}].id is not a plain name of a-z, 0-9 and -",
                path=data_path,
                hint="use the canonical id (e.g. expenditure-summary) or other-N",
            )
    try:
        disclosure = disclosure_from_dict(data)
    except (ValueError, KeyError, TypeError, AttributeError, ArithmeticError) as error:
        raise ContentError(
            f"not a valid data.json ({type(error).__name__}: {str(error)[:120]})",
            path=data_path,
            hint="re-run budgetsite ingest or fix the file",
        ) from None
    index_path = folder / "index.md"
    if index_path.is_file():
        front, body = split_front_matter(read_utf8(index_path), index_path)
        disclosure.sections = sections_from_body(body, disclosure.sections)
        if isinstance(front.get("title"), str) and front["title"].strip():
            disclosure.title = front["title"].strip()
    if "facts" not in data:
        # Schema 1 (written before facts existed): derive them now, exactly as ingest would.
        disclosure.facts = extract_facts(disclosure)
    return disclosure


def read_utf8(path: Path) -> str:
    """A text file of the content tree; ContentError (one line) when unreadable or not UTF-8."""
    try:
        return path.read_text(encoding="utf-8")
    except OSError as error:
        raise ContentError(f"cannot read the file ({error.strerror})", path=path) from None
    except UnicodeDecodeError as error:
        raise ContentError(
            f"not UTF-8 text (byte {error.start} is {error.object[error.start : error.start + 1]!r})",
            path=path,
            hint="save it as UTF-8",
        ) from None


def _parse_data_json(path: Path) -> dict[str, Any]:
    try:
        data = load_json_text(read_utf8(path))
    except RecursionError:
        raise ContentError("not a valid data.json (nested too deeply)", path=path) from None
    except ValueError as error:
        raise ContentError(
            f"not a valid data.json ({str(error)[:120]})",
            path=path,
            hint="re-run budgetsite ingest or fix the file",
        ) from None
    if not isinstance(data, dict):
        raise ContentError("not a valid data.json (not a JSON object)", path=path)
    return data


def _as_ingested(data: dict[str, Any]) -> bool:
    """True when data.json's content is as ingest wrote it (data_sha256 matches; see data_fingerprint)."""
    try:
        return DATA_HASH_FIELD in data and data[DATA_HASH_FIELD] == data_fingerprint(data)
    except (TypeError, ValueError, AttributeError, RecursionError):
        return False  # a shape data_fingerprint cannot even walk: certainly edited


@functools.cache
def _schema_validator() -> Any:
    from jsonschema import Draft202012Validator

    schema = simplejson.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
    return Draft202012Validator(schema)


def validate_data(data: Any, path: Path) -> None:
    """ContentError naming the JSON path of the first place `data` breaks the data.json schema."""
    error = next(iter(_schema_validator().iter_errors(data)), None)
    if error is not None:
        message = " ".join(error.message.split())
        raise ContentError(
            f"data.json does not match the schema at {error.json_path}: {message[:160]}",
            path=path,
            hint="fix that field, or re-run budgetsite ingest --force",
        )


def iter_disclosure_folders(content_dir: Path) -> list[Path]:
    """content/<slug>/<folder>/ folders that hold a data.json, sorted (a department's years side by side).

    Hidden folders are never content: `.2024-new-*` / `.2024-old-*` are an interrupted ingest's
    leftovers (recover_tree), and editors keep their own hidden folders.
    """
    return sorted(
        p.parent
        for p in content_dir.glob("*/*/data.json")
        if p.parent.parent.name != "pages"
        and not p.parent.name.startswith(".")
        and not p.parent.parent.name.startswith(".")
    )


def recover_tree(content_dir: Path, *, quiet: bool = False) -> list[str]:
    """Finish or undo what an interrupted ingest left in the content tree; one line per folder, said.

    WritePlan.write swaps a folder with two renames: `<year>` → `.<year>-old-*`, `.<year>-new-*` →
    `<year>`. Killed before the first, a `-new-` folder is left (incomplete or never swapped in):
    removed. Killed between them, `<year>` is missing and `-old-` holds the user's folder: restored.
    Killed after the second, only the `-old-` backup is left: removed.
    """
    messages: list[str] = []
    if not content_dir.is_dir():
        return messages
    for department in sorted(p for p in content_dir.iterdir() if p.is_dir()):
        for leftover in sorted(department.glob(".*-old-*")) + sorted(department.glob(".*-new-*")):
            match = _LEFTOVER.match(leftover.name)
            if match is None or not leftover.is_dir() or process_alive(int(match.group("pid"))):
                continue  # not ours, or an ingest still running
            target = department / match.group("year")
            if match.group("state") == "old" and not target.exists():
                os.replace(leftover, target)
                messages.append(f"recovered {target}: restored as it was before an interrupted ingest")
            else:
                shutil.rmtree(leftover)
                messages.append(f"recovered {target}: removed {leftover.name} left by an interrupted ingest")
    if not quiet:
        for message in messages:
            click.echo(message, err=True)
    return messages
