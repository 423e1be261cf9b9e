"""A year's final accounts (决算) published beside its budget, as a document of their own:
files named by their layout's title under <year>/final/, their open data (phase executed)
in <year>/final/data/, their own record published/<year>/final/ (the budget's untouched),
a line of their own on the index page, `publish --check`, and a correction (更正) of the
final accounts alone. On the made-up unit with a budget and final accounts
(tests/fixtures/final_budget)."""

from __future__ import annotations

import hashlib
import json
import urllib.parse
from pathlib import Path

import pytest
from conftest import edit
from fixtures.final_budget import NAME, budget_and_final

EPOCH = "1735689600"  # 2025-01-01 UTC
FINAL = f"{NAME}_2024年度部门决算"
BUDGET = f"{NAME}_2024年部门预算信息公开"


def manifest(root: Path, label: str) -> dict:
    return json.loads((root / "published" / label / "manifest.json").read_text("utf-8"))


@pytest.fixture
def repo(tmp_path: Path, monkeypatch, shared_pdf_layouts) -> Path:
    """The made-up unit's budget and final accounts; the working directory. Its PDFs are
    laid out once a run (a rebuild that `publish --check` compares reads the first layout
    back: that two layouts are byte-identical is test_build.py's to prove)."""
    budget_and_final(tmp_path)
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)
    return tmp_path


@pytest.mark.slow
def test_final_accounts_are_published_beside_the_budget_and_corrected_alone(repo, cli, monkeypatch):
    done = cli("publish", "--out", "site")
    assert done.exit_code == 0, done.output
    assert "2024/final: recorded edition 1 in published/2024/final/ (commit it)" in done.stdout
    site = repo / "site" / "2024"
    for fmt in ("pdf", "html", "md", "xlsx"):
        assert (site / f"{BUDGET}.{fmt}").is_file() and (
            site / "final" / f"{FINAL}.{fmt}"
        ).is_file()
    package = json.loads((site / "final/data/datapackage.json").read_text("utf-8"))
    assert "决算" in package["title"]
    phases = {json.dumps(r.get("schema", {})) for r in package["resources"]}
    assert any('"executed"' in p for p in phases), "the 决算 lines are the phase executed"
    assert (site / "data/datapackage.json").is_file(), "the budget's open data stays where it was"
    record = manifest(repo, "2024/final")
    assert record["document"] == "final" and record["year"] == 2024
    assert "document" not in manifest(repo, "2024"), "the budget's record is as it was"
    budget_record = (repo / "published/2024/manifest.json").read_bytes()
    index = (repo / "site/index.html").read_text("utf-8")
    assert "<caption>各年度预算、决算信息公开</caption>" in index
    assert '<th scope="row">2024年决算</th>' in index
    assert (
        index.index('id="year-2024"')
        < index.index('id="year-2024-final"')
        < index.index('id="year-2023"')
    )
    assert f'href="{urllib.parse.quote(f"2024/final/{FINAL}.pdf")}"' in index
    assert 'href="2024/final/data/datapackage.json"' in index
    assert cli("publish", "--check").exit_code == 0

    edit(repo / "data/2024/final/final-notes.yaml", "示例原因。", "示例原因（已核实）。")
    changed = cli("publish", "--check")
    assert changed.exit_code == 1
    assert f"published/2024/final/1/{FINAL}.md: error: 2024/final edition 1" in changed.stderr
    assert "disclosure correct 2024/final" in changed.stderr
    reason = "行政运行项目决算数与年初预算不同的原因表述有误，予以更正"
    asked = cli("correct", "2024/final", "--reason", reason)
    assert asked.exit_code == 0, asked.output
    assert json.loads((repo / "published/2024/final/correction.json").read_text("utf-8")) == {
        "reason": reason
    }
    assert not (repo / "published/2024/correction.json").exists()
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1740000000")  # 2025-02-20 in China
    corrected = cli("publish", "--out", "site")
    assert corrected.exit_code == 0, corrected.output
    assert (
        "2024/final: recorded edition 2 in published/2024/final/, a correction of edition 1"
        in corrected.stdout
    )
    assert "2024: served edition 1" in corrected.stdout
    assert (repo / "published/2024/manifest.json").read_bytes() == budget_record
    editions = manifest(repo, "2024/final")["editions"]
    assert [e["edition"] for e in editions] == [1, 2]
    assert editions[1]["correction"] == {"corrects": 1, "reason": reason}
    md = (site / "final" / f"{FINAL}.md").read_text("utf-8")
    assert "更正说明" in md and "示例原因（已核实）。" in md
    assert (site / "final/editions/1" / f"{FINAL}.md").is_file()
    index = (repo / "site/index.html").read_text("utf-8")
    assert f"更正原因：{reason}" in index
    assert cli("publish", "--check").exit_code == 0


# --- records by hand: no build ----------------------------------------------------------------


def _fake_record(root: Path, label: str, content: bytes, document: str = "") -> None:
    folder = root / "published" / label
    (folder / "1").mkdir(parents=True)
    (folder / "1" / "a.pdf").write_bytes(content)
    entry = {
        "edition": 1,
        "published": "2025-01-01",
        "revision": None,
        "uncommitted_changes": False,
        "tool": "disclosure-compiler 0.1.0",
        "source_date_epoch": None,
        "documents": [{"name": NAME, "title": label, "links": [{"label": "PDF", "path": "a.pdf"}]}],
        "data": [],
        "files": {"a.pdf": hashlib.sha256(content).hexdigest()},
    }
    head = {"format": 1, "year": int(label[:4])} | ({"document": document} if document else {})
    (folder / "manifest.json").write_text(
        json.dumps(head | {"editions": [entry]}, ensure_ascii=False), "utf-8"
    )


def test_a_recorded_final_edition_is_served_on_a_line_of_its_own(repo, cli):
    _fake_record(repo, "2023", b"2023 budget")
    _fake_record(repo, "2024", b"2024 budget")
    _fake_record(repo, "2024/final", b"2024 final", "final")
    result = cli("publish", "--out", "site")
    assert result.exit_code == 0, result.output
    assert (repo / "site/2024/a.pdf").read_bytes() == b"2024 budget"
    assert (repo / "site/2024/final/a.pdf").read_bytes() == b"2024 final"
    index = (repo / "site/index.html").read_text("utf-8")
    assert '<a href="2024/final/a.pdf">PDF</a>' in index and "2024年决算" in index


def test_only_final_accounts_published_is_not_an_incomplete_budget_record(repo, cli):
    _fake_record(repo, "2024/final", b"2024 final", "final")
    from compiler.publish import editions

    assert editions.load(repo / "published", 2024) is None
    assert editions.load(repo / "published", 2024, "final").current.number == 1
    assert editions.recorded_finals(repo / "published") == [2024]


def test_a_budget_record_in_the_final_folder_is_trouble(repo, cli):
    _fake_record(repo, "2024/final", b"2024 final")  # no "document": "final"
    result = cli("correct", "2024/final", "--reason", "更正")
    assert result.exit_code == 2 and "published/2024/final/manifest.json" in result.output


def test_a_correction_of_final_accounts_never_published_is_refused(repo, cli):
    _fake_record(repo, "2024", b"2024 budget")
    result = cli("correct", "2024/final", "--reason", "更正")
    assert result.exit_code == 2
    assert "2024/final was never published" in result.output
    assert not (repo / "published/2024/final/correction.json").exists()
    asked = cli("correct", "2024", "--reason", "更正")  # the budget's, as before
    assert asked.exit_code == 0 and (repo / "published/2024/correction.json").is_file()
    assert cli("correct", "2024/budget", "--reason", "更正").exit_code == 2
