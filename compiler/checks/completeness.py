"""What the layout requires and the year does not give: statutory tables not published,
empty parts without the prescribed statement, fields the layout prints that are missing.

Missing tables and statements are warnings (`validate --strict` makes them errors, for a
publishing pipeline); a field the templates print is an error, since the document could
not be written without it.
"""

from __future__ import annotations

from ..diagnostics import Diagnostic, Location
from ..i18n import _
from ..input.loader import Document, dotted
from ..layout.sections import plan, shown_tables, walk
from ..layout.wording import TextStyle
from ..model.disclosure import Disclosure

# The first part of a model path → the file it is written in, and the path inside it.
_FILES = {
    "unit": ("unit.yaml", ("unit",)),
    "legal_bases": ("unit.yaml", ()),
    "other_matters": ("unit.yaml", ()),
    "duties": ("unit.yaml", ()),
    "organisation": ("unit.yaml", ()),
}


def check(model: Disclosure, docs: dict[str, Document]) -> list[Diagnostic]:
    problems = _missing_tables(model, docs)
    problems += _sources_without_column(model)
    problems += _empty_without_statement(model, docs)
    problems += _required_fields(model, docs)
    return problems


def _where(docs: dict[str, Document]) -> Location:
    unit = docs.get("unit.yaml")
    return unit.locate(("layout",)) if unit is not None else Location("unit.yaml")


def _missing_tables(model: Disclosure, docs) -> list[Diagnostic]:
    """The statutory tables not published: one warning per cause, naming the tables; or,
    for the tables the year declares its edition does not publish (unit.yaml
    `not_published`), one information line with the declared reason."""
    layout = model.layout
    shown = {t.id for t in shown_tables(model)}
    declared, declared_reason, problems = _declared(model, docs)
    by_cause: dict[str, list[str]] = {}
    quiet: list[str] = []
    for table_id in layout.statutory_tables:
        table = layout.tables.get(table_id)
        name = table.statutory_name if table is not None else table_id
        if table_id in shown:
            if declared is not None and (table_id in declared or name in declared):
                problems.append(
                    Diagnostic(
                        _declaration_at(docs),
                        _(
                            "unit.yaml declares {name} not published, but the year publishes "
                            "it: remove it from not_published"
                        ).format(name=name),
                        field="not_published",
                        severity="warning",
                    )
                )
            continue
        if declared is not None and (declared == "all" or table_id in declared or name in declared):
            quiet.append(name)
            continue
        if table is not None and table.rows == "three_public" and model.three_public is None:
            cause = _(
                "{count} of the {total} statutory tables (公开表) are not published "
                "({names}): add three-public.yaml to publish them"
            )
        elif model.lines is None:
            cause = _(
                "{count} of the {total} statutory tables (公开表) are not published "
                "({names}): add lines.yaml (the budget lines by classification code) to "
                "publish them, or, if the published edition has no such tables, say so in "
                "unit.yaml not_published"
            )
        else:
            cause = _(
                "{count} of the {total} statutory tables (公开表) are not published "
                "({names}): the layout {layout} does not show them"
            )
        by_cause.setdefault(cause, []).append(name)
    total = len(layout.statutory_tables)
    for cause, names in by_cause.items():
        problems.append(
            Diagnostic(
                _where(docs),
                cause.format(
                    count=len(names), total=total, names="、".join(names), layout=layout.name
                ),
                field="layout",
                severity="warning",
            )
        )
    if quiet:
        if len(quiet) == total:
            said = _(
                "the published edition has none of the {total} statutory tables (公开表), "
                "as unit.yaml declares: {reason}"
            )
        else:
            said = _(
                "the published edition has {count} of the {total} statutory tables "
                "(公开表) not published ({names}), as unit.yaml declares: {reason}"
            )
        problems.append(
            Diagnostic(
                _declaration_at(docs),
                said.format(
                    count=len(quiet), total=total, names="、".join(quiet), reason=declared_reason
                ),
                field="not_published",
                severity="info",
            )
        )
    return problems


def _declared(model: Disclosure, docs) -> tuple:
    """unit.yaml `not_published`: ("all" or a set of table ids and names, its reason, and
    the problems of the declaration itself); (None, "", []) when there is none."""
    unit = docs.get("unit.yaml")
    value = (
        unit.data.get("not_published") if unit is not None and isinstance(unit.data, dict) else None
    )
    if not isinstance(value, dict):
        return None, "", []
    tables = value.get("tables", "all")
    reason = str(value.get("reason", ""))
    if tables == "all":
        return "all", reason, []
    named = {str(t) for t in tables or ()}
    layout = model.layout
    known = set(layout.statutory_tables)
    known |= {
        layout.tables[t].statutory_name for t in layout.statutory_tables if t in layout.tables
    }
    problems = [
        Diagnostic(
            unit.locate(("not_published", "tables")),
            _(
                "not_published names {name}, which is not a statutory table of the layout {layout}"
            ).format(name=name, layout=layout.name),
            field="not_published.tables",
        )
        for name in sorted(named - known)
    ]
    return named, reason, problems


def _declaration_at(docs) -> Location:
    unit = docs.get("unit.yaml")
    return unit.locate_key(("not_published",)) if unit is not None else Location("unit.yaml")


def _sources_without_column(model: Disclosure) -> list[Diagnostic]:
    """A source of funds the layout's tables have no column or row for. Its amount still
    counts in every 合计, so the columns of the published tables would not add up to
    their totals: an error at the first line of that source."""
    from ..model.lines import FISCAL, SOURCE_KEYS

    if model.lines is None:
        return []
    fields = set()
    for spec in shown_tables(model):
        fields |= {column.field for column in spec.columns}
        fields |= {figure for _label, figure in spec.income}
    by_source = {key for key in SOURCE_KEYS.values() if key in fields}
    if not by_source and "fiscal" not in fields:
        return []  # no table of this layout shows income by source
    shown = [
        s for s in SOURCE_KEYS if SOURCE_KEYS[s] in fields or (s in FISCAL and "fiscal" in fields)
    ]
    problems = []
    reported: set[str] = set()
    for line in (*model.lines.function, *model.lines.economic):
        if line.source in shown or line.source in reported or not line.total:
            continue
        if line.src is None:  # a department's sum: reported at its unit's own line
            continue
        reported.add(line.source)
        problems.append(
            Diagnostic(
                line.src.at("source"),
                _(
                    "the statutory tables of the layout {layout} have no column for "
                    "{source}: this amount would count in the totals but be shown nowhere, "
                    "so the tables would not add up; give the source the tables show it "
                    "under ({shown})"
                ).format(layout=model.layout.name, source=line.source, shown="、".join(shown)),
                field=dotted((*line.src.path, "source")),
            )
        )
    return problems


def _empty_without_statement(model: Disclosure, docs) -> list[Diagnostic]:
    from ..layout.tables import build

    problems = []
    for section in walk(plan(model)):
        if section.state == "omitted" and section.spec.required and not section.spec.tables:
            problems.append(
                Diagnostic(
                    _where(docs),
                    _(
                        "section {heading} is empty and the layout {layout} "
                        "has no statement for it, so it is left out"
                    ).format(heading=section.heading, layout=model.layout.name),
                    field="layout",
                    severity="warning",
                )
            )
    for spec in shown_tables(model):
        if spec.empty_note is None and build(spec, model).empty:
            problems.append(
                Diagnostic(
                    _where(docs),
                    _(
                        "table {name} is empty and the layout has no note saying why; "
                        "it is printed empty"
                    ).format(name=spec.statutory_name),
                    field="layout",
                    severity="warning",
                )
            )
    return problems


def _required_fields(model: Disclosure, docs) -> list[Diagnostic]:
    layout = model.layout
    wanted = list(layout.requires)
    if TextStyle.of(layout).short_name:  # its sentences name the unit by it
        wanted.append("unit.short_name")
    for section in walk(plan(model)):
        if section.shown:
            wanted += section.spec.requires
    problems = []
    for path in dict.fromkeys(wanted):
        for owner, attr in _missing(model, path.split(".")):
            problems.append(_missing_field(model, docs, path, owner, attr))
    return problems


def _missing(obj, parts: list[str], top: bool = True):
    """(object, attribute) pairs along `parts` whose value is missing (None or empty). A
    whole part that is absent (operating_costs in operating_costs.main_uses) is not
    reported here: its missing file is, by the pipeline."""
    name, rest = parts[0], parts[1:]
    many = name.endswith("[]")
    name = name.removesuffix("[]")
    value = getattr(obj, name, None)
    if value is None or (not many and value in ((), "")):
        if not (top and rest):
            yield obj, name
        return
    if not rest:
        return
    for item in value if many else (value,):
        yield from _missing(item, rest, top=False)


def _missing_field(model, docs, path: str, owner, attr: str) -> Diagnostic:
    head = path.split(".")[0].removesuffix("[]")
    src = getattr(owner, "src", None)
    if src is not None:
        where = src.key_at() if src.path else src.at()
        file = src.file.rsplit("/", 1)[-1]
        kind = file.removesuffix(".yaml")
        if src.file.rsplit("/", 2)[-2:-1] == ["projects"]:
            kind = "project"
    else:
        file, inner = _FILES.get(head, (f"{head.replace('_', '-')}.yaml", ()))
        doc = docs.get(file)
        where = (
            doc.locate_key(inner)
            if doc is not None and inner
            else (doc.locate(()) if doc is not None else Location(file))
        )
        kind = file.removesuffix(".yaml")
    from ..input.schema import title_of  # the validator's libraries: only for this message

    title = title_of(kind, attr)
    if title:
        message = _("missing {field} ({title}): the layout {layout} prints it; add it to {file}")
    else:
        message = _("missing {field}: the layout {layout} prints it; add it to {file}")
    return Diagnostic(
        where,
        message.format(field=attr, title=title, layout=model.layout.name, file=file),
        field=path.replace("[]", ""),
    )
