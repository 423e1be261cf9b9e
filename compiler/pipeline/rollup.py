"""A department is a sum: its figures are its units' figures added up, never typed.

The department's own files hold its words (duties, reasons, the glossary); every figure of
its tables and text is computed here from the units' models, by the same parts and queries
a unit uses. Nothing consolidated is typed, so a figure changed in one unit moves the
department's totals.
"""

from __future__ import annotations

import dataclasses
from collections import defaultdict
from decimal import Decimal

from ..i18n import _
from ..model import lines as lines_module
from ..model.base import published_sum
from ..model.disclosure import (
    AssetCategory,
    Assets,
    Disclosure,
    Expenditure,
    GoalSetting,
    Income,
    Procurement,
    ProcurementSummary,
    Project,
    ThreePublicItems,
)
from ..numbers import ZERO, NotPublished
from .context import Context

UNIT_TYPES = ("行政单位", "参照公务员法管理的事业单位", "事业单位")


def _sum(values) -> Decimal:
    return sum(values, ZERO)


class Rollup:
    """The department's figures from its units (assembled before it, in folder order)."""

    def __init__(self, units: tuple[Disclosure, ...], ctx: Context):
        self.units = units
        self.ctx = ctx

    def _with(self, part: str) -> list:
        return [getattr(u, part) for u in self.units if getattr(u, part) is not None]

    def lines(self):
        found = self._with("lines")
        return lines_module.merge(found, self.ctx.catalogue) if found else None

    def overview(self, e: dict) -> tuple[Income, Expenditure]:
        budgets = self._with("budget")
        income = Income(
            *(
                _sum(getattr(b.income, f) for b in budgets)
                for f in (
                    "general_budget",
                    "fund_budget",
                    "special_account",
                    "other",
                    "carried_over",
                )
            )
        )
        expenditure = Expenditure(
            personnel=_sum(b.expenditure.personnel for b in budgets),
            public_operating=_sum(b.expenditure.public_operating for b in budgets),
            project=_sum(b.expenditure.project for b in budgets),
            project_scope=e.get("project_scope"),
            project_main_uses=e.get("project_main_uses"),
        )
        return income, expenditure

    def sum_budget_previous(self) -> dict[str, Decimal | NotPublished]:
        budgets = self._with("budget")
        return {
            "basic": published_sum(b.previous_basic for b in budgets),
            "project": published_sum(b.previous_project for b in budgets),
        }

    def explanation_previous(self) -> dict[str, Decimal | NotPublished]:
        """上年财政拨款 of the Shanghai explanation: the units' own previous-year figures."""
        found = self._with("explanation")
        keys = ("general_budget", "fund_budget", "capital_budget")
        return {k: published_sum(getattr(x.previous, k) for x in found) for k in keys}

    def item_previous(self, code: str) -> Decimal | NotPublished | None:
        """The 上年数 of one 项 code: the units' own, added up; None if a unit that has
        the 项 does not give it (its form does not print it)."""
        found = [
            item.previous
            for x in self._with("explanation")
            for item in x.items
            if item.code == code
        ]
        if any(previous is None for previous in found):
            return None
        return published_sum(found)  # a sum with a part not published is not published

    def operating_costs(self) -> Decimal | None:
        found = self._with("operating_costs")
        return _sum(c.amount for c in found) if found else None

    def three_public(self) -> tuple[ThreePublicItems, ThreePublicItems] | None:
        found = self._with("three_public")
        if not found:
            return None
        return (
            ThreePublicItems.add([t.current for t in found]),
            ThreePublicItems.add([t.previous for t in found]),
        )

    def organisation(self, members: tuple, counts: dict, origin) -> tuple[tuple, dict]:
        """Members are the units' names and the counts their types: typed lists would be
        a second copy of what the units already say."""
        if members or counts:
            self.ctx.error(
                origin,
                ("members" if members else "counts",),
                _(
                    "a department's members and their counts by type come from its units "
                    "(units/*/unit.yaml): make sure every member here has its folder under "
                    "units/, then leave members and counts out here"
                ),
            )
        names = tuple(u.unit.name for u in self.units)
        tally: dict[str, Decimal] = {}
        for kind in UNIT_TYPES:
            n = sum(1 for u in self.units if u.unit.type == kind)
            if n:
                tally[kind] = Decimal(n)
        return names, tally

    def projects(self, own: tuple[Project, ...]) -> tuple[Project, ...]:
        """The department's own performance tables, then each unit's (named by the unit's
        folder as well, so two units' 01-… tables stay apart)."""
        return own + tuple(
            dataclasses.replace(p, key=f"{u.slug}-{p.key}") for u in self.units for p in u.projects
        )

    def goal_setting(self, r, ctx: Context) -> GoalSetting | None:
        if r is not None:
            ctx.error(
                r.origin(),
                (),
                _(
                    "a department's goal setting is the sum of its units': make sure each "
                    "figure here is in the goal-setting.yaml of the unit it belongs to "
                    "(units/<name>/), then leave this file out"
                ),
            )
        found = self._with("goal_setting")
        if not found:
            return None
        return GoalSetting(
            units=Decimal(len(found)),
            projects=_sum(g.projects for g in found),
            funds=_sum(g.funds for g in found),
            projects_counted=True,
        )

    def procurement(self, r) -> Procurement | None:
        if r is not None:
            self.ctx.error(
                r.origin(),
                (),
                _(
                    "a department's procurement is the sum of its units': make sure each "
                    "item here is in the procurement.yaml of the unit it belongs to "
                    "(units/<name>/), then leave this file out"
                ),
            )
        found = self._with("procurement")
        if not found:
            return None
        if all(p.summary is None for p in found):
            return Procurement(
                projects=tuple(project for p in found for project in p.projects),
                summary=None,
                note=None,
            )
        totals = [p.by_category for p in found]
        sme = [p.sme_total for p in found]
        small = [p.summary.small_micro_reserved if p.summary else None for p in found]
        return Procurement(
            projects=(),
            summary=ProcurementSummary(
                goods=_sum(t["goods"] for t in totals),
                works=_sum(t["works"] for t in totals),
                services=_sum(t["services"] for t in totals),
                sme_reserved=None if any(v is None for v in sme) else _sum(sme),
                small_micro_reserved=None if any(v is None for v in small) else _sum(small),
            ),
            note=None,
        )

    def assets(self, r, year: int) -> Assets | None:
        if r is not None:
            self.ctx.error(
                r.origin(),
                (),
                _(
                    "a department's assets are the sum of its units': make sure each figure "
                    "here is in the assets.yaml of the unit it belongs to (units/<name>/), "
                    "then leave this file out"
                ),
            )
        found = self._with("assets")
        if not found:
            return None
        return Assets(
            categories=add_categories([a.categories for a in found]),
            as_of=max(a.as_of for a in found),
            planned=add_categories([a.planned for a in found]),
        )


def add_categories(lists: list[tuple[AssetCategory, ...]]) -> tuple[AssetCategory, ...]:
    """Categories of several units added up by name (in first-seen order), their parts and
    of_which alike."""
    grouped: dict[str, list[AssetCategory]] = defaultdict(list)
    for categories in lists:
        for c in categories:
            grouped[c.name].append(c)
    out = []
    for name, same in grouped.items():
        parts = add_categories([c.parts for c in same])
        out.append(
            AssetCategory(
                name=name,
                unit=same[0].unit,
                typed_quantity=None if parts else _known(c.quantity for c in same),
                typed_value=None if parts else _known(c.value for c in same),
                parts=parts,
                of_which=add_categories([c.of_which for c in same]),
            )
        )
    return tuple(out)


def _known(values) -> Decimal | None:
    values = [v for v in values if v is not None]
    return _sum(values) if values else None
