"""PDF layouts shared by the tests of one run: the same document is laid out once.

Laying out a PDF (WeasyPrint) is most of the suite's time, and many tests build the same
document: the 2022 year, an example, a year published, checked and published again. A
PdfJob holds everything a layout is made from (the print HTML with its stylesheet, the
attached model and sources, the identifier, the date), so two equal jobs give the same
bytes; this cache keys each layout by the job's content, on disk, so both xdist workers
and the forked PDF processes share it, and a file lock makes the second asker wait for
the first layout instead of making its own.

What a test reads back from a PDF (pdfplumber's tables and characters, seconds for a long
document) is kept the same way, by the PDF's bytes: `PdfLayouts.read`.

Only tests that read a document use it (conftest's `shared_pdf_layouts`, or
`with pdf_layouts.shared():` in a fixture). A test of laying out itself (reproducible
bytes, the PDF process, the fetcher, a failure) must not: it would read the first
layout back instead of making one.
"""

from __future__ import annotations

import dataclasses
import fcntl
import hashlib
import os
import pickle
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TypeVar

T = TypeVar("T")


class PdfLayouts:
    """The run's layouts in `folder`: <key>.pickle, the RenderedPdf of the job with that key."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self._read: dict[str, object] = {}  # this process's reads, by file
        folder.mkdir(parents=True, exist_ok=True)

    @contextmanager
    def shared(self) -> Iterator[PdfLayouts]:
        """Within the block, a PDF whose job was laid out before in this run is read back."""
        from compiler.render import pdf
        from compiler.render.pdf_job import PdfJob

        real = pdf.render_job

        def render_job(job):
            if not isinstance(job, PdfJob):  # a join of parts (pdf_join.py): made each time
                return real(job)
            return self._get(job, real)

        # render_pdf calls render_job by its module name, and the PDF process (forked from
        # this one, see render/pdf_process.py) looks it up there too.
        pdf.render_job = render_job
        try:
            yield self
        finally:
            pdf.render_job = real

    def _get(self, job, lay_out):
        """The job's layout, kept with its bytes: a part written to a file (PdfJob.spool)
        is laid out without one and written to this job's file from the kept bytes."""
        plain = dataclasses.replace(job, spool=None)
        rendered = once(self.folder / f"{key(plain)}.pickle", lambda: lay_out(plain))
        if job.spool is None:
            return rendered
        Path(job.spool).write_bytes(rendered.data)
        return dataclasses.replace(rendered, data=b"", file=job.spool)

    def read(self, pdf: Path, reader: Callable[[Path], T]) -> T:
        """What `reader` reads from the PDF, read once a run for every worker: the same
        bytes read by the same reader (reading a long PDF with pdfplumber takes seconds)."""
        digest = hashlib.sha256(pdf.read_bytes()).hexdigest()
        name = f"{reader.__module__}.{reader.__qualname__}-{digest}"
        if name not in self._read:
            self._read[name] = once(self.folder / "reads" / f"{name}.pickle", lambda: reader(pdf))
        return self._read[name]


def once(path: Path, make: Callable[[], T]) -> T:
    """The value pickled at `path`, made by the first process to ask while the others
    wait on a file lock; an error is raised, never kept."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path.with_suffix(".lock"), "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # released when closed
        if path.exists():
            return pickle.loads(path.read_bytes())
        value = make()
        partial = path.with_suffix(f".{os.getpid()}.part")
        partial.write_bytes(pickle.dumps(value))
        partial.replace(path)
        return value


def key(job) -> str:
    """What the layout is made from: the job's every field, and the speedups' switch."""
    digest = hashlib.sha256(os.environ.get("DISCLOSURE_NO_SPEEDUPS", "").encode())
    for field in dataclasses.fields(job):
        digest.update(hashlib.sha256(pickle.dumps(getattr(job, field.name))).digest())
    return digest.hexdigest()
