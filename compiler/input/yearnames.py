"""The one rule for the folders of `data/`: a year's folder is named with its four digits,
and a folder that looks like a year but is named otherwise is an error, never ignored.

A clerk who makes `data/2023年`, `data/２０２３`, `data/2023 ` or `data/2023 (1)` (what a
file manager names a copy) means a year. Were it skipped, `validate`, `build` and CI
would all pass and nothing would be published. Every command that lists the years, or
reads a year of the working tree, asks this module first; the error names each such
folder and the name it should have.
"""

from __future__ import annotations

import os
import re
import unicodedata
from pathlib import Path

from ..diagnostics import Diagnostic, Location
from ..errors import DataError
from ..i18n import _
from ..paths import YEAR_DIR

# four digits at the start (after NFKC: full-width digits are digits), not five
_LEADING = re.compile(r"^(?:FY|fy)?[ _-]?([0-9]{4})(?![0-9])")
# else the only digits of the name, four of them, a plausible year
_ANYWHERE = re.compile(r"(?<![0-9])((?:19|20)[0-9]{2})(?![0-9])")


class YearFolderError(DataError):
    """Folders under data/ that look like years but are not named as one (data errors)."""

    def __init__(self, diagnostics: list[Diagnostic]):
        super().__init__("; ".join(d.format_text() for d in diagnostics))
        self.diagnostics = diagnostics


def meant_year(name: str) -> str | None:
    """The year a folder name means when it looks like one but is not exactly four ASCII
    digits (`2023年`, `２０２３`, `2023 `, `2023-draft`, `2023 (1)` → "2023"); None for a
    proper year folder or a name that is no year."""
    if YEAR_DIR.match(name) or name.startswith("."):
        return None
    plain = unicodedata.normalize("NFKC", name).strip()
    found = _LEADING.match(plain)
    if found is not None:
        return found.group(1)
    years = _ANYWHERE.findall(plain)
    digits = re.findall(r"[0-9]+", plain)
    if len(years) == 1 and len(digits) == 1:
        return years[0]
    return None


def misnamed_year_folders(data_dir: Path) -> list[Diagnostic]:
    """An error for each folder of `data_dir` that looks like a year but is not named
    with its four digits."""
    try:
        entries = sorted(os.scandir(data_dir), key=lambda e: e.name)
    except (FileNotFoundError, NotADirectoryError):
        return []
    problems = []
    for entry in entries:
        year = meant_year(entry.name)
        if year is None or not entry.is_dir():
            continue
        shown = _shown(data_dir / entry.name)
        target = data_dir / year
        if target.exists():
            message = _(
                "this folder looks like a year, but a year's folder is named with its four "
                "digits only, and {folder} already exists: move what belongs to that year "
                "into {folder}, then delete this folder or move it out of {data}"
            )
        else:
            message = _(
                "this folder looks like a year, but a year's folder is named with its four "
                "digits only: rename it {folder} (if it holds no year's data, move it out "
                "of {data})"
            )
        text = message.format(folder=_shown(target), data=_shown(data_dir) + "/")
        problems.append(Diagnostic(Location(shown), text))
    return problems


def check_year_folders(data_dir: Path) -> None:
    """Raise YearFolderError if a folder of `data_dir` looks like a year but is misnamed."""
    problems = misnamed_year_folders(data_dir)
    if problems:
        raise YearFolderError(problems)


def _shown(path: Path) -> str:
    """A path as the user typed it: relative to the current folder when it is inside."""
    try:
        return Path(os.path.abspath(path)).relative_to(Path.cwd().resolve()).as_posix()
    except ValueError:
        return path.as_posix()
