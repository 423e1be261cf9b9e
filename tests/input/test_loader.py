"""The strict YAML loader: exact decimals, no YAML 1.1 surprises, hostile input refused."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from compiler.diagnostics import Location
from compiler.input.loader import MAX_DEPTH, load_bytes, load_bytes_once, load_text

DATA_2022 = Path(__file__).resolve().parents[2] / "data" / "2022"


def load_ok(text: str):
    doc, problems = load_text("x.yaml", text)
    assert problems == [], [p.format_text() for p in problems]
    assert doc is not None
    return doc.data


def load_bad(text: str):
    """Load text that must fail; returns its one diagnostic."""
    doc, problems = load_text("x.yaml", text)
    assert len(problems) == 1, [p.format_text() for p in problems]
    return doc, problems[0]


# --- scalars ---


def test_numbers_load_as_exact_decimals():
    data = load_ok("a: 0.1\nb: 0.2\n")
    assert type(data["a"]) is Decimal and type(data["b"]) is Decimal
    assert data["a"] + data["b"] == Decimal("0.30")
    assert data["a"] + data["b"] != 0.1 + 0.2  # what a float would have given


def test_decimals_keep_the_digits_as_written():
    data = load_ok("a: 425.00\nb: 0.70\nc: 0\nd: 9272.51\ne: -3.5\n")
    assert {k: str(v) for k, v in data.items()} == {
        "a": "425.00",
        "b": "0.70",
        "c": "0",
        "d": "9272.51",
        "e": "-3.5",
    }
    assert all(type(v) is Decimal for v in data.values())


@pytest.mark.parametrize("word", ["no", "yes", "on", "off", "y", "n", "No", "YES", "True", "FALSE"])
def test_yaml11_booleans_stay_text(word):
    assert load_ok(f"a: {word}\n") == {"a": word}


def test_true_and_false_are_booleans():
    assert load_ok("a: true\nb: false\n") == {"a": True, "b": False}


@pytest.mark.parametrize("text", ["~", "null", ""])
def test_nulls(text):
    assert load_ok(f"a: {text}\n") == {"a": None}


@pytest.mark.parametrize(
    "text",
    [
        "010",  # not octal 8, not 10
        "A02010104",
        "1e3",  # not 1000.0
        "1E3",
        "0x1F",
        ".5",
        "+1",
        "1_000",
        "12:30",  # not sexagesimal 750
        "2021-12-31",  # not a date
        ".inf",
        ".nan",
    ],
)
def test_other_plain_scalars_stay_text_exactly_as_written(text):
    data = load_ok(f"a: {text}\n")
    assert data == {"a": text}
    assert type(data["a"]) is str


def test_zero_padded_code_stays_the_string_010():
    assert load_ok("code: 010\n")["code"] == "010"


@pytest.mark.parametrize("quoted", ['"12"', "'12.50'", '"9272.51"', '"true"', '"null"'])
def test_a_quoted_value_is_text(quoted):
    data = load_ok(f"a: {quoted}\n")
    assert data["a"] == quoted[1:-1]
    assert type(data["a"]) is str


def test_block_scalar_number_is_text():
    assert load_ok("a: |-\n  12\n") == {"a": "12"}


def test_keys_are_text():
    data = load_ok("2022: a\ntrue: b\n010: c\n")
    assert list(data) == ["2022", "true", "010"]


# --- duplicate keys ---


def test_duplicate_key_gives_one_diagnostic_naming_both_lines():
    text = "income:\n  general_budget: 1\n  fund_budget: 0\n  other: 0\n  general_budget: 2\n"
    doc, problem = load_bad(text)
    assert problem.location == Location("x.yaml", 5, 3)
    assert problem.field == "income.general_budget"
    assert "duplicate key 'general_budget'" in problem.message
    assert "line 2" in problem.message and "line 5" in problem.message
    assert problem.is_error


# --- anchors, aliases, tags: refused before anything is built ---


def test_anchor_is_refused_with_location():
    doc, problem = load_bad("a: 1\nb: &x {c: 1}\n")
    assert doc is None
    assert problem.location == Location("x.yaml", 2, 4)
    assert "anchor &x is not allowed" in problem.message


def test_alias_is_refused_with_location():
    doc, problem = load_bad("a: 1\nb: *x\n")
    assert doc is None
    assert problem.location == Location("x.yaml", 2, 4)
    assert "alias *x is not allowed" in problem.message


def test_billion_laughs_is_refused_quickly():
    lines = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for i in range(1, 10):
        prev, cur = chr(ord("a") + i - 1), chr(ord("a") + i)
        lines.append(f"{cur}: &{cur} [" + ",".join([f"*{prev}"] * 9) + "]")
    doc, problems = load_text("x.yaml", "\n".join(lines) + "\n")
    assert doc is None
    assert len(problems) == 1 and problems[0].location.line == 1
    assert "anchor &a is not allowed" in problems[0].message


def test_python_tag_is_refused_and_never_constructed(tmp_path):
    target = tmp_path / "pwned"
    text = f"a: 1\nb: !!python/object/apply:os.mkdir [{str(target)!r}]\n"
    doc, problem = load_bad(text)
    assert doc is None
    assert problem.location == Location("x.yaml", 2, 4)
    assert "tag !!python/object/apply:os.mkdir is not allowed" in problem.message
    assert not target.exists()


@pytest.mark.parametrize("tagged", ["!!str 12", "!!float 1", "!custom x", "!!binary aGk="])
def test_any_explicit_tag_is_refused(tagged):
    doc, problem = load_bad(f"a: {tagged}\n")
    assert doc is None
    assert problem.location == Location("x.yaml", 1, 4)
    assert "is not allowed" in problem.message


# --- broken files ---


def test_malformed_yaml_gives_a_located_diagnostic():
    doc, problem = load_bad("a: 1\nb: [1, 2\nc: 3\n")
    assert doc is None
    assert problem.message.startswith("malformed YAML")
    assert problem.location.file == "x.yaml"
    assert problem.location.line in (2, 3)
    assert problem.location.column >= 1


def test_bad_indentation_gives_a_located_diagnostic():
    doc, problem = load_bad("a:\n  b: 1\n c: 2\n")
    assert doc is None
    # said in the words of someone typing the file, not the parser's
    assert "matches none of the levels above (0, 2)" in problem.message
    assert problem.location.line == 3


def test_two_documents_in_one_file_are_refused():
    doc, problem = load_bad("a: 1\n---\nb: 2\n")
    assert doc is None
    assert problem.location.line == 2


def test_control_character_gives_a_located_one_line_diagnostic():
    # A form feed is what copy-pasting from a PDF leaves behind; YAML forbids it.
    doc, problem = load_bad("a: 1\nb: 2\nc: te\x0cxt\n")
    assert problem.location == Location("x.yaml", 3, 6)
    assert problem.field == "c"
    assert "U+000C FORM FEED" in problem.message
    assert "\n" not in problem.format_text()


@pytest.mark.parametrize(
    "text",
    [
        "a: " + "[" * 10_000 + "]" * 10_000 + "\n",
        "a: " + "{b: " * 10_000 + "1" + "}" * 10_000 + "\n",
        "".join("  " * i + "a:\n" for i in range(3_000)),
        "".join("  " * i + "-\n" for i in range(3_000)),
    ],
    ids=["flow-sequences", "flow-mappings", "block-mappings", "block-sequences"],
)
def test_deep_nesting_is_a_diagnostic_not_a_recursion_error(text):
    doc, problem = load_bad(text)
    assert doc is None
    assert f"nesting deeper than {MAX_DEPTH} levels" in problem.message
    assert problem.location.line >= 1


def test_the_nesting_limit_is_the_loaders_own_and_located():
    # libyaml scans `[[[[…` ahead and newer releases stop it with an English message of their
    # own: the loader's count comes first, at the bracket that goes one level too deep.
    doc, problem = load_bad("a: 1\nb: " + "[" * (MAX_DEPTH + 5) + "]" * (MAX_DEPTH + 5) + "\n")
    assert problem.message == f"nesting deeper than {MAX_DEPTH} levels"
    assert (problem.location.line, problem.location.column) == (2, 4 + MAX_DEPTH)


def test_brackets_in_quoted_text_and_comments_are_not_nesting():
    brackets = "[" * (MAX_DEPTH + 5)
    data = load_ok(f"a: '{brackets}'\nb: \"{brackets}\"  # {brackets}\nc: [1, [2]]\n")
    assert data == {"a": brackets, "b": brackets, "c": [Decimal(1), [Decimal(2)]]}


def test_nesting_within_the_cap_loads():
    depth = MAX_DEPTH - 2
    data = load_ok("a: " + "[" * depth + "1" + "]" * depth + "\n")
    data = data["a"]
    for _ in range(depth):
        data = data[0]
    assert data == Decimal("1")


def test_non_utf8_bytes_give_a_diagnostic_with_line():
    raw = "a: 1\nb: 文字\n".encode() + b"c: \xff\xfe\n"
    doc, problems = load_bytes("x.yaml", raw)
    assert doc is None
    assert len(problems) == 1
    assert problems[0].location == Location("x.yaml", 3, 1)
    assert "UTF-8" in problems[0].message


def test_gbk_encoded_file_gives_a_diagnostic():
    doc, problems = load_bytes("x.yaml", "a: 廊坊市\n".encode("gbk"))
    assert doc is None
    assert len(problems) == 1 and "UTF-8" in problems[0].message


def test_utf8_byte_order_mark_is_accepted():
    doc, problems = load_bytes("x.yaml", "\ufeffa: 1\n".encode())
    assert problems == []
    assert doc.data == {"a": Decimal("1")}


# --- locations ---


@pytest.fixture(scope="module")
def budget_doc():
    doc, problems = load_bytes("budget.yaml", (DATA_2022 / "budget.yaml").read_bytes())
    assert problems == []
    return doc


def test_locate_a_value(budget_doc):
    # line 3 is "  general_budget: 9272.51": the value starts in column 19
    assert budget_doc.locate(("income", "general_budget")) == Location("budget.yaml", 3, 19)
    lines = (DATA_2022 / "budget.yaml").read_text(encoding="utf-8").splitlines()
    row = next(n for n, text in enumerate(lines, 1) if text == "  project: 7742.83")
    assert budget_doc.locate(("previous_year", "project")) == Location("budget.yaml", row, 12)


def test_locate_a_key(budget_doc):
    assert budget_doc.locate_key(("income", "general_budget")) == Location("budget.yaml", 3, 3)
    assert budget_doc.locate_key(("income",)) == Location("budget.yaml", 2, 1)


def test_locate_an_absent_path_falls_back_to_the_nearest_enclosing_value(budget_doc):
    assert budget_doc.locate(("income", "nonexistent")) == budget_doc.locate(("income",))
    assert budget_doc.locate(("income", "nonexistent")).line in (2, 3)


def test_locate_inside_flow_mappings_and_lists():
    text = (DATA_2022 / "three-public.yaml").read_text(encoding="utf-8")
    doc, problems = load_text("three-public.yaml", text)
    assert problems == []
    row, line = next(
        (n, line) for n, line in enumerate(text.splitlines(), 1) if line.startswith("previous:")
    )  # previous:  {overseas: 0, ..., reception: 21.67}
    column = line.index("21.67") + 1
    assert doc.locate(("previous", "reception")) == Location("three-public.yaml", row, column)

    doc = load_text("x.yaml", "items:\n  - a\n  - name: b\n    qty: 3\n")[0]
    assert doc.locate(("items", 1, "qty")) == Location("x.yaml", 4, 10)
    assert doc.locate(("items", 0)) == Location("x.yaml", 2, 5)


def test_the_same_bytes_loaded_once_are_placed_in_each_file_that_holds_them():
    """A year's files are parsed once a process (load_bytes_once): a copy under another
    name gets its own locations, problems included, and the same data as load_bytes."""
    raw = b"income:\n  general_budget: 9.10\n  general_budget: 1\n"
    expected, expected_problems = load_bytes("a/budget.yaml", raw)
    first, first_problems = load_bytes_once("a/budget.yaml", raw)
    copy, copy_problems = load_bytes_once("b/budget.yaml", raw)
    assert first == expected and first_problems == expected_problems
    assert copy.data == expected.data and copy.raw == raw
    assert copy.locate(("income", "general_budget")) == Location("b/budget.yaml", 2, 19)
    assert copy.locate_key(("income",)) == Location("b/budget.yaml", 1, 1)
    assert [p.location for p in copy_problems] == [Location("b/budget.yaml", 3, 3)]
    assert [p.message for p in copy_problems] == [p.message for p in expected_problems]
