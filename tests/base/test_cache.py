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
