"""make test keeps tests that share costly fixtures in one xdist worker (--dist loadgroup,
tests/conftest.py's SHARED_MODULES and test_pdf_text's examples). A pytest or xdist release
that stops the grouping fails nothing else: the suite just lays out the same PDFs twice and
waits for the other worker (pytest 9.2 with xdist 3.8: pytest-dev/pytest-xdist#1386). This
test runs a small suite the same way and says so."""

from __future__ import annotations

import os
import subprocess
import sys
from collections import defaultdict

GROUPED = """
import os, pytest

def _record(tmp_path_factory, name):
    folder = tmp_path_factory.getbasetemp().parent.parent / "workers"
    folder.mkdir(exist_ok=True)
    (folder / name).write_text(os.environ["PYTEST_XDIST_WORKER"])

@pytest.mark.parametrize("n", range(6))
def test_first(tmp_path_factory, n):
    _record(tmp_path_factory, f"first-{n}")

@pytest.mark.parametrize("n", range(6))
def test_second(tmp_path_factory, n):
    _record(tmp_path_factory, f"second-{n}")
"""

CONFTEST = """
import pytest

@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(config, items):
    for item in items:  # as tests/conftest.py marks its shared modules
        item.add_marker(pytest.mark.xdist_group(item.originalname))
"""


def test_a_group_of_tests_runs_in_one_worker(tmp_path):
    (tmp_path / "test_grouped.py").write_text(GROUPED, encoding="utf-8")
    (tmp_path / "conftest.py").write_text(CONFTEST, encoding="utf-8")
    (tmp_path / "runs").mkdir()
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTEST_")}
    done = subprocess.run(
        [sys.executable, "-m", "pytest", "-n", "2", "--dist", "loadgroup", "-p",
         "no:cacheprovider", "-q", "--basetemp", str(tmp_path / "runs" / "base"), "."],
        cwd=tmp_path, env=env, capture_output=True, text=True,
    )  # fmt: skip
    assert done.returncode == 0, done.stdout + done.stderr
    workers = defaultdict(set)
    for record in (tmp_path / "runs" / "workers").iterdir():
        workers[record.name.split("-")[0]].add(record.read_text())
    assert dict(workers).keys() == {"first", "second"}
    assert all(len(ran_in) == 1 for ran_in in workers.values()), (
        f"a group's tests ran in several workers: {dict(workers)} (see this module's docstring)"
    )
