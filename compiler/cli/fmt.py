"""`disclosure fmt`: every data file of the given years in canonical form (see fmt.py).

Exit status: 0 done (or, with --check, nothing would change); 1 a file cannot be read
even after the repairs (it is left as it was), or with --check a file would change;
2 trouble, including an internal problem of the formatter (that file is left as it was).
"""

from __future__ import annotations

import sys
from pathlib import Path

import click

from ..diagnostics import Diagnostic, Location
from ..fmt.remembered import format_file_remembered
from ..fmt.result import Formatted
from ..i18n import N_, _, document_name
from ..input.loader import load_bytes
from ..input.sources import SourceError, WorkingTreeYear, available_years, parse_year_spec
from ..layout.manifest import load_layout
from ..layout.specs import LayoutError
from ..paths import UNIT_FILE, UNIT_SLUG, UNITS_DIR, kind_of
from ..publish.output import write_atomic
from .common import DATA_ERRORS, TROUBLE, Trouble, data_option


@click.command(
    "fmt",
    short_help=N_("Tidy the data files' writing without changing a fact"),
    help=N_(
        "Rewrite the data files of YEARS (default: every year under --data) in canonical "
        "form, without changing a fact, and say what changed, file by file and line by "
        "line.\n\nRepairs what a Chinese input method types: full-width digits in a number "
        "(１２０.４５), a full-width colon after a field name, tabs or full-width spaces as "
        "indentation, a code typed as a number; and what Word leaves in text: full-width "
        "spaces at the end or between Chinese characters, a doubled 。。, double quotes not "
        "in the style of the year's layout (“” or 「」). Writes codes in quotes, indents 2 "
        "spaces a level and puts fields in the schema's order. Comments are kept, and the "
        "text of every value but for these repairs."
    ),
)
@click.argument("years", nargs=-1)
@data_option
@click.option(
    "--check",
    is_flag=True,
    help=N_(
        "Change nothing; list what would change and exit 1 if anything would "
        "(for CI and pre-commit)."
    ),
)
def fmt(years: tuple[str, ...], data_dir: Path, check: bool) -> None:
    """Rewrite the data files of YEARS in canonical form (see the help above)."""
    specs = list(years) or [str(y) for y in available_years(data_dir)]
    if not specs:
        raise Trouble(
            _("no years found under {folder}/ (expected folders like {folder}/2022)").format(
                folder=data_dir
            )
        )
    unreadable = internal = changed = False
    for spec in specs:
        source = _year(spec, data_dir)
        results = _format_year(source)
        for result in results:
            _report(result)
            unreadable |= bool(result.problems)
            internal |= result.internal is not None
            changed |= result.changed
            if result.changed and result.internal is None and not check:
                write_atomic(result.path, result.text.encode("utf-8"))
        click.echo(_summary(source, results, check), err=True)
    if internal:
        sys.exit(TROUBLE)
    if unreadable or (check and changed):
        sys.exit(DATA_ERRORS)


def _year(spec: str, data_dir: Path) -> WorkingTreeYear:
    if "@" in spec:
        raise Trouble(
            _("'{spec}': fmt rewrites the files in the working tree; give the year alone").format(
                spec=spec
            )
        )
    source = parse_year_spec(spec, data_dir)  # without @REV: a year of the working tree
    if not source.exists():
        raise SourceError(
            _("no data for {year} (looked in {folder})").format(
                year=document_name(source.label), folder=source.display_path("")
            )
        )
    return source


def _format_year(source: WorkingTreeYear) -> list[Formatted]:
    """Format every data file of the year in memory; a link or special file is refused."""
    results = []
    styles: dict[str, str | None] = {}  # a group's folder prefix → its layout's quotes
    for rel in source.files():
        shown = source.display_path(rel)
        try:
            raw = source.read(rel)  # refuses links and special files
        except OSError as e:
            result = Formatted(shown)
            message = _("cannot read the file: {error}").format(error=e)
            result.problems.append(Diagnostic(Location(shown), message))
            results.append(result)
            continue
        kind = _kind(rel)
        if kind is None:
            continue  # not a data file: validate names it
        prefix = _group(rel)
        if prefix not in styles:
            styles[prefix] = _quotes(source, prefix)
        result = format_file_remembered(shown, raw, kind, styles[prefix])
        result.path = source.checkout_path(rel)
        results.append(result)
    return results


def _group(rel: str) -> str:
    """The folder prefix of the group a file belongs to: '' for the year's own files,
    'units/<slug>/' for a department's unit's."""
    parts = rel.split("/", 2)
    return f"{parts[0]}/{parts[1]}/" if len(parts) == 3 and parts[0] == UNITS_DIR else ""


def _quotes(source: WorkingTreeYear, prefix: str) -> str | None:
    """The double quotes of the layout the group's unit.yaml names. Where that cannot be
    read (validate says why), None: quotes are then left as typed, never brought to a style
    the layout may not have (a project's 「」 layout with one mistake turned every 「」 into
    “”)."""
    try:
        doc, _problems = load_bytes(prefix + UNIT_FILE, source.read(prefix + UNIT_FILE))
        name = doc.data.get("layout") if doc is not None and isinstance(doc.data, dict) else None
        if isinstance(name, str):
            return load_layout(name, source.project_layouts()).quotes
    except (OSError, SourceError, LayoutError):
        pass
    return None


def _kind(rel: str) -> str | None:
    """The schema kind of a file of the year, a department's units' files included."""
    parts = rel.split("/", 2)
    if len(parts) == 3 and parts[0] == UNITS_DIR:
        return kind_of(parts[2]) if UNIT_SLUG.match(parts[1]) else None
    return kind_of(rel)


def _report(result: Formatted) -> None:
    for problem in result.problems:
        click.echo(problem.format_text(), err=True)
    if result.problems:
        if result.unclear:
            message = _("{file}: left as it was: fmt cannot tell which figure is meant")
        else:
            message = _("{file}: left as it was: it cannot be read even after the repairs")
        click.echo(message.format(file=result.file), err=True)
        return
    if result.internal is not None:
        click.echo(
            _(
                "{file}: internal problem: {problem}; the file is left as it was (please report it)"
            ).format(file=result.file, problem=result.internal),
            err=True,
        )
        return
    for change in result.changes:
        click.echo(f"{result.file}:{change.line}: {change.message}")


def _summary(source: WorkingTreeYear, results: list[Formatted], check: bool) -> str:
    changed = sum(1 for r in results if r.changed and not r.problems and r.internal is None)
    failed = sum(1 for r in results if r.problems or r.internal is not None)
    same = len(results) - changed - failed
    if not changed and not failed:  # the common case, said plainly
        text = _("{year}: all {same} file(s) already canonical")
    elif check:
        text = _("{year}: {changed} file(s) would be reformatted, {same} canonical")
        if changed:
            text += _(" (run `disclosure fmt {year}`)")
    else:
        text = _("{year}: {changed} file(s) reformatted, {same} already canonical")
    if failed:
        text += _(", {failed} left as they were")
    return text.format(year=source.label, changed=changed, same=same, failed=failed)
