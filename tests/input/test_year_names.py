"""A folder under data/ that looks like a year is a year or an error: every command that
lists the years (or reads one of the working tree) names it and the name it should have,
and exits 1, so CI fails instead of publishing nothing."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from conftest import DATA

from compiler.input.sources import available_years
from compiler.input.yearnames import YearFolderError, meant_year

SPELLINGS = ["2023年", "２０２３", "2023 ", "2023-draft", "2023 (1)", " 2023", "FY2023", "备份2023"]


@pytest.fixture
def data(tmp_path: Path, monkeypatch) -> Path:
    """A copy of data/2022 under tmp_path/data, run from tmp_path (paths as a clerk types)."""
    shutil.copytree(DATA / "2022", tmp_path / "data" / "2022")
    monkeypatch.chdir(tmp_path)
    return Path("data")


@pytest.mark.parametrize("name", SPELLINGS)
def test_a_name_that_looks_like_a_year_means_it(name):
    assert meant_year(name) == "2023"


@pytest.mark.parametrize(
    "name", ["2023", "2022", ".git", "notes", "units", "12345", "20230", "v1.2"]
)
def test_a_year_or_a_folder_that_is_no_year_is_not_misnamed(name):
    assert meant_year(name) is None


@pytest.mark.parametrize("name", SPELLINGS)
def test_validate_names_each_spelling_and_the_name_it_should_have(data, cli, name):
    (data / name).mkdir()
    result = cli("validate")
    assert result.exit_code == 1, result.output
    assert (
        f"data/{name}: error: this folder looks like a year, but a year's folder is named "
        "with its four digits only: rename it data/2023 (if it holds no year's data, move "
        "it out of data/)"
    ) in result.stderr
    assert "Traceback" not in result.output


def test_the_message_in_chinese(data, cli, chinese):
    (data / "2023年").mkdir()
    result = cli("validate")
    assert result.exit_code == 1
    assert (
        "data/2023年: 错误: 这个文件夹看起来是一个年度，但年度文件夹必须只用四位数字命名，"
        "请改名为 data/2023" in result.stderr
    ), result.stderr


def test_when_the_year_exists_too_it_says_to_move_the_files(data, cli):
    (data / "2022 (1)").mkdir()
    result = cli("validate")
    assert result.exit_code == 1
    assert "data/2022 (1): error:" in result.stderr
    assert "and data/2022 already exists: move what belongs to that year" in result.stderr


def test_every_misnamed_folder_is_named_at_once(data, cli):
    (data / "2023年").mkdir()
    (data / "２０２４").mkdir()
    result = cli("validate")
    assert "data/2023年: error:" in result.stderr
    assert "data/２０２４: error:" in result.stderr and "rename it data/2024" in result.stderr


@pytest.mark.parametrize(
    "args",
    [
        ["validate"],
        ["validate", "2022"],
        ["build", "--format", "md", "--out", "out"],
        ["publish", "--out", "site"],
        ["publish", "--check"],
        ["diff", "2022", "2022"],
        ["serve"],
        ["serve", "2022"],
        ["new-year", "2024"],
        ["fmt", "--check"],
    ],
)
def test_every_command_that_reads_the_years_refuses(data, cli, args):
    (data / "2023年").mkdir()
    result = cli(*args)
    assert result.exit_code == 1, (args, result.output)
    assert "data/2023年: error: this folder looks like a year" in result.stderr
    assert "Traceback" not in result.output
    assert not Path("out").exists() and not Path("site").exists()
    assert sorted(p.name for p in data.iterdir()) == ["2022", "2023年"]  # nothing created


def test_without_a_misnamed_folder_the_commands_work(data, cli):
    (data / "notes").mkdir()  # a folder that is no year is not an error
    (data / "2023.txt").write_text("a file, not a folder\n", encoding="utf-8")
    assert available_years(data) == [2022]
    assert cli("validate").exit_code == 0


def test_a_file_named_like_a_year_is_not_a_folder(data):
    (data / "2023年").write_text("", encoding="utf-8")
    assert available_years(data) == [2022]


def test_the_library_raises_with_every_folder(data):
    (data / "2023-draft").mkdir()
    with pytest.raises(YearFolderError) as raised:
        available_years(data)
    [problem] = raised.value.diagnostics
    assert problem.location.file == "data/2023-draft"
    assert "rename it data/2023" in problem.message


def test_github_annotations_name_the_folder(data, cli, monkeypatch):
    monkeypatch.setenv("GITHUB_ACTIONS", "true")
    (data / "2023年").mkdir()
    result = cli("validate")
    assert result.exit_code == 1
    assert "::error file=data/2023年" in result.stdout, result.stdout
