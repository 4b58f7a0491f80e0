"""budgetsite.toml: typed settings with defaults; a misspelled key is a one-line error."""

from __future__ import annotations

from pathlib import Path

import pytest

from budgetsite.config import SETTINGS, load_config
from budgetsite.errors import ConfigError

REPO = Path(__file__).resolve().parents[2]


def test_defaults_without_a_config_file(tmp_path):
    config = load_config(tmp_path)
    assert config.content == tmp_path / "content" and config.output == tmp_path / "output"
    assert (config.base_url, config.theme, config.language) == ("/", "default", "zh-CN")


def test_file_values_and_overrides(tmp_path):
    (tmp_path / "budgetsite.toml").write_text(
        'title = "测试站"\nbase_url = "budget"\noutput = "public"\n', encoding="utf-8"
    )
    config = load_config(tmp_path, base_url=None, theme="plain")
    assert config.title == "测试站" and config.output == tmp_path / "public" and config.theme == "plain"
    assert config.base_url == "/budget/" and config.base_path == "/budget/"
    full = load_config(tmp_path, base_url="https://example.org/budget")
    assert full.base_path == "/budget/" and full.absolute_base == "https://example.org/budget/"


def test_unknown_key_is_one_line_error(tmp_path):
    (tmp_path / "budgetsite.toml").write_text('titel = "x"\n', encoding="utf-8")
    with pytest.raises(ConfigError) as error:
        load_config(tmp_path)
    line = error.value.line()
    assert "budgetsite.toml: unknown setting 'titel'" in line and "title" in line and "\n" not in line


def test_bad_toml_is_one_line_error(tmp_path):
    (tmp_path / "budgetsite.toml").write_text('title = "x\n', encoding="utf-8")
    with pytest.raises(ConfigError) as error:
        load_config(tmp_path)
    assert "not valid TOML" in error.value.line() and "\n" not in error.value.line()


def test_shipped_budgetsite_toml_loads():
    config = load_config(REPO)
    assert config.title == "河北省部门预算公开（示例）" and config.content == REPO / "content"


def test_every_setting_is_documented_in_the_readme():
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    build_section = readme.split("## Build", 1)[1]
    for setting in SETTINGS:
        assert f"`{setting.name}`" in build_section, setting.name
