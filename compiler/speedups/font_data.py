"""A font's whole file read only when WeasyPrint needs it (shim `font_data`): memory.

WeasyPrint's pdf.fonts.Font copies its face's whole file into a bytes object when it is
made (`file_content = get_hb_object_data(hb_face)`), for each font of each document it
writes. Fontconfig serves the Noto CJK faces from their collections (.ttc): 19–27 MB each,
93 MB for the four faces a disclosure uses, copied again for every document a process
writes, on top of the same files HarfBuzz already maps. This tool subsets with HarfBuzz,
from the face, and the subset replaces `file_content`; the copy is read only by the
fallbacks (fontTools' subsetter, variable and colour fonts), which the Noto CJK faces never
take. Measured on a unit's document: a PDF process's peak falls from 300 to 210 MB, the
pages unchanged (a memory shim, not a time one: bench/run.py's memory columns show it).

`file_content` becomes a property that reads the face's data on first use; what WeasyPrint
assigns to it is kept as before.
"""

from __future__ import annotations

_UNREAD = object()


class _FileContent:
    """Font.file_content: the face's whole data, read when first asked for."""

    def __get__(self, font, owner=None):
        if font is None:
            return self
        value = font.__dict__.get("_file_content", _UNREAD)
        if value is _UNREAD:
            from weasyprint.text.fonts import get_hb_object_data

            value = font.__dict__["_file_content"] = get_hb_object_data(font.hb_face)
        return value

    def __set__(self, font, value) -> None:
        font.__dict__["_file_content"] = value


def _unread(hb_object, ot_color=None, glyph=None):
    """What Font.__init__ takes for the file's data: a mark, read later (see above)."""
    if ot_color is None and glyph is None:
        return _UNREAD
    from weasyprint.text.fonts import get_hb_object_data

    return get_hb_object_data(hb_object, ot_color, glyph)


def read_when_needed() -> None:
    """Patch WeasyPrint's Font: its constructor's copy of the file is a mark, and the
    property reads the data on first use."""
    from weasyprint.pdf import fonts

    if isinstance(fonts.Font.__dict__.get("file_content"), _FileContent):
        return
    original = fonts.Font.__init__

    def __init__(self, *args, **kwargs):
        fonts.get_hb_object_data = _unread
        try:
            original(self, *args, **kwargs)
        finally:
            fonts.get_hb_object_data = _get_hb_object_data

    from weasyprint.text.fonts import get_hb_object_data as _get_hb_object_data

    fonts.Font.file_content = _FileContent()
    fonts.Font.__init__ = __init__


def expected() -> list[str]:
    """What this shim counts on: Font.__init__ copying the file with get_hb_object_data,
    the name pdf.fonts imports it by."""
    import inspect

    from weasyprint.pdf import fonts

    # the module's source: Font.__init__ is this shim's once patched
    if "self.file_content = get_hb_object_data(self.hb_face)" not in inspect.getsource(fonts):
        return ["font_data: weasyprint's Font no longer copies its file in __init__"]
    return []
