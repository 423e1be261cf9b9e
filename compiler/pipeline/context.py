"""What assembling one year needs besides its documents, and where its problems go.

Shared by `assemble` (a unit's or department's model from its documents) and `rollup` (a
department's figures from its units'), which each take it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from ..diagnostics import Diagnostic
from ..input.catalogue import Catalogue
from ..input.loader import dotted
from ..layout.specs import Layout
from ..model.base import Origin
from ..model.disclosure import Disclosure


@dataclass
class Context:
    """What assembling one year needs besides its documents."""

    year: int
    layout: Layout
    catalogue: Catalogue
    previous: Disclosure | None = None  # the previous year's model, if in the data
    budget: Disclosure | None = None  # final accounts: the same year's budget, if in the data
    units: tuple[Disclosure, ...] = ()  # a department's units, already assembled
    slug: str = ""
    problems: list[Diagnostic] = field(default_factory=list)
    display: Any = None  # file name in the year (or unit) folder → how messages show it

    def error(
        self,
        origin: Origin | None,
        path: tuple,
        message: str,
        file: str = "",
        severity: str = "error",
    ) -> None:
        if origin is not None:
            where = origin.at(*path)
            path = (*origin.path, *path)  # the field from the top of its file
        else:
            from ..diagnostics import Location

            where = Location(self.display(file) if self.display else file)
        self.problems.append(Diagnostic(where, message, field=dotted(path), severity=severity))
