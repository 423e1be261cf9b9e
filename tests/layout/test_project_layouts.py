"""A unit's repository holds layouts of its own (issue 13, point 3): layouts/<name>/ beside
data/, found before the tool's, extending them, replacing one by name — and read as the
untrusted input they are (a pull request can change them): their templates render in
Jinja's sandbox, their files are plain files only, their texts take only {year},
{previous_year} and {unit}, and a broken one is a located error (exit 1), never a
traceback.

Made-up projects only: copies of data/2022 (and tests/data/department) under tmp_path,
with layouts written by the tests.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml
from conftest import DATA, ROOT, edit
from fixtures.departments import hebei_department

from compiler import compile_year, parse_year_spec
from compiler.input.projectlayouts import ProjectLayouts
from compiler.layout.manifest import LAYOUTS_DIR, available_layouts, forget_layouts, load_layout
from compiler.layout.placeholders import TEXT, PlaceholderError, fill_in
from compiler.publish.build import published_documents, render_document
from compiler.render.environment import forget_templates

HEBEI = yaml.safe_load((LAYOUTS_DIR / "hebei-unit" / "layout.yaml").read_text("utf-8"))
DEPARTMENT = ROOT / "tests" / "data" / "department"
WANLI = ROOT / "examples" / "wanli" / "data"
CITY = ROOT / "tests" / "data" / "city-unit"

OLD_HEADING, NEW_HEADING = "七、国有资产信息", "七、国有资产占有使用情况"
OLD_STATEMENT = "2022年，本单位未安排政府采购预算。"
NEW_STATEMENT = "2022年，廊坊市人民政府办公室没有安排政府采购预算。"


def forget() -> None:
    """Layouts and templates are read once per process (`serve` forgets them after a save):
    as a new command would, read them afresh."""
    forget_layouts()
    forget_templates()


@pytest.fixture(autouse=True)
def _fresh_layouts():
    forget()
    yield
    forget()


def project(root: Path, layout: str = "hebei-unit", without_procurement: bool = False) -> Path:
    """root/data/2022 (a copy of data/2022 whose unit.yaml names `layout`); returns root/data.
    Without procurement.yaml, 六、 prints the layout's statement for an empty part."""
    data = root / "data"
    shutil.copytree(DATA / "2022", data / "2022")
    if without_procurement:
        (data / "2022" / "procurement.yaml").unlink()
    if layout != "hebei-unit":
        edit(data / "2022" / "unit.yaml", "layout: hebei-unit", f"layout: {layout}")
    return data


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def manifest(root: Path, name: str, content: dict | str) -> Path:
    text = content if isinstance(content, str) else yaml.safe_dump(content, allow_unicode=True)
    return write(root / "layouts" / name / "layout.yaml", text)


def langfang(root: Path) -> Path:
    """A project layout extending hebei-unit that renames 七、 and rewords 六、's statement."""
    sections = [dict(s) for s in HEBEI["sections"]]
    for section in sections:
        if section["id"] == "assets":
            section["heading"] = "国有资产占有使用情况"
        if section["id"] == "procurement":
            section["when_empty"] = "{year}年，{unit}没有安排政府采购预算。"
    return manifest(
        root,
        "langfang-unit",
        {"extends": "hebei-unit", "description": "廊坊市单位预算", "sections": sections},
    )


def rendered(data: Path, formats=("html", "md"), year: str = "2022") -> dict[str, str]:
    result = compile_year(parse_year_spec(year, data))
    assert result.ok, [d.format_text() for d in result.diagnostics if d.is_error]
    files, problems, _fonts = render_document(result.model, result.documents, formats)
    assert not [p for p in problems if p.is_error], [p.format_text() for p in problems]
    return {f: data.decode("utf-8") if f != "pdf" else data for f, data in files.items()}


def errors(data: Path, year: str = "2022") -> list[str]:
    result = compile_year(parse_year_spec(year, data))
    return [d.format_text() for d in result.diagnostics if d.is_error]


# --- a project's layout changes what it says it changes, and nothing else ------------------


def test_a_project_layout_extending_a_tool_layout_changes_one_heading_and_one_statement(
    tmp_path,
):
    tool = rendered(project(tmp_path / "tool", without_procurement=True))
    data = project(tmp_path / "own", "langfang-unit", without_procurement=True)
    langfang(tmp_path / "own")
    own = rendered(data)
    for fmt in ("html", "md"):
        assert OLD_HEADING in tool[fmt] and OLD_STATEMENT in tool[fmt]
        assert NEW_HEADING in own[fmt] and NEW_STATEMENT in own[fmt]
        expected = tool[fmt].replace(OLD_HEADING, NEW_HEADING).replace(OLD_STATEMENT, NEW_STATEMENT)
        assert own[fmt] == expected, f"{fmt}: only the heading and the statement differ"


@pytest.mark.slow
def test_the_pdf_text_shows_the_project_layout_and_nothing_else(tmp_path):
    tool = project(tmp_path / "tool", without_procurement=True)
    data = project(tmp_path / "own", "langfang-unit", without_procurement=True)
    langfang(tmp_path / "own")
    texts = []
    for folder in (tool, data):
        pdf = folder.parent / "disclosure.pdf"
        pdf.write_bytes(rendered(folder, ("pdf",))["pdf"])
        done = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True)
        texts.append(done.stdout.decode("utf-8"))
    before, after = texts
    assert NEW_HEADING in after and NEW_STATEMENT in after
    assert after == before.replace(OLD_HEADING, NEW_HEADING).replace(OLD_STATEMENT, NEW_STATEMENT)


def test_a_project_template_overrides_its_parents(tmp_path):
    tool = rendered(project(tmp_path / "tool"))
    data = project(tmp_path / "own", "langfang-unit")
    manifest(tmp_path / "own", "langfang-unit", {"extends": "hebei-unit"})
    parent = LAYOUTS_DIR / "hebei-unit"
    for kind in ("html", "md"):
        original = (parent / kind / "sections" / f"glossary.{kind}.j2").read_text("utf-8")
        assert "{{ n | section_number }}" in original
        write(
            tmp_path / f"own/layouts/langfang-unit/{kind}/sections/glossary.{kind}.j2",
            original + "本单位自定义的说明。\n",
        )
    own = rendered(data)
    for kind in ("html", "md"):
        assert own[kind].count("本单位自定义的说明。") == 1
        without = own[kind].replace("本单位自定义的说明。\n", "", 1)
        if kind == "md":  # one blank line between blocks
            without = re.sub(r"\n{3,}", "\n\n", without)
        assert without == tool[kind], kind


def test_a_chain_of_project_layouts_looks_up_templates_child_first(tmp_path):
    data = project(tmp_path, "child")
    manifest(tmp_path, "child", {"extends": "parent"})
    manifest(tmp_path, "parent", {"extends": "hebei-unit", "document_title": "{year}年父版式"})
    section = "html/sections/glossary.html.j2"
    original = (LAYOUTS_DIR / "hebei-unit" / section).read_text("utf-8")
    write(tmp_path / "layouts/parent" / section, original + "<p>父版式</p>\n")
    html = rendered(data)["html"]
    assert "2022年父版式" in html and "<p>父版式</p>" in html
    write(tmp_path / "layouts/child" / section, original + "<p>子版式</p>\n")
    forget()
    html = rendered(data)["html"]
    assert "<p>子版式</p>" in html and "<p>父版式</p>" not in html
    layout = load_layout("child", parse_year_spec("2022", data).project_layouts())
    assert [d.name for d in layout.template_dirs] == ["child", "parent", "hebei-unit"]
    assert layout.sandboxed and len(layout.project_dirs) == 2


def test_a_project_layout_of_a_tool_layouts_name_replaces_it_for_that_project(tmp_path):
    data = project(tmp_path)  # unit.yaml still says hebei-unit
    manifest(tmp_path, "hebei-unit", {"extends": "hebei-unit", "document_title": "{year}年本地"})
    html = rendered(data)["html"]
    assert "2022年本地" in html and "单位预算信息公开情况说明" not in html
    layout = load_layout("hebei-unit", parse_year_spec("2022", data).project_layouts())
    assert layout.template_dirs[0] == tmp_path / "layouts" / "hebei-unit"
    assert layout.template_dirs[1] == LAYOUTS_DIR / "hebei-unit", "its own name: the tool's"
    assert layout != load_layout("hebei-unit"), "the same name, another layout"
    # Other projects keep the tool's.
    assert "2022年单位预算信息公开情况说明" in rendered(project(tmp_path / "other"))["html"]


def test_the_tools_layouts_extend_only_the_tools(tmp_path):
    """A project's hebei-unit replaces what its years name, not what a tool layout extends:
    the department (the tool's hebei-department) keeps its title, its units take the
    project's."""
    data = hebei_department(tmp_path)
    manifest(tmp_path, "hebei-unit", {"extends": "hebei-unit", "document_title": "{year}年本地"})
    result = compile_year(parse_year_spec("2022", data))
    assert result.ok, [d.format_text() for d in result.diagnostics if d.is_error]
    department = result.model
    assert department.title == "2022年部门预算信息公开情况说明"
    assert not department.layout.sandboxed and department.layout.template_dirs[1].parent == (
        LAYOUTS_DIR
    )
    assert {u.title for u in department.units} == {"2022年本地"}
    files, problems, _ = render_document(department, result.documents, ("html",))
    assert not problems
    assert files["html"].decode().count("2022年本地") >= 2, "each unit in the package"


def test_the_tools_layouts_render_byte_for_byte_inside_the_sandbox(tmp_path):
    """Every tool layout, extended by a project layout that changes nothing (so it renders
    in the sandbox), gives the same HTML and Markdown as the tool's layout itself."""
    sources = (("d2022", DATA), ("department", DEPARTMENT), ("wanli", WANLI), ("city", CITY))
    for name, source in sources:
        data = tmp_path / name / "data"
        shutil.copytree(source, data)
        before = _every_document(data)
        for layout in available_layouts():
            manifest(tmp_path / name, layout, {"extends": layout})
        forget()
        after = _every_document(data)
        assert before.keys() == after.keys()
        for key in before:
            assert not before[key][1] and after[key][1], key
            assert before[key][0] == after[key][0], key


def _every_document(data: Path) -> dict:
    out = {}
    for year in sorted(p.name for p in data.iterdir()):
        result = compile_year(parse_year_spec(year, data))
        assert result.ok, [d.format_text() for d in result.diagnostics if d.is_error]
        for model in published_documents(result.model):
            files, problems, _ = render_document(model, result.documents, ("html", "md"))
            assert not problems
            for fmt, content in files.items():
                out[(year, model.slug, fmt)] = (content, model.layout.sandboxed)
    return out


# --- untrusted input: nothing runs, nothing outside the project is read -------------------

GLOSSARY = "html/sections/glossary.html.j2"


@pytest.mark.parametrize(
    "template, line, says",
    [
        # Refused when the layout is read (validate says so).
        ("{{ ''.__class__.__mro__ }}", 2, "__class__ is not allowed in a layout's template"),
        ("{{ m.__dict__ }}", 2, "__dict__ is not allowed in a layout's template"),
        ("{% include '/etc/passwd' %}", 2, "template '/etc/passwd' not found"),
        ("{% include '../../x' %}", 2, "template '../../x' not found"),
        ("{% extends '../../../../etc/passwd' %}", 2, "not found"),
        ("{% if %}", 2, "template error: Expected an expression"),
        ("{{ m | no_such_filter }}", 2, "No filter named 'no_such_filter'"),
        # Refused by the sandbox while rendering.
        ("{{ m | attr('__class__') }}", 2, "access to attribute '__class__' of 'Disclosure'"),
        ("{{ '{0.__class__}'.format(m) }}", 2, "access to attribute '__class__'"),
        (
            "{{ m.layout.template_dirs[0].joinpath('layout.yaml').read_text() }}",
            2,
            "access to attribute 'joinpath' of 'PosixPath' object is unsafe",
        ),
        ("{% set p = '/etc/' ~ 'passwd' %}{% include p %}", 2, "template '/etc/passwd' not"),
        ("{{ m.layout.options.update({'self_name': 'x'}) }}", 2, "attribute 'update' of 'dict'"),
        ("{{ m.layout.project.read }}", 2, "attribute 'read' of 'ProjectLayouts'"),
        ("{{ range(10**9) | list }}", 2, "Range too big"),
        # Any other error while rendering: located too, never an internal error.
        ("{{ 'abc' | money }}", 2, "cannot render the layout: InvalidOperation"),
    ],
)
def test_a_project_template_cannot_run_code_or_read_files(tmp_path, cli, template, line, says):
    data = project(tmp_path, "langfang-unit")
    manifest(tmp_path, "langfang-unit", {"extends": "hebei-unit"})
    write(tmp_path / "layouts/langfang-unit" / GLOSSARY, f"<p>一</p>\n{template}\n")
    out = tmp_path / "out"
    result = cli("build", "2022", "--data", str(data), "--out", str(out), "--format", "html,md")
    assert result.exit_code == 1, result.output
    where = f"{_shown(tmp_path)}/layouts/langfang-unit/{GLOSSARY}:{line}:1: error: "
    found = [row for row in result.output.splitlines() if row.startswith(where)]
    assert found and says in found[0], result.output
    assert "Traceback" not in result.output
    assert "nothing written" in result.output and not out.exists()


def _wanli_2024_in(tmp_path: Path, template: str) -> Path:
    """万里 2024 (a department, with budget lines) in a project layout whose glossary
    section's HTML template is `template`; returns the data folder."""
    data = tmp_path / "data"
    shutil.copytree(WANLI, data)
    edit(data / "2024" / "unit.yaml", "layout: shanghai-putuo-department\n", "layout: own\n")
    manifest(tmp_path, "own", {"extends": "shanghai-putuo-department"})
    write(tmp_path / "layouts/own" / GLOSSARY, template)
    return data


def test_a_project_layout_may_read_the_models_budget_lines(tmp_path, cli):
    """Issue 24: a project's template prints a 类 total from the lines' function_rows (the
    sandbox refused them), read only."""
    data = _wanli_2024_in(
        tmp_path,
        '<section id="glossary">\n{% for r in m.lines.function_rows("fiscal") '
        'if r.level == "类" %}<p>{{ r.name }}：{{ r.amounts.total | yuan }}元</p>\n'
        "{% endfor %}{% for r in m.lines.economic_rows() if r.code == '301' %}"
        "<p>{{ r.name }}：{{ r.amounts.personnel | yuan }}元</p>{% endfor %}</section>\n",
    )
    out = tmp_path / "out"
    result = cli("build", "2024", "--data", str(data), "--out", str(out), "--format", "html")
    assert result.exit_code == 0, result.output
    html = (out / "2024" / "disclosure.html").read_text(encoding="utf-8")
    # 万里 2024's 一般公共服务支出 类: 2,932,700.00 元 of 财政拨款, as its 支出预算总表 prints it
    assert "<p>一般公共服务支出：2,932,700.00元</p>" in html
    assert "<p>城乡社区支出：119,385,303.00元</p>" in html
    assert "<p>工资福利支出：" in html


@pytest.mark.parametrize(
    "template, says",
    [
        ("{{ m.lines.function_rows().append(1) }}", "attribute 'append' of 'list'"),
        (
            "{{ m.lines.function_rows()[0].amounts.by_source.clear() }}",
            "attribute 'clear' of 'dict'",
        ),
        ("{{ m.lines.catalogue.function }}", "attribute 'function' of 'Catalogue'"),
        ("{{ m.lines._rows }}", "_rows is not allowed in a layout's template"),
        ("{{ m.lines.function_rows.__func__ }}", "__func__ is not allowed"),
    ],
)
def test_the_budget_lines_stay_read_only_in_a_project_layout(tmp_path, cli, template, says):
    data = _wanli_2024_in(tmp_path, f"<p>一</p>\n{template}\n")
    out = tmp_path / "out"
    result = cli("build", "2024", "--data", str(data), "--out", str(out), "--format", "html")
    assert result.exit_code == 1, result.output
    where = f"{_shown(tmp_path)}/layouts/own/{GLOSSARY}:2:1: error: "
    found = [row for row in result.output.splitlines() if row.startswith(where)]
    assert found and says in found[0], result.output
    assert "Traceback" not in result.output and not out.exists()


@pytest.mark.slow
def test_a_project_template_cannot_make_the_pdf_fetch_anything(tmp_path, cli):
    """An outside image written into a layout's template: the PDF's fetcher refuses it, and
    the build says so at the template's line (it was a traceback)."""
    data = project(tmp_path, "langfang-unit")
    manifest(tmp_path, "langfang-unit", {"extends": "hebei-unit"})
    write(
        tmp_path / "layouts/langfang-unit" / GLOSSARY,
        '<p>一</p>\n<img src="https://example.com/logo.png" alt="">\n',
    )
    out = tmp_path / "out"
    result = cli("build", "2022", "--data", str(data), "--out", str(out), "--format", "pdf")
    assert result.exit_code == 1, result.output
    where = f"{_shown(tmp_path)}/layouts/langfang-unit/{GLOSSARY}:2:1: error: "
    found = [row for row in result.output.splitlines() if row.startswith(where)]
    assert found and "https://example.com/logo.png" in found[0], result.output
    assert "Traceback" not in result.output and "internal error" not in result.output
    assert not out.exists()


def _shown(path: Path) -> str:
    """How messages name a folder: relative to the working directory when inside it."""
    relative = os.path.relpath(path)
    return path.as_posix() if relative.startswith("..") else relative


@pytest.mark.parametrize(
    "where",
    ["html/sections/glossary.html.j2", "layout.css", "html", "layout.yaml", "layouts"],
)
def test_a_symbolic_link_in_a_project_layout_is_refused(tmp_path, where):
    secret = write(tmp_path / "outside" / "secret.txt", "机密\n")
    data = project(tmp_path, "langfang-unit")
    manifest(tmp_path, "langfang-unit", {"extends": "hebei-unit"})
    layouts = tmp_path / "layouts"
    if where == "layouts":
        layouts.rename(tmp_path / "real-layouts")
        layouts.symlink_to(tmp_path / "real-layouts")
        link = layouts
    elif where == "html":
        write(tmp_path / "outside" / "sections" / "glossary.html.j2", "{{ 1 }}\n")
        link = layouts / "langfang-unit" / "html"
        link.symlink_to(tmp_path / "outside")
    elif where == "layout.yaml":
        (layouts / "langfang-unit" / "layout.yaml").rename(tmp_path / "outside" / "real.yaml")
        link = layouts / "langfang-unit" / "layout.yaml"
        link.symlink_to(tmp_path / "outside" / "real.yaml")
    else:
        link = layouts / "langfang-unit" / where
        link.parent.mkdir(parents=True, exist_ok=True)
        link.symlink_to(secret)
    found = errors(data)
    shown = _shown(link)
    assert any(
        e.startswith(f"{shown}: error: a symbolic link: a layout holds plain files") for e in found
    ), found
    assert any("the layout langfang-unit cannot be used" in e for e in found), found


# --- the manifest's texts ------------------------------------------------------------------


@pytest.mark.parametrize(
    "attack",
    [
        "{unit.__class__}",
        "{unit.__class__.__init__.__globals__}",
        "{year.__class__.__mro__[1].__subclasses__}",
        "{unit[0]}",
        "{year:>999999999}",
        "{unit!r}",
        "{0}",
        "{m.layout.template_dirs}",
    ],
)
def test_a_format_string_attack_in_a_manifest_text_is_a_located_error(tmp_path, cli, attack):
    data = project(tmp_path, "langfang-unit")
    sections = [dict(s) for s in HEBEI["sections"]]
    sections[6]["heading"] = f"国有资产{attack}"
    path = manifest(tmp_path, "langfang-unit", {"extends": "hebei-unit", "sections": sections})
    line = next(i for i, row in enumerate(path.read_text("utf-8").splitlines(), 1) if attack in row)
    result = cli("validate", "2022", "--data", str(data))
    assert result.exit_code == 1
    expected = f"{_shown(tmp_path)}/layouts/langfang-unit/layout.yaml:{line}:"
    rows = [r for r in result.output.splitlines() if r.startswith(expected)]
    assert rows, result.output
    assert f"sections[6].heading: {attack} is not a placeholder here" in rows[0]
    assert "the placeholders are {year}, {previous_year}, {unit}" in rows[0]


def test_texts_are_filled_in_by_name_only():
    assert fill_in(
        "{year}年和{previous_year}年，{unit}", TEXT, year=2022, previous_year=2021, unit="本单位"
    ) == ("2022年和2021年，本单位")
    assert fill_in("{{year}}", TEXT, year=2022, previous_year=2021, unit="x") == "{year}"
    for text in ("{unit.__class__}", "{year[0]}", "{year:>9}", "{}", "{", "}", "{other}"):
        with pytest.raises(PlaceholderError):
            fill_in(text, TEXT, year=2022, previous_year=2021, unit="x")


def test_document_and_file_titles_take_the_year_only(tmp_path):
    data = project(tmp_path, "langfang-unit")
    manifest(
        tmp_path,
        "langfang-unit",
        "extends: hebei-unit\n"
        'document_title: "{unit}{year}年"\n'
        "options:\n"
        '  file_title: "../../{year}年"\n',
    )
    found = errors(data)
    where = f"{_shown(tmp_path)}/layouts/langfang-unit/layout.yaml"
    assert (
        f"{where}:2:17: error: document_title: {{unit}} is not a placeholder here: the "
        "placeholders are {year}" in found
    )
    assert any(
        e.startswith(f"{where}:4:15: error: options.file_title: the file title names the")
        for e in found
    ), found


# --- a broken project layout: located, exit 1, never a traceback -------------------------


def _sections_with(**changes: dict) -> str:
    """A manifest extending hebei-unit with its sections, some of them changed."""
    sections = [dict(s, **changes.get(s["id"], {})) for s in HEBEI["sections"]]
    return yaml.safe_dump({"extends": "hebei-unit", "sections": sections}, allow_unicode=True)


@pytest.mark.parametrize(
    "files, where, says",
    [
        ({"x": "extends: hebei-unit\n  bad: [\n"}, "x/layout.yaml:2:", "indented"),
        ({"x": "extends: hebei-unit\ncolour: red\n"}, "x/layout.yaml:2:1", "unknown field"),
        ({"x": "extends: hebei-unit\nkind: agency\n"}, "x/layout.yaml:2:7", "kind"),
        ({"x": "extends: y\n", "y": "extends: x\n"}, "y/layout.yaml:1:10", "extends itself"),
        ({"x": "extends: x\n"}, None, None),  # its own name: the tool's x, which there is not
        ({"x": "extends: nowhere\n"}, "x/layout.yaml:1:10", "unknown layout 'nowhere'"),
        ({"x": "description: 没有 sections\n"}, "x/layout.yaml:1:1", "document_title"),
        (
            {"x": "extends: hebei-unit\ndescription: !!python/object/apply:os.system [id]\n"},
            "x/layout.yaml:2:14",
            "tag !!python/object/apply:os.system is not allowed",
        ),
        (
            {
                "x": 'extends: hebei-unit\nsections:\n  - {id: a, heading: b, empty_if: "m.__class__"}\n'
            },
            "x/layout.yaml:3:",
            "is not a condition a layout may use",
        ),
        (
            {"x": "extends: hebei-unit\nsections:\n  - {id: a, heading: b, template: ../../x}\n"},
            "x/layout.yaml:3:",
            "template",
        ),
        (
            {"x": "extends: hebei-unit\nsections:\n  - {id: a, heading: b, files: [budgt]}\n"},
            "x/layout.yaml:3:",
            "expected one of unit",
        ),
        (
            {
                "x": "extends: hebei-unit\ntables:\n  - {id: income, title: t, rows: function, "
                "columns: [{header: [a], field: nope}]}\n"
            },
            "x/layout.yaml:3:",
            "nope is not a field of a table of function rows",
        ),
        (
            {
                "x": "extends: hebei-unit\ntables:\n  - {id: overview, title: t, rows: overview, "
                "income: [{label: a, figure: nope}], columns: [{header: [a], field: income_label}]}\n"
            },
            "x/layout.yaml:3:",
            "nope is not an income figure",
        ),
        (
            {"x": _sections_with(glossary={"template": "nope"})},
            "x/layout.yaml:",
            "section glossary has no template html/sections/nope.html.j2",
        ),
        (
            {"x": "extends: hebei-unit\nstatutory_tables: [overview, nope]\n"},
            "x/layout.yaml:2:",
            "nope is not a table of this layout",
        ),
        (
            {"x": "extends: hebei-unit\nworkbook: [overview, nope]\n"},
            "x/layout.yaml:2:",
            "nope is neither a table nor a section of this layout",
        ),
    ],
)
def test_a_broken_project_layout_is_a_located_error(tmp_path, cli, files, where, says):
    data = project(tmp_path, "x")
    for name, text in files.items():
        manifest(tmp_path, name, text)
    result = cli("validate", "2022", "--data", str(data))
    assert result.exit_code == 1, result.output
    assert "Traceback" not in result.output and "internal error" not in result.output
    if where is None:
        assert "unknown layout 'x'" in result.output
        return
    prefix = f"{_shown(tmp_path)}/layouts/{where}"
    rows = [r for r in result.output.splitlines() if r.startswith(prefix)]
    assert rows and says in rows[0], result.output
    assert re.search(r"unit\.yaml:2:9: error: layout: the layout x cannot be used", result.output)
    built = cli("build", "2022", "--data", str(data), "--out", str(tmp_path / "out"))
    assert built.exit_code == 1 and not (tmp_path / "out").exists()


def test_a_condition_that_cannot_be_evaluated_is_an_error_at_its_line(tmp_path, cli):
    data = project(tmp_path, "langfang-unit")
    sections = [dict(s) for s in HEBEI["sections"]]
    sections[5]["empty_if"] = "m.procurement.no_such_figure"
    path = manifest(tmp_path, "langfang-unit", {"extends": "hebei-unit", "sections": sections})
    line = next(
        i for i, row in enumerate(path.read_text("utf-8").splitlines(), 1) if "no_such" in row
    )
    result = cli("validate", "2022", "--data", str(data))
    assert result.exit_code == 1, result.output
    where = f"{_shown(tmp_path)}/layouts/langfang-unit/layout.yaml:{line}:"
    (row,) = [r for r in result.output.splitlines() if r.startswith(where)]
    assert "cannot evaluate 'm.procurement.no_such_figure'" in row
    assert "internal error" not in result.output


@pytest.mark.parametrize("name", available_layouts())
def test_the_fields_a_project_layout_may_name_are_those_the_tools_layouts_use(name):
    """The check of a project's tables (tables.known_fields) knows every field and figure
    the tool's own layouts show."""
    from compiler.layout.tables import INCOME_FIGURES, known_fields

    layout = load_layout(name)
    for table in layout.tables.values():
        assert {c.field for c in table.columns} <= known_fields(table.rows), table.id
        assert {figure for _label, figure in table.income} <= INCOME_FIGURES, table.id


def test_an_unknown_layout_names_the_projects_too(tmp_path):
    data = project(tmp_path, "langfang-unti")
    manifest(tmp_path, "langfang-unit", {"extends": "hebei-unit"})
    (found,) = errors(data)
    assert "unknown layout 'langfang-unti'" in found
    assert "and this project's (" in found and found.endswith("): langfang-unit")


# --- everything that depends on templates sees the project's ------------------------------


def test_an_unchanged_rebuild_notices_a_changed_project_layout(tmp_path, cli):
    data = project(tmp_path, "langfang-unit", without_procurement=True)
    path = langfang(tmp_path)
    out = tmp_path / "out"

    def build():
        forget()  # each command is a process of its own
        return cli("build", "2022", "--data", str(data), "--out", str(out), "--format", "html")

    assert "wrote" in build().stdout
    assert "up to date" in build().stdout
    edit(path, "国有资产占有使用情况", "国有资产情况")
    again = build()
    assert "wrote" in again.stdout, again.output
    assert "七、国有资产情况" in (out / "2022" / "disclosure.html").read_text("utf-8")
    assert "up to date" in build().stdout
    original = (LAYOUTS_DIR / "hebei-unit" / GLOSSARY).read_text("utf-8")
    write(tmp_path / "layouts/langfang-unit" / GLOSSARY, original + "<p>新模板</p>\n")
    assert "wrote" in build().stdout, "a template added to the project layout"
    assert "<p>新模板</p>" in (out / "2022" / "disclosure.html").read_text("utf-8")


def test_serve_watches_the_project_layouts_and_reads_a_saved_one_again(tmp_path):
    from compiler.input.sources import WorkingTreeYear
    from compiler.serve.preview import Preview
    from compiler.serve.server import preview_server

    data = project(tmp_path, "langfang-unit", without_procurement=True)
    path = langfang(tmp_path)
    server = preview_server(data, 2022, 0)
    try:
        assert tmp_path / "layouts" in server.watch
    finally:
        server.httpd.server_close()
    preview = Preview(WorkingTreeYear(data, 2022))
    assert NEW_HEADING.encode() in preview.rebuild().page("")
    edit(path, "国有资产占有使用情况", "国有资产情况")
    assert "七、国有资产情况".encode() in preview.rebuild([path]).page("")
    template = write(tmp_path / "layouts/langfang-unit" / GLOSSARY, "{% if %}\n")
    page = preview.rebuild([template]).page("").decode()
    assert "layouts/langfang-unit/html/sections/glossary.html.j2:1:1" in page
    assert "disclosure-live" not in page, "the error page, not the document"


@pytest.mark.slow
def test_publish_check_reports_a_project_layout_change(
    tmp_path, cli, monkeypatch, shared_pdf_layouts
):
    data = project(tmp_path, "langfang-unit", without_procurement=True)
    path = langfang(tmp_path)
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    first = cli("publish", "--out", "site", "--data", str(data))
    assert first.exit_code == 0, first.output
    assert cli("publish", "--check", "--data", str(data)).exit_code == 0
    edit(path, "国有资产占有使用情况", "国有资产情况")
    forget()  # a new command reads the layouts afresh
    check = cli("publish", "--check", "--data", str(data))
    assert check.exit_code == 1, check.output
    assert re.search(r"published/2022/1/\S+\.html: error: 2022 edition 1", check.stderr)
    assert "the project's layouts/" in check.stderr
    assert "data/model.json: error" not in check.stderr, "the figures are unchanged"


# --- a year read from git reads the project's layouts at the same revision ----------------


def git(root: Path, *args: str) -> str:
    done = subprocess.run(
        ["git", "-C", str(root), "-c", "user.name=t", "-c", "user.email=t@example.org", *args],
        capture_output=True,
        text=True,
        check=True,
    )
    return done.stdout


def test_a_year_at_a_revision_uses_the_layouts_of_that_revision(tmp_path, cli):
    data = project(tmp_path, "langfang-unit", without_procurement=True)
    path = langfang(tmp_path)
    git(tmp_path, "init", "-q")
    git(tmp_path, "add", "-A")
    git(tmp_path, "commit", "-qm", "one")
    edit(path, "国有资产占有使用情况", "国有资产情况")

    now = compile_year(parse_year_spec("2022", data)).model
    then = compile_year(parse_year_spec("2022@HEAD", data)).model
    assert now.layout.section("assets").heading == "国有资产情况"
    assert then.layout.section("assets").heading == "国有资产占有使用情况"
    assert then.layout.sandboxed and then.layout.project.label == "HEAD:layouts"
    cache = Path(os.environ["XDG_CACHE_HOME"]) / "disclosure-compiler" / "layouts"
    assert cache in then.layout.template_dirs[0].parents, "written out under its tree hash"
    html = render_document(then, {}, ("html",))[0]["html"].decode()
    assert NEW_HEADING in html

    # A committed symbolic link is refused at the revision as in a checkout.
    link = tmp_path / "layouts" / "langfang-unit" / "layout.css"
    link.symlink_to("/etc/passwd")
    git(tmp_path, "add", "-A")
    git(tmp_path, "commit", "-qm", "two")
    result = cli("validate", "2022@HEAD", "--data", str(data))
    assert result.exit_code == 1
    assert "HEAD:layouts/langfang-unit/layout.css: error: a symbolic link" in result.output


def test_a_page_diff_of_a_revision_with_other_layouts_builds_both_pdfs(tmp_path):
    """Same data, other layouts: not taken for the same PDF (which would show no change)."""
    from compiler.review.pagediff import _inputs

    data = project(tmp_path, "langfang-unit", without_procurement=True)
    path = langfang(tmp_path)
    git(tmp_path, "init", "-q")
    git(tmp_path, "add", "-A")
    git(tmp_path, "commit", "-qm", "one")
    edit(path, "国有资产占有使用情况", "国有资产情况")
    now = compile_year(parse_year_spec("2022", data))
    then = compile_year(parse_year_spec("2022@HEAD", data))
    assert now.documents.keys() == then.documents.keys()
    assert _inputs(now) != _inputs(then)


@pytest.mark.slow
def test_diff_pages_shows_the_page_a_layout_change_moves(tmp_path, cli, monkeypatch):
    project(tmp_path, "langfang-unit", without_procurement=True)
    path = langfang(tmp_path)
    git(tmp_path, "init", "-q")
    git(tmp_path, "add", "-A")
    git(tmp_path, "commit", "-qm", "one")
    edit(path, "国有资产占有使用情况", "国有资产情况")
    monkeypatch.chdir(tmp_path)
    result = cli("diff", "2022@HEAD", "2022", "--data", "data", "--pages", "pages")
    assert result.exit_code == 1, result.output
    assert len(list((tmp_path / "pages").glob("page-*.png"))) >= 1


# --- a data repository leaves room for them ---------------------------------------------


def test_init_copies_the_projects_layouts_and_its_readme_explains_them(tmp_path, cli):
    data = project(tmp_path / "unit", "langfang-unit", without_procurement=True)
    langfang(tmp_path / "unit")
    target = tmp_path / "repo"
    result = cli("init", str(target), "--data", str(data), "--tool", "disclosure-compiler==0.1.0")
    assert result.exit_code == 0, result.output
    assert (target / "layouts/langfang-unit/layout.yaml").read_bytes() == (
        tmp_path / "unit/layouts/langfang-unit/layout.yaml"
    ).read_bytes()
    assert (target / "schemas/layout.schema.json").is_file(), "editors hint layout.yaml"
    readme = (target / "README.md").read_text("utf-8")
    assert "`layouts/`" in readme and "extends: hebei-unit" in readme
    assert errors(target / "data") == []


def test_project_layouts_are_a_folder_of_the_project():
    layouts = ProjectLayouts(Path("/x/layouts"), "layouts")
    assert layouts.shown(Path("/x/layouts/a/layout.yaml")) == "layouts/a/layout.yaml"
    assert layouts.holds("/x/layouts/a/html/b.j2") and not layouts.holds("/x/other")
    assert layouts.layout_folder("../etc") is None, "a layout's name is a plain name"
