"""A department's PDFs from parts laid out once each (issue 27; render/pdf_join.py).

Every unit's document is laid out once, bare of its running header and page numbers, for
both its own PDF and the package; the department's own part is laid out in pieces of a
bounded size (render/pdf_pieces.py), so that no process holds more than a piece's pages
whatever the number of units. Parts and pieces are laid out side by side in the PDF
processes, remembered in the user's cache (a rebuild after one unit's change lays out
only what changed), then joined: each unit's own PDF from its part, the package from the
department's pieces and every unit's part, numbered through.

A document that is not a department's (a unit on its own) is laid out whole, with its
attachments, and remembered the same way (`laid_out_document`): `publish` after `build`,
or a second build of an unchanged year, lays out nothing again.

Past one machine (a CI matrix, docs/publishing.md): `disclosure parts --shard K/N` lays out
every N-th part into a folder; the publish job, given the jobs' folders merged in
DISCLOSURE_PARTS_FROM (`build`/`publish --parts-from`), takes each part it finds there
instead of laying it out, and lays out any it does not find (a part is found by the same
key as in the user's cache: its HTML, date, tool, libraries and fonts).
"""

from __future__ import annotations

import functools
import json
import os
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

from .. import memory
from ..cache import DiskCache
from ..diagnostics import Diagnostic, Location
from ..i18n import _
from ..model.disclosure import Disclosure
from .spool import spool_file

# Parts of a department's PDFs laid out before (about 1 MB a unit).
PARTS = DiskCache("pdf-parts", packages=("weasyprint", "pydyf", "pikepdf"), limit=512)
# Whole documents' PDFs laid out before, attachments included (1 to 3 MB each).
DOCUMENTS = DiskCache("pdf-documents", packages=PARTS.packages, limit=64)
# The C libraries that lay out and subset the text: a Debian upgrade of one of them may
# move a line, so each file (its versioned name, size and date) is part of every key.
LAYOUT_LIBRARIES = (
    "libpango-1.0.so.0",
    "libpangoft2-1.0.so.0",
    "libharfbuzz.so.0",
    "libharfbuzz-subset.so.0",
    "libfontconfig.so.1",
    "libfreetype.so.6",
)
# A folder of parts laid out elsewhere (by the jobs of a CI matrix), looked in first.
PARTS_FROM = "DISCLOSURE_PARTS_FROM"


def parts_folder(folder: Path) -> DiskCache:
    """`folder` holding parts as the user's cache holds them (no limit: a bureau's all)."""
    return DiskCache(PARTS.name, PARTS.packages, limit=1_000_000, folder=folder)


def submit(job) -> Callable:
    """Start `job` (a PdfJob or JoinJob) in a PDF process when one is running, else give
    the function that does it here when called."""
    from ..render import pdf_process

    if pdf_process.is_running():
        return pdf_process.submit(job)

    def wait():
        # Imported here: WeasyPrint takes a while to import; html/md builds need none.
        from ..render.pdf import render_job

        return render_job(job)

    return wait


class Part:
    """A document's PDF laid out bare, as a part of published PDFs (a department's own
    part in pieces): what joining it needs. Calling it waits for its pieces' PDFs.
    `job` is the part's (build._pdf_job, bare): it carries no attachments; the published
    PDFs' (the model's JSON and `sources`) are written to a file, read by the joins."""

    def __init__(self, model: Disclosure, html: str, job, sources) -> None:
        from ..render.environment import css_text
        from ..render.opendata import model_json_chunks
        from ..render.pdf_job import document_title, running_title, write_attachments

        # written first, so that the JSON's text is gone before the pieces are cut
        self.attachments = spool_file(".attached")
        write_attachments(self.attachments, model_json_chunks(model), sources)
        self.source_date_epoch = job.source_date_epoch
        jobs = part_jobs(model, html, job)
        # the JSON's tree and the HTML's parse given back before waiting to send the pieces
        memory.give_back()
        found = [laid_out_once(piece) for piece in jobs]
        self.waits = [wait for wait, _elsewhere in found]
        self.taken = sum(elsewhere for _wait, elsewhere in found)  # from PARTS_FROM
        self.running_title = running_title(html)
        self.title = document_title(html)
        self.css = css_text(True, model.layout)
        self.identifier = job.identifier

    def __call__(self) -> list:
        return [wait() for wait in self.waits]


def part_jobs(model: Disclosure, html: str, job) -> list:
    """The jobs laying out a document as a part (`job`, bare and without attachments): a
    department's own part in pieces."""
    from ..render.html import is_package
    from ..render.pdf_job import bare
    from ..render.pdf_pieces import pieces

    texts = pieces(bare(html)) if is_package(model) else [bare(html)]
    return [replace(job, html=text) for text in texts]


def lay_out_shard(jobs: list, shard: int, shards: int, folder: Path) -> int:
    """Lay out the parts that fall to `shard` (1 to `shards`: every shards-th job, from the
    shard-th) and keep them in `folder`; how many there were."""
    store = parts_folder(folder)
    waits = [laid_out_once(job, store)[0] for job in jobs[shard - 1 :: shards]]
    for wait in waits:
        wait()
    return len(waits)


def laid_out_once(job, keep_in: DiskCache = PARTS) -> tuple[Callable, bool]:
    """The function that gives a part's PDF: from the user's cache when the same part (the
    same HTML, date and identifier, tool, libraries and fonts) was laid out before, so a
    rebuild after one unit changed lays out that unit and the department's pieces that
    changed, and joins; else laid out (see submit) and kept. A folder named by
    DISCLOSURE_PARTS_FROM is looked in first; the second value says whether it was
    found there."""
    elsewhere = os.environ.get(PARTS_FROM)
    stores = [parts_folder(Path(elsewhere))] if elsewhere else []
    return _remembered(job, stores, keep_in)


def laid_out_document(job) -> Callable:
    """The function that gives a whole document's PDF, attachments included: from the
    user's cache when the same job (its HTML, model, sources, date and identifier, and the
    tool, libraries and fonts) was laid out before, else laid out and kept. Its PDF comes
    in a file (RenderedPdf.file), for the build to take over."""
    return _remembered(job, [], DOCUMENTS)[0]


def _remembered(job, stores: list[DiskCache], keep_in: DiskCache) -> tuple[Callable, bool]:
    """`job`'s PDF from the first of `stores` and `keep_in` that holds it (and whether one
    of `stores` did), else laid out and kept in `keep_in`."""
    from ..render.pdf_job import RenderedPdf

    key = _layout_key(job, keep_in)
    spool = spool_file()
    for number, store in enumerate([*stores, keep_in]):
        kept = store.get(key) if key else None
        if kept is not None:
            head, _newline, data = kept.partition(b"\n")
            Path(spool).write_bytes(data)
            found = json.loads(head)
            fonts = [tuple(font) for font in found["fonts"]]
            pdf = RenderedPdf(b"", fonts, tuple(found["levels"]), file=spool)
            return functools.partial(_given, pdf), number < len(stores)
    wait = submit(replace(job, spool=spool))

    def keep() -> RenderedPdf:
        pdf = wait()
        if key:
            head = {"fonts": pdf.fonts, "levels": pdf.bookmark_levels}
            keep_in.put(key, json.dumps(head).encode() + b"\n" + Path(pdf.file).read_bytes())
        return pdf

    return keep, False


def _layout_key(job, cache: DiskCache) -> str | None:
    """What a PDF depends on besides the tool and its packages (see DiskCache): the job,
    with its attachments when it carries them, the font files fontconfig serves and the C
    libraries that lay out the text (None when one of these cannot be read)."""
    from ..render import fonts as font_check

    found = []
    try:
        for face in font_check.cjk_faces():
            found.append(_file_stamp(face.file) + f"\t{face.family}\t{face.style}\t{face.index}")
        found.extend(_file_stamp(library) for library in _layout_libraries())
    except OSError:
        return None
    parts = [
        job.html.encode(),
        job.identifier,
        repr(job.source_date_epoch).encode(),
        "\n".join(found).encode(),
    ]
    if job.attached:  # a part carries none: its model and sources are not its keys
        parts.append(job.model_json.encode())
        for source in job.sources:
            parts += [source.name.encode(), source.content]
    return cache.key(*parts)


def _file_stamp(path) -> str:
    found = os.stat(path)
    return f"{os.path.realpath(path)}\t{found.st_size}\t{found.st_mtime_ns}"


@functools.cache
def _layout_libraries() -> list[str]:
    """The files of LAYOUT_LIBRARIES found in the folders WeasyPrint's import looks in."""
    from ..speedups.weasyprint_import import LIBRARY_FOLDERS

    found = []
    for name in LAYOUT_LIBRARIES:
        for folder in LIBRARY_FOLDERS:
            path = os.path.join(folder, name)
            if os.path.exists(path):
                found.append(path)
                break
    return found


def join_parts(documents: list) -> list[Diagnostic]:
    """A department's PDFs from its parts (each document's `wait_for_pdf` a Part, the
    department's first): every unit's own (its part with its header and page numbers) and
    the package (the department's pieces, then every unit's part, numbered through). Waits
    for the parts, then starts the joins; a part that failed fails its own document and
    the package. Says how many parts were taken from DISCLOSURE_PARTS_FROM, if set."""
    from ..render.pdf_job import JoinJob, RenderedPdf

    if not all(isinstance(d.wait_for_pdf, Part) for d in documents):
        return []  # a document failed before its PDF: its problems are reported
    parts = [d.wait_for_pdf for d in documents]
    said = _taken(parts)
    laid_out, failure = [], None
    for document, part in zip(documents, parts, strict=True):
        try:
            laid_out.append(part())
        except Exception as e:
            failure = failure or e
            document.wait_for_pdf = functools.partial(_raise, e)
            laid_out.append(None)
    if failure is not None:
        documents[0].wait_for_pdf = functools.partial(_raise, failure)
        return said

    def joined(job: JoinJob, used: list) -> Callable:
        wait = submit(job)

        def finish() -> RenderedPdf:
            # the joined PDF stays in its file (JoinJob.spool) until the build writes it:
            # this process never holds every unit's PDF at once
            pdf = wait()
            return RenderedPdf(pdf.data, sorted({*pdf.fonts, *used}), file=pdf.file)

        return finish

    package, units = parts[0], parts[1:]
    unit_joins = []
    for document, part, (pdf,) in zip(documents[1:], units, laid_out[1:], strict=True):
        job = JoinJob((pdf.file,), (part.running_title,), (), part.css, part.identifier,
                      part.attachments, part.source_date_epoch, spool=spool_file())  # fmt: skip
        document.wait_for_pdf = _once(joined(job, pdf.fonts))
        unit_joins.append(document.wait_for_pdf)
    pieces = laid_out[0]
    every = [*pieces, *(pdfs[0] for pdfs in laid_out[1:])]
    package_job = JoinJob(
        tuple(pdf.file for pdf in every),
        (package.running_title,) * len(pieces) + tuple(u.running_title for u in units),
        tuple(u.title for u in units),
        package.css,
        package.identifier,
        package.attachments,
        package.source_date_epoch,
        continued=len(pieces) - 1,
        bookmark_levels=tuple(pdf.bookmark_levels for pdf in pieces),
        spool=spool_file(),
    )

    def package_join():
        # The package's join is the largest job (it holds the package's objects): started
        # when the units' joins are done, in a new process, the idle ones ended first.
        from ..render import pdf_process

        for wait in unit_joins:
            try:
                wait()
            except Exception:  # reported with its own document
                pass
        pdf_process.retire_idle()
        try:
            return joined(package_job, [font for pdf in every for font in pdf.fonts])()
        finally:  # the parts' files, joined (the folder goes when the process ends)
            for pdf in every:
                Path(pdf.file).unlink(missing_ok=True)

    documents[0].wait_for_pdf = package_join
    return said


def _taken(parts: list[Part]) -> list[Diagnostic]:
    elsewhere = os.environ.get(PARTS_FROM)
    if not elsewhere:
        return []
    message = _(
        "{taken} of {total} parts of the department's PDFs taken from this folder (laid out "
        "by other jobs); the others laid out here"
    )
    taken = sum(part.taken for part in parts)
    total = sum(len(part.waits) for part in parts)
    return [
        Diagnostic(Location(elsewhere), message.format(taken=taken, total=total), severity="info")
    ]


def _once(wait: Callable) -> Callable:
    """`wait`, whose answer (or error) is given again on every later call."""
    found: list = []

    def once():
        if not found:
            try:
                found.append((True, wait()))
            except Exception as e:
                found.append((False, e))
        ok, value = found[0]
        if not ok:
            raise value
        return value

    return once


def _given(value):
    return value


def _raise(error: Exception):
    raise error
