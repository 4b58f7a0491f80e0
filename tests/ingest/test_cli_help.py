"""`--help` of budgetsite, ingest and check explains every option (docs are tested)."""

from __future__ import annotations

import click
import pytest
from click.testing import CliRunner

from budgetsite.cli import main


def test_main_help_lists_ingest_and_check() -> None:
    result = CliRunner().invoke(main, ["--help"])
    assert result.exit_code == 0
    for word in ("ingest", "check", "--version", "--help"):
        assert word in result.output


@pytest.mark.parametrize("command", ["ingest", "check", "migrate"])
def test_command_help_mentions_every_option(command: str) -> None:
    result = CliRunner().invoke(main, [command, "--help"])
    assert result.exit_code == 0, result.output
    params = main.commands[command].params  # type: ignore[attr-defined]
    options = [p for p in params if isinstance(p, click.Option)]
    assert options
    for option in options:
        for name in option.opts:
            assert name in result.output, f"{command} --help does not mention {name}"
        assert option.help, f"{command} {option.opts[0]} has no help text"


def test_ingest_help_explains_sources_and_content_tree() -> None:
    output = CliRunner().invoke(main, ["ingest", "--help"]).output
    for phrase in ("SOURCES", "folders", "--department", "--year", "--region", "--force", "--content"):
        assert phrase in output


def test_check_help_explains_strict() -> None:
    output = CliRunner().invoke(main, ["check", "--help"]).output
    assert "--strict" in output and "warn" in output.lower()
