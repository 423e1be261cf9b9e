"""The computed figures of the real 2022 model against the figures the published seed states."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from fractions import Fraction

from hypothesis import given
from hypothesis import strategies as st

from compiler import to_tree
from compiler.input.loader import leaves
from compiler.model.disclosure import Change, Income
from compiler.numbers import money

D = Decimal


# --- 二、单位预算安排的总体情况 ---


def test_income_total(model_2022):
    assert model_2022.budget.income.total == D("9569.88")


def test_expenditure_total(model_2022):
    assert model_2022.budget.expenditure.total == D("9569.88")


def test_basic_and_project_expenditure(model_2022):
    assert model_2022.budget.expenditure.basic == D("4158.17")
    assert model_2022.budget.expenditure.project == D("5411.71")


def test_total_change(model_2022):
    change = model_2022.budget.total_change
    assert change.amount == D("-1882.92")
    assert change.direction == "减少"
    assert change.magnitude == D("1882.92")


def test_basic_change(model_2022):
    change = model_2022.budget.basic_change
    assert change.amount == D("448.2")
    assert money(change.amount) == "448.20"
    assert change.direction == "增加"


def test_project_change(model_2022):
    change = model_2022.budget.project_change
    assert change.amount == D("-2331.12")
    assert change.direction == "减少"
    assert change.magnitude == D("2331.12")


# --- 三、机关运行经费 / 四、“三公”经费 ---


def test_operating_costs(model_2022):
    assert model_2022.operating_costs.amount == D("851.12")


def test_three_public_totals(model_2022):
    current = model_2022.three_public.current
    assert current.total == D("80.32")
    assert current.vehicles == D("59.65")


def test_three_public_changes(model_2022):
    changes = model_2022.three_public.changes
    assert changes["total"].amount == D("-26.5")
    assert changes["total"].direction == "减少"
    assert changes["vehicles"].amount == D("-25.5")
    assert changes["vehicles"].direction == "减少"
    assert changes["vehicle_purchase"].amount == D("0")
    assert changes["vehicle_purchase"].direction == "持平"
    assert changes["reception"].amount == D("-1")
    assert changes["reception"].direction == "减少"


# --- 六、政府采购 / 七、国有资产 ---


def test_procurement_total_and_subtotals(model_2022):
    procurement = model_2022.procurement
    assert procurement.total == D("121.70")
    assert [p.subtotal for p in procurement.projects] == [D("30.00"), D("1.70"), D("90.00")]
    assert [money(p.subtotal) for p in procurement.projects] == ["30.00", "1.70", "90.00"]


def test_procurement_item_amount_is_quantity_times_unit_price(model_2022):
    item = model_2022.procurement.projects[0].items[0]
    assert item.name == "台式计算机"
    assert item.quantity == D("10")
    assert item.unit_price == D("0.70")
    assert item.amount == D("7.00")
    assert money(item.amount) == "7.00"


def test_procurement_funding_and_sme_totals(model_2022):
    procurement = model_2022.procurement
    assert procurement.funding_totals["一般公共预算拨款"] == D("121.70")
    assert sum(procurement.funding_totals.values(), D(0)) == D("121.70")
    assert procurement.sme_total == D("121.70")


def test_assets(model_2022):
    assert model_2022.assets.total == D("8743.34")
    assert model_2022.assets.as_of == date(2021, 12, 31)


def test_planned_asset_purchases(model_2022):
    assert model_2022.planned_asset_purchases == D("121.70")


# --- counts and order ---


def test_counts(model_2022):
    m = model_2022
    assert len(m.duties) == 21
    assert len(m.legal_bases) == 4
    assert len(m.performance.sub_goals) == 8
    assert len(m.performance.measures) == 8
    assert len(m.indicators) == 18
    assert len(m.projects) == 11
    assert len(m.procurement.items) == 17
    assert len(m.glossary) == 10


def test_projects_in_file_order(model_2022):
    projects = model_2022.projects
    assert projects[0].name == "机关办公楼运转经费"
    assert projects[0].key == "01-office-building"
    assert projects[-1].name == "信息网络升级维护经费"
    assert projects[-1].key == "11-network"
    keys = [p.key for p in projects]
    assert keys == sorted(keys)


# --- the exported tree is exact ---


MONEY_KEYS = {
    "general_budget", "fund_budget", "special_account", "other", "carried_over",
    "personnel", "public_operating", "project", "basic", "total",
    "previous_basic", "previous_project", "previous_total", "previous", "current",
    "amount", "overseas", "vehicle_purchase", "vehicle_operation", "vehicles", "reception",
    "budget", "unit_price", "subtotal", "sme_amount", "sme_total", "value",
    "planned_asset_purchases",
}  # fmt: skip


def test_tree_has_no_float_anywhere(model_2022):
    floats = [(path, v) for path, v in leaves(to_tree(model_2022)) if isinstance(v, float)]
    assert floats == []


def test_every_money_value_in_tree_is_decimal(model_2022):
    tree = to_tree(model_2022)
    money_leaves = [
        (path, v)
        for path, v in leaves(tree)
        if any(isinstance(p, str) and p in MONEY_KEYS for p in path[-1:])
        and v is not None
        and not isinstance(v, str)
    ]
    assert len(money_leaves) > 100  # the walk did reach the figures
    wrong = [(path, v) for path, v in money_leaves if type(v) is not Decimal]
    assert wrong == []
    # every funding column total, too
    assert all(type(v) is Decimal for v in tree["procurement"]["funding_totals"].values())
    # and the derived figures are in the tree with their exact values
    assert tree["budget"]["income"]["total"] == D("9569.88")
    assert tree["budget"]["total_change"]["amount"] == D("-1882.92")
    assert tree["planned_asset_purchases"] == D("121.70")


# --- properties ---

amounts = st.decimals(
    min_value=0, max_value=D("99999999.99"), places=2, allow_nan=False, allow_infinity=False
)


@given(amounts, amounts, amounts, amounts, amounts)
def test_income_total_is_the_exact_sum(a, b, c, d, e):
    income = Income(general_budget=a, fund_budget=b, special_account=c, other=d, carried_over=e)
    total = income.total
    assert isinstance(total, Decimal)
    assert Fraction(total) == sum(Fraction(x) for x in (a, b, c, d, e))
    assert total.as_tuple().exponent >= -2


@given(amounts, amounts)
def test_change_amount_added_to_previous_gives_current(previous, current):
    change = Change(previous, current)
    assert isinstance(change.amount, Decimal)
    assert change.amount + previous == current
    assert change.magnitude == abs(current - previous)
    expected = "增加" if current > previous else "减少" if current < previous else "持平"
    assert change.direction == expected
