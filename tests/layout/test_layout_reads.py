"""A layout declares the data files it reads besides its sections' (`reads`), instead of a
section that never prints: the 决算 layout reads initial-budget.yaml and previous-final.yaml
(figures the repository could not compute) and prints them in its text, not as a section."""

from __future__ import annotations

import shutil

import pytest
from conftest import DATA

from compiler import compile_year, parse_year_spec
from compiler.layout.manifest import available_layouts, load_layout

FINAL = "shanghai-putuo-department-final"


@pytest.mark.parametrize("name", available_layouts())
def test_no_layout_has_a_section_that_never_prints(name):
    never = [s.id for s in load_layout(name).all_sections() if (s.empty_if or "").strip() == "True"]
    assert never == []


def test_the_final_layout_reads_the_typed_comparisons_without_a_section_for_them():
    layout = load_layout(FINAL)
    assert layout.reads == ("initial-budget", "previous-final")
    assert not any({"initial-budget", "previous-final"} & set(s.files) for s in layout.sections)


def test_a_budget_layout_does_not_read_them(tmp_path):
    """Only a layout that declares a file reads it: beside a budget it is still reported."""
    data = tmp_path / "data"
    shutil.copytree(DATA / "2022", data / "2022")
    (data / "2022" / "initial-budget.yaml").write_text(
        'amount_unit: 万元\ngeneral:\n  - {code: "2010101", amount: 1.00}\n', "utf-8"
    )
    result = compile_year(parse_year_spec("2022", data))
    problems = [d.format_text() for d in result.diagnostics if d.is_error]
    assert any(
        "initial-budget.yaml" in p and "which does not publish initial-budget.yaml" in p
        for p in problems
    ), problems
