"""Atomic writes: a build that fails or is interrupted leaves the previous outputs intact."""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path


def _write_temporary(path: Path, data: bytes) -> Path:
    """Write `data` to a synced temporary file beside `path`; return its path."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(tmp, 0o644)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return Path(tmp)


def _keep_previous(path: Path) -> Path | None:
    """A hard link (or copy) of the file about to be replaced, to restore on failure."""
    if not path.is_file() or path.is_symlink():
        return None
    backup = path.with_name(f".{path.name}.{os.getpid()}.previous")
    backup.unlink(missing_ok=True)
    try:
        os.link(path, backup)
    except OSError:  # a file system without hard links
        shutil.copy2(path, backup)
    return backup


def _sync_folder(folder: Path) -> None:
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass  # some file systems cannot sync a folder; the files themselves are synced
    finally:
        os.close(fd)


def write_atomic(path: Path, data: bytes) -> None:
    """Write to a temporary file beside `path`, fsync it, then rename it over `path`."""
    write_all({path: data})


def write_all(files: dict[Path, bytes]) -> None:
    """Write several outputs as one step. Every file is written and synced first; then
    they are renamed into place, and if any rename fails the ones already replaced are
    restored, so a failure never leaves old and new outputs mixed."""
    written: dict[Path, Path] = {}
    previous: dict[Path, Path | None] = {}
    replaced: list[Path] = []
    try:
        for path, data in files.items():
            written[path] = _write_temporary(path, data)
        for path, tmp in written.items():
            previous[path] = _keep_previous(path)
            os.replace(tmp, path)
            replaced.append(path)
    except BaseException:
        for path in replaced:
            try:
                if previous[path] is not None:
                    os.replace(previous[path], path)
                else:
                    path.unlink()  # it did not exist before this build
            except OSError:
                pass  # keep cleaning up; the original error is what the user needs
        for tmp in written.values():
            tmp.unlink(missing_ok=True)
        raise
    finally:
        for backup in previous.values():
            if backup is not None:
                backup.unlink(missing_ok=True)
    for folder in {path.parent for path in files}:
        _sync_folder(folder)
