"""Atomic writes: a build that fails or is interrupted leaves the previous outputs intact."""

from __future__ import annotations

import os
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


def write_atomic(path: Path, data: bytes) -> None:
    """Write to a temporary file beside `path`, fsync it, then rename it over `path`."""
    write_all({path: data})


def write_all(files: dict[Path, bytes]) -> None:
    """Write several outputs as one step: every file is written and synced first, and only
    then are they renamed into place, so a full disk or an interrupt while writing leaves
    all the previous outputs, never a mix of old and new."""
    written: dict[Path, Path] = {}
    try:
        for path, data in files.items():
            written[path] = _write_temporary(path, data)
        for path, tmp in written.items():
            os.replace(tmp, path)
    except BaseException:
        for tmp in written.values():
            tmp.unlink(missing_ok=True)
        raise
