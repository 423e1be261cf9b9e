"""The statutory tables (公开表) as grids: header rows with their spans, and body rows of
cells that carry both the printed text and the exact value.

A table is a layout's spec (its columns and the query it shows, see specs.TableSpec)
applied to the model. HTML, Markdown, the workbook and CSV all render these grids, so a
header, a row or a total is defined once for every format.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from ..model.lines import GROUPS, SOURCE_KEYS, Amounts, Row
from ..numbers import ZERO, chinese_numeral
from .sections import fill
from .specs import ColumnSpec, TableSpec

CENT = Decimal("0.01")
WAN = Decimal(10000)


@dataclass(frozen=True)
class Cell:
    text: str  # as printed
    value: Decimal | str | None = None  # as a workbook stores it (the printed figure)
    format: str = "text"  # money, code or text
    colspan: int = 1
    rowspan: int = 1


@dataclass(frozen=True)
class TableRow:
    cells: tuple[Cell, ...]
    kind: str = "data"  # 类, 款, 项, data or total


@dataclass(frozen=True)
class Table:
    spec: TableSpec
    title: str
    unit: str  # 元 or 万元
    header: tuple[tuple[Cell, ...], ...]
    body: tuple[TableRow, ...]
    empty: bool
    note: str | None
    labels: tuple[str, ...] = ()  # each column's header levels joined with ·, for flat formats

    @property
    def columns(self) -> tuple[ColumnSpec, ...]:
        return self.spec.columns

    @property
    def widths(self) -> list[str]:
        """Column widths in percent (a width given in the layout wins). Every column first
        gets what its widest figure or code needs on one line, and its heading two
        characters a line (`_needs`), at the width the narrowest page gives a table
        (REFERENCE_WIDTH); what is left goes to names and amounts by their weight (codes
        narrow, names wide, amounts between). So a code never crosses into the next
        column of the PDF, and the table is as narrow as its figures allow on a screen."""
        if any(c.width for c in self.columns):
            weights = {"code": 1.0, "text": 5.0, "money": 3.0}
            total = sum(weights[c.format] for c in self.columns)
            return [c.width or f"{weights[c.format] / total * 100:.1f}%" for c in self.columns]
        return [f"{w / REFERENCE_WIDTH * 100:.1f}%" for w in _shared(self._needs(), self.columns)]

    def _needs(self) -> list[float]:
        """What each column needs across, in ems (see CELL_SPACE): a cell spanning
        several columns asks each of them for its share."""
        needs = [CELL_SPACE] * len(self.columns)
        placed = [*_placed(self.header), *_placed(tuple(r.cells for r in self.body))]
        for first, span, cell in placed:
            if not cell.text.strip():
                continue
            need = _one_line(cell.text) if cell.format in ("money", "code") else _wrapped(cell.text)
            for column in range(first, min(first + span, len(needs))):
                needs[column] = max(needs[column], need / span + CELL_SPACE)
        return needs

    @property
    def min_width(self) -> str | None:
        """The narrowest the web page may make the table, in ems of the table's font: at
        this width each column, keeping its share of `widths`, holds its widest figure or
        code on one line and every heading at least two characters a line. A phone's screen
        is narrower: the table then scrolls sideways in its own box (disclosure.css, screens
        only; a desktop's wider table and the PDF are laid out as before). None when a
        width given in the layout is not in percent."""
        try:
            shares = [float(w.removesuffix("%")) for w in self.widths]
        except ValueError:
            return None
        whole = sum(shares)
        if whole <= 0 or any(share <= 0 for share in shares):
            return None
        shares = [share / whole for share in shares]
        placed = [*_placed(self.header), *_placed(tuple(r.cells for r in self.body))]
        widest = 0.0
        for first, span, cell in placed:
            if not cell.text.strip():
                continue
            need = _one_line(cell.text) if cell.format in ("money", "code") else _wrapped(cell.text)
            widest = max(widest, (need + CELL_SPACE) / sum(shares[first : first + span]))
        return f"{math.ceil(widest * 10) / 10:.1f}em" if widest else None

    @property
    def id(self) -> str:
        return self.spec.id

    @property
    def fixed_columns(self) -> int:
        """How many leading columns name a row: its codes (类, 款, 项) and the name after
        them. A screen keeps them in view while the figures scroll sideways."""
        count = 0
        for column in self.columns:
            if column.format == "money":
                break
            count += 1
            if column.format == "text":
                break
        return count

    @property
    def fixed_header(self) -> list[list[str | None]]:
        """For each header cell, where it stays while the table scrolls sideways (a CSS
        `left`), or None for a cell that scrolls: see `_fixed`."""
        return self._fixed(self.header)

    @property
    def fixed_body(self) -> list[list[str | None]]:
        return self._fixed(tuple(row.cells for row in self.body))

    def _fixed(self, rows: tuple[tuple[Cell, ...], ...]) -> list[list[str | None]]:
        """A cell wholly within the fixed columns stays at its column's distance from the
        box's left edge. A table scrolls only when it is at its narrowest (min_width), where
        each column's width is its share of that: so the distances are known here, in ems
        of the table's font, and no script measures the page."""
        lefts = self._fixed_lefts()
        placed = iter(_placed(rows))
        return [
            [
                lefts[first] if first + span <= len(lefts) else None
                for first, span, _cell in (next(placed) for _ in row)
            ]
            for row in rows
        ]

    def _fixed_lefts(self) -> list[str]:
        narrowest = self.min_width
        if narrowest is None or not self.fixed_columns:
            return []
        shares = [float(w.removesuffix("%")) for w in self.widths]
        whole = sum(shares)
        lefts, left = [], 0.0
        for share in shares[: self.fixed_columns]:
            lefts.append(f"{left:.3f}em" if left else "0")
            left += share / whole * float(narrowest.removesuffix("em"))
        return lefts


# What a cell needs across, in ems of the table's font (bold, as headings and the 合计 row are,
# a little wider than Noto Sans CJK's, for fonts of other systems): figures and codes never
# wrap (white-space: nowrap); a heading or a name wraps between Chinese characters but not
# inside a run of Latin letters or digits, and holds at least two characters a line.
CELL_SPACE = 1.2  # the cell's padding (0.35rem a side: 0.9 em at 0.8rem on a screen, 1.05
#                   em at 8 pt in the PDF) and its borders
_NARROW_MARKS = ",.:;'|!"
_UNBROKEN = re.compile(r"[!-~]+")  # a run of ASCII letters, digits and marks


# The width, in ems of its font, that the narrowest page gives a table: A4 portrait less
# its margins at 8 pt (print.css) is 61.6 em, the Shanghai layouts' landscape pages more.
REFERENCE_WIDTH = 60.0
_WEIGHTS = {"code": 1.0, "text": 5.0, "money": 3.0}


def _shared(needs: list[float], columns: tuple[ColumnSpec, ...]) -> list[float]:
    """Each column's width in ems of REFERENCE_WIDTH: the columns share it by weight, and a
    column whose share is less than it needs gets what it needs, the others sharing the
    rest. When the needs add up to more, every column gets its need (the table is wider)."""
    fixed: dict[int, float] = {}
    while True:
        free = [i for i in range(len(columns)) if i not in fixed]
        rest = REFERENCE_WIDTH - sum(fixed.values())
        weight = sum(_WEIGHTS[columns[i].format] for i in free)
        if not free or rest <= 0 or weight <= 0:
            return [fixed.get(i, needs[i]) for i in range(len(columns))]
        short = {
            i: needs[i] for i in free if needs[i] > rest * _WEIGHTS[columns[i].format] / weight
        }
        if not short:
            break
        fixed.update(short)
    return [
        fixed[i] if i in fixed else rest * _WEIGHTS[columns[i].format] / weight
        for i in range(len(columns))
    ]


def _one_line(text: str) -> float:
    return sum(
        0.34 if ch in _NARROW_MARKS else 0.62 if ch.isascii() else 1.0 for ch in text.strip()
    )


def _wrapped(text: str) -> float:
    return max([2.0, *(_one_line(run) for run in _UNBROKEN.findall(text))])


def _placed(rows: tuple[tuple[Cell, ...], ...]) -> list[tuple[int, int, Cell]]:
    """Each cell with the first column it stands in and how many it spans, cells spanning
    down from the rows above (rowspan) taken into account."""
    taken: set[tuple[int, int]] = set()
    placed = []
    for r, row in enumerate(rows):
        column = 0
        for cell in row:
            while (r, column) in taken:
                column += 1
            placed.append((column, cell.colspan, cell))
            taken.update(
                (r + down, column + across)
                for down in range(cell.rowspan)
                for across in range(cell.colspan)
            )
            column += cell.colspan
    return placed


def header_rows(columns: tuple[ColumnSpec, ...]) -> tuple[tuple[Cell, ...], ...]:
    """Multi-level headers from each column's path: equal neighbouring prefixes merge
    across columns; a path shorter than the deepest spans the rows below it."""
    depth = max(len(c.header) for c in columns)
    rows: list[list[Cell]] = [[] for _ in range(depth)]
    for level in range(depth):
        i = 0
        while i < len(columns):
            path = columns[i].header
            if len(path) <= level:  # covered by a cell spanning down from above
                i += 1
                continue
            j = i + 1
            while (
                j < len(columns)
                and len(columns[j].header) > level
                and columns[j].header[: level + 1] == path[: level + 1]
                and len(path) > level + 1
                and len(columns[j].header) > level + 1
            ):
                j += 1
            rowspan = depth - level if len(path) == level + 1 else 1
            rows[level].append(Cell(path[level], colspan=j - i, rowspan=rowspan))
            i = j
    return tuple(tuple(r) for r in rows)


class _Formatter:
    """Amounts in the table's unit, printed as the layout prescribes."""

    def __init__(self, spec: TableSpec, lines_unit: str, values: list[Decimal]):
        self.spec = spec
        self.lines_unit = lines_unit
        converted = [self.convert(v) for v in values if v is not None]
        # 元 tables print whole yuan unless some amount has fen; 万元 always two decimals.
        self.decimals = 2 if spec.unit == "万元" or any(v % 1 for v in converted) else 0

    def convert(self, value: Decimal) -> Decimal:
        if self.lines_unit == self.spec.unit:
            return value
        if self.spec.unit == "元":
            return value * WAN
        return value / WAN

    def cell(self, value: Decimal | None, *, in_total: bool = False) -> Cell:
        if value is None:
            return Cell("", None, "money")
        shown = self.convert(value).quantize(
            Decimal(1).scaleb(-self.decimals), rounding=ROUND_HALF_UP
        )
        if shown == 0 and self.spec.zero == "":
            return Cell("", None, "money")  # the layout leaves a zero cell blank
        if self.spec.number_style == "trim":
            text = _trimmed(shown)
        else:
            text = (
                f"{shown:,.{self.decimals}f}"
                if self.spec.thousands
                else f"{shown:.{self.decimals}f}"
            )
        return Cell(text, shown, "money")


def _trimmed(value: Decimal) -> str:
    text = format(value, "f")
    return text.rstrip("0").rstrip(".") if "." in text else text


def build(spec: TableSpec, model) -> Table:
    builder = {
        "function": _classified,
        "economic": _classified,
        "overview": _overview,
        "fiscal_overview": _overview,
        "three_public": _three_public,
    }[spec.rows]
    body, empty = builder(spec, model)
    note = fill(spec.empty_note, model) if empty and spec.empty_note else None
    header = tuple(
        tuple(Cell(fill(c.text, model), colspan=c.colspan, rowspan=c.rowspan) for c in row)
        for row in header_rows(spec.columns)
    )
    return Table(
        spec=spec,
        title=fill(spec.title, model),
        unit=spec.unit,
        header=header,
        body=tuple(body),
        empty=empty,
        note=note,
        labels=tuple("·".join(fill(h, model) for h in c.header) for c in spec.columns),
    )


# The fields a column may show, by the table's rows (what _cell, _overview_cell and
# _three_public look up), and the figures an overview table's income rows may name: a
# project's layout is checked against them when it is read (manifest.py).
AMOUNT_FIELDS = frozenset(
    {"total", "basic", "personnel", "public", "project", "fiscal", *SOURCE_KEYS.values()}
)
THREE_PUBLIC_FIELDS = (
    "total",
    "overseas",
    "vehicles",
    "vehicle_purchase",
    "vehicle_operation",
    "reception",
)
INCOME_FIGURES = frozenset(GROUPS) | frozenset(SOURCE_KEYS.values())


def known_fields(rows: str) -> frozenset[str]:
    """The fields a column of a table with these `rows` may show."""
    if rows in ("function", "economic"):
        return frozenset({"code", "name", "class", "kuan", "item"}) | AMOUNT_FIELDS
    if rows in ("overview", "fiscal_overview"):
        return frozenset(
            {"income_label", "income_amount", "spending_label", "spending_amount"}
            | {f"spending_{name}" for name in AMOUNT_FIELDS}
        )
    return frozenset({*THREE_PUBLIC_FIELDS, "operating_costs"})


def _group(spec: TableSpec) -> str:
    return spec.source or "all"


def _classified(spec: TableSpec, model) -> tuple[list[TableRow], bool]:
    lines = model.lines
    group = _group(spec)
    if spec.rows == "function":
        rows = lines.function_rows(group)
        totals = lines.totals(group)
    else:
        rows = lines.economic_rows(group)
        totals = lines.economic_totals(group)
    money_fields = [c.field for c in spec.columns if c.format == "money"]
    values = [r.get(f) for r in rows for f in money_fields]
    fmt = _Formatter(spec, lines.amount_unit, values)
    body = [
        TableRow(tuple(_cell(column, row, fmt) for column in spec.columns), row.level)
        for row in rows
    ]
    if spec.total_label is not None:
        body.append(_total_row(spec, totals, fmt, empty=not rows))
    return body, not rows


def _cell(column: ColumnSpec, row: Row, fmt: _Formatter) -> Cell:
    value = row.get(column.field)
    if column.format == "money":
        return fmt.cell(value)
    return Cell(value or "", value or None, column.format)


def _total_row(spec: TableSpec, totals: Amounts, fmt: _Formatter, empty: bool) -> TableRow:
    """合计: its label spans the code and name columns; its amounts are the lines' sums."""
    label_span = next(
        (i for i, c in enumerate(spec.columns) if c.format == "money"), len(spec.columns)
    )
    cells = [Cell(spec.total_label, spec.total_label, "text", colspan=label_span)]
    for column in spec.columns[label_span:]:
        if column.format != "money":
            cells.append(Cell(""))
        elif empty:
            cells.append(Cell("", None, "money"))
        else:
            cells.append(fmt.cell(totals.get(column.field), in_total=True))
    return TableRow(tuple(cells), "total")


def _figure(lines, name: str) -> Decimal:
    """An income figure of an overview table: a source key, or a group (fiscal)."""
    if name in GROUPS:
        return lines.totals(name).total
    return lines.by_source[name]


def _overview(spec: TableSpec, model) -> tuple[list[TableRow], bool]:
    """收支总表 / 财政拨款收支总表: income items on the left, the 类 rows of expenditure on
    the right, side by side; the two totals in the last row."""
    lines = model.lines
    group = "fiscal" if spec.rows == "fiscal_overview" else "all"
    classes = [r for r in lines.function_rows(group) if r.level == "类"]
    income = [(label, _figure(lines, figure)) for label, figure in spec.income]
    values = [v for _, v in income] + [
        r.amounts.get(_spending_field(c.field))
        for r in classes
        for c in spec.columns
        if c.field.startswith("spending_") and c.format == "money"
    ]
    fmt = _Formatter(spec, lines.amount_unit, values)
    body = []
    for i in range(max(len(income), len(classes))):
        cells = []
        for column in spec.columns:
            cells.append(_overview_cell(column, i, income, classes, fmt))
        body.append(TableRow(tuple(cells)))
    income_total = lines.totals(group).total
    totals = lines.totals(group)
    total_cells = []
    labels = iter(spec.total_labels or ("收入总计", "支出总计"))
    for column in spec.columns:
        if column.field.endswith("_label"):
            label = next(labels, "")
            total_cells.append(Cell(label, label, "text"))
        elif column.field == "income_amount":
            total_cells.append(fmt.cell(income_total, in_total=True))
        else:
            total_cells.append(fmt.cell(totals.get(_spending_field(column.field)), in_total=True))
    body.append(TableRow(tuple(total_cells), "total"))
    return body, not classes


def _spending_field(name: str) -> str:
    """spending_amount / spending_total → total; spending_general → general; …"""
    key = name.removeprefix("spending_")
    return "total" if key in ("amount", "total") else key


def _overview_cell(column, i, income, classes, fmt) -> Cell:
    if column.field == "income_label":
        return Cell(income[i][0], income[i][0]) if i < len(income) else Cell("")
    if column.field == "income_amount":
        return fmt.cell(income[i][1]) if i < len(income) else Cell("", None, "money")
    if i >= len(classes):
        return Cell("", None, column.format)
    row = classes[i]
    if column.field == "spending_label":
        label = f"{chinese_numeral(i + 1)}、{row.name}"
        return Cell(label, label)
    return fmt.cell(row.amounts.get(_spending_field(column.field)))


def _three_public(spec: TableSpec, model) -> tuple[list[TableRow], bool]:
    """One row: the 三公 items and, where the layout has the column, 机关运行经费 (万元)."""
    tp = model.three_public
    costs = model.operating_costs
    figures = {
        name: getattr(tp.current, name) if tp is not None else ZERO for name in THREE_PUBLIC_FIELDS
    }
    figures["operating_costs"] = costs.amount if costs is not None else ZERO
    fmt = _Formatter(spec, "万元", list(figures.values()))
    cells = tuple(fmt.cell(figures[c.field], in_total=True) for c in spec.columns)
    empty = all(figures[c.field] == 0 for c in spec.columns)
    return [TableRow(cells)], empty


__all__ = ["Cell", "Table", "TableRow", "build", "header_rows", "SOURCE_KEYS"]
