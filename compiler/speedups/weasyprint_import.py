"""Import WeasyPrint without its slow library probing (shims `library_lookup` and
`deferred_fonttools`).

Two measured costs that change nothing in the pages:

- At import, WeasyPrint looks for each C library (pango, harfbuzz, fontconfig …) under
  several names; cffi asks ctypes.util.find_library for every name that is not found, and
  that runs `ldconfig -p` and a compiler in subprocesses: about 0.35 s. During the import
  we answer find_library from one listing of the library folders instead.
- WeasyPrint imports fontTools' subsetter and variable-font instancer up front (about
  0.15 s), for fonts this tool never embeds: it subsets with HarfBuzz, and the Noto CJK
  fonts are not variable. They are loaded when first used instead (see _deferred_fonttools).

Both are scoped: find_library is restored after the import, and the stand-ins are taken
out of sys.modules again. The PDF streams' compression level is set here too, at the
import (see pdf_streams.py).
"""

from __future__ import annotations

import ctypes.util
import importlib
import os
import re
import sys
import types
from collections.abc import Iterator
from contextlib import contextmanager, nullcontext
from functools import cache

from . import enabled, font_data, pdf_streams

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
    if enabled("library_lookup"):
        ctypes.util.find_library = _find_library
    try:
        with _deferred_fonttools() if enabled("deferred_fonttools") else nullcontext():
            import weasyprint as module
    finally:
        ctypes.util.find_library = original
    pdf_streams.compress_at_level_1()
    if enabled("font_data"):
        font_data.read_when_needed()
    return module


def expected() -> list[str]:
    """What these shims count on and the installed packages no longer have (nothing: all
    is there). cffi must look libraries up through ctypes.util.find_library, and WeasyPrint
    must import fontTools' subsetter and instancer by the names stood in for."""
    missing = []
    import inspect

    import cffi.api

    if "find_library" not in inspect.getsource(cffi.api):
        missing.append("library_lookup: cffi no longer calls ctypes.util.find_library")
    import weasyprint.pdf.fonts as fonts

    source = inspect.getsource(fonts)
    for name in ("fontTools import subset", "instancer import instantiateVariableFont"):
        if name not in source:
            missing.append(f"deferred_fonttools: weasyprint.pdf.fonts no longer says {name!r}")
    return missing
