"""The web way to start a year (开始新年度): this repository's .github/workflows/new-year.yml
and the one `disclosure init` gives a data repository (templates/data-repo/); each one's
script, run for real in a throw-away repository with a bare origin and a stand-in for the
`gh` command. (tests/publish/test_datarepo.py runs the data repository's whole workflow, its install
of the pinned tool included, against the tool's wheel.)"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml
from conftest import DATA, ROOT

from compiler.publish.datarepo import init

WORKFLOW = ROOT / ".github" / "workflows" / "new-year.yml"
TEMPLATE = ROOT / "templates" / "data-repo" / "github" / "workflows" / "new-year.yml"
KINDS = ["this-repository", "data-repository"]


def _job(workflow: Path) -> dict:
    return yaml.safe_load(workflow.read_text(encoding="utf-8"))["jobs"]["new-year"]


def _script(workflow: Path) -> str:
    steps = _job(workflow)["steps"]
    return next(s["run"] for s in steps if "disclosure new-year" in s.get("run", ""))


def _git(cwd: Path, *args: str) -> str:
    return subprocess.run(
        ["git", *args], cwd=cwd, check=True, capture_output=True, text=True
    ).stdout


def _repository(tmp_path: Path, kind: str) -> tuple[Path, Path]:
    """(the work tree, its workflow): data/2022 and schemas/ as in this repository, or a
    data repository as `disclosure init` writes it (the workflow read from it)."""
    origin = tmp_path / "origin.git"
    _git(tmp_path, "init", "--quiet", "--bare", "-b", "main", str(origin))
    work = tmp_path / "work"
    if kind == "this-repository":
        shutil.copytree(DATA / "2022", work / "data" / "2022")
        shutil.copytree(ROOT / "schemas", work / "schemas")
        workflow = WORKFLOW
    else:
        init(work, "disclosure-compiler==0.1.0", DATA)
        workflow = work / ".github" / "workflows" / "new-year.yml"
    _git(work, "init", "--quiet", "-b", "main")
    _git(work, "-c", "user.name=t", "-c", "user.email=t@example.org", "add", ".")
    _git(work, "-c", "user.name=t", "-c", "user.email=t@example.org", "commit", "-qm", "2022")
    _git(work, "remote", "add", "origin", str(origin))
    _git(work, "push", "--quiet", "origin", "main")
    return work, workflow


def _run(work: Path, workflow: Path, tmp_path: Path, year: str) -> subprocess.CompletedProcess:
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir(exist_ok=True)
    gh = bin_dir / "gh"
    gh.write_text('#!/bin/sh\nprintf "%s\\n" "$@" > "$GH_LOG"\ncp pr-body.md "$GH_LOG.body"\n')
    gh.chmod(0o755)
    env = {
        **os.environ,
        "YEAR": year,
        "BASE": "main",
        "GH_TOKEN": "x",
        "GH_LOG": str(tmp_path / "gh.log"),
        "PATH": f"{bin_dir}:{os.environ['PATH']}",
        "DISCLOSURE_LANG": "zh",
    }
    # As GitHub runs a step that names no shell: bash -e (no pipefail).
    return subprocess.run(
        ["bash", "-e", "-c", _script(workflow)], cwd=work, env=env, capture_output=True, text=True
    )


@pytest.mark.parametrize("kind", KINDS)
def test_the_workflow_starts_the_year_on_a_branch_and_opens_a_pull_request(tmp_path, kind):
    work, workflow = _repository(tmp_path, kind)
    result = _run(work, workflow, tmp_path, "2023")
    assert result.returncode == 0, result.stdout + result.stderr
    pushed = _git(tmp_path / "origin.git", "ls-tree", "-r", "--name-only", "new-year-2023")
    assert "data/2023/unit.yaml" in pushed.splitlines()
    assert "data/2023/budget.yaml" in pushed.splitlines()
    assert "new-year-report.txt" not in pushed and "pr-body.md" not in pushed
    args = (tmp_path / "gh.log").read_text(encoding="utf-8").splitlines()
    assert args[:2] == ["pr", "create"]
    assert args[args.index("--title") + 1] == "2023 年度预算公开数据"
    assert args[args.index("--base") + 1] == "main"
    body = (tmp_path / "gh.log.body").read_text(encoding="utf-8")
    assert "本年数字留空" in body and "data/2023" in body


@pytest.mark.parametrize("kind", KINDS)
def test_a_year_that_is_not_four_digits_is_refused_in_chinese(tmp_path, kind):
    work, workflow = _repository(tmp_path, kind)
    result = _run(work, workflow, tmp_path, "2023; rm -rf /")
    assert result.returncode == 1
    assert "年度应为四位数字" in result.stdout
    assert not (tmp_path / "gh.log").exists()


def test_in_a_data_repository_a_year_new_year_refuses_stops_the_workflow_there(tmp_path):
    """2022 has no year before it to start from: the tool's error ends the step (pipefail
    through its `| tee`), before a commit, a push or a pull request."""
    work, workflow = _repository(tmp_path, "data-repository")
    result = _run(work, workflow, tmp_path, "2022")
    assert result.returncode == 2, result.stdout + result.stderr
    assert "错误：" in result.stdout and "nothing to commit" not in result.stdout
    assert not (tmp_path / "gh.log").exists()
    assert _git(tmp_path / "origin.git", "branch", "--list", "new-year-2022") == ""


def test_the_data_repository_s_workflow_installs_the_pinned_tool_and_runs_as_this_one():
    """The same inputs, permissions and script; it installs requirements.txt, not the
    checkout (a data repository has no tool source)."""
    ours, theirs = (yaml.safe_load(p.read_text(encoding="utf-8")) for p in (WORKFLOW, TEMPLATE))
    assert theirs["name"] == ours["name"] == "开始新年度"
    inputs = theirs[True]["workflow_dispatch"]["inputs"]  # `on` reads as True
    assert inputs.keys() == ours[True]["workflow_dispatch"]["inputs"].keys()
    assert inputs.keys() == {"year", "keep_targets"}
    assert theirs["permissions"] == ours["permissions"]
    runs = [s.get("run", "") for s in _job(TEMPLATE)["steps"]]
    assert "python -m pip install -r requirements.txt -c constraints.txt" in runs
    assert "python -m pip install --quiet ." not in runs
    script = _script(TEMPLATE)
    for line in _script(WORKFLOW).splitlines():
        if "例如" not in line:  # the example year
            assert line in script.splitlines(), line
