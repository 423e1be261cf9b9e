"""The statutory tables as a workbook (.xlsx), laid out like the official one.

One sheet per table (and per text section, where the layout's workbook lists it): the title
merged across the table, 编制部门 and 单位 on the row below, the headers merged as in the
published form, numbers as numeric cells with number formats, codes as text, the header
rows frozen. Written with openpyxl (which `disclosure import` also reads with), then
re-zipped with fixed timestamps so the same data gives the same bytes.
"""

from __future__ import annotations

import io
import re
import zipfile
from datetime import UTC, datetime
from decimal import Decimal

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, Side
from openpyxl.utils import get_column_letter

from ..layout.sections import plan, shown_tables, walk
from ..layout.tables import Table, build
from ..model.disclosure import Disclosure

THIN = Side(style="thin", color="000000")
BORDER = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
TITLE_FONT = Font(name="宋体", size=16, bold=True)
HEADER_FONT = Font(name="宋体", size=10, bold=True)
BODY_FONT = Font(name="宋体", size=10)
CENTER = Alignment(horizontal="center", vertical="center", wrap_text=True)
LEFT = Alignment(horizontal="left", vertical="center", wrap_text=True)
RIGHT = Alignment(horizontal="right", vertical="center")
HEADER_TOP = 6  # the official workbook's tables start their headers on row 6
FIXED_DATE = (1980, 1, 1, 0, 0, 0)


def render_xlsx(model: Disclosure, source_date_epoch: int | None = None) -> bytes:
    book = Workbook()
    book.remove(book.active)
    sections = {s.id: s for s in walk(plan(model)) if s.state != "omitted"}
    shown = {t.id for t in shown_tables(model)}
    for item in model.layout.workbook or tuple(model.layout.tables):
        if item in shown:
            _table_sheet(book, build(model.layout.tables[item], model), model)
        elif item in sections and item not in model.layout.tables:
            _text_sheet(book, sections[item], model)
    return workbook_bytes(book, source_date_epoch)


def workbook_bytes(book: Workbook, source_date_epoch: int | None) -> bytes:
    """The workbook saved with its dates set to SOURCE_DATE_EPOCH (or 1970), so the same
    model gives the same bytes (the budget's and the final accounts' workbooks alike)."""
    when = datetime.fromtimestamp(source_date_epoch or 0, tz=UTC).replace(tzinfo=None)
    book.properties.creator = "disclosure-compiler"
    book.properties.created = when
    book.properties.modified = when
    buffer = io.BytesIO()
    book.save(buffer)
    return _fixed_zip(buffer.getvalue(), when)


_MODIFIED = re.compile(rb"(<dcterms:modified[^>]*>)[^<]*(</dcterms:modified>)")


def _fixed_zip(data: bytes, when: datetime) -> bytes:
    """The same archive with every entry dated 1980-01-01 and the document's modification
    date (which openpyxl sets to the time of saving) set to `when`: reproducible bytes."""
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    stamp = when.strftime("%Y-%m-%dT%H:%M:%SZ").encode()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            fixed = zipfile.ZipInfo(info.filename, FIXED_DATE)
            fixed.compress_type = zipfile.ZIP_DEFLATED
            fixed.external_attr = 0o644 << 16
            content = source.read(info.filename)
            if info.filename == "docProps/core.xml":
                content = _MODIFIED.sub(rb"\g<1>" + stamp + rb"\g<2>", content)
            target.writestr(fixed, content)
    return out.getvalue()


def sheet_name(name: str, book: Workbook) -> str:
    """An Excel sheet name: at most 31 characters, none of []:*?/\\, unique in the book."""
    clean = re.sub(r"[\[\]:*?/\\]", "", name)[:31] or "Sheet"
    candidate, n = clean, 2
    while candidate in book.sheetnames:
        suffix = f"({n})"
        candidate, n = clean[: 31 - len(suffix)] + suffix, n + 1
    return candidate


def _table_sheet(book: Workbook, table: Table, model: Disclosure) -> None:
    ws = book.create_sheet(sheet_name(table.spec.sheet, book))
    width = len(table.columns)
    last = get_column_letter(width)
    ws.merge_cells(f"A2:{last}2")
    ws["A2"] = table.title
    ws["A2"].font = TITLE_FONT
    ws["A2"].alignment = CENTER
    ws.row_dimensions[2].height = 30
    who = "编制部门" if model.is_department else "编制单位"
    ws["A4"] = f"{who}：{model.unit.name}"
    ws["A4"].font = BODY_FONT
    if width > 2:
        ws.merge_cells(f"A4:{get_column_letter(width - 1)}4")
    ws.cell(4, width, f"单位：{table.unit}").font = BODY_FONT
    ws.cell(4, width).alignment = RIGHT
    row = _header(ws, table)
    money_format = "#,##0.00" if _has_fen(table) else "#,##0"
    for body_row in table.body:
        column = 1
        for cell in body_row.cells:
            target = ws.cell(row, column)
            if cell.colspan > 1:
                ws.merge_cells(
                    start_row=row,
                    start_column=column,
                    end_row=row,
                    end_column=column + cell.colspan - 1,
                )
            _fill(target, cell, money_format, total=body_row.kind == "total")
            for extra in range(1, cell.colspan):
                ws.cell(row, column + extra).border = BORDER
            column += cell.colspan
        row += 1
    if table.note:
        ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=width)
        ws.cell(row, 1, f"注：{table.note}").font = BODY_FONT
        ws.cell(row, 1).alignment = LEFT
    ws.freeze_panes = ws.cell(HEADER_TOP + len(table.header), 1)
    for index, column_spec in enumerate(table.columns, 1):
        ws.column_dimensions[get_column_letter(index)].width = {
            "code": 6,
            "text": 30,
            "money": 16,
        }[column_spec.format]
    ws.print_title_rows = f"{HEADER_TOP}:{HEADER_TOP + len(table.header) - 1}"
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4


def _header(ws, table: Table) -> int:
    """Write the header rows with their merges; return the first body row."""
    taken: set[tuple[int, int]] = set()
    for level, cells in enumerate(table.header):
        row = HEADER_TOP + level
        column = 1
        for cell in cells:
            while (row, column) in taken:
                column += 1
            end_row, end_column = row + cell.rowspan - 1, column + cell.colspan - 1
            if (end_row, end_column) != (row, column):
                ws.merge_cells(
                    start_row=row, start_column=column, end_row=end_row, end_column=end_column
                )
            for r in range(row, end_row + 1):
                for c in range(column, end_column + 1):
                    taken.add((r, c))
                    ws.cell(r, c).border = BORDER
            target = ws.cell(row, column, cell.text)
            target.font = HEADER_FONT
            target.alignment = CENTER
            column = end_column + 1
    return HEADER_TOP + len(table.header)


def _has_fen(table: Table) -> bool:
    return any(
        isinstance(cell.value, Decimal) and cell.value != cell.value.to_integral_value()
        for row in table.body
        for cell in row.cells
    )


def _fill(target, cell, money_format: str, total: bool) -> None:
    target.border = BORDER
    target.font = Font(name="宋体", size=10, bold=total)
    if cell.format == "money":
        if isinstance(cell.value, Decimal):
            # Excel stores numbers as doubles; amounts to the fen are exact in them.
            target.value = (
                int(cell.value)
                if cell.value == cell.value.to_integral_value()
                else float(cell.value)
            )
            target.number_format = money_format
        target.alignment = RIGHT
    elif cell.format == "code":
        target.value = cell.text or None
        target.number_format = "@"
        target.alignment = CENTER
    else:
        target.value = cell.text or None
        target.alignment = CENTER if total else LEFT


def _text_sheet(book: Workbook, section, model: Disclosure) -> None:
    """A text section as the official workbook has it: its title, then the text in one
    merged, wrapped cell."""
    from .markdown import section_text

    ws = book.create_sheet(sheet_name(section.heading, book))
    ws.merge_cells("A1:M1")
    ws["A1"] = section.title or section.heading
    ws["A1"].font = TITLE_FONT
    ws["A1"].alignment = CENTER
    text = section.statement if section.state == "empty" else section_text(model, section)
    title = section.title or section.heading
    text = "\n".join(line for line in text.splitlines() if line.strip() != title).strip()
    lines = max(text.count("\n") + 1, 1)
    ws.merge_cells(f"A3:M{3 + min(lines * 2, 200)}")
    ws["A3"] = text
    ws["A3"].font = BODY_FONT
    ws["A3"].alignment = Alignment(horizontal="left", vertical="top", wrap_text=True)
    for index in range(1, 14):
        ws.column_dimensions[get_column_letter(index)].width = 12
