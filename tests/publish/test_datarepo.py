"""The tool apart from the data: `disclosure init` writes a data repository pinned to a tool
version, and that repository's own workflows run against the tool installed from its wheel."""

from __future__ import annotations

import fcntl
import json
import os
import re
import shutil
import subprocess
import sys
import sysconfig
import zipfile
from pathlib import Path

import pytest
import yaml
from conftest import DATA, ROOT, edit, pdf_page_texts

from compiler.publish.datarepo import FILES, TEMPLATE

WANLI = ROOT / "examples" / "wanli" / "data"
WORKFLOWS = [
    ".github/workflows/pull-request.yml",
    ".github/workflows/publish.yml",
    ".github/workflows/new-year.yml",
]
CI_FILES = [*WORKFLOWS, ".gitlab-ci.yml"]


def test_init_writes_a_repository_of_data_pinned_to_this_tool(tmp_path, cli):
    repo = tmp_path / "unit"
    result = cli("init", str(repo), "--data", str(DATA))
    assert result.exit_code == 0, result.output
    assert f"into {repo}/ (years: 2022)" in result.stdout
    for source, name in FILES.items():
        assert (repo / name).read_bytes() == (TEMPLATE / source).read_bytes()
    constraints = (repo / "constraints.txt").read_text("utf-8")
    locked = (ROOT / "requirements" / "runtime.txt").read_text("utf-8")
    for pin in ("weasyprint==", "jinja2==", "pyyaml==", "fonttools=="):
        (line,) = [line for line in constraints.splitlines() if line.startswith(pin)]
        assert f"\n{line} " in locked, f"{line}: not the version of requirements/runtime.txt"
    assert (repo / "requirements.txt").read_text("utf-8").splitlines()[-1] == (
        "disclosure-compiler==0.1.0"
    )
    # the name alone must be on the bureau's package index: said, with the way out
    assert "to pass on to your IT staff" in result.stderr
    assert "disclosure tool disclosure-compiler==0.1.0 (named in requirements.txt)" in result.stderr
    assert "last line of" in result.stderr and "requirements.txt in place of" in result.stderr
    assert sorted(p.name for p in (repo / "schemas").iterdir()) == sorted(
        p.name for p in (ROOT / "schemas").glob("*.json")
    )
    assert (repo / "data/2022/budget.yaml").read_bytes() == (DATA / "2022/budget.yaml").read_bytes()
    readme = (repo / "README.md").read_text("utf-8")
    assert "# 预算信息公开数据" in readme and "disclosure correct" in readme
    for name in CI_FILES:
        text = (repo / name).read_text("utf-8")
        assert "pip install -r requirements.txt -c constraints.txt" in text, name
        for tool_only in ("make test", "make setup", "pytest", "jre", "java"):
            assert tool_only not in text, f"{name} runs {tool_only}: a data repository does not"
    workflows = [str(repo / n) for n in WORKFLOWS]
    linted = subprocess.run(
        [shutil.which("actionlint") or "actionlint", *workflows], capture_output=True, text=True
    )
    assert linted.returncode == 0, linted.stdout + linted.stderr


def test_init_sets_the_modelines_of_copied_years_for_the_new_repository(tmp_path, cli):
    """examples/wanli/data sits four folders below the tool's schemas; in a data repository
    its files name ../../schemas, as validate expects there and editors find."""
    repo = tmp_path / "wanli"
    assert cli("init", str(repo), "--data", str(WANLI)).exit_code == 0
    first = (repo / "data/2024/unit.yaml").read_text("utf-8").splitlines()[0]
    assert first == "# yaml-language-server: $schema=../../schemas/unit.schema.json"
    project = next((repo / "data/2023/projects").glob("*.yaml")).read_text("utf-8")
    assert project.startswith(
        "# yaml-language-server: $schema=../../../schemas/project.schema.json"
    )
    result = cli("validate", "--data", str(repo / "data"))
    assert result.exit_code == 0, result.output
    assert "names its schema" not in result.stderr and "no schema named" not in result.stderr
    schema = json.loads((repo / "schemas/unit.schema.json").read_text("utf-8"))
    assert schema == json.loads((ROOT / "schemas/unit.schema.json").read_text("utf-8"))


def test_init_writes_only_into_a_new_folder(tmp_path, cli):
    (tmp_path / "taken").mkdir()
    (tmp_path / "taken" / "notes.txt").write_text("x", "utf-8")
    result = cli("init", str(tmp_path / "taken"))
    assert result.exit_code == 2
    assert "is not an empty folder; init writes a new repository" in result.stderr
    result = cli("init", str(tmp_path / "new"), "--tool", "disclosure-compiler==0.1\nevil")
    assert result.exit_code == 2 and "is not a pip requirement on one line" in result.stderr
    assert not (tmp_path / "new").exists()
    empty = tmp_path / "empty"
    assert cli("init", str(empty)).exit_code == 0
    assert (empty / "data" / ".gitkeep").is_file()


def test_schemas_check_reports_a_copy_of_another_tool_version(tmp_path, cli, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert cli("schemas").exit_code == 0
    assert cli("schemas", "--check").exit_code == 0
    (tmp_path / "schemas/budget.schema.json").write_text("{}", "utf-8")
    (tmp_path / "schemas/unit.schema.json").unlink()
    result = cli("schemas", "--check")
    assert result.exit_code == 1
    assert "schemas/budget.schema.json: error: differs from disclosure-compiler 0.1.0's" in (
        result.stderr
    )
    assert "schemas/unit.schema.json: error:" in result.stderr
    assert cli("schemas").exit_code == 0
    assert cli("schemas", "--check").exit_code == 0


# --- end to end: the wheel, a venv, the data repository's own workflow steps -----------------


def _run(args, cwd, env, check=True) -> subprocess.CompletedProcess:
    done = subprocess.run(args, cwd=cwd, env=env, capture_output=True, text=True)
    if check and done.returncode != 0:
        pytest.fail(f"{args} exited {done.returncode}:\n{done.stdout}\n{done.stderr}")
    return done


def _steps(workflow: Path, job: str) -> list[tuple[str, str]]:
    """The workflow job's shell steps, (name, script), except the Debian install (the machine
    running the tests has the fonts; CI's runner installs them by this step)."""
    data = yaml.safe_load(workflow.read_text("utf-8"))
    return [
        (step.get("name", ""), step["run"])
        for step in data["jobs"][job]["steps"]
        if "run" in step and "apt-get" not in step["run"]
    ]


def _step(repo: Path, env: dict, script: str) -> subprocess.CompletedProcess:
    """A step as GitHub runs a `run:` that names no shell: `bash -e {0}` (no pipefail)."""
    return subprocess.run(
        ["bash", "-e", "-c", script],
        cwd=repo,
        env=env,
        capture_output=True,
        text=True,
    )


def _wheel(tmp_path: Path) -> Path:
    """The tool built as a wheel from a copy of its source (a build writes into the tree)."""
    source = tmp_path / "source"
    shutil.copytree(
        ROOT,
        source,
        ignore=shutil.ignore_patterns(
            ".*",
            "build",
            "site",
            "published",
            "*.egg-info",
            "__pycache__",
            "tests",
            "data",
            "examples",
            "bench",
        ),
    )
    dist = tmp_path / "dist"
    _run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q"]
        + ["-w", str(dist), str(source)],
        tmp_path,
        os.environ.copy(),
    )
    (wheel,) = dist.glob("disclosure_compiler-*-py3-none-any.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    for packaged in (
        "compiler/schemas/unit.schema.json",
        "compiler/catalogue/2024/function.csv",
        "compiler/templates/layouts/shanghai-putuo-department/layout.yaml",
        "compiler/templates/shared/correction.html.j2",
        "compiler/templates/data-repo/github/workflows/publish.yml",
        "compiler/templates/data-repo/github/workflows/new-year.yml",
        "compiler/templates/data-repo/gitignore",
    ):
        assert packaged in names, f"the wheel lacks {packaged}"
    return wheel


@pytest.fixture(scope="module")
def installed(run_folder) -> tuple[str, dict]:
    """The wheel installed in a new venv: (its pip requirement, the environment that runs
    it first). The venv sees the packages of the one running the tests, installed from the
    lock, for the tool's dependencies (no download in the tests; not the machine's own
    packages, whatever versions those are); the tool itself comes from the wheel, as
    checked here. Made once a run: the xdist worker that asks second waits for it."""
    tmp_path = run_folder / "wheel"
    venv = tmp_path / "venv"
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "GITHUB_ACTIONS")}
    env["PATH"] = f"{venv / 'bin'}{os.pathsep}{env['PATH']}"
    env.update(GIT_AUTHOR_NAME="t", GIT_AUTHOR_EMAIL="t@example.org")
    env.update(GIT_COMMITTER_NAME="t", GIT_COMMITTER_EMAIL="t@example.org")
    python = str(venv / "bin" / "python")
    with open(run_folder / "wheel.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not (tmp_path / "installed").exists():
            tmp_path.mkdir(exist_ok=True)
            wheel = _wheel(tmp_path)
            _run([sys.executable, "-m", "venv", str(venv)], tmp_path, None)
            # A path entry, not a site folder: the checkout's editable entry there is not
            # followed.
            (site_packages,) = venv.glob("lib/python*/site-packages")
            (site_packages / "locked-packages.pth").write_text(
                sysconfig.get_paths()["purelib"] + "\n", "utf-8"
            )
            requirement = f"disclosure-compiler @ {wheel.as_uri()}"
            _run([python, "-m", "pip", "install", "-q", requirement], tmp_path, env)
            (tmp_path / "installed").write_text(requirement, "utf-8")
    requirement = (tmp_path / "installed").read_text("utf-8")
    where = _run([python, "-c", "import compiler; print(compiler.__file__)"], "/", env)
    assert where.stdout.startswith(str(venv)), "the tool runs from the wheel, not the checkout"
    return requirement, env


def _pushed_data_repository(tmp_path: Path, requirement: str, env: dict) -> Path:
    """tmp_path/unit: `disclosure init` with the installed wheel, committed and pushed to
    tmp_path/origin.git (its main branch)."""
    repo = tmp_path / "unit"
    _run(
        ["disclosure", "init", str(repo), "--tool", requirement, "--data", str(DATA)], tmp_path, env
    )
    origin = tmp_path / "origin.git"
    _run(["git", "init", "-q", "--bare", "-b", "main", str(origin)], tmp_path, env)
    for args in (
        ["git", "init", "-q", "-b", "main"],
        ["git", "add", "."],
        ["git", "commit", "-q", "-m", "初始化"],
        ["git", "remote", "add", "origin", str(origin)],
        ["git", "push", "-q", "-u", "origin", "main"],
    ):
        _run(args, repo, env)
    return repo


@pytest.mark.slow
def test_a_data_repository_runs_its_workflows_against_the_installed_wheel(tmp_path, installed):
    requirement, env = installed

    repo = _pushed_data_repository(tmp_path, requirement, env)
    origin = tmp_path / "origin.git"
    _run(["git", "checkout", "-q", "-b", "change"], repo, env)
    edit(
        repo / "data/2022/unit.yaml", "我单位无其他需要说明的事项。", "本单位无其他需要说明的事项。"
    )
    edit(  # a figure: 台式计算机 10 → 11 台 moves 7.00 to 7.70 and the totals above it
        repo / "data/2022/procurement.yaml",
        "        quantity: 10\n        unit_price: 0.70\n",
        "        quantity: 11\n        unit_price: 0.70\n",
    )
    _run(["git", "commit", "-q", "-am", "修改"], repo, env)

    # The pull-request workflow, step by step, as GitHub runs it (a runner's locale: C.UTF-8).
    summary = tmp_path / "summary.md"
    pr = {k: v for k, v in env.items() if k not in ("LC_ALL", "LC_MESSAGES", "DISCLOSURE_LANG")}
    pr.update(BASE_REF="main", GITHUB_STEP_SUMMARY=str(summary), LANG="C.UTF-8", PR_NUMBER="7")
    workflow = repo / ".github/workflows/pull-request.yml"
    names = []
    for name, script in _steps(workflow, "check"):
        done = _step(repo, pr, script)
        assert done.returncode == 0, f"step {name}: {done.stdout}\n{done.stderr}"
        names.append(name)
    assert "本次修改改变了 PDF 的哪些页面" in names, "the page diff ran"
    text = summary.read_text("utf-8")
    assert "## 公开数据变化（相对于 main）" in text
    assert "<del>我</del><ins>本</ins>单位无其他需要说明的" in text
    assert (repo / "build/2022/disclosure.pdf").is_file()

    # The changed PDF pages: a table in the summary, a picture of each in pages/2022/.
    pages = text[text.index("## PDF 页面变化（相对于 main）") :]
    assert re.search(r"### 2022@origin/main → 2022：\d+ 页有变化（共 \d+ 页）", pages), pages
    assert "| 页 | 原页 | 变化 |" in pages
    listed = {int(n) for n in re.findall(r"^\| (\d+) \| \d+ \| \d+ 处改动 \|$", pages, re.M)}
    pictures = {int(p.stem[5:]) for p in (repo / "pages/2022").glob("page-*.png")}
    assert listed and listed == pictures, (pages, pictures)
    assert "disclosure-pages-pr-7" in pages and "index.html" in pages
    index = (repo / "pages/2022/index.html").read_text("utf-8")
    assert all(f'src="page-{n:03d}.png"' in index for n in listed)
    # The oracle: the new PDF's pages that print the changed sentence or the new figure.
    new_texts = pdf_page_texts((repo / "build/2022/disclosure.pdf").read_bytes(), tmp_path)
    showing = {
        n
        for n, page in enumerate(new_texts, 1)
        if "本单位无其他需要说明的事项" in page or re.search(r"(?<![\d.])7\.70(?![\d.])", page)
    }
    assert showing and showing <= listed, (showing, listed)
    assert len(listed) < len(new_texts), "only the changed pages, not every page"

    # Merged: the publish workflow records the first edition and pushes the record.
    for args in (["git", "checkout", "-q", "main"], ["git", "merge", "-q", "change"]):
        _run(args, repo, env)
    _run(["git", "push", "-q", "origin", "main"], repo, env)
    for name, script in _steps(repo / ".github/workflows/publish.yml", "build"):
        done = _step(repo, env, script)
        assert done.returncode == 0, f"step {name}: {done.stdout}\n{done.stderr}"
    assert (repo / "site/index.html").is_file()
    recorded = _run(["git", "show", "main:published/2022/manifest.json"], origin, env)
    assert json.loads(recorded.stdout)["editions"][0]["edition"] == 1

    # A later change to the published year: the check step fails and names the file, until
    # a correction is requested with it.
    _run(["git", "checkout", "-q", "-b", "fix"], repo, env)
    edit(
        repo / "data/2022/unit.yaml", "本单位无其他需要说明的事项。", "本单位无其他需要公开的事项。"
    )
    (check,) = [s for n, s in _steps(workflow, "check") if "publish --check" in s]
    failed = _step(repo, pr, check)
    assert failed.returncode == 1, failed.stdout + failed.stderr
    assert "published/2022/1/151001_廊坊市人民政府办公室本级_2022年单位预算信息公开.pdf" in (
        failed.stderr
    )
    _run(["disclosure", "correct", "2022", "--reason", "第九部分表述更正"], repo, env)
    passed = _step(repo, pr, check)
    assert passed.returncode == 0, passed.stdout + passed.stderr


@pytest.mark.slow
def test_the_installed_wheel_builds_the_wanli_department(tmp_path, installed):
    """The Shanghai layouts, their stylesheets and the 2023/2024 catalogues come with the
    wheel: the real 万里街道 years build outside the checkout."""
    _, env = installed
    shutil.copytree(WANLI, tmp_path / "data")
    done = _run(
        ["disclosure", "build", "--format", "html,md,pdf,xlsx", "--diagnostics", "text"],
        tmp_path,
        env,
    )
    for year in (2023, 2024):
        for ext in ("html", "md", "pdf", "xlsx"):
            assert (tmp_path / f"build/{year}/disclosure.{ext}").stat().st_size > 0, done.stdout


@pytest.mark.slow
def test_a_data_repository_starts_a_year_from_the_web_with_the_installed_wheel(tmp_path, installed):
    """开始新年度 (new-year.yml), its steps as GitHub runs them: the pinned tool installed from
    requirements.txt, the year started on a branch pushed to origin, a pull request asked of
    `gh` (a stand-in here) with the report."""
    requirement, env = installed
    repo = _pushed_data_repository(tmp_path, requirement, env)
    origin = tmp_path / "origin.git"
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    (bin_dir / "gh").write_text(
        '#!/bin/sh\nprintf "%s\\n" "$@" > "$GH_LOG"\ncp pr-body.md "$GH_LOG.body"\n', "utf-8"
    )
    (bin_dir / "gh").chmod(0o755)
    log = tmp_path / "gh.log"
    web = {k: v for k, v in env.items() if k not in ("LC_ALL", "LC_MESSAGES", "DISCLOSURE_LANG")}
    web.update(YEAR="2023", BASE="main", GH_TOKEN="x", GH_LOG=str(log), LANG="C.UTF-8")
    web["PATH"] = f"{bin_dir}{os.pathsep}{env['PATH']}"
    steps = _steps(repo / ".github/workflows/new-year.yml", "new-year")
    assert [script for _, script in steps][0] == (
        "python -m pip install -r requirements.txt -c constraints.txt"
    )
    for name, script in steps:
        done = _step(repo, web, script)
        assert done.returncode == 0, f"step {name}: {done.stdout}\n{done.stderr}"

    pushed = _run(["git", "ls-tree", "-r", "--name-only", "new-year-2023"], origin, env)
    assert {"data/2023/unit.yaml", "data/2023/budget.yaml"} <= set(pushed.stdout.splitlines())
    unit = _run(["git", "show", "new-year-2023:data/2023/unit.yaml"], origin, env).stdout
    assert unit.startswith("# yaml-language-server: $schema=../../schemas/unit.schema.json")
    args = log.read_text("utf-8").splitlines()
    assert args[:2] == ["pr", "create"]
    assert args[args.index("--head") + 1] == "new-year-2023"
    assert args[args.index("--title") + 1] == "2023 年度预算公开数据"
    body = (tmp_path / "gh.log.body").read_text("utf-8")
    assert "本年数字留空" in body and "data/2023" in body

    # A year new-year cannot start (2022 exists, and there is no year before it to start it
    # from): the step stops at the tool's error, before a commit, a push or a pull request.
    log.unlink()
    _run(["git", "switch", "-q", "main"], repo, env)
    refused = _step(repo, dict(web, YEAR="2022"), steps[-1][1])
    assert refused.returncode == 2, refused.stdout + refused.stderr
    assert "错误：" in refused.stdout and "nothing to commit" not in refused.stdout
    assert not log.exists(), "no pull request is asked for"
    branches = _run(["git", "branch", "--list", "new-year-2022"], origin, env).stdout
    assert branches == "", "nothing pushed"
