"""Reading the nine 决算 tables of a workbook (the Shanghai 部门决算 template's, as
`build --format xlsx` writes them) into figures that know their cell.

The reading is the budget import's (import_tables): a sheet is recognised by its title,
its columns by their headers' words, every amount is a Decimal to the fen at its cell. What
differs is the tables themselves: the two overviews end in balances (使用非财政拨款结余,
年初/年末结转和结余, 结余分配, 总计), the 基本支出 table sets 人员经费 (301, 303) beside
公用经费 (302, 310), the 三公 table pairs each 预算数 with its 决算数, and the 政府性基金 and
国有资本经营 tables carry their fund's balances in the 合计 row.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ..diagnostics import Diagnostic
from ..i18n import _
from .import_tables import (
    NUMBERED,
    Figure,
    Row,
    Table,
    amount,
    cell_name,
    cell_text,
    code_header_row,
    header_bottom,
    header_paths,
    header_top,
    problem,
    read_code_table,
    row_code,
    row_figures,
    three_public_item,
    unit_of,
    whole_code,
)

FINAL = re.compile(r"决算(总)?表")  # a workbook with such a title holds final accounts
_N = r"^(?:[一二三四五六七八九十]+[、.．])?"
KINDS = (  # the first that matches wins: the narrower titles first
    ("economic", re.compile(r"基本支出决算表")),
    ("three_public", re.compile(r"三公")),
    ("fiscal_overview", re.compile(r"财政拨款收入支出决算总表")),
    ("overview", re.compile(r"收入支出决算总表")),
    ("fund_function", re.compile(r"政府性基金.*决算表")),
    ("capital_function", re.compile(r"国有资本经营.*决算表")),
    ("general_function", re.compile(r"一般公共预算.*支出决算表")),
    ("income", re.compile(_N + r"收入决算表$")),
    ("expenditure", re.compile(_N + r"支出决算表$")),
)
TITLES = {  # how messages name a table that is missing
    "overview": "收入支出决算总表",
    "income": "收入决算表",
    "expenditure": "支出决算表",
    "fiscal_overview": "财政拨款收入支出决算总表",
    "general_function": "一般公共预算财政拨款支出决算表",
    "economic": "一般公共预算财政拨款基本支出决算表",
}
FUND_TITLES = {  # needed where the 财政拨款收入支出决算总表 shows the fund's figures
    "fund": ("fund_function", "政府性基金预算财政拨款收入支出决算表"),
    "capital": ("capital_function", "国有资本经营预算财政拨款收入支出决算表"),
}
# A code table's header word → the figure its column holds.
WORDS = {
    "合计": "total",
    "本年收入合计": "total",
    "本年支出合计": "total",
    "本年支出": "total",  # the fund tables' 本年支出·小计
    "财政拨款收入": "fiscal",
    "上级补助收入": "superior_income",
    "事业收入": "business",
    "经营收入": "operating_income",
    "附属单位上缴收入": "affiliated_income",
    "其他收入": "other",
    "基本支出": "basic",
    "项目支出": "project",
    "上缴上级支出": "superior_spending",
    "经营支出": "operating_spending",
    "对附属单位补助支出": "affiliated_spending",
    "年初结转和结余": "opening",
    "本年收入": "income",
    "年末结转和结余": "closing",
}
BALANCES = ("opening", "income", "closing")  # a fund table's, in its 合计 row only
# The overviews' lines, from their label (after its number 一、): left side, right side.
LEFT = (
    ("general", re.compile(r"^一般公共预算财政拨款")),
    ("fund", re.compile(r"^政府性基金预算财政拨款")),
    ("capital", re.compile(r"^国有资本经营预算财政拨款")),
    ("superior_income", re.compile(r"^上级补助收入")),
    ("business", re.compile(r"^事业收入")),
    ("operating_income", re.compile(r"^经营收入")),
    ("affiliated_income", re.compile(r"^附属单位上缴收入")),
    ("other", re.compile(r"^其他收入")),
    ("income_total", re.compile(r"^本年收入合计")),
    ("non_fiscal_balance_used", re.compile(r"^使用非财政拨款结余")),
    ("opening", re.compile(r"^年初(财政拨款)?结转和结余")),
    ("grand_total", re.compile(r"^总计")),
)
RIGHT = (
    ("spending_total", re.compile(r"^本年支出合计")),
    ("surplus_distributed", re.compile(r"^结余分配")),
    ("closing", re.compile(r"^年末(财政拨款)?结转和结余")),
    ("grand_total", re.compile(r"^总计")),
)
FUND_WORDS = {  # the fiscal overview's spending columns
    "合计": "total",
    "决算数": "total",
    "一般公共预算财政拨款": "general",
    "政府性基金预算财政拨款": "fund",
    "国有资本经营预算财政拨款": "capital",
}


@dataclass
class FinalTable(Table):
    """A 决算 table: besides its rows and 合计, the lines the budget's tables lack —
    `left`: an overview's income side and balances (年初…, and the 年初 by fund as
    opening_general …); `right`: its spending side's 本年支出合计, 结余分配, 年末…, 总计;
    `balances`: a fund table's 年初, 本年收入, 年末, or the 人员/公用经费合计."""

    left: dict[str, Figure] = field(default_factory=dict)
    right: dict[str, dict[str, Figure]] = field(default_factory=dict)
    balances: dict[str, Figure] = field(default_factory=dict)


def read_sheet(ws, kind: str, problems: list[Diagnostic]) -> FinalTable | None:
    """One recognised 决算 sheet (import_tables.read_tables calls it for each)."""
    if kind in ("overview", "fiscal_overview"):
        return _overview(ws, kind, problems)
    if kind == "economic":
        return _economic(ws, problems)
    if kind == "three_public":
        return _three_public(ws, problems)
    table = read_code_table(ws, kind, problems, WORDS)
    if table is None:
        return None
    final = FinalTable(**vars(table))
    for name in BALANCES:  # the fund's balances: its 合计 row's, never a row's
        final.fields.pop(name, None)
        if name in final.total:
            final.balances[name] = final.total.pop(name)
        for row in final.rows:
            row.amounts.pop(name, None)
    return final


def _header_end(ws, word: str) -> int | None:
    """The last header row: the first (within the top rows) with a cell reading `word`."""
    return next(
        (
            r
            for r in range(1, min(ws.max_row, 15) + 1)
            if any(cell_text(c.value) == word for c in ws[r])
        ),
        None,
    )


def _overview(ws, kind: str, problems: list[Diagnostic]) -> FinalTable | None:
    """Income lines and balances on the left (项目, 决算数), the 类 of spending and the
    balances on the right (项目, then 决算数 or 合计 and a column a fund)."""
    last = _header_end(ws, "项目")
    if last is None:
        problems.append(problem(f"{ws.title}!A1", _("the table has no rows of figures")))
        return None
    paths = header_paths(ws, header_top(ws, last), last)
    labels = [c for c, p in paths.items() if p[-1] == "项目"]
    if len(labels) < 2:
        problems.append(problem(f"{ws.title}!A1", _("the table has no rows of figures")))
        return None
    left_label, right_label = labels[0], labels[1]
    left_amount = left_label + 1
    money = {
        FUND_WORDS[p[-1]]: c for c, p in paths.items() if c > right_label and p[-1] in FUND_WORDS
    }
    table = FinalTable(ws.title, kind, unit_of(ws), money)
    opening_part = False  # below 年初财政拨款结转和结余: the lines are its parts by fund
    for r in range(last + 1, ws.max_row + 1):
        left = NUMBERED.sub("", cell_text(ws.cell(r, left_label).value))
        right = NUMBERED.sub("", cell_text(ws.cell(r, right_label).value))
        if left.startswith("注") and not right:
            break
        if left or ws.cell(r, left_amount).value not in (None, ""):
            where = cell_name(ws.title, r, left_amount)
            figure = Figure(amount(ws.cell(r, left_amount).value, where, problems, left), where)
            key = next((k for k, p in LEFT if p.match(left)), None)
            if key is None:
                if figure.value:
                    problems.append(
                        problem(
                            cell_name(ws.title, r, left_label),
                            _("'{label}' is not an income line of this table").format(label=left),
                        )
                    )
            else:
                if opening_part and key in ("general", "fund", "capital"):
                    key = f"opening_{key}"
                opening_part = opening_part or key == "opening"
                if key in table.left:
                    problems.append(
                        problem(
                            cell_name(ws.title, r, left_label),
                            _("'{label}' is written twice in this table").format(label=left),
                        )
                    )
                else:
                    table.left[key] = figure
        figures = row_figures(ws, ws.title, r, money, problems)
        special = next((k for k, p in RIGHT if p.match(right)), None)
        if special is not None:
            table.right[special] = figures
        elif any(f.value for f in figures.values()):  # the template lists all 26 类
            table.rows.append(
                Row(r, None, right, *(cell_name(ws.title, r, right_label),) * 2, figures)
            )
    table.total = table.right.get("spending_total", {})
    return table


def _economic(ws, problems: list[Diagnostic]) -> FinalTable | None:
    """Two tables side by side (人员经费 left, 公用经费 right), each its code (类 and 款
    columns, or the whole code in one), 科目名称, 决算数; the last row gives 人员经费合计 and
    公用经费合计."""
    code_row = code_header_row(ws, problems)
    if code_row is None:
        return None
    texts = [(c.column, cell_text(c.value)) for c in ws[code_row]]
    split = any(t == "类" for _c, t in texts)
    sides = [c for c, t in texts if (t == "类" if split else t.endswith("科目编码"))]
    width = 1 if split else 0  # the 款 column beside the 类 column
    table = FinalTable(ws.title, "economic", unit_of(ws), {"total": sides[0] + 2 + width})
    for r in range(header_bottom(ws, code_row) + 1, ws.max_row + 1):
        heads = [cell_text(c.value) for c in ws[r]]
        if heads and heads[0].startswith(("注", "说明")):
            break
        if any(h.startswith("人员经费") for h in heads):
            for name, side in zip(("personnel", "public"), sides, strict=False):
                where = cell_name(ws.title, r, side + 2 + width)
                value = amount(ws.cell(r, side + 2 + width).value, where, problems, "决算数")
                table.balances[name] = Figure(value, where)
            break
        for side in sides:
            if split:
                code = row_code(ws, ws.title, r, [side, side + 1], (3, 2), problems)
            else:
                code = whole_code(ws, ws.title, r, side, (3, 5), problems)
            figures = row_figures(ws, ws.title, r, {"total": side + 2 + width}, problems)
            if code is None:
                if figures["total"].value:
                    problems.append(
                        problem(
                            cell_name(ws.title, r, side),
                            _("this row has amounts but no code (类/款/项)"),
                        )
                    )
                continue
            if code:
                deepest = side + 1 if split and len(code) == 5 else side
                table.rows.append(
                    Row(
                        r,
                        code,
                        cell_text(ws.cell(r, side + 1 + width).value),
                        cell_name(ws.title, r, deepest),
                        cell_name(ws.title, r, side + 1 + width),
                        figures,
                    )
                )
    return table


def _three_public(ws, problems: list[Diagnostic]) -> FinalTable | None:
    """One row of 预算数/决算数 pairs: 决算数 as overseas …, 预算数 as budget_overseas …"""
    last = _header_end(ws, "预算数")
    if last is None:
        problems.append(problem(f"{ws.title}!A1", _("the table has no rows of figures")))
        return None
    fields: dict[str, int] = {}
    for c, path in header_paths(ws, header_top(ws, last), last).items():
        item = three_public_item(path[-2]) if len(path) > 1 else None
        if item is not None and path[-1] in ("预算数", "决算数"):
            fields.setdefault(("budget_" if path[-1] == "预算数" else "") + item, c)
    first = last + 1  # the one row of figures, right under the header
    for name, c in list(fields.items()):  # 预算数 未公开: no 年初预算 of the 三公 is known
        if name.startswith("budget_") and cell_text(ws.cell(first, c).value) == "未公开":
            del fields[name]
    table = FinalTable(ws.title, "three_public", unit_of(ws), fields)
    figures = row_figures(ws, ws.title, first, fields, problems)
    table.rows.append(Row(first, None, "", cell_name(ws.title, first, 1), "", figures))
    return table
