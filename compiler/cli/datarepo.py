"""`disclosure init` and `disclosure schemas`: a data repository apart from the tool
(registered on `disclosure` lazily)."""

from __future__ import annotations

import sys
from datetime import date
from pathlib import Path

import click

from ..diagnostics import Diagnostic, Location
from ..i18n import N_, _
from .common import DATA_ERRORS


@click.command(
    "init",
    short_help=N_("Create a repository holding only data, pinned to this tool"),
    help=N_(
        "Write a new data repository into TARGET: data/, schemas/, requirements.txt (the pinned "
        "tool), a README in Chinese, GitHub workflows and a .gitlab-ci.yml."
    ),
)
@click.argument("target", type=click.Path(file_okay=False, path_type=Path))
@click.option(
    "--tool",
    "requirement",
    metavar="REQUIREMENT",
    help=N_(
        "The pinned tool the repository's CI installs, as a pip requirement: by default this "
        "version from the package index (disclosure-compiler==X.Y.Z); or a release's wheel, "
        '"disclosure-compiler @ https://…/disclosure_compiler-X.Y.Z-py3-none-any.whl".'
    ),
)
@click.option(
    "--data",
    "data_dir",
    type=click.Path(file_okay=False, exists=True, path_type=Path),
    help=N_(
        "Copy the years of this data folder into the new repository's data/ (their schema "
        "modelines set for it); without it data/ starts empty."
    ),
)
@click.option(
    "--bureau",
    "shards",
    type=click.IntRange(2, 64),
    metavar="JOBS",
    help=N_(
        "For a department with many units: its GitHub and GitLab pipelines lay out the "
        "department's PDF parts in JOBS jobs at once (a CI matrix, `disclosure parts`), and the "
        "publish job joins them (see docs/publishing.md)."
    ),
)
def init(target: Path, requirement: str | None, data_dir: Path | None, shards: int | None) -> None:
    from ..publish.datarepo import default_requirement
    from ..publish.datarepo import init as write

    created = write(target, requirement or default_requirement(), data_dir, shards)
    if requirement is None:
        # The name alone installs whatever a package index offers under it: say where it
        # must come from before the repository's first CI run fails or fetches another one.
        click.echo(
            _(
                "note, to pass on to your IT staff: the repository's checks install the "
                "disclosure tool {requirement} (named in requirements.txt) from a Python "
                "package index. Before the first merge request, IT must make sure the index "
                "the bureau uses (PyPI or its own mirror) offers this release; if it does not, "
                "IT gives the web address of the release's wheel file, to be written as the "
                "last line of {target}/requirements.txt in place of {requirement}"
            ).format(requirement=default_requirement(), target=target),
            err=True,
        )
    years = ", ".join(map(str, created.years)) or _("none yet")
    click.echo(
        _("wrote {count} files into {folder}/ (years: {years})").format(
            count=len(created.files), folder=target, years=years
        )
    )
    click.echo(
        _("next: {commands}").format(
            commands=f"cd {target} && git init && git add . && git commit -m 初始化"
        )
    )
    if not created.years:  # nothing to start the next year from: a layout's skeleton
        from .skeleton import budget_layouts

        click.echo(
            _(
                "then start the first year in the layout the unit publishes in, e.g. "
                "`disclosure new-year {year} --layout hebei-unit` (the layouts: {layouts})"
            ).format(year=date.today().year, layouts="、".join(budget_layouts()))
        )


@click.command(
    "schemas",
    short_help=N_("Write this tool version's data schemas into a folder"),
    help=N_(
        "Write this tool version's JSON Schemas into OUT, where the data files' modelines point "
        "editors (../../schemas/<kind>.schema.json from data/<year>/)."
    ),
)
@click.option(
    "--out",
    "folder",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path("schemas"),
    show_default=True,
    help=N_("The data repository's schemas folder."),
)
@click.option(
    "--check",
    is_flag=True,
    help=N_(
        "Write nothing; exit 1 if the folder lacks a schema of this tool version or holds "
        "another version of one."
    ),
)
def schemas(folder: Path, check: bool) -> None:
    from ..publish.datarepo import schema_files, stale_schemas, tool_version
    from ..publish.output import write_all

    stale = stale_schemas(folder)
    current = tool_version()
    if check:
        for name in stale:
            if (folder / name).is_file():
                message = _(
                    "differs from disclosure-compiler {version}'s (run `disclosure schemas` and "
                    "commit it)"
                )
            else:
                message = _(
                    "missing: disclosure-compiler {version} has this schema (run `disclosure "
                    "schemas` and commit it)"
                )
            problem = Diagnostic(Location(str(folder / name)), message.format(version=current))
            click.echo(problem.format_text(), err=True)
        if stale:
            sys.exit(DATA_ERRORS)
        click.echo(
            _("{folder}/: the schemas of disclosure-compiler {version}").format(
                folder=folder, version=current
            ),
            err=True,
        )
        return
    write_all(schema_files(folder))
    click.echo(
        _("wrote {count} changed schema(s) into {folder}/ (disclosure-compiler {version})").format(
            count=len(stale), folder=folder, version=current
        )
    )
