"""The canonical layout's finishing touches, and what the layout changed, line by line.

ruamel.yaml writes the canonical indentation; two habits of the data are kept on top of
it: values aligned by hand after their keys, and each comment on its own line indented
like the line below it (ruamel keeps a comment's old column, which after re-indenting
sits apart from what it is about).
"""

from __future__ import annotations

import difflib
import re

from ..i18n import _
from .spans import Scalars
from .tree import Change

# `key:` and the spaces before a value on the same line
_KEY_GAP = re.compile(r"^(\s*(?:- )*[^\s#'\"{\[][^#]*?:)( +)(?=\S)")


def keep_alignment(before: str, after: str) -> str:
    """Spaces that align values after their keys (`current:   {…}` above
    `previous:  {…}`) are kept: ruamel writes one space, and the data's style is to
    align a few related lines by hand, like the comments beside them. A line is found
    again by its text, or (its value repaired) by its key if that key is on one line only."""
    gaps: dict[str, str] = {}
    keys: dict[str, list[str]] = {}
    for line in before.split("\n"):
        m = _KEY_GAP.match(line)
        if m:
            keys.setdefault(m.group(1).strip(), []).append(m.group(2))
            if len(m.group(2)) > 1:
                gaps.setdefault(_without_gap(line, m), m.group(2))
    if not gaps:
        return after
    out = []
    for line in after.split("\n"):
        m = _KEY_GAP.match(line)
        if m and m.group(2) == " ":
            gap = gaps.get(_without_gap(line, m))
            same_key = keys.get(m.group(1).strip(), [])
            if gap is None and len(same_key) == 1 and len(same_key[0]) > 1:
                gap = same_key[0]
            if gap:
                line = m.group(1) + gap + line[m.end() :]
        out.append(line)
    return "\n".join(out)


def _without_gap(line: str, m: re.Match) -> str:
    return m.group(1).strip() + " " + line[m.end() :]


def indent_comments(text: str) -> str:
    """Each comment on a line of its own indented like the next line that is not a
    comment or blank (at the end of the file it stays as it is). A comment's continuation
    lines (comment lines right below it, indented further) keep their extra indentation."""
    scalars = Scalars(text)
    lines = text.split("\n")
    out = list(lines)
    below = None  # the indentation of the next content line
    comments: set[int] = set()
    offset = len(text) + 1
    for number in range(len(lines) - 1, -1, -1):
        line = lines[number]
        offset -= len(line) + 1
        stripped = line.lstrip(" ")
        indent = len(line) - len(stripped)
        if not stripped:
            continue
        if stripped.startswith("#") and not scalars.holds(offset + indent):
            comments.add(number)
            if below is not None:
                out[number] = " " * below + stripped
            continue
        below = indent
    first = None  # (old indentation, new indentation) of the comment a continuation follows
    for number, line in enumerate(lines):
        if number not in comments:
            first = None
            continue
        indent = len(line) - len(line.lstrip(" "))
        if first is not None and indent > first[0]:
            out[number] = " " * (first[1] + indent - first[0]) + line.lstrip(" ")
        else:
            first = (indent, len(out[number]) - len(out[number].lstrip(" ")))
    return "\n".join(out)


def layout_changes(before: str, after: str, covered: set[int]) -> list[Change]:
    """What the canonical layout changed, line by line (lines in `covered` already have
    their reason); consecutive re-indented lines are named once."""
    old, new = before.split("\n"), after.split("\n")
    matcher = difflib.SequenceMatcher(None, old, new, autojunk=False)
    opcodes = [op for op in matcher.get_opcodes() if op[0] != "equal"]
    moved = _Pool(line for _t, _i1, _i2, j1, j2 in opcodes for line in new[j1:j2])
    found: list[tuple[int, str, str]] = []  # (line, kind, message)
    for _tag, i1, i2, j1, j2 in opcodes:
        if i2 - i1 > j2 - j1 > 0 and _words(old[i1:i2]) == _words(new[j1:j2]):
            message = _("lines {first}–{last}: one value written on one line")
            found.append((i1 + 1, "joined", message.format(first=i1 + 1, last=i2)))
            continue
        for k in range(i2 - i1):
            number = i1 + k + 1
            before_line = old[i1 + k]
            if number in covered or moved.take(before_line) or not before_line.strip():
                continue
            counterpart = new[j1 + k] if j1 + k < j2 else None
            found.append((number, *_describe(before_line, counterpart)))
    return _grouped(found)


class _Pool(dict):
    """Lines of the new text not matched in place: an old line found here moved."""

    def __init__(self, lines):
        super().__init__()
        for line in lines:
            self[line] = self.get(line, 0) + 1

    def take(self, line: str) -> bool:
        if self.get(line, 0) > 0:
            self[line] -= 1
            return True
        return False


def _words(lines: list[str]) -> str:
    return re.sub(r"\s+", " ", " ".join(lines)).strip()


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip(" "))


def _describe(old: str, new: str | None) -> tuple[str, str]:
    if new is None or not new.strip():
        if old.strip() in ("---", "...") or old.startswith("%"):
            message = _("'{marker}' removed (a data file holds one YAML document)")
            return "marker", message.format(marker=old.strip())
        return "joined", _("joined with the line above (one value written on one line)")
    if old.rstrip() == new:
        return "trailing", _("spaces at the end of the line removed")
    if old.strip() == new.strip():
        message = _("indented by {new} spaces instead of {old}")
        return "indent", message.format(new=_indent(new), old=_indent(old))
    if re.sub(r"\s+", "", old) == re.sub(r"\s+", "", new):
        return "spacing", _("spacing tidied: {line}").format(line=_short(new))
    return "other", _("written as: {line}").format(line=_short(new))


def _short(line: str) -> str:
    line = line.strip()
    return line if len(line) <= 60 else line[:59] + "…"


def _grouped(found: list[tuple[int, str, str]]) -> list[Change]:
    """Runs of re-indented lines as one change: `indentation made consistent (lines 3–9)`."""
    changes = []
    k = 0
    while k < len(found):
        number, kind, message = found[k]
        end = k
        while (
            kind == "indent"
            and end + 1 < len(found)
            and found[end + 1][1] == "indent"
            and found[end + 1][0] == found[end][0] + 1
        ):
            end += 1
        if end > k:
            message = _(
                "indentation made consistent, 2 spaces a level (lines {first}–{last})"
            ).format(first=number, last=found[end][0])
        changes.append(Change(number, message))
        k = end + 1
    return changes
