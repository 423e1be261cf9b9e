"""`disclosure import`: a workbook of the statutory tables → the year's lines.yaml.

Kept apart from cli.py so that `validate` and `build` never import the workbook reader.
"""

from __future__ import annotations

from pathlib import Path

import click

from ..edit.final_import import is_final
from ..edit.import_tables import open_workbook
from ..edit.importer import read_budget_book, to_yaml
from ..i18n import N_, _
from ..paths import schema_hint
from ..publish.output import write_atomic
from .common import Trouble, data_option
from .workbook_final import import_final, report


@click.command(
    "import",
    short_help=N_("Read the statutory tables from a workbook"),
    help=N_(
        "Read WORKBOOK (the statutory tables as the budget system exports them, or as "
        "`build --format xlsx` writes them) and write DATA/YEAR/lines.yaml.\n\n"
        "Every table is checked: each row against its columns, each 类, 款 and 合计 row "
        "against the rows under it, codes and names against the year's catalogue, and every "
        "figure two tables show against each other. Problems are listed by sheet and cell "
        "(表5!C12) with both figures; nothing is written unless there is none.\n\n"
        "A workbook of the nine 决算 tables (final accounts) writes DATA/YEAR/final/"
        "outturn.yaml, and the “三公” 决算数 into final-notes.yaml; its 预算数 must agree "
        "with the year's budget, or go into initial-budget.yaml where the repository has "
        "none."
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
@click.option(
    "--final",
    is_flag=True,
    help=N_(
        "The workbook holds final accounts (决算) and writes DATA/YEAR/final/; found from "
        "the sheets' titles (…决算表) without it."
    ),
)
@click.option(
    "--replace", is_flag=True, help=N_("Overwrite an existing lines.yaml (final/outturn.yaml).")
)
def import_workbook(workbook: Path, year: int, data_dir: Path, final: bool, replace: bool) -> None:
    book = open_workbook(workbook)
    if final or is_final(book):
        import_final(book, workbook, year, data_dir, replace)
        return
    imported = read_budget_book(book, workbook, year)
    report(imported.problems, workbook)
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
