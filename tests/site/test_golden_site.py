"""The golden site (tests/golden/golden_site.py) builds exactly as committed in tests/golden/site/.

A failure lists the files that differ; if the change is meant, regenerate with
`python3 tests/golden/golden_site.py` and read the diff before committing it.
"""

from __future__ import annotations

import difflib

from golden_site import build_golden_site, compared_files, golden_files

REGENERATE = "python3 tests/golden/golden_site.py"


def _first_difference(name: str, expected: bytes, actual: bytes) -> str:
    diff = difflib.unified_diff(
        expected.decode("utf-8", "replace").splitlines(),
        actual.decode("utf-8", "replace").splitlines(),
        f"golden/{name}",
        f"built/{name}",
        n=1,
        lineterm="",
    )
    return "\n".join(list(diff)[:12])


def test_the_golden_site_builds_as_committed(tmp_path):
    built = compared_files(build_golden_site(tmp_path))
    golden = golden_files()
    assert golden, f"no golden output: run {REGENERATE}"
    assert sorted(built) == sorted(golden), f"other files than the golden site ({REGENERATE} if meant)"
    changed = [name for name in golden if built[name] != golden[name]]
    assert not changed, (
        f"{len(changed)} file(s) differ from tests/golden/site/ ({REGENERATE} if meant):\n"
        + _first_difference(changed[0], golden[changed[0]], built[changed[0]])
    )
