"""The visual diff of two PDFs (`disclosure diff OLD NEW --pages DIR`): which pages changed.

Pages are matched by their text (pagematch), so a change that moves the following pages
further on reports only the pages it changed; every matched pair is also compared as a
picture (a change of layout with the same words is a change too), leaving the page
number out. For each changed, added or removed page a side-by-side PNG with the changed
regions highlighted is written to DIR, and DIR/index.html shows them all.
"""

from __future__ import annotations

import html
import json
import re
import tempfile
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, dataclass, field
from pathlib import Path

from ..diagnostics import Diagnostic, has_errors
from ..i18n import _, ngettext, page_language
from ..pipeline.year import YearResult
from .pageimage import changed_regions, side_by_side
from .pagematch import match_pages
from .pdfpages import PageText, page_texts, render_pages

COMPARE_DPI = 36  # enough to see any change of a glyph; a page takes 0.1 s
SHOW_DPI = 100  # the side-by-side pictures: the tables' 7 pt figures stay readable
OUR_FILES = re.compile(r"^(?:page|removed)-\d{3}\.png$|^index\.html$")


@dataclass(frozen=True)
class ChangedPage:
    old: int | None  # 1-based page number in OLD; None: a page added in NEW
    new: int | None  # 1-based page number in NEW; None: a page removed from OLD
    regions: int  # highlighted regions (1 for a page added or removed)
    image: str  # file name of the side-by-side picture, in DIR

    @property
    def kind(self) -> str:
        return "added" if self.old is None else "removed" if self.new is None else "changed"


@dataclass
class PageDiff:
    old_label: str
    new_label: str
    old_pages: int
    new_pages: int
    changed: list[ChangedPage] = field(default_factory=list)

    @property
    def same(self) -> bool:
        return not self.changed


def build_pdfs(results: list[YearResult]) -> tuple[list[bytes], list[Diagnostic]]:
    """The PDF of each valid year, built side by side in two processes (a PDF takes a few
    seconds of one core); a year whose files are the same as another's is built once."""
    from concurrent.futures import ProcessPoolExecutor

    keys = [_inputs(result) for result in results]
    unique = list(dict.fromkeys(keys))
    if len(unique) == 1:
        built = [_build_pdf(results[0])]
    else:
        from ..publish.spool import spool_folder
        from ..render import pdf  # noqa: F401 - imported once; forked workers inherit it

        spool_folder()  # the waiting files' folder made here, for this process to remove
        with ProcessPoolExecutor(max_workers=len(unique)) as pool:
            built = list(pool.map(_build_pdf, [results[keys.index(k)] for k in unique]))
    problems = [d for _, found in built for d in found]
    by_key = dict(zip(unique, (pdf for pdf, _ in built), strict=True))
    return [by_key[key] for key in keys], problems


def _inputs(result: YearResult) -> tuple:
    """What a PDF is made of: the year, its files' bytes and the folders of its layouts (the
    tool's are the same on both sides; a project's layouts at a git revision are read from a
    folder of their own, so a layout change is never taken for the same PDF)."""
    layouts = tuple(m.layout.template_dirs for m in (result.model, *result.model.units))
    files = tuple((n, d.raw) for n, d in sorted(result.documents.items()))
    return (result.source.year, files, layouts)


def _build_pdf(result: YearResult) -> tuple[bytes, list[Diagnostic]]:
    """The PDF of the year's own document (a department's: its package, units included)."""
    from ..publish.build import render_document

    rendered, problems, _unused = render_document(result.model, result.documents, ("pdf",))
    return rendered.get("pdf", b""), problems if has_errors(problems) else []


def compare_pdfs(
    old_pdf: bytes, new_pdf: bytes, out_dir: Path, labels: tuple[str, str]
) -> PageDiff:
    """Compare two PDFs page by page; write the pictures of the changed pages and an
    index.html into out_dir (files of an earlier run there are replaced)."""
    with tempfile.TemporaryDirectory(prefix="disclosure-pagediff-") as tmp:
        paths = (Path(tmp) / "old.pdf", Path(tmp) / "new.pdf")
        for path, data in zip(paths, (old_pdf, new_pdf), strict=True):
            path.write_bytes(data)
        if old_pdf == new_pdf:  # the builds are reproducible: same bytes, same pages
            result = PageDiff(*labels, *[len(page_texts(paths[0]))] * 2)
            _clear(out_dir)
            _write_index(out_dir, result)
            return result
        with ThreadPoolExecutor(max_workers=4) as pool:  # poppler runs in its own processes
            texts = list(pool.map(page_texts, paths))
            small = list(pool.map(lambda p: render_pages(p, COMPARE_DPI), paths))
        found = _changed_pairs(texts, small)
        with ThreadPoolExecutor(max_workers=2) as pool:
            wanted = [
                sorted({pair[i] + 1 for pair in found if pair[i] is not None}) for i in (0, 1)
            ]
            big = list(pool.map(lambda i: render_pages(paths[i], SHOW_DPI, wanted[i]), (0, 1)))
    result = PageDiff(*labels, len(texts[0]), len(texts[1]))
    _clear(out_dir)
    for old, new in found:
        result.changed.append(_write_page(out_dir, labels, texts, big, old, new))
    _write_index(out_dir, result)
    return result


def _changed_pairs(texts, small) -> list[tuple[int | None, int | None]]:
    """(old index, new index) of every page that differs, in the new PDF's order."""
    found = []
    for pair in match_pages([p.text for p in texts[0]], [p.text for p in texts[1]]):
        if pair.old is None or pair.new is None or not pair.same_text:
            found.append((pair.old, pair.new))
            continue
        old_page, new_page = texts[0][pair.old], texts[1][pair.new]
        ignore = _page_number_boxes(old_page, COMPARE_DPI) + _page_number_boxes(
            new_page, COMPARE_DPI
        )
        if changed_regions(small[0][pair.old + 1], small[1][pair.new + 1], ignore):
            found.append((pair.old, pair.new))
    return found


def _page_number_boxes(page: PageText, dpi: int) -> list[tuple[int, int, int, int]]:
    scale = dpi / 72
    return [
        (
            int(left * scale) - 2,
            int(top * scale) - 2,
            int(right * scale) + 3,
            int(bottom * scale) + 3,
        )
        for left, top, right, bottom in page.page_number_boxes
    ]


def _write_page(out_dir: Path, labels, texts, big, old: int | None, new: int | None) -> ChangedPage:
    old_image = big[0][old + 1] if old is not None else None
    new_image = big[1][new + 1] if new is not None else None
    regions = [(0, 0, *(new_image or old_image).size)]
    if old_image is not None and new_image is not None:
        ignore = _page_number_boxes(texts[0][old], SHOW_DPI) + _page_number_boxes(
            texts[1][new], SHOW_DPI
        )
        # A layout change too small to see at SHOW_DPI still marks the page as a whole.
        regions = changed_regions(old_image, new_image, ignore) or regions
    captions = (
        _("{label}  page {page}").format(label=labels[0], page=old + 1)
        if old is not None
        else _("{label}  (no such page)").format(label=labels[0]),
        _("{label}  page {page}").format(label=labels[1], page=new + 1)
        if new is not None
        else _("{label}  (removed)").format(label=labels[1]),
    )
    name = f"page-{new + 1:03d}.png" if new is not None else f"removed-{old + 1:03d}.png"
    side_by_side(old_image, new_image, regions, captions).save(out_dir / name)
    return ChangedPage(
        old + 1 if old is not None else None,
        new + 1 if new is not None else None,
        len(regions) if old_image is not None and new_image is not None else 1,
        name,
    )


def _clear(out_dir: Path) -> None:
    """Make out_dir, removing only what an earlier run wrote there."""
    out_dir.mkdir(parents=True, exist_ok=True)
    for path in out_dir.iterdir():
        if path.is_file() and OUR_FILES.match(path.name):
            path.unlink()


def describe(page: ChangedPage) -> str:
    if page.kind == "added":
        return _("page {page}: added").format(page=page.new)
    if page.kind == "removed":
        return _("old page {page}: removed").format(page=page.old)
    n = page.regions
    if page.old != page.new:
        return ngettext(
            "page {page} (was page {old}): {count} changed region",
            "page {page} (was page {old}): {count} changed regions",
            n,
        ).format(page=page.new, old=page.old, count=n)
    return ngettext(
        "page {page}: {count} changed region", "page {page}: {count} changed regions", n
    ).format(page=page.new, count=n)


def _write_index(out_dir: Path, result: PageDiff) -> None:
    title = _("PDF pages changed: {old} → {new}").format(old=result.old_label, new=result.new_label)
    if result.same:
        body = "<p>{}</p>".format(
            html.escape(_("No page differs ({count} pages).").format(count=result.new_pages))
        )
    else:
        body = "\n".join(
            f'<section><h2>{html.escape(describe(page))}</h2>\n<a href="{page.image}">'
            f'<img src="{page.image}" alt="{html.escape(describe(page))}" loading="lazy"></a>'
            "</section>"
            for page in result.changed
        )
    intro = _("{summary}. Left: {old}, right: {new}; changed regions are outlined in red.").format(
        summary=_summary(result), old=result.old_label, new=result.new_label
    )
    (out_dir / "index.html").write_text(
        f"""<!DOCTYPE html>
<html lang="{page_language()}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{html.escape(title)}</title>
<style>
body {{ font: 15px/1.5 sans-serif; margin: 1rem; }}
img {{ max-width: 100%; border: 1px solid #999; }}
h2 {{ font-size: 1.1rem; margin: 1.5rem 0 0.5rem; }}
</style>
</head>
<body>
<h1>{html.escape(title)}</h1>
<p>{html.escape(intro)}</p>
{body}
</body>
</html>
""",
        encoding="utf-8",
    )


def _summary(result: PageDiff) -> str:
    count = len(result.changed)
    if result.old_pages != result.new_pages:
        pages = _("{count} pages, {before} before").format(
            count=result.new_pages, before=result.old_pages
        )
    else:
        pages = _("{count} pages").format(count=result.new_pages)
    if not count:
        return _("{old} → {new}: no page changed ({pages})").format(
            old=result.old_label, new=result.new_label, pages=pages
        )
    return _("{old} → {new}: {count} page(s) changed ({pages})").format(
        old=result.old_label, new=result.new_label, count=count, pages=pages
    )


def render_list(result: PageDiff, fmt: str, out_dir: Path) -> str:
    """The list of changed pages: text for the terminal, md for a CI job summary, json."""
    if fmt == "json":
        data = asdict(result) | {"index": str(out_dir / "index.html")}
        return json.dumps(data, ensure_ascii=False, indent=2, sort_keys=True) + "\n"
    if fmt == "md":
        lines = [f"### {_summary(result)}", ""]
        if not result.same:
            lines += [_("| page | was | what |"), "|---:|---:|---|"]
            kinds = {"added": _("added"), "removed": _("removed")}
            for page in result.changed:
                what = kinds.get(page.kind) or _("{count} region(s)").format(count=page.regions)
                lines.append(f"| {page.new or '—'} | {page.old or '—'} | {what} |")
            lines.append("")
        return "\n".join(lines) + "\n"
    lines = [_summary(result)]
    lines += [
        "  "
        + _("{description}: {picture}").format(
            description=describe(page), picture=out_dir / page.image
        )
        for page in result.changed
    ]
    lines.append(_("wrote {path}").format(path=out_dir / "index.html"))
    return "\n".join(lines) + "\n"
