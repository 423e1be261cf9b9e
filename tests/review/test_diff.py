"""`disclosure diff`: compares computed models, matches entries by identity, shows text by
character, and exits 0 same / 1 different / 2 trouble. Made-up data lives in tmp_path."""

from __future__ import annotations

import json
import re
import shutil
from decimal import Decimal
from pathlib import Path

import pytest
from click.testing import CliRunner
from fixtures.years import edit, git, invoke, make_next_year

from compiler import compile_year, parse_year_spec, to_tree
from compiler.cli.review import textconv
from compiler.review.diff import (
    IGNORED,
    LABELS,
    LISTS,
    canonical,
    char_diff,
    diff_models,
    differs_only_by_year,
    label_for,
    match_entries,
)

DATA = Path(__file__).resolve().parents[2] / "data"

ITEM_BLOCK = """      - name: 多功能一体机
        catalogue_code: A020204
        unit: 台
        quantity: 10"""
NEW_ITEM = """      - name: 笔记本电脑
        catalogue_code: A02010105
        unit: 台
        quantity: 2
        unit_price: 0.60
        funding: 一般公共预算拨款
        sme_reserved: true
"""


@pytest.fixture
def years(data_copy: Path) -> Path:
    """tmp data/ holding the real 2022 and a 2023 started from it and filled in unchanged."""
    make_next_year(data_copy)
    return data_copy


def run_diff(data: Path, *args: str):
    result = invoke("diff", "--data", str(data), *args)
    assert "Traceback" not in result.output
    return result


def as_json(data: Path, *args: str) -> dict:
    result = run_diff(data, *args, "--format", "json")
    return json.loads(result.stdout)


def model(data: Path, spec: str):
    result = compile_year(parse_year_spec(spec, data))
    assert result.ok, [d.format_text() for d in result.diagnostics]
    return result.model


# --- the model and its labels ------------------------------------------------------------


def _patterns(tree, pattern=""):
    pattern = canonical(pattern)
    if isinstance(tree, dict):
        for key, value in tree.items():
            yield from _patterns(value, f"{pattern}.{key}" if pattern else key)
    elif isinstance(tree, list):
        if pattern not in LISTS and pattern:
            yield pattern + "[]"  # compared as one value
        for value in tree:
            yield from _patterns(value, pattern + "[]")
    elif tree is not None:  # an absent part (a year without budget lines) has no figures
        yield pattern


def test_every_figure_of_the_model_has_a_human_label(model_2022):
    skip = re.compile(r"_change\.(previous|current)$|changes\.\w+\.(previous|current)$")
    patterns = set(_patterns(to_tree(model_2022)))
    missing = sorted(
        p for p in patterns if not skip.search(p) and p not in IGNORED and label_for(p) == p
    )
    assert missing == [], "add these to LABELS in compiler/review/diff_labels.py"
    assert label_for("procurement.funding_totals.基金预算拨款") == "政府采购基金预算拨款合计"
    assert LABELS["budget.income.total"] == "预算收入合计"


def test_a_model_compared_with_itself_is_the_same(model_2022):
    result = diff_models(model_2022, model_2022)
    assert result.same and result.entries == () and result.hidden == 0


def test_diff_of_a_year_with_itself_exits_0_in_every_format(data_copy):
    for fmt in ("text", "md", "json"):
        result = run_diff(data_copy, "2022", "2022", "--format", fmt)
        assert result.exit_code == 0, result.output
        assert "no differences" in result.stdout or '"same": true' in result.stdout


def test_a_new_year_filled_with_the_old_figures_differs_only_by_what_follows_the_year(years):
    result = run_diff(years, "2022", "2023")
    assert result.exit_code == 0, result.stdout
    assert "no differences" in result.stdout
    assert re.search(r"\d+ differences that only follow the year not shown", result.stdout)

    shown = run_diff(years, "2022", "2023", "--all")
    assert shown.exit_code == 1
    assert "年度  2022 → 2023" in shown.stdout
    assert "上年基本支出" in shown.stdout and "3709.97 → 4158.17" in shown.stdout
    assert "资产统计日期: 2021-12-31 → 2022-12-31" in shown.stdout


# --- each kind of change, in all three formats ---------------------------------------------


def test_figure_change_shows_the_derived_totals_it_moves(data_copy):
    make_next_year(
        data_copy,
        {
            ("three-public.yaml", ("current", "reception")): Decimal("22.00"),
        },
    )
    text = run_diff(data_copy, "2022", "2023")
    assert text.exit_code == 1
    lines = text.stdout.splitlines()
    assert any(
        re.fullmatch(r"  ~ 公务接待费 +20\.67 → 22\.00 +\+1\.33 +\+6\.4%", ln) for ln in lines
    ), text.stdout
    assert any(
        re.fullmatch(r"  ~ 三公经费合计 \(computed\) +80\.32 → 81\.65 +\+1\.33 +\+1\.7%", ln)
        for ln in lines
    )
    assert "财政拨款“三公”经费" in lines
    assert "2 figures changed (1 computed)" in text.stdout

    md = run_diff(data_copy, "2022", "2023", "--format", "md").stdout
    assert md.startswith("### Disclosure diff: `2022` → `2023`")
    assert "#### 财政拨款“三公”经费" in md
    assert "| Figure | Old | New | Change | % |" in md
    assert "| 公务接待费 | 20.67 | 22.00 | +1.33 | +6.4% |" in md
    assert "| 三公经费合计 (computed) | 80.32 | 81.65 | +1.33 | +1.7% |" in md

    doc = as_json(data_copy, "2022", "2023")
    assert doc["same"] is False and doc["counts"]["figures"] == 2
    total = next(c for c in doc["changes"] if c["path"] == "three_public.current.total")
    assert total == {
        "kind": "figure",
        "section": "财政拨款“三公”经费",
        "path": "three_public.current.total",
        "label": "三公经费合计",
        "old": "80.32",
        "new": "81.65",
        "change": "1.33",
        "percent": "1.66",
        "derived": True,
        "number": "money",
    }


def test_item_added_removed_and_changed(data_copy):
    target = make_next_year(data_copy)
    edit(target / "procurement.yaml", ITEM_BLOCK, NEW_ITEM + ITEM_BLOCK)
    edit(target / "procurement.yaml", "quantity: 25", "quantity: 20")
    text = (target / "glossary.yaml").read_text(encoding="utf-8")
    text = re.sub(r"  - term: 上缴上级支出\n    definition: .*\n", "", text)
    (target / "glossary.yaml").write_text(text, encoding="utf-8")

    out = run_diff(data_copy, "2022", "2023").stdout
    assert (
        "  + 政府采购 › 机关工作经费 › 笔记本电脑  "
        "A02010105 · 2 台 × 0.60 = 1.20 万元 · 一般公共预算拨款" in out
    )
    assert "  - 名词解释 › 上缴上级支出  指下级单位上缴上级的支出。" in out
    assert re.search(r"~ 政府采购 › 机关工作经费 › 木制床类 › 数量 +25 → +20 +-5 +-20\.0%", out)
    assert re.search(
        r"~ 政府采购 › 机关工作经费 › 木制床类 › 金额 \(computed\) +3\.50 → +2\.80", out
    )
    assert re.search(
        r"~ 政府采购 › 机关工作经费 › 小计 \(computed\) +30\.00 → +30\.50 +\+0\.50", out
    )
    assert re.search(r"~ 政府采购预算合计 \(computed\) +121\.70 → 122\.20", out)

    md = run_diff(data_copy, "2022", "2023", "--format", "md").stdout
    assert (
        "- **Added** 政府采购 › 机关工作经费 › 笔记本电脑 — A02010105 · 2 台 × 0.60 = 1.20 万元"
        in md
    )
    assert "- **Removed** 名词解释 › 上缴上级支出 — 指下级单位上缴上级的支出。" in md
    assert (
        "| 政府采购 › 机关工作经费 › 木制床类 › 金额 (computed) | 3.50 | 2.80 | -0.70 | -20.0% |"
        in md
    )

    doc = as_json(data_copy, "2022", "2023")
    added = [c for c in doc["changes"] if c["kind"] == "added"]
    assert [c["path"] for c in added] == [
        "procurement.projects[机关工作经费].items[A02010105 笔记本电脑]"
    ]
    assert added[0]["entry"]["unit_price"] == "0.60" and added[0]["entry"]["amount"] == "1.20"
    removed = [c for c in doc["changes"] if c["kind"] == "removed"]
    assert [c["label"] for c in removed] == ["名词解释 › 上缴上级支出"]
    assert doc["counts"] == {
        "figures": 9,  # the price, the amount, subtotal, totals and the goods (货物) total
        "computed": 8,
        "texts": 0,
        "added": 1,
        "removed": 1,
        "moved": 0,
        "appeared": 0,
        "vanished": 0,
        "hidden": doc["counts"]["hidden"],
    }


def test_inserting_a_procurement_item_in_the_middle_is_one_added_item(data_copy):
    target = make_next_year(data_copy)
    edit(target / "procurement.yaml", ITEM_BLOCK, NEW_ITEM + ITEM_BLOCK)
    doc = as_json(data_copy, "2022", "2023")
    kinds = [c["kind"] for c in doc["changes"]]
    assert kinds.count("added") == 1 and "removed" not in kinds and "moved" not in kinds
    assert "text" not in kinds and "value" not in kinds
    # only computed totals move; no item's own figure is reported as changed
    assert all(c["derived"] for c in doc["changes"] if c["kind"] == "figure")
    assert not [c for c in doc["changes"] if ".items[" in c["path"] and c["kind"] == "figure"]


def test_inserting_a_duty_or_an_indicator_row_is_one_added_entry(data_copy):
    target = make_next_year(data_copy)
    edit(
        target / "unit.yaml",
        "  - 负责组织承办人大代表建议和政协提案工作。\n",
        "  - 负责全市营商环境优化的统筹协调工作。\n  - 负责组织承办人大代表建议和政协提案工作。\n",
    )
    edit(
        target / "projects/01-office-building.yaml",
        "  - level1: 产出指标\n    level2: 质量指标\n",
        "  - level1: 产出指标\n    level2: 数量指标\n"
        "    name: 会议室数量\n    description: 保障会议室\n"
        '    target: {sign: "≥", value: 12, unit: 间}\n    basis: 工作计划\n'
        "  - level1: 产出指标\n    level2: 质量指标\n",
    )
    doc = as_json(data_copy, "2022", "2023")
    assert [(c["kind"], c["label"]) for c in doc["changes"]] == [
        ("added", "单位职责（七）"),
        ("added", "项目 › 机关办公楼运转经费 › 会议室数量"),
    ]


def test_renumbered_project_files_are_one_moved_project(data_copy):
    target = make_next_year(data_copy)
    projects = target / "projects"
    (projects / "01-office-building.yaml").rename(projects / "12-office-building.yaml")
    doc = as_json(data_copy, "2022", "2023")
    assert [
        (c["kind"], c["label"], c["old_position"], c["new_position"]) for c in doc["changes"]
    ] == [("moved", "项目 › 机关办公楼运转经费", 1, 11)]


def test_an_edited_duty_is_matched_by_similarity_and_shown_by_character(data_copy):
    target = make_next_year(data_copy)
    edit(target / "unit.yaml", "各县（市、区)政府", "各县（市、区）政府")
    edit(target / "unit.yaml", "  - 负责政务信息（包括舆情信息）服务工作。\n", "")  # one removed
    text = run_diff(data_copy, "2022", "2023").stdout
    assert (
        "  ~ 单位职责（三）\n      …各单位和各县（市、区[-)-]{+）+}政府、廊坊开发区管委…\n" in text
    )
    assert "  - 单位职责（十一）  负责政务信息（包括舆情信息）服务工作。" in text
    assert text.count("单位职责（") == 2  # the duties after the removed one are not "changed"

    md = run_diff(data_copy, "2022", "2023", "--format", "md").stdout
    assert (
        "- **Changed** 单位职责（三）: "
        "…各单位和各县（市、区<del>)</del><ins>）</ins>政府、廊坊开发区管委…" in md
    )

    doc = as_json(data_copy, "2022", "2023")
    duty = next(c for c in doc["changes"] if c["kind"] == "text")
    assert duty["path"] == "duties[2]"
    assert duty["ops"] == [
        ["=", "…各单位和各县（市、区"],
        ["-", ")"],
        ["+", "）"],
        ["=", "政府、廊坊开发区管委…"],
    ]
    assert duty["old"].startswith("研究市政府") and duty["new"].endswith("报市政府领导审批。")


def test_prose_change_keeps_short_context_and_colours_on_request(data_copy):
    target = make_next_year(data_copy)
    edit(target / "performance.yaml", "提升服务水平和履职能力", "提升服务质量和履职能力")
    plain = run_diff(data_copy, "2022", "2023").stdout
    assert (
        "  ~ 总体绩效目标\n      …强自身建设，提升服务[-水平-]{+质量+}和履职能力。全面做好…\n"
        in plain
    )
    coloured = run_diff(data_copy, "2022", "2023", "--color").stdout
    assert "\x1b[" in coloured and "[-水平-]" not in coloured and "水平" in coloured
    assert "\x1b[" not in run_diff(data_copy, "2022", "2023", "--format", "md", "--color").stdout


def test_text_that_only_follows_the_year_is_not_reported(data_copy):
    target = make_next_year(data_copy)
    for rel in (
        "performance.yaml",
        "budget.yaml",
        "projects/08-reception-office-salaries.yaml",
        "projects/10-overseas-chinese-special-fund.yaml",
    ):
        edit(target / rel, "2022年", "2023年")
    doc = as_json(data_copy, "2022", "2023")
    assert doc["changes"] == [] and doc["same"] is True
    # the projects named after the year are matched, not removed and added
    shown = as_json(data_copy, "2022", "2023", "--all")
    labels = {c["label"] for c in shown["changes"]}
    assert "项目 › 市招待处2023年度工资、保险等项经费 › 项目名称" in labels
    assert not [c for c in shown["changes"] if c["kind"] in ("added", "removed")]


def test_a_fixed_year_that_changes_is_reported(data_copy):
    target = make_next_year(data_copy)
    edit(target / "projects/10-overseas-chinese-special-fund.yaml", "〔2021〕", "〔2023〕")
    doc = as_json(data_copy, "2022", "2023")
    assert [c["label"] for c in doc["changes"]] == [
        "项目 › 提前下达2022年度中央华侨事务预算专项经费(冀财外〔2023〕32号) › 项目名称"
    ]


def test_reordered_entries_are_reported_as_moved(data_copy):
    target = make_next_year(data_copy)
    text = (target / "glossary.yaml").read_text(encoding="utf-8")
    terms = re.findall(r"  - term: .*\n    definition: .*\n", text)
    swapped = text.replace(terms[0] + terms[1], terms[1] + terms[0])
    (target / "glossary.yaml").write_text(swapped, encoding="utf-8")
    doc = as_json(data_copy, "2022", "2023")
    assert [
        (c["kind"], c["label"], c["old_position"], c["new_position"]) for c in doc["changes"]
    ] == [("moved", "名词解释 › 一般公共预算拨款收入", 1, 2)]


def test_json_is_stable_and_has_no_floats(data_copy):
    make_next_year(
        data_copy,
        {
            ("budget.yaml", ("income", "carried_over")): Decimal("300.00"),
            ("budget.yaml", ("expenditure", "project")): Decimal("5414.34"),
        },
    )
    first = run_diff(data_copy, "2022", "2023", "--format", "json").stdout
    assert first == run_diff(data_copy, "2022", "2023", "--format", "json").stdout

    def no_floats(node):
        if isinstance(node, dict):
            assert list(node) == sorted(node)
            for value in node.values():
                no_floats(value)
        elif isinstance(node, list):
            for value in node:
                no_floats(value)
        else:
            assert not isinstance(node, float)

    no_floats(json.loads(first))
    assert '"change": "2.63"' in first


# --- git revisions ---------------------------------------------------------------------------


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    """A git repository in tmp_path with data/2022 committed; returns its data/ folder."""
    root = tmp_path / "repo"
    shutil.copytree(DATA / "2022", root / "data" / "2022")
    git(root, "init", "-q")
    git(root, "add", ".")
    git(root, "commit", "-qm", "2022 as published")
    return root / "data"


def test_git_revision_against_the_working_tree(repo):
    three = repo / "2022" / "three-public.yaml"
    edit(three, "reception: 20.67}", "reception: 22.00}")
    before = three.read_bytes()
    result = run_diff(repo, "2022@HEAD", "2022")
    assert result.exit_code == 1
    assert result.stdout.startswith("--- 2022@HEAD\n+++ 2022\n")
    assert re.search(r"~ 三公经费合计 \(computed\) +80\.32 → +81\.65", result.stdout)
    # same year: the year-over-year changes are shown too
    assert re.search(
        r"~ 三公经费合计增减额 \(computed\) +-26\.50 → +-25\.17 +\+1\.33 +\+5\.0%", result.stdout
    )
    assert run_diff(repo, "2022@HEAD").stdout == result.stdout  # NEW defaults to the working tree
    assert three.read_bytes() == before  # git show only: the working tree is untouched


def test_two_git_revisions(repo):
    root = repo.parent
    edit(repo / "2022" / "unit.yaml", "各县（市、区)政府", "各县（市、区）政府")
    git(root, "commit", "-qam", "fix a bracket")
    result = run_diff(repo, "2022@HEAD~1", "2022@HEAD")
    assert result.exit_code == 1
    assert "[-)-]{+）+}" in result.stdout and "1 text changed" in result.stdout
    assert run_diff(repo, "2022@HEAD", "2022").exit_code == 0
    sha = git(root, "rev-parse", "HEAD~1").strip()
    assert run_diff(repo, f"2022@{sha}", "2022@HEAD").exit_code == 1


@pytest.mark.parametrize(
    "args, message",
    [
        (("2022@no-such-branch", "2022"), "unknown git revision 'no-such-branch'"),
        (("2022@HEAD~5", "2022"), "unknown git revision 'HEAD~5'"),
        (("2031", "2022"), "no data for 2031"),
        (("2031@HEAD", "2022"), "no data for 2031@HEAD"),
        (("20x2", "2022"), "'20x2' is not a year"),
    ],
)
def test_bad_revisions_and_missing_years_are_trouble(repo, args, message):
    result = run_diff(repo, *args)
    assert result.exit_code == 2
    assert message in result.stderr and result.stdout == ""


def test_a_revision_outside_git_is_trouble(data_copy):
    result = run_diff(data_copy, "2022@HEAD", "2022")
    assert result.exit_code == 2 and "is not inside a git repository" in result.stderr


def test_one_argument_must_be_a_revision(data_copy):
    result = run_diff(data_copy, "2022")
    assert result.exit_code == 2 and "YEAR@REVISION" in result.stderr


def test_data_errors_on_either_side_are_printed_and_exit_2(data_copy):
    make_next_year(data_copy)
    edit(data_copy / "2023" / "budget.yaml", "general_budget: 9272.51", "general_budget: lots")
    result = run_diff(data_copy, "2022", "2023")
    assert result.exit_code == 2
    assert re.search(
        r"budget\.yaml:3:\d+: error: income\.general_budget: expected a number", result.stderr
    )
    assert "2023 has data errors" in result.stderr and result.stdout == ""


# --- the pieces --------------------------------------------------------------------------------


def test_char_diff_keeps_ten_characters_of_context():
    old = "甲" * 30 + "乙" + "丙" * 30 + "丁" + "戊" * 5
    new = "甲" * 30 + "己" + "丙" * 30 + "丁" + "戊" * 5
    assert char_diff(old, new) == [
        ("=", "…" + "甲" * 10),
        ("-", "乙"),
        ("+", "己"),
        ("=", "丙" * 10 + "…"),
    ]
    # a short unchanged run between two changes is folded into one change
    assert char_diff("主要用于保障机关", "主要用途保证机关") == [
        ("=", "主要用"),
        ("-", "于保障"),
        ("+", "途保证"),
        ("=", "机关"),
    ]
    assert char_diff("完全不同的文字", "另一段说明") == [
        ("-", "完全不同的文字"),
        ("+", "另一段说明"),
    ]
    assert char_diff("", "新增") == [("+", "新增")]


def test_years_shift_together_but_fixed_years_stay():
    assert differs_only_by_year("2022年度（冀财〔2021〕）", "2023年度（冀财〔2021〕）", 1)
    assert differs_only_by_year("2021年度", "2022年度", 1)
    assert not differs_only_by_year("创办于2002年", "创办于2003年", 2)
    assert not differs_only_by_year("2022年，提升水平", "2023年，提升质量", 1)


def test_similar_texts_pair_in_order():
    spec = LISTS["duties"]
    olds = ["负责公文办理。", "负责会议服务工作。", "负责值班工作。"]
    news = ["负责公文办理。", "负责新的工作。", "负责各类会议服务工作。", "负责值班工作。"]
    assert match_entries(spec, olds, news) == {0: 0, 2: 1, 3: 2}


# --- textconv ----------------------------------------------------------------------------------


def test_textconv_prints_one_labelled_fact_a_line(tmp_path):
    out = CliRunner().invoke(textconv, [str(DATA / "2022" / "budget.yaml")]).stdout
    assert "income.general_budget = 9272.51  # 一般公共预算收入\n" in out
    copy = tmp_path / "Xy12Ab_procurement.yaml"  # the name git gives its temporary copies
    shutil.copy(DATA / "2022" / "procurement.yaml", copy)
    out = CliRunner().invoke(textconv, [str(copy)]).stdout
    assert "projects[机关工作经费].items[台式计算机].unit_price = 0.70  # 单价（万元）\n" in out
    out = CliRunner().invoke(textconv, [str(DATA / "2022" / "performance.yaml")]).stdout
    assert "overall_goal =  # 总体绩效目标\n    2022年，市政府将坚持" in out
    assert (
        "\n    聘请3家律所，为重大决策、重大行政行为提供法律意见；\n" in out
    )  # one sentence a line


def test_textconv_shows_an_unreadable_file_as_it_is(tmp_path):
    broken = tmp_path / "budget.yaml"
    broken.write_text("income: [\n  半行", encoding="utf-8")
    result = CliRunner().invoke(textconv, [str(broken)])
    assert result.exit_code == 0 and result.stdout == "income: [\n  半行"


def test_textconv_as_a_git_diff_driver(repo, tmp_path):
    root = repo.parent
    script = tmp_path / "textconv.py"
    script.write_text(
        "import sys\n"
        f"sys.path.insert(0, {str(Path(__file__).resolve().parents[2])!r})\n"
        "from compiler.cli.review import textconv\n"
        "textconv.main(sys.argv[1:], prog_name='disclosure textconv')\n",
        encoding="utf-8",
    )
    (root / ".gitattributes").write_text("data/**/*.yaml diff=disclosure\n", encoding="utf-8")
    edit(repo / "2022" / "three-public.yaml", "reception: 20.67}", "reception: 22.00}")
    import sys

    out = git(root, "-c", f"diff.disclosure.textconv={sys.executable} {script}", "diff")
    assert (
        "-current.reception = 20.67  # 公务接待费\n+current.reception = 22.00  # 公务接待费\n"
        in out
    )


def test_a_mention_in_a_changed_text_notifies_nobody_when_posted(data_copy):
    """The Markdown is posted as a merge request's note: `@all` typed into a duty would
    notify the whole group. The @ in an element of its own keeps it from being a mention."""
    target = make_next_year(data_copy)
    edit(
        target / "unit.yaml",
        "负责政务信息（包括舆情信息）服务工作。",
        "负责政务信息服务工作 @all。",
    )
    md = run_diff(data_copy, "2022", "2023", "--format", "md").stdout
    assert "<span>@</span>all" in md
    assert "@all" not in md


# --- reviewing a year that is new on the branch (issue 26, part 2) ---------------------------


def test_a_year_new_on_the_branch_is_compared_with_the_last_year_on_main(repo):
    """`diff 2023@main 2023` as the guide says, for a 2023 that main does not have: one line
    says which year it compares with instead, and the diff is that of 2022@main → 2023."""
    make_next_year(repo)
    result = run_diff(repo, "2023@HEAD", "2023")
    assert result.exit_code == 0, result.output
    assert result.stderr.splitlines() == [
        "2023@HEAD does not exist (2023 is new on this branch): comparing with 2022@HEAD instead"
    ]
    assert result.stdout.startswith("--- 2022@HEAD\n+++ 2023\n")
    assert result.stdout == run_diff(repo, "2022@HEAD", "2023").stdout
    assert run_diff(repo, "2023@HEAD").stdout == result.stdout  # NEW defaults to 2023


def test_a_year_missing_everywhere_is_still_trouble(repo):
    result = run_diff(repo, "2031@HEAD", "2022")
    assert result.exit_code == 2 and "no data for 2031@HEAD" in result.stderr


def test_a_year_s_first_lines_are_summed_up_not_listed_from_nothing(repo):
    """A first lines.yaml: its lines are listed (they are the facts), its computed figures
    are one line naming the tables they are printed in, not ~50 rows of "— → 0.00"."""
    from fixtures.departments import OFFICE_LINES

    shutil.copy(OFFICE_LINES, repo / "2022" / "lines.yaml")
    edit(repo / "2022" / "lines.yaml", "../../../../../../schemas/", "../../schemas/")
    budget = repo / "2022" / "budget.yaml"
    text = re.sub(r"income:\n(  .*\n)+", "", budget.read_text(encoding="utf-8"))
    text = re.sub(r"  personnel: .*\n  public_operating: .*\n  project: .*\n", "", text)
    budget.write_text(text, encoding="utf-8")
    edit(repo / "2022" / "operating-costs.yaml", "amount: 851.12\n", "")
    result = run_diff(repo, "2022@HEAD", "2022")
    assert result.exit_code == 1
    out = result.stdout
    assert not re.search(r"— → +[0-9]", out), out
    assert out.count("+ 预算明细 › ") == 8  # each line, a fact
    [line] = [line for line in out.splitlines() if "first published here" in line]
    assert re.search(
        r"first published here: \d+ computed figures, in the tables 2022年单位收支总表、", line
    )
    assert "2022年单位国有资本经营预算支出表" in line and "(--all lists them)" in line
    assert "1 part published for the first time" in out.splitlines()[-1]
    assert len(out.splitlines()) < 40
    every = run_diff(repo, "2022@HEAD", "2022", "--all").stdout
    assert re.search(r"支出预算合计 \(computed\) +— → +3070000\.00", every)
    data = as_json(repo, "2022@HEAD", "2022")
    [part] = [c for c in data["changes"] if c["kind"] == "appeared"]
    assert part["computed"] > 40 and part["tables"][0] == "2022年单位收支总表"
    assert data["counts"]["appeared"] == 1


def test_quantities_are_written_one_way(repo):
    """A quantity typed 21.00 and the quantity it gives print alike: 21, never 21.00 in one
    row and 21 in the next."""
    from compiler.review.diff_format import figure
    from compiler.review.diff_labels import number_kind

    assert number_kind("assets.categories[].typed_quantity") == "count"
    assert number_kind("assets.planned[].parts[].typed_quantity") == "number"
    assert number_kind("organisation.counts.行政单位") == "count"
    assert figure(Decimal("21.00"), "count") == figure(Decimal("21"), "count") == "21"
    assert figure(Decimal("3.40"), "number") == "3.4"
    assets = repo / "2022" / "assets.yaml"
    quantity = re.search(r"quantity: (\d+)\b", assets.read_text(encoding="utf-8"))
    edit(assets, quantity.group(0), f"quantity: {int(quantity.group(1)) + 1}.00")
    rows = [
        line for line in run_diff(repo, "2022@HEAD", "2022").stdout.splitlines() if "数量" in line
    ]
    assert len(rows) == 2, rows  # the quantity typed, and the quantity
    old = quantity.group(1)
    assert all(re.search(rf" {old} → {int(old) + 1}  \+1 ", r) for r in rows), rows
