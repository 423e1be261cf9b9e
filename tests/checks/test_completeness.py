"""The completeness report (issue 10, point 4): an empty part of a layout without the
statement it should print, and an empty table without its note, are named by validate."""

from __future__ import annotations

import dataclasses

from conftest import ROOT

from compiler import compile_year, parse_year_spec
from compiler.checks import completeness

DEPARTMENT = ROOT / "tests" / "data" / "department"


def _centre():
    """The made-up 事业单位: no 三公经费 in either year, so its 三公 part and table are empty."""
    result = compile_year(parse_year_spec("2025", DEPARTMENT))
    assert result.model is not None, [d.format_text() for d in result.diagnostics]
    centre = next(u for u in result.model.units if u.slug == "02-centre")
    docs = {
        name.split("/", 2)[2]: doc
        for name, doc in result.documents.items()
        if name.startswith("units/02-centre/")
    }
    return centre, docs


def _without(layout, *, section: str | None = None, table: str | None = None):
    def strip(spec):
        spec = dataclasses.replace(spec, subsections=tuple(strip(s) for s in spec.subsections))
        return dataclasses.replace(spec, when_empty=None) if spec.id == section else spec

    tables = dict(layout.tables)
    if table is not None:
        tables[table] = dataclasses.replace(tables[table], empty_note=None)
    return dataclasses.replace(
        layout, sections=tuple(strip(s) for s in layout.sections), tables=tables
    )


def _layout_warnings(model, docs) -> list[str]:
    return [d.message for d in completeness.check(model, docs) if d.field == "layout"]


def test_the_shipped_layout_has_a_statement_for_every_empty_part():
    centre, docs = _centre()
    assert _layout_warnings(centre, docs) == []


def test_an_empty_part_without_its_statement_is_named():
    centre, docs = _centre()
    bare = dataclasses.replace(centre, layout=_without(centre.layout, section="three_public"))
    assert _layout_warnings(bare, docs) == [
        "section 2025年“三公”经费预算情况说明 is empty and the layout shanghai-putuo-unit has "
        "no statement for it, so it is left out"
    ]


def test_an_empty_table_without_its_note_is_named():
    centre, docs = _centre()
    bare = dataclasses.replace(centre, layout=_without(centre.layout, table="three_public"))
    assert _layout_warnings(bare, docs) == [
        "table “三公”经费和机关运行经费预算表 is empty and the layout has no note saying "
        "why; it is printed empty"
    ]
