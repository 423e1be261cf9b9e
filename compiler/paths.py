"""Where the tool's own assets live, and how a year's data directory is laid out."""

from __future__ import annotations

import os
import re
from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent
# In a checkout (or an editable install) schemas/ and templates/ sit beside the package;
# an installed wheel carries them inside it (see pyproject.toml).
ASSET_ROOT = _PACKAGE.parent if (_PACKAGE.parent / "schemas").is_dir() else _PACKAGE
SCHEMAS_DIR = ASSET_ROOT / "schemas"
TEMPLATES_DIR = ASSET_ROOT / "templates"
ASSETS_DIR = TEMPLATES_DIR / "assets"
LAYOUTS_DIR = TEMPLATES_DIR / "layouts"
CATALOGUE_DIR = _PACKAGE / "catalogue"

YEAR_DIR = re.compile(r"^[0-9]{4}$")

# file name in data/<year>/ -> schema kind (schemas/<kind>.schema.json). Which of them a
# year needs is the layout's business (its sections name the kinds they read).
SECTION_FILES: dict[str, str] = {
    "unit.yaml": "unit",
    "budget.yaml": "budget",
    "lines.yaml": "lines",
    "line-notes.yaml": "line-notes",
    "operating-costs.yaml": "operating-costs",
    "three-public.yaml": "three-public",
    "performance.yaml": "performance",
    "goal-setting.yaml": "goal-setting",
    "indicators.yaml": "indicators",
    "procurement.yaml": "procurement",
    "assets.yaml": "assets",
    "glossary.yaml": "glossary",
    "project-funding.yaml": "project-funding",
    # a year's final accounts (决算), in data/<year>/final/ beside unit.yaml and glossary.yaml
    "outturn.yaml": "outturn",
    "initial-budget.yaml": "initial-budget",
    "final-notes.yaml": "final-notes",
    "previous-final.yaml": "previous-final",
    # the year's notes to its reviewer, which no layout publishes: warnings about a
    # published text kept on purpose, and what `new-year` copied from last year
    "acknowledged.yaml": "acknowledged",
    "carried-over.yaml": "carried-over",
}
# Files of a year that no layout prints (every layout accepts them).
REVIEW_KINDS = frozenset({"acknowledged", "carried-over"})
# The folder of a year's final accounts: a second document of the same year.
FINAL_DIR = "final"
UNIT_FILE = "unit.yaml"
PROJECTS_DIR = "projects"
PROJECT_KIND = "project"
# 01-… to 999-…, then the project's name: lower-case letters, digits, hyphens, or Chinese
# characters (projects/03-机关工作经费.yaml): nothing that needs quoting in a shell, a URL
# or a pull request, and no full-width punctuation that looks like ASCII.
# (The Chinese ranges are checked in Python: as a regular expression they take 2 ms to
# compile, at every command's start.)
_PROJECT_FILE = re.compile(r"[0-9]{2,3}-(?P<name>[^/]+)\.yaml")
_NAME_ASCII = frozenset("abcdefghijklmnopqrstuvwxyz0123456789-")


def is_project_file(name: str) -> bool:
    """01-机关工作经费.yaml, 12-hotline.yaml: a file name a project may have."""
    found = _PROJECT_FILE.fullmatch(name)  # fullmatch: "$" would allow a final "\n"
    return found is not None and all(
        c in _NAME_ASCII or "\u3400" <= c <= "\u4dbf" or "\u4e00" <= c <= "\u9fff"
        for c in found["name"]
    )


# A department's year holds its units' years, one folder each: units/<slug>/.
UNITS_DIR = "units"
UNIT_SLUG = re.compile(r"^[a-z0-9][a-z0-9-]{0,40}$")


def kind_of(relpath: str) -> str | None:
    """The schema kind of a file inside a year (or unit) directory, or None if it does
    not belong."""
    if relpath in SECTION_FILES:
        return SECTION_FILES[relpath]
    folder, _, name = relpath.partition("/")
    if folder == PROJECTS_DIR and is_project_file(name):
        return PROJECT_KIND
    return None


def schema_hint(kind: str, file: Path, rel: str) -> str:
    """The modeline path a data file should carry: the schema's path relative to the file
    for data inside the tool's own checkout (examples/wanli/data/2024/ is four folders
    down); elsewhere, as for a data/<year>/ folder at the top of a repository with
    schemas/ beside it. `rel` is the file's path inside its year folder."""
    import os

    schema = SCHEMAS_DIR / f"{kind}.schema.json"
    folder = Path(os.path.abspath(file)).parent
    if Path(os.path.abspath(ASSET_ROOT)) in folder.parents:
        return Path(os.path.relpath(schema, folder)).as_posix()
    return "../" * (rel.count("/") + 2) + f"schemas/{kind}.schema.json"


def cache_turned_off(name: str) -> bool:
    """DISCLOSURE_NO_CACHE=1 turns every cache off; a list of names turns off those named
    (DISCLOSURE_NO_CACHE=pdf-documents,pdf-parts: every PDF laid out again, the other
    caches kept). Read each time: a test or a command may set it after the first use."""
    value = os.environ.get("DISCLOSURE_NO_CACHE", "")
    return value == "1" or name in value.split(",")


def user_cache(name: str) -> Path | None:
    """~/.cache/disclosure-compiler/<name> (or under XDG_CACHE_HOME): the user's own folder,
    which no commit or pull request can write into. None when DISCLOSURE_NO_CACHE turns it
    off or the folder cannot be made or written: the caller then works without a cache."""
    if cache_turned_off(name):
        return None
    base = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")
    folder = base / "disclosure-compiler" / name
    try:
        folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    except OSError:
        return None
    return folder if os.access(folder, os.W_OK) else None
