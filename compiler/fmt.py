"""`disclosure fmt`: one data file in canonical form, without changing a fact.

The steps, for one file's text:
1. syntax typed with a Chinese input method is repaired on the text (fmt_text.py); a
   repair that the parser shows to lie inside a text value, or that makes the file
   unreadable, is not made;
2. the text is read round-trip (fmt_yaml.py), numbers, codes and key order are repaired
   on the tree with the schema's help (fmt_tree.py), and the tree is written back in the
   canonical layout;
3. the strict loader reads the text before and after step 2: the data must be the same
   but for the repairs of numbers and codes, and every comment must still be there
   (fmt_check.py). Otherwise nothing is written and the file is reported as an internal
   problem.
Every change is reported with its line, in words a clerk knows.
"""

from __future__ import annotations

import difflib
import re
from bisect import bisect_right
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from .diagnostics import Diagnostic, Location
from .fmt_check import comments, fact_difference
from .fmt_schema import field_names, root
from .fmt_text import Repair, indentation_widths, repair_text
from .fmt_tree import Change, fix_tree
from .loader import MAX_FILE_BYTES, Document, load_bytes, load_text

_Parser = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
MAX_ATTEMPTS = 20  # parses per width guess while leaving out repairs; bounds hostile input


@dataclass
class Formatted:
    """What formatting one file gives."""

    file: str  # as messages name it
    text: str | None = None  # the canonical text, when it differs from the file's
    changes: list[Change] = field(default_factory=list)
    problems: list[Diagnostic] = field(default_factory=list)  # the file cannot be read
    internal: str | None = None  # the formatter failed its own checks: nothing written
    path: Path | None = None  # where to write it

    @property
    def changed(self) -> bool:
        return self.text is not None


def format_file(file: str, raw: bytes, kind: str) -> Formatted:
    result = Formatted(file)
    try:
        original = raw.decode("utf-8") if len(raw) <= MAX_FILE_BYTES else None
    except UnicodeDecodeError:
        original = None
    if original is None:  # too large, or not UTF-8: in the loader's words
        result.problems.extend(load_bytes(file, raw)[1])
        return result
    text = original
    if text.startswith("\ufeff"):
        text = text[1:]
        result.changes.append(Change(1, "invisible byte-order mark at the start removed"))
    if "\r\n" in text:  # a lone CR is refused by the loader, not guessed at here
        text = text.replace("\r\n", "\n")
        result.changes.append(Change(1, "Windows line endings (CR LF) written as LF"))
    repaired = _repair(file, text, field_names(kind), result)
    if repaired is None:
        return result
    text, doc = repaired
    canonical = text
    if isinstance(doc.data, dict):  # anything else is the schema's to report, not ours
        canonical = _canonical(file, text, doc, kind, result)
        if canonical is None:
            return result
    if canonical != original:
        result.text = canonical
    result.changes.sort(key=lambda c: c.line)
    return result


# --- step 1: repairs on the text --------------------------------------------------------


@dataclass
class _Attempt:
    """The repairs made with one guess of the width of tabs and full-width spaces."""

    text: str
    repairs: list[Repair]
    doc: Document | None
    problems: list[Diagnostic]
    guess_dropped: bool  # a repair of indentation was left out: not a reading of the guess

    @property
    def readable(self) -> bool:
        return self.doc is not None and not self.problems


def _repair(file: str, text: str, keys: frozenset, result: Formatted):
    """The repaired text and its document, or None (problems recorded in `result`)."""
    attempts: dict[str, _Attempt] = {}
    for widths in indentation_widths(text):
        attempt = _repair_with(file, text, keys, widths)
        attempts.setdefault(attempt.text, attempt)  # the same text for several guesses
    readable = [a for a in attempts.values() if a.readable]
    if not readable:
        result.problems.extend(next(iter(attempts.values())).problems)
        return None
    readings = [a for a in readable if not a.guess_dropped] or readable
    if len({repr(a.doc.data) for a in readings}) > 1:
        guessed = [r.line for a in readings for r in a.repairs if r.guessed]
        result.problems.append(
            Diagnostic(
                Location(file, min(guessed, default=1), 1),
                "tabs or full-width spaces used for indentation: how wide they are decides "
                "which key the line belongs to; indent with spaces (2 for each level)",
            )
        )
        return None
    chosen = readings[0]
    result.changes.extend(Change(r.line, r.message) for r in chosen.repairs if r.message)
    return chosen.text, chosen.doc


def _repair_with(file: str, text: str, keys: frozenset, widths) -> _Attempt:
    """Repair with one guess of the widths, leaving out each repair the parser shows is
    not syntax: inside a scalar, or on the line where the repaired text stops reading.
    If that does not settle within MAX_ATTEMPTS parses, no repair is made."""
    skip: set = set()
    dropped = False
    for _ in range(MAX_ATTEMPTS):
        repaired, repairs = repair_text(text, keys, widths, frozenset(skip))
        doc, problems = load_text(file, repaired)
        if doc is None or problems:
            error_line = problems[0].location.line if problems else 0
            near = [r for r in repairs if r.line <= error_line]
            if not near:  # what is left is not a repair's doing: the clerk's to fix
                return _Attempt(repaired, repairs, None, problems, dropped)
            last = max(r.line for r in near)
            wrong = [r for r in near if r.line == last]
        else:
            wrong = _inside_scalars(repaired, repairs)
            if not wrong:
                return _Attempt(repaired, repairs, doc, [], dropped)
        skip |= {r.site for r in wrong}
        dropped |= any(r.guessed for r in wrong)
    doc, problems = load_text(file, text)  # the file as it is, in the loader's words
    return _Attempt(text, [], None if problems else doc, problems, True)


def _inside_scalars(text: str, repairs: list[Repair]) -> list[Repair]:
    """The repairs that changed a character inside a scalar: text, not syntax."""
    if not repairs:
        return []
    spans = []
    parser = _Parser(text)
    try:
        while parser.check_event():
            event = parser.get_event()
            if isinstance(event, yaml.ScalarEvent):
                start, end = event.start_mark, event.end_mark
                spans.append(((start.line, start.column), (end.line, end.column)))
    finally:
        parser.dispose()
    spans.sort()
    starts = [a for a, _b in spans]
    inside = []
    for r in repairs:  # scalars do not overlap: only the last one starting before can hold it
        at = (r.line - 1, r.column - 1)
        k = bisect_right(starts, at) - 1
        if k >= 0 and at < spans[k][1]:
            inside.append(r)
    return inside


# --- steps 2 and 3: the tree, the layout, the proof --------------------------------------


def _canonical(file: str, text: str, doc: Document, kind: str, result: Formatted):
    from . import fmt_yaml  # ruamel.yaml: only when there is a mapping to format

    try:
        tree = fmt_yaml.load(text)
    except Exception as e:  # the strict loader read it: a limit of ruamel, not the clerk's
        result.internal = f"cannot read the file for formatting ({type(e).__name__}: {e})"
        return None
    explicit = fix_tree(tree, root(kind))
    out = fmt_yaml.keep_alignment(text, fmt_yaml.dump(tree))
    after, problems = load_text(file, out)
    if after is None or problems:
        result.internal = "the formatted text would not read back"
        return None
    where = fact_difference(doc.data, after.data)
    if where is not None:
        result.internal = f"the formatter would change a fact ({where})"
        return None
    if comments(text) != comments(out):
        result.internal = "the formatter would lose or change a comment"
        return None
    result.changes.extend(explicit)
    covered = {c.line for c in result.changes}
    result.changes.extend(layout_changes(text, out, covered))
    return out


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
            found.append((i1 + 1, "joined", f"lines {i1 + 1}–{i2}: one value written on one line"))
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
    if new is None:
        return "joined", "joined with the line above (one value written on one line)"
    if old.rstrip() == new:
        return "trailing", "spaces at the end of the line removed"
    if old.strip() == new.strip():
        return "indent", f"indented by {_indent(new)} spaces instead of {_indent(old)}"
    if re.sub(r"\s+", "", old) == re.sub(r"\s+", "", new):
        return "spacing", f"spacing tidied: {_short(new)}"
    return "other", f"written as: {_short(new)}"


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
            message = (
                f"indentation made consistent, 2 spaces a level (lines {number}–{found[end][0]})"
            )
        changes.append(Change(number, message))
        k = end + 1
    return changes
