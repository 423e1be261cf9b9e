"""`disclosure import` of a 决算 workbook (issue 25): what `build --format xlsx` writes for
both Putuo 2024 final accounts imports back to the same outturn facts; each defect an
office's workbook can carry, made by changing one figure (or one table, consistently) of the
finance bureau's workbook, is refused with exit 1 at its cell with both figures, and nothing
is written; the 三公 预算数 agree with the year's budget where the repository holds it."""

from __future__ import annotations

import shutil
from decimal import Decimal
from pathlib import Path

import pytest
import yaml
from conftest import ROOT
from fixtures.final_budget import budget_and_final
from fixtures.workbooks import altered

from compiler import compile_year, parse_year_spec
from compiler.publish.build import build_year

FINANCE = ROOT / "examples" / "putuo-finance-bureau" / "data"
PLANNING = ROOT / "examples" / "putuo-planning-bureau" / "data"
OVERVIEW = "收入支出决算总表"
INCOME = "收入决算表"
EXPENDITURE = "支出决算表"
FISCAL = "财政拨款收入支出决算总表"
GENERAL = "一般公共预算财政拨款支出决算表"
ECONOMIC = "一般公共预算财政拨款基本支出决算表"
THREE_PUBLIC = "财政拨款“三公”经费支出决算表"


def workbook_of(data: Path, out: Path, spec: str = "2024") -> Path:
    assert build_year(parse_year_spec(spec, data), out, ("xlsx",)).ok
    return out / "2024" / "final" / "disclosure.xlsx"


@pytest.fixture(scope="module")
def finance_workbook(tmp_path_factory) -> Path:
    return workbook_of(FINANCE, tmp_path_factory.mktemp("finance"))


@pytest.fixture(scope="module")
def planning_workbook(tmp_path_factory) -> Path:
    return workbook_of(PLANNING, tmp_path_factory.mktemp("planning"))


def facts(final: Path) -> dict:
    """The outturn facts of a final/ folder, every amount a Decimal, zeros left out: what
    the model is built from (its comments and layout aside)."""

    def load(name):
        path = final / name
        return yaml.safe_load(path.read_text(encoding="utf-8")) if path.exists() else {}

    def amounts(entry, *keys):
        return {k: Decimal(str(v)) for k, v in entry.items() if k not in keys and Decimal(str(v))}

    d = load("outturn.yaml")
    return {
        "unit": d["amount_unit"],
        "income": {e["code"]: amounts(e, "code") for e in d.get("income", ())},
        "spending": {
            (e["code"], e["source"]): amounts(e, "code", "source") for e in d.get("spending", ())
        },
        "economic": {e["code"]: Decimal(str(e["amount"])) for e in d.get("economic", ())},
        "opening": amounts(d.get("opening", {})),
        "balances": amounts(d, "amount_unit", "income", "spending", "economic", "opening"),
        "three_public": amounts((load("final-notes.yaml").get("three_public") or {})["outturn"]),
        "three_public_budget": amounts(load("initial-budget.yaml").get("three_public") or {}),
        "initial_budget": load("initial-budget.yaml").get("general"),
    }


@pytest.mark.parametrize("example", ["finance", "planning"])
def test_the_example_s_workbook_imports_to_the_same_outturn(
    example, finance_workbook, planning_workbook, tmp_path, cli
):
    data, workbook = {
        "finance": (FINANCE, finance_workbook),
        "planning": (PLANNING, planning_workbook),
    }[example]
    copy = tmp_path / "data"
    shutil.copytree(data, copy)
    result = cli("import", str(workbook), "--year", "2024", "--data", str(copy), "--replace")
    assert result.exit_code == 0, result.output
    assert facts(copy / "2024" / "final") == facts(data / "2024" / "final")
    # the unit's words stay as written: only a figure that changed is set
    notes = "final-notes.yaml"
    text = (copy / "2024" / "final" / notes).read_text(encoding="utf-8")
    assert text == (data / "2024" / "final" / notes).read_text(encoding="utf-8")
    imported = compile_year(parse_year_spec("2024", copy))
    assert not [d for d in imported.diagnostics if d.is_error]
    original = compile_year(parse_year_spec("2024", data)).model.final
    assert imported.model.final.grand_total == original.grand_total
    assert imported.model.final.closing_all == original.closing_all


def test_the_two_published_marginals_of_basic_spending_are_a_warning(
    finance_workbook, tmp_path, cli
):
    """The finance bureau's 基本支出 is 2,336.92 by function 项 and 2,336.94 by economic 款
    (as published): both are facts of the data, so the import keeps them and says so."""
    result = cli("import", str(finance_workbook), "--year", "2024", "--data", str(tmp_path))
    assert result.exit_code == 0
    assert (
        f"{GENERAL}!F28: warning: 一般公共预算财政拨款基本支出 is 2336.92 by function 项 "
        f"({GENERAL}!F28) but 2336.94 by economic 款 ({ECONOMIC}!D23 + {ECONOMIC}!H23)"
        in result.stderr
    )


def test_a_first_year_keeps_the_three_public_budget_as_published(finance_workbook, tmp_path, cli):
    result = cli("import", str(finance_workbook), "--year", "2024", "--data", str(tmp_path))
    assert result.exit_code == 0, result.output
    final = tmp_path / "2024" / "final"
    assert (
        (final / "initial-budget.yaml")
        .read_text(encoding="utf-8")
        .endswith(
            "amount_unit: 万元\nthree_public: {overseas: 0.00, vehicle_purchase: 0.00, "
            "vehicle_operation: 0.00, reception: 0.95}\n"
        )
    )
    assert "three_public:\n  outturn: {overseas: 0.00" in (final / "final-notes.yaml").read_text(
        encoding="utf-8"
    )
    outturn = (final / "outturn.yaml").read_text(encoding="utf-8")
    assert '  - {code: "2010601", general: 1511.89, other: 0.01}' in outturn
    assert '  - {code: "2010601", source: general, basic: 1503.52, project: 8.37}' in outturn
    assert "opening:\n  all: 49.14\n  general: 21.63\n" in outturn
    assert "2940.06" not in outturn and "55.34" not in outturn  # totals, 年末: computed


def test_the_other_source_spending_is_what_the_fiscal_tables_leave(
    planning_workbook, tmp_path, cli
):
    """行政运行 (2120101): 1,096.91 of 基本支出 in the 支出决算表, 1,084.02 from 财政拨款."""
    result = cli("import", str(planning_workbook), "--year", "2024", "--data", str(tmp_path))
    assert result.exit_code == 0, result.output
    outturn = (tmp_path / "2024" / "final" / "outturn.yaml").read_text(encoding="utf-8")
    assert '  - {code: "2120101", source: other, basic: 12.89}' in outturn


# --- each defect refused at its cell ---------------------------------------------------------


def refused(cli, workbook: Path, tmp_path: Path, data: Path | None = None) -> str:
    data = data or tmp_path / "data"
    before = sorted(p.relative_to(data) for p in data.rglob("*")) if data.exists() else []
    result = cli("import", str(workbook), "--year", "2024", "--data", str(data))
    assert result.exit_code == 1, result.output
    assert "nothing written" in result.stderr
    assert "Traceback" not in result.output
    after = sorted(p.relative_to(data) for p in data.rglob("*")) if data.exists() else []
    assert after == before
    return result.stderr


def test_a_row_whose_total_is_not_its_sources(finance_workbook, tmp_path, cli):
    broken = altered(finance_workbook, tmp_path, {INCOME: {"E12": 1511.91}})
    err = refused(cli, broken, tmp_path)
    assert (
        f"{INCOME}!E12: error: 合计 is 1511.91, but 财政拨款 1511.89 + 上级补助收入 0 + 事业收入 0 "
        "+ 经营收入 0 + 附属单位上缴收入 0 + 其他收入 0.01 add up to 1511.90 (difference 0.01)"
        in err
    )


def test_a_class_row_that_is_not_its_rows(finance_workbook, tmp_path, cli):
    """201's 基本支出 one fen up, its 合计 too (the row adds up in itself)."""
    broken = altered(finance_workbook, tmp_path, {EXPENDITURE: {"F10": 1503.53, "E10": 2106.67}})
    err = refused(cli, broken, tmp_path)
    assert (
        f"{EXPENDITURE}!F10: error: 基本支出 is 1503.53, but the rows under 201 add up to "
        "1503.52 (difference 0.01)" in err
    )


def test_a_total_row_that_lost_a_fen(finance_workbook, tmp_path, cli):
    broken = altered(finance_workbook, tmp_path, {EXPENDITURE: {"E9": 2940.05, "F9": 2336.91}})
    err = refused(cli, broken, tmp_path)
    assert (
        f"{EXPENDITURE}!E9: error: 合计 is 2940.05, but the rows of the table add up to 2940.06"
        in err
    )
    assert f"{EXPENDITURE}!E9 gives 2940.05" in err or f"{OVERVIEW}!D34 2940.06" in err


def test_the_income_table_disagreeing_with_both_overviews(finance_workbook, tmp_path, cli):
    """行政运行's 财政拨款收入 0.10 up, its 款, 类 and 合计 rows with it: the table adds up
    in itself, but the overviews agree on the 财政拨款收入 it should show."""
    changes = {
        "F12": 1511.99, "E12": 1512.00, "F11": 2106.76, "E11": 2112.96,
        "F10": 2106.76, "E10": 2112.96, "F9": 2940.16, "E9": 2946.36,
    }  # fmt: skip
    broken = altered(finance_workbook, tmp_path, {INCOME: changes})
    err = refused(cli, broken, tmp_path)
    assert (
        f"{INCOME}!F9: error: 财政拨款收入: {INCOME}!F9 gives 2940.16, but {FISCAL}!B34、"
        f"{OVERVIEW}!B8 agree on 2940.06: correct {INCOME}!F9" in err
    )
    assert f"本年收入合计: the tables disagree ({OVERVIEW}!B34 2946.26、{INCOME}!E9 2946.36)" in err


def test_a_closing_balance_that_is_not_opening_plus_income_less_spending(
    finance_workbook, tmp_path, cli
):
    broken = altered(finance_workbook, tmp_path, {OVERVIEW: {"D36": 55.35, "D37": 2995.41}})
    err = refused(cli, broken, tmp_path)
    assert (
        f"{OVERVIEW}!D36: error: 年末结转和结余 is 55.35, but 年初结转和结余 49.14 + 本年收入合计 2946.26 + "
        "使用非财政拨款结余 0 − 本年支出合计 2940.06 − 结余分配 0 gives 55.34 (difference 0.01)"
        in err
    )


def test_a_fund_s_closing_balance_in_the_fiscal_overview(finance_workbook, tmp_path, cli):
    changes = {"E35": 21.64, "D35": 21.64, "E39": 2961.70, "D39": 2961.70}
    broken = altered(finance_workbook, tmp_path, {FISCAL: changes})
    err = refused(cli, broken, tmp_path)
    assert (
        f"{FISCAL}!E35: error: 年末结转和结余（一般公共预算财政拨款） is 21.64, but "
        "年初结转和结余（一般公共预算财政拨款） 21.63 + 一般公共预算财政拨款 2940.06 − "
        "本年支出合计 2940.06 gives 21.63" in err
    )


def with_formula(workbook: Path, tmp_path: Path, result: bool) -> Path:
    """The workbook with 收入决算表!F12 (行政运行's 财政拨款, 1511.89) a formula: with its
    result saved, as Excel saves it, or without (as a program writes one)."""
    import zipfile

    path = tmp_path / ("computed.xlsx" if result else "uncomputed.xlsx")
    cell = '<c r="F12" s="7" t="n"><v>1511.89</v></c>'
    formula = '<c r="F12" s="7"><f>1511.89</f>' + ("<v>1511.89</v>" if result else "") + "</c>"
    with zipfile.ZipFile(workbook) as source, zipfile.ZipFile(path, "w") as out:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename == "xl/worksheets/sheet2.xml":
                assert cell.encode() in data
                data = data.replace(cell.encode(), formula.encode())
            out.writestr(item, data)
    return path


def test_a_formula_without_its_result_is_refused_at_its_cell(finance_workbook, tmp_path, cli):
    """A formula's figure is what Excel saved with it; a formula saved without one (a
    program wrote it) read as an empty cell, and its figure was lost without a word."""
    err = refused(cli, with_formula(finance_workbook, tmp_path, result=False), tmp_path)
    assert f"{INCOME}!F12: error: this cell is a formula whose result the workbook" in err
    computed = with_formula(finance_workbook, tmp_path, result=True)
    result = cli("import", str(computed), "--year", "2024", "--data", str(tmp_path / "data"))
    assert result.exit_code == 0, result.output
    outturn = tmp_path / "data" / "2024" / "final" / "outturn.yaml"
    assert '{code: "2010601", general: 1511.89, other: 0.01}' in outturn.read_text("utf-8")


def test_a_file_that_is_no_workbook_is_a_data_error_at_its_name(tmp_path, cli):
    """A clerk who picks the wrong file (a PDF, a .xls renamed) gets exit 1 like any bad
    input, the file named (it was trouble, exit 2)."""
    wrong = tmp_path / "决算.xlsx"
    wrong.write_bytes(b"%PDF-1.7 not a workbook")
    result = cli("import", str(wrong), "--year", "2024", "--data", str(tmp_path / "data"))
    assert result.exit_code == 1, result.output
    assert f"{wrong}: error: cannot be opened as an Excel workbook (.xlsx)" in result.stderr
    assert "Traceback" not in result.output
    assert not (tmp_path / "data").exists()


def test_a_code_typed_twice(finance_workbook, tmp_path, cli):
    """信息化建设 2010607 typed as 2010602: the code of the row above it."""
    broken = altered(finance_workbook, tmp_path, {INCOME: {"C14": "02"}})
    err = refused(cli, broken, tmp_path)
    assert (
        f"{INCOME}!C14: error: 2010602 is written twice in this table (first at {INCOME}!C13)"
        in err
    )


def test_a_code_that_does_not_exist(finance_workbook, tmp_path, cli):
    broken = altered(finance_workbook, tmp_path, {EXPENDITURE: {"C15": "98"}})
    err = refused(cli, broken, tmp_path)
    assert f"{EXPENDITURE}!C15: error: 2010698 is not a code of the 2024 catalogue" in err


def test_a_wrong_name_beside_a_code(finance_workbook, tmp_path, cli):
    broken = altered(finance_workbook, tmp_path, {EXPENDITURE: {"D12": "一般行政管理事务"}})
    err = refused(cli, broken, tmp_path)
    assert (
        f"{EXPENDITURE}!D12: error: the name beside 2010601 is 一般行政管理事务, but the 2024 "
        "catalogue names 2010601 行政运行" in err
    )


def test_a_personnel_total_that_is_not_its_classes(finance_workbook, tmp_path, cli):
    broken = altered(finance_workbook, tmp_path, {ECONOMIC: {"D23": 2152.28}})
    err = refused(cli, broken, tmp_path)
    assert (
        f"{ECONOMIC}!D23: error: 人员经费合计 is 2152.28, but 301 工资福利支出 2082.86 + 303 "
        "对个人和家庭的补助 69.41 gives 2152.27" in err
    )


def test_a_three_public_budget_that_does_not_add_up(finance_workbook, tmp_path, cli):
    broken = altered(finance_workbook, tmp_path, {THREE_PUBLIC: {"A9": 0.96}})
    err = refused(cli, broken, tmp_path)
    assert f"{THREE_PUBLIC}!A9: error: 合计·预算数 is 0.96, but " in err
    assert "add up to 0.95 (difference 0.01)" in err


def test_an_amount_with_more_than_two_decimals(finance_workbook, tmp_path, cli):
    broken = altered(finance_workbook, tmp_path, {GENERAL: {"G13": 135.255}})
    err = refused(cli, broken, tmp_path)
    assert f"{GENERAL}!G13: error: 135.255 has more than two decimals" in err


def test_an_existing_outturn_is_kept_without_replace(finance_workbook, tmp_path, cli):
    copy = tmp_path / "data"
    shutil.copytree(FINANCE, copy)
    outturn = copy / "2024" / "final" / "outturn.yaml"
    before = outturn.read_bytes()
    result = cli("import", str(finance_workbook), "--year", "2024", "--data", str(copy))
    assert result.exit_code == 2
    assert "--replace" in result.stderr
    assert outturn.read_bytes() == before


def test_a_file_that_cannot_be_written_leaves_every_file_as_it_was(
    finance_workbook, tmp_path, cli, monkeypatch
):
    """outturn.yaml, final-notes.yaml and initial-budget.yaml are written as one set: a
    full disk while writing the second leaves the first unwritten too (each was renamed into
    place as soon as it was written before)."""
    import errno
    import os

    calls = []
    fsync = os.fsync

    def full_disk(fd):
        calls.append(fd)
        if len(calls) == 2:
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        return fsync(fd)

    monkeypatch.setattr(os, "fsync", full_disk)
    result = cli("import", str(finance_workbook), "--year", "2024", "--data", str(tmp_path))
    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.output
    final = tmp_path / "2024" / "final"
    assert not final.exists() or list(final.iterdir()) == []


@pytest.mark.parametrize(
    "file, change, message",
    [
        ("final-notes.yaml", ("\nthree_public:", "\nthree_public: ["), "indented"),
        ("final-notes.yaml", ("\nthree_public:", "\nthree_public: &a"), "&a"),
        ("initial-budget.yaml", ("amount_unit: 万元", "amount_unit: 万"), "amount_unit is 万"),
        ("initial-budget.yaml", None, "this file holds no fields"),
    ],
)
def test_a_file_whose_figures_are_set_must_be_readable_first(
    finance_workbook, tmp_path, cli, file, change, message
):
    """The import sets the 三公 figures among the clerk's own words in final-notes.yaml and
    initial-budget.yaml: one it cannot read as the clerk wrote it is an error at its line,
    nothing written (a YAML slip was an internal error, exit 2; amount_unit 万 turned the
    0.95 万元 预算数 into 9500.00, exit 0)."""
    copy = tmp_path / "data"
    shutil.copytree(FINANCE, copy)
    path = copy / "2024" / "final" / file
    if change is None:
        path.write_text("- 1\n", encoding="utf-8")
    else:
        text = path.read_text(encoding="utf-8")
        assert change[0] in text
        path.write_text(text.replace(change[0], change[1], 1), encoding="utf-8")
    before = {p: p.read_bytes() for p in (copy / "2024" / "final").iterdir()}
    result = cli(
        "import", str(finance_workbook), "--year", "2024", "--data", str(copy), "--replace"
    )
    assert result.exit_code == 1, result.output
    assert f"{file}:" in result.stderr and message in result.stderr, result.stderr
    assert "nothing written" in result.stderr
    assert {p: p.read_bytes() for p in (copy / "2024" / "final").iterdir()} == before


# --- beside the year's budget ---------------------------------------------------------------


@pytest.fixture()
def budget_repository(tmp_path) -> tuple[Path, Path]:
    data = budget_and_final(tmp_path)
    return data, workbook_of(data, tmp_path / "build", "2024/final")


def test_beside_the_budget_the_three_public_budget_is_checked_not_written(
    budget_repository, tmp_path, cli
):
    data, workbook = budget_repository
    result = cli("import", str(workbook), "--year", "2024", "--data", str(data), "--replace")
    assert result.exit_code == 0, result.output
    assert not (data / "2024" / "final" / "initial-budget.yaml").exists()
    assert compile_year(parse_year_spec("2024/final", data)).ok


def test_a_three_public_budget_other_than_the_budget_s(budget_repository, tmp_path, cli):
    """公务接待费 预算数 one 万元 up (and the 合计 with it): the budget's figure is named."""
    data, workbook = budget_repository
    from openpyxl import load_workbook

    sheet = load_workbook(workbook)[THREE_PUBLIC]
    changes = {"K9": sheet["K9"].value + 1, "A9": sheet["A9"].value + 1}
    broken = altered(workbook, tmp_path, {THREE_PUBLIC: changes})
    err = refused(cli, broken, tmp_path, data)
    assert (
        f"{THREE_PUBLIC}!K9: error: 公务接待费 预算数 is {Decimal(str(changes['K9']))} 万元, but "
        "this year's budget (" in err
    )
    assert f"gives {Decimal(str(sheet['K9'].value))} 万元" in err


# --- the round trip, for any lines ----------------------------------------------------------

from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

CODES = ("2010601", "2010602", "2080505", "2120101", "2210201")
cents = st.integers(min_value=0, max_value=500_000_00).map(lambda n: Decimal(n) / 100)


@st.composite
def outturn_lines(draw):
    """Lines a unit's final accounts can hold: 一般公共预算 income and spending by 项, other
    income (上级补助, 事业, 其他) and spending from other sources beside them, perhaps a
    政府性基金 项, two economic 款, and balances carried in large enough that nothing closes
    below zero."""
    income, spending = [], []
    for code in draw(st.lists(st.sampled_from(CODES), min_size=1, max_size=4, unique=True)):
        entry = {"code": code, "general": draw(cents)}
        for source in draw(st.lists(st.sampled_from(("superior", "business", "other")),
                                    max_size=2, unique=True)):  # fmt: skip
            entry[source] = draw(cents)
        income.append(entry)
        spending.append({"code": code, "source": "general", "basic": draw(cents),
                         "project": draw(cents)})  # fmt: skip
        if draw(st.booleans()):
            spending.append({"code": code, "source": "other", "basic": draw(cents)})
    economic = [{"code": "30101", "amount": draw(cents)}, {"code": "30201", "amount": draw(cents)}]
    opening_fund = Decimal(0)
    if draw(st.booleans()):  # a 政府性基金 项 beside them: each 项 spends from one fund only
        for line in spending:
            line["project"] = max(line.get("project", Decimal(0)), Decimal("0.01"))
        fund_in, fund_out = draw(cents), draw(cents) + Decimal("0.01")
        income.append({"code": "2120803", "fund": fund_in})
        spending.append({"code": "2120803", "source": "fund", "project": fund_out})
        opening_fund = max(Decimal(0), fund_out - fund_in) + draw(cents)

    def total(entries, keys):
        return sum((e.get(k, Decimal(0)) for e in entries for k in keys), Decimal(0))

    general_in = total(income, ("general",))
    other_in = total(income, ("superior", "business", "other"))
    general_out = total([e for e in spending if e["source"] == "general"], ("basic", "project"))
    other_out = total([e for e in spending if e["source"] == "other"], ("basic",))
    opening_general = max(Decimal(0), general_out - general_in) + draw(cents)
    opening = opening_general + opening_fund + max(Decimal(0), other_out - other_in) + draw(cents)
    opening = {"all": opening, "general": opening_general, "fund": opening_fund}
    return income, spending, economic, opening


def outturn_text(income, spending, economic, opening) -> str:
    def entry(e):
        return "  - {" + ", ".join(f'{k}: "{v}"' if k == "code" else f"{k}: {v}"
                                   for k, v in e.items()) + "}"  # fmt: skip

    return "\n".join([
        "amount_unit: 万元", "income:", *map(entry, income), "spending:", *map(entry, spending),
        "economic:", *map(entry, economic), "opening:",
        *(f"  {k}: {v}" for k, v in opening.items()),
    ]) + "\n"  # fmt: skip


def without_zeros(entries, keep=("code", "source")) -> list[dict]:
    out = []
    for e in entries:
        figures = {k: v for k, v in e.items() if k not in keep and v}
        if figures:
            out.append({**{k: e[k] for k in keep if k in e}, **figures})
    return out


@settings(derandomize=True, database=None, max_examples=8, deadline=None)
@given(outturn_lines())
def test_importing_what_the_final_workbook_writer_wrote_gives_the_same_lines(lines):
    import tempfile

    from fixtures.final_budget import FINAL

    from compiler.edit.final_import import read_final_book
    from compiler.edit.import_tables import open_workbook
    from compiler.render.xlsx_final import render_final_xlsx

    income, spending, economic, opening = lines
    with tempfile.TemporaryDirectory() as tmp:
        final = Path(tmp) / "data" / "2024" / "final"
        final.mkdir(parents=True)
        for name, text in FINAL.items():
            (final / name).write_text(text, encoding="utf-8")
        (final / "outturn.yaml").write_text(outturn_text(*lines), encoding="utf-8")
        result = compile_year(parse_year_spec("2024", Path(tmp) / "data"))
        assert not [d.format_text() for d in result.diagnostics if d.is_error]
        workbook = Path(tmp) / "final.xlsx"
        workbook.write_bytes(render_final_xlsx(result.model))
        imported = read_final_book(open_workbook(workbook), workbook, 2024)
        assert [p.format_text() for p in imported.problems if p.is_error] == []
        assert imported.income == sorted(without_zeros(income, ("code",)), key=lambda e: e["code"])
        order = {"general": 0, "fund": 1, "other": 2}
        assert imported.spending == sorted(
            without_zeros(spending), key=lambda e: (e["code"], order[e["source"]])
        )
        assert imported.economic == without_zeros(economic, ("code",))
        assert imported.opening == {k: v for k, v in opening.items() if v}
        assert imported.three_public == {"overseas": 0, "vehicle_purchase": Decimal("25"),
                                         "vehicle_operation": 20, "reception": 1}  # fmt: skip
        assert imported.three_public_budget is None  # 未公开: no 年初预算 in the data


def test_the_clerk_reads_the_problem_in_chinese(finance_workbook, tmp_path, cli, chinese):
    broken = altered(finance_workbook, tmp_path, {OVERVIEW: {"D36": 55.35, "D37": 2995.41}})
    data = tmp_path / "data"
    result = cli("import", str(broken), "--year", "2024", "--data", str(data))
    assert result.exit_code == 1
    assert (
        f"{OVERVIEW}!D36: 错误: 年末结转和结余为 55.35，但 年初结转和结余 49.14 + 本年收入合计 "
        "2946.26 + 使用非财政拨款结余 0 − 本年支出合计 2940.06 − 结余分配 0 算得 55.34（相差 "
        "0.01）：请改正有误的数字" in result.stderr
    )
    assert "未写入任何文件" in result.stderr and not data.exists()


def test_a_fiscal_item_missing_from_the_expenditure_table(finance_workbook, tmp_path, cli):
    """财政委托业务支出 2010608 typed as 其他财政事务支出 2010699 in the 一般公共预算 table
    (code and name): every sum still holds, but the 支出决算表 has no such 项."""
    changes = {"C14": "99", "D14": "其他财政事务支出"}
    broken = altered(finance_workbook, tmp_path, {GENERAL: changes})
    err = refused(cli, broken, tmp_path)
    assert (
        f"{GENERAL}!C14: error: 2010699 has spending in this table but no row in the 支出决算表"
        in err
    )


def test_the_fund_table_is_needed_where_the_fund_has_figures(tmp_path, cli):
    """A unit with 政府性基金 spending: its workbook without the fund's table is refused (its
    spending could not be told from other sources')."""
    from fixtures.final_budget import FINAL
    from openpyxl import load_workbook

    income = [{"code": "2120101", "general": Decimal("100.00")},
              {"code": "2120803", "fund": Decimal("30.00")}]  # fmt: skip
    spending = [{"code": "2120101", "source": "general", "basic": Decimal("100.00")},
                {"code": "2120803", "source": "fund", "project": Decimal("30.00")}]  # fmt: skip
    economic = [{"code": "30101", "amount": Decimal("100.00")}]
    final = tmp_path / "data" / "2024" / "final"
    final.mkdir(parents=True)
    for name, text in FINAL.items():
        (final / name).write_text(text, encoding="utf-8")
    text = outturn_text(income, spending, economic, {"all": Decimal("5.00")})
    (final / "outturn.yaml").write_text(text, encoding="utf-8")
    workbook = workbook_of(tmp_path / "data", tmp_path / "build")
    whole = cli("import", str(workbook), "--year", "2024", "--data", str(tmp_path / "again"))
    assert whole.exit_code == 0, whole.output
    again = (tmp_path / "again" / "2024" / "final" / "outturn.yaml").read_text(encoding="utf-8")
    assert '  - {code: "2120803", source: fund, project: 30.00}' in again
    book = load_workbook(workbook)
    del book["政府性基金预算财政拨款收入支出决算表"]
    book.save(tmp_path / "without.xlsx")
    err = refused(cli, tmp_path / "without.xlsx", tmp_path)
    assert "no sheet holds the 政府性基金预算财政拨款收入支出决算表" in err


# --- the official template's layout ----------------------------------------------------------

FUND = "政府性基金预算财政拨款收入支出决算表"
CAPITAL = "国有资本经营预算财政拨款收入支出决算表"


def as_template(workbook: Path, path: Path) -> Path:
    """The workbook laid out as the official template prints its tables (shanghai-2024-
    department-final-template): a code table's 类/款/项 as one column of whole codes headed
    功能分类科目编码 (the 基本支出 table's 经济分类科目编码), the fund tables' 本年支出 over
    合计/基本支出/项目支出, the title in the first row and no merged cells in those tables."""
    from openpyxl import Workbook, load_workbook

    source, out = load_workbook(workbook), Workbook()
    out.remove(out.active)
    for ws in source.worksheets:
        new = out.create_sheet(ws.title)
        if ws.title in (INCOME, EXPENDITURE, GENERAL, FUND, CAPITAL):
            width = ws.max_column
            new.append([ws["A2"].value])
            new.append([None] * (width - 3) + ["单位：万元"])
            new.append(["功能分类科目编码", "科目名称", *(c.value for c in ws[6][4:])])
            new.append([None, None, *("合计" if c.value == "小计" else c.value for c in ws[7][4:])])
            for row in ws.iter_rows(min_row=9):
                code = "".join(str(c.value or "") for c in row[:3]) or None
                new.append([code, *(c.value for c in row[3:])])
        elif ws.title == ECONOMIC:
            new.append([ws["A2"].value])
            new.append([None] * 5 + ["单位：万元"])
            new.append(["经济分类科目编码", "科目名称", "决算数"] * 2)
            for row in ws.iter_rows(min_row=8):
                v = [c.value for c in row]
                if v[0] == "人员经费合计":
                    new.append(["人员经费合计", None, v[3], "公用经费合计", None, v[7]])
                    continue
                left, right = (v[0] or "") + (v[1] or ""), (v[4] or "") + (v[5] or "")
                new.append([left or None, v[2], v[3], right or None, v[6], v[7]])
        else:
            for row in ws.iter_rows():
                for c in row:
                    if c.value is not None:
                        new[c.coordinate] = c.value
            for merged in ws.merged_cells.ranges:
                new.merge_cells(str(merged))
    out.save(path)
    return path


@pytest.mark.parametrize("example", ["finance", "planning"])
def test_a_workbook_laid_out_as_the_template_imports_alike(
    example, finance_workbook, planning_workbook, tmp_path, cli
):
    data, workbook = {
        "finance": (FINANCE, finance_workbook),
        "planning": (PLANNING, planning_workbook),
    }[example]
    template = as_template(workbook, tmp_path / "template.xlsx")
    copy = tmp_path / "data"
    shutil.copytree(data, copy)
    result = cli("import", str(template), "--year", "2024", "--data", str(copy), "--replace")
    assert result.exit_code == 0, result.output
    assert facts(copy / "2024" / "final") == facts(data / "2024" / "final")


def test_a_wrong_whole_code_in_the_template_layout(finance_workbook, tmp_path, cli):
    """The template's one code column: 行政运行 2010601 typed 2010698, at its cell."""
    template = as_template(finance_workbook, tmp_path / "template.xlsx")
    broken = altered(template, tmp_path, {EXPENDITURE: {"A8": "2010698"}})
    err = refused(cli, broken, tmp_path)
    assert f"{EXPENDITURE}!A8: error: 2010698 is not a code of the 2024 catalogue" in err


def test_a_budget_with_errors_is_reported_not_passed_over(budget_repository, tmp_path, cli):
    """The 三公 预算数 are set against the year's budget: a budget that does not validate is
    named, and nothing is written."""
    data, workbook = budget_repository
    lines = data / "2024" / "lines.yaml"
    text = lines.read_text(encoding="utf-8").replace("amount_unit: 元", "amount_unit: 斤")
    lines.write_text(text, encoding="utf-8")
    err = refused(cli, workbook, tmp_path, data)
    assert "the budget has errors; run `disclosure validate 2024`" in err


def test_told_that_the_workbook_is_final(finance_workbook, tmp_path, cli):
    """--final with a workbook whose titles say nothing of 决算: it is read as final accounts
    (and what it lacks is named), not as a budget."""
    from openpyxl import load_workbook

    book = load_workbook(finance_workbook)
    for ws in book.worksheets:
        ws["A2"] = ws["A2"].value.replace("决算", "")  # 收入支出总表 …
    book.save(tmp_path / "untitled.xlsx")
    data = tmp_path / "data"
    result = cli("import", str(tmp_path / "untitled.xlsx"), "--year", "2024", "--data",
                 str(data), "--final")  # fmt: skip
    assert result.exit_code == 1
    assert "no sheet holds the 收入支出决算总表" in result.stderr
    assert not data.exists()
