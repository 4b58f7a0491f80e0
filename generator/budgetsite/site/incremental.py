"""The build cache: what `budgetsite build` keeps so the next build redoes only what changed.

It lives in <site>/.budgetsite-cache/build/ (git-ignored by the project's and every new site's
.gitignore, beside serve's preview/): the cache describes the site's content and settings, and one
output folder per manifest. It holds

- `manifest-<output>.pickle`: the last build of that output folder — the settings' fingerprint, each
  content folder's fingerprint, every page (path, dependencies, hash of its HTML), each search bundle's
  hash and the downloads' state, and which output folder (device, inode) it describes;
- `models/<code>/<slug>/<folder>-<fingerprint>.pickle`: each department-year as loaded by this
  budgetsite's code, named by the fingerprint of its folder, so unchanged ones are not parsed again (pickled whole: whatever DeptYear
  holds);
- `downloads-<schema>.sqlite`: the SQLite download's rows per department-year (downloads.DownloadRows).

A fingerprint is a content hash of every file of a folder; the stat of each file (size, mtime, inode)
lets the next build reuse the hash without reading the files when nothing was touched. Anything
unreadable, of another cache format or budgetsite version, is treated as absent: a full build.
"""

from __future__ import annotations

import hashlib
import logging
import os
import pickle
import shutil
import sqlite3
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from budgetsite import __version__
from budgetsite.config import CONFIG_FILE, Config
from budgetsite.content.registry import REGISTRY_FILE
from budgetsite.site.downloads import SQLITE_SCHEMA, DownloadRows
from budgetsite.site.load import DeptYear, load_dept_year
from budgetsite.site.render import theme_dirs

log = logging.getLogger(__name__)

CACHE_DIR = Path(".budgetsite-cache") / "build"
# Bumped when what the cache holds changes shape; a cache of another format is ignored.
CACHE_FORMAT = 1
# A file modified this recently may be modified again within the same timestamp tick: its stat is not
# trusted next time, its content is hashed again (git's "racily clean" files).
_RACY_SECONDS = 2.0


@dataclass(frozen=True)
class Fingerprint:
    """A folder's content hash, with the stat of its files that lets the next scan skip hashing them."""

    digest: str
    stat: tuple[tuple[str, int, int, int], ...] = ()  # (relative path, size, mtime_ns, inode); () = rehash


def fingerprint(folder: Path, previous: Fingerprint | None = None, pattern: str = "**/*") -> Fingerprint:
    """Fingerprint of the files `pattern` matches below `folder` (reusing `previous` when no stat moved)."""
    files = sorted(p for p in folder.glob(pattern) if p.is_file()) if folder.is_dir() else []
    stat = []
    for path in files:
        info = path.stat()
        stat.append((path.relative_to(folder).as_posix(), info.st_size, info.st_mtime_ns, info.st_ino))
    if previous is not None and previous.stat and tuple(stat) == previous.stat:
        return previous
    digest = hashlib.sha256()
    for name, *_ in stat:
        data = (folder / name).read_bytes()
        digest.update(f"{name}\0{len(data)}\0".encode())
        digest.update(data)
    recent = time.time_ns() - int(_RACY_SECONDS * 1e9)
    trusted = all(mtime < recent for _, _, mtime, _ in stat)
    return Fingerprint(digest.hexdigest(), tuple(stat) if trusted else ())


@dataclass
class Manifest:
    """The state of the last build of one output folder (see the module docstring)."""

    settings: str  # digest of budgetsite.toml's settings, the theme chain, budgetsite itself, Pagefind
    output: tuple[int, int]  # (st_dev, st_ino) of the output folder built
    setting_files: dict[str, Fingerprint] = field(default_factory=dict)
    folders: dict[str, Fingerprint] = field(default_factory=dict)  # '<slug>/<folder>', 'pages' → …
    site_key: str = ""  # what every page shows: navigation, glossary terms, regions, search bundles
    code_pages: frozenset[str] = frozenset()
    # The page plan: path → (index into dep_sets, sha256 of the written HTML)
    pages: dict[str, tuple[int, str]] = field(default_factory=dict)
    dep_sets: list[frozenset[str]] = field(default_factory=list)
    bundles: dict[str, str] = field(default_factory=dict)  # bundle folder → hash of its pages
    downloads: str = ""  # digest of every department-year's fingerprint and the base URL
    files: int = 0
    format: int = CACHE_FORMAT
    version: str = __version__

    def deps(self, path: str) -> frozenset[str]:
        return self.dep_sets[self.pages[path][0]]


def pagefind_fingerprint(executable: str) -> str:
    info = Path(executable).stat()
    return f"{executable}:{info.st_size}:{info.st_mtime_ns}"


class BuildCache:
    """The cache folder of one site, for builds into `config.output`."""

    def __init__(self, config: Config):
        self.config = config
        self.folder = config.site_dir / CACHE_DIR
        name = hashlib.sha256(str(config.output.resolve()).encode()).hexdigest()[:16]
        self.manifest_path = self.folder / f"manifest-{name}.pickle"
        self.code = ""  # budgetsite's own fingerprint (set by `settings`): models and rows depend on it

    # --- the manifest ---------------------------------------------------------------------------------

    def previous(self) -> Manifest | None:
        """The manifest of the last build into this output folder, or None (with a -v line why)."""
        try:
            with self.manifest_path.open("rb") as file:
                manifest = pickle.load(file)
        except FileNotFoundError:
            log.debug("build cache: no previous build of %s, building everything", self.config.output)
            return None
        except Exception as error:
            log.debug("build cache: %s unreadable (%s), building everything", self.manifest_path, error)
            return None
        if not isinstance(manifest, Manifest) or (manifest.format, manifest.version) != (
            CACHE_FORMAT,
            __version__,
        ):
            log.debug("build cache: made by another budgetsite version, building everything")
            return None
        return manifest

    def save(self, manifest: Manifest) -> None:
        """Write the manifest atomically (a kill leaves the previous one)."""
        _store(self.manifest_path, manifest)

    # --- fingerprints ---------------------------------------------------------------------------------

    def settings(self, previous: Manifest | None, pagefind: str) -> tuple[str, dict[str, Fingerprint]]:
        """Digest of everything that may change every page: settings, theme files, budgetsite's own code,
        departments.toml (department order), Pagefind; and the fingerprints of those files."""
        old = previous.setting_files if previous is not None else {}
        folders = {str(theme): theme for theme in theme_dirs(self.config)}
        files = {name: fingerprint(path, old.get(name)) for name, path in folders.items()}
        code = Path(__file__).resolve().parents[1]
        files["budgetsite"] = fingerprint(code, old.get("budgetsite"), "**/*.py")
        self.code = files["budgetsite"].digest
        for name in (CONFIG_FILE, REGISTRY_FILE):
            files[name] = fingerprint(self.config.site_dir, old.get(name), name)
        digest = hashlib.sha256(repr((sorted(vars(self.config).items()), pagefind)).encode())
        for name in sorted(files):
            digest.update(f"{name}\0{files[name].digest}\0".encode())
        return digest.hexdigest(), files

    # --- loaded department-years ----------------------------------------------------------------------

    def _model_path(self, key: str, digest: str) -> Path:
        # Per version of budgetsite's code: what load_dept_year makes of a folder may change with it.
        return self.folder / "models" / self.code[:16] / f"{key}-{digest[:32]}.pickle"

    def load_dept_year(self, folder: Path, key: str, digest: str) -> DeptYear:
        """The department-year of `folder`, unpickled when this content was loaded before."""
        path = self._model_path(key, digest)
        try:
            with path.open("rb") as file:
                loaded = pickle.load(file)
            if isinstance(loaded, DeptYear) and loaded.folder == folder:
                loaded.disclosure.restamp()  # the same content (its hash), perhaps touched since
                return loaded
        except FileNotFoundError:
            pass
        except Exception as error:
            log.debug("build cache: %s unreadable (%s), reading %s again", path, error, folder)
        dept_year = load_dept_year(folder)
        _store(path, dept_year)
        return dept_year

    def old_dept_year(self, key: str, digest: str) -> DeptYear | None:
        """The department-year `key` as the last build loaded it (None: not cached)."""
        try:
            with self._model_path(key, digest).open("rb") as file:
                loaded: Any = pickle.load(file)
        except Exception:
            return None
        return loaded if isinstance(loaded, DeptYear) else None

    def forget_models(self, key: str, keep: str | None) -> None:
        """Remove the cached models of department-year `key` except the one of fingerprint `keep`."""
        keep_path = self._model_path(key, keep) if keep else None
        folder = (keep_path or self._model_path(key, "")).parent
        for path in folder.glob(f"{key.split('/', 1)[1]}-*.pickle"):
            if path != keep_path:
                path.unlink(missing_ok=True)

    def forget_other_code(self) -> None:
        """Remove the models loaded by another version of budgetsite's code."""
        for other in (self.folder / "models").glob("*"):
            if other.name != self.code[:16]:
                shutil.rmtree(other, ignore_errors=True)

    def download_rows(self) -> DownloadRows:
        """The SQLite download's cached rows; a damaged or unwritable cache file gives rows in memory."""
        schema = hashlib.sha256((SQLITE_SCHEMA + self.code).encode()).hexdigest()[:16]
        path = self.folder / f"downloads-{schema}.sqlite"
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            for other in self.folder.glob("downloads-*.sqlite"):
                if other != path:
                    other.unlink()
            return DownloadRows(path)
        except (OSError, sqlite3.Error) as error:
            log.debug("build cache: %s unusable (%s), writing the SQLite download from scratch", path, error)
            path.unlink(missing_ok=True)
            return DownloadRows(":memory:")


def _store(path: Path, value: object) -> None:
    """Pickle `value` into `path` atomically; a cache that cannot be written is only slower next time."""
    partial = path.with_name(f".{path.name}.{os.getpid()}")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with partial.open("wb") as file:
            pickle.dump(value, file, protocol=pickle.HIGHEST_PROTOCOL)
        partial.replace(path)
    except OSError as error:
        log.debug("build cache: cannot write %s (%s)", path, error)
        partial.unlink(missing_ok=True)
