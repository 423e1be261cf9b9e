"""The compile pipeline for one year: read → load → validate → assemble → check.

Each stage adds diagnostics; the model is assembled only from schema-valid documents, so
later stages can rely on its shape. A department's year holds its units' years in
units/<slug>/: each unit is assembled first (in folder order), then the department from
them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from ..checks import completeness, rules, texts
from ..checks.acknowledged import acknowledge
from ..checks.carried import carried
from ..checks.files import check_files
from ..diagnostics import Diagnostic, Location, has_errors, sorted_diagnostics
from ..i18n import _, document_name
from ..input.catalogue import catalogue_for
from ..input.fieldnames import name_fields
from ..input.loader import Document
from ..input.sources import SourceError, YearSource
from ..input.yearfolder import by_unit, read_documents, split_unit
from ..layout.manifest import load_layout
from ..layout.specs import ConditionError, Layout, LayoutError, ProjectLayoutError
from ..model import prose
from ..model.disclosure import Disclosure
from ..paths import UNIT_FILE, UNITS_DIR, kind_of
from .assemble import assemble
from .context import Context

if TYPE_CHECKING:
    from ..input.doccache import DocumentCache


@dataclass
class YearResult:
    source: YearSource
    documents: dict[str, Document] = field(default_factory=dict)
    model: Disclosure | None = None
    diagnostics: list[Diagnostic] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.model is not None and not has_errors(self.diagnostics)


def _layout_of(docs: dict[str, Document], source: YearSource, slug: str, project=None):
    """The layout the unit.yaml of a group names (the project's own, `project`, first), or
    a diagnostic."""
    prefix = f"{UNITS_DIR}/{slug}/" if slug else ""
    unit = docs.get(UNIT_FILE)
    if unit is None:
        where = Location(source.display_path(prefix + UNIT_FILE))
        return None, [
            Diagnostic(
                where,
                _(
                    "missing file {file}: it names the unit and its "
                    "layout (start a year with `disclosure new-year`)"
                ).format(file=UNIT_FILE),
            )
        ]
    name = (unit.data or {}).get("layout") if isinstance(unit.data, dict) else None
    if not isinstance(name, str):
        return None, []  # the schema reports a missing or malformed layout
    try:
        layout = load_layout(name, project)
        if layout.sandboxed:  # a project's templates: checked before anything is built
            from ..render.templatecheck import checked_templates  # Jinja: only for these

            problems = checked_templates(layout)
            if problems:
                raise ProjectLayoutError(problems)
        return layout, []
    except ProjectLayoutError as e:  # the project's layout is broken: where, in its files
        return None, [
            Diagnostic(
                unit.locate(("layout",)),
                _("the layout {layout} cannot be used: {count} problem(s) in its files").format(
                    layout=name, count=sum(1 for d in e.diagnostics if d.is_error)
                ),
                field="layout",
            ),
            *e.diagnostics,
        ]
    except LayoutError as e:
        return None, [Diagnostic(unit.locate(("layout",)), str(e), field="layout")]


def compile_year(
    source: YearSource,
    *,
    check_previous: bool = True,
    memo: dict | None = None,
    cache: DocumentCache | None = None,
) -> YearResult:
    """Everything `validate` does for one year; the model is set when the data is usable.

    The previous year is compiled too (its own previous year first, and so on back): its
    figures are this year's baseline. `memo` keeps the years compiled by one command, so
    `validate` of five years compiles each once. `cache` keeps loaded files between
    commands (`disclosure serve`: see DocumentCache).
    """
    memo = {} if memo is None else memo
    key = (type(source).__name__, repr(source), check_previous)
    if key in memo:
        return memo[key]
    result = YearResult(source)
    if not source.exists():
        raise SourceError(
            _("no data for {year} (looked in {folder})").format(
                year=document_name(source.label), folder=source.display_path("")
            )
        )
    result.documents, listed_files, problems = read_documents(source, cache)
    groups = by_unit(result.documents)
    layouts: dict[str, Layout] = {}
    project = source.project_layouts()  # the layouts/ beside the data folder, if any
    for slug in sorted(groups, key=lambda s: (s != "", s)):
        layout, found = _layout_of(groups[slug], source, slug, project)
        problems += found
        if layout is not None:
            layouts[slug] = layout
            listed = {inner for rel in listed_files for s, inner in [split_unit(rel)] if s == slug}
            has_units = not slug and len(groups) > 1
            problems += check_files(
                groups[slug], listed, layout, source, slug, bool(slug), has_units
            )
    if "" in layouts and layouts[""].kind == "unit" and len(groups) > 1:
        problems.append(
            Diagnostic(
                Location(source.display_path(UNITS_DIR)),
                _(
                    "{folder}/ holds a department's units, but the layout {layout} is a "
                    "unit's layout"
                ).format(folder=UNITS_DIR, layout=layouts[""].name),
            )
        )
    if not has_errors(problems):
        previous = None
        if check_previous:
            previous, found = _previous_model(source, memo, cache)
            problems += found
        budget = None
        if source.document:
            budget, found = _budget_model(source, memo, cache)
            problems += found
        model = _assemble_all(source, groups, layouts, previous, problems, budget)
        try:
            problems += prose.check_all(model)
            for member in (*model.units, model):
                prev_member = _member(previous, member.slug)
                problems += rules.check(member, prev_member, source.previous().where)
                problems += completeness.check(member, groups[member.slug])
                problems += texts.check(member, groups[member.slug])
                problems += texts.same_unit_as_last_year(member, prev_member, groups[member.slug])
        except ConditionError as e:  # a project layout's empty_if: at its line
            if e.location is None:
                raise
            problems.append(Diagnostic(e.location, str(e), field="empty_if"))
        result.model = model
    for slug, docs in groups.items():
        prefix = f"{UNITS_DIR}/{slug}/" if slug else ""
        shown = lambda rel, p=prefix: source.display_path(p + rel)  # noqa: E731
        problems = carried(problems, docs, shown)  # texts new-year copied, not yet reviewed
        problems = acknowledge(problems, docs, shown)  # published texts kept on purpose
    kinds = {doc.file: kind_of(split_unit(rel)[1]) for rel, doc in result.documents.items()}
    result.diagnostics = name_fields(sorted_diagnostics(problems), result.documents, kinds)
    memo[key] = result
    return result


def _member(model: Disclosure | None, slug: str) -> Disclosure | None:
    if model is None or not slug:
        return model
    return next((u for u in model.units if u.slug == slug), None)


def _budget_model(
    source: YearSource, memo: dict, cache
) -> tuple[Disclosure | None, list[Diagnostic]]:
    """Final accounts: the same year's budget model, when the repository holds one (its
    年初预算 figures are then the final accounts' own). The budget is compiled as
    `validate` compiles it (against its own previous year); a budget with errors is
    reported, not passed over: its 年初预算 would silently become the typed one."""
    budget = source.budget()
    try:
        if not budget.exists() or not budget.files():
            return None, []
        result = compile_year(budget, memo=memo, cache=cache)
    except SourceError:
        return None, []
    if result.ok:
        return result.model, []
    return None, [
        Diagnostic(
            Location(budget.where),
            _(
                "the final accounts take their 年初预算 from this year's budget, and the "
                "budget has errors; run `disclosure validate {year}` and correct them"
            ).format(year=source.year),
        )
    ]


def _assemble_all(source, groups, layouts, previous, problems, budget=None) -> Disclosure:
    catalogue = catalogue_for(source.year)
    units = []
    for slug in sorted(s for s in groups if s):
        ctx = Context(source.year, layouts[slug], catalogue, _member(previous, slug), slug=slug)
        ctx.display = lambda rel, slug=slug: source.display_path(f"{UNITS_DIR}/{slug}/{rel}")
        units.append(assemble(groups[slug], ctx))
        problems += ctx.problems
    ctx = Context(source.year, layouts[""], catalogue, previous, budget, units=tuple(units))
    ctx.display = source.display_path
    model = assemble(groups[""], ctx)
    problems += ctx.problems
    return model


def _previous_model(
    source: YearSource, memo: dict, cache: DocumentCache | None = None
) -> tuple[Disclosure | None, list[Diagnostic]]:
    """The previous year's model: its figures are this year's baseline (or, where this
    year writes them, what they are checked against)."""
    prev = source.previous()
    try:
        if not prev.exists():
            return None, []
        result = compile_year(prev, memo=memo, cache=cache)
    except SourceError:
        return None, []
    if result.ok:
        return result.model, []
    where = Location(source.display_path(UNIT_FILE))
    return None, [
        Diagnostic(
            where,
            _(
                "{year} has errors, so its figures could not be used as this year's "
                "previous-year figures; fix {folder} first"
            ).format(year=document_name(prev.label), folder=prev.display_path("")),
            severity="warning",
        )
    ]
