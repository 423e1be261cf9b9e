"""Open data: every statutory table as CSV, the budget lines as fact tables and the model as
JSON, described by a datapackage.json that the real `frictionless` validator accepts."""

from __future__ import annotations

import csv
import io
import json
from decimal import Decimal
from pathlib import Path

import pytest
from conftest import ROOT

from compiler import compile_year, parse_year_spec
from compiler.layout.sections import shown_tables
from compiler.render.opendata import model_json, open_data

WANLI = ROOT / "examples" / "wanli" / "data"
DEPARTMENT = ROOT / "tests" / "data" / "department"


def _model(data: Path, year: str):
    result = compile_year(parse_year_spec(year, data))
    assert result.ok, [d.format_text() for d in result.diagnostics if d.is_error]
    return result.model


def _write(files: dict[str, bytes], folder: Path) -> Path:
    for rel, data in files.items():
        path = folder / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
    return folder / "datapackage.json"


def _rows(data: bytes) -> list[dict[str, str]]:
    assert data.startswith("\ufeff".encode()), "UTF-8 with a byte-order mark, for Excel"
    return list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"), newline="")))


def _validate(descriptor: Path):
    from frictionless import validate

    return validate(str(descriptor))


@pytest.fixture(scope="module")
def wanli_2024():
    model = _model(WANLI, "2024")
    return model, open_data(model)


def test_the_data_package_of_a_year_with_tables_validates(wanli_2024, tmp_path):
    model, files = wanli_2024
    report = _validate(_write(files, tmp_path))
    assert report.valid, report.flatten(["taskName", "rowNumber", "fieldName", "type", "note"])
    package = json.loads(files["datapackage.json"])
    names = [r["name"] for r in package["resources"]]
    assert names == [t.id.replace("_", "-") for t in shown_tables(model)] + [
        "function-lines",
        "economic-lines",
        "model",
    ]


def test_the_validator_rejects_a_tampered_file(wanli_2024, tmp_path):
    """The validation above can fail: a changed amount breaks the recorded hash, a code
    with a letter breaks its pattern."""
    _, files = wanli_2024
    descriptor = _write(files, tmp_path)
    lines = tmp_path / "function-lines.csv"
    text = lines.read_text("utf-8-sig").replace(",2010507,", ",201050X,", 1)
    lines.write_text(text, "utf-8-sig")
    report = _validate(descriptor)
    assert not report.valid
    problems = {row[1] for row in report.flatten(["fieldName", "type"])}
    assert {"hash-count", "constraint-error"} <= problems


def test_table_csv_has_text_codes_exact_amounts_and_names_its_unit(wanli_2024):
    _, files = wanli_2024
    rows = _rows(files["tables/income.csv"])
    header = list(rows[0])
    assert header[:2] == ["科目编码", "级次"]
    assert "收入预算·合计（元）" in header
    first = rows[0]
    assert (first["科目编码"], first["级次"], first["项目·功能分类科目编码·类"]) == (
        "201",
        "类",
        "201",
    )
    assert first["项目·功能分类科目名称"] == "一般公共服务支出"
    assert first["收入预算·合计（元）"] == "2932700"
    item = next(r for r in rows if r["科目编码"] == "2010507")
    assert (item["级次"], item["项目·功能分类科目编码·款"], item["项目·功能分类科目编码·项"]) == (
        "项",
        "05",
        "07",
    )
    total = rows[-1]
    assert (total["科目编码"], total["级次"], total["项目·功能分类科目名称"]) == (
        "",
        "合计",
        "合计",
    )
    assert total["收入预算·合计（元）"] == "156211123"
    three = _rows(files["tables/three_public.csv"])[0]
    # In 万元 as printed, exact to the fen (the page prints 25 and 0; the data says 25.00, 0.00).
    assert three["2024年“三公”经费预算数·公务用车购置及运行费·购置费（万元）"] == "25.00"
    assert three["2024年“三公”经费预算数·因公出国(境)费（万元）"] == "0.00"


def test_fact_tables_add_up_to_the_printed_totals_exactly(wanli_2024):
    model, files = wanli_2024
    function = _rows(files["function-lines.csv"])
    assert {r["year"] for r in function} == {"2024"}
    amounts = [Decimal(r["amount"]) for r in function]
    assert all("e" not in r["amount"].lower() for r in function), "no exponent: exact decimals"
    assert sum(amounts, Decimal(0)) == Decimal("156211123")
    project = sum(
        (Decimal(r["amount"]) for r in function if r["expenditure_type"] == "项目支出"),
        Decimal(0),
    )
    assert project == model.lines.project  # in 元, as the lines are
    row = next(r for r in function if r["function_item_code"] == "2010507")
    assert (row["function_class_code"], row["function_kuan_code"]) == ("201", "20105")
    assert (row["function_kuan_name"], row["function_item_name"]) == (
        "统计信息事务",
        "专项普查活动",
    )
    economic = _rows(files["economic-lines.csv"])
    basic = sum((Decimal(r["amount"]) for r in economic), Decimal(0))
    assert basic == model.lines.economic_totals().basic


def test_the_descriptor_gives_classifications_as_fiscal_dimensions(wanli_2024):
    _, files = wanli_2024
    package = json.loads(files["datapackage.json"])
    lines = next(r for r in package["resources"] if r["name"] == "function-lines")
    types = {f["name"]: f.get("columnType") for f in lines["schema"]["fields"]}
    assert types["function_class_code"] == "functional-classification:generic:level1:code"
    assert types["function_kuan_code"] == "functional-classification:generic:level2:code"
    assert types["function_item_code"] == "functional-classification:generic:level3:code"
    assert types["amount"] == "value"
    economic = next(r for r in package["resources"] if r["name"] == "economic-lines")
    types = {f["name"]: f.get("columnType") for f in economic["schema"]["fields"]}
    assert types["economic_kuan_code"] == "economic-classification:generic:level2:code"
    constants = {f["name"]: f["constant"] for f in lines["schema"]["extraFields"]}
    assert constants == {"currency": "CNY", "phase": "approved", "direction": "expenditure"}


def test_a_year_without_tables_still_publishes_its_model(model_2022, tmp_path):
    files = open_data(model_2022)
    assert sorted(files) == ["datapackage.json", "model.json"]
    assert files["model.json"].decode("utf-8") == model_json(model_2022), (
        "the same model.json as the PDF carries"
    )
    model = json.loads(files["model.json"])
    assert model["budget"]["income"]["general_budget"] == "9272.51"  # an exact decimal string
    report = _validate(_write(files, tmp_path))
    assert report.valid, report.flatten(["taskName", "type", "note"])


def test_a_department_publishes_each_units_tables_and_lines(tmp_path):
    model = _model(DEPARTMENT, "2025")
    files = open_data(model)
    assert "tables/income.csv" in files
    assert "units/01-office/tables/income.csv" in files
    assert "units/02-centre/tables/income.csv" in files
    lines = _rows(files["function-lines.csv"])
    assert {r["unit_name"] for r in lines} == {u.unit.full_name for u in model.units}
    total = sum((Decimal(r["amount"]) for r in lines), Decimal(0))
    assert total == model.lines.total
    report = _validate(_write(files, tmp_path))
    assert report.valid, report.flatten(["taskName", "rowNumber", "fieldName", "type", "note"])
