"""The one cache helper (compiler/cache.py): keyed on everything a cached answer depends
on, and bounded."""

from __future__ import annotations

import os

from compiler import cache
from compiler.input import schema_cache


def _fresh(monkeypatch, tmp_path, limit=3, packages=("jsonschema",)):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    monkeypatch.delenv("DISCLOSURE_NO_CACHE", raising=False)
    cache._folder.cache_clear()
    return cache.DiskCache("probe", packages=packages, limit=limit)


def test_a_key_holds_the_tools_fingerprint_and_the_libraries_versions(monkeypatch, tmp_path):
    store = _fresh(monkeypatch, tmp_path)
    key = store.key(b"a")
    assert key == store.key(b"a") != store.key(b"b")
    monkeypatch.setattr(cache, "tool_fingerprint", lambda: "another tool")
    assert store.key(b"a") != key
    other = cache.DiskCache("probe", packages=("jsonschema", "pyyaml"))
    assert other.key(b"a") != store.key(b"a")


def test_the_schema_cache_depends_on_the_loader_and_the_validator():
    assert set(schema_cache.CACHE.packages) == {"jsonschema", "pyyaml"}
    roots = cache._tool_roots()
    for module in ("input/loader.py", "input/halfwidth.py", "input/schema.py"):
        path = cache._PACKAGE / module
        assert any(r == path.parent or r in path.parents for r in roots), module


def test_the_oldest_entries_go_past_the_limit(monkeypatch, tmp_path):
    store = _fresh(monkeypatch, tmp_path, limit=3)
    for i in range(5):
        store.put(f"k{i}", b"x")
        os.utime(store.folder / f"k{i}", ns=(i * 10**9, i * 10**9))
    store.put("k5", b"y")
    names = sorted(p.name for p in store.folder.iterdir())
    assert len(names) == 3 and "k5" in names and "k0" not in names
    assert store.get("k5") == b"y" and store.get("k0") is None


def test_a_full_cache_drops_its_oldest_quarter_at_once(monkeypatch, tmp_path):
    """Not one entry at each put: the times of every entry are read once in a while."""
    store = _fresh(monkeypatch, tmp_path, limit=8)
    for i in range(9):
        store.put(f"k{i}", b"x")
        os.utime(store.folder / f"k{i}", ns=(i * 10**9, i * 10**9))
    assert sorted(p.name for p in store.folder.iterdir()) == [f"k{i}" for i in range(3, 9)]
    store.put("k9", b"x")
    store.put("k10", b"x")
    assert len(list(store.folder.iterdir())) == 8, "within the limit: nothing dropped"


def test_schema_checks_are_remembered_by_content_under_any_name(monkeypatch, tmp_path):
    """The same bytes under another name (a copy, a git revision) are answered from the
    cache, each problem placed in the file asked about; changed bytes are checked again."""
    from compiler.input import schema
    from compiler.input.loader import load_bytes
    from compiler.paths import kind_of

    _fresh(monkeypatch, tmp_path)
    text = (cache.ASSET_ROOT / "data" / "2022" / "budget.yaml").read_bytes()
    broken = text.replace(b"general_budget: 9272.51", b"general_budget: 9272.511")
    kind = kind_of("budget.yaml")
    try:
        first, _ = load_bytes("a/2022/budget.yaml", broken)
        found = schema_cache.validate_document(first, kind)
        assert [p.location.file for p in found] == ["a/2022/budget.yaml"]

        checked = []
        real = schema.validate_document
        monkeypatch.setattr(schema, "validate_document", lambda *a: checked.append(a) or real(*a))
        copy, _ = load_bytes("b/2022/budget.yaml", broken)
        again = schema_cache.validate_document(copy, kind)
        assert not checked
        assert [(p.location.file, p.location.line, p.location.column) for p in again] == [
            ("b/2022/budget.yaml", p.location.line, p.location.column) for p in found
        ]
        assert [p.message for p in again] == [p.message for p in found]

        fixed, _ = load_bytes("b/2022/budget.yaml", text)
        assert schema_cache.validate_document(fixed, kind) == [] and checked
    finally:
        cache._folder.cache_clear()
