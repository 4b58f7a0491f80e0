"""`budgetsite init --install`: the deploy command installs exactly the running budgetsite version.

`pip install budgetsite` (unpinned, a name not published on PyPI) would fail the first deploy, or run
whatever someone registers under that name. The end-to-end test builds a wheel of this checkout, installs
it in a fresh venv, runs `init` there, then runs the generated netlify build command in another fresh venv.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest
from serve_helpers import run_cli

from budgetsite import __version__
from budgetsite.errors import ConfigError
from budgetsite.site.install_spec import UNKNOWN_SOURCE_COMMAND, resolve_install_spec

ROOT = Path(__file__).resolve().parents[2]
WHEEL = f"budgetsite-{__version__}-py3-none-any.whl"


def _build_command(site: Path) -> str:
    return tomllib.loads((site / "netlify.toml").read_text(encoding="utf-8"))["build"]["command"]


def _clean_env(venv: Path) -> dict[str, str]:
    """A shell whose `pip` and `budgetsite` are the venv's, without this checkout on PYTHONPATH."""
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV")}
    env["PATH"] = f"{venv / 'bin'}{os.pathsep}{env['PATH']}"
    return env


def _run(args: list[str], cwd: Path, env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    result = subprocess.run(args, cwd=cwd, env=env, capture_output=True, text=True, timeout=480, check=False)
    assert result.returncode == 0, result.stdout[-2000:] + result.stderr[-2000:]
    return result


def test_wheel_install_init_then_netlify_command_in_a_fresh_venv_builds(tmp_path: Path) -> None:
    dist = tmp_path / "dist"
    _run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--quiet", "-w", str(dist), str(ROOT)], tmp_path)
    assert (dist / WHEEL).is_file()
    # A publisher's machine: budgetsite installed from the wheel; init with the default install spec.
    publisher = tmp_path / "publisher-venv"
    _run([sys.executable, "-m", "venv", str(publisher)], tmp_path)
    _run([str(publisher / "bin" / "pip"), "install", "--quiet", str(dist / WHEEL)], tmp_path)
    _run([str(publisher / "bin" / "budgetsite"), "init", "site"], tmp_path, _clean_env(publisher))
    site = tmp_path / "site"
    command = _build_command(site)
    assert command == f"pip install ./vendor/{WHEEL} && budgetsite build"
    assert (site / "vendor" / WHEEL).read_bytes() == (dist / WHEEL).read_bytes()
    # The build host: a fresh venv (Netlify's Python), the site folder as checked out, the command as written.
    host = tmp_path / "host-venv"
    _run([sys.executable, "-m", "venv", str(host)], tmp_path)
    _run(["bash", "-c", command], site, _clean_env(host))
    version = _run([str(host / "bin" / "budgetsite"), "--version"], site, _clean_env(host)).stdout
    assert version.split()[-1] == __version__
    assert (site / "output" / "index.html").is_file() and (site / "output" / "about" / "index.html").is_file()


def test_init_install_wheel_path_copies_it_into_vendor(tmp_path: Path) -> None:
    wheel = tmp_path / WHEEL
    wheel.write_bytes(b"PK\x05\x06" + b"\0" * 18)  # an empty zip: init copies it, it does not open it
    result = run_cli("init", "site", "--install", str(wheel), cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert _build_command(tmp_path / "site") == f"pip install ./vendor/{WHEEL} && budgetsite build"
    assert (tmp_path / "site" / "vendor" / WHEEL).read_bytes() == wheel.read_bytes()


@pytest.mark.parametrize(
    "spec, pip_args",
    [
        (
            "git+https://git.example.org/budgetsite.git@v0.1.0",
            "'budgetsite @ git+https://git.example.org/budgetsite.git@v0.1.0'",
        ),
        (
            "git+ssh://git@git.example.org/budgetsite.git@3e03c7a",
            "'budgetsite @ git+ssh://git@git.example.org/budgetsite.git@3e03c7a'",
        ),
        (
            "https://pypi.example.gov.cn/simple/",
            f"--index-url https://pypi.example.gov.cn/simple/ budgetsite=={__version__}",
        ),
        (
            f"https://files.example.org/{WHEEL}",
            f"'budgetsite @ https://files.example.org/{WHEEL}'",
        ),
    ],
)
def test_install_specs_are_pinned(spec: str, pip_args: str) -> None:
    resolved = resolve_install_spec(spec)
    assert resolved.pip_args == pip_args
    assert resolved.build_command == f"pip install {pip_args} && budgetsite build"


@pytest.mark.parametrize(
    "spec, problem",
    [
        ("git+https://git.example.org/budgetsite.git", "names no tag or commit"),
        ("git+ssh://git@git.example.org/budgetsite.git", "names no tag or commit"),
        ("budgetsite-9.9.9-py3-none-any.whl", "is budgetsite 9.9.9, but this is budgetsite"),
        ("other-0.1.0-py3-none-any.whl", "is not a budgetsite wheel"),
        ("budgetsite", "neither a wheel"),
    ],
)
def test_unpinned_or_unknown_specs_are_refused(spec: str, problem: str) -> None:
    with pytest.raises(ConfigError) as error:
        resolve_install_spec(spec)
    assert problem in error.value.line() and "\n" not in error.value.line()


def test_init_with_a_bad_spec_is_one_line_and_writes_nothing(tmp_path: Path) -> None:
    result = run_cli("init", "site", "--install", "git+https://git.example.org/budgetsite.git", cwd=tmp_path)
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1 and "names no tag or commit" in result.stderr
    assert not (tmp_path / "site").exists()


def test_never_an_unpinned_pip_install_budgetsite(tmp_path: Path) -> None:
    # Whatever this test run's budgetsite was installed from (an editable checkout here), the command
    # never installs "budgetsite" by bare name: it pins it, or stops with a message and init warns.
    result = run_cli("init", "site", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    command = _build_command(tmp_path / "site")
    assert "pip install budgetsite " not in command and "pip install budgetsite\n" not in command
    if command == UNKNOWN_SOURCE_COMMAND:
        assert "warning:" in result.stderr and "--install" in result.stderr
        stopped = subprocess.run(["bash", "-c", command], capture_output=True, text=True, check=False)
        assert stopped.returncode == 1 and "budgetsite init --install" in stopped.stderr
    else:
        assert __version__ in command
