"""What every `disclosure` command shares: exit statuses, the trouble exception, --data.

Its own module so that command.py and the commands' modules (review.py, …) all import it
without importing each other (command.py registers their commands).
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import click

from .. import errors
from ..characters import visible
from ..i18n import N_

OK = 0
DATA_ERRORS = 1  # for diff: the two sides differ
TROUBLE = 2


class Trouble(click.ClickException, errors.Trouble):
    """Usage trouble or a problem outside the data, as click shows it: exit status 2. The
    command group turns every other `errors.Trouble` into one of these."""

    exit_code = TROUBLE

    def format_message(self) -> str:
        # It may quote a file name or a value from a pull request: show, never obey.
        return visible(self.message.replace("\n", "↵"), keep="")


data_option = click.option(
    "--data",
    "data_dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path("data"),
    show_default=True,
    metavar=N_("FOLDER"),
    help=N_("Folder holding one folder per year (and, for YEAR@REV, inside a git repository)."),
)


def out_option(default: str, help: str):
    """--out: the folder a command writes to."""
    return click.option(
        "--out",
        "out_dir",
        type=click.Path(file_okay=False, path_type=Path),
        default=Path(default),
        show_default=True,
        metavar=N_("FOLDER"),
        help=help,
    )


def print_diagnostics(diagnostics: list, fmt: str) -> None:
    """GitHub annotations on stdout; else the text form on stderr (for `gitlab`, the job
    log's copy of what the report on stdout says). One line per cause (the same message in
    several files once, naming them); at most a hundred per file."""
    from ..diagnostics import capped_per_file, grouped

    for d in capped_per_file(grouped(diagnostics)):
        line = d.format_github() if fmt == "github" else d.format_text()
        click.echo(line, err=fmt != "github")


def default_format() -> str:
    """Annotations on a GitHub runner, text elsewhere."""
    return "github" if os.environ.get("GITHUB_ACTIONS") == "true" else "text"


parts_from_option = click.option(
    "--parts-from",
    "parts_from",
    type=click.Path(file_okay=False, exists=True, path_type=Path),
    default=None,
    metavar=N_("FOLDER"),
    help=N_(
        "A folder of a department's PDF parts laid out by `disclosure parts` (the jobs of a CI "
        "matrix, their folders merged): parts found there are joined, not laid out again."
    ),
)


@contextmanager
def taking_parts_from(folder: Path | None) -> Iterator[None]:
    """Within this block the build looks for parts in `folder` first (through the
    environment, which the build's own processes inherit)."""
    from ..publish.pdf_parts import PARTS_FROM

    if folder is None:
        yield
        return
    before = os.environ.get(PARTS_FROM)
    os.environ[PARTS_FROM] = str(folder.resolve())
    try:
        yield
    finally:
        if before is None:
            del os.environ[PARTS_FROM]
        else:
            os.environ[PARTS_FROM] = before
