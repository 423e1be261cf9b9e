"""What a layout is, once read: its sections, its statutory tables, its errors.

The types every room that reads a layout uses (the model's assembly, the section plan,
the tables, the renderers), apart from the reading of manifests (manifest.py), so that
naming a layout's parts never imports the reader or its checks.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..diagnostics import Diagnostic, Location
from ..errors import Trouble
from ..input.pasted_text import DEFAULT_QUOTES
from ..input.projectlayouts import ProjectLayouts
from . import placeholders
from .placeholders import YEAR_ONLY

UNIT_TYPES = ("行政单位", "参照公务员法管理的事业单位", "事业单位")

# The facts a form may print about each item of a list (the Shanghai 预算编制说明's items):
# use (主要用于…), previous_outturn (上年执行数: last year's outturn as the document prints
# it, a published fact of its own, not last year's budget), change (增减额), percent (增减率),
# reason (增减原因). `previous`, its former name, is read as previous_outturn (the only
# 上年数 of an item any form printed was 上年预算执行数).
ITEM_FACTS = ("use", "previous_outturn", "change", "percent", "reason")
FORMER_ITEM_FACTS = {"previous": "previous_outturn"}
# What a section that does not say prints for its items: the 2024 Putuo form (each item's
# use, last year's figure, the percentage change and the reason), as before `prints` existed.
DEFAULT_ITEM_FACTS = ("use", "previous_outturn", "percent", "reason")
# The facts that need last year's figure.
NEEDS_PREVIOUS = ("previous_outturn", "change", "percent")


class LayoutError(Trouble):
    """A layout that cannot be used: unknown, or its manifest is malformed (a tool bug or
    a broken installation, not a data error)."""


class ConditionError(LayoutError):
    """A section's `empty_if` that cannot be evaluated for a model (`m.procurement.is_empty`
    where the unit has no procurement); `location` is where a project's layout writes it
    (None for the tool's: a bug of the tool)."""

    def __init__(self, message: str, location: Location | None = None):
        super().__init__(message)
        self.location = location


class ProjectLayoutError(LayoutError):
    """A project's layout that cannot be used (its manifest or templates are broken): each
    problem at its file and line, as data errors are."""

    def __init__(self, diagnostics: list[Diagnostic]):
        super().__init__("; ".join(d.format_text() for d in diagnostics))
        self.diagnostics = diagnostics


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
    # `prints: {item: [...]}`: the facts the form prints about each item of the section's
    # list (ITEM_FACTS); validate requires exactly those. None: DEFAULT_ITEM_FACTS.
    item_prints: tuple[str, ...] | None = None
    # `prints: {class: [...]}`: the form explains the budget by 类 (a city unit's), each
    # 类's 财政拨款 from the lines and, with `change`, its change against last year's lines.
    # None: the form has no list by 类.
    class_prints: tuple[str, ...] | None = None
    # `prints: {reason: [...]}`: the 三公 reasons (three-public.yaml reasons) the form's text
    # prints; a reason given under another key would not be printed. None: not declared.
    reason_prints: tuple[str, ...] | None = None

    @property
    def item_facts(self) -> tuple[str, ...]:
        """The facts the form prints about each item (what validate requires)."""
        return DEFAULT_ITEM_FACTS if self.item_prints is None else self.item_prints


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
    quotes: str = DEFAULT_QUOTES  # the documents' double quotes (“” or 「」): fmt writes these
    # Data kinds the model reads besides the sections' (optional, printed by no section of
    # their own): figures it takes only where the repository cannot compute them.
    reads: tuple[str, ...] = ()
    # The folders of template_dirs that are a project's (its layouts/<name>/): untrusted, so
    # their files are read only as plain files and the layout renders in the sandbox.
    project_dirs: tuple[Path, ...] = ()
    project: ProjectLayouts | None = field(default=None, hash=False, compare=False)
    manifest: str = ""  # a project's layout: its layout.yaml as messages name it
    # Where a project's manifest writes each section's empty_if: section id → location.
    conditions: dict[str, Location] = field(default_factory=dict, hash=False, compare=False)
    # The sections a project's manifest lists, with where (their template's templates are
    # checked when the layout is read).
    section_origins: dict[SectionSpec, Location] = field(
        default_factory=dict, hash=False, compare=False
    )

    @property
    def sandboxed(self) -> bool:
        """Its templates render in Jinja's sandbox: a project's layout is in its chain."""
        return bool(self.project_dirs)

    def section(self, section_id: str) -> SectionSpec | None:
        return next((s for s in self.all_sections() if s.id == section_id), None)

    def item_facts(self, kind: str) -> tuple[str, ...] | None:
        """The facts the form prints about each item explained by the data file `kind`
        (line-notes): those of the first section that reads it; None if none does."""
        for s in self.all_sections():
            if kind in s.files:
                return s.item_facts
        return None

    def reasons_printed(self, kind: str) -> tuple[str, ...] | None:
        """The reasons the form prints of the data file `kind` (three-public): those the
        first section that reads it declares; None if it declares none."""
        for s in self.all_sections():
            if kind in s.files:
                return s.reason_prints
        return None

    def explains_classes(self) -> bool:
        """Some section's form explains the budget by 类 (`prints: {class: …}`)."""
        return any(s.class_prints is not None for s in self.all_sections())

    def all_sections(self) -> list[SectionSpec]:
        """Every section and subsection, in document order."""
        out = []
        for s in self.sections:
            out.append(s)
            out += s.subsections
        return out

    def title_for(self, year: int) -> str:
        return placeholders.fill_in(self.document_title, YEAR_ONLY, year=year)

    def file_title_for(self, year: int) -> str:
        """What the published files' names say the document is (options.file_title)."""
        title = self.options.get("file_title", "{year}年单位预算信息公开")
        return placeholders.fill_in(title, YEAR_ONLY, year=year)

    def __hash__(self) -> int:
        return hash((self.name, self.template_dirs))

    def __eq__(self, other) -> bool:
        # Two layouts of one name differ when they come from different folders (the tool's
        # and a project's, or a project's at two revisions).
        return (
            isinstance(other, Layout)
            and other.name == self.name
            and other.template_dirs == self.template_dirs
        )
