"""Diagnostics as a GitLab Code Quality report (the Code Climate issue format GitLab reads
from a job's `artifacts:reports:codequality`), so each problem shows on its line in the
merge request, as GitHub annotations do on a pull request.

Each issue's description is what the text form says, in the chosen language (the field in
the clerk's words, then the message). Its fingerprint, by which GitLab recognises the same
problem in the target branch's report and shows only what a merge request adds, is a hash of
what does not depend on the language: the file, the field's path (income.general_budget),
the severity, and the problem's place among that field's problems. Not its line, which
unrelated edits move; not its words, which differ between Chinese and English (and between
two wordings of one translation).
"""

from __future__ import annotations

import hashlib
import json
import re

from ..diagnostics import Diagnostic
from ..i18n import _

SEVERITY = {"error": "critical", "warning": "minor", "info": "info"}
_NUMBER = re.compile(r"\d+")


def report(diagnostics: list[Diagnostic]) -> str:
    issues = []
    for d, fingerprint in zip(diagnostics, fingerprints(diagnostics), strict=True):
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


def fingerprints(diagnostics: list[Diagnostic]) -> list[str]:
    """One fingerprint a diagnostic, the same in every language. Problems of one field (the
    nine statutory tables a layout names, say) are told apart by their order: by position,
    then by the numbers their messages quote (第3张 and table 3/9 alike)."""
    fields: dict[tuple, list[int]] = {}
    for index, d in enumerate(diagnostics):
        fields.setdefault((d.location.file, d.field, d.severity), []).append(index)
    out = [""] * len(diagnostics)
    for key, members in fields.items():
        members.sort(key=lambda i: _order(diagnostics[i]))
        for rank, index in enumerate(members, 1):
            data = json.dumps([*key, rank], ensure_ascii=False).encode("utf-8")
            out[index] = hashlib.sha256(data).hexdigest()
    return out


def _order(d: Diagnostic) -> tuple:
    numbers = sorted(int(n) for n in _NUMBER.findall(d.message))
    return (d.location.line, d.location.column, numbers)
