"""Final accounts started with `new-year 2025/final` and filled are published and corrected
like any: their own edition 1 beside 2024's, `publish --check` clean, a changed reason found
by the check, `correct 2025/final` and the next publish record edition 2 of 2025's final
accounts alone. On the made-up 2025 of tests/fixtures/final_next_year (a temporary folder)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import edit
from fixtures.final_next_year import filled_2025, finance_copy

EPOCH = "1767225600"  # 2026-01-01 UTC


@pytest.mark.slow
def test_a_filled_new_final_year_is_published_and_corrected(
    tmp_path: Path, cli, monkeypatch, shared_pdf_layouts
):
    # PDFs laid out once a run: `publish --check` reads the first layout back (that two
    # layouts are byte-identical is test_build.py's to prove).
    data = finance_copy(tmp_path)
    new = filled_2025(data)
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)

    done = cli("publish", "--out", "site")
    assert done.exit_code == 0, done.output
    assert "2025/final: recorded edition 1 in published/2025/final/ (commit it)" in done.stdout
    assert "2024/final: recorded edition 1 in published/2024/final/ (commit it)" in done.stdout
    title = "上海市普陀区财政局_2025年度部门决算"
    md = (tmp_path / "site/2025/final" / f"{title}.md").read_text("utf-8")
    assert "上海市普陀区财政局2025年度收入支出总计3005.40万元" in md
    assert cli("publish", "--check").exit_code == 0

    edit(new / "final-notes.yaml", "减少人员经费开支。", "减少人员经费开支（已核实）。")
    changed = cli("publish", "--check")
    assert changed.exit_code == 1
    assert f"published/2025/final/1/{title}.md: error: 2025/final edition 1" in changed.stderr
    reason = "行政运行项目决算数与年初预算不同的原因表述有误，予以更正"
    asked = cli("correct", "2025/final", "--reason", reason)
    assert asked.exit_code == 0, asked.output
    record = tmp_path / "published/2025/final/correction.json"
    assert json.loads(record.read_text("utf-8")) == {"reason": reason}

    corrected = cli("publish", "--out", "site")
    assert corrected.exit_code == 0, corrected.output
    assert (
        "2025/final: recorded edition 2 in published/2025/final/, a correction of edition 1"
        in corrected.stdout
    )
    assert "2024/final: served edition 1" in corrected.stdout
    md = (tmp_path / "site/2025/final" / f"{title}.md").read_text("utf-8")
    assert "更正说明" in md and "减少人员经费开支（已核实）。" in md
    assert cli("publish", "--check").exit_code == 0
