"""Where the tool's own assets live, and how a year's data directory is laid out."""

from __future__ import annotations

import re
from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent
# In a checkout (or an editable install) schemas/ and templates/ sit beside the package;
# an installed wheel carries them inside it (see pyproject.toml).
ASSET_ROOT = _PACKAGE.parent if (_PACKAGE.parent / "schemas").is_dir() else _PACKAGE
SCHEMAS_DIR = ASSET_ROOT / "schemas"
TEMPLATES_DIR = ASSET_ROOT / "templates"
ASSETS_DIR = TEMPLATES_DIR / "assets"

YEAR_DIR = re.compile(r"^[0-9]{4}$")

# file name in data/<year>/ -> schema kind (schemas/<kind>.schema.json)
SECTION_FILES: dict[str, str] = {
    "unit.yaml": "unit",
    "budget.yaml": "budget",
    "operating-costs.yaml": "operating-costs",
    "three-public.yaml": "three-public",
    "performance.yaml": "performance",
    "indicators.yaml": "indicators",
    "procurement.yaml": "procurement",
    "assets.yaml": "assets",
    "glossary.yaml": "glossary",
}
PROJECTS_DIR = "projects"
PROJECT_KIND = "project"
PROJECT_FILE = re.compile(r"^[0-9]{2}-[a-z0-9-]+\.yaml$")


def kind_of(relpath: str) -> str | None:
    """The schema kind of a file inside a year directory, or None if it does not belong."""
    if relpath in SECTION_FILES:
        return SECTION_FILES[relpath]
    folder, _, name = relpath.partition("/")
    if folder == PROJECTS_DIR and PROJECT_FILE.fullmatch(name):  # "$" would allow a final "\n"
        return PROJECT_KIND
    return None


def schema_hint_for(relpath: str) -> str:
    """The modeline path a file at `relpath` should carry (relative to the file)."""
    kind = kind_of(relpath)
    depth = relpath.count("/") + 2  # data/<year>/[projects/]
    return "../" * depth + f"schemas/{kind}.schema.json"
