"""The compile pipeline for one year: read → load → validate → assemble → check.

Each stage adds diagnostics; the model is assembled only from schema-valid documents, so
later stages can rely on its shape.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from . import prose, rules
from .assemble import assemble
from .diagnostics import Diagnostic, Location, has_errors, sorted_diagnostics
from .loader import Document, load_bytes
from .model import Disclosure
from .paths import SECTION_FILES, kind_of, schema_hint_for
from .schema import validate_document
from .sources import SourceError, YearSource

if TYPE_CHECKING:
    from .doccache import DocumentCache


@dataclass
class YearResult:
    source: YearSource
    documents: dict[str, Document] = field(default_factory=dict)
    model: Disclosure | None = None
    diagnostics: list[Diagnostic] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.model is not None and not has_errors(self.diagnostics)


def read_documents(
    source: YearSource, cache: DocumentCache | None = None
) -> tuple[dict[str, Document], list[Diagnostic]]:
    """Load every data file of the year; report missing, unexpected and unreadable files.
    With a `cache` (disclosure serve), a file unchanged since its last load is not read."""
    problems: list[Diagnostic] = []
    docs: dict[str, Document] = {}
    year_dir = source.display_path("").rstrip("/")
    try:
        present = source.files()
    except (OSError, SourceError) as e:
        return {}, [Diagnostic(Location(year_dir), f"cannot list the year's files: {e}")]
    load = cache.load if cache is not None else load_file
    for rel in present:
        doc, found = load(source, rel)
        problems += found
        if doc is not None:
            docs[rel] = doc
    for rel in SECTION_FILES:
        if rel not in present:
            problems.append(
                Diagnostic(
                    Location(source.display_path(rel)),
                    f"missing file {rel}: every year needs it "
                    "(start a year with `disclosure new-year`)",
                )
            )
    return docs, problems


def load_file(source: YearSource, rel: str) -> tuple[Document | None, list[Diagnostic]]:
    """Read, load and schema-check one data file of the year."""
    shown = source.display_path(rel)
    try:  # first, so that a link or special file is reported as such
        raw = source.read(rel)
    except (OSError, SourceError) as e:
        return None, [Diagnostic(Location(shown), f"cannot read the file: {e}")]
    kind = kind_of(rel)
    if kind is None:
        expected = ", ".join(sorted(SECTION_FILES)) + ", projects/NN-name.yaml"
        return None, [Diagnostic(Location(shown), f"unexpected file: a year holds only {expected}")]
    doc, found = load_bytes(shown, raw)
    if doc is None:
        return None, found
    return doc, found + _check_modeline(doc, rel) + validate_document(doc, kind)


def _check_modeline(doc: Document, rel: str) -> list[Diagnostic]:
    expected = schema_hint_for(rel)
    line = f"# yaml-language-server: $schema={expected}"
    if doc.schema_hint is None:
        return [
            Diagnostic(
                Location(doc.file, 1, 1),
                f"no schema named: make the first line '{line}' so editors show hints",
                severity="warning",
            )
        ]
    if doc.schema_hint != expected:
        return [
            Diagnostic(
                Location(doc.file, 1, 1),
                f"names the schema {doc.schema_hint}, but this file is checked against {expected}",
            )
        ]
    return []


def compile_year(
    source: YearSource, *, check_previous: bool = True, cache: DocumentCache | None = None
) -> YearResult:
    """Everything `validate` does for one year; the model is set when the data is usable.
    `cache` keeps loaded files between compiles (see DocumentCache)."""
    result = YearResult(source)
    if not source.exists():
        raise SourceError(f"no data for {source.label} (looked in {source.display_path('')})")
    result.documents, problems = read_documents(source, cache)
    if not has_errors(problems):
        model = assemble(source.year, result.documents)
        problems += prose.check_all(model)
        previous = None
        if check_previous:
            previous, found = _previous_model(source, cache)
            problems += found
        problems += rules.check(model, previous, source.previous().where)
        result.model = model
    result.diagnostics = sorted_diagnostics(problems)
    return result


def _previous_model(
    source: YearSource, cache: DocumentCache | None = None
) -> tuple[Disclosure | None, list[Diagnostic]]:
    """The previous year's model, to check the previous-year figures written in this one."""
    prev = source.previous()
    try:
        if not prev.exists():
            return None, []
        result = compile_year(prev, check_previous=False, cache=cache)
    except SourceError:
        return None, []
    if result.ok:
        return result.model, []
    where = Location(source.display_path("budget.yaml"))
    return None, [
        Diagnostic(
            where,
            f"{prev.label} has errors, so the previous-year figures written here were not "
            f"checked against it; fix {prev.display_path('')} first",
            severity="warning",
        )
    ]
