"""A bureau's CI matrix (issue 27 part 4), as `disclosure init --bureau N` writes it: the
GitHub publish workflow lays out the department's PDF parts in N jobs (strategy.matrix)
before its build job joins them; the GitLab pipeline includes the ordinary one and adds
the same matrix (parallel:matrix) before its pages job. Both lint clean, and apart from
the matrix they are the ordinary pipeline (so the two cannot drift apart)."""

from __future__ import annotations

import shutil
import subprocess

import pytest
import yaml

from compiler.publish.datarepo import TEMPLATE

ORDINARY = TEMPLATE / "github" / "workflows" / "publish.yml"


@pytest.fixture(scope="module")
def bureau(tmp_path_factory):
    from click.testing import CliRunner

    from compiler.cli import main

    repo = tmp_path_factory.mktemp("bureau") / "repo"
    result = CliRunner().invoke(
        main, ["init", str(repo), "--bureau", "6", "--tool", "disclosure-compiler==0.1.0"]
    )
    assert result.exit_code == 0, result.output
    return repo


def _load(path):
    return yaml.safe_load(path.read_text("utf-8"))


def _run_lines(step) -> list[str]:
    return [line.strip() for line in step.get("run", "").splitlines() if line.strip()]


def test_github_lays_out_the_parts_in_a_matrix_of_the_jobs_asked_for(bureau):
    workflow = _load(bureau / ".github" / "workflows" / "publish.yml")
    parts = workflow["jobs"]["parts"]
    assert parts["strategy"]["matrix"]["shard"] == [1, 2, 3, 4, 5, 6]
    commands = [line for step in parts["steps"] for line in _run_lines(step)]
    assert 'disclosure parts --shard "$SHARD/$SHARDS" --out parts' in commands
    env = next(step["env"] for step in parts["steps"] if "env" in step)
    assert env == {"SHARD": "${{ matrix.shard }}", "SHARDS": "${{ strategy.job-total }}"}
    upload = next(s for s in parts["steps"] if "upload-artifact" in s.get("uses", ""))
    assert upload["with"]["name"] == "parts-${{ matrix.shard }}"


def test_github_publish_job_is_the_ordinary_one_joining_the_matrix_parts(bureau):
    workflow = _load(bureau / ".github" / "workflows" / "publish.yml")
    ordinary = _load(ORDINARY)
    build = workflow["jobs"]["build"]
    assert build["needs"] == "parts"
    download = next(s for s in build["steps"] if "download-artifact" in s.get("uses", ""))
    assert download["with"] == {"pattern": "parts-*", "path": "parts", "merge-multiple": True}
    steps = [s for s in build["steps"] if s is not download]
    for step in steps:
        if "run" in step:
            step["run"] = step["run"].replace(" --parts-from parts", "")
    assert steps == ordinary["jobs"]["build"]["steps"]
    assert workflow["jobs"]["deploy"] == ordinary["jobs"]["deploy"]
    assert workflow[True] == ordinary[True]  # `on:` (PyYAML reads the key as True)


def test_github_workflows_lint_clean(bureau):
    actionlint = shutil.which("actionlint")
    if actionlint is None:
        pytest.fail("actionlint is not installed: run `make setup`")
    workflows = sorted((bureau / ".github" / "workflows").glob("*.yml"))
    result = subprocess.run([actionlint, *map(str, workflows)], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


def test_gitlab_includes_the_ordinary_pipeline_and_adds_the_matrix(bureau):
    pipeline = _load(bureau / ".gitlab-ci.yml")
    included = bureau / ".gitlab" / "disclosure-ci.yml"
    assert included.read_bytes() == (TEMPLATE / "gitlab-ci.yml").read_bytes()
    assert pipeline["include"] == [{"local": ".gitlab/disclosure-ci.yml"}]
    ordinary = _load(included)
    assert pipeline["stages"] == ["check", "parts", "publish"]
    assert set(ordinary["stages"]) < set(pipeline["stages"])
    parts = pipeline["parts"]
    assert parts["parallel"]["matrix"] == [{"SHARD": [str(k) for k in range(1, 7)]}]
    assert parts["variables"]["SHARDS"] == "6"
    assert 'disclosure parts --shard "$SHARD/$SHARDS" --out "parts"' in parts["script"]
    assert parts["rules"] == ordinary["pages"]["rules"]  # where the pages job runs
    assert parts["artifacts"]["paths"] == ["parts/"]
    # merged into the included pages job: it waits for every share and takes their parts
    assert pipeline["pages"] == {
        "needs": ["parts"],
        "variables": {"DISCLOSURE_PARTS_FROM": "parts"},
    }
    assert "disclosure publish --out public" in ordinary["pages"]["script"]


@pytest.mark.parametrize("name", [".gitlab-ci.yml", ".gitlab/disclosure-ci.yml"])
def test_gitlab_files_are_valid_against_gitlabs_schema(bureau, name):
    check = shutil.which("check-jsonschema")
    if check is None:
        pytest.fail("check-jsonschema is not installed: run `make setup`")
    result = subprocess.run(
        [check, "--builtin-schema", "vendor.gitlab-ci", str(bureau / name)],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_without_bureau_init_writes_the_ordinary_pipeline(tmp_path, cli):
    repo = tmp_path / "unit"
    assert cli("init", str(repo), "--tool", "disclosure-compiler==0.1.0").exit_code == 0
    assert (repo / ".github/workflows/publish.yml").read_bytes() == ORDINARY.read_bytes()
    assert not (repo / ".gitlab").exists()


def test_bureau_needs_at_least_two_jobs(tmp_path, cli):
    result = cli("init", str(tmp_path / "repo"), "--bureau", "1")
    assert result.exit_code == 2
    assert "--bureau" in result.output
