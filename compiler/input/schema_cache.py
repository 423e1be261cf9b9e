"""Schema checks remembered by content: a file validated once against the same schemas is
not validated again (nor is the validator even imported).

The key is the file's kind, the bytes of every schema and the file's own bytes; the value
is the list of problems found (usually none). Entries live in the user's cache folder
(~/.cache/disclosure-compiler/schema), which no commit or pull request can write into;
DISCLOSURE_NO_CACHE=1 turns the cache off. A pre-commit hook that validates on every commit
then re-checks only the files that changed.
"""

from __future__ import annotations

import hashlib
import json
import os
from functools import cache
from pathlib import Path

from ..diagnostics import Diagnostic, Location
from ..i18n import catalogue_bytes, language
from ..paths import SCHEMAS_DIR, user_cache
from .loader import Document

VERSION = b"1"


@cache
def _schemas_digest() -> bytes:
    digest = hashlib.sha256(VERSION)
    for path in sorted(SCHEMAS_DIR.glob("*.schema.json")):
        digest.update(path.name.encode())
        digest.update(path.read_bytes())
    # the describing code decides the words of each problem: part of the key too
    digest.update((Path(__file__).parent / "schema.py").read_bytes())
    # …in the words of the catalogue: a new translation is a new key
    digest.update(catalogue_bytes())
    return digest.digest()


@cache
def _folder() -> Path | None:
    return user_cache("schema")


def _key(doc: Document, kind: str) -> str:
    digest = hashlib.sha256(_schemas_digest())
    digest.update(language().encode() + b"\0" + kind.encode() + b"\0" + doc.file.encode())
    digest.update(b"\0" + doc.raw)
    return digest.hexdigest()


def validate_document(doc: Document, kind: str) -> list[Diagnostic]:
    """The schema's problems with the document, from the cache when the same bytes were
    checked before against the same schemas."""
    folder = _folder()
    entry = folder / f"{_key(doc, kind)}.json" if folder is not None and doc.raw else None
    if entry is not None:
        try:
            return [_load(d) for d in json.loads(entry.read_text(encoding="utf-8"))]
        except (OSError, ValueError, KeyError, TypeError):
            pass  # no entry yet, or an unreadable one: validate
    from . import schema  # the validator and its libraries, only when needed

    problems = schema.validate_document(doc, kind)
    if entry is not None:
        _store(entry, problems)
    return problems


def _load(d: dict) -> Diagnostic:
    location = Location(d["file"], d["line"], d["column"])
    return Diagnostic(location, d["message"], field=d["field"], severity=d["severity"])


def _store(entry: Path, problems: list[Diagnostic]) -> None:
    data = [
        {
            "file": p.location.file,
            "line": p.location.line,
            "column": p.location.column,
            "message": p.message,
            "field": p.field,
            "severity": p.severity,
        }
        for p in problems
    ]
    tmp = entry.with_suffix(f".{os.getpid()}.tmp")
    try:
        tmp.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
        os.replace(tmp, entry)
    except OSError:
        tmp.unlink(missing_ok=True)  # a full or read-only disk: the cache is only a help
