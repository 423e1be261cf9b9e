"""Builds skip what has not changed, and several years build in parallel (issue 15)."""

from __future__ import annotations

import json
import os
import re
import shutil
from pathlib import Path

import pytest
from conftest import DATA, ROOT, edit
from fixtures.years import make_next_year

from compiler import cache
from compiler.publish import buildrecord

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
    """The fingerprint sees a copy of the tool's templates, which a test may edit; files
    changed a moment ago count as settled (see `test_a_tool_file_changed_a_moment_ago…`)."""
    copy = tmp_path / "templates"
    shutil.copytree(buildrecord.TEMPLATES_DIR, copy)
    monkeypatch.setattr(cache, "TEMPLATES_DIR", copy)  # the tool fingerprint's roots
    monkeypatch.setattr(buildrecord, "RACY_NS", 0)
    buildrecord.forget_tool()
    yield copy
    buildrecord.forget_tool()


@pytest.fixture
def tool_reads(monkeypatch):
    """How many times the tool's files were read for their fingerprint."""
    reads = []
    real = buildrecord.tool_fingerprint

    def counted():
        reads.append(1)
        return real()

    counted.cache_clear = real.cache_clear
    monkeypatch.setattr(buildrecord, "tool_fingerprint", counted)
    return reads


def test_each_tool_file_counts_once():
    """The catalogue is inside the package, and an installed wheel holds its templates and
    schemas: no folder of the tool is walked twice."""
    roots = buildrecord._tool_roots()
    assert all(a not in b.parents for a in roots for b in roots)
    covered = [buildrecord.CATALOGUE_DIR, buildrecord.TEMPLATES_DIR, buildrecord.SCHEMAS_DIR]
    assert all(any(r == c or r in c.parents for r in roots) for c in covered)


@pytest.mark.parametrize("same_size", [False, True], ids=["longer", "same size"])
def test_a_changed_template_rebuilds(data_copy, tmp_path, cli, tool_templates, same_size):
    out = tmp_path / "out"
    assert build(cli, data_copy, out, "2022").exit_code == 0
    template = tool_templates / "shared" / "table.md.j2"
    text = template.read_text(encoding="utf-8")
    template.write_text(text.replace("\n", "\r") if same_size else text + "\n", encoding="utf-8")
    buildrecord.forget_tool()  # a new process: nothing remembered
    assert "wrote" in build(cli, data_copy, out, "2022").stdout


def test_an_unchanged_tool_is_not_read_again(data_copy, tmp_path, cli, tool_templates, tool_reads):
    """While the tool's files have the recorded sizes and times, the recorded fingerprint
    of their content stands: a no-op reads none of them."""
    out = tmp_path / "out"
    assert build(cli, data_copy, out, "2022").exit_code == 0
    buildrecord.forget_tool()
    tool_reads.clear()
    assert "up to date" in build(cli, data_copy, out, "2022").stdout
    assert tool_reads == []


def test_a_tool_touched_but_unchanged_is_read_once(
    data_copy, tmp_path, cli, tool_templates, tool_reads
):
    """New times, same content (a checkout and back): read once, found the same, and the
    record takes the new times."""
    out = tmp_path / "out"
    assert build(cli, data_copy, out, "2022").exit_code == 0
    template = tool_templates / "shared" / "table.md.j2"
    template.write_bytes(template.read_bytes())
    for reads in (1, 0):
        buildrecord.forget_tool()
        tool_reads.clear()
        assert "up to date" in build(cli, data_copy, out, "2022").stdout
        assert len(tool_reads) == reads


def test_a_template_edited_during_a_build_is_built_again(
    data_copy, tmp_path, cli, tool_templates, monkeypatch
):
    """The record holds the tool the build started with, not what it became meanwhile."""
    from compiler.publish import build as build_module

    out = tmp_path / "out"
    assert build(cli, data_copy, out, "2022", extra=("--force",)).exit_code == 0
    template = tool_templates / "shared" / "table.md.j2"
    real_build_year = build_module.build_year

    def edited_meanwhile(*args, **kwargs):
        result = real_build_year(*args, **kwargs)
        template.write_text(template.read_text(encoding="utf-8") + "\n", encoding="utf-8")
        return result

    monkeypatch.setattr(build_module, "build_year", edited_meanwhile)
    buildrecord.forget_tool()
    assert "wrote" in build(cli, data_copy, out, "2022", extra=("--force",)).stdout
    monkeypatch.setattr(build_module, "build_year", real_build_year)
    buildrecord.forget_tool()
    assert "wrote" in build(cli, data_copy, out, "2022").stdout


def test_a_tool_file_changed_a_moment_ago_is_read_every_time(
    data_copy, tmp_path, cli, tool_templates, tool_reads, monkeypatch
):
    """Its times could not tell a second change within their resolution apart: no stamp
    is recorded, and each check reads the files."""
    monkeypatch.setattr(buildrecord, "RACY_NS", 10**12)  # every file is "a moment ago"
    out = tmp_path / "out"
    assert build(cli, data_copy, out, "2022").exit_code == 0
    record = json.loads((out / "2022" / buildrecord.RECORD).read_text(encoding="utf-8"))
    assert record["tool_stamp"] is None
    for _ in range(2):
        buildrecord.forget_tool()
        tool_reads.clear()
        assert "up to date" in build(cli, data_copy, out, "2022").stdout
        assert len(tool_reads) == 1


def test_a_broken_link_or_a_pipe_among_the_templates_is_no_file_of_the_tool(
    data_copy, tmp_path, cli, tool_templates
):
    (tool_templates / "gone.j2").symlink_to(tmp_path / "nowhere")
    os.mkfifo(tool_templates / "pipe")  # opening it would wait for a writer for ever
    out = tmp_path / "out"
    assert build(cli, data_copy, out, "2022").exit_code == 0
    assert "up to date" in build(cli, data_copy, out, "2022").stdout


def test_a_strict_rebuild_of_a_build_with_warnings_checks_again(data_copy, tmp_path, cli):
    out = tmp_path / "out"
    unit = data_copy / "2022" / "unit.yaml"  # its nine tables undeclared: one warning
    text = unit.read_text(encoding="utf-8")
    unit.write_text(text[: text.index("not_published:")], encoding="utf-8")
    assert build(cli, data_copy, out, "2022").exit_code == 0
    strict = build(cli, data_copy, out, "2022", extra=("--strict",))
    assert strict.exit_code == 1 and "1 error(s); nothing written" in strict.stderr


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
    from compiler.publish.orchestrate import build_many

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
    assert second.stderr.rstrip().endswith("2022: valid")  # its tables: declared, information
    edit(data_copy / "2022" / "budget.yaml", "general_budget: 9272.51", "general_budget: 9272.511")
    third = subprocess.run(command, capture_output=True, text=True, env=env, cwd=ROOT)
    assert third.returncode == 1 and imported.search(third.stderr)
    assert "expected an amount in 万元 with at most 2 decimals" in third.stderr
