"""Property-based tests: hostile YAML and prose, generated, against the invariants a reader
and a reviewer rely on. No traceback; exit status 0, 1 or 2; every error located; no
control or bidirectional character in any output; every Markdown table row as wide as its
header; no object representation in an output; links only to web pages, the same in both
editions; diff and matching bounded. Derandomized, so a run is reproducible; sized to run
in well under a minute with the rest of `make test`. To hunt longer, with fresh random
examples: DISCLOSURE_FUZZ_EXAMPLES=5000 python3 -m pytest tests/render/test_fuzz.py"""

from __future__ import annotations

import dataclasses
import json
import os
import re
import shutil
import tempfile
from functools import lru_cache
from html import unescape
from pathlib import Path

from click.testing import CliRunner
from conftest import DATA
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from markdown_it import MarkdownIt
from test_render_md import cells, table_blocks

from compiler import characters, compile_year, parse_year_spec
from compiler.cli import main
from compiler.diagnostics import Location
from compiler.input.loader import leaves, load_text
from compiler.model import prose
from compiler.model.citations import CitationError, cite
from compiler.model.disclosure import Prose
from compiler.render.environment import md_escape
from compiler.review.chardiff import Budget, char_diff, similarity
from compiler.review.diff import diff_models
from compiler.review.diff_format import render
from compiler.review.matching import ListSpec, match_entries, out_of_order

_HUNT = int(os.environ.get("DISCLOSURE_FUZZ_EXAMPLES", "0"))
FAST = settings(
    max_examples=_HUNT or 250,
    deadline=None,
    derandomize=not _HUNT,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
)
SLOW = settings(FAST, max_examples=max(12, _HUNT // 50))

HOSTILE = [
    "\u202e", "\u2066", "\u200f", "\u200b", "\ufeff", "\u00ad", "\x00", "\x07", "\x08", "\x1b",
    "\x1b[2J", "\x1b]0;title\x07", "\x7f", "\x85", "\x9b", "\r", "\r\n", "\t", "\u2028",
    "\u2029", "\ue000", "\ufdd0", "\uffff", "\u0378", "\U000e0041", "\U0010fffd",
]  # fmt: skip
MARKUP = [
    "[", "]", "(", ")", "<", ">", "!", "*", "**", "_", "`", "#", "# ", "|", "~", "&", ";",
    "\\", "{{", "}}", "{%", "{#", "javascript:", "&#106;", "&colon;", "&amp;", "https://x.cn/",
    "mailto:a@b.cn", "file:", "1. ", "2) ", "- ", "+ ", "> ", "---", "===", "\n", "\n\n", " ",
    "    ", "\u3000", "![", "](", "]: ", "\\*", "\\[", "\\]", "\\_", "\\<", "\\\\", "&#42;",
    "&#91;", "&#93;", "&lt;", "&#x3C;b&#x3E;",
]  # fmt: skip
WORDS = st.text(alphabet=st.sampled_from(list("廊坊市预算收入的是。，、；：（）0123456789.%ab -")))
PIECES = st.one_of(WORDS, st.sampled_from(MARKUP), st.sampled_from(HOSTILE))
TEXTS = st.lists(PIECES, max_size=25).map("".join)
# What the loader lets through: the same without the refused characters, and (to meet
# the interesting cases often) short texts of markup only.
DENSE = st.sampled_from(
    ["*", "\\*", "_", "[", "]", "(", ")", "<", ">", "!", "&#42;", "a", " ", "\n"]
)
CLEAN_TEXTS = st.one_of(
    st.lists(st.one_of(WORDS, st.sampled_from(MARKUP)), max_size=25).map("".join),
    st.lists(DENSE, max_size=10).map("".join),
)
REPR = re.compile(r"object at 0x|<(?:compiler|bound method|function|built-in)")
_EMPHASIS = re.compile(r"</?(?:em|strong)>")
LOCATED = re.compile(r"^[^:]+:\d+:\d+: (error|warning): ")


@lru_cache(maxsize=1)
def model_2022():
    """The real 2022 model (not a fixture: Hypothesis would print all of it on a failure)."""
    result = compile_year(parse_year_spec("2022", DATA))
    assert result.ok
    return result.model


def _prose(text: str) -> Prose:
    return Prose(text, Location("data/2022/unit.yaml", 20, 16), 20, "other_matters")


def refused(text: str) -> list:
    """Refused characters in an output (a tab or a line feed is layout there)."""
    return characters.find(text)


# ------------------------------------------------------------------------------- the loader


@st.composite
def yaml_documents(draw) -> str:
    lines = []
    for _ in range(draw(st.integers(0, 8))):
        indent = " " * draw(st.sampled_from([0, 0, 2, 4]))
        key = draw(st.sampled_from(["name", "a", "duties", "&x a", "*x", "!!str k", "? k", "-"]))
        value = draw(
            st.one_of(
                TEXTS,
                TEXTS.map(lambda t: json.dumps(t, ensure_ascii=False)),
                st.sampled_from(["|-", "[1, 2", "{a: 1}", "9.10", "no", "~", "'q''", "# c"]),
            )
        )
        lines.append(f"{indent}{key}: {value}")
    return "\n".join(lines) + draw(st.sampled_from(["", "\n", "\r\n"]))


@FAST
@given(yaml_documents())
def test_the_loader_never_fails_and_locates_every_problem(text):
    doc, problems = load_text("x.yaml", text)
    last_line = text.replace("\r\n", "\n").count("\n") + 1
    for problem in problems:
        loc = problem.location
        assert loc.file == "x.yaml" and 1 <= loc.line <= last_line and loc.column >= 1, problem
        shown = problem.format_text()
        assert "\n" not in shown and not refused(shown), shown
    if doc is not None and not problems:
        for path, value in leaves(doc.data):
            for part in [*path, value]:
                if isinstance(part, str):
                    assert not characters.find(part, in_value=True), (path, part)


# ------------------------------------------------------------------------------- prose


def _viewer_links(markdown: str) -> list[str]:
    """Links, images and raw HTML a Markdown viewer that trusts its input would make."""
    viewer = MarkdownIt("commonmark", {"html": True}).enable(["table", "strikethrough"])
    viewer.validateLink = lambda url: True
    found = []
    for token in viewer.parse(markdown):
        if token.type == "html_block":
            found.append(f"html {token.content}")
        for child in token.children or []:
            if child.type == "link_open":
                found.append(str(child.attrs["href"]))
            elif child.type in ("image", "html_inline"):
                found.append(f"{child.type} {child.content}")
    return found


@FAST
@given(CLEAN_TEXTS)
def test_prose_that_validates_says_the_same_in_both_editions(text):
    model = dataclasses.replace(model_2022(), other_matters=_prose(text))
    problems = prose.check_all(model)  # never raises
    assume(text.strip() and not problems)
    expanded = prose.expand(model.other_matters, model)
    for to_html, to_md in (
        (prose.to_html, prose.to_markdown),
        (prose.to_html_inline, prose.to_markdown_inline),
    ):
        html, md = to_html(expanded), to_md(expanded)
        hrefs = [unescape(h) for h in re.findall(r'<a href="([^"]*)"', html)]
        assert all(re.match(r"(?i)(https?|mailto):", h) for h in hrefs), hrefs
        assert _viewer_links(md) == hrefs, md
        # the same HTML, or (emphasis stacked past what Markdown can write) the same words
        assert to_html(md) in (html, _EMPHASIS.sub("", html)), md
        assert not REPR.search(html + md)
    cell = prose.to_markdown_cell(expanded)
    assert "\n" not in cell, cell
    cells = _cells(f"| 1 | {cell} | 3 |")
    assert cells[0] == "1" and cells[2] == "3", cell


def _cells(row: str) -> list[str]:
    """The cells a GitHub-style table parser finds in `row` under a 3-column header (it
    drops cells beyond the header's, so the last cell shows whether the row was split)."""
    tokens = (
        MarkdownIt("commonmark").enable("table").parse(f"| a | b | c |\n|---|---|---|\n{row}\n")
    )
    assert sum(t.type == "tr_open" for t in tokens) == 2, row  # nothing split the line
    body = tokens[[t.type for t in tokens].index("tbody_open") :]
    return [t.content for t in body if t.type == "inline"]


@FAST
@given(CLEAN_TEXTS.filter(lambda t: "\n" not in t))
def test_one_line_text_is_one_table_cell(text):
    cells = _cells(f"| 1 | {md_escape(text)} | 3 |")
    assert cells[0] == "1" and cells[2] == "3", md_escape(text)


@FAST
@given(st.lists(st.one_of(st.sampled_from(
    ["budget", "income", "total", "unit", "name", "upper", "__class__", "projects", "[0]", "[99]",
     "['单位资金']", ".", "|", " money", " percent", "(", ")", "lipsum", "self", "model",
     "procurement", "funding_totals", "一般公共预算拨款", "three_public", "changes", "src"]
), WORDS), max_size=8).map("".join))  # fmt: skip
def test_a_citation_is_a_figure_or_a_located_error(inside):
    try:
        shown = cite(inside, model_2022())
    except CitationError as e:
        assert e.line == 1 and e.message
        return
    assert isinstance(shown, str) and not REPR.search(shown), shown


# ------------------------------------------------------------------------------- diff


@FAST
@given(TEXTS, TEXTS)
def test_the_diff_shows_every_value_without_obeying_it(old, new):
    def year(text):
        unit = dataclasses.replace(model_2022().unit, name=text[:40] or "x")
        return dataclasses.replace(model_2022(), unit=unit, other_matters=_prose(text))

    result = diff_models(year(old), year(new), old_label="2022\x1b[31m", new_label="2022")
    for fmt in ("text", "md", "json"):
        output = render(result, fmt)
        assert not refused(output), (fmt, output)
        assert "\r" not in output and not REPR.search(output)
    if old != new:
        changes = json.loads(render(result, "json"))["changes"]
        values = {c["path"]: (c.get("old"), c.get("new")) for c in changes}
        assert values["other_matters"] == (old, new)


@FAST
@given(
    st.text(alphabet="的是在了。", max_size=300),
    st.text(alphabet="的是在了。", max_size=300),
    st.integers(0, 2_000),
)
def test_a_character_diff_rebuilds_both_texts_within_its_budget(old, new, budget):
    ops = char_diff(old, new, context=10**6, budget=Budget(budget))
    assert "".join(t for op, t in ops if op in "=-") == old
    assert "".join(t for op, t in ops if op in "=+") == new
    assert 0.0 <= similarity(old, new) <= 1.0


def test_a_long_repetitive_edit_is_diffed_whole():
    # (how long it takes is the benchmark's business; a quadratic diff shows there)
    for n in (2_000, 10_000):
        ops = char_diff("的" * n, "是" + "的" * (n - 2) + "是", context=10**6)
        assert "".join(t for op, t in ops if op in "=-") == "的" * n


@FAST
@given(st.lists(st.text(alphabet="甲乙丙丁。", max_size=12), max_size=30), st.randoms())
def test_matching_pairs_each_entry_at_most_once_and_finds_the_moved_ones(texts, rng):
    news = [t + rng.choice(["", "戊"]) for t in texts]
    rng.shuffle(news)
    matched = match_entries(ListSpec(label=lambda e, n: str(n)), texts, news)
    assert len(set(matched.values())) == len(matched)
    assert all(0 <= j < len(news) and 0 <= i < len(texts) for j, i in matched.items())
    order = [matched[j] for j in sorted(matched)]
    longest = _longest_increasing(order)
    assert len(out_of_order(matched)) == len(order) - longest


def _longest_increasing(values: list[int]) -> int:
    best = [1] * len(values)
    for k in range(len(values)):
        for p in range(k):
            if values[p] < values[k]:
                best[k] = max(best[k], best[p] + 1)
    return max(best, default=0)


# ------------------------------------------------------------------------------- end to end

PLACES = [
    ("unit.yaml", "  name: 廊坊市人民政府办公室\n", "  name: {}\n"),
    ("budget.yaml", "  basic: 主要为人员经费支出\n", "  basic: {}\n"),
    ("unit.yaml", "other_matters: 我单位无其他需要说明的事项。", "other_matters: {}"),
    ("procurement.yaml", "      - name: 台式计算机\n", "      - name: {}\n"),
    ("indicators.yaml", "    name: 政务督查检查次数\n", "    name: {}\n"),
]


@SLOW
@given(st.sampled_from(PLACES), TEXTS)
def test_any_value_in_any_place_validates_or_is_located_and_builds_safely(place, text):
    file, old, new = place
    runner = CliRunner()
    with tempfile.TemporaryDirectory() as tmp:
        data = Path(tmp) / "data"
        shutil.copytree(DATA / "2022", data / "2022")
        path = data / "2022" / file
        source = path.read_text(encoding="utf-8")
        assert old in source, old
        value = json.dumps(text, ensure_ascii=False)  # a double-quoted YAML string
        path.write_text(source.replace(old, new.format(value), 1), encoding="utf-8")
        checked = runner.invoke(main, ["validate", "--data", str(data)])
        assert checked.exit_code in (0, 1), checked.output
        assert "Traceback" not in checked.output and not refused(checked.stderr)
        if checked.exit_code == 1:
            lines = checked.stderr.splitlines()
            assert lines and all(LOCATED.match(line) for line in lines[:-1]), checked.stderr
            return
        out = Path(tmp) / "out"
        built = runner.invoke(
            main, ["build", "--data", str(data), "--out", str(out), "--format", "html,md"]
        )
        assert built.exit_code == 0, built.output
        md = (out / "2022" / "disclosure.md").read_text(encoding="utf-8")
        html = (out / "2022" / "disclosure.html").read_text(encoding="utf-8")
    for output in (md, html):
        assert not refused(output) and not REPR.search(output)
        assert "<script" not in output.replace("&lt;script", "")
    for block in table_blocks(md):
        assert all(len(cells(row)) == len(cells(block[0])) for row in block[1:]), block
