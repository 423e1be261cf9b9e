"""Compile a unit's yearly budget disclosure from YAML into HTML, Markdown and PDF.

The public API: `compile_year` (load, validate, compute, check), the model it returns,
`build` (render and write outputs), and `diff` (compare two models).
"""

from .diagnostics import Diagnostic, Location
from .model import Disclosure, to_tree
from .pipeline import YearResult, compile_year
from .sources import SourceError, available_years, parse_year_spec

# build and diff pull in the renderers and difflib; imported on first use so that
# `validate` starts fast.
_LAZY = {"build_year": ".build", "diff_models": ".diff", "publish": ".publish"}


def __getattr__(name: str):
    if name in _LAZY:
        import importlib

        return getattr(importlib.import_module(_LAZY[name], __name__), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


__all__ = [
    "build_year",
    "diff_models",
    "publish",
    "Diagnostic",
    "Disclosure",
    "Location",
    "SourceError",
    "YearResult",
    "available_years",
    "compile_year",
    "parse_year_spec",
    "to_tree",
]
