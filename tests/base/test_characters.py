"""One rule for characters, applied where text enters: what could change how a published
figure or name reads is refused at its line and column, naming the character."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner
from conftest import DATA, edit

from compiler import compile_year, parse_year_spec
from compiler.characters import find, name, visible, visible_json
from compiler.cli import main
from compiler.diagnostics import Diagnostic, Location
from compiler.input.loader import leaves, load_text

LOCATED = re.compile(r"^(?P<file>[^:]+):(?P<line>\d+):(?P<col>\d+): error: ")


@pytest.fixture
def year(data_copy: Path, monkeypatch) -> Path:
    monkeypatch.chdir(data_copy.parent)
    return data_copy / "2022"


def validate(*args: str):
    result = CliRunner().invoke(main, ["validate", "--data", "data", *args])
    assert "Traceback" not in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)
    return result


def position(path: Path, needle: str) -> tuple[int, int]:
    """1-based line and column of `needle`, counting only line feeds as line breaks (as
    every editor's "go to line" does for these files)."""
    text = path.read_bytes().decode("utf-8")  # as written: no newline translation
    index = text.index(needle)
    return text.count("\n", 0, index) + 1, index - (text.rfind("\n", 0, index) + 1) + 1


def error_lines(result) -> list[str]:
    return [line for line in result.stderr.splitlines() if LOCATED.match(line)]


# ------------------------------------------------------------------------- refused characters


@pytest.mark.parametrize(
    ("file", "old", "char", "field", "named"),
    [
        ("budget.yaml", "basic: 主要为", "\u202e", "change_reasons.basic", "RIGHT-TO-LEFT"),
        ("unit.yaml", "name: 廊坊市", "\u2066", "unit.name", "LEFT-TO-RIGHT ISOLATE"),
        ("unit.yaml", "name: 廊坊市", "\x00", "unit.name", "NULL"),
        ("budget.yaml", "project_scope: 全部", "\x07", "expenditure.project_scope", "BELL"),
        ("budget.yaml", "project_scope: 全部", "\x1b", "expenditure.project_scope", "ESCAPE"),
        ("budget.yaml", "project_scope: 全部", "\x7f", "expenditure.project_scope", "DELETE"),
        ("budget.yaml", "project_scope: 全部", "\x85", "expenditure.project_scope", "NEXT LINE"),
        ("budget.yaml", "project_scope: 全部", "\x9b", "expenditure.project_scope",
         "CONTROL SEQUENCE INTRODUCER"),
        ("budget.yaml", "project_scope: 全部", "\r", "expenditure.project_scope",
         "CARRIAGE RETURN"),
        ("unit.yaml", "name: 廊坊市", "\u200b", "unit.name", "ZERO WIDTH SPACE"),
        ("unit.yaml", "name: 廊坊市", "\ufeff", "unit.name", "ZERO WIDTH NO-BREAK SPACE"),
        ("unit.yaml", "name: 廊坊市", "\ue000", "unit.name", "private-use"),
        ("unit.yaml", "name: 廊坊市", "\u0378", "unit.name", "unassigned"),
        ("unit.yaml", "name: 廊坊市", "\ufdd0", "unit.name", "noncharacter"),
        ("unit.yaml", "name: 廊坊市", "\U000e0041", "unit.name", "TAG LATIN CAPITAL LETTER A"),
    ],
)  # fmt: skip
def test_a_character_that_could_change_what_is_read_is_refused_where_written(
    year, file, old, char, field, named
):
    path = year / file
    edit(path, old, old + char)
    line, column = position(path, char)
    result = validate()
    assert result.exit_code == 1, result.stderr
    found = [e for e in error_lines(result) if f"U+{ord(char):04X}" in e]
    assert len(found) == 1, result.stderr
    assert found[0].startswith(f"data/2022/{file}:{line}:{column}: error: {field}: character ")
    assert named in found[0]
    assert char not in result.stderr, "the message shows the character, never the raw byte"


def test_a_right_to_left_override_cannot_make_a_figure_read_backwards(year):
    """The issue's example: U+202E before a reason made the PDF show 2331.12 as 21.1332."""
    edit(year / "budget.yaml", "project: 主要减少为", "project: \u202e主要减少为")
    result = validate()
    assert result.exit_code == 1
    assert "U+202E RIGHT-TO-LEFT OVERRIDE" in result.stderr
    assert "2331.12 can show as 21.1332" in result.stderr
    built = CliRunner().invoke(main, ["build", "--data", "data", "--out", "out"])
    assert built.exit_code == 1 and "nothing written" in built.stderr
    assert not Path("out").exists()


def test_an_escape_in_quotes_is_refused_too(year):
    """ "\\u202e" in double quotes makes the character without writing it."""
    path = year / "unit.yaml"
    edit(path, "  city: 廊坊市", '  city: "\\u202e廊坊市"')
    line, column = position(path, '"\\u202e')
    result = validate()
    assert result.exit_code == 1
    expected = f"data/2022/unit.yaml:{line}:{column}: error: unit.city: character U+202E"
    assert any(e.startswith(expected) for e in error_lines(result)), result.stderr
    assert "written as an escape in quotes" in result.stderr


@pytest.mark.parametrize("mark", ["\u0336", "\u20dd", "\u0301"])
def test_a_text_that_starts_with_a_combining_mark_is_refused(year, mark):
    """The mark would be drawn onto what is printed before the text: in 3 then "\u0336人"
    the figure 3 looks struck out. Inside a text a mark belongs to its letter and is fine."""
    path = year / "projects" / "01-office-building.yaml"
    edit(path, "unit: 万平方米}", f"unit: {mark}万平方米}}")
    line, column = position(path, f"{mark}万平方米")
    result = validate()
    assert result.exit_code == 1
    expected = (
        f"data/2022/projects/01-office-building.yaml:{line}:{column}: error: "
        "indicators[0].target.unit: the text starts with the combining mark U+"
    )
    assert any(e.startswith(expected) for e in error_lines(result)), result.stderr


def test_a_tab_inside_text_is_refused_but_not_between_tokens(year):
    edit(
        year / "budget.yaml", "project_scope: 全部为本级支出", 'project_scope: "全部为\\t本级支出"'
    )
    edit(year / "budget.yaml", "  personnel: 3307.05", "  personnel:\t3307.05")
    result = validate()
    assert result.exit_code == 1
    errors = error_lines(result)
    assert len(errors) == 1 and "U+0009 CHARACTER TABULATION" in errors[0], result.stderr
    assert "expenditure.project_scope" in errors[0]


def test_a_line_separator_in_a_comment_is_refused_and_later_lines_keep_their_numbers(year):
    """libyaml counts U+2028 as a line break: every message below it pointed one line off."""
    path = year / "budget.yaml"
    edit(path, "# 2021's budget, from", "# 2021's\u2028budget, from")
    edit(path, "  project: 7742.83", "  project: 7742.833")
    separator_line, separator_column = position(path, "\u2028")
    amount_line, amount_column = position(path, "7742.833")
    result = validate()
    assert result.exit_code == 1
    errors = error_lines(result)
    assert f"data/2022/budget.yaml:{separator_line}:{separator_column}: error: character " \
        "U+2028 LINE SEPARATOR" in "\n".join(errors)  # fmt: skip
    assert any(
        e.startswith(f"data/2022/budget.yaml:{amount_line}:{amount_column}: error: "
                     "previous_year.project:")
        for e in errors
    ), errors  # fmt: skip


def test_many_refused_characters_are_reported_with_a_count_not_one_line_each(year):
    edit(year / "glossary.yaml", "definition: ", "definition: " + "\u200b" * 500, count=1)
    result = validate()
    assert result.exit_code == 1
    assert len(error_lines(result)) <= 25
    assert "480 more characters like these" in result.stderr


# ------------------------------------------------------------------------- what is normalised


def test_a_file_with_crlf_line_ends_reads_as_the_same_file(year):
    path = year / "budget.yaml"
    edit(path, "  general_budget: 9272.51", "  general_budget: 9272.511")
    path.write_bytes(path.read_bytes().replace(b"\n", b"\r\n"))
    line, column = position(path, "9272.511")
    result = validate()
    assert result.exit_code == 1
    assert error_lines(result) == [
        f"data/2022/budget.yaml:{line}:{column}: error: income.general_budget: expected an "
        "amount in 万元 with at most 2 decimals (一般公共预算收入), found 9272.511"
    ]


def test_crlf_data_builds_the_same_markdown(tmp_path):
    for crlf in (False, True):
        data = tmp_path / f"crlf-{crlf}" / "data"
        shutil.copytree(DATA / "2022", data / "2022")
        if crlf:
            for path in (data / "2022").rglob("*.yaml"):
                path.write_bytes(path.read_bytes().replace(b"\n", b"\r\n"))
        out = data.parent / "out"
        result = CliRunner().invoke(
            main, ["build", "--data", str(data), "--out", str(out), "--format", "md"]
        )
        assert result.exit_code == 0, result.output
    built = [tmp_path / f"crlf-{crlf}" / "out" / "2022" / "disclosure.md" for crlf in (False, True)]
    assert built[0].read_bytes() == built[1].read_bytes()


def test_text_is_compared_in_one_normal_form(year):
    """café written with a combining accent is the same name as café: two project tables
    with these names are one name twice, not two names."""
    projects = year / "projects"
    edit(
        projects / "01-office-building.yaml", "name: 机关办公楼运转经费", "name: 运转经费caf\u00e9"
    )
    edit(projects / "02-office-work.yaml", "name: 机关工作经费", "name: 运转经费cafe\u0301")
    result = validate()
    assert "already has a table" in result.stderr, result.stderr


def test_loaded_text_is_in_nfc():
    doc, problems = load_text("x.yaml", 'a: cafe\u0301\nb: "Å"\n')
    assert problems == []
    assert doc.data == {"a": "caf\u00e9", "b": "\u00c5"}


# ------------------------------------------------------------------------- showing data


def test_messages_show_refused_characters_as_escapes():
    d = Diagnostic(
        Location("data/2022/x\x1b[2J.yaml", 3, 4), "found '\x1b]0;owned\x07\r'", "a\u202eb"
    )
    text = d.format_text()
    assert "\x1b" not in text and "\r" not in text and "\u202e" not in text and "\x07" not in text
    assert "\\u001b]0;owned\\u0007\\u000d" in text and "a\\u202eb" in text
    github = d.format_github()
    assert "\x1b" not in github and "\r" not in github and "%0D" not in github


def test_a_file_name_with_an_escape_sequence_is_reported_without_it(year):
    (year / "x\x1b]0;owned\x07.yaml").write_text("a: 1\n", encoding="utf-8")
    result = validate()
    assert result.exit_code == 1
    assert "\x1b" not in result.stderr and "\x07" not in result.stderr
    assert "x\\u001b]0;owned\\u0007.yaml" in result.stderr


def test_textconv_shows_refused_characters_visibly(tmp_path):
    path = tmp_path / "unit.yaml"
    path.write_text("unit:\n  name: 廊坊\u202e市\n", encoding="utf-8")
    out = CliRunner().invoke(main, ["textconv", str(path)]).stdout
    assert "\u202e" not in out and "廊坊\\u202e市" in out


def test_visible_and_visible_json():
    assert visible("ok 廊坊\u3000市\n") == "ok 廊坊\u3000市\n"
    assert visible("a\rb\x9b") == "a\\u000db\\u009b"
    assert visible("\U000e0041") == "\\U000e0041"
    text = json.dumps({"v": "a\u202eb\x85\U000e0041"}, ensure_ascii=False)
    shown = visible_json(text)
    assert json.loads(shown) == {"v": "a\u202eb\x85\U000e0041"}
    assert not find(shown)


def test_names_of_characters():
    assert name("\u202e") == "U+202E RIGHT-TO-LEFT OVERRIDE"
    assert name("\x1b") == "U+001B ESCAPE"
    assert name("\x85") == "U+0085 NEXT LINE"
    assert name("\ufffe") == "U+FFFE a noncharacter"
    assert name("\U000f0000") == "U+F0000 a private-use character"


def test_the_rule_changes_no_text_of_the_real_data():
    """Every string of data/2022 loads exactly as a plain YAML reader reads it."""
    result = compile_year(parse_year_spec("2022", DATA))
    assert result.ok
    for rel, doc in result.documents.items():
        plain = yaml.load(doc.raw.decode("utf-8"), Loader=yaml.BaseLoader)  # every value text
        ours = {path: value for path, value in leaves(doc.data) if isinstance(value, str)}
        theirs = dict(leaves(plain))
        assert ours, rel
        for path, value in ours.items():
            assert theirs[path] == value, (rel, path)
