"""One error family: every exception class the tool defines is a DisclosureError (a
DataError or a Trouble), but for the few that a library raises or catches by its own base,
which compiler/errors.py names."""

from __future__ import annotations

import importlib
from pathlib import Path

from compiler import errors

PACKAGE = Path(errors.__file__).resolve().parent
# Outside the family, on purpose (see errors.py): the operating system's errors, shown as
# `path: reason`, and the subclasses Jinja and WeasyPrint raise or catch by their own base.
OUTSIDE = {
    "compiler.publish.output.OutputBusy",
    "compiler.publish.output.OutputFolderError",
    "compiler.input.projectlayouts.UnsafeFile",
    "compiler.render.sandbox.UnsafeTemplate",
    "compiler.render.pdf.ForbiddenFetch",
}


def _exception_classes():
    """Every exception class defined in a module of the package."""
    for path in sorted(PACKAGE.rglob("*.py")):
        parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
        module = ".".join(p for p in parts if p != "__init__")
        if module == "compiler.__main__":
            continue  # runs the command
        for name, value in vars(importlib.import_module(module)).items():
            if (
                isinstance(value, type)
                and issubclass(value, BaseException)
                and value.__module__ == module
            ):
                yield module, name


def test_every_error_the_tool_defines_is_of_the_family():
    outside = []
    found = list(_exception_classes())
    assert len(found) > 25  # the walk sees them
    for module, name in found:
        cls = getattr(importlib.import_module(module), name)
        if not issubclass(cls, errors.DisclosureError) and f"{module}.{name}" not in OUTSIDE:
            outside.append(f"{module}.{name}")
    assert outside == []


def test_each_kind_knows_its_exit_status_and_how_it_is_shown():
    assert errors.DataError("x").exit_code == 1
    assert errors.Trouble("x").exit_code == 2
    assert errors.Trouble("a year").format_message() == "a year"
    assert "no font" in errors.FontError("no font").format_message()
