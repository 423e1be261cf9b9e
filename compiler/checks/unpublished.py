"""Last year's figures a first year gives as not published (未公开), listed as information
so a reviewer sees every gap: printed as the form prints a figure it does not give, no
change computed from them, never counted as 0 (issue 24, point 3). One line per file
(budget.yaml, three-public.yaml, line-notes.yaml), at its block of last year's figures.
The items of line-notes.yaml are listed by rules_lines.not_published_facts."""

from __future__ import annotations

from ..diagnostics import Diagnostic
from ..i18n import _
from ..model.disclosure import Disclosure, previous_year_figures
from ..numbers import is_published


def previous_year_not_published(m: Disclosure) -> list[Diagnostic]:
    by_file: dict[str, list] = {}
    for figure in previous_year_figures(m):  # only those the year's data writes
        if figure.src is not None and not is_published(figure.written):
            by_file.setdefault(figure.file, []).append(figure)
    return [
        Diagnostic(
            figures[0].src.at(figures[0].path[0]),
            _(
                "last year's figures given as not published (未公开): {names}; they are "
                "printed as the document prints a figure it does not give, no change is "
                "computed from them, and they are never counted as 0"
            ).format(names="、".join(f.label for f in figures)),
            field=figures[0].path[0],
            severity="info",
        )
        for figures in by_file.values()
    ]


RULES = (previous_year_not_published,)
