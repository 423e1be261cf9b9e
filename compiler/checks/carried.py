"""Texts a new year copied from last year (carried-over.yaml), until edited or confirmed.

`disclosure new-year` copies last year's words (reasons, uses, glossary definitions,
实施周期, goals, duties) with the structure, and lists each in the new year's
carried-over.yaml with the text it copied. validate warns about the texts still as copied,
once per file (one cause, one message, at the first of them), until each is edited (its
text differs) or confirmed (its entry, or the file's whole list, deleted from
carried-over.yaml). A warning about the published text of a carried text (a reason naming
the wrong direction) is not given besides: its cause is that the text was carried.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from ..diagnostics import Diagnostic
from ..i18n import _, ngettext
from ..input.loader import Document, dotted, leaves

FILE = "carried-over.yaml"

# Keys whose strings name or classify a thing (codes, names, units, kinds, the layout),
# which a new year keeps on purpose: not texts to review.
NAMES = frozenset(
    {
        "code",
        "catalogue_code",
        "layout",
        "type",
        "name",
        "term",
        "unit",
        "sign",
        "level1",
        "level2",
        "source",
        "funding",
        "amount_unit",
        "city",
        "scope",
        "self_reference",
        "short_name",
        "nature",
        "level",
        "funding_form",
        "members",
        "headquarters",
        "implementer",
        "title",
    }
)
_CJK = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff]")
SHOWN = 5


def carried_texts(doc: Document) -> list[tuple[tuple, str]]:
    """The texts of a file a new year copies and must review: every string in Chinese
    under a key that is not a name or code (reasons, uses, definitions, periods, goals…)."""
    found = []
    for path, value in leaves(doc.data):
        keys = [part for part in path if isinstance(part, str)]
        if isinstance(value, str) and keys and keys[-1] not in NAMES and _CJK.search(value):
            found.append((tuple(path), value))
    return found


def parse_field(field: str) -> tuple | None:
    """items[0].reason → ("items", 0, "reason"); None when it is not such a path."""
    parts: list = []
    for name, index in re.findall(r"([^.\[\]]+)|\[(\d+)\]", field):
        parts.append(int(index) if index else name)
    return tuple(parts) if parts and dotted(tuple(parts)) == field else None


def _value(data, path: tuple):
    for part in path:
        try:
            data = data[part]
        except (KeyError, IndexError, TypeError):
            return None
    return data


def carried(
    diagnostics: list[Diagnostic],
    docs: dict[str, Document],
    display: Callable[[str], str],
) -> list[Diagnostic]:
    """`diagnostics` without the published-text warnings of texts still as carried, plus
    one warning per file that holds such texts."""
    doc = docs.get(FILE)
    data = doc.data if doc is not None and isinstance(doc.data, dict) else {}
    files = data.get("files")
    if not isinstance(files, dict):
        return diagnostics
    year = data.get("from")
    unchanged: set[tuple[str, str]] = set()
    out: list[Diagnostic] = []
    for rel, entries in files.items():
        target = docs.get(rel)
        if target is None or not isinstance(entries, list):
            continue
        same = []
        for entry in entries:
            if not isinstance(entry, dict):
                continue
            path = parse_field(str(entry.get("field", "")))
            if path is not None and _value(target.data, path) == entry.get("text"):
                same.append(path)
        if not same:
            continue
        shown = display(rel)
        unchanged.update((shown, dotted(path)) for path in same)
        names = "、".join(dotted(path) for path in same[:SHOWN])
        if len(same) > SHOWN:
            names += _(" and {count} more").format(count=len(same) - SHOWN)
        out.append(
            Diagnostic(
                target.locate(same[0]),
                ngettext(
                    "{count} text copied from {year} by new-year is as it was ({fields}): "
                    "edit it for this year, or, where it is still true, confirm it by "
                    "deleting its entry under {file} in carried-over.yaml",
                    "{count} texts copied from {year} by new-year are as they were "
                    "({fields}): edit each for this year, or, where one is still true, confirm "
                    "it by deleting its entry under {file} in carried-over.yaml (the whole list "
                    "of {file} to confirm them all)",
                    len(same),
                ).format(count=len(same), year=year, fields=names, file=rel),
                field=dotted(same[0]),
                severity="warning",
            )
        )
    kept = [
        d
        for d in diagnostics
        if not (d.published and d.severity == "warning" and (d.location.file, d.field) in unchanged)
    ]
    return kept + out
