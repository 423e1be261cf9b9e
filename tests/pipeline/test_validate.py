"""`disclosure validate` on the real data and on broken copies of it.

Every broken copy is made in a temporary directory; the tests run from that directory with
`--data data`, so the paths printed are the ones an editor would see: data/2022/budget.yaml.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import DATA, ROOT, edit, line_of

from compiler import compile_year, parse_year_spec

DIAGNOSTIC = re.compile(
    r"^(?P<file>[^:]+):(?P<line>\d+):(?P<col>\d+): (?P<severity>error|warning): "
)


@pytest.fixture(autouse=True)
def _not_in_ci(monkeypatch):
    """Text output is the default only outside GitHub Actions; tests must not depend on that."""
    monkeypatch.delenv("GITHUB_ACTIONS", raising=False)


@pytest.fixture
def year(data_copy: Path, monkeypatch) -> Path:
    """data/2022 of a throw-away copy; the current directory is the copy's root."""
    monkeypatch.chdir(data_copy.parent)
    return data_copy / "2022"


@pytest.fixture
def validate(cli):
    def run(*args: str):
        result = cli("validate", "--data", "data", *args)
        assert "Traceback" not in result.stdout + result.stderr
        return result

    return run


def shown(path: Path) -> str:
    """How the CLI names a file of the copy: relative to the current directory."""
    return Path(os.path.abspath(path)).relative_to(Path.cwd().resolve()).as_posix()


def where(path: Path, needle: str, token: str) -> str:
    """`file:line:col` of `token` on the first line containing `needle`."""
    line = line_of(path, needle)
    text = path.read_text(encoding="utf-8").splitlines()[line - 1]
    assert token in text, (token, text)
    return f"{shown(path)}:{line}:{text.index(token) + 1}"


def lines_starting(output: str, prefix: str) -> list[str]:
    return [line for line in output.splitlines() if line.startswith(prefix)]


def one_line(output: str, prefix: str) -> str:
    found = lines_starting(output, prefix)
    assert len(found) == 1, f"expected one line starting {prefix!r} in:\n{output}"
    return found[0]


def diagnostic_lines(output: str) -> list[str]:
    return [line for line in output.splitlines() if not re.match(r"^\d{4}(, \d{4})*: ", line)]


def assert_failed(result) -> None:
    assert result.exit_code == 1, result.stderr
    assert result.stdout == ""  # text diagnostics go to stderr
    assert re.search(r"^2022: \d+ error\(s\)", result.stderr, re.M), result.stderr


# --- the real data ---


def test_real_data_validates(cli):
    result = cli("validate", "--data", str(DATA))
    assert result.exit_code == 0, result.stderr
    assert "error" not in result.stderr
    assert "2022: valid" in result.stderr


def test_real_data_validates_from_the_command_line():
    proc = subprocess.run(
        [sys.executable, "-m", "compiler", "validate"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        env={k: v for k, v in os.environ.items() if k != "GITHUB_ACTIONS"},
    )
    assert proc.returncode == 0, proc.stderr
    assert "2022: valid" in proc.stderr
    assert "Traceback" not in proc.stderr


STATUTORY_TABLES = [
    "收支总表",
    "收入总表",
    "支出总表",
    "财政拨款收支总表",
    "一般公共预算支出表",
    "一般公共预算基本支出表",
    "一般公共预算“三公”经费支出表",
    "政府性基金预算支出表",
    "国有资本经营预算支出表",
]


def test_unchanged_copy_validates(year, validate):
    """Valid and without a warning: the 2022 text was published without its nine tables,
    which unit.yaml declares (not_published) — one information line, not nine warnings."""
    result = validate("2022")
    assert result.exit_code == 0, result.stderr
    lines = result.stderr.strip().splitlines()
    assert lines[-1] == "2022: valid"
    assert ": warning: " not in result.stderr
    [info] = lines[:-1]
    unit = shown(year / "unit.yaml")
    assert info.startswith(f"{unit}:41:1: info: not_published: the published edition has none ")
    assert "2022年的情况说明公开时没有附公开表" in info


def test_undeclared_missing_tables_are_one_warning_naming_them(year, validate):
    unit_yaml = year / "unit.yaml"
    text = unit_yaml.read_text(encoding="utf-8")
    unit_yaml.write_text(text[: text.index("not_published:")], encoding="utf-8")
    result = validate("2022")
    assert result.exit_code == 0, result.stderr
    lines = result.stderr.strip().splitlines()
    assert lines[-1] == "2022: valid (1 warning(s))"
    [line] = lines[:-1]
    assert line.startswith(
        f"{shown(unit_yaml)}:2:9: warning: layout: 9 of the 9 statutory tables (公开表) are "
        f"not published ({'、'.join(STATUTORY_TABLES)}): add lines.yaml"
    )
    assert "unit.yaml not_published" in line


def test_a_partial_declaration_names_what_is_left(year, validate):
    unit_yaml = year / "unit.yaml"
    text = unit_yaml.read_text(encoding="utf-8").replace(
        "  tables: all\n", "  tables: [收支总表, 收入总表, 没有这张表]\n"
    )
    unit_yaml.write_text(text, encoding="utf-8")
    result = validate("2022")
    assert result.exit_code == 1, result.stderr
    assert "error: not_published.tables: not_published names 没有这张表, which is not a " in (
        result.stderr
    )
    assert (
        "warning: layout: 7 of the 9 statutory tables (公开表) are not published (支出总表、"
        in (result.stderr)
    )
    assert "info: not_published: the published edition has 2 of the 9 statutory tables " in (
        result.stderr
    )


def test_copy_given_by_absolute_path_is_reported_by_that_path(data_copy, cli):
    budget = data_copy / "2022" / "budget.yaml"
    edit(budget, "general_budget: 9272.51", "general_budget: 9272.511")
    result = cli("validate", "--data", str(data_copy))
    assert result.exit_code == 1
    found = [ln for ln in result.stderr.splitlines() if "/2022/budget.yaml:3:19: error: " in ln]
    assert len(found) == 1, result.stderr
    file, _, rest = found[0].partition(":3:19: error: ")
    assert Path(file).resolve() == budget.resolve()  # a path the user can open as printed
    assert rest.startswith("income.general_budget: ")


def test_compile_year_returns_no_model_for_invalid_data(year):
    edit(year / "budget.yaml", "general_budget: 9272.51", "general_budget: 9272.511")
    result = compile_year(parse_year_spec("2022", Path("data")))
    assert not result.ok
    assert result.model is None
    assert [d.field for d in result.diagnostics if d.is_error] == ["income.general_budget"]


# --- schema errors ---


def test_amount_with_three_decimals(year, validate):
    budget = year / "budget.yaml"
    edit(budget, "general_budget: 9272.51", "general_budget: 9272.511")
    result = validate()
    assert_failed(result)
    line = one_line(result.stderr, f"{where(budget, 'general_budget', '9272.511')}: error: ")
    assert line.startswith(f"{shown(budget)}:3:19: error: income.general_budget: ")
    assert "at most 2 decimals" in line and "9272.511" in line


@pytest.mark.parametrize("typed", ["9272.51 万元", '"9272.51"', "'9272.51'", "九千二百七十二"])
def test_amount_typed_as_text(year, validate, typed):
    budget = year / "budget.yaml"
    edit(budget, "general_budget: 9272.51", f"general_budget: {typed}")
    result = validate()
    assert_failed(result)
    line = one_line(result.stderr, f"{shown(budget)}:3:19: error: income.general_budget: ")
    assert "expected a number" in line
    assert "found the text" in line


def test_typo_in_a_key(year, validate):
    budget = year / "budget.yaml"
    edit(budget, "  general_budget: 9272.51", "  genral_budget: 9272.51")
    result = validate()
    assert_failed(result)
    unknown = one_line(result.stderr, f"{shown(budget)}:3:3: error: income.genral_budget: ")
    assert "unknown field 'genral_budget'" in unknown
    # the field it was meant to be is named first, then every allowed one
    assert "did you mean 'general_budget'?" in unknown
    assert "general_budget" in unknown.split("allowed:")[1]
    # one mistake, one message: the misspelt key is not also reported as a missing field
    assert len(lines_starting(result.stderr, f"{shown(budget)}:")) == 1, result.stderr


def test_unknown_top_level_field(year, validate):
    ops = year / "operating-costs.yaml"
    ops.write_text(ops.read_text(encoding="utf-8") + "remark: 无\n", encoding="utf-8")
    result = validate()
    assert_failed(result)
    line = one_line(result.stderr, f"{shown(ops)}:4:1: error: remark: ")
    assert "unknown field 'remark'" in line and "amount, main_uses" in line


def test_missing_required_field(year, validate):
    ops = year / "operating-costs.yaml"
    edit(ops, "amount: 851.12\n", "")
    result = validate()
    assert_failed(result)
    line = one_line(result.stderr, f"{shown(ops)}:")
    assert ": error: amount: missing required field 'amount'" in line


def test_wrong_enum_names_the_allowed_values(year, validate):
    project = year / "projects" / "01-office-building.yaml"
    edit(project, "level1: 产出指标", "level1: 产出")
    result = validate()
    assert_failed(result)
    line = one_line(result.stderr, f"{shown(project)}:6:13: error: indicators[0].level1: ")
    assert "产出指标、效益指标、满意度指标" in line
    assert "'产出'" in line


def test_wrong_sign_names_the_allowed_values(year, validate):
    project = year / "projects" / "01-office-building.yaml"
    edit(project, 'target: {sign: "≥", value: 3.4', 'target: {sign: "≧", value: 3.4')
    result = validate()
    assert_failed(result)
    quoted = '"≧"'
    prefix = f"{where(project, quoted, quoted)}: error: indicators[0].target.sign: "
    assert prefix.startswith(f"{shown(project)}:10:")
    line = one_line(result.stderr, prefix)
    assert "≥、≤、=、<、>" in line and "'≧'" in line


def test_unit_wide_indicator_wrong_enum(year, validate):
    indicators = year / "indicators.yaml"
    edit(indicators, "level2: 数量", "level2: 数量指标")
    result = validate()
    assert_failed(result)
    line = one_line(result.stderr, f"{shown(indicators)}:4:13: error: indicators[0].level2: ")
    assert "数量、质量、时效" in line


def test_catalogue_code_typed_as_digits_only(year, validate):
    procurement = year / "procurement.yaml"
    edit(procurement, "catalogue_code: A02010104", "catalogue_code: 2010104")
    result = validate()
    assert_failed(result)
    prefix = f"{shown(procurement)}:7:25: error: projects[0].items[0].catalogue_code: "
    line = one_line(result.stderr, prefix)
    assert "expected text" in line and "2010104" in line and "quotes" in line


@pytest.mark.parametrize("code", ["02010104", '"02010104"', "X020204", "A0201 0104", "a02010104"])
def test_catalogue_code_of_the_wrong_form(year, validate, code):
    procurement = year / "procurement.yaml"
    edit(procurement, "catalogue_code: A02010104", f"catalogue_code: {code}")
    result = validate()
    assert_failed(result)
    prefix = f"{shown(procurement)}:7:25: error: projects[0].items[0].catalogue_code: "
    line = one_line(result.stderr, prefix)
    assert "wrong form" in line and "A02010104" in line


def test_unit_code_unquoted(year, validate):
    unit = year / "unit.yaml"
    edit(unit, 'code: "151001"', "code: 151001")
    result = validate()
    assert_failed(result)
    line = one_line(result.stderr, f"{shown(unit)}:{line_of(unit, 'code:')}:9: error: unit.code: ")
    assert "expected text" in line and "quotes" in line


@pytest.mark.parametrize("word", ["no", "yes", "True", "1"])
def test_sme_reserved_must_be_true_or_false(year, validate, word):
    procurement = year / "procurement.yaml"
    edit(procurement, "sme_reserved: true", f"sme_reserved: {word}")
    result = validate()
    assert_failed(result)
    prefix = f"{shown(procurement)}:12:23: error: projects[0].items[0].sme_reserved: "
    line = one_line(result.stderr, prefix)
    assert "expected true or false" in line


def test_quantity_must_be_a_whole_number(year, validate):
    procurement = year / "procurement.yaml"
    edit(procurement, "quantity: 10\n", "quantity: 10.5\n")
    result = validate()
    assert_failed(result)
    line = one_line(
        result.stderr, f"{shown(procurement)}:9:19: error: projects[0].items[0].quantity: "
    )
    assert "whole number" in line and "10.5" in line


def test_negative_amount(year, validate):
    budget = year / "budget.yaml"
    edit(budget, "  other: 0", "  other: -1")
    result = validate()
    assert_failed(result)
    line = one_line(result.stderr, f"{shown(budget)}:6:10: error: income.other: ")
    assert "at least 0" in line


def test_multi_line_text_in_a_one_line_field_is_reported_on_one_line(year, validate):
    ops = year / "operating-costs.yaml"
    edit(ops, "main_uses: 市政府", "main_uses: |-\n  第一行\n  市政府")
    result = validate()
    assert_failed(result)
    line = one_line(result.stderr, f"{shown(ops)}:3:12: error: main_uses: ")
    assert "line" in line or "换行" in line
    # every line of output is a diagnostic or the summary: nothing spills onto a second line
    for out in diagnostic_lines(result.stderr):
        assert DIAGNOSTIC.match(out), f"not a diagnostic line: {out!r}"


# --- unreadable files ---


def test_duplicate_key(year, validate):
    budget = year / "budget.yaml"
    edit(budget, "  carried_over: 297.37\n", "  carried_over: 297.37\n  fund_budget: 0\n")
    result = validate()
    assert_failed(result)
    line = one_line(result.stderr, f"{shown(budget)}:8:3: error: income.fund_budget: ")
    assert "duplicate key 'fund_budget'" in line
    assert "line 4" in line and "line 8" in line


@pytest.mark.parametrize(
    ("file", "old", "new", "marker", "words"),
    [
        (
            "three-public.yaml",
            "current:   {",
            "current:   &cur {",
            "&cur",
            "anchor &cur is not allowed",
        ),
        (
            "three-public.yaml",
            "previous:  {overseas: 0,",
            "previous:  {overseas: *x,",
            "*x",
            "alias *x",
        ),
        (
            "unit.yaml",
            "other_matters: 我单位无其他需要说明的事项。",
            'other_matters: !!python/object/apply:os.system ["echo pwned"]',
            "!!python",
            "tag !!python/object/apply:os.system is not allowed",
        ),
        (
            "unit.yaml",
            "city: 廊坊市",
            "city: !!python/object:builtins.dict {}",
            "!!python",
            "tag !!python/object:builtins.dict is not allowed",
        ),
    ],
    ids=["anchor", "alias", "python-apply", "python-object"],
)
def test_anchors_aliases_and_tags_are_errors(year, validate, capfd, file, old, new, marker, words):
    path = year / file
    edit(path, old, new)
    result = validate()
    assert_failed(result)
    line = one_line(result.stderr, f"{where(path, marker, marker)}: error: ")
    assert words in line
    assert "pwned" not in capfd.readouterr().out


def test_malformed_yaml(year, validate):
    glossary = year / "glossary.yaml"
    edit(glossary, "  - term: 事业收入", "  - term: [事业收入")
    result = validate()
    assert_failed(result)
    found = lines_starting(result.stderr, f"{shown(glossary)}:")
    assert len(found) == 1, result.stderr
    match = DIAGNOSTIC.match(found[0])
    assert match and int(match["line"]) in (5, 6)
    assert "malformed YAML" in found[0]


def test_control_character_in_a_file(year, validate):
    glossary = year / "glossary.yaml"
    edit(glossary, "指市级财政当年拨付的资金。", "指市级财政\x0c当年拨付的资金。")
    result = validate()
    assert_failed(result)
    found = lines_starting(result.stderr, f"{shown(glossary)}:")
    assert len(found) == 1, result.stderr
    match = DIAGNOSTIC.match(found[0])
    assert match and int(match["line"]) == 4, found[0]
    for out in diagnostic_lines(result.stderr):
        assert DIAGNOSTIC.match(out), f"not a diagnostic line: {out!r}"


def test_file_that_is_not_utf8(year, validate):
    ops = year / "operating-costs.yaml"
    ops.write_bytes(ops.read_text(encoding="utf-8").encode("gbk"))
    result = validate()
    assert_failed(result)
    line = one_line(result.stderr, f"{shown(ops)}:")
    assert re.match(rf"^{re.escape(shown(ops))}:[23]:1: error: .*UTF-8", line), line


def test_nesting_too_deep(year, validate):
    assets = year / "assets.yaml"
    assets.write_text("categories: " + "[" * 5000 + "]" * 5000 + "\n", encoding="utf-8")
    result = validate()
    assert_failed(result)
    line = one_line(result.stderr, f"{shown(assets)}:1:")
    assert "nesting deeper than" in line


def test_empty_file(year, validate):
    glossary = year / "glossary.yaml"
    glossary.write_text("# yaml-language-server: $schema=../../schemas/glossary.schema.json\n")
    result = validate()
    assert_failed(result)
    line = one_line(result.stderr, f"{shown(glossary)}:")
    assert "expected a mapping of fields" in line and "found nothing" in line


# --- files present and absent ---


def test_missing_file(year, validate):
    (year / "glossary.yaml").unlink()
    result = validate()
    assert_failed(result)
    line = one_line(result.stderr, f"{shown(year / 'glossary.yaml')}: error: ")
    assert "missing file glossary.yaml" in line


def test_a_symbolic_link_is_refused_not_followed(year, validate, tmp_path):
    outside = tmp_path / "secret.yaml"
    outside.write_text((year / "glossary.yaml").read_text(encoding="utf-8"), encoding="utf-8")
    (year / "glossary.yaml").unlink()
    (year / "glossary.yaml").symlink_to(outside)
    result = validate()
    assert_failed(result)
    line = one_line(result.stderr, f"{shown(year / 'glossary.yaml')}: error: ")
    assert "symbolic link" in line


@pytest.mark.parametrize(
    "name", ["notes.yaml", "budget.yml", "projects/notes.md", "projects/1-x.yaml"]
)
def test_unexpected_file(year, validate, name):
    (year / name).write_text("a: 1\n", encoding="utf-8")
    result = validate()
    assert_failed(result)
    line = one_line(result.stderr, f"{shown(year / name)}: error: ")
    if name.startswith("projects/"):  # the names a project file may have are given
        assert "the project file name" in line and "e.g. projects/01-" in line
    else:
        assert "unexpected file" in line


def test_wrong_schema_modeline(year, validate):
    ops = year / "operating-costs.yaml"
    edit(ops, "schemas/operating-costs.schema.json", "schemas/budget.schema.json")
    result = validate()
    assert_failed(result)
    line = one_line(result.stderr, f"{shown(ops)}:1:1: error: ")
    assert "operating-costs.schema.json" in line


def test_missing_modeline_is_only_a_warning(year, validate):
    ops = year / "operating-costs.yaml"
    edit(ops, "# yaml-language-server: $schema=../../schemas/operating-costs.schema.json\n", "")
    result = validate()
    assert result.exit_code == 0, result.stderr
    assert one_line(result.stderr, f"{shown(ops)}:1:1: warning: ")
    assert "2022: valid (1 warning(s))" in result.stderr


# --- consistency rules ---


def test_income_must_equal_expenditure(year, validate):
    budget = year / "budget.yaml"
    edit(budget, "carried_over: 297.37", "carried_over: 297.38")
    result = validate()
    assert_failed(result)
    line = one_line(
        result.stderr, f"{shown(budget)}:{line_of(budget, 'income:')}:1: error: income: "
    )
    assert "9569.89" in line and "9569.88" in line


def test_procurement_items_within_project_budget(year, validate):
    procurement = year / "procurement.yaml"
    edit(
        procurement,
        "quantity: 1\n        unit_price: 35.00",
        "quantity: 2\n        unit_price: 35.00",
    )
    result = validate()
    assert_failed(result)
    prefix = f"{where(procurement, 'budget: 90.00', '90.00')}: error: projects[2].budget: "
    line = one_line(result.stderr, prefix)
    assert "机关档案室升级达标建设经费" in line and "125.00" in line and "90.00" in line


def test_operating_costs_must_equal_public_operating(year, validate):
    ops = year / "operating-costs.yaml"
    edit(ops, "amount: 851.12", "amount: 851.21")
    result = validate()
    assert_failed(result)
    line = one_line(result.stderr, f"{shown(ops)}:2:9: error: amount: ")
    assert "851.21" in line and "851.12" in line


def test_level2_must_belong_to_level1(year, validate):
    project = year / "projects" / "02-office-work.yaml"
    edit(project, "level2: 数量指标", "level2: 社会效益指标")
    line_no = line_of(project, "社会效益指标")
    result = validate()
    assert_failed(result)
    line = one_line(result.stderr, f"{shown(project)}:{line_no}:13: error: indicators[0].level2: ")
    assert "社会效益指标" in line and "产出指标" in line and "数量指标" in line


def test_duplicate_project_name(year, validate):
    project = year / "projects" / "11-network.yaml"
    edit(project, "name: 信息网络升级维护经费", "name: 机关办公楼运转经费")
    result = validate()
    assert_failed(result)
    line = one_line(result.stderr, f"{shown(project)}:2:7: error: name: ")
    assert "01-office-building.yaml" in line


@pytest.fixture
def year_2023(year: Path) -> Path:
    """data/2023 copied from 2022, with previous_year.project correct (2022's project)."""
    target = year.parent / "2023"
    shutil.copytree(year, target)
    edit(target / "budget.yaml", "  project: 7742.83", "  project: 5411.71")
    return target


def test_previous_year_figures_must_agree(year_2023, validate):
    # still as copied: previous_year.basic 3709.97 (2022's basic is 4158.17) and the
    # previous three-public figures of 2021 (2022's current ones are 59.65 and 20.67).
    # 2022 is in the data, so typing 2023's 上年预算 at all is an error (issue 24 part 1):
    # one message per place, naming 2022's figures and those typed otherwise.
    budget, three = year_2023 / "budget.yaml", year_2023 / "three-public.yaml"
    result = validate()
    assert result.exit_code == 1
    errors = [ln for ln in result.stderr.splitlines() if ": error: " in ln]
    assert len(errors) == 2, result.stderr
    assert all("/2023/" in ln for ln in errors)
    [line] = [ln for ln in errors if f"{shown(budget)}:" in ln]
    assert "previous_year is the budget of 2022" in line and "基本支出 4158.17" in line
    assert "基本支出 is typed as 3709.97" in line
    [line] = [ln for ln in errors if f"{shown(three)}:" in ln]
    assert "previous is the budget of 2022" in line and "59.65" in line and "20.67" in line
    assert "is typed as 85.15" in line and "is typed as 21.67" in line
    assert "2022, 2023: 2 error(s)" in result.stderr


def test_previous_year_figures_that_agree_are_still_not_typed(year_2023, validate):
    edit(year_2023 / "budget.yaml", "basic: 3709.97", "basic: 4158.17")
    edit(year_2023 / "three-public.yaml", "vehicle_operation: 85.15, reception: 21.67",
         "vehicle_operation: 59.65, reception: 20.67")  # fmt: skip
    result = validate("2023")
    assert result.exit_code == 1, result.stderr
    errors = [ln for ln in result.stderr.splitlines() if ": error: " in ln]
    assert len(errors) == 2 and all("may not be typed here" in ln for ln in errors), errors
    assert "disagrees" not in result.stderr


# --- prose ---


def test_prose_citing_an_unknown_figure(year, validate):
    performance = year / "performance.yaml"
    edit(
        performance,
        "    goal: 突出政务",
        "    goal: |-\n      第一行。\n      共 {{ budget.nonexistent }} 万元。\n      突出政务",
    )
    line_no = line_of(performance, "budget.nonexistent")
    result = validate()
    assert_failed(result)
    found = lines_starting(result.stderr, f"{shown(performance)}:")
    assert len(found) == 1, result.stderr
    assert found[0].startswith(f"{shown(performance)}:{line_no}:")
    assert DIAGNOSTIC.match(found[0])
    assert "nonexistent" in found[0]


def test_prose_citing_a_known_figure_is_valid(year, validate):
    performance = year / "performance.yaml"
    edit(
        performance,
        "    goal: 突出政务",
        "    goal: |-\n      全年收入 {{ budget.income.total | money }} 万元。\n      突出政务",
    )
    result = validate()
    assert result.exit_code == 0, result.stderr


def test_prose_with_a_broken_citation(year, validate):
    unit = year / "unit.yaml"
    edit(
        unit,
        "other_matters: 我单位",
        "other_matters: 共 {{ budget.income.total | money 万元。我单位",
    )
    result = validate()
    assert_failed(result)
    line = one_line(result.stderr, f"{shown(unit)}:{line_of(unit, 'other_matters')}:")
    assert "citation" in line


# --- several problems, output formats, usage errors ---


def test_several_problems_are_all_reported_sorted_by_file_then_line(year, validate):
    budget = year / "budget.yaml"
    edit(budget, "  carried_over: 297.37\n", "  carried_over: 297.37\n  fund_budget: 0\n")  # line 8
    edit(budget, "general_budget: 9272.51", "general_budget: 9272.511")  # line 3
    edit(year / "unit.yaml", 'code: "151001"', "code: 151001")
    edit(year / "procurement.yaml", "sme_reserved: true", "sme_reserved: no")
    edit(year / "projects" / "01-office-building.yaml", "level1: 产出指标", "level1: 产出")
    (year / "glossary.yaml").unlink()
    result = validate()
    assert_failed(result)
    lines = diagnostic_lines(result.stderr)
    expected = [
        f"{shown(budget)}:3:19: error: income.general_budget: ",
        f"{shown(budget)}:8:3: error: income.fund_budget: ",
        f"{shown(year / 'glossary.yaml')}: error: missing file",
        f"{shown(year / 'procurement.yaml')}:12:23: error: projects[0].items[0].sme_reserved: ",
        f"{shown(year / 'projects/01-office-building.yaml')}:6:13: error: indicators[0].level1: ",
        f"{shown(year / 'unit.yaml')}:{line_of(year / 'unit.yaml', 'code:')}:9: error: unit.code: ",
    ]
    assert len(lines) == len(expected), result.stderr
    for line, start in zip(lines, expected, strict=True):
        assert line.startswith(start), (line, start)
    assert "2022: 6 error(s), 0 warning(s)" in result.stderr


def test_github_format(year, validate):
    budget = year / "budget.yaml"
    edit(budget, "general_budget: 9272.51", "general_budget: 9272.511")
    (year / "glossary.yaml").unlink()
    result = validate("--format", "github")
    assert result.exit_code == 1
    out = result.stdout.splitlines()
    assert len(out) == 2, result.stdout
    assert out[0].startswith(f"::error file={shown(budget)},line=3,col=19,")
    assert "title=income.general_budget" in out[0]
    assert out[0].split("::")[2].startswith("expected an amount in 万元 with at most 2 decimals")
    assert out[1].startswith(f"::error file={shown(year / 'glossary.yaml')},")
    assert "missing file glossary.yaml" in out[1]
    assert "error:" not in result.stderr  # only the summary goes to stderr
    assert "2022: 2 error(s)" in result.stderr


def test_github_format_is_the_default_in_github_actions(year, validate, monkeypatch):
    budget = year / "budget.yaml"
    edit(budget, "general_budget: 9272.51", "general_budget: 9272.511")
    monkeypatch.setenv("GITHUB_ACTIONS", "true")
    result = validate()
    assert result.exit_code == 1
    assert lines_starting(result.stdout, f"::error file={shown(budget)},line=3,col=19,")
    assert "error:" not in result.stderr
    text = validate("--format", "text")
    assert text.stdout == ""
    assert lines_starting(text.stderr, f"{shown(budget)}:3:19: error: ")


def test_year_that_does_not_exist(year, validate):
    result = validate("2099")
    assert result.exit_code == 2
    assert "no data for 2099" in result.stderr


@pytest.mark.parametrize("spec", ["22", "twenty", "2022@"])
def test_not_a_year(year, validate, spec):
    result = validate(spec)
    assert result.exit_code == 2
    assert "is not a year" in result.stderr


def test_data_folder_without_years(tmp_path, cli):
    result = cli("validate", "--data", str(tmp_path / "nothing"))
    assert result.exit_code == 2
    assert "no years found" in result.stderr
    assert "Traceback" not in result.stderr


def test_unknown_git_revision(cli):
    result = cli("validate", "--data", str(DATA), "2022@no-such-revision-xyz")
    assert result.exit_code == 2
    assert "unknown git revision 'no-such-revision-xyz'" in result.stderr
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize(("value", "refused"), [("1597.27", True), ("1597.26", False)])
def test_a_part_under_其中_worth_more_than_its_category_is_an_error(year, validate, value, refused):
    assets = year / "assets.yaml"
    edit(assets, "      - name: 办公用房\n        unit: 平方米\n",
         f"      - name: 办公用房\n        unit: 平方米\n        value: {value}\n")  # fmt: skip
    result = validate()
    found = lines_starting(result.stderr, shown(assets))
    if refused:
        assert_failed(result)
        assert found == [
            f"{where(assets, 'value: ' + value, value)}: error: categories[0].of_which[0].value: "
            f"办公用房 ({value} 万元) is listed under 其中 of 房屋, but is worth more than all of "
            "房屋 (1597.26 万元)"
        ]
    else:
        assert found == []
