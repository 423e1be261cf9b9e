"""Consistency rules beyond the schema. Each is a small function: model → diagnostics."""

from __future__ import annotations

from collections.abc import Callable

from .diagnostics import Diagnostic
from .model import Disclosure, next_year_baseline, previous_year_figures
from .numbers import money

Rule = Callable[[Disclosure], list[Diagnostic]]


def income_equals_expenditure(m: Disclosure) -> list[Diagnostic]:
    income, spending = m.budget.income.total, m.budget.expenditure.total
    if income == spending:
        return []
    return [
        Diagnostic(
            m.budget.src.key_at("income"),
            f"income totals {money(income)} 万元 but expenditure totals {money(spending)} 万元; "
            f"they must be equal (difference {money(income - spending)})",
            field="income",
        )
    ]


def procurement_within_project_budget(m: Disclosure) -> list[Diagnostic]:
    problems = []
    for i, project in enumerate(m.procurement.projects):
        if project.subtotal > project.budget:
            problems.append(
                Diagnostic(
                    project.src.at("budget"),
                    f"the items of '{project.name}' come to {money(project.subtotal)} 万元, "
                    f"more than its budget of {money(project.budget)} 万元",
                    field=f"projects[{i}].budget",
                )
            )
    return problems


def operating_costs_equal_public_operating(m: Disclosure) -> list[Diagnostic]:
    costs, public = m.operating_costs.amount, m.budget.expenditure.public_operating
    if costs == public:
        return []
    return [
        Diagnostic(
            m.operating_costs.src.at("amount"),
            f"机关运行经费 is {money(costs)} 万元 but the 运转类公用 part of 基本支出 "
            f"(budget.yaml expenditure.public_operating) is {money(public)} 万元; "
            "they must be equal",
            field="amount",
        )
    ]


_PROJECT_LEVELS = {
    "产出指标": {"数量指标", "质量指标", "时效指标", "成本指标"},
    "效益指标": {"经济效益指标", "社会效益指标", "生态效益指标", "可持续影响指标"},
    "满意度指标": {"服务对象满意度指标"},
}


def indicator_levels_match(m: Disclosure) -> list[Diagnostic]:
    problems = []
    for project in m.projects:
        for i, row in enumerate(project.indicators):
            allowed = _PROJECT_LEVELS[row.level1]
            if row.level2 not in allowed:
                problems.append(
                    Diagnostic(
                        row.src.at("level2"),
                        f"二级指标 {row.level2} does not belong under 一级指标 {row.level1}; "
                        f"expected one of {'、'.join(sorted(allowed))}",
                        field=f"indicators[{i}].level2",
                    )
                )
    return problems


def unique_names(m: Disclosure) -> list[Diagnostic]:
    problems = []
    seen: dict[str, str] = {}
    for project in m.projects:
        if project.name in seen:
            problems.append(
                Diagnostic(
                    project.src.at("name"),
                    f"project '{project.name}' already has a table in {seen[project.name]}",
                    field="name",
                )
            )
        seen.setdefault(project.name, project.src.file)
    names: set[str] = set()
    for i, p in enumerate(m.procurement.projects):
        if p.name in names:
            problems.append(
                Diagnostic(
                    p.src.at("name"),
                    f"procurement source project '{p.name}' is listed twice; "
                    "put its items together",
                    field=f"projects[{i}].name",
                )
            )
        names.add(p.name)
    return problems


def procurement_projects_have_tables(m: Disclosure) -> list[Diagnostic]:
    tables = {p.name for p in m.projects}
    if not tables:
        return []
    return [
        Diagnostic(
            p.src.at("name"),
            f"procurement source project '{p.name}' has no performance table in projects/",
            field=f"projects[{i}].name",
            severity="warning",
        )
        for i, p in enumerate(m.procurement.projects)
        if p.name not in tables
    ]


RULES: tuple[Rule, ...] = (
    income_equals_expenditure,
    procurement_within_project_budget,
    operating_costs_equal_public_operating,
    indicator_levels_match,
    unique_names,
    procurement_projects_have_tables,
)


def previous_year_agrees(m: Disclosure, prev: Disclosure, prev_label: str) -> list[Diagnostic]:
    """Previous-year figures written in this year must equal that year's own figures."""
    expected = next_year_baseline(prev)
    problems = []
    for figure in previous_year_figures(m):
        actual = expected[(figure.file, figure.path)]
        if figure.written != actual:
            problems.append(
                Diagnostic(
                    figure.src.at(*figure.path),
                    f"{figure.label} of {prev.year} is written here as {money(figure.written)} "
                    f"万元, but {prev_label} budgets {money(actual)} 万元",
                    field=".".join(figure.path),
                )
            )
    return problems


def check(
    model: Disclosure, previous: Disclosure | None = None, previous_label: str = ""
) -> list[Diagnostic]:
    problems: list[Diagnostic] = []
    for rule in RULES:
        problems += rule(model)
    if previous is not None:
        problems += previous_year_agrees(model, previous, previous_label or str(previous.year))
    return problems
