"""Chinese first: what a clerk who reads no English sees — help, errors, summary lines.

Most of the suite runs in English (conftest sets DISCLOSURE_LANG=en) and asserts the
msgids the code is written in; here the default language, Chinese, is asserted.
"""

from __future__ import annotations

import re
import subprocess
import sys

import click
import pytest
import yaml
from conftest import ROOT, edit, line_of

from compiler.cli import main

CJK = re.compile(r"[\u4e00-\u9fff]")
GUIDE = (ROOT / "docs" / "staff-guide.md").read_text(encoding="utf-8")


def test_every_message_of_the_code_has_its_chinese_and_the_compiled_catalogue_is_current():
    check = subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "messages.py"), "check"],
        capture_output=True,
        text=True,
    )
    assert check.returncode == 0, check.stdout + check.stderr


def test_help_is_in_chinese_by_default(cli, chinese):
    result = cli("--help")
    assert result.exit_code == 0
    assert "用法：" in result.output
    assert "显示本帮助后退出。" in result.output
    assert "  validate  检查各年度的数据\n" in result.output
    assert "  build     检查数据并生成 PDF、网页和 Markdown\n" in result.output
    listed = result.output.split("命令:\n", 1)[1].splitlines()
    assert len(listed) == len(main.list_commands(click.Context(main))) == 14
    assert not [line for line in listed if line.endswith(("…", "..."))]  # each line whole
    assert "检查 YEARS 所列年度的数据" in cli("validate", "--help").output
    build = cli("build", "--help")
    assert "即使输出已是最新，也重新生成。" in build.output


def test_a_long_chinese_help_line_is_cut_between_characters_at_the_width():
    from compiler.cli.i18n import display_width, short_help

    text = "把 YEARS 所列年度（默认：--data 下的所有年度）的数据文件整理成规范写法，不改动任何数据"
    line = short_help(text, 40)
    assert line.endswith("…") and display_width(line) <= 40 and display_width(line) >= 38
    assert short_help("检查数据。然后生成文件。", 40) == "检查数据"
    assert short_help("Check the data. Then build.", 40) == "Check the data."


def test_lang_en_gives_english_help(cli, chinese):
    result = cli("--lang", "en", "validate", "--help")
    assert "Usage:" in result.output
    assert "Check YEARS (default: every year under --data)" in result.output


def test_click_usage_errors_are_in_chinese(cli, chinese):
    result = cli("nosuch")
    assert result.exit_code == 2
    assert "错误：没有“nosuch”这个命令。" in result.output


def test_a_problem_names_its_field_as_the_clerk_knows_it(cli, chinese, data_copy):
    procurement = data_copy / "2022" / "procurement.yaml"
    edit(procurement, "        unit_price: 0.14\n", "        unit_price: 0.145\n")
    result = cli("validate", "2022", "--data", str(data_copy))
    assert result.exit_code == 1
    line = line_of(procurement, "unit_price: 0.145")
    [message] = [m for m in result.output.splitlines() if f"procurement.yaml:{line}:" in m]
    # 错误, not error; the field by its titles and the entries by their names, not [0]
    assert ": 错误: " in message
    assert "“机关工作经费”" in message and "“木制床类”" in message
    assert "[0]" not in message and "unit_price" not in message


def test_the_summary_line_is_chinese(cli, chinese):
    result = cli("validate", "2022")
    assert result.exit_code == 0
    assert "2022：数据无误" in result.output


def assert_chinese(message: str) -> None:
    """Chinese words, and no English sentence (three English words in a row)."""
    assert CJK.search(message), message
    assert not re.search(r"\b[a-z]{2,} [a-z]{2,} [a-z]{2,}\b", message), message


# The commonest typing mistakes in budget.yaml: (line as written, line as mistyped, the
# column the message points at, words the message must say).
MISTAKES = [
    ("  carried_over: 297.37", "  carried_over：297.37", 15, "全角冒号"),
    ("  other: 0", "\tother: 0", 1, "制表符"),
    ("  fund_budget: 0", "    fund_budget: 0", 1, "缩进了 4 个空格"),
    ("  personnel: 3307.05", "  personnel:3307.05", 12, "冒号后面缺少空格"),
    ("  special_account: 0", '  special_account: "0', 20, "只有开头没有结尾"),
    (
        "  special_account: 0",
        "  special_account: １２０.４５",
        20,
        "全角数字：请改为半角数字 120.45",
    ),
    ("  other: 0", "  other: 12万元", 10, "不写单位“万元”：12"),
    ("  fund_budget: 0", "  fund_budget: 1,234.5", 16, "千位分隔符"),
    ("  general_budget: 9272.51", "  genral_budget: 9272.51", 3, "是否应为 general_budget"),
    ("  other: 0", '  other: "12.5"', 10, "去掉 12.5 两边的引号"),
    ("  other: 0", "  other: 0.125", 10, "最多保留 2 位小数"),
    ("  other: 0", "  other: 0\n  other: 1", 3, "写了两次：第6行和第7行"),
]


@pytest.mark.parametrize("right, wrong, column, words", MISTAKES)
def test_each_common_mistake_is_explained_in_chinese_where_it_was_made(
    cli, chinese, data_copy, right, wrong, column, words
):
    budget = data_copy / "2022" / "budget.yaml"
    line = line_of(budget, right)
    if "\n" in wrong:  # the duplicate is reported where it is written again
        line += 1
    edit(budget, right + "\n", wrong + "\n")
    result = cli("validate", "2022", "--data", str(data_copy))
    assert result.exit_code == 1
    errors = [m for m in result.output.splitlines() if ": 错误: " in m]
    [message] = [m for m in errors if f"budget.yaml:{line}:{column}: 错误: " in m] or [errors]
    assert words in message
    said = message.split(": 错误: ", 1)[1]
    assert_chinese(said)
    assert "2022：" in result.output and "个错误" in result.output
    # The staff guide quotes what the tool says about this mistake, word for word.
    without_field = said.split(": ", 1)[-1]
    assert said in GUIDE or without_field in GUIDE, f"docs/staff-guide.md does not quote: {said}"


def test_all_the_typing_mistakes_of_a_file_are_reported_at_once(cli, chinese, data_copy):
    budget = data_copy / "2022" / "budget.yaml"
    edit(budget, "  carried_over: 297.37", "  carried_over：297.37")
    edit(budget, "  personnel: 3307.05", "  personnel:3307.05")
    result = cli("validate", "2022", "--data", str(data_copy))
    lines = [m for m in result.output.splitlines() if "budget.yaml:" in m]
    assert len(lines) == 2 and "全角冒号" in lines[0] and "缺少空格" in lines[1]


def test_a_project_file_may_be_named_in_chinese(cli, chinese, data_copy):
    projects = data_copy / "2022" / "projects"
    first = sorted(projects.iterdir())[0]
    first.rename(projects / "01-机关工作经费.yaml")
    result = cli("validate", "2022", "--data", str(data_copy))
    assert result.exit_code == 0, result.output
    assert "2022：数据无误" in result.output


def test_a_project_file_name_that_is_not_allowed_says_which_names_are(cli, chinese, data_copy):
    projects = data_copy / "2022" / "projects"
    sorted(projects.iterdir())[0].rename(projects / "01-机关（工作）经费.yaml")
    result = cli("validate", "2022", "--data", str(data_copy))
    assert result.exit_code == 1
    [message] = [m for m in result.output.splitlines() if "01-机关（工作）经费.yaml" in m]
    assert "项目文件名 01-机关（工作）经费.yaml 不符合要求" in message
    assert "例如 projects/01-机关工作经费.yaml" in message


def test_the_systems_reasons_are_said_in_chinese(chinese):
    import errno

    from compiler.cli.command import os_error_message

    denied = PermissionError(errno.EACCES, "Permission denied", "build/2022")
    assert os_error_message(denied).startswith("build/2022：没有权限")
    full = OSError(errno.ENOSPC, "No space left on device", "build/2022/disclosure.pdf")
    assert os_error_message(full) == "build/2022/disclosure.pdf：磁盘已满（请清理磁盘空间后重试）"
    # a rarer error keeps the system's words rather than losing the reason
    odd = OSError(errno.ELOOP, "Too many levels of symbolic links", "data/2022")
    assert os_error_message(odd) == "data/2022：Too many levels of symbolic links"


def test_a_build_the_system_refuses_exits_2_with_the_reason_in_chinese(cli, chinese, monkeypatch):
    import errno

    import compiler.publish.orchestrate as orchestrate

    def refuse(*args, **kwargs):
        raise PermissionError(errno.EACCES, "Permission denied", "build/2022")

    monkeypatch.setattr(orchestrate, "build_many", refuse)
    result = cli("build", "2022")
    assert result.exit_code == 2
    assert "错误：build/2022：没有权限" in result.output


# --- every field of the real data has words -------------------------------------------------------

_YEARS = [
    *sorted((ROOT / "data").glob("[0-9]" * 4)),
    *sorted((ROOT / "examples" / "wanli" / "data").glob("[0-9]" * 4)),
    *sorted((ROOT / "tests" / "data" / "department").glob("[0-9]" * 4)),
]


@pytest.mark.parametrize("year", _YEARS, ids=lambda p: f"{p.parent.name}-{p.name}")
def test_every_field_of_the_real_data_is_named_in_the_schemas_words(year):
    """A field named in its schema's words at every depth: a $ref written beside `items`
    (a list's limits from common.schema.json) once made the list's own items unresolvable, and
    every problem in 固定资产类别 fell back to categories[0].quantity."""
    from compiler.input.fieldnames import describe
    from compiler.input.loader import leaves
    from compiler.paths import kind_of

    checked = 0
    for file in sorted(year.rglob("*.yaml")):
        rel = file.relative_to(year).as_posix()
        if rel.startswith("units/"):
            rel = rel.split("/", 2)[2]
        kind = kind_of(rel)
        if kind is None:
            continue
        data = yaml.safe_load(file.read_text("utf-8"))
        for path, _value in leaves(data):
            words = describe(kind, path, data)
            keys = [part for part in path if isinstance(part, str)]
            raw = [key for key in keys if re.search(rf"(^| ){re.escape(key)}($| )", words)]
            assert not raw, f"{rel}: {path} → {words}"
            checked += 1
    assert checked > 20


# --- issue 26, part 6: click's own words, and --help measured in columns --------------------


def test_a_year_typed_with_its_character_is_refused_in_chinese(chinese, tmp_path):
    from click.testing import CliRunner

    from compiler.cli import main

    result = CliRunner().invoke(main, ["new-year", "2024年", "--data", str(tmp_path)])
    assert result.exit_code == 2
    assert "“2024年”不是年度：应写 YEAR 或 YEAR/final" in result.output  # new-year's own type
    # click's own integer type, named in Chinese
    result = CliRunner().invoke(main, ["serve", "--port", "80年", "--data", str(tmp_path)])
    assert result.exit_code == 2
    assert "“80年”不是有效的整数" in result.output
    assert "integer" not in result.output and "range" not in result.output


def test_help_fits_the_terminal_and_its_columns_line_up(chinese):
    """Every line of Chinese --help fits 80 columns (a Chinese character takes two), and each
    option's help starts in one column, its continuation lines too."""
    from click.testing import CliRunner

    from compiler.cli import main
    from compiler.cli.i18n import display_width

    for command in ("build", "new-year", "diff", "validate", "init", "fmt"):
        out = CliRunner().invoke(main, [command, "--help"], terminal_width=80).output
        assert all(display_width(line) <= 80 for line in out.splitlines()), (command, out)
        options = out.split("\n选项:\n", 1)[1].splitlines()
        starts = set()
        for line in options:
            if line.startswith("  -") and "  " in line.strip():
                first, rest = line[2:].split("  ", 1)
                starts.add(display_width(line) - display_width(rest.lstrip()))
            elif line.startswith("   "):
                starts.add(len(line) - len(line.lstrip()))
        assert len(starts) == 1, (command, out)
