"""A PDF's pages as text and as pictures, read with poppler (pdftotext, pdftoppm).

Each page's text, without its page number, is what pages are matched by (pagematch); the
page number's box is left out of the picture comparison too, so a page that only moved
(第 5 页 → 第 6 页, 共 17 页 → 共 18 页) is not a changed page.
"""

from __future__ import annotations

import re
import subprocess
import tempfile
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from pathlib import Path

from PIL import Image

from ..errors import Trouble
from ..i18n import _

# The page number print.css writes ("第 3 页 / 共 17 页"), in the top or bottom margin band
# of the page (a table cell holding the same words elsewhere on the page is content).
PAGE_NUMBER = re.compile(r"^\s*第\s*\d+\s*页\s*/\s*共\s*\d+\s*页\s*$")
MARGIN_BAND = 0.12  # share of the page's height at its top and at its bottom
_XHTML = "{http://www.w3.org/1999/xhtml}"

Box = tuple[float, float, float, float]  # left, top, right, bottom, in PDF points


class PopplerError(Trouble, RuntimeError):
    """poppler-utils is missing or could not read a PDF (trouble, not a data error)."""


@dataclass(frozen=True)
class PageText:
    width: float  # points
    height: float
    text: str  # every line but the page number, one line each
    page_number_boxes: tuple[Box, ...]


def page_texts(pdf: Path) -> list[PageText]:
    """Each page's size, text and page-number boxes (pdftotext -bbox-layout)."""
    root = ET.fromstring(_run("pdftotext", "-bbox-layout", str(pdf), "-"))
    pages = []
    for page in root.iter(f"{_XHTML}page"):
        lines, boxes = [], []
        for line in page.iter(f"{_XHTML}line"):
            text = " ".join((word.text or "") for word in line.iter(f"{_XHTML}word"))
            box = tuple(float(line.get(k)) for k in ("xMin", "yMin", "xMax", "yMax"))
            height = float(page.get("height"))
            in_margin = box[3] < height * MARGIN_BAND or box[1] > height * (1 - MARGIN_BAND)
            if in_margin and PAGE_NUMBER.match(text):
                boxes.append(box)
            else:
                lines.append(text)
        pages.append(
            PageText(
                float(page.get("width")), float(page.get("height")), "\n".join(lines), tuple(boxes)
            )
        )
    return pages


def render_pages(pdf: Path, dpi: int, pages: list[int] | None = None) -> dict[int, Image.Image]:
    """Pictures of the given 1-based pages (default: all), keyed by page number."""
    with tempfile.TemporaryDirectory(prefix="disclosure-pages-") as tmp:
        if pages is None:
            _run("pdftoppm", "-r", str(dpi), "-png", str(pdf), f"{tmp}/p")
        for first, last in _runs(sorted(pages or ())):  # one call a run: each loads the fonts
            _run(
                "pdftoppm", "-r", str(dpi), "-png", "-f", str(first), "-l", str(last),
                str(pdf), f"{tmp}/p",
            )  # fmt: skip
        found = {}
        for path in Path(tmp).glob("p-*.png"):
            with Image.open(path) as image:
                found[int(path.stem.rsplit("-", 1)[1])] = image.convert("RGB")
        return found


def _runs(numbers: list[int]) -> list[tuple[int, int]]:
    """[3, 4, 5, 9] → [(3, 5), (9, 9)]."""
    runs: list[tuple[int, int]] = []
    for n in numbers:
        if runs and runs[-1][1] == n - 1:
            runs[-1] = (runs[-1][0], n)
        else:
            runs.append((n, n))
    return runs


def _run(*command: str) -> bytes:
    try:
        result = subprocess.run(command, capture_output=True, check=False)
    except FileNotFoundError as e:
        raise PopplerError(
            _("{command} is not installed: install poppler-utils (scripts/setup.sh does)").format(
                command=command[0]
            )
        ) from e
    if result.returncode != 0:
        message = result.stderr.decode("utf-8", "replace").strip().splitlines()
        raise PopplerError(
            _("{command} failed: {reason}").format(
                command=command[0], reason=message[-1] if message else result.returncode
            )
        )
    return result.stdout
