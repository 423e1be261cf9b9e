"""A character-level text diff, cut to the changes and a little context around them.

Chinese has no spaces to split words at, so texts are compared character by character;
short unchanged runs between two changes are folded into them so the result reads as
whole edits, and a text rewritten beyond recognition is shown as replaced.

The work is bounded for any text a schema allows: the common start and end are set aside
first (linear), difflib compares characters only where the rest is small enough
(`CHAR_BUDGET`: difflib's matcher is quadratic on repetitive text), longer texts are
compared sentence by sentence, and what is still too large is shown as replaced whole. A
whole `diff` shares one `Budget`, so its total work is bounded too, however many long
texts change. `similarity`, for matching list entries, is difflib's ratio for short texts
and the share of common character pairs (linear) for long ones.
"""

from __future__ import annotations

import re
from collections import Counter
from difflib import SequenceMatcher
from functools import lru_cache

CONTEXT = 10  # unchanged characters kept on each side of a change
_MIN_EQUAL = 3  # shorter unchanged runs between two changes are folded into them
_REWRITE = 0.3  # below this similarity a text is shown as replaced as a whole
# difflib's character matcher takes about a third of a second for 1 000 × 1 000 characters
# of one repeated character: compare characters only below this product of lengths.
CHAR_BUDGET = 100_000
SENTENCE_BUDGET = 40_000  # the same bound, for lists of sentences
DIFF_BUDGET = 5_000_000  # for a whole diff: a few seconds of difflib at its worst
EXACT_SIMILARITY = 40_000  # below this product of lengths, similarity is difflib's ratio
_SENTENCE = re.compile(r"[^。；！？!?;\n]*[。；！？!?;\n]?")

Ops = list[tuple[str, str]]


class Budget:
    """Character comparisons a diff may still spend on difflib; shared by its texts."""

    def __init__(self, total: int = DIFF_BUDGET):
        self.left = total

    def spend(self, cost: int, cap: int) -> bool:
        if cost > cap or cost > self.left:
            return False
        self.left -= cost
        return True


def char_diff(old: str, new: str, context: int = CONTEXT, budget: Budget | None = None) -> Ops:
    """`old` → `new` as ("=", kept), ("-", deleted), ("+", inserted) runs; long unchanged
    runs are cut to `context` characters around each change, with "…" for the rest."""
    ops, matched = _diff(old, new, budget or Budget())
    if not old and not new:
        return []
    if 2 * matched / (len(old) + len(new)) < _REWRITE:
        return [op for op in (("-", old), ("+", new)) if op[1]]
    return _trim(_fold(ops), context)


def similarity(a: str, b: str) -> float:
    """How alike two texts are, from 0 to 1: difflib's ratio for short texts, the share of
    character pairs they have in common (the Dice coefficient of bigrams) for long ones."""
    if not a or not b:
        return 1.0 if a == b else 0.0
    if len(a) * len(b) <= EXACT_SIMILARITY:
        return SequenceMatcher(None, a, b, autojunk=False).ratio()
    x, y = _bigrams(a), _bigrams(b)
    common = sum((x & y).values())
    return 2 * common / (sum(x.values()) + sum(y.values()))


@lru_cache(maxsize=1024)
def _bigrams(text: str) -> Counter:
    return Counter(zip(text, text[1:], strict=False))


def _diff(old: str, new: str, budget: Budget) -> tuple[Ops, int]:
    """Raw ops and the number of characters kept."""
    head = _common_prefix(old, new)
    tail = _common_prefix(old[head:][::-1], new[head:][::-1])
    a, b = old[head : len(old) - tail], new[head : len(new) - tail]
    middle, matched = _middle(a, b, budget)
    ops = [("=", old[:head])] + middle + [("=", old[len(old) - tail :])]
    return [op for op in ops if op[1]], matched + head + tail


def _common_prefix(a: str, b: str) -> int:
    """Length of the common start of two strings, by halving (comparisons run in C)."""
    low, high = 0, min(len(a), len(b))
    while low < high:
        mid = (low + high + 1) // 2
        if a[:mid] == b[:mid]:
            low = mid
        else:
            high = mid - 1
    return low


def _middle(a: str, b: str, budget: Budget) -> tuple[Ops, int]:
    if not a or not b:
        return _whole(a, b)
    if budget.spend(len(a) * len(b), CHAR_BUDGET):
        return _matched(a, b, SequenceMatcher(None, a, b, autojunk=False))
    sa, sb = _sentences(a), _sentences(b)
    if (len(sa) == 1 and len(sb) == 1) or not budget.spend(len(sa) * len(sb), SENTENCE_BUDGET):
        return _whole(a, b)
    ops: Ops = []
    matched = 0
    for tag, i1, i2, j1, j2 in SequenceMatcher(None, sa, sb, autojunk=False).get_opcodes():
        x, y = "".join(sa[i1:i2]), "".join(sb[j1:j2])
        if tag == "equal":
            ops.append(("=", x))
            matched += len(x)
        else:  # changed sentences: by character where affordable, else replaced whole
            sub, kept = _middle(x, y, budget) if len(x) * len(y) <= CHAR_BUDGET else _whole(x, y)
            ops += sub
            matched += kept
    return ops, matched


def _whole(a: str, b: str) -> tuple[Ops, int]:
    return [op for op in (("-", a), ("+", b)) if op[1]], 0


def _sentences(text: str) -> list[str]:
    return [s for s in _SENTENCE.findall(text) if s]


def _matched(a: str, b: str, matcher: SequenceMatcher) -> tuple[Ops, int]:
    ops: Ops = []
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            ops.append(("=", a[i1:i2]))
        else:
            ops += [op for op in (("-", a[i1:i2]), ("+", b[j1:j2])) if op[1]]
    return ops, sum(size for _, _, size in matcher.get_matching_blocks())


def _fold(raw: Ops) -> Ops:
    """Unchanged runs shorter than _MIN_EQUAL between two changes join the changes, and
    each change is written as its deletion, then its insertion."""
    ops: Ops = []
    deleted = inserted = ""
    for n, (op, text) in enumerate(raw):
        between = 0 < n < len(raw) - 1
        if op == "=" and not (between and len(text) < _MIN_EQUAL):
            ops += _flush(deleted, inserted)
            deleted = inserted = ""
            ops.append(("=", text))
        elif op == "=":
            deleted += text
            inserted += text
        elif op == "-":
            deleted += text
        else:
            inserted += text
    return ops + _flush(deleted, inserted)


def _flush(deleted: str, inserted: str) -> Ops:
    return [op for op in (("-", deleted), ("+", inserted)) if op[1]]


def _trim(ops: Ops, context: int) -> Ops:
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
