#!/usr/bin/env python3
"""Benchmark: wall time and peak memory of the main commands on data/2022.

Each scenario runs several times, each in a fresh Python process (as a user or CI runs
it), and the table shows the median. Peak memory is the child's maximum resident set
size, read with os.wait4. Outputs go to a temporary folder.

    python3 bench/run.py [--runs N]
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

# (name, command arguments after `python -m compiler`, target seconds); the first row is
# a bare interpreter, so figures from a busy or slow machine can be read against it.
SCENARIOS = [
    ("python startup (baseline)", None, None),
    ("validate", ["validate", "2022"], 0.3),
    ("build html+md", ["build", "2022", "--format", "html,md"], 0.5),
    ("build pdf", ["build", "2022", "--format", "pdf"], None),
    ("full build", ["build", "2022"], 2.0),
]
MEMORY_TARGET_MB = 300


def run_once(args: list[str] | None, out: Path) -> tuple[float, float]:
    """Wall seconds and peak RSS (MB) of one fresh process."""
    if args is None:
        cmd = [sys.executable, "-c", "pass"]
    else:
        extra = ["--out", str(out)] if args[0] == "build" else []
        cmd = [sys.executable, "-m", "compiler", *args, *extra]
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - start
    stderr = proc.stderr.read().decode()
    proc.stderr.close()
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode != 0:
        raise SystemExit(f"{' '.join(cmd)} failed ({proc.returncode}):\n{stderr}")
    return wall, usage.ru_maxrss / 1024  # ru_maxrss is in KiB on Linux


def cpu_reference() -> float:
    """A fixed pure-Python loop, so tables from machines of different speed compare."""
    start = time.perf_counter()
    sum(range(20_000_000))
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5, help="runs per scenario (default 5)")
    options = parser.parse_args()

    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        for name, args, target in SCENARIOS:
            run_once(args, Path(tmp))  # warm the OS file cache; not counted
            walls, peaks = [], []
            for _ in range(options.runs):
                wall, peak = run_once(args, Path(tmp))
                walls.append(wall)
                peaks.append(peak)
            rows.append(
                (name, statistics.median(walls), min(walls), max(walls), max(peaks), target)
            )

    print(f"data/2022, {options.runs} runs each in fresh processes, {os.cpu_count()} cores")
    reference = cpu_reference()
    print(f"CPU reference: sum(range(20_000_000)) takes {reference:.2f} s on this machine now\n")
    header = ["scenario", "median (s)", "min (s)", "max (s)", "peak memory (MB)", "target (s)"]
    print("| " + " | ".join(header) + " | within target |")
    print("|---|---:|---:|---:|---:|---:|---|")
    for name, median, low, high, peak, target in rows:
        within = "—" if target is None else ("yes" if median <= target else "no")
        if peak > MEMORY_TARGET_MB:
            within += f" (memory over {MEMORY_TARGET_MB} MB)"
        shown_target = "—" if target is None else f"{target:.1f}"
        cells = [name, f"{median:.2f}", f"{low:.2f}", f"{high:.2f}", f"{peak:.0f}", shown_target]
        print("| " + " | ".join(cells) + f" | {within} |")


if __name__ == "__main__":
    main()
