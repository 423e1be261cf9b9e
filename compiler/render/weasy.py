"""Import WeasyPrint without its slow library probing, and write PDF streams faster.

Two measured costs that change nothing in the pages:

- At import, WeasyPrint looks for each C library (pango, harfbuzz, fontconfig …) under
  several names; cffi asks ctypes.util.find_library for every name that is not found, and
  that runs `ldconfig -p` and a compiler in subprocesses: about 0.35 s. During the import
  we answer find_library from one listing of the library folders instead.
- pydyf compresses every PDF stream (mostly the embedded font subsets) at zlib level 9;
  level 1 makes files a few percent larger and writes them several times faster.

Both are scoped: find_library is restored after the import, and the compression level is
set on pydyf's own reference to zlib only.
"""

from __future__ import annotations

import ctypes.util
import os
import re
import zlib
from functools import cache

LIBRARY_FOLDERS = (
    "/usr/lib/x86_64-linux-gnu",
    "/usr/lib/aarch64-linux-gnu",
    "/lib/x86_64-linux-gnu",
    "/lib/aarch64-linux-gnu",
    "/usr/local/lib",
    "/usr/lib",
    "/lib",
    "/usr/lib64",
    "/lib64",
)
STREAM_COMPRESSION = 1


@cache
def _shared_objects() -> dict[str, str]:
    """library name (gobject-2.0) → its soname file (libgobject-2.0.so.0), from one
    listing of the usual library folders."""
    found: dict[str, str] = {}
    for folder in LIBRARY_FOLDERS:
        try:
            names = os.listdir(folder)
        except OSError:
            continue
        for file in sorted(names):
            m = re.fullmatch(r"lib(.+?)\.so(\.\d+)*", file)
            if m and m.group(1) not in found:
                found[m.group(1)] = file
    return found


def _find_library(name: str) -> str | None:
    stem = name.removeprefix("lib")
    return _shared_objects().get(stem) or _shared_objects().get(re.sub(r"-\d+$", "", stem))


class _Level1Zlib:
    """pydyf's view of zlib: the same module, streams compressed at level 1."""

    def __getattr__(self, name):
        return getattr(zlib, name)

    @staticmethod
    def compressobj(level=-1, *args, **kwargs):
        return zlib.compressobj(STREAM_COMPRESSION, *args, **kwargs)

    @staticmethod
    def compress(data, level=-1):
        return zlib.compress(data, STREAM_COMPRESSION)


@cache
def weasyprint():
    """The weasyprint module, imported once, fast."""
    original = ctypes.util.find_library
    ctypes.util.find_library = _find_library
    try:
        import weasyprint as module
    finally:
        ctypes.util.find_library = original
    import pydyf

    pydyf.zlib = _Level1Zlib()
    return module
