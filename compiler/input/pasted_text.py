"""What Word and input methods leave in text pasted into a data file: `disclosure fmt`
repairs what has one meaning, and `validate` names, at its line and column, what it
cannot decide.

Repaired (`clean`): a full-width space (U+3000) or a no-break space (U+00A0) at the end of
a text or of one of its lines, or between two Chinese characters; any space before a
Chinese closing mark (`减少　。` → `减少。`); a doubled `。。`; double quotes not in the
layout's style (`quotes`, “” or 「」): straight quotes ("PPP"), curly ones typed the wrong
way round (`“减少“`, `”减少”`) and the other style's brackets. Chinese text never nests
double quotes, so the first of each two opens and the second closes.

Named (`warnings`): an odd number of double quotes (one is missing or extra, and which
cannot be told), two quotes of different kinds that pair up (“减少」), three or more `。`
in a row (an ellipsis is `……`). Two are about what a published document may print on
purpose, so the year may acknowledge them (acknowledged.yaml): an ASCII space between two
Chinese characters (the 万里 documents print `第一季度 审价；第二季度 审价` with such
spaces as separators), and a text wholly inside straight quotes (a spreadsheet writes them
around a cell that holds a line break; fmt cannot tell the cell's quotes from the text's).

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
_ASCII_SPACE = re.compile(rf"(?<=[{_HAN}]) +(?=[{_HAN}])")

# Double quotes: each mark's kind; the styles a layout may declare (opening, closing) are
# listed once, in schemas/layout.schema.json (quotes).
DEFAULT_QUOTES = "“”"  # the style of every document the tool's layouts reproduce
_KIND = {"“": "curly", "”": "curly", "「": "corner", "」": "corner", '"': "straight"}
_QUOTES = re.compile('["“”「」]')


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


def clean(value: str, quotes: str | None = DEFAULT_QUOTES) -> tuple[str, list[Repair]]:
    """The text with every unambiguous paste slip repaired, and each repair (its place in
    `value` and what was done, in the words fmt prints); double quotes in the layout's
    style `quotes`, or left as typed where the layout's style is not known (None)."""
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
    for start, end, new in _quote_pairs(value, quotes):
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


def _quote_pairs(value: str, quotes: str | None) -> list[tuple[int, int, str]]:
    """(start, end, text with the style's quotes) of each pair of double quotes not in the
    style `quotes`; none when fmt cannot decide (`problems_in` names why) or the style is
    not known."""
    if quotes is None:
        return []
    found = [m.start() for m in _QUOTES.finditer(value)]
    if _undecided_quotes(value, found):
        return []
    pairs = []
    for open_at, close_at in zip(found[::2], found[1::2], strict=True):
        if value[open_at] + value[close_at] != quotes:
            pairs.append(
                (open_at, close_at + 1, quotes[0] + value[open_at + 1 : close_at] + quotes[1])
            )
    return pairs


def _undecided_quotes(value: str, found: list[int]) -> str | None:
    """Why the double quotes at `found` cannot be brought to a style: an odd number, a
    pair of two kinds (straight quotes pair with either), or straight quotes around the
    whole text. None when they can."""
    if len(found) % 2:
        return "odd"
    for open_at, close_at in zip(found[::2], found[1::2], strict=True):
        kinds = {_KIND[value[open_at]], _KIND[value[close_at]]} - {"straight"}
        if len(kinds) > 1:
            return "mixed"
    text = value.strip()
    if len(text) > 1 and text[0] == '"' and text[-1] == '"':
        return "whole"
    return None


# --- validate: what fmt cannot decide ----------------------------------------------------


@dataclass(frozen=True)
class Problem:
    index: int  # where in the value (0-based)
    message: str
    published: bool = False  # what a document may print on purpose: it may be acknowledged


def problems_in(value: str) -> list[Problem]:
    """Each paste slip in `value` that fmt cannot repair."""
    found = []
    quotes = [m.start() for m in _QUOTES.finditer(value)]
    why = _undecided_quotes(value, quotes)
    if why == "odd":
        found.append(
            Problem(
                _unpaired(value, quotes),
                _(
                    "the text has {count} double quotes ({marks}), an odd number: one is "
                    "missing or one too many, and fmt cannot tell which; check the quotes "
                    "from here on"
                ).format(
                    count=len(quotes), marks=" ".join(dict.fromkeys(value[at] for at in quotes))
                ),
            )
        )
    elif why == "mixed":
        open_at, close_at = _mixed_pair(value, quotes)
        found.append(
            Problem(
                open_at,
                _(
                    "the quotes {open} and {close} are of two kinds: fmt cannot tell which the "
                    "text meant; write both in the style of the layout"
                ).format(open=value[open_at], close=value[close_at]),
            )
        )
    elif why == "whole":
        found.append(
            Problem(
                value.index('"'),
                _(
                    'the whole text is in straight quotes "…": a spreadsheet writes them '
                    "around a cell that holds a line break, and fmt cannot tell them from the "
                    "text's own quotes. Remove them, or write them as the layout's quotes; if "
                    "the published document printed them so, acknowledge this warning in "
                    "acknowledged.yaml (file, field and the reason)"
                ),
                published=True,
            )
        )
    for m in _STOPS.finditer(value):
        found.append(
            Problem(
                m.start(),
                _(
                    "{count} '。' in a row: write one '。' at the end of a sentence, or '……' "
                    "for an ellipsis"
                ).format(count=len(m.group())),
            )
        )
    spaces = list(_ASCII_SPACE.finditer(value))
    if spaces:
        first = spaces[0]
        more = (
            _(", and {count} more in this text").format(count=len(spaces) - 1)
            if len(spaces) > 1
            else ""
        )
        found.append(
            Problem(
                first.start(),
                _(
                    "a space between '{left}' and '{right}' ({around}){more}: fmt leaves it, "
                    "as a published document may print such a space as a separator. If the "
                    "document did not print it, remove the space; if it did, acknowledge this "
                    "warning in acknowledged.yaml (file, field and the reason)"
                ).format(
                    left=value[first.start() - 1],
                    right=value[first.end()],
                    around=_around(value, first.start(), first.end()),
                    more=more,
                ),
                published=True,
            )
        )
    return found


def _around(value: str, start: int, end: int) -> str:
    """The neighbourhood of value[start:end] on its line, a few characters each side."""
    left = value[max(0, start - 6) : start].rsplit("\n", 1)[-1]
    right = value[end : end + 6].split("\n", 1)[0]
    return f"“{left}{value[start:end]}{right}”"


def _mixed_pair(value: str, quotes: list[int]) -> tuple[int, int]:
    for open_at, close_at in zip(quotes[::2], quotes[1::2], strict=True):
        if len({_KIND[value[open_at]], _KIND[value[close_at]]} - {"straight"}) > 1:
            return open_at, close_at
    raise ValueError("no pair of two kinds")


def _unpaired(value: str, quotes: list[int]) -> int:
    """The first quote that pairs with nothing, reading “ and 「 as opening, ” and 」 as
    closing, and a straight quote as whichever comes next."""
    open_at = None
    for at in quotes:
        if value[at] in "“「" or (value[at] == '"' and open_at is None):
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
        if not isinstance(value, str):
            continue
        for problem in problems_in(value):
            if raw_lines is None:
                raw_lines = doc.raw.decode("utf-8", "replace").split("\n")
            where = where_in_value(doc, tuple(path), value, problem.index, raw_lines)
            found.append(
                Diagnostic(
                    where,
                    problem.message,
                    dotted(tuple(path)),
                    "warning",
                    published=problem.published,
                )
            )
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
