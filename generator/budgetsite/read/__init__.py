"""Read stage: one source file → neutral blocks; `reader_for` picks a reader by file type (the registry)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from budgetsite.blocks import Block
from budgetsite.errors import InputError
from budgetsite.model import SourceFormat
from budgetsite.read.limits import DEFAULT_LIMITS, Limits


@dataclass
class ReadResult:
    blocks: list[Block]
    format: SourceFormat


class Reader(Protocol):
    """One file format. Implementations live in read/<format>.py and register in READERS."""

    extensions: tuple[str, ...]

    def read(self, path: Path, limits: Limits = DEFAULT_LIMITS) -> ReadResult:
        """Read `path` into blocks within `limits`, raising InputError (one clear line) on bad input.

        Exceptions other than InputError are bugs in budgetsite: a reader turns what its third-party
        parser raises for a damaged file into InputError, and lets everything else through.
        """
        ...


_OPTIONAL_READERS = (
    ("budgetsite.read.pdf", "PdfReader", (".pdf",)),
    ("budgetsite.read.docx", "DocxReader", (".docx",)),
    ("budgetsite.read.xlsx", "XlsxReader", (".xlsx", ".xlsm")),
)
# Extension → the third-party package its reader could not import (installation incomplete).
_MISSING: dict[str, str] = {}


def _registry() -> list[Reader]:
    # Imported here so that a missing third-party package for one format never breaks the others.
    import importlib

    from budgetsite.read.text import TextReader

    readers: list[Reader] = [TextReader()]
    for module_name, class_name, extensions in _OPTIONAL_READERS:
        try:
            module = importlib.import_module(module_name)
        except ImportError as error:
            # Only a missing dependency is "not installed"; budgetsite's own broken import is a bug.
            if not error.name or error.name.split(".")[0] == "budgetsite":
                raise
            _MISSING.update(dict.fromkeys(extensions, error.name.split(".")[0]))
            continue
        readers.append(getattr(module, class_name)())
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
    if suffix in _MISSING:
        raise InputError(
            f"reading {suffix} files needs the Python package {_MISSING[suffix]}, which is not installed",
            path=path,
            hint=f"install it (pip install {_MISSING[suffix]}) or reinstall budgetsite",
        )
    known = ", ".join(sorted(supported_extensions()))
    raise InputError(f"unsupported file type {suffix or '(none)'}", path=path, hint=f"give one of: {known}")


def raised_in(error: BaseException, packages: tuple[str, ...]) -> bool:
    """True when the innermost frame of `error`'s traceback is code of one of `packages`.

    A parser such as pdfminer reports a damaged object stream with whatever KeyError or TypeError
    it hit; the same exception raised in budgetsite's own code is a bug, not a damaged file.
    """
    owner = None
    tb = error.__traceback__
    while tb is not None:
        # The last frame of budgetsite or a named package decides (stdlib frames below it do not).
        top = str(tb.tb_frame.f_globals.get("__name__", "")).split(".")[0]
        if top == "budgetsite" or top in packages:
            owner = top
        tb = tb.tb_next
    return owner in packages


def unreadable(path: Path, error: BaseException, what: str, hint: str, note: str = "") -> InputError:
    """The one line for a file its parser could not read: `not a readable WHAT (ErrorName[; note])`."""
    return InputError(f"not a readable {what} ({type(error).__name__}{note})", path=path, hint=hint)
