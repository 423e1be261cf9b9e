"""Layouts as data, unit types, a department and its units, completeness (issue 10).

Made-up units and departments only: tests/data/department (a Shanghai department with two
units) and fixtures.departments.hebei_department (a Hebei department made from the
structure of data/2022, built in a temporary folder).
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from conftest import DATA, ROOT, edit, line_of
from fixtures.departments import hebei_department, hebei_unit_with_lines

from compiler import compile_year, parse_year_spec
from compiler.layout.manifest import available_layouts, check_manifest, load_layout
from compiler.layout.sections import plan
from compiler.publish.build import build_year
from compiler.render.environment import environment

DEPARTMENT = ROOT / "tests" / "data" / "department"
WANLI = ROOT / "examples" / "wanli" / "data"


def compiled(data: Path, year: str = "2025"):
    result = compile_year(parse_year_spec(year, data))
    assert result.ok, [d.format_text() for d in result.diagnostics]
    return result.model


def errors(data: Path, year: str = "2025") -> list[str]:
    result = compile_year(parse_year_spec(year, data))
    return [d.format_text() for d in result.diagnostics if d.is_error]


# --- layouts are data --------------------------------------------------------------------


@pytest.mark.parametrize("name", available_layouts())
def test_every_layout_loads_and_has_its_templates(name):
    assert check_manifest(name) == []
    layout = load_layout(name)
    assert layout.sections and layout.document_title
    for kind in ("html", "md"):
        env = environment(kind, layout)
        env.get_template(f"{kind}/base.{kind}.j2")
        for section in layout.all_sections():
            if section.id != "other" or kind:
                env.get_template(f"{kind}/sections/{section.template}.{kind}.j2")
    for section in layout.all_sections():
        assert set(section.tables) <= set(layout.tables)
    assert set(layout.statutory_tables) <= set(layout.tables)


def test_the_layouts_we_ship():
    assert {
        "hebei-unit",
        "hebei-department",
        "shanghai-putuo-unit",
        "shanghai-putuo-department",
        "shanghai-putuo-department-2023",
    } <= set(available_layouts())
    assert load_layout("shanghai-putuo-department").amount_unit == "元"
    assert load_layout("hebei-unit").amount_unit == "万元"


def test_an_unknown_layout_is_an_error_at_its_line(tmp_path):
    data = tmp_path / "data"
    shutil.copytree(DATA / "2022", data / "2022")
    edit(data / "2022" / "unit.yaml", "layout: hebei-unit", "layout: hebei-unti")
    found = errors(data, "2022")
    assert len(found) == 1
    assert re.match(r".*/unit\.yaml:2:9: error: layout: unknown layout 'hebei-unti'", found[0])
    assert "hebei-unit" in found[0]  # the layouts there are


def _toc(year: str) -> list[str]:
    """The contents page of the published document: 一、… and 1. …表 lines."""
    text = (ROOT / "tests" / "fixtures" / "wanli" / f"shanghai-putuo-wanli-{year}.txt").read_text(
        encoding="utf-8"
    )
    contents = text.split("目", 1)[1].split("目    录", 1)[-1]
    entries = []
    for line in contents.splitlines():
        words = line.split("…")[0].strip()
        if re.match(r"[一二三四五六七八九]、", words):
            entries.append(words)
        elif m := re.match(r"(\d)\s*[.．]\s*(\S+)", words):
            entries.append(f"{m.group(1)}. {m.group(2)}")
        elif entries and "主要职能" in line and "、" not in line:
            break  # the first page after the contents
    return entries


@pytest.mark.parametrize("year", ["2023", "2024"])
def test_wanli_renders_its_published_sections_in_order(tmp_path, year):
    result = build_year(parse_year_spec(year, WANLI), tmp_path, ("md",))
    assert result.ok
    md = (tmp_path / year / "disclosure.md").read_text(encoding="utf-8")
    contents = md.split("## 目录", 1)[1].split("\n## ", 1)[0]
    ours = [
        re.sub(r"^\s*-\s*|^\s+", "", line).replace("\\", "")
        for line in contents.splitlines()
        if line.strip()
    ]
    published = [e.replace("．", ".") for e in _toc(year)]
    assert ours == published


def test_wanli_pages_carry_the_published_titles(tmp_path):
    build_year(parse_year_spec("2024", WANLI), tmp_path, ("md",))
    md = (tmp_path / "2024" / "disclosure.md").read_text(encoding="utf-8")
    for title in (
        "## 上海市普陀区人民政府万里街道办事处（部门）主要职能",
        "## 上海市普陀区人民政府万里街道办事处（部门）机构设置",
        "## 名词解释",
        "## 2024年部门预算编制说明",
        "## 其他相关情况说明",
        "### 一、2024年“三公”经费预算情况说明",
        "### 五、国有资产占有使用情况",
        "## 项目经费情况说明",
    ):
        assert title in md


# --- unit types and empty parts ----------------------------------------------------------


@pytest.fixture(scope="module")
def department_built(tmp_path_factory):
    out = tmp_path_factory.mktemp("department")
    result = build_year(parse_year_spec("2025", DEPARTMENT), out, ("html", "md"))
    assert result.ok, [d.format_text() for d in result.compiled.diagnostics]
    return out / "2025"


def test_a_public_institution_prints_the_statements_for_what_it_has_not(department_built):
    md = (department_built / "units" / "02-centre" / "disclosure.md").read_text(encoding="utf-8")
    other = md.split("## 其他相关情况说明", 1)[1]
    assert "### 二、机关运行经费预算\n\n本单位无机关运行经费。" in other
    assert "### 三、政府采购预算情况\n\n示例区示例服务中心2025年度未安排政府采购预算。" in other
    assert "本单位2025年和2024年均无财政拨款安排的“三公”经费预算。" in other
    assert "注：本单位2025年无“三公”经费和机关运行经费预算，故本表为空表。" in md
    # 事业收入 is a 事业单位's income: it has its column and its line
    assert "事业收入20.00万元" in md
    assert "| 201 | 03 | 50 | 事业运行 | 1,250,000 | 1,050,000 | 200,000 | 0 | 0 |" in md


def test_an_administrative_unit_computes_its_operating_costs(department_built):
    md = (department_built / "units" / "01-office" / "disclosure.md").read_text(encoding="utf-8")
    # 机关运行经费 = 一般公共预算基本支出的公用经费 (30201 330,000 + 30231 120,000 元)
    assert "财政拨款的机关运行经费预算为45.00万元" in md
    assert "2025年机关运行经费预算数 |" in md


def test_a_unit_managed_like_the_civil_service_has_operating_costs(tmp_path):
    """参照公务员法管理的事业单位: a 事业单位 (事业收入 allowed) with 机关运行经费, as the layout's
    applies_to says; the department's 机关运行经费 adds it."""
    data = tmp_path / "data"
    shutil.copytree(DEPARTMENT, data)
    unit = data / "2025" / "units" / "02-centre" / "unit.yaml"
    edit(unit, "type: 事业单位", "type: 参照公务员法管理的事业单位")
    result = build_year(parse_year_spec("2025", data), tmp_path / "out", ("md",))
    assert result.ok, [d.format_text() for d in result.compiled.diagnostics]
    md = (tmp_path / "out" / "2025" / "units" / "02-centre" / "disclosure.md").read_text("utf-8")
    assert "本单位无机关运行经费。" not in md
    assert "财政拨款的机关运行经费预算为15.00万元" in md  # 30201 公用经费 150,000 元
    assert "事业收入20.00万元" in md
    department = (tmp_path / "out" / "2025" / "disclosure.md").read_text("utf-8")
    assert "财政拨款的机关运行经费预算为60.00万元" in department  # 45.00 + 15.00


def test_business_income_is_refused_for_an_administrative_unit(tmp_path):
    data = tmp_path / "data"
    shutil.copytree(DEPARTMENT, data)
    lines = data / "2025" / "units" / "01-office" / "lines.yaml"
    edit(
        lines,
        '{code: "2010302", project: 500000}',
        '{code: "2010302", source: 事业收入, project: 500000}',
    )
    found = errors(data)
    line = line_of(lines, "2010302")
    assert any(
        f"01-office/lines.yaml:{line}:" in e and "事业收入 is income of a 事业单位" in e
        for e in found
    )


@pytest.mark.parametrize("source", ["上年结转", "财政专户管理资金"])
def test_a_source_the_shanghai_tables_have_no_column_for_is_an_error(tmp_path, source):
    """Shanghai's tables (as the official workbook) show 财政拨款, 事业收入, 事业单位经营收入 and
    其他收入 only: an amount of another source would count in 合计 and be shown nowhere."""
    data = tmp_path / "data"
    shutil.copytree(DEPARTMENT, data)
    lines = data / "2025" / "units" / "02-centre" / "lines.yaml"
    edit(
        lines,
        '  - {code: "2010350", source: 事业收入, project: 200000}\n',
        '  - {code: "2010350", source: 事业收入, project: 200000}\n'
        f'  - {{code: "2010350", source: {source}, project: 70000}}\n',
    )
    found = errors(data)
    line = line_of(lines, source)
    column = lines.read_text("utf-8").splitlines()[line - 1].index(source) + 1
    assert [e for e in found if "have no column for" in e] == [
        f"{lines}:{line}:{column}: error: function[2].source: the statutory tables of the layout shanghai-putuo-unit "
        f"have no column for {source}: this amount would count in the totals but be shown "
        "nowhere, so the tables would not add up; give the source the tables show it under "
        "(一般公共预算、政府性基金预算、国有资本经营预算、事业收入、事业单位经营收入、其他收入)"
    ]


def test_operating_costs_of_a_public_institution_are_refused(tmp_path):
    data = tmp_path / "data"
    shutil.copytree(DEPARTMENT, data)
    costs = data / "2025" / "units" / "02-centre" / "operating-costs.yaml"
    costs.write_text(
        "# yaml-language-server: $schema=../../../../../../schemas/operating-costs.schema.json\n"
        "amount: 10.00\n",
        encoding="utf-8",
    )
    found = errors(data)
    assert any(
        "02-centre/operating-costs.yaml" in e and "a 事业单位 has no part" in e for e in found
    )


def test_a_hebei_public_institution_prints_the_statement_in_its_place(tmp_path):
    data = tmp_path / "data"
    shutil.copytree(DATA / "2022", data / "2022")
    edit(data / "2022" / "unit.yaml", "type: 行政单位", "type: 事业单位")
    (data / "2022" / "operating-costs.yaml").unlink()
    result = build_year(parse_year_spec("2022", data), tmp_path / "out", ("md",))
    assert result.ok, [d.format_text() for d in result.compiled.diagnostics]
    md = (tmp_path / "out" / "2022" / "disclosure.md").read_text(encoding="utf-8")
    assert "## 三、机关运行经费安排情况\n\n本单位为事业单位，无机关运行经费。" in md
    assert "## 四、财政拨款“三公”经费预算情况及增减变化原因" in md


def test_a_hebei_unit_without_procurement_says_so(tmp_path):
    data = tmp_path / "data"
    shutil.copytree(DATA / "2022", data / "2022")
    (data / "2022" / "procurement.yaml").unlink()
    result = build_year(parse_year_spec("2022", data), tmp_path / "out", ("md",))
    assert result.ok, [d.format_text() for d in result.compiled.diagnostics]
    md = (tmp_path / "out" / "2022" / "disclosure.md").read_text(encoding="utf-8")
    assert "## 六、政府采购预算情况\n\n2022年，本单位未安排政府采购预算。" in md


# --- a department is the sum of its units ------------------------------------------------


def test_the_department_sums_its_units():
    m = compiled(DEPARTMENT)
    office, centre = m.units
    assert [u.slug for u in m.units] == ["01-office", "02-centre"]
    assert m.lines.total == office.lines.total + centre.lines.total == 4320000
    assert m.lines.by_source["business"] == 200000
    assert m.three_public.current.total == office.three_public.current.total == 13.5
    assert m.operating_costs.amount == office.operating_costs.amount == 45  # 事业单位 has none
    assert m.procurement.total == 42
    assert m.goal_setting.projects == 3 and m.goal_setting.funds == 70
    assert m.organisation.members == ("示例区示例局（机关）", "示例区示例服务中心")
    assert m.organisation.counts == {"行政单位": 1, "事业单位": 1}
    vehicles = next(c for c in m.assets.categories if c.name == "车辆")
    assert vehicles.quantity == 4
    # 上年数 too: the units' own (280 + 100), never typed in the department
    assert m.explanation.previous.general_budget == 380
    assert office.explanation.previous.general_budget == 280
    previous = {item.code: item.previous for item in m.explanation.items}
    assert previous == {"2010301": 200, "2010302": 50, "2010350": 100, "2080505": 30}


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        (
            "change_reason: 人员经费调整\n",
            "line-notes.yaml:3:16: error: previous_year: a department's previous-year figures "
            "are the sum of its units' (general_budget 380.00, fund_budget 0.00, "
            "capital_budget 0.00): if previous_year here says otherwise, correct the unit "
            "whose figure is wrong; then leave previous_year out here",
        ),
        (
            None,
            "line-notes.yaml:5:33: error: items[0].previous: a department's 上年数 of 2010301 is "
            "the sum of its units' (200.00 万元): if previous here says otherwise, correct "
            "the unit whose figure is wrong; then leave previous out here",
        ),
    ],
    ids=["previous_year", "item"],
)
def test_a_department_types_no_previous_year_figure(tmp_path, typed, expected):
    data = tmp_path / "data"
    shutil.copytree(DEPARTMENT, data)
    notes = data / "2025" / "line-notes.yaml"
    if typed:
        edit(
            notes,
            typed,
            "previous_year: {general_budget: 500.00, fund_budget: 0, capital_budget: 0}\n" + typed,
        )
    else:
        edit(notes, '{code: "2010301", reason', '{code: "2010301", previous: 200.00, reason')
    found = [e.replace(f"{data}/2025/", "") for e in errors(data)]
    assert found == [expected]


def test_a_unit_without_its_previous_figure_is_told_where(tmp_path):
    data = tmp_path / "data"
    shutil.copytree(DEPARTMENT, data)
    notes = data / "2025" / "units" / "02-centre" / "line-notes.yaml"
    edit(notes, '{code: "2010350", previous_outturn: 100.00, reason', '{code: "2010350", reason')
    found = [e.replace(f"{data}/2025/", "") for e in errors(data)]
    assert found == [
        "units/02-centre/line-notes.yaml:5:5: error: items[0]: missing required field "
        "'previous_outturn' (上年执行数（万元）) for 2010350"
    ]


def test_a_figure_changed_in_one_unit_moves_the_department(tmp_path):
    data = tmp_path / "data"
    shutil.copytree(DEPARTMENT, data)
    office = data / "2025" / "units" / "01-office" / "lines.yaml"
    edit(office, "personnel: 1800000", "personnel: 1900000")  # 2010301 行政运行
    edit(office, "personnel: 1500000", "personnel: 1600000")  # 30101 基本工资, so they agree
    m = compiled(data)
    rows = {r.code: r.amounts.total for r in m.lines.function_rows()}
    assert rows["2010301"] == 2350000 and rows["20103"] == 4100000 and rows["201"] == 4100000
    assert m.lines.total == 4420000
    assert build_year(parse_year_spec("2025", data), tmp_path / "out", ("md",)).ok
    md = (tmp_path / "out" / "2025" / "disclosure.md").read_text(encoding="utf-8")
    assert "收入预算442.00万元" in md and "| **收入总计** | **4,420,000** |" in md


def test_a_department_does_not_type_what_its_units_give(tmp_path):
    data = tmp_path / "data"
    shutil.copytree(DEPARTMENT, data)
    shutil.copy(data / "2025" / "units" / "01-office" / "lines.yaml", data / "2025" / "lines.yaml")
    edit(data / "2025" / "lines.yaml", "../../../../../../schemas/", "../../../../schemas/")
    edit(
        data / "2025" / "unit.yaml",
        "  headquarters: 示例局机关\n",
        "  headquarters: 示例局机关\n  members: [甲]\n",
    )
    found = errors(data)
    assert any("2025/lines.yaml" in e and "sum of its units' lines" in e for e in found)
    assert any("2025/unit.yaml" in e and "come from its units" in e for e in found)


def test_build_writes_the_department_and_each_unit_alone(department_built):
    assert (department_built / "disclosure.md").is_file()
    for slug, name in (("01-office", "示例区示例局（机关）"), ("02-centre", "示例区示例服务中心")):
        md = (department_built / "units" / slug / "disclosure.md").read_text(encoding="utf-8")
        assert f"预算单位：{name}" in md
        assert md.startswith("# 上海市普陀区2025年区级单位预算")


@pytest.fixture(scope="module")
def hebei_package(tmp_path_factory):
    root = tmp_path_factory.mktemp("hebei-department")
    data = hebei_department(root)
    result = build_year(parse_year_spec("2022", data), root / "out", ("html", "md"))
    assert result.ok, [d.format_text() for d in result.compiled.diagnostics if d.is_error]
    return root / "out" / "2022"


def test_the_hebei_package_is_the_department_then_each_unit(hebei_package):
    md = (hebei_package / "disclosure.md").read_text(encoding="utf-8")
    first, second = md.index("## 第一部分 部门预算"), md.index("## 第二部分 所属单位预算")
    office, centre = (
        md.index("### 示例局机关本级 2022年单位预算信息公开情况说明"),
        md.index("### 示例局服务中心本级 2022年单位预算信息公开情况说明"),
    )
    assert first < second < office < centre
    department = md[first:second]
    # 9569.88 (as data/2022) + 1000.00 (the centre's own figures) in the department's part
    assert "2022年预算收入10569.88万元" in department
    assert "| 示例局机关 | 财政拨款 | 正处级 | 财政拨款 |" in department
    assert "2022年预算收入9569.88万元" in md[office:centre]
    html = (hebei_package / "disclosure.html").read_text(encoding="utf-8")
    ids = re.findall(r'\bid="([^"]+)"', html)
    assert len(ids) == len(set(ids)), "ids are unique in the package"
    assert 'id="01-office-budget"' in html
    assert (hebei_package / "units" / "02-centre" / "disclosure.html").is_file()


# --- completeness --------------------------------------------------------------------------


def test_strict_turns_the_missing_tables_into_errors(cli, data_copy):
    declared = cli("validate", "--strict", "2022")  # data/2022 declares them: information
    assert declared.exit_code == 0, declared.stderr
    assert "info: not_published: the published edition has none of the 9" in declared.stderr
    unit = data_copy / "2022" / "unit.yaml"
    text = unit.read_text(encoding="utf-8")
    unit.write_text(text[: text.index("not_published:")], encoding="utf-8")
    result = cli("validate", "--strict", "2022", "--data", str(data_copy))
    assert result.exit_code == 1
    assert "2022: 1 error(s), 0 warning(s)" in result.stderr
    assert "error: layout: 9 of the 9 statutory tables (公开表) are not published (收支总表、" in (
        result.stderr
    )


def test_a_field_the_layout_prints_is_required_at_its_place(tmp_path):
    data = tmp_path / "data"
    shutil.copytree(DATA / "2022", data / "2022")
    edit(data / "2022" / "unit.yaml", "  self_reference: 我办\n", "")
    found = errors(data, "2022")
    unit = data / "2022" / "unit.yaml"
    assert len(found) == 1
    assert (
        f"unit.yaml:{line_of(unit, 'unit:')}:1: error: unit.self_reference: missing self_reference (自称)"
        in found[0]
    )
    assert "the layout hebei-unit prints it" in found[0]


def test_the_plan_numbers_only_what_is_printed():
    m = compiled(DEPARTMENT)
    centre = m.units[1]
    other = next(s for s in plan(centre) if s.id == "other")
    states = {s.id: s.state for s in other.children}
    assert states == {
        "three_public": "empty",
        "operating_costs": "empty",
        "procurement": "empty",
        "goal_setting": "shown",
        "assets": "shown",
    }
    assert [s.number for s in other.children] == [1, 2, 3, 4, 5]


def test_a_hebei_unit_with_lines_publishes_its_tables_and_computes_its_overview(tmp_path):
    """data/2022's text with budget lines instead of its typed overview: the overview, the
    机关运行经费 and the nine tables all come from the lines, and nothing is missing."""
    data = hebei_unit_with_lines(tmp_path)
    result = compile_year(parse_year_spec("2022", data))
    # The made-up office's lines (307 万元) against 2022's typed previous year (3709.97 and
    # 7742.83 万元): 1/14 and 1/155 of it, each a warning at the lines' unit (issue 23).
    assert result.ok, [d.format_text() for d in result.diagnostics]
    assert [(d.severity, d.field, d.message.split(":")[0]) for d in result.diagnostics] == [
        ("warning", "amount_unit", "基本支出"),
        ("warning", "amount_unit", "项目支出"),
    ]
    assert build_year(parse_year_spec("2022", data), tmp_path / "out", ("md",)).ok
    md = (tmp_path / "out" / "2022" / "disclosure.md").read_text(encoding="utf-8")
    assert "2022年预算收入307.00万元，其中：一般公共预算收入307.00万元" in md
    assert "基本支出257.00万元，包括人员类项目经费212.00万元和运转类公用项目经费45.00万元" in md
    assert "机关运行经费共计安排45.00万元" in md
    tables = md.split("## 十、单位预算公开表", 1)[1]
    assert "**2022年单位收支总表**（编制单位：廊坊市人民政府办公室，单位：万元）" in tables
    assert "| 201 | 03 | 01 | 行政运行 | 225.00 | 225.00 | 0.00 | 0.00 |" in tables
    assert tables.count("**合计**") >= 6


def test_every_tool_layout_declares_the_quotes_of_the_documents_it_reproduces():
    """Each manifest says its quotes (fmt writes the data's in that style); the 万里
    documents the Putuo department layouts reproduce print “” and never 「」."""
    for name in available_layouts():
        manifest = (ROOT / "templates" / "layouts" / name / "layout.yaml").read_text("utf-8")
        assert re.search(r'^quotes: "(“”|「」)"', manifest, re.M), name
        assert load_layout(name).quotes == "“”", name
    for text in (ROOT / "tests" / "fixtures" / "wanli").glob("*.txt"):
        printed = text.read_text(encoding="utf-8")
        assert printed.count("“") == printed.count("”") > 40 and "「" not in printed
