"""Final accounts beside the same year's budget (a made-up unit, tests/fixtures/final_budget,
built in a temporary folder): the 年初预算 per 项 and the 三公 预算数 are the budget's, and a
年初预算 typed in final/ beside it is an error at its file and line, in Chinese."""

from __future__ import annotations

from decimal import Decimal

from click.testing import CliRunner
from fixtures.final_budget import budget_and_final

from compiler import compile_year, parse_year_spec
from compiler.cli import main
from compiler.publish.build import build_year

D = Decimal


def test_a_typed_initial_budget_beside_the_budget_is_an_error_at_its_line(tmp_path, chinese):
    data = budget_and_final(tmp_path, typed_initial_budget=True)
    assert compile_year(parse_year_spec("2024", data)).ok  # the budget itself is fine
    result = compile_year(parse_year_spec("2024/final", data))
    assert not result.ok
    [error] = [d for d in result.diagnostics if d.severity == "error"]
    assert error.location.file.endswith("2024/final/initial-budget.yaml")
    assert error.location.line == 2
    assert "请删除 final/initial-budget.yaml" in error.message
    run = CliRunner().invoke(main, ["validate", "2024/final", "--data", str(data)])
    assert run.exit_code == 1
    assert (
        "2024/final/initial-budget.yaml:2:1: 错误: 数据中已有本年度的预算，年初预算从预算明细"
        "计算得出：请删除 final/initial-budget.yaml（另行填写的年初预算可能与预算不一致）"
        in run.output
    ), run.output


def test_initial_budget_and_three_public_budget_come_from_the_budget(tmp_path):
    data = budget_and_final(tmp_path)
    result = compile_year(parse_year_spec("2024/final", data))
    assert result.ok and not result.diagnostics, [str(d) for d in result.diagnostics]
    f = result.model.final
    budget = compile_year(parse_year_spec("2024", data)).model
    assert f.initial_budget_from == "budget"
    lines = budget.lines
    expected = {}
    for line in lines.function_lines("general"):
        expected[line.code] = expected.get(line.code, D(0)) + lines.wan(line.total)
    assert f.initial_budget == expected
    assert f.initial_budget["2120101"] == D("1660.3248")  # 16,353,248 + 250,000 元
    current = budget.three_public.current
    assert {k: c.base for k, c in f.three_public.items() if k != "vehicles" and k != "total"} == {
        "overseas": current.overseas,
        "vehicle_purchase": current.vehicle_purchase,
        "vehicle_operation": current.vehicle_operation,
        "reception": current.reception,
    }
    assert f.three_public["total"].base == D("47.91")
    assert f.three_public["total"].rate == D("96.01")  # 46.00 / 47.91

    out = tmp_path / "build"
    assert build_year(parse_year_spec("2024/final", data), out, ("html", "md")).ok
    md = (out / "2024" / "final" / "disclosure.md").read_text(encoding="utf-8")
    assert "行政运行（项）。主要用于：示例用途。年初预算为1660.32万元，支出决算为1650.00万元" in md
    assert (
        "“三公”经费财政拨款支出年初预算为47.91万元，支出决算为46.00万元，完成年初预算的96.01%" in md
    )
    assert "未公开" not in md.split("财政拨款“三公”经费支出决算表")[1].split("###")[0]


def test_a_budget_with_errors_is_reported_not_passed_over(tmp_path, chinese):
    data = budget_and_final(tmp_path)
    lines = data / "2024" / "lines.yaml"
    lines.write_text(
        lines.read_text(encoding="utf-8").replace("amount_unit: 元", "amount_unit: 斤"),
        encoding="utf-8",
    )
    result = compile_year(parse_year_spec("2024/final", data))
    assert not result.ok
    [error] = [d for d in result.diagnostics if d.severity == "error"]
    assert error.location.file.endswith("data/2024") and "disclosure validate 2024" in error.message
    run = CliRunner().invoke(main, ["validate", "2024/final", "--data", str(data)])
    assert (
        "决算的年初预算从本年度预算取得，而本年度预算有错误：请运行 disclosure validate 2024 并改正"
        in run.output
    )


def test_the_schema_hint_of_a_final_file_outside_the_checkout_is_three_folders_up(tmp_path):
    data = budget_and_final(tmp_path)
    path = data / "2024" / "final" / "outturn.yaml"
    path.write_text(path.read_text(encoding="utf-8").split("\n", 1)[1], encoding="utf-8")
    result = compile_year(parse_year_spec("2024/final", data))
    [warning] = result.diagnostics
    assert warning.location.file.endswith("final/outturn.yaml")
    assert "$schema=../../../schemas/outturn.schema.json" in warning.message
