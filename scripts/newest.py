"""Run the tests against the newest releases the floors in pyproject.toml allow, and name the
package whose update broke a test.

    .venv/bin/python scripts/newest.py [--summary FILE] [pytest arguments…]

The weekly workflows (GitHub: .github/workflows/newest.yml, GitLab: the `newest` job) run it
so that a release that breaks the tool is found within a week, while CI keeps installing
from requirements/lock.txt and stays green. Steps:

1. resolve the newest versions (uv, the same resolver as `make lock`) and list each package
   whose newest version differs from the lock;
2. install them into .venv-newest and run the suite there;
3. if tests fail, try each updated package alone (the lock plus that one update) on the
   failing tests, and name every package with which they fail.

Exit status: 0 the suite passes with the newest versions, 1 it does not (the summary names
the packages), 2 trouble (a resolution or an install failed).
"""

from __future__ import annotations

import argparse
import re
import shutil
import subprocess
import sys
import tempfile
import xml.etree.ElementTree as ElementTree
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LOCK = ROOT / "requirements" / "lock.txt"
VENV = ROOT / ".venv-newest"
UV = ROOT / ".venv" / "bin" / "uv"
PIN = re.compile(r"^([A-Za-z0-9_.\-]+)==([^\s;\\]+)( ; [^\\\n]+)?", re.MULTILINE)


def pins(text: str) -> dict[str, tuple[str, str]]:
    """package → (version, environment marker) of every `name==version` line."""
    found = PIN.findall(text)
    return {name.lower(): (version, marker.rstrip()) for name, version, marker in found}


def run(*args: str | Path, check: bool = True, **kwargs) -> subprocess.CompletedProcess:
    done = subprocess.run([str(a) for a in args], cwd=ROOT, text=True, **kwargs)
    if check and done.returncode != 0:
        raise SystemExit(f"newest: {' '.join(map(str, args[:4]))} … exited {done.returncode}")
    return done


def resolve_newest(folder: Path) -> Path:
    out = folder / "newest.txt"
    run(
        UV,
        "pip",
        "compile",
        "--quiet",
        "--no-header",
        "--upgrade",
        "--python-version",
        "3.11",
        "pyproject.toml",
        "requirements/tools.in",
        "--extra",
        "test",
        "-o",
        out,
    )
    return out


def install(versions: dict[str, tuple[str, str]], folder: Path) -> None:
    """A fresh .venv-newest holding exactly these versions (and the tool, editable)."""
    requirements = folder / "install.txt"
    requirements.write_text(
        "".join(f"{name}=={version}{marker}\n" for name, (version, marker) in versions.items())
    )
    shutil.rmtree(VENV, ignore_errors=True)
    run(UV, "venv", "--quiet", "--python", sys.executable, VENV)
    python = VENV / "bin" / "python"
    run(UV, "pip", "install", "--quiet", "--no-deps", "--python", python, "-r", requirements)
    run(UV, "pip", "install", "--quiet", "--python", python, "--no-deps", "-e", ".")


def failing_tests(pytest_args: list[str], folder: Path, name: str) -> list[str] | None:
    """The node ids of the tests that fail in .venv-newest (None: pytest itself failed)."""
    report = folder / f"{name}.xml"
    env_path = f"{VENV / 'bin'}:{Path('/usr/bin')}:{Path('/bin')}"
    done = run(
        VENV / "bin" / "python",
        "-m",
        "pytest",
        "-q",
        "-p",
        "no:cacheprovider",
        "--hypothesis-profile=ci",
        f"--junitxml={report}",
        *pytest_args,
        check=False,
        env={**_environment(), "PATH": env_path},
    )
    if done.returncode not in (0, 1) or not report.exists():
        return None
    failed = []
    for case in ElementTree.parse(report).iter("testcase"):
        if case.find("failure") is not None or case.find("error") is not None:
            module = case.get("classname", "").replace(".", "/")
            failed.append(f"{module}.py::{case.get('name')}")
    return failed


def _environment() -> dict[str, str]:
    import os

    return {k: v for k, v in os.environ.items() if k not in ("VIRTUAL_ENV", "PYTHONPATH")}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--summary", type=Path, help="also write the report (Markdown) here")
    options, pytest_args = parser.parse_known_args()
    pytest_args = pytest_args or ["-n", "auto"]
    lines: list[str] = ["## 依赖包最新版本测试 · Tests against the newest releases", ""]
    with tempfile.TemporaryDirectory() as scratch:
        folder = Path(scratch)
        newest_file = resolve_newest(folder)
        locked, newest = pins(LOCK.read_text("utf-8")), pins(newest_file.read_text("utf-8"))
        updated = sorted(name for name in newest if locked.get(name, ("",))[0] != newest[name][0])
        for name in updated:
            before = locked[name][0] if name in locked else "(new)"
            lines.append(f"- {name}: {before} → {newest[name][0]}")
        if not updated:
            lines.append("The lock already holds the newest version of every package.")
        install(newest, folder)
        failed = failing_tests(pytest_args, folder, "newest")
        if failed is None:
            lines.append("\n**pytest did not run to the end with the newest versions.**")
            status = 2
        elif not failed:
            lines.append(f"\nAll tests pass with the newest versions ({len(updated)} updated).")
            status = 0
        else:
            lines.append(f"\n**{len(failed)} tests fail with the newest versions:**")
            lines += [f"- `{test}`" for test in failed[:30]]
            lines.append("\nEach updated package alone (the lock plus that one update):")
            for name in updated:
                install({**locked, name: newest[name]}, folder)
                alone = failing_tests(failed, folder, name)
                verdict = "breaks them" if alone is None or alone else "passes"
                if alone:
                    verdict += f" ({len(alone)}: {', '.join(alone[:3])})"
                lines.append(f"- {name} {newest[name][0]}: {verdict}")
            status = 1
    shutil.rmtree(VENV, ignore_errors=True)
    report = "\n".join(lines) + "\n"
    print(report)
    if options.summary:
        with options.summary.open("a", encoding="utf-8") as out:
            out.write(report)
    return status


if __name__ == "__main__":
    sys.exit(main())
