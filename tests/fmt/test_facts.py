"""`disclosure fmt` never changes a fact: an amount typed with thousands separators becomes
the plain number or the file is refused; and, over the real data with every slip fmt
repairs injected, the result holds exactly the facts the clerk meant, or fmt refuses."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest
import yaml
from conftest import DATA, ROOT, edit
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from compiler.fmt.facts import grouped_number
from compiler.fmt.formatter import format_file
from compiler.input.loader import NUMBER, load_text
from compiler.input.schema import validator_for
from compiler.paths import kind_of

WANLI = ROOT / "examples" / "wanli" / "data"


def facts(text: str):
    doc, problems = load_text("x.yaml", text)
    assert doc is not None and not problems, [p.format_text() for p in problems]
    return _comparable(doc.data)


def _comparable(value):
    """The data with each number as written (0.70 is not 0.7) and its type kept."""
    if isinstance(value, dict):
        return {k: _comparable(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_comparable(v) for v in value]
    if isinstance(value, Decimal):
        return ("number", str(value))
    return (type(value).__name__, value)


def fmt_text(text: str, kind: str):
    return format_file("x.yaml", text.encode("utf-8"), kind)


# --- the amount meant -------------------------------------------------------------------


@pytest.mark.parametrize(
    "typed, meant",
    [
        ("3,390.10", "3390.10"),
        ("3，390.10", "3390.10"),
        ("1,234,567.00", "1234567.00"),
        ("３，３９０.１０", "3390.10"),
        ('"26,300"', "26300"),
        ("“26,300”", "26300"),
        ("-1,000", "-1000"),
    ],
)
def test_an_amount_with_thousands_separators_means_the_plain_number(typed, meant):
    assert grouped_number(typed) == meant


@pytest.mark.parametrize(
    "typed", ["33,90", "1,2345", "3, 390", "3,390,1", ",390", "3390", "1.234,5"]
)
def test_text_that_is_not_exactly_grouped_is_no_amount(typed):
    assert grouped_number(typed) is None


LINES = (
    "amount_unit: 元\n"
    "function:\n"
    '  - {code: "2010506", project: 26300}   # 统计管理\n'
    '  - {code: "2010507", basic: 1000, project: 601300}\n'
)


@pytest.mark.parametrize(
    "typed, line",
    [
        ("project: 26,300", 3),  # YAML reads `project: 26` and a key `300` with no value
        ("project: 26，300", 3),  # a full-width comma: one text value
        ('project: "26,300"', 3),
        ("project: ２６，３００", 3),
    ],
)
def test_an_amount_in_braces_is_joined_back(typed, line):
    text = LINES.replace("project: 26300", typed)
    result = fmt_text(text, "lines")
    assert not result.problems and result.internal is None
    assert facts(result.text) == facts(LINES)
    assert any("thousands separators" in c.message and c.line == line for c in result.changes)
    assert "26300" in result.text.split("\n")[line - 1]


def test_several_groups_and_decimals_in_braces():
    text = LINES.replace("project: 601300", "project: 1,601,300.50")
    result = fmt_text(text, "lines")
    assert facts(result.text) == facts(LINES.replace("601300", "1601300.50"))
    assert "project: 1601300.50}" in result.text


def test_an_amount_in_block_style_becomes_the_plain_number(data_copy, cli):
    budget = data_copy / "2022" / "budget.yaml"
    before = facts(budget.read_text(encoding="utf-8"))
    edit(budget, "  general_budget: 9272.51\n", "  general_budget: 9,272.51\n")
    edit(budget, "  personnel: 3307.05\n", '  personnel: "3，307.05"\n')
    result = cli("fmt", "--data", str(data_copy), "2022")
    assert result.exit_code == 0, result.output
    assert "budget.yaml:3: thousands separators in 9,272.51 removed: written as 9272.51" in (
        result.stdout
    )
    assert "budget.yaml:9: thousands separators in 3，307.05 removed" in result.stdout
    assert facts(budget.read_text(encoding="utf-8")) == before


def test_a_block_list_of_amounts(tmp_path):
    funding = (WANLI / "2023" / "project-funding.yaml").read_text(encoding="utf-8")
    block = funding.replace(
        "quarterly: [25.88, 180.74, 186.60, 16.78]",
        "quarterly:\n      - 1,025.88\n      - 180.74\n      - 186.60\n      - 16.78",
    )
    assert block != funding
    result = fmt_text(block, "project-funding")
    assert not result.problems and result.internal is None
    assert facts(result.text) == facts(block.replace("1,025.88", "1025.88"))


@pytest.mark.parametrize(
    "typed",
    [
        "project: 26, 300",  # a space after the comma: a key `300`, or a slip?
        "project: 26,30",  # not a thousands group
        "project: 26, basic",  # an entry without a colon
    ],
)
def test_a_brace_entry_without_a_field_name_is_refused(data_copy, cli, typed):
    (data_copy / "2023").mkdir()
    lines = data_copy / "2023" / "lines.yaml"
    lines.write_text(LINES.replace("project: 26300", typed), encoding="utf-8")
    before = lines.read_bytes()
    result = cli("fmt", "--data", str(data_copy), "2023")
    assert result.exit_code == 1
    assert re.search(
        r"2023/lines\.yaml:3:\d+: error: '.+' in braces \{…\} has no field name", (result.stderr)
    ), result.stderr
    assert "fmt cannot tell which figure is meant" in result.stderr
    assert lines.read_bytes() == before
    assert "Traceback" not in result.output


def test_the_refusal_says_the_amount_when_it_can(data_copy, cli):
    (data_copy / "2023").mkdir()
    lines = data_copy / "2023" / "lines.yaml"
    lines.write_text(LINES.replace("project: 26300", "project: 26, 300"), encoding="utf-8")
    result = cli("fmt", "--data", str(data_copy), "2023")
    assert "write the amount without thousands separators (26300)" in result.stderr


def test_the_refusal_in_chinese(data_copy, cli, chinese):
    (data_copy / "2023").mkdir()
    lines = data_copy / "2023" / "lines.yaml"
    lines.write_text(LINES.replace("project: 26300", "project: 26, 300"), encoding="utf-8")
    result = cli("fmt", "--data", str(data_copy), "2023")
    assert result.exit_code == 1
    assert "lines.yaml:3:" in result.stderr
    assert "千位分隔符" in result.stderr and "26300" in result.stderr
    assert "未作改动" in result.stderr


@pytest.mark.parametrize(
    "typed",
    [
        "[1,025.88, 180.74, 186.60, 16.78]",
        "[1，025.88，180.74，186.60，16.78]",
        "[25，180，186，16]",  # 25180186 and 16, or four amounts?
    ],
)
def test_a_comma_in_brackets_is_refused(typed):
    funding = (WANLI / "2023" / "project-funding.yaml").read_text(encoding="utf-8")
    text = funding.replace("[25.88, 180.74, 186.60, 16.78]", typed)
    assert text != funding
    result = fmt_text(text, "project-funding")
    assert result.unclear and result.text is None
    assert [p.location.line for p in result.problems] == [13]
    assert "in brackets" in result.problems[0].message


def test_full_width_commas_between_decimals_in_brackets_are_still_repaired():
    funding = (WANLI / "2023" / "project-funding.yaml").read_text(encoding="utf-8")
    text = funding.replace("[25.88, 180.74, 186.60, 16.78]", "[25.88，180.74，186.60，16.78]")
    result = fmt_text(text, "project-funding")
    assert not result.problems
    assert facts(result.text) == facts(funding)


def test_a_text_value_with_a_comma_between_digits_is_text():
    budget = (DATA / "2022" / "budget.yaml").read_text(encoding="utf-8")
    text = budget.replace("  basic: 主要为人员经费支出", "  basic: 1,234")
    assert text != budget
    result = fmt_text(text, "budget")
    assert not result.problems and result.internal is None
    assert result.text is None  # nothing to change: a reason is text, whatever it says


# --- the property: every slip fmt repairs, over the real data ---------------------------

FILES = sorted(
    (path, kind_of(path.relative_to(year).as_posix()))
    for year in [DATA / "2022", *sorted(WANLI.iterdir())]
    for path in year.rglob("*.yaml")
)
_Parser = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_FULL = str.maketrans("0123456789", "０１２３４５６７８９")


def _slips(text: str) -> list[tuple[int, int, list[str]]]:
    """(start, end, ways a clerk could type text[start:end]) at each place of the file
    where fmt repairs a slip: numbers, codes, a key's colon, a flow collection's commas
    and brackets, indentation, and each pair of quotes “…” in text (the layouts of the
    real data write “”), typed straight, in 「」 or the wrong way round."""
    node = yaml.compose(text, Loader=_Parser)
    found: list[tuple[int, int, list[str]]] = []
    inside: list[tuple[int, int]] = []  # multi-line scalars: their lines are text

    def scalar(n, is_key: bool, in_flow: bool = False) -> None:
        s, e = n.start_mark.index, n.end_mark.index
        if n.start_mark.line != n.end_mark.line:
            inside.append((n.start_mark.line, n.end_mark.line))
        if is_key:
            if text[e : e + 2] == ": ":
                found.append((e, e + 2, ["：", "：", ":\t", ":\u3000", "："]))
            return
        if not n.style and NUMBER.fullmatch(n.value):
            digits = n.value.lstrip("-")
            ways = [n.value.translate(_FULL), f'"{n.value}"']
            whole = digits.split(".")[0]
            if len(whole) > 3:
                head = len(whole) % 3 or 3
                groups = [whole[:head]] + [whole[i : i + 3] for i in range(head, len(whole), 3)]
                rest = n.value[len(n.value) - len(digits) + len(whole) :]
                sign = "-" if n.value.startswith("-") else ""
                ways += [sign + sep.join(groups) + rest for sep in (",", "，")]
                ways.append(sign + ",".join(groups).translate(_FULL) + rest)
            found.append((s, e, ways))
        elif n.style == '"' and n.value.isdigit() and len(n.value) >= 6:  # a code
            found.append((s, e, [n.value, f"“{n.value}”", n.value.translate(_FULL)]))
        elif n.style in (None, "|", ">") and re.fullmatch(
            r"(?:[^“”「」\"]*“[^“”「」\"]*”)+[^“”「」\"]*", n.value
        ):
            for m in re.finditer(r"“([^“”\n]*)”", text[s:e]):
                inner = m.group(1)
                ways = [f"「{inner}」", f"”{inner}“", f"“{inner}“"]
                if n.style or (m.start() and not in_flow):  # a " would not start a scalar
                    ways.insert(0, f'"{inner}"')
                found.append((s + m.start(), s + m.end(), ways))

    def walk(n, in_flow: bool = False) -> None:
        if isinstance(n, yaml.ScalarNode):
            scalar(n, False, in_flow)
            return
        pairs = n.value if isinstance(n, yaml.MappingNode) else [(None, v) for v in n.value]
        for key, value in pairs:
            if key is not None:
                scalar(key, True)
            walk(value, in_flow or bool(n.flow_style))
        if n.flow_style and n.start_mark.line == n.end_mark.line:
            s, e = n.start_mark.index, n.end_mark.index
            closing = {"{": "｝", "[": "］"}[text[s]]
            found.append((s, s + 1, ["｛" if text[s] == "{" else "［"]))
            found.append((e - 1, e, [closing]))
            # the gap between an entry's value and the next entry (its key, or its item)
            for (_k1, v1), (k2, v2) in zip(pairs, pairs[1:], strict=False):
                after = (k2 if k2 is not None else v2).start_mark.index
                if text[v1.end_mark.index : after] == ", ":
                    found.append((v1.end_mark.index, after, ["，", "， ", ","]))

    if node is not None:
        walk(node)
    # indentation of lines that start a key or an entry, outside multi-line scalars
    offset = 0
    for number, line in enumerate(text.split("\n")):
        spaces = len(line) - len(line.lstrip(" "))
        rest = line[spaces:]
        text_line = any(a < number <= b for a, b in inside)
        if spaces >= 2 and rest and not rest.startswith("#") and not text_line:
            ways = ["\t" + " " * (spaces - 2), "\u3000" + " " * (spaces - 2), "\t" * (spaces // 2)]
            found.append((offset, offset + spaces, ways))
        offset += len(line) + 1
    found.sort()
    return found


@st.composite
def slipped(draw):
    path, kind = draw(st.sampled_from(FILES))
    text = path.read_text(encoding="utf-8")
    places = _slips(text)
    chosen = draw(
        st.lists(st.sampled_from(range(len(places))), min_size=1, max_size=6, unique=True)
    )
    edits, last = [], -1
    for start, end, ways in sorted(places[i] for i in chosen):
        if start < last:
            continue  # overlapping places: one slip each
        edits.append((start, end, draw(st.sampled_from(ways))))
        last = end
    typed = text
    for start, end, new in reversed(edits):
        typed = typed[:start] + new + typed[end:]
    return path, kind, text, typed


def _loaded(text: str):
    doc, problems = load_text("x.yaml", text)
    assert doc is not None and not problems, [p.format_text() for p in problems]
    return doc.data


def _differences(meant, written, path=()) -> list[tuple]:
    """The paths where `written` says something other than `meant`; a key one has and
    the other has not is ("key", path)."""
    if isinstance(meant, dict) and isinstance(written, dict):
        found = [("key", (*path, k)) for k in set(meant) ^ set(written)]
        for key in set(meant) & set(written):
            found += _differences(meant[key], written[key], (*path, key))
        return found
    if isinstance(meant, list) and isinstance(written, list) and len(meant) == len(written):
        found = []
        for index, (a, b) in enumerate(zip(meant, written, strict=True)):
            found += _differences(a, b, (*path, index))
        return found
    return [] if _comparable(meant) == _comparable(written) else [("value", path)]


@settings(
    max_examples=120,
    derandomize=True,
    database=None,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(slipped())
def test_slips_give_the_facts_meant_or_a_refusal(case):
    """Exactly the facts meant, or refused. A slip fmt leaves (a full-width bracket
    whose list holds a quoted number) may stay only as what validate rejects at that very
    field: never a plausible third value, and never a field YAML made up (`300: null`)."""
    path, kind, text, typed = case
    meant = _loaded(text)
    result = format_file(path.name, typed.encode("utf-8"), kind)
    assert result.internal is None, (result.internal, typed)
    if result.problems:
        return  # refused: the file is left as it was and the clerk is told where
    written = _loaded(result.text if result.text is not None else typed)
    rejected = {tuple(e.absolute_path) for e in validator_for(kind).iter_errors(written)}
    for what, where in _differences(meant, written):
        assert what == "value" and where in rejected, (what, where, typed)


def test_every_slip_at_once_gives_exactly_the_facts_meant():
    """Each real file with a slip at every place (full-width digits, colons, commas and
    brackets, codes without quotes) comes back with exactly its facts: the repairs work
    together, and the property above is not met by refusing everything."""
    for path, kind in FILES:
        text = path.read_text(encoding="utf-8")
        typed = text
        for start, end, ways in reversed(_slips(text)):
            if ways[0].strip(" \t\u3000"):  # not indentation: that depends on widths
                typed = typed[:start] + ways[0] + typed[end:]
        result = format_file(path.name, typed.encode("utf-8"), kind)
        assert not result.problems and result.internal is None, (path, result.problems)
        assert facts(result.text if result.text is not None else typed) == facts(text), path
        assert typed == text or result.text is not None


def test_the_slips_reach_every_kind_of_place():
    """The property above is not vacuous: each kind of slip is found in the real data."""
    kinds = {
        "number": 0,
        "grouped": 0,
        "code": 0,
        "colon": 0,
        "comma": 0,
        "bracket": 0,
        "straight quotes": 0,
        "corner quotes": 0,
    }
    for path, _kind in FILES:
        for _s, _e, ways in _slips(path.read_text(encoding="utf-8")):
            kinds["number"] += any(w.startswith('"') and w[1:2].isdigit() for w in ways)
            kinds["grouped"] += any(
                "," in w and w.replace(",", "").replace(".", "").isdigit() for w in ways
            )
            kinds["code"] += any(w.startswith("“") for w in ways)
            kinds["colon"] += "：" in ways
            kinds["comma"] += "，" in ways
            kinds["bracket"] += "｛" in ways or "［" in ways
            kinds["straight quotes"] += any(w[:1] == '"' and not w[1:2].isdigit() for w in ways)
            kinds["corner quotes"] += any(w.startswith("「") for w in ways)
    assert all(kinds.values()), kinds


def test_every_real_file_is_in_the_property():
    assert len(FILES) >= 40
    assert all(kind is not None for _path, kind in FILES)
    assert {kind for _p, kind in FILES} >= {"lines", "budget", "project", "project-funding"}
