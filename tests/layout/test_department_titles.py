"""A department layout that takes its tables from the unit layout (hebei-department from
hebei-unit) titles its own tables as the department's: 2022年部门收支总表 above the
department's consolidated figures, 2022年单位收支总表 above each unit's ({self_name})."""

from __future__ import annotations

from fixtures.departments import hebei_department_with_lines

from compiler import compile_year, parse_year_spec
from compiler.layout.sections import shown_tables
from compiler.layout.tables import build


def _titles(model) -> list[str]:
    return [build(spec, model).title for spec in shown_tables(model)]


def test_a_hebei_departments_tables_are_the_departments(tmp_path):
    result = compile_year(parse_year_spec("2022", hebei_department_with_lines(tmp_path)))
    assert result.ok, [d.format_text() for d in result.diagnostics if d.is_error]
    department = _titles(result.model)
    assert department[0] == "2022年部门收支总表"
    assert len(department) == 9 and all(t.startswith("2022年部门") for t in department)
    for unit in result.model.units:
        titles = _titles(unit)
        assert titles[0] == "2022年单位收支总表"
        assert all(t.startswith("2022年单位") for t in titles)
