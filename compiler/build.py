"""Build a year's outputs: compile, render every requested format in memory, then write.

Nothing is written unless the data is valid and every format rendered, so a failed build
leaves build/<year>/ as it was.
"""

from __future__ import annotations

import html as html_lib
import os
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from .diagnostics import Diagnostic, has_errors
from .model import Disclosure
from .output import write_all
from .pipeline import YearResult, compile_year
from .sources import YearSource

FORMATS = ("html", "md", "pdf")
Naming = Callable[[Disclosure, str], str]  # (model, format) -> path relative to the output dir


def build_naming(model: Disclosure, fmt: str) -> str:
    """build/<year>/disclosure.<fmt>: stable names for reviewers and tests."""
    return f"{model.year}/disclosure.{fmt}"


@dataclass
class BuildResult:
    compiled: YearResult
    outputs: dict[str, Path] = field(default_factory=dict)
    diagnostics: list[Diagnostic] = field(default_factory=list)
    fonts: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.compiled.ok and not has_errors(self.diagnostics)


def source_date_epoch() -> int | None:
    value = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    return int(value) if value.isdigit() else None


def render_year(
    result: YearResult, formats: tuple[str, ...]
) -> tuple[dict[str, bytes], list[Diagnostic], list[str]]:
    """Render the requested formats of a valid year into bytes."""
    from .render.html import render_html
    from .render.markdown import render_markdown

    model = result.model
    rendered: dict[str, bytes] = {}
    if "html" in formats:
        rendered["html"] = render_html(model).encode("utf-8")
    if "md" in formats:
        rendered["md"] = render_markdown(model).encode("utf-8")
    problems: list[Diagnostic] = []
    fonts: list[str] = []
    if "pdf" in formats:
        # Imported here: WeasyPrint takes a while to import and html/md builds need none of it.
        from .render import fonts as font_check
        from .render.pdf import SourceFile, render_pdf

        epoch = source_date_epoch()
        created = None
        if epoch is not None:
            from datetime import UTC, datetime

            created = datetime.fromtimestamp(epoch, tz=UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
        print_html = render_html(model, for_print=True, created=created)
        problems = font_check.missing_glyphs(result.documents, _visible_text(print_html))
        if has_errors(problems):
            return rendered, problems, fonts
        sources = [
            SourceFile(name, _source_bytes(result.source, name))
            for name in sorted(result.documents)
        ]
        pdf = render_pdf(model, sources, epoch, html=print_html)
        rendered["pdf"] = pdf.data
        fonts = [
            f"{family} {style}: {font_check.font_file(family, style)}"
            for family, style in pdf.fonts
        ]
    return rendered, problems, fonts


def _source_bytes(source: YearSource, name: str) -> bytes:
    return source.read(name)


_TAGS = re.compile(r"<style>.*?</style>|<[^>]+>", re.S)


def _visible_text(html: str) -> str:
    return html_lib.unescape(_TAGS.sub("", html))


def build_year(
    source: YearSource,
    out_dir: Path,
    formats: tuple[str, ...] = FORMATS,
    naming: Naming = build_naming,
) -> BuildResult:
    compiled = compile_year(source)
    result = BuildResult(compiled)
    if not compiled.ok:
        return result
    rendered, result.diagnostics, result.fonts = render_year(compiled, formats)
    if has_errors(result.diagnostics):
        return result
    result.outputs = {fmt: out_dir / naming(compiled.model, fmt) for fmt in rendered}
    write_all({result.outputs[fmt]: data for fmt, data in rendered.items()})
    return result
