"""Layouts: which sections a published document has, in which order, with which headings.

A layout is a folder under templates/layouts/<name>/ holding a manifest (layout.yaml,
checked against schemas/layout.schema.json) and the templates of its sections. A layout
may extend another: it inherits the parent's manifest keys it does not set, and its
templates are looked up first in its own folder, then in the parent's, then in the shared
templates/ folder. Adding a layout is a matter of a manifest and templates; the engine
does not know sections by name (as Sphinx themes and MkDocs plugins work).

A project (the folder that holds data/) may have layouts of its own in layouts/<name>/,
made the same way (input/projectlayouts.py). A year's `layout: <name>` finds the project's layout
of that name first, then the tool's; a project layout may extend the tool's layouts or the
project's others (`extends: <its own name>` extends the tool's layout of that name). The
tool's layouts extend only the tool's, so a project never changes them, it can only
replace one by name. A project's layouts are untrusted input (a pull request can change
them): their manifests are read as data files are and checked here, with located problems,
and their templates are rendered in Jinja's sandbox (render/sandbox.py), and checked
before anything is built (render/templatecheck.py, when a year names the layout).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

import yaml

from ..diagnostics import Diagnostic, Location, has_errors
from ..i18n import _
from ..input.loader import Document
from ..input.pasted_text import DEFAULT_QUOTES
from ..input.projectlayouts import MANIFEST, ProjectLayouts, UnsafeFile
from ..paths import LAYOUTS_DIR, SCHEMAS_DIR
from . import placeholders
from .placeholders import TEXT, YEAR_ONLY
from .specs import (
    FORMER_ITEM_FACTS,
    UNIT_TYPES,
    ColumnSpec,
    Layout,
    LayoutError,
    ProjectLayoutError,
    SectionSpec,
    TableSpec,
)


def available_layouts() -> list[str]:
    """The tool's layouts."""
    return sorted(
        p.name for p in LAYOUTS_DIR.iterdir() if p.is_dir() and (p / "layout.yaml").is_file()
    )


@cache
def _manifest_schema() -> dict:
    return json.loads((SCHEMAS_DIR / "layout.schema.json").read_text(encoding="utf-8"))


@cache
def _read_manifest(name: str) -> dict:
    """A tool layout's manifest (trusted: it ships with the tool, and the tests check it)."""
    path = LAYOUTS_DIR / name / "layout.yaml"
    if not path.is_file() or not name.replace("-", "").isalnum():
        raise LayoutError(_unknown(name, None))
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml: ten times faster
    return yaml.load(path.read_text(encoding="utf-8"), Loader=loader) or {}


def _unknown(name: str, project: ProjectLayouts | None) -> str:
    known = "、".join(available_layouts())
    own = project.names() if project is not None else []
    if own:
        return _(
            "unknown layout '{name}'; the layouts are: {known}, and this project's "
            "({folder}/): {own}"
        ).format(name=name, known=known, folder=project.label, own="、".join(own))
    return _("unknown layout '{name}'; the layouts are: {known}").format(name=name, known=known)


def forget_layouts() -> None:
    """Read the layouts' manifests again on next use (`disclosure serve`, after a manifest
    or a project layout's file was saved)."""
    _read_manifest.cache_clear()
    _load.cache_clear()


def check_manifest(name: str) -> list[str]:
    """A layout's manifest against schemas/layout.schema.json (the tests check every
    layout we ship, so a build need not): the problems, as 'path: message'."""
    from jsonschema import Draft202012Validator

    manifest = _read_manifest(name)
    errors = sorted(Draft202012Validator(_manifest_schema()).iter_errors(manifest), key=str)
    return ["/".join(str(p) for p in e.absolute_path) + f": {e.message}" for e in errors]


@dataclass(frozen=True)
class _Link:
    """One layout of a chain (a layout, its parent, …): the tool's or the project's."""

    name: str
    folder: Path
    manifest: dict = field(hash=False, compare=False)
    document: Document | None = field(default=None, hash=False, compare=False)  # a project's

    @property
    def in_project(self) -> bool:
        return self.document is not None


def load_layout(name: str, project: ProjectLayouts | None = None) -> Layout:
    """The layout `name` with its parents' keys filled in: the project's layout of that
    name if `project` has one, else the tool's. A project's layout that cannot be used
    raises ProjectLayoutError with its problems at their files and lines."""
    loaded = _load(name, project)
    if isinstance(loaded, Exception):
        raise loaded
    return loaded


@cache
def _load(name: str, project: ProjectLayouts | None) -> Layout | LayoutError:
    try:
        return _assemble_layout(name, project)
    except LayoutError as e:  # remembered too: a broken layout is checked once per process
        return e


def _find(name: str, project: ProjectLayouts | None, *, own_name: str | None = None) -> _Link:
    """The layout `name`: the project's (unless `own_name` is `name`: a project layout that
    extends its own name extends the tool's layout of that name), else the tool's."""
    if project is not None and name != own_name:
        folder = project.layout_folder(name)
        if folder is not None:
            manifest, document = _project_manifest(project, folder)
            return _Link(name, folder, manifest, document)
    try:
        manifest = _read_manifest(name)
    except LayoutError:
        raise LayoutError(_unknown(name, project)) from None
    return _Link(name, LAYOUTS_DIR / name, manifest)


def _project_manifest(project: ProjectLayouts, folder: Path) -> tuple[dict, Document]:
    """A project layout's manifest, read as untrusted input: a plain file, loaded as the
    data files are (located, refusing aliases, tags and hidden characters), checked against
    the layout schema and for placeholders; ProjectLayoutError with every problem."""
    from ..input.loader import load_bytes
    from ..input.schema_cache import validate_document

    path = folder / MANIFEST
    shown = project.shown(path)
    try:
        raw = project.read(path)
    except FileNotFoundError:
        raise ProjectLayoutError(
            [Diagnostic(Location(project.shown(folder)), _("no layout.yaml in this folder"))]
        ) from None
    except UnsafeFile as e:
        raise ProjectLayoutError([Diagnostic(Location(e.file), e.reason)]) from None
    except OSError as e:
        raise ProjectLayoutError([Diagnostic(Location(shown), str(e))]) from None
    document, problems = load_bytes(shown, raw)
    if document is None or has_errors(problems):
        raise ProjectLayoutError(problems)
    if not isinstance(document.data, dict):
        message = _("a layout's manifest is a mapping of keys (description, extends, sections …)")
        raise ProjectLayoutError([Diagnostic(document.locate(()), message)])
    problems += validate_document(document, "layout")
    if not has_errors(problems):
        problems += _check_texts(document)
    if has_errors(problems):
        raise ProjectLayoutError(problems)
    return document.data, document


def _check_texts(document: Document) -> list[Diagnostic]:
    """The texts the compiler fills in (only bare {year}, {previous_year}, {unit}; the
    document and file titles {year} only), the file title (it names the published files)
    and each section's `empty_if` (a restricted expression, see sections.evaluate)."""
    from .sections import check_expression

    data = document.data
    checks: list[tuple[tuple, str, tuple[str, ...]]] = []
    if isinstance(data.get("document_title"), str):
        checks.append((("document_title",), data["document_title"], YEAR_ONLY))
    title = (data.get("options") or {}).get("file_title")
    if isinstance(title, str):
        checks.append((("options", "file_title"), title, YEAR_ONLY))

    def sections(items, path):
        for i, section in enumerate(items or ()):
            for key in ("heading", "title", "when_empty"):
                if isinstance(section.get(key), str):
                    checks.append(((*path, i, key), section[key], TEXT))
            sections(section.get("subsections"), (*path, i, "subsections"))

    sections(data.get("sections"), ("sections",))
    for i, table in enumerate(data.get("tables") or ()):
        for key in ("title", "empty_note"):
            if isinstance(table.get(key), str):
                checks.append((("tables", i, key), table[key], TEXT))
        for j, column in enumerate(table.get("columns") or ()):
            for k, text in enumerate(column.get("header") or ()):
                checks.append((("tables", i, "columns", j, "header", k), text, TEXT))
    problems = _check_tables(document)
    for path, text, allowed in checks:
        try:
            placeholders.names(text, allowed)
        except placeholders.PlaceholderError as e:
            problems.append(Diagnostic(document.locate(path), str(e), field=_dotted(path)))
    if isinstance(title, str) and (not title.strip() or any(c in title for c in "/\\")):
        problems.append(
            Diagnostic(
                document.locate(("options", "file_title")),
                _(
                    "the file title names the published files: it may not be empty or "
                    "contain / or \\"
                ),
                field="options.file_title",
            )
        )

    def expressions(items, path):
        for i, section in enumerate(items or ()):
            if isinstance(section.get("empty_if"), str):
                try:
                    check_expression(section["empty_if"])
                except (SyntaxError, ValueError) as e:
                    where = (*path, i, "empty_if")
                    message = _("{expression} is not a condition a layout may use: {error}")
                    problems.append(
                        Diagnostic(
                            document.locate(where),
                            message.format(expression=repr(section["empty_if"]), error=e),
                            field=_dotted(where),
                        )
                    )
            expressions(section.get("subsections"), (*path, i, "subsections"))

    expressions(data.get("sections"), ("sections",))
    return problems


def _check_tables(document: Document) -> list[Diagnostic]:
    """Each column's field and each income row's figure is one the tables know."""
    from .tables import INCOME_FIGURES, known_fields

    problems = []

    def unknown(path: tuple, message: str) -> None:
        problems.append(Diagnostic(document.locate(path), message, field=_dotted(path)))

    for i, table in enumerate(document.data.get("tables") or ()):
        fields = known_fields(table.get("rows", ""))
        for j, column in enumerate(table.get("columns") or ()):
            if column.get("field") not in fields:
                unknown(
                    ("tables", i, "columns", j, "field"),
                    _("{field} is not a field of a table of {rows} rows: {fields}").format(
                        field=column.get("field"),
                        rows=table.get("rows"),
                        fields=_(", ").join(sorted(fields)),
                    ),
                )
        for j, row in enumerate(table.get("income") or ()):
            if row.get("figure") not in INCOME_FIGURES:
                unknown(
                    ("tables", i, "income", j, "figure"),
                    _("{figure} is not an income figure: {figures}").format(
                        figure=row.get("figure"),
                        figures=_(", ").join(sorted(INCOME_FIGURES)),
                    ),
                )
    return problems


def _dotted(path: tuple) -> str:
    from ..input.loader import dotted

    return dotted(path)


def _assemble_layout(name: str, project: ProjectLayouts | None) -> Layout:
    """The layout with its parents' keys filled in."""
    first = _find(name, project)
    chain = [first]
    while "extends" in chain[-1].manifest:
        child = chain[-1]
        parent_name = child.manifest["extends"]
        try:
            if child.in_project:
                parent = _find(parent_name, project, own_name=child.name)
            else:
                parent = _find(parent_name, None)  # the tool's layouts extend the tool's
        except ProjectLayoutError:
            raise
        except LayoutError as e:
            if child.in_project:
                raise ProjectLayoutError(
                    [_at(child, ("extends",), _unknown(parent_name, project))]
                ) from e
            raise
        if any((c.name, c.in_project) == (parent.name, parent.in_project) for c in chain):
            message = _("layout '{name}' extends itself through {chain}").format(
                name=name, chain=" → ".join([c.name for c in chain] + [parent.name])
            )
            if child.in_project:
                raise ProjectLayoutError([_at(child, ("extends",), message)])
            raise LayoutError(message)
        chain.append(parent)
    merged: dict[str, Any] = {}
    origin: dict[str, _Link] = {}  # the layout each key was taken from
    for link in chain:
        for key, value in link.manifest.items():
            if key not in merged:
                merged[key] = value
                origin[key] = link
    options: dict[str, Any] = {}
    for link in reversed(chain):  # options merge key by key, the child's winning
        options.update(link.manifest.get("options", {}))
    tables_raw = {}
    for link in reversed(chain):  # a child's table replaces its parent's of that id
        for table in link.manifest.get("tables", []):
            tables_raw[table["id"]] = table
    amount_unit = merged.get("amount_unit", "万元")
    tables = {tid: _table(t, amount_unit) for tid, t in tables_raw.items()}
    if "sections" not in merged or "document_title" not in merged:
        missing = "sections" if "sections" not in merged else "document_title"
        message = _("layout '{name}' has no {key}, and no layout it extends has").format(
            name=name, key=missing
        )
        raise (
            ProjectLayoutError([_at(first, (), message)])
            if first.in_project
            else LayoutError(message)
        )
    sections = tuple(_section(s) for s in merged["sections"])
    for i, top in enumerate(sections):
        for j, s in enumerate((top, *top.subsections)):
            for tid in s.tables:
                if tid not in tables:
                    message = _(
                        "layout '{name}': section {section} shows unknown table {table}"
                    ).format(name=name, section=s.id, table=tid)
                    where = origin["sections"]
                    if where.in_project:
                        path = ("sections", i) + (("subsections", j - 1) if j else ()) + ("tables",)
                        raise ProjectLayoutError([_at(where, path, message)])
                    raise LayoutError(message)
    problems = []
    section_ids = {s.id for top in sections for s in (top, *top.subsections)}
    for key, allowed in (("statutory_tables", set(tables)), ("workbook", {*tables, *section_ids})):
        if key in origin and origin[key].in_project:
            for i, item in enumerate(merged[key]):
                if item not in allowed:
                    message = (
                        _("{item} is not a table of this layout: {known}")
                        if key == "statutory_tables"
                        else _("{item} is neither a table nor a section of this layout: {known}")
                    ).format(item=item, known=_(", ").join(sorted(allowed)))
                    problems.append(_at(origin[key], (key, i), message))
    if problems:
        raise ProjectLayoutError(problems)
    project_dirs = tuple(link.folder for link in chain if link.in_project)
    conditions = {}
    section_origins = {}
    if origin["sections"].in_project:
        document = origin["sections"].document
        for i, raw in enumerate(merged["sections"]):
            specs = (sections[i], *sections[i].subsections)
            for j, sub in enumerate((raw, *raw.get("subsections", ()))):
                at = ("sections", i) + (("subsections", j - 1) if j else ())
                if "empty_if" in sub:
                    conditions[sub["id"]] = document.locate((*at, "empty_if"))
                key = "template" if "template" in sub else "id"
                section_origins[specs[j]] = document.locate((*at, key))
    layout = Layout(
        name=name,
        description=merged.get("description", name),
        kind=merged.get("kind", "unit"),
        document_title=merged["document_title"],
        amount_unit=amount_unit,
        sections=sections,
        tables=tables,
        statutory_tables=tuple(merged.get("statutory_tables", ())),
        template_dirs=tuple(link.folder for link in chain),
        options=options,
        workbook=tuple(merged.get("workbook", ())),
        unit_layout=merged.get("unit_layout"),
        package=merged.get("package", "department"),
        requires=tuple(merged.get("requires", ())),
        quotes=merged.get("quotes", DEFAULT_QUOTES),
        reads=tuple(merged.get("reads", ())),
        project_dirs=project_dirs,
        project=project if project_dirs else None,
        manifest=project.shown(first.folder / MANIFEST) if first.in_project else "",
        conditions=conditions,
        section_origins=section_origins,
    )
    return layout


def _at(link: _Link, path: tuple, message: str) -> Diagnostic:
    return Diagnostic(link.document.locate(path), message, field=_dotted(path) if path else "")


def _section(raw: dict) -> SectionSpec:
    return SectionSpec(
        id=raw["id"],
        heading=raw["heading"],
        template=raw.get("template", raw["id"]),
        files=tuple(raw.get("files", ())),
        required=raw.get("required", True),
        applies_to=tuple(raw.get("applies_to", UNIT_TYPES)),
        empty_if=raw.get("empty_if"),
        when_empty=raw.get("when_empty"),
        title=raw.get("title"),
        tables=tuple(raw.get("tables", ())),
        requires=tuple(raw.get("requires", ())),
        subsections=tuple(_section(sub) for sub in raw.get("subsections", ())),
        item_prints=(
            tuple(FORMER_ITEM_FACTS.get(f, f) for f in raw["prints"]["item"])
            if "item" in raw.get("prints", {})
            else None
        ),
        class_prints=(tuple(raw["prints"]["class"]) if "class" in raw.get("prints", {}) else None),
        reason_prints=(
            tuple(raw["prints"]["reason"]) if "reason" in raw.get("prints", {}) else None
        ),
    )


def _table(raw: dict, default_unit: str) -> TableSpec:
    return TableSpec(
        id=raw["id"],
        title=raw["title"],
        sheet=raw.get("sheet", raw["id"]),
        rows=raw["rows"],
        columns=tuple(
            ColumnSpec(
                header=tuple(c["header"]),
                field=c["field"],
                format=c.get("format", "money"),
                width=c.get("width"),
            )
            for c in raw["columns"]
        ),
        unit=raw.get("unit", default_unit),
        source=raw.get("source"),
        zero=raw.get("zero", "0"),
        total_label=raw.get("total_label", "合计"),
        total_label_field=raw.get("total_label_field"),
        empty_note=raw.get("empty_note"),
        income=tuple((row["label"], row["figure"]) for row in raw.get("income", ())),
        total_labels=tuple(raw.get("total_labels", ())),
        statutory_name=raw.get("statutory_name", raw["title"]),
        number_style=raw.get("number_style", "fixed"),
        thousands=raw.get("thousands", True),
    )
