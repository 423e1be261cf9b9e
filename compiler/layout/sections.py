"""Which sections of the layout a disclosure shows, numbers, or replaces by a statement.

A section is shown; or empty (it does not apply to the unit's type, or its `empty_if`
holds), and then the layout's statement is printed instead (本单位无机关运行经费。) or, when
the layout has none, the section is left out and not numbered. The same plan drives the
templates and the completeness check, so what validate reports is what the document shows.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass
from functools import lru_cache

from ..i18n import _
from .placeholders import TEXT, PlaceholderError, fill_in
from .specs import ConditionError, Layout, LayoutError, SectionSpec, TableSpec
from .wording import TextStyle


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
def _expression(source: str) -> ast.Expression:
    """A layout's `empty_if`, parsed: Python's own expression grammar, of which only
    `m.attribute` paths, `not`/`and`/`or`, comparisons with `==`, `!=`, `is (not) None`
    and constants are allowed (checked here, so evaluating it can do nothing else)."""
    tree = ast.parse(
        source.replace(" is none", " is None").replace(" is not none", " is not None"), mode="eval"
    )
    for node in ast.walk(tree):
        if (
            not isinstance(node, _ALLOWED)
            or (isinstance(node, ast.Attribute) and node.attr.startswith("_"))
            or (isinstance(node, ast.Name) and node.id != "m")
        ):
            raise ValueError(
                _("{node} is not allowed in empty_if").format(node=type(node).__name__)
            )
    return tree


def check_expression(source: str) -> None:
    """Raise (SyntaxError or ValueError) unless `source` is an `empty_if` a layout may use."""
    _expression(source)


_ALLOWED = (
    ast.Expression, ast.BoolOp, ast.And, ast.Or, ast.UnaryOp, ast.Not, ast.Compare, ast.Eq,
    ast.NotEq, ast.Is, ast.IsNot, ast.Attribute, ast.Name, ast.Load, ast.Constant,
)  # fmt: skip


def _evaluate(node, model):
    if isinstance(node, ast.Expression):
        return _evaluate(node.body, model)
    if isinstance(node, ast.BoolOp):
        values = (_evaluate(v, model) for v in node.values)
        return all(values) if isinstance(node.op, ast.And) else any(values)
    if isinstance(node, ast.UnaryOp):
        return not _evaluate(node.operand, model)
    if isinstance(node, ast.Compare):
        left = _evaluate(node.left, model)
        for op, right_node in zip(node.ops, node.comparators, strict=True):
            right = _evaluate(right_node, model)
            ok = {
                ast.Eq: lambda a, b: a == b,
                ast.NotEq: lambda a, b: a != b,
                ast.Is: lambda a, b: a is b,
                ast.IsNot: lambda a, b: a is not b,
            }[type(op)](left, right)
            if not ok:
                return False
            left = right
        return True
    if isinstance(node, ast.Attribute):
        owner = _evaluate(node.value, model)
        return getattr(owner, node.attr)
    if isinstance(node, ast.Name):
        return model
    return node.value  # ast.Constant


def evaluate(layout: Layout, source: str, model, section: str = "") -> bool:
    try:
        return bool(_evaluate(_expression(source), model))
    except Exception as e:  # a layout bug: name it, with the expression (and, in a
        # project's layout, where it is written)
        raise ConditionError(
            _("layout '{layout}': cannot evaluate {expression}: {error}").format(
                layout=layout.name, expression=repr(source), error=e
            ),
            layout.conditions.get(section),
        ) from e


def fill(text: str, model) -> str:
    """A layout's statement or title with {year}, {previous_year}, {unit}, {unit_ref} and
    {self_name} filled in (only these, by name: see placeholders)."""
    style = TextStyle.of(model.layout)
    try:
        return fill_in(
            text,
            TEXT,
            year=model.year,
            previous_year=model.year - 1,
            unit=model.unit.name,
            unit_ref=style.unit_reference(model.unit),
            self_name=style.self_name,
        )
    except PlaceholderError as e:
        raise LayoutError(
            _("bad placeholder in {text}: {error}").format(text=repr(text), error=e)
        ) from e


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
            spec.empty_if is not None and evaluate(layout, spec.empty_if, model, spec.id)
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
