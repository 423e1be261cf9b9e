"""Plausibility: what is almost certainly a slip, though the figures add up. Warnings,
which `--strict` turns into errors: a reason that names the opposite direction of its own
change, a year's request above the project's whole funding, goal-setting funds against the
tables, a figure that changed without a reason. (Amounts in the wrong unit are in `slips`;
a part larger than its whole, an error, in `rules_whole`.)"""

from __future__ import annotations

from ..diagnostics import Diagnostic
from ..i18n import _
from ..input.loader import dotted
from ..layout.specs import DEFAULT_ITEM_FACTS
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
    if e is None or "reason" not in item_facts(m):
        return []  # a reason the form does not print is reported once, by notes_match_lines
    problems = []
    for item in e.items:
        said = said_direction(item.reason or "")
        if (
            said
            and item.src is not None
            and item.change is not None
            and (said != item.change.direction)
        ):
            problems.append(
                Diagnostic(
                    item.src.at("reason"),
                    _wrong_direction(f"{item.code} {item.names[2]}", said, item.change),
                    field=dotted((*item.src.path, "reason")),  # the entry, named by its code
                    severity="warning",
                    published=True,
                )
            )
    return problems


def item_facts(m: Disclosure) -> tuple[str, ...]:
    """What the layout's form prints about each explained item."""
    facts = m.layout.item_facts("line-notes")  # () is a form that prints no items
    return DEFAULT_ITEM_FACTS if facts is None else facts


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
                    published=True,
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
            published=True,
        )
    ]


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
    if change is None or change.amount == 0:  # None: last year's figure is 未公开
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
                published=True,
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
                published=True,
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
    changes_have_reasons,
)
