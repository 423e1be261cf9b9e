"""The published Markdown: golden file, GitHub pipe tables, heading order, no raw HTML."""

from __future__ import annotations

import re
from itertools import pairwise
from pathlib import Path

import pytest
from conftest import DATA, SECTIONS, assert_matches_golden
from markdown_it import MarkdownIt

from compiler import parse_year_spec
from compiler.publish.build import build_year


def build_md(data: Path, out: Path) -> str:
    result = build_year(parse_year_spec("2022", data), out, ("html", "md"))
    assert result.ok, [d.format_text() for d in result.compiled.diagnostics + result.diagnostics]
    return (out / "2022" / "disclosure.md").read_bytes().decode("utf-8")


@pytest.fixture(scope="module")
def md_2022(tmp_path_factory) -> str:
    return build_md(DATA, tmp_path_factory.mktemp("md-build"))


@pytest.fixture(scope="module")
def hostile(hostile_build) -> str:
    return (hostile_build / "disclosure.md").read_text(encoding="utf-8")


# ---------------------------------------------------------------------------- helpers


def cells(line: str) -> list[str]:
    """The cells of a pipe-table row, as GitHub splits it: `\\|` is no delimiter."""
    assert line.startswith("|") and line.endswith("|"), f"row without outer pipes: {line}"
    out, current, i = [], "", 1
    while i < len(line):
        char = line[i]
        if char == "\\" and i + 1 < len(line):
            current += line[i : i + 2]
            i += 2
            continue
        if char == "|":
            out.append(current.strip())
            current = ""
        else:
            current += char
        i += 1
    assert current.strip() == "", f"text after the last pipe: {line}"
    return out


def table_blocks(md: str) -> list[list[str]]:
    blocks, current = [], []
    for line in md.splitlines():
        if line.startswith("|"):
            current.append(line)
        elif current:
            blocks.append(current)
            current = []
    if current:
        blocks.append(current)
    return blocks


def parser() -> MarkdownIt:
    return MarkdownIt("commonmark").enable("table")


def html_tokens(md: str) -> list[tuple[str, str, bool]]:
    """(kind, content, inside a table cell) of every raw-HTML token GitHub would pass on."""
    found = []
    cell = False
    for token in parser().parse(md):
        if token.type in ("th_open", "td_open"):
            cell = True
        elif token.type in ("th_close", "td_close"):
            cell = False
        elif token.type == "html_block":
            found.append(("block", token.content, cell))
        elif token.type == "inline":
            for child in token.children or []:
                if child.type == "html_inline":
                    found.append(("inline", child.content, cell))
    return found


# ---------------------------------------------------------------------------- golden


def test_markdown_matches_golden(md_2022):
    assert_matches_golden("disclosure.md", md_2022)


# ---------------------------------------------------------------------------- tables


def test_pipe_tables_have_as_many_cells_as_their_header(md_2022):
    blocks = table_blocks(md_2022)
    assert len(blocks) == 17  # 机构设置, 收支, 三公, unit indicators, 11 projects, 采购, 资产
    for block in blocks:
        header = cells(block[0])
        delimiter = cells(block[1])
        assert all(re.fullmatch(r":?-{3,}:?", d) for d in delimiter), block[1]
        assert len(delimiter) == len(header), block[0]
        for row in block[2:]:
            assert len(cells(row)) == len(header), f"{len(header)} columns in {block[0]}\n{row}"


def test_every_pipe_block_is_a_table_for_a_markdown_parser(md_2022):
    tokens = parser().parse(md_2022)
    assert sum(t.type == "table_open" for t in tokens) == len(table_blocks(md_2022))
    # and the parser sees as many rows as there are lines
    rows = sum(t.type == "tr_open" for t in tokens)
    assert rows == sum(len(block) - 1 for block in table_blocks(md_2022))


def test_amount_columns_right_aligned_with_two_decimals(md_2022):
    procurement = next(b for b in table_blocks(md_2022) if "采购物品名称" in b[0])
    header, delimiter = cells(procurement[0]), cells(procurement[1])
    for column in ("预算资金", "单价", "合计", "一般公共预算拨款"):
        assert delimiter[header.index(column)] == "---:", column
    rows = [cells(r) for r in procurement[2:]]
    assert len(rows) == 2 + 17
    for row in rows[2:]:
        for column in ("单价", "合计", "一般公共预算拨款"):
            assert re.fullmatch(r"\d+\.\d{2}", row[header.index(column)]), (column, row)
    first = rows[2]
    assert first[:8] == ["机关工作经费", "425.00", "台式计算机", "A02010104", "台", "10", "0.70",
                         "7.00"]  # fmt: skip
    assert re.sub(r"\*", "", rows[0][header.index("合计")]) == "121.70"


# ---------------------------------------------------------------------------- headings


def test_headings_in_order(md_2022, model_2022):
    headings = re.findall(r"^(#{1,6}) (.+)$", md_2022, re.M)
    assert headings[0] == ("#", f"{model_2022.unit.full_name} {model_2022.title}")
    assert [text for level, text in headings if level == "#"] == [headings[0][1]]
    assert [text for level, text in headings if level == "##"] == SECTIONS
    levels = [len(level) for level, _ in headings]
    for before, after in pairwise(levels):
        assert after <= before + 1, "a heading level is skipped"
    projects = [text for level, text in headings if level == "####" and text.endswith("绩效目标表")]
    assert projects == [f"{i}、{p.name}绩效目标表" for i, p in enumerate(model_2022.projects, 1)]


# ---------------------------------------------------------------------------- raw HTML


def test_no_raw_html_but_line_breaks_in_cells(md_2022):
    found = html_tokens(md_2022)
    assert any(content == "<br>" for _, content, _ in found)  # the check sees them
    assert [t for t in found if t != ("inline", "<br>", True)] == []


def test_plain_text_from_the_data_is_escaped(hostile):
    organisation = next(b for b in table_blocks(hostile) if "单位名称" in b[0])
    row = cells(organisation[2])
    assert row == [r"廊坊\<script\>alert(1)\<script\>a\|b办公室", "财政拨款", "正处级", "财政拨款"]
    first = hostile.splitlines()[0]
    assert first.startswith(r"# 廊坊\<script\>alert(1)\<script\>a\|b办公室")
    for block in table_blocks(hostile):
        width = len(cells(block[0]))
        assert all(len(cells(r)) == width for r in block[2:]), block[0]


def test_prose_from_the_data_carries_no_raw_html(hostile):
    """A duty is prose (Markdown allowed): its raw HTML must not reach a Markdown viewer."""
    assert "负责" in hostile and r"a\|b组织起草" in hostile  # a pipe never splits a table
    assert [t for t in html_tokens(hostile) if t != ("inline", "<br>", True)] == []
