"""What the nine 决算 tables of an imported workbook must satisfy before anything is written.

The budget import's checks (import_checks) where the tables are alike — codes and names
against the year's catalogue, each 类 and 款 row and each 合计 row against the rows under it
in every column, the 三公 决算数 against what basic expenditure alone gives 30212, 30217
and 30231, and the odd figure out among the tables that show it — and here what only final
accounts have:

- each row's 合计 against its columns (收入: 财政拨款 + 上级补助 + 事业 + 经营 + 附属单位上缴
  + 其他; 支出: 基本 + 项目 + 上缴上级 + 经营 + 对附属单位补助; 三公 预算数 and 决算数 alike);
- the balances: 年初结转和结余 + 本年收入 + 使用非财政拨款结余 = 本年支出 + 结余分配 +
  年末结转和结余, for all funds (收入支出决算总表) and for each fiscal fund (财政拨款收入支出
  决算总表, the 政府性基金 and 国有资本经营 tables); 人员经费合计 and 公用经费合计 against
  their 类;
- the tables against each other: the overviews' lines against the 收入/支出决算表 totals,
  the fiscal overview against the fund tables, the 基本支出决算表 against the 基本支出 of the
  一般公共预算 table.
"""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal

from ..diagnostics import Diagnostic
from ..i18n import _
from ..input.catalogue import Catalogue
from .final_tables import FinalTable
from .import_checks import (
    Seen,
    classes_add_up,
    codes,
    disagreements,
    money,
    overview_classes,
    row_problems,
    seen_of,
    sum_problem,
    summed,
    three_public,
)
from .import_tables import Figure, problem

FUNDS = ("general", "fund", "capital")
FUND_TABLES = {
    "general": "general_function",
    "fund": "fund_function",
    "capital": "capital_function",
}
INCOME_LINES = (
    "general",
    "fund",
    "capital",
    "superior_income",
    "business",
    "operating_income",
    "affiliated_income",
    "other",
)
SPENDING_KINDS = (
    "basic",
    "project",
    "superior_spending",
    "operating_spending",
    "affiliated_spending",
)
_THREE = (("total", ("overseas", "reception", "vehicles")),)
_VEHICLES = (("vehicles", ("vehicle_purchase", "vehicle_operation")),)
RULES = {  # each row's 合计 against its columns
    "income": (("total", ("fiscal", *INCOME_LINES[3:])),),
    "expenditure": (("total", SPENDING_KINDS),),
    "general_function": (("total", ("basic", "project")),),
    "fund_function": (("total", ("basic", "project")),),
    "capital_function": (("total", ("basic", "project")),),
    "fiscal_overview": (("total", FUNDS),),
    "three_public": (
        *_THREE,
        *_VEHICLES,
        *(
            (f"budget_{whole}", tuple(f"budget_{p}" for p in parts))
            for whole, parts in (*_THREE, *_VEHICLES)
        ),
    ),
}
# How messages name the overviews' lines.
LINE_WORDS = {
    "general": "一般公共预算财政拨款",
    "fund": "政府性基金预算财政拨款",
    "capital": "国有资本经营预算财政拨款",
    "income_total": "本年收入合计",
    "non_fiscal_balance_used": "使用非财政拨款结余",
    "opening": "年初结转和结余",
    "grand_total": "总计",
    "spending_total": "本年支出合计",
    "surplus_distributed": "结余分配",
    "closing": "年末结转和结余",
    "income": "本年收入",
    **{f"opening_{f}": f"年初结转和结余（{w}）" for f, w in (
        ("general", "一般公共预算财政拨款"),
        ("fund", "政府性基金预算财政拨款"),
        ("capital", "国有资本经营预算财政拨款"),
    )},
}  # fmt: skip


def check(tables: dict[str, FinalTable], catalogue: Catalogue) -> list[Diagnostic]:
    """Every problem of the workbook's figures (the overviews' 类 rows get their codes)."""
    problems: list[Diagnostic] = []
    for rule in (
        codes,
        overview_classes,
        rows_add_up,
        classes_add_up,
        balances,
        tables_agree,
        three_public,
    ):
        problems += rule(tables, catalogue)
    return problems


def rows_add_up(tables: dict[str, FinalTable], catalogue: Catalogue) -> list[Diagnostic]:
    """Each row's 合计 (and each 本年支出合计, 年末, 总计 line of the fiscal overview)
    against its columns."""
    problems = []
    for table in tables.values():
        rules = RULES.get(table.kind)
        if rules is None:
            continue
        for figures in (*(r.amounts for r in table.rows), table.total, *table.right.values()):
            problems += row_problems(table, figures, rules)
    return problems


def _word(name: str) -> str:
    return LINE_WORDS.get(name, name)


def _identity(
    what: str, whole: Figure, plus: list[tuple[str, Figure]], minus=()
) -> list[Diagnostic]:
    """`whole` (the line `what`) against what its parts give: a sum, or a balance
    (年初 + 收入 − 支出)."""
    computed = sum((f.value for _n, f in plus), Decimal(0)) - sum(
        (f.value for _n, f in minus), Decimal(0)
    )
    if computed == whole.value:
        return []
    formula = " + ".join(f"{_word(n)} {money(f.value)}" for n, f in plus)
    formula += "".join(f" − {_word(n)} {money(f.value)}" for n, f in minus)
    return [
        problem(
            whole.cell,
            _(
                "{what} is {amount}, but {formula} gives {computed} (difference "
                "{difference}): correct the figure that is wrong"
            ).format(
                what=what,
                amount=money(whole.value),
                formula=formula,
                computed=money(computed),
                difference=money(whole.value - computed),
            ),
        )
    ]


def _lines(figures: dict[str, Figure], names) -> list[tuple[str, Figure]]:
    return [(n, figures[n]) for n in names if n in figures]


def balances(tables: dict[str, FinalTable], catalogue: Catalogue) -> list[Diagnostic]:
    """年初结转和结余 + 收入 = 支出 + 结余分配 + 年末结转和结余, for all funds and each fiscal
    fund; each 总计 and 本年收入合计 against its lines; 人员/公用经费合计 against their 类."""
    problems = _overview_balances(tables.get("overview"))
    problems += _fiscal_balances(tables.get("fiscal_overview"))
    for kind in ("fund_function", "capital_function"):
        table = tables.get(kind)
        if table is not None and {"opening", "income", "closing"} <= table.balances.keys():
            spent = table.total.get("total")
            problems += _identity(
                "年末结转和结余",
                table.balances["closing"],
                _lines(table.balances, ("opening", "income")),
                [("本年支出", spent)] if spent is not None else [],
            )
    economic = tables.get("economic")
    if economic is not None:
        classes = [r for r in economic.rows if len(r.code) == 3]
        for name, personnel in (("personnel", True), ("public", False)):
            if name in economic.balances:
                parts = [r for r in classes if (r.code in ("301", "303")) == personnel]
                problems += _identity(
                    "人员经费合计" if personnel else "公用经费合计",
                    economic.balances[name],
                    [(f"{r.code} {r.name}", r.amounts["total"]) for r in parts],
                )
    return problems


def _overview_balances(overview: FinalTable | None) -> list[Diagnostic]:
    """收入支出决算总表: 本年收入合计 and both 总计 against their lines, and 年末结转和结余 =
    年初 + 本年收入 + 使用非财政拨款结余 − 本年支出 − 结余分配."""
    problems: list[Diagnostic] = []
    if overview is None:
        return problems
    left, right = overview.left, {k: v.get("total") for k, v in overview.right.items()}
    right = {k: v for k, v in right.items() if v is not None}
    if "income_total" in left:
        problems += sum_problem(
            left["income_total"],
            [left[n] for n in INCOME_LINES if n in left],
            [_word(n) for n in INCOME_LINES if n in left],
        )
    if "grand_total" in left:
        problems += _identity(
            "总计",
            left["grand_total"],
            _lines(left, ("income_total", "non_fiscal_balance_used", "opening")),
        )
    if "closing" in right:
        problems += _identity(
            "年末结转和结余",
            right["closing"],
            _lines(left, ("opening", "income_total", "non_fiscal_balance_used")),
            _lines(right, ("spending_total", "surplus_distributed")),
        )
    if "grand_total" in right:
        problems += _identity(
            "总计",
            right["grand_total"],
            _lines(right, ("spending_total", "surplus_distributed", "closing")),
        )
    return problems


def _fiscal_balances(table: FinalTable | None) -> list[Diagnostic]:
    if table is None:
        return []
    problems = []
    left, right = table.left, table.right
    if "income_total" in left:
        problems += _identity("本年收入合计", left["income_total"], _lines(left, FUNDS))
    if "opening" in left:
        parts = _lines(left, [f"opening_{f}" for f in FUNDS])
        problems += _identity("年初财政拨款结转和结余", left["opening"], parts)
    if "grand_total" in left:
        problems += _identity(
            "总计", left["grand_total"], _lines(left, ("income_total", "opening"))
        )
    spent, closing = right.get("spending_total", {}), right.get("closing", {})
    for fund in FUNDS:
        if fund in closing and fund in spent:
            problems += _identity(
                f"年末结转和结余（{LINE_WORDS[fund]}）",
                closing[fund],
                _lines(left, (f"opening_{fund}", fund)),
                [("spending_total", spent[fund])],
            )
    for column, figure in right.get("grand_total", {}).items():
        parts = [("spending_total", spent[column])] if column in spent else []
        parts += [("closing", closing[column])] if column in closing else []
        problems += _identity("总计", figure, parts)
    return problems


def _seen(figure: Figure | None) -> Seen | None:
    return None if figure is None else Seen(figure.value, figure.cell, figure.cell)


def tables_agree(tables: dict[str, FinalTable], catalogue: Catalogue) -> list[Diagnostic]:
    """Every figure two tables show, compared; the odd one out is named with the figure the
    others agree on."""
    figures: dict[tuple[str, str], list[Seen]] = defaultdict(list)

    def add(key, seen):
        if seen is not None:
            figures[key].append(seen)

    t = tables.get
    overview, fiscal_overview = t("overview"), t("fiscal_overview")
    income, spending = t("income"), t("expenditure")
    funds = {f: t(k) for f, k in FUND_TABLES.items()}

    def row(table, code):
        return next((r for r in table.rows if r.code == code), None) if table else None

    classes = {
        r.code
        for table in (overview, spending, fiscal_overview, *funds.values())
        if table is not None
        for r in table.rows
        if r.code and len(r.code) == 3
    }
    for code in sorted(classes):
        add((code, "本年支出"), seen_of(overview, row(overview, code), "total"))
        add((code, "本年支出"), seen_of(spending, row(spending, code), "total"))
        for fund, table in funds.items():
            add(
                (code, LINE_WORDS[fund]), seen_of(fiscal_overview, row(fiscal_overview, code), fund)
            )
            add((code, LINE_WORDS[fund]), seen_of(table, row(table, code), "total"))

    def line(table, name):
        return _seen(table.left.get(name)) if table is not None else None

    def right(table, name, column="total"):
        return _seen(table.right.get(name, {}).get(column)) if table is not None else None

    def total(table, name):
        return _seen(table.total.get(name)) if table is not None else None

    def balance(table, name):
        return _seen(table.balances.get(name)) if table is not None else None

    add(("", "本年收入合计"), line(overview, "income_total"))
    add(("", "本年收入合计"), total(income, "total"))
    add(("", "本年支出合计"), right(overview, "spending_total"))
    add(("", "本年支出合计"), total(spending, "total"))
    add(("", "财政拨款收入"), total(income, "fiscal"))
    add(("", "财政拨款收入"), line(fiscal_overview, "income_total"))
    add(("", "财政拨款收入"), summed([line(overview, f) for f in FUNDS]))
    for name in INCOME_LINES[3:]:
        add(("", name), line(overview, name))
        add(("", name), total(income, name))
    for fund, table in funds.items():
        word = LINE_WORDS[fund]
        add(("", f"{word}收入"), line(overview, fund))
        add(("", f"{word}收入"), line(fiscal_overview, fund))
        add(("", f"{word}支出"), right(fiscal_overview, "spending_total", fund))
        add(("", f"{word}支出"), total(table, "total"))
        if fund != "general":
            add(("", f"{word}收入"), balance(table, "income"))
            add(("", f"{word}年初结转和结余"), line(fiscal_overview, f"opening_{fund}"))
            add(("", f"{word}年初结转和结余"), balance(table, "opening"))
            add(("", f"{word}年末结转和结余"), right(fiscal_overview, "closing", fund))
            add(("", f"{word}年末结转和结余"), balance(table, "closing"))
    problems = [p for key, seen in figures.items() for p in disagreements(key, seen, catalogue)]
    return problems + _two_marginals(funds["general"], t("economic"), catalogue)


def _two_marginals(general, economic, catalogue: Catalogue) -> list[Diagnostic]:
    """The 一般公共预算 basic spending by function 项 and by economic 款: two marginals of
    the same spending, each a fact the final accounts hold as published (outturn.yaml's
    spending and economic). Both real Putuo 2024 决算 differ here by 0.01–0.02 of rounding,
    so a difference is a warning naming both figures, never a refusal."""
    if general is None or economic is None or "basic" not in general.total:
        return []
    by_class = summed([_seen(economic.balances.get(n)) for n in ("personnel", "public")])
    if by_class is None:
        return []
    function = general.total["basic"]
    if function.value == by_class.value:
        return []
    return [
        problem(
            function.cell,
            _(
                "一般公共预算财政拨款基本支出 is {function} by function 项 ({cell}) but "
                "{economic} by economic 款 ({cells}): both are imported as printed; check "
                "which of the two tables is wrong"
            ).format(
                function=money(function.value),
                cell=function.cell,
                economic=money(by_class.value),
                cells=by_class.where,
            ),
            severity="warning",
        )
    ]
