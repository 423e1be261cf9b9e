"""`disclosure new-year YEAR --layout NAME`: a first year from nothing. Every budget layout's
skeleton validates to a list of what is still to fill (each empty value once, at its line;
no other error, no warning), holds no figure, and shrinks that list as it is filled in."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from fixtures.years import blank_paths, invoke

from compiler.cli.skeleton import budget_layouts
from compiler.edit.newyear import rewrite
from compiler.input.loader import leaves, load_text
from compiler.paths import SECTION_FILES

LAYOUTS = budget_layouts()
YEAR = "2031"  # a made-up year, in a made-up data repository
TO_FILL = re.compile(r"^(.+?/\d{4}/(.+?)):(\d+):\d+: to fill: (\S+): ", re.M)


def skeleton(tmp_path: Path, layout: str) -> Path:
    data = tmp_path / "data"
    data.mkdir()
    result = invoke("new-year", YEAR, "--layout", layout, "--data", str(data))
    assert result.exit_code == 0, result.output
    return data


def validate(data: Path):
    result = invoke("validate", YEAR, "--data", str(data))
    assert "Traceback" not in result.output
    return result


def test_the_tool_layouts_of_a_budget_are_all_tested():
    assert {"hebei-unit", "hebei-department", "shanghai-putuo-unit"} <= set(LAYOUTS)
    assert "shanghai-putuo-department-final" not in LAYOUTS  # a final accounts' layout


@pytest.mark.parametrize("layout", LAYOUTS)
def test_a_skeleton_validates_to_the_list_of_what_is_still_to_fill(tmp_path, layout):
    data = skeleton(tmp_path, layout)
    year = data / YEAR
    blanks = blank_paths(year)
    expected = set()
    for rel, paths in blanks.items():
        doc, _ = load_text(rel, (year / rel).read_text(encoding="utf-8"))
        expected |= {(rel, doc.locate(path).line) for path in paths}

    result = validate(data)
    assert result.exit_code == 1  # nothing can be built from it yet
    problems = [ln for ln in result.stderr.splitlines() if re.match(r"\S+:\d+:\d+: ", ln)]
    listed = [(m[2], int(m[3])) for m in TO_FILL.finditer(result.stderr)]
    assert len(problems) == len(listed) == len(expected) > 20  # each blank once, nothing else
    assert set(listed) == expected
    total = len(expected)
    assert f"{YEAR}: {total} value(s) still to fill, 0 other error(s), 0 warning(s)" in (
        result.stderr
    )
    # …then counted file by file
    for rel, paths in blanks.items():
        assert re.search(
            rf"^  \S+/{YEAR}/{re.escape(rel)}: {len(paths)} value\(s\)$", result.stderr, re.M
        )


@pytest.mark.parametrize("layout", LAYOUTS)
def test_a_skeleton_holds_no_figure_and_names_its_schema(tmp_path, layout):
    """Every value is empty but the layout's name and the unit its amounts are typed in;
    the modeline names the data repository's schemas/ (as `disclosure init` writes it)."""
    year = skeleton(tmp_path, layout) / YEAR
    files = sorted(p.name for p in year.iterdir())
    assert "unit.yaml" in files and "lines.yaml" in files
    for name in files:
        text = (year / name).read_text(encoding="utf-8")
        kind = SECTION_FILES[name]
        assert (
            text.splitlines()[0]
            == f"# yaml-language-server: $schema=../../schemas/{kind}.schema.json"
        )
        doc, problems = load_text(name, text)
        assert not problems
        filled = {".".join(map(str, p)): v for p, v in leaves(doc.data) if v is not None}
        if name == "unit.yaml":
            assert filled == {"layout": layout}
        elif name == "lines.yaml":
            assert filled == {"amount_unit": "元" if layout.startswith("shanghai") else "万元"}
        else:
            assert filled == {}, name


def test_comments_say_what_goes_where_and_in_which_unit(tmp_path):
    year = skeleton(tmp_path, "hebei-unit") / YEAR
    budget = (year / "budget.yaml").read_text(encoding="utf-8").splitlines()
    basic = budget.index("  basic:")  # last year's basic spending, typed in a first year
    assert budget[basic - 1].startswith("  # 上年基本支出：金额，单位万元")
    # the amounts lines.yaml gives are shown, as a comment, not asked for
    income = budget.index("# income:")
    assert budget[income - 1] == "# （不适用时不写；需要时去掉下面各行行首的“# ”再填写）"
    assert budget[income + 1 : income + 3] == [
        "  # 一般公共预算收入：金额，单位万元，最多两位小数，例如 9272.51 或 0；不超过 9999999999.99。",
        "#   general_budget:",
    ]
    lines = (year / "lines.yaml").read_text(encoding="utf-8").splitlines()
    assert lines[lines.index("    project:") - 1].startswith(
        "    # 项目支出：金额，单位按本文件的 amount_unit（元或万元）"
    )
    procurement = (year / "procurement.yaml").read_text(encoding="utf-8")
    assert "# 版式不要求本文件：本单位没有这部分内容时，删去本文件" in procurement


def test_filling_one_file_shrinks_the_list(tmp_path):
    data = skeleton(tmp_path, "hebei-unit")
    before = len(TO_FILL.findall(validate(data).stderr))
    budget = data / YEAR / "budget.yaml"
    values = {  # made-up figures and words, for this test only
        ("previous_year", "basic"): "1234.56",
        ("previous_year", "project"): "78.9",
    }
    edits = {
        path: values.get(path, '"测试文字"') for path in blank_paths(data / YEAR)["budget.yaml"]
    }
    assert len(edits) == 6
    budget.write_text(rewrite(budget.read_text(encoding="utf-8"), edits), encoding="utf-8")

    result = validate(data)
    after = TO_FILL.findall(result.stderr)
    assert len(after) == before - 6
    assert not any(rel == "budget.yaml" for _, rel, _, _ in after)
    assert f"/{YEAR}/budget.yaml:" not in result.stderr


# Made-up values a clerk might write into a skeleton, by field name: every amount 1 万元
# (10000 in a lines.yaml in 元) but 三公 nothing, so no part exceeds its whole.
_WORDS = '"测试文字"'
_BY_NAME = {
    "type": "行政单位",
    "level1": "单位产出",
    "level2": "数量",
    "target": "{value: 1}",
    "catalogue_code": '"A01"',
    "funding": "一般公共预算拨款",
    "sme_reserved": "false",
    "quantity": "1",
    "unit_price": "1",
    "budget": "1",
    "value": "1",
    "funds": "1",
    "units": "1",
    "projects": "1",
    "previous_outturn": "1",
    "amount": "1",
}


def _made_up(rel: str, path: tuple, layout: str) -> str:
    key = path[-1]
    if isinstance(key, int):  # a list entry: 分季度用款计划 holds amounts, the others text
        return " 1" if "quarterly" in path else f" {_WORDS}"
    if rel == "unit.yaml" and key == "code":
        return '"100001"'
    if rel == "lines.yaml":
        amount = "10000" if layout.startswith("shanghai") else "1"  # the layout's unit
        return {"code": '"2010101"' if path[0] == "function" else '"30201"'}.get(key, amount)
    if rel == "line-notes.yaml" and key == "code":
        return '"2010101"'
    if rel == "three-public.yaml" and path[0] in ("current", "previous"):
        return "0"
    if path[0] == "previous_year":
        return "1"
    return _BY_NAME.get(key, _WORDS)


@pytest.mark.parametrize("layout", LAYOUTS)
def test_a_skeleton_filled_in_is_a_valid_year(tmp_path, layout):
    """Once every empty value is written, the year validates: the skeleton asks for all a
    layout prints and nothing it does not (no second wave of errors)."""
    data = skeleton(tmp_path, layout)
    for rel, paths in blank_paths(data / YEAR).items():
        file = data / YEAR / rel
        edits = {path: _made_up(rel, path, layout) for path in paths}
        file.write_text(rewrite(file.read_text(encoding="utf-8"), edits), encoding="utf-8")
    result = validate(data)
    assert result.exit_code == 0, result.stderr
    assert re.search(rf"^{YEAR}: valid", result.stderr, re.M)


def test_the_list_is_in_chinese_for_a_clerk(tmp_path, chinese):
    data = skeleton(tmp_path, "shanghai-putuo-unit")
    err = validate(data).stderr
    assert re.search(r"/2031/unit\.yaml:\d+:\d+: 待填写: 单位 › 单位名称: ", err)
    assert re.search(r"^2031：尚有 \d+ 处待填写，其他错误 0 个，警告 0 条$", err, re.M)
    assert re.search(r"^  \S+/2031/lines\.yaml：\d+ 处$", err, re.M)


def test_an_existing_year_is_never_overwritten(tmp_path):
    data = tmp_path / "data"
    (data / YEAR).mkdir(parents=True)
    (data / YEAR / "unit.yaml").write_text("layout: hebei-unit\n", encoding="utf-8")
    result = invoke("new-year", YEAR, "--layout", "hebei-unit", "--data", str(data))
    assert result.exit_code == 2
    assert f"{YEAR} already exists: new-year never overwrites a year" in result.stderr
    assert [p.name for p in (data / YEAR).iterdir()] == ["unit.yaml"]
    assert (data / YEAR / "unit.yaml").read_text(encoding="utf-8") == "layout: hebei-unit\n"
    assert sorted(p.name for p in data.iterdir()) == [YEAR]  # no staging folder left


def test_an_unknown_layout_is_answered_with_the_layouts_in_chinese(tmp_path, chinese):
    data = tmp_path / "data"
    data.mkdir()
    result = invoke("new-year", YEAR, "--layout", "hebei", "--data", str(data))
    assert result.exit_code == 2
    assert "没有名为“hebei”的版式；新年度可用的版式有：" in result.stderr
    assert all(name in result.stderr for name in LAYOUTS)
    assert list(data.iterdir()) == []


def test_a_final_accounts_layout_is_refused(tmp_path):
    data = tmp_path / "data"
    data.mkdir()
    result = invoke(
        "new-year", YEAR, "--layout", "shanghai-putuo-department-final", "--data", str(data)
    )
    assert result.exit_code == 2
    assert "is for final accounts (决算)" in result.stderr
    assert list(data.iterdir()) == []


def test_a_project_layout_with_a_mistake_is_a_data_error_at_its_line(tmp_path):
    """A project's layout comes from a pull request like the data: its problems are shown
    at their lines, exit 1, nothing written (it was one line of trouble, exit 2)."""
    data = tmp_path / "data"
    data.mkdir()
    own = tmp_path / "layouts" / "own"
    own.mkdir(parents=True)
    (own / "layout.yaml").write_text(
        "extends: hebei-unit\ndescription: 本单位\nmistake: 1\n", encoding="utf-8"
    )
    result = invoke("--lang", "en", "new-year", YEAR, "--layout", "own", "--data", str(data))
    assert result.exit_code == 1, result.output
    assert "layouts/own/layout.yaml:3:1: error: mistake:" in result.stderr, result.stderr
    assert list(data.iterdir()) == []


def test_a_data_repository_from_init_starts_its_first_year_from_a_layout(tmp_path):
    """`disclosure init` says how to start the first year; the skeleton's modelines are then
    right for the repository's schemas/ (no warning, the editor finds each schema)."""
    repo = tmp_path / "unit"
    made = invoke("init", str(repo))
    assert made.exit_code == 0, made.output
    assert "disclosure new-year" in made.stdout and "--layout hebei-unit" in made.stdout
    data = repo / "data"
    assert invoke("new-year", YEAR, "--layout", "hebei-unit", "--data", str(data)).exit_code == 0
    for path in (data / YEAR).iterdir():
        schema = path.read_text(encoding="utf-8").splitlines()[0].split("$schema=")[1]
        assert (path.parent / schema).resolve().is_file(), path.name
    result = validate(data)
    assert re.search(
        rf"^{YEAR}: \d+ value\(s\) still to fill, 0 other error\(s\), 0 warning",
        result.stderr,
        re.M,
    )


def test_a_year_with_one_before_it_starts_from_that_one(tmp_path, chinese):
    """Its figures are the new year's 上年 baseline, computed: a skeleton would ask for them
    typed again, and typed they would be an error."""
    data = skeleton(tmp_path, "hebei-unit")
    result = invoke("new-year", "2032", "--layout", "hebei-unit", "--data", str(data))
    assert result.exit_code == 2
    assert f"中已有 {YEAR} 年度：请以它为基础运行 `disclosure new-year 2032`" in result.stderr
    assert sorted(p.name for p in data.iterdir()) == [YEAR]


def test_layout_and_from_together_is_a_usage_error(tmp_path):
    result = invoke(
        "new-year", YEAR, "--layout", "hebei-unit", "--from", "2022", "--data", str(tmp_path)
    )
    assert result.exit_code == 2 and "give one" in result.stderr
    assert list(tmp_path.iterdir()) == []
