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
import re
from collections.abc import Iterator
from functools import lru_cache

from . import citations, prose_markdown
from .diagnostics import Diagnostic, Location
from .model import Disclosure, Prose

_MARKERS = citations.MARKERS
ALLOWED_SCHEMES = ("https", "http", "mailto")
_ALLOWED_LINK = re.compile(rf"(?:{'|'.join(ALLOWED_SCHEMES)}):", re.I)
MAX_LINK_TEXT = 1000  # characters between [ and ] (see _BoundedHelpers)
LINK_LABEL_BUDGET = 100_000  # characters read looking for "]", per text


class ProseError(Exception):
    def __init__(self, diagnostic: Diagnostic):
        super().__init__(diagnostic.message)
        self.diagnostic = diagnostic


# markdown_it is imported on first use: `validate` of prose without brackets needs none of it.


def expand(text: str, model: Disclosure) -> str:
    """The text with its figure citations filled in, as Markdown source; raises ProseError
    at the YAML line of a citation that is not a figure of the model."""
    if not any(marker in text for marker in _MARKERS):
        return str(text)
    try:
        return citations.expand(str(text), model)
    except citations.CitationError as e:
        raise ProseError(_diagnostic(text, e.line, f"bad figure citation: {e.message}")) from e


def _diagnostic(text: str, text_line: int, message: str) -> Diagnostic:
    if isinstance(text, Prose):
        loc = text.location
        line = text.first_line + text_line - 1
        column = loc.column if line == loc.line else 1
        return Diagnostic(Location(loc.file, line, column), message, field=text.field)
    return Diagnostic(Location("<text>", text_line, 1), message)


def iter_prose(obj) -> Iterator[Prose]:
    if isinstance(obj, Prose):
        yield obj
    elif dataclasses.is_dataclass(obj):
        for f in dataclasses.fields(obj):
            yield from iter_prose(getattr(obj, f.name))
    elif isinstance(obj, (list, tuple)):
        for item in obj:
            yield from iter_prose(item)
    elif isinstance(obj, dict):
        for item in obj.values():
            yield from iter_prose(item)


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
    if not any(c in expanded for c in "[<!"):
        return []
    env: dict = {}
    tokens = _checker().parse(expanded, env)
    found: list[tuple[int, str]] = [
        (
            line + 1,
            "link reference definitions ([name]: url) are not allowed; write the link inline",
        )
        for line in env.get("definition_lines", [])
    ]
    for token in tokens:
        if token.type != "inline" or not token.map:
            continue
        line = token.map[0] + 1
        for child in token.children or []:
            if child.type in ("softbreak", "hardbreak"):
                line += 1
            elif child.type == "image":
                found.append((line, "images are not allowed in the text of a disclosure"))
            elif child.type == "link_open" and not _ALLOWED_LINK.match(str(child.attrs["href"])):
                found.append(
                    (
                        line,
                        "links may only point to web pages (http, https, mailto), found "
                        f"{_shown_url(str(child.attrs['href']))}",
                    )
                )
    return [_diagnostic(text, line, message) for line, message in sorted(found)]


def _shown_url(url: str) -> str:
    return repr(url if len(url) <= 40 else url[:39] + "…")


def _configure(md, *, checking: bool):
    """Only what a disclosure's text uses: paragraphs, lists, emphasis, links, autolinks,
    line breaks, escapes and entities. The rest of Markdown (headings, tables, quotes,
    code, raw HTML) is shown as the characters written, in both editions."""
    md.disable(
        [
            "table", "code", "fence", "blockquote", "hr", "html_block", "heading", "lheading",
            "linkify", "replacements", "smartquotes", "backticks", "strikethrough",
            "html_inline", "image", "reference",
        ],
        ignoreInvalid=True,
    )  # fmt: skip
    # markdown-it scans from each "[" to its "]": text of many "[" takes quadratic time.
    md.helpers = _BoundedHelpers(md.helpers)
    if checking:
        md.enable(["image", "reference"])
        md.validateLink = lambda url: True  # see every link, judge it in _markdown_problems
        md.block.ruler.at("reference", _recording_reference)
    else:
        md.validateLink = lambda url: bool(_ALLOWED_LINK.match(url))
    return md


class _BoundedHelpers:
    """markdown-it's helpers, with a bounded link label search. markdown-it looks for the
    "]" of every "[" it meets, so text of many "[" took quadratic time (a 160 KB field, six
    minutes). A label ends within MAX_LINK_TEXT characters, and the failed searches of one
    text may read LINK_LABEL_BUDGET characters in all; after that a "[" is plain text, in
    the HTML and the Markdown alike (both come from this parser)."""

    def __init__(self, helpers):
        self._helpers = helpers

    def __getattr__(self, name):
        return getattr(self._helpers, name)

    def parseLinkLabel(self, state, start, disableNested=False):  # noqa: N802, N803 - its API
        spent = state.env.get("_link_label_reads", 0)
        if spent >= LINK_LABEL_BUDGET:
            return -1
        end = state.posMax
        state.posMax = min(end, start + MAX_LINK_TEXT + 1)
        try:
            found = self._helpers.parseLinkLabel(state, start, disableNested)
        finally:
            window, state.posMax = state.posMax, end
        state.env["_link_label_reads"] = spent + ((found if found >= 0 else window) - start)
        return found


def _recording_reference(state, start_line, end_line, silent):
    """markdown-it's reference rule, noting the line of every definition it finds."""
    from markdown_it.rules_block import reference

    found = reference(state, start_line, end_line, silent)
    if found and not silent:
        state.env.setdefault("definition_lines", []).append(start_line)
    return found


@lru_cache(maxsize=1)
def _markdown():
    from markdown_it import MarkdownIt

    return _configure(MarkdownIt("js-default", {"breaks": True}), checking=False)


@lru_cache(maxsize=1)
def _checker():
    from markdown_it import MarkdownIt

    return _configure(MarkdownIt("js-default", {"breaks": True}), checking=True)


def to_html(text: str) -> str:
    """Block Markdown → HTML (paragraphs, lists)."""
    return _markdown().render(text)


def to_html_inline(text: str) -> str:
    """Inline Markdown → HTML, for text inside a sentence or a table cell."""
    return _markdown().renderInline(text).strip()


def to_markdown(text: str) -> str:
    """Block Markdown → the Markdown edition's text, written from the tokens the HTML is
    rendered from (paragraphs, lists)."""
    tokens = _markdown().parse(text)
    return prose_markdown.blocks(tokens, _style(tokens))


def to_markdown_inline(text: str) -> str:
    """Inline Markdown → the Markdown edition's text, as to_html_inline reads it."""
    md = _markdown()
    tokens = md.parseInline(text)
    written = prose_markdown.inline(tokens)
    if _has_emphasis(tokens) and md.renderInline(written) != md.renderInline(text):
        written = prose_markdown.inline(tokens, prose_markdown.Style(emphasis=False))
    return written


def to_markdown_cell(text: str) -> str:
    """Block Markdown → one pipe-table cell: lines joined by <br>, pipes escaped."""
    tokens = _markdown().parse(text)
    return prose_markdown.cell(tokens, emphasis=_style(tokens).emphasis)


def _style(tokens) -> prose_markdown.Style:
    """Emphasis is written back unless it would not read the same (see prose_markdown)."""
    if not _has_emphasis(tokens):
        return prose_markdown.Style()
    md = _markdown()
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
