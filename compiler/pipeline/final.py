"""A year's final accounts (决算) assembled from final/: the lines, the balances carried in,
and the two kinds of figure that come from elsewhere when the repository has them.

- 年初预算: from the same year's budget (data/<year>/lines.yaml, its 一般公共预算 lines by 项)
  when the repository holds it; then typing one in final/initial-budget.yaml is an error.
  Without a budget (a first year), the 年初预算 is taken once from initial-budget.yaml.
- Last year's figures: from last year's final accounts (data/<year-1>/final/) when the
  repository holds them; then previous-final.yaml is an error. Without them, the figures
  the text compares with are taken once from previous-final.yaml; what is not there is
  "not published" and no comparison is written.
"""

from __future__ import annotations

from decimal import Decimal

from ..i18n import _
from ..model.final import (
    FUNDS,
    THREE_PUBLIC,
    FinalAccounts,
    ItemNote,
    budget_by_item,
    budget_three_public,
)
from .context import Context

WAN = Decimal("10000")


def _wan(value, unit: str) -> Decimal:
    value = Decimal(value)
    return value / WAN if unit == "元" else value


def assemble_final(readers: dict, ctx: Context) -> FinalAccounts:
    r = readers["outturn.yaml"]
    d = r.data
    unit = d["amount_unit"]
    income = tuple(
        (e["code"], {k: _wan(v, unit) for k, v in e.items() if k != "code"})
        for e in d.get("income", ())
    )
    spending = tuple(
        (
            e["code"],
            e["source"],
            {k: _wan(v, unit) for k, v in e.items() if k not in ("code", "source")},
        )
        for e in d.get("spending", ())
    )
    economic = tuple((e["code"], _wan(e["amount"], unit)) for e in d.get("economic", ()))
    opening = d.get("opening") or {}
    names = {}
    for code, *_rest in (*income, *spending):
        for c in (code[:3], code[:5], code):
            names[c] = ctx.catalogue.name("function", c) if ctx.catalogue.has("function", c) else c
    for code, _amount in economic:
        for c in (code[:3], code):
            names[c] = ctx.catalogue.name("economic", c) if ctx.catalogue.has("economic", c) else c

    initial, initial_from, initial_three = _initial_budget(readers.get("initial-budget.yaml"), ctx)
    for code in initial:
        for c in (code[:3], code[:5], code):
            if c not in names and ctx.catalogue.has("function", c):
                names[c] = ctx.catalogue.name("function", c)
    previous, previous_from = _previous(readers.get("previous-final.yaml"), ctx)
    notes_r = readers.get("final-notes.yaml")
    notes = dict(notes_r.data or {}) if notes_r is not None else {}
    return FinalAccounts(
        year=ctx.year,
        amount_unit="万元",
        names=names,
        income=income,
        spending=spending,
        economic=economic,
        opening_all=_wan(opening.get("all", 0), unit),
        opening_fiscal={f: _wan(opening[f], unit) for f in FUNDS if f in opening},
        non_fiscal_balance_used=_wan(d.get("non_fiscal_balance_used", 0), unit),
        surplus_distributed=_wan(d.get("surplus_distributed", 0), unit),
        initial_budget=initial,
        initial_budget_from=initial_from,
        initial_three_public=initial_three,
        previous=previous,
        previous_from=previous_from,
        notes=notes,
        item_notes=tuple(
            ItemNote(n["code"], n["use"], n.get("reason")) for n in notes.get("items", ())
        ),
    )


def _initial_budget(r, ctx: Context):
    """年初预算 by 项 (万元), where it came from, and the 三公 年初预算."""
    budget = ctx.budget
    if budget is not None and budget.lines is not None:
        if r is not None:
            ctx.error(
                r.origin(),
                (),
                _(
                    "the repository holds this year's budget, so the 年初预算 is taken from "
                    "its lines; remove {file} (a typed 年初预算 could disagree with the budget)"
                ).format(file="final/initial-budget.yaml"),
            )
        by_code = budget_by_item(budget.lines)
        three = budget_three_public(budget)  # the budget's 三公 预算数, when it publishes them
        return by_code, "budget", three
    if r is None:
        return {}, "none", None
    d = r.data
    unit = d["amount_unit"]
    general = {e["code"]: _wan(e["amount"], unit) for e in d.get("general", ())}
    three = d.get("three_public")
    three = {k: _wan(three.get(k, 0), unit) for k in THREE_PUBLIC} if three else None
    return general, "typed", three


def _previous(r, ctx: Context):
    """Last year's figures the text compares with, and where they came from."""
    last = ctx.previous.final if ctx.previous is not None else None
    if last is not None:
        if r is not None:
            ctx.error(
                r.origin(),
                (),
                _(
                    "the repository holds last year's final accounts, so last year's figures "
                    "are computed from them; remove {file}"
                ).format(file="final/previous-final.yaml"),
            )
        return {
            "total": last.grand_total,
            "fiscal_total": last.fiscal_grand_total,
            "general_spending": last.general_spending,
            "operating_costs": last.operating_costs,
            "three_public": {
                k: c.current for k, c in last.three_public.items() if k in THREE_PUBLIC
            },
        }, "final"
    if r is None:
        return {}, "none"
    d = r.data
    unit = d["amount_unit"]
    out = {k: _wan(v, unit) for k, v in d.items() if k not in ("amount_unit", "three_public")}
    if "three_public" in d:
        out["three_public"] = {k: _wan(d["three_public"].get(k, 0), unit) for k in THREE_PUBLIC}
    return out, "typed"
