"""Text pasted from Word is cleaned or named: fmt repairs each slip with one meaning and
says so at its line; validate warns at the line and column about what fmt cannot decide;
the real data is left byte for byte."""

from __future__ import annotations

import shutil

import pytest
from conftest import DATA, ROOT, edit

from compiler.fmt.formatter import format_file
from compiler.input.loader import load_text
from compiler.input.pasted_text import clean, problems_in

WANLI = ROOT / "examples" / "wanli" / "data"
BUDGET = (DATA / "2022" / "budget.yaml").read_text(encoding="utf-8")
REASON = (
    "  project: 主要减少为市民服务中心日常运维经费、机关运行经费、信息网络升级维护费等项目的支出\n"
)
REASON_LINE = BUDGET.split("\n").index(REASON.rstrip("\n")) + 1


@pytest.mark.parametrize(
    "typed, meant, message",
    [
        ("经费减少”　。", "经费减少”。", "a full-width space (U+3000) before '。' removed"),
        ("经费减少\u00a0。", "经费减少。", "a no-break space (U+00A0) before '。' removed"),
        ("经费减少 。", "经费减少。", "a space before '。' removed"),
        ("受理 、社区", "受理、社区", "a space before '、' removed"),
        (
            "经费减少。　",
            "经费减少。",
            "a full-width space (U+3000) at the end of the text removed",
        ),
        (
            "经费减少。\u00a0",
            "经费减少。",
            "a no-break space (U+00A0) at the end of the text removed",
        ),
        ("经费减少。。", "经费减少。", "doubled '。。' written as '。'"),
        ("运维　经费", "运维经费", "a full-width space (U+3000) between '维' and '经' removed"),
        ("运维\u00a0经费", "运维经费", "a no-break space (U+00A0) between '维' and '经' removed"),
        ("按“量入为出“原则", "按“量入为出”原则", "quotes “量入为出“ written as “量入为出”"),
        ("按”量入为出”原则", "按“量入为出”原则", "quotes ”量入为出” written as “量入为出”"),
        ("按”量入为出“原则", "按“量入为出”原则", "quotes ”量入为出“ written as “量入为出”"),
    ],
)
def test_each_slip_is_repaired_and_said_at_its_line(typed, meant, message):
    text = BUDGET.replace(REASON, f"  project: 主要为{typed}\n")
    assert text != BUDGET
    result = format_file("budget.yaml", text.encode("utf-8"), "budget")
    assert not result.problems and result.internal is None
    assert f"  project: 主要为{meant}\n" in result.text
    assert [(c.line, c.message) for c in result.changes] == [(REASON_LINE, message)]


def test_the_issue_s_example_with_every_slip_at_once():
    typed = "  project: 主要减少为“日常运维经费“、”信息网络“　。。 \n"
    text = BUDGET.replace(REASON, typed)
    result = format_file("budget.yaml", text.encode("utf-8"), "budget")
    assert "  project: 主要减少为“日常运维经费”、“信息网络”。\n" in result.text
    assert len(result.changes) == 4, result.changes


def test_a_repair_deep_in_block_text_is_reported_at_its_own_line(data_copy, cli):
    path = data_copy / "2022" / "projects" / "02-office-work.yaml"
    text = path.read_text(encoding="utf-8")
    old = "增进军政军民关系."
    line = next(i for i, row in enumerate(text.split("\n"), 1) if old in row)
    edit(path, old, "增进军政\u3000军民关系.")
    result = cli("fmt", "--data", str(data_copy), "2022")
    assert result.exit_code == 0, result.output
    assert (
        f"projects/02-office-work.yaml:{line}: a full-width space (U+3000) between '政' and "
        "'军' removed"
    ) in result.stdout
    assert path.read_text(encoding="utf-8") == text  # the block's layout is kept


def test_a_space_between_chinese_characters_is_left_as_printed():
    """The published documents print such spaces between items (examples/wanli keeps
    them), so fmt does not remove them, and validate does not warn."""
    value = "第一季度  审价；第二季度 审价；第三季度 审计；第四季度 审计。"
    assert clean(value) == (value, [])
    assert problems_in(value) == []


@pytest.mark.parametrize(
    "value",
    ["“12345”政务服务便民热线", "按照“量入为出，收支平衡”原则", "People’s Bank", "走访……慰问"],
)
def test_text_written_right_is_left_alone(value):
    assert clean(value) == (value, [])
    assert problems_in(value) == []


# --- validate names what fmt cannot decide -----------------------------------------------


def test_unbalanced_quotes_are_a_warning_at_their_line_and_column(data_copy, cli):
    budget = data_copy / "2022" / "budget.yaml"
    edit(budget, REASON, "  project: 主要减少“日常运维经费、机关运行经费\n")
    result = cli("validate", "--data", str(data_copy), "2022")
    assert result.exit_code == 0  # a warning; --strict makes it an error
    column = budget.read_text(encoding="utf-8").split("\n")[REASON_LINE - 1].index("“") + 1
    assert column == 16  # `  project: ` and 主要减少
    assert (
        f"budget.yaml:{REASON_LINE}:{column}: warning: change_reasons.project: the text has 1 "
        "double quotes “ ”, an odd number: one is missing or one too many"
    ) in result.stderr, result.stderr
    # and fmt leaves the quotes as they are
    before = budget.read_bytes()
    assert cli("fmt", "--data", str(data_copy), "2022").exit_code == 0
    assert budget.read_bytes() == before
    assert cli("validate", "--data", str(data_copy), "--strict", "2022").exit_code == 1


def test_three_stops_in_block_text_are_a_warning_at_their_line(data_copy, cli):
    path = data_copy / "2022" / "projects" / "02-office-work.yaml"
    text = path.read_text(encoding="utf-8")
    old = "增进军政军民关系."
    line = next(i for i, row in enumerate(text.split("\n"), 1) if old in row)
    row = text.split("\n")[line - 1]
    edit(path, old, "增进军政军民关系。。。")
    result = cli("validate", "--data", str(data_copy), "2022")
    column = row.index(old) + len("增进军政军民关系") + 1
    assert (
        f"02-office-work.yaml:{line}:{column}: warning: goal: 3 '。' in a row: write one "
        "'。' at the end of a sentence, or '……' for an ellipsis"
    ) in result.stderr, result.stderr


def test_the_warning_in_chinese(data_copy, cli, chinese):
    budget = data_copy / "2022" / "budget.yaml"
    edit(budget, REASON, "  project: 主要减少“日常运维经费”、“机关运行经费\n")
    result = cli("validate", "--data", str(data_copy), "2022")
    assert f"budget.yaml:{REASON_LINE}:" in result.stderr
    assert "引号" in result.stderr and "3" in result.stderr


def test_fmt_repairs_are_said_in_chinese(data_copy, cli, chinese):
    budget = data_copy / "2022" / "budget.yaml"
    edit(budget, REASON, "  project: 主要减少为日常运维经费”　。\n")
    result = cli("fmt", "--data", str(data_copy), "2022")
    assert f"budget.yaml:{REASON_LINE}: 已删去“。”前面的全角空格" in result.stdout, result.stdout


# --- the real data ---------------------------------------------------------------------


@pytest.mark.parametrize("source", [DATA, WANLI], ids=["data", "wanli"])
def test_the_real_data_is_left_byte_for_byte_and_warns_of_nothing(tmp_path, cli, source):
    shutil.copytree(source, tmp_path / "data")
    before = {p: p.read_bytes() for p in sorted((tmp_path / "data").rglob("*.yaml"))}
    result = cli("fmt", "--data", str(tmp_path / "data"))
    assert result.exit_code == 0, result.output
    assert {p: p.read_bytes() for p in before} == before
    for path in before:
        doc, _problems = load_text(path.name, path.read_text(encoding="utf-8"))
        for _path, value in _strings(doc.data):
            assert clean(value) == (value, []), (path, value)
            assert problems_in(value) == [], (path, value)


def _strings(data, path=()):
    if isinstance(data, dict):
        for key, value in data.items():
            yield from _strings(value, (*path, key))
    elif isinstance(data, list):
        for index, value in enumerate(data):
            yield from _strings(value, (*path, index))
    elif isinstance(data, str):
        yield path, data
