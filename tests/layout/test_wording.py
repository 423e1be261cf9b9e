"""Issue #24, point 2: a layout's wording options (number format, 与…持平, the unit's short
name) are read in one place, layout/wording.py, and checked by the layout's schema."""

from __future__ import annotations

from decimal import Decimal
from types import SimpleNamespace

import yaml
from conftest import edit
from hypothesis import given
from hypothesis import strategies as st
from test_project_layouts import errors, manifest, project, rendered

from compiler.layout.wording import TextStyle
from compiler.model.base import Change
from compiler.numbers import NOT_PUBLISHED


def style(**options) -> TextStyle:
    return TextStyle.of(SimpleNamespace(options=options))


def test_without_options_amounts_print_as_every_layout_printed_them():
    s = style()
    assert s.amount(Decimal("1234.565")) == "1234.57"
    assert s.amount(Decimal("0")) == "0.00"
    assert s.amount(NOT_PUBLISHED) == "未公开"
    assert s.change(Change(Decimal("10"), Decimal("10.004")), "2023年预算") == "比2023年预算持平"
    assert s.unit_reference(SimpleNamespace(short_name="市财政局")) == "本单位"


def test_whole_wan_with_thousands_separators_rounds_half_up():
    s = style(text_decimals=0, text_thousands=True)
    assert s.amount(Decimal("1234.5")) == "1,235"
    assert s.amount(Decimal("999.49")) == "999"
    assert style(text_decimals=0, zero_in_text="0").amount(Decimal("0.4")) == "0"


def test_the_difference_is_that_of_the_figures_as_printed():
    s = style(text_decimals=0, text_thousands=True)
    # 1221.5 prints as 1,222 and 1233.6 as 1,234: the reader's 1,234 − 1,222 = 12
    assert s.change(Change(Decimal("1221.5"), Decimal("1233.6")), "上年") == "比上年增加12万元"
    assert s.change(Change(Decimal("2500"), Decimal("1200")), "上年") == "比上年减少1,300万元"


def test_no_change_in_the_layouts_wording():
    same = Change(Decimal("32"), Decimal("32"))
    assert style(unchanged_wording="与…持平").change(same, "上年") == "与上年持平"
    assert style(unchanged_wording="比…持平").change(same, "2024年预算") == "比2024年预算持平"


def test_the_unit_is_named_by_its_short_name_where_the_layout_says_so():
    s = style(unit_in_text="short_name", self_name="部门")
    assert s.unit_reference(SimpleNamespace(short_name="市财政局")) == "市财政局"
    assert style(self_name="部门").unit_reference(SimpleNamespace(short_name=None)) == "本部门"


@given(
    st.decimals(min_value=0, max_value=10**7, places=6),
    st.decimals(min_value=0, max_value=10**7, places=6),
)
def test_a_printed_change_always_agrees_with_the_printed_figures(before, after):
    s = style(text_decimals=0, text_thousands=True)
    text = s.change(Change(before, after), "上年")
    shown_before = Decimal(s.amount(before).replace(",", ""))
    shown_after = Decimal(s.amount(after).replace(",", ""))
    if shown_after == shown_before:
        assert text == "比上年持平"
    else:
        word = "增加" if shown_after > shown_before else "减少"
        assert text == f"比上年{word}{s.amount(abs(shown_after - shown_before))}万元"


def test_an_option_value_the_schema_does_not_know_is_a_located_error(tmp_path):
    data = project(tmp_path, "langfang-unit")
    path = manifest(
        tmp_path,
        "langfang-unit",
        yaml.safe_dump(
            {"extends": "hebei-unit", "options": {"text_decimals": 1}}, allow_unicode=True
        ),
    )
    found = errors(data)
    assert any(
        "layouts/langfang-unit/layout.yaml:3:" in e and "text_decimals" in e for e in found
    ), (
        found,
        path.read_text(encoding="utf-8"),
    )


def test_the_three_public_amounts_follow_the_number_format():
    assert style().trimmed(Decimal("21.560")) == "21.56"  # as every layout printed them
    assert style().trimmed(Decimal("25.00")) == "25"
    assert style().trimmed(Decimal("0")) == "0"
    assert style(text_thousands=True).trimmed(Decimal("1234.50")) == "1,234.5"
    assert style(text_decimals=0).trimmed(Decimal("1.5")) == "2"
    assert (
        style(text_decimals=0).change(
            Change(Decimal("15.4"), Decimal("12.4")), "2023年预算", trim=True
        )
        == "比2023年预算减少3万元"
    )


def test_the_hebei_sentences_and_statements_follow_the_layout_s_options(tmp_path):
    """A project layout extending hebei-unit with thousands separators and the short name:
    every amount of the Hebei sentences is printed by the option, and the statement of an
    empty part written in layout.yaml ({unit_ref}) names the unit by its short name."""
    data = project(tmp_path, "langfang-unit", without_procurement=True)
    manifest(
        tmp_path,
        "langfang-unit",
        {
            "extends": "hebei-unit",
            "options": {"text_thousands": True, "unit_in_text": "short_name"},
        },
    )
    edit(
        data / "2022" / "unit.yaml",
        "  name: 廊坊市人民政府办公室\n",
        "  name: 廊坊市人民政府办公室\n  short_name: 市政府办\n",
    )
    text = rendered(data)["md"]
    assert "2022年支出预算9,569.88万元，其中基本支出4,158.17万元" in text
    assert "2022年预算收支安排9,569.88万元，较2021年预算减少1,882.92万元" in text
    assert "机关运行经费共计安排851.12万元" in text
    assert "财政拨款“三公”经费预算安排80.32万元" in text
    assert "2022年，市政府办未安排政府采购预算。" in text  # when_empty: {unit_ref}
    assert "本单位未安排" not in text
