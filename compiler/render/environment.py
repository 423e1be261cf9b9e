"""The Jinja environment shared by the HTML and Markdown templates, and their filters.

Templates hold the wording every disclosure shares; figures come from the model through
these filters, so no template types a number.
"""

from __future__ import annotations

import os
from functools import lru_cache
from pathlib import Path

from jinja2 import (
    Environment,
    FileSystemBytecodeCache,
    FileSystemLoader,
    StrictUndefined,
    pass_context,
)
from markupsafe import Markup

from .. import prose
from ..model import FUNDING_COLUMNS, Change
from ..numbers import item_number, money, percent, plain_number, section_number
from ..paths import ASSETS_DIR, TEMPLATES_DIR


def spans(rows, *fields: str) -> list[int]:
    """Rowspan of each row for a merged column: n for the first of n equal rows, 0 after.

    Rows merge when all `fields` are equal, so passing (level1, level2) merges 二级指标
    only inside its 一级指标 group.
    """
    result = [0] * len(rows)
    start = 0
    for i in range(1, len(rows) + 1):
        if i == len(rows) or _key(rows[i], fields) != _key(rows[start], fields):
            result[start] = i - start
            start = i
    return result


def _key(row, fields):
    return tuple(getattr(row, f) for f in fields)


def change_words(change: Change) -> str:
    """增加448.20万元 / 减少1882.92万元 / 持平 — direction in words, never a minus sign."""
    if change.amount == 0:
        return "持平"
    return f"{change.direction}{money(change.magnitude)}万元"


def money_or_blank(value, zero: bool = False) -> str:
    """Table cells the published tables leave empty: no value, or zero in a funding column."""
    if value is None or (value == 0 and not zero):
        return ""
    return money(value)


def number_or_blank(value) -> str:
    return "" if value is None else plain_number(value)


def cn_date(value) -> str:
    return f"{value.year}年{value.month}月{value.day}日"


def environment(kind: str) -> Environment:
    """The template environment for 'html' (autoescaped) or 'md' (escaped by filters).

    One per kind and process, so each template is compiled once; compiled templates are
    also kept on disk (see _bytecode_cache), since compiling them is most of the time an
    HTML or Markdown build takes. Filters that expand prose read the model from the
    template context (`m`), so the environment does not depend on the model.
    """
    return _environment(kind)


@lru_cache(maxsize=2)
def _environment(kind: str) -> Environment:
    env = Environment(
        loader=FileSystemLoader(str(TEMPLATES_DIR)),
        extensions=["jinja2.ext.do"],
        autoescape=kind == "html",
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        bytecode_cache=_bytecode_cache(),
    )

    @pass_context
    def expand(context, text) -> str:
        return prose.expand(text, context["m"])

    env.filters.update(
        money=money,
        money_or_blank=money_or_blank,
        number_or_blank=number_or_blank,
        pct=percent,
        number=plain_number,
        section_number=section_number,
        item_number=item_number,
        change_words=change_words,
        target_text=lambda target: target.display,  # ≥3.4万平方米, 100%, 提升
        cn_date=cn_date,
        expand=expand,
    )
    env.globals.update(spans=spans, funding_columns=FUNDING_COLUMNS)
    if kind == "html":
        env.filters["text"] = str  # autoescape does the escaping
        env.filters["prose"] = pass_context(
            lambda ctx, text: Markup(prose.to_html(expand(ctx, text)))
        )
        env.filters["prose_inline"] = pass_context(
            lambda ctx, text: Markup(prose.to_html_inline(expand(ctx, text)))
        )
    else:
        # Prose is written from the tokens the HTML is rendered from (prose_markdown).
        env.filters["md_text"] = env.filters["text"] = md_escape
        env.filters["md_cell"] = pass_context(
            lambda ctx, text: prose.to_markdown_cell(expand(ctx, text))
        )
        env.filters["md_prose"] = pass_context(
            lambda ctx, text: prose.to_markdown(expand(ctx, text))
        )
        env.filters["md_prose_inline"] = pass_context(
            lambda ctx, text: prose.to_markdown_inline(expand(ctx, text))
        )
    return env


def _bytecode_cache() -> FileSystemBytecodeCache | None:
    """Compiled templates in the user's cache folder (~/.cache/disclosure-compiler), which
    no commit or pull request can write into: a compiled template is code. Jinja checks
    each entry against its template's source, so an edited template is recompiled.
    DISCLOSURE_NO_CACHE=1 turns it off; without a writable cache folder there is none."""
    if os.environ.get("DISCLOSURE_NO_CACHE"):
        return None
    base = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")
    folder = base / "disclosure-compiler" / "templates"
    try:
        folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    except OSError:
        return None
    if not os.access(folder, os.W_OK):
        return None
    return FileSystemBytecodeCache(str(folder))


_MD_SPECIAL = str.maketrans({c: "\\" + c for c in "\\`*_[]<>|#~&!"})


def md_escape(text: str) -> str:
    """Plain text (names, units) made literal in Markdown. The loader has refused line
    breaks in one-line text and every control character, so nothing here ends a line."""
    return str(text).translate(_MD_SPECIAL)


@lru_cache(maxsize=2)
def css_text(for_print: bool = False) -> str:
    """The screen stylesheet; for the PDF, followed by the paged-media rules."""
    names = ["disclosure.css"] + (["print.css"] if for_print else [])
    return "\n".join((ASSETS_DIR / name).read_text(encoding="utf-8") for name in names)
