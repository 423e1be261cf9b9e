"""Diagnostics as a GitLab Code Quality report (the Code Climate issue format GitLab reads
from a job's `artifacts:reports:codequality`), so each problem shows on its line in the
merge request, as GitHub annotations do on a pull request.

Each issue's fingerprint is a hash of its file, field and message (and how many identical
ones came before), not of its line, so GitLab recognises the same problem in the target
branch's report after unrelated lines moved, and shows only what a merge request adds.
"""

from __future__ import annotations

import hashlib
import json

from .diagnostics import Diagnostic

SEVERITY = {"error": "critical", "warning": "minor"}


def report(diagnostics: list[Diagnostic]) -> str:
    issues = []
    seen: dict[tuple, int] = {}
    for d in diagnostics:
        key = (d.location.file, d.field, d.message, d.severity)
        seen[key] = seen.get(key, 0) + 1
        fingerprint = hashlib.sha256(
            json.dumps([*key, seen[key]], ensure_ascii=False).encode("utf-8")
        ).hexdigest()
        description = f"{d.field}: {d.message}" if d.field else d.message
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
