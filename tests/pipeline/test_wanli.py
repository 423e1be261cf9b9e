"""The proof: 上海市普陀区万里街道办事处's 2023 and 2024 部门预算, reproduced from their data.

Every figure of every published table and of the text must come out equal to the published
one, except where the published document contradicts itself: those places are listed in
KNOWN (and in examples/wanli/README.md) and must differ exactly there, nowhere else. The
published figures are read from the documents' text layer (tests/fixtures/wanli/*.txt,
pdftotext -layout of the published PDFs, whose tables were checked against the pages).
"""

from __future__ import annotations

import re
import shutil
import subprocess
from decimal import Decimal
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import ROOT, edit

from compiler import compile_year, parse_year_spec
from compiler.checks.plausibility import said_direction
from compiler.cli import main
from compiler.layout.tables import build
from compiler.numbers import money, percent2

DATA = ROOT / "examples" / "wanli" / "data"
PUBLISHED = ROOT / "tests" / "fixtures" / "wanli"
YEARS = ("2023", "2024")

TITLES = {  # table id → the words its title starts with in the text layer
    "overview": "年部门财务收支预算总表",
    "income": "年部门收入预算总表",
    "expenditure": "年部门支出预算总表",
    "fiscal_overview": "年部门财政拨款收支预算总表",
    "general_function": "年部门一般公共预算支出功能分类预算表",
    "fund_function": "年部门政府性基金预算支出功能分类预算表",
    "capital_function": "年部门国有资本经营预算支出功能分类预算表",
    "general_economic": "年部门一般公共预算基本支出部门预算经济分类预算表",
    "three_public": "“三公”经费和机关运行经费预算表",
}
NUM = r"\d{1,3}(?:,\d{3})+|\d+(?:\.\d+)?"
ROW = re.compile(
    r"^\s*(\d{3})(?:\s+(\d{1,2}))?(?:\s+(\d{1,2}))?\s+([^\d\s][^\d]*?)\s+((?:(?:"
    + NUM
    + r")\s*)+)$"
)
TOTAL = re.compile(r"^\s*(?:合计|收入总计)\s+(.*)$")

# The published documents' own contradictions: (year, place) → what is published. The data
# keeps the primary facts; the compiler prints what follows from them, so the outputs
# differ from the documents here and nowhere else.
KNOWN = {
    ("2023", "政府性基金比上年增减"): "增加1421.25万元 (the fund budget is 0 in both years)",
    ("2023", "item 3"): "增加314.82% (11.67 → 45.41 is 289.12%)",
    ("2023", "item 16"): "预算安排441.25万元, 增加60.54% (item 15's; the table gives 220.63)",
    ("2024", "item 4"): "reason 经费增加 for a 2.98% decrease",
    ("2024", "item 31"): "预算安排352.67万元 (the table gives 3,503,499元 = 350.35)",
    ("2023", "table 5 年度资金申请总额"): "10,903,043.00 (its parts add up to 11,419,043)",
    ("2023", "涉及项目预算资金"): "3328.13万元 (the five tables add up to 3351.33)",
}


def published_text(year: str) -> str:
    return (PUBLISHED / f"shanghai-putuo-wanli-{year}.txt").read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def models():
    out = {}
    for year in YEARS:
        result = compile_year(parse_year_spec(year, DATA))
        assert result.ok, [d.format_text() for d in result.diagnostics]
        out[year] = result.model
    return out


def table_sections(year: str) -> dict[str, str]:
    text = published_text(year).replace("\f", "\n")
    text = text[text.index("编制部门") - 200 :]  # after the contents page
    starts = sorted((text.index(t), tid) for tid, t in TITLES.items())
    end = text.index("其他相关情况说明", starts[-1][0])
    return {
        tid: text[pos : (starts[i + 1][0] - 4 if i + 1 < len(starts) else end)]
        for i, (pos, tid) in enumerate(starts)
    }


def published_rows(section: str) -> list[tuple[str, list[Decimal]]]:
    """(code, amounts) of each 类/款/项 row and ('合计', amounts) of the total row; a blank
    cell is not printed, so zeros are dropped on both sides before comparing."""
    rows = []
    for line in section.splitlines():
        m = ROW.match(line)
        if m:
            cls, kuan, item, _name, nums = m.groups()
            code = cls + (kuan.zfill(2) if kuan else "") + (item.zfill(2) if item else "")
            rows.append((code, _amounts(nums)))
        elif (t := TOTAL.match(line)) and re.fullmatch(
            r"(?:(?:" + NUM + r")\s*)+", t.group(1).strip()
        ):
            rows.append(("合计", _amounts(t.group(1))))
    return rows


def _amounts(text: str) -> list[Decimal]:
    return [v for v in (Decimal(n.replace(",", "")) for n in re.findall(NUM, text)) if v != 0]


def computed_rows(table) -> list[tuple[str, list[Decimal]]]:
    rows = []
    for row in table.body:
        codes = "".join(
            c.text for c, col in zip(row.cells, table.columns, strict=False) if col.format == "code"
        )
        amounts = [
            Decimal(c.text.replace(",", ""))
            for c in row.cells
            if c.format == "money" and c.text and Decimal(c.text.replace(",", "")) != 0
        ]
        rows.append(("合计" if row.kind == "total" else codes, amounts))
    return rows


# --- the nine tables --------------------------------------------------------------------


@pytest.mark.parametrize("year", YEARS)
@pytest.mark.parametrize("table_id", list(TITLES))
def test_every_table_row_equals_the_published_one(models, year, table_id):
    m = models[year]
    table = build(m.layout.tables[table_id], m)
    section = table_sections(year)[table_id]
    if table_id in ("overview", "fiscal_overview", "three_public"):
        # side-by-side and one-row tables: every printed amount, in order
        body = section.split("单位:万元", 1)[1] if table_id == "three_public" else section
        body = re.sub(r"\d{4}年", "", body.split("注:")[0].split("注：")[0])
        body = re.sub(r"[一二三四五六七八九十]、|\d\. ", "", body.split("\n", 3)[3])
        published = [n.replace(",", "") for n in re.findall(NUM, body)]
        computed = [
            c.text.replace(",", "") for r in table.body for c in r.cells if c.format == "money"
        ]
        assert published == [c for c in computed if c], table.title
        return
    published = published_rows(section)
    if table.empty:
        assert not [r for r in published if r[1]], f"{table.title} is published empty"
        assert table.note and table.note in published_text(year).replace(":", "：")
        return
    assert computed_rows(table) == published, table.title


def test_the_tables_cover_every_class_kuan_and_item(models):
    """Not a vacuous comparison: the published function tables have 66 rows a year."""
    for year in YEARS:
        rows = published_rows(table_sections(year)["expenditure"])
        assert len(rows) == 67  # 66 类/款/项 rows and 合计
        assert {len(code) for code, _ in rows} == {3, 5, 7, 2}


# --- the text -----------------------------------------------------------------------------

TEXT = {
    "2023": {
        "total": "16497.86", "fiscal": "16497.86", "fiscal_change": "1421.25",
        "three_public": "22.91", "vehicles": "21.56", "three_public_change": "0",
        "operating_costs": "786.09", "procurement": "830.00", "projects": 5,
        "funds": "3328.13",
    },
    "2024": {
        "total": "15621.11", "fiscal": "15621.11", "fiscal_change": "-876.75",
        "three_public": "47.91", "vehicles": "46.56", "three_public_change": "25",
        "operating_costs": "443.18", "procurement": "1662.44", "projects": 50,
        "funds": "5634.81",
    },
}  # fmt: skip


@pytest.mark.parametrize("year", YEARS)
def test_the_text_figures_equal_the_published_ones(models, year):
    m, expected = models[year], TEXT[year]
    e, tp = m.explanation, m.three_public
    assert money(e.total) == expected["total"]
    assert money(e.current.fiscal) == expected["fiscal"]
    assert money(e.fiscal_change.amount) == money(Decimal(expected["fiscal_change"]))
    assert money(tp.current.total) == expected["three_public"]
    assert money(tp.current.vehicles) == expected["vehicles"]
    assert tp.changes["total"].amount == Decimal(expected["three_public_change"])
    assert money(m.operating_costs.amount) == expected["operating_costs"]
    assert money(m.procurement.total) == expected["procurement"]
    assert m.goal_setting.projects == expected["projects"]
    assert money(m.goal_setting.funds) == expected["funds"]
    # the published fund-budget sentence: 2024 says 持平 as we do; 2023's is a contradiction
    fund = e.changes["fund_budget"]
    assert fund.amount == 0
    stated = re.search(r"政府性基金拨款支出预算0(?:\.00)?万元，比\d{4}年预算(持平|增加[\d.]+万元)",
                       _joined(year)).group(1)  # fmt: skip
    assert (stated == "持平") == ((year, "政府性基金比上年增减") not in KNOWN)


def _joined(year: str) -> str:
    return re.sub(r"\s*\n\s*", "", published_text(year))


ITEM = re.compile(
    r"(\d+)\. “[^”]+（项）”([\d.]+)万元，[^。]*。\d{4}年当年预算执行数为([\d.]+)万元，"
    r"\d{4}年预算安排([\d.]+)万元，比\d{4}年预算执行数(持平|(?:增加|减少)[\d. ]+%)。"
    r"主要原因是：([^。]+)。"
)


@pytest.mark.parametrize("year", YEARS)
def test_each_listed_item_equals_the_published_one_except_the_contradictions(models, year):
    """财政拨款支出主要内容: each 项's amount (twice), last year's figure, the change in words
    and percent, and the direction its reason names."""
    items = models[year].explanation.items
    published = ITEM.findall(_joined(year))
    assert len(published) == len(items) > 30
    differing = set()
    for (n, heading, previous, stated, change, reason), it in zip(published, items, strict=True):
        amount = money(it.amount)
        c = it.change
        words = "持平" if c.amount == 0 else c.direction + percent2(c.percent, "100.00")
        said = said_direction(reason)
        assert heading == amount, f"item {n}"
        assert Decimal(previous) == it.previous, f"item {n}"
        if stated != amount or change.replace(" ", "") != words or (said and said != c.direction):
            differing.add((year, f"item {n}"))
    assert differing == {k for k in KNOWN if k[0] == year and k[1].startswith("item")}


def test_the_2023_project_tables_and_their_contradictions(models):
    m = models["2023"]
    totals = {p.name: (p.funds.total, p.annual.total) for p in m.projects}
    assert totals["新建万里街道社区公共服务中心"] == (4100000, 4100000)
    assert totals["公共服务设施运行经费"] == (10903043, 11419043)  # published: 10,903,043.00
    assert sum(p.funds.total for p in m.projects) == Decimal("33513343")
    assert ("2023", "table 5 年度资金申请总额") in KNOWN and ("2023", "涉及项目预算资金") in KNOWN
    assert m.project_funding[0].annual_total == Decimal("410.00")


def test_validate_flags_the_contradictions_it_can_see():
    result = subprocess.run(
        ["python3", "-m", "compiler", "validate", "--data", str(DATA)],
        capture_output=True, text=True, cwd=ROOT,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    # each is acknowledged in the data (acknowledged.yaml): the document says so
    warnings = [line for line in result.stderr.splitlines() if ": acknowledged: " in line]
    assert len(warnings) == 7  # and four about texts printed with spaces or straight quotes
    printed = [w for w in warnings if "a space between" in w or "straight quotes" in w]
    assert len(printed) == 4
    assert ": warning: " not in result.stderr
    assert any("2024/line-notes.yaml" in w and "the reason says 增加" in w for w in warnings)
    assert any(
        "05-public-facility-operation.yaml" in w and "年度资金申请总额" in w for w in warnings
    )
    assert any("2023/goal-setting.yaml" in w and "3351.33" in w for w in warnings)


def test_the_readme_lists_every_contradiction():
    readme = (ROOT / "examples" / "wanli" / "README.md").read_text(encoding="utf-8")
    for year, place in KNOWN:
        row = next(
            (line for line in readme.splitlines() if line.startswith(f"| {year} | {place} |")), None
        )
        assert row is not None, f"examples/wanli/README.md has no row for {year} {place}"


# --- the outputs --------------------------------------------------------------------------


@pytest.fixture(scope="module")
def built(tmp_path_factory, pdf_layouts):
    """Both years built by the command, in this process (their PDFs laid out once a run:
    test_pdf_text.py and the browser's site read the same documents)."""
    out = tmp_path_factory.mktemp("wanli")
    with pdf_layouts.shared():
        result = CliRunner().invoke(
            main,
            ["build", "2023", "2024", "--data", str(DATA), "--out", str(out),
             "--format", "html,md,pdf,xlsx"],
            catch_exceptions=False,
        )  # fmt: skip
    assert result.exit_code == 0, result.output
    return out


@pytest.mark.slow
def test_the_pdf_prints_the_published_figures(built):
    text = subprocess.run(
        ["pdftotext", "-layout", str(built / "2024" / "disclosure.pdf"), "-"],
        capture_output=True, text=True, check=True,
    ).stdout  # fmt: skip
    joined = re.sub(r"\s+", "", text)
    for figure in ("156,211,123", "99,706,020", "56,505,103", "119,385,303", "88,537,451"):
        assert figure in text
    for sentence in (
        "收入预算15621.11万元，其中：财政拨款收入15621.11万元，比2023年预算减少876.75万元",
        "2023年当年预算执行数为60.13万元，2024年预算安排25.77万元，比2023年预算执行数减少57.14%",
        "“三公”经费预算数为47.91万元，比2023年预算增加25万元",
        "2024年预算安排350.35万元，比2023年预算执行数增加0.53%",
    ):
        assert sentence in joined, sentence
    assert "352.67" not in joined  # the published slip (item 31) is not reproduced
    info = subprocess.run(["pdfinfo", str(built / "2024" / "disclosure.pdf")],
                          capture_output=True, text=True, check=True).stdout  # fmt: skip
    assert re.search(r"Page size: +841\.8\d* x 595\.2\d* pts", info)  # landscape A4


def test_the_workbook_holds_the_tables_as_numbers(built):
    from openpyxl import load_workbook

    book = load_workbook(built / "2024" / "disclosure.xlsx")
    assert "部门支出总表" in book.sheetnames and "部门主要职能" in book.sheetnames
    ws = book["部门支出总表"]
    assert ws["A2"].value == "2024年部门支出预算总表"
    assert ws["I4"].value is None and ws.cell(4, 7).value == "单位：元"
    rows = list(ws.iter_rows(min_row=9, values_only=True))
    first = rows[0]
    assert first[:4] == ("201", None, None, "一般公共服务支出")
    assert first[4:7] == (2932700, 0, 2932700) and isinstance(first[4], int)
    assert ws.cell(9, 1).number_format == "@" and ws.cell(9, 5).number_format == "#,##0"
    total = next(r for r in rows if r[0] == "合计")
    assert total[4:7] == (156211123, 99706020, 56505103)
    assert ws.freeze_panes == "A9"
    assert "A6:D6" in {str(r) for r in ws.merged_cells.ranges}


def test_importing_the_workbook_gives_back_the_same_lines(built, tmp_path, cli):
    for year in YEARS:
        result = cli("import", str(built / year / "disclosure.xlsx"), "--year", year,
                     "--data", str(tmp_path))  # fmt: skip
        assert result.exit_code == 0, result.output
        imported = compile_lines(tmp_path / year / "lines.yaml")
        original = compile_lines(DATA / year / "lines.yaml")
        assert imported == original


def compile_lines(path: Path):
    from compiler.input.loader import load_text

    doc, problems = load_text(str(path), path.read_text(encoding="utf-8"))
    assert not problems
    data = doc.data
    function = sorted(
        (r["code"], r.get("source", "一般公共预算"), r.get("basic", 0), r.get("project", 0))
        for r in data["function"]
    )
    economic = sorted(
        (r["code"], r.get("personnel", 0), r.get("public", 0)) for r in data["economic"]
    )
    return data["amount_unit"], function, economic


def test_a_changed_line_moves_every_row_total_and_sentence(tmp_path):
    """One 项 line changed (行政运行 +100,000 元) moves its 款, 类, the totals, the basic
    column, the text's totals and the item itself, in every format."""
    data = tmp_path / "data"
    shutil.copytree(DATA, data)
    edit(data / "2024" / "lines.yaml", "basic: 16353248", "basic: 16453248")
    edit(data / "2024" / "lines.yaml", "personnel: 40683477", "personnel: 40783477")  # 30199
    result = compile_year(parse_year_spec("2024", data))
    assert result.ok, [d.format_text() for d in result.diagnostics]
    m = result.model
    rows = {r.code: r.amounts for r in m.lines.function_rows()}
    assert rows["2120101"].total == 16703248
    assert rows["21201"].total == 94550003 and rows["212"].total == 119485303
    assert m.lines.total == 156311123 and m.lines.basic == 99806020
    assert money(m.explanation.total) == "15631.11"
    out = tmp_path / "out"
    from compiler.publish.build import build_year

    built = build_year(parse_year_spec("2024", data), out, ("html", "md", "xlsx"))
    assert built.ok
    md = (out / "2024" / "disclosure.md").read_text(encoding="utf-8")
    html = (out / "2024" / "disclosure.html").read_text(encoding="utf-8")
    for text in (md, html):
        assert "156,311,123" in text and "156,211,123" not in text
        assert "119,485,303" in text and "94,550,003" in text
        assert "收入预算15631.11万元" in text and "比2023年预算减少866.75万元" in text
        assert "”1670.32万元" in text  # the item 行政运行
    from openpyxl import load_workbook

    ws = load_workbook(out / "2024" / "disclosure.xlsx")["部门收支总表"]
    assert 156311123 in [c.value for row in ws.iter_rows() for c in row]


def test_the_diff_of_the_two_years_shows_the_lines_and_the_totals_they_move(cli):
    result = cli("diff", "2023", "2024", "--data", str(DATA))
    assert result.exit_code == 1
    out = result.output
    moved = r"功能分类 2010507 一般公共预算 › 功能分类明细·项目支出 +601300\.00 → +257700\.00"
    assert re.search(moved, out)
    assert "- 预算明细 › 功能分类 2010506 一般公共预算" in out  # a line gone in 2024
    assert "+ 预算明细 › 功能分类 2059999 一般公共预算" in out  # a line new in 2024
    assert re.search(r"208 社会保障和就业支出 合计 \(computed\) +27073236\.00 → +19604064\.00", out)
    assert re.search(r"支出预算合计 \(computed\) +164978640\.00 → +156211123\.00", out)


def test_a_department_s_published_files_are_named_部门预算():
    from compiler.publish.site import publish_naming

    model = compile_year(parse_year_spec("2024", DATA)).model
    assert publish_naming(model, "pdf") == (
        "2024/上海市普陀区人民政府万里街道办事处_2024年部门预算信息公开.pdf"
    )
