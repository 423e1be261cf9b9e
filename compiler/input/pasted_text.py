"""What Word and input methods leave in text pasted into a data file: `disclosure fmt`
repairs what has one meaning, and `validate` names, at its line and column, what it
cannot decide.

Repaired (`clean`): a full-width space (U+3000) or a no-break space (U+00A0) at the end of
a text or of one of its lines, or between two Chinese characters; any space before a
Chinese closing mark (`减少　。` → `减少。`); a doubled `。。`; double curly quotes typed
the wrong way round (`“减少“`, `”减少”`, `”减少“`), which Chinese text never nests, so
the first of each two opens and the second closes.

Named (`warnings`): an odd number of double curly quotes (one is missing or extra, and
which cannot be told) and three or more `。` in a row (an ellipsis is `……`).

Left alone: an ASCII space between two Chinese characters. The published documents print
such spaces as separators (`第一季度 审价；第二季度 审价`, kept in examples/wanli as
printed), so it is not a slip fmt can tell from the text.

This module imports nothing heavy: `validate` uses it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..diagnostics import Diagnostic, Location
from ..i18n import _
from .loader import Document, dotted, leaves

_HAN = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_ODD_SPACES = "\u3000\u00a0"
_CLOSING = "。，、；：！？）》」』】"
_TRAILING = re.compile(rf"[ \t{_ODD_SPACES}]*[{_ODD_SPACES}][ \t{_ODD_SPACES}]*$", re.M)
_BEFORE_MARK = re.compile(rf"[ {_ODD_SPACES}]+(?=[{_CLOSING}])")
_BETWEEN_HAN = re.compile(rf"(?<=[{_HAN}])[{_ODD_SPACES}]+(?=[{_HAN}])")
_DOUBLED_STOP = re.compile(r"(?<!。)。。(?!。)")
_STOPS = re.compile(r"。{3,}")
_QUOTES = re.compile("[“”]")


@dataclass(frozen=True)
class Repair:
    index: int  # where in the original value (0-based)
    message: str


def _space_name(spaces: str) -> str:
    if "\u3000" in spaces and "\u00a0" in spaces:
        return _("a full-width space (U+3000) and a no-break space (U+00A0)")
    if "\u3000" in spaces:
        return _("a full-width space (U+3000)")
    if "\u00a0" in spaces:
        return _("a no-break space (U+00A0)")
    return _("a space")


def clean(value: str) -> tuple[str, list[Repair]]:
    """The text with every unambiguous paste slip repaired, and each repair (its place in
    `value` and what was done, in the words fmt prints)."""
    edits: list[tuple[int, int, str, str]] = []  # start, end, new text, message
    taken: set[int] = set()

    def add(start: int, end: int, new: str, message: str) -> None:
        span = set(range(start, max(end, start + 1)))
        if span & taken:
            return  # one repair for each character
        taken.update(span)
        edits.append((start, end, new, message))

    for m in _TRAILING.finditer(value):
        if m.start() == m.end():
            continue
        message = (
            _("{what} at the end of the text removed")
            if m.end() == len(value)
            else _("{what} at the end of the line removed")
        )
        add(m.start(), m.end(), "", message.format(what=_space_name(m.group())))
    for m in _BEFORE_MARK.finditer(value):
        mark = value[m.end()]
        message = _("{what} before '{mark}' removed").format(what=_space_name(m.group()), mark=mark)
        add(m.start(), m.end(), "", message)
    for m in _BETWEEN_HAN.finditer(value):
        message = _("{what} between '{left}' and '{right}' removed").format(
            what=_space_name(m.group()), left=value[m.start() - 1], right=value[m.end()]
        )
        add(m.start(), m.end(), "", message)
    for m in _DOUBLED_STOP.finditer(value):
        add(m.start(), m.end(), "。", _("doubled '。。' written as '。'"))
    for start, end, new in _quote_pairs(value):
        old = value[start:end]
        shown_old, shown_new = _short(old), _short(new)
        message = _("quotes {old} written as {new}").format(old=shown_old, new=shown_new)
        add(start, start + 1, new[0], message)
        add(end - 1, end, new[-1], "")
    repairs = []
    out = value
    for start, end, new, message in sorted(edits, reverse=True):
        out = out[:start] + new + out[end:]
        if message:
            repairs.append(Repair(start, message))
    return out, sorted(repairs, key=lambda r: r.index)


def _short(text: str) -> str:
    return text if len(text) <= 14 else text[:6] + "…" + text[-6:]


def _quote_pairs(value: str) -> list[tuple[int, int, str]]:
    """(start, end, text with the right quotes) of each pair of double curly quotes typed
    the wrong way round; none when their number is odd (`warnings` names that)."""
    found = [m.start() for m in _QUOTES.finditer(value)]
    if len(found) % 2:
        return []
    pairs = []
    for open_at, close_at in zip(found[::2], found[1::2], strict=True):
        if value[open_at] != "“" or value[close_at] != "”":
            pairs.append((open_at, close_at + 1, "“" + value[open_at + 1 : close_at] + "”"))
    return pairs


# --- validate: what fmt cannot decide ----------------------------------------------------


def problems_in(value: str) -> list[tuple[int, str]]:
    """(index, message) for each paste slip in `value` that fmt cannot repair."""
    found = []
    quotes = [m.start() for m in _QUOTES.finditer(value)]
    if len(quotes) % 2:
        at = _unpaired(value, quotes)
        found.append(
            (
                at,
                _(
                    "the text has {count} double quotes “ ”, an odd number: one is missing or "
                    "one too many, and fmt cannot tell which; check the quotes from here on"
                ).format(count=len(quotes)),
            )
        )
    for m in _STOPS.finditer(value):
        found.append(
            (
                m.start(),
                _(
                    "{count} '。' in a row: write one '。' at the end of a sentence, or '……' "
                    "for an ellipsis"
                ).format(count=len(m.group())),
            )
        )
    return found


def _unpaired(value: str, quotes: list[int]) -> int:
    """The first quote that pairs with nothing, reading “ as opening and ” as closing."""
    open_at = None
    for at in quotes:
        if value[at] == "“":
            if open_at is not None:
                return open_at
            open_at = at
        elif open_at is None:
            return at
        else:
            open_at = None
    return open_at if open_at is not None else quotes[-1]


def warnings(doc: Document) -> list[Diagnostic]:
    """A warning at its line and column for each paste slip fmt cannot decide."""
    found = []
    raw_lines: list[str] | None = None
    for path, value in leaves(doc.data):
        if not isinstance(value, str) or not ("“" in value or "”" in value or "。。。" in value):
            continue
        for index, message in problems_in(value):
            if raw_lines is None:
                raw_lines = doc.raw.decode("utf-8", "replace").split("\n")
            where = where_in_value(doc, tuple(path), value, index, raw_lines)
            found.append(Diagnostic(where, message, dotted(tuple(path)), "warning"))
    return found


def where_in_value(
    doc: Document, path: tuple, value: str, index: int, lines: list[str]
) -> Location:
    """The line and column of value[index] in the file (the value's start, where that
    cannot be told: folded or multi-line quoted text)."""
    start = doc.locate(path)
    before = value[:index]
    breaks = before.count("\n")
    if path in doc.block_scalars:
        line = start.line + 1 + breaks
        text = lines[line - 1] if 0 < line <= len(lines) else ""
        indent = len(text) - len(text.lstrip(" "))
        return Location(start.file, line, indent + len(before) - (before.rfind("\n") + 1) + 1)
    if breaks:
        return start
    row = lines[start.line - 1] if 0 < start.line <= len(lines) else ""
    quoted = row[start.column - 1 : start.column] in ("'", '"')
    return Location(start.file, start.line, start.column + len(before) + int(quoted))
