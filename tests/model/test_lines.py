"""Budget lines, the catalogue, the explanation's notes, the workbook and its import
(issue 9), on copies of the made-up department's units and of the Wanli years."""

from __future__ import annotations

import shutil
import time
from pathlib import Path

import pytest
from conftest import ROOT, edit, line_of

from compiler import compile_year, parse_year_spec
from compiler.input.catalogue import catalogue_for, catalogue_years
from compiler.publish.build import build_year

DEPARTMENT = ROOT / "tests" / "data" / "department"
WANLI = ROOT / "examples" / "wanli" / "data"


@pytest.fixture
def unit_data(tmp_path) -> Path:
    """The made-up 行政单位 (units/01-office of tests/data/department) as a year of its own."""
    data = tmp_path / "data"
    shutil.copytree(DEPARTMENT / "2025" / "units" / "01-office", data / "2025")
    for path in (data / "2025").glob("*.yaml"):
        edit(path, "../../../../../../schemas/", "../../schemas/")
    return data


def problems(data: Path, year: str = "2025", severity: str = "error") -> list[str]:
    result = compile_year(parse_year_spec(year, data))
    return [d.format_text() for d in result.diagnostics if d.severity == severity]


def test_the_unit_alone_is_valid(unit_data):
    assert problems(unit_data) == []


def test_a_code_not_in_the_catalogue_is_located_with_the_nearest_codes(unit_data):
    lines = unit_data / "2025" / "lines.yaml"
    edit(lines, '{code: "2010302", project', '{code: "2010312", project')
    found = [e for e in problems(unit_data) if "catalogue" in e]
    assert len(found) == 1
    assert f"lines.yaml:{line_of(lines, '2010312')}:" in found[0]
    assert "2010312 is not a 项 code of the 2025 支出功能分类 catalogue" in found[0]
    assert "2010302 一般行政管理事务" in found[0]  # the nearest codes, by digit and by 款


def test_a_code_typed_as_a_number_is_told_to_be_quoted(unit_data):
    lines = unit_data / "2025" / "lines.yaml"
    edit(lines, '{code: "2010302", project', "{code: 2010302, project")
    found = problems(unit_data)
    assert any("function[1].code" in e and "put codes in quotes" in e for e in found)


def test_an_amount_in_yuan_with_three_decimals_is_told_in_the_file_s_unit(unit_data, chinese):
    lines = unit_data / "2025" / "lines.yaml"
    edit(lines, '{code: "2010302", project: 500000}', '{code: "2010302", project: 500000.005}')
    (found,) = problems(unit_data)
    assert f"lines.yaml:{line_of(lines, '500000.005')}:" in found
    assert "金额最多保留 2 位小数（单位按本文件 amount_unit 所写），实际是 500000.005" in found
    assert "万元" not in found  # the file is in 元: converting to 万元 would be wrong


def test_the_same_code_and_source_twice_is_refused(unit_data):
    lines = unit_data / "2025" / "lines.yaml"
    edit(lines, '  - {code: "2010302", project: 500000}\n',
         '  - {code: "2010302", project: 400000}\n  - {code: "2010302", project: 100000}\n')  # fmt: skip
    found = problems(unit_data)
    assert any("2010302 (一般公共预算) is already on line" in e for e in found)


def test_the_two_views_of_basic_expenditure_must_agree(unit_data):
    lines = unit_data / "2025" / "lines.yaml"
    edit(lines, "personnel: 1500000", "personnel: 1500100")
    found = problems(unit_data)
    assert len(found) == 1
    assert (
        "一般公共预算 人员经费: the function lines add up to 2120000 元, the economic lines to 2120100 元 (difference -100)"
        in found[0]
    )


def test_basic_and_its_parts_exclude_each_other(unit_data):
    lines = unit_data / "2025" / "lines.yaml"
    edit(
        lines,
        '{code: "2080505", personnel: 320000}',
        '{code: "2080505", personnel: 320000, basic: 320000}',
    )
    found = problems(unit_data)
    assert any("write either 'basic' or 'personnel', not both" in e for e in found)


def test_every_fiscal_item_needs_its_note_and_a_changed_one_its_reason(unit_data):
    notes = unit_data / "2025" / "line-notes.yaml"
    edit(notes, '  - {code: "2080505", previous_outturn: 30.00, reason: 缴费基数调整}\n', "")
    edit(notes, "previous_outturn: 200.00, reason: 人员经费增加", "previous_outturn: 200.00")
    found = problems(unit_data)
    assert any(
        "2080505 机关事业单位基本养老保险缴费支出 (32.00 万元) has no entry in items" in e
        for e in found
    )
    assert any(
        f"line-notes.yaml:{line_of(notes, '2010301')}:" in e
        and "changed (增加); write the reason" in e
        for e in found
    )


def test_a_note_for_a_code_without_fiscal_expenditure_is_refused(unit_data):
    notes = unit_data / "2025" / "line-notes.yaml"
    edit(notes, "items:\n", 'items:\n  - {code: "2010350", previous_outturn: 1.00}\n')
    found = problems(unit_data)
    assert any("2010350 has no fiscal expenditure (财政拨款) in lines.yaml" in e for e in found)


def test_a_typed_overview_beside_lines_is_refused(tmp_path):
    """Hebei: with lines.yaml, budget.yaml's income and expenditure are computed."""
    data = tmp_path / "data"
    shutil.copytree(ROOT / "data" / "2022", data / "2022")
    shutil.copy(
        DEPARTMENT / "2025" / "units" / "01-office" / "lines.yaml", data / "2022" / "lines.yaml"
    )
    edit(data / "2022" / "lines.yaml", "../../../../../../schemas/", "../../schemas/")
    found = problems(data, "2022")
    budget = data / "2022" / "budget.yaml"
    assert any(
        f"budget.yaml:{line_of(budget, 'general_budget')}:" in e
        and "is computed from the budget lines" in e
        for e in found
    )
    assert any(
        "operating-costs.yaml" in e and "机关运行经费 is computed from the budget lines" in e
        for e in found
    )


def test_previous_year_figures_come_from_the_previous_year(tmp_path):
    """Wanli 2024 writes no baseline: 2023's own figures are used. Written (right or
    wrong), it is an error; absent with no previous year in the data, it is an error too."""
    data = tmp_path / "data"
    shutil.copytree(WANLI, data)
    notes = data / "2024" / "line-notes.yaml"
    edit(
        notes,
        "change_reason:",
        "previous_year: {general_budget: 16497.00, fund_budget: 0, capital_budget: 0}\nchange_reason:",
    )
    found = problems(data, "2024")
    assert any(
        "previous_year is the budget of 2023, which is in the repository" in e
        and "一般公共预算拨款 16497.86" in e
        and "may not be typed here" in e
        and "一般公共预算拨款 is typed as 16497.00" in e
        for e in found
    )
    # Typed as 2023 gives it, it is still an error (issue 24 part 1): computed, never typed.
    edit(notes, "general_budget: 16497.00,", "general_budget: 16497.86,")
    found = problems(data, "2024")
    assert any("line-notes.yaml" in e and "previous_year is the budget of 2023" in e for e in found)
    assert not any("disagrees" in e for e in found)
    edit(notes, "general_budget: 16497.86,", "general_budget: 16497.00,")
    shutil.rmtree(data / "2023")
    edit(
        notes, "previous_year: {general_budget: 16497.00, fund_budget: 0, capital_budget: 0}\n", ""
    )
    found = problems(data, "2024")
    assert any(
        "line-notes.yaml" in e
        and "missing previous_year: the figures of 2023 are not in the data" in e
        for e in found
    )
    assert any("three-public.yaml" in e and "missing previous" in e for e in found)


def test_a_year_without_its_own_catalogue_uses_the_latest_earlier_one():
    years = catalogue_years()
    assert {2023, 2024} <= set(years)
    assert catalogue_for(years[-1] + 5).year == years[-1]
    cat = catalogue_for(2024)
    assert cat.name("function", "2010507") == "专项普查活动"
    assert cat.name("economic", "30213") == "维修（护）费"


def test_the_workbook_is_reproducible(tmp_path):
    first = build_year(parse_year_spec("2024", WANLI), tmp_path / "a", ("xlsx",))
    time.sleep(1.1)  # the saving library dates the file by the second
    second = build_year(parse_year_spec("2024", WANLI), tmp_path / "b", ("xlsx",))
    assert first.ok and second.ok
    a = (tmp_path / "a" / "2024" / "disclosure.xlsx").read_bytes()
    assert a == (tmp_path / "b" / "2024" / "disclosure.xlsx").read_bytes()


def test_a_year_without_tables_has_no_workbook(tmp_path, cli):
    result = cli("build", "2022", "--format", "xlsx", "--out", str(tmp_path))
    assert result.exit_code == 1
    assert "publishes none (add lines.yaml); leave xlsx out of --format" in result.stderr
    assert not any(tmp_path.rglob("*.xlsx"))


@pytest.fixture(scope="module")
def department_workbook(tmp_path_factory) -> Path:
    """The made-up department's workbook (its office's 公务用车运行费, 12 万元, is its basic
    expenditure on 30231 plus none from projects: the two agree, as validate requires)."""
    out = tmp_path_factory.mktemp("workbook")
    data = out / "data"
    shutil.copytree(DEPARTMENT / "2025", data / "2025")
    result = build_year(parse_year_spec("2025", data), out, ("xlsx",))
    assert result.ok, [d.format_text() for d in result.diagnostics]
    return out / "2025" / "disclosure.xlsx"


def test_import_splits_other_sources_by_the_income_table(department_workbook, tmp_path, cli):
    result = cli("import", str(department_workbook), "--year", "2025", "--data", str(tmp_path))
    assert result.exit_code == 0, result.output
    text = (tmp_path / "2025" / "lines.yaml").read_text(encoding="utf-8")
    assert '  - {code: "2010350", source: 事业收入, project: 200000}' in text
    assert '  - {code: "2010350", basic: 1050000}' in text
    assert '  - {code: "30231", public: 120000}' in text
    assert text.startswith("# yaml-language-server: $schema=")


def test_import_reports_a_cell_it_cannot_read_and_writes_nothing(
    department_workbook, tmp_path, cli
):
    from openpyxl import load_workbook

    book = load_workbook(department_workbook)
    ws = book["部门一般公共预算拨款表"]
    ws["F11"] = "二十万"
    broken = tmp_path / "broken.xlsx"
    book.save(broken)
    result = cli("import", str(broken), "--year", "2025", "--data", str(tmp_path / "data"))
    assert result.exit_code == 1
    assert (
        "部门一般公共预算拨款表!F11: error: '二十万' is not an amount (基本支出)" in result.stderr
    )
    assert "nothing written" in result.stderr
    assert not (tmp_path / "data").exists()


def test_import_refuses_a_class_row_that_is_not_its_sum(department_workbook, tmp_path, cli):
    from openpyxl import load_workbook

    book = load_workbook(department_workbook)
    ws = book["部门支出总表"]
    assert ws["A9"].value == "201" and ws["B9"].value is None
    ws["E9"] = 1
    broken = tmp_path / "sums.xlsx"
    book.save(broken)
    result = cli("import", str(broken), "--year", "2025", "--data", str(tmp_path / "data"))
    assert result.exit_code == 1
    assert (
        "部门支出总表!E9: error: 合计 is 1, but the rows under 201 add up to 4000000"
        in result.stderr
    )
    assert not (tmp_path / "data").exists()


def test_import_refuses_to_overwrite_without_replace(department_workbook, tmp_path, cli):
    target = tmp_path / "2025" / "lines.yaml"
    target.parent.mkdir(parents=True)
    target.write_text("# mine\n", encoding="utf-8")
    result = cli("import", str(department_workbook), "--year", "2025", "--data", str(tmp_path))
    assert result.exit_code == 2 and "--replace" in result.output
    assert target.read_text(encoding="utf-8") == "# mine\n"
    result = cli(
        "import", str(department_workbook), "--year", "2025", "--data", str(tmp_path), "--replace"
    )
    assert result.exit_code == 0 and "amount_unit: 元" in target.read_text(encoding="utf-8")


def test_import_of_a_file_that_is_not_a_workbook_is_a_data_error(tmp_path, cli):
    bad = tmp_path / "not.xlsx"
    bad.write_text("hello", encoding="utf-8")
    result = cli("import", str(bad), "--year", "2025", "--data", str(tmp_path))
    assert result.exit_code == 1 and "cannot be opened as an Excel workbook" in result.output
