"""`disclosure fmt`: one data file in canonical form, without changing a fact.

The steps, for one file's text:
1. syntax typed with a Chinese input method is repaired on the text (text.py); a
   repair that the parser shows to lie inside a text value, or that makes the file
   unreadable, is not made;
2. an amount typed with thousands separators that YAML split in braces ({project:
   3,390.10}) is joined back, and a brace entry or a list fmt would have to guess at
   refuses the file (facts.py);
3. the text is read round-trip (roundtrip.py), numbers, codes and key order are repaired
   on the tree with the schema's help (tree.py), and the tree is written back in the
   canonical layout;
4. the strict loader reads the text before and after step 3: the data must be the same
   but for the repairs of numbers and codes, and every comment must still be there
   (check.py). Otherwise nothing is written and the file is reported as an internal
   problem.
Every change is reported with its line, in words a clerk knows.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..diagnostics import Diagnostic, Location
from ..i18n import _
from ..input.loader import MAX_FILE_BYTES, Document, load_bytes, load_text
from ..input.pasted_text import DEFAULT_QUOTES
from . import facts
from . import roundtrip as fmt_yaml
from .check import comments, fact_difference
from .layout import indent_comments, keep_alignment, layout_changes
from .result import Formatted
from .schema import field_names, root
from .spans import Scalars, parse_error_line
from .text import Repair, indentation_widths, repair_text
from .tree import Change, fix_tree

MAX_ATTEMPTS = 20  # parses per width guess while leaving out repairs; bounds hostile input


def format_file(file: str, raw: bytes, kind: str, quotes: str | None = DEFAULT_QUOTES) -> Formatted:
    """Format one data file of schema `kind`; text's double quotes are brought to the
    year's layout's style `quotes` (“” or 「」)."""
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
        result.changes.append(Change(1, _("invisible byte-order mark at the start removed")))
    if "\r\n" in text:  # a lone CR is refused by the loader, not guessed at here
        text = text.replace("\r\n", "\n")
        result.changes.append(Change(1, _("Windows line endings (CR LF) written as LF")))
    repaired = _repair(file, text, field_names(kind), result)
    if repaired is None:
        return result
    text, doc = repaired
    canonical = text
    if isinstance(doc.data, dict):  # anything else is the schema's to report, not ours
        text, doc, joined, unclear = join_amounts(file, text, doc, kind)
        if unclear:  # fmt would have to guess a fact: the clerk says what was meant
            result.problems.extend(unclear)
            result.unclear = True
            return result
        result.changes.extend(joined)
        canonical = _canonical(file, text, doc, kind, result, quotes)
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
                _(
                    "tabs or full-width spaces used for indentation: how wide they are decides "
                    "which key the line belongs to; indent with spaces (2 for each level)"
                ),
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
    for _attempt in range(MAX_ATTEMPTS):
        repaired, repairs = repair_text(text, keys, widths, frozenset(skip))
        doc, problems = load_text(file, repaired)
        if doc is None or problems:
            error_line = parse_error_line(repaired) or (
                problems[0].location.line if problems else 0
            )
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
    scalars = Scalars(text)
    return [r for r in repairs if scalars.holds(scalars.index(r.line, r.column))]


# --- steps 2 and 3: the tree, the layout, the proof --------------------------------------


def _canonical(
    file: str, text: str, doc: Document, kind: str, result: Formatted, quotes: str | None
):
    try:
        tree = fmt_yaml.load(text)
    except Exception as e:  # the strict loader read it: a limit of ruamel, not the clerk's
        problem = f"{type(e).__name__}: {e}"
        result.internal = _("cannot read the file for formatting ({problem})").format(
            problem=problem
        )
        return None
    explicit = fix_tree(tree, root(kind), quotes)
    out = indent_comments(keep_alignment(text, fmt_yaml.dump(tree)))
    after, problems = load_text(file, out)
    if after is None or problems:
        result.internal = _("the formatted text would not read back")
        return None
    where = fact_difference(doc.data, after.data, root(kind), quotes=quotes)
    if where is not None:
        result.internal = _("the formatter would change a fact ({field})").format(field=where)
        return None
    if comments(text) != comments(out):
        result.internal = _("the formatter would lose or change a comment")
        return None
    result.changes.extend(explicit)
    covered = {c.line for c in result.changes}
    result.changes.extend(layout_changes(text, out, covered))
    return out


def join_amounts(file: str, text: str, doc: Document, kind: str):
    """(text, document, changes, problems) with the brace amounts joined; the problems
    say why the file is refused. The joined text is read again and must hold the data
    before but for the joined amounts."""
    reading = facts.read_flow(file, text, kind)
    if reading.problems or not reading.joins:
        return text, doc, [], reading.problems
    joined = facts.apply(text, reading.joins)
    after, problems = load_text(file, joined)
    want = facts.expected(doc.data, reading.joins)
    if (
        after is None
        or problems
        or want is None
        or fact_difference(want, after.data, root(kind)) is not None
    ):
        first = reading.joins[0]
        message = _(
            "the amount {text} is written with thousands separators; write it as {number}"
        ).format(text=first.typed, number=first.number)
        return text, doc, [], [Diagnostic(Location(file, first.line, 1), message)]
    changes = [
        Change(
            j.line,
            _("thousands separators in {text} removed: written as {number}").format(
                text=j.typed, number=j.number
            ),
        )
        for j in reading.joins
    ]
    return joined, after, changes, []
