"""Compile a unit's yearly budget disclosure from YAML into HTML, Markdown and PDF.

The public API: `compile_year` (load, validate, compute, check), the model it returns,
`build` (render and write outputs), and `diff` (compare two models).
"""

from .diagnostics import Diagnostic, Location
from .model import Disclosure, to_tree
from .pipeline import YearResult, compile_year
from .sources import SourceError, available_years, parse_year_spec

__all__ = [
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
