"""Two editions of a year's final accounts compared (`disclosure diff 2024/final@REV
2024/final`): the 决算 facts under the names their tables give them, keyed by code, and
the totals they move marked computed; a final accounts' model compared with itself is the
same. On the made-up unit with a budget and final accounts (tests/fixtures/final_budget)."""

from __future__ import annotations

import json
import subprocess

from click.testing import CliRunner
from fixtures.final_budget import budget_and_final

from compiler import compile_year, parse_year_spec
from compiler.cli import main
from compiler.review.diff import diff_models


def _committed(tmp_path):
    data = budget_and_final(tmp_path)
    git = ["git", "-C", str(tmp_path), "-c", "user.email=t@t", "-c", "user.name=t"]
    subprocess.run([*git, "init", "-q"], check=True)
    subprocess.run([*git, "add", "-A"], check=True)
    subprocess.run([*git, "commit", "-qm", "2024 final"], check=True)
    return data


def test_final_accounts_at_a_revision_against_the_working_tree(tmp_path, chinese):
    data = _committed(tmp_path)
    same = CliRunner().invoke(main, ["diff", "2024/final@HEAD", "--data", str(data)])
    assert same.exit_code == 0, same.output  # one argument: the same in the working tree
    path = data / "2024" / "final" / "outturn.yaml"
    path.write_text(
        path.read_text(encoding="utf-8")
        .replace("project: 50.00", "project: 40.00")
        .replace("general: 1650.00", "general: 1640.00"),
        encoding="utf-8",
    )
    notes = data / "2024" / "final" / "final-notes.yaml"
    notes.write_text(
        notes.read_text(encoding="utf-8").replace("示例原因。", "示例的原因。"), encoding="utf-8"
    )
    run = CliRunner().invoke(
        main, ["diff", "2024/final@HEAD", "2024/final", "--data", str(data), "--no-color"]
    )
    assert run.exit_code == 1, run.output
    out = run.output
    assert out.startswith("--- 2024/final@HEAD\n+++ 2024/final\n\n决算\n")
    assert (
        "收入决算 › 2120101 行政运行 › 一般公共预算财政拨款" in out and "1650.00 → 1640.00" in out
    )
    assert "支出决算 › 2120101 行政运行 一般公共预算财政拨款 › 项目支出" in out
    assert "合计 › 本年支出合计（计算所得）" in out
    assert "说明 › 各项用途与原因 › 2120101 行政运行 › 原因" in out
    assert "原因：示例原因。 → 示例的原因。" in out
    doc = json.loads(
        CliRunner()
        .invoke(
            main, ["diff", "2024/final@HEAD", "2024/final", "--data", str(data), "--format", "json"]
        )
        .output
    )
    paths = {c["path"]: c for c in doc["changes"]}
    change = paths["final.支出决算.2120101 行政运行 一般公共预算财政拨款.项目支出"]
    assert (change["old"], change["new"], change["derived"]) == ("50.00", "40.00", False)
    assert paths["final.合计.本年支出合计"]["derived"] is True


def test_a_final_accounts_model_compared_with_itself_is_the_same(tmp_path):
    data = budget_and_final(tmp_path)
    model = compile_year(parse_year_spec("2024/final", data)).model
    assert diff_models(model, model).same
