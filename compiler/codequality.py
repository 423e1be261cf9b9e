"""Diagnostics as a GitLab Code Quality report (the Code Climate issue format GitLab reads
from a job's `artifacts:reports:codequality`), so each problem shows on its line in the
merge request, as GitHub annotations do on a pull request.

Each issue's description is what the text form says (in the chosen language), and its
fingerprint a hash of its file, field and message (and how many identical ones came before),
not of its line, so GitLab recognises the same problem in the target branch's report after
unrelated lines moved, and shows only what a merge request adds. The message enters the
fingerprint by its `signature`, the same in every language: a report in Chinese and one in
English (or one after a translation was reworded) fingerprint the same problems alike.
"""

from __future__ import annotations

import ast
import functools
import hashlib
import json
import re
import string
import struct
from dataclasses import dataclass

from .diagnostics import Diagnostic
from .i18n import _, catalogue_bytes

SEVERITY = {"error": "critical", "warning": "minor"}


def report(diagnostics: list[Diagnostic]) -> str:
    issues = []
    seen: dict[tuple, int] = {}
    for d in diagnostics:
        # d.field is the field's path (income.general_budget), the same in every language
        key = (d.location.file, d.field, json.dumps(signature(d.message)), d.severity)
        seen[key] = seen.get(key, 0) + 1
        fingerprint = hashlib.sha256(
            json.dumps([*key, seen[key]], ensure_ascii=False).encode("utf-8")
        ).hexdigest()
        if d.field:
            description = _("{field}: {message}").format(field=d.shown_field, message=d.message)
        else:
            description = d.message
        issues.append(
            {
                "type": "issue",
                "check_name": f"disclosure-{d.severity}",
                "description": description,
                "categories": ["Bug Risk"] if d.is_error else ["Style"],
                "severity": SEVERITY[d.severity],
                "fingerprint": fingerprint,
                "location": {
                    "path": d.location.file,
                    "lines": {"begin": max(d.location.line, 1)},
                },
            }
        )
    return json.dumps(issues, ensure_ascii=False, indent=2) + "\n"


# --- a message the same in every language -----------------------------------------------------
#
# A message is built in the chosen language (`_("…{value}…").format(value=…)`), so its text
# differs between Chinese and English. Its signature does not: read back against the
# catalogue's texts in both languages, it is the English msgid it was made from and the
# values put into it (each a signature again, for a translated label or message inside it).
# A text that no catalogue entry matches (data, an untranslated message) is its own signature.
# Not exact where a value holds the words around its placeholder (", " or ": " in English, “
# in Chinese): the two languages may then split it otherwise, and that problem fingerprints
# anew, once, when the language changes.

# Reading a long text against every pattern is slow (each placeholder a lazy group): a text
# this long, or a value inside a value, is taken as it is.
LONGEST_PARSED = 2000


def signature(text: str, depth: int = 0) -> str | list:
    msgid = _plain_texts().get(text)
    if msgid is not None:
        return [msgid]
    if depth < 2 and len(text) <= LONGEST_PARSED:
        parsed = _parse(text)
        if parsed is not None:
            msgid, values = parsed
            return [msgid, {name: signature(v, depth + 1) for name, v in sorted(values.items())}]
    return text


@dataclass(frozen=True)
class _Template:
    msgid: str  # the English singular: the same whichever text of the entry matched
    text: str  # an English or Chinese text of the entry, with {placeholders}
    literal: int  # characters outside placeholders: the more, the surer a match
    longest: str  # its longest literal piece: a text without it cannot match


def _parse(text: str) -> tuple[str, dict[str, str]] | None:
    """The catalogue entry (its msgid) that `text` was made from and its placeholders' values;
    of several entries that fit, the one with the most fixed words."""
    for template in _templates():
        if template.longest not in text:
            continue
        values = _match(template.text, text)
        if values is not None:
            return template.msgid, values
    return None


@functools.cache
def _compiled(text: str) -> tuple[re.Pattern, tuple[tuple[str, str | None], ...]]:
    """A format string as a regular expression: each placeholder a group (name, conversion);
    a placeholder used twice must hold the same value twice."""
    pattern, groups, known = [], [], {}
    position = 0
    for literal, name, _spec, conversion in string.Formatter().parse(text):
        pattern.append(re.escape(literal))
        if name is None:
            continue
        if not name:  # "{}": by position
            name, position = str(position), position + 1
        if name in known:
            pattern.append(f"(?P=g{known[name]})")
            continue
        known[name] = len(groups)
        pattern.append(f"(?P<g{len(groups)}>.*?)")
        groups.append((name, conversion))
    return re.compile("".join(pattern), re.DOTALL), tuple(groups)


def _match(template: str, text: str) -> dict[str, str] | None:
    pattern, groups = _compiled(template)
    found = pattern.fullmatch(text)
    if found is None:
        return None
    values = {}
    for index, (name, conversion) in enumerate(groups):
        value = found.group(f"g{index}")
        if conversion == "r":  # '…' in English, “…” in Chinese: the value without its quotes
            try:
                unquoted = ast.literal_eval(value)
            except (ValueError, SyntaxError, MemoryError, RecursionError):
                unquoted = None
            value = unquoted if isinstance(unquoted, str) else value
        values[name] = value
    return values


@functools.cache
def _templates() -> tuple[_Template, ...]:
    """Every text of the catalogue with a placeholder and a fixed word, the surest first."""
    out = []
    for msgid, texts in _entries():
        for text in texts:
            try:
                parts = list(string.Formatter().parse(text))
            except ValueError:  # not a format string (click's %(name)s, a lone brace)
                continue
            literals = [literal for literal, *_rest in parts if literal]
            if literals and any(name is not None for _literal, name, *_rest in parts):
                length = sum(map(len, literals))
                out.append(_Template(msgid, text, length, max(literals, key=len)))
    return tuple(sorted(out, key=lambda t: (-t.literal, t.msgid, t.text)))


@functools.cache
def _plain_texts() -> dict[str, str]:
    """Each text of the catalogue without a placeholder (a label, a word) → its msgid."""
    out: dict[str, str] = {}
    for msgid, texts in _entries():
        for text in texts:
            if "{" not in text:
                out.setdefault(text, msgid)
    return out


@functools.cache
def _entries() -> tuple[tuple[str, tuple[str, ...]], ...]:
    """The compiled catalogue's entries, sorted: (msgid, its English and Chinese texts).
    Read here rather than through gettext, which keeps neither a plural's English nor a
    list of its entries."""
    data = catalogue_bytes()
    if len(data) < 20:
        return ()
    order = {0x950412DE: "<", 0xDE120495: ">"}.get(struct.unpack("<I", data[:4])[0])
    if order is None:
        return ()
    count, originals, translations = struct.unpack(f"{order}3I", data[8:20])

    def string_at(table: int, index: int) -> str:
        length, offset = struct.unpack_from(f"{order}2I", data, table + 8 * index)
        return data[offset : offset + length].decode("utf-8")

    entries = []
    for index in range(count):
        english = string_at(originals, index)
        if not english:  # the header
            continue
        texts = (*english.split("\0"), *string_at(translations, index).split("\0"))
        entries.append((english.split("\0")[0], tuple(t for t in texts if t)))
    return tuple(sorted(entries))
