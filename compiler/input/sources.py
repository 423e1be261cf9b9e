"""Read a year's data files from the working tree or from a git revision.

Both give the same thing: file names relative to the year directory and their bytes, so
everything after loading is the same whether a reviewer compares `2022` or `2022@main`.
"""

from __future__ import annotations

import os
import re
import stat
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from ..errors import Trouble
from ..i18n import _
from ..paths import FINAL_DIR, YEAR_DIR
from .projectlayouts import FOLDER as LAYOUTS_FOLDER
from .projectlayouts import GitLayoutsError, ProjectLayouts, at_revision
from .yearnames import check_year_folders


class SourceError(Trouble):
    """A year or revision that cannot be read (usage trouble, not a data error)."""


@dataclass(frozen=True)
class WorkingTreeYear:
    data_dir: Path
    year: int
    document: str = ""  # "" the year's budget; "final" its final accounts (<year>/final/)

    @property
    def label(self) -> str:
        return f"{self.year}/{self.document}" if self.document else str(self.year)

    @property
    def root(self) -> Path:
        return self.data_dir / str(self.year) / self.document

    def exists(self) -> bool:
        return self.root.is_dir()

    def previous(self) -> WorkingTreeYear:
        return WorkingTreeYear(self.data_dir, self.year - 1, self.document)

    def budget(self) -> WorkingTreeYear:
        """The same year's budget: the document a year's final accounts are set against."""
        return WorkingTreeYear(self.data_dir, self.year)

    def final(self) -> WorkingTreeYear:
        """The same year's final accounts (决算), in the year's final/ folder."""
        return WorkingTreeYear(self.data_dir, self.year, FINAL_DIR)

    @property
    def where(self) -> str:
        """How messages name this year: its folder."""
        return self.display_path("").rstrip("/")

    def display_path(self, rel: str) -> str:
        return _display(self.root / rel)

    def checkout_path(self, rel: str) -> Path:
        """Where the file is on disk (for paths relative to it, such as the schema's)."""
        return self.root / rel

    def project_layouts(self) -> ProjectLayouts | None:
        """The layouts of the project (the folder that holds the data folder): its
        `layouts/`, if it has one."""
        folder = Path(os.path.abspath(self.data_dir)).parent / LAYOUTS_FOLDER
        if not os.path.lexists(folder):
            return None
        return ProjectLayouts(folder, _display(folder))

    def files(self) -> list[str]:
        """Every entry of the year that is not a plain folder: files, and also links and
        other special entries, so that `read` reports them instead of their vanishing."""
        if self.root.is_symlink():
            raise SourceError(
                _("{folder} is a symbolic link; a year must be a plain folder").format(
                    folder=self.display_path("")
                )
            )
        found = []
        for folder, dirs, names in os.walk(self.root, followlinks=False):
            here = Path(folder)
            links = [d for d in dirs if (here / d).is_symlink()]
            dirs[:] = sorted(d for d in dirs if d not in links)
            for name in [*names, *links]:
                rel = (here / name).relative_to(self.root).as_posix()
                if not _hidden(rel) and not (not self.document and _in_final(rel)):
                    found.append(rel)
        return sorted(found)

    def read(self, rel: str) -> bytes:
        """The file's bytes. Links and special files are refused: a data file from a pull
        request must not make a build read a file from elsewhere on the machine."""
        path = self.root / rel
        if path.is_symlink():
            raise OSError(
                _("{file} is a symbolic link; data files must be plain files").format(
                    file=path.name
                )
            )
        mode = path.lstat().st_mode
        if not stat.S_ISREG(mode):
            raise OSError(_("{file} is not a plain file").format(file=path.name))
        return path.read_bytes()


@dataclass(frozen=True)
class GitYear:
    """A year as committed at `revision`, read with `git show` (the working tree is untouched)."""

    repo: Path
    data_dir: PurePosixPath  # relative to the repository root
    year: int
    revision: str
    document: str = ""  # as WorkingTreeYear.document

    @property
    def label(self) -> str:
        year = f"{self.year}/{self.document}" if self.document else str(self.year)
        return f"{year}@{self.revision}"

    def _git(self, *args: str) -> bytes:
        import subprocess  # only for a year read from git: a working tree needs none

        try:
            result = subprocess.run(
                ["git", "-C", str(self.repo), *args], capture_output=True, check=False
            )
        except FileNotFoundError as e:
            raise SourceError(_("git is not installed")) from e
        if result.returncode != 0:
            message = result.stderr.decode("utf-8", "replace").strip().splitlines()
            if message:  # git's own words (in git's language), after ours
                raise SourceError(_("git reported: {message}").format(message=message[-1]))
            raise SourceError(_("git {command} failed").format(command=" ".join(args)))
        return result.stdout

    def previous(self) -> GitYear:
        return GitYear(self.repo, self.data_dir, self.year - 1, self.revision, self.document)

    def budget(self) -> GitYear:
        return GitYear(self.repo, self.data_dir, self.year, self.revision)

    def final(self) -> GitYear:
        return GitYear(self.repo, self.data_dir, self.year, self.revision, FINAL_DIR)

    @property
    def where(self) -> str:
        """How messages name this year: YEAR@REVISION."""
        return self.label

    def _tree(self) -> str:
        tree = self.data_dir / str(self.year)
        return f"{tree / self.document if self.document else tree}"

    def exists(self) -> bool:
        self.check_revision()
        out = self._git("ls-tree", "-d", "--name-only", self.revision, "--", self._tree())
        return bool(out.strip())

    def check_revision(self) -> None:
        try:
            self._git("rev-parse", "--verify", "--quiet", f"{self.revision}^{{commit}}")
        except SourceError as e:
            raise SourceError(
                _("unknown git revision '{revision}'").format(revision=self.revision)
            ) from e

    def display_path(self, rel: str) -> str:
        return f"{self.revision}:{self._tree()}/{rel}"

    def checkout_path(self, rel: str) -> Path:
        """Where the file would be in a checkout of the revision."""
        return self.repo / self._tree() / rel

    def project_layouts(self) -> ProjectLayouts | None:
        """The project's `layouts/` as committed at the same revision (see projectlayouts)."""
        if str(self.data_dir) in ("", "."):
            return None  # the data folder is the repository: its project is outside git
        try:
            return at_revision(self.repo, self.data_dir.parent / LAYOUTS_FOLDER, self.revision)
        except GitLayoutsError as e:
            raise SourceError(str(e)) from e

    def files(self) -> list[str]:
        out = self._git("ls-tree", "-r", "--name-only", "-z", self.revision, "--", self._tree())
        prefix = self._tree() + "/"
        # A name that is not UTF-8 is kept (escaped) and reported as an unexpected file.
        names = [n.decode("utf-8", "surrogateescape") for n in out.split(b"\0") if n]
        return sorted(
            n[len(prefix) :]
            for n in names
            if n.startswith(prefix)
            and not _hidden(n[len(prefix) :])
            and not (not self.document and _in_final(n[len(prefix) :]))
        )

    def read(self, rel: str) -> bytes:
        return self._git("show", f"{self.revision}:{self._tree()}/{rel}")


YearSource = WorkingTreeYear | GitYear

_SPEC = re.compile(r"^(?P<year>[0-9]{4})(?P<final>/final)?(?:@(?P<rev>.+))?$")


def parse_year_spec(spec: str, data_dir: Path) -> YearSource:
    """`2022` (working tree), `2022@<git revision>`, and a year's final accounts as
    `2022/final` (or `2022/final@<revision>`). A year whose folder holds only final/ (the
    repository has no budget for it) is its final accounts without saying so."""
    m = _SPEC.match(spec.strip())
    if not m:
        raise SourceError(
            _("'{spec}' is not a year: expected YEAR or YEAR@REVISION, e.g. 2022@main").format(
                spec=spec
            )
        )
    year = int(m.group("year"))
    rev = m.group("rev")
    document = FINAL_DIR if m.group("final") else ""
    if rev is None:
        check_year_folders(data_dir)  # data/2023年 beside data/2022 is an error, not ignored
        source = WorkingTreeYear(data_dir, year, document)
    else:
        repo = _git_toplevel(data_dir)
        rel = PurePosixPath(data_dir.resolve().relative_to(repo).as_posix())
        source = GitYear(repo, rel, year, rev, document)
    if not document and source.exists() and not source.files() and source.final().exists():
        return source.final()
    return source


def _in_final(rel: str) -> bool:
    """A file of the year's final accounts (final/…): not the budget's."""
    return rel.split("/", 1)[0] == FINAL_DIR


def _git_toplevel(path: Path) -> Path:
    import subprocess

    probe = path if path.is_dir() else path.parent
    try:
        result = subprocess.run(
            ["git", "-C", str(probe), "rev-parse", "--show-toplevel"],
            capture_output=True,
            check=False,
        )
    except FileNotFoundError as e:
        raise SourceError(_("git is not installed")) from e
    if result.returncode != 0:
        raise SourceError(_("{folder} is not inside a git repository").format(folder=path))
    return Path(result.stdout.decode().strip()).resolve()


def _hidden(rel: str) -> bool:
    """.gitkeep and editor files are not data, in the working tree or in git alike."""
    return any(part.startswith(".") for part in rel.split("/"))


def available_years(data_dir: Path) -> list[int]:
    """The years under data_dir: its folders named with four digits. A folder that looks
    like a year but is named otherwise (2023年, ２０２３) raises YearFolderError."""
    if not data_dir.is_dir():
        return []
    check_year_folders(data_dir)
    return sorted(int(p.name) for p in data_dir.iterdir() if p.is_dir() and YEAR_DIR.match(p.name))


def _display(path: Path) -> str:
    """A path as the user would type it: relative to the current directory when possible."""
    # abspath, not resolve: a message names the file the user has, never a link's target.
    try:
        return Path(os.path.abspath(path)).relative_to(Path.cwd().resolve()).as_posix()
    except ValueError:
        return path.as_posix()
