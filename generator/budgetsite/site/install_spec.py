"""Where a deployed site installs budgetsite from (`budgetsite init --install`), pinned to this version.

budgetsite is not published on PyPI under its name, so a deploy command `pip install budgetsite` would
fail — or run whatever someone registers under that name. The spec written into netlify.toml is always
one exact version: a wheel copied into the site, a Git URL at a tag or commit, an index with `==version`.
"""

from __future__ import annotations

import importlib.metadata
import json
import re
import shlex
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urlsplit

from budgetsite import __version__
from budgetsite.errors import ConfigError

DISTRIBUTION = "budgetsite"
VENDOR_DIR = "vendor"  # where init copies a wheel inside the new site

# A deploy command that stops with a message, for a budgetsite running from a local folder (there is
# nothing the build host could install from).
UNKNOWN_SOURCE_COMMAND = (
    "echo 'netlify.toml: say where to install budgetsite from: budgetsite init --install WHEEL|GIT-URL|INDEX-URL"
    " (README, Publish)' >&2 && exit 1"
)

# Wheel file names: {name}-{version}(-{build})?-{python}-{abi}-{platform}.whl (PEP 427).
_WHEEL_NAME = re.compile(r"^(?P<name>[^-]+)-(?P<version>[^-]+)(-\d[^-]*)?-[^-]+-[^-]+-[^-]+\.whl$")


@dataclass(frozen=True)
class InstallSpec:
    """What `pip install` gets on the build host, and a wheel init must copy into the site (if any)."""

    pip_args: str  # shell-quoted arguments after `pip install`; "" when the source is unknown
    wheel: Path | None = None  # local wheel to copy to <site>/vendor/

    @property
    def build_command(self) -> str:
        """The deploy host's build command: install this exact budgetsite, then build the site."""
        if not self.pip_args:
            return UNKNOWN_SOURCE_COMMAND
        return f"pip install {self.pip_args} && budgetsite build"


def resolve_install_spec(spec: str | None, version: str = __version__) -> InstallSpec:
    """`init --install` value (None: how this budgetsite was installed) → a spec pinned to `version`.

    Accepted: a wheel file or wheel URL of this version, `git+URL@tag-or-commit`, or a package index URL
    (https://…/simple/) that serves budgetsite; anything else is a ConfigError of one line.
    """
    if spec is None:
        return _spec_of_running_install(version)
    spec = spec.strip()
    if spec.endswith(".whl"):
        return _wheel_spec(spec, version)
    if spec.startswith("git+"):
        return _git_spec(spec)
    if urlsplit(spec).scheme in ("http", "https"):
        # An index, not PyPI by name: --index-url makes pip ask only this index for every package.
        return InstallSpec(f"--index-url {shlex.quote(spec)} {DISTRIBUTION}=={version}")
    raise ConfigError(
        f"--install {spec!r} is neither a wheel (.whl), a git+ URL nor a package index URL",
        hint="e.g. --install dist/budgetsite-0.1.0-py3-none-any.whl",
    )


def _wheel_spec(spec: str, version: str) -> InstallSpec:
    name = unquote(spec.rsplit("/", 1)[-1])
    match = _WHEEL_NAME.match(name)
    if not match or match["name"].lower() != DISTRIBUTION:
        raise ConfigError(
            f"--install {spec!r} is not a budgetsite wheel", hint="build one with `pip wheel .`"
        )
    if match["version"] != version:
        raise ConfigError(
            f"--install {name} is budgetsite {match['version']}, but this is budgetsite {version}",
            hint="give the wheel of the version you run, or run init with the version in the wheel",
        )
    if urlsplit(spec).scheme in ("http", "https"):
        return InstallSpec(shlex.quote(f"{DISTRIBUTION} @ {spec}"))
    path = Path(spec).expanduser()
    if not path.is_file():
        raise ConfigError("wheel not found", path=path, hint="give the path of an existing .whl file")
    # Copied into the site so the build host installs it from the site's own repository.
    return InstallSpec(shlex.quote(f"./{VENDOR_DIR}/{name}"), wheel=path)


def _git_spec(spec: str) -> InstallSpec:
    # The ref is what follows the last "@" after the repository path (git+ssh://git@host/… has an @ in it).
    path = urlsplit(spec.removeprefix("git+")).path
    if "@" not in path or not path.rsplit("@", 1)[1]:
        raise ConfigError(
            f"--install {spec!r} names no tag or commit, so every deploy could install a different version",
            hint=f"append the tag or commit of this version, e.g. {spec}@v{__version__}",
        )
    return InstallSpec(shlex.quote(f"{DISTRIBUTION} @ {spec}"))


def _spec_of_running_install(version: str) -> InstallSpec:
    """The source this budgetsite was installed from (PEP 610 direct_url.json), pinned."""
    try:
        distribution = importlib.metadata.distribution(DISTRIBUTION)
    except importlib.metadata.PackageNotFoundError:  # running from a source tree on PYTHONPATH
        return InstallSpec("")
    direct = distribution.read_text("direct_url.json")
    if not direct:  # installed from an index by name and version
        return InstallSpec(f"{DISTRIBUTION}=={version}")
    origin = json.loads(direct)
    url = origin.get("url", "")
    vcs = origin.get("vcs_info")
    if vcs and vcs.get("commit_id"):
        return InstallSpec(shlex.quote(f"{DISTRIBUTION} @ {vcs['vcs']}+{url}@{vcs['commit_id']}"))
    if "archive_info" in origin and url.endswith(".whl"):
        if url.startswith("file://"):
            wheel = Path(unquote(urlsplit(url).path))
            return _wheel_spec(str(wheel), version) if wheel.is_file() else InstallSpec("")
        return _wheel_spec(url, version)
    return InstallSpec("")  # a local folder or an editable checkout: nothing a build host can reach
