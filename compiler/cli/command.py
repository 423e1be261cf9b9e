"""The `disclosure` command: parses arguments, calls the library, prints diagnostics.

Exit status: 0 ok, 1 the data has errors (or, for diff, the two sides differ), 2 usage
error or trouble (a missing year, a bad git revision, no CJK font).
"""

from __future__ import annotations

import errno
import importlib
import os
import sys
from pathlib import Path

import click

from .. import errors
from ..diagnostics import has_errors, strictly
from ..i18n import N_, _, set_language
from ..input.sources import available_years, parse_year_spec
from .common import (
    DATA_ERRORS,
    Trouble,
    data_option,
    default_format,
    out_option,
    parts_from_option,
    print_diagnostics,
    taking_parts_from,
)
from .i18n import lang_option, translate


def _years(data_dir: Path, years: tuple[str, ...]) -> list[str]:
    if years:
        return list(years)
    found = available_years(data_dir)
    if not found:
        raise Trouble(
            _("no years found under {folder}/ (expected folders like {folder}/2022)").format(
                folder=data_dir
            )
        )
    return [str(y) for y in found]


def compile_years(data_dir: Path, years: tuple[str, ...], fmt: str, strict: bool = False) -> list:
    """Compile each year, printing its diagnostics (a year that cannot be read raises
    SourceError, which the command group reports as trouble)."""
    from ..pipeline.year import compile_year  # not needed by a build that is up to date

    results = []
    memo: dict = {}  # a year compiled as another's previous year is not compiled again
    for spec in _years(data_dir, years):
        result = compile_year(parse_year_spec(spec, data_dir), memo=memo)
        if strict:
            result.diagnostics = strictly(result.diagnostics)
        print_diagnostics(result.diagnostics, fmt)
        results.append(result)
    return results


def _summary(results: list) -> str:
    """The last line; warnings counted as printed, one per cause (`grouped`). A year with
    values still to fill (new-year, a skeleton) first lists them by file."""
    from ..diagnostics import grouped, to_fill_by_file

    lines = []
    for r in results:
        counts = to_fill_by_file(r.diagnostics)
        if counts:
            lines.append(
                _("{year}: still to fill, by file ({count} value(s)):").format(
                    year=r.source.label, count=sum(counts.values())
                )
            )
            lines += [
                "  " + _("{file}: {count} value(s)").format(file=file, count=count)
                for file, count in counts.items()
            ]
    to_fill = sum(1 for r in results for d in r.diagnostics if d.is_error and d.to_fill)
    errors = sum(1 for r in results for d in r.diagnostics if d.is_error) - to_fill
    warnings = sum(1 for r in results for d in grouped(r.diagnostics) if d.severity == "warning")
    kept = sum(1 for r in results for d in r.diagnostics if d.acknowledged)
    labels = ", ".join(r.source.label for r in results)
    line = _summary_line(errors, warnings, labels, to_fill)
    if kept:
        line += _("; {count} warning(s) acknowledged as published").format(count=kept)
    return "\n".join([*lines, line])


def _summary_line(errors: int, warnings: int, labels: str, to_fill: int = 0) -> str:
    if to_fill:
        return _(
            "{years}: {to_fill} value(s) still to fill, {errors} other error(s), "
            "{warnings} warning(s)"
        ).format(years=labels, to_fill=to_fill, errors=errors, warnings=warnings)
    if errors:
        return _("{years}: {errors} error(s), {warnings} warning(s)").format(
            years=labels, errors=errors, warnings=warnings
        )
    if warnings:
        return _("{years}: valid ({warnings} warning(s))").format(years=labels, warnings=warnings)
    return _("{years}: valid").format(years=labels)


format_option = click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "github", "gitlab"]),
    default=None,
    help=N_(
        "How to print problems: text (file:line:col: …), github (workflow annotations) or "
        "gitlab (a Code Quality report, JSON on stdout, with the text form on stderr). "
        "Default: github when GITHUB_ACTIONS=true, else text."
    ),
)


# The operating system's reasons, which it gives in English, for the errors a clerk meets.
_OS_REASONS = {
    errno.EACCES: N_("no permission"),
    errno.EPERM: N_("no permission"),
    errno.ENOSPC: N_("the disk is full"),
    errno.EDQUOT: N_("the disk quota is used up"),
    errno.ENOENT: N_("it does not exist"),
    errno.EROFS: N_("the disk is read-only"),
    errno.EISDIR: N_("it is a folder, not a file"),
    errno.ENOTDIR: N_("a part of the path is a file, not a folder"),
    errno.EEXIST: N_("it exists already"),
}


def os_error_message(error: OSError) -> str:
    """`path: reason` in the chosen language (the system's own words for rarer errors)."""
    reason = _(_OS_REASONS[error.errno]) if error.errno in _OS_REASONS else error.strerror
    if not reason:
        return str(error)
    if error.filename is None:
        return reason
    return _("{path}: {reason}").format(path=error.filename, reason=reason)


def _internal(error: Exception) -> Trouble:
    """A bug, in one line (DISCLOSURE_DEBUG=1 lets the traceback through)."""
    if os.environ.get("DISCLOSURE_DEBUG"):
        raise error
    return Trouble(
        _(
            "internal error: {error} (please report it; DISCLOSURE_DEBUG=1 shows where it happened)"
        ).format(error=f"{type(error).__name__}: {error}")
    )


class _Commands(click.Group):
    """The reviewer's and publisher's commands (diff, new-year, textconv, import, serve,
    publish, correct, init, schemas) are imported only when asked for: they pull in difflib,
    the new-year editor, a workbook reader, a file watcher, an HTTP server and the renderers,
    which `validate` never needs (this keeps `validate` fast; the pattern is click's
    documented lazy loading). Name → (module, attribute)."""

    LAZY = {
        "diff": ("review", "diff"),
        "outturn": ("review", "outturn_command"),
        "new-year": ("review", "new_year"),
        "textconv": ("review", "textconv"),
        "import": ("workbook", "import_workbook"),
        "publish": ("publish", "publish"),
        "parts": ("publish", "parts"),
        "correct": ("publish", "correct"),
        "init": ("datarepo", "init"),
        "schemas": ("datarepo", "schemas"),
        "serve": ("serve", "serve"),
        "fmt": ("fmt", "fmt"),
    }

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted([*super().list_commands(ctx), *self.LAZY])

    def invoke(self, ctx: click.Context):
        """Trouble outside the data (a disk that is full, an output folder that is a file,
        a bug) is reported in one line with exit status 2, never as a traceback, so CI
        never mistakes it for "data errors" or "different" (exit 1)."""
        try:
            return super().invoke(ctx)
        except (click.ClickException, click.exceptions.Exit, click.Abort, SystemExit):
            raise
        except errors.Trouble as e:
            raise Trouble(e.format_message()) from e
        except errors.DataError as e:
            if not e.diagnostics:  # a problem of the data no stage reported: a bug
                raise _internal(e) from e
            print_diagnostics(e.diagnostics, default_format())  # it escaped its stage
            sys.exit(e.exit_code)
        except OSError as e:
            raise Trouble(os_error_message(e)) from e
        except Exception as e:
            raise _internal(e) from e

    def get_command(self, ctx: click.Context, name: str) -> click.Command | None:
        if name in self.LAZY:
            module, attribute = self.LAZY[name]
            command = getattr(importlib.import_module(f".{module}", __package__), attribute)
            return translate(command)
        return super().get_command(ctx, name)

    def main(self, *args, **kwargs):
        """Chinese unless the environment asks for English (--lang may change it again)."""
        chosen = os.environ.get("DISCLOSURE_LANG")
        set_language(None)
        translate(self)
        try:
            return super().main(*args, **kwargs)
        finally:  # --lang sets it for the processes this command starts, not for longer
            if chosen is None:
                os.environ.pop("DISCLOSURE_LANG", None)
            else:
                os.environ["DISCLOSURE_LANG"] = chosen


@click.group(
    cls=_Commands,
    context_settings={"help_option_names": ["-h", "--help"]},
    help=N_("Compile yearly budget disclosures (单位预算信息公开) from YAML."),
)
@click.version_option(package_name="disclosure-compiler")
@lang_option
def main() -> None:
    pass


def run() -> None:
    """The `disclosure` command (and `python -m compiler`): `main`, then a quick exit."""
    from ..speedups.quick_exit import run_and_exit

    run_and_exit(main)


strict_option = click.option(
    "--strict",
    is_flag=True,
    help=N_(
        "Treat every warning as an error (a statutory table not published, an empty part "
        "without its statement, a reason that contradicts its figure): for a publishing "
        "pipeline."
    ),
)


@main.command(
    short_help=N_("Check the data of years"),
    help=N_(
        "Check YEARS (default: every year under --data). YEAR@REV reads a git revision.\n\n"
        "A year with values still empty (started by new-year, or from a layout's skeleton) "
        "lists each at its line as still to fill, then how many each file has, and exits 1 "
        "like any year with errors: nothing is built from it until every value is filled."
    ),
)
@click.argument("years", nargs=-1)
@data_option
@format_option
@strict_option
@click.option(
    "--summary",
    "summary_file",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help=N_(
        "Append the warnings the data acknowledges (acknowledged.yaml: a published text kept "
        "as published) to this file, as Markdown for the reviewer (in CI: "
        '"$GITHUB_STEP_SUMMARY").'
    ),
)
def validate(
    years: tuple[str, ...],
    data_dir: Path,
    fmt: str | None,
    strict: bool,
    summary_file: Path | None,
) -> None:
    fmt = fmt or default_format()
    results = compile_years(data_dir, years, fmt, strict)
    if fmt == "gitlab":
        from .codequality import report

        click.echo(report([d for r in results for d in r.diagnostics]), nl=False)
    if summary_file is not None:
        from ..checks.acknowledged import summary_markdown

        text = summary_markdown(results)
        if text:
            with open(summary_file, "a", encoding="utf-8") as out:
                out.write(text)
    click.echo(_summary(results), err=True)
    if any(has_errors(r.diagnostics) or r.model is None for r in results):
        sys.exit(DATA_ERRORS)


def _parse_formats(value: str) -> tuple[str, ...]:
    from ..formats import FORMATS

    chosen = tuple(dict.fromkeys(part.strip() for part in value.split(",") if part.strip()))
    unknown = [f for f in chosen if f not in FORMATS]
    if unknown or not chosen:
        raise click.BadParameter(
            _("unknown format {formats}; choose from {choices}").format(
                formats=", ".join(unknown) or _("(none)"), choices=",".join(FORMATS)
            ),
            param_hint="--format",
        )
    return chosen


@main.command(
    short_help=N_("Check years and build their PDF, web page and Markdown"),
    help=N_(
        "Validate and compile YEARS into OUT/<year>/disclosure.{html,md,pdf}; a department's "
        "units also alone, into OUT/<year>/units/<name>/.\n\nNothing is written for a year "
        "whose data has errors. A year whose data, the tool and the fonts are unchanged since "
        "its outputs were written is not rebuilt (--force does)."
    ),
)
@click.argument("years", nargs=-1)
@data_option
@click.option(
    "--format",
    "formats",
    default="html,md,pdf",
    show_default=True,
    help=N_(
        "Comma-separated formats to write: html, md, pdf, xlsx (the statutory tables as a "
        "workbook)."
    ),
)
@out_option("build", N_("Output folder; each year goes to OUT/<year>/."))
@click.option(
    "--diagnostics",
    "fmt",
    type=click.Choice(["text", "github"]),
    default=None,
    help=N_("How to print problems (default: github under GitHub Actions, else text)."),
)
@strict_option
@click.option("--force", is_flag=True, help=N_("Rebuild even a year whose outputs are up to date."))
@click.option(
    "--jobs",
    type=click.IntRange(1, 64),
    default=None,
    help=N_("Years built at once, each in its own process (default: one per core)."),
)
@click.option(
    "--verbose",
    "-v",
    is_flag=True,
    help=N_("Also name the font files embedded in each PDF."),
)
@parts_from_option
def build(
    years: tuple[str, ...],
    data_dir: Path,
    formats: str,
    out_dir: Path,
    fmt: str | None,
    strict: bool,
    force: bool,
    jobs: int | None,
    verbose: bool,
    parts_from: Path | None,
) -> None:
    with taking_parts_from(parts_from):
        _build(years, data_dir, formats, out_dir, fmt, strict, force, jobs, verbose)


def _build(years, data_dir, formats, out_dir, fmt, strict, force, jobs, verbose) -> None:
    from ..publish.orchestrate import build_many

    chosen = _parse_formats(formats)
    fmt = fmt or default_format()
    failed = False
    specs = _years(data_dir, years)
    for outcome in build_many(
        specs, data_dir, out_dir, chosen, strict=strict, force=force, jobs=jobs
    ):
        if outcome.skipped:
            click.echo(
                _(
                    "{year}: up to date, nothing rebuilt ({count} files in {folder}; "
                    "--force rebuilds)"
                ).format(year=outcome.label, count=len(outcome.outputs), folder=out_dir)
            )
            continue
        print_diagnostics(outcome.diagnostics, fmt)
        if not outcome.ok:
            failed = True
            errors = sum(1 for d in outcome.diagnostics if d.is_error)
            click.echo(
                _("{year}: {errors} error(s); nothing written").format(
                    year=outcome.label, errors=errors
                ),
                err=True,
            )
            continue
        for path in outcome.outputs:
            click.echo(_("wrote {path}").format(path=path))
        for font in outcome.fonts if verbose else ():
            click.echo(_("embedded font {font}").format(font=font))
    if failed:
        sys.exit(DATA_ERRORS)
