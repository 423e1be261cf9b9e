"""`disclosure import` refuses a workbook that does not add up (issue 23): each defect an
office's workbook can carry, made by changing one figure (or one table, consistently) of
the tool's own workbook of examples/wanli 2024, is refused with exit 1 at its cell with
both figures, and nothing is written. And what `build --format xlsx` writes imports back to
the same lines, for any lines."""

from __future__ import annotations

import shutil
from decimal import Decimal
from pathlib import Path

import pytest
from conftest import ROOT, edit
from fixtures.workbooks import altered

from compiler import compile_year, parse_year_spec
from compiler.publish.build import build_year

WANLI = ROOT / "examples" / "wanli" / "data"
OFFICE = ROOT / "tests" / "data" / "department" / "2025" / "units" / "01-office"

EXPENDITURE = "部门支出总表"
INCOME = "部门收入总表"
GENERAL = "部门一般公共预算拨款表"
ECONOMIC = "部门一般公共预算拨款基本支出明细表"
THREE_PUBLIC = "部门“三公”经费和机关运行费预算表"


@pytest.fixture(scope="module")
def wanli_workbook(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("wanli-workbook")
    assert build_year(parse_year_spec("2024", WANLI), out, ("xlsx",)).ok
    return out / "2024" / "disclosure.xlsx"


@pytest.fixture(scope="module")
def office_workbook(tmp_path_factory) -> Path:
    """The made-up 行政单位 in the unit layout, whose 收支总表 shows 人员经费/公用经费."""
    root = tmp_path_factory.mktemp("office")
    data = root / "data"
    shutil.copytree(OFFICE, data / "2025")
    for path in (data / "2025").glob("*.yaml"):
        edit(path, "../../../../../../schemas/", "../../schemas/")
    assert build_year(parse_year_spec("2025", data), root / "out", ("xlsx",)).ok
    return root / "out" / "2025" / "disclosure.xlsx"


def refused(cli, workbook: Path, tmp_path: Path, year: str = "2024") -> str:
    data = tmp_path / "data"
    result = cli("import", str(workbook), "--year", year, "--data", str(data))
    assert result.exit_code == 1, result.output
    assert "nothing written" in result.stderr
    assert "Traceback" not in result.output
    assert not (data / year / "lines.yaml").exists()
    return result.stderr


def test_the_tool_s_own_workbooks_import(wanli_workbook, office_workbook, tmp_path, cli):
    for workbook, year in ((wanli_workbook, "2024"), (office_workbook, "2025")):
        result = cli("import", str(workbook), "--year", year, "--data", str(tmp_path))
        assert result.exit_code == 0, result.output
        assert result.stderr == ""


def test_a_row_whose_total_is_not_basic_plus_project(wanli_workbook, tmp_path, cli):
    broken = altered(wanli_workbook, tmp_path, {EXPENDITURE: {"E59": 16603249}})
    err = refused(cli, broken, tmp_path)
    assert (
        f"{EXPENDITURE}!E59: error: 合计 is 16603249, but 基本支出 16353248 + 项目支出 250000 "
        "add up to 16603248" in err
    )
    # the income and the function tables agree on the figure the office should restore
    assert f"{INCOME}!E59、{GENERAL}!E59" in err or f"{GENERAL}!E59" in err


def test_a_project_amount_printed_in_the_basic_column_of_tables_3_and_5(
    wanli_workbook, tmp_path, cli
):
    """行政运行 (2120101): 100,000 元 of its basic expenditure moved to project in the
    expenditure table and the 一般公共预算 table alike; the rows above it were not."""
    move = {"F59": 16253248, "G59": 350000}
    broken = altered(wanli_workbook, tmp_path, {EXPENDITURE: move, GENERAL: move})
    err = refused(cli, broken, tmp_path)
    assert (
        f"{EXPENDITURE}!F58: error: 基本支出 is 76609000, but the rows under 21201 add up to "
        "76509000" in err
    )
    assert f"{GENERAL}!G58: error: 项目支出 is 17841003, but the rows under 21201 add up to " in err


def test_a_total_row_that_lost_34_fen(wanli_workbook, tmp_path, cli):
    broken = altered(wanli_workbook, tmp_path, {EXPENDITURE: {"E75": 156211122.66}})
    err = refused(cli, broken, tmp_path)
    assert (
        f"{EXPENDITURE}!E75: error: 合计 is 156211122.66, but the rows of the table add up to "
        "156211123 (difference -0.34)" in err
    )
    assert f"{EXPENDITURE}!E75 gives 156211122.66, but " in err and "agree on 156211123" in err


def test_a_class_row_off_by_one_yuan_is_an_error(wanli_workbook, tmp_path, cli):
    broken = altered(wanli_workbook, tmp_path, {EXPENDITURE: {"E57": 119385304}})
    err = refused(cli, broken, tmp_path)
    assert (
        f"{EXPENDITURE}!E57: error: 合计 is 119385304, but the rows under 212 add up to "
        "119385303 (difference 1)" in err
    )


def test_a_workbook_of_another_year_is_refused(wanli_workbook, tmp_path, cli):
    """2024's workbook imported with --year 2023 (with --replace it overwrote 2023's lines
    without a word): each title that names 2024 is an error at its cell, nothing written."""
    err = refused(cli, wanli_workbook, tmp_path, year="2023")
    assert (
        f"{GENERAL}!A2: error: the title is of 2024 (2024年部门一般公共预算支出功能分类预算表), "
        "but the figures would be written to 2023 (--year 2023)" in err
    ), err


def test_a_code_typed_twice(wanli_workbook, tmp_path, cli):
    """城管执法 2120104 typed as 2120199: the row after it is the same code."""
    broken = altered(wanli_workbook, tmp_path, {GENERAL: {"C61": "99"}})
    err = refused(cli, broken, tmp_path)
    assert (
        f"{GENERAL}!C62: error: 2120199 is written twice in this table (first at {GENERAL}!C61)"
        in err
    )
    assert f"{GENERAL}!D61: error: the name beside 2120199 is 城管执法" in err


def test_a_wrong_name_beside_a_code(wanli_workbook, tmp_path, cli):
    broken = altered(wanli_workbook, tmp_path, {EXPENDITURE: {"D59": "一般行政管理事务"}})
    err = refused(cli, broken, tmp_path)
    assert (
        f"{EXPENDITURE}!D59: error: the name beside 2120101 is 一般行政管理事务, but the 2024 "
        "catalogue names 2120101 行政运行" in err
    )


def test_a_code_that_does_not_exist(wanli_workbook, tmp_path, cli):
    broken = altered(wanli_workbook, tmp_path, {EXPENDITURE: {"C59": "98"}})
    err = refused(cli, broken, tmp_path)
    assert f"{EXPENDITURE}!C59: error: 2120198 is not a code of the 2024 catalogue" in err


def test_table_5_disagreeing_with_tables_2_and_3(wanli_workbook, tmp_path, cli):
    """The 一般公共预算 table adds up in itself, but gives 行政运行 one 元 more than the
    income and expenditure tables: the figure they agree on is named."""
    changes = {
        "E59": 16603249, "F59": 16353249,  # 行政运行
        "E58": 94450004, "F58": 76609001,  # 21201
        "E57": 119385304, "F57": 76609001,  # 212
        "E75": 156211124, "F75": 99706021,  # 合计
    }  # fmt: skip
    broken = altered(wanli_workbook, tmp_path, {GENERAL: changes})
    err = refused(cli, broken, tmp_path)
    assert (
        f"{GENERAL}!E59: error: 2120101 行政运行 财政拨款: {GENERAL}!E59 gives 16603249, but "
        f"{EXPENDITURE}!E59、{INCOME}!F59 agree on 16603248: correct {GENERAL}!E59" in err
    )


def test_an_amount_with_more_than_two_decimals(wanli_workbook, tmp_path, cli):
    broken = altered(wanli_workbook, tmp_path, {EXPENDITURE: {"G60": 17591003.125}})
    err = refused(cli, broken, tmp_path)
    assert f"{EXPENDITURE}!G60: error: 17591003.125 has more than two decimals" in err


def test_three_public_below_what_basic_expenditure_gives_it(wanli_workbook, tmp_path, cli):
    """公务用车运行费 20 万元 (its row adds up), but 30231 in basic expenditure is 215,600 元."""
    changes = {"F9": 20, "D9": 45, "A9": 46.35}
    broken = altered(wanli_workbook, tmp_path, {THREE_PUBLIC: changes})
    err = refused(cli, broken, tmp_path)
    assert (
        f"{THREE_PUBLIC}!F9: error: 公务用车运行费 is 20 万元, less than the 215600 元 that "
        f"basic expenditure alone gives to 30231 at {ECONOMIC}!D35" in err
    )


def test_a_personnel_split_that_does_not_match_table_8(office_workbook, tmp_path, cli):
    """收支总表: 100,000 元 of 201's 人员经费 moved to 公用经费, row and total alike."""
    overview = "单位收支总表"
    changes = {"E10": 1700000, "F10": 550000, "E17": 2020000, "F17": 550000}
    broken = altered(office_workbook, tmp_path, {overview: changes})
    err = refused(cli, broken, tmp_path, "2025")
    assert (
        f"{overview}!E17: error: 人员经费: the tables disagree ({overview}!E17 2020000、"
        "单位一般公共预算拨款基本支出明细表!E16 2120000)" in err
    )


def test_the_split_is_kept(office_workbook, tmp_path, cli):
    """The unit's function lines give 人员经费/公用经费 per 项; its workbook shows them by
    类 only (收支总表): they come back by 类, and the tables print the same."""
    result = cli("import", str(office_workbook), "--year", "2025", "--data", str(tmp_path))
    assert result.exit_code == 0, result.output
    text = (tmp_path / "2025" / "lines.yaml").read_text(encoding="utf-8")
    assert '  - {code: "2010301", basic: 2250000}' in text
    assert "class_split:" in text
    assert '  - {code: "201", personnel: 1800000, public: 450000}' in text
    assert '  - {code: "208", personnel: 320000}' in text


def test_a_float_of_excel_is_read_to_the_fen():
    from compiler.edit.import_tables import amount

    problems: list = []
    assert amount(0.1 + 0.2, "x!A1", problems) == Decimal("0.3")
    assert amount(2250000.1, "x!A1", problems) == Decimal("2250000.1")
    assert amount(250000.0, "x!A1", problems) == Decimal("250000")
    assert str(amount("1,234.50", "x!A1", problems)) == "1234.50"
    assert problems == []
    assert amount(1.005, "x!A1", problems) == 0 and "more than two decimals" in problems[0].message


# --- the round trip, for any lines ----------------------------------------------------------

from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

CENTRE = ROOT / "tests" / "data" / "department" / "2025" / "units" / "02-centre"
CODES = ("2010301", "2010302", "2010350", "2080505", "2080506", "2120101", "2130104")
FISCAL_SOURCES = ("一般公共预算", "政府性基金预算", "国有资本经营预算")
OTHER = ("事业收入", "事业单位经营收入", "其他收入")  # the Putuo 收入总表's other columns
cents = st.integers(min_value=0, max_value=2_000_000_00).map(lambda n: Decimal(n) / 100)


@st.composite
def budget_lines(draw):
    """Lines a Putuo unit workbook can show: any codes and fiscal sources, at most one
    other source a 项 (the tables cannot divide two), basic split or not; the economic
    lines give the 一般公共预算 basic expenditure (as they must) by four 款."""
    function = []
    for code in draw(st.lists(st.sampled_from(CODES), min_size=1, max_size=5, unique=True)):
        sources = draw(st.lists(st.sampled_from(FISCAL_SOURCES), max_size=2, unique=True))
        sources += draw(st.lists(st.sampled_from(OTHER), max_size=1))
        for source in sources or ["一般公共预算"]:
            line = {"code": code, "source": source, "project": draw(cents)}
            if draw(st.booleans()):
                line["personnel"], line["public"] = draw(cents), draw(cents)
            else:
                line["basic"] = draw(cents)
            if not any(v for k, v in line.items() if k not in ("code", "source")):
                line["project"] = Decimal(1)
            function.append(line)
    general = [ln for ln in function if ln["source"] == "一般公共预算"]
    basic = sum((ln.get("basic", 0) + ln.get("personnel", 0) + ln.get("public", 0)
                 for ln in general), Decimal(0))  # fmt: skip
    if all("basic" not in ln for ln in general):
        personnel = sum((ln["personnel"] for ln in general), Decimal(0))
    else:
        personnel = (basic * draw(st.integers(0, 100)) / 100).quantize(Decimal("0.01"))
    public = basic - personnel
    p1 = (personnel * draw(st.integers(0, 100)) / 100).quantize(Decimal("0.01"))
    q1 = (public * draw(st.integers(0, 100)) / 100).quantize(Decimal("0.01"))
    economic = [
        {"code": "30101", "personnel": p1},
        {"code": "30102", "personnel": personnel - p1},
        {"code": "30201", "public": q1},
        {"code": "30205", "public": public - q1},
    ]
    return function, [e for e in economic if any(v for k, v in e.items() if k != "code")]


def lines_yaml(function, economic, class_split=()) -> str:
    def entry(e):
        return "  - {" + ", ".join(f'{k}: "{v}"' if k == "code" else f"{k}: {v}"
                                   for k, v in e.items()) + "}"  # fmt: skip

    out = ["amount_unit: 元", "function:", *map(entry, function)]
    if economic:
        out += ["economic:", *map(entry, economic)]
    if class_split:
        out += ["class_split:", *map(entry, class_split)]
    return "\n".join(out) + "\n"


def shown(function, economic) -> tuple:
    """The lines as a unit's workbook shows them: basic unsplit by 项, and 人员/公用 by 类
    where every line of the 类 gives them."""
    lines, classes = [], {}
    for ln in function:
        basic = ln.get("basic", Decimal(0)) + ln.get("personnel", 0) + ln.get("public", 0)
        lines.append((ln["code"], ln["source"], basic, ln.get("project", Decimal(0))))
        part = classes.setdefault(ln["code"][:3], [Decimal(0), Decimal(0), Decimal(0), True])
        part[0] += basic
        if "basic" in ln:
            part[3] = False
        else:
            part[1] += ln["personnel"]
            part[2] += ln["public"]
    split = sorted((c, p, q) for c, (b, p, q, known) in classes.items() if known and b)
    econ = sorted((e["code"], e.get("personnel", 0), e.get("public", 0)) for e in economic)
    return sorted(ln for ln in lines if ln[2] or ln[3]), econ, split


def read_back(text: str) -> tuple:
    from compiler.input.loader import load_text

    doc, problems = load_text("lines.yaml", text)
    assert not problems
    d = doc.data
    function = sorted(
        (r["code"], r.get("source", "一般公共预算"), r.get("basic", 0), r.get("project", 0))
        for r in d["function"]
    )
    economic = sorted(
        (r["code"], r.get("personnel", 0), r.get("public", 0)) for r in d.get("economic", ())
    )
    split = sorted(
        (r["code"], r.get("personnel", 0), r.get("public", 0)) for r in d.get("class_split", ())
    )
    return function, economic, split


@settings(derandomize=True, database=None, max_examples=12, deadline=None)
@given(budget_lines())
def test_importing_what_the_workbook_writer_wrote_gives_the_same_lines(lines):
    import tempfile

    from compiler.edit.importer import read_workbook, to_yaml
    from compiler.render.xlsx import render_xlsx

    function, economic = lines
    with tempfile.TemporaryDirectory() as tmp:
        data = Path(tmp) / "data"
        shutil.copytree(CENTRE, data / "2025")
        (data / "2025" / "lines.yaml").write_text(lines_yaml(function, economic), "utf-8")
        model = compile_year(parse_year_spec("2025", data)).model
        workbook = Path(tmp) / "lines.xlsx"
        workbook.write_bytes(render_xlsx(model))
        imported = read_workbook(workbook, 2025)
        assert [p.format_text() for p in imported.problems] == []
        text = to_yaml(imported, "../../schemas/lines.schema.json")
        assert read_back(text) == shown(function, economic)
        # and the imported lines print the same workbook
        (data / "2025" / "lines.yaml").write_text(text, "utf-8")
        again = compile_year(parse_year_spec("2025", data)).model
        assert render_xlsx(again) == workbook.read_bytes()


def test_validate_names_a_split_the_tables_print_and_the_lines_do_not_give(tmp_path, cli):
    """The unit layout's 收支总表 prints 人员经费/公用经费 by 类: lines that write basic
    without class_split would leave them blank: an error naming what to add (issue 24 part
    4: never blank cells); class_split mends it."""
    data = tmp_path / "data"
    shutil.copytree(CENTRE, data / "2025")
    for path in (data / "2025").glob("*.yaml"):
        edit(path, "../../../../../../schemas/", "../../schemas/")
    lines = data / "2025" / "lines.yaml"
    edit(lines, '{code: "2010350", personnel: 900000, public: 150000}',
         '{code: "2010350", basic: 1050000}')  # fmt: skip
    result = cli("validate", "2025", "--data", str(data))
    assert result.exit_code == 1
    assert (
        "lines.yaml:4:30: error: function: 财务收支预算总表 prints 人员经费 and 公用经费 by 类, "
        "but the lines of 类 201 give basic expenditure unsplit (basic) and no class_split "
        "gives them: add class_split entries for 类 201" in result.stderr
    )
    text = lines.read_text(encoding="utf-8")
    lines.write_text(text + 'class_split:\n  - {code: "201", personnel: 900000, public: 150001}\n')
    result = cli("validate", "2025", "--data", str(data))
    assert result.exit_code == 1
    assert (
        "personnel 900000 + public 150001 = 1050001 元, but the basic expenditure the lines of "
        "类 201 write is 1050000 元" in result.stderr
    )
    lines.write_text(text + 'class_split:\n  - {code: "201", personnel: 900000, public: 150000}\n')
    result = cli("validate", "2025", "--data", str(data))
    assert result.exit_code == 0 and "warning" not in result.stderr, result.stderr
