"""`disclosure new-year YEAR --layout NAME`: a first year from a layout's skeleton (the
command itself is in review.py, beside new-year from an earlier year)."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from ..edit.newyear import NewYearError, earlier_budget_years
from ..edit.skeleton import FINAL_KINDS, start_from_layout
from ..i18n import _
from ..input.sources import WorkingTreeYear
from ..layout.manifest import available_layouts, load_layout
from ..layout.specs import Layout, ProjectLayoutError
from .common import DATA_ERRORS, default_format, print_diagnostics


def first_year(year: int, name: str, data_dir: Path) -> None:
    earlier = earlier_budget_years(data_dir, year)
    if earlier:  # its figures are the new year's baseline: typed again, they would clash
        raise NewYearError(
            _(
                "{folder} already holds {earlier}: start {year} from it with `disclosure "
                "new-year {year}` (--layout is for a first year, with no year before it)"
            ).format(folder=data_dir, earlier=earlier[-1], year=year)
        )
    project = WorkingTreeYear(data_dir, year).project_layouts()
    own = project.names() if project is not None else []
    if name not in available_layouts() + own:
        known = budget_layouts() + own
        raise NewYearError(
            _(
                "there is no layout named {name}; the layouts a year can start from are: {known}"
            ).format(name=name, known="、".join(known))
        )
    try:
        layout = load_layout(name, project)
    except ProjectLayoutError as e:  # the project's own layout is data: each problem at its line
        print_diagnostics(e.diagnostics, default_format())
        sys.exit(DATA_ERRORS)
    if is_final(layout):
        raise NewYearError(
            _(
                "the layout {layout} is for final accounts (决算); a first year's skeleton is "
                "a budget's: name a budget layout"
            ).format(layout=name)
        )
    made = start_from_layout(data_dir, year, layout)
    click.echo(
        _("wrote {count} files into {folder} for the layout {layout}:").format(
            count=len(made.files), folder=made.target, layout=made.layout
        )
    )
    for file in made.files:
        click.echo(f"  {made.target}/{file}")
    click.echo(
        _(
            "next: fill in every empty value under its comment (the comment says what goes "
            "there and in which unit), then run `disclosure validate {year}`: it lists what "
            "is still to fill, file by file, until it says the year is valid"
        ).format(year=year)
    )


def budget_layouts() -> list[str]:
    """The tool's layouts of a budget (a final accounts' year starts otherwise)."""
    return [name for name in available_layouts() if not is_final(load_layout(name))]


def is_final(layout: Layout) -> bool:
    return any(kind in FINAL_KINDS for s in layout.all_sections() for kind in s.files)
