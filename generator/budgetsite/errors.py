"""User-facing errors: one line naming the file, the problem and what to do."""

from __future__ import annotations

from pathlib import Path


class BudgetsiteError(Exception):
    """An error caused by the user's input or settings; the CLI prints it as one line and exits 1."""

    def __init__(self, problem: str, *, path: Path | str | None = None, hint: str | None = None):
        self.problem = problem
        self.path = Path(path) if path is not None else None
        self.hint = hint
        super().__init__(self.line())

    def line(self) -> str:
        """The one-line message: `file: problem — what to do`."""
        text = f"{self.path}: {self.problem}" if self.path is not None else self.problem
        return f"{text} — {self.hint}" if self.hint else text

    def __reduce__(self) -> tuple[object, ...]:
        # A file read on another process or machine (ingest --workers/--scheduler) sends its error back
        # pickled; the default would call __init__ with the one-line message alone, which subclasses with
        # other arguments (InternalError, LimitError) refuse. Rebuild from the fields instead.
        return (_rebuild_error, (type(self), self.problem, self.path, self.hint))


def _rebuild_error(
    kind: type[BudgetsiteError], problem: str, path: Path | None, hint: str | None
) -> BudgetsiteError:
    """An error of class `kind` with these fields, without calling its own __init__ (see __reduce__)."""
    error = kind.__new__(kind)
    BudgetsiteError.__init__(error, problem, path=path, hint=hint)
    return error


class InputError(BudgetsiteError):
    """A source document that cannot be read or recognized."""


class ContentError(BudgetsiteError):
    """A content tree (data.json, index.md, pages) that cannot be loaded."""


class ConfigError(BudgetsiteError):
    """A bad budgetsite.toml or command-line setting."""


class InternalError(BudgetsiteError):
    """An exception budgetsite did not expect: a bug in budgetsite, never blamed on the user's file.

    The traceback goes to a log file (`write_crash_log`); the one line names the file and page being
    read where known, says it is a bug and where the log is.
    """

    def __init__(self, error: BaseException | str, log: Path | None, *, path: Path | str | None = None):
        what = error if isinstance(error, str) else describe_exception(error)
        where = f" (traceback in {log})" if log is not None else ""
        super().__init__(
            f"internal error {what} — this is a bug in budgetsite, not a problem of the file",
            path=path,
            hint=f"please report it{where}",
        )


def describe_exception(error: BaseException) -> str:
    """`KeyError: 'x' on page 3`: the exception, and the notes a reader attached (the page it was on)."""
    notes = [note for note in getattr(error, "__notes__", []) if note]
    text = f"{type(error).__name__}: {error}" if str(error) else type(error).__name__
    text = " ".join(text.split())[:200]
    return f"{text} on {', '.join(notes)}" if notes else text


def write_crash_log(traceback_text: str) -> Path | None:
    """Write a traceback to a new file in the temp folder; its path, or None when even that fails."""
    import tempfile
    import time

    try:
        with tempfile.NamedTemporaryFile(
            "w",
            prefix=f"budgetsite-crash-{time.strftime('%Y%m%d-%H%M%S')}-",
            suffix=".log",
            delete=False,
            encoding="utf-8",
        ) as handle:
            handle.write(traceback_text)
        return Path(handle.name)
    except OSError:
        return None


def crash_point(name: str) -> None:
    """A named step inside a multi-step write; BUDGETSITE_CRASH_AT=<name> kills the process right there.

    The crash-safety tests die exactly between two renames, as a power cut or `kill -9` could, and then
    check that the next run recovers (content.tree.recover_tree, site.build.recover_output).
    """
    import os
    import signal

    if os.environ.get("BUDGETSITE_CRASH_AT") == name:
        os.kill(os.getpid(), signal.SIGKILL)


def process_alive(pid: int) -> bool:
    """True when a process `pid` other than this one runs (its temporary folders are still in use)."""
    import os

    if pid == os.getpid():
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # another user's process
    return True
