"""A published PDF joined from parts laid out apart: a department's package from its own
part and each unit's document, and each unit's own PDF from the same part (issue 27).

Why: laid out as one WeasyPrint document, a package of 30 units held every page's boxes
at once (3.4 MB a page, 2.5 GB) in one process, and its units' pages were laid out a
second time for their own PDFs. Now each part is laid out once, in its own process, bare
of its running header and page numbers (pdf_job.bare); a small document of empty pages
carrying only those (the same @page rules of print.css, numbered as the published PDF
counts) is laid out afterwards and drawn over each page as an artifact; and the parts are
joined, keeping what WeasyPrint wrote for PDF/A-3b:

- the first part is the base: its catalog, XMP metadata (pdfaid 3B), output intent,
  language, document information and outline are kept; the attachments (the package's
  model.json and sources), written by WeasyPrint with the overlay, are moved to it, so
  that a part does not change with the files it carries (a unit's change lays out that
  unit alone again);
- each later part's pages are appended, its structure tree (the unit's Document element,
  now an Art, as the unit's <article> was in the package) becomes a child of the base's
  Document, its parent tree's keys (and its pages' and annotations') moved past the
  base's;
- each later part's top-level bookmarks (its sections) go under a bookmark of the unit's
  title, under the base's last bookmark (第二部分 所属单位预算), as the package's CSS
  placed them before.

The department's own part comes in pieces (pdf_pieces.py): their structure goes under the
base's Document element (each piece's a Div), and their bookmarks are nested by their CSS
levels across the pieces, as WeasyPrint nests one document's.

The package is joined as a stream (`join`, with pdf_writer.py): one part open at a time,
each of its objects written to the output as it is read, renumbered; what spans the parts
(the page tree, the structure tree's root and parent tree, the outline, the catalog) is
held as object numbers and written last. qpdf's whole-document model, used before, held
every object of the package (175 000 for 30 units) and grew by 13–22 MB a unit. Memory
stays bounded by a piece or a unit, a chunk of the overlay (pdf_overlay.py) and a few
numbers a page. A unit's own PDF, one part, is
still stamped and saved with pikepdf (`stamp`).

Imports pikepdf only: WeasyPrint lays out the overlay in render/pdf.py.
"""

from __future__ import annotations

import os
import zlib
from collections.abc import Iterable, Sequence
from io import BytesIO
from typing import BinaryIO

import pikepdf
from pikepdf import Array, Dictionary, Name, Pdf

from .pdf_font_union import FontUnion
from .pdf_outline import Mark, flattened, marks, nested, unit_mark, write_outline
from .pdf_writer import Source, Writer

Part = bytes | str | os.PathLike  # a part's PDF, or the file holding it


def page_shapes(parts: Sequence[Part]) -> list[tuple[int, bool]]:
    """(part index, landscape) of every page of the joined PDF, in order."""
    shapes = []
    for index, data in enumerate(parts):
        with _open(data) as part:
            for page in part.pages:
                box = page.mediabox
                shapes.append((index, float(box[2]) > float(box[3])))
    return shapes


def _open(part: Part) -> Pdf:
    return Pdf.open(BytesIO(part) if isinstance(part, bytes) else part)


def join(
    parts: Sequence[Part],
    overlay: Iterable[tuple[bytes, int]],
    unit_titles: tuple[str, ...],
    identifier: bytes,
    out: BinaryIO,
    *,
    continued: int = 0,
    bookmark_levels: tuple[tuple[int, ...], ...] = (),
    faces: dict[str, tuple[str, int]] | None = None,
) -> None:
    """The parts joined into `out` (see the module's docstring), each page with its
    overlay page drawn over it as an artifact. The `continued` parts after the first are
    pieces of the same document (pdf_pieces.py): their structure goes under its Document
    element, and the bookmarks of all of them are nested by their levels as WeasyPrint
    nests one document's; the parts after those are units. The font programs of `faces`
    (pdf_font_union.face_name → file and index) are shared across the parts.

    Streamed (pdf_writer.py): one part open at a time, its objects written as they are
    read; what spans the parts (page tree, structure tree root, parent tree, outline,
    catalog) is held as object numbers and written last."""
    with _open(parts[0]) as first:
        version = first.pdf_version
    writer = Writer(out, version)
    fonts = FontUnion(writer, dict(faces or {}))
    joined = _Joined(writer, _Overlay(writer, overlay, fonts), fonts)
    for number, part in enumerate(parts):
        with _open(part) as pdf:
            if number == 0:
                joined.base(pdf)
            elif number <= continued:
                joined.append(pdf, Name.Div)
            else:
                joined.append(pdf, Name.Art, unit_titles[number - 1 - continued])
    levels = [level for part in bookmark_levels[: continued + 1] for level in part]
    joined.finish(nested(flattened(joined.marks), levels) if continued else joined.marks)
    writer.close(joined.catalog(), joined.info, identifier)


# Page attributes a page may take from the page tree above it (PDF 32000-1, 7.7.3.4): the
# joined PDF's page tree is new, so a page is given them itself.
_INHERITED = ("/Resources", "/MediaBox", "/CropBox", "/Rotate")


class _Joined:
    """The joined PDF as its parts are copied: what spans them, kept until `finish` as
    object numbers and PDF syntax, never as any part's objects."""

    def __init__(self, writer: Writer, overlay: _Overlay, fonts: FontUnion) -> None:
        self.writer = writer
        self.overlay = overlay
        self.fonts = fonts
        self.pages: list[int] = []  # every page's object number, in order
        self.page_tree = writer.reserve()
        self.tree_root = writer.reserve()  # the StructTreeRoot
        self.document = writer.reserve()  # the first part's Document element
        self.document_keys: list[bytes] = []  # its keys but /K and /P, as written
        self.document_kids: list[bytes] = []  # its /K, the parts' elements added
        self.tree_keys: list[bytes] = []  # the first's StructTreeRoot's RoleMap, ClassMap …
        self.parent_tree: list[tuple[int, int]] = []  # (key, its value's object number)
        self.next_key = 0
        self.catalog_keys: list[bytes] = []
        self.names: list[bytes] = []  # the first's /Names but its attachments
        self.info: int | None = None
        self.marks: list[Mark] = []  # the first document's bookmarks (all its pieces')
        self.unit_marks: list[Mark] = []  # each unit's, its sections under it

    def base(self, pdf: Pdf) -> None:
        """The first part: its catalog, document information, structure tree root and
        Document element kept, written last with the other parts' added."""
        source = Source(self.writer, pdf)
        tree = pdf.Root.StructTreeRoot
        element = _document_element(tree)
        source.alias(tree, self.tree_root)
        source.alias(element, self.document)
        self.document_keys = _keys(source, element, ("/K", "/P"))
        self.document_kids = [source.body(kid) for kid in _listed(element.K)]
        self.tree_keys = _keys(source, tree, ("/K", "/ParentTree", "/ParentTreeNextKey", "/Type"))
        skipped = ("/Type", "/Pages", "/StructTreeRoot", "/Outlines", "/Names", "/AF")
        self.catalog_keys = _keys(source, pdf.Root, skipped)
        names = pdf.Root.get("/Names")
        self.names = _keys(source, names, ("/EmbeddedFiles",)) if names is not None else []
        info = pdf.trailer.get("/Info")
        if info is not None:
            self.info = self._object(source, info)
        self.marks = marks(pdf, 0, source)
        self._copy(pdf, source)

    def append(self, pdf: Pdf, role: Name, unit_title: str | None = None) -> None:
        """A later part: its Document element, as a `role`, under the first's (a unit's as
        an Art, as its <article> was in the package; a piece's as a Div); its bookmarks
        after the first document's (a piece's) or under the unit's title (a unit's)."""
        source = Source(self.writer, pdf)
        tree = pdf.Root.StructTreeRoot
        element = _document_element(tree)
        element.S = role
        source.alias(tree, self.document)  # its /P: the first's Document element
        self.document_kids.append(source.ref(element))
        first = len(self.pages)
        if unit_title is None:
            self.marks += marks(pdf, first, source)
        else:
            top = float(pdf.pages[0].mediabox[3])
            unit = unit_mark(unit_title, first, top, source)
            unit.children = marks(pdf, first, source, deep=False)
            self.unit_marks.append(unit)
        self._copy(pdf, source)

    def _copy(self, pdf: Pdf, source: Source) -> None:
        """The part's pages (under the new page tree, their overlay drawn, their keys in
        the parent tree moved past the parts' before), its parent tree, and every object
        they reach, written; the part may be closed after."""
        offset = self.next_key
        self.fonts.take(pdf, source)
        opening = pdf.make_stream(b"q\n")
        for page in pdf.pages:
            number = len(self.pages)
            self.pages.append(source.number(page.objgen))
            obj = page.obj
            for key in _INHERITED:
                if key not in obj and (value := _inherited(obj, key)) is not None:
                    obj[key] = value
            for node in _ancestors(obj):  # the part's page tree: the joined PDF's instead
                source.alias(node, self.page_tree)
            if "/StructParents" in obj:
                obj.StructParents = int(obj.StructParents) + offset
            for annotation in obj.get("/Annots", []):
                if "/StructParent" in annotation:
                    annotation.StructParent = int(annotation.StructParent) + offset
            self._draw(pdf, source, obj, opening, number)
        nums = _numbers(pdf.Root.StructTreeRoot.ParentTree)
        for key, value in nums:
            self.parent_tree.append((key + offset, self._object(source, value)))
        self.next_key = offset + max((key for key, _ in nums), default=-1) + 1
        source.drain()
        self.overlay.drain()

    def _draw(self, pdf: Pdf, source: Source, page: Dictionary, opening, number: int) -> None:
        """The page's overlay page drawn over it as a form, marked as an artifact (the
        header and page numbers are not part of the structure, as WeasyPrint marks its
        own). The form is the overlay's object: a stand-in here takes its number."""
        stand_in = pdf.make_indirect(Dictionary())
        source.alias(stand_in, self.overlay.form(number))
        # named by the page's number, not at random: two builds give the same bytes
        name = Name(f"/Hf{number}")
        resources = Dictionary(dict(page.get("/Resources", Dictionary()).items()))
        xobjects = Dictionary(dict(resources.get("/XObject", Dictionary()).items()))
        xobjects[name] = stand_in
        resources.XObject = xobjects  # the page's own: WeasyPrint's pages may share theirs
        page.Resources = resources
        contents = page.get("/Contents")
        drawn = _listed(contents) if contents is not None else []
        closing = b"\nQ\n/Artifact BMC q " + bytes(name.unparse()) + b" Do Q EMC\n"
        page.Contents = Array([opening, *drawn, pdf.make_stream(closing)])

    def _object(self, source: Source, value) -> int:
        """The number of `value` in the joined PDF: its own when indirect, else a new
        object holding it."""
        if value.is_indirect:
            return source.number(value.objgen)
        number = self.writer.reserve()
        self.writer.write(number, source.body(value))
        return number

    def finish(self, department: list[Mark]) -> None:
        """What spans the parts, written: the overlay's last chunk, the page tree, the
        structure tree, the outline (`department`: the first document's bookmarks, each
        unit's under its last, 第二部分 所属单位预算)."""
        self.overlay.close()
        self.fonts.write()
        writer = self.writer
        kids = b" ".join(b"%d 0 R" % page for page in self.pages)
        writer.write(
            self.page_tree, b"<< /Type /Pages /Count %d /Kids [ %s ] >>" % (len(self.pages), kids)
        )
        writer.write(
            self.document,
            _dictionary(
                self.document_keys,
                b"/P %d 0 R" % self.tree_root,
                b"/K [ " + b" ".join(self.document_kids) + b" ]",
            ),
        )
        parent_tree = writer.reserve()
        nums = b" ".join(b"%d %d 0 R" % entry for entry in sorted(self.parent_tree))
        writer.write(parent_tree, b"<< /Nums [ %s ] >>" % nums)
        writer.write(
            self.tree_root,
            _dictionary(
                [b"/Type /StructTreeRoot"],
                b"/K %d 0 R" % self.document,
                b"/ParentTree %d 0 R" % parent_tree,
                b"/ParentTreeNextKey %d" % self.next_key,
                *self.tree_keys,
            ),
        )
        if department:
            department[-1].children += self.unit_marks
        else:
            department = self.unit_marks
        self.outline = write_outline(writer, department, self.pages)

    def catalog(self) -> int:
        """The catalog written: the first part's, with the new page tree, structure tree
        and outline, and the attachments (the overlay's first chunk's); its number."""
        number = self.writer.reserve()
        names = [*self.names]
        attachments = []
        if self.overlay.attachments is not None:
            files, associated = self.overlay.attachments
            names.append(b"/EmbeddedFiles " + files)
            if associated is not None:
                attachments.append(b"/AF " + associated)
        keys = [
            b"/Type /Catalog",
            b"/Pages %d 0 R" % self.page_tree,
            b"/StructTreeRoot %d 0 R" % self.tree_root,
            b"/Outlines %d 0 R" % self.outline,
            *self.catalog_keys,
            *attachments,
        ]
        if names:
            keys.append(b"/Names " + _dictionary(names))
        self.writer.write(number, _dictionary(keys))
        return number


class _Overlay:
    """The overlay's pages (overlay_chunks, laid out), one chunk open at a time: each page
    as a form to draw over a page of the joined PDF. The first chunk carries the
    attachments."""

    def __init__(
        self, writer: Writer, chunks: Iterable[tuple[bytes, int]], fonts: FontUnion
    ) -> None:
        self.writer = writer
        self.fonts = fonts
        self.chunks = iter(chunks)
        self.pdf: Pdf | None = None
        self.source: Source | None = None
        self.pages: list = []
        self.start = self.end = 0  # the joined PDF's pages the open chunk draws over
        self.attachments: tuple[bytes, bytes | None] | None = None
        self.opened = 0

    def form(self, number: int) -> int:
        """The object number of the form drawing the overlay of the joined PDF's page
        `number` (pages come in order)."""
        while number >= self.end:
            self._next()
        page = self.pages[number - self.start]
        form = page.as_form_xobject()
        form.write(zlib.compress(form.read_bytes()), filter=Name.FlateDecode)
        return self.source.number(form.objgen)

    def _next(self) -> None:
        self._close()
        chunk = next(self.chunks, None)
        if chunk is None:
            raise RuntimeError(f"the header and page numbers have {self.end} pages, too few")
        data, skipped = chunk
        self.pdf = Pdf.open(BytesIO(data))
        self.source = Source(self.writer, self.pdf)
        self.fonts.take(self.pdf, self.source)
        self.pages = list(self.pdf.pages)[skipped:]
        self.start, self.end = self.end, self.end + len(self.pages)
        if self.opened == 0:
            self._take_attachments()
        self.opened += 1

    def _take_attachments(self) -> None:
        root = self.pdf.Root
        names = root.get("/Names")
        files = names.get("/EmbeddedFiles") if names is not None else None
        if files is not None:
            associated = self.source.body(root.AF) if "/AF" in root else None
            self.attachments = (self.source.body(files), associated)

    def drain(self) -> None:
        if self.source is not None:
            self.source.drain()

    def _close(self) -> None:
        if self.pdf is not None:
            self.source.drain()
            self.pdf.close()
            self.pdf = self.source = None

    def close(self) -> None:
        self._close()


def _listed(value) -> list:
    return list(value) if isinstance(value, Array) else [value]


def _keys(source: Source, dictionary: Dictionary, skipped: tuple[str, ...]) -> list[bytes]:
    """The entries of `dictionary` but the `skipped` keys, in PDF syntax, sorted."""
    return [
        Name(key).unparse() + b" " + source.body(value)
        for key, value in sorted(dictionary.items())
        if key not in skipped
    ]


def _dictionary(keys: list[bytes], *more: bytes) -> bytes:
    return b"<< " + b" ".join([*keys, *more]) + b" >>"


def _ancestors(page: Dictionary) -> list[Dictionary]:
    """The page tree's nodes above `page`."""
    found = []
    node = page.get("/Parent")
    while node is not None and len(found) < 64:  # (a loop in a broken file)
        found.append(node)
        node = node.get("/Parent")
    return found


def _inherited(page: Dictionary, key: str):
    return next((node[key] for node in _ancestors(page) if key in node), None)


def _numbers(tree: Dictionary) -> list[tuple[int, pikepdf.Object]]:
    """The entries of a number tree (its /Nums, or its /Kids' in order)."""
    found = []
    nums = tree.get("/Nums")
    if nums is not None:
        found += [(int(nums[i]), nums[i + 1]) for i in range(0, len(nums), 2)]
    for kid in tree.get("/Kids", []):
        found += _numbers(kid)
    return found


def _document_element(tree: Dictionary) -> Dictionary:
    kids = tree.K
    return kids if isinstance(kids, Dictionary) else kids[0]


def _copy(pdf: Pdf, value):
    """`value` of another PDF in `pdf`: indirect objects copied (once each: qpdf remembers
    what it copied from each PDF), direct ones rebuilt."""
    if isinstance(value, pikepdf.Object) and value.is_indirect:
        return pdf.copy_foreign(value)
    if isinstance(value, Array):
        return Array([_copy(pdf, item) for item in value])
    if isinstance(value, Dictionary):
        return Dictionary({key: _copy(pdf, item) for key, item in value.items()})
    return value


def stamp(part: Part, overlay: list[tuple[bytes, int]], identifier: bytes) -> bytes:
    """One part published alone (a unit's own PDF): its pages with the overlay's."""
    pdf = _open(part)
    try:
        _stamp(pdf, overlay)
        out = BytesIO()
        pdf.trailer.ID = Array([pikepdf.String(identifier), pikepdf.String(identifier)])
        _save(pdf, out)
        return out.getvalue()
    finally:
        pdf.close()


def _take_attachments(pdf: Pdf, drawn: Pdf) -> None:
    """The overlay's attachments (its embedded files and PDF/A-3 /AF) as `pdf`'s: the
    parts are laid out without any."""
    names = drawn.Root.get("/Names")
    files = names.get("/EmbeddedFiles") if names is not None else None
    if files is None:
        return
    if "/Names" not in pdf.Root:
        pdf.Root.Names = Dictionary()
    pdf.Root.Names.EmbeddedFiles = _copy(pdf, files)
    if "/AF" in drawn.Root:
        pdf.Root.AF = _copy(pdf, drawn.Root.AF)


def _save(pdf: Pdf, out: BytesIO) -> None:
    """Written reproducibly: the identifier kept (the first of the trailer's /ID, as
    WeasyPrint's pdf_identifier), the second computed from the content."""
    pdf.save(out, deterministic_id=True, object_stream_mode=pikepdf.ObjectStreamMode.generate)


def _stamp(pdf: Pdf, overlay: list[tuple[bytes, int]]) -> None:
    """Draw each overlay page over the same page of `pdf`, marked as an artifact (the
    header and page numbers are not part of the structure, as WeasyPrint marks its own).
    `overlay`: its chunks (overlay_chunks), each with the pages it leads with to skip; the
    first carries the attachments."""
    number = 0
    for index, (data, skipped) in enumerate(overlay):
        with Pdf.open(BytesIO(data)) as drawn:
            if index == 0:
                _take_attachments(pdf, drawn)
            for source in list(drawn.pages)[skipped:]:
                if number >= len(pdf.pages):
                    break
                _draw(pdf, pdf.pages[number], source, number)
                number += 1
    if number != len(pdf.pages):
        raise RuntimeError(f"the header and page numbers have {number} pages for {len(pdf.pages)}")


def _draw(pdf: Pdf, page, source, number: int) -> None:
    form = _copy(pdf, source.as_form_xobject())
    # named by the page's number, not at random: two builds give the same bytes
    # (WeasyPrint's pages may share one resource dictionary)
    name = page.add_resource(form, Name.XObject, Name(f"/Hf{number}"))
    page.contents_add(pikepdf.Stream(pdf, b"q\n"), prepend=True)
    page.contents_add(pikepdf.Stream(pdf, b"\nQ\n"), prepend=False)
    page.contents_add(
        pikepdf.Stream(pdf, b"/Artifact BMC q " + bytes(name) + b" Do Q EMC"),
        prepend=False,
    )
