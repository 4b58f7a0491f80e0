"""budgetsite: a static site generator for open-budget publishing."""

__version__ = "0.1.0"
