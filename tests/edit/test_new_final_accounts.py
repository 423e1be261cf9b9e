"""`disclosure new-year 2025/final`: a year's final accounts started from last year's, every
figure and reason blank for the clerk (validate lists each at its line), texts and layout
carried and marked in carried-over.yaml, no file for what the repository computes; refused
(exit 1, nothing written) when the folder exists or there is nothing to start from. On
copies of the Putuo finance bureau example and the made-up unit of tests/fixtures/final_budget,
in temporary folders; the made-up 2025 is never under data/ or examples/."""

from __future__ import annotations

import shutil
from decimal import Decimal
from pathlib import Path

import pytest
from click.testing import CliRunner
from fixtures.final_budget import budget_and_final
from fixtures.final_next_year import filled_2025, finance_copy

from compiler.cli import main
from compiler.input.loader import leaves, load_text


def run(*args: str):
    return CliRunner().invoke(main, list(args))


@pytest.fixture
def finance(tmp_path: Path) -> Path:
    return finance_copy(tmp_path)


def figures(path: Path) -> list:
    doc, _problems = load_text(str(path), path.read_text(encoding="utf-8"))
    return [(p, v) for p, v in leaves(doc.data) if isinstance(v, Decimal)]


def snapshot(folder: Path) -> dict:
    return {p.relative_to(folder): p.read_bytes() for p in folder.rglob("*") if p.is_file()}


def test_last_years_final_accounts_give_texts_and_layout_never_figures(finance):
    last_year = snapshot(finance / "2024")
    done = run("new-year", "2025/final", "--data", str(finance))
    assert done.exit_code == 0, done.output
    assert snapshot(finance / "2024") == last_year, "last year's files are left as they were"
    new = finance / "2025" / "final"
    assert sorted(p.name for p in new.iterdir()) == [
        "carried-over.yaml",
        "final-notes.yaml",
        "glossary.yaml",
        "initial-budget.yaml",  # no 2025 budget here to compute the 年初预算 from
        "outturn.yaml",
        "unit.yaml",
    ]  # no previous-final.yaml: 2024's final accounts are in the repository
    assert figures(new / "outturn.yaml") == []
    assert figures(new / "final-notes.yaml") == []
    assert figures(new / "initial-budget.yaml") == []
    assert "layout: shanghai-putuo-department-final" in (new / "unit.yaml").read_text("utf-8")
    notes = (new / "final-notes.yaml").read_text("utf-8")
    assert "use: 局本部人员经费及公用经费等的基本支出, reason: }" in notes  # use kept, reason blank
    carried = (new / "carried-over.yaml").read_text("utf-8")
    assert "from: 2024" in carried and "terms[0].term" not in carried  # a term is a name
    assert '{field: "terms[0].definition", text: "指单位本年度' in carried
    assert "holds no budget of 2025" in done.output
    assert "computed from " in done.output and "data/2024/final." in done.output

    checked = run("validate", "2025/final", "--data", str(finance))
    assert checked.exit_code == 1
    # 2010601's 一般公共预算 income, the first figure of outturn.yaml, at its line and column
    assert "data/2025/final/outturn.yaml:6:32: to fill:" in checked.output
    assert "outturn.yaml:1:1: warning" not in checked.output, "its schema path is this folder's"
    assert "expected a number" in checked.output
    assert "data/2024/final" not in checked.output, "last year's accounts stay valid"


def test_beside_the_years_budget_no_initial_budget_is_written(tmp_path):
    data = budget_and_final(tmp_path)
    assert run("new-year", "2025", "--data", str(data)).exit_code == 0  # the 2025 budget
    done = run("new-year", "2025/final", "--data", str(data))
    assert done.exit_code == 0, done.output
    new = data / "2025" / "final"
    assert not (new / "initial-budget.yaml").exists()
    assert not (new / "previous-final.yaml").exists()
    assert "The 年初预算 are computed from the year's budget in " in done.output
    assert "data/2025." in done.output
    assert (data / "2025" / "lines.yaml").is_file(), "the budget is left as it was"


def test_the_years_budget_started_after_its_final_accounts_goes_beside_them(tmp_path):
    data = budget_and_final(tmp_path)
    assert run("new-year", "2025/final", "--data", str(data)).exit_code == 0
    final = snapshot(data / "2025" / "final")
    done = run("new-year", "2025", "--data", str(data))  # the 2025 budget, second
    assert done.exit_code == 0, done.output
    assert (data / "2025" / "lines.yaml").is_file()
    assert snapshot(data / "2025" / "final") == final, "the final accounts are left as they were"
    again = run("new-year", "2025", "--data", str(data))
    assert again.exit_code == 2 and "already exists" in again.output  # never overwritten


def test_an_existing_final_is_never_overwritten(finance, chinese):
    (finance / "2025" / "final").mkdir(parents=True)
    (finance / "2025" / "final" / "outturn.yaml").write_text("amount_unit: 万元\n", "utf-8")
    done = run("new-year", "2025/final", "--data", str(finance))
    assert done.exit_code == 1
    assert (
        "data/2025/final 已存在" in done.output.replace("\n", "") and "2025年度决算" in done.output
    )
    assert (finance / "2025" / "final" / "outturn.yaml").read_text("utf-8") == "amount_unit: 万元\n"


def test_nothing_to_start_from_is_refused_and_nothing_written(tmp_path, chinese):
    data = budget_and_final(tmp_path)
    shutil.rmtree(data / "2024" / "final")  # budgets only: no final accounts to start from
    done = run("new-year", "2025/final", "--data", str(data))
    assert done.exit_code == 1
    assert "下没有2025年以前的决算" in done.output
    assert "--from YEAR/final" in done.output
    assert not (data / "2025").exists()


def test_a_budget_is_not_final_accounts_to_start_from(tmp_path, chinese):
    data = budget_and_final(tmp_path)
    done = run("new-year", "2025/final", "--from", "2024", "--data", str(data))
    assert done.exit_code == 1
    assert "--from 2024/final" in done.output
    assert not (data / "2025").exists()


def test_a_filled_skeleton_builds_with_its_own_figures(finance):
    """The clerk fills 2025 with 2024's figures but 10.00 万元 more 行政运行 basic spending:
    every total moves, and the text compares with 2024 computed from its final accounts."""
    filled_2025(finance)
    checked = run("validate", "2025", "--data", str(finance))
    assert checked.exit_code == 0 and "error" not in checked.output, checked.output
    out = finance.parent / "build"
    built = run("build", "2025", "--data", str(finance), "--format", "html,md", "--out", str(out))
    assert built.exit_code == 0, built.output
    md = next((out / "2025" / "final").glob("*.md")).read_text("utf-8")
    # 2024's computed 收入支出总计 is 2995.40 (its document prints 2995.39: README.md)
    assert "上海市普陀区财政局2025年度收入支出总计3005.40万元" in md
    assert "与2024年度相比，收入支出总计增加10.00万元，增长0.33%" in md


def test_keep_targets_is_for_a_budget(finance):
    done = run("new-year", "2025/final", "--keep-targets", "--data", str(finance))
    assert done.exit_code == 2
    assert "final accounts have none" in done.output
    assert not (finance / "2025").exists()


def test_a_layout_is_for_a_budget_from_nothing(finance):
    done = run(
        "new-year",
        "2025/final",
        "--layout",
        "shanghai-putuo-department-final",
        "--data",
        str(finance),
    )
    assert done.exit_code == 2
    assert "final accounts start from last year's" in done.output
    assert not (finance / "2025").exists()


def test_last_years_errors_come_first_and_nothing_is_written(finance, chinese):
    outturn = finance / "2024" / "final" / "outturn.yaml"
    outturn.write_text(
        outturn.read_text("utf-8").replace("  all: 49.14", "  all: 49.1x"), encoding="utf-8"
    )
    done = run("new-year", "2025/final", "--data", str(finance))
    assert done.exit_code == 1
    assert "data/2024/final/outturn.yaml:54:" in done.output  # the error at its line
    assert "2024年度决算的数据有错误，请先改正" in done.output
    assert not (finance / "2025").exists()
