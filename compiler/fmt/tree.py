"""The formatter's repairs of values, made on the round-trip tree with the schema's help:
numbers typed with full-width digits or in quotes become plain numbers, codes typed as
numbers or with full-width digits or quotes become quoted text, what Word leaves in text
is repaired (pasted_text.py), and each mapping's keys go in the schema's order. Each
repair is recorded with the line it was on."""

from __future__ import annotations

from bisect import bisect_left
from collections import OrderedDict
from dataclasses import dataclass

from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.scalarstring import (
    DoubleQuotedScalarString,
    FoldedScalarString,
    LiteralScalarString,
    SingleQuotedScalarString,
)

from ..i18n import _
from ..input.halfwidth import code_text, has_full_width_digits, number_text
from ..input.loader import parse_scalar
from ..input.pasted_text import DEFAULT_QUOTES, clean
from .facts import grouped_number
from .order import reorder
from .schema import Place

_QUOTED = (SingleQuotedScalarString, DoubleQuotedScalarString)
_BLOCK = (LiteralScalarString, FoldedScalarString)


@dataclass(frozen=True)
class Change:
    line: int  # 1-based, in the text that was parsed
    message: str


def fix_tree(data, place: Place, quotes: str | None = DEFAULT_QUOTES) -> list[Change]:
    """Repair `data` (the round-trip tree of a whole file) in place; double quotes in text
    are written in the layout's style `quotes`."""
    changes: list[Change] = []
    _walk(data, place, changes, None, quotes)
    return sorted(changes, key=lambda c: c.line)


def _walk(node, place: Place, changes: list[Change], item_of, quotes: str | None) -> None:
    if isinstance(node, CommentedMap):
        for key in list(node):
            value = node[key]
            inner = place.child(str(key))
            if isinstance(value, (CommentedMap, CommentedSeq)):
                _walk(value, inner, changes, None, quotes)
            else:
                _fix(node, key, value, inner, node.lc.value(key)[0] + 1, changes, quotes)
        _order(node, place, changes, item_of)  # after the values: their tails are final
    elif isinstance(node, CommentedSeq):
        inner = place.item()
        for index, value in enumerate(node):
            if isinstance(value, (CommentedMap, CommentedSeq)):
                _walk(value, inner, changes, (node, index), quotes)
            else:
                _fix(node, index, value, inner, node.lc.item(index)[0] + 1, changes, quotes)


def _fix(
    container, key, value, place: Place, line: int, changes: list[Change], quotes: str | None
) -> None:
    # in brackets [...] a comma also separates the items: no thousands separator is read
    in_brackets = isinstance(container, CommentedSeq) and container.fa.flow_style()
    fixed = _fixed(value, place, in_brackets)
    base = OrderedDict if isinstance(container, CommentedMap) else list
    if fixed is not None:
        new, message = fixed
        # ruamel's own setters would keep the old quoting style; the new value's style is
        # the point (a quoted number becomes plain)
        base.__setitem__(container, key, new)
        changes.append(Change(line, message))
    elif isinstance(value, str) and not place.numeric and not place.code:
        text, repairs = clean(str(value), quotes)  # what Word and input methods leave in text
        if repairs:
            new = text if type(value) is str else type(value)(text)  # its style kept
            if type(value) is str and not isinstance(parse_scalar(text, None), str):
                new = DoubleQuotedScalarString(text)  # `0　` stays text, not the number 0
            base.__setitem__(container, key, new)
            block = isinstance(value, _BLOCK)  # its text starts on the line below
            for repair in repairs:
                down = block + str(value)[: repair.index].count("\n") if block else 0
                changes.append(Change(line + down, repair.message))


def _fixed(value, place: Place, in_brackets: bool = False):
    """The repaired value and what was done, or None."""
    if not isinstance(value, str) or isinstance(value, _BLOCK):
        return None
    text = str(value)
    quoted = isinstance(value, _QUOTED)
    if place.numeric:
        number = number_text(text)
        if number is None and (quoted or not in_brackets):
            grouped = grouped_number(text)
            if grouped is not None:
                message = _("thousands separators in {text} removed: written as {number}")
                return grouped, message.format(text=text, number=grouped)
        if number is None or (number == text and not quoted):
            return None
        if has_full_width_digits(text):
            message = _("full-width digits {text} written as {number}")
        elif not text.isascii():
            message = _("full-width characters in the number {text} written as {number}")
        else:
            message = _('quotes around the number "{text}" removed (a number in quotes is text)')
        return number, message.format(text=text, number=number)
    if place.code:
        code = code_text(text)
        if code is None or (code == text and quoted):
            return None
        new = type(value)(code) if quoted else DoubleQuotedScalarString(code)
        shown = f'"{code}"'
        if has_full_width_digits(text):
            message = _("full-width digits {text} in a code written as {code}")
        elif not text.isascii():
            message = _("full-width quotes in the code {text} written as {code}")
        elif code != text:
            message = _("spaces in the code '{text}' removed")
        else:
            message = _("code {text} written in quotes as {code} (a code is text, not a number)")
        return new, message.format(text=text, code=shown)
    return None


def _order(mapping: CommentedMap, place: Place, changes: list[Change], item_of) -> None:
    keys = list(mapping)
    names = [str(k) for k in keys]
    order = place.order(names)
    if names == order:
        return
    by_name = dict(zip(names, keys, strict=True))
    order = [by_name[name] for name in order]
    position = {key: i for i, key in enumerate(order)}
    known = set(place.known(names))
    for key in _moved(keys, position):
        index = position[key]
        if str(key) not in known:
            message = _("'{key}' (a field the schema does not know) moved after the known ones")
        elif index:
            message = _("'{key}' moved after '{previous}', in the schema's order")
        else:
            message = _("'{key}' moved first, in the schema's order")
        message = message.format(key=key, previous=order[index - 1] if index else "")
        changes.append(Change(mapping.lc.key(key)[0] + 1, message))
    reorder(mapping, order, item_of)


def _moved(keys: list, position: dict) -> list:
    """The keys to name as moved: those outside a longest run already in order (patience
    sorting: n log n, for a mapping of any size)."""
    ranks = [position[key] for key in keys]
    tails: list[int] = []  # tails[k]: where the best run of length k + 1 ends
    back = [-1] * len(ranks)
    for i, rank in enumerate(ranks):
        k = bisect_left(tails, rank, key=lambda t: ranks[t])
        back[i] = tails[k - 1] if k else -1
        tails[k : k + 1] = [i]
    kept = set()
    i = tails[-1] if tails else -1
    while i >= 0:
        kept.add(keys[i])
        i = back[i]
    return [key for key in keys if key not in kept]
