"""`build --format xlsx` for final accounts: the nine tables as sheets laid out like the
Shanghai template (title, 编制部门 and 单位, merged headers, amounts as numbers). Read back
with openpyxl and compared with the model (model.final), for both Putuo examples."""

from __future__ import annotations

from decimal import Decimal

import pytest
from conftest import ROOT
from openpyxl import load_workbook

from compiler import compile_year, parse_year_spec
from compiler.layout.final_tables import final_tables
from compiler.publish.build import build_year

EXAMPLES = {
    "finance": ROOT / "examples" / "putuo-finance-bureau" / "data",
    "planning": ROOT / "examples" / "putuo-planning-bureau" / "data",
}
HEADER_TOP = 6


@pytest.fixture(scope="module", params=sorted(EXAMPLES))
def case(request, tmp_path_factory):
    data = EXAMPLES[request.param]
    out = tmp_path_factory.mktemp(request.param)
    result = build_year(parse_year_spec("2024", data), out, ("xlsx",))
    assert result.ok, [str(d) for d in result.diagnostics]
    path = out / "2024" / "final" / "disclosure.xlsx"
    model = compile_year(parse_year_spec("2024", data)).model
    return model, load_workbook(path), path, data


def num(value) -> Decimal:
    """A cell's number as the model's Decimal (a blank cell is 0, as the template)."""
    return Decimal(str(value)).quantize(Decimal("0.01")) if value is not None else Decimal("0.00")


def body(ws, header_rows: int):
    return list(ws.iter_rows(min_row=HEADER_TOP + header_rows, values_only=True))


def by_code(rows):
    """(类, 款, 项) → the row's cells, for a function table's rows."""
    return {(r[0] or "") + (r[1] or "") + (r[2] or ""): r for r in rows if r[0]}


def test_nine_sheets_in_the_templates_order_with_title_unit_and_department(case):
    model, book, _p, _d = case
    assert book.sheetnames == [g.title for g in final_tables(model)]
    for ws in book.worksheets:
        assert ws["A2"].value == ws.title
        assert ws["A4"].value == f"编制部门：{model.unit.name}"
        assert ws.cell(4, ws.max_column).value == "单位：万元"


def test_headers_are_merged_as_the_grids(case):
    model, book, _p, _d = case
    for grid in final_tables(model):
        ws = book[grid.title]
        merged = {str(r) for r in ws.merged_cells.ranges}
        assert ws.freeze_panes == f"A{HEADER_TOP + len(grid.header)}"
        first = [t for t, _c, _r in grid.header[0]]
        row = [
            c
            for c in next(ws.iter_rows(min_row=HEADER_TOP, max_row=HEADER_TOP, values_only=True))
            if c
        ]
        assert row == first
        spans = sum(1 for h in grid.header for _t, c, r in h if c > 1 or r > 1)
        header_rows = range(HEADER_TOP, HEADER_TOP + len(grid.header))
        assert len([m for m in merged if int(m.split(":")[0][1:]) in header_rows]) == spans


def test_overview_totals_are_the_models(case):
    model, book, _p, _d = case
    f = model.final
    rows = {r[0]: r for r in body(book["收入支出决算总表"], 2) if r[0]}
    assert num(rows["本年收入合计"][1]) == f.income_this_year
    assert num(rows["本年收入合计"][3]) == f.spending_this_year
    assert num(rows["年初结转和结余"][1]) == f.opening_all
    assert num(rows["年初结转和结余"][3]) == f.closing_all
    assert num(rows["总计"][1]) == f.grand_total == num(rows["总计"][3])
    assert num(rows["一、一般公共预算财政拨款收入"][1]) == f.fiscal_income("general")


def test_function_tables_are_the_models_rows(case):
    model, book, _p, _d = case
    f = model.final
    income = by_code(body(book["收入决算表"], 3))
    for row in f.income_rows:
        cells = income[row.code]
        assert cells[3] == row.name
        assert [num(c) for c in cells[4:11]] == [row[k] for k in f.INCOME_COLUMNS]
    spending = by_code(body(book["支出决算表"], 3))
    for row in f.spending_rows():
        assert [num(c) for c in spending[row.code][4:10]] == [row[k] for k in f.SPENDING_COLUMNS]
    general = body(book["一般公共预算财政拨款支出决算表"], 3)
    coded = by_code(general)
    for row in f.general_rows:
        assert [num(c) for c in coded[row.code][4:7]] == [
            row["total"],
            row["basic"],
            row["project"],
        ]
    total = next(r for r in general if r[3] == "合计")
    assert [num(c) for c in total[4:7]] == [
        f.general_total[k] for k in ("total", "basic", "project")
    ]
    assert f.general_spending == num(total[4])


def test_economic_table_is_the_models(case):
    model, book, _p, _d = case
    f = model.final
    rows = body(book["一般公共预算财政拨款基本支出决算表"], 2)
    seen = {}
    for r in rows:
        for code, kuan, name, value in (r[0:4], r[4:8]):
            if code and code not in ("人员经费合计", "公用经费合计"):
                seen[code + (kuan or "")] = (name, num(value))
    for row in f.economic_rows:
        assert seen[row.code] == (row.name, row["amount"])
    last = rows[-1]
    assert (last[0], num(last[3]), last[4], num(last[7])) == (
        "人员经费合计",
        f.personnel,
        "公用经费合计",
        f.public,
    )


def test_three_public_is_the_models(case):
    model, book, _p, _d = case
    t = model.final.three_public
    values = [num(c) for c in body(book["财政拨款“三公”经费支出决算表"], 3)[0][:12]]
    expected = []
    for k in (
        "total",
        "overseas",
        "vehicles",
        "vehicle_purchase",
        "vehicle_operation",
        "reception",
    ):
        expected += [t[k].base, t[k].current]
    assert values == expected


def test_fiscal_overview_balances(case):
    model, book, _p, _d = case
    f = model.final
    rows = {r[0]: r for r in body(book["财政拨款收入支出决算总表"], 2) if r[0]}
    assert num(rows["本年收入合计"][1]) == f.fiscal_income_total
    assert num(rows["本年收入合计"][3]) == f.fiscal_spending_total
    assert num(rows["年初财政拨款结转和结余"][3]) == f.fiscal_closing_total
    assert num(rows["总计"][1]) == f.fiscal_grand_total == num(rows["总计"][3])


def test_empty_fund_tables_carry_their_note(case):
    model, book, _p, _d = case
    for grid in final_tables(model)[7:]:
        ws = book[grid.title]
        assert ws.cell(ws.max_row, 1).value == grid.note


def test_amounts_are_numbers_codes_are_text(case):
    _model, book, _p, _d = case
    ws = book["支出决算表"]
    row = next(ws.iter_rows(min_row=HEADER_TOP + 4, max_row=HEADER_TOP + 4))
    assert row[0].data_type == "s" and row[0].number_format == "@"
    assert isinstance(row[4].value, float) and row[4].number_format == "#,##0.00"


def test_same_data_same_bytes(case, tmp_path):
    _model, _book, path, data = case
    build_year(parse_year_spec("2024", data), tmp_path, ("xlsx",))
    assert (tmp_path / "2024" / "final" / "disclosure.xlsx").read_bytes() == path.read_bytes()


def test_a_base_not_published_is_said_in_words():
    from compiler.render.xlsx_final import amount_value

    assert amount_value("未公开") == "未公开"
    assert amount_value("2,940.05") == Decimal("2940.05")
    assert amount_value("") is None
