"""Editing a data file as text for `disclosure new-year`: values replaced where PyYAML says
they are written, a top-level block cut out, stale comments dropped — everything else
(comments, layout, the `# yaml-language-server` modeline) stays as the clerk wrote it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import yaml

MODELINE = "# yaml-language-server:"


# libyaml when PyYAML has it (ten times faster; its marks count characters as the pure
# reader's do, fmt/spans.py relies on the same)
_Parser = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def _compose(text: str) -> yaml.Node | None:
    return yaml.compose(text, Loader=_Parser)


def _scalar_nodes(text: str) -> dict[tuple, tuple[yaml.ScalarNode, bool, bool]]:
    """field path → (its scalar node, whether it sits in a {flow} collection, whether it is
    an entry of a [flow] list)."""
    found: dict[tuple, tuple[yaml.ScalarNode, bool, bool]] = {}

    def walk(node, path: tuple, flow: bool, in_list: bool) -> None:
        if isinstance(node, yaml.ScalarNode):
            found[path] = (node, flow, in_list)
        elif isinstance(node, yaml.SequenceNode):
            for i, child in enumerate(node.value):
                walk(child, path + (i,), flow or bool(node.flow_style), bool(node.flow_style))
        elif isinstance(node, yaml.MappingNode):
            for key, child in node.value:
                walk(child, path + (key.value,), flow or bool(node.flow_style), False)

    root = _compose(text)
    if root is not None:
        walk(root, (), False, False)
    return found


def rewrite(text: str, edits: dict[tuple, str | None]) -> str:
    """`text` with each edited value replaced where it is written; the rest untouched.
    A blank in block style leaves `key:` (keeping any comment after it); in a flow
    mapping, `{key: , …}`; in a flow list, `[null, …]` (`[, …]` is not YAML). Text values
    are written as given (quote them if YAML needs it)."""
    nodes = _scalar_nodes(text)
    spans = []
    for path, value in edits.items():
        node, flow, in_list = nodes[path]
        start, end = node.start_mark.index, node.end_mark.index
        replacement = ("null" if in_list else "") if value is None else value
        if value is None and not flow:
            while start > 0 and text[start - 1] in " \t":
                start -= 1
        if text[start:end].endswith("\n"):  # a block scalar ends with its line break
            replacement += "\n"
        if start == end and replacement:  # filling in an empty value
            after = end
            while after < len(text) and text[after] in " \t":
                after += 1
            if after < len(text) and text[after] in ",}]":  # `{key: , …}`
                end = after
            if text[start - 1] == ":":
                replacement = " " + replacement
        spans.append((start, end, replacement))
    for start, end, replacement in sorted(spans, reverse=True):
        text = text[:start] + replacement + text[end:]
    return text


def _last_index(node: yaml.Node) -> int:
    """Where the text of a value ends: its last scalar, or the closing bracket of a flow
    collection. (A block collection's own end mark is the next key, past any comment
    written above that key, which belongs to the key.)"""
    if isinstance(node, yaml.ScalarNode) or getattr(node, "flow_style", False):
        return node.end_mark.index
    children = node.value if isinstance(node, yaml.SequenceNode) else [v for _, v in node.value]
    return max((_last_index(child) for child in children), default=node.start_mark.index)


def drop_block(text: str, key: str) -> str | None:
    """`text` without the top-level `key:` and its value, nor the comment lines right above
    it (they describe it); None if the file has no such block, or not in block style."""
    root = _compose(text)
    if not isinstance(root, yaml.MappingNode) or root.flow_style:
        return None
    found = next(((k, v) for k, v in root.value if k.value == key), None)
    if found is None:
        return None
    key_node, value = found
    lines = text.splitlines(keepends=True)
    first = key_node.start_mark.line
    end = _last_index(value)
    last = text.count("\n", 0, end - 1)  # the line of its last character
    while first > 0 and _is_comment(lines[first - 1]) and not _is_modeline(lines[first - 1]):
        first -= 1
    kept = lines[:first] + lines[last + 1 :]
    # No double blank line where the block was.
    if 0 < first < len(kept) and not kept[first - 1].strip() and not kept[first].strip():
        del kept[first]
    return "".join(kept)


def _is_comment(line: str) -> bool:
    return line.lstrip().startswith("#")


def _is_modeline(line: str) -> bool:
    return line.lstrip().startswith(MODELINE)


@dataclass(frozen=True)
class Comment:
    line: int  # 0-based line of its first line
    lines: int  # how many whole lines it takes (0: at the end of a line holding a value)
    column: int
    text: str  # the comment as written, its lines joined by a space


def comments(text: str) -> list[Comment]:
    """The comments of a YAML file: a paragraph of whole comment lines is one comment, a
    comment after a value another. A `#` inside a quoted or block text is not a comment."""
    root = _compose(text)
    inside = bytearray(len(text) + 1)  # 1 where a scalar (a key or a value) is written

    def mark(node) -> None:
        if isinstance(node, yaml.ScalarNode):
            inside[node.start_mark.index : node.end_mark.index] = b"\1" * (
                node.end_mark.index - node.start_mark.index
            )
        elif isinstance(node, yaml.SequenceNode):
            for child in node.value:
                mark(child)
        elif isinstance(node, yaml.MappingNode):
            for key, child in node.value:
                mark(key)
                mark(child)

    if root is not None:
        mark(root)
    found: list[Comment] = []
    offset = 0
    for number, line in enumerate(text.splitlines(keepends=True)):
        column = _comment_column(line, offset, inside)
        offset += len(line)
        if column is None:
            continue
        body = line[column:].rstrip("\r\n")
        whole = not line[:column].strip()
        previous = found[-1] if found else None
        if (
            whole
            and previous
            and previous.lines
            and previous.line + previous.lines == number
            and not previous.text.startswith(MODELINE)  # the modeline is a line of its own
        ):
            found[-1] = Comment(
                previous.line, previous.lines + 1, previous.column, f"{previous.text} {body}"
            )
        else:
            found.append(Comment(number, 1 if whole else 0, column, body))
    return found


def _comment_column(line: str, offset: int, inside: bytearray) -> int | None:
    for column, char in enumerate(line):
        if char == "#" and not inside[offset + column]:
            if column == 0 or line[column - 1] in " \t":
                return column
    return None


def drop_comments(text: str, stale) -> tuple[str, list[str]]:
    """`text` without the comments for which `stale(comment text)` is true (never the
    modeline), and those comments' texts."""
    lines = text.splitlines(keepends=True)
    dropped = []
    for comment in reversed(comments(text)):
        if comment.text.startswith(MODELINE) or not stale(comment.text):
            continue
        dropped.append(comment.text)
        if comment.lines:
            del lines[comment.line : comment.line + comment.lines]
            at = comment.line  # no double blank line where the comment was
            if 0 < at < len(lines) and not lines[at - 1].strip() and not lines[at].strip():
                del lines[at]
        else:
            line = lines[comment.line]
            ending = line[len(line.rstrip("\r\n")) :]
            lines[comment.line] = line[: comment.column].rstrip(" \t") + ending
    return "".join(lines), dropped[::-1]


_FIGURE = re.compile(r"[0-9][0-9,]*\.[0-9]+|[0-9]{1,3}(?:,[0-9]{3})+")


def stale_comment(year: int):
    """A comment that names the year a file was written for, or the year before it, or a
    figure (3709.97, 10,903,043.00): it describes that year's figures, not the new year's."""
    years = re.compile(rf"(?<![0-9])(?:{year}|{year - 1})(?![0-9])")
    return lambda text: bool(years.search(text) or _FIGURE.search(text))
