"""Which entry of a list is which, on the two sides of a diff.

Entries are matched by identity, not position — a procurement item by its catalogue code
and name within its source project, a project by its name, an indicator row by its three
levels, a duty or goal text by similarity — so inserting one row reports one added row,
not every row after it as changed. `LISTS` says how each list of the model is matched,
and how its entries are named and summarised in one line.

Matching stays near-linear for the longest lists a schema allows: keys are looked up in
dicts, equal texts by hash, order is checked in O(n log n), and texts are compared for
similarity only near the diagonal (`BAND`) with a bounded comparison (`chardiff.similarity`).
"""

from __future__ import annotations

import dataclasses
from bisect import bisect_left
from collections import defaultdict, deque
from collections.abc import Callable
from dataclasses import dataclass
from difflib import SequenceMatcher
from typing import Any

from ..model.disclosure import ProcurementItem, to_tree
from ..numbers import is_published, item_number, money, plain_number
from .chardiff import similarity


def as_is(text: Any) -> Any:
    """No normalisation: how entries are matched within one year."""
    return text


def _short(text: str, limit: int = 40) -> str:
    text = " ".join(str(text).split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


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

    def path_key(self, entry: Any, position: int) -> str:
        """How the entry is named in a field path: by its identity, else its 0-based index."""
        if self.key is None:
            return str(position - 1)
        return " ".join(str(part) for part in self.key(entry))


def _titled(text: str, title: str) -> ListSpec:
    """A titled paragraph (a sub-goal, a measure): the same entry if its title is, else if
    its words are similar (a retitled paragraph); summarised by its `text` field."""
    return ListSpec(
        label=lambda entry, n: entry.title,
        key=lambda entry: (entry.title,),
        similar_fallback=True,
        summary=lambda entry: _short(getattr(entry, text)),
        title=title,
    )


_INDICATOR_SPEC = ListSpec(
    label=lambda row, n: row.name,
    key=lambda row: (row.level1, row.level2, row.name),
    summary=lambda row: (
        f"{row.level1} › {row.level2} · {row.target.display} · {_short(row.description or '', 24)}"
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
    "performance.sub_goals": _titled("goal", "绩效目标"),
    "performance.measures": _titled("text", "保障措施"),
    "indicators": dataclasses.replace(_INDICATOR_SPEC, title="单位整体支出绩效指标"),
    "projects": ListSpec(
        label=lambda p, n: p.name,
        key=lambda p: (p.name,),
        fallback_key=lambda p: (p.key,),
        summary=lambda p: (
            f"{p.key} · {len(p.indicators)} 项指标 · {_short(p.goal or p.annual_goal or '', 30)}"
        ),
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
    "assets.categories[].parts": _ASSET_SPEC,
    "assets.planned": dataclasses.replace(_ASSET_SPEC, title="拟购置资产"),
    "organisation.members": ListSpec(label=lambda s, n: f"所属单位{n}"),
    "lines.function": ListSpec(
        label=lambda line, n: f"功能分类 {line.code} {line.source}",
        key=lambda line: (line.code, line.source),
        summary=lambda line: (
            f"基本支出 {plain_number(line.basic)} · 项目支出 {plain_number(line.project)}"
        ),
        title="预算明细",
    ),
    "lines.economic": ListSpec(
        label=lambda line, n: f"经济分类 {line.code} {line.source}",
        key=lambda line: (line.code, line.source),
        summary=lambda line: (
            f"人员经费 {plain_number(line.personnel)} · 公用经费 {plain_number(line.public)}"
        ),
        title="预算明细",
    ),
    "explanation.items": ListSpec(
        label=lambda item, n: f"{item.code} {item.names[2]}",
        key=lambda item: (item.code,),
        summary=lambda item: f"{money(item.amount)} 万元 · 上年 {_previous(item.previous)}",
        title="财政拨款支出主要内容",
    ),
    "project_funding": ListSpec(
        label=lambda p, n: p.name,
        key=lambda p: (p.name,),
        summary=lambda p: f"年度用款计划 {money(p.annual_total)} 万元",
        title="项目经费情况说明",
    ),
    "units": ListSpec(
        label=lambda u, n: u.unit.name,
        key=lambda u: (u.slug,),
        summary=lambda u: f"{u.unit.name} · {u.unit.type or ''}",
        title="所属单位",
    ),
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


BAND = 8  # texts are compared with those at most this far from their place in the other list


def _ratio(a: str, b: str) -> float:
    if not a or not b:
        return 0.0
    shorter, longer = sorted((len(a), len(b)))
    if 2 * shorter / (shorter + longer) < SIMILAR:  # cannot reach SIMILAR: skip the work
        return 0.0
    return similarity(a, b)


def _similar_pairs(olds: list[str], news: list[str]) -> list[tuple[int, int]]:
    """Order-preserving pairs of similar texts with the greatest total similarity. Only
    texts within BAND places of the diagonal are compared, and the best chain of pairs is
    found in O(p log p) for p candidate pairs, so long lists stay near-linear."""
    n, m = len(olds), len(news)
    candidates = []  # (i, -j, score): by i, then j descending, so one i never chains twice
    for i in range(n):
        centre = i * m // n
        for j in range(max(0, centre - BAND), min(m, centre + BAND + 1)):
            ratio = _ratio(olds[i], news[j])
            if ratio >= SIMILAR:
                candidates.append((i, -j, ratio))
    candidates.sort()
    tree = [(0.0, -1)] * (m + 1)  # Fenwick tree over j: best (total, candidate) ending below j
    back = [-1] * len(candidates)
    totals = [0.0] * len(candidates)
    for k, (_, neg_j, ratio) in enumerate(candidates):
        j = -neg_j
        best, index = 0.0, -1
        position = j  # prefix query over j' < j (tree is 1-based: j' + 1 <= j)
        while position > 0:
            if tree[position][0] > best:
                best, index = tree[position]
            position -= position & -position
        totals[k], back[k] = best + ratio, index
        position = j + 1
        while position <= m:
            if totals[k] > tree[position][0]:
                tree[position] = (totals[k], k)
            position += position & -position
    if not candidates:
        return []
    k = max(range(len(candidates)), key=lambda x: totals[x])
    pairs = []
    while k != -1:
        i, neg_j, _ = candidates[k]
        pairs.append((i, -neg_j))
        k = back[k]
    return pairs[::-1]


def match_entries(spec: ListSpec, olds: list, news: list, norm: Callable = as_is) -> dict[int, int]:
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
        taken = set(matched.values())
        left_old = [i for i in range(len(olds)) if i not in taken]
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


def out_of_order(matched: dict[int, int]) -> set[int]:
    """New indexes of matched entries out of their old order (outside a longest run in order)."""
    order = sorted(matched)
    olds = [matched[j] for j in order]
    # A longest run in order (patience sorting, O(n log n)), built from the end so that of
    # equally long runs the one starting earliest is kept: swapping two neighbours moves
    # the second. tails[k]: -(old index) that starts a run of length k + 1, largest first.
    tails: list[int] = []
    tail_at: list[int] = []
    follow = [-1] * len(olds)
    for k in reversed(range(len(olds))):
        value = -olds[k]
        length = bisect_left(tails, value)
        if length == len(tails):
            tails.append(value)
            tail_at.append(k)
        else:
            tails[length], tail_at[length] = value, k
        follow[k] = tail_at[length - 1] if length else -1
    keep: set[int] = set()
    k = tail_at[-1] if tail_at else -1
    while k != -1:
        keep.add(order[k])
        k = follow[k]
    return set(order) - keep


def reading_order(matched: dict[int, int], n_old: int, n_new: int) -> list[tuple]:
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


def _previous(value) -> str:
    """An item's 上年数 in a summary: 未公开 as written, — where the form prints none."""
    if value is None:
        return "—"
    return f"{money(value)} 万元" if is_published(value) else str(value)
