"""The web way to start a year (.github/workflows/new-year.yml): its script, run for real in
a throw-away repository with a bare origin and a stand-in for the `gh` command."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import yaml
from conftest import DATA, ROOT

WORKFLOW = ROOT / ".github" / "workflows" / "new-year.yml"


def _script() -> str:
    data = yaml.safe_load(WORKFLOW.read_text(encoding="utf-8"))
    steps = data["jobs"]["new-year"]["steps"]
    return next(s["run"] for s in steps if "disclosure new-year" in s.get("run", ""))


def _git(cwd: Path, *args: str) -> str:
    return subprocess.run(
        ["git", *args], cwd=cwd, check=True, capture_output=True, text=True
    ).stdout


def _repository(tmp_path: Path) -> Path:
    origin = tmp_path / "origin.git"
    _git(tmp_path, "init", "--quiet", "--bare", "-b", "main", str(origin))
    work = tmp_path / "work"
    shutil.copytree(DATA / "2022", work / "data" / "2022")
    shutil.copytree(ROOT / "schemas", work / "schemas")
    _git(work, "init", "--quiet", "-b", "main")
    _git(work, "-c", "user.name=t", "-c", "user.email=t@example.org", "add", ".")
    _git(work, "-c", "user.name=t", "-c", "user.email=t@example.org", "commit", "-qm", "2022")
    _git(work, "remote", "add", "origin", str(origin))
    _git(work, "push", "--quiet", "origin", "main")
    return work


def _run(work: Path, tmp_path: Path, year: str) -> subprocess.CompletedProcess:
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
    return subprocess.run(
        ["bash", "-e", "-c", _script()], cwd=work, env=env, capture_output=True, text=True
    )


def test_the_workflow_starts_the_year_on_a_branch_and_opens_a_pull_request(tmp_path):
    work = _repository(tmp_path)
    result = _run(work, tmp_path, "2023")
    assert result.returncode == 0, result.stdout + result.stderr
    pushed = _git(tmp_path / "origin.git", "ls-tree", "-r", "--name-only", "new-year-2023")
    assert "data/2023/unit.yaml" in pushed.splitlines()
    assert "data/2023/budget.yaml" in pushed.splitlines()
    args = (tmp_path / "gh.log").read_text(encoding="utf-8").splitlines()
    assert args[:2] == ["pr", "create"]
    assert args[args.index("--title") + 1] == "2023 年度预算公开数据"
    assert args[args.index("--base") + 1] == "main"
    body = (tmp_path / "gh.log.body").read_text(encoding="utf-8")
    assert "本年数字留空" in body and "data/2023" in body


def test_a_year_that_is_not_four_digits_is_refused_in_chinese(tmp_path):
    work = _repository(tmp_path)
    result = _run(work, tmp_path, "2023; rm -rf /")
    assert result.returncode == 1
    assert "年度应为四位数字" in result.stdout
    assert not (tmp_path / "gh.log").exists()
