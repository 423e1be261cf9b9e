"""Builds skip what has not changed, and several years build in parallel (issue 15)."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from conftest import DATA, ROOT, edit
from fixtures.years import make_next_year

from compiler import buildrecord

WANLI = ROOT / "examples" / "wanli" / "data"


def build(cli, data: Path, out: Path, *years: str, extra: tuple = ()):
    return cli(
        "build", *years, "--data", str(data), "--out", str(out), "--format", "html,md", *extra
    )


def stamps(out: Path) -> dict[str, int]:
    return {p.name: p.stat().st_mtime_ns for p in out.rglob("disclosure.*")}


def test_an_unchanged_rebuild_does_nothing_and_says_so(data_copy, tmp_path, cli):
    out = tmp_path / "out"
    first = build(cli, data_copy, out, "2022")
    assert first.exit_code == 0 and "wrote" in first.stdout
    before = stamps(out)
    again = build(cli, data_copy, out, "2022")
    assert again.exit_code == 0
    assert (
        again.stdout.strip()
        == f"2022: up to date, nothing rebuilt (2 files in {out}; --force rebuilds)"
    )
    assert stamps(out) == before
    assert (out / "2022" / buildrecord.RECORD).is_file()


@pytest.mark.parametrize(
    "change",
    ["data", "previous year", "output edited", "output missing", "force", "formats"],
)
def test_a_change_rebuilds(data_copy, tmp_path, cli, change):
    out = tmp_path / "out"
    assert build(cli, data_copy, out, "2022").exit_code == 0
    extra: tuple = ()
    if change == "data":
        edit(
            data_copy / "2022" / "glossary.yaml",
            "指市级财政当年拨付的资金。",
            "指市级财政当年拨付的资金（已改）。",
        )
    elif change == "previous year":
        shutil.copytree(data_copy / "2022", data_copy / "2021")  # its figures are 2022's baseline
    elif change == "output edited":
        (out / "2022" / "disclosure.md").write_text("edited by hand\n", encoding="utf-8")
    elif change == "output missing":
        (out / "2022" / "disclosure.html").unlink()
    elif change == "force":
        extra = ("--force",)
    result = cli(
        "build", "2022", "--data", str(data_copy), "--out", str(out),
        "--format", "html" if change == "formats" else "html,md", *extra,
    )  # fmt: skip
    assert "up to date" not in result.stdout
    if change != "previous year":  # a copied 2021 makes 2022's baseline check fail: fine too
        assert result.exit_code == 0, result.output
        assert "wrote" in result.stdout
        assert (out / "2022" / "disclosure.md").read_text(encoding="utf-8") != "edited by hand\n"


@pytest.fixture
def tool_templates(tmp_path, monkeypatch):
    """The fingerprint sees a copy of the tool's templates, which a test may edit."""
    copy = tmp_path / "templates"
    shutil.copytree(buildrecord.TEMPLATES_DIR, copy)
    monkeypatch.setattr(buildrecord, "TEMPLATES_DIR", copy)
    forget = (buildrecord.tool_fingerprint.cache_clear, buildrecord.tool_stamp.cache_clear)
    for f in forget:
        f()
    yield copy
    for f in forget:
        f()


@pytest.mark.parametrize("same_size", [False, True], ids=["longer", "same size"])
def test_a_changed_template_rebuilds(data_copy, tmp_path, cli, tool_templates, same_size):
    out = tmp_path / "out"
    assert build(cli, data_copy, out, "2022").exit_code == 0
    template = tool_templates / "shared" / "table.md.j2"
    text = template.read_text(encoding="utf-8")
    template.write_text(text.replace("\n", "\r") if same_size else text + "\n", encoding="utf-8")
    buildrecord.tool_fingerprint.cache_clear()  # a new process: nothing remembered
    buildrecord.tool_stamp.cache_clear()
    assert "wrote" in build(cli, data_copy, out, "2022").stdout


def test_an_unchanged_tool_is_not_read_again(data_copy, tmp_path, cli, tool_templates, monkeypatch):
    """While the tool's files have the recorded sizes and times, the recorded fingerprint
    of their content stands: a no-op reads none of them."""
    out = tmp_path / "out"
    assert build(cli, data_copy, out, "2022").exit_code == 0
    buildrecord.tool_fingerprint.cache_clear()
    buildrecord.tool_stamp.cache_clear()

    def read_the_tool():
        raise AssertionError("the tool's files were read")

    monkeypatch.setattr(buildrecord, "tool_fingerprint", read_the_tool)
    assert "up to date" in build(cli, data_copy, out, "2022").stdout


def test_a_strict_rebuild_of_a_build_with_warnings_checks_again(data_copy, tmp_path, cli):
    out = tmp_path / "out"
    assert build(cli, data_copy, out, "2022").exit_code == 0  # 9 warnings (no tables)
    strict = build(cli, data_copy, out, "2022", extra=("--strict",))
    assert strict.exit_code == 1 and "9 error(s); nothing written" in strict.stderr


def test_years_built_in_parallel_report_as_when_built_one_by_one(data_copy, tmp_path, cli):
    make_next_year(data_copy)  # 2023, a second year
    one = build(cli, data_copy, tmp_path / "one", "2022", "2023", extra=("--jobs", "1"))
    two = build(cli, data_copy, tmp_path / "two", "2022", "2023", extra=("--jobs", "2"))
    assert one.exit_code == two.exit_code == 0
    assert one.stdout.replace("/one/", "/x/") == two.stdout.replace("/two/", "/x/")
    assert one.stderr == two.stderr
    for name in ("2022/disclosure.md", "2023/disclosure.html"):
        assert (tmp_path / "one" / name).read_bytes() == (tmp_path / "two" / name).read_bytes()
    lines = one.stdout.splitlines()
    assert lines.index("wrote " + str(tmp_path / "one" / "2022" / "disclosure.html")) < lines.index(
        "wrote " + str(tmp_path / "one" / "2023" / "disclosure.html")
    )


def test_a_failing_year_in_parallel_is_reported_in_its_place(data_copy, tmp_path, cli):
    make_next_year(data_copy)
    # The later year fails: 2023's previous-year figures are 2022's, so 2022 must be valid.
    edit(data_copy / "2023" / "budget.yaml", "carried_over: 297.37", "carried_over: 297.375")
    result = build(cli, data_copy, tmp_path / "out", "2022", "2023", extra=("--jobs", "2"))
    assert result.exit_code == 1
    assert "2023: 1 error(s); nothing written" in result.stderr
    assert "wrote" in result.stdout  # 2022 still builds
    assert not (tmp_path / "out" / "2023").exists()


def test_the_library_call_skips_an_unchanged_year_too(tmp_path):
    from compiler.orchestrate import build_many

    outcomes = list(build_many(["2022"], DATA, tmp_path, ("md",), jobs=1))
    assert outcomes[0].ok and not outcomes[0].skipped
    outcomes = list(build_many(["2022"], DATA, tmp_path, ("md",), jobs=1))
    assert outcomes[0].skipped


def test_schema_checks_are_remembered_by_content(data_copy, tmp_path):
    """A second validate of unchanged files does not even import the schema validator; a
    changed file is checked again (and its new problem found)."""
    import os
    import subprocess
    import sys

    env = {**os.environ, "XDG_CACHE_HOME": str(tmp_path / "cache")}
    command = [
        sys.executable,
        "-X",
        "importtime",
        "-m",
        "compiler",
        "validate",
        "--data",
        str(data_copy),
        "2022",
    ]
    imported = re.compile(r"\|\s+jsonschema$", re.M)
    first = subprocess.run(command, capture_output=True, text=True, env=env, cwd=ROOT)
    assert first.returncode == 0 and imported.search(first.stderr)
    second = subprocess.run(command, capture_output=True, text=True, env=env, cwd=ROOT)
    assert second.returncode == 0 and not imported.search(second.stderr)
    assert "2022: valid (9 warning(s))" in second.stderr
    edit(data_copy / "2022" / "budget.yaml", "general_budget: 9272.51", "general_budget: 9272.511")
    third = subprocess.run(command, capture_output=True, text=True, env=env, cwd=ROOT)
    assert third.returncode == 1 and imported.search(third.stderr)
    assert "expected an amount in 万元 with at most 2 decimals" in third.stderr
