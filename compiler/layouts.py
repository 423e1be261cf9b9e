"""Layouts: which sections a published document has, in which order, with which headings.

A layout is a folder under templates/layouts/<name>/ holding a manifest (layout.yaml,
checked against schemas/layout.schema.json) and the templates of its sections. A layout
may extend another: it inherits the parent's manifest keys it does not set, and its
templates are looked up first in its own folder, then in the parent's, then in the shared
templates/ folder. Adding a layout is a matter of a manifest and templates; the engine
does not know sections by name (as Sphinx themes and MkDocs plugins work).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

import yaml

from .i18n import _
from .paths import LAYOUTS_DIR, SCHEMAS_DIR

UNIT_TYPES = ("行政单位", "参照公务员法管理的事业单位", "事业单位")
# A layout's tables may show amounts in either; the data may hold either (see lines.py).
AMOUNT_UNITS = ("元", "万元")


class LayoutError(Exception):
    """A layout that cannot be used: unknown, or its manifest is malformed (a tool bug or
    a broken installation, not a data error)."""


@dataclass(frozen=True)
class ColumnSpec:
    """One column of a statutory table: its header path (outer to inner), the row field
    it shows and how (money, code, text)."""

    header: tuple[str, ...]
    field: str
    format: str = "money"
    width: str | None = None


@dataclass(frozen=True)
class TableSpec:
    """A statutory table (公开表): a query over the model and its columns."""

    id: str
    title: str
    sheet: str
    rows: str  # the query: function, economic, overview, fiscal_overview, three_public
    columns: tuple[ColumnSpec, ...]
    unit: str
    source: str | None = None  # restricts the lines: fiscal, general, fund, capital
    zero: str = "0"  # how a zero amount is printed in the body: "0" or "" (blank)
    total_label: str | None = "合计"
    total_label_field: str | None = None  # the column the total's label sits in
    empty_note: str | None = None
    income: tuple[tuple[str, str], ...] = ()  # overview tables: (label, figure) rows
    total_labels: tuple[str, ...] = ()  # overview tables: labels of the two total cells
    statutory_name: str = ""  # the name validate uses when the table is missing
    number_style: str = "fixed"  # fixed: 25.00; trim: 25 (as Shanghai's 三公 table prints)
    thousands: bool = True  # 156,211,123

    @property
    def header_depth(self) -> int:
        return max(len(c.header) for c in self.columns)


@dataclass(frozen=True)
class SectionSpec:
    id: str
    heading: str
    template: str
    files: tuple[str, ...] = ()  # data kinds the section reads
    required: bool = True  # its files must be present (else the section may be empty)
    applies_to: tuple[str, ...] = UNIT_TYPES
    empty_if: str | None = None  # a template expression over `m`
    when_empty: str | None = None  # the statement printed instead of an empty section
    title: str | None = None  # the heading above the section's page, where it differs
    tables: tuple[str, ...] = ()  # table ids the section shows
    requires: tuple[str, ...] = ()  # model fields its templates print (validate checks them)
    subsections: tuple[SectionSpec, ...] = ()  # numbered 一、二、… inside the section


@dataclass(frozen=True)
class Layout:
    name: str
    description: str
    kind: str  # unit or department
    document_title: str
    amount_unit: str
    sections: tuple[SectionSpec, ...]
    tables: dict[str, TableSpec] = field(hash=False)
    statutory_tables: tuple[str, ...]  # what the rules require every unit to publish
    template_dirs: tuple[Path, ...]
    options: dict[str, Any] = field(hash=False, default_factory=dict)
    workbook: tuple[str, ...] = ()  # sheets of --format xlsx: table ids and section ids
    unit_layout: str | None = None  # a department's units are published in this layout
    package: str = "department"  # department: the package is the department's own document;
    # department+units: the department's document, then each unit's, in one package
    requires: tuple[str, ...] = ()  # model fields the document's frame prints (title, opening)

    def section(self, section_id: str) -> SectionSpec | None:
        return next((s for s in self.all_sections() if s.id == section_id), None)

    def all_sections(self) -> list[SectionSpec]:
        """Every section and subsection, in document order."""
        out = []
        for s in self.sections:
            out.append(s)
            out += s.subsections
        return out

    def title_for(self, year: int) -> str:
        return self.document_title.format(year=year)

    def __hash__(self) -> int:
        return hash(self.name)

    def __eq__(self, other) -> bool:
        return isinstance(other, Layout) and other.name == self.name


def available_layouts() -> list[str]:
    return sorted(
        p.name for p in LAYOUTS_DIR.iterdir() if p.is_dir() and (p / "layout.yaml").is_file()
    )


@cache
def _manifest_schema() -> dict:
    return json.loads((SCHEMAS_DIR / "layout.schema.json").read_text(encoding="utf-8"))


@cache
def _read_manifest(name: str) -> dict:
    path = LAYOUTS_DIR / name / "layout.yaml"
    if not path.is_file() or not name.replace("-", "").isalnum():
        known = "、".join(available_layouts())
        raise LayoutError(
            _("unknown layout '{name}'; the layouts are: {known}").format(name=name, known=known)
        )
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml: ten times faster
    return yaml.load(path.read_text(encoding="utf-8"), Loader=loader) or {}


def forget_layouts() -> None:
    """Read the layouts' manifests again on next use (`disclosure serve`, after a manifest
    was saved)."""
    _read_manifest.cache_clear()
    load_layout.cache_clear()


def check_manifest(name: str) -> list[str]:
    """A layout's manifest against schemas/layout.schema.json (the tests check every
    layout we ship, so a build need not): the problems, as 'path: message'."""
    from jsonschema import Draft202012Validator

    manifest = _read_manifest(name)
    errors = sorted(Draft202012Validator(_manifest_schema()).iter_errors(manifest), key=str)
    return ["/".join(str(p) for p in e.absolute_path) + f": {e.message}" for e in errors]


@cache
def load_layout(name: str) -> Layout:
    """The layout with its parents' keys filled in."""
    chain = [name]
    manifest = _read_manifest(name)
    merged = dict(manifest)
    while "extends" in manifest:
        parent = manifest["extends"]
        if parent in chain:
            raise LayoutError(
                _("layout '{name}' extends itself through {chain}").format(
                    name=name, chain=" → ".join(chain)
                )
            )
        chain.append(parent)
        manifest = _read_manifest(parent)
        for key, value in manifest.items():
            merged.setdefault(key, value)
    options: dict[str, Any] = {}
    for layout_name in reversed(chain):  # options merge key by key, the child's winning
        options.update(_read_manifest(layout_name).get("options", {}))
    tables_raw = {}
    for layout_name in reversed(chain):  # a child's table replaces its parent's of that id
        for table in _read_manifest(layout_name).get("tables", []):
            tables_raw[table["id"]] = table
    amount_unit = merged.get("amount_unit", "万元")
    tables = {tid: _table(t, amount_unit) for tid, t in tables_raw.items()}
    sections = tuple(_section(s) for s in merged["sections"])
    for s in [s for top in sections for s in (top, *top.subsections)]:
        for tid in s.tables:
            if tid not in tables:
                raise LayoutError(
                    _("layout '{name}': section {section} shows unknown table {table}").format(
                        name=name, section=s.id, table=tid
                    )
                )
    return Layout(
        name=name,
        description=merged.get("description", name),
        kind=merged.get("kind", "unit"),
        document_title=merged["document_title"],
        amount_unit=amount_unit,
        sections=sections,
        tables=tables,
        statutory_tables=tuple(merged.get("statutory_tables", ())),
        template_dirs=tuple(LAYOUTS_DIR / n for n in chain),
        options=options,
        workbook=tuple(merged.get("workbook", ())),
        unit_layout=merged.get("unit_layout"),
        package=merged.get("package", "department"),
        requires=tuple(merged.get("requires", ())),
    )


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
