"""Issue #24 part 7: new-year marks what it carried. Every text copied from last year
(reasons, uses, glossary definitions, 实施周期, goals, duties) is listed in the new year's
carried-over.yaml and warned about, once per file, until it is edited or confirmed; a
reason still as carried gets no second message about its direction.

The real 万里街道 2023 and 2024 are copied into a temporary folder; 2025 is made up."""

from __future__ import annotations

import re
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


def _warnings(output: str) -> list[str]:
    return [line for line in output.splitlines() if ": warning: " in line]


def test_new_year_lists_every_text_it_copied(tmp_path):
    data = _wanli(tmp_path)
    result = invoke("--lang", "en", "new-year", "2025", "--data", str(data))
    assert result.exit_code == 0, result.output
    assert "Copied 65 texts from 2024" in result.output
    assert "each listed in carried-over.yaml" in result.output
    carried = (data / "2025" / "carried-over.yaml").read_text(encoding="utf-8")
    assert carried.startswith(
        "# yaml-language-server: $schema=../../schemas/carried-over.schema.json"
    )
    assert "from: 2024\n" in carried
    # the glossary says 市级 where the district's document should say 区级
    assert '{field: "terms[0].definition", text: "是市级预算主管部门' in carried
    assert '{field: "items[3].reason", text: "宣传事务一般行政管理事务经费增加"}' in carried
    assert '{field: "projects[0].schedule"' in carried  # 实施周期
    assert "items[3].code" not in carried and '"name"' not in carried  # names stay

    result = invoke("--lang", "en", "validate", "2025", "--data", str(data))
    warnings = _warnings(result.output)
    assert len(warnings) == 4, warnings  # one per file, not one per text
    glossary = next(w for w in warnings if "glossary.yaml" in w)
    assert (
        "data/2025/glossary.yaml:4:17: warning: terms[0].definition: 8 texts copied from 2024 "
        "by new-year are as they were (terms[0].definition、"
    ) in glossary
    notes = next(w for w in warnings if "line-notes.yaml" in w)
    assert "42 texts copied from 2024" in notes and "and 37 more" in notes
    assert "the reason says" not in result.output


def _made_up_2025(tmp_path: Path) -> Path:
    """2025 as new-year marks it, its figures those of 2024 (copied, as made-up figures)."""
    data = _wanli(tmp_path)
    assert invoke("new-year", "2025", "--data", str(data)).exit_code == 0
    carried = (data / "2025" / "carried-over.yaml").read_text(encoding="utf-8")
    shutil.rmtree(data / "2025")
    shutil.copytree(data / "2024", data / "2025")
    (data / "2025" / "acknowledged.yaml").unlink()
    (data / "2025" / "carried-over.yaml").write_text(carried, encoding="utf-8")
    return data


def test_a_carried_reason_is_one_message_until_edited_or_confirmed(tmp_path):
    data = _made_up_2025(tmp_path)
    result = invoke("--lang", "en", "validate", "2025", "--strict", "--data", str(data))
    assert result.exit_code == 1
    problems = [line for line in result.output.splitlines() if ": error: " in line]
    # item 4's reason names 增加 for a figure that fell: carried, it is one cause, one message
    assert "the reason says" not in result.output
    assert any("line-notes.yaml" in p and "42 texts copied from 2024" in p for p in problems)

    notes = data / "2025" / "line-notes.yaml"
    notes.write_text(
        notes.read_text(encoding="utf-8").replace(
            "reason: 宣传事务一般行政管理事务经费增加", "reason: 宣传事务一般行政管理事务经费减少"
        ),
        encoding="utf-8",
    )
    result = invoke("--lang", "en", "validate", "2025", "--data", str(data))
    notes_warning = next(w for w in _warnings(result.output) if "line-notes.yaml" in w)
    assert "41 texts copied from 2024" in notes_warning  # the edited one no longer counts

    # confirming: the clerk deletes line-notes.yaml's list from carried-over.yaml
    carried = data / "2025" / "carried-over.yaml"
    text = carried.read_text(encoding="utf-8")
    text = re.sub(r'  "line-notes.yaml":\n(    - .*\n)+', "", text)
    carried.write_text(text, encoding="utf-8")
    result = invoke("--lang", "en", "validate", "2025", "--data", str(data))
    assert not any("line-notes.yaml" in w for w in _warnings(result.output)), result.output
    assert len(_warnings(result.output)) == 3  # glossary, project-funding, unit.yaml


def test_a_carried_reason_edited_to_the_wrong_direction_is_warned_about(tmp_path):
    """Once the clerk has touched a reason, its direction is checked again."""
    data = _made_up_2025(tmp_path)
    notes = data / "2025" / "line-notes.yaml"
    notes.write_text(
        notes.read_text(encoding="utf-8").replace(
            "reason: 宣传事务一般行政管理事务经费增加", "reason: 宣传事务经费增加"
        ),
        encoding="utf-8",
    )
    result = invoke("--lang", "en", "validate", "2025", "--data", str(data))
    assert "items[3].reason: 2013302 一般行政管理事务: the reason says 增加" in result.output


def test_the_message_is_in_chinese_for_the_clerk(tmp_path):
    data = _wanli(tmp_path)
    assert invoke("new-year", "2025", "--data", str(data)).exit_code == 0
    result = invoke("--lang", "zh", "validate", "2025", "--data", str(data))
    line = next(line for line in result.output.splitlines() if "glossary.yaml" in line)
    assert "8 段文字是 new-year 从 2024 年度复制来的，还没有改动" in line
    assert "carried-over.yaml" in line
