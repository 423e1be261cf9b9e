"""Build a year's outputs: compile, render every requested format, and write each file as
it is rendered into the year's new set of outputs (publish/output.py), switched in when
every file is there.

Nothing is switched in unless the data is valid and every format rendered, so a failed
build leaves build/<year>/ as it was; and a department's outputs are never all held in
memory at once, whatever its number of units.
"""

from __future__ import annotations

import functools
import html as html_lib
import os
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from .. import memory
from ..diagnostics import Diagnostic, Location, has_errors, strictly
from ..errors import BuildSettingError, UnsafeOutputName
from ..formats import DEFAULT_FORMATS, FORMATS  # noqa: E402, F401 - the build's formats
from ..i18n import _
from ..input.sources import YearSource
from ..model.disclosure import Disclosure
from ..pipeline.year import YearResult, compile_year
from ..render.notice import Correction
from . import pdf_parts
from .output import OutputSet, set_folder

Naming = Callable[[Disclosure, str], str]  # (model, format) -> path relative to the output dir
# (document, format, its bytes or the file holding them): one output, given to be written
Keep = Callable[[Disclosure, str, "bytes | Path"], None]


def build_naming(model: Disclosure, fmt: str) -> str:
    """build/<year>/disclosure.<fmt>, and a department's unit alone in
    build/<year>/units/<slug>/disclosure.<fmt>: stable names for reviewers and tests. A
    year's final accounts, a document of their own, in build/<year>/final/."""
    year = f"{model.year}/final" if model.final is not None else f"{model.year}"
    if model.slug:
        return f"{year}/units/{model.slug}/disclosure.{fmt}"
    return f"{year}/disclosure.{fmt}"


def published_documents(model: Disclosure) -> list[Disclosure]:
    """What a year publishes: its document (for a department, its package), then each of
    a department's units alone."""
    return [model, *model.units]


def output_key(model: Disclosure, fmt: str) -> str:
    """How BuildResult.outputs names a file: the format, or unit-slug:format."""
    return f"{model.slug}:{fmt}" if model.slug else fmt


@dataclass
class BuildResult:
    compiled: YearResult
    outputs: dict[str, Path] = field(default_factory=dict)
    diagnostics: list[Diagnostic] = field(default_factory=list)
    fonts: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.compiled.ok and not has_errors(self.diagnostics)


class _FromEnvironment:
    """The default of `epoch`: read SOURCE_DATE_EPOCH (a rebuild of a recorded edition passes
    the epoch it was published with instead)."""

    def __repr__(self) -> str:
        return "FROM_ENVIRONMENT"


FROM_ENVIRONMENT = _FromEnvironment()
Epoch = int | None | _FromEnvironment


def _epoch(value: Epoch) -> int | None:
    return source_date_epoch() if isinstance(value, _FromEnvironment) else value


def source_date_epoch() -> int | None:
    """SOURCE_DATE_EPOCH (seconds since 1970) if set: the PDF's dates come from it."""
    value = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if not value:
        return None
    if not value.isdigit():
        raise BuildSettingError(
            _(
                "SOURCE_DATE_EPOCH must be a whole number of seconds since 1970, not {value!r}"
            ).format(value=value)
        )
    return int(value)


def render_year(
    result: YearResult,
    formats: tuple[str, ...],
    keep: Keep,
    workbook_optional: bool = False,
    *,
    epoch: Epoch = FROM_ENVIRONMENT,
    correction: Correction | None = None,
) -> tuple[list[Diagnostic], list[str]]:
    """Render the requested formats of every document a valid year publishes, giving each
    file to `keep` as soon as it is rendered (a document's PDF when it is laid out, its
    other formats at once; a joined PDF as the file it was written to, which `keep` takes
    over): the problems found and the fonts embedded. When there are errors, what `keep`
    was given is not the year's outputs.

    `epoch` dates the PDF and workbook (default: SOURCE_DATE_EPOCH); a `correction` puts
    its 更正说明 on every document of the year."""
    problems: list[Diagnostic] = []
    fonts: set[str] = set()
    # Every document is started before any PDF is waited for, so that a department's
    # units are laid out side by side (one PDF process per core, see pdf_process.py).
    # A department's package is joined from its own part and its units' documents, each
    # laid out once (render/pdf_join.py).
    from ..render.html import is_package

    in_parts = "pdf" in formats and is_package(result.model)
    started = []
    for model in published_documents(result.model):
        document = start_document(
            model,
            result.documents,
            formats,
            workbook_optional,
            epoch=epoch,
            correction=correction,
            bare=in_parts,
        )
        started.append((model, document))
        if has_errors(document.problems):
            break
        document.hand_over(functools.partial(keep, model))
        memory.give_back()  # what rendering the document took (a package: every unit's)
    if in_parts:
        problems += pdf_parts.join_parts([document for _, document in started])
    for model, document in started:
        files, found, used = document.finish(as_file=True)
        for fmt, data in files.items():
            keep(model, fmt, data)
        problems += found
        fonts.update(used)
        if has_errors(found):
            break
    return problems, sorted(fonts)


def render_document(
    model: Disclosure,
    documents: dict,
    formats: tuple[str, ...],
    workbook_optional: bool = False,
    *,
    epoch: Epoch = FROM_ENVIRONMENT,
    correction: Correction | None = None,
    unit_pages: dict[str, str] | None = None,
) -> tuple[dict[str, bytes], list[Diagnostic], list[str]]:
    """One document in the requested formats: format → bytes. A project's layout that
    fails to render (the sandbox refused something, a template raised) is a problem at its
    template's line, and nothing of the document is rendered. `unit_pages`: see
    render_html (the live preview's units' pages, kept between its builds)."""
    return start_document(
        model,
        documents,
        formats,
        workbook_optional,
        epoch=epoch,
        correction=correction,
        unit_pages=unit_pages,
    ).finish()


@dataclass
class StartedDocument:
    """A document whose formats are rendered but whose PDF may still be being laid out:
    `finish` waits for it. A project layout's failure, whenever it shows, is a problem at
    its template's line, and then nothing of the document is rendered."""

    rendered: dict[str, bytes]
    problems: list[Diagnostic]
    wait_for_pdf: Callable | None
    layouts: list

    def hand_over(self, keep: Callable[[str, bytes], None]) -> None:
        """Give each format rendered so far to `keep` (format, bytes), and hold it no more."""
        for fmt in list(self.rendered):
            keep(fmt, self.rendered.pop(fmt))

    def finish(self, as_file: bool = False) -> tuple[dict, list[Diagnostic], list[str]]:
        """The document's formats (format → bytes; `as_file`: a joined PDF as the Path of
        its file, for the caller to take over), its problems and its fonts."""
        if self.wait_for_pdf is None:
            return self.rendered, self.problems, []
        try:
            pdf = self.wait_for_pdf()
        except Exception as e:
            problem = _layout_problem(e, self.layouts)
            return {}, [problem], []
        from ..render import fonts as font_check

        fonts = [
            f"{family} {style}: {font_check.font_file(family, style)}"
            for family, style in pdf.fonts
        ]
        data = pdf.data
        if pdf.file is not None:  # written to a file (pdf_parts.py): a joined or remembered PDF
            data = Path(pdf.file)
            if not as_file:
                data = taken(data)
        return {**self.rendered, "pdf": data}, self.problems, fonts


def taken(path: Path) -> bytes:
    """The bytes of a file this build wrote for itself, the file removed."""
    data = path.read_bytes()
    path.unlink()
    return data


def _layout_problem(error: Exception, layouts: list) -> Diagnostic:
    """`error` as a project layout's problem, or raised again when it is not one."""
    if not layouts:
        raise error
    from ..render.sandbox import template_problem

    problem = template_problem(error, layouts)
    if problem is None:
        raise error
    return problem


def start_document(
    model: Disclosure,
    documents: dict,
    formats: tuple[str, ...],
    workbook_optional: bool = False,
    *,
    epoch: Epoch = FROM_ENVIRONMENT,
    correction: Correction | None = None,
    bare: bool = False,
    unit_pages: dict[str, str] | None = None,
) -> StartedDocument:
    """Render one document's formats, and start laying out its PDF (see StartedDocument;
    `bare`: as a part to join, see pdf_parts.py)."""
    layouts = [m.layout for m in (model, *model.units) if m.layout.sandboxed]
    try:
        rendered, problems, wait = _render_document(
            model, documents, formats, workbook_optional, epoch, correction, bare, unit_pages
        )
    except Exception as e:
        return StartedDocument({}, [_layout_problem(e, layouts)], None, layouts)
    return StartedDocument(rendered, problems, wait, layouts)


def _render_document(
    model: Disclosure,
    documents: dict,
    formats: tuple[str, ...],
    workbook_optional: bool,
    epoch: Epoch,
    correction: Correction | None,
    bare: bool = False,
    unit_pages: dict[str, str] | None = None,
) -> tuple[dict[str, bytes], list[Diagnostic], Callable | None]:
    """The document's formats but the PDF, and the function that waits for its PDF (None
    without one, or when its glyphs are missing)."""
    from ..render.html import render_html
    from ..render.markdown import render_markdown

    epoch = _epoch(epoch)
    rendered: dict[str, bytes] = {}
    problems: list[Diagnostic] = []
    workbook = False
    if "xlsx" in formats:
        from ..layout.sections import shown_tables

        workbook = model.final is not None or bool(shown_tables(model))
        if not workbook and not workbook_optional:
            problems.append(
                Diagnostic(
                    Location(model.files and _unit_file(documents, model) or "unit.yaml"),
                    _(
                        "{unit} {year}: the workbook holds the statutory tables, and this year "
                        "publishes none (add lines.yaml); leave xlsx out of --format"
                    ).format(unit=model.unit.name, year=model.year),
                )
            )
            return rendered, problems, None
    pdf_result = None
    if "pdf" in formats:
        # The PDF first: in a PDF process it is laid out while the other formats render.
        pdf_result, problems = _start_pdf(model, documents, epoch, correction, bare)
        if has_errors(problems):
            return rendered, problems, None
    if "html" in formats:
        html = render_html(model, correction=correction, unit_pages=unit_pages)
        rendered["html"] = html.encode("utf-8")
    if "md" in formats:
        rendered["md"] = render_markdown(model, correction).encode("utf-8")
    if workbook:
        if model.final is not None:  # the final accounts' nine tables
            from ..render.xlsx_final import render_final_xlsx

            rendered["xlsx"] = render_final_xlsx(model, epoch)
        else:
            from ..render.xlsx import render_xlsx

            rendered["xlsx"] = render_xlsx(model, epoch)
    return rendered, problems, pdf_result


def _start_pdf(model: Disclosure, documents: dict, epoch, correction, bare: bool = False):
    """The function that gives the PDF (laid out in the PDF process when one is running,
    else when called), or the missing glyphs that prevent it. In the PDF process the job
    starts first and the glyphs are checked while it runs: a PDF with missing glyphs is
    then never asked for (the process is stopped when the build ends). `bare`: the
    document as a part (pdf_parts.Part), its units left out."""
    from ..render import fonts as font_check

    html, job = _pdf_job(model, documents, epoch, correction, bare)
    if bare:
        wait = pdf_parts.Part(model, html, job, _sources(documents, model))
    else:
        wait = pdf_parts.laid_out_document(job)
    problems = font_check.missing_glyphs(documents, _visible_text(html))
    if has_errors(problems):
        return None, problems
    return wait, problems


def _pdf_job(model: Disclosure, documents: dict, epoch, correction, bare: bool):
    """The print HTML of the document and its PdfJob. `bare`: the HTML without its units
    and the job of the document as a part (pdf_parts.part_jobs), which attaches nothing:
    pdf_parts.Part writes what its published PDFs attach to a file."""
    from ..render.pdf_job import PdfJob, pdf_identifier, pdf_job, print_html

    html = print_html(model, _epoch(epoch), correction, with_units=not bare)
    if bare:
        return html, PdfJob(html, "", pdf_identifier(model), (), _epoch(epoch), attached=False)
    return html, pdf_job(model, html, _sources(documents, model), _epoch(epoch))


def _sources(documents: dict, model: Disclosure) -> list:
    """The document's data files as committed (render.pdf_job.SourceFile), to attach."""
    from ..render.pdf_job import SourceFile

    prefix = f"units/{model.slug}/" if model.slug else ""
    return [
        SourceFile(name.removeprefix(prefix), doc.raw)
        for name, doc in sorted(documents.items())
        if name.startswith(prefix)
    ]


def part_jobs(result: YearResult, epoch: Epoch = FROM_ENVIRONMENT) -> list:
    """The PdfJobs of every part a department's PDFs are joined from (its own pieces, then
    each unit's document), as `build` lays them out; none for a year that is no package."""
    from ..render.html import is_package

    if not is_package(result.model):
        return []
    jobs = []
    for model in published_documents(result.model):
        html, job = _pdf_job(model, result.documents, epoch, None, bare=True)
        jobs += pdf_parts.part_jobs(model, html, job)
    return jobs


def _unit_file(documents: dict, model: Disclosure) -> str:
    prefix = f"units/{model.slug}/" if model.slug else ""
    doc = documents.get(prefix + "unit.yaml")
    return doc.file if doc is not None else "unit.yaml"


_TAGS = re.compile(r"<style>.*?</style>|<[^>]+>", re.S)


def _visible_text(html: str) -> str:
    return html_lib.unescape(_TAGS.sub("", html))


def output_path(out_dir: Path, relative: str) -> Path:
    """out_dir/relative, refusing a name (made from data) that climbs out of out_dir."""
    root = Path(os.path.abspath(out_dir))
    path = Path(os.path.abspath(root / relative))
    if root != path and root not in path.parents:
        raise UnsafeOutputName(
            _("output name {name!r} would be written outside {folder}").format(
                name=relative, folder=out_dir
            )
        )
    return path


def build_year(
    source: YearSource,
    out_dir: Path,
    formats: tuple[str, ...] = DEFAULT_FORMATS,
    naming: Naming = build_naming,
    strict: bool = False,
) -> BuildResult:
    """Compile, render and write a year: each file into the year's new set of outputs as
    it is rendered, the set switched in only when everything rendered (with `strict`,
    without a warning); else nothing is written."""
    compiled = compile_year(source)
    if strict:
        compiled.diagnostics = strictly(compiled.diagnostics)
    result = BuildResult(compiled)
    if not compiled.ok:
        return result
    documents = published_documents(compiled.model)
    paths = {
        (model.slug, fmt): output_path(out_dir, naming(model, fmt))
        for model in documents
        for fmt in formats
    }
    with OutputSet(set_folder(list(paths.values()))) as outputs:

        def keep(model: Disclosure, fmt: str, data: bytes | Path) -> None:
            path = paths[(model.slug, fmt)]
            if isinstance(data, Path):
                outputs.move(path, data)
            else:
                outputs.add(path, data)
            result.outputs[output_key(model, fmt)] = path

        result.diagnostics, result.fonts = render_year(compiled, formats, keep)
        if result.ok:
            outputs.commit()
        else:
            result.outputs = {}
    return result
