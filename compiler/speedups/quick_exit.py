"""Leave the `disclosure` command without tearing the interpreter down (shim `quick_exit`).

After a build, the process holds a few hundred megabytes of objects (WeasyPrint's boxes,
styles and fonts). A normal exit frees them one by one and collects cycles among them:
0.3–0.4 s of a four-second build, measured, spent after every file is written. The
command's work is done by then, so it ends like this instead: the exit status worked out
as Python would (SystemExit's code, or a message printed and 1), standard output and error
flushed, the atexit handlers run (temporary folders, logging), and then os._exit.

Only the command line uses it (`disclosure`, `python -m compiler`); tests and library
callers that call `main` keep Python's own exit. A command that leaves other threads
running (none should), or that runs under a profiler or debugger (they write their
results once the program returns), exits the normal way.
"""

from __future__ import annotations

import atexit
import os
import sys
import threading
from collections.abc import Callable
from typing import NoReturn

from . import enabled

_ending = False

# What Python's own exit reports when flushing standard output fails (a closed pipe).
FLUSH_FAILED = 120


def run_and_exit(command: Callable[[], object]) -> NoReturn:
    """Call `command` (a click command in standalone mode), then exit with its status."""
    global _ending
    if not enabled("quick_exit"):
        command()  # click's standalone mode ends with sys.exit itself
        sys.exit(0)
    _ending = True
    try:
        command()
        status = 0
    except SystemExit as stop:
        status = _status(stop.code)
    if threading.active_count() > 1 or sys.getprofile() or sys.gettrace():
        sys.exit(status)
    status = _flushed(status)
    atexit._run_exitfuncs()
    os._exit(status)


def ends_after_command() -> bool:
    """Whether this process ends as soon as its command is done (the command line), so
    that what it still holds need not be freed (see collector.py)."""
    return _ending


def _status(code: object) -> int:
    if code is None:
        return 0
    if isinstance(code, int):
        return code
    print(code, file=sys.stderr)  # SystemExit("message"): Python prints it and exits 1
    return 1


def _flushed(status: int) -> int:
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (OSError, ValueError):  # a reader that went away, or a closed stream
            if stream is sys.stdout and status == 0:
                status = FLUSH_FAILED
    return status


def expected() -> list[str]:
    """What this shim counts on and the interpreter no longer has."""
    if not callable(getattr(atexit, "_run_exitfuncs", None)):
        return ["quick_exit: atexit._run_exitfuncs is gone"]
    return []
