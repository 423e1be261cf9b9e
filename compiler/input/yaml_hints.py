"""The typing mistakes that break a YAML file, found where the clerk made them.

A YAML parser reports where it got lost, often a line later and in its own words ("could
not find expected ':'"). Most broken data files are broken in one of a few ways a Chinese
input method makes easy: a full-width colon or comma used as YAML punctuation, a tab or a
full-width space for indentation, no space after a colon, an indentation that does not
line up, a quote left open. This module looks at the text line by line for exactly those,
and returns each with its line, column and what to type instead; the loader reports them in
place of the parser's message (and falls back to the parser's when none is found).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..i18n import _

# A key as data files write them: ASCII letters, digits, _ and -.
_KEY = r"[A-Za-z_][A-Za-z0-9_-]*"
_FULL_COLON = re.compile(rf"^(\s*(?:-\s+)?)({_KEY})\s*：")
_NO_SPACE = re.compile(rf"^(\s*(?:-\s+)?)({_KEY}):(?=[^\s/])")
_FLOW_FULL = re.compile(r"[｛｝［］，]")
_LEADING = re.compile(r"^[ \t\u3000]*")


@dataclass(frozen=True)
class Hint:
    line: int  # 1-based
    column: int  # 1-based
    message: str


def find(text: str) -> list[Hint]:
    """Every typing mistake of these kinds in `text`, in line order."""
    hints: list[Hint] = []
    lines = text.split("\n")
    quote_open_at: tuple[int, int] | None = None
    prose = _block_scalar_lines(lines)
    for number, line in enumerate(lines, 1):
        if line.lstrip().startswith("#") or number in prose:
            continue
        indent = _LEADING.match(line).group(0)
        if "\t" in indent:
            hints.append(
                Hint(
                    number,
                    indent.index("\t") + 1,
                    _(
                        "a tab (制表符) is used for indentation; YAML indents with spaces "
                        "only: replace the tab by spaces"
                    ),
                )
            )
        if "\u3000" in indent:
            hints.append(
                Hint(
                    number,
                    indent.index("\u3000") + 1,
                    _(
                        "a full-width space (全角空格) is used for indentation; indent with "
                        "ordinary spaces"
                    ),
                )
            )
        if m := _FULL_COLON.match(line):
            column = line.index("：", m.end(2)) + 1
            hints.append(
                Hint(
                    number,
                    column,
                    _(
                        "a full-width colon (全角冒号 ：) follows the field name {key}; type "
                        "a half-width colon and a space: {key}: …"
                    ).format(key=m.group(2)),
                )
            )
        elif m := _NO_SPACE.match(line):
            column = m.end(2) + 1
            hints.append(
                Hint(
                    number,
                    column,
                    _("no space after the colon of {key}; type a space after it: {key}: …").format(
                        key=m.group(2)
                    ),
                )
            )
        hints += _flow_punctuation(number, line)
        quote_open_at = _quotes(number, line, quote_open_at, hints)
    if quote_open_at is not None:
        line, column = quote_open_at
        hints.append(
            Hint(
                line,
                column,
                _('a quote (") is opened here and never closed; close it at the end of the value'),
            )
        )
    # An indentation hint only where no more precise one was found on the line (a tab
    # there also throws the levels of the lines below off).
    tabbed = {h.line for h in hints}
    hints += [h for h in _indentation(lines) if h.line not in tabbed and h.line - 1 not in tabbed]
    return sorted(set(hints), key=lambda h: (h.line, h.column))


_BLOCK_START = re.compile(r"[|>][-+0-9]*\s*(#.*)?$")


def _block_scalar_lines(lines: list[str]) -> set[int]:
    """The numbers of the lines that are the text of a `|` or `>` block: prose, where a
    paragraph may well start with full-width spaces and hold colons of every width."""
    inside: set[int] = set()
    parent: int | None = None  # indentation of the line that opened the block
    for number, line in enumerate(lines, 1):
        stripped = line.strip()
        indent = len(line) - len(line.lstrip(" \t\u3000"))
        if parent is not None:
            if not stripped or indent > parent:
                inside.add(number)
                continue
            parent = None
        body = stripped.split(" #", 1)[0].rstrip()
        if _BLOCK_START.search(body) and (": " in body or body.startswith("- ")):
            parent = len(line) - len(line.lstrip(" "))
    return inside


def _flow_punctuation(number: int, line: str) -> list[Hint]:
    """Full-width braces, brackets or commas inside a {…} or […] value: YAML punctuation
    typed with a Chinese input method."""
    _before, sep, value = line.partition(": ")
    value = value.strip()
    if not sep or not value or value[0] not in "{[｛［":
        return []
    if value[0] in "{[" and not _FLOW_FULL.search(value):
        return []
    found = _FLOW_FULL.search(line, line.index(value))
    if found is None:
        return []
    char = found.group(0)
    ascii_char = {"｛": "{", "｝": "}", "［": "[", "］": "]", "，": ","}[char]
    return [
        Hint(
            number,
            found.start() + 1,
            _(
                "a full-width {char} is used as YAML punctuation in a {{…}} or […] value; type "
                "the half-width {ascii_char}"
            ).format(char=char, ascii_char=ascii_char),
        )
    ]


def _quotes(number: int, line: str, open_at, hints) -> tuple[int, int] | None:
    """Track a double-quoted value that is never closed (the parser then reports the end
    of the file)."""
    if open_at is not None:
        if '"' in line:
            return None
        return open_at
    _before, sep, value = line.partition(": ")
    if not sep:
        _before, sep, value = line.partition("- ")
    stripped = value.strip()
    if stripped.startswith('"'):
        body = stripped[1:]
        closed = re.search(r'(?<!\\)"', body)
        if closed is None:
            return (number, line.index('"') + 1)
    return None


def _indentation(lines: list[str]) -> list[Hint]:
    """A line indented deeper than the line above it opened (no `key:` there to start a
    mapping, no `- ` to start a list), or to a depth that matches no level above. The text
    of a block scalar (`|`) is skipped: it may be indented as it likes."""
    hints = []
    levels = [0]
    opens = False
    block: int | None = None  # indentation of the block scalar being skipped
    block_starts = False
    for number, line in enumerate(lines, 1):
        stripped = line.strip()
        if not stripped or stripped.startswith("#"):
            continue
        indent = len(line) - len(line.lstrip(" "))
        if block_starts:
            block, block_starts = indent, False
        if block is not None:
            if indent >= block:
                continue
            block = None
        if indent > levels[-1]:
            if opens:
                levels.append(indent)
            else:
                hints.append(
                    Hint(
                        number,
                        1,
                        _(
                            "this line is indented by {indent} spaces, more than the line "
                            "above ({above}), which does not open a new level; line it up "
                            "with the lines above"
                        ).format(indent=indent, above=levels[-1]),
                    )
                )
        elif indent < levels[-1]:
            shown = ", ".join(str(level) for level in levels)
            while len(levels) > 1 and indent < levels[-1]:
                levels.pop()
            if indent != levels[-1]:
                hints.append(
                    Hint(
                        number,
                        1,
                        _(
                            "this line is indented by {indent} spaces, which matches none of "
                            "the levels above ({levels}); line it up with the lines it belongs "
                            "with"
                        ).format(indent=indent, levels=shown),
                    )
                )
        body = stripped.split(" #", 1)[0].rstrip()
        block_starts = body.endswith(("|", "|-", "|+", ">", ">-", ">+"))
        opens = body.endswith(":") or body == "-"
        if body.startswith("- "):
            # `- name: x` starts a mapping whose later keys line up with `name`
            item = indent + 2 + (len(body) - len(body[2:].lstrip()) - 2)
            if levels[-1] != item:
                levels.append(item)
            opens = opens or body.endswith(":")
    return hints
