"""What is almost certainly a slip, though the figures add up (issue 11, point 4), and the
typing mistakes that break a YAML file, found where they were made (point 2)."""

from __future__ import annotations

import shutil

import pytest
from conftest import DATA, ROOT, edit, line_of

from compiler import compile_year, parse_year_spec
from compiler.input.yaml_hints import find


def warnings(data, year="2022") -> list[str]:
    result = compile_year(parse_year_spec(year, data))
    return [
        d.format_text()
        for d in result.diagnostics
        if not d.is_error and "statutory table" not in d.message
    ]


def test_the_real_data_has_no_such_slips(data_copy):
    assert warnings(data_copy) == []


def problems(data, year="2022", severity="error") -> list[str]:
    result = compile_year(parse_year_spec(year, data))
    return [d.format_text() for d in result.diagnostics if d.severity == severity]


def test_an_amount_typed_in_yuan_is_an_error_twice(data_copy):
    """596500 for 59.65 万元: 7005 times last year's figure, and more than the whole budget
    (issue 23: 1 000 times or more is an error, not a warning CI may hide)."""
    three = data_copy / "2022" / "three-public.yaml"
    edit(three, "vehicle_operation: 59.65", "vehicle_operation: 596500")
    found = problems(data_copy)
    line = line_of(three, "current:")
    assert any(
        f"three-public.yaml:{line}:66: error: current.vehicle_operation:" in w
        and "7005 times as much" in w
        and "元 instead of 万元" in w
        for w in found
    )
    assert (
        f"{three}:{line}:1: error: current: “三公”经费 come to 596520.67 万元, more than the "
        "whole expenditure they are paid from (9569.88 万元): an amount typed in 元? Amounts "
        "here are in 万元" in found
    )


def test_an_amount_ten_times_last_year_is_a_warning(data_copy):
    three = data_copy / "2022" / "three-public.yaml"
    edit(three, "vehicle_operation: 59.65", "vehicle_operation: 900")
    found = warnings(data_copy)
    assert any(
        f"three-public.yaml:{line_of(three, 'current:')}:66: warning: current.vehicle_operation"
        in w
        and "11 times as much" in w
        for w in found
    )
    assert not any("“三公”经费 come to" in w for w in problems(data_copy))


def test_a_change_without_its_reason_is_flagged(data_copy):
    edit(
        data_copy / "2022" / "three-public.yaml",
        "  reception: 主要原因是我单位切实落实勤俭节约各项规定，严格控制公务接待费支出\n",
        "",
    )
    found = warnings(data_copy)
    assert any(
        "公务接待费 changed (减少 1.00 万元) and no reason is given: write it in reasons.reception"
        in w
        for w in found
    )


def test_a_reason_naming_the_wrong_direction_is_flagged(data_copy):
    budget = data_copy / "2022" / "budget.yaml"
    edit(budget, "project: 主要减少为", "project: 主要增加为")
    found = warnings(data_copy)
    assert any(
        f"budget.yaml:{line_of(budget, '主要增加为')}:" in w
        and "the reason says 增加, but the figure 减少" in w
        for w in found
    )


def test_procurement_larger_than_the_budget_is_an_error(data_copy):
    procurement = data_copy / "2022" / "procurement.yaml"
    edit(
        procurement,
        "quantity: 10\n        unit_price: 0.70",
        "quantity: 100000\n        unit_price: 0.70",
    )
    assert (
        f"{procurement}:2:1: error: the procurement budget comes to 70114.70 万元, more than the "
        "whole expenditure (9569.88 万元): check the quantities and unit prices (in 万元)"
    ) in problems(data_copy)


def test_strict_makes_a_slip_an_error(data_copy, cli):
    edit(
        data_copy / "2022" / "three-public.yaml",
        "vehicle_operation: 59.65",
        "vehicle_operation: 900",
    )
    assert cli("validate", "--data", str(data_copy), "2022").exit_code == 0
    assert cli("validate", "--strict", "--data", str(data_copy), "2022").exit_code == 1


# --- YAML typing mistakes ----------------------------------------------------------------


@pytest.mark.parametrize(
    "text, line, column, words",
    [
        ("income:\n  general_budget: 9272.51\n  carried_over：297.37\n", 3, 15, "full-width colon"),
        ("income:\n\tgeneral_budget: 1\n", 2, 1, "tab"),
        ("income:\n\u3000\u3000general_budget: 1\n", 2, 1, "full-width space"),
        ("income:\n  general_budget:9272.51\n", 2, 17, "no space after the colon"),
        (
            "income:\n  general_budget: 1\n    fund_budget: 0\n",
            3,
            1,
            "indented by 4 spaces, more than",
        ),
        (
            "income:\n    general_budget: 1\n  fund_budget: 0\n",
            3,
            1,
            "matches none of the levels above (0, 4)",
        ),
        ('unit:\n  code: "151001\n  name: x\n', 2, 9, "never closed"),
        ("current: {overseas: 0，vehicle_purchase: 0}\n", 1, 22, "full-width ，"),
    ],
)
def test_each_typing_mistake_is_found_where_it_was_made(text, line, column, words):
    hints = find(text)
    assert [(h.line, h.column) for h in hints] == [(line, column)]
    assert words in hints[0].message


def test_text_values_full_of_chinese_punctuation_are_not_mistakes():
    text = "duties:\n  - 负责：起草、审核公文，（一）组织协调。\nother_matters: 我单位：无其他事项，特此说明。\n"
    assert find(text) == []


def test_no_real_data_file_is_mistaken_for_a_broken_one():
    from conftest import ROOT

    files = [
        *DATA.rglob("*.yaml"),
        *(ROOT / "examples").rglob("*.yaml"),
        *(ROOT / "tests" / "data").rglob("*.yaml"),
    ]
    assert len(files) > 40
    for path in files:
        assert find(path.read_text(encoding="utf-8")) == [], path


def test_all_the_mistakes_of_a_file_at_once():
    text = "income:\n  general_budget：1\n\tfund_budget: 0\n  other:0\n"
    assert [h.line for h in find(text)] == [2, 3, 4]


@pytest.mark.parametrize(("amount", "flagged"), [("1116.87", True), ("1116.86", False)])
def test_operating_costs_above_all_public_expenditure_are_an_error(tmp_path, amount, flagged):
    """万里 2024: 公用经费 1116.86 万元; 机关运行经费 is part of it (443.18 as published)."""
    data = tmp_path / "data"
    shutil.copytree(ROOT / "examples" / "wanli" / "data" / "2024", data / "2024")
    costs = data / "2024" / "operating-costs.yaml"
    edit(costs, "amount: 443.18", f"amount: {amount}")
    found = [w for w in problems(data, "2024") if "公用经费" in w]
    expected = (
        f"{costs}:{line_of(costs, 'amount:')}:9: error: amount: 机关运行经费 {amount} 万元 is "
        "more than the whole 公用经费 of the basic expenditure (1116.86 万元) it is part of"
    )
    assert found == ([expected] if flagged else [])
