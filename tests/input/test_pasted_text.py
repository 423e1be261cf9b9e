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


def test_a_space_between_chinese_characters_is_left_by_fmt_and_named_by_validate():
    """The published documents print such spaces between items (examples/wanli keeps
    them), so fmt does not remove them; validate names the first, with its neighbourhood
    and how many more, as a warning about the published text (it may be acknowledged)."""
    value = "第一季度  审价；第二季度 审价；第三季度 审计；第四季度 审计。"
    assert clean(value) == (value, [])
    [problem] = problems_in(value)
    assert problem.index == 4 and problem.published
    assert problem.message.startswith(
        "a space between '度' and '审' (“第一季度  审价；第二季”), and 3 more in this text: "
        "fmt leaves it"
    )


def test_the_space_warning_at_its_line_and_column_and_acknowledged(data_copy, cli, chinese):
    budget = data_copy / "2022" / "budget.yaml"
    edit(budget, REASON, "  project: 主要减少为市民服务中心 日常运维经费\n")
    result = cli("validate", "--data", str(data_copy), "--strict", "2022")
    assert result.exit_code == 1
    column = len("  project: 主要减少为市民服务中心") + 1
    assert (
        f"budget.yaml:{REASON_LINE}:{column}: 错误: 增减原因 › 项目支出增减原因: “心”和“日”之间有一个半角"
        "空格（“市民服务中心 日常运维经费”）：公开文本有时特意印出这样的空格作分隔，自动整理不会删去。"
        "如果公开文本没有这个空格，请删去；如果公开文本就是这样印的，请在 acknowledged.yaml 中确认保留"
    ) in result.stderr, result.stderr
    (data_copy / "2022" / "acknowledged.yaml").write_text(
        "# yaml-language-server: $schema=../../schemas/acknowledged.schema.json\n"
        "warnings:\n"
        "  - {file: budget.yaml, field: change_reasons.project, reason: 公开文本如此}\n",
        encoding="utf-8",
    )
    again = cli("validate", "--data", str(data_copy), "--strict", "2022")
    assert again.exit_code == 0, again.stderr
    assert f"budget.yaml:{REASON_LINE}:{column}: 已确认保留:" in again.stderr


@pytest.mark.parametrize(
    "value",
    ["“12345”政务服务便民热线", "按照“量入为出，收支平衡”原则", "People’s Bank", "走访……慰问"],
)
def test_text_written_right_is_left_alone(value):
    assert clean(value) == (value, [])
    assert problems_in(value) == []


# --- quotes in the layout's style ------------------------------------------------------


@pytest.mark.parametrize(
    "typed, curly, corner",
    [
        ('采用"PPP"模式', "采用“PPP”模式", "采用「PPP」模式"),
        (
            '按"量入为出"原则，"收支平衡"',
            "按“量入为出”原则，“收支平衡”",
            "按「量入为出」原则，「收支平衡」",
        ),
        ("按“量入为出“原则", "按“量入为出”原则", "按「量入为出」原则"),
        ("按”量入为出“原则", "按“量入为出”原则", "按「量入为出」原则"),
        ('按“量入为出"原则', "按“量入为出”原则", "按「量入为出」原则"),
        ("按「量入为出」原则", "按“量入为出”原则", "按「量入为出」原则"),
        ("按“量入为出”原则", "按“量入为出”原则", "按「量入为出」原则"),
    ],
)
def test_quotes_are_written_in_the_layout_s_style(typed, curly, corner):
    assert clean(typed, "“”")[0] == curly
    assert clean(typed, "「」")[0] == corner
    assert problems_in(typed) == []


@pytest.mark.parametrize(
    "typed, index, message",
    [
        ('采用"PPP模式', 2, 'the text has 1 double quotes ("), an odd number'),
        ('“采用"PPP"模式', 7, 'the text has 3 double quotes (“ "), an odd number'),
        ("按“量入为出」原则", 1, "the quotes “ and 」 are of two kinds"),
        ('"提升居民意识"', 0, 'the whole text is in straight quotes "…"'),
    ],
)
def test_quotes_fmt_cannot_decide_are_left_and_named(typed, index, message):
    for style in ("“”", "「」"):
        assert clean(typed, style) == (typed, [])
    [problem] = problems_in(typed)
    assert problem.index == index and problem.message.startswith(message)
    assert problem.published == message.startswith("the whole text")


def test_fmt_writes_the_quotes_of_the_year_s_layout(data_copy, cli):
    """2022's layout (hebei-unit) declares “”; a project layout extending it with 「」
    makes fmt write 「」 instead. No other byte of the file changes."""
    budget = data_copy / "2022" / "budget.yaml"
    edit(budget, REASON, '  project: 主要减少"市民服务中心"运维经费\n')
    typed = budget.read_text(encoding="utf-8")
    result = cli("fmt", "--data", str(data_copy), "2022")
    assert result.exit_code == 0, result.stderr
    assert (
        f'budget.yaml:{REASON_LINE}: quotes "市民服务中心" written as “市民服务中心”'
        in result.stdout
    )
    assert budget.read_text(encoding="utf-8") == typed.replace('"市民服务中心"', "“市民服务中心”")
    layouts = data_copy.parent / "layouts" / "corner"
    layouts.mkdir(parents=True)
    (layouts / "layout.yaml").write_text('extends: hebei-unit\nquotes: "「」"\n', encoding="utf-8")
    edit(data_copy / "2022" / "unit.yaml", "layout: hebei-unit", "layout: corner")
    result = cli("fmt", "--data", str(data_copy), "2022")
    assert result.exit_code == 0, result.stderr
    assert budget.read_text(encoding="utf-8") == typed.replace('"市民服务中心"', "「市民服务中心」")


def test_fmt_leaves_quotes_as_typed_when_the_layout_cannot_be_read(data_copy, cli):
    """A project's 「」 layout with a mistake in it (validate names it): fmt cannot know the
    style, so it brings no quotes to one (it wrote every 「」 as “” before), and repairs the
    rest as ever."""
    budget = data_copy / "2022" / "budget.yaml"
    edit(budget, REASON, "  project: 主要减少「市民服务中心」运维经费。。\n")
    layouts = data_copy.parent / "layouts" / "corner"
    layouts.mkdir(parents=True)
    (layouts / "layout.yaml").write_text(
        'extends: hebei-unit\nquotes: "「」"\nmistake: 1\n', encoding="utf-8"
    )
    edit(data_copy / "2022" / "unit.yaml", "layout: hebei-unit", "layout: corner")
    result = cli("fmt", "--data", str(data_copy), "2022")
    assert result.exit_code == 0, result.stderr
    assert "「市民服务中心」" in budget.read_text(encoding="utf-8")
    assert "运维经费。\n" in budget.read_text(encoding="utf-8")
    assert "written as “市民服务中心”" not in result.stdout


def test_validate_names_quotes_fmt_cannot_decide_at_their_column(data_copy, cli):
    budget = data_copy / "2022" / "budget.yaml"
    edit(budget, REASON, '  project: 主要减少"市民服务中心运维经费\n')
    result = cli("validate", "--data", str(data_copy), "2022")
    assert result.exit_code == 0  # a warning
    column = len("  project: 主要减少") + 1
    assert (
        f"budget.yaml:{REASON_LINE}:{column}: warning: change_reasons.project: the text has 1 "
        'double quotes ("), an odd number'
    ) in result.stderr, result.stderr
    before = budget.read_bytes()
    assert cli("fmt", "--data", str(data_copy), "2022").exit_code == 0
    assert budget.read_bytes() == before


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
        "double quotes (“), an odd number: one is missing or one too many"
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
def test_the_real_data_is_left_byte_for_byte_and_names_only_what_was_printed(tmp_path, cli, source):
    shutil.copytree(source, tmp_path / "data")
    before = {p: p.read_bytes() for p in sorted((tmp_path / "data").rglob("*.yaml"))}
    result = cli("fmt", "--data", str(tmp_path / "data"))
    assert result.exit_code == 0, result.output
    assert {p: p.read_bytes() for p in before} == before
    for path in before:
        doc, _problems = load_text(path.name, path.read_text(encoding="utf-8"))
        for _path, value in _strings(doc.data):
            assert clean(value) == (value, []), (path, value)
            named = problems_in(value)
            # what the 万里 documents printed (acknowledged in their acknowledged.yaml)
            assert all(p.published for p in named), (path, value)
            if named:
                assert path.parent.name in ("2023", "2024", "projects"), path


def _strings(data, path=()):
    if isinstance(data, dict):
        for key, value in data.items():
            yield from _strings(value, (*path, key))
    elif isinstance(data, list):
        for index, value in enumerate(data):
            yield from _strings(value, (*path, index))
    elif isinstance(data, str):
        yield path, data
