"""Where two pictures of one page differ, and the side-by-side picture that shows it.

Both sides are drawn by the same renderer from the same fonts, so an unchanged area is
pixel-identical; every difference is real. Differences close together (the digits of one
figure, the cells of one row) are merged into one highlighted region.
"""

from __future__ import annotations

from collections import deque
from functools import lru_cache

from PIL import Image, ImageChops, ImageDraw, ImageFont

from ..i18n import _

Box = tuple[int, int, int, int]  # left, top, right, bottom, in pixels

CELL = 8  # pixels: differences are looked for on a grid of this size …
GAP = 3  # … and regions closer than this many cells are one region
PAD = 4  # pixels around a region
HEADER = 30  # pixels above the pages, for their captions
MARGIN = 16  # pixels between the two pages
HIGHLIGHT = (220, 0, 0)


def changed_regions(old: Image.Image, new: Image.Image, ignore: list[Box] = ()) -> list[Box]:
    """Boxes around the differences between two pictures of a page (none: they look the
    same), leaving out the areas in `ignore`; a whole-page box when their sizes differ."""
    if old.size != new.size:
        return [(0, 0, *new.size)]
    diff = ImageChops.difference(old.convert("L"), new.convert("L"))
    for box in ignore:
        diff.paste(0, box)
    if diff.getbbox() is None:
        return []
    width, height = diff.size
    cols, rows = -(-width // CELL), -(-height // CELL)
    # A cell is changed if any of its pixels is: the box filter's mean is then above 0.
    grid = diff.point(lambda v: 255 if v else 0).resize((cols, rows), Image.Resampling.BOX)
    values = grid.tobytes()
    cells = {(i % cols, i // cols) for i, v in enumerate(values) if v}
    regions = []
    for component in _components(cells):
        xs = [x for x, _ in component]
        ys = [y for _, y in component]
        regions.append(
            (
                max(min(xs) * CELL - PAD, 0),
                max(min(ys) * CELL - PAD, 0),
                min((max(xs) + 1) * CELL + PAD, width),
                min((max(ys) + 1) * CELL + PAD, height),
            )
        )
    return sorted(regions, key=lambda box: (box[1], box[0]))


def _components(cells: set[tuple[int, int]]) -> list[list[tuple[int, int]]]:
    """Groups of changed cells, each cell within GAP cells of another of its group."""
    left = set(cells)
    groups = []
    while left:
        start = left.pop()
        group, queue = [start], deque([start])
        while queue:
            x, y = queue.popleft()
            for dx in range(-GAP, GAP + 1):
                for dy in range(-GAP, GAP + 1):
                    near = (x + dx, y + dy)
                    if near in left:
                        left.remove(near)
                        group.append(near)
                        queue.append(near)
        groups.append(group)
    return groups


def side_by_side(
    old: Image.Image | None,
    new: Image.Image | None,
    regions: list[Box],
    captions: tuple[str, str],
) -> Image.Image:
    """The old page left and the new one right, each region highlighted on both; a missing
    side (a page added or removed) is a grey sheet and the other page is outlined whole."""
    shape = (new or old).size
    old_size = old.size if old else shape
    new_size = new.size if new else shape
    canvas = Image.new(
        "RGB",
        (old_size[0] + MARGIN + new_size[0], HEADER + max(old_size[1], new_size[1])),
        "white",
    )
    draw = ImageDraw.Draw(canvas, "RGBA")
    font = _caption_font()
    for x, page, size, caption in (
        (0, old, old_size, captions[0]),
        (old_size[0] + MARGIN, new, new_size, captions[1]),
    ):
        draw.text((x + 4, 6), caption, fill="black", font=font)
        if page is None:
            draw.rectangle((x, HEADER, x + size[0] - 1, HEADER + size[1] - 1), fill=(225, 225, 225))
            draw.text(
                (x + size[0] // 2 - 30, HEADER + size[1] // 2),
                _("no page"),
                fill="black",
                font=font,
            )
            continue
        canvas.paste(page, (x, HEADER))
        boxes = regions if old is not None and new is not None else [(0, 0, *size)]
        for left, top, right, bottom in boxes:
            shape_box = (x + left, HEADER + top, x + right - 1, HEADER + bottom - 1)
            draw.rectangle(shape_box, fill=(*HIGHLIGHT, 40), outline=HIGHLIGHT, width=3)
    return canvas


@lru_cache(maxsize=1)
def _caption_font() -> ImageFont.ImageFont | ImageFont.FreeTypeFont:
    """The PDF's own sans-serif CJK face, so captions in Chinese are drawn (PIL's default
    font has no Chinese); the default font if it cannot be found."""
    try:
        from ..render.fonts import HEADING_FAMILY, cjk_faces

        face = next(f for f in cjk_faces() if f.family == HEADING_FAMILY and f.style == "Regular")
        return ImageFont.truetype(str(face.file), 16, index=face.index)
    except Exception:  # noqa: BLE001 - captions are a convenience: never fail the diff for one
        return ImageFont.load_default(size=16)
