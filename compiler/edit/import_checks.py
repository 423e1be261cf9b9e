"""What the tables of an imported workbook must satisfy before anything is written.

A workbook handed over by an office can carry every kind of slip: a 合计 that lost 0.34 元, a
project amount typed into the basic column, a code typed twice, a name that is not its
code's, one table that disagrees with the others. Each check here is a small function of
the tables read by import_tables (and the year's catalogue) returning errors located at the
cell (单位支出总表!E12) with both figures; where several tables show the same figure, the
message says which figure the others agree on, so the office knows what to correct.

- every row: 合计 = 基本支出 + 项目支出, 基本支出 = 人员经费 + 公用经费, 合计 = its sources;
- every 类 and 款 row and every 合计 row: the sum of the rows under it, in every column;
- codes: each once per table, each in the year's catalogue, each with its catalogue name;
- the tables against each other: every figure two tables show (a 项's 合计 in the income
  and the expenditure table, a 类 in the overviews, the fiscal tables' totals, basic
  expenditure in the function and the economic table, …);
- the 三公 table: its own sums, and not less than what the economic table gives to
  因公出国（境）费用 (30212), 公务接待费 (30217) and 公务用车运行维护费 (30231).
"""

from __future__ import annotations

import unicodedata
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from ..diagnostics import Diagnostic
from ..i18n import _
from ..input.catalogue import Catalogue
from .import_tables import FIGURE_WORDS as WORDS
from .import_tables import Figure, Table, problem

FISCAL_TABLES = {
    "general": "general_function",
    "fund": "fund_function",
    "capital": "capital_function",
}
NON_FISCAL = ("special_account", "business", "operating", "other", "carried_over")
SOURCE_FIGURES = ("fiscal", "general", "fund", "capital", *NON_FISCAL)
WAN = Decimal(10000)


def money(value: Decimal) -> str:
    return format(value, "f")


def check(tables: dict[str, Table], catalogue: Catalogue) -> list[Diagnostic]:
    """Every problem of the workbook's figures (the overviews' 类 rows get their codes)."""
    problems: list[Diagnostic] = []
    for rule in (codes, overview_classes, rows_add_up, classes_add_up, tables_agree, three_public):
        problems += rule(tables, catalogue)
    return problems


# --- codes and names -------------------------------------------------------------------


def _same_name(a: str, b: str) -> bool:
    """Names compared as printed, whatever the width of brackets or spaces."""

    def plain(text: str) -> str:
        return "".join(unicodedata.normalize("NFKC", text).split())

    return plain(a) == plain(b)


def codes(tables: dict[str, Table], catalogue: Catalogue) -> list[Diagnostic]:
    """Each code once per table, known to the year's catalogue, beside its own name."""
    problems = []
    for table in tables.values():
        if table.kind in ("overview", "fiscal_overview", "three_public"):
            continue
        kind = "economic" if table.kind == "economic" else "function"
        seen: dict[str, str] = {}
        for row in table.rows:
            if row.code in seen:
                problems.append(
                    problem(
                        row.code_cell,
                        _(
                            "{code} is written twice in this table (first at {first}): "
                            "correct the code of one of the rows"
                        ).format(code=row.code, first=seen[row.code]),
                    )
                )
                continue
            seen[row.code] = row.code_cell
            if not catalogue.has(kind, row.code):
                near = "、".join(f"{c} {n}" for c, n in catalogue.suggest(kind, row.code))
                problems.append(
                    problem(
                        row.code_cell,
                        _("{code} is not a code of the {year} catalogue (nearest: {near})").format(
                            code=row.code, year=catalogue.year, near=near or "—"
                        ),
                    )
                )
            elif row.name and not _same_name(row.name, catalogue.name(kind, row.code)):
                problems.append(
                    problem(
                        row.name_cell,
                        _(
                            "the name beside {code} is {name}, but the {year} catalogue "
                            "names {code} {expected}: correct the code or the name"
                        ).format(
                            code=row.code,
                            name=row.name,
                            year=catalogue.year,
                            expected=catalogue.name(kind, row.code),
                        ),
                    )
                )
    return problems


def overview_classes(tables: dict[str, Table], catalogue: Catalogue) -> list[Diagnostic]:
    """An overview names each 类 without its code: find the code by the catalogue's name."""
    by_name = {
        "".join(unicodedata.normalize("NFKC", name).split()): code
        for code, name in catalogue.function.items()
        if len(code) == 3
    }
    problems = []
    for kind in ("overview", "fiscal_overview"):
        table = tables.get(kind)
        if table is None:
            continue
        seen: dict[str, str] = {}
        for row in table.rows:
            code = by_name.get("".join(unicodedata.normalize("NFKC", row.name).split()))
            if code is None:
                problems.append(
                    problem(
                        row.name_cell,
                        _(
                            "'{name}' is not the name of a 类 of the {year} catalogue "
                            "(支出功能分类)"
                        ).format(name=row.name, year=catalogue.year),
                    )
                )
            elif code in seen:
                problems.append(
                    problem(
                        row.name_cell,
                        _("{name} is written twice in this table (first at {first})").format(
                            name=row.name, first=seen[code]
                        ),
                    )
                )
            else:
                seen[code] = row.name_cell
                row.code = code
    return problems


# --- each row and each sum -----------------------------------------------------------------


def _parts_of(table: Table) -> list[tuple[str, tuple[str, ...]]]:
    """The equations of a row of this table: (whole, its parts), where it has the columns."""
    have = table.fields
    rules: list[tuple[str, tuple[str, ...]]] = []
    if table.kind == "three_public":
        return [
            ("total", ("overseas", "reception", "vehicles")),
            ("vehicles", ("vehicle_purchase", "vehicle_operation")),
        ]
    if table.kind == "fiscal_overview":
        return [("total", ("general", "fund", "capital"))]
    if table.kind == "income":
        sources = tuple(s for s in SOURCE_FIGURES if s in have)
        if "fiscal" in sources:
            sources = tuple(s for s in sources if s not in ("general", "fund", "capital"))
        return [("total", sources)]
    if "basic" in have:
        rules.append(("total", ("basic", "project")))
        rules.append(("basic", ("personnel", "public")))
    elif "personnel" in have or "public" in have:
        rules.append(("total", ("personnel", "public", "project")))
    return rules


def unsplit(figures: dict[str, Figure]) -> bool:
    """An overview row that leaves 人员经费 and 公用经费 both blank does not give them (the
    lines give basic expenditure unsplit), unless its basic expenditure is 0."""
    return all(figures[n].blank for n in ("personnel", "public") if n in figures) and (
        "personnel" in figures or "public" in figures
    )


def row_problems(table: Table, figures: dict[str, Figure], rules=None) -> list[Diagnostic]:
    """A row's figures against its equations: `rules` (whole, parts), else the table's."""
    problems = []
    for whole, parts in _parts_of(table) if rules is None else rules:
        if table.kind == "overview" and "personnel" in parts and unsplit(figures):
            continue
        present = [p for p in parts if p in figures]
        if whole not in figures or len(present) < 2:
            continue
        added = sum((figures[p].value for p in present), Decimal(0))
        if added != figures[whole].value:
            problems.append(
                problem(
                    figures[whole].cell,
                    _(
                        "{whole} is {amount}, but {parts} add up to {added} "
                        "(difference {difference}): correct the figure that is wrong"
                    ).format(
                        whole=WORDS[whole],
                        amount=money(figures[whole].value),
                        parts=" + ".join(f"{WORDS[p]} {money(figures[p].value)}" for p in present),
                        added=money(added),
                        difference=money(figures[whole].value - added),
                    ),
                )
            )
    return problems


def rows_add_up(tables: dict[str, Table], catalogue: Catalogue) -> list[Diagnostic]:
    """Each row's 合计 against its columns; an overview's income lines against theirs."""
    problems = []
    for table in tables.values():
        for row in table.rows:
            problems += row_problems(table, row.amounts)
        problems += row_problems(table, table.total)
        income = table.income
        if income:
            parts = [k for k in ("general", "fund", "capital") if k in income]
            if "fiscal" in income and parts:
                problems += sum_problem(income["fiscal"], [income[k] for k in parts], parts)
            if "total" in income:
                keys = [
                    k
                    for k in income
                    if k != "total"
                    and not ("fiscal" in income and k in ("general", "fund", "capital"))
                ]
                problems += sum_problem(income["total"], [income[k] for k in keys], keys)
    return problems


def sum_problem(whole: Figure, parts: list[Figure], names: list[str]) -> list[Diagnostic]:
    added = sum((p.value for p in parts), Decimal(0))
    if added == whole.value:
        return []
    return [
        problem(
            whole.cell,
            _(
                "{amount} is not the sum of the lines it totals ({parts}), which add up to "
                "{added} (difference {difference})"
            ).format(
                amount=money(whole.value),
                parts=" + ".join(
                    f"{WORDS.get(n, n)} {money(p.value)}" for n, p in zip(names, parts, strict=True)
                ),
                added=money(added),
                difference=money(whole.value - added),
            ),
        )
    ]


def classes_add_up(tables: dict[str, Table], catalogue: Catalogue) -> list[Diagnostic]:
    """Each 类 and 款 row, and the 合计 row, against the rows under it, in every column; a
    row under a 类 or 款 the table does not show is a row out of place."""
    problems = []
    for table in tables.values():
        if table.kind in ("three_public",):
            continue
        leaf = 5 if table.kind == "economic" else 7
        rows = {r.code: r for r in table.rows if r.code}
        code_table = table.kind not in ("overview", "fiscal_overview")
        leaves = (
            [r for r in rows.values() if len(r.code) == leaf] if code_table else list(rows.values())
        )
        if code_table:
            for row in rows.values():
                for parent in (row.code[:3], row.code[:5]):
                    if len(parent) < len(row.code) and parent not in rows:
                        problems.append(
                            problem(
                                row.code_cell,
                                _(
                                    "{code} stands without the row of {parent} above it: "
                                    "add the row of {parent}, or correct the code"
                                ).format(code=row.code, parent=parent),
                            )
                        )
                        break
            for row in rows.values():
                if len(row.code) == leaf:
                    continue
                under = [r for r in leaves if r.code.startswith(row.code)]
                problems += _column_sums(
                    row.amounts, under, _("the rows under {code}").format(code=row.code)
                )
        if table.total:
            problems += _column_sums(
                table.total,
                leaves if code_table else list(rows.values()),
                _("the rows of the table"),
            )
    return problems


def _column_sums(figures: dict[str, Figure], under, what: str) -> list[Diagnostic]:
    problems = []
    for name, figure in figures.items():
        if name not in WORDS or (name in ("personnel", "public") and unsplit(figures)):
            continue
        added = sum((r.amounts[name].value for r in under if name in r.amounts), Decimal(0))
        if added != figure.value:
            problems.append(
                problem(
                    figure.cell,
                    _(
                        "{column} is {amount}, but {what} add up to {added} (difference "
                        "{difference}): correct the figure that is wrong"
                    ).format(
                        column=WORDS[name],
                        amount=money(figure.value),
                        what=what,
                        added=money(added),
                        difference=money(figure.value - added),
                    ),
                )
            )
    return problems


# --- the tables against each other ---------------------------------------------------------


@dataclass(frozen=True)
class Seen:
    """A figure as one table shows it: a cell, a sum of cells, or a row the table lacks."""

    value: Decimal
    where: str  # a cell, or cells joined with +, or "sheet (no row …)"
    cell: str | None  # where a problem with it is reported (None: a missing row)


def seen_of(table: Table | None, row, name: str) -> Seen | None:
    if table is None or name not in table.fields:
        return None
    if row is None:
        return Seen(Decimal(0), _("{sheet} (no row)").format(sheet=table.sheet), None)
    figure = row.amounts[name]
    return Seen(figure.value, figure.cell, figure.cell)


def summed(seen: list[Seen | None]) -> Seen | None:
    """A figure made of several tables' cells (a table without the row adds nothing)."""
    parts = [s for s in seen if s is not None]
    if not parts:
        return None
    nonzero = [s for s in parts if s.value]
    if len(parts) == 1 or len(nonzero) == 1 and nonzero[0].cell:
        return nonzero[0] if nonzero else parts[0]  # the others add nothing
    shown = [s for s in parts if s.cell]
    if not nonzero and shown:
        return Seen(Decimal(0), shown[0].where, shown[0].cell)
    cells = [s.where for s in parts if s.cell]
    return Seen(
        sum((s.value for s in parts), Decimal(0)),
        " + ".join(cells) or parts[0].where,
        None,
    )


def _non_fiscal(income: Table | None, row) -> Seen | None:
    """What sources other than 财政拨款 fund a row, by the income table."""
    if income is None:
        return None
    return summed([seen_of(income, row, name) for name in NON_FISCAL]) or Seen(Decimal(0), "", None)


def tables_agree(tables: dict[str, Table], catalogue: Catalogue) -> list[Diagnostic]:
    """Every figure that two or more tables show, compared; the odd one out is reported
    with the figure the others agree on."""
    figures: dict[tuple[str, str], list[Seen]] = defaultdict(list)

    def add(key, seen):
        if seen is not None:
            figures[key].append(seen)

    t = tables.get
    income, spending, overview, fiscal_overview = (
        t("income"),
        t("expenditure"),
        t("overview"),
        t("fiscal_overview"),
    )
    fiscal = {s: t(k) for s, k in FISCAL_TABLES.items()}
    function_codes = sorted(
        {
            r.code
            for k in (
                "income",
                "expenditure",
                *FISCAL_TABLES.values(),
                "overview",
                "fiscal_overview",
            )
            if t(k) is not None
            for r in t(k).rows
            if r.code
        }
    )

    def row(table, code):
        if table is None:
            return None
        return next((r for r in table.rows if r.code == code), None)

    for code in function_codes:
        is_class = len(code) == 3
        for name in ("total", "basic", "project"):
            add((code, name), seen_of(spending, row(spending, code), name))
        add((code, "total"), seen_of(income, row(income, code), "total"))
        if is_class and overview is not None:
            o = row(overview, code)
            add((code, "total"), seen_of(overview, o, "total"))
            add((code, "project"), seen_of(overview, o, "project"))
            if "basic" in overview.fields:
                add((code, "basic"), seen_of(overview, o, "basic"))
            elif {"personnel", "public"} <= overview.fields.keys() and not (
                o is not None and unsplit(o.amounts)
            ):
                add(
                    (code, "basic"),
                    summed([seen_of(overview, o, "personnel"), seen_of(overview, o, "public")]),
                )
        for source, table in fiscal.items():
            add((code, source), seen_of(table, row(table, code), "total"))
            add((code, source), seen_of(income, row(income, code), source))
            if is_class:
                add((code, source), seen_of(fiscal_overview, row(fiscal_overview, code), source))
        if any(fiscal.values()):
            add(
                (code, "fiscal"),
                summed([seen_of(tb, row(tb, code), "total") for tb in fiscal.values()]),
            )
        others = _non_fiscal(income, row(income, code))
        if others is not None and spending is not None and not others.value:
            # no other source funds this row: the expenditure table shows its fiscal part
            s = row(spending, code)
            add((code, "fiscal"), seen_of(spending, s, "total"))
            if any(fiscal.values()):
                for name in ("basic", "project"):
                    add(
                        (code, name),
                        summed([seen_of(tb, row(tb, code), name) for tb in fiscal.values()]),
                    )
        add((code, "fiscal"), seen_of(income, row(income, code), "fiscal"))
        if is_class:
            add((code, "fiscal"), seen_of(fiscal_overview, row(fiscal_overview, code), "total"))

    # The totals: the 合计 rows and the overviews' income lines.
    def total(table, name):
        if table is None or name not in table.total:
            return None
        f = table.total[name]
        return Seen(f.value, f.cell, f.cell)

    def line(table, name):
        if table is None or name not in table.income:
            return None
        f = table.income[name]
        return Seen(f.value, f.cell, f.cell)

    everything = ("", "all")
    add(everything, line(overview, "total"))
    add(everything, total(overview, "total"))
    add(everything, total(income, "total"))
    add(everything, total(spending, "total"))
    split = overview is not None and overview.total and not unsplit(overview.total)
    for name in ("basic", "project", "personnel", "public"):
        add(("", name), total(spending, name))
        if name in ("basic", "project") or split:
            add(("", name), total(overview, name))
    if split and "basic" not in overview.fields:
        add(("", "basic"), summed([total(overview, "personnel"), total(overview, "public")]))
    add(("", "fiscal"), line(overview, "fiscal"))
    add(("", "fiscal"), total(income, "fiscal"))
    add(("", "fiscal"), line(fiscal_overview, "total"))
    add(("", "fiscal"), total(fiscal_overview, "total"))
    if any(fiscal.values()):
        add(("", "fiscal"), summed([total(tb, "total") for tb in fiscal.values()]))
    for source, table in fiscal.items():
        add(("", source), line(overview, source))
        add(("", source), total(income, source))
        add(("", source), line(fiscal_overview, source))
        add(("", source), total(fiscal_overview, source))
        add(("", source), total(table, "total"))
    for source in NON_FISCAL:
        add(("", source), line(overview, source))
        add(("", source), total(income, source))
    economic, general = t("economic"), fiscal["general"]
    add(("", "general basic"), total(general, "basic"))
    add(("", "general basic"), total(economic, "total"))
    for name in ("personnel", "public"):
        add(("", f"general {name}"), total(general, name))
        add(("", f"general {name}"), total(economic, name))
    # Basic expenditure all of it 一般公共预算: the economic table's 人员/公用 are the whole's.
    whole, of_general = total(spending, "basic"), total(general, "basic")
    if whole is not None and of_general is not None and whole.value == of_general.value:
        for name in ("personnel", "public"):
            if ("", name) in figures:
                add(("", name), total(economic, name))

    return [p for key, seen in figures.items() for p in disagreements(key, seen, catalogue)]


def _describe(key: tuple[str, str], catalogue: Catalogue) -> str:
    code, name = key
    words = {
        "all": "收支总计",
        "general basic": "一般公共预算基本支出",
        "general personnel": "一般公共预算基本支出·人员经费",
        "general public": "一般公共预算基本支出·公用经费",
    }
    figure = words.get(name) or WORDS.get(name, name)
    if not code:
        return figure
    label = catalogue.name("function", code) if catalogue.has("function", code) else ""
    return f"{code} {label} {figure}".replace("  ", " ")


def disagreements(key, seen: list[Seen], catalogue: Catalogue) -> list[Diagnostic]:
    values = {s.value for s in seen}
    if len(values) < 2:
        return []
    counts = defaultdict(list)
    for s in seen:
        counts[s.value].append(s)
    ranked = sorted(counts.items(), key=lambda kv: -len(kv[1]))
    what = _describe(key, catalogue)
    if len(ranked[0][1]) > len(ranked[1][1]):
        agreed, agreeing = ranked[0]
        problems = []
        for value, odd in ranked[1:]:
            for s in odd:
                where = s.cell or agreeing[0].cell or next(x.cell for x in seen if x.cell)
                problems.append(
                    problem(
                        where,
                        _(
                            "{what}: {place} gives {value}, but {others} agree on {agreed}: "
                            "correct {place}"
                        ).format(
                            what=what,
                            place=s.where,
                            value=money(value),
                            others=_("、").join(a.where for a in agreeing),
                            agreed=money(agreed),
                        ),
                    )
                )
        return problems
    first = next((s for s in seen if s.cell), seen[0])
    return [
        problem(
            first.cell or first.where,
            _("{what}: the tables disagree ({list}); correct the ones that are wrong").format(
                what=what,
                list=_("、").join(f"{s.where} {money(s.value)}" for s in seen),
            ),
        )
    ]


# --- the 三公 table -------------------------------------------------------------------------

THREE_PUBLIC_CODES = {"overseas": "30212", "reception": "30217", "vehicle_operation": "30231"}


def three_public(tables: dict[str, Table], catalogue: Catalogue) -> list[Diagnostic]:
    """The 三公 figures cover all fiscal spending on them, basic and project; the economic
    table shows basic expenditure of 一般公共预算 only, so its 30212, 30217 and 30231 cannot
    exceed them (and 机关运行经费 cannot exceed its 公用经费)."""
    table, economic = tables.get("three_public"), tables.get("economic")
    if table is None or economic is None or not table.rows:
        return []
    figures = table.rows[0].amounts
    scale = _scale(economic.unit, table.unit)
    problems = []
    by_code = {r.code: r for r in economic.rows}
    pairs = [
        (name, by_code[code].amounts.get("total"), code)
        for name, code in THREE_PUBLIC_CODES.items()
        if name in figures and code in by_code
    ]
    if "operating_costs" in figures and "public" in economic.total:
        pairs.append(("operating_costs", economic.total["public"], None))
    for name, basic, code in pairs:
        if basic is None:
            continue
        shown, part = figures[name], basic.value * scale
        if name == "operating_costs" and shown.value > part:
            problems.append(
                problem(
                    shown.cell,
                    _(
                        "机关运行经费 is {amount} {unit}, more than all 公用经费 of "
                        "一般公共预算基本支出 ({public} {public_unit} at {cell}), of which it "
                        "is a part: one of them is wrong"
                    ).format(
                        amount=money(shown.value),
                        unit=table.unit,
                        public=money(basic.value),
                        public_unit=economic.unit,
                        cell=basic.cell,
                    ),
                )
            )
        elif name != "operating_costs" and part > shown.value:
            problems.append(
                problem(
                    shown.cell,
                    _(
                        "{item} is {amount} {unit}, less than the {basic} {basic_unit} that "
                        "basic expenditure alone gives to {code} at {cell}: one of them is wrong"
                    ).format(
                        item=WORDS[name],
                        amount=money(shown.value),
                        unit=table.unit,
                        basic=money(basic.value),
                        basic_unit=economic.unit,
                        code=code,
                        cell=basic.cell,
                    ),
                )
            )
    return problems


def _scale(source: str, target: str) -> Decimal:
    if source == target:
        return Decimal(1)
    return Decimal(1) / WAN if target == "万元" else WAN
