"""Open data of final accounts: the 决算 lines as Fiscal Data Package fact tables with the
phase "executed" (a budget's are "approved"), which the real frictionless validator accepts
and whose rows add up to the model's totals exactly."""

from __future__ import annotations

import csv
import io
import json
from decimal import Decimal
from pathlib import Path

import pytest
from conftest import ROOT
from fixtures.final_budget import budget_and_final

from compiler import compile_year, parse_year_spec
from compiler.render.opendata import open_data

EXAMPLES = {
    "finance": ROOT / "examples" / "putuo-finance-bureau" / "data",
    "planning": ROOT / "examples" / "putuo-planning-bureau" / "data",
}


def _rows(data: bytes) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"), newline="")))


def _write(files: dict[str, bytes], folder: Path) -> Path:
    for name, data in files.items():
        (folder / name).write_bytes(data)
    return folder / "datapackage.json"


@pytest.fixture(scope="module", params=sorted(EXAMPLES))
def case(request):
    model = compile_year(parse_year_spec("2024", EXAMPLES[request.param])).model
    return model, open_data(model)


def test_the_package_validates_and_its_phase_is_executed(case, tmp_path):
    from frictionless import validate

    _model, files = case
    report = validate(str(_write(files, tmp_path)))
    assert report.valid, report.flatten(["taskName", "rowNumber", "fieldName", "type", "note"])
    package = json.loads(files["datapackage.json"])
    assert [r["name"] for r in package["resources"]] == [
        "final-function-lines",
        "final-economic-lines",
        "model",
    ]
    assert package["title"].endswith("2024年决算公开数据")
    for resource in package["resources"][:2]:
        phase = {x["name"]: x["constant"] for x in resource["schema"]["extraFields"]}["phase"]
        assert phase == "executed"


def test_the_rows_add_up_to_the_models_totals(case):
    model, files = case
    f = model.final
    rows = _rows(files["final-function-lines.csv"])
    assert sum(Decimal(r["amount"]) for r in rows) == f.spending_this_year
    general = [r for r in rows if r["source"] == "一般公共预算"]
    assert sum(Decimal(r["amount"]) for r in general) == f.general_spending
    basic = [r for r in rows if r["expenditure_type"] == "基本支出"]
    assert sum(Decimal(r["amount"]) for r in basic) == f.spending_total()["basic"]
    economic = _rows(files["final-economic-lines.csv"])
    assert sum(Decimal(r["amount"]) for r in economic) == f.personnel + f.public


def test_budget_and_outturn_of_one_year_are_approved_and_executed(tmp_path):
    data = budget_and_final(tmp_path)
    phases = {}
    for spec in ("2024", "2024/final"):
        files = open_data(compile_year(parse_year_spec(spec, data)).model)
        package = json.loads(files["datapackage.json"])
        phases[spec] = {
            x["constant"]
            for r in package["resources"]
            if "schema" in r and "extraFields" in r["schema"]
            for x in r["schema"]["extraFields"]
            if x["name"] == "phase"
        }
    assert phases == {"2024": {"approved"}, "2024/final": {"executed"}}
