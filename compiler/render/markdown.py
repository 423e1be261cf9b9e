"""The disclosure as GitHub-flavoured Markdown."""

from __future__ import annotations

import re

from ..model.disclosure import Disclosure
from .environment import environment
from .notice import Correction, add_to_markdown

_BLANK_RUNS = re.compile(r"\n{3,}")


def render_markdown(model: Disclosure, correction: Correction | None = None) -> str:
    """The document; a department's package has its part, then each unit's document with
    its headings one level down. A corrected edition has its 更正说明 below the title."""
    return add_to_markdown(_render_package(model), correction)


def _render_package(model: Disclosure) -> str:
    text = _render_one(model)
    if not (model.units and model.layout.package == "department+units"):
        return text
    first, second = model.layout.options.get("package_parts", ("", ""))
    title, _, rest = text.partition("\n")
    parts = [title, "", f"## {first}", "", _demoted(rest.strip()), "", f"## {second}", ""]
    for unit in model.units:
        parts += [_demoted(_render_one(unit).strip(), levels=2), ""]
    return "\n".join(parts).strip() + "\n"


def _demoted(text: str, levels: int = 1) -> str:
    """Headings moved down (# → ##), so a document fits inside the package."""
    return re.sub(r"^(#{1,4}) ", lambda m: "#" * (len(m.group(1)) + levels) + " ", text, flags=re.M)


def _render_one(model: Disclosure) -> str:
    from ..layout.sections import plan

    template = environment("md", model.layout).get_template("md/base.md.j2")
    text = template.render(m=model, sections=plan(model))
    # Templates leave blank-line runs between optional blocks; one blank line is enough.
    return _BLANK_RUNS.sub("\n\n", text).strip() + "\n"


_MD_MARKUP = re.compile(r"^#+\s*|\*\*|\\(?=[\\`*_\[\]<>|#.])", re.M)


def section_text(model: Disclosure, section) -> str:
    """One section's text without Markdown markup: what a workbook's text sheet holds."""
    from ..layout.sections import plan

    env = environment("md", model.layout)
    template = env.get_template(f"md/sections/{section.spec.template}.md.j2")
    text = template.render(m=model, section=section, n=section.number, sections=plan(model))
    lines = [_MD_MARKUP.sub("", line).rstrip() for line in text.splitlines()]
    return _BLANK_RUNS.sub("\n\n", "\n".join(lines)).strip()
