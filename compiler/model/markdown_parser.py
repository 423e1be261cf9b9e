"""The one Markdown parser of prose, for both editions, and the stricter one `validate` uses.

markdown-it-py with only what a disclosure's text uses: paragraphs, lists, emphasis,
links, autolinks, line breaks, escapes and entities. The rest of Markdown (headings,
tables, quotes, code, raw HTML, images) is shown as the characters written. Links are
kept only to http, https and mailto pages; the checker keeps every link, image and
reference definition, so `validate` can name each one at its line. markdown_it is imported
on first use: `validate` of text without brackets needs none of it.
"""

from __future__ import annotations

import re
from functools import lru_cache

ALLOWED_SCHEMES = ("https", "http", "mailto")
_ALLOWED_LINK = re.compile(rf"(?:{'|'.join(ALLOWED_SCHEMES)}):", re.I)
MAX_LINK_TEXT = 1000  # characters between [ and ] (see _BoundedHelpers)
LINK_LABEL_BUDGET = 100_000  # characters read looking for "]", per text


def allowed_link(url: str) -> bool:
    """A URL, as markdown-it normalised and decoded it, to a web page or a mail address."""
    return bool(_ALLOWED_LINK.match(url))


@lru_cache(maxsize=1)
def parser():
    """The parser both editions are made from."""
    from markdown_it import MarkdownIt

    return _configure(MarkdownIt("js-default", {"breaks": True}), checking=False)


@lru_cache(maxsize=1)
def checker():
    """The same parser keeping every link (whatever its scheme), image and reference
    definition, with the line of each definition in env["definition_lines"]."""
    from markdown_it import MarkdownIt

    return _configure(MarkdownIt("js-default", {"breaks": True}), checking=True)


def _configure(md, *, checking: bool):
    """Turn off what a disclosure's text does not use; bound the link label search."""
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
        md.validateLink = lambda url: True  # see every link; prose judges each
        md.block.ruler.at("reference", _recording_reference)
    else:
        md.validateLink = allowed_link
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
