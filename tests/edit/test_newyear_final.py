"""`disclosure new-year` and final accounts: a new year's budget starts from the last budget
and leaves every final/ alone (never copied, never changed); a year holding only final
accounts is passed over; final accounts are not a budget to start from. On the made-up unit
with a budget and final accounts (tests/fixtures/final_budget)."""

from __future__ import annotations

import shutil

from click.testing import CliRunner
from fixtures.final_budget import budget_and_final

from compiler.cli import main


def _snapshot(folder):
    return {p.relative_to(folder): p.read_bytes() for p in folder.rglob("*") if p.is_file()}


def test_new_year_starts_from_the_budget_and_leaves_final_alone(tmp_path):
    data = budget_and_final(tmp_path)
    final = _snapshot(data / "2024" / "final")
    run = CliRunner().invoke(main, ["new-year", "2025", "--data", str(data)])
    assert run.exit_code == 0, run.output
    assert (data / "2025" / "lines.yaml").is_file()
    assert not (data / "2025" / "final").exists()
    assert _snapshot(data / "2024" / "final") == final


def test_a_year_with_only_final_accounts_is_passed_over(tmp_path):
    data = budget_and_final(tmp_path)
    shutil.move(data / "2024" / "final", tmp_path / "final")
    (data / "2025").mkdir()
    shutil.move(tmp_path / "final", data / "2025" / "final")  # 2025: final accounts only
    run = CliRunner().invoke(main, ["new-year", "2026", "--data", str(data)])
    assert run.exit_code == 0, run.output
    assert "2024" in run.output  # started from the last budget
    assert (data / "2026" / "lines.yaml").is_file()


def test_final_accounts_are_not_a_budget_to_start_from(tmp_path, chinese):
    data = budget_and_final(tmp_path)
    run = CliRunner().invoke(
        main, ["new-year", "2025", "--from", "2024/final", "--data", str(data)]
    )
    assert run.exit_code == 2
    assert "2024/final 是决算" in run.output
    assert not (data / "2025").exists()
