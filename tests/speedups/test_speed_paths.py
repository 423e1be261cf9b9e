"""The shortcuts the build takes for speed keep their promises.

- The command line ends without tearing the interpreter down (compiler/speedups/quick_exit.py), yet
  exits with the status, the output and the atexit work a normal exit would give.
- WeasyPrint is imported without fontTools' subsetter and instancer (compiler/speedups/weasyprint_import.py),
  which load when first used, and a later import anywhere gets the real modules.
- The cycle collector is paused while a PDF is laid out and put back as it was, even when
  the layout fails; a process that ends after its command keeps its last document rather
  than freeing it, and never more than one (compiler/speedups/collector.py).

How much each saves is measured by bench/run.py, not here.
"""

from __future__ import annotations

import gc
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from conftest import DATA, edit

ROOT = Path(__file__).resolve().parents[2]


def python(code: str, **kwargs) -> subprocess.CompletedProcess:
    """`code` run by a fresh interpreter (os._exit would end this one)."""
    return subprocess.run(
        [sys.executable, "-c", textwrap.dedent(code)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        **kwargs,
    )


# ------------------------------------------------------------------------- quick exit


def test_quick_exit_flushes_output_and_runs_atexit_handlers():
    done = python(
        """
        import atexit, sys
        from compiler.speedups.quick_exit import run_and_exit
        atexit.register(lambda: print("atexit ran"))
        def command():
            sys.stdout.write("no newline, still buffered")
            sys.stderr.write("to stderr")
        run_and_exit(command)
        print("never reached")
        """
    )
    assert done.returncode == 0
    assert done.stdout == "no newline, still bufferedatexit ran\n"
    assert done.stderr == "to stderr"


@pytest.mark.parametrize(
    ("raised", "status", "stderr"),
    [
        ("SystemExit(0)", 0, ""),
        ("SystemExit(None)", 0, ""),
        ("SystemExit(1)", 1, ""),
        ("SystemExit(2)", 2, ""),
        ("SystemExit('数据有错误')", 1, "数据有错误\n"),
    ],
)
def test_quick_exit_gives_the_status_python_would(raised, status, stderr):
    code = f"""
        from compiler.speedups.quick_exit import run_and_exit
        def command():
            raise {raised}
        run_and_exit(command)
        """
    quick = python(code)
    plain = python(f"raise {raised}")
    assert quick.returncode == plain.returncode == status
    assert quick.stderr == stderr


def test_quick_exit_waits_for_a_running_thread_like_a_normal_exit():
    done = python(
        """
        import threading, time
        from compiler.speedups.quick_exit import run_and_exit
        def late():
            time.sleep(0.3)
            print("thread finished", flush=True)
        run_and_exit(lambda: threading.Thread(target=late).start())
        """
    )
    assert done.returncode == 0
    assert done.stdout == "thread finished\n"


class _GoneReader:
    """Standard output whose reader has gone away (`disclosure … | head -c1`)."""

    def flush(self):
        raise BrokenPipeError(32, "Broken pipe")


def test_quick_exit_reports_a_reader_that_went_away(monkeypatch):
    """Output that cannot be flushed is not a silent success: Python's own status for it,
    120, unless the command had already failed."""
    from compiler.speedups import quick_exit as fastexit

    monkeypatch.setattr(sys, "stdout", _GoneReader())
    assert fastexit._flushed(0) == fastexit.FLUSH_FAILED == 120
    assert fastexit._flushed(1) == 1


def test_command_line_exit_statuses_through_the_quick_exit(data_copy):
    """The real command: valid data 0, broken data 1 with the located message, usage 2."""
    env = {k: v for k, v in os.environ.items() if k != "GITHUB_ACTIONS"}

    def validate(*args: str) -> subprocess.CompletedProcess:
        return subprocess.run(
            [sys.executable, "-m", "compiler", "validate", *args],
            capture_output=True,
            text=True,
            env=env,
        )

    ok = validate("2022", "--data", str(DATA))
    assert ok.returncode == 0, ok.stderr
    assert "2022" in ok.stderr
    edit(data_copy / "2022" / "budget.yaml", "personnel: 3307.05", "personnel: 3307.05.1")
    bad = validate("2022", "--data", str(data_copy))
    assert bad.returncode == 1, bad.stderr
    assert "budget.yaml:9:" in bad.stderr
    usage = validate("--no-such-option")
    assert usage.returncode == 2
    assert "Traceback" not in bad.stderr + usage.stderr


def test_quick_exit_steps_aside_for_a_profiler(tmp_path):
    """`python -m cProfile -m compiler …` still writes its profile."""
    profile = tmp_path / "build.prof"
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "cProfile",
            "-o",
            str(profile),
            "-m",
            "compiler",
            "validate",
            "2022",
            "--data",
            str(DATA),
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stderr
    assert profile.stat().st_size > 0


# ------------------------------------------------------------- fontTools, when needed


def test_weasyprint_imported_without_fonttools_subsetter_until_used():
    done = python(
        """
        import sys
        from compiler.speedups import weasyprint_import as weasy
        weasy.weasyprint()
        print("subset" if "fontTools.subset" in sys.modules else "-")
        print("instancer" if "fontTools.varLib.instancer" in sys.modules else "-")
        import weasyprint.pdf.fonts as fonts
        # WeasyPrint's own names still lead to the real thing when used
        print(fonts.subset.Options.__module__)
        print(type(sys.modules["fontTools.subset"]).__name__)
        from fontTools.varLib import instancer
        print(instancer.instantiateVariableFont.__module__)
        """
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == [
        "-",
        "-",
        "fontTools.subset",
        "module",
        "fontTools.varLib.instancer",
    ]


def test_deferred_instancer_calls_the_real_function():
    done = python(
        """
        from compiler.speedups import weasyprint_import as weasy
        weasy.weasyprint()
        import weasyprint.pdf.fonts as fonts
        import fontTools.varLib.instancer as real
        real.instantiateVariableFont = lambda font, axes, **kw: ("real", font, axes, kw)
        print(fonts.instantiateVariableFont("font", {"wght": 700}, static=True))
        """
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "('real', 'font', {'wght': 700}, {'static': True})"


@pytest.mark.slow  # lays out a PDF, in a process the conftest's guard does not reach
def test_a_pdf_build_never_loads_the_subsetter(tmp_path):
    done = python(
        f"""
        import sys
        from pathlib import Path
        from compiler import compile_year, parse_year_spec
        from compiler.render.pdf import print_html, render_pdf
        model = compile_year(parse_year_spec("2022", Path({str(DATA)!r}))).model
        pdf = render_pdf(model, print_html(model, 0), [], 0)
        assert pdf.data.startswith(b"%PDF")
        print(sorted(m for m in sys.modules if m.startswith(("fontTools.subset", "fontTools.varLib"))))
        """
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "[]"


# -------------------------------------------------------------- the cycle collector


def test_cycle_collector_paused_during_layout_and_restored():
    from compiler.speedups.collector import laying_out

    assert gc.isenabled()
    with laying_out():
        assert not gc.isenabled()
    assert gc.isenabled()
    with pytest.raises(RuntimeError), laying_out():
        raise RuntimeError("a layout that fails")
    assert gc.isenabled()
    gc.disable()
    try:
        with laying_out():
            pass
        assert not gc.isenabled()  # a caller that had paused it keeps it paused
    finally:
        gc.enable()


def test_library_callers_keep_no_document():
    """Outside the command line (tests, library use) a laid-out document is freed as usual."""
    from compiler.speedups.collector import kept_documents, laying_out

    with laying_out() as laid_out:
        laid_out.append(object())
    assert kept_documents() == 0
    assert gc.get_freeze_count() == 0


def test_command_line_keeps_only_the_last_document():
    """A process that ends after its command keeps the last document instead of freeing
    it, out of the collector's way; laying out the next one frees it first."""
    done = python(
        """
        import gc, weakref
        from compiler.speedups import quick_exit as fastexit
        from compiler.speedups.collector import kept_documents, laying_out

        class Document:
            pass

        fastexit._ending = True
        first = Document()
        gone = weakref.ref(first)
        with laying_out() as laid_out:
            laid_out.append(first)
        del first
        print(kept_documents(), gone() is not None, gc.get_freeze_count() > 0, gc.isenabled())
        with laying_out() as laid_out:
            print(gone() is None, gc.get_freeze_count())
            laid_out.append(Document())
        print(kept_documents())
        """
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.split("\n")[:3] == ["1 True True True", "True 0", "1"]
