"""Consistency rules beyond the schema. Each is a small function: model → diagnostics.

A rule looks only at the parts it is about and says nothing when a part is absent (which
parts a year must have is the layout's business, see completeness.py).
"""

from __future__ import annotations

from collections.abc import Callable

from .diagnostics import Diagnostic, Location
from .lines import FISCAL, SOURCE_KEYS
from .model import Disclosure, next_year_baseline, previous_year_figures
from .numbers import money, money_value

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
            f"income totals {money(income)} 万元 but expenditure totals {money(spending)} 万元; "
            f"they must be equal (difference {money(income - spending)})",
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
                    f"the items of '{project.name}' come to {money(project.subtotal)} 万元, "
                    f"more than its budget of {money(project.budget)} 万元",
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
                f"the amount reserved for SMEs ({money(s.sme_reserved)} 万元) is more than the "
                f"whole procurement budget ({money(p.total)} 万元)",
                field="summary.sme_reserved",
            )
        )
    if s.small_micro_reserved is not None and s.small_micro_reserved > (s.sme_reserved or 0):
        problems.append(
            Diagnostic(
                p.src.at("summary", "small_micro_reserved"),
                f"the amount reserved for small and micro enterprises "
                f"({money(s.small_micro_reserved)} 万元) is part of the SME reserve "
                f"({money(s.sme_reserved or 0)} 万元) and cannot exceed it",
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
            f"机关运行经费 is {money(costs.amount)} 万元 but the 运转类公用 part of 基本支出 "
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
            if row.level2 not in allowed and row.src is not None:
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
                    f"project '{project.name}' already has a table in {seen[project.name]}",
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
                    f"procurement source project '{p.name}' is listed twice; "
                    "put its items together",
                    field=f"projects[{i}].name",
                )
            )
        names.add(p.name)
    return problems


def procurement_projects_have_tables(m: Disclosure) -> list[Diagnostic]:
    tables = {p.name for p in m.projects}
    if not tables or m.procurement is None:
        return []
    return [
        Diagnostic(
            p.src.at("name"),
            f"procurement source project '{p.name}' has no performance table in projects/",
            field=f"projects[{i}].name",
            severity="warning",
        )
        for i, p in enumerate(m.procurement.projects)
        if p.name not in tables and p.src is not None
    ]


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
            f"organisation.counts add up to {total} ({counted}) but organisation.members "
            f"lists {len(o.members)} units; they must agree",
            field="organisation.counts",
        )
    ]


def _unit_file(m: Disclosure) -> str:
    return next(
        (line.src.file.rsplit("/", 1)[0] + "/unit.yaml" for line in _all_lines(m) if line.src),
        "unit.yaml",
    )


def _all_lines(m: Disclosure):
    if m.lines is None:
        return ()
    return (*m.lines.function, *m.lines.economic)


# Budget lines -----------------------------------------------------------------------------


def line_codes_in_catalogue(m: Disclosure) -> list[Diagnostic]:
    """Every code is a 项 (function) or 款 (economic) of the year's catalogue."""
    lines = m.lines
    if lines is None or lines.catalogue is None:
        return []
    catalogue = lines.catalogue
    problems = []
    for kind, rows, level in (
        ("function", lines.function, "项"),
        ("economic", lines.economic, "款"),
    ):
        for i, line in enumerate(rows):
            if line.src is None or catalogue.has(kind, line.code):
                continue
            near = "; ".join(f"{c} {n}" for c, n in catalogue.suggest(kind, line.code))
            words = "支出功能分类" if kind == "function" else "部门预算支出经济分类"
            problems.append(
                Diagnostic(
                    line.src.at("code"),
                    f"{line.code} is not a {level} code of the {catalogue.year} {words} "
                    f"catalogue" + (f"; nearest valid codes: {near}" if near else ""),
                    field=f"{kind}[{i}].code",
                )
            )
    return problems


def lines_unique(m: Disclosure) -> list[Diagnostic]:
    """A code appears once per source of funds, so no amount is counted twice."""
    if m.lines is None:
        return []
    problems = []
    for kind, rows in (("function", m.lines.function), ("economic", m.lines.economic)):
        first: dict[tuple, int] = {}
        for i, line in enumerate(rows):
            if line.src is None:
                continue
            if line.key in first:
                problems.append(
                    Diagnostic(
                        line.src.at("code"),
                        f"{line.code} ({line.source}) is already on line "
                        f"{rows[first[line.key]].src.at('code').line}; add the amounts into "
                        "one entry",
                        field=f"{kind}[{i}].code",
                    )
                )
            first.setdefault(line.key, i)
    return problems


def function_and_economic_agree(m: Disclosure) -> list[Diagnostic]:
    """The two views of basic expenditure give the same 人员经费 and 公用经费 (or the same
    basic total, where the function lines do not split it), source by source."""
    lines = m.lines
    if lines is None or not lines.economic or m.units:
        return []
    problems = []
    for source in dict.fromkeys(line.source for line in lines.economic):
        group = [line for line in lines.function if line.source == source]
        econ = [line for line in lines.economic if line.source == source]
        from .lines import sum_economic, sum_function

        f, e = sum_function(group), sum_economic(econ)
        checks = (
            [("人员经费", f.personnel, e.personnel), ("公用经费", f.public, e.public)]
            if f.personnel is not None
            else [("基本支出", f.basic, e.basic)]
        )
        for name, by_function, by_economic in checks:
            if by_function != by_economic:
                where = econ[0].src.at("code") if econ[0].src else Location("lines.yaml")
                problems.append(
                    Diagnostic(
                        where,
                        f"{source} {name}: the function lines add up to {by_function} "
                        f"{lines.amount_unit}, the economic lines to {by_economic} "
                        f"{lines.amount_unit} (difference {by_function - by_economic}); the "
                        "two views of basic expenditure must agree",
                        field="economic",
                    )
                )
    return problems


_BUSINESS_SOURCES = ("事业收入", "事业单位经营收入")


def sources_fit_the_unit_type(m: Disclosure) -> list[Diagnostic]:
    """事业收入 and 事业单位经营收入 are a 事业单位's income only."""
    if m.lines is None or m.unit.type != "行政单位":
        return []
    return [
        Diagnostic(
            line.src.at("source"),
            f"{line.source} is income of a 事业单位; {m.unit.name} is a 行政单位 (unit.yaml "
            "unit.type)",
            field=f"function[{i}].source",
        )
        for i, line in enumerate(m.lines.function)
        if line.source in _BUSINESS_SOURCES and line.src is not None
    ]


def notes_match_lines(m: Disclosure) -> list[Diagnostic]:
    """line-notes.yaml: one entry per fiscal 项 of the lines, with a reason wherever the
    figure changed."""
    e = m.explanation
    if e is None or e.src is None:
        return []
    problems = []
    fiscal_codes = {item.code for item in e.items}
    seen: set[str] = set()
    for i, note in enumerate(e.notes):
        where = note.src.at("code")
        if note.code in seen:
            problems.append(
                Diagnostic(
                    where,
                    f"{note.code} is explained twice; keep one entry",
                    field=f"items[{i}].code",
                )
            )
        elif note.code not in fiscal_codes:
            problems.append(
                Diagnostic(
                    where,
                    f"{note.code} has no fiscal expenditure (财政拨款) in lines.yaml; delete "
                    "this entry or correct the code",
                    field=f"items[{i}].code",
                )
            )
        seen.add(note.code)
    catalogue = m.lines.catalogue if m.lines is not None else None
    for item in e.items:
        if catalogue is not None and not catalogue.has("function", item.code):
            continue  # the code itself is reported, by line_codes_in_catalogue
        if item.src is None:
            problems.append(
                Diagnostic(
                    e.src.key_at("items") if e.notes else e.src.at(),
                    f"{item.code} {item.names[2]} ({money(item.amount)} 万元) has no entry in "
                    "items: write its previous-year figure (previous) and, if it changed, "
                    "the reason",
                    field="items",
                )
            )
        elif item.change.amount != 0 and not item.reason:
            problems.append(
                Diagnostic(
                    item.src.key_at(),
                    f"{item.code} {item.names[2]} changed ({item.change.direction}); write the "
                    "reason (reason)",
                    field="reason",
                )
            )
    return problems


_DIRECTION_WORDS = (
    ("增加", "增加"),
    ("新增", "增加"),
    ("增长", "增加"),
    ("提高", "增加"),
    ("减少", "减少"),
    ("下降", "减少"),
    ("压减", "减少"),
    ("保持不变", "持平"),
    ("不变", "持平"),
    ("持平", "持平"),
)


def said_direction(reason: str) -> str | None:
    """The direction a reason's words name (经费增加 → 增加), or None (项目调整)."""
    found = {direction for word, direction in _DIRECTION_WORDS if word in reason}
    return found.pop() if len(found) == 1 else None


def reasons_agree_with_changes(m: Disclosure) -> list[Diagnostic]:
    """A reason that names the opposite direction of its own change (减少2.98%, 主要原因是
    经费增加) is almost certainly copied from another line."""
    e = m.explanation
    if e is None:
        return []
    problems = []
    for item in e.items:
        said = said_direction(item.reason or "")
        if said and item.src is not None and said != item.change.direction:
            problems.append(
                Diagnostic(
                    item.src.at("reason"),
                    f"{item.code} {item.names[2]}: the reason says {said}, but the figure "
                    f"{item.change.direction} ({money(item.previous)} → {money(item.amount)} 万元)",
                    field="reason",
                    severity="warning",
                )
            )
    return problems


def project_funds_plausible(m: Disclosure) -> list[Diagnostic]:
    """A year's request (年度资金申请总额) cannot exceed the project's whole funding
    (项目资金总额); the published 2023 Wanli table 5 does."""
    problems = []
    for p in m.projects:
        if p.funds is None or p.annual is None or p.src is None:
            continue
        if p.annual.total > p.funds.total:
            problems.append(
                Diagnostic(
                    p.src.key_at("annual"),
                    f"年度资金申请总额 {p.annual.total} 元 (当年财政拨款 + 上年结转 + 其他) is "
                    f"more than the project's 项目资金总额 {p.funds.total} 元; check both",
                    field="annual",
                    severity="warning",
                )
            )
    return problems


def goal_setting_funds_match_tables(m: Disclosure) -> list[Diagnostic]:
    """涉及项目预算资金 against the performance tables it counts, where they give funds."""
    g = m.goal_setting
    with_funds = [p for p in m.projects if p.funds is not None]
    if g is None or g.src is None or not g.projects_counted or len(with_funds) != len(m.projects):
        return []
    tables = sum((p.funds.total for p in with_funds), start=0) / 10000
    if g.funds == money_value(tables):
        return []
    return [
        Diagnostic(
            g.src.at("funds"),
            f"涉及项目预算资金 is {money(g.funds)} 万元, but the {len(with_funds)} performance "
            f"tables' 项目资金总额 add up to {money(tables)} 万元; check both",
            field="funds",
            severity="warning",
        )
    ]


RULES: tuple[Rule, ...] = (
    income_equals_expenditure,
    procurement_within_project_budget,
    procurement_reserves_within_total,
    operating_costs_equal_public_operating,
    indicator_levels_match,
    unique_names,
    procurement_projects_have_tables,
    organisation_counts_add_up,
    line_codes_in_catalogue,
    lines_unique,
    function_and_economic_agree,
    sources_fit_the_unit_type,
    notes_match_lines,
    project_funds_plausible,
    goal_setting_funds_match_tables,
    reasons_agree_with_changes,
)


def previous_year_agrees(m: Disclosure, prev: Disclosure, prev_label: str) -> list[Diagnostic]:
    """Previous-year figures written in this year must equal that year's own figures."""
    expected = next_year_baseline(prev)
    problems = []
    for figure in previous_year_figures(m):
        actual = expected.get((figure.file, figure.path))
        if actual is not None and figure.written != actual:
            problems.append(
                Diagnostic(
                    figure.src.at(*figure.path),
                    f"{figure.label} of {prev.year} is written here as {money(figure.written)} "
                    f"万元, but {prev_label} budgets {money(actual)} 万元; delete the figure "
                    "here (it is taken from that year) or correct it",
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


__all__ = ["RULES", "check", "FISCAL", "SOURCE_KEYS"]
