"""Shared fixtures: the real 2022 data as the big fixture, and throw-away copies to break."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from compiler import compile_year, parse_year_spec
from compiler.cli import main

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "data"


@pytest.fixture(scope="session")
def model_2022():
    result = compile_year(parse_year_spec("2022", DATA))
    assert result.ok, [d.format_text() for d in result.diagnostics]
    return result.model


@pytest.fixture
def data_copy(tmp_path: Path) -> Path:
    """A copy of data/2022 under tmp_path/data/2022; returns tmp_path/data."""
    target = tmp_path / "data"
    shutil.copytree(DATA / "2022", target / "2022")
    return target


def edit(path: Path, old: str, new: str, count: int = 1) -> None:
    """Replace `old` by `new` in a data file, failing loudly if `old` is not there."""
    text = path.read_text(encoding="utf-8")
    assert text.count(old) >= count, f"{old!r} not found in {path}"
    path.write_text(text.replace(old, new, count), encoding="utf-8")


def line_of(path: Path, needle: str, after: str | None = None) -> int:
    """1-based number of the first line containing `needle` (below the first line
    containing `after`, if given)."""
    searching = after is None
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if searching and needle in line:
            return number
        if not searching and after in line:
            searching = True
    raise AssertionError(f"{needle!r} not in {path}")


@pytest.fixture
def cli():
    runner = CliRunner()

    def run(*args: str):
        return runner.invoke(main, list(args), catch_exceptions=False)

    return run
