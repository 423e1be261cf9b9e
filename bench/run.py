#!/usr/bin/env python3
"""Benchmark: wall time and peak memory of the main commands.

Each scenario runs several times, each in a fresh Python process (as a user or CI runs
it), and the table shows the median. Peak memory is the child's maximum resident set
size, read with os.wait4. Every figure is also given as a ratio to the same run's bare
interpreter (`python -c pass`) and to its full build of data/2022, so tables from a busy
or slow machine can be compared. Scenarios on more data use years generated under a
temporary folder from data/2022 (never under data/): five consecutive years, and one year
ten times larger (110 project tables, 170 procurement items). "validate (no cache)" runs
with DISCLOSURE_NO_CACHE=1: nothing remembered from earlier runs (schema checks, compiled
templates, the model's compiled methods).

    python3 bench/run.py [--runs N] [--against REVISION] [--only SCENARIO …] [--shims]
                         [--preview]

With --against, the single-year scenarios also run on REVISION (a git revision of this
repository, unpacked with `git archive` under the temporary folder and run with its own
data/2022), each run of it right after the same run of this tree, and a second table gives
each figure as a ratio to that revision's: a comparison that holds on a machine whose speed
changes from minute to minute. The speed issue (15) measured its figures on the tree of
revision 1046b4b (full build 3.0 s, validate 0.22 s); its targets as ratios to that
revision are in RATIO_TARGETS, shown when REVISION is that commit. --only runs the named
scenarios alone (and the baseline), for many runs of the ones that matter. Both trees are
byte-compiled first, as an installed tool is.

With --preview, a table of the seconds from saving one unit's file of the 30-unit
department to `disclosure serve` showing the edit (each run one edit, in one server; with
--against also on the revision).

With --shims, a second table says what each patch of compiler/speedups/ saves: each
command of data/2022 runs with that shim off (DISCLOSURE_NO_SPEEDUPS=<shim>) and on, run by
run, and the saving is the median of (off − on) / off. A shim that saves less than 5% of
every command's time is to be removed (compiler/speedups/__init__.py).
"""

from __future__ import annotations

import argparse
import functools
import itertools
import os
import re
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "data"
MEMORY_TARGET_MB = 300

# (name, command arguments after `python -m compiler`, data folder key, target seconds,
# environment); the first row is a bare interpreter. "{out}" is the run's output folder.
NO_CACHE = {"DISCLOSURE_NO_CACHE": "1"}
# A build's PDFs laid out at every run, not read back from the cache of laid-out documents
# that the run before filled (the other caches kept, as on a clerk's machine).
LAY_OUT = {"DISCLOSURE_NO_CACHE": "pdf-documents"}
SCENARIOS = [
    ("python startup (baseline)", None, None, None, {}),
    ("validate (schema checks remembered)", ["validate", "2022"], "seed", 0.15, {}),
    ("validate (no cache)", ["validate", "2022"], "seed", None, {"DISCLOSURE_NO_CACHE": "1"}),
    ("build html+md", ["build", "2022", "--format", "html,md", "--force"], "seed", 0.5, {}),
    ("build pdf", ["build", "2022", "--format", "pdf", "--force"], "seed", None, LAY_OUT),
    ("full build", ["build", "2022", "--force"], "seed", 2.0, LAY_OUT),
    ("full build, PDF laid out before", ["build", "2022", "--force"], "seed", None, {}),
    ("no-op rebuild (nothing changed)", ["build", "2022"], "seed", 0.15, {}),
    # `fmt --check` of a year whose files are canonical, as a pre-commit hook runs it
    ("fmt --check (canonical files remembered)", ["fmt", "--check", "2022"], "seed", None, {}),
    ("fmt --check (no cache)", ["fmt", "--check", "2022"], "seed", None, NO_CACHE),
    ("5 years, one at a time", ["build", "--force", "--jobs", "1"], "five", None, LAY_OUT),
    ("5 years, in parallel", ["build", "--force"], "five", None, LAY_OUT),
    ("10× year: validate", ["validate", "2022"], "large", None, {}),
    (
        "10× year: build html+md",
        ["build", "2022", "--format", "html,md", "--force"],
        "large",
        None,
        {},
    ),
    ("10× year: full build", ["build", "2022", "--force"], "large", None, LAY_OUT),
    # A department publishing its package beside each unit's document (issue 27): made-up
    # Hebei departments of 5, 30 and 60 units (tests/fixtures/departments.py). The 30 and
    # 60 are left out unless asked for with --only (minutes each; CI runs the 5).
    # Full builds remember nothing (DISCLOSURE_NO_CACHE: no part laid out before is reused);
    # "one unit changed" edits a duty of units/05-centre before each run and builds as a
    # clerk does (no --force, caches on), after a warm build.
    ("department, 5 units: full build", ["build", "2022", "--force"], "dept5", None, NO_CACHE),
    ("department, 30 units: full build", ["build", "2022", "--force"], "dept30", None, NO_CACHE),
    ("department, 30 units: one unit changed", ["build", "2022"], "dept30", None, {}),
    ("department, 60 units: full build", ["build", "2022", "--force"], "dept60", None, NO_CACHE),
]
# Changed before each run of a scenario: (file under the year, a text, made different each
# time by a number after it).
CHANGES = {
    "department, 30 units: one unit changed": (
        "units/05-centre/unit.yaml",
        "完成市政府交办的其他任务",
    )
}
# Commands an older revision may not have (fmt came after 1046b4b): run on this tree only.
THIS_TREE_ONLY = {"fmt --check (canonical files remembered)", "fmt --check (no cache)"}
# Scenarios run only when named with --only.
ON_REQUEST = {
    "department, 30 units: full build",
    "department, 30 units: one unit changed",
    "department, 60 units: full build",
}
# The department scenarios: data key → number of units (growth per unit is from these).
DEPARTMENTS = {"dept5": 5, "dept30": 30, "dept60": 60}


# The speed issue's targets in seconds over its figures for the same command on the tree
# it was filed against, 1046b4b (shown only for --against that revision): full build 3.0 s,
# validate 0.22 s, html+md 0.30 s, and a no-op rebuild there was a full build. No target
# allows being slower than that tree (html+md's 0.5 s was above its 0.30 s).
ISSUE_REVISION = "1046b4b"
RATIO_TARGETS = {
    "full build": 2.0 / 3.0,
    "validate (schema checks remembered)": 0.15 / 0.22,
    "build html+md": min(0.5 / 0.30, 1.0),
    "no-op rebuild (nothing changed)": 0.15 / 3.0,
}


# The department issue (27) was filed against 6433c26: a 30-unit department's full build is
# to take at most half of that tree's time, measured in one run (--against 6433c26), and
# every department build to stay under 600 MB over all its processes.
DEPARTMENT_REVISION = "6433c26"
DEPARTMENT_RATIO_TARGETS = {"department, 30 units: full build": 0.5}
DEPARTMENT_MEMORY_MB = 600
DEPARTMENT_LAYOUT = Path("templates/layouts/hebei-department")


def run_once(
    args: list[str] | None, data: Path | None, out: Path, env: dict, tree: Path = ROOT
) -> tuple[float, float, float, float]:
    """Wall seconds and peak memory (MB) of one fresh process of the tool in `tree`: the
    larger of its own (or any one child's) maximum resident set and the most that all its
    processes held at once (see TreeMemory), since a build may lay out in several; then
    those two apart (largest process, process tree)."""
    if args is None:
        cmd = [sys.executable, "-c", "pass"]
    else:
        extra = ["--out", str(out)] if args[0] == "build" else []
        cmd = [sys.executable, "-m", "compiler", *args, "--data", str(data), *extra]
    if tree != ROOT:  # `python -m` finds the package in its working folder first
        env = {**env, "PYTHONPATH": str(tree)}
    # stderr to a file, not a pipe: a department's warnings fill a pipe's 64 KB, and the
    # tool would wait for a reader while this waits for the tool
    with tempfile.TemporaryFile() as errors:
        start = time.perf_counter()
        proc = subprocess.Popen(
            cmd, cwd=tree, stdout=subprocess.DEVNULL, stderr=errors, env={**os.environ, **env}
        )
        with TreeMemory(proc.pid) as together:
            _, status, usage = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - start
        errors.seek(0)
        stderr = errors.read().decode()
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"{' '.join(cmd)} failed:\n{stderr}")
    # ru_maxrss is in KiB on Linux, and the largest of the process and its waited-for children
    largest = usage.ru_maxrss / 1024
    return wall, max(largest, together.peak_mb), largest, together.peak_mb


class TreeMemory:
    """The most memory a process and all its descendants held at the same moment, sampled
    every 50 ms from /proc (proportional set sizes, so pages a fork shares are counted
    once). os.wait4's ru_maxrss gives only the largest single process, which says nothing
    of a build laying out in several at once. Nothing is sampled where /proc is missing."""

    def __init__(self, pid: int) -> None:
        self.pid = pid
        self.peak_mb = 0.0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._sample, daemon=True)

    def __enter__(self) -> TreeMemory:
        if Path("/proc/self/smaps_rollup").exists():
            self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._stop.set()
        if self._thread.is_alive():
            self._thread.join()

    def _sample(self) -> None:
        while not self._stop.wait(0.05):
            total = sum(_pss_kb(pid) for pid in _tree(self.pid))
            self.peak_mb = max(self.peak_mb, total / 1024)


def _tree(pid: int) -> list[int]:
    """pid and its descendants (read from /proc/<pid>/task/*/children)."""
    found, stack = [], [pid]
    while stack:
        current = stack.pop()
        found.append(current)
        try:
            for task in os.listdir(f"/proc/{current}/task"):
                with open(f"/proc/{current}/task/{task}/children") as children:
                    stack.extend(int(c) for c in children.read().split())
        except OSError:  # ended meanwhile
            pass
    return found


def _pss_kb(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/smaps_rollup") as rollup:
            for line in rollup:
                if line.startswith("Pss:"):
                    return int(line.split()[1])
    except (OSError, ValueError):
        pass
    return 0


def pdf_pages(path: Path) -> int | None:
    """How many pages the PDF at `path` has (poppler's pdfinfo), None without one."""
    if not path.is_file() or shutil.which("pdfinfo") is None:
        return None
    info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True).stdout
    found = re.search(r"^Pages:\s+(\d+)", info, re.M)
    return int(found.group(1)) if found else None


_CHANGED = itertools.count(1)


def toggle(year: Path, name: str, text: str) -> None:
    """Make a file of `year` differ from every earlier run: `text` followed by a new number."""
    path = year / name
    old = path.read_text(encoding="utf-8")
    new = re.sub(re.escape(text) + r"(（\d+）)?", f"{text}（{next(_CHANGED)}）", old, count=1)
    path.write_text(new, encoding="utf-8")


def department(root: Path, units: int, undeclared: bool = False) -> Path:
    """A made-up Hebei department of `units` units (tests/fixtures/departments.py): its data
    folder under root. `undeclared`: without unit.yaml's not_published, which a tree older
    than that field refuses (--against 6433c26 builds the same data)."""
    sys.path.insert(0, str(ROOT / "tests"))
    try:
        from fixtures.departments import hebei_department
        from fixtures.departments import undeclared as strip
    finally:
        sys.path.remove(str(ROOT / "tests"))
    data = hebei_department(root / f"department-{units}", units=units)
    if undeclared:
        strip(data)
    return data


def five_years(root: Path) -> Path:
    """data/2022 as 2022 … 2026: each later year without typed previous-year figures, so it
    takes them from the year before (the years depend on each other as real ones do)."""
    data = root / "five"
    for year in range(2022, 2027):
        target = data / str(year)
        shutil.copytree(DATA / "2022", target)
        if year > 2022:
            budget = target / "budget.yaml"
            text = re.sub(r"previous_year:\n(  .*\n)+", "", budget.read_text(encoding="utf-8"))
            budget.write_text(text, encoding="utf-8")
            three = target / "three-public.yaml"
            text = re.sub(r"previous: .*\n", "", three.read_text(encoding="utf-8"))
            three.write_text(text, encoding="utf-8")
    return data


def large_year(root: Path) -> Path:
    """data/2022 ten times larger: every project table and procurement item ten times, each
    copy under its own name."""
    data = root / "large"
    year = data / "2022"
    shutil.copytree(DATA / "2022", year)
    projects = sorted((year / "projects").glob("*.yaml"))
    for copy in range(1, 10):
        for path in projects:
            text = path.read_text(encoding="utf-8")
            text = re.sub(
                r"^name: (.*)$", rf"name: \1（第{copy + 1}批）", text, count=1, flags=re.M
            )
            number = int(path.name[:2]) + copy * len(projects)
            (year / "projects" / f"{number:02d}{path.name[2:]}").write_text(text, encoding="utf-8")
    procurement = year / "procurement.yaml"
    head, _, body = procurement.read_text(encoding="utf-8").partition("projects:\n")
    body, note, tail = body.partition("\nnote:")
    blocks = re.split(r"(?m)^(?=  - name: )", body + "\n")
    copies = []
    for copy in range(10):  # each copy bought by the copy of its project (validate checks)
        suffix = f"（第{copy + 1}批）" if copy else ""
        for block in blocks:
            if block.strip():
                copies.append(
                    re.sub(
                        r"^  - name: (.*)$", rf"  - name: \1{suffix}", block, count=1, flags=re.M
                    )
                )
    procurement.write_text(
        head + "projects:\n" + "".join(copies) + note.lstrip("\n") + tail, encoding="utf-8"
    )
    return data


def unpack_revision(revision: str, root: Path) -> Path:
    """The files of `revision` (git archive) under root/against."""
    folder = root / "against"
    folder.mkdir()
    archive = subprocess.run(
        ["git", "-C", str(ROOT), "archive", "--format=tar", revision],
        capture_output=True,
        check=False,
    )
    if archive.returncode != 0:
        raise SystemExit(f"cannot read revision {revision}: {archive.stderr.decode().strip()}")
    subprocess.run(["tar", "-x", "-C", str(folder)], input=archive.stdout, check=True)
    return folder


def same_commit(revision: str, other: str) -> bool:
    """Whether two names of revisions name the same commit in this repository."""

    def commit(name: str) -> str | None:
        done = subprocess.run(
            ["git", "-C", str(ROOT), "rev-parse", "-q", "--verify", f"{name}^{{commit}}"],
            capture_output=True,
            text=True,
        )
        return done.stdout.strip() if done.returncode == 0 else None

    found = commit(revision)
    return found is not None and found == commit(other)


def byte_compile(tree: Path) -> None:
    """Both trees run from bytecode, as an installed tool does: without it (a fresh clone
    where PYTHONDONTWRITEBYTECODE is set) every run compiles the whole package first."""
    subprocess.run(
        [sys.executable, "-m", "compileall", "-q", str(tree / "compiler")],
        check=True,
    )


def without_unknown_force(args: list[str] | None, tree: Path) -> list[str] | None:
    """`args` for the tool in `tree`: a revision from before `build --force` existed rebuilt
    every time anyway, so the option is left out for it."""
    if not args or "--force" not in args:
        return args
    return args if "--force" in _usage(args[0], tree) else [a for a in args if a != "--force"]


@functools.cache
def _usage(command: str, tree: Path) -> str:
    """`disclosure COMMAND --help` of the tool in `tree` (asked once per command)."""
    return subprocess.run(
        [sys.executable, "-m", "compiler", command, "--help"],
        cwd=tree,
        env={**os.environ, "PYTHONPATH": str(tree), "DISCLOSURE_LANG": "en"},
        capture_output=True,
        text=True,
    ).stdout


SHIM_COMMANDS = [
    ("validate", ["validate", "2022"]),
    ("build html+md", ["build", "2022", "--format", "html,md", "--force"]),
    ("build pdf", ["build", "2022", "--format", "pdf", "--force"]),
    ("full build", ["build", "2022", "--force"]),
]
SHIM_THRESHOLD = 0.05


def shim_savings(runs: int, root: Path) -> None:
    """The table of what each speed shim saves per command (see the module's docstring)."""
    from compiler.speedups import SHIMS

    print(f"\nwhat each shim saves ({runs} runs each, off and on alternating):\n")
    names = " | ".join(name for name, _ in SHIM_COMMANDS)
    print(f"| shim | {names} | keep (≥ 5% somewhere) |")
    print("|---|" + "---:|" * len(SHIM_COMMANDS) + "---|")
    for shim in (*SHIMS, "1"):
        savings = []
        for _name, args in SHIM_COMMANDS:
            out = root / "out-shims"
            on = functools.partial(run_once, args, DATA, out, {})
            off = functools.partial(run_once, args, DATA, out, {"DISCLOSURE_NO_SPEEDUPS": shim})
            on(), off()  # warm
            pairs = [(off()[0], on()[0]) for _ in range(runs)]
            savings.append(statistics.median((o - n) / o for o, n in pairs))
        label = "all (=1)" if shim == "1" else shim
        keep = "—" if shim == "1" else ("yes" if max(savings) >= SHIM_THRESHOLD else "no")
        cells = " | ".join(f"{s:+.0%}" for s in savings)
        print(f"| {label} | {cells} | {keep} |")


def preview_seconds(data: Path, tree: Path, edits: int) -> list[float]:
    """Seconds from saving one unit's file to the served page showing it (`disclosure serve`
    of `data`, run from `tree`): the page's own long poll (/_live) answers once the rebuild
    is done, then the unit's page is fetched, as the open browser does. Each edit toggles a
    word of the fifth unit's unit.yaml."""
    import json
    import urllib.request

    env = {**os.environ, "PYTHONPATH": str(tree)}
    # The server is stopped as Ctrl+C stops it. Started in the background by a shell
    # without job control, this process ignores SIGINT, and so would the server (Python
    # then installs no handler): with Python's handler here, the server starts with the
    # system's default, which Python turns into KeyboardInterrupt.
    signal.signal(signal.SIGINT, signal.default_int_handler)
    server = subprocess.Popen(
        [sys.executable, "-m", "compiler", "serve", "--port", "0", "--data", str(data)],
        cwd=tree, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True, env=env,
    )  # fmt: skip
    try:
        url = re.search(r"http://127\.0\.0\.1:\d+/", server.stdout.readline()).group(0)
        unit = sorted((data / "2022" / "units").iterdir())[4] / "unit.yaml"
        page = urllib.request.urlopen(url, timeout=300).read()
        token = re.search(rb'var token = "([^"]+)"', page).group(1).decode()
        seconds = []
        for n in range(edits):
            text = unit.read_text(encoding="utf-8")
            old, new = ("我单位", "本单位") if n % 2 == 0 else ("本单位", "我单位")
            started = time.perf_counter()
            unit.write_text(text.replace(old, new, 1), encoding="utf-8")
            live = urllib.request.urlopen(f"{url}_live?after={token}", timeout=300).read()
            token = json.loads(live)["token"]
            shown = urllib.request.urlopen(f"{url}units/{unit.parent.name}/", timeout=300).read()
            seconds.append(time.perf_counter() - started)
            if new.encode() not in shown:
                raise SystemExit(f"serve in {tree}: the saved edit is not on the served page")
        return seconds
    finally:
        server.send_signal(signal.SIGINT)
        try:
            server.communicate(timeout=60)
        except subprocess.TimeoutExpired:
            server.kill()  # not left running after the benchmark
            server.communicate()
            raise SystemExit(f"serve in {tree} did not stop within 60 s of SIGINT") from None


def preview_table(runs: int, against: str | None, root: Path) -> None:
    """A saved edit in one unit of the 30-unit department, seen by `disclosure serve`
    (issue 27, part 3: within a second), here and with --against on the revision."""
    data = department(root, 30, undeclared=bool(against))
    ours = preview_seconds(data, ROOT, runs)
    theirs = preview_seconds(data, unpack_revision(against, root), runs) if against else None
    print("\ndepartment, 30 units: a saved edit in one unit shown by `serve` (target 1.0 s):\n")
    head = ["tree", "median (s)", "min (s)", "max (s)", "within target"]
    print("| " + " | ".join(head) + " |\n|---|---:|---:|---:|---|")
    for name, found in (("this tree", ours), (against, theirs)):
        if found:
            median = statistics.median(found)
            within = "yes" if median <= 1.0 else "no"
            print(f"| {name} | {median:.2f} | {min(found):.2f} | {max(found):.2f} | {within} |")


def department_table(
    rows: list, pages: dict, their_peaks: dict, against: str | None, sizes: dict, apart: dict
) -> None:
    """The department scenarios: pages and size of the package, time and memory (also the
    largest process's and the process tree's apart), and what one more unit costs (from the
    smallest and the largest department measured)."""
    print(f"\ndepartments (package and every unit's PDF; memory over all processes, target "
          f"{DEPARTMENT_MEMORY_MB} MB):\n")  # fmt: skip
    head = ["scenario", "units", "package pages", "package (MB)", "median (s)",
            "largest process (MB)", "tree PSS (MB)", "peak memory (MB)"]  # fmt: skip
    if their_peaks:
        head.append(f"{against} peak memory (MB)")
    print("| " + " | ".join(head) + " | memory within target |")
    print("|---|" + "---:|" * (len(head) - 1) + "---|")
    measured = []
    for name, median, _low, _high, peak, _target in rows:
        if name not in pages:
            continue
        units = int(re.search(r"(\d+) units", name).group(1))
        if name.endswith("full build"):  # growth from full builds only
            measured.append((units, median, peak, pages[name]))
        size = sizes.get(name)
        largest, together = apart[name]
        cells = [name, str(units), str(pages[name] or "—"),
                 "—" if size is None else f"{size:.1f}", f"{median:.2f}",
                 f"{largest:.0f}", f"{together:.0f}", f"{peak:.0f}"]  # fmt: skip
        if their_peaks:
            theirs = their_peaks.get(name)
            cells.append("—" if theirs is None else f"{theirs:.0f}")
        within = "yes" if peak <= DEPARTMENT_MEMORY_MB else "no"
        print("| " + " | ".join(cells) + f" | {within} |")
    if len(measured) >= 2:
        (u1, s1, m1, p1), (u2, s2, m2, p2) = min(measured), max(measured)
        per_page = f", {(p2 - p1) / (u2 - u1):.1f} pages" if p1 and p2 else ""
        print(f"\ngrowth per unit ({u1} → {u2} units): {(s2 - s1) / (u2 - u1):.2f} s, "
              f"{(m2 - m1) / (u2 - u1):+.1f} MB{per_page}")  # fmt: skip


def cpu_reference() -> float:
    """A fixed pure-Python loop, so tables from machines of different speed compare."""
    start = time.perf_counter()
    sum(range(20_000_000))
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5, help="runs per scenario (default 5)")
    parser.add_argument(
        "--against",
        metavar="REVISION",
        help="also run the single-year scenarios on this git revision, alternating",
    )
    parser.add_argument(
        "--only",
        action="append",
        metavar="SCENARIO",
        help="run only this scenario (its name as in the table; may be repeated)",
    )
    parser.add_argument(
        "--shims", action="store_true", help="also measure what each speed shim saves"
    )
    parser.add_argument(
        "--preview",
        action="store_true",
        help="also time a saved edit shown by serve (30-unit department)",
    )
    options = parser.parse_args()
    wanted = options.only or [s[0] for s in SCENARIOS if s[0] not in ON_REQUEST]
    chosen = [SCENARIOS[0]] + [s for s in SCENARIOS[1:] if s[0] in wanted]
    unknown = set(options.only or []) - {s[0] for s in SCENARIOS}
    if unknown:
        parser.error(f"no such scenario: {', '.join(sorted(unknown))}")

    rows = []
    compared = []  # (scenario, this tree's median, the revision's median)
    their_peaks = {}  # department scenario → the revision's peak memory (MB)
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        keys = {key for _, _, key, _, _ in chosen}
        folders = {
            "seed": DATA,
            "five": five_years(root) if "five" in keys else None,
            "large": large_year(root) if "large" in keys else None,
        }
        for key, units in DEPARTMENTS.items():
            folders[key] = department(root, units, bool(options.against)) if key in keys else None
        pages = {}  # scenario → pages of the PDF it built (a department's package)
        sizes = {}  # scenario → that PDF's size (MB)
        largest_of = {}  # scenario → (largest process, process tree) peak memory (MB)
        other = unpack_revision(options.against, root) if options.against else None
        for tree in (ROOT, other):
            if tree is not None:
                byte_compile(tree)
        for name, args, key, target, env in chosen:
            out = root / "out" / (key or "none")
            data = folders.get(key)
            ours = functools.partial(run_once, args, data, out, env)
            change = (
                functools.partial(toggle, data / "2022", *CHANGES[name])
                if name in CHANGES
                else None
            )
            if change:  # a build after a change, to fill the caches a clerk's build has
                change()
                ours()
            elif key not in DEPARTMENTS:  # (a department's full build takes minutes)
                ours()  # warm the OS file cache (and the no-op's record)
            # the revision has its own data/2022; a department is made here for both trees
            # (after a change the revision rebuilds the whole year: its full build's time)
            # (a department only on a revision that publishes departments: 1046b4b does not)
            departments_there = other is not None and (other / DEPARTMENT_LAYOUT).is_dir()
            against = (
                other is not None
                and (key == "seed" or (key in DEPARTMENTS and departments_there))
                and not change
                and name not in THIS_TREE_ONLY
            )
            if against:
                their_args = without_unknown_force(args, other)
                their_data = data if key in DEPARTMENTS else other / "data"
                theirs_once = functools.partial(
                    run_once, their_args, their_data, root / "out-against", env, other
                )
                if key not in DEPARTMENTS or change:
                    theirs_once()
            walls, peaks, theirs, their_peaks_run, apart = [], [], [], [], []
            for _ in range(options.runs):
                if change:
                    change()
                wall, peak, largest, together = ours()
                walls.append(wall)
                peaks.append(peak)
                apart.append((largest, together))
                if against:
                    if change:
                        change()
                    their_wall, their_peak, *_ = theirs_once()
                    theirs.append(their_wall)
                    their_peaks_run.append(their_peak)
            rows.append(
                (name, statistics.median(walls), min(walls), max(walls), max(peaks), target)
            )
            if key in DEPARTMENTS:
                package = out / "2022" / "disclosure.pdf"
                pages[name] = pdf_pages(package)
                sizes[name] = package.stat().st_size / 1e6 if package.is_file() else None
                largest_of[name] = max(a[0] for a in apart), max(a[1] for a in apart)
            if against:
                # each run of this tree against the run of the revision right after it: the
                # median of those ratios, steadier than a ratio of medians when the machine's
                # speed drifts
                ratio = statistics.median(o / t for o, t in zip(walls, theirs, strict=True))
                compared.append((name, statistics.median(walls), statistics.median(theirs), ratio))
                if key in DEPARTMENTS:
                    their_peaks[name] = max(their_peaks_run)

    baseline = rows[0][1]
    full = next((r[1] for r in rows if r[0] == "full build"), None)
    print(f"{options.runs} runs each in fresh processes, {os.cpu_count()} cores")
    reference = cpu_reference()
    print(f"CPU reference: sum(range(20_000_000)) takes {reference:.2f} s on this machine now\n")
    header = ["scenario", "median (s)", "min (s)", "max (s)", "× startup", "× full build",
              "peak memory (MB)", "target (s)"]  # fmt: skip
    print("| " + " | ".join(header) + " | within target |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|---|")
    for name, median, low, high, peak, target in rows:
        within = "—" if target is None else ("yes" if median <= target else "no")
        if peak > MEMORY_TARGET_MB and not name.startswith(("10×", "5 years")):
            within += f" (memory over {MEMORY_TARGET_MB} MB)"
        shown_target = "—" if target is None else f"{target:.2f}"
        to_full = "—" if full is None else f"{median / full:.2f}"
        cells = [name, f"{median:.2f}", f"{low:.2f}", f"{high:.2f}", f"{median / baseline:.1f}",
                 to_full, f"{peak:.0f}", shown_target]  # fmt: skip
        print("| " + " | ".join(cells) + f" | {within} |")
    medians = {r[0]: r[1] for r in rows}
    if "5 years, one at a time" in medians and "5 years, in parallel" in medians:
        speedup = medians["5 years, one at a time"] / medians["5 years, in parallel"]
        print(f"\nfive years in parallel: {speedup:.2f}× faster than one at a time")
    if compared:
        targets = RATIO_TARGETS if same_commit(options.against, ISSUE_REVISION) else {}
        print(f"\nagainst {options.against} (its own data/2022), alternating run by run:\n")
        head = ["scenario", "this tree (s)", f"{options.against} (s)", "ratio (median of pairs)",
                "target ratio"]  # fmt: skip
        print("| " + " | ".join(head) + " | within target |")
        print("|---|---:|---:|---:|---:|---|")
        if same_commit(options.against, DEPARTMENT_REVISION):
            targets = {**targets, **DEPARTMENT_RATIO_TARGETS}
        for name, ours, theirs, ratio in compared:
            goal = targets.get(name)
            within = "—" if goal is None else ("yes" if ratio <= goal else "no")
            shown = "—" if goal is None else f"{goal:.2f}"
            print(f"| {name} | {ours:.2f} | {theirs:.2f} | {ratio:.2f} | {shown} | {within} |")
    if pages:
        department_table(rows, pages, their_peaks, options.against, sizes, largest_of)
    if options.shims:
        with tempfile.TemporaryDirectory() as tmp:
            shim_savings(options.runs, Path(tmp))
    if options.preview:
        with tempfile.TemporaryDirectory() as tmp:
            preview_table(options.runs, options.against, Path(tmp))


if __name__ == "__main__":
    main()
