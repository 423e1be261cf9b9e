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


class BuildSettingError(ValueError):
    """An environment setting the build cannot use (usage trouble, exit 2)."""


def source_date_epoch() -> int | None:
    """SOURCE_DATE_EPOCH (seconds since 1970) if set: the PDF's dates come from it."""
    value = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if not value:
        return None
    if not value.isdigit():
        raise BuildSettingError(
            f"SOURCE_DATE_EPOCH must be a whole number of seconds since 1970, not {value!r}"
        )
    return int(value)


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
        from .render.pdf import SourceFile, print_html, render_pdf

        epoch = source_date_epoch()
        html = print_html(model, epoch)
        problems = font_check.missing_glyphs(result.documents, _visible_text(html))
        if has_errors(problems):
            return rendered, problems, fonts
        sources = [SourceFile(name, doc.raw) for name, doc in sorted(result.documents.items())]
        pdf = render_pdf(model, html, sources, epoch)
        rendered["pdf"] = pdf.data
        fonts = [
            f"{family} {style}: {font_check.font_file(family, style)}"
            for family, style in pdf.fonts
        ]
    return rendered, problems, fonts


_TAGS = re.compile(r"<style>.*?</style>|<[^>]+>", re.S)


def _visible_text(html: str) -> str:
    return html_lib.unescape(_TAGS.sub("", html))


class UnsafeOutputName(ValueError):
    """An output name from the data that would land outside the output folder."""


def output_path(out_dir: Path, relative: str) -> Path:
    """out_dir/relative, refusing a name (made from data) that climbs out of out_dir."""
    root = Path(os.path.abspath(out_dir))
    path = Path(os.path.abspath(root / relative))
    if root != path and root not in path.parents:
        raise UnsafeOutputName(f"output name {relative!r} would be written outside {out_dir}")
    return path


def prepare_year(
    source: YearSource,
    out_dir: Path,
    formats: tuple[str, ...] = FORMATS,
    naming: Naming = build_naming,
) -> tuple[BuildResult, dict[Path, bytes]]:
    """Compile and render a year in memory: the result and the files to write (none when
    the data has errors)."""
    compiled = compile_year(source)
    result = BuildResult(compiled)
    if not compiled.ok:
        return result, {}
    rendered, result.diagnostics, result.fonts = render_year(compiled, formats)
    if has_errors(result.diagnostics):
        return result, {}
    result.outputs = {fmt: output_path(out_dir, naming(compiled.model, fmt)) for fmt in rendered}
    return result, {result.outputs[fmt]: data for fmt, data in rendered.items()}


def build_year(
    source: YearSource,
    out_dir: Path,
    formats: tuple[str, ...] = FORMATS,
    naming: Naming = build_naming,
) -> BuildResult:
    """Compile, render and write a year; nothing is written unless everything rendered."""
    result, files = prepare_year(source, out_dir, formats, naming)
    write_all(files)
    return result
