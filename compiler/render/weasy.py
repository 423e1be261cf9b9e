"""Import WeasyPrint without its slow library probing, and write PDF streams faster.

Three measured costs that change nothing in the pages:

- At import, WeasyPrint looks for each C library (pango, harfbuzz, fontconfig …) under
  several names; cffi asks ctypes.util.find_library for every name that is not found, and
  that runs `ldconfig -p` and a compiler in subprocesses: about 0.35 s. During the import
  we answer find_library from one listing of the library folders instead.
- WeasyPrint imports fontTools' subsetter and variable-font instancer up front (about
  0.15 s), for fonts this tool never embeds: it subsets with HarfBuzz, and the Noto CJK
  fonts are not variable. They are loaded when first used instead (see _deferred_fonttools).
- pydyf compresses every PDF stream (mostly the embedded font subsets) at zlib level 9;
  level 1 makes files a few percent larger and writes them several times faster.

All are scoped: find_library is restored after the import, the stand-in for the
instancer is taken out of sys.modules again, and the compression level is set on pydyf's
own reference to zlib only.
"""

from __future__ import annotations

import ctypes.util
import importlib
import os
import re
import sys
import types
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
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


SUBSETTER = "fontTools.subset"
INSTANCER = "fontTools.varLib.instancer"


class _Deferred(types.ModuleType):
    """What `from fontTools import subset` and `from fontTools.varLib.instancer import …`
    find while WeasyPrint is imported: a stand-in that imports the real module when any of
    its names is first used, and hands that name out. (importlib's LazyLoader cannot serve
    here: the import statement itself touches the module and so loads it.)"""

    def __init__(self, name: str, **ready) -> None:
        super().__init__(name)
        self.__dict__.update(ready)

    def __getattr__(self, name: str):
        if name.startswith("__"):  # the import system asking (__path__ …): not the module's names
            raise AttributeError(name)
        if sys.modules.get(self.__name__) is self:
            del sys.modules[self.__name__]
        return getattr(importlib.import_module(self.__name__), name)


def _instantiate_variable_font(*args, **kwargs):
    """fontTools' instantiateVariableFont, imported on its first call."""
    return importlib.import_module(INSTANCER).instantiateVariableFont(*args, **kwargs)


@contextmanager
def _deferred_fonttools() -> Iterator[None]:
    """While WeasyPrint is imported, fontTools' subsetter and instancer are stand-ins
    (`from … import instantiateVariableFont` takes the name at once, so the stand-in has it
    as a wrapper; any other name loads the real module: a WeasyPrint that takes more still
    works, without the saving). Both are taken out of sys.modules afterwards, so a later
    import anywhere gets the real module."""
    stand_ins = [
        _Deferred(SUBSETTER),
        _Deferred(INSTANCER, instantiateVariableFont=_instantiate_variable_font),
    ]
    placed = [m for m in stand_ins if m.__name__ not in sys.modules]
    for module in placed:
        sys.modules[module.__name__] = module
    try:
        yield
    finally:
        for module in placed:
            if sys.modules.get(module.__name__) is module:
                del sys.modules[module.__name__]


@cache
def weasyprint():
    """The weasyprint module, imported once, fast."""
    original = ctypes.util.find_library
    ctypes.util.find_library = _find_library
    try:
        with _deferred_fonttools():
            import weasyprint as module
    finally:
        ctypes.util.find_library = original
    import pydyf

    pydyf.zlib = _Level1Zlib()
    return module
