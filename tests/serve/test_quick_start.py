"""The README's set-up commands work as written on a fresh machine (as far as this machine allows).

The first command line is run in a fresh copy of the repository, outside any virtual environment and
without this checkout on PYTHONPATH: it must create its own venv, install, build and serve, and Ctrl-C
must stop it. tests/run-all.sh is run with apt, pip and npm replaced by stubs, to see that apt waits
for a lock and that a user without root is told so.
"""

from __future__ import annotations

import os
import re
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

from serve_helpers import fetch, free_port

ROOT = Path(__file__).resolve().parents[2]
INSTALL_SECONDS = 400  # venv + pip install -e . (dependencies from pip's cache or PyPI) + build


def _setup_commands() -> list[str]:
    """The shell lines of the README's "Set up" section, in order."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Set up", 1)[1].split("\n## ", 1)[0]
    return [block.strip() for block in re.findall(r"```sh\n(.*?)```", section, re.S)]


def _fresh_copy(target: Path) -> Path:
    """The files a fresh clone has (tracked and new, not ignored), copied to `target`."""
    listed = subprocess.run(
        ["git", "ls-files", "-co", "--exclude-standard", "-z"],
        cwd=ROOT,
        capture_output=True,
        check=True,
    ).stdout.decode()
    for name in filter(None, listed.split("\0")):
        source = ROOT / name
        if source.is_file():
            (target / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, target / name)
    return target


def _clean_environment() -> dict[str, str]:
    """This environment without a virtual environment or this checkout on the import path."""
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV", "PYTHONHOME")}
    venv_bin = str(Path(sys.prefix) / "bin") if sys.prefix != sys.base_prefix else None
    env["PATH"] = os.pathsep.join(p for p in env["PATH"].split(os.pathsep) if p != venv_bin)
    env["PYTHONUNBUFFERED"] = "1"
    return env


def test_readme_first_command_creates_a_venv_builds_serves_and_stops_on_ctrl_c(tmp_path: Path) -> None:
    first = _setup_commands()[0]
    assert first.startswith("python3 -m venv .venv && . .venv/bin/activate && pip install"), first
    assert first.endswith("budgetsite serve")
    site = _fresh_copy(tmp_path / "budgetsite")
    port = free_port()  # port 8000 may be taken by someone else's server on this machine
    command = first.removesuffix("budgetsite serve") + f"budgetsite serve --port {port}"
    log = (tmp_path / "first-command.log").open("w", encoding="utf-8")
    process = subprocess.Popen(
        ["bash", "-c", command],
        cwd=site,
        env=_clean_environment(),
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,  # its own process group, so "Ctrl-C" reaches serve as in a terminal
    )
    try:
        deadline = time.monotonic() + INSTALL_SECONDS
        status = 0
        while time.monotonic() < deadline and process.poll() is None:
            try:
                status, body = fetch(f"http://127.0.0.1:{port}/", timeout=2)
                break
            except OSError:
                time.sleep(1)
        output = (tmp_path / "first-command.log").read_text(encoding="utf-8", errors="replace")
        assert status == 200, output[-3000:]
        assert "部门预算" in body
        assert (site / ".venv" / "bin" / "budgetsite").is_file()
        assert (site / "output" / "index.html").is_file()  # `budgetsite build` ran before serve
        os.killpg(process.pid, signal.SIGINT)  # what Ctrl-C does in a terminal
        assert process.wait(timeout=20) == 0
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()
        log.close()


def _stub(folder: Path, name: str, script: str) -> None:
    path = folder / name
    path.write_text("#!/bin/sh\n" + script + "\n", encoding="utf-8")
    path.chmod(0o755)


def _run_all_with_stubs(tmp_path: Path, uid: int, with_sudo: bool) -> tuple[subprocess.CompletedProcess, str]:
    """Run tests/run-all.sh with every outside command stubbed; returns the result and the apt calls."""
    stubs = tmp_path / "bin"
    stubs.mkdir(parents=True)
    calls = tmp_path / "calls.log"
    _stub(stubs, "dpkg-query", "exit 1")  # nothing installed
    _stub(stubs, "id", f"echo {uid}")
    _stub(stubs, "apt-get", f'echo "apt-get $*" >> {calls}')
    _stub(stubs, "env", f'echo "env $*" >> {calls}')  # `sudo env DEBIAN_FRONTEND=… apt-get …`
    _stub(stubs, "python3", "exit 0")
    _stub(stubs, "npm", "exit 0")
    if with_sudo:
        _stub(stubs, "sudo", f'echo "sudo $*" >> {calls}; "$@"')
    result = _run_with_stubs(ROOT / "tests" / "run-all.sh", stubs, tmp_path)
    return result, calls.read_text(encoding="utf-8") if calls.exists() else ""


def _run_with_stubs(script: Path, stubs: Path, home: Path) -> subprocess.CompletedProcess:
    """Run `script` with bash, only the stubs folder on PATH (dirname copied in: the script needs it)."""
    shutil.copy(shutil.which("dirname") or "/usr/bin/dirname", stubs / "dirname")
    return subprocess.run(
        ["/bin/bash", str(script)],
        env={"PATH": str(stubs), "HOME": str(home)},
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def test_run_all_apt_calls_wait_for_the_dpkg_lock(tmp_path: Path) -> None:
    result, calls = _run_all_with_stubs(tmp_path, uid=0, with_sudo=False)
    assert result.returncode == 0, result.stderr
    apt_calls = [line for line in calls.splitlines() if "apt-get" in line]
    assert len(apt_calls) == 2 and any(" install " in c for c in apt_calls), calls
    assert all("-o DPkg::Lock::Timeout=300" in call for call in apt_calls), calls
    assert "sudo" not in calls  # root needs no sudo


def test_run_all_without_root_uses_sudo_or_says_root_is_needed(tmp_path: Path) -> None:
    with_sudo, calls = _run_all_with_stubs(tmp_path / "a", uid=1000, with_sudo=True)
    assert with_sudo.returncode == 0, with_sudo.stderr
    assert calls.count("sudo ") == 2 and "DPkg::Lock::Timeout" in calls
    without, _ = _run_all_with_stubs(tmp_path / "b", uid=1000, with_sudo=False)
    assert without.returncode == 1
    lines = without.stderr.strip().splitlines()
    assert len(lines) == 1 and "needs root" in lines[0] and "chromium" in lines[0]


def test_run_all_on_an_externally_managed_python_installs_into_a_venv(tmp_path: Path) -> None:
    """Debian's own python3 refuses `pip install` outside a venv (PEP 668): run-all.sh makes .venv/ and
    installs there, so the README's second command works on a fresh machine without the first one."""
    repo = tmp_path / "repo"
    (repo / "tests").mkdir(parents=True)
    shutil.copy(ROOT / "tests" / "run-all.sh", repo / "tests" / "run-all.sh")
    stubs = tmp_path / "bin"
    stubs.mkdir()
    calls = tmp_path / "calls.log"
    _stub(stubs, "dpkg-query", "echo 'install ok installed'")  # the Debian packages are there
    _stub(stubs, "npm", "exit 0")
    # The system python3: externally managed, venv module present; `-m venv DIR` makes DIR/bin/python3
    # whose activate script puts a second stub (the venv's python3) first on PATH.
    venv_python = f'#!/bin/sh\necho "venv-python3 $*" >> {calls}\n'
    _stub(
        stubs,
        "python3",
        f"""case "$*" in
  *EXTERNALLY-MANAGED*) echo 1 ;;
  "-m venv .venv") mkdir -p .venv/bin
      printf '%s' '{venv_python}' > .venv/bin/python3; chmod 755 .venv/bin/python3
      echo 'PATH="$PWD/.venv/bin:$PATH"' > .venv/bin/activate
      echo "system-python3 $*" >> {calls} ;;
  *) echo "system-python3 $*" >> {calls} ;;
esac""",
    )
    shutil.copy(shutil.which("mkdir") or "/bin/mkdir", stubs / "mkdir")
    shutil.copy(shutil.which("chmod") or "/bin/chmod", stubs / "chmod")
    result = _run_with_stubs(repo / "tests" / "run-all.sh", stubs, tmp_path)
    assert result.returncode == 0, result.stderr
    log = calls.read_text(encoding="utf-8").splitlines()
    assert "system-python3 -m venv .venv" in log
    # Every install and test step runs with the venv's python3, none with the system's.
    assert (
        [line for line in log if "pip install" in line]
        == [line for line in log if line.startswith("venv-python3 -m pip install")]
        != []
    )
    assert any(line.startswith("venv-python3 -m pytest") for line in log), log
    assert not any(line.startswith("system-python3 -m pip") for line in log), log
