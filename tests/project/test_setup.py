"""A fresh machine installs what the project's own files say, and nothing released since:
every Python package from the hashed lock, every Debian package from its list; and no test
depends on how fast this machine is."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

import debian_versions

ROOT = Path(__file__).resolve().parents[2]
LOCK = ROOT / "requirements" / "lock.txt"
RUNTIME = ROOT / "requirements" / "runtime.txt"
PIN = re.compile(r"^([A-Za-z0-9_.\-]+)==(\S+?)(?: ;.*)? \\$", re.MULTILINE)


def pinned(path: Path) -> dict[str, str]:
    return {name.lower(): version for name, version in PIN.findall(path.read_text("utf-8"))}


def requirement_names(requirements: list[str]) -> set[str]:
    return {
        re.split(r"[<>=!\[ ;]", r, maxsplit=1)[0].lower().replace("_", "-") for r in requirements
    }


def test_every_package_of_the_project_is_pinned_with_hashes_in_the_lock():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text("utf-8"))["project"]
    wanted = requirement_names(project["dependencies"] + project["optional-dependencies"]["test"])
    locked = pinned(LOCK)
    normalised = {name.replace("_", "-").replace(".", "-") for name in locked}
    missing = {name.replace(".", "-") for name in wanted} - normalised
    assert not missing, f"not in requirements/lock.txt: {sorted(missing)}; run `make lock`"
    assert {"setuptools", "uv"} <= locked.keys()
    # every pin is followed by at least one hash line
    entries = re.split(r"\n(?=\S)", LOCK.read_text("utf-8").strip())
    unhashed = [e.split()[0] for e in entries if "==" in e and "--hash=sha256:" not in e]
    assert not unhashed, unhashed


def test_the_run_time_lock_holds_the_same_versions_as_the_full_one():
    full, runtime = pinned(LOCK), pinned(RUNTIME)
    assert runtime and all(full.get(name) == version for name, version in runtime.items())
    assert "weasyprint" in runtime and "pytest" not in runtime


def test_set_up_installs_python_packages_only_from_the_lock():
    setup = (ROOT / "scripts" / "setup.sh").read_text("utf-8")
    installs = [line for line in setup.splitlines() if re.search(r"\binstall\b", line)]
    pip_installs = [line for line in installs if '"${pip[@]}" install' in line]
    assert pip_installs == [
        '  "${pip[@]}" install --require-hashes --no-deps -r requirements/lock.txt',
        '  "${pip[@]}" install --no-deps --no-build-isolation --config-settings '
        "editable_mode=compat -e .",
    ]
    assert "requirements/debian.txt" in setup


def test_a_debian_package_that_moved_is_named(monkeypatch):
    monkeypatch.setattr(
        debian_versions, "recorded", lambda: {"fonts-noto-cjk": "0:0", "no-such-package": "1"}
    )
    debian_versions.installed.cache_clear()
    lines = debian_versions.differences()
    debian_versions.installed.cache_clear()
    assert lines[0].startswith("fonts-noto-cjk: recorded 0:0, installed ")
    assert lines[1] == "no-such-package: recorded 1, installed none"


def test_no_test_asserts_how_long_something_took():
    # Speed is the benchmark's business (bench/run.py); a timed assertion fails on a slow
    # or busy machine and passes on a fast one, whatever the code does.
    clocks = re.compile(r"time\.(monotonic|perf_counter|time|process_time)\(\)")
    found = []
    for path in sorted((ROOT / "tests").rglob("*.py")):
        for number, line in enumerate(path.read_text("utf-8").splitlines(), 1):
            if clocks.search(line) and "hang guard" not in line:
                found.append(f"{path.relative_to(ROOT)}:{number}: {line.strip()}")
    assert not found, "\n".join(found)


def test_the_newest_releases_script_reads_versions_without_their_markers():
    import importlib.util

    spec = importlib.util.spec_from_file_location("newest", ROOT / "scripts" / "newest.py")
    newest = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(newest)
    locked = newest.pins(
        "brotli==1.2.1 ; platform_python_implementation == 'CPython' \\\n"
        "    --hash=sha256:00\nclick==8.5.1 \\\n    --hash=sha256:11\n"
    )
    resolved = newest.pins("brotli==1.2.1\nclick==8.6.0\n")
    assert locked["brotli"] == ("1.2.1", " ; platform_python_implementation == 'CPython'")
    assert {n for n in resolved if locked[n][0] != resolved[n][0]} == {"click"}
