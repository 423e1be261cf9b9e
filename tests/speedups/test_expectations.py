"""Each patch of another package's internals (compiler/speedups/) still finds, in the
locked version of that package, the code it expects; a failure names the shim."""

from __future__ import annotations

import importlib

import pytest

from compiler.speedups import SHIMS

MODULES = {
    "dataclass_code": "dataclass_code",
    "quick_exit": "quick_exit",
    "library_lookup": "weasyprint_import",
    "deferred_fonttools": "weasyprint_import",
    "collector": "collector",
    "font_data": "font_data",
    "pdf_streams": "pdf_streams",
}


@pytest.mark.parametrize("shim", [*SHIMS, "pdf_streams"])
def test_the_patched_package_still_has_what_the_shim_expects(shim):
    module = importlib.import_module(f"compiler.speedups.{MODULES[shim]}")
    missing = [m for m in module.expected() if m.startswith(f"{shim}:")]
    assert not missing, (
        f"speedups.{MODULES[shim]} ({shim}) no longer fits the installed package: "
        f"{'; '.join(missing)}. Adapt the shim or remove it (DISCLOSURE_NO_SPEEDUPS=1 "
        "builds without it meanwhile)."
    )


def test_every_shim_is_listed_for_this_test():
    assert set(MODULES) == {*SHIMS, "pdf_streams"}


def test_an_expectation_that_fails_is_named(monkeypatch):
    import dataclasses
    import inspect

    from compiler.speedups import dataclass_code

    monkeypatch.setattr(inspect, "getsource", lambda module: "" if module is dataclasses else "")
    assert dataclass_code.expected() == [
        "dataclass_code: dataclasses no longer compiles its methods with exec"
    ]


@pytest.mark.parametrize(
    ("value", "on"),
    [
        ("", set(SHIMS)),
        ("0", set(SHIMS)),
        ("1", set()),
        ("all", set()),
        ("quick_exit, collector", set(SHIMS) - {"quick_exit", "collector"}),
    ],
)
def test_the_switch_turns_off_all_or_the_named_shims(monkeypatch, value, on):
    from compiler.speedups import enabled

    monkeypatch.setenv("DISCLOSURE_NO_SPEEDUPS", value)
    assert {shim for shim in SHIMS if enabled(shim)} == on
