"""The 三公 figures an import sets in final-notes.yaml and initial-budget.yaml: each figure
in place, every comment and other entry kept; a missing mapping added."""

from __future__ import annotations

import pytest

from compiler.edit.yaml_values import UnsetError, set_values

NOTES = """\
change_reason: 人员变化。   # 一、
three_public:
  outturn:   # 决算数
    overseas: 0
    vehicle_purchase: 1.50
    vehicle_operation: 0
    reception: 0
  budget_reason: 压减。
"""
VALUES = {
    "overseas": "0.00",
    "vehicle_purchase": "2.00",
    "vehicle_operation": "0.00",
    "reception": "0.30",
}


def test_figures_are_set_where_they_stand_and_equal_ones_left_as_typed():
    text = set_values(NOTES, ("three_public", "outturn"), VALUES, "final-notes.yaml")
    assert text == NOTES.replace("vehicle_purchase: 1.50", "vehicle_purchase: 2.00").replace(
        "reception: 0\n", "reception: 0.30\n"
    )


def test_a_missing_key_is_added_in_its_mapping():
    notes = NOTES.replace("    vehicle_operation: 0\n", "")
    text = set_values(notes, ("three_public", "outturn"), VALUES, "final-notes.yaml")
    assert "  outturn:   # 决算数\n    vehicle_operation: 0.00\n    overseas: 0\n" in text


def test_a_missing_mapping_is_added_under_its_parent_or_at_the_end():
    without = "change_reason: 人员变化。\nthree_public:\n  budget_reason: 压减。\n"
    text = set_values(without, ("three_public", "outturn"), VALUES, "final-notes.yaml")
    assert text == (
        "change_reason: 人员变化。\nthree_public:\n  outturn: {overseas: 0.00, vehicle_purchase: "
        "2.00, vehicle_operation: 0.00, reception: 0.30}\n  budget_reason: 压减。\n"
    )
    text = set_values("change_reason: 人员变化。", ("three_public", "outturn"), VALUES, "x")
    assert text.endswith("change_reason: 人员变化。\nthree_public:\n  outturn: {overseas: 0.00, "
                         "vehicle_purchase: 2.00, vehicle_operation: 0.00, reception: 0.30}\n")  # fmt: skip


def test_a_file_that_is_not_yaml_is_a_data_error_at_its_line_not_a_traceback():
    with pytest.raises(UnsetError) as raised:
        set_values("three_public: [\n", ("three_public", "outturn"), VALUES, "final-notes.yaml")
    [problem] = raised.value.diagnostics
    assert problem.format_text().startswith("final-notes.yaml:2:1: error: this file cannot be read")


def test_a_value_that_is_not_a_mapping_is_a_data_error_at_its_line():
    """三公 figures 未公开 (not a mapping) cannot take the imported ones: exit 1 at its line,
    where it was trouble (exit 2) naming only the file."""
    text = "change_reason: 人员变化。\nthree_public:\n  outturn: 未公开\n"
    with pytest.raises(UnsetError) as raised:
        set_values(text, ("three_public", "outturn"), VALUES, "final-notes.yaml")
    assert raised.value.exit_code == 1
    [problem] = raised.value.diagnostics
    assert problem.format_text() == (
        "final-notes.yaml:3:12: error: three_public.outturn is not a mapping (name: value) the "
        "imported figures can be set in; correct it, then import again"
    )
