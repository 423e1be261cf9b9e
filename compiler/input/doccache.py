"""Loaded and schema-checked data files, kept between compiles while the file is unchanged.

`disclosure serve` compiles the year again on every save; with this cache only the saved
file is read, parsed and checked again, the others come from memory. A file counts as
unchanged while its size, times and inode are (a save by rename gives a new inode), and
the watcher also `forget`s every path it saw change, so two saves within one tick of the
file system's clock are not mistaken for none.
"""

from __future__ import annotations

import os
import threading
from pathlib import Path

from ..diagnostics import Diagnostic
from .loader import Document
from .sources import WorkingTreeYear, YearSource
from .yearfolder import load_file

_Key = tuple[int, int, int, int]


class DocumentCache:
    def __init__(self) -> None:
        self._entries: dict[Path, tuple[_Key, Document | None, list[Diagnostic]]] = {}
        self._lock = threading.Lock()
        self.loads = 0  # files read and checked (not served from memory): tests count them

    def load(self, source: YearSource, rel: str) -> tuple[Document | None, list[Diagnostic]]:
        """What `yearfolder.load_file` gives, from memory when the file has not changed."""
        if not isinstance(source, WorkingTreeYear):  # a git revision never changes
            return load_file(source, rel)
        path = Path(os.path.abspath(source.root / rel))
        key = _stat_key(path)
        with self._lock:
            entry = self._entries.get(path)
        if key is not None and entry is not None and entry[0] == key:
            return entry[1], entry[2]
        doc, found = load_file(source, rel)
        with self._lock:
            self.loads += 1
            if key is not None:
                self._entries[path] = (key, doc, found)
        return doc, found

    def forget(self, path: Path | str) -> None:
        """Drop `path` (a file or a whole folder) so that it is read again."""
        target = Path(os.path.abspath(path))
        with self._lock:
            for cached in list(self._entries):
                if cached == target or target in cached.parents:
                    del self._entries[cached]


def _stat_key(path: Path) -> _Key | None:
    try:
        st = os.lstat(path)
    except OSError:
        return None  # load_file reports it
    return (st.st_mtime_ns, st.st_ctime_ns, st.st_size, st.st_ino)
