"""What the PDF is made from, without WeasyPrint: the print HTML and the files to attach.

Building it needs only the model, so it is done where the model is; laying it out
(render/pdf.py) may then happen in another process (render/pdf_process.py). That process
imports this module too, so it imports nothing of the compiler at the top: the model and
the HTML renderer are imported by the functions that take a model, in the process that
has one.
"""

from __future__ import annotations

import hashlib
import html as htmllib
import io
import pickle
import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ..model.disclosure import Disclosure
    from .notice import Correction


@dataclass(frozen=True)
class SourceFile:
    """A data file to embed in the PDF, as committed (name relative to the year)."""

    name: str
    content: bytes


@dataclass(frozen=True)
class PdfJob:
    """Everything WeasyPrint needs for one PDF: plain values, so it can cross to a process."""

    html: str
    model_json: str
    identifier: bytes
    sources: tuple[SourceFile, ...]
    source_date_epoch: int | None
    # False: a part, laid out without its attachments (the published PDF made of it gets
    # them when joined, so a part does not change with a file it only carries)
    attached: bool = True
    # a part's file: its PDF is written there and the answer carries the file's name, so
    # the build does not hold every part's bytes until they are joined (pdf_parts.py)
    spool: str | None = None


@dataclass(frozen=True)
class RenderedPdf:
    """A laid-out PDF: defined here, not beside WeasyPrint, because it crosses back from the
    PDF process, and unpickling it must not import WeasyPrint into this one (0.5 s)."""

    data: bytes
    fonts: list[tuple[str, str]]  # (family, style) of every font embedded
    # the CSS bookmark-level of each bookmark, in the order of the outline (a part's
    # bookmarks are nested across the parts it is joined with as in one document)
    bookmark_levels: tuple[int, ...] = ()
    # the file holding the PDF when it was written there (PdfJob.spool): `data` is empty
    file: str | None = None


def epoch_date(source_date_epoch: int | None) -> datetime:
    # PDF/A requires dates in the attachments; without SOURCE_DATE_EPOCH use a fixed one.
    return datetime.fromtimestamp(source_date_epoch or 0, tz=UTC)


def print_html(
    model: Disclosure,
    source_date_epoch: int | None = None,
    correction: Correction | None = None,
    with_units: bool = True,
) -> str:
    """The HTML the PDF is laid out from; dated only when SOURCE_DATE_EPOCH is given
    (`with_units`: see render_html)."""
    from .html import render_html

    created = None
    if source_date_epoch is not None:
        created = epoch_date(source_date_epoch).strftime("%Y-%m-%dT%H:%M:%SZ")
    return render_html(
        model, for_print=True, created=created, correction=correction, with_units=with_units
    )


def pdf_job(
    model: Disclosure,
    html: str,
    sources: list[SourceFile] | tuple[SourceFile, ...] = (),
    source_date_epoch: int | None = None,
) -> PdfJob:
    from .opendata import model_json

    return PdfJob(html, model_json(model), pdf_identifier(model), tuple(sources), source_date_epoch)


def pdf_identifier(model: Disclosure) -> bytes:
    """The PDF's fixed file identifier: the same for every build of the same unit and year."""
    return hashlib.sha256(f"{model.unit.code}-{model.year}".encode()).hexdigest()[:32].encode()


# A department's package is joined from parts laid out apart (see render/pdf_join.py): each
# part is laid out once, bare of its running header and page numbers, and those are
# stamped on each published PDF afterwards, numbered as that PDF counts its pages.
BARE_PAGES_CSS = """<style>
@page { @top-center { content: none !important; border: 0 !important; }
        @bottom-center { content: none !important; } }
</style>"""

_RUNNING_TITLE = re.compile(r'<p class="running-title">(.*?)</p>', re.S)
_TITLE = re.compile(r"<title>(.*?)</title>", re.S)


def bare(html: str) -> str:
    """The print HTML laid out without the running header and the page numbers."""
    return html.replace("</head>", BARE_PAGES_CSS + "\n</head>", 1)


def running_title(html: str) -> str:
    """The text the running header of a document's pages shows (print.css's string-set)."""
    found = _RUNNING_TITLE.search(html)
    return htmllib.unescape(re.sub(r"<[^>]+>", "", found.group(1))) if found else ""


def document_title(html: str) -> str:
    """The document's title (its <title>), as its bookmark in a package."""
    found = _TITLE.search(html)
    return htmllib.unescape(found.group(1).strip()) if found else ""


@dataclass(frozen=True)
class JoinJob:
    """A published PDF made of bare parts (pdf_join.py): the parts in order, each with the
    running header its pages show; for a package, each part after the first is a unit,
    bookmarked under the first part's last bookmark with its title. `css` is the print
    stylesheet whose @page rules draw the header and numbers; the model and sources are
    attached as a PdfJob's are, read from the file `attachments` (write_attachments)."""

    parts: tuple[str, ...]  # the parts' files (PdfJob.spool)
    running_titles: tuple[str, ...]
    unit_titles: tuple[str, ...]
    css: str
    identifier: bytes
    attachments: str
    source_date_epoch: int | None
    # how many parts after the first continue it (the pieces of a long document, see
    # pdf_pieces.py), with every part's bookmark levels (RenderedPdf.bookmark_levels)
    continued: int = 0
    bookmark_levels: tuple[tuple[int, ...], ...] = ()
    # the file the published PDF is written to (a package is tens of MB: written as it is
    # joined, and not sent back through the pipe), as PdfJob.spool
    spool: str | None = None


def write_attachments(path: str, model_json: Iterable[str], sources: Iterable[SourceFile]) -> None:
    """What a published PDF joined from parts attaches, written to the file `path` for the
    join's process (read_attachments): the sources, then the model's JSON as its chunks
    come (opendata.model_json_chunks). Neither is held by the build while the parts are
    laid out and joined: a department's grow with its units (its JSON 6.8 M characters
    at 60 units, 60 MB of memory when made as one string)."""
    with open(path, "wb") as file:
        pickle.dump(tuple(sources), file)
        text = io.TextIOWrapper(file, encoding="utf-8", newline="")
        text.writelines(model_json)
        text.flush()
        text.detach()  # the file is closed by its own `with`


def read_attachments(path: str) -> tuple[str, tuple[SourceFile, ...]]:
    """The model's JSON and the sources write_attachments wrote to `path`."""
    with open(path, "rb") as file:
        sources = pickle.load(file)  # written by the build, in its own folder (spool.py)
        return file.read().decode("utf-8"), sources
