"""The year's model: the primary facts from the YAML plus every derived figure.

Renderers, `diff` and tests read this model; none of them recomputes a total. A derived
figure is a `@derived` property (or a field marked derived) and is computed one way only.
The parts are in their own modules (lines, model_parts, model_performance); this one holds
the unit, the budget overview, the explanation of the lines and the whole disclosure.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from ..numbers import NotPublished, is_published, money_value
from .base import Change, Origin, Prose, _model, change_from, derived, published_sum, src_field
from .lines import BudgetLines
from .parts import (  # noqa: F401 - the model's names, importable from here
    FUNDING_COLUMNS,
    THREE_PUBLIC_ITEMS,
    THREE_PUBLIC_NAMES,
    THREE_PUBLIC_PARTS,
    AssetCategory,
    Assets,
    FundedProject,
    GoalSetting,
    OperatingCosts,
    Procurement,
    ProcurementItem,
    ProcurementProject,
    ProcurementSummary,
    ThreePublic,
    ThreePublicItems,
)
from .performance import (  # noqa: F401
    AnnualRequest,
    Indicator,
    Measure,
    Performance,
    Project,
    ProjectFunds,
    SubGoal,
    Target,
)

# Sums and products stay exact in Decimal's default 28 digits: the schemas cap amounts at
# 9 999 999 999.99 and quantities at 10^9, so no figure needs more than 21 digits.


def derived_field(**kwargs):
    """A field the compiler fills in (from other files, the units or the previous year):
    exported and diffed as a derived figure, never typed."""
    return field(metadata={"derived": True}, **kwargs)


@_model
class Unit:
    name: str
    code: str
    scope: str = ""
    type: str | None = None  # 行政单位 / 参照公务员法管理的事业单位 / 事业单位; None: a department
    city: str | None = None
    self_reference: str | None = None
    # 简称 (市财政局): printed for 本单位 where the layout says so (options.unit_in_text);
    # left out of the exported model when absent, as most units have none
    short_name: str | None = field(default=None, metadata={"omit_empty": True})
    nature: str | None = None
    level: str | None = None
    funding_form: str | None = None

    @property
    def full_name(self) -> str:
        """The name in the title: 廊坊市人民政府办公室本级."""
        return self.name + self.scope


@_model
class Organisation:
    """机构设置: the units of a department (or a unit's divisions), with counts by type."""

    intro: Prose | None
    headquarters: str | None
    members: tuple[str, ...]
    counts: dict[str, Decimal] = derived_field(default_factory=dict)  # typed, or from units

    @derived
    def subordinates(self) -> int:
        """下属N家: every member but the headquarters itself."""
        return max(len(self.members) - 1, 0)


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
    project_scope: str | None
    project_main_uses: str | None

    @derived
    def basic(self) -> Decimal:
        """基本支出 = 人员类 + 运转类公用."""
        return self.personnel + self.public_operating

    @derived
    def total(self) -> Decimal:
        return self.basic + self.project


@_model
class Budget:
    """The budget overview of the Hebei text (万元): typed, or computed from the lines."""

    income: Income
    expenditure: Expenditure
    # NOT_PUBLISHED (未公开) where a first year's document did not give last year's figure
    previous_basic: Decimal | NotPublished
    previous_project: Decimal | NotPublished
    basic_reason: str | None
    project_reason: str | None
    from_lines: bool = False
    previous_written: bool = True  # False: taken from the previous year's own model
    src: Origin | None = src_field()

    @derived
    def previous_total(self) -> Decimal | NotPublished:
        return published_sum((self.previous_basic, self.previous_project))

    # None where last year's figure is 未公开 (base.change_from)
    @derived
    def basic_change(self) -> Change | None:
        return change_from(self.previous_basic, self.expenditure.basic)

    @derived
    def project_change(self) -> Change | None:
        return change_from(self.previous_project, self.expenditure.project)

    @derived
    def total_change(self) -> Change | None:
        return change_from(self.previous_total, self.expenditure.total)


@_model
class FiscalTotals:
    """财政拨款 by source, in 万元 (last year's: NOT_PUBLISHED where a first year's
    document did not give it)."""

    general_budget: Decimal | NotPublished
    fund_budget: Decimal | NotPublished
    capital_budget: Decimal | NotPublished

    @derived
    def fiscal(self) -> Decimal | NotPublished:
        return published_sum((self.general_budget, self.fund_budget, self.capital_budget))


@_model
class ExplainedItem:
    """One entry of the text's list of fiscal expenditure by 项 (财政拨款支出主要内容)."""

    code: str
    names: tuple[str, str, str]  # 类, 款, 项
    amount: Decimal  # 万元, exact
    # 上年执行数 (previous_outturn) in 万元, as written; NOT_PUBLISHED for 未公开; None where
    # the data does not give it
    previous: Decimal | NotPublished | None
    use: str
    reason: str | NotPublished | None
    src: Origin | None = src_field()
    # the key the data writes it under: previous_outturn, or its former name previous
    previous_key: str = field(
        default="previous_outturn", repr=False, compare=False, metadata={"origin": True}
    )

    @derived
    def change(self) -> Change | None:
        """From last year's figure to this year's as the text prints it (to the fen); None
        without last year's figure (a form that does not print it)."""
        if not is_published(self.previous):
            return None  # never from 0: a figure not published is not a figure
        return Change(self.previous, money_value(self.amount))


@_model
class ExplainedClass:
    """One 类 of the text's explanation by 类 (a city unit's form): its 财政拨款 this year
    and last year, both from the lines (last year's from last year's data in the
    repository; None where that year is not in it)."""

    code: str
    name: str
    amount: Decimal  # 万元, exact
    previous: Decimal | None  # 万元, exact: last year's lines of the same 类 (0 if none)

    @derived
    def change(self) -> Change | None:
        if self.previous is None:
            return None  # last year is not in the repository: no comparison is printed
        return Change(self.previous, self.amount)


@_model
class LineNote:
    """An entry of line-notes.yaml as written (the rules check it against the lines)."""

    code: str
    previous: Decimal | NotPublished | None  # 上年执行数 (previous_outturn)
    use: str | None
    reason: str | NotPublished | None
    src: Origin | None = src_field()
    previous_key: str = field(
        default="previous_outturn", repr=False, compare=False, metadata={"origin": True}
    )


@_model
class Explanation:
    """The budget explanation (预算编制说明) computed from the lines, their notes and the
    previous year: income and fiscal expenditure in 万元 and the list by 项."""

    current: FiscalTotals
    previous: FiscalTotals
    income: dict[str, Decimal]  # 万元 by source key (general, fund, business, …)
    total: Decimal  # 万元: income = expenditure
    items: tuple[ExplainedItem, ...]
    change_reason: str | None
    previous_written: bool = True
    # by 类, where the layout's form explains the budget so (left out of the model otherwise)
    classes: tuple[ExplainedClass, ...] = field(default=(), metadata={"omit_empty": True})
    notes: tuple[LineNote, ...] = field(
        default=(), repr=False, compare=False, metadata={"origin": True}
    )
    src: Origin | None = src_field()

    @derived
    def fiscal_change(self) -> Change | None:
        return change_from(self.previous.fiscal, self.current.fiscal)

    @derived
    def changes(self) -> dict[str, Change | None]:
        return {
            key: change_from(getattr(self.previous, key), getattr(self.current, key))
            for key in ("general_budget", "fund_budget", "capital_budget")
        }


@_model
class Term:
    term: str
    definition: Prose


@dataclass(frozen=True)
class Disclosure:
    """One unit's (or department's) disclosure for one year."""

    year: int
    unit: Unit
    layout: Any = field(repr=False, compare=False, metadata={"origin": True})
    legal_bases: tuple[str, ...] = ()
    duties_intro: Prose | None = None
    duties: tuple[Prose, ...] = ()
    organisation: Organisation | None = None
    other_matters: Prose | None = None
    budget: Budget | None = None
    lines: BudgetLines | None = None
    explanation: Explanation | None = None
    operating_costs: OperatingCosts | None = None
    three_public: ThreePublic | None = None
    performance: Performance | None = None
    goal_setting: GoalSetting | None = None
    indicators: tuple[Indicator, ...] = ()
    projects: tuple[Project, ...] = ()
    procurement: Procurement | None = None
    assets: Assets | None = None
    glossary: tuple[Term, ...] = ()
    project_funding: tuple[FundedProject, ...] = ()
    final: Any = None  # the year's final accounts (model.final.FinalAccounts): data/<year>/final/
    units: tuple[Disclosure, ...] = ()  # a department's units, each a whole disclosure
    slug: str = ""  # a unit within a department: its folder under units/
    files: frozenset = field(
        default=frozenset(), repr=False, compare=False, metadata={"origin": True}
    )

    @property
    def previous_year(self) -> int:
        return self.year - 1

    @property
    def title(self) -> str:
        return self.layout.title_for(self.year)

    @property
    def is_department(self) -> bool:
        return self.layout.kind == "department"

    @derived
    def planned_asset_purchases(self) -> Decimal | None:
        """本年度拟购置固定资产总额: the goods in the procurement budget."""
        return self.procurement.total if self.procurement is not None else None


# The 财政拨款 totals of the explanation by the names the Shanghai tables print.
FISCAL_NAMES = {
    "general_budget": "一般公共预算拨款",
    "fund_budget": "政府性基金预算拨款",
    "capital_budget": "国有资本经营预算拨款",
}


@dataclass(frozen=True)
class PreviousYearFigure:
    """A previous-year figure a year's data holds: where it is written, what it says
    there, and the figure of the previous year's own model it must equal."""

    file: str  # in the year folder
    path: tuple
    label: str  # the figure's name in the finance office's words (公务接待费)
    written: Decimal
    src: Origin | None


def previous_year_figures(model: Disclosure) -> list[PreviousYearFigure]:
    """The previous-year figures written in `model`'s data (its baseline)."""
    figures = []
    budget, three, explanation = model.budget, model.three_public, model.explanation
    if budget is not None and budget.previous_written:
        for key, label, value in (
            ("basic", "基本支出", budget.previous_basic),
            ("project", "项目支出", budget.previous_project),
        ):
            figures.append(
                PreviousYearFigure("budget.yaml", ("previous_year", key), label, value, budget.src)
            )
    if three is not None and three.previous_written:
        figures += [
            PreviousYearFigure(
                "three-public.yaml",
                ("previous", part),
                THREE_PUBLIC_NAMES[part],
                getattr(three.previous, part),
                three.src,
            )
            for part in THREE_PUBLIC_ITEMS
        ]
    if explanation is not None and explanation.previous_written:
        figures += [
            PreviousYearFigure(
                "line-notes.yaml",
                ("previous_year", key),
                FISCAL_NAMES[key],
                getattr(explanation.previous, key),
                explanation.src,
            )
            for key in ("general_budget", "fund_budget", "capital_budget")
        ]
    return figures


def next_year_baseline(model: Disclosure) -> dict[tuple[str, tuple], Decimal]:
    """What the next year would write as its previous-year figures: (file, path) → figure.
    The one statement of which figure of a year becomes which baseline of the next."""
    baseline: dict[tuple[str, tuple], Decimal] = {}
    if model.budget is not None:
        baseline[("budget.yaml", ("previous_year", "basic"))] = model.budget.expenditure.basic
        baseline[("budget.yaml", ("previous_year", "project"))] = model.budget.expenditure.project
    if model.three_public is not None:
        for part in THREE_PUBLIC_ITEMS:
            baseline[("three-public.yaml", ("previous", part))] = getattr(
                model.three_public.current, part
            )
    if model.explanation is not None:
        for key in ("general_budget", "fund_budget", "capital_budget"):
            baseline[("line-notes.yaml", ("previous_year", key))] = getattr(
                model.explanation.current, key
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
            if f.metadata.get("omit_empty") and not getattr(obj, f.name):
                continue  # an optional part most years leave out
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
