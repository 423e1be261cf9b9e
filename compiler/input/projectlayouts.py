"""A project's own layouts: `layouts/<name>/` beside the `data/` folder.

A unit's repository (the folder that holds data/) may keep layouts of its own, made like
the tool's (a layout.yaml manifest, optional templates and stylesheets). They come from the
repository, so a pull request can change them: everything here reads them as untrusted
input. Files are read only when they are plain files inside the layouts folder — a symbolic
link, a device or a pipe is refused wherever it is, so a layout cannot make a build read a
file from elsewhere on the machine — and their templates are rendered in Jinja's sandbox
(render/sandbox.py).

For a year read from git (`2022@main`), the layouts are those of the same revision: the
layouts folder's tree is written out once into the user's cache folder, under its tree
hash (~/.cache/disclosure-compiler/layouts/<hash>/), and read from there like a working
tree's. Its symbolic links are written out as links, so that they are refused as they
would be in a checkout.
"""

from __future__ import annotations

import atexit
import os
import re
import shutil
import stat
import tempfile
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from ..errors import Trouble
from ..i18n import _
from ..paths import user_cache

FOLDER = "layouts"
MANIFEST = "layout.yaml"
NAME = re.compile(r"^[a-z0-9-]{1,60}$")  # as unit.yaml's `layout` is written
MAX_FILE_BYTES = 2_000_000  # a template or stylesheet of a layout has a few kilobytes
MAX_TREE_BYTES = 50_000_000  # what one revision's layouts folder may hold in all
MAX_TREE_FILES = 5_000


class UnsafeFile(OSError):
    """A file of a project's layouts that is not a plain file inside its folder: `file`
    (as messages name it) and the `reason`."""

    def __init__(self, file: str, reason: str) -> None:
        super().__init__(f"{file}: {reason}")
        self.file = file
        self.reason = reason


@dataclass(frozen=True)
class ProjectLayouts:
    """The layouts folder of a project: where its files are (`folder`) and how messages
    name it (`label`: the path as the user types it, or REVISION:path for git)."""

    folder: Path
    label: str

    def shown(self, path: Path | str) -> str:
        """How messages name a file of the layouts folder."""
        try:
            rel = Path(os.path.abspath(path)).relative_to(Path(os.path.abspath(self.folder)))
        except ValueError:
            return str(path)
        return f"{self.label}/{rel.as_posix()}" if rel.parts else self.label

    def holds(self, path: Path | str) -> bool:
        root = Path(os.path.abspath(self.folder))
        return root in Path(os.path.abspath(path)).parents

    def layout_folder(self, name: str) -> Path | None:
        """The folder of the project's layout `name`, if the project has one (a folder
        with a layout.yaml; whether these are plain is checked when they are read)."""
        if not NAME.match(name):
            return None
        folder = self.folder / name
        manifest = folder / MANIFEST
        if os.path.lexists(manifest) or folder.is_symlink():
            return folder
        return None

    def names(self) -> list[str]:
        try:
            entries = sorted(os.listdir(self.folder))
        except OSError:
            return []
        return [n for n in entries if NAME.match(n) and self.layout_folder(n) is not None]

    def read(self, path: Path) -> bytes:
        """A file of the layouts folder, if it is a plain file reached through plain folders
        (FileNotFoundError if it is not there; UnsafeFile if it is anything else)."""
        return read_plain(self.folder, path, self.shown(path))


def read_plain(root: Path, path: Path, shown: str) -> bytes:
    """The bytes of `path`, a file inside `root`: every folder from `root` down and the
    file itself must be plain (no symbolic link anywhere), and the file at most
    MAX_FILE_BYTES."""
    root = Path(os.path.abspath(root))
    path = Path(os.path.abspath(path))
    if root != path and root not in path.parents:
        raise UnsafeFile(shown, _("outside the layouts folder"))
    current = root
    for part in (None, *path.relative_to(root).parts):
        if part is not None:
            current = current / part
        mode = os.lstat(current).st_mode  # FileNotFoundError: not there
        if stat.S_ISLNK(mode):
            raise UnsafeFile(
                shown if current == path else _shown_part(shown, current, path),
                _("a symbolic link: a layout holds plain files and folders only"),
            )
        if current != path and not stat.S_ISDIR(mode):
            raise FileNotFoundError(str(path))
    if not stat.S_ISREG(mode):
        raise UnsafeFile(shown, _("not a plain file: a layout holds plain files and folders only"))
    flags = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0)
    fd = os.open(path, flags)
    with os.fdopen(fd, "rb") as f:
        data = f.read(MAX_FILE_BYTES + 1)
    if len(data) > MAX_FILE_BYTES:
        raise UnsafeFile(
            shown,
            _("too large for a layout's file (more than {limit} bytes)").format(
                limit=f"{MAX_FILE_BYTES:,}"
            ),
        )
    return data


def _shown_part(shown: str, current: Path, path: Path) -> str:
    """How a message names the folder on the way to `path` that is a link."""
    below = len(path.relative_to(current).parts)
    parts = shown.split("/")
    return "/".join(parts[: len(parts) - below]) if below < len(parts) else shown


def fingerprint_files(folder: Path) -> dict[str, str]:
    """Every entry of a layouts folder by content, for the build record: path → sha256
    (a link by its target, without following it). Empty when there is no folder."""
    import hashlib

    out: dict[str, str] = {}
    if not os.path.lexists(folder):
        return out
    if os.path.islink(folder):
        return {".": "link:" + os.readlink(folder)}
    for here, dirs, names in os.walk(folder, followlinks=False):
        for name in sorted(names + [d for d in dirs if os.path.islink(os.path.join(here, d))]):
            path = os.path.join(here, name)
            rel = os.path.relpath(path, folder).replace(os.sep, "/")
            try:
                if os.path.islink(path):
                    out[rel] = "link:" + os.readlink(path)
                elif os.path.isfile(path):
                    with open(path, "rb") as f:
                        out[rel] = hashlib.sha256(f.read()).hexdigest()
                else:
                    out[rel] = "special"
            except OSError:
                out[rel] = "unreadable"
        dirs[:] = sorted(d for d in dirs if not os.path.islink(os.path.join(here, d)))
    return out


# --- the layouts of a git revision ---------------------------------------------------------


class GitLayoutsError(Trouble):
    """The layouts of a revision cannot be read (usage trouble, as a bad revision is)."""


def at_revision(repo: Path, folder: PurePosixPath, revision: str) -> ProjectLayouts | None:
    """The project's layouts as committed at `revision` (`folder`: the layouts folder's
    path in the repository), written out into the cache; None if the revision has none.
    Asked of git each time (a branch name moves); written out once per tree."""
    if str(folder) in ("", ".") or folder.parts[0] == "..":
        return None
    listed = _git(repo, "ls-tree", "-d", "-z", revision, "--", folder.as_posix())
    entry = next((e for e in listed.split(b"\0") if e), b"")
    meta, _tab, _name = entry.partition(b"\t")
    if len(meta.split()) != 3 or meta.split()[1] != b"tree":
        return None
    tree = meta.split()[2].decode()
    label = f"{revision}:{folder.as_posix()}"
    return ProjectLayouts(_written_out(repo, tree), label)


def _git(repo: Path, *args: str, check: bool = True, stdin: bytes | None = None) -> bytes | None:
    import subprocess  # only for layouts read from git

    try:
        done = subprocess.run(
            ["git", "-C", str(repo), *args], input=stdin, capture_output=True, check=False
        )
    except FileNotFoundError as e:
        raise GitLayoutsError(_("git is not installed")) from e
    if done.returncode != 0:
        if not check:
            return None
        message = done.stderr.decode("utf-8", "replace").strip().splitlines()
        raise GitLayoutsError(
            _("git reported: {message}").format(message=message[-1] if message else args[0])
        )
    return done.stdout


def _written_out(repo: Path, tree: str) -> Path:
    """The folder holding `tree`'s files: the cache's, written once; without a usable
    cache folder, a temporary one removed when this process ends."""
    base = user_cache("layouts")
    if base is not None:
        target = base / tree
        if target.is_dir():
            return target
    else:
        target = Path(tempfile.mkdtemp(prefix="disclosure-layouts-")) / tree
        atexit.register(shutil.rmtree, target.parent, True)
    staging = Path(tempfile.mkdtemp(prefix=f".{tree}-", dir=target.parent))
    try:
        _write_tree(repo, tree, staging)
        try:
            os.rename(staging, target)  # one step: a reader sees all of it or none
        except OSError:
            if not target.is_dir():
                raise
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return target


def _write_tree(repo: Path, tree: str, target: Path) -> None:
    listing = _git(repo, "ls-tree", "-r", "-z", "--long", tree)
    entries = []
    total = 0
    for record in listing.split(b"\0"):
        if not record:
            continue
        meta, _tab, name = record.partition(b"\t")
        mode, kind, obj, size = meta.split()
        path = name.decode("utf-8", "surrogateescape")
        parts = PurePosixPath(path).parts
        if not parts or any(p in ("", ".", "..") or p.startswith(".git") for p in parts):
            continue  # git itself refuses such names; never write outside `target`
        if kind != b"blob":
            continue  # a submodule: nothing to read
        total += int(size) if size.isdigit() else 0
        entries.append((mode, obj.decode(), path))
    if len(entries) > MAX_TREE_FILES or total > MAX_TREE_BYTES:
        raise GitLayoutsError(
            _(
                "the layouts folder of git tree {tree} holds {count} files of {size} bytes; "
                "a layouts folder may hold at most {files} files of {limit} bytes"
            ).format(
                tree=tree[:12],
                count=f"{len(entries):,}",
                size=f"{total:,}",
                files=f"{MAX_TREE_FILES:,}",
                limit=f"{MAX_TREE_BYTES:,}",
            )
        )
    contents = _blobs(repo, [obj for _mode, obj, _path in entries])
    for mode, obj, path in entries:
        out = target.joinpath(*PurePosixPath(path).parts)
        out.parent.mkdir(parents=True, exist_ok=True)
        if mode == b"120000":  # a symbolic link: kept as one, so reading it is refused
            os.symlink(contents[obj].decode("utf-8", "surrogateescape"), out)
        else:
            out.write_bytes(contents[obj])


def _blobs(repo: Path, objects: list[str]) -> dict[str, bytes]:
    """The contents of git blobs, read in one `git cat-file --batch`."""
    if not objects:
        return {}
    wanted = list(dict.fromkeys(objects))
    out = _git(repo, "cat-file", "--batch", stdin=("\n".join(wanted) + "\n").encode())
    contents: dict[str, bytes] = {}
    position = 0
    for obj in wanted:
        end = out.index(b"\n", position)
        header = out[position:end].split()
        size = int(header[2])
        contents[obj] = out[end + 1 : end + 1 + size]
        position = end + 1 + size + 1  # the content, then a line feed
    return contents
