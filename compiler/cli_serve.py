"""`disclosure serve`: the live preview's command (the server itself is in serve.py)."""

from __future__ import annotations

import errno
import time
from pathlib import Path

import click

from .cli_common import Trouble, data_option
from .paths import YEAR_DIR
from .sources import available_years


@click.command("serve")
@click.argument("year", required=False)
@data_option
@click.option(
    "--port",
    type=click.IntRange(0, 65535),
    default=8000,
    show_default=True,
    help="Port on 127.0.0.1 (0: any free port).",
)
def serve(year: str | None, data_dir: Path, port: int) -> None:
    """Preview YEAR (default: the latest) at http://127.0.0.1:PORT/ while you edit it.

    Every saved data file, template or stylesheet rebuilds the web edition and the open
    page reloads itself; data errors replace the page with each problem at its file and
    line, until they are fixed. The PDF is one click away (built when asked for).
    Only this machine can open the page. Ctrl+C stops.
    """
    from .serve import preview_server

    chosen = _year(data_dir, year)
    started = time.perf_counter()
    try:
        server = preview_server(data_dir, chosen, port)
    except OSError as e:
        if e.errno == errno.EADDRINUSE:
            raise Trouble(f"port {port} on 127.0.0.1 is in use: choose another with --port") from e
        raise
    server.on_build = _report
    server.start()
    first, seconds = server.preview.snapshot, time.perf_counter() - started
    click.echo(f"serving {chosen} at {server.url} ({_state(first)}; ready in {seconds:.2f} s)")
    click.echo("open it in a browser; each saved file rebuilds the page; Ctrl+C stops")
    try:
        while not server.stopping.wait(1):
            if server.watch_error is not None:
                raise Trouble(f"stopped watching the files: {server.watch_error}")
    except KeyboardInterrupt:
        pass
    finally:
        server.stop()
    click.echo("stopped")


def _year(data_dir: Path, year: str | None) -> int:
    if year is None:
        found = available_years(data_dir)
        if not found:
            raise Trouble(
                f"no years found under {data_dir}/ (expected folders like {data_dir}/2022)"
            )
        return found[-1]
    if not YEAR_DIR.match(year.strip()):
        raise Trouble(
            f"'{year}' is not a year: serve shows a year of the working tree, e.g. 2022 "
            "(a git revision never changes, so there is nothing to preview live)"
        )
    return int(year)


def _state(snapshot) -> str:
    return "valid" if not snapshot.errors else f"{snapshot.errors} error(s), shown on the page"


def _report(snapshot, changed: list[Path]) -> None:
    names = ", ".join(sorted({p.name for p in changed}))
    click.echo(
        f"{time.strftime('%H:%M:%S')} rebuilt in {snapshot.seconds:.2f} s after {names}: "
        f"{_state(snapshot)}"
    )
