"""A character-level text diff, cut to the changes and a little context around them.

Chinese has no spaces to split words at, so texts are compared character by character;
short unchanged runs between two changes are folded into them so the result reads as
whole edits, and a text rewritten beyond recognition is shown as replaced.
"""

from __future__ import annotations

from difflib import SequenceMatcher

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
