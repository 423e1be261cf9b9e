"""The tests' shared PDF layouts (tests/pdf_layouts.py) give back what was laid out for the
same job, and lay out again whatever differs in it."""

from __future__ import annotations

import dataclasses

import pytest
from pdf_layouts import PdfLayouts

from compiler.render.pdf_job import PdfJob, RenderedPdf, SourceFile

JOB = PdfJob("<p>一</p>", "{}", b"id", (SourceFile("unit.yaml", b"a: 1\n"),), 1700000000)


def counting():
    made = []

    def lay_out(job):
        made.append(job)
        return RenderedPdf(f"%PDF {len(made)}".encode(), [("Noto Serif CJK SC", "Regular")])

    return made, lay_out


def test_the_same_job_is_laid_out_once_and_read_back_by_another_process(tmp_path):
    made, lay_out = counting()
    first = PdfLayouts(tmp_path)._get(JOB, lay_out)
    again = PdfLayouts(tmp_path)._get(dataclasses.replace(JOB), lay_out)  # a worker's own
    assert made == [JOB] and again == first


@pytest.mark.parametrize(
    "change",
    [
        {"html": "<p>二</p>"},
        {"model_json": '{"a": 1}'},
        {"identifier": b"other"},
        {"source_date_epoch": None},
        {"sources": (SourceFile("unit.yaml", b"a: 2\n"),)},
        {"sources": (SourceFile("budget.yaml", b"a: 1\n"),)},
    ],
)
def test_a_job_that_differs_in_anything_is_laid_out_again(tmp_path, change):
    made, lay_out = counting()
    layouts = PdfLayouts(tmp_path)
    first = layouts._get(JOB, lay_out)
    other = layouts._get(dataclasses.replace(JOB, **change), lay_out)
    assert len(made) == 2 and other != first


def test_a_failed_layout_is_not_kept(tmp_path):
    layouts = PdfLayouts(tmp_path)

    def refused(job):
        raise OSError("refused")

    with pytest.raises(OSError):
        layouts._get(JOB, refused)
    made, lay_out = counting()
    assert layouts._get(JOB, lay_out).data == b"%PDF 1" and made == [JOB]
