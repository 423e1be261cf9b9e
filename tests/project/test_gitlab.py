"""GitLab CI: valid against GitLab's own schema, the same commands as the GitHub workflows
(for this repository and for the data repository template), and validate's Code Quality
report."""

from __future__ import annotations

import json
import re
import shlex
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml
from conftest import ROOT, edit, line_of

GITLAB = ROOT / ".gitlab-ci.yml"
TEMPLATE = ROOT / "templates" / "data-repo"
PAIRS = [
    pytest.param(
        [ROOT / ".github/workflows/pull-request.yml", ROOT / ".github/workflows/publish.yml"],
        GITLAB,
        id="tool",
    ),
    pytest.param(
        [TEMPLATE / "github/workflows/pull-request.yml", TEMPLATE / "github/workflows/publish.yml"],
        TEMPLATE / "gitlab-ci.yml",
        id="data-repo",
    ),
]


def _check_jsonschema() -> str:
    path = shutil.which("check-jsonschema")
    if path is None:
        pytest.fail("check-jsonschema is not installed: run `make setup` (a test extra)")
    return path


@pytest.mark.parametrize("path", [GITLAB, TEMPLATE / "gitlab-ci.yml"], ids=["tool", "data-repo"])
def test_gitlab_ci_is_valid_against_gitlabs_schema(path):
    result = subprocess.run(
        [_check_jsonschema(), "--builtin-schema", "vendor.gitlab-ci", str(path)],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_schema_check_catches_a_broken_gitlab_ci(tmp_path):
    broken = tmp_path / ".gitlab-ci.yml"
    broken.write_text(
        GITLAB.read_text("utf-8").replace("    when: always\n", "    when: sometimes\n", 1), "utf-8"
    )
    result = subprocess.run(
        [_check_jsonschema(), "--builtin-schema", "vendor.gitlab-ci", str(broken)],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 1, result.stdout


def _github_scripts(workflows: list[Path]) -> list[str]:
    scripts = []
    for workflow in workflows:
        data = yaml.safe_load(workflow.read_text("utf-8"))
        for job in data["jobs"].values():
            scripts += [step["run"] for step in job.get("steps", []) if "run" in step]
    return scripts


def _gitlab_scripts(path: Path, skip: tuple[str, ...] = ("new-year", "code-quality")) -> list[str]:
    """Every job's commands but those of `skip`: new-year (compared with new-year.yml) and
    code-quality (the default branch's baseline, which only GitLab's widget needs)."""
    data = yaml.safe_load(path.read_text("utf-8"))
    scripts = list(data.get("default", {}).get("before_script", []))
    for name, job in data.items():
        if name in skip:
            continue
        if isinstance(job, dict) and "script" in job:
            scripts += job.get("before_script", []) + job["script"]
    return scripts


# What differs between the two on purpose: annotations vs a Code Quality report, the folder
# each forge serves Pages from.
_SAME = [
    (r"validate --format (github|gitlab)", "validate --format FORGE"),
    (r"--summary \S+", "--summary FILE"),  # the job's summary, or the merge request's note
    (r"build --diagnostics (github|text)", "build"),
    (r"publish --out (site|public)", "publish --out SITE"),
]


def _commands(scripts: list[str]) -> set[str]:
    """Every `disclosure …`, `make …` and pip install command, normalised."""
    found = set()
    for script in scripts:
        for line in script.splitlines():
            line = line.split(" > ")[0].split(" || ")[0].strip()
            match = re.search(r"\b((disclosure|make) .*|python -m pip install .*)$", line)
            if not match:
                continue
            command = match.group(1)
            for pattern, replacement in _SAME:
                command = re.sub(pattern, replacement, command)
            found.add(" ".join(shlex.split(command)))
    return found


@pytest.mark.parametrize(("workflows", "gitlab"), PAIRS)
def test_gitlab_runs_the_same_commands_as_the_github_workflows(workflows, gitlab):
    github = _commands(_github_scripts(workflows))
    lab = _commands(_gitlab_scripts(gitlab))
    assert any(c.startswith("disclosure publish --check") for c in github)
    assert lab == github, f"only on GitHub: {github - lab}; only on GitLab: {lab - github}"


def test_gitlab_reports_code_quality_publishes_pages_and_keeps_artifacts():
    data = yaml.safe_load(GITLAB.read_text("utf-8"))
    check = data["check"]
    assert check["rules"] == [{"if": '$CI_PIPELINE_SOURCE == "merge_request_event"'}]
    assert check["artifacts"]["reports"]["codequality"] == "gl-code-quality-report.json"
    assert "disclosure validate --format gitlab > gl-code-quality-report.json" in check["script"]
    assert {"build/", "diff.md"} <= set(check["artifacts"]["paths"])
    assert any("merge_requests/${CI_MERGE_REQUEST_IID}/notes" in s for s in check["script"])
    pages = data["pages"]  # GitLab Pages serves the artifact `public` of the job `pages`
    assert pages["artifacts"]["paths"] == ["public"]
    assert "disclosure publish --out public" in pages["script"]


def test_validate_writes_a_code_quality_report(data_copy, cli):
    clean = cli("validate", "--data", str(data_copy), "--format", "gitlab")
    assert clean.exit_code == 0
    warnings = json.loads(clean.stdout)
    # no warning: the tables 2022 never published are declared (unit.yaml not_published)
    assert len(warnings) == 1 and {i["severity"] for i in warnings} == {"info"}
    budget = data_copy / "2022" / "budget.yaml"
    edit(budget, "general_budget: 9272.51", "general_budget: 9272.51万元")
    result = cli("validate", "--data", str(data_copy), "--format", "gitlab")
    assert result.exit_code == 1
    issues = json.loads(result.stdout)
    error = next(i for i in issues if i["severity"] == "critical")
    assert error["location"] == {
        "path": budget.as_posix(),  # as the text form names it (here outside the cwd)
        "lines": {"begin": line_of(budget, "9272.51万元")},
    }
    assert error["description"].startswith("income.general_budget: expected a number")
    assert error["check_name"] == "disclosure-error" and error["type"] == "issue"
    assert {i["severity"] for i in issues} == {"critical"}
    assert len({i["fingerprint"] for i in issues}) == len(issues)
    # The job log keeps the readable form.
    assert "error: income.general_budget: expected a number" in result.stderr

    # A line added above moves the problem, not its fingerprint (GitLab compares them).
    text = budget.read_text("utf-8")
    first, rest = text.split("\n", 1)
    budget.write_text(f"{first}\n# 注释\n{rest}", "utf-8")
    moved = json.loads(cli("validate", "--data", str(data_copy), "--format", "gitlab").stdout)
    again = next(i for i in moved if i["severity"] == "critical")
    assert again["fingerprint"] == error["fingerprint"]
    assert again["location"]["lines"]["begin"] == error["location"]["lines"]["begin"] + 1


@pytest.mark.parametrize("path", [GITLAB, TEMPLATE / "gitlab-ci.yml"], ids=["tool", "data-repo"])
def test_the_merge_request_lists_the_changed_pdf_pages_and_keeps_their_pictures(path):
    """As the pull-request workflows: the page diff into diff.md (the merge request's note),
    the pictures in the artifact pages/, poppler-utils installed before."""
    data = yaml.safe_load(path.read_text("utf-8"))
    check = data["check"]
    script = data.get("default", {}).get("before_script", []) + check["script"]
    (pages,) = [i for i, s in enumerate(script) if "--pages" in s]
    assert "## PDF 页面变化（相对于 ${BASE_REF}）" in script[pages]
    assert '--pages "pages/${year}" --format md' in script[pages]
    assert "} >> diff.md" in script[pages] and '"$status" -gt 1' in script[pages]
    setup = (ROOT / "scripts/setup.sh").read_text("utf-8")
    poppler = [
        i
        for i, s in enumerate(script)
        if ("apt-get install" in s and "poppler-utils" in s)
        or (s == "make setup" and "poppler-utils" in setup)
    ]
    assert poppler and poppler[0] < pages
    assert {"build/", "pages/", "diff.md"} <= set(check["artifacts"]["paths"])
    note = next(i for i, s in enumerate(script) if "merge_requests/${CI_MERGE_REQUEST_IID}" in s)
    assert pages < note, "the note on the merge request includes the pages"


GITLABS = [
    pytest.param(GITLAB, ROOT / ".github/workflows/new-year.yml", id="tool"),
    pytest.param(
        TEMPLATE / "gitlab-ci.yml", TEMPLATE / "github/workflows/new-year.yml", id="data-repo"
    ),
]


@pytest.mark.parametrize(("path", "_workflow"), GITLABS)
def test_the_default_branch_makes_the_code_quality_baseline(path, _workflow):
    """Merge request widgets compare with the default branch's report: without one, every
    problem shows as new or none does."""
    data = yaml.safe_load(path.read_text("utf-8"))
    job = data["code-quality"]
    assert job["stage"] == "check"
    assert job["rules"][0] == {"if": "$NEW_YEAR", "when": "never"}  # a year's start: only that
    assert job["rules"][-1]["if"].startswith("$CI_COMMIT_BRANCH == $CI_DEFAULT_BRANCH")
    assert "disclosure validate --format gitlab > gl-code-quality-report.json" in job["script"]
    assert job["artifacts"]["when"] == "always"  # the baseline even when the branch has errors
    assert job["artifacts"]["reports"]["codequality"] == "gl-code-quality-report.json"
    # the same file name as the merge request's report, which GitLab compares it with
    assert data["check"]["artifacts"]["reports"]["codequality"] == "gl-code-quality-report.json"


def test_pages_explains_in_chinese_what_to_set_without_publish_token():
    data = yaml.safe_load((TEMPLATE / "gitlab-ci.yml").read_text("utf-8"))
    [script] = [s for s in data["pages"]["script"] if "git push" in s]
    check = script.index('if [ -z "${PUBLISH_TOKEN:-}" ]; then')
    assert check < script.index("git push")
    said = script[check : script.index("exit 1", check)]
    for words in ("没有设置项目变量 PUBLISH_TOKEN", "write_repository", "设置 → CI/CD → 变量"):
        assert words in said
    # only when there is an edition to record: a repository with nothing new needs no token
    assert script.index("if ! git diff --cached --quiet; then") < check


def _run_lines(text: str) -> list[str]:
    return [ln.strip() for ln in text.splitlines() if ln.strip().startswith("disclosure new-year")]


@pytest.mark.parametrize(("path", "workflow"), GITLABS)
def test_new_year_takes_keep_targets_on_both_forges(path, workflow):
    github = yaml.safe_load(workflow.read_text("utf-8"))
    inputs = github[True]["workflow_dispatch"]["inputs"]  # `on:` reads as True in YAML 1.1
    assert inputs["keep_targets"]["type"] == "boolean"
    assert inputs["keep_targets"]["default"] is False
    [job] = github["jobs"].values()
    assert job["env"]["KEEP_TARGETS"] == "${{ inputs.keep_targets }}"
    [run] = [s["run"] for s in job["steps"] if "disclosure new-year" in s.get("run", "")]

    data = yaml.safe_load(path.read_text("utf-8"))
    lab = data["new-year"]
    assert lab["rules"] == [{"if": '$CI_PIPELINE_SOURCE == "web" && $NEW_YEAR'}]
    assert lab["variables"] == {"YEAR": "$NEW_YEAR"}
    [script] = [s for s in lab["script"] if "disclosure new-year" in s]
    for text in (run, script):
        assert 'case "${KEEP_TARGETS:-}" in 1|true|yes) keep="--keep-targets" ;; esac' in text
    assert (
        _run_lines(run)
        == _run_lines(script)
        == ['disclosure new-year "$YEAR" $keep 2>&1 | tee new-year-report.txt']
    )
    # no push without a token: it says what to set first
    assert script.index("没有设置项目变量 PUBLISH_TOKEN") < script.index("git push")
    assert "-o merge_request.create" in script
    # a pipeline run to start a year publishes nothing
    assert data["pages"]["rules"][0]["when"] == "never"
    assert data["pages"]["rules"][0]["if"].startswith("$NEW_YEAR")
