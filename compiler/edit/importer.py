"""Import budget lines from a workbook laid out as the official tables.

Budget systems (预算管理一体化系统) export the statutory tables as Excel; nobody should
retype hundreds of lines. Every table that carries figures is read (import_tables) and
checked (import_checks: each row, each 类/款 and 合计 row, codes and names against the
year's catalogue, every figure two tables show); a workbook that does not add up is
refused, cell by cell, and nothing is written. From tables that agree:

- 财政拨款 lines by 项 and source: the 一般公共预算 / 政府性基金 / 国有资本经营 function
  tables (basic and project; 人员经费 and 公用经费 where the table shows them);
- other sources (事业收入, 事业单位经营收入, 其他收入 …): the 收入总表 says how much of each
  项 each source funds, the 支出总表 what part of it is basic and project; a 项 funded by
  one such source is imported, by two or more cannot be split and is reported;
- economic lines by 款: the 一般公共预算基本支出 economic table (人员经费, 公用经费);
- 人员经费 and 公用经费 by 类 (class_split) where the 收支总表 shows them and the function
  tables do not.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from pathlib import Path

from ..diagnostics import Diagnostic, Location
from ..i18n import _
from ..input.catalogue import catalogue_for
from .import_checks import check, unsplit
from .import_tables import (
    FIGURE_WORDS,
    Table,
    WorkbookError,
    common_unit,
    open_workbook,
    read_tables,
)

__all__ = ["Imported", "WorkbookError", "read_budget_book", "read_workbook", "to_yaml"]

GENERAL, FUND, CAPITAL = "一般公共预算", "政府性基金预算", "国有资本经营预算"
_FUNCTION_SOURCE = {
    "general_function": GENERAL,
    "fund_function": FUND,
    "capital_function": CAPITAL,
}
# The sources other than 财政拨款, by their figure in the income table.
OTHER_SOURCES = {
    "special_account": "财政专户管理资金",
    "business": "事业收入",
    "operating": "事业单位经营收入",
    "other": "其他收入",
    "carried_over": "上年结转",
}


@dataclass
class Imported:
    amount_unit: str = "元"
    function: list[dict] = field(default_factory=list)
    economic: list[dict] = field(default_factory=list)
    class_split: list[dict] = field(default_factory=list)
    problems: list[Diagnostic] = field(default_factory=list)
    sheets: dict[str, str] = field(default_factory=dict)  # kind → sheet name


def _problem(where: str, message: str, severity: str = "error") -> Diagnostic:
    return Diagnostic(Location(where), message, severity=severity)


def read_workbook(path: Path, year: int | None = None) -> Imported:
    """Read the lines from a workbook, after checking that its tables add up and agree
    (import_checks); problems are located by sheet and cell."""
    return read_budget_book(open_workbook(path), path, year)


def read_budget_book(book, path: Path, year: int | None = None) -> Imported:
    """read_workbook of a workbook already open."""
    result = Imported()
    tables = read_tables(book, result.problems, year=year)
    result.sheets = {kind: table.sheet for kind, table in tables.items()}
    result.amount_unit = common_unit(tables, path, result.problems, ("three_public",))
    words = {
        "general_function": "一般公共预算支出功能分类预算表",
        "economic": "一般公共预算基本支出经济分类预算表",
    }
    for kind, table_name in words.items():
        if kind not in tables:
            result.problems.append(
                _problem(
                    str(path),
                    _("no sheet holds the {table} (recognised by its title)").format(
                        table=table_name
                    ),
                )
            )
    catalogue = catalogue_for(year if year is not None else date.today().year)
    result.problems += check(tables, catalogue)
    if any(p.is_error for p in result.problems):
        return result  # lines read from tables that do not agree would be guesses
    _function_lines(tables, result)
    _class_split(tables, result)
    _economic_lines(tables.get("economic"), result)
    return result


def _leaves(table: Table | None, digits: int):
    return [r for r in table.rows if r.code and len(r.code) == digits] if table else []


def _function_lines(tables: dict[str, Table], result: Imported) -> None:
    lines: dict[tuple[str, str], dict] = {}
    fiscal_by_code: dict[str, dict[str, Decimal]] = defaultdict(
        lambda: {"basic": Decimal(0), "project": Decimal(0)}
    )
    for kind, source in _FUNCTION_SOURCE.items():
        table = tables.get(kind)
        for row in _leaves(table, 7):
            figure = {name: f.value for name, f in row.amounts.items()}
            basic, project = figure.get("basic", Decimal(0)), figure.get("project", Decimal(0))
            if basic or project:
                split = ("personnel", "public") if "personnel" in table.fields else None
                lines[(row.code, source)] = _entry(
                    row.code, source, basic, project, figure if split else None
                )
                fiscal_by_code[row.code]["basic"] += basic
                fiscal_by_code[row.code]["project"] += project
    _other_sources(tables, fiscal_by_code, lines, result)
    result.function = [lines[key] for key in sorted(lines)]


def _entry(code: str, source: str, basic: Decimal, project: Decimal, split=None) -> dict:
    entry: dict = {"code": code}
    if source != GENERAL:
        entry["source"] = source
    if split is not None:
        if split.get("personnel"):
            entry["personnel"] = split["personnel"]
        if split.get("public"):
            entry["public"] = split["public"]
    elif basic:
        entry["basic"] = basic
    if project:
        entry["project"] = project
    return entry


def _other_sources(tables, fiscal_by_code, lines, result: Imported) -> None:
    """Lines funded by sources other than 财政拨款: the income table gives each 项's amount
    by source, the expenditure table what part of it is basic and project; the fiscal part
    is known."""
    income, spending = tables.get("income"), tables.get("expenditure")
    if income is None or spending is None:
        return
    split = {row.code: row for row in _leaves(spending, 7)}
    for row in _leaves(income, 7):
        funded = {
            source: row.amounts[figure]
            for figure, source in OTHER_SOURCES.items()
            if figure in row.amounts and row.amounts[figure].value
        }
        if not funded:
            continue
        spent = split.get(row.code)
        basic = spent.amounts["basic"].value if spent and "basic" in spent.amounts else Decimal(0)
        project = (
            spent.amounts["project"].value if spent and "project" in spent.amounts else Decimal(0)
        )
        rest_basic = basic - fiscal_by_code[row.code]["basic"]
        rest_project = project - fiscal_by_code[row.code]["project"]
        first = min(funded.values(), key=lambda f: f.cell)
        if len(funded) > 1:
            result.problems.append(
                _problem(
                    first.cell,
                    _(
                        "{code} is funded by {sources}: the published tables do not say how "
                        "its basic and project expenditure divide between them; type these "
                        "lines in lines.yaml"
                    ).format(code=row.code, sources="、".join(funded)),
                )
            )
            continue
        ((source, figure),) = funded.items()
        if rest_basic < 0 or rest_project < 0 or rest_basic + rest_project != figure.value:
            result.problems.append(
                _problem(
                    figure.cell,
                    _(
                        "{code}: {source} is {amount}, but the 支出总表 leaves {rest} for "
                        "sources other than 财政拨款"
                    ).format(
                        code=row.code,
                        source=source,
                        amount=figure.value,
                        rest=rest_basic + rest_project,
                    ),
                )
            )
            continue
        lines[(row.code, source)] = _entry(row.code, source, rest_basic, rest_project)


def _class_split(tables: dict[str, Table], result: Imported) -> None:
    """人员经费 and 公用经费 by 类, where the overview shows them and the function lines give
    basic expenditure unsplit: what the overview's 类 row says, less the split lines'."""
    overview = tables.get("overview")
    if overview is None or not {"personnel", "public"} <= overview.fields.keys():
        return
    known: dict[str, dict[str, Decimal]] = defaultdict(
        lambda: {"personnel": Decimal(0), "public": Decimal(0), "unsplit": Decimal(0)}
    )
    for line in result.function:
        part = known[line["code"][:3]]
        if "basic" in line:
            part["unsplit"] += line["basic"]
        for name in ("personnel", "public"):
            part[name] += line.get(name, Decimal(0))
    out = []
    for row in overview.rows:
        part = known.get(row.code)
        if part is None or not part["unsplit"] or unsplit(row.amounts):
            continue
        entry: dict = {"code": row.code}
        for name in ("personnel", "public"):
            rest = row.amounts[name].value - part[name]
            if rest < 0:
                result.problems.append(
                    _problem(
                        row.amounts[name].cell,
                        _(
                            "{code} {name}: {amount}, less than the {known} the function "
                            "tables give"
                        ).format(
                            code=row.code,
                            name=FIGURE_WORDS[name],
                            amount=row.amounts[name].value,
                            known=part[name],
                        ),
                    )
                )
                return
            if rest:
                entry[name] = rest
        out.append(entry)
    result.class_split = sorted(out, key=lambda e: e["code"])


def _economic_lines(table: Table | None, result: Imported) -> None:
    out = []
    for row in _leaves(table, 5):
        entry: dict = {"code": row.code}
        for name in ("personnel", "public"):
            if name in row.amounts and row.amounts[name].value:
                entry[name] = row.amounts[name].value
        out.append(entry)
    result.economic = sorted(out, key=lambda e: e["code"])


def to_yaml(imported: Imported, schema_hint: str) -> str:
    """lines.yaml as the tool writes it: one line per entry, in code order."""

    def number(value: Decimal) -> str:
        return format(value, "f")

    def entry(e: dict) -> str:
        parts = [f'code: "{e["code"]}"']
        if "source" in e:
            parts.append(f"source: {e['source']}")
        for key in ("personnel", "public", "basic", "project"):
            if key in e:
                parts.append(f"{key}: {number(e[key])}")
        return "  - {" + ", ".join(parts) + "}"

    out = [
        f"# yaml-language-server: $schema={schema_hint}",
        "# 由 disclosure import 从工作簿导入：功能分类按“项”、经济分类按“款”；合计由编译器计算。",
        f"amount_unit: {imported.amount_unit}",
        "function:",
        *[entry(e) for e in imported.function],
    ]
    if imported.economic:
        out += ["economic:", *[entry(e) for e in imported.economic]]
    if imported.class_split:
        out += ["class_split:", *[entry(e) for e in imported.class_split]]
    return "\n".join(out) + "\n"
