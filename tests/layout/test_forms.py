"""Issue #24, "a form says what it publishes": a layout declares which facts its form prints
about each item of the 预算编制说明 (`prints: {item: …}`), and validate requires exactly
those, with one message per cause.

The 2025 year here is made up (never published): the real 万里街道 2023 and 2024 years are
copied into a temporary folder and a 2025 is added in the form Putuo used for 2025 (each
item '科目X万元，主要用于…', no previous figure, no reason), its amounts a little changed
from 2024's. The published 2025 document is not in the repository.
"""

from __future__ import annotations

import json
import re
import shutil
from decimal import Decimal
from pathlib import Path

import pytest
from conftest import ROOT
from fixtures.wanli_2025 import NOTES_2025, wanli_2025
from fixtures.years import invoke

from compiler import compile_year, parse_year_spec
from compiler.layout.manifest import check_manifest, load_layout
from compiler.numbers import NOT_PUBLISHED, ZERO, NotPublished, money
from compiler.render.opendata import model_json

WANLI = ROOT / "examples" / "wanli" / "data"


def _validate(data: Path, *years: str):
    return invoke("--lang", "en", "validate", *years, "--data", str(data))


def test_the_tool_layouts_say_what_their_items_print():
    assert check_manifest("shanghai-putuo-department-2025") == []
    assert load_layout("shanghai-putuo-department-2025").item_facts("line-notes") == ("use",)
    for name in (
        "shanghai-putuo-department",
        "shanghai-putuo-department-2023",
        "shanghai-putuo-unit",
    ):
        assert load_layout(name).item_facts("line-notes") == (
            "use",
            "previous_outturn",
            "percent",
            "reason",
        )
    assert load_layout("hebei-unit").item_facts("line-notes") is None


def test_the_2025_form_needs_only_amounts_and_uses(tmp_path):
    data = wanli_2025(tmp_path, "shanghai-putuo-department-2025")
    result = _validate(data, "2025")
    assert result.exit_code == 0, result.output
    assert "warning" not in result.output and "error" not in result.output, result.output
    assert result.output.strip().endswith("2025: valid")

    built = invoke(
        "build",
        "2025",
        "--data",
        str(data),
        "--format",
        "html,md",
        "--out",
        str(tmp_path / "build"),
    )
    assert built.exit_code == 0, built.output
    md = (tmp_path / "build" / "2025" / "disclosure.md").read_text(encoding="utf-8")
    items = re.findall(r"^\d+\\\. “.*$", md, flags=re.M)
    assert len(items) == 33
    assert items[0] == (
        "1\\. “一般公共服务支出（类）统计信息事务（款）专项普查活动（项）”30.00万元，"
        "主要用于专项普查活动。"
    )
    assert items[1].endswith("”43.00万元，主要用于群众团体事务一般行政管理事务。")
    assert not any("执行数" in item or "主要原因" in item or "%" in item for item in items)
    html = (tmp_path / "build" / "2025" / "disclosure.html").read_text(encoding="utf-8")
    assert "预算执行数" not in html.split('id="explanation"')[1].split("</section>")[0]


def test_the_2024_form_missing_previous_is_one_message(tmp_path):
    """The cause the issue names: previous missing everywhere used to give an error per item
    and a 'changed without a reason' per item (66 for 33 items)."""
    notes = NOTES_2025.replace(
        "use: 群众团体事务一般行政管理事务", "use: 群众团体事务一般行政管理事务, reason: 调整"
    )
    data = wanli_2025(tmp_path, "shanghai-putuo-department", notes)
    result = _validate(data, "2025")
    assert result.exit_code == 1
    problems = [line for line in result.output.splitlines() if ": error: " in line]
    assert len(problems) == 2, result.output
    assert "31 fiscal items have no entry in items" in problems[0]
    assert "and 21 more" in problems[0]
    assert "2 entries have none: write previous_outturn for 2012902" in problems[1]
    assert "reason" not in problems[1].split("prints")[0]
    assert "items changed" not in result.output  # no reason is asked of an item without 上年数


def test_the_2024_form_lists_the_changed_items_without_reason_together(tmp_path):
    items = "\n".join(
        f'  - {{code: "{code}", previous_outturn: 1.00}}' for code in ("2012902", "2013202")
    )
    notes = NOTES_2025.split("items:")[0] + "items:\n" + items + "\n"
    data = wanli_2025(tmp_path, "shanghai-putuo-department", notes)
    result = _validate(data, "2025")
    assert "2 items changed and have no reason" in result.output, result.output
    assert "2012902 一般行政管理事务 (增加)" in result.output


def test_facts_the_form_does_not_print_are_warned_about_once(tmp_path):
    notes = (WANLI / "2024" / "line-notes.yaml").read_text(encoding="utf-8")
    data = wanli_2025(tmp_path, "shanghai-putuo-department-2025", notes)
    result = _validate(data, "2025")
    assert result.exit_code == 0, result.output
    warnings = [
        line
        for line in result.output.splitlines()
        if ": warning: " in line and "schema" not in line
    ]
    assert len(warnings) == 2, result.output
    assert "prints no 上年执行数" in warnings[0] and "33 entries" in warnings[0]
    assert "prints no reason" in warnings[1]
    # and no warning about a reason's direction: the form does not print the reason
    assert "the reason says" not in result.output


def test_a_project_layout_may_declare_what_its_items_print(tmp_path):
    data = wanli_2025(tmp_path, "wanli-items")
    folder = tmp_path / "layouts" / "wanli-items"
    folder.mkdir(parents=True)
    manifest = (ROOT / "templates/layouts/shanghai-putuo-department-2025/layout.yaml").read_text(
        encoding="utf-8"
    )
    manifest = manifest.replace(
        "extends: shanghai-putuo-department\n", "extends: shanghai-putuo-department-2025\n"
    )
    manifest = manifest.replace("item: [use]", "item: [use, because]")
    (folder / "layout.yaml").write_text(manifest, encoding="utf-8")
    result = _validate(data, "2025")
    assert result.exit_code == 1
    assert "layout.yaml" in result.output and "because" in result.output


@pytest.mark.parametrize("year", ["2023", "2024"])
def test_the_published_years_are_unchanged(year):
    result = compile_year(parse_year_spec(year, WANLI))
    assert not [d for d in result.diagnostics if d.is_error]


# Part 3: 'not published' is a value (未公开) -------------------------------------------------

DEPARTMENT = ROOT / "tests" / "data" / "department"


def _all_previous_not_published(tmp_path: Path) -> Path:
    """The made-up 2025 in the 2024 form, whose document (say) gives no 上年执行数 at all."""
    notes = (WANLI / "2024" / "line-notes.yaml").read_text(encoding="utf-8")
    notes = re.sub(r"previous_outturn: [\d.]+", "previous_outturn: 未公开", notes)
    notes = notes.replace("../../../../schemas/", "../../schemas/")
    return wanli_2025(tmp_path, "shanghai-putuo-department", notes)


def test_not_published_is_information_and_never_a_figure(tmp_path):
    data = _all_previous_not_published(tmp_path)
    for strict in ((), ("--strict",)):
        result = _validate(data, "2025", *strict)
        assert result.exit_code == 0, result.output
        infos = [line for line in result.output.splitlines() if ": info: " in line]
        assert len(infos) == 1, result.output  # one line for the one cause
        assert (
            "33 entries give their last year's outturn (previous_outturn) as not published"
            in infos[0]
        )
        assert "error" not in result.output and "warning:" not in result.output
        # no 'changed without a reason', no reason said the wrong way: there is no change
        assert result.output.strip().endswith("2025: valid")

    model = compile_year(parse_year_spec("2025", data)).model
    item = model.explanation.items[0]
    assert item.previous is NOT_PUBLISHED and item.change is None
    tree = json.loads(model_json(model))
    assert tree["explanation"]["items"][0]["previous"] is None
    assert tree["explanation"]["items"][0]["change"] is None
    assert "explanation.items[0].previous" in tree["not_published"]
    assert len(tree["not_published"]) == 33

    built = invoke(
        "build",
        "2025",
        "--data",
        str(data),
        "--format",
        "html,md",
        "--out",
        str(tmp_path / "build"),
    )
    assert built.exit_code == 0, built.output
    md = (tmp_path / "build" / "2025" / "disclosure.md").read_text(encoding="utf-8")
    assert (
        "”30.00万元，主要用于专项普查活动。2024年当年预算执行数未公开，2025年预算安排30.00万元。"
        in md
    )
    assert "执行数为" not in md and "%。" not in md.split("财政拨款支出主要内容")[1][:4000]


def test_a_published_year_has_no_not_published_key():
    model = compile_year(parse_year_spec("2024", WANLI)).model
    assert "not_published" not in json.loads(model_json(model))


def test_a_reason_not_published_prints_no_reason(tmp_path):
    notes = (WANLI / "2024" / "line-notes.yaml").read_text(encoding="utf-8")
    notes = notes.replace(
        'reason: 项目调整\n  - code: "2012902"', 'reason: 未公开\n  - code: "2012902"', 1
    )
    notes = notes.replace("../../../../schemas/", "../../schemas/")
    data = wanli_2025(tmp_path, "shanghai-putuo-department", notes)
    result = _validate(data, "2025")
    assert "1 entries give their reason (reason) as not published" in result.output
    assert "2010507" in result.output and "write the reason" not in result.output
    model = compile_year(parse_year_spec("2025", data)).model
    assert model.explanation.items[0].reason is NOT_PUBLISHED


def test_not_published_is_never_summed():
    with pytest.raises(TypeError):
        sum([Decimal("1.00"), NOT_PUBLISHED], ZERO)
    assert not NOT_PUBLISHED and str(NOT_PUBLISHED) == "未公开" and NotPublished() is NOT_PUBLISHED


def test_a_department_sum_with_a_part_not_published_is_not_published(tmp_path):
    data = tmp_path / "data"
    shutil.copytree(DEPARTMENT, data)
    notes = data / "2025" / "units" / "02-centre" / "line-notes.yaml"
    text = notes.read_text(encoding="utf-8")
    notes.write_text(
        text.replace("previous_outturn: 100.00, reason", "previous_outturn: 未公开, reason"),
        encoding="utf-8",
    )
    result = compile_year(parse_year_spec("2025", data))
    assert not [d for d in result.diagnostics if d.is_error], result.diagnostics
    item = next(i for i in result.model.explanation.items if i.code == "2010350")
    assert item.previous is NOT_PUBLISHED and item.change is None


def test_a_wrong_amount_says_how_to_write_not_published(tmp_path):
    notes = NOTES_2025.replace(
        "use: 组织事务一般行政管理事务}", "use: 组织事务一般行政管理事务, previous_outturn: 不详}"
    )
    data = wanli_2025(tmp_path, "shanghai-putuo-department", notes)
    result = _validate(data, "2025")
    assert result.exit_code == 1
    assert "or 未公开 if the document does not give it" in result.output


# Part 5: one arithmetic a reader can check ---------------------------------------------------


def test_the_text_subtracts_the_figures_it_prints(tmp_path):
    """The issue's 3355.65: 2024's 财政拨款 is 156,211,123 元 (15621.11 万元 as printed). A
    made-up 2025 adds 46,349 元, so it prints 15625.75 (exact 15625.7472): the text's change
    is 15625.75 − 15621.11 = 4.64, where the exact 4.6349 would round to 4.63."""
    data = wanli_2025(tmp_path, "shanghai-putuo-department-2025")
    lines = data / "2025" / "lines.yaml"
    text = lines.read_text(encoding="utf-8")
    text = text.replace('"2010507", project: 300000}', '"2010507", project: 300049}')
    lines.write_text(text, encoding="utf-8")

    model = compile_year(parse_year_spec("2025", data)).model
    change = model.explanation.fiscal_change
    assert change.previous == Decimal("15621.1123") and change.current == Decimal("15625.7472")
    assert change.amount == Decimal("4.64") and change.exact_amount == Decimal("4.6349")
    assert change.percent == Decimal("4.64") / Decimal("15621.11") * 100

    result = _validate(data, "2025")
    assert result.exit_code == 0, result.output
    infos = [line for line in result.output.splitlines() if ": info: " in line]
    assert len(infos) == 1, result.output
    assert (
        "财政拨款 15621.11 → 15625.75: the text prints 4.64, the exact difference rounds to 4.63"
        in infos[0]
    )
    assert "一般公共预算拨款 15621.11 → 15625.75" in infos[0]

    built = invoke(
        "build", "2025", "--data", str(data), "--format", "md", "--out", str(tmp_path / "build")
    )
    assert built.exit_code == 0, built.output
    md = (tmp_path / "build" / "2025" / "disclosure.md").read_text(encoding="utf-8")
    assert "财政拨款收入15625.75万元，比2024年预算增加4.64万元" in md
    assert "4.63" not in md


def test_a_typed_previous_figure_is_compared_as_printed(tmp_path):
    """line-notes previous_year typed where 2024 is in the data is an error (issue 24 part 1:
    上年预算 is computed), but 15621.11 is 2024's 15621.1123 as printed: no disagreement."""
    data = wanli_2025(tmp_path, "shanghai-putuo-department-2025")
    notes = data / "2025" / "line-notes.yaml"
    text = notes.read_text(encoding="utf-8").replace(
        "change_reason:",
        "previous_year: {general_budget: 15621.11, fund_budget: 0, capital_budget: 0}\n"
        "change_reason:",
    )
    notes.write_text(text, encoding="utf-8")
    result = _validate(data, "2025")
    assert result.exit_code == 1, result.output
    assert "previous_year is the budget of 2024, which is in the repository" in result.output
    assert "一般公共预算拨款 15621.11" in result.output
    assert "disagrees" not in result.output  # 15621.11 is 15621.1123 as printed


# Part 1: last year's figures — 上年预算 computed, 上年执行数 a fact of its own ----------------


def test_an_items_figure_is_last_years_outturn_under_its_own_name():
    """万里 2024 item 30: the 2023 budget of 2129999 is 1450.00 万元 (computed from 2023's
    lines), the text's 2023年当年预算执行数 1822.46 (typed as previous_outturn): two facts."""
    model = compile_year(parse_year_spec("2024", WANLI)).model
    previous = compile_year(parse_year_spec("2023", WANLI)).model
    [item] = [i for i in model.explanation.items if i.code == "2129999"]
    [budget] = [i for i in previous.explanation.items if i.code == "2129999"]
    assert item.previous == Decimal("1822.46") and item.previous_key == "previous_outturn"
    assert money(budget.amount) == "1450.00"
    for name in ("shanghai-putuo-department", "shanghai-putuo-department-2023"):
        assert "previous_outturn" in load_layout(name).item_facts("line-notes")


def test_the_former_name_previous_is_read_with_a_warning(tmp_path):
    notes = (WANLI / "2024" / "line-notes.yaml").read_text(encoding="utf-8")
    notes = notes.replace("../../../../schemas/", "../../schemas/")
    old = notes.replace("previous_outturn: ", "previous: ")
    data = wanli_2025(tmp_path, "shanghai-putuo-department", old)
    model = compile_year(parse_year_spec("2025", data)).model
    assert model.explanation.items[0].previous == Decimal("60.13")
    result = _validate(data, "2025")
    renames = [line for line in result.output.splitlines() if "rename previous to" in line]
    assert len(renames) == 1 and ": warning: " in renames[0]  # one cause, one message
    assert "line-notes.yaml:9:" in renames[0]  # at the first item's previous
    assert "(33 entries: 2010507、2012902、" in renames[0] and "and 28 more" in renames[0]
    assert "not last year's budget" in renames[0]
    both = notes.replace("previous_outturn: 60.13", "previous_outturn: 60.13\n    previous: 60.13")
    data = wanli_2025(tmp_path / "both", "shanghai-putuo-department", both)
    result = _validate(data, "2025")
    assert result.exit_code == 1
    assert "previous is the former name of previous_outturn" in result.output


def test_a_project_layout_naming_previous_prints_the_outturn(tmp_path):
    data = wanli_2025(tmp_path, "wanli-items")
    folder = tmp_path / "layouts" / "wanli-items"
    folder.mkdir(parents=True)
    manifest = (ROOT / "templates/layouts/shanghai-putuo-department-2025/layout.yaml").read_text(
        encoding="utf-8"
    )
    manifest = manifest.replace(
        "extends: shanghai-putuo-department\n", "extends: shanghai-putuo-department-2025\n"
    )
    manifest = manifest.replace("item: [use]", "item: [use, previous]")
    (folder / "layout.yaml").write_text(manifest, encoding="utf-8")
    model = compile_year(parse_year_spec("2025", data)).model
    assert model.layout.item_facts("line-notes") == ("use", "previous_outturn")
