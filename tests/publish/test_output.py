"""Writes that survive kill -9: an output folder is always the old set or the new set.

The crash tests run the writer in a child process and end it the hard way (os._exit, or
SIGKILL), so no clean-up code of the writer runs: what the folder holds then is what a
reader, or the next build, would find.
"""

from __future__ import annotations

import fcntl
import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import DATA, ROOT

import compiler.publish.output
from compiler.cli import main
from compiler.publish.output import OutputBusy, OutputFolderError, OutputSet, write_all

OUTPUT_PY = str(ROOT / "compiler" / "publish" / "output.py")
NAMES = ("disclosure.html", "disclosure.md", "sub/disclosure.pdf")  # a set with a subfolder


def files(folder: Path, generation: int, size: int = 1000) -> dict[Path, bytes]:
    return {folder / name: _content(name, generation, size) for name in NAMES}


def _content(name: str, generation: int, size: int) -> bytes:
    head = f"generation {generation} of {name}\n".encode()
    return head + b"x" * max(0, size - len(head))


def generation_of(folder: Path) -> int | None:
    """The generation every file of the set has; fails if the set is mixed or incomplete."""
    found = {}
    for name in NAMES:
        path = folder / name
        assert path.is_file(), f"{name} is missing: {sorted(_listing(folder.parent))}"
        first = path.read_bytes().split(b"\n", 1)[0].decode()
        assert first.endswith(f" of {name}"), first
        found[name] = int(first.split()[1])
    assert len(set(found.values())) == 1, f"old and new outputs are mixed: {found}"
    return next(iter(found.values()))


def _listing(parent: Path) -> list[str]:
    return [p.name for p in parent.iterdir()] if parent.is_dir() else []


def beside(folder: Path) -> list[str]:
    """What sits beside the output folder."""
    return sorted(_listing(folder.parent))


# ------------------------------------------------------------------------------- the basics


def test_a_set_is_switched_in_whole_and_the_old_one_removed(tmp_path):
    folder = tmp_path / "build" / "2022"
    write_all(files(folder, 1))
    assert generation_of(folder) == 1
    write_all(files(folder, 2))
    assert generation_of(folder) == 2
    assert folder.is_dir() and not folder.is_symlink(), "a plain folder, for git and tar"
    assert beside(folder) == ["2022"], "the old set is removed"
    assert (folder / "disclosure.md").stat().st_mode & 0o777 == 0o644


def test_files_the_new_set_does_not_rewrite_are_kept(tmp_path):
    """`build --format md` after a full build keeps the HTML and PDF."""
    folder = tmp_path / "2022"
    write_all(files(folder, 1))
    write_all({folder / "disclosure.md": b"new md", folder / "extra.txt": b"extra"})
    assert (folder / "disclosure.md").read_bytes() == b"new md"
    assert (folder / "extra.txt").read_bytes() == b"extra"
    assert (folder / "sub" / "disclosure.pdf").read_bytes() == _content(
        "sub/disclosure.pdf", 1, 1000
    )


def test_temporary_files_an_older_version_left_in_the_folder_are_removed(tmp_path):
    folder = tmp_path / "2022"
    (folder / "sub").mkdir(parents=True)
    for path, data in files(folder, 1).items():
        path.write_bytes(data)
    (folder / ".disclosure.pdf.k3j2.tmp").write_bytes(b"left by a killed build")
    (folder / ".disclosure.md.4242.previous").write_bytes(b"left by a killed build")
    write_all(files(folder, 2))
    assert generation_of(folder) == 2
    assert sorted(_listing(folder)) == ["disclosure.html", "disclosure.md", "sub"]
    assert beside(folder) == ["2022"]


def test_a_set_is_never_switched_over_a_folder_that_holds_more_than_outputs(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "notes.txt").write_text("mine", encoding="utf-8")
    with pytest.raises(OutputFolderError, match="output folder of their own"):
        write_all({Path("index.html"): b"x", Path("2022/a.pdf"): b"y"})
    assert sorted(_listing(tmp_path)) == ["notes.txt"]


def test_a_set_written_file_by_file_is_switched_in_only_when_committed(tmp_path):
    """A build writes each output as it is rendered (a department's are never all in
    memory): until the set is committed the folder shows the old set, and a set left
    uncommitted (a failed build) leaves no trace, not even the folders made for it."""
    folder = tmp_path / "build" / "2022"
    write_all(files(folder, 1))
    with OutputSet(folder) as outputs:
        for path, data in files(folder, 2).items():
            outputs.add(path, data)
            assert generation_of(folder) == 1
        outputs.commit()
    assert generation_of(folder) == 2
    assert beside(folder) == ["2022"]
    fresh = tmp_path / "new" / "out" / "2022"
    with OutputSet(fresh) as outputs:
        outputs.add(fresh / "disclosure.html", b"half")
    assert not (tmp_path / "new").exists()


def test_a_set_another_build_is_still_writing_is_not_taken_for_a_leftover(tmp_path):
    """Two builds into one folder: the one that finishes first clears what killed builds
    left beside the folder, but not the set the other is still writing."""
    folder = tmp_path / "2022"
    write_all(files(folder, 1))
    with OutputSet(folder) as slow:
        first, *rest = files(folder, 3).items()
        slow.add(*first)
        write_all(files(folder, 2))  # the other build, done meanwhile
        assert generation_of(folder) == 2
        for path, data in rest:
            slow.add(path, data)
        slow.commit()
    assert generation_of(folder) == 3
    assert beside(folder) == ["2022"]


@pytest.mark.parametrize("file_system", ["the same", "another"])
def test_a_file_the_build_wrote_is_moved_into_the_set(tmp_path, monkeypatch, file_system):
    """Renamed on the same file system; copied, then removed, from another (TMPDIR on a
    tmpfs, the outputs on a disk), where a rename fails with EXDEV."""
    folder = tmp_path / "2022"
    spooled = tmp_path / "joined.pdf"
    spooled.write_bytes(b"%PDF joined")
    if file_system == "another":
        real = os.rename

        def rename(source, target):
            if Path(source) == spooled:
                raise OSError(18, "Invalid cross-device link")  # EXDEV
            real(source, target)

        monkeypatch.setattr(compiler.publish.output.os, "rename", rename)
    with OutputSet(folder) as outputs:
        outputs.move(folder / "disclosure.pdf", spooled)
        outputs.commit()
    assert (folder / "disclosure.pdf").read_bytes() == b"%PDF joined"
    assert not spooled.exists()
    assert oct((folder / "disclosure.pdf").stat().st_mode & 0o777) == "0o644"


# ------------------------------------------------------------------------------- kill -9

# The children load compiler/publish/output.py on its own (it needs only the standard library),
# so each starts in a few hundredths of a second.
_LOAD = """
import importlib.util, sys
spec = importlib.util.spec_from_file_location("output", {path!r})
output = importlib.util.module_from_spec(spec)
spec.loader.exec_module(output)
"""
_WRITER = (
    _LOAD
    + """
import os, shutil
from pathlib import Path

folder, generation = Path(sys.argv[1]), int(sys.argv[2])
crash_at, exchange = int(sys.argv[3]), sys.argv[4]
calls = 0

def crashing(function):
    def call(*args, **kwargs):
        global calls
        calls += 1
        if calls == crash_at:
            os._exit(137)  # as kill -9: no clean-up of any kind runs
        return function(*args, **kwargs)
    return call

for name in ("open", "fsync", "symlink", "replace", "rename", "link", "mkdir", "unlink", "rmdir"):
    setattr(os, name, crashing(getattr(os, name)))
shutil.rmtree = crashing(shutil.rmtree)
if exchange == "no":
    output._exchange = lambda a, b: False
else:
    output._exchange = crashing(output._exchange)
names = {names!r}
content = {{n: f"generation {{generation}} of {{n}}\\n".encode() + b"x" * 5000 for n in names}}
output.write_all({{folder / n: data for n, data in content.items()}})
print(calls)
"""
)


def _write_in_child(folder: Path, generation: int, crash_at: int, exchange: str = "yes"):
    script = _WRITER.format(path=OUTPUT_PY, names=NAMES)
    return subprocess.run(
        [sys.executable, "-S", "-c", script, str(folder), str(generation), str(crash_at), exchange],
        capture_output=True,
        text=True,
        timeout=60,
    )


@pytest.mark.parametrize(
    ("before", "exchange"),
    [(None, "yes"), (1, "yes"), (1, "no")],
    ids=["first-build", "rebuild", "rebuild-without-renameat2"],
)
def test_a_build_killed_at_any_step_leaves_the_old_set_or_the_new_one(tmp_path, before, exchange):
    """Kill the writer just before each of its file-system calls in turn, until it gets
    through: each time the folder holds all of the old set (or nothing, before the first
    build) or all of the new one, and the next write leaves nothing behind."""
    crash_at, outcomes = 1, set()
    while True:
        folder = tmp_path / f"run{crash_at}" / "2022"
        folder.parent.mkdir()
        if before is not None:
            write_all(files(folder, before))
        child = _write_in_child(folder, 2, crash_at, exchange)
        if child.returncode == 0:
            assert generation_of(folder) == 2
            break
        assert child.returncode == 137, child.stderr
        if not os.path.lexists(folder) and before is not None:
            # without renameat2, a rebuild killed between its two renames leaves the old
            # folder set aside for a moment; the next write puts it back first
            assert exchange == "no", "the old set vanished"
            assert [n for n in _listing(folder.parent) if n.startswith(".2022.old-")]
            compiler.publish.output.remove_leftovers(folder)
        outcomes.add(generation_of(folder) if os.path.lexists(folder) else None)
        write_all(files(folder, 3))  # the next build
        assert generation_of(folder) == 3
        assert beside(folder) == ["2022"], "leftovers not removed"
        crash_at += 1
        assert crash_at < 200, "the writer never finished"
    assert outcomes == {before, 2}, "crashes were injected both before and after the switch"


_LOOP = (
    _LOAD
    + """
from pathlib import Path
write_all = output.write_all
folder, first = Path(sys.argv[1]), int(sys.argv[2])
for generation in range(first, first + 1000):
    write_all({{folder / n: (f"generation {{generation}} of {{n}}\\n".encode() + b"x" * 200_000)
               for n in {names!r}}})
    print(generation, flush=True)
"""
)


def test_kill_9_at_random_moments_never_mixes_old_and_new_outputs(tmp_path):
    folder = tmp_path / "build" / "2022"
    write_all(files(folder, 0))
    script = _LOOP.format(path=OUTPUT_PY, names=NAMES)
    rng = random.Random(14)
    for round_ in range(12):
        child = subprocess.Popen(
            [sys.executable, "-S", "-c", script, str(folder), str(1 + round_ * 1000)],
            stdout=subprocess.PIPE,
        )
        child.stdout.readline()  # started writing: the first set is in
        time.sleep(rng.uniform(0, 0.15))
        child.send_signal(signal.SIGKILL)
        child.wait()
        child.stdout.close()
        generation_of(folder)  # complete, one generation
    write_all(files(folder, 99_999))
    assert generation_of(folder) == 99_999
    assert beside(folder) == ["2022"]


# ------------------------------------------------------------------------------- the lock


def test_two_builds_into_one_folder_take_turns(tmp_path):
    folder = tmp_path / "2022"
    script = _LOOP.format(path=OUTPUT_PY, names=NAMES).replace(
        "range(first, first + 1000)", "range(first, first + 8)"
    )
    children = [
        subprocess.Popen(
            [sys.executable, "-S", "-c", script, str(folder), str(first)],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
        )
        for first in (100, 200)
    ]
    for child in children:
        out, err = child.communicate(timeout=120)
        assert child.returncode == 0, err.decode()
    assert generation_of(folder) in (107, 207)
    assert beside(folder) == ["2022"]


def test_a_build_that_cannot_get_the_lock_is_refused_with_a_clear_message(tmp_path, monkeypatch):
    out = tmp_path / "out"
    out.mkdir()
    with open(out / ".2022.lock", "w") as held:
        held.write("4242\n")
        held.flush()
        fcntl.flock(held, fcntl.LOCK_EX)
        monkeypatch.setattr(compiler.publish.output, "LOCK_WAIT", 0.3)
        with pytest.raises(OutputBusy, match=r"another build \(process 4242\) is writing"):
            write_all(files(out / "2022", 1))
        result = CliRunner().invoke(
            main, ["build", "2022", "--data", str(DATA), "--out", str(out), "--format", "md"]
        )
    assert result.exit_code == 2, result.output
    assert "another build (process 4242) is writing" in result.stderr
    assert "Traceback" not in result.output
    assert not (out / "2022").exists()


def test_a_set_copies_a_file_given_as_a_path_and_leaves_the_file(tmp_path):
    """A file given as a path (a waiting file of the build, a recorded edition's) is copied
    into the set, a piece at a time, and stays where it was: the site and the record are
    both written from it."""
    waiting = tmp_path / "waiting.pdf"
    waiting.write_bytes(b"%PDF" + b"x" * (3 << 20))  # more than one piece of the copy
    folder = tmp_path / "out" / "2022"
    write_all({folder / "disclosure.pdf": waiting, folder / "disclosure.md": b"md"})
    write_all({tmp_path / "record" / "1" / "disclosure.pdf": waiting})  # a single file
    assert (folder / "disclosure.pdf").read_bytes() == waiting.read_bytes()
    assert (tmp_path / "record" / "1" / "disclosure.pdf").read_bytes() == waiting.read_bytes()
    assert (folder / "disclosure.md").read_bytes() == b"md"
    assert waiting.is_file()
