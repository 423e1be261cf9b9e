"""Regenerate the golden files on purpose: `python tests/update_golden.py [YEAR…]`.

Writes tests/golden/<year>/disclosure.html and disclosure.md exactly as `disclosure build`
does (default: 2022). Run it after an intended change to a template, the stylesheet or the
data, then read the diff (`git diff tests/golden`) before committing: the golden tests exist
so that every change to the published text is seen by a reviewer.
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
GOLDEN = ROOT / "tests" / "golden"
YEARS = ("2022",)
FORMATS = ("html", "md")

sys.path.insert(0, str(ROOT))

from compiler import parse_year_spec  # noqa: E402
from compiler.publish.build import build_year  # noqa: E402


def main(years: list[str]) -> int:
    for year in years or YEARS:
        result = build_year(parse_year_spec(year, ROOT / "data"), GOLDEN, FORMATS)
        for problem in result.compiled.diagnostics + result.diagnostics:
            print(problem.format_text(), file=sys.stderr)
        if not result.ok:
            print(f"{year}: the data has errors; golden files left as they were", file=sys.stderr)
            return 1
        for path in result.outputs.values():
            print(f"wrote {path.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
