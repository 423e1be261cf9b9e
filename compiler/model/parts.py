"""Model parts with figures beside the budget: 三公经费, 机关运行经费, government
procurement, state assets, performance-goal setting and the project funding notes.

Each part holds the primary facts of one data file; every total is a `@derived` property.
"""

from __future__ import annotations

import dataclasses
from datetime import date
from decimal import Decimal

from ..numbers import ZERO, NotPublished
from .base import Change, Origin, Prose, _model, change_from, derived, published_sum, src_field


@_model
class ThreePublicItems:
    # Last year's may be NOT_PUBLISHED (未公开: a first year whose document did not give
    # them); a sum with a part not published is not published, never a sum with a 0.
    overseas: Decimal | NotPublished
    vehicle_purchase: Decimal | NotPublished
    vehicle_operation: Decimal | NotPublished
    reception: Decimal | NotPublished

    @derived
    def vehicles(self) -> Decimal | NotPublished:
        """公务用车购置及运行（运维）费."""
        return published_sum((self.vehicle_purchase, self.vehicle_operation))

    @derived
    def total(self) -> Decimal | NotPublished:
        return published_sum((self.overseas, self.vehicles, self.reception))

    @staticmethod
    def add(items: list[ThreePublicItems]) -> ThreePublicItems:
        return ThreePublicItems(
            *(published_sum(getattr(i, f) for i in items) for f in THREE_PUBLIC_ITEMS)
        )


# The four items staff enter, and with the derived ones, every part the disclosure reports.
THREE_PUBLIC_ITEMS = tuple(f.name for f in dataclasses.fields(ThreePublicItems))
THREE_PUBLIC_PARTS = (
    "overseas",
    "vehicle_purchase",
    "vehicle_operation",
    "vehicles",
    "reception",
    "total",
)
# Each part by the name the disclosure and the schema give it (messages name parts so, in
# either language: these are the finance office's own terms).
THREE_PUBLIC_NAMES = {
    "overseas": "因公出国（境）费",
    "vehicle_purchase": "公务用车购置费",
    "vehicle_operation": "公务用车运维费",
    "vehicles": "公务用车购置及运维费",
    "reception": "公务接待费",
    "total": "“三公”经费合计",
}


@_model
class ThreePublic:
    current: ThreePublicItems
    previous: ThreePublicItems
    reasons: dict[str, str | None]
    previous_written: bool = True  # False: the previous year's own figures were taken
    src: Origin | None = src_field()

    @derived
    def changes(self) -> dict[str, Change | None]:
        """Each part's change; None where last year's figure is not published (未公开):
        no change is computed from a figure the document did not give."""
        return {
            part: change_from(getattr(self.previous, part), getattr(self.current, part))
            for part in THREE_PUBLIC_PARTS
        }

    @property
    def is_empty(self) -> bool:
        return self.current.total == 0


@_model
class OperatingCosts:
    amount: Decimal
    main_uses: str | None
    computed: bool = False  # True: the sum of 公用经费 in the lines (or the units), not typed
    src: Origin | None = src_field()


# Government procurement -----------------------------------------------------------------

FUNDING_COLUMNS = (
    "一般公共预算拨款",
    "基金预算拨款",
    "国有资本经营预算拨款",
    "财政专户核拨",
    "单位资金",
    "财政拨款结转",
    "非财政拨款结转结余",
)
# The procurement catalogue's first letter: A goods, B works, C services.
CATEGORY_OF_CODE = {"A": "goods", "B": "works", "C": "services"}


@_model
class ProcurementItem:
    name: str
    catalogue_code: str
    unit: str
    quantity: Decimal
    unit_price: Decimal
    funding: str
    sme_reserved: bool
    src: Origin | None = src_field()

    @derived
    def amount(self) -> Decimal:
        return self.quantity * self.unit_price

    @property
    def funding_amounts(self) -> dict[str, Decimal]:
        """The amount under its funding column, zero under the others (the table's row).
        Not a figure of its own, so not exported or diffed: it is `amount`, placed."""
        return {
            column: self.amount if column == self.funding else ZERO for column in FUNDING_COLUMNS
        }

    @derived
    def sme_amount(self) -> Decimal:
        return self.amount if self.sme_reserved else ZERO

    @property
    def category(self) -> str:
        return CATEGORY_OF_CODE[self.catalogue_code[0]]


@_model
class ProcurementProject:
    name: str
    budget: Decimal
    items: tuple[ProcurementItem, ...]
    src: Origin | None = src_field()

    @derived
    def subtotal(self) -> Decimal:
        return sum((item.amount for item in self.items), ZERO)


@_model
class ProcurementSummary:
    """Totals by category, where only those are published (Shanghai's text)."""

    goods: Decimal
    works: Decimal
    services: Decimal
    sme_reserved: Decimal | None
    small_micro_reserved: Decimal | None


@_model
class Procurement:
    projects: tuple[ProcurementProject, ...]
    summary: ProcurementSummary | None
    note: Prose | None
    src: Origin | None = src_field()

    @property
    def items(self) -> tuple[ProcurementItem, ...]:
        return tuple(item for project in self.projects for item in project.items)

    @derived
    def by_category(self) -> dict[str, Decimal]:
        """货物 / 工程 / 服务."""
        if self.summary is not None:
            s = self.summary
            return {"goods": s.goods, "works": s.works, "services": s.services}
        totals = {"goods": ZERO, "works": ZERO, "services": ZERO}
        for item in self.items:
            totals[item.category] += item.amount
        return totals

    @derived
    def total(self) -> Decimal:
        return sum(self.by_category.values(), ZERO)

    @derived
    def funding_totals(self) -> dict[str, Decimal]:
        totals = {column: ZERO for column in FUNDING_COLUMNS}
        for item in self.items:
            totals[item.funding] += item.amount
        return totals

    @derived
    def sme_total(self) -> Decimal | None:
        if self.summary is not None:
            return self.summary.sme_reserved
        return sum((item.sme_amount for item in self.items), ZERO)

    @property
    def is_empty(self) -> bool:
        return self.total == 0


# State assets ---------------------------------------------------------------------------


@_model
class AssetCategory:
    """A category of assets. With `parts` (a breakdown) its quantity and value are their
    sums; with `of_which` it lists some of it (其中), which need not add up."""

    name: str
    unit: str | None
    typed_quantity: Decimal | None
    typed_value: Decimal | None
    parts: tuple[AssetCategory, ...] = ()
    of_which: tuple[AssetCategory, ...] = ()

    @derived
    def quantity(self) -> Decimal | None:
        if self.parts:
            return _sum_known(p.quantity for p in self.parts)
        return self.typed_quantity

    @derived
    def value(self) -> Decimal | None:
        if self.parts:
            return _sum_known(p.value for p in self.parts)
        return self.typed_value

    @property
    def children(self) -> tuple[AssetCategory, ...]:
        return self.parts or self.of_which

    @property
    def is_breakdown(self) -> bool:
        return bool(self.parts)


def _sum_known(values) -> Decimal | None:
    known = [v for v in values if v is not None]
    return sum(known, ZERO) if known else None


@_model
class Assets:
    categories: tuple[AssetCategory, ...]
    as_of: date
    planned: tuple[AssetCategory, ...] = ()
    src: Origin | None = src_field()

    @derived
    def total(self) -> Decimal:
        return sum((c.value for c in self.categories if c.value is not None), ZERO)

    def rows(self) -> list[tuple[int, int, AssetCategory]]:
        """Every category and item below it as a table prints them: (depth, number of a
        top-level category (0 below), category); nothing nested is left out."""
        out: list[tuple[int, int, AssetCategory]] = []

        def walk(category: AssetCategory, depth: int, number: int) -> None:
            out.append((depth, number, category))
            for child in category.children:
                walk(child, depth + 1, 0)

        for number, category in enumerate(self.categories, 1):
            walk(category, 0, number)
        return out


# Performance goal setting (绩效目标设置情况) and project funding notes -----------------------


@_model
class GoalSetting:
    units: Decimal | None
    projects: Decimal  # typed, or counted from the performance tables
    funds: Decimal
    projects_counted: bool = False
    src: Origin | None = src_field()


@_model
class FundedProject:
    """One project's funding note (项目经费情况说明)."""

    name: str
    overview: Prose
    basis: Prose
    implementer: Prose
    plan: Prose
    schedule: Prose
    quarterly: tuple[Decimal, ...]
    goal: Prose
    src: Origin | None = src_field()

    @derived
    def annual_total(self) -> Decimal:
        return sum(self.quarterly, ZERO)
