"""`disclosure serve`: a live preview of a year's web edition while its files are edited.

A watcher (watchfiles) sees each saved data file, template or stylesheet, the year is
compiled again and the open page reloads itself (serve_pages). Only the saved file is read
again (DocumentCache). The PDF is built when asked for, once per build. The server listens
on 127.0.0.1 only: the preview is for the person at this machine.
"""

from __future__ import annotations

import json
import os
import secrets
import threading
import time
import traceback
from collections.abc import Iterable
from dataclasses import dataclass
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlparse

from .build import render_year
from .diagnostics import Diagnostic, Location, has_errors
from .doccache import DocumentCache
from .paths import TEMPLATES_DIR
from .pipeline import YearResult, compile_year
from .serve_pages import error_page, with_live_bar
from .sources import SourceError, WorkingTreeYear

HOST = "127.0.0.1"
WATCHED = {".yaml", ".yml", ".j2", ".css"}
LONG_POLL_SECONDS = 25


@dataclass(frozen=True)
class Snapshot:
    """One build: the page to show and, when the data is valid, what the PDF is made from."""

    token: str  # changes with every build; the page reloads when it does
    page: bytes
    errors: int
    result: YearResult | None
    seconds: float


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
        self._pdf: tuple[str, bytes | None, bytes] | None = None  # (token, pdf, error page)
        self.snapshot: Snapshot | None = None  # the first build is made by PreviewServer.start

    def rebuild(self, changed: Iterable[Path] = ()) -> Snapshot:
        with self._building:  # one build at a time, so tokens follow the order of builds
            return self._rebuild(list(changed))

    def _rebuild(self, changed: list[Path]) -> Snapshot:
        for path in changed:
            self.cache.forget(path)
        _refresh_templates(changed)
        started = time.perf_counter()
        token = f"{self._boot}-{self._generation + 1}"
        page, result, errors = self._page(token)
        seconds = time.perf_counter() - started
        snapshot = Snapshot(token, page.encode("utf-8"), errors, result, seconds)
        with self._changed:
            self._generation += 1
            self.snapshot = snapshot
            self._changed.notify_all()
        return snapshot

    def _page(self, token: str) -> tuple[str, YearResult | None, int]:
        """The page of this build, the compiled year if valid, and the number of errors."""
        label = self.source.label
        try:
            result = compile_year(self.source, cache=self.cache)
            if not result.ok:
                errors = sum(1 for d in result.diagnostics if d.is_error)
                return _problems_page(label, result.diagnostics, token), None, errors
            rendered, _, _ = render_year(result, ("html",))
        except SourceError as e:  # the year's folder was removed or renamed
            where = Location(self.source.display_path("").rstrip("/"))
            return _problems_page(label, [Diagnostic(where, str(e))], token), None, 1
        except Exception as e:  # a template being edited: show where, keep serving
            return _problems_page(label, [render_problem(e)], token), None, 1
        warnings = sum(1 for d in result.diagnostics if not d.is_error)
        built_at = time.strftime("%H:%M:%S")
        page = with_live_bar(rendered["html"].decode("utf-8"), token, label, built_at, warnings)
        return page, result, 0

    def wait(self, after: str, timeout: float) -> Snapshot:
        """The current build once its token differs from `after` (or after `timeout`)."""
        with self._changed:
            self._changed.wait_for(lambda: self.snapshot.token != after, timeout)
            return self.snapshot

    def pdf(self) -> tuple[bytes | None, bytes]:
        """(the PDF, None) of the current build, or (None, an error page); built once per
        build, on the first request."""
        snapshot = self.snapshot
        with self._pdf_lock:
            if self._pdf is None or self._pdf[0] != snapshot.token:
                self._pdf = (snapshot.token, *self._build_pdf(snapshot))
            return self._pdf[1], self._pdf[2]

    def _build_pdf(self, snapshot: Snapshot) -> tuple[bytes | None, bytes]:
        label = self.source.label
        if snapshot.result is None:
            return None, snapshot.page
        try:
            rendered, problems, _ = render_year(snapshot.result, ("pdf",))
        except Exception as e:  # e.g. no CJK font: say so on the page
            problems = [Diagnostic(Location("PDF"), f"cannot build the PDF: {e}")]
            rendered = {}
        if has_errors(problems) or "pdf" not in rendered:
            return None, _problems_page(f"{label} PDF", problems, None).encode("utf-8")
        return rendered["pdf"], b""


def _problems_page(label: str, diagnostics: list[Diagnostic], token: str | None) -> str:
    errors = sum(1 for d in diagnostics if d.is_error)
    return error_page(f"{label}: {errors} error(s)", diagnostics, token)


def _refresh_templates(changed: list[Path]) -> None:
    """Jinja checks a template's time stamp, which can miss two saves in one clock tick, and
    the stylesheet is read once per process: drop both when a template file changed."""
    if not any(path.suffix in (".j2", ".css") for path in changed):
        return
    from .render.environment import css_text, environment

    css_text.cache_clear()
    for kind in ("html", "md"):
        environment(kind).cache.clear()


def render_problem(error: Exception) -> Diagnostic:
    """An error while compiling or rendering, at its template line when a template raised
    it (Jinja puts template lines into the traceback)."""
    file = getattr(error, "filename", None)
    line = getattr(error, "lineno", None) or 0
    if not file:
        for frame in reversed(traceback.extract_tb(error.__traceback__)):
            if frame.filename.endswith(".j2"):
                file, line = frame.filename, frame.lineno or 0
                break
    message = f"{type(error).__name__}: {error}"
    if not file:
        return Diagnostic(Location("disclosure"), f"internal error: {message} (please report it)")
    return Diagnostic(Location(_shown(file), line), message)


def _shown(file: str) -> str:
    """A path relative to the current folder when it is inside it, as messages name files."""
    relative = os.path.relpath(os.path.abspath(file))
    return file if relative.startswith("..") else relative


class _Handler(BaseHTTPRequestHandler):
    preview: Preview  # set on the subclass made by `serve`

    def do_GET(self) -> None:  # noqa: N802 - http.server's name
        url = urlparse(self.path)
        port = self.server.server_address[1]
        if self.headers.get("Host") not in (f"{HOST}:{port}", f"localhost:{port}"):
            # A web page elsewhere could point a name of its own at 127.0.0.1 (DNS
            # rebinding) and read the preview; only requests for this address are served.
            self._send(HTTPStatus.MISDIRECTED_REQUEST, "text/plain", b"wrong host\n")
        elif url.path in ("/", "/index.html", "/disclosure.html"):
            self._send(HTTPStatus.OK, "text/html; charset=utf-8", self.preview.snapshot.page)
        elif url.path == "/_live":
            after = parse_qs(url.query).get("after", [""])[0]
            snapshot = self.preview.wait(after, LONG_POLL_SECONDS)
            body = json.dumps({"token": snapshot.token}).encode()
            self._send(HTTPStatus.OK, "application/json", body)
        elif url.path == "/disclosure.pdf":
            pdf, problem = self.preview.pdf()
            if pdf is None:
                self._send(HTTPStatus.CONFLICT, "text/html; charset=utf-8", problem)
            else:
                self._send(HTTPStatus.OK, "application/pdf", pdf)
        else:
            self._send(HTTPStatus.NOT_FOUND, "text/plain; charset=utf-8", b"not found\n")

    def _send(self, status: HTTPStatus, kind: str, body: bytes) -> None:
        self.send_response(status)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        try:
            self.wfile.write(body)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the page was closed or reloaded meanwhile

    def log_message(self, format, *args) -> None:  # noqa: A002 - http.server's name
        pass  # the terminal shows builds, not every request


class PreviewServer:
    """The HTTP server and the watcher of one preview; `start` runs both in threads."""

    def __init__(self, preview: Preview, port: int, watch: list[Path]) -> None:
        handler = type("Handler", (_Handler,), {"preview": preview})
        self.preview = preview
        self.httpd = ThreadingHTTPServer((HOST, port), handler)
        self.httpd.daemon_threads = True  # open long polls do not hold up stopping
        self.watch = watch
        self.stopping = threading.Event()
        self.watching = threading.Event()
        self.watch_error: Exception | None = None
        self.on_build = None  # called with (snapshot, changed paths) after each rebuild
        self._threads: list[threading.Thread] = []
        self._serving = False

    @property
    def url(self) -> str:
        return f"http://{HOST}:{self.httpd.server_address[1]}/"

    def start(self) -> None:
        """Watch, then build, then serve: a file saved while starting is never missed."""
        self._thread(self._watch)
        if not self.watching.wait(timeout=30) or self.watch_error is not None:
            self.stop()
            raise OSError(f"cannot watch {', '.join(map(str, self.watch))}: {self.watch_error}")
        self.preview.rebuild()
        self._thread(self.httpd.serve_forever)
        self._serving = True

    def _thread(self, target) -> None:
        thread = threading.Thread(target=target, daemon=True)
        thread.start()
        self._threads.append(thread)

    def _watch(self) -> None:
        try:
            self._watch_files()
        except Exception as e:  # e.g. the system's limit of watched folders: `start` says so
            self.watch_error = e
            self.watching.set()

    def _watch_files(self) -> None:
        import watchfiles  # imported here: `validate` and `build` never need it

        def relevant(change: watchfiles.Change, path: str) -> bool:
            # no suffix: a folder (a year or projects/) created, removed or renamed
            return Path(path).suffix in WATCHED or not Path(path).suffix

        folders = [str(p) for p in self.watch if p.is_dir()]
        # The watcher says nothing when it is ready; its first time-out (no change within
        # rust_timeout) comes once it is, which is when `start` may build.
        for changes in watchfiles.watch(
            *folders,
            watch_filter=relevant,
            stop_event=self.stopping,
            debounce=400,
            step=30,
            rust_timeout=100,
            yield_on_timeout=True,
            raise_interrupt=False,
        ):
            self.watching.set()
            if not changes:
                continue
            changed = sorted({Path(path) for _, path in changes})
            snapshot = self.preview.rebuild(changed)
            if self.on_build is not None:
                self.on_build(snapshot, changed)

    def stop(self) -> None:
        self.stopping.set()
        if self._serving:  # shutdown() waits for serve_forever, forever if it never ran
            self.httpd.shutdown()
        self.httpd.server_close()
        for thread in self._threads:
            thread.join(timeout=5)


def preview_server(data_dir: Path, year: int, port: int) -> PreviewServer:
    """A server for `year` under `data_dir`; `start` builds the year and serves it."""
    source = WorkingTreeYear(data_dir, year)
    if not source.exists():
        raise SourceError(f"no data for {year} (looked in {source.display_path('')})")
    return PreviewServer(Preview(source), port, [data_dir, TEMPLATES_DIR])
