"""Chinese first: what a clerk who reads no English sees — help, errors, summary lines.

Most of the suite runs in English (conftest sets DISCLOSURE_LANG=en) and asserts the
msgids the code is written in; here the default language, Chinese, is asserted.
"""

from __future__ import annotations

import re
import subprocess
import sys

from conftest import ROOT, edit, line_of

CJK = re.compile(r"[\u4e00-\u9fff]")


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
    assert "检查 YEARS 所列年度的数据" in result.output
    build = cli("build", "--help")
    assert "即使输出已是最新，也重新生成。" in build.output


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
