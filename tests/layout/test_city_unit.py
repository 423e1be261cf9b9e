"""Issue #24, point 2: a city unit's form (shanghai-city-unit) explains the budget by 类, in
whole 万元 with thousands separators and 与…持平, naming the unit by its short name, with
no per-项 上年数 — so its data needs no invented previous figure and no project layout.

The unit is made up (tests/data/city-unit, never published): 2024 is its first year in the
repository, 2025 compares each 类 with 2024's lines.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import edit
from fixtures.built import CITY, built, copy_data
from fixtures.years import invoke

from compiler.layout.manifest import check_manifest


def _rendered(data: Path, year: str, formats=("html", "md")) -> dict:
    return built(data, year, formats)[1]


def test_the_layout_is_a_valid_tool_layout():
    assert check_manifest("shanghai-city-unit") == []


def test_validate_strict_passes_without_any_previous_figure_per_item():
    notes = (CITY / "2025" / "line-notes.yaml").read_text(encoding="utf-8")
    assert "items" not in notes and "previous" not in notes  # nothing typed of last year
    result = invoke("--lang", "en", "validate", "--strict", "--data", str(CITY))
    assert result.exit_code == 0, result.output


def test_the_text_explains_each_class_in_whole_wan_computed_from_both_years_lines():
    for text in _rendered(CITY, "2025").values():
        # 类 201: 12,340,000 元 in 2025, 12,220,000 元 in 2024's lines
        assert "一般公共服务支出1,234万元，比2024年预算增加12万元。" in text
        # 类 208: 320,000 元 both years
        assert "社会保障和就业支出32万元，与2024年预算持平。" in text
        assert "财政拨款收入1,266万元，比2024年预算增加12万元" in text
        assert "政府性基金拨款支出预算0万元，与2024年预算持平" in text
        assert "2025年度，市示例局编报绩效目标的项目共2个" in text  # the short name
        assert "本单位编报" not in text


def test_the_first_year_prints_each_class_without_a_comparison():
    """2023 is not in the repository: no 类 figure of it exists, and none is invented."""
    text = _rendered(CITY, "2024")["md"]
    assert "一般公共服务支出1,222万元。" in text
    assert "一般公共服务支出1,222万元，" not in text and "比上年" not in text


def test_the_opening_sentences_and_the_class_lines_compare_in_the_same_words():
    """Both compare with last year's budget (computed from 2024's lines), so both say
    比2024年预算 / 与2024年预算持平 — never 上年 in one and 2024年预算 in the other."""
    text = _rendered(CITY, "2025")["md"]
    start = text.index("2025年单位预算编制说明")
    section = text[start : text.index("\n## ", start)]
    assert "财政拨款收入1,266万元，比2024年预算增加12万元" in section  # opening
    assert "一般公共服务支出1,234万元，比2024年预算增加12万元。" in section  # a 类 line
    assert "比上年" not in section and "与上年" not in section


def test_the_layout_s_own_statements_name_the_unit_by_its_short_name():
    """when_empty and empty_note in layout.yaml write {unit_ref}: the short name here, as the
    templates' sentences do (本单位 in the layouts that name the unit so)."""
    text = _rendered(CITY, "2025")["md"]
    assert "注：市示例局2025年无政府性基金预算财政拨款安排的预算，故本表为空表。" in text
    assert "市示例局2025年度未安排政府采购预算。" in text
    assert "本单位" not in text and "上海市示例局2025年度" not in text


def test_the_three_public_sentences_print_whole_wan_as_the_layout_says():
    text = _rendered(CITY, "2025")["md"]
    # 13.5 and 1.5 万元 in three-public.yaml; the text prints whole 万元 (text_decimals: 0)
    assert "2025年“三公”经费预算数为14万元，与2024年预算持平。" in text
    assert "公务接待费2万元。与2024年预算持平。" in text


def test_a_changed_line_moves_the_sentence(tmp_path):
    data = copy_data(tmp_path, CITY)
    edit(data / "2025" / "lines.yaml", "project: 2000000}", "project: 2500000}")
    text = _rendered(data, "2025")["html"]
    assert "一般公共服务支出1,284万元，比2024年预算增加62万元。" in text
    assert "1,234万元" not in text


@pytest.mark.slow
def test_the_pdf_prints_the_class_lines():
    import subprocess

    pdf = _rendered(CITY, "2025", formats=("pdf",))["pdf"]
    text = subprocess.run(
        ["pdftotext", "-layout", "-", "-"], input=pdf, capture_output=True, check=True
    ).stdout.decode("utf-8")
    assert "一般公共服务支出1,234万元，比2024年预算增加12万元。" in text
    assert "社会保障和就业支出32万元，与2024年预算持平。" in text


def test_a_layout_that_names_the_unit_by_its_short_name_requires_it(tmp_path):
    data = copy_data(tmp_path, CITY)
    edit(data / "2025" / "unit.yaml", "  short_name: 市示例局\n", "")
    result = invoke("--lang", "en", "validate", "2025", "--data", str(data))
    assert result.exit_code == 1, result.output
    assert "2025/unit.yaml:5:1: error: unit.short_name: missing short_name" in result.output
    assert "1 error(s), 0 warning(s)" in result.output, result.output
