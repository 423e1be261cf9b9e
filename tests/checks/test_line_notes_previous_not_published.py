"""Issue #24, point 3 for line-notes.yaml previous_year (last year's 财政拨款 by source, which
the Shanghai texts compare with): a first year writes a figure its document did not publish
as 未公开 (one figure, or the whole block). It is printed as the form prints a figure it does
not give, never summed (last year's 财政拨款 total with a part not published is not
published; a department's is not published when a unit's is), no change is computed from
it; null and listed under not_published in model.json; one information line from validate;
typing it where last year is in the repository is an error.

Made-up units only: tests/data/city-unit and tests/data/department, copied under tmp_path.
"""

from __future__ import annotations

import json
from pathlib import Path

from conftest import edit
from fixtures.built import CITY, DEPARTMENT, built, copy_data
from fixtures.years import invoke

from compiler.render.opendata import model_json

TYPED = "previous_year: {general_budget: 1250.00, fund_budget: 0, capital_budget: 0}"


def _city(tmp_path: Path, previous_year: str) -> Path:
    data = copy_data(tmp_path, CITY)
    edit(data / "2024" / "line-notes.yaml", TYPED, previous_year)
    return data


def test_a_figure_not_published_is_printed_as_absent_and_never_summed(tmp_path):
    data = _city(tmp_path, TYPED.replace("1250.00", "未公开"))
    model, files = built(data, "2024")
    for text in files.values():
        # the 财政拨款 total has a part not published: no change, in both sentences
        assert "财政拨款收入1,254万元，2023年预算数未公开；" in text
        assert "财政拨款支出预算1,254万元，2023年预算数未公开。" in text
        assert "一般公共预算拨款支出预算1,254万元，2023年预算数未公开；" in text
        assert "政府性基金拨款支出预算0万元，与2023年预算持平；" in text  # published: compared
        # the reason is printed as given, without a direction no figure supports
        assert "财政拨款收入支出增减的主要原因是人员经费调整。" in text
    tree = json.loads(model_json(model))
    explanation = tree["explanation"]
    assert explanation["previous"]["general_budget"] is None
    assert explanation["previous"]["fiscal"] is None
    assert explanation["previous"]["fund_budget"] == "0"
    assert explanation["fiscal_change"] is None
    assert explanation["changes"]["general_budget"] is None
    assert {"explanation.previous.general_budget", "explanation.previous.fiscal"} <= set(
        tree["not_published"]
    )
    # the next year compares with this year's own figures, which are published
    _model, next_files = built(data, "2025")
    assert "财政拨款收入1,266万元，比2024年预算增加12万元" in next_files["md"]


def test_the_whole_block_may_be_not_published(tmp_path):
    data = _city(tmp_path, "previous_year: 未公开")
    model, files = built(data, "2024")
    assert model.explanation.fiscal_change is None
    assert all(change is None for change in model.explanation.changes.values())
    assert "政府性基金拨款支出预算0万元，2023年预算数未公开；" in files["md"]


def test_validate_lists_them_as_information_and_strict_passes(tmp_path):
    data = _city(tmp_path, TYPED.replace("1250.00", "未公开"))
    result = invoke("--lang", "en", "validate", "--strict", "--data", str(data))
    assert result.exit_code == 0, result.output
    assert "2024/line-notes.yaml:3:16: info: " in result.output, result.output
    assert "given as not published (未公开): 一般公共预算拨款;" in result.output


def test_typing_it_where_last_year_is_in_the_repository_is_an_error(tmp_path):
    data = _city(tmp_path, TYPED)
    path = data / "2025" / "line-notes.yaml"
    path.write_text(
        path.read_text(encoding="utf-8")
        + "previous_year: {general_budget: 未公开, fund_budget: 0, capital_budget: 0}\n",
        encoding="utf-8",
    )
    result = invoke("--lang", "en", "validate", "2025", "--data", str(data))
    assert result.exit_code == 1, result.output
    assert "2025/line-notes.yaml:" in result.output
    assert "一般公共预算拨款 is typed as 未公开" in result.output, result.output


def test_a_department_s_figure_is_not_published_when_a_unit_s_is(tmp_path):
    data = copy_data(tmp_path, DEPARTMENT)  # units' too: 6 → 4
    edit(
        data / "2025" / "units" / "02-centre" / "line-notes.yaml",
        "general_budget: 100.00",
        "general_budget: 未公开",
    )
    model, files = built(data, "2025")
    assert model.explanation.fiscal_change is None
    unit_office = model.units[0].explanation
    assert unit_office.fiscal_change is not None  # the other unit still compares
    tree = json.loads(model_json(model))
    assert "explanation.previous.general_budget" in tree["not_published"]
    assert "2024年预算数未公开" in files["md"]
