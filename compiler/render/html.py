"""The disclosure as one self-contained HTML5 file (CSS inline), for screen or for print."""

from __future__ import annotations

import re

from markupsafe import Markup, escape

from ..model.disclosure import Disclosure
from .environment import css_text, environment
from .notice import Correction, add_to_html


def render_html(
    model: Disclosure,
    *,
    for_print: bool = False,
    created: str | None = None,
    correction: Correction | None = None,
    with_units: bool = True,
    unit_pages: dict[str, str] | None = None,
) -> str:
    """The document; for a department whose layout publishes its units in one package
    (package: department+units), the department's part and then each unit's document
    (without `with_units`, the department's part alone, up to the heading of its units:
    the PDF joins the units' own documents there, see pdf_join.py).
    A corrected edition carries its 更正说明 at the head of the main part.

    `unit_pages` (the live preview's, screen only): each unit's own page by its folder
    name, taken from there when it is in it and put there when rendered; a unit's part
    of the package is its own page's body."""
    html = _render_package(
        model, for_print=for_print, created=created, with_units=with_units, unit_pages=unit_pages
    )
    return add_to_html(html, correction, for_print)


def _unit_page(unit: Disclosure, unit_pages: dict[str, str] | None) -> str:
    """A unit's own page on screen, rendered once for as long as `unit_pages` keeps it."""
    if unit_pages is None:
        return _render_one(unit)
    if unit.slug not in unit_pages:
        unit_pages[unit.slug] = _render_one(unit)
    return unit_pages[unit.slug]


def _render_package(
    model: Disclosure,
    *,
    for_print: bool,
    created: str | None,
    with_units: bool = True,
    unit_pages: dict[str, str] | None = None,
) -> str:
    html = _render_one(model, for_print=for_print, created=created)
    if not is_package(model):
        return html

    def page(unit: Disclosure) -> str:
        return _render_one(unit, for_print=True) if for_print else _unit_page(unit, unit_pages)

    first, second = model.layout.options.get("package_parts", ("", ""))
    units = "\n".join(
        f'<article class="unit-document" id="unit-{unit.slug}">\n'
        f"{_prefixed(_body(page(unit)), unit.slug)}\n</article>"
        for unit in (model.units if with_units else ())
    )
    html = html.replace("<main>", f'<main>\n<h1 class="package-part">{escape(first)}</h1>', 1)
    return html.replace(
        "</main>",
        f'<section class="package-units">\n<h1 class="package-part">{escape(second)}</h1>\n'
        f"{units}\n</section>\n</main>",
        1,
    )


def is_package(model: Disclosure) -> bool:
    """Whether the document is a department's package: its own part, then its units'."""
    return bool(model.units) and model.layout.package == "department+units"


_BODY = re.compile(r"<body[^>]*>(.*)</body>", re.S)
_ID = re.compile(r'\b(id|for|aria-labelledby)="([^"]+)"')
_HREF = re.compile(r'href="#([^"]+)"')


def _body(html: str) -> str:
    """What a unit's document shows: its body (its title block and its sections)."""
    return _BODY.search(html).group(1).strip()


def _prefixed(fragment: str, slug: str) -> str:
    """Ids unique within the package: each unit's own are prefixed by its folder name."""
    fragment = _ID.sub(lambda m: f'{m.group(1)}="{slug}-{m.group(2)}"', fragment)
    return _HREF.sub(lambda m: f'href="#{slug}-{m.group(1)}"', fragment)


def _render_one(model: Disclosure, *, for_print: bool = False, created: str | None = None) -> str:
    """for_print splits merged table cells so none crosses a page break (the PDF's source).

    `created` (an ISO date-time) becomes the document's creation date; left out, the
    document carries no date, so two builds are byte-identical.
    """
    from ..layout.sections import plan

    template = environment("html", model.layout).get_template("html/base.html.j2")
    return template.render(
        m=model,
        sections=plan(model),
        css=Markup(css_text(for_print, model.layout)),
        print=for_print,
        created=created,
    )
