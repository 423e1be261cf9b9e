"""The second proof for final accounts: 上海市普陀区规划和自然资源局's 2024 部门决算, built
from its primary facts (examples/putuo-planning-bureau/data/2024/final/), reproduces the
published figures except where the published document contradicts itself; each
contradiction (examples/putuo-planning-bureau/README.md) is asserted here, published
against computed. The department holds 事业单位 and spends 12.89万元 of 基本支出 from its
non-fiscal 年初结转和结余, which the 财政局's document has neither of.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
from conftest import ROOT, built_final_accounts

from compiler import compile_year, parse_year_spec
from compiler.layout.final_tables import final_tables

DATA = ROOT / "examples" / "putuo-planning-bureau" / "data"
D = Decimal


def _model(data: Path = DATA):
    result = compile_year(parse_year_spec("2024", data))
    assert result.ok, [str(d) for d in result.diagnostics]
    assert not result.diagnostics, [str(d) for d in result.diagnostics]
    return result.model


@pytest.fixture(scope="module")
def f():
    return _model().final


@pytest.fixture(scope="module")
def built(tmp_path_factory, pdf_layouts) -> dict[str, str]:
    return built_final_accounts(DATA, tmp_path_factory.mktemp("pb"), pdf_layouts)


# Published table figures the build reproduces: (what, as printed in the tables).
REPRODUCED = [
    ("一般公共预算财政拨款收入 = 本年收入合计", "9,746.50"),
    ("本年支出合计", "9,759.38"),
    ("基本支出 (支出决算表)", "5,377.64"),
    ("项目支出", "4,381.74"),
    ("年初结转和结余", "112.88"),
    ("年末结转和结余 (computed: 年初 + 收入 − 支出)", "100.00"),
    ("收入支出总计", "9,859.38"),
    ("社会保障和就业支出", "754.75"),
    ("自然资源海洋气象等支出", "4,461.67"),
    ("住房保障支出", "461.08"),
    ("行政运行 支出决算表 合计", "1,105.68"),
    ("行政运行 支出决算表 基本支出", "1,096.91"),
    ("行政运行 财政拨款 基本支出", "1,084.02"),
    ("城乡社区支出 支出决算表 基本支出", "1,585.59"),
    ("城乡社区支出 财政拨款 基本支出", "1,572.70"),
    ("一般公共预算财政拨款 基本支出 by 项", "5,364.75"),
    ("城乡社区规划与管理", "2,739.56"),
    ("事业运行", "4,416.67"),
    ("工资福利支出 301", "4,816.14"),
    ("绩效工资", "1,594.02"),
    ("“三公” 预算数", "2.85"),
    ("“三公” 决算数", "0.39"),
]

# Published sentences the build reproduces word for word (the PDF's text without breaks).
TEXT = [
    "2024年度收入支出总计9859.38万元。与2023年度相比，收入支出总计增加1062.85万元，增长12.08%。",
    "本年收入合计9746.50万元，其中：财政拨款收入9746.50万元，占100.00%。",
    "本年支出合计9759.38万元，其中：基本支出5377.64万元，占55.10%；项目支出4381.74万元，占44.90%。",
    "财政拨款收入支出总计9746.50万元。与2023年度相比，财政拨款收入支出总计增加1193.20万元，增长13.95%。",
    "社会保障和就业支出（类）754.75万元，占7.74%",
    "自然资源海洋气象等支出（类）4461.67万元，占45.78%",
    "住房保障支出（类）461.08万元，占4.73%",
    "年初预算为452.40万元，支出决算为446.11万元，完成年初预算的98.61%。",
    "年初预算为42.73万元，支出决算为40.35万元，完成年初预算的94.43%。",
    "年初预算为3110.14万元，支出决算为2739.56万元，完成年初预算的88.08%。",
    "年初预算为4477.33万元，支出决算为4416.67万元，完成年初预算的98.65%。",
    "公务接待费支出决算为0.39万元，完成预算的13.68%",
    "减少0.15万元，下降27.78%",
    "机关运行经费支出142.80万元，比2023年度减少13.52万元，下降8.65%。",
    "平均得分99.33分",
    "公务接待2批次、26人次",
    "货物采购金额122.43万元、工程采购金额1387.72万元、服务采购金额809.07万元。",
    "面向中小企业预留政府采购项目预算金额225.10万元，面向小微企业预留政府采购项目预算金额164.87万元。",
    "上海市普陀区规划和自然资源局2024年度无政府性基金预算财政拨款收入和支出。",
]


@pytest.mark.parametrize("what,figure", REPRODUCED)
def test_published_table_figures_are_reproduced(built, what, figure):
    for fmt in ("html", "md", "pdf"):
        assert figure in built[fmt], (what, fmt)


@pytest.mark.parametrize("sentence", TEXT)
def test_published_text_is_reproduced(built, sentence):
    for fmt in ("html", "md", "pdf_flat"):
        assert sentence in built[fmt], fmt


def test_balances_hold_and_the_non_fiscal_spending_comes_from_the_opening_balance(f):
    assert f.opening_all + f.income_this_year - f.spending_this_year == f.closing_all == D("100.00")
    assert f.grand_total == D("9859.38")
    assert f.fiscal_opening_total == 0
    other = f.spending_total(("other",))
    assert other["basic"] == D("12.89") and other["total"] == D("12.89")


# The document's contradictions: (what, published, computed).
CONTRADICTIONS = {
    "城乡社区支出, 收入支出决算总表 (all sources)": ("3845.25", "3845.24"),
    "城乡社区支出, 财政拨款 tables and text": ("3832.36", "3832.35"),
    "行政运行 (一般公共预算表): 合计 against 基本 + 项目": ("1092.80", "1092.79"),
    "一般公共预算财政拨款支出": ("9746.50", "9746.49"),
    "年末财政拨款结转和结余 (printed blank)": ("0", "0.01"),
    "卫生健康支出 in the two 总表 and the text": ("236.63", "236.64"),
    "商品和服务支出 302": ("440.90", "440.88"),
    "公用经费合计": ("480.66", "480.64"),
    "人员经费合计": ("4884.09", "4884.10"),
    "年初预算 (its 13 项 add up to)": ("10210.34", "10210.33"),
    "完成率": ("95.45", "95.46"),
    "一般公共预算 share of 本年支出合计": ("99.86", "99.87"),
    "政府采购金额 (货物+工程+服务)": ("2319.21", "2319.22"),
    "一般公共预算 change from 2023": ("1193.20", "1193.19"),
}


def test_contradictions_are_computed_not_copied(f):
    row = {(r.code): r for r in f.spending_rows()}
    general = {(r.code): r for r in f.general_rows}
    economic = {r.code: r["amount"] for r in f.economic_rows}
    computed = {
        "城乡社区支出, 收入支出决算总表 (all sources)": row["212"]["total"],
        "城乡社区支出, 财政拨款 tables and text": general["212"]["total"],
        "行政运行 (一般公共预算表): 合计 against 基本 + 项目": general["2120101"]["total"],
        "一般公共预算财政拨款支出": f.general_spending,
        "年末财政拨款结转和结余 (printed blank)": f.fiscal_closing_total,
        "卫生健康支出 in the two 总表 and the text": general["210"]["total"],
        "商品和服务支出 302": economic["302"],
        "公用经费合计": f.public,
        "人员经费合计": f.personnel,
        "年初预算 (its 13 项 add up to)": f.initial_budget_total,
        "完成率": f.against_budget.rate,
        "一般公共预算 share of 本年支出合计": f.share(f.general_spending, f.spending_this_year),
        "政府采购金额 (货物+工程+服务)": f.procurement["total"],
        "一般公共预算 change from 2023": f.general_change.diff,
    }
    for what, (published, expected) in CONTRADICTIONS.items():
        assert computed[what] == D(expected), what
        assert computed[what] != D(published), what


def test_the_published_figures_of_a_contradiction_are_not_printed(built):
    for fmt in ("html", "md", "pdf"):
        assert "3,845.25" not in built[fmt]
        assert "440.90" not in built[fmt]
        assert "2319.21" not in built[fmt] and "2,319.21" not in built[fmt]
    # 236.63 is printed once: 职工基本医疗保险缴费 (30110), not 卫生健康支出
    assert built["md"].count("236.63") == 1
    assert "| 301 | 10 | 职工基本医疗保险缴费 | 236.63 |" in built["md"]


def test_text_basic_spending_is_the_tables_not_all_sources(built, f):
    """The text's 一般公共预算财政拨款基本支出 5377.64 and 人员经费 4896.98 include the 12.89
    paid from the non-fiscal balance; the 一般公共预算 tables (and the build) do not."""
    assert f.spending_total()["basic"] - f.general_total["basic"] == D("12.89")
    assert D("4896.98") - D("4884.09") == D("12.89")
    md = built["md"]
    assert "一般公共预算财政拨款基本支出5364.74万元。其中：人员经费4884.10万元" in md
    assert "4896.98" not in md


def test_placeholder_and_percent_without_sign_are_not_reproduced(built):
    md = built["md"]
    assert "下降（增长）" not in md
    assert "2024年度“三公”经费财政拨款支出决算比2023年度减少0.15万元，下降27.78%。" in md
    assert "增长13.95。" not in md
    assert "一般公共预算财政拨款支出增加1193.19万元，增长13.95%。" in md


def test_no_rate_against_a_zero_budget(built, f):
    md = built["md"]
    assert "完成预算的0.00%" not in md
    assert "因公出国（境）费支出决算为0.00万元，年初预算为0" in md
    assert f.three_public["overseas"].rate is None
    assert f.three_public["total"].rate == D("13.68")


def test_item_names_come_from_the_catalogue(built):
    """The text calls 2080599 机关事业单位退休人员活动费支出, 2200199 其他国土资源事务支出 and
    22102 住房保障支出（款）; the tables (and the catalogue) name them otherwise."""
    md = built["md"]
    assert "机关事业单位退休人员活动费支出" not in md
    assert "其他国土资源事务支出" not in md
    assert "自然资源事务（款）其他自然资源事务支出（项）" in md
    assert "住房保障支出（类）住房改革支出（款）住房公积金（项）" in md


def test_operating_costs_as_given_not_the_public_spending(f):
    """机关运行经费 counts only 行政单位 and 参公 units: 142.80 given, not 公用经费 480.64."""
    assert f.operating_costs == D("142.80")
    assert f.public == D("480.64")
    assert f.operating_costs_change.word == "减少" and f.operating_costs_change.diff == D("13.52")


def test_finance_bureau_operating_costs_stay_its_public_spending():
    fb = compile_year(parse_year_spec("2024", ROOT / "examples" / "putuo-finance-bureau" / "data"))
    assert fb.model.final.operating_costs == fb.model.final.public == D("184.67")


def test_empty_fund_tables_say_why():
    tables = final_tables(_model())
    assert len(tables) == 9
    assert (
        tables[7].note
        == "注：上海市普陀区规划和自然资源局无政府性基金预算财政拨款支出，故本表无数据。"
    )
    assert (
        tables[8].note
        == "注：上海市普陀区规划和自然资源局无国有资本经营预算财政拨款支出，故本表无数据。"
    )
