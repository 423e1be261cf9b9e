"""Repairs of YAML syntax typed with a Chinese input method, made on the text before parsing.

A full-width colon after a key (`carried_over：120.45`), a key with no space after its
colon, tabs or full-width spaces (U+3000) as indentation, full-width commas, braces and
brackets in a one-line flow collection: each makes the file unreadable, or reads as
something else. They are repaired only where they are syntax: after a field name the
file's schema knows, at the start of a line or of a flow entry. Block scalars and quoted
text running over several lines are skipped, and text values are never touched (a Chinese
sentence is full of full-width colons and commas). The caller parses the result and drops
any repair that turns out to lie inside a scalar (see `Repair.site` and fmt.py).

The width of a tab or a full-width space is a guess; `indentation_widths` lists the
guesses worth trying, and the caller uses them only if every guess that reads reads the
same data.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from ..i18n import _
from .facts import thousands_shaped

_WS = " \t\u3000"
_ODD_WS = "\t\u3000"  # whitespace YAML does not accept everywhere a space goes
_COLONS = ":："
_OPEN = {"{": "}", "[": "]", "｛": "｝", "［": "］"}
_CLOSE = {"}", "]", "｝", "］"}
_ASCII = {"｛": "{", "｝": "}", "［": "[", "］": "]"}
_BLOCK_HEADER = re.compile(r"[|>][1-9+-]{0,2}[ \t]*(?:[ \t]#.*)?")
_NUMBERISH = re.compile(r"[ \t\u3000]*[-－−]?[0-9０-９]+(?:[.．。][0-9０-９]+)?[ \t\u3000]*")
_WIDTHS = [(4, 2), (8, 2), (2, 2), (4, 1), (8, 1), (2, 1)]  # (tab, full-width space)


@dataclass(frozen=True)
class Repair:
    line: int  # 1-based, the same in the original and the repaired text
    column: int  # 1-based, in the repaired text: the syntax character written
    site: tuple[int, int]  # (line, column) in the original text: identifies the repair
    message: str
    guessed: bool = False  # it depends on the guessed width of a tab or full-width space


@dataclass
class _Line:
    """One line being repaired: its text so far and the repairs made to it."""

    number: int
    text: str
    repairs: list[Repair]
    skip: frozenset
    shift: int = 0  # how much longer the repairs made the line before the current point

    def replace(
        self, start: int, end: int, new: str, at: int, original: int, message: str, guessed=False
    ):
        """Replace text[start:end] by `new`; `at` is the offset in `new` of the character
        the message is about, `original` its column in the original line (0-based)."""
        site = (self.number, original + 1)
        if site in self.skip:
            return False
        if end < len(self.text):  # a repair at the end of the line moves nothing
            self.shift += len(new) - (end - start)
        self.text = self.text[:start] + new + self.text[end:]
        self.repairs.append(Repair(self.number, start + at + 1, site, message, guessed))
        return True


def _width(ws: str, tab: int, wide: int, start: int = 0) -> int:
    col = start
    for c in ws:
        col = (col // tab + 1) * tab if c == "\t" else col + (wide if c == "\u3000" else 1)
    return col


def _odd_name(ws: str) -> str:
    if "\t" in ws and "\u3000" in ws:
        return _("a tab and a full-width space (U+3000)")
    return _("a tab") if "\t" in ws else _("a full-width space (U+3000)")


def indentation_widths(text: str) -> list[tuple[int, int]]:
    """The (tab, full-width space) widths to try: one guess when the text indents with
    spaces only; else each guess for what it does use."""
    tabs = wide = False
    for line in text.split("\n"):
        ws = line[: len(line) - len(line.lstrip(_WS + "-"))]
        tabs = tabs or "\t" in ws
        wide = wide or "\u3000" in ws
    if not tabs and not wide:
        return _WIDTHS[:1]
    return [
        (t, w) for t, w in _WIDTHS if (tabs or t == _WIDTHS[0][0]) and (wide or w == _WIDTHS[0][1])
    ]


def repair_text(
    text: str,
    keys: frozenset[str],
    widths: tuple[int, int] = _WIDTHS[0],
    skip: frozenset = frozenset(),
) -> tuple[str, list[Repair]]:
    """The text with the syntax repairs made, and the repairs. `keys` are the field
    names the file's schema knows; `skip` holds the sites of repairs not to make."""
    key_re = _key_pattern(keys)
    repairs: list[Repair] = []
    out: list[str] = []
    block_min: int | None = None  # inside a block scalar: its content's least indentation
    quote: str | None = None  # inside quoted text running over lines
    for number, raw in enumerate(text.split("\n"), 1):
        if block_min is not None:
            spaces = len(raw) - len(raw.lstrip(" "))
            if not raw.strip(_WS) or spaces >= block_min:
                out.append(raw)
                continue
            block_min = None
        if quote is not None:
            if _closes(raw, 0, quote) is not None:
                quote = None
            out.append(raw)
            continue
        line = _Line(number, raw, repairs, skip)
        block_min, quote = _repair_line(line, key_re, widths)
        out.append(line.text)
    return "\n".join(out), repairs


@cache
def _key_pattern(keys: frozenset[str]) -> re.Pattern:
    names = "|".join(re.escape(k) for k in sorted(keys, key=len, reverse=True)) or "(?!)"
    # a known field name, then spaces, then a colon of either width
    return re.compile(rf"(?P<key>{names})(?P<pre>[{_WS}]*)(?P<colon>[{_COLONS}])")


def _dashes(text: str, pos: int) -> tuple[list[tuple[int, int]], int]:
    """The sequence-entry dashes from `pos` ("- ", "- - "): (dash, end of its separator)
    each, and where the rest of the line starts."""
    dashes = []
    while pos < len(text) and text[pos] == "-" and (pos + 1 == len(text) or text[pos + 1] in _WS):
        end = pos + 1
        while end < len(text) and text[end] in _WS:
            end += 1
        dashes.append((pos, end))
        pos = end
    return dashes, pos


def _key_at(key_re: re.Pattern, text: str, pos: int) -> re.Match | None:
    """A known field name and its colon at `pos`, where they are syntax: the colon is
    full-width or followed by whitespace, the end of the line, or another character
    (a missing space; but not in `12:30` or `http://`)."""
    key = key_re.match(text, pos)
    if key is None or key["colon"] == "：" or key.end() == len(text):
        return key
    return None if text[key.end()] in "/:" else key


# an unknown field name and its colon: the value after it may open a block or a quote
_OTHER_KEY = re.compile(r"[^ \t#'\"{\[\]},][^#]*?[:：][ \t]+")


def _repair_line(line: _Line, key_re: re.Pattern, widths) -> tuple[int | None, str | None]:
    """Repair one line outside block scalars; return the block scalar or quote it opens."""
    tab, wide = widths
    text = line.text
    ws_end = len(text) - len(text.lstrip(_WS))
    if ws_end == len(text):  # blank
        if any(c in _ODD_WS for c in text):
            message = _("{what} on an empty line removed").format(what=_odd_name(text))
            line.replace(0, len(text), "", 0, 0, message)
        return None, None
    trailing = len(text.rstrip(" \t"))
    if "\t" in text[trailing:]:
        message = _("a tab at the end of the line removed")
        line.replace(trailing, len(text), "", 0, trailing, message)
        text = line.text
    dashes, pos = _dashes(text, ws_end)
    key = _key_at(key_re, text, pos)
    if text[ws_end] == "#" or dashes or key is not None:
        _repair_indentation(line, ws_end, dashes, widths)
        if text[ws_end] == "#":
            return None, None
    # where the dashes and the key are in the line as repaired so far
    ws_end = len(line.text) - len(line.text.lstrip(_WS))
    dashes, pos = _dashes(line.text, ws_end)
    owner = _width(line.text[:pos], tab, wide)  # the key's column
    if key is not None:
        value_at = _repair_key(line, key, pos - key.start())
    else:
        other = _OTHER_KEY.match(line.text, pos)
        value_at = other.end() if other else pos
        if other is None:  # no key: a block belongs to the last dash, or to the line above
            owner = _width(line.text[: dashes[-1][0] if dashes else ws_end], tab, wide)
    value = line.text[value_at:]
    if not value:
        return None, None
    if _BLOCK_HEADER.fullmatch(value):
        return owner + 1, None  # block content is indented deeper than its owner
    if value[0] in "\"'":
        return None, (value[0] if _closes(value, 1, value[0]) is None else None)
    if value[0] in _OPEN and (key is not None or (dashes and value_at == pos)):
        _repair_flow(line, value_at, key_re)
    return None, None


def _repair_indentation(line: _Line, ws_end: int, dashes, widths) -> None:
    """Tabs and full-width spaces in the indentation and after dashes written as the
    spaces they stand for."""
    tab, wide = widths
    shift = 0
    ws = line.text[:ws_end]
    if any(c in _ODD_WS for c in ws):
        spaces = " " * _width(ws, tab, wide)
        message = _("{what} used for indentation written as spaces").format(what=_odd_name(ws))
        if line.replace(0, ws_end, spaces, len(spaces) - 1, ws_end - 1, message, guessed=True):
            shift += len(spaces) - ws_end
    for start, end in dashes:
        sep = line.text[start + shift + 1 : end + shift]
        if any(c in _ODD_WS for c in sep):
            column = _width(line.text[: start + shift + 1], tab, wide)
            spaces = " " * max(1, _width(sep, tab, wide, column) - column)
            message = _("{what} after '-' written as spaces").format(what=_odd_name(sep))
            at = start + shift + 1
            if line.replace(at, end + shift, spaces, 0, start + 1, message, guessed=True):
                shift += len(spaces) - (end - start - 1)


def _colon(name: str, pre: str, colon: str, sep: str, has_value: bool) -> tuple[str, str] | None:
    """What a known key, the spaces and colon after it and the separator before its value
    should be, and why; None when they are fine (`key : value` is valid YAML and left to
    the layout)."""
    if colon == "：":
        message = _("full-width colon after '{name}' written as ':'").format(name=name)
    elif any(c in _ODD_WS for c in pre + sep):
        message = _("{what} after '{name}:' written as a space").format(
            what=_odd_name(pre + sep), name=name
        )
    elif not sep and has_value:
        message = _("space added after '{name}:'").format(name=name)
    else:
        return None
    keep = pre if colon == ":" and not any(c in _ODD_WS for c in pre) else ""
    return name + keep + ":" + (" " if has_value else ""), message


def _repair_key(line: _Line, key: re.Match, shift: int) -> int:
    """Make a known key's colon syntax; return where its value starts."""
    text = line.text
    start, end = key.start() + shift, key.end() + shift
    sep_end = end
    while sep_end < len(text) and text[sep_end] in _WS:
        sep_end += 1
    fix = _colon(key["key"], key["pre"], key["colon"], text[end:sep_end], sep_end < len(text))
    if fix is None:
        return sep_end
    new, message = fix
    if line.replace(start, sep_end, new, new.index(":"), key.start("colon"), message):
        return start + len(new)
    return sep_end


def _closes(text: str, start: int, quote: str) -> int | None:
    """Index just after the quote closing text opened before `start`, or None."""
    i = start
    while i < len(text):
        c = text[i]
        if quote == '"' and c == "\\":
            i += 2
            continue
        if c == quote:
            if quote == "'" and i + 1 < len(text) and text[i + 1] == "'":
                i += 2
                continue
            return i + 1
        i += 1
    return None


# --- one-line flow collections ---------------------------------------------------------


@dataclass
class _Flow:
    open: int  # index of the opening bracket in the line
    close: int  # index of the closing bracket
    commas: list[int]  # top-level commas, either width
    children: list[_Flow]


def _parse_flow(text: str, i: int) -> _Flow | None:
    """The flow collection opening at text[i], brackets of either width, or None if it
    does not close on this line."""
    node = _Flow(i, -1, [], [])
    j = i + 1
    item_start = True
    while j < len(text):
        c = text[j]
        if item_start and c in "\"'":
            end = _closes(text, j + 1, c)
            if end is None:
                return None
            j = end
            item_start = False
            continue
        if c in _OPEN:
            child = _parse_flow(text, j)
            if child is None:
                return None
            node.children.append(child)
            j = child.close + 1
            item_start = False
            continue
        if c in _CLOSE:
            if (_OPEN[text[i]] in "}｝") != (c in "}｝"):
                return None  # a bracket of the other kind
            node.close = j
            return node
        if c in ",，":
            node.commas.append(j)
            item_start = True
        elif c in _COLONS and (j + 1 == len(text) or text[j + 1] in _WS or c == "："):
            item_start = True
        elif c == "#" and j > 0 and text[j - 1] in " \t":
            return None  # a comment inside: not a one-line collection
        elif c not in _WS:
            item_start = False
        j += 1
    return None


def _repair_flow(line: _Line, at: int, key_re: re.Pattern) -> None:
    """Repair the one-line flow collection that starts at `at` and is all the rest of
    the line (a comment aside)."""
    text = line.text
    node = _parse_flow(text, at)
    if node is None:
        return
    tail = text[node.close + 1 :]
    if tail.strip(_WS) and not re.match(r"[ \t]+#", tail):
        return  # text after the brackets: not a flow collection, e.g. ［新］办公楼
    edits: list[tuple[int, int, str, str]] = []  # (start, end, new, message), original indexes
    if not _plan(text, node, key_re, edits):
        return
    # apply from the right so earlier indexes stay valid; repairs reported left to right
    applied = []
    for start, end, new, message in sorted(edits, reverse=True):
        site = (line.number, start - line.shift + 1)
        if site in line.skip:
            continue
        line.text = line.text[:start] + new + line.text[end:]
        applied.append((start, end, new, message))
    for start, _end, _new, message in sorted(applied):
        # the column in the repaired line: earlier edits change the length before it
        delta = sum(len(n) - (e - s) for s, e, n, _m in applied if s < start)
        site = (line.number, start - line.shift + 1)
        line.repairs.append(Repair(line.number, start + delta + 1, site, message))


def _items(text: str, node: _Flow) -> list[tuple[int, int]]:
    """(start, end) of each top-level entry of the collection."""
    bounds = [node.open, *node.commas, node.close]
    return [(bounds[k] + 1, bounds[k + 1]) for k in range(len(bounds) - 1)]


def _plan(text: str, node: _Flow, key_re: re.Pattern, edits: list) -> bool:
    """Plan the repairs of one collection and those inside it; False if its full-width
    punctuation cannot be told from text."""
    mapping = text[node.open] in "{｛"
    entries = _items(text, node)
    children = {child.open: child for child in node.children}
    if mapping:
        # a full-width comma separates entries only when a field name and a colon follow
        separators = [
            c
            for c, (s, _e) in zip(node.commas, entries[1:], strict=True)
            if text[c] == "," or key_re.match(text[s:].lstrip(_WS))
        ]
        bounds = [node.open, *separators, node.close]
        entries = [(bounds[k] + 1, bounds[k + 1]) for k in range(len(bounds) - 1)]
        unambiguous = all(
            key_re.match(text[s:e].lstrip(_WS)) for s, e in entries if text[s:e].strip(_WS)
        )
        for s, e in entries:
            lead = len(text[s:e]) - len(text[s:e].lstrip(_WS))
            key = _key_at(key_re, text, s + lead)
            if key is None or key.end() > e:
                continue
            value_at = key.end()
            while value_at < e and text[value_at] in _WS:
                value_at += 1
            fix = _colon(
                key["key"], key["pre"], key["colon"], text[key.end() : value_at], value_at < e
            )
            if fix is not None:
                edits.append((key.end("key"), value_at, fix[0][len(key["key"]) :], fix[1]))
            child = children.get(value_at)
            if child is not None and not _plan(text, child, key_re, edits):
                return False
    else:
        unambiguous = True  # every entry a number or a collection: its commas are syntax
        for s, e in entries:
            entry = text[s:e]
            child = children.get(s + len(entry) - len(entry.lstrip(_WS)))
            if child is not None:
                if not _plan(text, child, key_re, edits):
                    return False
            elif not _NUMBERISH.fullmatch(entry):
                unambiguous = False  # text in the list: its full-width commas may be text
        if any(text[c] == "，" for c in node.commas) and thousands_shaped(
            text[node.open + 1 : node.close]
        ):
            unambiguous = False  # [3，390.10，5]: one amount or two? fmt_facts refuses
        separators = node.commas if unambiguous else [c for c in node.commas if text[c] == ","]
    for c in separators:
        if text[c] == "，":
            message = _("full-width comma between two entries written as ','")
            edits.append((c, c + 1, ",", message))
    if text[node.open] in "｛［" or text[node.close] in "｝］":
        if not unambiguous:
            return False
        pair = text[node.open] + text[node.close]
        message = _("full-width brackets {pair} written as ASCII").format(pair=pair)
        for at in (node.open, node.close):
            if text[at] in _ASCII:
                edits.append((at, at + 1, _ASCII[text[at]], message))
                message = ""  # the pair is reported once
    return True
