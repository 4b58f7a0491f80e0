"""Settings are declared once (name, type, default, help) and every command loads them the same way.

`ingest` and `check` honour `content` from budgetsite.toml as `build` does (issue 17 item 5).
"""

from __future__ import annotations

import dataclasses
import re
from pathlib import Path

from click.testing import CliRunner
from ingest_helpers import XINGTAI_2023

from budgetsite.cli import main
from budgetsite.config import SETTINGS, Config, load_config


def test_ingest_check_and_build_use_content_from_budgetsite_toml():
    runner = CliRunner()
    with runner.isolated_filesystem():
        Path("budgetsite.toml").write_text('content = "tree"\n', encoding="utf-8")
        result = runner.invoke(main, ["ingest", str(XINGTAI_2023), "-q"])
        assert result.exit_code == 0, result.output
        assert [p.parent.name for p in Path("tree").glob("*/*/data.json")] == ["2023"]
        assert not Path("content").exists()
        result = runner.invoke(main, ["check"])
        assert result.exit_code == 0, result.output
        assert "/2023" in result.output and "no department-years" not in result.output
        assert load_config(Path(".")).content == Path("tree").resolve()


def test_the_content_option_still_wins_over_the_file():
    runner = CliRunner()
    with runner.isolated_filesystem():
        Path("budgetsite.toml").write_text('content = "tree"\n', encoding="utf-8")
        result = runner.invoke(main, ["ingest", str(XINGTAI_2023), "--content", "other", "-q"])
        assert result.exit_code == 0, result.output
        assert list(Path("other").glob("*/2023/data.json")) and not Path("tree").exists()


def test_each_setting_is_declared_once():
    fields = {f.name: f for f in dataclasses.fields(Config) if f.name != "site_dir"}
    assert list(fields) == [s.name for s in SETTINGS]
    # The defaults live in SETTINGS only: Config declares none of its own.
    assert all(f.default is dataclasses.MISSING for f in fields.values())
    config = load_config(Path("/nonexistent-site-root"))
    for setting in SETTINGS:
        value = getattr(config, setting.name)
        assert isinstance(value, Path if setting.name in ("content", "output") else setting.kind)


def test_the_readme_table_shows_each_default_as_declared():
    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")
    rows = dict(re.findall(r"^\| `([a-z_]+)` \| ([^|]+?) \|", readme, flags=re.M))
    for setting in SETTINGS:
        shown = {True: "true", False: "false", "": "(empty)"}.get(setting.default, setting.default)
        assert rows.get(setting.name) == shown, setting.name
