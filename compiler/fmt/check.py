"""The formatter's proof that it changed no fact: the strict loader reads the same data
before and after, but for the mechanical repairs, and every comment is still there."""

from __future__ import annotations

from collections import Counter
from decimal import Decimal
from typing import Any

from ..input.halfwidth import code_text, number_text
from ..input.loader import dotted, parse_scalar
from ..input.pasted_text import DEFAULT_QUOTES, clean
from .facts import grouped_number
from .schema import Place
from .spans import Scalars


def fact_difference(
    old: Any, new: Any, place: Place, path: tuple = (), quotes: str | None = DEFAULT_QUOTES
) -> str | None:
    """Where the data `new` says something `old` does not (None: the same facts). Allowed,
    where the schema (`place`) says so: text that meant a number become the number
    (１２０.４５ → 120.45, 3,390.10 → 3390.10), and a code typed as a number or with
    full-width digits or quotes become its digits as text; text with a paste slip repaired
    (its double quotes in the layout's style `quotes`). Key order is not a fact."""
    if isinstance(old, dict) and isinstance(new, dict):
        if set(old) != set(new):
            return dotted(path) or "the file's fields"
        for key in old:
            found = fact_difference(old[key], new[key], place.child(key), (*path, key), quotes)
            if found:
                return found
        return None
    if isinstance(old, list) and isinstance(new, list):
        if len(old) != len(new):
            return dotted(path) or "the file"
        for index, (a, b) in enumerate(zip(old, new, strict=True)):
            found = fact_difference(a, b, place.item(), (*path, index), quotes)
            if found:
                return found
        return None
    if _same(old, new, place, quotes):
        return None
    return dotted(path) or "the file"


def _same(old: Any, new: Any, place: Place, quotes: str | None) -> bool:
    if isinstance(old, Decimal) and isinstance(new, Decimal):
        return str(old) == str(new)  # 0.70 and 0.7 are different figures as written
    if type(old) is type(new) and old == new:
        return True
    if place.numeric and isinstance(old, str) and isinstance(new, Decimal):
        number = number_text(old) or grouped_number(old)
        return number is not None and str(parse_scalar(number, None)) == str(new)
    if place.code and isinstance(new, str) and isinstance(old, (str, Decimal)):
        return new.isdigit() and code_text(str(old)) == new
    if isinstance(old, str) and isinstance(new, str) and not place.numeric:
        return clean(old, quotes)[0] == new  # a paste slip repaired (pasted_text.py)
    return False


def comments(text: str) -> Counter:
    """Every comment of a YAML text (from its # to the end of its line), counted: a #
    outside every scalar, at the start of a line or after a space."""
    scalars = Scalars(text)
    found: Counter = Counter()
    position = text.find("#")
    while position >= 0:
        if not scalars.holds(position) and (position == 0 or text[position - 1] in " \t\n"):
            end = text.find("\n", position)
            end = len(text) if end < 0 else end
            found[text[position:end].rstrip()] += 1
            position = end
        position = text.find("#", position + 1)
    return found
