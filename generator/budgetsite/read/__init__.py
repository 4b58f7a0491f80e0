"""Read stage: one source file → neutral blocks; `reader_for` picks a reader by file type (the registry)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from budgetsite.blocks import Block
from budgetsite.errors import InputError
from budgetsite.model import SourceFormat


@dataclass
class ReadResult:
    blocks: list[Block]
    format: SourceFormat


class Reader(Protocol):
    """One file format. Implementations live in read/<format>.py and register in READERS."""

    extensions: tuple[str, ...]

    def read(self, path: Path) -> ReadResult:
        """Read `path` into blocks, raising InputError (one clear line) on bad input."""
        ...


def _registry() -> list[Reader]:
    # Imported here so that a missing optional format never breaks the others at import time.
    from budgetsite.read.text import TextReader

    readers: list[Reader] = [TextReader()]
    try:
        from budgetsite.read.pdf import PdfReader

        readers.append(PdfReader())
    except ImportError:
        pass
    try:
        from budgetsite.read.docx import DocxReader

        readers.append(DocxReader())
    except ImportError:
        pass
    try:
        from budgetsite.read.xlsx import XlsxReader

        readers.append(XlsxReader())
    except ImportError:
        pass
    return readers


OLD_BINARY_FORMATS = {
    ".doc": "convert it to .docx (e.g. `libreoffice --headless --convert-to docx FILE`)",
    ".xls": "convert it to .xlsx (e.g. `libreoffice --headless --convert-to xlsx FILE`)",
    ".wps": "convert it to .docx or .pdf first",
    ".et": "convert it to .xlsx first",
}


def supported_extensions() -> set[str]:
    return {ext for reader in _registry() for ext in reader.extensions}


def reader_for(path: Path) -> Reader:
    """The reader for `path`, by extension; InputError if none handles it."""
    suffix = path.suffix.lower()
    if suffix in OLD_BINARY_FORMATS:
        raise InputError(
            f"old binary {suffix} format is not supported", path=path, hint=OLD_BINARY_FORMATS[suffix]
        )
    for reader in _registry():
        if suffix in reader.extensions:
            return reader
    known = ", ".join(sorted(supported_extensions()))
    raise InputError(f"unsupported file type {suffix or '(none)'}", path=path, hint=f"give one of: {known}")
