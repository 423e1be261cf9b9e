"""The 三公 预算数 of an imported 决算 workbook against the year's budget.

The 预算数 a 决算 workbook prints are the year's 年初预算, not outturn. Where the repository
holds the year's budget, the final accounts take them from it (pipeline.final), so the
workbook's must agree with it: each that does not is an error naming both figures. Where it
does not (a first year), they are kept once as published, in final/initial-budget.yaml.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

from ..diagnostics import Diagnostic
from ..i18n import _
from ..input.sources import WorkingTreeYear
from ..model.final import budget_three_public
from .final_import import THREE_PUBLIC, ImportedFinal
from .import_tables import FIGURE_WORDS, problem

WAN = Decimal(10000)


def year_budget(data_dir: Path, year: int) -> tuple[bool, object | None, list[Diagnostic]]:
    """Whether the repository holds the year's budget, its model (None when it has errors)
    and the problem that says so."""
    from ..pipeline.year import compile_year  # only when a budget is there to compile

    source = WorkingTreeYear(data_dir, year)
    if not source.exists() or not source.files():
        return False, None, []
    result = compile_year(source)
    if result.ok:
        return True, result.model, []
    return (
        True,
        None,
        [
            problem(
                source.where,
                _(
                    "the final accounts take their 年初预算 from this year's budget, and the "
                    "budget has errors; run `disclosure validate {year}` and correct them"
                ).format(year=year),
            )
        ],
    )


def against_budget(imported: ImportedFinal, budget, where: str) -> list[Diagnostic]:
    """Each 三公 预算数 of the workbook against the budget's (万元); a budget that publishes
    no 三公 figures cannot be set against non-zero ones."""
    shown = imported.three_public_budget
    if shown is None:
        return []
    scale = Decimal(1) if imported.amount_unit == "万元" else 1 / WAN
    expected = budget_three_public(budget)
    problems = []
    for key in THREE_PUBLIC:
        figure = shown[key]
        value = figure.value * scale
        if expected is None:
            if value:
                problems.append(
                    problem(
                        figure.cell,
                        _(
                            "{item} 预算数 is {amount} 万元, but this year's budget ({file}) "
                            "publishes no “三公” figures: add them to the budget, which the "
                            "年初预算 of the final accounts come from"
                        ).format(item=FIGURE_WORDS[key], amount=value, file=where),
                    )
                )
        elif value != expected[key]:
            problems.append(
                problem(
                    figure.cell,
                    _(
                        "{item} 预算数 is {amount} 万元, but this year's budget ({file}) gives "
                        "{budget} 万元: the 年初预算 comes from the budget; correct the "
                        "workbook or the budget"
                    ).format(
                        item=FIGURE_WORDS[key],
                        amount=value,
                        file=where,
                        budget=expected[key],
                    ),
                )
            )
    return problems
