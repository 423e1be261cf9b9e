"""Strict YAML loading that keeps, for every value, the place it came from.

PyYAML's defaults are wrong for money and for untrusted files: `9.1` becomes a float,
`no` becomes False, `010` becomes 8, duplicate keys silently keep the last value, and
anchors/aliases allow exponential expansion. So we compose the node tree ourselves,
reject aliases, anchors, tags and duplicate keys with located messages, and construct
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


class _StrictLoader(yaml.SafeLoader):
    """Composes nodes, refusing what no data file needs."""

    def __init__(self, stream: str):
        super().__init__(stream)
        self._depth = 0

    def compose_node(self, parent, index):  # noqa: D401 - PyYAML's hook
        event = self.peek_event()
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
        self._depth += 1
        if self._depth > MAX_DEPTH:
            raise LoadError(f"nesting deeper than {MAX_DEPTH} levels", event.start_mark)
        try:
            return super().compose_node(parent, index)
        finally:
            self._depth -= 1


def _loc(file: str, mark: yaml.Mark | None) -> Location:
    if mark is None:
        return Location(file)
    return Location(file, mark.line + 1, mark.column + 1)


def parse_scalar(node: yaml.ScalarNode) -> Any:
    """Typed value of a scalar: quoted ones are text; plain ones follow our small rule set."""
    text = node.value
    if node.style is not None:  # quoted or block scalar: always text
        return text
    if text in _NULLS:
        return None
    if text in _BOOLS:
        return _BOOLS[text]
    if _NUMBER.fullmatch(text):
        return Decimal(text)
    return text


def _schema_hint(text: str) -> str | None:
    for line in text.splitlines()[:5]:
        m = re.match(r"#\s*yaml-language-server:\s*\$schema=(\S+)", line)
        if m:
            return m.group(1)
    return None


def load_text(file: str, text: str) -> tuple[Document | None, list[Diagnostic]]:
    """Parse one file's text. Returns the document (None if unreadable) and its problems."""
    doc = Document(file=file, data=None, schema_hint=_schema_hint(text))
    try:
        loader = _StrictLoader(text)
        try:
            root = loader.get_single_node()
        finally:
            loader.dispose()
    except LoadError as e:
        return None, [Diagnostic(_loc(file, e.mark), e.message)]
    except yaml.MarkedYAMLError as e:
        mark = e.problem_mark or e.context_mark
        problem = " ".join(p for p in (e.context, e.problem) if p)
        return None, [Diagnostic(_loc(file, mark), f"malformed YAML: {problem}")]
    except yaml.YAMLError as e:  # pragma: no cover - PyYAML always marks its errors
        return None, [Diagnostic(Location(file), f"malformed YAML: {e}")]
    if root is None:
        doc.data = None
        doc.values[()] = Location(file, 1, 1)
        return doc, []
    problems: list[Diagnostic] = []
    doc.data = _construct(root, (), doc, problems)
    return doc, problems


def load_bytes(file: str, raw: bytes) -> tuple[Document | None, list[Diagnostic]]:
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as e:
        line = raw[: e.start].count(b"\n") + 1
        return None, [Diagnostic(Location(file, line, 1), "file is not valid UTF-8 text")]
    if text.startswith("\ufeff"):
        text = text[1:]
    return load_text(file, text)


def _construct(node: yaml.Node, path: Path_, doc: Document, problems: list[Diagnostic]) -> Any:
    doc.values[path] = _loc(doc.file, node.start_mark)
    if isinstance(node, yaml.ScalarNode):
        if node.style in ("|", ">"):
            doc.block_scalars.add(path)
        return parse_scalar(node)
    if isinstance(node, yaml.SequenceNode):
        return [_construct(child, path + (i,), doc, problems) for i, child in enumerate(node.value)]
    assert isinstance(node, yaml.MappingNode)
    result: dict[str, Any] = {}
    first_seen: dict[str, yaml.Node] = {}
    for key_node, value_node in node.value:
        key_loc = _loc(doc.file, key_node.start_mark)
        if not isinstance(key_node, yaml.ScalarNode):
            problems.append(Diagnostic(key_loc, "a key must be a plain name, not a list or mapping"))
            continue
        key = key_node.value
        if key in first_seen:
            first_line = first_seen[key].start_mark.line + 1
            problems.append(
                Diagnostic(
                    key_loc,
                    f"duplicate key '{key}': first written on line {first_line}, again on line "
                    f"{key_loc.line}; keep one",
                    field=_dotted(path + (key,)),
                )
            )
            continue
        first_seen[key] = key_node
        doc.keys[path + (key,)] = key_loc
        result[key] = _construct(value_node, path + (key,), doc, problems)
    return result


def _dotted(path: Path_) -> str:
    out = ""
    for part in path:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += f".{part}" if out else str(part)
    return out


dotted = _dotted
