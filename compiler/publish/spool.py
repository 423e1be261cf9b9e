"""The build's waiting files: what a build has made and not yet written where it goes.

A department's parts until they are joined, a joined or remembered PDF until the build
moves it into its outputs, every file of a year being published until the site and the
record are written: kept in files, so that no process holds a year's outputs in memory
(a 60-unit department's are hundreds of MB). The folder is made once, by the process
that first needs it (or by build_many, before it forks the years' processes: their exit
runs no clean-up), shared by the processes it forks, each naming its files by its own
process id, and removed when the process that made it ends.
"""

from __future__ import annotations

import atexit
import functools
import itertools
import os
import shutil
import tempfile
from pathlib import Path

_numbers = itertools.count()


@functools.cache
def spool_folder() -> str:
    folder = tempfile.mkdtemp(prefix="disclosure-parts-")
    atexit.register(_remove, folder, os.getpid())
    return folder


def _remove(folder: str, owner: int) -> None:
    if os.getpid() == owner:  # not a forked process that inherited the clean-up
        shutil.rmtree(folder, ignore_errors=True)


def spool_file(suffix: str = ".pdf") -> str:
    """A new file name in the folder (nothing written yet)."""
    return os.path.join(spool_folder(), f"part-{os.getpid()}-{next(_numbers)}{suffix}")


def spooled(data: bytes) -> Path:
    """`data` written to a new file of the folder."""
    path = Path(spool_file(".out"))
    path.write_bytes(data)
    return path
