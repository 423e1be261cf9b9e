"""Warnings about a published text kept on purpose (acknowledged.yaml).

A faithful transcription keeps what the document says, even where a reader can see it is
wrong (a reason naming 增加 for a figure that fell). validate warns about it; the data may
acknowledge such a warning with a short reason, and it is then shown as acknowledged
(information: it never fails --strict) and listed for the reviewer (`validate --summary`).
Only a warning about the published document (`Diagnostic.published`) can be acknowledged;
an acknowledgement that matches no warning is itself a warning, so one cannot outlive the
text it was written for.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable

from ..characters import visible
from ..diagnostics import Diagnostic
from ..i18n import _
from ..input.loader import Document

FILE = "acknowledged.yaml"


def acknowledge(
    diagnostics: list[Diagnostic],
    docs: dict[str, Document],
    display: Callable[[str], str],
) -> list[Diagnostic]:
    """`diagnostics` with each warning the group's acknowledged.yaml names turned into an
    acknowledged one, plus a diagnostic for each entry that matches none (or matches one
    that cannot be acknowledged). `display` makes a file of the group a shown path."""
    doc = docs.get(FILE)
    entries = (doc.data or {}).get("warnings") if doc is not None else None
    if not isinstance(entries, list):
        return diagnostics
    wanted: dict[tuple[str, str], tuple[int, str, str]] = {}
    for i, entry in enumerate(entries):
        if isinstance(entry, dict) and all(
            isinstance(entry.get(k), str) for k in ("file", "field", "reason")
        ):
            wanted[(display(entry["file"]), entry["field"])] = (i, entry["reason"], entry["file"])
    used: set[int] = set()
    refused: dict[int, Diagnostic] = {}
    out = []
    for d in diagnostics:
        key = (d.location.file, d.field)
        if d.severity == "warning" and key in wanted:
            i, reason, _file = wanted[key]
            if d.published:
                used.add(i)
                d = dataclasses.replace(d, severity="info", acknowledged=reason)
            else:
                refused.setdefault(i, d)
        out.append(d)
    for (_shown, field), (i, _reason, file) in wanted.items():
        if i in used:
            continue
        where = doc.locate(("warnings", i))
        if i in refused:
            message = _(
                "the warning at {file} {field} is not about what the published document says "
                "(it asks for something the data lacks), so it cannot be acknowledged: correct "
                "the data"
            )
            severity = "error"
        else:
            message = _(
                "no warning at {file} {field} to acknowledge (was the text corrected, or the "
                "field written otherwise than validate --lang en prints it?): if the text is "
                "now right, this entry is no longer needed"
            )
            severity = "warning"
        out.append(
            Diagnostic(
                where,
                message.format(file=file, field=field),
                field=f"warnings[{i}]",
                severity=severity,
            )
        )
    return out


def acknowledged(diagnostics: list[Diagnostic]) -> list[Diagnostic]:
    return [d for d in diagnostics if d.acknowledged]


def summary_markdown(results) -> str:
    """The acknowledged warnings of `results` (YearResults) for a pull request's summary:
    one line each, where, what and why it is kept; empty when there is none."""
    lines = []
    kept = _("kept as published")
    for result in results:
        for d in acknowledged(result.diagnostics):
            lines.append(
                visible(
                    f"- `{d.location}` {d.message} — **{kept}**: {d.acknowledged}",
                    keep="",
                )
            )
    if not lines:
        return ""
    heading = _("Warnings acknowledged in the data (kept as published; they do not fail --strict)")
    return f"## {heading}\n\n" + "\n".join(lines) + "\n"
