"""Compile a unit's yearly budget disclosure from YAML into HTML, Markdown and PDF.

The public API: `compile_year` (load, validate, compute, check), the model it returns,
`build` (render and write outputs), and `diff` (compare two models).
"""

from .speedups import dataclass_code

dataclass_code.install()  # before the first @dataclass: see speedups/dataclass_code.py

from .diagnostics import Diagnostic, Location  # noqa: E402
from .input.sources import SourceError, available_years, parse_year_spec  # noqa: E402

# Everything else is imported on first use: the model and pipeline pull in the schema
# validator, build and diff the renderers and difflib, and `build` of an unchanged year
# must answer before any of them is needed.
_LAZY = {
    "build_year": ".publish.build",
    "diff_models": ".review.diff",
    "publish": ".publish.site",
    "compile_year": ".pipeline.year",
    "YearResult": ".pipeline.year",
    "Disclosure": ".model.disclosure",
    "to_tree": ".model.disclosure",
}


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
