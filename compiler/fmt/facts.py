"""Amounts typed with thousands separators, as the workbook shows them: the formatter
writes the number meant, or refuses the file and says why. It never writes a third value.

`3,390.10` (or `3，390.10`, `1,234,567.00`) where the schema wants a number means 3390.10
wherever the comma cannot be anything else: a value on its own (block style) or in quotes,
and a value in braces `{…}`, where YAML would otherwise read the comma as the end of the
entry and make `390.10` a field of its own with no value (`project: 3, 390.10: null`).
In a list in brackets `[…]` a comma separates numbers too, so `[3,390.10, 5]` may be one
amount or two: fmt refuses to guess. A brace entry with no colon at all (`{a: 1, b}`)
is never written out as `b: null` either: no data file means that.

The repair on the text (joining `3` and `390.10` back) is proved like every other one:
the data read after it is the data read before, but for the joined amounts.
"""

from __future__ import annotations

import copy
import re
from dataclasses import dataclass
from decimal import Decimal

import yaml

from ..diagnostics import Diagnostic, Location
from ..i18n import _
from ..input.halfwidth import ascii_digits, unquoted
from .schema import Place, root

_Parser = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_GROUPED = re.compile(r"-?[0-9]{1,3}(?:,[0-9]{3})+(?:\.[0-9]+)?")
_HEAD = re.compile(r"-?[0-9]{1,3}")  # what a flow comma left before a thousands group
_GROUP = re.compile(r"[0-9]{3}")
_LAST_GROUP = re.compile(r"[0-9]{3}(?:\.[0-9]+)?")
# a thousands-shaped comma in raw text: 1-3 digits (not after a digit or a decimal point),
# then groups of three; either width of digits and comma
_SHAPED = re.compile(
    r"(?<![0-9０-９.．])[-－]?[0-9０-９]{1,3}(?:[,，][0-9０-９]{3})+(?:[.．][0-9０-９]+)?(?![0-9０-９])"
)


def grouped_number(text: str) -> str | None:
    """The plain number that an amount written with thousands separators means
    (`3,390.10`, `３，３９０.１０`, `"1,234,567.00"` → `3390.10`, `3390.10`, `1234567.00`);
    None if `text` is not exactly that (`33,90`, `1,2345`, `3, 390`)."""
    inner, _quote = unquoted(text)
    candidate = ascii_digits(inner).replace("，", ",")
    if _GROUPED.fullmatch(candidate):
        return candidate.replace(",", "")
    return None


def thousands_shaped(text: str) -> bool:
    """Whether `text` holds digits grouped by a comma of either width as thousands are."""
    return _SHAPED.search(text) is not None


@dataclass(frozen=True)
class Join:
    """`3` and `390.10` (a value and the key YAML made of the rest) joined back."""

    mapping: tuple  # the path of the brace mapping in the data
    key: str  # the field whose value the amount is
    rest: tuple[str, ...]  # the keys YAML made of the groups after the first comma
    number: str  # the amount meant, plain
    line: int
    start: int  # index of the first digit in the text
    end: int  # index just after the last one
    typed: str  # as it was typed


@dataclass
class Reading:
    """What the flow collections of a file say about its amounts."""

    joins: list[Join]
    problems: list[Diagnostic]


def read_flow(file: str, text: str, kind: str) -> Reading:
    """The thousands separators YAML split in brace mappings, and the entries fmt must
    not write: a key with no colon, a list whose commas could be either."""
    node = yaml.compose(text, Loader=_Parser)
    reading = Reading([], [])
    if node is not None:
        _walk(file, text, node, root(kind), (), reading)
    return reading


def _walk(file: str, text: str, node, place: Place, path: tuple, reading: Reading) -> None:
    if isinstance(node, yaml.MappingNode):
        if node.flow_style:
            _flow_mapping(file, text, node, place, path, reading)
        for key, value in node.value:
            name = key.value if isinstance(key, yaml.ScalarNode) else None
            if name is not None:
                _walk(file, text, value, place.child(name), (*path, name), reading)
    elif isinstance(node, yaml.SequenceNode):
        inner = place.item()
        if node.flow_style and inner.numeric:
            _flow_numbers(file, text, node, reading)
        for index, item in enumerate(node.value):
            _walk(file, text, item, inner, (*path, index), reading)


def _implicit(key, value) -> bool:
    """A brace entry written without a colon: YAML gives it an empty value at its end."""
    return (
        isinstance(value, yaml.ScalarNode)
        and value.value == ""
        and value.start_mark.index == key.end_mark.index
    )


def _plain(node, pattern: re.Pattern) -> bool:
    return (
        isinstance(node, yaml.ScalarNode)
        and not node.style  # plain: libyaml says "", the Python parser None
        and pattern.fullmatch(ascii_digits(node.value)) is not None
    )


def _flow_mapping(file, text, node, place: Place, path: tuple, reading: Reading) -> None:
    pairs = node.value
    index = 0
    while index < len(pairs):
        key, value = pairs[index]
        if not _implicit(key, value):
            index += 1
            continue
        chain = _chain(text, pairs, index, place)
        if chain:
            head_key, head = pairs[index - 1]
            last = pairs[index + chain - 1][0]
            typed = text[head.start_mark.index : last.end_mark.index]
            reading.joins.append(
                Join(
                    path,
                    head_key.value,
                    tuple(k.value for k, _v in pairs[index : index + chain]),
                    ascii_digits(typed).replace(",", ""),
                    head.start_mark.line + 1,
                    head.start_mark.index,
                    last.end_mark.index,
                    typed,
                )
            )
            index += chain
            continue
        shown = (
            key.value
            if isinstance(key, yaml.ScalarNode)
            else text[key.start_mark.index : key.end_mark.index]
        )
        before = text[max(0, key.start_mark.index - 12) : key.start_mark.index]
        guess = grouped_number(before.rsplit(":", 1)[-1].strip() + shown) if before else None
        if guess is not None:
            message = _(
                "'{text}' in braces {{…}} has no field name: the comma before it splits an "
                "amount; write the amount without thousands separators ({number})"
            ).format(text=shown, number=guess)
        else:
            message = _(
                "'{text}' in braces {{…}} has no field name and colon: write it as "
                "'name: value', or remove it (fmt does not guess what it means)"
            ).format(text=shown)
        reading.problems.append(
            Diagnostic(Location(file, key.start_mark.line + 1, key.start_mark.column + 1), message)
        )
        index += 1


def _chain(text: str, pairs, index: int, place: Place) -> int:
    """How many colon-less entries from `index` are the thousands groups of the amount
    before them (0: none, or not unambiguously)."""
    if index == 0:
        return 0
    head_key, head = pairs[index - 1]
    if not isinstance(head_key, yaml.ScalarNode) or not place.child(head_key.value).numeric:
        return 0
    if not _plain(head, _HEAD) or _implicit(head_key, head):
        return 0
    count = 0
    end = head.end_mark.index
    for key, value in pairs[index:]:
        if not _implicit(key, value) or text[end : key.start_mark.index] != ",":
            break
        if _plain(key, _GROUP):
            count += 1
            end = key.end_mark.index
            continue
        if _plain(key, _LAST_GROUP):
            count += 1
        break
    return count


def _flow_numbers(file, text, node, reading: Reading) -> None:
    """A list of numbers in brackets: a thousands-shaped comma is refused, since a comma
    also separates the numbers."""
    items = node.value
    for index, item in enumerate(items):
        if not isinstance(item, yaml.ScalarNode):
            continue
        shaped = not item.style and "，" in item.value and thousands_shaped(item.value)
        if not shaped and index + 1 < len(items):
            after = items[index + 1]
            shaped = (
                _plain(item, _HEAD)
                and _plain(after, _LAST_GROUP)
                and text[item.end_mark.index : after.start_mark.index] == ","
            )
        if shaped:
            message = _(
                "a comma inside a number in brackets [...] cannot be told from the comma "
                "between two numbers: write each amount without thousands separators "
                "(e.g. 3390.10) and put a comma and a space between two amounts"
            )
            mark = item.start_mark
            reading.problems.append(
                Diagnostic(Location(file, mark.line + 1, mark.column + 1), message)
            )
            return


def apply(text: str, joins: list[Join]) -> str:
    """The text with each join's amount written plain."""
    for join in sorted(joins, key=lambda j: j.start, reverse=True):
        text = text[: join.start] + join.number + text[join.end :]
    return text


def expected(data, joins: list[Join]):
    """The data that the joined text must read as: the data before, with each amount
    whole and the keys YAML made of its groups gone."""
    data = copy.deepcopy(data)
    for join in joins:
        mapping = data
        for step in join.mapping:
            mapping = mapping[step]
        for key in join.rest:
            if key not in mapping or mapping.pop(key) is not None:
                return None
        mapping[join.key] = Decimal(join.number)
    return data
