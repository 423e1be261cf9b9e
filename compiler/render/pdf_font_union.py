"""One font program per face in a joined package (issue 27): the parts' subsets of a face
replaced by one subset holding the union of their glyphs.

Why: every part embeds its own subsets of the four CJK faces (WeasyPrint subsets per
document): of the 30-unit package's 41 MB, 31.8 MB were 160 font programs. WeasyPrint
subsets with HarfBuzz keeping the glyph ids (RETAIN_GIDS) and draws with CIDs that are
glyph ids (CIDToGIDMap Identity), so one program holding the union of the glyphs draws
every part's text unchanged; each part keeps its own font dictionaries (widths, ToUnicode,
the subset's name).

The union is subset from the face's file as WeasyPrint subsets (the same HarfBuzz flags and
dropped tables, the empty glyphs after the last one dropped), by HarfBuzz's C library
through cffi, the file mapped rather than read: a few MB, where fontTools on a 20 MB CJK
face takes hundreds. The programs are written last, once every part's glyphs are known.
"""

from __future__ import annotations

import re
import zlib
from functools import cache

import pikepdf

from .pdf_writer import Source, Writer

_SUBSET_PREFIX = re.compile(r"^/[A-Z]{6}\+")


def face_name(family: str, style: str) -> str:
    """The name WeasyPrint gives a face's subsets, without the subset's prefix (its Pango
    description: 'Noto Sans CJK SC Bold' → Noto-Sans-CJK-SC-Bold)."""
    described = family if style == "Regular" else f"{family} {style}"
    return described.replace(" ", "-")


class FontUnion:
    """The font programs of the faces in `faces` (face_name → (file, index)) shared across
    the parts given to `take`, written by `write`."""

    def __init__(self, writer: Writer, faces: dict[str, tuple[str, int]]) -> None:
        self.writer = writer
        self.faces = faces
        self.numbers: dict[str, int] = {}  # face → its shared program's object number
        self.glyphs: dict[str, set[int]] = {}

    def take(self, pdf: pikepdf.Pdf, source: Source) -> None:
        """Every program of a known face in `pdf` stood in for by the face's shared one
        (before the part's objects are written), its glyphs added to the union."""
        for obj in pdf.objects:
            if not isinstance(obj, pikepdf.Dictionary) or obj.get("/Subtype") != "/CIDFontType0":
                continue
            if obj.get("/CIDToGIDMap", pikepdf.Name.Identity) != pikepdf.Name.Identity:
                continue
            descriptor = obj.get("/FontDescriptor")
            program = descriptor.get("/FontFile3") if descriptor is not None else None
            if program is None or program.get("/Subtype") != "/OpenType":
                continue
            name = _SUBSET_PREFIX.sub("", str(descriptor.get("/FontName", "")))
            if name not in self.faces:
                continue
            glyphs = {0, *_glyphs(obj.get("/W", pikepdf.Array()))}
            if name not in self.numbers:
                # the face is the one WeasyPrint subset (fontconfig's file and index), and
                # subset the same way, when its subset of these glyphs is this program
                if subset(*self.faces[name], sorted(glyphs)) != program.read_bytes():
                    del self.faces[name]  # its programs are kept as they are
                    continue
                self.numbers[name] = self.writer.reserve()
                self.glyphs[name] = set()
            self.glyphs[name].update(glyphs)
            source.alias(program, self.numbers[name])

    def write(self) -> None:
        for name, number in sorted(self.numbers.items()):
            file, index = self.faces[name]
            data = zlib.compress(subset(file, index, sorted(self.glyphs[name])))
            self.writer.write_stream(
                number,
                b"<< /Filter /FlateDecode /Length %d /Subtype /OpenType >>" % len(data),
                data,
            )


def _glyphs(widths: pikepdf.Array) -> set[int]:
    """The CIDs (glyph ids) a CIDFont's /W gives widths for: `c [w …]` or `c1 c2 w`."""
    found: set[int] = set()
    items = list(widths)
    i = 0
    while i < len(items):
        first = int(items[i])
        if isinstance(items[i + 1], pikepdf.Array):
            found.update(range(first, first + len(items[i + 1])))
            i += 2
        else:
            found.update(range(first, int(items[i + 1]) + 1))
            i += 3
    return found


_CDEF = """
typedef struct hb_blob_t hb_blob_t;
typedef struct hb_face_t hb_face_t;
typedef struct hb_set_t hb_set_t;
typedef struct hb_subset_input_t hb_subset_input_t;
hb_blob_t *hb_blob_create_from_file_or_fail(const char *file_name);
void hb_blob_destroy(hb_blob_t *blob);
const char *hb_blob_get_data(hb_blob_t *blob, unsigned int *length);
hb_face_t *hb_face_create(hb_blob_t *blob, unsigned int index);
hb_blob_t *hb_face_reference_blob(hb_face_t *face);
void hb_face_destroy(hb_face_t *face);
void hb_set_add(hb_set_t *set, uint32_t codepoint);
uint32_t hb_tag_from_string(const char *str, int len);
hb_subset_input_t *hb_subset_input_create_or_fail(void);
void hb_subset_input_destroy(hb_subset_input_t *input);
hb_set_t *hb_subset_input_glyph_set(hb_subset_input_t *input);
hb_set_t *hb_subset_input_set(hb_subset_input_t *input, int set_type);
void hb_subset_input_set_flags(hb_subset_input_t *input, unsigned int value);
hb_face_t *hb_subset_or_fail(hb_face_t *source, const hb_subset_input_t *input);
"""
# HarfBuzz's flags and sets (hb-subset.h), as WeasyPrint's pdf/fonts.py passes them
_NO_HINTING, _RETAIN_GIDS, _DESUBROUTINIZE, _PASSTHROUGH = 0x1, 0x2, 0x4, 0x20
_DROP_TABLE_TAG = 3
_DROPPED = (b"BASE", b"DSIG", b"EBDT", b"EBLC", b"EBSC", b"GPOS", b"GSUB", b"JSTF", b"LTSH",
            b"PCLT", b"SVG ")  # fmt: skip


@cache
def _harfbuzz():
    import cffi

    ffi = cffi.FFI()
    ffi.cdef(_CDEF)
    return ffi, ffi.dlopen("libharfbuzz.so.0"), ffi.dlopen("libharfbuzz-subset.so.0")


def subset(file: str, index: int, glyphs: list[int]) -> bytes:
    """The face `index` of `file` subset to `glyphs` (glyph ids kept) as WeasyPrint subsets
    a document's fonts (pdf/fonts.py, Font._harfbuzz_subset): once keeping the glyph ids,
    then again keeping glyphs 0 to the last used, without hinting."""
    ffi, hb, hb_subset = _harfbuzz()
    blob = hb.hb_blob_create_from_file_or_fail(str(file).encode())
    if blob == ffi.NULL:
        raise OSError(f"cannot read the font {file}")
    face = hb.hb_face_create(blob, index)
    hb.hb_blob_destroy(blob)
    faces = [face]
    try:
        for glyph_set, flags in (
            (glyphs, _RETAIN_GIDS | _PASSTHROUGH | _DESUBROUTINIZE),
            (range(max(glyphs) + 1), _PASSTHROUGH | _DESUBROUTINIZE | _NO_HINTING),
        ):
            given = hb_subset.hb_subset_input_create_or_fail()
            try:
                kept = hb_subset.hb_subset_input_glyph_set(given)
                for glyph in glyph_set:
                    hb.hb_set_add(kept, glyph)
                hb_subset.hb_subset_input_set_flags(given, flags)
                dropped = hb_subset.hb_subset_input_set(given, _DROP_TABLE_TAG)
                for tag in _DROPPED:
                    hb.hb_set_add(dropped, hb.hb_tag_from_string(tag, -1))
                face = hb_subset.hb_subset_or_fail(faces[-1], given)
            finally:
                hb_subset.hb_subset_input_destroy(given)
            if face == ffi.NULL:
                raise RuntimeError(f"HarfBuzz could not subset {file}")
            faces.append(face)
        blob = hb.hb_face_reference_blob(faces[-1])
        length = ffi.new("unsigned int *")
        data = hb.hb_blob_get_data(blob, length)
        found = ffi.unpack(data, int(length[0]))
        hb.hb_blob_destroy(blob)
        return found
    finally:
        for face in faces:
            hb.hb_face_destroy(face)
