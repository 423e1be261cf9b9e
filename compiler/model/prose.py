"""Free text from the data: cite computed figures, check the Markdown, render it safely.

A prose field may cite a figure of the model, e.g. `{{ budget.income.total | money }}`
(`citations`: a path into the model's published figures, nothing else of a template
language). Its Markdown is parsed once by markdown-it-py with only what a disclosure uses
turned on (paragraphs, lists, emphasis, links, line breaks; no raw HTML, images, headings,
tables or code), and both editions are written from the same parsed tokens: the HTML by
markdown-it, the Markdown by `prose_markdown`, so the two say the same thing.

`validate` reads every link the way a Markdown viewer would (after entities and escapes
are decoded: `&#106;avascript:` is `javascript:`) and allows only http, https and mailto;
images and link reference definitions are errors in every form.
"""

from __future__ import annotations

import dataclasses
import functools
from collections.abc import Iterator
from decimal import Decimal

from .. import characters
from ..diagnostics import Diagnostic, Location
from ..errors import DataError
from ..i18n import _
from . import citations, prose_markdown
from .disclosure import Disclosure, Prose
from .markdown_parser import allowed_link, checker, parser

_MARKERS = citations.MARKERS


class ProseError(DataError):
    def __init__(self, diagnostic: Diagnostic):
        super().__init__(diagnostic.message)
        self.diagnostic = diagnostic


def expand(text: str, model: Disclosure) -> str:
    """The text with its figure citations filled in, as Markdown source; raises ProseError
    at the YAML line of a citation that is not a figure of the model."""
    if not any(marker in text for marker in _MARKERS):
        return str(text)
    try:
        return citations.expand(str(text), model)
    except citations.CitationError as e:
        message = _("bad figure citation: {problem}").format(problem=e.message)
        raise ProseError(_diagnostic(text, e.line, message)) from e


def _diagnostic(text: str, text_line: int, message: str) -> Diagnostic:
    if isinstance(text, Prose):
        loc = text.location
        line = text.first_line + text_line - 1
        column = loc.column if line == loc.line else 1
        return Diagnostic(Location(loc.file, line, column), message, field=text.field)
    return Diagnostic(Location("<text>", text_line, 1), message)


def iter_prose(obj) -> Iterator[Prose]:
    """Every text of the model, in the model's order. A loop over a stack, not nested
    generators: a department of 30 units holds about 240,000 values, walked at each
    rebuild of the live preview."""
    stack = [obj]
    while stack:
        item = stack.pop()
        if isinstance(item, Prose):
            yield item
        elif isinstance(item, _LEAVES):
            continue
        elif isinstance(item, (list, tuple)):
            stack.extend(reversed(item))
        elif isinstance(item, dict):
            stack.extend(reversed(item.values()))
        elif dataclasses.is_dataclass(item) and not isinstance(item, type):
            stack.extend(getattr(item, name) for name in reversed(_field_names(type(item))))


_LEAVES = (str, int, float, Decimal, type(None))  # bool is an int; Prose is checked first


@functools.cache
def _field_names(cls: type) -> tuple[str, ...]:
    return tuple(f.name for f in dataclasses.fields(cls))


def check_all(model: Disclosure) -> list[Diagnostic]:
    """Every prose field: its figure citations resolve, and its Markdown is of the kinds a
    published disclosure may carry."""
    problems = []
    for text in iter_prose(model):
        try:
            expanded = expand(text, model)
        except ProseError as e:
            problems.append(e.diagnostic)
            expanded = str(text)
        problems += _markdown_problems(text, expanded)
    return problems


def _markdown_problems(text: Prose, expanded: str) -> list[Diagnostic]:
    """Images, link reference definitions and links other than http(s) and mailto are
    refused at their line: the HTML would drop them, and the Markdown must not carry them.
    The text is parsed by a parser that keeps every link, even those the published
    editions drop, and checked on each link's URL as a viewer decodes it."""
    if not any(c in expanded for c in "[<!&"):
        return []
    env: dict = {}
    tokens = checker().parse(expanded, env)
    found: list[tuple[int, str]] = [
        (
            line + 1,
            _("link reference definitions ([name]: url) are not allowed; write the link inline"),
        )
        for line in env.get("definition_lines", [])
    ]
    for token in tokens:
        if token.type != "inline" or not token.map:
            continue
        line = token.map[0] + 1
        for child in token.children or []:
            decoded = child.content + str((child.attrs or {}).get("title") or "")
            refused = _decoded_refused(decoded)
            if refused is not None:
                found.append((line, refused))
            if child.type in ("softbreak", "hardbreak"):
                line += 1
            elif child.type == "image":
                found.append((line, _("images are not allowed in the text of a disclosure")))
            elif child.type == "link_open" and not allowed_link(str(child.attrs["href"])):
                url = _shown_url(str(child.attrs["href"]))
                found.append(
                    (
                        line,
                        _(
                            "links may only point to web pages (http, https, mailto), found '{url}'"
                        ).format(url=url),
                    )
                )
    return [_diagnostic(text, line, message) for line, message in sorted(found)]


def _decoded_refused(text: str) -> str | None:
    """The problem with a character an HTML character reference (&#x202e;, &#13;, &rlm;)
    decodes to: the loader refuses it written as itself, and decoded it would reorder a
    published figure (2331.12 as 21.1332) or split a Markdown table row. A text token holds
    no line break of its own (soft breaks are tokens), so one in it was written as a
    reference too."""
    if "\ufffd" in text:  # what a reference to a control or invalid code point becomes
        return _(
            "a character reference to a control character or an invalid code point "
            "(such as &#7; or &#0;) is not allowed; delete it"
        )
    if text.isprintable():
        return None
    for char in text:
        if char in "\n\r\t":
            return _(
                "a line break or tab written as a character reference (&#10;, &#13;, &#9;) is "
                "not allowed; break the line itself, or write spaces"
            )
        if characters.problem(char, in_value=True):
            return _("{problem} (it is written as a character reference such as &#x…;)").format(
                problem=characters.message(char, in_value=True)
            )
    return None


def _shown_url(url: str) -> str:
    """The URL as a message quotes it: shortened (messages show it through `visible`)."""
    return url if len(url) <= 40 else url[:39] + "…"


def to_html(text: str) -> str:
    """Block Markdown → HTML (paragraphs, lists)."""
    return parser().render(text)


def to_html_inline(text: str) -> str:
    """Inline Markdown → HTML, for text inside a sentence or a table cell."""
    return parser().renderInline(text).strip()


def to_markdown(text: str) -> str:
    """Block Markdown → the Markdown edition's text, written from the tokens the HTML is
    rendered from (paragraphs, lists)."""
    tokens = parser().parse(text)
    return prose_markdown.blocks(tokens, _style(tokens))


def to_markdown_inline(text: str) -> str:
    """Inline Markdown → the Markdown edition's text, as to_html_inline reads it."""
    md = parser()
    tokens = md.parseInline(text)
    written = prose_markdown.inline(tokens)
    if _has_emphasis(tokens) and md.renderInline(written) != md.renderInline(text):
        written = prose_markdown.inline(tokens, prose_markdown.Style(emphasis=False))
    return written


def to_markdown_cell(text: str) -> str:
    """Block Markdown → one pipe-table cell: lines joined by <br>, pipes escaped."""
    tokens = parser().parse(text)
    return prose_markdown.cell(tokens, emphasis=_style(tokens).emphasis)


def _style(tokens) -> prose_markdown.Style:
    """Emphasis is written back unless it would not read the same (see prose_markdown)."""
    if not _has_emphasis(tokens):
        return prose_markdown.Style()
    md = parser()
    html = md.renderer.render(tokens, md.options, {})
    if md.render(prose_markdown.blocks(tokens)) == html:
        return prose_markdown.Style()
    return prose_markdown.Style(emphasis=False)


def _has_emphasis(tokens) -> bool:
    return any(
        child.type in ("em_open", "strong_open")
        for token in tokens
        for child in token.children or []
    )
