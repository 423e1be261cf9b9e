"""The PDF laid out in a process of its own (compiler/render/pdf_process.py).

`disclosure build YEAR` lays out the PDF in a forked process while it compiles the year:
the bytes must be those laid out in-process, a problem in that process must reach the
build as the same problem, a process that dies must be reported in words, and no process
may be left behind, whatever happened.
"""

from __future__ import annotations

import multiprocessing
import os
import signal
import subprocess
import sys

import pytest
from conftest import DATA, ROOT
from fixtures.departments import hebei_department

from compiler import compile_year, parse_year_spec
from compiler.errors import OutsideResource, PdfProcessError
from compiler.publish.build import build_year
from compiler.publish.orchestrate import build_many, pdf_processes
from compiler.render import pdf_process
from compiler.render.pdf_job import RenderedPdf, pdf_job, print_html

pytestmark = pytest.mark.skipif(
    "fork" not in multiprocessing.get_all_start_methods(), reason="the PDF process needs fork"
)


@pytest.fixture(scope="module")
def model():
    return compile_year(parse_year_spec("2022", DATA)).model


def test_a_build_lays_out_the_same_bytes_in_its_pdf_process(tmp_path, monkeypatch):
    """build_many (one year with a PDF: the process) against build_year (in-process)."""
    alone = tmp_path / "process"
    outcome = next(build_many(["2022"], DATA, alone, ("pdf",), force=True))
    assert outcome.ok, outcome.diagnostics
    monkeypatch.setenv("DISCLOSURE_NO_CACHE", "1")  # laid out here, not read back
    here = build_year(parse_year_spec("2022", DATA), tmp_path / "here", ("pdf",))
    assert here.ok
    laid_out = (alone / "2022" / "disclosure.pdf").read_bytes()
    assert laid_out == here.outputs["pdf"].read_bytes()
    assert laid_out.startswith(b"%PDF")
    assert multiprocessing.active_children() == []


def test_a_departments_units_are_laid_out_side_by_side(tmp_path, monkeypatch):
    """A Hebei department publishes its package and each unit: their PDFs are started
    before any is waited for, in up to one process per core, with the bytes laid out
    in-process; the package's join, the largest job, in a new process once the others
    have ended."""
    data = hebei_department(tmp_path)
    started = []
    original = pdf_process.PdfProcess.__init__

    def counted(self):
        started.append(self)
        original(self)

    monkeypatch.setattr(pdf_process.PdfProcess, "__init__", counted)
    monkeypatch.setattr(os, "cpu_count", lambda: 2)
    outcome = next(build_many(["2022"], data, tmp_path / "process", ("pdf",), force=True))
    assert outcome.ok, outcome.diagnostics
    assert len(started) == 3
    monkeypatch.undo()
    here = build_year(parse_year_spec("2022", data), tmp_path / "here", ("pdf",))
    assert here.ok
    pdfs = sorted((tmp_path / "process" / "2022").rglob("*.pdf"))
    assert len(pdfs) == len(here.outputs) >= 3
    for path in pdfs:
        twin = tmp_path / "here" / path.relative_to(tmp_path / "process")
        assert path.read_bytes() == twin.read_bytes(), path.name
    assert multiprocessing.active_children() == []


def test_the_answer_crosses_back_without_weasyprint(model):
    """Unpickling the answer must not import WeasyPrint into the building process (that
    import is what the process is there to spare it)."""
    with pdf_process.running():
        wait = pdf_process.submit(pdf_job(model, print_html(model, 0), [], 0))
        pdf = wait()
    assert isinstance(pdf, RenderedPdf)
    assert pdf.data.startswith(b"%PDF")
    assert type(pdf).__module__ == "compiler.render.pdf_job"
    assert ("Noto Serif CJK SC", "Regular") in pdf.fonts


def test_a_problem_in_the_process_is_raised_where_the_build_waits(model):
    """The print HTML asks for an outside image: the fetcher refuses, and the refusal
    reaches the building process with its words."""
    html = print_html(model, 0).replace(
        "</body>", '<img src="https://example.com/logo.png" alt=""></body>'
    )
    with pdf_process.running():
        wait = pdf_process.submit(pdf_job(model, html, [], 0))
        with pytest.raises(OutsideResource, match="example.com/logo.png"):
            wait()
        # and the process goes on serving the next job
        assert pdf_process.submit(pdf_job(model, print_html(model, 0), [], 0))().data
    assert multiprocessing.active_children() == []


def test_a_process_that_dies_is_reported_in_words(model):
    with pdf_process.running():
        process = pdf_process._running[0]._process
        os.kill(process.pid, signal.SIGKILL)
        process.join()
        with pytest.raises(PdfProcessError, match="run the command again"):
            pdf_process.submit(pdf_job(model, print_html(model, 0), [], 0))()
    assert multiprocessing.active_children() == []


def test_a_build_that_stops_early_stops_the_process_at_once():
    """Data errors (no PDF to lay out) or an exception: the process, maybe still importing
    WeasyPrint, is stopped, not waited for."""
    with pytest.raises(KeyboardInterrupt), pdf_process.running():
        assert pdf_process.is_running()
        raise KeyboardInterrupt
    assert not pdf_process.is_running()
    assert multiprocessing.active_children() == []
    with pdf_process.running():
        pass
    assert multiprocessing.active_children() == []


def test_a_departments_build_starts_one_process_per_core_at_once(tmp_path, monkeypatch):
    """Started before the build holds the compiled year, not forked from it later."""
    monkeypatch.setattr(os, "cpu_count", lambda: 2)
    department = parse_year_spec("2022", hebei_department(tmp_path / "department"))
    with pdf_processes(("pdf",), alone=True, source=department):
        assert len(pdf_process._running) == 2
    (tmp_path / "unit" / "2022").mkdir(parents=True)
    with pdf_processes(("pdf",), alone=True, source=parse_year_spec("2022", tmp_path / "unit")):
        assert len(pdf_process._running) == 1
    assert multiprocessing.active_children() == []


def test_no_process_where_the_cores_are_taken_or_there_is_no_pdf():
    with pdf_processes(("html", "md"), alone=True):
        assert not pdf_process.is_running()
    with pdf_processes(("html", "pdf"), alone=False):  # several years share the cores
        assert not pdf_process.is_running()
    with pdf_processes(("pdf",), alone=True):
        assert pdf_process.is_running()
    assert not pdf_process.is_running()


def test_the_command_line_leaves_no_process_behind(tmp_path):
    """A real `disclosure build` through the PDF process: exit 0, the PDF written, and no
    child of it still running afterwards (the process group is empty)."""
    command = [sys.executable, "-m", "compiler", "build", "2022", "--data", str(DATA)]
    done = subprocess.run(
        [*command, "--out", str(tmp_path), "--force"],
        capture_output=True,
        text=True,
        start_new_session=True,
        timeout=300,
        env={**os.environ, "DISCLOSURE_NO_CACHE": "1"},  # laid out, not read back
    )
    assert done.returncode == 0, done.stderr
    assert (tmp_path / "2022" / "disclosure.pdf").stat().st_size > 100_000
    left = subprocess.run(["pgrep", "-f", "disclosure-pdf"], capture_output=True, text=True)
    assert left.stdout == ""


def test_years_built_side_by_side_leave_no_file_behind(tmp_path):
    """Two years built in forked processes write their PDFs into the build's one folder of
    waiting files, under names of their own (no year takes the other's file), and the
    folder is gone when the command ends."""
    temporary = tmp_path / "tmp"
    temporary.mkdir()
    wanli = ROOT / "examples" / "wanli" / "data"
    command = [sys.executable, "-m", "compiler", "build", "2023", "2024", "--data", str(wanli)]
    done = subprocess.run(
        [*command, "--out", str(tmp_path / "out"), "--format", "pdf", "--jobs", "2", "--force"],
        capture_output=True,
        text=True,
        env={**os.environ, "TMPDIR": str(temporary)},
        timeout=300,
    )
    assert done.returncode == 0, done.stderr
    for year in ("2023", "2024"):
        assert (tmp_path / "out" / year / "disclosure.pdf").read_bytes().startswith(b"%PDF")
    assert sorted(p.name for p in temporary.iterdir()) == []
