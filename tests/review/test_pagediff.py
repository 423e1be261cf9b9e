"""`disclosure diff OLD NEW --pages DIR`: the PDF pages a change moves, and only those.

Page matching and region finding are tested on small made-up inputs; the whole diff on the
2022 PDF against copies of data/2022 with one figure changed or a page of text added.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import pytest
from conftest import DATA, ROOT, edit, pdf_page_texts
from fixtures.years import git, invoke
from PIL import Image, ImageDraw

from compiler import compile_year, parse_year_spec
from compiler.numbers import money
from compiler.review.diff import diff_models
from compiler.review.pagediff import ChangedPage, PageDiff, build_pdfs, compare_pdfs, render_list
from compiler.review.pageimage import changed_regions
from compiler.review.pagematch import PagePair, match_pages

# The 2022 PDF is laid out by several tests here (and the unchanged side of each diff).
pytestmark = pytest.mark.usefixtures("shared_pdf_layouts")

# --- matching pages -------------------------------------------------------------------------

PAGES = [f"page {n}\nline a{n}\nline b{n}\nline c{n}" for n in range(6)]


def test_the_same_pages_all_match():
    assert match_pages(PAGES, PAGES) == [PagePair(i, i, True) for i in range(6)]


def test_an_inserted_page_moves_the_following_pages_without_changing_them():
    new = PAGES[:2] + ["a new page\nwith new lines"] + PAGES[2:]
    pairs = match_pages(PAGES, new)
    assert PagePair(None, 2, False) in pairs
    assert [p for p in pairs if p.same_text] == [PagePair(i, i + (i >= 2), True) for i in range(6)]


def test_a_removed_page_and_a_changed_page():
    new = list(PAGES)
    new[4] = new[4].replace("line b4", "line B4")  # three lines of four in common
    del new[1]
    pairs = match_pages(PAGES, new)
    assert PagePair(1, None, False) in pairs
    assert PagePair(4, 3, False) in pairs
    assert sum(p.same_text for p in pairs) == 4


def test_reflowed_pages_pair_with_the_page_they_share_most_text_with():
    old = ["x1\nx2\nx3\nx4", "y1\ny2\ny3\ny4"]
    new = ["n1\nn2\nn3\nn4", "x1\nx2\nx3\nz", "y1\ny2\ny3\ny4\nq"]
    assert match_pages(old, new) == [
        PagePair(None, 0, False),
        PagePair(0, 1, False),
        PagePair(1, 2, False),
    ]


# --- finding changed regions ----------------------------------------------------------------


def _sheet(*marks: tuple[int, int, int, int]) -> Image.Image:
    image = Image.new("RGB", (300, 400), "white")
    draw = ImageDraw.Draw(image)
    for box in marks:
        draw.rectangle(box, fill="black")
    return image


def test_identical_pictures_have_no_regions():
    assert changed_regions(_sheet((10, 10, 50, 20)), _sheet((10, 10, 50, 20))) == []


def test_each_distant_change_is_one_region_around_it():
    old = _sheet((10, 10, 50, 20))
    new = _sheet((10, 10, 50, 20), (100, 100, 104, 110), (106, 100, 110, 110), (200, 300, 240, 310))
    regions = changed_regions(old, new)
    assert len(regions) == 2, "two marks 2 px apart are one region, a distant one another"
    (l1, t1, r1, b1), (l2, t2, r2, b2) = regions
    assert l1 <= 100 and t1 <= 100 and r1 >= 111 and b1 >= 111 and r1 - l1 < 40
    assert l2 <= 200 and t2 <= 300 and r2 >= 241 and b2 >= 311 and r2 - l2 < 60


def test_ignored_areas_and_pages_of_another_size():
    old, new = _sheet((10, 380, 60, 390)), _sheet((12, 380, 60, 390))  # a page number moved
    assert changed_regions(old, new, [(0, 370, 300, 400)]) == []
    assert changed_regions(old, new) != []
    assert changed_regions(old, Image.new("RGB", (400, 300), "white")) == [(0, 0, 400, 300)]


# --- the 2022 PDF ---------------------------------------------------------------------------


def _pdf_of(data) -> bytes:
    result = compile_year(parse_year_spec("2022", data))
    assert result.ok, [d.format_text() for d in result.diagnostics]
    pdfs, problems = build_pdfs([result])
    assert not problems
    return pdfs[0]


def _pngs(folder) -> list[str]:
    return sorted(p.name for p in folder.glob("*.png"))


@pytest.mark.slow
def test_the_same_pdf_gives_no_pages(pdf_2022, tmp_path):
    result = compare_pdfs(pdf_2022, pdf_2022, tmp_path / "pages", ("2022@main", "2022"))
    assert result.same and result.changed == []
    assert _pngs(tmp_path / "pages") == []
    assert "No page differs" in (tmp_path / "pages" / "index.html").read_text(encoding="utf-8")


@pytest.mark.slow
def test_a_changed_quantity_marks_exactly_the_pages_showing_the_figures_it_moves(
    pdf_2022, data_copy, model_2022, tmp_path
):
    edit(
        data_copy / "2022" / "procurement.yaml",
        "        quantity: 10\n        unit_price: 0.70\n",
        "        quantity: 11\n        unit_price: 0.70\n",
    )
    new_pdf = _pdf_of(data_copy)
    result = compare_pdfs(pdf_2022, new_pdf, tmp_path / "pages", ("2022@main", "2022"))

    # The oracle: the pages of the new PDF that print a money figure the change moved.
    new_model = compile_year(parse_year_spec("2022", data_copy)).model
    moved = {
        money(Decimal(e.new))
        for e in diff_models(model_2022, new_model).entries
        if e.kind == "figure" and e.number == "money" and e.new is not None
    }
    assert "7.70" in moved and "122.40" in moved
    figure = re.compile("|".join(rf"(?<![\d.]){re.escape(v)}(?![\d.])" for v in moved))
    texts = pdf_page_texts(new_pdf, tmp_path)
    showing = {n for n, text in enumerate(texts, 1) if figure.search(text)}
    assert showing, "the moved figures are printed somewhere"

    assert {page.new for page in result.changed} == showing
    assert all(page.old == page.new and page.kind == "changed" for page in result.changed)
    assert _pngs(tmp_path / "pages") == [f"page-{n:03d}.png" for n in sorted(showing)]
    index = (tmp_path / "pages" / "index.html").read_text(encoding="utf-8")
    assert all(f'src="page-{n:03d}.png"' in index for n in showing)


@pytest.mark.slow
def test_an_added_page_of_text_reports_the_pages_it_changed_not_every_page_after(
    pdf_2022, data_copy, tmp_path
):
    duty = "负责第{}项新增职责的组织、协调和督促落实工作，确保各项工作按时保质完成，及时报告进展。"
    extra = "".join(f"  - {duty.format(i)}\n" for i in range(1, 16))
    edit(data_copy / "2022" / "unit.yaml", "  - 负责全市政府系统电子政务工作。\n",
         "  - 负责全市政府系统电子政务工作。\n" + extra)  # fmt: skip
    new_pdf = _pdf_of(data_copy)
    result = compare_pdfs(pdf_2022, new_pdf, tmp_path / "pages", ("2022@main", "2022"))

    assert result.new_pages == result.old_pages + 1
    assert any(page.kind == "added" for page in result.changed)
    texts = pdf_page_texts(new_pdf, tmp_path)
    third = next(n for n, text in enumerate(texts, 1) if "三、机关运行经费安排情况" in text)
    assert all(page.new <= third for page in result.changed), result.changed
    assert len(result.changed) < third, "pages after the reflowed ones matched, moved by one"


# --- the command ----------------------------------------------------------------------------


@pytest.fixture
def repo(data_copy):
    root = data_copy.parent
    git(root, "init", "-q")
    git(root, "add", ".")
    git(root, "commit", "-qm", "2022 as published")
    return data_copy


@pytest.mark.slow
def test_command_with_no_change_exits_0_writes_no_page_and_clears_an_earlier_run(repo, tmp_path):
    pages = tmp_path / "pages"
    pages.mkdir()
    (pages / "page-007.png").write_bytes(b"from an earlier run")
    (pages / "notes.txt").write_text("the user's own file", encoding="utf-8")
    result = invoke(
        "diff", "2022@HEAD", "2022", "--pages", str(pages), "--format", "md", "--data", str(repo)
    )
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("### 2022@HEAD → 2022: no page changed (17 pages)")
    assert _pngs(pages) == [] and (pages / "notes.txt").exists()


def test_command_with_data_errors_is_trouble(repo, tmp_path):
    edit(repo / "2022" / "budget.yaml", "carried_over: 297.37", "carried_over: 297.38")
    result = invoke(
        "diff", "2022@HEAD", "2022", "--pages", str(tmp_path / "p"), "--data", str(repo)
    )
    assert result.exit_code == 2
    assert "2022 has data errors (above); fix them before comparing" in result.stderr
    assert not (tmp_path / "p").exists()


def test_json_lists_the_changed_pages():
    diff = PageDiff("2022@main", "2022", 17, 18, [ChangedPage(None, 2, 1, "page-002.png")])
    data = json.loads(render_list(diff, "json", Path("out")))
    assert data["changed"] == [{"old": None, "new": 2, "regions": 1, "image": "page-002.png"}]
    assert (data["old_pages"], data["new_pages"]) == (17, 18)


@pytest.mark.slow
def test_without_poppler_the_command_says_what_to_install(data_copy, tmp_path, monkeypatch):
    bin_dir = tmp_path / "bin"  # fontconfig's fc-list (the PDF build needs it) and no poppler
    bin_dir.mkdir()
    (bin_dir / "fc-list").symlink_to(shutil.which("fc-list"))
    monkeypatch.setenv("PATH", str(bin_dir))
    result = invoke(
        "diff", "2022", "2022", "--pages", str(tmp_path / "p"), "--data", str(data_copy)
    )
    assert result.exit_code == 2
    assert "pdftotext is not installed: install poppler-utils" in result.stderr


@pytest.mark.slow
def test_two_years_built_side_by_side_leave_no_file_behind(data_copy, tmp_path):
    """The two PDFs a page diff compares are built in forked processes, which end without
    the clean-up the folder of waiting files gets (publish/spool.py): it is made before
    they are forked, and gone when the command ends (each diff left two in /tmp)."""
    edit(
        data_copy / "2022" / "procurement.yaml",
        "        quantity: 10\n        unit_price: 0.70\n",
        "        quantity: 11\n        unit_price: 0.70\n",
    )
    temporary = tmp_path / "tmp"
    temporary.mkdir()
    code = f"""
from pathlib import Path
from compiler import compile_year, parse_year_spec
from compiler.review.pagediff import build_pdfs
years = [compile_year(parse_year_spec("2022", Path(p))) for p in {[str(DATA), str(data_copy)]!r}]
pdfs, problems = build_pdfs(years)
assert len(set(pdfs)) == 2 and all(p.startswith(b"%PDF") for p in pdfs), problems
"""
    done = subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env={**os.environ, "TMPDIR": str(temporary)},
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr
    assert sorted(p.name for p in temporary.iterdir()) == []
