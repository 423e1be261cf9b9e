"""A part never larger than the whole it belongs to, and 三公 against the economic lines
that carry them: errors, as a reader who adds up the published figures finds them.

- 三公经费 are paid from 财政拨款: never more than the year's 财政拨款 expenditure (the whole
  expenditure where the year has no budget lines);
- the procurement budget never more than the whole expenditure;
- 机关运行经费 never more than the 公用经费 of basic expenditure (compared exactly: a figure
  computed from lines in 元 is not rounded before it is compared);
- 涉及项目预算资金 (绩效目标设置情况) never more than 项目支出;
- each 三公 item against its economic 款 (30212 因公出国（境）费用, 30217 公务接待费, 30231
  公务用车运行维护费), where both are written. The economic lines hold 一般公共预算 basic
  expenditure only, while 三公 also cover project spending: so the item is never less than
  its 款, and equal to it where the year's 一般公共预算 has no project expenditure (then every
  三公 yuan is basic spending and in the economic table). The workbook import checks the same.

A department with units is their sum: each unit is checked, the sums need not be.
"""

from __future__ import annotations

from decimal import Decimal

from ..diagnostics import Diagnostic
from ..i18n import _
from ..model.disclosure import THREE_PUBLIC_NAMES, Disclosure
from ..numbers import ZERO, money, money_value


def three_public_within_fiscal(m: Disclosure) -> list[Diagnostic]:
    """“三公”经费 ≤ the 财政拨款 they are paid from."""
    tp = m.three_public
    if tp is None or tp.src is None or m.units:
        return []
    if m.lines is not None:
        whole, words = m.lines.wan(m.lines.fiscal), _("财政拨款 expenditure")
    elif m.budget is not None:
        whole, words = m.budget.expenditure.total, _("whole expenditure")
    else:
        return []
    if tp.current.total <= money_value(whole):
        return []
    return [
        Diagnostic(
            tp.src.key_at("current"),
            _(
                "“三公”经费 come to {amount} 万元, more than the {whole_words} they are paid "
                "from ({whole} 万元): an amount typed in 元? Amounts here are in 万元"
            ).format(amount=money(tp.current.total), whole_words=words, whole=money(whole)),
            field="current",
        )
    ]


def procurement_within_expenditure(m: Disclosure) -> list[Diagnostic]:
    p = m.procurement
    total = _total_expenditure(m)
    if p is None or p.src is None or total is None or m.units:
        return []
    if p.total <= money_value(total):
        return []
    return [
        Diagnostic(
            p.src.at(),
            _(
                "the procurement budget comes to {amount} 万元, more than the whole "
                "expenditure ({total} 万元): check the quantities and unit prices (in 万元)"
            ).format(amount=money(p.total), total=money(total)),
            field="",
        )
    ]


def operating_costs_within_public(m: Disclosure) -> list[Diagnostic]:
    """机关运行经费 is the fiscal part of 基本支出's 公用经费: never more than all of it.
    Compared exactly: 8600049 元 of 公用经费 is 860.0049 万元, and 机关运行经费 computed
    from the same lines is not more than it, although both print as 860.00."""
    costs = m.operating_costs
    if costs is None or costs.src is None or m.units:
        return []
    if not costs.computed and m.budget is not None and not m.budget.from_lines:
        return []  # both typed (Hebei): they must be equal, rules.py says so
    public, basic = _public_expenditure(m), _basic_expenditure(m)
    if public is not None and _more(costs.amount, public, costs.computed):
        message = _(
            "机关运行经费 {amount} 万元 is more than the whole 公用经费 of the basic "
            "expenditure ({public} 万元) it is part of"
        ).format(amount=money(costs.amount), public=money(public))
    elif public is None and basic is not None and _more(costs.amount, basic, costs.computed):
        message = _(
            "机关运行经费 {amount} 万元 is more than the whole basic "
            "expenditure ({basic} 万元) it is part of"
        ).format(amount=money(costs.amount), basic=money(basic))
    else:
        return []
    return [Diagnostic(costs.src.at("amount"), message, field="amount")]


def _more(part: Decimal, whole: Decimal, exact: bool) -> bool:
    """A computed part is compared with the whole exactly; a typed one (to the fen) with
    the whole as printed, so neither rounding makes an equal figure look larger."""
    return part > whole if exact else part > money_value(whole)


def goal_funds_within_projects(m: Disclosure) -> list[Diagnostic]:
    """涉及项目预算资金 are project funds: never more than the year's 项目支出."""
    g = m.goal_setting
    if g is None or g.src is None or m.units:
        return []
    if m.lines is not None:
        project = m.lines.wan(m.lines.project)
    elif m.budget is not None:
        project = m.budget.expenditure.project
    else:
        return []
    if g.funds <= money_value(project):
        return []
    return [
        Diagnostic(
            g.src.at("funds"),
            _(
                "涉及项目预算资金 is {funds} 万元, more than the year's whole 项目支出 "
                "({project} 万元) the goals are set for; check the figure (in 万元)"
            ).format(funds=money(g.funds), project=money(project)),
            field="funds",
        )
    ]


# Each 三公 item and the economic 款 that carries its basic part.
THREE_PUBLIC_ECONOMIC = {
    "overseas": ("30212", "因公出国（境）费用"),
    "reception": ("30217", "公务接待费"),
    "vehicle_operation": ("30231", "公务用车运行维护费"),
}


def three_public_match_economic_lines(m: Disclosure) -> list[Diagnostic]:
    tp, lines = m.three_public, m.lines
    if tp is None or tp.src is None or lines is None or not lines.economic or m.units:
        return []
    general = lines.economic_lines("general")
    only_basic = lines.totals("general").project == 0
    problems = []
    for part, (code, name) in THREE_PUBLIC_ECONOMIC.items():
        carried = [line for line in general if line.code == code]
        if not carried:
            continue
        economic = money_value(lines.wan(sum((line.total for line in carried), ZERO)))
        item = getattr(tp.current, part)
        if item == economic or (item > economic and not only_basic):
            continue
        values = {
            "item": THREE_PUBLIC_NAMES[part],
            "amount": money(item),
            "code": code,
            "name": name,
            "economic": money(economic),
            "line": carried[0].src.at("code").line if carried[0].src else "?",
        }
        if item < economic:
            message = _(
                "{item} is {amount} 万元, less than the basic expenditure on {code} {name} "
                "alone ({economic} 万元, lines.yaml line {line}); “三公”经费 hold that basic "
                "expenditure and the projects' part: correct one of the two"
            )
        else:
            message = _(
                "{item} is {amount} 万元, but {code} {name} is {economic} 万元 (lines.yaml "
                "line {line}), and this year's 一般公共预算 has no project expenditure, so "
                "the two are the same spending and must be equal: correct one of the two"
            )
        problems.append(
            Diagnostic(
                tp.src.at("current", part), message.format(**values), field=f"current.{part}"
            )
        )
    return problems


def _total_expenditure(m: Disclosure) -> Decimal | None:
    if m.lines is not None:
        return m.lines.wan(m.lines.total)
    if m.budget is not None:
        return m.budget.expenditure.total
    return None


def _public_expenditure(m: Disclosure) -> Decimal | None:
    """公用经费 of the basic expenditure (exact), where the data splits basic expenditure."""
    if m.lines is not None:
        return m.lines.wan(m.lines.public) if m.lines.public is not None else None
    if m.budget is not None:
        return m.budget.expenditure.public_operating
    return None


def _basic_expenditure(m: Disclosure) -> Decimal | None:
    if m.lines is not None:
        return m.lines.wan(m.lines.basic)
    if m.budget is not None:
        return m.budget.expenditure.basic
    return None


RULES = (
    three_public_within_fiscal,
    procurement_within_expenditure,
    operating_costs_within_public,
    goal_funds_within_projects,
    three_public_match_economic_lines,
)
