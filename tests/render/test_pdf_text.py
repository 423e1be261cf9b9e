"""What a PDF's text layer holds is what its pages show (issue 26, part 5).

Every statutory table of every example in every layout (the Wanli years, and a made-up 2025
in Putuo's 2025 form; a Hebei unit, and a department whose units have budget lines; the
made-up Shanghai department and its units, and city unit; the two bureaus' final accounts)
is read back from the PDF as a table extractor (pdfplumber) and `pdftotext -layout` read it,
and compared with the model's grid: each row with its figures in their cells, in order. No text hidden on screen (a caption the heading
above repeats, a heading only a screen reader needs) is in the text layer; no page-size
rectangle is drawn; no character crosses its cell's border; a table's title never ends a
page without the table's header and first rows.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from collections import Counter
from dataclasses import dataclass
from functools import cache
from html.parser import HTMLParser
from pathlib import Path

import pdfplumber
import pytest
from conftest import ROOT
from fixtures.departments import hebei_department_with_lines, hebei_unit_with_lines
from fixtures.wanli_2025 import wanli_2025
from pdf_layouts import PdfLayouts

from compiler import compile_year, parse_year_spec
from compiler.layout.final_tables import final_tables
from compiler.layout.manifest import available_layouts
from compiler.layout.sections import shown_tables
from compiler.layout.tables import build
from compiler.publish.build import build_naming, build_year, published_documents

WANLI = ROOT / "examples" / "wanli" / "data"
DEPARTMENT = ROOT / "tests" / "data" / "department"
CITY_UNIT = ROOT / "tests" / "data" / "city-unit"


@dataclass
class Printed:
    """A statutory table as the model lays it out: its title, and its body rows' texts."""

    title: str
    rows: list[tuple[str, ...]]
    three_public: bool  # the 三公 table


@dataclass
class Built:
    name: str
    pdf: Path
    html: Path
    tables: list[Printed]  # every statutory table the PDF prints, in order
    layouts: PdfLayouts | None = None  # the run's, which reads the PDF once for every test

    def pages(self) -> list[PageRead]:
        """The PDF as pdfplumber reads it, read once a run (a long one takes seconds)."""
        return self.layouts.read(self.pdf, _read)


def _tables(model) -> list[Printed]:
    """A budget's tables (layout.tables, a package's units' after its own), or the final
    accounts' nine grids (layout.final_tables)."""
    if model.final is not None:
        grids = final_tables(model)
        return [
            Printed(g.title, [tuple(t for t, _ in r) for r in g.rows], g.id == "three_public")
            for g in grids
        ]
    tables = [build(spec, model) for spec in shown_tables(model)]
    found = [
        Printed(
            t.title, [tuple(c.text for c in r.cells) for r in t.body], t.spec.rows == "three_public"
        )
        for t in tables
    ]
    if model.layout.package == "department+units":
        for unit in model.units:
            found += _tables(unit)
    return found


def _build(name: str, data: Path, year: str, out: Path) -> list[Built]:
    """Each document the year publishes (a department's own, then each unit's alone)."""
    source = parse_year_spec(year, data)
    result = compile_year(source)
    assert result.ok, [d.format_text() for d in result.diagnostics]
    assert build_year(source, out, ("pdf", "html")).ok
    return [
        Built(
            f"{name}{'/' + model.slug if model.slug else ''}",
            out / build_naming(model, "pdf"),
            out / build_naming(model, "html"),
            _tables(model),
        )
        for model in published_documents(result.model)
    ]


EXAMPLES = {  # each document by its example's name, and its place in published_documents
    "wanli-2023": 0,
    "wanli-2024": 0,
    "wanli-2025": 0,
    "hebei-unit": 0,
    "hebei-department": 0,
    "hebei-department/01-office": 1,
    "hebei-department/02-centre": 2,
    "shanghai-department": 0,
    "shanghai-department/01-office": 1,
    "shanghai-department/02-centre": 2,
    "shanghai-city-unit": 0,
    "putuo-finance-bureau-final": 0,
    "putuo-planning-bureau-final": 0,
}


def _data(name: str, root: Path) -> tuple[Path, str]:
    """An example's data folder (made up under root where it is not in the repository)
    and the year it publishes."""
    if name == "wanli-2025":
        return wanli_2025(root, "shanghai-putuo-department-2025"), "2025"
    if name.startswith("wanli"):
        return WANLI, name[-4:]
    if name == "hebei-unit":
        return hebei_unit_with_lines(root), "2022"
    if name == "hebei-department":
        return hebei_department_with_lines(root), "2022"
    if name.endswith("-final"):
        return ROOT / "examples" / name.removesuffix("-final") / "data", "2024"
    shutil.copytree(CITY_UNIT if name == "shanghai-city-unit" else DEPARTMENT, root / "data")
    return root / "data", "2025"


def test_the_examples_cover_every_layout(tmp_path):
    """A layout the tool ships is laid out here by at least one example (compiled, not built)."""
    used = set()
    for name in {n.split("/")[0] for n in EXAMPLES}:
        data, year = _data(name, tmp_path / name)
        result = compile_year(parse_year_spec(year, data))
        used |= {model.layout.name for model in published_documents(result.model)}
    assert sorted(set(available_layouts()) - used) == []


@pytest.fixture(scope="module")
def examples(tmp_path_factory) -> dict[str, list[Built]]:
    """Each example built once (lazily), its documents by name."""
    return {}


# Each example's tests run in one xdist worker (make test's --dist loadgroup): the other
# worker never waits for an example being built, and a PDF is read once.
@pytest.fixture(
    params=[
        pytest.param(name, marks=pytest.mark.xdist_group(name.split("/")[0])) for name in EXAMPLES
    ]
)
def built(request, examples, tmp_path_factory, pdf_layouts) -> Built:
    name = request.param.split("/")[0]
    if name not in examples:
        root = tmp_path_factory.mktemp(name)
        with pdf_layouts.shared():
            examples[name] = _build(name, *_data(name, root), root / "out")
    found = examples[name][EXAMPLES[request.param]]
    found.layouts = pdf_layouts
    return found


def _plain(text: str | None) -> str | None:
    """A cell as the extractor reads it, its line breaks (CJK wraps without spaces) and
    spaces left out."""
    return None if text is None else re.sub(r"\s+", "", text)


@dataclass
class PageRead:
    """What pdfplumber reads on a page: each table's rows (as extract_tables gives them)
    and cells, every character and rectangle with its box."""

    number: int
    width: float
    height: float
    tables: list[list[list[str | None]]]
    cells: list[list[tuple[float, float, float, float]]]
    chars: list[dict]
    rects: list[dict]


def _box(found: dict, *keys: str) -> dict:
    """Of what pdfplumber gives for a character or rectangle, the fields the tests read."""
    return {key: found[key] for key in keys}


def _read(pdf: Path) -> list[PageRead]:
    """What the tests read from a PDF, page by page (Built.pages reads it once a run)."""
    pages = []
    with pdfplumber.open(pdf) as document:
        for page in document.pages:
            found = page.find_tables()
            pages.append(
                PageRead(
                    page.page_number,
                    page.width,
                    page.height,
                    [table.extract() for table in found],  # what page.extract_tables() does
                    [table.cells for table in found],
                    [_box(c, "text", "x0", "x1", "top", "bottom") for c in page.chars],
                    [_box(r, "width", "height") for r in page.rects],
                )
            )
    return pages


def _rows(built: Built) -> list[tuple[int, tuple[str, ...]]]:
    """Every table row pdfplumber finds, page by page: (page number, its cells' texts)
    without the cells a merged cell covers."""
    return [
        (page.number, tuple(_plain(c) for c in row if c is not None))
        for page in built.pages()
        for table in page.tables
        for row in table
    ]


def _expected(table: Printed) -> list[tuple[str, ...]]:
    return [tuple(_plain(text) for text in row) for row in table.rows]


def test_every_statutory_table_reads_back_as_printed(built):
    """Each row of each table, figures in their cells, in order: what the model's grid says."""
    assert built.tables, built.name
    read = _rows(built)
    at = 0
    for table in built.tables:
        for row in _expected(table):
            following = [i for i in range(at, len(read)) if read[i][1] == row]
            assert following, (
                f"{built.name}: {table.title}: the row {row} is not read back from the PDF "
                f"(next rows read: {[r for _, r in read[at : at + 3]]})"
            )
            at = following[0] + 1


@cache
def _page_texts(pdf: Path) -> list[str]:
    out = subprocess.run(
        ["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    return out.split("\f")[:-1]


def _contents_pages(pages: list[str]) -> int:
    """How many pages the table of contents takes (its lines end in dot leaders)."""
    return sum(1 for page in pages if re.search(r"\.{10,}\s*\d+\s*$", page, re.M))


def test_a_table_s_title_is_in_the_text_once_where_it_is_printed(built):
    """The caption a screen reader gets (the heading above says the same words) is not
    in the text layer: pdftotext prints each table's title once, above its header, never
    between the header and the figures."""
    pages = _page_texts(built.pdf)
    text = "\n".join(pages[_contents_pages(pages) :])
    for table in built.tables:
        lines = [line.strip() for line in text.splitlines()]
        count = lines.count(table.title)
        assert count >= 1, f"{built.name}: {table.title} is not printed"
        printed = len([t for t in built.tables if t.title == table.title])
        assert count == printed, f"{built.name}: {table.title} is in the text {count} times"


def test_the_three_public_table_reads_its_figures_under_its_header(built):
    """The 三公 table (the issue's example): pdftotext prints the title, the header and then
    the figures, nothing in between; pdfplumber reads 合计 as the figure printed."""
    table = next(t for t in built.tables if t.three_public)
    page = next(p for p in _page_texts(built.pdf) if f"\n{table.title}" in "\n" + _strip(p))
    below = _strip(page).split(table.title, 1)[1]
    assert table.title not in below
    total = table.rows[0][0]
    assert re.search(rf"^\s*{re.escape(total)}\s", below, re.M), below
    assert (_plain(total),) in [row[:1] for _, row in _rows(built)]


def _strip(page: str) -> str:
    return "\n".join(line.strip() for line in page.splitlines())


def test_no_hidden_heading_is_in_the_text(built):
    """A heading only a screen reader needs (Shanghai's part title over its table pages)
    is not in the text layer, except as a line of the table of contents."""
    html = built.html.read_text(encoding="utf-8")
    hidden = re.findall(r'<h\d class="[^"]*visually-hidden[^"]*">([^<]+)</h\d>', html)
    text = "\n".join(_page_texts(built.pdf))
    for heading in hidden:
        printed = [line for line in text.splitlines() if heading in line]
        assert all(re.search(r"\.{10,}", line) for line in printed), (heading, printed)


def test_no_page_size_rectangle_is_drawn(built):
    """A table extractor takes a filled rectangle for a border: none covers the page."""
    for page in built.pages():
        area = page.width * page.height
        big = [r for r in page.rects if r["width"] * r["height"] > area / 3]
        assert big == [], (
            f"{built.name}: page {page.number} draws {big[0]['width']:.0f}×{big[0]['height']:.0f} pt"
        )


def test_no_text_crosses_a_cell_border(built):
    """Every character of every table cell lies within the cell: a code such as 201 does
    not spill into the next column (measured on the PDF's own boxes)."""
    crossing = []
    for page in built.pages():
        chars = [c for c in page.chars if c["text"].strip()]
        for cells in page.cells:
            for x0, top, x1, bottom in (c for c in cells if c):
                for ch in chars:
                    middle = (ch["top"] + ch["bottom"]) / 2
                    if not top < middle < bottom:
                        continue
                    inside = x0 < (ch["x0"] + ch["x1"]) / 2 < x1
                    if inside and (ch["x0"] < x0 - 0.5 or ch["x1"] > x1 + 0.5):
                        crossing.append((page.number, ch["text"], round(ch["x1"] - x1, 1)))
    assert crossing == [], f"{built.name}: {crossing[:10]}"


def test_a_table_s_title_does_not_end_a_page_alone(built):
    """On the page where a table's title is printed, its header and its first rows (three,
    or all it has) are printed too."""
    read = _rows(built)
    pages = _page_texts(built.pdf)
    printed: dict[str, list[int]] = {}  # each line, the page of each time it is printed
    for n, page in list(enumerate(pages, 1))[_contents_pages(pages) :]:
        for line in page.splitlines():
            printed.setdefault(line.strip(), []).append(n)
    seen: Counter[str] = Counter()  # a package's units' tables have the same titles
    for table in built.tables:
        where = printed[table.title][seen[table.title]]
        seen[table.title] += 1
        on_page = [row for n, row in read if n == where]
        missing = [row for row in _expected(table)[:3] if row not in on_page]
        assert missing == [], f"{built.name}: {table.title} on page {where} without {missing}"


class _Headings(HTMLParser):
    def __init__(self):
        super().__init__()
        self.levels: list[tuple[int, str]] = []
        self._open: int | None = None

    def handle_starttag(self, tag, attrs):
        if re.fullmatch(r"h[1-6]", tag):
            self._open = int(tag[1])
            self.levels.append((self._open, ""))

    def handle_data(self, data):
        if self._open is not None:
            level, text = self.levels[-1]
            self.levels[-1] = (level, text + data)

    def handle_endtag(self, tag):
        if re.fullmatch(r"h[1-6]", tag):
            self._open = None


def test_headings_go_down_one_level_at_a_time(built):
    """No heading skips a level (axe-core's heading-order: h2 → h4 in 项目概况)."""
    parser = _Headings()
    parser.feed(built.html.read_text(encoding="utf-8"))
    jumps = [
        (before, after)
        for before, after in zip(parser.levels, parser.levels[1:], strict=False)
        if after[0] > before[0] + 1
    ]
    assert jumps == [], f"{built.name}: {jumps[:5]}"
