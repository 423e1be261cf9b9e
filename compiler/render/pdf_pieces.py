"""A long print document cut into pieces to be laid out one by one (issue 27).

Why: WeasyPrint holds every page's boxes until a document is written (about 3.4 MB a page),
so a department's own part, whose tables list every unit's projects, grew with the number
of units (208 pages, 1 GB for 30 units). Cut into pieces of a bounded size, laid out apart
and joined (pdf_join.py), its memory stays that of the largest piece.

The cut follows the document's own structure: an element too large for one piece is
opened and its children are shared out; a piece that continues an element opens it again
with its start tag as written (so its id, class and page name still apply), and a table
continued repeats its column groups and header, as WeasyPrint repeats a header on a new
page. A heading, a caption or a table's header never ends a piece (it stays with what it
introduces). A row group holding merged cells (rowspan) is never cut. The text is sliced
as written, so a piece holds the same bytes the whole document held.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from html.parser import HTMLParser

# About 25 pages of tables: a piece is laid out in a few tens of MB.
PIECE_BUDGET = 120_000

_VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source",
         "track", "wbr"}  # fmt: skip
_KEEP_WITH_NEXT = {"h1", "h2", "h3", "h4", "h5", "h6", "caption", "colgroup", "thead"}
_REPEATED = {"table": ("colgroup", "thead")}  # what a continued element shows again


@dataclass
class _Node:
    tag: str
    start: int  # where its start tag begins
    inner: int  # where its content begins (after the start tag)
    end: int = -1  # where its end tag ends
    inner_end: int = -1  # where its end tag begins
    children: list[_Node] = field(default_factory=list)


class _Tree(HTMLParser):
    """Elements with where each begins and ends in the text (offsets, not lines)."""

    def __init__(self, text: str) -> None:
        super().__init__(convert_charrefs=False)
        self.text = text
        self._line_starts = [0]
        for number, char in enumerate(text):
            if char == "\n":
                self._line_starts.append(number + 1)
        self.root = _Node("#root", 0, 0, len(text), len(text))
        self._open = [self.root]
        self.well_formed = True
        self.feed(text)
        self.close()
        self.well_formed = self.well_formed and len(self._open) == 1

    def _offset(self) -> int:
        line, column = self.getpos()
        return self._line_starts[line - 1] + column

    def handle_starttag(self, tag, attrs) -> None:
        start = self._offset()
        node = _Node(tag, start, start + len(self.get_starttag_text()))
        self._open[-1].children.append(node)
        if tag in _VOID:
            node.end = node.inner_end = node.inner
        else:
            self._open.append(node)

    def handle_startendtag(self, tag, attrs) -> None:
        start = self._offset()
        end = start + len(self.get_starttag_text())
        self._open[-1].children.append(_Node(tag, start, end, end, end))

    def handle_endtag(self, tag) -> None:
        if tag in _VOID:
            return
        if len(self._open) < 2 or self._open[-1].tag != tag:
            self.well_formed = False
            return
        node = self._open.pop()
        node.inner_end = self._offset()
        node.end = self.text.index(">", node.inner_end) + 1


@dataclass(frozen=True)
class _Atom:
    """A run of text laid out as a whole, inside its open ancestors (outermost first)."""

    path: tuple[_Node, ...]
    start: int
    end: int
    keep_with_next: bool


def pieces(html: str, budget: int | None = None) -> list[str]:
    """The document cut into documents of about `budget` characters of <main> each (one,
    the document itself, when it is smaller or not as the templates write it). Each piece
    has the document's head; the first keeps everything before <main>, the last
    everything after it."""
    budget = budget or PIECE_BUDGET
    tree = _Tree(html)
    main = _find(tree.root, "main")
    if not tree.well_formed or main is None or main.end - main.start <= budget:
        return [html]
    atoms: list[_Atom] = []
    _atoms(html, main, (main,), budget, atoms)
    groups = _groups(atoms, budget)
    if len(groups) < 2:
        return [html]
    body = _find(tree.root, "body")
    head_end = body.inner if body is not None else main.start
    before, after = html[:head_end], html[main.end :]
    first_atom: dict[int, int] = {}  # an element's id → the index of its first atom
    for index, atom in enumerate(atoms):
        for node in atom.path:
            first_atom.setdefault(id(node), index)
    out = []
    for number, (begin, end) in enumerate(groups):
        text = _piece_text(html, atoms, begin, end, first_atom)
        lead = html[: main.start] if number == 0 else before + "\n"
        tail = after if number == len(groups) - 1 else "\n</body>\n</html>\n"
        out.append(lead + text + tail)
    return out


def _find(node: _Node, tag: str) -> _Node | None:
    for child in node.children:
        if child.tag == tag:
            return child
        found = _find(child, tag)
        if found is not None:
            return found
    return None


def _splittable(html: str, node: _Node, budget: int) -> bool:
    if node.end - node.start <= budget or not node.children:
        return False
    # merged cells across rows are drawn badly when cut (WeasyPrint issues 833, 1911)
    return not (node.tag == "tbody" and "rowspan" in html[node.start : node.end])


def _atoms(html: str, node: _Node, path: tuple, budget: int, atoms: list[_Atom]) -> None:
    """`node`'s children as atoms: the text before each goes with it, a child too large
    is opened in turn (the text after the last child, white space, is left out then)."""
    at = node.inner
    for child in node.children:
        if _splittable(html, child, budget):
            if child.start > at:
                atoms.append(_Atom(path, at, child.start, True))
            _atoms(html, child, (*path, child), budget, atoms)
        else:
            atoms.append(_Atom(path, at, child.end, child.tag in _KEEP_WITH_NEXT))
        at = child.end
    last = atoms[-1] if atoms else None
    if last is not None and last.path[-1] is node and node.inner_end > at:
        atoms[-1] = _Atom(last.path, last.start, node.inner_end, last.keep_with_next)


def _groups(atoms: list[_Atom], budget: int) -> list[tuple[int, int]]:
    """Consecutive atoms (begin, end indices) of about `budget` characters each."""
    groups, begin, size = [], 0, 0
    for index, atom in enumerate(atoms):
        held = index and atoms[index - 1].keep_with_next
        if index > begin and size + (atom.end - atom.start) > budget and not held:
            groups.append((begin, index))
            begin, size = index, 0
        size += atom.end - atom.start
    groups.append((begin, len(atoms)))
    return groups


def _piece_text(html: str, atoms: list[_Atom], begin: int, end: int, first_atom: dict) -> str:
    """The atoms with their ancestors opened and closed around them as the path changes;
    an element begun in an earlier piece is opened again with what it repeats."""
    parts: list[str] = []
    open_path: tuple[_Node, ...] = ()
    for index in range(begin, end):
        atom = atoms[index]
        common = 0
        while (common < len(open_path) and common < len(atom.path)
               and open_path[common] is atom.path[common]):  # fmt: skip
            common += 1
        for node in reversed(open_path[common:]):
            parts.append(html[node.inner_end : node.end])
        for node in atom.path[common:]:
            parts.append(html[node.start : node.inner])
            if first_atom[id(node)] < index:  # continued from an earlier piece
                parts.extend(_repeated(html, node))
        open_path = atom.path
        parts.append(html[atom.start : atom.end])
    for node in reversed(open_path):
        parts.append(html[node.inner_end : node.end])
    return "".join(parts)


def _repeated(html: str, node: _Node) -> list[str]:
    """What a continued element shows again at the head of a piece (a table's header)."""
    tags = _REPEATED.get(node.tag, ())
    return [html[child.start : child.end] + "\n" for child in node.children if child.tag in tags]
