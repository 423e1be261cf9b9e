"""`disclosure new-year`: structure and text copied, the previous-year baseline taken from
the old year's computed figures, every other figure blank so `validate` lists it."""

from __future__ import annotations

import re
import shutil
from decimal import Decimal
from pathlib import Path

import pytest
from conftest import line_of
from fixtures.years import blank_paths, edit, fill_blanks, git, invoke, make_next_year

from compiler.edit.newyear import rewrite
from compiler.input.loader import load_text

DATA = Path(__file__).resolve().parents[2] / "data"


def new_year(data: Path, *args: str):
    result = invoke("new-year", *args, "--data", str(data))
    assert "Traceback" not in result.output
    return result


def load(path: Path):
    doc, problems = load_text(path.name, path.read_text(encoding="utf-8"))
    assert doc is not None and not problems, problems
    return doc.data


def test_new_year_copies_the_structure_and_drops_the_typed_baseline(data_copy):
    edit(
        data_copy / "2022" / "budget.yaml",
        "general_budget: 9272.51",
        "general_budget: 9272.51  # 财政批复数",
    )
    result = new_year(data_copy, "2023")
    assert result.exit_code == 0, result.output
    old, new = data_copy / "2022", data_copy / "2023"
    files = sorted(p.relative_to(old).as_posix() for p in old.rglob("*.yaml"))
    written = sorted(p.relative_to(new).as_posix() for p in new.rglob("*.yaml"))
    assert written == sorted([*files, "carried-over.yaml"])  # what it copied, to review
    for rel in files:  # the modeline stays first
        assert (new / rel).read_text(encoding="utf-8").splitlines()[0] == (old / rel).read_text(
            encoding="utf-8"
        ).splitlines()[0]
    for rel in ("glossary.yaml", "performance.yaml"):  # text only: copied as is
        assert (new / rel).read_bytes() == (old / rel).read_bytes()
    # unit.yaml too, but for what it says of 2022's edition alone (not_published)
    unit_old = (old / "unit.yaml").read_text(encoding="utf-8")
    assert "not_published" in unit_old
    assert (new / "unit.yaml").read_text(encoding="utf-8") == unit_old[
        : unit_old.index("not_published:")
    ]

    budget_text = (new / "budget.yaml").read_text(encoding="utf-8")
    assert "  general_budget:  # 财政批复数\n" in budget_text  # comments are kept
    budget = load(new / "budget.yaml")
    assert set(budget["income"].values()) == {None}
    assert [budget["expenditure"][k] for k in ("personnel", "public_operating", "project")] == [
        None
    ] * 3
    assert budget["expenditure"]["project_scope"] == "全部为本级支出"
    # 2022 is in the data: 2023's previous-year figures are computed from it, so the typed
    # block copied from 2022 (2021's figures) goes, with the comment that explained it.
    assert "previous_year" not in budget and "2021" not in budget_text
    assert budget["change_reasons"] == {"basic": None, "project": None}

    three = load(new / "three-public.yaml")
    assert set(three["current"].values()) == {None}
    assert (
        "previous" not in three
        and "#" not in (new / "three-public.yaml").read_text(encoding="utf-8").split("\n", 1)[1]
    )
    assert three["reasons"] == {"vehicles": None, "reception": None}
    assert "current:   {overseas: , vehicle_purchase: , vehicle_operation: , reception: }" in (
        new / "three-public.yaml"
    ).read_text(encoding="utf-8")

    assert load(new / "operating-costs.yaml")["amount"] is None
    item = load(new / "procurement.yaml")["projects"][0]["items"][0]
    assert item == {
        "name": "台式计算机",
        "catalogue_code": "A02010104",
        "unit": "台",
        "quantity": None,
        "unit_price": None,
        "funding": "一般公共预算拨款",
        "sme_reserved": True,
    }
    assert load(new / "assets.yaml")["categories"][0] == {
        "name": "房屋",
        "unit": "平方米",
        "quantity": None,
        "value": None,
        "of_which": [{"name": "办公用房", "unit": "平方米"}],
    }
    rows = load(new / "projects" / "01-office-building.yaml")["indicators"]
    assert rows[0]["target"] == {"sign": "≥", "value": None, "unit": "万平方米"}
    assert rows[5]["target"] == {"text": "提升"}  # words are text, not a figure
    assert not list(data_copy.glob(".*"))  # no staging folder left behind


def test_the_summary_says_what_to_fill_in(data_copy):
    out = new_year(data_copy, "2023").stdout
    assert out.startswith(f"Started {data_copy / '2023'} from 2022 (20 files).\n")
    assert (
        f"2023's previous-year figures are computed from {data_copy / '2022'}, so the typed "
        "previous-year figures copied from 2022 were deleted:\n"
        f"  {data_copy / '2023' / 'budget.yaml'}: previous_year\n"
        f"  {data_copy / '2023' / 'three-public.yaml'}: previous\n"
    ) in out
    assert re.search(r"budget\.yaml +8 amounts, 2 change reasons\n", out)
    assert re.search(r"procurement\.yaml +3 project budgets, 17 quantities, 17 unit prices\n", out)
    assert re.search(r"assets\.yaml +4 quantities, 4 asset values\n", out)
    assert "`disclosure validate 2023` lists each at its line" in out
    assert "Texts that mention 2022 or 2021" in out
    assert f"{data_copy / '2023' / 'performance.yaml'}:3: 2022年，市政府将坚持以习近平…" in out
    assert re.search(r"02-office-work\.yaml:6: …3\. 通过项目的开展完成2022年在", out)
    assert out.endswith(
        "Next:\n"
        "  1. Fill in 2023's figures and change reasons at the places listed above.\n"
        "  2. Revise the texts listed above for 2023.\n"
        "  3. Run `disclosure validate 2023` and correct each problem it lists, until it says "
        "“2023: valid”.\n"
    )


def test_validate_after_new_year_lists_each_blank_at_its_line(data_copy):
    assert new_year(data_copy, "2023").exit_code == 0
    result = invoke("validate", "--data", str(data_copy), "2023")
    assert result.exit_code == 1
    assert ": error: " not in result.stderr  # blanks are still to fill, not mistakes
    errors = [ln for ln in result.stderr.splitlines() if ": to fill: " in ln]
    expected = set()
    for rel, paths in blank_paths(data_copy / "2023").items():
        text = (data_copy / "2023" / rel).read_text(encoding="utf-8")
        doc, _ = load_text(rel, text)
        for path in paths:
            field = re.sub(r"\.(\d+)(?=\.|$)", r"[\1]", ".".join(map(str, path)))
            expected.add((rel, doc.locate(path).line, field))
    found = set()
    for line in errors:
        m = re.match(r".*/2023/(.+?):(\d+):\d+: to fill: (\S+): (.*)$", line)
        assert m, line
        assert re.fullmatch(
            r"expected (a number|a whole number|text) \(.+\), found nothing", m[4]
        ), line
        found.add((m[1], int(m[2]), m[3]))
    assert len(errors) == len(expected) == 146  # one error per blank, nothing else
    assert found == expected
    assert re.search(
        r"/2023/budget\.yaml:3:18: to fill: income\.general_budget: expected a number "
        r"\(.+\), found nothing$",
        result.stderr,
        re.M,
    )
    assert re.search(
        r"^2023: 146 value\(s\) still to fill, 0 other error\(s\)", result.stderr, re.M
    )
    budget = len(blank_paths(data_copy / "2023")["budget.yaml"])
    assert re.search(rf"^  \S+/2023/budget\.yaml: {budget} value\(s\)$", result.stderr, re.M)


def test_each_blank_is_named_by_its_own_title(data_copy):
    new_year(data_copy, "2023")
    err = invoke("validate", "--data", str(data_copy), "2023").stderr
    reason_line = line_of(data_copy / "2023" / "budget.yaml", "  basic:", after="change_reasons:")
    for where, message in (
        ("budget.yaml:3:18", "income.general_budget: expected a number (一般公共预算收入)"),
        (f"budget.yaml:{reason_line}:9", "change_reasons.basic: expected text (基本支出增减原因)"),
        ("three-public.yaml:2:77", "current.reception: expected a number (公务接待费)"),
        (
            "procurement.yaml:10:20",
            "projects[0].items[0].unit_price: expected a number (单价（万元）)",
        ),
        ("assets.yaml:5:14", "categories[0].quantity: expected a number (数量)"),
    ):
        assert f"{where}: to fill: {message}, found nothing" in err


def test_a_filled_in_year_validates(data_copy):
    new_year(data_copy, "2023")
    fill_blanks(data_copy / "2023", data_copy / "2022")
    result = invoke("validate", "--data", str(data_copy), "2023")
    assert result.exit_code == 0, result.stderr


def test_new_year_refuses_to_overwrite_a_year(data_copy):
    assert new_year(data_copy, "2023").exit_code == 0
    budget = data_copy / "2023" / "budget.yaml"
    edit(budget, "  general_budget:\n", "  general_budget: 9300.00\n")
    before = budget.read_bytes()
    result = new_year(data_copy, "2023")
    assert result.exit_code == 2
    assert "2023 already exists: new-year never overwrites a year" in result.stderr
    assert budget.read_bytes() == before
    (data_copy / "2024").mkdir()  # even an empty folder is somebody's
    assert new_year(data_copy, "2024", "--from", "2022").exit_code == 2


def test_the_default_start_is_the_latest_earlier_year(data_copy):
    make_next_year(
        data_copy,
        {
            ("budget.yaml", ("expenditure", "personnel")): Decimal("3300.00"),
            ("budget.yaml", ("income", "general_budget")): Decimal("9265.46"),
        },
    )
    result = new_year(data_copy, "2024")
    assert result.exit_code == 0, result.output
    assert "from 2023 (20 files)" in result.stdout
    # 2023 has no typed baseline (new-year dropped it) and 2024's is computed from 2023.
    assert "previous_year" not in load(data_copy / "2024" / "budget.yaml")
    assert f"2024's previous-year figures are computed from {data_copy / '2023'}." in result.stdout


def test_skipping_a_year_is_allowed_with_a_note(data_copy):
    result = new_year(data_copy, "2025")
    assert result.exit_code == 0
    assert (
        "note: 2025's previous year is 2024, but the previous-year figures below are 2022's"
        in result.stdout
    )
    # 2024 is not in the data, so the baseline is typed: 2022's computed figures.
    budget = load(data_copy / "2025" / "budget.yaml")
    assert budget["previous_year"] == {"basic": Decimal("4158.17"), "project": Decimal("5411.71")}
    assert f"  {data_copy / '2025' / 'budget.yaml'}: previous_year.basic = 4158.17\n" in (
        result.stdout
    )


def test_a_skipped_year_s_baseline_replaces_the_old_year_s_not_published(data_copy):
    """A first year gives last year's figures as 未公开; a year started from it two years on
    gets the first year's own figures, which are published — never 未公开 carried on."""
    edit(
        data_copy / "2022" / "budget.yaml",
        "previous_year:\n  basic: 3709.97\n  project: 7742.83\n",
        "previous_year: 未公开\n",
    )
    edit(data_copy / "2022" / "three-public.yaml", "reception: 21.67}", "reception: 未公开}")
    result = new_year(data_copy, "2024")
    assert result.exit_code == 0, result.output
    budget = load(data_copy / "2024" / "budget.yaml")
    assert budget["previous_year"] == {"basic": Decimal("4158.17"), "project": Decimal("5411.71")}
    three = load(data_copy / "2024" / "three-public.yaml")
    assert three["previous"]["reception"] == Decimal("20.67")
    assert "未公开" not in (data_copy / "2024" / "budget.yaml").read_text(encoding="utf-8")


def test_starting_from_a_year_with_errors_prints_them_and_is_trouble(data_copy):
    new_year(data_copy, "2023")  # blank, so not valid yet
    result = new_year(data_copy, "2024")
    assert result.exit_code == 2
    assert "2023 has data errors; fix them first" in result.stderr
    assert re.search(r"2023/budget\.yaml:3:18: to fill: income\.general_budget", result.stderr)
    assert not (data_copy / "2024").exists()


@pytest.mark.parametrize(
    "args, message",
    [
        (("2020",), "no year before 2020"),
        (("2021", "--from", "2022"), "start 2021 from an earlier year, not from 2022"),
        (("2023", "--from", "2019"), "no data for 2019"),
        (("2023", "--from", "2022@HEAD"), "is not inside a git repository"),
        (("23",), "Invalid value for 'YEAR'"),
    ],
)
def test_new_year_trouble(data_copy, args, message):
    result = new_year(data_copy, *args)
    assert result.exit_code == 2
    assert message in result.stderr
    assert not (data_copy / "2023").exists() and not (data_copy / "2021").exists()


def test_new_year_from_a_git_revision(tmp_path):
    root = tmp_path / "repo"
    shutil.copytree(DATA / "2022", root / "data" / "2022")
    git(root, "init", "-q")
    git(root, "add", ".")
    git(root, "commit", "-qm", "2022")
    edit(root / "data" / "2022" / "unit.yaml", "廊坊市人民政府办公室", "某某办公室")
    result = new_year(root / "data", "2023", "--from", "2022@HEAD")
    assert result.exit_code == 0, result.output
    assert "from 2022@HEAD" in result.stdout
    # The files come from HEAD, not from the edited working tree …
    head = (DATA / "2022" / "unit.yaml").read_text(encoding="utf-8")
    copied = (root / "data" / "2023" / "unit.yaml").read_text(encoding="utf-8")
    assert copied == head[: head.index("not_published:")]  # 2022's edition's own, not copied
    # … and the baseline from the 2022 the compiler will read for 2023: the working tree's.
    assert "previous" not in load(root / "data" / "2023" / "three-public.yaml")
    assert "2023's previous-year figures are computed from" in result.stdout


def test_keep_targets_copies_the_target_values_and_says_so(data_copy):
    result = new_year(data_copy, "2023", "--keep-targets")
    assert "Kept 84 indicator target values from 2022 (--keep-targets)" in result.stdout
    rows = load(data_copy / "2023" / "indicators.yaml")["indicators"]
    assert rows[0]["target"] == {"sign": "≥", "value": Decimal("160"), "unit": "件"}
    assert not re.search(r"yaml +.*target value", result.stdout)


def test_rewrite_edits_values_in_place():
    text = (
        "# yaml-language-server: $schema=x\n"
        "a: 1.50   # kept\n"
        "b: {x: 0, y: 2}\n"
        "c:\n"
        "  - |-\n"
        "    多行\n"
        "    文字\n"
        "d: 3\n"
    )
    blanked = rewrite(text, {("a",): None, ("b", "x"): None, ("c", 0): None, ("d",): "4.00"})
    assert blanked == (
        "# yaml-language-server: $schema=x\na:   # kept\nb: {x: , y: 2}\nc:\n  -\nd: 4.00\n"
    )
    filled = rewrite(blanked, {("a",): "2.00", ("b", "x"): "1"})
    assert filled.startswith(
        "# yaml-language-server: $schema=x\na: 2.00   # kept\nb: {x: 1, y: 2}\n"
    )
