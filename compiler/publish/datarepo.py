"""A data repository: a unit's (or a bureau's) data without the tool, pinned to a tool version.

`init` writes one from the template shipped with the tool (templates/data-repo/): a README in
Chinese; the GitHub workflows and a .gitlab-ci.yml that install the pinned tool and run
validate, diff (the figures, and the PDF pages, for which they install poppler-utils),
publish --check, build and publish (neither the tool's tests nor Java); a GitHub workflow that
starts a year from the web (new-year on a branch, then a pull request); the tool's JSON
Schemas in schemas/ (the data files' modelines name ../../schemas/<kind>.schema.json, which
editors read); and data/ (empty, or the years of an existing data folder with their
modelines set for the new place, and the layouts/ of that folder's project, if it has one:
the unit's own layouts, see layout/manifest.py).

`schemas` keeps schemas/ equal to the installed tool's: written by `disclosure schemas`,
compared by `disclosure schemas --check` in CI, so editors hint what the pinned tool checks.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

from ..errors import Trouble
from ..i18n import _
from ..input.projectlayouts import FOLDER as LAYOUTS_FOLDER
from ..input.sources import available_years
from ..paths import SCHEMAS_DIR, TEMPLATES_DIR, kind_of

TEMPLATE = TEMPLATES_DIR / "data-repo"
# template file → its path in the data repository (hidden names are stored without the dot,
# so the package's data files include them).
FILES = {
    "README.md": "README.md",
    "gitignore": ".gitignore",
    "gitattributes": ".gitattributes",
    "gitlab-ci.yml": ".gitlab-ci.yml",
    "github/workflows/pull-request.yml": ".github/workflows/pull-request.yml",
    "github/workflows/publish.yml": ".github/workflows/publish.yml",
    "github/workflows/new-year.yml": ".github/workflows/new-year.yml",
}
# A bureau's (`init --bureau N`): a department's PDF parts laid out by a CI matrix of N jobs
# before the publish job joins them (docs/publishing.md); the ordinary GitLab pipeline is
# included by the bureau's, which adds the matrix.
BUREAU_FILES = {
    "bureau/publish.yml": ".github/workflows/publish.yml",
    "bureau/gitlab-ci.yml": ".gitlab-ci.yml",
    "gitlab-ci.yml": ".gitlab/disclosure-ci.yml",
}
# The matrix as the bureau's templates write it (4 jobs), and as `init --bureau N` writes it.
_SHARDS = {
    "shard: [1, 2, 3, 4]": lambda n: f"shard: [{', '.join(map(str, range(1, n + 1)))}]",
    'SHARD: ["1", "2", "3", "4"]': lambda n: (
        "SHARD: [" + ", ".join(f'"{k}"' for k in range(1, n + 1)) + "]"
    ),
    'SHARDS: "4"': lambda n: f'SHARDS: "{n}"',
}
PACKAGE = "disclosure-compiler"
_MODELINE = re.compile(r"^(# yaml-language-server: \$schema=)\S+", re.M)


class DataRepoError(Trouble):
    """A data repository that cannot be written (exit 2)."""


def tool_version() -> str:
    try:
        return version(PACKAGE)
    except PackageNotFoundError as e:
        raise DataRepoError(
            _("{package} is not installed, so its version is unknown").format(package=PACKAGE)
        ) from e


def default_requirement() -> str:
    return f"{PACKAGE}=={tool_version()}"


def requirements_text(requirement: str) -> str:
    return (
        "# 本仓库使用的预算公开编译工具（锁定版本）。\n"
        "# 升级时只改这一行，再运行 disclosure schemas。\n"
        f"{requirement}\n"
    )


def constraints_text() -> str:
    """The versions of the tool's run-time packages installed here (which `make setup`
    installs from the tool's lock), as pip constraints: a data repository's workflows install
    the tool with exactly the packages it was tested with, not what was released last night."""
    from importlib import metadata

    pins: dict[str, str] = {}
    pending: list[tuple[str, set[str]]] = [(PACKAGE, set())]  # (package, extras asked for)
    seen: set[tuple[str, frozenset]] = set()
    while pending:
        name, extras = pending.pop()
        if (name.lower(), frozenset(extras)) in seen:
            continue
        seen.add((name.lower(), frozenset(extras)))
        try:
            distribution = metadata.distribution(name)
        except metadata.PackageNotFoundError:
            continue
        for text in distribution.requires or []:
            extra = re.search(r";.*\bextra\s*==\s*['\"]([^'\"]+)", text)
            if extra and extra.group(1) not in extras:  # e.g. the tool's own tests' packages
                continue
            required, wanted = re.match(r"([A-Za-z0-9._-]+)\s*(?:\[([^\]]*)\])?", text).groups()
            key = required.lower().replace("_", "-")
            if key == PACKAGE:
                continue
            try:  # one another platform needs is not installed here: no pin for it
                version = metadata.version(required)
            except metadata.PackageNotFoundError:
                continue
            asked = {e.strip() for e in (wanted or "").split(",") if e.strip()}
            if key not in pins or asked:
                pending.append((required, asked))
            pins[key] = version
    lines = "".join(f"{name}=={version}\n" for name, version in sorted(pins.items()))
    return (
        "# 编译工具所依赖的软件包的锁定版本（由 disclosure init 按工具测试时的版本写出）。\n"
        "# 工作流用 pip install -r requirements.txt -c constraints.txt 安装，\n"
        "# 不会装上未经测试的新版本。\n"
        "# 升级工具时，请用新版本工具的 disclosure init 生成的本文件替换它。\n" + lines
    )


@dataclass
class Created:
    root: Path
    files: list[Path]
    years: list[int]


def init(
    target: Path, requirement: str, data: Path | None = None, shards: int | None = None
) -> Created:
    """Write a new data repository into `target` (missing or empty); for a bureau, whose
    department's PDFs are laid out by a CI matrix of `shards` jobs, with its workflows."""
    if target.exists() and (not target.is_dir() or any(target.iterdir())):
        raise DataRepoError(
            _("{target} is not an empty folder; init writes a new repository").format(target=target)
        )
    if not re.fullmatch(r"[A-Za-z0-9_.\-\[\],<>=!~ @:/+%#]+", requirement):
        raise DataRepoError(
            _("--tool {requirement!r} is not a pip requirement on one line").format(
                requirement=requirement
            )
        )
    years = available_years(data) if data is not None else []
    if data is not None and not years:
        raise DataRepoError(
            _("no years found under {folder}/ (expected folders like {folder}/2022)").format(
                folder=data
            )
        )
    files: dict[Path, bytes] = {}
    for source, name in FILES.items():
        files[target / name] = (TEMPLATE / source).read_bytes()
    for source, name in BUREAU_FILES.items() if shards else ():
        text = (TEMPLATE / source).read_text(encoding="utf-8")
        files[target / name] = with_shards(text, shards).encode("utf-8")
    files[target / "requirements.txt"] = requirements_text(requirement).encode("utf-8")
    files[target / "constraints.txt"] = constraints_text().encode("utf-8")
    files.update(schema_files(target / "schemas"))
    for year in years:
        files.update(_copied_year(data / str(year), target / "data" / str(year)))
    if data is not None:  # the project's own layouts, which its years may name
        files.update(_copied_layouts(data.parent / LAYOUTS_FOLDER, target / LAYOUTS_FOLDER))
    if not years:
        files[target / "data" / ".gitkeep"] = b""
    from .output import write_all

    write_all(files)
    return Created(target, sorted(files), years)


def with_shards(text: str, shards: int) -> str:
    """A bureau's workflow with a matrix of `shards` jobs instead of the template's 4."""
    for written, wanted in _SHARDS.items():
        text = text.replace(written, wanted(shards))
    return text


def schema_files(folder: Path) -> dict[Path, bytes]:
    """The installed tool's JSON Schemas, as schemas/ of a data repository holds them."""
    return {folder / p.name: p.read_bytes() for p in sorted(SCHEMAS_DIR.glob("*.json"))}


def stale_schemas(folder: Path) -> list[str]:
    """The names of the tool's schemas that `folder` lacks or holds in another version."""
    return [
        path.name
        for path, data in schema_files(folder).items()
        if not path.is_file() or path.read_bytes() != data
    ]


def _copied_layouts(source: Path, target: Path) -> dict[Path, bytes]:
    """The layouts/ of the project the data comes from (none if it has no such folder)."""
    if source.is_symlink():
        raise DataRepoError(
            _("{path} is a symbolic link; a project's layouts are plain files").format(path=source)
        )
    if not source.is_dir():
        return {}
    files = {}
    for path in sorted(source.rglob("*")):
        rel = path.relative_to(source).as_posix()
        if any(part.startswith(".") for part in rel.split("/")):
            continue
        if path.is_symlink():
            raise DataRepoError(
                _("{path} is a symbolic link; a project's layouts are plain files").format(
                    path=path
                )
            )
        if path.is_file():
            files[target / rel] = path.read_bytes()
    return files


def _copied_year(source: Path, target: Path) -> dict[Path, bytes]:
    """A year's files, each data file's modeline pointing at the new repository's schemas/."""
    files = {}
    for path in sorted(source.rglob("*")):
        rel = path.relative_to(source).as_posix()
        if path.is_dir() or any(part.startswith(".") for part in rel.split("/")):
            continue
        if path.is_symlink():
            raise DataRepoError(
                _("{path} is a symbolic link; a year holds plain files only").format(path=path)
            )
        data = path.read_bytes()
        inner = rel.split("/", 2)[2] if rel.startswith("units/") and rel.count("/") >= 2 else rel
        kind = kind_of(inner)
        if kind is not None:  # as validate expects outside the tool (paths.schema_hint)
            hint = "../" * (rel.count("/") + 2) + f"schemas/{kind}.schema.json"
            text = data.decode("utf-8")
            data = _MODELINE.sub(lambda m, h=hint: m.group(1) + h, text, count=1).encode("utf-8")
        files[target / rel] = data
    return files
