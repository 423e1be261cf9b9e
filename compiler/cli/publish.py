"""`disclosure publish` (and its `--check`) and `disclosure correct`: registered on
`disclosure` lazily, so `validate` never imports the renderers.

Exit status as elsewhere: 0 fine; 1 the data has errors, or (`--check`) a published year
would change; 2 trouble (a record edited by hand, a correction of a year never published).
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

import click

from ..diagnostics import Diagnostic, Location
from ..i18n import N_, _, document_name
from ..publish.editions import REQUEST, YearCheck, check_reason, relative_to_cwd
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

editions_option = click.option(
    "--editions",
    "editions_dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help=N_(
        "Folder of the published editions' record (commit it: it is what was published). "
        "Default: published/ beside the --data folder."
    ),
)


def _editions(editions_dir: Path | None, data_dir: Path) -> Path:
    return editions_dir if editions_dir is not None else data_dir.parent / "published"


def _reason(value: str | None) -> str | None:
    if value is None:
        return None
    try:
        return check_reason(value)
    except ValueError as e:
        raise click.BadParameter(str(e), param_hint="--reason") from e


@click.command(
    "publish",
    short_help=N_("Publish every year: documents, open data and an index page"),
    help=N_(
        "Build every year into OUT (names that say unit and year, open data, OUT/index.html), "
        "serving each year published before from its record in --editions byte for byte, and "
        "recording the first edition of each year published now.\n\nA published year changes "
        'only by a correction: `--correct YEAR --reason "…"` here, or `disclosure correct YEAR '
        '--reason "…"` committed with the data change, for the next publish (the pull-request '
        "way)."
    ),
)
@data_option
@out_option("site", N_("Folder of the published site."))
@editions_option
@click.option(
    "--correct",
    "correct_year",
    metavar="YEAR",
    help=N_(
        "Publish a correction (更正) of YEAR (or of its final accounts, YEAR/final) now: a "
        "new edition built from the data as it is, with a dated 更正说明 on every document "
        "and in the index (needs --reason)."
    ),
)
@click.option("--reason", help=N_("Why YEAR is corrected; printed on the page and in the index."))
@click.option(
    "--check",
    is_flag=True,
    help=N_(
        "Write nothing: rebuild every published year as it was published and exit 1 if any "
        "file would differ from its record (a data, template or tool change), naming year and "
        "file."
    ),
)
@click.option(
    "--strict",
    is_flag=True,
    help=N_("Treat every warning as an error, as validate --strict does."),
)
@parts_from_option
def publish(
    data_dir: Path,
    out_dir: Path,
    editions_dir: Path | None,
    correct_year: str | None,
    reason: str | None,
    check: bool,
    strict: bool,
    parts_from: Path | None,
) -> None:
    with taking_parts_from(parts_from):
        _publish(data_dir, out_dir, editions_dir, correct_year, reason, check, strict)


def _publish(data_dir, out_dir, editions_dir, correct_year, reason, check, strict) -> None:
    editions_dir = _editions(editions_dir, data_dir)
    if (correct_year is None) != (reason is None):
        raise click.UsageError(_('--correct YEAR and --reason "…" go together'))
    if check and correct_year is not None:
        raise click.UsageError(_("--check writes nothing; it cannot publish a correction"))
    if check:
        _check(data_dir, editions_dir, strict)
        return
    from ..publish.site import publish as publish_all

    corrections = {_document(correct_year): _reason(reason)} if correct_year is not None else {}
    result = publish_all(data_dir, out_dir, strict, editions_dir, corrections)
    if not result.years:
        raise Trouble(_no_years(data_dir))
    for year in result.years:
        if year.built is not None:
            print_diagnostics(
                year.built.result.compiled.diagnostics + year.built.result.diagnostics,
                default_format(),
            )
    if not result.ok:
        click.echo(_("nothing published: fix the errors above"), err=True)
        sys.exit(DATA_ERRORS)
    for year in result.years:
        edition = year.record.current
        where = relative_to_cwd(editions_dir / year.label)
        if not year.recorded:
            message = _("{year}: served edition {edition} of {date} as recorded in {folder}/")
        elif edition.is_correction:
            message = _(
                "{year}: recorded edition {edition} in {folder}/, a correction of edition "
                "{corrects} (commit it)"
            )
        else:
            message = _("{year}: recorded edition 1 in {folder}/ (commit it)")
        click.echo(
            message.format(
                year=year.label,
                edition=edition.number,
                date=edition.published,
                folder=where,
                corrects=edition.corrects,
            )
        )
    click.echo(
        _("wrote {count} files; the index is {index}").format(
            count=len(result.written), index=result.index
        )
    )


def _document(text: str) -> tuple[int, str]:
    """YEAR or YEAR/final, as --correct and `correct` take them."""
    from ..publish.editions import parse_label

    try:
        return parse_label(text)
    except ValueError as e:
        raise click.UsageError(str(e)) from e


def _no_years(data_dir: Path) -> str:
    return _("no years found under {folder}/ (expected folders like {folder}/2022)").format(
        folder=data_dir
    )


def _check(data_dir: Path, editions_dir: Path, strict: bool) -> None:
    from ..publish.editions import check_year
    from ..publish.site import documents, publish_naming

    years = documents(data_dir, editions_dir)
    if not years:
        raise Trouble(_no_years(data_dir))
    fmt = default_format()
    failed = False
    published = 0
    for year, document in years:
        checked = check_year(data_dir, editions_dir, year, publish_naming, strict, document)
        if checked.built is not None:  # its errors (warnings are validate's business)
            result = checked.built.result
            print_diagnostics(
                [d for d in result.compiled.diagnostics + result.diagnostics if d.is_error], fmt
            )
        if checked.record is not None:
            published += 1
        print_diagnostics(_findings(checked, editions_dir), fmt)
        _explain(checked, data_dir, editions_dir)
        failed = failed or not checked.ok
    if failed:
        click.echo(_("published editions: a published year would change (above)"), err=True)
        sys.exit(DATA_ERRORS)
    click.echo(
        _(
            "published editions: {count} year(s) checked; none would change without a correction"
        ).format(count=published),
        err=True,
    )


def _findings(checked: YearCheck, editions_dir: Path) -> list[Diagnostic]:
    """One located message for every file of a published year that would change."""
    record = checked.record
    if record is None or checked.built is None or not checked.built.result.ok:
        return []
    if not checked.differs:
        return []
    edition = record.current
    folder = relative_to_cwd(editions_dir / checked.label)
    severity = "warning" if record.pending is not None else "error"
    kinds = (
        (
            checked.changed,
            _(
                "{year} edition {edition} (published {date}): a rebuild of {year} differs from "
                "this published file"
            ),
        ),
        (
            checked.missing,
            _(
                "{year} edition {edition} (published {date}): a rebuild of {year} no longer "
                "makes this published file"
            ),
        ),
        (
            checked.added,
            _(
                "{year} edition {edition} (published {date}): a rebuild of {year} makes this "
                "file, which was not published"
            ),
        ),
    )
    out = []
    for files, message in kinds:
        name = document_name(checked.label)
        text = message.format(year=name, edition=edition.number, date=edition.published)
        for rel in files:
            out.append(
                Diagnostic(Location(f"{folder}/{edition.number}/{rel}"), text, severity=severity)
            )
    return out


def _explain(checked: YearCheck, data_dir: Path, editions_dir: Path) -> None:
    record = checked.record
    if record is None:
        if checked.built.result.compiled.ok:
            click.echo(
                _("{year}: not published yet; the next publish records edition 1").format(
                    year=checked.label
                )
            )
        return
    year = checked.label
    folder = relative_to_cwd(data_dir / year)
    if checked.built is None:
        if record.pending:
            message = _(
                "{year}: published, and {folder}/ is gone: publish serves the recorded edition "
                "{edition}; the correction requested cannot be built"
            )
        else:
            message = _(
                "{year}: published, and {folder}/ is gone: publish serves the recorded edition "
                "{edition}"
            )
        click.echo(
            message.format(year=year, folder=folder, edition=record.current.number),
            err=record.pending is not None,
        )
        return
    if not checked.built.result.ok:
        click.echo(
            _("{year}: published, and its data no longer builds (above)").format(year=year),
            err=True,
        )
        return
    edition = record.current
    if record.pending is not None:
        click.echo(
            _(
                "{year}: correction requested ({reason}); the next publish records edition "
                "{edition}, which changes {count} file(s)"
            ).format(
                year=year, reason=record.pending, edition=edition.number + 1, count=_count(checked)
            )
        )
    elif not checked.differs:
        click.echo(
            _("{year}: edition {edition} rebuilds byte for byte").format(
                year=year, edition=edition.number
            )
        )
    else:
        click.echo(
            _(
                "{year}: published, and this change would alter {count} of its files. publish "
                "keeps serving the recorded ones; a published year changes only by a "
                "correction: if the change is meant to reach it, run `disclosure correct {year} "
                '--reason "…"` and commit {request} with it; otherwise undo the change (to '
                "{folder}/, the project's layouts/, the templates or the tool version)"
            ).format(
                year=year,
                count=_count(checked),
                request=f"{relative_to_cwd(editions_dir)}/{year}/{REQUEST}",
                folder=folder,
            ),
            err=True,
        )


def _count(checked: YearCheck) -> int:
    return len(checked.changed) + len(checked.missing) + len(checked.added)


@click.command(
    "correct",
    short_help=N_("Request a correction (更正) of a published year"),
    help=N_(
        "Request a correction (更正) of the published YEAR (or of its final accounts, "
        "YEAR/final): the next `disclosure publish` records a new edition from the data as it "
        "is then, with a dated 更正说明 on every document and in the index, and keeps the "
        "earlier editions available.\n\nWrites --editions/YEAR/correction.json (for the "
        "final accounts --editions/YEAR/final/correction.json): commit it with the data "
        "change it explains."
    ),
)
@click.argument("year", metavar="YEAR[/final]")
@click.option("--reason", required=True, help=N_("Why: printed on the page and in the index."))
@data_option
@editions_option
def correct(year: str, reason: str, data_dir: Path, editions_dir: Path | None) -> None:
    from ..publish import editions
    from ..publish.output import write_atomic

    number, document = _document(year)
    year = editions.label(number, document)
    text = _reason(reason)
    editions_dir = _editions(editions_dir, data_dir)
    if not editions.data_folder(data_dir, number, document).is_dir():
        raise Trouble(
            _("cannot correct {year}: there is no {folder}").format(
                year=document_name(year), folder=editions.data_folder(data_dir, number, document)
            )
        )
    record = editions.load(editions_dir, number, document)
    if record is None:
        raise Trouble(
            _(
                "{year} was never published (no {manifest}), so there is nothing to correct: "
                "publish it first"
            ).format(
                year=document_name(year),
                manifest=f"{relative_to_cwd(editions_dir / year)}/{editions.MANIFEST}",
            )
        )
    path = editions.year_folder(editions_dir, number, document) / editions.REQUEST
    write_atomic(path, editions.request_bytes(text))
    click.echo(
        _(
            "wrote {path}: the next publish records edition {edition} of {year} as a correction "
            "of edition {corrects}; commit it with the change it explains"
        ).format(
            path=relative_to_cwd(path),
            edition=record.current.number + 1,
            year=document_name(year),
            corrects=record.current.number,
        )
    )


@click.command(
    "parts",
    short_help=N_("Lay out one share of a department's PDF parts (one job of a CI matrix)"),
    help=N_(
        "Lay out the parts a department's PDFs are joined from (its own part in pieces, each "
        "unit's document) that fall to share K of N, into OUT. N jobs, one per share, each "
        "run this; the publish job merges their folders and passes the result to `build` or "
        "`publish` with --parts-from, which joins the parts instead of laying them out. A "
        "year that is no department's package has no parts."
    ),
)
@click.argument("years", nargs=-1)
@data_option
@click.option(
    "--shard",
    required=True,
    metavar="K/N",
    help=N_("This job's share: K from 1 to N (e.g. 2/4 lays out the 2nd, 6th, 10th … part)."),
)
@out_option("parts", N_("Folder the parts are written to."))
def parts(years: tuple[str, ...], data_dir: Path, shard: str, out_dir: Path) -> None:
    from ..publish.build import part_jobs
    from ..publish.pdf_parts import lay_out_shard
    from ..render import pdf_process
    from .command import compile_years

    share, shares = _shard(shard)
    results = compile_years(data_dir, years, default_format())
    if any(not result.ok for result in results):
        click.echo(_("no parts laid out: fix the errors above"), err=True)
        sys.exit(DATA_ERRORS)
    jobs = [job for result in results for job in part_jobs(result)]
    out_dir.mkdir(parents=True, exist_ok=True)
    with pdf_process.running():
        count = lay_out_shard(jobs, share, shares, out_dir)
    click.echo(
        _("laid out {count} of {total} parts (share {shard}) into {folder}/").format(
            count=count, total=len(jobs), shard=shard, folder=out_dir
        )
    )


def _shard(value: str) -> tuple[int, int]:
    found = re.fullmatch(r"\s*(\d+)\s*/\s*(\d+)\s*", value)
    if not found or not 1 <= int(found.group(1)) <= int(found.group(2)):
        raise click.BadParameter(
            _("{value!r} is not K/N with K from 1 to N (e.g. 2/4)").format(value=value),
            param_hint="--shard",
        )
    return int(found.group(1)), int(found.group(2))
