"""Issue #24 part 6: a published wording can be kept on purpose. A warning about what the
published document says can be acknowledged in acknowledged.yaml with a short reason;
acknowledged, it does not fail --strict and the pull request's summary lists it.

The real 万里街道 years acknowledge their three published contradictions (README.md); the
cases that go wrong are made in temporary copies."""

from __future__ import annotations

import shutil
from pathlib import Path

from conftest import ROOT
from fixtures.years import invoke

WANLI = ROOT / "examples" / "wanli" / "data"


def _wanli(tmp_path: Path) -> Path:
    data = tmp_path / "data"
    shutil.copytree(WANLI, data)
    for path in data.rglob("*.yaml"):
        text = path.read_text(encoding="utf-8")
        path.write_text(
            text.replace("../../../../schemas/", "../../schemas/").replace(
                "../../../../../schemas/", "../../../schemas/"
            ),
            encoding="utf-8",
        )
    return data


def test_a_faithful_transcription_passes_strict_with_its_acknowledgements(tmp_path):
    summary = tmp_path / "summary.md"
    result = invoke(
        "--lang", "en", "validate", "--strict", "--data", str(WANLI), "--summary", str(summary)
    )
    assert result.exit_code == 0, result.output
    shown = [line for line in result.output.splitlines() if ": acknowledged: " in line]
    # three contradictions, and three texts printed with spaces or straight quotes
    # (2023's indicator name has both: two warnings)
    assert len(shown) == 7, result.output
    notes = next(line for line in shown if "line-notes.yaml" in line)
    assert notes.startswith(
        "examples/wanli/data/2024/line-notes.yaml:22:13: acknowledged: items[3].reason: "
        "2013302 一般行政管理事务: the reason says 增加, but the figure 减少"
    )
    assert notes.endswith(
        "(kept as published: 公开文本如此：第4项原因写“经费增加”，而该项减少2.98%)"
    )
    assert result.output.strip().splitlines()[-1] == (
        "2023, 2024: valid; 7 warning(s) acknowledged as published"
    )
    text = summary.read_text(encoding="utf-8")
    assert text.startswith("## Warnings acknowledged in the data (kept as published;")
    items = [line for line in text.splitlines() if line.startswith("- ")]
    assert len(items) == 7
    notes = next(item for item in items if "line-notes.yaml" in item)
    assert notes.startswith("- `examples/wanli/data/2024/line-notes.yaml:22:13` 2013302")
    assert "**kept as published**: 公开文本如此：第4项原因写“经费增加”" in notes


def test_the_summary_is_in_chinese_for_the_reviewer(tmp_path):
    summary = tmp_path / "summary.md"
    result = invoke(
        "--lang", "zh", "validate", "2024", "--data", str(WANLI), "--summary", str(summary)
    )
    assert result.exit_code == 0, result.output
    assert "line-notes.yaml:22:13: 已确认保留:" in result.output
    text = summary.read_text(encoding="utf-8")
    assert text.startswith("## 已确认照录的公开原文")
    assert "**照录理由**: 公开文本如此" in text


def test_github_shows_an_acknowledged_warning_as_a_notice():
    result = invoke("--lang", "en", "validate", "2024", "--format", "github", "--data", str(WANLI))
    notices = [line for line in result.output.splitlines() if line.startswith("::notice ")]
    assert len(notices) == 2, result.output  # the reason; the schedule's spaces
    assert all("kept as published" in notice for notice in notices)
    assert "::warning" not in result.output


def test_without_the_acknowledgement_strict_fails_at_the_text(tmp_path):
    data = _wanli(tmp_path)
    (data / "2024" / "acknowledged.yaml").unlink()
    result = invoke("--lang", "en", "validate", "2024", "--strict", "--data", str(data))
    assert result.exit_code == 1
    assert (
        "data/2024/line-notes.yaml:22:13: error: items[3].reason: 2013302 一般行政管理事务: "
        "the reason says 增加" in result.output
    )
    assert (
        "data/2024/project-funding.yaml:12:24: error: projects[0].schedule: a space between "
        "'计' and '第'" in result.output
    )
    assert result.output.strip().splitlines()[-1] == "2024: 2 error(s), 0 warning(s)"


def test_an_acknowledgement_outlives_no_correction(tmp_path):
    """The clerk corrects the reason (a correction, say): the acknowledgement no longer
    matches a warning, and validate says so at its line."""
    data = _wanli(tmp_path)
    notes = data / "2024" / "line-notes.yaml"
    notes.write_text(
        notes.read_text(encoding="utf-8").replace(
            "reason: 宣传事务一般行政管理事务经费增加", "reason: 宣传事务一般行政管理事务经费减少"
        ),
        encoding="utf-8",
    )
    result = invoke("--lang", "en", "validate", "2024", "--strict", "--data", str(data))
    assert result.exit_code == 1
    assert "data/2024/acknowledged.yaml:5:5: error: warnings[0]: no warning at " in result.output
    assert "line-notes.yaml items[3].reason to acknowledge" in result.output


def test_only_a_warning_about_the_published_text_can_be_acknowledged(tmp_path):
    """A statutory table not published asks for data the year lacks: acknowledging it is
    an error, so --strict cannot be silenced for it."""
    data = tmp_path / "data"
    shutil.copytree(ROOT / "data", data)
    unit = data / "2022" / "unit.yaml"  # the nine tables undeclared: a warning each cause
    text = unit.read_text(encoding="utf-8")
    unit.write_text(text[: text.index("not_published:")], encoding="utf-8")
    (data / "2022" / "acknowledged.yaml").write_text(
        "# yaml-language-server: $schema=../../schemas/acknowledged.schema.json\n"
        "warnings:\n"
        "  - {file: unit.yaml, field: layout, reason: 没有这张表}\n",
        encoding="utf-8",
    )
    result = invoke("--lang", "en", "validate", "2022", "--data", str(data))
    assert result.exit_code == 1
    assert (
        "data/2022/acknowledged.yaml:3:5: error: warnings[0]: the warning at unit.yaml layout"
        " is not about what the published document says" in result.output
    )
    assert ": acknowledged: " not in result.output


def test_new_year_does_not_carry_the_acknowledgements(tmp_path):
    data = _wanli(tmp_path)
    result = invoke("new-year", "2025", "--data", str(data))
    assert result.exit_code == 0, result.output
    assert not (data / "2025" / "acknowledged.yaml").exists()
