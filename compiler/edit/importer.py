"""Import budget lines from a workbook laid out as the official tables.

Budget systems (预算管理一体化系统) export the statutory tables as Excel; nobody should
retype hundreds of lines. The sheets are recognised by their titles (a cell of the first
rows: …一般公共预算支出功能分类预算表, …支出预算总表, …收入预算总表, …基本支出…经济分类
预算表), their columns by their headers. From them:

- 财政拨款 lines by 项 and source: the 一般公共预算 / 政府性基金 / 国有资本经营 function
  tables (basic and project);
- other sources (事业收入, 事业单位经营收入, 其他收入): the 收入总表 says how much of each
  项 each source funds, the 支出总表 what part of it is basic and project; a 项 funded by
  one such source is imported, by two or more cannot be split and is reported;
- economic lines by 款: the 一般公共预算基本支出 economic table (人员经费, 公用经费).

Only 项 (function) and 款 (economic) rows are imported; the 类 and 款 rows above them are
checked against their sums. Every cell that cannot be read is reported by sheet and cell
(表5!C12), and nothing is written unless the workbook was read without an error.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path

from ..diagnostics import Diagnostic, Location
from ..errors import Trouble
from ..i18n import _

GENERAL, FUND, CAPITAL = "一般公共预算", "政府性基金预算", "国有资本经营预算"
OTHER_SOURCES = {
    "事业收入": "事业收入",
    "事业单位经营收入": "事业单位经营收入",
    "其他收入": "其他收入",
}

# Which table a sheet holds, from the words of its title.
_KINDS = (
    ("general_function", re.compile(r"一般公共预算(拨款)?支出功能分类")),
    ("fund_function", re.compile(r"政府性基金(预算)?(拨款)?支出功能分类")),
    ("capital_function", re.compile(r"国有资本经营(预算)?(拨款)?支出功能分类")),
    ("economic", re.compile(r"基本支出.*经济分类")),
    ("expenditure", re.compile(r"支出(预算)?总表")),
    ("income", re.compile(r"收入(预算)?总表")),
)
_FUNCTION_SOURCE = {
    "general_function": GENERAL,
    "fund_function": FUND,
    "capital_function": CAPITAL,
}


class WorkbookError(Trouble):
    """The workbook cannot be opened at all (not an .xlsx file)."""


@dataclass
class Sheet:
    name: str
    kind: str
    unit: str  # 元 or 万元
    columns: dict[str, int]  # header word → column number
    rows: list[tuple[int, dict]]  # (row number, {column word: value}) for code rows


@dataclass
class Imported:
    amount_unit: str = "元"
    function: list[dict] = field(default_factory=list)
    economic: list[dict] = field(default_factory=list)
    problems: list[Diagnostic] = field(default_factory=list)
    sheets: dict[str, str] = field(default_factory=dict)  # kind → sheet name


def _cell(sheet: str, row: int, column: int) -> str:
    from openpyxl.utils import get_column_letter

    return f"{sheet}!{get_column_letter(column)}{row}"


def _problem(where: str, message: str, severity: str = "error") -> Diagnostic:
    return Diagnostic(Location(where), message, severity=severity)


def read_workbook(path: Path) -> Imported:
    """Read the lines from a workbook; problems are located by sheet and cell."""
    try:
        from openpyxl import load_workbook

        book = load_workbook(path, data_only=True, read_only=False)
    except Exception as e:  # openpyxl raises several kinds for a file that is not .xlsx
        raise WorkbookError(
            _("cannot open {file} as an Excel workbook (.xlsx): {error}").format(file=path, error=e)
        ) from e
    result = Imported()
    sheets: dict[str, Sheet] = {}
    for ws in book.worksheets:
        sheet = _recognise(ws, result)
        if sheet is not None and sheet.kind not in sheets:
            sheets[sheet.kind] = sheet
            result.sheets[sheet.kind] = sheet.name
    units = {s.unit for s in sheets.values() if s.kind != "three_public"}
    if len(units) > 1:
        result.problems.append(
            _problem(
                str(path),
                _("the tables use different units ({units})").format(
                    units="、".join(sorted(units))
                ),
            )
        )
    result.amount_unit = next(iter(units), "元")
    missing = [k for k in ("general_function", "economic") if k not in sheets]
    for kind in missing:
        words = {
            "general_function": "一般公共预算支出功能分类预算表",
            "economic": "一般公共预算基本支出经济分类预算表",
        }
        result.problems.append(
            _problem(
                str(path),
                _("no sheet holds the {table} (recognised by its title)").format(table=words[kind]),
            )
        )
    _function_lines(sheets, result)
    _economic_lines(sheets.get("economic"), result)
    return result


def _recognise(ws, result: Imported) -> Sheet | None:
    title_rows = [
        str(c.value) for row in ws.iter_rows(min_row=1, max_row=4) for c in row if c.value
    ]
    kind = next((k for k, pattern in _KINDS if any(pattern.search(t) for t in title_rows)), None)
    if kind is None:
        return None
    unit = "元"
    for text in title_rows:
        m = re.search(r"单位[:：]\s*(万元|元)", text)
        if m:
            unit = m.group(1)
    header_top, code_row = _find_header(ws)
    if header_top is None:
        result.problems.append(
            _problem(f"{ws.title}!A1", _("no header row with 类 / 款 (the code columns) found"))
        )
        return None
    columns = _columns(ws, header_top, code_row)
    rows = []
    for r in range(code_row + 1, ws.max_row + 1):
        values = {word: (ws.cell(r, c).value, c) for word, c in columns.items()}
        first = str(values.get("类", (None,))[0] or "").strip()
        if first.startswith(("合计", "总计")):
            break  # the total row: the table ends here (a note may follow)
        if first:
            rows.append((r, values))
    sheet = Sheet(ws.title, kind, unit, columns, rows)
    _check_sums(sheet, result)
    return sheet


def _check_sums(sheet: Sheet, result: Imported) -> None:
    """The 类 and 款 rows must be the sums of the rows below them: a workbook typed by
    hand may not be, and the import keeps only the 项 (款) rows."""
    if "合计" not in sheet.columns:
        return
    digits = (3, 2, 2) if "项" in sheet.columns else (3, 2)
    leaf = sum(digits)
    scratch = Imported()
    totals: dict[str, Decimal] = defaultdict(lambda: Decimal(0))
    written: dict[str, tuple[int, Decimal]] = {}
    for row, values in sheet.rows:
        code = _partial_code(values, digits)
        if code is None:
            continue
        amount = _amount(sheet, row, values, "合计", scratch)
        if len(code) == leaf:
            for prefix in {code[:3], code[:5]} - {code}:
                totals[prefix] += amount
        else:
            written[code] = (row, amount)
    for code, (row, amount) in written.items():
        if totals[code] != amount:
            result.problems.append(
                _problem(
                    _cell(sheet.name, row, sheet.columns["合计"]),
                    _(
                        "{code} says {amount}, but the rows under it add up to {total}; "
                        "the import keeps the rows under it"
                    ).format(code=code, amount=amount, total=totals[code]),
                    severity="warning",
                )
            )


def _partial_code(values: dict, digits: tuple) -> str | None:
    """The code a row carries (类, 类+款 or 类+款+项), None if a cell is not digits."""
    parts = []
    for word, width in zip(("类", "款", "项"), digits, strict=False):
        value = values.get(word, (None, None))[0]
        text = "" if value is None else str(value).strip()
        if isinstance(value, float) and value.is_integer():
            text = str(int(value))
        if not text:
            break
        if not text.isdigit():
            return None
        parts.append(text.zfill(width))
    return "".join(parts) or None


def _find_header(ws) -> tuple[int | None, int | None]:
    """The first header row and the row holding 类/款(/项): the header is the block of
    non-empty rows above the code row, up to the 编制单位/单位 row or an empty row."""
    for r in range(1, min(ws.max_row, 20) + 1):
        words = [str(c.value).strip() for c in ws[r] if c.value is not None]
        if "类" in words and "款" in words:
            top = r
            while top > 1:
                above = [str(c.value) for c in ws[top - 1] if c.value not in (None, "")]
                if not above or any("单位" in w and ("：" in w or ":" in w) for w in above):
                    break
                top -= 1
            return top, r
    return None, None


def _merged_values(ws) -> dict[tuple[int, int], object]:
    """(row, column) → value, with a merged cell's value in every cell it covers."""
    values = {}
    for merged in ws.merged_cells.ranges:
        value = ws.cell(merged.min_row, merged.min_col).value
        for r in range(merged.min_row, merged.max_row + 1):
            for c in range(merged.min_col, merged.max_col + 1):
                values[(r, c)] = value
    return values


def _columns(ws, top: int, code_row: int) -> dict[str, int]:
    """Header word → column. A column is named by the deepest word of its header path
    (合计, 基本支出, 人员经费 …), or the one above a 小计 (基本支出 · 小计 is 基本支出)."""
    merged = _merged_values(ws)
    columns: dict[str, int] = {}
    for c in range(1, ws.max_column + 1):
        path: list[str] = []
        for r in range(top, code_row + 1):
            value = merged.get((r, c), ws.cell(r, c).value)
            if value in (None, ""):
                continue
            word = re.sub(r"\s+", "", str(value))
            if not path or path[-1] != word:
                path.append(word)
        if not path:
            continue
        key = path[-2] if path[-1] == "小计" and len(path) > 1 else path[-1]
        columns.setdefault(key, c)
    return columns


def _decimal(text: str) -> Decimal:
    """An amount to the fen, written without an exponent (250000, not 2.5E+5)."""
    value = Decimal(text).quantize(Decimal("0.01"))
    return value.to_integral_value() if value == value.to_integral_value() else value


def _amount(sheet: Sheet, row: int, values: dict, word: str, result: Imported) -> Decimal:
    value, column = values.get(word, (None, None))
    if value in (None, ""):
        return Decimal(0)
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        # A float from Excel: round to the fen (what the cell shows), never keep binary noise.
        return _decimal(repr(value))
    text = str(value).replace(",", "").strip()
    try:
        return _decimal(text)
    except InvalidOperation:
        result.problems.append(
            _problem(
                _cell(sheet.name, row, column),
                _("'{value}' is not an amount ({column})").format(value=value, column=word),
            )
        )
        return Decimal(0)


def _code(sheet: Sheet, row: int, values: dict, result: Imported, digits: tuple) -> str | None:
    """The 项 (or 款) code of a row from its 类/款/项 cells, None for a 类/款 row."""
    parts = []
    for word, width in zip(("类", "款", "项"), digits, strict=False):
        value, column = values.get(word, (None, None))
        text = "" if value is None else str(value).strip()
        if isinstance(value, float) and value.is_integer():
            text = str(int(value))
        if text and not text.isdigit():
            result.problems.append(
                _problem(
                    _cell(sheet.name, row, column),
                    _("'{value}' is not a code ({column})").format(value=value, column=word),
                )
            )
            return None
        if text and len(text) < width:
            text = text.zfill(width)  # 05 typed as the number 5
        parts.append(text)
    if not all(parts):
        return None
    return "".join(parts)


def _function_lines(sheets: dict[str, Sheet], result: Imported) -> None:
    lines: dict[tuple[str, str], dict] = {}
    fiscal_by_code: dict[str, dict[str, Decimal]] = defaultdict(
        lambda: {"basic": Decimal(0), "project": Decimal(0)}
    )
    for kind, source in _FUNCTION_SOURCE.items():
        sheet = sheets.get(kind)
        if sheet is None:
            continue
        for row, values in sheet.rows:
            code = _code(sheet, row, values, result, (3, 2, 2))
            if code is None or len(code) != 7:
                continue
            basic = _amount(sheet, row, values, "基本支出", result)
            project = _amount(sheet, row, values, "项目支出", result)
            if basic or project:
                lines[(code, source)] = _entry(code, source, basic, project)
                fiscal_by_code[code]["basic"] += basic
                fiscal_by_code[code]["project"] += project
    _other_sources(sheets, fiscal_by_code, lines, result)
    result.function = [lines[key] for key in sorted(lines)]


def _entry(code: str, source: str, basic: Decimal, project: Decimal) -> dict:
    entry: dict = {"code": code}
    if source != GENERAL:
        entry["source"] = source
    if basic:
        entry["basic"] = basic
    if project:
        entry["project"] = project
    return entry


def _other_sources(sheets, fiscal_by_code, lines, result: Imported) -> None:
    """Lines funded by 事业收入, 事业单位经营收入 or 其他收入: the 收入总表 gives each 项's
    amount by source, the 支出总表 its basic and project; the fiscal part is known."""
    income, spending = sheets.get("income"), sheets.get("expenditure")
    if income is None or spending is None:
        return
    split = {}
    for row, values in spending.rows:
        code = _code(spending, row, values, result, (3, 2, 2))
        if code and len(code) == 7:
            split[code] = (
                _amount(spending, row, values, "基本支出", result),
                _amount(spending, row, values, "项目支出", result),
                row,
            )
    for row, values in income.rows:
        code = _code(income, row, values, result, (3, 2, 2))
        if not code or len(code) != 7:
            continue
        funded = {
            source: _amount(income, row, values, word, result)
            for word, source in OTHER_SOURCES.items()
            if word in income.columns
        }
        funded = {s: v for s, v in funded.items() if v}
        if not funded:
            continue
        basic, project, spending_row = split.get(code, (Decimal(0), Decimal(0), None))
        rest_basic = basic - fiscal_by_code[code]["basic"]
        rest_project = project - fiscal_by_code[code]["project"]
        if len(funded) > 1:
            first = min(income.columns[w] for w in OTHER_SOURCES if w in income.columns)
            result.problems.append(
                _problem(
                    _cell(income.name, row, first),
                    _(
                        "{code} is funded by {sources}: the published tables do not say how "
                        "its basic and project expenditure divide between them; type these "
                        "lines in lines.yaml"
                    ).format(code=code, sources="、".join(funded)),
                )
            )
            continue
        ((source, amount),) = funded.items()
        if rest_basic + rest_project != amount:
            result.problems.append(
                _problem(
                    _cell(income.name, row, income.columns.get(source, 1)),
                    _(
                        "{code}: {source} is {amount}, but the 支出总表 leaves {rest} for "
                        "sources other than 财政拨款"
                    ).format(
                        code=code, source=source, amount=amount, rest=rest_basic + rest_project
                    ),
                )
            )
            continue
        lines[(code, source)] = _entry(code, source, rest_basic, rest_project)


def _economic_lines(sheet: Sheet | None, result: Imported) -> None:
    if sheet is None:
        return
    out = []
    for row, values in sheet.rows:
        code = _code(sheet, row, values, result, (3, 2))
        if code is None or len(code) != 5:
            continue
        personnel = _amount(sheet, row, values, "人员经费", result)
        public = _amount(sheet, row, values, "公用经费", result)
        entry: dict = {"code": code}
        if personnel:
            entry["personnel"] = personnel
        if public:
            entry["public"] = public
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
    return "\n".join(out) + "\n"
