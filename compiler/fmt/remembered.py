"""A file found canonical before is not formatted again.

Formatting a file reads it round-trip and checks the result twice with the strict loader:
most of `disclosure fmt`'s time on a year whose files are already canonical, as nearly all
are at each commit a pre-commit hook or CI checks. When the same tool (its fingerprint:
code, schemas, catalogue), with the same YAML libraries and Python, found the same bytes of
the same kind and quote style canonical with nothing to report, the answer comes from the
user's cache (see compiler/cache.py), and the formatter is not even imported. The cache
holds only that verdict, never a text to write: whatever else formatting gives is worked
out each time. DISCLOSURE_NO_CACHE=1 (or =fmt-canonical) turns it off.
"""

from __future__ import annotations

import platform

from ..cache import DiskCache
from .result import Formatted

CACHE = DiskCache("fmt-canonical", packages=("ruamel.yaml", "pyyaml"), limit=4096)
_VERDICT = b"canonical"


def format_file(file: str, raw: bytes, kind: str, quotes: str | None) -> Formatted:
    """formatter.format_file, imported when a file is to be formatted (the formatter
    brings ruamel.yaml and jsonschema: a third of a remembered run's time)."""
    from .formatter import format_file as formatting

    return formatting(file, raw, kind, quotes)


def format_file_remembered(file: str, raw: bytes, kind: str, quotes: str | None) -> Formatted:
    """format_file's answer, from the cache when these bytes were found canonical."""
    key = None
    if CACHE.folder is not None:
        python = platform.python_version().encode()
        key = CACHE.key(python, kind.encode(), repr(quotes).encode(), raw)
        if CACHE.get(key) == _VERDICT:
            return Formatted(file)
    result = format_file(file, raw, kind, quotes)
    if key is not None and _canonical(result):
        CACHE.put(key, _VERDICT)
    return result


def _canonical(result: Formatted) -> bool:
    """Nothing to write and nothing to say."""
    return not (
        result.changed
        or result.changes
        or result.problems
        or result.internal is not None
        or result.unclear
    )
