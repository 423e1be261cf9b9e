"""Compare two computed disclosures: what a reviewer has to check, not what the YAML text did.

The diff walks both models (primary facts and every `@derived` figure, as `to_tree` exports
them), so an edit to one procurement item also shows the subtotal, total and funding column
it moves. List entries are matched by identity — a procurement item by its catalogue code
and name within its source project, a project by its name, an indicator row by its three
levels, a duty or goal text by similarity — so inserting one row reports one added row,
not every row after it as changed. Text is compared character by character (Chinese has no
spaces to split words at).

Comparing two different years is the main use. Then the year itself, the previous-year
baseline, the year-over-year changes computed from it, and texts that differ only by the
year number (2022年 → 2023年) are not reported unless asked for (`show_all`): they move
with the year and would drown what changed.
"""

from __future__ import annotations

import dataclasses
import re
from collections import defaultdict, deque
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from difflib import SequenceMatcher
from typing import Any

from .model import Change, Disclosure, ProcurementItem, derived_names, to_tree
from .numbers import item_number, money, plain_number

# --- labels -------------------------------------------------------------------------------

# Top-level model field → the part of the disclosure it belongs to, in publication order.
SECTIONS: dict[str, str] = {
    "year": "年度",
    "unit": "单位概况",
    "legal_bases": "编制依据",
    "duties": "单位职责",
    "budget": "单位预算安排总体情况",
    "operating_costs": "机关运行经费",
    "three_public": "财政拨款“三公”经费",
    "performance": "单位整体绩效目标",
    "indicators": "单位整体支出绩效指标",
    "projects": "项目资金绩效目标",
    "procurement": "政府采购预算",
    "planned_asset_purchases": "政府采购预算",
    "assets": "国有资产信息",
    "glossary": "名词解释",
    "other_matters": "其他需要说明的事项",
}
SECTION_ORDER = list(dict.fromkeys(SECTIONS.values()))

_THREE = {
    "overseas": "因公出国（境）费",
    "vehicle_purchase": "公务用车购置费",
    "vehicle_operation": "公务用车运维费",
    "vehicles": "公务用车购置及运维费",
    "reception": "公务接待费",
    "total": "三公经费合计",
}
_INDICATOR = {
    "level1": "一级指标",
    "level2": "二级指标",
    "name": "三级指标",
    "description": "指标描述",
    "target.sign": "指标值符号",
    "target.value": "指标值",
    "target.unit": "指标值单位",
    "target.text": "指标值（文字）",
    "basis": "指标值确定依据",
    "scoring": "评（扣）分标准",
}
_ASSET = {"name": "名称", "unit": "计量单位", "quantity": "数量", "value": "价值"}
_CHANGES = {"basic": "基本支出", "project": "项目支出", "total": "支出合计"}

# Model field pattern (list entries as `[]`, any dict key as `*`) → human name. Inside a
# list entry the name follows the entry's own label:
# "政府采购 › 机关工作经费 › 台式计算机 › 金额".
LABELS: dict[str, str] = {
    "year": "年度",
    "unit.name": "单位名称",
    "unit.scope": "单位范围",
    "unit.code": "单位代码",
    "unit.city": "所在城市",
    "unit.self_reference": "单位自称",
    "unit.nature": "单位性质",
    "unit.level": "单位规格",
    "unit.funding_form": "经费保障形式",
    "legal_bases[]": "编制依据",
    "duties[]": "单位职责",
    "other_matters": "其他需要说明的事项",
    "budget.income.general_budget": "一般公共预算收入",
    "budget.income.fund_budget": "基金预算收入",
    "budget.income.special_account": "财政专户核拨收入",
    "budget.income.other": "其他来源收入",
    "budget.income.carried_over": "上年结转",
    "budget.income.total": "预算收入合计",
    "budget.expenditure.personnel": "人员类项目经费",
    "budget.expenditure.public_operating": "运转类公用项目经费",
    "budget.expenditure.project": "项目支出",
    "budget.expenditure.project_scope": "项目支出范围",
    "budget.expenditure.project_main_uses": "项目支出主要用途",
    "budget.expenditure.basic": "基本支出",
    "budget.expenditure.total": "预算支出合计",
    "budget.previous_basic": "上年基本支出",
    "budget.previous_project": "上年项目支出",
    "budget.previous_total": "上年支出合计",
    "budget.basic_reason": "基本支出增减原因",
    "budget.project_reason": "项目支出增减原因",
    **{f"budget.{k}_change.amount": f"{v}增减额" for k, v in _CHANGES.items()},
    **{f"budget.{k}_change.percent": f"{v}增减幅度" for k, v in _CHANGES.items()},
    "operating_costs.amount": "机关运行经费",
    "operating_costs.main_uses": "机关运行经费主要用途",
    **{f"three_public.current.{k}": v for k, v in _THREE.items()},
    **{f"three_public.previous.{k}": f"上年{v}" for k, v in _THREE.items()},
    **{f"three_public.changes.{k}.amount": f"{v}增减额" for k, v in _THREE.items()},
    **{f"three_public.changes.{k}.percent": f"{v}增减幅度" for k, v in _THREE.items()},
    **{
        f"three_public.reasons.{k}": f"{_THREE[k]}增减原因"
        for k in ("overseas", "vehicles", "reception")
    },
    "performance.overall_goal": "总体绩效目标",
    "performance.sub_goals[].title": "标题",
    "performance.sub_goals[].goal": "绩效目标",
    "performance.sub_goals[].indicators": "绩效指标",
    "performance.measures[].title": "标题",
    "performance.measures[].text": "内容",
    **{f"indicators[].{k}": v for k, v in _INDICATOR.items()},
    "projects[].name": "项目名称",
    "projects[].goal": "项目绩效目标",
    **{f"projects[].indicators[].{k}": v for k, v in _INDICATOR.items()},
    "procurement.projects[].name": "项目名称",
    "procurement.projects[].budget": "预算资金",
    "procurement.projects[].subtotal": "小计",
    "procurement.projects[].items[].name": "采购物品名称",
    "procurement.projects[].items[].catalogue_code": "政府采购目录序号",
    "procurement.projects[].items[].unit": "计量单位",
    "procurement.projects[].items[].quantity": "数量",
    "procurement.projects[].items[].unit_price": "单价",
    "procurement.projects[].items[].funding": "资金来源",
    "procurement.projects[].items[].sme_reserved": "预留中小微企业份额",
    "procurement.projects[].items[].amount": "金额",
    "procurement.projects[].items[].sme_amount": "预留中小微企业金额",
    "procurement.note": "政府采购说明",
    "procurement.total": "政府采购预算合计",
    "procurement.funding_totals.*": "政府采购{key}合计",
    "procurement.sme_total": "预留中小微企业份额合计",
    **{f"assets.categories[].{k}": v for k, v in _ASSET.items()},
    **{f"assets.categories[].of_which[].{k}": v for k, v in _ASSET.items()},
    "assets.as_of": "资产统计日期",
    "assets.total": "固定资产总额",
    "glossary[].term": "名词",
    "glossary[].definition": "解释",
    "planned_asset_purchases": "拟购置固定资产总额",
}

# How a figure is written (money, count, number, percent, year); others are amounts in 万元.
NUMBER_KINDS: dict[str, str] = {
    "year": "year",
    "procurement.projects[].items[].quantity": "count",
    "assets.categories[].quantity": "count",
    "assets.categories[].of_which[].quantity": "count",
    "indicators[].target.value": "number",
    "projects[].indicators[].target.value": "number",
}

# Not compared: a project's file name (NN-slug) is not published, and renumbering the files
# after an inserted project must not report every later one; order changes show as "moved".
IGNORED = {"projects[].key"}

# What moves with the year by its nature; hidden when two different years are compared.
YEAR_MOVING = (
    "year",
    "assets.as_of",
    "budget.previous_",
    "budget.basic_change.",
    "budget.project_change.",
    "budget.total_change.",
    "three_public.previous.",
    "three_public.changes.",
)


def canonical(pattern: str) -> str:
    """Nested asset categories (其中 of 其中) share the labels of the first level."""
    while ".of_which[].of_which" in pattern:
        pattern = pattern.replace(".of_which[].of_which", ".of_which")
    return pattern


def label_for(pattern: str) -> str:
    """The human name of a field pattern; the pattern itself if the table lacks it."""
    if pattern in LABELS:
        return LABELS[pattern]
    parent, _, key = pattern.rpartition(".")
    if f"{parent}.*" in LABELS:
        return LABELS[f"{parent}.*"].format(key=key)
    return pattern


def number_kind(pattern: str) -> str:
    if pattern.endswith(".percent"):
        return "percent"
    return NUMBER_KINDS.get(pattern, "money")


# --- years ----------------------------------------------------------------------------------

_YEAR = re.compile(r"(?<![0-9])([0-9]{4})(?![0-9])")


def mask_years(text: Any) -> Any:
    """Text with every year-like number masked: how list entries are matched across years,
    so 市招待处2022年度工资 in 2022 is the same project as 市招待处2023年度工资 in 2023."""
    return _YEAR.sub("####", text) if isinstance(text, str) else text


def differs_only_by_year(old: str, new: str, shift: int) -> bool:
    """True when each difference is a year moved on by `shift` (2022年 → 2023年), while
    fixed years (创办于2002年, 冀财外〔2021〕32号) stay the same."""
    a, b = _YEAR.split(old), _YEAR.split(new)  # text, year, text, year, …, text
    if len(a) != len(b):
        return False
    for k, (x, y) in enumerate(zip(a, b, strict=True)):
        if x != y and (k % 2 == 0 or int(y) - int(x) != shift):
            return False
    return True


def _same(text: Any) -> Any:
    return text


# --- list identity ------------------------------------------------------------------------


def _short(text: str, limit: int = 40) -> str:
    text = " ".join(str(text).split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def target_text(target) -> str:
    """A target as printed in the table: ≥160件, or its words."""
    if target.value is None:
        return target.text or ""
    return f"{target.sign or ''}{plain_number(target.value)}{target.unit or ''}"


def _procurement_item_summary(item: ProcurementItem) -> str:
    return (
        f"{item.catalogue_code} · {plain_number(item.quantity)} {item.unit} × "
        f"{money(item.unit_price)} = {money(item.amount)} 万元 · {item.funding}"
    )


@dataclass(frozen=True)
class ListSpec:
    """How entries of one list are named, matched and summarised."""

    label: Callable[[Any, int], str]  # (entry, 1-based position) → its label
    key: Callable[[Any], tuple] | None = None  # identity; None: match by similarity of text
    fallback_key: Callable[[Any], tuple] | None = None  # for entries the key left unmatched
    similar_fallback: bool = False  # then pair leftovers by similarity of their text
    summary: Callable[[Any], str] = lambda entry: _short(_text_of(entry))
    title: str = ""  # prefix of a top-level list's labels


_INDICATOR_SPEC = ListSpec(
    label=lambda row, n: row.name,
    key=lambda row: (row.level1, row.level2, row.name),
    summary=lambda row: (
        f"{row.level1} › {row.level2} · {target_text(row.target)} · {_short(row.description, 24)}"
    ),
)
_ASSET_SPEC = ListSpec(
    label=lambda c, n: c.name,
    key=lambda c: (c.name,),
    summary=lambda c: " · ".join(
        x
        for x in (
            f"{plain_number(c.quantity)} {c.unit or ''}".strip() if c.quantity is not None else "",
            f"{money(c.value)} 万元" if c.value is not None else "",
        )
        if x
    ),
)

LISTS: dict[str, ListSpec] = {
    "legal_bases": ListSpec(label=lambda s, n: f"编制依据{item_number(n)}"),
    "duties": ListSpec(label=lambda s, n: f"单位职责{item_number(n)}"),
    "performance.sub_goals": ListSpec(
        label=lambda g, n: g.title,
        key=lambda g: (g.title,),
        similar_fallback=True,
        summary=lambda g: _short(g.goal),
        title="绩效目标",
    ),
    "performance.measures": ListSpec(
        label=lambda m, n: m.title,
        key=lambda m: (m.title,),
        similar_fallback=True,
        summary=lambda m: _short(m.text),
        title="保障措施",
    ),
    "indicators": dataclasses.replace(_INDICATOR_SPEC, title="单位整体支出绩效指标"),
    "projects": ListSpec(
        label=lambda p, n: p.name,
        key=lambda p: (p.name,),
        fallback_key=lambda p: (p.key,),
        summary=lambda p: f"{p.key} · {len(p.indicators)} 项指标 · {_short(p.goal, 30)}",
        title="项目",
    ),
    "projects[].indicators": _INDICATOR_SPEC,
    "procurement.projects": ListSpec(
        label=lambda p, n: p.name,
        key=lambda p: (p.name,),
        summary=lambda p: (
            f"预算资金 {money(p.budget)} 万元 · {len(p.items)} 项物品 · "
            f"小计 {money(p.subtotal)} 万元"
        ),
        title="政府采购",
    ),
    "procurement.projects[].items": ListSpec(
        label=lambda i, n: i.name,
        key=lambda i: (i.catalogue_code, i.name),
        summary=_procurement_item_summary,
    ),
    "assets.categories": dataclasses.replace(_ASSET_SPEC, title="国有资产"),
    "assets.categories[].of_which": _ASSET_SPEC,
    "glossary": ListSpec(
        label=lambda t, n: t.term,
        key=lambda t: (t.term,),
        summary=lambda t: _short(t.definition),
        title="名词解释",
    ),
}

SIMILAR = 0.5  # texts at least this similar (difflib ratio) are one entry, edited


def _text_of(entry: Any) -> str:
    """All the words of an entry, to match entries that have no identity key."""
    tree = to_tree(entry)
    if isinstance(tree, str):
        return tree
    parts: list[str] = []

    def collect(node):
        if isinstance(node, dict):
            for value in node.values():
                collect(value)
        elif isinstance(node, list):
            for value in node:
                collect(value)
        elif isinstance(node, str):
            parts.append(node)

    collect(tree)
    return "\n".join(parts)


def _ratio(a: str, b: str) -> float:
    matcher = SequenceMatcher(None, a, b, autojunk=False)
    if matcher.real_quick_ratio() < SIMILAR or matcher.quick_ratio() < SIMILAR:
        return 0.0
    return matcher.ratio()


def _similar_pairs(olds: list[str], news: list[str]) -> list[tuple[int, int]]:
    """Order-preserving pairs of similar texts with the greatest total similarity."""
    n, m = len(olds), len(news)
    score = [[_ratio(a, b) for b in news] for a in olds]
    best = [[0.0] * (m + 1) for _ in range(n + 1)]
    for i in range(n - 1, -1, -1):
        for j in range(m - 1, -1, -1):
            take = score[i][j] + best[i + 1][j + 1] if score[i][j] >= SIMILAR else 0.0
            best[i][j] = max(take, best[i + 1][j], best[i][j + 1])
    pairs, i, j = [], 0, 0
    while i < n and j < m:
        if score[i][j] >= SIMILAR and best[i][j] == score[i][j] + best[i + 1][j + 1]:
            pairs.append((i, j))
            i, j = i + 1, j + 1
        elif best[i][j] == best[i + 1][j]:
            i += 1
        else:
            j += 1
    return pairs


def match_entries(spec: ListSpec, olds: list, news: list, norm: Callable = _same) -> dict[int, int]:
    """new index → old index for the entries that are the same entry on both sides;
    `norm` is applied to keys and texts first (mask_years when comparing two years)."""
    matched: dict[int, int] = {}

    def by_key(key: Callable) -> None:
        waiting: dict[tuple, deque] = defaultdict(deque)
        taken = set(matched.values())
        for i, entry in enumerate(olds):
            if i not in taken:
                waiting[_norm_key(key(entry), norm)].append(i)
        for j, entry in enumerate(news):
            if j not in matched:
                queue = waiting.get(_norm_key(key(entry), norm))
                if queue:
                    matched[j] = queue.popleft()

    def by_similarity(pairs_within: Callable) -> None:
        left_old = [i for i in range(len(olds)) if i not in set(matched.values())]
        left_new = [j for j in range(len(news)) if j not in matched]
        a = [norm(_text_of(olds[i])) for i in left_old]
        b = [norm(_text_of(news[j])) for j in left_new]
        for i, j in pairs_within(a, b):
            matched[left_new[j]] = left_old[i]

    if spec.key is not None:
        by_key(spec.key)
        if spec.fallback_key is not None:
            by_key(spec.fallback_key)
        if spec.similar_fallback:
            by_similarity(_similar_pairs)
    else:
        by_similarity(_aligned_pairs)
        by_similarity(_equal_pairs)  # an entry moved elsewhere unchanged
    return matched


def _aligned_pairs(a: list[str], b: list[str]) -> list[tuple[int, int]]:
    """Equal runs as difflib aligns them, then similar texts within each replaced run."""
    pairs = []
    for tag, i1, i2, j1, j2 in SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if tag == "equal":
            pairs += [(i1 + k, j1 + k) for k in range(i2 - i1)]
        elif tag == "replace":
            pairs += [(i1 + i, j1 + j) for i, j in _similar_pairs(a[i1:i2], b[j1:j2])]
    return pairs


def _equal_pairs(a: list[str], b: list[str]) -> list[tuple[int, int]]:
    waiting: dict[str, deque] = defaultdict(deque)
    for i, text in enumerate(a):
        waiting[text].append(i)
    return [(waiting[text].popleft(), j) for j, text in enumerate(b) if waiting.get(text)]


def _norm_key(key: tuple, norm: Callable) -> tuple:
    return tuple(norm(part) if isinstance(part, str) else part for part in key)


def _moved(matched: dict[int, int]) -> set[int]:
    """New indexes of matched entries out of their old order (outside a longest run in order)."""
    order = sorted(matched)
    olds = [matched[j] for j in order]
    # longest increasing subsequence of old indexes, O(n²) is plenty for these lists
    length = [1] * len(olds)
    back = [-1] * len(olds)
    for k in range(len(olds)):
        for p in range(k):
            if olds[p] < olds[k] and length[p] + 1 > length[k]:
                length[k], back[k] = length[p] + 1, p
    keep: set[int] = set()
    k = max(range(len(olds)), key=lambda x: length[x], default=-1)
    while k != -1:
        keep.add(order[k])
        k = back[k]
    return set(order) - keep


# --- the diff -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Entry:
    """One difference. `kind`: figure, text, value (a flag or an absent value), added,
    removed or moved. For added/removed, `old`/`new` hold the list entry itself."""

    kind: str
    section: str
    path: str  # the field with list entries named by identity: items[A02010104 台式计算机]
    label: str
    old: Any = None
    new: Any = None
    derived: bool = False
    number: str = "money"  # how a figure is written: money, count, number, percent or year
    summary: str = ""  # added/removed: the entry in one line

    @property
    def change(self) -> Decimal | None:
        if self.kind != "figure" or self.old is None or self.new is None:
            return None
        return Decimal(self.new) - Decimal(self.old)

    @property
    def percent(self) -> Decimal | None:
        """Percentage change; None when undefined (from zero), for a percentage or a year."""
        if self.change is None or self.number in ("percent", "year") or Decimal(self.old) == 0:
            return None
        return self.change / abs(Decimal(self.old)) * 100  # from −1.00 to 0.33 is a rise

    @property
    def ops(self) -> list[tuple[str, str]]:
        return char_diff(self.old or "", self.new or "")


@dataclass(frozen=True)
class ModelDiff:
    old_label: str
    new_label: str
    old_year: int
    new_year: int
    entries: tuple[Entry, ...]
    hidden: int = 0  # differences that only follow the year, left out

    @property
    def same(self) -> bool:
        return not self.entries

    def counts(self) -> dict[str, int]:
        kinds = [e.kind for e in self.entries]
        return {
            "figures": kinds.count("figure"),
            "computed": sum(1 for e in self.entries if e.kind == "figure" and e.derived),
            "texts": kinds.count("text") + kinds.count("value"),
            "added": kinds.count("added"),
            "removed": kinds.count("removed"),
            "moved": kinds.count("moved"),
            "hidden": self.hidden,
        }


class _Walker:
    def __init__(self, old: Disclosure, new: Disclosure, show_all: bool):
        cross_year = old.year != new.year
        self.shift = new.year - old.year
        self.hide_year_moving = cross_year and not show_all
        self.norm = mask_years if cross_year else _same  # identity across years: always
        self.entries: list[Entry] = []
        self.hidden = 0

    def add(self, entry: Entry, pattern: str) -> None:
        if self.hide_year_moving and any(pattern.startswith(p) for p in YEAR_MOVING):
            self.hidden += 1
        else:
            self.entries.append(entry)

    def walk(self, old, new, pattern: str, path: str, label: str | None, derived: bool) -> None:
        """Compare two values at one place of the model. `label` names the enclosing list
        entry (None outside lists); `derived` is inherited by everything below a derived field."""
        if dataclasses.is_dataclass(old) and dataclasses.is_dataclass(new):
            for name, is_derived in _fields(old):
                self.walk(
                    getattr(old, name),
                    getattr(new, name),
                    _join(pattern, name),
                    _join(path, name),
                    label,
                    derived or is_derived,
                )
        elif isinstance(old, dict) and isinstance(new, dict):
            for key in dict.fromkeys([*old, *new]):
                self.walk(
                    old.get(key),
                    new.get(key),
                    _join(pattern, key),
                    _join(path, key),
                    label,
                    derived,
                )
        elif isinstance(old, (list, tuple)) and isinstance(new, (list, tuple)):
            self.walk_list(list(old), list(new), pattern, path, label, derived)
        else:
            self.leaf(old, new, pattern, path, label, derived)

    def walk_list(self, olds, news, pattern, path, label, derived) -> None:
        spec = LISTS.get(pattern)
        if spec is None:  # a list without identity: compare it as one value
            self.leaf(to_tree(olds), to_tree(news), pattern, path, label, derived)
            return
        matched = match_entries(spec, olds, news, self.norm)
        moved = _moved(matched)
        section = _section(pattern)
        for i, j in _merged_order(matched, len(olds), len(news)):
            entry = news[j] if j is not None else olds[i]
            position = (j if j is not None else i) + 1
            own = spec.label(entry, position)
            entry_label = " › ".join(x for x in (label or spec.title, own) if x)
            entry_path = f"{path}[{_path_key(spec, entry, position)}]"
            if i is None or j is None:
                kind = "added" if i is None else "removed"
                self.entries.append(
                    Entry(
                        kind,
                        section,
                        entry_path,
                        entry_label,
                        old=olds[i] if i is not None else None,
                        new=news[j] if j is not None else None,
                        summary=spec.summary(entry),
                    )
                )
                continue
            if j in moved:
                self.entries.append(
                    Entry("moved", section, entry_path, entry_label, old=i + 1, new=j + 1)
                )
            self.walk(olds[i], news[j], pattern + "[]", entry_path, entry_label, derived)

    def leaf(self, old, new, pattern, path, label, derived) -> None:
        old, new = _plain(old), _plain(new)
        if old == new or pattern in IGNORED:
            return
        name = label_for(pattern)
        if label is not None:
            name = label if pattern.endswith("[]") else f"{label} › {name}"
        section = _section(pattern)
        if _is_number(old) or _is_number(new):
            if (old is None or _is_number(old)) and (new is None or _is_number(new)):
                entry = Entry(
                    "figure", section, path, name, old, new, derived, number_kind(pattern)
                )
                self.add(entry, pattern)
                return
        if isinstance(old, str) or isinstance(new, str):
            if (
                self.hide_year_moving
                and isinstance(old, str)
                and isinstance(new, str)
                and differs_only_by_year(old, new, self.shift)
            ):
                self.hidden += 1
                return
            self.add(Entry("text", section, path, name, old, new, derived), pattern)
            return
        self.add(Entry("value", section, path, name, old, new, derived), pattern)


def _fields(obj) -> list[tuple[str, bool]]:
    """The model's fields as to_tree exports them; a Change's previous/current are left out
    because they repeat figures shown in their own place."""
    names = (
        []
        if isinstance(obj, Change)
        else [(f.name, False) for f in dataclasses.fields(obj) if not f.metadata.get("origin")]
    )
    return names + [(name, True) for name in derived_names(type(obj))]


def _plain(value):
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, int) and not isinstance(value, bool):
        return Decimal(value)
    if isinstance(value, str):
        return str(value)
    return value


def _is_number(value) -> bool:
    return isinstance(value, Decimal)


def _join(base: str, name: Any) -> str:
    return canonical(f"{base}.{name}") if base else str(name)


def _section(pattern: str) -> str:
    top = re.split(r"[.\[]", pattern, maxsplit=1)[0]
    return SECTIONS.get(top, top)


def _path_key(spec: ListSpec, entry, position: int) -> str:
    if spec.key is None:
        return str(position - 1)
    return " ".join(str(part) for part in spec.key(entry))


def _merged_order(matched: dict[int, int], n_old: int, n_new: int) -> list[tuple]:
    """(old, new) index pairs in reading order: a removed entry comes before the entry that
    followed it, an added one where it now stands; None on the side an entry is missing."""
    removed = sorted(set(range(n_old)) - set(matched.values()))
    out: list[tuple[int | None, int | None]] = []
    r = 0
    for j in range(n_new):
        i = matched.get(j)
        if i is not None:
            while r < len(removed) and removed[r] < i:
                out.append((removed[r], None))
                r += 1
        out.append((i, j))
    out += [(i, None) for i in removed[r:]]
    return out


def diff_models(
    old: Disclosure,
    new: Disclosure,
    *,
    old_label: str = "",
    new_label: str = "",
    show_all: bool = False,
) -> ModelDiff:
    """Every difference between two models, grouped by section in publication order."""
    walker = _Walker(old, new, show_all)
    walker.walk(old, new, "", "", None, False)
    entries = sorted(walker.entries, key=lambda e: SECTION_ORDER.index(e.section))
    return ModelDiff(
        old_label or str(old.year),
        new_label or str(new.year),
        old.year,
        new.year,
        tuple(entries),
        walker.hidden,
    )


# --- character-level text diff ------------------------------------------------------------

CONTEXT = 10  # unchanged characters kept on each side of a change
_MIN_EQUAL = 3  # shorter unchanged runs between two changes are folded into them
_REWRITE = 0.3  # below this similarity a text is shown as replaced as a whole


def char_diff(old: str, new: str, context: int = CONTEXT) -> list[tuple[str, str]]:
    """`old` → `new` as ("=", kept), ("-", deleted), ("+", inserted) runs; long unchanged
    runs are cut to `context` characters around each change, with "…" for the rest."""
    matcher = SequenceMatcher(None, old, new, autojunk=False)
    if matcher.ratio() < _REWRITE:
        return [op for op in (("-", old), ("+", new)) if op[1]]
    raw = matcher.get_opcodes()
    ops: list[tuple[str, str]] = []
    deleted = inserted = ""
    for n, (tag, i1, i2, j1, j2) in enumerate(raw):
        between = 0 < n < len(raw) - 1
        if tag == "equal" and not (between and i2 - i1 < _MIN_EQUAL):
            ops += _flush(deleted, inserted)
            deleted = inserted = ""
            ops.append(("=", old[i1:i2]))
        else:
            deleted += old[i1:i2]
            inserted += new[j1:j2]
    ops += _flush(deleted, inserted)
    return _trim(ops, context)


def _flush(deleted: str, inserted: str) -> list[tuple[str, str]]:
    return [op for op in (("-", deleted), ("+", inserted)) if op[1]]


def _trim(ops: list[tuple[str, str]], context: int) -> list[tuple[str, str]]:
    out = []
    for n, (op, text) in enumerate(ops):
        if op == "=":
            first, last = n == 0, n == len(ops) - 1
            if first and len(text) > context:
                text = "…" + text[-context:]
            elif last and len(text) > context:
                text = text[:context] + "…"
            elif not first and not last and len(text) > 2 * context + 1:
                text = text[:context] + "…" + text[-context:]
        out.append((op, text))
    return out


__all__ = [
    "Entry",
    "LABELS",
    "ModelDiff",
    "char_diff",
    "diff_models",
    "canonical",
    "label_for",
]
