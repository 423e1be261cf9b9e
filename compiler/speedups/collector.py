"""Python's memory management around a WeasyPrint layout: what a PDF costs besides the PDF
(shim `collector`).

Laying out a document allocates hundreds of thousands of objects (boxes, styles, glyph
runs), many of them in reference cycles. Measured on data/2022, with the pages unchanged:

- While laying out, the cycle collector walks the whole growing heap again and again and
  finds next to nothing: 0.3 s. It is paused for the layout (`laying_out`); objects are
  still freed as soon as nothing refers to them, and the peak memory is the same.
- Afterwards, freeing the document object by object and collecting its cycles takes
  another 0.3 s. When the process ends right after its command (the command line: see
  quick_exit.py), that is time spent for nothing, so the last document is kept instead and
  its objects are put out of the collector's way (gc.freeze). Laying out another document
  frees the one kept first, so a command that lays out many (a department's units, a
  preview server) holds at most one.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager

from . import enabled, quick_exit

_kept: list[object] = []
_keeping = True  # False in a process that lays out one document after another


@contextmanager
def laying_out() -> Iterator[list[object]]:
    """The block in which a document is laid out and written: the cycle collector paused
    (and put back as it was, even when the layout fails). Append the document to the list
    it gives, and it is kept when the process ends after this command (see above)."""
    if not enabled("collector"):
        yield []
        return
    _release_kept()
    was_enabled = gc.isenabled()
    gc.disable()
    laid_out: list[object] = []
    try:
        yield laid_out
        if laid_out and _keeping and quick_exit.ends_after_command():
            _kept.extend(laid_out)
            gc.freeze()
    finally:
        if was_enabled:
            gc.enable()


def keep_none() -> None:
    """Keep no document in this process: it lays out one after another (a PDF process,
    pdf_process.py), and its memory between them counts (a department's build)."""
    global _keeping
    _keeping = False


def _release_kept() -> None:
    """The document kept from an earlier layout, freed now (collecting its cycles)."""
    if _kept:
        _kept.clear()
        gc.unfreeze()
        gc.collect()


def kept_documents() -> int:
    """How many laid-out documents are being kept (for the tests)."""
    return len(_kept)


def expected() -> list[str]:
    """What this shim counts on and the interpreter no longer has."""
    return [
        f"collector: gc.{name} is gone" for name in ("freeze", "unfreeze") if not hasattr(gc, name)
    ]
