"""Every data.json that ingest produces validates against the shared schema (jsonschema, draft 2020-12)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from ingest_helpers import ALL_SAMPLES, SCHEMA
from jsonschema import Draft202012Validator

from budgetsite.cli import main

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def validator() -> Draft202012Validator:
    schema = json.loads(SCHEMA.read_text(encoding="utf-8"))
    Draft202012Validator.check_schema(schema)
    return Draft202012Validator(schema)


def errors(validator: Draft202012Validator, path: Path) -> list[str]:
    data = json.loads(path.read_text(encoding="utf-8"))
    return [f"{'/'.join(map(str, e.absolute_path))}: {e.message}" for e in validator.iter_errors(data)]


def test_ingested_samples_validate(validator: Draft202012Validator, tmp_path: Path) -> None:
    result = CliRunner().invoke(
        main, ["ingest", *map(str, ALL_SAMPLES), "--content", str(tmp_path), "-q"], catch_exceptions=False
    )
    assert result.exit_code == 0, result.output
    produced = sorted(tmp_path.glob("*/*/data.json"))
    assert len(produced) == 3
    for path in produced:
        assert errors(validator, path) == [], path


def test_merged_department_year_validates(validator: Draft202012Validator, tmp_path: Path) -> None:
    lines = ALL_SAMPLES[1].read_text(encoding="utf-8").splitlines(keepends=True)
    cut = next(i for i, line in enumerate(lines) if line.startswith("第一部分"))
    (tmp_path / "a.txt").write_text("".join(lines[:cut]), encoding="utf-8")
    (tmp_path / "b.txt").write_text("".join(lines[cut:]), encoding="utf-8")
    content = tmp_path / "content"
    result = CliRunner().invoke(
        main, ["ingest", str(tmp_path / "a.txt"), str(tmp_path / "b.txt"), "--content", str(content), "-q"]
    )
    assert result.exit_code == 0, result.output
    (path,) = content.glob("*/*/data.json")
    assert errors(validator, path) == []


def test_shipped_content_validates(validator: Draft202012Validator) -> None:
    shipped = sorted((REPO / "content").glob("*/*/data.json"))
    assert len(shipped) >= 3, "the repo ships the three samples in content/"
    for path in shipped:
        assert errors(validator, path) == [], path
