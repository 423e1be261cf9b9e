"""Every warning is actionable or absent (issue 26 part 1): a year's declared
not-published tables are one line of information, a cause shared by a department's
units is one line naming the files, and the fonts of a PDF are named only when asked."""

from __future__ import annotations

from fixtures.departments import hebei_department_of


def _lines(result) -> list[str]:
    return result.stderr.strip().splitlines()


# Eight units: more than the five files a grouped line names, so it says how many more.
def test_a_department_of_eight_units_prints_one_line_per_cause(tmp_path, cli):
    data = hebei_department_of(tmp_path, 8, declared=False)
    result = cli("--lang", "en", "validate", "--data", str(data))
    assert result.exit_code == 0, result.stderr
    lines = _lines(result)
    tables = [ln for ln in lines if "statutory tables (公开表) are not published" in ln]
    assert len(tables) == 1, result.stderr  # was 9 per unit and 9 for the department
    [line] = tables
    assert line.startswith(f"{data / '2022' / 'unit.yaml'}:2:9: warning: layout: 9 of the 9 ")
    assert "(the same in 8 more file(s): " in line
    assert f"{data / '2022' / 'units' / '01-office' / 'unit.yaml'}、" in line
    assert line.endswith(" and 3 more)")
    # One line per cause: the tables, the 接待费 without a reason, the centre's 项目支出;
    # the summary counts them so.
    assert len(lines) == 4, result.stderr
    assert lines[-1] == "2022: valid (3 warning(s))"


def test_a_department_whose_units_declare_it_prints_no_table_warning(tmp_path, cli):
    data = hebei_department_of(tmp_path, 8)
    result = cli("--lang", "en", "validate", "--data", str(data))
    assert result.exit_code == 0, result.stderr
    assert "statutory tables (公开表) are not published" not in result.stderr
    [info] = [ln for ln in _lines(result) if ": info: " in ln]
    assert "the published edition has none of the 9 statutory tables" in info
    assert "(the same in 8 more file(s): " in info


def test_errors_are_listed_at_each_place(tmp_path, cli):
    """Only warnings and information are grouped: an error is mended where it is."""
    data = hebei_department_of(tmp_path, 3)
    for slug in ("01-office", "03-office"):
        budget = data / "2022" / "units" / slug / "budget.yaml"
        text = budget.read_text(encoding="utf-8")
        budget.write_text(text.replace("general_budget: 9272.51", "general_budget: x"), "utf-8")
    result = cli("--lang", "en", "validate", "--data", str(data))
    assert result.exit_code == 1
    errors = [ln for ln in _lines(result) if ": error: " in ln]
    assert len(errors) == 2, result.stderr
    assert not any("the same in" in ln for ln in errors)
