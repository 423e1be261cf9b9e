"""A department's package PDF joined from parts laid out once each (render/pdf_join.py).

The made-up Hebei department of tests/fixtures/departments.py (two units) is built once
through the command line; its package must read as one document: PDF/A-3b, tagged, one
structure tree covering every page, bookmarks for the department's sections and for every
unit and its sections, page numbers counting through, the running header of each part,
the year's attachments; each unit's pages are its own PDF's pages. It is built with the
department's part cut into small pieces and the header and numbers laid out in chunks of a
few pages (as a department of many units is), and once whole to compare the bookmarks.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pikepdf
import pytest
from click.testing import CliRunner
from fixtures.departments import hebei_department
from render.test_pdf import outline, run, squash

from compiler.cli import main
from compiler.input.sources import WorkingTreeYear
from compiler.pipeline.year import compile_year
from compiler.render import pdf_overlay, pdf_pieces
from compiler.render.opendata import model_json

pytestmark = pytest.mark.slow

UNITS = (("01-office", "示例局机关"), ("02-centre", "示例局服务中心"))


def build(root: Path) -> Path:
    data = hebei_department(root)
    out = root / "out"
    result = CliRunner().invoke(
        main,
        ["build", "2022", "--format", "pdf", "--data", str(data), "--out", str(out)],
        catch_exceptions=False,
    )
    assert result.exit_code == 0, result.output
    return out / "2022"


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    """Pieces of about four pages, numbers laid out five pages at a time (the PDF
    processes are forked from here, so they see the same)."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(pdf_pieces, "PIECE_BUDGET", 20_000)
        patch.setattr(pdf_overlay, "OVERLAY_CHUNK", 5)
        return build(tmp_path_factory.mktemp("package"))


@pytest.fixture(scope="module")
def built_whole(tmp_path_factory) -> Path:
    return build(tmp_path_factory.mktemp("whole"))


def pages(path: Path) -> list[str]:
    return run("pdftotext", "-layout", str(path), "-").split("\f")[:-1]


def lines(page: str) -> list[str]:
    return [line.strip() for line in page.splitlines() if line.strip()]


def test_the_package_is_tagged_pdf_a_3b(built):
    path = built / "disclosure.pdf"
    info = run("pdfinfo", str(path))
    assert re.search(r"^Tagged:\s+yes$", info, re.M)
    assert re.search(r"^Title:\s+示例局2022年部门预算信息公开情况说明$", info, re.M), info
    metadata = run("pdfinfo", "-meta", str(path))
    assert 'pdfaid:part="3"' in metadata and 'pdfaid:conformance="B"' in metadata
    with pikepdf.open(path) as pdf:
        assert str(pdf.Root.Lang) == "zh-CN"
        assert len(pdf.Root.OutputIntents) == 1
        # one structure tree: every page's marked content has its parent-tree entry
        tree = pdf.Root.StructTreeRoot
        nums = tree.ParentTree.Nums
        keys = {int(nums[i]) for i in range(0, len(nums), 2)}
        page_keys = [int(page.obj.StructParents) for page in pdf.pages]
        assert len(set(page_keys)) == len(page_keys) and set(page_keys) <= keys
        assert int(tree.ParentTreeNextKey) > max(keys)
        document = tree.K if isinstance(tree.K, pikepdf.Dictionary) else tree.K[0]
        arts = [kid for kid in document.K if kid.get("/S") == pikepdf.Name.Art]
        assert len(arts) >= len(UNITS)  # each unit's document, as its <article> was


def test_page_numbers_count_through_the_package_and_each_unit_alone(built):
    for path in (
        built / "disclosure.pdf",
        *(built / "units" / s / "disclosure.pdf" for s, _ in UNITS),
    ):
        found = pages(path)
        for number, page in enumerate(found, 1):
            assert lines(page)[-1] == f"第 {number} 页 / 共 {len(found)} 页", (path, number)


def test_each_part_has_its_running_header(built):
    package = pages(built / "disclosure.pdf")
    assert squash(lines(package[0])[0]) == "示例局"  # the title block, no header
    headers = [squash(lines(page)[0]) for page in package[1:]]
    assert headers[0] == "示例局2022年部门预算信息公开情况说明"
    for _slug, name in UNITS:
        assert f"{name}本级2022年单位预算信息公开情况说明" in headers
    own = pages(built / "units" / "01-office" / "disclosure.pdf")
    assert squash(lines(own[0])[0]) != squash(lines(own[1])[0])  # the first page has none
    assert squash(lines(own[1])[0]) == "示例局机关本级2022年单位预算信息公开情况说明"


def test_a_units_pages_in_the_package_are_its_own_pdfs(built):
    """Page by page the same lines (sorted and without spaces: pdftotext -layout orders a
    page's lines and pads a table's columns by where it finds them, which the header the
    page carries may shift)."""

    def same(page_lines):
        return sorted(squash(line) for line in page_lines)

    package = [same(lines(page)[1:-1]) for page in pages(built / "disclosure.pdf")]
    at = 0
    for slug, _name in UNITS:
        found_pages = pages(built / "units" / slug / "disclosure.pdf")
        own = [same(lines(page)[1:-1]) for page in found_pages]
        own[0] = same(lines(found_pages[0])[:-1])  # its first page has no header
        found = package.index(own[0], at)
        assert package[found : found + len(own)] == own, slug
        at = found + len(own)
    assert at == len(package)  # the last unit ends the package


def test_bookmarks_for_every_section_and_unit(built):
    entries = outline((built / "disclosure.pdf").read_bytes())
    top = [title for depth, title in entries if depth == 1]
    assert top[0] == "第一部分 部门预算" and top[-1] == "第二部分 所属单位预算"
    assert "一、部门职责及机构设置情况" in top and "九、其他需要说明的事项" in top
    second = entries.index((1, "第二部分 所属单位预算"))
    units = entries[second + 1 :]
    titles = [title for depth, title in units if depth == 2]
    assert titles == [f"{name}本级2022年单位预算信息公开情况说明" for _, name in UNITS]
    own = [
        t
        for d, t in outline((built / "units" / "01-office" / "disclosure.pdf").read_bytes())
        if d == 1
    ]
    first_unit = [t for d, t in units[1 : 1 + len(own)]]
    assert first_unit == own  # the unit's sections under its title
    assert all(depth == 3 for depth, _ in units[1 : 1 + len(own)])


def test_pieces_give_the_bookmarks_of_the_part_laid_out_whole(built, built_whole):
    """The department's part was cut (its structure holds a Div per piece after the
    first), and its bookmarks nest as those of the part laid out in one document."""
    with pikepdf.open(built / "disclosure.pdf") as pdf:
        tree = pdf.Root.StructTreeRoot
        document = tree.K if isinstance(tree.K, pikepdf.Dictionary) else tree.K[0]
        divs = [kid for kid in document.K if kid.get("/S") == pikepdf.Name.Div]
        assert len(divs) >= 3
    pieces = outline((built / "disclosure.pdf").read_bytes())
    whole = outline((built_whole / "disclosure.pdf").read_bytes())
    assert pieces == whole
    assert any(depth == 3 for depth, _ in pieces[: pieces.index((1, "第二部分 所属单位预算"))])


def test_a_table_continued_in_the_next_piece_repeats_its_header(built):
    """The procurement table runs over several pages: each of its pages starts with its
    column headings, as WeasyPrint repeats a table's header on a new page."""
    found = [page for page in pages(built / "disclosure.pdf") if "政府采购目录序号" in squash(page)]
    assert len(found) >= 2
    assert sum("部门政府采购预算" in squash(page) for page in found) == 1  # the caption once


def test_the_package_carries_the_years_files_and_each_unit_its_own(built):
    listing = run("pdfdetach", "-list", str(built / "disclosure.pdf")).splitlines()
    names = [re.match(r"^\d+: (.+)$", line).group(1) for line in listing[1:]]
    assert names[0] == "model.json"
    assert "source/unit.yaml" in names and "source/units/02-centre/budget.yaml" in names
    listing = run("pdfdetach", "-list", str(built / "units" / "02-centre" / "disclosure.pdf"))
    assert "source/budget.yaml" in listing and "units/" not in listing


def attached(pdf: Path, name: str, tmp: Path) -> bytes:
    listing = run("pdfdetach", "-list", str(pdf)).splitlines()[1:]
    number = next(i for i, line in enumerate(listing, 1) if line.endswith(f": {name}"))
    target = tmp / f"attached-{number}"
    run("pdfdetach", "-save", str(number), "-o", str(target), str(pdf))
    return target.read_bytes()


def test_the_attached_model_and_sources_are_the_years_to_the_byte(built, tmp_path):
    """The joins read what they attach from the file the build wrote it to as it was made
    (pdf_job.write_attachments): the package's model.json is the department's model, every
    unit's included, as `model_json` gives it; a unit's, its own; the sources as committed."""
    data = built.parent.parent / "data"
    model = compile_year(WorkingTreeYear(data, 2022)).model
    package = built / "disclosure.pdf"
    whole = attached(package, "model.json", tmp_path)
    assert whole == model_json(model).encode()
    assert json.loads(whole)["units"][1]["unit"]["name"] == "示例局服务中心"
    unit = built / "units" / "02-centre" / "disclosure.pdf"
    assert attached(unit, "model.json", tmp_path) == model_json(model.units[1]).encode()
    budget = data / "2022" / "units" / "02-centre" / "budget.yaml"
    assert attached(package, "source/units/02-centre/budget.yaml", tmp_path) == budget.read_bytes()
    assert attached(unit, "source/budget.yaml", tmp_path) == budget.read_bytes()


def test_fonts_are_embedded_subsets(built):
    rows = run("pdffonts", str(built / "disclosure.pdf")).splitlines()[2:]
    assert rows
    for row in rows:
        name, *_, emb, sub, _uni, _num, _gen = row.split()
        assert (emb, sub) == ("yes", "yes"), row
