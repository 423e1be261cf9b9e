"""The reviewer's commands: `diff`, `new-year` and `textconv` (registered on `disclosure`).

Exit status as elsewhere: diff exits 0 when the two sides are the same, 1 when they differ
(as diff(1) does), 2 on trouble — a missing year, a bad revision, data errors on either side.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

import click

from ..diagnostics import Diagnostic
from ..edit.newyear import NewYearError, default_from_year, start_year, summary
from ..edit.newyear_final import final_summary, start_final_year
from ..i18n import N_, _, document_name
from ..input.sources import WorkingTreeYear, parse_year_spec
from ..model.disclosure import Disclosure
from ..pipeline.year import YearResult, compile_year
from ..review.diff import diff_models
from ..review.diff_format import FORMATS, render
from ..review.textconv import one_fact_a_line
from .common import DATA_ERRORS, OK, Trouble, data_option

SAME, DIFFERENT = OK, DATA_ERRORS


def _print_problems(diagnostics: list[Diagnostic]) -> None:
    for d in diagnostics:
        click.echo(d.format_text(), err=True)


def load_model(spec: str, data_dir: Path) -> tuple[str, Disclosure]:
    """The computed model of YEAR or YEAR@REV; Trouble (after its errors) if it has none.
    A year or revision that cannot be read raises SourceError: `disclosure` reports it
    as trouble (exit 2) for every command."""
    result = _compiled(spec, data_dir)
    return result.source.label, result.model


def _compiled(spec: str, data_dir: Path) -> YearResult:
    source = parse_year_spec(spec, data_dir)
    result = compile_year(source)
    if not result.ok:
        _print_problems([d for d in result.diagnostics if d.is_error])
        raise Trouble(
            _("{year} has data errors (above); fix them before comparing").format(
                year=document_name(source.label)
            )
        )
    return result


# The options diff and outturn share: a report's form, and colour in a terminal.
format_option = click.option(
    "--format",
    "fmt",
    type=click.Choice(FORMATS),
    default="text",
    show_default=True,
    help=N_("text for the terminal, md for a pull-request comment or CI summary, json for tools."),
)
color_option = click.option(
    "--color/--no-color",
    default=None,
    help=N_("Colour the text format. Default: when printing to a terminal."),
)


@click.command(
    "diff",
    short_help=N_("Compare two computed disclosures, figure by figure"),
    help=N_(
        "Compare the computed disclosures OLD and NEW, figure by figure and entry by entry.\n\n"
        "Each side is a year (2022, the working tree) or a year at a git revision (2022@main, "
        "2022@HEAD~1, 2022@<sha>, read with `git show`; the working tree is untouched). NEW "
        "defaults to OLD's year in the working tree, so `disclosure diff 2022@main` shows what "
        "the working tree changes against main.\n\n"
        "With --pages DIR, the two PDFs are compared page by page instead: pages are matched "
        "by their text, so a change that moves later pages reports only the pages it "
        "changed.\n\n"
        "Exit status: 0 same, 1 different, 2 trouble."
    ),
)
@click.argument("old")
@click.argument("new", required=False)
@data_option
@format_option
@click.option(
    "--all",
    "show_all",
    is_flag=True,
    help=N_(
        "Comparing two years: also show the year, the previous-year figures, the "
        "year-over-year changes and texts that differ only by the year number."
    ),
)
@color_option
@click.option(
    "--pages",
    "pages_dir",
    type=click.Path(file_okay=False, path_type=Path),
    help=N_(
        "Compare the PDFs instead: write a side-by-side picture of each changed page, "
        "the changes outlined, and DIR/index.html; print the list of changed pages."
    ),
    metavar=N_("DIR"),
)
def diff(
    old: str,
    new: str | None,
    data_dir: Path,
    fmt: str,
    show_all: bool,
    color: bool | None,
    pages_dir: Path | None,
) -> None:
    if new is None:
        match = re.match(r"^\s*([0-9]{4}(?:/final)?)@", old)
        if not match:
            raise click.UsageError(
                _("give NEW, or make OLD a YEAR@REVISION to compare with the working tree")
            )
        new = match.group(1)
    old = _earlier_year_if_new(old, new, data_dir)
    if pages_dir is not None:
        _page_diff(old, new, data_dir, fmt, pages_dir)
    old_result, new_result = _compiled(old, data_dir), _compiled(new, data_dir)
    if old_result.source.document != new_result.source.document:  # a budget and a 决算
        _budget_against_final(old_result, new_result, fmt, color)
    old_label, old_model = old_result.source.label, old_result.model
    new_label, new_model = new_result.source.label, new_result.model
    result = diff_models(
        old_model, new_model, old_label=old_label, new_label=new_label, show_all=show_all
    )
    if color is None:  # plain text, with [-…-]{+…+} marks, when piped or redirected
        color = sys.stdout is not None and sys.stdout.isatty()
    click.echo(render(result, fmt, color=fmt == "text" and color), nl=False, color=color)
    sys.exit(SAME if result.same else DIFFERENT)


def _earlier_year_if_new(old: str, new: str, data_dir: Path) -> str:
    """`diff 2023@main 2023` for a year that is new on the branch (main has no 2023):
    compare with the latest earlier year at that revision instead, and say so in one line
    (on stderr, so the diff itself stays what it is). Anything else is left as given."""
    from ..input.sources import GitYear

    source = parse_year_spec(old, data_dir)
    target = parse_year_spec(new, data_dir)
    if not isinstance(source, GitYear) or source.year != target.year or source.exists():
        return old
    earlier = source.previous()
    for _step in range(10):  # a year skipped or two, not a search of every year
        if earlier.exists():
            click.echo(
                _(
                    "{missing} does not exist ({year} is new on this branch): comparing "
                    "with {earlier} instead"
                ).format(
                    missing=source.label,
                    year=document_name(source.label.split("@")[0]),
                    earlier=earlier.label,
                ),
                err=True,
            )
            return earlier.label
        earlier = earlier.previous()
    return old


def _budget_against_final(one: YearResult, other: YearResult, fmt: str, color) -> None:
    """`diff 2024 2024/final` (either order): the budget against its outturn, per 项."""
    from ..review.outturn import outturn

    budget, final = (one, other) if not one.source.document else (other, one)
    if budget.source.year != final.source.year:
        raise Trouble(
            _(
                "{budget} is a budget and {final} final accounts of another year: a budget "
                "is compared with its own year's final accounts (disclosure diff {year} "
                "{year}/final), or final accounts with final accounts"
            ).format(budget=budget.source.label, final=final.source.label, year=final.source.year)
        )
    report = outturn(final.model.final, budget.model, budget.source.label, final.source.label)
    _print_outturn(report, fmt, color)


def _print_outturn(report, fmt: str, color: bool | None) -> None:
    from ..review.outturn_format import render as render_outturn

    if color is None:
        color = sys.stdout is not None and sys.stdout.isatty()
    click.echo(render_outturn(report, fmt, color=fmt == "text" and color), nl=False, color=color)
    sys.exit(SAME if report.same else DIFFERENT)


@click.command(
    "outturn",
    short_help=N_("A year's budget against its final accounts, per item"),
    help=N_(
        "Compare YEAR's budget with its final accounts (决算): per 项 of the general public "
        "budget appropriations spending, the 年初预算, the 决算, the 完成率 and the reason "
        "the final accounts give; then the total and the 三公 经费.\n\n"
        "YEAR may be YEAR@REVISION (both documents read at that revision). The same as "
        "`disclosure diff YEAR YEAR/final`; when the repository has no budget for YEAR, "
        "the 年初预算 typed in final/initial-budget.yaml is used (and said so).\n\n"
        "Exit status: 0 every item spent as budgeted, 1 some not, 2 trouble."
    ),
)
@click.argument("year", metavar=N_("YEAR[@REV]"))
@data_option
@format_option
@color_option
def outturn_command(year: str, data_dir: Path, fmt: str, color: bool | None) -> None:
    from ..review.outturn import outturn

    match = re.match(r"^\s*([0-9]{4})(?:/final)?(@.+)?\s*$", year)
    if not match:
        raise click.UsageError(
            _("'{spec}' is not a year: expected YEAR or YEAR@REVISION, e.g. 2022@main").format(
                spec=year
            )
        )
    spec = match.group(1) + (match.group(2) or "")
    final_source = parse_year_spec(match.group(1) + "/final" + (match.group(2) or ""), data_dir)
    if not final_source.exists():
        raise Trouble(
            _("{year} has no final accounts ({folder} does not exist)").format(
                year=match.group(1), folder=final_source.where
            )
        )
    final = _compiled(final_source.label, data_dir)
    budget_source = final_source.budget()
    budget = None
    if budget_source.exists() and budget_source.files():
        budget = _compiled(spec, data_dir)
    report = outturn(
        final.model.final,
        budget.model if budget is not None else None,
        budget.source.label if budget is not None else final.source.label,
        final.source.label,
    )
    _print_outturn(report, fmt, color)


def _page_diff(old: str, new: str, data_dir: Path, fmt: str, pages_dir: Path) -> None:
    from ..review.pagediff import build_pdfs, compare_pdfs, render_list

    results = [_compiled(old, data_dir), _compiled(new, data_dir)]
    pdfs, problems = build_pdfs(results)
    if problems:
        _print_problems(problems)
        raise Trouble(_("cannot build the PDFs to compare (above)"))
    labels = (results[0].source.label, results[1].source.label)
    result = compare_pdfs(*pdfs, pages_dir, labels)
    click.echo(render_list(result, fmt, pages_dir), nl=False)
    sys.exit(SAME if result.same else DIFFERENT)


class YearOrFinal(click.ParamType):
    """new-year's YEAR: 2025 (a budget) or 2025/final (the year's final accounts)."""

    name = "year"

    def convert(self, value, param, ctx) -> tuple[int, bool]:
        year, final = str(value).removesuffix("/final"), str(value).endswith("/final")
        if not (year.isascii() and year.isdigit() and 1000 <= int(year) <= 9999):
            self.fail(
                _("'{value}' is not a year: expected YEAR or YEAR/final, e.g. 2025/final").format(
                    value=value
                ),
                param,
                ctx,
            )
        return int(year), final


@click.command(
    "new-year",
    short_help=N_("Start a new year from the last one"),
    help=N_(
        "Start YEAR's data from the last year: structure and text copied, figures left "
        "blank.\n\n"
        "When the year before YEAR is in --data, the previous-year figures are computed from "
        "it, so the typed ones copied from the last year (budget.yaml previous_year, "
        "three-public.yaml previous) are deleted; otherwise they are set to the last year's "
        "computed figures. Every other figure is left empty for staff to enter, so "
        "`disclosure validate YEAR` lists what is still to fill in. Comments about the last "
        "year's figures are deleted. Never overwrites an existing year.\n\n"
        "YEAR/final (2025/final) starts the year's final accounts from the last final "
        "accounts: texts and layout copied, every figure and reason left blank; last year's "
        "figures and, where the year's budget is in --data, the 年初预算 are computed."
    ),
)
@click.argument("year", type=YearOrFinal())
@click.option(
    "--from",
    "from_spec",
    metavar=N_("YEAR[@REV]"),
    help=N_("The year to start from. Default: the latest year before YEAR under --data."),
)
@click.option(
    "--keep-targets",
    is_flag=True,
    help=N_(
        "Copy the indicator target values (they are left blank by default, like every figure)."
    ),
)
@click.option(
    "--layout",
    "layout_name",
    metavar=N_("NAME"),
    help=N_(
        "Start YEAR from nothing, when there is no earlier year: every file the layout NAME "
        "reads, every field empty under a comment saying what goes in it."
    ),
)
@data_option
def new_year(
    year: tuple, from_spec: str | None, keep_targets: bool, data_dir: Path, layout_name: str | None
) -> None:
    year, final = year
    if final:
        if keep_targets:
            raise click.UsageError(
                _("--keep-targets keeps a budget's indicator targets; final accounts have none")
            )
        if layout_name is not None:
            raise click.UsageError(
                _("--layout starts a budget from nothing; final accounts start from last year's")
            )
        _new_final_year(year, from_spec, data_dir)
        return
    if layout_name is not None:
        from .skeleton import first_year

        if from_spec is not None:
            raise click.UsageError(
                _("--layout starts a year from nothing, --from from another year: give one")
            )
        first_year(year, layout_name, data_dir)
        return
    try:
        if from_spec is None:
            source = WorkingTreeYear(data_dir, default_from_year(data_dir, year))
        else:
            source = parse_year_spec(from_spec, data_dir)
        report = start_year(data_dir, year, source, keep_targets=keep_targets)
    except NewYearError as e:  # the old year's problems first; the group shows the error
        _print_problems(e.diagnostics)
        raise
    click.echo("\n".join(summary(report)))


def _new_final_year(year: int, from_spec: str | None, data_dir: Path) -> None:
    """new-year YEAR/final. A refusal is about the data (exit 1), as the clerk must add or
    move a folder."""
    try:
        source = None if from_spec is None else parse_year_spec(from_spec, data_dir)
        report = start_final_year(data_dir, year, source)
    except NewYearError as e:
        _print_problems(e.diagnostics)
        raise click.ClickException(str(e)) from e
    click.echo("\n".join(final_summary(report)))


# --- textconv -------------------------------------------------------------------------------


@click.command(
    "textconv",
    short_help=N_("A data file one fact per line, for git diff"),
    help=N_(
        "Print a data FILE one fact a line, for `git diff` (a textconv filter; see "
        "docs/reviewing.md).\n\n"
        "Each value on its own line under its field path, list entries named by their name "
        "rather than their position, long text one sentence a line, and the schema's title "
        "of each field. Prints the file unchanged if it is not readable YAML: git diff must "
        "always work."
    ),
)
@click.argument("file", type=click.Path(dir_okay=False, exists=True, path_type=Path))
def textconv(file: Path) -> None:
    click.echo(one_fact_a_line(file.name, file.read_bytes()), nl=False)
