"""Every patch of another package's internals, in one place, behind one switch.

Each module here changes how a library or the interpreter does its work, never what the
tool writes, to save time that bench/run.py measures (its "shims" table: each shim off in
turn, the seconds it saves per command). A shim that saves less than 5% of every
command's time is removed rather than kept.

| shim                  | what it patches                                     | saves        |
|-----------------------|-----------------------------------------------------|--------------|
| dataclass_code        | `dataclasses`' module global `exec`                 | start, ~80 ms |
| quick_exit            | the end of the process (`os._exit` after atexit)    | 0.3 s a build |
| library_lookup        | `ctypes.util.find_library` while WeasyPrint imports | 0.35 s a PDF  |
| deferred_fonttools    | fontTools' subsetter/instancer in `sys.modules`     | 0.15 s a PDF  |
| collector             | the cycle collector paused and frozen (`gc`)        | 0.3-0.6 s a PDF |
| font_data             | WeasyPrint's `Font.file_content`, read when needed  | 93 MB a PDF   |

(Figures from bench/run.py on a 2-core machine; see bench/README.md for the latest run.
`font_data` saves memory, not time: it is kept for the department builds' memory bound.)

`DISCLOSURE_NO_SPEEDUPS=1` turns every shim off, and the outputs are byte-identical
(tests/speedups/test_switch.py builds them both ways); `DISCLOSURE_NO_SPEEDUPS=quick_exit,
collector` turns off the ones named (the benchmark measures each so). Each shim lists what
it expects of the package it patches (`expected()`); tests/speedups/test_expectations.py
fails naming the shim when the locked version of that package no longer has it.

One patch here is not a speed-up but part of the output and so not switched:
`pdf_streams` (pydyf's streams compressed at zlib level 1 instead of 9, which sets the
PDF's bytes; its expectation is tested like the others).

This room imports nothing of the tool's but `paths` (the user's cache folder): every other
room may import it.
"""

from __future__ import annotations

import os

SWITCH = "DISCLOSURE_NO_SPEEDUPS"
SHIMS = (
    "dataclass_code",
    "quick_exit",
    "library_lookup",
    "deferred_fonttools",
    "collector",
    "font_data",
)


def enabled(shim: str) -> bool:
    """Whether `shim` is on: unless the switch is 1 (all off) or names it."""
    assert shim in SHIMS, shim
    value = os.environ.get(SWITCH, "").strip()
    if value in ("", "0"):
        return True
    if value in ("1", "all"):
        return False
    return shim not in {name.strip() for name in value.split(",")}
