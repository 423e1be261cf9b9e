"""Reading each statutory table of a workbook into figures that know their cell.

`disclosure import` reads every sheet that carries figures: the two overviews (收支总表,
财政拨款收支总表), the income and expenditure tables, the three function tables of the
fiscal sources, the economic table of basic expenditure and the 三公/机关运行经费 table. A
sheet is recognised by its title, its columns by the words of their headers (合计, 基本支出,
人员经费, 事业收入 …), so the official blank workbook, the budget system's export and what
`build --format xlsx` writes are all read alike. Every amount is a Decimal to the fen with
the cell it came from (单位支出总表!E12); a code is read from its 类/款/项 columns or, as
the 决算 template prints it, whole from one 科目编码 column; a cell that is not an amount,
or has more than two decimals, is a problem at that cell. What the figures must satisfy is
import_checks' job.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from ..diagnostics import Diagnostic, Location
from ..errors import DataError
from ..i18n import _
from ..model.lines import SOURCE_KEYS

# Which table a sheet holds, from the words of its title; the first pattern that matches
# wins, so the narrower ones come first.
KINDS = (
    ("economic", re.compile(r"基本支出.*(经济分类|支出表|明细)")),
    ("three_public", re.compile(r"三公")),
    ("fiscal_overview", re.compile(r"财政拨款收支(预算)?总表")),
    ("overview", re.compile(r"收支(预算)?总表")),
    ("income", re.compile(r"收入(预算)?总表")),
    ("expenditure", re.compile(r"支出(预算)?总表")),
    ("general_function", re.compile(r"一般公共预算(拨款)?支出")),
    ("fund_function", re.compile(r"政府性基金(预算)?(拨款)?支出")),
    ("capital_function", re.compile(r"国有资本经营(预算)?(拨款)?支出")),
)
CODE_KINDS = (
    "income",
    "expenditure",
    "general_function",
    "fund_function",
    "capital_function",
    "economic",
)
# A column's header word → the figure it holds.
WORDS = {
    "合计": "total",
    "基本支出": "basic",
    "人员经费": "personnel",
    "公用经费": "public",
    "项目支出": "project",
    "财政拨款收入": "fiscal",
    "财政拨款": "fiscal",
    "一般公共预算": "general",
    "一般公共预算资金": "general",
    "政府性基金预算": "fund",
    "政府性基金": "fund",
    "国有资本经营预算": "capital",
    "财政专户管理资金": "special_account",
    "事业收入": "business",
    "事业单位经营收入": "operating",
    "其他收入": "other",
    "上年结转": "carried_over",
}
# How the figures are named in messages (the words of the tables' headers).
FIGURE_WORDS = {
    "total": "合计",
    "basic": "基本支出",
    "personnel": "人员经费",
    "public": "公用经费",
    "project": "项目支出",
    "fiscal": "财政拨款",
    **{key: source for source, key in SOURCE_KEYS.items()},  # 一般公共预算 … 上年结转
    "overseas": "因公出国（境）费",
    "reception": "公务接待费",
    "vehicles": "公务用车购置及运行费",
    "vehicle_purchase": "公务用车购置费",
    "vehicle_operation": "公务用车运行费",
    "operating_costs": "机关运行经费",
    # the columns of the 决算 tables (edit.final_tables)
    "superior_income": "上级补助收入",
    "operating_income": "经营收入",
    "affiliated_income": "附属单位上缴收入",
    "superior_spending": "上缴上级支出",
    "operating_spending": "经营支出",
    "affiliated_spending": "对附属单位补助支出",
}
FIGURE_WORDS.update(  # the 三公 决算表's 预算数 beside each 决算数
    {
        f"budget_{k}": f"{FIGURE_WORDS[k]}·预算数"
        for k in (
            "total",
            "overseas",
            "reception",
            "vehicles",
            "vehicle_purchase",
            "vehicle_operation",
        )
    }
)
# The income lines of an overview, from their label (after its number 一、 or 1、).
INCOME_LABELS = (
    ("fiscal", re.compile(r"^财政拨款")),
    ("general", re.compile(r"^一般公共预算")),
    ("fund", re.compile(r"^政府性基金")),
    ("capital", re.compile(r"^国有资本经营")),
    ("special_account", re.compile(r"^财政专户")),
    ("business", re.compile(r"^事业收入")),
    ("operating", re.compile(r"^事业单位经营收入")),
    ("other", re.compile(r"^其他收入")),
    ("carried_over", re.compile(r"^上年结转")),
)
NUMBERED = re.compile(
    r"^\s*(?:[一二三四五六七八九十]+\s*[、.．]|[（(][一二三四五六七八九十]+[）)]|\d+\s*[、.．])\s*"
)
CENT = Decimal("0.01")
MAX_AMOUNT = Decimal("9999999999.99")


@dataclass(frozen=True)
class Figure:
    """One amount and the cell it was read from (单位支出总表!E12)."""

    value: Decimal
    cell: str
    blank: bool = False  # nothing written (0, or not given: an overview leaves both blank)


@dataclass
class Row:
    """A body row: a 类/款/项 (or economic 类/款) row, an overview's spending row (its 类
    found by name) or the one row of the 三公 table."""

    number: int  # the worksheet row
    code: str | None  # 3, 5 or 7 digits; None where the row has none
    name: str  # as printed
    code_cell: str  # where the code (or the label) is written
    name_cell: str
    amounts: dict[str, Figure] = field(default_factory=dict)


@dataclass
class Table:
    sheet: str
    kind: str
    unit: str  # 元 or 万元
    fields: dict[str, int]  # figure → column
    rows: list[Row] = field(default_factory=list)
    total: dict[str, Figure] = field(default_factory=dict)  # the 合计 (支出总计) row
    total_cell: str = ""
    income: dict[str, Figure] = field(default_factory=dict)  # an overview's income side

    def cell(self, row: int, figure: str) -> str:
        return cell_name(self.sheet, row, self.fields[figure])


class WorkbookError(DataError):
    """The workbook cannot be opened at all (not an .xlsx file): a bad input like a wrong
    figure in it (exit 1), named by its file."""

    def __init__(self, path, message: str):
        super().__init__(message)
        self.diagnostics = [Diagnostic(Location(str(path)), message)]


def open_workbook(path):
    """The workbook at `path`, its formulas' cached values read (what Excel shows). A
    formula the workbook holds no value of (written by a program, never opened and saved
    in Excel) reads as an empty cell: those cells are listed by sheet in the book's
    `uncomputed` for read_tables to refuse, never read as 0."""
    try:
        from openpyxl import load_workbook

        book = load_workbook(path, data_only=True, read_only=False)
        formulas = load_workbook(path, data_only=False, read_only=True)
    except Exception as e:  # openpyxl raises several kinds for a file that is not .xlsx
        raise WorkbookError(
            path,
            _("cannot be opened as an Excel workbook (.xlsx): {error}").format(error=e),
        ) from e
    book.uncomputed = {}
    try:
        for ws in formulas.worksheets:
            values = book[ws.title]
            for row in ws.iter_rows():
                for c in row:
                    if c.data_type == "f" and values.cell(c.row, c.column).value is None:
                        book.uncomputed.setdefault(ws.title, []).append((c.row, c.column))
    finally:
        formulas.close()
    return book


def cell_name(sheet: str, row: int, column: int) -> str:
    from openpyxl.utils import get_column_letter

    return f"{sheet}!{get_column_letter(column)}{row}"


def problem(where: str, message: str, severity: str = "error") -> Diagnostic:
    return Diagnostic(Location(where), message, severity=severity)


def read_tables(
    book, problems: list[Diagnostic], kinds=KINDS, read=None, year: int | None = None
) -> dict[str, Table]:
    """Every recognised table of the workbook by its kind (`kinds`: patterns of titles;
    `read`: the reader of a sheet, the budget's by default); problems are appended, among
    them a title naming a year other than `year` (the year the figures are written to)."""
    tables: dict[str, Table] = {}
    for ws in book.worksheets:
        kind = recognise(ws, kinds)
        if kind is None:
            continue
        if kind in tables:
            problems.append(
                problem(
                    f"{ws.title}!A1",
                    _(
                        "this sheet holds the same table as sheet {other}; keep one of "
                        "them in the workbook"
                    ).format(other=tables[kind].sheet),
                )
            )
            continue
        if year is not None:
            problems += _other_year(ws, year)
        for r, c in getattr(book, "uncomputed", {}).get(ws.title, ()):
            problems.append(
                problem(
                    cell_name(ws.title, r, c),
                    _(
                        "this cell is a formula whose result the workbook does not hold (it "
                        "was never opened and saved in Excel or WPS), so its figure cannot be "
                        "read: open the workbook in Excel or WPS, save it, and import it again"
                    ),
                )
            )
        table = (read or _read)(ws, kind, problems)
        if table is not None:
            tables[kind] = table
    return tables


def common_unit(tables: dict, where, problems: list[Diagnostic], besides=()) -> str:
    """The one unit (元 or 万元) the tables print, but those of the kinds `besides`; tables
    in different units are a problem."""
    units = {t.unit for t in tables.values() if t.kind not in besides}
    if len(units) > 1:
        problems.append(
            problem(
                str(where),
                _("the tables use different units ({units})").format(
                    units="、".join(sorted(units))
                ),
            )
        )
    return next(iter(sorted(units)), "元")


def recognise(ws, kinds=KINDS) -> str | None:
    """The kind of table a sheet holds, from a title in its first rows (a long text, such
    as a section's words that mention 三公经费, is not a title)."""
    titles = [
        re.sub(r"\s+", "", str(c.value))
        for row in ws.iter_rows(min_row=1, max_row=3)
        for c in row
        if c.value not in (None, "") and len(str(c.value)) <= 60
    ]
    return next((k for k, pattern in kinds if any(pattern.search(t) for t in titles)), None)


_TITLE_YEAR = re.compile(r"(?<![0-9])([0-9]{4})\s*年")


def _other_year(ws, year: int) -> list[Diagnostic]:
    """A title in the sheet's first rows that names another year than `year`: a workbook
    of another year, whose figures would replace this year's (--replace) without a word."""
    for row in ws.iter_rows(min_row=1, max_row=3):
        for c in row:
            text = str(c.value or "")
            m = _TITLE_YEAR.search(text) if len(text) <= 60 else None
            if m and int(m.group(1)) != year:
                return [
                    problem(
                        cell_name(ws.title, c.row, c.column),
                        _(
                            "the title is of {found} ({title}), but the figures would be "
                            "written to {year} (--year {year}): import {year}'s workbook, "
                            "or give --year {found}"
                        ).format(found=m.group(1), title=text.strip(), year=year),
                    )
                ]
    return []


def titles_match(book, pattern: re.Pattern) -> bool:
    """Whether a title of any sheet (its first rows' short texts) matches `pattern`."""
    return any(recognise(ws, (("", pattern),)) is not None for ws in book.worksheets)


def unit_of(ws) -> str:
    for row in ws.iter_rows(min_row=1, max_row=8):
        for c in row:
            m = re.search(r"单位[:：]\s*(万元|元)", str(c.value or ""))
            if m:
                return m.group(1)
    return "元"


def cell_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return re.sub(r"\s+", "", str(value))


def _merged_values(ws) -> dict[tuple[int, int], object]:
    """(row, column) → value, with a merged cell's value in every cell it covers."""
    values = {}
    for merged in ws.merged_cells.ranges:
        value = ws.cell(merged.min_row, merged.min_col).value
        for r in range(merged.min_row, merged.max_row + 1):
            for c in range(merged.min_col, merged.max_col + 1):
                values[(r, c)] = value
    return values


def header_paths(ws, top: int, bottom: int) -> dict[int, list[str]]:
    """Each column's header path: the words from the top header row down (merged cells
    repeated), consecutive repeats once."""
    merged = _merged_values(ws)
    paths = {}
    for c in range(1, ws.max_column + 1):
        path: list[str] = []
        for r in range(top, bottom + 1):
            word = cell_text(merged.get((r, c), ws.cell(r, c).value))
            if word and (not path or path[-1] != word):
                path.append(word)
        if path:
            paths[c] = path
    return paths


def header_top(ws, below: int) -> int:
    """The first header row: the row after 编制单位 … 单位：元, else the one after the title."""
    for r in range(1, min(ws.max_row, 10) + 1):
        if any(re.search(r"单位[:：]", str(c.value or "")) for c in ws[r]):
            return r + 1 if r + 1 <= below else below
    return min(3, below)


def _is_body(ws, r: int) -> bool:
    """A row of figures or of an overview's labels (一、…, 1、…, 收入总计)."""
    for c in ws[r]:
        v = c.value
        if isinstance(v, (int, float)) and not isinstance(v, bool):
            return True
        text = cell_text(v)
        if text and (NUMBERED.match(text) or text in ("收入总计", "支出总计")):
            return True
    return False


def code_header_row(ws, problems: list[Diagnostic]) -> int | None:
    """The header row that names the code columns: 类 and 款 (a code split in columns), else
    the one that reads …科目编码 (the 决算 template's one column of whole codes); a problem
    where none does."""
    rows = range(1, min(ws.max_row, 20) + 1)
    texts = {r: {cell_text(c.value) for c in ws[r]} for r in rows}
    code_row = next((r for r in rows if {"类", "款"} <= texts[r]), None)
    if code_row is None:
        code_row = next((r for r in rows if any(t.endswith("科目编码") for t in texts[r])), None)
    if code_row is None:
        problems.append(
            problem(f"{ws.title}!A1", _("no header row with 类 / 款 (the code columns) found"))
        )
    return code_row


def header_bottom(ws, code_row: int) -> int:
    """The last header row: the code row where the codes are split (类, 款 under it), else
    the row above the first with a figure, or a code or 合计 under a code column or beside
    it (a 合计 further right heads a column: the fund tables' 本年支出·合计)."""
    if {"类", "款"} <= {cell_text(c.value) for c in ws[code_row]}:
        return code_row
    coded = {c.column for c in ws[code_row] if cell_text(c.value).endswith("科目编码")}
    labels = coded | {c + 1 for c in coded}
    for r in range(code_row + 1, ws.max_row + 1):
        for c in ws[r]:
            text = cell_text(c.value)
            if isinstance(c.value, (int, float)) and not isinstance(c.value, bool):
                return r - 1
            if c.column in labels and (text in ("合计", "总计") or text.isdigit()):
                return r - 1
    return code_row


def read_code_table(ws, kind: str, problems: list[Diagnostic], words=WORDS) -> Table | None:
    """A table of 类/款/项 rows, its columns named by their headers' `words`."""
    code_row = code_header_row(ws, problems)
    if code_row is None:
        return None
    bottom = header_bottom(ws, code_row)
    paths = header_paths(ws, header_top(ws, code_row), bottom)
    table = Table(ws.title, kind, unit_of(ws), _code_fields(paths, words))
    _code_rows(ws, table, bottom + 1, problems)
    return table


def _read(ws, kind: str, problems: list[Diagnostic]) -> Table | None:
    unit = unit_of(ws)
    if kind in CODE_KINDS:
        return read_code_table(ws, kind, problems)
    first_body = next((r for r in range(4, ws.max_row + 1) if _is_body(ws, r)), None)
    if first_body is None:
        problems.append(problem(f"{ws.title}!A1", _("the table has no rows of figures")))
        return None
    paths = header_paths(ws, header_top(ws, first_body - 1), first_body - 1)
    if kind == "three_public":
        table = Table(ws.title, kind, unit, _three_public_fields(paths))
        _three_public_row(ws, table, first_body, problems)
    else:
        table = Table(ws.title, kind, unit, _overview_fields(paths))
        _overview_rows(ws, table, first_body, problems)
    return table


def figure_word(path: list[str]) -> str:
    """The word naming a column's figure: the deepest, or the one above a 小计."""
    return path[-2] if path[-1] == "小计" and len(path) > 1 else path[-1]


def _code_fields(paths: dict[int, list[str]], words=WORDS) -> dict[str, int]:
    fields: dict[str, int] = {}
    for c, path in paths.items():
        word = path[-1]
        if word in ("类", "款", "项"):
            fields.setdefault(word, c)
        elif word.endswith("科目编码"):
            fields.setdefault("code", c)  # whole codes in one column
        elif "名称" in word:
            fields.setdefault("name", c)
        elif (figure := words.get(figure_word(path))) is not None:
            fields.setdefault(figure, c)
    return fields


def _overview_fields(paths: dict[int, list[str]]) -> dict[str, int]:
    fields: dict[str, int] = {}
    for c, path in paths.items():
        side = "spending" if "支出" in path[0] else "income"
        word = figure_word(path)
        if word == "项目":
            fields.setdefault(f"{side}_label", c)
        elif side == "income":
            fields.setdefault("income_amount", c)
        elif word in ("预算数", "合计"):
            fields.setdefault("total", c)
        elif (figure := WORDS.get(word)) is not None:
            fields.setdefault(figure, c)
    return fields


def three_public_item(word: str) -> str | None:
    """The 三公 figure a header word names (合计, 小计 of the vehicles, 出国, 接待 …)."""
    if word == "合计":
        return "total"
    if word == "小计":
        return "vehicles"
    for part, figure in (
        ("出国", "overseas"),
        ("接待", "reception"),
        ("购置", "vehicle_purchase"),
        ("运行", "vehicle_operation"),
        ("运维", "vehicle_operation"),
    ):
        if part in word:
            return figure
    return None


def _three_public_fields(paths: dict[int, list[str]]) -> dict[str, int]:
    fields: dict[str, int] = {}
    for c, path in paths.items():
        if any("机关运行" in w for w in path):
            figure = "operating_costs"
        else:
            figure = three_public_item(path[-1])
        if figure is not None:
            fields.setdefault(figure, c)
    return fields


def amount(value, where: str, problems: list[Diagnostic], column: str = "") -> Decimal:
    """A cell's amount to the fen: blank is 0; a number Excel stored as a double is read
    through its shortest decimal form (2250000.1 stays 2250000.1); a figure of more than two
    decimals, text that is not a number, or a negative amount is a problem at its cell."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return Decimal(0)
    if isinstance(value, bool):
        text = None
    elif isinstance(value, int):
        text = str(value)
    elif isinstance(value, float):
        text = repr(value)
    else:
        text = re.sub(r"[,，\s]", "", str(value))
    try:
        number = Decimal(text) if text is not None else None
    except InvalidOperation:
        number = None
    if number is None or not number.is_finite():
        problems.append(
            problem(
                where,
                _("'{value}' is not an amount ({column})").format(value=value, column=column),
            )
        )
        return Decimal(0)
    fen = number.quantize(CENT) if abs(number) <= MAX_AMOUNT else number
    if number != fen:
        if isinstance(value, float) and abs(number - fen) <= abs(number) * Decimal("1e-13"):
            number = fen  # binary noise of a computed cell (0.30000000000000004), not a figure
        else:
            problems.append(
                problem(
                    where,
                    _("{value} has more than two decimals: amounts are to the fen").format(
                        value=format(number, "f")
                    ),
                )
            )
            return Decimal(0)
    if number < 0 or number > MAX_AMOUNT:
        problems.append(
            problem(
                where,
                _("{value} is not an amount of a budget (0 to 9999999999.99)").format(
                    value=format(number, "f")
                ),
            )
        )
        return Decimal(0)
    whole = number.to_integral_value()
    return whole.quantize(Decimal(1)) if number == whole else number.quantize(CENT)


def _code_rows(ws, table: Table, first: int, problems: list[Diagnostic]) -> None:
    """The 类/款/项 rows up to the 合计 row (a note may follow it)."""
    digits = (3, 2, 2) if "项" in table.fields else (3, 2)
    code_columns = [table.fields.get(w) for w in ("类", "款", "项")[: len(digits)]]
    whole = table.fields.get("code") if "类" not in table.fields else None
    lengths = (3, 5) if table.kind == "economic" else (3, 5, 7)
    money = {f: c for f, c in table.fields.items() if f not in ("类", "款", "项", "name", "code")}
    name_column = table.fields.get("name")
    for r in range(first, ws.max_row + 1):
        head = cell_text(ws.cell(r, 1).value)
        label = cell_text(ws.cell(r, name_column).value) if name_column else ""
        if head.startswith(("合计", "总计")) or label in ("合计", "总计"):
            table.total_cell = cell_name(table.sheet, r, 1)
            table.total = row_figures(ws, table.sheet, r, money, problems)
            if table.rows:
                return
            continue  # the 决算 tables print the 合计 row above the rows it totals
        if head.startswith(("注", "说明")):
            return
        if whole is not None:
            code = whole_code(ws, table.sheet, r, whole, lengths, problems)
            code_columns = [whole] * 3
        else:
            code = row_code(ws, table.sheet, r, code_columns, digits, problems)
        figures = row_figures(ws, table.sheet, r, money, problems)
        if code is None:
            if any(f.value for f in figures.values()):
                problems.append(
                    problem(
                        cell_name(table.sheet, r, code_columns[0] or 1),
                        _("this row has amounts but no code (类/款/项)"),
                    )
                )
            continue
        if code == "":
            continue  # a bad code cell, reported
        deepest = code_columns[{3: 0, 5: 1, 7: 2}[len(code)]] or code_columns[0] or 1
        table.rows.append(
            Row(
                number=r,
                code=code,
                name=label,
                code_cell=cell_name(table.sheet, r, deepest),
                name_cell=cell_name(table.sheet, r, name_column or 1),
                amounts=figures,
            )
        )


def whole_code(ws, sheet, r, column, lengths, problems) -> str | None:
    """A code written whole in one cell (2010601): None for none, "" when not a code."""
    value = ws.cell(r, column).value
    text = cell_text(value)
    if not text:
        return None
    if text.isdigit() and len(text) in lengths:
        return text
    problems.append(
        problem(
            cell_name(sheet, r, column),
            _("'{value}' is not a code: write {width} digits").format(
                value=value, width="/".join(map(str, lengths))
            ),
        )
    )
    return ""


def row_code(ws, sheet, r, columns, digits, problems) -> str | None:
    """The row's code, None for a row without one, "" when a code cell is not digits."""
    parts = []
    for column, width in zip(columns, digits, strict=True):
        if column is None:
            break
        value = ws.cell(r, column).value
        text = cell_text(value)
        if not text:
            break
        if not text.isdigit() or len(text) > width:
            problems.append(
                problem(
                    cell_name(sheet, r, column),
                    _("'{value}' is not a code: write {width} digits").format(
                        value=value, width=width
                    ),
                )
            )
            return ""
        parts.append(text.zfill(width))  # 05 typed as the number 5
    return "".join(parts) or None


def row_figures(ws, sheet, r, columns: dict[str, int], problems) -> dict[str, Figure]:
    out = {}
    for figure, column in columns.items():
        where = cell_name(sheet, r, column)
        raw = ws.cell(r, column).value
        value = amount(raw, where, problems, FIGURE_WORDS.get(figure, ""))
        out[figure] = Figure(
            value, where, raw is None or (isinstance(raw, str) and not raw.strip())
        )
    return out


def _overview_rows(ws, table: Table, first: int, problems: list[Diagnostic]) -> None:
    """Income lines on the left, the 类 rows of expenditure on the right; 收入总计 last."""
    income_label = table.fields.get("income_label")
    spending_label = table.fields.get("spending_label")
    spending = {f: c for f, c in table.fields.items() if f not in ("income_label", "income_amount")}
    spending.pop("spending_label", None)
    for r in range(first, ws.max_row + 1):
        left = cell_text(ws.cell(r, income_label).value) if income_label else ""
        right = cell_text(ws.cell(r, spending_label).value) if spending_label else ""
        if left.startswith("注") and not right:
            break
        total = left.endswith("总计") or right.endswith("总计") or left == "合计"
        if "income_amount" in table.fields:
            where = table.cell(r, "income_amount")
            value = amount(ws.cell(r, table.fields["income_amount"]).value, where, problems, left)
            if total:
                table.income["total"] = Figure(value, where)
            elif left:
                key = next((k for k, p in INCOME_LABELS if p.match(NUMBERED.sub("", left))), None)
                if key is None:
                    if value:
                        problems.append(
                            problem(
                                cell_name(table.sheet, r, income_label),
                                _("'{label}' is not an income line of this table").format(
                                    label=left
                                ),
                            )
                        )
                elif key in table.income:
                    problems.append(
                        problem(
                            cell_name(table.sheet, r, income_label),
                            _("'{label}' is written twice in this table").format(label=left),
                        )
                    )
                else:
                    table.income[key] = Figure(value, where)
        figures = row_figures(ws, table.sheet, r, spending, problems)
        if total:
            table.total = figures
            table.total_cell = cell_name(table.sheet, r, spending_label or 1)
            break
        if right or any(f.value for f in figures.values()):
            table.rows.append(
                Row(
                    number=r,
                    code=None,  # found from the name by the checks, with the catalogue
                    name=NUMBERED.sub("", right),
                    code_cell=cell_name(table.sheet, r, spending_label or 1),
                    name_cell=cell_name(table.sheet, r, spending_label or 1),
                    amounts=figures,
                )
            )


def _three_public_row(ws, table: Table, first: int, problems: list[Diagnostic]) -> None:
    figures = row_figures(ws, table.sheet, first, table.fields, problems)
    table.rows.append(Row(first, None, "", cell_name(table.sheet, first, 1), "", figures))
