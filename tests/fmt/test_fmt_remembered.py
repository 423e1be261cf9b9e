"""A file found canonical is not formatted again (compiler/fmt/remembered.py): the cache
answers only "canonical, nothing to say" for the same bytes, kind and quote style, so a
file changed since, or one with anything to repair or report, is formatted every time."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import ROOT, edit, line_of

from compiler.cache import DiskCache
from compiler.fmt import remembered
from compiler.fmt.formatter import format_file
from compiler.input.pasted_text import DEFAULT_QUOTES


@pytest.fixture
def formatted(monkeypatch, tmp_path) -> list[str]:
    """The files formatted (not answered from the cache), in a cache of this test's own."""
    cache = DiskCache(remembered.CACHE.name, remembered.CACHE.packages, folder=tmp_path / "c")
    (tmp_path / "c").mkdir()
    monkeypatch.setattr(remembered, "CACHE", cache)
    names: list[str] = []

    def counted(file, *args):
        names.append(Path(file).name)
        return format_file(file, *args)

    monkeypatch.setattr(remembered, "format_file", counted)
    return names


def fmt_check(cli, data: Path):
    return cli("fmt", "--check", "--data", str(data), "2022")


def test_a_canonical_year_is_formatted_once(data_copy, cli, formatted):
    first = fmt_check(cli, data_copy)
    assert first.exit_code == 0, first.output
    files = len(formatted)
    assert files == len(list((data_copy / "2022").rglob("*.yaml")))
    again = fmt_check(cli, data_copy)
    assert again.exit_code == 0
    assert again.output == first.output
    assert len(formatted) == files  # every verdict read back


def test_a_file_changed_after_it_was_found_canonical_is_formatted_again(data_copy, cli, formatted):
    assert fmt_check(cli, data_copy).exit_code == 0
    budget = data_copy / "2022" / "budget.yaml"
    edit(budget, "  carried_over: 297.37", "  carried_over：297.37")
    line = line_of(budget, "carried_over")
    formatted.clear()
    found = fmt_check(cli, data_copy)
    assert formatted == ["budget.yaml"]
    assert found.exit_code == 1
    assert f"budget.yaml:{line}: full-width colon" in found.output


def test_a_file_with_something_to_repair_is_never_remembered(data_copy, cli, formatted):
    budget = data_copy / "2022" / "budget.yaml"
    edit(budget, "  carried_over: 297.37", "  carried_over：297.37")
    assert fmt_check(cli, data_copy).exit_code == 1
    formatted.clear()
    again = fmt_check(cli, data_copy)
    assert again.exit_code == 1
    assert "budget.yaml" in again.output
    assert formatted == ["budget.yaml"]  # the others answered from the cache


def test_the_verdict_holds_for_its_quote_style_only(formatted):
    text = "other_matters: 本单位“三公”经费说明。\n".encode()
    assert not remembered.format_file_remembered("unit.yaml", text, "unit", DEFAULT_QUOTES).changed
    corner = remembered.format_file_remembered("unit.yaml", text, "unit", "「」")
    assert corner.changed and "「三公」" in corner.text
    assert formatted == ["unit.yaml", "unit.yaml"]


def test_a_year_found_canonical_is_checked_without_the_formatter(data_copy, tmp_path):
    """The second `fmt --check` of an unchanged year (a pre-commit hook at each commit)
    reads its verdicts back without importing the formatter and its YAML library."""
    code = (
        "import sys\n"
        "from click.testing import CliRunner\n"
        "from compiler.cli import main\n"
        "result = CliRunner().invoke(main, ['fmt', '--check', '--data', sys.argv[1], '2022'])\n"
        "assert result.exit_code == 0, result.output\n"
        "print(sorted(m for m in sys.modules if m.startswith(('ruamel', 'compiler.fmt.form'))))\n"
    )
    env = {**os.environ, "PYTHONPATH": str(ROOT), "XDG_CACHE_HOME": str(tmp_path / "cache")}
    env.pop("DISCLOSURE_NO_CACHE", None)
    runs = [
        subprocess.run(
            [sys.executable, "-c", code, str(data_copy)], capture_output=True, text=True, env=env
        )
        for _ in range(2)
    ]
    assert [run.returncode for run in runs] == [0, 0], runs[0].stderr + runs[1].stderr
    assert "compiler.fmt.formatter" in runs[0].stdout  # the first run formats every file
    assert runs[1].stdout.strip() == "[]"
