"""The year's model: the primary facts from the YAML plus every derived figure.

Renderers, `diff` and tests read this model; none of them recomputes a total. A derived
figure is a `@derived` property here and nowhere else, so it is computed one way only.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from .diagnostics import Location
from .numbers import ZERO, plain_number

# Sums and products stay exact in Decimal's default 28 digits: the schemas cap amounts at
# 9 999 999 999.99 万元 and quantities at 10^9, so no figure needs more than 21 digits.


class derived(property):
    """A figure computed from primary facts; exported with the model (JSON, diff)."""


class Prose(str):
    """Free text from the data (Markdown, may cite figures); knows where it was written."""

    location: Location
    first_line: int  # the data file line on which the text itself starts
    field: str  # its field path in the file, e.g. sub_goals[2].goal

    def __new__(cls, text: str, location: Location, first_line: int | None = None, field: str = ""):
        obj = super().__new__(cls, text)
        obj.location = location
        obj.first_line = first_line or location.line
        obj.field = field
        return obj

    def __reduce__(self):
        return (Prose, (str(self), self.location, self.first_line, self.field))


@dataclass(frozen=True)
class Origin:
    """Where a model object was written: its file and field path, to point rules at lines."""

    file: str
    path: tuple
    locate_fn: Any = field(repr=False, compare=False)
    locate_key_fn: Any = field(repr=False, compare=False)

    def at(self, *sub) -> Location:
        """Where the value at this path (plus `sub`) is written."""
        return self.locate_fn(self.path + tuple(sub))

    def key_at(self, *sub) -> Location:
        """Where the key naming this path (plus `sub`) is written: right for a mapping."""
        return self.locate_key_fn(self.path + tuple(sub))


_model = dataclass(frozen=True)


def src_field():
    return field(default=None, repr=False, compare=False, metadata={"origin": True})


@dataclass(frozen=True)
class Change:
    """A year-over-year change; the words 增加/减少 come from its sign, never a minus in prose."""

    previous: Decimal
    current: Decimal

    @derived
    def amount(self) -> Decimal:
        return self.current - self.previous

    @property
    def magnitude(self) -> Decimal:
        return abs(self.amount)

    @property
    def direction(self) -> str:
        if self.amount > 0:
            return "增加"
        if self.amount < 0:
            return "减少"
        return "持平"

    @derived
    def percent(self) -> Decimal | None:
        if self.previous == 0:
            return None
        return self.amount / self.previous * 100


@_model
class Unit:
    name: str
    scope: str
    code: str
    city: str
    self_reference: str
    nature: str
    level: str
    funding_form: str

    @property
    def full_name(self) -> str:
        """The name in the title: 廊坊市人民政府办公室本级."""
        return self.name + self.scope


@_model
class Income:
    general_budget: Decimal
    fund_budget: Decimal
    special_account: Decimal
    other: Decimal
    carried_over: Decimal

    @derived
    def total(self) -> Decimal:
        return (
            self.general_budget
            + self.fund_budget
            + self.special_account
            + self.other
            + self.carried_over
        )


@_model
class Expenditure:
    personnel: Decimal
    public_operating: Decimal
    project: Decimal
    project_scope: str
    project_main_uses: str

    @derived
    def basic(self) -> Decimal:
        """基本支出 = 人员类 + 运转类公用."""
        return self.personnel + self.public_operating

    @derived
    def total(self) -> Decimal:
        return self.basic + self.project


@_model
class Budget:
    income: Income
    expenditure: Expenditure
    previous_basic: Decimal
    previous_project: Decimal
    basic_reason: str | None
    project_reason: str | None
    src: Origin | None = src_field()

    @derived
    def previous_total(self) -> Decimal:
        return self.previous_basic + self.previous_project

    @derived
    def basic_change(self) -> Change:
        return Change(self.previous_basic, self.expenditure.basic)

    @derived
    def project_change(self) -> Change:
        return Change(self.previous_project, self.expenditure.project)

    @derived
    def total_change(self) -> Change:
        return Change(self.previous_total, self.expenditure.total)


@_model
class OperatingCosts:
    amount: Decimal
    main_uses: str
    src: Origin | None = src_field()


@_model
class ThreePublicItems:
    overseas: Decimal
    vehicle_purchase: Decimal
    vehicle_operation: Decimal
    reception: Decimal

    @derived
    def vehicles(self) -> Decimal:
        """公务用车购置及运维费."""
        return self.vehicle_purchase + self.vehicle_operation

    @derived
    def total(self) -> Decimal:
        return self.overseas + self.vehicles + self.reception


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


@_model
class ThreePublic:
    current: ThreePublicItems
    previous: ThreePublicItems
    reasons: dict[str, str]
    src: Origin | None = src_field()

    @derived
    def changes(self) -> dict[str, Change]:
        return {
            part: Change(getattr(self.previous, part), getattr(self.current, part))
            for part in THREE_PUBLIC_PARTS
        }


@_model
class SubGoal:
    title: str
    goal: Prose
    indicators: Prose


@_model
class Measure:
    title: str
    text: Prose


@_model
class Performance:
    overall_goal: Prose
    sub_goals: tuple[SubGoal, ...]
    measures: tuple[Measure, ...]


@_model
class Target:
    sign: str | None = None
    value: Decimal | None = None
    unit: str | None = None
    text: str | None = None

    @property
    def is_numeric(self) -> bool:
        return self.value is not None

    @property
    def display(self) -> str:
        """The target as an indicator table prints it: ≥3.4万平方米, 100%, or its words (提升)."""
        if not self.is_numeric:
            return self.text or ""
        return f"{self.sign or ''}{plain_number(self.value)}{self.unit or ''}"


@_model
class Indicator:
    level1: str
    level2: str
    name: str
    description: Prose
    target: Target
    basis: str
    scoring: Prose | None = None
    src: Origin | None = src_field()


@_model
class Project:
    """A project's performance goal table (第二部分 资金绩效目标)."""

    key: str  # the file stem, e.g. 01-office-building
    name: str
    goal: Prose
    indicators: tuple[Indicator, ...]
    src: Origin | None = src_field()


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


FUNDING_COLUMNS = (
    "一般公共预算拨款",
    "基金预算拨款",
    "国有资本经营预算拨款",
    "财政专户核拨",
    "单位资金",
    "财政拨款结转",
    "非财政拨款结转结余",
)


def _funding_totals(items) -> dict[str, Decimal]:
    totals = {column: ZERO for column in FUNDING_COLUMNS}
    for item in items:
        totals[item.funding] += item.amount
    return totals


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
class Procurement:
    projects: tuple[ProcurementProject, ...]
    note: Prose | None
    src: Origin | None = src_field()

    @property
    def items(self) -> tuple[ProcurementItem, ...]:
        return tuple(item for project in self.projects for item in project.items)

    @derived
    def total(self) -> Decimal:
        return sum((p.subtotal for p in self.projects), ZERO)

    @derived
    def funding_totals(self) -> dict[str, Decimal]:
        return _funding_totals(self.items)

    @derived
    def sme_total(self) -> Decimal:
        return sum((item.sme_amount for item in self.items), ZERO)


@_model
class AssetCategory:
    name: str
    unit: str | None
    quantity: Decimal | None
    value: Decimal | None
    of_which: tuple[AssetCategory, ...] = ()


@_model
class Assets:
    categories: tuple[AssetCategory, ...]
    as_of: date

    @derived
    def total(self) -> Decimal:
        return sum((c.value for c in self.categories if c.value is not None), ZERO)


@_model
class Term:
    term: str
    definition: Prose


@_model
class Disclosure:
    """One unit's disclosure for one year."""

    year: int
    unit: Unit
    legal_bases: tuple[str, ...]
    duties: tuple[Prose, ...]
    other_matters: Prose
    budget: Budget
    operating_costs: OperatingCosts
    three_public: ThreePublic
    performance: Performance
    indicators: tuple[Indicator, ...]
    projects: tuple[Project, ...]
    procurement: Procurement
    assets: Assets
    glossary: tuple[Term, ...]

    @property
    def previous_year(self) -> int:
        return self.year - 1

    @property
    def title(self) -> str:
        return f"{self.year}年单位预算信息公开情况说明"

    @derived
    def planned_asset_purchases(self) -> Decimal:
        """本年度拟购置固定资产总额: the goods in the procurement budget."""
        return self.procurement.total


@dataclass(frozen=True)
class PreviousYearFigure:
    """A previous-year figure a year's data holds: where it is written, what it says
    there, and the figure of the previous year's own model it must equal."""

    file: str  # in the year folder
    path: tuple
    label: str
    written: Decimal
    src: Origin | None


def previous_year_figures(model: Disclosure) -> list[PreviousYearFigure]:
    """The previous-year figures written in `model`'s data (its baseline)."""
    budget, three = model.budget, model.three_public
    figures = [
        PreviousYearFigure(
            "budget.yaml", ("previous_year", "basic"), "基本支出", budget.previous_basic, budget.src
        ),
        PreviousYearFigure(
            "budget.yaml",
            ("previous_year", "project"),
            "项目支出",
            budget.previous_project,
            budget.src,
        ),
    ]
    figures += [
        PreviousYearFigure(
            "three-public.yaml", ("previous", part), part, getattr(three.previous, part), three.src
        )
        for part in THREE_PUBLIC_ITEMS
    ]
    return figures


def next_year_baseline(model: Disclosure) -> dict[tuple[str, tuple], Decimal]:
    """What the next year must write as its previous-year figures: (file, path) → figure.
    The one statement of which figure of a year becomes which baseline of the next."""
    baseline = {
        ("budget.yaml", ("previous_year", "basic")): model.budget.expenditure.basic,
        ("budget.yaml", ("previous_year", "project")): model.budget.expenditure.project,
    }
    for part in THREE_PUBLIC_ITEMS:
        baseline[("three-public.yaml", ("previous", part))] = getattr(
            model.three_public.current, part
        )
    return baseline


def derived_names(cls: type) -> list[str]:
    names = []
    for klass in reversed(cls.__mro__):
        for name, attr in vars(klass).items():
            if isinstance(attr, derived) and name not in names:
                names.append(name)
    return names


def to_tree(obj: Any) -> Any:
    """The model as plain data (dicts, lists, Decimal, str), derived figures included."""
    if dataclasses.is_dataclass(obj):
        out = {}
        for f in dataclasses.fields(obj):
            if f.metadata.get("origin"):
                continue
            out[f.name] = to_tree(getattr(obj, f.name))
        for name in derived_names(type(obj)):
            out[name] = to_tree(getattr(obj, name))
        return out
    if isinstance(obj, dict):
        return {k: to_tree(v) for k, v in obj.items()}
    if isinstance(obj, (list, tuple)):
        return [to_tree(v) for v in obj]
    if isinstance(obj, Prose):
        return str(obj)
    if isinstance(obj, date):
        return obj.isoformat()
    return obj
