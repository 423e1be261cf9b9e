"""A published PDF joined from parts laid out apart: a department's package from its own
part and each unit's document, and each unit's own PDF from the same part (issue 27).

Why: laid out as one WeasyPrint document, a package of 30 units held every page's boxes
at once (3.4 MB a page, 2.5 GB) in one process, and its units' pages were laid out a
second time for their own PDFs. Now each part is laid out once, in its own process, bare
of its running header and page numbers (pdf_job.bare); a small document of empty pages
carrying only those (the same @page rules of print.css, numbered as the published PDF
counts) is laid out afterwards and drawn over each page as an artifact; and the parts are
joined with pikepdf (qpdf), which keeps what WeasyPrint wrote for PDF/A-3b:

- the first part is the base: its catalog, XMP metadata (pdfaid 3B), output intent,
  language and outline stay as they are; the attachments (the package's model.json and
  sources), written by WeasyPrint with the overlay, are moved to it, so that a part does
  not change with the files it carries (a unit's change lays out that unit alone again);
- each later part's pages are appended, its structure tree (the unit's Document element,
  now an Art, as the unit's <article> was in the package) becomes a child of the base's
  Document, its parent tree's keys moved past the base's;
- each later part's top-level bookmarks (its sections) go under a bookmark of the unit's
  title, under the base's last bookmark (第二部分 所属单位预算), as the package's CSS
  placed them before.

The department's own part comes in pieces (pdf_pieces.py): their structure goes under the
base's Document element (each piece's a Div), and their bookmarks are nested by their CSS
levels across the pieces, as WeasyPrint nests one document's. Memory stays bounded by a
piece, a chunk of the overlay (OVERLAY_CHUNK pages, numbers written rather than counted)
and the joined PDF's own objects (qpdf holds them once: the PDF is written out and read
back every JOIN_GROUP parts).

Imports pikepdf only: WeasyPrint lays out the overlay in render/pdf.py.
"""

from __future__ import annotations

import html as htmllib
from io import BytesIO

import pikepdf
from pikepdf import Array, Dictionary, Name, OutlineItem, Pdf


def page_shapes(parts: tuple[bytes, ...]) -> list[tuple[int, bool]]:
    """(part index, landscape) of every page of the joined PDF, in order."""
    shapes = []
    for index, data in enumerate(parts):
        with Pdf.open(BytesIO(data)) as part:
            for page in part.pages:
                box = page.mediabox
                shapes.append((index, float(box[2]) > float(box[3])))
    return shapes


# Pages of header and numbers laid out in one WeasyPrint document (a few MB a page).
OVERLAY_CHUNK = 60

# The page numbers as written, not counted: a chunk of the overlay does not know the
# pages before it. The same words and place as print.css's counter(page) / counter(pages).
_NUMBERED = """
.page-label { display: block; string-set: page-label content(text); height: 0; margin: 0;
  overflow: hidden; visibility: hidden; }
@page { @bottom-center { content: string(page-label); } }
"""


def overlay_chunks(
    shapes: list[tuple[int, bool]], running_titles: tuple[str, ...], css: str
) -> list[tuple[str, int]]:
    """Documents of empty pages, one per page of the joined PDF, with the page's size,
    running title and number: laid out with the print stylesheet they give only the header
    and the page numbers. Each is (html, pages to skip): a chunk after the first starts
    with the page before its own, laid out only so that its first page is not a
    document's first (print.css's :first page has no header), and skipped when drawn."""
    chunks = []
    for start in range(0, len(shapes), OVERLAY_CHUNK):
        lead = 1 if start else 0
        numbers = range(start - lead, min(start + OVERLAY_CHUNK, len(shapes)))
        chunks.append((_overlay_html(shapes, numbers, running_titles, css), lead))
    return chunks


def _overlay_html(shapes, numbers: range, running_titles: tuple[str, ...], css: str) -> str:
    pages = []
    for number in numbers:
        part, landscape = shapes[number]
        style = ["page: wide" if landscape else "page: portrait"]
        if number != numbers.start:
            style.append("break-before: page")
        title = htmllib.escape(running_titles[part])
        label = f"第 {number + 1} 页 / 共 {len(shapes)} 页"
        pages.append(
            f'<div style="{"; ".join(style)}"><p class="running-title">{title}</p>'
            f'<p class="page-label">{label}</p></div>'
        )
    return (
        '<!DOCTYPE html>\n<html lang="zh-CN"><head><meta charset="utf-8">'
        f"<style>{css}{_NUMBERED}</style></head>\n<body>\n" + "\n".join(pages) + "\n</body></html>"
    )


# Parts appended before the joined PDF is written out and read back: qpdf keeps every
# object it has read or copied, so a package joined in one go held each part's structure
# tree twice (about 760 MB for 30 units); written out, the copies are read again only as
# they are needed.
JOIN_GROUP = 6


def join(
    parts: tuple[bytes, ...],
    overlay: list[tuple[bytes, int]],
    unit_titles: tuple[str, ...],
    identifier: bytes,
    *,
    continued: int = 0,
    bookmark_levels: tuple[tuple[int, ...], ...] = (),
) -> bytes:
    """The parts joined (see the module's docstring), each page with its overlay page drawn
    over it as an artifact. The `continued` parts after the first are pieces of the same
    document (pdf_pieces.py): their structure goes under its Document element, and the
    bookmarks of all of them are nested by their levels as WeasyPrint nests one
    document's; the parts after those are units."""
    pdf = Pdf.open(BytesIO(parts[0]))
    sources: list[Pdf] = []
    try:
        marks = _marks(pdf, 0)
        units: list[tuple[str, int, list]] = []  # title, first page, its sections' marks
        next_key = _next_key(pdf.Root.StructTreeRoot.ParentTree.Nums)
        for number, data in enumerate(parts[1:]):
            part = Pdf.open(BytesIO(data))
            sources.append(part)
            first = len(pdf.pages)
            pdf.pages.extend(part.pages)
            if number < continued:
                next_key = _append_structure(pdf, part, first, next_key, Name.Div)
                marks += _marks(part, first)
            else:
                next_key = _append_structure(pdf, part, first, next_key, Name.Art)
                sections = _marks(part, first, top_only=True)
                units.append((unit_titles[number - continued], first, sections))
            if len(sources) == JOIN_GROUP:
                pdf = _written_and_read(pdf, sources)
                sources = []
        pdf.Root.StructTreeRoot.ParentTreeNextKey = next_key
        levels = [level for part in bookmark_levels[: continued + 1] for level in part]
        _outline(pdf, marks if continued else None, levels, units)
        _stamp(pdf, overlay)
        out = BytesIO()
        pdf.trailer.ID = Array([pikepdf.String(identifier), pikepdf.String(identifier)])
        _save(pdf, out)
        return out.getvalue()
    finally:
        for part in sources:
            part.close()
        pdf.close()


def _written_and_read(pdf: Pdf, sources: list[Pdf]) -> Pdf:
    """`pdf` written out and read back, `pdf` and the parts it copied from closed."""
    buffer = BytesIO()
    pdf.save(buffer)
    for part in sources:
        part.close()
    pdf.close()
    return Pdf.open(buffer)


# A bookmark by the number of its page, not the page object: pages are other objects
# once the joined PDF is read back.
Mark = tuple[str, int, list]


def _marks(part: Pdf, first: int, top_only: bool = False) -> list[Mark]:
    """Every bookmark of `part` in the outline's order (or its top-level ones): title, the
    number of its page in the joined PDF (its pages being the joined PDF's from `first`
    on), and the rest of its destination."""
    index = {page.objgen: i for i, page in enumerate(part.pages)}
    found = []
    with part.open_outline() as theirs:
        stack = list(reversed(theirs.root))
        while stack:
            item = stack.pop()
            destination = item.destination
            if isinstance(destination, Array) and len(destination):
                target = index.get(destination[0].objgen, 0)
                rest = list(destination)[1:]
            else:
                target, rest = 0, [Name.XYZ, 0, float(part.pages[0].mediabox[3]), 0]
            found.append((str(item.title), first + target, rest))
            if not top_only:
                stack.extend(reversed(item.children))
    return found


def _outline(
    pdf: Pdf, marks: list[Mark] | None, levels: list[int], units: list[tuple[str, int, list]]
) -> None:
    """The joined PDF's bookmarks: the first document's (from all its pieces' `marks`,
    nested by `levels`; as the first part has them when None), then each unit's, its
    sections under it, under the last of the first document's (第二部分 所属单位预算)."""

    def item(title: str, page: int, rest: list) -> OutlineItem:
        return OutlineItem(title, Array([pdf.pages[page].obj, *rest]))

    with pdf.open_outline() as outline:
        if marks is not None:
            outline.root.clear()
            outline.root.extend(_nested([item(*mark) for mark in marks], levels))
        units_item = outline.root[-1] if outline.root else None
        for title, first, sections in units:
            top = float(pdf.pages[first].mediabox[3])
            unit = item(title, first, [Name.XYZ, 0, top, 0])
            unit.children.extend(item(*mark) for mark in sections)
            if units_item is not None:
                units_item.children.append(unit)
            else:
                outline.root.append(unit)


def _nested(items: list[OutlineItem], levels: list[int]) -> list[OutlineItem]:
    """The bookmarks nested by their CSS bookmark-level, as WeasyPrint nests one
    document's (weasyprint/anchors.py, make_page_bookmark_tree): a level skipped under a
    bookmark does not make an empty one."""
    if len(items) != len(levels):
        raise RuntimeError(f"{len(items)} bookmarks for {len(levels)} bookmark levels")
    root: list[OutlineItem] = []
    skipped: list[int] = []
    last_by_depth: list[list[OutlineItem]] = [root]
    previous = 0
    for item, level in zip(items, levels, strict=True):
        if level > previous:
            skipped.append(level - previous - 1)
        else:
            temp = level
            while temp < previous:
                temp += 1 + skipped.pop()
            if temp > previous:
                skipped.append(temp - previous - 1)
        previous = level
        depth = level - sum(skipped)
        last_by_depth[depth - 1].append(item)
        del last_by_depth[depth:]
        last_by_depth.append(item.children)
    return root


def _document_element(tree: Dictionary) -> Dictionary:
    kids = tree.K
    return kids if isinstance(kids, Dictionary) else kids[0]


def _next_key(nums: Array) -> int:
    keys = [int(nums[i]) for i in range(0, len(nums), 2)]
    return max(keys, default=-1) + 1


def _append_structure(pdf: Pdf, part: Pdf, first: int, next_key: int, role: Name) -> int:
    """The part's structure under the joined PDF's Document element (the part's own
    Document element becoming a `role`: an Art for a unit's document, a Div for a piece
    of the first's), its pages' and annotations' keys in the parent tree moved to start at
    `next_key`; the next free key."""
    joined = pdf.Root.StructTreeRoot
    document = _document_element(joined)
    nums = joined.ParentTree.Nums
    tree = part.Root.StructTreeRoot
    element = _document_element(tree)
    del element["/P"]  # else copying it would copy the part's whole tree root
    copied = _copy(pdf, element)
    copied.S = role
    copied.P = document
    kids = document.K
    if isinstance(kids, Array):
        kids.append(copied)
    else:
        document.K = Array([kids, copied])
    part_nums = tree.ParentTree.Nums
    offset = next_key
    for i in range(0, len(part_nums), 2):
        nums.append(int(part_nums[i]) + offset)
        nums.append(_copy(pdf, part_nums[i + 1]))
    for page in pdf.pages[first:]:
        if "/StructParents" in page.obj:
            page.obj.StructParents = int(page.obj.StructParents) + offset
        for annotation in page.obj.get("/Annots", []):
            if "/StructParent" in annotation:
                annotation.StructParent = int(annotation.StructParent) + offset
    return offset + _next_key(part_nums)


def _copy(pdf: Pdf, value):
    """`value` of another PDF in `pdf`: indirect objects copied (once each: qpdf remembers
    what it copied from each PDF, the pages appended included), direct ones rebuilt."""
    if isinstance(value, pikepdf.Object) and value.is_indirect:
        return pdf.copy_foreign(value)
    if isinstance(value, Array):
        return Array([_copy(pdf, item) for item in value])
    if isinstance(value, Dictionary):
        return Dictionary({key: _copy(pdf, item) for key, item in value.items()})
    return value


def stamp(part: bytes, overlay: list[tuple[bytes, int]], identifier: bytes) -> bytes:
    """One part published alone (a unit's own PDF): its pages with the overlay's."""
    pdf = Pdf.open(BytesIO(part))
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
