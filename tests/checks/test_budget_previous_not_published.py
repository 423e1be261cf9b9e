"""Issue #24, point 3 for budget.yaml previous_year (the Hebei overview's 上年基本支出 and
上年项目支出): a first year writes a figure its document did not publish as 未公开 (one
figure, or the whole block). It is printed as the form prints a figure it does not give,
never summed (the 上年支出合计 with a part not published is not published) and no change is
computed from it; null and listed under not_published in model.json; validate gives one
information line; typing it where last year is in the repository is an error.

Made-up data only: a copy of data/2022 under tmp_path, with the figure replaced, and
fixtures.departments' made-up Hebei department.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from conftest import DATA, copy_as_next_year, edit, line_of
from fixtures.built import built
from fixtures.departments import hebei_department
from fixtures.years import invoke

from compiler.numbers import NOT_PUBLISHED
from compiler.render.opendata import model_json

TYPED = "previous_year:\n  basic: 3709.97\n  project: 7742.83\n"


def _year(tmp_path: Path, previous_year: str) -> Path:
    data = tmp_path / "data"
    shutil.copytree(DATA / "2022", data / "2022")
    edit(data / "2022" / "budget.yaml", TYPED, previous_year)
    return data


def test_a_figure_not_published_is_printed_as_absent_with_its_reason(tmp_path):
    data = _year(tmp_path, TYPED.replace("7742.83", "未公开"))
    model, files = built(data, "2022")
    for text in files.values():
        # no total compared; the part not published named once, its reason printed
        assert (
            "2022年预算收支安排9569.88万元，2021年项目支出预算数未公开，主要减少为市民服务中心"
            in text
        )
        assert "；与2021年预算相比，基本支出增加448.20万元，主要为人员经费支出。" in text
        assert "较2021年预算" not in text
    md = files["md"]
    assert "| **收支总计** | **9569.88** | **未公开** | **—** |" in md
    assert "| 基本支出 | 4158.17 | 3709.97 | 448.20 |" in md
    assert "| 项目支出 | 5411.71 | 未公开 | — |" in md
    tree = json.loads(model_json(model))
    budget = tree["budget"]
    assert budget["previous_project"] is None and budget["previous_total"] is None
    assert budget["project_change"] is None and budget["total_change"] is None
    assert budget["previous_basic"] == "3709.97"
    assert {"budget.previous_project", "budget.previous_total"} <= set(tree["not_published"])


def test_the_whole_block_may_be_not_published(tmp_path):
    data = _year(tmp_path, "previous_year: 未公开\n")
    model, files = built(data, "2022")
    assert model.budget.basic_change is None and model.budget.total_change is None
    assert (
        "2022年预算收支安排9569.88万元，2021年基本支出、项目支出预算数未公开；基本支出，"
        "主要为人员经费支出；项目支出，主要减少为" in files["md"]
    )
    assert "| 基本支出 | 4158.17 | 未公开 | — |" in files["md"]


def test_validate_lists_them_as_information_at_the_block(tmp_path):
    data = _year(tmp_path, TYPED.replace("7742.83", "未公开"))
    result = invoke("--lang", "en", "validate", "2022", "--data", str(data))
    assert result.exit_code == 0, result.output
    line = line_of(data / "2022" / "budget.yaml", "previous_year:")
    assert f"2022/budget.yaml:{line + 1}:" in result.output, result.output
    assert "given as not published (未公开): 项目支出;" in result.output
    # no warning asks for a reason of a change that is not computed
    assert "项目支出 changed" not in result.output


def test_a_wrong_figure_in_the_block_says_how_to_write_not_published_once(tmp_path):
    """The block and each figure in it may be 未公开: a wrong figure is explained once (the
    block's anyOf repeated its figure's hint)."""
    data = _year(tmp_path, TYPED.replace("7742.83", "-7742.83"))
    result = invoke("--lang", "en", "validate", "2022", "--data", str(data))
    assert result.exit_code == 1, result.output
    line = line_of(data / "2022" / "budget.yaml", "project: -7742.83")
    assert f"2022/budget.yaml:{line}:" in result.output, result.output
    assert result.output.count("未公开 if the document does not give it") == 1, result.output
    whole = _year(tmp_path / "whole", "previous_year: 12\n")
    result = invoke("--lang", "en", "validate", "2022", "--data", str(whole))
    assert result.exit_code == 1, result.output
    assert result.output.count("未公开 if the document does not give it") == 1, result.output


def test_typing_it_where_last_year_is_in_the_repository_is_an_error(tmp_path):
    data = _year(tmp_path, TYPED)
    target = copy_as_next_year(data)
    path = target / "budget.yaml"
    path.write_text(
        path.read_text(encoding="utf-8") + "previous_year: {basic: 未公开, project: 5411.71}\n",
        encoding="utf-8",
    )
    result = invoke("--lang", "en", "validate", "2023", "--data", str(data))
    assert result.exit_code == 1, result.output
    assert "2023/budget.yaml:" in result.output
    assert "基本支出 is typed as 未公开" in result.output, result.output


def test_a_department_s_figure_is_not_published_when_a_unit_s_is(tmp_path):
    data = hebei_department(tmp_path)
    edit(
        data / "2022" / "units" / "02-centre" / "budget.yaml", "project: 7742.83", "project: 未公开"
    )
    model, files = built(data, "2022")
    assert model.budget.previous_project is NOT_PUBLISHED
    assert model.budget.project_change is None
    assert model.units[0].budget.project_change is not None  # the other unit still compares
    # the department's own reason for 项目支出 is printed with the figure not published
    assert (
        "2021年项目支出预算数未公开，主要为业务经费调整；与2021年预算相比，基本支出减少2561.77万元"
        in (files["md"])
    )
