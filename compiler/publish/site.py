"""Publish every year: each year's documents under names that say unit and year, its figures
as open data, and an index page linking every year, format, data file and earlier edition
(what CI deploys on a merge to main).

A year published before is served from its record (`published/<year>/`, see editions.py),
byte for byte; a year published for the first time, or one with a correction requested, is
built and its new edition recorded. Everything is prepared in memory and written only if
every year succeeded, so a failed publish changes nothing.

A year's final accounts (data/<year>/final/) are published beside its budget as a document
of their own: their files under <year>/final/ (named by their layout's title, 年度部门决算),
their open data in <year>/final/data/ (phase executed), their own record and editions
(published/<year>/final/), a line of their own on the index page.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from ..i18n import _, document_name
from ..input.sources import WorkingTreeYear, available_years
from ..model.disclosure import Disclosure
from ..render.notice import Correction
from . import editions
from .build import output_path, source_date_epoch
from .editions import FINAL, FORMAT_LABELS, Built, EditionError, Record, data_folder
from .output import Content, write_all

__all__ = ["FORMAT_LABELS", "PublishResult", "YearPublication", "publish", "publish_naming"]

EARLIER = "editions"  # the site keeps earlier editions in <year>/editions/<n>/


def publish_naming(model: Disclosure, fmt: str) -> str:
    """2022/151001_廊坊市人民政府办公室本级_2022年单位预算信息公开.pdf: the unit's code
    (where it has one) and name, and the layout's name for the document."""
    unit = model.unit
    code = f"{unit.code}_" if unit.code else ""
    what = model.layout.file_title_for(model.year)
    name = f"{code}{unit.full_name}_{what}".translate(_FILE_SAFE)
    return f"{model.year}/{name}.{fmt}"


# Characters Windows forbids in a file name, as their full-width forms: a unit named
# 某局（试点：一） (or a project layout's file_title) still gives files every clerk's
# computer can check out and open.
_FILE_SAFE = str.maketrans('\\/:*?"<>|', "＼／：＊？＂＜＞｜")


@dataclass
class YearPublication:
    year: int
    record: Record | None = None
    built: Built | None = None  # None when the year is served from its record
    # the current edition, by path: the build's waiting files, or the record's
    files: dict[str, Path] = field(default_factory=dict)
    document: str = ""  # "" the budget; FINAL the final accounts

    @property
    def label(self) -> str:
        return editions.label(self.year, self.document)

    @property
    def ok(self) -> bool:
        return self.built is None or self.built.result.ok

    @property
    def recorded(self) -> bool:
        """Whether this publish records a new edition of the year."""
        return self.built is not None


@dataclass
class PublishResult:
    years: list[YearPublication] = field(default_factory=list)
    index: Path | None = None
    written: list[Path] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return bool(self.years) and all(y.ok for y in self.years)


def documents(data_dir: Path, editions_dir: Path) -> list[tuple[int, str]]:
    """Every (year, document) to publish: each year's budget (a year folder with files of
    its own) and final accounts (its final/), in the data or in the record."""
    found = set()
    for year in available_years(data_dir):
        if WorkingTreeYear(data_dir, year).files():
            found.add((year, ""))
        if (data_dir / str(year) / FINAL).is_dir():
            found.add((year, FINAL))
    found |= {(y, "") for y in editions.recorded_years(editions_dir)}
    found |= {(y, FINAL) for y in editions.recorded_finals(editions_dir)}
    return sorted(found)


def publish(
    data_dir: Path,
    out_dir: Path,
    strict: bool = False,
    editions_dir: Path = Path("published"),
    corrections: dict | None = None,
) -> PublishResult:
    """Publish every year under data_dir into out_dir and record new editions in
    editions_dir. `corrections` (year, or (year, "final") for its final accounts → reason)
    requests corrections now, as `disclosure correct` does for a later publish."""
    result = PublishResult()
    keys = documents(data_dir, editions_dir)
    corrections = {
        (k if isinstance(k, tuple) else (k, "")): v for k, v in (corrections or {}).items()
    }
    for year, document in corrections:
        if not data_folder(data_dir, year, document).is_dir():
            raise EditionError(
                _("cannot correct {year}: there is no {folder}").format(
                    year=document_name(editions.label(year, document)),
                    folder=data_folder(data_dir, year, document),
                )
            )
    epoch = source_date_epoch()
    today = editions.publication_date(epoch)
    files: dict[Path, Content] = {}  # the site
    recorded: dict[Path, Content] = {}  # new editions, for the record
    requests: list[Path] = []
    for year, document in keys:
        record = editions.load(editions_dir, year, document)
        if (year, document) in corrections:
            if record is None:
                raise EditionError(
                    _(
                        "{year} was never published, so there is nothing to correct: publish "
                        "it first (its first edition needs no correction)"
                    ).format(year=document_name(editions.label(year, document)))
                )
            record.pending = corrections[(year, document)]
        publication = _publish_year(
            data_dir, editions_dir, year, record, strict, epoch, today, document
        )
        result.years.append(publication)
        if not publication.ok:
            continue
        year_record = publication.record
        site = editions.label(year, document)  # 2024, or 2024/final
        for rel, data in publication.files.items():
            files[output_path(out_dir, f"{site}/{rel}")] = data
        for edition in year_record.editions[:-1]:
            stored = editions.stored_files(editions_dir, year, edition, document)
            for rel, data in stored.items():
                files[output_path(out_dir, f"{site}/{EARLIER}/{edition.number}/{rel}")] = data
        if publication.recorded:
            folder = editions.year_folder(editions_dir, year, document)
            number = year_record.current.number
            for rel, data in publication.files.items():
                recorded[output_path(folder, f"{number}/{rel}")] = data
            recorded[folder / editions.MANIFEST] = editions.manifest_bytes(year_record)
            requests.append(folder / editions.REQUEST)
    if not result.ok:
        return result
    index = output_path(out_dir, "index.html")
    files[index] = render_index([y.record for y in result.years]).encode("utf-8")
    # Two sets, each switched in as a whole (output.write_all): the site, then the record of
    # what it now publishes. A publish stopped between them recorded nothing, and the next
    # one builds the same editions again.
    try:
        write_all(files)
        write_all(recorded)
    finally:  # the built years' waiting files, written or not: no longer needed
        for publication in result.years:
            for path in publication.files.values() if publication.built else ():
                path.unlink(missing_ok=True)
    for request in requests:  # consumed: the edition it asked for is recorded
        request.unlink(missing_ok=True)
    result.index = index
    result.written = sorted(files) + sorted(recorded)
    return result


def _publish_year(
    data_dir: Path,
    editions_dir: Path,
    year: int,
    record: Record | None,
    strict: bool,
    epoch: int | None,
    today,
    document: str = "",
) -> YearPublication:
    if record is not None and record.pending is None:
        served = editions.stored_files(editions_dir, year, record.current, document)
        return YearPublication(year, record, None, served, document)
    folder = data_folder(data_dir, year, document)
    if not folder.is_dir():
        raise EditionError(
            _("{year} has a correction requested, and no {folder} to build it from").format(
                year=document_name(editions.label(year, document)), folder=folder
            )
        )
    correction = None
    if record is not None:
        previous = record.current.number
        correction = Correction(year, previous + 1, previous, today, record.pending)
    built = editions.build(
        data_dir,
        year,
        publish_naming,
        strict=strict,
        epoch=epoch,
        correction=correction,
        document=document,
    )
    publication = YearPublication(year, record, built, built.files, document)
    if not built.result.ok:
        return publication
    edition = editions.new_edition(
        built,
        1 if record is None else record.current.number + 1,
        today,
        epoch,
        editions.revision_of(data_dir, year, document),
        correction,
    )
    if record is None:
        record = Record(year, [], document=document)
    record.editions.append(edition)
    record.pending = None
    publication.record = record
    return publication


def render_index(records: list[Record]) -> str:
    """The site's front page: every year, newest first, with its documents, its open data,
    its corrections and its earlier editions."""
    from markupsafe import Markup

    from ..render.environment import css_text, environment

    ordered = sorted(records, key=lambda r: (-r.year, r.document))  # a budget, then its 决算
    template = environment("html").get_template("html/index.html.j2")
    return template.render(records=ordered, earlier=EARLIER, css=Markup(css_text()))
