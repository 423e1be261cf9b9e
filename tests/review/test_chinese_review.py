"""Chinese first for the reviewer and the yearly cycle: what a clerk or a reviewer at a
finance bureau reads from `diff` (its Markdown goes into the pull-request summary),
`diff --pages`, `new-year`, `import` and the live preview — and what `new-year` writes.

The rest of the suite runs in English; these tests ask for Chinese (the `chinese` fixture).
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import pytest
import yaml
from conftest import ROOT, edit
from fixtures.years import fill_blanks, git, make_next_year

from compiler import compile_year, parse_year_spec
from compiler.diagnostics import Diagnostic, Location
from compiler.edit.newyear_text import comments
from compiler.review.pagediff import ChangedPage, PageDiff, render_list
from compiler.serve.preview import _problems_page

# An English word of three letters or more outside code spans: what must not reach a
# clerk (file names, field names, commands and `--all` are allowed, as the house rules say).
ENGLISH_WORD = re.compile(r"\b[A-Za-z]{3,}\b")


def _english_words(text: str) -> set[str]:
    text = re.sub(r"`[^`]*`", "", text)  # commands in code spans
    text = re.sub(r"\S*[/\\@]\S*", "", text)  # paths, revisions (2022@main), </del>
    text = re.sub(r"\S+\.(yaml|xlsx|html|png)\b", "", text)  # file names
    text = re.sub(r"--[a-z-]+", "", text)  # options
    return set(ENGLISH_WORD.findall(text))


# --- diff: the pull-request summary ----------------------------------------------------------


@pytest.fixture
def changed_years(data_copy: Path) -> Path:
    """2022 and a 2023 filled in with 2022's figures, then edited: one figure changed (and
    the totals it moves), a glossary term removed, a sentence edited, a flag turned off."""
    year = make_next_year(
        data_copy, {("three-public.yaml", ("current", "reception")): Decimal("22.00")}
    )
    glossary = year / "glossary.yaml"
    edit(glossary, "指市级财政当年拨付的资金。", "指市级财政当年拨付给本单位的资金。")
    edit(
        glossary,
        "  - term: 事业收入\n    definition: 指事业单位开展专业业务活动及辅助活动所取得的收入。\n",
        "",
    )
    edit(year / "procurement.yaml", "sme_reserved: true", "sme_reserved: false")
    return data_copy


def test_the_diff_in_markdown_is_chinese(cli, chinese, changed_years):
    result = cli("diff", "2022", "2023", "--data", str(changed_years), "--format", "md")
    assert result.exit_code == 1, result.output
    md = result.stdout
    assert md.startswith("### 公开数据对比：`2022` → `2023`\n")
    assert (
        "\n4 个数字有变化（其中 3 个为计算所得），2 处文字有修改，删除 1 个条目；"
        "另有 23 处仅随年度变化的差异未列出（加 `--all` 可列出）\n"
    ) in md
    assert "| 项目 | 原数 | 新数 | 增减额 | 增减幅度 |" in md
    assert "| 公务接待费 | 20.67 | 22.00 | +1.33 | +6.4% |" in md
    assert "| 三公经费合计（计算所得） | 80.32 | 81.65 | +1.33 | +1.7% |" in md
    assert "- **删除** 名词解释 › 事业收入 — 指事业单位开展专业业务活动" in md
    assert (
        "- **修改** 名词解释 › 一般公共预算拨款收入 › 解释："
        "指市级财政当年拨付<ins>给本单位</ins>的资金。"
    ) in md
    assert "预留中小微企业份额：<del>是</del> → <ins>否</ins>" in md
    assert _english_words(md) == set(), md


def test_the_diff_in_the_terminal_is_chinese(cli, chinese, changed_years):
    text = cli("diff", "2022", "2023", "--data", str(changed_years)).stdout
    assert re.search(r"  ~ 三公经费合计（计算所得） +80\.32 → 81\.65 +\+1\.33 +\+1\.7%\n", text)
    assert "  - 名词解释 › 事业收入  指事业单位" in text
    assert "预留中小微企业份额：是 → 否" in text
    assert _english_words(text) == set(), text


def test_the_changed_pages_in_markdown_are_chinese(chinese, tmp_path):
    pages = PageDiff(
        "2022@main",
        "2022",
        17,
        18,
        [ChangedPage(None, 2, 1, "page-002.png"), ChangedPage(3, 4, 2, "page-004.png")],
    )
    md = render_list(pages, "md", tmp_path)
    assert md.startswith("### 2022@main → 2022：2 页有变化（现共 18 页，原 17 页）\n")
    assert "| 页 | 原页 | 变化 |" in md
    assert "| 2 | — | 新增 |" in md and "| 4 | 3 | 2 处改动 |" in md
    text = render_list(pages, "text", tmp_path)
    assert "  第 4 页（原第 3 页）：2 处改动（图片：" in text
    assert _english_words(md + text) == set()


# --- new-year ----------------------------------------------------------------------------------


def _stale_comments(folder: Path, years: tuple[str, ...]) -> list[str]:
    """Comments (not the modeline) in the folder's files that name one of `years`."""
    found = []
    for path in sorted(folder.rglob("*.yaml")):
        for comment in comments(path.read_text(encoding="utf-8")):
            if not comment.text.startswith("# yaml-language-server") and any(
                year in comment.text for year in years
            ):
                found.append(f"{path.name}: {comment.text}")
    return found


def test_new_year_reports_in_chinese_and_leaves_no_stale_comment_or_baseline(
    cli, chinese, data_copy
):
    old, new = data_copy / "2022", data_copy / "2023"
    # A note about last year's figure goes; a note about what a field is stays.
    edit(old / "budget.yaml", "general_budget: 9272.51", "general_budget: 9272.51  # 2022年批复数")
    edit(old / "budget.yaml", "carried_over: 297.37", "carried_over: 297.37  # 上年结转资金")
    performance = (old / "performance.yaml").read_text(encoding="utf-8").split("\n", 1)
    (old / "performance.yaml").write_text(
        f"{performance[0]}\n# 2022年的绩效目标\n{performance[1]}", encoding="utf-8"
    )
    assert _stale_comments(old, ("2021", "2022"))  # the real 2022 has such comments

    result = cli("new-year", "2023", "--data", str(data_copy))
    assert result.exit_code == 0, result.output
    out = result.stdout
    assert out.startswith(f"已从 2022 新建 {new}（共 20 个文件）。\n")
    assert (
        f"2023年的上年数字由 {old} 自动计算，因此删除了从 2022 复制来的手填上年数字：\n"
        f"  {new / 'budget.yaml'}: previous_year\n"
        f"  {new / 'three-public.yaml'}: previous\n"
    ) in out
    assert f"  {new / 'budget.yaml'}: # 2022年批复数\n" in out
    assert "以下 146 处已留空，待填写 2023年的数字" in out
    assert re.search(r"budget\.yaml +金额 8 处，增减原因 2 处\n", out)
    assert re.search(r"procurement\.yaml +项目预算资金 3 处，数量 17 处，单价 17 处\n", out)
    assert "以下文字提到 2022年或 2021年（已原样保留），请按 2023年的情况核对修改：" in out
    # Lines as in the new file, without the comment above (line 4 of 2022's file).
    assert f"  {new / 'performance.yaml'}:3: 2022年，市政府将坚持以习近平…\n" in out
    assert "2022年，市政府" in (new / "performance.yaml").read_text("utf-8").splitlines()[2]
    assert out.endswith(
        "下一步：\n"
        "  1. 在上面列出的位置填写 2023年的数字和增减原因。\n"
        "  2. 按 2023年的情况修改上面列出的文字。\n"
        "  3. 运行 `disclosure validate 2023`，按提示逐条改正，直到显示“2023：数据无误”。\n"
    )
    assert _english_words(out) <= {"previous", "git"}, out  # a field name, a tool

    # What it wrote: no comment about 2022's or 2021's figures, no typed baseline …
    assert _stale_comments(new, ("2021", "2022")) == []
    budget_text = (new / "budget.yaml").read_text(encoding="utf-8")
    budget = yaml.safe_load(budget_text)
    assert "previous_year" not in budget and "4158.17" not in budget_text
    assert "  carried_over:  # 上年结转资金\n" in budget_text
    assert "  general_budget:\n" in budget_text
    three_text = (new / "three-public.yaml").read_text(encoding="utf-8")
    assert "previous" not in yaml.safe_load(three_text) and "59.65" not in three_text
    assert three_text.count("#") == 1  # the modeline

    # … because 2023 takes its previous-year figures from 2022 once it is filled in.
    fill_blanks(new, old)
    filled = compile_year(parse_year_spec("2023", data_copy))
    assert filled.ok, [d.format_text() for d in filled.diagnostics]
    assert filled.model.budget.previous_written is False
    assert filled.model.budget.previous_basic == Decimal("4158.17")
    assert filled.model.three_public.previous_written is False
    assert filled.model.three_public.previous.vehicle_operation == Decimal("59.65")


def test_a_skipped_year_gets_the_baseline_typed_and_a_note_in_chinese(cli, chinese, data_copy):
    result = cli("new-year", "2025", "--data", str(data_copy))  # no 2024 in the data
    assert result.exit_code == 0, result.output
    new = data_copy / "2025"
    assert (
        "注意：2025年的上年是 2024年，但下面填入的上年数字取自 2022年；"
        "如 2024年的数字不同，请改正。\n"
        "上年数字已按 2022 的计算结果填入：\n"
        f"  {new / 'budget.yaml'}: previous_year.basic = 4158.17\n"
    ) in result.stdout
    assert yaml.safe_load((new / "budget.yaml").read_text(encoding="utf-8"))["previous_year"] == {
        "basic": 4158.17,
        "project": 5411.71,
    }
    assert _stale_comments(new, ("2021", "2022")) == []


def test_new_year_trouble_is_chinese(cli, chinese, data_copy):
    assert cli("new-year", "2023", "--data", str(data_copy)).exit_code == 0
    again = cli("new-year", "2023", "--data", str(data_copy))
    assert again.exit_code == 2
    assert "2023 已经存在：new-year 不会覆盖已有的年度" in again.stderr
    earlier = cli("new-year", "2020", "--data", str(data_copy))
    assert earlier.exit_code == 2
    assert "下没有 2020年以前的年度可作为基础；请用 --from 指定一个年度" in earlier.stderr


# --- import ------------------------------------------------------------------------------------


def test_a_file_that_is_no_workbook_is_refused_in_chinese(cli, chinese, data_copy, tmp_path):
    bad = tmp_path / "预算公开表.xlsx"
    bad.write_text("这不是 Excel 文件", encoding="utf-8")
    result = cli("import", str(bad), "--year", "2022", "--data", str(data_copy))
    assert result.exit_code == 1
    assert f"{bad}: 错误: 无法作为 Excel 工作簿（.xlsx）打开" in result.stderr
    assert "请确认选择的是预算系统导出的 .xlsx 文件" in result.stderr
    assert not (data_copy / "2022" / "lines.yaml").exists()


def test_a_workbook_without_the_tables_is_reported_in_chinese(cli, chinese, data_copy, tmp_path):
    from openpyxl import Workbook

    book = Workbook()
    book.active["A1"] = "2022年部门收入预算表"  # not one of the tables the import reads
    wrong = tmp_path / "其他表.xlsx"
    book.save(wrong)
    result = cli("import", str(wrong), "--year", "2022", "--data", str(data_copy))
    assert result.exit_code == 1
    lines = result.stderr.splitlines()
    assert (
        f"{wrong}: 错误: 工作簿中没有“一般公共预算支出功能分类预算表”（按表的标题识别）"
        in (lines[0])
    )
    assert "一般公共预算基本支出经济分类预算表" in lines[1]
    assert lines[-1] == f"{wrong}：2 个错误；未写入任何文件"
    assert not (data_copy / "2022" / "lines.yaml").exists()


# --- help --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("command", "words"),
    [
        (
            "diff",
            ["逐个数字、逐个条目比较 OLD 和 NEW", "text 用于终端，md 用于合并请求", "退出状态"],
        ),
        (
            "new-year",
            ["以上一年度为基础新建 YEAR 年度的数据", "同时复制绩效指标值", "作为基础的年度"],
        ),
        ("import", ["读取工作簿 WORKBOOK", "预算明细所属的年度", "覆盖已有的 lines.yaml"]),
        ("serve", ["边编辑边在 http://127.0.0.1:PORT/ 预览", "任选一个空闲端口"]),
    ],
)
def test_the_reviewers_commands_help_in_chinese(cli, chinese, command, words):
    result = cli(command, "--help")
    assert result.exit_code == 0
    assert result.output.startswith(f"用法： main {command} ")
    for word in words:
        assert word in result.output
    assert not re.search(r"Compare the|Start YEAR|Read WORKBOOK|Preview YEAR", result.output)


# --- the live preview's error page -------------------------------------------------------------


def test_the_preview_error_page_is_chinese(chinese):
    problem = Diagnostic(
        Location("data/2022/budget.yaml", 3, 19),
        "请只填写数字",
        field="income.general_budget",
        field_words="一般公共预算收入",
    )
    page = _problems_page("2022", [problem], "token").decode("utf-8")
    assert '<html lang="zh-CN">' in page
    assert "<h1>2022：1 个错误</h1>" in page
    assert "<strong>错误:</strong> 一般公共预算收入: 请只填写数字" in page
    assert "改正错误并保存文件后，本页会自动恢复显示公开文件。" in page


# --- the pull-request summary compares a new year with the year before -------------------------


def _step(name: str, workflow: str = ".github/workflows/pull-request.yml") -> str:
    steps = yaml.safe_load((ROOT / workflow).read_text("utf-8"))
    steps = [s for job in steps["jobs"].values() for s in job["steps"]]
    return next(s["run"] for s in steps if s.get("name", "").startswith(name))


@pytest.mark.parametrize(
    ("workflow", "name"),
    [
        (".github/workflows/pull-request.yml", "What this pull request changes"),
        ("templates/data-repo/github/workflows/pull-request.yml", "本次修改对公开数字的影响"),
    ],
    ids=["this-repository", "data-repository-template"],
)
def test_the_pull_request_summary_compares_a_new_year_with_the_year_before(
    tmp_path, workflow, name
):
    repo = tmp_path / "repo"
    shutil.copytree(ROOT / "data" / "2022", repo / "data" / "2022")
    make_next_year(repo / "data", {("three-public.yaml", ("current", "reception")): Decimal("22")})
    # The base branch holds 2022 only: 2023 is this pull request's new year.
    git(repo, "init", "-q")
    git(repo, "add", "data/2022")
    git(repo, "commit", "-qm", "2022")
    git(repo, "update-ref", "refs/remotes/origin/main", "HEAD")
    shim = tmp_path / "bin" / "disclosure"
    shim.parent.mkdir()
    shim.write_text(
        f'#!/bin/sh\nPYTHONPATH="{ROOT}" exec "{sys.executable}" -m compiler "$@"\n', "utf-8"
    )
    shim.chmod(0o755)
    summary = tmp_path / "summary.md"
    step = _step(name, workflow)
    subprocess.run(
        ["bash", "-e", "-c", step],
        cwd=repo,
        check=True,
        env={
            "PATH": f"{shim.parent}:/usr/bin:/bin",
            "BASE_REF": "main",
            "GITHUB_STEP_SUMMARY": str(summary),
            "HOME": str(tmp_path),
        },
    )
    text = summary.read_text("utf-8")
    assert "也没有更早的年度可对比" not in text
    assert "2023 是新增年度（main 上没有），下面与上年 2022 对比：" in text
    assert "### 公开数据对比：`2022` → `2023`" in text
    assert "| 公务接待费 | 20.67 | 22.00 | +1.33 | +6.4% |" in text
    # The pages step and the GitLab job compare the same way.
    pages = 'disclosure diff "${last}" "${year}" --pages "pages/${year}" --format md'
    assert pages in _step("Which PDF pages")
    gitlab = (ROOT / ".gitlab-ci.yml").read_text("utf-8")
    assert 'disclosure diff "${last}" "${year}" --format md' in gitlab and pages in gitlab
    template = (ROOT / "templates/data-repo/gitlab-ci.yml").read_text("utf-8")
    assert 'disclosure diff "${last}" "${year}" --format md' in template and pages in template
    data_repo = "templates/data-repo/github/workflows/pull-request.yml"
    assert pages in _step("本次修改改变了 PDF 的哪些页面", data_repo)


# --- new-year's text edits -----------------------------------------------------------------------


def test_new_year_text_edits_keep_what_is_not_last_years():
    from compiler.edit.newyear_text import drop_block, drop_comments, rewrite, stale_comment

    text = (
        "# yaml-language-server: $schema=x\n"
        "# 2022年的说明：第一行\n"
        "# 第二行\n"
        "quarterly: [25.88, 180.74]   # 用款计划（万元）\n"
        'note: "不是注释 # 2022"\n'
        "# 2021 = 2022 − change\n"
        "previous_year:\n"
        "  basic: 1.00  # 2021年\n"
        "\n"
        "# 增减原因\n"
        "reasons: {a: 1}\n"
    )
    # A blank in a flow list is `null`: `[, ]` is not YAML.
    blanked = rewrite(text, {("quarterly", 0): None, ("quarterly", 1): None})
    assert "quarterly: [null, null]   # 用款计划（万元）\n" in blanked
    # The block goes with the comment right above it, not the one above the next key.
    dropped = drop_block(blanked, "previous_year")
    assert "previous_year" not in dropped and "2021 = 2022" not in dropped
    assert dropped.endswith('note: "不是注释 # 2022"\n\n# 增减原因\nreasons: {a: 1}\n')
    # A paragraph naming the old year goes whole; the modeline, a label and a quoted # stay.
    cleaned, gone = drop_comments(dropped, stale_comment(2022))
    assert gone == ["# 2022年的说明：第一行 # 第二行"]
    assert cleaned == (
        "# yaml-language-server: $schema=x\n"
        "quarterly: [null, null]   # 用款计划（万元）\n"
        'note: "不是注释 # 2022"\n'
        "\n"
        "# 增减原因\n"
        "reasons: {a: 1}\n"
    )
