"""The 更正说明 a corrected edition carries: a dated note at the top of every document of
the year (web page, PDF, Markdown), saying which edition it is, which it corrects and why.

Its wording is a template (templates/shared/correction.{html,md}.j2); this module renders it
and puts it at the head of a rendered document, the same way for every layout.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date


@dataclass(frozen=True)
class Correction:
    """A correction: edition `edition` of `year` replaces edition `corrects` on `date`."""

    year: int
    edition: int
    corrects: int
    date: date
    reason: str
    # Where the earlier editions are listed, relative to a published document (the index).
    index_href: str = "../index.html"


def _render(kind: str, correction: Correction, for_print: bool = False) -> str:
    from .environment import environment

    template = environment(kind).get_template(f"shared/correction.{kind}.j2")
    return template.render(c=correction, print=for_print).strip()


def add_to_html(html: str, correction: Correction | None, for_print: bool = False) -> str:
    """The document with the note as the first thing in its main part."""
    if correction is None:
        return html
    note = _render("html", correction, for_print)
    return html.replace("<main>", f"<main>\n{note}", 1)


def add_to_markdown(text: str, correction: Correction | None) -> str:
    """The document with the note below its title."""
    if correction is None:
        return text
    title, _, rest = text.partition("\n")
    return f"{title}\n\n{_render('md', correction)}\n{rest}"
