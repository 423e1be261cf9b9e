"""The overlay of a joined PDF (pdf_join.py): empty pages that carry only the running
header and the page number, laid out with the print stylesheet and drawn over the parts'
pages. Written here as HTML, a chunk at a time, so that a package of any length holds one
chunk's boxes while it is laid out (render/pdf.py lays the chunks out as the join comes
to them).
"""

from __future__ import annotations

import html as htmllib

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
