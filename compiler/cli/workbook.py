"""`disclosure import`: a workbook of the statutory tables → the year's lines.yaml.

Kept apart from cli.py so that `validate` and `build` never import the workbook reader.
"""

from __future__ import annotations

import sys
from pathlib import Path

import click

from ..edit.importer import read_workbook, to_yaml
from ..i18n import N_, _
from ..paths import schema_hint
from ..publish.output import write_atomic
from .common import DATA_ERRORS, Trouble, data_option


@click.command(
    "import",
    short_help=N_("Read the statutory tables from a workbook"),
    help=N_(
        "Read WORKBOOK (the statutory tables as the budget system exports them, or as "
        "`build --format xlsx` writes them) and write DATA/YEAR/lines.yaml.\n\n"
        "Every table is checked: each row against its columns, each 类, 款 and 合计 row "
        "against the rows under it, codes and names against the year's catalogue, and every "
        "figure two tables show against each other. Problems are listed by sheet and cell "
        "(表5!C12) with both figures; nothing is written unless there is none."
    ),
)
@click.argument("workbook", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option(
    "--year",
    type=click.IntRange(1990, 2999),
    required=True,
    help=N_("The year the lines are for."),
)
@data_option
@click.option("--replace", is_flag=True, help=N_("Overwrite an existing lines.yaml."))
def import_workbook(workbook: Path, year: int, data_dir: Path, replace: bool) -> None:
    imported = read_workbook(workbook, year)
    for problem in imported.problems:
        click.echo(problem.format_text(), err=True)
    errors = sum(1 for p in imported.problems if p.is_error)
    if errors:
        click.echo(
            _("{workbook}: {errors} error(s); nothing written").format(
                workbook=workbook, errors=errors
            ),
            err=True,
        )
        sys.exit(DATA_ERRORS)
    target = data_dir / str(year) / "lines.yaml"
    if target.exists() and not replace:
        raise Trouble(
            _("{file} exists; add --replace to overwrite it (git keeps the old one)").format(
                file=target
            )
        )
    hint = schema_hint("lines", target, "lines.yaml")
    write_atomic(target, to_yaml(imported, hint).encode("utf-8"))
    click.echo(
        _(
            "wrote {file}: {function} function lines, {economic} economic lines (from {sheets})"
        ).format(
            file=target,
            function=len(imported.function),
            economic=len(imported.economic),
            sheets=_(", ").join(imported.sheets.values()),
        )
    )
