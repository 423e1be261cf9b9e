"""Write parsed prose back as Markdown, for the Markdown edition.

The HTML edition is rendered from markdown-it's tokens; the Markdown edition is written
from the same tokens, so both say the same thing: every character of text is escaped (a
`*`, `[`, `<`, `|` or `&#106;` in the data is shown as written, never read as markup), a line
break is a hard break (the HTML shows it as <br>), and only the structure the parser found
(paragraphs, lists, emphasis, links it allowed) is written as Markdown. A viewer that
trusts its input (raw HTML on, every link scheme) therefore shows what the HTML shows.
"""

from __future__ import annotations

import re

# Always escaped in text: what starts emphasis, links, images, code, raw HTML, entities,
# tables and strikethrough.
_ALWAYS = re.compile(r"([\\`*_\[\]<>|~&!])")
# Escaped at the start of a line: what would start a heading, quote, list or rule there.
_LINE_START = re.compile(r"^(?:([#=+\-])|([0-9]+)([.)]))")
_DESTINATION = re.compile(r"([\\()&<> ])")
_TITLE = re.compile(r'([\\"&])')


def _text(content: str, line_start: bool) -> str:
    text = _ALWAYS.sub(r"\\\1", content)
    if line_start:
        text = text.lstrip(" ")  # four spaces would start a code block
        text = _LINE_START.sub(lambda m: f"\\{m[1]}" if m[1] else f"{m[2]}\\{m[3]}", text, 1)
    return text


_HARD_BREAK = "\\\n"  # a backslash before the line end: CommonMark's hard line break


def inline(tokens, line_break: str = _HARD_BREAK) -> str:
    """The children of markdown-it's inline token(s) as Markdown. A line break becomes
    `line_break`; after a hard break, what would start a block there is escaped (a table
    cell passes "\\n" and needs no such escape: a cell holds no blocks)."""
    out: list[str] = []
    new_lines = line_break == _HARD_BREAK
    line_start = new_lines
    links: list[str] = []
    for token in _children(tokens):
        kind = token.type
        if kind == "text":
            for n, part in enumerate(token.content.split("\n")):
                if n:
                    out.append(line_break)
                    line_start = new_lines
                if part:
                    out.append(_text(part, line_start))
                    line_start = False
            continue
        if kind in ("softbreak", "hardbreak"):
            out.append(line_break)
            line_start = new_lines
            continue
        if kind in ("em_open", "em_close"):
            out.append("*")
        elif kind in ("strong_open", "strong_close"):
            out.append("**")
        elif kind == "link_open":
            out.append("[")
            links.append(_link_tail(token.attrs))
        elif kind == "link_close":
            out.append(links.pop() if links else "]")
        else:  # a kind this parser never makes: its text, escaped
            out.append(_text(token.content, line_start))
        line_start = False
    return "".join(out)


def _children(tokens):
    for token in tokens:
        if token.type == "inline":
            yield from token.children or []
        else:
            yield token


def _link_tail(attrs: dict) -> str:
    destination = _DESTINATION.sub(r"\\\1", str(attrs.get("href", "")))
    title = attrs.get("title")
    if not title:
        return f"]({destination})"
    title = _TITLE.sub(r"\\\1", str(title))
    return f']({destination} "{title}")'


def blocks(tokens, line_break: str = _HARD_BREAK) -> str:
    """markdown-it's block tokens (paragraphs, lists) as Markdown."""
    from markdown_it.tree import SyntaxTreeNode

    return "\n\n".join(_block(node, line_break) for node in SyntaxTreeNode(tokens).children)


def _block(node, line_break: str) -> str:
    if node.type == "paragraph":
        return inline([child.token for child in node.children if child.token], line_break)
    if node.type in ("bullet_list", "ordered_list"):
        return _list(node, line_break)
    if node.type == "inline":
        return inline([node.token], line_break)
    # nothing else is enabled; a block of another kind keeps its text
    return "\n\n".join(_block(child, line_break) for child in node.children)


def _list(node, line_break: str) -> str:
    ordered = node.type == "ordered_list"
    number = int(node.attrs.get("start", 1)) if ordered else 0
    tight = all(
        grand.hidden
        for item in node.children
        for grand in item.children
        if grand.type == "paragraph"
    )
    items = []
    for k, item in enumerate(node.children):
        marker = f"{number + k}{item.markup or '.'}" if ordered else "-"
        body = ("\n" if tight else "\n\n").join(_block(c, line_break) for c in item.children)
        pad = " " * (len(marker) + 1)
        lines = body.split("\n")
        shown = [f"{marker} {lines[0]}".rstrip()] + [
            pad + line if line else "" for line in lines[1:]
        ]
        items.append("\n".join(shown))
    return ("\n" if tight else "\n\n").join(items)


_CELL_BREAK = "\n"


def cell(tokens) -> str:
    """Block tokens as one pipe-table cell: every line break and block a <br>; a pipe in
    the text is already escaped."""
    text = blocks(tokens, line_break=_CELL_BREAK)
    lines = [line.strip() for line in text.split("\n") if line.strip()]
    return "<br>".join(lines)
