"""What the PDF is made from, without WeasyPrint: the print HTML and the files to attach.

Building it needs only the model, so it is done where the model is; laying it out
(render/pdf.py) may then happen in another process (render/pdf_process.py). That process
imports this module too, so it imports nothing of the compiler at the top: the model and
the HTML renderer are imported by the functions that take a model, in the process that
has one.
"""

from __future__ import annotations

import hashlib
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


@dataclass(frozen=True)
class RenderedPdf:
    """A laid-out PDF: defined here, not beside WeasyPrint, because it crosses back from the
    PDF process, and unpickling it must not import WeasyPrint into this one (0.5 s)."""

    data: bytes
    fonts: list[tuple[str, str]]  # (family, style) of every font embedded


def epoch_date(source_date_epoch: int | None) -> datetime:
    # PDF/A requires dates in the attachments; without SOURCE_DATE_EPOCH use a fixed one.
    return datetime.fromtimestamp(source_date_epoch or 0, tz=UTC)


def print_html(
    model: Disclosure, source_date_epoch: int | None = None, correction: Correction | None = None
) -> str:
    """The HTML the PDF is laid out from; dated only when SOURCE_DATE_EPOCH is given."""
    from .html import render_html

    created = None
    if source_date_epoch is not None:
        created = epoch_date(source_date_epoch).strftime("%Y-%m-%dT%H:%M:%SZ")
    return render_html(model, for_print=True, created=created, correction=correction)


def pdf_job(
    model: Disclosure,
    html: str,
    sources: list[SourceFile] | tuple[SourceFile, ...] = (),
    source_date_epoch: int | None = None,
) -> PdfJob:
    from .opendata import model_json

    identifier = hashlib.sha256(f"{model.unit.code}-{model.year}".encode()).hexdigest()[:32]
    return PdfJob(html, model_json(model), identifier.encode(), tuple(sources), source_date_epoch)
