"""Assemble the year's model from its schema-valid documents.

Only primary facts are read here; every total and change is a property of the model. What
a part cannot hold by itself is filled in here, once: figures computed from the budget
lines (the Hebei overview, 机关运行经费), previous-year figures taken from the previous
year's model when it is in the data, and a department's figures summed from its units
(rollup.py). A figure typed where it is computed is reported, never silently preferred.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from ..i18n import _
from ..input.catalogue import Catalogue, split_code
from ..input.loader import Document, dotted
from ..layout.specs import Layout
from ..model.disclosure import (
    THREE_PUBLIC_ITEMS,
    AnnualRequest,
    AssetCategory,
    Assets,
    Budget,
    Disclosure,
    Expenditure,
    ExplainedClass,
    ExplainedItem,
    Explanation,
    FiscalTotals,
    FundedProject,
    GoalSetting,
    Income,
    Indicator,
    LineNote,
    Measure,
    OperatingCosts,
    Organisation,
    Origin,
    Performance,
    Procurement,
    ProcurementItem,
    ProcurementProject,
    ProcurementSummary,
    Project,
    ProjectFunds,
    Prose,
    SubGoal,
    Target,
    Term,
    ThreePublic,
    ThreePublicItems,
    Unit,
)
from ..model.lines import (
    GENERAL,
    SOURCE_KEYS,
    BudgetLines,
    ClassSplit,
    EconomicLine,
    FunctionLine,
)
from ..numbers import ZERO, is_published, money, published
from ..paths import PROJECTS_DIR
from .context import Context
from .final import assemble_final

THREE_PUBLIC_REASONS = (
    "overseas",
    "vehicles",
    "vehicle_purchase",
    "vehicle_operation",
    "reception",
    "total",
)
# Unit types whose 机关运行经费 the rules define (行政单位 and 参公事业单位).
OPERATING_COST_TYPES = ("行政单位", "参照公务员法管理的事业单位")


class _Reader:
    """Reads one document's values, attaching locations to prose and model objects."""

    def __init__(self, doc: Document):
        self.doc = doc

    @property
    def data(self) -> dict:
        return self.doc.data or {}

    def origin(self, *path) -> Origin:
        return Origin(self.doc.file, tuple(path), self.doc.locate, self.doc.locate_key)

    def prose(self, value: str | None, *path) -> Prose | None:
        if value is None:
            return None
        location = self.doc.locate(path)
        first_line = location.line + (1 if tuple(path) in self.doc.block_scalars else 0)
        return Prose(value, location, first_line, dotted(path))


def assemble(docs: dict[str, Document], ctx: Context) -> Disclosure:
    """The model of one unit (or department) from its documents; problems found on the
    way (a typed figure that is computed, a baseline that is missing) go to ctx.problems."""
    unit_r = _Reader(docs["unit.yaml"])
    unit_d = unit_r.data
    readers = {name: _Reader(doc) for name, doc in docs.items()}
    rollup = None
    if ctx.units:
        from . import rollup as rollup_module

        rollup = rollup_module.Rollup(ctx.units, ctx)

    lines = _lines(readers.get("lines.yaml"), ctx, rollup)
    unit = _unit(unit_d["unit"])
    budget = _budget(readers.get("budget.yaml"), lines, ctx, rollup)
    explanation = _explanation(readers.get("line-notes.yaml"), lines, ctx, rollup)
    projects = tuple(
        _project(name, readers[name])
        for name in sorted(readers, key=_number_order)
        if name.startswith(PROJECTS_DIR + "/")
    )
    if rollup is not None:
        projects = rollup.projects(projects)
    return Disclosure(
        year=ctx.year,
        unit=unit,
        layout=ctx.layout,
        legal_bases=tuple(unit_d.get("legal_bases", ())),
        duties_intro=unit_r.prose(unit_d.get("duties_intro"), "duties_intro"),
        duties=tuple(unit_r.prose(d, "duties", i) for i, d in enumerate(unit_d.get("duties", ()))),
        organisation=_organisation(unit_r, rollup),
        other_matters=unit_r.prose(unit_d.get("other_matters"), "other_matters"),
        budget=budget,
        lines=lines,
        explanation=explanation,
        operating_costs=_operating_costs(
            readers.get("operating-costs.yaml"), unit, lines, ctx, rollup
        ),
        three_public=_three_public(readers.get("three-public.yaml"), ctx, rollup),
        performance=_performance(readers.get("performance.yaml")),
        goal_setting=_goal_setting(readers.get("goal-setting.yaml"), projects, ctx, rollup),
        indicators=_indicators(readers["indicators.yaml"], ("indicators",))
        if "indicators.yaml" in readers
        else (),
        projects=projects,
        procurement=_procurement(readers.get("procurement.yaml"), rollup),
        assets=_assets(readers.get("assets.yaml"), ctx.year, rollup),
        glossary=_glossary(readers.get("glossary.yaml")),
        project_funding=_project_funding(readers.get("project-funding.yaml")),
        final=assemble_final(readers, ctx) if "outturn.yaml" in readers else None,
        units=ctx.units,
        slug=ctx.slug,
        files=frozenset(docs),
    )


def _number_order(name: str) -> tuple:
    """projects/9-… before projects/10-…: files in the order of their numbers."""
    stem = name.rpartition("/")[2]
    number = stem.split("-", 1)[0]
    return (int(number) if number.isdigit() else 0, name)


def _unit(u: dict) -> Unit:
    return Unit(
        name=u["name"],
        code=u.get("code", ""),
        scope=u.get("scope", ""),
        type=u.get("type"),
        city=u.get("city"),
        self_reference=u.get("self_reference"),
        short_name=u.get("short_name"),
        nature=u.get("nature"),
        level=u.get("level"),
        funding_form=u.get("funding_form"),
    )


def _organisation(r: _Reader, rollup) -> Organisation | None:
    o = r.data.get("organisation")
    if o is None and rollup is None:
        return None
    o = o or {}
    members = tuple(o.get("members", ()))
    counts = dict(o.get("counts", {}))
    if rollup is not None:
        members, counts = rollup.organisation(members, counts, r.origin("organisation"))
    return Organisation(
        intro=r.prose(o.get("intro"), "organisation", "intro"),
        headquarters=o.get("headquarters"),
        members=members,
        counts=counts,
    )


# Budget lines, the Hebei overview and the explanation ------------------------------------


def _lines(r: _Reader | None, ctx: Context, rollup) -> BudgetLines | None:
    if rollup is not None:
        if r is not None:
            ctx.error(
                r.origin(),
                (),
                _(
                    "a department's lines are the sum of its units' lines: make sure each "
                    "line here is in the lines.yaml of the unit it belongs to "
                    "(units/<name>/), then leave this file out"
                ),
            )
        return rollup.lines()
    if r is None:
        return None
    d = r.data
    function = tuple(
        FunctionLine(
            code=row["code"],
            source=row.get("source", GENERAL),
            personnel=row.get("personnel", ZERO if "basic" not in row else None),
            public=row.get("public", ZERO if "basic" not in row else None),
            basic_unsplit=row.get("basic"),
            project=row.get("project", ZERO),
            src=r.origin("function", i),
        )
        for i, row in enumerate(d.get("function", ()))
    )
    economic = tuple(
        EconomicLine(
            code=row["code"],
            source=row.get("source", GENERAL),
            personnel=row.get("personnel", ZERO),
            public=row.get("public", ZERO),
            src=r.origin("economic", i),
        )
        for i, row in enumerate(d.get("economic", ()))
    )
    class_split = tuple(
        ClassSplit(
            code=row["code"],
            personnel=row.get("personnel", ZERO),
            public=row.get("public", ZERO),
            src=r.origin("class_split", i),
        )
        for i, row in enumerate(d.get("class_split", ()))
    )
    return BudgetLines(
        d["amount_unit"],
        function,
        economic,
        ctx.catalogue,
        class_split=class_split,
        src=r.origin(),
    )


def _budget(r: _Reader | None, lines: BudgetLines | None, ctx: Context, rollup) -> Budget | None:
    """The Hebei overview: typed when there are no lines, else computed from them (only
    for a layout that prints it)."""
    if r is None and (lines is None or not _uses(ctx.layout, "budget")):
        return None
    d = r.data if r is not None else {}
    e = d.get("expenditure", {})
    reasons = d.get("change_reasons", {})
    if lines is not None:
        for key, words in (("income", "收入"), ("expenditure", "支出")):
            typed = [k for k in d.get(key, {}) if k not in ("project_scope", "project_main_uses")]
            if typed:
                ctx.error(
                    r.origin(),
                    (key, typed[0]),
                    _(
                        "{what} is computed from the budget lines (lines.yaml); delete {keys} here"
                    ).format(what=words, keys=", ".join(typed)),
                )
        income, expenditure = _overview_from_lines(lines, e)
    elif rollup is not None:
        income, expenditure = rollup.overview(e)
    else:
        if "income" not in d or not {"personnel", "public_operating", "project"} <= set(e):
            missing = "income" if "income" not in d else "expenditure"
            ctx.error(
                r.origin(),
                (missing,),
                _(
                    "missing {key}: without budget lines (lines.yaml) the overview is typed here"
                ).format(key=missing),
            )
            return None
        income = Income(**d["income"])
        expenditure = Expenditure(
            personnel=e["personnel"],
            public_operating=e["public_operating"],
            project=e["project"],
            project_scope=e.get("project_scope"),
            project_main_uses=e.get("project_main_uses"),
        )
    previous, written = _baseline(
        r.origin() if r is not None else None,
        _published_items(d.get("previous_year"), ("basic", "project")),
        ("basic", "project"),
        ctx,
        lambda prev: (
            prev.budget
            and {"basic": prev.budget.expenditure.basic, "project": prev.budget.expenditure.project}
        ),
        "budget.yaml",
        "previous_year",
        rollup and (lambda: rollup.sum_budget_previous()),
    )
    return Budget(
        income=income,
        expenditure=expenditure,
        previous_basic=previous["basic"],
        previous_project=previous["project"],
        basic_reason=reasons.get("basic"),
        project_reason=reasons.get("project"),
        from_lines=lines is not None,
        previous_written=written,
        src=r.origin() if r is not None else None,
    )


def _uses(layout: Layout, kind: str) -> bool:
    return any(kind in section.files for section in layout.all_sections())


def _overview_from_lines(lines: BudgetLines, e: dict) -> tuple[Income, Expenditure]:
    by = lines.by_source
    w = lines.wan
    other_sources = ("capital", "business", "operating", "other")
    income = Income(
        general_budget=w(by["general"]),
        fund_budget=w(by["fund"]),
        special_account=w(by["special_account"]),
        other=w(sum((by[k] for k in other_sources), ZERO)),
        carried_over=w(by["carried_over"]),
    )
    expenditure = Expenditure(
        personnel=w(lines.personnel),
        public_operating=w(lines.public),
        project=w(lines.project),
        project_scope=e.get("project_scope"),
        project_main_uses=e.get("project_main_uses"),
    )
    return income, expenditure


def _baseline(origin, written, keys, ctx: Context, from_previous, file, key, from_units=None):
    """Previous-year figures: from the previous year's model when it is in the data (a
    written one is then checked against it by the rules), else as written; a department
    adds up its units'. Returns (figures, written?)."""
    if from_units is not None:
        if written is not None:  # typed where computed: reported, never preferred
            ctx.error(
                origin,
                (key,),
                _(
                    "a department's previous-year figures are the sum of its units' "
                    "({figures}): if {key} here says otherwise, correct the unit whose figure "
                    "is wrong; then leave {key} out here"
                ).format(
                    key=key,
                    figures=", ".join(f"{k} {_money_or_word(v)}" for k, v in from_units().items()),
                ),
            )
        return from_units(), False
    if written is not None:
        return {k: written[k] for k in keys}, True
    if ctx.previous is not None:
        found = from_previous(ctx.previous)
        if found:
            return found, False
    ctx.error(
        origin,
        (),
        _(
            "missing {key}: the figures of {previous_year} are not in the data (or that year "
            "has errors), so write them here ({keys}), or add the year {previous_year}"
        ).format(key=key, previous_year=ctx.year - 1, keys=", ".join(keys)),
        file=file,
    )
    return {k: ZERO for k in keys}, True


def _explanation(r: _Reader | None, lines: BudgetLines | None, ctx: Context, rollup):
    if r is None and not _uses(ctx.layout, "line-notes"):
        return None  # a layout without the Shanghai explanation (Hebei) needs no notes
    if lines is None:
        if r is not None:
            ctx.error(
                r.origin(),
                (),
                _("line-notes.yaml explains budget lines, but the year has no lines.yaml"),
            )
        return None
    d = r.data if r is not None else {}
    w = lines.wan
    fiscal = lines.totals("fiscal").by_source
    current = FiscalTotals(
        general_budget=w(fiscal.get("general", ZERO)),
        fund_budget=w(fiscal.get("fund", ZERO)),
        capital_budget=w(fiscal.get("capital", ZERO)),
    )
    keys = ("general_budget", "fund_budget", "capital_budget")
    previous, written = _baseline(
        r.origin() if r is not None else None,
        _published_items(d.get("previous_year"), keys),
        keys,
        ctx,
        lambda prev: prev.explanation and {k: getattr(prev.explanation.current, k) for k in keys},
        "line-notes.yaml",
        "previous_year",
        rollup and (lambda: rollup.explanation_previous()),
    )
    notes = {row["code"]: (i, row) for i, row in enumerate(d.get("items", ()))}
    former = [(i, row["code"]) for i, row in notes.values() if _outturn_key(row) == "previous"]
    if former and rollup is None:  # one cause, one message: at the first, naming the rest
        ctx.error(
            r.origin("items", former[0][0]),
            ("previous",),
            _(
                "rename previous to previous_outturn ({count} entries: {codes}): an item's "
                "上年数 in this form is last year's outturn (上年执行数) as printed, a fact of "
                "its own and not last year's budget, which the compiler computes from last "
                "year's data"
            ).format(
                count=len(former),
                codes="、".join(code for _i, code in former[:5])
                + (_(" and {count} more").format(count=len(former) - 5) if len(former) > 5 else ""),
            ),
            severity="warning",
        )
    for i, row in notes.values():
        key = _outturn_key(row)
        if "previous" in row and "previous_outturn" in row:
            ctx.error(
                r.origin("items", i),
                ("previous",),
                _(
                    "previous is the former name of previous_outturn (上年执行数), and this "
                    "entry gives both: keep previous_outturn, delete previous"
                ),
            )
        if rollup is not None and key in row:
            ctx.error(
                r.origin("items", i),
                (key,),
                _(
                    "a department's 上年数 of {code} is the sum of its units' ({amount} 万元): "
                    "if {key} here says otherwise, correct the unit whose figure is wrong; "
                    "then leave {key} out here"
                ).format(
                    code=row["code"],
                    amount=_money_or_dash(rollup.item_previous(row["code"])),
                    key=key,
                ),
            )
        # A unit's missing previous is the rules' business (notes_match_lines): whether it
        # is required depends on what the layout's form prints.
    items = []
    for row in lines.function_rows("fiscal"):
        if row.level != "项":
            continue
        i, note = notes.get(row.code, (None, None))
        names = _names(ctx.catalogue, row.code)
        items.append(
            ExplainedItem(
                code=row.code,
                names=names,
                amount=w(row.amounts.total),
                previous=(
                    rollup.item_previous(row.code)
                    if rollup is not None
                    else published((note or {}).get(_outturn_key(note or {})))
                ),
                use=(note or {}).get("use") or names[2],
                reason=published((note or {}).get("reason")),
                src=r.origin("items", i) if note is not None else None,
                previous_key=_outturn_key(note or {}),
            )
        )
    return Explanation(
        current=current,
        previous=FiscalTotals(**previous),
        classes=_classes(lines, ctx) if ctx.layout.explains_classes() else (),
        income={key: w(value) for key, value in lines.by_source.items()},
        total=w(lines.total),
        items=tuple(items),
        change_reason=d.get("change_reason"),
        previous_written=written,
        notes=tuple(
            LineNote(
                row["code"],
                published(row.get(_outturn_key(row))),
                row.get("use"),
                published(row.get("reason")),
                src=r.origin("items", i),
                previous_key=_outturn_key(row),
            )
            for i, row in enumerate(d.get("items", ()))
        ),
        src=r.origin() if r is not None else None,
    )


def _classes(lines: BudgetLines, ctx: Context) -> tuple[ExplainedClass, ...]:
    """Each 类's 财政拨款 this year, with last year's from last year's lines when that year
    is in the repository (computed, never typed: a 类 total is last year's budget)."""
    before = ctx.previous.lines if ctx.previous is not None else None
    last = (
        {r.code: before.wan(r.amounts.total) for r in before.function_rows("fiscal")}
        if before is not None
        else None
    )
    return tuple(
        ExplainedClass(
            code=row.code,
            name=row.name,
            amount=lines.wan(row.amounts.total),
            previous=None if last is None else last.get(row.code, ZERO),
        )
        for row in lines.function_rows("fiscal")
        if row.level == "类"
    )


def _outturn_key(row: dict) -> str:
    """The key an item's 上年执行数 is written under: previous_outturn, or `previous`, its
    former name (read, with a warning asking for the new one)."""
    return "previous" if "previous" in row and "previous_outturn" not in row else "previous_outturn"


def _money_or_word(value) -> str:
    """A figure in a message: its amount, or 未公开."""
    return money(value) if is_published(value) else str(value)


def _money_or_dash(value) -> str:
    return money(value) if is_published(value) else "—"


def _names(catalogue: Catalogue, code: str) -> tuple[str, str, str]:
    cls, kuan, item = split_code(code)
    return tuple(catalogue.function.get(c, "") for c in (cls, cls + kuan, cls + kuan + item))


# 机关运行经费 and 三公经费 --------------------------------------------------------------------


def _operating_costs(r, unit: Unit, lines: BudgetLines | None, ctx: Context, rollup):
    d = r.data if r is not None else {}
    main_uses = d.get("main_uses")
    if rollup is not None:
        amount = rollup.operating_costs()
        if "amount" in d:
            ctx.error(
                r.origin(),
                ("amount",),
                _(
                    "a department's 机关运行经费 is the sum of its units': make sure the "
                    "amount here is in the units' operating-costs.yaml (units/<name>/), then "
                    "leave amount out here"
                ),
            )
        if amount is None and r is None:
            return None
        return OperatingCosts(amount or ZERO, main_uses, computed=True, src=_src(r))
    computable = lines is not None and lines.economic and unit.type in OPERATING_COST_TYPES
    if computable:
        amount = lines.wan(lines.economic_totals("general").public)
        if "amount" in d:
            ctx.error(
                r.origin(),
                ("amount",),
                _(
                    "机关运行经费 is computed from the budget lines (一般公共预算基本支出的公用经费"
                    " {amount} 万元); delete amount here"
                ).format(amount=amount),
            )
        return OperatingCosts(amount, main_uses, computed=True, src=_src(r))
    if r is None:
        return None
    if "amount" not in d:
        ctx.error(
            r.origin(),
            ("amount",),
            _(
                "missing required field 'amount' (机关运行经费（万元）): without economic budget "
                "lines it is typed here"
            ),
        )
        return None
    return OperatingCosts(d["amount"], main_uses, computed=False, src=r.origin())


def _src(r: _Reader | None) -> Origin | None:
    return r.origin() if r is not None else None


def _three_public(r: _Reader | None, ctx: Context, rollup) -> ThreePublic | None:
    if r is None and rollup is None:
        return None
    d = r.data if r is not None else {}
    reasons = {part: d.get("reasons", {}).get(part) for part in THREE_PUBLIC_REASONS}
    if rollup is not None:
        for key in ("current", "previous"):
            if key in d:
                ctx.error(
                    r.origin(),
                    (key,),
                    _(
                        "a department's 三公经费 are the sums of its units': make sure each "
                        "figure of {key} here is in the three-public.yaml of the unit it "
                        "belongs to (units/<name>/), then leave {key} out here (keep the reasons)"
                    ).format(key=key),
                )
        summed = rollup.three_public()
        if summed is None:
            return None
        current, previous = summed
        return ThreePublic(current, previous, reasons, previous_written=False, src=_src(r))
    if "current" not in d:
        ctx.error(r.origin(), (), _("missing current (本年“三公”经费)"))
        return None
    current = ThreePublicItems(**d["current"])
    previous, written = _baseline(
        r.origin(),
        _published_items(d.get("previous"), THREE_PUBLIC_ITEMS),
        ("overseas", "vehicle_purchase", "vehicle_operation", "reception"),
        ctx,
        lambda prev: (
            prev.three_public
            and {
                k: getattr(prev.three_public.current, k)
                for k in ("overseas", "vehicle_purchase", "vehicle_operation", "reception")
            }
        ),
        "three-public.yaml",
        "previous",
    )
    return ThreePublic(
        current, ThreePublicItems(**previous), reasons, previous_written=written, src=r.origin()
    )


def _published_items(written, keys) -> dict | None:
    """Last year's figures as a first year writes them: each figure, or 未公开 (NOT_PUBLISHED)
    for one the document did not give, or 未公开 for them all."""
    if written is None:
        return None
    if not isinstance(written, dict):  # the whole block 未公开 (the schema allows no other)
        return {k: published(written) for k in keys}
    return {k: published(v) for k, v in written.items()}


# Performance ----------------------------------------------------------------------------


def _performance(r: _Reader | None) -> Performance | None:
    if r is None:
        return None
    d = r.data
    return Performance(
        overall_goal=r.prose(d["overall_goal"], "overall_goal"),
        sub_goals=tuple(
            SubGoal(
                title=g["title"],
                goal=r.prose(g["goal"], "sub_goals", i, "goal"),
                indicators=r.prose(g["indicators"], "sub_goals", i, "indicators"),
            )
            for i, g in enumerate(d["sub_goals"])
        ),
        measures=tuple(
            Measure(title=m["title"], text=r.prose(m["text"], "measures", i, "text"))
            for i, m in enumerate(d["measures"])
        ),
    )


def _indicators(r: _Reader, base: tuple) -> tuple[Indicator, ...]:
    rows = r.data
    for key in base:
        rows = rows[key]
    return tuple(
        Indicator(
            level1=row["level1"],
            level2=row["level2"],
            name=row["name"],
            description=r.prose(row.get("description"), *base, i, "description"),
            target=Target(**row["target"]),
            basis=row.get("basis"),
            scoring=r.prose(row.get("scoring"), *base, i, "scoring"),
            src=r.origin(*base, i),
        )
        for i, row in enumerate(rows)
    )


def _project(name: str, r: _Reader) -> Project:
    d = r.data
    key = name.removeprefix(PROJECTS_DIR + "/").removesuffix(".yaml")
    return Project(
        key=key,
        name=d["name"],
        goal=r.prose(d.get("goal"), "goal"),
        indicators=_indicators(r, ("indicators",)),
        nature=d.get("nature"),
        category=d.get("category"),
        department=d.get("department"),
        implementer=d.get("implementer"),
        start=d.get("start"),
        end=d.get("end"),
        funds=ProjectFunds(**d["funds"]) if "funds" in d else None,
        annual=AnnualRequest(**d["annual"]) if "annual" in d else None,
        overall_goal=r.prose(d.get("overall_goal"), "overall_goal"),
        annual_goal=r.prose(d.get("annual_goal"), "annual_goal"),
        src=r.origin(),
    )


def _goal_setting(r, projects: tuple[Project, ...], ctx: Context, rollup) -> GoalSetting | None:
    if rollup is not None:
        return rollup.goal_setting(r, ctx)
    if r is None:
        return None
    d = r.data
    counted = bool(projects)
    if counted and "projects" in d:
        ctx.error(
            r.origin(),
            ("projects",),
            _(
                "the number of projects is counted from the {count} performance tables "
                "in projects/; delete it here"
            ).format(count=len(projects)),
        )
    if not counted and "projects" not in d:
        ctx.error(
            r.origin(),
            (),
            _(
                "missing projects (编报绩效目标的项目个数): write it, or add "
                "the projects' performance tables under projects/"
            ),
        )
    return GoalSetting(
        units=d.get("units"),
        projects=Decimal(len(projects)) if counted else d.get("projects", ZERO),
        funds=d["funds"],
        projects_counted=counted,
        src=r.origin(),
    )


# Procurement, assets, glossary, project funding ------------------------------------------


def _procurement(r: _Reader | None, rollup) -> Procurement | None:
    if rollup is not None:
        return rollup.procurement(r)
    if r is None:
        return None
    d = r.data
    summary = d.get("summary")
    return Procurement(
        projects=tuple(
            ProcurementProject(
                name=p["name"],
                budget=p["budget"],
                items=tuple(
                    ProcurementItem(**item, src=r.origin("projects", i, "items", j))
                    for j, item in enumerate(p["items"])
                ),
                src=r.origin("projects", i),
            )
            for i, p in enumerate(d.get("projects", ()))
        ),
        summary=ProcurementSummary(
            goods=summary["goods"],
            works=summary["works"],
            services=summary["services"],
            sme_reserved=summary.get("sme_reserved"),
            small_micro_reserved=summary.get("small_micro_reserved"),
        )
        if summary is not None
        else None,
        note=r.prose(d.get("note"), "note"),
        src=r.origin(),
    )


def asset_category(d: dict) -> AssetCategory:
    return AssetCategory(
        name=d["name"],
        unit=d.get("unit"),
        typed_quantity=d.get("quantity"),
        typed_value=d.get("value"),
        parts=tuple(asset_category(c) for c in d.get("parts", ())),
        of_which=tuple(asset_category(c) for c in d.get("of_which", ())),
    )


def _assets(r: _Reader | None, year: int, rollup) -> Assets | None:
    if rollup is not None:
        return rollup.assets(r, year)
    if r is None:
        return None
    d = r.data
    return Assets(
        categories=tuple(asset_category(c) for c in d["categories"]),
        as_of=as_of(d, year),
        planned=tuple(asset_category(c) for c in d.get("planned", ())),
        src=r.origin(),
    )


def as_of(d: dict, year: int) -> date:
    """The assets' date: as written, else 上年末 (the end of the previous year)."""
    if "as_of" in d:
        return date.fromisoformat(d["as_of"])
    return date(year - 1, 12, 31)


def _glossary(r: _Reader | None) -> tuple[Term, ...]:
    if r is None:
        return ()
    return tuple(
        Term(term=t["term"], definition=r.prose(t["definition"], "terms", i, "definition"))
        for i, t in enumerate(r.data["terms"])
    )


def _project_funding(r: _Reader | None) -> tuple[FundedProject, ...]:
    if r is None:
        return ()
    texts = ("overview", "basis", "implementer", "plan", "schedule", "goal")
    return tuple(
        FundedProject(
            name=p["name"],
            quarterly=tuple(p["quarterly"]),
            src=r.origin("projects", i),
            **{key: r.prose(p[key], "projects", i, key) for key in texts},
        )
        for i, p in enumerate(r.data["projects"])
    )


__all__ = ["Context", "assemble", "SOURCE_KEYS"]
