"""`disclosure fmt`: each repair at its line, comments and block text kept, no fact
changed, formatting twice changes nothing, and what it does with files it cannot repair."""

from __future__ import annotations

import io
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from conftest import DATA, ROOT, edit, line_of
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from ruamel.yaml import YAML

from compiler import compile_year, parse_year_spec
from compiler.fmt.formatter import format_file
from compiler.input.loader import load_text
from compiler.model.disclosure import to_tree

WANLI = ROOT / "examples" / "wanli" / "data"
DEPARTMENT = ROOT / "tests" / "data" / "department"


def fmt(cli, data: Path, *args: str):
    result = cli("fmt", "--data", str(data), *args)
    assert "Traceback" not in result.output + result.stderr
    return result


def snapshot(folder: Path) -> dict[str, bytes]:
    return {
        p.relative_to(folder).as_posix(): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file() and not p.is_symlink()
    }


def data_of(path: Path):
    doc, problems = load_text(path.name, path.read_text(encoding="utf-8"))
    assert doc is not None and not problems, [p.format_text() for p in problems]
    return doc.data


# --- each repair, at its line ------------------------------------------------------------


@pytest.mark.parametrize(
    "old, new, message, fixed",
    [
        (
            "  carried_over: 297.37",
            "  carried_over：297.37",
            "full-width colon after 'carried_over' written as ':'",
            "  carried_over: 297.37\n",
        ),
        (
            "  carried_over: 297.37",
            "  carried_over: ２９７.３７",
            "full-width digits ２９７.３７ written as 297.37",
            "  carried_over: 297.37\n",
        ),
        (
            "  carried_over: 297.37",
            '  carried_over: "297.37"',
            'quotes around the number "297.37" removed (a number in quotes is text)',
            "  carried_over: 297.37\n",
        ),
        (
            "  carried_over: 297.37",
            "  carried_over:297.37",
            "space added after 'carried_over:'",
            "  carried_over: 297.37\n",
        ),
        (
            "  carried_over: 297.37",
            "\tcarried_over: 297.37",
            "a tab used for indentation written as spaces",
            "  carried_over: 297.37\n",
        ),
        (
            "  carried_over: 297.37",
            "\u3000carried_over: 297.37",
            "a full-width space (U+3000) used for indentation written as spaces",
            "  carried_over: 297.37\n",
        ),
        (
            "  carried_over: 297.37",
            "  carried_over:\t297.37",
            "a tab after 'carried_over:' written as a space",
            "  carried_over: 297.37\n",
        ),
    ],
)
def test_a_mistake_is_repaired_and_reported_at_its_line(data_copy, cli, old, new, message, fixed):
    budget = data_copy / "2022" / "budget.yaml"
    expected = budget.read_text(encoding="utf-8")
    edit(budget, old, new)
    line = line_of(budget, new.strip()[:12])
    result = fmt(cli, data_copy)
    assert result.exit_code == 0, result.output + result.stderr
    assert f"budget.yaml:{line}: {message}\n" in result.output
    assert fixed in budget.read_text(encoding="utf-8")
    assert budget.read_text(encoding="utf-8") == expected
    assert "2022: 1 file(s) reformatted, 19 already canonical" in result.stderr
    assert cli("validate", "--data", str(data_copy)).exit_code == 0


def test_a_code_typed_as_a_number_is_quoted(data_copy, cli):
    unit = data_copy / "2022" / "unit.yaml"
    edit(unit, 'code: "151001"', "code: 151001")
    line = line_of(unit, "code: 151001")
    result = fmt(cli, data_copy)
    assert (
        f'unit.yaml:{line}: code 151001 written in quotes as "151001" (a code is text, '
        "not a number)" in result.output
    )
    assert '  code: "151001"\n' in unit.read_text(encoding="utf-8")


@pytest.mark.parametrize(
    "typed, message",
    [
        ("“2010507”", 'full-width quotes in the code “2010507” written as "2010507"'),
        ('"２０１０５０７"', 'full-width digits ２０１０５０７ in a code written as "2010507"'),
        ("2010507", 'code 2010507 written in quotes as "2010507" (a code is text, not a number)'),
    ],
)
def test_codes_in_flow_mappings_become_quoted_text(tmp_path, cli, typed, message):
    data = tmp_path / "data"
    shutil.copytree(WANLI / "2024", data / "2024")
    lines = data / "2024" / "lines.yaml"
    edit(lines, '{code: "2010507", project: 257700}', f"{{code: {typed}, project: 257700}}")
    line = line_of(lines, "project: 257700}")
    result = fmt(cli, data)
    assert result.exit_code == 0, result.stderr
    assert f"lines.yaml:{line}: {message}" in result.output
    # the same as published but for where the comment beside it starts
    spaced = re.compile(r" +#")
    expected = (WANLI / "2024" / "lines.yaml").read_text(encoding="utf-8")
    assert spaced.sub(" #", lines.read_text(encoding="utf-8")) == spaced.sub(" #", expected)


def test_full_width_punctuation_of_a_flow_mapping_is_repaired(data_copy, cli):
    three = data_copy / "2022" / "three-public.yaml"
    original = three.read_bytes()
    edit(
        three,
        "{overseas: 0, vehicle_purchase: 0, vehicle_operation: 59.65, reception: 20.67}",
        "｛overseas：0，vehicle_purchase: 0，vehicle_operation：５９.６５, reception: 20.67｝",
    )
    result = fmt(cli, data_copy)
    assert result.exit_code == 0, result.stderr
    shown = [line for line in result.output.splitlines() if "three-public.yaml:2:" in line]
    messages = [line.split(":2: ", 1)[1] for line in shown]
    assert messages == [
        "full-width brackets ｛｝ written as ASCII",
        "full-width colon after 'overseas' written as ':'",
        "full-width comma between two entries written as ','",
        "full-width comma between two entries written as ','",
        "full-width colon after 'vehicle_operation' written as ':'",
        "full-width digits ５９.６５ written as 59.65",
    ]
    # the values stay aligned by hand with the line below
    assert three.read_bytes() == original


def test_keys_go_in_the_schemas_order_with_the_comments_above_them(data_copy, cli):
    budget = data_copy / "2022" / "budget.yaml"
    original = budget.read_text(encoding="utf-8")
    head, rest = original.split("expenditure:\n", 1)
    expenditure, tail = rest.split("# 2021's budget", 1)
    # expenditure after previous_year and change_reasons; fund_budget last in income
    shuffled = head + "# 2021's budget" + tail + "expenditure:\n" + expenditure
    shuffled = shuffled.replace("  fund_budget: 0\n", "").replace(
        "  carried_over: 297.37\n", "  carried_over: 297.37\n  fund_budget: 0  # 基金\n"
    )
    budget.write_text(shuffled, encoding="utf-8")
    result = fmt(cli, data_copy)
    assert result.exit_code == 0, result.stderr
    line = shuffled.splitlines().index("expenditure:") + 1
    assert f"budget.yaml:{line}: 'expenditure' moved after 'income', in the schema's order" in (
        result.output
    )
    fund = shuffled.splitlines().index("  fund_budget: 0  # 基金") + 1
    assert f"budget.yaml:{fund}: 'fund_budget' moved after 'general_budget'" in result.output
    assert budget.read_text(encoding="utf-8") == original.replace(
        "  fund_budget: 0\n", "  fund_budget: 0  # 基金\n"
    )


def test_bad_indentation_becomes_two_spaces_a_level(data_copy, cli):
    assets = data_copy / "2022" / "assets.yaml"
    original = assets.read_text(encoding="utf-8")
    facts = data_of(assets)
    # 4 spaces a level, a list's dash 4 in from its key
    wide = YAML()
    wide.indent(mapping=4, sequence=6, offset=4)
    wide.width = 10_000
    wide.allow_unicode = True
    out = io.StringIO()
    wide.dump(wide.load(original), out)
    assets.write_text(out.getvalue(), encoding="utf-8")
    assert "\n    - name: 房屋\n      unit: 平方米\n" in out.getvalue()
    assert data_of(assets) == facts
    result = fmt(cli, data_copy)
    assert result.exit_code == 0, result.stderr
    last = len(original.splitlines())
    assert (
        f"assets.yaml:3: indentation made consistent, 2 spaces a level (lines 3–{last})"
        in result.output
    )
    assert assets.read_text(encoding="utf-8") == original


def test_keys_the_schema_does_not_know_stay_after_the_known_ones(data_copy, cli):
    budget = data_copy / "2022" / "budget.yaml"
    edit(budget, "income:\n", "income:\n  note: 自用备注\n")
    edit(budget, "  project: 5411.71\n", "  project: 5411.71\n  remark: 备注\n")
    result = fmt(cli, data_copy)
    assert (
        "budget.yaml:3: 'note' (a field the schema does not know) moved after the known ones"
        in result.output
    )
    assert "budget.yaml:13: 'remark' (a field the schema does not know)" in result.output
    text = budget.read_text(encoding="utf-8")
    assert "  carried_over: 297.37\n  note: 自用备注\nexpenditure:" in text
    assert "  project: 5411.71\n  project_scope:" in text
    assert "等项经费\n  remark: 备注\n# 2021's budget" in text


def test_a_department_s_unit_files_are_formatted(tmp_path, cli):
    data = tmp_path / "data"
    shutil.copytree(DEPARTMENT / "2025", data / "2025")
    lines = data / "2025" / "units" / "01-office" / "lines.yaml"
    edit(lines, '{code: "2010302", project: 500000}', "{code: 2010302, project: ５０００００}")
    result = fmt(cli, data)
    assert result.exit_code == 0, result.stderr
    assert "units/01-office/lines.yaml:5: full-width digits ５０００００ written as 500000" in (
        result.output
    )
    assert lines.read_bytes() == (DEPARTMENT / "2025/units/01-office/lines.yaml").read_bytes()


# --- comments, block text, no fact changed, twice changes nothing ------------------------


def test_comments_and_block_scalars_survive_a_re_indentation(data_copy, cli):
    performance = data_copy / "2022" / "performance.yaml"
    text = performance.read_text(encoding="utf-8")
    text = text.replace("sub_goals:\n", "sub_goals:   # 分目标\n", 1)
    text = text.replace(
        "  - title: 持续提升政务值班值守工作水平\n",
        "  # 第二个分目标\n  - title: 持续提升政务值班值守工作水平\n",
        1,
    )
    text = text.replace("measures:\n", "# 保障措施，按公开文本的次序\n\nmeasures:\n", 1)
    performance.write_text(text, encoding="utf-8")
    assert "overall_goal: |-\n  2022年" in text
    wide = YAML()
    wide.indent(mapping=4, sequence=6, offset=4)
    wide.width = 10_000
    wide.allow_unicode = True
    out = io.StringIO()
    wide.dump(wide.load(text), out)
    performance.write_text(out.getvalue(), encoding="utf-8")
    assert out.getvalue() != text
    result = fmt(cli, data_copy)
    assert result.exit_code == 0, result.stderr
    assert performance.read_text(encoding="utf-8") == text


def _messed_up(folder: Path) -> None:
    """Every data file of the year folder in another layout, its keys in reverse order,
    its amounts in full-width digits and its codes unquoted: nothing fmt should not
    repair, nothing a fact."""
    from ruamel.yaml.comments import CommentedMap, CommentedSeq
    from ruamel.yaml.scalarstring import DoubleQuotedScalarString

    from compiler.fmt.roundtrip import _TextResolver
    from compiler.fmt.schema import root
    from compiler.input.halfwidth import ascii_digits

    full_width = str.maketrans("0123456789", "０１２３４５６７８９")

    def mess(node, place):
        if isinstance(node, CommentedMap):
            for key in reversed(list(node)):
                node.move_to_end(key)
            for key, value in node.items():
                node[key] = mess(value, place.child(key))
        elif isinstance(node, CommentedSeq):
            for index, value in enumerate(node):
                node[index] = mess(value, place.item())
        elif place.numeric and isinstance(node, str) and ascii_digits(node) == node:
            return type(node)(node.translate(full_width))
        elif place.code and isinstance(node, DoubleQuotedScalarString):
            return str(node)
        return node

    for path in sorted(folder.rglob("*.yaml")):
        rel = path.relative_to(folder).as_posix()
        kind = "project" if rel.startswith("projects/") else rel.rsplit("/", 1)[-1][:-5]
        messy = YAML()
        messy.Resolver = _TextResolver
        messy.preserve_quotes = True
        messy.indent(mapping=3, sequence=3, offset=0)
        messy.width = 10_000
        messy.allow_unicode = True
        tree = messy.load(path.read_text(encoding="utf-8"))
        mess(tree, root(kind))
        out = io.StringIO()
        messy.dump(tree, out)
        path.write_text(out.getvalue(), encoding="utf-8")


@pytest.mark.parametrize(
    "source, year", [(DATA, "2022"), (WANLI, "2023"), (WANLI, "2024")], ids=str
)
def test_no_fact_changes_the_compiled_year_is_the_same(tmp_path, cli, source, year):
    data = tmp_path / "data"
    for folder in source.iterdir():  # the previous year too: 2024 takes figures from 2023
        shutil.copytree(folder, data / folder.name)
    before = compile_year(parse_year_spec(year, data))
    assert before.ok
    _messed_up(data / year)
    assert compile_year(parse_year_spec(year, data)).ok is False  # the mess is real
    result = fmt(cli, data, year)
    assert result.exit_code == 0, result.stderr
    assert "full-width digits" in result.output and "moved" in result.output
    after = compile_year(parse_year_spec(year, data))
    assert after.ok, [d.format_text() for d in after.diagnostics if d.is_error]
    assert to_tree(after.model) == to_tree(before.model)
    again = fmt(cli, data, year, "--check")
    assert again.exit_code == 0, again.output
    assert again.stdout == ""


def test_formatting_twice_changes_nothing(data_copy, cli):
    budget = data_copy / "2022" / "budget.yaml"
    edit(budget, "  carried_over: 297.37", "\tcarried_over：２９７.３７")
    edit(budget, "  general_budget: 9272.51", '  general_budget:"9272.51"')
    edit(data_copy / "2022" / "unit.yaml", 'code: "151001"', "code: 151001")
    first = fmt(cli, data_copy)
    assert first.exit_code == 0 and first.output
    formatted = snapshot(data_copy)
    second = fmt(cli, data_copy)
    assert second.exit_code == 0
    assert second.stdout == ""
    assert "2022: all 20 file(s) already canonical" in second.stderr
    assert snapshot(data_copy) == formatted


@pytest.mark.parametrize("folder", [DATA, WANLI, DEPARTMENT], ids=["data", "wanli", "department"])
def test_the_real_data_is_canonical(tmp_path, cli, folder):
    before = snapshot(folder)
    result = fmt(cli, folder, "--check")
    assert result.exit_code == 0, result.output + result.stderr
    assert result.stdout == ""
    assert snapshot(folder) == before
    # and formatting a copy writes the same bytes
    shutil.copytree(folder, tmp_path / "copy")
    assert fmt(cli, tmp_path / "copy").exit_code == 0
    assert snapshot(tmp_path / "copy") == before


# --- --check, and what fmt leaves alone --------------------------------------------------


def test_check_changes_nothing_and_exits_1_when_a_file_would_change(data_copy, cli):
    assert fmt(cli, data_copy, "--check").exit_code == 0
    edit(data_copy / "2022" / "budget.yaml", "  carried_over: 297.37", "  carried_over：297.37")
    before = snapshot(data_copy)
    result = fmt(cli, data_copy, "--check")
    assert result.exit_code == 1
    assert "budget.yaml:7: full-width colon after 'carried_over' written as ':'" in result.output
    assert (
        "2022: 1 file(s) would be reformatted, 19 canonical (run `disclosure fmt 2022`)"
        in result.stderr
    )
    assert snapshot(data_copy) == before


@pytest.mark.parametrize(
    "old, new",
    [
        ("  project_scope: 全部为本级支出", '  project_scope: "全部为本级支出'),
        ("  carried_over: 297.37", "  carried_over: 297.37\n carried: 1"),
        ("  carried_over: 297.37", "  carried_over: &a 297.37"),
    ],
    ids=["unclosed quote", "indentation", "anchor"],
)
def test_a_file_fmt_cannot_repair_is_left_byte_identical(data_copy, cli, old, new):
    budget = data_copy / "2022" / "budget.yaml"
    edit(budget, old, new)
    edit(data_copy / "2022" / "unit.yaml", 'code: "151001"', "code: 151001")
    before = budget.read_bytes()
    located = [
        line
        for line in cli("validate", "--data", str(data_copy)).stderr.splitlines()
        if "budget.yaml:" in line
    ]
    assert len(located) == 1 and ": error: " in located[0]
    result = fmt(cli, data_copy)
    assert result.exit_code == 1
    assert located[0] in result.stderr.splitlines()  # the loader's own message
    assert "budget.yaml: left as it was: it cannot be read even after the repairs" in (
        result.stderr
    )
    assert budget.read_bytes() == before
    assert '"151001"' in (data_copy / "2022" / "unit.yaml").read_text(encoding="utf-8")
    assert "2022: 1 file(s) reformatted, 18 already canonical, 1 left as they were" in (
        result.stderr
    )


def test_tabs_whose_width_decides_the_structure_are_not_guessed(data_copy, cli):
    budget = data_copy / "2022" / "budget.yaml"
    # a tab of 2 makes fund_budget general_budget's sibling, of 4 or 8 its child
    edit(
        budget, "  general_budget: 9272.51\n  fund_budget: 0", "  general_budget:\n\tfund_budget: 0"
    )
    before = budget.read_bytes()
    result = fmt(cli, data_copy)
    assert result.exit_code == 1
    assert (
        "budget.yaml:4:1: error: tabs or full-width spaces used for indentation: how wide "
        "they are decides which key the line belongs to" in result.stderr
    )
    assert budget.read_bytes() == before


def test_a_file_that_is_not_utf8_is_reported_and_left(data_copy, cli):
    glossary = data_copy / "2022" / "glossary.yaml"
    glossary.write_bytes(glossary.read_text(encoding="utf-8").encode("gbk"))  # saved as GBK
    before = glossary.read_bytes()
    result = fmt(cli, data_copy)
    assert result.exit_code == 1
    assert "glossary.yaml:" in result.stderr and "not valid UTF-8" in result.stderr
    assert glossary.read_bytes() == before


def test_text_values_are_never_repaired(data_copy, cli):
    project = data_copy / "2022" / "projects" / "01-office-building.yaml"
    edit(
        project,
        "goal: |-\n  主要用于",
        "goal: |-\n  name：甲，value：乙\n  \u3000unit：丙\n  主要用于",
    )
    edit(project, "    basis: 工作计划\n", "    basis: 依据：工作计划，basis：年度\n", 1)
    edit(project, '{sign: "≥", value: 98, unit: "%"}', "{text: 提高，改善}")
    edit(
        data_copy / "2022" / "unit.yaml",
        "other_matters: 我单位无其他需要说明的事项。",
        'other_matters: "我单位无其他\n  name：需要说明的事项。"',
    )
    before = snapshot(data_copy)
    facts = data_of(data_copy / "2022" / "unit.yaml")["other_matters"]
    result = fmt(cli, data_copy)
    assert result.exit_code == 0, result.stderr
    # quoted text over two lines is written on one, as YAML reads it
    assert result.stdout.endswith("unit.yaml:40: lines 40–41: one value written on one line\n")
    assert len(result.stdout.splitlines()) == 1
    after = snapshot(data_copy)
    assert {k: v for k, v in after.items() if k != "2022/unit.yaml"} == {
        k: v for k, v in before.items() if k != "2022/unit.yaml"
    }
    assert data_of(data_copy / "2022" / "unit.yaml")["other_matters"] == facts
    assert facts == "我单位无其他 name：需要说明的事项。"


def break_the_formatter(monkeypatch, change) -> None:
    """The formatter's writer changed by `change`, as a bug would change it; the verdicts
    the unbroken formatter left in the cache (fmt/remembered.py) are not read."""
    from compiler.fmt import roundtrip as fmt_yaml

    dump = fmt_yaml.dump
    monkeypatch.setattr(fmt_yaml, "dump", lambda tree: change(dump(tree)))
    monkeypatch.setenv("DISCLOSURE_NO_CACHE", "fmt-canonical")


def test_an_internal_problem_writes_nothing_and_exits_2(data_copy, cli, monkeypatch):
    break_the_formatter(monkeypatch, lambda text: text.replace("297.37", "297.38"))
    budget = data_copy / "2022" / "budget.yaml"
    edit(budget, "  carried_over: 297.37", "  carried_over：297.37")
    before = budget.read_bytes()
    result = fmt(cli, data_copy)
    assert result.exit_code == 2
    assert (
        "budget.yaml: internal problem: the formatter would change a fact "
        "(income.carried_over); the file is left as it was" in result.stderr
    )
    assert budget.read_bytes() == before


def test_a_text_whose_repair_looks_like_a_number_stays_text(data_copy, cli, chinese):
    """`income: 0　` (a full-width space after 0, where the schema wants a mapping): the
    space is removed and the value stays the text "0", so fmt changes no fact and exits 0;
    validate then names the line, in Chinese, as for any text where a mapping belongs."""
    budget = data_copy / "2022" / "budget.yaml"
    text = budget.read_text(encoding="utf-8")
    block = re.search(r"^income:\n(?:  .*\n)+", text, re.M).group()
    budget.write_text(text.replace(block, "income: 0\u3000\n"), encoding="utf-8")
    line = line_of(budget, "income:")
    result = fmt(cli, data_copy)
    assert result.exit_code == 0, result.stderr
    assert f"data/2022/budget.yaml:{line}: 已删去文字末尾的全角空格" in result.output
    assert '\nincome: "0"\n' in budget.read_text(encoding="utf-8")
    checked = cli("validate", "--data", str(data_copy))
    assert checked.exit_code == 1
    assert (
        f"budget.yaml:{line}:9: 错误: 收入（万元）: 应填一组字段，实际是文字“0”" in checked.stderr
    )


def test_digits_repaired_where_the_schema_wants_text_are_an_internal_problem(
    data_copy, cli, monkeypatch
):
    """A code may lose its full-width digits; a text field may not, though its value
    looks the same."""
    unit = data_copy / "2022" / "unit.yaml"
    edit(unit, "other_matters: 我单位无其他需要说明的事项。", "other_matters: ２０２２")
    break_the_formatter(monkeypatch, lambda text: text.replace("２０２２", '"2022"'))
    before = unit.read_bytes()
    result = fmt(cli, data_copy)
    assert result.exit_code == 2
    assert "unit.yaml: internal problem: the formatter would change a fact (other_matters)" in (
        result.stderr
    )
    assert unit.read_bytes() == before


def test_a_lost_comment_is_an_internal_problem(data_copy, cli, monkeypatch):
    break_the_formatter(monkeypatch, lambda text: text.replace("# 2021's", "# 2020's"))
    result = fmt(cli, data_copy)
    assert result.exit_code == 2
    assert "budget.yaml: internal problem: the formatter would lose or change a comment" in (
        result.stderr
    )


@pytest.mark.skipif(not hasattr(os, "symlink"), reason="no symbolic links here")
def test_a_linked_file_is_refused_and_its_target_untouched(data_copy, tmp_path, cli):
    outside = tmp_path / "outside.yaml"
    budget = data_copy / "2022" / "budget.yaml"
    outside.write_text(
        budget.read_text(encoding="utf-8").replace("carried_over: 297.37", "carried_over：297.37"),
        encoding="utf-8",
    )
    before = outside.read_bytes()
    budget.unlink()
    budget.symlink_to(outside)
    result = fmt(cli, data_copy)
    assert result.exit_code == 1
    assert "budget.yaml: error: cannot read the file: budget.yaml is a symbolic link" in (
        result.stderr
    )
    assert outside.read_bytes() == before


def test_a_revision_or_a_missing_year_is_trouble(data_copy, cli):
    result = fmt(cli, data_copy, "2022@HEAD")
    assert result.exit_code == 2
    assert "fmt rewrites the files in the working tree" in result.stderr
    result = fmt(cli, data_copy, "2031")
    assert result.exit_code == 2
    assert "no data for 2031" in result.stderr


def test_byte_order_mark_and_windows_line_endings(data_copy, cli):
    glossary = data_copy / "2022" / "glossary.yaml"
    original = glossary.read_bytes()
    glossary.write_bytes(b"\xef\xbb\xbf" + original.replace(b"\n", b"\r\n"))
    result = fmt(cli, data_copy)
    assert result.exit_code == 0, result.stderr
    assert "glossary.yaml:1: invisible byte-order mark at the start removed" in result.output
    assert "glossary.yaml:1: Windows line endings (CR LF) written as LF" in result.output
    assert glossary.read_bytes() == original


# --- what validate says, and what it imports ---------------------------------------------


def _mistakes_fmt_repairs(data: Path) -> None:
    edit(data / "2022" / "budget.yaml", "carried_over: 297.37", "carried_over: ２９７.３７")
    edit(data / "2022" / "budget.yaml", "fund_budget: 0", 'fund_budget: "0"')
    edit(data / "2022" / "budget.yaml", "other: 0", "other: 0万元")
    edit(data / "2022" / "unit.yaml", 'code: "151001"', "code: 151001")


def test_validate_says_where_fmt_can_repair(data_copy, cli):
    _mistakes_fmt_repairs(data_copy)
    result = cli("validate", "--data", str(data_copy))
    assert result.exit_code == 1
    assert "or run `disclosure fmt` to change them all" in result.stderr  # full-width digits
    assert (
        "remove the quotes around 0: an amount is written without quotes; "
        "`disclosure fmt` does this" in result.stderr
    )
    assert "write the number alone, without the unit 万元: 0" in result.stderr  # fmt cannot know
    assert (
        'found the number 151001 (put codes in quotes, e.g. "151001"; `disclosure fmt` '
        "quotes them all)" in result.stderr
    )
    fmt(cli, data_copy)
    again = cli("validate", "--data", str(data_copy))
    assert [line for line in again.stderr.splitlines() if ": error: " in line] == [
        line for line in again.stderr.splitlines() if "without the unit 万元" in line
    ]


def test_validate_says_so_in_chinese_too(data_copy, cli, chinese):
    _mistakes_fmt_repairs(data_copy)
    edit(data_copy / "2022" / "unit.yaml", "code: 151001", "code: “151001”")
    result = cli("validate", "--data", str(data_copy))
    assert "或运行 disclosure fmt 自动全部改正" in result.stderr  # full-width digits
    assert "请去掉 0 两边的引号：金额不加引号；运行 disclosure fmt 可自动改正" in result.stderr
    assert (
        "（运行 disclosure fmt 可自动改正）"
        in [line for line in result.stderr.splitlines() if "unit.yaml" in line][0]
    )


def test_validate_does_not_import_the_formatter():
    code = (
        "import sys\n"
        "from click.testing import CliRunner\n"
        "from compiler.cli import main\n"
        "result = CliRunner().invoke(main, ['validate', '--data', sys.argv[1]])\n"
        "assert result.exit_code == 0, result.output\n"
        "print(sorted(m for m in sys.modules if m.startswith(('ruamel', 'compiler.fmt'))))\n"
    )
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    out = subprocess.run(
        [sys.executable, "-c", code, str(DATA)], capture_output=True, text=True, env=env
    )
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "[]"


def test_fmt_is_listed_and_has_help(cli):
    assert "fmt" in cli("--help").output
    text = cli("fmt", "--help").output
    assert "--check" in text and "full-width" in text


# --- idempotence on generated mappings ---------------------------------------------------

# text as a clerk types it (a tab in a value is refused by the loader: not generated)
_TEXT = st.text(alphabet=list("文字的一二三abc 019１２３：，“”#-:{}[]'\"\u3000\n"), max_size=10)
_NUMBER = st.builds(
    lambda whole, cents, wide: (f"{whole}.{cents:02d}" if cents else str(whole)).translate(
        str.maketrans("0123456789.", "０１２３４５６７８９．") if wide else {}
    ),
    st.integers(0, 99999),
    st.integers(0, 99),
    st.booleans(),
)
_KEYS = st.sampled_from(
    ["income", "general_budget", "carried_over", "expenditure", "project", "note", "项目", "x"]
)
_VALUES = st.recursive(
    st.one_of(_TEXT, _NUMBER, st.integers(0, 10**9), st.none()),
    lambda inner: st.one_of(
        st.lists(inner, min_size=1, max_size=3),
        st.dictionaries(_KEYS, inner, min_size=1, max_size=4),
    ),
    max_leaves=12,
)


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.dictionaries(_KEYS, _VALUES, min_size=1, max_size=5),
    st.sampled_from([2, 3, 4]),
    st.booleans(),
)
@example({"income": "0\u3000"}, 2, False)  # the repaired text would read as the number 0
def test_formatting_is_idempotent_and_keeps_the_facts(data, indent, flow):
    text = yaml.safe_dump(
        data, allow_unicode=True, indent=indent, default_flow_style=flow and None, sort_keys=False
    )
    first = format_file("f.yaml", text.encode("utf-8"), "budget")
    assert first.internal is None and not first.problems, (first.internal, first.problems)
    once = first.text if first.changed else text
    second = format_file("f.yaml", once.encode("utf-8"), "budget")
    assert second.internal is None and not second.problems
    assert not second.changed, (text, once, second.text)


_MISTAKES = [
    lambda line: line.replace(": ", "：", 1),
    lambda line: line.replace(": ", ":", 1),
    lambda line: line.replace("  ", "\t", 1) if line.startswith("  ") else line,
    lambda line: line.replace("  ", "\u3000", 1) if line.startswith("  ") else line,
    lambda line: line.translate(str.maketrans("0123456789", "０１２３４５６７８９")),
    lambda line: line.replace(", ", "，"),
    lambda line: line + "   ",
]


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.dictionaries(_KEYS, _VALUES, min_size=1, max_size=5), st.booleans(), st.data())
def test_typed_mistakes_are_repaired_or_reported_never_crash(data, flow, draw):
    lines = yaml.safe_dump(
        data, allow_unicode=True, default_flow_style=flow and None, sort_keys=False
    ).splitlines()
    for _ in range(draw.draw(st.integers(1, 3))):
        at = draw.draw(st.integers(0, len(lines) - 1))
        lines[at] = draw.draw(st.sampled_from(_MISTAKES))(lines[at])
    text = "\n".join(lines) + "\n"
    first = format_file("f.yaml", text.encode("utf-8"), "budget")
    assert first.internal is None, (text, first.internal)
    if first.problems:
        assert not first.changed
        return
    once = first.text if first.changed else text
    second = format_file("f.yaml", once.encode("utf-8"), "budget")
    assert second.internal is None and not second.problems
    assert not second.changed, (text, once, second.text)


def test_work_is_bounded_when_repairs_keep_failing():
    """5000 continuation lines of a text that look like keys with full-width colons:
    each repair breaks the file, and fmt gives up on repairing after a few parses."""
    lines = ["change_reasons:", "  basic: 文字"] + [f"    basic：{i}" for i in range(5000)]
    text = "\n".join([*lines, "income:", "  carried_over: 1"]) + "\n"
    result = format_file("f.yaml", text.encode("utf-8"), "budget")
    assert result.internal is None and not result.problems
    assert not any("full-width colon" in c.message for c in result.changes)
    assert data_of_text(result.text)["change_reasons"]["basic"].startswith("文字 basic：0 basic：1")


def test_a_file_too_large_is_refused_in_the_loader_s_words(data_copy, cli):
    glossary = data_copy / "2022" / "glossary.yaml"
    glossary.write_bytes(glossary.read_bytes() + b"#" * 2_000_001 + b"\n")
    before = glossary.read_bytes()
    result = fmt(cli, data_copy)
    assert result.exit_code == 1
    assert "glossary.yaml:1:1: error: file is too large" in result.stderr
    assert glossary.read_bytes() == before


def data_of_text(text: str):
    doc, problems = load_text("f.yaml", text)
    assert doc is not None and not problems
    return doc.data


def test_comments_are_indented_like_the_line_below_them():
    text = (
        "# yaml-language-server: $schema=../../schemas/budget.schema.json\n"
        "income:\n"
        "    # 一般公共预算\n"
        "    general_budget: 1   # 万元\n"
        "    carried_over: 2\n"
        "change_reasons:\n"
        "    basic: |-\n"
        "        原因\n"
        "        # 这一行是正文\n"
        "      # 项目支出\n"
        "    project: 减少\n"
    )
    result = format_file("f.yaml", text.encode("utf-8"), "budget")
    assert result.internal is None and not result.problems
    assert result.text == (
        "# yaml-language-server: $schema=../../schemas/budget.schema.json\n"
        "income:\n"
        "  # 一般公共预算\n"
        "  general_budget: 1     # 万元\n"  # a comment beside a value keeps its column
        "  carried_over: 2\n"
        "change_reasons:\n"
        "  basic: |-\n"
        "    原因\n"
        "    # 这一行是正文\n"
        "  # 项目支出\n"
        "  project: 减少\n"
    )


def test_document_markers_are_removed_and_said_so():
    result = format_file("f.yaml", b"---\nincome:\n  carried_over: 1\n...\n", "budget")
    assert [(c.line, c.message) for c in result.changes] == [
        (1, "'---' removed (a data file holds one YAML document)"),
        (4, "'...' removed (a data file holds one YAML document)"),
    ]
    assert result.text == "income:\n  carried_over: 1\n"


def test_fmt_speaks_chinese_by_default(data_copy, cli, chinese):
    budget = data_copy / "2022" / "budget.yaml"
    edit(budget, "  carried_over: 297.37", "  carried_over：２９７.３７")
    edit(data_copy / "2022" / "unit.yaml", 'code: "151001"', "code: 151001")
    check = fmt(cli, data_copy, "--check")
    assert check.exit_code == 1
    assert "budget.yaml:7: 字段名 carried_over 后面的全角冒号（：）已改为半角冒号" in check.stdout
    assert "budget.yaml:7: 全角数字 ２９７.３７ 已改为 297.37" in check.stdout
    assert 'unit.yaml:6: 编码 151001 已加上引号，写成 "151001"（编码是文字，不是数字）' in (
        check.stdout
    )
    assert "2022：有 2 个文件需要整理，18 个文件已是规范写法（请运行 disclosure fmt 2022）" in (
        check.stderr
    )
    done = fmt(cli, data_copy)
    assert "2022：已整理 2 个文件，18 个文件已是规范写法" in done.stderr
    again = fmt(cli, data_copy, "--check")
    assert again.exit_code == 0 and "2022：20 个文件都已是规范写法" in again.stderr
    text = cli("fmt", "--help").output
    assert "把 YEARS 所列年度" in text and "不改动任何文件" in text


def test_a_comment_s_indented_continuation_lines_are_accepted(data_copy, cli):
    """Issue 26: a comment written over two lines, the second indented under the first, is
    canonical (`fmt --check` passes and fmt leaves it), also after re-indenting."""
    three = data_copy / "2022" / "three-public.yaml"
    text = three.read_text(encoding="utf-8").replace(
        "reasons:\n",
        "reasons:\n  # 说明：两项原因均摘自\n  #   2022年预算说明（续行缩进两格）\n"
        "  # 另一条注释\n",
    )
    three.write_text(text, encoding="utf-8")
    result = cli("fmt", "2022", "--check", "--data", str(data_copy))
    assert result.exit_code == 0, result.output
    assert three.read_text(encoding="utf-8") == text
    indented = (
        "# yaml-language-server: $schema=../../schemas/budget.schema.json\n"
        "change_reasons:\n"
        "    # 基本支出\n"
        "      # 续行\n"
        "    basic: 增加\n"
    )
    result = format_file("f.yaml", indented.encode("utf-8"), "budget")
    assert result.text.endswith("  # 基本支出\n    # 续行\n  basic: 增加\n"), result.text
