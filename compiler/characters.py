"""The one rule for characters: which may enter from a data file, and how the others are shown.

A right-to-left override makes a PDF print 2331.12 as 21.1332, a carriage return splits a
Markdown table row, a zero-width space makes two equal-looking names differ, and an escape
sequence moves a reviewer's cursor. None of them has a place in a disclosure, so the loader
refuses them (`problem`) where text enters, and everything that shows text from a data file
(messages, `diff`) makes any that still reach it visible (`visible`, `visible_json`).
"""

from __future__ import annotations

import unicodedata

from .i18n import N_, _

# Bidirectional controls: embeddings, overrides, isolates and marks. Each reorders the
# characters around it on screen and in the PDF without being seen itself.
BIDI = frozenset([0x061C, 0x200E, 0x200F, *range(0x202A, 0x202F), *range(0x2066, 0x206A)])

# unicodedata has no names for control characters; these are their Unicode name aliases.
_C0 = (
    "NULL START-OF-HEADING START-OF-TEXT END-OF-TEXT END-OF-TRANSMISSION ENQUIRY ACKNOWLEDGE "
    "BELL BACKSPACE CHARACTER-TABULATION LINE-FEED LINE-TABULATION FORM-FEED CARRIAGE-RETURN "
    "SHIFT-OUT SHIFT-IN DATA-LINK-ESCAPE DEVICE-CONTROL-ONE DEVICE-CONTROL-TWO "
    "DEVICE-CONTROL-THREE DEVICE-CONTROL-FOUR NEGATIVE-ACKNOWLEDGE SYNCHRONOUS-IDLE "
    "END-OF-TRANSMISSION-BLOCK CANCEL END-OF-MEDIUM SUBSTITUTE ESCAPE INFORMATION-SEPARATOR-FOUR "
    "INFORMATION-SEPARATOR-THREE INFORMATION-SEPARATOR-TWO INFORMATION-SEPARATOR-ONE"
).split()
_C1 = (
    "PADDING-CHARACTER HIGH-OCTET-PRESET BREAK-PERMITTED-HERE NO-BREAK-HERE INDEX NEXT-LINE "
    "START-OF-SELECTED-AREA END-OF-SELECTED-AREA CHARACTER-TABULATION-SET "
    "CHARACTER-TABULATION-WITH-JUSTIFICATION LINE-TABULATION-SET PARTIAL-LINE-FORWARD "
    "PARTIAL-LINE-BACKWARD REVERSE-LINE-FEED SINGLE-SHIFT-TWO SINGLE-SHIFT-THREE "
    "DEVICE-CONTROL-STRING "
    "PRIVATE-USE-ONE PRIVATE-USE-TWO SET-TRANSMIT-STATE CANCEL-CHARACTER MESSAGE-WAITING "
    "START-OF-GUARDED-AREA END-OF-GUARDED-AREA START-OF-STRING SINGLE-GRAPHIC-CHARACTER-INTRODUCER "
    "SINGLE-CHARACTER-INTRODUCER CONTROL-SEQUENCE-INTRODUCER STRING-TERMINATOR "
    "OPERATING-SYSTEM-COMMAND PRIVACY-MESSAGE APPLICATION-PROGRAM-COMMAND"
).split()
_CONTROL_NAMES = {
    **{i: name.replace("-", " ") for i, name in enumerate(_C0)},
    0x7F: "DELETE",
    **{0x80 + i: name.replace("-", " ") for i, name in enumerate(_C1)},
}


def name(char: str) -> str:
    """'U+202E RIGHT-TO-LEFT OVERRIDE': how every message names a character."""
    code = ord(char)
    label = _CONTROL_NAMES.get(code) or unicodedata.name(char, "")
    if not label:
        category = unicodedata.category(char)
        label = _NO_NAME.get(category, _NO_NAME["Cn"])
        if _is_noncharacter(code):
            label = _NO_NAME["noncharacter"]
        label = _(label)
    return f"U+{code:04X} {label}"


# What a code point without a Unicode name is called (translated where shown).
_NO_NAME = {
    "Co": N_("a private-use character"),
    "Cs": N_("a surrogate"),
    "Cn": N_("an unassigned code point"),
    "noncharacter": N_("a noncharacter"),
}


def _is_noncharacter(code: int) -> bool:
    return 0xFDD0 <= code <= 0xFDEF or (code & 0xFFFE) == 0xFFFE


def problem(char: str, *, in_value: bool = False) -> str | None:
    """Why `char` may not be written in a data file (None if it may): the message's middle,
    after the character's name. A tab is layout between YAML tokens, but not text
    (`in_value`); the line feed is the one line break there is."""
    if char == "\n" or (char == "\t" and not in_value):
        return None
    if char.isprintable():  # fast path: letters, digits, CJK, punctuation, the space
        return None
    code = ord(char)
    category = unicodedata.category(char)
    if char == "\r":
        return _(
            "a carriage return without a line feed breaks lines in some programs and not in "
            "others; save the file with LF (or CRLF) line endings"
        )
    if char == "\t":
        return _("a tab is not text a disclosure can print; write spaces instead")
    if code in (0x85, 0x2028, 0x2029):
        return _(
            "some programs count it as a line break and others do not, so lines (and the "
            "line numbers of messages) would disagree; use a plain new line"
        )
    if category == "Cc":
        return _("a control character is invisible or prints as a box; delete it")
    if code in BIDI:
        return _(
            "a bidirectional control reorders the characters around it on screen and in the "
            "PDF (2331.12 can show as 21.1332); delete it"
        )
    if category == "Cf":
        return _("an invisible format character makes text that looks the same differ; delete it")
    if category == "Co":
        return _(
            "a private-use character has no agreed meaning or glyph; write the character meant"
        )
    if category == "Cs" or category == "Cn":
        return _("it is not a character of Unicode; delete it (the file may be damaged)")
    return None  # other spaces (U+3000 IDEOGRAPHIC SPACE, U+00A0) and marks are text


def find(text: str, *, in_value: bool = False) -> list[tuple[int, str]]:
    """(index, character) of every refused character of `text`, in order."""
    if text.isprintable():
        return []
    bad = {c for c in set(text) if problem(c, in_value=in_value)}
    if not bad:
        return []
    return [(i, c) for i, c in enumerate(text) if c in bad]


def message(char: str, *, in_value: bool = False) -> str:
    """The whole message for a refused character, e.g. 'character U+202E RIGHT-TO-LEFT
    OVERRIDE is not allowed: a bidirectional control …; delete it'."""
    reason = problem(char, in_value=in_value) or _("it cannot be read in a data file; delete it")
    return _("character {name} is not allowed: {reason}").format(name=name(char), reason=reason)


# --- showing text from a data file ------------------------------------------------------------


def _shown(char: str) -> str:
    code = ord(char)
    return f"\\u{code:04x}" if code <= 0xFFFF else f"\\U{code:08x}"


def visible(text: str, *, keep: str = "\n\t") -> str:
    """`text` with every character the rule refuses written as an escape (\\u202e, \\r,
    \\x1b as \\u001b), so a terminal, a pull-request summary or an annotation shows it
    instead of obeying it. The characters in `keep` are left as they are."""
    text = str(text)
    if text.isprintable():
        return text
    bad = {c for c in set(text) if c not in keep and (problem(c, in_value=True) or c == "\n")}
    if not bad:
        return text
    return "".join(_shown(c) if c in bad else c for c in text)


def visible_json(text: str) -> str:
    """JSON text with the refused characters written as JSON escapes (\\u202e): the same
    JSON values, safe to print. (json.dumps with ensure_ascii=False writes them raw.)"""

    def escape(char: str) -> str:
        code = ord(char)
        if code <= 0xFFFF:
            return f"\\u{code:04x}"
        high, low = divmod(code - 0x10000, 0x400)
        return f"\\u{0xD800 + high:04x}\\u{0xDC00 + low:04x}"

    if text.isprintable():
        return text
    bad = {c for c in set(text) if c not in "\n" and problem(c, in_value=True)}
    if not bad:
        return text
    return "".join(escape(c) if c in bad else c for c in text)
