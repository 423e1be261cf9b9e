"""Publish every year: the three formats under names that say unit and year, and an
index page linking each year and format (what CI deploys on a merge to main)."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from .build import FORMATS, BuildResult, output_path, prepare_year
from .model import Disclosure
from .output import write_all
from .sources import WorkingTreeYear, available_years

FORMAT_LABELS = {"pdf": "PDF", "html": "网页", "md": "Markdown", "xlsx": "Excel 公开表"}


def publish_naming(model: Disclosure, fmt: str) -> str:
    """2022/151001_廊坊市人民政府办公室本级_2022年单位预算信息公开.pdf: the unit's code
    (where it has one) and name, and the layout's name for the document."""
    unit = model.unit
    code = f"{unit.code}_" if unit.code else ""
    what = model.layout.options.get("file_title", "{year}年单位预算信息公开").format(
        year=model.year
    )
    return f"{model.year}/{code}{unit.full_name}_{what}.{fmt}"


@dataclass
class PublishResult:
    years: list[BuildResult] = field(default_factory=list)
    index: Path | None = None

    @property
    def ok(self) -> bool:
        return bool(self.years) and all(r.ok for r in self.years)


def publish(data_dir: Path, out_dir: Path, strict: bool = False) -> PublishResult:
    """Build every year under data_dir into out_dir, with the index page. Everything is
    rendered first and written only if every year succeeds, so a failed publish changes
    nothing in out_dir."""
    result = PublishResult()
    files: dict[Path, bytes] = {}
    for year in available_years(data_dir):
        built, year_files = prepare_year(
            WorkingTreeYear(data_dir, year),
            out_dir,
            FORMATS,
            publish_naming,
            workbook_optional=True,  # a year without statutory tables has no workbook
            strict=strict,
        )
        result.years.append(built)
        files.update(year_files)
    if not result.ok:
        return result
    index = output_path(out_dir, "index.html")
    files[index] = render_index(result.years, out_dir).encode("utf-8")
    write_all(files)
    result.index = index
    return result


def render_index(years: list[BuildResult], out_dir: Path) -> str:
    from markupsafe import Markup

    from .render.environment import css_text, environment

    entries = []
    for built in sorted(years, key=lambda r: r.compiled.model.year, reverse=True):
        model = built.compiled.model
        links = [
            (
                FORMAT_LABELS[fmt],
                built.outputs[fmt].relative_to(output_path(out_dir, ".")).as_posix(),
            )
            for fmt in ("pdf", "html", "md", "xlsx")
            if fmt in built.outputs
        ]
        entries.append((model, links))
    template = environment("html").get_template("html/index.html.j2")
    return template.render(entries=entries, css=Markup(css_text()))
