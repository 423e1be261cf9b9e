"""The tool's fingerprint, and caches on disk keyed on everything they depend on.

`tool_fingerprint` is the tool's code, templates, schemas and catalogue by content: a
changed rule or template changes it (the build record keeps it beside a year's outputs).
`DiskCache` keeps values in the user's cache folder (~/.cache/disclosure-compiler/<name>,
which no commit or pull request can write into) under keys that hold the tool's
fingerprint and the installed versions of the packages the cached computation depends on,
so a new tool or a new library never reads an old answer; it holds at most `limit`
entries, dropping the least recently written. DISCLOSURE_NO_CACHE=1 turns every cache off,
DISCLOSURE_NO_CACHE=<name>,<name> the ones named (paths.cache_turned_off).
"""

from __future__ import annotations

import hashlib
import os
from functools import cache
from importlib import metadata
from pathlib import Path

from .paths import (
    ASSET_ROOT,
    CATALOGUE_DIR,
    SCHEMAS_DIR,
    TEMPLATES_DIR,
    cache_turned_off,
    user_cache,
)

_PACKAGE = Path(__file__).resolve().parent


@cache
def tool_fingerprint() -> str:
    """The tool's code, templates, schemas and catalogue, by content: a changed template
    or rule changes every build's fingerprint."""
    digest = hashlib.sha256()
    for path in _tool_paths():
        with open(path, "rb") as file:
            content = file.read()
        name = os.path.relpath(path, ASSET_ROOT)
        digest.update(f"{name}\0{len(content)}\0".encode())
        digest.update(content)
    return digest.hexdigest()


@cache
def _tool_paths() -> list[str]:
    """Every file of the tool, walked once per process (the stamp and, when it differs
    from the record's, the fingerprint both go through them)."""
    return [path for root in _tool_roots() for path in _tool_files(root)]


def _tool_roots() -> list[Path]:
    """The folders of the tool's files, none inside another (the catalogue is inside the
    package; so are the templates and schemas of an installed wheel)."""
    roots = [_PACKAGE, TEMPLATES_DIR, SCHEMAS_DIR, CATALOGUE_DIR]
    return [r for r in roots if not any(o != r and o in r.parents for o in roots)]


def _tool_files(root: Path) -> list[str]:
    """Every regular file under `root` but hidden ones and bytecode, in a fixed order
    (os.scandir: a third of the time pathlib's rglob takes, and this runs before every
    build; a broken link or a pipe is not a file of the tool)."""
    found = []
    folders = [os.fspath(root)]
    while folders:
        with os.scandir(folders.pop()) as entries:
            for entry in entries:
                if entry.name.startswith(".") or entry.name == "__pycache__":
                    continue
                if entry.is_dir(follow_symlinks=False):
                    folders.append(entry.path)
                elif entry.is_file():
                    found.append(entry.path)
    return sorted(found)


@cache
def _version(package: str) -> str:
    try:
        return metadata.version(package)
    except metadata.PackageNotFoundError:
        return "-"


class DiskCache:
    """Values (bytes) kept on disk between runs under keys of everything they depend on:
    the tool's fingerprint, the installed versions of `packages`, and what the caller adds
    (`key(*parts)`)."""

    def __init__(
        self,
        name: str,
        packages: tuple[str, ...] = (),
        limit: int = 4096,
        folder: Path | None = None,
    ) -> None:
        self.name = name
        self.packages = packages
        self.limit = limit
        # a folder of its own (parts laid out by another job); else the user's cache
        self._folder = folder

    @property
    def folder(self) -> Path | None:
        if self._folder is not None:
            return self._folder
        if cache_turned_off(self.name):  # not remembered with the folder: it may be set later
            return None
        return _folder(self.name)

    def key(self, *parts: bytes) -> str:
        digest = hashlib.sha256(tool_fingerprint().encode())
        for package in self.packages:
            digest.update(f"\0{package}=={_version(package)}".encode())
        for part in parts:
            digest.update(b"\0" + hashlib.sha256(part).digest())
        return digest.hexdigest()

    def get(self, key: str) -> bytes | None:
        folder = self.folder
        if folder is None:
            return None
        try:
            return (folder / key).read_bytes()
        except OSError:
            return None

    def put(self, key: str, value: bytes) -> None:
        """Write the entry whole (a temporary file, then a rename), then drop the oldest
        entries past the limit. A full or read-only disk is no error: a cache only helps."""
        folder = self.folder
        if folder is None:
            return
        entry = folder / key
        tmp = folder / f".{key}.{os.getpid()}.tmp"
        try:
            tmp.write_bytes(value)
            os.replace(tmp, entry)
        except OSError:
            tmp.unlink(missing_ok=True)
            return
        self._evict(folder)

    def _evict(self, folder: Path) -> None:
        """Counts the entries by name (no stat of each: a put must not cost the whole
        folder's metadata), and reads their times only when there are too many; then the
        oldest quarter goes, so that a full cache reads every entry's time once in a
        quarter of `limit` puts, not at each (4,096 stats a put made a build 0.8 s slower)."""
        try:
            with os.scandir(folder) as entries:
                paths = [e.path for e in entries if e.is_file()]
            if len(paths) <= self.limit:
                return
            found = sorted((os.stat(path).st_mtime_ns, path) for path in paths)
        except OSError:
            return
        for _mtime, path in found[: len(found) - (self.limit - self.limit // 4)]:
            try:
                os.unlink(path)
            except OSError:
                pass


@cache
def _folder(name: str) -> Path | None:
    return user_cache(name)
