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
from ..paths import REVIEW_KINDS, SECTION_FILES, UNIT_FILE, UNITS_DIR, kind_of

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


def _not_this_units_layout(docs, rel: str, others: list[str], layout: Layout) -> Diagnostic:
    """A data file the unit's layout does not publish: most often unit.yaml (and so its
    layout) was copied from another unit, or the file from another unit's year. Names what
    unit.yaml says and which files do not fit it, and never advises deleting them: a data
    file holds the unit's facts (issue 23, part 6)."""
    unit = (docs[UNIT_FILE].data or {}).get("unit") or {}
    values = {
        "file": rel,
        "name": unit.get("name") or "?",
        "code": f" ({unit['code']})" if unit.get("code") else "",
        "layout": layout.name,
        "files": "、".join(others),
    }
    if others:
        message = _(
            "unit.yaml names {name}{code} with the layout {layout}, which publishes neither "
            "{file} nor {files}: unit.yaml and these files belong to different units or "
            "layouts. If unit.yaml was copied from another unit, write this unit's own name, "
            "code and layout in it; if these files are another unit's, move them to that "
            "unit's folder. Do not delete them: the facts they hold would be lost"
        )
    else:
        message = _(
            "unit.yaml names {name}{code} with the layout {layout}, which does not publish "
            "{file}: if unit.yaml's layout is wrong (copied from another unit?), correct it; "
            "if {file} belongs to another unit or year, move it there. Do not delete it: the "
            "facts it holds would be lost"
        )
    return Diagnostic(Location(docs[rel].file), message.format(**values))


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
    unit = (docs[UNIT_FILE].data or {}).get("unit") or {}
    unit_type = unit.get("type") if isinstance(unit, dict) else None
    problems = []
    # `type:` written and left empty (a new year's skeleton) is still to fill: the schema says so
    if layout.kind == "unit" and unit_type is None and "type" not in unit:
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
    used = {SECTION_FILES[UNIT_FILE]} | {"project"} | REVIEW_KINDS | set(layout.reads)
    applicable = {SECTION_FILES[UNIT_FILE]} | {"project"} | REVIEW_KINDS | set(layout.reads)
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
    unpublished = [rel for kind, rel in sorted(kinds.items()) if kind not in used]
    for rel in unpublished:
        others = [other for other in unpublished if other != rel]
        problems.append(_not_this_units_layout(docs, rel, others, layout))
    for kind, rel in sorted(kinds.items()):
        if kind in used and kind not in applicable and unit_type is not None:
            problems.append(
                Diagnostic(
                    Location(docs[rel].file),
                    _(
                        "a {unit_type} has no part for {file} in the layout {layout} (it is "
                        "published only by the unit types the rules give it to): if unit.type "
                        "in unit.yaml is wrong, correct it; if {file} is another unit's, move "
                        "it to that unit's folder (do not delete it: the facts it holds would "
                        "be lost)"
                    ).format(unit_type=unit_type, file=rel, layout=layout.name),
                )
            )
    return problems
