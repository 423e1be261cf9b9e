"""Links and citations by allow-list: what prose may link to and cite, checked on what a
reader's software would actually see, and the Markdown edition written from the tokens."""

from __future__ import annotations

import dataclasses
import re
from decimal import Decimal
from html import unescape
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import edit
from markdown_it import MarkdownIt

from compiler.cli import main
from compiler.model import prose
from compiler.model.citations import CitationError, cite, public_names
from compiler.model.disclosure import derived_names, to_tree
from compiler.numbers import money, percent, plain_number


@pytest.fixture
def year(data_copy: Path, monkeypatch) -> Path:
    monkeypatch.chdir(data_copy.parent)
    return data_copy / "2022"


def with_other_matters(year: Path, text: str) -> int:
    """Make other_matters a block scalar holding `text` below a first line; returns the
    line number of the first line of `text`."""
    unit = year / "unit.yaml"
    body = "\n".join("  " + line for line in text.split("\n"))
    edit(
        unit, "other_matters: 我单位无其他需要说明的事项。", f"other_matters: |-\n  说明。\n{body}"
    )
    lines = unit.read_text(encoding="utf-8").split("\n")
    return next(n for n, line in enumerate(lines, 1) if line.startswith("other_matters:")) + 2


def validate():
    result = CliRunner().invoke(main, ["validate", "--data", "data"])
    assert "Traceback" not in result.output
    return result


def lenient_links(markdown: str) -> list[tuple[str, str]]:
    """(kind, target) of every link, image and raw HTML a Markdown viewer that trusts its
    input would make of `markdown`."""
    viewer = MarkdownIt("commonmark", {"html": True}).enable(["table", "strikethrough"])
    viewer.validateLink = lambda url: True
    found = []
    for token in viewer.parse(markdown):
        if token.type == "html_block":
            found.append(("html", token.content))
        for child in token.children or []:
            if child.type == "link_open":
                found.append(("link", str(child.attrs["href"])))
            elif child.type == "image":
                found.append(("image", str(child.attrs["src"])))
            elif child.type == "html_inline":
                found.append(("html", child.content))
    return found


# ------------------------------------------------------------------------------------ links


@pytest.mark.parametrize(
    "markdown",
    [
        "[x](javascript:alert(1))",
        "[x](&#106;avascript:alert(1))",  # entity-encoded: a viewer decodes it
        "[x](javascript&colon;alert(1))",
        "[x](&#102;ile:///etc/passwd)",
        "[x](JavaScript:alert(1))",
        "[x](<javascript:alert(1)>)",
        "[x](vbscript:msgbox)",
        "[x](data:text/html;base64,PHNjcmlwdD4=)",
        "[x](file:///etc/passwd)",
        "[x](ftp://example.com/)",
        "[x](relative/page.html)",
        "<javascript:alert(1)>",
        "<file:///etc/passwd>",
    ],
)
def test_a_link_to_anything_but_a_web_page_is_an_error_however_it_is_written(year, markdown):
    line = with_other_matters(year, f"见{markdown}。")
    result = validate()
    assert result.exit_code == 1, result.stderr
    assert (
        f"data/2022/unit.yaml:{line}:1: error: other_matters: links may only point to web "
        "pages (http, https, mailto)" in result.stderr
    )


@pytest.mark.parametrize(
    "definition",
    [
        "[a]: http://example.com/",
        "[a]: javascript:alert(1)",  # not even a valid link: still a definition to a viewer
        "[a]: <>",
        "[a]:\n  http://example.com/ 'title'",
    ],
)
def test_a_link_reference_definition_is_an_error_in_every_form(year, definition):
    line = with_other_matters(year, f"见[附件][a]。\n\n{definition}")
    result = validate()
    assert result.exit_code == 1, result.stderr
    assert (
        f"data/2022/unit.yaml:{line + 2}:1: error: other_matters: link reference definitions"
        in result.stderr
    )


@pytest.mark.parametrize("markdown", ["![图](https://example.com/a.png)", "![图](x.png)"])
def test_an_image_is_an_error(year, markdown):
    line = with_other_matters(year, f"见图：\n{markdown}")
    result = validate()
    assert result.exit_code == 1
    assert f"unit.yaml:{line + 1}:1: error: other_matters: images are not allowed" in result.stderr


@pytest.mark.parametrize(
    ("reference", "words"),
    [
        ("&#x202e;", "U+202E RIGHT-TO-LEFT OVERRIDE is not allowed"),
        ("&#8238;", "U+202E RIGHT-TO-LEFT OVERRIDE is not allowed"),
        ("&rlm;", "U+200F RIGHT-TO-LEFT MARK is not allowed"),
        ("&zwj;", "U+200D ZERO WIDTH JOINER is not allowed"),
        ("&#x7;", "a character reference to a control character"),
        ("&#x85;", "a character reference to a control character"),
        ("&#0;", "a character reference to a control character"),
        ("&#13;", "a line break or tab written as a character reference"),
        ("&#10;", "a line break or tab written as a character reference"),
    ],
)
def test_a_character_reference_to_a_refused_character_is_an_error(year, reference, words):
    """&#x202e; decodes to the override the loader refuses when typed: in the PDF it made
    the computed 9569.88 read 88.9659, and a decoded CR split a Markdown table row."""
    line = with_other_matters(
        year, f"收入合计{reference}{{{{ budget.income.total | money }}}}万元。"
    )
    result = validate()
    assert result.exit_code == 1, result.stderr
    assert f"data/2022/unit.yaml:{line}:1: error: other_matters: " in result.stderr
    assert words in result.stderr


def test_a_character_reference_in_a_table_cell_text_is_an_error(year):
    project = year / "projects" / "02-office-work.yaml"
    text = project.read_text(encoding="utf-8")
    first = next(line for line in text.splitlines() if "description:" in line)
    edit(project, first, first.rstrip() + "&#13;")
    result = validate()
    assert result.exit_code == 1
    assert "a line break or tab written as a character reference" in result.stderr
    assert f"02-office-work.yaml:{text.splitlines().index(first) + 1}:" in result.stderr


WEB_LINKS = (
    "详见[政府网站](https://www.gov.cn/ '中国政府网')、<https://www.hebei.gov.cn/>、"
    "[邮箱](mailto:info@example.gov.cn)与[旧站](HTTP://example.gov.cn/a_(b))。"
)


def test_web_links_are_allowed_and_read_the_same_in_both_editions(year):
    with_other_matters(year, WEB_LINKS)
    assert validate().exit_code == 0
    built = CliRunner().invoke(
        main, ["build", "--data", "data", "--out", "out", "--format", "html,md"]
    )
    assert built.exit_code == 0, built.output
    md = Path("out/2022/disclosure.md").read_text(encoding="utf-8")
    html = Path("out/2022/disclosure.html").read_text(encoding="utf-8")
    links = [target for kind, target in lenient_links(md) if kind == "link"]
    assert links == [
        "https://www.gov.cn/",
        "https://www.hebei.gov.cn/",
        "mailto:info@example.gov.cn",
        "HTTP://example.gov.cn/a_(b)",
    ]
    assert re.findall(r'<a href="([^"]+)"', html) == links


@pytest.mark.parametrize(
    "text",
    [
        "&#106;avascript:alert(1) 不是链接",
        "\\[x\\](javascript:alert(1))",
        "&#91;x&#93;(javascript:alert(1))",
        "[x]\n(javascript:alert(1))",
        "<b onclick=x>粗</b> <img src=x onerror=alert(1)>",
        "<!-- 注释 --> <script>alert(1)</script>",
        "![x](https://e.com/a.png 'a')",
        "[[x](https://e.com/)](javascript:1)",
        "| a | b |\n|---|---|\n| c | d |",
        "# 标题\n> 引用\n---\n    代码\n```\nfence\n```",
        "1) 一\n2) 二\n\n* 三\n+ 四",
        "2022. 年\n2023) 年",
        "a  \nb\\\nc",
        "~~删除~~ `代码` **粗** *斜* _下_ __粗__ ***粗斜*** *a **b** c*",
        "&amp;lt;script&amp;gt; &copy; &#0; &#x110000;",
    ],
)
def test_the_markdown_edition_carries_no_link_image_or_html_the_html_edition_lacks(text):
    """Written from the tokens the HTML is rendered from: a viewer that trusts its input
    (raw HTML on, every link scheme allowed) makes of the Markdown exactly the links of the
    HTML, and no image or HTML at all."""
    for to_html, to_md in (
        (prose.to_html, prose.to_markdown),
        (prose.to_html_inline, prose.to_markdown_inline),
    ):
        html, md = to_html(text), to_md(text)
        hrefs = [unescape(href) for href in re.findall(r'<a href="([^"]+)"', html)]
        assert lenient_links(md) == [("link", href) for href in hrefs], md
    assert prose.to_html(prose.to_markdown(text)) == prose.to_html(text)
    assert prose.to_html_inline(prose.to_markdown_inline(text)) == prose.to_html_inline(text)


def test_a_table_cell_of_prose_is_one_cell():
    cell = prose.to_markdown_cell("a | b\n1. c\n\n- d\n| x |")
    row = f"| 1 | {cell} | 3 |"
    tokens = (
        MarkdownIt("commonmark").enable("table").parse(f"| h1 | h2 | h3 |\n|---|---|---|\n{row}\n")
    )
    cells = [t for t in tokens if t.type == "td_open"]
    assert len(cells) == 3, row


def test_many_unclosed_brackets_are_parsed():
    # (in linear time: the benchmark's business; a quadratic parser shows there)
    for text in ("[" * 10_000, "[a](" * 2_500, "[" * 5_000 + "]" * 5_000, "![" * 5_000):
        assert prose.to_html(text)
        assert prose.to_markdown(text)
        prose._markdown_problems(text, text)


# ------------------------------------------------------------------------------- citations


@pytest.mark.parametrize(
    ("citation", "words"),
    [
        ("{{ lipsum }}", "has no figure 'lipsum'"),
        ("{{ range }}", "has no figure 'range'"),
        ("{{ self }}", "has no figure 'self'"),
        ("{{ model }}", "has no figure 'model'"),
        ("{{ unit.name.upper }}", "unit.name is text; it has no part 'upper'"),
        ("{{ budget.src }}", "budget has no figure 'src'"),
        ("{{ unit.full_name }}", "unit has no figure 'full_name'"),
        ("{{ budget.income.total.__class__ }}", "has no part '__class__'"),
        ("{{ budget }}", "budget is a part of the model, not one figure"),
        ("{{ duties }}", "duties is a list"),
        ("{{ projects[99].name }}", "projects is a list of 11"),
        ("{{ unit.name | money }}", "'money' formats a figure, but unit.name is text"),
        ("{{ budget.income.total | upper }}", "unknown filter 'upper'"),
        ("{{ budget.income.total | money(3) }}", "is not a figure citation"),
        ("{{ budget.income.total + 1 }}", "is not a figure citation"),
        ("{{ budget.income.total }", "'{{' is not closed by '}}'"),
        ("{% for x in range(10**9) %}x{% endfor %}", "statements ({% … %}) are not allowed"),
        ("{# x #}", "comments ({# … #}) are not allowed"),
        ("{{ budget.basic_reason | money }}", "but budget.basic_reason is text"),
    ],
)
def test_a_citation_reaches_only_the_published_figures(year, citation, words):
    line = with_other_matters(year, f"共{citation}万元。")
    result = validate()
    assert result.exit_code == 1, result.stderr
    errors = [e for e in result.stderr.splitlines() if "bad figure citation" in e]
    assert len(errors) == 1, result.stderr
    assert errors[0].startswith(f"data/2022/unit.yaml:{line}:1: error: other_matters: ")
    assert words in errors[0]


def test_cited_figures_are_printed_in_both_editions_and_cited_text_stays_text(year):
    edit(year / "unit.yaml", "  self_reference: 我办", "  self_reference: 我办*[注]*")
    with_other_matters(
        year,
        "收入{{ budget.income.total | money }}万元，"
        "增减{{ budget.total_change.percent | percent }}，"
        "{{ procurement.funding_totals.一般公共预算拨款 | money }}，"
        "{{ procurement.funding_totals['单位资金'] | money }}，{{ projects[0].name }}，"
        "{{ year }}年，{{ unit.self_reference }}。",
    )
    assert validate().exit_code == 0
    built = CliRunner().invoke(
        main, ["build", "--data", "data", "--out", "out", "--format", "html,md"]
    )
    assert built.exit_code == 0, built.output
    expected = "收入9569.88万元，增减-16.4%，121.70，0.00，机关办公楼运转经费，2022年，我办*[注]*。"
    html = Path("out/2022/disclosure.html").read_text(encoding="utf-8")
    assert f"<p>说明。<br>\n{expected}</p>" in html
    md = Path("out/2022/disclosure.md").read_text(encoding="utf-8")
    assert (
        MarkdownIt("commonmark").render(md.split("九、其他需要说明的事项")[1]).count(expected) == 1
    )


def test_every_figure_the_model_exports_is_citable_and_nothing_else(model_2022):
    """The allow-list is the model's own definition (its fields and derived figures), so a
    part added to the model is citable without a list to update."""

    def walk(node, path):
        if isinstance(node, dict):
            for key, value in node.items():
                yield from walk(value, f"{path}.{key}" if path else key)
        elif isinstance(node, list):
            for i, value in enumerate(node):
                yield from walk(value, f"{path}[{i}]")
        else:
            yield path, node

    cited = 0
    for path, value in walk(to_tree(model_2022), ""):
        if isinstance(value, Decimal):
            assert cite(f" {path} | number ", model_2022) == plain_number(value), path
            assert cite(f"{path}|money", model_2022) == money(value), path
            cited += 1
        elif isinstance(value, str) and " " not in path and path != "assets.as_of":
            assert cite(path, model_2022) == value, path
    assert cited > 200  # every amount, count and target value of the 2022 model
    assert cite("three_public.changes.total.percent | percent", model_2022) == percent(
        model_2022.three_public.changes["total"].percent
    )
    for obj in (model_2022, model_2022.budget, model_2022.procurement.projects[0].items[0]):
        fields = [f.name for f in dataclasses.fields(obj) if not f.metadata.get("origin")]
        assert public_names(obj) == fields + derived_names(type(obj))
    for hidden in (
        "title",
        "previous_year",
        "procurement.items",
        "budget.src.file",
        "procurement.projects[0].items[0].funding_amounts",
        "unit.full_name",
    ):
        with pytest.raises(CitationError):
            cite(hidden, model_2022)  # fmt: skip
