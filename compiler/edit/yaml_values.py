"""Setting a few figures of a data file the clerk also writes by hand, as text.

final-notes.yaml holds the unit's words beside the 三公 决算数 an import brings, and
initial-budget.yaml the 年初预算 per 项 beside the 三公 预算数: an import replaces only the
figures it read, where PyYAML says each value is, so every comment and every other entry
stays as the clerk wrote it.
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

import yaml

from ..diagnostics import Diagnostic, Location
from ..errors import DataError
from ..i18n import _


class UnsetError(DataError):
    """A place of the clerk's file the imported figures cannot be set in: a problem of the
    data (exit 1), at its line."""

    def __init__(self, where: str, mark, message: str):
        super().__init__(message)
        line, column = (mark.line + 1, mark.column + 1) if mark is not None else (None, None)
        self.diagnostics = [Diagnostic(Location(where, line, column), message)]


def set_values(text: str, keys: tuple[str, ...], values: dict[str, str], where: str) -> str:
    """`text` with the mapping at `keys` (three_public › outturn) holding `values` (each a
    YAML scalar as text): values present are replaced, the others added, and a mapping that
    is missing is added with them (at the end of the file, or before the first entry of the
    mapping above it)."""
    try:
        node = yaml.compose(text, Loader=yaml.SafeLoader) if text.strip() else None
    except yaml.YAMLError as e:
        raise UnsetError(
            where,
            getattr(e, "problem_mark", None),
            _("this file cannot be read as YAML ({error}); correct it, then import again").format(
                error=e
            ),
        ) from e
    flow = "{" + ", ".join(f"{k}: {v}" for k, v in values.items()) + "}"
    for depth, key in enumerate(keys):
        if not isinstance(node, yaml.MappingNode):
            if depth == 0:
                return _append(text, keys[depth:], flow)
            return _unreadable(where, keys, node)
        found = next((v for k, v in node.value if k.value == key), None)
        if found is None:
            if depth == 0:
                return _append(text, keys, flow)
            return _insert(text, node, keys[depth:], flow, where)
        node = found
    if not isinstance(node, yaml.MappingNode):
        return _unreadable(where, keys, node)
    edits: list[tuple[int, int, str]] = []
    present = {k.value: v for k, v in node.value}
    for key, value in values.items():
        if key in present and isinstance(present[key], yaml.ScalarNode):
            scalar = present[key]
            if not _same(scalar.value, value):  # 0 stays 0 where the import reads 0.00
                edits.append((scalar.start_mark.index, scalar.end_mark.index, value))
    missing = {k: v for k, v in values.items() if k not in present}
    if missing:
        start = node.value[0][0].start_mark if node.value else node.start_mark
        indent = " " * start.column
        added = "".join(
            f"{k}: {v}, " if node.flow_style else f"{k}: {v}\n{indent}" for k, v in missing.items()
        )
        edits.append((start.index, start.index, added))
    for begin, end, new in sorted(edits, reverse=True):
        text = text[:begin] + new + text[end:]
    return text


def _same(old: str, new: str) -> bool:
    try:
        return Decimal(old) == Decimal(new)
    except InvalidOperation:
        return False


def _nested(keys: tuple[str, ...], flow: str, indent: int) -> str:
    lines = [" " * (indent + 2 * i) + f"{k}:" for i, k in enumerate(keys[:-1])]
    lines.append(" " * (indent + 2 * (len(keys) - 1)) + f"{keys[-1]}: {flow}")
    return "\n".join(lines) + "\n"


def _append(text: str, keys: tuple[str, ...], flow: str) -> str:
    if text and not text.endswith("\n"):
        text += "\n"
    return text + _nested(keys, flow, 0)


def _insert(text: str, node: yaml.MappingNode, keys: tuple[str, ...], flow: str, where: str) -> str:
    if node.flow_style or not node.value:
        raise UnsetError(
            where,
            node.start_mark,
            _("{keys} cannot be added to this file as text").format(keys=".".join(keys)),
        )
    start = node.value[0][0].start_mark
    block = _nested(keys, flow, start.column)[start.column :] + " " * start.column
    return text[: start.index] + block + text[start.index :]


def _unreadable(where: str, keys: tuple[str, ...], node: yaml.Node) -> str:
    """A value the figures cannot be set in: a problem of the clerk's file, at its line."""
    raise UnsetError(
        where,
        node.start_mark,
        _(
            "{keys} is not a mapping (name: value) the imported figures can be set in; "
            "correct it, then import again"
        ).format(keys=".".join(keys)),
    )
