"""What formatting one file gives (formatter.py makes it; the fmt command reports it).

A module of its own so that the command can answer a file found canonical before
(remembered.py) without importing the formatter and its libraries.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ..diagnostics import Diagnostic
    from .tree import Change


@dataclass
class Formatted:
    """What formatting one file gives."""

    file: str  # as messages name it
    text: str | None = None  # the canonical text, when it differs from the file's
    changes: list[Change] = field(default_factory=list)
    problems: list[Diagnostic] = field(default_factory=list)  # the file cannot be read
    internal: str | None = None  # the formatter failed its own checks: nothing written
    path: Path | None = None  # where to write it
    unclear: bool = False  # the problems are what fmt cannot tell, not what it cannot read

    @property
    def changed(self) -> bool:
        return self.text is not None
