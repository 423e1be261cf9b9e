"""A document's PDF is laid out once for the same inputs (publish/pdf_parts.py,
`laid_out_document`): a second build, or `publish` after `build`, reads it back from the
user's cache; anything the PDF is made from, its attachments and the font and layout
library files included, lays it out again."""

from __future__ import annotations

import os
from dataclasses import replace

import pytest
from conftest import DATA

from compiler import cache, parse_year_spec
from compiler.paths import cache_turned_off
from compiler.publish import pdf_parts
from compiler.publish.build import build_year
from compiler.render import pdf
from compiler.render.pdf_job import PdfJob, SourceFile


@pytest.fixture
def own_cache(tmp_path, monkeypatch):
    """The tool's caches in an empty folder of this test's."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    monkeypatch.delenv("DISCLOSURE_NO_CACHE", raising=False)
    cache._folder.cache_clear()
    yield tmp_path / "cache" / "disclosure-compiler"
    cache._folder.cache_clear()


@pytest.fixture
def laid_out(monkeypatch) -> list:
    """Every PDF laid out from here on (its job)."""
    jobs = []
    real = pdf.render_job

    def counted(job):
        jobs.append(job)
        return real(job)

    monkeypatch.setattr(pdf, "render_job", counted)
    return jobs


@pytest.mark.slow
def test_a_year_built_again_reads_its_pdf_back_until_a_library_file_changes(
    tmp_path, own_cache, laid_out, monkeypatch
):
    library = tmp_path / "libpango-1.0.so.0"
    library.write_bytes(b"a layout library")
    monkeypatch.setattr(pdf_parts, "_layout_libraries", lambda: [str(library)])
    spec = parse_year_spec("2022", DATA)

    first = build_year(spec, tmp_path / "first", ("pdf",))
    assert first.ok and len(laid_out) == 1
    assert len(list((own_cache / "pdf-documents").iterdir())) == 1

    again = build_year(spec, tmp_path / "again", ("pdf",))
    assert again.ok and len(laid_out) == 1, "laid out again though nothing changed"
    written = (tmp_path / "again" / "2022" / "disclosure.pdf").read_bytes()
    assert written == (tmp_path / "first" / "2022" / "disclosure.pdf").read_bytes()

    os.utime(library, ns=(1_000_000_000, 1_000_000_000))  # a Debian upgrade of the library
    upgraded = build_year(spec, tmp_path / "upgraded", ("pdf",))
    assert upgraded.ok and len(laid_out) == 2, "a changed layout library must lay out again"


def _job(**changes) -> PdfJob:
    job = PdfJob(
        html="<p>一</p>",
        model_json='{"a": 1}',
        identifier=b"id",
        sources=(SourceFile("budget.yaml", b"a: 1\n"),),
        source_date_epoch=0,
    )
    return replace(job, **changes)


def test_the_key_holds_the_attachments_of_a_document_and_not_of_a_part(own_cache):
    key = pdf_parts._layout_key
    store = pdf_parts.DOCUMENTS
    base = key(_job(), store)
    assert base is not None
    # what the published PDF attaches: the model and each source file, by name and content
    assert key(_job(model_json='{"a": 2}'), store) != base
    assert key(_job(sources=(SourceFile("budget.yaml", b"a: 1\n# note\n"),)), store) != base
    assert key(_job(sources=(SourceFile("other.yaml", b"a: 1\n"),)), store) != base
    # what it lays out and how it is dated
    assert key(_job(html="<p>二</p>"), store) != base
    assert key(_job(source_date_epoch=1), store) != base
    assert key(_job(identifier=b"other"), store) != base
    # a part carries no attachments: they are not its key
    part = _job(attached=False)
    assert key(part, store) != base
    assert key(replace(part, model_json="{}", sources=()), store) == key(part, store)
    assert key(_job(spool="/elsewhere.pdf"), store) == base  # where it is written, no


def test_the_key_holds_the_layout_libraries_found_on_this_machine():
    found = pdf_parts._layout_libraries()
    names = {os.path.basename(path) for path in found}
    assert {"libpango-1.0.so.0", "libharfbuzz.so.0", "libfontconfig.so.1"} <= names, found


def test_the_laid_out_documents_can_be_turned_off_alone(own_cache, monkeypatch):
    monkeypatch.setenv("DISCLOSURE_NO_CACHE", "pdf-documents,pdf-parts")
    assert cache_turned_off("pdf-documents") and cache_turned_off("pdf-parts")
    assert pdf_parts.DOCUMENTS.folder is None and pdf_parts.PARTS.folder is None
    assert not cache_turned_off("schema-checks")
    assert cache.DiskCache("schema-checks").folder == own_cache / "schema-checks"
    monkeypatch.setenv("DISCLOSURE_NO_CACHE", "1")
    assert cache.DiskCache("schema-checks").folder is None
