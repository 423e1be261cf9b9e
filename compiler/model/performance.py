"""Model parts of performance budgeting: unit-wide goals, indicators and the project
performance tables (绩效目标表)."""

from __future__ import annotations

from decimal import Decimal

from ..numbers import plain_number
from .base import Origin, Prose, _model, derived, src_field


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

    @property
    def display_bracketed(self) -> str:
        """The Shanghai form: ≥13459.00(平方米), =100.00(%)."""
        if not self.is_numeric:
            return self.text or ""
        unit = f"({self.unit})" if self.unit else ""
        return f"{self.sign or ''}{plain_number(self.value)}{unit}"


@_model
class Indicator:
    level1: str
    level2: str
    name: str
    description: Prose | None
    target: Target
    basis: str | None
    scoring: Prose | None = None
    src: Origin | None = src_field()


@_model
class ProjectFunds:
    """项目资金 (元): 财政资金 and 其他资金; the total is computed."""

    fiscal: Decimal
    other: Decimal

    @derived
    def total(self) -> Decimal:
        return self.fiscal + self.other


@_model
class AnnualRequest:
    """年度资金申请 (元): 当年财政拨款, 上年结转资金, 其他资金; the total is computed."""

    current_fiscal: Decimal
    carried_over: Decimal
    other: Decimal

    @derived
    def total(self) -> Decimal:
        return self.current_fiscal + self.carried_over + self.other


@_model
class Project:
    """A project's performance goal table (Hebei: 资金绩效目标; Shanghai:
    财政项目支出绩效目标填报表)."""

    key: str  # the file stem, e.g. 01-office-building
    name: str
    goal: Prose | None
    indicators: tuple[Indicator, ...]
    nature: str | None = None
    category: str | None = None
    department: str | None = None
    implementer: str | None = None
    start: str | None = None
    end: str | None = None
    funds: ProjectFunds | None = None
    annual: AnnualRequest | None = None
    overall_goal: Prose | None = None
    annual_goal: Prose | None = None
    src: Origin | None = src_field()
