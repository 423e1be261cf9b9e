"""Write parsed prose back as Markdown, for the Markdown edition.

The HTML edition is rendered from markdown-it's tokens; the Markdown edition is written
from the same tokens, so both say the same thing: every character of text is escaped (a
`*`, `[`, `<`, `|` or `&#106;` in the data is shown as written, never read as markup), a line
break is a hard break (the HTML shows it as <br>), and only the structure the parser found
(paragraphs, lists, emphasis, links it allowed) is written as Markdown. A viewer that
trusts its input (raw HTML on, every link scheme) therefore shows what the HTML shows.

Emphasis is the one thing CommonMark cannot always write back: delimiters stacked against
each other (`***\\**`) pair by rules that depend on the lengths of their runs. `prose`
checks what is written and, when it would not read the same, asks for `emphasis=False`:
the words, without their bold or italics.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# Always escaped in text: what starts emphasis, links, images, code, raw HTML, entities,
# tables and strikethrough.
_ALWAYS = re.compile(r"([\\`*_\[\]<>|~&!])")
# Escaped at the start of a line: what would start a heading, quote, list or rule there.
_LINE_START = re.compile(r"^(?:([#=+\-])|([0-9]+)([.)]))")
_DESTINATION = re.compile(r"([\\()&<> ])")
_TITLE = re.compile(r'([\\"&])')
_HARD_BREAK = "\\\n"  # a backslash before the line end: CommonMark's hard line break
_EMPHASIS = ("em_open", "em_close", "strong_open", "strong_close")


@dataclass(frozen=True)
class Style:
    """How to write: what a line break becomes (a table cell passes "\\n" and joins the
    lines itself), and whether to write emphasis."""

    line_break: str = _HARD_BREAK
    emphasis: bool = True

    @property
    def new_lines(self) -> bool:
        """Whether a line break starts a Markdown line, where block markers need escaping."""
        return self.line_break == _HARD_BREAK


def _text(content: str, line_start: bool) -> str:
    text = _ALWAYS.sub(r"\\\1", content)
    if line_start:
        text = text.lstrip(" ")  # four spaces would start a code block
        text = _LINE_START.sub(lambda m: f"\\{m[1]}" if m[1] else f"{m[2]}\\{m[3]}", text, 1)
    return text


def inline(tokens, style: Style = Style()) -> str:
    """The children of markdown-it's inline token(s) as Markdown."""
    out: list[str] = []
    line_start = style.new_lines
    links: list[str] = []
    for token in _children(tokens):
        kind = token.type
        if kind == "text":
            for n, part in enumerate(token.content.split("\n")):
                if n:
                    out.append(style.line_break)
                    line_start = style.new_lines
                if part:
                    out.append(_text(part, line_start))
                    line_start = False
            continue
        if kind in ("softbreak", "hardbreak"):
            out.append(style.line_break)
            line_start = style.new_lines
            continue
        if kind in _EMPHASIS:
            if not style.emphasis:
                continue
            # the source's own delimiter (* or _, ** or __): CommonMark pairs them by kind
            out.append(token.markup or ("**" if kind.startswith("strong") else "*"))
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


def blocks(tokens, style: Style = Style()) -> str:
    """markdown-it's block tokens (paragraphs, lists) as Markdown."""
    from markdown_it.tree import SyntaxTreeNode

    return "\n\n".join(_block(node, style) for node in SyntaxTreeNode(tokens).children)


def _block(node, style: Style) -> str:
    if node.type == "paragraph":
        return inline([child.token for child in node.children if child.token], style)
    if node.type in ("bullet_list", "ordered_list"):
        return _list(node, style)
    if node.type == "inline":
        return inline([node.token], style)
    # nothing else is enabled; a block of another kind keeps its text
    return "\n\n".join(_block(child, style) for child in node.children)


def _list(node, style: Style) -> str:
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
        # the source's own marker: two lists written one after the other stay two
        marker = f"{number + k}{item.markup or '.'}" if ordered else (item.markup or "-")
        body = ("\n" if tight else "\n\n").join(_block(c, style) for c in item.children)
        pad = " " * (len(marker) + 1)
        lines = body.split("\n")
        shown = [f"{marker} {lines[0]}".rstrip()] + [
            pad + line if line else "" for line in lines[1:]
        ]
        items.append("\n".join(shown))
    return ("\n" if tight else "\n\n").join(items)


def cell(tokens, emphasis: bool = True) -> str:
    """Block tokens as one pipe-table cell: every line break and block a <br>; a pipe in
    the text is already escaped."""
    text = blocks(tokens, Style(line_break="\n", emphasis=emphasis))
    lines = [line.strip() for line in text.split("\n") if line.strip()]
    return "<br>".join(lines)
