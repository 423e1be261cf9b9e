"""Schema checks remembered by content: a file validated once against the same schemas is
not validated again (nor is the validator even imported).

The key is everything the answer depends on: the tool's fingerprint (the schemas, the
describing code in schema.py, the loader that places each problem at its line and
column, halfwidth.py, the catalogue of messages), the installed jsonschema and PyYAML,
the language, the file's kind and its bytes; the value is the list of problems found
(usually none), each placed in the file by line and column only, so the same bytes under
another name or folder (a copy, a git revision, another checkout) are not checked again.
Entries live in the user's cache folder, at most a few thousand (see compiler/cache.py);
DISCLOSURE_NO_CACHE=1 turns the cache off. A pre-commit hook that
validates on every commit then re-checks only the files that changed.
"""

from __future__ import annotations

import json

from ..cache import DiskCache
from ..diagnostics import Diagnostic, Location
from ..i18n import language
from .loader import Document

CACHE = DiskCache("schema-checks", packages=("jsonschema", "pyyaml"), limit=4096)


def validate_document(doc: Document, kind: str) -> list[Diagnostic]:
    """The schema's problems with the document, from the cache when the same bytes were
    checked before by the same tool and libraries."""
    key = None
    if CACHE.folder is not None and doc.raw:
        key = CACHE.key(language().encode(), kind.encode(), doc.raw)
        stored = CACHE.get(key)
        if stored is not None:
            try:
                return [_load(d, doc.file) for d in json.loads(stored.decode("utf-8"))]
            except (ValueError, KeyError, TypeError):
                pass  # an unreadable entry: validate
    from . import schema  # the validator and its libraries, only when needed

    problems = schema.validate_document(doc, kind)
    if key is not None and all(p.location.file == doc.file for p in problems):
        CACHE.put(key, _dump(problems))
    return problems


def _load(d: dict, file: str) -> Diagnostic:
    location = Location(file, d["line"], d["column"])
    return Diagnostic(
        location,
        d["message"],
        field=d["field"],
        severity=d["severity"],
        to_fill=d.get("to_fill", False),
    )


def _dump(problems: list[Diagnostic]) -> bytes:
    data = [
        {
            "line": p.location.line,
            "column": p.location.column,
            "message": p.message,
            "field": p.field,
            "severity": p.severity,
            "to_fill": p.to_fill,
        }
        for p in problems
    ]
    return json.dumps(data, ensure_ascii=False).encode("utf-8")
