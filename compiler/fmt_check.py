"""The formatter's proof that it changed no fact: the strict loader reads the same data
before and after, but for the mechanical repairs, and every comment is still there."""

from __future__ import annotations

from collections import Counter
from decimal import Decimal
from typing import Any

import yaml

from .halfwidth import code_text, number_text
from .loader import dotted, parse_scalar

_Parser = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def fact_difference(old: Any, new: Any, path: tuple = ()) -> str | None:
    """Where the data `new` says something `old` does not (None: the same facts). Allowed:
    text that meant a number become the number (１２０.４５ → 120.45), and a code typed as a
    number or with full-width digits or quotes become its digits as text."""
    if isinstance(old, dict) and isinstance(new, dict):
        if list(old) != list(new) and set(old) != set(new):
            return dotted(path) or "the file's fields"
        for key in old:
            found = fact_difference(old[key], new[key], (*path, key))
            if found:
                return found
        return None
    if isinstance(old, list) and isinstance(new, list):
        if len(old) != len(new):
            return dotted(path)
        for index, (a, b) in enumerate(zip(old, new, strict=True)):
            found = fact_difference(a, b, (*path, index))
            if found:
                return found
        return None
    if _same(old, new):
        return None
    return dotted(path) or "the file"


def _same(old: Any, new: Any) -> bool:
    if type(old) is not type(new):
        if isinstance(old, str) and isinstance(new, Decimal):
            number = number_text(old)
            return number is not None and str(parse_scalar(number, None)) == str(new)
        if isinstance(old, Decimal) and isinstance(new, str):
            return str(old) == new and new.isdigit()
        return False
    if isinstance(old, Decimal):
        return str(old) == str(new)  # 0.70 and 0.7 are different figures as written
    if isinstance(old, str) and old != new:
        return code_text(old) == new
    return old == new


def comments(text: str) -> Counter:
    """Every comment of a YAML text (from its # to the end of its line), counted: a #
    outside every scalar, at the start of a line or after a space."""
    spans = []
    parser = _Parser(text)
    try:
        while parser.check_event():
            event = parser.get_event()
            if isinstance(event, yaml.ScalarEvent):
                spans.append((event.start_mark.index, event.end_mark.index))
    finally:
        parser.dispose()
    found: Counter = Counter()
    spans.sort()
    at = 0
    position = 0
    while True:
        position = text.find("#", position)
        if position < 0:
            return found
        while at < len(spans) and spans[at][1] <= position:
            at += 1
        inside = at < len(spans) and spans[at][0] <= position < spans[at][1]
        if not inside and (position == 0 or text[position - 1] in " \t\n"):
            end = text.find("\n", position)
            end = len(text) if end < 0 else end
            found[text[position:end].rstrip()] += 1
            position = end
        else:
            position += 1
