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


class InputError(BudgetsiteError):
    """A source document that cannot be read or recognized."""


class ContentError(BudgetsiteError):
    """A content tree (data.json, index.md, pages) that cannot be loaded."""


class ConfigError(BudgetsiteError):
    """A bad budgetsite.toml or command-line setting."""
