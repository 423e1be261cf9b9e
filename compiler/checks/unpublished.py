"""Last year's figures a first year gives as not published (未公开), listed as information
so a reviewer sees every gap: printed as the form prints a figure it does not give, no
change computed from them, never counted as 0 (issue 24, point 3). The items of
line-notes.yaml are listed by rules_lines.not_published_facts."""

from __future__ import annotations

from ..diagnostics import Diagnostic
from ..i18n import _
from ..model.disclosure import THREE_PUBLIC_ITEMS, THREE_PUBLIC_NAMES, Disclosure
from ..numbers import is_published


def three_public_previous_not_published(m: Disclosure) -> list[Diagnostic]:
    tp = m.three_public
    if tp is None or tp.src is None or not tp.previous_written:
        return []
    parts = [p for p in THREE_PUBLIC_ITEMS if not is_published(getattr(tp.previous, p))]
    if not parts:
        return []
    return [
        Diagnostic(
            tp.src.at("previous"),
            _(
                "last year's 三公 figures given as not published (未公开): {names}; they are "
                "printed as the document prints a figure it does not give, no change is "
                "computed from them, and they are never counted as 0"
            ).format(names="、".join(THREE_PUBLIC_NAMES[p] for p in parts)),
            field="previous",
            severity="info",
        )
    ]


RULES = (three_public_previous_not_published,)
