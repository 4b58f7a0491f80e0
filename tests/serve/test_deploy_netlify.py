"""The repository's netlify.toml builds and publishes what the README's "Publish" section says."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

from budgetsite.site.install_spec import InstallSpec
from budgetsite.site.scaffold import CONTENT_SECURITY_POLICY, netlify_toml

ROOT = Path(__file__).resolve().parents[2]


def _netlify() -> dict:
    return tomllib.loads((ROOT / "netlify.toml").read_text(encoding="utf-8"))


def _readme_section(title: str) -> str:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    match = re.search(rf"^## {title}\n(.*?)(?=^## |\Z)", text, re.S | re.M)
    assert match, f"README has no '## {title}' section"
    return match.group(1)


def test_netlify_build_command_and_publish_dir_match_readme() -> None:
    build = _netlify()["build"]
    publish = _readme_section("Publish")
    assert build["publish"] == "output"
    assert f"`{build['command']}`" in publish
    assert f"publishes the `{build['publish']}` folder" in publish
    # The command really builds this repository's site with the budgetsite CLI.
    assert build["command"] == "pip install . && budgetsite build"


def test_netlify_python_version_is_supported_by_the_package() -> None:
    pyproject = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    minimum = pyproject["project"]["requires-python"].removeprefix(">=")
    version = _netlify()["build"]["environment"]["PYTHON_VERSION"]
    assert tuple(int(p) for p in version.split(".")) >= tuple(int(p) for p in minimum.split("."))
    assert f"Python {version}" in _readme_section("Publish")


def test_netlify_serves_the_404_page_for_missing_paths() -> None:
    redirects = _netlify()["redirects"]
    assert {"from": "/*", "to": "/404.html", "status": 404} in redirects


def test_netlify_security_headers_allow_pagefind() -> None:
    headers = {h["for"]: h["values"] for h in _netlify()["headers"]}
    csp = headers["/*"]["Content-Security-Policy"]
    directives = {d.split()[0]: d.split()[1:] for d in csp.split(";") if d.strip()}
    # Pagefind compiles its WebAssembly module and fetches its index files from the same origin.
    assert "'wasm-unsafe-eval'" in directives["script-src"]
    assert "'self'" in directives["script-src"] and "'self'" in directives["connect-src"]
    assert "'unsafe-inline'" not in directives["script-src"]
    assert directives["object-src"] == ["'none'"]
    assert headers["/*"]["X-Content-Type-Options"] == "nosniff"
    assert "max-age" in headers["/pagefind*"]["Cache-Control"]
    assert "max-age" in headers["/static/*"]["Cache-Control"]


def test_init_scaffold_netlify_toml_has_the_same_headers_as_the_repository() -> None:
    scaffold = tomllib.loads(netlify_toml(InstallSpec("budgetsite==0.1.0")))
    repository = _netlify()
    assert scaffold["headers"] == repository["headers"]
    assert scaffold["redirects"] == repository["redirects"]
    assert scaffold["build"]["publish"] == repository["build"]["publish"]
    assert repository["headers"][0]["values"]["Content-Security-Policy"] == CONTENT_SECURITY_POLICY


def test_every_serve_and_init_option_is_documented_in_the_readme() -> None:
    from budgetsite.cli import main

    preview = _readme_section("Preview")
    for command in ("serve", "init"):
        assert f"budgetsite {command}" in preview
        for param in main.commands[command].params:
            for option in getattr(param, "opts", []):
                if option.startswith("--") and option not in ("--help", "--verbose", "--quiet"):
                    assert f"`{option}" in preview or f" {option} " in preview, f"{command} {option}"
