"""A year's budget against its final accounts (决算), for the reviewer of the final accounts.

Per 项 of the 一般公共预算财政拨款 spending: the 年初预算 (the budget's lines, by the same
query the final accounts read, `model.final.budget_by_item`), the 决算, the 完成率 (none
against a 年初预算 of 0) and the reason the unit gives in its final accounts
(final-notes.yaml `items[].reason`); then the total with its reason (`budget_reason`) and
the 三公 经费 against their 预算数. Every figure is a query of the two models: nothing here
is typed or recomputed from YAML.

`disclosure diff 2024 2024/final` (either order, either side at a git revision) and
`disclosure outturn 2024` both print it; `outturn_format` writes it as text, md or json.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from ..model.disclosure import Disclosure
from ..model.final import (
    THREE_PUBLIC,
    ZERO,
    Compare,
    FinalAccounts,
    budget_by_item,
    budget_three_public,
)
from ..numbers import money_value

THREE_PUBLIC_NAMES = {
    "overseas": "因公出国（境）费",
    "vehicle_purchase": "公务用车购置费",
    "vehicle_operation": "公务用车运行费",
    "reception": "公务接待费",
    "total": "“三公”经费合计",
}


@dataclass(frozen=True)
class OutturnLine:
    """One line: a 项 (`code` its function code), a 三公 item, or a total (`code` "")."""

    code: str
    name: str  # the 项's name, or the 三公 item's
    path: tuple[str, ...]  # 类, 款 and 项 names (a 项), else (name,)
    budget: Decimal | None  # 年初预算 (万元, exact); None: the budget does not publish it
    outturn: Decimal  # 决算 (万元)
    reason: str | None = None  # the unit's reason (from the final accounts)
    use: str | None = None  # 主要用于 (a 项's, from the final accounts)

    @property
    def compare(self) -> Compare:
        return Compare(self.outturn, self.budget)

    @property
    def rate(self) -> Decimal | None:
        """完成率 in percent, two decimals; None against a 年初预算 of 0 or none."""
        return self.compare.rate

    @property
    def difference(self) -> Decimal | None:
        """决算 − 年初预算 from the two figures as printed (万元, to the fen): one
        arithmetic a reader can check."""
        if self.budget is None:
            return None
        return money_value(self.outturn) - money_value(self.budget)

    @property
    def same(self) -> bool:
        """The two figures are the same as printed."""
        return self.difference == 0


@dataclass(frozen=True)
class Outturn:
    year: int
    budget_label: str  # 2024, 2024@main; or 2024/final when the 年初预算 was typed there
    final_label: str
    budget_from: str  # "budget" (a budget model), "typed" (final/initial-budget.yaml), "none"
    items: tuple[OutturnLine, ...]
    total: OutturnLine
    three_public: tuple[OutturnLine, ...]  # empty when neither side publishes them

    @property
    def lines(self) -> tuple[OutturnLine, ...]:
        return (*self.items, self.total, *self.three_public)

    @property
    def same(self) -> bool:
        """Every outturn equals its budget (diff's exit status 0)."""
        return all(line.same for line in self.lines)

    def counts(self) -> dict[str, int]:
        return {
            "items": len(self.items),
            "different": sum(1 for line in self.items if not line.same),
            "over": sum(1 for line in self.items if (line.difference or 0) > 0),
            "under": sum(1 for line in self.items if (line.difference or 0) < 0),
        }


def outturn(
    final: FinalAccounts,
    budget: Disclosure | None,
    budget_label: str,
    final_label: str,
) -> Outturn:
    """The comparison of `final` with `budget` (a budget model of the same year), or with
    the 年初预算 the final accounts hold themselves when `budget` is None."""
    if budget is not None and budget.lines is not None:
        initial = budget_by_item(budget.lines)
        three_budget = budget_three_public(budget)
        budget_from = "budget"
        catalogue = budget.lines.catalogue
    else:
        initial = dict(final.initial_budget)
        three_budget = final.initial_three_public
        budget_from = final.initial_budget_from
        catalogue = None

    def name(code: str) -> str:
        if code in final.names:
            return final.names[code]
        if catalogue is not None and catalogue.has("function", code):
            return catalogue.name("function", code)
        return code

    notes = {n.code: n for n in final.item_notes}
    rows = {r.code: r for r in final.general_rows if r.level == "项"}
    items = []
    for code in sorted(set(rows) | set(initial)):
        note = notes.get(code)
        items.append(
            OutturnLine(
                code=code,
                name=name(code),
                path=(name(code[:3]), name(code[:5]), name(code)),
                budget=initial.get(code, ZERO),
                outturn=rows[code]["total"] if code in rows else ZERO,
                reason=note.reason if note else None,
                use=note.use if note else None,
            )
        )
    total = OutturnLine(
        code="",
        name="合计",
        path=("合计",),
        budget=sum(initial.values(), ZERO),
        outturn=final.general_spending,
        reason=final.notes.get("budget_reason"),
    )
    three = []
    notes_three = final.notes.get("three_public") or {}
    outturns = notes_three.get("outturn")
    if outturns is not None or three_budget is not None:
        outturns = outturns or {}
        for k in (*THREE_PUBLIC, "total"):
            if k == "total":
                spent = sum((Decimal(outturns.get(p, ZERO)) for p in THREE_PUBLIC), ZERO)
                base = None if three_budget is None else sum(three_budget.values(), ZERO)
            else:
                spent = Decimal(outturns.get(k, ZERO))
                base = None if three_budget is None else three_budget.get(k, ZERO)
            reason = notes_three.get("budget_reason") if k == "total" else None
            three.append(
                OutturnLine(k, THREE_PUBLIC_NAMES[k], (THREE_PUBLIC_NAMES[k],), base, spent, reason)
            )
    return Outturn(
        year=final.year,
        budget_label=budget_label,
        final_label=final_label,
        budget_from=budget_from,
        items=tuple(items),
        total=total,
        three_public=tuple(three),
    )
