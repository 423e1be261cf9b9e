"""The merge driver of the Chinese catalogue (.gitattributes: merge=po) merges each
translation three ways. Two branches merged one after the other once lost eighteen of the
second branch's new wordings (2024年度决算 in place of 2024/final年度): the driver kept ours
wherever the two sides differed, even where ours was the base's."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.pofile import read_po, write_po
from conftest import ROOT


def _po(path: Path, strings: dict[str, str]) -> Path:
    catalog = Catalog(locale="zh_CN", domain="disclosure")
    for msgid, msgstr in strings.items():
        catalog.add(msgid, msgstr)
    with path.open("wb") as f:
        write_po(f, catalog)
    return path


def _merge(tmp_path: Path, base: dict, ours: dict, theirs: dict):
    paths = [
        _po(tmp_path / f"{n}.po", s)
        for n, s in (("base", base), ("ours", ours), ("theirs", theirs))
    ]
    run = subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "messages.py"), "merge", *map(str, paths)],
        capture_output=True,
        text=True,
    )
    with paths[1].open("rb") as f:
        merged = {m.id: m.string for m in read_po(f) if m.id}
    return run, merged


def test_a_translation_changed_on_their_side_only_is_taken(tmp_path):
    base = {"no data for {year}": "没有 {year} 年度的数据", "a": "甲"}
    theirs = {"no data for {year}": "没有{year}的数据", "a": "甲"}
    ours = {**base, "b": "乙"}
    run, merged = _merge(tmp_path, base, ours, theirs)
    assert run.returncode == 0, run.stdout
    assert merged == {"no data for {year}": "没有{year}的数据", "a": "甲", "b": "乙"}


def test_a_translation_changed_on_our_side_only_is_kept(tmp_path):
    base = {"a": "甲"}
    run, merged = _merge(tmp_path, base, {"a": "甲一"}, {"a": "甲", "c": "丙"})
    assert run.returncode == 0
    assert merged == {"a": "甲一", "c": "丙"}


def test_both_sides_changing_one_translation_is_a_conflict(tmp_path):
    run, merged = _merge(tmp_path, {"a": "甲"}, {"a": "甲一"}, {"a": "甲二"})
    assert run.returncode == 1
    assert "both sides translated 'a'" in run.stdout
    assert merged == {"a": "甲一"}
