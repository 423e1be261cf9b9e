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
) -> str:
    """The document; for a department whose layout publishes its units in one package
    (package: department+units), the department's part and then each unit's document
    (without `with_units`, the department's part alone, up to the heading of its units:
    the PDF joins the units' own documents there, see pdf_join.py).
    A corrected edition carries its 更正说明 at the head of the main part."""
    html = _render_package(model, for_print=for_print, created=created, with_units=with_units)
    return add_to_html(html, correction, for_print)


def _render_package(
    model: Disclosure, *, for_print: bool, created: str | None, with_units: bool = True
) -> str:
    html = _render_one(model, for_print=for_print, created=created)
    if not is_package(model):
        return html
    first, second = model.layout.options.get("package_parts", ("", ""))
    units = "\n".join(
        f'<article class="unit-document" id="unit-{unit.slug}">\n'
        f"{_prefixed(_body(_render_one(unit, for_print=for_print)), unit.slug)}\n</article>"
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
