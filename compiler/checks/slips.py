"""Amounts in the wrong unit: 元 typed where 万元 is meant (or back) multiplies a figure by
10 000, and nothing else moves a budget figure so far in a year.

A figure 1 000 times or more off last year's, or off its sibling lines, is an error; 10 to
1 000 times last year's a warning (a real change that large is rare, but happens: a car
bought once). Siblings are compared only for the error: the real lines of one file differ
by up to some 400 times (万里 2023: 2010350 at 3 120 元 against a median of 1 052 150 元).
Last year's figure is the one the year's data holds (typed, or taken from the previous
year in the repository), and, for figures no file types a previous value of, the previous
year's own model.
"""

from __future__ import annotations

from decimal import Decimal
from statistics import median

from ..diagnostics import Diagnostic, Location
from ..i18n import _
from ..input.loader import dotted
from ..layout.specs import NEEDS_PREVIOUS
from ..model.base import Change
from ..model.disclosure import THREE_PUBLIC_NAMES, Disclosure
from ..numbers import money
from .plausibility import item_facts

SLIP_ERROR = Decimal(1000)
SLIP_WARNING = Decimal(10)


def _ratio(previous: Decimal, current: Decimal) -> Decimal | None:
    if previous <= 0 or current <= 0:
        return None
    return max(previous, current) / min(previous, current)


def _severity(ratio: Decimal | None) -> str | None:
    if ratio is None or ratio < SLIP_WARNING:
        return None
    return "error" if ratio >= SLIP_ERROR else "warning"


def amounts_in_the_wrong_unit(m: Disclosure) -> list[Diagnostic]:
    """Each figure the year's data sets beside last year's: 三公 items, the Hebei overview's
    basic and project expenditure, each fiscal 项 of the explanation."""
    checks = []
    if m.three_public is not None and m.three_public.src is not None:
        tp = m.three_public
        for part in ("overseas", "vehicle_purchase", "vehicle_operation", "reception"):
            where, name = tp.src.at("current", part), THREE_PUBLIC_NAMES[part]
            if tp.changes[part] is not None:  # None: last year's figure is 未公开
                checks.append((where, f"current.{part}", tp.changes[part], name))
    if m.budget is not None and m.budget.src is not None and not m.units:
        b = m.budget
        for part, change, what in (
            ("personnel", b.basic_change, "基本支出"),
            ("project", b.project_change, "项目支出"),
        ):
            if b.from_lines and m.lines is not None and m.lines.src is not None:
                where, field = m.lines.src.at("amount_unit"), "amount_unit"
            else:
                where, field = b.src.at("expenditure", part), f"expenditure.{part}"
            if change is not None:  # None: last year's figure is 未公开
                checks.append((where, field, change, what))
    if m.explanation is not None and any(f in item_facts(m) for f in NEEDS_PREVIOUS):
        for item in m.explanation.items:
            if item.src is not None and item.change is not None:  # None: 未公开
                where = item.src.at(item.previous_key)
                field = dotted((*item.src.path, item.previous_key))
                what = f"{item.code} {item.names[2]}"
                checks.append((where, field, item.change, what))
    problems = []
    for where, field, change, what in checks:
        severity = _severity(_ratio(change.previous, change.current))
        if severity is not None:
            message = _slip_message(what, change)
            problems.append(Diagnostic(where, message, field=field, severity=severity))
    return problems


def against_previous_year(m: Disclosure, prev: Disclosure) -> list[Diagnostic]:
    """Figures no file writes a previous value of, against the previous year's model:
    机关运行经费, the whole expenditure of the lines (where no overview or explanation
    compares it already), the procurement budget, 涉及项目预算资金."""
    if m.units:
        return []
    checks = []
    lines = m.lines
    from_lines = lines is not None and lines.src is not None

    def lines_place() -> tuple[Location, str]:
        return lines.src.at("amount_unit"), "amount_unit"

    costs, before = m.operating_costs, prev.operating_costs
    if costs is not None and before is not None:
        if costs.computed and from_lines:
            where, field = lines_place()
        elif costs.src is not None:
            where, field = costs.src.at("amount"), "amount"
        else:
            where = None
        if where is not None:
            checks.append((where, field, Change(before.amount, costs.amount), "机关运行经费"))
    if from_lines and m.budget is None and m.explanation is None:
        total = _expenditure(prev)
        if total is not None:
            change = Change(total, lines.wan(lines.total))
            checks.append((*lines_place(), change, _("the year's whole expenditure")))
    p, before_p = m.procurement, prev.procurement
    if p is not None and before_p is not None and p.src is not None:
        change = Change(before_p.total, p.total)
        checks.append((p.src.at(), "", change, _("the procurement budget")))
    g, before_g = m.goal_setting, prev.goal_setting
    if g is not None and before_g is not None and g.src is not None:
        checks.append(
            (g.src.at("funds"), "funds", Change(before_g.funds, g.funds), "涉及项目预算资金")
        )
    problems = []
    for where, field, change, what in checks:
        severity = _severity(_ratio(change.previous, change.current))
        if severity is None:
            continue
        message = _slip_message(what, change)
        if field == "amount_unit":
            message += _(
                " (computed from lines.yaml, whose amounts are in {unit}: are they typed in "
                "the other unit?)"
            ).format(unit=lines.amount_unit)
        problems.append(Diagnostic(where, message, field=field, severity=severity))
    return problems


def _expenditure(m: Disclosure) -> Decimal | None:
    if m.lines is not None:
        return m.lines.wan(m.lines.total)
    if m.budget is not None:
        return m.budget.expenditure.total
    return None


def lines_off_their_siblings(m: Disclosure) -> list[Diagnostic]:
    """A line 1 000 times or more above or below the median of its file's lines of the same
    view: one amount typed in the other unit (16353248 元 written 1635.32)."""
    lines = m.lines
    if lines is None or m.units:
        return []
    problems = []
    for kind, rows in (("function", lines.function), ("economic", lines.economic)):
        positive = [line for line in rows if line.total > 0]
        if len(positive) < 3:
            continue
        middle = median(line.total for line in positive)
        for i, line in enumerate(rows):
            ratio = _ratio(middle, line.total)
            if line.src is None or ratio is None or ratio < SLIP_ERROR:
                continue
            message = _(
                "{code}: {amount} {unit} is 1/{ratio} of the median of the other {kind} lines "
                "({median} {unit}); an amount typed in the other unit? Every amount of this "
                "file is in {unit}"
            )
            if line.total > middle:
                message = _(
                    "{code}: {amount} {unit} is {ratio} times the median of the other {kind} "
                    "lines ({median} {unit}); an amount typed in the other unit? Every amount "
                    "of this file is in {unit}"
                )
            problems.append(
                Diagnostic(
                    line.src.at("code"),
                    message.format(
                        code=line.code,
                        amount=line.total,
                        unit=lines.amount_unit,
                        ratio=f"{ratio:.0f}",
                        kind=_("function") if kind == "function" else _("economic"),
                        median=middle,
                    ),
                    field=f"{kind}[{i}]",
                )
            )
    return problems


def _slip_message(what: str, change) -> str:
    ratio = change.current / change.previous
    if ratio >= 1:
        message = _(
            "{what}: {current} 万元 this year against {previous} 万元 last year is {ratio} "
            "times as much; an amount typed in 元 instead of 万元 (or back)? Check both figures"
        )
    else:
        ratio = 1 / ratio
        message = _(
            "{what}: {current} 万元 this year against {previous} 万元 last year is 1/{ratio} "
            "of it; an amount typed in 元 instead of 万元 (or back)? Check both figures"
        )
    return message.format(
        what=what,
        current=money(change.current),
        previous=money(change.previous),
        ratio=f"{ratio:.0f}",
    )


RULES = (amounts_in_the_wrong_unit, lines_off_their_siblings)
