"""Build several years: skip the ones whose outputs are up to date, build the others in
parallel processes, and report them in the order asked for.

Kept light (it imports the compiler only in the processes that build), so that an
unchanged rebuild answers at once.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from ..input.sources import WorkingTreeYear, parse_year_spec


@dataclass
class Outcome:
    """What building one year gave: enough to report it (the model stays in its process)."""

    label: str
    ok: bool = False
    skipped: bool = False  # up to date: nothing was rebuilt
    diagnostics: list = field(default_factory=list)
    outputs: list[Path] = field(default_factory=list)
    fonts: list[str] = field(default_factory=list)


def build_one(
    spec: str, data_dir: Path, out_dir: Path, formats: tuple[str, ...], strict: bool
) -> Outcome:
    """Build one year and record it (run in a worker process, or in this one)."""
    from .build import build_year
    from .buildrecord import tool_now, write_record

    source = parse_year_spec(spec, data_dir)
    tool = tool_now()  # before the build: what it is built with is what is recorded
    result = build_year(source, out_dir, formats, strict=strict)
    outcome = Outcome(
        label=result.compiled.source.label,
        ok=result.ok,
        diagnostics=result.compiled.diagnostics + result.diagnostics,
        outputs=list(result.outputs.values()),
        fonts=result.fonts,
    )
    if result.ok and isinstance(source, WorkingTreeYear):
        warnings = sum(1 for d in outcome.diagnostics if d.severity == "warning")
        absolute = Path(os.path.abspath(out_dir))
        write_record(
            source, absolute, formats, "build", outcome.outputs, outcome.fonts, warnings, tool
        )
    return outcome


def pdf_processes(formats: tuple[str, ...], alone: bool, source=None):
    """One year to build, with a PDF: its PDF is laid out in a process of its own, on the
    other core (see render/pdf_process.py); a department's (its year has units/) in one
    process per core, started at once. Years built one after another, or several at once,
    do not start one: the cores are theirs."""
    from contextlib import nullcontext

    if not alone or "pdf" not in formats:
        return nullcontext()
    from ..render import pdf_process

    department = isinstance(source, WorkingTreeYear) and (source.root / "units").is_dir()
    return pdf_process.running(at_once=(os.cpu_count() or 1) if department else 1)


def build_many(
    specs: list[str],
    data_dir: Path,
    out_dir: Path,
    formats: tuple[str, ...],
    *,
    strict: bool = False,
    force: bool = False,
    jobs: int | None = None,
) -> Iterator[Outcome]:
    """Each year's outcome, in the order of `specs`; the years to build are built `jobs`
    at a time (default: one per core)."""
    from .buildrecord import up_to_date

    absolute = Path(os.path.abspath(out_dir))
    pending: dict[int, str] = {}
    sources = [parse_year_spec(spec, data_dir) for spec in specs]
    done: dict[int, Outcome] = {}
    for i, (spec, source) in enumerate(zip(specs, sources, strict=True)):
        fresh = None
        if not force and isinstance(source, WorkingTreeYear):
            fresh = up_to_date(source, absolute, formats, "build", strict)
        if fresh is not None:
            done[i] = Outcome(source.label, ok=True, skipped=True, outputs=fresh)
        else:
            pending[i] = spec
    workers = min(len(pending), jobs or os.cpu_count() or 1)
    if workers <= 1:
        for i in range(len(specs)):
            if i in pending:
                with pdf_processes(formats, alone=len(pending) == 1, source=sources[i]):
                    done[i] = build_one(pending[i], data_dir, out_dir, formats, strict)
            yield done[i]
        return
    from concurrent.futures import ProcessPoolExecutor  # only when there is work to share

    if "pdf" in formats:  # the waiting files' folder made here, for this process to remove
        from .spool import spool_folder

        spool_folder()
    with ProcessPoolExecutor(max_workers=workers) as pool:
        futures = {
            i: pool.submit(build_one, spec, data_dir, out_dir, formats, strict)
            for i, spec in pending.items()
        }
        for i in range(len(specs)):
            yield futures[i].result() if i in futures else done[i]
