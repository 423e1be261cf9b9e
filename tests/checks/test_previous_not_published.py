"""Issue #24, point 3 for last year's 三公 figures: a first year in the repository writes
those its document did not publish as 未公开 (one item, or the whole `previous`). They are
printed as the form prints a figure it does not give, never summed or counted as 0, null and
listed under not_published in model.json, and validate lists them as information.

Made-up units only: tests/data/city-unit and a copy of data/2022, under tmp_path.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from conftest import DATA, edit
from fixtures.built import CITY, built, copy_data
from fixtures.years import invoke

from compiler.render.opendata import model_json

PREVIOUS = "previous: {overseas: 0, vehicle_purchase: 0, vehicle_operation: 15.00, reception: 1.50}"


def _city(tmp_path: Path, previous: str) -> Path:
    data = copy_data(tmp_path, CITY)
    edit(data / "2024" / "three-public.yaml", PREVIOUS, previous)
    return data


def test_one_item_not_published_is_printed_as_absent_and_never_summed(tmp_path):
    data = _city(tmp_path, PREVIOUS.replace("reception: 1.50", "reception: 未公开"))
    model, files = built(data, "2024")
    for text in files.values():
        # no total; whole 万元 as the city layout prints its text (1.5 → 2)
        assert "2024年“三公”经费预算数为14万元，2023年预算数未公开。" in text
        assert "公务接待费2万元。2023年预算数未公开。" in text
        assert "公务用车运行费12万元，比2023年预算减少3万元" in text  # the others compare
    tree = json.loads(model_json(model))
    assert tree["three_public"]["previous"]["reception"] is None
    assert tree["three_public"]["previous"]["total"] is None
    assert tree["three_public"]["previous"]["vehicle_operation"] == "15.00"
    assert tree["three_public"]["changes"]["reception"] is None
    assert {"three_public.previous.reception", "three_public.previous.total"} <= set(
        tree["not_published"]
    )


def test_validate_lists_them_as_information_and_strict_passes(tmp_path):
    data = _city(tmp_path, PREVIOUS.replace("reception: 1.50", "reception: 未公开"))
    result = invoke("--lang", "en", "validate", "--strict", "--data", str(data))
    assert result.exit_code == 0, result.output
    assert "2024/three-public.yaml:3:11: info: " in result.output, result.output
    assert "given as not published (未公开): 公务接待费;" in result.output


def test_the_whole_previous_block_may_be_not_published(tmp_path):
    data = _city(tmp_path, "previous: 未公开")
    model, files = built(data, "2024")
    assert "（一）因公出国（境）费0万元，2023年预算数未公开。" in files["md"]
    assert all(change is None for change in model.three_public.changes.values())
    # the next year compares with this year's own figures, which are published
    _model, next_files = built(data, "2025")
    assert "公务接待费2万元。与2024年预算持平。" in next_files["md"]


def test_typing_it_where_last_year_is_in_the_repository_is_an_error(tmp_path):
    data = _city(tmp_path, PREVIOUS)
    path = data / "2025" / "three-public.yaml"
    path.write_text(path.read_text(encoding="utf-8") + "previous: 未公开\n", encoding="utf-8")
    result = invoke("--lang", "en", "validate", "2025", "--data", str(data))
    assert result.exit_code == 1, result.output
    assert "2025/three-public.yaml:3:" in result.output
    assert "公务接待费 is typed as 未公开" in result.output, result.output


def test_the_hebei_table_prints_the_figure_as_not_published(tmp_path):
    data = tmp_path / "data"
    shutil.copytree(DATA / "2022", data / "2022")
    edit(data / "2022" / "three-public.yaml", "reception: 21.67}", "reception: 未公开}")
    _model, files = built(data, "2022")
    assert "| 公务接待费 | 20.67 | 未公开 | — | — |" in files["md"]
    assert "| **合计** | 80.32 | 未公开 | — | — |" in files["md"]
    assert "| 公务用车运维费 | 59.65 | 85.15 | -25.50 | -29.9% |" in files["md"]
    for text in files.values():
        # the part not published named, with its reason (never dropped), then the others'
        # changes; no total is compared
        assert (
            "公务接待费20.67万元。2021年公务接待费预算数未公开，主要原因是我单位切实落实勤俭节约"
            "各项规定，严格控制公务接待费支出；与2021年相比，因公出国（境）费持平；"
            "公务用车购置及运维费减少25.50万元（其中：公务用车购置费持平，公务用车运维费减少"
            "25.50万元），主要原因是" in text
        )
        assert "2021年预算数未公开，其中" not in text


def test_the_hebei_sentence_names_every_part_not_published_with_its_reason(tmp_path):
    data = tmp_path / "data"
    shutil.copytree(DATA / "2022", data / "2022")
    edit(
        data / "2022" / "three-public.yaml",
        "previous:  {overseas: 0, vehicle_purchase: 0, vehicle_operation: 85.15, reception: 21.67}",
        "previous: 未公开",
    )
    _model, files = built(data, "2022")
    assert (
        "公务接待费20.67万元。2021年因公出国（境）费、公务用车购置及运维费、公务接待费预算数未公开；"
        "公务用车购置及运维费，主要原因是我单位切实落实勤俭节约各项规定，压减公车运行经费支出；"
        "公务接待费，主要原因是" in files["md"]
    )
    assert "与2021年相比" not in files["md"]
