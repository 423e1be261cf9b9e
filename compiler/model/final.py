"""Final accounts (决算): a year's actual income and spending, and every figure derived.

The primary facts are the 决算 lines (income by function 项 and source, spending by 项,
fund and kind, the 一般公共预算 basic spending by economic 款), the 年初结转和结余, the
年初预算 (from the same year's budget in the repository, else as published once), last
year's figures (from last year's final accounts, else as published once) and the unit's
words. Every 类/款 row, total, 年末结转和结余, share, change and 完成率 is a property here,
so each balance identity holds by construction: 年初 + 收入 − 支出 = 年末.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

ZERO = Decimal("0")
HUNDRED = Decimal("100")
FUNDS = ("general", "fund", "capital")
INCOME_SOURCES = (
    "general",
    "fund",
    "capital",
    "superior",
    "business",
    "operating",
    "affiliated",
    "other",
)
SPENDING_KINDS = ("basic", "project", "superior", "operating", "affiliated")
THREE_PUBLIC = ("overseas", "vehicle_purchase", "vehicle_operation", "reception")
PERSONNEL_CLASSES = ("301", "303")  # 人员经费; 302 and 310 are 公用经费


def budget_by_item(lines) -> dict[str, Decimal]:
    """年初预算 by 项 (万元, exact): a budget's 一般公共预算 lines (`model.lines.BudgetLines`)
    summed by function code. The one query both the final accounts' 年初预算 and the
    reviewer's budget-against-outturn comparison read."""
    by_code: dict[str, Decimal] = {}
    for line in lines.function_lines("general"):  # 一般公共预算 (sources are named)
        by_code[line.code] = by_code.get(line.code, ZERO) + lines.wan(line.total)
    return by_code


def budget_three_public(budget) -> dict[str, Decimal] | None:
    """A budget's 三公 预算数 (万元) by item, when it publishes them."""
    if budget.three_public is None:
        return None
    current = budget.three_public.current
    return {k: getattr(current, k) for k in THREE_PUBLIC}


def pct(part: Decimal, whole: Decimal) -> Decimal | None:
    """part / whole in percent, two decimals, half up; None when whole is zero."""
    if not whole:
        return None
    return (part * HUNDRED / whole).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class Compare:
    """A figure against its base (last year's, or the 年初预算): the words follow the
    figures, and a zero base has no percentage and no 完成率."""

    current: Decimal
    base: Decimal | None  # None: the base is not published

    @property
    def known(self) -> bool:
        return self.base is not None

    @property
    def diff(self) -> Decimal:
        return abs(self.current - (self.base or ZERO))

    @property
    def word(self) -> str:
        """增加 / 减少 / 持平."""
        if self.base is None or self.current == self.base:
            return "持平"
        return "增加" if self.current > self.base else "减少"

    @property
    def rise(self) -> str:
        return {"增加": "增长", "减少": "下降"}.get(self.word, "")

    @property
    def percent(self) -> Decimal | None:
        """The change in percent of the base; None from a zero base ("增长100%" from
        nothing is never written)."""
        if self.base is None or not self.base:
            return None
        return pct(self.diff, self.base)

    @property
    def rate(self) -> Decimal | None:
        """完成率: the figure in percent of the base; None against a base of 0."""
        if self.base is None or not self.base:
            return None
        return pct(self.current, self.base)

    @property
    def relation(self) -> str:
        """大于 / 小于 / 等于: the figure against its base."""
        if self.current == self.base:
            return "等于"
        return "大于" if self.current > (self.base or ZERO) else "小于"


@dataclass(frozen=True)
class Row:
    """One row of a table: its codes, name and the figures of its columns."""

    level: str  # "类", "款", "项", "total"
    code: str
    name: str
    values: dict[str, Decimal] = field(default_factory=dict)

    @property
    def class_code(self) -> str:
        return self.code[:3]

    @property
    def kuan(self) -> str:
        return self.code[3:5]

    @property
    def item(self) -> str:
        return self.code[5:7]

    def __getitem__(self, key: str) -> Decimal:
        return self.values.get(key, ZERO)


@dataclass(frozen=True)
class ItemNote:
    code: str
    use: str
    reason: str | None = None


@dataclass(frozen=True)
class FinalAccounts:
    """One unit's final accounts for one year (amounts in `amount_unit`, as published)."""

    year: int
    amount_unit: str
    names: dict[str, str]  # function and economic codes → names (the year's catalogue)
    income: tuple[tuple[str, dict[str, Decimal]], ...]  # (项 code, source → amount)
    spending: tuple[tuple[str, str, dict[str, Decimal]], ...]  # (项 code, fund, kind → amount)
    economic: tuple[tuple[str, Decimal], ...]  # (款 code, amount): 一般公共预算 basic
    opening_all: Decimal = ZERO
    opening_fiscal: dict[str, Decimal] = field(default_factory=dict)
    non_fiscal_balance_used: Decimal = ZERO
    surplus_distributed: Decimal = ZERO
    initial_budget: dict[str, Decimal] = field(default_factory=dict)  # 项 → 年初预算 (general)
    initial_budget_from: str = "typed"  # "budget": the same year's budget in the repository
    initial_three_public: dict[str, Decimal] | None = None
    previous: dict[str, Any] = field(default_factory=dict)  # last year's figures, by name
    previous_from: str = "typed"  # "final": last year's final accounts in the repository
    notes: dict[str, Any] = field(default_factory=dict)  # the unit's words and counts
    item_notes: tuple[ItemNote, ...] = ()

    # -- sums along the lines ---------------------------------------------------------

    def _name(self, code: str) -> str:
        return self.names.get(code, code)

    def _grouped(self, entries: list[tuple[str, dict[str, Decimal]]], keys) -> list[Row]:
        """类, 款 and 项 rows (in code order) of entries keyed by 项 code."""
        sums: dict[tuple[str, str], dict[str, Decimal]] = {}
        for code, values in entries:
            for level, prefix in (("类", code[:3]), ("款", code[:5]), ("项", code)):
                row = sums.setdefault((prefix, level), {k: ZERO for k in keys})
                for k in keys:
                    row[k] += values.get(k, ZERO)
        return [
            Row(level, code, self._name(code), values)
            for (code, level), values in sorted(sums.items())
        ]

    @staticmethod
    def _total(rows: list[Row], keys) -> Row:
        return Row(
            "total",
            "",
            "合计",
            {k: sum((r[k] for r in rows if r.level == "类"), ZERO) for k in keys},
        )

    # 收入决算表 ------------------------------------------------------------------------
    INCOME_COLUMNS = ("total", "fiscal", "superior", "business", "operating", "affiliated", "other")

    def _income_entries(self) -> list[tuple[str, dict[str, Decimal]]]:
        out = []
        for code, amounts in self.income:
            fiscal = sum((amounts.get(f, ZERO) for f in FUNDS), ZERO)
            values = {"fiscal": fiscal, **{k: amounts.get(k, ZERO) for k in INCOME_SOURCES}}
            values["total"] = fiscal + sum(
                (amounts.get(k, ZERO) for k in INCOME_SOURCES if k not in FUNDS), ZERO
            )
            out.append((code, values))
        return out

    @property
    def income_rows(self) -> list[Row]:
        keys = (*self.INCOME_COLUMNS, *FUNDS)
        return self._grouped(self._income_entries(), keys)

    @property
    def income_total(self) -> Row:
        return self._total(self.income_rows, (*self.INCOME_COLUMNS, *FUNDS))

    # 支出决算表 ------------------------------------------------------------------------
    SPENDING_COLUMNS = ("total", *SPENDING_KINDS)

    def _spending_entries(self, funds=None) -> list[tuple[str, dict[str, Decimal]]]:
        out = []
        for code, fund, amounts in self.spending:
            if funds is not None and fund not in funds:
                continue
            values = {k: amounts.get(k, ZERO) for k in SPENDING_KINDS}
            values["total"] = sum(values.values(), ZERO)
            out.append((code, values))
        return out

    def spending_rows(self, funds=None) -> list[Row]:
        return self._grouped(self._spending_entries(funds), self.SPENDING_COLUMNS)

    def spending_total(self, funds=None) -> Row:
        return self._total(self.spending_rows(funds), self.SPENDING_COLUMNS)

    @property
    def general_rows(self) -> list[Row]:
        """一般公共预算财政拨款支出决算表, to 项, with 基本/项目."""
        return self.spending_rows(("general",))

    @property
    def general_total(self) -> Row:
        return self.spending_total(("general",))

    def fund_rows(self, fund: str) -> list[Row]:
        return self.spending_rows((fund,))

    # 收入支出决算总表 / 财政拨款收入支出决算总表: spending by 类 ---------------------------

    def class_spending(self) -> list[Row]:
        """Every fund's spending by 类, with a column per fund: the overview tables."""
        entries = []
        for code, fund, amounts in self.spending:
            total = sum((amounts.get(k, ZERO) for k in SPENDING_KINDS), ZERO)
            entries.append(
                (code, {"total": total, fund: total, "fiscal": total if fund in FUNDS else ZERO})
            )
        rows = self._grouped(entries, ("total", "fiscal", *FUNDS, "other"))
        return [r for r in rows if r.level == "类"]

    @property
    def income_this_year(self) -> Decimal:
        return self.income_total["total"]

    @property
    def spending_this_year(self) -> Decimal:
        return self.spending_total()["total"]

    @property
    def closing_all(self) -> Decimal:
        """年末结转和结余 = 年初 + 本年收入 + 使用非财政拨款结余 − 本年支出 − 结余分配."""
        return (
            self.opening_all
            + self.income_this_year
            + self.non_fiscal_balance_used
            - self.spending_this_year
            - self.surplus_distributed
        )

    @property
    def grand_total(self) -> Decimal:
        """收入支出总计 (= 本年支出 + 结余分配 + 年末结转和结余, by construction)."""
        return self.income_this_year + self.non_fiscal_balance_used + self.opening_all

    def fiscal_income(self, fund: str) -> Decimal:
        return self.income_total[fund]

    def fiscal_spending(self, fund: str) -> Decimal:
        return self.spending_total((fund,))["total"]

    def opening(self, fund: str) -> Decimal:
        return self.opening_fiscal.get(fund, ZERO)

    def closing(self, fund: str) -> Decimal:
        """年末结转和结余 of a fund: 年初 + 本年收入 − 本年支出."""
        return self.opening(fund) + self.fiscal_income(fund) - self.fiscal_spending(fund)

    @property
    def fiscal_income_total(self) -> Decimal:
        return sum((self.fiscal_income(f) for f in FUNDS), ZERO)

    @property
    def fiscal_spending_total(self) -> Decimal:
        return sum((self.fiscal_spending(f) for f in FUNDS), ZERO)

    @property
    def fiscal_opening_total(self) -> Decimal:
        return sum((self.opening(f) for f in FUNDS), ZERO)

    @property
    def fiscal_closing_total(self) -> Decimal:
        return sum((self.closing(f) for f in FUNDS), ZERO)

    @property
    def fiscal_grand_total(self) -> Decimal:
        return self.fiscal_income_total + self.fiscal_opening_total

    # 一般公共预算财政拨款基本支出决算表 -----------------------------------------------------

    @property
    def economic_rows(self) -> list[Row]:
        """类 rows then their 款 rows, in code order."""
        sums: dict[str, Decimal] = {}
        for code, amount in self.economic:
            sums[code[:3]] = sums.get(code[:3], ZERO) + amount
            sums[code] = sums.get(code, ZERO) + amount
        return [
            Row("类" if len(c) == 3 else "款", c, self._name(c), {"amount": v})
            for c, v in sorted(sums.items())
        ]

    @property
    def personnel(self) -> Decimal:
        return sum((a for c, a in self.economic if c[:3] in PERSONNEL_CLASSES), ZERO)

    @property
    def public(self) -> Decimal:
        return sum((a for c, a in self.economic if c[:3] not in PERSONNEL_CLASSES), ZERO)

    def economic_names(self, personnel: bool) -> list[str]:
        """The 款 with spending, by name: what 人员经费 (or 公用经费) mainly holds."""
        return [
            self._name(c)
            for c, a in sorted(self.economic)
            if a and (c[:3] in PERSONNEL_CLASSES) == personnel
        ]

    # 年初预算 against 决算 ----------------------------------------------------------------

    @property
    def general_spending(self) -> Decimal:
        return self.general_total["total"]

    @property
    def initial_budget_total(self) -> Decimal:
        return sum(self.initial_budget.values(), ZERO)

    @property
    def against_budget(self) -> Compare:
        return Compare(self.general_spending, self.initial_budget_total)

    def item_against_budget(self, code: str) -> Compare:
        row = next((r for r in self.general_rows if r.level == "项" and r.code == code), None)
        return Compare(row["total"] if row else ZERO, self.initial_budget.get(code, ZERO))

    @property
    def budget_items(self) -> list[tuple[Row, Compare, ItemNote | None]]:
        """Every 项 with 决算 or 年初预算, its comparison and the unit's note."""
        notes = {n.code: n for n in self.item_notes}
        rows = {r.code: r for r in self.general_rows if r.level == "项"}
        codes = sorted(set(rows) | set(self.initial_budget))
        return [
            (rows.get(c) or Row("项", c, self._name(c)), self.item_against_budget(c), notes.get(c))
            for c in codes
        ]

    def class_path(self, code: str) -> list[str]:
        """一般公共服务支出, 财政事务, 行政运行: the names of a 项 and its 类 and 款."""
        return [self._name(code[:3]), self._name(code[:5]), self._name(code)]

    # 三公 ----------------------------------------------------------------------------------

    @property
    def three_public(self) -> dict[str, Compare]:
        """Each item and the total 决算 against its 年初预算 (the budget's, or as typed)."""
        outturn = (self.notes.get("three_public") or {}).get("outturn") or {}
        budget = self.initial_three_public
        out = {}
        for k in THREE_PUBLIC:
            out[k] = Compare(outturn.get(k, ZERO), None if budget is None else budget.get(k, ZERO))
        out["vehicles"] = Compare(
            out["vehicle_purchase"].current + out["vehicle_operation"].current,
            None
            if budget is None
            else out["vehicle_purchase"].base + out["vehicle_operation"].base,
        )
        out["total"] = Compare(
            sum((out[k].current for k in THREE_PUBLIC), ZERO),
            None if budget is None else sum((out[k].base for k in THREE_PUBLIC), ZERO),
        )
        return out

    @property
    def three_public_previous(self) -> dict[str, Compare]:
        """Each item against last year's 决算 (None base: not published)."""
        last = self.previous.get("three_public")
        now = self.three_public
        out = {}
        for k in THREE_PUBLIC:
            out[k] = Compare(now[k].current, None if last is None else last.get(k, ZERO))
        for k, parts in (
            ("vehicles", ("vehicle_purchase", "vehicle_operation")),
            ("total", THREE_PUBLIC),
        ):
            out[k] = Compare(
                now[k].current,
                None if last is None else sum((last.get(p, ZERO) for p in parts), ZERO),
            )
        return out

    # last year ------------------------------------------------------------------------------

    def _versus(self, name: str, current: Decimal) -> Compare:
        return Compare(current, self.previous.get(name))

    @property
    def total_change(self) -> Compare:
        return self._versus("total", self.grand_total)

    @property
    def fiscal_change(self) -> Compare:
        return self._versus("fiscal_total", self.fiscal_grand_total)

    @property
    def general_change(self) -> Compare:
        return self._versus("general_spending", self.general_spending)

    @property
    def operating_costs(self) -> Decimal:
        """机关运行经费: the 公用经费 of the 一般公共预算 basic spending, unless the notes
        give it (a department with 事业单位: only its 行政单位 and 参公 units' 公用经费
        count, and no table prints that part)."""
        given = (self.notes.get("operating_costs") or {}).get("amount")
        return self.public if given is None else Decimal(given)

    @property
    def operating_costs_change(self) -> Compare:
        return self._versus("operating_costs", self.operating_costs)

    # shares --------------------------------------------------------------------------------

    def share(self, part: Decimal, whole: Decimal) -> Decimal | None:
        return pct(part, whole)

    @property
    def procurement(self) -> dict[str, Decimal] | None:
        p = self.notes.get("procurement")
        if p is None:
            return None
        return {**p, "total": p["goods"] + p["works"] + p["services"]}

    @property
    def is_fund_empty(self) -> bool:
        return not (self.fund_rows("fund") or self.opening("fund") or self.fiscal_income("fund"))

    @property
    def is_capital_empty(self) -> bool:
        return not (
            self.fund_rows("capital") or self.opening("capital") or self.fiscal_income("capital")
        )
