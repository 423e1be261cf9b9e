"""A year's budget against its final accounts, for a reviewer: `disclosure diff 2024
2024/final` and `disclosure outturn 2024` on the made-up unit with both documents
(tests/fixtures/final_budget): per 项 the 年初预算 from the budget, the 决算, the 完成率
(none against 0) and the unit's reason; the totals; text, md and json; diff's exit statuses."""

from __future__ import annotations

import json
import subprocess
from decimal import Decimal

from click.testing import CliRunner
from fixtures.final_budget import budget_and_final

from compiler import compile_year, parse_year_spec
from compiler.cli import main
from compiler.review.outturn import OutturnLine, outturn

D = Decimal


def _run(*args):
    return CliRunner().invoke(main, list(args))


def test_diff_of_a_budget_and_its_final_accounts_is_the_outturn_per_item(tmp_path, chinese):
    data = budget_and_final(tmp_path)
    run = _run("diff", "2024", "2024/final", "--data", str(data), "--no-color")
    assert run.exit_code == 1, run.output  # different, as diff(1)
    out = run.output
    assert out.startswith("--- 2024（预算）\n+++ 2024/final（决算）\n")
    line = next(x for x in out.splitlines() if "2120101 行政运行" in x)
    assert line.split()[-4:] == ["1660.32", "1650.00", "-10.32", "99.38%"]
    assert "      原因：示例原因。" in out
    same = next(x for x in out.splitlines() if "2210201 住房公积金" in x)
    assert not same.lstrip().startswith("~") and same.split()[-2:] == ["+0.00", "100.00%"]
    total = next(x for x in out.splitlines() if x.lstrip("~ ").startswith("合计"))
    assert total.split()[-4:] == ["15621.11", "2455.35", "-13165.76", "15.72%"]
    three = next(x for x in out.splitlines() if "“三公”经费合计" in x)
    assert three.split()[-4:] == ["47.91", "46.00", "-1.91", "96.01%"]
    assert "33 个项，其中 32 个决算数与年初预算不同（0 个超出，32 个未达）" in out
    # either order, and `outturn` says the same
    assert _run("diff", "2024/final", "2024", "--data", str(data), "--no-color").output == out
    assert _run("outturn", "2024", "--data", str(data), "--no-color").output == out


def test_json_and_markdown(tmp_path):
    data = budget_and_final(tmp_path)
    run = _run("outturn", "2024", "--data", str(data), "--format", "json")
    assert run.exit_code == 1
    doc = json.loads(run.output)
    assert doc["budget"] == {"label": "2024", "from": "budget"}
    assert doc["final"] == {"label": "2024/final"} and doc["same"] is False
    item = next(i for i in doc["items"] if i["code"] == "2120101")
    assert item == {
        "code": "2120101",
        "name": "行政运行",
        "path": ["城乡社区支出", "城乡社区管理事务", "行政运行"],
        "budget": "1660.32",
        "outturn": "1650.00",
        "difference": "-10.32",
        "rate": "99.38",
        "same": False,
        "reason": "示例原因。",
        "use": "示例用途",
    }
    unspent = next(i for i in doc["items"] if i["code"] == "2010507")
    assert unspent["outturn"] == "0.00" and unspent["rate"] == "0.00"
    assert doc["total"]["budget"] == "15621.11" and doc["total"]["rate"] == "15.72"
    overseas = doc["three_public"][0]
    assert overseas["code"] == "overseas" and overseas["rate"] is None  # 0 against 0
    md = _run("diff", "2024", "2024/final", "--data", str(data), "--format", "md").output
    assert "| **2120101 行政运行** | 1660.32 | 1650.00 | -10.32 | 99.38% | 示例原因。 |" in md
    assert "| 2210201 住房公积金 | 350.35 | 350.35 | +0.00 | 100.00% |  |" in md


def test_no_rate_against_a_budget_of_zero_and_the_same_figures_as_printed():
    new = OutturnLine("2010101", "行政运行", ("a", "b", "行政运行"), D(0), D("5.00"))
    assert new.rate is None and new.difference == D("5.00") and not new.same
    rounding = OutturnLine("2010101", "x", ("x",), D("350.3500"), D("350.35"))
    assert rounding.same and rounding.rate == D("100.00")


def test_the_figures_are_the_models(tmp_path):
    data = budget_and_final(tmp_path)
    final = compile_year(parse_year_spec("2024/final", data)).model.final
    budget = compile_year(parse_year_spec("2024", data)).model
    report = outturn(final, budget, "2024", "2024/final")
    assert {i.code: i.budget for i in report.items} == final.initial_budget
    for line in report.items:
        assert line.rate == final.item_against_budget(line.code).rate
    assert report.total.outturn == final.general_spending
    assert report.total.rate == final.against_budget.rate


def test_at_a_git_revision_and_the_exit_statuses(tmp_path):
    data = budget_and_final(tmp_path)
    git = ["git", "-C", str(tmp_path), "-c", "user.email=t@t", "-c", "user.name=t"]
    subprocess.run([*git, "init", "-q"], check=True)
    subprocess.run([*git, "add", "-A"], check=True)
    subprocess.run([*git, "commit", "-qm", "both"], check=True)
    path = data / "2024" / "final" / "outturn.yaml"
    path.write_text(
        path.read_text(encoding="utf-8")
        .replace("project: 50.00", "project: 40.00")
        .replace("general: 1650.00", "general: 1640.00"),
        encoding="utf-8",
    )
    at_head = _run("outturn", "2024@HEAD", "--data", str(data), "--format", "json")
    assert at_head.exit_code == 1
    doc = json.loads(at_head.output)
    assert doc["final"]["label"] == "2024/final@HEAD" and doc["budget"]["label"] == "2024@HEAD"
    assert next(i for i in doc["items"] if i["code"] == "2120101")["outturn"] == "1650.00"
    now = json.loads(
        _run("diff", "2024@HEAD", "2024/final", "--data", str(data), "--format", "json").output
    )
    assert next(i for i in now["items"] if i["code"] == "2120101")["outturn"] == "1640.00"
    # trouble: a budget against another year's final accounts, a year without final accounts
    assert _run("diff", "2023", "2024/final", "--data", str(data)).exit_code == 2
    assert _run("outturn", "2023", "--data", str(data)).exit_code == 2
