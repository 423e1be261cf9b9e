"""Writes that survive kill -9: an output folder holds either its old set of files or the
complete new set, whenever the build is stopped.

A folder of outputs (build/2022/ with disclosure.html, .md and .pdf; a published site) is
one set. An `OutputSet` writes each file of the new set as it comes into a fresh hidden
folder beside it (a build holds no output in memory once written; `write_all` writes a set
given at once, each file as bytes or as a file to copy), then, committed, hard-links in
what the set keeps from the current one, syncs it all to disk, and exchanges the two
folders in one step (Linux renameat2 RENAME_EXCHANGE, atomic): a build killed before the
exchange leaves the old set, after it the new one, and the folder stays a plain folder
(for git, tar and every upload action). The next write removes what a killed one left
behind, but never a set still being written: its writer holds a lock on its folder (flock,
released when the writer dies). A lock file beside the folder serialises the switches into
one folder; one that waits longer than LOCK_WAIT is refused.

    build/2022/                        the current set
    build/.2022.out-<id>/              a set being written, or the old one not yet removed
    build/.2022.lock                   while a build writes

Where the kernel or file system cannot exchange two names, the old folder is moved aside
and the new one moved in: a build killed between those two renames leaves no folder for
a moment, and the next write puts the old one back before anything else.
"""

from __future__ import annotations

import contextlib
import ctypes
import errno
import fcntl
import os
import shutil
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

LOCK_WAIT = 60.0  # seconds; writing a year's set takes well under one
_OUT, _ASIDE = ".out-", ".old-"
# What a file of a set is made from: its bytes, or a file copied a piece at a time (a
# file the set does not own, such as a waiting file of the build or a recorded edition's,
# never read whole into memory).
Content = bytes | Path


def _(message: str) -> str:
    """The message in the chosen language. The catalogue is imported only when a message is
    made: this module also runs alone, loaded from its file (the kill -9 tests do)."""
    from ..i18n import _ as translated

    return translated(message)


class OutputBusy(OSError):
    """Another build holds the output folder's lock (trouble: exit 2)."""


class OutputFolderError(OSError):
    """The outputs would replace a folder that holds more than outputs."""


def write_atomic(path: Path, data: bytes) -> None:
    """Write one file: a synced temporary file beside it, renamed over it."""
    write_all({path: data})


def write_all(files: dict[Path, Content]) -> None:
    """Write several outputs as one set: all of them, or none of them, whenever the build
    stops. They are switched in as one folder: the folder holding them all (build/2022, or
    a site with its year folders and index). Files of that folder that are not rewritten
    are kept."""
    if not files:
        return
    paths = {Path(os.path.abspath(path)): data for path, data in files.items()}
    if len(paths) == 1:  # one rename is atomic by itself
        ((path, data),) = paths.items()
        if _shared(path.parent):  # e.g. the current folder: no lock or clean-up beside it
            _replace_file(path, data)
            return
        with _locked(path.parent):
            remove_leftovers(path.parent)
            _replace_file(path, data)
        return
    with OutputSet(set_folder(list(paths))) as outputs:
        for path, data in sorted(paths.items()):
            outputs.add(path, data)
        outputs.commit()


def set_folder(paths: list[Path]) -> Path:
    """The folder a set of outputs is switched in as (build/2022): the one holding them
    all, a single file's own."""
    return Path(os.path.commonpath([os.path.abspath(path.parent) for path in paths]))


class OutputSet:
    """A new set of outputs for `folder`, written file by file as they come into a fresh
    hidden folder beside it; `commit` switches it in whole. Used as a context manager: a
    set left without being committed (an error, a failed build) is removed, and `folder`
    stays as it was."""

    def __init__(self, folder: Path) -> None:
        self.folder = Path(os.path.abspath(folder))
        if _shared(self.folder):
            raise OutputFolderError(
                _(
                    "the outputs would replace {folder} as a whole, and it holds more than "
                    "outputs; give an output folder of their own (e.g. --out site)"
                ).format(folder=self.folder)
            )
        self._token = f"{time.time_ns():x}-{os.getpid()}"
        self.fresh = self.folder.parent / f".{self.folder.name}{_OUT}{self._token}"
        self._written: set[Path] = set()
        self._made: list[Path] = []  # folders made for the set, removed with it
        self._started = False  # the hidden folder made
        self._lock: int | None = None  # the descriptor holding its lock, if it could
        self._done = False

    def __enter__(self) -> OutputSet:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def add(self, path: Path, data: Content) -> None:
        """Write one file of the set (`path` inside `folder`), synced, at once."""
        _write_synced(self._place(path), data)

    def move(self, path: Path, source: Path) -> None:
        """Move the file `source` (this build's own, a joined PDF of tens of MB) into the
        set as `path`, synced: renamed where it is on the same file system, else copied a
        piece at a time; it is never read whole into memory."""
        target = self._place(path)
        target.parent.mkdir(parents=True, exist_ok=True)
        try:
            os.rename(source, target)
        except OSError:  # another file system
            _write_synced(target, source)
            os.unlink(source)
        os.chmod(target, 0o644)
        with open(target, "rb") as written:
            os.fsync(written.fileno())

    def _place(self, path: Path) -> Path:
        """Where `path` (inside `folder`) is written in the hidden folder, made first."""
        relative = Path(os.path.abspath(path)).relative_to(self.folder)
        if not self._started:
            self._start()
        self._written.add(relative)
        return self.fresh / relative

    def _start(self) -> None:
        """Make the hidden folder (and the output folder's parents, which a failed build
        removes again: it leaves nothing behind) and hold its lock."""
        missing = self.folder.parent
        while not missing.exists():
            self._made.append(missing)
            missing = missing.parent
        self.folder.parent.mkdir(parents=True, exist_ok=True)
        # made and locked under the folder's lock, which every clean-up holds: no clean-up
        # finds it unlocked between the two steps
        with _locked(self.folder):
            self.fresh.mkdir(mode=0o755)
            self._started = True
            self._lock = _hold(self.fresh)  # another build's clean-up leaves it alone

    def commit(self) -> None:
        """Switch the set in: the current set's files it does not rewrite are kept."""
        if not self._started:
            self._start()  # a set of no file: the folder as it was
        with _locked(self.folder):
            remove_leftovers(self.folder)
            try:
                if self.folder.is_dir():
                    _carry_over(self.folder, self.fresh, self._written)
                _sync_tree(self.fresh)
            except BaseException:
                self.close()
                raise
            self._done = True
            _install(self.folder, self.fresh, self._token)
            remove_leftovers(self.folder)
        self.close()

    def close(self) -> None:
        """Remove the set unless it was switched in; let go of its lock."""
        if not self._done:
            self._done = True
            shutil.rmtree(self.fresh, ignore_errors=True)
            for folder in self._made:  # innermost first; only while empty
                with contextlib.suppress(OSError):
                    folder.rmdir()
        if self._lock is not None:
            os.close(self._lock)
            self._lock = None


def _hold(folder: Path) -> int | None:
    """An open descriptor holding an exclusive lock on `folder` (None where the file system
    cannot lock a folder: then only a finished or killed set is ever beside it)."""
    fd = os.open(folder, os.O_RDONLY)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        os.close(fd)
        return None
    return fd


def _in_use(folder: Path) -> bool:
    """A set another writer is still writing: its lock is held."""
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return False
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return True
    except OSError:
        return False
    finally:
        os.close(fd)
    return False


# --- one file ---------------------------------------------------------------------------------


def _replace_file(path: Path, data: Content) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as handle:
            _write_content(handle, data)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    _sync_folder(path.parent)


def replace_together(files: dict[Path, bytes]) -> None:
    """Write several files of a folder that holds more than outputs (a year's data in the
    clerk's working tree, which is never switched as a folder): every file is first
    written to a synced temporary file beside it, and only when all of them are written is
    each renamed over its name. A failure while writing (a full disk, a folder that cannot
    be written) changes none of them; what is left is only the renames, which do not fail
    for want of space."""
    staged: list[tuple[str, Path]] = []
    try:
        for path, data in files.items():
            path.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
            staged.append((tmp, path))
            with os.fdopen(fd, "wb") as handle:
                handle.write(data)
                handle.flush()
                os.fsync(handle.fileno())
            os.chmod(tmp, 0o644)
    except BaseException:
        for tmp, _path in staged:
            Path(tmp).unlink(missing_ok=True)
        raise
    for tmp, path in staged:
        os.replace(tmp, path)
    for folder in {path.parent for _tmp, path in staged}:
        _sync_folder(folder)


# --- a set of files -----------------------------------------------------------------------------


def _shared(folder: Path) -> bool:
    """A folder that holds more than outputs: the file system's root, the current or home
    folder, a git checkout. Its contents are never switched as one set."""
    real = Path(os.path.realpath(folder))
    return (
        real == Path(real.anchor)
        or real == Path.cwd().resolve()
        or real == Path.home().resolve()
        or (real / ".git").exists()
    )


def _write_synced(path: Path, data: Content) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)
    with os.fdopen(fd, "wb") as handle:
        _write_content(handle, data)
        handle.flush()
        os.fsync(handle.fileno())


def _write_content(handle, data: Content) -> None:
    if isinstance(data, bytes):
        handle.write(data)
        return
    with open(data, "rb") as source:
        shutil.copyfileobj(source, handle, 1 << 20)


def _carry_over(current: Path, fresh: Path, replaced: set[Path], relative: Path = Path()) -> None:
    """Hard links (copies where links fail) of the current set's files that are kept."""
    for entry in sorted(os.scandir(current / relative), key=lambda e: e.name):
        rel = relative / entry.name
        if rel in replaced or _is_leftover_file(entry.name):
            continue
        target = fresh / rel
        if entry.is_symlink():
            target.parent.mkdir(parents=True, exist_ok=True)
            os.symlink(os.readlink(entry.path), target)
        elif entry.is_dir():
            target.mkdir(parents=True, exist_ok=True)
            _carry_over(current, fresh, replaced, rel)
        elif entry.is_file() and not target.exists():
            target.parent.mkdir(parents=True, exist_ok=True)
            try:
                os.link(entry.path, target)
            except OSError:
                shutil.copy2(entry.path, target)


def _install(folder: Path, fresh: Path, token: str) -> None:
    """Put `fresh` in the place of `folder` in one atomic step; the old set is left under
    the fresh set's hidden name, for remove_leftovers. On failure nothing has changed."""
    try:
        if not os.path.lexists(folder):
            os.rename(fresh, folder)
        elif not folder.is_dir():
            raise NotADirectoryError(
                _("{folder} is a file, not a folder: move it away or give another --out").format(
                    folder=folder
                )
            )
        elif not _exchange(fresh, folder):
            aside = folder.parent / f".{folder.name}{_ASIDE}{token}"
            os.rename(folder, aside)
            try:
                os.rename(fresh, folder)
            except BaseException:
                os.rename(aside, folder)
                raise
    except BaseException:
        shutil.rmtree(fresh, ignore_errors=True)
        raise
    _sync_folder(folder.parent)


def _exchange(a: Path, b: Path) -> bool:
    """Swap two names atomically (Linux renameat2 RENAME_EXCHANGE); False if unsupported."""
    try:
        renameat2 = ctypes.CDLL(None, use_errno=True).renameat2
    except (OSError, AttributeError):
        return False
    renameat2.argtypes = [
        ctypes.c_int,
        ctypes.c_char_p,
        ctypes.c_int,
        ctypes.c_char_p,
        ctypes.c_uint,
    ]
    at_fdcwd, rename_exchange = -100, 2
    if renameat2(at_fdcwd, os.fsencode(a), at_fdcwd, os.fsencode(b), rename_exchange) == 0:
        return True
    code = ctypes.get_errno()
    if code in (errno.EINVAL, errno.ENOSYS, errno.EOPNOTSUPP):
        return False
    raise OSError(code, os.strerror(code), str(b))


# --- what a killed build leaves -----------------------------------------------------------------


def remove_leftovers(folder: Path) -> None:
    """Remove the sets a killed or failed write left beside `folder` (and the old set a
    finished one had not removed yet; not a set another build is still writing), and the
    temporary files of single-file writes inside it; first put back a folder a killed
    switch had moved aside."""
    parent, name = folder.parent, folder.name
    if not parent.is_dir():
        return
    prefix = f".{name}"
    ours = [e for e in parent.iterdir() if e.name.startswith((prefix + _OUT, prefix + _ASIDE))]
    aside = sorted(e for e in ours if e.name.startswith(prefix + _ASIDE))
    if not os.path.lexists(folder) and aside:
        os.rename(aside[-1], folder)
        ours.remove(aside[-1])
    for entry in ours:
        if entry.is_symlink() or not entry.is_dir():
            entry.unlink(missing_ok=True)
        elif not _in_use(entry):
            shutil.rmtree(entry, ignore_errors=True)
    if folder.is_dir():
        for entry in folder.iterdir():
            if _is_leftover_file(entry.name) and not entry.is_dir():
                entry.unlink(missing_ok=True)


def _is_leftover_file(name: str) -> bool:
    """A temporary file of an interrupted single-file write (or of an older version)."""
    return name.startswith(".") and (name.endswith(".tmp") or name.endswith(".previous"))


# --- locking and syncing --------------------------------------------------------------------------


@contextlib.contextmanager
def _locked(folder: Path) -> Iterator[None]:
    """Hold `.<folder>.lock` beside the folder: one writer at a time; refuse after
    LOCK_WAIT. The holder removes the file before letting go, so none is left behind; a
    waiter that then gets the lock of a removed file tries again with the new one."""
    lock = folder.parent / f".{folder.name}.lock"
    folder.parent.mkdir(parents=True, exist_ok=True)
    deadline = time.monotonic() + LOCK_WAIT
    while True:
        fd = os.open(lock, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            _wait_for(fd, folder, deadline)
            if _same_file(fd, lock):
                break
        except BaseException:
            os.close(fd)
            raise
        os.close(fd)
    try:
        os.ftruncate(fd, 0)
        os.pwrite(fd, f"{os.getpid()}\n".encode(), 0)
        yield
    finally:
        with contextlib.suppress(OSError):
            os.unlink(lock)
        os.close(fd)  # releases the lock


def _wait_for(fd: int, folder: Path, deadline: float) -> None:
    while True:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            return
        except BlockingIOError:
            if time.monotonic() >= deadline:
                holder = os.pread(fd, 32, 0).decode("ascii", "replace").strip() or "?"
                raise OutputBusy(
                    _(
                        "another build (process {process}) is writing {folder}; waited "
                        "{seconds} s for it. Try again when it has finished"
                    ).format(process=holder, folder=folder, seconds=f"{LOCK_WAIT:g}")
                ) from None
            time.sleep(0.05)


def _same_file(fd: int, path: Path) -> bool:
    try:
        return os.path.samestat(os.fstat(fd), os.stat(path))
    except FileNotFoundError:
        return False


def _sync_tree(root: Path) -> None:
    for folder, _dirs, _files in os.walk(root):
        _sync_folder(Path(folder))


def _sync_folder(folder: Path) -> None:
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass  # some file systems cannot sync a folder; the files themselves are synced
    finally:
        os.close(fd)
