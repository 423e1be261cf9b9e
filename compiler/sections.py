"""Which sections of the layout a disclosure shows, numbers, or replaces by a statement.

A section is shown; or empty (it does not apply to the unit's type, or its `empty_if`
holds), and then the layout's statement is printed instead (本单位无机关运行经费。) or, when
the layout has none, the section is left out and not numbered. The same plan drives the
templates and the completeness check, so what validate reports is what the document shows.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from .layouts import Layout, LayoutError, SectionSpec, TableSpec


@dataclass(frozen=True)
class PlannedSection:
    spec: SectionSpec
    number: int  # 0 when left out
    state: str  # shown, empty (the statement is printed) or omitted
    statement: str | None = None
    heading: str = ""  # with {year} and {unit} filled in
    title: str = ""  # the heading above the section's page, where the layout has one
    children: tuple[PlannedSection, ...] = ()

    @property
    def id(self) -> str:
        return self.spec.id

    @property
    def shown(self) -> bool:
        return self.state == "shown"


@lru_cache(maxsize=64)
def _expression(source: str):
    from jinja2 import StrictUndefined
    from jinja2.sandbox import ImmutableSandboxedEnvironment

    env = ImmutableSandboxedEnvironment(undefined=StrictUndefined)
    return env.compile_expression(source)


def evaluate(layout: Layout, source: str, model) -> bool:
    try:
        return bool(_expression(source)(m=model))
    except Exception as e:  # a layout bug: name it, with the expression
        raise LayoutError(f"layout '{layout.name}': cannot evaluate {source!r}: {e}") from e


def fill(text: str, model) -> str:
    """A layout's statement or title with {year}, {previous_year} and {unit} filled in."""
    try:
        return text.format(year=model.year, previous_year=model.year - 1, unit=model.unit.name)
    except (KeyError, IndexError, ValueError) as e:
        raise LayoutError(f"bad placeholder in {text!r}: {e}") from e


def applies(spec: SectionSpec, model) -> bool:
    return model.is_department or model.unit.type in spec.applies_to


def plan(model) -> list[PlannedSection]:
    return _plan(model.layout.sections, model)


def _plan(specs, model) -> list[PlannedSection]:
    layout: Layout = model.layout
    planned = []
    number = 0
    for spec in specs:
        empty = not applies(spec, model) or (
            spec.empty_if is not None and evaluate(layout, spec.empty_if, model)
        )
        texts = {
            "heading": fill(spec.heading, model),
            "title": fill(spec.title or spec.heading, model),
        }
        if not empty:
            number += 1
            children = tuple(_plan(spec.subsections, model))
            planned.append(PlannedSection(spec, number, "shown", children=children, **texts))
        elif spec.when_empty:
            number += 1
            statement = fill(spec.when_empty, model)
            planned.append(PlannedSection(spec, number, "empty", statement, **texts))
        else:
            planned.append(PlannedSection(spec, 0, "omitted", **texts))
    return planned


def walk(planned: list[PlannedSection]):
    for section in planned:
        yield section
        yield from walk(list(section.children))


def shown_tables(model) -> list[TableSpec]:
    """The statutory tables the document prints, in order."""
    tables = []
    for section in walk(plan(model)):
        if section.shown:
            tables += [model.layout.tables[t] for t in section.spec.tables]
    return tables
