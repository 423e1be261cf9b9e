"""The checks on the figures, in Chinese: what a clerk most often meets from validate —
income ≠ expenditure, an unknown 科目编码, 元 typed as 万元, a part larger than its whole, a
changed figure without its reason, a reason naming the wrong direction, last year's figures
written wrong, a statutory table not published, a file the year does not expect.

Each test breaks a copy of real data and asserts the Chinese words at the file and line of
the mistake (the suite runs in English; the `chinese` fixture asks for the default).
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from conftest import ROOT, edit, line_of

DEPARTMENT = ROOT / "tests" / "data" / "department"
WANLI = ROOT / "examples" / "wanli" / "data"


def validate(cli, data: Path, year: str = "2022") -> list[str]:
    result = cli("validate", year, "--data", str(data))
    return result.output.splitlines()


def at(lines: list[str], path: Path, line: int) -> list[str]:
    """The messages printed for `path` at `line`."""
    return [m for m in lines if f"{path.name}:{line}:" in m]


@pytest.fixture
def unit_data(tmp_path) -> Path:
    """The made-up 行政单位 (units/01-office of tests/data/department) as a year of its own."""
    data = tmp_path / "data"
    shutil.copytree(DEPARTMENT / "2025" / "units" / "01-office", data / "2025")
    for path in (data / "2025").glob("*.yaml"):
        edit(path, "../../../../../../schemas/", "../../schemas/")
    return data


def test_income_not_equal_to_expenditure(cli, chinese, data_copy):
    budget = data_copy / "2022" / "budget.yaml"
    edit(budget, "general_budget: 9272.51", "general_budget: 9272.00")
    [message] = at(validate(cli, data_copy), budget, line_of(budget, "income:"))
    assert ": 错误: " in message
    assert (
        "收入合计9569.37万元，支出合计9569.88万元，两者应当相等（收入减支出为-0.51万元）" in message
    )
    assert "请核对收入和支出的各项金额" in message


def test_an_unknown_classification_code_with_its_suggestion(cli, chinese, unit_data):
    lines = unit_data / "2025" / "lines.yaml"
    edit(lines, '{code: "2010302", project', '{code: "2010312", project')
    [message] = at(validate(cli, unit_data, "2025"), lines, line_of(lines, "2010312"))
    assert "2010312不是2025年支出功能分类科目中的“项”级科目编码" in message
    assert "最接近的有效编码有：2010302 一般行政管理事务" in message
    assert "请改为正确的科目编码。" in message


def test_yuan_typed_as_wan_yuan(cli, chinese, data_copy):
    """596500 for 59.65 万元: 7005 times last year's figure, and more than the whole budget:
    both errors (issue 23: 1 000 times or more is near-certain)."""
    three = data_copy / "2022" / "three-public.yaml"
    edit(three, "vehicle_operation: 59.65", "vehicle_operation: 596500")
    found = at(validate(cli, data_copy), three, line_of(three, "current:"))
    assert any(
        ": 错误: " in m
        and "公务用车运维费：本年596500.00万元，是上年85.15万元的7005倍" in m
        and "是否有金额把元当成了万元" in m
        for m in found
    ), found
    assert any(
        "“三公”经费合计596520.67万元，超过了全部支出（9569.88万元），而“三公”经费是从中支出的："
        "是否按元填写了？"
        in m
        and ": 错误: " in m
        for m in found
    ), found


def test_procurement_above_its_budget_and_above_the_whole(cli, chinese, data_copy):
    procurement = data_copy / "2022" / "procurement.yaml"
    edit(procurement, "    budget: 425.00\n", "    budget: 4.25\n")
    ten_computers = "quantity: 10\n        unit_price: 0.70"
    edit(procurement, ten_computers, ten_computers.replace("10", "100000"))
    found = validate(cli, data_copy)
    [over_budget] = at(found, procurement, line_of(procurement, "budget: 4.25"))
    assert ": 错误: " in over_budget
    assert re.search(
        r"“机关工作经费”的采购物品合计\d+\.\d\d万元，超过了该项目的预算4\.25万元", over_budget
    )
    assert "请核对物品的数量和单价" in over_budget
    [whole] = [m for m in found if "政府采购预算合计" in m]
    # the whole file's figure: at its first entry
    assert f"procurement.yaml:{line_of(procurement, 'projects:')}:" in whole
    assert ": 错误: " in whole
    assert "超过了全部支出（9569.88万元）：请核对采购物品的数量和单价（单价以万元为单位）" in whole


def test_a_changed_figure_whose_reason_was_deleted(cli, chinese, data_copy):
    three = data_copy / "2022" / "three-public.yaml"
    edit(
        three, "  reception: 主要原因是我单位切实落实勤俭节约各项规定，严格控制公务接待费支出\n", ""
    )
    [message] = at(validate(cli, data_copy), three, line_of(three, "reasons:"))
    assert ": 警告: " in message
    assert (
        "公务接待费比上年减少1.00万元，但没有写明原因：请在 reasons.reception 中补充增减原因。"
        in message
    )


def test_a_reason_saying_increase_for_a_decrease(cli, chinese, data_copy):
    budget = data_copy / "2022" / "budget.yaml"
    edit(budget, "project: 主要减少为", "project: 主要增加为")
    [message] = at(validate(cli, data_copy), budget, line_of(budget, "主要增加为"))
    assert ": 警告: " in message
    assert (
        "项目支出：原因写的是“增加”，但这个数字实际是减少（7742.83万元 → 5411.71万元）" in message
    )
    assert "the reason says" not in message


def test_last_years_budget_typed_where_last_year_is_in_the_data(cli, chinese, tmp_path):
    data = tmp_path / "data"
    shutil.copytree(WANLI, data)
    notes = data / "2024" / "line-notes.yaml"
    edit(
        notes,
        "change_reason:",
        "previous_year: {general_budget: 16497.00, fund_budget: 0, capital_budget: 0}\n"
        "change_reason:",
    )
    [message] = at(validate(cli, data, "2024"), notes, line_of(notes, "previous_year:"))
    assert ": 错误: " in message
    assert "previous_year是2023年的预算，该年度已在本仓库中" in message
    assert "一般公共预算拨款 16497.86" in message
    assert (
        "不得在此填写；请删除 previous_year（且不一致：一般公共预算拨款填写为16497.00）" in message
    )


def test_missing_statutory_tables_are_named_in_chinese(cli, chinese, data_copy):
    found = validate(cli, ROOT / "data")  # declared in unit.yaml: one line of information
    [said] = [m for m in found if "公开表" in m]
    assert said.startswith(
        f"{Path('data') / '2022' / 'unit.yaml'}:41:1: 提示: 本年公开文本未公开的公开表: "
        "本年公开文本没有附9张公开表（unit.yaml 中已说明）：2022年的情况说明"
    )
    unit = data_copy / "2022" / "unit.yaml"  # undeclared: one warning naming the nine
    text = unit.read_text(encoding="utf-8")
    unit.write_text(text[: text.index("not_published:")], encoding="utf-8")
    [warned] = [m for m in validate(cli, data_copy) if "公开表" in m]
    assert warned.startswith(
        f"{unit}:2:9: 警告: 版式: 9张公开表中有9张没有公开（收支总表、收入总表、"
    )
    assert "请补充 lines.yaml（按科目编码填写的预算明细），即可公开这些表；" in warned


def test_an_unexpected_file_in_the_year_folder(cli, chinese, data_copy):
    stray = data_copy / "2022" / "notes.yaml"
    stray.write_text("a: 1\n", encoding="utf-8")
    [message] = [m for m in validate(cli, data_copy) if "notes.yaml" in m]
    assert message.startswith(f"{stray}: 错误: 多余的文件：一个年度的文件夹中只能有 ")
    assert "budget.yaml" in message and "projects/NN-name.yaml" in message
    assert "（部门还可以有 units/<name>/）。请删除这个文件，或按上述名称改名。" in message
