"""Issue 23, parts 5 and 6: units and plausibility as errors where near-certain, and no
message that advises destroying a fact. Each check once, through the CLI on a copy of real
data: file:line:col, severity, the message and the exit status."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from conftest import DATA, ROOT, edit, line_of

WANLI = ROOT / "examples" / "wanli" / "data"
DEPARTMENT = ROOT / "tests" / "data" / "department"


def validate(cli, data: Path, year: str) -> tuple[int, list[str]]:
    result = cli("--lang", "en", "validate", "--data", str(data), year)
    lines = [line for line in result.output.splitlines() if "statutory table" not in line]
    return result.exit_code, lines


def copy(tmp_path: Path, source: Path, *years: str) -> Path:
    data = tmp_path / "data"
    for year in years:
        shutil.copytree(source / year, data / year)
    return data


@pytest.mark.parametrize(
    "source, years",
    [(DATA, ("2022",)), (WANLI, ("2023", "2024")), (DEPARTMENT, ("2025",))],
)
def test_real_data_stays_as_it_was(cli, source, years):
    """No new error or warning on the real data (the 3 wanli warnings were there before;
    2022's nine missing tables are declared, one information line)."""
    code, lines = validate(cli, source, ",".join(years) if len(years) == 1 else years[0])
    assert code == 0
    assert not any(": error: " in line for line in lines)
    if source == DATA:
        assert lines == ["2022: valid"]
    if source == DEPARTMENT:
        assert lines == ["2025: valid"]


def test_wanli_has_only_its_known_warnings(cli):
    """Three contradictions of the documents, and three texts printed with spaces between
    Chinese characters or in straight quotes (one with both), all acknowledged."""
    result = cli("--lang", "en", "validate", "--data", str(WANLI))
    assert result.exit_code == 0
    assert result.output.strip().splitlines()[-1] == (
        "2023, 2024: valid; 7 warning(s) acknowledged as published"
    )


def test_lines_in_yuan_under_wan_yuan_is_an_error_against_last_year(tmp_path, cli):
    """lines.yaml says 万元 but the amounts are 元: every figure 10 000 times last year's."""
    data = copy(tmp_path, WANLI, "2023", "2024")
    lines = data / "2024" / "lines.yaml"
    edit(lines, "amount_unit: 元", "amount_unit: 万元")
    code, found = validate(cli, data, "2024")
    assert code == 1
    assert any(
        f"{data / '2024' / 'line-notes.yaml'}:" in f
        and ": error: items[" in f
        and "times as much" in f
        for f in found
    )


def test_one_line_in_the_other_unit_is_an_error_against_its_siblings(tmp_path, cli):
    """2080501 243120 元 typed as 24.31 (万元): 1/10000 of its siblings' median."""
    data = copy(tmp_path, WANLI, "2024")
    lines = data / "2024" / "lines.yaml"
    edit(lines, '{code: "2080501", basic: 243120}', '{code: "2080501", basic: 24.31}')
    code, found = validate(cli, data, "2024")
    assert code == 1
    line = line_of(lines, '"2080501"')
    assert any(
        f"{lines}:{line}:" in f
        and ": error: function[" in f
        and "2080501: 24.31 元 is 1/" in f
        and "of the median of the other function lines" in f
        for f in found
    ), found


def test_operating_costs_from_lines_in_yuan_are_compared_exactly(tmp_path, cli):
    """公用经费 450049 元 is 45.0049 万元: 机关运行经费 computed from it is not 'more than
    45.00' (the false 860.00 > 860.00 warning)."""
    data = copy(tmp_path, DEPARTMENT, "2025")
    office = data / "2025" / "units" / "01-office" / "lines.yaml"
    edit(office, "personnel: 1800000, public: 450000", "personnel: 1800000, public: 450049")
    edit(office, '{code: "30201", public: 330000}', '{code: "30201", public: 330049}')
    code, found = validate(cli, data, "2025")
    assert code == 0, found
    assert not any("公用经费" in f for f in found)


def test_three_public_above_the_fiscal_budget_is_an_error(data_copy, cli):
    three = data_copy / "2022" / "three-public.yaml"
    edit(three, "reception: 20.67", "reception: 99999")
    code, found = validate(cli, data_copy, "2022")
    assert code == 1
    assert (
        f"{three}:{line_of(three, 'current:')}:1: error: current: “三公”经费 come to "
        "100058.65 万元, more than the whole expenditure they are paid from (9569.88 万元): "
        "an amount typed in 元? Amounts here are in 万元"
    ) in found


def test_goal_funds_above_project_expenditure_is_an_error(tmp_path, cli):
    data = copy(tmp_path, WANLI, "2024")
    goal = data / "2024" / "goal-setting.yaml"
    edit(goal, "funds: 5634.81", "funds: 7054.05")
    code, found = validate(cli, data, "2024")
    assert code == 1
    assert (
        f"{goal}:{line_of(goal, 'funds:')}:8: error: funds: 涉及项目预算资金 is 7054.05 万元, "
        "more than the year's whole 项目支出 (5650.51 万元) the goals are set for; check the "
        "figure (in 万元)"
    ) in found


def test_three_public_below_its_economic_line_is_an_error(tmp_path, cli):
    data = copy(tmp_path, WANLI, "2024")
    three = data / "2024" / "three-public.yaml"
    edit(three, "reception: 1.35", "reception: 1.00")
    code, found = validate(cli, data, "2024")
    assert code == 1
    assert any(
        f"{three}:" in f
        and ": error: current.reception: 公务接待费 is 1.00 万元, less than the basic "
        "expenditure on 30217 公务接待费 alone (1.35 万元, lines.yaml line"
        in f
        for f in found
    ), found


def test_three_public_equal_to_its_line_where_all_is_basic(tmp_path, cli):
    """02-centre has no project spending of 一般公共预算 … the office has; so the office's
    公务用车运维费 may exceed 30231, and must equal it once its project line is gone."""
    data = copy(tmp_path, DEPARTMENT, "2025")
    office = data / "2025" / "units" / "01-office"
    three = office / "three-public.yaml"
    edit(three, "vehicle_operation: 12.00", "vehicle_operation: 13.00")
    assert validate(cli, data, "2025")[0] == 0  # ≥ 30231 (12.00): projects may pay the rest
    edit(office / "lines.yaml", '  - {code: "2010302", project: 500000}\n', "")
    code, found = validate(cli, data, "2025")
    assert any(
        f"{three}:2:64: error: current.vehicle_operation: 公务用车运维费 is 13.00 万元, but "
        "30231 公务用车运行维护费 is 12.00 万元" in f
        for f in found
    ), found


def test_procurement_naming_no_project_is_an_error(data_copy, cli):
    procurement = data_copy / "2022" / "procurement.yaml"
    edit(procurement, "  - name: 机关工作经费", "  - name: 机关工作费")
    code, found = validate(cli, data_copy, "2022")
    assert code == 1
    assert (
        f"{procurement}:3:11: error: projects[0].name: procurement source project '机关工作费' "
        "is none of the year's projects (their performance tables in projects/): write its "
        "name as its table does; the nearest is '机关工作经费'"
    ) in found


@pytest.mark.parametrize(
    "text, placeholder",
    [
        ("我单位XX无其他需要说明的事项。", "XX"),
        ("我单位××无其他需要说明的事项。", "××"),
        ("待填", "待填"),
        ("比上年增加（减少）10万元。", "增加（减少）"),
        ("【单位名称】无其他需要说明的事项。", "【单位名称】"),
    ],
)
def test_placeholder_left_in_the_text_is_an_error(data_copy, cli, text, placeholder):
    unit = data_copy / "2022" / "unit.yaml"
    edit(unit, "other_matters: 我单位无其他需要说明的事项。", f"other_matters: {text}")
    code, found = validate(cli, data_copy, "2022")
    assert code == 1
    column = 16 + text.index(placeholder)
    assert (
        f"{unit}:{line_of(unit, 'other_matters:')}:{column}: error: other_matters: "
        f"“{placeholder}” is a blank form's placeholder, left in the text: write what it "
        "stands for (the unit's name, the figure, the one direction: 增加 or 减少)"
    ) in found


@pytest.mark.parametrize(
    "file, old, new, field, words",
    [
        (
            "unit.yaml",
            "  - 中华人民共和国预算法\n",
            "  - 中华人民共和国预算法\n  - 《中华人民共和国预算法》\n",
            "legal_bases[1]",
            "公开依据",
        ),
        (
            "glossary.yaml",
            "terms:\n",
            "terms:\n  - term: 事业收入\n    definition: 重复。\n",
            "terms[2]",
            "名词解释",
        ),
    ],
)
def test_duplicate_entries_are_an_error(data_copy, cli, file, old, new, field, words):
    path = data_copy / "2022" / file
    edit(path, old, new)
    code, found = validate(cli, data_copy, "2022")
    assert code == 1
    assert any(
        f"{path}:" in f and f": error: {field}: this entry of {words} repeats the one on line" in f
        for f in found
    ), found


def test_duplicate_procurement_item_is_an_error(data_copy, cli):
    procurement = data_copy / "2022" / "procurement.yaml"
    text = procurement.read_text(encoding="utf-8")
    start = text.index("      - name: 台式计算机")
    end = text.index("      - name: 多功能一体机")
    procurement.write_text(text[:end] + text[start:end] + text[end:], encoding="utf-8")
    code, found = validate(cli, data_copy, "2022")
    assert code == 1
    assert any(
        f"{procurement}:" in f
        and ": error: projects[0].items[1]: this entry of 采购物品 repeats the one on line 6" in f
        for f in found
    ), found


def test_unit_code_of_another_form_is_an_error(data_copy, cli):
    unit = data_copy / "2022" / "unit.yaml"
    edit(unit, 'code: "151001"', 'code: "0151001"')
    code, found = validate(cli, data_copy, "2022")
    assert code == 1
    assert (
        f"{unit}:{line_of(unit, 'code:')}:9: error: unit.code: unit code 0151001 is not of the "
        "form units' codes have: six digits, not starting with 0 (as 151001: the "
        "department's three, then the unit's three); without the 0 in front it is 151001. "
        "Copy it from the budget system"
    ) in found


def test_another_units_unit_yaml_is_named_and_nothing_deleted(data_copy, cli):
    """Part 6: unit.yaml copied from 万里 into the Hebei year. The files its layout does not
    publish are named with what unit.yaml says; no message advises deleting one."""
    year = data_copy / "2022"
    shutil.copy(WANLI / "2024" / "unit.yaml", year / "unit.yaml")
    code, found = validate(cli, data_copy, "2022")
    assert code == 1
    budget = [f for f in found if f.startswith(f"{year / 'budget.yaml'}: error: ")]
    assert budget == [
        f"{year / 'budget.yaml'}: error: unit.yaml names 上海市普陀区人民政府万里街道办事处 with "
        "the layout shanghai-putuo-department, which publishes neither budget.yaml nor "
        "indicators.yaml、performance.yaml: unit.yaml and these files belong to different "
        "units or layouts. If unit.yaml was copied from another unit, write this unit's own "
        "name, code and layout in it; if these files are another unit's, move them to that "
        "unit's folder. Do not delete them: the facts they hold would be lost"
    ]
    assert not any("delete the file" in f or "delete budget.yaml" in f for f in found)


def test_a_year_of_another_unit_than_last_year_is_an_error(tmp_path, cli):
    """Part 6: 2024's unit.yaml gives another code and name than 2023's."""
    data = copy(tmp_path, WANLI, "2023", "2024")
    for year, name, code in (
        ("2023", "上海市普陀区人民政府万里街道办事处", "100001"),
        ("2024", "上海市普陀区人民政府长征镇", "200002"),
    ):
        unit = data / year / "unit.yaml"
        text = unit.read_text(encoding="utf-8")
        old = next(line for line in text.splitlines() if line.startswith("  name:"))
        edit(unit, old, f'  name: {name}\n  code: "{code}"')
    unit = data / "2024" / "unit.yaml"
    code, found = validate(cli, data, "2024")
    assert code == 1
    assert (
        f"{unit}:{line_of(unit, 'code:')}:9: error: unit.code: unit.yaml names "
        "上海市普陀区人民政府长征镇 (200002), but 2023's unit.yaml names "
        "上海市普陀区人民政府万里街道办事处 (100001): a year's files belong to one unit. If this "
        "unit.yaml was copied from another unit, write this unit's own name and code in it; if "
        "this year's files are another unit's, move them to that unit's folder (do not delete "
        "them: the facts they hold would be lost)"
    ) in found
