"""The PDF: the print variant of the HTML laid out by WeasyPrint.

Safety: the fetcher serves nothing (the stylesheet is inline and fonts come from
fontconfig), so no data file can make a build read a local file or reach the network.
Reproducibility: a fixed file identifier, dates only from SOURCE_DATE_EPOCH, and fixed
attachment dates, so the same input gives the same bytes.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from io import BytesIO
from typing import TYPE_CHECKING

from ..speedups.weasyprint_import import weasyprint

weasyprint()  # first, so the import below is the fast one (see speedups/weasyprint_import.py)

from weasyprint import HTML, Attachment  # noqa: E402
from weasyprint.urls import FatalURLFetchingError, URLFetcher  # noqa: E402

from ..errors import OutsideResource  # noqa: E402
from ..i18n import _  # noqa: E402
from ..speedups.collector import laying_out  # noqa: E402
from .pdf_job import (  # noqa: E402
    JoinJob,
    PdfJob,
    RenderedPdf,
    SourceFile,
    epoch_date,
    pdf_job,
    print_html,
    read_attachments,
)

if TYPE_CHECKING:  # the PDF process lays out jobs without the model's modules
    from ..model.disclosure import Disclosure

# WeasyPrint logs every CSS property it does not support; the build reports its own problems.
logging.getLogger("weasyprint").setLevel(logging.ERROR)
logging.getLogger("fontTools").setLevel(logging.ERROR)

# PDF/A-3 allows embedding the machine-readable source. The PDF is also tagged (its
# structure, tables included, is readable by screen readers); we claim level b, not a,
# having no validator here to prove the stricter level.
PDF_VARIANT = "pdf/a-3b"


class ForbiddenFetch(FatalURLFetchingError):
    """Raised for any URL: a disclosure needs no external resource. (WeasyPrint's fatal
    errors are BaseExceptions, so that its own error handling cannot swallow them; the
    build gets an OutsideResource instead, see render_job.)"""

    def __init__(self, message: str, url: str = "") -> None:
        super().__init__(message)
        self.url = url


class NoFetching(URLFetcher):
    def fetch(self, url, headers=None):  # noqa: ARG002 - WeasyPrint's signature
        raise ForbiddenFetch(
            _("refusing to fetch {url}: builds read nothing from outside").format(url=url), url
        )


__all__ = ["print_html", "render_pdf", "render_job", "SourceFile", "RenderedPdf"]


def render_pdf(
    model: Disclosure,
    html: str,
    sources: list[SourceFile] = (),
    source_date_epoch: int | None = None,
) -> RenderedPdf:
    """The PDF laid out from `html` (see print_html), and the fonts it embeds."""
    return render_job(pdf_job(model, html, sources, source_date_epoch))


def render_job(job: PdfJob | JoinJob) -> RenderedPdf:
    """Lay out one PDF (in this process, or in the PDF process: see pdf_process.py); or
    join bare parts into a published PDF (see pdf_join.py)."""
    if isinstance(job, JoinJob):
        return join_job(job)
    attachments = None
    if job.attached:
        attachments = _attachments(job.model_json, job.sources, job.source_date_epoch)
    try:
        with laying_out() as laid_out:
            document = HTML(string=job.html, url_fetcher=NoFetching(), base_url=None).render()
            laid_out.append(document)
            data = document.write_pdf(
                pdf_identifier=job.identifier,
                pdf_variant=PDF_VARIANT,
                pdf_tags=True,
                attachments=attachments,
                custom_metadata=False,
            )
    except ForbiddenFetch as refused:  # an ordinary error from here on, for the build to place
        raise OutsideResource(refused.url) from None
    levels = tuple(level for page in document.pages for level, *_ in page.bookmarks)
    if job.spool is not None:
        with open(job.spool, "wb") as file:
            file.write(data)
        return RenderedPdf(b"", _embedded(document), levels, file=job.spool)
    return RenderedPdf(data, _embedded(document), levels)


def _embedded(document) -> list[tuple[str, str]]:
    return sorted(
        {
            (font.family, "Bold" if font.weight >= 600 else "Regular")
            for font in document.fonts.values()
        }
    )


def _attachments(
    model_json: str, sources: tuple[SourceFile, ...], source_date_epoch: int | None
) -> list[Attachment]:
    """The computed model and every source file, as PDF/A-3 associated files."""
    when = epoch_date(source_date_epoch)
    attachments = [
        Attachment(
            string=model_json,
            name="model.json",
            description="计算后的数据模型（含全部合计与增减）",
            created=when,
            modified=when,
            relationship="Data",
        )
    ]
    for source in sources:
        attachments.append(
            Attachment(
                string=source.content.decode("utf-8"),
                name=f"source/{source.name}",
                description="YAML 源文件",
                created=when,
                modified=when,
                relationship="Source",
            )
        )
    return attachments


def join_job(job: JoinJob) -> RenderedPdf:
    """The published PDF made of `job.parts`: their header and page numbers laid out on
    empty pages and drawn over theirs, the parts joined (pdf_join.py). The empty pages are
    laid out a chunk at a time, as the join comes to them, so that a package of any length
    holds one chunk's boxes and one chunk's PDF."""
    from . import pdf_join

    fonts: set[tuple[str, str]] = set()
    overlays = _overlays(job, pdf_join.page_shapes(job.parts), fonts)
    if len(job.parts) == 1:
        data = pdf_join.stamp(job.parts[0], list(overlays), job.identifier)
        if job.spool is None:
            return RenderedPdf(data, sorted(fonts))
        with open(job.spool, "wb") as out:
            out.write(data)
        return RenderedPdf(b"", sorted(fonts), file=job.spool)
    with open(job.spool, "wb") if job.spool is not None else BytesIO() as out:
        pdf_join.join(
            job.parts,
            overlays,
            job.unit_titles,
            job.identifier,
            out,
            continued=job.continued,
            bookmark_levels=job.bookmark_levels,
            faces=_faces(),
        )
        data = b"" if job.spool is not None else out.getvalue()
    return RenderedPdf(data, sorted(fonts), file=job.spool)


def _overlays(job: JoinJob, shapes: list, fonts: set) -> Iterator[tuple[bytes, int]]:
    """Each chunk of the overlay (pdf_overlay.overlay_chunks) laid out when it is asked for,
    with the pages it leads with to skip; the fonts it embeds added to `fonts`."""
    from .pdf_overlay import overlay_chunks

    first = True
    for html, skipped in overlay_chunks(shapes, job.running_titles, job.css):
        # the published PDF's attachments travel with its first page's header, written by
        # WeasyPrint as for a PDF laid out whole (PDF/A-3 associated files); read from
        # their file for that chunk only
        attachments = None
        if first:
            attachments = _attachments(*read_attachments(job.attachments), job.source_date_epoch)
        with laying_out():
            document = HTML(string=html, url_fetcher=NoFetching(), base_url=None).render()
            overlay = document.write_pdf(
                pdf_identifier=job.identifier,
                pdf_variant=PDF_VARIANT,
                attachments=attachments,
                custom_metadata=False,
            )
        fonts.update(_embedded(document))
        del document, attachments
        first = False
        yield overlay, skipped


def _faces() -> dict[str, tuple[str, int]]:
    """The CJK faces whose programs a package shares across its parts (pdf_font_union.py),
    as fontconfig serves them to WeasyPrint."""
    from . import fonts
    from .pdf_font_union import face_name

    return {face_name(f.family, f.style): (str(f.file), f.index) for f in fonts.cjk_faces()}
