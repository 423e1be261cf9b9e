"""Import final accounts (决算) from a workbook laid out as the nine template tables.

The tables are read (final_tables) and checked (final_checks) as strictly as a budget
workbook; from tables that agree come the facts final/outturn.yaml holds, and nothing the
model computes (类/款 rows, totals, 年末结转和结余):

- income per 项 by source: the 收入决算表's row; its 财政拨款收入 goes to the one fund that
  has income, else to the one fund whose table spends on the 项 (two cannot be divided, and
  are reported);
- spending per 项 and fund: the 一般公共预算, 政府性基金 and 国有资本经营 tables give the
  fiscal basic and project spending; what the 支出决算表 shows beyond them (and all of its
  上缴上级, 经营 and 对附属单位补助 spending) is `source: other`;
- the 一般公共预算 basic spending by economic 款; the balances carried in (年初结转和结余, its
  财政拨款 part by fund), 使用非财政拨款结余 and 结余分配;
- the 三公 table: its 决算数 (final-notes.yaml) and its 预算数, which are not outturn
  (final_budget decides where they go).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from pathlib import Path

from ..diagnostics import Diagnostic
from ..i18n import _
from ..input.catalogue import catalogue_for
from .final_checks import FUND_TABLES, FUNDS, check
from .final_tables import FINAL, FUND_TITLES, KINDS, TITLES, FinalTable, read_sheet
from .import_tables import FIGURE_WORDS, Figure, common_unit, problem, read_tables, titles_match

THREE_PUBLIC = ("overseas", "vehicle_purchase", "vehicle_operation", "reception")
# 收入决算表 column → outturn.yaml income key; 支出决算表 column → spending key.
INCOME_KEYS = {
    "superior_income": "superior",
    "business": "business",
    "operating_income": "operating",
    "affiliated_income": "affiliated",
    "other": "other",
}
OTHER_SPENDING = {
    "superior_spending": "superior",
    "operating_spending": "operating",
    "affiliated_spending": "affiliated",
}


@dataclass
class ImportedFinal:
    amount_unit: str = "万元"
    income: list[dict] = field(default_factory=list)
    spending: list[dict] = field(default_factory=list)
    economic: list[dict] = field(default_factory=list)
    opening: dict[str, Decimal] = field(default_factory=dict)
    non_fiscal_balance_used: Decimal = Decimal(0)
    surplus_distributed: Decimal = Decimal(0)
    three_public: dict[str, Decimal] | None = None  # 决算数
    three_public_budget: dict[str, Figure] | None = None  # 预算数, each at its cell
    problems: list[Diagnostic] = field(default_factory=list)
    sheets: dict[str, str] = field(default_factory=dict)


def is_final(book) -> bool:
    """Whether a workbook holds final accounts: a sheet titled …决算表 or …决算总表."""
    return titles_match(book, FINAL)


def read_final_book(book, path: Path, year: int | None = None) -> ImportedFinal:
    """The final accounts' facts from an open workbook, after checking that its tables add
    up and agree; problems are located by sheet and cell."""
    result = ImportedFinal()
    tables: dict[str, FinalTable] = read_tables(book, result.problems, KINDS, read_sheet, year)
    result.sheets = {kind: table.sheet for kind, table in tables.items()}
    result.amount_unit = common_unit(tables, path, result.problems)
    for kind, title in TITLES.items():
        if kind not in tables:
            result.problems.append(
                problem(
                    str(path),
                    _("no sheet holds the {table} (recognised by its title)").format(table=title),
                )
            )
    result.problems += _fund_tables(tables, path)
    catalogue = catalogue_for(year if year is not None else date.today().year)
    result.problems += check(tables, catalogue)
    if any(p.is_error for p in result.problems):
        return result  # facts read from tables that do not agree would be guesses
    _income(tables, result)
    _spending(tables, result)
    result.economic = [
        {"code": r.code, "amount": r.amounts["total"].value}
        for r in sorted(tables["economic"].rows, key=lambda r: r.code)
        if len(r.code) == 5 and r.amounts["total"].value
    ]
    _balances(tables, result)
    _three_public(tables.get("three_public"), result)
    return result


def _fund_tables(tables: dict[str, FinalTable], path: Path) -> list[Diagnostic]:
    """The 政府性基金 and 国有资本经营 tables, where the fiscal overview shows their fund's
    figures: without them its spending could not be told from other sources'."""
    overview = tables.get("fiscal_overview")
    if overview is None:
        return []
    problems = []
    for fund, (kind, title) in FUND_TITLES.items():
        shown = [
            overview.left.get(fund),
            overview.left.get(f"opening_{fund}"),
            overview.right.get("spending_total", {}).get(fund),
        ]
        if kind not in tables and any(f is not None and f.value for f in shown):
            problems.append(
                problem(
                    str(path),
                    _("no sheet holds the {table} (recognised by its title)").format(table=title),
                )
            )
    return problems


def _leaves(table: FinalTable | None) -> list:
    return [r for r in table.rows if r.code and len(r.code) == 7] if table else []


def _income(tables: dict[str, FinalTable], result: ImportedFinal) -> None:
    """Each 项's income by source; its 财政拨款收入 to the fund it belongs to."""
    fiscal_overview = tables["fiscal_overview"]
    funded = [f for f in FUNDS if f in fiscal_overview.left and fiscal_overview.left[f].value]
    spent_by = {
        fund: {r.code for r in _leaves(tables.get(kind))} for fund, kind in FUND_TABLES.items()
    }
    by_fund = {f: Decimal(0) for f in FUNDS}
    for row in _leaves(tables["income"]):
        entry: dict = {"code": row.code}
        fiscal = row.amounts["fiscal"]
        if fiscal.value:
            owners = funded if len(funded) == 1 else [f for f in funded if row.code in spent_by[f]]
            if len(owners) != 1:
                result.problems.append(
                    problem(
                        fiscal.cell,
                        _(
                            "{code}: the tables do not say which fund its 财政拨款收入 {amount} "
                            "comes from (several funds have income); type the line in "
                            "final/outturn.yaml"
                        ).format(code=row.code, amount=fiscal.value),
                    )
                )
                continue
            entry[owners[0]] = fiscal.value
            by_fund[owners[0]] += fiscal.value
        for column, key in INCOME_KEYS.items():
            if column in row.amounts and row.amounts[column].value:
                entry[key] = row.amounts[column].value
        if len(entry) > 1:
            result.income.append(entry)
    for fund in funded:  # a 项 given to a fund it does not belong to shows here
        shown = fiscal_overview.left[fund]
        if by_fund[fund] != shown.value:
            result.problems.append(
                problem(
                    shown.cell,
                    _(
                        "{fund} income is {amount}, but the 项 the fund's table spends on "
                        "have {given} of 财政拨款收入 in the 收入决算表; type these lines in "
                        "final/outturn.yaml"
                    ).format(fund=FIGURE_WORDS[fund], amount=shown.value, given=by_fund[fund]),
                )
            )


def _spending(tables: dict[str, FinalTable], result: ImportedFinal) -> None:
    """Fiscal spending per 项 and fund from the fund tables; the rest of the 支出决算表's row
    is `source: other`."""
    fiscal: dict[str, dict[str, Decimal]] = {}
    lines = []
    for fund, kind in FUND_TABLES.items():
        for row in _leaves(tables.get(kind)):
            entry: dict = {"code": row.code, "source": fund}
            for name in ("basic", "project"):
                value = row.amounts[name].value if name in row.amounts else Decimal(0)
                if value:
                    entry[name] = value
                    part = fiscal.setdefault(row.code, {"basic": Decimal(0), "project": Decimal(0)})
                    part[name] += value
            if len(entry) > 2:
                lines.append(entry)
    listed = {row.code for row in _leaves(tables["expenditure"])}
    for kind in FUND_TABLES.values():
        for row in _leaves(tables.get(kind)):
            if row.code not in listed and any(f.value for f in row.amounts.values()):
                result.problems.append(
                    problem(
                        row.code_cell,
                        _(
                            "{code} has spending in this table but no row in the {table}: "
                            "add the row there, or correct the code"
                        ).format(code=row.code, table=TITLES["expenditure"]),
                    )
                )
    for row in _leaves(tables["expenditure"]):
        entry = {"code": row.code, "source": "other"}
        for name in ("basic", "project", *OTHER_SPENDING):
            if name not in row.amounts:
                continue
            figure = row.amounts[name]
            rest = figure.value - fiscal.get(row.code, {}).get(name, Decimal(0))
            if rest < 0:
                result.problems.append(
                    problem(
                        figure.cell,
                        _(
                            "{code} {name} is {amount}, less than the {fiscal} the 财政拨款 "
                            "tables spend on it"
                        ).format(
                            code=row.code,
                            name=FIGURE_WORDS[name],
                            amount=figure.value,
                            fiscal=figure.value - rest,
                        ),
                    )
                )
            elif rest:
                entry[OTHER_SPENDING.get(name, name)] = rest
        if len(entry) > 2:
            lines.append(entry)
    order = {"general": 0, "fund": 1, "capital": 2, "other": 3}
    result.spending = sorted(lines, key=lambda e: (e["code"], order[e["source"]]))


def _balances(tables: dict[str, FinalTable], result: ImportedFinal) -> None:
    overview, fiscal_overview = tables["overview"], tables["fiscal_overview"]
    if "opening" in overview.left and overview.left["opening"].value:
        result.opening["all"] = overview.left["opening"].value
    for fund in FUNDS:
        figure = fiscal_overview.left.get(f"opening_{fund}")
        if figure is not None and figure.value:
            result.opening[fund] = figure.value
    if "non_fiscal_balance_used" in overview.left:
        result.non_fiscal_balance_used = overview.left["non_fiscal_balance_used"].value
    surplus = overview.right.get("surplus_distributed", {}).get("total")
    if surplus is not None:
        result.surplus_distributed = surplus.value


def _three_public(table: FinalTable | None, result: ImportedFinal) -> None:
    if table is None or not table.rows:
        return
    figures = table.rows[0].amounts
    if all(k in figures for k in THREE_PUBLIC):
        result.three_public = {k: figures[k].value for k in THREE_PUBLIC}
    budget = {k: figures[f"budget_{k}"] for k in THREE_PUBLIC if f"budget_{k}" in figures}
    if len(budget) == len(THREE_PUBLIC):
        result.three_public_budget = budget
