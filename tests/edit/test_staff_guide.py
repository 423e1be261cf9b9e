"""What docs/staff-guide.md shows a clerk holds true: its lines.yaml example validates and
is the published document's own lines, and its first year from a layout prints what the
guide quotes. So the guide cannot drift from the tool."""

from __future__ import annotations

import re
from pathlib import Path

from conftest import ROOT
from fixtures.years import invoke

from compiler.input.catalogue import catalogue_for
from compiler.input.loader import load_text
from compiler.input.schema_cache import validate_document

GUIDE = (ROOT / "docs" / "staff-guide.md").read_text(encoding="utf-8")
WANLI_LINES = ROOT / "examples" / "wanli" / "data" / "2024" / "lines.yaml"


def _lines_example() -> str:
    blocks = re.findall(r"```yaml\n(.*?)```", GUIDE, re.S)
    found = [b for b in blocks if "amount_unit:" in b]
    assert len(found) == 1, "the guide shows one lines.yaml"
    return found[0]


def test_the_guides_lines_yaml_validates():
    doc, problems = load_text("lines.yaml", _lines_example())
    assert doc is not None and problems == []
    assert validate_document(doc, "lines") == []
    lines = doc.data["function"]
    assert len(lines) == 3  # three lines, each column explained under it
    catalogue = catalogue_for(2024)
    assert all(catalogue.has("function", line["code"]) for line in lines)
    for key in ("amount_unit", "code", "basic", "project", "personnel", "public", "source"):
        assert f"`{key}`" in GUIDE or f"`{key}:`" in GUIDE, key


def test_the_guides_lines_are_the_published_ones():
    """No figure made up: each line is 万里街道's 2024 line, as examples/ transcribes it."""
    shown, _ = load_text("lines.yaml", _lines_example())
    published, _ = load_text("lines.yaml", WANLI_LINES.read_text(encoding="utf-8"))
    assert shown.data["amount_unit"] == published.data["amount_unit"]
    for line in shown.data["function"]:
        assert line in published.data["function"], line
        name = catalogue_for(2024).name("function", line["code"])
        assert re.search(rf'code: "{line["code"]}"\s+# \S*{name}\n', _lines_example())


def test_the_guides_first_year_is_what_the_tool_prints(tmp_path: Path, chinese):
    command = re.search(r"disclosure new-year (\d{4}) --layout (\S+)\n", GUIDE)
    assert command, "the guide shows new-year --layout"
    year, layout = command.groups()
    data = tmp_path / "data"
    data.mkdir()
    assert invoke("new-year", year, "--layout", layout, "--data", str(data)).exit_code == 0
    err = invoke("validate", year, "--data", str(data)).stderr
    quoted = re.search(r"```text\n(data/\S+: 待填写: .+)\n……\n(.+)\n(.+)\n *……\n(.+)\n```", GUIDE)
    assert quoted, "the guide quotes validate's list"
    printed = err.splitlines()
    for line in quoted.groups():  # the same words; the folder is the test's own
        assert any(p.endswith(line.strip()) for p in printed), line
