"""The PDF laid out in a process of its own, started before the year is even read.

Importing WeasyPrint and laying out the pages is most of a one-year build, and needs only
the print HTML. So `disclosure build YEAR` forks a process first: it imports WeasyPrint
(0.45 s) while this process reads, checks and compiles the year and renders the web page
and the Markdown, then lays out the pages. The bytes are the same (the same function makes
them). What crosses back is plain data (pdf_job.RenderedPdf), so that this process never
imports WeasyPrint itself.

Several years built at once already keep every core busy: they render in-process, as do
the library functions (build_year) when no PDF process is running, and systems that
cannot fork (Windows).
"""

from __future__ import annotations

import gc
import multiprocessing
import os
import signal
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from multiprocessing.connection import wait
from typing import TYPE_CHECKING

from .. import memory
from ..errors import PdfProcessError
from ..i18n import _
from ..speedups import collector

if TYPE_CHECKING:  # not imported: the fork comes before the compiler's heavy imports
    from .pdf_job import PdfJob

_running: list[PdfProcess] | None = None


class PdfProcess:
    """A forked process that renders the PdfJobs it is sent, in order, one at a time.

    A job is only ever sent to a process that has answered all earlier ones (their answers
    are read and kept first): a process writing a large PDF back and this one writing a
    job to it would otherwise each wait for the other to read."""

    def __init__(self) -> None:
        context = multiprocessing.get_context("fork")
        self._connection, theirs = context.Pipe()
        self._process = context.Process(
            target=_serve, args=(theirs,), name="disclosure-pdf", daemon=True
        )
        self._process.start()
        theirs.close()
        self._sent = 0  # jobs sent, numbered from 0
        self._read = 0  # answers read, which come in the order of the jobs
        self._answers: dict[int, tuple[str, object]] = {}  # read, not yet asked for

    @property
    def connection(self):
        return self._connection

    @property
    def waiting(self) -> int:
        """Jobs sent and not yet answered."""
        return self._sent - self._read

    def submit(self, job: PdfJob) -> Callable:
        """Send `job`; returns the function that waits for its RenderedPdf."""
        while self.waiting:
            self._read_answer()
        number = self._sent
        try:
            self._connection.send(job)
        except OSError:  # it has died already
            raise PdfProcessError(_stopped()) from None
        self._sent += 1
        return lambda: self._answer(number)

    def read_ready(self) -> None:
        """Read the answers already written back, without waiting: a process whose answers
        are all read is idle (and a job goes to it rather than behind a long one)."""
        while self.waiting and self._connection.poll():
            self._read_answer()

    def _read_answer(self) -> None:
        try:
            answer = self._connection.recv()
        except EOFError:  # killed, or crashed in a library
            raise PdfProcessError(_stopped()) from None
        self._answers[self._read] = answer
        self._read += 1

    def _answer(self, number: int):
        while number not in self._answers:
            self._read_answer()
        status, value = self._answers.pop(number)
        if status == "error":
            raise value
        return value

    def close(self, done: bool) -> None:
        """Let the process end: asked to when its work is `done` (it is idle then), or
        stopped at once (a build that failed before its PDF, an interrupted one, or one
        that had no PDF to lay out: the process may still be importing WeasyPrint)."""
        if done and self._sent and self.waiting == 0:
            try:
                self._connection.send(None)
            except OSError:
                pass
            self._process.join(timeout=5)
        if self._process.is_alive():
            self._process.kill()
            self._process.join()
        self._connection.close()


def _stopped() -> str:
    return _(
        "the process laying out the PDF stopped unexpectedly (out of memory?): run "
        "the command again, and report this message if it happens again"
    )


def _serve(connection) -> None:
    # Ctrl-C reaches the whole process group: the build it belongs to stops this process.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    # What this process has of the build's (forked from it) is left out of the cycle
    # collector's walks: walking it would copy its pages (copy-on-write), about 100 MB
    # for a department of 60 units, into every PDF process. No document is kept for a
    # quick exit either (its release would walk them again): jobs follow one another.
    gc.freeze()
    collector.keep_none()
    from . import pdf  # the slow import, made while the parent compiles the year

    while True:
        job = connection.recv()
        if job is None:
            return
        try:
            connection.send(("ok", pdf.render_job(job)))
        except BaseException as error:  # sent back and raised where the build waits for it
            try:
                connection.send(("error", error))
            except Exception:  # an exception that cannot be pickled: its words still can
                connection.send(("error", RuntimeError(f"{type(error).__name__}: {error}")))
        # The document just laid out collected and its memory returned to the system: a
        # department's build lays out its parts in two processes at once, and each otherwise
        # kept 100–150 MB more than it used while idle (glibc keeps freed memory).
        memory.give_back(collect=True)


@contextmanager
def running(enabled: bool = True, at_once: int = 1) -> Iterator[None]:
    """Within this block, PDFs are laid out in PDF processes (when `enabled` and the
    system can fork): `at_once` started at once (at most one per core), and more, up to
    one per core, when a job comes while every one is busy. A department's build starts
    one per core at once: forked later, a process would start from a build holding the
    compiled year (130 MB for 60 units), and its own work would copy part of that."""
    global _running
    if not enabled or _running is not None or "fork" not in multiprocessing.get_all_start_methods():
        yield
        return
    _running = [PdfProcess() for _ in range(max(1, min(at_once, os.cpu_count() or 1)))]
    done = False
    try:
        yield
        done = True
    finally:
        processes, _running = _running, None
        for process in processes:
            process.close(done)


def retire_idle() -> None:
    """End the PDF processes with nothing left to do: a process keeps the most memory it
    ever used, so a large job that follows (a department's package join) starts in a new
    one, forked from the build, rather than on top of what an idle one holds. Answers
    already sent stay readable."""
    if _running is None:
        return
    for process in _running:
        process.read_ready()
    for process in [p for p in _running if p.waiting == 0]:
        process.close(True)
        _running.remove(process)


def is_running() -> bool:
    return _running is not None


def submit(job: PdfJob) -> Callable:
    """Start laying out `job` in an idle PDF process (a new one while there are cores to
    spare, else the first to finish its job); returns the function that waits for its
    RenderedPdf."""
    if _running is None:
        raise RuntimeError("no PDF process is running")
    for process in _running:
        process.read_ready()
    idle = [process for process in _running if process.waiting == 0]
    if idle:
        chosen = idle[0]
    elif len(_running) < (os.cpu_count() or 1):
        chosen = PdfProcess()
        _running.append(chosen)
    else:
        # Every core busy: wait for the first process to finish (a department's part may
        # take minutes; a job queued behind it would leave the other cores idle).
        ready = wait([process.connection for process in _running])
        chosen = next(process for process in _running if process.connection in ready)
    return chosen.submit(job)
