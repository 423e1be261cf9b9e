"""The proof for final accounts (决算): 上海市普陀区财政局's 2024 部门决算, built from its
primary facts (examples/putuo-finance-bureau/data/2024/final/), reproduces the published
figures except where the published document contradicts itself; each contradiction
(examples/putuo-finance-bureau/README.md) is asserted here, published against computed.
"""

from __future__ import annotations

import re
import shutil
from decimal import Decimal
from pathlib import Path

import pytest
from conftest import ROOT, built_final_accounts

from compiler import compile_year, parse_year_spec
from compiler.layout.final_tables import final_tables

DATA = ROOT / "examples" / "putuo-finance-bureau" / "data"
D = Decimal


def _model(data: Path = DATA):
    result = compile_year(parse_year_spec("2024", data))
    assert result.ok, [str(d) for d in result.diagnostics]
    return result.model


@pytest.fixture(scope="module")
def built(tmp_path_factory, pdf_layouts) -> dict[str, str]:
    return built_final_accounts(DATA, tmp_path_factory.mktemp("fb"), pdf_layouts)


def test_a_year_with_only_final_is_its_final_accounts():
    source = parse_year_spec("2024", DATA)
    assert source.document == "final"
    assert parse_year_spec("2024/final", DATA) == source


# Published figures the build reproduces: (what, text as printed).
REPRODUCED = [
    ("一般公共服务支出", "2,106.66"),
    ("卫生健康支出", "60.99"),
    ("住房保障支出", "445.69"),
    ("年初结转和结余", "49.14"),
    ("年末结转和结余 (computed: 年初 + 收入 − 支出)", "55.34"),
    ("财政拨款年初/年末结转和结余", "21.63"),
    ("行政运行 财政拨款", "1,511.89"),
    ("行政运行 收入合计", "1,511.90"),
    ("一般行政管理事务 收入合计", "16.19"),
    ("项目支出", "603.14"),
    ("其他收入", "6.20"),
    ("工资福利支出 津贴补贴", "1,238.58"),
    ("“三公” 预算数", "0.95"),
]
TEXT = [
    "其中：财政拨款收入2940.06万元，占99.79%；其他收入6.20万元，占0.21%",
    "基本支出2336.92万元，占79.49%；项目支出603.14万元，占20.51%",
    "社会保障和就业支出（类）326.72万元，占11.11%",
    "卫生健康支出（类）60.99万元，占2.07%",
    "住房保障支出（类）445.69万元，占15.16%",
    "完成年初预算的98.20%",
    "下降1.87%",
    "下降2.10%",
    "年初预算为135.90万元，支出决算为135.25万元",
    "单价100万元（含）以上设备（不含车辆）2台（套）",
    "平均得分99.43分",
]


@pytest.mark.slow  # lays out the PDF (the built fixture)
@pytest.mark.parametrize("what,figure", REPRODUCED)
def test_published_table_figures_are_reproduced(built, what, figure):
    for fmt in ("html", "md", "pdf"):
        assert figure in built[fmt], (what, fmt)


@pytest.mark.slow  # lays out the PDF (the built fixture)
@pytest.mark.parametrize("sentence", TEXT)
def test_published_text_figures_are_reproduced(built, sentence):
    for fmt in ("html", "md"):
        assert sentence in built[fmt]
    assert sentence in re.sub(r"\s+", "", built["pdf"])


# The document's contradictions: (what, published, computed). The data holds the rows as
# printed; every total is their sum, so each published total that is not is listed here.
CONTRADICTIONS = [
    ("一般公共预算财政拨款支出 (its 项 add up to)", "2940.05", "2940.06"),
    ("本年收入合计", "2946.25", "2946.26"),
    ("收入支出总计", "2995.39", "2995.40"),
    ("财政拨款收入支出总计 (table; the text says 0.3)", "2961.68", "2961.69"),
    ("基本支出 (function side)", "2336.91", "2336.92"),
    ("工资福利支出 301 (its 款 add up to)", "2082.85", "2082.86"),
    ("商品和服务支出 302", "171.07", "171.09"),
    ("人员经费合计", "2152.26", "2152.27"),
    ("公用经费合计 = 机关运行经费", "184.65", "184.67"),
    ("一般公共预算 年初预算 (its 项 add up to)", "2993.92", "2993.93"),
    ("政府采购金额 (货物+工程+服务)", "251.25", "251.26"),
]


def test_contradictions_are_computed_not_copied():
    f = _model().final
    economic = {r.code: r["amount"] for r in f.economic_rows}
    computed = {
        "一般公共预算财政拨款支出 (its 项 add up to)": f.general_spending,
        "本年收入合计": f.income_this_year,
        "收入支出总计": f.grand_total,
        "财政拨款收入支出总计 (table; the text says 0.3)": f.fiscal_grand_total,
        "基本支出 (function side)": f.spending_total()["basic"],
        "工资福利支出 301 (its 款 add up to)": economic["301"],
        "商品和服务支出 302": economic["302"],
        "人员经费合计": f.personnel,
        "公用经费合计 = 机关运行经费": f.operating_costs,
        "一般公共预算 年初预算 (its 项 add up to)": f.initial_budget_total,
        "政府采购金额 (货物+工程+服务)": f.procurement["total"],
    }
    for what, published, expected in CONTRADICTIONS:
        assert computed[what] == D(expected), what
        assert computed[what] != D(published), what


@pytest.mark.slow  # lays out the PDF (the built fixture)
def test_social_security_is_one_figure_everywhere(built):
    """Published as 326.71 in two tables and 326.72 in three: its 项 add up to 326.72."""
    f = _model().final
    row = next(r for r in f.general_rows if r.code == "208")
    assert row["total"] == D("326.72")
    assert "326.71" not in built["html"]
    assert built["html"].count("326.72") >= 5


@pytest.mark.slow  # lays out the PDF (the built fixture)
def test_share_published_as_71_73_is_71_65(built):
    assert "一般公共服务支出（类）2106.66万元，占71.65%" in built["md"]
    assert "71.73%" not in built["md"]


@pytest.mark.slow  # lays out the PDF (the built fixture)
def test_fiscal_total_is_not_0_3_and_no_direction_without_a_base(built):
    """The text printed 0.3万元 and 持平 and then reasons for a decrease; the 2023 figure is
    not published, so no comparison (and no direction word) is written."""
    assert "财政拨款收入支出总计2961.69万元" in built["md"]
    assert "2023年度财政拨款收入支出总计决算数未公开，不作比较" in built["md"]
    assert "总计0.3万元" not in built["md"]


def test_balance_identities_hold_by_construction():
    f = _model().final
    assert f.opening_all + f.income_this_year - f.spending_this_year == f.closing_all
    assert f.closing_all == D("55.34")
    assert f.grand_total == f.spending_this_year + f.surplus_distributed + f.closing_all
    for fund in ("general", "fund", "capital"):
        assert f.opening(fund) + f.fiscal_income(fund) - f.fiscal_spending(fund) == f.closing(fund)


@pytest.mark.slow  # lays out the PDF (the built fixture)
def test_zero_base_has_no_rate_and_no_growth_from_nothing(built):
    text = built["md"]
    assert "因公出国（境）费支出决算为0.00万元，年初预算为0" in text
    assert "增长100" not in text
    f = _model().final
    assert f.three_public["overseas"].rate is None
    assert f.three_public["reception"].rate == D("0.00")


@pytest.mark.slow  # lays out the PDF (the built fixture)
def test_direction_words_follow_the_figures(built):
    text = built["md"]
    # published: 减少56.95 (2995.39 − 3052.34)
    assert "收入支出总计减少56.94万元，下降1.87%" in text
    assert "比2023年度增加2.57万元，增长1.41%" in text  # published 2.55, 1.40% (184.65)
    assert "决算数与预算数持平" in text  # 10.00 against 10.00: not 小于/大于
    assert "2024年度“三公”经费财政拨款支出决算与2023年度持平" in text


def test_nine_tables_in_order_and_empty_ones_with_their_note():
    tables = final_tables(_model())
    assert [t.title for t in tables] == [
        "收入支出决算总表",
        "收入决算表",
        "支出决算表",
        "财政拨款收入支出决算总表",
        "一般公共预算财政拨款支出决算表",
        "一般公共预算财政拨款基本支出决算表",
        "财政拨款“三公”经费支出决算表",
        "政府性基金预算财政拨款收入支出决算表",
        "国有资本经营预算财政拨款收入支出决算表",
    ]
    assert tables[7].note == "注：上海市普陀区财政局无政府性基金预算财政拨款支出，故本表无数据。"
    assert tables[8].note == "注：上海市普陀区财政局无国有资本经营预算财政拨款支出，故本表无数据。"


def test_a_changed_line_moves_every_table_and_sentence(tmp_path):
    data = tmp_path / "data"
    shutil.copytree(DATA, data)
    path = data / "2024" / "final" / "outturn.yaml"
    text = path.read_text(encoding="utf-8")
    text = text.replace(
        '{code: "2010607", source: general, project: 135.25}',
        '{code: "2010607", source: general, project: 145.25}',
    )
    text = text.replace('{code: "2010607", general: 135.25}', '{code: "2010607", general: 145.25}')
    path.write_text(text, encoding="utf-8")
    f = _model(data).final
    assert f.general_spending == D("2950.06")
    assert f.income_this_year == D("2956.26")
    assert f.closing_all == D("55.34")  # income and spending moved together
    assert f.item_against_budget("2010607").relation == "大于"


# The 年初预算 taken from the same year's budget: tests/test_final_from_budget.py.
