"""Chinese first, for the text, the characters, the years and the outputs: what a clerk reads
when prose cites or links what it may not, a value holds an invisible character, a year or
revision cannot be read, another build holds the output folder, or a font is missing.

The suite runs in English (conftest); each test here asks for Chinese with `chinese`.
"""

from __future__ import annotations

import fcntl
from pathlib import Path

import pytest
from conftest import DATA, edit, line_of

import compiler.publish.output
from compiler.publish.output import OutputFolderError, write_all
from compiler.render import fonts

OTHER_MATTERS = "other_matters: 我单位无其他需要说明的事项。"


def with_other_matters(data: Path, text: str) -> tuple[Path, str]:
    """unit.yaml's other_matters made `text`; (the file, `file:line:col` of the value)."""
    unit = data / "2022" / "unit.yaml"
    edit(unit, OTHER_MATTERS, f"other_matters: {text}")
    line = line_of(unit, "other_matters:")
    column = len("other_matters: ") + 1
    return unit, f"unit.yaml:{line}:{column}: 错误: "


def problems(output: str, where: str) -> list[str]:
    return [line for line in output.splitlines() if where in line]


@pytest.mark.parametrize(
    ("citation", "chinese_words"),
    [
        ("{% if x %}", "数字引用有误：文字中不能写语句（{% … %}）；只能引用数字，如 {{ budget"),
        ("{# 注 #}", "数字引用有误：文字中不能写注释（{# … #}）"),
        ("{{ lipsum }}", "数字引用有误：没有可引用的“lipsum”（可引用的有：year, unit"),
        ("{{ budget }}", "budget 是一组数据，不是单个数字；请引用其中的某个数字"),
        ("{{ unit.name | money }}", "格式“money”只能用于数字，而 unit.name 是文字"),
        ("{{ budget.income.total | upper }}", "没有“upper”这种格式；请使用以下之一：money"),
        ("{{ budget.income.total }", "“{{”后面缺少与之配对的“}}”"),
        # the citation's syntax counts from 0; the message says so in the clerk's count
        ("{{ projects[99].name }}", "序号从 0 数起：第1项写作 projects[0]"),
    ],
)
def test_a_citation_prose_may_not_make_is_named_in_chinese_at_its_line(
    cli, chinese, data_copy, citation, chinese_words
):
    _, where = with_other_matters(data_copy, f"我单位{citation}无其他需要说明的事项。")
    result = cli("validate", "2022", "--data", str(data_copy))
    assert result.exit_code == 1, result.output
    [message] = problems(result.output, where)
    assert chinese_words in message
    assert "bad figure citation" not in message and "not allowed" not in message


@pytest.mark.parametrize(
    ("markdown", "below", "chinese_words"),
    [
        ("![图](x.png)", 0, "公开文件的文字中不能插入图片；请删除图片"),
        # raw HTML is shown as the characters written, never as HTML; in angle brackets
        # an address is a link, and one to a file is refused
        (
            "<file:///etc/passwd>",
            0,
            "链接只能指向网页或电子邮箱（http、https、mailto），这里写的是“file:///etc/passwd”",
        ),
        ("[附件][a]\n\n  [a]: https://example.com/", 2, "不能使用链接引用定义（[名称]: 网址）"),
    ],
)
def test_an_image_or_a_link_prose_may_not_carry_is_named_in_chinese_at_its_line(
    cli, chinese, data_copy, markdown, below, chinese_words
):
    unit = data_copy / "2022" / "unit.yaml"
    edit(unit, OTHER_MATTERS, f"other_matters: |-\n  见：\n  {markdown}")
    line = line_of(unit, "other_matters:") + 2 + below
    result = cli("validate", "2022", "--data", str(data_copy))
    assert result.exit_code == 1, result.output
    [message] = [m for m in problems(result.output, "unit.yaml:") if chinese_words in m]
    assert f"unit.yaml:{line}:1: 错误: " in message
    assert "not allowed" not in message and "links may only" not in message


@pytest.mark.parametrize(
    ("char", "chinese_words"),
    [
        ("\u202e", "不能使用字符 U+202E RIGHT-TO-LEFT OVERRIDE：双向文字控制符会"),
        ("\x07", "不能使用字符 U+0007 BELL：控制字符看不见，或会印成方框；请删除"),
        ("\t", "制表符（Tab）不是公开文件能印出的文字；请改用空格"),
        ("\ue000", "不能使用字符 U+E000 私用区字符：私用区字符没有公认的含义和字形"),
    ],
)
def test_a_refused_character_in_a_value_is_named_in_chinese_where_it_is(
    cli, chinese, data_copy, char, chinese_words
):
    unit = data_copy / "2022" / "unit.yaml"
    edit(unit, "  city: 廊坊市", f"  city: 廊坊{char}市")
    line = line_of(unit, "  city: ")
    column = len("  city: 廊坊") + 1
    result = cli("validate", "2022", "--data", str(data_copy))
    assert result.exit_code == 1, result.output
    [message] = problems(result.output, f"unit.yaml:{line}:{column}: 错误: ")
    assert chinese_words in message
    assert char not in result.output  # shown by its code point, never raw


def test_a_bad_git_revision_is_refused_in_chinese(cli, chinese):
    result = cli("validate", "--data", str(DATA), "2022@nosuchrev")
    assert result.exit_code == 2
    assert "git 中没有“nosuchrev”这个版本；请检查拼写" in result.output
    assert "unknown git revision" not in result.output
    assert "Traceback" not in result.output


def test_what_is_not_a_year_is_refused_in_chinese(cli, chinese):
    result = cli("validate", "--data", str(DATA), "20x2")
    assert result.exit_code == 2
    assert "“20x2”不是年度：请写年度（如 2022），或写成 年度@版本（如 2022@main）" in result.output


def test_a_revision_outside_git_is_refused_in_chinese(cli, chinese, tmp_path):
    (tmp_path / "data" / "2022").mkdir(parents=True)
    result = cli("validate", "--data", str(tmp_path / "data"), "2022@main")
    assert result.exit_code == 2
    assert "不在 git 仓库中；要读取 年度@版本，数据文件夹必须在 git 仓库里" in result.output


def test_a_build_refused_the_output_lock_says_so_in_chinese(cli, chinese, tmp_path, monkeypatch):
    out = tmp_path / "out"
    out.mkdir()
    monkeypatch.setattr(compiler.publish.output, "LOCK_WAIT", 0.3)
    with open(out / ".2022.lock", "w") as held:
        held.write("4242\n")
        held.flush()
        fcntl.flock(held, fcntl.LOCK_EX)
        result = cli("build", "2022", "--data", str(DATA), "--out", str(out), "--format", "md")
    assert result.exit_code == 2, result.output
    assert "另一个生成过程（进程号 4242）正在写入" in result.output
    assert "已等待 0.3 秒仍未结束；请等它完成后再试" in result.output
    assert "another build" not in result.output


def test_outputs_that_would_replace_a_shared_folder_are_refused_in_chinese(chinese, tmp_path):
    (tmp_path / ".git").mkdir()  # a checkout: more than outputs
    with pytest.raises(OutputFolderError) as refused:
        write_all({tmp_path / "a.html": b"a", tmp_path / "b.html": b"b"})
    assert "生成的文件会整体替换文件夹" in str(refused.value)
    assert "请另给一个专用的输出文件夹（如 --out site）" in str(refused.value)


def test_a_workbook_of_a_year_without_tables_is_refused_in_chinese(cli, chinese, tmp_path):
    result = cli("build", "2022", "--data", str(DATA), "--out", str(tmp_path), "--format", "xlsx")
    assert result.exit_code == 1, result.output
    assert "Excel 工作簿只包含公开表，而本年度没有公开表（需补充 lines.yaml）" in result.output


@pytest.fixture
def fresh_font_caches():
    fonts.cjk_faces.cache_clear()
    fonts.covered_characters.cache_clear()
    yield
    fonts.cjk_faces.cache_clear()
    fonts.covered_characters.cache_clear()


def test_a_missing_cjk_font_is_named_in_chinese(
    cli, chinese, tmp_path, monkeypatch, fresh_font_caches
):
    monkeypatch.setattr(fonts, "_fc_list", lambda: [])
    out = tmp_path / "out"
    result = cli("build", "2022", "--data", str(DATA), "--out", str(out))
    assert result.exit_code == 2, result.output
    assert "无法生成 PDF：本机没有找到中文字体 Noto Sans CJK SC, Noto Serif CJK SC" in result.output
    assert "请（或请系统管理员）安装 Debian 的 fonts-noto-cjk 字体包" in result.output
    assert not out.exists() or not any(out.rglob("*"))


def test_a_character_without_a_glyph_is_named_in_chinese_at_its_line(
    cli, chinese, data_copy, tmp_path, fresh_font_caches
):
    unit = data_copy / "2022" / "unit.yaml"
    edit(unit, "负责组织起草市政府领导重要讲话", "负责组织起草\u1200市政府领导重要讲话")
    result = cli("build", "2022", "--data", str(data_copy), "--out", str(tmp_path / "out"))
    assert result.exit_code == 1, result.output
    [message] = problems(result.output, f"unit.yaml:{line_of(unit, chr(0x1200))}:")
    assert ": 错误: " in message
    assert (
        "PDF 字体（Noto Serif CJK SC）中没有字符“\u1200”（U+1200 ETHIOPIC SYLLABLE HA）的字形"
        in (message)
    )
    assert "印出来会是空白；请换成其他字符" in message
