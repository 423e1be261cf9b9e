"""Free text from the data: cite computed figures, then render Markdown safely.

A prose field may cite a figure of the model, e.g. `{{ budget.income.total | money }}`.
Expressions run in Jinja's immutable sandbox that sees the model and nothing else, with
StrictUndefined: an unknown name is an error at the YAML line, never an empty string.
Markdown is rendered by markdown-it-py's "js-default" preset: raw HTML off, unsafe link
schemes dropped; images are disabled too, so data can never make the PDF fetch anything.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Iterator
from functools import lru_cache

from .diagnostics import Diagnostic, Location
from .model import Disclosure, Prose
from .numbers import money, percent, plain_number

_MARKERS = ("{{", "{%", "{#")


class ProseError(Exception):
    def __init__(self, diagnostic: Diagnostic):
        super().__init__(diagnostic.message)
        self.diagnostic = diagnostic


# jinja2 and markdown_it are imported on first use: most prose cites no figure, and
# `validate` renders no Markdown, so it starts faster without them.


# Attributes a citation may not reach: where a value was written (and through it the
# loaded file) is the compiler's business, not the published text's.
_HIDDEN_ATTRIBUTES = {"src", "location", "first_line", "field", "locate_fn", "locate_key_fn"}
_FILTERS = ("money", "percent", "number")


@lru_cache(maxsize=1)
def _sandbox():
    from jinja2 import StrictUndefined
    from jinja2.sandbox import ImmutableSandboxedEnvironment

    class CitationSandbox(ImmutableSandboxedEnvironment):
        def is_safe_attribute(self, obj, attr, value):
            if attr in _HIDDEN_ATTRIBUTES:
                return False
            return super().is_safe_attribute(obj, attr, value)

    env = CitationSandbox(undefined=StrictUndefined, autoescape=False)
    env.filters.clear()  # only the figure formats below: no loops, no calls, no tricks
    env.filters.update(money=_strict(money), percent=_strict(percent), number=_strict(plain_number))
    return env


def _check_citations(text: str) -> None:
    """Prose may only cite figures: `{{ a.b.c }}` or `{{ a.b.c | money }}`. Statements
    ({% for %}…), calls and arithmetic are refused, so no text can loop forever or
    compute a figure the model does not define."""
    from jinja2 import TemplateSyntaxError, nodes

    allowed = (
        nodes.Template,
        nodes.Output,
        nodes.TemplateData,
        nodes.Name,
        nodes.Getattr,
        nodes.Getitem,
        nodes.Const,
        nodes.Filter,
    )
    for node in _sandbox().parse(text).find_all(nodes.Node):
        if not isinstance(node, allowed) or (
            isinstance(node, nodes.Filter) and (node.name not in _FILTERS or node.args)
        ):
            raise TemplateSyntaxError(
                "only figure citations are allowed, like {{ budget.income.total | money }} "
                f"(filters: {', '.join(_FILTERS)})",
                getattr(node, "lineno", 1) or 1,
            )


def _strict(format_figure):
    """A filter that reports an unknown name, instead of failing on it as a number."""
    from jinja2 import Undefined

    def apply(value, *args):
        if isinstance(value, Undefined):
            value._fail_with_undefined_error()
        return format_figure(value, *args)

    return apply


def _context(model: Disclosure) -> dict:
    names = {f.name: getattr(model, f.name) for f in dataclasses.fields(model)}
    names["model"] = model
    return names


def _error_line(exc: BaseException) -> int:
    """The template line where a render-time error happened (Jinja rewrites tracebacks)."""
    line = 0
    tb = exc.__traceback__
    while tb is not None:
        if tb.tb_frame.f_code.co_filename == "<template>":
            line = tb.tb_lineno
        tb = tb.tb_next
    return line or 1


def expand(text: str, model: Disclosure) -> str:
    """The text with its figure citations filled in; raises ProseError with the YAML line."""
    if not any(marker in text for marker in _MARKERS):
        return str(text)
    from jinja2 import TemplateError, TemplateSyntaxError

    try:
        _check_citations(str(text))
        template = _sandbox().from_string(str(text))
        return template.render(_context(model))
    except TemplateSyntaxError as e:
        raise ProseError(
            _diagnostic(text, e.lineno or 1, f"bad figure citation: {e.message}")
        ) from e
    except TemplateError as e:
        raise ProseError(_diagnostic(text, _error_line(e), f"bad figure citation: {e}")) from e
    except Exception as e:  # e.g. a filter given text where it expects a number
        raise ProseError(
            _diagnostic(text, _error_line(e), f"bad figure citation: {type(e).__name__}: {e}")
        ) from e


_INTERNAL_NAME = re.compile(r"'compiler\.model\.(\w+) object'")


def _diagnostic(text: str, template_line: int, message: str) -> Diagnostic:
    # Jinja names our classes ('compiler.model.Budget object'); an editor knows "Budget".
    message = _INTERNAL_NAME.sub(r"\1", message)
    if isinstance(text, Prose):
        loc = text.location
        line = text.first_line + template_line - 1
        column = loc.column if line == loc.line else 1
        return Diagnostic(Location(loc.file, line, column), message, field=text.field)
    return Diagnostic(Location("<text>", template_line, 1), message)


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
            expand(text, model)
        except ProseError as e:
            problems.append(e.diagnostic)
        problems += _markdown_problems(text)
    return problems


_UNSAFE_LINK = re.compile(r"\]\(\s*<?\s*(?:javascript|vbscript|file|data):", re.I)


def _markdown_problems(text: Prose) -> list[Diagnostic]:
    """Images, link reference definitions and links to scripts or local files are refused
    with their line: the HTML would drop them, and the Markdown must not carry them."""
    if not any(c in text for c in "[!"):
        return []
    env: dict = {}
    tokens = _markdown().parse(str(text), env)
    has_image = any(c.type == "image" for t in tokens for c in t.children or [])
    lines = str(text).splitlines()
    found: list[tuple[int, str]] = []
    for number, line in enumerate(lines, 1):
        if has_image and "![" in line:
            found.append((number, "images are not allowed in the text of a disclosure"))
        if _UNSAFE_LINK.search(line):
            found.append((number, "links may only point to web pages (http, https, mailto)"))
        if env.get("references") and _REFERENCE.match(line):
            found.append(
                (
                    number,
                    "link reference definitions ([name]: url) are not allowed; "
                    "write the link inline",
                )
            )
    return [_diagnostic(text, line, message) for line, message in found]


_REFERENCE = re.compile(r"^\s{0,3}\[[^\]]+\]:")


@lru_cache(maxsize=1)
def _markdown():
    from markdown_it import MarkdownIt

    md = MarkdownIt("js-default", {"breaks": True})
    md.disable(["html_block", "html_inline"], ignoreInvalid=True)
    # An image in the data is shown as its alt text: a disclosure embeds no outside
    # picture, and nothing in a build may be fetched.
    md.add_render_rule("image", _image_as_alt_text)
    return md


def _image_as_alt_text(self, tokens, idx, options, env):
    from markdown_it.common.utils import escapeHtml

    return escapeHtml(self.renderInlineAsText(tokens[idx].children or [], options, env))


_RAW_ANGLE = re.compile(r"(?<!\\)([<>])")
_IMAGE = re.compile(r"(?<!\\)!\[([^\]]*)\]\([^)]*\)")
_LINK = re.compile(r"(?<!\\)\[([^\]]*)\]\(((?:[^()\s]|\([^()]*\))*)[^)]*\)")


def to_markdown(text: str) -> str:
    """Prose made as safe for the Markdown output as the HTML is: raw HTML escaped, images
    reduced to their alt text, links whose scheme the HTML drops (javascript:, file:, …)
    kept as plain text."""
    md = _markdown()

    def link(match: re.Match) -> str:
        label, url = match.group(1), match.group(2)
        return match.group(0) if md.validateLink(md.normalizeLink(url)) else f"\\[{label}\\]"

    text = _RAW_ANGLE.sub(r"\\\1", text)
    text = _IMAGE.sub(lambda m: m.group(1), text)
    return _LINK.sub(link, text)


def to_html(text: str) -> str:
    """Block Markdown → HTML (paragraphs, lists)."""
    return _markdown().render(text)


def to_html_inline(text: str) -> str:
    """Inline Markdown → HTML, for text inside a sentence or a table cell."""
    return _markdown().renderInline(text).strip()
