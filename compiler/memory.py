"""Memory freed by this process given back to the system.

glibc keeps what Python frees for its own later use: after a department's package page
(tens of MB of text, laid out once) the build would hold that much for the rest of its
run, and a PDF process what its last document took. Asked to, it returns its free pages.
"""

from __future__ import annotations

import ctypes
import gc


def give_back(collect: bool = False) -> None:
    """Return the C allocator's free pages to the system (`collect`: after a collection of
    the cycles Python has not freed yet, which takes longer). Nothing where the C library
    is not glibc."""
    if collect:
        gc.collect()
    try:
        ctypes.CDLL(None).malloc_trim(0)
    except (OSError, AttributeError):  # not glibc
        pass
