"""Chinese first for publishing: `disclosure publish` (and its `--check`), `disclosure correct`
and GitLab's Code Quality report, as a clerk (and a reviewer in the merge request) reads them.
GitLab recognises a problem by its fingerprint, which must not change with the language."""

from __future__ import annotations

import hashlib
import json
import re
import shutil
from pathlib import Path

import pytest
from conftest import edit

from compiler.publish import editions

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
        "错误：2022年度预算从未公开（没有 published/2022/manifest.json），无从更正：请先发布"
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
        f"published/2022/1/{page}: 错误: 2022年度预算第1版（2023-11-15公开）："
        "重新生成的2022年度预算文件与这个已公开的文件不同" in result.stderr
    )
    assert '请运行 `disclosure correct 2022 --reason "…"`' in result.stderr
    assert result.stderr.rstrip().endswith("已公开版本：有已公开的年度会被改变（见上）")


def _gitlab(cli, data: Path, *lang: str) -> list[dict]:
    result = cli(*lang, "validate", "--data", str(data), "--format", "gitlab")
    assert result.exit_code in (0, 1), result.output
    return json.loads(result.stdout)


def test_the_gitlab_report_is_chinese_and_fingerprints_as_the_english_one(
    data_copy, tmp_path, cli, chinese
):
    # Without its declaration (unit.yaml not_published), 2022 warns of its nine tables.
    unit = data_copy / "2022" / "unit.yaml"
    text = unit.read_text(encoding="utf-8")
    unit.write_text(text[: text.index("not_published:")], encoding="utf-8")
    broken = tmp_path / "broken"
    shutil.copytree(data_copy, broken)
    edit(broken / "2022" / "budget.yaml", "general_budget: 9272.51", "general_budget: 9272.51万元")
    [chinese_warning], [error] = _gitlab(cli, data_copy), _gitlab(cli, broken)
    [english_warning] = _gitlab(cli, data_copy, "--lang", "en")
    [english] = _gitlab(cli, broken, "--lang", "en")

    # One problem (the nine tables, one cause), in other words in each language: one fingerprint.
    assert chinese_warning["description"].startswith("版式：9张公开表中有9张没有公开（收支总表、")
    assert english_warning["description"].startswith("layout: 9 of the 9 statutory tables")
    assert chinese_warning["fingerprint"] == english_warning["fingerprint"]

    # the field in the clerk's words, as the text form names it, not income.general_budget
    assert error["description"].startswith("收入（万元） › 一般公共预算收入：")
    assert "9272.51万元" in error["description"]
    assert english["description"].startswith("income.general_budget: expected a number")
    assert error["fingerprint"] == english["fingerprint"]
