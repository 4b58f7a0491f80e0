"""Kill ingest and build at every step of their folder swaps (issue 13 §3): the next run recovers and says so.

The process is killed with SIGKILL at a named step (BUDGETSITE_CRASH_AT, errors.crash_point), as a power
cut or `kill -9` would, in a real `python -m budgetsite` child process.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
SAMPLE = REPO / "tests" / "fixtures" / "samples" / "002_ae784f8ae38a492c.txt"
FOLDER = Path("content") / "xingtaishi-gongyehexinxihuaju" / "2023"


def budgetsite(site: Path, *args: str, crash_at: str | None = None) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(REPO / "generator")}
    env.pop("BUDGETSITE_CRASH_AT", None)
    if crash_at:
        env["BUDGETSITE_CRASH_AT"] = crash_at
    return subprocess.run(
        [sys.executable, "-m", "budgetsite", *args],
        cwd=site,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )


def hidden(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.startswith("."))


@pytest.fixture
def site(tmp_path: Path) -> Path:
    """A site whose department-year was ingested, then hand-extended (NOTES.md) and left needing an update."""
    (tmp_path / "src.txt").write_bytes(SAMPLE.read_bytes())
    assert budgetsite(tmp_path, "ingest", "src.txt", "-q").returncode == 0
    (tmp_path / FOLDER / "NOTES.md").write_text("用户的笔记", encoding="utf-8")
    # A missing table CSV makes the next ingest rewrite the folder ("updated"), through the swap.
    next((tmp_path / FOLDER / "tables").glob("*.csv")).unlink()
    return tmp_path


@pytest.mark.parametrize("next_run", ["ingest", "build"])
@pytest.mark.parametrize("step", ["ingest-write", "ingest-swap", "ingest-cleanup"])
def test_killed_ingest_is_recovered_by_the_next_run(site: Path, step: str, next_run: str) -> None:
    killed = budgetsite(site, "ingest", "src.txt", "-q", crash_at=step)
    assert killed.returncode == -signal.SIGKILL
    department = (site / FOLDER).parent
    leftovers = hidden(department)
    assert leftovers, "the kill left the swap half done"
    if step == "ingest-swap":
        assert not (site / FOLDER).exists()  # the user's folder sits in .2023-old-*, as the probe found
    # `check` reads no hidden folder either (it passed while build failed before).
    assert budgetsite(site, "check", "-q").returncode == 0

    again = budgetsite(site, *(["ingest", "src.txt"] if next_run == "ingest" else ["build"]))
    assert again.returncode == 0, again.stderr
    said = [line for line in again.stderr.splitlines() if line.startswith("recovered ")]
    assert len(said) == len(leftovers), again.stderr
    if step == "ingest-swap":
        # ingest names the folder as given (content/…), build as configured (absolute)
        assert any(
            line.endswith(f"{FOLDER}: restored as it was before an interrupted ingest") for line in said
        )
    assert hidden(department) == []
    assert (site / FOLDER / "NOTES.md").read_text(encoding="utf-8") == "用户的笔记"
    if next_run == "build":
        # Built from the recovered tree: the department-year is on the site.
        assert (site / "output" / "departments" / department.name / "2023" / "index.html").is_file()
    else:
        outcome = "unchanged" if step == "ingest-cleanup" else "updated"
        assert f"({outcome})" in again.stdout


def files_of(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.mark.parametrize("rebuild", ["incremental", "clean"])
@pytest.mark.parametrize("step", ["build-staged", "build-swap", "build-cleanup"])
def test_killed_build_is_recovered_by_the_next_build(site: Path, step: str, rebuild: str) -> None:
    assert budgetsite(site, "build", "-q").returncode == 0
    (site / "output" / "marker.txt").write_text("the last good site", encoding="utf-8")
    last_good = files_of(site / "output")
    # A changed narrative: the incremental build re-renders that page and hard-links the rest of the
    # previous site into its staging folder, which must leave the previous site as it was.
    with (site / FOLDER / "index.md").open("a", encoding="utf-8") as index_md:
        index_md.write("\n本段为重建时新增。\n")
    options = ["--clean"] if rebuild == "clean" else []
    killed = budgetsite(site, "build", "-q", *options, crash_at=step)
    assert killed.returncode == -signal.SIGKILL
    leftovers = [name for name in hidden(site) if name.startswith(".output.")]
    if step == "build-swap":
        # The probe's case: no output/ at all, the last good site in .output.old-*, the new in -building-.
        assert not (site / "output").exists()
        assert [name.split("-")[0] for name in leftovers] == [".output.building", ".output.old"]
        assert files_of(site / leftovers[1]) == last_good
    else:
        assert len(leftovers) == 1
    if step == "build-staged":
        assert files_of(site / "output") == last_good
    again = budgetsite(site, "build")
    assert again.returncode == 0, again.stderr
    said = [line for line in again.stderr.splitlines() if line.startswith("recovered ")]
    assert len(said) == len(leftovers), again.stderr
    if step == "build-swap":
        assert (
            f"recovered {site.resolve() / 'output'}: the previous site, moved aside by an interrupted build"
            in said
        )
    else:
        assert f"removed {leftovers[0]} left by an interrupted build" in said[0]
    # A replaced site may still be being removed in the background (.output.trash-<pid>).
    assert [name for name in hidden(site) if name.startswith(".output.") and ".trash-" not in name] == []
    page = site / "output" / "departments" / FOLDER.parent.name / "2023" / "index.html"
    assert "本段为重建时新增。" in page.read_text(encoding="utf-8")
    assert not (site / "output" / "marker.txt").exists()  # replaced by the new build, as usual


def test_leftovers_of_a_running_build_are_left_alone(site: Path) -> None:
    from budgetsite.site.build import recover_output

    busy = site / f".output.building-{os.getppid()}"  # the pid of a live process: pytest's parent
    busy.mkdir()
    dead = site / ".output.building-999999999"
    dead.mkdir()
    assert recover_output(site / "output", quiet=True) == [
        f"recovered {site / 'output'}: removed .output.building-999999999 left by an interrupted build"
    ]
    assert busy.is_dir() and not dead.exists()


def test_ingest_folders_follow_the_umask(site: Path) -> None:
    # mkdtemp made department-year folders 0700 whatever the umask (issue 13 §6).
    mode = (site / FOLDER).stat().st_mode & 0o777
    assert mode == 0o777 & ~current_umask()


def current_umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask
