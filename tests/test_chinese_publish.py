"""Chinese first for publishing: `disclosure publish` (and its `--check`), `disclosure correct`
and GitLab's Code Quality report, as a clerk (and a reviewer in the merge request) reads them.
GitLab recognises a problem by its fingerprint, which must not change with the language."""

from __future__ import annotations

import hashlib
import json
import re
from pathlib import Path

import pytest
from conftest import edit

from compiler import editions, i18n
from compiler.codequality import report
from compiler.diagnostics import Diagnostic, Location
from compiler.i18n import _

NAME = "151001_廊坊市人民政府办公室本级_2022年单位预算信息公开"


def flat(text: str) -> str:
    """Help as one line: click wraps it, even inside a run of Chinese characters."""
    return re.sub(r"\s+", "", text)


@pytest.fixture
def repo(data_copy: Path, monkeypatch) -> Path:
    """A data repository (data/2022, published/ beside it) as the working directory."""
    monkeypatch.chdir(data_copy.parent)
    return data_copy.parent


def test_publish_and_correct_help_are_in_chinese(cli, chinese):
    publish = cli("publish", "--help")
    assert publish.exit_code == 0
    text = flat(publish.output)
    assert flat("把每个年度发布到 OUT 文件夹") in text
    assert flat("已公开的年度只能以更正的方式修改") in text
    assert flat("按公开时的条件重新生成每个已公开的年度") in text  # --check
    assert "Buildeveryyear" not in text and "Writenothing" not in text

    correct = cli("correct", "--help")
    assert correct.exit_code == 0
    text = flat(correct.output)
    assert flat("申请更正已公开的 YEAR 年度") in text
    assert flat("更正的原因，印在公开文件和索引页上。") in text  # --reason
    assert "Requestacorrection" not in text


def test_a_correction_of_a_year_never_published_is_refused_in_chinese(repo, cli, chinese):
    result = cli("correct", "2022", "--reason", "更正")
    assert result.exit_code == 2
    assert (
        "错误：2022年度从未公开（没有 published/2022/manifest.json），无从更正：请先发布"
        in result.stderr
    )
    assert not (repo / "published").exists()


def test_publish_check_names_a_changed_published_file_in_chinese(repo, cli, chinese, monkeypatch):
    # The web page alone is rebuilt (the PDF takes long and says nothing more here), against
    # a record by hand whose page has other bytes than the rebuild.
    monkeypatch.setattr(editions, "FORMAT_LABELS", {"html": "网页"})
    page = f"{NAME}.html"
    folder = repo / "published" / "2022"
    (folder / "1").mkdir(parents=True)
    (folder / "1" / page).write_bytes(b"<p>old</p>\n")
    entry = {
        "edition": 1,
        "published": "2023-11-15",
        "revision": None,
        "uncommitted_changes": False,
        "tool": "disclosure-compiler 0.1.0",
        "source_date_epoch": None,
        "documents": [],
        "data": [],
        "files": {page: hashlib.sha256(b"<p>old</p>\n").hexdigest()},
    }
    (folder / "manifest.json").write_text(
        json.dumps({"format": 1, "year": 2022, "editions": [entry]}), "utf-8"
    )

    result = cli("publish", "--check")
    assert result.exit_code == 1, result.output
    assert (
        f"published/2022/1/{page}: 错误: 2022年度第1版（2023-11-15公开）："
        "重新生成的2022年度文件与这个已公开的文件不同" in result.stderr
    )
    assert '请运行 `disclosure correct 2022 --reason "…"`' in result.stderr
    assert result.stderr.rstrip().endswith("已公开版本：有已公开的年度会被改变（见上）")


def _gitlab(cli, data: Path, *lang: str) -> list[dict]:
    result = cli(*lang, "validate", "--data", str(data), "--format", "gitlab")
    assert result.exit_code == 1, result.output
    return json.loads(result.stdout)


def test_the_gitlab_report_is_chinese_and_fingerprints_as_the_english_one(data_copy, cli, chinese):
    edit(
        data_copy / "2022" / "budget.yaml", "general_budget: 9272.51", "general_budget: 9272.51万元"
    )
    chinese_issues = _gitlab(cli, data_copy)
    english_issues = _gitlab(cli, data_copy, "--lang", "en")

    [error] = [i for i in chinese_issues if i["severity"] == "critical"]
    # the field in the clerk's words, as the text form names it, not income.general_budget
    assert error["description"].startswith("收入（万元） › 一般公共预算收入：")
    [english] = [i for i in english_issues if i["severity"] == "critical"]
    assert english["description"].startswith("income.general_budget: expected a number")

    assert error["fingerprint"] == english["fingerprint"]
    assert sorted(i["fingerprint"] for i in chinese_issues) == sorted(
        i["fingerprint"] for i in english_issues
    )


def test_a_translated_message_has_the_fingerprint_of_its_english(chinese):
    """A message built in Chinese (a label and a quoted value inside it) fingerprints as the
    same message built in English; another value, another fingerprint."""

    def issues(lang: str) -> list[dict]:
        i18n.set_language(lang)
        made = [
            _("wrote {count} files into {folder}/ (years: {years})").format(
                count=3, folder="单位", years=_("none yet")
            ),
            _("--tool {requirement!r} is not a pip requirement on one line").format(
                requirement="disclosure-compiler==1 x"
            ),
            _("--tool {requirement!r} is not a pip requirement on one line").format(
                requirement="disclosure-compiler==2 x"
            ),
        ]
        return json.loads(report([Diagnostic(Location("a.yaml", 3, 1), m) for m in made]))

    chinese_issues, english_issues = issues("zh"), issues("en")
    assert chinese_issues[0]["description"] == "已在 单位/ 中写入 3 个文件（年度：暂无）"
    assert english_issues[0]["description"] == "wrote 3 files into 单位/ (years: none yet)"
    fingerprints = [i["fingerprint"] for i in chinese_issues]
    assert fingerprints == [i["fingerprint"] for i in english_issues]
    assert len(set(fingerprints)) == 3
