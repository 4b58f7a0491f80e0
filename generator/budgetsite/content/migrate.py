"""`budgetsite migrate`: move disclosure folders written before identities to their own names.

A content tree of schema 1 holds one folder per department-year, content/<slug>/<year>/, whatever the
disclosure's kind. Such a tree builds as it is (pages follow the identity in data.json, not the folder
name), but a later ingest of a 预算 into a folder that holds a 决算 is refused: migrate first, and the
决算 moves to content/<slug>/<year>-final-accounts/. Nothing is rewritten, only renamed.
"""

from __future__ import annotations

import os
from pathlib import Path

from budgetsite.content.tree import iter_disclosure_folders, load_disclosure
from budgetsite.errors import ContentError
from budgetsite.identity import folder_name


def plan_moves(content_dir: Path) -> list[tuple[Path, Path]]:
    """(old folder, new folder) for every disclosure folder not named after its identity.

    Refuses (ContentError) when a new name is taken, before anything moves.
    """
    if not content_dir.is_dir():
        raise ContentError(
            "no content tree here", path=content_dir, hint="give the content folder with --content DIR"
        )
    moves: list[tuple[Path, Path]] = []
    for folder in iter_disclosure_folders(content_dir):
        disclosure = load_disclosure(folder)
        if disclosure.level.is_unit and not disclosure.level.slug:
            raise ContentError(
                "data.json names a unit but no unit slug (level.slug)",
                path=folder / "data.json",
                hint="add level.slug, or re-ingest the source",
            )
        target = folder.parent / folder_name(disclosure)
        if target == folder:
            continue
        if target.exists() or any(new == target for _, new in moves):
            raise ContentError(
                f"cannot move it to {target}: that folder is taken",
                path=folder,
                hint="move one of the two folders away by hand, then run migrate again",
            )
        moves.append((folder, target))
    return moves


def migrate_tree(content_dir: Path) -> list[tuple[Path, Path]]:
    """Rename every folder `plan_moves` finds; returns the moves made, in order."""
    moves = plan_moves(content_dir)
    for old, new in moves:
        os.replace(old, new)
    return moves
