"""The Jinja environment shared by the HTML and Markdown templates, and their filters.

Templates hold the wording every disclosure shares; figures come from the model through
these filters, so no template types a number.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from jinja2 import (
    ChoiceLoader,
    Environment,
    FileSystemBytecodeCache,
    FileSystemLoader,
    StrictUndefined,
    pass_context,
)
from markupsafe import Markup

from ..errors import MissingValue
from ..i18n import _
from ..input.projectlayouts import ProjectLayouts
from ..layout.specs import Layout
from ..layout.wording import TextStyle
from ..model import prose
from ..model.disclosure import FUNDING_COLUMNS, Change
from ..numbers import (
    chinese_numeral,
    is_published,
    item_number,
    money,
    percent,
    percent2,
    plain_number,
    section_number,
)
from ..paths import ASSETS_DIR, TEMPLATES_DIR, user_cache


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


@pass_context
def change_words(context, change: Change) -> str:
    """增加448.20万元 / 减少1882.92万元 / 持平 — direction in words, never a minus sign;
    the amount as the layout's texts print amounts (layout/wording.py)."""
    style = TextStyle.of(context["m"].layout)
    if change is None:  # last year's figure is 未公开: no change is computed
        return style.not_published
    difference = change.amount_at(style.decimals)
    if difference == 0:
        return "持平"
    return f"{'增加' if difference > 0 else '减少'}{style.amount(abs(difference))}万元"


@pass_context
def _versus(context, change: Change, base: str, trim: bool = False) -> str:
    """比2023年预算增加12.00万元 / 与上年持平: a change against `base` in the layout's
    wording; `trim` prints the amount as the 三公 texts do (25, 21.56)."""
    style = TextStyle.of(context["m"].layout)
    return style.change(change, base, trim)


@pass_context
def _money_or_not_published(context, value) -> str:
    """A table's figure: its amount to the fen, or, for a figure the data gives as 未公开,
    the word the layout prints for it."""
    if is_published(value):
        return money(value)
    return TextStyle.of(context["m"].layout).not_published


@pass_context
def _wan_trim(context, value) -> str:
    """An amount in 万元 as the 三公 texts print it (25, 21.56), in the layout's number
    format (layout/wording.py)."""
    return TextStyle.of(context["m"].layout).trimmed(value)


@pass_context
def _unit_ref(context) -> str:
    """本单位 / 本部门, or the unit's short name where the layout says so."""
    model = context["m"]
    return TextStyle.of(model.layout).unit_reference(model.unit)


def yuan(value) -> str:
    """An amount in 元 as the Shanghai forms print it: 4,100,000.00."""
    from decimal import ROUND_HALF_UP, Decimal

    return f"{Decimal(value).quantize(Decimal('0.01'), rounding=ROUND_HALF_UP):,}"


def money_trim(value) -> str:
    """An amount with its trailing zeros dropped, as some published texts write it: 25, 0,
    21.56 (rounded to the fen first)."""
    text = money(value)
    return text.rstrip("0").rstrip(".") if "." in text else text


@pass_context
def _wan(context, value) -> str:
    """An amount in 万元 in a sentence, as the layout's texts print amounts: two decimals
    or whole 万元, thousands separators, a zero as they write it (option zero_in_text:
    Shanghai's 2023 text writes 0万元, its 2024 text 0.00万元); layout/wording.py."""
    return TextStyle.of(context["m"].layout).amount(value)


@pass_context
def _table(context, table_id: str):
    """The statutory table `table_id` of the layout, built for the model being rendered."""
    from ..layout.tables import build

    model = context["m"]
    return build(model.layout.tables[table_id], model)


def money_or_blank(value, zero: bool = False) -> str:
    """Table cells the published tables leave empty: no value, or zero in a funding column."""
    if value is None or (value == 0 and not zero):
        return ""
    return money(value)


def number_or_blank(value) -> str:
    return "" if value is None else plain_number(value)


def cn_date(value) -> str:
    return f"{value.year}年{value.month}月{value.day}日"


def _finalize(value):
    if value is None:
        raise MissingValue(_("a template printed a value that is missing from the data"))
    return value


def environment(kind: str, layout: Layout | None = None) -> Environment:
    """The template environment for 'html' (autoescaped) or 'md' (escaped by filters),
    looking templates up in the layout's folders first (a layout, then its parents), then
    in the shared templates/ folder.

    One per kind, layout and process, so each template is compiled once; compiled templates
    are also kept on disk (see _bytecode_cache), since compiling them is most of the time
    an HTML or Markdown build takes. Filters that expand prose read the model from the
    template context (`m`), so the environment does not depend on the model.
    """
    if layout is None:
        return _environment(kind, (), ())
    return _environment(kind, layout.template_dirs, layout.project_dirs, layout.project)


@lru_cache(maxsize=16)
def _environment(
    kind: str,
    layout_dirs: tuple[Path, ...],
    project_dirs: tuple[Path, ...] = (),
    project: ProjectLayouts | None = None,
) -> Environment:
    """A project's layout in the chain (`project_dirs`): its folders are read as plain files
    only, and the whole layout renders in the sandbox (render/sandbox.py)."""
    sandboxed = bool(project_dirs)
    kind_of_env, loaders = Environment, [FileSystemLoader(str(d)) for d in layout_dirs]
    if sandboxed:
        from .sandbox import LayoutSandbox, ProjectLoader

        kind_of_env = LayoutSandbox
        loaders = [
            ProjectLoader(d, project) if d in project_dirs else FileSystemLoader(str(d))
            for d in layout_dirs
        ]
    loader = ChoiceLoader(loaders + [FileSystemLoader(str(TEMPLATES_DIR))])
    env = kind_of_env(
        loader=loader,
        extensions=["jinja2.ext.do"],
        autoescape=kind == "html",
        undefined=StrictUndefined,
        finalize=_finalize,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        bytecode_cache=_bytecode_cache(kind + ("-sandbox" if sandboxed else "")),
    )

    @pass_context
    def expand(context, text) -> str:
        return prose.expand(text, context["m"])

    env.filters.update(
        money=money,
        money_or_blank=money_or_blank,
        number_or_blank=number_or_blank,
        pct=percent,
        pct2=percent2,
        number=plain_number,
        cn_numeral=chinese_numeral,
        money_trim=money_trim,
        yuan=yuan,
        section_number=section_number,
        item_number=item_number,
        change_words=change_words,
        target_text=lambda target: target.display,  # ≥3.4万平方米, 100%, 提升
        cn_date=cn_date,
        expand=expand,
    )
    from ..layout.final_tables import final_tables

    env.globals.update(
        spans=spans, funding_columns=FUNDING_COLUMNS, table=_table, final_tables=final_tables
    )
    env.filters["pct_final"] = lambda v: "—" if v is None else f"{v}%"
    env.filters["wan"] = _wan
    env.filters["versus"] = _versus
    env.filters["wan_trim"] = _wan_trim
    env.filters["money_or_not_published"] = _money_or_not_published
    env.globals["unit_ref"] = _unit_ref
    # `{% if it.previous is published %}`: a figure given, not 未公开 (numbers.NotPublished)
    env.tests["published"] = is_published
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


def _bytecode_cache(kind: str) -> FileSystemBytecodeCache | None:
    """Compiled templates in the user's cache folder (~/.cache/disclosure-compiler), which
    no commit or pull request can write into: a compiled template is code. Jinja checks
    each entry against its template's source, so an edited template is recompiled.
    DISCLOSURE_NO_CACHE=1 turns it off; without a writable cache folder there is none."""
    # One folder per kind: a template shared by the HTML and Markdown environments (the
    # sentences) compiles differently in each (autoescaping), and Jinja's cache key is
    # only the template's name and file.
    folder = user_cache(f"templates-{kind}")
    return FileSystemBytecodeCache(str(folder)) if folder is not None else None


_MD_SPECIAL = str.maketrans({c: "\\" + c for c in "\\`*_[]<>|#~&!"})


def md_escape(text: str) -> str:
    """Plain text (names, units) made literal in Markdown. The loader has refused line
    breaks in one-line text and every control character, so nothing here ends a line."""
    return str(text).translate(_MD_SPECIAL)


def forget_templates() -> None:
    """Drop the compiled environments and the stylesheets read so far, so the next render
    reads templates and stylesheets afresh (`disclosure serve`, after one was saved)."""
    _environment.cache_clear()
    _css.cache_clear()


def css_text(for_print: bool = False, layout: Layout | None = None) -> str:
    """The screen stylesheet; for the PDF, followed by the paged-media rules; then the
    layout's own (its folder's layout.css and, for print, layout-print.css), parents first."""
    if layout is None:
        return _css(for_print, ())
    return _css(for_print, layout.template_dirs, layout.project_dirs, layout.project)


@lru_cache(maxsize=16)
def _css(
    for_print: bool,
    layout_dirs: tuple[Path, ...],
    project_dirs: tuple[Path, ...] = (),
    project: ProjectLayouts | None = None,
) -> str:
    files = [ASSETS_DIR / "disclosure.css"] + ([ASSETS_DIR / "print.css"] if for_print else [])
    for folder in reversed(layout_dirs):
        files.append(folder / "layout.css")
        if for_print:
            files.append(folder / "layout-print.css")
    texts = []
    for f in files:
        if f.parent in project_dirs:  # a project's: a plain file inside its layouts/ only
            try:
                texts.append(project.read(f).decode("utf-8"))
            except FileNotFoundError:
                pass
        elif f.is_file():
            texts.append(f.read_text(encoding="utf-8"))
    return "\n".join(texts)
