"""`disclosure serve`: the live preview's command (the server itself is in serve/server.py)."""

from __future__ import annotations

import errno
import time
from pathlib import Path

import click

from ..i18n import N_, _, document_name
from ..input.sources import available_years
from ..input.yearnames import check_year_folders
from ..paths import YEAR_DIR
from .common import Trouble, data_option


@click.command(
    "serve",
    short_help=N_("Preview a year in the browser while editing"),
    help=N_(
        "Preview YEAR (default: the latest) at http://127.0.0.1:PORT/ while you edit it.\n\n"
        "Every saved data file, template or stylesheet rebuilds the web edition and the open "
        "page reloads itself; data errors replace the page with each problem at its file and "
        "line, until they are fixed. The PDF is one click away (built when asked for). Only "
        "this machine can open the page. Ctrl+C stops."
    ),
)
@click.argument("year", required=False)
@data_option
@click.option(
    "--port",
    type=click.IntRange(0, 65535),
    default=8000,
    show_default=True,
    help=N_("Port on 127.0.0.1 (0: any free port)."),
)
def serve(year: str | None, data_dir: Path, port: int) -> None:
    from ..serve.server import preview_server

    chosen = _year(data_dir, year)
    started = time.perf_counter()
    try:
        server = preview_server(data_dir, chosen, port)
    except OSError as e:
        if e.errno == errno.EADDRINUSE:
            raise Trouble(
                _("port {port} on 127.0.0.1 is in use: choose another with --port").format(
                    port=port
                )
            ) from e
        raise
    server.on_build = _report
    # Ctrl+C stops the server cleanly at any moment, the first build included (a user may
    # press it while the first lines are still being written).
    try:
        server.start()
        first, seconds = server.preview.snapshot, time.perf_counter() - started
        click.echo(
            _("serving {year} at {url} ({state}; ready in {seconds} s)").format(
                year=document_name(str(chosen)),
                url=server.url,
                state=_state(first),
                seconds=f"{seconds:.2f}",
            )
        )
        click.echo(_("open it in a browser; each saved file rebuilds the page; Ctrl+C stops"))
        while not server.stopping.wait(1):
            if server.watch_error is not None:
                raise Trouble(
                    _("stopped watching the files: {error}").format(error=server.watch_error)
                )
    except KeyboardInterrupt:
        pass
    finally:
        server.stop()
    click.echo(_("stopped"))


def _year(data_dir: Path, year: str | None) -> int:
    if year is None:
        found = available_years(data_dir)
        if not found:
            raise Trouble(
                _("no years found under {folder}/ (expected folders like {folder}/2022)").format(
                    folder=data_dir
                )
            )
        return found[-1]
    check_year_folders(data_dir)  # a misnamed year is an error here too
    if not YEAR_DIR.match(year.strip()):
        raise Trouble(
            _(
                "'{year}' is not a year: serve shows a year of the working tree, e.g. 2022 "
                "(a git revision never changes, so there is nothing to preview live)"
            ).format(year=year)
        )
    return int(year)


def _state(snapshot) -> str:
    if not snapshot.errors:
        return _("valid")
    return _("{count} error(s), shown on the page").format(count=snapshot.errors)


def _report(snapshot, changed: list[Path]) -> None:
    names = _(", ").join(sorted({p.name for p in changed}))
    click.echo(
        _("{time} rebuilt in {seconds} s after {files}: {state}").format(
            time=time.strftime("%H:%M:%S"),
            seconds=f"{snapshot.seconds:.2f}",
            files=names,
            state=_state(snapshot),
        )
    )
