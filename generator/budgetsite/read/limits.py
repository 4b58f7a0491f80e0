"""Reader limits: how big, how packed and how slow a source file may be before budgetsite refuses it.

Small hostile files can ask for gigabytes (a DOCX cell spanning 100,000,000 columns, an XLSX with one
cell at XFD1048576, a zip bomb). Every limit has a default that no real disclosure comes near — the
largest one seen is a 3.7 MB, 35-page PDF; the real OOXML files unpack to ~1 MB at a ratio below 35 —
and can be raised with `budgetsite ingest --limit NAME=VALUE`. Past a limit the file fails with one line
naming the limit and the option (`LimitError`).
"""

from __future__ import annotations

import dataclasses
import zipfile
from dataclasses import dataclass
from pathlib import Path

from budgetsite.errors import ConfigError, InputError


@dataclass(frozen=True)
class Limits:
    """Ceilings for reading one source file (see the module docstring; names are the --limit keys)."""

    file_mb: int = 50  # size of the file on disk
    unpacked_mb: int = 256  # DOCX/XLSX: all parts of the zip, uncompressed
    ratio: int = 200  # DOCX/XLSX: uncompressed / compressed size of any one part
    cells: int = 2_000_000  # rows × columns of one table or sheet
    span: int = 1_000  # DOCX: columns one cell may span (gridSpan, gridBefore, gridAfter)
    pages: int = 2_000  # PDF pages
    seconds: int = 300  # wall time to read one file
    memory_mb: int = 2_048  # memory the reading process may add to what budgetsite itself uses

    def with_overrides(self, settings: list[str]) -> Limits:
        """A copy with `NAME=VALUE` settings applied; ConfigError (one line) for a bad one."""
        names = {f.name for f in dataclasses.fields(self)}
        changes: dict[str, int] = {}
        for setting in settings:
            name, _, value = setting.partition("=")
            name = name.strip().replace("-", "_")
            if name not in names or not value.strip().isdigit() or int(value) <= 0:
                raise ConfigError(
                    f"bad --limit {setting!r}",
                    hint=f"write NAME=POSITIVE-INTEGER with NAME one of {', '.join(sorted(names))}",
                )
            changes[name] = int(value)
        return dataclasses.replace(self, **changes)


DEFAULT_LIMITS = Limits()


class LimitError(InputError):
    """A source file past one of the reader limits."""

    def __init__(self, what: str, name: str, limit: int, *, path: Path | str | None = None):
        super().__init__(
            f"{what} is over the limit {name}={limit}",
            path=path,
            hint=f"if the file is genuine, raise it with --limit {name}=N",
        )
        self.what, self.name, self.limit = what, name, limit


def check_file_size(path: Path, limits: Limits) -> None:
    """LimitError when the file is larger than limits.file_mb."""
    size = path.stat().st_size
    if size > limits.file_mb << 20:
        raise LimitError(f"the file ({size >> 20} MB)", "file_mb", limits.file_mb, path=path)


def check_zip_package(path: Path, limits: Limits) -> None:
    """LimitError for an OOXML zip that unpacks too large or too densely (a zip bomb).

    Reads only the zip directory; a damaged zip is left for the format's parser to report.
    """
    try:
        with zipfile.ZipFile(path) as package:
            members = package.infolist()
    except (zipfile.BadZipFile, OSError, ValueError, EOFError, NotImplementedError):
        return  # the format's reader says what is wrong with it
    total = sum(member.file_size for member in members)
    if total > limits.unpacked_mb << 20:
        raise LimitError(
            f"the unpacked size ({total >> 20} MB)", "unpacked_mb", limits.unpacked_mb, path=path
        )
    for member in members:
        # Tiny parts compress oddly; only parts over 1 MB unpacked can be bombs worth stopping.
        if member.file_size > 1 << 20 and member.file_size > limits.ratio * max(member.compress_size, 1):
            ratio = member.file_size // max(member.compress_size, 1)
            raise LimitError(
                f"the compression ratio of {member.filename} ({ratio}:1)", "ratio", limits.ratio, path=path
            )


def check_cells(rows: int, columns: int, limits: Limits, *, path: Path | None, where: str) -> None:
    """LimitError when a table of rows × columns is over limits.cells."""
    if rows * columns > limits.cells:
        raise LimitError(f"{where} ({rows:,} rows × {columns:,} columns)", "cells", limits.cells, path=path)
