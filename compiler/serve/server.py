"""`disclosure serve`: a live preview of a year's web edition while its files are edited.

A watcher (watchfiles) sees each saved data file, template or stylesheet (the tool's, and
those of the project's own layouts/ beside the data folder); the year is
built again (preview.Preview) and the open page, which waits on /_live, reloads itself.
The server listens on 127.0.0.1 only: the preview is for the person at this machine.
"""

from __future__ import annotations

import json
import re
import threading
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlparse

from ..i18n import _, document_name
from ..input.sources import SourceError, WorkingTreeYear
from ..paths import TEMPLATES_DIR
from .preview import Preview

HOST = "127.0.0.1"
# The year's document at /, a department's unit at /units/<slug>/; each with its PDF.
_DOCUMENT = re.compile(
    r"^/(?:units/(?P<slug>[a-z0-9-]+)/)?(?P<file>|index\.html|disclosure\.html|disclosure\.pdf)$"
)
WATCHED = {".yaml", ".yml", ".j2", ".css"}
LONG_POLL_SECONDS = 25


class _Handler(BaseHTTPRequestHandler):
    preview: Preview  # set on the subclass made by `serve`

    def do_GET(self) -> None:  # noqa: N802 - http.server's name
        url = urlparse(self.path)
        port = self.server.server_address[1]
        if self.headers.get("Host") not in (f"{HOST}:{port}", f"localhost:{port}"):
            # A web page elsewhere could point a name of its own at 127.0.0.1 (DNS
            # rebinding) and read the preview; only requests for this address are served.
            body = _("wrong host: open the address `disclosure serve` printed") + "\n"
            self._send(HTTPStatus.MISDIRECTED_REQUEST, "text/plain; charset=utf-8", body.encode())
        elif url.path == "/_live":
            after = parse_qs(url.query).get("after", [""])[0]
            snapshot = self.preview.wait(after, LONG_POLL_SECONDS)
            body = json.dumps({"token": snapshot.token}).encode()
            self._send(HTTPStatus.OK, "application/json", body)
        elif (found := _DOCUMENT.match(url.path)) and self._exists(found["slug"] or ""):
            slug = found["slug"] or ""
            if found["file"] == "disclosure.pdf":
                pdf, problem = self.preview.pdf(slug)
                if pdf is None:
                    self._send(HTTPStatus.CONFLICT, "text/html; charset=utf-8", problem)
                else:
                    self._send(HTTPStatus.OK, "application/pdf", pdf)
            else:
                page = self.preview.snapshot.page(slug)
                self._send(HTTPStatus.OK, "text/html; charset=utf-8", page)
        else:
            body = _("not found: the preview shows the year at / (and its units at /units/…/)")
            self._send(HTTPStatus.NOT_FOUND, "text/plain; charset=utf-8", (body + "\n").encode())

    def _exists(self, slug: str) -> bool:
        """A document of this build (any path shows the error page while there are errors)."""
        return self.preview.snapshot.page(slug) is not None

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
            raise OSError(
                _("cannot watch {folders}: {error}").format(
                    folders=_(", ").join(map(str, self.watch)), error=self.watch_error
                )
            )
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
            rust_timeout=50,
            yield_on_timeout=True,
            raise_interrupt=False,
        ):
            self.watching.set()
            if not changes:
                continue
            changed = sorted({Path(path) for _, path in changes})
            snapshot = self.preview.rebuild(changed)
            if self.on_build is not None:
                try:
                    self.on_build(snapshot, changed)
                except OSError:  # the terminal went away (a closed pipe): keep serving
                    pass

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
        raise SourceError(
            _("no data for {year} (looked in {folder})").format(
                year=document_name(str(year)), folder=source.display_path("")
            )
        )
    watch = [data_dir, TEMPLATES_DIR]
    layouts = source.project_layouts()
    if layouts is not None:  # the project's own layouts (a layouts/ made later: restart)
        watch.append(layouts.folder)
    return PreviewServer(Preview(source), port, watch)
