"""The bookmarks of a PDF joined from parts (pdf_join.py): read from each part as it is
copied, held as titles and page numbers (not objects: the parts are closed by the end),
nested, and written last by the streaming writer (pdf_writer.py)."""

from __future__ import annotations

from dataclasses import dataclass, field

import pikepdf
from pikepdf import Array, Name

from .pdf_writer import Source, Writer


@dataclass
class Mark:
    """A bookmark: its title and the rest of its destination as written (PDF syntax), the
    number of its page in the joined PDF, and the bookmarks under it."""

    title: bytes
    page: int
    rest: bytes
    children: list[Mark] = field(default_factory=list)


def marks(part: pikepdf.Pdf, first: int, source: Source, deep: bool = True) -> list[Mark]:
    """The bookmarks of `part` (its pages being the joined PDF's from `first` on), nested
    as the part nests them, or only its top-level ones."""
    index = {page.objgen: i for i, page in enumerate(part.pages)}
    top = float(part.pages[0].mediabox[3])
    outlines = part.Root.get("/Outlines")

    def level(item) -> list[Mark]:
        found = []
        while item is not None:
            destination = item.get("/Dest")
            if isinstance(destination, Array) and len(destination):
                target = index.get(destination[0].objgen, 0)
                rest = list(destination)[1:]
            else:
                target, rest = 0, [Name.XYZ, 0, top, 0]
            mark = Mark(source.body(item.Title), first + target, _syntax(source, rest))
            if deep:
                mark.children = level(item.get("/First"))
            found.append(mark)
            item = item.get("/Next")
        return found

    return level(outlines.get("/First")) if outlines is not None else []


def unit_mark(title: str, page: int, top: float, source: Source) -> Mark:
    """A bookmark of `title` at the top of the joined PDF's `page`."""
    return Mark(source.body(pikepdf.String(title)), page, _syntax(source, [Name.XYZ, 0, top, 0]))


def _syntax(source: Source, values: list) -> bytes:
    return source.body(Array(values))[2:-2]


def flattened(found: list[Mark]) -> list[Mark]:
    """Every bookmark of `found`, in the outline's order, without its children."""
    flat = []
    for mark in found:
        children, mark.children = mark.children, []
        flat += [mark, *flattened(children)]
    return flat


def nested(items: list[Mark], levels: list[int]) -> list[Mark]:
    """The bookmarks nested by their CSS bookmark-level, as WeasyPrint nests one
    document's (weasyprint/anchors.py, make_page_bookmark_tree): a level skipped under a
    bookmark does not make an empty one."""
    if len(items) != len(levels):
        raise RuntimeError(f"{len(items)} bookmarks for {len(levels)} bookmark levels")
    root: list[Mark] = []
    skipped: list[int] = []
    last_by_depth: list[list[Mark]] = [root]
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


def write_outline(writer: Writer, top: list[Mark], pages: list[int]) -> int:
    """The outline of `top` written (every bookmark open, as WeasyPrint writes them), its
    destinations on the joined PDF's `pages` (their object numbers); its number."""
    root = writer.reserve()

    def level(found: list[Mark], parent: int) -> tuple[list[int], int]:
        """Write the bookmarks of one level; their numbers, and how many are shown."""
        numbers = [writer.reserve() for _ in found]
        shown = len(found)
        for i, (mark, number) in enumerate(zip(found, numbers, strict=True)):
            kids, count = level(mark.children, number)
            shown += count
            keys = [b"/Title " + mark.title, b"/Parent %d 0 R" % parent]
            if i:
                keys.append(b"/Prev %d 0 R" % numbers[i - 1])
            if i + 1 < len(numbers):
                keys.append(b"/Next %d 0 R" % numbers[i + 1])
            if kids:
                keys.append(b"/First %d 0 R /Last %d 0 R" % (kids[0], kids[-1]))
            keys.append(b"/Count %d" % count)
            keys.append(b"/Dest [ %d 0 R %s ]" % (pages[mark.page], mark.rest))
            writer.write(number, b"<< " + b" ".join(keys) + b" >>")
        return numbers, shown

    numbers, shown = level(top, root)
    ends = b" /First %d 0 R /Last %d 0 R" % (numbers[0], numbers[-1]) if numbers else b""
    writer.write(root, b"<< /Type /Outlines%s /Count %d >>" % (ends, shown))
    return root
