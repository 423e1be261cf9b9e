"""Budget lines: the fact table every statutory table and every budget figure is a query of.

A function line is an amount by 支出功能分类 项 code (7 digits) and source of funds, split
into basic expenditure (人员经费 and 公用经费, or basic unsplit) and project expenditure.
An economic line is basic expenditure by 部门预算支出经济分类 款 code (5 digits), split into
人员经费 and 公用经费. Published documents give these two views separately, so the data
holds either or both, and a rule checks that they agree.

Amounts stay in the unit they were written in (元 or 万元); `wan()` converts to 万元
exactly, and display rounds once (numbers.money). 类 and 款 rows are sums of 项 rows.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cached_property

from ..input.catalogue import Catalogue, split_code
from ..numbers import ZERO
from .base import Origin, derived, src_field

GENERAL = "一般公共预算"
SOURCES = (
    GENERAL,
    "政府性基金预算",
    "国有资本经营预算",
    "财政专户管理资金",
    "事业收入",
    "事业单位经营收入",
    "其他收入",
    "上年结转",
)
# Each source's field name in tables and the model's exported figures.
SOURCE_KEYS = {
    GENERAL: "general",
    "政府性基金预算": "fund",
    "国有资本经营预算": "capital",
    "财政专户管理资金": "special_account",
    "事业收入": "business",
    "事业单位经营收入": "operating",
    "其他收入": "other",
    "上年结转": "carried_over",
}
FISCAL = (GENERAL, "政府性基金预算", "国有资本经营预算")  # 财政拨款
GROUPS: dict[str, tuple[str, ...]] = {
    "all": SOURCES,
    "fiscal": FISCAL,
    "general": (GENERAL,),
    "fund": ("政府性基金预算",),
    "capital": ("国有资本经营预算",),
}
WAN = Decimal(10000)


def _sum(values) -> Decimal:
    return sum(values, ZERO)


def _sum_or_none(values) -> Decimal | None:
    """A sum that is unknown if any part is (a line that gives basic unsplit)."""
    values = list(values)
    if any(v is None for v in values):
        return None
    return _sum(values)


@dataclass(frozen=True)
class FunctionLine:
    code: str
    source: str
    personnel: Decimal | None
    public: Decimal | None
    basic_unsplit: Decimal | None  # written as `basic` when not split
    project: Decimal
    src: Origin | None = src_field()

    @derived
    def basic(self) -> Decimal:
        if self.basic_unsplit is not None:
            return self.basic_unsplit
        return (self.personnel or ZERO) + (self.public or ZERO)

    @derived
    def total(self) -> Decimal:
        return self.basic + self.project

    @property
    def is_split(self) -> bool:
        return self.basic_unsplit is None

    @property
    def key(self) -> tuple[str, str]:
        return (self.code, self.source)


@dataclass(frozen=True)
class EconomicLine:
    code: str
    source: str
    personnel: Decimal
    public: Decimal
    src: Origin | None = src_field()

    @derived
    def total(self) -> Decimal:
        return self.personnel + self.public

    @property
    def key(self) -> tuple[str, str]:
        return (self.code, self.source)


@dataclass(frozen=True)
class ClassSplit:
    """人员经费 and 公用经费 of a 类's basic expenditure written unsplit (`basic`), all
    sources together: the level at which a 收支总表 gives them."""

    code: str  # 3 digits
    personnel: Decimal
    public: Decimal
    src: Origin | None = src_field()


class ClassSplits:
    """The year's class splits, and for each 类 which lines give basic unsplit: a split
    tells the 人员经费 of a set of lines only if that set holds every such line of the 类."""

    def __init__(self, splits, function) -> None:
        self.by_code = {s.code: s for s in splits}
        self.unsplit: dict[str, set] = defaultdict(set)
        for line in function:
            if not line.is_split:
                self.unsplit[line.code[:3]].add(line.key)

    def fill(self, lines) -> tuple[Decimal | None, Decimal | None]:
        """人员经费 and 公用经费 of these lines, or (None, None) where unknown."""
        personnel = public = ZERO
        here: dict[str, set] = defaultdict(set)
        for line in lines:
            if line.is_split:
                personnel += line.personnel or ZERO
                public += line.public or ZERO
            else:
                here[line.code[:3]].add(line.key)
        for code, keys in here.items():
            split = self.by_code.get(code)
            if split is None or not self.unsplit[code] <= keys:
                return None, None
            personnel += split.personnel
            public += split.public
        return personnel, public


@dataclass(frozen=True)
class Amounts:
    """A sum of lines: basic (人员 + 公用, where known) and project; and by source."""

    personnel: Decimal | None
    public: Decimal | None
    basic: Decimal
    project: Decimal
    by_source: dict[str, Decimal] = field(hash=False)

    @property
    def total(self) -> Decimal:
        return self.basic + self.project

    @property
    def fiscal(self) -> Decimal:
        return _sum(self.by_source.get(SOURCE_KEYS[s], ZERO) for s in FISCAL)

    def get(self, name: str) -> Decimal | None:
        """A figure by its table field name: total, basic, personnel, public, project,
        fiscal, or a source key (general, fund, business, …)."""
        if name in ("total", "basic", "personnel", "public", "project", "fiscal"):
            return getattr(self, name)
        if name in SOURCE_KEYS.values():
            return self.by_source.get(name, ZERO)
        raise KeyError(name)


def sum_function(lines, splits: ClassSplits | None = None) -> Amounts:
    """The sum of function lines; 人员经费 and 公用经费 where every line gives them, or
    the class splits make up for the lines that do not."""
    lines = list(lines)
    by_source: dict[str, Decimal] = defaultdict(lambda: ZERO)
    for line in lines:
        by_source[SOURCE_KEYS[line.source]] += line.total
    personnel = _sum_or_none(line.personnel if line.is_split else None for line in lines)
    public = _sum_or_none(line.public if line.is_split else None for line in lines)
    if personnel is None and splits is not None and splits.by_code:
        personnel, public = splits.fill(lines)
    return Amounts(
        personnel=personnel,
        public=public,
        basic=_sum(line.basic for line in lines),
        project=_sum(line.project for line in lines),
        by_source=dict(by_source),
    )


def sum_economic(lines) -> Amounts:
    lines = list(lines)
    by_source: dict[str, Decimal] = defaultdict(lambda: ZERO)
    for line in lines:
        by_source[SOURCE_KEYS[line.source]] += line.total
    personnel = _sum(line.personnel for line in lines)
    public = _sum(line.public for line in lines)
    return Amounts(personnel, public, personnel + public, ZERO, dict(by_source))


@dataclass(frozen=True)
class Row:
    """One row of a classification table: a 类, 款 or 项 with the sum of its lines."""

    level: str  # 类, 款 or 项
    code: str
    name: str
    amounts: Amounts

    def get(self, name: str):
        if name == "code":
            return self.code
        if name == "name":
            return self.name
        if name in ("class", "kuan", "item"):
            parts = split_code(self.code)
            return parts[("class", "kuan", "item").index(name)]
        return self.amounts.get(name)


@dataclass(frozen=True)
class BudgetLines:
    """The year's budget lines and every query over them."""

    amount_unit: str
    function: tuple[FunctionLine, ...]
    economic: tuple[EconomicLine, ...]
    catalogue: Catalogue | None = field(
        default=None, repr=False, compare=False, metadata={"origin": True}
    )
    # 人员经费/公用经费 by 类 for lines written with `basic` (lines.yaml class_split);
    # left out of the exported model when there is none.
    class_split: tuple[ClassSplit, ...] = field(default=(), metadata={"omit_empty": True})
    src: Origin | None = src_field()

    @cached_property
    def splits(self) -> ClassSplits:
        return ClassSplits(self.class_split, self.function)

    def wan(self, value: Decimal | None) -> Decimal | None:
        """An amount of these lines in 万元, exact (rounded only when displayed)."""
        if value is None:
            return None
        return value / WAN if self.amount_unit == "元" else value

    def function_lines(self, group: str = "all") -> tuple[FunctionLine, ...]:
        sources = GROUPS[group]
        return tuple(line for line in self.function if line.source in sources)

    def economic_lines(self, group: str = "all") -> tuple[EconomicLine, ...]:
        sources = GROUPS[group]
        return tuple(line for line in self.economic if line.source in sources)

    def totals(self, group: str = "all") -> Amounts:
        return sum_function(self.function_lines(group), self.splits)

    def economic_totals(self, group: str = "all") -> Amounts:
        return sum_economic(self.economic_lines(group))

    def function_rows(self, group: str = "all") -> list[Row]:
        return self._rows_cache("function", group)

    def economic_rows(self, group: str = "all") -> list[Row]:
        return self._rows_cache("economic", group)

    @cached_property
    def _rows(self) -> dict:
        return {}

    def _rows_cache(self, kind: str, group: str) -> list[Row]:
        key = (kind, group)
        if key not in self._rows:
            lines = self.function_lines(group) if kind == "function" else self.economic_lines(group)
            self._rows[key] = _classified_rows(kind, lines, self.catalogue, self.splits)
        return self._rows[key]

    # What the text and the diff read: the totals of each group, and every 类/款/项 row.

    @derived
    def total(self) -> Decimal:
        return self.totals().total

    @derived
    def basic(self) -> Decimal:
        return self.totals().basic

    @derived
    def project(self) -> Decimal:
        return self.totals().project

    @derived
    def personnel(self) -> Decimal:
        """人员经费: from the function lines where they are split, else the economic lines."""
        known = self.totals().personnel
        return known if known is not None else self.economic_totals().personnel

    @derived
    def public(self) -> Decimal:
        known = self.totals().public
        return known if known is not None else self.economic_totals().public

    @derived
    def by_source(self) -> dict[str, Decimal]:
        totals = self.totals().by_source
        return {SOURCE_KEYS[s]: totals.get(SOURCE_KEYS[s], ZERO) for s in SOURCES}

    @derived
    def fiscal(self) -> Decimal:
        return self.totals("fiscal").total

    # Every 类/款/项 row, keyed "code name", so the diff names each row a change moves.

    @derived
    def function_totals(self) -> dict[str, Decimal]:
        return {_row_key(r): r.amounts.total for r in self.function_rows()}

    @derived
    def function_basic(self) -> dict[str, Decimal]:
        return {_row_key(r): r.amounts.basic for r in self.function_rows()}

    @derived
    def function_project(self) -> dict[str, Decimal]:
        return {_row_key(r): r.amounts.project for r in self.function_rows()}

    @derived
    def economic_personnel(self) -> dict[str, Decimal]:
        return {_row_key(r): r.amounts.personnel for r in self.economic_rows()}

    @derived
    def economic_public(self) -> dict[str, Decimal]:
        return {_row_key(r): r.amounts.public for r in self.economic_rows()}


def _row_key(row: Row) -> str:
    return f"{row.code} {row.name}".strip()


def _classified_rows(
    kind: str, lines, catalogue: Catalogue | None, splits: ClassSplits | None = None
) -> list[Row]:
    """项 (or 款) rows with their 类 and 款 rows above them, in code order."""

    def summing(group):
        if kind == "function":
            return sum_function(group, splits)
        return sum_economic(group)

    groups: dict[str, list] = defaultdict(list)
    for line in lines:
        code = line.code
        prefixes = (code[:3], code[:5], code) if kind == "function" else (code[:3], code)
        for prefix in dict.fromkeys(prefixes):
            groups[prefix].append(line)

    def name_of(code: str) -> str:
        if catalogue is not None and catalogue.has(kind, code):
            return catalogue.name(kind, code)
        return ""

    levels = {3: "类", 5: "款", 7: "项"}
    return [
        Row(levels[len(code)], code, name_of(code), summing(groups[code]))
        for code in sorted(groups)
    ]


def merge(all_lines: list[BudgetLines], catalogue: Catalogue | None) -> BudgetLines:
    """A department's lines: its units' lines added up by code and source, in 元 when every
    unit writes 元, else in 万元."""
    unit = "元" if all(lines.amount_unit == "元" for lines in all_lines) else "万元"

    def convert(value: Decimal | None, lines: BudgetLines) -> Decimal | None:
        if value is None or lines.amount_unit == unit:
            return value
        return value / WAN

    function: dict[tuple, list] = defaultdict(list)
    economic: dict[tuple, list] = defaultdict(list)
    for lines in all_lines:
        for line in lines.function:
            function[line.key].append((line, lines))
        for line in lines.economic:
            economic[line.key].append((line, lines))

    def add(values):
        return None if any(v is None for v in values) else _sum(values)

    merged_function = []
    for (code, source), parts in sorted(function.items()):
        split = all(line.is_split for line, _ in parts)
        merged_function.append(
            FunctionLine(
                code=code,
                source=source,
                personnel=add([convert(line.personnel, ls) for line, ls in parts])
                if split
                else None,
                public=add([convert(line.public, ls) for line, ls in parts]) if split else None,
                basic_unsplit=None
                if split
                else _sum(convert(line.basic, ls) for line, ls in parts),
                project=_sum(convert(line.project, ls) for line, ls in parts),
            )
        )
    merged_split = _merged_splits(all_lines, merged_function, convert)
    merged_economic = [
        EconomicLine(
            code=code,
            source=source,
            personnel=_sum(convert(line.personnel, ls) for line, ls in parts),
            public=_sum(convert(line.public, ls) for line, ls in parts),
        )
        for (code, source), parts in sorted(economic.items())
    ]
    return BudgetLines(
        unit, tuple(merged_function), tuple(merged_economic), catalogue, class_split=merged_split
    )


def _merged_splits(all_lines, merged_function, convert) -> tuple[ClassSplit, ...]:
    """A department's class splits: for each 类 whose merged lines give basic unsplit, the
    units' 人员经费 and 公用经费 of that 类 (each unit's must be known) less the merged
    lines that give them."""
    if not any(lines.class_split for lines in all_lines):
        return ()
    out = []
    unsplit = sorted({line.code[:3] for line in merged_function if not line.is_split})
    for code in unsplit:
        personnel = public = ZERO
        for lines in all_lines:
            row = next((r for r in lines.function_rows() if r.code == code), None)
            if row is None:
                continue
            if row.amounts.personnel is None:
                break
            personnel += convert(row.amounts.personnel, lines)
            public += convert(row.amounts.public, lines)
        else:
            for line in merged_function:
                if line.code[:3] == code and line.is_split:
                    personnel -= line.personnel or ZERO
                    public -= line.public or ZERO
            out.append(ClassSplit(code, personnel, public))
    return tuple(out)
