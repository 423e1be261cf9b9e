"""The disclosure as one self-contained HTML5 file (CSS inline), for screen or for print."""

from __future__ import annotations

from markupsafe import Markup

from ..model import Disclosure
from .environment import css_text, environment


def render_html(model: Disclosure, *, for_print: bool = False, created: str | None = None) -> str:
    """for_print splits merged table cells so none crosses a page break (the PDF's source).

    `created` (an ISO date-time) becomes the document's creation date; left out, the
    document carries no date, so two builds are byte-identical.
    """
    from ..sections import plan

    template = environment("html", model.layout).get_template("html/base.html.j2")
    return template.render(
        m=model,
        sections=plan(model),
        css=Markup(css_text(for_print, model.layout)),
        print=for_print,
        created=created,
    )
