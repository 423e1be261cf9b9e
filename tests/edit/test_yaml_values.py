"""The 三公 figures an import sets in final-notes.yaml and initial-budget.yaml: each figure
in place, every comment and other entry kept; a missing mapping added."""

from __future__ import annotations

import pytest

from compiler.edit.yaml_values import set_values
from compiler.errors import Trouble

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


def test_a_file_that_is_not_yaml_is_trouble_not_a_traceback():
    with pytest.raises(Trouble, match="final-notes.yaml"):
        set_values("three_public: [\n", ("three_public", "outturn"), VALUES, "final-notes.yaml")
