"""The package's rooms and their layering, read from the code: every import of every
module (at module level, inside functions and under TYPE_CHECKING alike), walked with `ast`.

- no import cycle between modules;
- a room imports only the rooms its __init__ docstring lists after "May import:" (and the
  base modules directly in compiler/, which import no room); the speed-ups (patches of
  other packages' internals) are the lowest layer, importable from anywhere;
- every subpackage is listed in pyproject.toml, so the wheel ships it.
"""

from __future__ import annotations

import ast
import re
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PACKAGE = ROOT / "compiler"
# Patches of another package's internals, behind one switch: the lowest layer, which
# anything may import.
SPEEDUPS = ("compiler.speedups",)
DATA_PACKAGES = ("compiler.schemas", "compiler.templates")  # folders shipped as packages


def _modules() -> dict[str, tuple[Path, bool]]:
    out = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        parts = list(path.relative_to(ROOT).with_suffix("").parts)
        is_package = parts[-1] == "__init__"
        if is_package:
            parts = parts[:-1]
        out[".".join(parts)] = (path, is_package)
    return out


MODULES = _modules()


def _known(name: str) -> str | None:
    """The module of the package `name` is, or is inside (an imported attribute)."""
    while name and name not in MODULES:
        name = name.rpartition(".")[0]
    return name or None


def _imports(module: str) -> set[str]:
    """The compiler modules `module` imports, anywhere in its text."""
    path, is_package = MODULES[module]
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = module.split(".") if is_package else module.split(".")[:-1]
                base = base[: len(base) - node.level + 1]
                base = ".".join([*base, *([node.module] if node.module else [])])
            else:
                base = node.module or ""
            names = [f"{base}.{alias.name}" for alias in node.names]
        else:
            continue
        for name in names:
            if name == "compiler" or name.startswith("compiler."):
                target = _known(name)
                if target and target != module:
                    found.add(target)
    return found


GRAPH = {module: _imports(module) for module in MODULES}


def _room(module: str) -> str:
    """compiler.model.lines → 'model'; a base module (compiler/paths.py) → 'base'."""
    if module.startswith(SPEEDUPS):
        return "speedups"
    parts = module.split(".")
    if len(parts) > 2 or (len(parts) == 2 and MODULES[module][1]):
        return parts[1]
    return "base"


ROOMS = sorted(
    {_room(m) for m in MODULES if m != "compiler" and not m.startswith(DATA_PACKAGES)}
    - {"base", "speedups"}
)


def _declared(room: str) -> set[str]:
    """The rooms a room's __init__ says it may import."""
    docstring = ast.get_docstring(ast.parse(MODULES[f"compiler.{room}"][0].read_text())) or ""
    match = re.search(r"^May import: (.+?)\.?$", docstring, re.M)
    assert match, f"compiler/{room}/__init__.py: say what it may import ('May import: …')"
    text = match.group(1)
    if text.startswith("the base modules only"):
        return set()
    return {name.strip() for name in text.split(",")}


def test_there_is_no_import_cycle():
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    cycles = []

    def visit(node: str) -> None:  # Tarjan's strongly connected components
        index[node] = low[node] = len(index)
        stack.append(node)
        for target in sorted(GRAPH[node]):
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                cycles.append(sorted(component))

    for module in sorted(GRAPH):
        if module not in index:
            visit(module)
    assert cycles == []


def test_every_room_says_its_job_and_what_it_may_import():
    for room in ROOMS:
        declared = _declared(room)
        assert declared <= set(ROOMS), (room, declared - set(ROOMS))
        assert room not in declared


def test_no_room_imports_a_room_it_does_not_declare():
    allowed = {room: _declared(room) | {room, "base", "speedups"} for room in ROOMS}
    allowed["base"] = {"base", "speedups"}
    allowed["speedups"] = {"base", "speedups"}
    wrong = []
    for module, targets in GRAPH.items():
        if module in ("compiler", "compiler.__main__"):
            continue  # the public API's lazy re-exports, and `python -m compiler`
        room = _room(module)
        for target in sorted(targets):
            if target == "compiler":
                wrong.append(f"{module} imports the package's public API")
            elif _room(target) not in allowed[room]:
                wrong.append(f"{module} ({room}) imports {target} ({_room(target)})")
    assert wrong == []


def test_the_layering_has_no_cycle_between_rooms():
    """Declared permissions alone form an order: lower stages never name higher ones."""
    declared = {room: _declared(room) for room in ROOMS}
    order: list[str] = []
    while len(order) < len(declared):
        ready = [r for r in declared if r not in order and declared[r] <= set(order)]
        assert ready, f"rooms that declare each other: {set(declared) - set(order)}"
        order += sorted(ready)


def test_a_few_modules_sit_directly_in_the_package():
    base = sorted(m for m in MODULES if _room(m) == "base")
    assert len(base) <= 13, base


def test_every_subpackage_is_shipped_in_the_wheel():
    listed = set(
        tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]["packages"]
    )
    packages = {m for m, (_path, is_package) in MODULES.items() if is_package}
    assert packages - listed == set()
