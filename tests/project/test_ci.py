"""The pipeline shipped for staff and reviewers: workflows, pre-commit hook, publishing."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
import urllib.parse
from pathlib import Path

import pytest
import yaml
from conftest import ROOT, copy_as_next_year, edit, line_of

WORKFLOWS = sorted((ROOT / ".github" / "workflows").glob("*.yml"))
# What `disclosure init` gives a data repository (tests/publish/test_datarepo.py runs them)
TEMPLATE_WORKFLOWS = sorted(
    (ROOT / "templates" / "data-repo" / "github" / "workflows").glob("*.yml")
)
# the workflows that check a change (new-year starts a year; newest tests the newest releases
# through scripts/newest.py, which runs pytest itself, outside the lock)
CHECKING = [w for w in WORKFLOWS if w.name not in ("new-year.yml", "newest.yml")]


def _actionlint() -> str:
    path = shutil.which("actionlint")
    if path is None:
        pytest.fail("actionlint is not installed: run `make setup` (it comes with the test extras)")
    return path


def test_there_are_pull_request_and_publish_workflows():
    names = {p.name for p in WORKFLOWS}
    assert {"pull-request.yml", "publish.yml"} <= names


def test_workflows_lint_clean():
    result = subprocess.run(
        [_actionlint(), *map(str, WORKFLOWS)], capture_output=True, text=True, cwd=ROOT
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_data_repository_template_s_workflows_lint_clean():
    names = {p.name for p in TEMPLATE_WORKFLOWS}
    assert names == {"pull-request.yml", "publish.yml", "new-year.yml"}
    result = subprocess.run(
        [_actionlint(), *map(str, TEMPLATE_WORKFLOWS)], capture_output=True, text=True, cwd=ROOT
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_actionlint_catches_a_broken_workflow(tmp_path):
    broken = tmp_path / ".github" / "workflows" / "pull-request.yml"
    broken.parent.mkdir(parents=True)
    text = (ROOT / ".github/workflows/pull-request.yml").read_text(encoding="utf-8")
    broken.write_text(text.replace("runs-on:", "run-on:", 1), encoding="utf-8")
    result = subprocess.run([_actionlint(), str(broken)], capture_output=True, text=True)
    assert result.returncode == 1
    assert "run-on" in result.stdout


def _steps(workflow: Path) -> list[dict]:
    data = yaml.safe_load(workflow.read_text(encoding="utf-8"))
    return [step for job in data["jobs"].values() for step in job.get("steps", [])]


def test_every_action_is_pinned_to_a_commit():
    for workflow in WORKFLOWS + TEMPLATE_WORKFLOWS:
        for step in _steps(workflow):
            if "uses" in step:
                assert re.fullmatch(r"[\w.-]+/[\w.-]+@[0-9a-f]{40}", step["uses"]), (
                    f"{workflow.name}: {step['uses']} is not pinned to a full commit SHA"
                )


def _readme_commands() -> list[str]:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    block = re.search(r"```sh\n(.*?)```", readme, re.S)
    assert block, "the README starts with a ```sh block of the two set-up commands"
    return [line.split("#")[0].strip() for line in block.group(1).splitlines() if line.strip()]


def test_readme_gives_two_commands_build_and_test():
    commands = _readme_commands()
    assert commands == ["make build", "make test"]
    readme_head = (ROOT / "README.md").read_text(encoding="utf-8").splitlines()[:6]
    assert any("make build" in line for line in readme_head)


def test_ci_and_the_workflows_run_the_readme_test_command():
    test_command = _readme_commands()[1]
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert re.search(rf"^{re.escape(test_command)}$", ci, re.M), (
        ".ci/run must run the README's test command"
    )
    for workflow in CHECKING:
        runs = [step.get("run", "").strip() for step in _steps(workflow)]
        assert test_command in runs, f"{workflow.name} does not run `{test_command}`"


def test_pull_request_workflow_annotates_diffs_and_uploads():
    text = (ROOT / ".github/workflows/pull-request.yml").read_text(encoding="utf-8")
    assert "disclosure validate --format github" in text
    assert "--format md" in text and "GITHUB_STEP_SUMMARY" in text
    assert "actions/upload-artifact@" in text
    assert "SOURCE_DATE_EPOCH=$(git log -1 --format=%ct)" in text
    assert "disclosure publish --check" in text  # a published edition never changes silently


@pytest.mark.parametrize(
    "workflow",
    [".github/workflows/pull-request.yml", "templates/data-repo/github/workflows/pull-request.yml"],
    ids=["this-repository", "data-repository-template"],
)
def test_pull_request_workflow_lists_changed_pages_and_uploads_their_pictures(workflow):
    steps = _steps(ROOT / workflow)
    pages = next(s for s in steps if "--pages" in s.get("run", ""))
    # poppler-utils draws and reads the pages: installed by a step before (make setup runs
    # scripts/setup.sh, which installs it here)
    setup = (ROOT / "scripts/setup.sh").read_text(encoding="utf-8")
    runs = [s.get("run", "") for s in steps]
    installs = [
        i
        for i, run in enumerate(runs)
        if ("apt-get install" in run and "poppler-utils" in run)
        or (run.strip() == "make setup" and "poppler-utils" in setup)
    ]
    assert installs and installs[0] < steps.index(pages), "poppler-utils is not installed first"
    assert re.search(r'disclosure diff "\$\{year\}@origin/\$\{BASE_REF\}" "\$\{year\}" '
                     r'--pages "pages/\$\{year\}" --format md', pages["run"])  # fmt: skip
    assert "GITHUB_STEP_SUMMARY" in pages["run"] and '"$status" -gt 1' in pages["run"]
    uploads = [s for s in steps if s.get("uses", "").startswith("actions/upload-artifact@")]
    assert any(s["with"]["path"] == "pages/" for s in uploads)
    assert steps.index(pages) < steps.index(
        next(s for s in uploads if s["with"]["path"] == "pages/")
    )
    assert any(s["with"]["name"].startswith("disclosure-pages-pr-") for s in uploads)


def test_the_hundred_units_example_installs_the_cjk_fonts_its_build_needs(tmp_path):
    """docs/publishing.md's CI matrix: build and publish --check make PDFs, which exit 2 on
    a machine without a CJK font; the example lints clean once its actions are pinned."""
    text = (ROOT / "docs/publishing.md").read_text(encoding="utf-8")
    section = text[text.index("## A hundred units") :]
    block = re.search(r"```yaml\n(.*?)```", section, re.S).group(1)
    block = re.sub(r"(?m)^ {2}", "", block).replace(
        "actions/checkout@… # pinned", "actions/checkout@11bd71901bbe5b1630ceea73d27597364c9af683"
    )
    block = block.replace(
        "actions/setup-python@… # pinned",
        "actions/setup-python@0b93645e9fea7318ecaed2b359559ac225c90a2b",
    )
    workflow = tmp_path / ".github" / "workflows" / "units.yml"
    workflow.parent.mkdir(parents=True)
    workflow.write_text("name: units\non: pull_request\n" + block, encoding="utf-8")
    result = subprocess.run([_actionlint(), str(workflow)], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
    runs = [s.get("run", "") for s in _steps(workflow)]
    fonts = next((i for i, run in enumerate(runs) if "fonts-noto-cjk" in run), None)
    assert fonts is not None and "apt-get install" in runs[fonts], "it installs no CJK font"
    pdfs = [i for i, run in enumerate(runs) if "disclosure build" in run or "--check" in run]
    assert pdfs and fonts < min(pdfs)


def test_workflows_give_the_browser_tests_the_runners_chrome():
    for workflow in CHECKING:
        runs = [step.get("run", "") for step in _steps(workflow)]
        chrome = next((i for i, run in enumerate(runs) if "DISCLOSURE_CHROMIUM=" in run), None)
        assert chrome is not None, f"{workflow.name} does not name the runner's Chrome"
        assert "DISCLOSURE_CHROMEDRIVER=" in runs[chrome]
        assert chrome < runs.index("make setup"), "named before the set-up, which then skips it"


def test_publish_workflow_deploys_the_site():
    text = (ROOT / ".github/workflows/publish.yml").read_text(encoding="utf-8")
    assert "disclosure publish --out site" in text
    assert "actions/deploy-pages@" in text
    data = yaml.safe_load(text)
    assert data[True]["push"]["branches"] == ["main"]  # PyYAML reads the key `on` as True


def test_release_workflow_attaches_the_wheel_to_a_version_tag():
    data = yaml.safe_load((ROOT / ".github/workflows/release.yml").read_text(encoding="utf-8"))
    assert data[True]["push"]["tags"] == ["v*"]
    runs = [step.get("run", "") for step in data["jobs"]["wheel"]["steps"]]
    assert "python -m pip wheel --no-deps --wheel-dir dist ." in runs
    assert any('"v${version}"' in run for run in runs), "the tag must name pyproject's version"
    assert any(run.startswith('gh release create "$TAG" dist/*.whl') for run in runs)
    assert data["jobs"]["wheel"]["permissions"] == {"contents": "write"}


def test_pre_commit_hook_manifest_and_config_are_valid():
    pre_commit = shutil.which("pre-commit")
    if pre_commit is None:
        pytest.fail("pre-commit is not installed: run `make setup`")
    for command, name in (
        ("validate-manifest", ".pre-commit-hooks.yaml"),
        ("validate-config", ".pre-commit-config.yaml"),
    ):
        result = subprocess.run(
            [pre_commit, command, name], cwd=ROOT, capture_output=True, text=True
        )
        assert result.returncode == 0, result.stdout + result.stderr
    hooks = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
    assert hooks[0]["id"] == "disclosure-validate"
    assert hooks[0]["entry"] == "disclosure validate"
    assert re.match(hooks[0]["files"], "data/2022/budget.yaml")
    assert hooks[1]["id"] == "disclosure-fmt"
    assert hooks[1]["entry"] == "disclosure fmt --check"
    assert re.match(hooks[1]["files"], "data/2022/projects/01-office-building.yaml")
    assert re.match(hooks[1]["files"], "schemas/budget.schema.json")  # it sets the key order
    local = yaml.safe_load((ROOT / ".pre-commit-config.yaml").read_text(encoding="utf-8"))
    ids = [hook["id"] for repo in local["repos"] for hook in repo["hooks"]]
    assert ids == ["disclosure-validate", "disclosure-fmt"]


def test_the_fmt_hook_s_command_fails_on_data_fmt_would_change(data_copy):
    """What the hook runs, as pre-commit runs it: a command in a shell, exit status 1."""
    hooks = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
    entry = next(h["entry"] for h in hooks if h["id"] == "disclosure-fmt").split()
    command = [sys.executable, "-m", "compiler", *entry[1:]]
    clean = subprocess.run(command, cwd=data_copy.parent, capture_output=True, text=True)
    assert clean.returncode == 0, clean.stderr
    edit(data_copy / "2022" / "budget.yaml", "carried_over: 297.37", "carried_over：297.37")
    dirty = subprocess.run(command, cwd=data_copy.parent, capture_output=True, text=True)
    assert dirty.returncode == 1
    assert "data/2022/budget.yaml:7: full-width colon after 'carried_over'" in dirty.stdout


def _second_year(data: Path) -> None:
    """A made-up 2023 that follows 2022 (for publishing tests only)."""
    copy_as_next_year(data)


@pytest.mark.slow
def test_publish_names_files_by_unit_and_year_and_indexes_them(data_copy, tmp_path, cli):
    _second_year(data_copy)
    site = tmp_path / "site"
    result = cli("publish", "--data", str(data_copy), "--out", str(site))
    assert result.exit_code == 0, result.output
    index = (site / "index.html").read_text(encoding="utf-8")
    for year in (2022, 2023):
        for ext in ("pdf", "html", "md"):
            name = f"151001_廊坊市人民政府办公室本级_{year}年单位预算信息公开.{ext}"
            assert (site / str(year) / name).is_file()
            assert f'href="{year}/{urllib.parse.quote(name)}"' in index
    assert index.index("2023年") < index.index("2022年"), "newest year first"


def test_publish_writes_nothing_when_a_year_has_errors(data_copy, tmp_path, cli):
    edit(data_copy / "2022" / "budget.yaml", "carried_over: 297.37", "carried_over: 297.38")
    site = tmp_path / "site"
    result = cli("publish", "--data", str(data_copy), "--out", str(site))
    assert result.exit_code == 1
    assert not (site / "index.html").exists()
    assert not site.exists() or not any(site.rglob("*")), "a failed publish writes nothing"


@pytest.mark.slow
def test_publish_writes_nothing_when_any_year_has_errors(data_copy, tmp_path, cli):
    """2022 is fine and 2023 is broken: nothing of either year is published."""
    _second_year(data_copy)
    edit(data_copy / "2023" / "budget.yaml", "carried_over: 297.37", "carried_over: 297.38")
    site = tmp_path / "site"
    result = cli("publish", "--data", str(data_copy), "--out", str(site))
    assert result.exit_code == 1
    assert not site.exists() or not any(site.rglob("*")), "a failed publish writes nothing"


def test_a_unit_name_cannot_steer_published_files_out_of_the_site(data_copy, cli):
    unit = data_copy / "2022" / "unit.yaml"
    edit(unit, "  name: 廊坊市人民政府办公室\n", "  name: 廊坊/../../../escaped\n")
    result = cli("validate", "--data", str(data_copy))
    assert result.exit_code == 1
    assert (
        f"unit.yaml:{line_of(unit, 'escaped')}:9: error: unit.name: 单位名称 has the wrong form"
        in (result.stderr)
    )
