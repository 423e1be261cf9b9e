"""The web edition in a real browser (Debian's headless Chromium, driven by Selenium).

At a desktop width (1280 px) and a phone's (390 px), on three pages (Hebei's 2022 web edition
from data/, Shanghai's 2024 one from examples/wanli, and the index page of the site that
`disclosure publish` makes of examples/wanli): the page never scrolls sideways (wide tables
scroll inside their own box), every figure fits its cell on one line, no line with a long
number has its characters spread apart by justification, every table heading holds at least
two characters a line, and printing the page gives the PDF's page sizes. Screenshots are
saved under pytest's temporary folder (the path is printed: `pytest -s` shows it) for a
person to look at. Each check is also run once against a page broken on purpose, to show it
can fail.
"""

from __future__ import annotations

import base64
import os
import re
import shutil
import subprocess
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import pytest
from conftest import DATA, ROOT, edit
from fixtures.departments import hebei_unit_with_lines

from compiler import parse_year_spec
from compiler.publish.build import build_year

pytestmark = pytest.mark.slow

# Debian's chromium and chromedriver (scripts/setup.sh); a machine with its own Chrome names
# it and its driver (the GitHub workflows do).
CHROMIUM = os.environ.get("DISCLOSURE_CHROMIUM") or "/usr/bin/chromium"
CHROMEDRIVER = os.environ.get("DISCLOSURE_CHROMEDRIVER") or "/usr/bin/chromedriver"
# Without these, Chromium waits on network services this machine does not reach.
FLAGS = (
    "--headless --no-sandbox --disable-gpu --disable-dev-shm-usage --no-first-run "
    "--disable-background-networking --disable-component-update --disable-sync"
).split()
WIDTHS = {"desktop": (1280, False), "phone": (390, True)}  # px, mobile emulation
WANLI = ROOT / "examples" / "wanli" / "data"


@dataclass(frozen=True)
class Page:
    """A page the checks run on: the fixture giving its address, how many tables it has at
    least, which of them a phone scrolls sideways in their box (all that match; none:
    the page's tables fit a phone), the paragraphs the spreading check measures (those
    holding a match of `spread`, at least `spread_count` of them), and where to take
    screenshots."""

    fixture: str
    tables: int
    phone_scrolls: str | None
    spread: str
    spread_count: int
    places: dict[str, str]  # a screenshot's name: the element scrolled to the top


LONG_NUMBER = r"\d{3,}\.\d{2}"  # 9569.88
PAGES = {
    "hebei-2022": Page(
        "web_2022", 10, "table.procurement", LONG_NUMBER, 5,
        {"budget": "#budget", "procurement": "#procurement table",
         "indicators": "#unit-indicators", "assets": "#assets"},
    ),
    "wanli-2024": Page(
        "web_wanli_2024", 9, "table.statutory", LONG_NUMBER, 5,
        {"overview": "#table-overview", "income": "#table-income",
         "three-public": "#table-three_public"},
    ),
    # data/2022's text with budget lines: the nine Hebei tables, the 13-column 收入总表 the
    # widest; a desktop shows it whole, a phone scrolls it in its box.
    "hebei-lines": Page(
        "web_hebei_lines", 15, "table.t-income", LONG_NUMBER, 5,
        {"income": "#table-income", "three-public": "#table-three_public"},
    ),
    # A paragraph there holds a year or a file's name (datapackage.json).
    "index": Page("site_index", 1, None, r"\d{4}|[A-Za-z]{4,}", 3, {"years": "table.index tbody"}),
}  # fmt: skip

# ---------------------------------------------------------------------------- measurements

# Width of the page's content against the window's: more means the page scrolls sideways.
# (A phone zooms out a page wider than the screen, widening innerWidth with it: the tests
# compare with the screen's width too.)
PAGE_OVERFLOW = "return [document.scrollingElement.scrollWidth, window.innerWidth];"

# Each table's scroll box: [table class, box width, table width, overflow-x, box right edge].
TABLE_BOXES = """
return [...document.querySelectorAll("table.grid")].map(t => {
  const box = t.parentElement;
  return [t.className, box.clientWidth, t.offsetWidth, getComputedStyle(box).overflowX,
          box.getBoundingClientRect().right];
});
"""

# Headings narrower than two characters (their content box against their font size).
NARROW_HEADINGS = """
const narrow = [];
for (const th of document.querySelectorAll("table.grid th")) {
  const cs = getComputedStyle(th);
  const inner = th.clientWidth - parseFloat(cs.paddingLeft) - parseFloat(cs.paddingRight);
  if (inner < 2 * parseFloat(cs.fontSize) || th.scrollWidth > th.clientWidth + 1)
    narrow.push([th.textContent.trim(), Math.round(inner), cs.fontSize]);
}
return narrow;
"""

# For every paragraph holding a long number (1234.56; the script's argument is the pattern,
# Page.spread): the widest step from one Chinese character to the next on the same line, in
# units of the font size (1.0 when set solid; justification adds the line's leftover space
# between characters), and whether it is justified (text-align: justify, unless
# text-justify: none turns that off).
SPREAD = """
const LONG = new RegExp(arguments[0]), HAN = /[\\u4e00-\\u9fff]/;
const range = document.createRange(), found = [];
for (const el of document.querySelectorAll("main p, main li, main dd")) {
  if (!LONG.test(el.textContent)) continue;
  const size = parseFloat(getComputedStyle(el).fontSize);
  const walker = document.createTreeWalker(el, NodeFilter.SHOW_TEXT);
  let prev = null, widest = 0;
  for (let node; (node = walker.nextNode());) {
    for (let i = 0; i < node.data.length; i++) {
      range.setStart(node, i); range.setEnd(node, i + 1);
      const r = range.getBoundingClientRect(), ch = node.data[i];
      if (prev && HAN.test(ch) && HAN.test(prev.ch) && Math.abs(r.top - prev.top) < 2)
        widest = Math.max(widest, (r.left - prev.left) / size);
      prev = {ch, left: r.left, top: r.top};
    }
  }
  const cs = getComputedStyle(el);
  const justified = cs.textAlign === "justify" && cs.textJustify !== "none";
  found.push([widest, justified, el.textContent.trim().slice(0, 30)]);
}
return found;
"""
SOLID = 1.03  # widest step allowed: a character and 3% (sub-pixel rounding stays below)

# Table cells whose content is wider than the cell (it runs into the next column or is cut
# off), and figures broken over two lines: [what, the cell's text, cell width, content width].
CRAMPED_CELLS = """
const range = document.createRange(), found = [];
for (const cell of document.querySelectorAll("table.grid td, table.grid th")) {
  const text = cell.textContent.trim();
  if (cell.scrollWidth > cell.clientWidth + 1)
    found.push(["overflows", text.slice(0, 30), cell.clientWidth, cell.scrollWidth]);
  else if (cell.matches("td.num") && text) {
    range.selectNodeContents(cell);
    const lines = new Set([...range.getClientRects()].map(r => Math.round(r.top)));
    if (lines.size > 1) found.push(["wraps", text, cell.clientWidth, lines.size]);
  }
}
return found;
"""


# ---------------------------------------------------------------------------- fixtures


@pytest.fixture(scope="module")
def browser():
    missing = [p for p in (CHROMIUM, CHROMEDRIVER) if not Path(p).exists()]
    if missing:
        pytest.fail(
            f"{', '.join(missing)} missing: run `make setup` (Debian chromium, chromium-driver)"
        )
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    profile = tempfile.mkdtemp(prefix="disclosure-chromium-")
    for flag in [*FLAGS, f"--user-data-dir={profile}"]:
        options.add_argument(flag)
    driver = webdriver.Chrome(options=options, service=Service(CHROMEDRIVER))
    yield driver
    driver.quit()
    shutil.rmtree(profile, ignore_errors=True)


@pytest.fixture(scope="module")
def web_2022(tmp_path_factory) -> str:
    """The 2022 web edition, built into a temporary folder; its file:// address."""
    out = tmp_path_factory.mktemp("web")
    result = build_year(parse_year_spec("2022", DATA), out, ("html",))
    assert result.ok
    return (out / "2022" / "disclosure.html").as_uri()


@pytest.fixture(scope="module")
def web_wanli_2024(tmp_path_factory) -> str:
    """Shanghai's 2024 web edition (examples/wanli: a department, its nine statutory tables
    in 元 with thousands separators), built into a temporary folder; its file:// address."""
    out = tmp_path_factory.mktemp("wanli")
    result = build_year(parse_year_spec("2024", WANLI), out, ("html",))
    assert result.ok
    return (out / "2024" / "disclosure.html").as_uri()


@pytest.fixture(scope="module")
def web_hebei_lines(tmp_path_factory) -> str:
    """data/2022 with budget lines (fixtures.departments.hebei_unit_with_lines): the Hebei
    layout's nine statutory tables on the web; its file:// address."""
    root = tmp_path_factory.mktemp("hebei-lines")
    out = root / "out"
    result = build_year(parse_year_spec("2022", hebei_unit_with_lines(root)), out, ("html",))
    assert result.ok
    return (out / "2022" / "disclosure.html").as_uri()


@pytest.fixture(scope="module")
def site_index(tmp_path_factory, pdf_layouts) -> str:
    """The index page of the site `disclosure publish` makes of examples/wanli (2023 and
    2024, every format and the open data); its file:// address."""
    from compiler.publish.site import publish

    out = tmp_path_factory.mktemp("site")
    with pdf_layouts.shared():
        result = publish(WANLI, out / "site", editions_dir=out / "published")
    assert result.ok and result.index is not None
    return result.index.as_uri()


@pytest.fixture
def page(request) -> tuple[Page, str]:
    """The page a test is parametrized with (`page` in PAGES), and its address."""
    checked = PAGES[request.param]
    return checked, request.getfixturevalue(checked.fixture)


@pytest.fixture(scope="module")
def shots(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("screenshots")
    print(f"\nscreenshots: {folder}")
    return folder


def show(driver, url: str, width: str) -> None:
    pixels, mobile = WIDTHS[width]
    driver.execute_cdp_cmd(
        "Emulation.setDeviceMetricsOverride",
        {"width": pixels, "height": 844, "deviceScaleFactor": 1, "mobile": mobile},
    )
    driver.get(url)


def screenshot(driver, path: Path, selector: str | None = None, full: bool = False) -> None:
    if selector:
        driver.execute_script("document.querySelector(arguments[0]).scrollIntoView()", selector)
    shot = driver.execute_cdp_cmd(
        "Page.captureScreenshot", {"format": "png", "captureBeyondViewport": full}
    )
    path.write_bytes(base64.b64decode(shot["data"]))


def break_page(driver, css: str) -> None:
    """Add a rule to the page, to show that a check fails on a page that has the fault."""
    driver.execute_script(
        "const s = document.createElement('style'); s.textContent = arguments[0];"
        "document.head.append(s);",
        css,
    )


# ---------------------------------------------------------------------------- the checks


def pages_and_widths():
    """Each page at each width, as test parameters: (page, width)."""
    return pytest.mark.parametrize(
        ("page", "width"), [(p, w) for p in PAGES for w in WIDTHS], indirect=["page"]
    )


@pages_and_widths()
def test_screenshots(browser, page, shots, width, request):
    checked, url = page
    name = request.node.callspec.params["page"]
    show(browser, url, width)
    for place, selector in {"top": None, **checked.places}.items():
        screenshot(browser, shots / f"{name}-{width}-{place}.png", selector)
    screenshot(browser, shots / f"{name}-{width}-whole-page.png", full=True)
    for path in shots.glob(f"{name}-{width}-*.png"):
        assert path.read_bytes().startswith(b"\x89PNG") and path.stat().st_size > 10_000


@pages_and_widths()
def test_the_page_never_scrolls_sideways_and_wide_tables_scroll_in_their_box(browser, page, width):
    checked, url = page
    show(browser, url, width)
    content, window = browser.execute_script(PAGE_OVERFLOW)
    screen = WIDTHS[width][0]
    assert content <= window == screen, f"the page is {content} px wide on a {screen} px screen"
    boxes = browser.execute_script(TABLE_BOXES)
    assert len(boxes) >= checked.tables
    for name, _, _, overflow, right in boxes:
        assert overflow == "auto", f"{name}: its box does not scroll"
        assert right <= window, f"{name}: its box reaches past the window"
    wide = [name for name, box, table, *_ in boxes if table > box]
    if width == "desktop" or checked.phone_scrolls is None:
        assert wide == [], f"at {screen} px every table fits the column"
        return
    tables = browser.find_elements("css selector", checked.phone_scrolls)
    assert len(tables) >= 1
    for table in tables:
        name = table.get_attribute("class")
        assert name in wide, f"{name}: a phone shows it squeezed, not scrolling in its box"
        box = table.find_element("xpath", "..")
        moved = browser.execute_script(
            "const box = arguments[0]; box.scrollLeft = box.scrollWidth;"
            "return [box.scrollLeft, box.scrollWidth - box.clientWidth];",
            box,
        )
        assert moved[0] == moved[1] > 0, f"{name}: its box does not scroll to its end"
        assert browser.execute_script("return window.scrollX;") == 0, "the page scrolled"


# Each statutory table a phone scrolls, scrolled to its end: [table id, how far it scrolled,
# then for each fixed cell of its first row (the codes and the name) its left edge from the
# box's, the gap to the cell before it, and whether it is what is seen at its own middle (on
# top of the figures scrolled under it)]. Tables that fit their box are left out, and those
# of figures only (the 三公 table): no column names their rows.
FIXED_AFTER_SCROLL = """
const found = [];
for (const table of document.querySelectorAll("table.statutory")) {
  const box = table.parentElement;
  if (box.scrollWidth <= box.clientWidth || !table.querySelector(".fixed")) continue;
  const row = table.tBodies[0].rows[0];
  row.scrollIntoView({block: "center"});
  box.scrollLeft = box.scrollWidth;
  const edge = box.getBoundingClientRect().left + box.clientLeft;
  const cells = [...row.cells].filter(c => c.classList.contains("fixed"));
  let before = edge;
  found.push([table.id, box.scrollLeft, cells.map(c => {
    const r = c.getBoundingClientRect();
    const seen = document.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2);
    const place = [Math.round(r.left - edge), Math.round(r.left - before), seen === c];
    before = r.right;
    return place;
  })]);
}
return found;
"""


def _fixed_columns_after_scrolling(browser) -> dict[str, list]:
    found = browser.execute_script(FIXED_AFTER_SCROLL)
    assert found, "no statutory table scrolls sideways at 390 px"
    for name, scrolled, cells in found:
        assert scrolled > 0 and cells, f"{name}: no sideways scroll or no fixed column"
    return {name: cells for name, _, cells in found}


@pytest.mark.parametrize("fixture", ["web_wanli_2024", "web_hebei_lines"])
def test_code_and_name_columns_stay_at_the_left_edge_while_scrolling(browser, fixture, request):
    """At 390 px a statutory table scrolled to its end still shows its codes and name at
    the box's left edge, side by side, over the figures scrolled under them (issue 26)."""
    show(browser, request.getfixturevalue(fixture), "phone")
    for name, cells in _fixed_columns_after_scrolling(browser).items():
        code_left, _, code_seen = cells[0]
        assert abs(code_left) <= 1, f"{name}: the first column is {code_left} px from the edge"
        for left, gap, seen in cells:
            assert abs(gap) <= 1 and seen, f"{name}: a fixed column at {left} px (gap {gap})"


def test_the_fixed_column_check_catches_columns_that_scroll_away(browser, web_wanli_2024):
    show(browser, web_wanli_2024, "phone")
    break_page(browser, "table.statutory .fixed { position: static !important; }")
    lefts = [cells[0][0] for cells in _fixed_columns_after_scrolling(browser).values()]
    assert all(left < -50 for left in lefts), lefts


# Text outside a table's scroll box that reaches past the window or is cut off by its box:
# [text, its right edge, the right edge it may reach].
CLIPPED_TEXT = """
const clipped = [];
for (const el of document.querySelectorAll(".caption-meta > span, p.table-caption, h2, h3, h4")) {
  const rect = el.getBoundingClientRect();
  if (rect.width <= 1) continue;  // visually hidden (for screen readers)
  let limit = window.innerWidth;
  for (let box = el.parentElement; box; box = box.parentElement)
    if (getComputedStyle(box).overflowX !== "visible")
      limit = Math.min(limit, box.getBoundingClientRect().right);
  if (rect.right > limit + 0.5 || el.scrollWidth > el.clientWidth + 1)
    clipped.push([el.textContent.trim(), Math.round(rect.right), Math.round(limit)]);
}
return clipped;
"""


@pages_and_widths()
def test_no_title_or_unit_is_clipped(browser, page, width):
    """A table's title and its 单位：万元 line are seen whole, at the top of the box a phone
    scrolls, not cut off at the screen's edge with the table (issue 26: 390 px)."""
    show(browser, page[1], width)
    assert browser.execute_script(CLIPPED_TEXT) == []


@pages_and_widths()
def test_every_figure_fits_its_cell_on_one_line(browser, page, width):
    """No cell's content runs into the next column (or is cut off by it), and no figure is
    broken over two lines: a phone scrolls the table instead."""
    show(browser, page[1], width)
    assert browser.execute_script(CRAMPED_CELLS) == []


def test_the_cell_check_catches_squeezed_figures(browser, web_wanli_2024):
    """The Shanghai tables as they were before they had a narrowest width: 523 cells of
    the 2024 edition overflowed at 390 px, e.g. 156,211,123 (77 px) in a 68 px cell."""
    show(browser, web_wanli_2024, "phone")
    break_page(browser, "table.statutory { min-width: 0 !important; }")
    cramped = browser.execute_script(CRAMPED_CELLS)
    assert len(cramped) > 100 and {what for what, *_ in cramped} == {"overflows"}
    break_page(browser, "td.num { white-space: normal !important; word-break: break-all; }")
    assert "wraps" in {what for what, *_ in browser.execute_script(CRAMPED_CELLS)}


def test_the_overflow_check_catches_a_long_name_on_the_index_page(browser, site_index):
    """On the index page at 390 px, 数据包说明（datapackage.json） in a third of the table
    pushed the page 3 px wider than the screen until it could break."""
    show(browser, site_index, "phone")
    break_page(
        browser,
        ".table-scroll { overflow: visible !important; }"
        "table.index td { overflow-wrap: normal !important; }"
        "table.index thead th:first-child { width: auto !important; }",
    )
    content, _ = browser.execute_script(PAGE_OVERFLOW)
    assert content > WIDTHS["phone"][0]
    assert browser.execute_script(CRAMPED_CELLS) != []


def test_the_overflow_check_catches_a_table_that_widens_the_page(browser, web_2022):
    show(browser, web_2022, "phone")
    break_page(browser, ".table-scroll { overflow: visible !important; }")
    content, _ = browser.execute_script(PAGE_OVERFLOW)
    assert content > WIDTHS["phone"][0]


@pages_and_widths()
def test_no_line_with_a_long_number_is_spread_apart(browser, page, width):
    checked, url = page
    show(browser, url, width)
    found = browser.execute_script(SPREAD, checked.spread)
    assert len(found) >= checked.spread_count, f"paragraphs matching {checked.spread} measured"
    spread = [(round(w, 2), text) for w, justified, text in found if w > SOLID or justified]
    assert spread == [], f"characters spread apart (widest step, in characters): {spread}"


def test_the_spreading_check_catches_justified_text_on_a_phone(browser, web_2022):
    show(browser, web_2022, "phone")
    break_page(browser, "html { text-justify: auto !important; }")
    widest = max(w for w, _, _ in browser.execute_script(SPREAD, LONG_NUMBER))
    assert widest > 1.15, f"justified 2022 text at 390 px spreads to {widest:.2f} characters"


@pages_and_widths()
def test_table_headings_hold_two_characters_a_line(browser, page, width):
    show(browser, page[1], width)
    assert browser.execute_script(NARROW_HEADINGS) == []


@pytest.mark.parametrize("fixture", ["web_2022", "web_wanli_2024"])
def test_the_headings_check_catches_squeezed_tables(browser, fixture, request):
    """At 390 px the Shanghai 类/款/项 headings were 4 to 10 px wide (17 of them) before
    the statutory tables had a narrowest width."""
    show(browser, request.getfixturevalue(fixture), "phone")
    break_page(browser, "table.grid { min-width: 0 !important; }")
    assert len(browser.execute_script(NARROW_HEADINGS)) > 5


def _page_sizes(pdf: Path) -> list[tuple[int, int]]:
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True)
    count = re.search(r"^Pages:\s+(\d+)", info.stdout, re.M).group(1)
    info = subprocess.run(
        ["pdfinfo", "-f", "1", "-l", count, str(pdf)], capture_output=True, text=True, check=True
    )
    sizes = re.findall(r"^Page\s+\d+ size:\s+([\d.]+) x ([\d.]+) pts", info.stdout, re.M)
    return [(round(float(w)), round(float(h))) for w, h in sizes]


def _runs(sizes: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Consecutive equal page sizes as one: [A4, A4, A4 landscape, A4] → [A4, landscape, A4]."""
    return [size for i, size in enumerate(sizes) if i == 0 or sizes[i - 1] != size]


def test_printing_the_page_gives_the_pdfs_page_sizes(browser, web_2022, pdf_2022, tmp_path):
    """Chrome's print preview lays the page out on A4, turning to landscape for the
    procurement table exactly as the PDF does."""
    show(browser, web_2022, "desktop")
    printed = browser.execute_cdp_cmd(
        "Page.printToPDF", {"preferCSSPageSize": True, "printBackground": True}
    )
    (tmp_path / "printed.pdf").write_bytes(base64.b64decode(printed["data"]))
    (tmp_path / "built.pdf").write_bytes(pdf_2022)
    a4 = {(595, 842), (842, 595)}
    printed_sizes, built_sizes = (
        _page_sizes(tmp_path / "printed.pdf"),
        _page_sizes(tmp_path / "built.pdf"),
    )
    assert set(printed_sizes) == set(built_sizes) == a4
    assert _runs(printed_sizes) == _runs(built_sizes) == [(595, 842), (842, 595), (595, 842)]


def test_a_saved_edit_appears_in_the_open_browser_by_itself(browser, data_copy, shots):
    """`disclosure serve` in the browser: the page reloads itself after a save, and shows
    an error at its line when the save breaks the data."""
    from compiler.serve.server import preview_server

    server = preview_server(data_copy, 2022, 0)
    server.start()
    try:
        show(browser, server.url, "desktop")
        browser.execute_script("window.notReloaded = true;")
        assert "7.70" not in browser.find_element("id", "procurement").text
        procurement = data_copy / "2022" / "procurement.yaml"
        edit(
            procurement,
            "quantity: 10\n        unit_price: 0.70",
            "quantity: 11\n        unit_price: 0.70",
        )
        _wait_for(
            browser, "return document.getElementById('procurement')?.innerText.includes('7.70');"
        )
        assert browser.execute_script("return window.notReloaded;") is None, "the page reloaded"
        edit(procurement, "quantity: 11\n", "quantity: eleven\n")
        _wait_for(browser, "return !!document.getElementById('problems');")
        screenshot(browser, shots / "serve-error.png")
        assert "procurement.yaml:" in browser.find_element("id", "problems").text
        edit(procurement, "quantity: eleven\n", "quantity: 10\n")
        _wait_for(browser, "return !!document.getElementById('procurement');")
    finally:
        server.stop()


def _wait_for(browser, script: str, timeout: float = 30) -> None:
    """Poll the page until `script` is true (the timeout only ends a test that would hang)."""
    end = time.perf_counter() + timeout  # hang guard: ends a test that would wait forever
    while time.perf_counter() < end:  # hang guard
        try:
            if browser.execute_script(script):
                return
        except Exception:  # the page is being replaced by its reload
            pass
        time.sleep(0.05)
    pytest.fail(f"the page did not change within {timeout} s: {script}")
