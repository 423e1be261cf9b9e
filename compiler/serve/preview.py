"""The live preview's builds (`disclosure serve`): the year compiled again after each save.

Each build renders the web edition of every document the year publishes (a department's
package, and each of its units alone) with the preview bar, or, when the data has errors,
one error page for all of them. Only the saved file is read again (DocumentCache). A
document's PDF is built when asked for, once per build.
"""

from __future__ import annotations

import os
import secrets
import threading
import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from ..diagnostics import Diagnostic, Location, has_errors
from ..errors import template_position
from ..i18n import _
from ..input.doccache import DocumentCache
from ..input.projectlayouts import ProjectLayouts
from ..input.sources import SourceError, WorkingTreeYear
from ..paths import TEMPLATES_DIR
from ..pipeline.year import YearResult, compile_year
from ..publish.build import published_documents, render_document
from .pages import error_page, with_live_bar


def document_path(slug: str) -> str:
    """Where the preview serves a document: / for the year's own, /units/<slug>/ for a unit."""
    return f"/units/{slug}/" if slug else "/"


@dataclass(frozen=True)
class Snapshot:
    """One build: a page per document (slug '' is the year's own), or only an error page."""

    token: str  # changes with every build; open pages reload when it does
    pages: dict[str, bytes]
    errors: int
    result: YearResult | None  # the compiled year, when valid: what PDFs are made from
    seconds: float
    error_page: bytes = b""

    def page(self, slug: str) -> bytes | None:
        return self.error_page or self.pages.get(slug)


@dataclass
class _Pdfs:
    token: str = ""
    built: dict[str, tuple[bytes | None, bytes]] = field(default_factory=dict)


class Preview:
    """The current build of one year, rebuilt on request, and waited on by open pages."""

    def __init__(self, source: WorkingTreeYear) -> None:
        self.source = source
        self.cache = DocumentCache()
        self._boot = secrets.token_hex(4)  # a restarted server never reuses a token
        self._generation = 0
        self._changed = threading.Condition()
        self._building = threading.Lock()
        self._pdf_lock = threading.Lock()
        self._pdfs = _Pdfs()
        self.snapshot: Snapshot | None = None  # made by the first `rebuild`
        # Each unit's page as last rendered, kept until a file it may show is saved: after
        # a save in one unit's folder, that unit and the department's own part are
        # rendered again, not the other units (a department of 30 units: see _forget_pages).
        self._unit_pages: dict[str, str] = {}

    def rebuild(self, changed: Iterable[Path] = ()) -> Snapshot:
        with self._building:  # one build at a time, so tokens follow the order of builds
            changed = list(changed)
            for path in changed:
                self.cache.forget(path)
            if _refresh_templates(changed, self.source.project_layouts()):
                self._unit_pages.clear()
            self._forget_pages(changed)
            started = time.perf_counter()
            snapshot = self._build(f"{self._boot}-{self._generation + 1}", started)
            with self._changed:
                self._generation += 1
                self.snapshot = snapshot
                self._changed.notify_all()
            return snapshot

    def _build(self, token: str, started: float) -> Snapshot:
        label = self.source.label

        def failed(problems: list[Diagnostic]) -> Snapshot:
            errors = sum(1 for d in problems if d.is_error)
            page = _problems_page(label, problems, token)
            return Snapshot(token, {}, errors, None, time.perf_counter() - started, page)

        try:
            result = compile_year(self.source, cache=self.cache)
            if not result.ok:
                return failed(result.diagnostics)
            documents = published_documents(result.model)
            html = {}
            for m in documents:  # the department first: its package renders the units' pages
                if m.slug in self._unit_pages:
                    html[m.slug] = self._unit_pages[m.slug].encode("utf-8")
                    continue
                rendered, problems, _fonts = render_document(
                    m, result.documents, ("html",), unit_pages=self._unit_pages
                )
                if has_errors(problems):  # a project's layout that does not render
                    return failed(problems)
                html[m.slug] = rendered["html"]
        except SourceError as e:  # the year's folder was removed or renamed
            return failed([Diagnostic(Location(self.source.display_path("").rstrip("/")), str(e))])
        except Exception as e:  # a template being edited: show where, keep serving
            return failed([render_problem(e)])
        warnings = sum(1 for d in result.diagnostics if d.severity == "warning")
        built_at = time.strftime("%H:%M:%S")
        links = [(m.unit.name, document_path(m.slug)) for m in documents] if len(html) > 1 else []
        pages = {
            slug: with_live_bar(
                page.decode("utf-8"), token, label, built_at, warnings, document_path(slug), links
            ).encode("utf-8")
            for slug, page in html.items()
        }
        return Snapshot(token, pages, 0, result, time.perf_counter() - started)

    def _forget_pages(self, changed: list[Path]) -> None:
        """A unit's page shows what its own folder holds and what the year and the tool
        hold around it (the year's files, the year before, layouts, templates): a save in
        units/<slug>/ renders that unit again, any other save every unit."""
        units = Path(os.path.abspath(self.source.root / "units"))
        for path in changed:
            path = Path(os.path.abspath(path))
            if units not in path.parents:
                self._unit_pages.clear()
                return
            self._unit_pages.pop(path.relative_to(units).parts[0], None)

    def wait(self, after: str, timeout: float) -> Snapshot:
        """The current build once its token differs from `after` (or after `timeout`)."""
        with self._changed:
            self._changed.wait_for(lambda: self.snapshot.token != after, timeout)
            return self.snapshot

    def pdf(self, slug: str) -> tuple[bytes | None, bytes]:
        """(the PDF, b"") of a document of the current build, or (None, an error page);
        built on the first request after each build."""
        snapshot = self.snapshot
        with self._pdf_lock:
            if self._pdfs.token != snapshot.token:
                self._pdfs = _Pdfs(snapshot.token)
            if slug not in self._pdfs.built:
                self._pdfs.built[slug] = self._build_pdf(snapshot, slug)
            return self._pdfs.built[slug]

    def _build_pdf(self, snapshot: Snapshot, slug: str) -> tuple[bytes | None, bytes]:
        if snapshot.result is None:
            return None, snapshot.error_page
        model = next(m for m in published_documents(snapshot.result.model) if m.slug == slug)
        try:
            rendered, problems, _unused = render_document(
                model, snapshot.result.documents, ("pdf",)
            )
        except Exception as e:  # e.g. no CJK font: say so on the page
            reason = _("cannot build the PDF: {reason}").format(reason=e)
            problems = [Diagnostic(Location("PDF"), reason)]
            rendered = {}
        if has_errors(problems) or "pdf" not in rendered:
            label = f"{self.source.label} PDF"
            return None, _problems_page(label, problems, None).encode("utf-8")
        return rendered["pdf"], b""


def _problems_page(label: str, diagnostics: list[Diagnostic], token: str | None) -> bytes:
    errors = sum(1 for d in diagnostics if d.is_error)
    title = _("{year}: {count} error(s)").format(year=label, count=errors)
    return error_page(title, diagnostics, token).encode("utf-8")


def _refresh_templates(changed: list[Path], project: ProjectLayouts | None = None) -> bool:
    """Jinja checks a template's time stamp, which can miss two saves in one clock tick, and
    stylesheets and layout manifests are read once per process: after a template or
    stylesheet was saved, drop the compiled templates and stylesheets; after a layout's
    manifest, the layouts too (only then: reading them again costs more than a rebuild).
    Any file of the project's own layouts drops both: its templates are checked when its
    layout is read. Whether anything was dropped."""
    own = [p for p in changed if project is not None and _inside(p, project.folder)]
    templates = [p for p in changed if p.suffix in (".j2", ".css") or TEMPLATES_DIR in p.parents]
    if not templates and not own:
        return False
    from ..layout.manifest import forget_layouts
    from ..render.environment import forget_templates

    forget_templates()
    if own or any(p.suffix in (".yaml", ".yml") for p in templates):
        forget_layouts()
    return True


def _inside(path: Path, folder: Path) -> bool:
    path, folder = Path(os.path.abspath(path)), Path(os.path.abspath(folder))
    return path == folder or folder in path.parents


def render_problem(error: Exception) -> Diagnostic:
    """An error while compiling or rendering, at its template line when a template raised
    it (Jinja puts template lines into the traceback)."""
    file, line = template_position(error)
    message = f"{type(error).__name__}: {error}"
    if not file:
        return Diagnostic(
            Location("disclosure"),
            _("internal error: {error} (please report it)").format(error=message),
        )
    return Diagnostic(Location(_shown(file), line), message)


def _shown(file: str) -> str:
    """A path relative to the current folder when it is inside it, as messages name files."""
    relative = os.path.relpath(os.path.abspath(file))
    return file if relative.startswith("..") else relative
