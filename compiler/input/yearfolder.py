"""The year-folder rules: which files a year may hold, how each is read and checked.

A year is a folder of YAML files named after their kinds (unit.yaml, lines.yaml, …), with
a department's units in units/<slug>/ and projects in projects/NN-name.yaml. Each file is
read (from the working tree or a git revision), loaded with its locations, checked for the
schema its first line names and against its schema; an unexpected or unreadable file is a
diagnostic, never an exception.
"""

from __future__ import annotations

from typing import Protocol

from ..characters import visible
from ..diagnostics import Diagnostic, Location
from ..i18n import _
from ..paths import (
    PROJECTS_DIR,
    SECTION_FILES,
    UNIT_SLUG,
    UNITS_DIR,
    kind_of,
    schema_hint,
)
from . import pasted_text
from .loader import Document, load_bytes_once
from .schema_cache import validate_document
from .sources import SourceError, YearSource


class FileCache(Protocol):
    """What read_documents asks of a cache of loaded files (doccache.DocumentCache)."""

    def load(self, source: YearSource, rel: str) -> tuple[Document | None, list[Diagnostic]]:
        """`load_file`'s answer, from memory when the file has not changed."""


def split_unit(rel: str) -> tuple[str, str]:
    """'units/office/lines.yaml' → ('office', 'lines.yaml'); 'lines.yaml' → ('', 'lines.yaml')."""
    parts = rel.split("/", 2)
    if len(parts) == 3 and parts[0] == UNITS_DIR:
        return parts[1], parts[2]
    return "", rel


def read_documents(
    source: YearSource, cache: FileCache | None = None
) -> tuple[dict[str, Document], set[str], list[Diagnostic]]:
    """Load every data file of the year (a department's units' files too); report
    unexpected and unreadable files and schema problems. Also every file the year lists,
    loadable or not, so that a file that failed to load is not also reported as missing.
    With a `cache` (disclosure serve), a file unchanged since its last load is not read
    again."""
    problems: list[Diagnostic] = []
    docs: dict[str, Document] = {}
    listed: set[str] = set()
    year_dir = source.display_path("").rstrip("/")
    try:
        present = source.files()
    except (OSError, SourceError) as e:
        message = _("cannot list the year's files: {error}").format(error=e)
        return {}, set(), [Diagnostic(Location(year_dir), message)]
    load = cache.load if cache is not None else load_file
    for rel in present:
        listed.add(rel)
        doc, found = load(source, rel)
        problems += found
        if doc is not None:
            docs[rel] = doc
    return docs, listed, problems


def load_file(source: YearSource, rel: str) -> tuple[Document | None, list[Diagnostic]]:
    """Read, load and schema-check one data file of the year."""
    shown = source.display_path(rel)
    try:  # first, so that a link or special file is reported as such
        raw = source.read(rel)
    except (OSError, SourceError) as e:
        return None, [
            Diagnostic(Location(shown), _("cannot read the file: {error}").format(error=e))
        ]
    slug, inner = split_unit(rel)
    kind = kind_of(inner)
    if kind is None or (slug and not UNIT_SLUG.match(slug)):
        return None, [Diagnostic(Location(shown), _unexpected(rel, slug))]
    doc, found = load_bytes_once(shown, raw)
    if doc is None:
        return None, found
    checked = _check_modeline(doc, kind, source, rel) + validate_document(doc, kind)
    # their texts are copies (of the printed text, of last year's): not pasted text
    pasted = pasted_text.warnings(doc) if kind not in ("acknowledged", "carried-over") else []
    return doc, found + checked + pasted


def _unexpected(rel: str, slug: str) -> str:
    expected = ", ".join(sorted(SECTION_FILES)) + f", {PROJECTS_DIR}/NN-name.yaml"
    if slug and not UNIT_SLUG.match(slug):
        return _(
            "unexpected folder {folder}: a unit's folder name is lower-case letters, "
            "digits and hyphens, e.g. units/office"
        ).format(folder=f"{UNITS_DIR}/{slug}")
    inner = split_unit(rel)[1]
    if inner.startswith(PROJECTS_DIR + "/"):
        name = inner.removeprefix(PROJECTS_DIR + "/")
        return _(
            "the project file name {name} is not allowed: it starts with a two- or three-digit "
            "number and a hyphen, then the project's name in Chinese characters, lower-case "
            "letters, digits or hyphens, and ends in .yaml, e.g. projects/01-机关工作经费.yaml; "
            "rename the file"
        ).format(name=visible(name, keep=""))
    return _(
        "unexpected file: a year holds only {expected} (and a department units/<name>/)"
    ).format(expected=expected)


def _check_modeline(doc: Document, kind: str, source: YearSource, rel: str) -> list[Diagnostic]:
    expected = _expected_hint(kind, source, rel)
    line = f"# yaml-language-server: $schema={expected}"
    if doc.schema_hint is None:
        return [
            Diagnostic(
                Location(doc.file, 1, 1),
                _("no schema named: make the first line '{line}' so editors show hints").format(
                    line=line
                ),
                severity="warning",
            )
        ]
    if doc.schema_hint == expected:
        return []
    if not doc.schema_hint.endswith(f"/{kind}.schema.json"):
        return [
            Diagnostic(
                Location(doc.file, 1, 1),
                _("names the schema {named}, but this file is checked against {expected}").format(
                    named=doc.schema_hint, expected=expected
                ),
            )
        ]
    # The right schema by another path: a copied or moved folder. Editors will not find it.
    return [
        Diagnostic(
            Location(doc.file, 1, 1),
            _(
                "names its schema by the path {named}; from here it is {expected} "
                "(editors use this path to show hints)"
            ).format(named=doc.schema_hint, expected=expected),
            severity="warning",
        )
    ]


def _expected_hint(kind: str, source: YearSource, rel: str) -> str:
    # schema_hint counts folders from the year's: a final accounts' file is one deeper
    in_year = f"{source.document}/{rel}" if source.document else rel
    return schema_hint(kind, source.checkout_path(rel), in_year)


def by_unit(docs: dict[str, Document]) -> dict[str, dict[str, Document]]:
    """The documents of the year itself ('') and of each unit (slug), keyed inside it."""
    groups: dict[str, dict[str, Document]] = {"": {}}
    for rel, doc in docs.items():
        slug, inner = split_unit(rel)
        groups.setdefault(slug, {})[inner] = doc
    return groups
