"""The pieces every part of the model is made of: derived figures, located prose, where a
model object was written, and a year-over-year change."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from ..diagnostics import Location
from ..numbers import NOT_PUBLISHED, ZERO, NotPublished, is_published, money_value, rounded


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
    """A year-over-year change as the text prints it; the words 增加/减少 come from its
    sign, never a minus in prose.

    The one arithmetic a reader can check (docs/data-format.md): the text prints each
    figure in 万元 rounded once, and its differences and percentages are computed from the
    figures as printed (18976.76 − 15621.11 = 3355.65), not from the exact 元 (which may
    round to 3355.64: `exact_amount`, which validate mentions where it differs)."""

    previous: Decimal  # exact, as the model holds it
    current: Decimal

    @property
    def printed_previous(self) -> Decimal:
        return money_value(self.previous)

    @property
    def printed_current(self) -> Decimal:
        return money_value(self.current)

    @derived
    def amount(self) -> Decimal:
        return self.printed_current - self.printed_previous

    def amount_at(self, places: int) -> Decimal:
        """The difference of the figures as a text printing `places` decimals prints them
        (0: whole 万元, 1234 − 1222 = 12), by the same rule as `amount`."""
        return rounded(self.current, places) - rounded(self.previous, places)

    @property
    def exact_amount(self) -> Decimal:
        """The difference of the exact figures (in 元, for figures from the lines)."""
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
        if self.printed_previous == 0:
            return None
        return self.amount / self.printed_previous * 100


def published_sum(values) -> Decimal | NotPublished:
    """A sum of figures of which some may be not published (未公开): then the sum is not
    published either, never a sum with a 0 in its place."""
    values = tuple(values)
    if any(not is_published(v) for v in values):
        return NOT_PUBLISHED
    return sum(values, ZERO)


def change_from(previous: Decimal | NotPublished, current: Decimal) -> Change | None:
    """The change from last year's figure; None where that figure is not published
    (未公开): no change is computed from a figure the document did not give."""
    return Change(previous, current) if is_published(previous) else None
