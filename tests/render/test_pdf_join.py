"""The package's streaming join (render/pdf_join.py, pdf_writer.py, pdf_outline.py).

Small documents laid out as parts are (bare, tagged): a department's own part in two
pieces and three units, each page saying which part and page it is, each unit with its
figure. Joined, the package must read as one document: qpdf finds nothing wrong, the pages
in order, every unit's bookmark with its sections under 第二部分, one structure tree whose
parent tree leads every page's marked content back to an element on that page, page
numbers counting through, each face's subsets one program that draws the same pages. And
the join holds one part at a time.
"""

from __future__ import annotations

import re
from contextlib import contextmanager

import pikepdf
import pytest
from render.test_pdf import outline, run

from compiler.render import pdf_join
from compiler.render.pdf import join_job, render_job
from compiler.render.pdf_job import JoinJob, PdfJob, write_attachments

pytestmark = pytest.mark.slow

CSS = "@page { size: A4; margin: 2cm } @page wide { size: A4 landscape } h2 { break-before: page }"
UNITS = ("示例局机关", "示例局服务中心", "示例局信息中心")


def document(title: str, sections: list[tuple[str, str]], level: int = 1) -> str:
    body = "".join(
        f'<section><h{level + 1} style="bookmark-level: {level}">{heading}</h{level + 1}>'
        f"<p>{text}</p></section>"
        for heading, text in sections
    )
    return (
        f'<!DOCTYPE html><html lang="zh-CN"><head><meta charset="utf-8"><title>{title}</title>'
        f"<style>{CSS}</style></head><body>{body}</body></html>"
    )


PIECES = (
    document(
        "示例局2022年部门预算", [("第一部分 部门预算", "部门第1页"), ("一、部门职责", "部门第2页")]
    ),
    document(
        "示例局2022年部门预算",
        [("二、总体情况", "部门第3页"), ("第二部分 所属单位预算", "部门第4页")],
    ),
)
UNIT_DOCUMENTS = tuple(
    document(
        f"{name}2022年单位预算",
        [("一、单位职责", f"单位{n}第1页"), ("二、总体情况", f"单位{n}支出{1000 + n}.00万元")],
    )
    for n, name in enumerate(UNITS, 1)
)


def laid_out(html: str):
    return render_job(PdfJob(html, "{}", b"0" * 32, (), 0, attached=False))


@pytest.fixture(scope="module")
def parts(tmp_path_factory):
    """The parts laid out, kept in files (as the build passes them)."""
    folder = tmp_path_factory.mktemp("parts")
    found = []
    for number, html in enumerate((*PIECES, *UNIT_DOCUMENTS)):
        pdf = laid_out(html)
        path = folder / f"{number}.pdf"
        path.write_bytes(pdf.data)
        found.append((path, pdf.bookmark_levels))
    return found


def join(parts) -> bytes:
    attachments = parts[0][0].parent / "attached"
    write_attachments(str(attachments), ['{"a": 1}'], ())
    job = JoinJob(
        tuple(path for path, _ in parts),
        ("示例局",) * 2 + UNITS,
        tuple(f"{name}2022年单位预算" for name in UNITS),
        CSS,
        b"1" * 32,
        str(attachments),
        0,
        continued=1,
        bookmark_levels=tuple(levels for _, levels in parts[:2]),
    )
    return join_job(job).data


@pytest.fixture(scope="module")
def package(parts, tmp_path_factory):
    path = tmp_path_factory.mktemp("joined") / "package.pdf"
    path.write_bytes(join(parts))
    return path


def page_texts(path) -> list[str]:
    return run("pdftotext", "-layout", str(path), "-").split("\f")[:-1]


def test_the_package_opens_and_qpdf_finds_nothing_wrong(package):
    with pikepdf.open(package) as pdf:
        assert pdf.check_pdf_syntax() == []
        for page in pdf.pages:  # every page's content parses, under the one page tree
            pikepdf.parse_content_stream(page)
            assert page.obj.Parent.objgen == pdf.Root.Pages.objgen
    info = run("pdfinfo", str(package))
    assert re.search(r"^Tagged:\s+yes$", info, re.M)
    metadata = run("pdfinfo", "-meta", str(package))
    assert 'pdfaid:part="3"' in metadata and 'pdfaid:conformance="B"' in metadata


def test_every_page_in_order(package):
    texts = [re.sub(r"\s", "", text) for text in page_texts(package)]
    expected = [f"部门第{n}页" for n in range(1, 5)]
    for n in range(1, len(UNITS) + 1):
        expected += [f"单位{n}第1页", f"单位{n}支出{1000 + n}.00万元"]
    assert len(texts) == len(expected)
    for text, mark in zip(texts, expected, strict=True):
        assert mark in text


def test_page_numbers_count_through(package):
    texts = page_texts(package)
    for number, text in enumerate(texts, 1):
        last = [line.strip() for line in text.splitlines() if line.strip()][-1]
        assert last == f"第 {number} 页 / 共 {len(texts)} 页"


def test_every_units_bookmark_with_its_sections(package):
    entries = outline(package.read_bytes())
    assert [t for d, t in entries if d == 1] == [
        "第一部分 部门预算",
        "一、部门职责",
        "二、总体情况",
        "第二部分 所属单位预算",
    ]
    units = entries[entries.index((1, "第二部分 所属单位预算")) + 1 :]
    expected = []
    for name in UNITS:
        expected += [(2, f"{name}2022年单位预算"), (3, "一、单位职责"), (3, "二、总体情况")]
    assert units == expected
    with pikepdf.open(package) as pdf, pdf.open_outline() as found:
        unit_items = found.root[-1].children
        pages = [pdf.pages.index(pikepdf.Page(item.destination[0])) for item in unit_items]
        assert pages == [4, 6, 8]  # each unit's bookmark on its first page


def _elements(element):
    kids = element.get("/K")
    for kid in kids if isinstance(kids, pikepdf.Array) else [kids]:
        if isinstance(kid, pikepdf.Dictionary) and "/S" in kid:
            yield kid
            yield from _elements(kid)


def test_one_structure_tree_with_every_units_elements(package, parts):
    with pikepdf.open(package) as pdf:
        root = pdf.Root.StructTreeRoot
        document = root.K
        roles = [str(kid.S) for kid in document.K if str(kid.S) in ("/Div", "/Art")]
        assert roles == ["/Div"] + ["/Art"] * len(UNITS)
        elements = list(_elements(document))
        for element in elements:  # each element's parent is the one holding it
            assert any(kid.objgen == element.objgen for kid in _listed(element.P.K))
        nums = root.ParentTree.Nums
        tree = {int(nums[i]): nums[i + 1] for i in range(0, len(nums), 2)}
        assert int(root.ParentTreeNextKey) == max(tree) + 1
        keys = [int(page.obj.StructParents) for page in pdf.pages]
        assert len(set(keys)) == len(keys)
        for page, key in zip(pdf.pages, keys, strict=True):
            content = pikepdf.unparse_content_stream(pikepdf.parse_content_stream(page))
            for mcid in map(int, re.findall(rb"/MCID (\d+)", content)):
                element = tree[key][mcid]
                marked = [k if isinstance(k, int) else k.get("/MCID") for k in _listed(element.K)]
                assert mcid in marked
                assert _page_of(element).objgen == page.objgen
    counts = []
    for path, _levels in parts:
        with pikepdf.open(path) as part:
            counts.append(len(list(_elements(part.Root.StructTreeRoot))))
    # every part's elements, its Document element now a Div or an Art (but the first's)
    assert len(elements) == sum(counts) - 1


def _listed(value) -> list:
    return list(value) if isinstance(value, pikepdf.Array) else [value]


def _page_of(element):
    while "/Pg" not in element:
        element = element.P
    return element.Pg


def test_each_units_figures_on_its_page(package):
    texts = page_texts(package)
    for n, name in enumerate(UNITS, 1):
        page = texts[4 + 2 * (n - 1) + 1]
        assert f"{1000 + n}.00" in page
        assert name in page.splitlines()[0]  # its running header


def test_the_join_is_reproducible(parts, package):
    assert join(parts) == package.read_bytes()


def test_the_join_holds_one_part_at_a_time(parts, monkeypatch):
    opened, most, now = [], [0], [0]
    real = pdf_join._open

    @contextmanager
    def spied(part):
        with real(part) as pdf:
            opened.append(part)
            now[0] += 1
            most[0] = max(most[0], now[0])
            try:
                yield pdf
            finally:
                now[0] -= 1

    monkeypatch.setattr(pdf_join, "_open", spied)
    join(parts)
    assert most[0] == 1
    assert set(opened) == {path for path, _ in parts}


def test_one_font_program_per_face(package, parts):
    """The parts' subsets of a face are one program holding all their glyphs
    (pdf_font_union.py): each face embedded once, every part's text still read."""

    def programs(pdf) -> dict[str, set]:
        found: dict[str, set] = {}
        for obj in pdf.objects:
            if isinstance(obj, pikepdf.Dictionary) and obj.get("/Type") == "/FontDescriptor":
                name = str(obj.FontName).split("+", 1)[-1]
                found.setdefault(name, set()).add(obj.FontFile3.objgen)
        return found

    with pikepdf.open(package) as pdf:
        shared = programs(pdf)
    assert shared and all(len(files) == 1 for files in shared.values()), shared
    with pikepdf.open(parts[2][0]) as part:
        assert set(programs(part)) <= set(shared)
    rows = run("pdffonts", str(package)).splitlines()[2:]
    assert {row.split()[0].split("+", 1)[-1] for row in rows} == set(shared)
    assert all(row.split()[-5:-3] == ["yes", "yes"] for row in rows)  # embedded subsets


def test_the_shared_programs_draw_the_same_pages(parts, package, tmp_path, monkeypatch):
    """Every page drawn the same with the parts' own subsets (the union left out)."""
    from compiler.render import pdf

    monkeypatch.setattr(pdf, "_faces", dict)
    own = tmp_path / "own.pdf"
    own.write_bytes(join(parts))
    assert own.stat().st_size > package.stat().st_size
    for name, path in (("own", own), ("shared", package)):
        run("pdftoppm", "-r", "40", "-gray", str(path), str(tmp_path / name))
    drawn = sorted(tmp_path.glob("own-*.pgm"))
    assert len(drawn) == 10
    for image in drawn:
        assert image.read_bytes() == (tmp_path / image.name.replace("own", "shared")).read_bytes()
