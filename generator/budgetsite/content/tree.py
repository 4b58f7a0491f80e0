"""The content tree (DESIGN §5): write one Disclosure as content/<slug>/<year>/, and read it back.

```
content/<slug>/<year>/
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
import hashlib
import io
import os
import re
import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

import simplejson
import yaml

from budgetsite.content.slugs import SLUG_PATTERN
from budgetsite.errors import ContentError
from budgetsite.model import Disclosure, Section, SourceFormat, Table, disclosure_to_dict, from_json

Outcome = Literal["new", "unchanged", "updated", "replaced"]
INDEX_HASH_FIELD = "index_md_sha256"
DATA_HASH_FIELD = "data_sha256"
_GENERATED = ("data.json", "index.md", "tables")
_SOURCE_NAME = re.compile(r"^source(-\d+)?\.[^/]+$")


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


def original_names(originals: list[Original]) -> list[str]:
    """source.<ext> for the first file, source-2.<ext>, source-3.<ext> … for the others."""
    names = []
    for n, original in enumerate(originals, start=1):
        ext = original.path.suffix.lower() or ".bin"
        names.append(f"source{ext}" if n == 1 else f"source-{n}{ext}")
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


def table_file_names(tables: list[Table]) -> list[str]:
    """tables/<id>.csv per table; a repeated id (merged files) gets -2, -3 …"""
    names: list[str] = []
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
    return names


def data_fingerprint(data: dict[str, Any]) -> str:
    """Hash of what a person may correct in data.json: its content, key order and layout ignored.

    Where the data came from (source, source_page, the index.md hash) is left out, so the same
    disclosure read from a .txt and a .pdf has the same fingerprint.
    """
    content = {k: v for k, v in data.items() if k not in ("source", INDEX_HASH_FIELD, DATA_HASH_FIELD)}
    content["tables"] = [
        {k: v for k, v in table.items() if k != "source_page"} for table in content.get("tables") or []
    ]
    canonical = simplejson.dumps(content, use_decimal=True, ensure_ascii=False, sort_keys=True)
    return sha256_bytes(canonical.encode("utf-8"))


def render_data_json(disclosure: Disclosure, index_md: str) -> str:
    """data.json text: the schema-v1 object plus the hash of the generated index.md."""
    data = disclosure_to_dict(disclosure)
    data[INDEX_HASH_FIELD] = sha256_bytes(index_md.encode("utf-8"))
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

    def write(self) -> Outcome:
        """Write the folder atomically (temp folder + rename); nothing is written when unchanged."""
        if self.outcome == "unchanged":
            return self.outcome
        created = [p for p in (self.folder.parent, *self.folder.parent.parents) if not p.exists()]
        self.folder.parent.mkdir(parents=True, exist_ok=True)
        temp = Path(tempfile.mkdtemp(prefix=f".{self.folder.name}-new-", dir=self.folder.parent))
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
            if self.folder.exists():
                backup = Path(tempfile.mkdtemp(prefix=f".{self.folder.name}-old-", dir=self.folder.parent))
                backup.rmdir()
                os.replace(self.folder, backup)
            os.replace(temp, self.folder)
        except BaseException:
            shutil.rmtree(temp, ignore_errors=True)
            if backup is not None and backup.exists() and not self.folder.exists():
                os.replace(backup, self.folder)
            for directory in created:  # deepest first: leave no empty content/<slug>/ behind
                if directory.is_dir() and not any(directory.iterdir()):
                    directory.rmdir()
            raise
        if backup is not None:
            shutil.rmtree(backup, ignore_errors=True)
        return self.outcome


def _existing_sources(folder: Path) -> list[str]:
    return sorted(sha256_file(p) for p in folder.iterdir() if p.is_file() and _SOURCE_NAME.match(p.name))


def _user_files(folder: Path, generated: set[str]) -> list[str]:
    """Files in an existing folder that ingest did not write (kept across re-ingests)."""
    keep = []
    for path in sorted(folder.rglob("*")):
        relative = path.relative_to(folder).as_posix()
        if not path.is_file() or relative in generated or relative.split("/")[0] in _GENERATED:
            continue
        if _SOURCE_NAME.match(relative):
            continue
        keep.append(relative)
    return keep


def plan_disclosure(
    disclosure: Disclosure, originals: list[Original], content_dir: Path, *, force: bool = False
) -> WritePlan:
    """Decide what writing `disclosure` does, refusing (ContentError) to destroy hand edits or other sources.

    Sets disclosure.source from `originals`. Reads the existing folder but writes nothing.
    """
    if disclosure.slug is None or not SLUG_PATTERN.match(disclosure.slug):
        raise ContentError(f"unsafe department slug {disclosure.slug!r}", hint="report this as a bug")
    names = original_names(originals)
    disclosure.source.file = names[0]
    disclosure.source.sha256 = originals[0].sha256
    disclosure.source.format = originals[0].format
    disclosure.source.extra_files = names[1:]
    folder = content_dir / disclosure.slug / str(int(disclosure.year))
    index_md = render_index_md(disclosure)
    files = {
        "data.json": render_data_json(disclosure, index_md).encode("utf-8"),
        "index.md": index_md.encode("utf-8"),
    }
    for name, table in zip(table_file_names(disclosure.tables), disclosure.tables, strict=True):
        files[name] = render_table_csv(table)
    sources = dict(zip(names, (o.path for o in originals), strict=True))
    if not folder.exists():
        return WritePlan(folder, files, sources, "new")
    label = f"{disclosure.department} {disclosure.year}"
    try:
        old_data = simplejson.loads((folder / "data.json").read_text(encoding="utf-8"), use_decimal=True)
    except (OSError, ValueError):
        if not force:
            raise ContentError(
                f"the folder for {label} exists but has no readable data.json",
                path=folder,
                hint="move it away, or use --force to replace it",
            ) from None
        return WritePlan(folder, files, sources, "replaced")
    keep = _user_files(folder, set(files) | set(sources))
    if _existing_sources(folder) != sorted(o.sha256 for o in originals):
        if not force:
            old_file = (old_data.get("source") or {}).get("file", "source")
            raise ContentError(
                f"{label} was already ingested from a different source ({folder / old_file})",
                path=folder,
                hint="use --force to replace it with the new file(s)",
            )
        return WritePlan(folder, files, sources, "replaced", keep)
    unchanged = all(
        (folder / name).is_file() and (folder / name).read_bytes() == data
        for name, data in files.items()
        if name != "index.md"
    ) and {p.relative_to(folder).as_posix() for p in (folder / "tables").glob("*.csv")} == {
        n for n in files if n.startswith("tables/")
    }
    if unchanged:
        return WritePlan(folder, files, sources, "unchanged")
    index_path = folder / "index.md"
    # A tree written before the data hash existed has none: only index.md edits can be told there.
    data_edited = DATA_HASH_FIELD in old_data and old_data[DATA_HASH_FIELD] != data_fingerprint(old_data)
    if data_edited and not force:
        raise ContentError(
            f"data.json of {label} was edited by hand; re-ingesting would overwrite the corrections",
            path=folder / "data.json",
            hint="keep it as it is, or use --force to overwrite it (copy your corrections first)",
        )
    edited = index_path.is_file() and sha256_file(index_path) != old_data.get(INDEX_HASH_FIELD)
    if edited and not force:
        raise ContentError(
            f"index.md of {label} was edited by hand; re-ingesting would overwrite the edits",
            path=index_path,
            hint="keep it as it is, or use --force to overwrite it (copy your edits first)",
        )
    return WritePlan(folder, files, sources, "updated", keep)


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


def load_disclosure(folder: Path) -> Disclosure:
    """Read one department-year folder: data.json, with the narrative (and title) from index.md."""
    data_path = folder / "data.json"
    try:
        text = data_path.read_text(encoding="utf-8")
    except OSError as error:
        raise ContentError(f"cannot read data.json ({error.strerror})", path=data_path) from None
    try:
        disclosure = from_json(text)
    except (ValueError, KeyError, TypeError) as error:
        raise ContentError(
            f"not a valid data.json ({error})",
            path=data_path,
            hint="re-run budgetsite ingest or fix the file",
        ) from None
    index_path = folder / "index.md"
    if index_path.is_file():
        front, body = split_front_matter(index_path.read_text(encoding="utf-8"), index_path)
        disclosure.sections = sections_from_body(body, disclosure.sections)
        if isinstance(front.get("title"), str) and front["title"].strip():
            disclosure.title = front["title"].strip()
    return disclosure


def iter_disclosure_folders(content_dir: Path) -> list[Path]:
    """content/<slug>/<year>/ folders that hold a data.json, sorted."""
    return sorted(
        p.parent
        for p in content_dir.glob("*/*/data.json")
        if p.parent.parent.name != "pages" and not p.parent.name.startswith(".")
    )
