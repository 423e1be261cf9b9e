"""Which page of the old PDF is which page of the new one.

Pages are matched by their text (page numbers left out), as a sequence alignment: a page
whose text is unchanged is matched wherever it moved to, so a change that pushes the
following pages one page further reports the pages it changed, not every page after it.
Within a run of pages whose text changed, pages are paired by how much text they share,
and a page with no similar page on the other side is an added or a removed page.
"""

from __future__ import annotations

from dataclasses import dataclass
from difflib import SequenceMatcher

SIMILAR = 0.5  # share of text two pages need in common to count as one page, changed


@dataclass(frozen=True)
class PagePair:
    old: int | None  # 0-based index in the old PDF; None: a page added in the new one
    new: int | None  # 0-based index in the new PDF; None: a page removed
    same_text: bool


def match_pages(old: list[str], new: list[str]) -> list[PagePair]:
    """Every page of both sides once, in the new PDF's order (removed pages where they were)."""
    pairs: list[PagePair] = []
    matcher = SequenceMatcher(None, old, new, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            pairs += [PagePair(i1 + k, j1 + k, True) for k in range(i2 - i1)]
        else:
            pairs += _pair_by_similarity(old, new, range(i1, i2), range(j1, j2))
    return pairs


def _pair_by_similarity(old, new, olds: range, news: range) -> list[PagePair]:
    """Order-keeping pairing that maximises the text the paired pages share (a small
    dynamic programme: runs of changed pages are a few pages long)."""
    n, m = len(olds), len(news)
    score = [[_similarity(old[i], new[j]) for j in news] for i in olds]
    best = [[0.0] * (m + 1) for _ in range(n + 1)]
    for a in range(n - 1, -1, -1):
        for b in range(m - 1, -1, -1):
            paired = best[a + 1][b + 1] + score[a][b] if score[a][b] >= SIMILAR else -1.0
            best[a][b] = max(paired, best[a + 1][b], best[a][b + 1])
    pairs, a, b = [], 0, 0
    while a < n or b < m:
        pair = a < n and b < m and score[a][b] >= SIMILAR
        if pair and best[a][b] == best[a + 1][b + 1] + score[a][b]:
            pairs.append(PagePair(olds[a], news[b], False))
            a, b = a + 1, b + 1
        elif a < n and (b == m or best[a][b] == best[a + 1][b]):
            pairs.append(PagePair(olds[a], None, False))
            a += 1
        else:
            pairs.append(PagePair(None, news[b], False))
            b += 1
    return pairs


def _similarity(a: str, b: str) -> float:
    """Share of lines in common (by line: fast, and a moved paragraph keeps its lines)."""
    return SequenceMatcher(None, a.splitlines(), b.splitlines(), autojunk=False).ratio()
