"""Messages name a document as a clerk does — 2024年度决算, 2024年度预算 — never by the
address a command takes (2024/final, which read "2024/final年度" in a sentence). One message
of each kind: the final accounts, the budget beside them, a revision, last year's final
accounts in a year's own check. On the made-up unit of tests/fixtures/final_budget."""

from __future__ import annotations

import shutil

import pytest
from click.testing import CliRunner
from fixtures.final_budget import budget_and_final

from compiler.cli import main
from compiler.i18n import document_name


@pytest.fixture
def data(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    return budget_and_final(tmp_path)


def run(*args: str):
    return CliRunner().invoke(main, list(args))


def test_the_final_accounts_are_named_as_such(data, chinese):
    result = run("correct", "2024/final", "--reason", "更正", "--data", str(data))
    assert result.exit_code == 2
    assert "错误：2024年度决算从未公开（没有 published/2024/final/manifest.json）" in result.stderr
    assert "2024/final年度" not in result.stderr


def test_the_budget_beside_them_is_named_the_budget(data, chinese):
    result = run("correct", "2024", "--reason", "更正", "--data", str(data))
    assert result.exit_code == 2
    assert "错误：2024年度预算从未公开" in result.stderr


def test_final_accounts_that_are_not_there(data, chinese):
    result = run("validate", "2031/final", "--data", str(data))
    assert "没有2031年度决算的数据" in result.output
    assert "2031/final年度" not in result.output


def test_last_years_final_accounts_with_errors_are_named_in_this_years_warning(data, chinese):
    shutil.copytree(data / "2024" / "final", data / "2025" / "final")
    (data / "2024" / "final" / "outturn.yaml").write_text("amount_unit: 万元\nincome: 1\n", "utf-8")
    result = run("validate", "2025/final", "--data", str(data))
    assert "2024年度决算的数据有错误，无法用作本年度的上年数" in result.output


def test_a_revision_is_named_after_the_document(chinese):
    assert document_name("2024/final@main") == "2024年度决算（main版本）"
    assert document_name("2023@HEAD~1") == "2023年度预算（HEAD~1版本）"
    assert document_name("units/office") == "units/office"  # not an address: as it is
