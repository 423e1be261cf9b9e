"""The files a year's layout needs and does not have, and the files it would not publish.

Run before the model is assembled: a missing file the layout requires, a file of a
section the layout does not have (or not for this unit type), a unit type missing, a
department's layout chosen for a unit.
"""

from __future__ import annotations

from ..diagnostics import Diagnostic, Location
from ..i18n import _
from ..input.loader import Document
from ..input.sources import YearSource
from ..layout.specs import Layout
from ..paths import SECTION_FILES, UNIT_FILE, UNITS_DIR, kind_of

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


def check_files(
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
