"""Consistency rules beyond the schema. Each is a small function: model → diagnostics.

A rule looks only at the parts it is about and says nothing when a part is absent (which
parts a year must have is the layout's business, see completeness.py).
"""

from __future__ import annotations

from collections.abc import Callable

from ..diagnostics import Diagnostic, Location
from ..i18n import _
from ..input.loader import dotted
from ..model.disclosure import Disclosure, next_year_baseline, previous_year_figures
from ..model.lines import FISCAL, SOURCE_KEYS
from ..numbers import is_published, money
from . import (
    arithmetic,
    plausibility,
    rules_lines,
    rules_split,
    rules_whole,
    slips,
    unprinted,
    unpublished,
)

Rule = Callable[[Disclosure], list[Diagnostic]]


def income_equals_expenditure(m: Disclosure) -> list[Diagnostic]:
    b = m.budget
    if b is None or b.from_lines or b.src is None or m.units:
        return []  # from lines (or the units) income is expenditure by construction
    income, spending = b.income.total, b.expenditure.total
    if income == spending:
        return []
    return [
        Diagnostic(
            b.src.key_at("income"),
            _(
                "income totals {income} 万元 but expenditure totals {expenditure} 万元; "
                "they must be equal (difference {difference})"
            ).format(
                income=money(income),
                expenditure=money(spending),
                difference=money(income - spending),
            ),
            field="income",
        )
    ]


def procurement_within_project_budget(m: Disclosure) -> list[Diagnostic]:
    if m.procurement is None:
        return []
    problems = []
    for i, project in enumerate(m.procurement.projects):
        if project.src is not None and project.subtotal > project.budget:
            problems.append(
                Diagnostic(
                    project.src.at("budget"),
                    _(
                        "the items of '{project}' come to {subtotal} 万元, "
                        "more than its budget of {budget} 万元"
                    ).format(
                        project=project.name,
                        subtotal=money(project.subtotal),
                        budget=money(project.budget),
                    ),
                    field=f"projects[{i}].budget",
                )
            )
    return problems


def procurement_reserves_within_total(m: Disclosure) -> list[Diagnostic]:
    """预留给小微企业 ≤ 预留给中小企业 ≤ 政府采购预算."""
    p = m.procurement
    if p is None or p.summary is None or p.src is None:
        return []
    s, problems = p.summary, []
    if s.sme_reserved is not None and s.sme_reserved > p.total:
        problems.append(
            Diagnostic(
                p.src.at("summary", "sme_reserved"),
                _(
                    "the amount reserved for SMEs ({reserved} 万元) is more than the "
                    "whole procurement budget ({total} 万元)"
                ).format(reserved=money(s.sme_reserved), total=money(p.total)),
                field="summary.sme_reserved",
            )
        )
    if s.small_micro_reserved is not None and s.small_micro_reserved > (s.sme_reserved or 0):
        problems.append(
            Diagnostic(
                p.src.at("summary", "small_micro_reserved"),
                _(
                    "the amount reserved for small and micro enterprises ({reserved} 万元) "
                    "is part of the SME reserve ({sme} 万元) and cannot exceed it"
                ).format(reserved=money(s.small_micro_reserved), sme=money(s.sme_reserved or 0)),
                field="summary.small_micro_reserved",
            )
        )
    return problems


def operating_costs_equal_public_operating(m: Disclosure) -> list[Diagnostic]:
    """Hebei: 机关运行经费 is the 运转类公用 part of 基本支出, both typed."""
    costs, budget = m.operating_costs, m.budget
    if costs is None or budget is None or costs.computed or budget.from_lines or m.units:
        return []
    public = budget.expenditure.public_operating
    if costs.amount == public:
        return []
    return [
        Diagnostic(
            costs.src.at("amount"),
            _(
                "机关运行经费 is {amount} 万元 but the 运转类公用 part of 基本支出 "
                "(budget.yaml expenditure.public_operating) is {public} 万元; "
                "they must be equal"
            ).format(amount=money(costs.amount), public=money(public)),
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
            if row.level2 not in allowed and row.src is not None:
                problems.append(
                    Diagnostic(
                        row.src.at("level2"),
                        _(
                            "二级指标 {level2} does not belong under 一级指标 {level1}; "
                            "expected one of {allowed}"
                        ).format(
                            level2=row.level2, level1=row.level1, allowed="、".join(sorted(allowed))
                        ),
                        field=f"indicators[{i}].level2",
                    )
                )
    return problems


def unique_names(m: Disclosure) -> list[Diagnostic]:
    if m.units:
        return []  # each unit's names are checked in the unit; units may share a name
    problems = []
    seen: dict[str, str] = {}
    for project in m.projects:
        if project.src is None:
            continue
        if project.name in seen:
            problems.append(
                Diagnostic(
                    project.src.at("name"),
                    _("project '{project}' already has a table in {file}").format(
                        project=project.name, file=seen[project.name]
                    ),
                    field="name",
                )
            )
        seen.setdefault(project.name, project.src.file)
    names: set[str] = set()
    for i, p in enumerate(m.procurement.projects if m.procurement else ()):
        if p.name in names and p.src is not None:
            problems.append(
                Diagnostic(
                    p.src.at("name"),
                    _(
                        "procurement source project '{project}' is listed twice; "
                        "put its items together"
                    ).format(project=p.name),
                    field=f"projects[{i}].name",
                )
            )
        names.add(p.name)
    return problems


def procurement_projects_have_tables(m: Disclosure) -> list[Diagnostic]:
    """Each procurement source project is one of the year's projects: where the year has
    performance tables (or funding notes), a name that is none of them is a project that
    does not exist (a typing slip, or a project of another year)."""
    known = [p.name for p in m.projects] + [p.name for p in m.project_funding]
    if not known or m.procurement is None:
        return []
    from difflib import get_close_matches

    problems = []
    for i, p in enumerate(m.procurement.projects):
        if p.name in known or p.src is None:
            continue
        near = get_close_matches(p.name, known, n=1, cutoff=0.5)
        message = _(
            "procurement source project '{project}' is none of the year's projects (their "
            "performance tables in projects/): write its name as its table does"
        ).format(project=p.name)
        if near:
            message += _("; the nearest is '{near}'").format(near=near[0])
        problems.append(Diagnostic(p.src.at("name"), message, field=f"projects[{i}].name"))
    return problems


def organisation_counts_add_up(m: Disclosure) -> list[Diagnostic]:
    """本部门中，行政单位1家，参公单位1家，事业单位4家 must count the units listed."""
    o = m.organisation
    if o is None or not o.counts or m.units or not o.members:
        return []
    total = sum(o.counts.values())
    if total == len(o.members):
        return []
    counted = "、".join(f"{k}{v}家" for k, v in o.counts.items())
    return [
        Diagnostic(
            Location(_unit_file(m)),
            _(
                "organisation.counts add up to {total} ({counted}) but organisation.members "
                "lists {members} units; they must agree"
            ).format(total=total, counted=counted, members=len(o.members)),
            field="organisation.counts",
        )
    ]


def of_which_within_its_category(m: Disclosure) -> list[Diagnostic]:
    """其中 is part of its category: 办公用房 worth more than all 房屋 is a slip."""
    a = m.assets
    if a is None or a.src is None:
        return []
    problems: list[Diagnostic] = []

    def visit(categories, path: tuple) -> None:
        for i, category in enumerate(categories):
            here = (*path, i)
            for j, part in enumerate(category.of_which):
                if None not in (part.value, category.value) and part.value > category.value:
                    problems.append(
                        Diagnostic(
                            a.src.at(*here, "of_which", j, "value"),
                            _(
                                "{part} ({part_value} 万元) is listed under 其中 of {name}, but "
                                "is worth more than all of {name} ({value} 万元)"
                            ).format(
                                part=part.name,
                                part_value=money(part.value),
                                name=category.name,
                                value=money(category.value),
                            ),
                            field=dotted((*here, "of_which", j, "value")),
                        )
                    )
            visit(category.parts, (*here, "parts"))
            visit(category.of_which, (*here, "of_which"))

    for key in ("categories", "planned"):
        visit(getattr(a, key, ()) or (), (key,))
    return problems


def _unit_file(m: Disclosure) -> str:
    return next(
        (line.src.file.rsplit("/", 1)[0] + "/unit.yaml" for line in _all_lines(m) if line.src),
        "unit.yaml",
    )


def _all_lines(m: Disclosure):
    if m.lines is None:
        return ()
    return (*m.lines.function, *m.lines.economic)


RULES: tuple[Rule, ...] = (
    income_equals_expenditure,
    procurement_within_project_budget,
    procurement_reserves_within_total,
    operating_costs_equal_public_operating,
    indicator_levels_match,
    unique_names,
    procurement_projects_have_tables,
    organisation_counts_add_up,
    of_which_within_its_category,
    *rules_lines.RULES,
    *rules_split.RULES,
    *rules_whole.RULES,
    *slips.RULES,
    *plausibility.RULES,
    *arithmetic.RULES,
    *unpublished.RULES,
    *unprinted.RULES,
)


def previous_year_agrees(m: Disclosure, prev: Disclosure, prev_label: str) -> list[Diagnostic]:
    """上年预算 typed in a year whose previous year is in the repository: an error, equal or
    not — the figure is that year's own, computed from its data (issue 24 part 1). One
    message per place (budget.yaml previous_year, three-public.yaml previous, line-notes.yaml
    previous_year), naming each figure as that year gives it and those typed otherwise."""
    expected = next_year_baseline(prev)
    places: dict[tuple[str, str], list] = {}
    for figure in previous_year_figures(m):
        places.setdefault((figure.file, figure.path[0]), []).append(figure)
    problems = []
    for (_file, key), figures in places.items():
        listed, differing = [], []
        for figure in figures:
            actual = expected.get((figure.file, figure.path))
            if actual is None:
                continue
            listed.append(f"{figure.label} {money(actual)}")
            # compared as printed: 15621.11 typed for a year whose lines give 15621.1123
            # (or typed 未公开, which is no figure)
            written = figure.written
            typed = money(written) if is_published(written) else str(written)
            if typed != money(actual):
                differing.append(
                    _("{figure} is typed as {written}").format(figure=figure.label, written=typed)
                )
        if not listed:
            continue
        problems.append(
            Diagnostic(
                figures[0].src.at(key),
                _(
                    "{key} is the budget of {year}, which is in the repository ({where}: "
                    "{figures} 万元): it is computed from there and may not be typed here; "
                    "delete {key}"
                ).format(key=key, year=prev.year, where=prev_label, figures=", ".join(listed))
                + (
                    _(" (it also disagrees: {differing})").format(differing="; ".join(differing))
                    if differing
                    else ""
                ),
                field=key,
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
        problems += slips.against_previous_year(model, previous)
    return problems


__all__ = ["RULES", "check", "FISCAL", "SOURCE_KEYS"]
