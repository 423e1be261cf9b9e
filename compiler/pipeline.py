"""The compile pipeline for one year: read → load → validate → assemble → check.

Each stage adds diagnostics; the model is assembled only from schema-valid documents, so
later stages can rely on its shape. A department's year holds its units' years in
units/<slug>/: each unit is assembled first (in folder order), then the department from
them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from .assemble import Context, assemble
from .characters import visible
from .checks import completeness, rules
from .diagnostics import Diagnostic, Location, has_errors, sorted_diagnostics
from .i18n import _
from .input.catalogue import catalogue_for
from .input.fieldnames import name_fields
from .input.loader import Document, load_bytes
from .input.schema_cache import validate_document
from .input.sources import SourceError, YearSource
from .layout.manifest import ConditionError, Layout, LayoutError, ProjectLayoutError, load_layout
from .model import prose
from .model.disclosure import Disclosure
from .paths import (
    PROJECTS_DIR,
    SECTION_FILES,
    UNIT_FILE,
    UNIT_SLUG,
    UNITS_DIR,
    kind_of,
    schema_hint,
)

if TYPE_CHECKING:
    from .input.doccache import DocumentCache


@dataclass
class YearResult:
    source: YearSource
    documents: dict[str, Document] = field(default_factory=dict)
    model: Disclosure | None = None
    diagnostics: list[Diagnostic] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.model is not None and not has_errors(self.diagnostics)


def split_unit(rel: str) -> tuple[str, str]:
    """'units/office/lines.yaml' → ('office', 'lines.yaml'); 'lines.yaml' → ('', 'lines.yaml')."""
    parts = rel.split("/", 2)
    if len(parts) == 3 and parts[0] == UNITS_DIR:
        return parts[1], parts[2]
    return "", rel


def read_documents(
    source: YearSource, cache: DocumentCache | None = None
) -> tuple[dict[str, Document], list[Diagnostic]]:
    """Load every data file of the year (a department's units' files too); report
    unexpected and unreadable files and schema problems. With a `cache` (disclosure
    serve), a file unchanged since its last load is not read again."""
    problems: list[Diagnostic] = []
    docs: dict[str, Document] = {}
    listed = _Listed()
    year_dir = source.display_path("").rstrip("/")
    try:
        present = source.files()
    except (OSError, SourceError) as e:
        message = _("cannot list the year's files: {error}").format(error=e)
        return {}, [Diagnostic(Location(year_dir), message)]
    load = cache.load if cache is not None else load_file
    for rel in present:
        listed.add(rel)
        doc, found = load(source, rel)
        problems += found
        if doc is not None:
            docs[rel] = doc
    docs = _Documents(docs)
    docs.listed = set(listed)
    return docs, problems


def load_file(source: YearSource, rel: str) -> tuple[Document | None, list[Diagnostic]]:
    """Read, load and schema-check one data file of the year."""
    shown = source.display_path(rel)
    try:  # first, so that a link or special file is reported as such
        raw = source.read(rel)
    except (OSError, SourceError) as e:
        return None, [
            Diagnostic(Location(shown), _("cannot read the file: {error}").format(error=e))
        ]
    slug, inner = split_unit(rel)
    kind = kind_of(inner)
    if kind is None or (slug and not UNIT_SLUG.match(slug)):
        return None, [Diagnostic(Location(shown), _unexpected(rel, slug))]
    doc, found = load_bytes(shown, raw)
    if doc is None:
        return None, found
    return doc, found + _check_modeline(doc, kind, source, rel) + validate_document(doc, kind)


class _Listed(set):
    """The files a year lists, loadable or not."""


class _Documents(dict):
    """The loaded documents, and (as `listed`) every file the year has, so a file that
    failed to load is not also reported as missing."""

    listed: set[str]


def _unexpected(rel: str, slug: str) -> str:
    expected = ", ".join(sorted(SECTION_FILES)) + f", {PROJECTS_DIR}/NN-name.yaml"
    if slug and not UNIT_SLUG.match(slug):
        return _(
            "unexpected folder {folder}: a unit's folder name is lower-case letters, "
            "digits and hyphens, e.g. units/office"
        ).format(folder=f"{UNITS_DIR}/{slug}")
    inner = split_unit(rel)[1]
    if inner.startswith(PROJECTS_DIR + "/"):
        name = inner.removeprefix(PROJECTS_DIR + "/")
        return _(
            "the project file name {name} is not allowed: it starts with a two- or three-digit "
            "number and a hyphen, then the project's name in Chinese characters, lower-case "
            "letters, digits or hyphens, and ends in .yaml, e.g. projects/01-机关工作经费.yaml; "
            "rename the file"
        ).format(name=visible(name, keep=""))
    return _(
        "unexpected file: a year holds only {expected} (and a department units/<name>/)"
    ).format(expected=expected)


def _check_modeline(doc: Document, kind: str, source: YearSource, rel: str) -> list[Diagnostic]:
    expected = _expected_hint(kind, source, rel)
    line = f"# yaml-language-server: $schema={expected}"
    if doc.schema_hint is None:
        return [
            Diagnostic(
                Location(doc.file, 1, 1),
                _("no schema named: make the first line '{line}' so editors show hints").format(
                    line=line
                ),
                severity="warning",
            )
        ]
    if doc.schema_hint == expected:
        return []
    if not doc.schema_hint.endswith(f"/{kind}.schema.json"):
        return [
            Diagnostic(
                Location(doc.file, 1, 1),
                _("names the schema {named}, but this file is checked against {expected}").format(
                    named=doc.schema_hint, expected=expected
                ),
            )
        ]
    # The right schema by another path: a copied or moved folder. Editors will not find it.
    return [
        Diagnostic(
            Location(doc.file, 1, 1),
            _(
                "names its schema by the path {named}; from here it is {expected} "
                "(editors use this path to show hints)"
            ).format(named=doc.schema_hint, expected=expected),
            severity="warning",
        )
    ]


def _expected_hint(kind: str, source: YearSource, rel: str) -> str:
    return schema_hint(kind, source.checkout_path(rel), rel)


def _group(docs: dict[str, Document]) -> dict[str, dict[str, Document]]:
    """The documents of the year itself ('') and of each unit (slug), keyed inside it."""
    groups: dict[str, dict[str, Document]] = {"": {}}
    for rel, doc in docs.items():
        slug, inner = split_unit(rel)
        groups.setdefault(slug, {})[inner] = doc
    return groups


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
        return load_layout(name, project), []
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


# What a department with units/ adds up from them: these files are then not required
# there (three-public.yaml and budget.yaml may still hold the department's reasons).
ROLLED_UP = {
    "lines",
    "assets",
    "goal-setting",
    "procurement",
    "operating-costs",
    "three-public",
    "budget",
}


def _check_files(
    docs: dict[str, Document],
    listed: set[str],
    layout: Layout,
    source: YearSource,
    slug: str,
    is_unit: bool,
    has_units: bool = False,
) -> list[Diagnostic]:
    """Files the layout needs and does not have, and files it would not publish."""
    prefix = f"{UNITS_DIR}/{slug}/" if slug else ""
    unit_type = ((docs[UNIT_FILE].data or {}).get("unit") or {}).get("type")
    problems = []
    if layout.kind == "unit" and unit_type is None:
        problems.append(
            Diagnostic(
                docs[UNIT_FILE].locate_key(("unit",)),
                _("missing unit.type (单位类型): 行政单位, 参照公务员法管理的事业单位 or 事业单位"),
                field="unit.type",
            )
        )
    if layout.kind == "department" and is_unit:
        problems.append(
            Diagnostic(
                docs[UNIT_FILE].locate(("layout",)),
                _("a unit of a department cannot use the department layout {layout}").format(
                    layout=layout.name
                ),
                field="layout",
            )
        )
    used = {SECTION_FILES[UNIT_FILE]} | {"project"}
    applicable = {SECTION_FILES[UNIT_FILE]} | {"project"}
    needed = set()
    for section in layout.all_sections():
        used.update(section.files)
        applies = layout.kind == "department" or unit_type in section.applies_to
        if applies:
            applicable.update(section.files)
        if section.required and applies:
            needed.update(section.files)
    if has_units:
        needed -= ROLLED_UP
    kinds = {kind_of(rel): rel for rel in docs}
    present = {kind_of(rel) for rel in listed}
    for kind in sorted(needed - present):
        rel = next(name for name, k in SECTION_FILES.items() if k == kind)
        problems.append(
            Diagnostic(
                Location(source.display_path(prefix + rel)),
                _("missing file {file}: the layout {layout} needs it").format(
                    file=rel, layout=layout.name
                ),
            )
        )
    for kind, rel in sorted(kinds.items()):
        if kind not in used:
            problems.append(
                Diagnostic(
                    Location(docs[rel].file),
                    _(
                        "the layout {layout} does not publish {file}: delete the file, or "
                        "choose a layout that has its section (unit.yaml: layout)"
                    ).format(layout=layout.name, file=rel),
                )
            )
        elif kind not in applicable and unit_type is not None:
            problems.append(
                Diagnostic(
                    Location(docs[rel].file),
                    _(
                        "a {unit_type} has no part for {file} in the layout {layout} (it is "
                        "published only by the unit types the rules give it to): delete the "
                        "file, or correct unit.type in unit.yaml"
                    ).format(unit_type=unit_type, file=rel, layout=layout.name),
                )
            )
    return problems


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
                year=source.label, folder=source.display_path("")
            )
        )
    result.documents, problems = read_documents(source, cache)
    groups = _group(result.documents)
    layouts: dict[str, Layout] = {}
    project = source.project_layouts()  # the layouts/ beside the data folder, if any
    for slug in sorted(groups, key=lambda s: (s != "", s)):
        layout, found = _layout_of(groups[slug], source, slug, project)
        problems += found
        if layout is not None:
            layouts[slug] = layout
            listed = {
                inner
                for rel in getattr(result.documents, "listed", ())
                for s, inner in [split_unit(rel)]
                if s == slug
            }
            has_units = not slug and len(groups) > 1
            problems += _check_files(
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
        model = _assemble_all(source, groups, layouts, previous, problems)
        try:
            problems += prose.check_all(model)
            for member in (*model.units, model):
                prev_member = _member(previous, member.slug)
                problems += rules.check(member, prev_member, source.previous().where)
                problems += completeness.check(member, groups[member.slug])
        except ConditionError as e:  # a project layout's empty_if: at its line
            if e.location is None:
                raise
            problems.append(Diagnostic(e.location, str(e), field="empty_if"))
        result.model = model
    kinds = {doc.file: kind_of(split_unit(rel)[1]) for rel, doc in result.documents.items()}
    result.diagnostics = name_fields(sorted_diagnostics(problems), result.documents, kinds)
    memo[key] = result
    return result


def _member(model: Disclosure | None, slug: str) -> Disclosure | None:
    if model is None or not slug:
        return model
    return next((u for u in model.units if u.slug == slug), None)


def _assemble_all(source, groups, layouts, previous, problems) -> Disclosure:
    catalogue = catalogue_for(source.year)
    units = []
    for slug in sorted(s for s in groups if s):
        ctx = Context(source.year, layouts[slug], catalogue, _member(previous, slug), slug=slug)
        ctx.display = lambda rel, slug=slug: source.display_path(f"{UNITS_DIR}/{slug}/{rel}")
        units.append(assemble(groups[slug], ctx))
        problems += ctx.problems
    ctx = Context(source.year, layouts[""], catalogue, previous, units=tuple(units))
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
            ).format(year=prev.label, folder=prev.display_path("")),
            severity="warning",
        )
    ]
