"""The nine 决算 tables as a workbook (.xlsx), laid out like the Shanghai template's.

One sheet a table, in the template's order: the title merged across the table, 编制部门 and
单位 on the row below, the header rows merged as the template merges them, amounts as
numeric cells (万元, two decimals, a zero left blank as the template leaves it), codes as
text, the header frozen, the note under the table. The grids are layout.final_tables' (the
same ones the HTML, Markdown and PDF draw); the budget's workbook machinery (fonts, borders,
sheet names, reproducible bytes) is reused from render.xlsx.
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from openpyxl import Workbook
from openpyxl.utils import get_column_letter

from ..layout.final_tables import Grid, final_tables
from .xlsx import (
    BODY_FONT,
    BORDER,
    CENTER,
    HEADER_FONT,
    HEADER_TOP,
    LEFT,
    RIGHT,
    TITLE_FONT,
    sheet_name,
    workbook_bytes,
)

MONEY_FORMAT = "#,##0.00"
WIDTHS = {"code": 6, "name": 28, "total": 28, "amount": 14}


def render_final_xlsx(model, source_date_epoch: int | None = None) -> bytes:
    book = Workbook()
    book.remove(book.active)
    for grid in final_tables(model):
        _sheet(book, grid, model.unit.name)
    return workbook_bytes(book, source_date_epoch)


def amount_value(text: str) -> Decimal | str | None:
    """The amount a grid prints ("9,746.50"), as a number; None for a blank cell; words
    (未公开) stay words."""
    if not text:
        return None
    try:
        return Decimal(text.replace(",", ""))
    except InvalidOperation:
        return text


def _sheet(book: Workbook, grid: Grid, unit_name: str) -> None:
    ws = book.create_sheet(sheet_name(grid.title, book))
    width = grid.columns
    last = get_column_letter(width)
    ws.merge_cells(f"A2:{last}2")
    ws["A2"] = grid.title
    ws["A2"].font = TITLE_FONT
    ws["A2"].alignment = CENTER
    ws.row_dimensions[2].height = 30
    ws["A4"] = f"编制部门：{unit_name}"
    ws["A4"].font = BODY_FONT
    if width > 2:
        ws.merge_cells(f"A4:{get_column_letter(width - 1)}4")
    ws.cell(4, width, f"单位：{grid.unit}").font = BODY_FONT
    ws.cell(4, width).alignment = RIGHT
    row = _header(ws, grid)
    for cells in grid.rows:
        for column, (text, kind) in enumerate(cells, 1):
            target = ws.cell(row, column)
            target.border = BORDER
            target.font = BODY_FONT
            if kind == "amount":
                value = amount_value(text)
                if isinstance(value, str):
                    target.value = value
                elif value is not None:
                    target.value = float(value)  # exact to the fen in a double
                    target.number_format = MONEY_FORMAT
                target.alignment = RIGHT
            elif kind == "code":
                target.value = text or None
                target.number_format = "@"
                target.alignment = CENTER
            else:
                target.value = text or None
                target.alignment = CENTER if kind == "total" else LEFT
        row += 1
    if grid.note:
        ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=width)
        ws.cell(row, 1, grid.note).font = BODY_FONT
        ws.cell(row, 1).alignment = LEFT
    ws.freeze_panes = ws.cell(HEADER_TOP + len(grid.header), 1)
    kinds = [k for _t, k in grid.rows[0]] if grid.rows else []
    for index in range(1, width + 1):
        kind = kinds[index - 1] if index <= len(kinds) else "amount"
        ws.column_dimensions[get_column_letter(index)].width = WIDTHS.get(kind, 14)
    ws.print_title_rows = f"{HEADER_TOP}:{HEADER_TOP + len(grid.header) - 1}"
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4


def _header(ws, grid: Grid) -> int:
    """The header rows with their merges (a cell's place skips those a rowspan above
    takes); returns the first body row."""
    taken: set[tuple[int, int]] = set()
    for level, cells in enumerate(grid.header):
        row = HEADER_TOP + level
        column = 1
        for text, colspan, rowspan in cells:
            while (row, column) in taken:
                column += 1
            end_row, end_column = row + rowspan - 1, column + colspan - 1
            if (end_row, end_column) != (row, column):
                ws.merge_cells(
                    start_row=row, start_column=column, end_row=end_row, end_column=end_column
                )
            for r in range(row, end_row + 1):
                for c in range(column, end_column + 1):
                    taken.add((r, c))
                    ws.cell(r, c).border = BORDER
            target = ws.cell(row, column, text)
            target.font = HEADER_FONT
            target.alignment = CENTER
            column = end_column + 1
    return HEADER_TOP + len(grid.header)
