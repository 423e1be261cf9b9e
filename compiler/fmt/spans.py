"""Where the scalars of a YAML text are: a character inside one is text, outside it is
syntax, layout or a comment. The formatter uses this to tell its repairs and comments
from the values they sit beside."""

from __future__ import annotations

from bisect import bisect_right

import yaml

_Parser = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class Scalars:
    """The character spans of every scalar (keys included) of a text that parses."""

    def __init__(self, text: str):
        spans = []
        parser = _Parser(text)
        try:
            while parser.check_event():
                event = parser.get_event()
                if isinstance(event, yaml.ScalarEvent):
                    spans.append((event.start_mark.index, event.end_mark.index))
        finally:
            parser.dispose()
        spans.sort()  # scalars do not overlap
        self._spans = spans
        self._starts = [start for start, _end in spans]
        self._lines = [0] + [i + 1 for i, c in enumerate(text) if c == "\n"]

    def holds(self, index: int) -> bool:
        """Whether the character at `index` is inside a scalar."""
        k = bisect_right(self._starts, index) - 1
        return k >= 0 and index < self._spans[k][1]

    def index(self, line: int, column: int) -> int:
        """The index of a 1-based line and column."""
        return self._lines[line - 1] + column - 1


def parse_error_line(text: str) -> int | None:
    """The 1-based line where the YAML parser itself stops reading `text`, or None if it
    reads it all (the loader may report another place: its hints, for the clerk)."""
    parser = _Parser(text)
    try:
        while parser.check_event():
            parser.get_event()
    except yaml.MarkedYAMLError as e:
        mark = e.problem_mark or e.context_mark
        return mark.line + 1 if mark is not None else None
    except yaml.YAMLError:
        return None
    finally:
        parser.dispose()
    return None
