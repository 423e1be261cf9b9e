"""Strict YAML loading that keeps, for every value, the place it came from.

PyYAML's defaults are wrong for money and for untrusted files: `9.1` becomes a float,
`no` becomes False, `010` becomes 8, duplicate keys silently keep the last value, and
anchors/aliases allow exponential expansion. So we build values from parser events
ourselves, reject aliases, anchors, tags and duplicate keys with located messages, and construct
plain scalars as `Decimal` (numbers written as numbers), bool (`true`/`false`), None
(`null`, `~`, empty) or the string exactly as written.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

import yaml

from .diagnostics import Diagnostic, Location

MAX_DEPTH = 40  # no disclosure file nests deeper than ~8; this only stops hostile input

_NUMBER = re.compile(r"-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?")
NUMBER = _NUMBER  # a plain scalar read as a number (Decimal); the formatter writes only these
_NULLS = {"", "~", "null", "Null", "NULL"}
_BOOLS = {"true": True, "false": False}

Path_ = tuple  # a field path: keys and list indexes, e.g. ("income", "general_budget")


@dataclass
class Document:
    """One loaded data file: its data plus the location of every value and key."""

    file: str
    data: Any
    values: dict[Path_, Location] = field(default_factory=dict)
    keys: dict[Path_, Location] = field(default_factory=dict)
    schema_hint: str | None = None
    block_scalars: set = field(default_factory=set)  # paths of `|`/`>` text: it starts a line below
    raw: bytes = b""

    def locate(self, path: Path_ = ()) -> Location:
        """Where the value at `path` is; the nearest enclosing value if it is absent."""
        path = tuple(path)
        while path and path not in self.values:
            path = path[:-1]
        return self.values.get(path, Location(self.file, 1, 1))

    def locate_key(self, path: Path_) -> Location:
        """Where the key naming `path` is written (falls back to the value)."""
        return self.keys.get(tuple(path)) or self.locate(path)


class LoadError(Exception):
    def __init__(self, message: str, mark: yaml.Mark | None):
        super().__init__(message)
        self.message = message
        self.mark = mark


# libyaml's parser when PyYAML has it (about ten times faster), else the pure-Python one.
_Parser = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def _loc(file: str, mark: yaml.Mark | None) -> Location:
    if mark is None:
        return Location(file)
    return Location(file, mark.line + 1, mark.column + 1)


def parse_scalar(value: str, style: str | None) -> Any:
    """Typed value of a scalar: quoted and block ones are text; plain ones follow our rules."""
    if style not in (None, ""):  # quoted or block scalar: always text
        return value
    if value in _NULLS:
        return None
    if value in _BOOLS:
        return _BOOLS[value]
    if _NUMBER.fullmatch(value):
        number = Decimal(value)
        return abs(number) if number.is_zero() else number  # no "-0.00" on the page
    return value


def _schema_hint(text: str) -> str | None:
    for line in text.splitlines()[:5]:
        m = re.match(r"#\s*yaml-language-server:\s*\$schema=(\S+)", line)
        if m:
            return m.group(1)
    return None


def load_text(file: str, text: str) -> tuple[Document | None, list[Diagnostic]]:
    """Parse one file's text. Returns the document (None if unreadable) and its problems."""
    doc = Document(file=file, data=None, schema_hint=_schema_hint(text))
    problems: list[Diagnostic] = []
    parser = None
    try:
        parser = _Parser(text)
        _expect(parser, yaml.StreamStartEvent)
        if parser.check_event(yaml.StreamEndEvent):  # an empty file
            doc.values[()] = Location(file, 1, 1)
            return doc, []
        _expect(parser, yaml.DocumentStartEvent)
        doc.data = _Builder(doc, parser, problems).value((), depth=1)
        _expect(parser, yaml.DocumentEndEvent)
        if not parser.check_event(yaml.StreamEndEvent):
            event = parser.peek_event()
            raise LoadError("a second YAML document ('---') is not allowed", event.start_mark)
    except LoadError as e:
        return None, [Diagnostic(_loc(file, e.mark), e.message)]
    except yaml.reader.ReaderError as e:  # a control character, e.g. a form feed from a PDF
        # libyaml counts bytes of the UTF-8 text, the pure-Python reader characters.
        if _Parser is yaml.SafeLoader:
            before = text[: e.position]
        else:
            before = text.encode("utf-8")[: e.position].decode("utf-8", "ignore")
        line = before.count("\n") + 1
        column = len(before) - (before.rfind("\n") + 1) + 1
        char = e.character if isinstance(e.character, str) else chr(e.character)
        return None, [
            Diagnostic(
                Location(file, line, column),
                f"character U+{ord(char):04X} is not allowed in a data file; delete it",
            )
        ]
    except yaml.MarkedYAMLError as e:
        mark = e.problem_mark or e.context_mark
        problem = " ".join(p for p in (e.context, e.problem) if p)
        return None, [Diagnostic(_loc(file, mark), f"malformed YAML: {problem}")]
    except yaml.YAMLError as e:  # pragma: no cover - PyYAML marks its errors
        return None, [Diagnostic(Location(file), f"malformed YAML: {e}")]
    finally:
        if parser is not None:
            parser.dispose()
    return doc, problems


def _expect(parser, event_type) -> yaml.Event:
    event = parser.get_event()
    if not isinstance(event, event_type):  # pragma: no cover - the parser guarantees order
        raise LoadError(f"unexpected {type(event).__name__}", event.start_mark)
    return event


class _Builder:
    """Builds plain values from parser events, recording every value's location.

    Working from events (not PyYAML's node composer) lets us refuse aliases, anchors and
    tags before anything is constructed, and keeps the fast C parser.
    """

    def __init__(self, doc: Document, parser, problems: list[Diagnostic]):
        self.doc = doc
        self.parser = parser
        self.problems = problems

    def _check(self, event) -> None:
        if isinstance(event, yaml.AliasEvent):
            raise LoadError(
                f"alias *{event.anchor} is not allowed: write the value out in full",
                event.start_mark,
            )
        if getattr(event, "anchor", None):
            raise LoadError(
                f"anchor &{event.anchor} is not allowed: data files do not use anchors or aliases",
                event.start_mark,
            )
        tag = getattr(event, "tag", None)
        if tag is not None:
            tag = tag.replace("tag:yaml.org,2002:", "!!")
            raise LoadError(
                f"tag {tag} is not allowed: write plain values (quote text if needed)",
                event.start_mark,
            )

    def value(self, path: Path_, depth: int) -> Any:
        event = self.parser.get_event()
        self._check(event)
        if depth > MAX_DEPTH:
            raise LoadError(f"nesting deeper than {MAX_DEPTH} levels", event.start_mark)
        self.doc.values[path] = _loc(self.doc.file, event.start_mark)
        if isinstance(event, yaml.ScalarEvent):
            if event.style in ("|", ">"):
                self.doc.block_scalars.add(path)
            return parse_scalar(event.value, event.style)
        if isinstance(event, yaml.SequenceStartEvent):
            items = []
            while not self.parser.check_event(yaml.SequenceEndEvent):
                items.append(self.value(path + (len(items),), depth + 1))
            self.parser.get_event()
            return items
        if isinstance(event, yaml.MappingStartEvent):
            return self._mapping(path, depth)
        raise LoadError(f"unexpected {type(event).__name__}", event.start_mark)  # pragma: no cover

    def _mapping(self, path: Path_, depth: int) -> dict[str, Any]:
        result: dict[str, Any] = {}
        first_line: dict[str, int] = {}
        while not self.parser.check_event(yaml.MappingEndEvent):
            key_event = self.parser.peek_event()
            self._check(key_event)
            key_loc = _loc(self.doc.file, key_event.start_mark)
            if not isinstance(key_event, yaml.ScalarEvent):
                raise LoadError(
                    "a key must be a plain name, not a list or mapping", key_event.start_mark
                )
            self.parser.get_event()
            key = key_event.value
            if key in first_line:
                self.problems.append(
                    Diagnostic(
                        key_loc,
                        f"duplicate key '{key}': first written on line {first_line[key]}, again "
                        f"on line {key_loc.line}; keep one",
                        field=_dotted(path + (key,)),
                    )
                )
                self._skip(depth + 1)
                continue
            first_line[key] = key_loc.line
            self.doc.keys[path + (key,)] = key_loc
            result[key] = self.value(path + (key,), depth + 1)
        self.parser.get_event()
        return result

    def _skip(self, depth: int) -> None:
        """Consume the value of a duplicate key (still checked for aliases and tags)."""
        scratch = Document(self.doc.file, None)
        _Builder(scratch, self.parser, self.problems).value((), depth)


def load_bytes(file: str, raw: bytes) -> tuple[Document | None, list[Diagnostic]]:
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as e:
        line = raw[: e.start].count(b"\n") + 1
        return None, [Diagnostic(Location(file, line, 1), "file is not valid UTF-8 text")]
    if text.startswith("\ufeff"):
        text = text[1:]
    doc, problems = load_text(file, text)
    if doc is not None:
        doc.raw = raw  # the bytes as committed: what the PDF embeds as its source
    return doc, problems


def leaves(value: Any, path: Path_ = ()):
    """Every scalar of loaded data (or of the model's exported tree) with its field path."""
    if isinstance(value, dict):
        for key, item in value.items():
            yield from leaves(item, path + (key,))
    elif isinstance(value, list):
        for i, item in enumerate(value):
            yield from leaves(item, path + (i,))
    else:
        yield path, value


def _dotted(path: Path_) -> str:
    out = ""
    for part in path:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += f".{part}" if out else str(part)
    return out


dotted = _dotted
