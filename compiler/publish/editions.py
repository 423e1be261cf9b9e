"""Frozen editions: what was published for a year, kept in the repository, served unchanged.

Publishing a year the first time records its edition in `published/<year>/`: the files as
published (`published/<year>/<n>/…`, the same paths they have on the site under `<year>/`)
and `manifest.json`, which lists each edition with its date, the git revision of the data,
the tool's version, the SOURCE_DATE_EPOCH it was built with, the links of the index page and
every file's sha256. Later publishes serve those bytes: a template or tool change no longer
reaches a published year.

A published year changes only by a correction (更正): `disclosure correct YEAR --reason …`
files the request (`published/<year>/correction.json`, reviewed with the data change in the
same pull request) and the next publish builds the new edition, with a dated 更正说明 on
every document and in the index; the earlier editions stay in the record and on the site.
`disclosure publish --correct YEAR --reason …` does both at once.

A year's final accounts (决算, `data/<year>/final/`) are a document of their own with a
record of their own, `published/<year>/final/` (the same manifest, with `"document":
"final"`), published on the site under `<year>/final/` and corrected on their own
(`disclosure correct 2024/final --reason …`); the budget's record is not touched.

`check` rebuilds every published year with the epoch and correction note it was published
with and compares the bytes with the record: a difference means that the data or the tool
changed a published year, and says which file.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import subprocess
import unicodedata
from dataclasses import asdict, dataclass, field
from datetime import UTC, date, datetime, timedelta, timezone
from pathlib import Path

from .. import characters
from ..diagnostics import strictly
from ..errors import Trouble
from ..i18n import _, document_name
from ..input.projectlayouts import FOLDER as LAYOUTS_FOLDER
from ..input.sources import WorkingTreeYear
from ..model.disclosure import Disclosure
from ..pipeline.year import compile_year
from ..render.notice import Correction
from .build import BuildResult, Epoch, published_documents, render_year
from .spool import spooled

MANIFEST = "manifest.json"
REQUEST = "correction.json"
FORMAT = 1  # the manifest's own format version
CHINA = timezone(timedelta(hours=8), "UTC+8")  # the date an edition is published on
MAX_REASON = 500
FINAL = "final"  # a year's final accounts: their record and site folder, under the year's
FORMAT_LABELS = {"pdf": "PDF", "html": "网页", "md": "Markdown", "xlsx": "Excel 公开表"}


class EditionError(Trouble):
    """A record that cannot be used (edited by hand, a file missing) or a correction that
    cannot be made: trouble outside the data (exit 2)."""


@dataclass(frozen=True)
class Link:
    label: str
    path: str  # relative to the year's folder


@dataclass(frozen=True)
class Document:
    """One published document of the year (a department's package or a unit alone)."""

    name: str  # the unit's full name
    title: str  # the document's title, e.g. 2022年单位预算信息公开
    links: tuple[Link, ...]


@dataclass(frozen=True)
class Edition:
    number: int
    published: str  # ISO date
    revision: str | None  # the data's git commit, where it is in a git repository
    uncommitted: bool  # the data differed from that commit
    tool: str
    source_date_epoch: int | None
    documents: tuple[Document, ...]
    data: tuple[Link, ...]  # the open data files
    files: dict[str, str] = field(hash=False)  # path in the year's folder → sha256
    reason: str | None = None  # a correction's reason
    corrects: int | None = None  # the edition a correction replaces

    @property
    def is_correction(self) -> bool:
        return self.corrects is not None

    @property
    def published_on(self) -> date:
        return date.fromisoformat(self.published)

    def correction(self, year: int) -> Correction | None:
        """The note this edition's documents carry (None for a first edition)."""
        if self.corrects is None:
            return None
        return Correction(year, self.number, self.corrects, self.published_on, self.reason)


@dataclass
class Record:
    """A year's editions, oldest first, and a correction requested but not yet published."""

    year: int
    editions: list[Edition]
    pending: str | None = None  # the reason of a requested correction
    document: str = ""  # "" the year's budget; FINAL its final accounts

    @property
    def current(self) -> Edition:
        return self.editions[-1]

    @property
    def label(self) -> str:
        return label(self.year, self.document)

    @property
    def site_folder(self) -> str:
        """Where the document's files are on the site: 2024, or 2024/final."""
        return self.label


def label(year: int, document: str = "") -> str:
    """2024 (the budget) or 2024/final (the final accounts), as commands take them."""
    return f"{year}/{document}" if document else str(year)


def parse_label(text: str) -> tuple[int, str]:
    """2024 → (2024, ""), 2024/final → (2024, "final"); ValueError otherwise."""
    m = re.fullmatch(r"\s*([0-9]{4})(/final)?\s*", str(text))
    if not m:
        raise ValueError(_("'{spec}' is not a year: expected YEAR or YEAR/final").format(spec=text))
    return int(m.group(1)), FINAL if m.group(2) else ""


# --- reading and writing the record ---------------------------------------------------------


def year_folder(editions_dir: Path, year: int, document: str = "") -> Path:
    folder = editions_dir / str(year)
    return folder / document if document else folder


def data_folder(data_dir: Path, year: int, document: str = "") -> Path:
    folder = data_dir / str(year)
    return folder / document if document else folder


def recorded_finals(editions_dir: Path) -> list[int]:
    """The years whose final accounts have a record."""
    if not editions_dir.is_dir():
        return []
    return sorted(
        int(p.name)
        for p in editions_dir.iterdir()
        if p.is_dir() and re.fullmatch(r"[0-9]{4}", p.name) and (p / FINAL / MANIFEST).is_file()
    )


def recorded_years(editions_dir: Path) -> list[int]:
    """The years with a record: still published when their data folder is gone."""
    if not editions_dir.is_dir():
        return []
    return sorted(
        int(p.name)
        for p in editions_dir.iterdir()
        if p.is_dir() and re.fullmatch(r"[0-9]{4}", p.name) and (p / MANIFEST).is_file()
    )


def load(editions_dir: Path, year: int, document: str = "") -> Record | None:
    """The year's record (of its budget, or of its final accounts), or None if it was
    never published."""
    folder = year_folder(editions_dir, year, document)
    manifest = folder / MANIFEST
    request = folder / REQUEST
    editions: list[Edition] = []
    if manifest.is_file():
        editions = _parse_manifest(manifest, year, document)
    elif (
        folder.is_dir()
        and not request.is_file()
        and any(document or p.name != FINAL for p in folder.iterdir())
    ):
        raise EditionError(
            _(
                "{folder} has no {manifest}: the record of {year} is incomplete (restore it "
                "with git)"
            ).format(folder=folder, manifest=MANIFEST, year=document_name(label(year, document)))
        )
    pending = _parse_request(request) if request.is_file() else None
    if not editions:
        if pending is not None:
            raise EditionError(
                _(
                    "{request} asks for a correction of {year}, which was never published: "
                    "remove it (the first publish needs none)"
                ).format(request=request, year=document_name(label(year, document)))
            )
        return None
    return Record(year, editions, pending, document)


def _parse_manifest(path: Path, year: int, document: str = "") -> list[Edition]:
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
        if raw.get("document", "") != document:
            raise ValueError(
                _("expected the record of {label}").format(label=label(year, document))
            )
        if raw.get("year") != year or raw.get("format") != FORMAT:
            raise ValueError(
                _("expected year {year} and format {format}").format(year=year, format=FORMAT)
            )
        editions = [_edition(entry) for entry in raw["editions"]]
    except (ValueError, KeyError, TypeError, AttributeError) as e:
        raise EditionError(_unreadable(path, e)) from e
    if not editions or [e.number for e in editions] != list(range(1, len(editions) + 1)):
        raise EditionError(
            _("{path}: the editions must be numbered 1, 2, … in order").format(path=path)
        )
    return editions


def _edition(entry: dict) -> Edition:
    def links(items) -> tuple[Link, ...]:
        return tuple(Link(item["label"], _safe_path(item["path"])) for item in items)

    files = {_safe_path(p): h for p, h in entry["files"].items()}
    if not all(isinstance(h, str) and re.fullmatch(r"[0-9a-f]{64}", h) for h in files.values()):
        raise ValueError(_("every file needs its sha256 (64 hex digits)"))
    epoch = entry["source_date_epoch"]
    if epoch is not None and not isinstance(epoch, int):
        raise ValueError(_("source_date_epoch must be a whole number or null"))
    date.fromisoformat(entry["published"])
    return Edition(
        number=entry["edition"],
        published=entry["published"],
        revision=entry.get("revision"),
        uncommitted=bool(entry.get("uncommitted_changes", False)),
        tool=entry["tool"],
        source_date_epoch=epoch,
        documents=tuple(
            Document(d["name"], d["title"], links(d["links"])) for d in entry["documents"]
        ),
        data=links(entry["data"]),
        files=files,
        reason=_recorded_reason(entry),
        corrects=(entry.get("correction") or {}).get("corrects"),
    )


def _recorded_reason(entry: dict) -> str | None:
    """A recorded correction's reason, held to the rule a new one meets: the index prints
    it, so an edited record must not slip in what `disclosure correct` refuses."""
    reason = (entry.get("correction") or {}).get("reason")
    return None if reason is None else check_reason(reason)


def _safe_path(path: str) -> str:
    """A path inside the year's folder, as the record writes it (never absolute or ..)."""
    parts = path.split("/")
    if not path or path.startswith("/") or any(p in ("", ".", "..") for p in parts):
        raise ValueError(_("{path!r} is not a path inside the year's folder").format(path=path))
    return path


def _parse_request(path: Path) -> str:
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
        return check_reason(raw["reason"])
    except (ValueError, KeyError, TypeError) as e:
        raise EditionError(_unreadable(path, e)) from e


def _unreadable(path: Path, error: Exception) -> str:
    """A record file that cannot be used, and why, in the reader's words where Python's are
    a programmer's. (A file the system cannot read is the command line's to report.)"""
    if isinstance(error, KeyError):
        reason = _("it has no field {key!r}").format(key=error.args[0])
    elif isinstance(error, json.JSONDecodeError):
        reason = _("it is not valid JSON (line {line}, column {column})").format(
            line=error.lineno, column=error.colno
        )
    elif isinstance(error, UnicodeDecodeError):
        reason = _("it is not UTF-8 text")
    else:
        reason = str(error)
    return _("{path} cannot be read: {reason}").format(path=path, reason=reason)


def check_reason(reason) -> str:
    """A correction's reason: one line of text, printed on the page and in the index."""
    if not isinstance(reason, str) or not reason.strip():
        raise ValueError(_('a correction needs its reason (--reason "…"), which the page prints'))
    reason = unicodedata.normalize("NFC", reason.strip())
    # the loader's rule for one line of text (bidi controls, U+2028, private use, …)
    bad = [c for c in reason if c == "\n" or characters.problem(c, in_value=True)]
    if bad:
        raise ValueError(
            _(
                "the reason contains the invisible or control character {code}; write it as "
                "one line of plain text"
            ).format(code=f"U+{ord(bad[0]):04X}")
        )
    if len(reason) > MAX_REASON:
        raise ValueError(
            _("the reason is {length} characters long; at most {limit}").format(
                length=len(reason), limit=MAX_REASON
            )
        )
    return reason


def manifest_bytes(record: Record) -> bytes:
    entries = []
    for edition in record.editions:
        entry = {
            "edition": edition.number,
            "published": edition.published,
            "revision": edition.revision,
            "uncommitted_changes": edition.uncommitted,
            "tool": edition.tool,
            "source_date_epoch": edition.source_date_epoch,
            "documents": [
                {"name": d.name, "title": d.title, "links": [asdict(x) for x in d.links]}
                for d in edition.documents
            ],
            "data": [asdict(x) for x in edition.data],
            "files": dict(sorted(edition.files.items())),
        }
        if edition.corrects is not None:
            entry["correction"] = {"corrects": edition.corrects, "reason": edition.reason}
        entries.append(entry)
    head: dict = {"format": FORMAT, "year": record.year}
    if record.document:  # the budget's manifest stays as it was
        head["document"] = record.document
    text = json.dumps({**head, "editions": entries}, ensure_ascii=False, indent=2)
    return (text + "\n").encode("utf-8")


def request_bytes(reason: str) -> bytes:
    return (json.dumps({"reason": reason}, ensure_ascii=False, indent=2) + "\n").encode("utf-8")


def stored_files(
    editions_dir: Path, year: int, edition: Edition, document: str = ""
) -> dict[str, Path]:
    """The files of a recorded edition, each checked against its recorded sha256 (read a
    piece at a time: a department's package PDF is tens of MB)."""
    folder = year_folder(editions_dir, year, document) / str(edition.number)
    files = {}
    for rel, expected in edition.files.items():
        path = folder / rel
        try:
            digest = file_sha256(path)
        except FileNotFoundError as e:  # other trouble reading it: the command line's words
            raise EditionError(
                _(
                    "{path} is missing from the record of {year} edition {edition} (restore it "
                    "with git)"
                ).format(
                    path=path, year=document_name(label(year, document)), edition=edition.number
                )
            ) from e
        if digest != expected:
            raise EditionError(
                _(
                    "{path} does not match the sha256 its manifest records: a published edition "
                    "is never edited by hand (restore it with git, or publish a correction)"
                ).format(path=path)
            )
        files[rel] = path
    return files


def file_sha256(path: Path) -> str:
    with open(path, "rb") as file:
        return hashlib.file_digest(file, "sha256").hexdigest()


# --- building an edition --------------------------------------------------------------------


@dataclass
class Built:
    """A year built for publishing: the compile and render result, and the edition's files
    (paths inside the year's folder → the build's waiting file holding each, spool.py:
    a department's year is not held in memory) and its index entries, when it built."""

    result: BuildResult
    files: dict[str, Path] = field(default_factory=dict)
    documents: tuple[Document, ...] = ()
    data: tuple[Link, ...] = ()


def build(
    data_dir: Path,
    year: int,
    naming,
    *,
    strict: bool = False,
    epoch: Epoch,
    correction: Correction | None = None,
    document: str = "",
) -> Built:
    """Compile and render every file a year publishes (its budget, or its final accounts),
    each into a waiting file of the build as it comes (Built.files)."""
    from ..render.opendata import FOLDER, open_data
    from .orchestrate import pdf_processes

    source = WorkingTreeYear(data_dir, year, document)
    rendered: dict[tuple[str, str], Path] = {}

    def keep(model: Disclosure, fmt: str, data: bytes | Path) -> None:
        rendered[(model.slug, fmt)] = spooled(data) if isinstance(data, bytes) else data

    # The PDFs laid out in processes of their own, as `build` lays them out (a department's
    # parts side by side, one process per core), started before the year is compiled.
    with pdf_processes(tuple(FORMAT_LABELS), alone=True, source=source):
        compiled = compile_year(source)
        if strict:
            compiled.diagnostics = strictly(compiled.diagnostics)
        built = Built(BuildResult(compiled))
        if not compiled.ok:
            return built
        built.result.diagnostics, built.result.fonts = render_year(
            compiled,
            tuple(FORMAT_LABELS),
            keep,
            workbook_optional=True,
            epoch=epoch,
            correction=correction,
        )
    if not built.result.ok:
        return built
    models = {m.slug: m for m in published_documents(compiled.model)}
    prefix = f"{year}/"
    paths: dict[tuple[str, str], str] = {}
    for (slug, fmt), data in rendered.items():
        name = naming(models[slug], fmt)
        if not name.startswith(prefix):
            raise EditionError(
                _("the published name {name!r} is not in the year's folder").format(name=name)
            )
        paths[(slug, fmt)] = name.removeprefix(prefix)
        built.files[paths[(slug, fmt)]] = data
    built.documents = tuple(
        _document(model, {fmt: p for (s, fmt), p in paths.items() if s == model.slug})
        for model in published_documents(compiled.model)
    )
    opened = open_data(compiled.model)
    for rel, data in opened.items():
        built.files[f"{FOLDER}/{rel}"] = spooled(data)
    built.data = _data_links(compiled.model, opened, FOLDER)
    return built


def _document(model: Disclosure, paths: dict[str, str]) -> Document:
    title = model.layout.file_title_for(model.year)
    links = tuple(Link(FORMAT_LABELS[f], paths[f]) for f in FORMAT_LABELS if f in paths)
    return Document(model.unit.full_name, title, links)


def _data_links(model: Disclosure, files: dict[str, bytes], folder: str) -> tuple[Link, ...]:
    from ..render.opendata import DESCRIPTOR, MODEL

    package = json.loads(files[DESCRIPTOR])
    links = [Link("数据包说明（datapackage.json）", f"{folder}/{DESCRIPTOR}")]
    links.append(Link("计算模型（JSON）", f"{folder}/{MODEL}"))
    for resource in package["resources"]:
        if resource.get("format") == "csv":
            links.append(Link(f"{resource['title']}（CSV）", f"{folder}/{resource['path']}"))
    return tuple(links)


def new_edition(
    built: Built,
    number: int,
    published: date,
    epoch: int | None,
    revision: tuple[str | None, bool],
    correction: Correction | None = None,
) -> Edition:
    from importlib.metadata import PackageNotFoundError, version

    try:
        tool = f"disclosure-compiler {version('disclosure-compiler')}"
    except PackageNotFoundError:
        tool = "disclosure-compiler (not installed)"
    return Edition(
        number=number,
        published=published.isoformat(),
        revision=revision[0],
        uncommitted=revision[1],
        tool=tool,
        source_date_epoch=epoch,
        documents=built.documents,
        data=built.data,
        files={rel: file_sha256(path) for rel, path in sorted(built.files.items())},
        reason=correction.reason if correction else None,
        corrects=correction.corrects if correction else None,
    )


def publication_date(epoch: int | None) -> date:
    """The date an edition is published: SOURCE_DATE_EPOCH's (the commit's) day in China,
    else today's."""
    if epoch is not None:
        return datetime.fromtimestamp(epoch, tz=UTC).astimezone(CHINA).date()
    return datetime.now(tz=CHINA).date()


def revision_of(data_dir: Path, year: int, document: str = "") -> tuple[str | None, bool]:
    """The git commit the data is at, and whether the year's folder (its final/ for the
    final accounts) or the project's layouts/ differ from it (None, False outside a git
    repository)."""
    folder = data_folder(data_dir, year, document)

    def git(*args: str) -> str | None:
        try:
            done = subprocess.run(
                ["git", "-C", str(folder), *args], capture_output=True, text=True, check=False
            )
        except OSError:
            return None
        return done.stdout.strip() if done.returncode == 0 else None

    commit = git("rev-parse", "--verify", "--quiet", "HEAD")
    if not commit:
        return None, False
    status = git("status", "--porcelain", "--untracked-files=all", "--", ".")
    layouts = Path(os.path.abspath(data_dir)).parent / LAYOUTS_FOLDER
    if os.path.lexists(layouts):  # the project's own layouts shaped the files too
        status = (status or "") + (
            git("status", "--porcelain", "--untracked-files=all", "--", str(layouts)) or ""
        )
    return commit, bool(status)


# --- the check ------------------------------------------------------------------------------


@dataclass
class YearCheck:
    year: int
    record: Record | None
    built: Built | None = None
    changed: list[str] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)  # recorded, no longer built
    added: list[str] = field(default_factory=list)  # built, not recorded
    document: str = ""

    @property
    def label(self) -> str:
        return label(self.year, self.document)

    @property
    def differs(self) -> bool:
        return bool(self.changed or self.missing or self.added)

    @property
    def ok(self) -> bool:
        """Nothing that publish would have to change without saying so."""
        if self.record is not None and self.built is None:  # no data: served as recorded
            return self.record.pending is None
        if self.record is None:
            return self.built is None or self.built.result.ok
        if self.built is None or not self.built.result.ok:
            return False
        return self.record.pending is not None or not self.differs


def check_year(
    data_dir: Path,
    editions_dir: Path,
    year: int,
    naming,
    strict: bool = False,
    document: str = "",
) -> YearCheck:
    """Rebuild a published year as its current edition was built (same epoch, same note)
    and compare every file with the record. A year never published is only compiled."""
    record = load(editions_dir, year, document)
    if record is None:
        compiled = compile_year(WorkingTreeYear(data_dir, year, document))
        if strict:
            compiled.diagnostics = strictly(compiled.diagnostics)
        return YearCheck(year, None, Built(BuildResult(compiled)), document=document)
    stored_files(editions_dir, year, record.current, document)  # the record itself is intact
    if not data_folder(data_dir, year, document).is_dir():
        return YearCheck(year, record, document=document)
    edition = record.current
    built = build(
        data_dir,
        year,
        naming,
        strict=strict,
        epoch=edition.source_date_epoch,
        correction=edition.correction(year),
        document=document,
    )
    result = YearCheck(year, record, built, document=document)
    if not built.result.ok:
        return result
    new = {rel: file_sha256(path) for rel, path in built.files.items()}
    for path in built.files.values():  # compared: not written anywhere
        path.unlink(missing_ok=True)
    result.changed = sorted(r for r in new if r in edition.files and new[r] != edition.files[r])
    result.missing = sorted(r for r in edition.files if r not in new)
    result.added = sorted(r for r in new if r not in edition.files)
    return result


def relative_to_cwd(path: Path) -> str:
    try:
        return Path(os.path.abspath(path)).relative_to(Path.cwd().resolve()).as_posix()
    except ValueError:
        return path.as_posix()
