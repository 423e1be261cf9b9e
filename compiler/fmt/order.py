"""Putting a mapping's keys in the schema's order without separating a comment from the
key it is written above.

ruamel.yaml stores a comment on its own line as the tail of whatever precedes it: the
comment above `previous_year:` hangs off the last value of `expenditure`. Moving keys
as they are would carry such comments to the wrong place, so before a mapping is
reordered the comments are cut from those tails and, afterwards, hung again where they
belong: the comments above a key go with it, those after the mapping's last value stay
after the mapping. The comments before a mapping's first key stay where they are.
"""

from __future__ import annotations

from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.error import CommentMark
from ruamel.yaml.scalarstring import FoldedScalarString, LiteralScalarString
from ruamel.yaml.tokens import CommentToken

_BLOCK = (LiteralScalarString, FoldedScalarString)


def _block(node) -> bool:
    return (
        isinstance(node, (CommentedMap, CommentedSeq))
        and len(node) > 0
        and not node.fa.flow_style()
    )


def _tail(container, key):
    """Where the comments after the value of container[key] are stored: its last
    descendant in block style."""
    value = container[key]
    while _block(value):
        container, key = (
            value,
            (list(value)[-1] if isinstance(value, CommentedMap) else len(value) - 1),
        )
        value = container[key]
    return container, key


def _slot(container) -> int:
    return 2 if isinstance(container, CommentedMap) else 0


def _cut(container, key) -> str:
    """Remove and return the whole-line comments after the value of container[key]
    (its end-of-line comment stays)."""
    holder, at = _tail(container, key)
    entry = holder.ca.items.get(at)
    token = entry[_slot(holder)] if entry else None
    if token is None:
        return ""
    if isinstance(holder[at], _BLOCK):  # a block scalar ends its line: all of it is below
        whole = " " * token.column + token.value  # the first line's indentation is apart
        token.value = "\n"
        entry[_slot(holder)] = None
        return whole
    line_end = token.value.find("\n")
    if line_end < 0:
        return ""
    whole = token.value[line_end + 1 :]
    token.value = token.value[: line_end + 1]
    return whole


def _hang(container, key, comments: str) -> None:
    """Put whole-line comments after the value of container[key]."""
    if not comments:
        return
    holder, at = _tail(container, key)
    entry = holder.ca.items.setdefault(at, [None, None, None, None])
    slot = _slot(holder)
    token = entry[slot]
    if token is None:
        first = "" if isinstance(holder[at], _BLOCK) else "\n"
        entry[slot] = CommentToken(first + comments, CommentMark(0), None)
    else:
        token.value += comments


def reorder(mapping: CommentedMap, order: list, item_of: tuple | None = None) -> None:
    """Put the keys of `mapping` in `order` (the same keys), their comments with them.
    `item_of` is (sequence, index) when the mapping is an entry of a block sequence."""
    keys = list(mapping)
    if keys == order:
        return
    above = {}  # key -> the whole-line comments written above it
    for before, key in zip(keys, keys[1:], strict=False):
        above[key] = _cut(mapping, before)
    after = _cut(mapping, keys[-1])
    for key in order:  # moved, not deleted and added: their own comments stay with them
        mapping.move_to_end(key)
    first = order[0]
    if above.get(first):
        # a key that moves to the front takes its comments above it; in a sequence's
        # entry above its dash, since `- key:` leaves no line between them
        holder, at = item_of if item_of else (mapping, first)
        column = holder.lc.col if item_of else None
        entry = holder.ca.items.setdefault(at, [None, None, None, None])
        entry[1] = [*(entry[1] or []), *_pre_comments(above[first], column)]
    for previous, key in zip(order, order[1:], strict=False):
        _hang(mapping, previous, above.get(key, ""))
    _hang(mapping, order[-1], after)


def _pre_comments(comments: str, column: int | None) -> list[CommentToken]:
    """Whole-line comments as ruamel's comments before a key or entry: one token a line,
    at its own column (or at `column`)."""
    tokens = []
    for line in comments.splitlines():
        text = line.lstrip(" ")
        at = len(line) - len(text) if column is None or not text else column
        tokens.append(CommentToken(text + "\n", CommentMark(at), None))
    return tokens
