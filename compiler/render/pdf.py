"""The PDF: the print variant of the HTML laid out by WeasyPrint.

Safety: the fetcher serves nothing (the stylesheet is inline and fonts come from
fontconfig), so no data file can make a build read a local file or reach the network.
Reproducibility: a fixed file identifier, dates only from SOURCE_DATE_EPOCH, and fixed
attachment dates, so the same input gives the same bytes.
"""

from __future__ import annotations

import hashlib
import logging
from dataclasses import dataclass
from datetime import UTC, datetime

from .weasy import weasyprint

weasyprint()  # first, so the import below is the fast one (see weasy.py)

from weasyprint import HTML, Attachment  # noqa: E402
from weasyprint.urls import FatalURLFetchingError, URLFetcher  # noqa: E402

from ..i18n import _  # noqa: E402
from ..model import Disclosure  # noqa: E402
from ..opendata import model_json  # noqa: E402
from .html import render_html  # noqa: E402
from .notice import Correction  # noqa: E402
from .pdf_memory import laying_out  # noqa: E402

# WeasyPrint logs every CSS property it does not support; the build reports its own problems.
logging.getLogger("weasyprint").setLevel(logging.ERROR)
logging.getLogger("fontTools").setLevel(logging.ERROR)

# PDF/A-3 allows embedding the machine-readable source. The PDF is also tagged (its
# structure, tables included, is readable by screen readers); we claim level b, not a,
# having no validator here to prove the stricter level.
PDF_VARIANT = "pdf/a-3b"


class ForbiddenFetch(FatalURLFetchingError):
    """Raised for any URL: a disclosure needs no external resource."""


class NoFetching(URLFetcher):
    def fetch(self, url, headers=None):  # noqa: ARG002 - WeasyPrint's signature
        raise ForbiddenFetch(
            _("refusing to fetch {url}: builds read nothing from outside").format(url=url)
        )


@dataclass(frozen=True)
class SourceFile:
    """A data file to embed in the PDF, as committed (name relative to the year)."""

    name: str
    content: bytes


__all__ = ["model_json", "print_html", "render_pdf", "SourceFile", "RenderedPdf"]


@dataclass(frozen=True)
class RenderedPdf:
    data: bytes
    fonts: list[tuple[str, str]]  # (family, style) of every font embedded


def _epoch_date(source_date_epoch: int | None) -> datetime:
    # PDF/A requires dates in the attachments; without SOURCE_DATE_EPOCH use a fixed one.
    return datetime.fromtimestamp(source_date_epoch or 0, tz=UTC)


def print_html(
    model: Disclosure, source_date_epoch: int | None = None, correction: Correction | None = None
) -> str:
    """The HTML the PDF is laid out from; dated only when SOURCE_DATE_EPOCH is given."""
    created = None
    if source_date_epoch is not None:
        created = _epoch_date(source_date_epoch).strftime("%Y-%m-%dT%H:%M:%SZ")
    return render_html(model, for_print=True, created=created, correction=correction)


def render_pdf(
    model: Disclosure,
    html: str,
    sources: list[SourceFile] = (),
    source_date_epoch: int | None = None,
) -> RenderedPdf:
    """The PDF laid out from `html` (see print_html), and the fonts it embeds."""
    when = _epoch_date(source_date_epoch)
    attachments = [
        Attachment(
            string=model_json(model),
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
    identifier = (
        hashlib.sha256(f"{model.unit.code}-{model.year}".encode()).hexdigest()[:32].encode()
    )
    with laying_out() as laid_out:
        document = HTML(string=html, url_fetcher=NoFetching(), base_url=None).render()
        laid_out.append(document)
        data = document.write_pdf(
            pdf_identifier=identifier,
            pdf_variant=PDF_VARIANT,
            pdf_tags=True,
            attachments=attachments,
            custom_metadata=False,
        )
    embedded = sorted(
        {
            (font.family, "Bold" if font.weight >= 600 else "Regular")
            for font in document.fonts.values()
        }
    )
    return RenderedPdf(data, embedded)
