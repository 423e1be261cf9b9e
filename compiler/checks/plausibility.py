"""Plausibility: what is almost certainly a slip, though the figures add up. Warnings,
which `--strict` turns into errors: a reason that names the opposite direction of its own
change, an amount orders of magnitude off last year's (元 typed as 万元, or back), a part
larger than the whole it belongs to, a figure that changed without a reason."""

from __future__ import annotations

from decimal import Decimal

from ..diagnostics import Diagnostic
from ..i18n import _
from ..input.loader import dotted
from ..layout.specs import DEFAULT_ITEM_FACTS, NEEDS_PREVIOUS
from ..model.disclosure import THREE_PUBLIC_NAMES, Disclosure
from ..numbers import money, money_value

_DIRECTION_WORDS = (
    ("增加", "增加"),
    ("新增", "增加"),
    ("增长", "增加"),
    ("提高", "增加"),
    ("减少", "减少"),
    ("下降", "减少"),
    ("压减", "减少"),
    ("保持不变", "持平"),
    ("不变", "持平"),
    ("持平", "持平"),
)


def said_direction(reason: str) -> str | None:
    """The direction a reason's words name (经费增加 → 增加), or None (项目调整)."""
    found = {direction for word, direction in _DIRECTION_WORDS if word in reason}
    return found.pop() if len(found) == 1 else None


def reasons_agree_with_changes(m: Disclosure) -> list[Diagnostic]:
    """A reason that names the opposite direction of its own change (减少2.98%, 主要原因是
    经费增加) is almost certainly copied from another line."""
    e = m.explanation
    if e is None or "reason" not in _item_facts(m):
        return []  # a reason the form does not print is reported once, by notes_match_lines
    problems = []
    for item in e.items:
        said = said_direction(item.reason or "")
        if said and item.src is not None and item.change is not None and (
            said != item.change.direction
        ):
            problems.append(
                Diagnostic(
                    item.src.at("reason"),
                    _wrong_direction(f"{item.code} {item.names[2]}", said, item.change),
                    field=dotted((*item.src.path, "reason")),  # the entry, named by its code
                    severity="warning",
                )
            )
    return problems


def _item_facts(m: Disclosure) -> tuple[str, ...]:
    """What the layout's form prints about each explained item."""
    return m.layout.item_facts("line-notes") or DEFAULT_ITEM_FACTS


def project_funds_plausible(m: Disclosure) -> list[Diagnostic]:
    """A year's request (年度资金申请总额) cannot exceed the project's whole funding
    (项目资金总额); the published 2023 Wanli table 5 does."""
    problems = []
    for p in m.projects:
        if p.funds is None or p.annual is None or p.src is None:
            continue
        if p.annual.total > p.funds.total:
            problems.append(
                Diagnostic(
                    p.src.key_at("annual"),
                    _(
                        "年度资金申请总额 {annual} 元 (当年财政拨款 + 上年结转 + 其他) is "
                        "more than the project's 项目资金总额 {funds} 元; check both"
                    ).format(annual=p.annual.total, funds=p.funds.total),
                    field="annual",
                    severity="warning",
                )
            )
    return problems


def goal_setting_funds_match_tables(m: Disclosure) -> list[Diagnostic]:
    """涉及项目预算资金 against the performance tables it counts, where they give funds."""
    g = m.goal_setting
    with_funds = [p for p in m.projects if p.funds is not None]
    if g is None or g.src is None or not g.projects_counted or len(with_funds) != len(m.projects):
        return []
    tables = sum((p.funds.total for p in with_funds), start=0) / 10000
    if g.funds == money_value(tables):
        return []
    return [
        Diagnostic(
            g.src.at("funds"),
            _(
                "涉及项目预算资金 is {funds} 万元, but the {count} performance "
                "tables' 项目资金总额 add up to {tables} 万元; check both"
            ).format(funds=money(g.funds), count=len(with_funds), tables=money(tables)),
            field="funds",
            severity="warning",
        )
    ]


# An amount 100 times last year's, or a hundredth of it, is almost always typed in the
# wrong unit (185000 元 where 18.50 万元 was meant), not a real change.
UNIT_SLIP = Decimal(100)


def _unit_slip(previous: Decimal, current: Decimal) -> bool:
    if previous <= 0 or current <= 0:
        return False
    return current >= previous * UNIT_SLIP or current * UNIT_SLIP <= previous


def amounts_in_the_wrong_unit(m: Disclosure) -> list[Diagnostic]:
    """A figure orders of magnitude off last year's: 元 typed as 万元, or back."""
    checks = []
    if m.three_public is not None and m.three_public.src is not None:
        tp = m.three_public
        for part in ("overseas", "vehicle_purchase", "vehicle_operation", "reception"):
            change = tp.changes[part]
            where, name = tp.src.at("current", part), THREE_PUBLIC_NAMES[part]
            checks.append((where, f"current.{part}", change, name))
    if m.budget is not None and m.budget.src is not None and not m.budget.from_lines:
        b = m.budget
        for part, change, what in (
            ("personnel", b.basic_change, "基本支出"),
            ("project", b.project_change, "项目支出"),
        ):
            checks.append((b.src.at("expenditure", part), f"expenditure.{part}", change, what))
    if m.explanation is not None and any(f in _item_facts(m) for f in NEEDS_PREVIOUS):
        for item in m.explanation.items:
            if item.src is not None and item.change is not None:
                where = item.src.at("previous")
                field, what = dotted((*item.src.path, "previous")), f"{item.code} {item.names[2]}"
                checks.append((where, field, item.change, what))
    return [
        Diagnostic(where, _slip_message(what, change), field=field, severity="warning")
        for where, field, change, what in checks
        if _unit_slip(change.previous, change.current)
    ]


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


def parts_within_their_whole(m: Disclosure) -> list[Diagnostic]:
    """A part larger than the whole it belongs to: 三公经费 or the procurement budget above
    the whole expenditure, 机关运行经费 above basic expenditure."""
    total = _total_expenditure(m)
    if total is None:
        return []
    problems = []
    tp = m.three_public
    if tp is not None and tp.src is not None and tp.current.total > total:
        problems.append(
            Diagnostic(
                tp.src.key_at("current"),
                _(
                    "“三公”经费 come to {amount} 万元, more than the whole expenditure "
                    "({total} 万元); are they typed in 元? Amounts here are in 万元"
                ).format(amount=money(tp.current.total), total=money(total)),
                field="current",
                severity="warning",
            )
        )
    p = m.procurement
    if p is not None and p.src is not None and p.total > total:
        problems.append(
            Diagnostic(
                p.src.at(),
                _(
                    "the procurement budget comes to {amount} 万元, more than the whole "
                    "expenditure ({total} 万元); check the quantities and prices (in 万元)"
                ).format(amount=money(p.total), total=money(total)),
                field="",
                severity="warning",
            )
        )
    costs = m.operating_costs
    if costs is None or costs.src is None:
        return problems
    # 机关运行经费 is the fiscal part of 基本支出's 公用经费: never more than all of it
    public, basic = _public_expenditure(m), _basic_expenditure(m)
    if public is not None and costs.amount > public:
        message = _(
            "机关运行经费 {amount} 万元 is more than the whole 公用经费 of the basic "
            "expenditure ({public} 万元) it is part of"
        ).format(amount=money(costs.amount), public=money(public))
    elif basic is not None and costs.amount > basic:
        message = _(
            "机关运行经费 {amount} 万元 is more than the whole basic "
            "expenditure ({basic} 万元) it is part of"
        ).format(amount=money(costs.amount), basic=money(basic))
    else:
        return problems
    problems.append(Diagnostic(costs.src.at("amount"), message, field="amount", severity="warning"))
    return problems


def _total_expenditure(m: Disclosure) -> Decimal | None:
    if m.lines is not None:
        return m.lines.wan(m.lines.total)
    if m.budget is not None:
        return m.budget.expenditure.total
    return None


def _public_expenditure(m: Disclosure) -> Decimal | None:
    """公用经费 of the basic expenditure, where the data splits basic expenditure."""
    if m.lines is not None:
        public = m.lines.public
        return money_value(m.lines.wan(public)) if public is not None else None
    if m.budget is not None:
        return m.budget.expenditure.public_operating
    return None


def _basic_expenditure(m: Disclosure) -> Decimal | None:
    if m.lines is not None:
        return m.lines.wan(m.lines.basic)
    if m.budget is not None:
        return m.budget.expenditure.basic
    return None


def changes_have_reasons(m: Disclosure) -> list[Diagnostic]:
    """A 三公 item or a Hebei budget part that changed, with no reason given, or with a
    reason naming the opposite direction."""
    problems = []
    tp = m.three_public
    if tp is not None and tp.src is not None:
        for part, reason_key in (
            ("overseas", "overseas"),
            ("vehicles", "vehicles"),
            ("reception", "reception"),
        ):
            change, reason = tp.changes[part], tp.reasons.get(reason_key)
            what = THREE_PUBLIC_NAMES[part]
            problems += _reason_for(change, reason, tp.src, ("reasons", reason_key), what)
    b = m.budget
    if b is not None and b.src is not None:
        for part, what, change, reason in (
            ("basic", "基本支出", b.basic_change, b.basic_reason),
            ("project", "项目支出", b.project_change, b.project_reason),
        ):
            problems += _reason_for(change, reason, b.src, ("change_reasons", part), what)
    return problems


def _reason_for(change, reason, src, path, what) -> list[Diagnostic]:
    """`what`: the part's name (公务接待费, 基本支出)."""
    if change.amount == 0:
        return []
    if not reason:
        return [
            Diagnostic(
                src.key_at(*path[:1]) if path[0] in ("reasons", "change_reasons") else src.at(),
                _(
                    "{what} changed ({direction} {amount} 万元) and no reason is given: "
                    "write it in {path}"
                ).format(
                    what=what,
                    direction=change.direction,
                    amount=money(abs(change.amount)),
                    path=".".join(path),
                ),
                field=".".join(path),
                severity="warning",
            )
        ]
    said = said_direction(reason)
    if said and said != change.direction:
        return [
            Diagnostic(
                src.at(*path),
                _wrong_direction(what, said, change),
                field=".".join(path),
                severity="warning",
            )
        ]
    return []


def _wrong_direction(what: str, said: str, change) -> str:
    return _(
        "{what}: the reason says {said}, but the figure {direction} ({previous} → {current} 万元)"
    ).format(
        what=what,
        said=said,
        direction=change.direction,
        previous=money(change.previous),
        current=money(change.current),
    )


RULES = (
    reasons_agree_with_changes,
    project_funds_plausible,
    goal_setting_funds_match_tables,
    amounts_in_the_wrong_unit,
    parts_within_their_whole,
    changes_have_reasons,
)
