"""The disclosure as GitHub-flavoured Markdown."""

from __future__ import annotations

import re

from ..model import Disclosure
from .environment import environment

_BLANK_RUNS = re.compile(r"\n{3,}")


def render_markdown(model: Disclosure) -> str:
    from ..sections import plan

    template = environment("md", model.layout).get_template("md/base.md.j2")
    text = template.render(m=model, sections=plan(model))
    # Templates leave blank-line runs between optional blocks; one blank line is enough.
    return _BLANK_RUNS.sub("\n\n", text).strip() + "\n"
