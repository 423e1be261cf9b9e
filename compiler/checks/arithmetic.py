"""One arithmetic a reader can check: the text's differences are computed from its figures
as printed (each rounded once to 0.01 万元), not from the exact 元 of the lines. Where the
two differ (18976.76 − 15621.11 = 3355.65, while the exact difference rounds to 3355.64),
validate says so as information, once for the year, naming each figure."""

from __future__ import annotations

from ..diagnostics import Diagnostic
from ..i18n import _
from ..model.disclosure import FISCAL_NAMES, Disclosure
from ..numbers import money, money_value


def changes_as_printed(m: Disclosure) -> list[Diagnostic]:
    found = []
    e = m.explanation
    if e is not None:
        found.append(("财政拨款", e.fiscal_change))
        found += [(FISCAL_NAMES[key], change) for key, change in e.changes.items()]
    b = m.budget
    if b is not None and b.from_lines:
        found += [
            ("基本支出", b.basic_change),
            ("项目支出", b.project_change),
            ("支出合计", b.total_change),
        ]
    differing = [
        (what, change)
        for what, change in found
        # None: last year's figure is 未公开, and no change is printed
        if change is not None and money_value(change.exact_amount) != change.amount
    ]
    src = (e.src if e is not None else None) or (m.lines.src if m.lines is not None else None)
    if not differing or src is None:
        return []
    said = "；".join(
        _(
            "{what} {previous} → {current}: the text prints {amount}, the exact difference "
            "rounds to {exact}"
        ).format(
            what=what,
            previous=money(change.previous),
            current=money(change.current),
            amount=money(abs(change.amount)),
            exact=money(abs(change.exact_amount)),
        )
        for what, change in differing
    )
    return [
        Diagnostic(
            src.at(),
            _(
                "the text's changes are computed from its figures as printed (in 万元, each "
                "rounded once), so they differ by 0.01 from the exact difference in 元: {said}"
            ).format(said=said),
            severity="info",
        )
    ]


RULES = (changes_as_printed,)
