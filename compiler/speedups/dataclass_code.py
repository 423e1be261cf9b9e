"""The methods `@dataclass` writes, compiled once and remembered by their text (shim
`dataclass_code`).

For each of the model's ~60 classes, `dataclasses` writes the source of `__init__`,
`__repr__`, `__eq__`, `__hash__`, `__setattr__` and `__delattr__` and compiles it: some 330
calls of `compile` at every command's start (importing the model took 130 ms, 48 ms
without them). The text of a method depends only on the class's fields, so the compiled
code is kept in the user's cache folder (beside the remembered schema checks) keyed by that
text, and the next process executes it without compiling. Executing `compile(text)`'s code
is what `exec(text)` does, so the classes are the same either way.

The hook is a module global `exec` in `dataclasses` (Python 3.11 to 3.13 call
`exec(text, globals, ns)` there), installed once by `compiler/__init__`; only this tool's
classes go through the cache. The folder is the user's own (mode 700), as for the bytecode
Python writes: whoever can write there can already change what the user runs, and no data
file or pull request can. A missing, unreadable or foreign cache file is ignored;
DISCLOSURE_NO_CACHE=1 turns the cache off.

This module has no `from __future__ import annotations`, and compiles with
`dont_inherit=True`: `exec` and `compile` take on the future flags of the module calling
them, and dataclasses.py has none, so neither may this one (the methods' annotations stay
what stock dataclasses gives).
"""

import __future__

import atexit
import builtins
import dataclasses
import marshal
import os
import sys
from collections.abc import Callable
from pathlib import Path
from types import CodeType

from ..paths import user_cache
from . import enabled

# Entries kept across commands; past this many (old classes' texts), only the ones the
# latest process used are written back.
MAX_ENTRIES = 1000
# Part of the file's name: a new format (or a fix to how entries are compiled) starts anew.
FORMAT = 2
_PACKAGE = __name__.partition(".")[0] + "."  # "compiler."


class RememberedCode:
    """Code compiled from text, loaded from and saved to one file of the user's cache
    (`file`, or the one `locate` names when it is first needed)."""

    def __init__(
        self,
        file: Path | None = None,
        *,
        locate: Callable[[], Path | None] | None = None,
    ):
        self._file = file
        self._locate = locate
        self.loaded: dict | None = None  # text → code, from the file
        self.used: dict = {}  # text → code, what this process executed
        self.compiled = 0  # how many texts this process compiled: new to the cache

    @property
    def file(self) -> Path | None:
        if self._locate is not None:
            self._file, self._locate = self._locate(), None
        return self._file

    def code(self, text: str) -> CodeType:
        if self.loaded is None:
            self.loaded = _read(self.file)
        found = self.loaded.get(text)
        if found is None:
            found = compile(text, "<string>", "exec", dont_inherit=True)
            self.compiled += 1
        self.used[text] = found
        return found

    def exec(self, source, namespace=None, local_namespace=None, /, **kwargs):
        """`exec` as dataclasses calls it, with the text's code remembered for this tool's
        own classes (other libraries' classes are compiled as usual: no cache of theirs to
        load at every start)."""
        if isinstance(source, str) and not kwargs and _ours(namespace):
            source = self.code(source)
        return builtins.exec(source, namespace, local_namespace, **kwargs)

    def save(self) -> None:
        """Write the cache back if this process compiled anything new."""
        file = self.file if self.compiled else None
        if file is None:
            return
        entries = {**(self.loaded or {}), **self.used}
        if len(entries) > MAX_ENTRIES:
            entries = self.used
        import tempfile  # only when there is something new to write

        try:
            handle, tmp = tempfile.mkstemp(dir=file.parent, suffix=".tmp")
        except OSError:
            return  # a full or read-only disk: the cache is only a help
        try:
            with os.fdopen(handle, "wb") as out:
                out.write(marshal.dumps(entries))
            os.replace(tmp, file)
        except (OSError, ValueError):
            Path(tmp).unlink(missing_ok=True)
        self.compiled = 0


def _ours(namespace) -> bool:
    """Whether `namespace` is the globals of a module of this package (dataclasses passes
    the class's module's)."""
    return isinstance(namespace, dict) and str(namespace.get("__name__", "")).startswith(_PACKAGE)


def _read(file: Path | None) -> dict:
    if file is None:
        return {}
    try:
        entries = marshal.loads(file.read_bytes())
    except (OSError, ValueError, EOFError, TypeError):
        return {}
    if not isinstance(entries, dict):
        return {}
    return {k: v for k, v in entries.items() if isinstance(k, str) and isinstance(v, CodeType)}


def cache_file() -> Path | None:
    """One file per interpreter version: compiled code does not travel between them."""
    folder = user_cache("classcode")
    if folder is None:
        return None
    return folder / f"v{FORMAT}-{sys.implementation.cache_tag}-{sys.hexversion:x}.marshal"


def install() -> RememberedCode | None:
    """Route the compiling of `dataclasses` through the cache (once per process). The
    cache folder is found at the first class defined, not at import. Not when a Python's
    dataclasses.py has future imports of its own: its `exec` would inherit them, and the
    cache's would not."""
    if not enabled("dataclass_code"):
        return None
    if any(
        isinstance(getattr(dataclasses, name, None), __future__._Feature)
        for name in __future__.all_feature_names
    ):
        return None
    current = getattr(dataclasses, "exec", None)
    if isinstance(getattr(current, "__self__", None), RememberedCode):
        return current.__self__
    remembered = RememberedCode(locate=cache_file)
    dataclasses.exec = remembered.exec
    atexit.register(remembered.save)
    return remembered


def expected() -> list[str]:
    """What this shim counts on and the interpreter's dataclasses no longer has: the methods
    compiled by a call of the module global `exec`."""
    import inspect

    if "exec(" not in inspect.getsource(dataclasses):
        return ["dataclass_code: dataclasses no longer compiles its methods with exec"]
    return []
