"""`disclosure import` of a 决算 workbook: the checks' problems printed, then the files of
DATA/YEAR/final/ written, all or none."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from ..edit.final_budget import against_budget, year_budget
from ..edit.final_import import read_final_book
from ..edit.final_write import existing_problems, final_files
from ..i18n import _
from ..publish.output import replace_together
from .common import DATA_ERRORS, Trouble


def report(problems, workbook: Path) -> None:
    """Print the problems; with an error among them, say nothing is written and exit 1."""
    for problem in problems:
        click.echo(problem.format_text(), err=True)
    errors = sum(1 for p in problems if p.is_error)
    if errors:
        click.echo(
            _("{workbook}: {errors} error(s); nothing written").format(
                workbook=workbook, errors=errors
            ),
            err=True,
        )
        sys.exit(DATA_ERRORS)


def import_final(book, workbook: Path, year: int, data_dir: Path, replace: bool) -> None:
    imported = read_final_book(book, workbook, year)
    has_budget = False
    if not any(p.is_error for p in imported.problems):
        has_budget, budget, problems = year_budget(data_dir, year)
        imported.problems += problems
        if budget is not None:
            where = str(data_dir / str(year) / "three-public.yaml")
            imported.problems += against_budget(imported, budget, where)
    if not any(p.is_error for p in imported.problems):
        imported.problems += existing_problems(imported, data_dir, year, has_budget)
    report(imported.problems, workbook)
    files = final_files(imported, data_dir, year, has_budget)
    changed = [
        path
        for path, text in files.items()
        if path.exists() and path.read_text(encoding="utf-8") != text
    ]
    if changed and not replace:
        raise Trouble(
            _("{file} exists; add --replace to overwrite it (git keeps the old one)").format(
                file=_("、").join(str(p) for p in changed)
            )
        )
    replace_together({path: text.encode("utf-8") for path, text in files.items()})
    click.echo(
        _(
            "wrote {files}: {income} income lines, {spending} spending lines, {economic} "
            "economic lines (from {sheets})"
        ).format(
            files=_("、").join(str(p) for p in files),
            income=len(imported.income),
            spending=len(imported.spending),
            economic=len(imported.economic),
            sheets=_(", ").join(imported.sheets.values()),
        )
    )
