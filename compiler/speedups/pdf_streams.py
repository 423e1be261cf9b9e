"""pydyf's PDF streams compressed at zlib level 1 (not switched: it sets the PDF's bytes).

pydyf compresses every stream of the PDF (mostly the embedded font subsets) at level 9.
Level 1 makes the files about 5% larger and writes them several times faster: 0.1-0.5 s of
a 1.8 s PDF build of data/2022, measured. Because the level decides the bytes written,
this is part of the output, not a shortcut: DISCLOSURE_NO_SPEEDUPS leaves it on, so a build
with and without the switch gives the same files. Scoped to pydyf's own reference to zlib.
"""

from __future__ import annotations

import zlib

LEVEL = 1


class _Level1Zlib:
    """pydyf's view of zlib: the same module, streams compressed at level 1."""

    def __getattr__(self, name):
        return getattr(zlib, name)

    @staticmethod
    def compressobj(level=-1, *args, **kwargs):
        return zlib.compressobj(LEVEL, *args, **kwargs)

    @staticmethod
    def compress(data, level=-1):
        return zlib.compress(data, LEVEL)


def compress_at_level_1() -> None:
    import pydyf

    pydyf.zlib = _Level1Zlib()


def expected() -> list[str]:
    """What this patch counts on and the installed pydyf no longer has."""
    import inspect

    import pydyf

    source = inspect.getsource(pydyf)
    if not isinstance(getattr(pydyf, "zlib", None), type(zlib) | _Level1Zlib):
        return ["pdf_streams: pydyf no longer imports zlib as a module global"]
    if "zlib.compressobj(" not in source or "zlib.compress(" not in source:
        return ["pdf_streams: pydyf no longer compresses through zlib.compress/compressobj"]
    return []
