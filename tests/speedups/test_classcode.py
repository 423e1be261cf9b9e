"""The methods `@dataclass` writes are compiled once and remembered (compiler/classcode.py):
a second process defines the same classes without compiling, and they behave the same.
A damaged or foreign cache file, or no cache at all, changes nothing but the time."""

from __future__ import annotations

import dataclasses
import marshal
import os
import subprocess
import sys
import textwrap
import types
import typing
from pathlib import Path

import pytest

from compiler import classcode

ROOT = Path(__file__).resolve().parents[2]


def _define(remembered: classcode.RememberedCode | None, monkeypatch, module="compiler.probe"):
    """A frozen class with a default and a factory, defined in `module` through
    `remembered` (only the classes of this tool's modules are remembered), or by stock
    dataclasses when `remembered` is None."""
    monkeypatch.setitem(sys.modules, module, types.ModuleType(module))
    installed = dataclasses.exec
    if remembered is None:
        del dataclasses.exec  # the builtin, as without this tool
    else:
        dataclasses.exec = remembered.exec
    try:

        @dataclasses.dataclass(frozen=True)
        class Item:
            __module__ = module
            name: str
            amount: int = 0
            tags: tuple = dataclasses.field(default_factory=tuple)

    finally:
        dataclasses.exec = installed
    return Item


def _behaves_as_a_frozen_dataclass(Item):
    one = Item("办公费", 3)
    assert one == Item("办公费", 3) and one != Item("办公费", 4)
    assert hash(one) == hash(Item("办公费", 3))
    assert repr(one) == f"{Item.__qualname__}(name='办公费', amount=3, tags=())"
    assert Item("x").amount == 0
    with pytest.raises(dataclasses.FrozenInstanceError):
        one.amount = 5
    assert [f.name for f in dataclasses.fields(Item)] == ["name", "amount", "tags"]


def test_a_second_process_compiles_nothing_and_gets_the_same_classes(tmp_path, monkeypatch):
    file = tmp_path / "code.marshal"
    first = classcode.RememberedCode(file)
    _behaves_as_a_frozen_dataclass(_define(first, monkeypatch))
    assert first.compiled > 0
    first.save()
    assert file.is_file()

    second = classcode.RememberedCode(file)
    _behaves_as_a_frozen_dataclass(_define(second, monkeypatch))
    assert second.compiled == 0
    assert second.used.keys() == first.used.keys()


def test_other_libraries_classes_are_compiled_as_usual(tmp_path, monkeypatch):
    remembered = classcode.RememberedCode(tmp_path / "code.marshal")
    _behaves_as_a_frozen_dataclass(_define(remembered, monkeypatch, module="somebody.else"))
    assert remembered.compiled == 0 and not remembered.used


@pytest.mark.parametrize(
    "content",
    [b"", b"not marshal at all", marshal.dumps([1, 2, 3]), marshal.dumps({"def f(): pass": 7})],
    ids=["empty", "garbage", "a list", "a dict of other things"],
)
def test_a_damaged_or_foreign_cache_file_is_compiled_over(tmp_path, monkeypatch, content):
    file = tmp_path / "code.marshal"
    file.write_bytes(content)
    remembered = classcode.RememberedCode(file)
    _behaves_as_a_frozen_dataclass(_define(remembered, monkeypatch))
    assert remembered.compiled > 0
    remembered.save()
    again = classcode.RememberedCode(file)
    _define(again, monkeypatch)
    assert again.compiled == 0


def test_the_methods_are_those_stock_dataclasses_writes(tmp_path, monkeypatch):
    """The same code and the same annotations, compiled now or read from the cache: the
    cache's module (and this test's) must not lend the generated methods their
    `from __future__` flags."""
    stock = _define(None, monkeypatch)
    file = tmp_path / "code.marshal"
    first = classcode.RememberedCode(file)
    compiled = _define(first, monkeypatch)
    assert first.compiled > 0
    first.save()
    second = classcode.RememberedCode(file)
    cached = _define(second, monkeypatch)
    assert second.compiled == 0 and second.used  # read from the file
    for Item in (compiled, cached):
        for name in ("__init__", "__repr__", "__eq__", "__hash__", "__setattr__", "__delattr__"):
            ours, theirs = getattr(Item, name).__code__, getattr(stock, name).__code__
            assert (ours.co_code, ours.co_flags) == (theirs.co_code, theirs.co_flags), name
        assert Item.__init__.__annotations__ == stock.__init__.__annotations__
        assert typing.get_type_hints(Item.__init__) == typing.get_type_hints(stock.__init__)


def test_without_a_cache_folder_every_process_compiles(monkeypatch):
    monkeypatch.setenv("DISCLOSURE_NO_CACHE", "1")
    assert classcode.cache_file() is None
    for _ in range(2):
        remembered = classcode.RememberedCode(locate=classcode.cache_file)
        _behaves_as_a_frozen_dataclass(_define(remembered, monkeypatch))
        assert remembered.compiled > 0
        remembered.save()  # nothing to write to, and no error


def test_a_save_keeps_what_other_commands_compiled(tmp_path, monkeypatch):
    file = tmp_path / "code.marshal"
    other = {"x = 1": compile("x = 1", "<string>", "exec")}  # a class `build` defines
    file.write_bytes(marshal.dumps(other))
    remembered = classcode.RememberedCode(file)
    _define(remembered, monkeypatch)
    remembered.save()
    kept = marshal.loads(file.read_bytes())
    assert kept.keys() == other.keys() | remembered.used.keys()


def test_old_entries_are_dropped_once_the_file_grows_past_its_bound(tmp_path, monkeypatch):
    file = tmp_path / "code.marshal"
    stale = {
        f"x = {i}": compile(f"x = {i}", "<string>", "exec") for i in range(classcode.MAX_ENTRIES)
    }
    file.write_bytes(marshal.dumps(stale))
    remembered = classcode.RememberedCode(file)
    _define(remembered, monkeypatch)
    remembered.save()
    kept = marshal.loads(file.read_bytes())
    assert kept.keys() == remembered.used.keys()


def test_the_command_line_fills_the_cache_once(tmp_path):
    """What a user's second `validate` skips: the model's methods are not compiled again."""
    env = {**os.environ, "XDG_CACHE_HOME": str(tmp_path)}
    env.pop("DISCLOSURE_NO_CACHE", None)
    code = textwrap.dedent(
        """
        import dataclasses
        import compiler.pipeline.year
        print(dataclasses.exec.__self__.compiled)
        """
    )

    def compiled() -> int:
        done = subprocess.run(
            [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True
        )
        assert done.returncode == 0, done.stderr
        return int(done.stdout)

    assert compiled() > 100  # the model's ~60 classes, several methods each
    assert list((tmp_path / "disclosure-compiler" / "classcode").glob("*.marshal"))
    assert compiled() == 0


def test_no_hook_where_dataclasses_has_future_imports_of_its_own(monkeypatch):
    """Its `exec` would compile with those flags, the cache's without: no cache then."""
    import __future__

    monkeypatch.delattr(dataclasses, "exec")
    monkeypatch.setattr(dataclasses, "annotations", __future__.annotations, raising=False)
    assert classcode.install() is None
    assert not hasattr(dataclasses, "exec")
