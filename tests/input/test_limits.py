"""Bounded work: every text and list has a schema limit, and validate, build and diff stay
fast on any input that validates, however hostile (the time budgets are generous for a
slow, shared machine, and still far below what quadratic work took: minutes)."""

from __future__ import annotations

import dataclasses
import random
from decimal import Decimal
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import edit

from compiler.cli import main
from compiler.diagnostics import Location
from compiler.input.loader import MAX_FILE_BYTES
from compiler.model.disclosure import Prose
from compiler.publish.site import publish_naming
from compiler.review.diff import diff_models
from compiler.review.diff_format import render


@pytest.fixture
def year(data_copy: Path, monkeypatch) -> Path:
    monkeypatch.chdir(data_copy.parent)
    return data_copy / "2022"


def run(*args: str):
    result = CliRunner().invoke(main, list(args))
    assert "Traceback" not in result.output
    assert result.exit_code in (0, 1, 2), result.output
    return result


def set_other_matters(year: Path, text: str) -> None:
    edit(
        year / "unit.yaml", "other_matters: 我单位无其他需要说明的事项。", f"other_matters: {text}"
    )


# ------------------------------------------------------------------------ limits and messages


def test_a_160_kb_prose_field_with_an_unclosed_link_is_refused(year):
    """It took `validate` six minutes (a backtracking search for the link's end)."""
    set_other_matters(year, '"[说明](' + "链" * 55_000 + '"')
    result = run("validate", "--data", "data")
    assert result.exit_code == 1
    assert "other_matters: expected at most 10000 characters (其他需要说明的事项), found 55005" in (
        result.stderr
    )


@pytest.mark.parametrize(
    "text",
    [
        "[" * 9_999,
        "![" * 4_999 + "x",
        "[a](" * 2_499,
        "[说明](" + " " * 9_990,  # the shape that took validate minutes at 160 KB
        "*a" * 4_999,
        "_a*" * 3_333,
        "<" * 9_999,
        "- " * 4_999,
        "1. " * 3_333,
        "`" * 9_999,
        "&#" * 4_999,
        "{{ year }}" * 999,
    ],
    ids=[
        "brackets",
        "images",
        "open-links",
        "spaces-in-a-link",
        "emphasis",
        "mixed-emphasis",
        "angles",
        "list-markers",
        "numbered",
        "backticks",
        "entities",
        "citations",
    ],  # fmt: skip
)
def test_prose_at_its_length_limit_validates_and_builds(year, text):
    set_other_matters(year, '"' + text + '"')
    result = run("validate", "--data", "data")
    assert result.exit_code == 0, result.stderr
    built = run("build", "--data", "data", "--out", "out", "--format", "html,md")
    assert built.exit_code == 0, built.output


def test_a_list_longer_than_its_limit_is_an_error_not_an_internal_error(year):
    """1,000 duties validated, then `build` failed: there was no numeral for 1000."""
    duties = "".join(f"  - 职责{i}。\n" for i in range(1000))
    text = (year / "unit.yaml").read_text(encoding="utf-8")
    start, end = text.index("duties:\n") + len("duties:\n"), text.index("other_matters:")
    (year / "unit.yaml").write_text(text[:start] + duties + text[end:], encoding="utf-8")
    result = run("validate", "--data", "data")
    assert result.exit_code == 1
    assert "error: duties: expected at most 200 entries (单位职责), found 1000" in result.stderr


def test_the_longest_list_a_schema_allows_is_numbered(year):
    duties = "".join(f"  - 职责{i}。\n" for i in range(200))
    text = (year / "unit.yaml").read_text(encoding="utf-8")
    start, end = text.index("duties:\n") + len("duties:\n"), text.index("other_matters:")
    (year / "unit.yaml").write_text(text[:start] + duties + text[end:], encoding="utf-8")
    result = run("build", "--data", "data", "--out", "out", "--format", "md")
    assert result.exit_code == 0, result.output
    md = Path("out/2022/disclosure.md").read_text(encoding="utf-8")
    assert "（二百）职责199。" in md and "（一百零一）职责100。" in md


def test_a_unit_name_longer_than_a_file_name_allows_is_an_error(year):
    edit(year / "unit.yaml", "  name: 廊坊市人民政府办公室\n", f"  name: {'廊' * 100}\n")
    result = run("validate", "--data", "data")
    assert result.exit_code == 1
    assert "unit.name: expected at most 40 characters (单位名称), found 100; shorten it" in (
        result.stderr
    )


def test_the_longest_name_allowed_still_makes_a_file_name(model_2022):
    """Every published file name fits the 255 bytes a file system allows, even with
    four-byte characters (𠀀) in a name and scope at their limits."""
    unit = dataclasses.replace(model_2022.unit, name="𠀀" * 40, scope="𠀀" * 10)
    model = dataclasses.replace(model_2022, unit=unit)
    for fmt in ("html", "md", "pdf"):
        name = publish_naming(model, fmt).split("/")[-1]
        assert len(name.encode("utf-8")) <= 255, len(name.encode("utf-8"))


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        ('code: "151001"', 'code: "151001\\n"', "unit.code: 单位编码 has the wrong form"),
        (
            "  city: 廊坊市",
            '  city: "廊坊市\\n"',
            "unit.city: expected one line of text (所属城市)",
        ),
    ],
)
def test_a_line_feed_at_the_end_of_a_one_line_value_is_an_error(year, old, new, message):
    """Python's `$` matches before a final line feed; JSON Schema's does not."""
    edit(year / "unit.yaml", old, new)
    result = run("validate", "--data", "data")
    assert result.exit_code == 1
    assert message in result.stderr


def test_a_project_file_name_ending_in_a_line_feed_is_not_a_project(year):
    (year / "projects" / "12-x.yaml\n").write_bytes(
        (year / "projects" / "11-network.yaml").read_bytes()
    )
    result = run("validate", "--data", "data")
    assert result.exit_code == 1
    # named with the line feed shown as an escape, in the file's place and in the message
    assert "12-x.yaml\\u000a: error: the project file name 12-x.yaml\\u000a is not allowed" in (
        result.stderr
    )


def test_an_of_which_inside_an_of_which_is_printed_not_dropped(year, tmp_path):
    """Nested 其中 (as Shanghai's 2023 assets have them) are valid; the Hebei table prints
    every level, indented, so nothing typed disappears from the outputs."""
    edit(
        year / "assets.yaml",
        "      - name: 办公用房\n        unit: 平方米\n",
        "      - name: 办公用房\n        unit: 平方米\n"
        "        of_which:\n          - name: 会议室\n            quantity: 12\n",
    )
    result = run("build", "--data", "data", "--format", "html,md", "--out", str(tmp_path / "out"))
    assert result.exit_code == 0, result.stderr
    md = (tmp_path / "out" / "2022" / "disclosure.md").read_text(encoding="utf-8")
    assert "| 其中：办公用房（平方米） |  |  |\n| 　其中：会议室 | 12 |  |" in md
    html = (tmp_path / "out" / "2022" / "disclosure.html").read_text(encoding="utf-8")
    assert '<th scope="row" class="sub sub-2">其中：会议室</th><td class="num">12</td>' in html


def test_a_file_too_large_to_be_a_data_file_is_refused_before_it_is_read_as_yaml(year):
    (year / "glossary.yaml").write_bytes(b"# " + b"x" * MAX_FILE_BYTES + b"\nterms: []\n")
    result = run("validate", "--data", "data")
    assert result.exit_code == 1
    assert "glossary.yaml:1:1: error: file is too large" in result.stderr


# ------------------------------------------------------------------------ diff at the limits


def _texts(rng: random.Random, count: int, length: int) -> list[str]:
    """Long, repetitive texts (the worst case of difflib's matcher) with sentence ends."""
    base = ("的" * 40 + "。") * (length // 41)
    out = []
    for _ in range(count):
        chars = list(base)
        for _ in range(20):
            chars[rng.randrange(len(chars))] = rng.choice("是在了有和")
        out.append("".join(chars))
    return out


def _prose(text: str) -> Prose:
    return Prose(text, Location("data/2022/unit.yaml", 1, 1), 1, "x")


def test_diff_of_the_longest_lists_and_texts_is_complete_and_bounded(model_2022):
    """Two years at the schema's limits, everything edited, reordered and repetitive: the
    pairwise matching and the character diff took more than ten minutes on far less."""
    rng = random.Random(14)
    old_duties = _texts(rng, 200, 3000)
    new_duties = [t[:1500] + "改" + t[1500:] for t in old_duties]
    rng.shuffle(new_duties)
    old_text = "的" * 10_000
    new_text = "是" + "的" * 9_998 + "是"

    def project(model, items, price):
        base = model.procurement.projects[0]
        first = base.items[0]
        made = tuple(
            dataclasses.replace(
                first, name=f"物品{i}", catalogue_code=f"A{i:08d}", unit_price=price
            )
            for i in items
        )
        return dataclasses.replace(base, items=made)

    def year_of(duties, text, items, price, rows):
        indicators = tuple(
            dataclasses.replace(model_2022.indicators[0], name=f"指标{i}") for i in rows
        )
        procurement = dataclasses.replace(
            model_2022.procurement,
            projects=(project(model_2022, items, price),) * 1,
        )
        return dataclasses.replace(
            model_2022,
            duties=tuple(_prose(t) for t in duties),
            other_matters=_prose(text),
            procurement=procurement,
            indicators=indicators,
        )

    items = list(range(1000))
    old = year_of(old_duties, old_text, items, Decimal("1.00"), range(1000))
    new = year_of(new_duties, new_text, items[::-1], Decimal("2.00"), range(999, -1, -1))
    result = diff_models(old, new)
    outputs = [render(result, fmt) for fmt in ("text", "md", "json")]
    counts = result.counts()
    assert counts["moved"] >= 999  # items and rows in reverse order
    assert "其他需要说明的事项" in outputs[0]
    # the Markdown goes into a pull request's summary: bounded, and says what it left out
    assert len(outputs[1]) <= 301_000
    assert outputs[1].rstrip().endswith("to see them all")
    assert "more lines of changes are not shown here" in outputs[1]


@pytest.mark.parametrize(
    ("amount", "refused"), [("9999999999.99", False), ("10000000000.00", True)]
)
def test_the_largest_amount_is_allowed_at_its_documented_maximum(year, amount, refused):
    """Schema limits read as decimals: read as a float, 9999999999.99 refused itself."""
    edit(year / "assets.yaml", "value: 1597.26", f"value: {amount}")
    result = run("validate", "--data", "data")
    too_large = [line for line in result.stderr.splitlines() if "expected at most" in line]
    assert bool(too_large) == refused, result.stderr


def test_a_file_with_thousands_of_problems_lists_the_first_hundred_and_counts_the_rest(year):
    glossary = year / "glossary.yaml"
    text = glossary.read_text("utf-8").rstrip("\n") + "\n"
    glossary.write_text(text + "".join(f"k{i}: 1\nk{i}: 2\n" for i in range(1500)), "utf-8")
    result = run("validate", "--data", "data")
    assert result.exit_code == 1
    lines = result.stderr.splitlines()
    located = [line for line in lines if line.startswith("data/2022/glossary.yaml:")]
    assert len(located) == 101
    assert located[-1] == (
        "data/2022/glossary.yaml: error: 2900 more problems in this file are not listed; "
        "fix the ones above and check again"
    )
    assert lines[-1].startswith("2022: 3000 error(s)")  # each key repeated and unknown


def test_a_unit_name_with_characters_windows_forbids_still_makes_a_file_name(model_2022):
    """Published files are checked out on clerks' Windows machines: \\ / : * ? " < > | are
    written in their full-width forms."""
    unit = dataclasses.replace(model_2022.unit, name='示范局:试点*一?"<>|')
    name = publish_naming(dataclasses.replace(model_2022, unit=unit), "pdf").split("/", 1)[1]
    assert not set(name) & set('\\/:*?"<>|'), name
    assert "示范局：试点＊一？＂＜＞｜" in name
